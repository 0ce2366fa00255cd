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
    /// Scores of 4–5 ÷ satisfaction scores recorded (1–5, on happy calls and contacts).
    Satisfaction,
    /// Median minutes from arrived to done (or the next status) over the period's visits.
    WaitMinutes,
    /// Sum of payments in won, refunds and corrections netted (issue 21).
    Revenue,
    /// [`Metric::Revenue`] of the covered category (급여).
    RevenueCovered,
    /// [`Metric::Revenue`] of the non-covered category (비급여).
    RevenueNonCovered,
    /// [`Metric::Revenue`] of car insurance (자보).
    RevenueCarInsurance,
    /// Sum of the prices of packages sold, in won.
    PackageSales,
    /// Packages sold.
    PackagesSold,
    /// Done visits ÷ distinct patients seen in the period.
    VisitsPerPatient,
    /// Revenue ÷ done visits in the period, in won.
    RevenuePerVisit,
    /// A metric narrowed by [`Filters`] (a key result aimed at one provider, treatment ~).
    /// Never nested, never with empty filters ([`Metric::with_filters`]).
    Filtered(Box<Metric>, Filters),
}

/// What a key result's number is narrowed to (issue 21): a treatment code, a provider (a staff
/// name: who treated for visits, who sold for payments and packages), a payment category, a
/// referral source code. Which apply to which metric: [`Filters::check`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Filters {
    pub treatment: Option<String>,
    pub provider: Option<String>,
    pub category: Option<String>,
    pub source: Option<String>,
}

impl Filters {
    pub fn is_empty(&self) -> bool {
        self.treatment.is_none()
            && self.provider.is_none()
            && self.category.is_none()
            && self.source.is_none()
    }

    /// From optional texts, blank ones left out.
    pub fn from_parts(
        treatment: Option<String>,
        provider: Option<String>,
        category: Option<String>,
        source: Option<String>,
    ) -> Filters {
        let clean = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        Filters {
            treatment: clean(treatment),
            provider: clean(provider),
            category: clean(category),
            source: clean(source),
        }
    }

    /// The fields set, as (name, value), in the order of the OKR file.
    pub fn fields(&self) -> Vec<(&'static str, &str)> {
        [
            ("treatment", &self.treatment),
            ("provider", &self.provider),
            ("category", &self.category),
            ("source", &self.source),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.as_deref().map(|v| (k, v)))
        .collect()
    }

    /// The filters `metric` can be narrowed by.
    pub fn allowed(metric: &Metric) -> &'static [&'static str] {
        match metric.base() {
            Metric::Visits
            | Metric::AvgDailyPatients
            | Metric::NoShowRate
            | Metric::BookingRate
            | Metric::NewPatients
            | Metric::ReturnRate
            | Metric::Referrals
            | Metric::VisitsPerPatient
            | Metric::PackageSales
            | Metric::PackagesSold => &["treatment", "provider", "source"],
            Metric::TreatmentShare(_) => &["provider", "source"],
            Metric::Revenue | Metric::RevenuePerVisit => &["treatment", "provider", "category", "source"],
            Metric::RevenueCovered | Metric::RevenueNonCovered | Metric::RevenueCarInsurance => {
                &["treatment", "provider", "source"]
            }
            Metric::ConsultSuccess => &["treatment", "source"],
            Metric::Inquiries | Metric::InquiryToVisit | Metric::InquiryToPaid => &["treatment", "source"],
            Metric::CallbackOnTime
            | Metric::OpenComplaints
            | Metric::Manual
            | Metric::Satisfaction
            | Metric::WaitMinutes
            | Metric::Filtered(..) => &[],
        }
    }

    /// `Err` naming the first filter `metric` cannot be narrowed by, or a category that is not
    /// one of the payment categories.
    pub fn check(&self, metric: &Metric) -> Result<(), String> {
        let allowed = Filters::allowed(metric);
        for (name, _) in self.fields() {
            if !allowed.contains(&name) {
                return Err(if allowed.is_empty() {
                    format!("metric `{}` takes no filter (`{name}`)", metric.key())
                } else {
                    format!("metric `{}` takes only {} (not `{name}`)", metric.key(), allowed.join(", "))
                });
            }
        }
        if let Some(c) = &self.category
            && super::payments::PaymentCategory::parse(c).is_none()
        {
            return Err(format!(
                "`category` = \"{c}\" is not one of {}",
                super::payments::PaymentCategory::accepted()
            ));
        }
        Ok(())
    }
}

/// How a metric's number behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricKind {
    /// A count or sum: it accumulates over the period.
    Count,
    /// A fraction (0.43) shown as a percentage, judged on its value to date.
    Rate,
    /// An average, a median or a level, judged on its value to date.
    Level,
}

/// One row of the metric catalog (DESIGN §4): its key in `metric = "~"`, its names on
/// screen, and how its number behaves. `treatment_share:CODE` is the one parameterised
/// metric (a rate), outside the table. What each metric counts is `store::metrics`.
#[derive(Clone, Copy)]
pub struct MetricSpec {
    pub metric: fn() -> Metric,
    pub key: &'static str,
    pub ko: &'static str,
    pub en: &'static str,
    pub kind: MetricKind,
}

