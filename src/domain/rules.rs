//! The value ranges of the clinic's data, named once: the forms, `setup load`, the desk
//! actions and the store's checks all read them from here, so they cannot disagree.

use chrono::{Datelike, NaiveDate};

/// An inclusive range of whole numbers a value must fall in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub min: i64,
    pub max: i64,
}

impl Range {
    pub const fn new(min: i64, max: i64) -> Range {
        Range { min, max }
    }

    pub const fn contains(&self, v: i64) -> bool {
        self.min <= v && v <= self.max
    }

    /// "must be 5 to 120", for messages in English (setup files, the CLI).
    pub fn must_be(&self) -> String {
        format!("must be {} to {}", self.min, self.max)
    }
}

/// The grid step of the day view, in minutes.
pub const SLOT_MINUTES: Range = Range::new(5, 120);
/// How many appointments of one treatment may start in one hour.
pub const HOURLY_CAP: Range = Range::new(1, 99);
/// How long a treatment takes, in minutes.
pub const DURATION_MINUTES: Range = Range::new(1, 600);
/// Sessions sold in one package.
pub const SESSIONS: Range = Range::new(1, super::payments::MAX_PACKAGE_SESSIONS);
/// An amount of won as read from the desk or a file (anything larger is a slip of the keyboard).
pub const AMOUNT: Range = Range::new(0, super::parse::MAX_AMOUNT);
/// How many referred patients make a 소개환자 sticker.
pub const REFERRER_THRESHOLD: Range = Range::new(1, 100);

/// A birth date: not before 1900, not after today.
pub struct BirthDate;

/// The one birth-date rule.
pub const BIRTH_DATE: BirthDate = BirthDate;

impl BirthDate {
    pub const MIN_YEAR: i32 = super::parse::MIN_YEAR;

    pub fn allows(&self, date: NaiveDate, today: NaiveDate) -> bool {
        date <= today && date.year() >= Self::MIN_YEAR
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_inclusive() {
        assert!(SLOT_MINUTES.contains(5) && SLOT_MINUTES.contains(120));
        assert!(!SLOT_MINUTES.contains(4) && !SLOT_MINUTES.contains(121));
        assert!(HOURLY_CAP.contains(1) && !HOURLY_CAP.contains(0) && !HOURLY_CAP.contains(100));
        assert_eq!(SLOT_MINUTES.must_be(), "must be 5 to 120");
    }

    #[test]
    fn birth_dates_are_not_in_the_future_nor_before_1900() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert!(BIRTH_DATE.allows(NaiveDate::from_ymd_opt(1900, 1, 1).unwrap(), today));
        assert!(BIRTH_DATE.allows(today, today));
        assert!(!BIRTH_DATE.allows(today.succ_opt().unwrap(), today));
        assert!(!BIRTH_DATE.allows(NaiveDate::from_ymd_opt(1899, 12, 31).unwrap(), today));
    }
}
