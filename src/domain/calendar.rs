//! The clinic's calendar: Korean public holidays, the clinic's open days and hours, lunch and
//! its own closed days. One rule shared by the app, the desk's booking checks and the demo.
//!
//! Public holidays for 2025–2027 are a table ([`TABLE`]): the fixed-date ones, the lunar-date
//! ones (설날, 부처님오신날, 추석) converted to solar dates, substitute holidays (대체공휴일) and
//! the one-off days (election days, the 2025-01-27 임시공휴일). Source: the official 월력요항
//! published each year by 한국천문연구원 (KASI) / 우주항공청 in 관보, and the 2026 amendment
//! of 공휴일에 관한 법률 that makes 제헌절 (7/17) a public holiday again from 2026. Outside
//! the table's years only the fixed-date holidays are known ([`holiday`] falls back to them);
//! extend the table when a new year's 월력요항 is published.
//!
//! 근로자의 날 (May 1, 노동절 from 2026) is not in the table on purpose: it is a paid day off
//! for employees under 근로자의날제정에관한법률, not a public holiday under 공휴일에 관한 법률
//! (government offices and many clinics open, paying their staff the holiday premium). A
//! clinic that closes on it adds it as one of its own closures (settings, `setup load`).

use std::collections::{BTreeMap, BTreeSet};
use std::ops::RangeInclusive;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Weekday};

use super::Lang;

/// A public holiday.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holiday {
    pub date: NaiveDate,
    pub ko: &'static str,
    pub en: &'static str,
}

impl Holiday {
    pub fn name(&self, lang: Lang) -> &'static str {
        lang.pick(self.ko, self.en)
    }
}

/// The years [`TABLE`] covers completely.
pub const TABLE_YEARS: RangeInclusive<i32> = 2025..=2027;

const NEW_YEAR: (&str, &str) = ("신정", "New Year's Day");
const SEOLLAL: (&str, &str) = ("설날", "Seollal");
const INDEPENDENCE: (&str, &str) = ("삼일절", "Independence Movement Day");
const CHILDREN: (&str, &str) = ("어린이날", "Children's Day");
const BUDDHA: (&str, &str) = ("부처님오신날", "Buddha's Birthday");
const MEMORIAL: (&str, &str) = ("현충일", "Memorial Day");
const CONSTITUTION: (&str, &str) = ("제헌절", "Constitution Day");
const LIBERATION: (&str, &str) = ("광복절", "Liberation Day");
const CHUSEOK: (&str, &str) = ("추석", "Chuseok");
const FOUNDATION: (&str, &str) = ("개천절", "National Foundation Day");
const HANGEUL: (&str, &str) = ("한글날", "Hangeul Day");
const CHRISTMAS: (&str, &str) = ("성탄절", "Christmas Day");
const SUBSTITUTE: (&str, &str) = ("대체공휴일", "Substitute holiday");
const TEMPORARY: (&str, &str) = ("임시공휴일", "Temporary holiday");
const ELECTION: (&str, &str) = ("선거일", "Election day");

