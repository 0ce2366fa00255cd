//! Booking a known patient fast (issue 19 item 4): the date field takes the time after the date
//! (`1125 1430`, `내일 14:30`), so from the card, from Ctrl-F results (Ctrl-B) and from a
//! callback (`b`) a returning patient is booked in two keys plus the date and time, with the
//! last 원장 and treatment filled in; the free-slot suggestion keeps the hourly caps. The exits:
//! Esc at each step, another terminal holding the lock, another day, a narrow window.
mod common;
use common::clinic::{Returning, bookings_of, day, hm, hong_came_once};
use common::keys::Keys;
use common::pty::Pty;
use common::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use frontdesk::app::{App, TabId};
use frontdesk::desk::booking;
use frontdesk::domain::{AppointmentStatus, CallbackKind, Lang};
use frontdesk::store::Store;
use frontdesk::store::appointments::{self, NewAppointment, insert_appointment};
use frontdesk::store::callbacks::{NewCallback, open_callback};
use frontdesk::store::patients::{NewPatient, insert_patient};

const BIN: &str = env!("CARGO_BIN_EXE_frontdesk");

struct Fx {
    kim: i64,
    park: i64,
    hong: i64,
    callback: i64,
}

/// 김원장 and 박원장; 홍길동 (chart 000001) came once (2026-11-16, 추나 with 박원장, 40 minutes)
/// and waits in the callbacks queue (a recall due today).
fn fixture(store: &mut Store) -> Fx {
    store
        .write(|tx| {
            let Returning { kim, park, hong } = hong_came_once(tx)?;
            let callback = open_callback(tx, &NewCallback::new(hong, CallbackKind::Recall, day(23)))?;
            Ok(Fx { kim, park, hong, callback })
        })
        .unwrap()
}

fn app_on(dir: &tempfile::TempDir, lang: Lang, tab: TabId) -> (App, Fx) {
    let mut store = open_set_up(&dir.path().join("clinic.db"));
    let fx = fixture(&mut store);
    store.set_staff("김데스크");
    (App::new(store, options(lang, tab)).unwrap(), fx)
}

fn message(app: &App) -> Option<String> {
    app.booking.as_ref().and_then(|b| b.form.message.clone())
}

#[test]
fn from_the_card_b_then_the_date_with_its_time_then_ctrl_s_books_in_two_keys() {
    for (lang, typed) in [(Lang::En, "1125 1430"), (Lang::Ko, "11-25 14:30")] {
        let dir = tempfile::tempdir().unwrap();
        let (mut app, fx) = app_on(&dir, lang, TabId::Today);
        app.open_card(fx.hong);
        let mut k = Keys { app: &mut app, pressed: 0 };
        k.key(KeyCode::Char('b'));
        k.typed(typed);
        k.ctrl('s');
        assert!(k.app.booking.is_none(), "{:?}", message(k.app));
        assert_eq!(k.pressed, 2, "b and Ctrl-S besides the date and time");
        assert_eq!(
            bookings_of(&app, fx.hong),
            vec![("2026-11-25T14:30:00".to_string(), Some(fx.park), Some("chuna".into()), 40)]
        );
    }
}

#[test]
fn a_time_after_the_date_fills_the_time_field_on_tab_and_the_grid_follows_as_typed() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = app_on(&dir, Lang::En, TabId::Today);
    app.open_card(fx.hong);
    app.on_key(KeyEvent::from(KeyCode::Char('b')));
    for c in "내일 오후 2:30".chars() {
        app.on_key(KeyEvent::from(KeyCode::Char(c)));
    }
    // The grid already shows tomorrow while the time is still in the date field.
    let b = app.booking.as_ref().unwrap();
    assert_eq!(b.grid.as_ref().map(|g| g.date()), Some(day(24)));
    app.on_key(KeyEvent::from(KeyCode::Tab));
    let b = app.booking.as_ref().unwrap();
    assert_eq!(b.form.get("date").value, "2026-11-24");
    assert_eq!(b.form.get("time").value, "14:30");
    assert_eq!(b.form.focused().id, "time", "Tab moves on to the (filled) time");
    // A date alone leaves the time as it was; a bad time after the date is not split.
    app.on_key(KeyEvent::from(KeyCode::BackTab));
    for c in "1126 2599".chars() {
        app.on_key(KeyEvent::from(KeyCode::Char(c)));
    }
    app.on_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    let b = app.booking.as_ref().expect("not a date: the form stays");
    assert_eq!(b.form.get("date").value, "1126 2599", "what was typed is kept");
    assert!(b.form.get("date").error.is_some());
    assert!(bookings_of(&app, fx.hong).is_empty());
}