/// The metric catalog: the one home of every metric's key, names and kind.
pub const METRICS: &[MetricSpec] = &[
    MetricSpec {
        metric: || Metric::Visits,
        key: "visits",
        ko: "내원 수",
        en: "Visits",
        kind: MetricKind::Count,
    },
    MetricSpec {
        metric: || Metric::AvgDailyPatients,
        key: "avg_daily_patients",
        ko: "평환(일 평균 환자)",
        en: "Patients per clinic day",
        kind: MetricKind::Level,
    },
    MetricSpec {
        metric: || Metric::NoShowRate,
        key: "no_show_rate",
        ko: "부도율",
        en: "No-show rate",
        kind: MetricKind::Rate,
    },
    MetricSpec {
        metric: || Metric::BookingRate,
        key: "booking_rate",
        ko: "예약률",
        en: "Rebooking rate",
        kind: MetricKind::Rate,
    },
    MetricSpec {
        metric: || Metric::NewPatients,
        key: "new_patients",
        ko: "신환",
        en: "New patients",
        kind: MetricKind::Count,
    },
    MetricSpec {
        metric: || Metric::ReturnRate,
        key: "return_rate",
        ko: "재방문율",
        en: "Return rate",
        kind: MetricKind::Rate,
    },
    MetricSpec {
        metric: || Metric::Referrals,
        key: "referrals",
        ko: "소개 신환",
        en: "Referred new patients",
        kind: MetricKind::Count,
    },
    MetricSpec {
        metric: || Metric::Inquiries,
        key: "inquiries",
        ko: "문의",
        en: "Inquiries",
        kind: MetricKind::Count,
    },
    MetricSpec {
        metric: || Metric::InquiryToVisit,
        key: "inquiry_to_visit",
        ko: "문의->내원",
        en: "Inquiry to visit",
        kind: MetricKind::Rate,
    },
    MetricSpec {
        metric: || Metric::InquiryToPaid,
        key: "inquiry_to_paid",
        ko: "문의->결제",
        en: "Inquiry to paid",
        kind: MetricKind::Rate,
    },
    MetricSpec {
        metric: || Metric::ConsultSuccess,
        key: "consult_success",
        ko: "상담 성공률",
        en: "Consultation success",
        kind: MetricKind::Rate,
    },
    MetricSpec {
        metric: || Metric::CallbackOnTime,
        key: "callback_on_time",
        ko: "리콜 수행률",
        en: "Callbacks on time",
        kind: MetricKind::Rate,
    },
    MetricSpec {
        metric: || Metric::OpenComplaints,
        key: "open_complaints",
        ko: "미해결 불만",
        en: "Open complaints",
        kind: MetricKind::Level,
    },
    MetricSpec {
        metric: || Metric::Manual,
        key: "manual",
        ko: "수동 입력(매출 등)",
        en: "Manual (revenue etc.)",
        kind: MetricKind::Count,
    },
    MetricSpec {
        metric: || Metric::Satisfaction,
        key: "satisfaction",
        ko: "만족도(4-5점 비율)",
        en: "Satisfaction (share of 4-5)",
        kind: MetricKind::Rate,
    },
    MetricSpec {
        metric: || Metric::WaitMinutes,
        key: "wait_minutes",
        ko: "대기시간(분, 중앙값)",
        en: "Waiting minutes (median)",
        kind: MetricKind::Level,
    },
    MetricSpec {
        metric: || Metric::Revenue,
        key: "revenue",
        ko: "매출(수납 합계)",
        en: "Revenue (payments)",
        kind: MetricKind::Count,
    },
    MetricSpec {
        metric: || Metric::RevenueCovered,
        key: "revenue_covered",
        ko: "급여 매출",
        en: "Covered revenue",
        kind: MetricKind::Count,
    },
    MetricSpec {
        metric: || Metric::RevenueNonCovered,
        key: "revenue_non_covered",
        ko: "비급여 매출",
        en: "Non-covered revenue",
        kind: MetricKind::Count,
    },
    MetricSpec {
        metric: || Metric::RevenueCarInsurance,
        key: "revenue_car_insurance",
        ko: "자보 매출",
        en: "Car insurance revenue",
        kind: MetricKind::Count,
    },
    MetricSpec {
        metric: || Metric::PackageSales,
        key: "package_sales",
        ko: "패키지 매출",
        en: "Package sales",
        kind: MetricKind::Count,
    },
    MetricSpec {
        metric: || Metric::PackagesSold,
        key: "packages_sold",
        ko: "패키지 판매 건수",
        en: "Packages sold",
        kind: MetricKind::Count,
    },
    MetricSpec {
        metric: || Metric::VisitsPerPatient,
        key: "visits_per_patient",
        ko: "환자당 내원 수",
        en: "Visits per patient",
        kind: MetricKind::Level,
    },
    MetricSpec {
        metric: || Metric::RevenuePerVisit,
        key: "revenue_per_visit",
        ko: "내원당 매출",
        en: "Revenue per visit",
        kind: MetricKind::Level,
    },
];

const TREATMENT_SHARE_LABEL: (&str, &str) = ("치료 비율", "Treatment share");

