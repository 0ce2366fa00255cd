//! Running the day: status changes and their undo, the no-show callback, the next visit
//! offered after done, the usual interval.

use super::*;

#[test]
fn each_status_change_and_its_undo_in_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = fixture_app(&dir, Lang::En);
    let hong = fx.appts[0];
    select(&mut app, hong);
    app.on_command(Command::Arrived);
    assert_eq!(status_of(&app, hong), AppointmentStatus::Arrived);
    app.on_command(Command::Undo);
    assert_eq!(status_of(&app, hong), AppointmentStatus::Booked);
    app.on_command(Command::Cancel);
    // The reason (the first on the list), saved; then "rebook now?" - not now.
    key(&mut app, KeyCode::Char('1'));
    ctrl(&mut app, 's');
    key(&mut app, KeyCode::Char('n'));
    assert_eq!(status_of(&app, hong), AppointmentStatus::Cancelled);
    app.on_command(Command::Undo);
    assert_eq!(status_of(&app, hong), AppointmentStatus::Booked);
    // Nothing left to undo: the status stays.
    app.on_command(Command::Undo);
    assert_eq!(status_of(&app, hong), AppointmentStatus::Booked);
    // A refused change leaves the status and says why.
    select(&mut app, fx.appts[1]);
    app.on_command(Command::NoShow);
    assert_eq!(status_of(&app, fx.appts[1]), AppointmentStatus::Arrived);
    assert!(matches!(&app.notice, Some(frontdesk::app::Notice::Error(m)) if m.contains("cannot be marked")));
    // Done, then undone twice: back through arrived to booked; each change recorded then removed.
    app.on_command(Command::Done);
    key(&mut app, KeyCode::Esc); // no payment taken at the desk now
    key(&mut app, KeyCode::Char('n')); // not booking the next visit now
    assert_eq!(status_of(&app, fx.appts[1]), AppointmentStatus::Done);
    let changes = |app: &App, id: i64| -> i64 {
        app.store
            .conn()
            .query_row(
                "SELECT count(*) FROM appointment_status_changes WHERE appointment_id = ?1",
                [id],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert_eq!(changes(&app, fx.appts[1]), 2);
    app.on_command(Command::Undo);
    assert_eq!(status_of(&app, fx.appts[1]), AppointmentStatus::Arrived);
    app.on_command(Command::Undo);
    assert_eq!(status_of(&app, fx.appts[1]), AppointmentStatus::Booked);
    assert_eq!(changes(&app, fx.appts[1]), 0);
    // Confirmed: the reminder call was answered.
    app.on_command(Command::Confirm);
    assert!(get_appointment(app.store.conn(), fx.appts[1]).unwrap().confirmed_at.is_some());
}

#[test]
fn no_show_opens_a_callback_due_the_same_day_and_undo_withdraws_it() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = fixture_app(&dir, Lang::Ko);
    select(&mut app, fx.appts[2]);
    app.on_command(Command::NoShow);
    // The reason, then yes.
    key(&mut app, KeyCode::Char('1'));
    ctrl(&mut app, 's');
    key(&mut app, KeyCode::Char('y'));
    assert_eq!(status_of(&app, fx.appts[2]), AppointmentStatus::NoShow);
    let open = |app: &App| -> Vec<(String, Option<i64>)> {
        let mut stmt = app
            .store
            .conn()
            .prepare("SELECT due_on, appointment_id FROM callbacks WHERE patient_id = ?1 AND kind = 'no_show' AND status = 'open'")
            .unwrap();
        stmt.query_map([fx.namgung], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
    };
    assert_eq!(open(&app), vec![("2026-11-23".to_string(), Some(fx.appts[2]))]);
    // The row now shows the callback flag.
    let row = app.tabs.today.rows.iter().find(|r| r.id == fx.appts[2]).unwrap();
    assert!(row.callback_due);
    app.on_command(Command::Undo);
    assert_eq!(status_of(&app, fx.appts[2]), AppointmentStatus::Booked);
    assert!(open(&app).is_empty(), "the callback opened by the no-show goes with it");
}

#[test]
fn done_without_a_next_visit_opens_the_booking_prefilled() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = fixture_app(&dir, Lang::En);
    // 홍길동, chuna with 김원장: chuna's interval is 7 days -> 2026-11-30.
    select(&mut app, fx.appts[0]);
    app.on_command(Command::Done);
    key(&mut app, KeyCode::Esc); // the payment step, skipped
    assert!(app.tabs.today.prompt.is_some());
    let screen = text(&render(&app, 80, 24));
    assert!(screen.contains("Book it now?"), "{screen}");
    key(&mut app, KeyCode::Char('y'));
    let b = app.booking.as_ref().expect("booking form open");
    assert_eq!(b.request.patient_id, Some(fx.hong));
    assert_eq!(b.form.picked("provider"), Some(fx.director_kim.to_string()));
    assert_eq!(b.form.picked("treatment").as_deref(), Some("chuna"));
    assert_eq!(b.form.date("date"), Some(day(30)));
    // Type the time and save: the next visit is booked.
    typed(&mut app, "1000");
    ctrl(&mut app, 's');
    assert!(app.booking.is_none(), "{:?}", app.booking.as_ref().map(|b| b.form.message.clone()));
    let next =
        appointments::next_booking(app.store.conn(), fx.hong, day(23).and_time(hm(9, 0))).unwrap().unwrap();
    assert_eq!(next.start, day(30).and_time(hm(10, 0)));
    assert_eq!(next.provider_id, Some(fx.director_kim));
    assert_eq!(next.treatment_code.as_deref(), Some("chuna"));
    assert_eq!(next.duration_min, 30, "chuna's usual length");
}

#[test]
fn done_with_the_next_visit_already_booked_does_not_ask() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = fixture_app(&dir, Lang::En);
    app.store
        .write(|tx| {
            insert_appointment(
                tx,
                &NewAppointment {
                    patient_id: fx.kim,
                    start: day(27).and_time(hm(9, 30)),
                    duration_min: 20,
                    provider_id: None,
                    treatment_code: None,
                },
            )
        })
        .unwrap();
    select(&mut app, fx.appts[1]);
    app.on_command(Command::Done);
    key(&mut app, KeyCode::Esc); // the payment step, skipped
    assert!(app.tabs.today.prompt.is_none());
    assert!(matches!(&app.notice, Some(frontdesk::app::Notice::Info(m)) if m.contains("11-27 09:30")));
}

#[test]
fn the_usual_interval_falls_back_to_the_median_gap_of_done_visits() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir.path().join("c.db"));
    let pid = store
        .write(|tx| {
            let pid = insert_patient(tx, &patient("박하늘", "010-4444-1111", None, Sex::F, None))?;
            // Done visits on the 1st, 5th, 15th and 19th: gaps 4, 10, 4 -> median 4.
            for d in [1, 5, 15, 19] {
                let id = insert_appointment(
                    tx,
                    &NewAppointment {
                        patient_id: pid,
                        start: day(d).and_time(hm(9, 0)),
                        duration_min: 30,
                        provider_id: None,
                        treatment_code: None,
                    },
                )?;
                appointments::set_status(tx, id, AppointmentStatus::Done)?;
            }
            Ok(pid)
        })
        .unwrap();
    assert_eq!(appointments::usual_interval(store.conn(), pid, None).unwrap(), 4);
    assert_eq!(appointments::usual_interval(store.conn(), pid, Some("chuna")).unwrap(), 7);
}
