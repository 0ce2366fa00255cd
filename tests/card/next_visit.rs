//! The next visit from the card: cancel with its reason then rebook and undo, under the
//! write lock, move, and on another day.

use super::*;

#[test]
fn cancel_the_next_visit_asks_the_reason_then_rebook_and_u_on_the_card_undoes_it() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = app(&dir, Lang::En);
    open_card(&mut app, "홍길");
    // Esc on the reason form: nothing changes, the card stays.
    ch(&mut app, 'c');
    assert!(screen(&app).contains("Cancel - 홍길동"), "{}", screen(&app));
    key(&mut app, KeyCode::Esc);
    assert!(app.card.is_some());
    ch(&mut app, 'c');
    ch(&mut app, '1');
    key(&mut app, KeyCode::Esc);
    assert_eq!(status(&app, fx.next), AppointmentStatus::Booked, "Esc after picking a reason");
    // The reason saved: cancelled, then "rebook now?"; Esc is not now.
    ch(&mut app, 'c');
    ch(&mut app, '1');
    ctrl(&mut app, 's');
    assert_eq!(status(&app, fx.next), AppointmentStatus::Cancelled);
    assert!(screen(&app).contains("Rebook now?"), "{}", screen(&app));
    key(&mut app, KeyCode::Esc);
    assert!(notice(&app).contains("(u undoes, here or on Today)"), "{}", notice(&app));
    assert!(screen(&app).contains("No next visit booked (b books)"), "the card follows:\n{}", screen(&app));
    // u on the card: booked again.
    ch(&mut app, 'u');
    assert_eq!(status(&app, fx.next), AppointmentStatus::Booked);
    assert!(screen(&app).contains("Next visit 2026-11-25 10:00"), "{}", screen(&app));
    // Cancel again and say yes to rebooking: the booking opens with the patient.
    ch(&mut app, 'c');
    ch(&mut app, '1');
    ctrl(&mut app, 's');
    ch(&mut app, 'y');
    let b = app.booking.as_ref().expect("rebook opens the booking");
    assert_eq!(b.request.patient_id, Some(fx.hong));
    assert_eq!(status(&app, fx.next), AppointmentStatus::Cancelled);
    // Today's u takes that one back (the card is closed under the booking).
    key(&mut app, KeyCode::Esc);
    assert!(app.booking.is_none());
    frontdesk::desk::appointments::undo(&mut app.store, fx.next).unwrap();
    assert_eq!(status(&app, fx.next), AppointmentStatus::Booked);
}

#[test]
fn cancel_while_another_terminal_holds_the_lock_keeps_the_reason_and_saves_after() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = app(&dir, Lang::En);
    open_card(&mut app, "홍길");
    ch(&mut app, 'c');
    ch(&mut app, '2');
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "출장");
    let lock = hold_lock(&dir);
    ctrl(&mut app, 's');
    assert_eq!(status(&app, fx.next), AppointmentStatus::Booked, "nothing written");
    assert!(screen(&app).contains("출장"), "the reason stays as typed:\n{}", screen(&app));
    drop(lock);
    ctrl(&mut app, 's');
    assert_eq!(status(&app, fx.next), AppointmentStatus::Cancelled);
    let note: String = app
        .store
        .conn()
        .query_row(
            "SELECT note FROM appointment_status_changes WHERE appointment_id = ?1 ORDER BY id DESC LIMIT 1",
            [fx.next],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(note, "출장");
}

#[test]
fn move_opens_the_booking_in_move_mode_for_the_next_visit() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = app(&dir, Lang::En);
    open_card(&mut app, "홍길");
    ch(&mut app, 'm');
    let b = app.booking.as_mut().expect("m opens the booking");
    assert_eq!(b.request.appointment_id, Some(fx.next));
    assert_eq!(b.form.get("time").value, "10:00");
    // Esc on the untouched form: nothing moves.
    key(&mut app, KeyCode::Esc);
    assert!(app.booking.is_none());
    assert_eq!(get_appointment(app.store.conn(), fx.next).unwrap().start, at_day(25, 10, 0));
    open_card(&mut app, "홍길");
    ch(&mut app, 'm');
    app.booking.as_mut().unwrap().form.get_mut("time").set_value("14:30");
    ctrl(&mut app, 's');
    assert!(app.booking.is_none(), "{:?}", app.booking.as_ref().map(|b| b.form.message.clone()));
    let a = get_appointment(app.store.conn(), fx.next).unwrap();
    assert_eq!((a.start, a.status), (at_day(25, 14, 30), AppointmentStatus::Booked), "the same visit, moved");
}

#[test]
fn on_another_day_the_next_visit_is_the_one_still_ahead() {
    // After 11-25: no next visit; m and c say so and change nothing.
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = app_at(&dir, Lang::En, at_day(26, 9, 0));
    open_card(&mut app, "홍길");
    assert!(screen(&app).contains("No next visit booked (b books)"), "{}", screen(&app));
    ch(&mut app, 'c');
    assert!(notice(&app).contains("No next visit booked"), "{}", notice(&app));
    ch(&mut app, 'm');
    assert!(app.booking.is_none());
    assert_eq!(status(&app, fx.next), AppointmentStatus::Booked);

    // On the day itself, after its time (late, still booked): it is still the next visit,
    // and it can be cancelled.
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = app_at(&dir, Lang::En, at_day(25, 11, 0));
    open_card(&mut app, "홍길");
    assert!(screen(&app).contains("Next visit 2026-11-25 10:00"), "{}", screen(&app));
    ch(&mut app, 'c');
    ch(&mut app, '1');
    ctrl(&mut app, 's');
    assert_eq!(status(&app, fx.next), AppointmentStatus::Cancelled);
    key(&mut app, KeyCode::Esc);
    ch(&mut app, 'u');
    assert_eq!(status(&app, fx.next), AppointmentStatus::Booked);
}
