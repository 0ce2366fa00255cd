//! The layer stack (issue 17, item 1): one layer owns the keyboard, and the app looks whether
//! the database changed after every key, whichever layer took it, so no tab stays stale.

mod common;

use common::{at, open_set_up, options, render, text};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use frontdesk::app::layers::Layer;
use frontdesk::app::{App, TabId};
use frontdesk::domain::Lang;
use frontdesk::store::appointments::{NewAppointment, insert_appointment};
use frontdesk::store::patients::{NewPatient, insert_patient};

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

fn type_text(app: &mut App, s: &str) {
    for c in s.chars() {
        app.on_key(key(KeyCode::Char(c)));
    }
}

fn focus(app: &mut App, id: &str) {
    for _ in 0..24 {
        if app.open_form().unwrap().focused().id == id {
            return;
        }
        app.on_key(key(KeyCode::Tab));
    }
    panic!("no field {id}");
}

/// Logs a call "booked, no time yet" on the Inquiries tab: the booking form opens over it.
fn call_booked_without_time(app: &mut App) {
    app.on_key(key(KeyCode::Char('n')));
    type_text(app, "서지원");
    focus(app, "phone");
    type_text(app, "010-5555-1234");
    focus(app, "outcome");
    app.on_key(key(KeyCode::Char('b')));
    focus(app, "book_date");
    type_text(app, "+1");
    app.on_key(ctrl('s'));
    assert_eq!(app.owner(), Layer::Booking, "the booking form takes over");
}

#[test]
fn a_call_saved_as_booked_then_esc_on_the_booking_form_shows_on_the_callbacks_tab() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let mut app = App::new(open_set_up(&path), options(Lang::En, TabId::Inquiries)).unwrap();
    app.show_tab(TabId::Callbacks);
    assert!(!text(&render(&app, 120, 40)).contains("서지원"));
    app.show_tab(TabId::Inquiries);
    call_booked_without_time(&mut app);
    // The call was written when the form handed over to the booking form: the other tabs
    // already know they must read again.
    assert!(app.is_stale(TabId::Callbacks), "the callbacks tab was left as it was before the call");
    app.on_key(key(KeyCode::Esc));
    assert_eq!(app.owner(), Layer::Tab);
    app.show_tab(TabId::Callbacks);
    assert!(text(&render(&app, 120, 40)).contains("서지원"), "the prospect callback shows");
}

#[test]
fn a_booking_saved_on_the_booking_form_shows_on_today() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let mut app = App::new(open_set_up(&path), options(Lang::En, TabId::Inquiries)).unwrap();
    call_booked_without_time(&mut app);
    focus(&mut app, "date");
    for _ in 0..12 {
        app.on_key(key(KeyCode::Backspace));
    }
    type_text(&mut app, "2026-11-23");
    focus(&mut app, "time");
    type_text(&mut app, "16:30");
    app.on_key(ctrl('s'));
    assert!(app.booking.is_none(), "saved: {:?}", app.open_form().and_then(|f| f.message.clone()));
    app.on_key(key(KeyCode::Esc));
    app.show_tab(TabId::Today);
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("서지원") && screen.contains("16:30"), "{screen}");
}

#[test]
fn a_change_made_by_another_process_shows_after_the_next_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let mut app = App::new(open_set_up(&path), options(Lang::En, TabId::Today)).unwrap();
    assert!(!text(&render(&app, 120, 40)).contains("윤서하"));
    // Another terminal (another connection on the same file) books a visit for today.
    let mut other = open_set_up(&path);
    other
        .write(|tx| {
            let p = insert_patient(
                tx,
                &NewPatient { name: "윤서하".into(), phone: "010-7777-0000".into(), ..Default::default() },
            )?;
            insert_appointment(
                tx,
                &NewAppointment {
                    patient_id: p,
                    start: at(2026, 11, 23, 15, 0),
                    duration_min: 30,
                    provider_id: None,
                    treatment_code: None,
                },
            )
        })
        .unwrap();
    // No tick: one key (a harmless one) is enough.
    app.on_key(key(KeyCode::Down));
    assert!(text(&render(&app, 120, 40)).contains("윤서하"), "the other terminal's booking shows");
}

#[test]
fn the_staff_pick_over_the_booking_form_owns_the_keyboard_and_the_caret() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let mut app = App::new(open_set_up(&path), options(Lang::En, TabId::Inquiries)).unwrap();
    call_booked_without_time(&mut app);
    // The caret is where the last frame drew it.
    render(&app, 120, 40);
    assert!(app.cursor().is_some(), "the booking form has the caret");
    assert_eq!(app.contexts(), vec![frontdesk::app::keymap::Context::Form]);
    app.open_staff_pick(None);
    assert_eq!(app.owner(), Layer::StaffPick);
    assert!(app.cursor().is_none(), "the pick list owns the keyboard, not the form under it");
    app.on_key(key(KeyCode::Esc));
    assert_eq!(app.owner(), Layer::Booking);
    render(&app, 120, 40);
    assert!(app.cursor().is_some());
}
