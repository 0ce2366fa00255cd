//! Cancel and no-show ask once (issue 19): `c` asks a reason (a pick list and an optional
//! note), marks the visit cancelled, then asks "rebook now?" (yes opens the booking with the
//! visit's patient, 원장 and treatment); `x` asks a reason, then confirms before marking the
//! no-show. Esc at any step changes nothing; `u` undoes the change as any other.

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use serde::{Deserialize, Serialize};

use super::{TodayTab, refusal};
use crate::app::form::spec::{DeskForm, OpenForm, Step, Submitted};
use crate::app::form::{Choice, Field, Form};
use crate::app::kit::confirm::{self, Answer, ConfirmBox};
use crate::app::{BookingRequest, Ctx, Outcome, View};
use crate::desk::appointments::{Marked, Visit};
use crate::desk::{self, DeskError, Why};
use crate::domain::schedule::can_change;
use crate::domain::{AppointmentStatus, Lang, StatusReason};
use crate::store::appointments::DayRow;

/// Where the cancel or no-show question stands.
#[derive(Debug, Clone)]
pub enum Reason {
    /// The reason form is open.
    Asking(OpenForm),
    /// The no-show with its reason, waiting for yes.
    ConfirmNoShow { row: DayRow, reason: StatusReason, note: String },
    /// Cancelled: rebook now?
    Rebook { row: DayRow, request: BookingRequest },
}

/// The reason asked before a cancel or a no-show (a typed form; not saved as a draft, as it
/// is one short question that Esc leaves at once).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReasonForm {
    pub appointment_id: i64,
    /// The visit's day (its row is read from that day's list).
    pub day: NaiveDate,
    /// `cancelled` or `no_show`.
    pub to: String,
    #[serde(skip)]
    row: Option<DayRow>,
    /// What comes after the form closes (the no-show's confirm, the rebook offer).
    #[serde(skip)]
    then: Option<Reason>,
}

impl ReasonForm {
    fn status(&self) -> AppointmentStatus {
        AppointmentStatus::parse(&self.to).unwrap_or(AppointmentStatus::Cancelled)
    }

    fn row(&self, ctx: &Ctx<'_>) -> crate::store::Result<DayRow> {
        if let Some(r) = &self.row {
            return Ok(r.clone());
        }
        crate::store::appointments::day_list(&*ctx.store, self.day)?
            .into_iter()
            .find(|r| r.id == self.appointment_id)
            .ok_or_else(|| crate::store::StoreError::NotFound(format!("appointment {}", self.appointment_id)))
    }
}

impl DeskForm for ReasonForm {
    const ID: &'static str = "status_reason";

    fn build(&self, ctx: &Ctx<'_>) -> crate::store::Result<Form> {
        let lang = ctx.lang;
        let row = self.row(ctx)?;
        // A visit on another day than today (from the card, or a day stepped to) names its day.
        let when = if row.start.date() == ctx.today() { "%H:%M" } else { "%m-%d %H:%M" };
        let when = row.start.format(when);
        let title = match (self.status(), lang) {
            (AppointmentStatus::Cancelled, Lang::Ko) => format!("예약 취소 - {} {when}", row.name),
            (AppointmentStatus::Cancelled, Lang::En) => format!("Cancel - {} {when}", row.name),
            (_, Lang::Ko) => format!("부도 - {} {when}", row.name),
            (_, Lang::En) => format!("No-show - {} {when}", row.name),
        };
        let choices = StatusReason::ALL.iter().map(|r| Choice::new(r.code(), r.label(lang))).collect();
        Ok(Form::new(Self::ID, title, lang, ctx.today())
            .field(Field::pick("reason", lang.pick("사유", "Reason"), choices).required())
            .field(Field::text("note", lang.pick("메모", "Note"))))
    }

    fn restored(&mut self, _form: &mut Form, ctx: &mut Ctx<'_>) {
        self.row = self.row(ctx).ok();
    }

