//! OKR: every metric on a small hand-computed fixture, the board, `okr status` / `okr load`,
//! and the tab's screens.

mod common;

use chrono::NaiveDate;
use common::*;
use frontdesk::domain::okr::{Direction, Metric, Status};
use frontdesk::store::{Store, metrics, okr};
use rusqlite::params;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

const NOV_1: (i32, u32, u32) = (2026, 11, 1);

fn nov(d: u32) -> NaiveDate {
    day(NOV_1.0, NOV_1.1, d)
}

/// A small clinic month. Every number the tests expect is worked out from this by hand.
///
/// Patients: P1 김민수 (signboard, seen before November), P2 이영희 (referred by P1),
/// P3 박지훈 (internet), P4 최유리 (signboard).
///
/// Appointments (start, patient, status, treatment, booked_at):
///   A1  10-20 10:00 P1 done     acupuncture  10-15            before the period
///   A2  11-02 10:00 P1 done     chuna        10-20
///   A3  11-09 10:00 P1 done     acupuncture  11-02 10:40      A2's next visit, booked that day
///   A4  11-16 10:00 P1 no_show  acupuncture  11-10 09:00      booked the day after A3
///   A5  11-03 14:00 P2 done     chuna        11-01 09:00      P2's first visit
///   A6  11-08 14:00 P2 cancelled chuna       11-03 14:40      cancelled: not a rebooking
///   A7  11-09 15:00 P2 done     chuna        11-03 15:00      A5's next visit, booked that day
///   A8  11-05 11:00 P3 no_show  acupuncture  11-01 09:00
///   A9  11-06 11:00 P3 done     chuna        11-05 12:00      P3's first visit
///   A10 11-20 11:00 P3 booked   acupuncture  11-06 23:59:59   booked at the very end of A9's day
///   A11 11-25 09:00 P4 done     acupuncture  11-20 10:00      P4's first visit
///   A12 12-01 10:00 P1 done     acupuncture  11-26 10:00      after the period
pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub store: Store,
    pub manual_kr: i64,
}

fn insert_patient(store: &Store, chart: &str, name: &str, source: &str, referrer: Option<i64>) -> i64 {
    store
        .conn()
        .execute(
            "INSERT INTO patients (chart_no, name, referral_source, referrer_id, created_at)
             VALUES (?1, ?2, ?3, ?4, '2026-10-01T09:00:00')",
            params![chart, name, source, referrer],
        )
        .unwrap();
    store.conn().last_insert_rowid()
}

fn insert_appointment(
    store: &Store,
    patient: i64,
    start: &str,
    status: &str,
    treatment: &str,
    booked: &str,
) -> i64 {
    store
        .conn()
        .execute(
            "INSERT INTO appointments (patient_id, start, duration_min, treatment_code, status, booked_at, updated_at)
             VALUES (?1, ?2, 30, ?3, ?4, ?5, ?5)",
            params![patient, start, treatment, status, booked],
        )
        .unwrap();
    store.conn().last_insert_rowid()
}

