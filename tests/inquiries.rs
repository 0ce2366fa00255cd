//! Inquiries: logging calls, the referral reports on hand-computed fixtures, and CSV import /
//! export (all or nothing, every error class, encodings, round trip).

mod common;

use chrono::{NaiveDate, NaiveDateTime};
use frontdesk::domain::import::CsvKind;
use frontdesk::domain::phone::Phone;
use frontdesk::domain::reports::UNKNOWN_SOURCE;
use frontdesk::domain::{CallbackKind, Period, QuestionKind};
use frontdesk::store::Store;
use frontdesk::store::appointments::{NewAppointment, insert_appointment};
use frontdesk::store::csv_io::{self, ExportRange};
use frontdesk::store::inquiries::{CallOutcome, NewInquiry, log_inquiry};
use frontdesk::store::patients::{NewPatient, insert_patient};
use frontdesk::store::{callbacks, reports};
use sha2::{Digest, Sha256};

fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn period(from: &str, to: &str) -> Period {
    Period::new(d(from), d(to))
}

fn patient(store: &mut Store, name: &str, phone: &str, source: Option<&str>) -> i64 {
    store
        .write(|tx| {
            insert_patient(
                tx,
                &NewPatient {
                    name: name.into(),
                    phone: phone.into(),
                    referral_source: source.map(str::to_owned),
                    ..Default::default()
                },
            )
        })
        .unwrap()
}

/// An appointment with a final status (fixtures: the status screens are another module's).
fn visit(store: &mut Store, patient_id: i64, start: &str, status: &str) -> i64 {
    store
        .write(|tx| {
            let id = insert_appointment(
                tx,
                &NewAppointment {
                    patient_id,
                    start: t(start),
                    duration_min: 30,
                    provider_id: None,
                    treatment_code: None,
                },
            )?;
            tx.execute(
                "UPDATE appointments SET status = ?1, booked_at = ?2 WHERE id = ?3",
                (status, start, id),
            )?;
            Ok(id)
        })
        .unwrap()
}

fn patient_count(store: &Store) -> i64 {
    store.conn().query_row("SELECT count(*) FROM patients", [], |r| r.get(0)).unwrap()
}

fn inquiry(source: Option<&str>, at: &str) -> NewInquiry {
    NewInquiry {
        received_at: t(at),
        caller_name: "Caller".into(),
        phone: None,
        patient_id: None,
        topic: Some("chuna".into()),
        questions: vec![QuestionKind::Price],
        referral_source: source.map(str::to_owned),
        referral_channel: None,
        referrer_id: None,
        note: String::new(),
        outcome: CallOutcome::Info,
    }
}

fn log(store: &mut Store, inq: NewInquiry) -> frontdesk::store::inquiries::Logged {
    store.write(|tx| log_inquiry(tx, &inq)).unwrap()
}

