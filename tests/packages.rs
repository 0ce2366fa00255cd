//! Packages and their sessions (issue 21 item 2): selling one records its payment in the same
//! write; each done visit of its treatment uses a session of the oldest open package, undoing
//! the done gives it back; `used/total`, "package ending", "finished without a new one"; and
//! `frontdesk import packages FILE`.

mod common;

use chrono::NaiveDateTime;
use common::*;
use frontdesk::desk::appointments::{Visit, mark_status, undo};
use frontdesk::desk::packages::{PackageForm, sell_package};
use frontdesk::domain::AppointmentStatus;
use frontdesk::store::Store;
use frontdesk::store::appointments::{NewAppointment, insert_appointment};
use frontdesk::store::packages::{self, PackageUse};

fn patient(store: &mut Store, name: &str) -> i64 {
    store
        .write(|tx| {
            frontdesk::store::patients::insert_patient(
                tx,
                &frontdesk::store::patients::NewPatient { name: name.into(), ..Default::default() },
            )
        })
        .unwrap()
}

fn visit(store: &mut Store, pid: i64, start: NaiveDateTime, treatment: &str) -> i64 {
    store
        .write(|tx| {
            insert_appointment(
                tx,
                &NewAppointment {
                    patient_id: pid,
                    start,
                    duration_min: 30,
                    provider_id: None,
                    treatment_code: Some(treatment.into()),
                },
            )
        })
        .unwrap()
}

fn done(store: &mut Store, id: i64, pid: i64, start: NaiveDateTime, treatment: &str) {
    let v = Visit { id, patient_id: pid, start, treatment_code: Some(treatment) };
    mark_status(store, v, AppointmentStatus::Done, fixed_now().date()).unwrap();
}

fn sell(store: &mut Store, pid: i64, at: NaiveDateTime, treatment: &str, sessions: &str, price: &str) -> i64 {
    let mut f = PackageForm::new(pid, at);
    f.treatment_code = Some(treatment.into());
    f.sessions = sessions.into();
    f.price = price.into();
    sell_package(store, &f).unwrap().package_id
}

fn uses(store: &Store, pid: i64) -> Vec<(String, String)> {
    packages::packages_of(store, pid)
        .unwrap()
        .iter()
        .map(|p| (p.treatment_code.clone(), p.fraction()))
        .collect()
}

#[test]
fn done_visits_use_sessions_of_the_oldest_open_package_and_undo_gives_them_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir.path().join("clinic.db"));
    let pid = patient(&mut store, "가상환자");
    // A 3-session chuna package, paid in the same write.
    let first = sell(&mut store, pid, at(2026, 11, 2, 9, 0), "chuna", "3", "30만");
    let paid: (i64, String, i64) = store
        .conn()
        .query_row(
            "SELECT y.amount_krw, y.category, k.payment_id FROM packages k JOIN payments y ON y.id = k.payment_id
             WHERE k.id = ?1",
            [first],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((paid.0, paid.1.as_str()), (300_000, "non_covered"));
    // An acupuncture package of the same patient is not used by chuna visits.
    sell(&mut store, pid, at(2026, 11, 2, 9, 5), "acupuncture", "5", "0");
    let mut ids = Vec::new();
    for d in 3..=6 {
        let start = at(2026, 11, d, 10, 0);
        let id = visit(&mut store, pid, start, "chuna");
        done(&mut store, id, pid, start, "chuna");
        ids.push((id, start));
        if d == 4 {
            assert_eq!(uses(&store, pid)[0].1, "2/3");
            let open = packages::open_packages_of(&store, &[pid]).unwrap();
            // One session left: "package ending".
            assert!(open[&pid].iter().any(|p| p.treatment_code == "chuna" && p.is_ending()));
        }
    }
    // Three visits used the package up; the fourth found no open package.
    assert_eq!(uses(&store, pid), vec![("chuna".into(), "3/3".into()), ("acupuncture".into(), "0/5".into())]);
    assert_eq!(packages::package_of_visit(&store, ids[3].0).unwrap(), None);
    let finished: Vec<i64> =
        packages::finished_without_renewal(&store, pid).unwrap().iter().map(|p| p.id).collect();
    assert_eq!(finished, vec![first]);
    // Undoing the fourth's done gives nothing back (it used no session); undoing the third's
    // then gives its session back (no later done visit is left waiting for one).
    let (fourth, _) = ids[3];
    assert_eq!(undo(&mut store, fourth).unwrap(), Some((AppointmentStatus::Booked, AppointmentStatus::Done)));
    assert_eq!(uses(&store, pid)[0].1, "3/3");
    let (third, _) = ids[2];
    assert_eq!(undo(&mut store, third).unwrap(), Some((AppointmentStatus::Booked, AppointmentStatus::Done)));
    assert_eq!(uses(&store, pid)[0].1, "2/3");
    assert!(packages::finished_without_renewal(&store, pid).unwrap().is_empty());
    // A second package: the next done visit still uses the oldest open one first...
    let second = sell(&mut store, pid, at(2026, 11, 7, 9, 0), "chuna", "10", "90만");
    let start = at(2026, 11, 8, 10, 0);
    let id = visit(&mut store, pid, start, "chuna");
    done(&mut store, id, pid, start, "chuna");
    assert_eq!(packages::package_of_visit(&store, id).unwrap(), Some(first));
    // ...and then the second.
    let start = at(2026, 11, 9, 10, 0);
    let id = visit(&mut store, pid, start, "chuna");
    done(&mut store, id, pid, start, "chuna");
    assert_eq!(packages::package_of_visit(&store, id).unwrap(), Some(second));
    let all: Vec<PackageUse> = packages::packages_of(&store, pid).unwrap();
    assert_eq!(all.iter().map(|p| p.fraction()).collect::<Vec<_>>(), vec!["3/3", "0/5", "1/10"]);
    // The first is finished, but a new one was bought: not "finished without a new one".
    assert!(packages::finished_without_renewal(&store, pid).unwrap().is_empty());
}

