//! The patient card's forms are typed forms (issue 17 item 4): a form half typed over the card
//! (a payment, name and phone, a note opened there) is kept as a draft carrying the card's
//! patient, and after a hang-up the next session offers it back and reopens it over that
//! patient's card, typed as it was.

mod common;

use std::path::Path;

use chrono::NaiveTime;
use common::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use frontdesk::app::layers::Layer;
use frontdesk::app::registry;
use frontdesk::app::{App, TabId};
use frontdesk::domain::{AppointmentStatus, Lang, Role};
use frontdesk::store::appointments::{NewAppointment, insert_appointment, set_status};
use frontdesk::store::patients::{NewPatient, insert_patient};
use frontdesk::store::payments::for_patient;
use frontdesk::store::settings::add_staff;

/// A clinic with 김원장, 김철수 (no visit) and 홍길동, whose visit today at 09:00 (추나) is
/// done. Returns 홍길동's id: the patient whose card is opened (the other is there so the
/// draft must name the right one).
fn clinic(db: &Path) -> i64 {
    let mut store = open_set_up(db);
    store
        .write(|tx| {
            let director = add_staff(tx, "김원장", Role::Director)?;
            insert_patient(
                tx,
                &NewPatient { name: "김철수".into(), phone: "010-9999-0000".into(), ..Default::default() },
            )?;
            let patient = common::clinic::hong(tx)?;
            let appt = insert_appointment(
                tx,
                &NewAppointment {
                    patient_id: patient,
                    start: fixed_now().date().and_time(NaiveTime::from_hms_opt(9, 0, 0).unwrap()),
                    duration_min: 30,
                    provider_id: Some(director),
                    treatment_code: Some("chuna".into()),
                },
            )?;
            set_status(tx, appt, AppointmentStatus::Done)?;
            Ok(patient)
        })
        .unwrap()
}

fn app(db: &Path) -> App {
    let mut store = open(db);
    store.set_staff("김데스크");
    App::new(store, options(Lang::En, TabId::Today)).unwrap()
}

fn key(app: &mut App, code: KeyCode) {
    app.on_key(KeyEvent::from(code));
}

fn typed(app: &mut App, s: &str) {
    for c in s.chars() {
        key(app, KeyCode::Char(c));
    }
}

fn ctrl_s(app: &mut App) {
    app.on_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
}

fn drafts(app: &App) -> Vec<(String, String)> {
    let mut stmt = app.store.conn().prepare("SELECT form, payload FROM drafts").unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
}

/// The card's patient and the id of the form open over it, if any.
fn on_card(app: &App) -> Option<(i64, Option<String>)> {
    let card = app.card.as_ref()?;
    Some((card.card.patient.id, card.step_form().map(|f| f.id.to_string())))
}

/// Types on the card, saves the draft as the tick does, and hangs up (the app dropped).
fn hang_up(mut app: App) {
    app.save_draft_now();
    drop(app);
}

#[test]
fn a_payment_half_typed_on_the_card_comes_back_over_that_card_after_a_hang_up() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    let patient = clinic(&db);
    let mut first = app(&db);
    first.open_card(patient);
    key(&mut first, KeyCode::Char('w'));
    assert_eq!(on_card(&first), Some((patient, Some("card_payment".into()))));
    typed(&mut first, "49000");
    let saved = {
        first.save_draft_now();
        drafts(&first)
    };
    assert_eq!(saved.len(), 1, "the payment half typed is kept");
    assert_eq!(saved[0].0, "card_payment");
    assert_eq!(registry::card_of(&saved[0].1), Some(patient), "the draft names the card's patient");
    hang_up(first);

    let mut next = app(&db);
    assert!(next.card.is_none(), "nothing open before the answer");
    let offered = next.pending_draft.clone().expect("the payment is offered back");
    assert_eq!(offered.form, "card_payment");
    typed(&mut next, "y");
    assert_eq!(
        on_card(&next),
        Some((patient, Some("card_payment".into()))),
        "the patient's card is open with the payment over it: {:?}",
        next.notice
    );
    let pay = next.card.as_ref().unwrap().money.pay.as_ref().unwrap();
    assert_eq!(pay.form.text("amount"), "49000", "the amount as it was typed");
    assert_eq!(pay.form.picked("treatment").as_deref(), Some("chuna"), "the visit's treatment is kept");
    assert_eq!(next.owner(), Layer::Card);

    // Finished and saved there: recorded once for that patient, the draft gone, the card open.
    key(&mut next, KeyCode::Tab);
    typed(&mut next, "2");
    ctrl_s(&mut next);
    let paid = for_patient(next.store.conn(), patient).unwrap();
    assert_eq!(paid.len(), 1, "saved: {:?}", next.notice);
    assert_eq!(paid[0].amount_krw, 49_000);
    assert_eq!(on_card(&next), Some((patient, None)), "the card stays open, the form closed");
    next.save_draft_now();
    assert!(drafts(&next).is_empty(), "a saved form leaves no draft");
}

