//! Checkout on Today: after `d` (done) one optional payment step (amount, category, the
//! visit's treatment and provider prefilled, or a package sold) comes before the offer to
//! book the next visit; Esc skips it, and the done's undo keeps working.

mod common;

use common::clinic::hong_at_nine;
use common::keys::{ctrl_s, key, typed};
use common::*;
use crossterm::event::KeyCode;
use frontdesk::app::keymap::Command;
use frontdesk::app::{App, TabId};
use frontdesk::domain::payments::PaymentCategory;
use frontdesk::domain::{AppointmentStatus, Lang, Role};
use frontdesk::store::appointments::get_appointment;
use frontdesk::store::packages::packages_of;
use frontdesk::store::payments::for_appointment;
use frontdesk::store::settings::add_staff;

struct Fx {
    director: i64,
    patient: i64,
    appt: i64,
}

fn app(dir: &tempfile::TempDir, lang: Lang) -> (App, Fx) {
    let mut store = open(&dir.path().join("clinic.db"));
    let fx = store
        .write(|tx| {
            let director = add_staff(tx, "김원장", Role::Director)?;
            add_staff(tx, "박원장", Role::Director)?;
            let (patient, appt) = hong_at_nine(tx, director)?;
            Ok(Fx { director, patient, appt })
        })
        .unwrap();
    store.set_staff("김데스크");
    (App::new(store, options(lang, TabId::Today)).unwrap(), fx)
}

fn status(app: &App, id: i64) -> AppointmentStatus {
    get_appointment(app.store.conn(), id).unwrap().status
}

/// The day on the desk: its folder (kept alive), the app on Today, the fixture's ids.
fn start(lang: Lang) -> (tempfile::TempDir, App, Fx) {
    let dir = tempfile::tempdir().unwrap();
    let (app, fx) = app(&dir, lang);
    (dir, app, fx)
}

/// `d` on the visit, then the payment step filled: the amount, the category by its digit
/// (1 covered, 2 non-covered, 3 car insurance) and, when given, a package of that many
/// sessions of the visit's treatment. Not saved.
fn check_out(app: &mut App, amount: &str, category: &str, package_sessions: Option<&str>) {
    key(app, KeyCode::Char('d'));
    assert!(app.tabs.today.checkout.is_some(), "done opens the payment step");
    typed(app, amount);
    key(app, KeyCode::Tab);
    typed(app, category);
    if let Some(n) = package_sessions {
        for _ in 0..3 {
            key(app, KeyCode::Tab);
        }
        typed(app, n);
    }
}

/// [`check_out`], saved (Ctrl-S), and no next visit now (Esc to the offer).
fn check_out_and_save(app: &mut App, amount: &str, category: &str, package_sessions: Option<&str>) {
    check_out(app, amount, category, package_sessions);
    ctrl_s(app);
    assert!(app.tabs.today.checkout.is_none(), "saved");
    key(app, KeyCode::Esc);
}

#[test]
fn done_asks_for_the_payment_prefilled_then_offers_the_next_visit() {
    let (_dir, mut app, fx) = start(Lang::En);
    key(&mut app, KeyCode::Char('d'));
    assert_eq!(status(&app, fx.appt), AppointmentStatus::Done);
    let c = app.tabs.today.checkout.as_ref().expect("the payment step is open");
    assert_eq!(c.form.picked("treatment").as_deref(), Some("chuna"));
    assert_eq!(c.form.picked("provider"), Some(fx.director.to_string()));
    assert!(app.tabs.today.prompt.is_none(), "the next-visit offer waits for the payment step");
    // A narrow window shows the whole step.
    let screen = text(&render(&app, 80, 24));
    assert!(screen.contains("Payment - 홍길동"), "{screen}");
    assert!(screen.contains("Amount"), "{screen}");
    assert!(screen.contains("Category"), "{screen}");
    typed(&mut app, "490만원");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "2"); // 비급여
    ctrl_s(&mut app);
    assert!(app.tabs.today.checkout.is_none());
    let paid = for_appointment(app.store.conn(), fx.appt).unwrap();
    assert_eq!(paid.len(), 1);
    assert_eq!(paid[0].amount_krw, 4_900_000);
    assert_eq!(paid[0].category, PaymentCategory::NonCovered);
    assert_eq!(paid[0].treatment_code.as_deref(), Some("chuna"));
    assert_eq!(paid[0].provider_id, Some(fx.director));
    assert_eq!(paid[0].patient_id, fx.patient);
    assert!(app.tabs.today.prompt.is_some());
    let screen = text(&render(&app, 80, 24));
    assert!(screen.contains("Book it now?"), "{screen}");
    key(&mut app, KeyCode::Char('n'));
    assert!(app.tabs.today.prompt.is_none());
}

