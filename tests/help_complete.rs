//! Help names every key (issue 18): for every keymap context, the help overlay as drawn lists
//! each binding - its keys, with the 한글-mode jamo (`a/ㅁ`), and what it does - generated from
//! the keymap; and the footer keeps `? help` and `q quit` at every width on every tab. `?` over
//! the patient card or settings opens help with their keys first; Esc goes back to them.

mod common;

use common::{open_set_up, options};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use frontdesk::app::keymap::{self, Context};
use frontdesk::app::layers::Layer;
use frontdesk::app::{App, TabId};
use frontdesk::domain::Lang;
use frontdesk::domain::text::{truncate, width};

fn press(app: &mut App, code: KeyCode) {
    app.on_key(KeyEvent::new(code, KeyModifiers::NONE));
}

/// Every line help shows, page by page from the top to the end (as the desk would read it).
fn help_text(app: &mut App) -> Vec<String> {
    press(app, KeyCode::Char('?'));
    assert!(app.help.is_some());
    press(app, KeyCode::Home);
    let mut seen: Vec<String> = Vec::new();
    for _ in 0..40 {
        let screen = common::text(&common::render(app, 120, 30));
        seen.extend(screen.lines().map(str::to_string));
        // The position on the bottom border: "<last row in view>/<all rows>".
        let pos = screen
            .lines()
            .filter_map(|l| l.find(" PgUp/PgDn").map(|at| l[..at].rsplit(' ').next().unwrap().to_string()))
            .next_back()
            .expect("help shows its position");
        let (a, b) = pos.split_once('/').unwrap();
        if a == b {
            press(app, KeyCode::Esc);
            return seen;
        }
        press(app, KeyCode::PageDown);
    }
    panic!("help never reached its end");
}

/// The start of a description as help draws it (long ones are cut at the popup's edge).
fn shown_start(desc: &str) -> String {
    let mut out = String::new();
    for c in desc.chars() {
        if width(&out) + width(&c.to_string()) > 30 {
            break;
        }
        out.push(c);
    }
    out
}

fn assert_lists(lines: &[String], context: Context, lang: Lang, what: &str) {
    assert!(lines.iter().any(|l| l.contains(context.title(lang))), "{what}: heading of {context:?}");
    for b in keymap::bindings(context) {
        let keys = b.help_label();
        assert!(width(&keys) <= 22, "{what}: {keys} fits its column whole");
        let keys = truncate(&keys, 22);
        let desc = shown_start(b.describe(lang));
        assert!(
            lines.iter().any(|l| l.contains(&format!("{keys} ")) && l.contains(&desc)),
            "{what}: help lists {context:?} {keys} {desc:?}:\n{}",
            lines.join("\n")
        );
    }
}

#[test]
fn help_lists_every_binding_of_every_context_with_its_jamo() {
    let mut covered = std::collections::HashSet::new();
    for lang in [Lang::Ko, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = App::new(open_set_up(&dir.path().join("h.db")), options(lang, TabId::Today)).unwrap();
        for tab in TabId::ALL {
            app.show_tab(tab);
            let tab_context = app.tabs.get(tab).context();
            let lines = help_text(&mut app);
            let what = format!("{tab:?} {lang:?}");
            for context in [
                tab_context,
                Context::List,
                Context::Global,
                Context::Form,
                Context::Search,
                Context::Card,
                Context::CardMoney,
                Context::Settings,
                Context::Help,
            ] {
                assert_lists(&lines, context, lang, &what);
                covered.insert(context);
            }
            // The OKR board's help lists its revenue report's keys too.
            if tab == TabId::Okr {
                assert_lists(&lines, Context::OkrReport, lang, &what);
                covered.insert(Context::OkrReport);
            }
            // The keys widgets handle themselves: fields, picks, prompts, the card.
            for notes in [keymap::FIELD_NOTES, keymap::PROMPT_NOTES, keymap::CARD_NOTES] {
                for n in notes {
                    assert!(lines.iter().any(|l| l.contains(n.keys)), "{what}: {}", n.keys);
                }
            }
        }
        // Today's letters show their jamo.
        app.show_tab(TabId::Today);
        let lines = help_text(&mut app);
        for (keys, en, ko) in
            [("a/ㅁ", "Arrived", "내원"), ("x/ㅌ", "No-show", "부도"), ("q/ㅂ", "Quit", "종료")]
        {
            let desc = lang.pick(ko, en);
            assert!(
                lines.iter().any(|l| l.contains(keys) && l.contains(desc)),
                "{lang:?}: {keys} {desc}:\n{}",
                lines.join("\n")
            );
        }

        // The shared screen lists its own keys (and help's), nothing it does not answer to.
        let mut opts = options(lang, TabId::Huddle);
        opts.presentation = true;
        opts.mask = true;
        let mut shared = App::new(open_set_up(&dir.path().join("s.db")), opts).unwrap();
        let lines = help_text(&mut shared);
        assert_lists(&lines, Context::SharedScreen, lang, "shared screen");
        assert_lists(&lines, Context::Help, lang, "shared screen");
        covered.insert(Context::SharedScreen);
        assert!(!lines.iter().any(|l| l.contains("Ctrl-S")), "no form keys on the shared screen");
    }
    // Every context of the keymap was checked.
    let all = [
        Context::Global,
        Context::List,
        Context::Today,
        Context::Huddle,
        Context::Callbacks,
        Context::Inquiries,
        Context::Okr,
        Context::Form,
        Context::Search,
        Context::Card,
        Context::Settings,
        Context::Help,
        Context::SharedScreen,
        Context::CardMoney,
        Context::OkrReport,
    ];
    for c in all {
        assert!(covered.contains(&c), "{c:?} checked");
    }
}

