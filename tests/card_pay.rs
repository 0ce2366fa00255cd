//! Money from the patient card (issue 21): `w` records a payment (the last visit's treatment
//! and provider filled in), `P` sells a package with its payment in one write, `r` refunds and
//! `R` corrects (new rows with the reason, never edits). Esc at each step, another terminal
//! holding the lock, another day, 한글 typed in the reason, the 80×24 screen.

mod common;

use chrono::NaiveDateTime;
use common::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use frontdesk::app::keymap::{self, Context};
use frontdesk::app::{App, TabId};
use frontdesk::domain::payments::PaymentCategory;
use frontdesk::domain::{AppointmentStatus, Lang, Role};
use frontdesk::store::appointments::set_status;
use frontdesk::store::packages::packages_of;
use frontdesk::store::payments::{Payment, for_patient};
use frontdesk::store::settings::add_staff;

struct Fx {
    director: i64,
    patient: i64,
    appt: i64,
}

/// A clinic with 김원장 (who treated) and 박원장, 홍길동 whose visit today at 09:00 (추나,
/// 김원장) is done; the app opened at `now` with 홍길동's card open.
fn app_at(dir: &tempfile::TempDir, lang: Lang, now: NaiveDateTime) -> (App, Fx) {
    let path = dir.path().join("clinic.db");
    let fresh = !path.exists();
    let mut store = open_at(&path, now);
    let fx = if fresh {
        store
            .write(|tx| {
                let director = add_staff(tx, "김원장", Role::Director)?;
                add_staff(tx, "박원장", Role::Director)?;
                let (patient, appt) = common::clinic::hong_at_nine(tx, director)?;
                set_status(tx, appt, AppointmentStatus::Done)?;
                Ok(Fx { director, patient, appt })
            })
            .unwrap()
    } else {
        Fx { director: 1, patient: 1, appt: 1 }
    };
    store.set_staff("김데스크");
    let mut opts = options(lang, TabId::Today);
    opts.fixed_now = Some(now);
    let mut app = App::new(store, opts).unwrap();
    app.open_card(fx.patient);
    assert!(app.card.is_some());
    (app, fx)
}

fn app(dir: &tempfile::TempDir, lang: Lang) -> (App, Fx) {
    app_at(dir, lang, fixed_now())
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

fn paid(app: &App, patient: i64) -> Vec<Payment> {
    let mut p = for_patient(app.store.conn(), patient).unwrap();
    p.sort_by_key(|p| p.id);
    p
}

fn pay_open(app: &App) -> bool {
    app.card.as_ref().is_some_and(|c| c.money.pay.is_some())
}

fn field(app: &App, id: &str) -> String {
    app.card.as_ref().unwrap().money.pay.as_ref().unwrap().form.get(id).raw()
}

/// `w` 490만원 Tab 2 (비급여) Ctrl-S: the payment of the visit, its treatment and provider.
fn pay_490(app: &mut App) {
    key(app, KeyCode::Char('w'));
    assert!(pay_open(app));
    typed(app, "490만원");
    key(app, KeyCode::Tab);
    typed(app, "2");
    ctrl_s(app);
}

#[test]
fn w_records_a_payment_with_the_last_visit_filled_in() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = app(&dir, Lang::Ko);
    key(&mut app, KeyCode::Char('w'));
    assert_eq!(field(&app, "treatment"), "chuna", "the visit's treatment");
    assert_eq!(field(&app, "provider"), fx.director.to_string(), "who treated");
    assert_eq!(app.contexts(), vec![Context::Form], "the form has the keyboard and the footer");
    assert!(app.cursor().is_some() || text(&render(&app, 80, 24)).contains("수납 - 홍길동"));
    key(&mut app, KeyCode::Esc);
    pay_490(&mut app);
    assert!(!pay_open(&app), "saved and closed");
    assert!(app.card.is_some(), "the card stays open");
    let p = paid(&app, fx.patient);
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].amount_krw, 4_900_000);
    assert_eq!(p[0].category, PaymentCategory::NonCovered);
    assert_eq!(p[0].treatment_code.as_deref(), Some("chuna"));
    assert_eq!(p[0].provider_id, Some(fx.director));
    assert_eq!(p[0].appointment_id, Some(fx.appt), "today's done visit");
    assert_eq!(p[0].paid_at, fixed_now());
    assert_eq!(p[0].recorded_by, "김데스크");
    // The card's money section shows it at once.
    let card = &app.card.as_ref().unwrap().money;
    assert_eq!(card.payments.len(), 1);
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("수납 4,900,000원"), "{screen}");
    // The other ways of writing an amount.
    for (typed_amount, won) in [("4,900,000", 4_900_000), ("490만", 4_900_000)] {
        key(&mut app, KeyCode::Char('w'));
        typed(&mut app, typed_amount);
        key(&mut app, KeyCode::Tab);
        typed(&mut app, "1");
        ctrl_s(&mut app);
        assert_eq!(paid(&app, fx.patient).last().unwrap().amount_krw, won, "{typed_amount}");
        assert_eq!(paid(&app, fx.patient).last().unwrap().category, PaymentCategory::Covered);
    }
}

