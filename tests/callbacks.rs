//! The Callbacks tab: consultations, the queue's order and merging, the automatic rules,
//! logging contacts and their effect on consult_success and callback_on_time, screens.

mod common;

use chrono::{NaiveDate, NaiveDateTime};
use common::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use frontdesk::app::keymap::Command;
use frontdesk::app::tabs::Tab;
use frontdesk::app::{App, TabId};
use frontdesk::desk::callbacks::{generate_automatic, record_consultation_in as record_consultation};
use frontdesk::domain::callbacks::{CallbackOutcome, ContactChannel};
use frontdesk::domain::okr::Metric;
use frontdesk::domain::{CallbackKind, ConsultationStatus, Lang, Period};
use frontdesk::store::appointments::{NewAppointment, insert_appointment};
use frontdesk::store::callbacks::{
    self, NewCallback, NewContact, NextStep, log_contact, open_callback, open_queue, plan_automatic,
};
use frontdesk::store::consultations::{self, NewConsultation};
use frontdesk::store::metrics;
use frontdesk::store::patients::{NewPatient, insert_patient};
use frontdesk::store::{Access, Actor, Store};

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

fn today() -> NaiveDate {
    fixed_now().date()
}

fn patient(store: &mut Store, name: &str, phone: &str) -> i64 {
    store
        .write(|tx| {
            insert_patient(tx, &NewPatient { name: name.into(), phone: phone.into(), ..Default::default() })
        })
        .unwrap()
}

fn appointment(store: &mut Store, patient_id: i64, start: NaiveDateTime, treatment: &str) -> i64 {
    store
        .write(|tx| {
            insert_appointment(
                tx,
                &NewAppointment {
                    patient_id,
                    start,
                    duration_min: 30,
                    provider_id: None,
                    treatment_code: Some(treatment.into()),
                },
            )
        })
        .unwrap()
}

/// Fixture-only status change (the Today screen owns the real one).
fn set_status(store: &mut Store, appointment_id: i64, status: &str) {
    store
        .write(|tx| {
            tx.execute(
                "UPDATE appointments SET status = ?2 WHERE id = ?1",
                rusqlite::params![appointment_id, status],
            )?;
            Ok(())
        })
        .unwrap();
}

fn consultation(
    store: &mut Store,
    patient_id: i64,
    at: NaiveDateTime,
    status: ConsultationStatus,
    recall_on: Option<NaiveDate>,
) -> i64 {
    store
        .write(|tx| {
            record_consultation(
                tx,
                &NewConsultation {
                    patient_id,
                    consulted_at: at,
                    treatment_code: Some("chuna".into()),
                    quoted_krw: Some(4_900_000),
                    offered_krw: Some(4_000_000),
                    status,
                    recall_on,
                    circumstances: "가족과 상의 후 결정".into(),
                    reaction: "가격 부담".into(),
                    owner_id: None,
                },
            )
        })
        .unwrap()
}

fn contact(callback_id: i64, at: NaiveDateTime, reached: bool, next: NextStep) -> NewContact {
    NewContact {
        satisfaction: None,
        callback_id,
        at,
        channel: ContactChannel::Phone,
        reached,
        reaction: if reached { "다음 주에 결정".into() } else { String::new() },
        next_plan: "금요일 재통화".into(),
        next,
    }
}

fn kinds_in_queue(store: &Store) -> Vec<(String, CallbackKind, NaiveDate)> {
    open_queue(store.conn(), today()).unwrap().into_iter().map(|c| (c.name, c.kind, c.due_on)).collect()
}

fn key(c: KeyCode) -> KeyEvent {
    KeyEvent::from(c)
}

fn type_text(app: &mut App, s: &str) {
    for c in s.chars() {
        app.on_key(key(KeyCode::Char(c)));
    }
}

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

