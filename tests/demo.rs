//! The demo clinic: deterministic, the right size, consistent, and interesting where the
//! screens look (today, the huddle, callbacks, inquiries, the OKR numbers).

mod common;

use std::path::Path;
use std::time::Instant;

use chrono::NaiveDate;
use frontdesk::demo::{self, DemoOptions, DemoSummary, Scale};
use frontdesk::store::{Access, Actor, Store};
use rusqlite::Connection;

/// A Tuesday.
fn demo_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

fn make(path: &Path, seed: u64, date: NaiveDate, scale: Scale) -> (Store, DemoSummary) {
    let mut store = Store::open(path, Access::ReadWrite, Actor::named("demo")).unwrap();
    let summary = demo::generate(&mut store, &DemoOptions { scale, seed, date }).unwrap();
    (store, summary)
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap_or_else(|e| panic!("{sql}: {e}"))
}

fn real(conn: &Connection, sql: &str) -> f64 {
    conn.query_row(sql, [], |r| r.get::<_, Option<f64>>(0))
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .unwrap_or(0.0)
}

/// Every row of every table but the audit log and the tamper seal (both carry the real time
/// the demo was made), as text, in a stable order.
fn dump(conn: &Connection) -> Vec<String> {
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('audit_log', 'integrity') ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut out = Vec::new();
    for table in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\" ORDER BY 1, 2")).unwrap();
        let columns = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            let mut line = format!("{table}:");
            for i in 0..columns {
                let v: rusqlite::types::Value = row.get(i).unwrap();
                line.push_str(&format!("{v:?}|"));
            }
            out.push(line);
        }
    }
    out
}

/// The OKR-style numbers of DESIGN §4 over `[from, to]`, computed here independently.
struct Numbers {
    avg_daily_patients: f64,
    no_show_rate: f64,
    booking_rate: f64,
    chuna_share: f64,
    consult_success: f64,
    callback_on_time: f64,
}

fn numbers(conn: &Connection, from: &str, to: &str) -> Numbers {
    let range = format!("start >= '{from}' AND start < date('{to}', '+1 day')");
    let visits =
        count(conn, &format!("SELECT count(*) FROM appointments WHERE status = 'done' AND {range}")) as f64;
    let days = count(
        conn,
        &format!(
            "SELECT count(DISTINCT substr(start, 1, 10)) FROM appointments WHERE status = 'done' AND {range}"
        ),
    ) as f64;
    let no_shows =
        count(conn, &format!("SELECT count(*) FROM appointments WHERE status = 'no_show' AND {range}"))
            as f64;
    let booked_after = count(
        conn,
        &format!(
            "SELECT count(*) FROM appointments a WHERE a.status = 'done' AND a.{range} AND EXISTS (
                SELECT 1 FROM appointments b WHERE b.patient_id = a.patient_id AND b.start > a.start
                AND b.status != 'cancelled' AND b.booked_at < date(substr(a.start, 1, 10), '+1 day'))",
            range = range
        ),
    ) as f64;
    let chuna = count(
        conn,
        &format!(
            "SELECT count(*) FROM appointments WHERE status = 'done' AND treatment_code = 'chuna' AND {range}"
        ),
    ) as f64;
    let consult_range = format!("consulted_at >= '{from}' AND consulted_at < date('{to}', '+1 day')");
    let consults = count(conn, &format!("SELECT count(*) FROM consultations WHERE {consult_range}")) as f64;
    let accepted = count(
        conn,
        &format!("SELECT count(*) FROM consultations WHERE status = 'accepted' AND {consult_range}"),
    ) as f64;
    let due = format!("due_on >= '{from}' AND due_on <= '{to}'");
    let callbacks_due = count(conn, &format!("SELECT count(*) FROM callbacks WHERE {due}")) as f64;
    let on_time = count(
        conn,
        &format!(
            "SELECT count(*) FROM callbacks c WHERE {due} AND EXISTS (SELECT 1 FROM callback_contacts k
             WHERE k.callback_id = c.id AND k.contacted_at < date(c.due_on, '+1 day'))"
        ),
    ) as f64;
    Numbers {
        avg_daily_patients: visits / days.max(1.0),
        no_show_rate: no_shows / (visits + no_shows).max(1.0),
        booking_rate: booked_after / visits.max(1.0),
        chuna_share: chuna / visits.max(1.0),
        consult_success: accepted / consults.max(1.0),
        callback_on_time: on_time / callbacks_due.max(1.0),
    }
}

