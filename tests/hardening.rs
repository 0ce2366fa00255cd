//! Contention, a full disk, file permissions and bad input: the app keeps what was typed and
//! says what is happening; nothing it writes is readable by other users; no input panics.

mod common;
use common::keys::ctrl_s;

use std::path::Path;
use std::process::Command;

use common::{empty_app, render, text};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use frontdesk::app::{App, TabId};
use frontdesk::domain::Lang;
use frontdesk::domain::import::CsvKind;
use frontdesk::store::{StoreError, csv_io, maintenance};

const BIN: &str = env!("CARGO_BIN_EXE_frontdesk");

fn press(app: &mut App, code: KeyCode) {
    app.on_key(KeyEvent::from(code));
}

fn typed(app: &mut App, s: &str) {
    for c in s.chars() {
        press(app, KeyCode::Char(c));
    }
}

fn inquiries(app: &App) -> i64 {
    app.store.conn().query_row("SELECT count(*) FROM inquiries", [], |r| r.get(0)).unwrap()
}

/// An inquiry form with a caller's name typed in.
fn app_with_a_call_typed(dir: &tempfile::TempDir) -> App {
    let mut app = empty_app(dir, Lang::En, TabId::Inquiries);
    typed(&mut app, "n");
    assert!(app.tabs.get(TabId::Inquiries).keyboard_grabbed());
    typed(&mut app, "Jane Roe");
    app
}

#[test]
fn a_save_while_another_terminal_holds_the_write_lock_waits_keeps_the_form_and_saves_after() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_with_a_call_typed(&dir);
    // Another terminal in the middle of a write.
    let other = rusqlite::Connection::open(dir.path().join("clinic.db")).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();

    ctrl_s(&mut app);
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("another terminal holds the database for writing"), "{screen}");
    assert!(!screen.contains("locked"), "{screen}");
    assert!(screen.contains("Jane Roe"), "the form is kept: {screen}");
    assert!(app.tabs.get(TabId::Inquiries).keyboard_grabbed());
    assert!(app.waiting_to_save());
    // Still held: the tick tries, waits, and keeps the form.
    app.on_tick();
    assert!(app.waiting_to_save());
    assert_eq!(inquiries(&app), 0);

    other.execute_batch("COMMIT").unwrap();
    app.on_tick();
    assert!(!app.waiting_to_save());
    assert!(!app.tabs.get(TabId::Inquiries).keyboard_grabbed(), "saved and closed");
    assert_eq!(inquiries(&app), 1);
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("Jane Roe") && screen.contains("Today's phone log: 1"), "{screen}");
}

/// Runs `f` on a folder that is a small tmpfs (a disk that can fill up), when this sandbox
/// may mount one; says so and skips otherwise.
fn on_small_disk(size: &str, f: impl FnOnce(&Path) + std::panic::UnwindSafe) {
    let dir = tempfile::tempdir().unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
        .arg(dir.path())
        .output()
        .is_ok_and(|o| o.status.success());
    if !mounted {
        eprintln!("cannot mount a tmpfs here: the full-disk test is skipped");
        return;
    }
    let path = dir.path().to_path_buf();
    let result = std::panic::catch_unwind(move || f(&path));
    let _ = Command::new("umount").arg(dir.path()).status();
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}

/// Fills the disk under `dir` with a ballast file until a write fails.
fn fill_disk(dir: &Path) -> std::path::PathBuf {
    use std::io::Write;
    let path = dir.join("ballast");
    let mut f = std::fs::File::create(&path).unwrap();
    let chunk = vec![0u8; 4096];
    while f.write_all(&chunk).and_then(|_| f.sync_all()).is_ok() {}
    let small = [0u8; 64];
    while f.write_all(&small).and_then(|_| f.sync_all()).is_ok() {}
    path
}

#[test]
fn a_full_disk_says_so_keeps_the_form_and_leaves_the_database_sound() {
    on_small_disk("2m", |dir| {
        let store = common::open_set_up(&dir.join("clinic.db"));
        let mut app = App::new(store, common::options(Lang::En, TabId::Inquiries)).unwrap();
        typed(&mut app, "n");
        typed(&mut app, "Jane Roe");
        let ballast = fill_disk(dir);

        ctrl_s(&mut app);
        let screen = text(&render(&app, 120, 40));
        assert!(screen.contains("disk is full"), "{screen}");
        assert!(screen.contains("Jane Roe"), "the form is kept: {screen}");
        assert!(app.tabs.get(TabId::Inquiries).keyboard_grabbed());
        assert_eq!(inquiries(&app), 0);

        // Room again: the database is sound and the same form saves.
        std::fs::remove_file(ballast).unwrap();
        let report = maintenance::check(&app.store).unwrap();
        assert!(report.ok, "{:?}", report.lines);
        ctrl_s(&mut app);
        assert_eq!(inquiries(&app), 1);
        assert!(maintenance::check(&app.store).unwrap().ok);
    });
}

