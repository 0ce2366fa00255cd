//! Selling a package at the desk (횟수 관리): treatment, sessions, price, who sold it and the
//! day, with its payment recorded in the same action. Sessions are then used by done visits
//! (see `store::packages`).

use chrono::NaiveDateTime;

use super::{DeskError, Result, Unit, Why, field};
use crate::domain::parse::{Sign, parse_amount};
use crate::domain::payments::PaymentCategory;
use crate::domain::text::clean_line;
use crate::store::Store;
use crate::store::packages::{self as store_pkg, NewPackage};
use crate::store::payments::{NewPayment, insert_payment};

/// The most sessions one package holds.
pub const MAX_SESSIONS: i64 = crate::domain::payments::MAX_PACKAGE_SESSIONS;

/// The package form as the desk filled it (sessions and price as typed: `10`, `120만`).
#[derive(Debug, Clone, PartialEq)]
pub struct PackageForm {
    pub patient_id: Option<i64>,
    pub treatment_code: Option<String>,
    pub sessions: String,
    pub price: String,
    /// Who sold it.
    pub provider_id: Option<i64>,
    /// When it was sold and paid.
    pub sold_at: NaiveDateTime,
    /// How it was paid for (비급여, usually).
    pub category: PaymentCategory,
    pub note: String,
}

impl PackageForm {
    pub fn new(patient_id: i64, sold_at: NaiveDateTime) -> Self {
        PackageForm {
            patient_id: Some(patient_id),
            treatment_code: None,
            sessions: String::new(),
            price: String::new(),
            provider_id: None,
            sold_at,
            category: PaymentCategory::NonCovered,
            note: String::new(),
        }
    }
}

/// What a sale recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sold {
    pub package_id: i64,
    /// None for a package given for free (price 0).
    pub payment_id: Option<i64>,
}

/// Sells a package: the package and its payment (its price, with the package's treatment and
/// seller) in one write. Refused: no patient, no treatment, sessions not 1..=200, a price
/// that cannot be read.
pub fn sell_package(store: &mut Store, f: &PackageForm) -> Result<Sold> {
    let Some(patient_id) = f.patient_id else {
        return Err(DeskError::Refused(Why::NoPatient));
    };
    let Some(treatment) = f.treatment_code.clone().filter(|t| !t.trim().is_empty()) else {
        return field("treatment", Why::TreatmentMissing);
    };
    let sessions = match parse_amount(&f.sessions, Sign::NonNegative) {
        Ok(n) if crate::domain::rules::SESSIONS.contains(n) => n,
        _ => return field("sessions", Why::OutOfRange { min: 1, max: MAX_SESSIONS, unit: Unit::None }),
    };
    let price = match parse_amount(&f.price, Sign::NonNegative) {
        Ok(v) => v,
        Err(e) => return field("price", Why::Amount(e)),
    };
    let note = clean_line(&f.note);
    let result = store.write(|tx| {
        let payment_id = if price > 0 {
            let p = NewPayment {
                treatment_code: Some(treatment.clone()),
                provider_id: f.provider_id,
                note: format!("패키지 {sessions}회"),
                ..NewPayment::new(patient_id, f.sold_at, price, f.category)
            };
            Some(insert_payment(tx, &p)?)
        } else {
            None
        };
        let package_id = store_pkg::insert_package(
            tx,
            &NewPackage {
                patient_id,
                treatment_code: treatment.clone(),
                sessions,
                price_krw: price,
                purchased_on: f.sold_at.date(),
                provider_id: f.provider_id,
                note: note.clone(),
                payment_id,
            },
        )?;
        Ok(Sold { package_id, payment_id })
    });
    match result {
        Ok(sold) => Ok(sold),
        Err(crate::store::StoreError::Invalid(m)) => Err(DeskError::Refused(Why::Conflict(m))),
        Err(e) => Err(e.into()),
    }
}
