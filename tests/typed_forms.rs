//! Typed forms (issue 17 item 4): every form in the registry round-trips through its draft
//! (opened, typed into, saved as a draft, restored on an identical clinic: the same values, the
//! same spec, and Ctrl-S does the same thing); the checkout's payment step survives a quit; a
//! draft no form of this version can take says so, is put away and leaves the app working.

mod common;

use std::path::Path;

use chrono::NaiveTime;
use common::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use frontdesk::app::form::spec::STATE_KEY;
use frontdesk::app::form::{FieldKind, Form};
use frontdesk::app::layers::Overlay;
use frontdesk::app::registry::{self, Restored};
use frontdesk::app::{App, BookingRequest, Ctx, TabId};
use frontdesk::desk;
use frontdesk::domain::okr::{Direction, KeyResultDef, Metric, ObjectiveDef};
use frontdesk::domain::payments::PaymentCategory;
use frontdesk::domain::{CallbackKind, Lang, QuestionKind, Role};
use frontdesk::store::Store;
use frontdesk::store::appointments::{NewAppointment, insert_appointment};
use frontdesk::store::callbacks::{NewCallback, open_callback};
use frontdesk::store::catalog::Catalog;
use frontdesk::store::payments::{NewPayment, insert_payment};
use frontdesk::store::settings::add_staff;
use serde_json::json;

/// What the clinic holds for the forms to be about.
struct Ids {
    patient: i64,
    appt: i64,
    callback: i64,
    objective: i64,
    key_result: i64,
    answer: i64,
    inquiry: i64,
}

/// A clinic with a patient, today's visit, an open callback, an objective with a manual key
/// result and an answer of the manual. Built the same way twice, it holds the same rows.
fn clinic(path: &Path) -> (Store, Ids) {
    let mut store = open_set_up(path);
    let (patient, appt, callback) = store
        .write(|tx| {
            let director = add_staff(tx, "김원장", Role::Director)?;
            add_staff(tx, "이데스크", Role::Desk)?;
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
            let callback =
                open_callback(tx, &NewCallback::new(patient, CallbackKind::Recall, fixed_now().date()))?;
            // Yesterday's payment, for the card's refund and correction forms.
            let yesterday = fixed_now() - chrono::Duration::days(1);
            insert_payment(tx, &NewPayment::new(patient, yesterday, 50_000, PaymentCategory::NonCovered))?;
            Ok((patient, appt, callback))
        })
        .unwrap();
    let def = ObjectiveDef {
        title: "매출".into(),
        from: fixed_now().date(),
        to: fixed_now().date() + chrono::Duration::days(90),
        key_results: vec![KeyResultDef {
            title: "월 매출".into(),
            metric: Metric::parse("manual").unwrap(),
            direction: Direction::AtLeast,
            target: 30_000_000.0,
            baseline: None,
            unit: "원".into(),
            owner: "데스크".into(),
            cadence: Default::default(),
            actions: vec![],
        }],
    };
    let objective = desk::okr::create_objective(&mut store, &def).unwrap();
    let key_result: i64 = store
        .conn()
        .query_row("SELECT id FROM key_results WHERE objective_id = ?1", [objective], |r| r.get(0))
        .unwrap();
    let answer = desk::inquiries::save_answer(
        &mut store,
        None,
        desk::inquiries::Answer {
            topic: None,
            kind: QuestionKind::Price,
            question: "얼마인가요?",
            answer: "진료 후 안내",
        },
    )
    .unwrap();
    let inquiry = desk::inquiries::log_call(
        &mut store,
        &frontdesk::store::inquiries::NewInquiry {
            received_at: fixed_now(),
            caller_name: "문의자".into(),
            phone: None,
            patient_id: None,
            topic: Some("chuna".into()),
            questions: vec![QuestionKind::Price],
            referral_source: None,
            referral_channel: None,
            referrer_id: None,
            note: String::new(),
            outcome: frontdesk::store::inquiries::CallOutcome::Info,
        },
    )
    .unwrap()
    .inquiry_id;
    store.set_staff("김데스크");
    (store, Ids { patient, appt, callback, objective, key_result, answer, inquiry })
}

