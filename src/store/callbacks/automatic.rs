//! The automatic callbacks of a day: planned with index range queries, applied inside the write lock.

use super::{NewCallback, open_callback};
use crate::domain::CallbackKind;
use crate::domain::DATE_FORMAT;
use crate::domain::callbacks::HAPPY_CALL_LOOKBACK_DAYS;
use crate::domain::callbacks::happy_call_due_open;
use crate::domain::callbacks::reminder_due_open;
use crate::store::Result;
use crate::store::Tx;
use crate::store::audit::Entry;
use chrono::NaiveDate;
use rusqlite::Connection;
use rusqlite::params;

/// What the automatic rules would create or withdraw today.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AutomaticPlan {
    /// (patient, appointment, appointment day): tomorrow's booked, unconfirmed appointments
    /// with no reminder yet.
    pub reminders: Vec<(i64, i64, NaiveDate)>,
    /// (patient, appointment, visit day): recent done visits of happy-call treatments with no
    /// happy call yet.
    pub happy_calls: Vec<(i64, i64, NaiveDate)>,
    /// Open reminders whose appointment no longer needs one (confirmed, cancelled, past, or
    /// moved after tomorrow):
    /// (callback, patient, contacts logged).
    pub stale_reminders: Vec<(i64, i64, i64)>,
}

impl AutomaticPlan {
    pub fn is_empty(&self) -> bool {
        self.reminders.is_empty() && self.happy_calls.is_empty() && self.stale_reminders.is_empty()
    }
}

/// Each patient's first row (rows come in the order that decides which counts) whose
/// appointment has no callback of `kind` yet: (patient, appointment, day of the appointment).
fn not_yet_made(
    has_callback: &mut rusqlite::CachedStatement<'_>,
    rows: Vec<(i64, i64, String)>,
    kind: CallbackKind,
) -> Result<Vec<(i64, i64, NaiveDate)>> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for (appointment_id, patient_id, start) in rows {
        if !seen.insert(patient_id) {
            continue;
        }
        let made: bool =
            has_callback.query_row(params![patient_id, kind.code(), appointment_id], |r| r.get(0))?;
        if !made {
            out.push((patient_id, appointment_id, day_of(&start)));
        }
    }
    Ok(out)
}

fn day_of(start: &str) -> NaiveDate {
    NaiveDate::parse_from_str(start.get(..10).unwrap_or(start), DATE_FORMAT).unwrap_or_default()
}

/// Works out the automatic callbacks for `today` with index range queries only: tomorrow's
/// appointments (appointments_by_start), the last few days' done visits (same index), the
/// callbacks already made for an appointment (callbacks_by_appointment) and the open reminders
/// (callbacks_by_status_due).
pub fn plan_automatic(conn: &Connection, today: NaiveDate) -> Result<AutomaticPlan> {
    let mut plan = AutomaticPlan::default();
    let day = |d: NaiveDate| d.format(DATE_FORMAT).to_string();
    let tomorrow = today.succ_opt().unwrap_or(today);
    // Reminders reach over the days the clinic is closed: on the last open day before a
    // Sunday or a holiday run, the visits up to the next open day are reminded.
    let cal = crate::store::settings::clinic_calendar(conn)?;
    let next_open = if cal.is_open(today) { cal.open_on_or_after(tomorrow) } else { tomorrow };
    let after = next_open.succ_opt().unwrap_or(next_open);

    let mut stale = conn.prepare_cached(
        "SELECT c.id, c.patient_id, (SELECT count(*) FROM callback_contacts x WHERE x.callback_id = c.id)
         FROM callbacks c JOIN appointments a ON a.id = c.appointment_id
         WHERE c.status = 'open' AND c.kind = 'reminder'
           AND (a.status <> 'booked' OR a.confirmed_at IS NOT NULL OR a.start < ?1 OR a.start >= ?2)",
    )?;
    // A reminder is for an appointment today or by the next open day: one moved further out gets a new
    // reminder the day before its new date.
    plan.stale_reminders = stale
        .query_map([day(today), day(after)], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;

    let mut has_callback = conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM callbacks WHERE appointment_id = ?3 AND kind = ?2 AND patient_id = ?1)",
    )?;

    // Each patient's first booked, unconfirmed appointment tomorrow (up to the next open day):
    // one reminder covers the day.
    let mut tomorrows = conn.prepare_cached(
        "SELECT id, patient_id, start FROM appointments
         WHERE start >= ?1 AND start < ?2 AND status = 'booked' AND confirmed_at IS NULL
         ORDER BY start, id",
    )?;
    let rows = tomorrows
        .query_map([day(tomorrow), day(after)], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    plan.reminders = not_yet_made(&mut has_callback, rows, CallbackKind::Reminder)?;

    // Each patient's latest done visit of a happy-call treatment in the last few days (today
    // included, so a visit marked done now shows its call for tomorrow at once).
    let from = today - chrono::Duration::days(HAPPY_CALL_LOOKBACK_DAYS);
    let mut visits = conn.prepare_cached(
        "SELECT a.id, a.patient_id, a.start FROM appointments a
         JOIN treatments t ON t.code = a.treatment_code
         WHERE a.start >= ?1 AND a.start < ?2 AND a.status = 'done' AND t.happy_call = 1
         ORDER BY a.start DESC, a.id DESC",
    )?;
    let rows = visits
        .query_map([day(from), day(tomorrow)], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    plan.happy_calls = not_yet_made(&mut has_callback, rows, CallbackKind::HappyCall)?;
    Ok(plan)
}

/// Applies today's automatic callbacks inside the write lock (see
/// `desk::callbacks::generate_automatic`): planned again here, as another terminal may have
/// done it meanwhile. Returns how many callbacks it created, merged or withdrew.
pub fn apply_automatic(tx: &Tx<'_>, today: NaiveDate) -> Result<usize> {
    let plan = plan_automatic(tx, today)?;
    let cal = crate::store::settings::clinic_calendar(tx)?;
    let now = tx.now_text();
    for &(id, patient_id, contacts) in &plan.stale_reminders {
        if contacts == 0 {
            tx.execute("DELETE FROM callbacks WHERE id = ?1", [id])?;
            tx.audit(&Entry::new("withdraw", "callback").id(id).patient(patient_id).detail("reminder"))?;
        } else {
            tx.execute(
                "UPDATE callbacks SET status = 'closed', outcome = 'done', closed_at = ?2 WHERE id = ?1",
                params![id, now],
            )?;
            tx.audit(&Entry::new("close", "callback").id(id).patient(patient_id).detail("done"))?;
        }
    }
    for &(patient_id, appointment_id, day) in &plan.reminders {
        let mut c = NewCallback::new(patient_id, CallbackKind::Reminder, reminder_due_open(&cal, day, today));
        c.appointment_id = Some(appointment_id);
        open_callback(tx, &c)?;
    }
    for &(patient_id, appointment_id, day) in &plan.happy_calls {
        let mut c = NewCallback::new(patient_id, CallbackKind::HappyCall, happy_call_due_open(&cal, day));
        c.appointment_id = Some(appointment_id);
        open_callback(tx, &c)?;
    }
    Ok(plan.stale_reminders.len() + plan.reminders.len() + plan.happy_calls.len())
}
