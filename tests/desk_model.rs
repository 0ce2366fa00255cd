//! A model-based test of the desk: random sessions driven through the real `App` (keys in,
//! screens rendered on a `TestBackend`), with the database checked against the desk's
//! invariants after every step.
//!
//! Each session starts from a small clinic (patients with visits yesterday, today, tomorrow and
//! next week, an undecided consultation) and takes random steps: status keys on several days,
//! undo, booking and moving, inquiries and callback contacts with every outcome (the booking
//! form they lead to saved or closed), snoozes, consultations, Esc at any point of any form
//! and prompt (answering the discard question either way), paste-like bursts of keys, renders
//! at 80x24 and smaller, ticks, the clock passing midnight, and restarts that offer drafts.
//!
//! The invariants (see [`check`]):
//! 1. no inquiry or callback is "booked" without a linked appointment that exists (and that
//!    was cancelled, if at all, by a status change afterwards);
//! 2. no open automatic callback whose appointment no longer warrants it: a reminder only for
//!    a booked, unconfirmed appointment today or tomorrow, a happy call only for a done
//!    visit, a no-show call only for a no-show;
//! 3. every open prospect callback of a consultation that nobody has called or snoozed yet is
//!    due on the consultation's recall date;
//! 4. no arrived/done/no-show on an appointment after the day it was marked, nor after today;
//! 5. every step that changed a table (drafts aside) appended to the audit log, and the tamper
//!    seal holds.
//!
//! CI runs `SESSIONS` x `STEPS` steps; a failure prints the seed, the step and the actions so
//! far. Replay one session with `DESK_MODEL_SEED=<seed> cargo test --test desk_model`
//! (`DESK_MODEL_SESSIONS`, `DESK_MODEL_STEPS` run more).

mod common;

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDateTime};
use common::{at, fixed_now, open_set_up, options, render, text};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use frontdesk::app::keymap::Context;
use frontdesk::app::{App, TabId};
use frontdesk::desk::callbacks::record_consultation_in as record_consultation;
use frontdesk::domain::{ConsultationStatus, Lang};
use frontdesk::store::Store;
use frontdesk::store::appointments::{NewAppointment, insert_appointment};
use frontdesk::store::consultations::NewConsultation;
use frontdesk::store::patients::{NewPatient, insert_patient};

const SESSIONS: u64 = 20;
const STEPS: usize = 150;

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

