//! `patients.first_visit_on` (the day of a patient's first done visit, which "new patients"
//! is counted from) stays exact through every way a visit becomes done or stops being the
//! first: done, undo, moving a done visit, cancelling, imports. Each step checks the column
//! against the day worked out by hand, against the definition recomputed from the
//! appointments, and the numbers read from it; `frontdesk check` stays clean throughout.

mod common;

use chrono::NaiveDate;
use frontdesk::domain::import::CsvKind;
use frontdesk::domain::okr::Metric;
use frontdesk::domain::{AppointmentStatus, Period};
use frontdesk::store::appointments::{self, NewAppointment};
use frontdesk::store::patients::{NewPatient, insert_patient};
use frontdesk::store::{Store, csv_io, maintenance, metrics, reports};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn patient(store: &mut Store, name: &str, source: &str) -> i64 {
    let p = NewPatient {
        chart_no: String::new(),
        name: name.into(),
        phone: String::new(),
        birth_date: None,
        sex: None,
        referral_source: Some(source.into()),
        referral_channel: None,
        referrer_id: None,
    };
    store.write(|tx| insert_patient(tx, &p)).unwrap()
}

fn book(store: &mut Store, patient_id: i64, d: NaiveDate, hour: u32) -> i64 {
    let a = NewAppointment {
        patient_id,
        start: d.and_hms_opt(hour, 0, 0).unwrap(),
        duration_min: 30,
        provider_id: None,
        treatment_code: None,
    };
    store.write(|tx| appointments::insert_appointment(tx, &a)).unwrap()
}

fn set(store: &mut Store, id: i64, to: AppointmentStatus) {
    store.write(|tx| appointments::set_status(tx, id, to)).unwrap();
}

fn stored(store: &Store, patient_id: i64) -> Option<String> {
    store
        .conn()
        .query_row("SELECT first_visit_on FROM patients WHERE id = ?1", [patient_id], |r| r.get(0))
        .unwrap()
}

/// The definition, straight from the appointments.
fn recomputed(store: &Store, patient_id: i64) -> Option<String> {
    store
        .conn()
        .query_row(
            "SELECT substr(min(start), 1, 10) FROM appointments WHERE patient_id = ?1 AND status = 'done'",
            [patient_id],
            |r| r.get(0),
        )
        .unwrap()
}

/// Asserts the stored day, that it matches the definition for every patient, and that the
/// tamper check is clean.
#[track_caller]
fn expect(store: &Store, patient_id: i64, want: Option<&str>) {
    assert_eq!(stored(store, patient_id).as_deref(), want, "first_visit_on of patient {patient_id}");
    let ids: Vec<i64> = store
        .conn()
        .prepare("SELECT id FROM patients")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for id in ids {
        assert_eq!(stored(store, id), recomputed(store, id), "patient {id} out of step");
    }
    assert_eq!(common::derived_out_of_step(store.conn()), Vec::<String>::new());
    let check = maintenance::check(store).unwrap();
    assert!(check.ok, "check: {:?}", check.lines);
}

fn new_patients(store: &Store, metric: &Metric, from: NaiveDate, to: NaiveDate) -> f64 {
    metrics::value(store.conn(), metric, None, from, to).unwrap().unwrap()
}

