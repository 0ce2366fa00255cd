//! The patient card is a workplace (issue 19 item 5): from the card the desk moves or cancels
//! the next visit, sticks a note, sets stickers, records a complaint, corrects name and phone
//! (audited), ticks the open huddle actions off (and takes a tick back), and sees the open
//! callbacks and packages. Every flow's exits: Esc at each step changes nothing, `u` takes
//! back, another terminal holding the write lock writes nothing and keeps what was typed,
//! another day, and the narrow window.

mod common;
#[path = "card/desk.rs"]
mod desk;
#[path = "card/identity.rs"]
mod identity;
#[path = "card/next_visit.rs"]
mod next_visit;
#[path = "card/notes_and_actions.rs"]
mod notes_and_actions;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use common::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use frontdesk::app::{App, TabId};
use frontdesk::domain::{AppointmentStatus, CallbackKind, Lang, Role, Sex, Tag};
use frontdesk::store::appointments::{NewAppointment, get_appointment, insert_appointment};
use frontdesk::store::callbacks::{NewCallback, open_callback};
use frontdesk::store::huddle::{insert_action, open_actions_for};
use frontdesk::store::patients::{NewPatient, get_patient, insert_patient};
use frontdesk::store::settings::add_staff;

struct Fx {
    hong: i64,
    kim: i64,
    next: i64,
    actions: [i64; 2],
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

fn at_day(d: u32, h: u32, m: u32) -> NaiveDateTime {
    day(d).and_time(NaiveTime::from_hms_opt(h, m, 0).unwrap())
}

/// 홍길동 with a done visit last week, the next one booked on 11-25 10:00 (추나, 김원장), two
/// open huddle actions and an open recall; 김철수 holds 010-2222-3333.
fn fixture(path: &std::path::Path, now: NaiveDateTime) -> Fx {
    let mut store = open_at(path, now);
    store
        .write(|tx| {
            frontdesk::store::settings::set_setting(tx, frontdesk::app::setup::SETUP_DONE, "1")?;
            let director = add_staff(tx, "김원장", Role::Director)?;
            let patient = |tx: &frontdesk::store::Tx<'_>, name: &str, phone: &str| {
                insert_patient(
                    tx,
                    &NewPatient {
                        name: name.into(),
                        phone: phone.into(),
                        sex: Some(Sex::M),
                        ..Default::default()
                    },
                )
            };
            let hong = patient(tx, "홍길동", "010-1234-5678")?;
            let kim = patient(tx, "김철수", "010-2222-3333")?;
            let visit = |tx: &frontdesk::store::Tx<'_>, start| {
                insert_appointment(
                    tx,
                    &NewAppointment {
                        patient_id: hong,
                        start,
                        duration_min: 30,
                        provider_id: Some(director),
                        treatment_code: Some("chuna".into()),
                    },
                )
            };
            let past = visit(tx, at_day(16, 10, 0))?;
            frontdesk::store::appointments::set_status(tx, past, AppointmentStatus::Arrived)?;
            frontdesk::store::appointments::set_status(tx, past, AppointmentStatus::Done)?;
            let next = visit(tx, at_day(25, 10, 0))?;
            let a1 = insert_action(tx, None, hong, "주차권 챙겨 드리기", "데스크")?;
            let a2 = insert_action(tx, None, hong, "보험 서류 안내", "")?;
            open_callback(
                tx,
                &NewCallback {
                    patient_id: Some(hong),
                    inquiry_id: None,
                    kind: CallbackKind::Recall,
                    due_on: day(24),
                    owner_id: None,
                    consultation_id: None,
                    appointment_id: None,
                    note: "허리 통증 경과".into(),
                },
            )?;
            Ok(Fx { hong, kim, next, actions: [a1, a2] })
        })
        .unwrap()
}

fn app_at(dir: &tempfile::TempDir, lang: Lang, now: NaiveDateTime) -> (App, Fx) {
    let path = dir.path().join("clinic.db");
    let fx = fixture(&path, now);
    let mut store = open_at(&path, now);
    store.set_staff("김데스크");
    let mut opts = options(lang, TabId::Today);
    opts.fixed_now = Some(now);
    (App::new(store, opts).unwrap(), fx)
}

fn app(dir: &tempfile::TempDir, lang: Lang) -> (App, Fx) {
    app_at(dir, lang, fixed_now())
}

fn key(app: &mut App, code: KeyCode) {
    app.on_key(KeyEvent::from(code));
}

