//! The audit log cannot be re-sealed (issue 15, item 6). Three attacks, each found by `check`:
//! an outside `UPDATE` followed by a normal start and quit of the app; a patient edited and the
//! whole chain recomputed and re-sealed with plain SHA-256 (the old, keyless algorithm); audit
//! rows deleted from the middle and from the end. Also: the key (`<db>.key`, owner-only) is made
//! with the database, a copy without it is reported and never silently given a new key, and
//! findings stay reported until an admin acknowledges them.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use frontdesk::app::{App, TabId};
use frontdesk::domain::Lang;
use frontdesk::store::audit;
use rusqlite::Connection;
use sha2::{Digest, Sha256};

const BIN: &str = env!("CARGO_BIN_EXE_frontdesk");

fn frontdesk(db: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("--db")
        .arg(db)
        .args(args)
        .env("USER", "desk2")
        .env(common::FIXED_NOW_ENV.0, common::FIXED_NOW_ENV.1)
        .output()
        .unwrap()
}

/// `check`'s exit status and standard output.
fn check(db: &Path) -> (Option<i32>, String) {
    let out = frontdesk(db, &["check"]);
    (out.status.code(), String::from_utf8_lossy(&out.stdout).to_string())
}

/// A database with three synthetic patients, imported through frontdesk; `check` passes.
fn clinic(dir: &Path, name: &str) -> PathBuf {
    let db = dir.join(name);
    drop(common::open_set_up(&db));
    let csv = dir.join(format!("{name}.csv"));
    std::fs::write(
        &csv,
        "chart_no,name,phone,birth_date,sex,first_visit,referral_source,referrer_chart_no,tags,note\n\
         T-001,가상환자일,010-1111-0001,,,,,,,\n\
         T-002,가상환자이,010-1111-0002,,,,,,,\n\
         T-003,가상환자삼,010-1111-0003,,,,,,,\n",
    )
    .unwrap();
    let out = frontdesk(&db, &["import", "patients", csv.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (code, stdout) = check(&db);
    assert_eq!(code, Some(0), "a fresh clinic passes check: {stdout}");
    assert!(stdout.contains("audit key: ok"), "{stdout}");
    db
}

/// A normal start of the app and a quit, with one change saved in between.
fn start_change_and_quit(db: &Path) {
    let store = common::open_set_up(db);
    let mut app = App::new(store, common::options(Lang::En, TabId::Today)).unwrap();
    app.store.write(|tx| frontdesk::store::settings::set_setting(tx, "test_marker", "saved")).unwrap();
    drop(app);
}

fn count(db: &Path, sql: &str) -> i64 {
    Connection::open(db).unwrap().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn outside_changes(db: &Path) -> i64 {
    count(db, "SELECT count(*) FROM audit_log WHERE action = 'outside_change'")
}

#[test]
fn an_outside_update_then_a_normal_start_and_quit_is_still_reported_until_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let db = clinic(dir.path(), "clinic.db");
    Connection::open(&db)
        .unwrap()
        .execute("UPDATE patients SET phone = '010-9999-9999' WHERE chart_no = 'T-002'", [])
        .unwrap();

    // Starting and quitting the app used to re-seal the file silently. Twice, for good measure.
    start_change_and_quit(&db);
    start_change_and_quit(&db);
    assert_eq!(outside_changes(&db), 1, "recorded once, as an audit row of its own");
    let detail: String = Connection::open(&db)
        .unwrap()
        .query_row("SELECT at || ' ' || detail FROM audit_log WHERE action = 'outside_change'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(detail.starts_with("2026-11-23T09:20"), "when it was found: {detail}");
    assert!(detail.contains("1 row change(s) made outside frontdesk"), "what was found: {detail}");

    let (code, stdout) = check(&db);
    assert_eq!(code, Some(1), "a problem found: exit status 1\n{stdout}");
    assert!(stdout.contains("outside change found 2026-11-23T09:20"), "{stdout}");
    assert!(stdout.contains("not yet acknowledged"), "{stdout}");
    assert!(stdout.contains("check --acknowledge"), "says how to acknowledge: {stdout}");
    // check itself neither re-seals it away nor records it again.
    assert_eq!(check(&db).0, Some(1));
    assert_eq!(outside_changes(&db), 1);

    // An admin acknowledges it: an audited action; check passes again.
    let out = frontdesk(&db, &["check", "--acknowledge"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("acknowledged: 1 finding(s)"), "{stdout}");
    let (os_user, detail): (String, String) = Connection::open(&db)
        .unwrap()
        .query_row("SELECT os_user, detail FROM audit_log WHERE action = 'acknowledge'", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(os_user, "desk2", "who acknowledged");
    assert!(detail.contains('#'), "names the rows acknowledged: {detail}");
    assert_eq!(check(&db).0, Some(0));
    let out = frontdesk(&db, &["check", "--acknowledge"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("nothing to acknowledge"));

    // A later outside change is reported afresh.
    Connection::open(&db).unwrap().execute("DELETE FROM patients WHERE chart_no = 'T-003'", []).unwrap();
    start_change_and_quit(&db);
    let (code, stdout) = check(&db);
    assert_eq!(code, Some(1), "{stdout}");
    assert_eq!(outside_changes(&db), 2);
}

/// The keyless hash the chain used before it was keyed.
#[allow(clippy::too_many_arguments)]
fn sha256_row_hash(
    prev: &str,
    at: &str,
    os_user: &str,
    staff: &str,
    ssh: &str,
    action: &str,
    entity: &str,
    entity_id: Option<i64>,
    patient_id: Option<i64>,
    detail: &str,
) -> String {
    let mut h = Sha256::new();
    for part in [prev, at, os_user, staff, ssh, action, entity] {
        h.update(part.as_bytes());
        h.update([0x1f]);
    }
    h.update(entity_id.map(|v| v.to_string()).unwrap_or_default().as_bytes());
    h.update([0x1f]);
    h.update(patient_id.map(|v| v.to_string()).unwrap_or_default().as_bytes());
    h.update([0x1f]);
    h.update(detail.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// What a short script could do with the database file alone: edit a patient, rewrite the
/// import's audit row to hide it, recompute every row's hash and the seal with plain SHA-256.
fn rewrite_chain_with_sha256(db: &Path) {
    let c = Connection::open(db).unwrap();
    c.execute_batch(
        "UPDATE patients SET name = '바뀐이름' WHERE chart_no = 'T-001';
         UPDATE audit_log SET detail = 'nothing to see' WHERE action = 'import';",
    )
    .unwrap();
    type Row = (i64, String, String, String, String, String, String, Option<i64>, Option<i64>, String);
    let rows: Vec<Row> = c
        .prepare(
            "SELECT id, at, os_user, staff, ssh_client, action, entity, entity_id, patient_id, detail
             FROM audit_log ORDER BY id",
        )
        .unwrap()
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut prev = "0".repeat(64);
    for (id, at, os, staff, ssh, action, entity, eid, pid, detail) in rows {
        let hash = sha256_row_hash(&prev, &at, &os, &staff, &ssh, &action, &entity, eid, pid, &detail);
        c.execute(
            "UPDATE audit_log SET prev_hash = ?1, hash = ?2 WHERE id = ?3",
            rusqlite::params![prev, hash, id],
        )
        .unwrap();
        prev = hash;
    }
    let changes: i64 = c.query_row("SELECT changes FROM integrity", [], |r| r.get(0)).unwrap();
    let mut h = Sha256::new();
    h.update(format!("frontdesk-seal\x1f{prev}\x1f{changes}").as_bytes());
    let seal: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    c.execute("UPDATE integrity SET seal = ?1", [seal]).unwrap();
}

#[test]
fn a_patient_edit_hidden_by_a_chain_recomputed_and_resealed_with_plain_sha256_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    // Checked straight after the script, and after a normal start and quit.
    for started in [false, true] {
        let db = clinic(dir.path(), &format!("clinic-{started}.db"));
        rewrite_chain_with_sha256(&db);
        if started {
            start_change_and_quit(&db);
        }
        let (code, stdout) = check(&db);
        assert_eq!(code, Some(1), "{stdout}");
        assert!(stdout.contains("audit log: chain broken at row 1"), "{stdout}");
        assert!(stdout.contains("outside change found"), "the re-seal did not fool the open: {stdout}");
        // Acknowledging the finding does not make a rewritten chain pass.
        assert!(frontdesk(&db, &["check", "--acknowledge"]).status.code() == Some(1));
        assert!(check(&db).1.contains("audit log: chain broken at row 1"));
    }
}

#[test]
fn audit_rows_deleted_from_the_middle_or_the_end_are_detected() {
    let dir = tempfile::tempdir().unwrap();
    for (name, edit, broken) in [
        ("middle", "DELETE FROM audit_log WHERE id = 2", true),
        ("end", "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)", false),
        // The end again, with the change counter put back: the seal covers the newest row.
        (
            "end-counter",
            "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log);
             UPDATE integrity SET changes = changes - 1;",
            false,
        ),
    ] {
        let db = clinic(dir.path(), &format!("{name}.db"));
        assert!(count(&db, "SELECT count(*) FROM audit_log") >= 3);
        Connection::open(&db).unwrap().execute_batch(edit).unwrap();
        start_change_and_quit(&db);
        let (code, stdout) = check(&db);
        assert_eq!(code, Some(1), "{name}: {stdout}");
        assert!(stdout.contains("outside change found"), "{name}: {stdout}");
        if broken {
            assert!(stdout.contains("audit log: chain broken at row 3"), "{name}: {stdout}");
        } else {
            // The rows before the deleted one still chain; the seal is what catches it.
            assert!(stdout.contains("chain intact"), "{name}: {stdout}");
            assert!(stdout.contains("audit rows were deleted or rewritten"), "{name}: {stdout}");
        }
    }
}

#[test]
fn the_key_is_made_with_the_database_owner_only_and_the_copy_without_it_is_reported() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let db = clinic(dir.path(), "clinic.db");
    let key = audit::key_path(&db);
    assert_eq!(key, dir.path().join("clinic.db.key"));
    let meta = std::fs::metadata(&key).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o600, "owner-only");
    let text = std::fs::read_to_string(&key).unwrap();
    assert!(audit::Key::from_hex(&text).is_some(), "64 hex digits: {text:?}");

    // The database copied alone: check says the key is missing and makes none.
    let copy = dir.path().join("copy.db");
    std::fs::copy(&db, &copy).unwrap();
    let (code, stdout) = check(&copy);
    assert_eq!(code, Some(1), "{stdout}");
    assert!(stdout.contains("copy.db.key is missing"), "{stdout}");
    assert!(!audit::key_path(&copy).exists(), "check never makes a key");

    // The app opens it, makes a new key and records that; check keeps saying so until an
    // admin acknowledges, and never calls the older rows verified.
    start_change_and_quit(&copy);
    assert!(audit::key_path(&copy).exists());
    assert_ne!(std::fs::read(audit::key_path(&copy)).unwrap(), std::fs::read(&key).unwrap());
    assert_eq!(count(&copy, "SELECT count(*) FROM audit_log WHERE action = 'new_key'"), 1);
    let (code, stdout) = check(&copy);
    assert_eq!(code, Some(1), "{stdout}");
    assert!(stdout.contains("new audit key made"), "{stdout}");
    assert!(stdout.contains("cannot be verified"), "{stdout}");
    assert_eq!(frontdesk(&copy, &["check", "--acknowledge"]).status.code(), Some(0));
    let (code, stdout) = check(&copy);
    assert_eq!(code, Some(0), "{stdout}");
    assert!(stdout.contains("the rows before it cannot be verified"), "{stdout}");

    // Another database's key: the chain fails from its first row, and check says why.
    std::fs::copy(audit::key_path(&copy), &key).unwrap();
    let (code, stdout) = check(&db);
    assert_eq!(code, Some(1), "{stdout}");
    assert!(stdout.contains("is not this database's key"), "{stdout}");
}

#[test]
fn backup_writes_the_key_beside_the_copy_and_restore_needs_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = clinic(dir.path(), "clinic.db");
    let out = frontdesk(&db, &["backup", dir.path().join("b.db").to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("b.db.key"));
    assert_eq!(
        std::fs::read(dir.path().join("b.db.key")).unwrap(),
        std::fs::read(audit::key_path(&db)).unwrap()
    );
    // `--out` never names the key.
    let out =
        frontdesk(&db, &["export", "patients", "--out", audit::key_path(&db).to_str().unwrap(), "--force"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("WAL/SHM/key"));

    // Restore puts the backup's key in place and keeps the old one aside with the old file.
    let out = frontdesk(&db, &["restore", dir.path().join("b.db").to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(check(&db).0, Some(0));

    // A backup without its key is refused, naming the key, and nothing changes.
    std::fs::remove_file(dir.path().join("b.db.key")).unwrap();
    let before = std::fs::read(&db).unwrap();
    let out = frontdesk(&db, &["restore", dir.path().join("b.db").to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("b.db.key is missing") && err.contains("nothing changed"), "{err}");
    assert_eq!(std::fs::read(&db).unwrap(), before);
    assert_eq!(check(&db).0, Some(0));
}

#[test]
fn the_settings_screen_shows_admins_an_outside_change_until_it_is_acknowledged() {
    use frontdesk::app::keymap::Command;
    let dir = tempfile::tempdir().unwrap();
    let db = clinic(dir.path(), "clinic.db");
    Connection::open(&db)
        .unwrap()
        .execute("UPDATE patients SET phone = '010-2222-0001' WHERE chart_no = 'T-001'", [])
        .unwrap();
    for (lang, says) in [
        (Lang::En, "1 not acknowledged: outside change found 2026-11-23 09:20"),
        (Lang::Ko, "외부 변경 발견"),
    ] {
        let mut app = App::new(common::open_set_up(&db), common::options(lang, TabId::Today)).unwrap();
        app.on_command(Command::Settings);
        assert!(app.settings.is_some());
        let screen = common::text(&common::render(&app, 160, 30));
        assert!(screen.contains(says), "{screen}");
        assert!(screen.contains("check --acknowledge"), "{screen}");
    }
    assert_eq!(outside_changes(&db), 1);
    assert_eq!(frontdesk(&db, &["check", "--acknowledge"]).status.code(), Some(0));
    let mut app = App::new(common::open_set_up(&db), common::options(Lang::En, TabId::Today)).unwrap();
    app.on_command(Command::Settings);
    let screen = common::text(&common::render(&app, 160, 30));
    assert!(!screen.contains("not acknowledged"), "gone once acknowledged: {screen}");
}
