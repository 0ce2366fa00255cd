//! Shared write paths: patients, appointments, callbacks.

mod common;

use chrono::NaiveDate;
use frontdesk::domain::CallbackKind;
use frontdesk::store::StoreError;
use frontdesk::store::appointments::{NewAppointment, insert_appointment, overlapping};
use frontdesk::store::callbacks::{NewCallback, open_callback};
use frontdesk::store::patients::{NewPatient, find_by_phone, get_patient, insert_patient};

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

#[test]
fn patients_get_sequential_chart_numbers_and_clean_fields() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = common::open(&dir.path().join("c.db"));
    let (a, b) = store
        .write(|tx| {
            let a = insert_patient(
                tx,
                &NewPatient {
                    name: " \u{1112}\u{1169}\u{11BC}길동 ".into(),
                    phone: "01012345678".into(),
                    ..Default::default()
                },
            )?;
            let b = insert_patient(tx, &NewPatient { name: "Emily Park".into(), ..Default::default() })?;
            Ok((a, b))
        })
        .unwrap();
    let pa = get_patient(store.conn(), a).unwrap();
    assert_eq!(pa.name, "홍길동", "NFC and trimmed");
    assert_eq!(pa.phone, "010-1234-5678");
    assert_eq!(pa.chart_no, "000001");
    assert_eq!(get_patient(store.conn(), b).unwrap().chart_no, "000002");
    let initials: String =
        store.conn().query_row("SELECT name_initials FROM patients WHERE id=?1", [a], |r| r.get(0)).unwrap();
    assert_eq!(initials, "ㅎㄱㄷ");
    assert_eq!(find_by_phone(store.conn(), "010-1234-5678").unwrap()[0].id, a);
    let audited: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM audit_log WHERE entity='patient' AND patient_id=?1", [a], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(audited, 1);
}

#[test]
fn a_bad_patient_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = common::open(&dir.path().join("c.db"));
    let err = store
        .write(|tx| {
            insert_patient(tx, &NewPatient { name: "김철".into(), ..Default::default() })?;
            insert_patient(
                tx,
                &NewPatient { name: "이영희".into(), phone: "12345".into(), ..Default::default() },
            )
        })
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
    let n: i64 = store.conn().query_row("SELECT count(*) FROM patients", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 0, "the whole transaction rolled back");
    let e = store
        .write(|tx| insert_patient(tx, &NewPatient { name: "  ".into(), ..Default::default() }))
        .unwrap_err();
    assert!(e.to_string().contains("name"));
}

#[test]
fn one_open_callback_per_patient_and_kind_merges_to_the_earlier_date() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = common::open(&dir.path().join("c.db"));
    let ids = store
        .write(|tx| {
            let p = insert_patient(tx, &NewPatient { name: "박민수".into(), ..Default::default() })?;
            let a = open_callback(tx, &NewCallback::new(p, CallbackKind::Prospect, day(25)))?;
            let mut second = NewCallback::new(p, CallbackKind::Prospect, day(24));
            second.note = "가격 문의".into();
            let b = open_callback(tx, &second)?;
            let c = open_callback(tx, &NewCallback::new(p, CallbackKind::NoShow, day(23)))?;
            Ok((a, b, c))
        })
        .unwrap();
    assert_eq!(ids.0, ids.1, "merged into the open one");
    assert_ne!(ids.0, ids.2, "another kind is another item");
    let (due, note): (String, String) = store
        .conn()
        .query_row("SELECT due_on, note FROM callbacks WHERE id=?1", [ids.0], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert_eq!((due.as_str(), note.as_str()), ("2026-11-24", "가격 문의"));
}

#[test]
fn overlapping_appointments_of_the_same_patient_are_found() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = common::open(&dir.path().join("c.db"));
    let at = |h, m| day(23).and_hms_opt(h, m, 0).unwrap();
    let p = store
        .write(|tx| {
            let p = insert_patient(tx, &NewPatient { name: "최지우".into(), ..Default::default() })?;
            insert_appointment(
                tx,
                &NewAppointment {
                    patient_id: p,
                    start: at(10, 0),
                    duration_min: 30,
                    provider_id: None,
                    treatment_code: None,
                },
            )?;
            Ok(p)
        })
        .unwrap();
    assert_eq!(overlapping(store.conn(), p, at(10, 15), 30, None).unwrap().len(), 1);
    assert_eq!(overlapping(store.conn(), p, at(9, 31), 30, None).unwrap().len(), 1);
    assert!(overlapping(store.conn(), p, at(10, 30), 30, None).unwrap().is_empty(), "back to back is fine");
    assert!(overlapping(store.conn(), p, at(9, 30), 30, None).unwrap().is_empty());
}
