//! Bulk inserts for generated data (the demo clinic, benchmarks): plain rows in, SQL out.
//!
//! Everything here runs inside one [`super::Store::write`] transaction. Rows carry their own
//! ids so that a generator can link them without reading anything back. Text goes through
//! [`text::clean`] (NFC), times are stored as [`crate::domain::TIME_FORMAT`] text and dates as
//! [`DATE_FORMAT`] text, as everywhere else.

use std::borrow::Cow;

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use rusqlite::{Connection, OptionalExtension, params};
use unicode_normalization::IsNormalized;

use super::{Result, StoreError};
use crate::domain::{
    AppointmentStatus, CallbackKind, ConsultationStatus, DATE_FORMAT, InquiryOutcome, Role, Sex, Tag, phone,
    text,
};

/// Progress of long work (the demo's bulk inserts, an import's rows): the stage, the rows done
/// and the rows in all (0 when not known). The command line sets a hook that draws a bar on a
/// terminal ([`set_progress_hook`]); without one, reporting costs a branch.
pub type ProgressHook = dyn Fn(&str, u64, u64) + Send + Sync;

static PROGRESS_HOOK: std::sync::RwLock<Option<Box<ProgressHook>>> = std::sync::RwLock::new(None);

/// Sets (or with `None` removes) the process's progress hook.
pub fn set_progress_hook(hook: Option<Box<ProgressHook>>) {
    if let Ok(mut h) = PROGRESS_HOOK.write() {
        *h = hook;
    }
}

/// Reports progress to the hook, if one is set: `done` of `total` rows of `stage`.
pub fn report_progress(stage: &str, done: u64, total: u64) {
    if let Ok(h) = PROGRESS_HOOK.read() {
        if let Some(h) = h.as_ref() {
            h(stage, done, total);
        }
    }
}

/// Every few thousand rows of a bulk insert: the stage and the rows so far (total unknown).
fn progress(stage: &str, n: usize) {
    if n.is_multiple_of(4096) {
        report_progress(stage, n as u64, 0);
    }
}

pub struct StaffRow<'a> {
    pub id: i64,
    pub name: &'a str,
    pub role: Role,
    pub sort: i64,
}

pub struct PatientRow<'a> {
    pub id: i64,
    pub chart_no: &'a str,
    pub name: &'a str,
    pub phone: &'a str,
    pub birth_date: Option<NaiveDate>,
    pub sex: Option<Sex>,
    pub referral_source: Option<&'a str>,
    pub referral_channel: Option<&'a str>,
    pub referrer_id: Option<i64>,
    pub created_at: NaiveDateTime,
}

pub struct TagRow {
    pub patient_id: i64,
    pub tag: Tag,
    pub tagged_at: NaiveDateTime,
}

pub struct NoteRow<'a> {
    pub id: i64,
    pub patient_id: i64,
    pub body: &'a str,
    pub author: &'a str,
    pub created_at: NaiveDateTime,
}

pub struct AppointmentRow<'a> {
    pub id: i64,
    pub patient_id: i64,
    pub start: NaiveDateTime,
    pub duration_min: i64,
    pub provider_id: Option<i64>,
    pub treatment_code: Option<&'a str>,
    pub status: AppointmentStatus,
    pub confirmed_at: Option<NaiveDateTime>,
    pub booked_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub struct StatusChangeRow<'a> {
    pub id: i64,
    pub appointment_id: i64,
    pub from: AppointmentStatus,
    pub to: AppointmentStatus,
    pub changed_at: NaiveDateTime,
    pub changed_by: &'a str,
}

pub struct ComplaintRow<'a> {
    pub id: i64,
    pub patient_id: i64,
    pub raised_at: NaiveDateTime,
    pub category_code: &'a str,
    pub description: &'a str,
    pub owner_id: Option<i64>,
    pub plan: &'a str,
    /// `None` while the complaint is open.
    pub resolved_at: Option<NaiveDateTime>,
    pub resolution: &'a str,
}

