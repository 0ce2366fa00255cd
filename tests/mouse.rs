//! The mouse at the desk (issue 18): tabs and rows by click, double-click opens, the wheel
//! moves lists and scrolls help - all through `App::on_mouse`, drawn on a test backend.

mod common;

use chrono::NaiveTime;
use common::{open_set_up, options};
use crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use frontdesk::app::{App, TabId};
use frontdesk::domain::Lang;
use frontdesk::store::appointments::{NewAppointment, insert_appointment};
use frontdesk::store::patients::{NewPatient, insert_patient};

const W: u16 = 100;
const H: u16 = 30;

fn mouse(kind: MouseEventKind, x: u16, y: u16) -> MouseEvent {
    MouseEvent { kind, column: x, row: y, modifiers: KeyModifiers::NONE }
}

fn click(app: &mut App, x: u16, y: u16) {
    app.on_mouse(mouse(MouseEventKind::Down(MouseButton::Left), x, y));
    app.on_mouse(mouse(MouseEventKind::Up(MouseButton::Left), x, y));
}

fn screen(app: &App) -> String {
    common::text(&common::render(app, W, H))
}

/// The chart number on the row carrying the selected-row marker.
fn selected_chart(app: &App) -> String {
    let s = screen(app);
    let line = s
        .lines()
        .find(|l| l.trim_start_matches(['│', '|', ' ']).starts_with("> "))
        .unwrap_or_else(|| panic!("no selected row:\n{s}"))
        .to_string();
    line.split_whitespace()
        .find(|w| w.len() == 6 && w.chars().all(|c| c.is_ascii_digit()))
        .unwrap()
        .to_string()
}

fn chart(i: usize) -> String {
    format!("{:06}", i + 1)
}

/// The screen row showing chart `i`.
fn row_of(app: &App, i: usize) -> u16 {
    screen(app).lines().position(|l| l.contains(&chart(i))).expect("row shown") as u16
}

/// A set-up clinic with `n` appointments today, one patient each, in chart order.
fn app_with(n: usize, lang: Lang) -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.db");
    let mut store = open_set_up(&path);
    let today = common::fixed_now().date();
    store
        .write(|tx| {
            for i in 0..n {
                let patient = insert_patient(
                    tx,
                    &NewPatient {
                        name: format!("마우스{i:02}"),
                        phone: format!("010-5551-{i:04}"),
                        ..Default::default()
                    },
                )?;
                let minutes = 8 * 60 + i as u32 * 10;
                insert_appointment(
                    tx,
                    &NewAppointment {
                        patient_id: patient,
                        start: today
                            .and_time(NaiveTime::from_hms_opt(minutes / 60, minutes % 60, 0).unwrap()),
                        duration_min: 10,
                        provider_id: None,
                        treatment_code: None,
                    },
                )?;
            }
            Ok(())
        })
        .unwrap();
    let app = App::new(store, options(lang, TabId::Today)).unwrap();
    (dir, app)
}

#[test]
fn a_click_on_a_tab_label_switches_to_it_in_either_language() {
    for lang in [Lang::Ko, Lang::En] {
        let (_dir, mut app) = app_with(3, lang);
        for tab in TabId::ALL.iter().rev().chain(TabId::ALL.iter()) {
            let bar = screen(&app).lines().next().unwrap().to_string();
            let label = format!("{} {}", tab.index() + 1, tab.title(lang));
            let at = bar.find(&label).unwrap_or_else(|| panic!("{label} in {bar:?}"));
            // Columns, not bytes: Korean titles are two columns per character.
            let x = frontdesk::domain::text::width(&bar[..at]) as u16;
            let last = x + frontdesk::domain::text::width(&label) as u16 - 1;
            click(&mut app, last, 0);
            assert_eq!(app.active, *tab, "{lang:?}: clicked the end of {label}");
            click(&mut app, x, 0);
            assert_eq!(app.active, *tab, "{lang:?}: clicked the start of {label}");
        }
        // Past the last label: nothing.
        click(&mut app, W - 1, 0);
        assert_eq!(app.active, TabId::Okr);
    }
}

#[test]
fn a_click_selects_a_row_and_a_double_click_opens_it() {
    let (_dir, mut app) = app_with(12, Lang::En);
    assert_eq!(selected_chart(&app), chart(0));
    let y = row_of(&app, 7);
    click(&mut app, 20, y);
    assert_eq!(selected_chart(&app), chart(7));
    assert!(app.card.is_none(), "one click only selects");
    // Up again, by a click above.
    let y = row_of(&app, 2);
    click(&mut app, 5, y);
    assert_eq!(selected_chart(&app), chart(2));
    // A click below the last row or on the header selects nothing.
    let below = row_of(&app, 11) + 1;
    click(&mut app, 20, below);
    assert_eq!(selected_chart(&app), chart(2));
    // The next 'a' acts on the clicked row.
    app.on_key(KeyEvent::new(KeyCode::Char('a'), KeyModifiers::NONE));
    assert!(screen(&app).contains("Arrived"));
    // Double-click: opens the patient's card, as Enter does.
    let y = row_of(&app, 4);
    click(&mut app, 20, y);
    assert!(app.card.is_none());
    let _ = screen(&app);
    click(&mut app, 20, y);
    assert!(app.card.is_some(), "a double-click opens the card");
    assert!(screen(&app).contains("마우스04"));
    // Clicks do not reach the tab under the card.
    let before = selected_chart_under_card(&app);
    click(&mut app, 20, 10);
    assert_eq!(selected_chart_under_card(&app), before);
}

