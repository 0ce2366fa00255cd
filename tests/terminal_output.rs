//! No terminal control from data: what the command line prints (errors that repeat a bad cell,
//! `okr status` titles, tables) has its control characters replaced.

mod common;

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_frontdesk");
/// Sets the window title, writes the clipboard (OSC 52) and clears the screen.
const EVIL: &str = "\u{1b}]0;owned\u{7}\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}[2J\u{9b}2J";

fn run(db: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .arg("--db")
        .arg(db)
        .args(args)
        .env(common::FIXED_NOW_ENV.0, common::FIXED_NOW_ENV.1)
        .output()
        .unwrap()
}

fn assert_inert(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n' && c != '\t'),
        "a control character reached the terminal: {text:?}"
    );
}

#[test]
fn an_import_error_does_not_replay_escape_sequences_from_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    let file = dir.path().join("patients.csv");
    std::fs::write(
        &file,
        format!(
            "chart_no,name,phone,birth_date,sex,first_visit,referral_source,referrer_chart_no,tags,note\n\
             000123,Kim,010-1111-2222,1990-01-01,{EVIL},,,,,\n"
        ),
    )
    .unwrap();
    let out = run(&db, &["import", "patients", file.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("sex"), "{}", String::from_utf8_lossy(&out.stderr));
    assert_inert(&out.stderr);
    assert_inert(&out.stdout);
}

#[test]
fn okr_status_and_file_names_print_inert() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    {
        let store = common::open(&db);
        // A title written by an older build or by hand, straight into the file.
        store.conn().execute("UPDATE objectives SET title = ?1", [format!("Goal {EVIL}")]).unwrap();
    }
    let out = run(&db, &["okr", "status"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Goal"));
    assert_inert(&out.stdout);
    // A file name is data too.
    let odd = dir.path().join(format!("x{}.csv", "\u{1b}[2J"));
    let out = run(&db, &["import", "patients", odd.to_str().unwrap()]);
    assert!(!out.status.success());
    assert_inert(&out.stderr);
}
