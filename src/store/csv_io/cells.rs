//! Cell readers for an import: staff, catalog codes, dates, phones, amounts, known patients.

use super::{Place, Row};
use crate::domain::TIME_FORMAT;
use crate::domain::import::parse_date;
use crate::domain::import::parse_datetime;
use crate::domain::phone::Phone;
use crate::store::Result;
use crate::store::catalog::Catalog;
use crate::store::catalog::CodeLabel;
use crate::store::inquiries::patient_by_chart_no;
use chrono::NaiveDateTime;
use rusqlite::Connection;

pub(super) fn accepted(list: &[CodeLabel]) -> String {
    list.iter().map(|c| format!("{}/{}", c.code, c.ko)).collect::<Vec<_>>().join(", ")
}

/// A staff member by name (the `provider` column); empty is None.
pub(super) fn provider(place: &Place<'_>, cat: &Catalog, name: &str) -> Result<Option<i64>> {
    if name.is_empty() {
        return Ok(None);
    }
    let found = cat.staff.iter().find(|s| s.name == name).map(|s| s.id);
    found.map(Some).ok_or_else(|| {
        let known: Vec<&str> = cat.staff.iter().map(|s| s.name.as_str()).collect();
        place.err(
            "provider",
            format!(
                "'{name}' is not on the staff (known: {})",
                if known.is_empty() { "none yet; add staff in setup".to_string() } else { known.join(", ") }
            ),
        )
    })
}

/// A catalog code from its code, label or alias; empty is None.
pub(super) fn code(
    place: &Place<'_>,
    column: &str,
    value: &str,
    list: &[CodeLabel],
    what: &str,
) -> Result<Option<String>> {
    if value.is_empty() {
        return Ok(None);
    }
    match list.iter().find(|c| c.matches(value)) {
        Some(c) => Ok(Some(c.code.clone())),
        None => {
            Err(place.err(column, format!("'{value}' is not a known {what} (accepted: {})", accepted(list))))
        }
    }
}

pub(super) fn optional_date(
    place: &Place<'_>,
    column: &str,
    value: &str,
) -> Result<Option<chrono::NaiveDate>> {
    if value.is_empty() { Ok(None) } else { parse_date(value).map(Some).map_err(|e| place.err(column, e)) }
}

pub(super) fn required_datetime(place: &Place<'_>, column: &str, value: &str) -> Result<NaiveDateTime> {
    if value.is_empty() {
        return Err(place.err(column, "is empty (use YYYY-MM-DD HH:MM)"));
    }
    parse_datetime(value).map_err(|e| place.err(column, e))
}

pub(super) fn optional_phone(place: &Place<'_>, column: &str, value: &str) -> Result<String> {
    if value.is_empty() {
        return Ok(String::new());
    }
    Phone::parse(value).map(|p| p.digits).map_err(|e| place.err(column, format!("'{value}': {e}")))
}

pub(super) fn existing_patient(
    conn: &Connection,
    place: &Place<'_>,
    column: &str,
    chart_no: &str,
    same_file: bool,
) -> Result<i64> {
    if chart_no.is_empty() {
        return Err(place.err(column, "is empty (a chart number is needed)"));
    }
    match patient_by_chart_no(conn, chart_no)? {
        Some(p) => Ok(p.id),
        None if same_file => Err(place.err(
            column,
            format!(
                "'{chart_no}' is not a chart number in the database or earlier in this file (leading zeros do not matter: 58 is 000058; import that patient first)"
            ),
        )),
        None => Err(place.err(
            column,
            format!(
                "'{chart_no}' is not a chart number in the database (leading zeros do not matter: 58 is 000058; import the patients file first)"
            ),
        )),
    }
}

pub(super) fn won(place: &Place<'_>, column: &str, value: &str) -> Result<Option<i64>> {
    if value.is_empty() {
        return Ok(None);
    }
    crate::domain::parse::parse_amount(value, crate::domain::parse::Sign::NonNegative)
        .map(Some)
        .map_err(|e| place.err(column, e))
}

pub(super) fn ts(t: NaiveDateTime) -> String {
    t.format(TIME_FORMAT).to_string()
}

/// One row's cells, each read by its column's name: the name says which cell to read and
/// where a problem is, so it is written once per cell.
pub(super) struct Cells<'a> {
    pub conn: &'a Connection,
    pub cat: &'a Catalog,
    pub place: &'a Place<'a>,
    pub row: &'a Row,
}

impl Cells<'_> {
    /// The cell as written (trimmed and cleaned when the file was read).
    pub fn text(&self, column: &str) -> &str {
        self.row.get(column)
    }
    pub fn err(&self, column: &str, reason: impl std::fmt::Display) -> crate::store::StoreError {
        self.place.err(column, reason)
    }
    pub fn datetime(&self, column: &str) -> Result<NaiveDateTime> {
        required_datetime(self.place, column, self.text(column))
    }
    /// A date and time, or `otherwise` when the cell is empty.
    pub fn datetime_or(&self, column: &str, otherwise: NaiveDateTime) -> Result<NaiveDateTime> {
        match self.text(column) {
            "" => Ok(otherwise),
            v => parse_datetime(v).map_err(|e| self.err(column, e)),
        }
    }
    pub fn date(&self, column: &str) -> Result<Option<chrono::NaiveDate>> {
        optional_date(self.place, column, self.text(column))
    }
    /// A phone's digits; empty when the cell is.
    pub fn phone(&self, column: &str) -> Result<String> {
        optional_phone(self.place, column, self.text(column))
    }
    pub fn won(&self, column: &str) -> Result<Option<i64>> {
        won(self.place, column, self.text(column))
    }
    pub fn code(&self, column: &str, list: &[CodeLabel], what: &str) -> Result<Option<String>> {
        code(self.place, column, self.text(column), list, what)
    }
    /// A treatment by code or label.
    pub fn treatment(&self, column: &str) -> Result<Option<String>> {
        let treatments: Vec<CodeLabel> = self.cat.treatments.iter().map(|t| t.code.clone()).collect();
        self.code(column, &treatments, "treatment")
    }
    /// The `provider` column: a staff member by name.
    pub fn provider(&self) -> Result<Option<i64>> {
        provider(self.place, self.cat, self.text("provider"))
    }
    /// A patient already in the database by chart number (`same_file`: or earlier in the file).
    pub fn patient(&self, column: &str, same_file: bool) -> Result<i64> {
        existing_patient(self.conn, self.place, column, self.text(column), same_file)
    }
    /// One of a fixed set of words (`parse` reads code or label), `empty` when the cell is
    /// empty; else "'x' is not {what}" (what names the set and its accepted words).
    pub fn choice<T>(
        &self,
        column: &str,
        empty: T,
        parse: impl Fn(&str) -> Option<T>,
        what: &str,
    ) -> Result<T> {
        match self.text(column) {
            "" => Ok(empty),
            v => parse(v).ok_or_else(|| self.err(column, format!("'{v}' is not {what}"))),
        }
    }
}
