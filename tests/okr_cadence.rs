//! OKR cadence and the finished day: a monthly key result is judged on the current month's
//! value (its pace the month's, its history one point per month); rates and averages are
//! judged through the last finished day while today is going on, with today beside them.
//! Every expected number is worked out by hand from the fixture below.

mod common;

use chrono::NaiveDate;
use common::*;
use frontdesk::domain::okr::{Cadence, Status};
use frontdesk::store::{Store, okr};
use rusqlite::params;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// One objective, 2026-09-15 .. 2027-02-28 (Mon-Sat clinic), with four key results:
///   K0 "비급여 매출 월 3,000만원"  manual        at_least 30,000,000  monthly
///   K1 "부도율 월 30% 이하"        no_show_rate  at_most  0.30        monthly
///   K2 "내원 월 10건"              visits        at_least 10          monthly
///   K3 "부도율 30% 이하"           no_show_rate  at_most  0.30        whole period
///
/// Check-ins of K0 (month-to-date revenue): 09-30 8,000,000; 10-24 20,000,000;
/// 10-31 31,000,000; 11-21 21,000,000.
///
/// Appointments (P1 김민수, P2 이영희):
///   10-05 P1 no_show   10-06 P1 done
///   11-02 P1 done      11-03 P2 done    11-04 P2 no_show   11-05 P1 done
///   11-23 (today) 09:00 P1 no_show, 10:00 P2 done
struct Fixture {
    _dir: tempfile::TempDir,
    store: Store,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir.path().join("clinic.db"));
    let c = store.conn();
    c.execute("DELETE FROM objectives", []).unwrap();
    c.execute(
        "INSERT INTO objectives (title, from_date, to_date) VALUES ('매출과 예약', '2026-09-15', '2027-02-28')",
        [],
    )
    .unwrap();
    let o = c.last_insert_rowid();
    let krs = [
        ("비급여 매출 월 3,000만원", "manual", "at_least", 30_000_000.0, "month"),
        ("부도율 월 30% 이하", "no_show_rate", "at_most", 0.30, "month"),
        ("내원 월 10건", "visits", "at_least", 10.0, "month"),
        ("부도율 30% 이하", "no_show_rate", "at_most", 0.30, "period"),
    ];
    let mut ids = Vec::new();
    for (i, (title, metric, dir, target, cadence)) in krs.iter().enumerate() {
        c.execute(
            "INSERT INTO key_results (objective_id, title, metric, direction, target, sort, cadence)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![o, title, metric, dir, target, i as i64, cadence],
        )
        .unwrap();
        ids.push(c.last_insert_rowid());
    }
    for (on, value) in
        [("2026-09-30", 8_000_000.0), ("2026-10-24", 2e7), ("2026-10-31", 3.1e7), ("2026-11-21", 2.1e7)]
    {
        c.execute(
            "INSERT INTO checkins (key_result_id, on_date, value, comment, created_at) VALUES (?1, ?2, ?3, '', ?2)",
            params![ids[0], on, value],
        )
        .unwrap();
    }
    let patient = |chart: &str, name: &str| {
        c.execute(
            "INSERT INTO patients (chart_no, name, referral_source, created_at)
             VALUES (?1, ?2, 'signboard', '2026-09-01T09:00:00')",
            params![chart, name],
        )
        .unwrap();
        c.last_insert_rowid()
    };
    let p1 = patient("1001", "김민수");
    let p2 = patient("1002", "이영희");
    for (p, start, status) in [
        (p1, "2026-10-05T10:00:00", "no_show"),
        (p1, "2026-10-06T10:00:00", "done"),
        (p1, "2026-11-02T10:00:00", "done"),
        (p2, "2026-11-03T10:00:00", "done"),
        (p2, "2026-11-04T10:00:00", "no_show"),
        (p1, "2026-11-05T10:00:00", "done"),
        (p1, "2026-11-23T09:00:00", "no_show"),
        (p2, "2026-11-23T10:00:00", "done"),
    ] {
        c.execute(
            "INSERT INTO appointments (patient_id, start, duration_min, treatment_code, status, booked_at, updated_at)
             VALUES (?1, ?2, 30, 'acupuncture', ?3, '2026-09-01T09:00:00', ?2)",
            params![p, start, status],
        )
        .unwrap();
    }
    Fixture { _dir: dir, store }
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-9)
}

