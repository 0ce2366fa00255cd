//! Multi-step flows end whole or not at all (issue 14, item 3): "booked" only with its
//! appointment, Esc on the booking form keeps the caller in the queue, undo withdraws the
//! calls it queued, the consultation's recall date is the prospect's due date, no
//! arrived/done/no-show after today, and Today follows the date past midnight.

mod common;

use chrono::{Duration, NaiveDateTime};
use common::{at, fixed_now, open_set_up, options, render, text};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use frontdesk::app::layers::Layer;
use frontdesk::app::{App, Notice, TabId};
use frontdesk::desk::callbacks::record_consultation_in as record_consultation;
use frontdesk::domain::{AppointmentStatus, ConsultationStatus, Lang};
use frontdesk::store::Store;
use frontdesk::store::appointments::{self, NewAppointment, insert_appointment};
use frontdesk::store::callbacks::{NewCallback, open_callback};
use frontdesk::store::consultations::NewConsultation;
use frontdesk::store::patients::{NewPatient, insert_patient};

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

fn type_text(app: &mut App, s: &str) {
    for c in s.chars() {
        app.on_key(key(KeyCode::Char(c)));
    }
}

/// Tabs to a field of the open form.
fn focus(app: &mut App, id: &str) {
    for _ in 0..24 {
        if app.open_form().unwrap().focused().id == id {
            return;
        }
        app.on_key(key(KeyCode::Tab));
    }
    panic!("no field {id}");
}

fn patient(store: &mut Store, name: &str, phone: &str) -> i64 {
    store
        .write(|tx| {
            insert_patient(tx, &NewPatient { name: name.into(), phone: phone.into(), ..Default::default() })
        })
        .unwrap()
}

fn appointment(store: &mut Store, patient_id: i64, start: NaiveDateTime, treatment: &str) -> i64 {
    store
        .write(|tx| {
            insert_appointment(
                tx,
                &NewAppointment {
                    patient_id,
                    start,
                    duration_min: 30,
                    provider_id: None,
                    treatment_code: Some(treatment.into()),
                },
            )
        })
        .unwrap()
}

fn one(store: &Store, sql: &str) -> String {
    store.conn().query_row(sql, [], |r| r.get::<_, String>(0)).unwrap()
}

fn notice(app: &App) -> String {
    match &app.notice {
        Some(Notice::Info(m)) | Some(Notice::Error(m)) => m.clone(),
        None => String::new(),
    }
}

/// Logs a call "booked, no time yet" from the Inquiries tab: the booking form opens.
fn call_booked_without_time(app: &mut App) {
    app.on_key(key(KeyCode::Char('n')));
    type_text(app, "서지원");
    focus(app, "phone");
    type_text(app, "010-5555-1234");
    focus(app, "outcome");
    app.on_key(key(KeyCode::Char('b')));
    focus(app, "book_date");
    type_text(app, "+1");
    app.on_key(ctrl('s'));
    assert!(app.booking.is_some(), "the booking form takes over");
}

#[test]
fn an_inquiry_booked_then_esc_on_the_booking_form_stays_a_callback_and_saving_books_it_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let mut app = App::new(open_set_up(&path), options(Lang::En, TabId::Inquiries)).unwrap();
    call_booked_without_time(&mut app);
    // Esc on the unchanged booking form: closed, and the desk is told where the caller is.
    app.on_key(key(KeyCode::Esc));
    assert!(app.booking.is_none());
    assert_eq!(notice(&app), "Not booked: 서지원 stays in the callback queue");
    let store = open_set_up(&path);
    assert_eq!(
        one(
            &store,
            "SELECT outcome || ' ' || callback_on || ' ' || coalesce(appointment_id, '-') FROM inquiries"
        ),
        "callback 2026-11-23 -"
    );
    assert_eq!(
        one(&store, "SELECT kind || ' ' || status || ' ' || due_on FROM callbacks"),
        "prospect open 2026-11-23"
    );
    assert!(text(&render(&app, 100, 30)).contains("Not booked"), "the footer shows it");

    // The next call books: the inquiry and its callback become "booked" with the appointment.
    call_booked_without_time(&mut app);
    focus(&mut app, "time");
    type_text(&mut app, "10:30");
    app.on_key(ctrl('s'));
    assert!(app.booking.is_none(), "saved: {:?}", app.open_form().and_then(|f| f.message.clone()));
    let store = open_set_up(&path);
    assert_eq!(
        one(
            &store,
            "SELECT group_concat(outcome || ':' || coalesce(appointment_id, '-'), ' ') FROM (SELECT * FROM inquiries ORDER BY id)"
        ),
        "callback:- booked:1"
    );
    assert_eq!(
        one(&store, "SELECT status || ' ' || outcome || ' ' || appointment_id FROM callbacks"),
        "closed booked 1"
    );
    assert_eq!(one(&store, "SELECT start FROM appointments WHERE id = 1"), "2026-11-24T10:30:00");
}

