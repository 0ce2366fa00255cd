//! The model's newer flows, each through real keys on the real `App`, each checking what it
//! expects of its own step (into `Session::expected`; the invariants run after every step):
//! cancel and no-show with their reason step, done then checkout then undo, the patient card
//! and its keys, a save while another process holds the write lock, and walking Today's days.

use chrono::Duration;
use crossterm::event::KeyCode;
use frontdesk::app::card_work::{Undo, next_visit};
use frontdesk::domain::StatusReason;

use super::invariants::{lines, number};
use super::*;

/// Amounts as the desk types them, with what they come to (`None`: refused).
const AMOUNTS: [(&str, Option<i64>); 8] = [
    ("490만원", Some(4_900_000)),
    ("4,900,000", Some(4_900_000)),
    ("49,000", Some(49_000)),
    ("4만 9천원", Some(49_000)),
    // As Today's header writes takings; the reader takes no decimals.
    ("4.9만원", None),
    ("12만", Some(120_000)),
    ("0", None),
    ("오만", None),
];

/// What a reason step ended with: `Some` when the status was written (the reason's code and
/// the note), `None` when nothing was.
type Answered = Result<Option<(String, String)>, Aborted>;

impl Session {
    fn one(&self, sql: &str, p: &[&dyn rusqlite::ToSql]) -> i64 {
        number(self.app.store.conn(), sql, p)
    }

    fn status_of(&self, id: i64) -> String {
        lines(self.app.store.conn(), "SELECT status FROM appointments WHERE id = ?1", &[&id])
            .pop()
            .unwrap_or_default()
    }

    fn expect(&mut self, ok: bool, what: impl FnOnce() -> String) {
        if !ok {
            let w = what();
            self.note(format!("  EXPECTED: {w}"));
            self.expected.push(w);
        }
    }

    fn money_rows(&self) -> (i64, i64) {
        (self.one("SELECT count(*) FROM payments", &[]), self.one("SELECT count(*) FROM packages", &[]))
    }

    fn open_actions(&self, patient: i64) -> Vec<String> {
        lines(
            self.app.store.conn(),
            "SELECT CAST(id AS TEXT) FROM huddle_actions WHERE patient_id = ?1 AND done_at IS NULL ORDER BY id",
            &[&patient],
        )
    }

    /// What the open form says is wrong (for the log).
    fn form_errors(&self) -> String {
        let Some(f) = self.top_form() else { return String::new() };
        let mut out: Vec<String> =
            f.fields.iter().filter_map(|x| x.error.as_ref().map(|e| format!("{}: {e}", x.id))).collect();
        out.extend(f.message.clone());
        out.join("; ")
    }

    /// `.` then `]` or `[` a few times: Today shows the day that many days away (mostly today,
    /// where visits can be marked; else yesterday, the days ahead).
    pub(super) fn walk_day(&mut self) {
        let offset: i64 = *self.rng.pick(&[0, 0, 0, 0, 0, -1, -1, 1, 2, 7, -2]);
        self.ch('.');
        let k = if offset < 0 { '[' } else { ']' };
        for _ in 0..offset.abs() {
            self.ch(k);
        }
        self.note(format!("Today day {offset:+}"));
        let want = self.app.now().date() + Duration::days(offset);
        let shown = self.app.tabs.today.date;
        self.expect(shown == Some(want), || format!("Today shows {shown:?} after walking to {want}"));
    }

    /// The reason step open over Today or the card, if any.
    fn reason_step(&self) -> Option<&Reason> {
        if let Some(card) = &self.app.card {
            return match &card.work.step {
                Some(CardStep::Reason(r)) => Some(r),
                _ => None,
            };
        }
        self.app.tabs.today.reason.as_ref()
    }

