//! Shared helpers for screen tests: an app on a temp database with a fixed clock, rendered
//! into a TestBackend-sized buffer.
#![allow(dead_code)]

pub mod pty;

use chrono::{NaiveDate, NaiveDateTime};
use frontdesk::app::{App, AppOptions, TabId};
use frontdesk::domain::Lang;
use frontdesk::store::{Access, Actor, Store};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

pub fn at(y: i32, m: u32, d: u32, hh: u32, mm: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(hh, mm, 0).unwrap()
}

/// The fixed moment the screen tests look at.
pub fn fixed_now() -> NaiveDateTime {
    at(2026, 11, 23, 9, 20)
}

pub fn options(lang: Lang, tab: TabId) -> AppOptions {
    AppOptions {
        lang,
        tab,
        mask: false,
        presentation: false,
        fixed_now: Some(fixed_now()),
        db_label: "clinic.db".into(),
    }
}

pub fn open(path: &std::path::Path) -> Store {
    Store::open(path, Access::ReadWrite, Actor::named("desk1")).unwrap()
}

/// A store whose first-run setup is done (so screens show their tabs, not the setup).
pub fn open_set_up(path: &std::path::Path) -> Store {
    let mut store = open(path);
    store
        .write(|tx| frontdesk::store::settings::set_setting(tx, frontdesk::app::setup::SETUP_DONE, "1"))
        .unwrap();
    store
}

pub fn empty_app(dir: &tempfile::TempDir, lang: Lang, tab: TabId) -> App {
    let store = open_set_up(&dir.path().join("clinic.db"));
    App::new(store, options(lang, tab)).unwrap()
}

pub fn render(app: &App, w: u16, h: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| app.render(f.area(), f.buffer_mut())).unwrap();
    terminal.backend().buffer().clone()
}

pub fn text(buf: &Buffer) -> String {
    frontdesk::app::svg::buffer_to_text(buf)
}
