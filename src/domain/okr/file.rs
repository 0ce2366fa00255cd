//! The TOML shape of `frontdesk okr load` and `okr export`: parsing, checking and writing it.

use super::filters::Filters;
use super::pace::Cadence;
use super::{Direction, Metric};
use chrono::Datelike;
use chrono::NaiveDate;
use serde::Deserialize;

/// The file of `frontdesk okr load` (and the templates in data/okr).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OkrFile {
    #[serde(rename = "objective", default)]
    pub objectives: Vec<ObjectiveSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectiveSpec {
    pub title: String,
    pub from: Option<toml::value::Datetime>,
    pub to: Option<toml::value::Datetime>,
    /// Templates only: a period of this many months from the first of the current month.
    pub months: Option<u32>,
    #[serde(rename = "key_result", default)]
    pub key_results: Vec<KeyResultSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyResultSpec {
    pub title: String,
    pub metric: String,
    pub direction: String,
    pub target: f64,
    pub baseline: Option<f64>,
    pub unit: Option<String>,
    pub owner: Option<String>,
    /// `"month"`: judged on the current month's value; absent: over the whole period.
    pub cadence: Option<String>,
    /// Filters (issue 21): a treatment code, a provider's name, a payment category, a
    /// referral source code.
    pub treatment: Option<String>,
    pub provider: Option<String>,
    pub category: Option<String>,
    pub source: Option<String>,
    #[serde(default)]
    pub actions: Vec<String>,
}

/// A checked objective, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectiveDef {
    pub title: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub key_results: Vec<KeyResultDef>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct KeyResultDef {
    pub title: String,
    pub metric: Metric,
    pub direction: Direction,
    pub target: f64,
    pub baseline: Option<f64>,
    pub unit: String,
    pub owner: String,
    pub cadence: Cadence,
    pub actions: Vec<String>,
}

/// Parses and checks an OKR file. Errors name the line (when TOML knows it) and the field.
/// `today` places templates that give `months` instead of dates.
pub fn parse_okr_file(text: &str, today: NaiveDate) -> Result<Vec<ObjectiveDef>, String> {
    let file: OkrFile = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| text[..s.start].matches('\n').count() + 1);
        match line {
            // Quote the line, so the field at fault is named even when TOML's message is not
            // about it ("invalid boolean" for `target = thirty`).
            Some(l) => {
                let source = text.lines().nth(l - 1).unwrap_or("").trim();
                format!("line {l} (`{}`): {}", crate::domain::text::truncate(source, 60), e.message().trim())
            }
            None => e.message().trim().to_string(),
        }
    })?;
    if file.objectives.is_empty() {
        return Err("no [[objective]] in the file".into());
    }
    let mut out = Vec::new();
    for (i, o) in file.objectives.into_iter().enumerate() {
        let at = format!("objective {} ({})", i + 1, o.title);
        if o.title.trim().is_empty() {
            return Err(format!("objective {}: field `title` is empty", i + 1));
        }
        let (from, to) = match (o.from, o.to, o.months) {
            (Some(f), Some(t), _) => (toml_date(&f, &at, "from")?, toml_date(&t, &at, "to")?),
            (None, None, Some(m)) if m > 0 => {
                let from = today.with_day(1).unwrap_or(today);
                let to = from
                    .checked_add_months(chrono::Months::new(m))
                    .and_then(|d| d.pred_opt())
                    .ok_or_else(|| format!("{at}: field `months` is too large"))?;
                (from, to)
            }
            _ => return Err(format!("{at}: needs both `from` and `to` dates")),
        };
        if to < from {
            return Err(format!("{at}: field `to` ({to}) is before `from` ({from})"));
        }
        if o.key_results.is_empty() {
            return Err(format!("{at}: has no [[objective.key_result]]"));
        }
        let mut krs = Vec::new();
        for (j, k) in o.key_results.into_iter().enumerate() {
            let kat = format!("{at}, key result {} ({})", j + 1, k.title);
            if k.title.trim().is_empty() {
                return Err(format!("{kat}: field `title` is empty"));
            }
            let metric = Metric::parse(&k.metric).ok_or_else(|| {
                format!(
                    "{kat}: field `metric` = \"{}\" is not one of {}, or treatment_share:CODE",
                    k.metric,
                    Metric::KEYS.join(", ")
                )
            })?;
            let mut filters = Filters::from_parts(k.treatment, k.provider, k.category, k.source);
            if let Some(c) = &filters.category {
                // Codes or labels, as every import takes them.
                filters.category = Some(
                    crate::domain::payments::PaymentCategory::parse_loose(c)
                        .map(|c| c.code().to_string())
                        .ok_or_else(|| {
                            format!(
                                "{kat}: field `category` = \"{c}\" is not one of {}",
                                crate::domain::payments::PaymentCategory::accepted()
                            )
                        })?,
                );
            }
            filters.check(&metric).map_err(|e| format!("{kat}: {e}"))?;
            let metric = metric.with_filters(filters);
            let direction = Direction::parse(&k.direction).ok_or_else(|| {
                format!("{kat}: field `direction` = \"{}\" must be at_least or at_most", k.direction)
            })?;
            if !k.target.is_finite() {
                return Err(format!("{kat}: field `target` is not a number"));
            }
            if metric.is_rate() && !(0.0..=1.0).contains(&k.target) {
                return Err(format!(
                    "{kat}: field `target` = {} must be a fraction between 0 and 1",
                    k.target
                ));
            }
            let cadence = match k.cadence.as_deref() {
                None => Cadence::Period,
                Some(c) => Cadence::parse(c).ok_or_else(|| {
                    format!(
                        "{kat}: field `cadence` = \"{c}\" must be \"month\" (or left out: the whole period)"
                    )
                })?,
            };
            krs.push(KeyResultDef {
                title: crate::domain::text::clean(&k.title),
                cadence,
                metric,
                direction,
                target: k.target,
                baseline: k.baseline,
                unit: k.unit.unwrap_or_default(),
                owner: k.owner.map(|s| crate::domain::text::clean(&s)).unwrap_or_default(),
                actions: k.actions.iter().map(|a| crate::domain::text::clean(a)).collect(),
            });
        }
        out.push(ObjectiveDef { title: crate::domain::text::clean(&o.title), from, to, key_results: krs });
    }
    Ok(out)
}

