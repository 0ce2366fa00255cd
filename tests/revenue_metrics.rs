//! Revenue and package key results computed live (issue 21): `revenue` and its categories
//! net of refunds, `package_sales` and `packages_sold`, per period, per day and on a monthly
//! key result. Every expected number is worked out by hand from the fixture below.

mod common;

use chrono::NaiveDate;
use common::*;
use frontdesk::domain::okr::{Cadence, Metric, Status};
use frontdesk::domain::payments::PaymentCategory;
use frontdesk::store::payments::{NewPayment, insert_payment};
use frontdesk::store::{Store, metrics, okr};
use rusqlite::params;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Patients P1, P2. Payments:
///   10-30 P1 비급여  5,000,000
///   11-02 P1 비급여 12,000,000   (A)
///   11-03 P2 급여       30,000
///   11-03 P2 자보       70,000
///   11-10 P1 비급여 -2,000,000   refund of A
///   11-23 P2 비급여  8,000,000   (today, 09:10)
///   12-01 P1 급여       20,000
/// November: total 18,100,000; 비급여 18,000,000; 급여 30,000; 자보 70,000.
/// Packages: 10-15 chuna 1,000,000; 11-02 diet 6,000,000; 11-20 chuna 1,200,000.
/// November: 2 sold, 7,200,000.
fn fixture(dir: &tempfile::TempDir) -> Store {
    let mut store = open(&dir.path().join("clinic.db"));
    let p1 = patient(&mut store, "가상김");
    let p2 = patient(&mut store, "가상이");
    let pay = |store: &mut Store, pid, at: chrono::NaiveDateTime, amount, cat, corrects: Option<i64>| {
        let mut p = NewPayment::new(pid, at, amount, cat);
        if let Some(c) = corrects {
            p.corrects_id = Some(c);
            p.reason = "환불".into();
        }
        store.write(|tx| insert_payment(tx, &p)).unwrap()
    };
    use PaymentCategory::*;
    pay(&mut store, p1, at(2026, 10, 30, 10, 0), 5_000_000, NonCovered, None);
    let a = pay(&mut store, p1, at(2026, 11, 2, 10, 0), 12_000_000, NonCovered, None);
    pay(&mut store, p2, at(2026, 11, 3, 11, 0), 30_000, Covered, None);
    pay(&mut store, p2, at(2026, 11, 3, 11, 30), 70_000, CarInsurance, None);
    pay(&mut store, p1, at(2026, 11, 10, 15, 0), -2_000_000, NonCovered, Some(a));
    pay(&mut store, p2, at(2026, 11, 23, 9, 10), 8_000_000, NonCovered, None);
    pay(&mut store, p1, at(2026, 12, 1, 10, 0), 20_000, Covered, None);
    for (pid, on, treatment, price) in [
        (p1, "2026-10-15", "chuna", 1_000_000),
        (p1, "2026-11-02", "diet", 6_000_000),
        (p2, "2026-11-20", "chuna", 1_200_000),
    ] {
        store
            .write(|tx| {
                Ok(tx.execute(
                    "INSERT INTO packages (patient_id, treatment_code, sessions, price_krw, purchased_on) VALUES (?1, ?2, 10, ?3, ?4)",
                    params![pid, treatment, price, on],
                )?)
            })
            .unwrap();
    }
    store
}

fn patient(store: &mut Store, name: &str) -> i64 {
    store
        .write(|tx| {
            frontdesk::store::patients::insert_patient(
                tx,
                &frontdesk::store::patients::NewPatient { name: name.into(), ..Default::default() },
            )
        })
        .unwrap()
}

const NOVEMBER: [(&str, f64); 6] = [
    ("revenue", 18_100_000.0),
    ("revenue_non_covered", 18_000_000.0),
    ("revenue_covered", 30_000.0),
    ("revenue_car_insurance", 70_000.0),
    ("package_sales", 7_200_000.0),
    ("packages_sold", 2.0),
];

#[test]
fn each_money_metric_over_november_matches_the_hand_count() {
    let dir = tempfile::tempdir().unwrap();
    let store = fixture(&dir);
    for (key, want) in NOVEMBER {
        let m = Metric::parse(key).unwrap();
        let v = metrics::value(&store, &m, None, day(2026, 11, 1), day(2026, 11, 30)).unwrap();
        assert_eq!(v, Some(want), "{key}");
    }
    // Across the month boundary, and a period with nothing: zero, not "no data".
    let revenue = Metric::parse("revenue").unwrap();
    assert_eq!(
        metrics::value(&store, &revenue, None, day(2026, 10, 30), day(2026, 12, 1)).unwrap(),
        Some(23_120_000.0)
    );
    assert_eq!(metrics::value(&store, &revenue, None, day(2026, 9, 1), day(2026, 9, 30)).unwrap(), Some(0.0));
    // The refund day alone is negative.
    assert_eq!(
        metrics::value(&store, &revenue, None, day(2026, 11, 10), day(2026, 11, 10)).unwrap(),
        Some(-2_000_000.0)
    );
}

