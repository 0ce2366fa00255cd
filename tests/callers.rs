//! Callers are not patients (issue 16, item 3): a caller gets a chart number only when booked
//! or seen, and lives with their inquiry until then (found by phone, in the callback queue);
//! referral counts count patients only; an existing patient's call is recorded as such and
//! kept out of the new-inquiry counts.

mod common;

use chrono::{NaiveDate, NaiveDateTime};
use common::{fixed_now, open_set_up, options};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use frontdesk::app::{App, TabId};
use frontdesk::domain::okr::Metric;
use frontdesk::domain::phone::Phone;
use frontdesk::domain::reports::EXISTING_PATIENT_SOURCE;
use frontdesk::domain::{Lang, Period, QuestionKind};
use frontdesk::store::Store;
use frontdesk::store::appointments::{NewAppointment, day_list, insert_appointment};
use frontdesk::store::card::load_card;
use frontdesk::store::inquiries::{CallOutcome, Logged, NewInquiry, log_inquiry};
use frontdesk::store::patients::{NewPatient, insert_patient};
use frontdesk::store::{metrics, reports};

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

fn type_text(app: &mut App, s: &str) {
    for c in s.chars() {
        app.on_key(key(KeyCode::Char(c)));
    }
}

fn focus(app: &mut App, id: &str) {
    for _ in 0..24 {
        if app.open_form().unwrap().focused().id == id {
            return;
        }
        app.on_key(key(KeyCode::Tab));
    }
    panic!("no field {id}");
}

fn count(store: &Store, sql: &str) -> i64 {
    store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn one(store: &Store, sql: &str) -> String {
    store.conn().query_row(sql, [], |r| r.get::<_, String>(0)).unwrap()
}

fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn patient(store: &mut Store, name: &str, phone: &str, source: &str) -> i64 {
    store
        .write(|tx| {
            insert_patient(
                tx,
                &NewPatient {
                    name: name.into(),
                    phone: phone.into(),
                    referral_source: Some(source.into()),
                    ..Default::default()
                },
            )
        })
        .unwrap()
}

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
            tx.execute("UPDATE appointments SET status = ?1 WHERE id = ?2", (status, id))?;
            Ok(id)
        })
        .unwrap()
}

fn call(name: &str, phone: &str, source: Option<&str>, at: &str, outcome: CallOutcome) -> NewInquiry {
    NewInquiry {
        received_at: t(at),
        caller_name: name.into(),
        phone: Some(Phone::parse(phone).unwrap()),
        patient_id: None,
        topic: None,
        questions: vec![QuestionKind::Price],
        referral_source: source.map(str::to_owned),
        referral_channel: None,
        referrer_id: None,
        note: String::new(),
        outcome,
    }
}

fn log(store: &mut Store, inq: &NewInquiry) -> Logged {
    store.write(|tx| log_inquiry(tx, inq)).unwrap()
}

