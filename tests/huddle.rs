//! The huddle: agenda numbers on a small hand-computed clinic, decisions, the timer's colours,
//! presentation mode (read-only, masked, logged unmasking) and snapshots.

mod common;

use chrono::{NaiveDate, NaiveDateTime};
use common::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use frontdesk::app::keymap::Command;
use frontdesk::app::tabs::Tab;
use frontdesk::app::{App, AppOptions, TabId, theme};
use frontdesk::domain::dropout::{Reason, ReasonKind};
use frontdesk::domain::huddle::Section;
use frontdesk::domain::{CallbackKind, Lang, Tag};
use frontdesk::store::appointments::{NewAppointment, insert_appointment};
use frontdesk::store::callbacks::{NewCallback, open_callback};
use frontdesk::store::catalog::Catalog;
use frontdesk::store::huddle as hs;
use frontdesk::store::patients::{NewPatient, insert_patient};
use frontdesk::store::{Access, Actor, Store, StoreError};
use ratatui::buffer::Buffer;
use ratatui::style::Color;
use rusqlite::params;

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

fn today() -> NaiveDate {
    fixed_now().date()
}

/// Test fixtures write what the app's other screens would (status changes, complaints, tags);
/// they use the shared store functions where they exist and plain SQL for the rest.
struct Clinic {
    store: Store,
}

impl Clinic {
    fn new(dir: &tempfile::TempDir) -> Clinic {
        Clinic { store: open(&dir.path().join("clinic.db")) }
    }

    fn staff(&mut self, name: &str, role: &str) -> i64 {
        self.store
            .write(|tx| {
                tx.execute("INSERT INTO staff (name, role) VALUES (?1, ?2)", params![name, role])?;
                Ok(tx.last_insert_rowid())
            })
            .unwrap()
    }

    fn patient(&mut self, name: &str, phone: &str, birth: Option<NaiveDate>) -> i64 {
        let p =
            NewPatient { name: name.into(), phone: phone.into(), birth_date: birth, ..NewPatient::default() };
        self.store.write(|tx| insert_patient(tx, &p)).unwrap()
    }

    fn referred_by(&mut self, patient: i64, referrer: i64) {
        self.store
            .write(|tx| {
                tx.execute("UPDATE patients SET referrer_id = ?2 WHERE id = ?1", params![patient, referrer])?;
                Ok(())
            })
            .unwrap();
    }

    fn tag(&mut self, patient: i64, tag: Tag) {
        self.store
            .write(|tx| {
                tx.execute(
                    "INSERT INTO patient_tags (patient_id, tag, tagged_at) VALUES (?1, ?2, '2026-01-01T00:00:00')",
                    params![patient, tag.code()],
                )?;
                Ok(())
            })
            .unwrap();
    }

    /// An appointment at `start` with a status, booked at `booked_at`.
    fn visit(
        &mut self,
        patient: i64,
        start: NaiveDateTime,
        treatment: &str,
        status: &str,
        booked_at: NaiveDateTime,
    ) {
        let a = NewAppointment {
            patient_id: patient,
            start,
            duration_min: 30,
            provider_id: None,
            treatment_code: Some(treatment.into()),
        };
        self.store
            .write(|tx| {
                let id = insert_appointment(tx, &a)?;
                tx.execute(
                    "UPDATE appointments SET status = ?2, booked_at = ?3 WHERE id = ?1",
                    params![id, status, booked_at.format("%Y-%m-%dT%H:%M:%S").to_string()],
                )?;
                Ok(())
            })
            .unwrap();
    }

    fn done(&mut self, patient: i64, d: NaiveDate, treatment: &str) {
        let start = d.and_hms_opt(10, 0, 0).unwrap();
        self.visit(patient, start, treatment, "done", start - chrono::Duration::days(7));
    }

