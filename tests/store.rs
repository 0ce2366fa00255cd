//! Store: creation, refusals (bytes untouched), permissions, concurrency, write discipline.

mod common;

use std::path::Path;

use frontdesk::store::{APPLICATION_ID, Access, Actor, OpenError, SCHEMA_VERSION, Store};
use sha2::{Digest, Sha256};

fn actor() -> Actor {
    Actor::named("tester")
}

fn checksum(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn creates_a_new_database_with_schema_and_catalogs() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.db");
    let store = Store::open(&path, Access::ReadWrite, actor()).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let conn = store.conn();
    let app_id: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0)).unwrap();
    assert_eq!(app_id, APPLICATION_ID);
    let mode: String = conn.pragma_query_value(None, "journal_mode", |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    let fk: i64 = conn.pragma_query_value(None, "foreign_keys", |r| r.get(0)).unwrap();
    assert_eq!(fk, 1);
    let sync: i64 = conn.pragma_query_value(None, "synchronous", |r| r.get(0)).unwrap();
    assert_eq!(sync, 2, "synchronous=FULL");
    for (table, at_least) in [
        ("referral_sources", 7),
        ("referral_channels", 3),
        ("treatments", 5),
        ("complaint_categories", 5),
        ("qa_entries", 5),
        ("dropout_weights", 6),
        ("objectives", 3),
        ("key_results", 6),
    ] {
        let n: i64 = conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap();
        assert!(n >= at_least, "{table} has {n} rows");
    }
    // Every table DESIGN names exists, in the plural.
    for table in [
        "patients",
        "patient_tags",
        "notes",
        "appointments",
        "complaints",
        "consultations",
        "callbacks",
        "callback_contacts",
        "inquiries",
        "staff",
        "objectives",
        "key_results",
        "checkins",
        "huddle_actions",
        "audit_log",
        "drafts",
    ] {
        let n: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_master WHERE type='table' AND name=?1", [table], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(n, 1, "table {table}");
    }
    // The creation is audited and the chain verifies.
    assert_eq!(frontdesk::store::audit::verify_chain(conn, store.audit_key().unwrap()).unwrap(), None);
}

#[test]
fn reopening_does_not_migrate_twice() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.db");
    drop(Store::open(&path, Access::ReadWrite, actor()).unwrap());
    let store = Store::open(&path, Access::ReadWrite, actor()).unwrap();
    let n: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM treatments WHERE code='chuna'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
    let migrations: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM audit_log WHERE action='migrate'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(migrations, 1);
}

#[cfg(unix)]
#[test]
fn new_file_is_owner_only_even_under_umask_022() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.db");
    drop(Store::open(&path, Access::ReadWrite, actor()).unwrap());
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "mode {mode:o}");
}

fn assert_refused_untouched(path: &Path, expect: impl Fn(&OpenError) -> bool) {
    let before = checksum(path);
    let len = std::fs::metadata(path).unwrap().len();
    let err = Store::open(path, Access::ReadWrite, actor()).unwrap_err();
    assert!(expect(&err), "unexpected error: {err:?}");
    let msg = err.to_string();
    assert!(msg.contains(&path.display().to_string()), "message names the file: {msg}");
    assert!(!msg.contains('\n'), "one line: {msg}");
    assert_eq!(checksum(path), before, "bytes changed");
    assert_eq!(std::fs::metadata(path).unwrap().len(), len);
}

#[test]
fn refuses_a_file_that_is_not_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    std::fs::write(&path, "환자 명단\n홍길동 010-1234-5678\n".repeat(20)).unwrap();
    assert_refused_untouched(&path, |e| matches!(e, OpenError::NotSqlite(_)));
}

#[test]
fn refuses_another_applications_sqlite_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.db");
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch("CREATE TABLE things (x); INSERT INTO things VALUES (1);").unwrap();
    }
    assert_refused_untouched(&path, |e| matches!(e, OpenError::ForeignApplication(..)));
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.pragma_update(None, "application_id", 0x1234).unwrap();
    }
    assert_refused_untouched(&path, |e| matches!(e, OpenError::ForeignApplication(..)));
}