/// Every public holiday of 2025–2027, by date: (year, month, day, name).
pub const TABLE: &[(i32, u32, u32, (&str, &str))] = &[
    // 2025
    (2025, 1, 1, NEW_YEAR),
    (2025, 1, 27, TEMPORARY),
    (2025, 1, 28, SEOLLAL),
    (2025, 1, 29, SEOLLAL),
    (2025, 1, 30, SEOLLAL),
    (2025, 3, 1, INDEPENDENCE),
    (2025, 3, 3, SUBSTITUTE),
    (2025, 5, 5, CHILDREN), // and 부처님오신날 on the same day
    (2025, 5, 6, SUBSTITUTE),
    (2025, 6, 3, ELECTION), // 제21대 대통령 선거
    (2025, 6, 6, MEMORIAL),
    (2025, 8, 15, LIBERATION),
    (2025, 10, 3, FOUNDATION),
    (2025, 10, 5, CHUSEOK),
    (2025, 10, 6, CHUSEOK),
    (2025, 10, 7, CHUSEOK),
    (2025, 10, 8, SUBSTITUTE),
    (2025, 10, 9, HANGEUL),
    (2025, 12, 25, CHRISTMAS),
    // 2026
    (2026, 1, 1, NEW_YEAR),
    (2026, 2, 16, SEOLLAL),
    (2026, 2, 17, SEOLLAL),
    (2026, 2, 18, SEOLLAL),
    (2026, 3, 1, INDEPENDENCE),
    (2026, 3, 2, SUBSTITUTE),
    (2026, 5, 5, CHILDREN),
    (2026, 5, 24, BUDDHA),
    (2026, 5, 25, SUBSTITUTE),
    (2026, 6, 3, ELECTION), // 제9회 전국동시지방선거
    (2026, 6, 6, MEMORIAL),
    (2026, 7, 17, CONSTITUTION),
    (2026, 8, 15, LIBERATION),
    (2026, 8, 17, SUBSTITUTE),
    (2026, 9, 24, CHUSEOK),
    (2026, 9, 25, CHUSEOK),
    (2026, 9, 26, CHUSEOK),
    (2026, 10, 3, FOUNDATION),
    (2026, 10, 5, SUBSTITUTE),
    (2026, 10, 9, HANGEUL),
    (2026, 12, 25, CHRISTMAS),
    // 2027
    (2027, 1, 1, NEW_YEAR),
    (2027, 2, 6, SEOLLAL),
    (2027, 2, 7, SEOLLAL),
    (2027, 2, 8, SEOLLAL),
    (2027, 2, 9, SUBSTITUTE),
    (2027, 3, 1, INDEPENDENCE),
    (2027, 5, 5, CHILDREN),
    (2027, 5, 13, BUDDHA),
    (2027, 6, 6, MEMORIAL),
    (2027, 7, 17, CONSTITUTION),
    (2027, 7, 19, SUBSTITUTE),
    (2027, 8, 15, LIBERATION),
    (2027, 8, 16, SUBSTITUTE),
    (2027, 9, 14, CHUSEOK),
    (2027, 9, 15, CHUSEOK),
    (2027, 9, 16, CHUSEOK),
    (2027, 10, 3, FOUNDATION),
    (2027, 10, 4, SUBSTITUTE),
    (2027, 10, 9, HANGEUL),
    (2027, 10, 11, SUBSTITUTE),
    (2027, 12, 25, CHRISTMAS),
    (2027, 12, 27, SUBSTITUTE),
];

/// The holidays on a fixed solar date every year (제헌절 from 2026).
fn fixed(d: NaiveDate) -> Option<(&'static str, &'static str)> {
    Some(match (d.month(), d.day()) {
        (1, 1) => NEW_YEAR,
        (3, 1) => INDEPENDENCE,
        (5, 5) => CHILDREN,
        (6, 6) => MEMORIAL,
        (7, 17) if d.year() >= 2026 => CONSTITUTION,
        (8, 15) => LIBERATION,
        (10, 3) => FOUNDATION,
        (10, 9) => HANGEUL,
        (12, 25) => CHRISTMAS,
        _ => return None,
    })
}

/// The public holiday on `d`, if any: from the table within [`TABLE_YEARS`], else the
/// fixed-date holidays only.
pub fn holiday(d: NaiveDate) -> Option<Holiday> {
    let name = if TABLE_YEARS.contains(&d.year()) {
        TABLE.iter().find(|(y, m, dd, _)| *y == d.year() && *m == d.month() && *dd == d.day()).map(|t| t.3)
    } else {
        fixed(d)
    }?;
    Some(Holiday { date: d, ko: name.0, en: name.1 })
}

/// A span of the day, `09:30-19:00`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub from: NaiveTime,
    pub to: NaiveTime,
}