fn ch(app: &mut App, c: char) {
    key(app, KeyCode::Char(c));
}

fn typed(app: &mut App, s: &str) {
    for c in s.chars() {
        ch(app, c);
    }
}

fn ctrl(app: &mut App, c: char) {
    app.on_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
}

/// Ctrl-F, the name, Enter: the card.
fn open_card(app: &mut App, name: &str) {
    ctrl(app, 'f');
    typed(app, name);
    key(app, KeyCode::Enter);
    assert!(app.card.is_some(), "Enter on the result opens the card");
}

fn screen(app: &App) -> String {
    text(&render(app, 120, 40))
}

fn notice(app: &App) -> String {
    format!("{:?}", app.notice)
}

fn status(app: &App, id: i64) -> AppointmentStatus {
    get_appointment(app.store.conn(), id).unwrap().status
}

fn open_actions(app: &App, patient: i64) -> Vec<i64> {
    open_actions_for(app.store.conn(), patient).unwrap().into_iter().map(|a| a.id).collect()
}

fn audit_count(app: &App, action: &str, entity: &str) -> i64 {
    app.store
        .conn()
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action = ?1 AND entity = ?2",
            [action, entity],
            |r| r.get(0),
        )
        .unwrap()
}

fn notes_of(app: &App, patient: i64) -> Vec<String> {
    frontdesk::store::notes::patient_notes(app.store.conn(), patient, 50)
        .unwrap()
        .into_iter()
        .map(|n| n.body)
        .collect()
}

/// Another terminal holds the write lock until the guard is dropped.
struct Lock(rusqlite::Connection);

fn hold_lock(dir: &tempfile::TempDir) -> Lock {
    let other = rusqlite::Connection::open(dir.path().join("clinic.db")).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    Lock(other)
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = self.0.execute_batch("COMMIT");
    }
}

#[test]
fn the_card_lists_the_next_visit_the_open_actions_and_callbacks_and_its_keys() {
    for lang in [Lang::En, Lang::Ko] {
        let dir = tempfile::tempdir().unwrap();
        let (mut app, _fx) = app(&dir, lang);
        open_card(&mut app, "홍길");
        let s = screen(&app);
        let want = match lang {
            Lang::En => {
                ["Next visit 2026-11-25 10:00", "Huddle actions (2) - x ticks off", "Open callbacks (1)"]
            }
            Lang::Ko => ["다음 예약 2026-11-25 10:00", "회의 조치 (2) - x 완료", "진행 중 리콜 (1)"],
        };
        for w in want {
            assert!(s.contains(w), "{lang:?} {w}:\n{s}");
        }
        assert!(s.contains("1. 주차권 챙겨 드리기 (데스크)") && s.contains("2. 보험 서류 안내"), "{s}");
        assert!(s.contains("2026-11-24") && s.contains("허리 통증 경과"), "due day and reason:\n{s}");
        assert!(s.contains(lang.pick("패키지 (0)", "Packages (0)")), "card_money still draws:\n{s}");
        // The footer names the card's keys (from the keymap), not a list's.
        let footer = s.lines().last().unwrap().to_string();
        for k in ["Esc", "b ", "m ", "c ", "x ", "u ", "p "] {
            assert!(footer.contains(k), "{lang:?} footer has {k:?}: {footer}");
        }
        assert!(footer.contains(lang.pick("다음 예약 옮기기", "Move next visit")), "{footer}");
    }
}

#[test]
fn narrow_window_snapshots_of_the_card_with_its_footer() {
    for lang in [Lang::En, Lang::Ko] {
        let dir = tempfile::tempdir().unwrap();
        let (mut app, _fx) = app(&dir, lang);
        open_card(&mut app, "홍길");
        let s = text(&render(&app, 80, 24));
        for line in s.lines() {
            assert!(frontdesk::domain::text::width(line) <= 80, "{line}");
        }
        let footer = s.lines().last().unwrap();
        assert!(footer.contains("Esc"), "{footer}");
        insta::assert_snapshot!(format!("card_work_{}_80x24", lang.code()), s);
        // The cancel's reason step over the card names the visit's day (not today's).
        ch(&mut app, 'c');
        let s = text(&render(&app, 80, 24));
        assert!(s.contains("11-25 10:00"), "{s}");
        insta::assert_snapshot!(format!("card_work_cancel_{}_80x24", lang.code()), s);
    }
}
