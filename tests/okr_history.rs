//! The OKR tab's weekly history: a number that is a sum over days reads its period once and
//! sums it up to each weekly point. On a small hand-computed clinic, every such number's
//! history equals its value computed point by point (`value_at`) and the numbers worked out
//! by hand below, for an objective that began three weeks ago, one that ended before the day
//! judged, and one that has not begun.

mod common;

use chrono::NaiveDate;
use common::*;
use frontdesk::store::{Store, okr};
use rusqlite::params;

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

/// The day judged, a Tuesday. Its eight weekly points end on
/// 10-06, 10-13, 10-20, 10-27, 11-03, 11-10, 11-17 and 11-24.
fn at() -> NaiveDate {
    day(11, 24)
}

const WEEKS: usize = 8;

/// Every number that is a sum over days, and some that are not (computed point by point).
const SUMMED: &[&str] = &[
    "visits",
    "avg_daily_patients",
    "no_show_rate",
    "booking_rate",
    "treatment_share:chuna",
    "new_patients",
    "referrals",
    "inquiries",
    "consult_success",
    "callback_on_time",
];
const NOT_SUMMED: &[&str] =
    &["return_rate", "inquiry_to_visit", "inquiry_to_paid", "open_complaints", "manual"];

/// Patients: P1 signboard (first visit 10-16), P2 referred by P1 (first visit 11-03),
/// P3 internet (first visit 11-09), P4 referred by P1 (first visit 11-10).
///
/// Appointments (start, patient, status, treatment, booked_at; "rebooked" = a later
/// not-cancelled appointment of the patient booked by the end of the visit's day):
///   A1  10-16 10:00 P1 done      chuna  10-10 09:00   rebooked (A2, booked 10-16 10:30)
///   A2  10-28 10:00 P1 done      acu    10-16 10:30   not rebooked (A3 booked 10-29)
///   A3  11-03 09:00 P1 done      chuna  10-29 09:00   rebooked (A5, booked 11-03 18:00)
///   A4  11-03 14:00 P2 done      acu    11-01 09:00   not rebooked (A6 cancelled, A9 booked 11-10)
///   A5  11-05 09:00 P1 no_show   acu    11-03 18:00
///   A6  11-06 10:00 P2 cancelled acu    11-03 15:00
///   A7  11-09 09:00 P3 done      chuna  11-08 09:00   rebooked (A10, booked 11-09 23:00)
///   A8  11-10 15:00 P4 done      chuna  11-09 09:00   rebooked (A12, booked 11-10 16:00)
///   A9  11-20 10:00 P2 done      chuna  11-10 09:00   not rebooked
///   A10 11-21 09:00 P3 no_show   acu    11-09 23:00
///   A11 11-24 17:00 P1 done      acu    11-20 09:00   not rebooked (the last day judged)
///   A12 11-26 10:00 P4 booked    chuna  11-10 16:00   after the day judged
///   A13 11-25 10:00 P3 done      acu    11-24 09:00   after the day judged
/// Nothing at all happens from 11-11 to 11-17 (an empty week).
///
/// Inquiries: I1 10-20, I2 11-03, I3 11-08, I4 11-24 18:00, I5 11-25.
/// Consultations: C1 10-28 accepted, C2 11-04 declined, C3 11-09 accepted, C4 11-20 undecided.
/// Callbacks (due, contact): CB1 10-20 called 10-20 (on time), CB2 11-04 called 11-05 (late),
/// CB3 11-09 called 11-08 (on time), CB4 11-19 never called, CB5 11-24 called 11-25 (late).
fn clinic() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir.path().join("clinic.db"));
    let c = store.conn();
    c.execute("DELETE FROM objectives", []).unwrap();
    let patient = |chart: &str, name: &str, source: &str, referrer: Option<i64>| {
        c.execute(
            "INSERT INTO patients (chart_no, name, referral_source, referrer_id, created_at)
             VALUES (?1, ?2, ?3, ?4, '2026-10-01T09:00:00')",
            params![chart, name, source, referrer],
        )
        .unwrap();
        c.last_insert_rowid()
    };
    let p1 = patient("2001", "한지민", "signboard", None);
    let p2 = patient("2002", "오세훈", "referral", Some(p1));
    let p3 = patient("2003", "윤서연", "internet", None);
    let p4 = patient("2004", "장도윤", "referral", Some(p1));
    let appointment = |patient: i64, start: &str, status: &str, treatment: &str, booked: &str| {
        c.execute(
            "INSERT INTO appointments (patient_id, start, duration_min, treatment_code, status, booked_at, updated_at)
             VALUES (?1, ?2, 30, ?3, ?4, ?5, ?5)",
            params![patient, start, treatment, status, booked],
        )
        .unwrap();
    };
    appointment(p1, "2026-10-16T10:00:00", "done", "chuna", "2026-10-10T09:00:00");
    appointment(p1, "2026-10-28T10:00:00", "done", "acupuncture", "2026-10-16T10:30:00");
    appointment(p1, "2026-11-03T09:00:00", "done", "chuna", "2026-10-29T09:00:00");
    appointment(p2, "2026-11-03T14:00:00", "done", "acupuncture", "2026-11-01T09:00:00");
    appointment(p1, "2026-11-05T09:00:00", "no_show", "acupuncture", "2026-11-03T18:00:00");
    appointment(p2, "2026-11-06T10:00:00", "cancelled", "acupuncture", "2026-11-03T15:00:00");
    appointment(p3, "2026-11-09T09:00:00", "done", "chuna", "2026-11-08T09:00:00");
    appointment(p4, "2026-11-10T15:00:00", "done", "chuna", "2026-11-09T09:00:00");
    appointment(p2, "2026-11-20T10:00:00", "done", "chuna", "2026-11-10T09:00:00");
    appointment(p3, "2026-11-21T09:00:00", "no_show", "acupuncture", "2026-11-09T23:00:00");
    appointment(p1, "2026-11-24T17:00:00", "done", "acupuncture", "2026-11-20T09:00:00");
    appointment(p4, "2026-11-26T10:00:00", "booked", "chuna", "2026-11-10T16:00:00");
    appointment(p3, "2026-11-25T10:00:00", "done", "acupuncture", "2026-11-24T09:00:00");
    for at in [
        "2026-10-20T10:00:00",
        "2026-11-03T09:30:00",
        "2026-11-08T12:00:00",
        "2026-11-24T18:00:00",
        "2026-11-25T09:00:00",
    ] {
        c.execute("INSERT INTO inquiries (received_at, caller_name) VALUES (?1, '문의자')", [at]).unwrap();
    }
    for (patient, at, status) in [
        (p1, "2026-10-28T11:00:00", "accepted"),
        (p2, "2026-11-04T10:00:00", "declined"),
        (p3, "2026-11-09T16:00:00", "accepted"),
        (p4, "2026-11-20T10:00:00", "undecided"),
    ] {
        c.execute(
            "INSERT INTO consultations (patient_id, consulted_at, treatment_code, status) VALUES (?1, ?2, 'chuna', ?3)",
            params![patient, at, status],
        )
        .unwrap();
    }
    for (patient, kind, due, contact) in [
        (p1, "happy_call", "2026-10-20", Some("2026-10-20T15:00:00")),
        (p2, "happy_call", "2026-11-04", Some("2026-11-05T10:00:00")),
        (p3, "recall", "2026-11-09", Some("2026-11-08T10:00:00")),
        (p4, "prospect", "2026-11-19", None),
        (p1, "recall", "2026-11-24", Some("2026-11-25T09:00:00")),
    ] {
        c.execute(
            "INSERT INTO callbacks (patient_id, kind, due_on, status, created_at)
             VALUES (?1, ?2, ?3, 'closed', '2026-10-01T09:00:00')",
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
    }
    c.execute(
        "INSERT INTO complaints (patient_id, raised_at, category_code, description, status)
         VALUES (?1, '2026-11-04T12:00:00', 'wait_time', '대기', 'open')",
        [p2],
    )
    .unwrap();
    // Three objectives with a key result for every number: one that began three weeks ago,
    // one that ended on 11-12, one that begins in December.
    for (title, from, to) in [
        ("began 11-03", "2026-11-03", "2026-11-30"),
        ("ended 11-12", "2026-10-15", "2026-11-12"),
        ("begins 12-01", "2026-12-01", "2026-12-31"),
    ] {
        c.execute(
            "INSERT INTO objectives (title, from_date, to_date) VALUES (?1, ?2, ?3)",
            params![title, from, to],
        )
        .unwrap();
        let objective = c.last_insert_rowid();
        for metric in SUMMED.iter().chain(NOT_SUMMED) {
            let target = if metric.ends_with("rate") || metric.contains("share") { 0.5 } else { 10.0 };
            c.execute(
                "INSERT INTO key_results (objective_id, title, metric, direction, target, unit)
                 VALUES (?1, ?2, ?2, 'at_least', ?3, '')",
                params![objective, metric, target],
            )
            .unwrap();
            if *metric == "manual" {
                let kr = c.last_insert_rowid();
                c.execute(
                    "INSERT INTO checkins (key_result_id, on_date, value, comment, created_at)
                     VALUES (?1, '2026-11-05', 7, '', '2026-11-05')",
                    [kr],
                )
                .unwrap();
            }
        }
    }
    (dir, store)
}

