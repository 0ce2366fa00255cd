//! Key results judged at a date with their weekly and monthly history: the OKR board.

use super::{KeyResult, Objective, objectives, open_days};
use crate::domain::okr;
use crate::domain::okr::Cadence;
use crate::domain::okr::Judgement;
use crate::domain::okr::Metric;
use crate::domain::okr::Status;
use crate::domain::okr_history;
use crate::domain::okr_history::DailySum;
use crate::domain::okr_history::DayTotals;
use crate::store::Result;
use crate::store::metrics;
use chrono::NaiveDate;
use rusqlite::Connection;

/// A key result judged at a date, with its weekly history.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyResultStatus {
    pub key_result: KeyResult,
    pub judgement: Judgement,
    /// The value to date at the end of each of the last weeks, oldest first (`None` before the
    /// period began or with nothing to divide by); for a monthly key result, each month's
    /// value, the current month last.
    pub history: Vec<Option<f64>>,
    /// The last day each point of `history` covers (for a monthly one, a day of its month).
    pub history_ends: Vec<NaiveDate>,
    /// A rate or average judged through yesterday: its value for today so far, shown beside.
    pub today: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ObjectiveStatus {
    pub objective: Objective,
    pub key_results: Vec<KeyResultStatus>,
    pub progress: Option<f64>,
    pub status: Status,
}

/// The value of a key result to date: over its period up to `at` (nothing before it begins).
pub fn value_at(conn: &Connection, o: &Objective, k: &KeyResult, at: NaiveDate) -> Result<Option<f64>> {
    let Some(metric) = &k.metric else { return Ok(None) };
    if at < o.from {
        return Ok(None);
    }
    metrics::value(conn, metric, Some(k.id), o.from, at.min(o.to))
}

/// The value to date of a key result at the end of each of the last `weeks` weeks, the last
/// one ending on `at`, oldest first: [`value_at`] at each of those days.
///
/// A number that is a sum over days (`okr_history::DailySum`) reads its per-day totals over the
/// period once and sums them up to each point; an inquiry conversion reads each inquiry's first
/// conversion once (`metrics::inquiry_conversion_days`); the others are computed point by point.
pub fn weekly_history(
    conn: &Connection,
    o: &Objective,
    k: &KeyResult,
    at: NaiveDate,
    weeks: usize,
) -> Result<Vec<Option<f64>>> {
    weekly_history_with(conn, o, k, at, weeks, None)
}

/// [`weekly_history`], with the per-day totals of the key result's number over
/// `[o.from, d]` for some `d >= at.min(o.to)` already read (`days`, see [`period_days`]).
fn weekly_history_with(
    conn: &Connection,
    o: &Objective,
    k: &KeyResult,
    at: NaiveDate,
    weeks: usize,
    days: Option<&Option<Vec<DayTotals>>>,
) -> Result<Vec<Option<f64>>> {
    let ends: Vec<NaiveDate> =
        (0..weeks).rev().map(|weeks_back| at - chrono::Duration::weeks(weeks_back as i64)).collect();
    if at < o.from {
        // Every point is before the period: no value (as value_at says).
        return Ok(vec![None; ends.len()]);
    }
    if let Some(metric) = &k.metric {
        if let Some(sum) = DailySum::of(metric) {
            let read;
            let days = match days {
                Some(days) => days,
                None => {
                    read = metrics::daily_totals(conn, metric, o.from, at.min(o.to))?;
                    &read
                }
            };
            if let Some(days) = days {
                return Ok(okr_history::values_to_date(sum, o.from, o.to, &ends, days));
            }
        } else if let Some(inquiries) = metrics::inquiry_conversion_days(conn, metric, o.from, at.min(o.to))?
        {
            return Ok(okr_history::conversions_to_date(o.from, o.to, &ends, &inquiries));
        }
    }
    ends.iter().map(|end| value_at(conn, o, k, *end)).collect()
}

/// The per-day totals over `[o.from, at.min(o.to)]` of every number of `o` that is a sum over
/// days, read together (`metrics::daily_totals_many`: the numbers of visits share one scan);
/// each key result's value, weekly and monthly points are then summed from them.
fn period_days(
    conn: &Connection,
    o: &Objective,
    at: NaiveDate,
) -> Result<std::collections::HashMap<Metric, Option<Vec<DayTotals>>>> {
    let mut wanted: Vec<Metric> = Vec::new();
    for m in o.key_results.iter().filter_map(|k| k.metric.as_ref()) {
        if DailySum::of(m).is_some() && !wanted.contains(m) {
            wanted.push(m.clone());
        }
    }
    if wanted.is_empty() || at < o.from {
        return Ok(Default::default());
    }
    let days = metrics::daily_totals_many(conn, &wanted, o.from, at.min(o.to))?;
    Ok(wanted.into_iter().zip(days).collect())
}