#[test]
fn the_help_label_adds_the_jamo_of_letter_keys_only() {
    let find = |context: Context, command: keymap::Command| {
        keymap::bindings(context).iter().find(|b| b.command == command).unwrap().help_label()
    };
    assert_eq!(find(Context::Today, keymap::Command::Arrived), "a/ㅁ");
    assert_eq!(find(Context::List, keymap::Command::Down), "Down/j/ㅓ");
    assert_eq!(find(Context::Global, keymap::Command::PatientSearch), "Ctrl-F", "no jamo with Ctrl");
    assert_eq!(find(Context::Today, keymap::Command::PrevDay), "[");
    assert_eq!(find(Context::Global, keymap::Command::GoTab(0)), "1");
}

fn footer_line(app: &App, w: u16) -> String {
    let screen = common::text(&common::render(app, w, 24));
    screen.lines().last().unwrap_or_default().to_string()
}

#[test]
fn every_tab_keeps_help_and_quit_in_the_footer_at_every_width() {
    for lang in [Lang::Ko, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = App::new(open_set_up(&dir.path().join("f.db")), options(lang, TabId::Today)).unwrap();
        let (help, quit) = (lang.pick("도움말", "Help"), lang.pick("종료", "Quit"));
        for tab in TabId::ALL {
            app.show_tab(tab);
            let mut shown = 0;
            for w in [80, 100, 120, 160] {
                let footer = footer_line(&app, w);
                let what = format!("{tab:?} {lang:?} at {w}: {footer:?}");
                assert!(footer.contains(" ? ") && footer.contains(help), "{what}");
                assert!(
                    footer.trim_end().ends_with(quit) && footer.contains(" q "),
                    "quit pinned right: {what}"
                );
                assert!(width(&footer) <= w as usize, "{what}");
                // Wider never shows fewer hints.
                let hints = footer.split("  ").filter(|s| !s.trim().is_empty()).count();
                assert!(hints >= shown, "{what}");
                shown = hints;
            }
        }
    }
}

/// Where each heading first appears in help as drawn (from its frame's title on: the tab bar
/// above names the tabs too); `usize::MAX` when it is not on the first page.
fn help_headings(app: &App, contexts: &[Context]) -> Vec<usize> {
    let screen = common::text(&common::render(app, 120, 40));
    let help = &screen[screen.find("Help - Esc").expect("help is drawn")..];
    contexts.iter().map(|c| help.find(c.title(Lang::En)).unwrap_or(usize::MAX)).collect()
}

#[test]
fn question_mark_over_the_card_or_settings_lists_their_keys_first_and_esc_goes_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_set_up(&dir.path().join("c.db"));
    let patient = store
        .write(|tx| {
            frontdesk::store::patients::insert_patient(
                tx,
                &frontdesk::store::patients::NewPatient {
                    name: "홍길동".into(),
                    phone: "010-1234-5678".into(),
                    ..Default::default()
                },
            )
        })
        .unwrap();
    store.set_staff("김데스크");
    let mut app = App::new(store, options(Lang::En, TabId::Today)).unwrap();

    app.open_card(patient);
    press(&mut app, KeyCode::Char('?'));
    assert_eq!(app.owner(), Layer::Help, "help opens over the card");
    let at = help_headings(&app, &[Context::Card, Context::Today, Context::List, Context::Global]);
    assert!(at[0] < usize::MAX, "help lists the card's keys");
    assert!(at[1..].iter().all(|&other| at[0] < other), "the card's keys come first: {at:?}");
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.owner(), Layer::Card, "Esc goes back to the card");
    // In a form over the card `?` is text, not help.
    press(&mut app, KeyCode::Char('p'));
    press(&mut app, KeyCode::Char('?'));
    assert!(app.help.is_none());
    assert_eq!(app.open_form().map(|f| f.text("body")).as_deref(), Some("?"));
    app.card = None;

    app.on_key(KeyEvent::new(KeyCode::Char('o'), KeyModifiers::CONTROL));
    assert_eq!(app.owner(), Layer::Settings);
    press(&mut app, KeyCode::Char('?'));
    assert_eq!(app.owner(), Layer::Help, "help opens over settings");
    let at = help_headings(&app, &[Context::Settings, Context::Today, Context::List]);
    assert!(at[0] < usize::MAX, "help lists the settings keys");
    assert!(at[1..].iter().all(|&other| at[0] < other), "the settings keys come first: {at:?}");
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.owner(), Layer::Settings, "Esc goes back to settings");
}
