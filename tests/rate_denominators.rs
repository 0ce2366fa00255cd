//! Rates over their cases (issue 16, item 6 and the drill-down of callbacks on time): a
//! caller's callbacks (no patient, linked to their inquiry) are on both sides of the
//! on-time rate's drill-down, with the caller's name and phone; a rate with no cases shows
//! "-", not 0%.

mod common;

use chrono::NaiveDate;
use frontdesk::domain::okr::Metric;
use frontdesk::store::{Store, metrics};

fn nov(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

/// Two patients' and two callers' callbacks due in November 2026, hand-made:
///
/// | callback | person                        | due   | contact        | on time |
/// |----------|-------------------------------|-------|----------------|---------|
/// | 1        | patient 김민수 (C-1)          | 11-03 | 11-03 10:00    | yes     |
/// | 2        | patient 이영희 (C-2)          | 11-05 | 11-07 09:00    | no      |
/// | 3        | caller 박가상 010-1111-2222   | 11-10 | 11-09 15:00    | yes     |
/// | 4        | caller 최허구 010-3333-4444   | 11-12 | none           | no      |
///
/// So on time 2 of 4 = 50%; callback 3 also carries a satisfaction score of 5 and callback 2
/// one of 2 (satisfaction 1 of 2).
fn callbacks_fixture(store: &mut Store) {
    store
        .write(|tx| {
            for (chart, name) in [("C-1", "김민수"), ("C-2", "이영희")] {
                tx.execute(
                    "INSERT INTO patients (chart_no, name, created_at) VALUES (?1, ?2, '2026-01-01T09:00:00')",
                    (chart, name),
                )?;
            }
            for (name, phone, digits) in [("박가상", "010-1111-2222", "01011112222"), ("최허구", "010-3333-4444", "01033334444")]
            {
                tx.execute(
                    "INSERT INTO inquiries (received_at, caller_name, phone, phone_digits, outcome)
                     VALUES ('2026-11-02T10:00:00', ?1, ?2, ?3, 'callback')",
                    (name, phone, digits),
                )?;
            }
            let callbacks = [
                (Some(1), None, "2026-11-03", "note 1"),
                (Some(2), None, "2026-11-05", "note 2"),
                (None, Some(1), "2026-11-10", "note 3"),
                (None, Some(2), "2026-11-12", "note 4"),
            ];
            for (patient, inquiry, due, note) in callbacks {
                tx.execute(
                    "INSERT INTO callbacks (patient_id, inquiry_id, kind, due_on, created_at, note)
                     VALUES (?1, ?2, 'prospect', ?3, '2026-11-01T09:00:00', ?4)",
                    (patient, inquiry, due, note),
                )?;
            }
            for (callback, at, score) in
                [(1, "2026-11-03T10:00:00", None), (2, "2026-11-07T09:00:00", Some(2)), (3, "2026-11-09T15:00:00", Some(5))]
            {
                tx.execute(
                    "INSERT INTO callback_contacts (callback_id, contacted_at, channel, satisfaction)
                     VALUES (?1, ?2, 'phone', ?3)",
                    (callback, at, score),
                )?;
            }
            Ok(())
        })
        .unwrap();
}

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = common::open_set_up(&dir.path().join("f.db"));
    callbacks_fixture(&mut store);
    (dir, store)
}

#[test]
fn a_callers_callbacks_are_on_both_sides_of_the_on_time_drill_down() {
    let (_dir, store) = store();
    let c = store.conn();
    assert_eq!(metrics::value(c, &Metric::CallbackOnTime, None, nov(1), nov(30)).unwrap(), Some(0.5));
    let rows = metrics::rate_records(c, &Metric::CallbackOnTime, nov(1), nov(30), false).unwrap().unwrap();
    let seen: Vec<(bool, &str, &str, Option<&str>, bool)> = rows
        .iter()
        .map(|r| {
            (r.hit.unwrap(), r.name.as_str(), r.chart_no.as_str(), r.phone.as_deref(), r.patient_id.is_some())
        })
        .collect();
    // Late first (newest first): 최허구 (caller, 11-12), 이영희 (11-05); then on time: 박가상
    // (caller, 11-10), 김민수 (11-03). Four rows: the denominator of 2/4.
    assert_eq!(
        seen,
        [
            (false, "최허구", "", Some("010-3333-4444"), false),
            (false, "이영희", "C-2", None, true),
            (true, "박가상", "", Some("010-1111-2222"), false),
            (true, "김민수", "C-1", None, true),
        ]
    );
    // The numerator alone (`records`, used by the CLI's drill-down) has the caller too.
    let hits = metrics::records(c, &Metric::CallbackOnTime, None, nov(1), nov(30)).unwrap();
    let names: Vec<(&str, Option<&str>)> =
        hits.iter().map(|r| (r.name.as_str(), r.phone.as_deref())).collect();
    assert_eq!(names, [("박가상", Some("010-1111-2222")), ("김민수", None)]);
}