/// A small clinic for the screens: every kind, overdue / today / upcoming, one with history.
fn seeded_app(dir: &tempfile::TempDir, lang: Lang) -> App {
    let path = dir.path().join("clinic.db");
    if !path.exists() {
        let mut store = open_set_up(&path);
        let p1 = patient(&mut store, "김가람", "010-1234-0001");
        let p2 = patient(&mut store, "이나래", "010-1234-0002");
        let p3 = patient(&mut store, "남궁민수", "010-1234-0003");
        let p4 = patient(&mut store, "Emily Park", "010-1234-0004");
        let p5 = patient(&mut store, "박다솜", "010-1234-0005");
        let k = consultation(
            &mut store,
            p1,
            at(2026, 11, 16, 14, 0),
            ConsultationStatus::Undecided,
            Some(day(20)),
        );
        let _ = k;
        let prospect = open_queue(store.conn(), today()).unwrap()[0].id;
        store
            .write(|tx| {
                log_contact(
                    tx,
                    &contact(prospect, at(2026, 11, 19, 11, 0), false, NextStep::FollowUp(day(20))),
                )
            })
            .unwrap();
        let v = appointment(&mut store, p2, at(2026, 11, 22, 10, 0), "chuna");
        set_status(&mut store, v, "done");
        appointment(&mut store, p3, at(2026, 11, 24, 9, 30), "pharmacopuncture");
        let ns = appointment(&mut store, p4, at(2026, 11, 21, 16, 0), "acupuncture");
        set_status(&mut store, ns, "no_show");
        store
            .write(|tx| {
                let mut c = NewCallback::new(p4, CallbackKind::NoShow, day(21));
                c.appointment_id = Some(ns);
                open_callback(tx, &c)?;
                let mut r = NewCallback::new(p5, CallbackKind::Recall, day(30));
                r.note = "6개월 정기 점검".into();
                open_callback(tx, &r)
            })
            .unwrap();
    }
    App::new(open_set_up(&path), options(lang, TabId::Callbacks)).unwrap()
}

#[test]
fn snapshots_of_the_queue_in_both_languages_at_both_sizes() {
    let dir = tempfile::tempdir().unwrap();
    for lang in [Lang::Ko, Lang::En] {
        let app = seeded_app(&dir, lang);
        for (w, h) in [(80, 24), (120, 40)] {
            insta::assert_snapshot!(format!("queue_{}_{w}x{h}", lang.code()), text(&render(&app, w, h)));
        }
    }
}

#[test]
fn snapshots_of_the_detail_view_and_the_log_form() {
    let dir = tempfile::tempdir().unwrap();
    for lang in [Lang::Ko, Lang::En] {
        let mut app = seeded_app(&dir, lang);
        // The first row: the prospect, overdue since the 20th, with one missed call.
        app.on_command(Command::Open);
        for (w, h) in [(80, 24), (120, 40)] {
            insta::assert_snapshot!(format!("detail_{}_{w}x{h}", lang.code()), text(&render(&app, w, h)));
        }
        app.on_command(Command::LogContact);
        insta::assert_snapshot!(format!("log_form_{}_80x24", lang.code()), text(&render(&app, 80, 24)));
    }
}

#[test]
fn overdue_dates_are_red_and_todays_yellow() {
    let dir = tempfile::tempdir().unwrap();
    let app = seeded_app(&dir, Lang::En);
    let buf = render(&app, 120, 40);
    let screen = text(&buf);
    let row_of = |needle: &str| screen.lines().position(|l| l.contains(needle)).unwrap() as u16;
    // The due column starts after the border (1), the selection marker (2) and the kind
    // column (10 + 1).
    let due_x = 14;
    let theme = &frontdesk::app::theme::THEME;
    assert_eq!(buf[(due_x, row_of("김가람"))].fg, theme.off_track, "overdue prospect");
    assert_eq!(buf[(due_x, row_of("이나래"))].fg, theme.behind, "happy call due today");
    assert_ne!(buf[(due_x, row_of("박다솜"))].fg, theme.off_track, "upcoming recall");
}

#[test]
fn filters_by_kind_and_text() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = seeded_app(&dir, Lang::En);
    assert_eq!(app.tabs.callbacks.visible_items().len(), 5);
    app.on_command(Command::FilterKind);
    let kinds: Vec<CallbackKind> = app.tabs.callbacks.visible_items().iter().map(|c| c.kind).collect();
    assert_eq!(kinds, [CallbackKind::Prospect]);
    app.on_command(Command::FilterKind);
    let kinds: Vec<CallbackKind> = app.tabs.callbacks.visible_items().iter().map(|c| c.kind).collect();
    assert_eq!(kinds, [CallbackKind::Reminder]);
    for _ in 0..4 {
        app.on_command(Command::FilterKind);
    }
    assert_eq!(app.tabs.callbacks.visible_items().len(), 5, "back to all kinds");
    app.on_key(key(KeyCode::Char('/')));
    type_text(&mut app, "Emily");
    app.on_key(key(KeyCode::Enter));
    let names: Vec<&str> = app.tabs.callbacks.visible_items().iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Emily Park"]);
    app.on_key(key(KeyCode::Esc));
    assert_eq!(app.tabs.callbacks.visible_items().len(), 5);
    app.on_command(Command::FilterOwner);
    assert_eq!(app.tabs.callbacks.visible_items().len(), 5, "unassigned: all of them");
}

