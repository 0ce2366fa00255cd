//! Payments at the desk (수납): recording what a patient paid, usually at checkout with the
//! visit's treatment and provider prefilled, and refunds or corrections as new rows (never
//! edits), each with its reason.

use chrono::NaiveDateTime;

use super::{DeskError, Result, Why, field};
use crate::domain::parse::{Sign, parse_amount};
use crate::domain::payments::PaymentCategory;
use crate::domain::text::clean_line;
use crate::store::payments::{self as store_pay, NewPayment};
use crate::store::{Db, Store, appointments};

/// The payment form as the desk filled it: the amount as typed (`4,900,000`, `490만`, `490만원`).
#[derive(Debug, Clone, PartialEq)]
pub struct PaymentForm {
    pub patient_id: Option<i64>,
    pub paid_at: NaiveDateTime,
    pub amount: String,
    pub category: Option<PaymentCategory>,
    pub treatment_code: Option<String>,
    pub provider_id: Option<i64>,
    pub appointment_id: Option<i64>,
    pub note: String,
}

impl PaymentForm {
    /// An empty form for a patient at `paid_at`.
    pub fn new(patient_id: i64, paid_at: NaiveDateTime) -> Self {
        PaymentForm {
            patient_id: Some(patient_id),
            paid_at,
            amount: String::new(),
            category: None,
            treatment_code: None,
            provider_id: None,
            appointment_id: None,
            note: String::new(),
        }
    }
}

/// The checkout form of a visit: its patient, treatment and provider prefilled, paid now.
pub fn form_for_visit(db: &impl Db, appointment_id: i64, now: NaiveDateTime) -> Result<PaymentForm> {
    let a = appointments::get_appointment(db, appointment_id)?;
    let mut f = PaymentForm::new(a.patient_id, now);
    f.treatment_code = a.treatment_code;
    f.provider_id = a.provider_id;
    f.appointment_id = Some(a.id);
    Ok(f)
}

/// Reads a typed amount for a payment (not negative, not zero).
fn amount_of(typed: &str) -> Result<i64> {
    match parse_amount(typed, Sign::NonNegative) {
        Ok(0) => field("amount", Why::AmountZero),
        Ok(v) => Ok(v),
        Err(e) => field("amount", Why::Amount(e)),
    }
}

/// Records a payment. Returns its id. Refused: no patient, an amount that cannot be read or
/// is zero, no category.
pub fn record_payment(store: &mut Store, f: &PaymentForm) -> Result<i64> {
    let Some(patient_id) = f.patient_id else {
        return Err(DeskError::Refused(Why::NoPatient));
    };
    let amount = amount_of(&f.amount)?;
    let Some(category) = f.category else {
        return field("category", Why::CategoryMissing);
    };
    let p = NewPayment {
        treatment_code: f.treatment_code.clone().filter(|t| !t.is_empty()),
        provider_id: f.provider_id,
        appointment_id: f.appointment_id,
        note: clean_line(&f.note),
        ..NewPayment::new(patient_id, f.paid_at, amount, category)
    };
    Ok(store.write(|tx| store_pay::insert_payment(tx, &p))?)
}

/// Refunds `amount` (typed as a positive amount) of payment `payment_id` at `at`, with its
/// reason: a new row of minus that amount, same category, treatment and provider. Refused
/// when more than what is left of the payment after earlier corrections. Returns the new id.
pub fn refund(
    store: &mut Store,
    payment_id: i64,
    amount: &str,
    reason: &str,
    at: NaiveDateTime,
) -> Result<i64> {
    let amount = amount_of(amount)?;
    correct_by(store, payment_id, -amount, reason, at)
}

/// Corrects payment `payment_id` by `amount` (typed with a sign: `-50,000` takes off, `50,000`
/// adds) at `at`, with its reason. The payment never ends up negative. Returns the new id.
pub fn correct(
    store: &mut Store,
    payment_id: i64,
    amount: &str,
    reason: &str,
    at: NaiveDateTime,
) -> Result<i64> {
    let delta = match parse_amount(amount, Sign::AllowNegative) {
        Ok(0) => return field("amount", Why::AmountZero),
        Ok(v) => v,
        Err(e) => return field("amount", Why::Amount(e)),
    };
    correct_by(store, payment_id, delta, reason, at)
}

fn correct_by(
    store: &mut Store,
    payment_id: i64,
    delta: i64,
    reason: &str,
    at: NaiveDateTime,
) -> Result<i64> {
    let reason = clean_line(reason);
    if reason.is_empty() {
        return field("reason", Why::ReasonRequired);
    }
    let Some(original) = store_pay::get_payment(store, payment_id)? else {
        return Err(DeskError::Refused(Why::Conflict(format!("payment {payment_id} not found"))));
    };
    if original.corrects_id.is_some() {
        return Err(DeskError::Refused(Why::CorrectTheOriginal));
    }
    let net = store_pay::net_of(store, payment_id)?;
    if net + delta < 0 {
        return field("amount", Why::RefundTooLarge { left_krw: net });
    }
    let p = NewPayment {
        treatment_code: original.treatment_code,
        provider_id: original.provider_id,
        appointment_id: original.appointment_id,
        corrects_id: Some(payment_id),
        reason,
        ..NewPayment::new(original.patient_id, at, delta, original.category)
    };
    Ok(store.write(|tx| store_pay::insert_payment(tx, &p))?)
}
