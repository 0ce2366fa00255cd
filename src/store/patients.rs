//! Patients: registration, lookup by phone, the basics every screen needs.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::audit::Entry;
use super::{Result, StoreError, Tx};
use crate::domain::text::{clean, initials};
use crate::domain::{Sex, phone};

/// What the desk enters to register someone.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewPatient {
    /// Left empty, the next free chart number is given.
    pub chart_no: String,
    pub name: String,
    pub phone: String,
    pub birth_date: Option<NaiveDate>,
    pub sex: Option<Sex>,
    pub referral_source: Option<String>,
    pub referral_channel: Option<String>,
    pub referrer_id: Option<i64>,
}

/// A patient row as screens show it.
#[derive(Debug, Clone, PartialEq)]
pub struct Patient {
    pub id: i64,
    pub chart_no: String,
    pub name: String,
    pub phone: String,
    pub birth_date: Option<NaiveDate>,
    pub sex: Option<Sex>,
    pub referral_source: Option<String>,
    pub referral_channel: Option<String>,
    pub referrer_id: Option<i64>,
    pub created_at: String,
}

pub const PATIENT_COLUMNS: &str =
    "id, chart_no, name, phone, birth_date, sex, referral_source, referral_channel, referrer_id, created_at";

/// Maps a row selected with [`PATIENT_COLUMNS`] (at offset 0).
pub fn patient_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Patient> {
    let birth: Option<String> = r.get(4)?;
    let sex: Option<String> = r.get(5)?;
    Ok(Patient {
        id: r.get(0)?,
        chart_no: r.get(1)?,
        name: r.get(2)?,
        phone: r.get(3)?,
        birth_date: birth.and_then(|b| NaiveDate::parse_from_str(&b, crate::domain::DATE_FORMAT).ok()),
        sex: sex.and_then(|s| Sex::parse(&s)),
        referral_source: r.get(6)?,
        referral_channel: r.get(7)?,
        referrer_id: r.get(8)?,
        created_at: r.get(9)?,
    })
}

/// Chart numbers are zero-padded to six digits so that `max(chart_no)` is the largest and
/// comes straight from the unique index.
pub fn next_chart_no(conn: &Connection) -> Result<String> {
    let max: Option<String> = conn.query_row(
        "SELECT max(chart_no) FROM patients WHERE chart_no GLOB '[0-9][0-9][0-9][0-9][0-9][0-9]*'",
        [],
        |r| r.get(0),
    )?;
    let n = max.and_then(|m| m.parse::<u64>().ok()).unwrap_or(0) + 1;
    Ok(format!("{n:06}"))
}

/// Registers a patient; checks the name and phone, gives a chart number, audits.
pub fn insert_patient(tx: &Tx<'_>, p: &NewPatient) -> Result<i64> {
    let name = clean(&p.name);
    if name.is_empty() {
        return Err(StoreError::Invalid("name is empty".into()));
    }
    let (phone_text, digits) = if p.phone.trim().is_empty() {
        (String::new(), String::new())
    } else {
        let ph = phone::Phone::parse(&p.phone).map_err(|e| StoreError::Invalid(e.into()))?;
        (ph.formatted(), ph.digits)
    };
    let chart_no = if p.chart_no.trim().is_empty() { next_chart_no(tx)? } else { clean(&p.chart_no) };
    let now = super::now_text();
    tx.execute(
        "INSERT INTO patients (chart_no, name, name_initials, phone, phone_digits, birth_date, sex,
                               referral_source, referral_channel, referrer_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            chart_no,
            name,
            initials(&name),
            phone_text,
            digits,
            p.birth_date.map(|d| d.to_string()),
            p.sex.map(|s| s.code()),
            p.referral_source,
            p.referral_channel,
            p.referrer_id,
            now
        ],
    )
    .map_err(|e| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ConstraintViolation) if e.to_string().contains("chart_no") => {
            StoreError::Invalid(format!("chart number {chart_no} is already taken"))
        }
        _ => e.into(),
    })?;
    let id = tx.last_insert_rowid();
    tx.audit(&Entry::new("create", "patient").id(id).patient(id).detail(format!("chart {chart_no}")))?;
    Ok(id)
}

pub fn get_patient(conn: &Connection, id: i64) -> Result<Patient> {
    conn.query_row(&format!("SELECT {PATIENT_COLUMNS} FROM patients WHERE id = ?1"), [id], patient_from_row)
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("patient {id}")))
}

pub fn find_by_chart_no(conn: &Connection, chart_no: &str) -> Result<Option<Patient>> {
    Ok(conn
        .query_row(
            &format!("SELECT {PATIENT_COLUMNS} FROM patients WHERE chart_no = ?1"),
            [chart_no.trim()],
            patient_from_row,
        )
        .optional()?)
}

/// Patients with this phone number (digits compared), for duplicate detection and for
/// recognising a caller.
pub fn find_by_phone(conn: &Connection, phone_input: &str) -> Result<Vec<Patient>> {
    let digits =
        phone::Phone::parse(phone_input).map(|p| p.digits).unwrap_or_else(|_| phone::digits_of(phone_input));
    if digits.len() < 8 {
        return Ok(Vec::new());
    }
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {PATIENT_COLUMNS} FROM patients WHERE phone_digits = ?1 ORDER BY id"
    ))?;
    let rows = stmt.query_map([digits], patient_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
