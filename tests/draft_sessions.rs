//! Drafts belong to a terminal session: two terminals of the same OS user keep their own, a
//! terminal that hung up has its drafts offered back (each of them, one after another), and a
//! terminal still running never has its draft offered to another.

mod common;
use common::keys::ctrl_s;

use std::path::Path;

use crossterm::event::{KeyCode, KeyEvent};
use frontdesk::app::{App, TabId};
use frontdesk::domain::Lang;

fn press(app: &mut App, code: KeyCode) {
    app.on_key(KeyEvent::from(code));
}

fn typed(app: &mut App, s: &str) {
    for c in s.chars() {
        press(app, KeyCode::Char(c));
    }
}

/// A terminal: the app on `db`, same OS user as every other here.
fn terminal(db: &Path) -> App {
    App::new(common::open(db), common::options(Lang::En, TabId::Inquiries)).unwrap()
}

/// A terminal with a call being logged for `caller`, its draft written.
fn typing_a_call(db: &Path, caller: &str) -> App {
    let mut app = terminal(db);
    assert!(app.pending_draft.is_none(), "nothing to offer at this point");
    typed(&mut app, "n");
    assert!(app.tabs.get(TabId::Inquiries).keyboard_grabbed());
    typed(&mut app, caller);
    app.save_draft_now();
    app
}

fn callers(app: &App) -> Vec<String> {
    let mut stmt = app.store.conn().prepare("SELECT caller_name FROM inquiries ORDER BY id").unwrap();
    stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
}

fn drafts(app: &App) -> i64 {
    app.store.conn().query_row("SELECT count(*) FROM drafts", [], |r| r.get(0)).unwrap()
}

fn setup() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    drop(common::open_set_up(&db));
    (dir, db)
}

#[test]
fn two_terminals_of_one_user_keep_their_own_drafts_and_a_hung_up_one_is_offered_back() {
    let (_dir, db) = setup();
    let first = typing_a_call(&db, "Jane Roe");
    let mut second = typing_a_call(&db, "John Doe");
    // Two rows: the second terminal did not overwrite the first one's draft.
    assert_eq!(drafts(&second), 2);

    // The first terminal hangs up: dropped without deleting its draft.
    drop(first);
    let mut third = terminal(&db);
    let offered = third.pending_draft.clone().expect("the hung-up terminal's draft is offered");
    assert!(offered.payload.contains("Jane Roe"), "{offered:?}");
    assert!(!offered.payload.contains("John Doe"), "never the live terminal's draft");
    press(&mut third, KeyCode::Char('y'));
    let screen = common::text(&common::render(&third, 120, 40));
    assert!(screen.contains("Jane Roe"), "{screen}");
    ctrl_s(&mut third);
    assert!(third.pending_draft.is_none(), "the running terminal's draft is not offered after it");
    assert_eq!(callers(&third), ["Jane Roe"]);

    // The second terminal still has its own form and draft, and saves it.
    assert_eq!(drafts(&third), 1);
    ctrl_s(&mut second);
    assert_eq!(callers(&second), ["Jane Roe", "John Doe"]);
    assert_eq!(drafts(&second), 0, "saved forms leave no draft");

    // Nothing more to offer to a new terminal.
    assert!(terminal(&db).pending_draft.is_none());
}

#[test]
fn after_two_hang_ups_both_drafts_are_offered_one_after_another_and_only_once() {
    let (_dir, db) = setup();
    let first = typing_a_call(&db, "Jane Roe");
    let second = typing_a_call(&db, "John Doe");
    drop(first);
    drop(second);

    let mut third = terminal(&db);
    let offered = third.pending_draft.clone().expect("a draft is offered");
    assert!(offered.payload.contains("Jane Roe"), "the older first: {offered:?}");
    // Another terminal starting now is offered the other draft, not the one taken over.
    let mut fourth = terminal(&db);
    let other = fourth.pending_draft.clone().expect("the other draft is offered there");
    assert!(other.payload.contains("John Doe"), "{other:?}");
    press(&mut fourth, KeyCode::Char('y'));
    ctrl_s(&mut fourth);

    press(&mut third, KeyCode::Char('y'));
    ctrl_s(&mut third);
    // The fourth terminal took the second draft over: it is not offered again here.
    assert!(third.pending_draft.is_none());
    assert_eq!(callers(&third), ["John Doe", "Jane Roe"]);
    assert_eq!(drafts(&third), 0);
}

