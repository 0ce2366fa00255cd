//! Patients: registration, lookup by phone, the basics every screen needs.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::audit::Entry;
use super::{Result, StoreError, Tx};
use crate::domain::text::{chart_key, clean_line, initials};
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

/// The next free chart number: one more than the largest all-digit chart number (compared
/// as numbers, so `1000000` follows `999999`), zero-padded to six digits. Never one that is
/// taken: nothing numerically larger exists, and numbers compare on their canonical form.
pub fn next_chart_no(conn: &Connection) -> Result<String> {
    let max: Option<String> = conn
        .query_row(
            "SELECT chart_key FROM patients WHERE chart_key NOT GLOB '*[^0-9]*'
             ORDER BY length(chart_key) DESC, chart_key DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    let next = increment_decimal(max.as_deref().unwrap_or("0"));
    Ok(format!("{next:0>6}"))
}

/// `"999"` -> `"1000"`, on digit strings of any length.
fn increment_decimal(digits: &str) -> String {
    let mut out: Vec<u8> = digits.bytes().collect();
    for b in out.iter_mut().rev() {
        if *b == b'9' {
            *b = b'0';
        } else {
            *b += 1;
            return String::from_utf8(out).unwrap_or_default();
        }
    }
    out.insert(0, b'1');
    String::from_utf8(out).unwrap_or_default()
}

/// Registers a patient; checks the name and phone, gives a chart number, audits.
pub fn insert_patient(tx: &Tx<'_>, p: &NewPatient) -> Result<i64> {
    let name = clean_line(&p.name);
    if name.is_empty() {
        return Err(StoreError::Invalid("name is empty".into()));
    }
    let (phone_text, digits) = if p.phone.trim().is_empty() {
        (String::new(), String::new())
    } else {
        let ph = phone::Phone::parse(&p.phone).map_err(|e| StoreError::Invalid(e.into()))?;
        (ph.formatted(), ph.digits)
    };
    let typed = crate::domain::text::chart_no(&p.chart_no);
    let chart_no = if typed.is_empty() { next_chart_no(tx)? } else { typed };
    if let Some(other) = find_by_chart_no(tx, &chart_no)? {
        return Err(StoreError::Invalid(if other.chart_no == chart_no {
            format!("chart number {chart_no} is already taken")
        } else {
            format!("chart number {chart_no} is already taken ({} is the same number)", other.chart_no)
        }));
    }
    let now = tx.now_text();
    tx.prepare_cached(
        "INSERT INTO patients (chart_no, name, name_initials, phone, phone_digits, birth_date, sex,
                               referral_source, referral_channel, referrer_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
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
    ])
    .map_err(|e| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ConstraintViolation) if e.to_string().contains("chart_") => {
            StoreError::Invalid(format!("chart number {chart_no} is already taken"))
        }
        _ => e.into(),
    })?;
    let id = tx.last_insert_rowid();
    tx.audit(&Entry::new("create", "patient").id(id).patient(id).detail(format!("chart {chart_no}")))?;
    Ok(id)
}

/// Corrects a patient's name and phone (already checked by the caller: a name, a phone that
/// reads or none); audits what changed, from what to what. Returns the fields changed.
pub fn correct_identity(
    tx: &Tx<'_>,
    id: i64,
    name: &str,
    phone: Option<&phone::Phone>,
) -> Result<Vec<&'static str>> {
    let before = get_patient(tx, id)?;
    let name = clean_line(name);
    if name.is_empty() {
        return Err(StoreError::Invalid("name is empty".into()));
    }
    let (phone_text, digits) = phone.map(|p| (p.formatted(), p.digits.clone())).unwrap_or_default();
    let mut changed = Vec::new();
    let mut detail = Vec::new();
    if before.name != name {
        changed.push("name");
        detail.push(format!("name {} -> {name}", before.name));
    }
    if before.phone != phone_text {
        changed.push("phone");
        detail.push(format!("phone {} -> {phone_text}", before.phone));
    }
    if changed.is_empty() {
        return Ok(changed);
    }
    tx.execute(
        "UPDATE patients SET name = ?2, name_initials = ?3, phone = ?4, phone_digits = ?5 WHERE id = ?1",
        params![id, name, initials(&name), phone_text, digits],
    )?;
    tx.audit(&Entry::new("correct", "patient").id(id).patient(id).detail(detail.join(", ")))?;
    Ok(changed)
}

pub fn get_patient(conn: &impl super::Db, id: i64) -> Result<Patient> {
    let conn = conn.db();
    conn.query_row(&format!("SELECT {PATIENT_COLUMNS} FROM patients WHERE id = ?1"), [id], patient_from_row)
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("patient {id}")))
}

pub fn find_by_chart_no(conn: &Connection, chart_no: &str) -> Result<Option<Patient>> {
    Ok(conn
        .query_row(
            &format!("SELECT {PATIENT_COLUMNS} FROM patients WHERE chart_key = ?1"),
            [chart_key(chart_no)],
            patient_from_row,
        )
        .optional()?)
}

