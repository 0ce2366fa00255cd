//! The audit log: who did what, when, to which patient, chained by HMAC-SHA-256 so that a row
//! edited or deleted outside the app breaks the chain and `frontdesk check` says where.
//!
//! The chain and the tamper seal are keyed with a secret kept outside the database, in
//! `<db>.key` beside it (owner-only, made with the database): a copy of the database alone
//! cannot be re-sealed, and a script that rewrites the chain without the key is found.
//! An outside change found when frontdesk opens the file is recorded as an audit row of its
//! own (`outside_change`), never sealed over silently, and `check` reports it until an admin
//! acknowledges it (`frontdesk check --acknowledge`, itself an audit row).

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::Result;

/// Who is at the keyboard: the OS user, the staff name they chose, the SSH client address.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Actor {
    pub os_user: String,
    pub staff: String,
    pub ssh_client: String,
}

impl Actor {
    /// The actor of this process, from the environment.
    pub fn from_env() -> Actor {
        let os_user = std::env::var("USER")
            .or_else(|_| std::env::var("LOGNAME"))
            .or_else(|_| std::env::var("USERNAME"))
            .ok()
            .filter(|s| !s.is_empty())
            .or_else(os_user_from_id)
            .unwrap_or_else(|| "unknown".into());
        // SSH_CLIENT is "address port localport"; keep the address only.
        let ssh_client = std::env::var("SSH_CLIENT")
            .ok()
            .and_then(|s| s.split_whitespace().next().map(str::to_owned))
            .unwrap_or_default();
        let staff = std::env::var("FRONTDESK_STAFF").unwrap_or_default();
        Actor { os_user, staff, ssh_client }
    }

    pub fn named(os_user: &str) -> Actor {
        Actor { os_user: os_user.into(), ..Actor::default() }
    }
}

/// The login name when the environment does not say (containers, cron).
fn os_user_from_id() -> Option<String> {
    let out = std::process::Command::new("id").arg("-un").output().ok()?;
    let name = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (!name.is_empty()).then_some(name)
}

/// One audit row to append.
#[derive(Debug, Clone, Default)]
pub struct Entry {
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub patient_id: Option<i64>,
    pub detail: String,
}

impl Entry {
    pub fn new(action: &str, entity: &str) -> Entry {
        Entry { action: action.into(), entity: entity.into(), ..Entry::default() }
    }
    pub fn id(mut self, id: i64) -> Entry {
        self.entity_id = Some(id);
        self
    }
    pub fn patient(mut self, id: i64) -> Entry {
        self.patient_id = Some(id);
        self
    }
    pub fn detail(mut self, detail: impl Into<String>) -> Entry {
        self.detail = detail.into();
        self
    }
}

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The secret the audit chain and the seal are keyed with (32 random bytes).
#[derive(Clone, PartialEq, Eq)]
pub struct Key([u8; 32]);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(..)")
    }
}

impl Key {
    /// A key from its 64 hex digits (the key file's content, surrounding whitespace ignored).
    pub fn from_hex(text: &str) -> Option<Key> {
        let text = text.trim();
        if text.len() != 64 || !text.is_ascii() {
            return None;
        }
        let mut out = [0u8; 32];
        for (i, b) in out.iter_mut().enumerate() {
            *b = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()?;
        }
        Some(Key(out))
    }

    fn to_hex(&self) -> String {
        hex(&self.0)
    }

    /// A new random key from the operating system.
    fn generate() -> std::io::Result<Key> {
        use std::io::Read;
        let mut out = [0u8; 32];
        std::fs::File::open("/dev/urandom")?.read_exact(&mut out)?;
        Ok(Key(out))
    }
}

/// Lower-case hex, without a `format!` per byte (an import hashes a row per record).
fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 0xf) as usize] as char);
    }
    s
}

/// HMAC-SHA-256 (RFC 2104) over sha2, checked against RFC 4231's test vectors below. Twenty
/// lines here instead of another crate.
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    const BLOCK: usize = 64;
    let mut k = [0u8; BLOCK];
    if key.len() > BLOCK {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha256::new();
    inner.update(k.map(|b| b ^ 0x36));
    inner.update(message);
    let mut outer = Sha256::new();
    outer.update(k.map(|b| b ^ 0x5c));
    outer.update(inner.finalize());
    outer.finalize().into()
}

/// Where the key of the database at `db` lives: `<db>.key`, beside it.
pub fn key_path(db: &Path) -> PathBuf {
    let mut p = db.as_os_str().to_os_string();
    p.push(".key");
    PathBuf::from(p)
}