pub struct ConsultationRow<'a> {
    pub id: i64,
    pub patient_id: i64,
    pub consulted_at: NaiveDateTime,
    pub treatment_code: Option<&'a str>,
    pub quoted_krw: Option<i64>,
    pub offered_krw: Option<i64>,
    pub status: ConsultationStatus,
    pub decided_at: Option<NaiveDateTime>,
    pub recall_on: Option<NaiveDate>,
    pub circumstances: &'a str,
    pub reaction: &'a str,
}

pub struct PackageRow<'a> {
    pub id: i64,
    pub patient_id: i64,
    pub treatment_code: &'a str,
    pub sessions: i64,
    pub price_krw: i64,
    pub purchased_on: NaiveDate,
}

/// How a closed callback ended; the stored codes of `callbacks.outcome`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallbackOutcome {
    Booked,
    Accepted,
    Declined,
    Unreachable,
    Done,
}

impl CallbackOutcome {
    pub fn code(self) -> &'static str {
        match self {
            CallbackOutcome::Booked => "booked",
            CallbackOutcome::Accepted => "accepted",
            CallbackOutcome::Declined => "declined",
            CallbackOutcome::Unreachable => "unreachable",
            CallbackOutcome::Done => "done",
        }
    }
}

pub struct CallbackRow<'a> {
    pub id: i64,
    pub patient_id: i64,
    pub kind: CallbackKind,
    pub due_on: NaiveDate,
    /// `None` while open.
    pub closed: Option<(CallbackOutcome, NaiveDateTime)>,
    pub owner_id: Option<i64>,
    pub consultation_id: Option<i64>,
    pub appointment_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub note: &'a str,
}

/// The channels of `callback_contacts.channel`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactChannel {
    Phone,
    Sms,
    Kakao,
    InPerson,
}

impl ContactChannel {
    pub fn code(self) -> &'static str {
        match self {
            ContactChannel::Phone => "phone",
            ContactChannel::Sms => "sms",
            ContactChannel::Kakao => "kakao",
            ContactChannel::InPerson => "in_person",
        }
    }
}

pub struct ContactRow<'a> {
    pub id: i64,
    pub callback_id: i64,
    pub contacted_at: NaiveDateTime,
    pub channel: ContactChannel,
    pub reached: bool,
    pub reaction: &'a str,
    pub next_plan: &'a str,
    pub by_staff: &'a str,
}

pub struct InquiryRow<'a> {
    pub id: i64,
    pub received_at: NaiveDateTime,
    pub caller_name: &'a str,
    pub phone: &'a str,
    pub patient_id: Option<i64>,
    pub contact_channel: &'a str,
    pub topic_code: Option<&'a str>,
    /// Comma-separated question kinds.
    pub questions: &'a str,
    pub referral_source: Option<&'a str>,
    pub referral_channel: Option<&'a str>,
    pub referrer_id: Option<i64>,
    pub outcome: InquiryOutcome,
    pub callback_on: Option<NaiveDate>,
    pub appointment_id: Option<i64>,
    pub note: &'a str,
    pub taken_by: &'a str,
}

pub struct HuddleRow<'a> {
    pub id: i64,
    pub held_on: NaiveDate,
    pub started_at: NaiveDateTime,
    pub length_sec: i64,
    pub notes: &'a str,
}

pub struct HuddleActionRow<'a> {
    pub id: i64,
    pub huddle_id: Option<i64>,
    pub patient_id: i64,
    pub action: &'a str,
    pub owner: &'a str,
    pub created_at: NaiveDateTime,
    pub done_at: Option<NaiveDateTime>,
}

pub struct CheckinRow<'a> {
    pub key_result_id: i64,
    pub on_date: NaiveDate,
    pub value: f64,
    pub comment: &'a str,
    pub created_at: NaiveDateTime,
}

