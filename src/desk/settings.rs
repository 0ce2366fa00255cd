//! Settings at the desk (the settings screen and the first-run setup): the clinic's details
//! and hours, staff, treatments, referral sources and channels, complaint categories,
//! dropout weights. Range checks on the typed values stay with the forms for now.

use chrono::NaiveDate;

use super::Result;
use crate::domain::setup::{LabelEntry, SourceEntry, TreatmentEntry};
use crate::domain::{ClinicKind, Role};
use crate::store::Store;
use crate::store::settings::{self as s, CodeTable};

/// The setting that says the first-run setup was done ("1") or skipped.
pub const SETUP_DONE: &str = "setup_done";

/// The clinic's details as the settings screen edits them.
#[derive(Debug, Clone, PartialEq)]
pub struct ClinicDetails {
    pub kind: ClinicKind,
    pub name: String,
    /// The clinic's language code (`ko`, `en`).
    pub lang: String,
    /// Comma-separated day codes.
    pub open_days: String,
    pub hours: String,
    pub saturday_hours: String,
    pub lunch: String,
    pub parking: String,
}

/// Saves the clinic's details; a new kind of clinic (`current_kind` differs) reseeds its
/// treatments, answers and OKR template first (refused once records exist).
pub fn save_clinic(store: &mut Store, d: &ClinicDetails, current_kind: &str, today: NaiveDate) -> Result<()> {
    Ok(store.write(|tx| {
        if d.kind.code() != current_kind {
            s::set_clinic_kind(tx, d.kind, today)?;
        }
        write_details(tx, d)
    })?)
}

fn write_details(tx: &crate::store::Tx<'_>, d: &ClinicDetails) -> crate::store::Result<()> {
    s::set_setting(tx, "clinic_name", &d.name)?;
    s::set_setting(tx, "lang", &d.lang)?;
    s::set_setting(tx, "open_days", &d.open_days)?;
    s::set_setting(tx, "hours", &d.hours)?;
    s::set_setting(tx, "saturday_hours", &d.saturday_hours)?;
    s::set_setting(tx, "lunch", &d.lunch)?;
    s::set_setting(tx, "parking", &d.parking)
}

/// The first-run setup: the kind of clinic (seeding its catalogs), its details, and the
/// directors and desk staff, in one transaction. The language the setup was done in becomes
/// the clinic's.
pub fn first_run(
    store: &mut Store,
    d: &ClinicDetails,
    directors: &[String],
    desk: &[String],
    today: NaiveDate,
) -> Result<()> {
    Ok(store.write(|tx| {
        s::set_clinic_kind(tx, d.kind, today)?;
        for name in directors {
            s::add_staff(tx, name, Role::Director)?;
        }
        for name in desk {
            s::add_staff(tx, name, Role::Desk)?;
        }
        write_details(tx, d)?;
        s::set_setting(tx, SETUP_DONE, "1")
    })?)
}

/// The first-run setup was skipped: it is not offered again.
pub fn skip_first_run(store: &mut Store) -> Result<()> {
    if store.setting(SETUP_DONE)?.is_some() {
        return Ok(());
    }
    Ok(store.write(|tx| s::set_setting(tx, SETUP_DONE, "skipped"))?)
}

/// Adds a staff member (`id` none) or renames one and sets their role.
pub fn save_staff(store: &mut Store, id: Option<i64>, name: &str, role: Role) -> Result<()> {
    Ok(store.write(|tx| match id {
        None => s::add_staff(tx, name, role).map(|_| ()),
        Some(id) => {
            s::rename_staff(tx, id, name)?;
            s::set_staff_role(tx, id, role)
        }
    })?)
}

/// Retires (or brings back) a staff member.
pub fn set_staff_active(store: &mut Store, id: i64, active: bool) -> Result<()> {
    Ok(store.write(|tx| s::set_staff_active(tx, id, active))?)
}

pub fn save_treatment(store: &mut Store, t: &TreatmentEntry) -> Result<()> {
    Ok(store.write(|tx| s::upsert_treatment(tx, t))?)
}

pub fn save_referral_source(store: &mut Store, e: &SourceEntry) -> Result<()> {
    Ok(store.write(|tx| s::upsert_referral_source(tx, e))?)
}

pub fn save_referral_channel(store: &mut Store, e: &LabelEntry) -> Result<()> {
    Ok(store.write(|tx| s::upsert_referral_channel(tx, e))?)
}

pub fn save_complaint_category(store: &mut Store, e: &LabelEntry) -> Result<()> {
    Ok(store.write(|tx| s::upsert_complaint_category(tx, e))?)
}

pub fn set_dropout_weight(store: &mut Store, reason: &str, weight: i64) -> Result<()> {
    Ok(store.write(|tx| s::set_dropout_weight(tx, reason, weight))?)
}

/// Retires (or brings back) a code of a catalog.
pub fn set_code_active(store: &mut Store, table: CodeTable, code: &str, active: bool) -> Result<()> {
    Ok(store.write(|tx| s::set_code_active(tx, table, code, active))?)
}

/// Deletes a code nothing refers to.
pub fn delete_code(store: &mut Store, table: CodeTable, code: &str) -> Result<()> {
    Ok(store.write(|tx| s::delete_code(tx, table, code))?)
}
