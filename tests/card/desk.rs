//! The card beneath the keys: another terminal's change followed, the desk functions'
//! refusals, and Ctrl-C with a note typed.

use super::*;

#[test]
fn the_card_follows_a_change_made_in_another_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = app(&dir, Lang::En);
    open_card(&mut app, "홍길");
    let mut other = open(&dir.path().join("clinic.db"));
    other.set_staff("박데스크");
    frontdesk::desk::huddle::tick_action(&mut other, fx.actions[0]).unwrap();
    app.sync_with_store();
    assert!(screen(&app).contains("Huddle actions (1)"), "{}", screen(&app));
}

#[test]
fn the_desk_functions_refuse_by_field_warn_of_a_phone_on_file_and_take_a_tick_back() {
    use frontdesk::desk::patients::{Corrected, correct_identity};
    use frontdesk::desk::{DeskError, Why};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.db");
    let fx = fixture(&path, fixed_now());
    let mut store = open(&path);
    store.set_staff("김데스크");
    let refused = |r: frontdesk::desk::Result<Corrected>| match r {
        Err(DeskError::Field { field, why }) => (field, why),
        other => panic!("{other:?}"),
    };
    assert_eq!(refused(correct_identity(&mut store, fx.hong, "  ", "", false)), ("name", Why::NameEmpty));
    assert!(matches!(
        refused(correct_identity(&mut store, fx.hong, "홍길동", "12", false)),
        ("phone", Why::Phone(_))
    ));
    match correct_identity(&mut store, fx.hong, "홍길동", "010 2222 3333", false).unwrap() {
        Corrected::SamePhone(others) => {
            assert_eq!(others.iter().map(|p| p.id).collect::<Vec<_>>(), vec![fx.kim])
        }
        other => panic!("{other:?}"),
    }
    // Its own number is no duplicate; nothing changed writes nothing.
    assert_eq!(
        correct_identity(&mut store, fx.hong, "홍길동", "010-1234-5678", false).unwrap(),
        Corrected::Saved(vec![])
    );
    assert_eq!(
        correct_identity(&mut store, fx.hong, "홍길동", "", false).unwrap(),
        Corrected::Saved(vec!["phone"]),
        "a phone may be removed"
    );
    let count: i64 = store
        .conn()
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action = 'correct' AND entity = 'patient'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(count, 1, "one audit row per correction that changed something");
    // The tick's undo: refused on an action not ticked; opens a ticked one.
    assert!(frontdesk::desk::huddle::untick_action(&mut store, fx.actions[0]).is_err());
    frontdesk::desk::huddle::tick_action(&mut store, fx.actions[0]).unwrap();
    frontdesk::desk::huddle::untick_action(&mut store, fx.actions[0]).unwrap();
    assert_eq!(open_actions_for(store.conn(), fx.hong).unwrap().len(), 2);
}

#[test]
fn ctrl_c_with_a_note_typed_on_the_card_asks_before_quitting() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = app(&dir, Lang::En);
    open_card(&mut app, "홍길");
    ch(&mut app, 'p');
    typed(&mut app, "주차");
    ctrl(&mut app, 'c');
    assert!(!app.quit, "asks first");
    assert!(notice(&app).contains("Post-it note - 홍길동"), "{}", notice(&app));
    // n: back to the note, as typed.
    ch(&mut app, 'n');
    ctrl(&mut app, 's');
    assert_eq!(notes_of(&app, fx.hong), vec!["주차".to_string()]);
}
