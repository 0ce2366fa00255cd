//! A patient's chart at the desk: post-it notes, stickers, complaints.

use super::Result;
use crate::domain::Tag;
use crate::store::complaints::{self, NewComplaint};
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