#[test]
fn refuses_a_newer_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.db");
    drop(Store::open(&path, Access::ReadWrite, actor()).unwrap());
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.pragma_update(None, "user_version", SCHEMA_VERSION + 1).unwrap();
        c.pragma_update(None, "wal_checkpoint", "TRUNCATE").unwrap();
    }
    assert_refused_untouched(
        &path,
        |e| matches!(e, OpenError::NewerVersion(_, v) if *v == SCHEMA_VERSION + 1),
    );
}

#[test]
fn refuses_a_missing_folder_without_creating_anything() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nope").join("clinic.db");
    let err = Store::open(&path, Access::ReadWrite, actor()).unwrap_err();
    assert!(matches!(err, OpenError::MissingFolder(_)), "{err:?}");
    assert!(!dir.path().join("nope").exists());
}

#[cfg(unix)]
#[test]
fn refuses_an_unwritable_folder() {
    use std::os::unix::fs::PermissionsExt;
    // Root ignores permission bits; nothing to test then.
    if unsafe_is_root() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let ro = dir.path().join("ro");
    std::fs::create_dir(&ro).unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o500)).unwrap();
    let err = Store::open(&ro.join("clinic.db"), Access::ReadWrite, actor()).unwrap_err();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o700)).unwrap();
    assert!(matches!(err, OpenError::Unwritable(..)), "{err:?}");
}

#[cfg(unix)]
fn unsafe_is_root() -> bool {
    std::process::Command::new("id").arg("-u").output().map(|o| o.stdout.starts_with(b"0")).unwrap_or(false)
}

#[test]
fn a_second_connection_can_write_while_the_first_holds_a_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.db");
    let reader = Store::open(&path, Access::ReadWrite, actor()).unwrap();
    let mut writer = Store::open(&path, Access::ReadWrite, actor()).unwrap();
    let conn = reader.conn();
    conn.execute_batch("BEGIN DEFERRED").unwrap();
    let before: i64 = conn.query_row("SELECT count(*) FROM staff", [], |r| r.get(0)).unwrap();
    writer
        .write(|tx| {
            tx.execute("INSERT INTO staff (name, role) VALUES ('김원장', 'director')", [])?;
            Ok(())
        })
        .unwrap();
    // The open read still sees its snapshot; after it ends the write is visible.
    let during: i64 = conn.query_row("SELECT count(*) FROM staff", [], |r| r.get(0)).unwrap();
    assert_eq!(during, before);
    conn.execute_batch("COMMIT").unwrap();
    let after: i64 = conn.query_row("SELECT count(*) FROM staff", [], |r| r.get(0)).unwrap();
    assert_eq!(after, before + 1);
}

#[test]
fn read_only_store_refuses_writes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.db");
    drop(Store::open(&path, Access::ReadWrite, actor()).unwrap());
    let mut ro = Store::open(&path, Access::ReadOnly, actor()).unwrap();
    let err = ro.write(|tx| {
        tx.execute("INSERT INTO staff (name, role) VALUES ('x', 'desk')", [])?;
        Ok(())
    });
    assert!(matches!(err, Err(frontdesk::store::StoreError::ReadOnly)));
    // Even bypassing write(), the connection itself is read-only.
    let raw = ro.conn().execute("INSERT INTO staff (name, role) VALUES ('x', 'desk')", []);
    assert!(raw.is_err());
}

