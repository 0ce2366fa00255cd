//! The agenda's numbers on the small hand-computed clinic: expected dropouts, complaints,
//! risky processes, chart review and the OKR pulse.

use super::*;

fn agenda(store: &Store) -> hs::Agenda {
    let catalog = Catalog::load(store.conn()).unwrap();
    hs::load_agenda(store.conn(), &catalog, today()).unwrap()
}

#[test]
fn dropouts_are_scored_and_ranked_from_the_records() {
    let dir = tempfile::tempdir().unwrap();
    let ids = small_clinic(&dir);
    let store = open(&dir.path().join("clinic.db"));
    let a = agenda(&store);
    let got: Vec<(i64, i64, Vec<ReasonKind>)> = a
        .dropouts
        .iter()
        .map(|(d, _)| (d.patient_id, d.score, d.reasons.iter().map(|r| r.kind()).collect()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                ids.hong,
                6,
                vec![ReasonKind::OpenComplaint, ReasonKind::CourseUnfinished, ReasonKind::LeftWithoutBooking]
            ),
            (ids.smith, 3, vec![ReasonKind::OverdueGap, ReasonKind::LeftWithoutBooking]),
            (ids.namgung, 3, vec![ReasonKind::MissedLastNotRebooked]),
            (ids.jung, 2, vec![ReasonKind::LeftWithoutBooking, ReasonKind::ProspectCallbackOverdue]),
        ]
    );
    let label = |c: &str| c.to_string();
    let words: Vec<String> = a.dropouts[1].0.reasons.iter().map(|r| r.words(Lang::En, &label)).collect();
    assert_eq!(words, ["84 days since last visit (usually every 10)", "left 08-31 without booking"]);
}

/// A package used up with no newer one of its treatment is a dropout reason (time to offer
/// the next one); a newer package of the same treatment is a renewal, not a finished one.
#[test]
fn a_finished_package_without_a_renewal_feeds_the_expected_dropouts() {
    use frontdesk::store::packages::{NewPackage, insert_package};
    let dir = tempfile::tempdir().unwrap();
    let mut c = Clinic::new(&dir);
    let finished = c.patient("김하나", "010-1000-2000", None);
    let renewed = c.patient("이두리", "010-3000-4000", None);
    let package = |patient: i64, sessions: i64, on: NaiveDate| NewPackage {
        patient_id: patient,
        treatment_code: "chuna".into(),
        sessions,
        price_krw: 200_000,
        purchased_on: on,
        provider_id: None,
        note: String::new(),
        payment_id: None,
    };
    c.store
        .write(|tx| {
            // Two sessions, both to be used by the done visits of 11-16 and 11-20.
            insert_package(tx, &package(finished, 2, day(11, 16)))?;
            insert_package(tx, &package(renewed, 2, day(11, 16)))?;
            // The renewal, bought on the last visit: nothing used yet.
            insert_package(tx, &package(renewed, 10, day(11, 20)))?;
            Ok(())
        })
        .unwrap();
    // The done visits use the sessions of the oldest open package.
    for p in [finished, renewed] {
        c.done(p, day(11, 16), "chuna");
        c.done(p, day(11, 20), "chuna");
    }
    let store = open(&dir.path().join("clinic.db"));
    let a = agenda(&store);
    let reasons = |p: i64| -> Vec<ReasonKind> {
        a.dropouts
            .iter()
            .find(|(d, _)| d.patient_id == p)
            .map(|(d, _)| d.reasons.iter().map(|r| r.kind()).collect())
            .unwrap_or_default()
    };
    assert!(reasons(finished).contains(&ReasonKind::PackageFinished), "{:?}", a.dropouts);
    assert!(!reasons(renewed).contains(&ReasonKind::PackageFinished), "{:?}", a.dropouts);
    let (d, _) = a.dropouts.iter().find(|(d, _)| d.patient_id == finished).unwrap();
    let r = d.reasons.iter().find(|r| r.kind() == ReasonKind::PackageFinished).unwrap();
    assert_eq!(r, &Reason::PackageFinished { treatments: vec!["chuna".into()] });
}

/// The missed-last reason reads the latest no-show and the latest kept appointment kept per
/// patient by the store: only appointments before today count, and a kept appointment at the
/// same time as a no-show means the patient came.
#[test]
fn a_missed_last_appointment_is_judged_before_today() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = Clinic::new(&dir);
    let missed = c.patient("가부도", "010-1000-0001", None);
    let missed_today = c.patient("나오늘", "010-1000-0002", None);
    let same_time = c.patient("다겹침", "010-1000-0003", None);
    let missed_both = c.patient("라두번", "010-1000-0004", None);
    for p in [missed, missed_today, same_time, missed_both] {
        c.done(p, day(11, 5), "acupuncture");
    }
    let booked_on = at(2026, 11, 5, 10, 30);
    c.visit(missed, at(2026, 11, 19, 15, 0), "acupuncture", "no_show", booked_on);
    // Missed this morning: not before today, and the visit before it was kept.
    c.visit(missed_today, at(2026, 11, 23, 9, 0), "acupuncture", "no_show", booked_on);
    c.visit(same_time, at(2026, 11, 19, 15, 0), "acupuncture", "no_show", booked_on);
    c.visit(same_time, at(2026, 11, 19, 15, 0), "acupuncture", "done", booked_on);
    c.visit(missed_both, at(2026, 11, 19, 15, 0), "acupuncture", "no_show", booked_on);
    c.visit(missed_both, at(2026, 11, 23, 9, 0), "acupuncture", "no_show", booked_on);
    let store = open(&dir.path().join("clinic.db"));
    assert_eq!(common::derived_out_of_step(store.conn()), Vec::<String>::new());
    let a = agenda(&store);
    let missed_on = |patient: i64| {
        a.dropouts.iter().filter(|(d, _)| d.patient_id == patient).find_map(|(d, _)| {
            d.reasons.iter().find_map(|r| match r {
                Reason::MissedLastNotRebooked { on } => Some(*on),
                _ => None,
            })
        })
    };
    assert_eq!(missed_on(missed), Some(day(11, 19)));
    assert_eq!(missed_on(missed_today), None);
    assert_eq!(missed_on(same_time), None);
    assert_eq!(missed_on(missed_both), Some(day(11, 19)));
}