#[test]
fn logging_from_the_tab_the_third_miss_offers_unreachable_and_booked_opens_the_booking() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let mut store = open_set_up(&path);
    let p = patient(&mut store, "세번부재", "010-1357-0001");
    let id =
        store.write(|tx| open_callback(tx, &NewCallback::new(p, CallbackKind::Recall, day(23)))).unwrap();
    for _ in 0..2 {
        store
            .write(|tx| log_contact(tx, &contact(id, fixed_now(), false, NextStep::FollowUp(day(23)))))
            .unwrap();
    }
    drop(store);
    let mut app = App::new(open_set_up(&path), options(Lang::En, TabId::Callbacks)).unwrap();
    app.on_command(Command::LogContact);
    let form = app.tabs.callbacks.open_form().unwrap();
    assert_eq!(form.picked("next").as_deref(), Some("next"));
    // Channel: SMS; Reached: no.
    app.on_key(key(KeyCode::Char('s')));
    app.on_key(key(KeyCode::Tab));
    app.on_key(key(KeyCode::Char('n')));
    let form = app.tabs.callbacks.open_form().unwrap();
    assert_eq!(form.picked("next").as_deref(), Some("unreachable"), "the third miss offers unreachable");
    assert!(form.get("next_on").hidden);
    app.on_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    assert!(app.tabs.callbacks.open_form().is_none());
    assert!(app.tabs.callbacks.visible_items().is_empty(), "closed as unreachable");
    let check = open_set_up(&path);
    let item = callbacks::get_item(check.conn(), id).unwrap();
    assert_eq!(item.outcome, Some(CallbackOutcome::Unreachable));
    let last = callbacks::contacts(check.conn(), id).unwrap().pop().unwrap();
    assert_eq!((last.channel, last.reached), (ContactChannel::Sms, false));

    // A prospect closed as booked asks the app for the booking form.
    let mut store = check;
    consultation(&mut store, p, at(2026, 11, 20, 10, 0), ConsultationStatus::Undecided, Some(day(23)));
    drop(store);
    let mut app = App::new(open_set_up(&path), options(Lang::En, TabId::Callbacks)).unwrap();
    app.on_command(Command::LogContact);
    // channel, reached, satisfaction, reaction, plan, then the next step
    for _ in 0..5 {
        app.on_key(key(KeyCode::Tab));
    }
    app.on_key(key(KeyCode::Char('b')));
    let form = app.tabs.callbacks.open_form().unwrap();
    assert_eq!(form.picked("next").as_deref(), Some("booked"));
    // Called on the tab directly: the app turns Book into its booking overlay.
    let mut ctx_store = open_set_up(&path);
    let outcome = {
        let catalog = app.catalog.clone();
        let mut ctx = frontdesk::app::Ctx {
            store: &mut ctx_store,
            catalog: &catalog,
            lang: Lang::En,
            now: fixed_now(),
            mask: false,
            presentation: false,
        };
        app.tabs.callbacks.on_key(&KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL), &mut ctx)
    };
    match outcome {
        frontdesk::app::Outcome::Book(req) => {
            assert_eq!(req.patient_id, Some(p));
            assert_eq!(req.treatment_code.as_deref(), Some("chuna"));
            assert!(req.callback_id.is_some());
        }
        other => panic!("expected a booking request, got {other:?}"),
    }
    // "Booked" is written only with the appointment: until the booking form saves, the call is
    // logged and the prospect stays open, due today.
    let items = app.tabs.callbacks.visible_items();
    assert_eq!(items.len(), 1, "the prospect stays open until the booking is saved");
    assert_eq!((items[0].kind, items[0].due_on, items[0].attempts), (CallbackKind::Prospect, day(23), 1));
}

