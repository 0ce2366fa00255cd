//! A metric's rows narrowed to its key result's filters, as SQL conditions.

use crate::domain::okr::Filters;
use crate::domain::okr::Metric;

/// A text as an SQL string literal (quotes doubled): filter values are the clinic's own codes
/// and names, put into the statement so each filtered number keeps its one cached statement.
fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// The rows a metric counts, for its filters' conditions: each names its table's alias.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum RowsOf {
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
pub(super) fn filter_sql(rows: RowsOf, f: &Filters) -> String {
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
pub(super) fn metric_filter(metric: &Metric, as_visits: bool) -> String {
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
pub(super) fn add_condition(sql: &str, cond: &str) -> String {
    if cond.is_empty() {
        return sql.to_string();
    }
    let at = sql.rfind("GROUP BY").or_else(|| sql.rfind("ORDER BY")).unwrap_or(sql.len());
    format!("{}{cond} {}", &sql[..at], &sql[at..])
}
