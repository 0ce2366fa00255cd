//! End to end: the built binary in a pseudo-terminal runs a morning at the desk - a patient
//! arrives, is seen, and leaves with the next visit booked through the form.

mod common;

use chrono::{Duration, NaiveTime};
use common::pty::Pty;
use frontdesk::domain::{AppointmentStatus, Role, Sex};
use frontdesk::store::appointments::{NewAppointment, get_appointment, insert_appointment, next_booking};
use frontdesk::store::patients::{NewPatient, insert_patient};
use frontdesk::store::settings::add_staff;

const BIN: &str = env!("CARGO_BIN_EXE_frontdesk");

#[test]
fn arrive_done_book_the_next_visit_and_quit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.db");
    // The binary runs on the tests' fixed clock (FRONTDESK_NOW), so the fixture day is its today.
    let today = common::fixed_now().date();
    let start = today.and_time(NaiveTime::from_hms_opt(9, 0, 0).unwrap());
    let (patient, appt, director) = {
        let mut store = common::open(&path);
        store
            .write(|tx| {
                let director = add_staff(tx, "김원장", Role::Director)?;
                let patient = insert_patient(
                    tx,
                    &NewPatient {
                        name: "홍길동".into(),
                        phone: "010-1234-5678".into(),
                        sex: Some(Sex::M),
                        ..Default::default()
                    },
                )?;
                let appt = insert_appointment(
                    tx,
                    &NewAppointment {
                        patient_id: patient,
                        start,
                        duration_min: 30,
                        provider_id: Some(director),
                        treatment_code: Some("chuna".into()),
                    },
                )?;
                Ok((patient, appt, director))
            })
            .unwrap()
    };
    let db = path.to_str().unwrap();
    let mut pty = Pty::spawn(
        BIN,
        &["--db", db, "--lang", "en"],
        100,
        30,
        &[("FRONTDESK_STAFF", "desk1"), ("LANG", "en_US.UTF-8")],
    );
    pty.wait_for("000001", 15);
    pty.wait_for("Booked 1", 5);
    pty.send("a");
    pty.wait_for("Arrived 1", 5);
    pty.send("d");
    // The payment step comes first; Esc skips it.
    pty.wait_for("Payment - 홍길동", 5);
    pty.key("Esc");
    pty.wait_for("Book it now?", 5);
    pty.send("y");
    pty.wait_for("Book - 홍길동 (000001)", 5);
    // The date is prefilled (chuna: every 7 days); the caret waits in the time field.
    pty.send("1030");
    pty.key("Ctrl-S");
    pty.wait_for("Booked: 홍길동", 5);
    pty.send("q");
    let status = pty.wait_exit(10);
    assert!(status.success(), "exit status {status:?}");

    let store = common::open(&path);
    assert_eq!(get_appointment(store.conn(), appt).unwrap().status, AppointmentStatus::Done);
    let next =
        next_booking(store.conn(), patient, start).unwrap().expect("the next visit is in the database");
    assert_eq!(next.start, (today + Duration::days(7)).and_time(NaiveTime::from_hms_opt(10, 30, 0).unwrap()));
    assert_eq!(next.provider_id, Some(director));
    assert_eq!(next.treatment_code.as_deref(), Some("chuna"));
}

/// Keys: `d`, `490만원`, Tab, `2` (비급여), Ctrl-S, `y`, `1030`, Ctrl-S, `q`.
#[test]
fn done_payment_then_the_next_visit_in_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.db");
    let today = common::fixed_now().date();
    let start = today.and_time(NaiveTime::from_hms_opt(9, 0, 0).unwrap());
    let (patient, appt, director) = {
        let mut store = common::open(&path);
        store
            .write(|tx| {
                let director = add_staff(tx, "김원장", Role::Director)?;
                let patient = insert_patient(
                    tx,
                    &NewPatient {
                        name: "홍길동".into(),
                        phone: "010-1234-5678".into(),
                        sex: Some(Sex::M),
                        ..Default::default()
                    },
                )?;
                let appt = insert_appointment(
                    tx,
                    &NewAppointment {
                        patient_id: patient,
                        start,
                        duration_min: 30,
                        provider_id: Some(director),
                        treatment_code: Some("chuna".into()),
                    },
                )?;
                Ok((patient, appt, director))
            })
            .unwrap()
    };
    let db = path.to_str().unwrap();
    let mut pty = Pty::spawn(
        BIN,
        &["--db", db, "--lang", "en"],
        80,
        24,
        &[("FRONTDESK_STAFF", "desk1"), ("LANG", "en_US.UTF-8")],
    );
    pty.wait_for("Booked 1", 15);
    pty.send("d");
    pty.wait_for("Payment - 홍길동", 5);
    pty.send("490만원");
    pty.key("Tab");
    pty.send("2");
    pty.key("Ctrl-S");
    pty.wait_for("Book it now?", 5);
    pty.send("y");
    pty.wait_for("Book - 홍길동 (000001)", 5);
    pty.send("1030");
    pty.key("Ctrl-S");
    pty.wait_for("Booked: 홍길동", 5);
    pty.send("q");
    let status = pty.wait_exit(10);
    assert!(status.success(), "exit status {status:?}");

    let store = common::open(&path);
    assert_eq!(get_appointment(store.conn(), appt).unwrap().status, AppointmentStatus::Done);
    let paid = frontdesk::store::payments::for_appointment(store.conn(), appt).unwrap();
    assert_eq!(paid.len(), 1);
    assert_eq!(paid[0].amount_krw, 4_900_000);
    assert_eq!(paid[0].category.code(), "non_covered");
    assert_eq!(paid[0].provider_id, Some(director));
    assert_eq!(paid[0].treatment_code.as_deref(), Some("chuna"));
    let next = next_booking(store.conn(), patient, start).unwrap().expect("the next visit is booked");
    assert_eq!(next.start, (today + Duration::days(7)).and_time(NaiveTime::from_hms_opt(10, 30, 0).unwrap()));
}
