//! Every tab on the demo clinic's day (seed 42, 2026-11-23, late morning), at 80x24 and
//! 120x40 in both languages: the screens as the desk sees them on a full day.

mod common;

use chrono::NaiveDate;
use frontdesk::app::{App, AppOptions, TabId};
use frontdesk::demo::{DemoOptions, Scale};
use frontdesk::domain::Lang;

#[test]
fn every_tab_on_the_demo_day() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let date = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    {
        let mut store = common::open(&db);
        frontdesk::demo::generate(&mut store, &DemoOptions { scale: Scale::Small, seed: 42, date }).unwrap();
    }
    for lang in [Lang::Ko, Lang::En] {
        for tab in TabId::ALL {
            let opts = AppOptions {
                lang,
                tab,
                mask: false,
                presentation: false,
                fixed_now: Some(date.and_hms_opt(11, 10, 0).unwrap()),
                db_label: "demo.db".into(),
            };
            let app = App::new(common::open(&db), opts).unwrap();
            for (w, h) in [(80, 24), (120, 40)] {
                let screen = common::text(&common::render(&app, w, h));
                if tab == TabId::Today {
                    // A full day: the list is there, not the empty-day message.
                    assert!(!screen.contains(lang.pick("예약이 없습니다", "No appointments")), "{screen}");
                }
                insta::assert_snapshot!(format!("demo_{}_{}_{}x{}", tab.code(), lang.code(), w, h), screen);
            }
        }
    }
}