#[test]
fn same_seed_and_date_give_the_same_clinic() {
    let dir = tempfile::tempdir().unwrap();
    let (a, _) = make(&dir.path().join("a.db"), 7, demo_date(), Scale::Small);
    let (b, _) = make(&dir.path().join("b.db"), 7, demo_date(), Scale::Small);
    let (c, _) = make(&dir.path().join("c.db"), 8, demo_date(), Scale::Small);
    let rows_a = dump(a.conn());
    let rows_b = dump(b.conn());
    assert!(rows_a.len() > 10_000, "{} rows", rows_a.len());
    if rows_a != rows_b {
        let first = rows_a.iter().zip(&rows_b).position(|(x, y)| x != y);
        panic!("the two demos differ (row counts {} and {}), first at {first:?}", rows_a.len(), rows_b.len());
    }
    assert_ne!(rows_a, dump(c.conn()), "another seed must give another clinic");
    // One audit row for the whole demo, besides the creation of the file.
    let audit = count(a.conn(), "SELECT count(*) FROM audit_log WHERE entity = 'demo'");
    assert_eq!(audit, 1);
    assert!(demo::is_demo_for(&a, demo_date()));
    assert!(!demo::is_demo_for(&a, demo_date().succ_opt().unwrap()));
    // A demo made today by a build with another (unreleased) schema is not this build's demo:
    // `--demo` makes it again instead of opening a file whose tables lack columns.
    let mut a = a;
    a.write(|tx| {
        tx.execute("UPDATE settings SET value = 'another' WHERE key = 'demo_schema'", [])?;
        Ok(())
    })
    .unwrap();
    assert!(!demo::is_demo_for(&a, demo_date()));
}

