//! The morning huddle at the desk: its record (started, length), actions agreed for a
//! patient, ticking them off, and the record of names unmasked on the shared screen.

use chrono::{NaiveDate, NaiveDateTime};

use super::Result;
use crate::store::Store;
use crate::store::huddle as hs;

/// Adds an action for a patient to today's huddle, starting the huddle's record at `now`
/// when there is none yet. Returns the huddle's id.
pub fn add_action(
    store: &mut Store,
    huddle_id: Option<i64>,
    day: NaiveDate,
    now: NaiveDateTime,
    patient_id: i64,
    action: &str,
    owner: &str,
) -> Result<i64> {
    Ok(store.write(|tx| {
        let huddle_id = match huddle_id {
            Some(id) => id,
            None => hs::start_huddle(tx, day, now)?,
        };
        hs::insert_action(tx, Some(huddle_id), patient_id, action, owner)?;
        Ok(huddle_id)
    })?)
}

/// The huddle's timer started or paused: the record is made when it first starts, and its
/// length (`elapsed` seconds) saved at each pause. Returns the huddle's id.
pub fn timer_toggled(
    store: &mut Store,
    huddle_id: Option<i64>,
    running: bool,
    day: NaiveDate,
    now: NaiveDateTime,
    elapsed: i64,
) -> Result<Option<i64>> {
    Ok(store.write(|tx| match (huddle_id, running) {
        (None, _) => hs::start_huddle(tx, day, now).map(Some),
        (Some(id), false) => hs::set_huddle_length(tx, id, elapsed).map(|_| Some(id)),
        (Some(id), true) => Ok(Some(id)),
    })?)
}

/// Ticks off an agreed action.
pub fn tick_action(store: &mut Store, action_id: i64) -> Result<()> {
    Ok(store.write(|tx| hs::tick_action(tx, action_id))?)
}

/// Takes a tick back: the action is open again (the undo of [`tick_action`]); audited.
pub fn untick_action(store: &mut Store, action_id: i64) -> Result<()> {
    Ok(store.write(|tx| hs::untick_action(tx, action_id))?)
}