impl Metric {
    /// The keys accepted in `metric = "~"`, in the catalog's order; `treatment_share:CODE` is
    /// added to these.
    pub const KEYS: &'static [&'static str] = &{
        let mut out = [""; METRICS.len()];
        let mut i = 0;
        while i < METRICS.len() {
            out[i] = METRICS[i].key;
            i += 1;
        }
        out
    };

    pub fn parse(s: &str) -> Option<Metric> {
        let s = s.trim();
        if let Some(code) = s.strip_prefix("treatment_share:") {
            return (!code.is_empty()).then(|| Metric::TreatmentShare(code.to_string()));
        }
        METRICS.iter().find(|m| m.key == s).map(|m| (m.metric)())
    }

    /// This metric's row of [`METRICS`] (none for a treatment share; a filtered metric's is
    /// its base's).
    pub fn spec(&self) -> Option<&'static MetricSpec> {
        let base = self.base();
        METRICS.iter().find(|m| (m.metric)() == *base)
    }

    /// The metric without its filters.
    pub fn base(&self) -> &Metric {
        match self {
            Metric::Filtered(base, _) => base,
            m => m,
        }
    }

    /// Its filters, none when it is not narrowed.
    pub fn filters(&self) -> Option<&Filters> {
        match self {
            Metric::Filtered(_, f) => Some(f),
            _ => None,
        }
    }

    /// This metric narrowed by `filters` (replacing any it had); the plain metric for none.
    pub fn with_filters(self, filters: Filters) -> Metric {
        let base = match self {
            Metric::Filtered(base, _) => *base,
            m => m,
        };
        if filters.is_empty() { base } else { Metric::Filtered(Box::new(base), filters) }
    }

    pub fn key(&self) -> String {
        match (self.base(), self.spec()) {
            (Metric::TreatmentShare(code), _) => format!("treatment_share:{code}"),
            (_, Some(spec)) => spec.key.to_string(),
            (_, None) => String::new(),
        }
    }

    /// What the number is called on screen. A treatment share names its treatment separately.
    pub fn label(&self, lang: super::Lang) -> &'static str {
        let (ko, en) = self.spec().map(|s| (s.ko, s.en)).unwrap_or(TREATMENT_SHARE_LABEL);
        lang.pick(ko, en)
    }

    /// How the number behaves (a treatment share is a rate).
    pub fn kind(&self) -> MetricKind {
        self.spec().map(|s| s.kind).unwrap_or(MetricKind::Rate)
    }

    /// Rates and averages are judged on their value to date; counts and sums accumulate.
    pub fn accumulates(&self) -> bool {
        self.kind() == MetricKind::Count
    }

    /// Rates are fractions (0.43) shown as percentages.
    pub fn is_rate(&self) -> bool {
        self.kind() == MetricKind::Rate
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

/// Over what a key result is judged: the whole period (the default), or the current month
/// (`cadence = "month"`: "비급여 매출 월 3,000만원" is a month's revenue, not six months').
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Cadence {
    #[default]
    Period,
    Month,
}

impl Cadence {
    pub fn parse(s: &str) -> Option<Cadence> {
        match s.trim() {
            "" | "period" => Some(Cadence::Period),
            "month" | "monthly" | "월" | "매월" => Some(Cadence::Month),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Cadence::Period => "period",
            Cadence::Month => "month",
        }
    }

    pub fn label(self, lang: super::Lang) -> &'static str {
        match self {
            Cadence::Period => lang.pick("기간 전체", "whole period"),
            Cadence::Month => lang.pick("매월", "monthly"),
        }
    }
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

fn last_of_month(d: NaiveDate) -> NaiveDate {
    first_of_month(d).checked_add_months(chrono::Months::new(1)).and_then(|n| n.pred_opt()).unwrap_or(d)
}

/// The dates a key result's value is read over when judged at the end of `at`: the period
/// up to `at` or, for a monthly one, the month of `at` (from the period's start when it began
/// that month); a period already over is judged at its end (its last month). `None` before
/// the period begins.
pub fn judged_window(
    cadence: Cadence,
    from: NaiveDate,
    to: NaiveDate,
    at: NaiveDate,
) -> Option<(NaiveDate, NaiveDate)> {
    if at < from {
        return None;
    }
    let end = at.min(to);
    Some(match cadence {
        Cadence::Period => (from, end),
        Cadence::Month => (from.max(first_of_month(end)), end),
    })
}

/// The span a key result's pace runs over at `at`: the period, or for a monthly one the
/// month of `at` within the period (its pace is the share of the month's clinic days gone).
pub fn pace_window(
    cadence: Cadence,
    from: NaiveDate,
    to: NaiveDate,
    at: NaiveDate,
) -> (NaiveDate, NaiveDate) {
    match cadence {
        Cadence::Period => (from, to),
        Cadence::Month => {
            let a = at.clamp(from, to.max(from));
            (from.max(first_of_month(a)), to.min(last_of_month(a)))
        }
    }
}

/// The last day a value is read through: a rate or average is judged through the last
/// finished day, so while `at` is still going on (`day_open`) it stops the day before;
/// counts and sums take today's rows as they come.
pub fn finished_end(metric: &Metric, end: NaiveDate, at: NaiveDate, day_open: bool) -> NaiveDate {
    if day_open && !metric.accumulates() && end >= at { at.pred_opt().unwrap_or(at) } else { end }
}

/// The months of a monthly key result's history judged at `at`: each month of the period up
/// to the month of `at` (the last `n`), as `[start, end]` within the period and up to `at`.
pub fn month_points(from: NaiveDate, to: NaiveDate, at: NaiveDate, n: usize) -> Vec<(NaiveDate, NaiveDate)> {
    if at < from || n == 0 {
        return Vec::new();
    }
    let end = at.min(to);
    let mut out = Vec::new();
    let mut m = first_of_month(end);
    while out.len() < n && last_of_month(m) >= from {
        out.push((from.max(m), end.min(last_of_month(m))));
        match m.checked_sub_months(chrono::Months::new(1)) {
            Some(p) => m = p,
            None => break,
        }
    }
    out.reverse();
    out
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
                format!("line {l} (`{}`): {}", super::text::truncate(source, 60), e.message().trim())
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
                    super::payments::PaymentCategory::parse_loose(c)
                        .map(|c| c.code().to_string())
                        .ok_or_else(|| {
                            format!(
                                "{kat}: field `category` = \"{c}\" is not one of {}",
                                super::payments::PaymentCategory::accepted()
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
                title: super::text::clean(&k.title),
                cadence,
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

/// Tolerance for comparing computed rates with targets typed as decimals (0.30).
const EPSILON: f64 = 1e-9;

/// The days the clinic opens: its weekdays (the `open_days` setting, e.g.
/// "mon,tue,wed,thu,fri,sat") and, once [`OpenDays::with_calendar`] adds them, not on public
/// holidays nor on the clinic's own closed days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenDays([bool; 7], Option<std::sync::Arc<super::calendar::ClinicCalendar>>);

impl Default for OpenDays {
    /// Monday to Saturday, as most Korean clinics open.
    fn default() -> Self {
        OpenDays([true, true, true, true, true, true, false], None)
    }
}

impl OpenDays {
    /// Parses "mon,tue,~" (English three-letter names or 월,화,~); `None` when a day is unknown.
    pub fn parse(s: &str) -> Option<OpenDays> {
        const EN: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        const KO: [&str; 7] = ["월", "화", "수", "목", "금", "토", "일"];
        let mut days = [false; 7];
        for part in s.split(',').map(|p| p.trim().to_lowercase()).filter(|p| !p.is_empty()) {
            let i =
                EN.iter().position(|d| part.starts_with(d)).or_else(|| KO.iter().position(|d| part == *d))?;
            days[i] = true;
        }
        Some(OpenDays(days, None))
    }

    /// These weekdays, closed also on the calendar's public holidays and the clinic's own
    /// closed days (pace and clinic days then count only the days the clinic really opens).
    pub fn with_calendar(self, cal: super::calendar::ClinicCalendar) -> OpenDays {
        OpenDays(self.0, Some(std::sync::Arc::new(cal)))
    }

    pub fn is_open(&self, d: NaiveDate) -> bool {
        self.0[d.weekday().num_days_from_monday() as usize]
            && self.1.as_ref().is_none_or(|c| !c.closed.contains(&d) && super::calendar::holiday(d).is_none())
    }

    /// Opening days in `from..=to` (0 when `to < from`).
    pub fn count(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        from.iter_days().take_while(|d| *d <= to).filter(|d| self.is_open(*d)).count() as i64
    }
}

/// Where a key result stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    Met,
    OnTrack,
    Behind,
    OffTrack,
    /// No value yet (a rate with nothing to divide by, a manual result with no check-in).
    NoData,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::OnTrack => "on_track",
            Status::Behind => "behind",
            Status::OffTrack => "off_track",
            Status::NoData => "no_data",
        }
    }

    pub fn label(self, lang: super::Lang) -> &'static str {
        lang.pick(
            match self {
                Status::Met => "달성!",
                Status::OnTrack => "순항",
                Status::Behind => "뒤처짐",
                Status::OffTrack => "위험",
                Status::NoData => "자료 없음",
            },
            match self {
                Status::Met => "Met!",
                Status::OnTrack => "On track",
                Status::Behind => "Behind",
                Status::OffTrack => "Off track",
                Status::NoData => "No data",
            },
        )
    }

    /// How bad it is, for "the worst status among them".
    fn severity(self) -> u8 {
        match self {
            Status::NoData => 0,
            Status::Met => 1,
            Status::OnTrack => 2,
            Status::Behind => 3,
            Status::OffTrack => 4,
        }
    }
}

/// True when `value` meets the target; inclusive (a 30% no-show rate meets "at most 30%").
pub fn is_met(direction: Direction, value: f64, target: f64) -> bool {
    match direction {
        Direction::AtLeast => value >= target - EPSILON,
        Direction::AtMost => value <= target + EPSILON,
    }
}

/// Progress from 0 to 1 (DESIGN §4).
///
/// `at_least`: (value − baseline) ÷ (target − baseline), clamped, baseline 0 by default.
/// `at_most`: 1 when met; else (baseline − value) ÷ (baseline − target) when a baseline above
/// the target is given; else 0 (without a starting point there is no way to say how close).
pub fn progress(direction: Direction, value: f64, target: f64, baseline: Option<f64>) -> f64 {
    if is_met(direction, value, target) {
        return 1.0;
    }
    match direction {
        Direction::AtLeast => {
            let base = baseline.unwrap_or(0.0);
            if target - base <= EPSILON {
                // Target at or below the baseline and not met: nothing gained yet.
                return 0.0;
            }
            ((value - base) / (target - base)).clamp(0.0, 1.0)
        }
        Direction::AtMost => match baseline {
            Some(base) if base > target + EPSILON => ((base - value) / (base - target)).clamp(0.0, 1.0),
            _ => 0.0,
        },
    }
}

/// Where the bar should be by `at`, from 0 to 1.
///
/// Counts and sums accumulate, so their marker is the share of the period's opening days
/// already gone (through `at`, inclusive: the day's numbers count too). With no opening day
/// in the period at all it falls back to calendar days. Rates and averages are judged on their
/// value to date, so the whole target applies every day: their pace is 1.
pub fn pace(metric: &Metric, from: NaiveDate, to: NaiveDate, at: NaiveDate, open: &OpenDays) -> f64 {
    if !metric.accumulates() {
        return 1.0;
    }
    if at < from {
        return 0.0;
    }
    if at >= to {
        return 1.0;
    }
    let total = open.count(from, to);
    if total > 0 {
        open.count(from, at) as f64 / total as f64
    } else {
        let days = (to - from).num_days() + 1;
        ((at - from).num_days() + 1) as f64 / days as f64
    }
}

/// Met; on track (progress at or past pace); behind (within 20 points of pace); off track.
pub fn status(met: bool, progress: f64, pace: f64) -> Status {
    if met {
        Status::Met
    } else if progress >= pace - EPSILON {
        Status::OnTrack
    } else if progress >= pace - 0.20 - EPSILON {
        Status::Behind
    } else {
        Status::OffTrack
    }
}

/// A key result judged at a date.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Judgement {
    pub value: Option<f64>,
    /// `None` when there is no value.
    pub progress: Option<f64>,
    pub pace: f64,
    pub status: Status,
}

