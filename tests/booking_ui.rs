//! The booking form with the day beside it, and booking a known patient fast (issue 19):
//! the grid shows on a wide screen only, follows the date typed, F3 picks a free slot with the
//! arrows, and a returning patient is booked from the card with the last 원장 and treatment.
mod common;
use common::clinic::{Returning, bookings_of, day, hm, hong_came_once, patient};
use common::keys::Keys;
use common::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use frontdesk::app::{App, BookingRequest, TabId};
use frontdesk::domain::Lang;
use frontdesk::store::Store;
use frontdesk::store::appointments::{NewAppointment, insert_appointment};

struct Fx {
    kim: i64,
    park: i64,
    hong: i64,
}

/// 김원장 and 박원장; 홍길동 came once (2026-11-16, 추나 with 박원장, 40 minutes); 김철 is booked
/// today (Monday 2026-11-23) at 09:30 with 박원장.
fn fixture(store: &mut Store) -> Fx {
    store
        .write(|tx| {
            let Returning { kim, park, hong } = hong_came_once(tx)?;
            let kimc = patient(tx, "김철", "010-2222-3333")?;
            insert_appointment(
                tx,
                &NewAppointment {
                    patient_id: kimc,
                    start: day(23).and_time(hm(9, 30)),
                    duration_min: 30,
                    provider_id: Some(park),
                    treatment_code: Some("acupuncture".into()),
                },
            )?;
            Ok(Fx { kim, park, hong })
        })
        .unwrap()
}

fn app(dir: &tempfile::TempDir, lang: Lang) -> (App, Fx) {
    let mut store = open_set_up(&dir.path().join("clinic.db"));
    let fx = fixture(&mut store);
    store.set_staff("김데스크");
    (App::new(store, options(lang, TabId::Today)).unwrap(), fx)
}

#[test]
fn the_day_shows_beside_the_booking_form_on_a_wide_screen_only() {
    for lang in [Lang::Ko, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        let (mut app, fx) = app(&dir, lang);
        app.open_booking(BookingRequest { patient_id: Some(fx.hong), ..Default::default() });
        let title = lang.pick("그날 일정", "The day");
        for (w, h) in [(80, 24), (120, 40), (160, 50)] {
            let screen = text(&render(&app, w, h));
            let shown = screen.contains(title);
            assert_eq!(shown, w >= 140, "{w}x{h}:\n{screen}");
            if shown {
                // The day, its providers, the booked patient and free slots.
                assert!(screen.contains("2026-11-23"), "{screen}");
                assert!(screen.contains("김원장") && screen.contains("박원장"), "{screen}");
                assert!(screen.contains("김철"), "{screen}");
                assert!(screen.contains(lang.pick("빈", "free")), "{screen}");
            }
            insta::assert_snapshot!(format!("booking_form_{}_{w}x{h}", lang.code()), screen);
        }
    }
}

#[test]
fn the_grid_follows_the_date_typed_and_the_provider_picked() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = app(&dir, Lang::En);
    app.open_booking(BookingRequest { patient_id: Some(fx.hong), ..Default::default() });
    let grid_date = |app: &App| app.booking.as_ref().unwrap().grid.as_ref().unwrap().date();
    assert_eq!(grid_date(&app), day(23));
    let mut k = Keys { app: &mut app, pressed: 0 };
    // The cursor is on the date: the first character replaces the prefilled date.
    k.typed("1125");
    assert_eq!(grid_date(&app), day(25));
    let screen = text(&render(&app, 160, 50));
    assert!(screen.contains("2026-11-25"), "{screen}");
    // A Sunday says it is closed.
    app.booking.as_mut().unwrap().form.get_mut("date").set_value("11-2");
    app.on_key(KeyEvent::from(KeyCode::Char('9')));
    assert_eq!(grid_date(&app), day(29));
    assert!(text(&render(&app, 160, 50)).contains("Closed"));
}