#[test]
fn a_callers_satisfaction_score_is_in_its_drill_down() {
    let (_dir, store) = store();
    let c = store.conn();
    assert_eq!(metrics::value(c, &Metric::Satisfaction, None, nov(1), nov(30)).unwrap(), Some(0.5));
    let rows = metrics::rate_records(c, &Metric::Satisfaction, nov(1), nov(30), false).unwrap().unwrap();
    let seen: Vec<(bool, &str, Option<&str>)> =
        rows.iter().map(|r| (r.hit.unwrap(), r.name.as_str(), r.phone.as_deref())).collect();
    assert_eq!(seen, [(false, "이영희", None), (true, "박가상", Some("010-1111-2222"))]);
    let hits = metrics::records(c, &Metric::Satisfaction, None, nov(1), nov(30)).unwrap();
    assert_eq!(hits.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["박가상"]);
}

/// The Callbacks tab's header on `now`, for callbacks due on the given days, each called on
/// the given moment or never.
fn callbacks_header(now: chrono::NaiveDateTime, due: &[(&str, Option<&str>)]) -> String {
    use frontdesk::app::{App, TabId};
    use frontdesk::domain::Lang;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let mut store = common::open_set_up(&path);
    store
        .write(|tx| {
            for (i, (due_on, called)) in due.iter().enumerate() {
                tx.execute(
                    "INSERT INTO patients (chart_no, name, created_at) VALUES (?1, ?2, '2026-01-01T09:00:00')",
                    (format!("H-{i}"), format!("환자{i}")),
                )?;
                let patient = tx.last_insert_rowid();
                tx.execute(
                    "INSERT INTO callbacks (patient_id, kind, due_on, created_at) VALUES (?1, 'recall', ?2, '2026-11-01T09:00:00')",
                    (patient, due_on),
                )?;
                if let Some(at) = called {
                    tx.execute(
                        "INSERT INTO callback_contacts (callback_id, contacted_at, channel) VALUES (?1, ?2, 'phone')",
                        (tx.last_insert_rowid(), at),
                    )?;
                }
            }
            Ok(())
        })
        .unwrap();
    drop(store);
    let store = common::open_at(&path, now);
    let mut options = common::options(Lang::En, TabId::Callbacks);
    options.fixed_now = Some(now);
    let app = App::new(store, options).unwrap();
    let screen = common::text(&common::render(&app, 120, 40));
    screen
        .lines()
        .find(|l| l.contains("On time"))
        .unwrap_or_else(|| panic!("no header: {screen}"))
        .to_string()
}

#[test]
fn the_on_time_rate_on_the_first_of_the_month_is_a_dash_not_a_percentage() {
    // December 1st, 09:20: two callbacks due today, one already called, one not yet (the day
    // is not over) and one due yesterday (last month). No finished day of December yet: "-".
    let now = common::at(2026, 12, 1, 9, 20);
    let due = [("2026-12-01", Some("2026-12-01T09:00:00")), ("2026-12-01", None), ("2026-11-30", None)];
    let header = callbacks_header(now, &due);
    assert!(header.contains("On time -"), "{header}");
    assert!(!header.contains('%'), "{header}");
}

#[test]
fn the_on_time_rate_with_one_case_is_0_or_100_percent_with_its_count() {
    let now = common::at(2026, 12, 2, 9, 20);
    // One callback due yesterday, called on its day: 1 of 1. Today's open one does not count yet.
    let header = callbacks_header(now, &[("2026-12-01", Some("2026-12-01T17:00:00")), ("2026-12-02", None)]);
    assert!(header.contains("On time 100% (1/1)"), "{header}");
    // Called a day late: 0 of 1.
    let header = callbacks_header(now, &[("2026-12-01", Some("2026-12-02T09:00:00"))]);
    assert!(header.contains("On time 0% (0/1)"), "{header}");
}

