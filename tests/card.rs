//! The patient card is a workplace (issue 19 item 5): from the card the desk moves or cancels
//! the next visit, sticks a note, sets stickers, records a complaint, corrects name and phone
//! (audited), ticks the open huddle actions off (and takes a tick back), and sees the open
//! callbacks and packages. Every flow's exits: Esc at each step changes nothing, `u` takes
//! back, another terminal holding the write lock writes nothing and keeps what was typed,
//! another day, and the narrow window.

mod common;

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

#[test]
fn a_huddle_action_is_ticked_from_the_card_and_u_takes_the_tick_back() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = app(&dir, Lang::En);
    open_card(&mut app, "홍길");
    // Two open: x asks which; Esc (any key but a listed number) leaves, changing nothing.
    ch(&mut app, 'x');
    assert!(notice(&app).contains("Which action?"), "{}", notice(&app));
    key(&mut app, KeyCode::Esc);
    assert!(app.card.is_some(), "Esc leaves the question, not the card");
    ch(&mut app, '7');
    assert_eq!(open_actions(&app, fx.hong), fx.actions.to_vec());
    // x 2 ticks the second off, audited; the card shows one left.
    ch(&mut app, 'x');
    ch(&mut app, '2');
    assert_eq!(open_actions(&app, fx.hong), vec![fx.actions[0]]);
    assert!(notice(&app).contains("Action ticked off: 보험 서류 안내 (u undoes)"), "{}", notice(&app));
    assert!(screen(&app).contains("Huddle actions (1)"), "{}", screen(&app));
    // u opens it again (audited too).
    ch(&mut app, 'u');
    assert_eq!(open_actions(&app, fx.hong), fx.actions.to_vec());
    assert_eq!(audit_count(&app, "update", "huddle_action"), 2, "the tick and its undo");
    let reopened: String = app
        .store
        .conn()
        .query_row(
            "SELECT detail FROM audit_log WHERE entity = 'huddle_action' ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(reopened, "reopened");
    // Nothing more to take back.
    ch(&mut app, 'u');
    assert!(notice(&app).contains("Nothing done on this card to undo"), "{}", notice(&app));
    // With one left, x ticks it at once (한글 mode: ㅌ).
    frontdesk::desk::huddle::tick_action(&mut app.store, fx.actions[1]).unwrap();
    app.sync_with_store();
    ch(&mut app, 'ㅌ');
    assert!(open_actions(&app, fx.hong).is_empty());
    ch(&mut app, 'x');
    assert!(notice(&app).contains("No open huddle action"), "{}", notice(&app));
}

#[test]
fn a_tick_while_another_terminal_holds_the_lock_writes_nothing_and_works_once_it_is_gone() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = app(&dir, Lang::En);
    open_card(&mut app, "홍길");
    let lock = hold_lock(&dir);
    ch(&mut app, 'x');
    ch(&mut app, '1');
    assert!(matches!(app.notice, Some(frontdesk::app::Notice::Error(_))), "{}", notice(&app));
    drop(lock);
    assert_eq!(open_actions(&app, fx.hong), fx.actions.to_vec(), "nothing half-written");
    assert!(app.card.is_some());
    ch(&mut app, 'x');
    ch(&mut app, '1');
    assert_eq!(open_actions(&app, fx.hong), vec![fx.actions[1]]);
    // The undo under the lock is kept for later.
    let lock = hold_lock(&dir);
    ch(&mut app, 'u');
    drop(lock);
    assert_eq!(open_actions(&app, fx.hong), vec![fx.actions[1]]);
    ch(&mut app, 'u');
    assert_eq!(open_actions(&app, fx.hong), fx.actions.to_vec(), "u again once the lock is gone");
}

