//! Post-it notes on a chart: what the staff learned about a person, newest first.

use rusqlite::{Connection, params};

use super::audit::Entry;
use super::{Result, StoreError, Tx};
use crate::domain::text::clean;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub id: i64,
    pub body: String,
    pub author: String,
    pub created_at: String,
}

pub fn add_note(tx: &Tx<'_>, patient_id: i64, body: &str) -> Result<i64> {
    let body = clean(body);
    if body.is_empty() {
        return Err(StoreError::Invalid("the note is empty".into()));
    }
    let author =
        if tx.actor().staff.is_empty() { tx.actor().os_user.clone() } else { tx.actor().staff.clone() };
    tx.execute(
        "INSERT INTO notes (patient_id, body, author, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![patient_id, body, author, tx.now_text()],
    )?;
    let id = tx.last_insert_rowid();
    tx.audit(&Entry::new("create", "note").id(id).patient(patient_id))?;
    Ok(id)
}

pub fn patient_notes(conn: &Connection, patient_id: i64, limit: i64) -> Result<Vec<Note>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, body, author, created_at FROM notes WHERE patient_id = ?1
         ORDER BY created_at DESC, id DESC LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![patient_id, limit], |r| {
        Ok(Note { id: r.get(0)?, body: r.get(1)?, author: r.get(2)?, created_at: r.get(3)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}