/// The key of the database at `db`: `Ok(None)` when its file is missing, an error naming the
/// file when it cannot be read or is not a key.
pub fn load_key(db: &Path) -> std::result::Result<Option<Key>, String> {
    let path = key_path(db);
    match std::fs::read_to_string(&path) {
        Ok(text) => Key::from_hex(&text).map(Some).ok_or_else(|| {
            format!(
                "{}: not a frontdesk audit key (64 hex digits expected); put back the key saved with \
                 this database, or move this file away to have a new one made (recorded in the audit log)",
                path.display()
            )
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{}: cannot read the audit key ({e})", path.display())),
    }
}

/// The key of the database at `db`, made (owner-only) when it has none. Made under a temporary
/// name and linked into place, so two processes creating it at once end up with one key and
/// nobody reads a half-written file; an existing key is never replaced.
pub fn load_or_create_key(db: &Path) -> std::result::Result<Key, String> {
    if let Some(key) = load_key(db)? {
        return Ok(key);
    }
    let path = key_path(db);
    let fail = |e: std::io::Error| format!("{}: cannot create the audit key ({e})", path.display());
    let key = Key::generate().map_err(fail)?;
    static SEQ: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let seq = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.new-{}-{seq}", std::process::id()));
    let written = (|| -> std::io::Result<()> {
        use std::io::Write;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut f = options.open(&tmp)?;
        writeln!(f, "{}", key.to_hex())?;
        f.sync_all()?;
        match std::fs::hard_link(&tmp, &path) {
            Ok(()) => Ok(()),
            // Another process made it first: theirs is read below.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
            Err(_) if std::fs::symlink_metadata(&path).is_err() => std::fs::rename(&tmp, &path),
            Err(e) => Err(e),
        }
    })();
    let _ = std::fs::remove_file(&tmp);
    written.map_err(fail)?;
    load_key(db)?.ok_or_else(|| format!("{}: the audit key vanished after it was made", path.display()))
}

#[allow(clippy::too_many_arguments)]
fn row_hash(
    key: &Key,
    prev: &str,
    at: &str,
    os_user: &str,
    staff: &str,
    ssh_client: &str,
    action: &str,
    entity: &str,
    entity_id: Option<i64>,
    patient_id: Option<i64>,
    detail: &str,
) -> String {
    let mut m = Vec::new();
    // Unit separators keep field boundaries unambiguous.
    for part in [prev, at, os_user, staff, ssh_client, action, entity] {
        m.extend_from_slice(part.as_bytes());
        m.push(0x1f);
    }
    m.extend_from_slice(entity_id.map(|v| v.to_string()).unwrap_or_default().as_bytes());
    m.push(0x1f);
    m.extend_from_slice(patient_id.map(|v| v.to_string()).unwrap_or_default().as_bytes());
    m.push(0x1f);
    m.extend_from_slice(detail.as_bytes());
    hex(&hmac_sha256(&key.0, &m))
}

/// Appends a row; must be called inside a write transaction so the chain cannot fork.
pub fn append(conn: &Connection, key: &Key, actor: &Actor, at: &str, entry: &Entry) -> Result<()> {
    // Cached statements: an import appends one row per record while it holds the write lock.
    let prev: String = conn
        .prepare_cached("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1")?
        .query_row([], |r| r.get(0))
        .optional()?
        .unwrap_or_else(|| GENESIS.to_string());
    let hash = row_hash(
        key,
        &prev,
        at,
        &actor.os_user,
        &actor.staff,
        &actor.ssh_client,
        &entry.action,
        &entry.entity,
        entry.entity_id,
        entry.patient_id,
        &entry.detail,
    );
    conn.prepare_cached(
        "INSERT INTO audit_log (at, os_user, staff, ssh_client, action, entity, entity_id, patient_id, detail, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
            at,
            actor.os_user,
            actor.staff,
            actor.ssh_client,
            entry.action,
            entry.entity,
            entry.entity_id,
            entry.patient_id,
            entry.detail,
            prev,
            hash
        ],
    )?;
    Ok(())
}

/// The action of the row recorded when a database's key was missing and a new one was made:
/// rows before it were keyed with a key that is gone and cannot be verified.
pub const NEW_KEY: &str = "new_key";
/// The action of the row recorded when frontdesk opened the file and found it changed outside.
pub const OUTSIDE_CHANGE: &str = "outside_change";
/// The action of the row an admin writes to say the recorded findings were looked into.
pub const ACKNOWLEDGE: &str = "acknowledge";

/// What walking the audit chain found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChainReport {
    pub rows: i64,
    /// The first row that does not match (edited, deleted before it, or rewritten without the key).
    pub broken_at: Option<i64>,
    /// The row where the current key starts (a [`NEW_KEY`] row): rows before it cannot be verified.
    pub key_starts_at: Option<i64>,
}