    #[allow(clippy::too_many_arguments)]
    fn complaint(
        &mut self,
        patient: i64,
        raised: NaiveDate,
        category: &str,
        plan: &str,
        owner: Option<i64>,
        open: bool,
    ) {
        self.store
            .write(|tx| {
                tx.execute(
                    "INSERT INTO complaints (patient_id, raised_at, category_code, plan, owner_id, status)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![
                        patient,
                        format!("{raised}T11:00:00"),
                        category,
                        plan,
                        owner,
                        if open { "open" } else { "resolved" }
                    ],
                )?;
                Ok(())
            })
            .unwrap();
    }

    fn undecided_consultation_with_callback(&mut self, patient: i64, on: NaiveDate, due: NaiveDate) {
        self.store
            .write(|tx| {
                tx.execute(
                    "INSERT INTO consultations (patient_id, consulted_at, treatment_code, status)
                     VALUES (?1, ?2, 'herbal', 'undecided')",
                    params![patient, format!("{on}T10:30:00")],
                )?;
                let consultation = tx.last_insert_rowid();
                let mut cb = NewCallback::new(patient, CallbackKind::Prospect, due);
                cb.consultation_id = Some(consultation);
                open_callback(tx, &cb)?;
                Ok(())
            })
            .unwrap();
    }
}

/// Ids of the small clinic below.
#[allow(dead_code)]
struct Ids {
    director: i64,
    hong: i64,
    kim: i64,
    namgung: i64,
    smith: i64,
    lee: i64,
    choi: i64,
    jung: i64,
    newbie: i64,
    park: i64,
}

/// The small clinic every agenda number below is computed from by hand (today 2026-11-23):
///
/// - 홍길동: open complaint (pain, 11-10, owner 박원장); chuna done 11-10, nothing since.
///   Dropout 6 = open complaint 3 + chuna course 1/10 2 + left without booking 1.
/// - 김철수: acupuncture done 11-02, 11-09, 11-16; coming today 10:00; resolved complaint
///   (wait_time, 10-01). Not a dropout (booked today); referred 신환자.
/// - 남궁민수: done 11-05, then missed 11-19 (booked on 11-05). Dropout 3 (missed, not rebooked).
/// - John Smith: done 08-01, 08-11, 08-21, 08-31 (every 10 days), 84 days ago.
///   Dropout 3 = overdue gap 2 + left without booking 1; away longer than 남궁민수, so first.
/// - 이영희: done 11-20, open complaint (cost, 11-20), booked 11-30: excluded (future booking).
/// - 최고객: done 08-20 (95 days ago): excluded.
/// - 정가망: herbal done 11-12, undecided consultation, prospect callback due 11-20.
///   Dropout 2 = left without booking 1 + callback overdue 1.
/// - 신환자: first visit today 11:00 (chuna), born 1990-11-23, tagged prospect.
/// - 박소개: pharmacopuncture today 14:00, tagged referrer and high value, done 2025-12-01;
///   resolved complaint (pain, 11-01).
fn small_clinic(dir: &tempfile::TempDir) -> Ids {
    let mut c = Clinic::new(dir);
    let director = c.staff("박원장", "director");
    c.staff("이데스크", "desk");
    let hong = c.patient("홍길동", "010-1111-2222", None);
    let kim = c.patient("김철수", "010-3333-4444", None);
    let namgung = c.patient("남궁민수", "02-123-4567", None);
    let smith = c.patient("John Smith", "031-555-1234", None);
    let lee = c.patient("이영희", "010-5555-6666", None);
    let choi = c.patient("최고객", "010-7777-8888", None);
    let jung = c.patient("정가망", "010-9999-0000", None);
    let newbie = c.patient("신환자", "010-2468-1357", NaiveDate::from_ymd_opt(1990, 11, 23));
    let park = c.patient("박소개", "010-1357-2468", None);

    c.done(hong, day(11, 10), "chuna");
    c.complaint(hong, day(11, 10), "pain", "원장 직접 설명", Some(director), true);

    for d in [day(11, 2), day(11, 9), day(11, 16)] {
        c.done(kim, d, "acupuncture");
    }
    c.visit(kim, at(2026, 11, 23, 10, 0), "acupuncture", "booked", at(2026, 11, 16, 10, 20));
    c.complaint(kim, day(10, 1), "wait_time", "예약 간격 조정", None, false);

    c.done(namgung, day(11, 5), "acupuncture");
    c.visit(namgung, at(2026, 11, 19, 15, 0), "acupuncture", "no_show", at(2026, 11, 5, 10, 30));

    for d in [day(8, 1), day(8, 11), day(8, 21), day(8, 31)] {
        c.done(smith, d, "acupuncture");
    }

    c.done(lee, day(11, 20), "acupuncture");
    c.visit(lee, at(2026, 11, 30, 9, 30), "acupuncture", "booked", at(2026, 11, 20, 10, 30));
    c.complaint(lee, day(11, 20), "cost", "", None, true);

    c.done(choi, day(8, 20), "acupuncture");

    c.done(jung, day(11, 12), "herbal");
    c.undecided_consultation_with_callback(jung, day(11, 12), day(11, 20));

    c.visit(newbie, at(2026, 11, 23, 11, 0), "chuna", "booked", at(2026, 11, 20, 9, 0));
    c.tag(newbie, Tag::Prospect);
    c.referred_by(newbie, kim);

    c.done(park, NaiveDate::from_ymd_opt(2025, 12, 1).unwrap(), "pharmacopuncture");
    c.visit(park, at(2026, 11, 23, 14, 0), "pharmacopuncture", "booked", at(2026, 11, 16, 9, 0));
    c.tag(park, Tag::Referrer);
    c.tag(park, Tag::HighValue);
    c.complaint(park, day(11, 1), "pain", "", None, false);
    Ids { director, hong, kim, namgung, smith, lee, choi, jung, newbie, park }
}

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