/// What each registered form is about in the clinic: its spec, as its draft keeps it.
fn spec_for(id: &str, ids: &Ids) -> serde_json::Value {
    match id {
        "booking" => {
            serde_json::to_value(BookingRequest { patient_id: Some(ids.patient), ..Default::default() })
                .unwrap()
        }
        "today_note" | "today_stickers" | "today_complaint" | "consultation" | "huddle_action" => {
            json!({ "patient_id": ids.patient })
        }
        "today_checkout" => json!({ "appointment_id": ids.appt, "patient_id": ids.patient }),
        "status_reason" => json!({ "appointment_id": ids.appt, "day": "2026-11-23", "to": "cancelled" }),
        "callback_log" => json!({ "callback_id": ids.callback, "streak": 0 }),
        "callback_snooze" => json!({ "callback_id": ids.callback }),
        "inquiry" | "okr_objective" => json!({}),
        "qa_entry" => json!({ "id": ids.answer }),
        "okr_objective_edit" => json!({ "id": ids.objective }),
        "okr_key_result" => json!({ "objective_id": ids.objective, "id": ids.key_result }),
        "okr_checkin" => json!({ "key_result_id": ids.key_result }),
        "inquiry_correct" => json!({ "inquiry_id": ids.inquiry }),
        // The patient card's own forms.
        "card_payment" | "card_package" => json!({ "patient_id": ids.patient, "appointment_id": ids.appt }),
        "card_refund" | "card_correct" | "card_identity" => json!({ "patient_id": ids.patient }),
        other => panic!("the registered form {other} has no spec in this test: add one"),
    }
}

fn ctx<'a>(store: &'a mut Store, catalog: &'a Catalog) -> Ctx<'a> {
    Ctx { store, catalog, lang: Lang::Ko, now: fixed_now(), mask: false, presentation: false }
}

fn form_of(r: &Restored) -> &Form {
    match r {
        Restored::Form(o) => &o.form,
        Restored::Booking(b) => &b.form,
    }
}

fn form_of_mut(r: &mut Restored) -> &mut Form {
    match r {
        Restored::Form(o) => &mut o.form,
        Restored::Booking(b) => &mut b.form,
    }
}

/// A key to the open form as the app gives it; what it led to, as text.
fn press(r: &mut Restored, key: KeyEvent, ctx: &mut Ctx<'_>) -> String {
    match r {
        Restored::Form(o) => format!("{:?}", o.on_key(&key, ctx)),
        Restored::Booking(b) => format!("{:?}", b.on_key(&key, ctx)),
    }
}

/// What a desk types in a field of this kind (by its id where the kind says too little).
fn typed_value(id: &str, kind: &FieldKind) -> Option<&'static str> {
    Some(match kind {
        FieldKind::Pick { choices, .. } | FieldKind::Multi { choices, .. } => {
            if choices.is_empty() {
                return None;
            }
            "1"
        }
        FieldKind::Phone => "010-2222-3333",
        FieldKind::Date => "+1",
        FieldKind::Time => "14:30",
        FieldKind::Amount => "49,000",
        FieldKind::Number => "3",
        FieldKind::Text => match id {
            "target" | "baseline" | "value" => "50",
            // A correction's amount: what it takes off.
            "amount" => "-5,000",
            _ => "메모 1",
        },
    })
}

/// Every visible field typed into, with real keys (so each change reaches the spec).
fn type_into(r: &mut Restored, ctx: &mut Ctx<'_>) {
    let ids: Vec<&'static str> = form_of(r).fields.iter().map(|f| f.id).collect();
    for id in ids {
        let form = form_of_mut(r);
        let Some(i) = form.fields.iter().position(|f| f.id == id && !f.hidden) else { continue };
        form.focus = i;
        let Some(value) = typed_value(id, &form.fields[i].kind) else { continue };
        if form.fields[i].kind == FieldKind::Number && form.fields[i].range.is_some() {
            continue;
        }
        // A prefilled text is replaced: the first key clears it.
        if !matches!(form.fields[i].kind, FieldKind::Pick { .. } | FieldKind::Multi { .. }) {
            press(r, KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL), ctx);
        }
        for c in value.chars() {
            press(r, KeyEvent::from(KeyCode::Char(c)), ctx);
        }
    }
}

/// The values a form holds, as the desk sees them: each field's id, value, and whether shown.
fn values(f: &Form) -> Vec<(&'static str, String, bool)> {
    f.fields.iter().map(|x| (x.id, x.raw(), x.hidden)).collect()
}

fn outcome(f: &Form) -> (Vec<Option<String>>, Option<String>) {
    (f.fields.iter().map(|x| x.error.clone()).collect(), f.message.clone())
}