#[test]
fn esc_skips_the_payment_records_nothing_and_undo_still_works() {
    let (_dir, mut app, fx) = start(Lang::Ko);
    key(&mut app, KeyCode::Char('d'));
    assert!(app.tabs.today.checkout.is_some());
    key(&mut app, KeyCode::Esc);
    assert!(app.tabs.today.checkout.is_none());
    assert!(for_appointment(app.store.conn(), fx.appt).unwrap().is_empty());
    assert!(app.tabs.today.prompt.is_some(), "the next-visit offer follows");
    key(&mut app, KeyCode::Esc);
    assert!(app.tabs.today.prompt.is_none());
    app.on_command(Command::Undo);
    assert_eq!(status(&app, fx.appt), AppointmentStatus::Booked);

    // A typed amount then Esc: skipped at once, nothing recorded.
    key(&mut app, KeyCode::Char('d'));
    typed(&mut app, "5000");
    key(&mut app, KeyCode::Esc);
    assert!(app.tabs.today.checkout.is_none());
    assert!(for_appointment(app.store.conn(), fx.appt).unwrap().is_empty());
}

#[test]
fn a_bad_amount_or_no_category_keeps_the_step_open_and_says_why() {
    let (_dir, mut app, fx) = start(Lang::En);
    check_out(&mut app, "abc", "1", None);
    ctrl_s(&mut app);
    let c = app.tabs.today.checkout.as_ref().expect("still open");
    assert!(c.form.get("amount").error.is_some());
    // Corrected, but no category.
    let mut tries = 0;
    while !app.tabs.today.checkout.as_ref().unwrap().form.text("amount").is_empty() && tries < 10 {
        key(&mut app, KeyCode::Backspace);
        tries += 1;
    }
    typed(&mut app, "12,000");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Backspace); // the category cleared
    ctrl_s(&mut app);
    let c = app.tabs.today.checkout.as_ref().expect("still open");
    assert!(c.form.get("category").error.is_some(), "{:?}", c.form.fields);
    assert!(for_appointment(app.store.conn(), fx.appt).unwrap().is_empty());
    typed(&mut app, "3");
    ctrl_s(&mut app);
    assert!(app.tabs.today.checkout.is_none());
    let paid = for_appointment(app.store.conn(), fx.appt).unwrap();
    assert_eq!((paid[0].amount_krw, paid[0].category), (12_000, PaymentCategory::CarInsurance));
}

#[test]
fn a_package_sold_at_checkout_uses_this_visit_and_undo_gives_the_session_back() {
    let (_dir, mut app, fx) = start(Lang::En);
    check_out(&mut app, "120만", "2", Some("10"));
    ctrl_s(&mut app);
    assert!(app.tabs.today.checkout.is_none(), "{:?}", app.tabs.today.checkout.as_ref().map(|c| &c.form));
    let pk = packages_of(app.store.conn(), fx.patient).unwrap();
    assert_eq!(pk.len(), 1);
    assert_eq!((pk[0].treatment_code.as_str(), pk[0].sessions, pk[0].used), ("chuna", 10, 1));
    assert_eq!(pk[0].price_krw, 1_200_000);
    assert_eq!(pk[0].provider_id, Some(fx.director));
    key(&mut app, KeyCode::Char('n')); // no next visit now
    app.on_command(Command::Undo);
    assert_eq!(status(&app, fx.appt), AppointmentStatus::Booked);
    assert_eq!(packages_of(app.store.conn(), fx.patient).unwrap()[0].used, 0);
}