#[test]
fn every_form_of_the_card_reopens_over_the_card_it_was_typed_on() {
    // (key on the card, form id, text typed into its first field)
    let cases = [
        ('p', "today_note", "prefers mornings"),
        ('!', "today_complaint", ""),
        ('t', "today_stickers", ""),
        ('e', "card_identity", "홍길순"),
        ('P', "card_package", "300000"),
    ];
    for (open_key, form, text) in cases {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("clinic.db");
        let patient = clinic(&db);
        let mut first = app(&db);
        first.open_card(patient);
        key(&mut first, KeyCode::Char(open_key));
        assert_eq!(on_card(&first), Some((patient, Some(form.to_string()))), "{form}: opens over the card");
        if text.is_empty() {
            // A pick first: its digit.
            typed(&mut first, "1");
        } else {
            first.on_key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
            typed(&mut first, text);
        }
        let before = first.open_form().unwrap().to_draft();
        hang_up(first);

        let mut next = app(&db);
        assert_eq!(next.pending_draft.as_ref().map(|d| d.form.as_str()), Some(form), "{form}: offered");
        typed(&mut next, "y");
        assert_eq!(
            on_card(&next),
            Some((patient, Some(form.to_string()))),
            "{form}: over the patient's card, not its tab: {:?}",
            next.notice
        );
        assert_eq!(
            next.tabs.get(TabId::Today).open_form().map(|f| f.id),
            None,
            "{form}: not on the Today tab"
        );
        assert_eq!(next.open_form().unwrap().to_draft(), before, "{form}: typed as it was");
        // Esc (twice: the form asks before dropping what was typed) leaves the card open.
        key(&mut next, KeyCode::Esc);
        typed(&mut next, "y");
        assert_eq!(on_card(&next).map(|c| c.0), Some(patient), "{form}: the card is still there");
    }
}

#[test]
fn a_note_typed_on_the_today_tab_still_reopens_on_the_tab() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    clinic(&db);
    let mut first = app(&db);
    key(&mut first, KeyCode::Char('p'));
    assert_eq!(first.tabs.get(TabId::Today).open_form().map(|f| f.id), Some("today_note"));
    typed(&mut first, "tab note");
    first.save_draft_now();
    assert_eq!(registry::card_of(&drafts(&first)[0].1), None, "no card in a tab's draft");
    hang_up(first);
    let mut next = app(&db);
    typed(&mut next, "y");
    assert!(next.card.is_none());
    assert_eq!(next.tabs.get(TabId::Today).open_form().map(|f| f.text("body")).as_deref(), Some("tab note"));
}

/// Another terminal holds the database when the desk says yes to a card's draft: opening the
/// card cannot be recorded, so the draft is kept (never discarded for that) and offered again
/// once the lock is free.
#[test]
fn a_card_draft_accepted_while_another_terminal_holds_the_lock_is_kept_and_offered_again() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    let patient = clinic(&db);
    let mut first = app(&db);
    first.open_card(patient);
    key(&mut first, KeyCode::Char('w'));
    typed(&mut first, "49000");
    hang_up(first);

    let mut next = app(&db);
    assert!(next.pending_draft.is_some(), "the payment is offered back");
    next.store.set_busy_timeout(std::time::Duration::from_millis(20)).unwrap();
    let lock = rusqlite::Connection::open(&db).unwrap();
    lock.execute_batch("BEGIN IMMEDIATE").unwrap();
    typed(&mut next, "y");
    assert!(next.card.is_none(), "the card could not be opened");
    let said = format!("{:?}", next.notice);
    assert!(said.contains("the draft is kept"), "{said}");
    // Ticks while the lock is held: nothing lost, nothing offered yet.
    next.on_tick();
    next.on_tick();
    assert_eq!(drafts(&next).len(), 1, "the draft is still there");
    assert_eq!(drafts(&next)[0].0, "card_payment");

    lock.execute_batch("ROLLBACK").unwrap();
    next.on_tick();
    assert_eq!(next.pending_draft.as_ref().map(|d| d.form.as_str()), Some("card_payment"), "offered again");
    typed(&mut next, "y");
    assert_eq!(on_card(&next), Some((patient, Some("card_payment".into()))), "{:?}", next.notice);
    let pay = next.card.as_ref().unwrap().money.pay.as_ref().unwrap();
    assert_eq!(pay.form.text("amount"), "49000", "typed as it was");
}
