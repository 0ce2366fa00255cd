//! The OKR tab through keys: bar colours, check-ins, the objective and key result forms,
//! changes from another terminal, a draft that survives a dropped connection.

use super::*;

#[test]
fn an_off_track_bar_is_red_and_a_met_one_green_with_a_badge() {
    use ratatui::style::Color;
    let (_dir, app) = okr_app(fixture_with_board(), frontdesk::domain::Lang::En);
    for (w, h) in [(80, 24), (120, 40)] {
        let buf = render(&app, w, h);
        let filled = |cells: &[&ratatui::buffer::Cell]| -> Vec<Color> {
            cells.iter().filter(|c| c.symbol() == "━").map(|c| c.fg).collect()
        };
        // 예약률: off track, half filled in red.
        let booking = filled(&row_with(&buf, "예약률 80% 이상"));
        assert!(!booking.is_empty() && booking.iter().all(|c| *c == Color::Red), "{booking:?}");
        // 부도율: met, filled in green, and the "Met!" badge on green.
        let no_show_row = row_with(&buf, "부도율 30% 이하");
        let no_show = filled(&no_show_row);
        assert!(!no_show.is_empty() && no_show.iter().all(|c| *c == Color::Green), "{no_show:?}");
        let line: String = no_show_row.iter().map(|c| c.symbol()).collect();
        let badge =
            line.find("Met!").map(|b| frontdesk::domain::text::width(&line[..b])).expect("Met! badge");
        assert_eq!(no_show_row[badge].bg, Color::Green);
        // 신환: behind, yellow; 문의: on track, cyan.
        assert!(filled(&row_with(&buf, "신환 3명")).iter().all(|c| *c == Color::Yellow));
        assert!(filled(&row_with(&buf, "전화 문의 6건")).iter().all(|c| *c == Color::Cyan));
    }
}

#[test]
fn a_check_in_moves_the_manual_bar_at_once() {
    use crossterm::event::KeyCode;
    let (_dir, mut app) = okr_app(fixture_with_board(), frontdesk::domain::Lang::Ko);
    // The manual key result is selected first; its value is the 11-10 check-in.
    assert_eq!(app.tabs.okr.selected_key_result().unwrap().judgement.value, Some(5_000_000.0));
    type_text(&mut app, "c");
    assert!(app.tabs.okr.keyboard_grabbed_for_test());
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "2,000만원");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "이벤트 효과");
    ctrl_s(&mut app);
    assert!(!app.tabs.okr.keyboard_grabbed_for_test(), "the form closed");
    let k = app.tabs.okr.selected_key_result().unwrap();
    // Today's (11-23) check-in is now the latest: 20,000,000 ÷ 30,000,000 = 0.667 against a
    // pace of 0.76: behind (the 11-25 check-in is after today).
    assert_eq!(k.judgement.value, Some(20_000_000.0));
    assert_eq!(k.judgement.status, Status::Behind);
    let screen = text(&render(&app, 80, 24));
    assert!(screen.contains("2,000만 / >=3,000만"), "{screen}");
    // A computed key result takes no check-in.
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    type_text(&mut app, "c");
    assert!(!app.tabs.okr.keyboard_grabbed_for_test());
}

#[test]
fn a_new_objective_typed_in_the_form_is_judged_at_once() {
    use crossterm::event::KeyCode;
    let (_dir, mut app) = okr_app(fixture_with_board(), frontdesk::domain::Lang::En);
    type_text(&mut app, "n");
    type_text(&mut app, "재방문 관리");
    for _ in 0..3 {
        press(&mut app, KeyCode::Tab); // from, to (six months from 11-01 already filled), key result
    }
    type_text(&mut app, "재방문율 50% 이상");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "6"); // the sixth metric: return_rate
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab); // direction: at least
    type_text(&mut app, "많이");
    ctrl_s(&mut app);
    // Not a number: the form stays open with what was typed.
    assert!(app.tabs.okr.keyboard_grabbed_for_test());
    for _ in 0.."많이".chars().count() {
        press(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "50%");
    ctrl_s(&mut app);
    assert!(!app.tabs.okr.keyboard_grabbed_for_test());
    let o = app.tabs.okr.board().iter().find(|o| o.objective.title == "재방문 관리").expect("saved");
    assert_eq!((o.objective.from, o.objective.to), (nov(1), day(2027, 4, 30)));
    let k = &o.key_results[0];
    assert_eq!((k.key_result.metric.clone(), k.key_result.target), (Some(Metric::ReturnRate), 0.5));
    // 11-01 ..= 11-23: P1 and P2 came twice, P3 once: 2 ÷ 3 ≥ 0.5, met.
    assert!(close(k.judgement.value, 2.0 / 3.0));
    assert_eq!(k.judgement.status, Status::Met);
}

#[test]
fn editing_a_key_result_rejudges_it() {
    use crossterm::event::KeyCode;
    let (_dir, mut app) = okr_app(fixture_with_board(), frontdesk::domain::Lang::Ko);
    for _ in 0..3 {
        press(&mut app, KeyCode::Down);
    }
    assert_eq!(app.tabs.okr.selected_key_result().unwrap().key_result.title, "예약률 80% 이상");
    type_text(&mut app, "e");
    for _ in 0..3 {
        press(&mut app, KeyCode::Tab); // metric, direction, target
    }
    for _ in 0.."80%".len() {
        press(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "60%");
    ctrl_s(&mut app);
    let k = app.tabs.okr.selected_key_result().unwrap();
    // The booking rate to 11-23 is 3 ÷ 5 = 0.6: exactly the new target, met.
    assert_eq!(k.key_result.target, 0.6);
    assert_eq!(k.key_result.actions, ["전날 리마인드 전화"], "action items kept");
    assert_eq!(k.judgement.status, Status::Met);
}

#[test]
fn a_change_from_another_terminal_moves_the_bars_on_the_next_tick() {
    let (dir, mut app) = okr_app(fixture_with_board(), frontdesk::domain::Lang::En);
    let no_show = |app: &frontdesk::app::App| app.tabs.okr.board()[1].key_results[0].judgement;
    assert_eq!(no_show(&app).status, Status::Met);
    // Another desk marks a no-show on 11-20: 3 ÷ 8 = 0.375 > 0.30, and no baseline: off track.
    let other = open(&dir.path().join("clinic.db"));
    insert_appointment(&other, 1, "2026-11-20T15:00:00", "no_show", "chuna", "2026-11-19T09:00:00");
    app.on_tick();
    assert!(close(no_show(&app).value, 3.0 / 8.0));
    assert_eq!(no_show(&app).status, Status::OffTrack);
}

#[test]
fn a_check_in_being_typed_survives_a_dropped_connection() {
    use crossterm::event::KeyCode;
    use frontdesk::domain::Lang;
    let (dir, mut app) = okr_app(fixture_with_board(), Lang::En);
    type_text(&mut app, "c");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "1500만");
    app.save_draft_now();
    drop(app);
    // The terminal died; the next start offers the draft back.
    let store = open(&dir.path().join("clinic.db"));
    let mut app = frontdesk::app::App::new(store, options(Lang::En, frontdesk::app::TabId::Okr)).unwrap();
    assert!(app.pending_draft.is_some());
    press(&mut app, KeyCode::Char('y'));
    assert!(app.tabs.okr.keyboard_grabbed_for_test(), "the check-in form is back");
    ctrl_s(&mut app);
    let manual = &app.tabs.okr.board()[0].key_results[0];
    assert_eq!(manual.judgement.value, Some(15_000_000.0), "saved against the same key result");
}
