//! Expected dropouts (DESIGN §4): patients seen lately who have nothing booked, scored by
//! reasons the team can read and act on. Pure functions over facts the store gathers.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::Lang;

/// How far back a `done` visit makes someone a patient the clinic can still lose.
pub const RECENT_VISIT_DAYS: i64 = 90;

/// The reasons, with the keys of `data/dropout_weights.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ReasonKind {
    MissedLastNotRebooked,
    OpenComplaint,
    OverdueGap,
    CourseUnfinished,
    LeftWithoutBooking,
    ProspectCallbackOverdue,
    PackageFinished,
}

impl ReasonKind {
    pub const ALL: [ReasonKind; 7] = [
        ReasonKind::MissedLastNotRebooked,
        ReasonKind::OpenComplaint,
        ReasonKind::OverdueGap,
        ReasonKind::CourseUnfinished,
        ReasonKind::LeftWithoutBooking,
        ReasonKind::ProspectCallbackOverdue,
        ReasonKind::PackageFinished,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ReasonKind::MissedLastNotRebooked => "missed_last_not_rebooked",
            ReasonKind::OpenComplaint => "open_complaint",
            ReasonKind::OverdueGap => "overdue_gap",
            ReasonKind::CourseUnfinished => "course_unfinished",
            ReasonKind::LeftWithoutBooking => "left_without_booking",
            ReasonKind::ProspectCallbackOverdue => "prospect_callback_overdue",
            ReasonKind::PackageFinished => "package_finished",
        }
    }

    /// The weight DESIGN gives when the table lacks the reason.
    pub fn default_weight(self) -> i64 {
        match self {
            ReasonKind::MissedLastNotRebooked | ReasonKind::OpenComplaint => 3,
            ReasonKind::OverdueGap | ReasonKind::CourseUnfinished | ReasonKind::PackageFinished => 2,
            ReasonKind::LeftWithoutBooking | ReasonKind::ProspectCallbackOverdue => 1,
        }
    }
}

/// The weight of each reason, as stored in `dropout_weights`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Weights(BTreeMap<ReasonKind, i64>);

impl Default for Weights {
    fn default() -> Self {
        Weights(ReasonKind::ALL.iter().map(|r| (*r, r.default_weight())).collect())
    }
}

impl Weights {
    /// From `(reason, weight)` rows; unknown reasons are ignored, missing ones keep DESIGN's.
    pub fn from_rows<'a>(rows: impl IntoIterator<Item = (&'a str, i64)>) -> Weights {
        let mut w = Weights::default();
        for (code, weight) in rows {
            if let Some(kind) = ReasonKind::ALL.iter().find(|k| k.code() == code) {
                w.0.insert(*kind, weight.max(0));
            }
        }
        w
    }

    pub fn of(&self, kind: ReasonKind) -> i64 {
        self.0.get(&kind).copied().unwrap_or_else(|| kind.default_weight())
    }
}

/// A course of one treatment: sessions sold or usual, and sessions used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Course {
    pub treatment: String,
    pub sessions: i64,
    pub used: i64,
}

/// What the store knows about one patient, as of `today`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PatientFacts {
    pub patient_id: i64,
    /// The days with a `done` visit before today; `None` when there is none.
    pub visits: Option<VisitDays>,
    /// Any not-cancelled, not-missed appointment today or later.
    pub has_future_appointment: bool,
    /// The day of the latest appointment before today when it was a no-show (cancellations
    /// skipped); `None` when the latest one was kept.
    pub missed_last_on: Option<NaiveDate>,
    /// Categories (codes) of the patient's open complaints.
    pub open_complaints: Vec<String>,
    /// Courses and packages with sessions not used up.
    pub unfinished_courses: Vec<Course>,
    /// True when nothing was booked by the end of the last visit's day.
    pub left_last_without_booking: bool,
    /// Due date of an open prospect callback on an undecided consultation, when past.
    pub prospect_callback_overdue_since: Option<NaiveDate>,
    /// Treatments (codes) of packages used up with no newer package of the same treatment
    /// ("finished without a renewal": time to offer the next one).
    pub finished_packages: Vec<String>,
}

/// One reason, with what the team needs to read it in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    MissedLastNotRebooked { on: NaiveDate },
    OpenComplaint { categories: Vec<String> },
    OverdueGap { days_since: i64, usual_days: i64 },
    CourseUnfinished { courses: Vec<Course> },
    LeftWithoutBooking { on: NaiveDate },
    ProspectCallbackOverdue { due: NaiveDate },
    PackageFinished { treatments: Vec<String> },
}