pub fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir.path().join("clinic.db"));
    let c = store.conn();
    // The seeded template would add its own objectives; the tests bring theirs.
    c.execute("DELETE FROM objectives", []).unwrap();
    let p1 = insert_patient(&store, "1001", "김민수", "signboard", None);
    let p2 = insert_patient(&store, "1002", "이영희", "referral", Some(p1));
    let p3 = insert_patient(&store, "1003", "박지훈", "internet", None);
    let p4 = insert_patient(&store, "1004", "최유리", "signboard", None);
    insert_appointment(&store, p1, "2026-10-20T10:00:00", "done", "acupuncture", "2026-10-15T10:00:00");
    insert_appointment(&store, p1, "2026-11-02T10:00:00", "done", "chuna", "2026-10-20T10:30:00");
    insert_appointment(&store, p1, "2026-11-09T10:00:00", "done", "acupuncture", "2026-11-02T10:40:00");
    insert_appointment(&store, p1, "2026-11-16T10:00:00", "no_show", "acupuncture", "2026-11-10T09:00:00");
    insert_appointment(&store, p2, "2026-11-03T14:00:00", "done", "chuna", "2026-11-01T09:00:00");
    insert_appointment(&store, p2, "2026-11-08T14:00:00", "cancelled", "chuna", "2026-11-03T14:40:00");
    insert_appointment(&store, p2, "2026-11-09T15:00:00", "done", "chuna", "2026-11-03T15:00:00");
    insert_appointment(&store, p3, "2026-11-05T11:00:00", "no_show", "acupuncture", "2026-11-01T09:00:00");
    insert_appointment(&store, p3, "2026-11-06T11:00:00", "done", "chuna", "2026-11-05T12:00:00");
    insert_appointment(&store, p3, "2026-11-20T11:00:00", "booked", "acupuncture", "2026-11-06T23:59:59");
    let a11 =
        insert_appointment(&store, p4, "2026-11-25T09:00:00", "done", "acupuncture", "2026-11-20T10:00:00");
    insert_appointment(&store, p1, "2026-12-01T10:00:00", "done", "acupuncture", "2026-11-26T10:00:00");

    // Inquiries (received_at, person):
    //   I1 11-01 P3 (visited 11-06, accepted C1 11-06)
    //   I2 11-04 a caller who never became a patient
    //   I3 11-20 no patient_id, but it booked A11 (P4: visited 11-25; C2 undecided)
    //   I4 10-30 P4, before the period
    //   I5 11-10 P1 (no done visit from 11-10 to 11-30: A4 no-show, A12 after; C3 declined)
    //   I6 11-07 P2 (visited 11-09; C4 accepted but on 10-25, before the inquiry)
    let inquiry = |at: &str, caller: &str, patient: Option<i64>, appointment: Option<i64>| {
        c.execute(
            "INSERT INTO inquiries (received_at, caller_name, patient_id, appointment_id, topic_code, referral_source)
             VALUES (?1, ?2, ?3, ?4, 'chuna', 'internet')",
            params![at, caller, patient, appointment],
        )
        .unwrap();
    };
    inquiry("2026-11-01T09:30:00", "박지훈", Some(p3), None);
    inquiry("2026-11-04T10:00:00", "정수진", None, None);
    inquiry("2026-11-20T10:00:00", "최유리", None, Some(a11));
    inquiry("2026-10-30T10:00:00", "최유리", Some(p4), None);
    inquiry("2026-11-10T10:00:00", "김민수", Some(p1), None);
    inquiry("2026-11-07T10:00:00", "이영희", Some(p2), None);

    // Consultations: C1 P3 11-06 accepted, C2 P4 11-25 undecided, C3 P1 11-02 declined,
    // C4 P2 10-25 accepted (before the period).
    let consultation = |patient: i64, at: &str, status: &str| {
        c.execute(
            "INSERT INTO consultations (patient_id, consulted_at, treatment_code, status) VALUES (?1, ?2, 'chuna', ?3)",
            params![patient, at, status],
        )
        .unwrap();
    };
    consultation(p3, "2026-11-06T11:30:00", "accepted");
    consultation(p4, "2026-11-25T09:40:00", "undecided");
    consultation(p1, "2026-11-02T10:30:00", "declined");
    consultation(p2, "2026-10-25T14:30:00", "accepted");

    // Callbacks (due_on, contacts):
    //   CB1 P1 happy_call 11-03, called 11-03 15:00   on time (same day)
    //   CB2 P3 no_show    11-06, called 11-07 10:00   late
    //   CB3 P4 prospect   11-27, never called         not on time
    //   CB4 P2 recall     12-02                       after the period
    //   CB5 P2 reminder   11-08, called 11-05         on time (early)
    let callback = |patient: i64, kind: &str, due: &str, contact: Option<&str>| {
        c.execute(
            "INSERT INTO callbacks (patient_id, kind, due_on, status, created_at) VALUES (?1, ?2, ?3, 'closed', '2026-10-01T09:00:00')",
            params![patient, kind, due],
        )
        .unwrap();
        let id = c.last_insert_rowid();
        if let Some(at) = contact {
            c.execute(
                "INSERT INTO callback_contacts (callback_id, contacted_at, channel) VALUES (?1, ?2, 'phone')",
                params![id, at],
            )
            .unwrap();
        }
    };
    callback(p1, "happy_call", "2026-11-03", Some("2026-11-03T15:00:00"));
    callback(p3, "no_show", "2026-11-06", Some("2026-11-07T10:00:00"));
    callback(p4, "prospect", "2026-11-27", None);
    callback(p2, "recall", "2026-12-02", None);
    callback(p2, "reminder", "2026-11-08", Some("2026-11-05T16:00:00"));

    // Complaints: K1 P1 raised 11-10 resolved 11-15; K2 P2 raised 11-20 open;
    // K3 P3 raised 11-28 resolved 12-03; K4 P4 raised 12-02 open.
    let complaint = |patient: i64, raised: &str, status: &str, resolved: Option<&str>| {
        c.execute(
            "INSERT INTO complaints (patient_id, raised_at, category_code, description, status, resolved_at)
             VALUES (?1, ?2, 'wait_time', '대기 시간이 길었음', ?3, ?4)",
            params![patient, raised, status, resolved],
        )
        .unwrap();
    };
    complaint(p1, "2026-11-10T12:00:00", "resolved", Some("2026-11-15T12:00:00"));
    complaint(p2, "2026-11-20T12:00:00", "open", None);
    complaint(p3, "2026-11-28T12:00:00", "resolved", Some("2026-12-03T12:00:00"));
    complaint(p4, "2026-12-02T12:00:00", "open", None);

    // A manual key result with check-ins on 10-31 (before), 11-10, 11-25 and 12-05 (after).
    c.execute(
        "INSERT INTO objectives (title, from_date, to_date) VALUES ('비급여 매출', '2026-11-01', '2026-11-30')",
        [],
    )
    .unwrap();
    let objective = c.last_insert_rowid();
    c.execute(
        "INSERT INTO key_results (objective_id, title, metric, direction, target, unit)
         VALUES (?1, '비급여 매출 3,000만원', 'manual', 'at_least', 30000000, '원')",
        [objective],
    )
    .unwrap();
    let manual_kr = c.last_insert_rowid();
    for (on, value) in [
        ("2026-10-31", 1_000_000.0),
        ("2026-11-10", 5_000_000.0),
        ("2026-11-25", 12_000_000.0),
        ("2026-12-05", 2e7),
    ] {
        c.execute(
            "INSERT INTO checkins (key_result_id, on_date, value, comment, created_at) VALUES (?1, ?2, ?3, '', ?2)",
            params![manual_kr, on, value],
        )
        .unwrap();
    }
    Fixture { dir, store, manual_kr }
}

fn value(f: &Fixture, metric: &str, from: NaiveDate, to: NaiveDate) -> Option<f64> {
    metrics::value(f.store.conn(), &Metric::parse(metric).unwrap(), Some(f.manual_kr), from, to).unwrap()
}

fn november(f: &Fixture, metric: &str) -> Option<f64> {
    value(f, metric, nov(1), nov(30))
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-9)
}

#[test]
fn visits_and_average_daily_patients() {
    let f = fixture();
    // Done in November: A2 A3 A5 A7 A9 A11 = 6 (A1 before, A12 after).
    assert_eq!(november(&f, "visits"), Some(6.0));
    // Clinic days: 11-02, 11-03, 11-06, 11-09 (A3 and A7), 11-25 = 5; 6 ÷ 5 = 1.2.
    assert!(close(november(&f, "avg_daily_patients"), 1.2));
    // A single day: 11-09 holds A3 and A7: 2 ÷ 1.
    assert!(close(value(&f, "avg_daily_patients", nov(9), nov(9)), 2.0));
}

#[test]
fn no_show_rate_leaves_out_cancellations_and_bookings() {
    let f = fixture();
    // No-shows A4, A8 = 2; done 6; A6 (cancelled) and A10 (booked) do not count: 2 ÷ 8.
    assert!(close(november(&f, "no_show_rate"), 0.25));
    // 11-05 ..= 11-06: A8 no-show, A9 done: 1 ÷ 2.
    assert!(close(value(&f, "no_show_rate", nov(5), nov(6)), 0.5));
}