#[test]
fn esc_at_each_step_records_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = app(&dir, Lang::En);
    for k in ['w', 'P', 'R'] {
        // Untouched: Esc closes at once.
        key(&mut app, KeyCode::Char(k));
        if k == 'R' {
            assert!(!pay_open(&app), "nothing to correct yet");
            continue;
        }
        assert!(pay_open(&app), "{k}");
        key(&mut app, KeyCode::Esc);
        assert!(!pay_open(&app), "{k}");
        assert!(app.card.is_some(), "{k}: Esc closes the form, not the card");
        // Typed: Esc asks; n keeps what was typed, y leaves it.
        key(&mut app, KeyCode::Char(k));
        typed(&mut app, "12");
        key(&mut app, KeyCode::Esc);
        assert!(pay_open(&app));
        key(&mut app, KeyCode::Char('n'));
        assert!(pay_open(&app), "{k}: still open");
        key(&mut app, KeyCode::Esc);
        key(&mut app, KeyCode::Char('y'));
        assert!(!pay_open(&app), "{k}");
    }
    assert!(paid(&app, fx.patient).is_empty());
    assert!(packages_of(app.store.conn(), fx.patient).unwrap().is_empty());
    // A refund with nothing paid says so.
    key(&mut app, KeyCode::Char('r'));
    assert!(!pay_open(&app));
    assert!(text(&render(&app, 80, 24)).contains("No payment to refund"));
    // The refund form's Esc after a payment.
    pay_490(&mut app);
    key(&mut app, KeyCode::Char('r'));
    assert!(pay_open(&app));
    key(&mut app, KeyCode::Esc);
    assert!(!pay_open(&app));
    assert_eq!(paid(&app, fx.patient).len(), 1);
    // Esc on the card closes the card.
    key(&mut app, KeyCode::Esc);
    assert!(app.card.is_none());
}