/// The clinic each session starts from: six patients (the last two phones are new callers),
/// visits yesterday, today, tomorrow and next week, an undecided consultation.
fn seed_clinic(store: &mut Store) {
    let now = fixed_now();
    let day = now.date();
    store
        .write(|tx| {
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
                provider_id: None,
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
            Ok(())
        })
        .unwrap();
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
            } else if self.app.open_form().is_some_and(|f| f.confirm_discard) {
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
        if self.app.open_form().is_some_and(|f| f.confirm_discard) {
            let k = if self.rng.chance(70) { 'y' } else { 'n' };
            self.note(format!("  discard? {k}"));
            self.ch(k);
        }
        Err(Aborted)
    }

    fn visible(&self, id: &str) -> bool {
        self.app.open_form().is_some_and(|f| f.fields.iter().any(|x| x.id == id && !x.hidden))
    }

    /// Tabs to a field of the open form (false when the form has no such visible field).
    fn focus(&mut self, id: &str) -> bool {
        for _ in 0..24 {
            match self.app.open_form() {
                Some(f) if f.focused().id == id => return true,
                Some(_) => self.press(key(KeyCode::Tab)),
                None => return false,
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
        if self.app.open_form().is_some_and(|f| f.fields.iter().any(|x| x.id == "name" && x.value.is_empty()))
        {
            let n = *self.rng.pick(&NAMES);
            self.fill("name", n)?;
        }
        if self.rng.chance(40) {
            let d = *self.rng.pick(&DAYS);
            self.fill("date", d)?;
        }
        let t = *self.rng.pick(&TIMES);
        self.fill("time", t)?;
        self.save()?;
        if self.app.booking.is_some() {
            self.save()?;
        }
        if self.app.booking.is_some() {
            // Still open (a refusal): the desk gives up on it.
            self.maybe_esc(100)?;
        }
        Ok(())
    }

    // ---- the steps ----

    fn status_keys(&mut self) -> Step {
        self.go('1');
        let day = *self.rng.pick(&['.', '[', ']', ']', '.']);
        let k = *self.rng.pick(&['a', 'd', 'x', 'c', 'f', 'u', 'u', 'd', 'x']);
        self.note(format!("Today {day} status {k}"));
        self.ch(day);
        self.moves(4);
        self.ch(k);
        if self.app.tabs.today.prompt.is_some() {
            // After done with no next visit: book it?
            let answer = *self.rng.pick(&['y', 'n', 'x']);
            self.note(format!("  book next? {answer}"));
            match answer {
                'y' => self.ch('y'),
                'n' => self.ch('n'),
                _ => self.press(key(KeyCode::Esc)),
            }
            self.booking()?;
        }
        Ok(())
    }

    fn undo(&mut self) -> Step {
        self.go('1');
        let day = *self.rng.pick(&['.', '[', ']']);
        self.note(format!("Today {day} undo"));
        self.ch(day);
        self.moves(4);
        self.ch('u');
        Ok(())
    }

    fn book_or_move(&mut self) -> Step {
        self.go('1');
        let day = *self.rng.pick(&['.', '[', ']']);
        self.ch(day);
        if self.rng.chance(50) {
            self.note(format!("Today {day} new booking"));
            self.ch('n');
            self.maybe_esc(8)?;
            let n = *self.rng.pick(&NAMES);
            self.fill("name", n)?;
            let p = *self.rng.pick(&PHONES);
            self.fill("phone", p)?;
            if self.visible("existing") {
                let k = *self.rng.pick(&['e', 'r']);
                self.choose("existing", k)?;
            }
        } else {
            self.note(format!("Today {day} move"));
            self.moves(4);
            self.ch('m');
        }
        self.booking()
    }

    fn inquiry(&mut self) -> Step {
        self.go('4');
        // Back to the call log if a burst left the report or the manual on screen.
        self.press(key(KeyCode::Esc));
        let outcome = *self.rng.pick(&['i', 'c', 'b', 'b']);
        self.note(format!("Inquiry outcome {outcome}"));
        self.ch('n');
        self.maybe_esc(6)?;
        if self.rng.chance(90) {
            let n = *self.rng.pick(&NAMES);
            self.fill("caller", n)?;
        }
        if self.rng.chance(90) {
            let p = *self.rng.pick(&PHONES);
            self.fill("phone", p)?;
        }
        if self.rng.chance(50) {
            self.choose("topic", '1')?;
        }
        self.choose("outcome", outcome)?;
        match outcome {
            'c' => {
                let d = *self.rng.pick(&DAYS);
                self.fill("callback_on", d)?;
            }
            'b' => {
                let d = *self.rng.pick(&DAYS);
                self.fill("book_date", d)?;
                if self.rng.chance(35) {
                    let t = *self.rng.pick(&TIMES);
                    self.fill("book_time", t)?;
                }
            }
            _ => {}
        }
        self.save()?;
        self.booking()
    }

    fn contact(&mut self) -> Step {
        self.go('3');
        self.moves(5);
        let next = *self.rng.pick(&['n', 'b', 'b', 'a', 'd', 'u', 'c']);
        self.note(format!("Callback contact next {next}"));
        self.ch('l');
        self.maybe_esc(6)?;
        if self.app.open_form().is_none() {
            return Ok(());
        }
        let reached = *self.rng.pick(&['y', 'n']);
        self.choose("reached", reached)?;
        self.fill("reaction", "생각해 볼게요")?;
        self.choose("next", next)?;
        if self.visible("next_on") {
            let d = *self.rng.pick(&DAYS);
            self.fill("next_on", d)?;
        }
        self.save()?;
        self.booking()
    }

    fn snooze(&mut self) -> Step {
        self.go('3');
        self.moves(5);
        self.note("Callback snooze");
        self.ch('z');
        let d = *self.rng.pick(&DAYS);
        self.fill("until", d)?;
        self.save()
    }

    fn consultation(&mut self) -> Step {
        self.go('3');
        let i = self.rng.below(6);
        let decision = *self.rng.pick(&['1', '1', '2', '3']);
        self.note(format!("Consultation for {} decision {decision}", NAMES[i]));
        self.ch('c');
        self.maybe_esc(8)?;
        let last4 = &PHONES[i][PHONES[i].len() - 4..];
        self.type_text(last4);
        self.maybe_esc(8)?;
        self.press(key(KeyCode::Enter));
        if self.app.open_form().is_none() {
            return Ok(());
        }
        if self.rng.chance(50) {
            self.choose("treatment", '1')?;
        }
        self.fill("quoted", "90만원")?;
        self.choose("status", decision)?;
        if self.visible("recall_on") {
            let d = *self.rng.pick(&DAYS);
            self.fill("recall_on", d)?;
        }
        self.save()
    }

    /// Keys in quick succession, as a paste or a leaning elbow would send them, wherever the
    /// app is.
    fn burst(&mut self) {
        const KEYS: &[char] =
            &['a', 'd', 'x', 'c', 'u', 'f', 'n', 'l', 'z', 'b', 'y', '1', '3', '4', '[', ']', '.', ' ', '7'];
        let n = 3 + self.rng.below(15);
        let mut sent = String::new();
        for _ in 0..n {
            let k = match self.rng.below(12) {
                0 => key(KeyCode::Esc),
                1 => key(KeyCode::Enter),
                2 => key(KeyCode::Tab),
                3 => key(KeyCode::Down),
                4 => ctrl('s'),
                _ => key(KeyCode::Char(*self.rng.pick(KEYS))),
            };
            sent.push_str(&format!("{:?} ", k.code));
            self.press(k);
        }
        self.note(format!("burst {sent}"));
    }

    fn render_small(&mut self) {
        let (w, h) = *self.rng.pick(&[(80, 24), (79, 23), (60, 20), (40, 12), (120, 40)]);
        self.note(format!("render {w}x{h}"));
        let screen = text(&render(&self.app, w, h));
        if w < 80 || h < 24 {
            assert!(!screen.trim().is_empty(), "a small window still says something");
        }
    }

    /// The clock moves on: a few hours, or past midnight; the tick notices.
    fn clock(&mut self) {
        let hours = *self.rng.pick(&[1, 3, 15, 24]);
        self.now += Duration::hours(hours);
        self.note(format!("clock +{hours}h -> {}", self.now));
        self.app.opts.fixed_now = Some(self.now);
        self.app.on_tick();
    }

    /// The terminal closes (the tick having kept the form as a draft) and the app starts
    /// again on the same file; the draft is offered.
    fn restart(&mut self) {
        self.note("restart");
        self.app.save_draft_now();
        let mut opts = options(Lang::Ko, TabId::Today);
        opts.fixed_now = Some(self.now);
        let store = common::open_at(&self.path, self.now);
        self.app = App::new(store, opts).unwrap();
    }

    fn step(&mut self) {
        let before = self.log.len();
        let r = match self.rng.below(100) {
            0..=17 => self.status_keys(),
            18..=25 => self.undo(),
            26..=37 => self.book_or_move(),
            38..=55 => self.inquiry(),
            56..=69 => self.contact(),
            70..=74 => self.snooze(),
            75..=83 => self.consultation(),
            84..=89 => {
                self.burst();
                Ok(())
            }
            90..=94 => {
                self.render_small();
                Ok(())
            }
            95..=97 => {
                self.app.on_tick();
                self.note("tick");
                Ok(())
            }
            98 => {
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

/// Fingerprints of every table's rows but the drafts, the audit log and the seal.
fn fingerprints(conn: &rusqlite::Connection) -> BTreeMap<String, u64> {
    use std::hash::{Hash, Hasher};
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
             AND name NOT IN ('integrity', 'audit_log', 'drafts')",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let mut out = BTreeMap::new();
    for t in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let cols = stmt.column_count();
        let mut h = std::collections::hash_map::DefaultHasher::new();
        let mut rows = stmt.query([]).unwrap();
        while let Some(r) = rows.next().unwrap() {
            for i in 0..cols {
                format!("{:?}", r.get_ref(i).unwrap()).hash(&mut h);
            }
        }
        out.insert(t, h.finish());
    }
    out
}

fn count(conn: &rusqlite::Connection, sql: &str, p: &[&dyn rusqlite::ToSql]) -> Vec<String> {
    let mut stmt = conn.prepare(sql).unwrap();
    stmt.query_map(p, |r| r.get::<_, String>(0)).unwrap().collect::<rusqlite::Result<Vec<_>>>().unwrap()
}

/// The invariants over the database; each violation as a line.
fn check(s: &mut Session) -> Vec<String> {
    let conn = s.app.store.conn();
    let today = s.app.now().date();
    let t = today.format("%Y-%m-%d").to_string();
    let after = (today + Duration::days(2)).format("%Y-%m-%d").to_string();
    let mut bad = Vec::new();
    // 1. "Booked" means an appointment exists.
    bad.extend(count(
        conn,
        "SELECT 'inquiry ' || i.id || ' booked without its appointment' FROM inquiries i
         WHERE i.outcome = 'booked' AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.id = i.appointment_id
           AND (a.status <> 'cancelled' OR EXISTS (SELECT 1 FROM appointment_status_changes c
                WHERE c.appointment_id = a.id AND c.to_status = 'cancelled')))
         UNION ALL
         SELECT 'callback ' || k.id || ' booked without its appointment' FROM callbacks k
         WHERE k.outcome = 'booked' AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.id = k.appointment_id
           AND (a.status <> 'cancelled' OR EXISTS (SELECT 1 FROM appointment_status_changes c
                WHERE c.appointment_id = a.id AND c.to_status = 'cancelled')))",
        &[],
    ));
    // 2. Open automatic callbacks are still warranted by their appointment.
    bad.extend(count(
        conn,
        "SELECT 'open ' || k.kind || ' callback ' || k.id || ' for appointment ' || coalesce(a.id, '-') || ' (' ||
                coalesce(a.status, 'none') || ' ' || coalesce(a.start, '') || ')'
         FROM callbacks k LEFT JOIN appointments a ON a.id = k.appointment_id
         WHERE k.status = 'open' AND (
             (k.kind = 'reminder' AND (a.id IS NULL OR a.status <> 'booked' OR a.confirmed_at IS NOT NULL
                                       OR a.start < ?1 OR a.start >= ?2))
          OR (k.kind = 'happy_call' AND (a.id IS NULL OR a.status <> 'done'))
          OR (k.kind = 'no_show' AND a.id IS NOT NULL AND a.status <> 'no_show'))",
        &[&t, &after],
    ));
    // 3. A consultation's prospect is due on its recall date until someone calls or snoozes it.
    bad.extend(count(
        conn,
        "SELECT 'prospect callback ' || k.id || ' due ' || k.due_on || ', consultation ' || c.id || ' recall ' || c.recall_on
         FROM callbacks k JOIN consultations c ON c.id = k.consultation_id
         WHERE k.status = 'open' AND k.kind = 'prospect' AND c.recall_on IS NOT NULL AND k.due_on <> c.recall_on
           AND NOT EXISTS (SELECT 1 FROM callback_contacts x WHERE x.callback_id = k.id)
           AND NOT EXISTS (SELECT 1 FROM audit_log l WHERE l.entity = 'callback' AND l.entity_id = k.id
                           AND l.action IN ('snooze', 'follow_up'))",
        &[],
    ));
    // 4. Nothing is marked as having happened before its day.
    bad.extend(count(
        conn,
        "SELECT 'appointment ' || a.id || ' on ' || a.start || ' is ' || a.status || ' (today ' || ?1 || ')'
         FROM appointments a WHERE a.status IN ('arrived', 'done', 'no_show') AND substr(a.start, 1, 10) > ?1",
        &[&t],
    ));
    bad.extend(count(
        conn,
        "SELECT 'appointment ' || a.id || ' on ' || a.start || ' marked ' || l.detail || ' at ' || l.at
         FROM audit_log l JOIN appointments a ON a.id = l.entity_id
         WHERE l.id > ?1 AND l.entity = 'appointment' AND l.action = 'status'
           AND (l.detail LIKE '%-> arrived' OR l.detail LIKE '%-> done' OR l.detail LIKE '%-> no_show')
           AND substr(l.at, 1, 10) < substr(a.start, 1, 10)",
        &[&s.audit_seen],
    ));
    // 5. Every change is audited, and nothing wrote around the store. The seal's change
    // counter (bumped by a trigger on every row of every table) says whether anything changed
    // at all; only then are the tables fingerprinted (drafts are written unaudited).
    let changes: i64 =
        conn.query_row("SELECT changes FROM integrity WHERE id = 1", [], |r| r.get(0)).unwrap();
    let tables = if changes == s.changes { s.tables.clone() } else { fingerprints(conn) };
    s.changes = changes;
    let audit_rows: i64 = conn.query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0)).unwrap();
    let changed: Vec<&String> =
        tables.iter().filter(|(k, v)| s.tables.get(*k) != Some(v)).map(|(k, _)| k).collect();
    if !changed.is_empty() && audit_rows == s.audit_rows {
        bad.push(format!("tables {changed:?} changed with no audit row"));
    }
    if !frontdesk::store::audit::seal_holds(conn, s.app.store.audit_key().unwrap()).unwrap() {
        bad.push("the tamper seal does not hold".into());
    }
    let max_audit: i64 =
        conn.query_row("SELECT coalesce(max(id), 0) FROM audit_log", [], |r| r.get(0)).unwrap();
    s.tables = tables;
    s.audit_rows = audit_rows;
    s.audit_seen = max_audit;
    bad
}