fn key(c: KeyCode) -> KeyEvent {
    KeyEvent::from(c)
}

fn type_text(app: &mut App, s: &str) {
    for ch in s.chars() {
        app.on_key(key(KeyCode::Char(ch)));
    }
}

fn app_on(dir: &tempfile::TempDir, lang: Lang) -> App {
    let mut store = open(&dir.path().join("clinic.db"));
    // The person at the desk is named (as FRONTDESK_STAFF does), so no change asks who it is.
    store.set_staff("김데스크");
    App::new(store, options(lang, TabId::Huddle)).unwrap()
}

#[test]
fn a_decision_is_assigned_saved_with_the_huddle_and_ticked_off() {
    let dir = tempfile::tempdir().unwrap();
    let ids = small_clinic(&dir);
    let mut app = app_on(&dir, Lang::Ko);
    // The timer starts the huddle's record.
    app.on_command(Command::TimerToggle);
    let huddle_id = app.tabs.huddle.huddle_id().expect("huddle recorded when the timer starts");
    // Third complaint row: 홍길동.
    app.on_command(Command::Down);
    app.on_command(Command::Down);
    app.on_key(key(KeyCode::Char('a')));
    assert!(app.tabs.huddle.keyboard_grabbed(), "the action form is open");
    type_text(&mut app, "원장 직접 전화");
    app.on_key(key(KeyCode::Tab));
    app.on_key(key(KeyCode::Char('1')));
    app.on_key(key(KeyCode::Enter));
    assert!(!app.tabs.huddle.keyboard_grabbed(), "saved: {:?}", app.notice);
    let open = hs::open_actions_for(app.store.conn(), ids.hong).unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!((open[0].action.as_str(), open[0].owner.as_str()), ("원장 직접 전화", "박원장"));
    assert_eq!(open[0].huddle_id, Some(huddle_id));
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("[A: 원장 직접 전화/박원장]"), "{screen}");

    // Pausing saves the length (the fixed clock stands still: 0 s).
    app.on_command(Command::TimerToggle);
    assert_eq!(hs::huddle_on(app.store.conn(), today()).unwrap(), Some((huddle_id, 0)));
    let history = hs::recent_huddles(app.store.conn(), 5).unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].decisions.len(), 1);

    app.on_key(key(KeyCode::Char('x')));
    assert!(hs::open_actions_for(app.store.conn(), ids.hong).unwrap().is_empty());
    let history = hs::recent_huddles(app.store.conn(), 5).unwrap();
    assert!(history[0].decisions[0].done_at.is_some());

    // Earlier huddles can be looked back at.
    app.on_key(key(KeyCode::Char('h')));
    let screen = text(&render(&app, 120, 40));
    assert!(
        screen.contains("2026-11-23 09:20") && screen.contains("결정 1건") && screen.contains("[완료]"),
        "{screen}"
    );
    app.on_key(key(KeyCode::Esc));
    assert!(!text(&render(&app, 120, 40)).contains("결정 1건"));
}