impl Span {
    /// `09:30-19:00`; `None` when unreadable or not increasing.
    pub fn parse(s: &str) -> Option<Span> {
        let (a, b) = s.split_once('-')?;
        let t = |x: &str| NaiveTime::parse_from_str(x.trim(), "%H:%M").ok();
        let (from, to) = (t(a)?, t(b)?);
        (from < to).then_some(Span { from, to })
    }

    pub fn text(&self) -> String {
        format!("{}-{}", self.from.format("%H:%M"), self.to.format("%H:%M"))
    }
}

/// Why the clinic is closed on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClosedDay {
    /// Not one of the clinic's open weekdays.
    Weekday(Weekday),
    Holiday(Holiday),
    /// One of the clinic's own closed days (settings).
    Clinic,
}

/// Why a visit falls outside the clinic's hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutsideHours {
    Closed(ClosedDay),
    /// Starts before opening or ends after closing (that day's hours).
    Hours(Span),
    /// Overlaps the lunch break.
    Lunch(Span),
}

/// The clinic's open days, hours, lunch and own closed days, as settings give them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClinicCalendar {
    /// Monday first.
    pub open_days: [bool; 7],
    pub hours: Span,
    /// Saturday's hours when they differ.
    pub saturday: Option<Span>,
    pub lunch: Option<Span>,
    /// The clinic's own closed days.
    pub closed: BTreeSet<NaiveDate>,
    /// The clinic's own short days (a day with other hours, e.g. 12/24 09:30-13:00).
    pub short: BTreeMap<NaiveDate, Span>,
    /// The booking grid's slot, in minutes.
    pub slot_min: i64,
}

/// The booking grid's slot when the settings name none, in minutes.
pub const DEFAULT_SLOT_MIN: i64 = 30;

/// A short day as settings write it: `2026-12-24 09:30-13:00`.
pub fn parse_short_day(s: &str) -> Option<(NaiveDate, Span)> {
    let (d, h) = s.trim().split_once(char::is_whitespace)?;
    Some((super::parse::parse_date(d).ok()?, Span::parse(h)?))
}

/// A short day in the settings' form, `2026-12-24 09:30-13:00`.
pub fn short_day_text(d: NaiveDate, s: Span) -> String {
    format!("{} {}", d.format("%Y-%m-%d"), s.text())
}

impl Default for ClinicCalendar {
    /// Monday to Saturday 09:30-19:00, lunch 13:00-14:00, as most Korean clinics.
    fn default() -> Self {
        ClinicCalendar {
            open_days: [true, true, true, true, true, true, false],
            hours: Span::parse("09:30-19:00").expect("default hours"),
            saturday: None,
            lunch: Span::parse(super::setup::DEFAULT_LUNCH),
            closed: BTreeSet::new(),
            short: BTreeMap::new(),
            slot_min: DEFAULT_SLOT_MIN,
        }
    }
}

impl ClinicCalendar {
    /// From the clinic's settings; what cannot be read keeps its default.
    pub fn from_settings(c: &super::setup::ClinicSection) -> ClinicCalendar {
        let mut cal = ClinicCalendar::default();
        if !c.open_days.is_empty() {
            let mut days = [false; 7];
            for d in &c.open_days {
                if let Some(i) = super::setup::DAYS.iter().position(|x| x == d) {
                    days[i] = true;
                }
            }
            cal.open_days = days;
        }
        if let Some(h) = Span::parse(&c.hours) {
            cal.hours = h;
        }
        cal.saturday = Span::parse(&c.saturday_hours);
        cal.lunch = Span::parse(&c.lunch);
        cal.closed = c.closed_dates.iter().filter_map(|s| super::parse::parse_date(s).ok()).collect();
        cal.short = c.short_days.iter().filter_map(|s| parse_short_day(s)).collect();
        if super::rules::SLOT_MINUTES.contains(c.slot_minutes) {
            cal.slot_min = c.slot_minutes;
        }
        cal
    }

