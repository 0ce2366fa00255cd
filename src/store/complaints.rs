//! Complaints: what a patient was unhappy about, who owns it, and the plan to resolve it.

use chrono::NaiveDateTime;
use rusqlite::{Connection, params};

use super::audit::Entry;
use super::{Result, StoreError, Tx};
use crate::domain::TIME_FORMAT;
use crate::domain::text::clean;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewComplaint {
    pub patient_id: i64,
    pub raised_at: NaiveDateTime,
    pub category_code: String,
    pub description: String,
    pub owner_id: Option<i64>,
    pub plan: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Complaint {
    pub id: i64,
    pub raised_at: String,
    pub category_code: String,
    pub description: String,
    pub owner_id: Option<i64>,
    pub plan: String,
    pub open: bool,
    pub resolution: String,
}

pub fn insert_complaint(tx: &Tx<'_>, c: &NewComplaint) -> Result<i64> {
    let known: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM complaint_categories WHERE code = ?1)",
        [&c.category_code],
        |r| r.get(0),
    )?;
    if !known {
        return Err(StoreError::Invalid(format!("unknown complaint category '{}'", c.category_code)));
    }
    tx.execute(
        "INSERT INTO complaints (patient_id, raised_at, category_code, description, owner_id, plan, status)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'open')",
        params![
            c.patient_id,
            c.raised_at.format(TIME_FORMAT).to_string(),
            c.category_code,
            clean(&c.description),
            c.owner_id,
            clean(&c.plan)
        ],
    )?;
    let id = tx.last_insert_rowid();
    tx.audit(&Entry::new("create", "complaint").id(id).patient(c.patient_id).detail(&c.category_code))?;
    Ok(id)
}

pub fn patient_complaints(conn: &Connection, patient_id: i64) -> Result<Vec<Complaint>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, raised_at, category_code, description, owner_id, plan, status, resolution
         FROM complaints WHERE patient_id = ?1 ORDER BY raised_at DESC",
    )?;
    let rows = stmt.query_map([patient_id], |r| {
        Ok(Complaint {
            id: r.get(0)?,
            raised_at: r.get(1)?,
            category_code: r.get(2)?,
            description: r.get(3)?,
            owner_id: r.get(4)?,
            plan: r.get(5)?,
            open: r.get::<_, String>(6)? == "open",
            resolution: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}
