//! Reading the queue: callback items, queue entries, contacts, a patient's callbacks, the counters.

use crate::domain::CallbackKind;
use crate::domain::DATE_FORMAT;
use crate::domain::Period;
use crate::domain::callbacks::CallbackOutcome;
use crate::domain::callbacks::ContactChannel;
use crate::domain::callbacks::Ratio;
use crate::domain::callbacks::matches_text;
use crate::domain::callbacks::queue_key;
use crate::domain::okr::Metric;
use crate::store::Result;
use crate::store::StoreError;
use chrono::Datelike;
use chrono::NaiveDate;
use rusqlite::Connection;
use rusqlite::OptionalExtension;
use rusqlite::params;

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
pub fn queue_entries(conn: &impl crate::store::Db, today: NaiveDate, text: &str) -> Result<Vec<QueueEntry>> {
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
pub fn items_by_ids(conn: &impl crate::store::Db, ids: &[i64]) -> Result<Vec<CallbackItem>> {
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

pub fn get_item(conn: &impl crate::store::Db, id: i64) -> Result<CallbackItem> {
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
pub fn contacts(conn: &impl crate::store::Db, callback_id: i64) -> Result<Vec<Contact>> {
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

pub fn counters(conn: &impl crate::store::Db, today: NaiveDate) -> Result<QueueCounters> {
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
            crate::store::metrics::CONTACT_DOES_THE_CALLBACK
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
                crate::store::metrics::rate_counts(conn, &Metric::CallbackOnTime, month.from, yesterday)?
                    .unwrap_or_default()
            }
            None => Ratio::default(),
        },
    })
}