/// Judges a value against its key result. No value: no progress, status `NoData`.
pub fn judge(
    direction: Direction,
    target: f64,
    baseline: Option<f64>,
    value: Option<f64>,
    pace: f64,
) -> Judgement {
    match value {
        None => Judgement { value, progress: None, pace, status: Status::NoData },
        Some(v) => {
            let p = progress(direction, v, target, baseline);
            Judgement {
                value,
                progress: Some(p),
                pace,
                status: status(is_met(direction, v, target), p, pace),
            }
        }
    }
}

/// An objective: the mean progress of its key results with a value, and the worst status among
/// them. It is met only when every key result is met: a key result without data is never met,
/// so an objective whose other key results are all met reads "no data" until it has some
/// (one accepted consultation must not turn a revenue objective with no check-in into "Met!").
pub fn objective_summary(krs: &[Judgement]) -> (Option<f64>, Status) {
    let with_value: Vec<f64> = krs.iter().filter_map(|j| j.progress).collect();
    let mean = (!with_value.is_empty()).then(|| with_value.iter().sum::<f64>() / with_value.len() as f64);
    let worst = krs.iter().map(|j| j.status).max_by_key(|s| s.severity()).unwrap_or(Status::NoData);
    let any_without_data = krs.iter().any(|j| j.status == Status::NoData);
    let status = if worst == Status::Met && any_without_data { Status::NoData } else { worst };
    (mean, status)
}

