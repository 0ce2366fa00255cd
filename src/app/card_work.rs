//! The patient card as a place to work from (issue 19 item 5): the next visit moved or
//! cancelled (Today's reason step, then "rebook now?"), a post-it note, the stickers and a
//! complaint (Today's typed forms, `tabs::today::forms`), name and phone corrected (audited,
//! `card_identity`), the open huddle actions ticked off, and `u` taking back the card's own
//! last cancel or tick. Every key is in the keymap (`Context::Card`).

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::card::CardView;
use super::card_pay::PayKind;
use super::form::Form;
use super::form::spec::{OpenForm, Step as FormStep};
use super::keymap::{Command, Context};
use super::layers::Effect;
use super::tabs::today::reasons::{self, Reason};
use super::tabs::today::{ComplaintForm, NoteForm, StickersForm};
use super::{BookingRequest, Ctx, View};
use crate::desk;
use crate::domain::mask::mask_name;
use crate::domain::{AppointmentStatus, CallbackKind, Lang};
use crate::store::appointments::{Appointment, DayRow};
use crate::store::huddle::HuddleAction;
use crate::store::{self, Db};

/// The card's open huddle actions, what is open over the card, and what `u` takes back.
#[derive(Debug, Clone, Default)]
pub struct CardWork {
    /// The patient's huddle actions not yet ticked off, oldest first.
    pub actions: Vec<HuddleAction>,
    pub step: Option<Step>,
    /// The card's own changes, last on top: `u` takes back the last.
    pub undo: Vec<Undo>,
}

/// What is open over the card.
#[derive(Debug, Clone)]
pub enum Step {
    /// A typed form: a chart form (note, stickers, complaint) or name and phone
    /// (card_identity.rs). Its draft reopens over the card.
    Form(OpenForm),
    /// Cancelling the next visit: the reason, then "rebook now?" (boxed: the largest step).
    Reason(Box<Reason>),
    /// `x` with several open actions: which one (its number).
    PickAction,
}

/// A change the card made, for `u`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Undo {
    /// The next visit cancelled: undone as Today undoes a status.
    Cancelled(i64),
    /// A huddle action ticked off: opened again.
    Ticked(i64),
}

impl CardWork {
    /// Reads the patient's open huddle actions (what else is open stays).
    pub fn load(&mut self, db: &impl Db, patient_id: i64) -> store::Result<()> {
        self.actions = store::huddle::open_actions_for(db, patient_id)?;
        Ok(())
    }
}

/// The patient's next visit: the earliest still booked from `today` on (a late one of today
/// included, so it can still be moved or cancelled).
pub fn next_visit(visits: &[Appointment], today: NaiveDate) -> Option<&Appointment> {
    visits
        .iter()
        .filter(|a| a.status == AppointmentStatus::Booked && a.start.date() >= today)
        .min_by_key(|a| a.start)
}

impl CardView {
    /// Reads the card again (after a change here or in another terminal); not an opening,
    /// so it records nothing.
    pub fn refresh(&mut self, db: &impl Db, today: NaiveDate) {
        let id = self.card.patient.id;
        if let Ok(fresh) = store::card::load_card(db, id) {
            self.card = fresh;
        }
        // The money section read again, its open form (what is being typed) kept.
        if let Ok(mut money) = super::card_money::CardMoney::load(db, id, today) {
            money.pay = self.money.pay.take();
            self.money = money;
        }
        let _ = self.work.load(db, id);
    }

