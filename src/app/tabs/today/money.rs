//! Today's money: the day's takings by category in the header (amounts are not personal, so
//! never masked), and each visit's package use (`3/10`, "package ending" on the last two).

use std::collections::HashMap;

use super::*;
use crate::domain::text::format_won;
use crate::store::packages::PackageUse;
use crate::store::payments::Takings;

#[derive(Debug, Clone, Default)]
pub struct DayMoney {
    pub takings: Takings,
    /// Open packages by patient.
    pub packages: HashMap<i64, Vec<PackageUse>>,
}

impl DayMoney {
    pub fn load(db: &impl store::Db, date: NaiveDate, rows: &[DayRow]) -> store::Result<DayMoney> {
        let mut ids: Vec<i64> = rows.iter().map(|r| r.patient_id).collect();
        ids.sort_unstable();
        ids.dedup();
        Ok(DayMoney {
            takings: store::payments::takings(db, date, date)?,
            packages: store::packages::open_packages_of(db, &ids)?,
        })
    }

    /// The open package of the visit's treatment (its oldest), if the patient has one.
    pub fn package_for(&self, r: &DayRow) -> Option<&PackageUse> {
        let t = r.treatment_code.as_deref()?;
        self.packages.get(&r.patient_id)?.iter().find(|p| p.treatment_code == t)
    }

    /// `수납 490만 (급여 0 비급여 490만 자보 0 기타 0)`; compact enough for 80 columns.
    pub fn header_text(&self, lang: Lang, wide: bool) -> String {
        let t = &self.takings;
        let mut s = format!("{} {}", lang.pick("수납", "Takings"), short_won(t.total_krw));
        // Wide: every category; narrow: those with takings.
        let parts: Vec<String> = t
            .by_category
            .iter()
            .filter(|(_, v)| wide || *v != 0)
            .map(|(c, v)| format!("{} {}", short_label(*c, lang), short_won(*v)))
            .collect();
        if !parts.is_empty() {
            s.push_str(&format!(" ({})", parts.join(" ")));
        }
        s
    }
}

/// A category's label short enough for the header.
fn short_label(c: crate::domain::payments::PaymentCategory, lang: Lang) -> &'static str {
    use crate::domain::payments::PaymentCategory::*;
    match (c, lang) {
        (_, Lang::Ko) => c.label(lang),
        (Covered, Lang::En) => "Cov",
        (NonCovered, Lang::En) => "Non-cov",
        (CarInsurance, Lang::En) => "Car",
        (Other, Lang::En) => "Other",
    }
}

/// Won in the desk's short form: `490만`, `4.9만`, `8,000`.
pub fn short_won(v: i64) -> String {
    if v != 0 && v % 10_000 == 0 {
        format!("{}만", format_won(v / 10_000))
    } else if v.abs() >= 10_000 && v % 1_000 == 0 {
        let man = v as f64 / 10_000.0;
        format!("{}만", format!("{man:.1}").trim_end_matches('0').trim_end_matches('.'))
    } else {
        format_won(v)
    }
}

/// The package use shown before a visit's note: `3/10`, and "ending" on the last two.
pub fn package_text(p: &PackageUse, lang: Lang) -> String {
    if p.is_ending() {
        format!("{} {} ", p.fraction(), lang.pick("끝남임박", "ending"))
    } else {
        format!("{} ", p.fraction())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_won_reads_as_the_desk_writes() {
        assert_eq!(short_won(4_900_000), "490만");
        assert_eq!(short_won(49_000), "4.9만");
        assert_eq!(short_won(8_000), "8,000");
        assert_eq!(short_won(0), "0");
        assert_eq!(short_won(-50_000), "-5만");
    }
}
