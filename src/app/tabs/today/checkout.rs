//! Checkout (수납) after `d` (done): one optional payment step before the "book the next
//! visit?" offer: the money form of `app::pay_form` (shared with the patient card) with the
//! visit's treatment and provider prefilled; a number of sessions sells a package instead.
//! Esc skips the step and nothing is recorded.

use super::*;
use crate::app::pay_form;

pub const FORM_ID: &str = "today_checkout";

/// The open checkout step and what follows it once it closes.
#[derive(Debug, Clone)]
pub struct Checkout {
    pub form: Form,
    pub appointment_id: i64,
    pub patient_id: i64,
    /// The offer to book the next visit, asked after the payment step.
    then_prompt: Option<Prompt>,
    /// What the done said (e.g. "next visit booked ~"), said again when the step closes.
    then_message: Option<String>,
}

impl Checkout {
    /// The checkout of the visit in `row`, just marked done.
    pub fn new(row: &DayRow, ctx: &Ctx<'_>) -> Checkout {
        let lang = ctx.lang;
        let name = if ctx.mask { mask_name(&row.name) } else { row.name.clone() };
        let prefill = pay_form::Prefill {
            treatment_code: row.treatment_code.clone(),
            provider_id: row.provider_id,
            appointment_id: Some(row.id),
        };
        let title = format!("{} - {name}", lang.pick("수납", "Payment"));
        let mut form = pay_form::money_form(FORM_ID, title, ctx, &prefill, pay_form::Sessions::Optional);
        form.aside = vec![
            lang.pick(
                "Esc: 건너뛰기 (기록 안 함)   Ctrl+S: 저장",
                "Esc: skip (records nothing)   Ctrl+S: save",
            )
            .into(),
        ];
        form.focus_on("amount");
        Checkout {
            form,
            appointment_id: row.id,
            patient_id: row.patient_id,
            then_prompt: None,
            then_message: None,
        }
    }
}

impl TodayTab {
    /// Opens the checkout step after a done: the next-visit offer (or the done's message)
    /// waits until the step closes.
    pub(super) fn start_checkout(&mut self, row: &DayRow, done: Outcome, ctx: &mut Ctx<'_>) -> Outcome {
        let mut c = Checkout::new(row, ctx);
        c.then_prompt = self.prompt.take();
        if let Outcome::Message(m) = done {
            c.then_message = Some(m);
        }
        self.checkout = Some(c);
        Outcome::Changed
    }

    /// The step closed (saved or skipped): the offer to book the next visit comes now.
    fn finish_checkout(&mut self, said: Option<String>) -> Outcome {
        let Some(c) = self.checkout.take() else { return Outcome::Handled };
        self.prompt = c.then_prompt;
        let msg = match (said, c.then_message) {
            (Some(a), Some(b)) => Some(format!("{a}. {b}")),
            (a, b) => a.or(b),
        };
        match msg {
            Some(m) => Outcome::Message(m),
            None => Outcome::Changed,
        }
    }

    pub(super) fn checkout_key(&mut self, key: &KeyEvent, ctx: &mut Ctx<'_>) -> Outcome {
        let Some(c) = &mut self.checkout else { return Outcome::Ignored };
        // Esc skips the step at once, typed or not: the step is optional and nothing is saved.
        if key.code == KeyCode::Esc && key.modifiers.is_empty() {
            return self.finish_checkout(None);
        }
        match c.form.handle_key(key) {
            FormEvent::Submit => self.save_checkout(ctx),
            FormEvent::Cancel => self.finish_checkout(None),
            _ => Outcome::Handled,
        }
    }

    fn save_checkout(&mut self, ctx: &mut Ctx<'_>) -> Outcome {
        let lang = ctx.lang;
        let Some(c) = &mut self.checkout else { return Outcome::Handled };
        match pay_form::save(&mut c.form, ctx, c.patient_id, Some(c.appointment_id)) {
            Some(saved) => self.finish_checkout(Some(saved.words(lang))),
            None => Outcome::Handled,
        }
    }
}

/// Draws the checkout step over the list.
pub(super) fn render_checkout(tab: &TodayTab, area: Rect, buf: &mut Buffer, view: &View<'_>) {
    if let Some(c) = &tab.checkout {
        c.form.render(area, buf, view.theme);
    }
}