    /// Answers the reason step a `c` or `x` opened: a reason by its digit, a note now and then,
    /// Ctrl-S; then the no-show's confirm or "rebook now?" (yes opens the booking). Esc may
    /// come at any point.
    fn answer_reason(&mut self) -> Answered {
        if !matches!(self.reason_step(), Some(Reason::Asking(_))) {
            return Ok(None);
        }
        self.maybe_esc(10)?;
        let i = self.rng.below(StatusReason::ALL.len());
        let reason = StatusReason::ALL[i].code().to_string();
        self.note(format!("  reason {} ({reason})", i + 1));
        self.ch(char::from_digit(i as u32 + 1, 10).unwrap());
        let mut note = String::new();
        if self.rng.chance(40) {
            note = "다음 주에 전화".into();
            self.fill("note", &note)?;
        }
        self.save()?;
        let answer = *self.rng.pick(&['y', 'y', 'n', 'e']);
        match self.reason_step() {
            Some(Reason::ConfirmNoShow { .. }) => {
                self.note(format!("  no-show? {answer}"));
                match answer {
                    'y' => {
                        self.ch('y');
                        Ok(Some((reason, note)))
                    }
                    'n' => {
                        self.ch('n');
                        Ok(None)
                    }
                    _ => {
                        self.press(key(KeyCode::Esc));
                        Err(Aborted)
                    }
                }
            }
            Some(Reason::Rebook { .. }) => {
                self.note(format!("  rebook now? {answer}"));
                match answer {
                    'y' => {
                        self.ch('y');
                        let _ = self.booking();
                    }
                    'n' => self.ch('n'),
                    _ => self.press(key(KeyCode::Esc)),
                }
                Ok(Some((reason, note)))
            }
            Some(Reason::Asking(_)) => {
                self.note("  the reason form stays open");
                self.maybe_esc(100)?;
                Ok(None)
            }
            None => Ok(None),
        }
    }

    /// What the reason step left on the visit: the status with its reason and note when it
    /// was written, else the status it had.
    fn after_reason(&mut self, id: i64, before: &str, to: &str, answered: &Answered) {
        let now = self.status_of(id);
        match answered {
            Ok(Some((reason, note))) => {
                self.expect(now == to, || format!("appointment {id} is {now} after its {to} was saved"));
                let last = lines(
                    self.app.store.conn(),
                    "SELECT to_status || '|' || coalesce(reason, '') || '|' || note FROM appointment_status_changes
                     WHERE appointment_id = ?1 ORDER BY id DESC LIMIT 1",
                    &[&id],
                );
                let want = format!("{to}|{reason}|{note}");
                self.expect(last.first() == Some(&want), || {
                    format!("appointment {id}: last change {last:?}, expected {want}")
                });
            }
            _ => self.expect(now == before, || {
                format!("appointment {id} went from {before} to {now} though its {to} was left")
            }),
        }
    }

    /// `c` (cancel) or `x` (no-show) on Today, on some day, with the reason step.
    pub(super) fn cancel_or_no_show(&mut self) -> Step {
        self.go('1');
        self.walk_day();
        self.moves(4);
        let Some(row) = self.app.tabs.today.selected_row().cloned() else { return Ok(()) };
        let k = *self.rng.pick(&['c', 'c', 'x']);
        let to = if k == 'c' { "cancelled" } else { "no_show" };
        self.note(format!("Today {k} on appointment {} {} ({})", row.id, row.start, row.status.code()));
        let before = self.status_of(row.id);
        self.ch(k);
        let answered = self.answer_reason();
        self.after_reason(row.id, &before, to, &answered);
        answered.map(|_| ())
    }

    /// `d` on Today, the checkout step (a payment, a package, or Esc to skip), the next-visit
    /// offer, and now and then `u` right after (the package session given back).
    pub(super) fn done_and_checkout(&mut self) -> Step {
        self.go('1');
        self.walk_day();
        self.moves(4);
        let Some(row) = self.app.tabs.today.selected_row().cloned() else { return Ok(()) };
        let before = self.status_of(row.id);
        self.note(format!("Today d on appointment {} {} ({before})", row.id, row.start));
        self.ch('d');
        let now = self.status_of(row.id);
        if self.app.tabs.today.checkout.is_none() {
            self.expect(now == before, || {
                format!("appointment {} went {before} -> {now} with no checkout", row.id)
            });
            return Ok(());
        }
        self.expect(now == "done", || format!("the checkout opened but appointment {} is {now}", row.id));
        let money = self.money_rows();
        let paid = self.checkout(row.id);
        if paid.is_err() || self.app.tabs.today.checkout.is_some() {
            let after = self.money_rows();
            self.expect(after == money, || format!("a skipped checkout wrote money: {money:?} -> {after:?}"));
        }
        paid?;
        if self.app.tabs.today.prompt.is_some() {
            let answer = *self.rng.pick(&['y', 'n', 'e']);
            self.note(format!("  book next? {answer}"));
            match answer {
                'y' => self.ch('y'),
                'n' => self.ch('n'),
                _ => self.press(key(KeyCode::Esc)),
            }
            self.booking()?;
        }
        if self.rng.chance(40)
            && self.neutral()
            && self.app.tabs.today.selected_row().map(|r| r.id) == Some(row.id)
        {
            self.note("  u");
            self.ch('u');
            let now = self.status_of(row.id);
            self.expect(now == before, || {
                format!("undo of the done left appointment {} {now}, not {before}", row.id)
            });
            let sessions =
                self.one("SELECT count(*) FROM package_sessions WHERE appointment_id = ?1", &[&row.id]);
            self.expect(sessions == 0, || {
                format!("undo of the done kept appointment {}'s package session", row.id)
            });
        }
        Ok(())
    }

