//! `frontdesk import payments FILE` and `export payments`: the EMR's takings file (CSV or
//! .xlsx), codes or Korean labels, refunds with their reason, imported twice adds nothing.

mod common;

use std::path::{Path, PathBuf};

use frontdesk::domain::Role;
use frontdesk::domain::payments::PaymentCategory;
use frontdesk::store::payments::takings;

use common::cli::{err, out, run};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/payments_emr.csv")
}

/// A set-up clinic with a 원장 and two synthetic patients (000001, 000002).
fn clinic(dir: &Path) -> PathBuf {
    let db = dir.join("clinic.db");
    let mut store = common::open_set_up(&db);
    store.write(|tx| frontdesk::store::settings::add_staff(tx, "김원장", Role::Director)).unwrap();
    drop(store);
    std::fs::write(
        dir.join("seed.csv"),
        "chart_no,name,phone,birth_date,sex,first_visit,referral_source,referrer_chart_no,tags,note\n\
         000001,가상환자일,010-3000-0001,,F,,,,,\n\
         000002,가상환자이,010-3000-0002,,M,,,,,\n",
    )
    .unwrap();
    let o = run(dir, &["--db", "clinic.db", "import", "patients", "seed.csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    db
}

fn by_category(db: &Path) -> (i64, Vec<(PaymentCategory, i64)>) {
    let store = common::open(db);
    let d = common::fixed_now().date();
    let t = takings(&store, d, d).unwrap();
    (t.total_krw, t.by_category)
}

#[test]
fn the_emr_file_imports_with_labels_codes_and_refunds_and_twice_adds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = clinic(dir.path());
    let file = fixture();
    let o =
        run(dir.path(), &["--db", "clinic.db", "import", "payments", file.to_str().unwrap(), "--dry-run"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(by_category(&db).0, 0, "a dry run writes nothing");
    let o = run(dir.path(), &["--db", "clinic.db", "import", "payments", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    // 25,000 + 4,900,000 + 70,000 - 10,000, by hand.
    let (total, cats) = by_category(&db);
    assert_eq!(total, 4_985_000);
    assert_eq!(
        cats,
        vec![
            (PaymentCategory::Covered, 15_000),
            (PaymentCategory::NonCovered, 4_900_000),
            (PaymentCategory::CarInsurance, 70_000),
            (PaymentCategory::Other, 0)
        ]
    );
    let c = rusqlite::Connection::open(&db).unwrap();
    let (treatment, provider, note): (String, String, String) = c
        .query_row(
            "SELECT y.treatment_code, s.name, y.note FROM payments y JOIN staff s ON s.id = y.provider_id
             WHERE y.amount_krw = 4900000",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        (treatment.as_str(), provider.as_str(), note.as_str()),
        ("diet", "김원장", "다이어트 패키지 10회")
    );
    let reason: String =
        c.query_row("SELECT reason FROM payments WHERE amount_krw < 0", [], |r| r.get(0)).unwrap();
    assert_eq!(reason, "본인부담 정정");
    // Again: every row is already there.
    let o = run(dir.path(), &["--db", "clinic.db", "import", "payments", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out(&o).contains("imported 0 payments rows, skipped 4"), "{}", out(&o));
    assert_eq!(by_category(&db).0, 4_985_000);

    // Exported, then imported into the same clinic: nothing added; into a new one: the same.
    let o = run(dir.path(), &["--db", "clinic.db", "export", "payments", "--out", "takings.csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let text = std::fs::read_to_string(dir.path().join("takings.csv")).unwrap();
    assert!(text.contains("chart_no,paid_at,amount_krw,category,treatment,provider,note"), "{text}");
    assert!(text.contains("000002,2026-11-23 11:40:00,-10000,covered,,,본인부담 정정"), "{text}");
    let o = run(dir.path(), &["--db", "clinic.db", "import", "payments", "takings.csv"]);
    assert!(out(&o).contains("imported 0 payments rows, skipped 4"), "{}", out(&o));
    let o = run(dir.path(), &["--db", "clinic.db", "export", "payments", "--out", "takings.xlsx"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let other = dir.path().join("other");
    std::fs::create_dir(&other).unwrap();
    let other_db = clinic(&other);
    let o = run(
        &other,
        &["--db", "clinic.db", "import", "payments", dir.path().join("takings.xlsx").to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(by_category(&other_db), by_category(&db), "the .xlsx carries the same payments");
}

#[test]
fn a_bad_row_names_its_line_and_column_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let db = clinic(dir.path());
    let header = "chart_no,paid_at,amount_krw,category,treatment,provider,note\n";
    let cases = [
        ("000001,2026-11-23 10:00,1만,현금,,,\n", "category"),
        ("000001,2026-11-23 10:00,만원쯤,급여,,,\n", "amount_krw"),
        ("000001,2026-11-23 10:00,-5000,급여,,,\n", "note"),
        ("000001,2026-11-23 10:00,0,급여,,,\n", "amount_krw"),
        ("000009,2026-11-23 10:00,5000,급여,,,\n", "chart_no"),
        ("000001,2026-11-23 10:00,5000,급여,,박없음,\n", "provider"),
    ];
    for (row, column) in cases {
        std::fs::write(
            dir.path().join("bad.csv"),
            format!("{header}000002,2026-11-23 09:00,5000,기타,,,\n{row}"),
        )
        .unwrap();
        let o = run(dir.path(), &["--db", "clinic.db", "import", "payments", "bad.csv"]);
        assert_ne!(o.status.code(), Some(0), "{row}");
        let e = err(&o);
        assert!(e.contains("line 3") && e.contains(column), "{row}: {e}");
    }
    assert_eq!(by_category(&db).0, 0, "all or nothing");
}