impl Reason {
    pub fn kind(&self) -> ReasonKind {
        match self {
            Reason::MissedLastNotRebooked { .. } => ReasonKind::MissedLastNotRebooked,
            Reason::OpenComplaint { .. } => ReasonKind::OpenComplaint,
            Reason::OverdueGap { .. } => ReasonKind::OverdueGap,
            Reason::CourseUnfinished { .. } => ReasonKind::CourseUnfinished,
            Reason::LeftWithoutBooking { .. } => ReasonKind::LeftWithoutBooking,
            Reason::ProspectCallbackOverdue { .. } => ReasonKind::ProspectCallbackOverdue,
            Reason::PackageFinished { .. } => ReasonKind::PackageFinished,
        }
    }

    /// The reason in words. `label` turns a treatment or complaint-category code into its name.
    pub fn words(&self, lang: Lang, label: &dyn Fn(&str) -> String) -> String {
        let md = |d: &NaiveDate| d.format("%m-%d").to_string();
        match (self, lang) {
            (Reason::MissedLastNotRebooked { on }, Lang::Ko) => format!("{} 예약 부도, 재예약 없음", md(on)),
            (Reason::MissedLastNotRebooked { on }, Lang::En) => {
                format!("missed {} appointment, not rebooked", md(on))
            }
            (Reason::OpenComplaint { categories }, lang) => {
                let names = categories.iter().map(|c| label(c)).collect::<Vec<_>>().join(", ");
                match lang {
                    Lang::Ko => format!("미해결 불만({names})"),
                    Lang::En => format!("open complaint ({names})"),
                }
            }
            (Reason::OverdueGap { days_since, usual_days }, Lang::Ko) => {
                format!("마지막 내원 {days_since}일 전 (보통 {usual_days}일 간격)")
            }
            (Reason::OverdueGap { days_since, usual_days }, Lang::En) => {
                format!("{days_since} days since last visit (usually every {usual_days})")
            }
            (Reason::CourseUnfinished { courses }, lang) => {
                let list = courses
                    .iter()
                    .map(|c| format!("{} {}/{}", label(&c.treatment), c.used, c.sessions))
                    .collect::<Vec<_>>()
                    .join(", ");
                match lang {
                    Lang::Ko => format!("치료 과정 미완료({list})"),
                    Lang::En => format!("course unfinished ({list})"),
                }
            }
            (Reason::LeftWithoutBooking { on }, Lang::Ko) => format!("{} 내원 후 예약 없이 귀가", md(on)),
            (Reason::LeftWithoutBooking { on }, Lang::En) => format!("left {} without booking", md(on)),
            (Reason::ProspectCallbackOverdue { due }, Lang::Ko) => {
                format!("상담 보류, 리콜 {} 지남", md(due))
            }
            (Reason::ProspectCallbackOverdue { due }, Lang::En) => {
                format!("undecided consultation, callback overdue since {}", md(due))
            }
            (Reason::PackageFinished { treatments }, lang) => {
                let names = treatments.iter().map(|t| label(t)).collect::<Vec<_>>().join(", ");
                match lang {
                    Lang::Ko => format!("패키지 끝남, 새 패키지 없음({names})"),
                    Lang::En => format!("package finished, no new one ({names})"),
                }
            }
        }
    }
}

/// A patient flagged as an expected dropout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dropout {
    pub patient_id: i64,
    pub score: i64,
    pub last_visit: NaiveDate,
    /// In the order of [`ReasonKind::ALL`]: heaviest by DESIGN first.
    pub reasons: Vec<Reason>,
}

/// The days a patient had a `done` visit, summed up: all the scoring needs of ten years of
/// history (the store keeps these per patient, so no history is read to score).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VisitDays {
    pub first: NaiveDate,
    pub last: NaiveDate,
    /// Distinct days with a done visit.
    pub days: i64,
}

impl VisitDays {
    /// From the days themselves, any order; duplicates count once.
    pub fn from_days(days: &[NaiveDate]) -> Option<VisitDays> {
        let mut d = days.to_vec();
        d.sort();
        d.dedup();
        Some(VisitDays { first: *d.first()?, last: *d.last()?, days: d.len() as i64 })
    }