fn objective(store: &Store, title: &str) -> okr::Objective {
    okr::objectives(store.conn()).unwrap().into_iter().find(|o| o.title == title).unwrap()
}

fn history(store: &Store, o: &okr::Objective, metric: &str) -> Vec<Option<f64>> {
    let k = o.key_results.iter().find(|k| k.metric_key == metric).unwrap();
    okr::weekly_history(store.conn(), o, k, at(), WEEKS).unwrap()
}

/// `value_at` at each weekly point, one computation each.
fn point_by_point(store: &Store, o: &okr::Objective, metric: &str) -> Vec<Option<f64>> {
    let k = o.key_results.iter().find(|k| k.metric_key == metric).unwrap();
    (0..WEEKS as i64)
        .rev()
        .map(|back| okr::value_at(store.conn(), o, k, at() - chrono::Duration::weeks(back)).unwrap())
        .collect()
}

fn same(a: &[Option<f64>], b: &[Option<f64>]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| match (x, y) {
            (Some(x), Some(y)) => (x - y).abs() < 1e-9,
            (None, None) => true,
            _ => false,
        })
}

const N: Option<f64> = None;

fn s(v: f64) -> Option<f64> {
    Some(v)
}

#[test]
fn an_objective_that_began_three_weeks_ago_has_no_value_before_it_and_sums_the_weeks_since() {
    let (_dir, store) = clinic();
    let o = objective(&store, "began 11-03");
    // Points 10-06 .. 10-27 are before the period; then 11-03 (that day alone), 11-10, 11-17
    // (an empty week: the same as 11-10) and 11-24.
    let expected: &[(&str, [Option<f64>; 4])] = &[
        // Done visits: 11-03 A3 A4; + A7 A8 by 11-10; + A9 A11 by 11-24.
        ("visits", [s(2.0), s(4.0), s(4.0), s(6.0)]),
        // Visits ÷ clinic days: 2/1; 4/3 (11-03, 11-09, 11-10); 6/5 (+ 11-20, 11-24).
        ("avg_daily_patients", [s(2.0), s(4.0 / 3.0), s(4.0 / 3.0), s(1.2)]),
        // No-shows ÷ (done + no-shows): 0/2; A5 1/5; 1/5; + A10 2/8.
        ("no_show_rate", [s(0.0), s(0.2), s(0.2), s(0.25)]),
        // Rebooked: A3 of A3 A4 1/2; + A7 A8 3/4; 3/4; A9 A11 not: 3/6.
        ("booking_rate", [s(0.5), s(0.75), s(0.75), s(0.5)]),
        // Chuna: A3 1/2; + A7 A8 3/4; 3/4; + A9 4/6.
        ("treatment_share:chuna", [s(0.5), s(0.75), s(0.75), s(4.0 / 6.0)]),
        // First visits: P2 11-03; P3 11-09 and P4 11-10.
        ("new_patients", [s(1.0), s(3.0), s(3.0), s(3.0)]),
        // Referred among them: P2; P4.
        ("referrals", [s(1.0), s(2.0), s(2.0), s(2.0)]),
        // I2 11-03; I3 11-08; I4 11-24 18:00 (the last day counts whole; I5 is after it).
        ("inquiries", [s(1.0), s(2.0), s(2.0), s(3.0)]),
        // None on 11-03; C2 declined, C3 accepted 1/2; 1/2; + C4 undecided 1/3.
        ("consult_success", [N, s(0.5), s(0.5), s(1.0 / 3.0)]),
        // None due on 11-03; CB2 late, CB3 on time 1/2; 1/2; + CB4 never, CB5 late 1/4.
        ("callback_on_time", [N, s(0.5), s(0.5), s(0.25)]),
    ];
    check_summed(&store, &o, 4, expected);
}

