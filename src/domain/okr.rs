//! OKR definitions: the metric catalog and the TOML shape of `frontdesk okr load`.

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

/// A number the clinic steers by (DESIGN §4).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Metric {
    Visits,
    AvgDailyPatients,
    NoShowRate,
    BookingRate,
    NewPatients,
    ReturnRate,
    TreatmentShare(String),
    Referrals,
    Inquiries,
    InquiryToVisit,
    InquiryToPaid,
    ConsultSuccess,
    CallbackOnTime,
    OpenComplaints,
    Manual,
}

impl Metric {
    /// The keys accepted in `metric = "…"`; `treatment_share:CODE` is added to these.
    pub const KEYS: &'static [&'static str] = &[
        "visits",
        "avg_daily_patients",
        "no_show_rate",
        "booking_rate",
        "new_patients",
        "return_rate",
        "referrals",
        "inquiries",
        "inquiry_to_visit",
        "inquiry_to_paid",
        "consult_success",
        "callback_on_time",
        "open_complaints",
        "manual",
    ];

    pub fn parse(s: &str) -> Option<Metric> {
        let s = s.trim();
        if let Some(code) = s.strip_prefix("treatment_share:") {
            return (!code.is_empty()).then(|| Metric::TreatmentShare(code.to_string()));
        }
        Some(match s {
            "visits" => Metric::Visits,
            "avg_daily_patients" => Metric::AvgDailyPatients,
            "no_show_rate" => Metric::NoShowRate,
            "booking_rate" => Metric::BookingRate,
            "new_patients" => Metric::NewPatients,
            "return_rate" => Metric::ReturnRate,
            "referrals" => Metric::Referrals,
            "inquiries" => Metric::Inquiries,
            "inquiry_to_visit" => Metric::InquiryToVisit,
            "inquiry_to_paid" => Metric::InquiryToPaid,
            "consult_success" => Metric::ConsultSuccess,
            "callback_on_time" => Metric::CallbackOnTime,
            "open_complaints" => Metric::OpenComplaints,
            "manual" => Metric::Manual,
            _ => return None,
        })
    }

    pub fn key(&self) -> String {
        match self {
            Metric::TreatmentShare(code) => format!("treatment_share:{code}"),
            other => Metric::KEYS[other.index()].to_string(),
        }
    }

    fn index(&self) -> usize {
        match self {
            Metric::Visits => 0,
            Metric::AvgDailyPatients => 1,
            Metric::NoShowRate => 2,
            Metric::BookingRate => 3,
            Metric::NewPatients => 4,
            Metric::ReturnRate => 5,
            Metric::Referrals => 6,
            Metric::Inquiries => 7,
            Metric::InquiryToVisit => 8,
            Metric::InquiryToPaid => 9,
            Metric::ConsultSuccess => 10,
            Metric::CallbackOnTime => 11,
            Metric::OpenComplaints => 12,
            Metric::Manual => 13,
            Metric::TreatmentShare(_) => usize::MAX,
        }
    }

    /// Rates and averages are judged on their value to date; counts and sums accumulate.
    pub fn accumulates(&self) -> bool {
        matches!(
            self,
            Metric::Visits | Metric::NewPatients | Metric::Referrals | Metric::Inquiries | Metric::Manual
        )
    }

    /// Rates are fractions (0.43) shown as percentages.
    pub fn is_rate(&self) -> bool {
        matches!(
            self,
            Metric::NoShowRate
                | Metric::BookingRate
                | Metric::ReturnRate
                | Metric::TreatmentShare(_)
                | Metric::InquiryToVisit
                | Metric::InquiryToPaid
                | Metric::ConsultSuccess
                | Metric::CallbackOnTime
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    AtLeast,
    AtMost,
}

impl Direction {
    pub fn parse(s: &str) -> Option<Direction> {
        match s.trim() {
            "at_least" | ">=" | "이상" => Some(Direction::AtLeast),
            "at_most" | "<=" | "이하" => Some(Direction::AtMost),
            _ => None,
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            Direction::AtLeast => "at_least",
            Direction::AtMost => "at_most",
        }
    }
}

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
    pub actions: Vec<String>,
}

