//! Payments (수납): money taken at the desk or imported from the EMR. Rows are never edited
//! nor deleted (the schema's triggers refuse it); a refund or correction is a new row with a
//! negative amount and a reason, pointing at the payment it corrects.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{OptionalExtension, params};

use super::audit::Entry;
use super::{Db, Result, StoreError, Tx};
use crate::domain::payments::{PaymentCategory, PaymentProblem, check_amount};
use crate::domain::text::clean;
use crate::domain::{DATE_FORMAT, TIME_FORMAT};

/// A payment to record.
#[derive(Debug, Clone, PartialEq)]
pub struct NewPayment {
    pub patient_id: i64,
    pub paid_at: NaiveDateTime,
    /// Whole won; negative for a refund or correction (then `reason` is required).
    pub amount_krw: i64,
    pub category: PaymentCategory,
    pub treatment_code: Option<String>,
    pub provider_id: Option<i64>,
    pub appointment_id: Option<i64>,
    /// The payment this row corrects (refunds and corrections).
    pub corrects_id: Option<i64>,
    pub reason: String,
    pub note: String,
}

impl NewPayment {
    pub fn new(patient_id: i64, paid_at: NaiveDateTime, amount_krw: i64, category: PaymentCategory) -> Self {
        NewPayment {
            patient_id,
            paid_at,
            amount_krw,
            category,
            treatment_code: None,
            provider_id: None,
            appointment_id: None,
            corrects_id: None,
            reason: String::new(),
            note: String::new(),
        }
    }
}

/// A stored payment.
#[derive(Debug, Clone, PartialEq)]
pub struct Payment {
    pub id: i64,
    pub patient_id: i64,
    pub paid_at: NaiveDateTime,
    pub amount_krw: i64,
    pub category: PaymentCategory,
    pub treatment_code: Option<String>,
    pub provider_id: Option<i64>,
    pub appointment_id: Option<i64>,
    pub corrects_id: Option<i64>,
    pub reason: String,
    pub note: String,
    pub recorded_at: String,
    pub recorded_by: String,
}

const COLUMNS: &str = "id, patient_id, paid_at, amount_krw, category, treatment_code, provider_id, appointment_id, corrects_id, reason, note, recorded_at, recorded_by";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Payment> {
    let paid_at: String = r.get(2)?;
    let category: String = r.get(4)?;
    Ok(Payment {
        id: r.get(0)?,
        patient_id: r.get(1)?,
        paid_at: NaiveDateTime::parse_from_str(&paid_at, TIME_FORMAT).unwrap_or_default(),
        amount_krw: r.get(3)?,
        category: PaymentCategory::parse(&category).unwrap_or(PaymentCategory::Other),
        treatment_code: r.get(5)?,
        provider_id: r.get(6)?,
        appointment_id: r.get(7)?,
        corrects_id: r.get(8)?,
        reason: r.get(9)?,
        note: r.get(10)?,
        recorded_at: r.get(11)?,
        recorded_by: r.get(12)?,
    })
}

/// Who recorded a row: the staff name chosen at the keyboard, else the OS user.
fn recorder(tx: &Tx<'_>) -> String {
    let a = tx.actor();
    if a.staff.is_empty() { a.os_user.clone() } else { a.staff.clone() }
}

/// Inserts a payment (not zero; negative only with a reason; a correction's patient is the
/// corrected payment's); audits. Returns its id.
pub fn insert_payment(tx: &Tx<'_>, p: &NewPayment) -> Result<i64> {
    let reason = clean(&p.reason);
    match check_amount(p.amount_krw, &reason) {
        Ok(()) => {}
        Err(PaymentProblem::Zero) => {
            return Err(StoreError::Invalid("a payment of 0 won records nothing".into()));
        }
        Err(PaymentProblem::ReasonRequired) => {
            return Err(StoreError::Invalid("a refund or correction needs its reason".into()));
        }
    }
    if let Some(c) = p.corrects_id {
        let patient: Option<i64> =
            tx.query_row("SELECT patient_id FROM payments WHERE id = ?1", [c], |r| r.get(0)).optional()?;
        match patient {
            None => return Err(StoreError::NotFound(format!("payment {c}"))),
            Some(pid) if pid != p.patient_id => {
                return Err(StoreError::Invalid("a correction is for the same patient's payment".into()));
            }
            Some(_) => {}
        }
    }
    tx.execute(
        "INSERT INTO payments (patient_id, paid_at, amount_krw, category, treatment_code, provider_id,
                               appointment_id, corrects_id, reason, note, recorded_at, recorded_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            p.patient_id,
            p.paid_at.format(TIME_FORMAT).to_string(),
            p.amount_krw,
            p.category.code(),
            p.treatment_code,
            p.provider_id,
            p.appointment_id,
            p.corrects_id,
            reason,
            clean(&p.note),
            tx.now_text(),
            recorder(tx),
        ],
    )?;
    let id = tx.last_insert_rowid();
    let action = if p.amount_krw < 0 { "refund" } else { "create" };
    tx.audit(&Entry::new(action, "payment").id(id).patient(p.patient_id).detail(format!(
        "{} {}",
        p.category.code(),
        p.amount_krw
    )))?;
    Ok(id)
}

