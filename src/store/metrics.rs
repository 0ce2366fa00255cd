//! The numbers of DESIGN §4, computed in SQL over a closed range of dates.
//!
//! Every query is bounded by the period on an indexed column (appointments(status, start),
//! appointments(patient_id, start) for the per-patient look-ups, inquiries(received_at),
//! consultations(consulted_at), callbacks(due_on), complaints(raised_at)), so none of them
//! scans a whole table. Times are stored as ISO text, so a day range is `col >= 'from' AND
//! col < 'the day after to'` for dates and date-times alike.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::Result;
use crate::domain::okr::{Filters, Metric};
use crate::domain::okr_history::{Conversion, DailySum, DayTotals, Totals};

/// The most records a drill-down lists.
pub const RECORD_LIMIT: usize = 500;

/// `[from, to]` as the text bounds `lo` (inclusive) and `hi` (exclusive: the day after `to`).
fn bounds(from: NaiveDate, to: NaiveDate) -> (String, String) {
    let hi = to.succ_opt().unwrap_or(to);
    (from.to_string(), hi.to_string())
}

/// A rate: numerator ÷ denominator, with no value when there is nothing to divide by.
fn ratio(num: i64, den: i64) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

fn pair(conn: &Connection, sql: &str, lo: &str, hi: &str) -> Result<(i64, i64)> {
    Ok(conn.query_row(sql, params![lo, hi], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

/// `done` appointments starting in the period (uses appointments_by_status_start).
const DONE_IN_PERIOD: &str = "d.status = 'done' AND d.start >= ?1 AND d.start < ?2";

/// True for a done visit `d` after which the same patient has a later, not-cancelled
/// appointment booked no later than the end of the visit's day: `appointments.rebooked`, kept
/// by the schema's triggers (the definition is written out there), so the booking rate reads
/// appointments_by_status_start alone instead of looking ahead in every visit's history.
const REBOOKED: &str = "d.rebooked = 1";

/// True for a done visit `d` that is the patient's first done visit (for the drill-down,
/// which lists the visits themselves, newest first).
const FIRST_VISIT: &str = "NOT EXISTS (SELECT 1 FROM appointments e
        WHERE e.patient_id = d.patient_id AND e.start < d.start AND +e.status = 'done')";

/// True for a patient `p` whose first done visit falls in the period: the same patients as
/// [`FIRST_VISIT`] over [`DONE_IN_PERIOD`], read from patients_by_first_visit (the column is
/// kept by the schema's triggers) instead of checked per visit.
const FIRST_VISIT_IN_PERIOD: &str = "p.first_visit_on >= ?1 AND p.first_visit_on < ?2";

/// The person behind an inquiry `i`: the recognised patient, or the patient it booked.
/// (The look-ups keyed on it write `+a.status` so SQLite keeps to the per-patient index
/// instead of scanning every done visit since the inquiry.)
const INQUIRY_PERSON: &str =
    "coalesce(i.patient_id, (SELECT b.patient_id FROM appointments b WHERE b.id = i.appointment_id))";

fn inquiry_visited() -> String {
    format!(
        "EXISTS (SELECT 1 FROM appointments a WHERE a.patient_id = {INQUIRY_PERSON}
            AND a.start >= date(i.received_at) AND a.start < ?2 AND +a.status = 'done')"
    )
}

fn inquiry_paid() -> String {
    format!(
        "EXISTS (SELECT 1 FROM consultations c WHERE c.patient_id = {INQUIRY_PERSON}
            AND c.consulted_at >= date(i.received_at) AND c.consulted_at < ?2 AND c.status = 'accepted')"
    )
}

/// The person behind a callback `c`: its patient `p`, or for a caller who is not a patient,
/// the inquiry `i` they called with (a plain JOIN on patients would leave callers out).
const CALLBACK_PERSON: &str =
    "LEFT JOIN patients p ON p.id = c.patient_id LEFT JOIN inquiries i ON i.id = c.inquiry_id";

