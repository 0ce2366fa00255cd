//! Who is at this terminal (issue 15 item 7): the header says when nobody is picked, F2 opens
//! a pick list of the clinic's active staff, the first change asks once without losing what
//! was typed, every audit row carries the name, and the shared screen never asks.

mod common;

use common::keys::ctrl_s;
use common::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use frontdesk::app::{App, AppOptions, TabId};
use frontdesk::domain::{Lang, Role};
use frontdesk::store::appointments::{NewAppointment, insert_appointment};
use frontdesk::store::patients::{NewPatient, insert_patient};
use frontdesk::store::settings::add_staff;
use frontdesk::store::{Access, Actor, Store};

/// A clinic with two desk staff (one retired) and one appointment today.
fn clinic(path: &std::path::Path) {
    let mut store = open_set_up(path);
    store
        .write(|tx| {
            add_staff(tx, "김데스크", Role::Desk)?;
            add_staff(tx, "이상담", Role::Desk)?;
            let gone = add_staff(tx, "박퇴사", Role::Desk)?;
            frontdesk::store::settings::set_staff_active(tx, gone, false)?;
            let p = insert_patient(
                tx,
                &NewPatient { name: "홍길동".into(), phone: "010-1234-5678".into(), ..Default::default() },
            )?;
            insert_appointment(
                tx,
                &NewAppointment {
                    patient_id: p,
                    start: at(2026, 11, 23, 10, 0),
                    duration_min: 30,
                    provider_id: None,
                    treatment_code: None,
                },
            )?;
            Ok(())
        })
        .unwrap();
}

fn app_on(path: &std::path::Path, actor: Actor, presentation: bool) -> App {
    let store =
        Store::open_with_clock(path, Access::ReadWrite, actor, frontdesk::store::Clock::Fixed(fixed_now()))
            .unwrap();
    let opts = AppOptions { presentation, mask: presentation, ..options(Lang::En, TabId::Today) };
    App::new(store, opts).unwrap()
}

fn press(app: &mut App, code: KeyCode) {
    app.on_key(KeyEvent::from(code));
}

fn typed(app: &mut App, s: &str) {
    for c in s.chars() {
        press(app, KeyCode::Char(c));
    }
}

/// The staff names stamped on the audit rows written after row `after`.
fn audit_staff(app: &App, after: i64) -> Vec<(String, String)> {
    let mut stmt =
        app.store.conn().prepare("SELECT action, staff FROM audit_log WHERE id > ?1 ORDER BY id").unwrap();
    stmt.query_map([after], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
}

fn last_audit_id(app: &App) -> i64 {
    app.store.conn().query_row("SELECT coalesce(max(id), 0) FROM audit_log", [], |r| r.get(0)).unwrap()
}

fn notes(app: &App) -> Vec<String> {
    let mut stmt = app.store.conn().prepare("SELECT body FROM notes ORDER BY id").unwrap();
    stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
}

#[test]
fn the_header_says_nobody_is_picked_at_every_width() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.db");
    clinic(&path);
    let app = app_on(&path, Actor::named("desk1"), false);
    for (w, h) in [(80, 24), (120, 40)] {
        let screen = text(&render(&app, w, h));
        let header = screen.lines().nth(1).unwrap();
        assert!(header.contains("Staff: not picked (F2)"), "{w}: {header}");
    }
    // Named by the config or FRONTDESK_STAFF: the name, and nothing asks.
    let named = Actor { staff: "김데스크".into(), ..Actor::named("desk1") };
    let app = app_on(&path, named, false);
    let header = text(&render(&app, 120, 40)).lines().nth(1).unwrap().to_string();
    assert!(header.contains("김데스크 (desk1)") && !header.contains("not picked"), "{header}");
    assert!(!app.store.asks_for_staff());
    // A long clinic name, a picked name and the file's name never cover the clock: at 80
    // columns the file's name gives way first, and what is shown stands whole.
    drop(app);
    let mut store = open(&path);
    store.write(|tx| frontdesk::store::settings::set_setting(tx, "clinic_name", "한결한의원 본원")).unwrap();
    drop(store);
    let named = Actor { staff: "최수진".into(), ..Actor::named("desk1") };
    let mut app = app_on(&path, named, false);
    app.opts.db_label = "~/.local/share/frontdesk/demo.db".into();
    for (w, h) in [(80, 24), (120, 40), (160, 50)] {
        let header = text(&render(&app, w, h)).lines().nth(1).unwrap().to_string();
        assert!(header.contains("한결한의원 본원  2026-11-23 (Mon) 09:20"), "{w}: {header}");
        assert!(header.contains("최수진"), "{w}: {header}");
        if w >= 120 {
            assert!(header.contains("demo.db"), "{w}: {header}");
        }
    }
}