#[test]
fn f3_picks_a_free_slot_with_the_arrows_and_saving_books_it() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = app(&dir, Lang::En);
    app.open_booking(BookingRequest { patient_id: Some(fx.hong), ..Default::default() });
    {
        let b = app.booking.as_ref().unwrap();
        // 박원장 (the last provider) has 김철 at 09:30: the cursor waits on his first free slot.
        let g = b.grid.as_ref().unwrap();
        assert_eq!(g.selected_free_slot(), Some((hm(10, 0), Some(fx.park))));
    }
    let mut k = Keys { app: &mut app, pressed: 0 };
    k.key(KeyCode::F(3));
    assert!(k.app.booking.as_ref().unwrap().grid_focus);
    assert_eq!(k.app.cursor(), None, "no caret while the grid has the keys");
    // Esc goes back to the form and changes nothing.
    k.key(KeyCode::Esc);
    let b = k.app.booking.as_ref().expect("the form stays open");
    assert!(!b.grid_focus);
    assert_eq!(b.form.get("time").value, "");
    k.key(KeyCode::F(3));
    k.key(KeyCode::Up);
    // 09:30 is 김철's: Enter says so and fills nothing.
    k.key(KeyCode::Enter);
    let b = k.app.booking.as_ref().unwrap();
    assert!(b.grid_focus && b.form.get("time").value.is_empty(), "{:?}", b.form.message);
    assert!(b.form.message.as_deref().unwrap_or("").contains("Not a free slot"));
    // Down twice to 10:30, Left to 김원장, Enter fills the slot in.
    k.key(KeyCode::Down);
    k.key(KeyCode::Down);
    k.key(KeyCode::Left);
    k.key(KeyCode::Enter);
    let b = k.app.booking.as_ref().unwrap();
    assert!(!b.grid_focus);
    assert_eq!(b.form.get("time").value, "10:30");
    assert_eq!(b.form.date("date"), Some(day(23)));
    assert_eq!(b.form.picked("provider"), Some(fx.kim.to_string()));
    k.ctrl('s');
    assert!(k.app.booking.is_none(), "{:?}", k.app.booking.as_ref().map(|b| b.form.message.clone()));
    assert_eq!(k.pressed, 10);
    assert_eq!(
        bookings_of(&app, fx.hong),
        vec![("2026-11-23T10:30:00".to_string(), Some(fx.kim), Some("chuna".into()), 40)]
    );
}

#[test]
fn on_a_narrow_screen_f3_shows_the_grid_in_place_of_the_form() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = app(&dir, Lang::Ko);
    app.open_booking(BookingRequest { patient_id: Some(fx.hong), ..Default::default() });
    let screen = text(&render(&app, 80, 24));
    assert!(!screen.contains("그날 일정") && screen.contains("원장"), "{screen}");
    app.on_key(KeyEvent::from(KeyCode::F(3)));
    let screen = text(&render(&app, 80, 24));
    assert!(screen.contains("그날 일정") && screen.contains("김철"), "{screen}");
    app.on_key(KeyEvent::from(KeyCode::F(3)));
    assert!(!text(&render(&app, 80, 24)).contains("그날 일정"));
    // Esc on the untouched form closes it; nothing was booked.
    app.on_key(KeyEvent::from(KeyCode::Esc));
    assert!(app.booking.is_none());
    assert!(bookings_of(&app, fx.hong).is_empty());
}

#[test]
fn a_returning_patient_is_booked_from_the_card_with_the_last_provider_and_treatment() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = app(&dir, Lang::En);
    app.open_card(fx.hong);
    assert!(app.card.is_some());
    let mut k = Keys { app: &mut app, pressed: 0 };
    k.key(KeyCode::Char('b'));
    {
        let b = k.app.booking.as_ref().expect("booking opened from the card");
        assert!(k.app.card.is_none());
        assert_eq!(b.form.focused().id, "date", "the cursor is on the date");
        assert_eq!(b.form.picked("provider"), Some(fx.park.to_string()));
        assert_eq!(b.form.picked("treatment").as_deref(), Some("chuna"));
        assert_eq!(b.form.number("duration"), Some(40));
    }
    k.typed("1125");
    k.key(KeyCode::Tab);
    k.typed("1430");
    k.ctrl('s');
    assert!(k.app.booking.is_none(), "{:?}", k.app.booking.as_ref().map(|b| b.form.message.clone()));
    assert_eq!(k.pressed, 3, "b, Tab, Ctrl-S besides the date and the time");
    assert_eq!(
        bookings_of(&app, fx.hong),
        vec![("2026-11-25T14:30:00".to_string(), Some(fx.park), Some("chuna".into()), 40)]
    );
}

