//! The screens on the large demo clinic (150,000 patients, ten years, over two million
//! appointments; benches/support): start-up to the first frame of Today, loading and drawing
//! each tab at 120x40, one keystroke in the patient search, and a key press that moves the
//! selection in a list. Targets and results: docs/PERFORMANCE.md.
//!
//!     cargo bench --bench screens

#[path = "support/mod.rs"]
mod support;

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use frontdesk::app::layers::Overlay;
use frontdesk::app::search::SearchView;
use frontdesk::app::theme::THEME;
use frontdesk::app::{App, TabId, View};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

fn draw(app: &App, terminal: &mut Terminal<TestBackend>) {
    terminal.draw(|f| app.render(f.area(), f.buffer_mut())).unwrap();
}

fn screens(c: &mut Criterion) {
    let path = support::large_demo(support::bench_date());

    // Opening the file, loading Today and drawing it: what happens between the start of the
    // process and its first frame (the process-level figure is in examples/perf_terminal.rs).
    c.bench_function("first_frame_today", |b| {
        b.iter(|| {
            let app = App::new(support::open(&path), support::options(TabId::Today)).unwrap();
            let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
            draw(&app, &mut terminal);
            black_box(terminal.backend().buffer().area);
        })
    });

    let mut app = App::new(support::open(&path), support::options(TabId::Today)).unwrap();
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let mut group = c.benchmark_group("load_and_draw");
    for tab in TabId::ALL {
        group.bench_function(tab.code(), |b| {
            b.iter(|| {
                app.active = tab;
                app.reload_tab(tab).unwrap();
                draw(&app, &mut terminal);
            })
        });
    }
    group.finish();

    // The same after a change at the desk: the OKR board shared by the OKR tab and the huddle
    // is computed again (the group above finds it cached for those two).
    let mut group = c.benchmark_group("load_and_draw_after_change");
    for tab in [TabId::Huddle, TabId::Okr] {
        group.bench_function(tab.code(), |b| {
            b.iter(|| {
                app.active = tab;
                app.store.forget_cached_board();
                app.reload_tab(tab).unwrap();
                draw(&app, &mut terminal);
            })
        });
    }
    group.finish();

    // One keystroke in the patient search: the query runs and the overlay is drawn.
    let mut group = c.benchmark_group("search_keystroke");
    let catalog = app.catalog.clone();
    for (name, typed, next) in [
        ("name_first_syllable", "", '김'),
        ("name_second_syllable", "김", '민'),
        ("initials", "ㄱ", 'ㅁ'),
        ("phone_last_digits", "567", '8'),
        ("chart_no", "00012", '3'),
    ] {
        group.bench_function(name, |b| {
            b.iter_batched_ref(
                || {
                    let mut s = SearchView::default();
                    for ch in typed.chars() {
                        s.search_key(&key(ch), &app.store);
                    }
                    s
                },
                |s| {
                    s.search_key(&key(next), &app.store);
                    let area = Rect::new(0, 0, 120, 40);
                    let mut buf = Buffer::empty(area);
                    let view = View {
                        lang: frontdesk::domain::Lang::Ko,
                        theme: &THEME,
                        now: support::bench_now(),
                        mask: false,
                        catalog: &catalog,
                        presentation: false,
                        mask_names: &Default::default(),
                    };
                    s.render(area, &mut buf, &view);
                    black_box(buf);
                },
                BatchSize::SmallInput,
            )
        });
    }
    group.finish();

    // A key press that moves the selection one row, to the next frame: j, then k, so the
    // selection stays inside the list.
    let mut group = c.benchmark_group("list_move");
    for tab in [TabId::Today, TabId::Callbacks, TabId::Inquiries, TabId::Huddle, TabId::Okr] {
        app.show_tab(tab);
        let mut down = true;
        group.bench_function(tab.code(), |b| {
            b.iter(|| {
                app.on_key(key(if down { 'j' } else { 'k' }));
                down = !down;
                draw(&app, &mut terminal);
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    targets = screens
}
criterion_main!(benches);