#[test]
fn every_registered_form_round_trips_through_its_draft_with_the_same_values_and_the_same_save() {
    assert!(registry::FORMS.len() >= 22, "the registry lists every drafted form");
    for card_form in ["card_payment", "card_package", "card_refund", "card_correct", "card_identity"] {
        assert!(registry::entry(card_form).is_some(), "{card_form} is drafted like any other form");
    }
    let mut ids_seen = std::collections::HashSet::new();
    for entry in registry::FORMS {
        assert!(ids_seen.insert(entry.id), "{} is registered once", entry.id);
        let dir = tempfile::tempdir().unwrap();
        let (mut a, ids) = clinic(&dir.path().join("a.db"));
        let (mut b, ids_b) = clinic(&dir.path().join("b.db"));
        assert_eq!(ids.appt, ids_b.appt, "the two clinics hold the same rows");
        let (cat_a, cat_b) = (Catalog::load(&a).unwrap(), Catalog::load(&b).unwrap());
        let state = spec_for(entry.id, &ids).to_string();
        let opened = json!({ STATE_KEY: state }).to_string();

        // Opened and typed into on the first clinic.
        let mut ca = ctx(&mut a, &cat_a);
        let mut first = (entry.restore)(&opened, &mut ca).unwrap_or_else(|e| panic!("{}: {e:?}", entry.id));
        assert_eq!(form_of(&first).id, entry.id);
        type_into(&mut first, &mut ca);
        let draft = form_of(&first).to_draft();
        assert!(draft.contains(STATE_KEY), "{}: the draft keeps the spec", entry.id);

        // Restored from the draft on the second.
        let mut cb = ctx(&mut b, &cat_b);
        let mut again = (entry.restore)(&draft, &mut cb).unwrap_or_else(|e| panic!("{}: {e:?}", entry.id));
        assert_eq!(values(form_of(&again)), values(form_of(&first)), "{}: the same values", entry.id);
        assert_eq!(form_of(&again).state, form_of(&first).state, "{}: the same spec", entry.id);
        assert_eq!(form_of(&again).focus, form_of(&first).focus, "{}: the same field", entry.id);
        assert!(form_of(&again).dirty, "{}: a restored form counts as changed", entry.id);

        // Saved: both do the same.
        let save = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL);
        let said_a = press(&mut first, save, &mut ca);
        let said_b = press(&mut again, save, &mut cb);
        assert!(said_a.starts_with("Close"), "{}: the save went through: {said_a}", entry.id);
        assert_eq!(said_b, said_a, "{}: the same save", entry.id);
        assert_eq!(outcome(form_of(&again)), outcome(form_of(&first)), "{}: the same errors", entry.id);
        let changes = |s: &Store| -> i64 {
            s.conn().query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0)).unwrap()
        };
        assert_eq!(changes(&b), changes(&a), "{}: the same writes", entry.id);
    }
}

#[test]
fn a_typed_form_restored_for_a_patient_since_removed_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _) = clinic(&dir.path().join("a.db"));
    let catalog = Catalog::load(&store).unwrap();
    let entry = registry::entry("today_note").unwrap();
    let draft = json!({ STATE_KEY: json!({ "patient_id": 999_999 }).to_string(), "body": "x" }).to_string();
    let why = (entry.restore)(&draft, &mut ctx(&mut store, &catalog)).unwrap_err();
    assert!(why.words(Lang::En).contains("gone"), "{}", why.words(Lang::En));
}

// ---- the app: quitting with the payment step open, and drafts it cannot take ----

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

fn drafts(app: &App) -> i64 {
    app.store.conn().query_row("SELECT count(*) FROM drafts", [], |r| r.get(0)).unwrap()
}