    /// The checkout form just opened: Esc skips it; else an amount, a category (mostly), now
    /// and then sessions (a package sale), Ctrl-S.
    fn checkout(&mut self, appt: i64) -> Step {
        if self.rng.chance(20) {
            self.note("  checkout: Esc skips");
            self.press(key(KeyCode::Esc));
            return Err(Aborted);
        }
        let before = self.money_rows();
        let (amount, value) = *self.rng.pick(&AMOUNTS);
        self.note(format!("  checkout {amount}"));
        self.fill("amount", amount)?;
        let category = self.rng.chance(85);
        if category {
            let c = *self.rng.pick(&['1', '2', '3', '4']);
            self.choose("category", c)?;
        }
        let package = self.rng.chance(20);
        if package {
            let n = *self.rng.pick(&["1", "3", "10"]);
            self.note(format!("  sessions {n}"));
            self.fill("sessions", n)?;
        }
        self.save()?;
        let after = self.money_rows();
        if self.app.tabs.today.checkout.is_some() {
            let why = self.form_errors();
            self.note(format!("  checkout refused ({why}); Esc"));
            self.press(key(KeyCode::Esc));
            return Ok(());
        }
        if package {
            let paid = i64::from(value.is_some_and(|v| v > 0));
            let want = (before.0 + paid, before.1 + 1);
            self.expect(after == want, || {
                format!("a package at checkout: {before:?} -> {after:?}, want {want:?}")
            });
        } else {
            self.expect(value.is_some() && category && after == (before.0 + 1, before.1), || {
                format!("checkout saved {amount} (category {category}): {before:?} -> {after:?}")
            });
            let last = lines(
                self.app.store.conn(),
                "SELECT amount_krw || '|' || coalesce(appointment_id, '-') FROM payments ORDER BY id DESC LIMIT 1",
                &[],
            );
            let want = format!("{}|{appt}", value.unwrap_or(0));
            self.expect(last.first() == Some(&want), || {
                format!("checkout's payment is {last:?}, want {want}")
            });
        }
        Ok(())
    }

    /// Ctrl-F, the patient's name or the last four digits of the phone, Enter: the card.
    /// Returns the patient's id.
    fn open_card(&mut self) -> Result<Option<i64>, Aborted> {
        let tab = *self.rng.pick(&['1', '3', '4']);
        self.go(tab);
        let i = self.rng.below(6);
        let query =
            if self.rng.chance(50) { PHONES[i][PHONES[i].len() - 4..].to_string() } else { NAMES[i].into() };
        self.note(format!("Ctrl-F {query}"));
        self.press(ctrl('f'));
        self.maybe_esc(5)?;
        self.type_text(&query);
        if self.rng.chance(20) {
            self.press(key(KeyCode::Down));
        }
        self.maybe_esc(5)?;
        self.press(key(KeyCode::Enter));
        let id = self.app.card.as_ref().map(|c| c.card.patient.id);
        if id.is_none() {
            self.note("  no card opened");
        }
        Ok(id)
    }

    /// The patient card and a few of its keys, Esc at any step.
    pub(super) fn card(&mut self) -> Step {
        let Some(patient) = self.open_card()? else { return Ok(()) };
        for _ in 0..1 + self.rng.below(4) {
            if self.app.card.is_none() || self.app.booking.is_some() || self.top_form().is_some() {
                break;
            }
            self.card_key(patient)?;
        }
        if self.rng.chance(50) {
            self.press(key(KeyCode::Esc));
        }
        Ok(())
    }