    /// Why the clinic is closed on `d`, or `None` when it opens.
    pub fn closed_on(&self, d: NaiveDate) -> Option<ClosedDay> {
        if self.closed.contains(&d) {
            return Some(ClosedDay::Clinic);
        }
        if let Some(h) = holiday(d) {
            return Some(ClosedDay::Holiday(h));
        }
        if !self.open_days[d.weekday().num_days_from_monday() as usize] {
            return Some(ClosedDay::Weekday(d.weekday()));
        }
        None
    }

    /// Whether the clinic opens on `d` (an open weekday, no holiday, no closure).
    pub fn is_open(&self, d: NaiveDate) -> bool {
        self.closed_on(d).is_none()
    }

    /// The days the clinic opens in `from..=to` (0 when `to < from`).
    pub fn open_count(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        from.iter_days().take_while(|d| *d <= to).filter(|d| self.is_open(*d)).count() as i64
    }

    /// The first day the clinic opens on or after `d` (`d` itself when none within a month).
    pub fn open_on_or_after(&self, d: NaiveDate) -> NaiveDate {
        d.iter_days().take(31).find(|x| self.is_open(*x)).unwrap_or(d)
    }

    /// The last day the clinic opens on or before `d` (`d` itself when none within a month).
    pub fn open_on_or_before(&self, d: NaiveDate) -> NaiveDate {
        let mut x = d;
        for _ in 0..31 {
            if self.is_open(x) {
                return x;
            }
            match x.pred_opt() {
                Some(p) => x = p,
                None => break,
            }
        }
        d
    }

    /// The hours on `d` when the clinic opens: a short day's own, else Saturday's or the
    /// weekdays'.
    pub fn hours_on(&self, d: NaiveDate) -> Option<Span> {
        if self.closed_on(d).is_some() {
            return None;
        }
        if let Some(s) = self.short.get(&d) {
            return Some(*s);
        }
        Some(match (d.weekday(), self.saturday) {
            (Weekday::Sat, Some(s)) => s,
            _ => self.hours,
        })
    }

    /// The lunch break on `d`: none on a Saturday with its own (short) hours, nor when the
    /// break lies outside the day's hours.
    pub fn lunch_on(&self, d: NaiveDate) -> Option<Span> {
        let hours = self.hours_on(d)?;
        if d.weekday() == Weekday::Sat && self.saturday.is_some() {
            return None;
        }
        self.lunch.filter(|l| l.from < hours.to && l.to > hours.from)
    }

    /// Whether a visit from `start` for `duration_min` minutes fits the clinic's day: an open
    /// day, inside the hours, clear of lunch.
    pub fn check_visit(&self, start: NaiveDateTime, duration_min: i64) -> Result<(), OutsideHours> {
        let d = start.date();
        if let Some(c) = self.closed_on(d) {
            return Err(OutsideHours::Closed(c));
        }
        let hours = self.hours_on(d).unwrap_or(self.hours);
        let end = start + chrono::Duration::minutes(duration_min.max(0));
        let (open, close) = (d.and_time(hours.from), d.and_time(hours.to));
        if start < open || end > close {
            return Err(OutsideHours::Hours(hours));
        }
        if let Some(l) = self.lunch_on(d) {
            let (ls, le) = (d.and_time(l.from), d.and_time(l.to));
            if start < le && end > ls {
                return Err(OutsideHours::Lunch(l));
            }
        }
        Ok(())
    }
}

