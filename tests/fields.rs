//! Fields behave like fields (issue 18, item 8): a prefilled value is replaced by typing, a
//! placeholder is never a value, and every pick list of the app has unique hotkeys.

mod common;
use common::keys::{key, typed};

use chrono::NaiveDate;
use common::{open_set_up, options, render, text};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use frontdesk::app::form::{FieldKind, Form, pick_hotkeys, pick_index};
use frontdesk::app::keymap::{self, Command, Context};
use frontdesk::app::{App, BookingRequest, TabId};
use frontdesk::demo::{DemoOptions, Scale};
use frontdesk::domain::Lang;
use frontdesk::store::patients::{NewPatient, insert_patient};

fn app_with_patient(dir: &tempfile::TempDir, lang: Lang) -> (App, i64) {
    let mut store = open_set_up(&dir.path().join("clinic.db"));
    let id = store
        .write(|tx| {
            insert_patient(
                tx,
                &NewPatient { name: "정하나".into(), phone: "010-5555-0101".into(), ..Default::default() },
            )
        })
        .unwrap();
    store.set_staff("김데스크");
    (App::new(store, options(lang, TabId::Today)).unwrap(), id)
}

/// The booking form of a known patient on 2026-month-day, time still empty.
fn booking_on(dir: &tempfile::TempDir, month: u32, day: u32) -> App {
    let (mut app, patient) = app_with_patient(dir, Lang::En);
    let date = NaiveDate::from_ymd_opt(2026, month, day);
    app.open_booking(BookingRequest { patient_id: Some(patient), date, ..Default::default() });
    app
}

fn focus(app: &mut App, id: &str) {
    for _ in 0..12 {
        if app.open_form().unwrap().focused().id == id {
            return;
        }
        key(app, KeyCode::BackTab);
    }
    panic!("no field {id}");
}

#[test]
fn a_prefilled_date_is_replaced_by_typing() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = booking_on(&dir, 12, 1);
    focus(&mut app, "date");
    assert_eq!(app.open_form().unwrap().get("date").value, "2026-12-01");
    typed(&mut app, "12-02");
    let form = app.open_form().unwrap();
    assert_eq!(form.get("date").value, "12-02", "typing replaces the prefilled date, it does not append");
    assert_eq!(form.date("date"), NaiveDate::from_ymd_opt(2026, 12, 2));
    // Back on the field, an arrow drops the selection and the typing is added at the caret.
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::BackTab);
    key(&mut app, KeyCode::End);
    key(&mut app, KeyCode::Backspace);
    typed(&mut app, "3");
    assert_eq!(app.open_form().unwrap().get("date").value, "12-03");
}

#[test]
fn saving_an_empty_time_with_a_placeholder_says_it_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = booking_on(&dir, 11, 24);
    let form = app.open_form().unwrap();
    assert_eq!(form.get("time").value, "");
    assert_eq!(form.get("time").hint, "14:30");
    let screen = text(&render(&app, 80, 24));
    assert!(screen.contains("14:30"), "the hint is shown: {screen}");
    app.on_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    let form = app.open_form().expect("not saved: the time is missing");
    assert_eq!(form.get("time").error.as_deref(), Some("required"));
    assert_eq!(form.time("time"), None, "the placeholder is not the value");
    let screen = text(&render(&app, 80, 24));
    assert!(screen.contains("required"), "{screen}");
}

