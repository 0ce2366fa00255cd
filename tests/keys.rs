//! The keyboard at a Korean desk (issue 18): keys that work in 한글 mode, search that finds what
//! people type, help that fits, Ctrl-C.

mod common;

use chrono::NaiveDateTime;
use common::{at, open_set_up, options};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use frontdesk::app::{App, TabId};
use frontdesk::domain::Lang;
use frontdesk::store::Store;
use frontdesk::store::appointments::{NewAppointment, insert_appointment};
use frontdesk::store::patients::{NewPatient, insert_patient};

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn ch(c: char) -> KeyEvent {
    key(KeyCode::Char(c))
}

fn type_text(app: &mut App, s: &str) {
    for c in s.chars() {
        app.on_key(ch(c));
    }
}

fn patient(store: &mut Store, name: &str, phone: &str) -> i64 {
    store
        .write(|tx| {
            insert_patient(tx, &NewPatient { name: name.into(), phone: phone.into(), ..Default::default() })
        })
        .unwrap()
}

fn appointment(store: &mut Store, patient_id: i64, start: NaiveDateTime) -> i64 {
    store
        .write(|tx| {
            insert_appointment(
                tx,
                &NewAppointment {
                    patient_id,
                    start,
                    duration_min: 30,
                    provider_id: None,
                    treatment_code: Some("chuna".into()),
                },
            )
        })
        .unwrap()
}

fn one(store: &Store, sql: &str) -> String {
    store.conn().query_row(sql, [], |r| r.get::<_, String>(0)).unwrap()
}

/// Tabs to a field of the open form.
fn focus(app: &mut App, id: &str) {
    for _ in 0..24 {
        if app.open_form().unwrap().focused().id == id {
            return;
        }
        app.on_key(key(KeyCode::Tab));
    }
    panic!("no field {id}");
}

#[test]
fn in_hangul_mode_the_jamo_marks_arrived_on_today() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let mut store = open_set_up(&path);
    let p = patient(&mut store, "유미래", "010-9999-0000");
    let q = patient(&mut store, "서지원", "010-9999-0001");
    appointment(&mut store, p, at(2026, 11, 23, 10, 0));
    appointment(&mut store, q, at(2026, 11, 23, 11, 0));
    let mut app = App::new(store, options(Lang::Ko, TabId::Today)).unwrap();
    // ㅓ is j: down to the second visit, ㅁ is a: arrived.
    app.on_key(ch('ㅓ'));
    app.on_key(ch('ㅁ'));
    assert_eq!(
        one(
            &app.store,
            "SELECT group_concat(status, ',') FROM (SELECT status FROM appointments ORDER BY start)"
        ),
        "booked,arrived",
        "{:?}",
        app.notice
    );
    // ㅂ is q: quit.
    app.on_key(ch('ㅂ'));
    assert!(app.quit);
}

#[test]
fn in_hangul_mode_letter_picks_take_the_jamo_but_text_fields_keep_korean() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = App::new(open_set_up(&dir.path().join("c.db")), options(Lang::Ko, TabId::Today)).unwrap();
    // ㅜ is n: book.
    app.on_key(ch('ㅜ'));
    assert!(app.booking.is_some(), "the booking form opens");
    focus(&mut app, "name");
    // Typing a name: syllables and a lone jamo stay what they are.
    type_text(&mut app, "김ㅁ");
    assert_eq!(app.open_form().unwrap().get("name").value, "김ㅁ");
    focus(&mut app, "treatment");
    // ㅗ is h: the h option (한약, code herbal). (c is shared by chuna and cupping: only
    // their numbers pick them.)
    app.on_key(ch('ㅗ'));
    assert_eq!(app.open_form().unwrap().picked("treatment").as_deref(), Some("herbal"));
    assert_eq!(app.open_form().unwrap().get("name").value, "김ㅁ");
}

