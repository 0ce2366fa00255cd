//! Picks in 한글 mode (issue 18): the staff pick moves with ㅓ/ㅏ as with j/k and picks by
//! digit; the huddle's owner pick numbers its names like every other pick of names.

mod common;

use common::{open_set_up, options};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use frontdesk::app::{App, TabId};
use frontdesk::domain::{Lang, Role};
use frontdesk::store::settings::add_staff;

fn press(app: &mut App, code: KeyCode) {
    app.on_key(KeyEvent::new(code, KeyModifiers::NONE));
}

fn clinic(path: &std::path::Path) -> App {
    let mut store = open_set_up(path);
    store
        .write(|tx| {
            add_staff(tx, "김데스크", Role::Desk)?;
            add_staff(tx, "이상담", Role::Desk)?;
            add_staff(tx, "박원장", Role::Director)?;
            Ok(())
        })
        .unwrap();
    store.set_staff("김데스크");
    App::new(store, options(Lang::En, TabId::Today)).unwrap()
}

#[test]
fn the_staff_pick_moves_with_the_jamo_and_picks_by_digit() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = clinic(&dir.path().join("p.db"));
    press(&mut app, KeyCode::F(2));
    let names = app.staff_pick.as_ref().unwrap().names.clone();
    assert!(names.len() >= 3, "{names:?}");
    press(&mut app, KeyCode::Char('ㅓ'));
    press(&mut app, KeyCode::Char('ㅓ'));
    press(&mut app, KeyCode::Char('ㅏ'));
    assert_eq!(app.staff_pick.as_ref().unwrap().selected, 1, "ㅓ ㅓ ㅏ = j j k");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.store.actor().staff, names[1]);
    // A digit picks at once, in either mode.
    press(&mut app, KeyCode::F(2));
    press(&mut app, KeyCode::Char('3'));
    assert!(app.staff_pick.is_none());
    assert_eq!(app.store.actor().staff, names[2]);
}
