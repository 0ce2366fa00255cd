//! Logging contacts: closing outcomes and their effect on consult_success and
//! callback_on_time, follow-ups, closed items.

use super::*;

#[test]
fn closing_outcomes_move_consult_success_and_callback_on_time() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_set_up(&dir.path().join("c.db"));
    let month = Period::new(day(1), day(23));
    let names = ["가", "나", "다", "라"];
    let mut ids = Vec::new();
    for (i, n) in names.iter().enumerate() {
        let p = patient(&mut store, &format!("상담{n}"), &format!("010-8888-000{i}"));
        // Consulted on the 10th, recall on the 20th.
        consultation(
            &mut store,
            p,
            at(2026, 11, 10, 10 + i as u32, 0),
            ConsultationStatus::Undecided,
            Some(day(20)),
        );
        ids.push(
            open_queue(store.conn(), today())
                .unwrap()
                .into_iter()
                .find(|c| c.patient_id == Some(p))
                .unwrap()
                .id,
        );
    }
    let metric = |s: &Store, m: Metric| metrics::value(s.conn(), &m, None, month.from, month.to).unwrap();
    assert_eq!(metric(&store, Metric::ConsultSuccess), Some(0.0), "0 of 4 accepted");
    assert_eq!(metric(&store, Metric::CallbackOnTime), Some(0.0), "0 of 4 called");

    // 가: reached on the 19th (before the due date), accepted.
    store
        .write(|tx| {
            log_contact(
                tx,
                &contact(ids[0], at(2026, 11, 19, 10, 0), true, NextStep::Close(CallbackOutcome::Accepted)),
            )
        })
        .unwrap();
    // 나: reached on the 20th (on the due date), declined.
    store
        .write(|tx| {
            log_contact(
                tx,
                &contact(ids[1], at(2026, 11, 20, 18, 0), true, NextStep::Close(CallbackOutcome::Declined)),
            )
        })
        .unwrap();
    // 다: first called on the 21st (late), booked.
    store
        .write(|tx| {
            log_contact(
                tx,
                &contact(ids[2], at(2026, 11, 21, 9, 0), true, NextStep::Close(CallbackOutcome::Booked)),
            )
        })
        .unwrap();
    // 라: not called at all.
    assert_eq!(
        metric(&store, Metric::ConsultSuccess),
        Some(0.25),
        "1 of 4: accepted only; booked is not a decision"
    );
    let statuses: Vec<ConsultationStatus> =
        ["상담가", "상담나", "상담다"].iter().map(|n| status_of(&store, n)).collect();
    assert_eq!(
        statuses,
        [ConsultationStatus::Accepted, ConsultationStatus::Declined, ConsultationStatus::Undecided]
    );
    assert_eq!(metric(&store, Metric::CallbackOnTime), Some(0.5), "2 of 4: 가 and 나 on or before the 20th");
    // Conversion: prospects closed this month 3 (가 accepted, 나 declined, 다 booked) -> 2/3.
    let counters = callbacks::counters(store.conn(), today()).unwrap();
    assert_eq!((counters.conversion.numerator, counters.conversion.denominator), (2, 3));
    assert_eq!((counters.overdue, counters.due_today, counters.done_today), (1, 0, 0));
    assert_eq!(
        (counters.on_time.numerator, counters.on_time.denominator),
        (2, 4),
        "the on-time counter is callback_on_time this month through yesterday"
    );
}

fn status_of(store: &Store, name: &str) -> ConsultationStatus {
    let s: String = store
        .conn()
        .query_row(
            "SELECT k.status FROM consultations k JOIN patients p ON p.id = k.patient_id WHERE p.name = ?1",
            [name],
            |r| r.get(0),
        )
        .unwrap();
    ConsultationStatus::parse(&s).unwrap()
}

#[test]
fn follow_up_moves_the_date_and_closed_items_refuse_more_contacts() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_set_up(&dir.path().join("c.db"));
    let p = patient(&mut store, "재통화", "010-9999-0001");
    let id =
        store.write(|tx| open_callback(tx, &NewCallback::new(p, CallbackKind::Recall, day(23)))).unwrap();
    store.write(|tx| log_contact(tx, &contact(id, fixed_now(), false, NextStep::FollowUp(day(26))))).unwrap();
    let item = callbacks::get_item(store.conn(), id).unwrap();
    assert_eq!((item.due_on, item.attempts, item.open), (day(26), 1, true));
    let past =
        store.write(|tx| log_contact(tx, &contact(id, fixed_now(), true, NextStep::FollowUp(day(20)))));
    assert!(past.is_err(), "a next date in the past is refused");
    store
        .write(|tx| {
            log_contact(tx, &contact(id, fixed_now(), false, NextStep::Close(CallbackOutcome::Unreachable)))
        })
        .unwrap();
    let again = store
        .write(|tx| log_contact(tx, &contact(id, fixed_now(), true, NextStep::Close(CallbackOutcome::Done))));
    assert!(again.unwrap_err().to_string().contains("closed"));
    let accepted_on_recall =
        store.write(|tx| open_callback(tx, &NewCallback::new(p, CallbackKind::Recall, day(30)))).unwrap();
    let wrong = store.write(|tx| {
        log_contact(
            tx,
            &contact(accepted_on_recall, fixed_now(), true, NextStep::Close(CallbackOutcome::Accepted)),
        )
    });
    assert!(wrong.is_err(), "a recall has no consultation to accept");
    let history = callbacks::for_patient(store.conn(), p).unwrap();
    assert_eq!(history.len(), 2);
    assert!(history[0].item.open, "open first");
    assert_eq!(history[1].contacts.len(), 2);
    assert_eq!(history[1].item.outcome, Some(CallbackOutcome::Unreachable));
}
