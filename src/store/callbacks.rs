//! Callbacks: the one queue of people to call. Creation rules from other screens (no-show,
//! undecided consultation, happy call, inquiry "call back") all go through `open_callback`.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, params};

use super::audit::Entry;
use super::{Result, StoreError, Tx, consultations};
use crate::domain::callbacks::{
    CallbackOutcome, ContactChannel, HAPPY_CALL_LOOKBACK_DAYS, Ratio, happy_call_due_open, matches_text,
    outcomes_for, queue_key, reminder_due_open,
};
use crate::domain::okr::Metric;
use crate::domain::text::clean;
use crate::domain::{CallbackKind, ConsultationStatus, DATE_FORMAT, Period, TIME_FORMAT};

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

/// One callback as the queue, the detail view and the patient card show it.
#[derive(Debug, Clone, PartialEq)]
pub struct CallbackItem {
    pub id: i64,
    /// None for a caller who is not a patient yet: `name` and `phone` are the inquiry's and
    /// `chart_no` is empty.
    pub patient_id: Option<i64>,
    /// The call of a caller without a chart.
    pub inquiry_id: Option<i64>,
    pub chart_no: String,
    pub name: String,
    pub phone: String,
    pub kind: CallbackKind,
    pub due_on: NaiveDate,
    pub open: bool,
    pub outcome: Option<CallbackOutcome>,
    pub owner_id: Option<i64>,
    pub consultation_id: Option<i64>,
    pub appointment_id: Option<i64>,
    /// The consultation's treatment, else the appointment's, else what a caller asked about.
    pub treatment_code: Option<String>,
    pub quoted_krw: Option<i64>,
    pub offered_krw: Option<i64>,
    pub circumstances: String,
    pub consulted_at: Option<String>,
    pub appointment_start: Option<String>,
    pub note: String,
    pub created_at: String,
    pub closed_at: Option<String>,
    /// Contacts logged so far.
    pub attempts: i64,
    /// What the person said last (the latest contact's reaction, else the consultation's).
    pub last_reaction: String,
    pub last_plan: String,
}

const ITEM_SELECT: &str =
    "SELECT c.id, c.patient_id, coalesce(p.chart_no, ''), coalesce(p.name, q.caller_name, ''),
        coalesce(p.phone, q.phone, ''), c.kind, c.due_on, c.status, c.outcome,
        c.owner_id, c.consultation_id, c.appointment_id, coalesce(k.treatment_code, a.treatment_code, q.topic_code),
        k.quoted_krw, k.offered_krw, coalesce(k.circumstances, ''), k.consulted_at, a.start, c.note,
        c.created_at, c.closed_at,
        (SELECT count(*) FROM callback_contacts x WHERE x.callback_id = c.id),
        coalesce((SELECT x.reaction FROM callback_contacts x WHERE x.callback_id = c.id AND x.reaction <> ''
                  ORDER BY x.contacted_at DESC, x.id DESC LIMIT 1), k.reaction, ''),
        coalesce((SELECT x.next_plan FROM callback_contacts x WHERE x.callback_id = c.id
                  ORDER BY x.contacted_at DESC, x.id DESC LIMIT 1), ''),
        c.inquiry_id
     FROM callbacks c
     LEFT JOIN patients p ON p.id = c.patient_id
     LEFT JOIN inquiries q ON q.id = c.inquiry_id
     LEFT JOIN consultations k ON k.id = c.consultation_id
     LEFT JOIN appointments a ON a.id = c.appointment_id";

fn item_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<CallbackItem> {
    let kind: String = r.get(5)?;
    let due: String = r.get(6)?;
    let status: String = r.get(7)?;
    let outcome: Option<String> = r.get(8)?;
    Ok(CallbackItem {
        id: r.get(0)?,
        patient_id: r.get(1)?,
        inquiry_id: r.get(24)?,
        chart_no: r.get(2)?,
        name: r.get(3)?,
        phone: r.get(4)?,
        kind: CallbackKind::parse(&kind).unwrap_or(CallbackKind::Recall),
        due_on: NaiveDate::parse_from_str(&due, DATE_FORMAT).unwrap_or_default(),
        open: status == "open",
        outcome: outcome.and_then(|o| CallbackOutcome::parse(&o)),
        owner_id: r.get(9)?,
        consultation_id: r.get(10)?,
        appointment_id: r.get(11)?,
        treatment_code: r.get(12)?,
        quoted_krw: r.get(13)?,
        offered_krw: r.get(14)?,
        circumstances: r.get(15)?,
        consulted_at: r.get(16)?,
        appointment_start: r.get(17)?,
        note: r.get(18)?,
        created_at: r.get(19)?,
        closed_at: r.get(20)?,
        attempts: r.get(21)?,
        last_reaction: r.get(22)?,
        last_plan: r.get(23)?,
    })
}