#[test]
fn cancel_the_next_visit_asks_the_reason_then_rebook_and_u_on_the_card_undoes_it() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = app(&dir, Lang::En);
    open_card(&mut app, "홍길");
    // Esc on the reason form: nothing changes, the card stays.
    ch(&mut app, 'c');
    assert!(screen(&app).contains("Cancel - 홍길동"), "{}", screen(&app));
    key(&mut app, KeyCode::Esc);
    assert!(app.card.is_some());
    ch(&mut app, 'c');
    ch(&mut app, '1');
    key(&mut app, KeyCode::Esc);
    assert_eq!(status(&app, fx.next), AppointmentStatus::Booked, "Esc after picking a reason");
    // The reason saved: cancelled, then "rebook now?"; Esc is not now.
    ch(&mut app, 'c');
    ch(&mut app, '1');
    ctrl(&mut app, 's');
    assert_eq!(status(&app, fx.next), AppointmentStatus::Cancelled);
    assert!(screen(&app).contains("Rebook now?"), "{}", screen(&app));
    key(&mut app, KeyCode::Esc);
    assert!(notice(&app).contains("(u undoes, here or on Today)"), "{}", notice(&app));
    assert!(screen(&app).contains("No next visit booked (b books)"), "the card follows:\n{}", screen(&app));
    // u on the card: booked again.
    ch(&mut app, 'u');
    assert_eq!(status(&app, fx.next), AppointmentStatus::Booked);
    assert!(screen(&app).contains("Next visit 2026-11-25 10:00"), "{}", screen(&app));
    // Cancel again and say yes to rebooking: the booking opens with the patient.
    ch(&mut app, 'c');
    ch(&mut app, '1');
    ctrl(&mut app, 's');
    ch(&mut app, 'y');
    let b = app.booking.as_ref().expect("rebook opens the booking");
    assert_eq!(b.request.patient_id, Some(fx.hong));
    assert_eq!(status(&app, fx.next), AppointmentStatus::Cancelled);
    // Today's u takes that one back (the card is closed under the booking).
    key(&mut app, KeyCode::Esc);
    assert!(app.booking.is_none());
    frontdesk::desk::appointments::undo(&mut app.store, fx.next).unwrap();
    assert_eq!(status(&app, fx.next), AppointmentStatus::Booked);
}

#[test]
fn cancel_while_another_terminal_holds_the_lock_keeps_the_reason_and_saves_after() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = app(&dir, Lang::En);
    open_card(&mut app, "홍길");
    ch(&mut app, 'c');
    ch(&mut app, '2');
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "출장");
    let lock = hold_lock(&dir);
    ctrl(&mut app, 's');
    assert_eq!(status(&app, fx.next), AppointmentStatus::Booked, "nothing written");
    assert!(screen(&app).contains("출장"), "the reason stays as typed:\n{}", screen(&app));
    drop(lock);
    ctrl(&mut app, 's');
    assert_eq!(status(&app, fx.next), AppointmentStatus::Cancelled);
    let note: String = app
        .store
        .conn()
        .query_row(
            "SELECT note FROM appointment_status_changes WHERE appointment_id = ?1 ORDER BY id DESC LIMIT 1",
            [fx.next],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(note, "출장");
}

#[test]
fn move_opens_the_booking_in_move_mode_for_the_next_visit() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = app(&dir, Lang::En);
    open_card(&mut app, "홍길");
    ch(&mut app, 'm');
    let b = app.booking.as_mut().expect("m opens the booking");
    assert_eq!(b.request.appointment_id, Some(fx.next));
    assert_eq!(b.form.get("time").value, "10:00");
    // Esc on the untouched form: nothing moves.
    key(&mut app, KeyCode::Esc);
    assert!(app.booking.is_none());
    assert_eq!(get_appointment(app.store.conn(), fx.next).unwrap().start, at_day(25, 10, 0));
    open_card(&mut app, "홍길");
    ch(&mut app, 'm');
    app.booking.as_mut().unwrap().form.get_mut("time").set_value("14:30");
    ctrl(&mut app, 's');
    assert!(app.booking.is_none(), "{:?}", app.booking.as_ref().map(|b| b.form.message.clone()));
    let a = get_appointment(app.store.conn(), fx.next).unwrap();
    assert_eq!((a.start, a.status), (at_day(25, 14, 30), AppointmentStatus::Booked), "the same visit, moved");
}