/// Walks the chain. Returns the id of the first row that does not match, if any.
pub fn verify_chain(conn: &Connection, key: &Key) -> Result<Option<i64>> {
    Ok(walk_chain(conn, key)?.broken_at)
}

/// Walks the chain with `key`. Rows before the newest [`NEW_KEY`] row are only checked for their
/// links (their key is gone); from it on every row's HMAC must match.
pub fn walk_chain(conn: &Connection, key: &Key) -> Result<ChainReport> {
    let key_starts_at: Option<i64> = conn.query_row(
        "SELECT max(id) FROM audit_log WHERE action = ?1 AND entity = 'audit_key'",
        [NEW_KEY],
        |r| r.get(0),
    )?;
    let mut stmt = conn.prepare(
        "SELECT id, at, os_user, staff, ssh_client, action, entity, entity_id, patient_id, detail, prev_hash, hash
         FROM audit_log ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    let mut prev = GENESIS.to_string();
    let mut report = ChainReport { key_starts_at, ..ChainReport::default() };
    while let Some(r) = rows.next()? {
        report.rows += 1;
        if report.broken_at.is_some() {
            continue;
        }
        let id: i64 = r.get(0)?;
        let stored_prev: String = r.get(10)?;
        let stored_hash: String = r.get(11)?;
        let keyed = key_starts_at.is_none_or(|from| id >= from);
        let matches = stored_prev == prev
            && (!keyed
                || stored_hash
                    == row_hash(
                        key,
                        &prev,
                        &r.get::<_, String>(1)?,
                        &r.get::<_, String>(2)?,
                        &r.get::<_, String>(3)?,
                        &r.get::<_, String>(4)?,
                        &r.get::<_, String>(5)?,
                        &r.get::<_, String>(6)?,
                        r.get(7)?,
                        r.get(8)?,
                        &r.get::<_, String>(9)?,
                    ));
        if !matches {
            report.broken_at = Some(id);
        }
        prev = stored_hash;
    }
    Ok(report)
}

/// One audit row as the admin reads it: who, when, what, which patient (by chart number).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub os_user: String,
    pub staff: String,
    pub ssh_client: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub patient_id: Option<i64>,
    pub chart_no: Option<String>,
    pub detail: String,
}

const ROW_COLUMNS: &str = "a.id, a.at, a.os_user, a.staff, a.ssh_client, a.action, a.entity, a.entity_id,
     a.patient_id, p.chart_no, a.detail
     FROM audit_log a LEFT JOIN patients p ON p.id = a.patient_id";

fn audit_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditRow> {
    Ok(AuditRow {
        id: r.get(0)?,
        at: r.get(1)?,
        os_user: r.get(2)?,
        staff: r.get(3)?,
        ssh_client: r.get(4)?,
        action: r.get(5)?,
        entity: r.get(6)?,
        entity_id: r.get(7)?,
        patient_id: r.get(8)?,
        chart_no: r.get(9)?,
        detail: r.get(10)?,
    })
}