#[test]
fn referral_report_counts_months_at_their_edges_with_shares_and_empty_sources() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = common::open(&dir.path().join("c.db"));
    // New in October: a (referral). New in November: b (signboard), c (no source).
    // d first came in September, so its November visit is not new.
    let a = patient(&mut store, "가나다", "", Some("referral"));
    let b = patient(&mut store, "라마바", "", Some("signboard"));
    let c = patient(&mut store, "사아자", "", None);
    let dd = patient(&mut store, "차카타", "", Some("referral"));
    visit(&mut store, a, "2026-10-05 10:00:00", "done");
    visit(&mut store, a, "2026-11-10 10:00:00", "done");
    visit(&mut store, b, "2026-11-02 10:00:00", "no_show");
    visit(&mut store, b, "2026-11-03 10:00:00", "done");
    visit(&mut store, c, "2026-11-20 10:00:00", "done");
    visit(&mut store, dd, "2026-09-30 10:00:00", "done");
    visit(&mut store, dd, "2026-11-05 10:00:00", "done");
    // Inquiries on the last second of October and the first of November.
    log(&mut store, inquiry(Some("internet"), "2026-10-31 23:59:59"));
    log(&mut store, inquiry(Some("referral"), "2026-11-01 00:00:00"));
    log(&mut store, inquiry(Some("referral"), "2026-11-15 12:00:00"));
    log(&mut store, inquiry(Some("signboard"), "2026-11-30 23:59:59"));
    log(&mut store, inquiry(Some("signboard"), "2026-12-01 00:00:00")); // outside

    let rows = reports::referrals(store.conn(), &period("2026-10-01", "2026-11-30")).unwrap();
    assert_eq!(rows.len(), 2 * 8, "every catalog source in every month, and `unknown` because c has none");
    let get = |m: &str, s: &str| rows.iter().find(|r| r.month == m && r.source == s).unwrap().clone();
    let oct_ref = get("2026-10", "referral");
    assert_eq!((oct_ref.new_patients, oct_ref.new_patients_share), (1, Some(1.0)));
    assert_eq!(get("2026-10", "internet").inquiries, 1);
    assert_eq!(get("2026-10", "internet").inquiries_share, Some(1.0));
    assert_eq!(get("2026-10", "referral").inquiries, 0, "00:00:00 on the 1st belongs to November");
    let nov_sign = get("2026-11", "signboard");
    assert_eq!((nov_sign.new_patients, nov_sign.new_patients_share), (1, Some(0.5)));
    assert_eq!(nov_sign.inquiries, 1, "23:59:59 on the 30th is in; 00:00 on Dec 1st is out");
    assert!((nov_sign.inquiries_share.unwrap() - 1.0 / 3.0).abs() < 1e-9);
    let nov_ref = get("2026-11", "referral");
    assert_eq!(nov_ref.new_patients, 0, "a and d came before November");
    assert_eq!(nov_ref.inquiries, 2);
    assert!((nov_ref.inquiries_share.unwrap() - 2.0 / 3.0).abs() < 1e-9);
    let magazine = get("2026-11", "magazine");
    assert_eq!(
        (magazine.new_patients, magazine.inquiries, magazine.inquiries_share),
        (0, 0, Some(0.0)),
        "a source with none in a month with inquiries is 0%"
    );

    assert_eq!(rows[7].source, UNKNOWN_SOURCE, "unknown comes after the catalog sources");
    let oct_only = reports::referrals(store.conn(), &period("2026-10-01", "2026-10-31")).unwrap();
    assert_eq!(oct_only.len(), 7, "unknown is listed only when it has rows");
    let rows_with_unknown = reports::referrals(store.conn(), &period("2026-11-01", "2026-11-30")).unwrap();
    // c's new-patient row is counted under `unknown`, and the shares still add up to one.
    let unknown = rows_with_unknown.iter().find(|r| r.source == UNKNOWN_SOURCE);
    assert!(
        unknown.is_some_and(|u| u.new_patients == 1 && u.new_patients_share == Some(0.5)),
        "{rows_with_unknown:?}"
    );
    let total: f64 = rows_with_unknown.iter().filter_map(|r| r.new_patients_share).sum();
    assert!((total - 1.0).abs() < 1e-9);
}