    /// Keys while a step is open over the card; `None` when none is.
    pub(super) fn step_key(&mut self, key: &KeyEvent, ctx: &mut Ctx<'_>) -> Option<Effect> {
        let step = self.work.step.take()?;
        let lang = ctx.lang;
        Some(match step {
            Step::Form(mut open) => match open.on_key(key, ctx) {
                FormStep::Closed(Effect::Message(said)) => self.changed(ctx, said),
                FormStep::Closed(effect) => effect,
                FormStep::Open(effect) => {
                    self.work.step = Some(Step::Form(open));
                    effect
                }
            },
            Step::Reason(reason) => {
                let asking = reason.asking_for();
                let (next, outcome) = (*reason).on_key(key, ctx);
                // The cancel is written when the reason is saved and "rebook now?" follows.
                if let (Some(id), Some(Reason::Rebook { .. })) = (asking, &next) {
                    self.work.undo.push(Undo::Cancelled(id));
                    self.refresh(&*ctx.store, ctx.today());
                }
                self.work.step = next.map(|r| Step::Reason(Box::new(r)));
                match outcome {
                    Effect::Message(m) if self.work.step.is_none() => Effect::Message(match lang {
                        Lang::Ko => m.replace("(u 되돌리기)", "(u 되돌리기: 카드 또는 차트 리뷰)"),
                        Lang::En => m.replace("(u undoes)", "(u undoes, here or on Today)"),
                    }),
                    other => other,
                }
            }
            Step::PickAction => match key.code {
                KeyCode::Char(c) if c.is_ascii_digit() => {
                    let n = c.to_digit(10).unwrap_or(0) as usize;
                    match n.checked_sub(1).and_then(|i| self.work.actions.get(i)).map(|a| a.id) {
                        Some(id) => self.tick(id, ctx),
                        None => {
                            self.work.step = Some(Step::PickAction);
                            Effect::Handled
                        }
                    }
                }
                _ => Effect::Message(lang.pick("아무것도 바꾸지 않았습니다", "Nothing changed").into()),
            },
        })
    }

    /// A command of the card's keymap; `None` for the keys it leaves to the card itself.
    pub(super) fn work_command(&mut self, command: Command, ctx: &mut Ctx<'_>) -> Option<Effect> {
        let lang = ctx.lang;
        let p = &self.card.patient;
        let id = p.id;
        let next = next_visit(&self.card.visits, ctx.today()).cloned();
        Some(match command {
            Command::Move => match next {
                Some(a) => Effect::Book(BookingRequest {
                    patient_id: Some(id),
                    provider_id: a.provider_id,
                    treatment_code: a.treatment_code.clone(),
                    date: Some(a.start.date()),
                    appointment_id: Some(a.id),
                    ..Default::default()
                }),
                None => no_next_visit(lang),
            },
            Command::Cancel => match next {
                Some(a) => {
                    let row = self.day_row(&a, ctx.mask);
                    match Reason::ask(AppointmentStatus::Cancelled, row, ctx) {
                        Ok(step) => {
                            self.work.step = Some(Step::Reason(Box::new(step)));
                            Effect::Handled
                        }
                        Err(refused) => Effect::Error(refused),
                    }
                }
                None => no_next_visit(lang),
            },
            Command::Note | Command::Sticker | Command::Complaint => {
                let opened = match command {
                    Command::Note => OpenForm::open(NoteForm { patient_id: id }, ctx),
                    Command::Sticker => OpenForm::open(StickersForm { patient_id: id }, ctx),
                    _ => OpenForm::open(ComplaintForm { patient_id: id }, ctx),
                };
                match opened {
                    Ok(open) => {
                        self.work.step = Some(Step::Form(open));
                        Effect::Handled
                    }
                    Err(e) => Effect::Error(e.to_string()),
                }
            }
            Command::Edit => match OpenForm::open(super::card_identity::IdentityForm::new(id), ctx) {
                Ok(open) => {
                    self.work.step = Some(Step::Form(open));
                    Effect::Handled
                }
                Err(e) => Effect::Error(e.to_string()),
            },
            Command::TickAction => match self.work.actions.len() {
                0 => Effect::Message(
                    lang.pick("완료할 회의 조치가 없습니다", "No open huddle action for this patient").into(),
                ),
                1 => self.tick(self.work.actions[0].id, ctx),
                n => {
                    self.work.step = Some(Step::PickAction);
                    Effect::Message(match lang {
                        Lang::Ko => {
                            format!("완료할 조치 번호를 누르세요 (1-{}, 다른 키는 그만두기)", n.min(9))
                        }
                        Lang::En => {
                            format!("Which action? Press its number (1-{}; any other key leaves)", n.min(9))
                        }
                    })
                }
            },
            Command::Undo => self.undo(ctx),
            _ => return None,
        })
    }

