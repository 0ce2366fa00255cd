//! End to end: the built binary in a pseudo-terminal - tabs, help, quit, and the terminal
//! left as it was found.

mod common;

use common::pty::Pty;

const BIN: &str = env!("CARGO_BIN_EXE_frontdesk");

#[test]
fn switch_tabs_open_help_quit_and_the_terminal_is_restored() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    let db = db.to_str().unwrap();
    // Run through a shell so that `stty` can report the terminal's mode after the app exits.
    let script = format!("'{BIN}' --db '{db}' --lang en; echo EXIT=$?; stty -a");
    let mut pty = Pty::spawn("sh", &["-c", &script], 120, 40, &[("FRONTDESK_STAFF", "desk1")]);
    // A new database opens on the first-run setup: fill it in and go through to Today.
    pty.wait_for("First setup", 15);
    pty.send("Hangyeol Clinic");
    pty.key("Tab");
    pty.key("Tab");
    pty.send("Dr Kim");
    pty.key("Ctrl-S");
    pty.wait_for("How would you like to start", 5);
    pty.send("1");
    pty.wait_for("Hangyeol Clinic", 5);
    pty.wait_for("No appointments this day", 5);
    assert!(pty.alternate_screen(), "the app draws on the alternate screen");
    for (key, marker) in [
        ("2", "Complaint patients"),
        ("3", "To call: "),
        ("4", "phone log"),
        ("5", "OKR as of"),
        ("1", "No appointments this day"),
    ] {
        pty.send(key);
        pty.wait_for(marker, 5);
    }
    pty.send("?");
    pty.wait_for("Help - Esc closes", 5);
    pty.key("Esc");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while pty.screen().contains("Help - Esc closes") {
        assert!(std::time::Instant::now() < deadline, "help did not close");
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    pty.send("q");
    pty.wait_for("EXIT=0", 10);
    pty.wait_for("speed", 5);
    assert!(!pty.alternate_screen(), "back on the main screen");
    assert!(!pty.cursor_hidden(), "cursor visible again");
    let screen = pty.screen();
    assert!(screen.contains(" icanon") && screen.contains(" echo"), "cooked mode restored:\n{screen}");
    assert!(!screen.contains("-icanon"), "raw mode left on:\n{screen}");
}

#[test]
fn bad_arguments_give_one_line_and_exit_2_without_creating_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    for args in [
        vec!["--tab", "calendar"],
        vec!["--lang", "fr"],
        vec!["demo", "--date", "2026-13-40"],
        vec!["demo", "--date", "yesterday"],
        vec!["demo", "--scale", "huge"],
        vec!["report", "referrals", "--format", "xml"],
    ] {
        let mut full = vec!["--db", db.to_str().unwrap()];
        full.extend(&args);
        let out = std::process::Command::new(BIN).args(&full).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{args:?}: one line, got:\n{err}");
        assert!(
            err.contains("accepted") || err.contains("YYYY-MM-DD"),
            "{args:?} says what is accepted: {err}"
        );
        assert!(!db.exists(), "{args:?} created the file");
    }
}

#[test]
fn an_unreadable_db_gives_one_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let not_db = dir.path().join("notes.txt");
    std::fs::write(&not_db, "this is not a database, just some notes for the desk\n".repeat(10)).unwrap();
    let before = std::fs::read(&not_db).unwrap();
    let missing = dir.path().join("no-such-folder").join("clinic.db");
    for path in [&not_db, &missing] {
        let out =
            std::process::Command::new(BIN).args(["--db", path.to_str().unwrap(), "check"]).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(err.contains(path.to_str().unwrap()), "names the file: {err}");
    }
    assert_eq!(std::fs::read(&not_db).unwrap(), before);
    assert!(!missing.parent().unwrap().exists());
}