/// A key result with the `manual` metric, which takes check-ins.
#[derive(Debug, Clone, PartialEq)]
pub struct ManualKeyResult {
    pub id: i64,
    pub title: String,
    pub unit: String,
    pub target: f64,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// Stored time text without going through chrono's formatter (millions of rows).
struct TimeText([u8; 19]);

impl TimeText {
    fn new(t: NaiveDateTime) -> TimeText {
        let mut b = *b"0000-00-00T00:00:00";
        let year = t.year().clamp(0, 9999) as u32;
        put_digits(&mut b[0..4], year);
        put_digits(&mut b[5..7], t.month());
        put_digits(&mut b[8..10], t.day());
        put_digits(&mut b[11..13], t.hour());
        put_digits(&mut b[14..16], t.minute());
        put_digits(&mut b[17..19], t.second());
        TimeText(b)
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("ASCII digits")
    }
}

struct DateText([u8; 10]);

impl DateText {
    fn new(d: NaiveDate) -> DateText {
        let mut b = *b"0000-00-00";
        put_digits(&mut b[0..4], d.year().clamp(0, 9999) as u32);
        put_digits(&mut b[5..7], d.month());
        put_digits(&mut b[8..10], d.day());
        DateText(b)
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("ASCII digits")
    }
}

fn put_digits(out: &mut [u8], mut n: u32) {
    for slot in out.iter_mut().rev() {
        *slot = b'0' + (n % 10) as u8;
        n /= 10;
    }
}

/// [`text::clean`] without the allocation when the text is already clean, as generated text
/// almost always is (millions of rows).
fn clean(s: &str) -> Cow<'_, str> {
    let trimmed = s.trim();
    if trimmed.len() == s.len() && unicode_normalization::is_nfc_quick(s.chars()) == IsNormalized::Yes {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(text::clean(s))
    }
}

fn time_opt(t: Option<NaiveDateTime>) -> Option<TimeText> {
    t.map(TimeText::new)
}

/// Tables a generator fills; they must all be empty before it starts.
const FILLED_TABLES: &[&str] = &[
    "staff",
    "patients",
    "patient_tags",
    "notes",
    "appointments",
    "patient_treatments",
    "appointment_status_changes",
    "complaints",
    "consultations",
    "packages",
    "callbacks",
    "callback_contacts",
    "inquiries",
    "huddles",
    "huddle_actions",
    "checkins",
];

/// Refuses to fill a database that already holds people or staff.
pub fn ensure_empty(conn: &Connection) -> Result<()> {
    for table in FILLED_TABLES {
        let any: Option<i64> =
            conn.query_row(&format!("SELECT 1 FROM {table} LIMIT 1"), [], |r| r.get(0)).optional()?;
        if any.is_some() {
            return Err(StoreError::Invalid(format!(
                "the demo clinic needs an empty database, but table {table} already has rows; use a new file"
            )));
        }
    }
    Ok(())
}

/// The indexes and row-counting triggers of the filled tables, dropped for a bulk load and
/// created again afterwards. Building an index once over sorted keys is much faster than
/// keeping it up to date row by row, and one update of the tamper count replaces millions of
/// trigger runs. The definitions are read back from the schema, so the file ends up exactly
/// as the migrations made it.
pub struct DroppedSchema {
    sql: Vec<String>,
    triggers: usize,
}

