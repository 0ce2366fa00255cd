//! Shared helpers for screen tests: an app on a temp database with a fixed clock, rendered
//! into a TestBackend-sized buffer.
#![allow(dead_code)]

pub mod cli;
pub mod clinic;
pub mod http;
pub mod keys;
pub mod pty;

use chrono::{NaiveDate, NaiveDateTime};
use frontdesk::app::{App, AppOptions, TabId};
use frontdesk::domain::Lang;
use frontdesk::store::{Access, Actor, Clock, Store};
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

/// `FRONTDESK_NOW` for the built binary: the same fixed moment as [`fixed_now`].
pub const FIXED_NOW_ENV: (&str, &str) = ("FRONTDESK_NOW", "2026-11-23T09:20");

/// Opens (creating) a database whose writes are stamped by the fixed clock.
pub fn open(path: &std::path::Path) -> Store {
    open_at(path, fixed_now())
}

/// Opens (creating) a database whose writes are stamped `now`.
pub fn open_at(path: &std::path::Path, now: NaiveDateTime) -> Store {
    Store::open_with_clock(path, Access::ReadWrite, Actor::named("desk1"), Clock::Fixed(now)).unwrap()
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

/// The derived visit data the schema's triggers keep (and a bulk load computes) that differs
/// from its definition recomputed from the appointments, one line per kind of difference;
/// empty when everything is in step: `patients.first_visit_on`, `last_visit_on`,
/// `visit_days`, `last_kept_at`, `last_missed_at`, `patient_treatments` and
/// `appointments.rebooked`.
pub fn derived_out_of_step(conn: &rusqlite::Connection) -> Vec<String> {
    let checks = [
        (
            "first_visit_on",
            "SELECT count(*) FROM patients p WHERE p.first_visit_on IS NOT
               (SELECT substr(min(a.start), 1, 10) FROM appointments a WHERE a.patient_id = p.id AND a.status = 'done')",
        ),
        (
            "last_visit_on",
            "SELECT count(*) FROM patients p WHERE p.last_visit_on IS NOT
               (SELECT substr(max(a.start), 1, 10) FROM appointments a WHERE a.patient_id = p.id AND a.status = 'done')",
        ),
        (
            "visit_days",
            "SELECT count(*) FROM patients p WHERE p.visit_days IS NOT
               (SELECT count(DISTINCT substr(a.start, 1, 10)) FROM appointments a
                WHERE a.patient_id = p.id AND a.status = 'done')",
        ),
        (
            "last_kept_at",
            "SELECT count(*) FROM patients p WHERE p.last_kept_at IS NOT
               (SELECT max(a.start) FROM appointments a
                WHERE a.patient_id = p.id AND a.status IN ('booked', 'arrived', 'done'))",
        ),
        (
            "last_missed_at",
            "SELECT count(*) FROM patients p WHERE p.last_missed_at IS NOT
               (SELECT max(a.start) FROM appointments a WHERE a.patient_id = p.id AND a.status = 'no_show')",
        ),
        (
            "patient_treatments",
            "SELECT count(*) FROM (
               SELECT * FROM (SELECT patient_id, treatment_code, done_visits FROM patient_treatments
                              EXCEPT SELECT patient_id, treatment_code, count(*) FROM appointments
                                     WHERE status = 'done' AND treatment_code IS NOT NULL GROUP BY 1, 2)
               UNION ALL
               SELECT * FROM (SELECT patient_id, treatment_code, count(*) FROM appointments
                              WHERE status = 'done' AND treatment_code IS NOT NULL GROUP BY 1, 2
                              EXCEPT SELECT patient_id, treatment_code, done_visits FROM patient_treatments))",
        ),
    ];
    let rebooked = format!(
        "SELECT count(*) FROM appointments WHERE rebooked IS NOT {}",
        frontdesk::store::appointments::REBOOKED_SQL
    );
    checks
        .iter()
        .map(|(what, sql)| (*what, *sql))
        .chain([("rebooked", rebooked.as_str())])
        .filter_map(|(what, sql)| {
            let n: i64 = conn.query_row(sql, [], |r| r.get(0)).unwrap();
            (n > 0).then(|| format!("{what}: {n} rows out of step"))
        })
        .collect()
}
