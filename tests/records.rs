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

fn register(store: &mut frontdesk::store::Store, chart_no: &str, name: &str) -> Result<i64, StoreError> {
    store.write(|tx| {
        insert_patient(tx, &NewPatient { chart_no: chart_no.into(), name: name.into(), ..Default::default() })
    })
}

fn chart_of(store: &frontdesk::store::Store, id: i64) -> String {
    get_patient(store.conn(), id).unwrap().chart_no
}

#[test]
fn new_chart_numbers_go_on_past_999999_and_never_collide() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = common::open(&dir.path().join("c.db"));
    register(&mut store, "999998", "Ann Lee").unwrap();
    register(&mut store, "A-77", "Bob Kim").unwrap(); // another system's number: not counted
    let a = register(&mut store, "", "Cho Han").unwrap();
    assert_eq!(chart_of(&store, a), "999999");
    let b = register(&mut store, "", "Dan Oh").unwrap();
    assert_eq!(chart_of(&store, b), "1000000", "past 999999: seven digits");
    let c = register(&mut store, "", "Eve Yoo").unwrap();
    assert_eq!(chart_of(&store, c), "1000001");
    // A longer number typed by hand (from another system, zero-padded) moves the count on.
    register(&mut store, "0012345678", "Fay Ko").unwrap();
    let d = register(&mut store, "", "Gus Na").unwrap();
    assert_eq!(chart_of(&store, d), "12345679");
    // Numbers of any length.
    register(&mut store, "99999999999999999999999", "Hal Jo").unwrap();
    let e = register(&mut store, "", "Ida Mo").unwrap();
    assert_eq!(chart_of(&store, e), "100000000000000000000000");
    // The largest number is read from the end of an index, not by reading every patient.
    let plan: Vec<String> = store
        .conn()
        .prepare(
            "EXPLAIN QUERY PLAN SELECT chart_key FROM patients WHERE chart_key NOT GLOB '*[^0-9]*'
             ORDER BY length(chart_key) DESC, chart_key DESC LIMIT 1",
        )
        .unwrap()
        .query_map([], |r| r.get::<_, String>(3))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(plan.iter().any(|d| d.contains("patients_by_chart_number")), "{plan:?}");
    assert!(!plan.iter().any(|d| d.contains("TEMP B-TREE")), "{plan:?}");
}

#[test]
fn the_first_chart_number_of_a_new_clinic_is_000001() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = common::open(&dir.path().join("c.db"));
    let a = register(&mut store, "", "Ann Lee").unwrap();
    assert_eq!(chart_of(&store, a), "000001");
}

#[test]
fn chart_numbers_compare_on_their_canonical_form() {
    use frontdesk::store::patients::{find_by_chart_no, search_patients};
    let dir = tempfile::tempdir().unwrap();
    let mut store = common::open(&dir.path().join("c.db"));
    let a = register(&mut store, "000918", "Ann Lee").unwrap();
    for same in
        ["918", "0918", "000918", "0000918", "000\u{200b}918", "\u{feff}918", "９１８", " 918\u{200d}"]
    {
        let err = register(&mut store, same, "Someone Else").unwrap_err().to_string();
        assert!(err.contains("already taken"), "{same:?}: {err}");
        assert_eq!(find_by_chart_no(store.conn(), same).unwrap().map(|p| p.id), Some(a), "{same:?}");
    }
    let err = register(&mut store, "0918", "Someone Else").unwrap_err().to_string();
    assert!(err.contains("000918"), "names the number it collides with: {err}");
    // Letters: case does not make another chart.
    register(&mut store, "ab-12", "Bob Kim").unwrap();
    assert!(register(&mut store, "AB-12", "Someone Else").is_err());
    // The database refuses it too, whatever writes it.
    let raw = store.conn().execute(
        "INSERT INTO patients (chart_no, name, created_at) VALUES ('00918', 'X', '2026-11-23T09:00:00')",
        [],
    );
    assert!(raw.is_err(), "the unique index on the canonical form");
    // Searching the number as typed finds the patient.
    assert_eq!(search_patients(store.conn(), "918", 10).unwrap()[0].id, a);
    let n: i64 = store.conn().query_row("SELECT count(*) FROM patients", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 2);
}

#[test]
fn invisible_and_control_characters_never_reach_the_database() {
    use frontdesk::domain::import::CsvKind;
    use frontdesk::store::csv_io;
    let dir = tempfile::tempdir().unwrap();
    let mut store = common::open(&dir.path().join("c.db"));
    let id = store
        .write(|tx| {
            insert_patient(
                tx,
                &NewPatient {
                    chart_no: "\u{feff}00\u{200b}0042\u{202e}".into(),
                    name: "\u{200b}홍\u{200c}길동\u{ad}\u{7}".into(),
                    phone: "010\u{200d}-1234-5678\u{200e}".into(),
                    ..Default::default()
                },
            )
        })
        .unwrap();
    let p = get_patient(store.conn(), id).unwrap();
    assert_eq!(
        (p.chart_no.as_str(), p.name.as_str(), p.phone.as_str()),
        ("000042", "홍길동", "010-1234-5678")
    );

    // The same through a CSV import, notes keeping their line breaks.
    let csv = "chart_no,name,phone,birth_date,sex,first_visit,referral_source,referrer_chart_no,tags,note\n\
               \u{200b}000043,\"Jane\u{2060} Roe\u{feff}\",010-2222-3333\u{200f},,,,,,,\"first line\u{200b}\r\nsecond\u{1b} line\"\n";
    csv_io::import(&mut store, CsvKind::Patients, "p.csv", csv, false, common::fixed_now()).unwrap();
    let (chart, name, phone): (String, String, String) = store
        .conn()
        .query_row("SELECT chart_no, name, phone FROM patients WHERE chart_key = '43'", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    assert_eq!((chart.as_str(), name.as_str(), phone.as_str()), ("000043", "Jane Roe", "010-2222-3333"));
    let note: String = store.conn().query_row("SELECT body FROM notes", [], |r| r.get(0)).unwrap();
    assert_eq!(note, "first line\nsecond line");
    // A chart number with a zero-width space is the same number, not a new patient.
    let dup = "chart_no,name,phone,birth_date,sex,first_visit,referral_source,referrer_chart_no,tags,note\n\
               0000\u{200b}42,Someone Else,,,,,,,,\n";
    let err = csv_io::import(&mut store, CsvKind::Patients, "p.csv", dup, false, common::fixed_now());
    let skipped_or_refused = match err {
        Ok(n) => n == 0,
        Err(e) => e.to_string().contains("already"),
    };
    assert!(skipped_or_refused);
    let n: i64 = store.conn().query_row("SELECT count(*) FROM patients", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 2);
}