/// The tab's selected key while an overlay covers the list.
fn selected_chart_under_card(app: &App) -> Option<i64> {
    app.tabs.get(TabId::Today).selected_key()
}

#[test]
fn the_wheel_moves_the_list_and_scrolls_help() {
    let (_dir, mut app) = app_with(12, Lang::En);
    let _ = screen(&app);
    app.on_mouse(mouse(MouseEventKind::ScrollDown, 20, 10));
    assert_eq!(selected_chart(&app), chart(3), "one notch: three rows");
    app.on_mouse(mouse(MouseEventKind::ScrollDown, 20, 10));
    app.on_mouse(mouse(MouseEventKind::ScrollDown, 20, 10));
    app.on_mouse(mouse(MouseEventKind::ScrollDown, 20, 10));
    assert_eq!(selected_chart(&app), chart(11), "stops at the last row");
    app.on_mouse(mouse(MouseEventKind::ScrollUp, 20, 10));
    assert_eq!(selected_chart(&app), chart(8));

    app.on_key(KeyEvent::new(KeyCode::Char('?'), KeyModifiers::NONE));
    let top = screen(&app);
    app.on_mouse(mouse(MouseEventKind::ScrollDown, 50, 10));
    let scrolled = screen(&app);
    assert_ne!(top, scrolled, "help scrolls");
    app.on_mouse(mouse(MouseEventKind::ScrollUp, 50, 10));
    assert_eq!(screen(&app), top, "and back");
    // Clicks on help change nothing underneath.
    click(&mut app, 2, 0);
    assert!(app.help.is_some());
    assert_eq!(app.active, TabId::Today);
}

#[test]
fn a_click_does_not_leave_a_form_that_holds_the_keyboard() {
    let (_dir, mut app) = app_with(2, Lang::En);
    app.on_key(KeyEvent::new(KeyCode::Char('4'), KeyModifiers::NONE));
    app.on_key(KeyEvent::new(KeyCode::Char('n'), KeyModifiers::NONE));
    assert!(app.open_form().is_some(), "the call form is open");
    let _ = screen(&app);
    click(&mut app, 2, 0);
    assert_eq!(app.active, TabId::Inquiries, "a digit would type into the field; so does not a click");
    app.on_mouse(mouse(MouseEventKind::ScrollDown, 20, 10));
    assert!(app.open_form().is_some());
}

#[test]
fn the_shared_screen_ignores_the_mouse() {
    let dir = tempfile::tempdir().unwrap();
    let store = open_set_up(&dir.path().join("s.db"));
    let mut opts = options(Lang::En, TabId::Huddle);
    opts.presentation = true;
    opts.mask = true;
    let mut app = App::new(store, opts).unwrap();
    let _ = screen(&app);
    click(&mut app, 2, 0);
    assert_eq!(app.active, TabId::Huddle);
}

#[test]
fn a_held_key_repeats() {
    let (_dir, mut app) = app_with(6, Lang::En);
    let mut held = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE);
    app.on_key(held);
    held.kind = KeyEventKind::Repeat;
    app.on_key(held);
    app.on_key(held);
    held.kind = KeyEventKind::Release;
    app.on_key(held);
    assert_eq!(selected_chart(&app), chart(3), "a press, two repeats; the release is not a key");
}

#[test]
fn a_click_on_a_pick_choice_chooses_it() {
    let (_dir, mut app) = app_with(2, Lang::En);
    app.on_key(KeyEvent::new(KeyCode::Char('4'), KeyModifiers::NONE));
    app.on_key(KeyEvent::new(KeyCode::Char('n'), KeyModifiers::NONE));
    let form = app.open_form().expect("the call form is open");
    // A pick field other than the focused one, and one of its choices that is not chosen.
    let (field, choice, label) = form
        .fields
        .iter()
        .enumerate()
        .filter(|(i, f)| *i != form.focus && !f.hidden)
        .find_map(|(i, f)| match &f.kind {
            frontdesk::app::form::FieldKind::Pick { choices, selected } if choices.len() > 2 => {
                let c = (1..choices.len()).find(|c| Some(*c) != *selected)?;
                Some((i, c, choices[c].label.clone()))
            }
            _ => None,
        })
        .expect("the call form has a pick field");
    // Where that choice is drawn: its label on the field's line (an unfocused pick shows
    // the labels alone).
    let s = screen(&app);
    let (y, x) = s
        .lines()
        .enumerate()
        .find_map(|(y, l)| {
            l.find(&format!(" {label} ")).map(|at| (y, frontdesk::domain::text::width(&l[..at]) + 1))
        })
        .unwrap_or_else(|| panic!("{label} not drawn:\n{s}"));
    click(&mut app, x as u16, y as u16);
    let form = app.open_form().expect("the form stays open");
    assert_eq!(form.focus, field, "the click moves to the choice's field");
    match &form.fields[field].kind {
        frontdesk::app::form::FieldKind::Pick { selected, .. } => {
            assert_eq!(*selected, Some(choice), "the clicked choice is chosen")
        }
        _ => unreachable!(),
    }
    // A click beside every choice changes nothing and does not leave the form.
    click(&mut app, 0, H - 1);
    assert!(app.open_form().is_some());
}
