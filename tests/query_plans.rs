//! Every statement the screens, the patient search and the reports run is kept on an index:
//! none scans the whole of `appointments`, `inquiries` or `patients` (a clinic with ten years
//! of history has millions of rows there; see docs/PERFORMANCE.md).
//!
//! The statements are not listed here by hand: the test records what the app really runs
//! (rusqlite's `trace_v2`) while it drives every tab, the overlays and the reports on the small
//! demo clinic, then asks SQLite for each one's plan (`EXPLAIN QUERY PLAN`).

mod common;

use std::collections::BTreeSet;
use std::sync::Mutex;

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use frontdesk::app::keymap::Command;
use frontdesk::app::{App, TabId};
use frontdesk::demo::{self, DemoOptions, Scale};
use frontdesk::domain::{Lang, Period};
use rusqlite::Connection;
use rusqlite::trace::{TraceEvent, TraceEventCodes};

/// The tables too big to read whole.
const BIG_TABLES: [&str; 3] = ["appointments", "inquiries", "patients"];

/// Every SQL text the connection ran since the last [`take_statements`].
static STATEMENTS: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());

fn record(event: TraceEvent<'_>) {
    if let TraceEvent::Stmt(stmt, _) = event {
        STATEMENTS.lock().unwrap().insert(stmt.sql().to_string());
    }
}

fn take_statements() -> BTreeSet<String> {
    std::mem::take(&mut *STATEMENTS.lock().unwrap())
}

fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

fn code(c: KeyCode) -> KeyEvent {
    KeyEvent::new(c, KeyModifiers::NONE)
}