fn patient_at(store: &mut Store, chart_no: &str, name: &str, phone: &str) -> i64 {
    store
        .write(|tx| {
            insert_patient(
                tx,
                &NewPatient {
                    chart_no: chart_no.into(),
                    name: name.into(),
                    phone: phone.into(),
                    ..Default::default()
                },
            )
        })
        .unwrap()
}

fn found(store: &Store, q: &str) -> Vec<String> {
    frontdesk::store::patients::search_patients(store, q, 30).unwrap().into_iter().map(|p| p.name).collect()
}

#[test]
fn search_finds_trailing_chart_digits_given_names_and_compound_initials() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_set_up(&dir.path().join("c.db"));
    patient_at(&mut store, "000136", "김민숙", "010-1111-2222");
    patient_at(&mut store, "000137", "김상호", "010-1111-3333");
    patient_at(&mut store, "000138", "박민수", "010-1111-4444");
    assert_eq!(found(&store, "136"), vec!["김민숙"], "136 is chart 000136");
    assert_eq!(found(&store, "민숙"), vec!["김민숙"], "a given name alone");
    assert_eq!(found(&store, "민수"), vec!["박민수"], "given names by their start");
    assert_eq!(found(&store, "ㄳ"), vec!["김상호"], "ㄳ is ㄱ then ㅅ");
    assert_eq!(found(&store, "ㄱㅅ"), vec!["김상호"]);
    assert_eq!(found(&store, "김민"), vec!["김민숙"], "whole names still by their start");
    assert_eq!(found(&store, "010-1111-2222"), vec!["김민숙"], "a phone with dashes");
    assert_eq!(found(&store, "01011112222"), vec!["김민숙"], "the same phone without");
    assert_eq!(found(&store, "1111-4444"), vec!["박민수"], "the last eight with a dash");
    assert_eq!(found(&store, "4444"), vec!["박민수"], "the last four");

    // Through the app: Ctrl-F, the given name, Enter opens the card.
    let mut app = App::new(store, options(Lang::Ko, TabId::Today)).unwrap();
    app.on_key(KeyEvent::new(KeyCode::Char('f'), KeyModifiers::CONTROL));
    type_text(&mut app, "민숙");
    let names: Vec<_> = app.search.as_ref().unwrap().results.iter().map(|p| p.name.clone()).collect();
    assert_eq!(names, vec!["김민숙"]);
}

#[test]
fn the_slash_filter_matches_initials_like_patient_search() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_set_up(&dir.path().join("c.db"));
    let a = patient_at(&mut store, "000136", "김민숙", "010-1111-2222");
    let b = patient_at(&mut store, "000137", "김상호", "010-1111-3333");
    appointment(&mut store, a, at(2026, 11, 23, 10, 0));
    appointment(&mut store, b, at(2026, 11, 23, 11, 0));
    let mut app = App::new(store, options(Lang::Ko, TabId::Today)).unwrap();
    let shown = |app: &App| -> Vec<String> {
        app.tabs.today.visible.iter().map(|&i| app.tabs.today.rows[i].name.clone()).collect()
    };
    for (typed, want) in
        [("ㄳ", vec!["김상호"]), ("ㄱㅁ", vec!["김민숙"]), ("민숙", vec!["김민숙"]), ("136", vec!["김민숙"])]
    {
        app.on_key(ch('/'));
        type_text(&mut app, typed);
        assert_eq!(shown(&app), want, "{typed}");
        app.on_key(key(KeyCode::Esc));
        assert_eq!(shown(&app).len(), 2, "Esc clears the filter");
    }
}

fn footer_line(app: &App, w: u16, h: u16) -> String {
    let screen = common::text(&common::render(app, w, h));
    screen.lines().last().unwrap_or_default().to_string()
}

