//! The desk's huddle through keys: decisions, the saved length, the timer's colours and
//! stepping through the sections.

use super::*;

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
