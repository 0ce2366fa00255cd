//! Presentation mode: a read-only store, masked names, logged unmasking, no way out,
//! the high-contrast theme.

use super::*;

#[test]
fn a_store_opened_read_only_refuses_writes_even_through_conn() {
    let dir = tempfile::tempdir().unwrap();
    let ids = small_clinic(&dir);
    let path = dir.path().join("clinic.db");
    let mut ro = Store::open(&path, Access::ReadOnly, Actor::named("screen")).unwrap();
    let err = ro.conn().execute("UPDATE patients SET name = 'x' WHERE id = ?1", [ids.hong]).unwrap_err();
    assert_eq!(err.sqlite_error_code(), Some(rusqlite::ErrorCode::ReadOnly), "{err}");
    let err = ro
        .conn()
        .execute("INSERT INTO huddles (held_on, started_at) VALUES ('2026-11-23', 'x')", [])
        .unwrap_err();
    assert_eq!(err.sqlite_error_code(), Some(rusqlite::ErrorCode::ReadOnly));
    assert!(matches!(ro.write(|tx| hs::start_huddle(tx, today(), fixed_now())), Err(StoreError::ReadOnly)));
    // Nothing reached the file.
    let rw = open(&path);
    let n: i64 = rw.conn().query_row("SELECT count(*) FROM huddles", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 0);
}

fn unmask_rows(path: &std::path::Path) -> i64 {
    let rw = open(path);
    rw.conn().query_row("SELECT count(*) FROM audit_log WHERE action = 'unmask'", [], |r| r.get(0)).unwrap()
}

#[test]
fn presentation_is_read_only_masked_and_has_no_way_out() {
    let dir = tempfile::tempdir().unwrap();
    small_clinic(&dir);
    let path = dir.path().join("clinic.db");
    let mut app = presentation_app(&path, Lang::En);
    assert_eq!(app.store.access(), Access::ReadOnly);
    let screen = text(&render(&app, 100, 30));
    assert!(screen.contains("홍*동") && screen.contains("010-****-2222"), "{screen}");
    assert!(!screen.contains("홍길동") && !screen.contains("010-1111-2222"));

    // No decisions, no unmasking, no other tab on the shared screen.
    app.on_key(key(KeyCode::Char('a')));
    assert!(!app.tabs.huddle.keyboard_grabbed());
    app.on_key(key(KeyCode::Char('m')));
    assert!(!app.tabs.huddle.is_unmasked(), "the shared screen has no unmask key");
    for tab in ['1', '3', '4', '5'] {
        app.on_key(key(KeyCode::Char(tab)));
        assert_eq!(app.active, TabId::Huddle);
    }
    app.on_key(key(KeyCode::Tab));
    assert_eq!(app.active, TabId::Huddle);
    let screen = text(&render(&app, 100, 30));
    assert!(!screen.contains("홍길동") && !screen.contains("010-1111-2222"), "{screen}");
    assert!(screen.contains("[masked]"), "{screen}");
    app.on_key(key(KeyCode::Char(' ')));
    app.on_key(key(KeyCode::Char(' ')));
    let rw = open(&path);
    let n: i64 = rw.conn().query_row("SELECT count(*) FROM huddles", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 0, "the timer runs on the shared screen without writing");
    assert_eq!(unmask_rows(&path), 0);
}

/// Every key of the whole keymap, and every printable key, pressed on the shared screen: no
/// frame shows a full name or phone number, and the database file is byte for byte the same.
#[test]
fn every_key_on_the_shared_screen_shows_nothing_unmasked_and_writes_nothing() {
    use frontdesk::app::keymap;
    let dir = tempfile::tempdir().unwrap();
    small_clinic(&dir);
    let path = dir.path().join("clinic.db");
    // Settle the file (WAL checkpointed) before taking its bytes.
    {
        let rw = open(&path);
        rw.conn().pragma_update(None, "wal_checkpoint", "TRUNCATE").unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let audit_before = {
        let rw = open(&path);
        rw.conn().query_row("SELECT count(*) FROM audit_log", [], |r| r.get::<_, i64>(0)).unwrap()
    };
    let full = [
        "홍길동",
        "김철수",
        "남궁민수",
        "John Smith",
        "이영희",
        "010-1111-2222",
        "010-3333-4444",
        "010-2468-1357",
    ];
    let mut keys: Vec<KeyEvent> = Vec::new();
    for (_, bindings) in keymap::TABLE {
        for b in *bindings {
            for k in b.keys {
                keys.push(KeyEvent::new(k.code, k.mods));
            }
        }
    }
    for c in (' '..='~').chain("ㅁㅎ한".chars()) {
        keys.push(key(KeyCode::Char(c)));
    }
    for code in [KeyCode::Enter, KeyCode::Esc, KeyCode::Tab, KeyCode::BackTab, KeyCode::Backspace] {
        keys.push(key(code));
    }
    for c in ['f', 'o', 's', 'c'] {
        keys.push(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
    }
    for lang in [Lang::Ko, Lang::En] {
        let mut app = presentation_app(&path, lang);
        for k in &keys {
            if k.code == KeyCode::Char('q') {
                continue; // quitting ends the session; pressed last
            }
            app.on_key(*k);
            app.on_paste("x");
            let screen = text(&render(&app, 100, 30));
            for name in full {
                assert!(!screen.contains(name), "{name} shown after {k:?}:\n{screen}");
            }
            assert_eq!(app.active, TabId::Huddle, "left the huddle after {k:?}");
            assert!(
                app.booking.is_none() && app.card.is_none() && app.search.is_none() && app.settings.is_none()
            );
            if app.help.is_some() {
                app.on_key(key(KeyCode::Esc));
            }
        }
        app.on_key(key(KeyCode::Char('q')));
        assert!(app.quit);
    }
    assert_eq!(std::fs::read(&path).unwrap(), before, "the shared screen changed the database file");
    let rw = open(&path);
    let audit_after: i64 = rw.conn().query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0)).unwrap();
    assert_eq!(audit_after, audit_before);
}

#[test]
fn presentation_uses_the_high_contrast_theme_and_large_digits() {
    let dir = tempfile::tempdir().unwrap();
    small_clinic(&dir);
    let app = presentation_app(&dir.path().join("clinic.db"), Lang::Ko);
    let buf = render(&app, 100, 30);
    // The body starts at row 2: five rows of '#' digits, in the not-started colour.
    let top: String = (0..40).map(|x| buf[(x, 2)].symbol().to_string()).collect();
    assert!(top.contains("######"), "{top}");
    let x = top.find('#').unwrap() as u16;
    assert_eq!(buf[(x, 2)].fg, theme::PRESENTATION.dim.fg.unwrap());
    assert_eq!(buf[(x, 2)].bg, theme::PRESENTATION.dim.fg.unwrap(), "a solid block");
    assert_eq!(buf[(90, 20)].bg, Color::Black, "high-contrast background");
}