    /// The usual interval between visits, in whole days (mean of the gaps between distinct
    /// visit days), when there are at least three visit days.
    pub fn usual_interval(&self) -> Option<i64> {
        (self.days >= 3).then(|| (self.last - self.first).num_days() / (self.days - 1))
    }

    /// True when the gap since the last visit is more than twice the usual interval. Compared
    /// in whole days without rounding the mean: `since x (n - 1) > 2 x span`.
    fn gap_is_overdue(&self, today: NaiveDate) -> Option<(i64, i64)> {
        let usual = self.usual_interval()?;
        let span = (self.last - self.first).num_days();
        let since = (today - self.last).num_days();
        (since * (self.days - 1) > 2 * span).then_some((since, usual))
    }
}

/// Scores one patient. `None` when they are not a candidate (no `done` visit in the last 90
/// days, or something booked) or when no reason applies.
pub fn score(facts: &PatientFacts, weights: &Weights, today: NaiveDate) -> Option<Dropout> {
    let last_visit = facts.visits.map(|v| v.last).filter(|d| *d <= today)?;
    if (today - last_visit).num_days() > RECENT_VISIT_DAYS || facts.has_future_appointment {
        return None;
    }
    let mut reasons = Vec::new();
    if let Some(on) = facts.missed_last_on {
        reasons.push(Reason::MissedLastNotRebooked { on });
    }
    if !facts.open_complaints.is_empty() {
        let mut categories = facts.open_complaints.clone();
        categories.dedup();
        reasons.push(Reason::OpenComplaint { categories });
    }
    if let Some((days_since, usual_days)) = facts.visits.and_then(|v| v.gap_is_overdue(today)) {
        reasons.push(Reason::OverdueGap { days_since, usual_days });
    }
    let courses: Vec<Course> =
        facts.unfinished_courses.iter().filter(|c| c.used < c.sessions).cloned().collect();
    if !courses.is_empty() {
        reasons.push(Reason::CourseUnfinished { courses });
    }
    if facts.left_last_without_booking {
        reasons.push(Reason::LeftWithoutBooking { on: last_visit });
    }
    if let Some(due) = facts.prospect_callback_overdue_since.filter(|d| *d < today) {
        reasons.push(Reason::ProspectCallbackOverdue { due });
    }
    if !facts.finished_packages.is_empty() {
        let mut treatments = facts.finished_packages.clone();
        treatments.sort();
        treatments.dedup();
        reasons.push(Reason::PackageFinished { treatments });
    }
    let score: i64 = reasons.iter().map(|r| weights.of(r.kind())).sum();
    (score > 0).then_some(Dropout { patient_id: facts.patient_id, score, last_visit, reasons })
}

/// The highest score `facts` can reach once the reasons in `pending` are known too: the score
/// from what is known plus the weights of the pending reasons. The store reads the costly
/// facts (a look-up per patient) only for patients whose bound can still reach the list.
pub fn score_bound(facts: &PatientFacts, weights: &Weights, today: NaiveDate, pending: &[ReasonKind]) -> i64 {
    let known = score(facts, weights, today).map_or(0, |d| d.score);
    known + pending.iter().map(|r| weights.of(*r)).sum::<i64>()
}

