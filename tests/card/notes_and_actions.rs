//! Huddle actions ticked (and taken back), notes, stickers and complaints from the
//! card, Esc changing nothing, the write lock held elsewhere.

use super::*;

#[test]
fn a_huddle_action_is_ticked_from_the_card_and_u_takes_the_tick_back() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = app(&dir, Lang::En);
    open_card(&mut app, "홍길");
    // Two open: x asks which; Esc (any key but a listed number) leaves, changing nothing.
    ch(&mut app, 'x');
    assert!(notice(&app).contains("Which action?"), "{}", notice(&app));
    key(&mut app, KeyCode::Esc);
    assert!(app.card.is_some(), "Esc leaves the question, not the card");
    ch(&mut app, '7');
    assert_eq!(open_actions(&app, fx.hong), fx.actions.to_vec());
    // x 2 ticks the second off, audited; the card shows one left.
    ch(&mut app, 'x');
    ch(&mut app, '2');
    assert_eq!(open_actions(&app, fx.hong), vec![fx.actions[0]]);
    assert!(notice(&app).contains("Action ticked off: 보험 서류 안내 (u undoes)"), "{}", notice(&app));
    assert!(screen(&app).contains("Huddle actions (1)"), "{}", screen(&app));
    // u opens it again (audited too).
    ch(&mut app, 'u');
    assert_eq!(open_actions(&app, fx.hong), fx.actions.to_vec());
    assert_eq!(audit_count(&app, "update", "huddle_action"), 2, "the tick and its undo");
    let reopened: String = app
        .store
        .conn()
        .query_row(
            "SELECT detail FROM audit_log WHERE entity = 'huddle_action' ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(reopened, "reopened");
    // Nothing more to take back.
    ch(&mut app, 'u');
    assert!(notice(&app).contains("Nothing done on this card to undo"), "{}", notice(&app));
    // With one left, x ticks it at once (한글 mode: ㅌ).
    frontdesk::desk::huddle::tick_action(&mut app.store, fx.actions[1]).unwrap();
    app.sync_with_store();
    ch(&mut app, 'ㅌ');
    assert!(open_actions(&app, fx.hong).is_empty());
    ch(&mut app, 'x');
    assert!(notice(&app).contains("No open huddle action"), "{}", notice(&app));
}

#[test]
fn a_tick_while_another_terminal_holds_the_lock_writes_nothing_and_works_once_it_is_gone() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = app(&dir, Lang::En);
    open_card(&mut app, "홍길");
    let lock = hold_lock(&dir);
    ch(&mut app, 'x');
    ch(&mut app, '1');
    assert!(matches!(app.notice, Some(frontdesk::app::Notice::Error(_))), "{}", notice(&app));
    drop(lock);
    assert_eq!(open_actions(&app, fx.hong), fx.actions.to_vec(), "nothing half-written");
    assert!(app.card.is_some());
    ch(&mut app, 'x');
    ch(&mut app, '1');
    assert_eq!(open_actions(&app, fx.hong), vec![fx.actions[1]]);
    // The undo under the lock is kept for later.
    let lock = hold_lock(&dir);
    ch(&mut app, 'u');
    drop(lock);
    assert_eq!(open_actions(&app, fx.hong), vec![fx.actions[1]]);
    ch(&mut app, 'u');
    assert_eq!(open_actions(&app, fx.hong), fx.actions.to_vec(), "u again once the lock is gone");
}

#[test]
fn note_stickers_and_complaint_from_the_card_with_esc_changing_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = app(&dir, Lang::En);
    open_card(&mut app, "홍길");
    // Note: typed then Esc asks; yes discards, nothing written.
    ch(&mut app, 'p');
    typed(&mut app, "조용한 방 선호");
    key(&mut app, KeyCode::Esc);
    ch(&mut app, 'y');
    assert!(app.card.as_ref().unwrap().work.step.is_none());
    assert!(notes_of(&app, fx.hong).is_empty());
    // Saved: on the card at once.
    ch(&mut app, 'p');
    typed(&mut app, "조용한 방 선호");
    ctrl(&mut app, 's');
    assert_eq!(notes_of(&app, fx.hong), vec!["조용한 방 선호".to_string()]);
    assert!(screen(&app).contains("Notes (1)"), "{}", screen(&app));
    // Stickers: Esc on the untouched form closes it.
    ch(&mut app, 't');
    key(&mut app, KeyCode::Esc);
    assert!(frontdesk::store::tags::patient_tags(app.store.conn(), fx.hong).unwrap().is_empty());
    ch(&mut app, 't');
    typed(&mut app, "ps");
    ctrl(&mut app, 's');
    assert_eq!(
        frontdesk::store::tags::patient_tags(app.store.conn(), fx.hong).unwrap(),
        vec![Tag::Prospect, Tag::Satisfied]
    );
    // Complaint: the category is required; saved once given.
    ch(&mut app, '!');
    ctrl(&mut app, 's');
    assert!(app.card.as_ref().unwrap().work.step.is_some(), "a required field keeps the form open");
    ch(&mut app, '1');
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "대기 40분");
    ctrl(&mut app, 's');
    assert!(screen(&app).contains("Complaints (1)"), "{}", screen(&app));
    assert!(screen(&app).contains("대기 40분"), "{}", screen(&app));
}

#[test]
fn a_note_saved_while_another_terminal_holds_the_lock_keeps_what_was_typed() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = app(&dir, Lang::En);
    open_card(&mut app, "홍길");
    ch(&mut app, 'p');
    typed(&mut app, "주차 문의");
    let lock = hold_lock(&dir);
    ctrl(&mut app, 's');
    assert!(notes_of(&app, fx.hong).is_empty(), "nothing half-written");
    assert!(app.card.as_ref().unwrap().work.step.is_some(), "the form stays open");
    assert!(screen(&app).contains("주차 문의"), "{}", screen(&app));
    drop(lock);
    ctrl(&mut app, 's');
    assert_eq!(notes_of(&app, fx.hong), vec!["주차 문의".to_string()]);
}
