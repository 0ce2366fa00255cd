//! Consultations (상담): what was proposed, for how much, what the person decided. An
//! undecided one is a prospect: the desk's `record_consultation` opens a prospect callback
//! on its recall date.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, params};

use super::audit::Entry;
use super::{Result, StoreError, Tx};
use crate::domain::text::clean;
use crate::domain::{ConsultationStatus, DATE_FORMAT, TIME_FORMAT};

/// What the desk enters after a consultation (고객 관리 노트: date, treatment, quote and
/// discount, circumstances, recall date, reaction).
#[derive(Debug, Clone, PartialEq)]
pub struct NewConsultation {
    pub patient_id: i64,
    pub consulted_at: NaiveDateTime,
    pub treatment_code: Option<String>,
    /// The full price quoted, whole won.
    pub quoted_krw: Option<i64>,
    /// The price offered (after a discount), whole won.
    pub offered_krw: Option<i64>,
    pub status: ConsultationStatus,
    /// When to call back an undecided person. Required when undecided.
    pub recall_on: Option<NaiveDate>,
    pub circumstances: String,
    pub reaction: String,
    /// Who follows the prospect up.
    pub owner_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Consultation {
    pub id: i64,
    pub patient_id: i64,
    pub consulted_at: String,
    pub treatment_code: Option<String>,
    pub quoted_krw: Option<i64>,
    pub offered_krw: Option<i64>,
    pub status: ConsultationStatus,
    pub decided_at: Option<String>,
    pub recall_on: Option<String>,
    pub circumstances: String,
    pub reaction: String,
}

const COLUMNS: &str = "id, patient_id, consulted_at, treatment_code, quoted_krw, offered_krw, status, decided_at, recall_on, circumstances, reaction";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Consultation> {
    let status: String = r.get(6)?;
    Ok(Consultation {
        id: r.get(0)?,
        patient_id: r.get(1)?,
        consulted_at: r.get(2)?,
        treatment_code: r.get(3)?,
        quoted_krw: r.get(4)?,
        offered_krw: r.get(5)?,
        status: ConsultationStatus::parse(&status).unwrap_or(ConsultationStatus::Undecided),
        decided_at: r.get(7)?,
        recall_on: r.get(8)?,
        circumstances: r.get(9)?,
        reaction: r.get(10)?,
    })
}

/// Inserts a consultation (prices not negative; an undecided one needs its recall date);
/// audits. Returns its id. The prospect callback an undecided one opens is the desk's rule
/// (`desk::callbacks::record_consultation`).
pub fn insert_consultation(tx: &Tx<'_>, c: &NewConsultation) -> Result<i64> {
    for (what, v) in [("quoted", c.quoted_krw), ("offered", c.offered_krw)] {
        if v.is_some_and(|v| v < 0) {
            return Err(StoreError::Invalid(format!("the {what} price cannot be negative")));
        }
    }
    if c.status == ConsultationStatus::Undecided && c.recall_on.is_none() {
        return Err(StoreError::Invalid("an undecided consultation needs a recall date".into()));
    }
    let at = c.consulted_at.format(TIME_FORMAT).to_string();
    let decided_at = (c.status != ConsultationStatus::Undecided).then(|| at.clone());
    tx.execute(
        "INSERT INTO consultations (patient_id, consulted_at, treatment_code, quoted_krw, offered_krw, status,
                                    decided_at, recall_on, circumstances, reaction)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            c.patient_id,
            at,
            c.treatment_code,
            c.quoted_krw,
            c.offered_krw,
            c.status.code(),
            decided_at,
            c.recall_on.map(|d| d.format(DATE_FORMAT).to_string()),
            clean(&c.circumstances),
            clean(&c.reaction),
        ],
    )?;
    let id = tx.last_insert_rowid();
    tx.audit(&Entry::new("create", "consultation").id(id).patient(c.patient_id).detail(c.status.code()))?;
    Ok(id)
}

/// Marks a consultation decided (accepted or declined) at `at`; audits. Returns false when
/// it already had that status.
pub fn set_status(tx: &Tx<'_>, id: i64, status: ConsultationStatus, at: NaiveDateTime) -> Result<bool> {
    let (patient_id, old): (i64, String) = tx
        .query_row("SELECT patient_id, status FROM consultations WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("consultation {id}")))?;
    if old == status.code() {
        return Ok(false);
    }
    let decided_at = (status != ConsultationStatus::Undecided).then(|| at.format(TIME_FORMAT).to_string());
    tx.execute(
        "UPDATE consultations SET status = ?2, decided_at = ?3 WHERE id = ?1",
        params![id, status.code(), decided_at],
    )?;
    tx.audit(
        &Entry::new("update", "consultation").id(id).patient(patient_id).detail(format!("{old} -> {status}")),
    )?;
    Ok(true)
}

/// Keeps the consultation's "reaction" column at the latest thing the person said.
pub fn set_reaction(tx: &Tx<'_>, id: i64, reaction: &str) -> Result<()> {
    let reaction = clean(reaction);
    if reaction.is_empty() {
        return Ok(());
    }
    let patient_id: Option<i64> =
        tx.query_row("SELECT patient_id FROM consultations WHERE id = ?1", [id], |r| r.get(0)).optional()?;
    let Some(patient_id) = patient_id else {
        return Err(StoreError::NotFound(format!("consultation {id}")));
    };
    tx.execute("UPDATE consultations SET reaction = ?2 WHERE id = ?1", params![id, reaction])?;
    tx.audit(&Entry::new("update", "consultation").id(id).patient(patient_id).detail("reaction"))?;
    Ok(())
}

pub fn get_consultation(conn: &Connection, id: i64) -> Result<Option<Consultation>> {
    Ok(conn
        .query_row(&format!("SELECT {COLUMNS} FROM consultations WHERE id = ?1"), [id], from_row)
        .optional()?)
}

/// A patient's consultations, newest first (patient card).
pub fn for_patient(conn: &Connection, patient_id: i64) -> Result<Vec<Consultation>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM consultations WHERE patient_id = ?1 ORDER BY consulted_at DESC, id DESC"
    ))?;
    let rows = stmt.query_map([patient_id], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
