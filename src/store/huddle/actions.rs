//! Huddle actions and the huddles themselves: started, timed, listed; and unmasking logged.

use super::{HuddleAction, PatientBrief, day_text};
use crate::domain::TIME_FORMAT;
use crate::domain::text::clean;
use crate::store::Access;
use crate::store::Result;
use crate::store::Store;
use crate::store::StoreError;
use crate::store::Tx;
use crate::store::audit::Entry;
use chrono::NaiveDate;
use chrono::NaiveDateTime;
use rusqlite::OptionalExtension;
use rusqlite::params;

pub(super) const ACTION_SELECT: &str = "SELECT h.id, h.huddle_id, h.action, h.owner, h.created_at, h.done_at,
            p.id, p.chart_no, p.name, p.phone
     FROM huddle_actions h JOIN patients p ON p.id = h.patient_id";

pub(super) fn action_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<HuddleAction> {
    Ok(HuddleAction {
        id: r.get(0)?,
        huddle_id: r.get(1)?,
        action: r.get(2)?,
        owner: r.get(3)?,
        created_at: r.get(4)?,
        done_at: r.get(5)?,
        patient: PatientBrief { id: r.get(6)?, chart_no: r.get(7)?, name: r.get(8)?, phone: r.get(9)? },
    })
}

/// A patient's huddle actions not yet ticked off, oldest first (the flag on Today).
pub fn open_actions_for(conn: &impl crate::store::Db, patient_id: i64) -> Result<Vec<HuddleAction>> {
    let conn = conn.db();
    let mut stmt = conn.prepare_cached(&format!(
        "{ACTION_SELECT} WHERE h.patient_id = ?1 AND h.done_at IS NULL ORDER BY h.created_at, h.id"
    ))?;
    Ok(stmt.query_map([patient_id], action_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Records a decision: an action and its owner for a patient; audits.
pub fn insert_action(
    tx: &Tx<'_>,
    huddle_id: Option<i64>,
    patient_id: i64,
    action: &str,
    owner: &str,
) -> Result<i64> {
    let action = clean(action);
    if action.is_empty() {
        return Err(StoreError::Invalid("action is empty".into()));
    }
    tx.execute(
        "INSERT INTO huddle_actions (huddle_id, patient_id, action, owner, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![huddle_id, patient_id, action, clean(owner), tx.now_text()],
    )?;
    let id = tx.last_insert_rowid();
    tx.audit(&Entry::new("create", "huddle_action").id(id).patient(patient_id).detail(action))?;
    Ok(id)
}

/// Ticks an action off; audits. Ticking one already done is refused.
pub fn tick_action(tx: &Tx<'_>, action_id: i64) -> Result<()> {
    let patient_id: i64 = tx
        .query_row(
            "SELECT patient_id FROM huddle_actions WHERE id = ?1 AND done_at IS NULL",
            [action_id],
            |r| r.get(0),
        )
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("open huddle action {action_id}")))?;
    tx.execute("UPDATE huddle_actions SET done_at = ?2 WHERE id = ?1", params![action_id, tx.now_text()])?;
    tx.audit(&Entry::new("update", "huddle_action").id(action_id).patient(patient_id).detail("done"))?;
    Ok(())
}

/// Takes a tick back (the action is open again); audits. Refused when it is not ticked.
pub fn untick_action(tx: &Tx<'_>, action_id: i64) -> Result<()> {
    let patient_id: i64 = tx
        .query_row(
            "SELECT patient_id FROM huddle_actions WHERE id = ?1 AND done_at IS NOT NULL",
            [action_id],
            |r| r.get(0),
        )
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("ticked huddle action {action_id}")))?;
    tx.execute("UPDATE huddle_actions SET done_at = NULL WHERE id = ?1", [action_id])?;
    tx.audit(&Entry::new("update", "huddle_action").id(action_id).patient(patient_id).detail("reopened"))?;
    Ok(())
}

/// Opens the record of a huddle held on `day`; audits.
pub fn start_huddle(tx: &Tx<'_>, day: NaiveDate, started_at: NaiveDateTime) -> Result<i64> {
    tx.execute(
        "INSERT INTO huddles (held_on, started_at) VALUES (?1, ?2)",
        params![day_text(day), started_at.format(TIME_FORMAT).to_string()],
    )?;
    let id = tx.last_insert_rowid();
    tx.audit(&Entry::new("create", "huddle").id(id).detail(day_text(day)))?;
    Ok(id)
}

/// Saves how long the huddle has run; audits.
pub fn set_huddle_length(tx: &Tx<'_>, huddle_id: i64, seconds: i64) -> Result<()> {
    let n =
        tx.execute("UPDATE huddles SET length_sec = ?2 WHERE id = ?1", params![huddle_id, seconds.max(0)])?;
    if n == 0 {
        return Err(StoreError::NotFound(format!("huddle {huddle_id}")));
    }
    tx.audit(&Entry::new("update", "huddle").id(huddle_id).detail(format!("length {seconds}s")))?;
    Ok(())
}

/// The latest huddle held on `day`: (id, length in seconds).
pub fn huddle_on(conn: &impl crate::store::Db, day: NaiveDate) -> Result<Option<(i64, i64)>> {
    let conn = conn.db();
    Ok(conn
        .prepare_cached("SELECT id, length_sec FROM huddles WHERE held_on = ?1 ORDER BY id DESC LIMIT 1")?
        .query_row([day_text(day)], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// A past huddle with its decisions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HuddleRecord {
    pub id: i64,
    pub held_on: String,
    pub started_at: String,
    pub length_sec: i64,
    pub decisions: Vec<HuddleAction>,
}

/// The latest huddles, newest first, each with its decisions.
pub fn recent_huddles(conn: &impl crate::store::Db, limit: usize) -> Result<Vec<HuddleRecord>> {
    let conn = conn.db();
    let mut stmt = conn.prepare_cached(
        "SELECT id, held_on, started_at, length_sec FROM huddles ORDER BY held_on DESC, id DESC LIMIT ?1",
    )?;
    let heads: Vec<(i64, String, String, i64)> = stmt
        .query_map([limit as i64], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut acts = conn.prepare_cached(&format!("{ACTION_SELECT} WHERE h.huddle_id = ?1 ORDER BY h.id"))?;
    let mut out = Vec::new();
    for (id, held_on, started_at, length_sec) in heads {
        let decisions = acts.query_map([id], action_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        out.push(HuddleRecord { id, held_on, started_at, length_sec, decisions });
    }
    Ok(out)
}

/// Logs that names were unmasked on a shared screen. The presentation screen holds its
/// database read-only, so the audit row goes through a separate, short read-write connection
/// opened for this one row and closed at once.
pub fn log_unmask(store: &mut Store, what: &str) -> Result<()> {
    let entry = Entry::new("unmask", "huddle").detail(what.to_string());
    if store.access() == Access::ReadWrite {
        return store.write(|tx| tx.audit(&entry));
    }
    let mut writer = Store::open(store.path(), Access::ReadWrite, store.actor().clone())
        .map_err(|e| StoreError::Invalid(e.to_string()))?;
    writer.write(|tx| tx.audit(&entry))
}
