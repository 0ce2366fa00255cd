//! The tamper seal: counted changes, the seal over them and the chain's head, and what opening a changed file records.

use super::key::{Key, hex, hmac_sha256, key_path};
use super::{Entry, GENESIS, NEW_KEY, OUTSIDE_CHANGE};
use crate::store::Result;
use rusqlite::Connection;
use rusqlite::OptionalExtension;

/// Tables whose rows the tamper seal counts: every table but the seal itself.
fn counted_tables(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'integrity'",
    )?;
    let names = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(names)
}

/// Creates, for every counted table that lacks them, the triggers that bump
/// `integrity.changes` on each insert, update and delete. Run by every migration.
pub fn install_change_triggers(conn: &Connection) -> Result<()> {
    for table in counted_tables(conn)? {
        for (suffix, event) in [("ai", "INSERT"), ("au", "UPDATE"), ("ad", "DELETE")] {
            conn.execute_batch(&format!(
                "CREATE TRIGGER IF NOT EXISTS {table}_{suffix}_count AFTER {event} ON {table}
                 BEGIN UPDATE integrity SET changes = changes + 1 WHERE id = 1; END;"
            ))?;
        }
    }
    Ok(())
}

/// Drops the counting triggers [`install_change_triggers`] makes, for a large import that
/// counts its own changes (see `csv_io::write_rows`) and makes them again in the same
/// transaction: a trigger per inserted row was a third of an import's time in the lock.
pub fn drop_change_triggers(conn: &Connection) -> Result<()> {
    for table in counted_tables(conn)? {
        for suffix in ["ai", "au", "ad"] {
            conn.execute_batch(&format!("DROP TRIGGER IF EXISTS {table}_{suffix}_count"))?;
        }
    }
    Ok(())
}

/// Adds `n` changes counted outside the triggers (see [`drop_change_triggers`]).
pub fn add_changes(conn: &Connection, n: u64) -> Result<()> {
    conn.execute("UPDATE integrity SET changes = changes + ?1 WHERE id = 1", [n as i64])?;
    Ok(())
}

fn seal_of(key: &Key, head: &str, changes: i64) -> String {
    hex(&hmac_sha256(&key.0, format!("frontdesk-seal\x1f{head}\x1f{changes}").as_bytes()))
}

fn head_and_changes(conn: &Connection) -> Result<(String, i64)> {
    let head: String = conn
        .query_row("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1", [], |r| r.get(0))
        .optional()?
        .unwrap_or_else(|| GENESIS.to_string());
    let changes: i64 = conn.query_row("SELECT changes FROM integrity WHERE id = 1", [], |r| r.get(0))?;
    Ok((head, changes))
}

/// Seals the transaction about to commit: the change count with the audit chain's head (so
/// deleting the newest audit rows breaks it too), keyed so that only frontdesk can seal.
pub fn seal(conn: &Connection, key: &Key) -> Result<()> {
    let (head, changes) = head_and_changes(conn)?;
    conn.execute("UPDATE integrity SET seal = ?1 WHERE id = 1", [seal_of(key, &head, changes)])?;
    Ok(())
}

/// True when nothing was written since the app's last commit other than through the app.
pub fn seal_holds(conn: &Connection, key: &Key) -> Result<bool> {
    let (head, changes) = head_and_changes(conn)?;
    let stored: String = conn.query_row("SELECT seal FROM integrity WHERE id = 1", [], |r| r.get(0))?;
    Ok(stored == seal_of(key, &head, changes))
}

/// What an outside change looks like, in words for the audit row: how many rows were changed
/// since the last save when the newest audit row is untouched, or that the newest audit rows
/// (or the change count) were altered.
fn describe_outside_change(conn: &Connection, key: &Key) -> Result<String> {
    let (head, changes) = head_and_changes(conn)?;
    let stored: String = conn.query_row("SELECT seal FROM integrity WHERE id = 1", [], |r| r.get(0))?;
    let last: Option<(i64, String)> = conn
        .query_row("SELECT id, at FROM audit_log ORDER BY id DESC LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    let last =
        last.map(|(id, at)| format!("audit row #{id} at {at}")).unwrap_or_else(|| "no audit rows".into());
    // The seal names the count it was made with; try the counts just below today's.
    let before = (1..=10_000).find(|n| changes >= *n && seal_of(key, &head, changes - n) == stored);
    Ok(match before {
        Some(n) => format!(
            "the seal did not match: {n} row change(s) made outside frontdesk after its last save ({last}); \
             the data was changed with another program (sqlite3?)"
        ),
        None => format!(
            "the seal did not match: audit rows were deleted or rewritten, or the seal itself was altered, \
             outside frontdesk (newest audit row now: {last})"
        ),
    })
}

/// True when the file has an audit log with rows in it (false before its first migration).
pub fn has_rows(conn: &Connection) -> bool {
    conn.query_row("SELECT EXISTS (SELECT 1 FROM audit_log)", [], |r| r.get::<_, bool>(0)).unwrap_or(false)
}

/// Called when a store opens a file read-write. A file whose seal does not match was changed
/// outside frontdesk: that is recorded as an [`OUTSIDE_CHANGE`] row (what was found, when) in
/// the same transaction as the new seal, so it is never sealed over silently. A file whose key
/// was missing (`new_key`) gets a [`NEW_KEY`] row instead: the rows before it cannot be
/// verified. Either stays reported by `check` until an admin acknowledges it.
pub(crate) fn review_on_open(store: &mut crate::store::Store, new_key: bool) -> Result<()> {
    let Some(key) = store.audit_key().cloned() else { return Ok(()) };
    if !new_key && seal_holds(store.conn(), &key)? {
        return Ok(());
    }
    let key_file = key_path(store.path()).display().to_string();
    let recorded = store.write(|tx| {
        if new_key {
            let rows: i64 = tx.query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))?;
            if rows == 0 {
                return Ok(());
            }
            tx.audit(&Entry::new(NEW_KEY, "audit_key").detail(format!(
                "the audit key {key_file} was missing; a new one was made: the {rows} audit row(s) before this \
                 one and the changes before it cannot be verified"
            )))?;
        } else if !seal_holds(tx, &key)? {
            // (Looked at again inside the lock: another terminal may have recorded it meanwhile.)
            let what = describe_outside_change(tx, &key)?;
            tx.audit(&Entry::new(OUTSIDE_CHANGE, "integrity").detail(what))?;
        }
        Ok(())
    });
    match recorded {
        // Another terminal holds the write lock: the outside change stays unsealed (so `check`
        // still sees it) and is recorded by the next open. Opening does not fail for it.
        Err(crate::store::StoreError::Busy) if !new_key => Ok(()),
        other => other,
    }
}
