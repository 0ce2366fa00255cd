//! Numbers that are sums over days: their SQL, per-day totals, conversion days and rate counts.

use super::filters::metric_filter;
use super::{
    ATTENDED_OR_MISSED_IN_PERIOD, CALLED_ON_TIME, DONE_IN_PERIOD, FIRST_VISIT_IN_PERIOD, INQUIRY_PERSON,
    REBOOKED, SCORED_IN_PERIOD, bounds,
};
use crate::domain::okr::Metric;
use crate::domain::okr_history::Conversion;
use crate::domain::okr_history::DailySum;
use crate::domain::okr_history::DayTotals;
use crate::store::Result;
use chrono::NaiveDate;
use rusqlite::Connection;
use rusqlite::params;

/// A number that is a sum over days ([`DailySum`]), as SQL: `rows` (a `FROM .. WHERE ..` over
/// the period `?1..?2`, and `?3` for a treatment share) are what it counts, each on the day
/// `day` starts with, and `hit` is the condition of a rate's numerator. `value` and
/// [`daily_totals`] are both made from this, so each number has one definition.
pub(super) struct DailyParts {
    pub(super) rows: String,
    pub(super) day: &'static str,
    pub(super) hit: &'static str,
}

pub(super) fn daily_parts(metric: &Metric) -> Option<(DailySum, DailyParts)> {
    let sum = DailySum::of(metric)?;
    let visits =
        |hit| DailyParts { rows: format!("FROM appointments d WHERE {DONE_IN_PERIOD}"), day: "d.start", hit };
    // Payments net of refunds on the day they were paid, read from payment_days (per-day
    // totals by category, treatment and provider, kept by a trigger): a few rows a day
    // instead of every payment. A referral source needs the payments' patients.
    let revenue = |category: &str| DailyParts {
        rows: format!("FROM payment_days y WHERE y.day >= ?1 AND y.day < ?2{category}"),
        day: "y.day",
        hit: "y.amount_krw",
    };
    let parts = match metric {
        Metric::Filtered(base, f) => {
            let (_, mut parts) = daily_parts(base)?;
            if f.source.is_some() && parts.day == "y.day" {
                parts = payment_rows(&parts.rows);
            }
            parts.rows += &metric_filter(metric, false);
            parts
        }
        Metric::Visits | Metric::AvgDailyPatients => visits("0"),
        Metric::BookingRate => visits(REBOOKED),
        Metric::TreatmentShare(_) => visits("d.treatment_code = ?3"),
        Metric::NoShowRate => DailyParts {
            rows: format!("FROM appointments d WHERE {ATTENDED_OR_MISSED_IN_PERIOD}"),
            day: "d.start",
            hit: "d.status = 'no_show'",
        },
        Metric::NewPatients => DailyParts {
            rows: format!("FROM patients p WHERE {FIRST_VISIT_IN_PERIOD}"),
            day: "p.first_visit_on",
            hit: "0",
        },
        Metric::Referrals => DailyParts {
            rows: format!("FROM patients p WHERE {FIRST_VISIT_IN_PERIOD} AND p.referral_source = 'referral'"),
            day: "p.first_visit_on",
            hit: "0",
        },
        Metric::Inquiries => DailyParts {
            rows: "FROM inquiries i WHERE i.received_at >= ?1 AND i.received_at < ?2".into(),
            day: "i.received_at",
            hit: "0",
        },
        Metric::ConsultSuccess => DailyParts {
            rows: "FROM consultations c WHERE c.consulted_at >= ?1 AND c.consulted_at < ?2".into(),
            day: "c.consulted_at",
            hit: "c.status = 'accepted'",
        },
        Metric::CallbackOnTime => DailyParts {
            rows: "FROM callbacks c WHERE c.due_on >= ?1 AND c.due_on < ?2".into(),
            day: "c.due_on",
            hit: CALLED_ON_TIME,
        },
        Metric::Satisfaction => DailyParts {
            rows: format!("FROM callback_contacts cc WHERE {SCORED_IN_PERIOD}"),
            day: "cc.contacted_at",
            hit: "cc.satisfaction >= 4",
        },
        Metric::Revenue => revenue(""),
        Metric::RevenueCovered => revenue(" AND y.category = 'covered'"),
        Metric::RevenueNonCovered => revenue(" AND y.category = 'non_covered'"),
        Metric::RevenueCarInsurance => revenue(" AND y.category = 'car_insurance'"),
        Metric::PackageSales | Metric::PackagesSold => DailyParts {
            rows: "FROM packages k WHERE k.purchased_on >= ?1 AND k.purchased_on < ?2".into(),
            day: "k.purchased_on",
            hit: if *metric == Metric::PackageSales { "k.price_krw" } else { "0" },
        },
        // Not sums over days (DailySum::of said so above).
        Metric::ReturnRate
        | Metric::InquiryToVisit
        | Metric::InquiryToPaid
        | Metric::OpenComplaints
        | Metric::Manual
        | Metric::WaitMinutes
        | Metric::VisitsPerPatient
        | Metric::RevenuePerVisit => return None,
    };
    Some((sum, parts))
}