#[test]
fn the_huddle_length_is_saved_at_each_pause() {
    let dir = tempfile::tempdir().unwrap();
    small_clinic(&dir);
    let mut store = open(&dir.path().join("clinic.db"));
    let id = store.write(|tx| hs::start_huddle(tx, today(), fixed_now())).unwrap();
    store.write(|tx| hs::set_huddle_length(tx, id, 312)).unwrap();
    assert_eq!(hs::huddle_on(store.conn(), today()).unwrap(), Some((id, 312)));
    // Reopened later that morning, the tab carries on from 5:12 used, paused.
    drop(store);
    let app = app_on(&dir, Lang::En);
    assert_eq!(app.tabs.huddle.timer().remaining(fixed_now()), 600 - 312);
    assert!(!app.tabs.huddle.timer().is_running());
}

/// The colour of the timer text on the desk screen (row 2, the digits after "Time left").
fn timer_fg(buf: &Buffer) -> Color {
    let row = 2;
    let line: String = (0..buf.area.width).map(|x| buf[(x, row)].symbol().to_string()).collect();
    let pos = line.find(':').expect("a clock on the timer line") as u16;
    buf[(pos, row)].fg
}

#[test]
fn timer_states_have_their_colours() {
    let dir = tempfile::tempdir().unwrap();
    small_clinic(&dir);
    let mut app = app_on(&dir, Lang::En);
    let t = theme::THEME;
    let buf = render(&app, 120, 40);
    assert!(text(&buf).contains("10:00") && text(&buf).contains("not started"));
    assert_eq!(timer_fg(&buf), t.dim.fg.unwrap());
    assert!(!app.tabs.huddle.wants_fast_tick(), "idle: no fast tick");

    app.on_command(Command::TimerToggle); // starts at 09:20:00
    assert!(app.tabs.huddle.wants_fast_tick());
    assert!(app.tabs.huddle.on_tick(fixed_now() + chrono::Duration::seconds(90)));
    let buf = render(&app, 120, 40);
    assert!(text(&buf).contains("8:30") && text(&buf).contains("running"), "{}", text(&buf));
    assert_eq!(timer_fg(&buf), t.ok.fg.unwrap());

    app.tabs.huddle.on_tick(fixed_now() + chrono::Duration::seconds(9 * 60 + 15));
    let buf = render(&app, 120, 40);
    assert!(text(&buf).contains("0:45") && text(&buf).contains("last minute"));
    assert_eq!(timer_fg(&buf), Color::Yellow, "amber in the last minute");

    app.tabs.huddle.on_tick(fixed_now() + chrono::Duration::seconds(10 * 60 + 5));
    let buf = render(&app, 120, 40);
    assert!(text(&buf).contains("-0:05") && text(&buf).contains("over time"));
    assert_eq!(timer_fg(&buf), Color::Red, "red past time");

    // Started and paused (the app's clock is fixed, so no time passed): paused at 10:00, no
    // fast tick, and a tick later on has nothing to redraw.
    let mut app = app_on(&dir, Lang::En);
    app.on_command(Command::TimerToggle);
    app.on_command(Command::TimerToggle);
    assert!(!app.tabs.huddle.wants_fast_tick());
    assert!(!app.tabs.huddle.on_tick(fixed_now() + chrono::Duration::seconds(400)));
    let buf = render(&app, 120, 40);
    assert!(text(&buf).contains("paused"), "{}", text(&buf));
    assert_eq!(timer_fg(&buf), t.info.fg.unwrap());
}