#[test]
fn from_ctrl_f_results_ctrl_b_opens_the_prefilled_booking_and_esc_at_each_step_books_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = app_on(&dir, Lang::Ko, TabId::Today);
    // Esc in the search: closed, nothing opened.
    app.on_key(KeyEvent::new(KeyCode::Char('f'), KeyModifiers::CONTROL));
    app.on_key(KeyEvent::from(KeyCode::Esc));
    assert!(app.search.is_none() && app.booking.is_none());
    // Ctrl-B with no result does nothing.
    app.on_key(KeyEvent::new(KeyCode::Char('f'), KeyModifiers::CONTROL));
    app.on_key(KeyEvent::new(KeyCode::Char('b'), KeyModifiers::CONTROL));
    assert!(app.booking.is_none() && app.search.is_some());
    for c in "홍길".chars() {
        app.on_key(KeyEvent::from(KeyCode::Char(c)));
    }
    let mut k = Keys { app: &mut app, pressed: 0 };
    k.ctrl('b');
    {
        assert!(k.app.search.is_none(), "the search closes under the booking");
        let b = k.app.booking.as_ref().expect("Ctrl-B books the result");
        assert_eq!(b.form.focused().id, "date");
        assert_eq!(b.form.picked("provider"), Some(fx.park.to_string()));
        assert_eq!(b.form.picked("treatment").as_deref(), Some("chuna"));
    }
    // Esc on a changed form asks; n keeps it, y closes it; nothing is booked.
    k.typed("1125 1430");
    k.app.on_key(KeyEvent::from(KeyCode::Esc));
    assert!(k.app.booking.as_ref().unwrap().form.confirm_discard);
    k.app.on_key(KeyEvent::from(KeyCode::Char('n')));
    assert_eq!(k.app.booking.as_ref().unwrap().form.get("date").value, "1125 1430");
    k.app.on_key(KeyEvent::from(KeyCode::Esc));
    k.app.on_key(KeyEvent::from(KeyCode::Char('y')));
    assert!(k.app.booking.is_none() && k.app.search.is_none());
    assert!(bookings_of(&app, fx.hong).is_empty());
    // Again: Ctrl-F, the name, Ctrl-B, the date and time, Ctrl-S.
    app.on_key(KeyEvent::new(KeyCode::Char('f'), KeyModifiers::CONTROL));
    for c in "000001".chars() {
        app.on_key(KeyEvent::from(KeyCode::Char(c)));
    }
    let mut k = Keys { app: &mut app, pressed: 0 };
    k.ctrl('b');
    k.typed("내일 14:30");
    k.ctrl('s');
    assert!(k.app.booking.is_none(), "{:?}", message(k.app));
    assert_eq!(k.pressed, 2, "Ctrl-B and Ctrl-S from the results");
    assert_eq!(
        bookings_of(&app, fx.hong),
        vec![("2026-11-24T14:30:00".to_string(), Some(fx.park), Some("chuna".into()), 40)]
    );
}

fn callback_state(app: &App, id: i64) -> (String, Option<String>, Option<i64>) {
    app.store
        .conn()
        .query_row("SELECT status, outcome, appointment_id FROM callbacks WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap()
}

#[test]
fn from_a_callback_b_books_the_person_prefilled_and_closes_the_callback_with_the_booking() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = app_on(&dir, Lang::En, TabId::Callbacks);
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("홍길동"), "{screen}");
    // Esc closes the booking: the callback stays open in the queue, and says so.
    app.on_key(KeyEvent::from(KeyCode::Char('b')));
    assert_eq!(app.booking.as_ref().unwrap().form.picked("provider"), Some(fx.park.to_string()));
    app.on_key(KeyEvent::from(KeyCode::Esc));
    assert!(app.booking.is_none());
    assert_eq!(callback_state(&app, fx.callback).0, "open");
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("stays in the callback queue"), "{screen}");
    // b, the date and time, Ctrl-S: booked, and the callback closed as booked with it.
    let mut k = Keys { app: &mut app, pressed: 0 };
    k.key(KeyCode::Char('b'));
    {
        let b = k.app.booking.as_ref().unwrap();
        assert_eq!(b.form.focused().id, "date");
        assert_eq!(b.form.picked("treatment").as_deref(), Some("chuna"));
    }
    k.typed("1126 1000");
    k.ctrl('s');
    assert!(k.app.booking.is_none(), "{:?}", message(k.app));
    assert_eq!(k.pressed, 2);
    let booked = bookings_of(&app, fx.hong);
    assert_eq!(booked, vec![("2026-11-26T10:00:00".to_string(), Some(fx.park), Some("chuna".into()), 40)]);
    let (status, outcome, appt) = callback_state(&app, fx.callback);
    assert_eq!((status.as_str(), outcome.as_deref()), ("closed", Some("booked")));
    assert!(appt.is_some());
    // Undo is the booking's own: cancelling the appointment is the Today tab's `c` (not here).
}