#[test]
fn a_callback_closed_as_booked_is_closed_only_with_the_appointment() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let mut store = open_set_up(&path);
    let p = patient(&mut store, "한가람", "010-2222-3333");
    store
        .write(|tx| {
            open_callback(
                tx,
                &NewCallback::new(
                    p,
                    frontdesk::domain::CallbackKind::Prospect,
                    fixed_now().date() + Duration::days(3),
                ),
            )
        })
        .unwrap();
    drop(store);
    let mut app = App::new(open_set_up(&path), options(Lang::Ko, TabId::Callbacks)).unwrap();
    let log_booked = |app: &mut App| {
        app.on_key(key(KeyCode::Char('l')));
        focus(app, "next");
        app.on_key(key(KeyCode::Char('b')));
        app.on_key(ctrl('s'));
        assert!(app.booking.is_some(), "the booking form opens");
    };
    log_booked(&mut app);
    app.on_key(key(KeyCode::Esc));
    assert!(app.booking.is_none());
    assert_eq!(notice(&app), "예약하지 않았습니다. 한가람 님은 재연락 대기열에 남아 있습니다");
    let store = open_set_up(&path);
    assert_eq!(
        one(
            &store,
            "SELECT status || ' ' || coalesce(outcome, '-') || ' ' || due_on || ' ' || (SELECT count(*) FROM callback_contacts) FROM callbacks"
        ),
        "open - 2026-11-23 1",
        "the call is logged; the callback stays open, due today"
    );
    log_booked(&mut app);
    focus(&mut app, "time");
    type_text(&mut app, "15:00");
    app.on_key(ctrl('s'));
    assert!(app.booking.is_none());
    let store = open_set_up(&path);
    assert_eq!(
        one(&store, "SELECT status || ' ' || outcome || ' ' || appointment_id FROM callbacks"),
        "closed booked 1"
    );
}

#[test]
fn undo_of_done_withdraws_the_happy_call_it_queued() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let mut store = open_set_up(&path);
    let p = patient(&mut store, "문하늘", "010-7777-8888");
    appointment(&mut store, p, at(2026, 11, 23, 9, 0), "chuna");
    drop(store);
    let mut app = App::new(open_set_up(&path), options(Lang::En, TabId::Today)).unwrap();
    app.on_key(key(KeyCode::Char('d')));
    app.on_key(key(KeyCode::Esc)); // the payment step, skipped
    // "Book the next visit?" - no.
    app.on_key(key(KeyCode::Char('n')));
    let happy = |path: &std::path::Path| {
        one(
            &open_set_up(path),
            "SELECT count(*) || '' FROM callbacks WHERE kind = 'happy_call' AND status = 'open'",
        )
    };
    assert_eq!(happy(&path), "1", "done queues the happy call");
    app.on_key(key(KeyCode::Char('u')));
    assert_eq!(notice(&app), "Undone: Done back to Booked");
    assert_eq!(happy(&path), "0", "undo withdraws it");
    let store = open_set_up(&path);
    assert_eq!(
        one(&store, "SELECT detail FROM audit_log WHERE entity = 'callback' AND action = 'delete'"),
        "done undone"
    );
}

#[test]
fn undo_of_a_no_show_already_called_closes_its_call_instead_of_leaving_it_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let mut store = open_set_up(&path);
    let p = patient(&mut store, "문하늘", "010-7777-8888");
    let a = appointment(&mut store, p, at(2026, 11, 23, 9, 0), "chuna");
    let cb = store.write(|tx| frontdesk::desk::appointments::mark_no_show_in(tx, a)).unwrap();
    store
        .conn()
        .execute(
            "INSERT INTO callback_contacts (callback_id, contacted_at, channel, reached, reaction, next_plan, by_staff)
             VALUES (?1, '2026-11-23T09:30:00', 'phone', 0, '', '', 'desk1')",
            [cb],
        )
        .unwrap();
    store.write(|tx| appointments::undo_last_status(tx, a)).unwrap();
    assert_eq!(one(&store, "SELECT status || ' ' || outcome FROM callbacks"), "closed done");
}