#[test]
fn rate_counts_are_the_rates_numerator_and_denominator() {
    let (_dir, store) = store();
    let c = store.conn();
    let on_time = metrics::rate_counts(c, &Metric::CallbackOnTime, nov(1), nov(30)).unwrap().unwrap();
    assert_eq!((on_time.numerator, on_time.denominator), (2, 4));
    assert_eq!(on_time.value(), metrics::value(c, &Metric::CallbackOnTime, None, nov(1), nov(30)).unwrap());
    // Nothing due in the period, or a period that has not begun: 0/0, no value.
    let none = metrics::rate_counts(c, &Metric::CallbackOnTime, nov(13), nov(30)).unwrap().unwrap();
    assert_eq!((none.numerator, none.denominator, none.value()), (0, 0, None));
    let reversed = metrics::rate_counts(c, &Metric::CallbackOnTime, nov(2), nov(1)).unwrap().unwrap();
    assert_eq!(reversed.value(), None);
    assert!(metrics::rate_counts(c, &Metric::Visits, nov(1), nov(30)).unwrap().is_none(), "not a rate");
}

/// The OKR tab and the huddle's pulse on `now` for an objective that begins on December 1st
/// with a no-show rate (at most 30%), and today's done visit and no-show.
fn okr_screens(now: chrono::NaiveDateTime) -> (String, String) {
    use frontdesk::app::{App, TabId};
    use frontdesk::domain::Lang;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("o.db");
    let mut store = common::open_set_up(&path);
    let text = "[[objective]]\ntitle='December'\nfrom=2026-12-01\nto=2026-12-31\n[[objective.key_result]]\ntitle='No-shows at most 30%'\nmetric='no_show_rate'\ndirection='at_most'\ntarget=0.3\n";
    let objectives = frontdesk::domain::okr::parse_okr_file(text, now.date()).unwrap();
    store
        .write(|tx| {
            tx.execute("DELETE FROM objectives", [])?;
            for o in &objectives {
                frontdesk::store::okr::create_objective(tx, o)?;
            }
            tx.execute(
                "INSERT INTO patients (chart_no, name, created_at) VALUES ('O-1', '환자', '2026-01-01T09:00:00')",
                [],
            )?;
            for (start, status) in [("2026-12-01T08:00:00", "done"), ("2026-12-01T08:30:00", "no_show")] {
                tx.execute(
                    "INSERT INTO appointments (patient_id, start, duration_min, status, booked_at, updated_at)
                     VALUES (last_insert_rowid(), ?1, 30, ?2, '2026-11-20T09:00:00', '2026-11-20T09:00:00')",
                    (start, status),
                )?;
            }
            Ok(())
        })
        .unwrap();
    drop(store);
    let screen = |tab: TabId| {
        let mut options = common::options(Lang::En, tab);
        options.fixed_now = Some(now);
        let app = App::new(common::open_at(&path, now), options).unwrap();
        common::text(&common::render(&app, 120, 40))
    };
    // The huddle's OKR pulse as it is drawn (its fifth item): the agenda's texts.
    let store = common::open_at(&path, now);
    let catalog = frontdesk::store::catalog::Catalog::load(store.conn()).unwrap();
    let agenda = frontdesk::store::huddle::load_agenda(store.conn(), &catalog, now.date()).unwrap();
    let k = &agenda.okr[0].key_results[0];
    let pulse = format!("{} {} {:?} {:?}", k.title, k.value_text, k.today_text, k.progress);
    (screen(TabId::Okr), pulse)
}

#[test]
fn a_rate_on_the_first_day_of_its_period_is_a_dash_on_the_okr_tab_and_the_huddle() {
    // December 1st: no finished day yet, so the no-show rate has no value ("-", not 0% met);
    // today so far (1 of 2) is beside it.
    let (okr, huddle) = okr_screens(common::at(2026, 12, 1, 9, 20));
    let row = okr.lines().find(|l| l.contains("No-shows at most")).unwrap_or_else(|| panic!("{okr}"));
    assert!(row.contains("- / <=30%") && row.contains("No data"), "{row}\n{okr}");
    assert!(!row.contains(" 0%") && !row.contains("Met"), "{row}");
    // The pulse: no value, no progress, today so far (1 no-show of 2) beside it.
    assert_eq!(huddle, "No-shows at most 30% - Some(\"50%\") None");
}
