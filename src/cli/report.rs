//! `frontdesk report referrals|funnel|daily`: tidy rows in CSV and JSON (rates as fractions),
//! and in the seeds' shape (sources down, months across, totals) as a table.

use std::path::Path;

use clap::ValueEnum;
use serde::Serialize;

use super::{CliResult, Failure};
use crate::config::Config;
use crate::domain::reports::{
    self, ReferralMeasure, daily_table, fraction, fraction_text, funnel_table, referral_table,
};
use crate::domain::{Lang, Period};
use crate::store::catalog::Catalog;
use crate::store::{Access, reports as queries};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportKind {
    Referrals,
    Funnel,
    Daily,
    /// Payments net of refunds, grouped `--by` category, treatment, provider or month.
    Revenue,
}

/// How `report revenue` groups payments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum RevenueBy {
    #[default]
    Category,
    Treatment,
    Provider,
    Month,
}

impl RevenueBy {
    fn store(self) -> crate::store::payments::RevenueBy {
        use crate::store::payments::RevenueBy as S;
        match self {
            RevenueBy::Category => S::Category,
            RevenueBy::Treatment => S::Treatment,
            RevenueBy::Provider => S::Provider,
            RevenueBy::Month => S::Month,
        }
    }
    fn column(self) -> &'static str {
        match self {
            RevenueBy::Category => "category",
            RevenueBy::Treatment => "treatment",
            RevenueBy::Provider => "provider",
            RevenueBy::Month => "month",
        }
    }
}

#[derive(Serialize)]
struct RevenueJson<'a> {
    key: &'a str,
    label: String,
    net_krw: i64,
    payments: i64,
    refunds_krw: i64,
    share: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

// JSON records keep the columns in the order of DESIGN §6.
#[derive(Serialize)]
struct ReferralJson<'a> {
    month: &'a str,
    source: &'a str,
    new_patients: i64,
    new_patients_share: Option<f64>,
    inquiries: i64,
    inquiries_share: Option<f64>,
}

#[derive(Serialize)]
struct FunnelJson<'a> {
    source: &'a str,
    inquiries: i64,
    booked: i64,
    visited: i64,
    consulted: i64,
    paid: i64,
}

#[derive(Serialize)]
struct DailyJson {
    date: String,
    visits: i64,
    no_shows: i64,
    new_patients: i64,
    inquiries: i64,
    booked_from_inquiries: i64,
}

/// The period from `--from` / `--to` (YYYY-MM or YYYY-MM-DD); default the last 12 months.
pub fn period(from: Option<&str>, to: Option<&str>, today: chrono::NaiveDate) -> Result<Period, Failure> {
    let default = reports::last_twelve_months(today);
    let to = match to {
        Some(t) => reports::parse_bound(t, true).map_err(|e| Failure(format!("--to: {e}")))?,
        None => default.to,
    };
    let from = match from {
        Some(f) => reports::parse_bound(f, false).map_err(|e| Failure(format!("--from: {e}")))?,
        None => reports::last_twelve_months(to).from,
    };
    if from > to {
        return Err(Failure(format!("--from {from} is after --to {to}")));
    }
    Ok(Period::new(from, to))
}