pub fn drop_indexes_and_triggers(conn: &Connection) -> Result<DroppedSchema> {
    let mut stmt = conn.prepare(
        "SELECT type, name, sql FROM sqlite_master
         WHERE type IN ('index', 'trigger') AND sql IS NOT NULL AND tbl_name = ?1 ORDER BY type, name",
    )?;
    let mut dropped = DroppedSchema { sql: Vec::new(), triggers: 0 };
    for table in FILLED_TABLES {
        let rows = stmt
            .query_map([table], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (kind, name, sql) in rows {
            if kind == "trigger" {
                conn.execute_batch(&format!("DROP TRIGGER \"{name}\""))?;
                dropped.triggers += 1;
            } else {
                conn.execute_batch(&format!("DROP INDEX \"{name}\""))?;
            }
            dropped.sql.push(sql);
        }
    }
    Ok(dropped)
}

/// Creates the dropped indexes and triggers again and adds the `rows_written` that the
/// triggers did not see to the tamper count, as if they had run for every row. First it sets
/// what the dropped appointments triggers would have kept: `patients.first_visit_on`,
/// `last_visit_on`, `visit_days`, `last_kept_at`, `last_missed_at`, `patient_treatments` and
/// `appointments.rebooked`.
pub fn restore_indexes_and_triggers(
    conn: &Connection,
    dropped: DroppedSchema,
    rows_written: usize,
) -> Result<()> {
    // Indexes first: the derived columns are computed in patient order, which
    // appointments_by_patient gives without sorting millions of rows; triggers last, so they
    // do not fire for that computation.
    let is_trigger = |sql: &&String| sql.trim_start().to_ascii_uppercase().starts_with("CREATE TRIGGER");
    for sql in dropped.sql.iter().filter(|s| !is_trigger(s)) {
        conn.execute_batch(sql)?;
    }
    let patients_updated = set_derived_visits(conn)?;
    for sql in dropped.sql.iter().filter(is_trigger) {
        conn.execute_batch(sql)?;
    }
    if dropped.triggers > 0 {
        conn.execute(
            "UPDATE integrity SET changes = changes + ?1 WHERE id = 1",
            [(rows_written + patients_updated) as i64],
        )?;
    }
    Ok(())
}

/// Sets every patient's first and last visit days, visit-day count and latest kept and missed
/// appointments, the done visits per
/// patient and treatment, and every appointment's `rebooked`, each in one grouped pass over
/// appointments rather than a look-up per row. Returns the rows written.
fn set_derived_visits(conn: &Connection) -> Result<usize> {
    // One grouped pass for every per-patient column (the done-visit days, the latest kept
    // and missed appointments); cancelled appointments count for none of them.
    let patients = conn.execute(
        "UPDATE patients SET first_visit_on = f.first, last_visit_on = f.last, visit_days = f.days,
                             last_kept_at = f.kept, last_missed_at = f.missed
         FROM (SELECT patient_id,
                      substr(min(CASE WHEN status = 'done' THEN start END), 1, 10) AS first,
                      substr(max(CASE WHEN status = 'done' THEN start END), 1, 10) AS last,
                      count(DISTINCT CASE WHEN status = 'done' THEN substr(start, 1, 10) END) AS days,
                      max(CASE WHEN status IN ('booked', 'arrived', 'done') THEN start END) AS kept,
                      max(CASE WHEN status = 'no_show' THEN start END) AS missed
               FROM appointments WHERE status <> 'cancelled' GROUP BY patient_id) AS f
         WHERE f.patient_id = patients.id",
        [],
    )?;
    let treatments = conn.execute(
        "INSERT INTO patient_treatments (patient_id, treatment_code, done_visits)
         SELECT patient_id, treatment_code, count(*) FROM appointments
         WHERE status = 'done' AND treatment_code IS NOT NULL GROUP BY patient_id, treatment_code",
        [],
    )?;
    // One walk over the appointments in (patient, start) order: an appointment is rebooked
    // when a later one of the same patient, not cancelled, was booked by the end of its day.
    // Reading each patient's later rows per row would be quadratic in long histories.
    let rebooked = set_rebooked(conn)?;
    Ok(patients + treatments + rebooked)
}

/// `appointments.rebooked` for every row (see the schema), computed in one ordered pass.
fn set_rebooked(conn: &Connection) -> Result<usize> {
    let mut read = conn.prepare(
        "SELECT id, patient_id, start, status, booked_at FROM appointments ORDER BY patient_id DESC, start DESC",
    )?;
    let mut rows = read.query([])?;
    let mut ids = Vec::new();
    // Per patient, walking from the latest appointment back: the earliest `booked_at` day
    // among the not-cancelled appointments that start strictly later than the current one.
    let mut patient: Option<i64> = None;
    let mut earliest_booking_later: Option<String> = None;
    // Rows sharing a start do not count for each other: they join the "later" set only once
    // the walk has passed their start.
    let mut pending_start = String::new();
    let mut pending_booking: Option<String> = None;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let patient_id: i64 = r.get(1)?;
        let start: String = r.get(2)?;
        let status: String = r.get(3)?;
        let booked_at: String = r.get(4)?;
        if patient != Some(patient_id) {
            patient = Some(patient_id);
            earliest_booking_later = None;
            pending_start.clear();
            pending_booking = None;
        }
        if start != pending_start {
            earliest_booking_later = min_text(earliest_booking_later, pending_booking.take());
            pending_start.clone_from(&start);
        }
        let day = start.get(..10).unwrap_or(&start);
        if earliest_booking_later.as_deref().is_some_and(|b| b.get(..10).unwrap_or(b) <= day) {
            ids.push(id);
        }
        if status != "cancelled" {
            pending_booking = min_text(pending_booking, Some(booked_at));
        }
    }
    let mut set = conn.prepare("UPDATE appointments SET rebooked = 1 WHERE id = ?1")?;
    let mut written = 0;
    for id in ids {
        written += set.execute([id])?;
    }
    Ok(written)
}

