//! The chart review's money notes: a "package ending" flag (at most two sessions left of an
//! open package of the visit's treatment: time to offer the next one) and the sticker
//! suggestions (고가환자, 소개환자) for today's patients.

use std::collections::HashMap;

use crate::domain::{Lang, Tag};
use crate::store::huddle::TodayVisit;
use crate::store::packages::PackageUse;
use crate::store::{self, Db};

#[derive(Debug, Clone, Default)]
pub struct ChartMoney {
    /// Open packages of today's patients, by patient.
    packages: HashMap<i64, Vec<PackageUse>>,
    /// Stickers suggested for today's patients, by patient.
    suggested: HashMap<i64, Vec<Tag>>,
}

impl ChartMoney {
    /// `ranked` is the day's ranking kept by the tab (`store::stickers::ranked`, costly: it
    /// is read once a day, while what was accepted or dismissed is read on every load).
    pub fn load(
        db: &impl Db,
        today: &[TodayVisit],
        ranked: &[store::stickers::Suggestion],
    ) -> store::Result<ChartMoney> {
        let mut ids: Vec<i64> = today.iter().map(|v| v.patient.id).collect();
        ids.sort_unstable();
        ids.dedup();
        let mut suggested: HashMap<i64, Vec<Tag>> = HashMap::new();
        if !ids.is_empty() {
            for s in store::stickers::undecided(db, ranked.to_vec(), |p| ids.binary_search(&p).is_ok())? {
                suggested.entry(s.patient_id).or_default().push(s.tag);
            }
        }
        Ok(ChartMoney { packages: store::packages::open_packages_of(db, &ids)?, suggested })
    }

    /// The notes for a visit: `패키지 9/10 끝남임박`, `고가환자 제안`.
    pub fn notes(&self, v: &TodayVisit, lang: Lang) -> Vec<String> {
        let mut out = Vec::new();
        let ending = v.treatment.as_deref().and_then(|t| {
            self.packages.get(&v.patient.id)?.iter().find(|p| p.treatment_code == t && p.is_ending())
        });
        if let Some(p) = ending {
            out.push(match lang {
                Lang::Ko => format!("패키지 {} 끝남임박", p.fraction()),
                Lang::En => format!("package {} ending", p.fraction()),
            });
        }
        for tag in self.suggested.get(&v.patient.id).into_iter().flatten() {
            out.push(match lang {
                Lang::Ko => format!("{} 제안", tag.label(lang)),
                Lang::En => format!("suggest {}", tag.label(lang).to_lowercase()),
            });
        }
        out
    }
}
