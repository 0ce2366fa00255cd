//! The simulated calendar: clinic days (public holidays from `domain::calendar`) and hours, and moments as seconds since the first day.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Weekday};

use super::{DAY, MIN, NOW_MINUTE, Stamp};

/// Clinic days and hours.
pub struct Calendar {
    pub start: NaiveDate,
    /// Day index of the demo date.
    pub today: i32,
    /// Last day index bookings may reach.
    pub horizon: i32,
    open: Vec<bool>,
    saturday: Vec<bool>,
    weekday_slots: Vec<i64>,
    saturday_slots: Vec<i64>,
}

impl Calendar {
    pub(super) fn new(start: NaiveDate, date: NaiveDate, future_days: i32) -> Calendar {
        let today = (date - start).num_days() as i32;
        let horizon = today + future_days;
        let mut open = Vec::with_capacity(horizon as usize + 1);
        let mut saturday = Vec::with_capacity(horizon as usize + 1);
        for d in 0..=horizon {
            let day = start + Duration::days(d as i64);
            // The demo date itself is always a clinic day: a demo that opens on an empty
            // Today would show nothing.
            open.push(
                d == today
                    || !(day.weekday() == Weekday::Sun || crate::domain::calendar::holiday(day).is_some()),
            );
            saturday.push(day.weekday() == Weekday::Sat);
        }
        let every_ten = |from: i64, to: i64| (from..=to).step_by(10).collect::<Vec<i64>>();
        let mut weekday_slots = every_ten(9 * 60 + 30, 12 * 60 + 50);
        weekday_slots.extend(every_ten(14 * 60, 18 * 60 + 30));
        let saturday_slots = every_ten(9 * 60 + 30, 13 * 60 + 30);
        Calendar { start, today, horizon, open, saturday, weekday_slots, saturday_slots }
    }

    /// The day index of a date (the inverse of [`Calendar::date`]).
    pub fn index(&self, date: NaiveDate) -> i32 {
        (date - self.start).num_days() as i32
    }

    pub fn date(&self, d: i32) -> NaiveDate {
        self.start + Duration::days(d as i64)
    }

    pub fn is_open(&self, d: i32) -> bool {
        d >= 0 && d <= self.horizon && self.open[d as usize]
    }

    pub(super) fn is_saturday(&self, d: i32) -> bool {
        self.saturday[d as usize]
    }

    /// The first clinic day on or after `d` (past the horizon when there is none).
    pub fn next_open(&self, mut d: i32) -> i32 {
        while d <= self.horizon && !self.is_open(d) {
            d += 1;
        }
        d
    }

    pub(super) fn slots(&self, d: i32) -> &[i64] {
        if self.is_saturday(d) { &self.saturday_slots } else { &self.weekday_slots }
    }

    /// Last minute of the day at which the desk works.
    pub(super) fn closing_minute(&self, d: i32) -> i64 {
        if self.is_saturday(d) { 14 * 60 } else { 19 * 60 }
    }

    pub fn now(&self) -> Stamp {
        stamp(self.today, NOW_MINUTE)
    }

    pub fn time(&self, s: Stamp) -> NaiveDateTime {
        self.start.and_hms_opt(0, 0, 0).expect("midnight") + Duration::seconds(s)
    }
}

pub fn stamp(day: i32, minute: i64) -> Stamp {
    day as i64 * DAY + minute * MIN
}

pub fn day_of(s: Stamp) -> i32 {
    s.div_euclid(DAY) as i32
}
