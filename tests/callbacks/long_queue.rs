//! A queue longer than the tab's window: loading a window, moving through it, filters.

use super::*;

/// How many open callbacks the long fixture has: more than the tab loads whole at once (the
/// rows on screen plus a margin of 100 on each side).
const LONG_QUEUE: usize = 330;

/// `LONG_QUEUE` patients `Pat 0000`.. with one open callback each, due dates spread over the
/// overdue, today and upcoming parts and kinds mixed, so the queue order is not the insertion
/// order. Pat 0000 is due last (the end of the queue).
fn long_queue_app(dir: &tempfile::TempDir) -> App {
    let path = dir.path().join("clinic.db");
    let mut store = open_set_up(&path);
    store
        .write(|tx| {
            for i in 0..LONG_QUEUE {
                let p = insert_patient(
                    tx,
                    &NewPatient {
                        name: format!("Pat {i:04}"),
                        phone: format!("010-7{:03}-{:04}", i % 1000, 3000 + i),
                        ..Default::default()
                    },
                )?;
                let offset = if i == 0 { 60 } else { (i as i64 * 37) % 41 - 20 };
                let kind = CallbackKind::ALL[i % CallbackKind::ALL.len()];
                open_callback(tx, &NewCallback::new(p, kind, today() + chrono::Duration::days(offset)))?;
            }
            Ok(())
        })
        .unwrap();
    drop(store);
    App::new(open_set_up(&path), options(Lang::En, TabId::Callbacks)).unwrap()
}

fn selected_name(app: &App) -> String {
    app.tabs.callbacks.selected_item().map(|c| c.name.clone()).unwrap_or_default()
}

#[test]
fn a_long_queue_loads_a_window_and_moving_through_it_follows_the_queue_order() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = long_queue_app(&dir);
    let queue: Vec<(i64, String)> =
        open_queue(app.store.conn(), today()).unwrap().into_iter().map(|c| (c.id, c.name)).collect();
    assert_eq!(queue.len(), LONG_QUEUE);
    let tab = &app.tabs.callbacks;
    assert_eq!(tab.shown_count(), LONG_QUEUE);
    let loaded = tab.visible_items().len();
    assert!(loaded < LONG_QUEUE, "the whole queue was loaded ({loaded} items)");
    let first_window: Vec<i64> = tab.visible_items().iter().map(|c| c.id).collect();
    let expected: Vec<i64> = queue.iter().take(loaded).map(|(id, _)| *id).collect();
    assert_eq!(first_window, expected, "the first window is the head of the queue, in order");

    // Bottom: the last item of the queue, the right count in the title.
    app.on_command(Command::Bottom);
    assert_eq!(selected_name(&app), queue[LONG_QUEUE - 1].1);
    assert_eq!(queue[LONG_QUEUE - 1].1, "Pat 0000");
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains(&format!("To call: {LONG_QUEUE} ")), "{screen}");
    assert!(screen.contains("Pat 0000"), "{screen}");
    assert!(!screen.contains(&queue[0].1), "the head is off screen:\n{screen}");

    // Back up: the first item.
    app.on_command(Command::Top);
    assert_eq!(selected_name(&app), queue[0].1);
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains(&queue[0].1), "{screen}");
    assert!(screen.contains(&format!("To call: {LONG_QUEUE} ")), "{screen}");

    // One row at a time from the top to the end and back: every row is the queue's, across
    // the window's edges.
    let mut walked = vec![app.tabs.callbacks.selected_item().unwrap().id];
    for _ in 1..LONG_QUEUE {
        app.on_command(Command::Down);
        walked.push(app.tabs.callbacks.selected_item().expect("the selected row is loaded").id);
    }
    assert_eq!(walked, queue.iter().map(|(id, _)| *id).collect::<Vec<_>>());
    app.on_command(Command::Down);
    assert_eq!(selected_name(&app), "Pat 0000", "the end stops the selection");
    let mut back = Vec::new();
    for _ in 1..LONG_QUEUE {
        app.on_command(Command::Up);
        back.push(app.tabs.callbacks.selected_item().expect("the selected row is loaded").id);
    }
    back.reverse();
    assert_eq!(back, walked[..LONG_QUEUE - 1]);

    // PageDown all the way: the last item again, and the screen shows it.
    for _ in 0..LONG_QUEUE / 10 + 1 {
        app.on_command(Command::PageDown);
        render(&app, 80, 24);
    }
    assert_eq!(selected_name(&app), "Pat 0000");
    let screen = text(&render(&app, 80, 24));
    assert!(screen.contains("Pat 0000"), "{screen}");
    // Whatever is on screen is the queue's rows just above the end, in order.
    // (The info panel under the list repeats the selected name with the phone.)
    let on_screen: Vec<&str> = screen
        .lines()
        .filter(|l| !l.contains("010-"))
        .filter_map(|l| l.find("Pat ").map(|i| &l[i..i + 8]))
        .collect();
    let tail: Vec<&str> = queue[LONG_QUEUE - on_screen.len()..].iter().map(|(_, name)| &name[..8]).collect();
    assert!(on_screen.len() > 5, "{screen}");
    assert_eq!(on_screen, tail);
}