#[test]
fn first_visit_follows_every_write() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = common::open(&dir.path().join("clinic.db"));
    let a = patient(&mut store, "김첫방", "referral");
    let b = patient(&mut store, "이간판", "signboard");
    expect(&store, a, None);

    // Booked and arrived are not visits yet.
    let nov10 = book(&mut store, a, day(2026, 11, 10), 10);
    set(&mut store, nov10, AppointmentStatus::Arrived);
    expect(&store, a, None);

    // Done: the first visit.
    set(&mut store, nov10, AppointmentStatus::Done);
    expect(&store, a, Some("2026-11-10"));

    // A later done visit changes nothing.
    let nov20 = book(&mut store, a, day(2026, 11, 20), 11);
    set(&mut store, nov20, AppointmentStatus::Done);
    expect(&store, a, Some("2026-11-10"));

    // Undoing the first one's done leaves the later one first.
    store.write(|tx| appointments::undo_last_status(tx, nov10)).unwrap();
    expect(&store, a, Some("2026-11-20"));
    set(&mut store, nov10, AppointmentStatus::Done);
    expect(&store, a, Some("2026-11-10"));

    // Moving a done visit earlier than the first makes it the first; moving it back, not.
    let moved = |d: NaiveDate| NewAppointment {
        patient_id: a,
        start: d.and_hms_opt(11, 0, 0).unwrap(),
        duration_min: 30,
        provider_id: None,
        treatment_code: None,
    };
    store.write(|tx| appointments::update_appointment(tx, nov20, &moved(day(2026, 10, 28)))).unwrap();
    expect(&store, a, Some("2026-10-28"));
    store.write(|tx| appointments::update_appointment(tx, nov20, &moved(day(2026, 11, 21)))).unwrap();
    expect(&store, a, Some("2026-11-10"));

    // An earlier visit cancelled (booked or arrived) is no visit; nor is a no-show.
    let oct1 = book(&mut store, a, day(2026, 10, 1), 9);
    set(&mut store, oct1, AppointmentStatus::Arrived);
    set(&mut store, oct1, AppointmentStatus::Cancelled);
    let oct2 = book(&mut store, a, day(2026, 10, 2), 9);
    store.write(|tx| frontdesk::desk::appointments::mark_no_show_in(tx, oct2)).unwrap();
    expect(&store, a, Some("2026-11-10"));

    // B: done and undone back to booked is no visit.
    let b1 = book(&mut store, b, day(2026, 11, 12), 14);
    set(&mut store, b1, AppointmentStatus::Done);
    expect(&store, b, Some("2026-11-12"));
    store.write(|tx| appointments::undo_last_status(tx, b1)).unwrap();
    expect(&store, b, None);
    set(&mut store, b1, AppointmentStatus::Done);
    expect(&store, b, Some("2026-11-12"));

    // Import: a patient with the first visit from another system, and an earlier done visit
    // of A imported as history.
    let header = CsvKind::Patients.header().join(",");
    let patients_csv = format!("{header}\n900001,박이관,,,,2020-03-02,referral,,,\n");
    csv_io::import(&mut store, CsvKind::Patients, "p.csv", &patients_csv, false, common::fixed_now())
        .unwrap();
    let c: i64 = store
        .conn()
        .query_row("SELECT id FROM patients WHERE chart_no = '900001'", [], |r| r.get(0))
        .unwrap();
    expect(&store, c, Some("2020-03-02"));
    let chart_a: String =
        store.conn().query_row("SELECT chart_no FROM patients WHERE id = ?1", [a], |r| r.get(0)).unwrap();
    let header = CsvKind::Appointments.header().join(",");
    let appts_csv = format!(
        "{header}\n{chart_a},2025-06-03 10:00,30,,,done,2025-06-01 10:00\n{chart_a},2024-01-05 10:00,30,,,cancelled,2024-01-01 10:00\n"
    );
    csv_io::import(&mut store, CsvKind::Appointments, "a.csv", &appts_csv, false, common::fixed_now())
        .unwrap();
    expect(&store, a, Some("2025-06-03"));

    // The numbers read from the column. November 2026: only B is new (A came first in 2025,
    // C in 2020); B is a signboard patient, so no referral.
    let nov = (day(2026, 11, 1), day(2026, 11, 30));
    assert_eq!(new_patients(&store, &Metric::NewPatients, nov.0, nov.1), 1.0);
    assert_eq!(new_patients(&store, &Metric::Referrals, nov.0, nov.1), 0.0);
    // June 2025: A, a referral.
    let june = (day(2025, 6, 1), day(2025, 6, 30));
    assert_eq!(new_patients(&store, &Metric::NewPatients, june.0, june.1), 1.0);
    assert_eq!(new_patients(&store, &Metric::Referrals, june.0, june.1), 1.0);
    // A period ending the day before B's first visit: nobody new.
    assert_eq!(new_patients(&store, &Metric::NewPatients, day(2026, 11, 1), day(2026, 11, 11)), 0.0);
    assert_eq!(new_patients(&store, &Metric::NewPatients, day(2026, 11, 12), day(2026, 11, 12)), 1.0);

    let rows = reports::referrals(store.conn(), &Period::new(day(2025, 6, 1), day(2026, 11, 30))).unwrap();
    let count = |month: &str, source: &str| {
        rows.iter().find(|r| r.month == month && r.source == source).map(|r| r.new_patients).unwrap_or(0)
    };
    assert_eq!(count("2025-06", "referral"), 1);
    assert_eq!(count("2026-11", "signboard"), 1);
    assert_eq!(count("2026-11", "referral"), 0);
    assert_eq!(rows.iter().map(|r| r.new_patients).sum::<i64>(), 2, "C's first visit is before the period");

    let daily = reports::daily(store.conn(), &Period::new(day(2026, 11, 1), day(2026, 11, 30))).unwrap();
    let new_on: Vec<(NaiveDate, i64)> =
        daily.iter().filter(|d| d.new_patients > 0).map(|d| (d.date, d.new_patients)).collect();
    assert_eq!(new_on, vec![(day(2026, 11, 12), 1)]);
}