#[test]
fn sections_step_with_the_arrows_and_track_their_time() {
    let dir = tempfile::tempdir().unwrap();
    small_clinic(&dir);
    let mut app = app_on(&dir, Lang::En);
    app.on_key(key(KeyCode::Right));
    assert_eq!(app.tabs.huddle.section(), Section::RiskyProcesses);
    app.on_key(key(KeyCode::Right));
    app.on_key(key(KeyCode::Right));
    app.on_key(key(KeyCode::Right));
    app.on_key(key(KeyCode::Right));
    assert_eq!(app.tabs.huddle.section(), Section::OkrPulse);
    app.on_key(key(KeyCode::Left));
    assert_eq!(app.tabs.huddle.section(), Section::Dropouts);
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("item 4/5 / suggested 2:00 / spent 0:00"), "{screen}");
    assert!(
        screen.contains("84 days since last visit (usually every 10); left 08-31 without booking"),
        "{screen}"
    );
}

#[test]
fn a_store_opened_read_only_refuses_writes_even_through_conn() {
    let dir = tempfile::tempdir().unwrap();
    let ids = small_clinic(&dir);
    let path = dir.path().join("clinic.db");
    let mut ro = Store::open(&path, Access::ReadOnly, Actor::named("screen")).unwrap();
    let err = ro.conn().execute("UPDATE patients SET name = 'x' WHERE id = ?1", [ids.hong]).unwrap_err();
    assert_eq!(err.sqlite_error_code(), Some(rusqlite::ErrorCode::ReadOnly), "{err}");
    let err = ro
        .conn()
        .execute("INSERT INTO huddles (held_on, started_at) VALUES ('2026-11-23', 'x')", [])
        .unwrap_err();
    assert_eq!(err.sqlite_error_code(), Some(rusqlite::ErrorCode::ReadOnly));
    assert!(matches!(ro.write(|tx| hs::start_huddle(tx, today(), fixed_now())), Err(StoreError::ReadOnly)));
    // Nothing reached the file.
    let rw = open(&path);
    let n: i64 = rw.conn().query_row("SELECT count(*) FROM huddles", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 0);
}

fn presentation_app(path: &std::path::Path, lang: Lang) -> App {
    let store = Store::open(path, Access::ReadOnly, Actor::named("screen")).unwrap();
    let opts = AppOptions { mask: true, presentation: true, ..options(lang, TabId::Huddle) };
    App::new(store, opts).unwrap()
}

fn unmask_rows(path: &std::path::Path) -> i64 {
    let rw = open(path);
    rw.conn().query_row("SELECT count(*) FROM audit_log WHERE action = 'unmask'", [], |r| r.get(0)).unwrap()
}

#[test]
fn presentation_is_read_only_masked_and_has_no_way_out() {
    let dir = tempfile::tempdir().unwrap();
    small_clinic(&dir);
    let path = dir.path().join("clinic.db");
    let mut app = presentation_app(&path, Lang::En);
    assert_eq!(app.store.access(), Access::ReadOnly);
    let screen = text(&render(&app, 100, 30));
    assert!(screen.contains("홍*동") && screen.contains("010-****-2222"), "{screen}");
    assert!(!screen.contains("홍길동") && !screen.contains("010-1111-2222"));

    // No decisions, no unmasking, no other tab on the shared screen.
    app.on_key(key(KeyCode::Char('a')));
    assert!(!app.tabs.huddle.keyboard_grabbed());
    app.on_key(key(KeyCode::Char('m')));
    assert!(!app.tabs.huddle.is_unmasked(), "the shared screen has no unmask key");
    for tab in ['1', '3', '4', '5'] {
        app.on_key(key(KeyCode::Char(tab)));
        assert_eq!(app.active, TabId::Huddle);
    }
    app.on_key(key(KeyCode::Tab));
    assert_eq!(app.active, TabId::Huddle);
    let screen = text(&render(&app, 100, 30));
    assert!(!screen.contains("홍길동") && !screen.contains("010-1111-2222"), "{screen}");
    assert!(screen.contains("[masked]"), "{screen}");
    app.on_key(key(KeyCode::Char(' ')));
    app.on_key(key(KeyCode::Char(' ')));
    let rw = open(&path);
    let n: i64 = rw.conn().query_row("SELECT count(*) FROM huddles", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 0, "the timer runs on the shared screen without writing");
    assert_eq!(unmask_rows(&path), 0);
}

