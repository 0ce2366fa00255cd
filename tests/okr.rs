//! OKR: every metric on a small hand-computed fixture, the board, `okr status` / `okr load`,
//! and the tab's screens.

#[path = "okr/board.rs"]
mod board;
#[path = "okr/cli.rs"]
mod cli;
mod common;
#[path = "okr/metric_values.rs"]
mod metric_values;
#[path = "okr/tab.rs"]
mod tab;

use chrono::NaiveDate;
use common::*;
use frontdesk::domain::okr::{Direction, Metric, Status};
use frontdesk::store::{Store, metrics, okr};
use rusqlite::params;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

const NOV_1: (i32, u32, u32) = (2026, 11, 1);

fn nov(d: u32) -> NaiveDate {
    day(NOV_1.0, NOV_1.1, d)
}

/// A small clinic month. Every number the tests expect is worked out from this by hand.
///
/// Patients: P1 김민수 (signboard, seen before November), P2 이영희 (referred by P1),
/// P3 박지훈 (internet), P4 최유리 (signboard).
///
/// Appointments (start, patient, status, treatment, booked_at):
///   A1  10-20 10:00 P1 done     acupuncture  10-15            before the period
///   A2  11-02 10:00 P1 done     chuna        10-20
///   A3  11-09 10:00 P1 done     acupuncture  11-02 10:40      A2's next visit, booked that day
///   A4  11-16 10:00 P1 no_show  acupuncture  11-10 09:00      booked the day after A3
///   A5  11-03 14:00 P2 done     chuna        11-01 09:00      P2's first visit
///   A6  11-08 14:00 P2 cancelled chuna       11-03 14:40      cancelled: not a rebooking
///   A7  11-09 15:00 P2 done     chuna        11-03 15:00      A5's next visit, booked that day
///   A8  11-05 11:00 P3 no_show  acupuncture  11-01 09:00
///   A9  11-06 11:00 P3 done     chuna        11-05 12:00      P3's first visit
///   A10 11-20 11:00 P3 booked   acupuncture  11-06 23:59:59   booked at the very end of A9's day
///   A11 11-25 09:00 P4 done     acupuncture  11-20 10:00      P4's first visit
///   A12 12-01 10:00 P1 done     acupuncture  11-26 10:00      after the period
pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub store: Store,
    pub manual_kr: i64,
}

fn insert_patient(store: &Store, chart: &str, name: &str, source: &str, referrer: Option<i64>) -> i64 {
    store
        .conn()
        .execute(
            "INSERT INTO patients (chart_no, name, referral_source, referrer_id, created_at)
             VALUES (?1, ?2, ?3, ?4, '2026-10-01T09:00:00')",
            params![chart, name, source, referrer],
        )
        .unwrap();
    store.conn().last_insert_rowid()
}

fn insert_appointment(
    store: &Store,
    patient: i64,
    start: &str,
    status: &str,
    treatment: &str,
    booked: &str,
) -> i64 {
    store
        .conn()
        .execute(
            "INSERT INTO appointments (patient_id, start, duration_min, treatment_code, status, booked_at, updated_at)
             VALUES (?1, ?2, 30, ?3, ?4, ?5, ?5)",
            params![patient, start, treatment, status, booked],
        )
        .unwrap();
    store.conn().last_insert_rowid()
}