/// Revenue read from the payments themselves (the plain sum [`daily_parts`] reads from
/// payment_days), for a filter on the payments' patients; `rows` is the payment_days
/// version, whose category condition is kept.
fn payment_rows(rows: &str) -> DailyParts {
    let category = rows.split_once("y.day < ?2").map(|(_, c)| c).unwrap_or("");
    DailyParts {
        rows: format!("FROM payments y WHERE y.paid_at >= ?1 AND y.paid_at < ?2{category}"),
        day: "y.paid_at",
        hit: "y.amount_krw",
    }
}

/// The revenue of `[from, to]` summed over the payments themselves, for the tests that the
/// per-day totals (payment_days) give the same: `metric` is a revenue metric, filters and all.
pub fn revenue_from_payments(
    conn: &Connection,
    metric: &Metric,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<i64> {
    let Some((_, parts)) = daily_parts(metric.base()) else { return Ok(0) };
    let (lo, hi) = bounds(from, to);
    let rows = payment_rows(&parts.rows).rows + &metric_filter(metric, false);
    Ok(conn
        .query_row(&format!("SELECT coalesce(sum(y.amount_krw), 0) {rows}"), params![lo, hi], |r| r.get(0))?)
}

/// Runs `sql` over the period `lo..hi` with a treatment share's code as `?3`.
pub(super) fn query_period<T>(
    conn: &Connection,
    metric: &Metric,
    sql: &str,
    lo: &str,
    hi: &str,
    row: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<T>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = match metric.base() {
        Metric::TreatmentShare(code) => stmt.query_map(params![lo, hi, code], row)?.collect(),
        _ => stmt.query_map(params![lo, hi], row)?.collect::<rusqlite::Result<Vec<T>>>(),
    };
    Ok(rows?)
}

/// The per-day totals over `[from, to]` of a number that is a sum over days, one entry per day
/// with a row, in day order; `None` for the other numbers, and when a stored time does not
/// start with a date (never written by this program), for which the caller computes the value
/// per period instead.
///
/// Grouped by the stored time itself, not by its day: the rows come in the order of the
/// period's index, so SQLite groups them without sorting a whole period of visits (the day of
/// each group is taken here).
pub fn daily_totals(
    conn: &Connection,
    metric: &Metric,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Option<Vec<DayTotals>>> {
    let Some((_, DailyParts { rows, day, hit })) = daily_parts(metric) else { return Ok(None) };
    if to < from {
        return Ok(Some(Vec::new()));
    }
    let (lo, hi) = bounds(from, to);
    let sql = format!("SELECT {day}, coalesce(sum({hit}), 0), count(*) {rows} GROUP BY {day} ORDER BY {day}");
    let groups = query_period(conn, metric, &sql, &lo, &hi, |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?))
    })?;
    let mut out: Vec<DayTotals> = Vec::new();
    for (at, hits, rows) in groups {
        // Only a canonical YYYY-MM-DD compares with the period's bounds as its date does.
        let prefix = at.get(..10);
        let Some(day) = prefix
            .and_then(|d| NaiveDate::parse_from_str(d, crate::domain::DATE_FORMAT).ok())
            .filter(|day| prefix == Some(day.to_string().as_str()))
        else {
            return Ok(None);
        };
        match out.last_mut() {
            Some(last) if last.day == day => {
                last.rows += rows;
                last.hits += hits;
            }
            // Stored times of one day sort together (they share their first ten characters).
            _ => out.push(DayTotals { day, rows, hits }),
        }
    }
    Ok(Some(out))
}

