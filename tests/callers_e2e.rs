//! End to end (issue 16, item 3): the built binary in a pseudo-terminal logs a call from a new
//! caller to be called back; no patient (chart number) is made, and the caller waits in the
//! callback queue under their name from the call.

mod common;

use common::pty::Pty;

const BIN: &str = env!("CARGO_BIN_EXE_frontdesk");

#[test]
fn a_new_callers_call_back_makes_no_patient_and_waits_in_the_queue() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
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
    pty.send("c"); // topic: chuna
    pty.key("Tab");
    pty.send("p"); // asked about the price
    pty.key("Tab");
    pty.send("i"); // heard of us on the internet
    pty.key("Tab"); // channel
    pty.key("Tab"); // note
    pty.key("Tab"); // outcome
    pty.send("c"); // call back
    pty.key("Tab");
    pty.send("+3");
    pty.key("Ctrl-S");
    pty.wait_for("Today's phone log: 1", 5);
    let row = pty.screen().lines().find(|l| l.contains("Jane Roe")).unwrap().to_string();
    assert!(row.contains("Call back"), "{row}");
    // The Callbacks tab lists the caller by the call's name.
    pty.send("3");
    pty.wait_for("Jane Roe", 5);
    pty.send("q");
    assert!(pty.wait_exit(10).success());

    let store = common::open(std::path::Path::new(db));
    let patients: i64 = store.conn().query_row("SELECT count(*) FROM patients", [], |r| r.get(0)).unwrap();
    assert_eq!(patients, 0, "a caller gets no chart number");
    let (inquiry_patient, callback): (Option<i64>, String) = store
        .conn()
        .query_row(
            "SELECT i.patient_id, c.kind || ' ' || c.due_on FROM inquiries i JOIN callbacks c ON c.inquiry_id = i.id",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((inquiry_patient, callback.as_str()), (None, "prospect 2026-11-26"));
    drop(store);
    let out = std::process::Command::new(BIN).args(["--db", db, "export", "patients"]).output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1, "only the header: no patients");
}