fn run_session(seed: u64, steps: usize) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.db");
    let mut store = open_set_up(&path);
    seed_clinic(&mut store);
    let lang = if seed % 2 == 0 { Lang::Ko } else { Lang::En };
    let app = App::new(store, options(lang, TabId::Today)).unwrap();
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
    eprintln!("seed {seed}: {}", coverage(s.app.store.conn()));
}

/// What a session reached, so a run shows the steps did real work.
fn coverage(conn: &rusqlite::Connection) -> String {
    let q = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    format!(
        "appointments {}, inquiries booked {}/{}, callbacks booked {}, happy calls {}, no-show calls {}, \
         undos {}, consultations {}, refused-or-withdrawn calls {}",
        q("SELECT count(*) FROM appointments"),
        q("SELECT count(*) FROM inquiries WHERE outcome = 'booked'"),
        q("SELECT count(*) FROM inquiries"),
        q("SELECT count(*) FROM callbacks WHERE outcome = 'booked'"),
        q(
            "SELECT count(*) FROM audit_log WHERE entity = 'callback' AND action = 'create' AND detail = 'happy_call'"
        ),
        q(
            "SELECT count(*) FROM audit_log WHERE entity = 'callback' AND action = 'create' AND detail = 'no_show'"
        ),
        q("SELECT count(*) FROM audit_log WHERE action = 'undo_status'"),
        q("SELECT count(*) FROM consultations"),
        q("SELECT count(*) FROM audit_log WHERE entity = 'callback' AND action IN ('delete', 'withdraw')"),
    )
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
    for i in 0..sessions {
        run_session(0x5EED_0000 + i, steps);
    }
}

#[test]
fn the_model_starts_at_a_known_moment() {
    // The sessions' dates are relative to the fixed clock, never the wall clock.
    assert_eq!(fixed_now(), at(2026, 11, 23, 9, 20));
}
