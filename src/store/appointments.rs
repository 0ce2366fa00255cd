//! Appointments: booking, status changes and their undo, the day's list. The desk's use
//! cases over them (a no-show opens a rebooking call, booking registers and links its call)
//! are in `desk::appointments`.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, params};

use super::audit::Entry;
use super::{Result, StoreError, Tx};
use crate::domain::schedule::{can_change, usual_interval_days};
use crate::domain::{AppointmentStatus, CallbackKind, DATE_FORMAT, Sex, TIME_FORMAT, Tag};

mod day;
pub use day::*;

/// `appointments.rebooked`, the booking rate's numerator (DESIGN §4), as an SQL expression
/// over the row `appointments`: a later appointment of the same patient, not cancelled, was
/// booked by the end of this one's day. The one definition: the schema's
/// `appointments_rebooked_*` triggers spell exactly this (a unit test holds them to it), the
/// test oracle (`tests/common` `derived_out_of_step`) checks every row against it, and the bulk
/// load (`bulk::set_derived_visits`) computes the same in one ordered pass.
pub const REBOOKED_SQL: &str = "EXISTS (SELECT 1 FROM appointments n \
     WHERE n.patient_id = appointments.patient_id AND n.start > appointments.start \
     AND n.status <> 'cancelled' AND n.booked_at < date(appointments.start, '+1 day'))";

#[derive(Debug, Clone, PartialEq)]
pub struct NewAppointment {
    pub patient_id: i64,
    pub start: NaiveDateTime,
    pub duration_min: i64,
    pub provider_id: Option<i64>,
    pub treatment_code: Option<String>,
}

/// Books an appointment (status `booked`, booked now); audits.
pub fn insert_appointment(tx: &Tx<'_>, a: &NewAppointment) -> Result<i64> {
    if a.duration_min <= 0 {
        return Err(StoreError::Invalid("duration must be positive".into()));
    }
    let now = tx.now_text();
    tx.execute(
        "INSERT INTO appointments (patient_id, start, duration_min, provider_id, treatment_code, status, booked_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, 'booked', ?6, ?6)",
        params![a.patient_id, a.start.format(TIME_FORMAT).to_string(), a.duration_min, a.provider_id, a.treatment_code, now],
    )?;
    let id = tx.last_insert_rowid();
    tx.audit(
        &Entry::new("create", "appointment")
            .id(id)
            .patient(a.patient_id)
            .detail(a.start.format(TIME_FORMAT).to_string()),
    )?;
    Ok(id)
}

/// The patient's not-cancelled appointments overlapping [start, start + duration), for the
/// double-booking warning.
pub fn overlapping(
    conn: &rusqlite::Connection,
    patient_id: i64,
    start: NaiveDateTime,
    duration_min: i64,
    except_id: Option<i64>,
) -> Result<Vec<(i64, String)>> {
    let end = start + chrono::Duration::minutes(duration_min);
    // Appointments are short; looking back 12 hours bounds the index range.
    let from = (start - chrono::Duration::hours(12)).format(TIME_FORMAT).to_string();
    let found = still_running_at(
        conn,
        "SELECT id, start, duration_min FROM appointments
         WHERE patient_id = ?1 AND start >= ?2 AND start < ?3 AND status NOT IN ('cancelled', 'no_show')",
        params![patient_id, from, end.format(TIME_FORMAT).to_string()],
        start,
        except_id,
    )?;
    Ok(found.into_iter().map(|(id, text, _)| (id, text)).collect())
}

/// The appointments `sql` selects (id, start, duration_min) that are still running at `start`
/// (`except_id` aside): their ids, start texts and starts.
fn still_running_at(
    conn: &rusqlite::Connection,
    sql: &str,
    args: impl rusqlite::Params,
    start: NaiveDateTime,
    except_id: Option<i64>,
) -> Result<Vec<(i64, String, NaiveDateTime)>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows =
        stmt.query_map(args, |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (id, text, minutes) = row?;
        if Some(id) == except_id {
            continue;
        }
        if let Ok(st) = NaiveDateTime::parse_from_str(&text, TIME_FORMAT)
            && st + chrono::Duration::minutes(minutes) > start
        {
            out.push((id, text, st));
        }
    }
    Ok(out)
}