#[test]
fn the_per_day_totals_add_up_to_the_period_value() {
    let dir = tempfile::tempdir().unwrap();
    let store = fixture(&dir);
    for (key, want) in NOVEMBER {
        let m = Metric::parse(key).unwrap();
        let days =
            metrics::daily_totals(store.conn(), &m, day(2026, 11, 1), day(2026, 11, 30)).unwrap().unwrap();
        let sum: i64 = if key == "packages_sold" {
            days.iter().map(|d| d.rows).sum()
        } else {
            days.iter().map(|d| d.hits).sum()
        };
        assert_eq!(sum as f64, want, "{key}");
    }
    let nc = Metric::parse("revenue_non_covered").unwrap();
    let days =
        metrics::daily_totals(store.conn(), &nc, day(2026, 11, 1), day(2026, 11, 30)).unwrap().unwrap();
    let per_day: Vec<(NaiveDate, i64)> = days.iter().map(|d| (d.day, d.hits)).collect();
    assert_eq!(
        per_day,
        vec![(day(2026, 11, 2), 12_000_000), (day(2026, 11, 10), -2_000_000), (day(2026, 11, 23), 8_000_000)]
    );
}

#[test]
fn a_monthly_revenue_key_result_is_judged_on_the_current_month_and_drills_down_to_payments() {
    let dir = tempfile::tempdir().unwrap();
    let store = fixture(&dir);
    let c = store.conn();
    c.execute("DELETE FROM objectives", []).unwrap();
    c.execute(
        "INSERT INTO objectives (title, from_date, to_date) VALUES ('매출', '2026-09-15', '2027-02-28')",
        [],
    )
    .unwrap();
    let o = c.last_insert_rowid();
    for (i, (title, metric, target)) in [
        ("비급여 매출 월 3,000만원", "revenue_non_covered", 30_000_000.0),
        ("패키지 월 2건", "packages_sold", 2.0),
    ]
    .iter()
    .enumerate()
    {
        c.execute(
            "INSERT INTO key_results (objective_id, title, metric, direction, target, sort, cadence)
             VALUES (?1, ?2, ?3, 'at_least', ?4, ?5, 'month')",
            params![o, title, metric, target, i as i64],
        )
        .unwrap();
    }
    let board = okr::board_live(c, day(2026, 11, 23), 8).unwrap();
    let k = &board[0].key_results[0];
    assert_eq!(k.key_result.cadence, Cadence::Month);
    // November to date (today's payment included), not the period's 23,000,000.
    assert_eq!(k.judgement.value, Some(18_000_000.0));
    assert_ne!(k.judgement.status, Status::NoData);
    let k = &board[0].key_results[1];
    assert_eq!(k.judgement.value, Some(2.0));
    assert_eq!(k.judgement.status, Status::Met);
    // The drill-down lists November's non-covered payments, the refund among them.
    let m = Metric::parse("revenue_non_covered").unwrap();
    let records = metrics::records(&store, &m, None, day(2026, 11, 1), day(2026, 11, 30)).unwrap();
    assert_eq!(records.len(), 3);
    assert!(records.iter().any(|r| r.note.starts_with("-2000000 환불")), "{records:?}");
}

/// The demo clinic takes money at every checkout, so its board shows revenue on any day.
#[test]
fn the_demo_boards_revenue_key_results_have_numbers_on_three_dates() {
    use frontdesk::demo::{self, DemoOptions, Scale};
    for (i, date) in [day(2026, 11, 24), day(2027, 1, 9), day(2026, 8, 3)].into_iter().enumerate() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open_at(&dir.path().join("demo.db"), date.and_hms_opt(9, 20, 0).unwrap());
        demo::generate(&mut store, &DemoOptions { scale: Scale::Small, seed: 7 + i as u64, date }).unwrap();
        let c = store.conn();
        let unpaid: i64 = c
            .query_row(
                "SELECT count(*) FROM appointments a WHERE a.status = 'done'
                 AND NOT EXISTS (SELECT 1 FROM payments y WHERE y.appointment_id = a.id)",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(unpaid, 0, "{date}: every done visit is paid for");
        let board = okr::board_live(c, date, 8).unwrap();
        let money: Vec<_> = board
            .iter()
            .flat_map(|o| &o.key_results)
            .filter(|k| k.key_result.metric.as_ref().is_some_and(|m| m.key().starts_with("revenue")))
            .collect();
        assert_eq!(money.len(), 4, "{date}");
        for k in money {
            assert!(
                k.judgement.value.is_some_and(|v| v > 0.0),
                "{date} {}: {:?}",
                k.key_result.title,
                k.judgement
            );
            assert_ne!(k.judgement.status, Status::NoData, "{date} {}", k.key_result.title);
        }
    }
}
