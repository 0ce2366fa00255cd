//! Whether the database already holds the record an import row describes.

use super::Row;
use super::cells::ts;
use crate::domain::import::CsvKind;
use crate::domain::import::parse_date;
use crate::domain::import::parse_datetime;
use crate::domain::phone::Phone;
use crate::store::Result;
use crate::store::catalog::Catalog;
use crate::store::inquiries::patient_by_chart_no;
use crate::store::inquiries::patient_by_phone;
use rusqlite::Connection;

/// True when the database already holds the record this row describes: the same person at
/// the same time for the same kind of record. Importing a file twice then adds nothing.
/// A row whose cells do not parse is not "already there" (its import names the error).
/// Patients: the same chart number (canonical form) under the same name, or the same name
/// and phone; appointments: the same patient and start; inquiries: the same time and phone
/// (the caller's name when there is no phone); consultations: the same patient and time;
/// complaints: the same patient, time and category.
pub(super) fn already_in_database(
    conn: &Connection,
    cat: &Catalog,
    kind: CsvKind,
    row: &Row,
) -> Result<bool> {
    use crate::domain::text::{chart_key, clean_line};
    let exists = |sql: &str, args: &[&dyn rusqlite::ToSql]| -> Result<bool> {
        Ok(conn.query_row(&format!("SELECT EXISTS ({sql})"), args, |r| r.get(0))?)
    };
    let patient = |chart: &str| -> Result<Option<i64>> {
        if chart.is_empty() { Ok(None) } else { Ok(patient_by_chart_no(conn, chart)?.map(|p| p.id)) }
    };
    let digits = |phone: &str| Phone::parse(phone).map(|p| p.digits).ok();
    let time = |v: &str| parse_datetime(v).ok().map(ts);
    match kind {
        CsvKind::Patients => {
            let name = clean_line(row.get("name"));
            if name.is_empty() {
                return Ok(false);
            }
            let chart = row.get("chart_no");
            if !chart.is_empty()
                && exists(
                    "SELECT 1 FROM patients WHERE chart_key = ?1 AND name = ?2",
                    &[&chart_key(chart), &name],
                )?
            {
                return Ok(true);
            }
            match digits(row.get("phone")) {
                Some(d) => {
                    exists("SELECT 1 FROM patients WHERE phone_digits = ?1 AND name = ?2", &[&d, &name])
                }
                None => Ok(false),
            }
        }
        CsvKind::Appointments => match (patient(row.get("chart_no"))?, time(row.get("start"))) {
            (Some(p), Some(start)) => {
                exists("SELECT 1 FROM appointments WHERE patient_id = ?1 AND start = ?2", &[&p, &start])
            }
            _ => Ok(false),
        },
        CsvKind::Inquiries => {
            let Some(at) = time(row.get("received_at")) else { return Ok(false) };
            match digits(row.get("phone")) {
                Some(d) => {
                    exists("SELECT 1 FROM inquiries WHERE received_at = ?1 AND phone_digits = ?2", &[&at, &d])
                }
                None if row.get("phone").is_empty() => exists(
                    "SELECT 1 FROM inquiries WHERE received_at = ?1 AND phone_digits = '' AND caller_name = ?2",
                    &[&at, &clean_line(row.get("caller_name"))],
                ),
                None => Ok(false),
            }
        }
        CsvKind::Consultations => {
            let Some(at) = time(row.get("consulted_at")) else { return Ok(false) };
            let who = if !row.get("chart_no").is_empty() {
                patient(row.get("chart_no"))?
            } else {
                match digits(row.get("phone")) {
                    Some(d) => patient_by_phone(conn, &d)?.map(|p| p.id),
                    None => None,
                }
            };
            match who {
                Some(p) => exists(
                    "SELECT 1 FROM consultations WHERE patient_id = ?1 AND consulted_at = ?2",
                    &[&p, &at],
                ),
                None => Ok(false),
            }
        }
        CsvKind::Complaints => {
            let category = cat.complaint_categories.iter().find(|c| c.matches(row.get("category")));
            match (patient(row.get("chart_no"))?, time(row.get("raised_at")), category) {
                (Some(p), Some(at), Some(c)) => exists(
                    "SELECT 1 FROM complaints WHERE patient_id = ?1 AND raised_at = ?2 AND category_code = ?3",
                    &[&p, &at, &c.code],
                ),
                _ => Ok(false),
            }
        }
        CsvKind::Payments => {
            let amount = crate::domain::parse::parse_amount(
                row.get("amount_krw"),
                crate::domain::parse::Sign::AllowNegative,
            )
            .ok();
            let category = crate::domain::payments::PaymentCategory::parse_loose(row.get("category"));
            match (patient(row.get("chart_no"))?, parse_datetime(row.get("paid_at")).ok(), amount, category) {
                (Some(p), Some(at), Some(a), Some(c)) => {
                    crate::store::payments::exists(conn, p, at, a, c.code())
                }
                _ => Ok(false),
            }
        }
        CsvKind::Packages => {
            let treatment = cat.treatments.iter().find(|t| t.code.matches(row.get("treatment")));
            match (patient(row.get("chart_no"))?, parse_date(row.get("sold_on")).ok(), treatment) {
                (Some(p), Some(on), Some(t)) => exists(
                    "SELECT 1 FROM packages WHERE patient_id = ?1 AND purchased_on = ?2 AND treatment_code = ?3",
                    &[&p, &on.to_string(), &t.code.code],
                ),
                _ => Ok(false),
            }
        }
    }
}
