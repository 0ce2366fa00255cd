//! Logging a contact on a callback, moving it or closing it, and snoozing.

use super::entry;
use super::queue::{CallbackItem, get_item};
use crate::domain::CallbackKind;
use crate::domain::ConsultationStatus;
use crate::domain::DATE_FORMAT;
use crate::domain::TIME_FORMAT;
use crate::domain::callbacks::CallbackOutcome;
use crate::domain::callbacks::ContactChannel;
use crate::domain::callbacks::outcomes_for;
use crate::domain::text::clean;
use crate::store::Result;
use crate::store::StoreError;
use crate::store::Tx;
use crate::store::consultations;
use chrono::NaiveDate;
use chrono::NaiveDateTime;
use rusqlite::params;

/// What a logged contact leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextStep {
    /// Call again on this date.
    FollowUp(NaiveDate),
    /// Close the item.
    Close(CallbackOutcome),
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewContact {
    pub callback_id: i64,
    pub at: NaiveDateTime,
    pub channel: ContactChannel,
    pub reached: bool,
    pub reaction: String,
    pub next_plan: String,
    pub next: NextStep,
    /// The satisfaction score given on this call (1-5), when asked.
    pub satisfaction: Option<u8>,
}

/// Logs a call or message on an open callback, then moves it to the next date or closes it.
///
/// Closing a prospect as accepted or declined marks its consultation so (that is what
/// `consult_success` counts); closing a reached reminder as done marks its appointment
/// confirmed. Returns the callback's patient id (None for a caller who is not a patient).
pub fn log_contact(tx: &Tx<'_>, c: &NewContact) -> Result<Option<i64>> {
    let item = get_item(tx, c.callback_id)?;
    if !item.open {
        return Err(StoreError::Invalid("this callback is already closed".into()));
    }
    let at = c.at.format(TIME_FORMAT).to_string();
    let by = if tx.actor().staff.is_empty() { tx.actor().os_user.clone() } else { tx.actor().staff.clone() };
    tx.execute(
        "INSERT INTO callback_contacts (callback_id, contacted_at, channel, reached, reaction, next_plan, by_staff,
                                        satisfaction)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            c.callback_id,
            at,
            c.channel.code(),
            c.reached,
            clean(&c.reaction),
            clean(&c.next_plan),
            by,
            c.satisfaction.filter(|s| (1..=5).contains(s))
        ],
    )?;
    let contact_id = tx.last_insert_rowid();
    tx.audit(
        &entry("create", "callback_contact", contact_id, item.patient_id)
            .detail(format!("callback {} {}", c.callback_id, c.channel)),
    )?;
    if let Some(consultation_id) = item.consultation_id {
        consultations::set_reaction(tx, consultation_id, &c.reaction)?;
    }
    match c.next {
        NextStep::FollowUp(date) => {
            if date < c.at.date() {
                return Err(StoreError::Invalid("the next date is in the past".into()));
            }
            move_due(tx, &item, date, "follow_up")?;
        }
        NextStep::Close(outcome) => {
            if !outcomes_for(item.kind).contains(&outcome) {
                return Err(StoreError::Invalid(format!(
                    "a {} callback cannot close as {}",
                    item.kind.label(crate::domain::Lang::En),
                    outcome.label(crate::domain::Lang::En)
                )));
            }
            close(tx, &item, outcome, &at)?;
            match (outcome, item.consultation_id) {
                (CallbackOutcome::Accepted, Some(k)) => {
                    consultations::set_status(tx, k, ConsultationStatus::Accepted, c.at)?;
                }
                (CallbackOutcome::Declined, Some(k)) => {
                    consultations::set_status(tx, k, ConsultationStatus::Declined, c.at)?;
                }
                _ => {}
            }
            if let (CallbackKind::Reminder, CallbackOutcome::Done, true, Some(appointment_id)) =
                (item.kind, outcome, c.reached, item.appointment_id)
            {
                let n = tx.execute(
                    "UPDATE appointments SET confirmed_at = ?2, updated_at = ?2
                     WHERE id = ?1 AND confirmed_at IS NULL AND status = 'booked'",
                    params![appointment_id, at],
                )?;
                if n > 0 {
                    tx.audit(
                        &entry("confirm", "appointment", appointment_id, item.patient_id)
                            .detail("reminder call"),
                    )?;
                }
            }
        }
    }
    Ok(item.patient_id)
}

fn move_due(tx: &Tx<'_>, item: &CallbackItem, date: NaiveDate, why: &str) -> Result<()> {
    tx.execute(
        "UPDATE callbacks SET due_on = ?2 WHERE id = ?1",
        params![item.id, date.format(DATE_FORMAT).to_string()],
    )?;
    tx.audit(&entry(why, "callback", item.id, item.patient_id).detail(format!("{} -> {date}", item.due_on)))?;
    Ok(())
}

fn close(tx: &Tx<'_>, item: &CallbackItem, outcome: CallbackOutcome, at: &str) -> Result<()> {
    tx.execute(
        "UPDATE callbacks SET status = 'closed', outcome = ?2, closed_at = ?3 WHERE id = ?1",
        params![item.id, outcome.code(), at],
    )?;
    tx.audit(&entry("close", "callback", item.id, item.patient_id).detail(outcome.code()))?;
    Ok(())
}

/// Moves an open callback to another date without logging a contact.
pub fn snooze(tx: &Tx<'_>, callback_id: i64, until: NaiveDate, today: NaiveDate) -> Result<()> {
    let item = get_item(tx, callback_id)?;
    if !item.open {
        return Err(StoreError::Invalid("this callback is already closed".into()));
    }
    if until < today {
        return Err(StoreError::Invalid("cannot snooze to a past date".into()));
    }
    move_due(tx, &item, until, "snooze")
}
