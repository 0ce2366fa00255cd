//! Audit rows as the admin reads them: windows of the log, the export, findings and their acknowledgement.

use super::{ACKNOWLEDGE, Entry, NEW_KEY, OUTSIDE_CHANGE};
use crate::store::Result;
use rusqlite::Connection;
use rusqlite::params;

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
pub fn recent(conn: &impl crate::store::Db, before: Option<i64>, limit: usize) -> Result<Vec<AuditRow>> {
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
    store: &mut crate::store::Store,
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

/// The findings ([`OUTSIDE_CHANGE`] and [`NEW_KEY`] rows) recorded since the last
/// [`ACKNOWLEDGE`] row, oldest first.
pub fn unacknowledged(conn: &impl crate::store::Db) -> Result<Vec<AuditRow>> {
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
pub fn acknowledge(store: &mut crate::store::Store) -> Result<usize> {
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
