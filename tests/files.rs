//! Files on disk (issue 14, items 2, 8 and 9): no command destroys a file it was not asked to
//! create; commands that only read never create a database; a 0-byte file, a FIFO or a device
//! is refused at once; a file this user cannot write opens read-only and says so; `restore`
//! puts a backup back whole or changes nothing.

mod common;

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent};
use frontdesk::app::{App, TabId};
use frontdesk::domain::Lang;
use frontdesk::store::{Access, Actor, Clock, Store, settings};

const BIN: &str = env!("CARGO_BIN_EXE_frontdesk");

/// Runs the binary with its own HOME (no user config) and the fixed clock; kills it and fails
/// if it has not ended after a minute (a hang guard, not a measure of speed).
fn run_in(dir: &Path, args: &[&str]) -> Output {
    let child = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("HOME", dir)
        .env_remove("FRONTDESK_DB")
        .env(common::FIXED_NOW_ENV.0, common::FIXED_NOW_ENV.1)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_or_kill(child, args)
}

fn wait_or_kill(mut child: std::process::Child, what: &[&str]) -> Output {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!("frontdesk {what:?} did not end (hung): {}", String::from_utf8_lossy(&out.stderr));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).trim().to_string()
}

/// Exit 2 with one line on stderr containing `says`.
fn assert_refused(o: &Output, says: &str, what: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(2), "{what}: {err}");
    assert!(err.contains(says), "{what}: expected {says:?} in {err:?}");
    assert_eq!(err.lines().count(), 1, "{what}: one line: {err}");
}

/// A set-up database with one setting to tell versions apart.
fn make_db(path: &Path, marker: &str) {
    let mut store = common::open_set_up(path);
    store.write(|tx| settings::set_setting(tx, "test_marker", marker)).unwrap();
}

fn marker(path: &Path) -> Option<String> {
    let store =
        Store::open_with_clock(path, Access::ReadOnly, Actor::named("t"), Clock::Fixed(common::fixed_now()))
            .unwrap();
    store.setting("test_marker").unwrap()
}

/// The database passes `check` and still holds `marker`.
fn assert_sound(db: &Path, expect: &str) {
    assert_eq!(marker(db).as_deref(), Some(expect));
    let store = common::open(db);
    let report = frontdesk::store::maintenance::check(&store).unwrap();
    assert!(report.ok, "{:?}", report.lines);
}

/// Byte-for-byte equality without printing megabytes on failure.
fn same_bytes(a: &Path, b: &[u8]) -> bool {
    std::fs::read(a).unwrap() == b
}

fn mkfifo(path: &Path) {
    assert!(Command::new("mkfifo").arg(path).status().unwrap().success());
}

fn is_fifo(path: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::symlink_metadata(path).map(|m| m.file_type().is_fifo()).unwrap_or(false)
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Every file in the folder, by name.
fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    v.sort();
    v
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| o.stdout.starts_with(b"0\n")).unwrap_or(false)
}

/// The three commands that write a file the user names, writing to `target`.
fn writers(target: &str) -> Vec<Vec<String>> {
    let v = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    vec![
        v(&["--db", "clinic.db", "export", "patients", "--out", target]),
        v(&["--db", "clinic.db", "backup", target]),
        v(&["--db", "clinic.db", "report", "funnel", "--out", target]),
    ]
}

fn with_force(mut args: Vec<String>) -> Vec<String> {
    args.push("--force".into());
    args
}

fn run_strings(dir: &Path, args: &[String]) -> Output {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run_in(dir, &args)
}