pub fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir.path().join("clinic.db"));
    let c = store.conn();
    // The seeded template would add its own objectives; the tests bring theirs.
    c.execute("DELETE FROM objectives", []).unwrap();
    let p1 = insert_patient(&store, "1001", "김민수", "signboard", None);
    let p2 = insert_patient(&store, "1002", "이영희", "referral", Some(p1));
    let p3 = insert_patient(&store, "1003", "박지훈", "internet", None);
    let p4 = insert_patient(&store, "1004", "최유리", "signboard", None);
    insert_appointment(&store, p1, "2026-10-20T10:00:00", "done", "acupuncture", "2026-10-15T10:00:00");
    insert_appointment(&store, p1, "2026-11-02T10:00:00", "done", "chuna", "2026-10-20T10:30:00");
    insert_appointment(&store, p1, "2026-11-09T10:00:00", "done", "acupuncture", "2026-11-02T10:40:00");
    insert_appointment(&store, p1, "2026-11-16T10:00:00", "no_show", "acupuncture", "2026-11-10T09:00:00");
    insert_appointment(&store, p2, "2026-11-03T14:00:00", "done", "chuna", "2026-11-01T09:00:00");
    insert_appointment(&store, p2, "2026-11-08T14:00:00", "cancelled", "chuna", "2026-11-03T14:40:00");
    insert_appointment(&store, p2, "2026-11-09T15:00:00", "done", "chuna", "2026-11-03T15:00:00");
    insert_appointment(&store, p3, "2026-11-05T11:00:00", "no_show", "acupuncture", "2026-11-01T09:00:00");
    insert_appointment(&store, p3, "2026-11-06T11:00:00", "done", "chuna", "2026-11-05T12:00:00");
    insert_appointment(&store, p3, "2026-11-20T11:00:00", "booked", "acupuncture", "2026-11-06T23:59:59");
    let a11 =
        insert_appointment(&store, p4, "2026-11-25T09:00:00", "done", "acupuncture", "2026-11-20T10:00:00");
    insert_appointment(&store, p1, "2026-12-01T10:00:00", "done", "acupuncture", "2026-11-26T10:00:00");

    // Inquiries (received_at, person):
    //   I1 11-01 P3 (visited 11-06, accepted C1 11-06)
    //   I2 11-04 a caller who never became a patient
    //   I3 11-20 no patient_id, but it booked A11 (P4: visited 11-25; C2 undecided)
    //   I4 10-30 P4, before the period
    //   I5 11-10 P1 (no done visit from 11-10 to 11-30: A4 no-show, A12 after; C3 declined)
    //   I6 11-07 P2 (visited 11-09; C4 accepted but on 10-25, before the inquiry)
    let inquiry = |at: &str, caller: &str, patient: Option<i64>, appointment: Option<i64>| {
        c.execute(
            "INSERT INTO inquiries (received_at, caller_name, patient_id, appointment_id, topic_code, referral_source)
             VALUES (?1, ?2, ?3, ?4, 'chuna', 'internet')",
            params![at, caller, patient, appointment],
        )
        .unwrap();
    };
    inquiry("2026-11-01T09:30:00", "박지훈", Some(p3), None);
    inquiry("2026-11-04T10:00:00", "정수진", None, None);
    inquiry("2026-11-20T10:00:00", "최유리", None, Some(a11));
    inquiry("2026-10-30T10:00:00", "최유리", Some(p4), None);
    inquiry("2026-11-10T10:00:00", "김민수", Some(p1), None);
    inquiry("2026-11-07T10:00:00", "이영희", Some(p2), None);

    // Consultations: C1 P3 11-06 accepted, C2 P4 11-25 undecided, C3 P1 11-02 declined,
    // C4 P2 10-25 accepted (before the period).
    let consultation = |patient: i64, at: &str, status: &str| {
        c.execute(
            "INSERT INTO consultations (patient_id, consulted_at, treatment_code, status) VALUES (?1, ?2, 'chuna', ?3)",
            params![patient, at, status],
        )
        .unwrap();
    };
    consultation(p3, "2026-11-06T11:30:00", "accepted");
    consultation(p4, "2026-11-25T09:40:00", "undecided");
    consultation(p1, "2026-11-02T10:30:00", "declined");
    consultation(p2, "2026-10-25T14:30:00", "accepted");

    // Callbacks (due_on, contacts):
    //   CB1 P1 happy_call 11-03, called 11-03 15:00   on time (same day)
    //   CB2 P3 no_show    11-06, called 11-07 10:00   late
    //   CB3 P4 prospect   11-27, never called         not on time
    //   CB4 P2 recall     12-02                       after the period
    //   CB5 P2 reminder   11-08, called 11-05         on time (early)
    let callback = |patient: i64, kind: &str, due: &str, contact: Option<&str>| {
        c.execute(
            "INSERT INTO callbacks (patient_id, kind, due_on, status, created_at) VALUES (?1, ?2, ?3, 'closed', '2026-10-01T09:00:00')",
            params![patient, kind, due],
        )
        .unwrap();
        let id = c.last_insert_rowid();
        if let Some(at) = contact {
            c.execute(
                "INSERT INTO callback_contacts (callback_id, contacted_at, channel) VALUES (?1, ?2, 'phone')",
                params![id, at],
            )
            .unwrap();
        }
    };
    callback(p1, "happy_call", "2026-11-03", Some("2026-11-03T15:00:00"));
    callback(p3, "no_show", "2026-11-06", Some("2026-11-07T10:00:00"));
    callback(p4, "prospect", "2026-11-27", None);
    callback(p2, "recall", "2026-12-02", None);
    callback(p2, "reminder", "2026-11-08", Some("2026-11-05T16:00:00"));

    // Complaints: K1 P1 raised 11-10 resolved 11-15; K2 P2 raised 11-20 open;
    // K3 P3 raised 11-28 resolved 12-03; K4 P4 raised 12-02 open.
    let complaint = |patient: i64, raised: &str, status: &str, resolved: Option<&str>| {
        c.execute(
            "INSERT INTO complaints (patient_id, raised_at, category_code, description, status, resolved_at)
             VALUES (?1, ?2, 'wait_time', '대기 시간이 길었음', ?3, ?4)",
            params![patient, raised, status, resolved],
        )
        .unwrap();
    };
    complaint(p1, "2026-11-10T12:00:00", "resolved", Some("2026-11-15T12:00:00"));
    complaint(p2, "2026-11-20T12:00:00", "open", None);
    complaint(p3, "2026-11-28T12:00:00", "resolved", Some("2026-12-03T12:00:00"));
    complaint(p4, "2026-12-02T12:00:00", "open", None);

    // A manual key result with check-ins on 10-31 (before), 11-10, 11-25 and 12-05 (after).
    c.execute(
        "INSERT INTO objectives (title, from_date, to_date) VALUES ('비급여 매출', '2026-11-01', '2026-11-30')",
        [],
    )
    .unwrap();
    let objective = c.last_insert_rowid();
    c.execute(
        "INSERT INTO key_results (objective_id, title, metric, direction, target, unit)
         VALUES (?1, '비급여 매출 3,000만원', 'manual', 'at_least', 30000000, '원')",
        [objective],
    )
    .unwrap();
    let manual_kr = c.last_insert_rowid();
    for (on, value) in [
        ("2026-10-31", 1_000_000.0),
        ("2026-11-10", 5_000_000.0),
        ("2026-11-25", 12_000_000.0),
        ("2026-12-05", 2e7),
    ] {
        c.execute(
            "INSERT INTO checkins (key_result_id, on_date, value, comment, created_at) VALUES (?1, ?2, ?3, '', ?2)",
            params![manual_kr, on, value],
        )
        .unwrap();
    }
    Fixture { dir, store, manual_kr }
}

