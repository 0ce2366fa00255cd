//! The widget kit: one way to do each small UI thing, shared by every tab and overlay.
//!
//! - [`selection`]: a list selection (keys, paging by the visible height, scroll offset).
//! - [`table`]: a data table with width-aware columns and a visible selected-row marker.
//! - [`progress`]: the progress bar of the OKR tab and the huddle's pulse.
//! - [`confirm`]: the yes/no prompt with one key set.
//! - [`choices`]: form choices from the catalog (active treatments, coded sources).
//! - [`line_input`]: the one line editor (form fields, search, filters).

pub mod choices;
pub mod confirm;
pub mod line_input;
pub mod progress;
pub mod selection;
pub mod table;
