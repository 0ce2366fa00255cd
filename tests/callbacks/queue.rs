//! The queue's order and merging, and the automatic rules: prospects on their recall
//! date, no-show calls, happy calls, reminders, withdrawn reminders, a read-only store.

use super::*;

#[test]
fn the_queue_is_overdue_then_today_then_upcoming_by_date_then_kind_and_merges() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_set_up(&dir.path().join("c.db"));
    let a = patient(&mut store, "김가람", "010-1111-0001");
    let b = patient(&mut store, "이나래", "010-1111-0002");
    let c = patient(&mut store, "박다솜", "010-1111-0003");
    store
        .write(|tx| {
            open_callback(tx, &NewCallback::new(a, CallbackKind::Recall, day(25)))?;
            open_callback(tx, &NewCallback::new(b, CallbackKind::Recall, day(23)))?;
            open_callback(tx, &NewCallback::new(c, CallbackKind::Prospect, day(23)))?;
            open_callback(tx, &NewCallback::new(b, CallbackKind::NoShow, day(20)))?;
            open_callback(tx, &NewCallback::new(c, CallbackKind::HappyCall, day(21)))?;
            // A second prospect for 박다솜 merges into the open one, keeping the earlier date.
            open_callback(tx, &NewCallback::new(c, CallbackKind::Prospect, day(28)))?;
            Ok(())
        })
        .unwrap();
    assert_eq!(
        kinds_in_queue(&store),
        vec![
            ("이나래".to_string(), CallbackKind::NoShow, day(20)),
            ("박다솜".to_string(), CallbackKind::HappyCall, day(21)),
            ("박다솜".to_string(), CallbackKind::Prospect, day(23)),
            ("이나래".to_string(), CallbackKind::Recall, day(23)),
            ("김가람".to_string(), CallbackKind::Recall, day(25)),
        ]
    );
    let counters = callbacks::counters(store.conn(), today()).unwrap();
    assert_eq!((counters.overdue, counters.due_today), (2, 2));
}

#[test]
fn an_undecided_consultation_puts_a_prospect_in_the_queue_on_its_recall_date() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_set_up(&dir.path().join("c.db"));
    let p = patient(&mut store, "최보람", "010-2222-0001");
    let q = patient(&mut store, "정해솔", "010-2222-0002");
    let k =
        consultation(&mut store, p, at(2026, 11, 20, 15, 0), ConsultationStatus::Undecided, Some(day(27)));
    consultation(&mut store, q, at(2026, 11, 20, 16, 0), ConsultationStatus::Accepted, None);
    let queue = open_queue(store.conn(), today()).unwrap();
    assert_eq!(queue.len(), 1, "an accepted consultation needs no callback");
    let item = &queue[0];
    assert_eq!((item.patient_id, item.kind, item.due_on), (Some(p), CallbackKind::Prospect, day(27)));
    assert_eq!(item.consultation_id, Some(k));
    assert_eq!(item.treatment_code.as_deref(), Some("chuna"));
    assert_eq!((item.quoted_krw, item.offered_krw), (Some(4_900_000), Some(4_000_000)));
    assert_eq!(item.circumstances, "가족과 상의 후 결정");
    // Undecided without a recall date is refused, and nothing is written.
    let err = store
        .write(|tx| {
            record_consultation(
                tx,
                &NewConsultation {
                    patient_id: q,
                    consulted_at: fixed_now(),
                    treatment_code: None,
                    quoted_krw: None,
                    offered_krw: None,
                    status: ConsultationStatus::Undecided,
                    recall_on: None,
                    circumstances: String::new(),
                    reaction: String::new(),
                    owner_id: None,
                },
            )
        })
        .unwrap_err();
    assert!(err.to_string().contains("recall date"), "{err}");
    assert_eq!(consultations::for_patient(store.conn(), q).unwrap().len(), 1);
}

#[test]
fn a_no_show_callback_opened_by_today_shows_in_the_queue() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let mut store = open_set_up(&path);
    let p = patient(&mut store, "한결", "010-3333-0001");
    let appt = appointment(&mut store, p, at(2026, 11, 23, 9, 0), "acupuncture");
    set_status(&mut store, appt, "no_show");
    store
        .write(|tx| {
            let mut c = NewCallback::new(p, CallbackKind::NoShow, today());
            c.appointment_id = Some(appt);
            open_callback(tx, &c)
        })
        .unwrap();
    drop(store);
    let app = App::new(open_set_up(&path), options(Lang::En, TabId::Callbacks)).unwrap();
    let items = app.tabs.callbacks.visible_items();
    assert_eq!(items.len(), 1);
    assert_eq!((items[0].kind, items[0].due_on), (CallbackKind::NoShow, today()));
    assert_eq!(items[0].treatment_code.as_deref(), Some("acupuncture"));
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("No-show    2026-11-23 000001 한결"), "{screen}");
}