/// One row of the day's list, with everything the desk reads at a glance.
#[derive(Debug, Clone, PartialEq)]
pub struct DayRow {
    pub id: i64,
    pub start: NaiveDateTime,
    pub duration_min: i64,
    pub status: AppointmentStatus,
    pub confirmed: bool,
    pub provider_id: Option<i64>,
    pub treatment_code: Option<String>,
    pub patient_id: i64,
    pub chart_no: String,
    pub name: String,
    pub phone: String,
    pub birth_date: Option<NaiveDate>,
    pub sex: Option<Sex>,
    pub tags: Vec<Tag>,
    pub open_complaint: bool,
    pub callback_due: bool,
    pub first_visit: bool,
    /// How many patients name this one as their referrer.
    pub referred: i64,
    pub huddle_action: bool,
    /// The latest post-it note, whole (the screen shows its first line).
    pub note: String,
}

/// Other patients' live appointments with `provider_id` overlapping [start, start + duration)
/// (the moved appointment `except_id` and the patient's own visits aside): their starts, for
/// the provider-busy warning.
pub fn provider_overlapping(
    conn: &impl super::Db,
    provider_id: i64,
    start: NaiveDateTime,
    duration_min: i64,
    except_id: Option<i64>,
    patient_id: Option<i64>,
) -> Result<Vec<NaiveDateTime>> {
    let end = start + chrono::Duration::minutes(duration_min);
    let from = (start - chrono::Duration::hours(12)).format(TIME_FORMAT).to_string();
    let found = still_running_at(
        conn.db(),
        "SELECT id, start, duration_min FROM appointments
         WHERE start >= ?1 AND start < ?2 AND provider_id = ?3 AND status NOT IN ('cancelled', 'no_show')
           AND patient_id IS NOT ?4",
        params![from, end.format(TIME_FORMAT).to_string(), provider_id, patient_id],
        start,
        except_id,
    )?;
    Ok(found.into_iter().map(|(_, _, st)| st).collect())
}

/// Live appointments of a treatment starting in [from, from + 1 hour), `except_id` aside.
pub fn treatment_count_in_hour(
    conn: &impl super::Db,
    treatment_code: &str,
    from: NaiveDateTime,
    except_id: Option<i64>,
) -> Result<i64> {
    let to = from + chrono::Duration::hours(1);
    Ok(conn.db().query_row(
        "SELECT count(*) FROM appointments
         WHERE start >= ?1 AND start < ?2 AND treatment_code = ?3 AND status NOT IN ('cancelled', 'no_show')
           AND id IS NOT ?4",
        params![
            from.format(TIME_FORMAT).to_string(),
            to.format(TIME_FORMAT).to_string(),
            treatment_code,
            except_id
        ],
        |r| r.get(0),
    )?)
}

