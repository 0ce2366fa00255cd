//! The referral reports (DESIGN §2.4, §6): new patients and inquiries by referral source per
//! month with shares, each source's funnel, and the daily counts. The store counts; these
//! functions shape the counts into tidy rows.

use std::collections::BTreeMap;

use chrono::{Datelike, Months, NaiveDate};

use super::text::{fit, fit_right};
use super::{Lang, Period};

/// Code used for people whose referral source was not recorded.
pub const UNKNOWN_SOURCE: &str = "unknown";
/// The source of an inquiry from someone who is already a patient (기존 환자): recorded, but
/// not a new inquiry, so left out of the referral report's new-inquiry counts and shares.
pub const EXISTING_PATIENT_SOURCE: &str = "existing_patient";

/// The first day of the month `d` is in.
pub fn month_start(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

/// The last day of the month `d` is in.
pub fn month_end(d: NaiveDate) -> NaiveDate {
    let next = month_start(d).checked_add_months(Months::new(1)).unwrap_or(d);
    next.pred_opt().unwrap_or(d)
}

/// `YYYY-MM` (the month's first day when `end` is false, its last when true) or `YYYY-MM-DD`.
pub fn parse_bound(s: &str, end: bool) -> Result<NaiveDate, String> {
    let t = s.trim();
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Ok(d);
    }
    let first = NaiveDate::parse_from_str(&format!("{t}-01"), "%Y-%m-%d")
        .map_err(|_| format!("'{t}' is not a month or a date (use YYYY-MM or YYYY-MM-DD)"))?;
    Ok(if end { month_end(first) } else { first })
}

/// The default report range: the last 12 months (this one included) up to `today`.
pub fn last_twelve_months(today: NaiveDate) -> Period {
    let from = month_start(today).checked_sub_months(Months::new(11)).unwrap_or(today);
    Period::new(from, today)
}

/// The months a period touches, as `YYYY-MM`, in order.
pub fn months_in(p: &Period) -> Vec<String> {
    let mut out = Vec::new();
    let mut m = month_start(p.from);
    while m <= p.to {
        out.push(m.format("%Y-%m").to_string());
        match m.checked_add_months(Months::new(1)) {
            Some(n) => m = n,
            None => break,
        }
    }
    out
}

/// The days of a period, in order.
pub fn days_in(p: &Period) -> Vec<NaiveDate> {
    p.from.iter_days().take_while(|d| *d <= p.to).collect()
}

/// One tidy row of `report referrals`.
#[derive(Debug, Clone, PartialEq)]
pub struct ReferralRow {
    pub month: String,
    pub source: String,
    pub new_patients: i64,
    /// `None` in a month with no new patients at all (no shares, not 0% each).
    pub new_patients_share: Option<f64>,
    pub inquiries: i64,
    /// `None` in a month with no inquiries at all.
    pub inquiries_share: Option<f64>,
}

/// Raw counts: (month `YYYY-MM`, source code) -> count.
pub type MonthSourceCounts = BTreeMap<(String, String), i64>;

/// Builds the tidy rows: every month of the period x every catalog source (in catalog order),
/// zeros included; `unknown` is added after them only when it has rows. Shares are within the
/// month.
pub fn referral_rows(
    period: &Period,
    sources: &[String],
    new_patients: &MonthSourceCounts,
    inquiries: &MonthSourceCounts,
) -> Vec<ReferralRow> {
    let mut codes: Vec<String> = sources.to_vec();
    let extra = new_patients.keys().chain(inquiries.keys()).map(|(_, s)| s).filter(|s| !sources.contains(s));
    for s in extra {
        if !codes.contains(s) {
            codes.push(s.clone());
        }
    }
    let mut rows = Vec::new();
    for month in months_in(period) {
        let total = |counts: &MonthSourceCounts| -> i64 {
            counts.iter().filter(|((m, _), _)| *m == month).map(|(_, n)| n).sum()
        };
        let (np_total, inq_total) = (total(new_patients), total(inquiries));
        for code in &codes {
            let key = (month.clone(), code.clone());
            let np = new_patients.get(&key).copied().unwrap_or(0);
            let inq = inquiries.get(&key).copied().unwrap_or(0);
            rows.push(ReferralRow {
                month: month.clone(),
                source: code.clone(),
                new_patients: np,
                new_patients_share: share_of(np, np_total),
                inquiries: inq,
                inquiries_share: share_of(inq, inq_total),
            });
        }
    }
    rows
}

