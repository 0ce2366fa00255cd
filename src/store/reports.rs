//! The referral reports' counting queries. Each runs over an index range (inquiries by
//! received time, appointments by status and start, per-person look-ups by patient), never a
//! whole-table scan per row.

use std::collections::BTreeMap;

use rusqlite::{Connection, params};

use super::Result;
use crate::domain::Period;
use crate::domain::reports::{
    DailyRow, EXISTING_PATIENT_SOURCE, FunnelRow, MonthSourceCounts, ReferralRow, UNKNOWN_SOURCE, days_in,
    referral_rows,
};

/// How many leading characters of stored time text make the bucket: 7 = month, 10 = day.
#[derive(Debug, Clone, Copy)]
enum Bucket {
    Month = 7,
    Day = 10,
}

/// New patients (first `done` visit in the period) by bucket and the patient's referral source.
fn new_patient_counts(conn: &Connection, period: &Period, bucket: Bucket) -> Result<MonthSourceCounts> {
    let (from, to) = period.time_bounds();
    // `first_visit_on` is the day of the patient's first done visit (kept by the schema's
    // triggers), so this is a range of patients_by_first_visit, one row per new patient.
    counts_by_bucket_and_source(
        conn,
        "SELECT substr(p.first_visit_on, 1, ?3) AS bucket, coalesce(p.referral_source, ?4), count(*)
         FROM patients p
         WHERE p.first_visit_on >= ?1 AND p.first_visit_on < ?2
         GROUP BY 1, 2",
        (from, to),
        bucket,
    )
}

/// Runs a count grouped by bucket and source: `sql` binds the period's bounds (?1, ?2), the
/// bucket's length (?3) and the unknown source's name (?4) and selects (bucket, source, count).
fn counts_by_bucket_and_source(
    conn: &Connection,
    sql: &str,
    (from, to): (String, String),
    bucket: Bucket,
) -> Result<MonthSourceCounts> {
    let mut stmt = conn.prepare(sql)?;
    let mut out = MonthSourceCounts::new();
    let rows = stmt.query_map(params![from, to, bucket as i64, UNKNOWN_SOURCE], |r| {
        Ok(((r.get::<_, String>(0)?, r.get::<_, String>(1)?), r.get::<_, i64>(2)?))
    })?;
    for row in rows {
        let (k, n) = row?;
        out.insert(k, n);
    }
    Ok(out)
}

/// New inquiries received in the period by bucket and referral source (not those of existing
/// patients: [`EXISTING_PATIENT_SOURCE`]).
fn inquiry_counts(conn: &Connection, period: &Period, bucket: Bucket) -> Result<MonthSourceCounts> {
    let (from, to) = period.time_bounds();
    let sql = format!(
        "SELECT substr(received_at, 1, ?3), coalesce(referral_source, ?4), count(*)
         FROM inquiries WHERE received_at >= ?1 AND received_at < ?2 AND {NEW_INQUIRY} GROUP BY 1, 2"
    );
    counts_by_bucket_and_source(conn, &sql, (from, to), bucket)
}

/// An inquiry from someone who is not a patient yet: the reports count new inquiries only (an
/// existing patient's call is in the inquiry log, not in the shares of how people hear of us).
const NEW_INQUIRY: &str = "referral_source IS NOT 'existing_patient'";

/// The catalog's source codes a new patient or a new inquiry can have, in the clinic's order.
pub fn source_codes(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT code FROM referral_sources WHERE code <> '{EXISTING_PATIENT_SOURCE}' ORDER BY sort, code"
    ))?;
    let codes = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(codes)
}

/// `report referrals`: every month x every source, with shares within the month.
pub fn referrals(conn: &impl super::Db, period: &Period) -> Result<Vec<ReferralRow>> {
    let conn = conn.db();
    let sources = source_codes(conn)?;
    let np = new_patient_counts(conn, period, Bucket::Month)?;
    let inq = inquiry_counts(conn, period, Bucket::Month)?;
    Ok(referral_rows(period, &sources, &np, &inq))
}