#[test]
fn after_two_hang_ups_one_terminal_is_offered_each_draft_in_turn() {
    let (_dir, db) = setup();
    let first = typing_a_call(&db, "Jane Roe");
    let second = typing_a_call(&db, "John Doe");
    drop(first);
    drop(second);

    let mut app = terminal(&db);
    let offered = app.pending_draft.clone().expect("the first draft is offered");
    assert!(offered.payload.contains("Jane Roe"), "{offered:?}");
    press(&mut app, KeyCode::Char('y'));
    // Not while the restored form is open: one form at a time.
    app.on_tick();
    assert!(app.pending_draft.is_none());
    ctrl_s(&mut app);
    let offered = app.pending_draft.clone().expect("then the second");
    assert!(offered.payload.contains("John Doe"), "{offered:?}");
    // Discarding it deletes it.
    press(&mut app, KeyCode::Char('n'));
    assert!(app.pending_draft.is_none());
    assert_eq!(callers(&app), ["Jane Roe"]);
    assert_eq!(drafts(&app), 0);
    drop(app);
    assert!(terminal(&db).pending_draft.is_none());
}

#[test]
fn without_a_lock_file_a_session_is_alive_while_its_process_is() {
    let (_dir, db) = setup();
    let store = common::open(&db);
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default().trim().to_string();
    // Rows as a session that could not make its lock file leaves them: this process (alive)
    // and a process id that cannot exist (gone).
    for (session, pid, caller) in
        [("no-lock-alive", std::process::id(), "Alive Caller"), ("no-lock-gone", 0x7fff_fff0, "Gone Caller")]
    {
        store
            .conn()
            .execute(
                "INSERT INTO drafts (session, os_user, host, pid, form, payload, updated_at)
                 VALUES (?1, 'desk1', ?2, ?3, 'x', ?4, '2026-11-23T09:00:00')",
                rusqlite::params![session, host, pid, caller],
            )
            .unwrap();
    }
    drop(store);
    let app = terminal(&db);
    let offered = app.pending_draft.clone().expect("the gone session's draft");
    assert_eq!(offered.payload, "Gone Caller");
    assert!(app.session.is_locked(), "this session holds its lock");
}

#[test]
fn another_users_drafts_are_not_offered_and_ended_sessions_lock_files_are_swept() {
    let (_dir, db) = setup();
    drop(typing_a_call(&db, "Jane Roe"));
    let store = frontdesk::store::Store::open_with_clock(
        &db,
        frontdesk::store::Access::ReadWrite,
        frontdesk::store::Actor::named("desk2"),
        frontdesk::store::Clock::Fixed(common::fixed_now()),
    )
    .unwrap();
    let app = App::new(store, common::options(Lang::En, TabId::Inquiries)).unwrap();
    assert!(app.pending_draft.is_none(), "desk1's draft is not offered to desk2");
    let locks = frontdesk::store::drafts::lock_dir(&db);
    let files = || std::fs::read_dir(&locks).unwrap().count();
    // desk1's ended session (it has a draft) and this one.
    assert_eq!(files(), 2);
    drop(app);
    let mut app = terminal(&db);
    press(&mut app, KeyCode::Char('n'));
    drop(app);
    drop(terminal(&db));
    // Only the sessions that ended with no draft left are swept; the last one ended too.
    assert_eq!(files(), 1);
}

#[test]
fn a_draft_of_a_terminal_running_in_another_process_is_not_offered_until_it_hangs_up() {
    use common::pty::Pty;
    use std::time::{Duration, Instant};
    let (_dir, db) = setup();
    let args = ["--db", db.to_str().unwrap(), "--lang", "en", "--tab", "inquiries"];
    // The same OS user as the apps of this test.
    let mut pty = Pty::spawn(env!("CARGO_BIN_EXE_frontdesk"), &args, 100, 30, &[("USER", "desk1")]);
    pty.wait_for("Today's phone log: 0", 15);
    pty.send("n");
    pty.wait_for("Log a call", 5);
    pty.send("Jane Roe");
    pty.wait_for("Jane Roe", 5);
    // Its tick writes the draft (every few seconds).
    let store = common::open(&db);
    let deadline = Instant::now() + Duration::from_secs(20);
    while store.conn().query_row("SELECT count(*) FROM drafts", [], |r| r.get::<_, i64>(0)).unwrap() == 0 {
        assert!(Instant::now() < deadline, "the running terminal never wrote its draft");
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(store);
    // Running: its draft is not offered here.
    assert!(terminal(&db).pending_draft.is_none());

    // It hangs up; now it is.
    pty.close_master();
    let deadline = Instant::now() + Duration::from_secs(10);
    while pty.try_exit().is_none() {
        assert!(Instant::now() < deadline, "still running after its terminal closed");
        std::thread::sleep(Duration::from_millis(10));
    }
    let app = terminal(&db);
    let offered = app.pending_draft.clone().expect("offered after the hang-up");
    assert!(offered.payload.contains("Jane Roe"), "{offered:?}");
}