#[test]
fn refund_and_correction_are_new_rows_with_their_reason() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = app(&dir, Lang::Ko);
    pay_490(&mut app);
    let original = paid(&app, fx.patient)[0].id;
    // r: the newest payment picked, what is left of it offered.
    key(&mut app, KeyCode::Char('r'));
    assert_eq!(field(&app, "payment"), original.to_string());
    assert_eq!(field(&app, "amount"), "4,900,000");
    typed(&mut app, "100만");
    ctrl_s(&mut app);
    assert!(pay_open(&app), "a reason is required");
    let form = &app.card.as_ref().unwrap().money.pay.as_ref().unwrap().form;
    assert!(form.get("reason").error.is_some(), "the focus moves there");
    // Typed in 한글 mode: the reason stays Korean (not read as command keys).
    typed(&mut app, "중복 결제");
    ctrl_s(&mut app);
    assert!(!pay_open(&app));
    let rows = paid(&app, fx.patient);
    assert_eq!(rows.len(), 2, "the original is untouched, a new row added");
    assert_eq!(rows[0].amount_krw, 4_900_000);
    assert_eq!(rows[1].amount_krw, -1_000_000);
    assert_eq!(rows[1].corrects_id, Some(original));
    assert_eq!(rows[1].reason, "중복 결제");
    assert_eq!(rows[1].category, PaymentCategory::NonCovered);
    assert_eq!(rows[1].treatment_code.as_deref(), Some("chuna"));

    // More than is left is refused on the amount, the form kept.
    key(&mut app, KeyCode::Char('r'));
    assert_eq!(field(&app, "amount"), "3,900,000", "what is left");
    typed(&mut app, "400만");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "환불");
    ctrl_s(&mut app);
    assert!(pay_open(&app));
    let form = &app.card.as_ref().unwrap().money.pay.as_ref().unwrap().form;
    assert!(form.get("amount").error.as_deref().is_some_and(|e| e.contains("3,900,000")), "{form:?}");
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('y'));

    // R: a correction takes off (or adds) with its sign.
    key(&mut app, KeyCode::Char('R'));
    typed(&mut app, "-5,000");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "금액 잘못 입력");
    ctrl_s(&mut app);
    assert!(!pay_open(&app));
    let rows = paid(&app, fx.patient);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[2].amount_krw, -5_000);
    assert_eq!(rows[2].corrects_id, Some(original));
    assert_eq!(rows[2].reason, "금액 잘못 입력");
    let net: i64 = rows.iter().map(|p| p.amount_krw).sum();
    assert_eq!(net, 3_895_000);
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("정정 -5,000 기록"), "{screen}");
    // The audit log has each row.
    let audited: i64 = app
        .store
        .conn()
        .query_row("SELECT count(*) FROM audit_log WHERE entity = 'payment'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(audited, 3);
}

#[test]
fn p_sells_a_package_and_its_payment_in_one_action() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = app(&dir, Lang::Ko);
    key(&mut app, KeyCode::Char('P'));
    assert_eq!(field(&app, "category"), "non_covered", "a package is paid 비급여 as a rule");
    assert_eq!(field(&app, "treatment"), "chuna");
    // Sessions first (the focus), then the price.
    typed(&mut app, "10");
    ctrl_s(&mut app);
    assert!(pay_open(&app), "a price is required: the focus moves to it");
    typed(&mut app, "120만");
    ctrl_s(&mut app);
    assert!(!pay_open(&app));
    let packages = packages_of(app.store.conn(), fx.patient).unwrap();
    assert_eq!(packages.len(), 1);
    // Today's done 추나 uses its first session, as a package sold at checkout does.
    assert_eq!(packages[0].fraction(), "1/10");
    assert_eq!(packages[0].price_krw, 1_200_000);
    assert_eq!(packages[0].treatment_code, "chuna");
    let rows = paid(&app, fx.patient);
    assert_eq!(rows.len(), 1, "its payment");
    assert_eq!(rows[0].amount_krw, 1_200_000);
    assert_eq!(rows[0].category, PaymentCategory::NonCovered);
    assert_eq!(rows[0].provider_id, Some(fx.director), "sold by the last visit's provider");
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("패키지 10회 판매 1,200,000원"), "{screen}");
    assert!(app.card.as_ref().unwrap().money.packages.len() == 1, "the card shows it");
}