#[test]
fn booking_while_another_terminal_holds_the_lock_keeps_what_was_typed_and_books_once_free() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = app_on(&dir, Lang::En, TabId::Today);
    app.open_card(fx.hong);
    app.on_key(KeyEvent::from(KeyCode::Char('b')));
    for c in "1125 1430".chars() {
        app.on_key(KeyEvent::from(KeyCode::Char(c)));
    }
    let other = rusqlite::Connection::open(dir.path().join("clinic.db")).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    app.on_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    let b = app.booking.as_ref().expect("the form stays open");
    // The store's own words about the lock (localised by the store).
    assert!(b.form.message.is_some(), "the desk is told why");
    assert_eq!(
        (b.form.get("date").value.as_str(), b.form.get("time").value.as_str()),
        ("2026-11-25", "14:30")
    );
    other.execute_batch("COMMIT").unwrap();
    drop(other);
    assert!(bookings_of(&app, fx.hong).is_empty(), "nothing half-written");
    app.on_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    assert!(app.booking.is_none(), "{:?}", message(&app));
    assert_eq!(bookings_of(&app, fx.hong).len(), 1);
}

#[test]
fn on_another_day_tomorrow_means_the_day_after_the_app_s_today() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_at(&dir.path().join("clinic.db"), at(2026, 11, 27, 9, 0));
    store
        .write(|tx| frontdesk::store::settings::set_setting(tx, frontdesk::app::setup::SETUP_DONE, "1"))
        .unwrap();
    let fx = fixture(&mut store);
    store.set_staff("김데스크");
    let mut opts = options(Lang::En, TabId::Today);
    opts.fixed_now = Some(at(2026, 11, 27, 9, 0));
    let mut app = App::new(store, opts).unwrap();
    app.open_card(fx.hong);
    app.on_key(KeyEvent::from(KeyCode::Char('b')));
    for c in "tomorrow 10:00".chars() {
        app.on_key(KeyEvent::from(KeyCode::Char(c)));
    }
    app.on_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    assert!(app.booking.is_none(), "{:?}", message(&app));
    assert_eq!(bookings_of(&app, fx.hong)[0].0, "2026-11-28T10:00:00", "Saturday the 28th");
}

#[test]
fn the_booking_form_at_80x24_shows_the_date_with_its_time_and_then_both_fields() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = app_on(&dir, Lang::Ko, TabId::Today);
    app.open_card(fx.hong);
    app.on_key(KeyEvent::from(KeyCode::Char('b')));
    for c in "1125 1430".chars() {
        app.on_key(KeyEvent::from(KeyCode::Char(c)));
    }
    let screen = text(&render(&app, 80, 24));
    assert!(screen.contains("1125 1430"), "{screen}");
    app.on_key(KeyEvent::from(KeyCode::Tab));
    let screen = text(&render(&app, 80, 24));
    assert!(screen.contains("2026-11-25") && screen.contains("14:30"), "{screen}");
    assert!(screen.contains("박원장"), "{screen}");
}

