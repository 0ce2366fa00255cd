//! The day as the booking form and Today see it: a patient's other bookings that day, the
//! late visits, the hourly caps, and the day's grid of slots per provider.

#[allow(unused_imports)]
use super::*;

/// The patient's other live bookings (not cancelled, not missed) on `day`, `except_id` aside:
/// their starts, for the same-day warning.
pub fn patient_day_bookings(
    conn: &impl crate::store::Db,
    patient_id: i64,
    day: NaiveDate,
    except_id: Option<i64>,
) -> Result<Vec<NaiveDateTime>> {
    let from = day.format(DATE_FORMAT).to_string();
    let to = (day + chrono::Duration::days(1)).format(DATE_FORMAT).to_string();
    let mut stmt = conn.db().prepare_cached(
        "SELECT start FROM appointments WHERE patient_id = ?1 AND start >= ?2 AND start < ?3
           AND status NOT IN ('cancelled', 'no_show') AND id IS NOT ?4 ORDER BY start",
    )?;
    let rows = stmt.query_map(params![patient_id, from, to, except_id], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for s in rows {
        if let Ok(t) = NaiveDateTime::parse_from_str(&s?, TIME_FORMAT) {
            out.push(t);
        }
    }
    Ok(out)
}

/// The patient's latest appointment that was not cancelled (the last 원장 and treatment), by
/// start, at or before `before` when given.
pub fn last_visit(conn: &impl crate::store::Db, patient_id: i64) -> Result<Option<Appointment>> {
    Ok(conn
        .db()
        .query_row(
            "SELECT id, patient_id, start, duration_min, provider_id, treatment_code, status, confirmed_at, booked_at
             FROM appointments WHERE patient_id = ?1 AND +status <> 'cancelled'
             ORDER BY (provider_id IS NULL AND treatment_code IS NULL), start DESC LIMIT 1",
            [patient_id],
            appointment_from_row,
        )
        .optional()?)
}

/// The day's visits still "booked" whose start is before `now`, in time order.
pub fn late_on(conn: &impl crate::store::Db, day: NaiveDate, now: NaiveDateTime) -> Result<Vec<i64>> {
    let from = day.format(DATE_FORMAT).to_string();
    let to = (day + chrono::Duration::days(1)).format(DATE_FORMAT).to_string();
    let before = now.format(TIME_FORMAT).to_string();
    let mut stmt = conn.db().prepare_cached(
        "SELECT id FROM appointments WHERE start >= ?1 AND start < ?2 AND start < ?3 AND status = 'booked'
         ORDER BY start, id",
    )?;
    let rows = stmt.query_map(params![from, to, before], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Sets (or clears) a treatment's hourly cap; audited. Refuses an unknown treatment or a cap
/// below 1.
pub fn set_hourly_cap(tx: &Tx<'_>, code: &str, cap: Option<i64>) -> Result<()> {
    if cap.is_some_and(|c| c < 1) {
        return Err(StoreError::Invalid("an hourly cap is at least 1".into()));
    }
    let n = tx.execute("UPDATE treatments SET hourly_cap = ?2 WHERE code = ?1", params![code, cap])?;
    if n == 0 {
        return Err(StoreError::NotFound(format!("treatment {code}")));
    }
    tx.audit(&Entry::new("update", "treatment").detail(format!(
        "{code} hourly_cap = {}",
        cap.map(|c| c.to_string()).unwrap_or_else(|| "none".into())
    )))
}

/// The day's live bookings (not cancelled, not missed) for the schedule grid, in time order.
pub fn grid_bookings(
    conn: &impl crate::store::Db,
    day: NaiveDate,
) -> Result<Vec<crate::domain::schedule::GridBooking>> {
    let from = day.format(DATE_FORMAT).to_string();
    let to = (day + chrono::Duration::days(1)).format(DATE_FORMAT).to_string();
    let mut stmt = conn.db().prepare_cached(
        "SELECT a.id, a.start, a.duration_min, a.provider_id, a.treatment_code, p.id, p.name, a.status
         FROM appointments a JOIN patients p ON p.id = a.patient_id
         WHERE a.start >= ?1 AND a.start < ?2 AND a.status NOT IN ('cancelled', 'no_show')
         ORDER BY a.start, a.id",
    )?;
    let rows = stmt.query_map(params![from, to], |r| {
        let start: String = r.get(1)?;
        let status: String = r.get(7)?;
        Ok(crate::domain::schedule::GridBooking {
            id: r.get(0)?,
            start: NaiveDateTime::parse_from_str(&start, TIME_FORMAT)
                .unwrap_or_else(|_| day.and_time(Default::default())),
            duration_min: r.get(2)?,
            provider_id: r.get(3)?,
            treatment_code: r.get(4)?,
            patient_id: r.get(5)?,
            name: r.get(6)?,
            status: AppointmentStatus::parse(&status).unwrap_or(AppointmentStatus::Booked),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The treatments with an hourly cap.
pub fn capped_treatments(conn: &impl crate::store::Db) -> Result<Vec<crate::domain::schedule::Capped>> {
    let mut stmt = conn.db().prepare_cached(
        "SELECT code, label_ko, label_en, hourly_cap FROM treatments WHERE hourly_cap IS NOT NULL ORDER BY sort, code",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(crate::domain::schedule::Capped { code: r.get(0)?, ko: r.get(1)?, en: r.get(2)?, cap: r.get(3)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The active providers (directors) in the settings' order, as the grid's columns.
pub fn active_providers(conn: &impl crate::store::Db) -> Result<Vec<(i64, String)>> {
    let mut stmt = conn
        .db()
        .prepare_cached("SELECT id, name FROM staff WHERE role = 'director' AND active ORDER BY sort, id")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The day's schedule laid out for the grid (calendar, providers, live bookings, caps).
pub fn day_layout(
    conn: &impl crate::store::Db,
    day: NaiveDate,
) -> Result<crate::domain::schedule::DayLayout> {
    let cal = crate::store::settings::clinic_calendar(conn)?;
    Ok(crate::domain::schedule::layout_day(
        &cal,
        day,
        &active_providers(conn)?,
        &grid_bookings(conn, day)?,
        &capped_treatments(conn)?,
    ))
}
