//! OKR definitions: the metric catalog and the TOML shape of `frontdesk okr load`.

mod filters;
pub use filters::*;
mod metrics;
pub use metrics::*;
mod file;
pub use file::*;
mod pace;
pub use pace::*;
mod judge;
pub use judge::*;

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

/// Tolerance for comparing computed rates with targets typed as decimals (0.30).
const EPSILON: f64 = 1e-9;

#[cfg(test)]
mod tests;