/// The phone of a caller who is not a patient (`p` missing), from their inquiry `i`.
const CALLER_PHONE: &str = "CASE WHEN p.id IS NULL THEN nullif(i.phone, '') END";

/// A callback `c` with a contact logged on or before its due date.
/// A text a patient did not answer (channel sms, not reached) does the work of a reminder
/// callback (the reminder was delivered) but not of a happy call, a no-show, a recall or a
/// prospect, where a call is still wanted. The callbacks' on-time rate and the queue's
/// "Done today" count a contact `cc` on a callback `c` only when this holds; an answered text
/// (reached) is a conversation and counts everywhere. Keep [`CALLED_ON_TIME`] in step.
pub const CONTACT_DOES_THE_CALLBACK: &str = "(cc.channel <> 'sms' OR cc.reached = 1 OR c.kind = 'reminder')";

/// Callback `c` had a contact by the end of its due day ([`CONTACT_DOES_THE_CALLBACK`]).
const CALLED_ON_TIME: &str = "EXISTS (SELECT 1 FROM callback_contacts cc
        WHERE cc.callback_id = c.id AND cc.contacted_at < date(c.due_on, '+1 day')
          AND (cc.channel <> 'sms' OR cc.reached = 1 OR c.kind = 'reminder'))";

/// A complaint `c` open at the end of the period: raised by then and not resolved by then.
/// `?1` is the day after the period (only the end matters).
const OPEN_AT_END: &str = "c.raised_at < ?1 AND (c.status = 'open' OR c.resolved_at >= ?1)";

/// `done` and `no_show` appointments starting in the period: the no-show rate's denominator
/// (cancellations and bookings do not count).
const ATTENDED_OR_MISSED_IN_PERIOD: &str =
    "d.status IN ('done', 'no_show') AND d.start >= ?1 AND d.start < ?2";

/// Contacts `cc` in the period with a satisfaction score (uses callback_contacts_by_time).
const SCORED_IN_PERIOD: &str =
    "cc.contacted_at >= ?1 AND cc.contacted_at < ?2 AND cc.satisfaction IS NOT NULL";