#[test]
fn an_import_that_fills_the_disk_writes_nothing_and_says_the_disk_is_full() {
    on_small_disk("1m", |dir| {
        let db = dir.join("clinic.db");
        let mut store = common::open_set_up(&db);
        let mut text = String::from(
            "chart_no,name,phone,birth_date,sex,first_visit,referral_source,referrer_chart_no,tags,note\n",
        );
        for i in 0..20_000 {
            text.push_str(&format!("F{i:06},테스트{i},,,,,,,,{}\n", "메모".repeat(20)));
        }
        let now = common::fixed_now();
        let err = csv_io::import(&mut store, CsvKind::Patients, "big.csv", &text, false, now).unwrap_err();
        assert!(matches!(err, StoreError::Full), "{err:?}");
        assert!(err.to_string().contains("disk is full"), "{err}");
        drop(store);
        let store = common::open(&db);
        let n: i64 = store.conn().query_row("SELECT count(*) FROM patients", [], |r| r.get(0)).unwrap();
        assert_eq!(n, 0, "all or nothing");
        assert!(maintenance::check(&store).unwrap().ok);
    });
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())).permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn every_file_the_app_makes_is_owner_only_under_umask_022() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    std::fs::create_dir(&home).unwrap();
    let sh = |script: &str| {
        let out = Command::new("sh")
            .arg("-c")
            .arg(format!("umask 022; {script}"))
            .env("HOME", &home)
            .env_remove("XDG_DATA_HOME")
            .env_remove("FRONTDESK_DB")
            .output()
            .unwrap();
        assert!(out.status.success(), "{script}: {}", String::from_utf8_lossy(&out.stderr));
    };
    // The default data folder and its database, made by a command that writes (`check` only
    // reads, and never creates a database).
    let csv = dir.path().join("one.csv");
    std::fs::write(
        &csv,
        "chart_no,name,phone,birth_date,sex,first_visit,referral_source,referrer_chart_no,tags,note\nF000001,테스트,,,,,,,,\n",
    )
    .unwrap();
    sh(&format!("'{BIN}' import patients '{}'", csv.display()));
    let data = home.join(".local/share/frontdesk");
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&data.join("frontdesk.db")), 0o600);

    // A database, its WAL and shared-memory files while an app has it open.
    let db = dir.path().join("clinic.db");
    drop(common::open_set_up(&db));
    std::fs::remove_file(&db).unwrap();
    let db_s = db.to_str().unwrap();
    let app = common::pty::Pty::spawn(
        "sh",
        &["-c", &format!("umask 022; exec '{BIN}' --db '{db_s}' --lang en --tab inquiries")],
        100,
        30,
        &[],
    );
    app.wait_for("Welcome", 15);
    let wal = dir.path().join("clinic.db-wal");
    let shm = dir.path().join("clinic.db-shm");
    assert_eq!(mode(&db), 0o600);
    assert_eq!(mode(&wal), 0o600);
    assert_eq!(mode(&shm), 0o600);

    // Backups and exports, while the app is open.
    let file = dir.path().join("p.csv");
    std::fs::write(&file, "chart_no,name,phone,birth_date,sex,first_visit,referral_source,referrer_chart_no,tags,note\n1,가나,,,,,,,,\n").unwrap();
    sh(&format!("'{BIN}' --db '{db_s}' import patients '{}'", file.display()));
    let backup = dir.path().join("backup.db");
    sh(&format!("'{BIN}' --db '{db_s}' backup '{}'", backup.display()));
    assert_eq!(mode(&backup), 0o600);
    for kind in ["patients", "audit"] {
        let out = dir.path().join(format!("{kind}.csv"));
        sh(&format!("'{BIN}' --db '{db_s}' export {kind} --out '{}'", out.display()));
        assert_eq!(mode(&out), 0o600, "{kind}");
    }
    // An export with --force over an existing world-readable file replaces it with a new
    // owner-only file (the old file's own mode is never changed: see tests/files.rs).
    let old = dir.path().join("old.csv");
    std::fs::write(&old, "old").unwrap();
    sh(&format!(
        "chmod 644 '{}'; '{BIN}' --db '{db_s}' export audit --out '{}' --force",
        old.display(),
        old.display()
    ));
    assert_eq!(mode(&old), 0o600);
    // The first-run setup is on screen (a new file); ending the process is enough here.
    drop(app);
}