#[test]
fn out_never_writes_the_database_or_its_wal_and_shm_even_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    make_db(&db, "one");
    // Another terminal keeps the database open, so its -wal and -shm exist.
    let other = rusqlite::Connection::open(&db).unwrap();
    other.query_row("SELECT count(*) FROM patients", [], |_| Ok(())).unwrap();
    assert!(dir.path().join("clinic.db-wal").exists() && dir.path().join("clinic.db-shm").exists());
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    for target in ["clinic.db", "clinic.db-wal", "clinic.db-shm", "./sub/../clinic.db"] {
        for args in writers(target) {
            for args in [args.clone(), with_force(args)] {
                let o = run_strings(dir.path(), &args);
                assert_refused(&o, "that is the database", &format!("{args:?}"));
            }
        }
    }
    // A hard link to the database under another name is the database too.
    std::fs::hard_link(&db, dir.path().join("other-name.db")).unwrap();
    for args in writers("other-name.db") {
        let o = run_strings(dir.path(), &with_force(args.clone()));
        assert_refused(&o, "that is the database", &format!("{args:?}"));
    }
    // (export and backup add an audit row, so the bytes are compared through SQLite.)
    drop(other);
    assert_sound(&db, "one");
}

#[test]
fn out_never_follows_a_symlink() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    make_db(&db, "one");
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "keep me").unwrap();
    std::os::unix::fs::symlink(&victim, dir.path().join("to-victim")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("nowhere.csv"), dir.path().join("dangling")).unwrap();
    for target in ["to-victim", "dangling"] {
        for args in writers(target) {
            for args in [args.clone(), with_force(args)] {
                let o = run_strings(dir.path(), &args);
                assert_refused(&o, "symbolic link", &format!("{args:?}"));
            }
        }
    }
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    assert!(!dir.path().join("nowhere.csv").exists(), "a dangling link's target is not created");
    assert!(std::fs::symlink_metadata(dir.path().join("to-victim")).unwrap().file_type().is_symlink());
    assert_sound(&db, "one");
}

#[test]
fn an_existing_file_is_kept_without_force_and_replaced_whole_by_a_new_file_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    make_db(&db, "one");
    for (i, args) in writers("existing.out").into_iter().enumerate() {
        let existing = dir.path().join("existing.out");
        let _ = std::fs::remove_file(&existing);
        std::fs::write(&existing, "old content").unwrap();
        std::fs::set_permissions(&existing, std::fs::Permissions::from_mode(0o644)).unwrap();
        // A second name for the old file: it shows what happens to the old file itself.
        let old_self = dir.path().join(format!("old-self-{i}"));
        std::fs::hard_link(&existing, &old_self).unwrap();

        let o = run_strings(dir.path(), &args);
        assert_refused(&o, "already exists", &format!("{args:?}"));
        assert!(stderr(&o).contains("--force"), "says how to replace it: {}", stderr(&o));
        assert_eq!(std::fs::read_to_string(&existing).unwrap(), "old content");
        assert_eq!(mode(&existing), 0o644);

        let o = run_strings(dir.path(), &with_force(args.clone()));
        assert!(o.status.success(), "{args:?} --force: {}", stderr(&o));
        assert_ne!(std::fs::read(&existing).unwrap(), b"old content", "{args:?}: replaced");
        assert_eq!(mode(&existing), 0o600, "the new file is owner-only");
        assert_ne!(
            std::fs::metadata(&existing).unwrap().ino(),
            std::fs::metadata(&old_self).unwrap().ino(),
            "a new file was renamed into place"
        );
        // The old file was not written through and its mode was not changed.
        assert_eq!(std::fs::read_to_string(&old_self).unwrap(), "old content");
        assert_eq!(mode(&old_self), 0o644);
    }
    // No temporary files are left behind.
    assert!(listing(dir.path()).iter().all(|n| !n.starts_with('.')), "{:?}", listing(dir.path()));
}

#[test]
fn a_fifo_or_a_device_as_out_is_refused_at_once_even_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    make_db(&db, "one");
    let fifo = dir.path().join("pipe");
    mkfifo(&fifo);
    let null_mode = mode(Path::new("/dev/null"));
    for target in [fifo.to_str().unwrap(), "/dev/null", "sub-folder"] {
        let _ = std::fs::create_dir(dir.path().join("sub-folder"));
        for args in writers(target) {
            for args in [args.clone(), with_force(args)] {
                let o = run_strings(dir.path(), &args);
                assert_refused(&o, "not a regular file", &format!("{args:?}"));
            }
        }
    }
    assert!(is_fifo(&fifo), "the FIFO is still a FIFO");
    assert_eq!(mode(Path::new("/dev/null")), null_mode, "/dev/null keeps its mode");
}

