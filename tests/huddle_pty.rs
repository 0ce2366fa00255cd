//! `frontdesk huddle` end to end: the real binary in a pseudo-terminal shows the agenda masked
//! and read-only, refuses decisions, and leaves the database as it was.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use frontdesk::store::patients::{NewPatient, insert_patient};
use frontdesk::store::{Access, Actor, Store};
use portable_pty::{CommandBuilder, PtySize, native_pty_system};

/// A running binary with the screen it draws.
struct Term {
    screen: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Term {
    fn spawn(args: &[&str], cols: u16, rows: u16) -> Term {
        let pty = native_pty_system();
        let pair = pty.openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_frontdesk"));
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        cmd.env("USER", "screen");
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let screen = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let feed = Arc::clone(&screen);
        std::thread::spawn(move || {
            let _master = pair.master;
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                feed.lock().unwrap().process(&buf[..n]);
            }
        });
        Term { screen, writer, child }
    }

    fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    /// Waits until the screen shows `text` (or gives up after ten seconds).
    fn wait_for(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let s = self.contents();
            if s.contains(text) || Instant::now() > deadline {
                return s;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).unwrap();
        self.writer.flush().unwrap();
    }
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
    let mut term = Term::spawn(&["huddle", "--db", db.to_str().unwrap(), "--lang", "en"], 100, 30);
    let screen = term.wait_for("원장 설명");
    assert!(screen.contains("홍*동") && screen.contains("010-****-2222"), "{screen}");
    assert!(!screen.contains("홍길동") && !screen.contains("1111"), "{screen}");
    assert!(screen.contains("[read-only]"), "{screen}");

    term.send(b"a");
    let screen = term.wait_for("The shared screen is read-only");
    assert!(screen.contains("The shared screen is read-only"), "{screen}");

    term.send(b"q");
    let deadline = Instant::now() + Duration::from_secs(10);
    while term.child.try_wait().unwrap().is_none() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let status = term.child.try_wait().unwrap().expect("quits on q");
    assert!(status.success());
    assert_eq!(std::fs::read(&db).unwrap(), before, "the database file is untouched");
}
