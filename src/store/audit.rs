//! The audit log: who did what, when, to which patient, chained by SHA-256 so that a row
//! edited or deleted outside the app breaks the chain and `frontdesk check` says where.

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

#[allow(clippy::too_many_arguments)]
fn row_hash(
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
    let mut h = Sha256::new();
    // Unit separators keep field boundaries unambiguous.
    for part in [prev, at, os_user, staff, ssh_client, action, entity] {
        h.update(part.as_bytes());
        h.update([0x1f]);
    }
    h.update(entity_id.map(|v| v.to_string()).unwrap_or_default().as_bytes());
    h.update([0x1f]);
    h.update(patient_id.map(|v| v.to_string()).unwrap_or_default().as_bytes());
    h.update([0x1f]);
    h.update(detail.as_bytes());
    hex(&h.finalize())
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

/// Appends a row; must be called inside a write transaction so the chain cannot fork.
pub fn append(conn: &Connection, actor: &Actor, at: &str, entry: &Entry) -> Result<()> {
    // Cached statements: an import appends one row per record while it holds the write lock.
    let prev: String = conn
        .prepare_cached("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1")?
        .query_row([], |r| r.get(0))
        .optional()?
        .unwrap_or_else(|| GENESIS.to_string());
    let hash = row_hash(
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

/// Walks the chain. Returns the id of the first row that does not match, if any.
pub fn verify_chain(conn: &Connection) -> Result<Option<i64>> {
    let mut stmt = conn.prepare(
        "SELECT id, at, os_user, staff, ssh_client, action, entity, entity_id, patient_id, detail, prev_hash, hash
         FROM audit_log ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    let mut prev = GENESIS.to_string();
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let stored_prev: String = r.get(10)?;
        let stored_hash: String = r.get(11)?;
        let expect = row_hash(
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
        );
        if stored_prev != prev || stored_hash != expect {
            return Ok(Some(id));
        }
        prev = stored_hash;
    }
    Ok(None)
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
pub fn recent(conn: &Connection, before: Option<i64>, limit: usize) -> Result<Vec<AuditRow>> {
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

fn seal_of(head: &str, changes: i64) -> String {
    let mut h = Sha256::new();
    h.update(b"frontdesk-seal");
    h.update([0x1f]);
    h.update(head.as_bytes());
    h.update([0x1f]);
    h.update(changes.to_string().as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn head_and_changes(conn: &Connection) -> Result<(String, i64)> {
    let head: String = conn
        .query_row("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1", [], |r| r.get(0))
        .optional()?
        .unwrap_or_else(|| GENESIS.to_string());
    let changes: i64 = conn.query_row("SELECT changes FROM integrity WHERE id = 1", [], |r| r.get(0))?;
    Ok((head, changes))
}

/// Seals the transaction about to commit: the change count with the audit chain's head.
pub fn seal(conn: &Connection) -> Result<()> {
    let (head, changes) = head_and_changes(conn)?;
    conn.execute("UPDATE integrity SET seal = ?1 WHERE id = 1", [seal_of(&head, changes)])?;
    Ok(())
}

/// True when nothing was written since the app's last commit other than through the app.
pub fn seal_holds(conn: &Connection) -> Result<bool> {
    let (head, changes) = head_and_changes(conn)?;
    let stored: String = conn.query_row("SELECT seal FROM integrity WHERE id = 1", [], |r| r.get(0))?;
    Ok(stored == seal_of(&head, changes))
}
