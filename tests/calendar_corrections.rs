//! Issue 19 items 3 (settings part), 4 (referrer look-up) and 6 through the screens: the clinic
//! calendar page in settings (closed days, short days, hourly caps, removal asks first), the
//! referrer field that finds a patient by name, initials, phone or chart number and never
//! picks among several by itself, and correcting a saved inquiry with the book kept consistent.
//! The exits: Esc at each step, another terminal holding the lock, a narrow window.
mod common;
use chrono::NaiveDate;
use common::keys::{ctrl, key, typed};
use common::*;
use crossterm::event::KeyCode;
use frontdesk::app::settings::{CalendarRow, Section};
use frontdesk::app::tabs::Tab;
use frontdesk::app::{App, BookingRequest, TabId};
use frontdesk::domain::{InquiryOutcome, Lang, Role, Sex};
use frontdesk::store::Store;
use frontdesk::store::appointments::{get_appointment, treatment_hourly_cap};
use frontdesk::store::inquiries::{CallOutcome, NewInquiry, inquiry_by_id};
use frontdesk::store::patients::{NewPatient, insert_patient};
use frontdesk::store::settings;

struct Fx {
    hong: i64,
    hong2: i64,
    lee: i64,
}

/// 김원장; 홍길동 (000001), 홍길순 (000002) and 이영희 (000003).
fn fixture(store: &mut Store) -> Fx {
    store
        .write(|tx| {
            settings::add_staff(tx, "김원장", Role::Director)?;
            let p = |name: &str, phone: &str| NewPatient {
                name: name.into(),
                phone: phone.into(),
                sex: Some(Sex::F),
                ..Default::default()
            };
            Ok(Fx {
                hong: insert_patient(tx, &p("홍길동", "010-1234-5678"))?,
                hong2: insert_patient(tx, &p("홍길순", "010-1234-9999"))?,
                lee: insert_patient(tx, &p("이영희", "010-5555-6666"))?,
            })
        })
        .unwrap()
}

fn app_on(dir: &tempfile::TempDir, lang: Lang, tab: TabId) -> (App, Fx) {
    let mut store = open_set_up(&dir.path().join("clinic.db"));
    let fx = fixture(&mut store);
    store.set_staff("김데스크");
    (App::new(store, options(lang, tab)).unwrap(), fx)
}

fn count(app: &App, sql: &str) -> i64 {
    app.store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

// ---- the clinic calendar in settings ----

fn open_calendar(app: &mut App) {
    ctrl(app, 'o');
    // Left from the first section: the audit log, then the calendar.
    key(app, KeyCode::Left);
    key(app, KeyCode::Left);
    assert_eq!(app.settings.as_ref().unwrap().section, Section::Calendar);
}

fn rows(app: &App) -> Vec<CalendarRow> {
    app.settings.as_ref().unwrap().calendar_items()
}

fn select(app: &mut App, want: impl Fn(&CalendarRow) -> bool) {
    let i = rows(app).iter().position(want).expect("the row is listed");
    app.settings.as_mut().unwrap().selected = i;
}

fn d(m: u32, dd: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, dd).unwrap()
}