#[test]
fn a_caller_called_back_and_booked_from_the_queue_becomes_exactly_one_patient_linked_to_the_call() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let mut app = App::new(open_set_up(&path), options(Lang::En, TabId::Inquiries)).unwrap();
    // A new caller, to be called back in three days.
    app.on_key(key(KeyCode::Char('n')));
    type_text(&mut app, "서지원");
    focus(&mut app, "phone");
    type_text(&mut app, "010-5555-1234");
    focus(&mut app, "outcome");
    app.on_key(key(KeyCode::Char('c')));
    focus(&mut app, "callback_on");
    type_text(&mut app, "+3");
    app.on_key(ctrl('s'));
    assert!(app.open_form().is_none(), "saved: {:?}", app.open_form().and_then(|f| f.message.clone()));
    let store = open_set_up(&path);
    assert_eq!(count(&store, "SELECT count(*) FROM patients"), 0, "no chart number for a caller");
    assert_eq!(
        one(
            &store,
            "SELECT kind || ' ' || due_on || ' ' || coalesce(patient_id, '-') || ' ' || inquiry_id FROM callbacks"
        ),
        "prospect 2026-11-26 - 1"
    );
    // Patient search does not list the caller.
    assert!(frontdesk::store::patients::search_patients(store.conn(), "서지원", 10).unwrap().is_empty());

    // The Callbacks tab lists the caller (name from the call) and books them.
    app.on_key(key(KeyCode::Char('3')));
    let screen = common::text(&common::render(&app, 120, 30));
    assert!(screen.contains("서지원"), "the caller is in the queue:\n{screen}");
    let log_booked = |app: &mut App| {
        app.on_key(key(KeyCode::Char('l')));
        focus(app, "next");
        app.on_key(key(KeyCode::Char('b')));
        app.on_key(ctrl('s'));
    };
    // Esc on the booking form: still a caller, still in the queue, still no chart number.
    log_booked(&mut app);
    assert!(app.booking.is_some(), "the booking form opens");
    app.on_key(key(KeyCode::Esc));
    assert!(app.booking.is_none());
    let store = open_set_up(&path);
    assert_eq!(count(&store, "SELECT count(*) FROM patients"), 0);
    assert_eq!(one(&store, "SELECT status || ' ' || coalesce(patient_id, '-') FROM callbacks"), "open -");
    log_booked(&mut app);
    let booking = app.booking.as_ref().expect("the booking form opens");
    assert_eq!(booking.form.text("name"), "서지원", "registered from the call");
    assert_eq!(booking.form.get("phone").value, "010-5555-1234");
    focus(&mut app, "time");
    type_text(&mut app, "10:30");
    app.on_key(ctrl('s'));
    assert!(app.booking.is_none(), "saved: {:?}", app.open_form().and_then(|f| f.message.clone()));

    let store = open_set_up(&path);
    assert_eq!(count(&store, "SELECT count(*) FROM patients"), 1, "exactly one patient");
    let pid = count(&store, "SELECT id FROM patients");
    assert_eq!(one(&store, "SELECT name || ' ' || phone FROM patients"), "서지원 010-5555-1234");
    assert_eq!(
        one(&store, "SELECT outcome || ' ' || patient_id || ' ' || appointment_id FROM inquiries"),
        format!("booked {pid} 1"),
        "the call is linked to the new patient and the appointment"
    );
    assert_eq!(
        one(&store, "SELECT status || ' ' || outcome || ' ' || patient_id FROM callbacks"),
        format!("closed booked {pid}")
    );
    assert_eq!(count(&store, "SELECT patient_id FROM appointments"), pid);
}

#[test]
fn a_caller_booked_on_the_phone_becomes_one_patient_and_an_info_call_none() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = common::open(&dir.path().join("c.db"));
    let info = log(
        &mut store,
        &call("문의만", "010-1000-0001", Some("internet"), "2026-11-20 10:00", CallOutcome::Info),
    );
    assert_eq!((info.patient_id, info.created_patient), (None, false));
    let booked = log(
        &mut store,
        &call(
            "예약자",
            "010-1000-0002",
            Some("signboard"),
            "2026-11-20 11:00",
            CallOutcome::Booked(Some(t("2026-11-24 10:00"))),
        ),
    );
    assert!(booked.created_patient);
    assert_eq!(count(&store, "SELECT count(*) FROM patients"), 1);
    assert_eq!(
        one(
            &store,
            &format!(
                "SELECT name || ' ' || referral_source FROM patients WHERE id = {}",
                booked.patient_id.unwrap()
            )
        ),
        "예약자 signboard"
    );
    assert_eq!(
        count(&store, &format!("SELECT patient_id FROM inquiries WHERE id = {}", booked.inquiry_id)),
        booked.patient_id.unwrap()
    );
}