/// The day a stored time falls on, when it starts with a canonical `YYYY-MM-DD` (only then does
/// it compare with a period's text bounds as its date does).
fn canonical_day(at: &str) -> Option<NaiveDate> {
    // By hand rather than `parse_from_str` and a round trip through `to_string` (the same
    // answer: four, two and two ASCII digits and a real date): this runs for every inquiry
    // and visit time of a period, on every change at the desk.
    let b = at.as_bytes().get(..10)?;
    let digits = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
    };
    if b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    NaiveDate::from_ymd_opt(digits(0..4)? as i32, digits(5..7)?, digits(8..10)?)
}

/// Groups keyed by a stored time, in time order, summed per day: `None` when a time does not
/// start with a canonical date (see [`daily_totals`]).
fn per_day<const N: usize>(groups: Vec<(String, [i64; N])>) -> Option<Vec<(NaiveDate, [i64; N])>> {
    let mut out: Vec<(NaiveDate, [i64; N])> = Vec::new();
    for (at, sums) in groups {
        let day = canonical_day(&at)?;
        match out.last_mut() {
            Some((last, acc)) if *last == day => {
                for (a, s) in acc.iter_mut().zip(sums) {
                    *a += s;
                }
            }
            _ => out.push((day, sums)),
        }
    }
    Some(out)
}

/// True for the numbers made of done (and missed) visits alone, which [`daily_totals_many`]
/// reads in one scan of each status.
fn from_visits(metric: &Metric) -> bool {
    matches!(
        metric,
        Metric::Visits
            | Metric::AvgDailyPatients
            | Metric::BookingRate
            | Metric::TreatmentShare(_)
            | Metric::NoShowRate
    )
}

