//! Several processes on one file: concurrent writers lose and duplicate nothing, a writer
//! killed mid-import leaves all or nothing, backups taken under writes are sound, an older
//! schema is migrated exactly once, and an edit made outside frontdesk fails `check`.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use common::pty::Pty;
use frontdesk::store::{Access, Actor, Store, maintenance};

const BIN: &str = env!("CARGO_BIN_EXE_frontdesk");
const PATIENTS_HEADER: &str =
    "chart_no,name,phone,birth_date,sex,first_visit,referral_source,referrer_chart_no,tags,note\n";

fn frontdesk(db: &Path, args: &[&str]) -> Output {
    Command::new(BIN).arg("--db").arg(db).args(args).env("USER", "desk2").output().unwrap()
}

/// A patients CSV of `n` synthetic rows whose chart numbers start with `prefix`.
fn patients_csv(dir: &Path, name: &str, prefix: &str, n: usize) -> PathBuf {
    let mut text = String::from(PATIENTS_HEADER);
    for i in 0..n {
        text.push_str(&format!("{prefix}{i:05},테스트{prefix}{i},,,,,,,,\n"));
    }
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn count(store: &Store, sql: &str) -> i64 {
    store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn check_ok(db: &Path) {
    let out = frontdesk(db, &["check"]);
    assert!(
        out.status.success(),
        "check failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn four_writers_of_500_records_each_beside_an_open_app_lose_and_duplicate_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    drop(common::open_set_up(&db));
    let mut app =
        Pty::spawn(BIN, &["--db", db.to_str().unwrap(), "--lang", "en", "--tab", "inquiries"], 100, 30, &[]);
    app.wait_for("Today's phone log: 0", 15);

    // Each writer commits 20 imports of 25 patients: 500 records, 20 acknowledged writes.
    const WRITERS: usize = 4;
    const BATCHES: usize = 20;
    const ROWS: usize = 25;
    let files: Vec<Vec<PathBuf>> = (0..WRITERS)
        .map(|w| {
            (0..BATCHES)
                .map(|b| patients_csv(dir.path(), &format!("w{w}b{b}.csv"), &format!("W{w}B{b:02}-"), ROWS))
                .collect()
        })
        .collect();
    let acknowledged: Vec<Vec<String>> = std::thread::scope(|s| {
        let handles: Vec<_> = files
            .iter()
            .enumerate()
            .map(|(w, batches)| {
                let db = &db;
                s.spawn(move || {
                    let mut done = Vec::new();
                    for (b, file) in batches.iter().enumerate() {
                        let out = frontdesk(db, &["import", "patients", file.to_str().unwrap()]);
                        assert!(
                            out.status.success(),
                            "writer {w} batch {b}: {}",
                            String::from_utf8_lossy(&out.stderr)
                        );
                        done.push(format!("W{w}B{b:02}-"));
                    }
                    done
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });

    let store = common::open(&db);
    let total = WRITERS * BATCHES * ROWS;
    assert_eq!(count(&store, "SELECT count(*) FROM patients"), total as i64);
    assert_eq!(count(&store, "SELECT count(DISTINCT chart_no) FROM patients"), total as i64);
    for prefix in acknowledged.iter().flatten() {
        let n: i64 = store
            .conn()
            .query_row("SELECT count(*) FROM patients WHERE chart_no LIKE ?1 || '%'", [prefix], |r| r.get(0))
            .unwrap();
        assert_eq!(n, ROWS as i64, "batch {prefix}");
    }
    // One audit row per patient, each naming its patient, and one per import.
    assert_eq!(
        count(
            &store,
            "SELECT count(DISTINCT patient_id) FROM audit_log WHERE action = 'create' AND entity = 'patient'"
        ),
        total as i64
    );
    assert_eq!(
        count(&store, "SELECT count(*) FROM audit_log WHERE action = 'import' AND entity = 'patients'"),
        (WRITERS * BATCHES) as i64
    );
    check_ok(&db);

    // The open app lived through it and still answers.
    app.send("n");
    app.wait_for("Log a call", 5);
    app.key("Esc");
    app.send("q");
    assert!(app.wait_exit(10).success());
}

#[test]
fn a_writer_killed_mid_import_leaves_the_import_whole_or_absent_and_the_file_sound() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    drop(common::open_set_up(&db));
    const ROWS: usize = 2000;
    // How long a whole import takes here, to aim the kills inside it.
    let first = patients_csv(dir.path(), "k0.csv", "K00-", ROWS);
    let started = Instant::now();
    assert!(frontdesk(&db, &["import", "patients", first.to_str().unwrap()]).status.success());
    let whole = started.elapsed();

    let mut outcomes = Vec::new();
    for attempt in 1..=8u32 {
        let prefix = format!("K{attempt:02}-");
        let file = patients_csv(dir.path(), &format!("k{attempt}.csv"), &prefix, ROWS);
        let mut child = Command::new(BIN)
            .arg("--db")
            .arg(&db)
            .args(["import", "patients", file.to_str().unwrap()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // From a tenth of the way to a bit past the end of a whole import.
        std::thread::sleep(whole.mul_f64(0.1 + 0.13 * f64::from(attempt)));
        let _ = child.kill(); // SIGKILL
        let status = child.wait().unwrap();

        let store = Store::open(&db, Access::ReadWrite, Actor::named("checker")).unwrap();
        let report = maintenance::check(&store).unwrap();
        assert!(report.ok, "attempt {attempt}: {:?}", report.lines);
        let n: i64 = store
            .conn()
            .query_row("SELECT count(*) FROM patients WHERE chart_no LIKE ?1 || '%'", [&prefix], |r| r.get(0))
            .unwrap();
        assert!(n == 0 || n == ROWS as i64, "attempt {attempt}: {n} of {ROWS} rows");
        let audited: i64 = store
            .conn()
            .query_row(
                "SELECT count(*) FROM audit_log WHERE action = 'import' AND detail = ?1",
                [format!("{ROWS} rows from k{attempt}.csv")],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(audited, i64::from(n > 0), "attempt {attempt}: the import's audit row goes with it");
        outcomes.push((status.success(), n));
    }
    eprintln!("whole import {whole:?}; (finished, rows) per attempt: {outcomes:?}");
}

#[test]
fn backups_taken_while_others_write_pass_check_with_matching_counts() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    drop(common::open_set_up(&db));
    let stop = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|s| {
        let writer = s.spawn(|| {
            let mut batch = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) && batch < 200 {
                let file = patients_csv(dir.path(), &format!("b{batch}.csv"), &format!("B{batch:03}-"), 40);
                assert!(frontdesk(&db, &["import", "patients", file.to_str().unwrap()]).status.success());
                batch += 1;
            }
            batch
        });
        for n in 0..4 {
            std::thread::sleep(Duration::from_millis(60));
            let copy = dir.path().join(format!("copy{n}.db"));
            let out = Command::new("sh")
                .arg("-c")
                .arg(format!("umask 022; exec '{BIN}' --db '{}' backup '{}'", db.display(), copy.display()))
                .output()
                .unwrap();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                assert_eq!(std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777, 0o600);
            }
            let backup = Store::open(&copy, Access::ReadOnly, Actor::named("checker")).unwrap();
            let report = maintenance::check(&backup).unwrap();
            assert!(report.ok, "backup {n}: {:?}", report.lines);
            // A consistent copy: whole imports only, and every patient has its audit row.
            let patients = count(&backup, "SELECT count(*) FROM patients");
            assert_eq!(patients % 40, 0, "backup {n} holds part of an import");
            assert_eq!(
                count(
                    &backup,
                    "SELECT count(*) FROM audit_log WHERE action = 'create' AND entity = 'patient'"
                ),
                patients
            );
            assert_eq!(
                count(
                    &backup,
                    "SELECT count(*) FROM audit_log WHERE action = 'import' AND entity = 'patients'"
                ) * 40,
                patients
            );
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let batches = writer.join().unwrap();
        let live = common::open(&db);
        assert_eq!(count(&live, "SELECT count(*) FROM patients"), batches * 40);
    });
    check_ok(&db);
}

#[test]
fn processes_starting_together_on_an_older_schema_migrate_it_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("old.db");
    {
        // A frontdesk file from before any table: stamped, version 0, in WAL mode.
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.pragma_update(None, "application_id", frontdesk::store::APPLICATION_ID).unwrap();
        conn.pragma_update(None, "journal_mode", "WAL").unwrap();
        conn.pragma_update(None, "user_version", 0).unwrap();
    }
    let children: Vec<_> = (0..6)
        .map(|_| {
            Command::new(BIN)
                .arg("--db")
                .arg(&db)
                .arg("check")
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let store = common::open(&db);
    assert_eq!(count(&store, "SELECT count(*) FROM audit_log WHERE action = 'migrate'"), 1);
    assert_eq!(store.schema_version().unwrap(), frontdesk::store::SCHEMA_VERSION);
    // The catalogs were seeded once, not once per process.
    assert_eq!(count(&store, "SELECT count(*) FROM settings WHERE key = 'clinic_kind'"), 1);
    let sources = count(&store, "SELECT count(*) FROM referral_sources");
    let fresh = common::open(&dir.path().join("fresh.db"));
    assert_eq!(sources, count(&fresh, "SELECT count(*) FROM referral_sources"));
}

#[test]
fn processes_creating_a_new_file_together_make_one_sound_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("new.db");
    // A command that writes (`check` only reads and never creates a database): each loads the
    // same settings file, taken from another new database.
    let settings = dir.path().join("settings.toml");
    drop(common::open(&dir.path().join("source.db")));
    let shown = Command::new(BIN)
        .arg("--db")
        .arg(dir.path().join("source.db"))
        .args(["setup", "show"])
        .output()
        .unwrap();
    assert!(shown.status.success(), "{}", String::from_utf8_lossy(&shown.stderr));
    std::fs::write(&settings, shown.stdout).unwrap();
    let children: Vec<_> = (0..6)
        .map(|_| {
            Command::new(BIN)
                .arg("--db")
                .arg(&db)
                .args(["setup", "load"])
                .arg(&settings)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let store = common::open(&db);
    assert_eq!(count(&store, "SELECT count(*) FROM audit_log WHERE action = 'migrate'"), 1);
    let mode: String = store.conn().pragma_query_value(None, "journal_mode", |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn an_audit_row_edited_with_the_sqlite3_shell_fails_check() {
    if Command::new("sqlite3").arg("-version").output().is_err() {
        eprintln!("sqlite3 is not installed; editing with rusqlite instead");
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    let file = patients_csv(dir.path(), "p.csv", "E-", 3);
    assert!(frontdesk(&db, &["import", "patients", file.to_str().unwrap()]).status.success());
    check_ok(&db);
    let edit = "UPDATE audit_log SET detail = 'nothing to see' WHERE action = 'import';";
    let shell = Command::new("sqlite3").arg(&db).arg(edit).output();
    match shell {
        Ok(out) => assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr)),
        Err(_) => rusqlite::Connection::open(&db).unwrap().execute_batch(edit).unwrap(),
    }
    let out = frontdesk(&db, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("audit log: chain broken at row"), "{stdout}");
}

/// Edits outside the app: a patient's phone changed with the sqlite3 shell, or the newest audit
/// rows deleted. Triggers count every row written; the app seals the count with the audit
/// chain's head at each commit, so `check` sees the count run ahead of the seal.
#[test]
fn patient_data_edited_or_audit_rows_deleted_outside_the_app_fail_check() {
    let dir = tempfile::tempdir().unwrap();
    for (name, edit, expect) in [
        (
            "phone",
            "UPDATE patients SET phone = '010-0000-0000' WHERE chart_no = 'F-00001';",
            "outside frontdesk",
        ),
        ("tail", "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log);", "outside frontdesk"),
    ] {
        let db = dir.path().join(format!("{name}.db"));
        let file = patients_csv(dir.path(), &format!("{name}.csv"), "F-", 3);
        assert!(frontdesk(&db, &["import", "patients", file.to_str().unwrap()]).status.success());
        check_ok(&db);
        match Command::new("sqlite3").arg(&db).arg(edit).output() {
            Ok(out) => assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr)),
            Err(_) => rusqlite::Connection::open(&db).unwrap().execute_batch(edit).unwrap(),
        }
        let out = frontdesk(&db, &["check"]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{name}: {stdout}");
        assert!(stdout.contains(expect), "{name}: {stdout}");
    }
}