#[test]
fn f2_picks_from_the_active_staff_and_esc_leaves_it_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.db");
    clinic(&path);
    let mut app = app_on(&path, Actor::named("desk1"), false);
    press(&mut app, KeyCode::F(2));
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("Who is at this terminal"), "{screen}");
    assert!(screen.contains("김데스크") && screen.contains("이상담"), "{screen}");
    assert!(!screen.contains("박퇴사"), "a retired member is not offered:\n{screen}");
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    assert!(app.staff_pick.is_none());
    assert_eq!(app.store.actor().staff, "이상담");
    let header = text(&render(&app, 120, 40)).lines().nth(1).unwrap().to_string();
    assert!(header.contains("이상담 (desk1)"), "{header}");
    // Changeable at any time, even with a form open; Esc leaves it as it was.
    typed(&mut app, "p");
    assert!(app.open_form().is_some());
    press(&mut app, KeyCode::F(2));
    assert!(app.staff_pick.is_some());
    press(&mut app, KeyCode::Esc);
    assert!(app.staff_pick.is_none() && app.open_form().is_some(), "Esc closes only the list");
    assert_eq!(app.store.actor().staff, "이상담");
    press(&mut app, KeyCode::F(2));
    press(&mut app, KeyCode::Char('1'));
    assert_eq!(app.store.actor().staff, "김데스크");
    // Every audit row of a change carries the picked name.
    let before = last_audit_id(&app);
    typed(&mut app, "보호자 동행");
    ctrl_s(&mut app);
    assert_eq!(notes(&app), vec!["보호자 동행".to_string()]);
    let rows = audit_staff(&app, before);
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|(_, staff)| staff == "김데스크"), "{rows:?}");
}

#[test]
fn the_first_change_asks_once_and_keeps_the_form() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.db");
    clinic(&path);
    let mut app = app_on(&path, Actor::named("desk1"), false);
    let before = last_audit_id(&app);
    typed(&mut app, "p");
    typed(&mut app, "오후 3시 이후 연락");
    ctrl_s(&mut app);
    // Nothing saved yet, the list asks, the form is intact under it.
    assert!(notes(&app).is_empty());
    assert!(app.staff_pick.is_some(), "the save asks who is here");
    let form = app.open_form().expect("the form stays open");
    assert_eq!(form.text("body"), "오후 3시 이후 연락");
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("Before saving: who is this?"), "{screen}");
    // Picking saves what was typed, with the name on its audit rows.
    press(&mut app, KeyCode::Enter);
    assert!(app.staff_pick.is_none());
    assert_eq!(notes(&app), vec!["오후 3시 이후 연락".to_string()]);
    assert!(app.open_form().is_none(), "saved and closed");
    let rows = audit_staff(&app, before);
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|(_, s)| s == "김데스크"), "{rows:?}");
    // It asked once: a single-key action goes straight through.
    press(&mut app, KeyCode::Char('a'));
    assert!(app.staff_pick.is_none());
    assert_eq!(audit_staff(&app, before).last().unwrap().1, "김데스크");
}