/// Every key of the whole keymap, and every printable key, pressed on the shared screen: no
/// frame shows a full name or phone number, and the database file is byte for byte the same.
#[test]
fn every_key_on_the_shared_screen_shows_nothing_unmasked_and_writes_nothing() {
    use frontdesk::app::keymap;
    let dir = tempfile::tempdir().unwrap();
    small_clinic(&dir);
    let path = dir.path().join("clinic.db");
    // Settle the file (WAL checkpointed) before taking its bytes.
    {
        let rw = open(&path);
        rw.conn().pragma_update(None, "wal_checkpoint", "TRUNCATE").unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let audit_before = {
        let rw = open(&path);
        rw.conn().query_row("SELECT count(*) FROM audit_log", [], |r| r.get::<_, i64>(0)).unwrap()
    };
    let full = [
        "홍길동",
        "김철수",
        "남궁민수",
        "John Smith",
        "이영희",
        "010-1111-2222",
        "010-3333-4444",
        "010-2468-1357",
    ];
    let mut keys: Vec<KeyEvent> = Vec::new();
    for (_, bindings) in keymap::TABLE {
        for b in *bindings {
            for k in b.keys {
                keys.push(KeyEvent::new(k.code, k.mods));
            }
        }
    }
    for c in (' '..='~').chain("ㅁㅎ한".chars()) {
        keys.push(key(KeyCode::Char(c)));
    }
    for code in [KeyCode::Enter, KeyCode::Esc, KeyCode::Tab, KeyCode::BackTab, KeyCode::Backspace] {
        keys.push(key(code));
    }
    for c in ['f', 'o', 's', 'c'] {
        keys.push(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
    }
    for lang in [Lang::Ko, Lang::En] {
        let mut app = presentation_app(&path, lang);
        for k in &keys {
            if k.code == KeyCode::Char('q') {
                continue; // quitting ends the session; pressed last
            }
            app.on_key(*k);
            app.on_paste("x");
            let screen = text(&render(&app, 100, 30));
            for name in full {
                assert!(!screen.contains(name), "{name} shown after {k:?}:\n{screen}");
            }
            assert_eq!(app.active, TabId::Huddle, "left the huddle after {k:?}");
            assert!(
                app.booking.is_none() && app.card.is_none() && app.search.is_none() && app.settings.is_none()
            );
            if app.help.is_some() {
                app.on_key(key(KeyCode::Esc));
            }
        }
        app.on_key(key(KeyCode::Char('q')));
        assert!(app.quit);
    }
    assert_eq!(std::fs::read(&path).unwrap(), before, "the shared screen changed the database file");
    let rw = open(&path);
    let audit_after: i64 = rw.conn().query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0)).unwrap();
    assert_eq!(audit_after, audit_before);
}

#[test]
fn presentation_uses_the_high_contrast_theme_and_large_digits() {
    let dir = tempfile::tempdir().unwrap();
    small_clinic(&dir);
    let app = presentation_app(&dir.path().join("clinic.db"), Lang::Ko);
    let buf = render(&app, 100, 30);
    // The body starts at row 2: five rows of '#' digits, in the not-started colour.
    let top: String = (0..40).map(|x| buf[(x, 2)].symbol().to_string()).collect();
    assert!(top.contains("######"), "{top}");
    let x = top.find('#').unwrap() as u16;
    assert_eq!(buf[(x, 2)].fg, theme::PRESENTATION.dim.fg.unwrap());
    assert_eq!(buf[(x, 2)].bg, theme::PRESENTATION.dim.fg.unwrap(), "a solid block");
    assert_eq!(buf[(90, 20)].bg, Color::Black, "high-contrast background");
}

// ---- Many patients: paging and the masking scan ---------------------------------------