/// Every summed metric's one-pass history against the points worked out by hand (after
/// `before` points with no value) and against `value_at` point by point.
#[track_caller]
fn check_summed<const P: usize>(
    store: &Store,
    o: &okr::Objective,
    before: usize,
    expected: &[(&str, [Option<f64>; P])],
) {
    for (metric, points) in expected {
        let mut want = vec![N; before];
        want.extend_from_slice(points);
        let got = history(store, o, metric);
        assert!(same(&got, &want), "{metric}: {got:?}, by hand {want:?}");
        let one_by_one = point_by_point(store, o, metric);
        assert!(same(&got, &one_by_one), "{metric}: {got:?}, point by point {one_by_one:?}");
    }
    assert_eq!(expected.len(), SUMMED.len());
}

#[test]
fn an_objective_that_ended_keeps_its_value_at_its_end() {
    let (_dir, store) = clinic();
    let o = objective(&store, "ended 11-12");
    // Period 10-15 .. 11-12. Points 10-06 and 10-13 are before it; 11-17 and 11-24 are judged
    // at 11-12, so nothing after it counts (A9, A10, A11, I4, C4, CB4, CB5).
    let expected: &[(&str, [Option<f64>; 6])] = &[
        // A1 10-16; A2 10-28, A3 A4 11-03; A7 A8.
        ("visits", [s(1.0), s(1.0), s(4.0), s(6.0), s(6.0), s(6.0)]),
        // 1/1; 4 over 10-16, 10-28, 11-03; 6 over five days.
        ("avg_daily_patients", [s(1.0), s(1.0), s(4.0 / 3.0), s(1.2), s(1.2), s(1.2)]),
        // A5 is the only no-show by 11-12: 0/1, 0/1, 0/4, 1/7.
        ("no_show_rate", [s(0.0), s(0.0), s(0.0), s(1.0 / 7.0), s(1.0 / 7.0), s(1.0 / 7.0)]),
        // A1 yes; A2 no, A3 yes, A4 no: 2/4; A7 A8 yes: 4/6.
        ("booking_rate", [s(1.0), s(1.0), s(0.5), s(4.0 / 6.0), s(4.0 / 6.0), s(4.0 / 6.0)]),
        // Chuna: A1; A3 of A2 A3 A4: 2/4; A7 A8: 4/6.
        ("treatment_share:chuna", [s(1.0), s(1.0), s(0.5), s(4.0 / 6.0), s(4.0 / 6.0), s(4.0 / 6.0)]),
        // P1 10-16; P2 11-03; P3, P4.
        ("new_patients", [s(1.0), s(1.0), s(2.0), s(4.0), s(4.0), s(4.0)]),
        ("referrals", [s(0.0), s(0.0), s(1.0), s(2.0), s(2.0), s(2.0)]),
        // I1; I2; I3.
        ("inquiries", [s(1.0), s(1.0), s(2.0), s(3.0), s(3.0), s(3.0)]),
        // None by 10-27; C1 accepted 1/1; C2 declined, C3 accepted 2/3.
        ("consult_success", [N, N, s(1.0), s(2.0 / 3.0), s(2.0 / 3.0), s(2.0 / 3.0)]),
        // CB1 on time 1/1; 1/1; CB2 late, CB3 on time 2/3 (CB4 due 11-19 is after the end).
        ("callback_on_time", [s(1.0), s(1.0), s(1.0), s(2.0 / 3.0), s(2.0 / 3.0), s(2.0 / 3.0)]),
    ];
    check_summed(&store, &o, 2, expected);
}

