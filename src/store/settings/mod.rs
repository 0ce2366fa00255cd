//! The clinic's settings: clinic details, staff, treatments, referral sources and channels,
//! complaint categories, the Q&A manual, dropout weights, opening days and hours.
//!
//! Codes are never deleted while something refers to them - they are retired and stay on old
//! records; renaming changes labels only, so history keeps its meaning.

use rusqlite::{Connection, OptionalExtension, params};

use super::audit::Entry;
use super::{Result, StoreError, Tx};

mod catalogs;
pub use catalogs::*;
mod document;
pub use document::*;

pub const DEFAULT_OPEN_DAYS: &str = "mon,tue,wed,thu,fri,sat";
pub const DEFAULT_HOURS: &str = "09:30-19:00";

fn setting(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)).optional()?)
}

/// The clinic's language setting (stored by the setup, the settings screen or `setup load`)
/// in the database file at `path`, read without opening a session: `None` when the file is
/// missing or unreadable or the setting was never stored.
pub fn clinic_lang_of_file(path: &std::path::Path) -> Option<crate::domain::Lang> {
    if !path.is_file() {
        return None;
    }
    let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).ok()?;
    let code = setting(&conn, "lang").ok().flatten()?;
    crate::domain::Lang::parse(&code)
}

/// Sets a clinic setting; audited when it changes.
pub fn set_setting(tx: &Tx<'_>, key: &str, value: &str) -> Result<()> {
    let old = setting(tx, key)?;
    if old.as_deref() == Some(value) {
        return Ok(());
    }
    tx.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    tx.audit(
        &Entry::new("update", "setting").detail(format!("{key}: {} -> {value}", old.unwrap_or_default())),
    )
}

/// The tables a code may be referred from, for "in use" checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeTable {
    Treatments,
    ReferralSources,
    ReferralChannels,
    ComplaintCategories,
}

impl CodeTable {
    fn table(self) -> &'static str {
        match self {
            CodeTable::Treatments => "treatments",
            CodeTable::ReferralSources => "referral_sources",
            CodeTable::ReferralChannels => "referral_channels",
            CodeTable::ComplaintCategories => "complaint_categories",
        }
    }

    fn references(self) -> &'static [(&'static str, &'static str)] {
        match self {
            CodeTable::Treatments => &[
                ("appointments", "treatment_code"),
                ("consultations", "treatment_code"),
                ("inquiries", "topic_code"),
                ("packages", "treatment_code"),
                ("qa_entries", "treatment_code"),
            ],
            CodeTable::ReferralSources => {
                &[("patients", "referral_source"), ("inquiries", "referral_source")]
            }
            CodeTable::ReferralChannels => {
                &[("patients", "referral_channel"), ("inquiries", "referral_channel")]
            }
            CodeTable::ComplaintCategories => &[("complaints", "category_code")],
        }
    }
}

/// True when any record refers to the code.
pub fn code_in_use(conn: &Connection, table: CodeTable, code: &str) -> Result<bool> {
    for (t, col) in table.references() {
        let used: bool =
            conn.query_row(&format!("SELECT EXISTS (SELECT 1 FROM {t} WHERE {col} = ?1)"), [code], |r| {
                r.get(0)
            })?;
        if used {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Retires or reactivates a code. Retired codes are not offered for new records.
pub fn set_code_active(tx: &Tx<'_>, table: CodeTable, code: &str, active: bool) -> Result<()> {
    let n = tx.execute(
        &format!("UPDATE {} SET active = ?2 WHERE code = ?1", table.table()),
        params![code, active],
    )?;
    if n == 0 {
        return Err(StoreError::NotFound(format!("{} {code}", table.table())));
    }
    tx.audit(&Entry::new(if active { "reactivate" } else { "retire" }, table.table()).detail(code))
}

/// Deletes a code nothing refers to; a code in use can only be retired.
pub fn delete_code(tx: &Tx<'_>, table: CodeTable, code: &str) -> Result<()> {
    if code_in_use(tx, table, code)? {
        return Err(StoreError::Invalid(format!("'{code}' is used by existing records; retire it instead")));
    }
    if table == CodeTable::ReferralSources {
        tx.execute("DELETE FROM referral_channels WHERE source_code = ?1", [code])?;
    }
    let n = tx.execute(&format!("DELETE FROM {} WHERE code = ?1", table.table()), [code])?;
    if n == 0 {
        return Err(StoreError::NotFound(format!("{} {code}", table.table())));
    }
    tx.audit(&Entry::new("delete", table.table()).detail(code))
}