/// One appointment as raw SQL, so `booked_at` can be set: the triggers are what is tested, and
/// they must hold for every write path (the sqlite3 shell included).
fn raw(
    store: &mut Store,
    patient_id: i64,
    start: &str,
    status: &str,
    booked_at: &str,
    treatment: Option<&str>,
) -> i64 {
    store
        .write(|tx| {
            tx.execute(
                "INSERT INTO appointments (patient_id, start, duration_min, status, booked_at, updated_at, treatment_code)
                 VALUES (?1, ?2, 30, ?3, ?4, ?4, ?5)",
                rusqlite::params![patient_id, start, status, booked_at, treatment],
            )?;
            Ok(tx.last_insert_rowid())
        })
        .unwrap()
}

fn exec(store: &mut Store, sql: &str, id: i64) {
    store
        .write(|tx| {
            tx.execute(sql, [id])?;
            Ok(())
        })
        .unwrap();
}

fn rebooked(store: &Store, id: i64) -> bool {
    store.conn().query_row("SELECT rebooked FROM appointments WHERE id = ?1", [id], |r| r.get(0)).unwrap()
}

/// (first visit day, last visit day, distinct visit days, done visits per treatment)
type VisitSummary = (Option<String>, Option<String>, i64, Vec<(String, i64)>);