#[test]
fn an_objective_that_has_not_begun_has_no_history() {
    let (_dir, store) = clinic();
    let o = objective(&store, "begins 12-01");
    for metric in SUMMED.iter().chain(NOT_SUMMED) {
        assert_eq!(history(&store, &o, metric), vec![N; WEEKS], "{metric}");
        assert_eq!(point_by_point(&store, &o, metric), vec![N; WEEKS], "{metric}");
    }
}

#[test]
fn numbers_that_are_not_sums_over_days_are_computed_point_by_point() {
    let (_dir, store) = clinic();
    for title in ["began 11-03", "ended 11-12"] {
        let o = objective(&store, title);
        for metric in NOT_SUMMED {
            let got = history(&store, &o, metric);
            assert!(same(&got, &point_by_point(&store, &o, metric)), "{title} {metric}: {got:?}");
        }
    }
    // Return rate over 11-03 .. 11-24: P1 (A3, A11) and P2 (A4, A9) of P1..P4 came twice: 2/4;
    // over 11-03 .. 11-10 only P1..P4's single visits: 0/4. Not a sum of the weeks'.
    let got = history(&store, &objective(&store, "began 11-03"), "return_rate");
    assert!(same(&got[4..], &[s(0.0), s(0.0), s(0.0), s(0.5)]), "{got:?}");
}