/// The report as text, ready to print.
pub fn render(
    store: &crate::store::Store,
    kind: ReportKind,
    period: &Period,
    format: Format,
    lang: Lang,
    by: RevenueBy,
) -> Result<String, Failure> {
    let conn = store.conn();
    let catalog = Catalog::load(conn)?;
    let label = |code: &str| {
        if code == reports::UNKNOWN_SOURCE {
            lang.pick("미상", "Unknown").to_string()
        } else {
            catalog.source_label(code, lang)
        }
    };
    let mut out = String::new();
    let csv_line = |cells: &[String]| cells.join(",") + "\n";
    match kind {
        ReportKind::Referrals => {
            let rows = queries::referrals(conn, period)?;
            match format {
                Format::Table => {
                    for (i, m) in
                        [ReferralMeasure::NewPatients, ReferralMeasure::Inquiries].into_iter().enumerate()
                    {
                        if i > 0 {
                            out.push('\n');
                        }
                        out.push_str(&format!("{} ({} ~ {})\n", m.title(lang), period.from, period.to));
                        for l in referral_table(&rows, m, &label, lang, None) {
                            out.push_str(l.trim_end());
                            out.push('\n');
                        }
                    }
                }
                Format::Csv => {
                    out.push_str("month,source,new_patients,new_patients_share,inquiries,inquiries_share\n");
                    for r in &rows {
                        out.push_str(&csv_line(&[
                            r.month.clone(),
                            r.source.clone(),
                            r.new_patients.to_string(),
                            r.new_patients_share.map(fraction_text).unwrap_or_default(),
                            r.inquiries.to_string(),
                            r.inquiries_share.map(fraction_text).unwrap_or_default(),
                        ]));
                    }
                }
                Format::Json => {
                    let v: Vec<_> = rows
                        .iter()
                        .map(|r| ReferralJson {
                            month: &r.month,
                            source: &r.source,
                            new_patients: r.new_patients,
                            new_patients_share: r.new_patients_share.map(fraction),
                            inquiries: r.inquiries,
                            inquiries_share: r.inquiries_share.map(fraction),
                        })
                        .collect();
                    out.push_str(&serde_json::to_string_pretty(&v)?);
                    out.push('\n');
                }
            }
        }
        ReportKind::Funnel => {
            let rows = queries::funnel(conn, period)?;
            match format {
                Format::Table => {
                    out.push_str(&format!(
                        "{} ({} ~ {})\n",
                        lang.pick(
                            "내원경로별 전환: 문의 -> 예약 -> 내원 -> 상담 -> 결제",
                            "Funnel by referral source: inquiry -> booked -> visited -> consulted -> paid"
                        ),
                        period.from,
                        period.to
                    ));
                    for l in funnel_table(&rows, &label, lang) {
                        out.push_str(l.trim_end());
                        out.push('\n');
                    }
                }
                Format::Csv => {
                    out.push_str("source,inquiries,booked,visited,consulted,paid\n");
                    for r in &rows {
                        out.push_str(&csv_line(&[
                            r.source.clone(),
                            r.inquiries.to_string(),
                            r.booked.to_string(),
                            r.visited.to_string(),
                            r.consulted.to_string(),
                            r.paid.to_string(),
                        ]));
                    }
                }
                Format::Json => {
                    let v: Vec<_> = rows
                        .iter()
                        .map(|r| FunnelJson {
                            source: &r.source,
                            inquiries: r.inquiries,
                            booked: r.booked,
                            visited: r.visited,
                            consulted: r.consulted,
                            paid: r.paid,
                        })
                        .collect();
                    out.push_str(&serde_json::to_string_pretty(&v)?);
                    out.push('\n');
                }
            }
        }
        ReportKind::Revenue => {
            let rows = crate::store::payments::revenue_by(store, by.store(), period.from, period.to)?;
            let total: i64 = rows.iter().map(|r| r.net_krw).sum();
            let share = |net: i64| (total != 0).then(|| net as f64 / total as f64);
            let label = |key: &str| -> String {
                if key.is_empty() {
                    return lang.pick("(없음)", "(none)").into();
                }
                match by {
                    RevenueBy::Category => crate::domain::payments::PaymentCategory::parse(key)
                        .map(|c| c.label(lang).to_string())
                        .unwrap_or_else(|| key.to_string()),
                    RevenueBy::Treatment => catalog
                        .treatment(key)
                        .map(|t| t.code.label(lang).to_string())
                        .unwrap_or_else(|| key.to_string()),
                    _ => key.to_string(),
                }
            };
            match format {
                Format::Table => {
                    out.push_str(&format!(
                        "{} ({} ~ {})\n",
                        lang.pick("매출 (환불 차감)", "Revenue (net of refunds)"),
                        period.from,
                        period.to
                    ));
                    let won = |v: i64| format!("{}원", crate::domain::text::format_won(v));
                    let name_w = rows
                        .iter()
                        .map(|r| crate::domain::text::width(&label(&r.key)))
                        .max()
                        .unwrap_or(0)
                        .max(8);
                    for r in &rows {
                        out.push_str(&format!(
                            "{}  {:>16}  {:>5}  {:>4}\n",
                            crate::domain::text::fit(&label(&r.key), name_w),
                            won(r.net_krw),
                            r.payments,
                            share(r.net_krw)
                                .map(|s| format!("{:.0}%", s * 100.0))
                                .unwrap_or_else(|| "-".into())
                        ));
                    }
                    out.push_str(&format!(
                        "{}  {:>16}  {:>5}\n",
                        crate::domain::text::fit(lang.pick("합계", "Total"), name_w),
                        won(total),
                        rows.iter().map(|r| r.payments).sum::<i64>()
                    ));
                }
                Format::Csv => {
                    out.push_str(&format!("{},label,net_krw,payments,refunds_krw,share\n", by.column()));
                    for r in &rows {
                        out.push_str(&csv_line(&[
                            crate::domain::cells::neutralize(&r.key).into_owned(),
                            crate::domain::cells::neutralize(&label(&r.key)).into_owned(),
                            r.net_krw.to_string(),
                            r.payments.to_string(),
                            r.refunds_krw.to_string(),
                            share(r.net_krw).map(fraction_text).unwrap_or_default(),
                        ]));
                    }
                }
                Format::Json => {
                    let v: Vec<_> = rows
                        .iter()
                        .map(|r| RevenueJson {
                            key: &r.key,
                            label: label(&r.key),
                            net_krw: r.net_krw,
                            payments: r.payments,
                            refunds_krw: r.refunds_krw,
                            share: share(r.net_krw).map(fraction),
                        })
                        .collect();
                    out.push_str(&serde_json::to_string_pretty(&v)?);
                    out.push('\n');
                }
            }
        }
        ReportKind::Daily => {
            let rows = queries::daily(conn, period)?;
            match format {
                Format::Table => {
                    for l in daily_table(&rows, lang) {
                        out.push_str(l.trim_end());
                        out.push('\n');
                    }
                }
                Format::Csv => {
                    out.push_str("date,visits,no_shows,new_patients,inquiries,booked_from_inquiries\n");
                    for r in &rows {
                        out.push_str(&csv_line(&[
                            r.date.to_string(),
                            r.visits.to_string(),
                            r.no_shows.to_string(),
                            r.new_patients.to_string(),
                            r.inquiries.to_string(),
                            r.booked_from_inquiries.to_string(),
                        ]));
                    }
                }
                Format::Json => {
                    let v: Vec<_> = rows
                        .iter()
                        .map(|r| DailyJson {
                            date: r.date.to_string(),
                            visits: r.visits,
                            no_shows: r.no_shows,
                            new_patients: r.new_patients,
                            inquiries: r.inquiries,
                            booked_from_inquiries: r.booked_from_inquiries,
                        })
                        .collect();
                    out.push_str(&serde_json::to_string_pretty(&v)?);
                    out.push('\n');
                }
            }
        }
    }
    Ok(out)
}

#[allow(clippy::too_many_arguments)] // the command's options, one each
pub fn run(
    db: &Path,
    config: &Config,
    kind: ReportKind,
    period: &Period,
    format: Format,
    lang: Lang,
    no_bom: bool,
    out: Option<super::out_file::Out<'_>>,
    by: RevenueBy,
) -> CliResult {
    let store = super::open_existing(db, Access::ReadWrite, config)?;
    if let Some(o) = out.filter(|o| super::xlsx::is_xlsx(o.path)) {
        let csv = render(&store, kind, period, Format::Csv, lang, by)?;
        let sheet = format!("{kind:?}").to_lowercase();
        let bytes = super::xlsx::report_workbook(&sheet, &csv)?;
        return super::out_file::write(o.path, db, o.force, &bytes);
    }
    let rendered = render(&store, kind, period, format, lang, by)?;
    let text = crate::domain::text::printable(&rendered);
    let bytes = if format == Format::Csv {
        super::out_file::csv_with_bom(text.as_bytes(), no_bom, super::out_file::to_terminal(out))
    } else {
        text.into_owned().into_bytes()
    };
    super::out_file::emit(out, db, &bytes)
}