/// Patients with this phone number (digits compared), for duplicate detection and for
/// recognising a caller.
pub fn find_by_phone(conn: &impl super::Db, phone_input: &str) -> Result<Vec<Patient>> {
    let conn = conn.db();
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

/// Patients matching what the desk typed in the search box, best matches first:
/// Korean initial consonants (ㅎㄱㄷ), the last four digits of the phone, a chart number
/// prefix, a longer phone prefix, or a name prefix (Latin names case-insensitively, through
/// the initials column). Every branch is an indexed range with a LIMIT.
pub fn search_patients(conn: &impl super::Db, query: &str, limit: usize) -> Result<Vec<Patient>> {
    let conn = conn.db();
    let q = clean_line(query);
    if q.is_empty() {
        return Ok(Vec::new());
    }
    let mut out: Vec<Patient> = Vec::new();
    let lim = limit as i64;
    let run = |sql: &str, args: &[&dyn rusqlite::ToSql], out: &mut Vec<Patient>| -> Result<()> {
        if out.len() >= limit {
            return Ok(());
        }
        let mut stmt = conn.prepare_cached(sql)?;
        let rows = stmt.query_map(args, patient_from_row)?;
        for p in rows {
            let p = p?;
            if out.len() < limit && !out.iter().any(|o| o.id == p.id) {
                out.push(p);
            }
        }
        Ok(())
    };
    let upper = |s: &str| format!("{s}\u{10FFFF}");
    let digits_only = q.chars().all(|c| c.is_ascii_digit() || c == '-');
    if crate::domain::text::is_initials_query(&q) {
        // What an IME makes of ㄱ then ㅅ (ㄳ) means the two initials.
        let q = crate::domain::text::split_compound(&q);
        run(
            &format!(
                "SELECT {PATIENT_COLUMNS} FROM patients WHERE name_initials >= ?1 AND name_initials < ?2
                 ORDER BY name_initials LIMIT ?3"
            ),
            &[&q, &upper(&q), &lim],
            &mut out,
        )?;
    } else if digits_only {
        let digits = phone::digits_of(&q);
        if digits.len() == 4 {
            run(
                &format!(
                    "SELECT {PATIENT_COLUMNS} FROM patients WHERE substr(phone_digits, -4) = ?1
                     ORDER BY name LIMIT ?2"
                ),
                &[&digits, &lim],
                &mut out,
            )?;
        }
        // The chart number itself, however many leading zeros were typed (918 = 000918).
        if !digits.is_empty() {
            run(
                &format!("SELECT {PATIENT_COLUMNS} FROM patients WHERE chart_key = ?1"),
                &[&chart_key(&digits)],
                &mut out,
            )?;
        }
        run(
            &format!(
                "SELECT {PATIENT_COLUMNS} FROM patients WHERE chart_no >= ?1 AND chart_no < ?2
                 ORDER BY chart_no LIMIT ?3"
            ),
            &[&digits, &upper(&digits), &lim],
            &mut out,
        )?;
        // The end of a phone number typed with or without its dash (`1111-4444`): narrowed
        // by the indexed last four digits, then by the whole end.
        if (5..=8).contains(&digits.len()) {
            let last4 = &digits[digits.len() - 4..];
            let end = format!("%{digits}");
            run(
                &format!(
                    "SELECT {PATIENT_COLUMNS} FROM patients WHERE substr(phone_digits, -4) = ?1
                     AND phone_digits LIKE ?2 ORDER BY name LIMIT ?3"
                ),
                &[&last4, &end, &lim],
                &mut out,
            )?;
        }
        if digits.len() >= 5 {
            run(
                &format!(
                    "SELECT {PATIENT_COLUMNS} FROM patients WHERE phone_digits >= ?1 AND phone_digits < ?2
                     ORDER BY phone_digits LIMIT ?3"
                ),
                &[&digits, &upper(&digits), &lim],
                &mut out,
            )?;
        }
    } else {
        run(
            &format!(
                "SELECT {PATIENT_COLUMNS} FROM patients WHERE name >= ?1 AND name < ?2 ORDER BY name LIMIT ?3"
            ),
            &[&q, &upper(&q), &lim],
            &mut out,
        )?;
        // A given name alone (민숙 for 김민숙): the name after its first syllable, the surname.
        // Walked along the name index and stopped by the LIMIT (no index holds given names).
        if q.chars().count() >= 2 && q.chars().all(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c)) {
            run(
                &format!(
                    "SELECT {PATIENT_COLUMNS} FROM patients INDEXED BY patients_by_name
                     WHERE name > '' AND substr(name, 2, ?2) = ?1 ORDER BY name LIMIT ?3"
                ),
                &[&q, &(q.chars().count() as i64), &lim],
                &mut out,
            )?;
        }
        // Latin names in any case: the initials column keeps non-Hangul letters lowercased
        // and without spaces ("Emily Park" -> "emilypark").
        let folded = initials(&q);
        if !q.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c)) {
            run(
                &format!(
                    "SELECT {PATIENT_COLUMNS} FROM patients WHERE name_initials >= ?1 AND name_initials < ?2
                     ORDER BY name_initials LIMIT ?3"
                ),
                &[&folded, &upper(&folded), &lim],
                &mut out,
            )?;
        }
    }
    Ok(out)
}