#[test]
fn an_existing_patients_call_is_recorded_as_such_and_left_out_of_the_new_inquiry_counts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let mut store = open_set_up(&path);
    let p = patient(&mut store, "오래된", "010-2000-0001", "internet");
    // Recognised by number, no source asked: "existing patient", not the patient's own source.
    let mut again = call("오래된", "010-2000-0001", None, "2026-11-10 10:00", CallOutcome::Info);
    let logged = log(&mut store, &again);
    assert_eq!(logged.patient_id, Some(p));
    assert_eq!(
        one(&store, &format!("SELECT referral_source FROM inquiries WHERE id = {}", logged.inquiry_id)),
        EXISTING_PATIENT_SOURCE
    );
    // Booked on the phone too: still an existing patient's call, and no new patient.
    again.received_at = t("2026-11-12 10:00");
    again.outcome = CallOutcome::Booked(Some(t("2026-11-14 10:00")));
    let booked = log(&mut store, &again);
    assert_eq!((booked.patient_id, booked.created_patient), (Some(p), false));
    // A new internet caller.
    log(
        &mut store,
        &call("새문의", "010-2000-0002", Some("internet"), "2026-11-11 10:00", CallOutcome::Info),
    );
    assert_eq!(count(&store, "SELECT count(*) FROM inquiries"), 3);

    let period = Period::new(d("2026-11-01"), d("2026-11-30"));
    let rows = reports::referrals(store.conn(), &period).unwrap();
    let internet = rows.iter().find(|r| r.source == "internet").unwrap();
    assert_eq!(
        (internet.inquiries, internet.inquiries_share),
        (1, Some(1.0)),
        "only the new caller, all of the shares"
    );
    assert!(rows.iter().all(|r| r.source != EXISTING_PATIENT_SOURCE), "not a row of the new-inquiry shares");
    assert_eq!(rows.iter().map(|r| r.inquiries).sum::<i64>(), 1);
    let funnel = reports::funnel(store.conn(), &period).unwrap();
    assert_eq!(funnel.iter().map(|r| r.inquiries).sum::<i64>(), 1, "the funnel counts the same inquiries");
    assert!(funnel.iter().all(|r| r.source != EXISTING_PATIENT_SOURCE));
    drop(store);

    // The call form offers "existing patient" for a recognised number, never the old source.
    let mut app = App::new(open_set_up(&path), options(Lang::Ko, TabId::Inquiries)).unwrap();
    app.on_key(key(KeyCode::Char('n')));
    focus(&mut app, "phone");
    type_text(&mut app, "01020000001");
    focus(&mut app, "topic");
    let form = app.open_form().unwrap();
    assert_eq!(form.text("caller"), "오래된");
    assert_eq!(form.picked("source").as_deref(), Some(EXISTING_PATIENT_SOURCE));
    // Another number: no longer a known patient, so not "existing patient" either.
    app.on_key(key(KeyCode::BackTab));
    assert_eq!(app.open_form().unwrap().focused().id, "phone");
    app.on_key(ctrl('u'));
    type_text(&mut app, "01020009999");
    focus(&mut app, "topic");
    assert_eq!(app.open_form().unwrap().picked("source"), None);
}

#[test]
fn referral_counts_count_patients_not_callers() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = common::open(&dir.path().join("c.db"));
    let today = fixed_now().date();
    let referrer = patient(&mut store, "소개자", "010-3000-0001", "signboard");
    visit(&mut store, referrer, "2026-11-23 11:00", "booked");
    let referred = |store: &Store| {
        let row =
            day_list(store.conn(), today).unwrap().into_iter().find(|r| r.patient_id == referrer).unwrap();
        let card = load_card(store.conn(), referrer).unwrap();
        (row.referred, card.referred.len())
    };
    let referrals = |store: &Store| {
        metrics::value(store.conn(), &Metric::Referrals, None, d("2026-11-01"), d("2026-11-30"))
            .unwrap()
            .unwrap_or(0.0)
    };
    let before = referrals(&store);
    // A caller sent by the referrer, to be called back: not a patient, not a referral yet.
    let mut c =
        call("소개받음", "010-3000-0002", Some("referral"), "2026-11-20 10:00", CallOutcome::Callback(today));
    c.referrer_id = Some(referrer);
    let logged = log(&mut store, &c);
    assert_eq!(logged.patient_id, None);
    assert_eq!(referred(&store), (0, 0), "a caller is not counted as referred");
    assert_eq!(referrals(&store), before);
    // Booked and seen: now a patient the referrer sent.
    c.received_at = t("2026-11-21 10:00");
    c.outcome = CallOutcome::Booked(Some(t("2026-11-22 10:00")));
    let booked = log(&mut store, &c);
    assert!(booked.created_patient);
    assert_eq!(referred(&store), (1, 1));
    store
        .write(|tx| {
            tx.execute(
                "UPDATE appointments SET status = 'done' WHERE id = ?1",
                [booked.appointment_id.unwrap()],
            )?;
            Ok(())
        })
        .unwrap();
    assert_eq!(referrals(&store), before + 1.0);
}