    /// A cancel is marked at once and offers to rebook; a no-show asks to confirm first.
    fn submit(&mut self, form: &mut Form, ctx: &mut Ctx<'_>) -> Submitted {
        let lang = ctx.lang;
        let Some(reason) = form.picked("reason").and_then(|r| StatusReason::parse(&r)) else {
            return Submitted::Stay(Outcome::Handled);
        };
        let row = match self.row(ctx) {
            Ok(r) => r,
            Err(e) => return Submitted::Close(Outcome::Error(e.to_string())),
        };
        let note = form.text("note");
        let to = self.status();
        if to == AppointmentStatus::NoShow {
            self.then = Some(Reason::ConfirmNoShow { row, reason, note });
            return Submitted::Close(Outcome::Handled);
        }
        match desk::booking::mark_with_reason(ctx.store, visit(&row), to, ctx.today(), reason, &note) {
            Ok(_) => {
                let request = match desk::booking::rebook_request(&*ctx.store, row.id) {
                    Ok(p) => BookingRequest {
                        patient_id: Some(p.patient_id),
                        provider_id: p.provider_id,
                        treatment_code: p.treatment_code,
                        duration_min: p.duration_min,
                        ..Default::default()
                    },
                    Err(_) => BookingRequest {
                        patient_id: Some(row.patient_id),
                        duration_min: Some(row.duration_min),
                        ..Default::default()
                    },
                };
                self.then = Some(Reason::Rebook { row, request });
                Submitted::Close(Outcome::Changed)
            }
            // Another terminal holds the lock: the question stays as typed.
            Err(e) if e.is_busy() => Submitted::Stay(Outcome::Error(e.words(lang))),
            Err(e) => Submitted::Close(Outcome::Error(refusal(&e, &row, to, lang))),
        }
    }
}

fn visit(row: &DayRow) -> Visit<'_> {
    Visit {
        id: row.id,
        patient_id: row.patient_id,
        start: row.start,
        treatment_code: row.treatment_code.as_deref(),
    }
}

impl TodayTab {
    /// `c` or `x` on a row: refuses at once what cannot change, else asks the reason.
    pub(super) fn ask_reason(&mut self, to: AppointmentStatus, row: DayRow, ctx: &Ctx<'_>) -> Outcome {
        match Reason::ask(to, row, ctx) {
            Ok(step) => {
                self.reason = Some(step);
                Outcome::Handled
            }
            Err(refused) => Outcome::Error(refused),
        }
    }

    /// Keys while a reason step is open; `None` when none is.
    pub(super) fn reason_key(&mut self, key: &KeyEvent, ctx: &mut Ctx<'_>) -> Option<Outcome> {
        let step = self.reason.take()?;
        let (next, outcome) = step.on_key(key, ctx);
        self.reason = next;
        Some(outcome)
    }

    pub(super) fn reason_caret(&self) -> Option<(u16, u16)> {
        self.reason.as_ref().and_then(Reason::caret)
    }
}

/// The step itself, also asked from the patient card (its next visit's cancel).
impl Reason {
    /// Refuses at once what cannot change (the footer's error words), else the reason form.
    pub fn ask(to: AppointmentStatus, row: DayRow, ctx: &Ctx<'_>) -> Result<Reason, String> {
        let lang = ctx.lang;
        if !can_change(row.status, to) {
            return Err(refusal(&DeskError::Refused(Why::Conflict(String::new())), &row, to, lang));
        }
        if to == AppointmentStatus::NoShow && row.start.date() > ctx.today() {
            return Err(refusal(&DeskError::Refused(Why::NotYet), &row, to, lang));
        }
        let spec = ReasonForm {
            appointment_id: row.id,
            day: row.start.date(),
            to: to.code().to_string(),
            row: Some(row),
            then: None,
        };
        OpenForm::open(spec, ctx).map(Reason::Asking).map_err(|e| e.to_string())
    }

    /// The visit asked about while the reason form is open.
    pub fn asking_for(&self) -> Option<i64> {
        match self {
            Reason::Asking(open) => open.spec::<ReasonForm>().map(|s| s.appointment_id),
            _ => None,
        }
    }