#[test]
fn the_board_takes_its_values_and_history_from_the_weekly_pass() {
    let (_dir, store) = clinic();
    let with_history = okr::board(store.conn(), at(), WEEKS).unwrap();
    let without = okr::board(store.conn(), at(), 0).unwrap();
    assert_eq!(with_history.len(), 3);
    for (o, bare) in with_history.iter().zip(&without) {
        for (k, b) in o.key_results.iter().zip(&bare.key_results) {
            let metric = k.key_result.metric_key.as_str();
            assert!(same(&k.history, &point_by_point(&store, &o.objective, metric)), "{metric}");
            // The value judged is the last point, and the same as the board without history.
            assert!(same(&[k.judgement.value], &k.history[WEEKS - 1..]), "{metric}");
            assert_eq!(k.judgement, b.judgement, "{metric}");
            assert!(b.history.is_empty());
        }
    }
}

#[test]
fn a_hand_edited_time_that_is_no_date_falls_back_to_point_by_point() {
    let (_dir, store) = clinic();
    // Typed in the sqlite3 shell without the zero. As text it sorts after every "2026-11-1x.."
    // ("T" after the digits) and before "2026-11-2..": a period counts it only once it ends on
    // or after 11-20 (its bound "2026-11-21" or later), whatever day it meant.
    store
        .conn()
        .execute(
            "INSERT INTO appointments (patient_id, start, duration_min, treatment_code, status, booked_at, updated_at)
             VALUES (1, '2026-11-1T10:00:00', 30, 'chuna', 'done', '2026-11-01T09:00:00', '2026-11-01T09:00:00')",
            [],
        )
        .unwrap();
    let o = objective(&store, "began 11-03");
    for metric in ["visits", "booking_rate", "avg_daily_patients"] {
        let got = history(&store, &o, metric);
        assert!(same(&got, &point_by_point(&store, &o, metric)), "{metric}: {got:?}");
    }
    // Visits: the hand-computed 2, 4, 4, 6, and the odd row at 11-24.
    assert!(same(&history(&store, &o, "visits")[4..], &[s(2.0), s(4.0), s(4.0), s(7.0)]));
}

/// Inquiries of known people (besides the callers of the fixture) for the conversions:
/// I6 11-04 P2 (next done visit A9 11-20; C2 declined), I7 11-09 08:00 P3 (A7 11-09 09:00 the
/// same day; C3 accepted 11-09), I8 11-21 P1 (A11 11-24 17:00; C1 accepted before it, so
/// never paid after it), I9 11-05 by the booking A12 of P4 (its person P4 came on 11-10, A8;
/// C4 undecided).
fn with_known_inquirers(store: &Store) {
    let c = store.conn();
    for (at, patient, appointment) in [
        ("2026-11-04T10:00:00", Some(2), None),
        ("2026-11-09T08:00:00", Some(3), None),
        ("2026-11-21T11:00:00", Some(1), None),
        ("2026-11-05T10:00:00", None, Some(12)),
    ] {
        c.execute(
            "INSERT INTO inquiries (received_at, caller_name, patient_id, appointment_id) VALUES (?1, '문의자', ?2, ?3)",
            params![at, patient, appointment],
        )
        .unwrap();
    }
}