fn visit_summary(store: &Store, patient_id: i64) -> VisitSummary {
    let conn = store.conn();
    let (first, last, days) = conn
        .query_row(
            "SELECT first_visit_on, last_visit_on, visit_days FROM patients WHERE id = ?1",
            [patient_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    let treatments = conn
        .prepare(
            "SELECT treatment_code, done_visits FROM patient_treatments WHERE patient_id = ?1 ORDER BY 1",
        )
        .unwrap()
        .query_map([patient_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    (first, last, days, treatments)
}

#[test]
fn rebooked_and_the_visit_summary_follow_every_write() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = common::open(&dir.path().join("clinic.db"));
    let a = patient(&mut store, "김예약", "referral");
    let b = patient(&mut store, "이다른", "signboard");
    let in_step = |store: &Store| {
        assert_eq!(common::derived_out_of_step(store.conn()), Vec::<String>::new());
        assert!(maintenance::check(store).unwrap().ok, "tamper check");
    };

    // Nov 2, done, acupuncture twice on one day and chuna once.
    let v1 = raw(&mut store, a, "2026-11-02T10:00", "done", "2026-10-30T09:00:00", Some("acupuncture"));
    let v1b = raw(&mut store, a, "2026-11-02T15:00", "done", "2026-10-30T09:00:00", Some("chuna"));
    assert_eq!(
        visit_summary(&store, a),
        (
            Some("2026-11-02".into()),
            Some("2026-11-02".into()),
            1,
            vec![("acupuncture".into(), 1), ("chuna".into(), 1)]
        )
    );
    // v1 is followed by v1b (later the same day, booked before): rebooked; v1b by nothing.
    assert!(rebooked(&store, v1));
    assert!(!rebooked(&store, v1b));
    in_step(&store);

    // The next visit booked at the desk on Nov 2 (before the end of v1b's day): rebooked.
    let v2 = raw(&mut store, a, "2026-11-09T10:00", "booked", "2026-11-02T15:40:00", Some("acupuncture"));
    assert!(rebooked(&store, v1b));
    // Booked the day after: it does not count for Nov 2... (a second patient's booking never does)
    raw(&mut store, b, "2026-11-10T10:00", "booked", "2026-11-02T11:00:00", None);
    // ...cancelled, Nov 2 no longer ended with a booking.
    exec(&mut store, "UPDATE appointments SET status = 'cancelled' WHERE id = ?1", v2);
    assert!(!rebooked(&store, v1b));
    in_step(&store);
    exec(&mut store, "UPDATE appointments SET status = 'booked' WHERE id = ?1", v2);
    assert!(rebooked(&store, v1b));
    // Booked the next morning instead: not rebooked.
    exec(&mut store, "UPDATE appointments SET booked_at = '2026-11-03T09:00:00' WHERE id = ?1", v2);
    assert!(!rebooked(&store, v1b));
    exec(&mut store, "UPDATE appointments SET booked_at = '2026-11-02T18:00:00' WHERE id = ?1", v2);
    assert!(rebooked(&store, v1b));
    // Moved to another patient: A's Nov 2 loses it.
    exec(&mut store, &format!("UPDATE appointments SET patient_id = {b} WHERE id = ?1"), v2);
    assert!(!rebooked(&store, v1b));
    in_step(&store);
    exec(&mut store, &format!("UPDATE appointments SET patient_id = {a} WHERE id = ?1"), v2);
    assert!(rebooked(&store, v1b));

    // v2 done: two visit days; moved before Nov 2 it is the first, and v1b is then followed
    // by nothing later.
    exec(&mut store, "UPDATE appointments SET status = 'done' WHERE id = ?1", v2);
    assert_eq!(
        visit_summary(&store, a),
        (
            Some("2026-11-02".into()),
            Some("2026-11-09".into()),
            2,
            vec![("acupuncture".into(), 2), ("chuna".into(), 1)]
        )
    );
    exec(&mut store, "UPDATE appointments SET start = '2026-11-01T10:00' WHERE id = ?1", v2);
    assert_eq!(visit_summary(&store, a).0.as_deref(), Some("2026-11-01"));
    assert!(!rebooked(&store, v1b));
    in_step(&store);
    exec(&mut store, "UPDATE appointments SET start = '2026-11-09T10:00' WHERE id = ?1", v2);

    // A treatment changed and a visit deleted.
    exec(&mut store, "UPDATE appointments SET treatment_code = 'chuna' WHERE id = ?1", v2);
    assert_eq!(visit_summary(&store, a).3, vec![("acupuncture".into(), 1), ("chuna".into(), 2)]);
    exec(&mut store, "DELETE FROM appointments WHERE id = ?1", v2);
    assert_eq!(
        visit_summary(&store, a),
        (
            Some("2026-11-02".into()),
            Some("2026-11-02".into()),
            1,
            vec![("acupuncture".into(), 1), ("chuna".into(), 1)]
        )
    );
    assert!(!rebooked(&store, v1b));
    exec(&mut store, "DELETE FROM appointments WHERE id = ?1", v1b);
    exec(&mut store, "DELETE FROM appointments WHERE id = ?1", v1);
    assert_eq!(visit_summary(&store, a), (None, None, 0, vec![]));
    in_step(&store);

    // The booking rate reads the flag: Nov 2-3, two done visits, one rebooked (the morning
    // one is followed by the afternoon one booked days before) = 1/2.
    raw(&mut store, a, "2026-11-02T10:00", "done", "2026-10-30T09:00:00", None);
    raw(&mut store, a, "2026-11-02T15:00", "done", "2026-10-30T09:00:00", None);
    let rate =
        metrics::value(store.conn(), &Metric::BookingRate, None, day(2026, 11, 2), day(2026, 11, 3)).unwrap();
    assert_eq!(rate, Some(0.5));
    in_step(&store);
}
