//! Key results aimed at one treatment, provider, payment category or referral source, and the
//! metrics `visits_per_patient` and `revenue_per_visit` (issue 21). Every expected number is
//! worked out by hand from the fixture below.

mod common;

use chrono::NaiveDate;
use common::*;
use frontdesk::domain::okr::{self as dokr, Filters, Metric};
use frontdesk::domain::payments::PaymentCategory;
use frontdesk::store::payments::{NewPayment, insert_payment};
use frontdesk::store::{Store, metrics, okr};
use rusqlite::params;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Staff 가상김원장 (1), 가상이원장 (2). Patients A (internet), B (referral), C (internet).
/// Done visits, November 2026:
///   11-02 A chuna 김   11-02 B car_insurance 이
///   11-03 A chuna 김   11-03 C acupuncture 김
///   11-04 B car_insurance 이   11-04 A acupuncture 이
///   and 11-05 C chuna 김 a no-show.
/// First visits: A 11-02 (chuna, 김), B 11-02 (car_insurance, 이), C 11-03 (acupuncture, 김).
/// Payments: 11-02 A 50,000 비급여 chuna 김; 11-02 B 30,000 자보 car_insurance 이;
///   11-03 A 40,000 급여 chuna 김; 11-03 C 10,000 급여 acupuncture 김;
///   11-04 A 100,000 비급여 acupuncture 이; 11-05 A -20,000 비급여 chuna 김 (refund).
/// Packages: 11-02 A chuna 500,000 by 김; 11-04 B diet 300,000 by 이; 11-10 C chuna 450,000 by 이.
/// Consultations: 11-02 A chuna accepted; 11-03 C chuna declined; 11-04 B diet accepted.
/// Inquiries: 11-01 diet internet; 11-01 chuna referral.
fn fixture(dir: &tempfile::TempDir) -> Store {
    let mut store = open(&dir.path().join("clinic.db"));
    store
        .write(|tx| {
            // Only this test's objectives on the board, not the seeded template.
            tx.execute("DELETE FROM objectives", [])?;
            tx.execute_batch(
                "INSERT INTO staff (id, name, role) VALUES (1, '가상김원장', 'director'), (2, '가상이원장', 'director');
                 INSERT INTO patients (id, chart_no, name, referral_source, created_at) VALUES
                   (1, 'A1', '가상가', 'internet', '2026-10-01T09:00:00'),
                   (2, 'B2', '가상나', 'referral', '2026-10-01T09:00:00'),
                   (3, 'C3', '가상다', 'internet', '2026-10-01T09:00:00');",
            )?;
            for (pid, start, treatment, provider, status) in [
                (1, "2026-11-02T10:00:00", "chuna", 1, "done"),
                (2, "2026-11-02T11:00:00", "car_insurance", 2, "done"),
                (1, "2026-11-03T10:00:00", "chuna", 1, "done"),
                (3, "2026-11-03T11:00:00", "acupuncture", 1, "done"),
                (2, "2026-11-04T10:00:00", "car_insurance", 2, "done"),
                (1, "2026-11-04T11:00:00", "acupuncture", 2, "done"),
                (3, "2026-11-05T10:00:00", "chuna", 1, "no_show"),
            ] {
                tx.execute(
                    "INSERT INTO appointments (patient_id, start, duration_min, provider_id, treatment_code, status,
                                               booked_at, updated_at)
                     VALUES (?1, ?2, 30, ?3, ?4, ?5, '2026-10-01T09:00:00', '2026-10-01T09:00:00')",
                    params![pid, start, provider, treatment, status],
                )?;
            }
            for (pid, on, treatment, price, by) in
                [(1, "2026-11-02", "chuna", 500_000, 1), (2, "2026-11-04", "diet", 300_000, 2), (3, "2026-11-10", "chuna", 450_000, 2)]
            {
                tx.execute(
                    "INSERT INTO packages (patient_id, treatment_code, sessions, price_krw, purchased_on, provider_id)
                     VALUES (?1, ?2, 10, ?3, ?4, ?5)",
                    params![pid, treatment, price, on, by],
                )?;
            }
            for (pid, at, treatment, status) in [
                (1, "2026-11-02T12:00:00", "chuna", "accepted"),
                (3, "2026-11-03T12:00:00", "chuna", "declined"),
                (2, "2026-11-04T12:00:00", "diet", "accepted"),
            ] {
                tx.execute(
                    "INSERT INTO consultations (patient_id, consulted_at, treatment_code, status) VALUES (?1, ?2, ?3, ?4)",
                    params![pid, at, treatment, status],
                )?;
            }
            tx.execute_batch(
                "INSERT INTO inquiries (received_at, topic_code, referral_source) VALUES
                   ('2026-11-01T09:00:00', 'diet', 'internet'), ('2026-11-01T10:00:00', 'chuna', 'referral');",
            )?;
            Ok(())
        })
        .unwrap();
    use PaymentCategory::*;
    for (pid, d, amount, cat, treatment, provider) in [
        (1, 2, 50_000, NonCovered, "chuna", 1),
        (2, 2, 30_000, CarInsurance, "car_insurance", 2),
        (1, 3, 40_000, Covered, "chuna", 1),
        (3, 3, 10_000, Covered, "acupuncture", 1),
        (1, 4, 100_000, NonCovered, "acupuncture", 2),
        (1, 5, -20_000, NonCovered, "chuna", 1),
    ] {
        let mut p = NewPayment::new(pid, at(2026, 11, d, 13, 0), amount, cat);
        p.treatment_code = Some(treatment.into());
        p.provider_id = Some(provider);
        if amount < 0 {
            p.reason = "환불".into();
        }
        store.write(|tx| insert_payment(tx, &p)).unwrap();
    }
    store
}

