//! Import and export of CSV files (DESIGN §6). An import is all or nothing: every row is
//! checked and written inside one `BEGIN IMMEDIATE` transaction, and the first bad row rolls
//! everything back with an error naming the line, the column and the reason.

use std::collections::HashMap;

use super::StoreError;

mod read;
pub use read::*;
mod already;
mod cells;
mod import;
mod insert;
mod ready;
pub use import::*;
mod export;
pub use export::*;

/// One data row with its line in the file, cells by column name.
struct Row {
    line: u64,
    cells: HashMap<String, String>,
}

impl Row {
    fn get(&self, column: &str) -> &str {
        self.cells.get(column).map(String::as_str).unwrap_or("")
    }
}

/// Names the file, line and column of a problem.
struct Place<'a> {
    file: &'a str,
    line: u64,
    /// The importing day, for range checks (a birth date is not in the future).
    today: chrono::NaiveDate,
}

impl Place<'_> {
    fn err(&self, column: &str, reason: impl std::fmt::Display) -> StoreError {
        StoreError::Invalid(format!("{} line {}, column {column}: {reason}", self.file, self.line))
    }
}

/// What the rows of one file registered, for later rows of the same file.
#[derive(Default)]
struct InFile {
    /// Chart numbers of the patients this file registers (preparing) and their ids (writing).
    charts: HashMap<String, i64>,
    /// Phones (digits) of the people consultation rows register, and their ids.
    phones: HashMap<String, i64>,
}
