//! Cell readers for an import: staff, catalog codes, dates, phones, amounts, known patients.

use super::Place;
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