fn filtered(key: &str, field: &str, value: &str) -> Metric {
    let mut f = Filters::default();
    let v = Some(value.to_string());
    match field {
        "treatment" => f.treatment = v,
        "provider" => f.provider = v,
        "category" => f.category = v,
        "source" => f.source = v,
        _ => f = Filters::default(),
    }
    Metric::parse(key).unwrap().with_filters(f)
}

/// (metric, filter field, filter value, November's value by hand)
const CASES: &[(&str, &str, &str, f64)] = &[
    ("visits", "", "", 6.0),
    ("visits", "provider", "가상김원장", 3.0),
    ("visits", "provider", "가상이원장", 3.0),
    ("visits", "treatment", "chuna", 2.0),
    ("visits", "source", "internet", 4.0),
    ("visits", "source", "referral", 2.0),
    ("avg_daily_patients", "", "", 2.0),
    // 3 visits on the 2 days 김 saw patients.
    ("avg_daily_patients", "provider", "가상김원장", 1.5),
    ("visits_per_patient", "", "", 2.0),
    ("visits_per_patient", "provider", "가상김원장", 1.5),
    ("visits_per_patient", "treatment", "car_insurance", 2.0),
    ("visits_per_patient", "source", "referral", 2.0),
    ("new_patients", "", "", 3.0),
    ("new_patients", "treatment", "car_insurance", 1.0),
    ("new_patients", "provider", "가상김원장", 2.0),
    ("new_patients", "source", "internet", 2.0),
    // One no-show of 김's 3 done + 1 missed.
    ("no_show_rate", "provider", "가상김원장", 0.25),
    ("no_show_rate", "provider", "가상이원장", 0.0),
    ("revenue", "", "", 210_000.0),
    ("revenue", "category", "non_covered", 130_000.0),
    ("revenue", "category", "covered", 50_000.0),
    ("revenue", "provider", "가상김원장", 80_000.0),
    ("revenue", "treatment", "chuna", 70_000.0),
    ("revenue", "source", "referral", 30_000.0),
    ("revenue_non_covered", "provider", "가상이원장", 100_000.0),
    ("revenue_per_visit", "", "", 35_000.0),
    ("revenue_per_visit", "category", "non_covered", 130_000.0 / 6.0),
    ("revenue_per_visit", "provider", "가상김원장", 80_000.0 / 3.0),
    ("revenue_per_visit", "treatment", "chuna", 35_000.0),
    ("package_sales", "treatment", "chuna", 950_000.0),
    ("package_sales", "provider", "가상이원장", 750_000.0),
    ("packages_sold", "source", "internet", 2.0),
    ("packages_sold", "treatment", "diet", 1.0),
    ("consult_success", "treatment", "chuna", 0.5),
    ("consult_success", "source", "referral", 1.0),
    ("inquiries", "treatment", "diet", 1.0),
    ("inquiries", "source", "referral", 1.0),
    ("return_rate", "provider", "가상김원장", 0.5),
];

