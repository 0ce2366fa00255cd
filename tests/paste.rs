//! Pasting never runs commands: a paste goes into the focused text field as one line, and on
//! a list (where single keys act on patients) it is dropped with a notice.

mod common;

use chrono::{NaiveDate, NaiveTime};
use common::*;
use crossterm::event::{KeyCode, KeyEvent};
use frontdesk::app::{App, TabId, pasted_line};
use frontdesk::domain::{AppointmentStatus, Lang};
use frontdesk::store::appointments::{NewAppointment, get_appointment, insert_appointment};
use frontdesk::store::patients::{NewPatient, insert_patient};

fn today_app(dir: &tempfile::TempDir) -> (App, i64) {
    let mut store = open_set_up(&dir.path().join("clinic.db"));
    let appt = store
        .write(|tx| {
            let p = insert_patient(
                tx,
                &NewPatient { name: "홍길동".into(), phone: "010-1234-5678".into(), ..Default::default() },
            )?;
            insert_appointment(
                tx,
                &NewAppointment {
                    patient_id: p,
                    start: NaiveDate::from_ymd_opt(2026, 11, 23)
                        .unwrap()
                        .and_time(NaiveTime::from_hms_opt(9, 0, 0).unwrap()),
                    duration_min: 30,
                    provider_id: None,
                    treatment_code: None,
                },
            )
        })
        .unwrap();
    (App::new(store, options(Lang::En, TabId::Today)).unwrap(), appt)
}

#[test]
fn a_paste_on_the_list_runs_no_command() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, appt) = today_app(&dir);
    let before: i64 = app.store.conn().query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0)).unwrap();
    render(&app, 100, 30);
    // `x` is no-show, `a` arrived, `n` book, `memo` would open forms.
    app.on_paste("xadmemo\nn");
    let screen = text(&render(&app, 100, 30));
    assert!(screen.contains("Paste goes into a text field only"), "{screen}");
    assert_eq!(get_appointment(app.store.conn(), appt).unwrap().status, AppointmentStatus::Booked);
    assert!(app.booking.is_none() && !app.tabs.get(TabId::Today).keyboard_grabbed(), "no form opened");
    let after: i64 = app.store.conn().query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0)).unwrap();
    assert_eq!(before, after, "nothing was written");
}

#[test]
fn a_paste_into_a_form_fills_the_focused_field_as_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let store = open_set_up(&dir.path().join("clinic.db"));
    let mut app = App::new(store, options(Lang::En, TabId::Inquiries)).unwrap();
    app.on_key(KeyEvent::from(KeyCode::Char('n')));
    assert!(app.tabs.get(TabId::Inquiries).keyboard_grabbed(), "n opens the call form");
    render(&app, 120, 40);
    // Decomposed 한글 (as a Mac pastes it), a line break and a tab: one NFC line in the name.
    app.on_paste("\u{1100}\u{1161}\u{11BC}민수\r\nx\t y");
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("강민수 x y"), "{screen}");
    assert!(app.tabs.get(TabId::Inquiries).keyboard_grabbed(), "still in the form, nothing saved");
    let n: i64 = app.store.conn().query_row("SELECT count(*) FROM inquiries", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 0);
}

#[test]
fn pasted_text_becomes_one_clean_line() {
    assert_eq!(pasted_line("a\r\nb\n\nc\td"), "a b c d");
    assert_eq!(pasted_line("\u{1b}]52;c;ZXZpbA==\u{7}ok"), "]52;c;ZXZpbA==ok");
    assert_eq!(pasted_line("\u{1112}\u{1169}\u{11BC}"), "홍");
    assert_eq!(pasted_line("end\n"), "end");
}

/// The built binary with bracketed paste: a pasted `x` on Today (no-show) is not a key press.
#[test]
fn a_bracketed_paste_in_the_terminal_marks_no_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    let appt = {
        let (app, appt) = today_app(&dir);
        drop(app);
        appt
    };
    let mut pty = common::pty::Pty::spawn(
        env!("CARGO_BIN_EXE_frontdesk"),
        &["--db", db.to_str().unwrap(), "--lang", "en"],
        100,
        30,
        &[("FRONTDESK_STAFF", "desk1")],
    );
    pty.wait_for("홍길동", 15);
    pty.send("\u{1b}[200~x\u{1b}[201~");
    pty.wait_for("Paste goes into a text field only", 5);
    pty.send("q");
    assert!(pty.wait_exit(10).success());
    let store = open(&db);
    assert_eq!(get_appointment(store.conn(), appt).unwrap().status, AppointmentStatus::Booked);
}
