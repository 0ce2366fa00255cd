//! A metric's value over a period.

use super::daily::{DailyParts, daily_parts, query_period};
use super::filters::{RowsOf, filter_sql, metric_filter};
use super::wait::{median, wait_minutes_by_visit};
use super::{DONE_IN_PERIOD, OPEN_AT_END, bounds, inquiry_paid, inquiry_visited, pair, ratio};
use crate::domain::okr::Filters;
use crate::domain::okr::Metric;
use crate::domain::okr_history::DailySum;
use crate::domain::okr_history::Totals;
use crate::store::Result;
use chrono::NaiveDate;
use rusqlite::OptionalExtension;
use rusqlite::params;

/// The metric's value over `[from, to]`. `key_result_id` is needed for `manual` only.
/// `None` when the number has no value (a rate with a zero denominator, no check-in yet).
pub fn value(
    conn: &impl crate::store::Db,
    metric: &Metric,
    key_result_id: Option<i64>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Option<f64>> {
    let conn = conn.db();
    if to < from {
        return Ok(None);
    }
    let (lo, hi) = bounds(from, to);
    let (lo, hi) = (lo.as_str(), hi.as_str());
    if let Some((sum, DailyParts { rows, day, hit })) = daily_parts(metric) {
        // A clinic day is a day with at least one done appointment.
        let days = if sum == DailySum::PerDay {
            format!("count(DISTINCT substr({day}, 1, 10))")
        } else {
            "0".into()
        };
        let sql = format!("SELECT coalesce(sum({hit}), 0), count(*), {days} {rows}");
        let totals = query_period(conn, metric, &sql, lo, hi, |r| {
            Ok(Totals { hits: r.get(0)?, rows: r.get(1)?, days: r.get(2)? })
        })?;
        return Ok(totals.first().and_then(|t| sum.value(*t)));
    }
    let filter = metric_filter(metric, false);
    let v = match metric.base() {
        // Answered above from their daily parts.
        Metric::Visits
        | Metric::AvgDailyPatients
        | Metric::NoShowRate
        | Metric::BookingRate
        | Metric::NewPatients
        | Metric::TreatmentShare(_)
        | Metric::Referrals
        | Metric::Inquiries
        | Metric::ConsultSuccess
        | Metric::CallbackOnTime
        | Metric::Satisfaction
        | Metric::Revenue
        | Metric::RevenueCovered
        | Metric::RevenueNonCovered
        | Metric::RevenueCarInsurance
        | Metric::PackageSales
        | Metric::PackagesSold
        | Metric::Filtered(..) => None,
        Metric::VisitsPerPatient => {
            let (visits, patients) = pair(
                conn,
                &format!(
                    "SELECT count(*), count(DISTINCT d.patient_id) FROM appointments d
                     WHERE {DONE_IN_PERIOD}{filter}"
                ),
                lo,
                hi,
            )?;
            ratio(visits, patients)
        }
        Metric::RevenuePerVisit => {
            // The category narrows the revenue only; the rest narrow both sides.
            let visit_filter = metric
                .filters()
                .map(|f| filter_sql(RowsOf::Visits, &Filters { category: None, ..f.clone() }))
                .unwrap_or_default();
            let (revenue, visits) = pair(
                conn,
                &format!(
                    "SELECT (SELECT coalesce(sum(y.amount_krw), 0) FROM payments y
                               WHERE y.paid_at >= ?1 AND y.paid_at < ?2{filter}),
                            (SELECT count(*) FROM appointments d WHERE {DONE_IN_PERIOD}{visit_filter})"
                ),
                lo,
                hi,
            )?;
            ratio(revenue, visits)
        }
        Metric::WaitMinutes => {
            median(wait_minutes_by_visit(conn, lo, hi)?.into_iter().filter_map(|(_, m)| m).collect())
        }
        Metric::ReturnRate => {
            let (returning, patients) = pair(
                conn,
                &format!(
                    "SELECT coalesce(sum(n >= 2), 0), count(*) FROM
                       (SELECT count(*) AS n FROM appointments d WHERE {DONE_IN_PERIOD}{filter}
                        GROUP BY d.patient_id)"
                ),
                lo,
                hi,
            )?;
            ratio(returning, patients)
        }
        Metric::InquiryToVisit | Metric::InquiryToPaid => {
            let hit =
                if *metric.base() == Metric::InquiryToVisit { inquiry_visited() } else { inquiry_paid() };
            let (converted, inquiries) = pair(
                conn,
                &format!(
                    "SELECT coalesce(sum({hit}), 0), count(*) FROM inquiries i
                     WHERE i.received_at >= ?1 AND i.received_at < ?2{filter}"
                ),
                lo,
                hi,
            )?;
            ratio(converted, inquiries)
        }
        Metric::OpenComplaints => {
            let n: i64 = conn.query_row(
                &format!("SELECT count(*) FROM complaints c WHERE {OPEN_AT_END}"),
                [hi],
                |r| r.get(0),
            )?;
            Some(n as f64)
        }
        Metric::Manual => match key_result_id {
            None => None,
            Some(id) => conn
                .query_row(
                    "SELECT value FROM checkins WHERE key_result_id = ?1 AND on_date >= ?2 AND on_date < ?3
                     ORDER BY on_date DESC, id DESC LIMIT 1",
                    params![id, lo, hi],
                    |r| r.get(0),
                )
                .optional()?,
        },
    };
    Ok(v)
}