#[test]
fn dropout_weights_are_read_from_the_table() {
    let dir = tempfile::tempdir().unwrap();
    let ids = small_clinic(&dir);
    let mut store = open(&dir.path().join("clinic.db"));
    store
        .write(|tx| {
            tx.execute(
                "UPDATE dropout_weights SET weight = 10 WHERE reason = 'missed_last_not_rebooked'",
                [],
            )?;
            Ok(())
        })
        .unwrap();
    let a = agenda(&store);
    assert_eq!((a.dropouts[0].0.patient_id, a.dropouts[0].0.score), (ids.namgung, 10));
}

#[test]
fn complaint_section_lists_open_complaints_and_todays_patients_with_recent_ones() {
    let dir = tempfile::tempdir().unwrap();
    let ids = small_clinic(&dir);
    let store = open(&dir.path().join("clinic.db"));
    let a = agenda(&store);
    let rows: Vec<(i64, &str, bool, Option<String>)> = a
        .complaints
        .iter()
        .map(|c| {
            (c.patient.id, c.category.as_str(), c.open, c.coming_at.map(|t| t.format("%H:%M").to_string()))
        })
        .collect();
    // Coming today first, in time order; then the open ones, oldest first.
    assert_eq!(
        rows,
        vec![
            (ids.kim, "wait_time", false, Some("10:00".into())),
            (ids.park, "pain", false, Some("14:00".into())),
            (ids.hong, "pain", true, None),
            (ids.lee, "cost", true, None),
        ]
    );
    assert_eq!(a.complaints[2].plan, "원장 직접 설명");
    assert_eq!(a.complaints[2].owner.as_deref(), Some("박원장"));
}

#[test]
fn risky_processes_are_the_frequent_categories_and_todays_visits_through_them() {
    let dir = tempfile::tempdir().unwrap();
    let ids = small_clinic(&dir);
    let store = open(&dir.path().join("clinic.db"));
    let a = agenda(&store);
    // Last 30 days (10-25 ~ 11-23): pain 11-10 and 11-01, cost 11-20; wait_time 10-01 is older.
    assert_eq!(a.risky_categories, vec![("pain".to_string(), 2), ("cost".to_string(), 1)]);
    let visits: Vec<(i64, Vec<String>)> =
        a.risky_visits.iter().map(|r| (r.visit.patient.id, r.categories.clone())).collect();
    // Through a frequent category by treatment, and with a history in it or a first visit:
    // Kim (acupuncture: pain) has only a wait-time complaint, Park (pharmacopuncture: cost)
    // only a pain complaint, so neither is listed; the first visit is, for both categories.
    assert_eq!(visits, vec![(ids.newbie, vec!["pain".to_string(), "cost".to_string()])]);
    assert_eq!(a.risky_more, 0);
}

/// A busy day of first visits through a frequent category fits one screen: ten are listed
/// and the rest are counted.
#[test]
fn risky_visits_fit_one_screen() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = Clinic::new(&dir);
    let old = c.patient("김불만", "010-1000-0000", None);
    c.done(old, day(11, 2), "acupuncture");
    c.complaint(old, day(11, 2), "pain", "", None, true);
    for i in 0..13u32 {
        let p = c.patient(&format!("신환{i:02}"), &format!("010-2000-{i:04}"), None);
        c.visit(
            p,
            at(2026, 11, 23, 9 + i / 2, (i % 2) * 30),
            "acupuncture",
            "booked",
            at(2026, 11, 20, 9, 0),
        );
    }
    let store = open(&dir.path().join("clinic.db"));
    let a = agenda(&store);
    assert_eq!(a.risky_visits.len(), hs::RISKY_VISITS_SHOWN);
    assert_eq!(a.risky_more, 3);
    assert!(a.risky_visits.iter().all(|r| r.visit.first_visit));
}

#[test]
fn chart_review_counts_todays_charts() {
    let dir = tempfile::tempdir().unwrap();
    small_clinic(&dir);
    let store = open(&dir.path().join("clinic.db"));
    let c = agenda(&store).counts;
    assert_eq!(c.visits, 3);
    assert_eq!(c.first_visits, 1, "신환자 only: 박소개 was seen in 2025");
    assert_eq!(c.referrers, 2, "김철수 referred 신환자; 박소개 carries the sticker");
    assert_eq!(c.prospects, 1);
    assert_eq!(c.birthdays, 1);
    let tag = |t: Tag| c.by_tag.iter().find(|(x, _)| *x == t).unwrap().1;
    assert_eq!(
        (tag(Tag::Referrer), tag(Tag::HighValue), tag(Tag::Prospect), tag(Tag::Satisfied)),
        (1, 1, 1, 0)
    );
}

#[test]
fn okr_pulse_lists_the_running_objectives() {
    let dir = tempfile::tempdir().unwrap();
    small_clinic(&dir);
    let store = open(&dir.path().join("clinic.db"));
    let okr = agenda(&store).okr;
    assert!(!okr.is_empty());
    assert!(okr.iter().all(|o| !o.key_results.is_empty()));
}