fn krs(board: &[okr::ObjectiveStatus]) -> &[okr::KeyResultStatus] {
    &board[0].key_results
}

#[test]
fn a_monthly_manual_key_result_is_judged_on_this_months_check_in_at_the_months_pace() {
    let f = fixture();
    let board = okr::board_live(f.store.conn(), day(2026, 11, 23), 8).unwrap();
    let k = &krs(&board)[0];
    assert_eq!(k.key_result.cadence, Cadence::Month);
    // November's latest check-in: 21,000,000 of 30,000,000 = 0.7. Pace: November's opening
    // days gone, 19 of 25 (Sundays 1, 8, 15, 22, 29 off) = 0.76; 0.7 is within 20 points.
    assert_eq!(k.judgement.value, Some(21_000_000.0));
    assert!(close(k.judgement.progress, 0.7));
    assert!((k.judgement.pace - 19.0 / 25.0).abs() < 1e-12, "{}", k.judgement.pace);
    assert_eq!(k.judgement.status, Status::Behind);
    // One point per month of the period: September (from the 15th), October, November.
    assert_eq!(k.history, vec![Some(8_000_000.0), Some(31_000_000.0), Some(21_000_000.0)]);
    assert_eq!(k.history_ends, vec![day(2026, 9, 30), day(2026, 10, 31), day(2026, 11, 23)]);
    // A count has no "today so far" apart: today is in its value.
    assert_eq!(k.today, None);
}

#[test]
fn a_new_month_without_a_check_in_has_no_data_not_last_months_value() {
    let f = fixture();
    // 12-02: no check-in in December yet (the 31,000,000 of 10-31 and 21,000,000 of 11-21
    // belong to their months). No data, never met, whatever the earlier months did.
    let board = okr::board(f.store.conn(), day(2026, 12, 2), 8).unwrap();
    let k = &krs(&board)[0];
    assert_eq!(k.judgement.value, None);
    assert_eq!(k.judgement.status, Status::NoData);
    assert_eq!(k.history.last(), Some(&None));
    assert_eq!(k.history.len(), 4);
}

#[test]
fn a_monthly_rate_reads_the_month_through_yesterday_with_today_beside() {
    let f = fixture();
    let live = okr::board_live(f.store.conn(), day(2026, 11, 23), 8).unwrap();
    let k = &krs(&live)[1];
    // November through 11-22: 1 no-show of 4 (11-02, 11-03, 11-04, 11-05) = 0.25: met.
    assert!(close(k.judgement.value, 0.25));
    assert_eq!(k.judgement.status, Status::Met);
    assert_eq!(k.judgement.pace, 1.0);
    // Today so far: 1 no-show of 2 = 0.5, shown beside, not mixed in.
    assert!(close(k.today, 0.5));
    // History: September has nothing to divide by; October 1 of 2; November 1 of 4.
    assert_eq!(k.history.len(), 3);
    assert_eq!(k.history[0], None);
    assert!(close(k.history[1], 0.5) && close(k.history[2], 0.25));
    // As of the end of 11-23 (`okr status --at 2026-11-23`): today counts, 2 of 6 = 0.333.
    let done = okr::board(f.store.conn(), day(2026, 11, 23), 0).unwrap();
    let k = &krs(&done)[1];
    assert!(close(k.judgement.value, 2.0 / 6.0));
    assert_eq!(k.judgement.status, Status::OffTrack);
    assert_eq!(k.today, None);
}

