//! Callbacks: the one queue of people to call. Creation rules from other screens (no-show,
//! undecided consultation, happy call, inquiry "call back") all go through `open_callback`.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};

use super::audit::Entry;
use super::{Result, Tx};
use crate::domain::CallbackKind;

#[derive(Debug, Clone, PartialEq)]
pub struct NewCallback {
    pub patient_id: i64,
    pub kind: CallbackKind,
    pub due_on: NaiveDate,
    pub owner_id: Option<i64>,
    pub consultation_id: Option<i64>,
    pub appointment_id: Option<i64>,
    pub note: String,
}

impl NewCallback {
    pub fn new(patient_id: i64, kind: CallbackKind, due_on: NaiveDate) -> NewCallback {
        NewCallback {
            patient_id,
            kind,
            due_on,
            owner_id: None,
            consultation_id: None,
            appointment_id: None,
            note: String::new(),
        }
    }
}

/// Opens a callback, or merges into the open one of the same patient and kind (one open
/// callback per patient and kind): the earlier due date wins, links and notes are kept.
/// Returns the callback's id.
pub fn open_callback(tx: &Tx<'_>, c: &NewCallback) -> Result<i64> {
    let existing: Option<(i64, String)> = tx
        .query_row(
            "SELECT id, due_on FROM callbacks WHERE patient_id = ?1 AND kind = ?2 AND status = 'open'",
            params![c.patient_id, c.kind.code()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let due = c.due_on.to_string();
    if let Some((id, old_due)) = existing {
        let due_on = if due < old_due { due } else { old_due };
        tx.execute(
            "UPDATE callbacks SET due_on = ?2,
                 consultation_id = coalesce(?3, consultation_id),
                 appointment_id = coalesce(?4, appointment_id),
                 owner_id = coalesce(owner_id, ?5),
                 note = CASE WHEN ?6 = '' THEN note WHEN note = '' THEN ?6 ELSE note || ' / ' || ?6 END
             WHERE id = ?1",
            params![id, due_on, c.consultation_id, c.appointment_id, c.owner_id, c.note],
        )?;
        tx.audit(&Entry::new("merge", "callback").id(id).patient(c.patient_id).detail(c.kind.code()))?;
        return Ok(id);
    }
    tx.execute(
        "INSERT INTO callbacks (patient_id, kind, due_on, status, owner_id, consultation_id, appointment_id, created_at, note)
         VALUES (?1, ?2, ?3, 'open', ?4, ?5, ?6, ?7, ?8)",
        params![
            c.patient_id,
            c.kind.code(),
            due,
            c.owner_id,
            c.consultation_id,
            c.appointment_id,
            super::now_text(),
            c.note
        ],
    )?;
    let id = tx.last_insert_rowid();
    tx.audit(&Entry::new("create", "callback").id(id).patient(c.patient_id).detail(c.kind.code()))?;
    Ok(id)
}
