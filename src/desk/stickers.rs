//! Sticker suggestions at the desk: accept (the sticker goes on) or dismiss (not suggested
//! again), each one write, audited (see `store::stickers`).

use super::{DeskError, Result, Why};
use crate::domain::Tag;
use crate::store::{Store, StoreError, stickers};

/// Accepts the suggested sticker `tag` for a patient.
pub fn accept_sticker(store: &mut Store, patient_id: i64, tag: Tag) -> Result<()> {
    Ok(store.write(|tx| stickers::accept(tx, patient_id, tag))?)
}

/// Dismisses the suggested sticker `tag` for a patient.
pub fn dismiss_sticker(store: &mut Store, patient_id: i64, tag: Tag) -> Result<()> {
    Ok(store.write(|tx| stickers::dismiss(tx, patient_id, tag))?)
}

/// Sets how many referred patients make a 소개환자 (1 to 100).
pub fn set_referrer_threshold(store: &mut Store, n: i64) -> Result<()> {
    let range = crate::domain::rules::REFERRER_THRESHOLD;
    if !range.contains(n) {
        return Err(DeskError::Refused(Why::OutOfRange {
            min: range.min,
            max: range.max,
            unit: super::Unit::None,
        }));
    }
    match store.write(|tx| stickers::set_referrer_threshold(tx, n)) {
        Ok(()) => Ok(()),
        Err(StoreError::Invalid(m)) => Err(DeskError::Refused(Why::Conflict(m))),
        Err(e) => Err(e.into()),
    }
}