#[test]
fn settings_calendar_adds_a_closed_day_and_a_short_day_and_sets_a_cap() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _fx) = app_on(&dir, Lang::En, TabId::Today);
    open_calendar(&mut app);
    let screen = text(&render(&app, 80, 24));
    assert!(screen.contains("Calendar") && screen.contains("no cap"), "{screen}");
    // n: a closed day (the kind's default), its date, Ctrl-S.
    key(&mut app, KeyCode::Char('n'));
    assert!(app.settings.as_ref().unwrap().form.is_some());
    // Esc on the untouched form closes it, nothing saved.
    key(&mut app, KeyCode::Esc);
    assert!(app.settings.as_ref().unwrap().form.is_none());
    let writes = count(&app, "SELECT count(*) FROM audit_log");
    key(&mut app, KeyCode::Char('n'));
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "1231");
    ctrl(&mut app, 's');
    assert!(app.settings.as_ref().unwrap().form.is_none());
    let cal = settings::clinic_calendar(app.store.conn()).unwrap();
    assert!(cal.closed_on(d(12, 31)).is_some(), "the clinic is closed on 12-31");
    assert!(count(&app, "SELECT count(*) FROM audit_log") > writes, "audited");
    // A short day: s, the date, hours that do not read are refused on the field, then fixed.
    key(&mut app, KeyCode::Char('n'));
    key(&mut app, KeyCode::Char('s'));
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "1224");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "9-1");
    ctrl(&mut app, 's');
    let form = app.settings.as_ref().unwrap().form.as_ref().expect("the form stays");
    assert!(form.get("hours").error.is_some(), "{:?}", form.message);
    ctrl(&mut app, 'u');
    typed(&mut app, "09:30-13:00");
    ctrl(&mut app, 's');
    assert!(app.settings.as_ref().unwrap().form.is_none());
    assert!(rows(&app).contains(&CalendarRow::Short(d(12, 24), "09:30-13:00".into())), "{:?}", rows(&app));
    let cal = settings::clinic_calendar(app.store.conn()).unwrap();
    assert_eq!(cal.hours_on(d(12, 24)).map(|s| s.text()), Some("09:30-13:00".to_string()));
    // The cap: e on 추나, 0 is out of range, 4 is saved.
    select(&mut app, |r| matches!(r, CalendarRow::Cap { code, .. } if code == "chuna"));
    key(&mut app, KeyCode::Char('e'));
    typed(&mut app, "0");
    ctrl(&mut app, 's');
    assert!(app.settings.as_ref().unwrap().form.as_ref().unwrap().get("cap").error.is_some());
    ctrl(&mut app, 'u');
    typed(&mut app, "4");
    ctrl(&mut app, 's');
    assert_eq!(treatment_hourly_cap(app.store.conn(), "chuna").unwrap().map(|c| c.0), Some(4));
    let screen = text(&render(&app, 80, 24));
    assert!(screen.contains("2026-12-31") && screen.contains("at most 4 an hour"), "{screen}");
    // The short day's hours changed with e.
    select(&mut app, |r| matches!(r, CalendarRow::Short(..)));
    key(&mut app, KeyCode::Enter);
    ctrl(&mut app, 'u');
    typed(&mut app, "09:30-14:00");
    ctrl(&mut app, 's');
    assert!(rows(&app).contains(&CalendarRow::Short(d(12, 24), "09:30-14:00".into())));
}

#[test]
fn settings_calendar_removes_only_after_yes_and_not_while_another_terminal_writes() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _fx) = app_on(&dir, Lang::Ko, TabId::Today);
    frontdesk::desk::booking::add_closure(&mut app.store, d(12, 31)).unwrap();
    frontdesk::desk::booking::set_hourly_cap(&mut app.store, "chuna", Some(3)).unwrap();
    open_calendar(&mut app);
    select(&mut app, |r| matches!(r, CalendarRow::Closure(_)));
    // D asks; n (and Esc) keep it.
    key(&mut app, KeyCode::Char('D'));
    let screen = text(&render(&app, 80, 24));
    assert!(screen.contains("휴진일 2026-12-31을 지울까요?"), "{screen}");
    key(&mut app, KeyCode::Char('n'));
    key(&mut app, KeyCode::Char('D'));
    key(&mut app, KeyCode::Esc);
    assert!(app.settings.is_some(), "Esc answers the question, the screen stays");
    assert!(rows(&app).contains(&CalendarRow::Closure(d(12, 31))));
    // Another terminal holds the lock: nothing removed, the desk is told.
    let other = rusqlite::Connection::open(dir.path().join("clinic.db")).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    key(&mut app, KeyCode::Char('D'));
    key(&mut app, KeyCode::Char('y'));
    assert!(app.settings.as_ref().unwrap().message.as_ref().is_some_and(|(err, _)| *err));
    other.execute_batch("COMMIT").unwrap();
    drop(other);
    assert!(settings::clinic_calendar(app.store.conn()).unwrap().closed_on(d(12, 31)).is_some());
    // Yes removes it.
    key(&mut app, KeyCode::Char('D'));
    key(&mut app, KeyCode::Char('y'));
    assert!(settings::clinic_calendar(app.store.conn()).unwrap().closed_on(d(12, 31)).is_none());
    assert!(!rows(&app).iter().any(|r| matches!(r, CalendarRow::Closure(_))));
    // D on a cap clears it after yes.
    select(&mut app, |r| matches!(r, CalendarRow::Cap { code, .. } if code == "chuna"));
    key(&mut app, KeyCode::Char('D'));
    key(&mut app, KeyCode::Char('y'));
    assert_eq!(treatment_hourly_cap(app.store.conn(), "chuna").unwrap(), None);
    // Esc leaves the settings screen.
    key(&mut app, KeyCode::Esc);
    assert!(app.settings.is_none());
}

