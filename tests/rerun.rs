//! Re-running is safe: `okr load` of an objective already there updates it instead of adding a
//! copy, and an import skips the rows the database already holds, saying how many (the dry
//! run gives the same counts).

mod common;

use frontdesk::domain::import::CsvKind;
use frontdesk::store::Store;
use frontdesk::store::csv_io::{Imported, import_counted};

const BIN: &str = env!("CARGO_BIN_EXE_frontdesk");

fn frontdesk(db: &std::path::Path, args: &[&str]) -> (bool, String, String) {
    let out = std::process::Command::new(BIN)
        .arg("--db")
        .arg(db)
        .args(args)
        .env("FRONTDESK_DB", "")
        .env("XDG_CONFIG_HOME", db.parent().unwrap())
        .env(common::FIXED_NOW_ENV.0, common::FIXED_NOW_ENV.1)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const OKR_FILE: &str = r#"
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

fn count(db: &std::path::Path, sql: &str) -> i64 {
    rusqlite::Connection::open(db).unwrap().query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn okr_load_three_times_gives_one_copy_and_a_changed_file_updates_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    let file = dir.path().join("okr.toml");
    std::fs::write(&file, OKR_FILE).unwrap();
    let objectives = "SELECT count(*) FROM objectives WHERE title = '월 1억, 평환 50명'";
    let key_results = "SELECT count(*) FROM key_results k JOIN objectives o ON o.id = k.objective_id
                       WHERE o.title = '월 1억, 평환 50명'";
    for run in 0..3 {
        let (ok, out, err) = frontdesk(&db, &["okr", "load", file.to_str().unwrap()]);
        assert!(ok, "{err}");
        let expected = if run == 0 {
            "1 objectives added, 0 updated; 1 key results added, 0 updated"
        } else {
            "0 objectives added, 1 updated; 0 key results added, 1 updated"
        };
        assert!(out.contains(expected), "run {run}: {out}");
        assert_eq!(count(&db, objectives), 1, "run {run}");
        assert_eq!(count(&db, key_results), 1, "run {run}");
    }
    // A check-in on the key result survives a reload.
    {
        let mut store = common::open(&db);
        let kr: i64 = store
            .conn()
            .query_row("SELECT id FROM key_results WHERE title = '부도율 30% 이하'", [], |r| r.get(0))
            .unwrap();
        store
            .write(|tx| {
                frontdesk::store::okr::add_checkin(tx, kr, common::fixed_now().date(), 0.2, "").map(|_| ())
            })
            .unwrap();
    }
    // The same objective with a new target and one more key result: updated, not copied.
    let changed = OKR_FILE.replace("target = 0.30", "target = 0.25")
        + r#"[[objective.key_result]]
title = "신환 50명"
metric = "new_patients"
direction = "at_least"
target = 50
"#;
    std::fs::write(&file, &changed).unwrap();
    let (ok, out, err) = frontdesk(&db, &["okr", "load", file.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(out.contains("0 objectives added, 1 updated; 1 key results added, 1 updated"), "{out}");
    assert_eq!(count(&db, objectives), 1);
    assert_eq!(count(&db, key_results), 2);
    assert_eq!(
        count(&db, "SELECT count(*) FROM key_results WHERE title = '부도율 30% 이하' AND target = 0.25"),
        1
    );
    assert_eq!(count(&db, "SELECT count(*) FROM checkins"), 1, "the check-in is kept");
    // Another period is another objective.
    std::fs::write(&file, OKR_FILE.replace("2026-06-30", "2026-12-31")).unwrap();
    let (ok, out, _) = frontdesk(&db, &["okr", "load", file.to_str().unwrap()]);
    assert!(ok && out.contains("1 objectives added"), "{out}");
    assert_eq!(count(&db, objectives), 2);
    let (ok, _, err) = frontdesk(&db, &["check"]);
    assert!(ok, "{err}");
}

fn import(store: &mut Store, kind: CsvKind, text: &str, dry_run: bool) -> Imported {
    import_counted(store, kind, "f.csv", text, dry_run, common::fixed_now()).unwrap()
}

fn rows(store: &Store, table: &str) -> i64 {
    store.conn().query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap()
}

const PATIENTS: &str = "chart_no,name,phone,birth_date,sex,first_visit,referral_source,referrer_chart_no,tags,note\n\
                        000918,Ann Lee,010-1111-2222,,,,,,,\n\
                        000919,Bob Kim,,,,,,,,\n";

#[test]
fn importing_the_same_rows_again_skips_them_for_every_kind() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = common::open(&dir.path().join("c.db"));
    let category =
        frontdesk::store::catalog::Catalog::load(store.conn()).unwrap().complaint_categories[0].code.clone();
    let files = [
        (CsvKind::Patients, "patients", PATIENTS.to_string()),
        (
            CsvKind::Appointments,
            "appointments",
            "chart_no,start,duration_min,provider,treatment,status,booked_at\n\
             918,2026-11-20 10:00,30,,,done,\n000919,2026-11-21 11:00,30,,,booked,\n"
                .to_string(),
        ),
        (
            CsvKind::Inquiries,
            "inquiries",
            "received_at,caller_name,phone,channel,topic,questions,referral_source,referrer_chart_no,outcome,note\n\
             2026-11-01 10:00,Cat Yoo,010-3333-4444,,,price,,,info,\n\
             2026-11-01 10:00,Dan Oh,,,,,,,info,\n\
             2026-11-01 10:00,Eve Ko,,,,,,,info,\n"
                .to_string(),
        ),
        (
            CsvKind::Consultations,
            "consultations",
            "chart_no,name,phone,consulted_at,treatment,quoted_krw,offered_krw,status,recall_on,reaction,note\n\
             918,,,2026-11-02 14:00,,490만원,,보류,2026-12-01,,\n\
             ,Fay Na,010-5555-6666,2026-11-03 15:00,,,,,,,\n"
                .to_string(),
        ),
        (
            CsvKind::Complaints,
            "complaints",
            format!(
                "chart_no,raised_at,category,description,status,resolved_at,resolution\n\
                 918,2026-11-04 09:00,{category},waited long,open,,\n"
            ),
        ),
    ];
    for (kind, table, text) in &files {
        let n = text.lines().count() - 1;
        let first = import(&mut store, *kind, text, false);
        assert_eq!(first, Imported { written: n, skipped: 0 }, "{table}");
        let before = rows(&store, table);
        // Again: nothing written, every row counted as skipped; the dry run says the same.
        assert_eq!(
            import(&mut store, *kind, text, true),
            Imported { written: 0, skipped: n },
            "{table} dry run"
        );
        assert_eq!(import(&mut store, *kind, text, false), Imported { written: 0, skipped: n }, "{table}");
        assert_eq!(rows(&store, table), before, "{table}: no copies");
    }
    // Consultations registered Fay Na once; the second run found her by phone.
    assert_eq!(rows(&store, "patients"), 3);
    // One prospect callback, not two.
    assert_eq!(rows(&store, "callbacks WHERE kind = 'prospect'"), 1);

    // A file with old and new rows writes the new ones only.
    let mixed = format!("{PATIENTS}000930,Gus Jo,,,,,,,,\n");
    assert_eq!(import(&mut store, CsvKind::Patients, &mixed, true), Imported { written: 1, skipped: 2 });
    assert_eq!(import(&mut store, CsvKind::Patients, &mixed, false), Imported { written: 1, skipped: 2 });
    // The same person under another chart number (same name and phone) is not registered again.
    let same_person = "chart_no,name,phone,birth_date,sex,first_visit,referral_source,referrer_chart_no,tags,note\n\
                       5001,Ann Lee,01011112222,,,,,,,\n";
    assert_eq!(
        import(&mut store, CsvKind::Patients, same_person, false),
        Imported { written: 0, skipped: 1 }
    );
    // Another person under a taken chart number is an error, not a skip.
    let clash = "chart_no,name,phone,birth_date,sex,first_visit,referral_source,referrer_chart_no,tags,note\n\
                 0918,Someone Else,,,,,,,,\n";
    let err = import_counted(&mut store, CsvKind::Patients, "f.csv", clash, false, common::fixed_now())
        .unwrap_err();
    assert!(err.to_string().contains("already"), "{err}");
    // A different time is a different record.
    let later =
        "chart_no,start,duration_min,provider,treatment,status,booked_at\n918,2026-11-20 10:30,30,,,done,\n";
    assert_eq!(import(&mut store, CsvKind::Appointments, later, false), Imported { written: 1, skipped: 0 });
    assert!(frontdesk::store::maintenance::check(&store).unwrap().ok);
}

#[test]
fn the_import_command_says_how_many_rows_it_skipped_and_the_dry_run_says_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    let file = dir.path().join("inquiries.csv");
    std::fs::write(
        &file,
        "received_at,caller_name,phone,channel,topic,questions,referral_source,referrer_chart_no,outcome,note\n\
         2026-11-01 10:00,Cat Yoo,010-3333-4444,,,price,,,info,\n\
         2026-11-01 11:00,Dan Oh,,,,,,,info,\n",
    )
    .unwrap();
    let f = file.to_str().unwrap();
    let (ok, out, err) = frontdesk(&db, &["import", "inquiries", f]);
    assert!(ok, "{err}");
    assert!(out.contains("imported 2 inquiries rows, skipped 0 already in the database"), "{out}");
    let (ok, out, err) = frontdesk(&db, &["import", "inquiries", f, "--dry-run"]);
    assert!(ok, "{err}");
    assert!(out.contains("0 inquiries rows are fine and would be written, 2 would be skipped"), "{out}");
    let (ok, out, err) = frontdesk(&db, &["import", "inquiries", f]);
    assert!(ok, "{err}");
    assert!(out.contains("imported 0 inquiries rows, skipped 2 already in the database"), "{out}");
    assert_eq!(count(&db, "SELECT count(*) FROM inquiries"), 2);
}