#[test]
fn small_clinic_has_the_right_sizes_and_shapes() {
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let (store, summary) = make(&dir.path().join("small.db"), 42, demo_date(), Scale::Small);
    eprintln!("small demo in {:.2?}: {summary:#?}", started.elapsed());
    let conn = store.conn();
    let day = demo_date().format("%Y-%m-%d").to_string();

    let patients = count(conn, "SELECT count(*) FROM patients");
    assert!((1400..=1600).contains(&patients), "{patients} patients");
    assert_eq!(patients as usize, summary.patients);

    let on_date =
        count(conn, &format!("SELECT count(*) FROM appointments WHERE substr(start, 1, 10) = '{day}'"));
    assert!((50..=70).contains(&on_date), "{on_date} appointments on the date");
    let statuses = count(
        conn,
        &format!("SELECT count(DISTINCT status) FROM appointments WHERE substr(start, 1, 10) = '{day}'"),
    );
    assert!(statuses >= 3, "{statuses} statuses on the date");
    let future =
        count(conn, &format!("SELECT count(*) FROM appointments WHERE start >= date('{day}', '+1 day')"));
    assert!(future > 100, "{future} future appointments");
    let first: String = conn.query_row("SELECT min(start) FROM appointments", [], |r| r.get(0)).unwrap();
    let seventeen_months_back = demo_date().checked_sub_months(chrono::Months::new(17)).unwrap().to_string();
    assert!(first < seventeen_months_back, "history starts {first}");
    let sundays = count(
        conn,
        &format!(
            "SELECT count(*) FROM appointments WHERE strftime('%w', start) = '0' AND substr(start, 1, 10) != '{day}'"
        ),
    );
    assert_eq!(sundays, 0, "Sundays are closed");

    // Inquiries from most sources, and a good part followed by a patient.
    let sources = count(conn, "SELECT count(DISTINCT referral_source) FROM inquiries");
    assert!(sources >= 6, "{sources} sources");
    let inquiries = count(conn, "SELECT count(*) FROM inquiries") as f64;
    let followed = count(conn, "SELECT count(*) FROM inquiries WHERE patient_id IS NOT NULL") as f64;
    assert!(followed / inquiries > 0.25, "{followed} of {inquiries} inquiries followed by a patient");
    let referral_share =
        count(conn, "SELECT count(*) FROM inquiries WHERE referral_source = 'referral'") as f64 / inquiries;
    assert!((0.3..=0.5).contains(&referral_share), "referral share {referral_share}");

    // Callbacks of every kind are open, never two of one kind for one patient.
    for kind in ["prospect", "reminder", "no_show", "happy_call", "recall"] {
        let open =
            count(conn, &format!("SELECT count(*) FROM callbacks WHERE status = 'open' AND kind = '{kind}'"));
        assert!(open >= 1, "no open {kind} callback");
    }
    let doubles = count(
        conn,
        "SELECT count(*) FROM (SELECT 1 FROM callbacks WHERE status = 'open' GROUP BY patient_id, kind HAVING count(*) > 1)",
    );
    assert_eq!(doubles, 0);
    assert!(count(conn, "SELECT count(*) FROM callback_contacts") > 100);

    assert!(count(conn, "SELECT count(*) FROM complaints WHERE status = 'open'") >= 2);
    let recent_complaints =
        count(conn, &format!("SELECT count(*) FROM complaints WHERE raised_at >= date('{day}', '-30 days')"));
    assert!(recent_complaints >= 3, "{recent_complaints} complaints in the last 30 days");
    let complainers_today = count(
        conn,
        &format!(
            "SELECT count(DISTINCT a.patient_id) FROM appointments a JOIN complaints c ON c.patient_id = a.patient_id
             WHERE substr(a.start, 1, 10) = '{day}' AND a.status != 'cancelled'"
        ),
    );
    assert!(complainers_today >= 1, "no complaint patient comes on the date");
    assert!(count(conn, "SELECT count(*) FROM consultations WHERE status = 'undecided'") >= 3);
    assert!(
        count(
            conn,
            "SELECT count(*) FROM consultations WHERE status = 'undecided' AND recall_on IS NOT NULL"
        ) >= 1
    );

    // Stickers on a minority, referrers who referred several people.
    for tag in ["referrer", "high_value", "prospect", "satisfied", "more_care"] {
        let n = count(conn, &format!("SELECT count(*) FROM patient_tags WHERE tag = '{tag}'"));
        assert!(n >= 1 && n < patients / 4, "{n} patients tagged {tag}");
    }
    let big_referrers = count(
        conn,
        "SELECT count(*) FROM (SELECT referrer_id FROM patients WHERE referrer_id IS NOT NULL GROUP BY referrer_id HAVING count(*) >= 3)",
    );
    assert!(big_referrers >= 3, "{big_referrers} patients referred three or more");
    let untagged_big = count(
        conn,
        "SELECT count(*) FROM (SELECT referrer_id FROM patients WHERE referrer_id IS NOT NULL GROUP BY referrer_id HAVING count(*) >= 3)
         WHERE referrer_id NOT IN (SELECT patient_id FROM patient_tags WHERE tag = 'referrer')",
    );
    assert_eq!(untagged_big, 0);
    let birthdays = count(
        conn,
        &format!(
            "SELECT count(*) FROM patients p WHERE substr(birth_date, 6) = substr('{day}', 6)
             AND EXISTS (SELECT 1 FROM appointments a WHERE a.patient_id = p.id AND substr(a.start, 1, 10) = '{day}')"
        ),
    );
    assert!(birthdays >= 1, "nobody coming today has a birthday");
    let open_actions = count(
        conn,
        &format!(
            "SELECT count(*) FROM huddle_actions h WHERE done_at IS NULL
             AND EXISTS (SELECT 1 FROM appointments a WHERE a.patient_id = h.patient_id AND substr(a.start, 1, 10) = '{day}')"
        ),
    );
    assert!(open_actions >= 2, "{open_actions} open huddle actions for today's patients");
    assert!(count(conn, "SELECT count(*) FROM notes") > 20);
    assert!(count(conn, "SELECT count(*) FROM packages") > 20);

    // Stored forms: times, won, NFC names with their initials.
    let bad_times = count(
        conn,
        "SELECT count(*) FROM appointments WHERE start NOT GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]'
         OR booked_at > start OR updated_at < booked_at",
    );
    assert_eq!(bad_times, 0);
    assert_eq!(count(conn, "SELECT count(*) FROM patients WHERE name_initials = '' OR phone_digits = ''"), 0);
    assert!(count(conn, "SELECT count(*) FROM patients WHERE length(name) = 4 AND name NOT LIKE '% %'") >= 1);
    assert!(count(conn, "SELECT count(*) FROM patients WHERE name GLOB '*[A-Za-z]*'") >= 1);
    let now = format!("{day}T11:10:59");
    for (table, column) in [
        ("patients", "created_at"),
        ("appointments", "booked_at"),
        ("appointments", "updated_at"),
        ("inquiries", "received_at"),
        ("callbacks", "created_at"),
        ("callback_contacts", "contacted_at"),
        ("complaints", "raised_at"),
        ("consultations", "consulted_at"),
        ("patient_tags", "tagged_at"),
        ("notes", "created_at"),
    ] {
        let later = count(conn, &format!("SELECT count(*) FROM {table} WHERE {column} > '{now}'"));
        assert_eq!(later, 0, "{table}.{column} after the demo's now");
    }

    // Consistency.
    let fk: i64 =
        conn.prepare("PRAGMA foreign_key_check").unwrap().query([]).unwrap().mapped(|_| Ok(1)).count() as i64;
    assert_eq!(fk, 0, "foreign key violations");
    let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(integrity, "ok");
    assert_eq!(frontdesk::store::audit::verify_chain(conn, store.audit_key().unwrap()).unwrap(), None);
    // The load drops and rebuilds indexes and row-counting triggers: the schema must end up
    // exactly as a new file has it, the tamper seal must hold, and the count must be right.
    let schema = |c: &Connection| -> Vec<String> {
        c.prepare(
            "SELECT type || ' ' || name || ' ' || sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY 1",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
    };
    let fresh = Store::open(&dir.path().join("fresh.db"), Access::ReadWrite, Actor::named("demo")).unwrap();
    assert_eq!(schema(conn), schema(fresh.conn()));
    assert!(count(conn, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL") >= 25);
    assert!(frontdesk::store::audit::seal_holds(conn, store.audit_key().unwrap()).unwrap(), "tamper seal");
    // The load sets the first-visit day the triggers keep afterwards, for every patient.
    assert!(count(conn, "SELECT count(*) FROM patients WHERE first_visit_on IS NOT NULL") > 0);
    assert_eq!(
        count(
            conn,
            "SELECT count(*) FROM patients p WHERE first_visit_on IS NOT
               (SELECT substr(min(a.start), 1, 10) FROM appointments a WHERE a.patient_id = p.id AND a.status = 'done')"
        ),
        0,
        "patients whose first_visit_on is not their first done visit"
    );
    // And the rest of the derived visit data (last visit, visit days, done visits per
    // treatment, rebooked), which the load computes in one pass each.
    assert_eq!(common::derived_out_of_step(conn), Vec::<String>::new());
    let changes =
        count(conn, "SELECT changes FROM integrity") - count(fresh.conn(), "SELECT changes FROM integrity");
    assert!(changes as usize >= summary.rows, "{changes} counted changes for {} rows", summary.rows);

    // The numbers the OKR screen shows, over the last four weeks.
    let from = (demo_date() - chrono::Duration::days(28)).format("%Y-%m-%d").to_string();
    let to = (demo_date() - chrono::Duration::days(1)).format("%Y-%m-%d").to_string();
    let n = numbers(conn, &from, &to);
    eprintln!(
        "avg_daily_patients {:.1}, no_show_rate {:.3}, booking_rate {:.3}, chuna share {:.3}, consult_success {:.3}, callback_on_time {:.3}",
        n.avg_daily_patients,
        n.no_show_rate,
        n.booking_rate,
        n.chuna_share,
        n.consult_success,
        n.callback_on_time
    );
    assert!((30.0..=55.0).contains(&n.avg_daily_patients), "avg_daily_patients {}", n.avg_daily_patients);
    assert!((0.10..=0.20).contains(&n.no_show_rate), "no_show_rate {}", n.no_show_rate);
    assert!((0.60..=0.85).contains(&n.booking_rate), "booking_rate {}", n.booking_rate);
    assert!((0.30..=0.50).contains(&n.chuna_share), "chuna share {}", n.chuna_share);
    // Revenue check-ins, where the OKR template's period (placed by the real clock when the
    // file was made) has begun by the demo date.
    let begun = count(
        conn,
        &format!(
            "SELECT count(*) FROM key_results k JOIN objectives o ON o.id = k.objective_id
             WHERE k.metric = 'manual' AND o.from_date < '{day}'"
        ),
    );
    let checkins = count(conn, "SELECT count(*) FROM checkins");
    if begun > 0 {
        assert!(checkins > 0, "no revenue check-ins");
        assert!(real(conn, "SELECT max(value) FROM checkins") > 0.0);
    }
    assert_eq!(count(conn, &format!("SELECT count(*) FROM checkins WHERE on_date >= '{day}'")), 0);
}

#[test]
fn refuses_a_database_that_is_not_empty() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("twice.db");
    let (mut store, _) = make(&path, 1, demo_date(), Scale::Small);
    let before = count(store.conn(), "SELECT count(*) FROM patients");
    let again = demo::generate(&mut store, &DemoOptions { scale: Scale::Small, seed: 2, date: demo_date() });
    assert!(again.is_err());
    assert_eq!(count(store.conn(), "SELECT count(*) FROM patients"), before);
}

/// The benchmark clinic. Slow in a debug build: run with
/// `cargo test --release --test demo -- --ignored --nocapture large`.
#[test]
#[ignore]
fn large_clinic_for_benchmarks() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("large.db");
    let started = Instant::now();
    let (store, summary) = make(&path, 42, demo_date(), Scale::Large);
    let elapsed = started.elapsed();
    let size = std::fs::metadata(&path).unwrap().len();
    eprintln!("large demo in {elapsed:.2?}, file {} MB: {summary:#?}", size / 1_000_000);
    assert!(summary.patients >= 140_000);
    assert!(summary.appointments >= 2_000_000, "{}", summary.appointments);
    assert!(summary.inquiries >= 300_000, "{}", summary.inquiries);
    let conn = store.conn();
    let fk: i64 =
        conn.prepare("PRAGMA foreign_key_check").unwrap().query([]).unwrap().mapped(|_| Ok(1)).count() as i64;
    assert_eq!(fk, 0, "foreign key violations");
    let fk_on: i64 = conn.pragma_query_value(None, "foreign_keys", |r| r.get(0)).unwrap();
    assert_eq!(fk_on, 1, "foreign keys are enforced again after the load");
    assert!(frontdesk::store::audit::seal_holds(conn, store.audit_key().unwrap()).unwrap(), "tamper seal");
    let from = (demo_date() - chrono::Duration::days(28)).format("%Y-%m-%d").to_string();
    let to = (demo_date() - chrono::Duration::days(1)).format("%Y-%m-%d").to_string();
    let n = numbers(conn, &from, &to);
    eprintln!(
        "avg_daily_patients {:.1}, no_show_rate {:.3}, booking_rate {:.3}, chuna share {:.3}",
        n.avg_daily_patients, n.no_show_rate, n.booking_rate, n.chuna_share
    );
    assert!(elapsed.as_secs() < 90, "took {elapsed:?}");
}

/// The demo through the app's own definitions: the huddle agenda and the OKR metrics.
#[test]
fn the_huddle_and_the_numbers_have_material() {
    use frontdesk::domain::dropout::ReasonKind;
    use frontdesk::domain::okr::Metric;
    use frontdesk::store::{catalog::Catalog, huddle, metrics};

    let dir = tempfile::tempdir().unwrap();
    let (store, _) = make(&dir.path().join("huddle.db"), 42, demo_date(), Scale::Small);
    let conn = store.conn();
    let catalog = Catalog::load(conn).unwrap();
    let agenda = huddle::load_agenda(conn, &catalog, demo_date()).unwrap();
    assert!(agenda.complaints.len() >= 2, "{} complaint items", agenda.complaints.len());
    assert!(!agenda.risky_categories.is_empty());
    assert!(!agenda.risky_visits.is_empty(), "no visit today goes through a risky process");
    assert!((50..=70).contains(&agenda.today.len()), "{} visits today", agenda.today.len());
    assert!(agenda.counts.birthdays >= 1);
    assert!(agenda.counts.referrers >= 1);
    assert!(!agenda.open_actions.is_empty());
    assert!(agenda.dropouts.len() >= 5, "{} expected dropouts", agenda.dropouts.len());
    let reasons: std::collections::HashSet<ReasonKind> =
        agenda.dropouts.iter().flat_map(|(d, _)| d.reasons.iter().map(|r| r.kind())).collect();
    assert!(reasons.len() >= 3, "dropout reasons {reasons:?}");
    // The agenda reads the costly facts only for candidates who can still make the list: the
    // list must be the head of the ranking of every candidate, whatever its length.
    let everyone = huddle::dropouts(conn, &catalog, demo_date(), usize::MAX).unwrap();
    assert!(everyone.len() > 60, "{} candidates scored", everyone.len());
    for limit in [1, 2, 5, 13, 40, everyone.len() - 1] {
        let head = huddle::dropouts(conn, &catalog, demo_date(), limit).unwrap();
        assert_eq!(head, everyone[..limit], "the first {limit}");
    }

    let from = demo_date() - chrono::Duration::days(28);
    let to = demo_date() - chrono::Duration::days(1);
    let value = |m: Metric| metrics::value(conn, &m, None, from, to).unwrap().unwrap();
    let avg = value(Metric::AvgDailyPatients);
    let no_show = value(Metric::NoShowRate);
    let booking = value(Metric::BookingRate);
    let chuna = value(Metric::TreatmentShare("chuna".into()));
    eprintln!("store::metrics: avg {avg:.1}, no-show {no_show:.3}, booking {booking:.3}, chuna {chuna:.3}");
    assert!((30.0..=55.0).contains(&avg), "avg_daily_patients {avg}");
    assert!((0.10..=0.20).contains(&no_show), "no_show_rate {no_show}");
    assert!((0.60..=0.85).contains(&booking), "booking_rate {booking}");
    assert!((0.30..=0.50).contains(&chuna), "chuna share {chuna}");
    assert!(value(Metric::Inquiries) > 100.0);
    assert!(value(Metric::InquiryToVisit) > 0.15);
    assert!(value(Metric::NewPatients) > 30.0);
}

/// The demo schedules reminders and happy calls by the app's own rules
/// (`domain::callbacks::{reminder_due, happy_call_due}`): on the demo date the app's automatic
/// callbacks (`desk::callbacks::generate_automatic`) find tomorrow's reminders already made,
/// and every automatic callback not yet moved by a call is due when the app would make it due.
#[test]
fn the_demos_automatic_callbacks_are_what_the_app_would_plan() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = make(&dir.path().join("demo.db"), 7, demo_date(), Scale::Small);
    let plan = frontdesk::store::callbacks::plan_automatic(store.conn(), demo_date()).unwrap();
    assert!(plan.reminders.is_empty(), "{:?}", plan.reminders);
    assert!(plan.stale_reminders.is_empty(), "{:?}", plan.stale_reminders);
    let made = |kind: &str| {
        count(
            store.conn(),
            &format!("SELECT count(*) FROM callbacks WHERE kind = '{kind}' AND appointment_id IS NOT NULL"),
        )
    };
    assert!(made("reminder") > 0 && made("happy_call") > 0);
    let wrong = count(
        store.conn(),
        "SELECT count(*) FROM callbacks c JOIN appointments a ON a.id = c.appointment_id
         WHERE ((c.kind = 'reminder' AND c.due_on <> date(a.start, '-1 day'))
             OR (c.kind = 'happy_call' AND c.due_on <> date(a.start, '+1 day')))
           AND (SELECT count(*) FROM callback_contacts x WHERE x.callback_id = c.id)
               <= (c.status = 'closed')",
    );
    assert_eq!(wrong, 0);
}
