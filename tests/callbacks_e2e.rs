//! End to end: the built binary in a pseudo-terminal logs a contact on a callback and moves
//! its date; both are on screen and in the database.

mod common;

use chrono::Duration;
use common::pty::Pty;
use frontdesk::domain::CallbackKind;
use frontdesk::store::callbacks::{NewCallback, contacts, get_item, open_callback};
use frontdesk::store::patients::{NewPatient, insert_patient};

const BIN: &str = env!("CARGO_BIN_EXE_frontdesk");

#[test]
fn a_contact_logged_in_the_terminal_moves_the_item_and_snooze_moves_it_again() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    // The binary runs on the tests' fixed clock (FRONTDESK_NOW): the item is due on its today.
    let today = common::fixed_now().date();
    let id = {
        let mut store = common::open_set_up(&db);
        store
            .write(|tx| {
                let p = insert_patient(
                    tx,
                    &NewPatient {
                        name: "Jane Roe".into(),
                        phone: "010-4444-5555".into(),
                        ..Default::default()
                    },
                )?;
                open_callback(tx, &NewCallback::new(p, CallbackKind::Recall, today))
            })
            .unwrap()
    };
    let db_arg = db.to_str().unwrap();
    let mut pty = Pty::spawn(BIN, &["--db", db_arg, "--lang", "en", "--tab", "callbacks"], 120, 40, &[]);
    pty.wait_for("To call: 1", 15);
    pty.wait_for("Due today 1", 5);
    pty.send("l");
    pty.wait_for("Log contact - Recall Jane Roe (attempt 1)", 5);
    pty.key("Tab"); // channel: phone
    pty.key("Tab"); // reached: yes
    pty.key("Tab"); // satisfaction: not asked
    pty.send("Will come next week");
    pty.key("Tab");
    pty.send("Call on Friday");
    pty.key("Tab"); // next step: a date
    pty.key("Tab");
    pty.send("+3");
    pty.key("Enter");
    let moved = (today + Duration::days(3)).format("%Y-%m-%d").to_string();
    pty.wait_for(&format!("Recall     {moved}"), 5);
    let row = pty.screen().lines().find(|l| l.contains("Jane Roe")).unwrap().to_string();
    assert!(row.contains("Will come next week"), "{row}");
    pty.wait_for("Done today 1", 5);

    pty.send("z");
    pty.wait_for("Snooze - Recall Jane Roe", 5);
    pty.send("+5");
    pty.key("Enter");
    let snoozed = (today + Duration::days(5)).format("%Y-%m-%d").to_string();
    pty.wait_for(&format!("Recall     {snoozed}"), 5);
    pty.send("q");
    assert!(pty.wait_exit(10).success());

    let store = common::open(&db);
    let item = get_item(store.conn(), id).unwrap();
    assert_eq!(item.due_on.format("%Y-%m-%d").to_string(), snoozed);
    let logged = contacts(store.conn(), id).unwrap();
    assert_eq!(logged.len(), 1);
    assert_eq!(
        (logged[0].reaction.as_str(), logged[0].next_plan.as_str()),
        ("Will come next week", "Call on Friday")
    );
    assert!(logged[0].reached);
}