#[test]
fn on_another_day_the_next_visit_is_the_one_still_ahead() {
    // After 11-25: no next visit; m and c say so and change nothing.
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = app_at(&dir, Lang::En, at_day(26, 9, 0));
    open_card(&mut app, "홍길");
    assert!(screen(&app).contains("No next visit booked (b books)"), "{}", screen(&app));
    ch(&mut app, 'c');
    assert!(notice(&app).contains("No next visit booked"), "{}", notice(&app));
    ch(&mut app, 'm');
    assert!(app.booking.is_none());
    assert_eq!(status(&app, fx.next), AppointmentStatus::Booked);

    // On the day itself, after its time (late, still booked): it is still the next visit,
    // and it can be cancelled.
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = app_at(&dir, Lang::En, at_day(25, 11, 0));
    open_card(&mut app, "홍길");
    assert!(screen(&app).contains("Next visit 2026-11-25 10:00"), "{}", screen(&app));
    ch(&mut app, 'c');
    ch(&mut app, '1');
    ctrl(&mut app, 's');
    assert_eq!(status(&app, fx.next), AppointmentStatus::Cancelled);
    key(&mut app, KeyCode::Esc);
    ch(&mut app, 'u');
    assert_eq!(status(&app, fx.next), AppointmentStatus::Booked);
}

#[test]
fn note_stickers_and_complaint_from_the_card_with_esc_changing_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = app(&dir, Lang::En);
    open_card(&mut app, "홍길");
    // Note: typed then Esc asks; yes discards, nothing written.
    ch(&mut app, 'p');
    typed(&mut app, "조용한 방 선호");
    key(&mut app, KeyCode::Esc);
    ch(&mut app, 'y');
    assert!(app.card.as_ref().unwrap().work.step.is_none());
    assert!(notes_of(&app, fx.hong).is_empty());
    // Saved: on the card at once.
    ch(&mut app, 'p');
    typed(&mut app, "조용한 방 선호");
    ctrl(&mut app, 's');
    assert_eq!(notes_of(&app, fx.hong), vec!["조용한 방 선호".to_string()]);
    assert!(screen(&app).contains("Notes (1)"), "{}", screen(&app));
    // Stickers: Esc on the untouched form closes it.
    ch(&mut app, 't');
    key(&mut app, KeyCode::Esc);
    assert!(frontdesk::store::tags::patient_tags(app.store.conn(), fx.hong).unwrap().is_empty());
    ch(&mut app, 't');
    typed(&mut app, "ps");
    ctrl(&mut app, 's');
    assert_eq!(
        frontdesk::store::tags::patient_tags(app.store.conn(), fx.hong).unwrap(),
        vec![Tag::Prospect, Tag::Satisfied]
    );
    // Complaint: the category is required; saved once given.
    ch(&mut app, '!');
    ctrl(&mut app, 's');
    assert!(app.card.as_ref().unwrap().work.step.is_some(), "a required field keeps the form open");
    ch(&mut app, '1');
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "대기 40분");
    ctrl(&mut app, 's');
    assert!(screen(&app).contains("Complaints (1)"), "{}", screen(&app));
    assert!(screen(&app).contains("대기 40분"), "{}", screen(&app));
}

#[test]
fn a_note_saved_while_another_terminal_holds_the_lock_keeps_what_was_typed() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = app(&dir, Lang::En);
    open_card(&mut app, "홍길");
    ch(&mut app, 'p');
    typed(&mut app, "주차 문의");
    let lock = hold_lock(&dir);
    ctrl(&mut app, 's');
    assert!(notes_of(&app, fx.hong).is_empty(), "nothing half-written");
    assert!(app.card.as_ref().unwrap().work.step.is_some(), "the form stays open");
    assert!(screen(&app).contains("주차 문의"), "{}", screen(&app));
    drop(lock);
    ctrl(&mut app, 's');
    assert_eq!(notes_of(&app, fx.hong), vec!["주차 문의".to_string()]);
}

