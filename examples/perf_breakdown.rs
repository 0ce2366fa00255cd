//! One pass over the large demo, printing how long each step of start-up and each tab's
//! reload and drawing takes, and the slowest SQL statements of each. A quick look for finding
//! a bottleneck; the numbers to quote come from `cargo bench` (benches/screens.rs), which
//! repeats and does the statistics.
//!
//!     cargo run --release --example perf_breakdown

#[path = "../benches/support/mod.rs"]
mod support;

use std::sync::Mutex;
use std::time::{Duration, Instant};

use frontdesk::app::{App, TabId};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use rusqlite::trace::{TraceEvent, TraceEventCodes};

/// (statement, total time, runs) since the last report.
static STATEMENTS: Mutex<Vec<(String, Duration, u32)>> = Mutex::new(Vec::new());

fn record(event: TraceEvent<'_>) {
    if let TraceEvent::Profile(stmt, took) = event {
        let sql = stmt.sql().split_whitespace().collect::<Vec<_>>().join(" ");
        let mut all = STATEMENTS.lock().unwrap();
        match all.iter_mut().find(|(s, _, _)| *s == sql) {
            Some(entry) => {
                entry.1 += took;
                entry.2 += 1;
            }
            None => all.push((sql, took, 1)),
        }
    }
}

fn report_statements() {
    let mut all = std::mem::take(&mut *STATEMENTS.lock().unwrap());
    all.sort_by_key(|s| std::cmp::Reverse(s.1));
    for (sql, took, runs) in all.iter().take(6).filter(|(_, t, _)| *t > Duration::from_millis(1)) {
        let short: String = sql.chars().take(150).collect();
        println!("      {took:>9.1?} x{runs:<5} {short}");
    }
}

fn main() {
    let path = support::large_demo(support::bench_date());
    let t = Instant::now();
    let store = support::open(&path);
    println!("open store            {:>8.1?}", t.elapsed());
    store.conn().trace_v2(TraceEventCodes::SQLITE_TRACE_PROFILE, Some(record));
    let t = Instant::now();
    let mut app = App::new(store, support::options(TabId::Today)).expect("app");
    println!("App::new              {:>8.1?}", t.elapsed());
    report_statements();
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    each_tab(&mut app, &mut terminal, false);
    // The same again with SQLite's pages already read once (what a reload after a change at
    // the desk costs in a terminal that has been open a while); the OKR board is computed
    // again too, as after a change.
    println!("-- again, warm --");
    each_tab(&mut app, &mut terminal, true);
}

/// Reloads and draws every tab once, printing the times and the slowest statements of each.
fn each_tab(app: &mut App, terminal: &mut Terminal<TestBackend>, forget_board: bool) {
    for tab in TabId::ALL {
        app.active = tab;
        if forget_board {
            app.store.forget_cached_board();
        }
        let t = Instant::now();
        app.reload_tab(tab).expect("reload");
        let reload = t.elapsed();
        let t = Instant::now();
        terminal.draw(|f| app.render(f.area(), f.buffer_mut())).unwrap();
        println!("{:<10} reload {:>8.1?}  draw {:>8.1?}", tab.code(), reload, t.elapsed());
        report_statements();
    }
}