// ---- the referrer look-up ----

fn booked_patient(app: &App, name: &str) -> Option<Option<i64>> {
    app.store.conn().query_row("SELECT referrer_id FROM patients WHERE name = ?1", [name], |r| r.get(0)).ok()
}

/// A new patient's booking form with the name, phone, date and time typed, the focus on the
/// referrer field.
fn new_patient_form(app: &mut App, name: &str) {
    app.open_booking(BookingRequest::default());
    let b = app.booking.as_mut().unwrap();
    b.form.get_mut("name").set_value(name);
    b.form.get_mut("phone").set_value("010-7777-0001");
    b.form.get_mut("date").set_value("2026-11-25");
    b.form.get_mut("time").set_value("10:00");
    b.form.focus_on("referrer");
}

#[test]
fn the_booking_referrer_field_finds_by_name_and_waits_for_a_pick_among_several() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = app_on(&dir, Lang::En, TabId::Today);
    new_patient_form(&mut app, "새환자");
    typed(&mut app, "홍길");
    let screen = text(&render(&app, 100, 40));
    assert!(screen.contains("홍길동") && screen.contains("홍길순"), "{screen}");
    assert_eq!(app.booking.as_ref().unwrap().form.picked("referrer_pick"), None, "two match: none picked");
    ctrl(&mut app, 's');
    let b = app.booking.as_ref().expect("not saved");
    assert_eq!(b.form.focused().id, "referrer_pick");
    assert!(b.form.get("referrer_pick").error.as_deref().unwrap_or("").contains("2 patients match"));
    assert_eq!(booked_patient(&app, "새환자"), None);
    // The desk picks the second by its number.
    key(&mut app, KeyCode::Char('2'));
    ctrl(&mut app, 's');
    assert!(app.booking.is_none(), "{:?}", app.booking.as_ref().map(|b| b.form.message.clone()));
    assert_eq!(booked_patient(&app, "새환자"), Some(Some(fx.hong2)));
}

#[test]
fn the_booking_referrer_field_takes_one_match_by_phone_initials_or_chart_and_refuses_none() {
    for (query, who) in [("6666", "lee"), ("ㅇㅇㅎ", "lee"), ("000001", "hong"), ("이영", "lee")] {
        let dir = tempfile::tempdir().unwrap();
        let (mut app, fx) = app_on(&dir, Lang::Ko, TabId::Today);
        new_patient_form(&mut app, "새환자");
        typed(&mut app, query);
        ctrl(&mut app, 's');
        assert!(app.booking.is_none(), "{query}: {:?}", app.booking.as_ref().map(|b| b.form.message.clone()));
        let want = if who == "lee" { fx.lee } else { fx.hong };
        assert_eq!(booked_patient(&app, "새환자"), Some(Some(want)), "{query}");
    }
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _fx) = app_on(&dir, Lang::Ko, TabId::Today);
    new_patient_form(&mut app, "새환자");
    typed(&mut app, "없는사람");
    ctrl(&mut app, 's');
    let b = app.booking.as_ref().expect("nobody matches: not saved");
    assert!(b.form.get("referrer").error.as_deref().unwrap_or("").contains("그런 환자가 없습니다"));
    // Emptied, the booking goes through without a referrer.
    ctrl(&mut app, 'u');
    ctrl(&mut app, 's');
    assert!(app.booking.is_none());
    assert_eq!(booked_patient(&app, "새환자"), Some(None));
}