#[test]
fn a_session_given_back_by_undo_goes_to_the_later_visit_that_found_the_package_full() {
    // Two sessions, three 추나 visits done: the third finds the package full. Undoing the
    // first (marked by mistake) counts the third instead: still 2/2, every visit since the
    // sale but the undone one counted.
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir.path().join("clinic.db"));
    let pid = patient(&mut store, "가상환자");
    let package = sell(&mut store, pid, at(2026, 11, 2, 9, 0), "chuna", "2", "20만");
    let days = [at(2026, 11, 9, 10, 0), at(2026, 11, 16, 10, 0), at(2026, 11, 23, 9, 0)];
    let ids: Vec<i64> = days.iter().map(|&d| visit(&mut store, pid, d, "chuna")).collect();
    for (&id, &d) in ids.iter().zip(&days) {
        done(&mut store, id, pid, d, "chuna");
    }
    let session_of = |store: &Store, id: i64| packages::package_of_visit(store, id).unwrap();
    assert_eq!(session_of(&store, ids[2]), None, "the package was full");
    assert_eq!(uses(&store, pid), [("chuna".to_string(), "2/2".to_string())]);
    undo(&mut store, ids[0]).unwrap();
    assert_eq!(session_of(&store, ids[0]), None, "given back");
    assert_eq!(session_of(&store, ids[2]), Some(package), "and used by the visit that found it full");
    assert_eq!(uses(&store, pid), [("chuna".to_string(), "2/2".to_string())]);
    // Undoing a visit with no later one waiting gives the session back for good.
    undo(&mut store, ids[2]).unwrap();
    assert_eq!(uses(&store, pid), [("chuna".to_string(), "1/2".to_string())]);
}

#[test]
fn a_package_sold_at_checkout_counts_the_visit_just_done() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir.path().join("clinic.db"));
    let pid = patient(&mut store, "가상환자");
    let start = at(2026, 11, 23, 9, 0);
    let id = visit(&mut store, pid, start, "diet");
    done(&mut store, id, pid, start, "diet");
    let k = sell(&mut store, pid, at(2026, 11, 23, 9, 40), "diet", "10", "600만원");
    assert_eq!(packages::package_of_visit(&store, id).unwrap(), Some(k));
    assert_eq!(uses(&store, pid), vec![("diet".into(), "1/10".into())]);
}

#[test]
fn a_sale_is_refused_without_treatment_or_with_sessions_out_of_range_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir.path().join("clinic.db"));
    let pid = patient(&mut store, "가상환자");
    let mut f = PackageForm::new(pid, at(2026, 11, 23, 9, 0));
    f.sessions = "10".into();
    f.price = "10만".into();
    assert!(sell_package(&mut store, &f).is_err());
    f.treatment_code = Some("chuna".into());
    f.sessions = "0".into();
    assert!(sell_package(&mut store, &f).is_err());
    let n: i64 = store.conn().query_row("SELECT count(*) FROM payments", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 0);
}

#[test]
fn import_packages_reads_codes_and_labels_records_no_payment_and_skips_a_second_import() {
    use common::cli::{err, out, run};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    let mut store = open_set_up(&db);
    store
        .write(|tx| frontdesk::store::settings::add_staff(tx, "김원장", frontdesk::domain::Role::Director))
        .unwrap();
    drop(store);
    std::fs::write(
        dir.path().join("seed.csv"),
        "chart_no,name,phone,birth_date,sex,first_visit,referral_source,referrer_chart_no,tags,note\n\
         000001,가상환자일,010-3000-0001,,F,,,,,\n",
    )
    .unwrap();
    let o = run(dir.path(), &["--db", "clinic.db", "import", "patients", "seed.csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    std::fs::write(
        dir.path().join("packages.csv"),
        "chart_no,sold_on,treatment,sessions,price_krw,provider,note\n\
         000001,2026-11-02,chuna,10,\"1,000,000\",김원장,\n\
         000001,2026-11-20,추나,5,50만,,두 번째\n",
    )
    .unwrap();
    let o = run(dir.path(), &["--db", "clinic.db", "import", "packages", "packages.csv"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    let store = open(&db);
    let rows: Vec<(String, i64, i64, Option<String>)> = store
        .conn()
        .prepare(
            "SELECT k.treatment_code, k.sessions, k.price_krw, s.name FROM packages k LEFT JOIN staff s ON s.id = k.provider_id
             ORDER BY k.purchased_on",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        rows,
        vec![("chuna".into(), 10, 1_000_000, Some("김원장".into())), ("chuna".into(), 5, 500_000, None)]
    );
    let payments: i64 = store.conn().query_row("SELECT count(*) FROM payments", [], |r| r.get(0)).unwrap();
    assert_eq!(payments, 0, "an imported package records no payment");
    drop(store);
    let o = run(dir.path(), &["--db", "clinic.db", "import", "packages", "packages.csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let store = open(&db);
    let n: i64 = store.conn().query_row("SELECT count(*) FROM packages", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 2, "imported twice adds nothing");
    drop(store);
    // A bad row names its column.
    std::fs::write(
        dir.path().join("bad.csv"),
        "chart_no,sold_on,treatment,sessions,price_krw,provider,note\n000001,2026-11-21,chuna,0,10000,,\n",
    )
    .unwrap();
    let o = run(dir.path(), &["--db", "clinic.db", "import", "packages", "bad.csv"]);
    assert_ne!(o.status.code(), Some(0));
    assert!(err(&o).contains("sessions"), "{}", err(&o));
}