#[test]
fn a_monthly_count_accumulates_within_the_month_and_includes_today() {
    let f = fixture();
    let board = okr::board_live(f.store.conn(), day(2026, 11, 23), 8).unwrap();
    let k = &krs(&board)[2];
    // Done in November through today: 11-02, 11-03, 11-05, 11-23 = 4 of 10 = 0.4, against
    // a pace of 0.76: more than 20 points behind, off track.
    assert_eq!(k.judgement.value, Some(4.0));
    assert_eq!(k.judgement.status, Status::OffTrack);
    // September 0 visits (from the 15th), October 1, November 4.
    assert_eq!(k.history, vec![Some(0.0), Some(1.0), Some(4.0)]);
}

#[test]
fn a_whole_period_rate_is_judged_through_yesterday_while_the_day_goes_on() {
    let f = fixture();
    let live = okr::board_live(f.store.conn(), day(2026, 11, 23), 8).unwrap();
    let k = &krs(&live)[3];
    assert_eq!(k.key_result.cadence, Cadence::Period);
    // 09-15 .. 11-22: 2 no-shows of 6 = 0.333 (today's no-show is not in it).
    assert!(close(k.judgement.value, 2.0 / 6.0));
    assert!(close(k.today, 0.5));
    // The weekly points end on the last finished day, a week apart.
    assert_eq!(k.history_ends.last(), Some(&day(2026, 11, 22)));
    assert_eq!(k.history_ends.first(), Some(&day(2026, 10, 4)));
    // As of the end of the day: 3 of 8 = 0.375.
    let done = okr::board(f.store.conn(), day(2026, 11, 23), 0).unwrap();
    assert!(close(krs(&done)[3].judgement.value, 3.0 / 8.0));
    // On the period's first day nothing is finished yet: no data, today beside.
    let first = okr::board_live(f.store.conn(), day(2026, 9, 15), 0).unwrap();
    assert_eq!(krs(&first)[3].judgement.status, Status::NoData);
}

#[test]
fn the_okr_tab_shows_today_beside_a_rate_and_asks_for_this_months_value() {
    use crossterm::event::{KeyCode, KeyEvent};
    use frontdesk::domain::Lang;
    for lang in [Lang::Ko, Lang::En] {
        let Fixture { _dir, store } = fixture();
        let mut app = frontdesk::app::App::new(store, options(lang, frontdesk::app::TabId::Okr)).unwrap();
        // The first key result (monthly revenue) is selected: its detail says "this month".
        let screen = text(&render(&app, 120, 40));
        assert!(screen.contains(lang.pick("이번 달 21,000,000", "this month 21,000,000")), "{screen}");
        assert!(screen.contains(lang.pick("최근 3개월", "last 3 months")), "{screen}");
        assert!(screen.contains("2026-10 31,000,000"), "{screen}");
        // The check-in asks for this month's value.
        app.on_key(KeyEvent::from(KeyCode::Char('c')));
        let screen = text(&render(&app, 120, 40));
        assert!(screen.contains(lang.pick("이번 달 값", "This month ")), "{screen}");
        app.on_key(KeyEvent::from(KeyCode::Esc));
        // The monthly no-show rate: November through yesterday, today so far beside it.
        app.on_key(KeyEvent::from(KeyCode::Down));
        let screen = text(&render(&app, 120, 40));
        assert!(
            screen.contains(lang.pick("이번 달 25% (오늘 50%)", "this month 25% (today 50%)")),
            "{screen}"
        );
        insta::assert_snapshot!(format!("okr_cadence_rate_{}_120x40", lang.code()), screen);
    }
}

