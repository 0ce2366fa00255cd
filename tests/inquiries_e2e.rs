//! End to end: the built binary in a pseudo-terminal logs a call through the form; the call is
//! in the list on screen and in `frontdesk report referrals`.

mod common;

use common::pty::Pty;

const BIN: &str = env!("CARGO_BIN_EXE_frontdesk");

#[test]
fn a_call_logged_in_the_terminal_shows_in_the_list_and_the_referral_report() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    // A clinic past its first-run setup.
    drop(common::open_set_up(&db));
    let db = db.to_str().unwrap();
    let mut pty = Pty::spawn(BIN, &["--db", db, "--lang", "en", "--tab", "inquiries"], 120, 40, &[]);
    pty.wait_for("Today's phone log: 0", 15);
    pty.send("n");
    pty.wait_for("Log a call", 5);
    pty.send("Jane Roe");
    pty.key("Tab");
    pty.send("010-4444-5555");
    pty.key("Tab");
    pty.send("2"); // topic: chuna (c is shared with cupping)
    pty.key("Tab");
    pty.send("p"); // asked about the price
    pty.key("Tab");
    pty.send("m"); // heard of us in a magazine
    pty.key("Ctrl-S");
    pty.wait_for("Today's phone log: 1", 5);
    pty.wait_for("Jane Roe", 5);
    let row = pty.screen().lines().find(|l| l.contains("Jane Roe")).unwrap().to_string();
    assert!(row.contains("Chuna") && row.contains("Magazine") && row.contains("Information"), "{row}");
    pty.send("q");
    let status = pty.wait_exit(10);
    assert!(status.success());

    let today = common::fixed_now().format("%Y-%m").to_string();
    let out = std::process::Command::new(BIN)
        .env(common::FIXED_NOW_ENV.0, common::FIXED_NOW_ENV.1)
        .args(["--db", db, "report", "referrals", "--from", &today, "--to", &today, "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let csv = String::from_utf8(out.stdout).unwrap();
    // No new patient this month: no new-patient shares (an empty cell, not 0).
    assert!(csv.contains(&format!("{today},magazine,0,,1,1\n")), "{csv}");
    assert!(csv.contains(&format!("{today},signboard,0,,0,0\n")), "{csv}");
}

#[test]
fn import_errors_exit_2_with_the_line_and_column_and_dry_run_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    let file = dir.path().join("patients.csv");
    std::fs::write(
        &file,
        "chart_no,name,phone,birth_date,sex,first_visit,referral_source,referrer_chart_no,tags,note\n\
         1,가나,,,,,,,,\n2,다라,,1985-02-30,,,,,,\n",
    )
    .unwrap();
    let run =
        |args: &[&str]| std::process::Command::new(BIN).arg("--db").arg(&db).args(args).output().unwrap();
    let out = run(&["import", "patients", file.to_str().unwrap()]);
    // A bad row is a problem found in the data: status 1 (issue 22 item 6).
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err.trim(),
        "frontdesk: patients.csv line 3, column birth_date: '1985-02-30' is not a real date"
    );
    std::fs::write(&file, "chart_no,name,phone,birth_date,sex,first_visit,referral_source,referrer_chart_no,tags,note\n1,가나,,,,,,,,\n").unwrap();
    let out = run(&["import", "patients", file.to_str().unwrap(), "--dry-run"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 patients rows are fine"));
    let out = run(&["export", "patients"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1, "dry run wrote nothing");
    let out_file = dir.path().join("out.csv");
    assert!(run(&["import", "patients", file.to_str().unwrap()]).status.success());
    assert!(run(&["export", "patients", "--mask", "--out", out_file.to_str().unwrap()]).status.success());
    let text = std::fs::read_to_string(&out_file).unwrap();
    assert!(text.contains("1,가*,"), "{text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out_file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}
