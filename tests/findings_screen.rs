//! The settings screen shows admins the outside changes recorded in the audit log (what was
//! found, when) and acknowledges them with a confirm prompt: an audited action with the same
//! effect as `frontdesk check --acknowledge` (issue 15 item 6).

mod common;

use std::path::Path;

use crossterm::event::{KeyCode, KeyEvent};
use frontdesk::app::keymap::Command;
use frontdesk::app::{App, TabId};
use frontdesk::domain::{Lang, Role};
use frontdesk::store::audit;
use rusqlite::Connection;

fn check(db: &Path) -> (Option<i32>, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_frontdesk"))
        .arg("--db")
        .arg(db)
        .arg("check")
        .env(common::FIXED_NOW_ENV.0, common::FIXED_NOW_ENV.1)
        .output()
        .unwrap();
    (out.status.code(), String::from_utf8_lossy(&out.stdout).to_string())
}

/// A clinic with one staff member and an UPDATE made behind frontdesk's back.
fn tampered(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("clinic.db");
    let mut store = common::open_set_up(&db);
    store
        .write(|tx| {
            frontdesk::store::settings::add_staff(tx, "김관리", Role::Director)?;
            Ok(())
        })
        .unwrap();
    drop(store);
    Connection::open(&db)
        .unwrap()
        .execute("UPDATE staff SET name = '김바뀜' WHERE name = '김관리'", [])
        .unwrap();
    db
}

fn press(app: &mut App, code: KeyCode) {
    app.on_key(KeyEvent::from(code));
}

#[test]
fn settings_lists_outside_changes_and_acknowledges_them_with_a_confirm() {
    let dir = tempfile::tempdir().unwrap();
    let db = tampered(dir.path());
    let mut app = App::new(common::open(&db), common::options(Lang::En, TabId::Today)).unwrap();
    let found = audit::unacknowledged(app.store.conn()).unwrap();
    assert_eq!(found.len(), 1, "opening recorded the outside change");
    app.on_command(Command::Settings);
    let screen = common::text(&common::render(&app, 160, 40));
    assert!(screen.contains("1 not acknowledged: outside change found 2026-11-23 09:20"), "{screen}");
    assert!(screen.contains("A acknowledges"), "{screen}");

    // The prompt lists what was found and when; any other key leaves it as it is.
    press(&mut app, KeyCode::Char('A'));
    let screen = common::text(&common::render(&app, 160, 40));
    assert!(screen.contains("Acknowledge outside changes"), "{screen}");
    assert!(
        screen.contains(&format!("2026-11-23 09:20  outside change found (#{})", found[0].id)),
        "{screen}"
    );
    assert!(screen.contains("y acknowledges"), "{screen}");
    press(&mut app, KeyCode::Char('n'));
    assert!(!common::text(&common::render(&app, 160, 40)).contains("Acknowledge outside changes"));
    assert_eq!(audit::unacknowledged(app.store.conn()).unwrap().len(), 1, "not now: nothing written");
    assert_eq!(check(&db).0, Some(1), "check still reports it");

    // Esc on the prompt does not close settings, and y acknowledges, on the record.
    press(&mut app, KeyCode::Char('A'));
    press(&mut app, KeyCode::Esc);
    assert!(app.settings.is_some());
    press(&mut app, KeyCode::Char('A'));
    press(&mut app, KeyCode::Char('y'));
    // Nobody is picked at this terminal: the list asks first, then the acknowledgement goes on.
    assert!(app.staff_pick.is_some(), "who acknowledges is asked first");
    assert_eq!(audit::unacknowledged(app.store.conn()).unwrap().len(), 1);
    press(&mut app, KeyCode::Enter);
    assert!(audit::unacknowledged(app.store.conn()).unwrap().is_empty());
    let screen = common::text(&common::render(&app, 160, 40));
    assert!(!screen.contains("not acknowledged"), "{screen}");
    assert!(screen.contains("Acknowledged: 1 finding(s)"), "{screen}");
    let (action, os_user, staff): (String, String, String) = app
        .store
        .conn()
        .query_row("SELECT action, os_user, staff FROM audit_log ORDER BY id DESC LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    assert_eq!((action.as_str(), os_user.as_str(), staff.as_str()), (audit::ACKNOWLEDGE, "desk1", "김바뀜"));
    drop(app);
    let (code, out) = check(&db);
    assert_eq!(code, Some(0), "check stops reporting it: {out}");

    // With nothing to acknowledge, the key does nothing.
    let mut app = App::new(common::open(&db), common::options(Lang::Ko, TabId::Today)).unwrap();
    app.on_command(Command::Settings);
    press(&mut app, KeyCode::Char('A'));
    let screen = common::text(&common::render(&app, 160, 40));
    assert!(!screen.contains("외부 변경 확인 처리"), "{screen}");
}
