//! Payments (수납): the category a payment is booked under, and the rules a payment and its
//! corrections follow. Pure: the store keeps the rows, the desk takes the forms.

use std::fmt;

use super::Lang;

code_enum! {
    /// What pays for a visit: the national health insurance's covered part (급여), the
    /// patient's own non-covered treatments (비급여), car insurance (자보), or other.
    PaymentCategory {
        Covered = "covered", "급여", "Covered";
        NonCovered = "non_covered", "비급여", "Non-covered";
        CarInsurance = "car_insurance", "자보", "Car insurance";
        Other = "other", "기타", "Other";
    }
}

impl PaymentCategory {
    /// [`PaymentCategory::parse`], plus the longer words an EMR export writes
    /// (`건강보험`, `보험`, `자동차보험`, `non-covered`).
    pub fn parse_loose(s: &str) -> Option<PaymentCategory> {
        if let Some(c) = PaymentCategory::parse(s) {
            return Some(c);
        }
        let key: String = s.trim().to_lowercase().chars().filter(|c| !c.is_whitespace()).collect();
        match key.as_str() {
            "보험" | "건강보험" | "건보" | "급여진료" | "insurance" => {
                Some(PaymentCategory::Covered)
            }
            "비보험" | "비급여진료" | "non-covered" | "noncovered" | "uncovered" => {
                Some(PaymentCategory::NonCovered)
            }
            "자동차보험" | "자동차" | "carinsurance" | "car" | "auto" => {
                Some(PaymentCategory::CarInsurance)
            }
            _ => None,
        }
    }

    /// The accepted codes and labels, for messages.
    pub fn accepted() -> String {
        PaymentCategory::ALL
            .iter()
            .map(|c| format!("{} ({})", c.code(), c.label(Lang::Ko)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Why a payment cannot be recorded as entered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaymentProblem {
    /// A zero amount records nothing.
    Zero,
    /// A negative amount (a refund or correction) needs its reason.
    ReasonRequired,
}

/// Checks an amount and its reason: not zero; negative only with a reason.
pub fn check_amount(amount_krw: i64, reason: &str) -> Result<(), PaymentProblem> {
    if amount_krw == 0 {
        return Err(PaymentProblem::Zero);
    }
    if amount_krw < 0 && reason.trim().is_empty() {
        return Err(PaymentProblem::ReasonRequired);
    }
    Ok(())
}

/// The most sessions one package holds.
pub const MAX_PACKAGE_SESSIONS: i64 = 200;

/// The share of patients the 고가환자 sticker is suggested for: the lecture's 20:80.
pub const HIGH_VALUE_SHARE: f64 = 0.2;

/// The patients in the top `share` by spending (`(patient, won)`, only those who spent more
/// than nothing count): the ceil(share × n) largest, and any tied with the last of them.
pub fn top_spenders(spending: &[(i64, i64)], share: f64) -> Vec<i64> {
    let mut paying: Vec<(i64, i64)> = spending.iter().copied().filter(|(_, won)| *won > 0).collect();
    if paying.is_empty() {
        return Vec::new();
    }
    paying.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let k = ((paying.len() as f64 * share).ceil() as usize).clamp(1, paying.len());
    let floor = paying[k - 1].1;
    paying.into_iter().take_while(|(_, won)| *won >= floor).map(|(p, _)| p).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_top_fifth_by_spending_with_ties_and_nothing_spent_left_out() {
        // Ten paying patients: the top two; a tie with the second is in too.
        let spending: Vec<(i64, i64)> = (1..=10).map(|p| (p, p * 100)).chain([(11, 0), (12, -50)]).collect();
        assert_eq!(super::top_spenders(&spending, 0.2), vec![10, 9]);
        let mut tied = spending.clone();
        tied.push((13, 900));
        assert_eq!(super::top_spenders(&tied, 0.2), vec![10, 9, 13]);
        // One paying patient is the top fifth; none: nobody.
        assert_eq!(super::top_spenders(&[(5, 10)], 0.2), vec![5]);
        assert!(super::top_spenders(&[(5, 0)], 0.2).is_empty());
    }

    use super::*;

    #[test]
    fn categories_read_codes_labels_and_emr_words() {
        assert_eq!(PaymentCategory::parse_loose("non_covered"), Some(PaymentCategory::NonCovered));
        assert_eq!(PaymentCategory::parse_loose("비급여"), Some(PaymentCategory::NonCovered));
        assert_eq!(PaymentCategory::parse_loose(" 자보 "), Some(PaymentCategory::CarInsurance));
        assert_eq!(PaymentCategory::parse_loose("자동차보험"), Some(PaymentCategory::CarInsurance));
        assert_eq!(PaymentCategory::parse_loose("건강보험"), Some(PaymentCategory::Covered));
        assert_eq!(PaymentCategory::parse_loose("Car insurance"), Some(PaymentCategory::CarInsurance));
        assert_eq!(PaymentCategory::parse_loose("기타"), Some(PaymentCategory::Other));
        assert_eq!(PaymentCategory::parse_loose("현금"), None);
    }

    #[test]
    fn a_negative_amount_needs_a_reason_and_zero_is_refused() {
        assert_eq!(check_amount(0, "x"), Err(PaymentProblem::Zero));
        assert_eq!(check_amount(-10_000, " "), Err(PaymentProblem::ReasonRequired));
        assert_eq!(check_amount(-10_000, "환불"), Ok(()));
        assert_eq!(check_amount(4_900_000, ""), Ok(()));
    }
}
