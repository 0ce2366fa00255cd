//! The tab through keys: colours, filters, logging a contact, recording a consultation.

use super::*;

#[test]
fn overdue_dates_are_red_and_todays_yellow() {
    let dir = tempfile::tempdir().unwrap();
    let app = seeded_app(&dir, Lang::En);
    let buf = render(&app, 120, 40);
    let screen = text(&buf);
    let row_of = |needle: &str| screen.lines().position(|l| l.contains(needle)).unwrap() as u16;
    // The due column starts after the border (1), the selection marker (2) and the kind
    // column (10 + 1).
    let due_x = 14;
    let theme = &frontdesk::app::theme::THEME;
    assert_eq!(buf[(due_x, row_of("김가람"))].fg, theme.off_track, "overdue prospect");
    assert_eq!(buf[(due_x, row_of("이나래"))].fg, theme.behind, "happy call due today");
    assert_ne!(buf[(due_x, row_of("박다솜"))].fg, theme.off_track, "upcoming recall");
}

#[test]
fn filters_by_kind_and_text() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = seeded_app(&dir, Lang::En);
    assert_eq!(app.tabs.callbacks.visible_items().len(), 5);
    app.on_command(Command::FilterKind);
    let kinds: Vec<CallbackKind> = app.tabs.callbacks.visible_items().iter().map(|c| c.kind).collect();
    assert_eq!(kinds, [CallbackKind::Prospect]);
    app.on_command(Command::FilterKind);
    let kinds: Vec<CallbackKind> = app.tabs.callbacks.visible_items().iter().map(|c| c.kind).collect();
    assert_eq!(kinds, [CallbackKind::Reminder]);
    for _ in 0..4 {
        app.on_command(Command::FilterKind);
    }
    assert_eq!(app.tabs.callbacks.visible_items().len(), 5, "back to all kinds");
    app.on_key(key(KeyCode::Char('/')));
    type_text(&mut app, "Emily");
    app.on_key(key(KeyCode::Enter));
    let names: Vec<&str> = app.tabs.callbacks.visible_items().iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Emily Park"]);
    app.on_key(key(KeyCode::Esc));
    assert_eq!(app.tabs.callbacks.visible_items().len(), 5);
    app.on_command(Command::FilterOwner);
    assert_eq!(app.tabs.callbacks.visible_items().len(), 5, "unassigned: all of them");
}

