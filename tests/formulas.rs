//! No formulas from data: exported cells that start like a formula are written with a `'`, and
//! importing the export gives back exactly what was there.

mod common;

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_frontdesk");

fn run(db: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .arg("--db")
        .arg(db)
        .args(args)
        .env(common::FIXED_NOW_ENV.0, common::FIXED_NOW_ENV.1)
        .output()
        .unwrap()
}

#[test]
fn formula_cells_are_neutralized_and_come_back_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first.db");
    let second = dir.path().join("second.db");
    let file = dir.path().join("in.csv");
    // Written by hand (as another system might): the cells are as a person typed them.
    std::fs::write(
        &file,
        "received_at,caller_name,phone,channel,topic,questions,referral_source,referrer_chart_no,outcome,note\n\
         2026-11-20 10:00,@Evil Caller,010-1111-2222,,,,,,info,\"=HYPERLINK(\"\"http://x.test\"\",\"\"click\"\")\"\n\
         2026-11-20 11:00,Plain Name,010-3333-4444,,,,,,info,+cmd|' /C calc'!A0\n\
         2026-11-20 12:00,Third Caller,,,,,,,info,-5 is a note\n",
    )
    .unwrap();
    let out = run(&first, &["import", "inquiries", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let out = run(&first, &["export", "inquiries"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(csv.contains("'@Evil Caller"), "{csv}");
    assert!(csv.contains("\"'=HYPERLINK("), "{csv}");
    assert!(csv.contains("'+cmd|"), "{csv}");
    assert!(csv.contains("'-5 is a note"), "{csv}");
    for line in csv.lines().skip(1) {
        for cell in line.split(',') {
            let cell = cell.trim_start_matches('"');
            assert!(!cell.starts_with(['=', '+', '@']), "a cell starts like a formula: {line}");
        }
    }

    let exported = dir.path().join("out.csv");
    std::fs::write(&exported, csv.as_bytes()).unwrap();
    let out = run(&second, &["import", "inquiries", exported.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let read = |db: &std::path::Path| -> Vec<(String, String)> {
        let store = common::open(db);
        let mut stmt =
            store.conn().prepare("SELECT caller_name, note FROM inquiries ORDER BY received_at").unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().collect::<Result<_, _>>().unwrap()
    };
    let back = read(&second);
    assert_eq!(back, read(&first));
    assert_eq!(back[0], ("@Evil Caller".to_string(), "=HYPERLINK(\"http://x.test\",\"click\")".to_string()));
}
