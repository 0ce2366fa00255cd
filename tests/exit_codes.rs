//! Exit statuses a script can use (issue 22 item 6): 0 success, 1 `check` found a problem or an
//! import found a bad row, 2 a usage or input error, 3 the database is busy or locked; a closed
//! output pipe ends quietly with 0; without a terminal the app says so on one line and exits 2.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};

use common::cli::{command, err, run};

/// A set-up clinic with `n` synthetic patients, imported through the binary.
fn clinic(dir: &Path, n: usize) -> PathBuf {
    let db = dir.join("clinic.db");
    drop(common::open_set_up(&db));
    let mut csv = String::from(
        "chart_no,name,phone,birth_date,sex,first_visit,referral_source,referrer_chart_no,tags,note\n",
    );
    for i in 1..=n {
        csv.push_str(&format!("{i:06},가상환자{i},010-2000-{:04},,,,,,,\n", i % 10_000));
    }
    std::fs::write(dir.join("seed.csv"), csv).unwrap();
    let o = run(dir, &["--db", "clinic.db", "import", "patients", "seed.csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    db
}

#[test]
fn status_0_on_success() {
    let dir = tempfile::tempdir().unwrap();
    clinic(dir.path(), 2);
    for args in [&["check"][..], &["export", "patients"], &["report", "funnel"], &["setup", "show"]] {
        let mut all = vec!["--db", "clinic.db"];
        all.extend_from_slice(args);
        let o = run(dir.path(), &all);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", err(&o));
    }
    let o = run(dir.path(), &["--help"]);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn status_1_when_check_finds_a_problem() {
    let dir = tempfile::tempdir().unwrap();
    let db = clinic(dir.path(), 2);
    // A change made outside frontdesk, without an audit row: check reports it.
    let c = rusqlite::Connection::open(&db).unwrap();
    c.execute("UPDATE patients SET name = '바뀐이름' WHERE chart_key = '1'", []).unwrap();
    drop(c);
    let o = run(dir.path(), &["--db", "clinic.db", "check"]);
    assert_eq!(o.status.code(), Some(1), "{}\n{}", String::from_utf8_lossy(&o.stdout), err(&o));
    assert!(err(&o).contains("check failed"), "{}", err(&o));
}

#[test]
fn status_1_when_an_import_finds_a_bad_row_and_2_when_the_file_is_not_an_import_file() {
    let dir = tempfile::tempdir().unwrap();
    clinic(dir.path(), 2);
    std::fs::write(
        dir.path().join("bad_row.csv"),
        "chart_no,start,duration_min,provider,treatment,status,booked_at\n\
         000001,2026-12-01 10:00,30,,,,\n\
         000001,2026-12-01 25:00,30,,,,\n",
    )
    .unwrap();
    let o = run(dir.path(), &["--db", "clinic.db", "import", "appointments", "bad_row.csv"]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(err(&o).contains("line 3, column start"), "{}", err(&o));

    std::fs::write(dir.path().join("header.csv"), "who,when\nx,y\n").unwrap();
    let o = run(dir.path(), &["--db", "clinic.db", "import", "appointments", "header.csv"]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains("wrong header"), "{}", err(&o));
    let o = run(dir.path(), &["--db", "clinic.db", "import", "appointments", "missing.csv"]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
}

#[test]
fn status_2_on_usage_and_input_errors() {
    let dir = tempfile::tempdir().unwrap();
    clinic(dir.path(), 1);
    let cases: &[&[&str]] = &[
        &["--db", "clinic.db", "no-such-command"],
        &["--db", "clinic.db", "report", "funnel", "--from", "last year"],
        &["--db", "clinic.db", "export", "nothing"],
        &["--db", "typo.db", "check"],
    ];
    for args in cases {
        let o = run(dir.path(), args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", err(&o));
        assert_eq!(err(&o).lines().count(), 1, "{args:?}: one line: {}", err(&o));
    }
}

#[test]
fn status_3_when_the_database_is_in_use_or_locked() {
    let dir = tempfile::tempdir().unwrap();
    let db = clinic(dir.path(), 1);
    let o = run(dir.path(), &["--db", "clinic.db", "backup", "copy.db"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    // Restore while another terminal has the database open.
    let other = common::open(&db);
    let o = run(dir.path(), &["--db", "clinic.db", "restore", "copy.db"]);
    assert_eq!(o.status.code(), Some(3), "{}", err(&o));
    drop(other);
    // A process that holds the file locked exclusively (not frontdesk): every command gives
    // up after the busy timeout with status 3.
    let lock = rusqlite::Connection::open(&db).unwrap();
    lock.execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; SELECT count(*) FROM patients;")
        .unwrap();
    let o = run(dir.path(), &["--db", "clinic.db", "check"]);
    assert_eq!(o.status.code(), Some(3), "{}", err(&o));
    drop(lock);
}

#[test]
fn a_closed_pipe_ends_quietly_with_status_0() {
    let dir = tempfile::tempdir().unwrap();
    // Far more than a pipe holds (64 KiB), so the export must meet the closed end.
    clinic(dir.path(), 3000);
    let mut child = command(dir.path(), &["--db", "clinic.db", "export", "patients"]).spawn().unwrap();
    drop(child.stdout.take()); // `| head -0`: the reader is gone
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(stderr.is_empty(), "nothing said about the pipe: {stderr}");
}

#[test]
fn without_a_terminal_the_app_says_so_in_one_line_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    clinic(dir.path(), 1);
    for args in
        [&["--db", "clinic.db"][..], &["--db", "new.db"], &["--db", "clinic.db", "huddle"], &["--demo"]]
    {
        // Standard input and output are not a terminal (as under cron or `ssh host frontdesk`).
        let o = run(dir.path(), args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", err(&o));
        assert_eq!(err(&o).lines().count(), 1, "{args:?}: {}", err(&o));
        assert!(err(&o).contains("frontdesk needs a terminal; use ssh -t"), "{args:?}: {}", err(&o));
        assert!(!err(&o).contains("panicked"), "{}", err(&o));
    }
    assert!(!dir.path().join("new.db").exists(), "nothing is created without a terminal");
}