#[test]
fn booking_rate_counts_visits_rebooked_by_the_end_of_their_day() {
    let f = fixture();
    // A2 yes (A3 booked 11-02 10:40); A3 no (A4 booked 11-10); A5 yes (A7; A6 is cancelled);
    // A7 no (nothing later); A9 yes (A10 booked 11-06 23:59:59, still that day); A11 no.
    // 3 ÷ 6.
    assert!(close(november(&f, "booking_rate"), 0.5));
    let rebooked = metrics::records(f.store.conn(), &Metric::BookingRate, None, nov(1), nov(30)).unwrap();
    let charts: Vec<&str> = rebooked.iter().map(|r| r.chart_no.as_str()).collect();
    assert_eq!(charts, ["1003", "1002", "1001"], "newest first: A9, A5, A2");
    // The note says which visit was booked.
    assert_eq!(rebooked[0].note, "2026-11-20T11:00:00");
}

#[test]
fn new_patients_are_those_whose_first_done_visit_is_in_the_period() {
    let f = fixture();
    // P1's first done visit is 10-20: not new. P2 (11-03), P3 (11-06; A8 was a no-show), P4 (11-25).
    assert_eq!(november(&f, "new_patients"), Some(3.0));
    // Of these only P2 came by referral.
    assert_eq!(november(&f, "referrals"), Some(1.0));
    let referred = metrics::records(f.store.conn(), &Metric::Referrals, None, nov(1), nov(30)).unwrap();
    assert_eq!(
        (referred.len(), referred[0].name.as_str(), referred[0].note.as_str()),
        (1, "이영희", "김민수")
    );
    // October: P1's A1 only.
    assert_eq!(value(&f, "new_patients", day(2026, 10, 1), day(2026, 10, 31)), Some(1.0));
}

#[test]
fn return_rate_and_treatment_share() {
    let f = fixture();
    // Patients with a done visit: P1 (A2 A3), P2 (A5 A7), P3 (A9), P4 (A11); two or more: P1, P2.
    // 2 ÷ 4.
    assert!(close(november(&f, "return_rate"), 0.5));
    // Chuna: A2 A5 A7 A9 of 6 visits = 4 ÷ 6.
    assert!(close(november(&f, "treatment_share:chuna"), 4.0 / 6.0));
    assert!(close(november(&f, "treatment_share:acupuncture"), 2.0 / 6.0));
    assert_eq!(november(&f, "treatment_share:cupping"), Some(0.0));
}

#[test]
fn inquiries_and_their_conversions() {
    let f = fixture();
    // In November: I1 I2 I3 I5 I6 = 5 (I4 is 10-30).
    assert_eq!(november(&f, "inquiries"), Some(5.0));
    // Visited on or after the inquiry, by 11-30: I1 (P3 11-06), I3 (P4 via A11, 11-25),
    // I6 (P2 11-09); not I2 (no person), not I5 (A4 no-show, A12 after the period). 3 ÷ 5.
    assert!(close(november(&f, "inquiry_to_visit"), 0.6));
    // Accepted a consultation on or after the inquiry: I1 only (C4 predates I6). 1 ÷ 5.
    assert!(close(november(&f, "inquiry_to_paid"), 0.2));
    let paid = metrics::records(f.store.conn(), &Metric::InquiryToPaid, None, nov(1), nov(30)).unwrap();
    assert_eq!(paid.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["박지훈"]);
}

#[test]
fn consult_success_and_callbacks_on_time() {
    let f = fixture();
    // Consultations in November: C1 accepted, C2 undecided, C3 declined: 1 ÷ 3.
    assert!(close(november(&f, "consult_success"), 1.0 / 3.0));
    // Due in November: CB1 (on the day), CB2 (a day late), CB3 (never), CB5 (early): 2 ÷ 4.
    assert!(close(november(&f, "callback_on_time"), 0.5));
    // Due 11-03 ..= 11-06: CB1 yes, CB2 no: 1 ÷ 2.
    assert!(close(value(&f, "callback_on_time", nov(3), nov(6)), 0.5));
    assert!(close(value(&f, "callback_on_time", nov(3), nov(3)), 1.0));
}

#[test]
fn open_complaints_are_counted_at_the_end_of_the_period() {
    let f = fixture();
    // At 11-30: K2 (open) and K3 (resolved only on 12-03); K1 resolved 11-15; K4 not yet raised.
    assert_eq!(november(&f, "open_complaints"), Some(2.0));
    // At 11-12: K1 only (raised 11-10, resolved later).
    assert_eq!(value(&f, "open_complaints", nov(1), nov(12)), Some(1.0));
    let open = metrics::records(f.store.conn(), &Metric::OpenComplaints, None, nov(1), nov(30)).unwrap();
    assert_eq!(open.iter().map(|r| r.chart_no.as_str()).collect::<Vec<_>>(), ["1003", "1002"]);
    assert_eq!(open[0].kind.as_deref(), Some("wait_time"));
}

#[test]
fn manual_is_the_latest_check_in_in_the_period() {
    let f = fixture();
    // Check-ins 10-31, 11-10, 11-25, 12-05: in November the latest is 11-25.
    assert_eq!(november(&f, "manual"), Some(12_000_000.0));
    assert_eq!(value(&f, "manual", nov(1), nov(24)), Some(5_000_000.0));
    assert_eq!(value(&f, "manual", nov(1), nov(9)), None);
}

#[test]
fn a_rate_with_nothing_to_divide_by_has_no_value() {
    let f = fixture();
    let august = (day(2026, 8, 1), day(2026, 8, 31));
    for rate in [
        "no_show_rate",
        "booking_rate",
        "avg_daily_patients",
        "return_rate",
        "treatment_share:chuna",
        "inquiry_to_visit",
        "inquiry_to_paid",
        "consult_success",
        "callback_on_time",
    ] {
        assert_eq!(value(&f, rate, august.0, august.1), None, "{rate}");
    }
    // Counts are zero, not missing.
    assert_eq!(value(&f, "visits", august.0, august.1), Some(0.0));
    assert_eq!(value(&f, "new_patients", august.0, august.1), Some(0.0));
}