fn min_text(a: Option<String>, b: Option<String>) -> Option<String> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Connection settings changed for a bulk load, to be put back by [`end_bulk_settings`].
pub struct BulkSettings {
    cache_size: i64,
    threads: i64,
}

/// Gives this connection a large page cache (in KiB) and helper threads for sorting while
/// indexes are built. Both are per-connection and not stored in the file.
pub fn begin_bulk_settings(conn: &Connection, cache_kib: i64) -> Result<BulkSettings> {
    let cache_size: i64 = conn.pragma_query_value(None, "cache_size", |r| r.get(0))?;
    let threads: i64 = conn.pragma_query_value(None, "threads", |r| r.get(0))?;
    conn.pragma_update(None, "cache_size", -cache_kib.abs())?;
    let cores = std::thread::available_parallelism().map(|n| n.get() as i64).unwrap_or(1);
    conn.pragma_update(None, "threads", cores.clamp(1, 4))?;
    Ok(BulkSettings { cache_size, threads })
}

pub fn end_bulk_settings(conn: &Connection, settings: BulkSettings) -> Result<()> {
    conn.pragma_update(None, "cache_size", settings.cache_size)?;
    conn.pragma_update(None, "threads", settings.threads)?;
    Ok(())
}

/// Turns foreign-key enforcement off or on for this connection. SQLite ignores this inside a
/// transaction, so it is called around [`super::Store::write`]. A generator that builds its
/// links itself can load without the per-row parent look-ups and then ask
/// [`foreign_key_violations`] (or `frontdesk check`) to confirm.
pub fn set_foreign_keys(conn: &Connection, on: bool) -> Result<()> {
    conn.pragma_update(None, "foreign_keys", if on { "ON" } else { "OFF" })?;
    Ok(())
}

/// How many rows `PRAGMA foreign_key_check` reports.
pub fn foreign_key_violations(conn: &Connection) -> Result<usize> {
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let mut rows = stmt.query([])?;
    let mut n = 0;
    while rows.next()?.is_some() {
        n += 1;
    }
    Ok(n)
}