#[test]
fn the_free_slot_suggestion_skips_hours_at_the_treatment_s_hourly_cap() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_set_up(&dir.path().join("clinic.db"));
    let fx = fixture(&mut store);
    let from = day(24).and_time(hm(10, 0));
    // Without a cap: 박원장's first free slot from 10:00 is 10:00.
    let p = booking::booking_prefill(&store, fx.hong, Some(from)).unwrap();
    assert_eq!(p.next_free, Some((from, Some(fx.park))));
    // Two 추나 with 김원장 in the 10 o'clock hour, and 추나 capped at 2 an hour: 11:00.
    store
        .write(|tx| {
            for (name, m) in [("환자일", 0), ("환자이", 30)] {
                let pid = insert_patient(tx, &NewPatient { name: name.into(), ..Default::default() })?;
                insert_appointment(
                    tx,
                    &NewAppointment {
                        patient_id: pid,
                        start: day(24).and_time(hm(10, m)),
                        duration_min: 30,
                        provider_id: Some(fx.kim),
                        treatment_code: Some("chuna".into()),
                    },
                )?;
            }
            Ok(())
        })
        .unwrap();
    let p = booking::booking_prefill(&store, fx.hong, Some(from)).unwrap();
    assert_eq!(p.next_free, Some((from, Some(fx.park))), "no cap yet: 10:00 is still free");
    booking::set_hourly_cap(&mut store, "chuna", Some(2)).unwrap();
    let p = booking::booking_prefill(&store, fx.hong, Some(from)).unwrap();
    assert_eq!(p.next_free, Some((day(24).and_time(hm(11, 0)), Some(fx.park))));
    // A cap of 3 leaves room in the 10 o'clock hour again.
    booking::set_hourly_cap(&mut store, "chuna", Some(3)).unwrap();
    let p = booking::booking_prefill(&store, fx.hong, Some(from)).unwrap();
    assert_eq!(p.next_free, Some((from, Some(fx.park))));
}

/// The real binary in a pseudo-terminal: a returning patient booked from the card in `b`,
/// the date with its time, `Ctrl-S`; the appointment is in the database with the last 원장,
/// treatment and length.
#[test]
fn pty_a_returning_patient_is_booked_from_the_card_in_two_keys_plus_date_and_time() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.db");
    let fx = {
        let mut store = open_set_up(&path);
        fixture(&mut store)
    };
    let db = path.to_str().unwrap();
    let mut pty = Pty::spawn(
        BIN,
        &["--db", db, "--lang", "en"],
        100,
        30,
        &[("FRONTDESK_STAFF", "desk1"), ("LANG", "en_US.UTF-8")],
    );
    pty.wait_for("Today", 15);
    pty.key("Ctrl-F");
    pty.wait_for("Patient search", 5);
    pty.send("000001");
    pty.wait_for("홍길동", 5);
    pty.key("Enter");
    pty.wait_for("000001", 5);
    // From the card: b, the date with its time, Ctrl-S.
    pty.send("b");
    pty.wait_for("Book - 홍길동 (000001)", 5);
    pty.send("1125 1430");
    pty.key("Ctrl-S");
    pty.wait_for("Booked: 홍길동", 5);
    pty.send("q");
    let status = pty.wait_exit(10);
    assert!(status.success(), "exit status {status:?}");
    let store = open(&path);
    let mut stmt = store
        .conn()
        .prepare("SELECT start, provider_id, treatment_code, duration_min FROM appointments WHERE status = 'booked'")
        .unwrap();
    let rows: Vec<(String, Option<i64>, Option<String>, i64)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(rows, vec![("2026-11-25T14:30:00".to_string(), Some(fx.park), Some("chuna".into()), 40)]);
}

/// The fixture with 홍길동 also booked today at 11:00 for `minutes` of 침 with 김원장: the app
/// on Today, and that visit.
fn visit_at_eleven(dir: &tempfile::TempDir, lang: Lang, minutes: i64) -> (App, Fx, i64) {
    let mut store = open_set_up(&dir.path().join("clinic.db"));
    let fx = fixture(&mut store);
    let visit = store
        .write(|tx| {
            insert_appointment(
                tx,
                &NewAppointment {
                    patient_id: fx.hong,
                    start: day(23).and_time(hm(11, 0)),
                    duration_min: minutes,
                    provider_id: Some(fx.kim),
                    treatment_code: Some("acupuncture".into()),
                },
            )
        })
        .unwrap();
    store.set_staff("김데스크");
    (App::new(store, options(lang, TabId::Today)).unwrap(), fx, visit)
}

/// `c` on the visit, the first reason, Ctrl-S, then `y` to "rebook now?": four keys.
fn cancel_and_rebook(k: &mut Keys<'_>) {
    k.key(KeyCode::Char('c'));
    k.key(KeyCode::Char('1'));
    k.ctrl('s');
    k.key(KeyCode::Char('y'));
}