const SURNAMES: [&str; 12] = ["김", "이", "박", "최", "정", "강", "조", "윤", "남궁", "황보", "제갈", "선우"];
const SYLLABLES: [&str; 16] =
    ["민", "서", "준", "지", "현", "우", "영", "수", "하", "은", "도", "윤", "예", "진", "호", "연"];
const LATIN: [&str; 6] = ["John Smith", "Anna Lee", "Maria Garcia", "Tom Brown", "Olga Petrova", "Ken Wu"];

/// Builds `n` people with distinct names and phones: 2-4 syllable Korean names (compound
/// surnames included) and Latin names, phones in 010 / 02 / 031 / +82 forms.
fn crowd(n: usize) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for i in 0..n {
        let name = if i % 7 == 6 {
            format!("{} {}", LATIN[(i / 7) % LATIN.len()], ["Jr", "Sr", "II", "III", "IV", "V"][(i / 42) % 6])
        } else {
            let s = SURNAMES[i % SURNAMES.len()];
            let given_len = if s.chars().count() == 2 { 1 + i % 2 } else { 1 + i % 3 };
            let given: String =
                (0..given_len).map(|k| SYLLABLES[(i * 3 + k * 5) % SYLLABLES.len()]).collect();
            format!("{s}{given}")
        };
        let phone = match i % 4 {
            0 => format!("010-{:04}-{:04}", 2000 + i, 7000 + i),
            1 => format!("02-{:03}-{:04}", 300 + i, 4000 + i),
            2 => format!("031-{:03}-{:04}", 500 + i, 6000 + i),
            _ => format!("+82 10-{:04}-{:04}", 8000 + i, 1000 + i),
        };
        out.push((name, phone));
    }
    // Names must be distinct for the scan to mean anything.
    let mut names: Vec<&String> = out.iter().map(|(n, _)| n).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), out.len(), "crowd names collide");
    out
}

/// 24 people coming today with recent complaints (complaints, risky, chart review pages) and
/// 24 recent visitors with open complaints and nothing booked (dropouts, complaints).
fn busy_clinic(dir: &tempfile::TempDir) -> Vec<(String, String)> {
    let mut c = Clinic::new(dir);
    let owner = c.staff("박원장", "director");
    let people = crowd(48);
    for (i, (name, phone)) in people.iter().enumerate() {
        let id = c.patient(name, phone, None);
        if i < 24 {
            c.done(id, day(11, 2), "chuna");
            c.visit(id, at(2026, 11, 23, 9 + (i as u32 % 9), 0), "chuna", "booked", at(2026, 11, 2, 10, 30));
            c.complaint(id, day(11, 10), "pain", "설명 보강", Some(owner), false);
        } else {
            c.done(id, day(11, 15), "acupuncture");
            c.complaint(id, day(11, 15), "wait_time", "사과 전화", Some(owner), true);
        }
    }
    people
}

/// Every frame: each section, each page (turned by the running timer), both languages.
fn assert_no_identity_leaks(screen: &str, people: &[(String, String)], context: &str) {
    for (name, phone) in people {
        assert!(!screen.contains(name.as_str()), "{context}: name {name} shown\n{screen}");
        let digits: String = phone.chars().filter(|c| c.is_ascii_digit()).collect();
        let phone_digits = frontdesk::domain::phone::Phone::parse(phone).unwrap();
        let formatted = phone_digits.formatted();
        assert!(!screen.contains(&formatted), "{context}: phone {formatted} shown\n{screen}");
        assert!(
            !screen.contains(&digits) && !screen.contains(&phone_digits.digits),
            "{context}: digits of {phone}"
        );
        // The middle group never shows, even apart from the rest.
        let middle = formatted.split('-').nth(1).unwrap();
        let last = formatted.split('-').nth(2).unwrap();
        assert!(!screen.contains(&format!("{middle}-{last}")), "{context}: {middle}-{last} shown");
    }
}