#[test]
fn the_prospect_is_due_on_the_consultations_recall_date() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_set_up(&dir.path().join("c.db"));
    let p = patient(&mut store, "오나래", "010-4444-5555");
    let today = fixed_now().date();
    // An earlier call asked to be called back in 2 days; the consultation then says in 7.
    store
        .write(|tx| {
            open_callback(
                tx,
                &NewCallback::new(p, frontdesk::domain::CallbackKind::Prospect, today + Duration::days(2)),
            )
        })
        .unwrap();
    let consult = |recall: i64| NewConsultation {
        patient_id: p,
        consulted_at: fixed_now(),
        treatment_code: Some("chuna".into()),
        quoted_krw: None,
        offered_krw: None,
        status: ConsultationStatus::Undecided,
        recall_on: Some(today + Duration::days(recall)),
        circumstances: String::new(),
        reaction: String::new(),
        owner_id: None,
    };
    store.write(|tx| record_consultation(tx, &consult(7))).unwrap();
    assert_eq!(one(&store, "SELECT due_on FROM callbacks WHERE status = 'open'"), "2026-11-30");
    // A later consultation's recall date replaces it, earlier or not.
    store.write(|tx| record_consultation(tx, &consult(4))).unwrap();
    assert_eq!(one(&store, "SELECT due_on FROM callbacks WHERE status = 'open'"), "2026-11-27");
    // Another inquiry callback merges its note but leaves the consultation's date.
    store
        .write(|tx| {
            open_callback(
                tx,
                &NewCallback::new(p, frontdesk::domain::CallbackKind::Prospect, today + Duration::days(1)),
            )
        })
        .unwrap();
    assert_eq!(one(&store, "SELECT due_on FROM callbacks WHERE status = 'open'"), "2026-11-27");
}

#[test]
fn arrived_done_and_no_show_are_refused_after_today_in_the_tab_and_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let mut store = open_set_up(&path);
    let p = patient(&mut store, "유미래", "010-9999-0000");
    let a = appointment(&mut store, p, at(2026, 11, 24, 10, 0), "chuna");
    for to in [AppointmentStatus::Arrived, AppointmentStatus::Done, AppointmentStatus::NoShow] {
        let e = store.write(|tx| appointments::set_status(tx, a, to)).unwrap_err();
        assert!(e.to_string().contains("after today"), "{e}");
    }
    drop(store);
    for (lang, want) in [
        (Lang::En, "유미래's appointment is on 11-24, after today: mark it no-show on the day (c cancels)"),
        (
            Lang::Ko,
            "유미래 예약은 11-24(오늘 이후)이라 '부도'(으)로 표시할 수 없습니다. 그날 표시하세요 (취소는 c)",
        ),
    ] {
        let mut app = App::new(open_set_up(&path), options(lang, TabId::Today)).unwrap();
        app.on_key(key(KeyCode::Char(']')));
        assert_eq!(app.tabs.today.rows.len(), 1);
        for k in ['a', 'd', 'x'] {
            app.on_key(key(KeyCode::Char(k)));
        }
        assert_eq!(notice(&app), want);
    }
    let store = open_set_up(&path);
    assert_eq!(
        one(
            &store,
            "SELECT status || ' ' || (SELECT count(*) FROM callbacks WHERE kind = 'no_show') FROM appointments"
        ),
        "booked 0",
        "unchanged, and no rebooking call queued"
    );
    // Cancelling a future visit still works; a visit marked done cannot be moved after today.
    let mut store = store;
    store.write(|tx| appointments::set_status(tx, a, AppointmentStatus::Cancelled)).unwrap();
    let b = appointment(&mut store, p, at(2026, 11, 23, 10, 0), "chuna");
    store.write(|tx| appointments::set_status(tx, b, AppointmentStatus::Done)).unwrap();
    let moved = NewAppointment {
        patient_id: p,
        start: at(2026, 11, 25, 10, 0),
        duration_min: 30,
        provider_id: None,
        treatment_code: None,
    };
    let e = store.write(|tx| appointments::update_appointment(tx, b, &moved)).unwrap_err();
    assert!(e.to_string().contains("cannot move after today"), "{e}");
}

