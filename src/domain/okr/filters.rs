//! What a key result's number is narrowed to: [`Filters`].

use super::Metric;

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
            && crate::domain::payments::PaymentCategory::parse(c).is_none()
        {
            return Err(format!(
                "`category` = \"{c}\" is not one of {}",
                crate::domain::payments::PaymentCategory::accepted()
            ));
        }
        Ok(())
    }
}