/// A treatment's hourly cap and its label (`None` cap: no cap, or no such treatment).
pub fn treatment_hourly_cap(conn: &impl super::Db, code: &str) -> Result<Option<(i64, String, String)>> {
    Ok(conn
        .db()
        .query_row(
            "SELECT hourly_cap, label_ko, label_en FROM treatments WHERE code = ?1 AND hourly_cap IS NOT NULL",
            [code],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?)
}

/// The appointments starting on `day`, in time order, with the patient's stickers and flags.
/// Reads one day through `appointments_by_start`; each flag is an indexed lookup per row
/// (a unary `+` keeps the planner on the per-patient index where a status index would
/// read every open complaint or callback of the clinic).
pub fn day_list(conn: &impl super::Db, day: NaiveDate) -> Result<Vec<DayRow>> {
    let conn = conn.db();
    let from = day.format(DATE_FORMAT).to_string();
    let to = (day + chrono::Duration::days(1)).format(DATE_FORMAT).to_string();
    let mut stmt = conn.prepare_cached(
        "SELECT a.id, a.start, a.duration_min, a.status, a.confirmed_at IS NOT NULL, a.provider_id,
                a.treatment_code, p.id, p.chart_no, p.name, p.phone, p.birth_date, p.sex,
                (SELECT group_concat(t.tag) FROM patient_tags t WHERE t.patient_id = p.id),
                EXISTS (SELECT 1 FROM complaints c WHERE c.patient_id = p.id AND +c.status = 'open'),
                EXISTS (SELECT 1 FROM callbacks k WHERE k.patient_id = p.id AND k.status = 'open'
                        AND +k.due_on <= ?3),
                NOT EXISTS (SELECT 1 FROM appointments e WHERE e.patient_id = p.id
                        AND e.status = 'done' AND e.start < a.start),
                (SELECT count(*) FROM patients r WHERE r.referrer_id = p.id),
                EXISTS (SELECT 1 FROM huddle_actions h WHERE h.patient_id = p.id AND h.done_at IS NULL),
                coalesce((SELECT n.body FROM notes n WHERE n.patient_id = p.id
                          ORDER BY n.created_at DESC, n.id DESC LIMIT 1), '')
         FROM appointments a JOIN patients p ON p.id = a.patient_id
         WHERE a.start >= ?1 AND a.start < ?2
         ORDER BY a.start, a.id",
    )?;
    let rows = stmt.query_map(params![from, to, from], |r| {
        let start: String = r.get(1)?;
        let status: String = r.get(3)?;
        let birth: Option<String> = r.get(11)?;
        let sex: Option<String> = r.get(12)?;
        let tags: Option<String> = r.get(13)?;
        let mut tags: Vec<Tag> = tags.unwrap_or_default().split(',').filter_map(Tag::parse).collect();
        tags.sort();
        Ok(DayRow {
            id: r.get(0)?,
            start: NaiveDateTime::parse_from_str(&start, TIME_FORMAT)
                .unwrap_or_else(|_| day.and_time(Default::default())),
            duration_min: r.get(2)?,
            status: AppointmentStatus::parse(&status).unwrap_or(AppointmentStatus::Booked),
            confirmed: r.get(4)?,
            provider_id: r.get(5)?,
            treatment_code: r.get(6)?,
            patient_id: r.get(7)?,
            chart_no: r.get(8)?,
            name: r.get(9)?,
            phone: r.get(10)?,
            birth_date: birth.and_then(|b| NaiveDate::parse_from_str(&b, DATE_FORMAT).ok()),
            sex: sex.and_then(|s| Sex::parse(&s)),
            tags,
            open_complaint: r.get(14)?,
            callback_due: r.get(15)?,
            first_visit: r.get(16)?,
            referred: r.get(17)?,
            huddle_action: r.get(18)?,
            note: r.get(19)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// An appointment as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Appointment {
    pub id: i64,
    pub patient_id: i64,
    pub start: NaiveDateTime,
    pub duration_min: i64,
    pub provider_id: Option<i64>,
    pub treatment_code: Option<String>,
    pub status: AppointmentStatus,
    pub confirmed_at: Option<String>,
    pub booked_at: String,
}

pub fn get_appointment(conn: &impl super::Db, id: i64) -> Result<Appointment> {
    let conn = conn.db();
    conn.query_row(
        "SELECT id, patient_id, start, duration_min, provider_id, treatment_code, status, confirmed_at, booked_at
         FROM appointments WHERE id = ?1",
        [id],
        appointment_from_row,
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound(format!("appointment {id}")))
}

fn appointment_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Appointment> {
    let start: String = r.get(2)?;
    let status: String = r.get(6)?;
    Ok(Appointment {
        id: r.get(0)?,
        patient_id: r.get(1)?,
        start: NaiveDateTime::parse_from_str(&start, TIME_FORMAT).unwrap_or_default(),
        duration_min: r.get(3)?,
        provider_id: r.get(4)?,
        treatment_code: r.get(5)?,
        status: AppointmentStatus::parse(&status).unwrap_or(AppointmentStatus::Booked),
        confirmed_at: r.get(7)?,
        booked_at: r.get(8)?,
    })
}

/// A patient's appointments, newest first (the card's visit history), at most `limit`.
pub fn patient_appointments(conn: &Connection, patient_id: i64, limit: i64) -> Result<Vec<Appointment>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, patient_id, start, duration_min, provider_id, treatment_code, status, confirmed_at, booked_at
         FROM appointments WHERE patient_id = ?1 ORDER BY start DESC LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![patient_id, limit], appointment_from_row)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Changes an appointment's status, records the change (for undo) and audits it.
/// Refuses changes that make no sense (a done visit marked no-show) with a message.
/// Arrived, done and no-show are refused for an appointment after today (by the
/// transaction's clock): they say what happened, and a future visit has not happened yet.
pub fn set_status(tx: &Tx<'_>, id: i64, to: AppointmentStatus) -> Result<AppointmentStatus> {
    set_status_why(tx, id, to, None, "")
}

/// [`set_status`] with the reason the desk gave (a cancellation, a no-show) and an optional
/// note, stored with the change and written in its audit row (`booked -> cancelled: cost, ...`).
pub fn set_status_why(
    tx: &Tx<'_>,
    id: i64,
    to: AppointmentStatus,
    reason: Option<crate::domain::StatusReason>,
    note: &str,
) -> Result<AppointmentStatus> {
    let note = crate::domain::text::clean_line(note);
    let a = get_appointment(tx, id)?;
    if happened_only(to) && a.start.date() > tx.now().date() {
        return Err(StoreError::Invalid(format!(
            "the appointment is on {}, after today: it cannot be marked {} yet / {} 예약은 오늘 이후라 아직 '{}'(으)로 표시할 수 없습니다",
            a.start.date(),
            to.label(crate::domain::Lang::En).to_lowercase(),
            a.start.date(),
            to.label(crate::domain::Lang::Ko)
        )));
    }
    if !can_change(a.status, to) {
        return Err(StoreError::Invalid(format!(
            "cannot mark a {} appointment {}",
            a.status.label(crate::domain::Lang::En).to_lowercase(),
            to.label(crate::domain::Lang::En).to_lowercase()
        )));
    }
    let now = tx.now_text();
    tx.execute(
        "UPDATE appointments SET status = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, to.code(), now],
    )?;
    tx.execute(
        "INSERT INTO appointment_status_changes (appointment_id, from_status, to_status, changed_at, changed_by,
                                                 reason, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![id, a.status.code(), to.code(), now, tx.actor().os_user, reason.map(|r| r.code()), note],
    )?;
    let mut detail = format!("{} -> {}", a.status.code(), to.code());
    if let Some(r) = reason {
        detail.push_str(&format!(": {}", r.code()));
    }
    if !note.is_empty() {
        detail.push_str(&format!(", {note}"));
    }
    tx.audit(&Entry::new("status", "appointment").id(id).patient(a.patient_id).detail(detail))?;
    Ok(a.status)
}

/// The statuses that say a visit happened (or was missed): only for today and earlier days.
pub fn happened_only(status: AppointmentStatus) -> bool {
    matches!(status, AppointmentStatus::Arrived | AppointmentStatus::Done | AppointmentStatus::NoShow)
}

/// Undoes the latest status change of an appointment and everything it led to: the status
/// goes back, the change record goes, and the call the change queued for this appointment
/// (the no-show's rebooking call, the done visit's happy call) is withdrawn: deleted when
/// nobody has called yet, else closed as done (the contacts logged stay in its history).
/// Returns the (from, to) of the change undone, or `None` when there is nothing to undo.
pub fn undo_last_status(tx: &Tx<'_>, id: i64) -> Result<Option<(AppointmentStatus, AppointmentStatus)>> {
    let last: Option<(i64, String, String)> = tx
        .query_row(
            "SELECT id, from_status, to_status FROM appointment_status_changes
             WHERE appointment_id = ?1 ORDER BY id DESC LIMIT 1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((change_id, from, to)) = last else { return Ok(None) };
    let (Some(from), Some(to)) = (AppointmentStatus::parse(&from), AppointmentStatus::parse(&to)) else {
        return Err(StoreError::Invalid(format!("unknown status in change {change_id}")));
    };
    let a = get_appointment(tx, id)?;
    if a.status != to {
        return Err(StoreError::Invalid("the status was changed elsewhere since; nothing undone".into()));
    }
    tx.execute(
        "UPDATE appointments SET status = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, from.code(), tx.now_text()],
    )?;
    tx.execute("DELETE FROM appointment_status_changes WHERE id = ?1", [change_id])?;
    let queued = match to {
        AppointmentStatus::NoShow => Some(CallbackKind::NoShow),
        AppointmentStatus::Done => Some(CallbackKind::HappyCall),
        _ => None,
    };
    if let Some(kind) = queued {
        let calls: Vec<(i64, i64)> = tx
            .prepare_cached(
                "SELECT k.id, (SELECT count(*) FROM callback_contacts c WHERE c.callback_id = k.id)
                 FROM callbacks k
                 WHERE k.appointment_id = ?1 AND k.kind = ?2 AND k.status = 'open' AND k.patient_id = ?3",
            )?
            .query_map(params![id, kind.code(), a.patient_id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let why = format!("{} undone", to.code());
        for (cb, contacts) in calls {
            if contacts == 0 {
                tx.execute("DELETE FROM callbacks WHERE id = ?1", [cb])?;
                tx.audit(&Entry::new("delete", "callback").id(cb).patient(a.patient_id).detail(why.clone()))?;
            } else {
                tx.execute(
                    "UPDATE callbacks SET status = 'closed', outcome = 'done', closed_at = ?2 WHERE id = ?1",
                    params![cb, tx.now_text()],
                )?;
                tx.audit(&Entry::new("close", "callback").id(cb).patient(a.patient_id).detail(why.clone()))?;
            }
        }
    }
    tx.audit(&Entry::new("undo_status", "appointment").id(id).patient(a.patient_id).detail(format!(
        "{} -> {}",
        to.code(),
        from.code()
    )))?;
    Ok(Some((from, to)))
}

/// The reminder call was answered: the patient confirmed.
pub fn confirm(tx: &Tx<'_>, id: i64) -> Result<()> {
    let a = get_appointment(tx, id)?;
    let now = tx.now_text();
    tx.execute("UPDATE appointments SET confirmed_at = ?2, updated_at = ?2 WHERE id = ?1", params![id, now])?;
    tx.audit(&Entry::new("confirm", "appointment").id(id).patient(a.patient_id))?;
    Ok(())
}

/// Moves or edits a booked appointment (time, length, provider, treatment); audits.
/// A visit already marked arrived, done or no-show keeps to today or earlier: it cannot be
/// moved to a later day (undo its status first).
pub fn update_appointment(tx: &Tx<'_>, id: i64, a: &NewAppointment) -> Result<()> {
    if a.duration_min <= 0 {
        return Err(StoreError::Invalid("duration must be positive".into()));
    }
    let old = get_appointment(tx, id)?;
    if happened_only(old.status) && a.start.date() > tx.now().date() {
        return Err(StoreError::Invalid(format!(
            "this visit is marked {}: it cannot move after today (undo its status first) / '{}' 상태인 예약은 오늘 이후로 옮길 수 없습니다 (먼저 u로 되돌리세요)",
            old.status.label(crate::domain::Lang::En).to_lowercase(),
            old.status.label(crate::domain::Lang::Ko)
        )));
    }
    tx.execute(
        "UPDATE appointments SET start = ?2, duration_min = ?3, provider_id = ?4, treatment_code = ?5, updated_at = ?6
         WHERE id = ?1",
        params![
            id,
            a.start.format(TIME_FORMAT).to_string(),
            a.duration_min,
            a.provider_id,
            a.treatment_code,
            tx.now_text()
        ],
    )?;
    tx.audit(&Entry::new("update", "appointment").id(id).patient(old.patient_id).detail(format!(
        "{} -> {}",
        old.start.format(TIME_FORMAT),
        a.start.format(TIME_FORMAT)
    )))?;
    Ok(())
}

/// The patient's next not-cancelled, not-missed appointment starting after `after`.
pub fn next_booking(conn: &Connection, patient_id: i64, after: NaiveDateTime) -> Result<Option<Appointment>> {
    Ok(conn
        .query_row(
            "SELECT id, patient_id, start, duration_min, provider_id, treatment_code, status, confirmed_at, booked_at
             FROM appointments WHERE patient_id = ?1 AND start > ?2 AND +status IN ('booked', 'arrived')
             ORDER BY start LIMIT 1",
            params![patient_id, after.format(TIME_FORMAT).to_string()],
            appointment_from_row,
        )
        .optional()?)
}

/// Days until the patient's next visit is usually due (DESIGN: the treatment's interval,
/// else the median gap of their past done visits).
pub fn usual_interval(conn: &Connection, patient_id: i64, treatment_code: Option<&str>) -> Result<i64> {
    let treatment_interval: Option<i64> = match treatment_code {
        Some(code) => conn
            .query_row("SELECT interval_days FROM treatments WHERE code = ?1", [code], |r| r.get(0))
            .optional()?,
        None => None,
    };
    let mut stmt = conn.prepare_cached(
        "SELECT substr(start, 1, 10) FROM appointments WHERE patient_id = ?1 AND +status = 'done'
         ORDER BY start DESC LIMIT 50",
    )?;
    let dates: Vec<NaiveDate> = stmt
        .query_map([patient_id], |r| r.get::<_, String>(0))?
        .filter_map(|d| d.ok().and_then(|d| NaiveDate::parse_from_str(&d, DATE_FORMAT).ok()))
        .collect();
    Ok(usual_interval_days(treatment_interval, &dates))
}

/// Links a booking back to where it came from, in the booking's transaction: the inquiry now
/// names the appointment (and the patient, once registered) and counts as booked; the
/// callback that led to it (the inquiry's own, or the one a logged call was about) closes as
/// booked. Until then they stay what they were (an inquiry to call back, an open callback),
/// so a booking form closed without saving leaves nobody "booked" without an appointment.
/// Audited when something changed.
pub fn link_booking(
    tx: &Tx<'_>,
    appointment_id: i64,
    patient_id: i64,
    inquiry_id: Option<i64>,
    callback_id: Option<i64>,
) -> Result<()> {
    if let Some(inq) = inquiry_id {
        let n = tx.execute(
            "UPDATE inquiries SET appointment_id = ?2, patient_id = coalesce(patient_id, ?3), outcome = 'booked',
                 callback_on = NULL
             WHERE id = ?1",
            params![inq, appointment_id, patient_id],
        )?;
        if n > 0 {
            tx.audit(&Entry::new("update", "inquiry").id(inq).patient(patient_id).detail("booked"))?;
        }
    }
    if let Some(cb) = callback_id {
        let n = tx.execute(
            "UPDATE callbacks SET status = 'closed', outcome = 'booked', closed_at = ?2, appointment_id = ?3
             WHERE id = ?1 AND status = 'open'",
            params![cb, tx.now_text(), appointment_id],
        )?;
        if n > 0 {
            tx.audit(&Entry::new("close", "callback").id(cb).patient(patient_id).detail("booked"))?;
        }
        // A caller's callback (on their inquiry, no chart yet) now belongs to the patient the
        // booking registered; closed first, so it never meets the patient's own open one.
        tx.execute(
            "UPDATE callbacks SET patient_id = ?2 WHERE id = ?1 AND patient_id IS NULL AND status = 'closed'",
            params![cb, patient_id],
        )?;
    }
    Ok(())
}

/// The reason and note of the appointment's latest status change, when it has a reason.
pub fn status_reason(
    conn: &impl super::Db,
    id: i64,
) -> Result<Option<(AppointmentStatus, crate::domain::StatusReason, String)>> {
    let row: Option<(String, Option<String>, String)> = conn
        .db()
        .query_row(
            "SELECT to_status, reason, note FROM appointment_status_changes WHERE appointment_id = ?1
             ORDER BY id DESC LIMIT 1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    Ok(row.and_then(|(to, reason, note)| {
        Some((AppointmentStatus::parse(&to)?, crate::domain::StatusReason::parse(&reason?)?, note))
    }))
}

#[cfg(test)]
mod tests {
    /// The schema's rebooked triggers use [`super::REBOOKED_SQL`], word for word, in each of
    /// their six updates.
    #[test]
    fn the_schemas_rebooked_triggers_spell_the_one_definition() {
        let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let schema = words(include_str!("schema_v1.sql"));
        let set = format!("SET rebooked = {}", words(super::REBOOKED_SQL));
        assert_eq!(schema.matches(&set).count(), 6, "{set}");
        assert_eq!(schema.matches("SET rebooked =").count(), 6);
    }
}
