//! Renders every tab of the demo clinic (the default seed, 2026-11-23 11:10, the demo's late morning) at 120x40 in Korean and
//! English into screenshots/ as SVG, plus the huddle's presentation mode and the first-run
//! setup, each in the dark theme (`NAME.svg`) and the light one (`NAME-light.svg`, on a white
//! terminal). Run: `cargo run --example screenshots`.

use chrono::NaiveDate;
use frontdesk::app::theme::{Look, Palette, Theme};
use frontdesk::app::{App, AppOptions, TabId, svg};
use frontdesk::demo::{DemoOptions, Scale};
use frontdesk::domain::Lang;
use frontdesk::store::{Access, Actor, Store};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const SEED: u64 = frontdesk::demo::DEFAULT_SEED;

fn shoot(app: &mut App, name: &str) {
    for (palette, suffix) in [(Palette::Dark, ""), (Palette::Light, "-light")] {
        if app.opts.presentation && palette == Palette::Light {
            // The shared screen has one high-contrast palette of its own.
            continue;
        }
        app.theme = Theme::new(Look { palette, ..Look::default() }, app.opts.presentation);
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("test backend");
        terminal.draw(|f| app.render(f.area(), f.buffer_mut())).expect("draw");
        let buf = terminal.backend().buffer();
        let svg =
            if palette == Palette::Light { svg::buffer_to_svg_light(buf) } else { svg::buffer_to_svg(buf) };
        let path = format!("{}/screenshots/{name}{suffix}.svg", env!("CARGO_MANIFEST_DIR"));
        std::fs::write(&path, svg).expect("write screenshot");
        println!("{path}");
    }
}

fn main() {
    let date = NaiveDate::from_ymd_opt(2026, 11, 23).expect("date");
    let now = date.and_hms_opt(11, 10, 0).expect("time");
    let dir = std::env::temp_dir().join(format!("frontdesk-screenshots-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let db = dir.join("demo.db");
    let actor = || Actor::named("desk1");
    {
        let mut store = Store::open(&db, Access::ReadWrite, actor()).expect("open");
        frontdesk::demo::generate(&mut store, &DemoOptions { scale: Scale::Small, seed: SEED, date })
            .expect("demo");
    }
    std::fs::create_dir_all(format!("{}/screenshots", env!("CARGO_MANIFEST_DIR"))).expect("screenshots dir");
    for lang in [Lang::Ko, Lang::En] {
        for tab in TabId::ALL {
            let store = Store::open(&db, Access::ReadWrite, actor()).expect("open");
            let opts = AppOptions {
                lang,
                tab,
                mask: false,
                presentation: false,
                fixed_now: Some(now),
                db_label: "demo.db".into(),
            };
            let mut app = App::new(store, opts).expect("app");
            shoot(&mut app, &format!("{}-{}", tab.code(), lang.code()));
        }
        let store = Store::open(&db, Access::ReadOnly, actor()).expect("open");
        let opts = AppOptions {
            lang,
            tab: TabId::Huddle,
            mask: true,
            presentation: true,
            fixed_now: Some(now),
            db_label: "demo.db".into(),
        };
        shoot(&mut App::new(store, opts).expect("app"), &format!("huddle-presentation-{}", lang.code()));
        let fresh = dir.join(format!("new-{}.db", lang.code()));
        let store = Store::open(&fresh, Access::ReadWrite, actor()).expect("open");
        let opts = AppOptions {
            lang,
            tab: TabId::Today,
            mask: false,
            presentation: false,
            fixed_now: Some(now),
            db_label: "clinic.db".into(),
        };
        shoot(&mut App::new(store, opts).expect("app"), &format!("first-run-{}", lang.code()));
    }
    let _ = std::fs::remove_dir_all(&dir);
}