#[test]
fn esc_on_the_question_saves_with_the_os_user_only_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.db");
    clinic(&path);
    let mut app = app_on(&path, Actor::named("desk1"), false);
    let before = last_audit_id(&app);
    // A single-key action meets the question first.
    press(&mut app, KeyCode::Char('a'));
    assert!(app.staff_pick.is_some());
    let arrived: i64 = app
        .store
        .conn()
        .query_row("SELECT count(*) FROM appointments WHERE status = 'arrived'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(arrived, 0, "nothing changed before the answer");
    press(&mut app, KeyCode::Esc);
    assert!(app.staff_pick.is_none());
    let arrived: i64 = app
        .store
        .conn()
        .query_row("SELECT count(*) FROM appointments WHERE status = 'arrived'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(arrived, 1, "Esc lets the action go ahead");
    let rows = audit_staff(&app, before);
    assert!(!rows.is_empty() && rows.iter().all(|(_, s)| s.is_empty()), "{rows:?}");
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("Saved without a staff name"), "{screen}");
    // Not asked again; the header still offers F2.
    typed(&mut app, "p");
    typed(&mut app, "메모");
    ctrl_s(&mut app);
    assert!(app.staff_pick.is_none());
    assert_eq!(notes(&app), vec!["메모".to_string()]);
    assert!(text(&render(&app, 120, 40)).contains("Staff: not picked (F2)"));
}

#[test]
fn the_shared_screen_never_asks_and_never_shows_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.db");
    clinic(&path);
    let mut app = app_on(&path, Actor::named("screen"), true);
    assert!(!app.store.asks_for_staff());
    for (w, h) in [(80, 24), (120, 40), (200, 60)] {
        let screen = text(&render(&app, w, h));
        assert!(!screen.contains("F2") && !screen.contains("not picked"), "{screen}");
    }
    press(&mut app, KeyCode::F(2));
    assert!(app.staff_pick.is_none());
    press(&mut app, KeyCode::Char('?'));
    let help = text(&render(&app, 120, 40));
    assert!(!help.contains("F2"), "{help}");
}

#[test]
fn the_desk_help_documents_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.db");
    clinic(&path);
    let mut app = app_on(&path, Actor::named("desk1"), false);
    press(&mut app, KeyCode::Char('?'));
    let mut all = String::new();
    for _ in 0..12 {
        all.push_str(&text(&render(&app, 120, 40)));
        press(&mut app, KeyCode::Down);
    }
    assert!(all.contains("F2") && all.contains("Who is at this terminal"), "{all}");
}

#[test]
fn a_settings_delete_confirmed_before_anyone_is_picked_goes_ahead_after_the_pick() {
    use frontdesk::app::settings::Section;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.db");
    clinic(&path);
    let mut app = app_on(&path, Actor::named("desk1"), false);
    let before = last_audit_id(&app);
    app.on_key(KeyEvent::new(KeyCode::Char('o'), KeyModifiers::CONTROL));
    while app.settings.as_ref().unwrap().section != Section::Categories {
        press(&mut app, KeyCode::Right);
    }
    let code = app.settings.as_ref().unwrap().data.complaint_categories[0].code.clone();
    let count = |app: &App| -> i64 {
        app.store
            .conn()
            .query_row("SELECT count(*) FROM complaint_categories WHERE code = ?1", [&code], |r| r.get(0))
            .unwrap()
    };
    press(&mut app, KeyCode::Char('D'));
    press(&mut app, KeyCode::Char('y'));
    assert!(app.staff_pick.is_some(), "the delete asks who is here first");
    assert_eq!(count(&app), 1, "nothing deleted before the answer");
    press(&mut app, KeyCode::Enter);
    assert_eq!(count(&app), 0, "the confirmed delete goes ahead after the pick");
    assert!(audit_staff(&app, before).iter().all(|(_, s)| s == "김데스크"));
}
