//! Long work shows progress on a terminal and nothing elsewhere (issue 22 item 7).

mod common;

use std::process::{Command, Stdio};

use common::pty::Pty;

const BIN: &str = env!("CARGO_BIN_EXE_frontdesk");

fn big_csv(dir: &std::path::Path, n: usize) -> std::path::PathBuf {
    let mut csv = String::from(
        "chart_no,name,phone,birth_date,sex,first_visit,referral_source,referrer_chart_no,tags,note\n",
    );
    for i in 1..=n {
        csv.push_str(&format!("{i:06},가상환자{i},010-5{:03}-{:04},,,,,,,\n", i / 10_000, i % 10_000));
    }
    let file = dir.join("big.csv");
    std::fs::write(&file, csv).unwrap();
    file
}

#[test]
fn a_big_import_shows_a_bar_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    drop(common::open(&db));
    let file = big_csv(dir.path(), 5000);
    let mut pty = Pty::spawn(
        BIN,
        &["--db", db.to_str().unwrap(), "import", "patients", file.to_str().unwrap()],
        100,
        30,
        &[],
    );
    pty.wait_for("imported 5000 patients rows", 120);
    assert!(pty.wait_exit(60).success());
    let raw = String::from_utf8_lossy(&pty.raw_output()).to_string();
    assert!(raw.contains("checking") || raw.contains("writing"), "no progress drawn: {raw:?}");
}

#[test]
fn nothing_is_drawn_when_standard_error_is_not_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    drop(common::open(&db));
    let file = big_csv(dir.path(), 5000);
    let out = Command::new(BIN)
        .args(["--db", db.to_str().unwrap(), "import", "patients", file.to_str().unwrap()])
        .env(common::FIXED_NOW_ENV.0, common::FIXED_NOW_ENV.1)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty(), "{:?}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("imported 5000 patients rows"));
    // Backup and restore, too.
    let copy = dir.path().join("copy.db");
    for args in [&["backup", copy.to_str().unwrap()][..], &["restore", copy.to_str().unwrap()]] {
        let out = Command::new(BIN)
            .arg("--db")
            .arg(&db)
            .args(args)
            .env(common::FIXED_NOW_ENV.0, common::FIXED_NOW_ENV.1)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(out.stderr.is_empty(), "{args:?}: {:?}", String::from_utf8_lossy(&out.stderr));
    }
}

#[test]
fn backup_and_restore_show_progress_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    drop(common::open(&db));
    let copy = dir.path().join("copy.db");
    let mut pty =
        Pty::spawn(BIN, &["--db", db.to_str().unwrap(), "backup", copy.to_str().unwrap()], 100, 30, &[]);
    pty.wait_for("audit key", 60);
    assert!(pty.wait_exit(60).success());
    let raw = String::from_utf8_lossy(&pty.raw_output()).to_string();
    assert!(raw.contains("backing up"), "{raw:?}");
    let mut pty =
        Pty::spawn(BIN, &["--db", db.to_str().unwrap(), "restore", copy.to_str().unwrap()], 100, 30, &[]);
    pty.wait_for("ok", 60);
    pty.wait_exit(60);
    let raw = String::from_utf8_lossy(&pty.raw_output()).to_string();
    assert!(raw.contains("restoring"), "{raw:?}");
}
