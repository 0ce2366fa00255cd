//! Cancel and no-show ask once (issue 19): `c` asks a reason (a pick list and an optional
//! note), marks the visit cancelled, then asks "rebook now?" (yes opens the booking with the
//! visit's patient, 원장 and treatment); `x` asks a reason, then confirms before marking the
//! no-show. Esc at any step changes nothing; `u` undoes the change as any other.

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::{TodayTab, refusal};
use crate::app::form::{Choice, Field, Form, FormEvent};
use crate::app::kit::confirm::{self, Answer, ConfirmBox};
use crate::app::{BookingRequest, Ctx, Outcome, View};
use crate::desk::appointments::{Marked, Visit};
use crate::desk::{self, DeskError, Why};
use crate::domain::schedule::can_change;
use crate::domain::{AppointmentStatus, Lang, StatusReason};
use crate::store::appointments::DayRow;

pub const FORM_ID: &str = "status_reason";

/// Where the cancel or no-show question stands.
#[derive(Debug, Clone)]
pub enum Reason {
    /// The reason form is open.
    Asking { to: AppointmentStatus, row: DayRow, form: Form },
    /// The no-show with its reason, waiting for yes.
    ConfirmNoShow { row: DayRow, reason: StatusReason, note: String },
    /// Cancelled: rebook now?
    Rebook { row: DayRow, request: BookingRequest },
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
        // A visit on another day than today (from the card, or a day stepped to) names its day.
        let when = if row.start.date() == ctx.today() { "%H:%M" } else { "%m-%d %H:%M" };
        let when = row.start.format(when);
        let title = match (to, lang) {
            (AppointmentStatus::Cancelled, Lang::Ko) => format!("예약 취소 - {} {when}", row.name),
            (AppointmentStatus::Cancelled, Lang::En) => format!("Cancel - {} {when}", row.name),
            (_, Lang::Ko) => format!("부도 - {} {when}", row.name),
            (_, Lang::En) => format!("No-show - {} {when}", row.name),
        };
        let choices = StatusReason::ALL.iter().map(|r| Choice::new(r.code(), r.label(lang))).collect();
        let form = Form::new(FORM_ID, title, lang, ctx.today())
            .field(Field::pick("reason", lang.pick("사유", "Reason"), choices).required())
            .field(Field::text("note", lang.pick("메모", "Note")));
        Ok(Reason::Asking { to, row, form })
    }

    /// One key: the step that follows (`None` when the question is over) and what it did.
    pub fn on_key(self, key: &KeyEvent, ctx: &mut Ctx<'_>) -> (Option<Reason>, Outcome) {
        let mut next = None;
        let outcome = self.step(key, ctx, &mut next);
        (next, outcome)
    }

    fn step(self, key: &KeyEvent, ctx: &mut Ctx<'_>, next: &mut Option<Reason>) -> Outcome {
        let lang = ctx.lang;
        let today: NaiveDate = ctx.today();
        match self {
            Reason::Asking { to, row, mut form } => {
                // A short question: Esc leaves it at once, changing nothing (no discard prompt).
                form.dirty = false;
                let event = form.handle_key(key);
                match event {
                    FormEvent::Cancel => Outcome::Handled,
                    FormEvent::Submit => {
                        let reason = form.picked("reason").and_then(|r| StatusReason::parse(&r));
                        let Some(reason) = reason else {
                            *next = Some(Reason::Asking { to, row, form });
                            return Outcome::Handled;
                        };
                        let note = form.text("note");
                        if to == AppointmentStatus::NoShow {
                            *next = Some(Reason::ConfirmNoShow { row, reason, note });
                            return Outcome::Handled;
                        }
                        match desk::booking::mark_with_reason(
                            ctx.store,
                            visit(&row),
                            to,
                            today,
                            reason,
                            &note,
                        ) {
                            Ok(_) => {
                                let request = match desk::booking::rebook_request(&*ctx.store, row.id) {
                                    Ok(p) => BookingRequest {
                                        patient_id: Some(p.patient_id),
                                        provider_id: p.provider_id,
                                        treatment_code: p.treatment_code,
                                        ..Default::default()
                                    },
                                    Err(_) => BookingRequest {
                                        patient_id: Some(row.patient_id),
                                        ..Default::default()
                                    },
                                };
                                *next = Some(Reason::Rebook { row, request });
                                Outcome::Changed
                            }
                            // Another terminal holds the lock: the question stays as typed.
                            Err(e) if e.is_busy() => {
                                let said = e.words(lang);
                                *next = Some(Reason::Asking { to, row, form });
                                Outcome::Error(said)
                            }
                            Err(e) => Outcome::Error(refusal(&e, &row, to, lang)),
                        }
                    }
                    _ => {
                        *next = Some(Reason::Asking { to, row, form });
                        Outcome::Handled
                    }
                }
            }
            Reason::ConfirmNoShow { row, reason, note } => match confirm::answer(key) {
                Some(Answer::Yes) => {
                    let to = AppointmentStatus::NoShow;
                    match desk::booking::mark_with_reason(ctx.store, visit(&row), to, today, reason, &note) {
                        Ok(Marked::NoShow) => Outcome::Message(
                            lang.pick(
                                "부도 처리. 재예약 리콜을 오늘 할 일에 넣었습니다 (u 되돌리기)",
                                "No-show. A rebooking callback is due today (u undoes)",
                            )
                            .into(),
                        ),
                        Ok(_) => Outcome::Changed,
                        Err(e) => Outcome::Error(refusal(&e, &row, to, lang)),
                    }
                }
                Some(Answer::No) => Outcome::Handled,
                None => {
                    *next = Some(Reason::ConfirmNoShow { row, reason, note });
                    Outcome::Handled
                }
            },
            Reason::Rebook { row, request } => match confirm::answer(key) {
                Some(Answer::Yes) => Outcome::Book(request),
                Some(Answer::No) => Outcome::Message(match lang {
                    Lang::Ko => format!("{} 예약을 취소했습니다 (u 되돌리기)", row.name),
                    Lang::En => format!("{}'s appointment cancelled (u undoes)", row.name),
                }),
                None => {
                    *next = Some(Reason::Rebook { row, request });
                    Outcome::Handled
                }
            },
        }
    }

    /// Where the caret is, while the reason form is open.
    pub fn caret(&self) -> Option<(u16, u16)> {
        match self {
            Reason::Asking { form, .. } => form.caret(),
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
        Reason::Asking { form, .. } => form.render(area, buf, view.theme),
        Reason::ConfirmNoShow { row, reason, .. } => ConfirmBox::new(
            lang.pick("부도", "No-show"),
            match lang {
                Lang::Ko => format!(
                    "{} {} 부도로 표시할까요? (사유: {})",
                    row.name,
                    row.start.format("%H:%M"),
                    reason.label(lang)
                ),
                Lang::En => format!(
                    "Mark {} {} a no-show? (reason: {})",
                    row.name,
                    row.start.format("%H:%M"),
                    reason.label(lang)
                ),
            },
            lang.pick("부도 처리", "mark it"),
            lang.pick("그만두기", "leave it"),
        )
        .render(area, buf, view.theme),
        Reason::Rebook { row, .. } => ConfirmBox::new(
            lang.pick("재예약", "Rebook"),
            match lang {
                Lang::Ko => format!("{} 예약을 취소했습니다. 지금 다시 잡을까요?", row.name),
                Lang::En => format!("{}'s appointment is cancelled. Rebook now?", row.name),
            },
            lang.pick("예약하기", "book"),
            lang.pick("나중에", "not now"),
        )
        .render(area, buf, view.theme),
    }
}