#[test]
fn the_call_form_referrer_never_picks_the_first_of_several() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = app_on(&dir, Lang::En, TabId::Inquiries);
    key(&mut app, KeyCode::Char('n'));
    typed(&mut app, "문의자");
    {
        let f = app.tabs.inquiries.open_form().cloned().unwrap();
        assert_eq!(f.id, "inquiry");
    }
    // Source: referral, then the referrer search.
    set_pick(&mut app, "source", "referral");
    focus(&mut app, "referrer_q");
    typed(&mut app, "ㅎㄱ");
    let f = app.tabs.inquiries.open_form().unwrap();
    assert_eq!(f.picked("referrer"), None, "two match: none picked");
    ctrl(&mut app, 's');
    assert!(app.tabs.inquiries.open_form().is_some(), "not saved");
    assert_eq!(count(&app, "SELECT count(*) FROM inquiries"), 0);
    key(&mut app, KeyCode::Char('1'));
    ctrl(&mut app, 's');
    assert!(app.tabs.inquiries.open_form().is_none());
    let referrer: Option<i64> =
        app.store.conn().query_row("SELECT referrer_id FROM inquiries", [], |r| r.get(0)).unwrap();
    assert_eq!(referrer, Some(fx.hong));
}

/// Picks a choice in the open tab form (as the pick keys would).
fn set_pick(app: &mut App, id: &str, code: &str) {
    focus(app, id);
    let f = app.tabs.inquiries.open_form().unwrap();
    let frontdesk::app::form::FieldKind::Pick { choices, .. } = &f.get(id).kind else { panic!("{id}") };
    let n = choices.iter().position(|c| c.code == code).unwrap() + 1;
    key(app, KeyCode::Char(char::from_digit(n as u32, 10).unwrap()));
}

/// Moves the focus of the open tab form to a field with Tab / Shift-Tab.
fn focus(app: &mut App, id: &str) {
    for _ in 0..30 {
        let f = app.tabs.inquiries.open_form().unwrap();
        if f.focused().id == id {
            return;
        }
        let here = f.fields.iter().position(|x| x.id == f.focused().id).unwrap();
        let there = f.fields.iter().position(|x| x.id == id).unwrap();
        key(app, if there > here { KeyCode::Tab } else { KeyCode::BackTab });
    }
    panic!("could not reach {id}");
}

// ---- correcting an inquiry ----

fn log_booked_call(app: &mut App) -> (i64, i64) {
    let logged = frontdesk::desk::inquiries::log_call(
        &mut app.store,
        &NewInquiry {
            received_at: at(2026, 11, 23, 9, 0),
            caller_name: "문의자".into(),
            phone: frontdesk::domain::phone::Phone::parse("010-4000-0001").ok(),
            patient_id: None,
            topic: Some("chuna".into()),
            questions: vec![],
            referral_source: None,
            referral_channel: None,
            referrer_id: None,
            note: String::new(),
            outcome: CallOutcome::Booked(Some(at(2026, 11, 24, 10, 0))),
        },
    )
    .unwrap();
    (logged.inquiry_id, logged.appointment_id.unwrap())
}

fn outcome(app: &App, id: i64) -> InquiryOutcome {
    inquiry_by_id(app.store.conn(), id).unwrap().unwrap().outcome
}