#[test]
fn recording_a_consultation_from_the_tab_through_the_patient_picker() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let mut store = open_set_up(&path);
    patient(&mut store, "홍길동", "010-2468-1357");
    patient(&mut store, "홍길순", "010-2468-0000");
    drop(store);
    let mut app = App::new(open_set_up(&path), options(Lang::Ko, TabId::Callbacks)).unwrap();
    app.on_key(key(KeyCode::Char('c')));
    type_text(&mut app, "1357");
    app.on_key(key(KeyCode::Enter));
    let form = app.tabs.callbacks.open_form().expect("the consultation form opens on the picked patient");
    assert!(form.title.contains("홍길동"), "{}", form.title);
    // Date (today), treatment, quoted, offered, circumstances, reaction, decision, owner (hidden), recall.
    app.on_key(key(KeyCode::Tab));
    app.on_key(key(KeyCode::Char('c'))); // chuna
    app.on_key(key(KeyCode::Tab));
    type_text(&mut app, "490만원");
    app.on_key(key(KeyCode::Tab));
    type_text(&mut app, "4,500,000");
    app.on_key(key(KeyCode::Tab));
    type_text(&mut app, "아버지와 상의");
    app.on_key(key(KeyCode::Tab));
    app.on_key(key(KeyCode::Tab));
    app.on_key(key(KeyCode::Tab));
    type_text(&mut app, "+4");
    app.on_key(key(KeyCode::Enter));
    assert!(app.tabs.callbacks.open_form().is_none(), "saved");
    let items = app.tabs.callbacks.visible_items();
    assert_eq!(items.len(), 1);
    assert_eq!((items[0].kind, items[0].due_on), (CallbackKind::Prospect, day(27)));
    assert_eq!((items[0].quoted_krw, items[0].offered_krw), (Some(4_900_000), Some(4_500_000)));
    assert_eq!(items[0].circumstances, "아버지와 상의");
}

// ---- a queue longer than the tab's window ----

/// How many open callbacks the long fixture has: more than the tab loads whole at once (the
/// rows on screen plus a margin of 100 on each side).
const LONG_QUEUE: usize = 330;

/// `LONG_QUEUE` patients `Pat 0000`.. with one open callback each, due dates spread over the
/// overdue, today and upcoming parts and kinds mixed, so the queue order is not the insertion
/// order. Pat 0000 is due last (the end of the queue).
fn long_queue_app(dir: &tempfile::TempDir) -> App {
    let path = dir.path().join("clinic.db");
    let mut store = open_set_up(&path);
    store
        .write(|tx| {
            for i in 0..LONG_QUEUE {
                let p = insert_patient(
                    tx,
                    &NewPatient {
                        name: format!("Pat {i:04}"),
                        phone: format!("010-7{:03}-{:04}", i % 1000, 3000 + i),
                        ..Default::default()
                    },
                )?;
                let offset = if i == 0 { 60 } else { (i as i64 * 37) % 41 - 20 };
                let kind = CallbackKind::ALL[i % CallbackKind::ALL.len()];
                open_callback(tx, &NewCallback::new(p, kind, today() + chrono::Duration::days(offset)))?;
            }
            Ok(())
        })
        .unwrap();
    drop(store);
    App::new(open_set_up(&path), options(Lang::En, TabId::Callbacks)).unwrap()
}

fn selected_name(app: &App) -> String {
    app.tabs.callbacks.selected_item().map(|c| c.name.clone()).unwrap_or_default()
}