#[test]
fn okr_load_sets_and_updates_the_cadence_and_okr_status_shows_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    let file = dir.path().join("okr.toml");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_frontdesk"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .env("FRONTDESK_DB", "")
            .env("XDG_CONFIG_HOME", dir.path())
            .env(FIXED_NOW_ENV.0, FIXED_NOW_ENV.1)
            .output()
            .unwrap()
    };
    let text = |cadence: &str| {
        format!(
            "[[objective]]\ntitle = '비급여'\nfrom = 2026-11-01\nto = 2027-04-30\n\
             [[objective.key_result]]\ntitle = '비급여 매출 월 3,000만원'\nmetric = 'manual'\n\
             direction = 'at_least'\ntarget = 30000000\n{cadence}"
        )
    };
    std::fs::write(&file, text("cadence = 'month'\n")).unwrap();
    let out = run(&["okr", "load", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let csv = |at: &str| {
        let out = run(&["okr", "status", "--at", at, "--format", "csv"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let status = csv("2026-11-23");
    let row = status.lines().find(|l| l.starts_with("비급여,")).unwrap();
    assert!(row.ends_with(",no_data,month"), "{status}");
    // Loading the file again without `cadence` makes it a whole-period key result again.
    std::fs::write(&file, text("")).unwrap();
    let out = run(&["okr", "load", file.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 updated"), "{out:?}");
    let status = csv("2026-11-23");
    let row = status.lines().find(|l| l.starts_with("비급여,")).unwrap();
    assert!(row.ends_with(",no_data,period"), "{status}");
    // The table names it.
    std::fs::write(&file, text("cadence = 'month'\n")).unwrap();
    run(&["okr", "load", file.to_str().unwrap()]);
    let out = run(&["--lang", "en", "okr", "status", "--at", "2026-11-23"]);
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.lines().any(|l| l.contains("비급여 매출 월") && l.contains("monthly")), "{table}");
}

#[test]
fn okr_status_without_at_judges_rates_through_yesterday_and_with_at_through_the_day() {
    let f = fixture();
    let db = f._dir.path().join("clinic.db");
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_frontdesk"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .env("FRONTDESK_DB", "")
            .env("XDG_CONFIG_HOME", f._dir.path())
            .env(FIXED_NOW_ENV.0, FIXED_NOW_ENV.1)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let row =
        |csv: &str, title: &str| csv.lines().find(|l| l.contains(&format!(",{title},"))).unwrap().to_string();
    // Today is 11-23 (the fixed clock), still going on: 09-15..11-22, 2 no-shows of 6.
    let live = run(&["okr", "status", "--format", "csv"]);
    assert!(row(&live, "부도율 30% 이하").contains(",0.3333,"), "{live}");
    // As of the end of 11-23: 3 of 8.
    let done = run(&["okr", "status", "--at", "2026-11-23", "--format", "csv"]);
    assert!(row(&done, "부도율 30% 이하").contains(",0.375,"), "{done}");
}

#[test]
fn a_restored_monthly_check_in_still_asks_for_this_months_value() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use frontdesk::domain::Lang;
    let Fixture { _dir, store } = fixture();
    let mut app = frontdesk::app::App::new(store, options(Lang::En, frontdesk::app::TabId::Okr)).unwrap();
    app.on_key(KeyEvent::from(KeyCode::Char('c')));
    app.on_key(KeyEvent::from(KeyCode::Tab));
    for c in "2500만".chars() {
        app.on_key(KeyEvent::from(KeyCode::Char(c)));
    }
    app.save_draft_now();
    drop(app);
    let store = open(&_dir.path().join("clinic.db"));
    let mut app = frontdesk::app::App::new(store, options(Lang::En, frontdesk::app::TabId::Okr)).unwrap();
    app.on_key(KeyEvent::from(KeyCode::Char('y')));
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("This month "), "{screen}");
    app.on_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    // Saved as November's value: 25,000,000 of 30,000,000.
    assert_eq!(app.tabs.okr.board()[0].key_results[0].judgement.value, Some(25_000_000.0));
}

#[test]
fn the_huddles_okr_pulse_shows_today_beside_a_rate() {
    let f = fixture();
    let board = okr::board_live(f.store.conn(), day(2026, 11, 23), 0).unwrap();
    let pulse = frontdesk::store::huddle::okr_pulse(&board, day(2026, 11, 23));
    let krs = &pulse[0].key_results;
    // The monthly no-show rate: 25% through yesterday, today so far 50%; a count has none.
    assert_eq!((krs[1].value_text.as_str(), krs[1].today_text.as_deref()), ("25%", Some("50%")));
    assert_eq!(krs[2].today_text, None);
}