/// Every write path goes through `BEGIN IMMEDIATE`: no deferred transaction anywhere in src/.
#[test]
fn no_write_path_uses_a_deferred_transaction() {
    fn scan(dir: &Path, hits: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                scan(&p, hits);
            } else if p.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&p).unwrap();
                for (i, line) in text.lines().enumerate() {
                    let code = line.split("//").next().unwrap_or("");
                    for bad in [
                        ".transaction()",
                        "unchecked_transaction",
                        "BEGIN DEFERRED",
                        "\"BEGIN\"",
                        "BEGIN;",
                        "savepoint()",
                    ] {
                        if code.contains(bad) {
                            hits.push(format!("{}:{}: {}", p.display(), i + 1, line.trim()));
                        }
                    }
                    if code.contains("transaction_with_behavior") && !code.contains("Immediate") {
                        hits.push(format!("{}:{}: {}", p.display(), i + 1, line.trim()));
                    }
                }
            }
        }
    }
    let mut hits = Vec::new();
    scan(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut hits);
    assert!(hits.is_empty(), "deferred transactions found:\n{}", hits.join("\n"));
}

#[test]
fn audit_chain_detects_an_outside_edit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.db");
    let mut store = Store::open(&path, Access::ReadWrite, actor()).unwrap();
    for name in ["김원장", "이원장"] {
        store
            .write(|tx| {
                tx.execute("INSERT INTO staff (name, role) VALUES (?1, 'director')", [name])?;
                tx.audit(&frontdesk::store::audit::Entry::new("create", "staff").detail(name))
            })
            .unwrap();
    }
    assert_eq!(
        frontdesk::store::audit::verify_chain(store.conn(), store.audit_key().unwrap()).unwrap(),
        None
    );
    let c = rusqlite::Connection::open(&path).unwrap();
    c.execute("UPDATE audit_log SET detail = '박원장' WHERE detail = '김원장'", []).unwrap();
    assert!(
        frontdesk::store::audit::verify_chain(store.conn(), store.audit_key().unwrap()).unwrap().is_some()
    );
}

/// The store stamps what it writes, and seeds a new database's OKR period, by its own clock:
/// a test (or `FRONTDESK_NOW`) that fixes the clock sees the same file on any day.
#[test]
fn a_new_database_is_stamped_and_seeded_by_the_stores_clock() {
    let dir = tempfile::tempdir().unwrap();
    let now = common::at(2020, 3, 5, 14, 30);
    let store = common::open_at(&dir.path().join("clinic.db"), now);
    let (from, to): (String, String) = store
        .conn()
        .query_row("SELECT min(from_date), max(to_date) FROM objectives", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert!(from.starts_with("2020-03-01"), "the seeded OKR period starts this month: {from}");
    assert!(to.starts_with("2020-"), "{to}");
    let stamps: Vec<String> = store
        .conn()
        .prepare("SELECT DISTINCT at FROM audit_log")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(stamps, vec!["2020-03-05T14:30:00".to_string()]);
}

/// The built binary takes its clock from FRONTDESK_NOW: `okr status` on a new file judges the
/// template seeded for that month, whatever the real date.
#[test]
fn the_binary_follows_frontdesk_now() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    let okr = dir.path().join("okr.toml");
    std::fs::write(
        &okr,
        "[[objective]]\ntitle = \"O\"\nfrom = 2030-01-01\nto = 2030-06-30\n[[objective.key_result]]\n\
         title = \"K\"\nmetric = \"visits\"\ndirection = \"at_least\"\ntarget = 10\n",
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_frontdesk"))
        .args(["--db", db.to_str().unwrap(), "okr", "load", okr.to_str().unwrap()])
        .env("FRONTDESK_NOW", "2019-07-10T10:00")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let store = common::open(&db);
    let stamps: Vec<String> = store
        .conn()
        .prepare("SELECT DISTINCT at FROM audit_log")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(stamps, vec!["2019-07-10T10:00:00".to_string()]);
    let from: String =
        store.conn().query_row("SELECT min(from_date) FROM objectives", [], |r| r.get(0)).unwrap();
    assert!(from.starts_with("2019-07-01"), "the template is seeded for FRONTDESK_NOW's month: {from}");
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_frontdesk"))
        .args(["--db", db.to_str().unwrap(), "okr", "status"])
        .env("FRONTDESK_NOW", "yesterday")
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("FRONTDESK_NOW"));
}