#[test]
fn a_long_queue_loads_a_window_and_moving_through_it_follows_the_queue_order() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = long_queue_app(&dir);
    let queue: Vec<(i64, String)> =
        open_queue(app.store.conn(), today()).unwrap().into_iter().map(|c| (c.id, c.name)).collect();
    assert_eq!(queue.len(), LONG_QUEUE);
    let tab = &app.tabs.callbacks;
    assert_eq!(tab.shown_count(), LONG_QUEUE);
    let loaded = tab.visible_items().len();
    assert!(loaded < LONG_QUEUE, "the whole queue was loaded ({loaded} items)");
    let first_window: Vec<i64> = tab.visible_items().iter().map(|c| c.id).collect();
    let expected: Vec<i64> = queue.iter().take(loaded).map(|(id, _)| *id).collect();
    assert_eq!(first_window, expected, "the first window is the head of the queue, in order");

    // Bottom: the last item of the queue, the right count in the title.
    app.on_command(Command::Bottom);
    assert_eq!(selected_name(&app), queue[LONG_QUEUE - 1].1);
    assert_eq!(queue[LONG_QUEUE - 1].1, "Pat 0000");
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains(&format!("To call: {LONG_QUEUE} ")), "{screen}");
    assert!(screen.contains("Pat 0000"), "{screen}");
    assert!(!screen.contains(&queue[0].1), "the head is off screen:\n{screen}");

    // Back up: the first item.
    app.on_command(Command::Top);
    assert_eq!(selected_name(&app), queue[0].1);
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains(&queue[0].1), "{screen}");
    assert!(screen.contains(&format!("To call: {LONG_QUEUE} ")), "{screen}");

    // One row at a time from the top to the end and back: every row is the queue's, across
    // the window's edges.
    let mut walked = vec![app.tabs.callbacks.selected_item().unwrap().id];
    for _ in 1..LONG_QUEUE {
        app.on_command(Command::Down);
        walked.push(app.tabs.callbacks.selected_item().expect("the selected row is loaded").id);
    }
    assert_eq!(walked, queue.iter().map(|(id, _)| *id).collect::<Vec<_>>());
    app.on_command(Command::Down);
    assert_eq!(selected_name(&app), "Pat 0000", "the end stops the selection");
    let mut back = Vec::new();
    for _ in 1..LONG_QUEUE {
        app.on_command(Command::Up);
        back.push(app.tabs.callbacks.selected_item().expect("the selected row is loaded").id);
    }
    back.reverse();
    assert_eq!(back, walked[..LONG_QUEUE - 1]);

    // PageDown all the way: the last item again, and the screen shows it.
    for _ in 0..LONG_QUEUE / 10 + 1 {
        app.on_command(Command::PageDown);
        render(&app, 80, 24);
    }
    assert_eq!(selected_name(&app), "Pat 0000");
    let screen = text(&render(&app, 80, 24));
    assert!(screen.contains("Pat 0000"), "{screen}");
    // Whatever is on screen is the queue's rows just above the end, in order.
    // (The info panel under the list repeats the selected name with the phone.)
    let on_screen: Vec<&str> = screen
        .lines()
        .filter(|l| !l.contains("010-"))
        .filter_map(|l| l.find("Pat ").map(|i| &l[i..i + 8]))
        .collect();
    let tail: Vec<&str> = queue[LONG_QUEUE - on_screen.len()..].iter().map(|(_, name)| &name[..8]).collect();
    assert!(on_screen.len() > 5, "{screen}");
    assert_eq!(on_screen, tail);
}

#[test]
fn the_kind_filter_counts_the_whole_long_queue_and_keeps_the_selection() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = long_queue_app(&dir);
    let queue = open_queue(app.store.conn(), today()).unwrap();
    app.on_command(Command::Bottom);
    // Pat 0000 is a prospect (kind 0): the first kind filter keeps it selected.
    app.on_command(Command::FilterKind);
    let prospects: Vec<i64> =
        queue.iter().filter(|c| c.kind == CallbackKind::Prospect).map(|c| c.id).collect();
    assert_eq!(prospects.len(), LONG_QUEUE.div_ceil(CallbackKind::ALL.len()));
    assert_eq!(app.tabs.callbacks.shown_count(), prospects.len());
    assert_eq!(selected_name(&app), "Pat 0000");
    assert!(app.tabs.callbacks.visible_items().iter().all(|c| c.kind == CallbackKind::Prospect));
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains(&format!("To call: {}  kind (t): Prospect", prospects.len())), "{screen}");
}

