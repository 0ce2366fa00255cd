//! `frontdesk report revenue [--from --to] [--by ...] [--format ...]` on a hand-counted
//! fixture: net of refunds, grouped by category, treatment, provider or month.

mod common;

use common::cli::{err, out, run};
use common::*;
use frontdesk::domain::payments::PaymentCategory;
use frontdesk::store::payments::{NewPayment, insert_payment};

/// Payments: 10-30 A 100,000 비급여 chuna 김 (October, outside November);
/// 11-02 A 50,000 비급여 chuna 김; 11-02 B 30,000 자보 (no treatment, no provider);
/// 11-03 A 40,000 급여 acupuncture 이; 11-05 A -20,000 비급여 chuna 김 (refund);
/// 12-01 B 10,000 급여 acupuncture 이.
/// November by category: 비급여 30,000 (2 payments, refunds -20,000), 자보 30,000, 급여 40,000;
/// total 100,000.
fn clinic(dir: &std::path::Path) {
    let mut store = open(&dir.join("clinic.db"));
    store
        .write(|tx| {
            tx.execute_batch(
                "INSERT INTO staff (id, name, role) VALUES (1, '가상김원장', 'director'), (2, '가상이원장', 'director');
                 INSERT INTO patients (id, chart_no, name, created_at) VALUES
                   (1, 'A1', '가상가', '2026-10-01T09:00:00'), (2, 'B2', '가상나', '2026-10-01T09:00:00');",
            )?;
            Ok(())
        })
        .unwrap();
    use PaymentCategory::*;
    for (pid, (m, d), amount, cat, treatment, provider) in [
        (1, (10, 30), 100_000, NonCovered, Some("chuna"), Some(1)),
        (1, (11, 2), 50_000, NonCovered, Some("chuna"), Some(1)),
        (2, (11, 2), 30_000, CarInsurance, None, None),
        (1, (11, 3), 40_000, Covered, Some("acupuncture"), Some(2)),
        (1, (11, 5), -20_000, NonCovered, Some("chuna"), Some(1)),
        (2, (12, 1), 10_000, Covered, Some("acupuncture"), Some(2)),
    ] {
        let mut p = NewPayment::new(pid, at(2026, m, d, 13, 0), amount, cat);
        p.treatment_code = treatment.map(String::from);
        p.provider_id = provider;
        if amount < 0 {
            p.reason = "환불".into();
        }
        store.write(|tx| insert_payment(tx, &p)).unwrap();
    }
}

const NOVEMBER: [&str; 4] = ["--from", "2026-11-01", "--to", "2026-11-30"];

fn report(dir: &std::path::Path, extra: &[&str]) -> String {
    let mut args = vec!["--db", "clinic.db", "--lang", "ko", "report", "revenue"];
    args.extend(NOVEMBER);
    args.extend(extra);
    let o = run(dir, &args);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    out(&o)
}

#[test]
fn revenue_by_category_as_csv_with_bom_matches_the_hand_count() {
    let dir = tempfile::tempdir().unwrap();
    clinic(dir.path());
    let csv = report(dir.path(), &["--by", "category", "--format", "csv"]);
    assert_eq!(
        csv,
        "\u{feff}category,label,net_krw,payments,refunds_krw,share\n\
         covered,급여,40000,1,0,0.4\n\
         car_insurance,자보,30000,1,0,0.3\n\
         non_covered,비급여,30000,2,-20000,0.3"
    );
}

#[test]
fn revenue_by_provider_treatment_and_month() {
    let dir = tempfile::tempdir().unwrap();
    clinic(dir.path());
    let json = report(dir.path(), &["--by", "provider", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let got: Vec<(String, i64)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["key"].as_str().unwrap().to_string(), r["net_krw"].as_i64().unwrap()))
        .collect();
    assert_eq!(got, vec![("가상이원장".into(), 40_000), ("".into(), 30_000), ("가상김원장".into(), 30_000)]);
    let csv = report(dir.path(), &["--by", "treatment", "--format", "csv", "--no-bom"]);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "treatment,label,net_krw,payments,refunds_krw,share");
    assert!(lines.iter().any(|l| l.starts_with("chuna,") && l.contains(",30000,2,-20000,")), "{csv}");
    // By month across October to December.
    let mut args = vec!["--db", "clinic.db", "report", "revenue", "--from", "2026-10", "--to", "2026-12"];
    args.extend(["--by", "month", "--format", "csv", "--no-bom"]);
    let o = run(dir.path(), &args);
    assert_eq!(
        out(&o),
        "month,label,net_krw,payments,refunds_krw,share\n\
         2026-10,2026-10,100000,1,0,0.4762\n\
         2026-11,2026-11,100000,4,-20000,0.4762\n\
         2026-12,2026-12,10000,1,0,0.0476"
    );
    // The table ends with the total.
    let table = report(dir.path(), &[]);
    assert!(table.lines().last().unwrap().contains("100,000원"), "{table}");
}