/// [`daily_totals`] of several numbers over the same `[from, to]`, in the order asked. The
/// numbers of visits (visits, clinic days, booking rate, treatment shares, no-show rate) share
/// one scan of the period's done visits and, for the no-show rate, one of its no-shows, instead
/// of one scan each; the totals are the same as [`daily_totals`] gives each (the tests compare
/// them). The others are read one by one.
pub fn daily_totals_many(
    conn: &Connection,
    metrics: &[Metric],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Option<Vec<DayTotals>>>> {
    let visit_metrics: Vec<&Metric> = metrics.iter().filter(|m| from_visits(m)).collect();
    let shared = if visit_metrics.len() >= 2 && from <= to {
        visit_day_totals(conn, &visit_metrics, from, to)?
    } else {
        None
    };
    metrics
        .iter()
        .map(|m| match shared.as_ref().and_then(|s| s.get(m)) {
            Some(days) => Ok(Some(days.clone())),
            None => daily_totals(conn, m, from, to),
        })
        .collect()
}

/// The per-day totals of `metrics` (numbers of visits) from one scan of the done visits (and one
/// of the no-shows when the no-show rate is asked); `None` when a stored time is no date.
fn visit_day_totals(
    conn: &Connection,
    metrics: &[&Metric],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Option<std::collections::HashMap<Metric, Vec<DayTotals>>>> {
    let (lo, hi) = bounds(from, to);
    let mut codes: Vec<&str> = Vec::new();
    for m in metrics {
        if let Metric::TreatmentShare(code) = m
            && !codes.contains(&code.as_str())
        {
            codes.push(code);
        }
    }
    // Per stored time: done visits, rebooked ones (REBOOKED), and one column per treatment.
    let shares: String =
        (0..codes.len()).map(|i| format!(", coalesce(sum(d.treatment_code = ?{}), 0)", i + 3)).collect();
    let sql = format!(
        "SELECT d.start, count(*), coalesce(sum({REBOOKED}), 0){shares} FROM appointments d
         WHERE {DONE_IN_PERIOD} GROUP BY d.start ORDER BY d.start"
    );
    let mut args: Vec<&dyn rusqlite::ToSql> = vec![&lo, &hi];
    for code in &codes {
        args.push(code);
    }
    let mut stmt = conn.prepare_cached(&sql)?;
    let groups = stmt
        .query_map(args.as_slice(), |r| {
            let mut sums = vec![r.get::<_, i64>(1)?, r.get::<_, i64>(2)?];
            for i in 0..codes.len() {
                sums.push(r.get::<_, i64>(3 + i)?);
            }
            Ok((r.get::<_, String>(0)?, sums))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    // Summed per day with a variable number of columns.
    let mut done: Vec<(NaiveDate, Vec<i64>)> = Vec::new();
    for (at, sums) in groups {
        let Some(day) = canonical_day(&at) else { return Ok(None) };
        match done.last_mut() {
            Some((last, acc)) if *last == day => acc.iter_mut().zip(sums).for_each(|(a, s)| *a += s),
            _ => done.push((day, sums)),
        }
    }
    let no_shows = if metrics.iter().any(|m| **m == Metric::NoShowRate) {
        let mut stmt = conn.prepare_cached(
            "SELECT d.start, count(*) FROM appointments d
             WHERE d.status = 'no_show' AND d.start >= ?1 AND d.start < ?2 GROUP BY d.start ORDER BY d.start",
        )?;
        let groups = stmt
            .query_map(params![lo, hi], |r| Ok((r.get::<_, String>(0)?, [r.get::<_, i64>(1)?])))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        match per_day(groups) {
            Some(days) => days,
            None => return Ok(None),
        }
    } else {
        Vec::new()
    };
    let mut out = std::collections::HashMap::new();
    for m in metrics {
        let days: Vec<DayTotals> = match m {
            Metric::Visits | Metric::AvgDailyPatients => {
                done.iter().map(|(day, s)| DayTotals { day: *day, rows: s[0], hits: 0 }).collect()
            }
            Metric::BookingRate => {
                done.iter().map(|(day, s)| DayTotals { day: *day, rows: s[0], hits: s[1] }).collect()
            }
            Metric::TreatmentShare(code) => {
                let i = 2 + codes.iter().position(|c| *c == code.as_str()).unwrap_or_default();
                done.iter().map(|(day, s)| DayTotals { day: *day, rows: s[0], hits: s[i] }).collect()
            }
            Metric::NoShowRate => {
                // Done and missed visits per day, merged in day order.
                let mut days: Vec<DayTotals> = done
                    .iter()
                    .map(|(day, s)| DayTotals { day: *day, rows: s[0], hits: 0 })
                    .chain(no_shows.iter().map(|(day, [n])| DayTotals { day: *day, rows: *n, hits: *n }))
                    .collect();
                days.sort_by_key(|d| d.day);
                let mut merged: Vec<DayTotals> = Vec::with_capacity(days.len());
                for d in days {
                    match merged.last_mut() {
                        Some(last) if last.day == d.day => {
                            last.rows += d.rows;
                            last.hits += d.hits;
                        }
                        _ => merged.push(d),
                    }
                }
                merged
            }
            _ => continue,
        };
        out.insert((*m).clone(), days);
    }
    Ok(Some(out))
}

/// For `inquiry_to_visit` and `inquiry_to_paid` over `[from, to]`: each inquiry's day and the
/// day its person first converted on or after it (a done visit, an accepted consultation;
/// `None` if never), with no upper bound. The value over `[from, end]` is then the inquiries up
/// to `end` converted by `end` ÷ the inquiries up to `end` (the definition in [`value`], whose
/// "a conversion before the period's end" is "the first conversion before it"), so every weekly
/// point comes from this one pass (`okr_history::conversions_to_date`). `None` for another
/// number, and when a stored time does not start with a date.
pub fn inquiry_conversion_days(
    conn: &Connection,
    metric: &Metric,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Option<Vec<Conversion>>> {
    let first = match metric.base() {
        Metric::InquiryToVisit => format!(
            "(SELECT min(a.start) FROM appointments a WHERE a.patient_id = {INQUIRY_PERSON}
                AND a.start >= date(i.received_at) AND +a.status = 'done')"
        ),
        Metric::InquiryToPaid => format!(
            "(SELECT min(c.consulted_at) FROM consultations c WHERE c.patient_id = {INQUIRY_PERSON}
                AND c.consulted_at >= date(i.received_at) AND c.status = 'accepted')"
        ),
        _ => return Ok(None),
    };
    if to < from {
        return Ok(Some(Vec::new()));
    }
    let (lo, hi) = bounds(from, to);
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT i.received_at, {first} FROM inquiries i WHERE i.received_at >= ?1 AND i.received_at < ?2{}",
        metric_filter(metric, false)
    ))?;
    let rows = stmt
        .query_map(params![lo, hi], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::with_capacity(rows.len());
    for (received, converted) in rows {
        let Some(day) = canonical_day(&received) else { return Ok(None) };
        let converted = match converted {
            None => None,
            Some(at) => match canonical_day(&at) {
                Some(d) => Some(d),
                None => return Ok(None),
            },
        };
        out.push((day, converted));
    }
    Ok(Some(out))
}

/// A rate that is a sum over days (no-show, booking, treatment share, consultation success,
/// callbacks on time, satisfaction) over `[from, to]` as (rows meeting its condition, rows):
/// its numerator and denominator, for screens that show them beside the rate ("50% (2/4)").
/// (0, 0) for an empty or reversed period; `None` for a number that is not such a rate.
pub fn rate_counts(
    conn: &Connection,
    metric: &Metric,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Option<crate::domain::callbacks::Ratio>> {
    let Some((DailySum::Rate, DailyParts { rows, hit, .. })) = daily_parts(metric) else { return Ok(None) };
    if to < from {
        return Ok(Some(crate::domain::callbacks::Ratio::new(0, 0)));
    }
    let (lo, hi) = bounds(from, to);
    let sql = format!("SELECT coalesce(sum({hit}), 0), count(*) {rows}");
    let counts =
        query_period(conn, metric, &sql, &lo, &hi, |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?;
    let (hits, all) = counts.first().copied().unwrap_or((0, 0));
    Ok(Some(crate::domain::callbacks::Ratio::new(hits, all)))
}

#[cfg(test)]
mod tests {
    use super::canonical_day;
    use chrono::NaiveDate;

    /// The definition `canonical_day` replaced: parse the first ten bytes as a date and keep
    /// it only when it prints back the same.
    fn by_round_trip(at: &str) -> Option<NaiveDate> {
        let prefix = at.get(..10)?;
        NaiveDate::parse_from_str(prefix, crate::domain::DATE_FORMAT).ok().filter(|d| d.to_string() == prefix)
    }

    #[test]
    fn a_canonical_day_is_the_round_trip_definition() {
        let cases = [
            "2026-11-23",
            "2026-11-23 09:20",
            "2026-11-23T09:20:00",
            "2024-02-29 10:00",
            "2026-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-11-00",
            "2026-11-31",
            "0000-01-01",
            "9999-12-31 23:59",
            "2026-1-23 10:00",
            "2026/11/23",
            "+2026-11-2",
            "-2026-11-23",
            "2026-11-2x",
            "2026-11-23".get(..9).unwrap(),
            "",
            "  2026-11-23",
            "２０２６-11-23",
            "2026-11-2３",
            "abcdefghijkl",
            "2026-11-23\u{e9}",
        ];
        for at in cases {
            assert_eq!(canonical_day(at), by_round_trip(at), "{at:?}");
        }
        assert_eq!(canonical_day("2026-11-23 09:20"), NaiveDate::from_ymd_opt(2026, 11, 23));
        assert_eq!(canonical_day("2026-11-31"), None);
    }
}
