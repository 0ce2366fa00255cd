//! `frontdesk huddle` end to end: the real binary in a pseudo-terminal shows the agenda masked
//! and read-only, refuses decisions, and leaves the database as it was.

mod common;

use common::pty::Pty;
use crossterm::event::{KeyCode, KeyModifiers};
use frontdesk::store::patients::{NewPatient, insert_patient};
use frontdesk::store::{Access, Actor, Store};

const BIN: &str = env!("CARGO_BIN_EXE_frontdesk");

/// What a terminal sends for a key, for the keys the keymap uses.
fn key_bytes(code: KeyCode, mods: KeyModifiers) -> Option<Vec<u8>> {
    Some(match code {
        KeyCode::Char(c) if mods.contains(KeyModifiers::CONTROL) => {
            vec![(c as u8).to_ascii_lowercase() - b'a' + 1]
        }
        KeyCode::Char(c) => c.to_string().into_bytes(),
        KeyCode::Enter => b"\r".to_vec(),
        KeyCode::Esc => b"\x1b".to_vec(),
        KeyCode::Tab => b"\t".to_vec(),
        KeyCode::BackTab => b"\x1b[Z".to_vec(),
        KeyCode::Up => b"\x1b[A".to_vec(),
        KeyCode::Down => b"\x1b[B".to_vec(),
        KeyCode::Right => b"\x1b[C".to_vec(),
        KeyCode::Left => b"\x1b[D".to_vec(),
        KeyCode::Home => b"\x1b[H".to_vec(),
        KeyCode::End => b"\x1b[F".to_vec(),
        KeyCode::PageUp => b"\x1b[5~".to_vec(),
        KeyCode::PageDown => b"\x1b[6~".to_vec(),
        KeyCode::Backspace => b"\x7f".to_vec(),
        KeyCode::Delete => b"\x1b[3~".to_vec(),
        KeyCode::F(n @ 1..=4) => format!("\x1bO{}", (b'P' + n - 1) as char).into_bytes(),
        _ => return None,
    })
}

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

    // Every key of the whole keymap (and a paste): the screen stays the masked huddle.
    for (_, bindings) in frontdesk::app::keymap::TABLE {
        for b in *bindings {
            for k in b.keys {
                // q and Ctrl-C quit (Ctrl-C quits like q everywhere).
                if k.code == KeyCode::Char('q') || b.command == frontdesk::app::keymap::Command::Quit {
                    continue;
                }
                let Some(bytes) = key_bytes(k.code, k.mods) else { continue };
                pty.send_bytes(&bytes);
                std::thread::sleep(std::time::Duration::from_millis(20));
                if k.code == KeyCode::Char('?') {
                    pty.key("Esc");
                }
                let screen = pty.screen();
                assert!(!screen.contains("홍길동") && !screen.contains("1111"), "after {k:?}:\n{screen}");
            }
        }
    }
    pty.send("\u{1b}[200~m1n\u{1b}[201~");
    pty.wait_for("Paste goes into a text field only", 10);
    let screen = pty.screen();
    assert!(screen.contains("[masked]") && !screen.contains("홍길동"), "{screen}");

    pty.send("q");
    assert!(pty.wait_exit(10).success());
    assert_eq!(std::fs::read(&db).unwrap(), before, "the database file is untouched");
}