/// Scores everyone and orders them: highest score first; on a tie, the one away longest
/// first, then the lower patient id, so the list is stable from one reload to the next.
pub fn rank(all: &[PatientFacts], weights: &Weights, today: NaiveDate) -> Vec<Dropout> {
    let mut out: Vec<Dropout> = all.iter().filter_map(|f| score(f, weights, today)).collect();
    out.sort_by(|a, b| {
        b.score.cmp(&a.score).then(a.last_visit.cmp(&b.last_visit)).then(a.patient_id.cmp(&b.patient_id))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    const TODAY: (u32, u32) = (11, 23);

    fn today() -> NaiveDate {
        d(TODAY.0, TODAY.1)
    }

    /// A patient seen on 11-20, nothing else known.
    fn base(id: i64) -> PatientFacts {
        PatientFacts { patient_id: id, visits: VisitDays::from_days(&[d(11, 20)]), ..PatientFacts::default() }
    }

    fn kinds(x: &Dropout) -> Vec<ReasonKind> {
        x.reasons.iter().map(Reason::kind).collect()
    }

    #[test]
    fn a_finished_package_without_a_new_one_is_a_reason_with_its_weight() {
        let mut f = base(1);
        f.finished_packages = vec!["chuna".into(), "chuna".into()];
        let x = score(&f, &Weights::default(), today()).unwrap();
        assert_eq!((x.score, kinds(&x)), (2, vec![ReasonKind::PackageFinished]));
        let label = |c: &str| if c == "chuna" { "추나".to_string() } else { c.to_string() };
        assert_eq!(x.reasons[0].words(Lang::Ko, &label), "패키지 끝남, 새 패키지 없음(추나)");
        assert_eq!(x.reasons[0].words(Lang::En, &label), "package finished, no new one (추나)");
        // Its weight is read from the table like every reason's.
        let w = Weights::from_rows([("package_finished", 5)]);
        assert_eq!(score(&f, &w, today()).unwrap().score, 5);
        // Someone with something booked is no candidate, finished package or not.
        f.has_future_appointment = true;
        assert_eq!(score(&f, &Weights::default(), today()), None);
    }

    #[test]
    fn no_reason_no_flag() {
        assert_eq!(score(&base(1), &Weights::default(), today()), None);
    }

    #[test]
    fn each_reason_alone_scores_its_weight() {
        let w = Weights::default();
        let mut f = base(1);
        f.missed_last_on = Some(d(11, 21));
        let x = score(&f, &w, today()).unwrap();
        assert_eq!((x.score, kinds(&x)), (3, vec![ReasonKind::MissedLastNotRebooked]));

        let mut f = base(1);
        f.open_complaints = vec!["pain".into()];
        let x = score(&f, &w, today()).unwrap();
        assert_eq!((x.score, kinds(&x)), (3, vec![ReasonKind::OpenComplaint]));

        // Visits 10-01, 10-11, 10-21: usual interval 10 days; 33 days since > 20.
        let mut f = base(1);
        f.visits = VisitDays::from_days(&[d(10, 1), d(10, 11), d(10, 21)]);
        let x = score(&f, &w, today()).unwrap();
        assert_eq!((x.score, kinds(&x)), (2, vec![ReasonKind::OverdueGap]));
        assert_eq!(x.reasons[0], Reason::OverdueGap { days_since: 33, usual_days: 10 });

        let mut f = base(1);
        f.unfinished_courses = vec![Course { treatment: "chuna".into(), sessions: 10, used: 3 }];
        let x = score(&f, &w, today()).unwrap();
        assert_eq!((x.score, kinds(&x)), (2, vec![ReasonKind::CourseUnfinished]));

        let mut f = base(1);
        f.left_last_without_booking = true;
        let x = score(&f, &w, today()).unwrap();
        assert_eq!((x.score, kinds(&x)), (1, vec![ReasonKind::LeftWithoutBooking]));
        assert_eq!(x.reasons[0], Reason::LeftWithoutBooking { on: d(11, 20) });

        let mut f = base(1);
        f.prospect_callback_overdue_since = Some(d(11, 22));
        let x = score(&f, &w, today()).unwrap();
        assert_eq!((x.score, kinds(&x)), (1, vec![ReasonKind::ProspectCallbackOverdue]));
    }

    #[test]
    fn gap_needs_three_visit_days_and_more_than_twice_the_interval() {
        let w = Weights::default();
        // Two visits only: never overdue, however long ago.
        let mut f = base(1);
        f.visits = VisitDays::from_days(&[d(9, 1), d(9, 2)]);
        assert_eq!(score(&f, &w, today()), None);
        // Three visits on two distinct days count as two.
        f.visits = VisitDays::from_days(&[d(9, 1), d(9, 2), d(9, 2)]);
        assert_eq!(score(&f, &w, today()), None);
        // Visits 11-01, 11-06, 11-11 (every 5 days): 12 days since is > 10.
        f.visits = VisitDays::from_days(&[d(11, 1), d(11, 6), d(11, 11)]);
        assert_eq!(score(&f, &w, today()).map(|x| x.score), Some(2));
        // Exactly twice (visits every 6 days, 12 days since) is not more than twice.
        f.visits = VisitDays::from_days(&[d(10, 30), d(11, 5), d(11, 11)]);
        assert_eq!(score(&f, &w, today()), None);
    }

    #[test]
    fn reasons_add_up() {
        let mut f = base(1);
        f.missed_last_on = Some(d(11, 21));
        f.open_complaints = vec!["wait_time".into()];
        f.unfinished_courses = vec![Course { treatment: "chuna".into(), sessions: 10, used: 9 }];
        f.left_last_without_booking = true;
        f.prospect_callback_overdue_since = Some(d(11, 1));
        let x = score(&f, &Weights::default(), today()).unwrap();
        assert_eq!(x.score, 3 + 3 + 2 + 1 + 1);
        assert_eq!(
            kinds(&x),
            vec![
                ReasonKind::MissedLastNotRebooked,
                ReasonKind::OpenComplaint,
                ReasonKind::CourseUnfinished,
                ReasonKind::LeftWithoutBooking,
                ReasonKind::ProspectCallbackOverdue
            ]
        );
    }

    #[test]
    fn weights_come_from_the_table() {
        let w = Weights::from_rows([("open_complaint", 7), ("left_without_booking", 0), ("nonsense", 9)]);
        let mut f = base(1);
        f.open_complaints = vec!["pain".into()];
        f.left_last_without_booking = true;
        assert_eq!(score(&f, &w, today()).unwrap().score, 7);
        assert_eq!(w.of(ReasonKind::MissedLastNotRebooked), 3);
    }

    #[test]
    fn future_appointment_or_no_recent_visit_excludes() {
        let w = Weights::default();
        let mut f = base(1);
        f.open_complaints = vec!["pain".into()];
        f.has_future_appointment = true;
        assert_eq!(score(&f, &w, today()), None);

        let mut f = base(2);
        f.open_complaints = vec!["pain".into()];
        // 2026-08-24 is 91 days before 11-23; 08-25 is 90 and still counts.
        f.visits = VisitDays::from_days(&[d(8, 24)]);
        assert_eq!(score(&f, &w, today()), None);
        f.visits = VisitDays::from_days(&[d(8, 25)]);
        assert_eq!(score(&f, &w, today()).map(|x| x.score), Some(3));
        f.visits = VisitDays::from_days(&[]);
        assert_eq!(score(&f, &w, today()), None);
    }

    #[test]
    fn a_callback_due_today_is_not_overdue() {
        let mut f = base(1);
        f.prospect_callback_overdue_since = Some(today());
        assert_eq!(score(&f, &Weights::default(), today()), None);
    }

    #[test]
    fn ranking_puts_high_scores_first_and_breaks_ties_by_longest_away() {
        let w = Weights::default();
        let mut a = base(1); // 1 point, seen 11-20
        a.left_last_without_booking = true;
        let mut b = base(2); // 3 points, seen 11-20
        b.open_complaints = vec!["pain".into()];
        let mut c = base(3); // 3 points, seen 11-10: away longer, so before b
        c.visits = VisitDays::from_days(&[d(11, 10)]);
        c.missed_last_on = Some(d(11, 17));
        let mut e = base(4); // 3 points, seen 11-10, higher id: after c
        e.visits = VisitDays::from_days(&[d(11, 10)]);
        e.open_complaints = vec!["cost".into()];
        let ranked = rank(&[a, b, c, e, base(5)], &w, today());
        let order: Vec<(i64, i64)> = ranked.iter().map(|x| (x.patient_id, x.score)).collect();
        assert_eq!(order, vec![(3, 3), (4, 3), (2, 3), (1, 1)]);
    }

    #[test]
    fn the_bound_adds_the_pending_weights_to_what_is_known() {
        let w = Weights::default();
        let mut f = base(1);
        f.missed_last_on = Some(d(11, 21));
        let pending = [ReasonKind::CourseUnfinished, ReasonKind::LeftWithoutBooking];
        let bound = score_bound(&f, &w, today(), &pending);
        assert_eq!(bound, 3 + 2 + 1);
        // Nothing known yet: the pending weights alone.
        assert_eq!(score_bound(&base(2), &w, today(), &pending), 3);
        // Both pending reasons turn out true: the score reaches the bound, never more.
        f.left_last_without_booking = true;
        f.unfinished_courses = vec![Course { treatment: "chuna".into(), sessions: 10, used: 2 }];
        assert_eq!(score(&f, &w, today()).unwrap().score, bound);
    }

    #[test]
    fn reasons_read_as_words() {
        let label = |c: &str| if c == "chuna" { "추나".to_string() } else { c.to_string() };
        let r = Reason::CourseUnfinished {
            courses: vec![Course { treatment: "chuna".into(), sessions: 10, used: 3 }],
        };
        assert_eq!(r.words(Lang::Ko, &label), "치료 과정 미완료(추나 3/10)");
        let r = Reason::OverdueGap { days_since: 33, usual_days: 10 };
        assert_eq!(r.words(Lang::En, &label), "33 days since last visit (usually every 10)");
    }
}
