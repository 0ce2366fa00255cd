//! A model-based test of the desk: random sessions driven through the real `App` (keys in,
//! screens rendered on a `TestBackend`), with the database checked against the desk's
//! invariants after every step.
//!
//! Each session starts from a small clinic (patients with visits yesterday, today, tomorrow and
//! next week, one 원장 with two of today's visits, an undecided consultation, a package of two
//! 추나 sessions, a payment, open huddle actions) and takes random steps: status keys on several
//! days, undo, booking and moving, inquiries and callback contacts with every outcome (the
//! booking form they lead to saved or closed), snoozes, consultations, Esc at any point of any
//! form and prompt (answering the discard question either way), paste-like bursts of keys,
//! renders at 80x24 and smaller, ticks, the clock passing midnight, restarts that offer drafts;
//! and the flows of `flows.rs`: cancel and no-show with their reason step ("rebook now?"),
//! done then checkout (a payment, a package, or skipped) and undo, the patient card reached by
//! Ctrl-F (book, cancel the next visit, tick a huddle action, undo, payment, package, refund,
//! correction), a save while another process holds the write lock, and walking Today's days.
//!
//! The invariants (`invariants.rs`), after every step:
//! 1. no inquiry or callback is "booked" without a linked appointment that exists (and that
//!    was cancelled, if at all, by a status change afterwards);
//! 2. no open automatic callback whose appointment no longer warrants it: a reminder only for
//!    a booked, unconfirmed appointment today or tomorrow, a happy call only for a done
//!    visit, a no-show call only for a no-show;
//! 3. every open prospect callback of a consultation that nobody has called or snoozed yet is
//!    due on the consultation's recall date;
//! 4. no arrived/done/no-show on an appointment after the day it was marked, nor after today;
//! 5. every step that changed a table (drafts aside) appended to the audit log, and the tamper
//!    seal holds;
//! 6. an appointment's status is where its recorded changes end, each a change the desk may
//!    make (never done and cancelled), each audited;
//! 7. a package session is used only by a done visit of its patient and treatment since the
//!    sale (undo gives it back), at most one per visit, never more than the package holds, and
//!    a done visit since the sale uses one unless its packages are full;
//! 8. payments are never edited nor deleted; a negative row corrects an earlier payment of the
//!    same patient, with its reason; no payment is left below zero; every payment is audited;
//! 9. no two booked visits of one provider at the same time unless the desk saved past the
//!    warning;
//!
//! and what each flow expects of its own step (Esc changes nothing, a saved cancel is
//! cancelled with its reason, a skipped checkout records nothing, a save under the lock writes
//! nothing and keeps what was typed, ...).
//!
//! CI runs `SESSIONS` x `STEPS` steps; a failure prints the seed, the step and the actions so
//! far. Replay one session with `DESK_MODEL_SEED=<seed> cargo test --test desk_model`
//! (`DESK_MODEL_SESSIONS`, `DESK_MODEL_STEPS` run more; `DESK_MODEL_FIRST` skips
//! sessions, `DESK_MODEL_LOG=1` prints every action).

mod common;
#[path = "desk_model/flows.rs"]
mod flows;
#[path = "desk_model/invariants.rs"]
mod invariants;
#[path = "desk_model/steps.rs"]
mod steps;

use std::collections::{BTreeMap, HashSet};

use chrono::{Duration, NaiveDateTime};
use common::{at, fixed_now, open_set_up, options, render, text};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use frontdesk::app::card_work::Step as CardStep;
use frontdesk::app::form::Form;
use frontdesk::app::keymap::Context;
use frontdesk::app::tabs::today::reasons::Reason;
use frontdesk::app::{App, TabId};
use frontdesk::desk::callbacks::record_consultation_in as record_consultation;
use frontdesk::domain::{ConsultationStatus, Lang};
use frontdesk::store::Store;
use frontdesk::store::appointments::{NewAppointment, insert_appointment};
use frontdesk::store::consultations::NewConsultation;
use frontdesk::store::patients::{NewPatient, insert_patient};
use invariants::{check, coverage};

const SESSIONS: u64 = 8;
const STEPS: usize = 80;

/// xorshift64*: small, seeded, deterministic.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const PHONES: [&str; 8] = [
    "010-3100-0001",
    "010-3100-0002",
    "010-3100-0003",
    "010-3100-0004",
    "010-3100-0005",
    "010-3100-0006",
    "010-3100-0077",
    "010-3100-0088",
];
const NAMES: [&str; 8] = ["김하나", "이두리", "박세리", "최네모", "정다섯", "강여섯", "조새롬", "윤새벽"];
const TIMES: [&str; 6] = ["09:30", "10:00", "11:30", "14:00", "16:30", "18:00"];
const DAYS: [&str; 6] = ["+0", "+1", "+2", "+5", "+7", "+14"];

