//! First-run setup and the settings screen: flow, validation that keeps the form, snapshots.

mod common;

use common::keys::{ctrl, key, typed};
use common::*;
use crossterm::event::KeyCode;
use frontdesk::app::keymap::Command;
use frontdesk::app::{App, TabId};
use frontdesk::domain::Lang;

fn fresh(dir: &tempfile::TempDir, lang: Lang) -> App {
    App::new(open(&dir.path().join("new.db")), options(lang, TabId::Today)).unwrap()
}

#[test]
fn a_new_database_opens_on_the_setup_and_saves_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fresh(&dir, Lang::Ko);
    assert!(app.first_run.is_some());
    let screen = text(&render(&app, 120, 40));
    assert!(
        screen.contains("처음 설정") && !screen.contains("시간순으로 여기에"),
        "setup instead of empty tabs:\n{screen}"
    );
    typed(&mut app, "한결한의원");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "d"); // dental
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "김원장, 이원장");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "최데스크");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    // A bad hours value keeps the form and everything typed.
    ctrl(&mut app, 'u');
    typed(&mut app, "19:00-09:00");
    ctrl(&mut app, 's');
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("closing must be after opening"), "{screen}");
    assert!(screen.contains("김원장, 이원장"), "typed text kept:\n{screen}");
    ctrl(&mut app, 'u');
    typed(&mut app, "09:00-18:00");
    ctrl(&mut app, 's');
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("어떻게 시작할까요"), "{screen}");
    key(&mut app, KeyCode::Char('1'));
    assert!(app.first_run.is_none());
    assert_eq!(app.active, TabId::Today);
    let conn = app.store.conn();
    let staff: Vec<(String, String)> = conn
        .prepare("SELECT name, role FROM staff ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        staff,
        vec![
            ("김원장".to_string(), "director".to_string()),
            ("이원장".into(), "director".into()),
            ("최데스크".into(), "desk".into())
        ]
    );
    assert_eq!(app.store.setting("clinic_kind").unwrap().as_deref(), Some("dental"));
    assert_eq!(app.store.setting("hours").unwrap().as_deref(), Some("09:00-18:00"));
    assert_eq!(app.clinic_name, "한결한의원");
    // Reopening does not ask again.
    let path = app.store.path().to_path_buf();
    drop(app);
    let again = App::new(open(&path), options(Lang::Ko, TabId::Today)).unwrap();
    assert!(again.first_run.is_none());
}

#[test]
fn everything_can_be_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fresh(&dir, Lang::En);
    key(&mut app, KeyCode::Esc);
    assert!(text(&render(&app, 80, 24)).contains("How would you like to start"));
    key(&mut app, KeyCode::Char('2'));
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("frontdesk import patients patients.csv --dry-run"), "{screen}");
    assert!(screen.contains("chart_no,name,phone,birth_date,sex,first_visit"), "{screen}");
    key(&mut app, KeyCode::Esc);
    assert!(app.first_run.is_none());
    assert_eq!(app.store.setting("setup_done").unwrap().as_deref(), Some("skipped"));
    let staff: i64 = app.store.conn().query_row("SELECT count(*) FROM staff", [], |r| r.get(0)).unwrap();
    assert_eq!(staff, 0);
}

#[test]
fn settings_add_a_provider_validate_and_retire() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = empty_app(&dir, Lang::En, TabId::Callbacks);
    // The admin is named (as FRONTDESK_STAFF does): once staff exist, no change asks who it is.
    app.store.set_staff("Admin");
    ctrl(&mut app, 'o');
    assert!(app.settings.is_some());
    key(&mut app, KeyCode::Right); // staff
    key(&mut app, KeyCode::Char('n'));
    ctrl(&mut app, 's');
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("required"), "{screen}");
    typed(&mut app, "Dr Park");
    key(&mut app, KeyCode::Tab);
    // d is shared by Director and Desk: it picks neither; the number picks Director.
    key(&mut app, KeyCode::Char('d'));
    key(&mut app, KeyCode::Char('1'));
    ctrl(&mut app, 's');
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("Dr Park") && screen.contains("Director"), "{screen}");
    key(&mut app, KeyCode::Char('x'));
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("(retired)"), "{screen}");
    let active: bool = app
        .store
        .conn()
        .query_row("SELECT active FROM staff WHERE name='Dr Park'", [], |r| r.get(0))
        .unwrap();
    assert!(!active);
    let audited: i64 = app
        .store
        .conn()
        .query_row("SELECT count(*) FROM audit_log WHERE entity='staff'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(audited, 2, "create and retire");
    // Deleting a treatment in use is refused; Esc closes the screen.
    key(&mut app, KeyCode::Esc);
    assert!(app.settings.is_none());
    app.on_command(Command::Settings);
    assert!(app.settings.is_some());
}

#[test]
fn snapshots_of_setup_and_settings() {
    for lang in [Lang::Ko, Lang::En] {
        for (w, h) in [(80u16, 24u16), (120, 40)] {
            let dir = tempfile::tempdir().unwrap();
            let mut app = fresh(&dir, lang);
            insta::assert_snapshot!(
                format!("first_run_{}_{}x{}", lang.code(), w, h),
                text(&render(&app, w, h))
            );
            key(&mut app, KeyCode::Esc);
            insta::assert_snapshot!(
                format!("ways_on_{}_{}x{}", lang.code(), w, h),
                text(&render(&app, w, h))
            );
            key(&mut app, KeyCode::Char('1'));
            ctrl(&mut app, 'o');
            insta::assert_snapshot!(
                format!("settings_clinic_{}_{}x{}", lang.code(), w, h),
                text(&render(&app, w, h))
            );
            key(&mut app, KeyCode::Right);
            key(&mut app, KeyCode::Right);
            insta::assert_snapshot!(
                format!("settings_treatments_{}_{}x{}", lang.code(), w, h),
                text(&render(&app, w, h))
            );
            key(&mut app, KeyCode::Char('e'));
            insta::assert_snapshot!(
                format!("settings_treatment_form_{}_{}x{}", lang.code(), w, h),
                text(&render(&app, w, h))
            );
        }
    }
}

/// Saturday's hours and the lunch break are checked like the opening hours when given, and
/// may be left empty: a wrong one keeps the form with its field marked; emptied, it saves.
#[test]
fn a_wrong_saturday_or_lunch_keeps_the_setup_and_empty_ones_save() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fresh(&dir, Lang::En);
    typed(&mut app, "Clinic");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "d");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "Dr Kim");
    for _ in 0..4 {
        key(&mut app, KeyCode::Tab);
    }
    // Saturday, then the lunch break: each wrong in turn, then emptied.
    for (field, said) in [("saturday_hours", "Check Saturday's hours"), ("lunch", "Check the lunch break")] {
        ctrl(&mut app, 'u');
        typed(&mut app, "19:00-09:00");
        ctrl(&mut app, 's');
        let form = app.first_run.as_ref().and_then(|f| f.form()).expect("the setup stays open");
        assert!(form.get(field).error.is_some(), "{field}: {:?}", form.fields);
        let screen = text(&render(&app, 120, 40));
        assert!(screen.contains(said), "{screen}");
        ctrl(&mut app, 'u');
        key(&mut app, KeyCode::Tab);
    }
    ctrl(&mut app, 's');
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("How would you like to start?"), "{screen}");
    key(&mut app, KeyCode::Char('1'));
    assert_eq!(app.store.setting("saturday_hours").unwrap().as_deref(), Some(""));
    assert_eq!(app.store.setting("lunch").unwrap().as_deref(), Some(""));
}
