//! The command-line reports on the large demo clinic: `report referrals` over twelve months
//! and `okr status`, as the commands compute and format them (without process start-up;
//! examples/perf_terminal.rs times the whole command), and the OKR tab's board with its weekly
//! history computed cold (`okr_board_with_history`). Targets: docs/PERFORMANCE.md.
//!
//!     cargo bench --bench reports

#[path = "support/mod.rs"]
mod support;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use frontdesk::cli::report::{self, Format, ReportKind};
use frontdesk::domain::Lang;
use frontdesk::domain::reports;
use frontdesk::store::okr;

fn cli_reports(c: &mut Criterion) {
    let path = support::large_demo(support::bench_date());
    let store = support::open(&path);
    let period = reports::last_twelve_months(support::bench_date());
    for (name, kind) in [
        ("referrals_12_months", ReportKind::Referrals),
        ("funnel_12_months", ReportKind::Funnel),
        ("daily_12_months", ReportKind::Daily),
    ] {
        c.bench_function(&format!("report_{name}"), |b| {
            b.iter(|| {
                black_box(
                    report::render(&store, kind, &period, Format::Table, Lang::Ko, Default::default())
                        .unwrap(),
                )
            })
        });
    }
    c.bench_function("okr_status", |b| {
        b.iter(|| black_box(okr::board(store.conn(), support::bench_date(), 0).unwrap()))
    });
    // The OKR tab's board after a change: the value and eight weekly points of every key
    // result, computed afresh (the `load_and_draw/okr` bench hits the shared board's cache).
    c.bench_function("okr_board_with_history", |b| {
        b.iter(|| black_box(okr::board(store.conn(), support::bench_date(), 8).unwrap()))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    targets = cli_reports
}
criterion_main!(benches);
