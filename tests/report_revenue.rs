//! `frontdesk report revenue [--from --to] [--by ...] [--format ...]` on a hand-counted
//! fixture: net of refunds, grouped by category, treatment, provider or month.

mod common;

use common::cli::{err, out, run};
use common::*;

/// The hand-counted payments (`common::clinic::hand_counted_revenue`): November by category 비급여
/// 30,000 (2 payments, refunds -20,000), 자보 30,000, 급여 40,000; total 100,000.
fn clinic(dir: &std::path::Path) {
    common::clinic::hand_counted_revenue(&mut open(&dir.join("clinic.db")));
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