#[test]
fn drilling_into_the_no_show_rate_lists_the_no_shows() {
    let f = fixture();
    let rows = metrics::records(f.store.conn(), &Metric::NoShowRate, None, nov(1), nov(30)).unwrap();
    let got: Vec<(&str, &str, &str)> =
        rows.iter().map(|r| (r.at.as_str(), r.chart_no.as_str(), r.name.as_str())).collect();
    assert_eq!(got, [("2026-11-16T10:00:00", "1001", "김민수"), ("2026-11-05T11:00:00", "1003", "박지훈")]);
    assert_eq!(rows[0].treatment.as_deref(), Some("acupuncture"));
}

/// Adds an objective over November with the given key results (metric, direction, target, baseline).
fn add_objective(store: &mut Store, title: &str, krs: &[(&str, &str, Direction, f64, Option<f64>)]) -> i64 {
    use frontdesk::domain::okr::{KeyResultDef, ObjectiveDef};
    let def = ObjectiveDef {
        title: title.into(),
        from: nov(1),
        to: nov(30),
        key_results: krs
            .iter()
            .map(|(title, m, d, t, b)| KeyResultDef {
                title: title.to_string(),
                metric: Metric::parse(m).unwrap(),
                direction: *d,
                target: *t,
                baseline: *b,
                unit: String::new(),
                owner: "데스크".into(),
                cadence: Default::default(),
                actions: vec!["전날 리마인드 전화".into()],
            })
            .collect(),
    };
    store.write(|tx| okr::create_objective(tx, &def)).unwrap()
}

#[test]
fn the_board_judges_each_key_result_and_sums_up_objectives() {
    let mut f = fixture();
    f.store.conn().execute("DELETE FROM objectives", []).unwrap();
    add_objective(
        &mut f.store,
        "예약 관리",
        &[
            // By 11-30 exactly 0.25 (2 ÷ 8) at an "at most 25%" target: met.
            ("부도율 25% 이하", "no_show_rate", Direction::AtMost, 0.25, None),
            // 0.5 against 0.8 from a 0.4 baseline: (0.5 − 0.4) ÷ (0.8 − 0.4) = 0.25, pace 1: off track.
            ("예약률 80% 이상", "booking_rate", Direction::AtLeast, 0.8, Some(0.4)),
        ],
    );
    add_objective(
        &mut f.store,
        "신환",
        &[
            // 3 of 5 by 11-23: progress 0.6; pace 19 of 25 opening days = 0.76: 16 points behind.
            ("신환 5명", "new_patients", Direction::AtLeast, 5.0, None),
        ],
    );
    let board = okr::board(f.store.conn(), nov(23), 8).unwrap();
    assert_eq!(board.len(), 2);
    let first = &board[0];
    // By 11-23 the no-shows are A4, A8 against A2 A3 A5 A7 A9 done: 2 ÷ 7 > 0.25, and with no
    // baseline an unmet "at most" has progress 0.
    let no_show = first.key_results[0].judgement;
    assert!(close(no_show.value, 2.0 / 7.0) && close(no_show.progress, 0.0), "{no_show:?}");
    assert_eq!(no_show.status, Status::OffTrack);
    let booking = first.key_results[1].judgement;
    // By 11-23 the booking rate is still 3 ÷ 5 (A11 on 11-25 is not yet there): 0.6.
    assert!(close(booking.value, 0.6));
    // (0.6 − 0.4) ÷ 0.4 = 0.5, pace 1: 50 points behind, off track.
    assert!(close(booking.progress, 0.5));
    assert_eq!(booking.status, Status::OffTrack);
    // The objective: mean (0 + 0.5) ÷ 2 = 0.25, worst status off track.
    assert!(close(first.progress, 0.25));
    assert_eq!(first.status, Status::OffTrack);
    // New patients by 11-23: P2, P3 = 2 -> 0.4 against a pace of 0.76: off track (36 points).
    let np = board[1].key_results[0].judgement;
    assert!(close(np.value, 2.0) && close(np.progress, 0.4) && (np.pace - 0.76).abs() < 1e-9, "{np:?}");
    assert_eq!(np.status, Status::OffTrack);
    // Eight weekly points, oldest first: 10-05 .. 10-26 are before the period, then 11-02,
    // 11-09, 11-16 and 11-23.
    let history = &board[1].key_results[0].history;
    assert_eq!(history, &vec![None, None, None, None, Some(0.0), Some(2.0), Some(2.0), Some(2.0)]);
    // At the end of the month: 3 of 5 against a pace of 1.
    let end = okr::board(f.store.conn(), nov(30), 0).unwrap();
    assert_eq!(end[1].key_results[0].judgement.value, Some(3.0));
    assert!(close(end[1].key_results[0].judgement.progress, 0.6));
    assert_eq!(end[1].key_results[0].judgement.pace, 1.0);
    // The no-show rate is now exactly 0.25: "at most 25%" is met, inclusive.
    assert_eq!(end[0].key_results[0].judgement.status, Status::Met);
    assert_eq!(end[0].key_results[0].judgement.progress, Some(1.0));
}

/// The fixture with a board of every colour at 11-23 (worked out in the comments).
fn fixture_with_board() -> Fixture {
    let mut f = fixture();
    add_objective(
        &mut f.store,
        "예약 관리",
        &[
            // 2 ÷ 7 ≈ 0.2857 ≤ 0.30: met.
            ("부도율 30% 이하", "no_show_rate", Direction::AtMost, 0.30, None),
            // 0.6 from a 0.4 baseline toward 0.8: progress 0.5, pace 1: off track.
            ("예약률 80% 이상", "booking_rate", Direction::AtLeast, 0.8, Some(0.4)),
        ],
    );
    add_objective(
        &mut f.store,
        "신환과 문의",
        &[
            // 2 of 3 = 0.6667 against a pace of 19/25 = 0.76: behind (9 points).
            ("신환 3명", "new_patients", Direction::AtLeast, 3.0, None),
            // 5 of 6 = 0.8333 ≥ 0.76: on track.
            ("전화 문의 6건", "inquiries", Direction::AtLeast, 6.0, None),
        ],
    );
    f
}