/// The weekday's name.
pub fn weekday_name(w: Weekday, lang: Lang) -> &'static str {
    const KO: [&str; 7] = ["월요일", "화요일", "수요일", "목요일", "금요일", "토요일", "일요일"];
    const EN: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
    let i = w.num_days_from_monday() as usize;
    lang.pick(KO[i], EN[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    fn at(y: i32, m: u32, dd: u32, h: u32, mi: u32) -> NaiveDateTime {
        d(y, m, dd).and_hms_opt(h, mi, 0).unwrap()
    }

    #[test]
    fn the_table_is_sorted_real_and_holds_every_fixed_holiday() {
        let dates: Vec<NaiveDate> = TABLE
            .iter()
            .map(|(y, m, dd, _)| NaiveDate::from_ymd_opt(*y, *m, *dd).expect("real date"))
            .collect();
        assert!(dates.windows(2).all(|w| w[0] < w[1]), "sorted, no repeats");
        for y in TABLE_YEARS {
            for day in d(y, 1, 1).iter_days().take_while(|x| x.year() == y) {
                if let Some(f) = fixed(day) {
                    assert_eq!(holiday(day).map(|h| h.ko), Some(f.0), "{day}");
                }
            }
        }
    }

    #[test]
    fn lunar_holidays_are_three_days_around_the_day() {
        // 설날 and 추석 as the 월력요항 gives them (the lunar day in the middle).
        for (y, m, dd) in [(2025, 1, 29), (2026, 2, 17), (2027, 2, 7)] {
            for off in -1..=1 {
                let day = d(y, m, dd) + chrono::Duration::days(off);
                assert_eq!(holiday(day).map(|h| h.ko), Some("설날"), "{day}");
            }
        }
        for (y, m, dd) in [(2025, 10, 6), (2026, 9, 25), (2027, 9, 15)] {
            for off in -1..=1 {
                let day = d(y, m, dd) + chrono::Duration::days(off);
                assert_eq!(holiday(day).map(|h| h.ko), Some("추석"), "{day}");
            }
        }
        assert_eq!(holiday(d(2026, 5, 24)).map(|h| h.en), Some("Buddha's Birthday"));
        assert_eq!(holiday(d(2027, 5, 13)).map(|h| h.en), Some("Buddha's Birthday"));
    }

    /// The substitute rule (공휴일에 관한 법률 §3): 설날/추석 falling on a Sunday, and the
    /// national days, 어린이날, 부처님오신날 and 성탄절 falling on a weekend or another holiday,
    /// give the next working day off. Recomputed here from the table's other days, it must
    /// give exactly the table's substitutes.
    #[test]
    fn substitutes_follow_the_rule() {
        let named = |n: &'static str| -> Vec<NaiveDate> {
            TABLE.iter().filter(|t| t.3.0 == n).map(|(y, m, dd, _)| d(*y, *m, *dd)).collect()
        };
        let is_off = |x: NaiveDate, extra: &[NaiveDate]| {
            x.weekday() == Weekday::Sun
                || x.weekday() == Weekday::Sat
                || (holiday(x).is_some() && holiday(x).map(|h| h.ko) != Some("대체공휴일"))
                || extra.contains(&x)
        };
        let mut expected: Vec<NaiveDate> = Vec::new();
        let push_after = |last: NaiveDate, expected: &mut Vec<NaiveDate>| {
            let mut x = last.succ_opt().unwrap();
            while is_off(x, expected) {
                x = x.succ_opt().unwrap();
            }
            expected.push(x);
        };
        for name in ["설날", "추석"] {
            let days = named(name);
            for period in days.chunks(3) {
                if period.iter().any(|x| x.weekday() == Weekday::Sun) {
                    push_after(period[2], &mut expected);
                }
            }
        }
        for name in ["삼일절", "어린이날", "부처님오신날", "제헌절", "광복절", "개천절", "한글날", "성탄절"]
        {
            for x in named(name) {
                if matches!(x.weekday(), Weekday::Sat | Weekday::Sun) {
                    push_after(x, &mut expected);
                }
            }
        }
        // 2025-05-05: 어린이날 and 부처님오신날 on one day (the table holds it once).
        push_after(d(2025, 5, 5), &mut expected);
        expected.sort();
        let table = named("대체공휴일");
        assert_eq!(expected, table);
    }

    #[test]
    fn short_days_and_the_open_days_around_a_closure() {
        let mut cal = ClinicCalendar::default();
        let (d24, h) = parse_short_day("2026-12-24 09:30-13:00").unwrap();
        assert_eq!(short_day_text(d24, h), "2026-12-24 09:30-13:00");
        assert_eq!(parse_short_day("2026-12-24"), None);
        assert_eq!(parse_short_day("2026-12-24 13:00-09:30"), None);
        cal.short.insert(d24, h);
        cal.closed.insert(d(2026, 12, 26));
        assert_eq!(cal.hours_on(d24), Some(h));
        assert_eq!(cal.lunch_on(d24), None, "lunch from 13:00 lies outside the short day");
        assert_eq!(cal.check_visit(at(2026, 12, 24, 13, 0), 30), Err(OutsideHours::Hours(h)));
        // 12/25 성탄절, 12/26 the clinic's closure, 12/27 Sunday: the next open day is Monday.
        assert_eq!(cal.open_on_or_after(d(2026, 12, 25)), d(2026, 12, 28));
        assert_eq!(cal.open_on_or_before(d(2026, 12, 27)), d24);
        assert_eq!(cal.open_count(d(2026, 12, 21), d(2026, 12, 27)), 4);
        // 근로자의 날 is not a public holiday (see the module's note).
        assert_eq!(holiday(d(2026, 5, 1)), None);
    }

    #[test]
    fn outside_the_table_only_fixed_days() {
        assert_eq!(holiday(d(2030, 8, 15)).map(|h| h.ko), Some("광복절"));
        assert_eq!(holiday(d(2024, 7, 17)), None, "제헌절 was not a holiday before 2026");
        assert_eq!(holiday(d(2026, 11, 23)), None);
    }

    #[test]
    fn clinic_days_and_hours() {
        let mut cal = ClinicCalendar { saturday: Span::parse("09:30-14:00"), ..Default::default() };
        cal.closed.insert(d(2026, 12, 31));
        // A Monday morning is fine; the whole visit must fit.
        assert_eq!(cal.check_visit(at(2026, 11, 23, 9, 30), 30), Ok(()));
        assert_eq!(cal.check_visit(at(2026, 11, 23, 18, 30), 30), Ok(()));
        assert_eq!(cal.check_visit(at(2026, 11, 23, 18, 45), 30), Err(OutsideHours::Hours(cal.hours)));
        assert_eq!(cal.check_visit(at(2026, 11, 23, 9, 0), 30), Err(OutsideHours::Hours(cal.hours)));
        // Lunch, and a visit that runs into it.
        assert_eq!(
            cal.check_visit(at(2026, 11, 23, 13, 0), 30),
            Err(OutsideHours::Lunch(cal.lunch.unwrap()))
        );
        assert_eq!(
            cal.check_visit(at(2026, 11, 23, 12, 45), 30),
            Err(OutsideHours::Lunch(cal.lunch.unwrap()))
        );
        assert_eq!(cal.check_visit(at(2026, 11, 23, 14, 0), 30), Ok(()));
        // Sunday 22:30.
        assert_eq!(
            cal.check_visit(at(2026, 11, 22, 22, 30), 30),
            Err(OutsideHours::Closed(ClosedDay::Weekday(Weekday::Sun)))
        );
        // Saturday's own hours, which end before lunch.
        assert_eq!(cal.check_visit(at(2026, 11, 28, 13, 0), 30), Ok(()));
        assert_eq!(
            cal.check_visit(at(2026, 11, 28, 15, 0), 30),
            Err(OutsideHours::Hours(cal.saturday.unwrap()))
        );
        // A holiday and the clinic's own closed day.
        assert!(matches!(
            cal.check_visit(at(2026, 12, 25, 10, 0), 30),
            Err(OutsideHours::Closed(ClosedDay::Holiday(h))) if h.ko == "성탄절"
        ));
        assert_eq!(
            cal.check_visit(at(2026, 12, 31, 10, 0), 30),
            Err(OutsideHours::Closed(ClosedDay::Clinic))
        );
        assert_eq!(cal.hours_on(d(2026, 12, 31)), None);
        assert_eq!(cal.hours_on(d(2026, 11, 28)), cal.saturday);
    }
}