/// One row of `report funnel`: inquiry -> booked -> visited -> consulted -> paid.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FunnelRow {
    pub source: String,
    pub inquiries: i64,
    pub booked: i64,
    pub visited: i64,
    pub consulted: i64,
    pub paid: i64,
}

impl FunnelRow {
    pub fn add(&mut self, o: &FunnelRow) {
        self.inquiries += o.inquiries;
        self.booked += o.booked;
        self.visited += o.visited;
        self.consulted += o.consulted;
        self.paid += o.paid;
    }
}

/// One row of `report daily`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DailyRow {
    pub date: NaiveDate,
    pub visits: i64,
    pub no_shows: i64,
    pub new_patients: i64,
    pub inquiries: i64,
    pub booked_from_inquiries: i64,
}

/// A share as a fraction, `None` when the whole is 0 (nothing to share: shown "-").
pub fn share_of(part: i64, whole: i64) -> Option<f64> {
    (whole != 0).then(|| part as f64 / whole as f64)
}

/// A share as a whole percentage for tables: `43%`; `-` when the whole is 0 (a month with no
/// new patients has no shares, not 0% each).
pub fn percent(part: i64, whole: i64) -> String {
    match share_of(part, whole) {
        Some(f) => format!("{}%", (f * 100.0).round() as i64),
        None => "-".into(),
    }
}

/// A fraction for CSV and JSON: at most four decimals, no trailing zeros (`0.43`, `1`, `0`).
pub fn fraction_text(f: f64) -> String {
    let s = format!("{:.4}", f);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s.is_empty() { "0".into() } else { s.to_string() }
}

/// A fraction rounded to four decimals (JSON).
pub fn fraction(f: f64) -> f64 {
    (f * 10_000.0).round() / 10_000.0
}

/// Which count a referral table shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferralMeasure {
    NewPatients,
    Inquiries,
}

impl ReferralMeasure {
    pub fn title(self, lang: Lang) -> &'static str {
        match self {
            ReferralMeasure::NewPatients => {
                lang.pick("내원경로별 신환 수와 점유율", "New patients by referral source")
            }
            ReferralMeasure::Inquiries => {
                lang.pick("내원경로별 전화 문의 수와 점유율", "Inquiries by referral source")
            }
        }
    }

    fn of(self, r: &ReferralRow) -> i64 {
        match self {
            ReferralMeasure::NewPatients => r.new_patients,
            ReferralMeasure::Inquiries => r.inquiries,
        }
    }
}

const CELL: usize = 10;
const LABEL: usize = 16;

/// The seeds' table: sources down, months across, each cell `count share%`, a total column
/// and a totals row. When `max_width` is given, only the latest months that fit are shown.
/// Returns the header line, the source lines and the totals line.
/// Which months of a report a narrow screen shows: as many as fit in `width` columns, ending
/// `back` months before the latest. Totals never depend on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MonthWindow {
    pub width: usize,
    pub back: usize,
}

/// How many months of `rows` a window can move back before the first month shows.
pub fn months_hidden(rows: &[ReferralRow], width: usize) -> usize {
    let mut months: Vec<&str> = rows.iter().map(|r| r.month.as_str()).collect();
    months.dedup();
    months.len().saturating_sub(months_that_fit(width))
}

fn months_that_fit(width: usize) -> usize {
    // The label, the two month markers and the total.
    (width.saturating_sub(LABEL + 1 + 1 + CELL) / CELL).max(1)
}