    /// One key: the step that follows (`None` when the question is over) and what it did.
    pub fn on_key(self, key: &KeyEvent, ctx: &mut Ctx<'_>) -> (Option<Reason>, Outcome) {
        let lang = ctx.lang;
        let today: NaiveDate = ctx.today();
        match self {
            Reason::Asking(mut open) => {
                // A short question: Esc leaves it at once, changing nothing (no discard prompt).
                open.form.dirty = false;
                match open.on_key(key, ctx) {
                    Step::Open(effect) => (Some(Reason::Asking(open)), effect),
                    Step::Closed(effect) => (open.spec::<ReasonForm>().and_then(|s| s.then.clone()), effect),
                }
            }
            Reason::ConfirmNoShow { row, reason, note } => match confirm::answer(key) {
                Some(Answer::Yes) => {
                    let to = AppointmentStatus::NoShow;
                    let said = match desk::booking::mark_with_reason(
                        ctx.store,
                        visit(&row),
                        to,
                        today,
                        reason,
                        &note,
                    ) {
                        Ok(Marked::NoShow) => Outcome::Message(
                            lang.pick(
                                "부도 처리. 재예약 리콜을 오늘 할 일에 넣었습니다 (u 되돌리기)",
                                "No-show. A rebooking callback is due today (u undoes)",
                            )
                            .into(),
                        ),
                        Ok(_) => Outcome::Changed,
                        Err(e) => Outcome::Error(refusal(&e, &row, to, lang)),
                    };
                    (None, said)
                }
                Some(Answer::No) => (None, Outcome::Handled),
                None => (Some(Reason::ConfirmNoShow { row, reason, note }), Outcome::Handled),
            },
            Reason::Rebook { row, request } => match confirm::answer(key) {
                Some(Answer::Yes) => (None, Outcome::Book(request)),
                Some(Answer::No) => (
                    None,
                    Outcome::Message(match lang {
                        Lang::Ko => format!("{} 예약을 취소했습니다 (u 되돌리기)", row.name),
                        Lang::En => format!("{}'s appointment cancelled (u undoes)", row.name),
                    }),
                ),
                None => (Some(Reason::Rebook { row, request }), Outcome::Handled),
            },
        }
    }

    /// Where the caret is, while the reason form is open.
    pub fn caret(&self) -> Option<(u16, u16)> {
        match self {
            Reason::Asking(open) => open.form.caret(),
            _ => None,
        }
    }
}

/// Draws the open reason step over the list.
pub(super) fn render_reason(tab: &TodayTab, area: Rect, buf: &mut Buffer, view: &View<'_>) {
    if let Some(step) = &tab.reason {
        render_step(step, area, buf, view);
    }
}

/// Draws a reason step (the form, the no-show confirm, "rebook now?").
pub fn render_step(step: &Reason, area: Rect, buf: &mut Buffer, view: &View<'_>) {
    let lang = view.lang;
    match step {
        Reason::Asking(open) => open.form.render(area, buf, view.theme),
        Reason::ConfirmNoShow { row, reason, .. } => {
            let (name, at, why) = (&row.name, row.start.format("%H:%M"), reason.label(lang));
            let question = match lang {
                Lang::Ko => format!("{name} {at} 부도로 표시할까요? (사유: {why})"),
                Lang::En => format!("Mark {name} {at} a no-show? (reason: {why})"),
            };
            let (yes, no) = (lang.pick("부도 처리", "mark it"), lang.pick("그만두기", "leave it"));
            ConfirmBox::new(lang.pick("부도", "No-show"), question, yes, no).render(area, buf, view.theme)
        }
        Reason::Rebook { row, .. } => {
            let question = match lang {
                Lang::Ko => format!("{} 예약을 취소했습니다. 지금 다시 잡을까요?", row.name),
                Lang::En => format!("{}'s appointment is cancelled. Rebook now?", row.name),
            };
            let (yes, no) = (lang.pick("예약하기", "book"), lang.pick("나중에", "not now"));
            ConfirmBox::new(lang.pick("재예약", "Rebook"), question, yes, no).render(area, buf, view.theme)
        }
    }
}