/// Every objective judged as of the end of `at` (`at` counts as finished: `okr status --at`,
/// reports), with `history_weeks` weekly values per key result.
pub fn board(conn: &Connection, at: NaiveDate, history_weeks: usize) -> Result<Vec<ObjectiveStatus>> {
    board_judged(conn, at, false, history_weeks)
}

/// Every objective judged during `today`, which is not over yet: rates and averages are
/// judged through the last finished day, with today so far beside them (DESIGN §4); counts
/// and sums include today's rows. The app's board.
pub fn board_live(conn: &Connection, today: NaiveDate, history_weeks: usize) -> Result<Vec<ObjectiveStatus>> {
    board_judged(conn, today, true, history_weeks)
}

/// A monthly key result's value for each month of its period up to `at` (the last `months`),
/// read through `end_of` each month's last day to read (see [`okr::finished_end`]).
fn monthly_history(
    conn: &Connection,
    o: &Objective,
    k: &KeyResult,
    at: NaiveDate,
    day_open: bool,
    months: usize,
    days: Option<&Option<Vec<DayTotals>>>,
) -> Result<(Vec<Option<f64>>, Vec<NaiveDate>)> {
    let mut values = Vec::new();
    let mut ends = Vec::new();
    let Some(metric) = &k.metric else { return Ok((values, ends)) };
    for (start, end) in okr::month_points(o.from, o.to, at, months) {
        let end = okr::finished_end(metric, end, at, day_open);
        // A sum over days is its days' totals over [start, end], read once for the period.
        let summed = match (DailySum::of(metric), days) {
            (Some(sum), Some(Some(days))) if o.from <= start && end <= at => {
                okr_history::values_to_date(sum, start, end, &[end], days).pop()
            }
            _ => None,
        };
        values.push(match summed {
            Some(v) => v,
            None => metrics::value(conn, metric, Some(k.id), start, end)?,
        });
        ends.push(end.max(start));
    }
    Ok((values, ends))
}

fn board_judged(
    conn: &Connection,
    at: NaiveDate,
    day_open: bool,
    history_weeks: usize,
) -> Result<Vec<ObjectiveStatus>> {
    let open = open_days(conn)?;
    let mut out = Vec::new();
    for o in objectives(conn)? {
        let days = period_days(conn, &o, at)?;
        let mut krs = Vec::new();
        for k in &o.key_results {
            let mut today = None;
            let (value, history, history_ends) = match &k.metric {
                None => (None, vec![None; history_weeks], Vec::new()),
                Some(m) => {
                    if day_open && !m.accumulates() && o.from <= at && at <= o.to {
                        today = metrics::value(conn, m, Some(k.id), at, at)?;
                    }
                    match k.cadence {
                        Cadence::Month => {
                            let (history, ends) = monthly_history(
                                conn,
                                &o,
                                k,
                                at,
                                day_open,
                                history_weeks.max(1),
                                days.get(m),
                            )?;
                            let value = history.last().copied().flatten();
                            if history_weeks == 0 {
                                (value, Vec::new(), Vec::new())
                            } else {
                                (value, history, ends)
                            }
                        }
                        Cadence::Period => {
                            let end = okr::finished_end(m, at, at, day_open);
                            if history_weeks == 0 && !days.contains_key(m) {
                                (value_at(conn, &o, k, end)?, Vec::new(), Vec::new())
                            } else if history_weeks == 0 {
                                let value = weekly_history_with(conn, &o, k, end, 1, days.get(m))?;
                                (value.last().copied().flatten(), Vec::new(), Vec::new())
                            } else {
                                let history =
                                    weekly_history_with(conn, &o, k, end, history_weeks, days.get(m))?;
                                let ends = (0..history_weeks)
                                    .rev()
                                    .map(|back| end - chrono::Duration::weeks(back as i64))
                                    .collect();
                                (history.last().copied().flatten(), history, ends)
                            }
                        }
                    }
                }
            };
            let pace = match &k.metric {
                Some(m) => {
                    let (from, to) = okr::pace_window(k.cadence, o.from, o.to, at);
                    okr::pace(m, from, to, at, &open)
                }
                None => 1.0,
            };
            let judgement = okr::judge(k.direction, k.target, k.baseline, value, pace);
            krs.push(KeyResultStatus { key_result: k.clone(), judgement, history, history_ends, today });
        }
        let judgements: Vec<Judgement> = krs.iter().map(|k| k.judgement).collect();
        let (progress, status) = okr::objective_summary(&judgements);
        out.push(ObjectiveStatus { objective: o, key_results: krs, progress, status });
    }
    Ok(out)
}
