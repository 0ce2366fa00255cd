//! The Callbacks tab: consultations, the queue's order and merging, the automatic rules,
//! logging contacts and their effect on consult_success and callback_on_time, screens.

mod common;
#[path = "callbacks/contacts.rs"]
mod contacts;
#[path = "callbacks/long_queue.rs"]
mod long_queue;
#[path = "callbacks/queue.rs"]
mod queue;
#[path = "callbacks/tab.rs"]
mod tab;

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