#[test]
fn the_header_shows_the_takings_by_category_and_the_row_its_package_use() {
    let (_dir, mut app, _fx) = start(Lang::En);
    let screen = text(&render(&app, 160, 24));
    assert!(screen.contains("Takings 0 (Cov 0 Non-cov 0 Car 0 Other 0)"), "{screen}");
    check_out_and_save(&mut app, "30만", "2", Some("3"));
    let screen = text(&render(&app, 120, 24));
    assert!(screen.contains("Takings 30만 (Non-cov 30만)"), "{screen}");
    // This visit used the first of three sessions: two left, the package is ending.
    assert!(screen.contains("1/3 ending"), "{screen}");
}

#[test]
fn the_huddle_chart_review_flags_the_ending_package_and_suggests_the_sticker() {
    let (_dir, mut app, _fx) = start(Lang::En);
    check_out_and_save(&mut app, "30만", "2", Some("3"));
    key(&mut app, KeyCode::Char('2')); // the huddle
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Right); // chart review
    let screen = text(&render(&app, 120, 30));
    assert!(screen.contains("package 1/3 ending"), "{screen}");
    // The only paying patient is the top 20% by spending.
    assert!(screen.contains("suggest high value"), "{screen}");
}

#[test]
fn the_card_shows_payments_packages_and_a_suggestion_accepted_with_one_key() {
    let (_dir, mut app, fx) = start(Lang::En);
    check_out_and_save(&mut app, "30만", "2", Some("3"));
    // A refund is its own row with its reason.
    let paid = frontdesk::store::payments::for_patient(app.store.conn(), fx.patient).unwrap();
    frontdesk::desk::payments::refund(&mut app.store, paid[0].id, "5만", "session cancelled", fixed_now())
        .unwrap();
    key(&mut app, KeyCode::Enter); // the card
    assert!(app.card.is_some());
    for _ in 0..40 {
        key(&mut app, KeyCode::Down);
    }
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("Packages (1)"), "{screen}");
    assert!(screen.contains("1/3"), "{screen}");
    assert!(screen.contains("Payments (2) total 250,000 won"), "{screen}");
    assert!(screen.contains("-50,000"), "{screen}");
    assert!(screen.contains("[correction: session cancelled]"), "{screen}");
    assert!(screen.contains("Sticker suggestions (+ accept, - dismiss)"), "{screen}");
    key(&mut app, KeyCode::Char('+'));
    let tags = frontdesk::store::tags::patient_tags(app.store.conn(), fx.patient).unwrap();
    assert!(tags.contains(&frontdesk::domain::Tag::HighValue), "{tags:?}");
    assert!(app.card.as_ref().unwrap().money.suggestions.is_empty());
}

#[test]
fn a_payment_saved_while_another_terminal_holds_the_lock_keeps_what_was_typed() {
    let (dir, mut app, fx) = start(Lang::En);
    check_out(&mut app, "30만", "2", None);
    // Another process holds the write lock while the desk saves.
    let other = rusqlite::Connection::open(dir.path().join("clinic.db")).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    ctrl_s(&mut app);
    assert!(for_appointment(app.store.conn(), fx.appt).unwrap().is_empty(), "nothing half-written");
    let form = &app.tabs.today.checkout.as_ref().expect("the step stays open").form;
    assert!(form.fields.iter().any(|f| f.value.contains("30")), "what was typed is kept");
    other.execute_batch("COMMIT").unwrap();
    drop(other);
    ctrl_s(&mut app);
    assert_eq!(for_appointment(app.store.conn(), fx.appt).unwrap().len(), 1, "saved once the lock is gone");
}