fn value(f: &Fixture, metric: &str, from: NaiveDate, to: NaiveDate) -> Option<f64> {
    metrics::value(f.store.conn(), &Metric::parse(metric).unwrap(), Some(f.manual_kr), from, to).unwrap()
}

fn november(f: &Fixture, metric: &str) -> Option<f64> {
    value(f, metric, nov(1), nov(30))
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-9)
}

/// Adds an objective over November with the given key results (metric, direction, target, baseline).
fn add_objective(store: &mut Store, title: &str, krs: &[(&str, &str, Direction, f64, Option<f64>)]) -> i64 {
    use frontdesk::domain::okr::{KeyResultDef, ObjectiveDef};
    let def = ObjectiveDef {
        title: title.into(),
        from: nov(1),
        to: nov(30),
        key_results: krs
            .iter()
            .map(|(title, m, d, t, b)| KeyResultDef {
                title: title.to_string(),
                metric: Metric::parse(m).unwrap(),
                direction: *d,
                target: *t,
                baseline: *b,
                unit: String::new(),
                owner: "데스크".into(),
                cadence: Default::default(),
                actions: vec!["전날 리마인드 전화".into()],
            })
            .collect(),
    };
    store.write(|tx| okr::create_objective(tx, &def)).unwrap()
}

/// The fixture with a board of every colour at 11-23 (worked out in the comments).
fn fixture_with_board() -> Fixture {
    let mut f = fixture();
    add_objective(
        &mut f.store,
        "예약 관리",
        &[
            // 2 ÷ 7 ≈ 0.2857 ≤ 0.30: met.
            ("부도율 30% 이하", "no_show_rate", Direction::AtMost, 0.30, None),
            // 0.6 from a 0.4 baseline toward 0.8: progress 0.5, pace 1: off track.
            ("예약률 80% 이상", "booking_rate", Direction::AtLeast, 0.8, Some(0.4)),
        ],
    );
    add_objective(
        &mut f.store,
        "신환과 문의",
        &[
            // 2 of 3 = 0.6667 against a pace of 19/25 = 0.76: behind (9 points).
            ("신환 3명", "new_patients", Direction::AtLeast, 3.0, None),
            // 5 of 6 = 0.8333 ≥ 0.76: on track.
            ("전화 문의 6건", "inquiries", Direction::AtLeast, 6.0, None),
        ],
    );
    f
}

