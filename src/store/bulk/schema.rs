//! Preparing a bulk load and finishing it: the empty check, indexes and triggers dropped and
//! made again, the trigger-maintained columns set in grouped passes, pragmas and settings.

use super::*;

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
    "payments",
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
    // The per-day payment totals the payments_by_day trigger keeps (revenue key results).
    let payment_days = conn.execute(
        "INSERT INTO payment_days (day, category, treatment_code, provider_id, amount_krw, payments)
         SELECT substr(paid_at, 1, 10), category, coalesce(treatment_code, ''), coalesce(provider_id, 0),
                sum(amount_krw), count(*)
         FROM payments GROUP BY 1, 2, 3, 4",
        [],
    )?;
    let sessions = set_package_sessions(conn)?;
    Ok(patients + treatments + rebooked + payment_days + sessions)
}

/// The sessions the dropped package triggers would have recorded: each done visit, in time
/// order, uses the patient's oldest package of its treatment bought by its day with sessions
/// left. One pass over the packages' patients and treatments.
fn set_package_sessions(conn: &Connection) -> Result<usize> {
    /// Per patient and treatment: (bought on, package id, sessions, used so far), oldest first.
    type Open = Vec<(String, i64, i64, i64)>;
    let mut packages: std::collections::HashMap<(i64, String), Open> = std::collections::HashMap::new();
    {
        let mut stmt = conn.prepare(
            "SELECT patient_id, treatment_code, purchased_on, id, sessions FROM packages
             ORDER BY patient_id, treatment_code, purchased_on, id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, i64>(4)?,
            ))
        })?;
        for row in rows {
            let (pid, t, on, id, n) = row?;
            packages.entry((pid, t)).or_default().push((on, id, n, 0));
        }
    }
    if packages.is_empty() {
        return Ok(0);
    }
    let mut stmt = conn.prepare(
        "SELECT a.id, a.patient_id, a.treatment_code, a.start FROM appointments a
         WHERE a.status = 'done' AND a.treatment_code IS NOT NULL
           AND EXISTS (SELECT 1 FROM packages k WHERE k.patient_id = a.patient_id AND k.treatment_code = a.treatment_code)
         ORDER BY a.patient_id, a.start, a.id",
    )?;
    let visits = stmt
        .query_map([], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut insert =
        conn.prepare("INSERT INTO package_sessions (appointment_id, package_id) VALUES (?1, ?2)")?;
    let mut n = 0;
    for (visit, pid, treatment, start) in visits {
        let Some(list) = packages.get_mut(&(pid, treatment)) else { continue };
        let day = start.get(..10).unwrap_or(&start);
        if let Some(k) = list.iter_mut().find(|(on, _, sessions, used)| on.as_str() <= day && used < sessions)
        {
            k.3 += 1;
            insert.execute(params![visit, k.1])?;
            n += 1;
        }
    }
    Ok(n)
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