/// Words of an SQL text: identifiers and single punctuation marks, lower-cased.
fn tokens(sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in sql.chars() {
        if c.is_alphanumeric() || c == '_' {
            word.push(c.to_ascii_lowercase());
        } else {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            if !c.is_whitespace() {
                out.push(c.to_string());
            }
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// The names `table` goes by in `sql`: itself and its aliases (`appointments a`,
/// `appointments AS a`), since a plan names a table by its alias.
fn names_of(table: &str, sql: &str) -> BTreeSet<String> {
    const NOT_ALIAS: [&str; 16] = [
        "where", "join", "on", "left", "inner", "cross", "group", "order", "limit", "using", "indexed",
        "not", "set", "values", "union", "natural",
    ];
    let t = tokens(sql);
    let mut names = BTreeSet::from([table.to_string()]);
    for (i, w) in t.iter().enumerate() {
        if w != table {
            continue;
        }
        let mut j = i + 1;
        if t.get(j).map(String::as_str) == Some("as") {
            j += 1;
        }
        if let Some(alias) = t.get(j) {
            let is_word = alias.chars().all(|c| c.is_alphanumeric() || c == '_');
            if is_word && !NOT_ALIAS.contains(&alias.as_str()) {
                names.insert(alias.clone());
            }
        }
    }
    names
}

/// The whole plan of `sql` when a line of it reads a big table from end to end: a `SCAN`
/// without an index, or through an index with no `LIMIT` to stop it.
fn full_scans(conn: &Connection, sql: &str) -> Option<String> {
    let mut stmt = conn
        .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
        .unwrap_or_else(|e| panic!("cannot explain {sql}: {e}"));
    // Parameters stay unbound (NULL): the plan does not depend on their values.
    let mut rows = stmt.raw_query();
    let mut plan = Vec::new();
    while let Some(row) = rows.next().unwrap() {
        plan.push(row.get::<_, String>(3).unwrap());
    }
    let scanned: Vec<&String> = plan
        .iter()
        .filter(|line| {
            let Some(rest) = line.trim().strip_prefix("SCAN ") else { return false };
            let name = rest.split_whitespace().next().unwrap_or("").to_lowercase();
            let through_index = rest.contains("USING INDEX") || rest.contains("USING COVERING INDEX");
            // Walking an index in order is fine when a LIMIT stops it (the newest 200 calls);
            // without one it reads the whole table all the same.
            let stopped = tokens(sql).iter().any(|w| w == "limit");
            BIG_TABLES.iter().any(|t| names_of(t, sql).contains(&name)) && !(through_index && stopped)
        })
        .collect();
    (!scanned.is_empty()).then(|| plan.join("\n    "))
}

/// Statements worth explaining: reads, and writes that look rows up.
fn explainable(sql: &str) -> bool {
    let head = sql.trim_start().to_lowercase();
    ["select", "with", "update", "delete"].iter().any(|k| head.starts_with(k))
}

fn demo_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

/// Drives every screen the way the desk does: each tab shown and drawn, lists moved, the
/// views inside tabs opened, the patient search typed into, a patient card opened.
fn drive_the_app(app: &mut App) {
    for tab in TabId::ALL {
        app.show_tab(tab);
        common::render(app, 120, 40);
        for _ in 0..3 {
            app.on_command(Command::Down);
        }
        common::render(app, 120, 40);
    }
    // Today: the days around, the filters.
    app.show_tab(TabId::Today);
    for c in [Command::NextDay, Command::PrevDay, Command::PrevDay, Command::GoToday] {
        app.on_command(c);
        common::render(app, 120, 40);
    }
    // Huddle: every section, earlier meetings.
    app.show_tab(TabId::Huddle);
    for _ in 0..5 {
        app.on_command(Command::SectionNext);
        common::render(app, 120, 40);
    }
    app.on_command(Command::History);
    common::render(app, 120, 40);
    app.on_command(Command::Back);
    // Inquiries: the referral report and the manual.
    app.show_tab(TabId::Inquiries);
    app.on_command(Command::Report);
    common::render(app, 120, 40);
    app.on_command(Command::Back);
    app.on_command(Command::QaManual);
    common::render(app, 120, 40);
    app.on_command(Command::Back);
    // Callbacks: the `/` filter reads each open callback's patient; the end of the queue.
    app.show_tab(TabId::Callbacks);
    app.on_command(Command::Filter);
    app.on_key(key('김'));
    app.on_key(code(KeyCode::Enter));
    common::render(app, 120, 40);
    app.on_command(Command::Back);
    app.on_command(Command::Bottom);
    common::render(app, 120, 40);
    // OKR: drill into the first key results.
    app.show_tab(TabId::Okr);
    app.on_command(Command::Down);
    app.on_command(Command::Open);
    common::render(app, 120, 40);
    app.on_command(Command::Back);
    // Patient search: a name, initials, a phone's last digits, a chart number; then a card.
    app.show_tab(TabId::Today);
    for query in ["김", "ㄱㅁ", "5678", "000012", "010"] {
        app.on_command(Command::PatientSearch);
        for c in query.chars() {
            app.on_key(key(c));
            common::render(app, 120, 40);
        }
        app.on_key(code(KeyCode::Esc));
    }
    app.on_command(Command::PatientSearch);
    app.on_key(key('김'));
    app.on_key(code(KeyCode::Enter));
    common::render(app, 120, 40);
    app.on_key(code(KeyCode::Esc));
    // A change at the desk: the tab on screen reloads, the others when shown.
    app.on_command(Command::Top);
    app.on_command(Command::Arrived);
    for tab in TabId::ALL {
        app.show_tab(tab);
        common::render(app, 120, 40);
    }
}

#[test]
fn no_screen_report_or_search_query_scans_a_big_table() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.db");
    {
        let mut store = common::open(&path);
        demo::generate(&mut store, &DemoOptions { scale: Scale::Small, seed: 7, date: demo_date() }).unwrap();
    }
    let store = common::open(&path);
    store.conn().trace_v2(TraceEventCodes::SQLITE_TRACE_STMT, Some(record));
    let mut opts = common::options(Lang::Ko, TabId::Today);
    opts.fixed_now = Some(demo_date().and_hms_opt(9, 20, 0).unwrap());
    let mut app = App::new(store, opts).unwrap();
    drive_the_app(&mut app);

    // The command-line reports and the OKR status, over twelve months.
    let period = Period::new(NaiveDate::from_ymd_opt(2025, 12, 1).unwrap(), demo_date());
    let conn = app.store.conn();
    frontdesk::store::reports::referrals(conn, &period).unwrap();
    frontdesk::store::reports::funnel(conn, &period).unwrap();
    frontdesk::store::reports::daily(conn, &period).unwrap();
    frontdesk::store::okr::board(conn, demo_date(), 0).unwrap();

    conn.trace_v2(TraceEventCodes::empty(), None);
    let statements = take_statements();
    let reads: Vec<&String> = statements.iter().filter(|s| explainable(s)).collect();
    // The drive really reached the screens' queries (a broken drive would pass vacuously).
    assert!(reads.len() >= 40, "only {} statements recorded:\n{reads:#?}", reads.len());
    for needle in [
        "FROM appointments a JOIN patients p",
        "FROM inquiries",
        "FROM callbacks",
        "WHERE c.status = 'open' ORDER BY c.due_on",
        "key_results",
    ] {
        assert!(reads.iter().any(|s| s.contains(needle)), "no statement with {needle:?} was recorded");
    }

    let failures: Vec<String> = reads
        .iter()
        .filter_map(|sql| full_scans(conn, sql).map(|plan| format!("{}\n  plan:\n    {plan}", sql.trim())))
        .collect();
    assert!(
        failures.is_empty(),
        "{} statements read a whole big table ({}):\n\n{}",
        failures.len(),
        BIG_TABLES.join(", "),
        failures.join("\n\n")
    );
}

#[test]
fn a_full_scan_is_caught_under_an_alias() {
    // The checker itself: a plan that scans `appointments` as `x` must be reported, one
    // that searches it by index must not.
    let conn = Connection::open_in_memory().unwrap();
    conn.execute_batch(
        "CREATE TABLE appointments (id INTEGER PRIMARY KEY, patient_id INTEGER, start TEXT, status TEXT);
         CREATE INDEX appointments_by_patient ON appointments(patient_id, start);",
    )
    .unwrap();
    assert!(full_scans(&conn, "SELECT x.id FROM appointments x WHERE x.start > ?1").is_some());
    assert!(full_scans(&conn, "SELECT y.status FROM appointments AS y WHERE y.start LIKE '2026%'").is_some());
    // Through an index but with nothing to stop it: still the whole table.
    assert!(full_scans(&conn, "SELECT count(*) FROM appointments WHERE start LIKE '2026%'").is_some());
    assert!(full_scans(&conn, "SELECT id FROM appointments ORDER BY patient_id, start LIMIT 20").is_none());
    assert!(full_scans(&conn, "SELECT id FROM appointments WHERE patient_id = ?1").is_none());
    assert!(full_scans(&conn, "SELECT a.id FROM appointments a WHERE a.patient_id = ?1").is_none());
}
