//! Clinic settings: validation, audit, retire-not-delete, kind switch, setup show/load.

mod common;

use chrono::NaiveDate;
use frontdesk::domain::setup::{LabelEntry, SetupFile};
use frontdesk::domain::{ClinicKind, Role};
use frontdesk::store::Store;
use frontdesk::store::appointments::{NewAppointment, insert_appointment};
use frontdesk::store::patients::{NewPatient, insert_patient};
use frontdesk::store::settings::{self, CodeTable};

const BIN: &str = env!("CARGO_BIN_EXE_frontdesk");

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn audit_count(store: &Store, entity: &str) -> i64 {
    store
        .conn()
        .query_row("SELECT count(*) FROM audit_log WHERE entity = ?1", [entity], |r| r.get(0))
        .unwrap()
}

#[test]
fn staff_validation_and_audit() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = common::open(&dir.path().join("c.db"));
    let id = store.write(|tx| settings::add_staff(tx, "김원장", Role::Director)).unwrap();
    assert_eq!(audit_count(&store, "staff"), 1);
    assert!(
        store
            .write(|tx| settings::add_staff(tx, "  ", Role::Desk))
            .unwrap_err()
            .to_string()
            .contains("empty")
    );
    assert!(
        store
            .write(|tx| settings::add_staff(tx, "김원장", Role::Desk))
            .unwrap_err()
            .to_string()
            .contains("already")
    );
    store.write(|tx| settings::rename_staff(tx, id, "김대표원장")).unwrap();
    let detail: String = store
        .conn()
        .query_row("SELECT detail FROM audit_log WHERE action='rename' AND entity='staff'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(detail, "김원장 -> 김대표원장");
    assert_eq!(audit_count(&store, "staff"), 2, "failed attempts wrote nothing");
}

#[test]
fn retiring_a_provider_keeps_their_appointments() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = common::open(&dir.path().join("c.db"));
    let (doc, appt) = store
        .write(|tx| {
            let doc = settings::add_staff(tx, "이원장", Role::Director)?;
            let p = insert_patient(tx, &NewPatient { name: "홍길동".into(), ..Default::default() })?;
            let a = insert_appointment(
                tx,
                &NewAppointment {
                    patient_id: p,
                    start: today().and_hms_opt(10, 0, 0).unwrap(),
                    duration_min: 30,
                    provider_id: Some(doc),
                    treatment_code: Some("chuna".into()),
                },
            )?;
            Ok((doc, a))
        })
        .unwrap();
    store.write(|tx| settings::set_staff_active(tx, doc, false)).unwrap();
    let (provider, active): (i64, bool) = store
        .conn()
        .query_row(
            "SELECT a.provider_id, s.active FROM appointments a JOIN staff s ON s.id = a.provider_id WHERE a.id = ?1",
            [appt],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((provider, active), (doc, false));
    // The treatment is in use: it cannot be deleted, only retired.
    let err = store.write(|tx| settings::delete_code(tx, CodeTable::Treatments, "chuna")).unwrap_err();
    assert!(err.to_string().contains("retire"), "{err}");
    store.write(|tx| settings::set_code_active(tx, CodeTable::Treatments, "chuna", false)).unwrap();
    let still: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM appointments WHERE treatment_code='chuna'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(still, 1);
    // An unused code can go.
    store.write(|tx| settings::delete_code(tx, CodeTable::Treatments, "gongjindan")).unwrap();
    let gone: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM treatments WHERE code='gongjindan'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(gone, 0);
}

#[test]
fn treatment_and_category_edits_are_audited_and_renames_keep_codes() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = common::open(&dir.path().join("c.db"));
    let before = audit_count(&store, "treatments");
    let mut t = settings::read_setup(store.conn())
        .unwrap()
        .treatments
        .into_iter()
        .find(|t| t.code == "chuna")
        .unwrap();
    t.ko = "추나요법".into();
    t.interval_days = 5;
    store.write(|tx| settings::upsert_treatment(tx, &t)).unwrap();
    assert_eq!(audit_count(&store, "treatments"), before + 1);
    // Writing the same values again changes nothing and audits nothing.
    store.write(|tx| settings::upsert_treatment(tx, &t)).unwrap();
    assert_eq!(audit_count(&store, "treatments"), before + 1);
    let (label, interval): (String, i64) = store
        .conn()
        .query_row("SELECT label_ko, interval_days FROM treatments WHERE code='chuna'", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((label.as_str(), interval), ("추나요법", 5));
    store
        .write(|tx| {
            settings::upsert_complaint_category(
                tx,
                &LabelEntry { code: "noise".into(), ko: "소음".into(), en: "Noise".into(), active: true },
            )
        })
        .unwrap();
    assert_eq!(audit_count(&store, "complaint_categories"), 1);
    assert!(store.write(|tx| settings::set_dropout_weight(tx, "open_complaint", 11)).is_err());
    assert!(store.write(|tx| settings::set_dropout_weight(tx, "bad_reason", 1)).is_err());
    store.write(|tx| settings::set_dropout_weight(tx, "open_complaint", 4)).unwrap();
    assert_eq!(audit_count(&store, "dropout_weights"), 1);
}