#[test]
fn funnel_follows_each_inquiry_to_booking_visit_consultation_and_payment() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = common::open(&dir.path().join("c.db"));
    let p1 = patient(&mut store, "일환자", "010-1111-0001", Some("referral"));
    let p2 = patient(&mut store, "이환자", "010-1111-0002", Some("internet"));
    // p1 calls (referral) on 11-02, books on the call, visits on 11-05, consults, accepts.
    let mut i1 = inquiry(Some("referral"), "2026-11-02 10:00:00");
    i1.phone = Some(Phone::parse("010-1111-0001").unwrap());
    i1.outcome = CallOutcome::Booked(Some(t("2026-11-05 10:00:00")));
    let logged = log(&mut store, i1);
    assert_eq!(logged.patient_id, Some(p1), "recognised by the number");
    assert!(!logged.created_patient);
    store
        .write(|tx| {
            tx.execute("UPDATE appointments SET status = 'done' WHERE id = ?1", [logged.appointment_id.unwrap()])?;
            tx.execute(
                "INSERT INTO consultations (patient_id, consulted_at, status) VALUES (?1, '2026-11-05T10:30:00', 'accepted')",
                [p1],
            )?;
            Ok(())
        })
        .unwrap();
    // p2 calls (internet) for information only, later has a done visit and an undecided consultation.
    let mut i2 = inquiry(Some("internet"), "2026-11-03 09:00:00");
    i2.phone = Some(Phone::parse("01011110002").unwrap());
    log(&mut store, i2);
    visit(&mut store, p2, "2026-11-04 09:00:00", "done");
    store
        .write(|tx| {
            tx.execute(
                "INSERT INTO consultations (patient_id, consulted_at, status) VALUES (?1, '2026-11-04T09:30:00', 'undecided')",
                [p2],
            )?;
            Ok(())
        })
        .unwrap();
    // A visit before the call does not count for a later call: p2 calls again (internet) on 11-10.
    log(&mut store, {
        let mut i = inquiry(Some("internet"), "2026-11-10 09:00:00");
        i.phone = Some(Phone::parse("010-1111-0002").unwrap());
        i
    });
    // A stranger with no source who never comes.
    log(&mut store, inquiry(None, "2026-11-11 09:00:00"));

    let rows = reports::funnel(store.conn(), &period("2026-11-01", "2026-11-30")).unwrap();
    let get = |s: &str| rows.iter().find(|r| r.source == s).unwrap().clone();
    let r = get("referral");
    assert_eq!((r.inquiries, r.booked, r.visited, r.consulted, r.paid), (1, 1, 1, 1, 1));
    let i = get("internet");
    // The visit was booked at its own start (11-04) after the first call: booked 1 of 2.
    assert_eq!((i.inquiries, i.booked, i.visited, i.consulted, i.paid), (2, 1, 1, 1, 0));
    let u = get(UNKNOWN_SOURCE);
    assert_eq!((u.inquiries, u.booked, u.visited), (1, 0, 0));
    let sms = get("sms");
    assert_eq!(sms.inquiries, 0, "a source with no inquiries is listed");
    assert_eq!(rows.len(), 8);

    let daily = reports::daily(store.conn(), &period("2026-11-02", "2026-11-05")).unwrap();
    assert_eq!(daily.len(), 4);
    assert_eq!(daily[0].date, d("2026-11-02"));
    assert_eq!((daily[0].inquiries, daily[0].booked_from_inquiries), (1, 1));
    assert_eq!((daily[1].inquiries, daily[1].booked_from_inquiries), (1, 1));
    assert_eq!((daily[2].visits, daily[2].new_patients), (1, 1), "p2's first visit on 11-04");
    assert_eq!((daily[3].visits, daily[3].new_patients, daily[3].inquiries), (1, 1, 0));
}

#[test]
fn a_call_back_makes_a_prospect_and_merges_into_the_open_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = common::open(&dir.path().join("c.db"));
    let mut i = inquiry(Some("magazine"), "2026-11-23 09:10:00");
    i.caller_name = "새환자".into();
    i.phone = Some(Phone::parse("010-5555-6666").unwrap());
    i.outcome = CallOutcome::Callback(d("2026-11-30"));
    let first = log(&mut store, i.clone());
    // A caller is not a patient: no chart number, the callback is on the call.
    assert_eq!((first.patient_id, first.created_patient), (None, false));
    assert_eq!(patient_count(&store), 0);
    let item = callbacks::get_item(store.conn(), first.callback_id.unwrap()).unwrap();
    assert_eq!(
        (item.patient_id, item.inquiry_id, item.name.as_str(), item.phone.as_str(), item.chart_no.as_str()),
        (None, Some(first.inquiry_id), "새환자", "010-5555-6666", "")
    );
    assert_eq!((item.kind, item.treatment_code.as_deref()), (CallbackKind::Prospect, Some("chuna")));
    // In the queue, and found there by phone.
    let queue = callbacks::queue_entries(store.conn(), d("2026-11-23"), "55556666").unwrap();
    assert_eq!(queue.iter().map(|e| e.id).collect::<Vec<_>>(), vec![item.id]);
    // Calls again from the same number: the open prospect callback moves to the earlier date.
    i.outcome = CallOutcome::Callback(d("2026-11-25"));
    i.received_at = t("2026-11-23 15:00:00");
    let second = log(&mut store, i);
    assert_eq!((second.patient_id, second.created_patient), (None, false));
    assert_eq!(second.callback_id, first.callback_id);
    let (n, kind, due): (i64, String, String) = store
        .conn()
        .query_row("SELECT count(*), max(kind), max(due_on) FROM callbacks WHERE status = 'open'", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    assert_eq!((n, kind.as_str(), due.as_str()), (1, "prospect", "2026-11-25"));
    assert_eq!(patient_count(&store), 0);
    // A patient who has been treated is recalled instead.
    let old = patient(&mut store, "구환자", "010-7777-8888", Some("signboard"));
    visit(&mut store, old, "2026-10-01 10:00:00", "done");
    let mut j = inquiry(None, "2026-11-23 16:00:00");
    j.phone = Some(Phone::parse("010-7777-8888").unwrap());
    j.outcome = CallOutcome::Callback(d("2026-12-01"));
    let third = log(&mut store, j);
    let kind: String = store
        .conn()
        .query_row("SELECT kind FROM callbacks WHERE id = ?1", [third.callback_id.unwrap()], |r| r.get(0))
        .unwrap();
    assert_eq!(kind, "recall");
    // Information only needs no name and makes no patient.
    let mut k = inquiry(None, "2026-11-23 17:00:00");
    k.caller_name.clear();
    let fourth = log(&mut store, k);
    assert_eq!((fourth.patient_id, fourth.created_patient), (None, false));
}

