//! Cadence, the windows a key result is read and paced over, the clinic's open days, and pace.

use super::Metric;
use chrono::Datelike;
use chrono::NaiveDate;

/// Over what a key result is judged: the whole period (the default), or the current month
/// (`cadence = "month"`: "비급여 매출 월 3,000만원" is a month's revenue, not six months').
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Cadence {
    #[default]
    Period,
    Month,
}

impl Cadence {
    pub fn parse(s: &str) -> Option<Cadence> {
        match s.trim() {
            "" | "period" => Some(Cadence::Period),
            "month" | "monthly" | "월" | "매월" => Some(Cadence::Month),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Cadence::Period => "period",
            Cadence::Month => "month",
        }
    }

    pub fn label(self, lang: crate::domain::Lang) -> &'static str {
        match self {
            Cadence::Period => lang.pick("기간 전체", "whole period"),
            Cadence::Month => lang.pick("매월", "monthly"),
        }
    }
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

fn last_of_month(d: NaiveDate) -> NaiveDate {
    first_of_month(d).checked_add_months(chrono::Months::new(1)).and_then(|n| n.pred_opt()).unwrap_or(d)
}

/// The dates a key result's value is read over when judged at the end of `at`: the period
/// up to `at` or, for a monthly one, the month of `at` (from the period's start when it began
/// that month); a period already over is judged at its end (its last month). `None` before
/// the period begins.
pub fn judged_window(
    cadence: Cadence,
    from: NaiveDate,
    to: NaiveDate,
    at: NaiveDate,
) -> Option<(NaiveDate, NaiveDate)> {
    if at < from {
        return None;
    }
    let end = at.min(to);
    Some(match cadence {
        Cadence::Period => (from, end),
        Cadence::Month => (from.max(first_of_month(end)), end),
    })
}

/// The span a key result's pace runs over at `at`: the period, or for a monthly one the
/// month of `at` within the period (its pace is the share of the month's clinic days gone).
pub fn pace_window(
    cadence: Cadence,
    from: NaiveDate,
    to: NaiveDate,
    at: NaiveDate,
) -> (NaiveDate, NaiveDate) {
    match cadence {
        Cadence::Period => (from, to),
        Cadence::Month => {
            let a = at.clamp(from, to.max(from));
            (from.max(first_of_month(a)), to.min(last_of_month(a)))
        }
    }
}

/// The last day a value is read through: a rate or average is judged through the last
/// finished day, so while `at` is still going on (`day_open`) it stops the day before;
/// counts and sums take today's rows as they come.
pub fn finished_end(metric: &Metric, end: NaiveDate, at: NaiveDate, day_open: bool) -> NaiveDate {
    if day_open && !metric.accumulates() && end >= at { at.pred_opt().unwrap_or(at) } else { end }
}

/// The months of a monthly key result's history judged at `at`: each month of the period up
/// to the month of `at` (the last `n`), as `[start, end]` within the period and up to `at`.
pub fn month_points(from: NaiveDate, to: NaiveDate, at: NaiveDate, n: usize) -> Vec<(NaiveDate, NaiveDate)> {
    if at < from || n == 0 {
        return Vec::new();
    }
    let end = at.min(to);
    let mut out = Vec::new();
    let mut m = first_of_month(end);
    while out.len() < n && last_of_month(m) >= from {
        out.push((from.max(m), end.min(last_of_month(m))));
        match m.checked_sub_months(chrono::Months::new(1)) {
            Some(p) => m = p,
            None => break,
        }
    }
    out.reverse();
    out
}

/// The days the clinic opens: its weekdays (the `open_days` setting, e.g.
/// "mon,tue,wed,thu,fri,sat") and, once [`OpenDays::with_calendar`] adds them, not on public
/// holidays nor on the clinic's own closed days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenDays([bool; 7], Option<std::sync::Arc<crate::domain::calendar::ClinicCalendar>>);

impl Default for OpenDays {
    /// Monday to Saturday, as most Korean clinics open.
    fn default() -> Self {
        OpenDays([true, true, true, true, true, true, false], None)
    }
}

impl OpenDays {
    /// Parses "mon,tue,~" (English three-letter names or 월,화,~); `None` when a day is unknown.
    pub fn parse(s: &str) -> Option<OpenDays> {
        const EN: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        const KO: [&str; 7] = ["월", "화", "수", "목", "금", "토", "일"];
        let mut days = [false; 7];
        for part in s.split(',').map(|p| p.trim().to_lowercase()).filter(|p| !p.is_empty()) {
            let i =
                EN.iter().position(|d| part.starts_with(d)).or_else(|| KO.iter().position(|d| part == *d))?;
            days[i] = true;
        }
        Some(OpenDays(days, None))
    }

    /// These weekdays, closed also on the calendar's public holidays and the clinic's own
    /// closed days (pace and clinic days then count only the days the clinic really opens).
    pub fn with_calendar(self, cal: crate::domain::calendar::ClinicCalendar) -> OpenDays {
        OpenDays(self.0, Some(std::sync::Arc::new(cal)))
    }

    pub fn is_open(&self, d: NaiveDate) -> bool {
        self.0[d.weekday().num_days_from_monday() as usize]
            && self
                .1
                .as_ref()
                .is_none_or(|c| !c.closed.contains(&d) && crate::domain::calendar::holiday(d).is_none())
    }

    /// Opening days in `from..=to` (0 when `to < from`).
    pub fn count(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        from.iter_days().take_while(|d| *d <= to).filter(|d| self.is_open(*d)).count() as i64
    }
}

/// Where the bar should be by `at`, from 0 to 1.
///
/// Counts and sums accumulate, so their marker is the share of the period's opening days
/// already gone (through `at`, inclusive: the day's numbers count too). With no opening day
/// in the period at all it falls back to calendar days. Rates and averages are judged on their
/// value to date, so the whole target applies every day: their pace is 1.
pub fn pace(metric: &Metric, from: NaiveDate, to: NaiveDate, at: NaiveDate, open: &OpenDays) -> f64 {
    if !metric.accumulates() {
        return 1.0;
    }
    if at < from {
        return 0.0;
    }
    if at >= to {
        return 1.0;
    }
    let total = open.count(from, to);
    if total > 0 {
        open.count(from, at) as f64 / total as f64
    } else {
        let days = (to - from).num_days() + 1;
        ((at - from).num_days() + 1) as f64 / days as f64
    }
}
