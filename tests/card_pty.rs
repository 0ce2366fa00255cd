//! End to end: the built binary in a pseudo-terminal opens a patient card through Ctrl-F and
//! works from it - ticks the huddle action off (Ctrl-F, the phone's last four, Enter, `x`),
//! takes the tick back with `u`, ticks it again, and sticks a post-it note.

mod common;

use common::pty::Pty;
use frontdesk::domain::Role;
use frontdesk::store::huddle::{insert_action, open_actions_for};
use frontdesk::store::settings::add_staff;

const BIN: &str = env!("CARGO_BIN_EXE_frontdesk");

#[test]
fn ctrl_f_opens_the_card_and_x_ticks_the_huddle_action_off() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.db");
    let (patient, action) = {
        let mut store = common::open(&path);
        store
            .write(|tx| {
                frontdesk::store::settings::set_setting(tx, frontdesk::app::setup::SETUP_DONE, "1")?;
                add_staff(tx, "김원장", Role::Director)?;
                let patient = common::clinic::hong(tx)?;
                let action = insert_action(tx, None, patient, "주차권 챙겨 드리기", "데스크")?;
                Ok((patient, action))
            })
            .unwrap()
    };
    let db = path.to_str().unwrap();
    let mut pty = Pty::spawn(
        BIN,
        &["--db", db, "--lang", "en"],
        100,
        30,
        &[("FRONTDESK_STAFF", "desk1"), ("LANG", "en_US.UTF-8")],
    );
    pty.wait_for("Booked 0", 15);
    // Ctrl-F, the last four digits of the phone, Enter: the card with its open action.
    pty.key("Ctrl-F");
    pty.send("5678");
    pty.wait_for("000001", 5);
    pty.key("Enter");
    pty.wait_for("Huddle actions (1) - x ticks off", 5);
    pty.wait_for("1. 주차권 챙겨 드리기 (데스크)", 5);
    // x ticks it off: the fourth key (besides the four digits).
    pty.send("x");
    pty.wait_for("Action ticked off", 5);
    pty.wait_for("Huddle actions (0)", 5);
    // u takes the tick back; x ticks it again.
    pty.send("u");
    pty.wait_for("Action open again", 5);
    pty.wait_for("Huddle actions (1)", 5);
    pty.send("x");
    pty.wait_for("Huddle actions (0)", 5);
    // p: a post-it note, saved with Ctrl-S, on the card at once.
    pty.send("p");
    pty.wait_for("Post-it note - 홍길동", 5);
    pty.send("quiet room please");
    pty.key("Ctrl-S");
    pty.wait_for("Note added", 5);
    pty.wait_for("Notes (1)", 5);
    pty.key("Esc");
    pty.send("q");
    let status = pty.wait_exit(10);
    assert!(status.success(), "exit status {status:?}");

    let store = common::open(&path);
    assert!(open_actions_for(store.conn(), patient).unwrap().is_empty(), "ticked off in the database");
    let done: Option<String> = store
        .conn()
        .query_row("SELECT done_at FROM huddle_actions WHERE id = ?1", [action], |r| r.get(0))
        .unwrap();
    assert_eq!(done.as_deref(), Some("2026-11-23T09:20:00"), "stamped by the fixed clock");
    let notes = frontdesk::store::notes::patient_notes(store.conn(), patient, 10).unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].body, "quiet room please");
}