/// The clinic's one 원장, who is also at the terminal (so no staff pick asks first).
const DIRECTOR: &str = "김원장";

/// The clinic each session starts from: six patients (the last two phones are new callers),
/// visits yesterday, today (two of them with the 원장), tomorrow and next week, an undecided
/// consultation, a package of two 추나 sessions sold yesterday to the patient seen for 추나
/// today and tomorrow, a payment, and open huddle actions (two for one patient, one for
/// another).
fn seed_clinic(store: &mut Store) {
    let now = fixed_now();
    let day = now.date();
    let ids = store
        .write(|tx| {
            let director =
                frontdesk::store::settings::add_staff(tx, DIRECTOR, frontdesk::domain::Role::Director)?;
            let mut ids = Vec::new();
            for i in 0..6 {
                ids.push(insert_patient(
                    tx,
                    &NewPatient { name: NAMES[i].into(), phone: PHONES[i].into(), ..Default::default() },
                )?);
            }
            let appt = |p: i64, d: i64, h: u32, t: &str| NewAppointment {
                patient_id: p,
                start: (day + Duration::days(d)).and_hms_opt(h, 0, 0).unwrap(),
                duration_min: 30,
                provider_id: (d == 0 && h < 12).then_some(director),
                treatment_code: Some(t.into()),
            };
            for (p, d, h, t) in [
                (0, -1, 10, "chuna"),
                (1, -1, 11, "acupuncture"),
                (2, 0, 10, "chuna"),
                (3, 0, 11, "acupuncture"),
                (4, 0, 15, "chuna"),
                (4, 1, 10, "chuna"),
                (0, 1, 14, "acupuncture"),
                (5, 7, 10, "chuna"),
            ] {
                insert_appointment(tx, &appt(ids[p], d, h, t))?;
            }
            record_consultation(
                tx,
                &NewConsultation {
                    patient_id: ids[1],
                    consulted_at: now - Duration::days(2),
                    treatment_code: Some("chuna".into()),
                    quoted_krw: Some(900_000),
                    offered_krw: None,
                    status: ConsultationStatus::Undecided,
                    recall_on: Some(day + Duration::days(3)),
                    circumstances: String::new(),
                    reaction: String::new(),
                    owner_id: None,
                },
            )?;
            Ok(ids)
        })
        .unwrap();
    let package = frontdesk::desk::packages::PackageForm {
        treatment_code: Some("chuna".into()),
        sessions: "2".into(),
        price: "40만".into(),
        ..frontdesk::desk::packages::PackageForm::new(ids[4], now - Duration::days(1))
    };
    frontdesk::desk::packages::sell_package(store, &package).unwrap();
    let payment = frontdesk::desk::payments::PaymentForm {
        amount: "49,000".into(),
        category: Some(frontdesk::domain::payments::PaymentCategory::Covered),
        ..frontdesk::desk::payments::PaymentForm::new(ids[3], now - Duration::days(1))
    };
    frontdesk::desk::payments::record_payment(store, &payment).unwrap();
    let mut huddle = None;
    for (p, action) in [(2, "재방문 권유"), (2, "추나 후기 여쭙기"), (0, "패키지 안내")] {
        huddle = Some(
            frontdesk::desk::huddle::add_action(store, huddle, day, now, ids[p], action, "desk").unwrap(),
        );
    }
}

