//! `frontdesk huddle` end to end: the real binary in a pseudo-terminal shows the agenda masked
//! and read-only, refuses decisions, and leaves the database as it was.

mod common;

use common::pty::Pty;
use frontdesk::store::patients::{NewPatient, insert_patient};
use frontdesk::store::{Access, Actor, Store};

const BIN: &str = env!("CARGO_BIN_EXE_frontdesk");

#[test]
fn the_shared_screen_is_masked_and_read_only() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    {
        let mut store = Store::open(&db, Access::ReadWrite, Actor::named("desk")).unwrap();
        let p =
            NewPatient { name: "홍길동".into(), phone: "010-1111-2222".into(), ..NewPatient::default() };
        let id = store.write(|tx| insert_patient(tx, &p)).unwrap();
        store
            .write(|tx| {
                tx.execute(
                    "INSERT INTO complaints (patient_id, raised_at, category_code, plan) VALUES (?1, '2026-01-05T10:00:00', 'pain', '원장 설명')",
                    [id],
                )?;
                Ok(())
            })
            .unwrap();
    }
    let before = std::fs::read(&db).unwrap();
    let mut pty = Pty::spawn(BIN, &["huddle", "--db", db.to_str().unwrap(), "--lang", "en"], 100, 30, &[]);
    pty.wait_for("원장 설명", 10);
    let screen = pty.screen();
    assert!(screen.contains("홍*동") && screen.contains("010-****-2222"), "{screen}");
    assert!(!screen.contains("홍길동") && !screen.contains("1111"), "{screen}");
    assert!(screen.contains("[read-only]"), "{screen}");

    pty.send("a");
    pty.wait_for("The shared screen is read-only", 10);

    pty.send("q");
    assert!(pty.wait_exit(10).success());
    assert_eq!(std::fs::read(&db).unwrap(), before, "the database file is untouched");
}