#[test]
fn the_kind_of_clinic_switches_catalogs_only_before_records_exist() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = common::open(&dir.path().join("c.db"));
    store.write(|tx| settings::set_clinic_kind(tx, ClinicKind::Dental, today())).unwrap();
    let codes: Vec<String> = store
        .conn()
        .prepare("SELECT code FROM treatments ORDER BY sort")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(codes.contains(&"implant".to_string()) && !codes.contains(&"chuna".to_string()), "{codes:?}");
    let okr: String =
        store.conn().query_row("SELECT title FROM objectives ORDER BY id LIMIT 1", [], |r| r.get(0)).unwrap();
    assert!(okr.contains("치과"), "{okr}");
    store
        .write(|tx| insert_patient(tx, &NewPatient { name: "박하늘".into(), ..Default::default() }))
        .unwrap();
    let err = store.write(|tx| settings::set_clinic_kind(tx, ClinicKind::Eye, today())).unwrap_err();
    assert!(err.to_string().contains("before any records"), "{err}");
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(BIN).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn setup_show_then_load_on_a_fresh_database_gives_the_same_settings() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.db");
    let b = dir.path().join("b.db");
    let mut store = common::open(&a);
    store
        .write(|tx| {
            settings::add_staff(tx, "김원장", Role::Director)?;
            let retired = settings::add_staff(tx, "최데스크", Role::Desk)?;
            settings::set_staff_active(tx, retired, false)?;
            settings::set_code_active(tx, CodeTable::Treatments, "cupping", false)?;
            settings::set_setting(tx, "clinic_name", "한결한의원")?;
            settings::set_setting(tx, "closed_dates", "2026-12-31")?;
            settings::set_dropout_weight(tx, "overdue_gap", 4)
        })
        .unwrap();
    drop(store);
    let (code, shown, err) = run(&["--db", a.to_str().unwrap(), "setup", "show"]);
    assert_eq!(code, 0, "{err}");
    assert!(shown.contains("한결한의원") && shown.contains("최데스크") && shown.contains("active = false"));
    let file = dir.path().join("branch.toml");
    std::fs::write(&file, &shown).unwrap();
    let (code, _, err) = run(&["--db", b.to_str().unwrap(), "setup", "load", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let (_, again, _) = run(&["--db", b.to_str().unwrap(), "setup", "show"]);
    assert_eq!(again, shown);
    assert_eq!(SetupFile::parse(&again).unwrap(), SetupFile::parse(&shown).unwrap());
    // The clinic's own closed day travels with the file and closes the calendar.
    assert!(shown.contains("closed_dates = [\"2026-12-31\"]"), "{shown}");
    let cal = settings::clinic_calendar(common::open(&b).conn()).unwrap();
    let eve = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
    assert_eq!(cal.closed_on(eve), Some(frontdesk::domain::calendar::ClosedDay::Clinic));
    // A closed day that is not a date is refused with its field named.
    let bad = shown.replace("\"2026-12-31\"", "\"12월 말\"");
    assert!(SetupFile::parse(&bad).unwrap_err().contains("`closed_dates`"));
}

#[test]
fn a_bad_setup_file_names_the_line_and_field_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    // `setup show` only reads and never creates a database: make it first.
    drop(common::open(&db));
    let (_, before, _) = run(&["--db", db.to_str().unwrap(), "setup", "show"]);
    let audit_before: i64 = {
        let s = common::open(&db);
        s.conn().query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0)).unwrap()
    };
    let bad =
        before.replace("name = \"\"", "name = \"새이름\"").replace("interval_days = 7", "interval_days = 0");
    let file = dir.path().join("bad.toml");
    std::fs::write(&file, &bad).unwrap();
    let (code, _, err) = run(&["--db", db.to_str().unwrap(), "setup", "load", file.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("line ") && err.contains("`interval_days`"), "{err}");
    let (_, after, _) = run(&["--db", db.to_str().unwrap(), "setup", "show"]);
    assert_eq!(after, before);
    let s = common::open(&db);
    let audit_after: i64 = s.conn().query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0)).unwrap();
    assert_eq!(audit_after, audit_before);
}