#[test]
fn export_audit_writes_who_when_what_and_which_patient_and_is_itself_audited() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    let file = dir.path().join("p.csv");
    std::fs::write(&file, "chart_no,name,phone,birth_date,sex,first_visit,referral_source,referrer_chart_no,tags,note\n000123,가나,,,,,,,referrer,첫 메모\n").unwrap();
    let run = |args: &[&str]| {
        Command::new(BIN)
            .arg("--db")
            .arg(&db)
            .args(args)
            .env("USER", "desk9")
            .env("FRONTDESK_STAFF", "김데스크")
            .env("SSH_CLIENT", "10.0.0.7 52100 22")
            .output()
            .unwrap()
    };
    assert!(run(&["import", "patients", file.to_str().unwrap()]).status.success());
    let out = run(&["export", "audit"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let csv = String::from_utf8(out.stdout).unwrap();
    let csv = csv.trim_start_matches('\u{feff}');
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "id,at,os_user,staff,ssh_client,action,entity,entity_id,patient_id,chart_no,detail"
    );
    let rows: Vec<&str> = lines.collect();
    let patient_rows: Vec<&&str> = rows.iter().filter(|l| l.contains(",000123,")).collect();
    // Created, its sticker and its note: each names the patient and who did it, from where.
    assert_eq!(patient_rows.len(), 3, "{csv}");
    for r in &patient_rows {
        assert!(r.contains(",desk9,김데스크,10.0.0.7,"), "{r}");
    }
    assert!(patient_rows.iter().any(|r| r.contains(",create,patient,")), "{csv}");
    assert!(patient_rows.iter().any(|r| r.contains(",import,tag,")), "{csv}");
    assert!(patient_rows.iter().any(|r| r.contains(",import,note,")), "{csv}");
    // The export went into the log, in the same transaction as the read.
    let store = common::open(&db);
    let exports: i64 = store
        .conn()
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action = 'export' AND entity = 'audit_log'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(exports, 1);
    // A range with nothing in it has the header only.
    let out = run(&["export", "audit", "--from", "2001-01-01", "--to", "2001-01-31"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);
    let out = run(&["export", "audits"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("audit)"));
}

#[test]
fn the_settings_screen_lists_the_audit_log_newest_first_a_window_at_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = empty_app(&dir, Lang::En, TabId::Today);
    // 250 rows beyond the setup's: more than one window.
    app.store
        .write(|tx| {
            for i in 0..250 {
                tx.audit(&frontdesk::store::audit::Entry::new("test", "row").id(i))?;
            }
            Ok(())
        })
        .unwrap();
    app.on_key(KeyEvent::new(KeyCode::Char('o'), KeyModifiers::CONTROL));
    assert!(app.settings.is_some());
    // Left from the first section wraps to the last: the audit log.
    press(&mut app, KeyCode::Left);
    let s = app.settings.as_ref().unwrap();
    assert_eq!(s.section, frontdesk::app::settings::Section::Audit);
    assert_eq!(s.audit.len(), frontdesk::app::settings::AUDIT_WINDOW);
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("Audit log"), "{screen}");
    assert!(screen.contains("test row #249"), "newest first: {screen}");
    let first_row = screen.lines().find(|l| l.contains("test row #")).unwrap();
    assert!(first_row.contains("#249") && first_row.contains("desk1"), "{first_row}");
    // Scrolling past the window reads the next one.
    for _ in 0..frontdesk::app::settings::AUDIT_WINDOW {
        press(&mut app, KeyCode::Down);
    }
    let total: i64 = app.store.conn().query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0)).unwrap();
    assert_eq!(app.settings.as_ref().unwrap().audit.len() as i64, total);
    // Read-only: n, e, x and d do nothing there.
    let before = total;
    for c in ['n', 'e', 'x', 'd', 'y'] {
        typed(&mut app, &c.to_string());
    }
    assert!(app.settings.as_ref().unwrap().form.is_none());
    let after: i64 = app.store.conn().query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0)).unwrap();
    assert_eq!(after, before);
}