#[test]
fn every_filter_narrows_its_metric_to_the_hand_count() {
    let dir = tempfile::tempdir().unwrap();
    let store = fixture(&dir);
    for (key, field, value, want) in CASES {
        let m = filtered(key, field, value);
        if let Some(f) = m.filters() {
            f.check(&m).unwrap_or_else(|e| panic!("{key} {field}: {e}"));
        }
        let v = metrics::value(&store, &m, None, day(2026, 11, 1), day(2026, 11, 30)).unwrap();
        let v = v.unwrap_or_else(|| panic!("{key} {field}={value}: no value"));
        assert!((v - want).abs() < 1e-6, "{key} {field}={value}: {v} != {want}");
    }
}

#[test]
fn per_day_totals_and_drill_downs_follow_the_filters() {
    let dir = tempfile::tempdir().unwrap();
    let store = fixture(&dir);
    let (from, to) = (day(2026, 11, 1), day(2026, 11, 30));
    let m = filtered("revenue", "provider", "가상김원장");
    let days = metrics::daily_totals(store.conn(), &m, from, to).unwrap().unwrap();
    let per_day: Vec<(NaiveDate, i64)> = days.iter().map(|d| (d.day, d.hits)).collect();
    assert_eq!(
        per_day,
        vec![(day(2026, 11, 2), 50_000), (day(2026, 11, 3), 50_000), (day(2026, 11, 5), -20_000)]
    );
    let m = filtered("visits", "source", "referral");
    let records = metrics::records(&store, &m, None, from, to).unwrap();
    assert_eq!(records.iter().map(|r| r.chart_no.as_str()).collect::<Vec<_>>(), vec!["B2", "B2"]);
    let m = filtered("new_patients", "treatment", "car_insurance");
    let records = metrics::records(&store, &m, None, from, to).unwrap();
    assert_eq!(records.iter().map(|r| r.chart_no.as_str()).collect::<Vec<_>>(), vec!["B2"]);
    let m = filtered("no_show_rate", "provider", "가상김원장");
    let both = metrics::rate_records(&store, &m, from, to, true).unwrap().unwrap();
    assert_eq!(both.len(), 4, "{both:?}");
    assert_eq!(both.iter().filter(|r| r.hit == Some(true)).count(), 1);
}

const FILE: &str = r#"
[[objective]]
title = "원장별"
from = 2026-11-01
to = 2026-11-30

[[objective.key_result]]
title = "김원장 평환"
metric = "avg_daily_patients"
provider = "가상김원장"
direction = "at_least"
target = 1.0

[[objective.key_result]]
title = "비급여 매출 월 10만원"
metric = "revenue"
category = "비급여"
cadence = "month"
direction = "at_least"
target = 100000
unit = "원"

[[objective.key_result]]
title = "자보 초진"
metric = "new_patients"
treatment = "car_insurance"
direction = "at_least"
target = 2
"#;

#[test]
fn filters_load_from_the_okr_file_are_stored_judged_and_exported_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = fixture(&dir);
    let defs = dokr::parse_okr_file(FILE, day(2026, 11, 23)).unwrap();
    // A Korean label is read as its code.
    assert_eq!(defs[0].key_results[1].metric.filters().unwrap().category.as_deref(), Some("non_covered"));
    store.write(|tx| okr::load_objective(tx, &defs[0])).unwrap();
    let board = okr::board_live(store.conn(), day(2026, 11, 30), 4).unwrap();
    let values: Vec<Option<f64>> = board[0].key_results.iter().map(|k| k.judgement.value).collect();
    assert_eq!(values, vec![Some(1.5), Some(130_000.0), Some(1.0)]);
    // Exported and read back: the same definitions.
    let stored = okr::objectives(store.conn()).unwrap();
    let back: Vec<dokr::ObjectiveDef> = stored
        .iter()
        .map(|o| dokr::ObjectiveDef {
            title: o.title.clone(),
            from: o.from,
            to: o.to,
            key_results: o.key_results.iter().filter_map(|k| k.def()).collect(),
        })
        .collect();
    let text = dokr::okr_file_text(&back);
    assert_eq!(dokr::parse_okr_file(&text, day(2026, 11, 23)).unwrap(), defs, "{text}");
}