#[test]
fn rebooking_a_cancellation_is_five_keys_with_the_date_and_time_in_one_field() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx, visit) = visit_at_eleven(&dir, Lang::En, 30);
    let mut k = Keys { app: &mut app, pressed: 0 };
    cancel_and_rebook(&mut k);
    {
        let b = k.app.booking.as_ref().expect("rebook now opens the booking");
        assert_eq!(b.form.focused().id, "date");
        assert_eq!(b.form.picked("provider"), Some(fx.kim.to_string()), "the cancelled visit's own");
    }
    k.typed("1124 1100");
    k.ctrl('s');
    assert!(k.app.booking.is_none(), "{:?}", message(k.app));
    assert_eq!(k.pressed, 5, "c, the reason, Ctrl-S, y, Ctrl-S");
    let status: String = app
        .store
        .conn()
        .query_row("SELECT status FROM appointments WHERE id = ?1", [visit], |r| r.get(0))
        .unwrap();
    assert_eq!(status, "cancelled");
    let booked: Vec<_> = bookings_of(&app, fx.hong).into_iter().map(|(s, p, t, _)| (s, p, t)).collect();
    assert_eq!(booked, vec![("2026-11-24T11:00:00".to_string(), Some(fx.kim), Some("acupuncture".into()))]);
}

#[test]
fn rebooking_a_cancellation_keeps_the_cancelled_visits_length() {
    // 홍길동's last done visit was 40 minutes of 추나; the cancelled one is a 50-minute
    // 침 visit: the rebooking is 50 minutes, neither the last visit's nor the catalog's.
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx, visit) = visit_at_eleven(&dir, Lang::Ko, 50);
    let mut k = Keys { app: &mut app, pressed: 0 };
    cancel_and_rebook(&mut k);
    {
        let b = k.app.booking.as_ref().expect("rebook now opens the booking");
        assert_eq!(b.request.duration_min, Some(50));
        assert_eq!(b.form.number("duration"), Some(50), "the form shows the cancelled visit's length");
    }
    k.typed("1124 1100");
    k.ctrl('s');
    assert!(k.app.booking.is_none(), "{:?}", message(k.app));
    let cancelled = appointments::get_appointment(&app.store, visit).unwrap();
    assert_eq!(cancelled.status, AppointmentStatus::Cancelled);
    let booked = bookings_of(&app, fx.hong);
    assert_eq!(booked.len(), 1, "{booked:?}");
    assert_eq!(booked[0].3, cancelled.duration_min, "the rebooked visit is as long as the cancelled one");
}

#[test]
fn a_booking_draft_from_before_the_length_field_still_opens() {
    // Drafts saved before the request carried a length have no `duration_min`.
    let old = r#"{"patient_id":1,"name":"","phone":"","referral_source":null,"referrer_id":null,
        "provider_id":null,"treatment_code":"chuna","date":null,"inquiry_id":null,
        "appointment_id":null,"callback_id":null}"#;
    let request: frontdesk::app::BookingRequest = serde_json::from_str(old).unwrap();
    assert_eq!(request.duration_min, None);
    assert_eq!(request.treatment_code.as_deref(), Some("chuna"));
}

#[test]
fn logging_a_callback_as_booked_opens_the_same_prefilled_booking() {
    use frontdesk::app::tabs::Tab;
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = app_on(&dir, Lang::En, TabId::Callbacks);
    app.on_key(KeyEvent::from(KeyCode::Char('l')));
    // To the "next" pick, then b (booked), then save.
    for _ in 0..20 {
        let f = app.tabs.callbacks.open_form().expect("the log form");
        if f.focused().id == "next" {
            break;
        }
        app.on_key(KeyEvent::from(KeyCode::Tab));
    }
    app.on_key(KeyEvent::from(KeyCode::Char('b')));
    app.on_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    let b = app.booking.as_ref().expect("booked opens the booking form");
    assert_eq!(b.form.focused().id, "date");
    assert_eq!(b.form.picked("provider"), Some(fx.park.to_string()));
    assert_eq!(b.form.picked("treatment").as_deref(), Some("chuna"));
    assert_eq!(b.request.callback_id, Some(fx.callback));
    for c in "1126 1000".chars() {
        app.on_key(KeyEvent::from(KeyCode::Char(c)));
    }
    app.on_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    assert!(app.booking.is_none(), "{:?}", message(&app));
    assert_eq!(callback_state(&app, fx.callback).1.as_deref(), Some("booked"));
}