/// Every open callback, in queue order: overdue first, then due today, then upcoming; within
/// each by due date, then kind. Loads every item whole: for tests and small lists; the
/// Callbacks tab reads [`queue_entries`] and then [`items_by_ids`] for the rows around the
/// selection.
pub fn open_queue(conn: &Connection, today: NaiveDate) -> Result<Vec<CallbackItem>> {
    let ids: Vec<i64> = queue_entries(conn, today, "")?.iter().map(|e| e.id).collect();
    items_by_ids(conn, &ids)
}

/// An open callback's place in the queue: what the order and the kind and owner filters need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueEntry {
    pub id: i64,
    pub kind: CallbackKind,
    pub due_on: NaiveDate,
    pub owner_id: Option<i64>,
}

fn entry_of(id: i64, kind: &str, due: &str, owner_id: Option<i64>) -> QueueEntry {
    QueueEntry {
        id,
        kind: CallbackKind::parse(kind).unwrap_or(CallbackKind::Recall),
        due_on: NaiveDate::parse_from_str(due, DATE_FORMAT).unwrap_or_default(),
        owner_id,
    }
}

/// Every open callback's queue entry, in queue order (`domain::callbacks::queue_key`), read
/// from `callbacks_by_status_due` alone. With `text` (the tab's `/` filter) only those whose
/// patient matches it (`domain::callbacks::matches_text`); then each open callback's row and
/// its patient are read by primary key.
pub fn queue_entries(conn: &impl super::Db, today: NaiveDate, text: &str) -> Result<Vec<QueueEntry>> {
    let conn = conn.db();
    let mut entries = Vec::new();
    if text.trim().is_empty() {
        let mut stmt = conn.prepare_cached(
            "SELECT id, kind, due_on, owner_id FROM callbacks WHERE status = 'open' ORDER BY due_on",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (kind, due): (String, String) = (r.get(1)?, r.get(2)?);
            entries.push(entry_of(r.get(0)?, &kind, &due, r.get(3)?));
        }
    } else {
        let mut stmt = conn.prepare_cached(
            "SELECT c.id, c.kind, c.due_on, c.owner_id, coalesce(p.name, q.caller_name, ''),
                    coalesce(p.chart_no, ''), coalesce(p.phone, q.phone, '')
             FROM callbacks c LEFT JOIN patients p ON p.id = c.patient_id
             LEFT JOIN inquiries q ON q.id = c.inquiry_id
             WHERE c.status = 'open' ORDER BY c.due_on",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (name, chart_no, phone): (String, String, String) = (r.get(4)?, r.get(5)?, r.get(6)?);
            if matches_text(text, &name, &chart_no, &phone) {
                let (kind, due): (String, String) = (r.get(1)?, r.get(2)?);
                entries.push(entry_of(r.get(0)?, &kind, &due, r.get(3)?));
            }
        }
    }
    entries.sort_by_key(|e| queue_key(e.due_on, e.kind, e.id, today));
    Ok(entries)
}

/// The callbacks with these ids, whole, in the order of `ids` (ids that no longer exist are
/// left out).
pub fn items_by_ids(conn: &impl super::Db, ids: &[i64]) -> Result<Vec<CallbackItem>> {
    let conn = conn.db();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    // One statement for the whole window: the ids go in as a JSON array.
    let list = format!("[{}]", ids.iter().map(|id| id.to_string()).collect::<Vec<_>>().join(","));
    let mut stmt =
        conn.prepare_cached(&format!("{ITEM_SELECT} WHERE c.id IN (SELECT value FROM json_each(?1))"))?;
    let mut by_id: std::collections::HashMap<i64, CallbackItem> = stmt
        .query_map([list], item_from_row)?
        .map(|r| r.map(|c| (c.id, c)))
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}

pub fn get_item(conn: &impl super::Db, id: i64) -> Result<CallbackItem> {
    let conn = conn.db();
    conn.query_row(&format!("{ITEM_SELECT} WHERE c.id = ?1"), [id], item_from_row)
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("callback {id}")))
}

/// One logged call or message.
#[derive(Debug, Clone, PartialEq)]
pub struct Contact {
    pub id: i64,
    pub contacted_at: String,
    pub channel: ContactChannel,
    pub reached: bool,
    pub reaction: String,
    pub next_plan: String,
    pub by_staff: String,
}