#[test]
fn the_shared_board_is_the_board_and_follows_every_change() {
    let f = fixture_with_board();
    let at = nov(23);
    // The app's board is judged during the day (rates through yesterday).
    let fresh = |at: NaiveDate, weeks: usize| okr::board_live(f.store.conn(), at, weeks).unwrap();
    let shared = |at: NaiveDate, weeks: usize| okr::shared_board(&f.store, at, weeks).unwrap();
    // The key results of "신환과 문의": new patients, then inquiries.
    let value = |board: Vec<okr::ObjectiveStatus>, kr: usize| {
        board.iter().find(|o| o.objective.title == "신환과 문의").unwrap().key_results[kr].judgement.value
    };
    // The OKR tab's board, then the huddle's (no history) and a shorter history from the same
    // computation: each the same as a board computed on its own.
    assert_eq!(shared(at, 8), fresh(at, 8));
    assert_eq!(shared(at, 0), fresh(at, 0));
    assert_eq!(shared(at, 2), fresh(at, 2));
    assert!(shared(at, 2).iter().flat_map(|o| &o.key_results).all(|k| k.history.len() == 2));
    // Another day is judged on its own.
    assert_eq!(shared(nov(30), 0), fresh(nov(30), 0));
    // New patients by 11-23 are P2 and P3; a change through this connection (P5, first done
    // visit 11-10) is seen at once.
    assert_eq!(value(shared(at, 0), 0), Some(2.0));
    let p5 = insert_patient(&f.store, "1005", "정하늘", "internet", None);
    insert_appointment(&f.store, p5, "2026-11-10T10:00:00", "done", "chuna", "2026-11-09T10:00:00");
    assert_eq!(value(shared(at, 0), 0), Some(3.0));
    // Inquiries by 11-23 are 5; one taken at another terminal (another connection) is seen too.
    assert_eq!(value(shared(at, 8), 1), Some(5.0));
    let other = open(&f.dir.path().join("clinic.db"));
    other
        .conn()
        .execute(
            "INSERT INTO inquiries (received_at, caller_name, topic_code, referral_source)
             VALUES ('2026-11-15T10:00:00', '한지민', 'chuna', 'internet')",
            [],
        )
        .unwrap();
    assert_eq!(value(shared(at, 8), 1), Some(6.0));
    assert_eq!(shared(at, 8), fresh(at, 8));
}

