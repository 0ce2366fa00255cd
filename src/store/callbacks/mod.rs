//! Callbacks: the one queue of people to call. Creation rules from other screens (no-show,
//! undecided consultation, happy call, inquiry "call back") all go through `open_callback`.

use chrono::NaiveDate;
use rusqlite::OptionalExtension;
use rusqlite::params;

use super::Result;
use super::StoreError;
use super::Tx;
use super::audit::Entry;
use crate::domain::CallbackKind;

mod queue;
pub use queue::*;
mod contacts;
pub use contacts::*;
mod automatic;
pub use automatic::*;

#[derive(Debug, Clone, PartialEq)]
pub struct NewCallback {
    /// The patient to call; None for a caller who is not a patient yet (`inquiry_id` then).
    pub patient_id: Option<i64>,
    /// The call a caller without a chart made: their name and phone.
    pub inquiry_id: Option<i64>,
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
            patient_id: Some(patient_id),
            inquiry_id: None,
            kind,
            due_on,
            owner_id: None,
            consultation_id: None,
            appointment_id: None,
            note: String::new(),
        }
    }

    /// A callback for a caller who is not a patient: found by the inquiry's name and phone.
    pub fn for_caller(inquiry_id: i64, kind: CallbackKind, due_on: NaiveDate) -> NewCallback {
        NewCallback { patient_id: None, inquiry_id: Some(inquiry_id), ..NewCallback::new(0, kind, due_on) }
    }
}

/// An audit entry about a callback, with its patient when it has one.
fn entry(action: &str, entity: &str, id: i64, patient_id: Option<i64>) -> Entry {
    let mut e = Entry::new(action, entity).id(id);
    e.patient_id = patient_id;
    e
}

/// Opens a callback, or merges into the open one of the same patient and kind (one open
/// callback per patient and kind): links and notes are kept, and the due date is the
/// consultation's recall date when one is linked (the new one's, else the one already there:
/// a prospect is called back when the consultation said, and a call logged later moves it
/// only through the callback itself: a contact's next date or snooze); otherwise the
/// earlier date wins. Returns the callback's id.
///
/// A caller without a chart (`patient_id` None) merges into the open callback of the same
/// kind of an earlier call from the same phone number, if any.
pub fn open_callback(tx: &Tx<'_>, c: &NewCallback) -> Result<i64> {
    let existing: Option<(i64, String, Option<i64>)> = match (c.patient_id, c.inquiry_id) {
        (Some(pid), _) => tx
            .query_row(
                "SELECT id, due_on, consultation_id FROM callbacks
                 WHERE patient_id = ?1 AND kind = ?2 AND status = 'open'",
                params![pid, c.kind.code()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?,
        (None, Some(inq)) => tx
            .query_row(
                "SELECT c.id, c.due_on, c.consultation_id FROM callbacks c
                 JOIN inquiries q ON q.id = c.inquiry_id
                 WHERE c.patient_id IS NULL AND c.kind = ?2 AND c.status = 'open' AND q.phone_digits <> ''
                   AND q.phone_digits = (SELECT phone_digits FROM inquiries WHERE id = ?1)
                 ORDER BY c.id LIMIT 1",
                params![inq, c.kind.code()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?,
        (None, None) => {
            return Err(StoreError::Invalid("a callback needs a patient or a caller's inquiry".into()));
        }
    };
    let due = c.due_on.to_string();
    if let Some((id, old_due, old_consultation)) = existing {
        let due_on = if c.consultation_id.is_some() {
            due
        } else if old_consultation.is_some() || due >= old_due {
            old_due
        } else {
            due
        };
        tx.execute(
            "UPDATE callbacks SET due_on = ?2,
                 consultation_id = coalesce(?3, consultation_id),
                 appointment_id = coalesce(?4, appointment_id),
                 owner_id = coalesce(owner_id, ?5),
                 note = CASE WHEN ?6 = '' THEN note WHEN note = '' THEN ?6 ELSE note || ' / ' || ?6 END
             WHERE id = ?1",
            params![id, due_on, c.consultation_id, c.appointment_id, c.owner_id, c.note],
        )?;
        tx.audit(&entry("merge", "callback", id, c.patient_id).detail(c.kind.code()))?;
        return Ok(id);
    }
    tx.execute(
        "INSERT INTO callbacks (patient_id, kind, due_on, status, owner_id, consultation_id, appointment_id, created_at,
                                note, inquiry_id)
         VALUES (?1, ?2, ?3, 'open', ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            c.patient_id,
            c.kind.code(),
            due,
            c.owner_id,
            c.consultation_id,
            c.appointment_id,
            tx.now_text(),
            c.note,
            c.inquiry_id
        ],
    )?;
    let id = tx.last_insert_rowid();
    tx.audit(&entry("create", "callback", id, c.patient_id).detail(c.kind.code()))?;
    Ok(id)
}