fn okr_app(f: Fixture, lang: frontdesk::domain::Lang) -> (tempfile::TempDir, frontdesk::app::App) {
    let Fixture { dir, store, .. } = f;
    let app = frontdesk::app::App::new(store, options(lang, frontdesk::app::TabId::Okr)).unwrap();
    (dir, app)
}

#[test]
fn snapshots_of_the_okr_tab() {
    use frontdesk::domain::Lang;
    for lang in [Lang::Ko, Lang::En] {
        let (_dir, app) = okr_app(fixture_with_board(), lang);
        for (w, h) in [(80, 24), (120, 40)] {
            insta::assert_snapshot!(format!("okr_board_{}_{w}x{h}", lang.code()), text(&render(&app, w, h)));
        }
    }
}

fn press(app: &mut frontdesk::app::App, code: crossterm::event::KeyCode) {
    app.on_key(crossterm::event::KeyEvent::from(code));
}

fn type_text(app: &mut frontdesk::app::App, s: &str) {
    for c in s.chars() {
        press(app, crossterm::event::KeyCode::Char(c));
    }
}

fn ctrl_s(app: &mut frontdesk::app::App) {
    app.on_key(crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::Char('s'),
        crossterm::event::KeyModifiers::CONTROL,
    ));
}

/// The screen row holding `needle`, and the cells of that row.
fn row_with<'a>(buf: &'a ratatui::buffer::Buffer, needle: &str) -> Vec<&'a ratatui::buffer::Cell> {
    let screen = text(buf);
    let y =
        screen.lines().position(|l| l.contains(needle)).unwrap_or_else(|| panic!("{needle} not on screen"));
    (0..buf.area.width).map(|x| &buf[(x, y as u16)]).collect()
}