    fn card_key(&mut self, patient: i64) -> Step {
        let k = *self.rng.pick(&['b', 'm', 'c', 'c', 'x', 'x', 'u', 'u', 'w', 'w', 'P', 'r', 'R', 'E']);
        self.note(format!("  card {k}"));
        match k {
            'E' => {
                self.press(key(KeyCode::Esc));
                Err(Aborted)
            }
            'b' | 'm' => {
                self.ch(k);
                self.booking()
            }
            'c' => {
                let today = self.app.now().date();
                let next =
                    self.app.card.as_ref().and_then(|c| next_visit(&c.card.visits, today)).map(|a| a.id);
                let before = next.map(|id| self.status_of(id)).unwrap_or_default();
                self.ch('c');
                let answered = self.answer_reason();
                if let Some(id) = next {
                    self.after_reason(id, &before, "cancelled", &answered);
                }
                answered.map(|_| ())
            }
            'x' => {
                let open = self.open_actions(patient);
                self.ch('x');
                if matches!(
                    self.app.card.as_ref().and_then(|c| c.work.step.as_ref()),
                    Some(CardStep::PickAction)
                ) {
                    self.maybe_esc(10)?;
                    let n = 1 + self.rng.below(open.len());
                    self.note(format!("  action {n}"));
                    self.ch(char::from_digit(n as u32, 10).unwrap());
                }
                let after = self.open_actions(patient);
                self.expect(
                    after.iter().all(|a| open.contains(a))
                        && after.len() + usize::from(!open.is_empty()) == open.len(),
                    || format!("x on the card: open actions {open:?} -> {after:?}"),
                );
                Ok(())
            }
            'u' => {
                let last = self.app.card.as_ref().and_then(|c| c.work.undo.last().cloned());
                let changes = self.one("SELECT changes FROM integrity WHERE id = 1", &[]);
                self.ch('u');
                match last {
                    Some(Undo::Ticked(a)) => {
                        let open = self.open_actions(patient).contains(&a.to_string());
                        self.expect(open, || format!("u on the card left action {a} ticked"));
                    }
                    Some(Undo::Cancelled(id)) => {
                        let now = self.status_of(id);
                        self.expect(now != "cancelled", || {
                            format!("u on the card left appointment {id} cancelled")
                        });
                    }
                    None => {
                        let after = self.one("SELECT changes FROM integrity WHERE id = 1", &[]);
                        self.expect(after == changes, || "u with nothing to undo on the card wrote".into());
                    }
                }
                Ok(())
            }
            _ => self.card_money(k),
        }
    }

    /// `w` payment, `P` package, `r` refund, `R` correction on the card: typed, saved (or
    /// refused and closed).
    fn card_money(&mut self, k: char) -> Step {
        let before = self.money_rows();
        self.ch(k);
        if self.app.card.as_ref().is_none_or(|c| c.money.pay.is_none()) {
            return Ok(());
        }
        match k {
            'w' => {
                let (amount, _) = *self.rng.pick(&AMOUNTS);
                self.note(format!("  amount {amount}"));
                self.fill("amount", amount)?;
                if self.rng.chance(85) {
                    let c = *self.rng.pick(&['1', '2', '3', '4']);
                    self.choose("category", c)?;
                }
            }
            'P' => {
                let n = *self.rng.pick(&["1", "2", "3", "10"]);
                let (amount, _) = *self.rng.pick(&AMOUNTS);
                self.note(format!("  package {n} for {amount}"));
                self.fill("sessions", n)?;
                self.fill("amount", amount)?;
                if self
                    .top_form()
                    .is_some_and(|f| f.fields.iter().any(|x| x.id == "treatment" && x.raw().is_empty()))
                {
                    // No visit to fill the treatment in from: 추나, the first.
                    self.choose("treatment", '1')?;
                }
            }
            _ => {
                if k == 'R' || self.rng.chance(40) {
                    let a = *self.rng.pick(&["-5,000", "5,000", "1만", "-999만", "999만"]);
                    self.note(format!("  amount {a}"));
                    self.fill("amount", a)?;
                }
                if self.rng.chance(85) {
                    self.fill("reason", "중복 결제")?;
                }
            }
        }
        self.save()?;
        let after = self.money_rows();
        if self.app.card.as_ref().is_some_and(|c| c.money.pay.is_some()) {
            self.expect(after == before, || format!("a refused money form wrote: {before:?} -> {after:?}"));
            let why = self.form_errors();
            self.note(format!("  refused ({why}); Esc"));
            return self.maybe_esc(100);
        }
        let ok = match k {
            'P' => after.1 == before.1 + 1 && after.0 - before.0 <= 1,
            _ => after == (before.0 + 1, before.1),
        };
        self.expect(ok, || format!("card {k} saved: {before:?} -> {after:?}"));
        if matches!(k, 'r' | 'R') {
            let fixed = self.one(
                "SELECT corrects_id IS NOT NULL AND reason <> '' FROM payments ORDER BY id DESC LIMIT 1",
                &[],
            );
            self.expect(fixed == 1, || "a refund or correction without its payment and reason".into());
        }
        Ok(())
    }

