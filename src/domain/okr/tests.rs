use super::*;
use chrono::NaiveDate;

/// Every metric has exactly one row in the catalog, whose key parses back to it; adding a
/// variant fails to compile here until it is named (and then until it has its row).
#[test]
fn the_metric_catalog_has_one_row_per_metric() {
    let every = |m: &Metric| match m {
        Metric::Visits
        | Metric::AvgDailyPatients
        | Metric::NoShowRate
        | Metric::BookingRate
        | Metric::NewPatients
        | Metric::ReturnRate
        | Metric::Referrals
        | Metric::Inquiries
        | Metric::InquiryToVisit
        | Metric::InquiryToPaid
        | Metric::ConsultSuccess
        | Metric::CallbackOnTime
        | Metric::OpenComplaints
        | Metric::Manual
        | Metric::Satisfaction
        | Metric::WaitMinutes
        | Metric::Revenue
        | Metric::RevenueCovered
        | Metric::RevenueNonCovered
        | Metric::RevenueCarInsurance
        | Metric::PackageSales
        | Metric::PackagesSold
        | Metric::VisitsPerPatient
        | Metric::RevenuePerVisit => true,
        Metric::TreatmentShare(_) | Metric::Filtered(..) => false,
    };
    assert_eq!(Metric::KEYS.len(), METRICS.len());
    for (spec, key) in METRICS.iter().zip(Metric::KEYS) {
        let m = (spec.metric)();
        assert!(every(&m));
        assert_eq!(spec.key, *key);
        assert_eq!(Metric::parse(key), Some(m.clone()));
        assert_eq!(m.key(), *key);
        assert_eq!(METRICS.iter().filter(|s| (s.metric)() == m).count(), 1, "{key}");
    }
    assert_eq!(METRICS.len(), 24, "a new metric needs its row");
    let share = Metric::parse("treatment_share:chuna").unwrap();
    assert!(share.is_rate() && !share.accumulates());
    assert_eq!(share.key(), "treatment_share:chuna");
    assert_eq!(share.label(crate::domain::Lang::En), "Treatment share");
    assert!(Metric::Visits.accumulates() && Metric::Manual.accumulates());
    assert!(!Metric::WaitMinutes.accumulates() && !Metric::WaitMinutes.is_rate());
    assert!(Metric::BookingRate.is_rate());
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn parses_the_design_example() {
    let text = r#"
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
actions = ["해피콜로 예약 잡기"]
"#;
    let objs = parse_okr_file(text, day(2026, 3, 1)).unwrap();
    assert_eq!(objs.len(), 1);
    assert_eq!(objs[0].from, day(2026, 1, 1));
    assert_eq!(objs[0].key_results[0].metric, Metric::NoShowRate);
    assert_eq!(objs[0].key_results[0].direction, Direction::AtMost);
}

#[test]
fn template_months_start_this_month() {
    let text = "[[objective]]\ntitle='x'\nmonths=6\n[[objective.key_result]]\ntitle='k'\nmetric='visits'\ndirection='at_least'\ntarget=5\n";
    let objs = parse_okr_file(text, day(2026, 11, 22)).unwrap();
    assert_eq!((objs[0].from, objs[0].to), (day(2026, 11, 1), day(2027, 4, 30)));
}

#[test]
fn errors_name_line_and_field() {
    let bad_metric = "[[objective]]\ntitle='x'\nfrom=2026-01-01\nto=2026-06-30\n[[objective.key_result]]\ntitle='k'\nmetric='speed'\ndirection='at_least'\ntarget=5\n";
    let e = parse_okr_file(bad_metric, day(2026, 1, 1)).unwrap_err();
    assert!(e.contains("`metric`") && e.contains("speed"), "{e}");
    let bad_toml = "[[objective]]\ntitle='x'\nfrom=2026-01-01\nto=2026-06-30\n[[objective.key_result]]\ntitle='k'\nmetric='visits'\ndirection='at_least'\ntarget='five'\n";
    let e = parse_okr_file(bad_toml, day(2026, 1, 1)).unwrap_err();
    assert!(e.starts_with("line 9"), "{e}");
    let reversed = "[[objective]]\ntitle='x'\nfrom=2026-06-01\nto=2026-01-01\n[[objective.key_result]]\ntitle='k'\nmetric='visits'\ndirection='at_least'\ntarget=5\n";
    assert!(parse_okr_file(reversed, day(2026, 1, 1)).unwrap_err().contains("`to`"));
}

#[test]
fn at_most_is_inclusive_at_the_target() {
    // 3 no-shows out of 10 is exactly 30%: meets "at most 30%".
    assert!(is_met(Direction::AtMost, 3.0 / 10.0, 0.30));
    assert!(!is_met(Direction::AtMost, 4.0 / 13.0, 0.30));
    assert!(is_met(Direction::AtLeast, 8.0 / 10.0, 0.80));
    assert!(!is_met(Direction::AtLeast, 7.0 / 9.0, 0.80));
    let j = judge(Direction::AtMost, 0.30, None, Some(3.0 / 10.0), 1.0);
    assert_eq!((j.progress, j.status), (Some(1.0), Status::Met));
}

#[test]
fn at_least_progress_from_the_baseline_clamped() {
    // (0.7 − 0.6) ÷ (0.8 − 0.6) = 0.5
    assert!((progress(Direction::AtLeast, 0.7, 0.8, Some(0.6)) - 0.5).abs() < 1e-12);
    // No baseline: 20 ÷ 50 = 0.4
    assert!((progress(Direction::AtLeast, 20.0, 50.0, None) - 0.4).abs() < 1e-12);
    // Below the baseline: clamped to 0; past the target: 1.
    assert_eq!(progress(Direction::AtLeast, 0.5, 0.8, Some(0.6)), 0.0);
    assert_eq!(progress(Direction::AtLeast, 60.0, 50.0, None), 1.0);
    // A baseline at the target and not met: nothing to measure, 0.
    assert_eq!(progress(Direction::AtLeast, 0.5, 0.8, Some(0.8)), 0.0);
}

#[test]
fn at_most_progress_needs_a_baseline_above_the_target() {
    // (0.40 − 0.35) ÷ (0.40 − 0.30) = 0.5
    assert!((progress(Direction::AtMost, 0.35, 0.30, Some(0.40)) - 0.5).abs() < 1e-12);
    // Worse than the baseline: 0.
    assert_eq!(progress(Direction::AtMost, 0.45, 0.30, Some(0.40)), 0.0);
    // No baseline, or a baseline not above the target: 0 until met.
    assert_eq!(progress(Direction::AtMost, 0.31, 0.30, None), 0.0);
    assert_eq!(progress(Direction::AtMost, 0.31, 0.30, Some(0.20)), 0.0);
    assert_eq!(progress(Direction::AtMost, 0.30, 0.30, None), 1.0);
}

#[test]
fn status_edges() {
    assert_eq!(status(true, 0.0, 1.0), Status::Met);
    assert_eq!(status(false, 0.5, 0.5), Status::OnTrack);
    // Exactly 20 points behind pace is still "behind"; a hair more is off track.
    assert_eq!(status(false, 0.3, 0.5), Status::Behind);
    assert_eq!(status(false, 0.8, 1.0), Status::Behind);
    assert_eq!(status(false, 0.299, 0.5), Status::OffTrack);
    assert_eq!(status(false, 0.0, 0.0), Status::OnTrack);
}

#[test]
fn rates_are_judged_on_their_value_to_date() {
    // Pace 1 whatever the date: 0.72 of a 0.80 target is 0.9 progress, 10 points behind.
    let p =
        pace(&Metric::BookingRate, day(2026, 1, 1), day(2026, 6, 30), day(2026, 1, 2), &OpenDays::default());
    assert_eq!(p, 1.0);
    let j = judge(Direction::AtLeast, 0.80, None, Some(0.72), p);
    assert_eq!(j.status, Status::Behind);
    // No value: no progress and "no data", never 0.
    let j = judge(Direction::AtLeast, 0.80, None, None, p);
    assert_eq!((j.progress, j.status), (None, Status::NoData));
}

#[test]
fn counts_pace_by_opening_days_gone() {
    let mon_sat = OpenDays::default();
    // 2026-11-01 is a Sunday. November 2026: 30 days, 5 Sundays, so 25 opening days.
    assert_eq!(mon_sat.count(day(2026, 11, 1), day(2026, 11, 30)), 25);
    // Through Mon 11-23: 23 days minus 4 Sundays (1, 8, 15, 22) = 19 -> 19/25.
    let p = pace(&Metric::NewPatients, day(2026, 11, 1), day(2026, 11, 30), day(2026, 11, 23), &mon_sat);
    assert!((p - 19.0 / 25.0).abs() < 1e-12, "{p}");
    // Before the period 0, after it 1.
    assert_eq!(pace(&Metric::Visits, day(2026, 11, 1), day(2026, 11, 30), day(2026, 10, 31), &mon_sat), 0.0);
    assert_eq!(pace(&Metric::Visits, day(2026, 11, 1), day(2026, 11, 30), day(2026, 12, 5), &mon_sat), 1.0);
    // Weekdays only: 11-01..11-23 holds 16 weekdays of November's 21 -> 16/21.
    let weekdays = OpenDays::parse("mon,tue,wed,thu,fri").unwrap();
    let p = pace(&Metric::Visits, day(2026, 11, 1), day(2026, 11, 30), day(2026, 11, 23), &weekdays);
    assert!((p - 16.0 / 21.0).abs() < 1e-12, "{p}");
    // No opening day at all: calendar days, 23/30.
    let closed = OpenDays::parse("").unwrap();
    let p = pace(&Metric::Visits, day(2026, 11, 1), day(2026, 11, 30), day(2026, 11, 23), &closed);
    assert!((p - 23.0 / 30.0).abs() < 1e-12, "{p}");
    assert_eq!(OpenDays::parse("mon,xyz"), None);
    assert_eq!(OpenDays::parse("월,화,수,목,금,토"), Some(mon_sat));
}

#[test]
fn an_objective_shows_the_mean_and_the_worst() {
    let met = judge(Direction::AtLeast, 10.0, None, Some(12.0), 0.5);
    let behind = judge(Direction::AtLeast, 10.0, None, Some(4.0), 0.5); // 0.4 vs 0.5
    let none = judge(Direction::AtLeast, 0.5, None, None, 1.0);
    let (mean, worst) = objective_summary(&[met, behind, none]);
    // (1.0 + 0.4) ÷ 2: the key result with no value is left out of the mean.
    assert!((mean.unwrap() - 0.7).abs() < 1e-12);
    assert_eq!(worst, Status::Behind);
    assert_eq!(objective_summary(&[none]), (None, Status::NoData));
    assert_eq!(objective_summary(&[met]).1, Status::Met);
    // Met and no data: not met. The mean is over the one with data; one is without.
    assert_eq!(objective_summary(&[met, none]), (Some(1.0), Status::NoData));
    assert_eq!(without_data(&[met, none, behind]), 1);
    // A worse status with data still shows through.
    assert_eq!(objective_summary(&[met, behind, none]).1, Status::Behind);
}

#[test]
fn cadence_is_read_from_the_file_and_checked() {
    let text = "[[objective]]\ntitle='x'\nfrom=2026-09-01\nto=2027-02-28\n[[objective.key_result]]\ntitle='매출 월 3,000만원'\nmetric='manual'\ndirection='at_least'\ntarget=30000000\ncadence='month'\n[[objective.key_result]]\ntitle='k'\nmetric='visits'\ndirection='at_least'\ntarget=5\n";
    let objs = parse_okr_file(text, day(2026, 11, 1)).unwrap();
    assert_eq!(objs[0].key_results[0].cadence, Cadence::Month);
    // Without `cadence`: the whole period, as before.
    assert_eq!(objs[0].key_results[1].cadence, Cadence::Period);
    let bad = text.replace("cadence='month'", "cadence='weekly'");
    let e = parse_okr_file(&bad, day(2026, 11, 1)).unwrap_err();
    assert!(e.contains("`cadence`") && e.contains("weekly"), "{e}");
}

#[test]
fn a_monthly_key_result_is_judged_on_the_month_of_the_day() {
    let (from, to) = (day(2026, 9, 15), day(2027, 2, 28));
    // Whole period: from the start to the day.
    assert_eq!(judged_window(Cadence::Period, from, to, day(2026, 11, 23)), Some((from, day(2026, 11, 23))));
    // Monthly: the 1st of November to the 23rd.
    assert_eq!(
        judged_window(Cadence::Month, from, to, day(2026, 11, 23)),
        Some((day(2026, 11, 1), day(2026, 11, 23)))
    );
    // In the period's first month, from its start (9-15), not the 1st.
    assert_eq!(
        judged_window(Cadence::Month, from, to, day(2026, 9, 20)),
        Some((day(2026, 9, 15), day(2026, 9, 20)))
    );
    // After the period: its last month. Before it: nothing.
    assert_eq!(
        judged_window(Cadence::Month, from, to, day(2027, 5, 3)),
        Some((day(2027, 2, 1), day(2027, 2, 28)))
    );
    assert_eq!(judged_window(Cadence::Month, from, to, day(2026, 9, 14)), None);
}

#[test]
fn a_monthly_pace_is_the_share_of_the_months_clinic_days_gone() {
    let (from, to) = (day(2026, 9, 15), day(2027, 2, 28));
    let mon_sat = OpenDays::default();
    let (pf, pt) = pace_window(Cadence::Month, from, to, day(2026, 11, 23));
    assert_eq!((pf, pt), (day(2026, 11, 1), day(2026, 11, 30)));
    // November: 25 opening days, 19 of them through Mon 11-23 (see above).
    let p = pace(&Metric::Manual, pf, pt, day(2026, 11, 23), &mon_sat);
    assert!((p - 19.0 / 25.0).abs() < 1e-12, "{p}");
    // The first month runs from the period's start: 9-15..9-30 holds 14 opening days
    // (Sundays 20 and 27 off), 9-15..9-19 five of them -> 5/14.
    let (pf, pt) = pace_window(Cadence::Month, from, to, day(2026, 9, 19));
    assert_eq!((pf, pt), (day(2026, 9, 15), day(2026, 9, 30)));
    let p = pace(&Metric::Manual, pf, pt, day(2026, 9, 19), &mon_sat);
    assert!((p - 5.0 / 14.0).abs() < 1e-12, "{p}");
    // Rates keep pace 1.
    assert_eq!(pace(&Metric::NoShowRate, pf, pt, day(2026, 9, 19), &mon_sat), 1.0);
    // The whole period's pace is unchanged.
    assert_eq!(pace_window(Cadence::Period, from, to, day(2026, 11, 23)), (from, to));
}

#[test]
fn a_monthly_history_has_one_point_per_month_of_the_period() {
    let (from, to) = (day(2026, 9, 15), day(2027, 2, 28));
    assert_eq!(
        month_points(from, to, day(2026, 11, 23), 8),
        vec![
            (day(2026, 9, 15), day(2026, 9, 30)),
            (day(2026, 10, 1), day(2026, 10, 31)),
            (day(2026, 11, 1), day(2026, 11, 23)),
        ]
    );
    // The latest `n` only; none before the period.
    assert_eq!(month_points(from, to, day(2026, 11, 23), 1), vec![(day(2026, 11, 1), day(2026, 11, 23))]);
    assert!(month_points(from, to, day(2026, 9, 1), 8).is_empty());
    // After the period: up to its last month.
    assert_eq!(month_points(from, to, day(2027, 6, 1), 2).last(), Some(&(day(2027, 2, 1), day(2027, 2, 28))));
}

#[test]
fn rates_are_judged_through_the_last_finished_day() {
    let at = day(2026, 11, 23);
    // During the day: a rate or average stops at yesterday; a count takes today's rows.
    assert_eq!(finished_end(&Metric::NoShowRate, at, at, true), day(2026, 11, 22));
    assert_eq!(finished_end(&Metric::AvgDailyPatients, at, at, true), day(2026, 11, 22));
    assert_eq!(finished_end(&Metric::NewPatients, at, at, true), at);
    // As of the end of the day (`okr status --at`), the day counts.
    assert_eq!(finished_end(&Metric::NoShowRate, at, at, false), at);
    // A period that ended before today is read to its end.
    assert_eq!(finished_end(&Metric::NoShowRate, day(2026, 11, 20), at, true), day(2026, 11, 20));
}

#[test]
fn values_read_as_people_write_them() {
    assert_eq!(format_value(&Metric::NoShowRate, Some(0.3), ""), "30%");
    assert_eq!(format_value(&Metric::BookingRate, Some(2.0 / 3.0), ""), "66.7%");
    assert_eq!(format_value(&Metric::AvgDailyPatients, Some(37.26), ""), "37.3");
    assert_eq!(format_value(&Metric::Manual, Some(30_000_000.0), "원"), "30,000,000원");
    assert_eq!(format_value(&Metric::ReturnRate, None, ""), "-");
}

#[test]
fn targets_as_people_type_them() {
    assert_eq!(parse_amount_input("80%", true), Some(0.8));
    assert_eq!(parse_amount_input("0.3", true), Some(0.3));
    assert_eq!(parse_amount_input("30", true), Some(0.3));
    assert_eq!(parse_amount_input("50", false), Some(50.0));
    assert_eq!(parse_amount_input("3,000만원", false), Some(30_000_000.0));
    assert_eq!(parse_amount_input("", false), None);
    assert_eq!(parse_amount_input("많이", false), None);
}