pub fn referral_table(
    rows: &[ReferralRow],
    measure: ReferralMeasure,
    label_of: &dyn Fn(&str) -> String,
    lang: Lang,
    window: Option<MonthWindow>,
) -> Vec<String> {
    let mut months: Vec<&str> = Vec::new();
    let mut sources: Vec<&str> = Vec::new();
    for r in rows {
        if !months.contains(&r.month.as_str()) {
            months.push(&r.month);
        }
        if !sources.contains(&r.source.as_str()) {
            sources.push(&r.source);
        }
    }
    // Months that do not fit scroll sideways behind a marker; the totals cover every month
    // of the period whatever the window shows.
    let (mut left, mut right) = (false, false);
    if let Some(win) = window {
        let fit = months_that_fit(win.width);
        if months.len() > fit {
            let back = win.back.min(months.len() - fit);
            let end = months.len() - back;
            left = end - fit > 0;
            right = back > 0;
            months = months[end - fit..end].to_vec();
        }
    }
    let marks = window.is_some();
    let count = |month: Option<&str>, source: Option<&str>| -> i64 {
        rows.iter()
            .filter(|r| month.is_none_or(|m| r.month == m))
            .filter(|r| source.is_none_or(|s| r.source == s))
            .map(|r| measure.of(r))
            .sum()
    };
    let cell = |n: i64, whole: i64| format!("{} {:>4}", n, percent(n, whole));
    let total_label = lang.pick("합계", "Total");
    let mut out = Vec::new();
    let mut header = fit(lang.pick("내원경로", "Source"), LABEL);
    if marks {
        header.push_str(if left { "<" } else { " " });
    }
    for m in &months {
        header.push_str(&fit_right(m, CELL));
    }
    if marks {
        header.push_str(if right { ">" } else { " " });
    }
    header.push_str(&fit_right(total_label, CELL));
    out.push(header);
    let gap = if marks { " " } else { "" };
    let grand = count(None, None);
    for s in &sources {
        let mut line = fit(&label_of(s), LABEL);
        line.push_str(gap);
        for m in &months {
            line.push_str(&fit_right(&cell(count(Some(m), Some(s)), count(Some(m), None)), CELL));
        }
        line.push_str(gap);
        line.push_str(&fit_right(&cell(count(None, Some(s)), grand), CELL));
        out.push(line);
    }
    let mut line = fit(total_label, LABEL);
    line.push_str(gap);
    for m in &months {
        line.push_str(&fit_right(&count(Some(m), None).to_string(), CELL));
    }
    line.push_str(gap);
    line.push_str(&fit_right(&grand.to_string(), CELL));
    out.push(line);
    out
}

/// The funnel as a table: counts with the share of inquiries reaching each stage, and a
/// totals row.
pub fn funnel_table(rows: &[FunnelRow], label_of: &dyn Fn(&str) -> String, lang: Lang) -> Vec<String> {
    const W: usize = 12;
    let heads = [
        lang.pick("문의", "Inquiries"),
        lang.pick("예약", "Booked"),
        lang.pick("내원", "Visited"),
        lang.pick("상담", "Consulted"),
        lang.pick("결제", "Paid"),
    ];
    let mut out = Vec::new();
    let mut header = fit(lang.pick("내원경로", "Source"), LABEL);
    for h in heads {
        header.push_str(&fit_right(h, W));
    }
    out.push(header);
    let mut total = FunnelRow { source: String::new(), ..FunnelRow::default() };
    let line = |label: &str, r: &FunnelRow| {
        let mut l = fit(label, LABEL);
        l.push_str(&fit_right(&r.inquiries.to_string(), W));
        for n in [r.booked, r.visited, r.consulted, r.paid] {
            l.push_str(&fit_right(&format!("{n} {:>4}", percent(n, r.inquiries)), W));
        }
        l
    };
    for r in rows {
        total.add(r);
        out.push(line(&label_of(&r.source), r));
    }
    out.push(line(lang.pick("합계", "Total"), &total));
    out
}