#[test]
fn commands_that_only_read_never_create_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let reads: &[&[&str]] = &[
        &["--db", "typo.db", "check"],
        &["--db", "typo.db", "report", "funnel"],
        &["--db", "typo.db", "export", "patients"],
        &["--db", "typo.db", "export", "patients", "--out", "p.csv"],
        &["--db", "typo.db", "okr", "status"],
        &["--db", "typo.db", "setup", "show"],
        &["--db", "typo.db", "backup", "copy.db"],
        &["--db", "typo.db", "--read-only"],
        &["--db", "typo.db", "huddle"],
    ];
    for args in reads {
        let o = run_in(dir.path(), args);
        assert_refused(&o, "typo.db", &format!("{args:?}"));
        assert!(listing(dir.path()).is_empty(), "{args:?} created {:?}", listing(dir.path()));
    }
}

#[test]
fn a_zero_byte_file_a_fifo_or_a_device_as_db_is_refused_at_once_by_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, b"").unwrap();
    let fifo = dir.path().join("fifo.db");
    mkfifo(&fifo);
    std::fs::write(dir.path().join("p.csv"), "chart_no,name,phone\n").unwrap();
    // A valid settings file, from a real database elsewhere.
    let elsewhere = tempfile::tempdir().unwrap();
    make_db(&elsewhere.path().join("real.db"), "x");
    let shown = run_in(elsewhere.path(), &["--db", "real.db", "setup", "show"]);
    assert!(shown.status.success(), "{}", stderr(&shown));
    std::fs::write(dir.path().join("s.toml"), shown.stdout).unwrap();
    let null_mode = mode(Path::new("/dev/null"));
    let commands: &[&[&str]] = &[
        &["check"],
        &["report", "daily"],
        &["export", "patients"],
        &["okr", "status"],
        &["setup", "show"],
        &["setup", "load", "s.toml"],
        &["backup", "copy.db"],
        &["import", "patients", "p.csv"],
        &["demo"],
        &[],
        &["--read-only"],
        &["huddle"],
    ];
    for (db, says) in
        [(empty.to_str().unwrap(), "empty file"), (fifo.to_str().unwrap(), "FIFO"), ("/dev/null", "not a")]
    {
        for cmd in commands {
            let mut args = vec!["--db", db];
            args.extend_from_slice(cmd);
            let o = run_in(dir.path(), &args);
            assert_refused(&o, says, &format!("{args:?}"));
        }
    }
    assert_eq!(std::fs::metadata(&empty).unwrap().len(), 0, "the empty file is left as it was");
    assert!(is_fifo(&fifo));
    assert_eq!(mode(Path::new("/dev/null")), null_mode);
    assert!(!dir.path().join("copy.db").exists());
}

/// The database, made unwritable for the user the binary runs as: as root (who writes any
/// file whatever its mode) the binary runs as `nobody` through `setpriv`, on a 0400 file
/// owned by `nobody`; otherwise the file is simply made 0400. `None` when root and there is
/// no `setpriv` (the test says so and is skipped).
fn unwritable_db(dir: &Path) -> Option<(PathBuf, Vec<String>)> {
    let db = dir.join("clinic.db");
    make_db(&db, "one");
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o400)).unwrap();
    if !is_root() {
        return Some((db, vec![BIN.to_string()]));
    }
    let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].into_iter().find(|p| Path::new(p).exists())?;
    // nobody owns the folder (it may create the WAL there), the file (mode 0400) and its key.
    for p in [dir.to_path_buf(), db.clone(), frontdesk::store::audit::key_path(&db)] {
        std::os::unix::fs::chown(&p, Some(65534), Some(65534)).unwrap();
    }
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let prefix = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", BIN];
    Some((db, prefix.iter().map(|s| s.to_string()).collect()))
}