    /// Ticks an action off (audited); `u` opens it again.
    fn tick(&mut self, action_id: i64, ctx: &mut Ctx<'_>) -> Effect {
        let lang = ctx.lang;
        let text = self.work.actions.iter().find(|a| a.id == action_id).map(|a| a.action.clone());
        match desk::huddle::tick_action(ctx.store, action_id) {
            Ok(()) => {
                self.work.undo.push(Undo::Ticked(action_id));
                let text = ctx_free(ctx, &text.unwrap_or_default());
                self.changed(
                    ctx,
                    match lang {
                        Lang::Ko => format!("조치 완료: {text} (u 되돌리기)"),
                        Lang::En => format!("Action ticked off: {text} (u undoes)"),
                    },
                )
            }
            Err(e) => Effect::Error(e.words(lang)),
        }
    }

    /// Takes back the card's last cancel or tick.
    fn undo(&mut self, ctx: &mut Ctx<'_>) -> Effect {
        let lang = ctx.lang;
        let Some(last) = self.work.undo.pop() else {
            return Effect::Message(
                lang.pick(
                    "이 카드에서 되돌릴 것이 없습니다 (예약 상태는 차트 리뷰의 u)",
                    "Nothing done on this card to undo (a visit's status: u on Today)",
                )
                .into(),
            );
        };
        let result = match &last {
            Undo::Cancelled(id) => desk::appointments::undo(ctx.store, *id).map(|r| {
                r.map(|(from, _)| match lang {
                    Lang::Ko => format!("예약 취소를 되돌렸습니다 ({})", from.label(lang)),
                    Lang::En => {
                        format!("Cancellation undone: the visit is {} again", from.label(lang).to_lowercase())
                    }
                })
                .unwrap_or_else(|| {
                    lang.pick("되돌릴 상태 변경이 없습니다", "No status change to undo").into()
                })
            }),
            Undo::Ticked(id) => desk::huddle::untick_action(ctx.store, *id)
                .map(|()| lang.pick("조치를 다시 열었습니다", "Action open again").to_string()),
        };
        match result {
            Ok(said) => self.changed(ctx, said),
            // Not taken back (another terminal holds the lock): `u` again later.
            Err(e) => {
                self.work.undo.push(last);
                Effect::Error(e.words(lang))
            }
        }
    }

    /// After a write from the card (a step's form, a money form, a sticker suggestion, the
    /// texts consent): read the whole card again and say what was done. The one reload path of
    /// the card's own writes.
    pub(super) fn changed(&mut self, ctx: &mut Ctx<'_>, said: String) -> Effect {
        self.refresh(&*ctx.store, ctx.today());
        Effect::Message(said)
    }

    /// The next visit as Today's row (what the reason step reads).
    fn day_row(&self, a: &Appointment, mask: bool) -> DayRow {
        let p = &self.card.patient;
        DayRow {
            id: a.id,
            start: a.start,
            duration_min: a.duration_min,
            status: a.status,
            confirmed: a.confirmed_at.is_some(),
            provider_id: a.provider_id,
            treatment_code: a.treatment_code.clone(),
            patient_id: p.id,
            chart_no: p.chart_no.clone(),
            name: if mask { mask_name(&p.name) } else { p.name.clone() },
            phone: p.phone.clone(),
            birth_date: p.birth_date,
            sex: p.sex,
            tags: self.card.tags.clone(),
            open_complaint: false,
            callback_due: false,
            first_visit: false,
            referred: 0,
            huddle_action: !self.work.actions.is_empty(),
            note: String::new(),
        }
    }

    /// The keymap contexts of the footer: the form's while a step is open.
    pub(super) fn work_contexts(&self) -> Vec<Context> {
        match self.work.step {
            Some(_) => vec![Context::Form],
            None => vec![Context::Card],
        }
    }

    /// The form open over the card, if any: a step's or the money section's (the quit
    /// question names it when changed; its draft is saved as it changes).
    pub fn step_form(&self) -> Option<&Form> {
        match &self.work.step {
            Some(Step::Form(open)) => Some(&open.form),
            _ => self.money.pay.as_ref().map(|p| &p.form),
        }
    }

