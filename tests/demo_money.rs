//! The demo clinic takes money and sells packages whose sessions its done visits use (issue 21
//! item 4), so every computed key result of the seeded board has a number on any day.

mod common;

use chrono::NaiveDate;
use common::*;
use frontdesk::demo::{self, DemoOptions, Scale};
use frontdesk::domain::okr::{Metric, Status};
use frontdesk::store::{okr, packages};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn the_demo_board_has_no_no_data_for_computed_key_results_on_three_dates_and_packages_have_sessions_used() {
    for (i, date) in [day(2026, 11, 24), day(2027, 1, 9), day(2026, 8, 3)].into_iter().enumerate() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open_at(&dir.path().join("demo.db"), date.and_hms_opt(9, 20, 0).unwrap());
        demo::generate(&mut store, &DemoOptions { scale: Scale::Small, seed: 11 + i as u64, date }).unwrap();
        let board = okr::board_live(store.conn(), date, 4).unwrap();
        let mut computed = 0;
        for k in board.iter().flat_map(|o| &o.key_results) {
            let Some(m) = &k.key_result.metric else { continue };
            if *m == Metric::Manual {
                continue;
            }
            computed += 1;
            assert_ne!(
                k.judgement.status,
                Status::NoData,
                "{date} {}: {:?}",
                k.key_result.title,
                k.judgement
            );
        }
        assert!(computed >= 10, "{date}: {computed} computed key results");
        // Packages were sold and their sessions used by done visits of their treatment.
        let c = store.conn();
        let (sold, used): (i64, i64) = c
            .query_row(
                "SELECT (SELECT count(*) FROM packages), (SELECT count(*) FROM package_sessions)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert!(sold > 0 && used > 0, "{date}: {sold} packages, {used} sessions used");
        let wrong: i64 = c
            .query_row(
                "SELECT count(*) FROM package_sessions s JOIN appointments a ON a.id = s.appointment_id
                   JOIN packages k ON k.id = s.package_id
                 WHERE a.status <> 'done' OR a.treatment_code <> k.treatment_code OR a.patient_id <> k.patient_id
                    OR a.start < k.purchased_on",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(wrong, 0, "{date}: a session used by a visit that cannot use it");
        let over: i64 = c
            .query_row(
                "SELECT count(*) FROM packages k
                 WHERE (SELECT count(*) FROM package_sessions s WHERE s.package_id = k.id) > k.sessions",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(over, 0);
        // The reads Today and the card use.
        let pid: i64 =
            c.query_row("SELECT patient_id FROM packages ORDER BY id LIMIT 1", [], |r| r.get(0)).unwrap();
        assert!(!packages::packages_of(&store, pid).unwrap().is_empty());
    }
}