pub fn get_payment(conn: &impl Db, id: i64) -> Result<Option<Payment>> {
    Ok(conn
        .db()
        .query_row(&format!("SELECT {COLUMNS} FROM payments WHERE id = ?1"), [id], from_row)
        .optional()?)
}

/// A patient's payments, newest first.
pub fn for_patient(conn: &impl Db, patient_id: i64) -> Result<Vec<Payment>> {
    let mut stmt = conn.db().prepare_cached(&format!(
        "SELECT {COLUMNS} FROM payments WHERE patient_id = ?1 ORDER BY paid_at DESC, id DESC"
    ))?;
    let rows = stmt.query_map([patient_id], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// What is left of a payment after its corrections: its amount plus every row that corrects it.
pub fn net_of(conn: &impl Db, id: i64) -> Result<i64> {
    Ok(conn.db().query_row(
        "SELECT coalesce(sum(amount_krw), 0) FROM payments WHERE id = ?1 OR corrects_id = ?1",
        [id],
        |r| r.get(0),
    )?)
}

/// The payments of one visit (appointment), oldest first.
pub fn for_appointment(conn: &impl Db, appointment_id: i64) -> Result<Vec<Payment>> {
    let mut stmt = conn.db().prepare_cached(&format!(
        "SELECT {COLUMNS} FROM payments WHERE appointment_id = ?1 ORDER BY paid_at, id"
    ))?;
    let rows = stmt.query_map([appointment_id], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The takings of days `from..=to`, net of refunds: the total and each category's (every
/// category listed, in [`PaymentCategory::ALL`] order, zero when nothing was taken).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Takings {
    pub total_krw: i64,
    pub by_category: Vec<(PaymentCategory, i64)>,
    /// How many payment rows (refunds included).
    pub rows: i64,
}

pub fn takings(conn: &impl Db, from: NaiveDate, to: NaiveDate) -> Result<Takings> {
    let lo = from.format(DATE_FORMAT).to_string();
    let hi = (to + chrono::Duration::days(1)).format(DATE_FORMAT).to_string();
    let mut stmt = conn.db().prepare_cached(
        "SELECT category, sum(amount_krw), count(*) FROM payments
         WHERE paid_at >= ?1 AND paid_at < ?2 GROUP BY category",
    )?;
    let mut sums: Vec<(String, i64, i64)> = stmt
        .query_map(params![lo, hi], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut t = Takings::default();
    for c in PaymentCategory::ALL {
        let (sum, n) =
            sums.iter_mut().find(|(code, ..)| code == c.code()).map(|(_, s, n)| (*s, *n)).unwrap_or((0, 0));
        t.total_krw += sum;
        t.rows += n;
        t.by_category.push((*c, sum));
    }
    Ok(t)
}

/// Whether a payment with this patient, moment, amount and category is already stored (the
/// import's duplicate check).
pub fn exists(
    conn: &impl Db,
    patient_id: i64,
    paid_at: NaiveDateTime,
    amount_krw: i64,
    category: &str,
) -> Result<bool> {
    Ok(conn.db().query_row(
        "SELECT EXISTS (SELECT 1 FROM payments WHERE patient_id = ?1 AND paid_at = ?2 AND amount_krw = ?3 AND category = ?4)",
        params![patient_id, paid_at.format(TIME_FORMAT).to_string(), amount_krw, category],
        |r| r.get(0),
    )?)
}

/// How the revenue report groups payments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevenueBy {
    Category,
    Treatment,
    Provider,
    Month,
}

/// One group of the revenue report: its key (a category or treatment code, a provider's
/// name, a month YYYY-MM; empty for payments without one), the net amount, the payments
/// (refunds and corrections included) and the refunds' and corrections' sum (negative).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevenueRow {
    pub key: String,
    pub net_krw: i64,
    pub payments: i64,
    pub refunds_krw: i64,
}

/// Revenue over `[from, to]` by category, treatment, provider or month, largest first (months
/// in order), net of refunds. Payments are read in the period from payments_by_paid.
pub fn revenue_by(db: &impl Db, by: RevenueBy, from: NaiveDate, to: NaiveDate) -> Result<Vec<RevenueRow>> {
    let key = match by {
        RevenueBy::Category => "y.category",
        RevenueBy::Treatment => "coalesce(y.treatment_code, '')",
        RevenueBy::Provider => "coalesce((SELECT s.name FROM staff s WHERE s.id = y.provider_id), '')",
        RevenueBy::Month => "substr(y.paid_at, 1, 7)",
    };
    let order = if by == RevenueBy::Month { "1" } else { "2 DESC, 1" };
    let hi = to.succ_opt().unwrap_or(to);
    let mut stmt = db.db().prepare(&format!(
        "SELECT {key}, sum(y.amount_krw), count(*), coalesce(sum(CASE WHEN y.amount_krw < 0 THEN y.amount_krw END), 0)
         FROM payments y WHERE y.paid_at >= ?1 AND y.paid_at < ?2 GROUP BY 1 ORDER BY {order}"
    ))?;
    let rows = stmt
        .query_map(params![from.format(DATE_FORMAT).to_string(), hi.format(DATE_FORMAT).to_string()], |r| {
            Ok(RevenueRow { key: r.get(0)?, net_krw: r.get(1)?, payments: r.get(2)?, refunds_krw: r.get(3)? })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