#[test]
fn the_text_filter_finds_a_patient_beyond_the_first_window() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = long_queue_app(&dir);
    let in_window = |app: &App| app.tabs.callbacks.visible_items().iter().any(|c| c.name == "Pat 0000");
    assert!(!in_window(&app), "Pat 0000 is due last, far beyond the first window");
    // By name, any case.
    app.on_key(key(KeyCode::Char('/')));
    type_text(&mut app, "pat 0000");
    app.on_key(key(KeyCode::Enter));
    let names: Vec<&str> = app.tabs.callbacks.visible_items().iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Pat 0000"]);
    assert_eq!(app.tabs.callbacks.shown_count(), 1);
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("To call: 1 ") && screen.contains("/pat 0000"), "{screen}");
    // Clearing the filter keeps the selection on the same callback, now at the end.
    app.on_command(Command::Back);
    assert_eq!(app.tabs.callbacks.shown_count(), LONG_QUEUE);
    assert_eq!(selected_name(&app), "Pat 0000");
    // By the phone's digits (010-7000-3000 is Pat 0000's alone).
    app.on_command(Command::Top);
    app.on_key(key(KeyCode::Char('/')));
    type_text(&mut app, "70003000");
    app.on_key(key(KeyCode::Enter));
    let names: Vec<&str> = app.tabs.callbacks.visible_items().iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Pat 0000"]);
    // Nothing matches: the message says so (there are callbacks, just not these).
    app.on_key(key(KeyCode::Char('/')));
    type_text(&mut app, "zz");
    app.on_key(key(KeyCode::Enter));
    assert_eq!(app.tabs.callbacks.shown_count(), 0);
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("Nothing matches the filters."), "{screen}");
}

#[test]
fn queue_entries_are_in_queue_order_and_the_text_filter_reads_the_patient() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_set_up(&dir.path().join("c.db"));
    let a = patient(&mut store, "김가람", "010-5555-0001"); // chart 000001
    let b = patient(&mut store, "이나래", "010-5555-0002"); // chart 000002
    let c = patient(&mut store, "Kim Sol", "010-5555-1234"); // chart 000003
    let ids = store
        .write(|tx| {
            Ok([
                open_callback(tx, &NewCallback::new(a, CallbackKind::Recall, day(25)))?, // 0: upcoming
                open_callback(tx, &NewCallback::new(b, CallbackKind::Recall, day(23)))?, // 1: today, recall
                open_callback(tx, &NewCallback::new(c, CallbackKind::Prospect, day(23)))?, // 2: today, prospect
                open_callback(tx, &NewCallback::new(b, CallbackKind::NoShow, day(20)))?,   // 3: overdue
                open_callback(tx, &NewCallback::new(c, CallbackKind::HappyCall, day(20)))?, // 4: overdue, after no-show
                open_callback(tx, &NewCallback::new(a, CallbackKind::Prospect, day(18)))?,  // 5: closed below
            ])
        })
        .unwrap();
    store
        .write(|tx| {
            log_contact(
                tx,
                &contact(ids[5], at(2026, 11, 22, 10, 0), true, NextStep::Close(CallbackOutcome::Declined)),
            )
        })
        .unwrap();
    let entries = |q: &str| -> Vec<i64> {
        callbacks::queue_entries(store.conn(), today(), q).unwrap().iter().map(|e| e.id).collect()
    };
    // Overdue (the 20th: no-show before happy call), today (prospect before recall), upcoming;
    // the closed one is not in the queue.
    assert_eq!(entries(""), [ids[3], ids[4], ids[2], ids[1], ids[0]]);
    let first = callbacks::queue_entries(store.conn(), today(), "").unwrap()[0];
    assert_eq!((first.kind, first.due_on, first.owner_id), (CallbackKind::NoShow, day(20), None));
    // Name (any case), chart number, three or more phone digits.
    assert_eq!(entries("이나래"), [ids[3], ids[1]]);
    assert_eq!(entries(" kim "), [ids[4], ids[2]]);
    assert_eq!(entries("000001"), [ids[0]]);
    assert_eq!(entries("1234"), [ids[4], ids[2]]);
    assert_eq!(entries("55550002"), [ids[3], ids[1]]);
    assert_eq!(entries("12"), Vec::<i64>::new(), "two digits: no phone match, no chart 12");
    assert_eq!(entries("박"), Vec::<i64>::new());
    // Whole items in the order asked for; an id that does not exist is left out.
    let items = callbacks::items_by_ids(store.conn(), &[ids[0], 999_999, ids[3]]).unwrap();
    let got: Vec<(i64, &str)> = items.iter().map(|c| (c.id, c.name.as_str())).collect();
    assert_eq!(got, [(ids[0], "김가람"), (ids[3], "이나래")]);
    assert_eq!(items[1], callbacks::get_item(store.conn(), ids[3]).unwrap());
}