#[test]
fn a_file_this_user_cannot_write_is_read_checked_and_refuses_writes_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let Some((db, prefix)) = unwritable_db(dir.path()) else {
        eprintln!("root without setpriv: cannot make a file unwritable; skipped");
        return;
    };
    let before = std::fs::read(&db).unwrap();
    std::fs::write(
        dir.path().join("p.csv"),
        "chart_no,name,phone,birth_date,sex,first_visit,referral_source,referrer_chart_no,tags,note\n\
         900001,Test Person,010-0000-0001,,,,,,,\n",
    )
    .unwrap();
    let run = |args: &[&str]| {
        let child = Command::new(&prefix[0])
            .args(&prefix[1..])
            .args(args)
            .current_dir(dir.path())
            .env("HOME", dir.path())
            .env(common::FIXED_NOW_ENV.0, common::FIXED_NOW_ENV.1)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        wait_or_kill(child, args)
    };
    // Reading works: check passes on the read-only file.
    let o = run(&["--db", "clinic.db", "check"]);
    assert!(o.status.success(), "check: {}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("clinic.db: ok"));
    // A write says the file is read-only and changes nothing.
    let o = run(&["--db", "clinic.db", "import", "patients", "p.csv"]);
    assert_refused(&o, "read-only", "import into an unwritable file");
    assert!(same_bytes(&db, &before), "the file is unchanged");
}

#[test]
fn a_file_this_user_cannot_write_opens_in_the_app_read_only_with_the_flag_and_write_keys_say_why() {
    let dir = tempfile::tempdir().unwrap();
    let Some((db, prefix)) = unwritable_db(dir.path()) else {
        eprintln!("root without setpriv: cannot make a file unwritable; skipped");
        return;
    };
    let before = std::fs::read(&db).unwrap();
    let home = dir.path().to_str().unwrap().to_string();
    let mut args: Vec<&str> = prefix[1..].iter().map(String::as_str).collect();
    args.extend(["--db", db.to_str().unwrap(), "--lang", "en"]);
    let mut pty = common::pty::Pty::spawn(&prefix[0], &args, 120, 40, &[("HOME", &home)]);
    pty.wait_for("[read-only]", 20);
    pty.send("n");
    pty.wait_for("cannot write the file", 10);
    assert!(!pty.screen().contains("Save"), "no form opened: {}", pty.screen());
    pty.send("q");
    pty.wait_exit(10);
    assert!(same_bytes(&db, &before), "the file is unchanged");
}

/// The app on a store opened read-only: every write key says why, at the key, and opens
/// nothing (the seam the unwritable-file case shares with --read-only).
#[test]
fn on_a_read_only_store_the_write_keys_refuse_up_front_and_say_why() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    make_db(&db, "one");
    let store =
        Store::open_with_clock(&db, Access::ReadOnly, Actor::named("t"), Clock::Fixed(common::fixed_now()))
            .unwrap();
    assert!(!store.opened_read_only_because_unwritable());
    let mut app = App::new(store, common::options(Lang::En, TabId::Today)).unwrap();
    let screen = common::text(&common::render(&app, 120, 40));
    assert!(screen.contains("[read-only]"), "{screen}");
    for (tab, keys) in [
        (TabId::Today, "nadxcfumpet!"),
        (TabId::Callbacks, "lzc"),
        (TabId::Inquiries, "ned"),
        (TabId::Okr, "naec"),
    ] {
        app.on_command(frontdesk::app::keymap::Command::GoTab(tab.index() as u8));
        for k in keys.chars() {
            app.on_key(KeyEvent::from(KeyCode::Char(k)));
            let screen = common::text(&common::render(&app, 120, 40));
            assert!(
                screen.contains("Opened read-only (--read-only): nothing can be saved"),
                "{tab:?} '{k}': {screen}"
            );
            assert!(!app.tabs.get(tab).keyboard_grabbed(), "{tab:?} '{k}' opened a form");
        }
    }
}

