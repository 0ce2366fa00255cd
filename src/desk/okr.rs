//! Objectives and key results at the desk: set them, edit them, check in a value.

use chrono::NaiveDate;

use super::Result;
use crate::domain::okr::{KeyResultDef, ObjectiveDef};
use crate::store::Store;
use crate::store::okr as store_okr;

pub fn create_objective(store: &mut Store, def: &ObjectiveDef) -> Result<i64> {
    Ok(store.write(|tx| store_okr::create_objective(tx, def))?)
}

pub fn update_objective(
    store: &mut Store,
    id: i64,
    title: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<()> {
    Ok(store.write(|tx| store_okr::update_objective(tx, id, title, from, to))?)
}

pub fn create_key_result(store: &mut Store, objective_id: i64, kr: &KeyResultDef) -> Result<i64> {
    Ok(store.write(|tx| store_okr::create_key_result(tx, objective_id, kr))?)
}

pub fn update_key_result(store: &mut Store, id: i64, kr: &KeyResultDef) -> Result<()> {
    Ok(store.write(|tx| store_okr::update_key_result(tx, id, kr))?)
}

/// Updates a key result from the editor with its filter fields: the filters become what the
/// editor shows, in the same write. `had_filters`: the key result was narrowed before, so an
/// editor showing none sets it back to the whole clinic (`set_key_result_filters`).
pub fn edit_key_result(store: &mut Store, id: i64, kr: &KeyResultDef, had_filters: bool) -> Result<()> {
    Ok(store.write(|tx| {
        store_okr::update_key_result(tx, id, kr)?;
        // Filters carried by the metric are written by the update itself.
        if kr.metric.filters().is_none() && had_filters {
            store_okr::set_key_result_filters(tx, id, &Default::default())?;
        }
        Ok(())
    })?)
}

/// Records a manual key result's value on a day.
pub fn check_in(
    store: &mut Store,
    key_result_id: i64,
    on: NaiveDate,
    value: f64,
    comment: &str,
) -> Result<i64> {
    Ok(store.write(|tx| store_okr::add_checkin(tx, key_result_id, on, value, comment))?)
}