fn frontdesk(db: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_frontdesk"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("FRONTDESK_DB", "")
        .env("XDG_CONFIG_HOME", db.parent().unwrap())
        .output()
        .unwrap()
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

#[test]
fn okr_status_as_csv_has_fractions_and_the_design_columns() {
    let f = fixture_with_board();
    let out = frontdesk(
        &f.dir.path().join("clinic.db"),
        &["okr", "status", "--at", "2026-11-23", "--format", "csv"],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // Manual: the 11-10 check-in, 5,000,000 of 30,000,000 = 0.1667 against 0.76: off track.
    // With a BOM, as every CSV frontdesk writes (issue 22 item 5).
    let expected = "\u{feff}\
objective,key_result,metric,direction,target,value,progress,pace,status,cadence
비급여 매출,\"비급여 매출 3,000만원\",manual,at_least,30000000,5000000,0.1667,0.76,off_track,period
예약 관리,부도율 30% 이하,no_show_rate,at_most,0.3,0.2857,1,1,met,period
예약 관리,예약률 80% 이상,booking_rate,at_least,0.8,0.6,0.5,1,off_track,period
신환과 문의,신환 3명,new_patients,at_least,3,2,0.6667,0.76,behind,period
신환과 문의,전화 문의 6건,inquiries,at_least,6,5,0.8333,0.76,on_track,period
";
    assert_eq!(stdout(&out), expected);
}

#[test]
fn okr_status_as_json_keeps_rates_as_fractions_and_no_value_as_null() {
    let f = fixture_with_board();
    // 08-01 is before every period: no value anywhere.
    let out = frontdesk(
        &f.dir.path().join("clinic.db"),
        &["okr", "status", "--at", "2026-11-23", "--format", "json"],
    );
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let no_show = &rows[1];
    assert_eq!(no_show["metric"], "no_show_rate");
    assert!((no_show["value"].as_f64().unwrap() - 2.0 / 7.0).abs() < 1e-9);
    assert_eq!(no_show["status"], "met");
    assert_eq!(rows[3]["status"], "behind");
    assert_eq!(rows.as_array().unwrap().len(), 5);
    let out = frontdesk(
        &f.dir.path().join("clinic.db"),
        &["okr", "status", "--at", "2026-08-01", "--format", "json"],
    );
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(rows[1]["value"].is_null() && rows[1]["progress"].is_null(), "{rows}");
    assert_eq!(rows[1]["status"], "no_data");
    assert_eq!(rows[3]["pace"], 0.0);
}

#[test]
fn okr_status_table_is_aligned_in_display_columns() {
    let f = fixture_with_board();
    let out =
        frontdesk(&f.dir.path().join("clinic.db"), &["--lang", "en", "okr", "status", "--at", "2026-11-23"]);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 6, "{text}");
    assert!(lines[0].starts_with("objective") && lines[0].ends_with("status"), "{text}");
    // The status column starts at the same display column on every line.
    let status_col = |line: &str, word: &str| {
        let byte = line.rfind(word).unwrap_or_else(|| panic!("{word} not in {line}"));
        frontdesk::domain::text::width(&line[..byte])
    };
    let col = status_col(lines[0], "status");
    for (line, word) in lines[1..].iter().zip(["Off track", "Met!", "Off track", "Behind", "On track"]) {
        assert_eq!(status_col(line, word), col, "{text}");
    }
    assert!(lines[2].contains("<= 30%") && lines[2].contains("28.6%"), "{text}");
    assert!(lines[1].contains("5,000,000원") && lines[1].contains("17%"), "{text}");
}

fn counts(db: &std::path::Path) -> (i64, i64, i64) {
    let c = rusqlite::Connection::open(db).unwrap();
    let n = |sql: &str| c.query_row(sql, [], |r| r.get(0)).unwrap();
    (
        n("SELECT count(*) FROM objectives"),
        n("SELECT count(*) FROM key_results"),
        n("SELECT count(*) FROM audit_log"),
    )
}

const GOOD_FILE: &str = r#"
[[objective]]
title = "월 1억, 평환 50명"
from = 2026-01-01
to = 2026-06-30
[[objective.key_result]]
title = "부도율 30% 이하"
metric = "no_show_rate"
direction = "at_most"
target = 0.30
owner = "데스크"
actions = ["해피콜로 예약 잡기", "부재중 환자에게 예약 안내 문자"]
"#;

#[test]
fn okr_load_adds_objectives_and_creates_a_missing_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("new.db");
    let file = dir.path().join("okr.toml");
    std::fs::write(&file, GOOD_FILE).unwrap();
    let out = frontdesk(&db, &["okr", "load", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let store = open(&db);
    let objectives = okr::objectives(store.conn()).unwrap();
    let loaded = objectives.iter().find(|o| o.title == "월 1억, 평환 50명").expect("loaded objective");
    assert_eq!((loaded.from, loaded.to), (day(2026, 1, 1), day(2026, 6, 30)));
    let kr = &loaded.key_results[0];
    assert_eq!(
        (kr.metric.clone(), kr.direction, kr.target),
        (Some(Metric::NoShowRate), Direction::AtMost, 0.30)
    );
    assert_eq!(kr.actions, ["해피콜로 예약 잡기", "부재중 환자에게 예약 안내 문자"]);
    let audited: i64 = store
        .conn()
        .query_row(
            "SELECT count(*) FROM audit_log WHERE entity = 'objective' AND action = 'create'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audited, 1);
}

#[test]
fn okr_load_errors_name_the_line_or_field_and_load_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    drop(open(&db));
    let before = counts(&db);
    let cases = [
        ("bad metric", GOOD_FILE.replace("\"no_show_rate\"", "\"speed\""), "field `metric` = \"speed\""),
        ("bad TOML", GOOD_FILE.replace("target = 0.30", "target = thirty"), "line 22 (`target = thirty`)"),
        ("reversed dates", GOOD_FILE.replace("to = 2026-06-30", "to = 2025-12-31"), "field `to`"),
        (
            "unknown treatment",
            GOOD_FILE.replace("\"no_show_rate\"", "\"treatment_share:yoga\""),
            "treatment 'yoga'",
        ),
    ];
    for (what, text, expect) in cases {
        // A good objective first: all or nothing means it is not loaded either.
        let text = format!("{GOOD_FILE}{text}");
        let file = dir.path().join("okr.toml");
        std::fs::write(&file, &text).unwrap();
        let out = frontdesk(&db, &["okr", "load", file.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(out.status.code(), Some(2), "{what}: {err}");
        assert_eq!(err.lines().count(), 1, "{what}: one line: {err}");
        assert!(err.contains(expect), "{what}: {err}");
        assert_eq!(counts(&db), before, "{what}: the database changed");
    }
}

fn okr_app(f: Fixture, lang: frontdesk::domain::Lang) -> (tempfile::TempDir, frontdesk::app::App) {
    let Fixture { dir, store, .. } = f;
    let app = frontdesk::app::App::new(store, options(lang, frontdesk::app::TabId::Okr)).unwrap();
    (dir, app)
}

#[test]
fn snapshots_of_the_okr_tab() {
    use frontdesk::domain::Lang;
    for lang in [Lang::Ko, Lang::En] {
        let (_dir, app) = okr_app(fixture_with_board(), lang);
        for (w, h) in [(80, 24), (120, 40)] {
            insta::assert_snapshot!(format!("okr_board_{}_{w}x{h}", lang.code()), text(&render(&app, w, h)));
        }
    }
}

fn press(app: &mut frontdesk::app::App, code: crossterm::event::KeyCode) {
    app.on_key(crossterm::event::KeyEvent::from(code));
}

fn type_text(app: &mut frontdesk::app::App, s: &str) {
    for c in s.chars() {
        press(app, crossterm::event::KeyCode::Char(c));
    }
}

fn ctrl_s(app: &mut frontdesk::app::App) {
    app.on_key(crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::Char('s'),
        crossterm::event::KeyModifiers::CONTROL,
    ));
}

/// The screen row holding `needle`, and the cells of that row.
fn row_with<'a>(buf: &'a ratatui::buffer::Buffer, needle: &str) -> Vec<&'a ratatui::buffer::Cell> {
    let screen = text(buf);
    let y =
        screen.lines().position(|l| l.contains(needle)).unwrap_or_else(|| panic!("{needle} not on screen"));
    (0..buf.area.width).map(|x| &buf[(x, y as u16)]).collect()
}

#[test]
fn an_off_track_bar_is_red_and_a_met_one_green_with_a_badge() {
    use ratatui::style::Color;
    let (_dir, app) = okr_app(fixture_with_board(), frontdesk::domain::Lang::En);
    for (w, h) in [(80, 24), (120, 40)] {
        let buf = render(&app, w, h);
        let filled = |cells: &[&ratatui::buffer::Cell]| -> Vec<Color> {
            cells.iter().filter(|c| c.symbol() == "━").map(|c| c.fg).collect()
        };
        // 예약률: off track, half filled in red.
        let booking = filled(&row_with(&buf, "예약률 80% 이상"));
        assert!(!booking.is_empty() && booking.iter().all(|c| *c == Color::Red), "{booking:?}");
        // 부도율: met, filled in green, and the "Met!" badge on green.
        let no_show_row = row_with(&buf, "부도율 30% 이하");
        let no_show = filled(&no_show_row);
        assert!(!no_show.is_empty() && no_show.iter().all(|c| *c == Color::Green), "{no_show:?}");
        let line: String = no_show_row.iter().map(|c| c.symbol()).collect();
        let badge =
            line.find("Met!").map(|b| frontdesk::domain::text::width(&line[..b])).expect("Met! badge");
        assert_eq!(no_show_row[badge].bg, Color::Green);
        // 신환: behind, yellow; 문의: on track, cyan.
        assert!(filled(&row_with(&buf, "신환 3명")).iter().all(|c| *c == Color::Yellow));
        assert!(filled(&row_with(&buf, "전화 문의 6건")).iter().all(|c| *c == Color::Cyan));
    }
}

#[test]
fn enter_lists_the_no_shows_behind_the_no_show_rate_and_esc_goes_back() {
    use crossterm::event::KeyCode;
    use frontdesk::domain::Lang;
    for lang in [Lang::Ko, Lang::En] {
        let (_dir, mut app) = okr_app(fixture_with_board(), lang);
        // Rows: 비급여 매출, its key result (selected), 예약 관리, 부도율 ~
        press(&mut app, KeyCode::Down);
        press(&mut app, KeyCode::Down);
        assert_eq!(app.tabs.okr.selected_key_result().unwrap().key_result.title, "부도율 30% 이하");
        press(&mut app, KeyCode::Enter);
        assert!(app.tabs.okr.is_drilling());
        for (w, h) in [(80, 24), (120, 40)] {
            let screen = text(&render(&app, w, h));
            assert!(screen.contains("2026-11-16 10:00") && screen.contains("김민수"), "{screen}");
            assert!(screen.contains("2026-11-05 11:00") && screen.contains("박지훈"), "{screen}");
            assert!(screen.contains(lang.pick("침", "Acupuncture")), "{screen}");
            insta::assert_snapshot!(format!("okr_no_shows_{}_{w}x{h}", lang.code()), screen);
        }
        press(&mut app, KeyCode::Esc);
        assert!(!app.tabs.okr.is_drilling());
        assert!(text(&render(&app, 80, 24)).contains("예약 관리"));
    }
}

#[test]
fn a_check_in_moves_the_manual_bar_at_once() {
    use crossterm::event::KeyCode;
    let (_dir, mut app) = okr_app(fixture_with_board(), frontdesk::domain::Lang::Ko);
    // The manual key result is selected first; its value is the 11-10 check-in.
    assert_eq!(app.tabs.okr.selected_key_result().unwrap().judgement.value, Some(5_000_000.0));
    type_text(&mut app, "c");
    assert!(app.tabs.okr.keyboard_grabbed_for_test());
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "2,000만원");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "이벤트 효과");
    ctrl_s(&mut app);
    assert!(!app.tabs.okr.keyboard_grabbed_for_test(), "the form closed");
    let k = app.tabs.okr.selected_key_result().unwrap();
    // Today's (11-23) check-in is now the latest: 20,000,000 ÷ 30,000,000 = 0.667 against a
    // pace of 0.76: behind (the 11-25 check-in is after today).
    assert_eq!(k.judgement.value, Some(20_000_000.0));
    assert_eq!(k.judgement.status, Status::Behind);
    let screen = text(&render(&app, 80, 24));
    assert!(screen.contains("2,000만 / >=3,000만"), "{screen}");
    // A computed key result takes no check-in.
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    type_text(&mut app, "c");
    assert!(!app.tabs.okr.keyboard_grabbed_for_test());
}

