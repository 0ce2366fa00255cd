//! The callback queue at the desk: logging a contact, snoozing, recording a consultation
//! (an undecided one opens a prospect callback), and today's automatic callbacks (reminders
//! for tomorrow's visits, happy calls after a visit).

use chrono::NaiveDate;

use super::{Result, Why, field};
use crate::domain::CallbackKind;
use crate::domain::callbacks::prospect_due;
use crate::store::callbacks::{self as store_cb, NewCallback, NewContact};
use crate::store::consultations::{self, NewConsultation};
use crate::store::{Access, Store, Tx};

/// Logs a contact on a callback (closing it, following up, or booking). Returns the
/// patient's id when the callback has one (the booking form then books them).
pub fn log_contact(store: &mut Store, c: &NewContact) -> Result<Option<i64>> {
    Ok(store.write(|tx| store_cb::log_contact(tx, c))?)
}

/// Moves an open callback to `until` (not a day before `today`).
pub fn snooze(store: &mut Store, callback_id: i64, until: NaiveDate, today: NaiveDate) -> Result<()> {
    if until < today {
        return field("until", Why::Past);
    }
    Ok(store.write(|tx| store_cb::snooze(tx, callback_id, until, today))?)
}

/// Records a consultation; an undecided person gets (or merges into) a prospect callback on
/// the recall date. Returns the consultation's id.
pub fn record_consultation(store: &mut Store, c: &NewConsultation) -> Result<i64> {
    Ok(store.write(|tx| record_consultation_in(tx, c))?)
}

/// [`record_consultation`] inside a transaction the caller holds (imports, tests).
pub fn record_consultation_in(tx: &Tx<'_>, c: &NewConsultation) -> crate::store::Result<i64> {
    let id = consultations::insert_consultation(tx, c)?;
    if let Some(due) = prospect_due(c.status, c.recall_on) {
        let mut cb = NewCallback::new(c.patient_id, CallbackKind::Prospect, due);
        cb.consultation_id = Some(id);
        cb.owner_id = c.owner_id;
        store_cb::open_callback(tx, &cb)?;
    }
    Ok(id)
}

/// Creates today's automatic callbacks, idempotently: reminders (due the day before, by
/// `domain::callbacks::reminder_due`) for tomorrow's booked, unconfirmed appointments; happy
/// calls (due the day after, `happy_call_due`) for recent done visits whose treatment the
/// catalog marks `happy_call`; and withdraws reminders whose appointment was confirmed,
/// cancelled or has passed (deleted when nobody had called yet, else closed as done). The
/// app runs this before every reload; it reads first and opens a write transaction only when
/// there is something to do, and does nothing on a read-only store. Returns how many
/// callbacks it created, merged or withdrew.
pub fn generate_automatic(store: &mut Store, today: NaiveDate) -> Result<usize> {
    if store.access() == Access::ReadOnly || store_cb::plan_automatic(store.conn(), today)?.is_empty() {
        return Ok(0);
    }
    Ok(store.write(|tx| store_cb::apply_automatic(tx, today))?)
}