/// Each done visit in `lo..hi` with its minutes from arrival to the next status (done, or
/// whatever came next), from the status changes the desk recorded; visits never marked
/// arrived have none. In the order of their start.
pub fn wait_minutes_by_visit(conn: &Connection, lo: &str, hi: &str) -> Result<Vec<(i64, Option<i64>)>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT d.id, s.to_status, s.changed_at FROM appointments d
           JOIN appointment_status_changes s ON s.appointment_id = d.id
         WHERE {DONE_IN_PERIOD} ORDER BY d.start, d.id, s.id"
    ))?;
    let rows = stmt
        .query_map(params![lo, hi], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let parse = |s: &str| {
        chrono::NaiveDateTime::parse_from_str(s, crate::domain::TIME_FORMAT)
            .or_else(|_| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M"))
            .ok()
    };
    let mut out: Vec<(i64, Option<i64>)> = Vec::new();
    let mut arrived: Option<chrono::NaiveDateTime> = None;
    for (id, to_status, at) in rows {
        if out.last().map(|(last, _)| *last) != Some(id) {
            out.push((id, None));
            arrived = None;
        }
        let Some(last) = out.last_mut() else { continue };
        if last.1.is_some() {
            continue;
        }
        match arrived {
            None if to_status == "arrived" => arrived = parse(&at),
            Some(t0) => {
                last.1 = parse(&at).map(|t1| (t1 - t0).num_minutes()).filter(|m| *m >= 0);
                arrived = None;
            }
            None => {}
        }
    }
    Ok(out)
}

/// The median of some minutes (the mean of the middle two for an even count); `None` for none.
pub fn median(mut minutes: Vec<i64>) -> Option<f64> {
    if minutes.is_empty() {
        return None;
    }
    minutes.sort_unstable();
    let n = minutes.len();
    Some(if n % 2 == 1 { minutes[n / 2] as f64 } else { (minutes[n / 2 - 1] + minutes[n / 2]) as f64 / 2.0 })
}

/// A text as an SQL string literal (quotes doubled): filter values are the clinic's own codes
/// and names, put into the statement so each filtered number keeps its one cached statement.
fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// The rows a metric counts, for its filters' conditions: each names its table's alias.
#[derive(Clone, Copy, PartialEq, Eq)]
enum RowsOf {
    /// Appointments `d` (who treated: `d.provider_id`).
    Visits,
    /// Patients `p` by their first visit (the first visit's treatment and provider).
    FirstVisits,
    /// Payments `y` (who sold: `y.provider_id`).
    Payments,
    /// Packages `k` (who sold: `k.provider_id`).
    Packages,
    /// Consultations `c`.
    Consultations,
    /// Inquiries `i` (their topic is the treatment).
    Inquiries,
}

fn rows_of(metric: &Metric) -> Option<RowsOf> {
    Some(match metric.base() {
        Metric::Visits
        | Metric::AvgDailyPatients
        | Metric::NoShowRate
        | Metric::BookingRate
        | Metric::TreatmentShare(_)
        | Metric::ReturnRate
        | Metric::VisitsPerPatient
        | Metric::WaitMinutes => RowsOf::Visits,
        Metric::NewPatients | Metric::Referrals => RowsOf::FirstVisits,
        Metric::Revenue
        | Metric::RevenueCovered
        | Metric::RevenueNonCovered
        | Metric::RevenueCarInsurance
        | Metric::RevenuePerVisit => RowsOf::Payments,
        Metric::PackageSales | Metric::PackagesSold => RowsOf::Packages,
        Metric::ConsultSuccess => RowsOf::Consultations,
        Metric::Inquiries | Metric::InquiryToVisit | Metric::InquiryToPaid => RowsOf::Inquiries,
        _ => return None,
    })
}

/// The conditions (each ` AND ~`) that narrow rows of `rows` to `f`. A filter that does not
/// apply to them is left out (`Filters::check` refuses it when a key result is loaded).
fn filter_sql(rows: RowsOf, f: &Filters) -> String {
    let mut out = String::new();
    let staff = |col: &str, name: &str| {
        format!(" AND {col} IN (SELECT s.id FROM staff s WHERE s.name = {})", literal(name))
    };
    let source = |patient: &str, code: &str| {
        format!(
            " AND EXISTS (SELECT 1 FROM patients fp WHERE fp.id = {patient} AND fp.referral_source = {})",
            literal(code)
        )
    };
    match rows {
        RowsOf::Visits | RowsOf::Payments | RowsOf::Packages => {
            let a = match rows {
                RowsOf::Visits => "d",
                RowsOf::Payments => "y",
                _ => "k",
            };
            if let Some(t) = &f.treatment {
                out += &format!(" AND {a}.treatment_code = {}", literal(t));
            }
            if let Some(p) = &f.provider {
                out += &staff(&format!("{a}.provider_id"), p);
            }
            if let (RowsOf::Payments, Some(c)) = (rows, &f.category) {
                out += &format!(" AND y.category = {}", literal(c));
            }
            if let Some(s) = &f.source {
                out += &source(&format!("{a}.patient_id"), s);
            }
        }
        RowsOf::FirstVisits => {
            let mut first = String::new();
            if let Some(t) = &f.treatment {
                first += &format!(" AND fa.treatment_code = {}", literal(t));
            }
            if let Some(p) = &f.provider {
                first += &staff("fa.provider_id", p);
            }
            if !first.is_empty() {
                // A done visit on the patient's first visit day of that treatment or provider.
                out += &format!(
                    " AND EXISTS (SELECT 1 FROM appointments fa WHERE fa.patient_id = p.id
                        AND fa.start >= p.first_visit_on AND fa.start < date(p.first_visit_on, '+1 day')
                        AND +fa.status = 'done'{first})"
                );
            }
            if let Some(s) = &f.source {
                out += &format!(" AND p.referral_source = {}", literal(s));
            }
        }
        RowsOf::Consultations => {
            if let Some(t) = &f.treatment {
                out += &format!(" AND c.treatment_code = {}", literal(t));
            }
            if let Some(s) = &f.source {
                out += &source("c.patient_id", s);
            }
        }
        RowsOf::Inquiries => {
            if let Some(t) = &f.treatment {
                out += &format!(" AND i.topic_code = {}", literal(t));
            }
            if let Some(s) = &f.source {
                out += &format!(" AND i.referral_source = {}", literal(s));
            }
        }
    }
    out
}