#[test]
fn name_and_phone_are_corrected_audited_and_a_phone_on_file_warns_first() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = app(&dir, Lang::En);
    open_card(&mut app, "홍길");
    // Esc: nothing.
    ch(&mut app, 'e');
    key(&mut app, KeyCode::Esc);
    assert!(app.card.as_ref().unwrap().work.step.is_none());
    // A phone that does not read: the field says why, nothing saved.
    ch(&mut app, 'e');
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "12");
    ctrl(&mut app, 's');
    assert!(app.card.as_ref().unwrap().work.step.is_some());
    assert_eq!(get_patient(app.store.conn(), fx.hong).unwrap().phone, "010-1234-5678");
    // 김철수's phone: warned once, saved on the second Ctrl-S.
    ctrl(&mut app, 'u');
    typed(&mut app, "01022223333");
    ctrl(&mut app, 's');
    assert!(screen(&app).contains("This number is already 김철수's (000002)"), "{}", screen(&app));
    assert_eq!(get_patient(app.store.conn(), fx.hong).unwrap().phone, "010-1234-5678");
    // Back to a number of its own, and a new name.
    ctrl(&mut app, 'u');
    typed(&mut app, "010-9999-0000");
    key(&mut app, KeyCode::BackTab);
    ctrl(&mut app, 'u');
    typed(&mut app, "홍길순");
    ctrl(&mut app, 's');
    let p = get_patient(app.store.conn(), fx.hong).unwrap();
    assert_eq!((p.name.as_str(), p.phone.as_str()), ("홍길순", "010-9999-0000"));
    assert!(notice(&app).contains("Corrected the name, phone (audited)"), "{}", notice(&app));
    let detail: String = app
        .store
        .conn()
        .query_row("SELECT detail FROM audit_log WHERE action = 'correct' AND entity = 'patient'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(detail, "name 홍길동 -> 홍길순, phone 010-1234-5678 -> 010-9999-0000");
    assert!(screen(&app).contains("홍길순"), "{}", screen(&app));
    // Search finds the new name and the new phone's last four digits.
    key(&mut app, KeyCode::Esc);
    open_card(&mut app, "0000");
    assert_eq!(app.card.as_ref().unwrap().card.patient.id, fx.hong);
    // A duplicate accepted: the second Ctrl-S saves it.
    ch(&mut app, 'e');
    key(&mut app, KeyCode::Tab);
    ctrl(&mut app, 'u');
    typed(&mut app, "010-2222-3333");
    ctrl(&mut app, 's');
    ctrl(&mut app, 's');
    assert_eq!(get_patient(app.store.conn(), fx.hong).unwrap().phone, "010-2222-3333");
    assert_eq!(get_patient(app.store.conn(), fx.kim).unwrap().phone, "010-2222-3333");
    assert_eq!(audit_count(&app, "correct", "patient"), 2);
}

#[test]
fn an_identity_correction_under_the_lock_keeps_the_form_and_masking_still_applies() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = app(&dir, Lang::En);
    open_card(&mut app, "홍길");
    ch(&mut app, 'e');
    ctrl(&mut app, 'u');
    typed(&mut app, "홍길순");
    let lock = hold_lock(&dir);
    ctrl(&mut app, 's');
    assert_eq!(get_patient(app.store.conn(), fx.hong).unwrap().name, "홍길동", "nothing written");
    assert!(screen(&app).contains("홍길순"), "kept as typed:\n{}", screen(&app));
    drop(lock);
    ctrl(&mut app, 's');
    assert_eq!(get_patient(app.store.conn(), fx.hong).unwrap().name, "홍길순");

    // A masked screen: the form shows masked values as hints, empty fields keep theirs, and
    // the card shows the corrected name masked.
    let path = dir.path().join("clinic.db");
    let mut store = open(&path);
    store.set_staff("김데스크");
    let mut opts = options(Lang::En, TabId::Today);
    opts.mask = true;
    let mut masked = App::new(store, opts).unwrap();
    masked.open_card(fx.hong);
    ch(&mut masked, 'e');
    let s = screen(&masked);
    assert!(!s.contains("홍길순") && !s.contains("010-1234-5678"), "{s}");
    key(&mut masked, KeyCode::Tab);
    typed(&mut masked, "010-7777-8888");
    ctrl(&mut masked, 's');
    let p = get_patient(masked.store.conn(), fx.hong).unwrap();
    assert_eq!((p.name.as_str(), p.phone.as_str()), ("홍길순", "010-7777-8888"));
    let s = screen(&masked);
    assert!(!s.contains("홍길순") && !s.contains("010-7777-8888"), "{s}");
}