#[test]
fn a_save_while_another_terminal_holds_the_lock_keeps_the_form_and_saves_later() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = app(&dir, Lang::En);
    key(&mut app, KeyCode::Char('w'));
    typed(&mut app, "49,000");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "2");
    let other = rusqlite::Connection::open(dir.path().join("clinic.db")).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    ctrl_s(&mut app);
    assert!(paid(&app, fx.patient).is_empty(), "nothing half-written");
    assert!(pay_open(&app), "the form stays open");
    assert_eq!(field(&app, "amount"), "49,000", "what was typed is kept");
    let form = &app.card.as_ref().unwrap().money.pay.as_ref().unwrap().form;
    assert!(form.message.is_some(), "says why");
    other.execute_batch("COMMIT").unwrap();
    drop(other);
    ctrl_s(&mut app);
    assert!(!pay_open(&app));
    assert_eq!(paid(&app, fx.patient).len(), 1, "saved once the lock is gone");

    // A refund under the lock: the same.
    key(&mut app, KeyCode::Char('r'));
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "charged twice");
    let other = rusqlite::Connection::open(dir.path().join("clinic.db")).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    ctrl_s(&mut app);
    assert!(pay_open(&app));
    assert_eq!(paid(&app, fx.patient).len(), 1);
    other.execute_batch("COMMIT").unwrap();
    drop(other);
    ctrl_s(&mut app);
    assert_eq!(paid(&app, fx.patient).iter().map(|p| p.amount_krw).sum::<i64>(), 0, "refunded in full");
}

#[test]
fn on_another_day_the_last_visit_fills_the_form_but_the_payment_is_not_tied_to_it() {
    let dir = tempfile::tempdir().unwrap();
    let (app, fx) = app(&dir, Lang::Ko);
    drop(app);
    let next_day = fixed_now() + chrono::Duration::days(1);
    let (mut app, _) = app_at(&dir, Lang::Ko, next_day);
    pay_490(&mut app);
    let p = paid(&app, fx.patient);
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].treatment_code.as_deref(), Some("chuna"), "yesterday's visit fills it in");
    assert_eq!(p[0].provider_id, Some(fx.director));
    assert_eq!(p[0].appointment_id, None, "not yesterday's visit's payment");
    assert_eq!(p[0].paid_at, next_day, "paid on the day it was taken");
}

#[test]
fn the_money_keys_are_in_the_keymap_footer_and_help() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = app(&dir, Lang::Ko);
    assert_eq!(app.contexts(), vec![Context::Card, Context::CardMoney]);
    // The card's own keys come first; the money keys follow as the width allows (all in help).
    let footer = text(&render(&app, 120, 24)).lines().last().unwrap().to_string();
    assert!(footer.contains("w  수납 기록"), "{footer}");
    let footer = text(&render(&app, 160, 24)).lines().last().unwrap().to_string();
    assert!(footer.contains("P  패키지 판매"), "{footer}");
    let help = frontdesk::app::help::lines(&[Context::CardMoney], Lang::Ko);
    for b in keymap::bindings(Context::CardMoney) {
        assert!(help.iter().any(|(_, k, d)| *k == b.help_label() && d == b.describe(Lang::Ko)), "{}", b.ko);
    }
    assert_eq!(keymap::bindings(Context::CardMoney).len(), 4);
}

#[test]
fn the_payment_form_over_the_card_at_80x24() {
    for lang in [Lang::Ko, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        let (mut app, _) = app(&dir, lang);
        key(&mut app, KeyCode::Char('w'));
        insta::assert_snapshot!(format!("card_payment_{lang:?}_80x24"), text(&render(&app, 80, 24)));
        key(&mut app, KeyCode::Esc);
        pay_490(&mut app);
        key(&mut app, KeyCode::Char('r'));
        insta::assert_snapshot!(format!("card_refund_{lang:?}_80x24"), text(&render(&app, 80, 24)));
    }
}

#[test]
fn a_paste_goes_into_the_forms_field_and_never_runs_the_cards_keys() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = app(&dir, Lang::En);
    // On the card itself there is no field: a pasted `w` opens nothing.
    render(&app, 80, 24);
    app.on_paste("w");
    assert!(!pay_open(&app));
    key(&mut app, KeyCode::Char('w'));
    render(&app, 80, 24); // the caret is where the last frame drew it
    app.on_paste("49,000\n");
    assert_eq!(field(&app, "amount"), "49,000");
    assert!(paid(&app, fx.patient).is_empty(), "a pasted line break saves nothing");
}