#[test]
fn the_kind_filter_counts_the_whole_long_queue_and_keeps_the_selection() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = long_queue_app(&dir);
    let queue = open_queue(app.store.conn(), today()).unwrap();
    app.on_command(Command::Bottom);
    // Pat 0000 is a prospect (kind 0): the first kind filter keeps it selected.
    app.on_command(Command::FilterKind);
    let prospects: Vec<i64> =
        queue.iter().filter(|c| c.kind == CallbackKind::Prospect).map(|c| c.id).collect();
    assert_eq!(prospects.len(), LONG_QUEUE.div_ceil(CallbackKind::ALL.len()));
    assert_eq!(app.tabs.callbacks.shown_count(), prospects.len());
    assert_eq!(selected_name(&app), "Pat 0000");
    assert!(app.tabs.callbacks.visible_items().iter().all(|c| c.kind == CallbackKind::Prospect));
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains(&format!("To call: {}  kind (t): Prospect", prospects.len())), "{screen}");
}

#[test]
fn the_text_filter_finds_a_patient_beyond_the_first_window() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = long_queue_app(&dir);
    let in_window = |app: &App| app.tabs.callbacks.visible_items().iter().any(|c| c.name == "Pat 0000");
    assert!(!in_window(&app), "Pat 0000 is due last, far beyond the first window");
    // By name, any case.
    app.on_key(key(KeyCode::Char('/')));
    type_text(&mut app, "pat 0000");
    app.on_key(key(KeyCode::Enter));
    let names: Vec<&str> = app.tabs.callbacks.visible_items().iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Pat 0000"]);
    assert_eq!(app.tabs.callbacks.shown_count(), 1);
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("To call: 1 ") && screen.contains("/pat 0000"), "{screen}");
    // Clearing the filter keeps the selection on the same callback, now at the end.
    app.on_command(Command::Back);
    assert_eq!(app.tabs.callbacks.shown_count(), LONG_QUEUE);
    assert_eq!(selected_name(&app), "Pat 0000");
    // By the phone's digits (010-7000-3000 is Pat 0000's alone).
    app.on_command(Command::Top);
    app.on_key(key(KeyCode::Char('/')));
    type_text(&mut app, "70003000");
    app.on_key(key(KeyCode::Enter));
    let names: Vec<&str> = app.tabs.callbacks.visible_items().iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Pat 0000"]);
    // Nothing matches: the message says so (there are callbacks, just not these).
    app.on_key(key(KeyCode::Char('/')));
    type_text(&mut app, "zz");
    app.on_key(key(KeyCode::Enter));
    assert_eq!(app.tabs.callbacks.shown_count(), 0);
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("Nothing matches the filters."), "{screen}");
}

#[test]
fn queue_entries_are_in_queue_order_and_the_text_filter_reads_the_patient() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_set_up(&dir.path().join("c.db"));
    let a = patient(&mut store, "김가람", "010-5555-0001"); // chart 000001
    let b = patient(&mut store, "이나래", "010-5555-0002"); // chart 000002
    let c = patient(&mut store, "Kim Sol", "010-5555-1234"); // chart 000003
    let ids = store
        .write(|tx| {
            Ok([
                open_callback(tx, &NewCallback::new(a, CallbackKind::Recall, day(25)))?, // 0: upcoming
                open_callback(tx, &NewCallback::new(b, CallbackKind::Recall, day(23)))?, // 1: today, recall
                open_callback(tx, &NewCallback::new(c, CallbackKind::Prospect, day(23)))?, // 2: today, prospect
                open_callback(tx, &NewCallback::new(b, CallbackKind::NoShow, day(20)))?,   // 3: overdue
                open_callback(tx, &NewCallback::new(c, CallbackKind::HappyCall, day(20)))?, // 4: overdue, after no-show
                open_callback(tx, &NewCallback::new(a, CallbackKind::Prospect, day(18)))?,  // 5: closed below
            ])
        })
        .unwrap();
    store
        .write(|tx| {
            log_contact(
                tx,
                &contact(ids[5], at(2026, 11, 22, 10, 0), true, NextStep::Close(CallbackOutcome::Declined)),
            )
        })
        .unwrap();
    let entries = |q: &str| -> Vec<i64> {
        callbacks::queue_entries(store.conn(), today(), q).unwrap().iter().map(|e| e.id).collect()
    };
    // Overdue (the 20th: no-show before happy call), today (prospect before recall), upcoming;
    // the closed one is not in the queue.
    assert_eq!(entries(""), [ids[3], ids[4], ids[2], ids[1], ids[0]]);
    let first = callbacks::queue_entries(store.conn(), today(), "").unwrap()[0];
    assert_eq!((first.kind, first.due_on, first.owner_id), (CallbackKind::NoShow, day(20), None));
    // Name (any case), chart number, three or more phone digits.
    assert_eq!(entries("이나래"), [ids[3], ids[1]]);
    assert_eq!(entries(" kim "), [ids[4], ids[2]]);
    assert_eq!(entries("000001"), [ids[0]]);
    assert_eq!(entries("1234"), [ids[4], ids[2]]);
    assert_eq!(entries("55550002"), [ids[3], ids[1]]);
    assert_eq!(entries("12"), Vec::<i64>::new(), "two digits: no phone match, no chart 12");
    assert_eq!(entries("박"), Vec::<i64>::new());
    // Whole items in the order asked for; an id that does not exist is left out.
    let items = callbacks::items_by_ids(store.conn(), &[ids[0], 999_999, ids[3]]).unwrap();
    let got: Vec<(i64, &str)> = items.iter().map(|c| (c.id, c.name.as_str())).collect();
    assert_eq!(got, [(ids[0], "김가람"), (ids[3], "이나래")]);
    assert_eq!(items[1], callbacks::get_item(store.conn(), ids[3]).unwrap());
}