#[test]
fn inquiry_conversions_read_once_equal_their_definition_point_by_point() {
    let (_dir, store) = clinic();
    with_known_inquirers(&store);
    let o = objective(&store, "began 11-03");
    // Points 11-03, 11-10, 11-17, 11-24 (the first four are before the period).
    // 11-03: I2 alone, 0/1. 11-10: I2 I3 I6 I9 I7, I7 visited 11-09 and I9 11-10: 2/5.
    // 11-17: the same. 11-24: + I8 and I4: 7, + I6 (11-20) and I8 (11-24) visited: 4/7.
    let visit = [s(0.0), s(0.4), s(0.4), s(4.0 / 7.0)];
    // Paid: only I7 (C3 11-09): 0/1, 1/5, 1/5, 1/7.
    let paid = [s(0.0), s(0.2), s(0.2), s(1.0 / 7.0)];
    for (metric, points) in [("inquiry_to_visit", visit), ("inquiry_to_paid", paid)] {
        let mut want = vec![N; 4];
        want.extend_from_slice(&points);
        let got = history(&store, &o, metric);
        assert!(same(&got, &want), "{metric}: {got:?}, by hand {want:?}");
        assert!(same(&got, &point_by_point(&store, &o, metric)), "{metric}: {got:?}");
    }
    // The objective that ended on 11-12 judges its last points there: I6 (visited only on
    // 11-20) and I8 do not count as visited.
    let ended = objective(&store, "ended 11-12");
    for metric in ["inquiry_to_visit", "inquiry_to_paid"] {
        let got = history(&store, &ended, metric);
        assert!(same(&got, &point_by_point(&store, &ended, metric)), "ended {metric}: {got:?}");
    }
    // And the board (all numbers of an objective read together) equals each point's value.
    board_equals_point_by_point(&store);
}

/// Every key result of the board, live and as of the end of the day, with and without
/// history, has the values computed one by one by `value_at`.
#[track_caller]
fn board_equals_point_by_point(store: &Store) {
    for board in [okr::board(store.conn(), at(), WEEKS).unwrap(), okr::board(store.conn(), at(), 0).unwrap()]
    {
        for o in &board {
            for k in &o.key_results {
                let metric = k.key_result.metric_key.as_str();
                let one_by_one = point_by_point(store, &o.objective, metric);
                if !k.history.is_empty() {
                    assert!(same(&k.history, &one_by_one), "{} {metric}: {:?}", o.objective.title, k.history);
                }
                assert!(
                    same(&[k.judgement.value], &one_by_one[WEEKS - 1..]),
                    "{} {metric}",
                    o.objective.title
                );
            }
        }
    }
    // Live, the rates are judged through yesterday: the value at 11-23 for them.
    let live = okr::board_live(store.conn(), at(), WEEKS).unwrap();
    for o in &live {
        for k in &o.key_results {
            let kr = &k.key_result;
            let metric = kr.metric.as_ref().unwrap();
            let end = if metric.accumulates() { at() } else { at().pred_opt().unwrap() };
            let want = okr::value_at(store.conn(), &o.objective, kr, end).unwrap();
            assert!(same(&[k.judgement.value], &[want]), "live {} {}", o.objective.title, kr.metric_key);
        }
    }
}

#[test]
fn the_board_reads_every_number_as_its_definition_even_with_a_time_that_is_no_date() {
    let (_dir, store) = clinic();
    with_known_inquirers(&store);
    board_equals_point_by_point(&store);
    // A visit typed by hand without the zero: the shared scan of visits falls back.
    store
        .conn()
        .execute(
            "INSERT INTO appointments (patient_id, start, duration_min, treatment_code, status, booked_at, updated_at)
             VALUES (2, '2026-11-1T10:00:00', 30, 'chuna', 'no_show', '2026-11-01T09:00:00', '2026-11-01T09:00:00')",
            [],
        )
        .unwrap();
    board_equals_point_by_point(&store);
    // An inquiry typed the same way: the conversions fall back to point by point.
    store
        .conn()
        .execute("INSERT INTO inquiries (received_at, caller_name, patient_id) VALUES ('2026-11-1T10:00:00', 'x', 3)", [])
        .unwrap();
    board_equals_point_by_point(&store);
}