/// The conditions narrowing `metric`'s rows to its filters (empty for a plain metric). For
/// records listed as visits (new patients' first visits), `as_visits` reads them on `d`.
fn metric_filter(metric: &Metric, as_visits: bool) -> String {
    match (metric.filters(), rows_of(metric)) {
        (Some(f), Some(rows)) => {
            let rows = if as_visits && rows == RowsOf::FirstVisits { RowsOf::Visits } else { rows };
            filter_sql(rows, f)
        }
        _ => String::new(),
    }
}

/// `sql` with `cond` added to its main WHERE, before its last GROUP BY or ORDER BY (the
/// statements of the drill-downs end with one of them; their subqueries have neither).
fn add_condition(sql: &str, cond: &str) -> String {
    if cond.is_empty() {
        return sql.to_string();
    }
    let at = sql.rfind("GROUP BY").or_else(|| sql.rfind("ORDER BY")).unwrap_or(sql.len());
    format!("{}{cond} {}", &sql[..at], &sql[at..])
}

/// A number that is a sum over days ([`DailySum`]), as SQL: `rows` (a `FROM .. WHERE ..` over
/// the period `?1..?2`, and `?3` for a treatment share) are what it counts, each on the day
/// `day` starts with, and `hit` is the condition of a rate's numerator. `value` and
/// [`daily_totals`] are both made from this, so each number has one definition.
struct DailyParts {
    rows: String,
    day: &'static str,
    hit: &'static str,
}

