//! Every metric on the hand-computed November fixture, and the records behind a rate.

use super::*;

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