#[test]
fn happy_call_treatments_get_a_call_the_next_day_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_set_up(&dir.path().join("c.db"));
    let chuna = patient(&mut store, "추나환자", "010-4444-0001");
    let needle = patient(&mut store, "침환자", "010-4444-0002");
    let today_visit = patient(&mut store, "오늘환자", "010-4444-0003");
    let v1 = appointment(&mut store, chuna, at(2026, 11, 22, 10, 0), "chuna");
    let v2 = appointment(&mut store, needle, at(2026, 11, 22, 11, 0), "acupuncture");
    let v3 = appointment(&mut store, today_visit, at(2026, 11, 23, 9, 0), "pharmacopuncture");
    let booked = appointment(&mut store, today_visit, at(2026, 11, 22, 14, 0), "chuna");
    for v in [v1, v2, v3] {
        set_status(&mut store, v, "done");
    }
    let _ = booked; // still `booked`: not a visit, no happy call
    assert_eq!(generate_automatic(&mut store, today()).unwrap(), 2);
    let mut queue = kinds_in_queue(&store);
    queue.sort();
    assert_eq!(
        queue,
        vec![
            ("오늘환자".to_string(), CallbackKind::HappyCall, day(24)),
            ("추나환자".to_string(), CallbackKind::HappyCall, day(23)),
        ],
        "acupuncture is not a happy-call treatment"
    );
    // Repeated reloads make nothing new and write nothing.
    let audit_rows = |s: &Store| -> i64 {
        s.conn().query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0)).unwrap()
    };
    let before = audit_rows(&store);
    assert_eq!(generate_automatic(&mut store, today()).unwrap(), 0);
    assert_eq!(audit_rows(&store), before);
    // Closing the call does not bring it back.
    let id = open_queue(store.conn(), today())
        .unwrap()
        .into_iter()
        .find(|c| c.patient_id == Some(chuna))
        .unwrap()
        .id;
    store
        .write(|tx| log_contact(tx, &contact(id, fixed_now(), true, NextStep::Close(CallbackOutcome::Done))))
        .unwrap();
    assert_eq!(generate_automatic(&mut store, today()).unwrap(), 0);
    assert_eq!(kinds_in_queue(&store).len(), 1);
}

#[test]
fn tomorrows_unconfirmed_appointments_get_a_reminder_today_and_confirmed_ones_do_not() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_set_up(&dir.path().join("c.db"));
    let a = patient(&mut store, "내일환자", "010-5555-0001");
    let b = patient(&mut store, "확인환자", "010-5555-0002");
    let c = patient(&mut store, "모레환자", "010-5555-0003");
    let first = appointment(&mut store, a, at(2026, 11, 24, 10, 0), "acupuncture");
    let _second = appointment(&mut store, a, at(2026, 11, 24, 15, 0), "cupping");
    let confirmed = appointment(&mut store, b, at(2026, 11, 24, 11, 0), "acupuncture");
    store
        .write(|tx| {
            tx.execute(
                "UPDATE appointments SET confirmed_at = '2026-11-22T10:00:00' WHERE id = ?1",
                [confirmed],
            )?;
            Ok(())
        })
        .unwrap();
    appointment(&mut store, c, at(2026, 11, 25, 10, 0), "acupuncture");
    let plan = plan_automatic(store.conn(), today()).unwrap();
    assert_eq!(
        plan.reminders,
        vec![(a, first, day(24))],
        "one reminder per patient; confirmed and later days none"
    );
    assert_eq!(generate_automatic(&mut store, today()).unwrap(), 1);
    assert_eq!(kinds_in_queue(&store), vec![("내일환자".to_string(), CallbackKind::Reminder, day(23))]);
    assert_eq!(generate_automatic(&mut store, today()).unwrap(), 0, "idempotent");
    assert_eq!(kinds_in_queue(&store).len(), 1);

    // Reached and confirmed: the reminder closes and the appointment is confirmed.
    let id = open_queue(store.conn(), today()).unwrap()[0].id;
    store
        .write(|tx| log_contact(tx, &contact(id, fixed_now(), true, NextStep::Close(CallbackOutcome::Done))))
        .unwrap();
    let confirmed_at: Option<String> = store
        .conn()
        .query_row("SELECT confirmed_at FROM appointments WHERE id = ?1", [first], |r| r.get(0))
        .unwrap();
    assert_eq!(confirmed_at.as_deref(), Some("2026-11-23T09:20:00"));
    assert_eq!(
        generate_automatic(&mut store, today()).unwrap(),
        1,
        "the 15:00 visit still wants its reminder"
    );
}

#[test]
fn a_reminder_whose_appointment_was_cancelled_or_confirmed_elsewhere_is_withdrawn() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_set_up(&dir.path().join("c.db"));
    let a = patient(&mut store, "취소환자", "010-6666-0001");
    let appt = appointment(&mut store, a, at(2026, 11, 24, 10, 0), "acupuncture");
    generate_automatic(&mut store, today()).unwrap();
    assert_eq!(kinds_in_queue(&store).len(), 1);
    set_status(&mut store, appt, "cancelled");
    assert_eq!(generate_automatic(&mut store, today()).unwrap(), 1);
    assert!(kinds_in_queue(&store).is_empty());
    let n: i64 = store.conn().query_row("SELECT count(*) FROM callbacks", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 0, "nobody had called: the reminder is withdrawn, not counted as missed");
}

#[test]
fn a_read_only_store_generates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let mut store = open_set_up(&path);
    let a = patient(&mut store, "읽기환자", "010-7777-0001");
    appointment(&mut store, a, at(2026, 11, 24, 10, 0), "acupuncture");
    drop(store);
    let mut ro = Store::open(&path, Access::ReadOnly, Actor::named("viewer")).unwrap();
    assert_eq!(generate_automatic(&mut ro, today()).unwrap(), 0);
    let app = App::new(ro, options(Lang::Ko, TabId::Callbacks)).unwrap();
    assert!(app.tabs.callbacks.visible_items().is_empty());
}