/// Parses and checks an OKR file. Errors name the line (when TOML knows it) and the field.
/// `today` places templates that give `months` instead of dates.
pub fn parse_okr_file(text: &str, today: NaiveDate) -> Result<Vec<ObjectiveDef>, String> {
    let file: OkrFile = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| text[..s.start].matches('\n').count() + 1);
        match line {
            Some(l) => format!("line {l}: {}", e.message()),
            None => e.message().to_string(),
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
            krs.push(KeyResultDef {
                title: super::text::clean(&k.title),
                metric,
                direction,
                target: k.target,
                baseline: k.baseline,
                unit: k.unit.unwrap_or_default(),
                owner: k.owner.map(|s| super::text::clean(&s)).unwrap_or_default(),
                actions: k.actions.iter().map(|a| super::text::clean(a)).collect(),
            });
        }
        out.push(ObjectiveDef { title: super::text::clean(&o.title), from, to, key_results: krs });
    }
    Ok(out)
}

fn toml_date(d: &toml::value::Datetime, at: &str, field: &str) -> Result<NaiveDate, String> {
    match (d.date, d.time) {
        (Some(date), None) => NaiveDate::from_ymd_opt(date.year as i32, date.month as u32, date.day as u32)
            .ok_or_else(|| format!("{at}: field `{field}` is not a real date")),
        _ => Err(format!("{at}: field `{field}` must be a date like 2026-01-01")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn parses_the_design_example() {
        let text = r#"
[[objective]]
title = "월 1억, 평환 50명"
from = 2026-01-01
to = 2026-06-30
[[objective.key_result]]
title = "부도율 30% 이하"
metric = "no_show_rate"
direction = "at_most"
target = 0.30
owner = "데스크"
actions = ["해피콜로 예약 잡기"]
"#;
        let objs = parse_okr_file(text, day(2026, 3, 1)).unwrap();
        assert_eq!(objs.len(), 1);
        assert_eq!(objs[0].from, day(2026, 1, 1));
        assert_eq!(objs[0].key_results[0].metric, Metric::NoShowRate);
        assert_eq!(objs[0].key_results[0].direction, Direction::AtMost);
    }

    #[test]
    fn template_months_start_this_month() {
        let text = "[[objective]]\ntitle='x'\nmonths=6\n[[objective.key_result]]\ntitle='k'\nmetric='visits'\ndirection='at_least'\ntarget=5\n";
        let objs = parse_okr_file(text, day(2026, 11, 22)).unwrap();
        assert_eq!((objs[0].from, objs[0].to), (day(2026, 11, 1), day(2027, 4, 30)));
    }

    #[test]
    fn errors_name_line_and_field() {
        let bad_metric = "[[objective]]\ntitle='x'\nfrom=2026-01-01\nto=2026-06-30\n[[objective.key_result]]\ntitle='k'\nmetric='speed'\ndirection='at_least'\ntarget=5\n";
        let e = parse_okr_file(bad_metric, day(2026, 1, 1)).unwrap_err();
        assert!(e.contains("`metric`") && e.contains("speed"), "{e}");
        let bad_toml = "[[objective]]\ntitle='x'\nfrom=2026-01-01\nto=2026-06-30\n[[objective.key_result]]\ntitle='k'\nmetric='visits'\ndirection='at_least'\ntarget='five'\n";
        let e = parse_okr_file(bad_toml, day(2026, 1, 1)).unwrap_err();
        assert!(e.starts_with("line 9"), "{e}");
        let reversed = "[[objective]]\ntitle='x'\nfrom=2026-06-01\nto=2026-01-01\n[[objective.key_result]]\ntitle='k'\nmetric='visits'\ndirection='at_least'\ntarget=5\n";
        assert!(parse_okr_file(reversed, day(2026, 1, 1)).unwrap_err().contains("`to`"));
    }
}