    /// Puts a form restored from its draft over the card: a money form in the money section,
    /// any other (chart forms, name and phone) as the card's step.
    pub fn install_form(&mut self, open: OpenForm) {
        let money = [PayKind::Payment, PayKind::Package, PayKind::Refund, PayKind::Correct];
        if money.iter().any(|k| k.form_id() == open.id()) {
            self.money.pay = Some(open);
        } else {
            self.work.step = Some(Step::Form(open));
        }
    }

    pub(super) fn work_cursor(&self) -> Option<(u16, u16)> {
        match &self.work.step {
            Some(Step::Form(open)) => open.form.caret(),
            Some(Step::Reason(r)) => r.caret(),
            _ => None,
        }
    }

    /// Draws the open step over the card.
    pub(super) fn render_step(&self, area: Rect, buf: &mut Buffer, view: &View<'_>) {
        match &self.work.step {
            Some(Step::Form(open)) => open.form.render(area, buf, view.theme),
            Some(Step::Reason(r)) => reasons::render_step(r, area, buf, view),
            _ => {}
        }
    }

    /// The card's "to do" lines: the next visit, the open huddle actions (numbered for `x`),
    /// the open callbacks with their due day and reason.
    pub(super) fn work_lines(&self, view: &View<'_>) -> Vec<Line<'static>> {
        let lang = view.lang;
        let theme = view.theme;
        let mut out =
            vec![Line::from(""), Line::from(Span::styled(lang.pick("할 일", "To do"), theme.title))];
        match next_visit(&self.card.visits, view.now.date()) {
            Some(a) => {
                let t = view.treatment(a.treatment_code.as_deref());
                let who = view.staff(a.provider_id);
                out.push(Line::from(format!(
                    "{} {}  {t}  {who}  ({})",
                    lang.pick("다음 예약", "Next visit"),
                    a.start.format("%Y-%m-%d %H:%M"),
                    lang.pick("m 옮기기, c 취소", "m moves, c cancels")
                )));
            }
            None => out.push(Line::from(Span::styled(
                lang.pick("다음 예약 없음 (b 예약)", "No next visit booked (b books)"),
                theme.dim,
            ))),
        }
        let n = self.work.actions.len();
        out.push(Line::from(match lang {
            Lang::Ko => format!("회의 조치 ({n}){}", if n > 0 { " - x 완료" } else { "" }),
            Lang::En => format!("Huddle actions ({n}){}", if n > 0 { " - x ticks off" } else { "" }),
        }));
        for (i, a) in self.work.actions.iter().enumerate() {
            let owner =
                if a.owner.is_empty() { String::new() } else { format!(" ({})", view.free(&a.owner)) };
            out.push(Line::from(vec![
                Span::styled(format!("  {}. ", i + 1), theme.warn),
                Span::raw(format!("{}{owner}", view.free(&a.action))),
            ]));
        }
        let open: Vec<_> = self.card.callbacks.iter().filter(|c| c.open).collect();
        out.push(Line::from(format!("{} ({})", lang.pick("진행 중 리콜", "Open callbacks"), open.len())));
        for k in open {
            let kind = CallbackKind::parse(&k.kind).map(|s| s.label(lang)).unwrap_or(&k.kind).to_string();
            let note = if k.note.is_empty() { String::new() } else { format!(" - {}", view.free(&k.note)) };
            let due = if k.due_on.as_str() <= view.now.date().to_string().as_str() {
                theme.warn
            } else {
                theme.base
            };
            out.push(Line::from(Span::styled(
                format!("  {} {} {kind}{note}", lang.pick("기한", "due"), k.due_on),
                due,
            )));
        }
        out
    }
}

fn no_next_visit(lang: Lang) -> Effect {
    Effect::Message(lang.pick("다음 예약이 없습니다 (b 예약)", "No next visit booked (b books one)").into())
}

/// Free text as the screen shows it (masked names and phones on a masked screen).
fn ctx_free(ctx: &Ctx<'_>, text: &str) -> String {
    if ctx.mask { crate::domain::mask::mask_text(text, &Default::default()) } else { text.to_string() }
}