/// The newest `limit` rows older than row `before` (all rows when `None`), newest first:
/// one window of the log, read on the primary key so a long log costs nothing.
pub fn recent(conn: &impl super::Db, before: Option<i64>, limit: usize) -> Result<Vec<AuditRow>> {
    let conn = conn.db();
    let mut stmt = conn.prepare(&format!(
        "SELECT {ROW_COLUMNS} WHERE (?1 IS NULL OR a.id < ?1) ORDER BY a.id DESC LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![before, limit as i64], audit_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Rows whose time falls in `[from, to_exclusive)` (either end open), oldest first.
pub fn between(conn: &Connection, from: Option<&str>, to_exclusive: Option<&str>) -> Result<Vec<AuditRow>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {ROW_COLUMNS} WHERE (?1 IS NULL OR a.at >= ?1) AND (?2 IS NULL OR a.at < ?2) ORDER BY a.id"
    ))?;
    let rows = stmt.query_map(params![from, to_exclusive], audit_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The header of `frontdesk export audit`.
pub const EXPORT_HEADER: [&str; 11] = [
    "id",
    "at",
    "os_user",
    "staff",
    "ssh_client",
    "action",
    "entity",
    "entity_id",
    "patient_id",
    "chart_no",
    "detail",
];

/// The audit rows as CSV records (header first). The export itself is audited, in the same
/// transaction as the read, so the file and its record cannot disagree.
pub fn export(
    store: &mut super::Store,
    from: Option<&str>,
    to_exclusive: Option<&str>,
) -> Result<Vec<Vec<String>>> {
    let range = format!("{} .. {}", from.unwrap_or("start"), to_exclusive.unwrap_or("end"));
    store.write(|tx| {
        let rows = between(tx, from, to_exclusive)?;
        tx.audit(&Entry::new("export", "audit_log").detail(format!("{} rows, {range}", rows.len())))?;
        let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
        let mut out = vec![EXPORT_HEADER.iter().map(|s| s.to_string()).collect::<Vec<_>>()];
        out.extend(rows.into_iter().map(|r| {
            vec![
                r.id.to_string(),
                r.at,
                r.os_user,
                r.staff,
                r.ssh_client,
                r.action,
                r.entity,
                opt(r.entity_id),
                opt(r.patient_id),
                r.chart_no.unwrap_or_default(),
                r.detail,
            ]
        }));
        Ok(out)
    })
}

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
pub(crate) fn review_on_open(store: &mut super::Store, new_key: bool) -> Result<()> {
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
        Err(super::StoreError::Busy) if !new_key => Ok(()),
        other => other,
    }
}

/// The findings ([`OUTSIDE_CHANGE`] and [`NEW_KEY`] rows) recorded since the last
/// [`ACKNOWLEDGE`] row, oldest first.
pub fn unacknowledged(conn: &impl super::Db) -> Result<Vec<AuditRow>> {
    let conn = conn.db();
    let mut stmt = conn.prepare(&format!(
        "SELECT {ROW_COLUMNS}
         WHERE a.action IN (?1, ?2)
           AND a.id > coalesce((SELECT max(id) FROM audit_log WHERE action = ?3 AND entity = 'integrity'), 0)
         ORDER BY a.id"
    ))?;
    let rows = stmt.query_map(params![OUTSIDE_CHANGE, NEW_KEY, ACKNOWLEDGE], audit_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// An admin's acknowledgement of the findings not yet acknowledged, as an audit row naming
/// them. Returns how many it covered (0: nothing to acknowledge, nothing written).
pub fn acknowledge(store: &mut super::Store) -> Result<usize> {
    store.write(|tx| {
        let open = unacknowledged(tx)?;
        if open.is_empty() {
            return Ok(0);
        }
        let ids: Vec<String> = open.iter().map(|r| format!("#{}", r.id)).collect();
        tx.audit(&Entry::new(ACKNOWLEDGE, "integrity").detail(format!(
            "looked into: {} (audit rows {})",
            open.len(),
            ids.join(", ")
        )))?;
        Ok(open.len())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unhex(s: &str) -> Vec<u8> {
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    }

    /// RFC 4231 test cases 1, 2, 3, 4, 6 and 7 (5 is a truncated output).
    #[test]
    fn hmac_sha256_matches_rfc_4231() {
        let cases: [(Vec<u8>, Vec<u8>, &str); 6] = [
            (
                vec![0x0b; 20],
                b"Hi There".to_vec(),
                "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
            ),
            (
                b"Jefe".to_vec(),
                b"what do ya want for nothing?".to_vec(),
                "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
            ),
            (vec![0xaa; 20], vec![0xdd; 50], "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
            (
                unhex("0102030405060708090a0b0c0d0e0f10111213141516171819"),
                vec![0xcd; 50],
                "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
            ),
            (
                vec![0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First".to_vec(),
                "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
            ),
            (
                vec![0xaa; 131],
                b"This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.".to_vec(),
                "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
            ),
        ];
        for (key, data, want) in cases {
            assert_eq!(hex(&hmac_sha256(&key, &data)), want);
        }
    }

    #[test]
    fn a_key_reads_back_from_its_hex_and_rejects_anything_else() {
        let k = Key([7u8; 32]);
        assert_eq!(Key::from_hex(&format!("{}\n", k.to_hex())), Some(k));
        assert_eq!(Key::from_hex("abc"), None);
        assert_eq!(Key::from_hex(&"zz".repeat(32)), None);
        assert_eq!(format!("{:?}", Key([1u8; 32])), "Key(..)", "Debug never shows the secret");
    }
}
