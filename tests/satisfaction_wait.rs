//! Satisfaction scores on contacts and waiting minutes from the desk's status changes
//! (issue 16, item 7): the metrics `satisfaction` and `wait_minutes` on a hand-computed
//! fixture, as key results, on Today's header and in the log-contact form.

mod common;

use chrono::NaiveDate;
use common::*;
use crossterm::event::{KeyCode, KeyEvent};
use frontdesk::app::keymap::Command;
use frontdesk::app::tabs::Tab;
use frontdesk::app::{App, TabId};
use frontdesk::domain::Lang;
use frontdesk::domain::okr::{Metric, Status};
use frontdesk::store::{Store, metrics, okr};
use rusqlite::params;

fn nov(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

/// Patients P1 김민수, P2 이영희, P3 박지훈, each with a happy call (callbacks C1..C3).
///
/// Contacts with scores: 10-30 C1 1 (before November); 11-10 C1 5; 11-12 C2 4; 11-15 C3 2;
/// 11-16 C1 none; 11-20 C2 3. November: 4 scores, 2 of them 4-5 -> 50%.
///
/// Visits (done) and their status changes:
///   A1 11-10 10:00 P1  arrived 09:55, done 10:20   -> 25 min
///   A2 11-10 11:00 P2  arrived 10:50, done 11:30   -> 40 min
///   A3 11-11 09:00 P3  arrived 09:00, done 09:10   -> 10 min
///   A4 11-12 10:00 P1  done without arriving        -> not measured
///   A5 11-12 11:00 P2  arrived 10:58, no_show 11:30 -> a no-show is not a visit
///   A6 11-13 14:00 P3  arrived 14:00, done 14:05   ->  5 min
///   A7 11-23 09:00 P1  arrived 08:55, done 09:07   -> 12 min (today)
/// November through 11-22: 25, 40, 10, 5 -> median (10 + 25) / 2 = 17.5; with today 12.
struct Fixture {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    store: Store,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.db");
    let store = open_set_up(&path);
    let c = store.conn();
    c.execute("DELETE FROM objectives", []).unwrap();
    let mut patients = Vec::new();
    for (chart, name) in [("1001", "김민수"), ("1002", "이영희"), ("1003", "박지훈")] {
        c.execute(
            "INSERT INTO patients (chart_no, name, referral_source, created_at)
             VALUES (?1, ?2, 'signboard', '2026-09-01T09:00:00')",
            params![chart, name],
        )
        .unwrap();
        patients.push(c.last_insert_rowid());
    }
    let mut cbs = Vec::new();
    for p in &patients {
        c.execute(
            "INSERT INTO callbacks (patient_id, kind, due_on, created_at) VALUES (?1, 'happy_call', '2026-12-20', '2026-10-01T09:00:00')",
            [p],
        )
        .unwrap();
        cbs.push(c.last_insert_rowid());
    }
    for (cb, at, score) in [
        (0, "2026-10-30T10:00:00", Some(1)),
        (0, "2026-11-10T10:00:00", Some(5)),
        (1, "2026-11-12T10:00:00", Some(4)),
        (2, "2026-11-15T10:00:00", Some(2)),
        (0, "2026-11-16T10:00:00", None),
        (1, "2026-11-20T10:00:00", Some(3)),
    ] {
        c.execute(
            "INSERT INTO callback_contacts (callback_id, contacted_at, channel, satisfaction) VALUES (?1, ?2, 'phone', ?3)",
            params![cbs[cb], at, score],
        )
        .unwrap();
    }
    // (patient, start, status, its status changes: from, to, time)
    type Changes<'a> = &'a [(&'a str, &'a str, &'a str)];
    let visits: [(usize, &str, &str, Changes<'_>); 7] = [
        (0, "2026-11-10T10:00:00", "done", &[("booked", "arrived", "09:55"), ("arrived", "done", "10:20")]),
        (1, "2026-11-10T11:00:00", "done", &[("booked", "arrived", "10:50"), ("arrived", "done", "11:30")]),
        (2, "2026-11-11T09:00:00", "done", &[("booked", "arrived", "09:00"), ("arrived", "done", "09:10")]),
        (0, "2026-11-12T10:00:00", "done", &[("booked", "done", "10:30")]),
        (
            1,
            "2026-11-12T11:00:00",
            "no_show",
            &[("booked", "arrived", "10:58"), ("arrived", "no_show", "11:30")],
        ),
        (2, "2026-11-13T14:00:00", "done", &[("booked", "arrived", "14:00"), ("arrived", "done", "14:05")]),
        (0, "2026-11-23T09:00:00", "done", &[("booked", "arrived", "08:55"), ("arrived", "done", "09:07")]),
    ];
    for (p, start, status, changes) in visits {
        c.execute(
            "INSERT INTO appointments (patient_id, start, duration_min, treatment_code, status, booked_at, updated_at)
             VALUES (?1, ?2, 30, 'acupuncture', ?3, '2026-09-01T09:00:00', ?2)",
            params![patients[p], start, status],
        )
        .unwrap();
        let id = c.last_insert_rowid();
        for (from, to, time) in changes {
            c.execute(
                "INSERT INTO appointment_status_changes (appointment_id, from_status, to_status, changed_at)
                 VALUES (?1, ?2, ?3, ?4)",
                params![id, from, to, format!("{}T{time}:00", &start[..10])],
            )
            .unwrap();
        }
    }
    Fixture { _dir: dir, path, store }
}

fn value(f: &Fixture, metric: Metric, from: NaiveDate, to: NaiveDate) -> Option<f64> {
    metrics::value(f.store.conn(), &metric, None, from, to).unwrap()
}

#[test]
fn satisfaction_is_the_share_of_four_and_five_among_the_scores() {
    let f = fixture();
    // November: 5, 4, 2, 3 (the unscored contact does not count) -> 2 of 4.
    assert_eq!(value(&f, Metric::Satisfaction, nov(1), nov(30)), Some(0.5));
    // 11-10..11-12: 5, 4 -> 100%. October: the single 1 -> 0%. No scores: no value.
    assert_eq!(value(&f, Metric::Satisfaction, nov(10), nov(12)), Some(1.0));
    assert_eq!(value(&f, Metric::Satisfaction, nov(1) - chrono::Duration::days(31), nov(1)), Some(0.0));
    assert_eq!(value(&f, Metric::Satisfaction, nov(21), nov(30)), None);
    // Both sides behind it, the low scores (to call back about) first for an at-least target.
    let both = metrics::rate_records(f.store.conn(), &Metric::Satisfaction, nov(1), nov(30), false)
        .unwrap()
        .unwrap();
    let sides: Vec<(bool, &str)> = both.iter().map(|r| (r.hit.unwrap(), r.name.as_str())).collect();
    assert_eq!(sides, [(false, "이영희"), (false, "박지훈"), (true, "이영희"), (true, "김민수")]);
}

#[test]
fn wait_minutes_is_the_median_from_arrived_to_the_next_status_over_done_visits() {
    let f = fixture();
    assert_eq!(value(&f, Metric::WaitMinutes, nov(1), nov(22)), Some(17.5));
    assert_eq!(value(&f, Metric::WaitMinutes, nov(10), nov(10)), Some(32.5));
    assert_eq!(value(&f, Metric::WaitMinutes, nov(1), nov(30)), Some(12.0));
    // A day with only a visit done without arriving has nothing measured.
    assert_eq!(value(&f, Metric::WaitMinutes, nov(12), nov(12)), None);
    // Behind the number: the measured visits, longest wait first.
    let records = metrics::records(f.store.conn(), &Metric::WaitMinutes, None, nov(1), nov(22)).unwrap();
    let waits: Vec<&str> = records.iter().map(|r| r.note.as_str()).collect();
    assert_eq!(waits, ["40", "25", "10", "5"]);
    assert!(records.iter().all(|r| r.patient_id.is_some()));
}

#[test]
fn both_are_key_results_judged_through_yesterday_with_today_beside() {
    let f = fixture();
    let file = "[[objective]]\ntitle='기다리지 않는 한의원'\nfrom=2026-11-01\nto=2026-11-30\n\
        [[objective.key_result]]\ntitle='대기시간 20분 이하'\nmetric='wait_minutes'\ndirection='at_most'\ntarget=20\n\
        [[objective.key_result]]\ntitle='만족도 90% 이상'\nmetric='satisfaction'\ndirection='at_least'\ntarget=0.9\n";
    let defs = frontdesk::domain::okr::parse_okr_file(file, nov(23)).unwrap();
    let mut store = f.store;
    store.write(|tx| okr::create_objective(tx, &defs[0])).unwrap();
    let live = okr::board_live(store.conn(), nov(23), 0).unwrap();
    let [wait, sat] = &live[0].key_results[..] else { panic!() };
    // Through 11-22: 17.5 <= 20, met; today so far 12 beside it.
    assert_eq!(
        (wait.judgement.value, wait.judgement.status, wait.today),
        (Some(17.5), Status::Met, Some(12.0))
    );
    // 50% of a 90% target: progress 0.556, more than 20 points under pace 1: off track.
    assert_eq!((sat.judgement.value, sat.judgement.status, sat.today), (Some(0.5), Status::OffTrack, None));
    // As of the end of 11-23 the day counts: median 12.
    let done = okr::board(store.conn(), nov(23), 0).unwrap();
    assert_eq!(done[0].key_results[0].judgement.value, Some(12.0));
}

#[test]
fn todays_header_shows_the_days_median_wait() {
    let f = fixture();
    drop(f.store);
    for lang in [Lang::Ko, Lang::En] {
        let app = App::new(open_set_up(&f.path), options(lang, TabId::Today)).unwrap();
        let screen = text(&render(&app, 120, 30));
        // Today (11-23): one measured visit, 12 minutes.
        assert!(screen.contains(lang.pick("대기 중앙값 12분", "median wait 12 min")), "{screen}");
    }
}

#[test]
fn a_satisfaction_score_is_one_key_in_the_log_contact_form() {
    let f = fixture();
    drop(f.store);
    let mut app = App::new(open_set_up(&f.path), options(Lang::En, TabId::Callbacks)).unwrap();
    let callback = app.tabs.callbacks.visible_items().first().map(|c| c.id);
    let Some(callback) = callback else { panic!("a happy call in the queue") };
    app.on_command(Command::LogContact);
    let form = app.tabs.callbacks.open_form().unwrap();
    assert_eq!(form.picked("score"), None, "not asked unless given");
    // channel, reached, then the score: one key, 5.
    app.on_key(KeyEvent::from(KeyCode::Tab));
    app.on_key(KeyEvent::from(KeyCode::Tab));
    app.on_key(KeyEvent::from(KeyCode::Char('5')));
    assert_eq!(app.tabs.callbacks.open_form().unwrap().picked("score").as_deref(), Some("5"));
    // reaction, plan, next step (a date), the date: +7, Enter saves.
    for _ in 0..4 {
        app.on_key(KeyEvent::from(KeyCode::Tab));
    }
    for c in "+7".chars() {
        app.on_key(KeyEvent::from(KeyCode::Char(c)));
    }
    app.on_key(KeyEvent::from(KeyCode::Enter));
    assert!(app.tabs.callbacks.open_form().is_none(), "saved");
    let check = open_set_up(&f.path);
    let stored: Option<i64> = check
        .conn()
        .query_row(
            "SELECT satisfaction FROM callback_contacts WHERE callback_id = ?1 ORDER BY id DESC LIMIT 1",
            [callback],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stored, Some(5));
    // Counted at once: November now 5, 4, 2, 3 and today's 5 -> 3 of 5.
    assert_eq!(
        metrics::value(check.conn(), &Metric::Satisfaction, None, nov(1), nov(30)).unwrap(),
        Some(0.6)
    );
}