#[test]
fn a_returning_patient_today_is_booked_with_tab_over_the_prefilled_date() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = app(&dir, Lang::Ko);
    // Ctrl-F, the name, Enter (the card), b.
    app.on_key(KeyEvent::new(KeyCode::Char('f'), KeyModifiers::CONTROL));
    for c in "홍길".chars() {
        app.on_key(KeyEvent::from(KeyCode::Char(c)));
    }
    app.on_key(KeyEvent::from(KeyCode::Enter));
    assert!(app.card.is_some(), "Enter on the result opens the card");
    app.on_key(KeyEvent::from(KeyCode::Char('b')));
    let mut k = Keys { app: &mut app, pressed: 0 };
    k.key(KeyCode::Tab);
    k.typed("1600");
    k.ctrl('s');
    assert!(k.app.booking.is_none(), "{:?}", k.app.booking.as_ref().map(|b| b.form.message.clone()));
    assert_eq!(
        bookings_of(&app, fx.hong),
        vec![("2026-11-23T16:00:00".to_string(), Some(fx.park), Some("chuna".into()), 40)]
    );
}

fn status(app: &App, id: i64) -> (String, Option<String>, Option<String>) {
    app.store
        .conn()
        .query_row(
            "SELECT a.status,
                    (SELECT reason FROM appointment_status_changes c WHERE c.appointment_id = a.id
                     ORDER BY c.id DESC LIMIT 1),
                    (SELECT note FROM appointment_status_changes c WHERE c.appointment_id = a.id
                     ORDER BY c.id DESC LIMIT 1)
             FROM appointments a WHERE a.id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap()
}

fn kimc_visit(app: &App) -> i64 {
    app.store
        .conn()
        .query_row("SELECT id FROM appointments WHERE start = '2026-11-23T09:30:00'", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn cancel_asks_a_reason_then_rebook_now_opens_the_booking_and_esc_at_each_step_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = app(&dir, Lang::En);
    let id = kimc_visit(&app);
    // Esc on the reason: nothing changes.
    app.on_command(frontdesk::app::keymap::Command::Cancel);
    let screen = text(&render(&app, 80, 24));
    assert!(screen.contains("Cancel - 김철") && screen.contains("Schedule change"), "{screen}");
    app.on_key(KeyEvent::from(KeyCode::Esc));
    assert_eq!(status(&app, id).0, "booked");
    assert!(app.tabs.today.reason.is_none());
    // The reason, a note, save: cancelled, then "rebook now?".
    let mut k = Keys { app: &mut app, pressed: 0 };
    k.key(KeyCode::Char('c'));
    k.key(KeyCode::Char('3')); // cost
    k.key(KeyCode::Tab);
    k.typed("next month");
    k.ctrl('s');
    assert_eq!(status(k.app, id), ("cancelled".into(), Some("cost".into()), Some("next month".into())));
    let screen = text(&render(k.app, 80, 24));
    assert!(screen.contains("Rebook now?"), "{screen}");
    k.key(KeyCode::Char('y'));
    let b = k.app.booking.as_ref().expect("rebooking opens the booking form");
    assert_eq!(b.form.picked("provider"), Some(fx.park.to_string()));
    assert_eq!(b.form.picked("treatment").as_deref(), Some("acupuncture"));
    assert_eq!(b.form.focused().id, "date");
    k.typed("1124");
    k.key(KeyCode::Tab);
    k.typed("1100");
    k.ctrl('s');
    assert!(k.app.booking.is_none(), "{:?}", k.app.booking.as_ref().map(|b| b.form.message.clone()));
    // c, reason, Tab (to the note; without a note: none), Ctrl-S, y, Tab, Ctrl-S.
    assert_eq!(k.pressed, 7);
    let booked: i64 = app
        .store
        .conn()
        .query_row(
            "SELECT count(*) FROM appointments WHERE start = '2026-11-24T11:00:00' AND provider_id = ?1",
            [fx.park],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(booked, 1);
}

#[test]
fn no_show_asks_a_reason_and_confirms_and_undo_takes_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _fx) = app(&dir, Lang::Ko);
    let id = kimc_visit(&app);
    let press = |app: &mut App, code: KeyCode| app.on_key(KeyEvent::from(code));
    // Esc on the reason, then "no" at the confirm: nothing changes.
    press(&mut app, KeyCode::Char('x'));
    press(&mut app, KeyCode::Esc);
    assert_eq!(status(&app, id).0, "booked");
    press(&mut app, KeyCode::Char('x'));
    press(&mut app, KeyCode::Char('5'));
    app.on_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    let screen = text(&render(&app, 80, 24));
    assert!(screen.contains("부도로 표시할까요") && screen.contains("연락두절"), "{screen}");
    press(&mut app, KeyCode::Esc);
    assert_eq!(status(&app, id).0, "booked");
    // Again, yes: a no-show with its reason.
    press(&mut app, KeyCode::Char('x'));
    press(&mut app, KeyCode::Char('5'));
    app.on_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    press(&mut app, KeyCode::Char('y'));
    assert_eq!(status(&app, id), ("no_show".into(), Some("unreachable".into()), Some(String::new())));
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(status(&app, id).0, "booked");
}

fn app_at(dir: &tempfile::TempDir, lang: Lang, now: chrono::NaiveDateTime) -> (App, Fx) {
    let mut store = open_at(&dir.path().join("clinic.db"), now);
    store
        .write(|tx| frontdesk::store::settings::set_setting(tx, frontdesk::app::setup::SETUP_DONE, "1"))
        .unwrap();
    let fx = fixture(&mut store);
    store.set_staff("김데스크");
    let opts = frontdesk::app::AppOptions { fixed_now: Some(now), ..options(lang, TabId::Today) };
    (App::new(store, opts).unwrap(), fx)
}

#[test]
fn the_header_counts_late_visits_and_end_of_day_marks_them_after_one_confirm() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _fx) = app_at(&dir, Lang::En, at(2026, 11, 23, 12, 0));
    let id = kimc_visit(&app);
    let header = |app: &App| text(&render(app, 120, 40)).lines().nth(2).unwrap_or("").to_string();
    assert!(header(&app).contains("late 1"), "{}", header(&app));
    // E, then no: nothing changes.
    app.on_key(KeyEvent::from(KeyCode::Char('E')));
    assert!(text(&render(&app, 80, 24)).contains("End of day"));
    app.on_key(KeyEvent::from(KeyCode::Esc));
    assert_eq!(status(&app, id).0, "booked");
    // E, yes: the late visit is a no-show; the header has no late left; u undoes it.
    app.on_key(KeyEvent::from(KeyCode::Char('E')));
    app.on_key(KeyEvent::from(KeyCode::Char('y')));
    assert_eq!(status(&app, id).0, "no_show");
    assert!(!header(&app).contains("late"), "{}", header(&app));
    app.on_key(KeyEvent::from(KeyCode::Char('u')));
    assert_eq!(status(&app, id).0, "booked");
    // Before anyone is late, E says there is nothing to mark.
    let dir = tempfile::tempdir().unwrap();
    let (mut early, _) = crate::app(&dir, Lang::En);
    early.on_key(KeyEvent::from(KeyCode::Char('E')));
    assert!(!early.tabs.today.end_of_day);
    assert!(!header(&early).contains("late"));
}

#[test]
fn the_header_says_when_the_day_shown_is_a_holiday() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = app_at(&dir, Lang::En, at(2026, 12, 25, 10, 0));
    let screen = text(&render(&app, 120, 40));
    assert!(screen.lines().nth(2).unwrap().contains("Closed, public holiday:"), "{screen}");
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = app_at(&dir, Lang::Ko, at(2026, 11, 29, 10, 0));
    assert!(text(&render(&app, 120, 40)).lines().nth(2).unwrap().contains("휴진일"));
}