#[test]
fn correcting_a_wrong_booked_call_cancels_its_booking_and_booked_again_opens_the_booking_form() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _fx) = app_on(&dir, Lang::En, TabId::Today);
    let (inq, appt) = log_booked_call(&mut app);
    app.on_command(frontdesk::app::keymap::Command::GoTab(3));
    // c opens the call's fields filled in; Esc on the untouched form closes it.
    key(&mut app, KeyCode::Char('c'));
    {
        let f = app.tabs.inquiries.open_form().expect("the correction form");
        assert_eq!(f.id, "inquiry_correct");
        assert_eq!(f.text("caller"), "문의자");
        assert_eq!(f.picked("topic").as_deref(), Some("chuna"));
        assert_eq!(f.picked("outcome").as_deref(), Some("booked"));
    }
    let screen = text(&render(&app, 80, 24));
    assert!(screen.contains("Correct a call - 문의자"), "{screen}");
    key(&mut app, KeyCode::Esc);
    assert!(app.tabs.inquiries.open_form().is_none());
    // Information only, with a note: the booking made with the call is cancelled.
    key(&mut app, KeyCode::Char('c'));
    focus(&mut app, "note");
    typed(&mut app, "price only");
    set_pick(&mut app, "outcome", "info");
    // Esc on a changed form asks; n keeps it.
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('n'));
    assert!(app.tabs.inquiries.open_form().is_some());
    ctrl(&mut app, 's');
    assert!(app.tabs.inquiries.open_form().is_none());
    assert_eq!(outcome(&app, inq), InquiryOutcome::Info);
    assert_eq!(get_appointment(app.store.conn(), appt).unwrap().status.code(), "cancelled");
    assert_eq!(inquiry_by_id(app.store.conn(), inq).unwrap().unwrap().note, "price only");
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("booking made with it is cancelled"), "{screen}");
    assert_eq!(
        count(&app, "SELECT count(*) FROM audit_log WHERE action = 'correct' AND entity = 'inquiry'"),
        1
    );
    // Booked again: the booking form opens for the caller; Esc leaves them in the queue.
    key(&mut app, KeyCode::Char('c'));
    set_pick(&mut app, "outcome", "booked");
    ctrl(&mut app, 's');
    assert!(app.booking.is_some(), "the booking form opens");
    assert_eq!(outcome(&app, inq), InquiryOutcome::Callback, "never booked without an appointment");
    key(&mut app, KeyCode::Esc);
    assert!(app.booking.is_none());
    assert_eq!(count(&app, "SELECT count(*) FROM callbacks WHERE status = 'open'"), 1);
    // Again, and booked this time: the call is booked and its callback closed.
    key(&mut app, KeyCode::Char('c'));
    set_pick(&mut app, "outcome", "booked");
    ctrl(&mut app, 's');
    let b = app.booking.as_ref().unwrap();
    assert_eq!(b.request.inquiry_id, Some(inq));
    assert!(b.request.callback_id.is_some());
    typed(&mut app, "1125 1000");
    ctrl(&mut app, 's');
    assert!(app.booking.is_none(), "{:?}", app.booking.as_ref().map(|b| b.form.message.clone()));
    assert_eq!(outcome(&app, inq), InquiryOutcome::Booked);
    assert_eq!(count(&app, "SELECT count(*) FROM callbacks WHERE status = 'open'"), 0);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM appointments WHERE status = 'booked' AND start = '2026-11-25T10:00:00'"
        ),
        1
    );
}

#[test]
fn a_correction_is_refused_after_the_visit_and_kept_while_another_terminal_writes() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _fx) = app_on(&dir, Lang::Ko, TabId::Inquiries);
    let (inq, appt) = log_booked_call(&mut app);
    app.on_command(frontdesk::app::keymap::Command::GoTab(3));
    // Another terminal holds the lock: nothing changes, what was typed stays.
    key(&mut app, KeyCode::Char('c'));
    focus(&mut app, "note");
    typed(&mut app, "메모");
    let other = rusqlite::Connection::open(dir.path().join("clinic.db")).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    ctrl(&mut app, 's');
    let f = app.tabs.inquiries.open_form().expect("the form stays");
    assert!(f.message.is_some());
    assert_eq!(f.text("note"), "메모");
    other.execute_batch("COMMIT").unwrap();
    drop(other);
    assert_eq!(inquiry_by_id(app.store.conn(), inq).unwrap().unwrap().note, "");
    ctrl(&mut app, 's');
    assert!(app.tabs.inquiries.open_form().is_none());
    assert_eq!(inquiry_by_id(app.store.conn(), inq).unwrap().unwrap().note, "메모");
    assert_eq!(outcome(&app, inq), InquiryOutcome::Booked, "booked stays booked");
    // The visit happened: correcting to information only is refused, the form says why.
    app.store.conn().execute("UPDATE appointments SET status = 'arrived' WHERE id = ?1", [appt]).unwrap();
    key(&mut app, KeyCode::Char('c'));
    set_pick(&mut app, "outcome", "info");
    ctrl(&mut app, 's');
    let f = app.tabs.inquiries.open_form().expect("refused: the form stays");
    assert!(f.message.is_some());
    assert_eq!(outcome(&app, inq), InquiryOutcome::Booked);
    assert_eq!(get_appointment(app.store.conn(), appt).unwrap().status.code(), "arrived");
}

