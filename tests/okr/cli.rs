//! `okr status` (table, CSV, JSON) and `okr load`, through the real binary.

use super::*;

fn frontdesk(db: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_frontdesk"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("FRONTDESK_DB", "")
        .env("XDG_CONFIG_HOME", db.parent().unwrap())
        .output()
        .unwrap()
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

#[test]
fn okr_status_as_csv_has_fractions_and_the_design_columns() {
    let f = fixture_with_board();
    let out = frontdesk(
        &f.dir.path().join("clinic.db"),
        &["okr", "status", "--at", "2026-11-23", "--format", "csv"],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // Manual: the 11-10 check-in, 5,000,000 of 30,000,000 = 0.1667 against 0.76: off track.
    // With a BOM, as every CSV frontdesk writes (issue 22 item 5).
    let expected = "\u{feff}\
objective,key_result,metric,direction,target,value,progress,pace,status,cadence
비급여 매출,\"비급여 매출 3,000만원\",manual,at_least,30000000,5000000,0.1667,0.76,off_track,period
예약 관리,부도율 30% 이하,no_show_rate,at_most,0.3,0.2857,1,1,met,period
예약 관리,예약률 80% 이상,booking_rate,at_least,0.8,0.6,0.5,1,off_track,period
신환과 문의,신환 3명,new_patients,at_least,3,2,0.6667,0.76,behind,period
신환과 문의,전화 문의 6건,inquiries,at_least,6,5,0.8333,0.76,on_track,period
";
    assert_eq!(stdout(&out), expected);
}

#[test]
fn okr_status_as_json_keeps_rates_as_fractions_and_no_value_as_null() {
    let f = fixture_with_board();
    // 08-01 is before every period: no value anywhere.
    let out = frontdesk(
        &f.dir.path().join("clinic.db"),
        &["okr", "status", "--at", "2026-11-23", "--format", "json"],
    );
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let no_show = &rows[1];
    assert_eq!(no_show["metric"], "no_show_rate");
    assert!((no_show["value"].as_f64().unwrap() - 2.0 / 7.0).abs() < 1e-9);
    assert_eq!(no_show["status"], "met");
    assert_eq!(rows[3]["status"], "behind");
    assert_eq!(rows.as_array().unwrap().len(), 5);
    let out = frontdesk(
        &f.dir.path().join("clinic.db"),
        &["okr", "status", "--at", "2026-08-01", "--format", "json"],
    );
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(rows[1]["value"].is_null() && rows[1]["progress"].is_null(), "{rows}");
    assert_eq!(rows[1]["status"], "no_data");
    assert_eq!(rows[3]["pace"], 0.0);
}

#[test]
fn okr_status_table_is_aligned_in_display_columns() {
    let f = fixture_with_board();
    let out =
        frontdesk(&f.dir.path().join("clinic.db"), &["--lang", "en", "okr", "status", "--at", "2026-11-23"]);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 6, "{text}");
    assert!(lines[0].starts_with("objective") && lines[0].ends_with("status"), "{text}");
    // The status column starts at the same display column on every line.
    let status_col = |line: &str, word: &str| {
        let byte = line.rfind(word).unwrap_or_else(|| panic!("{word} not in {line}"));
        frontdesk::domain::text::width(&line[..byte])
    };
    let col = status_col(lines[0], "status");
    for (line, word) in lines[1..].iter().zip(["Off track", "Met!", "Off track", "Behind", "On track"]) {
        assert_eq!(status_col(line, word), col, "{text}");
    }
    assert!(lines[2].contains("<= 30%") && lines[2].contains("28.6%"), "{text}");
    assert!(lines[1].contains("5,000,000원") && lines[1].contains("17%"), "{text}");
}

fn counts(db: &std::path::Path) -> (i64, i64, i64) {
    let c = rusqlite::Connection::open(db).unwrap();
    let n = |sql: &str| c.query_row(sql, [], |r| r.get(0)).unwrap();
    (
        n("SELECT count(*) FROM objectives"),
        n("SELECT count(*) FROM key_results"),
        n("SELECT count(*) FROM audit_log"),
    )
}

const GOOD_FILE: &str = r#"
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

#[test]
fn okr_load_adds_objectives_and_creates_a_missing_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("new.db");
    let file = dir.path().join("okr.toml");
    std::fs::write(&file, GOOD_FILE).unwrap();
    let out = frontdesk(&db, &["okr", "load", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let store = open(&db);
    let objectives = okr::objectives(store.conn()).unwrap();
    let loaded = objectives.iter().find(|o| o.title == "월 1억, 평환 50명").expect("loaded objective");
    assert_eq!((loaded.from, loaded.to), (day(2026, 1, 1), day(2026, 6, 30)));
    let kr = &loaded.key_results[0];
    assert_eq!(
        (kr.metric.clone(), kr.direction, kr.target),
        (Some(Metric::NoShowRate), Direction::AtMost, 0.30)
    );
    assert_eq!(kr.actions, ["해피콜로 예약 잡기", "부재중 환자에게 예약 안내 문자"]);
    let audited: i64 = store
        .conn()
        .query_row(
            "SELECT count(*) FROM audit_log WHERE entity = 'objective' AND action = 'create'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audited, 1);
}

#[test]
fn okr_load_errors_name_the_line_or_field_and_load_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    drop(open(&db));
    let before = counts(&db);
    let cases = [
        ("bad metric", GOOD_FILE.replace("\"no_show_rate\"", "\"speed\""), "field `metric` = \"speed\""),
        ("bad TOML", GOOD_FILE.replace("target = 0.30", "target = thirty"), "line 22 (`target = thirty`)"),
        ("reversed dates", GOOD_FILE.replace("to = 2026-06-30", "to = 2025-12-31"), "field `to`"),
        (
            "unknown treatment",
            GOOD_FILE.replace("\"no_show_rate\"", "\"treatment_share:yoga\""),
            "treatment 'yoga'",
        ),
    ];
    for (what, text, expect) in cases {
        // A good objective first: all or nothing means it is not loaded either.
        let text = format!("{GOOD_FILE}{text}");
        let file = dir.path().join("okr.toml");
        std::fs::write(&file, &text).unwrap();
        let out = frontdesk(&db, &["okr", "load", file.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(out.status.code(), Some(2), "{what}: {err}");
        assert_eq!(err.lines().count(), 1, "{what}: one line: {err}");
        assert!(err.contains(expect), "{what}: {err}");
        assert_eq!(counts(&db), before, "{what}: the database changed");
    }
}