#[test]
fn a_new_objective_typed_in_the_form_is_judged_at_once() {
    use crossterm::event::KeyCode;
    let (_dir, mut app) = okr_app(fixture_with_board(), frontdesk::domain::Lang::En);
    type_text(&mut app, "n");
    type_text(&mut app, "재방문 관리");
    for _ in 0..3 {
        press(&mut app, KeyCode::Tab); // from, to (six months from 11-01 already filled), key result
    }
    type_text(&mut app, "재방문율 50% 이상");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "6"); // the sixth metric: return_rate
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab); // direction: at least
    type_text(&mut app, "많이");
    ctrl_s(&mut app);
    // Not a number: the form stays open with what was typed.
    assert!(app.tabs.okr.keyboard_grabbed_for_test());
    for _ in 0.."많이".chars().count() {
        press(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "50%");
    ctrl_s(&mut app);
    assert!(!app.tabs.okr.keyboard_grabbed_for_test());
    let o = app.tabs.okr.board().iter().find(|o| o.objective.title == "재방문 관리").expect("saved");
    assert_eq!((o.objective.from, o.objective.to), (nov(1), day(2027, 4, 30)));
    let k = &o.key_results[0];
    assert_eq!((k.key_result.metric.clone(), k.key_result.target), (Some(Metric::ReturnRate), 0.5));
    // 11-01 ..= 11-23: P1 and P2 came twice, P3 once: 2 ÷ 3 ≥ 0.5, met.
    assert!(close(k.judgement.value, 2.0 / 3.0));
    assert_eq!(k.judgement.status, Status::Met);
}

