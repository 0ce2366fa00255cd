//! End to end: the staff member picked with F2 is remembered for that terminal - a restart in
//! the same terminal shows the name - and not for another terminal.

mod common;

use common::pty::Pty;
use frontdesk::domain::Role;
use frontdesk::store::settings::add_staff;

const BIN: &str = env!("CARGO_BIN_EXE_frontdesk");

/// The screen once it shows the app's header (the alternate screen after `marker` is gone).
fn wait_for_header(pty: &Pty, gone: &str) -> String {
    for _ in 0..600 {
        let screen = pty.screen();
        if !screen.contains(gone) && screen.contains("clinic.db") {
            return screen;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    panic!("the app did not start again:\n{}", pty.screen());
}

#[test]
fn a_pick_survives_a_restart_in_the_same_terminal_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.db");
    {
        let mut store = common::open_set_up(&path);
        store
            .write(|tx| {
                add_staff(tx, "김데스크", Role::Desk)?;
                add_staff(tx, "이상담", Role::Desk)?;
                Ok(())
            })
            .unwrap();
    }
    let db = path.to_str().unwrap();
    // One terminal, the app run twice in it by its shell.
    let script =
        format!("'{BIN}' --db '{db}' --lang en; echo SECOND-RUN; sleep 1; '{BIN}' --db '{db}' --lang en");
    let mut pty = Pty::spawn("/bin/sh", &["-c", &script], 120, 30, &[]);
    pty.wait_for("Staff: not picked (F2)", 15);
    pty.send_bytes(b"\x1bOQ");
    pty.wait_for("Who is at this terminal", 5);
    pty.key("Down");
    pty.key("Enter");
    pty.wait_for("이상담 (", 5);
    pty.send("q");
    pty.wait_for("SECOND-RUN", 10);
    let screen = wait_for_header(&pty, "SECOND-RUN");
    let screen = if screen.contains("이상담 (") {
        screen
    } else {
        pty.wait_for("이상담 (", 5);
        pty.screen()
    };
    assert!(!screen.contains("not picked"), "remembered after the restart:\n{screen}");
    pty.send("q");
    assert!(pty.wait_exit(10).success());

    // Another terminal starts with nobody picked.
    let mut other = Pty::spawn(BIN, &["--db", db, "--lang", "en"], 120, 30, &[]);
    other.wait_for("Staff: not picked (F2)", 15);
    other.send("q");
    assert!(other.wait_exit(10).success());
}