/// Sets (or replaces) settings.
pub fn put_settings(conn: &Connection, settings: &[(&str, String)]) -> Result<()> {
    let mut stmt = conn.prepare(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?;
    for (key, value) in settings {
        stmt.execute(params![key, clean(value)])?;
    }
    Ok(())
}

/// The key results measured by check-ins, with their objective's period.
pub fn manual_key_results(conn: &Connection) -> Result<Vec<ManualKeyResult>> {
    let mut stmt = conn.prepare(
        "SELECT k.id, k.title, k.unit, k.target, o.from_date, o.to_date
         FROM key_results k JOIN objectives o ON o.id = k.objective_id
         WHERE k.metric = 'manual' ORDER BY o.sort, o.id, k.sort, k.id",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, f64>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::new();
    for (id, title, unit, target, from, to) in rows {
        let parse = |s: &str| {
            NaiveDate::parse_from_str(s, DATE_FORMAT).map_err(|_| {
                StoreError::Invalid(format!("objective of key result {id} has a bad date {s:?}"))
            })
        };
        out.push(ManualKeyResult { id, title, unit, target, from: parse(&from)?, to: parse(&to)? });
    }
    Ok(out)
}

pub fn insert_staff<'a>(conn: &Connection, rows: impl IntoIterator<Item = StaffRow<'a>>) -> Result<usize> {
    let mut stmt =
        conn.prepare("INSERT INTO staff (id, name, role, active, sort) VALUES (?1, ?2, ?3, 1, ?4)")?;
    let mut n = 0;
    for r in rows {
        stmt.execute(params![r.id, clean(r.name), r.role.code(), r.sort])?;
        n += 1;
        progress("staff", n);
    }
    Ok(n)
}

/// Patients; `name_initials` and `phone_digits` are derived here.
pub fn insert_patients<'a>(
    conn: &Connection,
    rows: impl IntoIterator<Item = PatientRow<'a>>,
) -> Result<usize> {
    let mut stmt = conn.prepare(
        "INSERT INTO patients (id, chart_no, name, name_initials, phone, phone_digits, birth_date, sex,
                               referral_source, referral_channel, referrer_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?;
    let mut n = 0;
    for r in rows {
        let name = text::clean_line(r.name);
        let phone_text = text::clean_line(r.phone);
        let birth = r.birth_date.map(DateText::new);
        stmt.execute(params![
            r.id,
            text::chart_no(r.chart_no),
            name,
            text::initials(&name),
            phone_text,
            phone::digits_of(&phone_text),
            birth.as_ref().map(|d| d.as_str()),
            r.sex.map(|s| s.code()),
            r.referral_source,
            r.referral_channel,
            r.referrer_id,
            TimeText::new(r.created_at).as_str(),
        ])?;
        n += 1;
        progress("patients", n);
    }
    Ok(n)
}

pub fn insert_tags(conn: &Connection, rows: impl IntoIterator<Item = TagRow>) -> Result<usize> {
    let mut stmt =
        conn.prepare("INSERT INTO patient_tags (patient_id, tag, tagged_at) VALUES (?1, ?2, ?3)")?;
    let mut n = 0;
    for r in rows {
        stmt.execute(params![r.patient_id, r.tag.code(), TimeText::new(r.tagged_at).as_str()])?;
        n += 1;
        progress("tags", n);
    }
    Ok(n)
}

pub fn insert_notes<'a>(conn: &Connection, rows: impl IntoIterator<Item = NoteRow<'a>>) -> Result<usize> {
    let mut stmt = conn.prepare(
        "INSERT INTO notes (id, patient_id, body, author, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut n = 0;
    for r in rows {
        stmt.execute(params![
            r.id,
            r.patient_id,
            clean(r.body),
            clean(r.author),
            TimeText::new(r.created_at).as_str()
        ])?;
        n += 1;
        progress("notes", n);
    }
    Ok(n)
}

pub fn insert_appointments<'a>(
    conn: &Connection,
    rows: impl IntoIterator<Item = AppointmentRow<'a>>,
) -> Result<usize> {
    let mut stmt = conn.prepare(
        "INSERT INTO appointments (id, patient_id, start, duration_min, provider_id, treatment_code, status,
                                   confirmed_at, booked_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    let mut n = 0;
    for r in rows {
        let confirmed = time_opt(r.confirmed_at);
        stmt.execute(params![
            r.id,
            r.patient_id,
            TimeText::new(r.start).as_str(),
            r.duration_min,
            r.provider_id,
            r.treatment_code,
            r.status.code(),
            confirmed.as_ref().map(|t| t.as_str()),
            TimeText::new(r.booked_at).as_str(),
            TimeText::new(r.updated_at).as_str(),
        ])?;
        n += 1;
        progress("appointments", n);
    }
    Ok(n)
}

pub fn insert_status_changes<'a>(
    conn: &Connection,
    rows: impl IntoIterator<Item = StatusChangeRow<'a>>,
) -> Result<usize> {
    let mut stmt = conn.prepare(
        "INSERT INTO appointment_status_changes (id, appointment_id, from_status, to_status, changed_at, changed_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    let mut n = 0;
    for r in rows {
        stmt.execute(params![
            r.id,
            r.appointment_id,
            r.from.code(),
            r.to.code(),
            TimeText::new(r.changed_at).as_str(),
            clean(r.changed_by)
        ])?;
        n += 1;
        progress("status_changes", n);
    }
    Ok(n)
}

pub fn insert_complaints<'a>(
    conn: &Connection,
    rows: impl IntoIterator<Item = ComplaintRow<'a>>,
) -> Result<usize> {
    let mut stmt = conn.prepare(
        "INSERT INTO complaints (id, patient_id, raised_at, category_code, description, owner_id, plan, status,
                                 resolved_at, resolution)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    let mut n = 0;
    for r in rows {
        let resolved = time_opt(r.resolved_at);
        stmt.execute(params![
            r.id,
            r.patient_id,
            TimeText::new(r.raised_at).as_str(),
            r.category_code,
            clean(r.description),
            r.owner_id,
            clean(r.plan),
            if r.resolved_at.is_some() { "resolved" } else { "open" },
            resolved.as_ref().map(|t| t.as_str()),
            clean(r.resolution),
        ])?;
        n += 1;
        progress("complaints", n);
    }
    Ok(n)
}