#[test]
fn today_follows_the_date_past_midnight_unless_the_desk_stepped_to_another_day() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let mut store = open_set_up(&path);
    let p = patient(&mut store, "하루", "010-1212-3434");
    appointment(&mut store, p, at(2026, 11, 24, 9, 0), "chuna");
    drop(store);
    let late = at(2026, 11, 23, 23, 59);
    let mut opts = options(Lang::En, TabId::Today);
    opts.fixed_now = Some(late);
    let mut app = App::new(open_set_up(&path), opts.clone()).unwrap();
    app.on_tick();
    assert_eq!(app.tabs.today.date, Some(late.date()));
    assert!(app.tabs.today.rows.is_empty());
    app.opts.fixed_now = Some(at(2026, 11, 24, 0, 1));
    app.on_tick();
    assert_eq!(app.tabs.today.date, Some(at(2026, 11, 24, 0, 0).date()), "the list follows the new date");
    assert_eq!(app.tabs.today.rows.len(), 1, "and shows the new day's visits");
    let screen = text(&render(&app, 100, 30));
    assert!(screen.contains("2026-11-24"), "{screen}");

    // Stepped to another day: the list stays there past midnight.
    let mut app = App::new(open_set_up(&path), opts).unwrap();
    app.on_key(key(KeyCode::Char('[')));
    app.opts.fixed_now = Some(at(2026, 11, 24, 0, 1));
    app.on_tick();
    assert_eq!(app.tabs.today.date, Some(at(2026, 11, 22, 0, 0).date()));
    // `.` goes back to the (new) today, which it follows from then on.
    app.on_key(key(KeyCode::Char('.')));
    assert_eq!(app.tabs.today.date, Some(at(2026, 11, 24, 0, 0).date()));
    app.opts.fixed_now = Some(at(2026, 11, 25, 0, 1));
    app.on_tick();
    assert_eq!(app.tabs.today.date, Some(at(2026, 11, 25, 0, 0).date()));
}

// The layer stack (issue 17): one layer owns the keyboard, and the app looks whether the
// database changed after every key, whichever layer took it, so no tab stays stale.

#[test]
fn a_call_saved_as_booked_then_esc_on_the_booking_form_shows_on_the_callbacks_tab() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let mut app = App::new(open_set_up(&path), options(Lang::En, TabId::Inquiries)).unwrap();
    app.show_tab(TabId::Callbacks);
    assert!(!text(&render(&app, 120, 40)).contains("서지원"));
    app.show_tab(TabId::Inquiries);
    call_booked_without_time(&mut app);
    // The call was written when the form handed over to the booking form: the other tabs
    // already know they must read again.
    assert!(app.is_stale(TabId::Callbacks), "the callbacks tab was left as it was before the call");
    app.on_key(key(KeyCode::Esc));
    assert_eq!(app.owner(), Layer::Tab);
    app.show_tab(TabId::Callbacks);
    assert!(text(&render(&app, 120, 40)).contains("서지원"), "the prospect callback shows");
}

#[test]
fn a_booking_saved_on_the_booking_form_shows_on_today() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let mut app = App::new(open_set_up(&path), options(Lang::En, TabId::Inquiries)).unwrap();
    call_booked_without_time(&mut app);
    focus(&mut app, "date");
    for _ in 0..12 {
        app.on_key(key(KeyCode::Backspace));
    }
    type_text(&mut app, "2026-11-23");
    focus(&mut app, "time");
    type_text(&mut app, "16:30");
    app.on_key(ctrl('s'));
    assert!(app.booking.is_none(), "saved: {:?}", app.open_form().and_then(|f| f.message.clone()));
    app.on_key(key(KeyCode::Esc));
    app.show_tab(TabId::Today);
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("서지원") && screen.contains("16:30"), "{screen}");
}

#[test]
fn a_change_made_by_another_process_shows_after_the_next_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let mut app = App::new(open_set_up(&path), options(Lang::En, TabId::Today)).unwrap();
    assert!(!text(&render(&app, 120, 40)).contains("윤서하"));
    // Another terminal (another connection on the same file) books a visit for today.
    let mut other = open_set_up(&path);
    other
        .write(|tx| {
            let p = insert_patient(
                tx,
                &NewPatient { name: "윤서하".into(), phone: "010-7777-0000".into(), ..Default::default() },
            )?;
            insert_appointment(
                tx,
                &NewAppointment {
                    patient_id: p,
                    start: at(2026, 11, 23, 15, 0),
                    duration_min: 30,
                    provider_id: None,
                    treatment_code: None,
                },
            )
        })
        .unwrap();
    // No tick: one key (a harmless one) is enough.
    app.on_key(key(KeyCode::Down));
    assert!(text(&render(&app, 120, 40)).contains("윤서하"), "the other terminal's booking shows");
}

#[test]
fn the_staff_pick_over_the_booking_form_owns_the_keyboard_and_the_caret() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let mut app = App::new(open_set_up(&path), options(Lang::En, TabId::Inquiries)).unwrap();
    call_booked_without_time(&mut app);
    // The caret is where the last frame drew it.
    render(&app, 120, 40);
    assert!(app.cursor().is_some(), "the booking form has the caret");
    assert_eq!(app.contexts(), vec![frontdesk::app::keymap::Context::Form]);
    app.open_staff_pick(None);
    assert_eq!(app.owner(), Layer::StaffPick);
    assert!(app.cursor().is_none(), "the pick list owns the keyboard, not the form under it");
    app.on_key(key(KeyCode::Esc));
    assert_eq!(app.owner(), Layer::Booking);
    render(&app, 120, 40);
    assert!(app.cursor().is_some());
}