#[test]
fn logging_from_the_tab_the_third_miss_offers_unreachable_and_booked_opens_the_booking() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let mut store = open_set_up(&path);
    let p = patient(&mut store, "세번부재", "010-1357-0001");
    let id =
        store.write(|tx| open_callback(tx, &NewCallback::new(p, CallbackKind::Recall, day(23)))).unwrap();
    for _ in 0..2 {
        store
            .write(|tx| log_contact(tx, &contact(id, fixed_now(), false, NextStep::FollowUp(day(23)))))
            .unwrap();
    }
    drop(store);
    let mut app = App::new(open_set_up(&path), options(Lang::En, TabId::Callbacks)).unwrap();
    app.on_command(Command::LogContact);
    let form = app.tabs.callbacks.open_form().unwrap();
    assert_eq!(form.picked("next").as_deref(), Some("next"));
    // Channel: SMS; Reached: no.
    app.on_key(key(KeyCode::Char('s')));
    app.on_key(key(KeyCode::Tab));
    app.on_key(key(KeyCode::Char('n')));
    let form = app.tabs.callbacks.open_form().unwrap();
    assert_eq!(form.picked("next").as_deref(), Some("unreachable"), "the third miss offers unreachable");
    assert!(form.get("next_on").hidden);
    app.on_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    assert!(app.tabs.callbacks.open_form().is_none());
    assert!(app.tabs.callbacks.visible_items().is_empty(), "closed as unreachable");
    let check = open_set_up(&path);
    let item = callbacks::get_item(check.conn(), id).unwrap();
    assert_eq!(item.outcome, Some(CallbackOutcome::Unreachable));
    let last = callbacks::contacts(check.conn(), id).unwrap().pop().unwrap();
    assert_eq!((last.channel, last.reached), (ContactChannel::Sms, false));

    // A prospect closed as booked asks the app for the booking form.
    let mut store = check;
    consultation(&mut store, p, at(2026, 11, 20, 10, 0), ConsultationStatus::Undecided, Some(day(23)));
    drop(store);
    let mut app = App::new(open_set_up(&path), options(Lang::En, TabId::Callbacks)).unwrap();
    app.on_command(Command::LogContact);
    // channel, reached, satisfaction, reaction, plan, then the next step
    for _ in 0..5 {
        app.on_key(key(KeyCode::Tab));
    }
    app.on_key(key(KeyCode::Char('b')));
    let form = app.tabs.callbacks.open_form().unwrap();
    assert_eq!(form.picked("next").as_deref(), Some("booked"));
    // Called on the tab directly: the app turns Book into its booking overlay.
    let mut ctx_store = open_set_up(&path);
    let outcome = {
        let catalog = app.catalog.clone();
        let mut ctx = frontdesk::app::Ctx {
            store: &mut ctx_store,
            catalog: &catalog,
            lang: Lang::En,
            now: fixed_now(),
            mask: false,
            presentation: false,
        };
        app.tabs.callbacks.on_key(&KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL), &mut ctx)
    };
    match outcome {
        frontdesk::app::Outcome::Book(req) => {
            assert_eq!(req.patient_id, Some(p));
            assert_eq!(req.treatment_code.as_deref(), Some("chuna"));
            assert!(req.callback_id.is_some());
        }
        other => panic!("expected a booking request, got {other:?}"),
    }
    // "Booked" is written only with the appointment: until the booking form saves, the call is
    // logged and the prospect stays open, due today.
    let items = app.tabs.callbacks.visible_items();
    assert_eq!(items.len(), 1, "the prospect stays open until the booking is saved");
    assert_eq!((items[0].kind, items[0].due_on, items[0].attempts), (CallbackKind::Prospect, day(23), 1));
}

#[test]
fn recording_a_consultation_from_the_tab_through_the_patient_picker() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let mut store = open_set_up(&path);
    patient(&mut store, "홍길동", "010-2468-1357");
    patient(&mut store, "홍길순", "010-2468-0000");
    drop(store);
    let mut app = App::new(open_set_up(&path), options(Lang::Ko, TabId::Callbacks)).unwrap();
    app.on_key(key(KeyCode::Char('c')));
    type_text(&mut app, "1357");
    app.on_key(key(KeyCode::Enter));
    let form = app.tabs.callbacks.open_form().expect("the consultation form opens on the picked patient");
    assert!(form.title.contains("홍길동"), "{}", form.title);
    // Date (today), treatment, quoted, offered, circumstances, reaction, decision, owner (hidden), recall.
    app.on_key(key(KeyCode::Tab));
    app.on_key(key(KeyCode::Char('c'))); // chuna
    app.on_key(key(KeyCode::Tab));
    type_text(&mut app, "490만원");
    app.on_key(key(KeyCode::Tab));
    type_text(&mut app, "4,500,000");
    app.on_key(key(KeyCode::Tab));
    type_text(&mut app, "아버지와 상의");
    app.on_key(key(KeyCode::Tab));
    app.on_key(key(KeyCode::Tab));
    app.on_key(key(KeyCode::Tab));
    type_text(&mut app, "+4");
    app.on_key(key(KeyCode::Enter));
    assert!(app.tabs.callbacks.open_form().is_none(), "saved");
    let items = app.tabs.callbacks.visible_items();
    assert_eq!(items.len(), 1);
    assert_eq!((items[0].kind, items[0].due_on), (CallbackKind::Prospect, day(27)));
    assert_eq!((items[0].quoted_krw, items[0].offered_krw), (Some(4_900_000), Some(4_500_000)));
    assert_eq!(items[0].circumstances, "아버지와 상의");
}