/// Objectives as an OKR file `frontdesk okr load` reads back to the same definitions
/// (`frontdesk okr export`): dates, cadence and filters included.
pub fn okr_file_text(objectives: &[ObjectiveDef]) -> String {
    let q = |s: &str| toml::Value::String(s.to_string()).to_string();
    let mut out = String::new();
    for o in objectives {
        out += &format!("[[objective]]\ntitle = {}\nfrom = {}\nto = {}\n", q(&o.title), o.from, o.to);
        for k in &o.key_results {
            out += &format!(
                "\n[[objective.key_result]]\ntitle = {}\nmetric = {}\ndirection = {}\ntarget = {:?}\n",
                q(&k.title),
                q(&k.metric.key()),
                q(k.direction.code()),
                k.target
            );
            if let Some(b) = k.baseline {
                out += &format!("baseline = {b:?}\n");
            }
            if k.cadence != Cadence::Period {
                out += &format!("cadence = {}\n", q(k.cadence.code()));
            }
            for (name, value) in k.metric.filters().map(|f| f.fields()).unwrap_or_default() {
                out += &format!("{name} = {}\n", q(value));
            }
            if !k.unit.is_empty() {
                out += &format!("unit = {}\n", q(&k.unit));
            }
            if !k.owner.is_empty() {
                out += &format!("owner = {}\n", q(&k.owner));
            }
            if !k.actions.is_empty() {
                let actions: Vec<String> = k.actions.iter().map(|a| q(a)).collect();
                out += &format!("actions = [{}]\n", actions.join(", "));
            }
        }
        out += "\n";
    }
    out
}

fn toml_date(d: &toml::value::Datetime, at: &str, field: &str) -> Result<NaiveDate, String> {
    match (d.date, d.time) {
        (Some(date), None) => NaiveDate::from_ymd_opt(date.year as i32, date.month as u32, date.day as u32)
            .ok_or_else(|| format!("{at}: field `{field}` is not a real date")),
        _ => Err(format!("{at}: field `{field}` must be a date like 2026-01-01")),
    }
}
