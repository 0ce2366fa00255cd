//! Packages (횟수 관리): courses of sessions sold to a patient, and the sessions their done
//! visits used. A visit marked done uses a session of the patient's oldest open package of
//! its treatment, and undoing the done gives it back: the schema's triggers on
//! appointments keep `package_sessions` so, in the status change's own transaction.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::params;

use super::audit::Entry;
use super::{Db, Result, StoreError, Tx};
use crate::domain::DATE_FORMAT;
use crate::domain::text::clean_line;

/// A package to record.
#[derive(Debug, Clone, PartialEq)]
pub struct NewPackage {
    pub patient_id: i64,
    pub treatment_code: String,
    pub sessions: i64,
    pub price_krw: i64,
    pub purchased_on: NaiveDate,
    /// Who sold it.
    pub provider_id: Option<i64>,
    pub note: String,
    /// The payment taken for it at the desk (none for an imported package).
    pub payment_id: Option<i64>,
}

/// A package with the sessions used so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageUse {
    pub id: i64,
    pub patient_id: i64,
    pub treatment_code: String,
    pub sessions: i64,
    pub used: i64,
    pub price_krw: i64,
    pub purchased_on: NaiveDate,
    pub provider_id: Option<i64>,
}

impl PackageUse {
    pub fn left(&self) -> i64 {
        (self.sessions - self.used).max(0)
    }
    pub fn is_open(&self) -> bool {
        self.used < self.sessions
    }
    /// "package ending": at most two sessions left (time to offer the next one).
    pub fn is_ending(&self) -> bool {
        self.is_open() && self.left() <= 2
    }
    /// As Today and the card show it: `3/10`.
    pub fn fraction(&self) -> String {
        format!("{}/{}", self.used, self.sessions)
    }
}

/// Records a package. Done visits of its treatment on the day it is sold that used no
/// session (the visit the patient is checking out from) use its sessions. Returns its id.
pub fn insert_package(tx: &Tx<'_>, p: &NewPackage) -> Result<i64> {
    if p.sessions <= 0 {
        return Err(StoreError::Invalid("a package needs at least one session".into()));
    }
    if p.price_krw < 0 {
        return Err(StoreError::Invalid("a package's price cannot be negative".into()));
    }
    tx.execute(
        "INSERT INTO packages (patient_id, treatment_code, sessions, price_krw, purchased_on, provider_id, note,
                               payment_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            p.patient_id,
            p.treatment_code,
            p.sessions,
            p.price_krw,
            p.purchased_on.to_string(),
            p.provider_id,
            clean_line(&p.note),
            p.payment_id
        ],
    )?;
    let id = tx.last_insert_rowid();
    let day = p.purchased_on.to_string();
    tx.execute(
        "INSERT INTO package_sessions (appointment_id, package_id)
         SELECT a.id, ?1 FROM appointments a
         WHERE a.patient_id = ?2 AND a.start >= ?3 AND a.start < date(?3, '+1 day') AND +a.status = 'done'
           AND a.treatment_code = ?4
           AND NOT EXISTS (SELECT 1 FROM package_sessions s WHERE s.appointment_id = a.id)
         ORDER BY a.start LIMIT ?5",
        params![id, p.patient_id, day, p.treatment_code, p.sessions],
    )?;
    tx.audit(
        &Entry::new("create", "package")
            .id(id)
            .patient(p.patient_id)
            .detail(format!("{} x{} {}원", p.treatment_code, p.sessions, p.price_krw)),
    )?;
    Ok(id)
}

const USE_COLUMNS: &str = "k.id, k.patient_id, k.treatment_code, k.sessions,
    (SELECT count(*) FROM package_sessions s WHERE s.package_id = k.id), k.price_krw, k.purchased_on, k.provider_id";

fn package_use(r: &rusqlite::Row<'_>) -> rusqlite::Result<PackageUse> {
    let on: String = r.get(6)?;
    Ok(PackageUse {
        id: r.get(0)?,
        patient_id: r.get(1)?,
        treatment_code: r.get(2)?,
        sessions: r.get(3)?,
        used: r.get(4)?,
        price_krw: r.get(5)?,
        purchased_on: NaiveDate::parse_from_str(&on, DATE_FORMAT).unwrap_or_default(),
        provider_id: r.get(7)?,
    })
}

/// A patient's packages with their sessions used, oldest first (the card).
pub fn packages_of(db: &impl Db, patient_id: i64) -> Result<Vec<PackageUse>> {
    let mut stmt = db.db().prepare_cached(&format!(
        "SELECT {USE_COLUMNS} FROM packages k WHERE k.patient_id = ?1 ORDER BY k.purchased_on, k.id"
    ))?;
    Ok(stmt.query_map([patient_id], package_use)?.collect::<rusqlite::Result<_>>()?)
}

/// The open packages of several patients (Today's list: `3/10` beside each visit), by patient.
pub fn open_packages_of(db: &impl Db, patient_ids: &[i64]) -> Result<HashMap<i64, Vec<PackageUse>>> {
    let mut out: HashMap<i64, Vec<PackageUse>> = HashMap::new();
    for pid in patient_ids {
        if out.contains_key(pid) {
            continue;
        }
        let open: Vec<PackageUse> = packages_of(db, *pid)?.into_iter().filter(|p| p.is_open()).collect();
        if !open.is_empty() {
            out.insert(*pid, open);
        }
    }
    Ok(out)
}

/// The package a done visit used a session of, if any.
pub fn package_of_visit(db: &impl Db, appointment_id: i64) -> Result<Option<i64>> {
    use rusqlite::OptionalExtension;
    Ok(db
        .db()
        .query_row(
            "SELECT package_id FROM package_sessions WHERE appointment_id = ?1",
            [appointment_id],
            |r| r.get(0),
        )
        .optional()?)
}

/// Packages with at most two sessions left ("package ending": offer the next one), among the
/// patients `patient_ids` (Today's visits, the huddle's chart review).
pub fn ending(db: &impl Db, patient_ids: &[i64]) -> Result<Vec<PackageUse>> {
    Ok(open_packages_of(db, patient_ids)?.into_values().flatten().filter(|p| p.is_ending()).collect())
}

/// A patient's used-up packages with no package of the same treatment bought on or after
/// the day it was bought (other than itself): "finished without a new one", for the dropout
/// reasons.
pub fn finished_without_renewal(db: &impl Db, patient_id: i64) -> Result<Vec<PackageUse>> {
    let all = packages_of(db, patient_id)?;
    Ok(all
        .iter()
        .filter(|p| !p.is_open())
        .filter(|p| {
            !all.iter().any(|q| {
                q.id != p.id
                    && q.treatment_code == p.treatment_code
                    && (q.purchased_on, q.id) > (p.purchased_on, p.id)
            })
        })
        .cloned()
        .collect())
}
