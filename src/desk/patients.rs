//! A patient's chart at the desk: post-it notes, stickers, complaints.

use super::{Result, Why, field};
use crate::domain::Tag;
use crate::domain::phone::Phone;
use crate::domain::text::clean_line;
use crate::store::complaints::{self, NewComplaint};
use crate::store::patients::{self, Patient};
use crate::store::{Store, notes, tags};

/// Sticks a post-it note on the chart.
pub fn add_note(store: &mut Store, patient_id: i64, body: &str) -> Result<i64> {
    Ok(store.write(|tx| notes::add_note(tx, patient_id, body))?)
}

/// Sets the chart's stickers to exactly `want`.
pub fn set_stickers(store: &mut Store, patient_id: i64, want: &[Tag]) -> Result<()> {
    Ok(store.write(|tx| tags::set_tags(tx, patient_id, want))?)
}

/// Records a complaint (its moment is in `c`, from the caller's clock).
pub fn record_complaint(store: &mut Store, c: &NewComplaint) -> Result<i64> {
    Ok(store.write(|tx| complaints::insert_complaint(tx, c))?)
}

/// What a correction of name and phone did.
#[derive(Debug, Clone, PartialEq)]
pub enum Corrected {
    /// Saved: the fields changed (none when nothing differed), audited with before and after.
    Saved(Vec<&'static str>),
    /// Not saved: the phone is already another patient's (these). Correcting again with
    /// `same_phone_ok` saves anyway.
    SamePhone(Vec<Patient>),
}

/// Corrects a patient's name and phone: the name must not be empty, the phone must read as
/// everywhere (or be empty); a phone another patient has is a warning the desk accepts by
/// asking again with `same_phone_ok`. One audited write.
pub fn correct_identity(
    store: &mut Store,
    patient_id: i64,
    name: &str,
    phone: &str,
    same_phone_ok: bool,
) -> Result<Corrected> {
    if clean_line(name).is_empty() {
        return field("name", Why::NameEmpty);
    }
    let phone = if phone.trim().is_empty() {
        None
    } else {
        match Phone::parse(phone) {
            Ok(p) => Some(p),
            Err(m) => return field("phone", Why::Phone(m)),
        }
    };
    if let (Some(p), false) = (&phone, same_phone_ok) {
        let others: Vec<Patient> =
            patients::find_by_phone(&*store, &p.digits)?.into_iter().filter(|o| o.id != patient_id).collect();
        if !others.is_empty() {
            return Ok(Corrected::SamePhone(others));
        }
    }
    let changed = store.write(|tx| patients::correct_identity(tx, patient_id, name, phone.as_ref()))?;
    Ok(Corrected::Saved(changed))
}