#[test]
fn no_frame_of_the_shared_screen_shows_a_name_or_phone() {
    let dir = tempfile::tempdir().unwrap();
    let people = busy_clinic(&dir);
    let path = dir.path().join("clinic.db");
    for lang in [Lang::Ko, Lang::En] {
        for (w, h) in [(100, 30), (80, 24), (120, 40)] {
            let mut app = presentation_app(&path, lang);
            app.on_command(Command::TimerToggle);
            let mut masked_seen = 0;
            for section in Section::ALL {
                app.tabs.huddle.go_to(section);
                let start = app.tabs.huddle.timer().elapsed(fixed_now());
                let mut pages_seen = std::collections::HashSet::new();
                // Page through by time: 8 s a page, more pages than any section has.
                for step in 0..8 {
                    let t = fixed_now() + chrono::Duration::seconds(start + step * 8);
                    app.tabs.huddle.on_tick(t);
                    let screen = text(&render(&app, w, h));
                    assert_no_identity_leaks(
                        &screen,
                        &people,
                        &format!("{lang:?} {w}x{h} {section:?} step {step}"),
                    );
                    masked_seen += people
                        .iter()
                        .filter(|(n, _)| screen.contains(&frontdesk::domain::mask::mask_name(n)))
                        .count();
                    // The rows under the timer and agenda line: they change only with the page.
                    pages_seen.insert(screen.lines().skip(9).collect::<Vec<_>>().join("\n"));
                }
                let long = section == Section::Complaints
                    || (h < 40 && matches!(section, Section::ChartReview | Section::Dropouts));
                if long {
                    assert!(pages_seen.len() > 1, "{section:?} pages by itself at {w}x{h}");
                }
                // Go back to the same moment for the next section.
                app.tabs.huddle.on_tick(fixed_now() + chrono::Duration::seconds(start));
            }
            assert!(masked_seen > 48, "the masked rows were drawn ({masked_seen})");
        }
    }
}

#[test]
fn eight_patients_fit_on_one_page_at_100x30() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = Clinic::new(&dir);
    let people = crowd(8);
    for (i, (name, phone)) in people.iter().enumerate() {
        let id = c.patient(name, phone, None);
        c.visit(id, at(2026, 11, 23, 9 + i as u32, 0), "chuna", "booked", at(2026, 11, 2, 10, 30));
        c.complaint(id, day(11, 10), "pain", "", None, true);
    }
    drop(c);
    let mut app = presentation_app(&dir.path().join("clinic.db"), Lang::Ko);
    app.on_command(Command::TimerToggle);
    for section in [Section::Complaints, Section::RiskyProcesses, Section::ChartReview] {
        app.tabs.huddle.go_to(section);
        let screen = text(&render(&app, 100, 30));
        for (name, _) in &people {
            // As drawn in the ten-column name column.
            let masked = frontdesk::domain::text::truncate(&frontdesk::domain::mask::mask_name(name), 10);
            assert!(screen.contains(&masked), "{section:?}: {masked} missing\n{screen}");
        }
        assert!(!screen.contains("쪽 ("), "{section:?}: no pages needed\n{screen}");
    }
}

// ---- Snapshots ----------------------------------------------------------------------------

fn snapshot_sections(app: &mut App, prefix: &str, w: u16, h: u16) {
    for section in Section::ALL {
        app.tabs.huddle.go_to(section);
        let name = format!("{prefix}_{}_{w}x{h}", format!("{section:?}").to_lowercase());
        insta::assert_snapshot!(name, text(&render(app, w, h)));
    }
}

#[test]
fn snapshots_desk_screen() {
    let dir = tempfile::tempdir().unwrap();
    small_clinic(&dir);
    for lang in [Lang::Ko, Lang::En] {
        let mut app = app_on(&dir, lang);
        for (w, h) in [(80, 24), (120, 40)] {
            snapshot_sections(&mut app, &format!("desk_{}", lang.code()), w, h);
        }
    }
}

#[test]
fn snapshots_presentation() {
    let dir = tempfile::tempdir().unwrap();
    small_clinic(&dir);
    for lang in [Lang::Ko, Lang::En] {
        let mut app = presentation_app(&dir.path().join("clinic.db"), lang);
        for (w, h) in [(100, 30), (120, 40)] {
            snapshot_sections(&mut app, &format!("presentation_{}", lang.code()), w, h);
        }
    }
}