    /// A form typed, then saved while another process holds the write lock: nothing is
    /// written, the form stays open with what was typed; then the lock goes and the tick
    /// saves it (or the desk leaves it).
    pub(super) fn save_under_lock(&mut self) -> Step {
        match self.rng.below(4) {
            0 => {
                self.note("Lock: a payment on the card");
                if self.open_card()?.is_none() {
                    return Ok(());
                }
                self.ch('w');
                self.fill("amount", "490만원")?;
                self.choose("category", '2')?;
            }
            1 => {
                self.note("Lock: checkout");
                self.go('1');
                self.ch('.');
                self.moves(4);
                self.ch('d');
                if self.app.tabs.today.checkout.is_none() {
                    return Ok(());
                }
                self.fill("amount", "12만")?;
                self.choose("category", '1')?;
            }
            2 => {
                self.note("Lock: a cancel's reason");
                self.go('1');
                self.walk_day();
                self.moves(4);
                self.ch('c');
                if !matches!(self.reason_step(), Some(Reason::Asking(_))) {
                    return Ok(());
                }
                self.ch('3');
                self.fill("note", "비용 문의")?;
            }
            _ => {
                self.note("Lock: a new booking");
                self.go('1');
                self.ch('n');
                let n = *self.rng.pick(&NAMES);
                self.fill("name", n)?;
                let p = *self.rng.pick(&PHONES);
                self.fill("phone", p)?;
                let t = *self.rng.pick(&TIMES);
                self.fill("time", t)?;
            }
        }
        let Some(form) = self.top_form() else { return Ok(()) };
        let typed: Vec<(&str, String)> = form.fields.iter().map(|f| (f.id, f.raw())).collect();
        let title = form.title.clone();
        let changes = self.one("SELECT changes FROM integrity WHERE id = 1", &[]);
        let lock = rusqlite::Connection::open(&self.path).unwrap();
        lock.execute_batch("BEGIN IMMEDIATE").unwrap();
        // The wait before the form says it is waiting, shortened so the model stays quick.
        self.app.store.set_busy_timeout(std::time::Duration::from_millis(20)).unwrap();
        self.note("  another process holds the write lock: Ctrl-S");
        self.press(ctrl('s'));
        let busy = frontdesk::store::StoreError::Busy.to_string();
        let promised =
            format!("{:?}{:?}", self.app.notice, self.top_form().map(|f| &f.message)).contains(&busy);
        let written = self.one("SELECT changes FROM integrity WHERE id = 1", &[]);
        self.expect(written == changes, || {
            format!("a save under the lock wrote ({changes} -> {written} changes)")
        });
        let kept = self
            .top_form()
            .map(|f| (f.title.clone(), f.fields.iter().map(|f| (f.id, f.raw())).collect::<Vec<_>>()));
        self.expect(kept.as_ref().is_some_and(|(t, v)| *t == title && *v == typed), || {
            format!("under the lock the form {title:?} {typed:?} became {kept:?}")
        });
        lock.execute_batch("ROLLBACK").unwrap();
        drop(lock);
        self.app.store.set_busy_timeout(frontdesk::app::INTERACTIVE_BUSY_TIMEOUT).unwrap();
        if self.rng.chance(60) {
            self.note("  the lock is gone: tick");
            self.app.on_tick();
            // The busy words promise the save happens by itself once the lock is gone.
            let waiting = self.top_form().is_some_and(|f| f.title == title);
            let saved = self.one("SELECT changes FROM integrity WHERE id = 1", &[]) != changes;
            self.expect(!waiting || saved || !self.app.waiting_to_save() && !promised, || {
                format!("{title:?} said it would save by itself, but after the lock went it still waits")
            });
        } else {
            self.note("  the lock is gone: Esc");
            self.maybe_esc(100)?;
        }
        Ok(())
    }
}