#[test]
fn a_closed_day_added_in_settings_warns_the_booking_on_that_day() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = app_on(&dir, Lang::En, TabId::Today);
    open_calendar(&mut app);
    key(&mut app, KeyCode::Char('n'));
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "1125");
    ctrl(&mut app, 's');
    key(&mut app, KeyCode::Esc);
    assert!(app.settings.is_none());
    app.open_booking(BookingRequest { patient_id: Some(fx.lee), ..Default::default() });
    typed(&mut app, "1125 1430");
    ctrl(&mut app, 's');
    let b = app.booking.as_ref().expect("warned first");
    assert!(
        b.form.message.as_deref().unwrap_or("").to_lowercase().contains("closed"),
        "{:?}",
        b.form.message
    );
    assert_eq!(count(&app, "SELECT count(*) FROM appointments"), 0);
    // Esc leaves it unbooked.
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('y'));
    assert!(app.booking.is_none());
    assert_eq!(count(&app, "SELECT count(*) FROM appointments"), 0);
}

#[test]
fn a_correction_to_a_call_back_on_a_past_day_is_refused_on_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _fx) = app_on(&dir, Lang::En, TabId::Inquiries);
    let (inq, _appt) = log_booked_call(&mut app);
    app.on_command(frontdesk::app::keymap::Command::GoTab(3));
    key(&mut app, KeyCode::Char('c'));
    set_pick(&mut app, "outcome", "callback");
    focus(&mut app, "callback_on");
    typed(&mut app, "1120");
    ctrl(&mut app, 's');
    let f = app.tabs.inquiries.open_form().expect("refused: the form stays");
    assert!(f.get("callback_on").error.is_some());
    assert_eq!(outcome(&app, inq), InquiryOutcome::Booked);
    ctrl(&mut app, 'u');
    typed(&mut app, "1127");
    ctrl(&mut app, 's');
    assert!(app.tabs.inquiries.open_form().is_none());
    assert_eq!(outcome(&app, inq), InquiryOutcome::Callback);
    assert_eq!(
        count(&app, "SELECT count(*) FROM callbacks WHERE status = 'open' AND due_on = '2026-11-27'"),
        1
    );
    assert_eq!(count(&app, "SELECT count(*) FROM appointments WHERE status = 'cancelled'"), 1);
}

#[test]
fn settings_calendar_lists_the_coming_public_holidays_read_only() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _fx) = app_on(&dir, Lang::En, TabId::Today);
    open_calendar(&mut app);
    select(&mut app, |r| matches!(r, CalendarRow::Holiday(day, ..) if *day == d(12, 25)));
    let screen = text(&render(&app, 80, 24));
    assert!(screen.contains("D remove (asks)"), "the page's own keys in the footer: {screen}");
    let writes = count(&app, "SELECT count(*) FROM audit_log");
    key(&mut app, KeyCode::Char('D'));
    key(&mut app, KeyCode::Char('y'));
    key(&mut app, KeyCode::Char('e'));
    let s = app.settings.as_ref().unwrap();
    assert!(s.form.is_none());
    assert!(s.message.as_ref().is_some_and(|(err, m)| *err && m.contains("built in")), "{:?}", s.message);
    assert_eq!(count(&app, "SELECT count(*) FROM audit_log"), writes, "nothing written");
    let screen = text(&render(&app, 80, 24));
    assert!(screen.contains("2026-12-25"), "{screen}");
}