/// Opens the clinic file as the app does at the terminal: the 원장 at the desk, writes
/// stamped by `now`.
fn open_app(path: &std::path::Path, lang: Lang, now: NaiveDateTime) -> App {
    let mut opts = options(lang, TabId::Today);
    opts.fixed_now = Some(now);
    let mut store = common::open_at(path, now);
    store.set_staff(DIRECTOR);
    App::new(store, opts).unwrap()
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

/// A session: the app, its random choices, and what was done so far (printed on failure).
struct Session {
    app: App,
    rng: Rng,
    path: std::path::PathBuf,
    now: NaiveDateTime,
    log: Vec<String>,
    /// Per table, a fingerprint of its rows (drafts and the audit log itself left out).
    tables: BTreeMap<String, u64>,
    audit_rows: i64,
    audit_seen: i64,
    /// `integrity.changes` at the last check.
    changes: i64,
    /// What a flow expected of its own step and did not find (reported with the invariants).
    expected: Vec<String>,
    /// Every payment row as at the last check (rows are never edited).
    payments: BTreeMap<i64, String>,
    /// This step saved a booking past its warning (the second save).
    warning_accepted: bool,
    /// Visits booked or moved past a warning: they may share a provider's slot.
    accepted: HashSet<i64>,
}

/// Returned by a step cut short by Esc.
struct Aborted;

type Step = Result<(), Aborted>;

impl Session {
    fn note(&mut self, s: impl Into<String>) {
        self.log.push(s.into());
    }

    fn press(&mut self, k: KeyEvent) {
        self.app.on_key(k);
    }

    fn ch(&mut self, c: char) {
        self.press(key(KeyCode::Char(c)));
    }

    fn type_text(&mut self, s: &str) {
        for c in s.chars() {
            self.ch(c);
        }
    }

    /// The form that has the keyboard, wherever it is open: the booking form, a form over the
    /// patient card (money, chart, name and phone, the cancel's reason), the reason step on
    /// Today, the tab's own form or checkout.
    fn top_form(&self) -> Option<&Form> {
        if let Some(b) = &self.app.booking {
            return Some(&b.form);
        }
        if self.app.search.is_some() {
            return None;
        }
        if let Some(card) = &self.app.card {
            if let Some(pay) = &card.money.pay {
                return Some(&pay.form);
            }
            if let Some(CardStep::Reason(reason)) = &card.work.step
                && let Reason::Asking(open) = reason.as_ref()
            {
                return Some(&open.form);
            }
            return card.step_form();
        }
        if self.app.active == TabId::Today {
            if let Some(Reason::Asking(open)) = &self.app.tabs.today.reason {
                return Some(&open.form);
            }
        }
        self.app.open_form()
    }

    /// Nothing open over the tab's list: its single keys work.
    fn neutral(&self) -> bool {
        self.app.pending_draft.is_none() && self.app.contexts().contains(&Context::Global)
    }

    /// Escapes whatever is open (answering the discard question with yes), as the desk would
    /// before doing something else.
    fn settle(&mut self) {
        for _ in 0..12 {
            if self.neutral() {
                return;
            }
            if self.app.pending_draft.is_some() {
                let k = if self.rng.chance(50) { 'n' } else { 'y' };
                self.note(format!("draft prompt: {k}"));
                self.ch(k);
            } else if self.top_form().is_some_and(|f| f.confirm_discard) {
                self.ch('y');
            } else {
                self.press(key(KeyCode::Esc));
            }
        }
        let screen = text(&render(&self.app, 100, 30));
        panic!("the app did not come back to a list after 12 Esc presses:\n{screen}");
    }

    /// With `percent` chance, Esc now: on a changed form the discard question is answered at
    /// random (a "no" keeps the form open; the step ends either way).
    fn maybe_esc(&mut self, percent: u64) -> Step {
        if !self.rng.chance(percent) {
            return Ok(());
        }
        self.note("  Esc");
        self.press(key(KeyCode::Esc));
        if self.top_form().is_some_and(|f| f.confirm_discard) {
            let k = if self.rng.chance(70) { 'y' } else { 'n' };
            self.note(format!("  discard? {k}"));
            self.ch(k);
        }
        Err(Aborted)
    }

    fn visible(&self, id: &str) -> bool {
        self.top_form().is_some_and(|f| f.fields.iter().any(|x| x.id == id && !x.hidden))
    }

    /// Tabs (then Shift-Tabs, as Tab stops at the last field) to a field of the open form
    /// (false when the form has no such visible field).
    fn focus(&mut self, id: &str) -> bool {
        for k in [KeyCode::Tab, KeyCode::BackTab] {
            for _ in 0..16 {
                match self.top_form() {
                    Some(f) if f.focused().id == id => return true,
                    Some(_) => self.press(key(k)),
                    None => return false,
                }
            }
        }
        false
    }

    /// Replaces a text field's value.
    fn fill(&mut self, id: &str, value: &str) -> Step {
        self.maybe_esc(6)?;
        if self.focus(id) {
            self.press(ctrl('u'));
            self.type_text(value);
        }
        Ok(())
    }

    /// Picks a choice of a pick field by its key.
    fn choose(&mut self, id: &str, k: char) -> Step {
        self.maybe_esc(6)?;
        if self.focus(id) {
            self.ch(k);
        }
        Ok(())
    }

    fn save(&mut self) -> Step {
        self.maybe_esc(6)?;
        self.press(ctrl('s'));
        Ok(())
    }

    fn go(&mut self, tab: char) {
        self.settle();
        self.ch(tab);
    }

    fn moves(&mut self, max: usize) {
        for _ in 0..self.rng.below(max + 1) {
            let k = if self.rng.chance(70) { KeyCode::Down } else { KeyCode::Up };
            self.press(key(k));
        }
    }

    /// The booking form, if a step opened it: a time (sometimes another day), then saved
    /// (twice when it warns of an overlap), or closed with Esc at any point.
    fn booking(&mut self) -> Step {
        if self.app.booking.is_none() {
            return Ok(());
        }
        self.note("  booking form");
        if self.top_form().is_some_and(|f| f.fields.iter().any(|x| x.id == "name" && x.value.is_empty())) {
            let n = *self.rng.pick(&NAMES);
            self.fill("name", n)?;
        }
        if self.rng.chance(40) {
            let d = *self.rng.pick(&DAYS);
            self.fill("date", d)?;
        }
        let t = *self.rng.pick(&TIMES);
        self.fill("time", t)?;
        if self.rng.chance(35) && self.visible("provider") {
            // The 원장: a slot of theirs may be taken (a warning to save past).
            self.choose("provider", '1')?;
        }
        self.save()?;
        if self.app.booking.is_some() {
            self.save()?;
            if self.app.booking.is_none() {
                self.note("  saved past the warning");
                self.warning_accepted = true;
            }
        }
        if self.app.booking.is_some() {
            // Still open (a refusal): the desk gives up on it.
            self.maybe_esc(100)?;
        }
        Ok(())
    }

    fn step(&mut self) {
        let before = self.log.len();
        let r = match self.rng.below(100) {
            0..=8 => self.status_keys(),
            9..=12 => self.undo(),
            13..=20 => self.book_or_move(),
            21..=29 => self.inquiry(),
            30..=37 => self.contact(),
            38..=40 => self.snooze(),
            41..=45 => self.consultation(),
            46..=56 => self.cancel_or_no_show(),
            57..=67 => self.done_and_checkout(),
            68..=81 => self.card(),
            82..=85 => self.save_under_lock(),
            86..=88 => {
                self.burst();
                Ok(())
            }
            89..=91 => {
                self.render_small();
                Ok(())
            }
            92..=94 => {
                self.app.on_tick();
                self.note("tick");
                Ok(())
            }
            95..=96 => {
                self.clock();
                Ok(())
            }
            _ => {
                self.restart();
                Ok(())
            }
        };
        if r.is_err() && self.log.len() == before {
            self.note("(aborted)");
        }
        if let Some(n) = &self.app.notice {
            self.note(format!("  notice: {n:?}"));
        }
    }
}

fn run_session(seed: u64, steps: usize) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.db");
    let mut store = open_set_up(&path);
    seed_clinic(&mut store);
    drop(store);
    let lang = if seed % 2 == 0 { Lang::Ko } else { Lang::En };
    let app = open_app(&path, lang, fixed_now());
    let mut s = Session {
        app,
        rng: Rng::new(seed),
        path,
        now: fixed_now(),
        log: Vec::new(),
        tables: BTreeMap::new(),
        audit_rows: 0,
        audit_seen: 0,
        changes: -1,
        expected: Vec::new(),
        payments: BTreeMap::new(),
        warning_accepted: false,
        accepted: HashSet::new(),
    };
    let initial = check(&mut s);
    assert!(initial.is_empty(), "seed {seed}: the starting clinic breaks the invariants: {initial:?}");
    for step in 0..steps {
        s.step();
        let bad = check(&mut s);
        if !bad.is_empty() {
            let tail: Vec<&String> =
                s.log.iter().rev().take(40).collect::<Vec<_>>().into_iter().rev().collect();
            let screen = text(&render(&s.app, 120, 36));
            panic!(
                "seed {seed} (replay: DESK_MODEL_SEED={seed}), step {step}: {}\nlast actions:\n{}\nscreen:\n{screen}",
                bad.join("\n"),
                tail.iter().map(|l| l.as_str()).collect::<Vec<_>>().join("\n"),
            );
        }
    }
    if std::env::var_os("DESK_MODEL_LOG").is_some() {
        eprintln!("{}", s.log.join("\n"));
    }
    eprintln!("seed {seed}: {}", coverage(s.app.store.conn()));
}

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

#[test]
fn random_desk_sessions_keep_the_records_true() {
    let steps = env_u64("DESK_MODEL_STEPS").map(|n| n as usize).unwrap_or(STEPS);
    if let Some(seed) = env_u64("DESK_MODEL_SEED") {
        run_session(seed, steps);
        return;
    }
    let sessions = env_u64("DESK_MODEL_SESSIONS").unwrap_or(SESSIONS);
    let first = env_u64("DESK_MODEL_FIRST").unwrap_or(0);
    for i in first..first + sessions {
        run_session(0x5EED_0000 + i, steps);
    }
}

#[test]
fn the_model_starts_at_a_known_moment() {
    // The sessions' dates are relative to the fixed clock, never the wall clock.
    assert_eq!(fixed_now(), at(2026, 11, 23, 9, 20));
}