/// How many of an objective's key results have no value yet.
pub fn without_data(krs: &[Judgement]) -> usize {
    krs.iter().filter(|j| j.status == Status::NoData).count()
}

/// A value as people read it: rates as percentages, counts whole, averages with one decimal.
/// No value is "-" (plain ASCII: the en dash is ambiguous-width in CJK terminals).
pub fn format_value(metric: &Metric, value: Option<f64>, unit: &str) -> String {
    let Some(v) = value else { return "-".to_string() };
    if metric.is_rate() {
        let pct = v * 100.0;
        if (pct - pct.round()).abs() < 0.05 { format!("{:.0}%", pct) } else { format!("{:.1}%", pct) }
    } else if (v - v.round()).abs() < EPSILON {
        let n = super::text::format_won(v.round() as i64);
        if unit.is_empty() { n } else { format!("{n}{unit}") }
    } else {
        let n = format!("{v:.1}");
        if unit.is_empty() { n } else { format!("{n}{unit}") }
    }
}

/// A target or baseline as typed: `80%`, `0.8`, `50`, `3,000만원`. For a rate, a number above 1
/// without `%` is read as a percentage too (`80` -> 0.8), since rates are fractions.
pub fn parse_amount_input(input: &str, is_rate: bool) -> Option<f64> {
    let t = input.trim();
    if t.is_empty() {
        return None;
    }
    if let Some(pct) = t.strip_suffix('%') {
        let v: f64 = pct.trim().replace(',', "").parse().ok()?;
        return v.is_finite().then_some(v / 100.0);
    }
    let v = match t.replace(',', "").parse::<f64>() {
        Ok(v) if v.is_finite() => v,
        _ => super::text::parse_won(t)? as f64,
    };
    Some(if is_rate && v > 1.0 { v / 100.0 } else { v })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every metric has exactly one row in the catalog, whose key parses back to it; adding a
    /// variant fails to compile here until it is named (and then until it has its row).
    #[test]
    fn the_metric_catalog_has_one_row_per_metric() {
        let every = |m: &Metric| match m {
            Metric::Visits
            | Metric::AvgDailyPatients
            | Metric::NoShowRate
            | Metric::BookingRate
            | Metric::NewPatients
            | Metric::ReturnRate
            | Metric::Referrals
            | Metric::Inquiries
            | Metric::InquiryToVisit
            | Metric::InquiryToPaid
            | Metric::ConsultSuccess
            | Metric::CallbackOnTime
            | Metric::OpenComplaints
            | Metric::Manual
            | Metric::Satisfaction
            | Metric::WaitMinutes
            | Metric::Revenue
            | Metric::RevenueCovered
            | Metric::RevenueNonCovered
            | Metric::RevenueCarInsurance
            | Metric::PackageSales
            | Metric::PackagesSold
            | Metric::VisitsPerPatient
            | Metric::RevenuePerVisit => true,
            Metric::TreatmentShare(_) | Metric::Filtered(..) => false,
        };
        assert_eq!(Metric::KEYS.len(), METRICS.len());
        for (spec, key) in METRICS.iter().zip(Metric::KEYS) {
            let m = (spec.metric)();
            assert!(every(&m));
            assert_eq!(spec.key, *key);
            assert_eq!(Metric::parse(key), Some(m.clone()));
            assert_eq!(m.key(), *key);
            assert_eq!(METRICS.iter().filter(|s| (s.metric)() == m).count(), 1, "{key}");
        }
        assert_eq!(METRICS.len(), 24, "a new metric needs its row");
        let share = Metric::parse("treatment_share:chuna").unwrap();
        assert!(share.is_rate() && !share.accumulates());
        assert_eq!(share.key(), "treatment_share:chuna");
        assert_eq!(share.label(crate::domain::Lang::En), "Treatment share");
        assert!(Metric::Visits.accumulates() && Metric::Manual.accumulates());
        assert!(!Metric::WaitMinutes.accumulates() && !Metric::WaitMinutes.is_rate());
        assert!(Metric::BookingRate.is_rate());
    }

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

    #[test]
    fn at_most_is_inclusive_at_the_target() {
        // 3 no-shows out of 10 is exactly 30%: meets "at most 30%".
        assert!(is_met(Direction::AtMost, 3.0 / 10.0, 0.30));
        assert!(!is_met(Direction::AtMost, 4.0 / 13.0, 0.30));
        assert!(is_met(Direction::AtLeast, 8.0 / 10.0, 0.80));
        assert!(!is_met(Direction::AtLeast, 7.0 / 9.0, 0.80));
        let j = judge(Direction::AtMost, 0.30, None, Some(3.0 / 10.0), 1.0);
        assert_eq!((j.progress, j.status), (Some(1.0), Status::Met));
    }

    #[test]
    fn at_least_progress_from_the_baseline_clamped() {
        // (0.7 − 0.6) ÷ (0.8 − 0.6) = 0.5
        assert!((progress(Direction::AtLeast, 0.7, 0.8, Some(0.6)) - 0.5).abs() < 1e-12);
        // No baseline: 20 ÷ 50 = 0.4
        assert!((progress(Direction::AtLeast, 20.0, 50.0, None) - 0.4).abs() < 1e-12);
        // Below the baseline: clamped to 0; past the target: 1.
        assert_eq!(progress(Direction::AtLeast, 0.5, 0.8, Some(0.6)), 0.0);
        assert_eq!(progress(Direction::AtLeast, 60.0, 50.0, None), 1.0);
        // A baseline at the target and not met: nothing to measure, 0.
        assert_eq!(progress(Direction::AtLeast, 0.5, 0.8, Some(0.8)), 0.0);
    }

    #[test]
    fn at_most_progress_needs_a_baseline_above_the_target() {
        // (0.40 − 0.35) ÷ (0.40 − 0.30) = 0.5
        assert!((progress(Direction::AtMost, 0.35, 0.30, Some(0.40)) - 0.5).abs() < 1e-12);
        // Worse than the baseline: 0.
        assert_eq!(progress(Direction::AtMost, 0.45, 0.30, Some(0.40)), 0.0);
        // No baseline, or a baseline not above the target: 0 until met.
        assert_eq!(progress(Direction::AtMost, 0.31, 0.30, None), 0.0);
        assert_eq!(progress(Direction::AtMost, 0.31, 0.30, Some(0.20)), 0.0);
        assert_eq!(progress(Direction::AtMost, 0.30, 0.30, None), 1.0);
    }

    #[test]
    fn status_edges() {
        assert_eq!(status(true, 0.0, 1.0), Status::Met);
        assert_eq!(status(false, 0.5, 0.5), Status::OnTrack);
        // Exactly 20 points behind pace is still "behind"; a hair more is off track.
        assert_eq!(status(false, 0.3, 0.5), Status::Behind);
        assert_eq!(status(false, 0.8, 1.0), Status::Behind);
        assert_eq!(status(false, 0.299, 0.5), Status::OffTrack);
        assert_eq!(status(false, 0.0, 0.0), Status::OnTrack);
    }

    #[test]
    fn rates_are_judged_on_their_value_to_date() {
        // Pace 1 whatever the date: 0.72 of a 0.80 target is 0.9 progress, 10 points behind.
        let p = pace(
            &Metric::BookingRate,
            day(2026, 1, 1),
            day(2026, 6, 30),
            day(2026, 1, 2),
            &OpenDays::default(),
        );
        assert_eq!(p, 1.0);
        let j = judge(Direction::AtLeast, 0.80, None, Some(0.72), p);
        assert_eq!(j.status, Status::Behind);
        // No value: no progress and "no data", never 0.
        let j = judge(Direction::AtLeast, 0.80, None, None, p);
        assert_eq!((j.progress, j.status), (None, Status::NoData));
    }

    #[test]
    fn counts_pace_by_opening_days_gone() {
        let mon_sat = OpenDays::default();
        // 2026-11-01 is a Sunday. November 2026: 30 days, 5 Sundays, so 25 opening days.
        assert_eq!(mon_sat.count(day(2026, 11, 1), day(2026, 11, 30)), 25);
        // Through Mon 11-23: 23 days minus 4 Sundays (1, 8, 15, 22) = 19 -> 19/25.
        let p = pace(&Metric::NewPatients, day(2026, 11, 1), day(2026, 11, 30), day(2026, 11, 23), &mon_sat);
        assert!((p - 19.0 / 25.0).abs() < 1e-12, "{p}");
        // Before the period 0, after it 1.
        assert_eq!(
            pace(&Metric::Visits, day(2026, 11, 1), day(2026, 11, 30), day(2026, 10, 31), &mon_sat),
            0.0
        );
        assert_eq!(
            pace(&Metric::Visits, day(2026, 11, 1), day(2026, 11, 30), day(2026, 12, 5), &mon_sat),
            1.0
        );
        // Weekdays only: 11-01..11-23 holds 16 weekdays of November's 21 -> 16/21.
        let weekdays = OpenDays::parse("mon,tue,wed,thu,fri").unwrap();
        let p = pace(&Metric::Visits, day(2026, 11, 1), day(2026, 11, 30), day(2026, 11, 23), &weekdays);
        assert!((p - 16.0 / 21.0).abs() < 1e-12, "{p}");
        // No opening day at all: calendar days, 23/30.
        let closed = OpenDays::parse("").unwrap();
        let p = pace(&Metric::Visits, day(2026, 11, 1), day(2026, 11, 30), day(2026, 11, 23), &closed);
        assert!((p - 23.0 / 30.0).abs() < 1e-12, "{p}");
        assert_eq!(OpenDays::parse("mon,xyz"), None);
        assert_eq!(OpenDays::parse("월,화,수,목,금,토"), Some(mon_sat));
    }

    #[test]
    fn an_objective_shows_the_mean_and_the_worst() {
        let met = judge(Direction::AtLeast, 10.0, None, Some(12.0), 0.5);
        let behind = judge(Direction::AtLeast, 10.0, None, Some(4.0), 0.5); // 0.4 vs 0.5
        let none = judge(Direction::AtLeast, 0.5, None, None, 1.0);
        let (mean, worst) = objective_summary(&[met, behind, none]);
        // (1.0 + 0.4) ÷ 2: the key result with no value is left out of the mean.
        assert!((mean.unwrap() - 0.7).abs() < 1e-12);
        assert_eq!(worst, Status::Behind);
        assert_eq!(objective_summary(&[none]), (None, Status::NoData));
        assert_eq!(objective_summary(&[met]).1, Status::Met);
        // Met and no data: not met. The mean is over the one with data; one is without.
        assert_eq!(objective_summary(&[met, none]), (Some(1.0), Status::NoData));
        assert_eq!(without_data(&[met, none, behind]), 1);
        // A worse status with data still shows through.
        assert_eq!(objective_summary(&[met, behind, none]).1, Status::Behind);
    }

    #[test]
    fn cadence_is_read_from_the_file_and_checked() {
        let text = "[[objective]]\ntitle='x'\nfrom=2026-09-01\nto=2027-02-28\n[[objective.key_result]]\ntitle='매출 월 3,000만원'\nmetric='manual'\ndirection='at_least'\ntarget=30000000\ncadence='month'\n[[objective.key_result]]\ntitle='k'\nmetric='visits'\ndirection='at_least'\ntarget=5\n";
        let objs = parse_okr_file(text, day(2026, 11, 1)).unwrap();
        assert_eq!(objs[0].key_results[0].cadence, Cadence::Month);
        // Without `cadence`: the whole period, as before.
        assert_eq!(objs[0].key_results[1].cadence, Cadence::Period);
        let bad = text.replace("cadence='month'", "cadence='weekly'");
        let e = parse_okr_file(&bad, day(2026, 11, 1)).unwrap_err();
        assert!(e.contains("`cadence`") && e.contains("weekly"), "{e}");
    }

    #[test]
    fn a_monthly_key_result_is_judged_on_the_month_of_the_day() {
        let (from, to) = (day(2026, 9, 15), day(2027, 2, 28));
        // Whole period: from the start to the day.
        assert_eq!(
            judged_window(Cadence::Period, from, to, day(2026, 11, 23)),
            Some((from, day(2026, 11, 23)))
        );
        // Monthly: the 1st of November to the 23rd.
        assert_eq!(
            judged_window(Cadence::Month, from, to, day(2026, 11, 23)),
            Some((day(2026, 11, 1), day(2026, 11, 23)))
        );
        // In the period's first month, from its start (9-15), not the 1st.
        assert_eq!(
            judged_window(Cadence::Month, from, to, day(2026, 9, 20)),
            Some((day(2026, 9, 15), day(2026, 9, 20)))
        );
        // After the period: its last month. Before it: nothing.
        assert_eq!(
            judged_window(Cadence::Month, from, to, day(2027, 5, 3)),
            Some((day(2027, 2, 1), day(2027, 2, 28)))
        );
        assert_eq!(judged_window(Cadence::Month, from, to, day(2026, 9, 14)), None);
    }

    #[test]
    fn a_monthly_pace_is_the_share_of_the_months_clinic_days_gone() {
        let (from, to) = (day(2026, 9, 15), day(2027, 2, 28));
        let mon_sat = OpenDays::default();
        let (pf, pt) = pace_window(Cadence::Month, from, to, day(2026, 11, 23));
        assert_eq!((pf, pt), (day(2026, 11, 1), day(2026, 11, 30)));
        // November: 25 opening days, 19 of them through Mon 11-23 (see above).
        let p = pace(&Metric::Manual, pf, pt, day(2026, 11, 23), &mon_sat);
        assert!((p - 19.0 / 25.0).abs() < 1e-12, "{p}");
        // The first month runs from the period's start: 9-15..9-30 holds 14 opening days
        // (Sundays 20 and 27 off), 9-15..9-19 five of them -> 5/14.
        let (pf, pt) = pace_window(Cadence::Month, from, to, day(2026, 9, 19));
        assert_eq!((pf, pt), (day(2026, 9, 15), day(2026, 9, 30)));
        let p = pace(&Metric::Manual, pf, pt, day(2026, 9, 19), &mon_sat);
        assert!((p - 5.0 / 14.0).abs() < 1e-12, "{p}");
        // Rates keep pace 1.
        assert_eq!(pace(&Metric::NoShowRate, pf, pt, day(2026, 9, 19), &mon_sat), 1.0);
        // The whole period's pace is unchanged.
        assert_eq!(pace_window(Cadence::Period, from, to, day(2026, 11, 23)), (from, to));
    }

    #[test]
    fn a_monthly_history_has_one_point_per_month_of_the_period() {
        let (from, to) = (day(2026, 9, 15), day(2027, 2, 28));
        assert_eq!(
            month_points(from, to, day(2026, 11, 23), 8),
            vec![
                (day(2026, 9, 15), day(2026, 9, 30)),
                (day(2026, 10, 1), day(2026, 10, 31)),
                (day(2026, 11, 1), day(2026, 11, 23)),
            ]
        );
        // The latest `n` only; none before the period.
        assert_eq!(month_points(from, to, day(2026, 11, 23), 1), vec![(day(2026, 11, 1), day(2026, 11, 23))]);
        assert!(month_points(from, to, day(2026, 9, 1), 8).is_empty());
        // After the period: up to its last month.
        assert_eq!(
            month_points(from, to, day(2027, 6, 1), 2).last(),
            Some(&(day(2027, 2, 1), day(2027, 2, 28)))
        );
    }

    #[test]
    fn rates_are_judged_through_the_last_finished_day() {
        let at = day(2026, 11, 23);
        // During the day: a rate or average stops at yesterday; a count takes today's rows.
        assert_eq!(finished_end(&Metric::NoShowRate, at, at, true), day(2026, 11, 22));
        assert_eq!(finished_end(&Metric::AvgDailyPatients, at, at, true), day(2026, 11, 22));
        assert_eq!(finished_end(&Metric::NewPatients, at, at, true), at);
        // As of the end of the day (`okr status --at`), the day counts.
        assert_eq!(finished_end(&Metric::NoShowRate, at, at, false), at);
        // A period that ended before today is read to its end.
        assert_eq!(finished_end(&Metric::NoShowRate, day(2026, 11, 20), at, true), day(2026, 11, 20));
    }

    #[test]
    fn values_read_as_people_write_them() {
        assert_eq!(format_value(&Metric::NoShowRate, Some(0.3), ""), "30%");
        assert_eq!(format_value(&Metric::BookingRate, Some(2.0 / 3.0), ""), "66.7%");
        assert_eq!(format_value(&Metric::AvgDailyPatients, Some(37.26), ""), "37.3");
        assert_eq!(format_value(&Metric::Manual, Some(30_000_000.0), "원"), "30,000,000원");
        assert_eq!(format_value(&Metric::ReturnRate, None, ""), "-");
    }

    #[test]
    fn targets_as_people_type_them() {
        assert_eq!(parse_amount_input("80%", true), Some(0.8));
        assert_eq!(parse_amount_input("0.3", true), Some(0.3));
        assert_eq!(parse_amount_input("30", true), Some(0.3));
        assert_eq!(parse_amount_input("50", false), Some(50.0));
        assert_eq!(parse_amount_input("3,000만원", false), Some(30_000_000.0));
        assert_eq!(parse_amount_input("", false), None);
        assert_eq!(parse_amount_input("많이", false), None);
    }
}