#[test]
fn a_filter_a_metric_cannot_take_is_refused_with_its_name() {
    let bad = FILE.replace("provider = \"가상김원장\"", "category = \"covered\"");
    let e = dokr::parse_okr_file(&bad, day(2026, 11, 23)).unwrap_err();
    assert!(e.contains("`category`") && e.contains("avg_daily_patients"), "{e}");
    let bad = FILE.replace("category = \"비급여\"", "category = \"cash\"");
    let e = dokr::parse_okr_file(&bad, day(2026, 11, 23)).unwrap_err();
    assert!(e.contains("cash"), "{e}");
}

#[test]
fn filters_can_be_set_and_cleared_and_an_editor_without_them_keeps_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = fixture(&dir);
    let defs = dokr::parse_okr_file(FILE, day(2026, 11, 23)).unwrap();
    store.write(|tx| okr::load_objective(tx, &defs[0])).unwrap();
    let kr = okr::objectives(store.conn()).unwrap()[0].key_results[0].clone();
    // An edit with the plain metric (the editor has no filter fields yet) keeps the provider.
    let mut def = kr.def().unwrap();
    def.metric = Metric::AvgDailyPatients;
    def.target = 2.0;
    store.write(|tx| okr::update_key_result(tx, kr.id, &def)).unwrap();
    let kr = okr::objectives(store.conn()).unwrap()[0].key_results[0].clone();
    assert_eq!(kr.metric.as_ref().unwrap().filters().unwrap().provider.as_deref(), Some("가상김원장"));
    store.write(|tx| okr::set_key_result_filters(tx, kr.id, &Filters::default())).unwrap();
    let kr = okr::objectives(store.conn()).unwrap()[0].key_results[0].clone();
    assert_eq!(kr.metric, Some(Metric::AvgDailyPatients));
    let bad = Filters { category: Some("covered".into()), ..Default::default() };
    assert!(store.write(|tx| okr::set_key_result_filters(tx, kr.id, &bad)).is_err());
}

/// Revenue is read from per-day totals (payment_days, kept by a trigger on payments and
/// filled in one pass by a bulk load): the same as summing the payments, for every revenue
/// metric and filter, here and on the demo clinic.
#[test]
fn revenue_from_the_per_day_totals_equals_the_plain_sum_of_payments() {
    let dir = tempfile::tempdir().unwrap();
    let store = fixture(&dir);
    let demo_dir = tempfile::tempdir().unwrap();
    let date = day(2026, 11, 24);
    let mut demo = open_at(&demo_dir.path().join("demo.db"), date.and_hms_opt(9, 20, 0).unwrap());
    frontdesk::demo::generate(
        &mut demo,
        &frontdesk::demo::DemoOptions { scale: frontdesk::demo::Scale::Small, seed: 3, date },
    )
    .unwrap();
    let demo_provider: String = demo
        .conn()
        .query_row("SELECT name FROM staff WHERE role = 'director' ORDER BY id", [], |r| r.get(0))
        .unwrap();
    let mut metrics_to_check: Vec<Metric> =
        ["revenue", "revenue_covered", "revenue_non_covered", "revenue_car_insurance"]
            .iter()
            .map(|k| Metric::parse(k).unwrap())
            .collect();
    for (field, value) in [
        ("category", "non_covered"),
        ("treatment", "chuna"),
        ("provider", "가상김원장"),
        ("provider", demo_provider.as_str()),
        ("source", "internet"),
    ] {
        metrics_to_check.push(filtered("revenue", field, value));
    }
    for (store, from, to) in [(&store, day(2026, 11, 1), day(2026, 11, 30)), (&demo, day(2026, 8, 1), date)] {
        let mut nonzero = 0;
        for m in &metrics_to_check {
            let plain = metrics::revenue_from_payments(store.conn(), m, from, to).unwrap();
            let value = metrics::value(store, m, None, from, to).unwrap();
            assert_eq!(value, Some(plain as f64), "{m:?}");
            let days = metrics::daily_totals(store.conn(), m, from, to).unwrap().unwrap();
            assert_eq!(days.iter().map(|d| d.hits).sum::<i64>(), plain, "{m:?}");
            nonzero += (plain != 0) as usize;
        }
        assert!(nonzero >= 4, "the check compares real sums");
    }
}