/// The daily counts as a table with a totals row.
pub fn daily_table(rows: &[DailyRow], lang: Lang) -> Vec<String> {
    const W: usize = 10;
    let heads = [
        lang.pick("진료", "Visits"),
        lang.pick("부도", "No-shows"),
        lang.pick("신환", "New"),
        lang.pick("문의", "Inquiries"),
        lang.pick("문의예약", "Booked"),
    ];
    let mut out = Vec::new();
    let mut header = fit(lang.pick("날짜", "Date"), LABEL);
    for h in heads {
        header.push_str(&fit_right(h, W));
    }
    out.push(header);
    let mut sums = [0i64; 5];
    for r in rows {
        let vals = [r.visits, r.no_shows, r.new_patients, r.inquiries, r.booked_from_inquiries];
        let mut l = fit(&r.date.format("%Y-%m-%d").to_string(), LABEL);
        for (i, v) in vals.iter().enumerate() {
            sums[i] += v;
            l.push_str(&fit_right(&v.to_string(), W));
        }
        out.push(l);
    }
    let mut l = fit(lang.pick("합계", "Total"), LABEL);
    for v in sums {
        l.push_str(&fit_right(&v.to_string(), W));
    }
    out.push(l);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_share_of_nothing_is_a_dash_not_zero_percent() {
        assert_eq!(super::percent(0, 0), "-");
        assert_eq!(super::percent(0, 1), "0%");
        assert_eq!(super::percent(1, 1), "100%");
        assert_eq!(super::percent(1, 3), "33%");
        assert_eq!(super::share_of(3, 0), None);
        assert_eq!(super::share_of(1, 4), Some(0.25));
    }

    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn bounds_and_default_range() {
        assert_eq!(parse_bound("2026-02", false).unwrap(), d(2026, 2, 1));
        assert_eq!(parse_bound("2026-02", true).unwrap(), d(2026, 2, 28));
        assert_eq!(parse_bound("2024-02", true).unwrap(), d(2024, 2, 29));
        assert_eq!(parse_bound("2026-02-10", true).unwrap(), d(2026, 2, 10));
        assert!(parse_bound("2026-13", false).is_err());
        let p = last_twelve_months(d(2026, 11, 23));
        assert_eq!((p.from, p.to), (d(2025, 12, 1), d(2026, 11, 23)));
        assert_eq!(months_in(&p).len(), 12);
        assert_eq!(months_in(&p)[0], "2025-12");
    }

    #[test]
    fn rows_fill_zeros_and_share_within_the_month() {
        let p = Period::new(d(2026, 1, 1), d(2026, 2, 28));
        let sources = vec!["signboard".to_string(), "referral".to_string()];
        let mut np = MonthSourceCounts::new();
        np.insert(("2026-01".into(), "referral".into()), 3);
        np.insert(("2026-01".into(), "signboard".into()), 1);
        np.insert(("2026-02".into(), UNKNOWN_SOURCE.into()), 2);
        let mut inq = MonthSourceCounts::new();
        inq.insert(("2026-02".into(), "referral".into()), 5);
        let rows = referral_rows(&p, &sources, &np, &inq);
        assert_eq!(rows.len(), 6, "2 months x (2 sources + unknown)");
        let jan_ref = &rows[1];
        assert_eq!(
            (jan_ref.month.as_str(), jan_ref.source.as_str(), jan_ref.new_patients),
            ("2026-01", "referral", 3)
        );
        assert_eq!(jan_ref.new_patients_share, Some(0.75));
        assert_eq!(jan_ref.inquiries_share, None, "no inquiries in January: no share");
        let feb_unknown = &rows[5];
        assert_eq!(
            (feb_unknown.source.as_str(), feb_unknown.new_patients_share),
            (UNKNOWN_SOURCE, Some(1.0))
        );
        assert_eq!(rows[4].inquiries_share, Some(1.0));
        assert_eq!(rows[3].new_patients, 0, "a source with no rows is still listed");
    }
}