/// Payments of today's visit (the clinic's earlier payment is not one).
fn paid(app: &App) -> i64 {
    app.store
        .conn()
        .query_row("SELECT count(*) FROM payments WHERE appointment_id IS NOT NULL", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn the_payment_step_half_typed_survives_a_quit_and_saves_after_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    drop(clinic(&db));
    let mut first = app(&db);
    key(&mut first, KeyCode::Char('d'));
    assert!(first.tabs.today.checkout.is_some(), "the payment step is open");
    typed(&mut first, "49000");
    key(&mut first, KeyCode::Tab);
    typed(&mut first, "2");
    // Quitting asks first: the payment step is unsaved input.
    assert_eq!(first.unsaved_forms(), vec!["Payment - 홍길동".to_string()]);
    first.save_draft_now();
    first.on_key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    assert!(!first.quit, "Ctrl-C asks before quitting");
    typed(&mut first, "y");
    assert!(first.quit);
    assert_eq!(drafts(&first), 1, "quitting keeps the draft");
    drop(first);

    let mut next = app(&db);
    let offered = next.pending_draft.clone().expect("the payment step is offered again");
    assert_eq!(offered.form, "today_checkout");
    typed(&mut next, "y");
    let c = next.tabs.today.checkout.as_ref().expect("the payment step is open again");
    assert_eq!(c.form.text("amount"), "49000");
    assert_eq!(c.form.picked("category").as_deref(), Some("non_covered"));
    assert_eq!(c.form.picked("treatment").as_deref(), Some("chuna"), "the visit's treatment is kept");
    assert_eq!(paid(&next), 0);
    next.on_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    assert!(next.tabs.today.checkout.is_none(), "saved: {:?}", next.notice);
    assert_eq!(paid(&next), 1, "the payment is recorded once");
    assert_eq!(drafts(&next), 0, "a saved form leaves no draft");
}

#[test]
fn the_payment_step_skipped_with_esc_leaves_no_draft() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    drop(clinic(&db));
    let mut app = app(&db);
    key(&mut app, KeyCode::Char('d'));
    typed(&mut app, "49000");
    app.save_draft_now();
    assert_eq!(drafts(&app), 1);
    key(&mut app, KeyCode::Esc);
    assert!(app.tabs.today.checkout.is_none(), "Esc skips the step at once");
    assert_eq!(drafts(&app), 0, "the skipped step's draft goes with it");
    assert_eq!(paid(&app), 0);
}

/// A draft left by a session that ended (a process id that cannot exist).
fn leave_draft(db: &Path, form: &str, payload: &str) {
    let store = open(db);
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default().trim().to_string();
    store
        .conn()
        .execute(
            "INSERT INTO drafts (session, os_user, host, pid, form, payload, updated_at)
             VALUES ('gone', 'desk1', ?1, ?2, ?3, ?4, '2026-11-23T09:00:00')",
            rusqlite::params![host, 0x7fff_fff0, form, payload],
        )
        .unwrap();
}

fn notice(app: &App) -> String {
    format!("{:?}", app.notice)
}

#[test]
fn a_draft_of_an_earlier_version_or_an_unknown_form_says_so_and_is_put_away() {
    for (form, payload, says) in [
        // Saved before typed forms: the fields only, no spec.
        ("today_note", r#"{"patient_id":"1","body":"old note","__focus":"1"}"#, "earlier version"),
        ("today_note", "not json at all", "earlier version"),
        ("no_such_form", r#"{"__state":"{}"}"#, "cannot be reopened from a draft"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("clinic.db");
        drop(clinic(&db));
        leave_draft(&db, form, payload);
        let mut app = app(&db);
        assert!(app.pending_draft.is_some(), "{form}: offered");
        typed(&mut app, "y");
        assert!(app.pending_draft.is_none());
        assert!(notice(&app).contains(says), "{form}: {}", notice(&app));
        assert!(app.open_form().is_none(), "{form}: nothing half open");
        assert_eq!(drafts(&app), 0, "{form}: put away, not offered again");
        // The app goes on as before: a note opens and saves.
        key(&mut app, KeyCode::Char('p'));
        assert!(app.open_form().is_some(), "{form}: the note form opens");
        typed(&mut app, "new note");
        app.on_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
        assert!(app.open_form().is_none(), "{form}: saved: {}", notice(&app));
        drop(app);
        assert!(self::app(&db).pending_draft.is_none(), "{form}: not offered to the next terminal");
    }
}

#[test]
fn a_restored_note_saves_for_its_patient() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    let (_, ids) = clinic(&db);
    let mut first = app(&db);
    key(&mut first, KeyCode::Char('p'));
    typed(&mut first, "prefers mornings");
    first.save_draft_now();
    drop(first);
    let mut next = app(&db);
    typed(&mut next, "y");
    assert_eq!(next.open_form().map(|f| f.text("body")).as_deref(), Some("prefers mornings"));
    next.on_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    let (patient, body): (i64, String) = next
        .store
        .conn()
        .query_row("SELECT patient_id, body FROM notes ORDER BY id DESC LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((patient, body.as_str()), (ids.patient, "prefers mornings"));
}