/// A callback's contacts, oldest first.
pub fn contacts(conn: &impl super::Db, callback_id: i64) -> Result<Vec<Contact>> {
    let conn = conn.db();
    let mut stmt = conn.prepare_cached(
        "SELECT id, contacted_at, channel, reached, reaction, next_plan, by_staff FROM callback_contacts
         WHERE callback_id = ?1 ORDER BY contacted_at, id",
    )?;
    let rows = stmt
        .query_map([callback_id], |r| {
            let channel: String = r.get(2)?;
            Ok(Contact {
                id: r.get(0)?,
                contacted_at: r.get(1)?,
                channel: ContactChannel::parse(&channel).unwrap_or(ContactChannel::Phone),
                reached: r.get(3)?,
                reaction: r.get(4)?,
                next_plan: r.get(5)?,
                by_staff: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// A callback with its whole history.
#[derive(Debug, Clone, PartialEq)]
pub struct CallbackHistory {
    pub item: CallbackItem,
    pub contacts: Vec<Contact>,
}

/// A patient's callbacks, open and closed, newest due first, each with its contacts (for the
/// patient card).
pub fn for_patient(conn: &Connection, patient_id: i64) -> Result<Vec<CallbackHistory>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{ITEM_SELECT} WHERE c.patient_id = ?1 ORDER BY c.status = 'open' DESC, c.due_on DESC, c.id DESC"
    ))?;
    let items = stmt.query_map([patient_id], item_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    items.into_iter().map(|item| Ok(CallbackHistory { contacts: contacts(conn, item.id)?, item })).collect()
}

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
    let cal = super::settings::clinic_calendar(conn)?;
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
    let cal = super::settings::clinic_calendar(tx)?;
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

/// Prospect conversion: prospect callbacks closed in the period as booked or accepted ÷
/// prospect callbacks closed in the period.
pub fn prospect_conversion(conn: &Connection, period: Period) -> Result<Ratio> {
    let (from, to) = period.time_bounds();
    let (converted, total): (i64, i64) = conn.query_row(
        "SELECT coalesce(sum(outcome IN ('booked', 'accepted')), 0), count(*) FROM callbacks
         WHERE closed_at >= ?1 AND closed_at < ?2 AND kind = 'prospect'",
        params![from, to],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(Ratio::new(converted, total))
}

/// The counters at the top of the Callbacks tab.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct QueueCounters {
    pub due_today: i64,
    pub overdue: i64,
    /// Callbacks with a contact logged today.
    pub done_today: i64,
    /// Prospect conversion this month.
    pub conversion: Ratio,
    /// `callback_on_time` this month through yesterday (store::metrics; a rate is judged
    /// through the last finished day, DESIGN §4): called on time / fell due. 0/0 (shown "-")
    /// on the first of the month or when nothing fell due, never 0%.
    pub on_time: Ratio,
}

pub fn counters(conn: &impl super::Db, today: NaiveDate) -> Result<QueueCounters> {
    let conn = conn.db();
    let t = today.format(DATE_FORMAT).to_string();
    let (due_today, overdue): (i64, i64) = conn.query_row(
        "SELECT coalesce(sum(due_on = ?1), 0), coalesce(sum(due_on < ?1), 0) FROM callbacks
         WHERE status = 'open' AND due_on <= ?1",
        [&t],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let (from, to) = Period::new(today, today).time_bounds();
    // A text nobody answered does not make a happy call (or a no-show, recall, prospect) done.
    let done_today: i64 = conn.query_row(
        &format!(
            "SELECT count(DISTINCT cc.callback_id) FROM callback_contacts cc JOIN callbacks c ON c.id = cc.callback_id
             WHERE cc.contacted_at >= ?1 AND cc.contacted_at < ?2 AND {}",
            super::metrics::CONTACT_DOES_THE_CALLBACK
        ),
        params![from, to],
        |r| r.get(0),
    )?;
    let month = Period::new(today.with_day(1).unwrap_or(today), today);
    Ok(QueueCounters {
        due_today,
        overdue,
        done_today,
        conversion: prospect_conversion(conn, month)?,
        on_time: match today.pred_opt() {
            Some(yesterday) => {
                super::metrics::rate_counts(conn, &Metric::CallbackOnTime, month.from, yesterday)?
                    .unwrap_or_default()
            }
            None => Ratio::default(),
        },
    })
}