// ---------------------------------------------------------------- import / export

/// A digest of every row of every table: equal digests mean nothing was written.
fn content_digest(store: &Store) -> String {
    let conn = store.conn();
    let mut tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables.retain(|t| !t.starts_with("sqlite_"));
    let mut h = Sha256::new();
    for table in tables {
        h.update(table.as_bytes());
        let mut stmt = conn.prepare(&format!("SELECT * FROM {table}")).unwrap();
        let cols = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(r) = rows.next().unwrap() {
            for i in 0..cols {
                let v: rusqlite::types::Value = r.get(i).unwrap();
                h.update(format!("{v:?}\u{1f}").as_bytes());
            }
        }
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

const PATIENTS_HEADER: &str =
    "chart_no,name,phone,birth_date,sex,first_visit,referral_source,referrer_chart_no,tags,note";

fn now() -> NaiveDateTime {
    t("2026-11-23 09:20:00")
}

fn import(store: &mut Store, kind: CsvKind, file: &str, text: &str) -> Result<usize, String> {
    csv_io::import(store, kind, file, text, false, now()).map_err(|e| e.to_string())
}

#[test]
fn every_import_error_names_the_line_and_column_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = common::open(&dir.path().join("c.db"));
    import(
        &mut store,
        CsvKind::Patients,
        "seed.csv",
        &format!("{PATIENTS_HEADER}\n900,기존환자,010-9000-0000,,,,,,,\n"),
    )
    .unwrap();
    let before = content_digest(&store);
    let good = "1001,홍길동,010-1234-5678,1980-01-02,남,2026-10-03,소개환자,900,referrer,";
    let cases: Vec<(CsvKind, String, &str)> = vec![
        (CsvKind::Patients, String::new(), "patients.csv: the file is empty"),
        (CsvKind::Patients, format!("{PATIENTS_HEADER}\n"), "patients.csv: no rows under the header"),
        (
            CsvKind::Patients,
            format!("chart_no,name,phone,birthday,sex,first_visit,referral_source,referrer_chart_no,tags,note\n{good}\n"),
            "patients.csv line 1: wrong header for patients (missing birth_date; unknown birthday)",
        ),
        (
            CsvKind::Patients,
            format!("{PATIENTS_HEADER}\n{good}\n1002,김철,,1985-02-30,,,,,,\n"),
            "patients.csv line 3, column birth_date: '1985-02-30' is not a real date",
        ),
        (
            CsvKind::Patients,
            format!("{PATIENTS_HEADER}\n{good}\n1002,김철,,,,,전단지,,,\n"),
            "patients.csv line 3, column referral_source: '전단지' is not a known referral source",
        ),
        (
            CsvKind::Patients,
            format!("{PATIENTS_HEADER}\n{good}\n1002,김철,,,,,,1003,,\n1003,박영,,,,,,,,\n"),
            "patients.csv line 3, column referrer_chart_no: '1003' is not a chart number in the database or earlier in this file",
        ),
        (
            CsvKind::Consultations,
            "chart_no,name,phone,consulted_at,treatment,quoted_krw,offered_krw,status,recall_on,reaction,note\n900,,,2026-06-03,chuna,490만원,사백만,보류,,,\n".to_string(),
            "consultations.csv line 2, column offered_krw: '사백만' is not an amount in won",
        ),
        (
            CsvKind::Inquiries,
            "received_at,caller_name,phone,channel,topic,questions,referral_source,referrer_chart_no,outcome,note\n2026-11-01 10:00,A,,,chuna,price,,,info,\n2026-11-01 25:00,B,,,,,,,,\n".to_string(),
            "inquiries.csv line 3, column received_at: '2026-11-01 25:00': '25:00' is not a real time",
        ),
        (
            CsvKind::Complaints,
            "chart_no,raised_at,category,description,status,resolved_at,resolution\n900,2026-11-01,없는분류,,open,,\n".to_string(),
            "complaints.csv line 2, column category: '없는분류' is not a known complaint category",
        ),
        (
            CsvKind::Appointments,
            "chart_no,start,duration_min,provider,treatment,status,booked_at\n900,2026-11-01 10:00,30,,,done,\n901,2026-11-01 11:00,30,,,done,\n".to_string(),
            "appointments.csv line 3, column chart_no: '901' is not a chart number in the database",
        ),
        (
            CsvKind::Patients,
            format!("{PATIENTS_HEADER}\n{good}\n900,중복,,,,,,,,\n"),
            "patients.csv line 3, column chart_no: '900' already exists",
        ),
    ];
    for (kind, text, expected) in cases {
        let file = format!("{}.csv", kind.code());
        let err = import(&mut store, kind, &file, &text).unwrap_err();
        assert!(err.starts_with(expected), "got: {err}\nwanted: {expected}");
        assert_eq!(content_digest(&store), before, "nothing written after: {err}");
        // The dry run finds the same error.
        let dry = csv_io::import(&mut store, kind, &file, &text, true, now()).unwrap_err().to_string();
        assert_eq!(dry, err);
    }
}

#[test]
fn dry_run_counts_and_writes_nothing_then_the_real_import_writes_all() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = common::open(&dir.path().join("c.db"));
    let text = format!(
        "{PATIENTS_HEADER}\n1001,홍길동,010-1234-5678,1980-01-02,남,2026-10-03,소개환자,,referrer;만족,첫 메모\n1002,김철,,,F,,간판,1001,,\n"
    );
    let before = content_digest(&store);
    assert_eq!(csv_io::import(&mut store, CsvKind::Patients, "p.csv", &text, true, now()).unwrap(), 2);
    assert_eq!(content_digest(&store), before);
    assert_eq!(import(&mut store, CsvKind::Patients, "p.csv", &text).unwrap(), 2);
    let conn = store.conn();
    let (source, referrer): (String, String) = conn
        .query_row(
            "SELECT p.referral_source, r.chart_no FROM patients p JOIN patients r ON r.id = p.referrer_id WHERE p.chart_no = '1002'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((source.as_str(), referrer.as_str()), ("signboard", "1001"));
    let first: String = conn
        .query_row(
            "SELECT a.start FROM appointments a JOIN patients p ON p.id = a.patient_id WHERE p.chart_no = '1001' AND a.status = 'done'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(first.starts_with("2026-10-03"), "first_visit is a done visit that day: {first}");
    let tags: i64 = conn.query_row("SELECT count(*) FROM patient_tags", [], |r| r.get(0)).unwrap();
    assert_eq!(tags, 2);
    let audits: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action = 'import' AND entity = 'patients'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audits, 1, "one audit row for the import itself");
}

#[test]
fn cp949_and_bom_files_decode_and_import() {
    use frontdesk::domain::import::{Encoding, decode};
    let csv = format!("{PATIENTS_HEADER}\n2001,남궁민수,010-2000-0001,,여,,잡지,,,메모\n");
    let (cp949, _, _) = encoding_rs::EUC_KR.encode(&csv);
    let (text, enc) = decode(&cp949).unwrap();
    assert_eq!(enc, Encoding::Cp949);
    let dir = tempfile::tempdir().unwrap();
    let mut store = common::open(&dir.path().join("c.db"));
    assert_eq!(import(&mut store, CsvKind::Patients, "cp.csv", &text).unwrap(), 1);
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(csv.replace("2001", "2002").replace("010-2000-0001", "").as_bytes());
    let (text, enc) = decode(&bom).unwrap();
    assert_eq!(enc, Encoding::Utf8Bom);
    assert_eq!(import(&mut store, CsvKind::Patients, "bom.csv", &text).unwrap(), 1);
    let names: Vec<String> = store
        .conn()
        .prepare("SELECT name || '/' || referral_source || '/' || sex FROM patients ORDER BY chart_no")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(names, ["남궁민수/magazine/F", "남궁민수/magazine/F"]);
}

#[test]
fn export_then_import_into_a_fresh_database_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = common::open(&dir.path().join("a.db"));
    import(
        &mut a,
        CsvKind::Patients,
        "p.csv",
        &format!(
            "{PATIENTS_HEADER}\n1001,홍길동,010-1234-5678,1980-01-02,M,2026-10-03,referral,,referrer;satisfied,첫 메모\n1002,\"Kim, Emily\",,,F,,signboard,1001,,\"쉼표, 있는 메모\"\n"
        ),
    )
    .unwrap();
    import(
        &mut a,
        CsvKind::Inquiries,
        "i.csv",
        "received_at,caller_name,phone,channel,topic,questions,referral_source,referrer_chart_no,outcome,note\n\
         2026-11-01 10:00:00,이영희,010-2222-3333,blog,추나,price;기간,,,info,\n\
         2026-11-02 11:30:00,박민수,,,chuna,가격,소개,1001,callback,다시 전화\n",
    )
    .unwrap();
    import(
        &mut a,
        CsvKind::Consultations,
        "c.csv",
        "chart_no,name,phone,consulted_at,treatment,quoted_krw,offered_krw,status,recall_on,reaction,note\n\
         1001,,,2026-06-03 14:00:00,chuna,490만원,\"4,000,000\",보류,2026-06-11,생각해 본다고 함,현금 할인\n",
    )
    .unwrap();
    import(
        &mut a,
        CsvKind::Complaints,
        "k.csv",
        "chart_no,raised_at,category,description,status,resolved_at,resolution\n1002,2026-11-05 09:00:00,wait_time,오래 기다림,resolved,2026-11-06 10:00:00,사과 전화\n",
    )
    .unwrap();
    let mut b = common::open(&dir.path().join("b.db"));
    for kind in [CsvKind::Patients, CsvKind::Inquiries, CsvKind::Consultations, CsvKind::Complaints] {
        let rows = csv_io::export(&mut a, kind, &ExportRange::default(), false).unwrap();
        let bytes = frontdesk::cli::transfer::to_csv_bytes(&rows).unwrap();
        assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "BOM for Excel");
        assert!(String::from_utf8_lossy(&bytes).contains("\r\n"), "CRLF for Excel");
        let (text, _) = frontdesk::domain::import::decode(&bytes).unwrap();
        let n = import(&mut b, kind, "export.csv", &text).unwrap();
        assert_eq!(n, rows.len() - 1);
        let again = csv_io::export(&mut b, kind, &ExportRange::default(), false).unwrap();
        assert_eq!(again, rows, "{} round trip", kind.code());
    }
    let masked = csv_io::export(&mut a, CsvKind::Patients, &ExportRange::default(), true).unwrap();
    assert_eq!(masked[1][1], "홍*동");
    assert_eq!(masked[1][2], "010-****-5678");
    let exports: i64 = a
        .conn()
        .query_row("SELECT count(*) FROM audit_log WHERE action = 'export'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(exports, 5, "each export is audited");
}