#[test]
fn restore_puts_the_backup_back_keeps_the_old_file_aside_in_wal_and_owner_only() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    make_db(&db, "backed up");
    let o = run_in(dir.path(), &["--db", "clinic.db", "backup", "monday.db"]);
    assert!(o.status.success(), "{}", stderr(&o));
    {
        let mut store = common::open(&db);
        store.write(|tx| settings::set_setting(tx, "test_marker", "after the backup")).unwrap();
    }
    let o = run_in(dir.path(), &["--db", "clinic.db", "restore", "monday.db"]);
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(o.status.success(), "{}\n{out}", stderr(&o));
    assert!(out.contains("integrity: ok") && out.contains("clinic.db: ok"), "{out}");
    assert!(out.contains("journal: wal"), "{out}");

    assert_eq!(marker(&db).as_deref(), Some("backed up"), "the backup's data is back");
    let aside = dir.path().join("clinic.db.before-restore-20261123-092000");
    assert!(out.contains("clinic.db.before-restore-20261123-092000"), "{out}");
    assert_eq!(marker(&aside).as_deref(), Some("after the backup"), "the old file is kept aside");
    let c = rusqlite::Connection::open(&db).unwrap();
    let journal: String = c.pragma_query_value(None, "journal_mode", |r| r.get(0)).unwrap();
    assert_eq!(journal, "wal");
    drop(c);
    assert_eq!(mode(&db), 0o600);
    assert!(Path::new(&dir.path().join("monday.db")).exists(), "the backup itself is kept");
    assert!(listing(dir.path()).iter().all(|n| !n.starts_with('.')), "{:?}", listing(dir.path()));
    // The restored file is a working database another terminal can write.
    let mut store = common::open(&db);
    store.write(|tx| settings::set_setting(tx, "test_marker", "working")).unwrap();
}

#[test]
fn restore_refuses_a_bad_backup_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    make_db(&db, "current");
    // Checkpointed, so the main file holds everything and its bytes can be compared.
    {
        let c = rusqlite::Connection::open(&db).unwrap();
        c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).unwrap();
    }
    let p = |n: &str| dir.path().join(n);
    std::fs::write(p("text.db"), "not a database at all\n".repeat(20)).unwrap();
    std::fs::write(p("empty.db"), b"").unwrap();
    {
        let c = rusqlite::Connection::open(p("other-app.db")).unwrap();
        c.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);").unwrap();
    }
    // A frontdesk backup from a newer frontdesk.
    make_db(&p("newer.db"), "newer");
    {
        let c = rusqlite::Connection::open(p("newer.db")).unwrap();
        c.pragma_update(None, "user_version", frontdesk::store::SCHEMA_VERSION + 1).unwrap();
        c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).unwrap();
    }
    // A frontdesk backup with a damaged page.
    make_db(&p("damaged.db"), "damaged");
    {
        let c = rusqlite::Connection::open(p("damaged.db")).unwrap();
        c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).unwrap();
        c.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    {
        let mut bytes = std::fs::read(p("damaged.db")).unwrap();
        let page = 4096;
        for b in &mut bytes[page * 3..page * 3 + 200] {
            *b = 0x5a;
        }
        std::fs::write(p("damaged.db"), bytes).unwrap();
    }
    let before = std::fs::read(&db).unwrap();
    let files_before = listing(dir.path());
    for (backup, says) in [
        ("text.db", "not an SQLite file"),
        ("empty.db", "empty file"),
        ("other-app.db", "another application"),
        ("newer.db", "newer frontdesk"),
        ("damaged.db", "damaged.db"),
        ("missing.db", "cannot read"),
        ("clinic.db", "the database itself"),
    ] {
        let o = run_in(dir.path(), &["--db", "clinic.db", "restore", backup]);
        assert_refused(&o, says, backup);
        assert!(stderr(&o).contains("nothing changed"), "{backup}: {}", stderr(&o));
        assert!(same_bytes(&db, &before), "{backup}: the database is byte for byte the same");
        assert_eq!(listing(dir.path()), files_before, "{backup}: no file added, moved or left behind");
    }
    assert_eq!(marker(&db).as_deref(), Some("current"));
}