/// Checks every pick list of a form: each choice has a key (its number while there are nine
/// or fewer), letters are unique, and each shown key picks its own choice.
fn check_picks(form: &Form, seen: &mut Vec<String>) {
    for f in &form.fields {
        let choices = match &f.kind {
            FieldKind::Pick { choices, .. } | FieldKind::Multi { choices, .. } => choices,
            _ => continue,
        };
        let keys = pick_hotkeys(choices);
        let mut letters: Vec<char> = keys.iter().filter_map(|k| k.1).collect();
        let n = letters.len();
        letters.sort_unstable();
        letters.dedup();
        assert_eq!(letters.len(), n, "{}.{}: shared letters {keys:?}", form.id, f.id);
        for (i, (digit, letter)) in keys.iter().enumerate() {
            if i < 9 {
                assert_eq!(*digit, char::from_digit(i as u32 + 1, 10), "{}.{}", form.id, f.id);
            }
            for k in digit.iter().chain(letter) {
                assert_eq!(pick_index(choices, *k), Some(i), "{}.{}: {k} picks {i}", form.id, f.id);
            }
        }
        seen.push(format!("{}.{}", form.id, f.id));
    }
}

fn close_everything(app: &mut App) {
    for _ in 0..4 {
        key(app, KeyCode::Esc);
        if app.open_form().is_some_and(|f| f.confirm_discard) {
            key(app, KeyCode::Char('y'));
        }
    }
}

#[test]
fn every_pick_in_the_app_has_unique_hotkeys() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let date = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    {
        let mut store = common::open(&db);
        frontdesk::demo::generate(&mut store, &DemoOptions { scale: Scale::Small, seed: 42, date }).unwrap();
    }
    let mut seen = Vec::new();
    for lang in [Lang::Ko, Lang::En] {
        let mut store = common::open(&db);
        store.set_staff("김데스크");
        let mut app = App::new(store, options(lang, TabId::Today)).unwrap();
        // Every form a tab opens from its own keys (on the first row).
        for (tab, context) in [
            (TabId::Today, Context::Today),
            (TabId::Huddle, Context::Huddle),
            (TabId::Callbacks, Context::Callbacks),
            (TabId::Inquiries, Context::Inquiries),
            (TabId::Okr, Context::Okr),
        ] {
            for b in keymap::bindings(context) {
                let Some(k) = b.keys.first() else { continue };
                app.show_tab(tab);
                app.on_key(KeyEvent::new(k.code, k.mods));
                if let Some(form) = app.open_form() {
                    check_picks(form, &mut seen);
                }
                close_everything(&mut app);
            }
        }
        // The booking form of a new patient, and the settings' forms.
        app.show_tab(TabId::Today);
        app.open_booking(BookingRequest::default());
        check_picks(app.open_form().unwrap(), &mut seen);
        close_everything(&mut app);
        app.on_command(Command::Settings);
        for _ in 0..12 {
            for k in ['e', 'n'] {
                app.on_key(KeyEvent::from(KeyCode::Char(k)));
                if let Some(form) = app.settings.as_ref().and_then(|s| s.form.as_ref()) {
                    check_picks(form, &mut seen);
                }
                key(&mut app, KeyCode::Esc);
                if app.settings.as_ref().is_some_and(|s| s.form.as_ref().is_some_and(|f| f.confirm_discard)) {
                    key(&mut app, KeyCode::Char('y'));
                }
            }
            app.on_key(KeyEvent::from(KeyCode::Tab));
        }
    }
    seen.sort();
    seen.dedup();
    assert!(seen.len() >= 8, "too few pick lists reached: {seen:?}");
    assert!(seen.iter().any(|s| s.contains("provider")), "{seen:?}");
}

#[test]
fn weekday_picks_take_every_day() {
    // 화/목 and 토/일 start with the same letters in English (t, s): every day has a number.
    let days: Vec<_> = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        .iter()
        .map(|d| frontdesk::app::form::Choice::new(*d, *d))
        .collect();
    for (i, _) in days.iter().enumerate() {
        assert_eq!(pick_index(&days, char::from_digit(i as u32 + 1, 10).unwrap()), Some(i));
    }
    assert_eq!(pick_index(&days, 's'), None, "sat and sun share s");
    assert_eq!(pick_index(&days, 'm'), Some(0));
    assert_eq!(pick_index(&days, 'ㅡ'), Some(0), "ㅡ sits on m");
}
