//! Migration 7 (issue 21): a database made at schema 6, before the `package_finished` dropout
//! reason had a weight row, gets the default weight on opening, so the settings screen lists
//! it with the weight the huddle uses; a weight the clinic set is kept; a new file is unchanged.

mod common;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use frontdesk::app::{App, TabId};
use frontdesk::domain::Lang;

fn weight(store: &frontdesk::store::Store, reason: &str) -> Option<i64> {
    store
        .conn()
        .query_row("SELECT weight FROM dropout_weights WHERE reason = ?1", [reason], |r| r.get(0))
        .ok()
}

/// A file as schema 6 left it: no `package_finished` row (or the given one), user_version 6.
fn make_v6(path: &std::path::Path, package_finished: Option<i64>) {
    drop(common::open_set_up(path));
    let c = rusqlite::Connection::open(path).unwrap();
    c.execute("DELETE FROM dropout_weights WHERE reason = 'package_finished'", []).unwrap();
    if let Some(w) = package_finished {
        c.execute("INSERT INTO dropout_weights (reason, weight) VALUES ('package_finished', ?1)", [w])
            .unwrap();
    }
    c.pragma_update(None, "user_version", 6).unwrap();
}

#[test]
fn a_version_6_database_gets_the_package_finished_weight_once() {
    const { assert!(frontdesk::store::SCHEMA_VERSION >= 7) };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.db");
    make_v6(&path, None);
    let store = common::open(&path);
    assert_eq!(store.schema_version().unwrap(), frontdesk::store::SCHEMA_VERSION);
    assert_eq!(weight(&store, "package_finished"), Some(2), "the default of data/dropout_weights.toml");
    // The other weights are untouched, and reopening changes nothing.
    assert_eq!(weight(&store, "open_complaint"), Some(3));
    let rows: i64 = store.conn().query_row("SELECT count(*) FROM dropout_weights", [], |r| r.get(0)).unwrap();
    assert_eq!(rows, 7);
    drop(store);
    let store = common::open(&path);
    let rows2: i64 =
        store.conn().query_row("SELECT count(*) FROM dropout_weights", [], |r| r.get(0)).unwrap();
    assert_eq!(rows2, 7);
    let migrations: i64 = store
        .conn()
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action = 'migrate' AND detail = ?1",
            [format!("6 -> {}", frontdesk::store::SCHEMA_VERSION)],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(migrations, 1, "migrated once, audited");

    // The settings screen lists the reason with its weight.
    let mut app = App::new(store, common::options(Lang::Ko, TabId::Today)).unwrap();
    app.on_key(KeyEvent::new(KeyCode::Char('o'), KeyModifiers::CONTROL));
    let mut seen = String::new();
    for _ in 0..20 {
        seen = common::text(&common::render(&app, 100, 30));
        if seen.contains("패키지 끝남") {
            break;
        }
        app.on_key(KeyEvent::new(KeyCode::Right, KeyModifiers::NONE));
    }
    let line = seen.lines().find(|l| l.contains("패키지 끝남")).unwrap_or_else(|| panic!("listed:\n{seen}"));
    assert!(line.contains("  2 패키지 끝남") || line.contains(" 2 패키지 끝남"), "{line}");
}

#[test]
fn a_weight_the_clinic_set_is_kept_and_a_new_file_has_one_row() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kept.db");
    make_v6(&path, Some(5));
    let store = common::open(&path);
    assert_eq!(store.schema_version().unwrap(), frontdesk::store::SCHEMA_VERSION);
    assert_eq!(weight(&store, "package_finished"), Some(5));

    let fresh = common::open(&dir.path().join("new.db"));
    assert_eq!(weight(&fresh, "package_finished"), Some(2));
    let n: i64 = fresh
        .conn()
        .query_row("SELECT count(*) FROM dropout_weights WHERE reason = 'package_finished'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
}
