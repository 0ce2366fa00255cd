//! Integrity check and consistent backup.

use std::path::Path;

use super::{Result, Store, StoreError, audit};

pub struct CheckReport {
    pub ok: bool,
    pub lines: Vec<String>,
}

/// `PRAGMA integrity_check`, `PRAGMA foreign_key_check`, and the audit hash chain.
pub fn check(store: &Store) -> Result<CheckReport> {
    let conn = store.conn();
    let mut lines = Vec::new();
    let mut ok = true;
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    let integrity: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    if integrity == ["ok"] {
        lines.push("integrity: ok".into());
    } else {
        ok = false;
        lines.extend(integrity.iter().take(20).map(|l| format!("integrity: {l}")));
    }
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let fk: Vec<String> = stmt
        .query_map([], |r| {
            Ok(format!(
                "{} row {} -> {}",
                r.get::<_, String>(0)?,
                r.get::<_, Option<i64>>(1)?.unwrap_or(0),
                r.get::<_, String>(2)?
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    if fk.is_empty() {
        lines.push("foreign keys: ok".into());
    } else {
        ok = false;
        lines.push(format!("foreign keys: {} broken references", fk.len()));
        lines.extend(fk.iter().take(20).map(|l| format!("  {l}")));
    }
    let key_file = audit::key_path(store.path());
    let Some(key) = store.audit_key() else {
        if let Err(why) = audit::load_key(store.path()) {
            lines.push(format!("audit key: {why} - the audit log and the seal cannot be verified"));
            return Ok(CheckReport { ok: false, lines });
        }
        lines.push(format!(
            "audit key: {} is missing - the audit log and the seal cannot be verified; put back the key \
             saved with this database (backups carry it as <backup>.key). Opening the database in \
             frontdesk makes a new key and records that the rows before it cannot be verified",
            key_file.display()
        ));
        return Ok(CheckReport { ok: false, lines });
    };
    lines.push(format!("audit key: ok ({})", key_file.display()));
    if audit::seal_holds(conn, key)? {
        lines.push("changes: none made outside frontdesk since its last save".into());
    } else {
        ok = false;
        lines.push(
            "changes: rows were written outside frontdesk after its last save (sqlite3 or another program)"
                .into(),
        );
    }
    let open = audit::unacknowledged(conn)?;
    for r in &open {
        ok = false;
        let what = if r.action == audit::NEW_KEY { "new audit key made" } else { "outside change found" };
        lines.push(format!("{what} {} (audit row #{}): {} - not yet acknowledged", r.at, r.id, r.detail));
    }
    if !open.is_empty() {
        lines.push(
            "  once looked into, an admin acknowledges with `frontdesk check --acknowledge` (recorded in the audit log)"
                .into(),
        );
    }
    let chain = audit::walk_chain(conn, key)?;
    let rows = chain.rows;
    match (chain.broken_at, chain.key_starts_at) {
        (None, None) => lines.push(format!("audit log: ok ({rows} rows, chain intact)")),
        (None, Some(from)) => lines.push(format!(
            "audit log: ok ({rows} rows, chain intact from row {from}, where a new key was made; \
             the rows before it cannot be verified)"
        )),
        (Some(id), from) => {
            ok = false;
            let first: Option<i64> = conn.query_row("SELECT min(id) FROM audit_log", [], |r| r.get(0))?;
            let hint = if Some(id) == from.or(first) {
                format!(" - or {} is not this database's key", key_file.display())
            } else {
                String::new()
            };
            lines.push(format!(
                "audit log: chain broken at row {id} (edited, deleted or rewritten outside frontdesk){hint}"
            ));
        }
    }
    Ok(CheckReport { ok, lines })
}

/// Writes a consistent copy to `to` (which must not exist) while others keep writing.
/// The copy is created owner-only before SQLite writes into it.
pub fn backup(store: &Store, to: &Path) -> Result<()> {
    if to.exists() {
        return Err(StoreError::Invalid(format!("{}: already exists; choose a new file name", to.display())));
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(to).map_err(|e| StoreError::Invalid(format!("{}: cannot create ({e})", to.display())))?;
    let target = to.to_str().ok_or_else(|| StoreError::Invalid("backup path is not valid UTF-8".into()))?;
    if let Err(e) = store.conn().execute("VACUUM INTO ?1", [target]) {
        let _ = std::fs::remove_file(to);
        return Err(e.into());
    }
    // The audit key goes with the copy (`<to>.key`): without it the copy cannot be verified.
    let key = std::fs::read(audit::key_path(store.path())).map_err(|e| {
        StoreError::Invalid(format!("{}: cannot read the audit key ({e})", store.path().display()))
    })?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let key_to = audit::key_path(to);
    std::io::Write::write_all(
        &mut options
            .open(&key_to)
            .map_err(|e| StoreError::Invalid(format!("{}: cannot create ({e})", key_to.display())))?,
        &key,
    )
    .map_err(|e| StoreError::Invalid(format!("{}: cannot write ({e})", key_to.display())))?;
    Ok(())
}

/// Writes a consistent copy into `to`, an empty file the caller has just created (owner-only),
/// while others keep writing.
pub fn vacuum_into(store: &Store, to: &Path) -> Result<()> {
    let target = to.to_str().ok_or_else(|| StoreError::Invalid("backup path is not valid UTF-8".into()))?;
    store.conn().execute("VACUUM INTO ?1", [target])?;
    Ok(())
}

/// Switches the file to WAL (a copy made by `VACUUM INTO` is in rollback-journal mode) and
/// returns the journal mode it is in now.
pub fn use_wal(store: &Store) -> Result<String> {
    Ok(store.conn().pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get::<_, String>(0))?)
}

/// The file's journal mode (`wal`, `delete`, ...).
pub fn journal_mode(store: &Store) -> Result<String> {
    Ok(store.conn().pragma_query_value(None, "journal_mode", |r| r.get(0))?)
}

/// Whether another connection (another terminal, a command) has the database at `path` open.
///
/// Every connection to a WAL database holds a shared lock on the file for as long as it is
/// open; taking SQLite's exclusive locking mode without waiting fails while any does. On
/// success the WAL is checkpointed into the file and, when this probe closes as the last
/// connection, removed. A file SQLite cannot read (damaged, not a database) counts as not in
/// use: the restore keeps it aside untouched anyway.
pub fn in_use_by_another(path: &Path) -> bool {
    use rusqlite::{Connection, OpenFlags};
    let Ok(conn) = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    ) else {
        return false;
    };
    let busy = |e: &rusqlite::Error| {
        matches!(
            e.sqlite_error_code(),
            Some(rusqlite::ErrorCode::DatabaseBusy) | Some(rusqlite::ErrorCode::DatabaseLocked)
        )
    };
    if conn.busy_timeout(std::time::Duration::ZERO).is_err() {
        return false;
    }
    if let Err(e) = conn.pragma_update(None, "locking_mode", "EXCLUSIVE") {
        return busy(&e);
    }
    // BEGIN EXCLUSIVE takes the lock on the file itself, in either journal mode.
    match conn.execute_batch("BEGIN EXCLUSIVE; SELECT count(*) FROM sqlite_master; COMMIT;") {
        Ok(()) => {}
        Err(e) => return busy(&e),
    }
    let _ = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
    false
}
