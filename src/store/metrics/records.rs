//! The records behind a number (drill-downs), both sides of a rate.

use super::daily::query_period;
use super::filters::{add_condition, metric_filter};
use super::wait::wait_minutes_by_visit;
use super::{
    ATTENDED_OR_MISSED_IN_PERIOD, CALLBACK_PERSON, CALLED_ON_TIME, CALLER_PHONE, DONE_IN_PERIOD, FIRST_VISIT,
    INQUIRY_PERSON, OPEN_AT_END, REBOOKED, RECORD_LIMIT, SCORED_IN_PERIOD, bounds, inquiry_paid,
    inquiry_visited,
};
use crate::domain::okr::Metric;
use crate::store::Result;
use chrono::NaiveDate;
use rusqlite::params;

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
    conn: &impl crate::store::Db,
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
    conn: &impl crate::store::Db,
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