#[test]
fn editing_a_key_result_rejudges_it() {
    use crossterm::event::KeyCode;
    let (_dir, mut app) = okr_app(fixture_with_board(), frontdesk::domain::Lang::Ko);
    for _ in 0..3 {
        press(&mut app, KeyCode::Down);
    }
    assert_eq!(app.tabs.okr.selected_key_result().unwrap().key_result.title, "예약률 80% 이상");
    type_text(&mut app, "e");
    for _ in 0..3 {
        press(&mut app, KeyCode::Tab); // metric, direction, target
    }
    for _ in 0.."80%".len() {
        press(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "60%");
    ctrl_s(&mut app);
    let k = app.tabs.okr.selected_key_result().unwrap();
    // The booking rate to 11-23 is 3 ÷ 5 = 0.6: exactly the new target, met.
    assert_eq!(k.key_result.target, 0.6);
    assert_eq!(k.key_result.actions, ["전날 리마인드 전화"], "action items kept");
    assert_eq!(k.judgement.status, Status::Met);
}

#[test]
fn a_change_from_another_terminal_moves_the_bars_on_the_next_tick() {
    let (dir, mut app) = okr_app(fixture_with_board(), frontdesk::domain::Lang::En);
    let no_show = |app: &frontdesk::app::App| app.tabs.okr.board()[1].key_results[0].judgement;
    assert_eq!(no_show(&app).status, Status::Met);
    // Another desk marks a no-show on 11-20: 3 ÷ 8 = 0.375 > 0.30, and no baseline: off track.
    let other = open(&dir.path().join("clinic.db"));
    insert_appointment(&other, 1, "2026-11-20T15:00:00", "no_show", "chuna", "2026-11-19T09:00:00");
    app.on_tick();
    assert!(close(no_show(&app).value, 3.0 / 8.0));
    assert_eq!(no_show(&app).status, Status::OffTrack);
}

#[test]
fn snapshot_of_the_key_result_form() {
    use crossterm::event::KeyCode;
    use frontdesk::domain::Lang;
    for lang in [Lang::Ko, Lang::En] {
        let (_dir, mut app) = okr_app(fixture_with_board(), lang);
        for _ in 0..3 {
            press(&mut app, KeyCode::Down);
        }
        type_text(&mut app, "e");
        for (w, h) in [(80, 24), (120, 40)] {
            let screen = text(&render(&app, w, h));
            // Filled from the key result: rates as percentages, the action items joined by ;.
            assert!(
                screen.contains("80%") && screen.contains("40%") && screen.contains("전날 리마인드 전화"),
                "{screen}"
            );
            insta::assert_snapshot!(format!("okr_edit_key_result_{}_{w}x{h}", lang.code()), screen);
        }
    }
}

#[test]
fn a_check_in_being_typed_survives_a_dropped_connection() {
    use crossterm::event::KeyCode;
    use frontdesk::domain::Lang;
    let (dir, mut app) = okr_app(fixture_with_board(), Lang::En);
    type_text(&mut app, "c");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "1500만");
    app.save_draft_now();
    drop(app);
    // The terminal died; the next start offers the draft back.
    let store = open(&dir.path().join("clinic.db"));
    let mut app = frontdesk::app::App::new(store, options(Lang::En, frontdesk::app::TabId::Okr)).unwrap();
    assert!(app.pending_draft.is_some());
    press(&mut app, KeyCode::Char('y'));
    assert!(app.tabs.okr.keyboard_grabbed_for_test(), "the check-in form is back");
    ctrl_s(&mut app);
    let manual = &app.tabs.okr.board()[0].key_results[0];
    assert_eq!(manual.judgement.value, Some(15_000_000.0), "saved against the same key result");
}

#[test]
fn the_booking_rate_drill_down_lists_the_not_rebooked_first_and_opens_their_card() {
    use crossterm::event::KeyCode;
    use frontdesk::domain::Lang;
    for lang in [Lang::Ko, Lang::En] {
        let (_dir, mut app) = okr_app(fixture_with_board(), lang);
        // Rows: 비급여 매출, its key result (selected), 예약 관리, 부도율 ~, 예약률 ~
        for _ in 0..3 {
            press(&mut app, KeyCode::Down);
        }
        assert_eq!(app.tabs.okr.selected_key_result().unwrap().key_result.title, "예약률 80% 이상");
        press(&mut app, KeyCode::Enter);
        assert!(app.tabs.okr.is_drilling());
        let screen = text(&render(&app, 120, 40));
        // Done visits of November through yesterday (11-22): 5, of which 3 rebooked (A2, A5,
        // A9) and 2 not (A7 이영희 11-09 15:00, A3 김민수 11-09 10:00): those come first.
        assert!(
            screen.contains(lang.pick("재예약 안 함 2, 재예약 3", "Not rebooked 2, Rebooked 3")),
            "{screen}"
        );
        let order: Vec<&str> = screen
            .lines()
            .filter(|l| l.contains("2026-11-0"))
            .map(|l| if l.contains(lang.pick("재예약 안 함", "Not rebooked")) { "miss" } else { "hit" })
            .collect();
        assert_eq!(order, ["miss", "miss", "hit", "hit", "hit"], "{screen}");
        let first = screen.lines().find(|l| l.contains("2026-11-0")).unwrap();
        assert!(first.contains("2026-11-09 15:00") && first.contains("이영희"), "{screen}");
        insta::assert_snapshot!(format!("okr_booking_both_sides_{}_120x40", lang.code()), screen);
        // Enter opens the selected person's card (이영희, the first not rebooked).
        press(&mut app, KeyCode::Enter);
        let card = &app.card.as_ref().expect("the patient card is open").card;
        assert_eq!(card.patient.name, "이영희");
        press(&mut app, KeyCode::Esc);
        assert!(app.card.is_none());
        assert!(app.tabs.okr.is_drilling(), "back on the drill-down after the card");
    }
}

#[test]
fn a_rates_records_are_both_sides_the_one_to_chase_first() {
    let f = fixture();
    let c = f.store.conn();
    let sides = |metric: &str, hits_first: bool| {
        metrics::rate_records(c, &Metric::parse(metric).unwrap(), nov(1), nov(30), hits_first)
            .unwrap()
            .unwrap()
            .into_iter()
            .map(|r| (r.hit.unwrap(), r.name, r.patient_id.is_some()))
            .collect::<Vec<_>>()
    };
    // No-shows first (A4 11-16 김민수, A8 11-05 박지훈), then the six kept visits of November.
    let no_show = sides("no_show_rate", true);
    assert_eq!(no_show.len(), 8);
    assert_eq!(no_show[..2], [(true, "김민수".into(), true), (true, "박지훈".into(), true)]);
    assert!(no_show[2..].iter().all(|(hit, _, _)| !hit));
    // Return rate, at least: the patients seen once (P4 11-25, P3 11-06) before those seen
    // twice (P2 11-09 15:00, P1 11-09 10:00).
    let names: Vec<(bool, String)> =
        sides("return_rate", false).into_iter().map(|(h, n, _)| (h, n)).collect();
    assert_eq!(
        names,
        [
            (false, "최유리".into()),
            (false, "박지훈".into()),
            (true, "이영희".into()),
            (true, "김민수".into())
        ]
    );
    // Not a rate: none.
    assert!(metrics::rate_records(c, &Metric::Visits, nov(1), nov(30), false).unwrap().is_none());
}