#[test]
fn at_80x24_every_tab_keeps_help_and_quit_in_the_footer() {
    for lang in [Lang::Ko, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = App::new(open_set_up(&dir.path().join("c.db")), options(lang, TabId::Today)).unwrap();
        for tab in TabId::ALL {
            app.on_key(ch(char::from_digit(tab.index() as u32 + 1, 10).unwrap()));
            assert_eq!(app.active, tab);
            let footer = footer_line(&app, 80, 24);
            let (help, quit) = (lang.pick("도움말", "Help"), lang.pick("종료", "Quit"));
            assert!(footer.contains(" ? "), "{tab:?} {lang:?}: {footer:?}");
            assert!(footer.contains(help) && footer.contains(quit), "{tab:?} {lang:?}: {footer:?}");
            assert!(footer.trim_end().ends_with(quit), "quit is pinned right: {footer:?}");
            // Other hints come first as long as they fit, in the table's order.
            let wide = footer_line(&app, 200, 24);
            assert!(wide.len() >= footer.len(), "{wide:?}");
        }
    }
}

#[test]
fn help_pages_jumps_to_either_end_and_shows_where_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = App::new(open_set_up(&dir.path().join("c.db")), options(Lang::En, TabId::Today)).unwrap();
    app.on_key(ch('?'));
    let total = frontdesk::app::help::lines(
        &[
            frontdesk::app::keymap::Context::Today,
            frontdesk::app::keymap::Context::List,
            frontdesk::app::keymap::Context::Global,
            frontdesk::app::keymap::Context::Form,
            frontdesk::app::keymap::Context::Search,
            frontdesk::app::keymap::Context::Settings,
        ],
        Lang::En,
    )
    .len();
    let screen = |app: &App| common::text(&common::render(app, 80, 24));
    let first = screen(&app);
    // The popup shows 24 - 4 rows less its two borders: 18 rows of text (plus blank lines
    // between sections, counted in the total the screen shows).
    let pos = |s: &str| -> (u16, u16) {
        let at = s.rfind(" PgUp/PgDn ┘").expect("position shown");
        let head = &s[..at];
        let token = head.rsplit(' ').next().unwrap();
        let (a, b) = token.split_once('/').unwrap();
        (a.parse().unwrap(), b.parse().unwrap())
    };
    let (shown, all) = pos(&first);
    assert_eq!(shown, 18, "{first}");
    assert!(all as usize > total, "sections are separated by blank lines: {all} vs {total}");
    app.on_key(key(KeyCode::PageDown));
    assert_eq!(pos(&screen(&app)), (36, all));
    app.on_key(ch(' '));
    assert_eq!(pos(&screen(&app)), (54.min(all), all));
    app.on_key(key(KeyCode::PageUp));
    assert_eq!(pos(&screen(&app)), (36, all));
    app.on_key(ch('G'));
    let end = screen(&app);
    assert_eq!(pos(&end), (all, all));
    assert!(end.contains("+ / -") && end.contains("sticker suggestion"), "the card's own keys: {end}");
    // Down at the end stays at the end; Up moves back at once.
    app.on_key(ch('j'));
    app.on_key(ch('k'));
    assert_eq!(pos(&screen(&app)), (all - 1, all));
    app.on_key(key(KeyCode::End));
    assert_eq!(pos(&screen(&app)), (all, all));
    app.on_key(ch('g'));
    assert_eq!(pos(&screen(&app)), (18, all));
    app.on_key(key(KeyCode::PageDown));
    app.on_key(key(KeyCode::Home));
    assert_eq!(screen(&app), first);
    app.on_key(key(KeyCode::Esc));
    assert!(app.help.is_none());
}

