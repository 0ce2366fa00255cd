//! The numbers of DESIGN §4, computed in SQL over a closed range of dates.
//!
//! Every query is bounded by the period on an indexed column (appointments(status, start),
//! appointments(patient_id, start) for the per-patient look-ups, inquiries(received_at),
//! consultations(consulted_at), callbacks(due_on), complaints(raised_at)), so none of them
//! scans a whole table. Times are stored as ISO text, so a day range is `col >= 'from' AND
//! col < 'the day after to'` for dates and date-times alike.

use chrono::NaiveDate;
use rusqlite::{Connection, params};

use super::Result;

mod wait;
pub use wait::*;
mod daily;
mod filters;
pub use daily::*;
mod value;
pub use value::*;
mod records;
pub use records::*;

/// The most records a drill-down lists.
pub const RECORD_LIMIT: usize = 500;

/// `[from, to]` as the text bounds `lo` (inclusive) and `hi` (exclusive: the day after `to`).
fn bounds(from: NaiveDate, to: NaiveDate) -> (String, String) {
    let hi = to.succ_opt().unwrap_or(to);
    (from.to_string(), hi.to_string())
}

/// A rate: numerator ÷ denominator, with no value when there is nothing to divide by.
fn ratio(num: i64, den: i64) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

fn pair(conn: &Connection, sql: &str, lo: &str, hi: &str) -> Result<(i64, i64)> {
    Ok(conn.query_row(sql, params![lo, hi], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

/// `done` appointments starting in the period (uses appointments_by_status_start).
const DONE_IN_PERIOD: &str = "d.status = 'done' AND d.start >= ?1 AND d.start < ?2";

/// True for a done visit `d` after which the same patient has a later, not-cancelled
/// appointment booked no later than the end of the visit's day: `appointments.rebooked`, kept
/// by the schema's triggers (the definition is written out there), so the booking rate reads
/// appointments_by_status_start alone instead of looking ahead in every visit's history.
const REBOOKED: &str = "d.rebooked = 1";

/// True for a done visit `d` that is the patient's first done visit (for the drill-down,
/// which lists the visits themselves, newest first).
const FIRST_VISIT: &str = "NOT EXISTS (SELECT 1 FROM appointments e
        WHERE e.patient_id = d.patient_id AND e.start < d.start AND +e.status = 'done')";

/// True for a patient `p` whose first done visit falls in the period: the same patients as
/// [`FIRST_VISIT`] over [`DONE_IN_PERIOD`], read from patients_by_first_visit (the column is
/// kept by the schema's triggers) instead of checked per visit.
const FIRST_VISIT_IN_PERIOD: &str = "p.first_visit_on >= ?1 AND p.first_visit_on < ?2";

/// The person behind an inquiry `i`: the recognised patient, or the patient it booked.
/// (The look-ups keyed on it write `+a.status` so SQLite keeps to the per-patient index
/// instead of scanning every done visit since the inquiry.)
const INQUIRY_PERSON: &str =
    "coalesce(i.patient_id, (SELECT b.patient_id FROM appointments b WHERE b.id = i.appointment_id))";

fn inquiry_visited() -> String {
    format!(
        "EXISTS (SELECT 1 FROM appointments a WHERE a.patient_id = {INQUIRY_PERSON}
            AND a.start >= date(i.received_at) AND a.start < ?2 AND +a.status = 'done')"
    )
}

fn inquiry_paid() -> String {
    format!(
        "EXISTS (SELECT 1 FROM consultations c WHERE c.patient_id = {INQUIRY_PERSON}
            AND c.consulted_at >= date(i.received_at) AND c.consulted_at < ?2 AND c.status = 'accepted')"
    )
}

/// The person behind a callback `c`: its patient `p`, or for a caller who is not a patient,
/// the inquiry `i` they called with (a plain JOIN on patients would leave callers out).
const CALLBACK_PERSON: &str =
    "LEFT JOIN patients p ON p.id = c.patient_id LEFT JOIN inquiries i ON i.id = c.inquiry_id";

/// The phone of a caller who is not a patient (`p` missing), from their inquiry `i`.
const CALLER_PHONE: &str = "CASE WHEN p.id IS NULL THEN nullif(i.phone, '') END";

/// A callback `c` with a contact logged on or before its due date.
/// A text a patient did not answer (channel sms, not reached) does the work of a reminder
/// callback (the reminder was delivered) but not of a happy call, a no-show, a recall or a
/// prospect, where a call is still wanted. The callbacks' on-time rate and the queue's
/// "Done today" count a contact `cc` on a callback `c` only when this holds; an answered text
/// (reached) is a conversation and counts everywhere. Keep [`CALLED_ON_TIME`] in step.
pub const CONTACT_DOES_THE_CALLBACK: &str = "(cc.channel <> 'sms' OR cc.reached = 1 OR c.kind = 'reminder')";

/// Callback `c` had a contact by the end of its due day ([`CONTACT_DOES_THE_CALLBACK`]).
const CALLED_ON_TIME: &str = "EXISTS (SELECT 1 FROM callback_contacts cc
        WHERE cc.callback_id = c.id AND cc.contacted_at < date(c.due_on, '+1 day')
          AND (cc.channel <> 'sms' OR cc.reached = 1 OR c.kind = 'reminder'))";

/// A complaint `c` open at the end of the period: raised by then and not resolved by then.
/// `?1` is the day after the period (only the end matters).
const OPEN_AT_END: &str = "c.raised_at < ?1 AND (c.status = 'open' OR c.resolved_at >= ?1)";

/// `done` and `no_show` appointments starting in the period: the no-show rate's denominator
/// (cancellations and bookings do not count).
const ATTENDED_OR_MISSED_IN_PERIOD: &str =
    "d.status IN ('done', 'no_show') AND d.start >= ?1 AND d.start < ?2";

/// Contacts `cc` in the period with a satisfaction score (uses callback_contacts_by_time).
const SCORED_IN_PERIOD: &str =
    "cc.contacted_at >= ?1 AND cc.contacted_at < ?2 AND cc.satisfaction IS NOT NULL";