#[test]
fn the_card_follows_a_change_made_in_another_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = app(&dir, Lang::En);
    open_card(&mut app, "홍길");
    let mut other = open(&dir.path().join("clinic.db"));
    other.set_staff("박데스크");
    frontdesk::desk::huddle::tick_action(&mut other, fx.actions[0]).unwrap();
    app.sync_with_store();
    assert!(screen(&app).contains("Huddle actions (1)"), "{}", screen(&app));
}

#[test]
fn the_desk_functions_refuse_by_field_warn_of_a_phone_on_file_and_take_a_tick_back() {
    use frontdesk::desk::patients::{Corrected, correct_identity};
    use frontdesk::desk::{DeskError, Why};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.db");
    let fx = fixture(&path, fixed_now());
    let mut store = open(&path);
    store.set_staff("김데스크");
    let refused = |r: frontdesk::desk::Result<Corrected>| match r {
        Err(DeskError::Field { field, why }) => (field, why),
        other => panic!("{other:?}"),
    };
    assert_eq!(refused(correct_identity(&mut store, fx.hong, "  ", "", false)), ("name", Why::NameEmpty));
    assert!(matches!(
        refused(correct_identity(&mut store, fx.hong, "홍길동", "12", false)),
        ("phone", Why::Phone(_))
    ));
    match correct_identity(&mut store, fx.hong, "홍길동", "010 2222 3333", false).unwrap() {
        Corrected::SamePhone(others) => {
            assert_eq!(others.iter().map(|p| p.id).collect::<Vec<_>>(), vec![fx.kim])
        }
        other => panic!("{other:?}"),
    }
    // Its own number is no duplicate; nothing changed writes nothing.
    assert_eq!(
        correct_identity(&mut store, fx.hong, "홍길동", "010-1234-5678", false).unwrap(),
        Corrected::Saved(vec![])
    );
    assert_eq!(
        correct_identity(&mut store, fx.hong, "홍길동", "", false).unwrap(),
        Corrected::Saved(vec!["phone"]),
        "a phone may be removed"
    );
    let count: i64 = store
        .conn()
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action = 'correct' AND entity = 'patient'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(count, 1, "one audit row per correction that changed something");
    // The tick's undo: refused on an action not ticked; opens a ticked one.
    assert!(frontdesk::desk::huddle::untick_action(&mut store, fx.actions[0]).is_err());
    frontdesk::desk::huddle::tick_action(&mut store, fx.actions[0]).unwrap();
    frontdesk::desk::huddle::untick_action(&mut store, fx.actions[0]).unwrap();
    assert_eq!(open_actions_for(store.conn(), fx.hong).unwrap().len(), 2);
}

#[test]
fn the_shared_screen_masks_a_corrected_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.db");
    let fx = fixture(&path, fixed_now());
    let mut store = open(&path);
    store.set_staff("김데스크");
    frontdesk::desk::patients::record_complaint(
        &mut store,
        &frontdesk::store::complaints::NewComplaint {
            patient_id: fx.hong,
            raised_at: fixed_now(),
            category_code: "wait_time".into(),
            description: "대기".into(),
            owner_id: None,
            plan: String::new(),
        },
    )
    .unwrap();
    frontdesk::desk::patients::correct_identity(&mut store, fx.hong, "홍길순", "010-1234-5678", false)
        .unwrap();
    let mut opts = options(Lang::En, TabId::Huddle);
    opts.presentation = true;
    opts.mask = true;
    let shared = App::new(store, opts).unwrap();
    let s = text(&render(&shared, 120, 40));
    assert!(!s.contains("홍길순"), "{s}");
    assert!(s.contains(&frontdesk::domain::mask::mask_name("홍길순")), "the action's patient, masked:\n{s}");
}

#[test]
fn ctrl_c_with_a_note_typed_on_the_card_asks_before_quitting() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = app(&dir, Lang::En);
    open_card(&mut app, "홍길");
    ch(&mut app, 'p');
    typed(&mut app, "주차");
    ctrl(&mut app, 'c');
    assert!(!app.quit, "asks first");
    assert!(notice(&app).contains("Post-it note - 홍길동"), "{}", notice(&app));
    // n: back to the note, as typed.
    ch(&mut app, 'n');
    ctrl(&mut app, 's');
    assert_eq!(notes_of(&app, fx.hong), vec!["주차".to_string()]);
}