fn daily_parts(metric: &Metric) -> Option<(DailySum, DailyParts)> {
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
fn query_period<T>(
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
    let prefix = at.get(..10)?;
    NaiveDate::parse_from_str(prefix, crate::domain::DATE_FORMAT).ok().filter(|d| d.to_string() == prefix)
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

/// The metric's value over `[from, to]`. `key_result_id` is needed for `manual` only.
/// `None` when the number has no value (a rate with a zero denominator, no check-in yet).
pub fn value(
    conn: &impl super::Db,
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

/// One record behind a number (a no-show behind the no-show rate).
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// The date or date-time it happened, as stored.
    pub at: String,
    pub chart_no: String,
    pub name: String,
    /// A treatment code, to be labelled from the catalog.
    pub treatment: Option<String>,
    /// A referral source code, to be labelled from the catalog.
    pub source: Option<String>,
    /// Another code to label: a callback kind or a complaint category.
    pub kind: Option<String>,
    pub note: String,
    /// The patient behind it, to open their card (none for a check-in or a caller).
    pub patient_id: Option<i64>,
    /// For a rate's records: whether it is in the numerator (rebooked, no-show ~).
    pub hit: Option<bool>,
    /// A caller who is not a patient (no chart number): the phone of their inquiry, to find
    /// them by (masked where names are).
    pub phone: Option<String>,
}

/// A record from the columns at, chart, name, treatment, source, kind, note and, when the
/// query has them, the patient's id, whether the row is in a rate's numerator and a caller's
/// phone.
fn record(r: &rusqlite::Row<'_>) -> rusqlite::Result<Record> {
    Ok(Record {
        at: r.get(0)?,
        chart_no: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
        name: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
        treatment: r.get(3)?,
        source: r.get(4)?,
        kind: r.get(5)?,
        note: r.get::<_, Option<String>>(6)?.unwrap_or_default(),
        patient_id: r.get::<_, Option<i64>>(7).ok().flatten(),
        hit: r.get::<_, Option<bool>>(8).ok().flatten(),
        phone: r.get::<_, Option<String>>(9).ok().flatten(),
    })
}

/// Both sides of a rate: every row of its denominator, each marked whether it is in the
/// numerator (the rebooked and the not rebooked visits, the no-shows and the kept visits ~).
/// The side to chase comes first: the rows in the numerator when `hits_first` (no-shows for
/// an `at_most` rate), else the rows out of it (the visits not rebooked); newest first within
/// a side, at most [`RECORD_LIMIT`] per side. `None` for a number that is not a rate.
pub fn rate_records(
    conn: &impl super::Db,
    metric: &Metric,
    from: NaiveDate,
    to: NaiveDate,
    hits_first: bool,
) -> Result<Option<Vec<Record>>> {
    let conn = conn.db();
    // (columns but the hit, FROM .. WHERE .., the hit, the time to order by)
    let visit_cols = "d.start, p.chart_no, p.name, d.treatment_code, p.referral_source, NULL";
    let visits = format!("FROM appointments d JOIN patients p ON p.id = d.patient_id WHERE {DONE_IN_PERIOD}");
    let inquiry_cols =
        "i.received_at, p.chart_no, coalesce(p.name, i.caller_name), i.topic_code, i.referral_source,
                        NULL, i.note, p.id";
    let inquiries = format!(
        "FROM inquiries i LEFT JOIN patients p ON p.id = {INQUIRY_PERSON}
         WHERE i.received_at >= ?1 AND i.received_at < ?2"
    );
    // A caller's callback or inquiry has no patient: its caller's name and phone stand in.
    let mut phone = "NULL";
    let (cols, rows, hit, at): (String, String, String, &str) = match metric.base() {
        Metric::NoShowRate => (
            format!("{visit_cols}, '', p.id"),
            format!(
                "FROM appointments d JOIN patients p ON p.id = d.patient_id WHERE {ATTENDED_OR_MISSED_IN_PERIOD}"
            ),
            "d.status = 'no_show'".into(),
            "d.start",
        ),
        Metric::BookingRate => (
            format!(
                "{visit_cols},
                 (SELECT min(n.start) FROM appointments n WHERE n.patient_id = d.patient_id
                    AND n.start > d.start AND n.status <> 'cancelled' AND n.booked_at < date(d.start, '+1 day')),
                 p.id"
            ),
            visits.clone(),
            REBOOKED.into(),
            "d.start",
        ),
        Metric::TreatmentShare(_) => {
            (format!("{visit_cols}, '', p.id"), visits.clone(), "d.treatment_code = ?3".into(), "d.start")
        }
        Metric::ReturnRate => (
            "max(d.start), p.chart_no, p.name, NULL, p.referral_source, NULL, CAST(count(*) AS TEXT), p.id".into(),
            format!("{visits} GROUP BY d.patient_id"),
            "count(*) >= 2".into(),
            "max(d.start)",
        ),
        Metric::InquiryToVisit | Metric::InquiryToPaid => {
            phone = CALLER_PHONE;
            let hit = if *metric.base() == Metric::InquiryToVisit { inquiry_visited() } else { inquiry_paid() };
            (inquiry_cols.into(), inquiries.clone(), hit, "i.received_at")
        }
        Metric::ConsultSuccess => (
            "c.consulted_at, p.chart_no, p.name, c.treatment_code, p.referral_source, NULL, c.reaction, p.id".into(),
            "FROM consultations c JOIN patients p ON p.id = c.patient_id
             WHERE c.consulted_at >= ?1 AND c.consulted_at < ?2"
                .into(),
            "c.status = 'accepted'".into(),
            "c.consulted_at",
        ),
        Metric::Satisfaction => {
            phone = CALLER_PHONE;
            (
                "cc.contacted_at, p.chart_no, coalesce(p.name, i.caller_name), NULL, NULL, c.kind,
                 CAST(cc.satisfaction AS TEXT) || ' ' || cc.reaction, p.id"
                    .into(),
                format!(
                    "FROM callback_contacts cc JOIN callbacks c ON c.id = cc.callback_id
                     {CALLBACK_PERSON} WHERE {SCORED_IN_PERIOD}"
                ),
                "cc.satisfaction >= 4".into(),
                "cc.contacted_at",
            )
        }
        Metric::CallbackOnTime => {
            phone = CALLER_PHONE;
            (
                "c.due_on, p.chart_no, coalesce(p.name, i.caller_name), NULL, NULL, c.kind, c.note, p.id".into(),
                format!("FROM callbacks c {CALLBACK_PERSON} WHERE c.due_on >= ?1 AND c.due_on < ?2"),
                CALLED_ON_TIME.into(),
                "c.due_on",
            )
        }
        _ => return Ok(None),
    };
    if to < from {
        return Ok(Some(Vec::new()));
    }
    let (lo, hi) = bounds(from, to);
    let rows = add_condition(&rows, &metric_filter(metric, false));
    let mut out = Vec::new();
    for side in if hits_first { [true, false] } else { [false, true] } {
        // A grouped rate (return rate) tests its condition after grouping.
        let filter = if matches!(metric.base(), Metric::ReturnRate) {
            format!("HAVING ({hit}) = {}", side as i32)
        } else {
            format!("AND ({hit}) = {}", side as i32)
        };
        let sql = format!(
            "SELECT {cols}, {}, {phone} {rows} {filter} ORDER BY {at} DESC LIMIT {RECORD_LIMIT}",
            side as i32
        );
        out.extend(query_period(conn, metric, &sql, &lo, &hi, record)?);
    }
    Ok(Some(out))
}

/// The records that make the number: for a count, what was counted; for a rate, its
/// numerator (the no-shows, the rebooked visits, the inquiries that came in ~); for `manual`,
/// the check-ins. Newest first, at most [`RECORD_LIMIT`].
pub fn records(
    conn: &impl super::Db,
    metric: &Metric,
    key_result_id: Option<i64>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Record>> {
    let conn = conn.db();
    if to < from {
        return Ok(Vec::new());
    }
    let (lo, hi) = bounds(from, to);
    let visit_cols = "d.start, p.chart_no, p.name, d.treatment_code, p.referral_source, NULL";
    let visits_where = |extra: &str| {
        format!(
            "SELECT {visit_cols}, '', p.id FROM appointments d JOIN patients p ON p.id = d.patient_id
             WHERE {DONE_IN_PERIOD} {extra} ORDER BY d.start DESC LIMIT {RECORD_LIMIT}"
        )
    };
    let inquiry_sql = |extra: &str| {
        format!(
            "SELECT i.received_at, p.chart_no, coalesce(p.name, i.caller_name), i.topic_code, i.referral_source,
                    NULL, i.note, p.id, NULL, {CALLER_PHONE}
             FROM inquiries i LEFT JOIN patients p ON p.id = {INQUIRY_PERSON}
             WHERE i.received_at >= ?1 AND i.received_at < ?2 {extra}
             ORDER BY i.received_at DESC LIMIT {RECORD_LIMIT}"
        )
    };
    let sql = match metric.base() {
        Metric::WaitMinutes => {
            // The visits with a measured wait, longest first, the minutes as the note.
            let waits: std::collections::HashMap<i64, i64> = wait_minutes_by_visit(conn, &lo, &hi)?
                .into_iter()
                .filter_map(|(id, m)| m.map(|m| (id, m)))
                .collect();
            let mut stmt = conn.prepare(&format!(
                "SELECT {visit_cols}, '', p.id, NULL, d.id FROM appointments d
                   JOIN patients p ON p.id = d.patient_id WHERE {DONE_IN_PERIOD} ORDER BY d.start DESC"
            ))?;
            let mut rows = stmt
                .query_map(params![lo, hi], |r| Ok((record(r)?, r.get::<_, i64>(9)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?
                .into_iter()
                .filter_map(|(rec, id)| waits.get(&id).map(|m| (*m, rec)))
                .collect::<Vec<_>>();
            rows.sort_by_key(|(m, _)| std::cmp::Reverse(*m));
            rows.truncate(RECORD_LIMIT);
            return Ok(rows.into_iter().map(|(m, rec)| Record { note: format!("{m}"), ..rec }).collect());
        }
        Metric::Satisfaction => format!(
            "SELECT cc.contacted_at, p.chart_no, coalesce(p.name, i.caller_name), NULL, NULL, c.kind,
                    CAST(cc.satisfaction AS TEXT) || ' ' || cc.reaction, p.id, NULL, {CALLER_PHONE}
             FROM callback_contacts cc JOIN callbacks c ON c.id = cc.callback_id
             {CALLBACK_PERSON}
             WHERE {SCORED_IN_PERIOD} AND cc.satisfaction >= 4
             ORDER BY cc.contacted_at DESC LIMIT {RECORD_LIMIT}"
        ),
        Metric::Visits | Metric::AvgDailyPatients => visits_where(""),
        Metric::NoShowRate => format!(
            "SELECT {visit_cols}, '' FROM appointments d JOIN patients p ON p.id = d.patient_id
             WHERE d.status = 'no_show' AND d.start >= ?1 AND d.start < ?2
             ORDER BY d.start DESC LIMIT {RECORD_LIMIT}"
        ),
        Metric::BookingRate => format!(
            "SELECT {visit_cols},
                    (SELECT min(n.start) FROM appointments n WHERE n.patient_id = d.patient_id
                       AND n.start > d.start AND n.status <> 'cancelled' AND n.booked_at < date(d.start, '+1 day'))
             FROM appointments d JOIN patients p ON p.id = d.patient_id
             WHERE {DONE_IN_PERIOD} AND {REBOOKED} ORDER BY d.start DESC LIMIT {RECORD_LIMIT}"
        ),
        Metric::NewPatients => visits_where(&format!("AND {FIRST_VISIT}")),
        Metric::Referrals => format!(
            "SELECT {visit_cols}, (SELECT r.name FROM patients r WHERE r.id = p.referrer_id), p.id
             FROM appointments d JOIN patients p ON p.id = d.patient_id
             WHERE {DONE_IN_PERIOD} AND {FIRST_VISIT} AND p.referral_source = 'referral'
             ORDER BY d.start DESC LIMIT {RECORD_LIMIT}"
        ),
        Metric::ReturnRate => format!(
            "SELECT max(d.start), p.chart_no, p.name, NULL, p.referral_source, NULL, count(*)
             FROM appointments d JOIN patients p ON p.id = d.patient_id
             WHERE {DONE_IN_PERIOD} GROUP BY d.patient_id HAVING count(*) >= 2
             ORDER BY max(d.start) DESC LIMIT {RECORD_LIMIT}"
        ),
        Metric::TreatmentShare(_) => visits_where("AND d.treatment_code = ?3"),
        Metric::Inquiries => inquiry_sql(""),
        Metric::Revenue
        | Metric::RevenueCovered
        | Metric::RevenueNonCovered
        | Metric::RevenueCarInsurance
        | Metric::RevenuePerVisit => {
            let category = match metric.base() {
                Metric::RevenueCovered => "AND y.category = 'covered'",
                Metric::RevenueNonCovered => "AND y.category = 'non_covered'",
                Metric::RevenueCarInsurance => "AND y.category = 'car_insurance'",
                _ => "",
            };
            format!(
                "SELECT y.paid_at, p.chart_no, p.name, y.treatment_code, NULL, y.category,
                        trim(y.amount_krw || ' ' || y.reason || ' ' || y.note), p.id
                 FROM payments y JOIN patients p ON p.id = y.patient_id
                 WHERE y.paid_at >= ?1 AND y.paid_at < ?2 {category}
                 ORDER BY y.paid_at DESC, y.id DESC LIMIT {RECORD_LIMIT}"
            )
        }
        Metric::PackageSales | Metric::PackagesSold => format!(
            "SELECT k.purchased_on, p.chart_no, p.name, k.treatment_code, NULL, NULL,
                    k.sessions || ' / ' || k.price_krw, p.id
             FROM packages k JOIN patients p ON p.id = k.patient_id
             WHERE k.purchased_on >= ?1 AND k.purchased_on < ?2
             ORDER BY k.purchased_on DESC, k.id DESC LIMIT {RECORD_LIMIT}"
        ),
        Metric::VisitsPerPatient => visits_where(""),
        Metric::Filtered(..) => return Ok(Vec::new()),
        Metric::InquiryToVisit => inquiry_sql(&format!("AND {}", inquiry_visited())),
        Metric::InquiryToPaid => inquiry_sql(&format!("AND {}", inquiry_paid())),
        Metric::ConsultSuccess => format!(
            "SELECT c.consulted_at, p.chart_no, p.name, c.treatment_code, p.referral_source, NULL, c.reaction
             FROM consultations c JOIN patients p ON p.id = c.patient_id
             WHERE c.consulted_at >= ?1 AND c.consulted_at < ?2 AND c.status = 'accepted'
             ORDER BY c.consulted_at DESC LIMIT {RECORD_LIMIT}"
        ),
        Metric::CallbackOnTime => format!(
            "SELECT c.due_on, p.chart_no, coalesce(p.name, i.caller_name), NULL, NULL, c.kind, c.note, p.id,
                    NULL, {CALLER_PHONE}
             FROM callbacks c {CALLBACK_PERSON}
             WHERE c.due_on >= ?1 AND c.due_on < ?2 AND {CALLED_ON_TIME}
             ORDER BY c.due_on DESC LIMIT {RECORD_LIMIT}"
        ),
        Metric::OpenComplaints => format!(
            "SELECT c.raised_at, p.chart_no, p.name, NULL, NULL, c.category_code, c.description, p.id
             FROM complaints c JOIN patients p ON p.id = c.patient_id
             WHERE {OPEN_AT_END} ORDER BY c.raised_at DESC LIMIT {RECORD_LIMIT}"
        ),
        Metric::Manual => {
            let Some(id) = key_result_id else { return Ok(Vec::new()) };
            let mut stmt = conn.prepare(
                "SELECT on_date, value, comment FROM checkins WHERE key_result_id = ?1
                   AND on_date >= ?2 AND on_date < ?3 ORDER BY on_date DESC, id DESC LIMIT ?4",
            )?;
            let rows = stmt
                .query_map(params![id, lo, hi, RECORD_LIMIT as i64], |r| {
                    let value: f64 = r.get(1)?;
                    let comment: String = r.get(2)?;
                    Ok(Record {
                        at: r.get(0)?,
                        chart_no: String::new(),
                        name: crate::domain::okr::format_value(metric, Some(value), ""),
                        treatment: None,
                        source: None,
                        kind: None,
                        note: comment,
                        patient_id: None,
                        hit: None,
                        phone: None,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            return Ok(rows);
        }
    };
    let sql = add_condition(&sql, &metric_filter(metric, true));
    let mut stmt = conn.prepare(&sql)?;
    let rows: rusqlite::Result<Vec<Record>> = match metric.base() {
        Metric::TreatmentShare(code) => stmt.query_map(params![lo, hi, code], record)?.collect(),
        Metric::OpenComplaints => stmt.query_map([&hi], record)?.collect(),
        Metric::ReturnRate => stmt
            .query_map(params![lo, hi], |r| {
                let n: i64 = r.get(6)?;
                Ok(Record { note: format!("{n}"), ..record_without_note(r)? })
            })?
            .collect(),
        _ => stmt.query_map(params![lo, hi], record)?.collect(),
    };
    Ok(rows?)
}

fn record_without_note(r: &rusqlite::Row<'_>) -> rusqlite::Result<Record> {
    Ok(Record {
        at: r.get(0)?,
        chart_no: r.get(1)?,
        name: r.get(2)?,
        treatment: r.get(3)?,
        source: r.get(4)?,
        kind: r.get(5)?,
        note: String::new(),
        patient_id: None,
        hit: None,
        phone: None,
    })
}
