//! Booking from Today: a new patient, a phone on file, double bookings, the clinic day,
//! moving an appointment.

use super::*;

#[test]
fn booking_a_new_patient_validates_and_keeps_what_was_typed() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _) = fixture_app(&dir, Lang::Ko);
    key(&mut app, KeyCode::Char('n'));
    assert!(app.booking.is_some());
    typed(&mut app, "정하나");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "12345");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "1990-02-30");
    ctrl(&mut app, 's');
    let b = app.booking.as_ref().expect("the form stays open");
    assert_eq!(b.form.text("name"), "정하나", "nothing typed is lost");
    assert!(b.form.get("phone").error.is_some());
    assert!(b.form.get("birth").error.is_some());
    assert!(b.form.get("time").error.is_some(), "the time is required");
    let screen = text(&render(&app, 80, 24));
    assert!(screen.contains("전화번호 형식이 아닙니다"), "{screen}");
    // Fix them: 031 area code, a real date, a time; saves a new patient and the booking.
    let b = app.booking.as_mut().unwrap();
    b.form.get_mut("phone").set_value("031-987-6543");
    b.form.get_mut("birth").set_value("1990-02-28");
    b.form.get_mut("time").set_value("15:00");
    ctrl(&mut app, 's');
    assert!(app.booking.is_none());
    let found = search_patients(app.store.conn(), "정하나", 5).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].phone, "031-987-6543");
    assert_eq!(found[0].birth_date, NaiveDate::from_ymd_opt(1990, 2, 28));
    let row = app.tabs.today.rows.iter().find(|r| r.patient_id == found[0].id).expect("on today's list");
    assert_eq!(row.start.time(), hm(15, 0));
    assert!(row.first_visit);
}

#[test]
fn a_phone_on_file_offers_the_existing_patient() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = fixture_app(&dir, Lang::En);
    let before: i64 = app.store.conn().query_row("SELECT count(*) FROM patients", [], |r| r.get(0)).unwrap();
    key(&mut app, KeyCode::Char('n'));
    typed(&mut app, "Hong G.");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "01012345678");
    let b = app.booking.as_ref().unwrap();
    assert_eq!(b.duplicate.as_ref().map(|p| p.id), Some(fx.hong));
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("This number belongs to 홍길동 (000001)"), "{screen}");
    let b = app.booking.as_mut().unwrap();
    b.form.get_mut("date").set_value("2026-11-24");
    b.form.get_mut("time").set_value("11:00");
    ctrl(&mut app, 's');
    assert!(app.booking.is_none());
    let after: i64 = app.store.conn().query_row("SELECT count(*) FROM patients", [], |r| r.get(0)).unwrap();
    assert_eq!(after, before, "no twin registered");
    let next = appointments::next_booking(app.store.conn(), fx.hong, day(23).and_time(hm(12, 0))).unwrap();
    assert_eq!(next.unwrap().start, day(24).and_time(hm(11, 0)));
}

#[test]
fn double_booking_warns_and_books_on_the_second_save() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = fixture_app(&dir, Lang::En);
    app.open_booking(frontdesk::app::BookingRequest {
        patient_id: Some(fx.hong),
        date: Some(day(23)),
        ..Default::default()
    });
    typed(&mut app, "0915");
    ctrl(&mut app, 's');
    let b = app.booking.as_ref().expect("warned, still open");
    assert!(b.form.message.as_deref().unwrap_or("").contains("Overlaps"), "{:?}", b.form.message);
    let count = |app: &App| -> i64 {
        app.store
            .conn()
            .query_row("SELECT count(*) FROM appointments WHERE patient_id = ?1", [fx.hong], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(count(&app), 2);
    ctrl(&mut app, 's');
    assert!(app.booking.is_none());
    assert_eq!(count(&app), 3);
}

#[test]
fn a_booking_outside_the_clinic_day_warns_in_the_form_and_a_changed_booking_warns_again() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = fixture_app(&dir, Lang::En);
    let count = |app: &App| -> i64 {
        app.store
            .conn()
            .query_row("SELECT count(*) FROM appointments WHERE patient_id = ?1", [fx.hong], |r| r.get(0))
            .unwrap()
    };
    let before = count(&app);
    // Sunday 22:30.
    app.open_booking(frontdesk::app::BookingRequest {
        patient_id: Some(fx.hong),
        date: NaiveDate::from_ymd_opt(2026, 11, 29),
        ..Default::default()
    });
    typed(&mut app, "2230");
    ctrl(&mut app, 's');
    let msg = app.booking.as_ref().expect("warned, still open").form.message.clone().unwrap_or_default();
    assert!(msg.contains("closed on Sundays") && msg.contains("Save again"), "{msg}");
    // Another time is another booking: it warns again instead of booking.
    app.booking.as_mut().unwrap().form.get_mut("time").set_value("13:30");
    app.booking.as_mut().unwrap().form.get_mut("date").set_value("2026-11-30");
    ctrl(&mut app, 's');
    let msg = app.booking.as_ref().expect("warned again").form.message.clone().unwrap_or_default();
    assert!(msg.contains("lunch break (13:00-14:00)"), "{msg}");
    assert_eq!(count(&app), before, "nothing booked yet");
    // The same booking saved again: the exception is booked.
    ctrl(&mut app, 's');
    assert!(app.booking.is_none());
    assert_eq!(count(&app), before + 1);
}

#[test]
fn moving_an_appointment_changes_its_time() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = fixture_app(&dir, Lang::En);
    select(&mut app, fx.appts[3]);
    app.on_command(Command::Move);
    let b = app.booking.as_mut().unwrap();
    assert_eq!(b.form.get("time").value, "10:30");
    b.form.get_mut("time").set_value("16:30");
    ctrl(&mut app, 's');
    assert!(app.booking.is_none());
    assert_eq!(get_appointment(app.store.conn(), fx.appts[3]).unwrap().start, day(23).and_time(hm(16, 30)));
    assert_eq!(app.tabs.today.rows.last().unwrap().id, fx.appts[3], "the list is in time order");
}
