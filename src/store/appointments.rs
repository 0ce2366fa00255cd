//! Appointments: booking. (Status changes and the day's list live with the Today screen.)

use chrono::NaiveDateTime;
use rusqlite::params;

use super::audit::Entry;
use super::{Result, StoreError, Tx};
use crate::domain::TIME_FORMAT;

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
    let now = super::now_text();
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
    let mut stmt = conn.prepare_cached(
        "SELECT id, start, duration_min FROM appointments
         WHERE patient_id = ?1 AND start >= ?2 AND start < ?3 AND status NOT IN ('cancelled', 'no_show')",
    )?;
    let rows = stmt.query_map(params![patient_id, from, end.format(TIME_FORMAT).to_string()], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, s, d) = row?;
        if Some(id) == except_id {
            continue;
        }
        if let Ok(st) = NaiveDateTime::parse_from_str(&s, TIME_FORMAT) {
            if st + chrono::Duration::minutes(d) > start {
                out.push((id, s));
            }
        }
    }
    Ok(out)
}