pub fn insert_consultations<'a>(
    conn: &Connection,
    rows: impl IntoIterator<Item = ConsultationRow<'a>>,
) -> Result<usize> {
    let mut stmt = conn.prepare(
        "INSERT INTO consultations (id, patient_id, consulted_at, treatment_code, quoted_krw, offered_krw, status,
                                    decided_at, recall_on, circumstances, reaction)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    let mut n = 0;
    for r in rows {
        let decided = time_opt(r.decided_at);
        let recall = r.recall_on.map(DateText::new);
        stmt.execute(params![
            r.id,
            r.patient_id,
            TimeText::new(r.consulted_at).as_str(),
            r.treatment_code,
            r.quoted_krw,
            r.offered_krw,
            r.status.code(),
            decided.as_ref().map(|t| t.as_str()),
            recall.as_ref().map(|d| d.as_str()),
            clean(r.circumstances),
            clean(r.reaction),
        ])?;
        n += 1;
        progress("consultations", n);
    }
    Ok(n)
}

pub fn insert_packages<'a>(
    conn: &Connection,
    rows: impl IntoIterator<Item = PackageRow<'a>>,
) -> Result<usize> {
    let mut stmt = conn.prepare(
        "INSERT INTO packages (id, patient_id, treatment_code, sessions, price_krw, purchased_on)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    let mut n = 0;
    for r in rows {
        stmt.execute(params![
            r.id,
            r.patient_id,
            r.treatment_code,
            r.sessions,
            r.price_krw,
            DateText::new(r.purchased_on).as_str()
        ])?;
        n += 1;
        progress("packages", n);
    }
    Ok(n)
}

pub fn insert_callbacks<'a>(
    conn: &Connection,
    rows: impl IntoIterator<Item = CallbackRow<'a>>,
) -> Result<usize> {
    let mut stmt = conn.prepare(
        "INSERT INTO callbacks (id, patient_id, kind, due_on, status, outcome, owner_id, consultation_id,
                                appointment_id, created_at, closed_at, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?;
    let mut n = 0;
    for r in rows {
        let closed_at = r.closed.map(|(_, t)| TimeText::new(t));
        stmt.execute(params![
            r.id,
            r.patient_id,
            r.kind.code(),
            DateText::new(r.due_on).as_str(),
            if r.closed.is_some() { "closed" } else { "open" },
            r.closed.map(|(o, _)| o.code()),
            r.owner_id,
            r.consultation_id,
            r.appointment_id,
            TimeText::new(r.created_at).as_str(),
            closed_at.as_ref().map(|t| t.as_str()),
            clean(r.note),
        ])?;
        n += 1;
        progress("callbacks", n);
    }
    Ok(n)
}

pub fn insert_contacts<'a>(
    conn: &Connection,
    rows: impl IntoIterator<Item = ContactRow<'a>>,
) -> Result<usize> {
    let mut stmt = conn.prepare(
        "INSERT INTO callback_contacts (id, callback_id, contacted_at, channel, reached, reaction, next_plan, by_staff)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    let mut n = 0;
    for r in rows {
        stmt.execute(params![
            r.id,
            r.callback_id,
            TimeText::new(r.contacted_at).as_str(),
            r.channel.code(),
            r.reached,
            clean(r.reaction),
            clean(r.next_plan),
            clean(r.by_staff),
        ])?;
        n += 1;
        progress("contacts", n);
    }
    Ok(n)
}

/// Inquiries; `phone_digits` is derived here.
pub fn insert_inquiries<'a>(
    conn: &Connection,
    rows: impl IntoIterator<Item = InquiryRow<'a>>,
) -> Result<usize> {
    let mut stmt = conn.prepare(
        "INSERT INTO inquiries (id, received_at, caller_name, phone, phone_digits, patient_id, contact_channel,
                                topic_code, questions, referral_source, referral_channel, referrer_id, outcome,
                                callback_on, appointment_id, note, taken_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
    )?;
    let mut n = 0;
    for r in rows {
        let phone_text = clean(r.phone);
        let callback_on = r.callback_on.map(DateText::new);
        stmt.execute(params![
            r.id,
            TimeText::new(r.received_at).as_str(),
            clean(r.caller_name),
            phone_text,
            phone::digits_of(&phone_text),
            r.patient_id,
            r.contact_channel,
            r.topic_code,
            r.questions,
            r.referral_source,
            r.referral_channel,
            r.referrer_id,
            r.outcome.code(),
            callback_on.as_ref().map(|d| d.as_str()),
            r.appointment_id,
            clean(r.note),
            clean(r.taken_by),
        ])?;
        n += 1;
        progress("inquiries", n);
    }
    Ok(n)
}