/// The new inquiries of a period (not existing patients': `NEW_INQUIRY`) with the person each is about: the linked patient, else the
/// earliest patient with the same phone number (someone who called first and registered later).
const INQUIRY_PEOPLE: &str = "
    SELECT i.received_at AS received_at, substr(i.received_at, 1, 10) AS day, i.outcome AS outcome,
           coalesce(i.referral_source, ?3) AS source,
           coalesce(i.patient_id,
                    (SELECT p.id FROM patients p
                     WHERE i.phone_digits <> '' AND p.phone_digits = i.phone_digits ORDER BY p.id LIMIT 1)) AS pid
    FROM inquiries i WHERE i.received_at >= ?1 AND i.received_at < ?2
      AND i.referral_source IS NOT 'existing_patient'";

/// An inquiry counts as booked when its outcome was booked or its person had an appointment
/// booked on or after the inquiry's day.
const BOOKED: &str = "(q.outcome = 'booked' OR EXISTS (SELECT 1 FROM appointments a
                        WHERE a.patient_id = q.pid AND a.booked_at >= q.day))";

/// `report funnel`: per source, inquiries -> booked -> visited -> consulted -> paid. Each stage
/// counts inquiries whose person reached it on or after the inquiry's day. Catalog sources are
/// all listed; `unknown` only when it has inquiries.
pub fn funnel(conn: &impl super::Db, period: &Period) -> Result<Vec<FunnelRow>> {
    let conn = conn.db();
    let (from, to) = period.time_bounds();
    let sql = format!(
        "WITH q AS ({INQUIRY_PEOPLE})
         SELECT q.source, count(*),
                sum({BOOKED}),
                sum(EXISTS (SELECT 1 FROM appointments a
                            WHERE a.patient_id = q.pid AND a.start >= q.day AND a.status = 'done')),
                sum(EXISTS (SELECT 1 FROM consultations c
                            WHERE c.patient_id = q.pid AND c.consulted_at >= q.day)),
                sum(EXISTS (SELECT 1 FROM consultations c
                            WHERE c.patient_id = q.pid AND c.consulted_at >= q.day AND c.status = 'accepted'))
         FROM q GROUP BY q.source"
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut by_source: BTreeMap<String, FunnelRow> = BTreeMap::new();
    let rows = stmt.query_map(params![from, to, UNKNOWN_SOURCE], |r| {
        Ok(FunnelRow {
            source: r.get(0)?,
            inquiries: r.get(1)?,
            booked: r.get(2)?,
            visited: r.get(3)?,
            consulted: r.get(4)?,
            paid: r.get(5)?,
        })
    })?;
    for row in rows {
        let row = row?;
        by_source.insert(row.source.clone(), row);
    }
    let mut out = Vec::new();
    for code in source_codes(conn)? {
        let row = by_source
            .remove(&code)
            .unwrap_or_else(|| FunnelRow { source: code.clone(), ..FunnelRow::default() });
        out.push(row);
    }
    out.extend(by_source.into_values());
    Ok(out)
}

/// `report daily`: one row per day of the period, zeros included.
pub fn daily(conn: &Connection, period: &Period) -> Result<Vec<DailyRow>> {
    let (from, to) = period.time_bounds();
    let mut rows: BTreeMap<String, DailyRow> = days_in(period)
        .into_iter()
        .map(|d| (d.format("%Y-%m-%d").to_string(), DailyRow { date: d, ..DailyRow::default() }))
        .collect();
    let mut stmt = conn.prepare(
        "SELECT substr(start, 1, 10), status, count(*) FROM appointments
         WHERE status IN ('done', 'no_show') AND start >= ?1 AND start < ?2 GROUP BY 1, 2",
    )?;
    let visits = stmt.query_map(params![from, to], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?))
    })?;
    for v in visits {
        let (day, status, n) = v?;
        if let Some(row) = rows.get_mut(&day) {
            if status == "done" {
                row.visits = n;
            } else {
                row.no_shows = n;
            }
        }
    }
    for ((day, _), n) in new_patient_counts(conn, period, Bucket::Day)? {
        if let Some(row) = rows.get_mut(&day) {
            row.new_patients += n;
        }
    }
    let sql =
        format!("WITH q AS ({INQUIRY_PEOPLE}) SELECT q.day, count(*), sum({BOOKED}) FROM q GROUP BY q.day");
    let mut stmt = conn.prepare(&sql)?;
    let inq = stmt.query_map(params![from, to, UNKNOWN_SOURCE], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?))
    })?;
    for i in inq {
        let (day, n, booked) = i?;
        if let Some(row) = rows.get_mut(&day) {
            row.inquiries = n;
            row.booked_from_inquiries = booked;
        }
    }
    Ok(rows.into_values().collect())
}