#[test]
fn help_lists_the_keys_the_widgets_handle() {
    for lang in [Lang::Ko, Lang::En] {
        let lines = frontdesk::app::help::lines(&[frontdesk::app::keymap::Context::Today], lang);
        for keys in ["Ctrl-U", "1-9", "a-z", "y/ㅛ/Enter", "n/ㅜ/Esc", "+ / -"] {
            assert!(lines.iter().any(|(heading, k, d)| !heading && k == keys && !d.is_empty()), "{keys}");
        }
        // The card's letters are keymap bindings (Context::Card), listed with their jamo.
        let card = frontdesk::app::help::lines(&[frontdesk::app::keymap::Context::Card], lang);
        for keys in ["o/ㅐ", "a/ㅁ", "x/ㅌ", "u/ㅕ", "e/ㄷ", "Esc"] {
            assert!(card.iter().any(|(heading, k, d)| !heading && k == keys && !d.is_empty()), "{keys}");
        }
        let shared = frontdesk::app::help::lines(&[frontdesk::app::keymap::Context::SharedScreen], lang);
        assert!(!shared.iter().any(|(_, k, _)| k == "Ctrl-U"), "the shared screen has no fields");
    }
}

#[test]
fn a_footer_too_narrow_for_every_word_keeps_the_pinned_keys_at_the_right() {
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    let theme = *App::new(
        open_set_up(&tempfile::tempdir().unwrap().path().join("c.db")),
        options(Lang::En, TabId::Today),
    )
    .unwrap()
    .theme();
    let hints: Vec<(String, &str)> =
        vec![("a".into(), "Arrived"), ("d".into(), "Done"), ("?".into(), "Help"), ("q".into(), "Quit")];
    let line = |w: u16| {
        let mut buf = Buffer::empty(Rect::new(0, 0, w, 1));
        frontdesk::app::widgets::footer(buf.area, &mut buf, &hints, 2, &theme);
        common::text(&buf).lines().next().unwrap_or_default().trim_end().to_string()
    };
    assert_eq!(line(60), format!(" a  Arrived  d  Done {} ?  Help  q  Quit", " ".repeat(21)));
    assert_eq!(line(30), " a  Arrived  ?  Help  q  Quit", "Done is dropped first");
    assert_eq!(line(18), " ?  Help  q  Quit");
    assert_eq!(line(12), "       ?  q", "keys alone when their words do not fit");
}

fn ctrl_c() -> KeyEvent {
    KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)
}

#[test]
fn ctrl_c_quits_like_q_and_asks_first_when_a_form_has_unsaved_input() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    // Nothing typed anywhere: Ctrl-C quits at once.
    let mut app = App::new(open_set_up(&path), options(Lang::En, TabId::Today)).unwrap();
    app.on_key(ctrl_c());
    assert!(app.quit);

    let mut app = App::new(open_set_up(&path), options(Lang::En, TabId::Today)).unwrap();
    app.on_key(ch('n'));
    focus(&mut app, "name");
    type_text(&mut app, "서지원");
    // Ctrl-C in a text field: asks, naming the form.
    app.on_key(ctrl_c());
    assert!(!app.quit);
    let asked = match &app.notice {
        Some(frontdesk::app::Notice::Error(m)) => m.clone(),
        other => panic!("{other:?}"),
    };
    assert!(asked.starts_with("Unsaved input in Book") && asked.contains("y quits"), "{asked}");
    // Other keys ask again and type nothing; n stays, with the input intact.
    app.on_key(ch('x'));
    assert!(!app.quit);
    app.on_key(ch('n'));
    assert!(!app.quit && app.notice.is_none());
    assert_eq!(app.open_form().unwrap().get("name").value, "서지원", "n is an answer, not typed");
    // Esc stays too (and does not close the form).
    app.on_key(ctrl_c());
    app.on_key(key(KeyCode::Esc));
    assert!(!app.quit && app.booking.is_some());
    // q (here as the command: in a field q is a letter) asks the same; ㅛ is yes.
    app.on_command(frontdesk::app::keymap::Command::Quit);
    assert!(!app.quit);
    app.on_key(ch('ㅛ'));
    assert!(app.quit, "{:?}", app.notice);
    assert_eq!(app.unsaved_forms().len(), 1, "the form stays for the draft saved on the way out");
}