#[test]
fn restore_refuses_while_another_terminal_has_the_database_open() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    make_db(&db, "current");
    let o = run_in(dir.path(), &["--db", "clinic.db", "backup", "copy.db"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // Another terminal: open, idle after a read (as the app is between keys).
    let other = common::open(&db);
    assert_eq!(other.setting("test_marker").unwrap().as_deref(), Some("current"));
    let o = run_in(dir.path(), &["--db", "clinic.db", "restore", "copy.db"]);
    // Exit status 3: the database is in use (issue 22 item 6), not a usage error.
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("open in another terminal"), "{}", stderr(&o));
    assert!(!listing(dir.path()).iter().any(|n| n.contains("before-restore")), "{:?}", listing(dir.path()));
    assert_eq!(other.setting("test_marker").unwrap().as_deref(), Some("current"));
    drop(other);
    let o = run_in(dir.path(), &["--db", "clinic.db", "restore", "copy.db"]);
    assert!(o.status.success(), "once closed it restores: {}", stderr(&o));
}

#[test]
fn a_database_in_a_folder_this_user_cannot_write_says_the_folder_is_the_problem() {
    // SQLite must create the database's -shm file beside it even to read a WAL database.
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("ro");
    std::fs::create_dir(&folder).unwrap();
    let db = folder.join("clinic.db");
    make_db(&db, "one");
    let before = std::fs::read(&db).unwrap();
    let mut prefix = vec![BIN.to_string()];
    if is_root() {
        let Some(setpriv) = ["/usr/bin/setpriv", "/bin/setpriv"].into_iter().find(|p| Path::new(p).exists())
        else {
            eprintln!("root without setpriv: cannot make a folder unwritable; skipped");
            return;
        };
        // nobody owns the file but not the folder (root's, 0755).
        std::os::unix::fs::chown(&db, Some(65534), Some(65534)).unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        prefix = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", BIN]
            .iter()
            .map(|s| s.to_string())
            .collect();
    }
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o555)).unwrap();
    let child = Command::new(&prefix[0])
        .args(&prefix[1..])
        .args(["--db", db.to_str().unwrap(), "check"])
        .env("HOME", dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let o = wait_or_kill(child, &["check"]);
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_refused(&o, "write access to the folder", "check in an unwritable folder");
    assert!(same_bytes(&db, &before));
}

/// A demo made by an earlier version (an older schema, which a read-only open refuses) is still
/// known as a demo and replaced by `demo` (and `--demo`); a clinic of an older schema is not.
#[test]
fn a_demo_of_an_earlier_schema_is_replaced_and_a_clinic_of_one_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let older = |db: &Path| {
        let c = rusqlite::Connection::open(db).unwrap();
        c.pragma_update(None, "user_version", frontdesk::store::SCHEMA_VERSION - 1).unwrap();
    };
    let version = |db: &Path| -> i32 {
        rusqlite::Connection::open(db)
            .unwrap()
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap()
    };
    let demo = dir.path().join("demo.db");
    let made = run_in(dir.path(), &["--db", "demo.db", "demo"]);
    assert!(made.status.success(), "{}", stderr(&made));
    older(&demo);
    let again = run_in(dir.path(), &["--db", "demo.db", "demo"]);
    assert!(again.status.success(), "an earlier demo is replaced: {}", stderr(&again));
    assert_eq!(version(&demo), frontdesk::store::SCHEMA_VERSION);

    let clinic = dir.path().join("clinic.db");
    make_db(&clinic, "one");
    older(&clinic);
    let refused = run_in(dir.path(), &["--db", "clinic.db", "demo"]);
    assert!(!refused.status.success());
    assert!(stderr(&refused).contains("not a demo"), "{}", stderr(&refused));
    assert_eq!(version(&clinic), frontdesk::store::SCHEMA_VERSION - 1, "the clinic is left as it was");
}