pub fn insert_huddles<'a>(conn: &Connection, rows: impl IntoIterator<Item = HuddleRow<'a>>) -> Result<usize> {
    let mut stmt = conn.prepare(
        "INSERT INTO huddles (id, held_on, started_at, length_sec, notes) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut n = 0;
    for r in rows {
        stmt.execute(params![
            r.id,
            DateText::new(r.held_on).as_str(),
            TimeText::new(r.started_at).as_str(),
            r.length_sec,
            clean(r.notes)
        ])?;
        n += 1;
        progress("huddles", n);
    }
    Ok(n)
}

pub fn insert_huddle_actions<'a>(
    conn: &Connection,
    rows: impl IntoIterator<Item = HuddleActionRow<'a>>,
) -> Result<usize> {
    let mut stmt = conn.prepare(
        "INSERT INTO huddle_actions (id, huddle_id, patient_id, action, owner, created_at, done_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    let mut n = 0;
    for r in rows {
        let done = time_opt(r.done_at);
        stmt.execute(params![
            r.id,
            r.huddle_id,
            r.patient_id,
            clean(r.action),
            clean(r.owner),
            TimeText::new(r.created_at).as_str(),
            done.as_ref().map(|t| t.as_str()),
        ])?;
        n += 1;
        progress("huddle_actions", n);
    }
    Ok(n)
}

pub fn insert_checkins<'a>(
    conn: &Connection,
    rows: impl IntoIterator<Item = CheckinRow<'a>>,
) -> Result<usize> {
    let mut stmt = conn.prepare(
        "INSERT INTO checkins (key_result_id, on_date, value, comment, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut n = 0;
    for r in rows {
        stmt.execute(params![
            r.key_result_id,
            DateText::new(r.on_date).as_str(),
            r.value,
            clean(r.comment),
            TimeText::new(r.created_at).as_str()
        ])?;
        n += 1;
        progress("checkins", n);
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::TIME_FORMAT;

    #[test]
    fn clean_fast_path_agrees_with_text_clean() {
        for s in ["홍길동", " 홍길동 ", "\u{1112}\u{1169}\u{11BC}", "Chloé Martin", "Chloe\u{301}", ""]
        {
            assert_eq!(clean(s), text::clean(s), "{s:?}");
        }
    }

    #[test]
    fn time_text_matches_the_stored_format() {
        let t = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap().and_hms_opt(9, 3, 7).unwrap();
        assert_eq!(TimeText::new(t).as_str(), t.format(TIME_FORMAT).to_string());
        let d = NaiveDate::from_ymd_opt(987, 12, 31).unwrap();
        assert_eq!(DateText::new(d).as_str(), d.format(DATE_FORMAT).to_string());
    }
}