#[test]
fn enter_lists_the_no_shows_behind_the_no_show_rate_and_esc_goes_back() {
    use crossterm::event::KeyCode;
    use frontdesk::domain::Lang;
    for lang in [Lang::Ko, Lang::En] {
        let (_dir, mut app) = okr_app(fixture_with_board(), lang);
        // Rows: 비급여 매출, its key result (selected), 예약 관리, 부도율 ~
        press(&mut app, KeyCode::Down);
        press(&mut app, KeyCode::Down);
        assert_eq!(app.tabs.okr.selected_key_result().unwrap().key_result.title, "부도율 30% 이하");
        press(&mut app, KeyCode::Enter);
        assert!(app.tabs.okr.is_drilling());
        for (w, h) in [(80, 24), (120, 40)] {
            let screen = text(&render(&app, w, h));
            assert!(screen.contains("2026-11-16 10:00") && screen.contains("김민수"), "{screen}");
            assert!(screen.contains("2026-11-05 11:00") && screen.contains("박지훈"), "{screen}");
            assert!(screen.contains(lang.pick("침", "Acupuncture")), "{screen}");
            insta::assert_snapshot!(format!("okr_no_shows_{}_{w}x{h}", lang.code()), screen);
        }
        press(&mut app, KeyCode::Esc);
        assert!(!app.tabs.okr.is_drilling());
        assert!(text(&render(&app, 80, 24)).contains("예약 관리"));
    }
}

#[test]
fn snapshot_of_the_key_result_form() {
    use crossterm::event::KeyCode;
    use frontdesk::domain::Lang;
    for lang in [Lang::Ko, Lang::En] {
        let (_dir, mut app) = okr_app(fixture_with_board(), lang);
        for _ in 0..3 {
            press(&mut app, KeyCode::Down);
        }
        type_text(&mut app, "e");
        for (w, h) in [(80, 24), (120, 40)] {
            let screen = text(&render(&app, w, h));
            // Filled from the key result: rates as percentages, the action items joined by ;.
            assert!(
                screen.contains("80%") && screen.contains("40%") && screen.contains("전날 리마인드 전화"),
                "{screen}"
            );
            insta::assert_snapshot!(format!("okr_edit_key_result_{}_{w}x{h}", lang.code()), screen);
        }
    }
}

#[test]
fn the_booking_rate_drill_down_lists_the_not_rebooked_first_and_opens_their_card() {
    use crossterm::event::KeyCode;
    use frontdesk::domain::Lang;
    for lang in [Lang::Ko, Lang::En] {
        let (_dir, mut app) = okr_app(fixture_with_board(), lang);
        // Rows: 비급여 매출, its key result (selected), 예약 관리, 부도율 ~, 예약률 ~
        for _ in 0..3 {
            press(&mut app, KeyCode::Down);
        }
        assert_eq!(app.tabs.okr.selected_key_result().unwrap().key_result.title, "예약률 80% 이상");
        press(&mut app, KeyCode::Enter);
        assert!(app.tabs.okr.is_drilling());
        let screen = text(&render(&app, 120, 40));
        // Done visits of November through yesterday (11-22): 5, of which 3 rebooked (A2, A5,
        // A9) and 2 not (A7 이영희 11-09 15:00, A3 김민수 11-09 10:00): those come first.
        assert!(
            screen.contains(lang.pick("재예약 안 함 2, 재예약 3", "Not rebooked 2, Rebooked 3")),
            "{screen}"
        );
        let order: Vec<&str> = screen
            .lines()
            .filter(|l| l.contains("2026-11-0"))
            .map(|l| if l.contains(lang.pick("재예약 안 함", "Not rebooked")) { "miss" } else { "hit" })
            .collect();
        assert_eq!(order, ["miss", "miss", "hit", "hit", "hit"], "{screen}");
        let first = screen.lines().find(|l| l.contains("2026-11-0")).unwrap();
        assert!(first.contains("2026-11-09 15:00") && first.contains("이영희"), "{screen}");
        insta::assert_snapshot!(format!("okr_booking_both_sides_{}_120x40", lang.code()), screen);
        // Enter opens the selected person's card (이영희, the first not rebooked).
        press(&mut app, KeyCode::Enter);
        let card = &app.card.as_ref().expect("the patient card is open").card;
        assert_eq!(card.patient.name, "이영희");
        press(&mut app, KeyCode::Esc);
        assert!(app.card.is_none());
        assert!(app.tabs.okr.is_drilling(), "back on the drill-down after the card");
    }
}
