//! Checkout (수납) after `d` (done): one optional payment step before the "book the next
//! visit?" offer: the money form of `app::pay_form` (shared with the patient card) with the
//! visit's treatment and provider prefilled; a number of sessions sells a package instead.
//! Esc skips the step and nothing is recorded.

use serde::{Deserialize, Serialize};

use super::*;
use crate::app::form::spec::Submitted;
use crate::app::pay_form;

/// The payment form of a visit just marked done (a typed form: saved as a draft, so quitting
/// with it half typed keeps it for next time).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckoutForm {
    pub appointment_id: i64,
    pub patient_id: i64,
}

/// The open checkout step and what follows it once it closes.
#[derive(Debug, Clone)]
pub struct Checkout {
    pub open: OpenForm,
    /// The offer to book the next visit, asked after the payment step.
    then_prompt: Option<Prompt>,
    /// What the done said (e.g. "next visit booked ~"), said again when the step closes.
    then_message: Option<String>,
}

impl std::ops::Deref for Checkout {
    type Target = OpenForm;
    fn deref(&self) -> &OpenForm {
        &self.open
    }
}

/// A checkout restored from its draft: what followed the done is not asked again.
impl From<OpenForm> for Checkout {
    fn from(open: OpenForm) -> Checkout {
        Checkout { open, then_prompt: None, then_message: None }
    }
}

impl Checkout {
    /// The checkout of the visit in `row`, just marked done.
    pub fn new(row: &DayRow, ctx: &Ctx<'_>) -> store::Result<Checkout> {
        let spec = CheckoutForm { appointment_id: row.id, patient_id: row.patient_id };
        Ok(Checkout::from(OpenForm::open(spec, ctx)?))
    }
}

impl DeskForm for CheckoutForm {
    const ID: &'static str = "today_checkout";

    /// The amount, the category, the visit's treatment and provider prefilled, the sessions
    /// of a package.
    fn build(&self, ctx: &Ctx<'_>) -> store::Result<Form> {
        let lang = ctx.lang;
        let visit = appointments::get_appointment(&*ctx.store, self.appointment_id)?;
        let name = store::patients::get_patient(&*ctx.store, self.patient_id)?.name;
        let name = if ctx.mask { mask_name(&name) } else { name };
        let prefill = pay_form::Prefill {
            treatment_code: visit.treatment_code.clone(),
            provider_id: visit.provider_id,
            appointment_id: Some(self.appointment_id),
        };
        let title = format!("{} - {name}", lang.pick("수납", "Payment"));
        let mut form = pay_form::money_form(Self::ID, title, ctx, &prefill, pay_form::Sessions::Optional);
        form.aside = vec![
            lang.pick(
                "Esc: 건너뛰기 (기록 안 함)   Ctrl+S: 저장",
                "Esc: skip (records nothing)   Ctrl+S: save",
            )
            .into(),
        ];
        form.focus_on("amount");
        Ok(form)
    }

    /// Records the payment, or sells a package when a number of sessions is given (the money
    /// form's one save, shared with the card).
    fn submit(&mut self, form: &mut Form, ctx: &mut Ctx<'_>) -> Submitted {
        match pay_form::save(form, ctx, self.patient_id, Some(self.appointment_id)) {
            Some(saved) => Submitted::Close(Outcome::Message(saved.words(ctx.lang))),
            None => Submitted::Stay(Outcome::Handled),
        }
    }
}

impl TodayTab {
    /// Opens the checkout step after a done: the next-visit offer (or the done's message)
    /// waits until the step closes.
    pub(super) fn start_checkout(&mut self, row: &DayRow, done: Outcome, ctx: &mut Ctx<'_>) -> Outcome {
        let mut c = match Checkout::new(row, ctx) {
            Ok(c) => c,
            // The visit or its patient vanished under the done: the done stands, no payment step.
            Err(_) => return done,
        };
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
        match c.open.on_key(key, ctx) {
            Step::Open(effect) => effect,
            Step::Closed(Outcome::Message(said)) => self.finish_checkout(Some(said)),
            Step::Closed(_) => self.finish_checkout(None),
        }
    }
}

/// Draws the checkout step over the list.
pub(super) fn render_checkout(tab: &TodayTab, area: Rect, buf: &mut Buffer, view: &View<'_>) {
    if let Some(c) = &tab.checkout {
        c.form.render(area, buf, view.theme);
    }
}
