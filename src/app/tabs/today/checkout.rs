//! Checkout (수납) after `d` (done): one optional payment step before the "book the next
//! visit?" offer. The amount (`4,900,000`, `490만`, `490만원`), the category (1 급여, 2 비급여,
//! 3 자보, 4 기타), the visit's treatment and provider prefilled; a number of sessions sells a
//! package instead (its price is the amount). Esc skips the step and nothing is recorded.

use serde::{Deserialize, Serialize};

use super::*;
use crate::app::form::spec::Submitted;
use crate::desk::packages::PackageForm;
use crate::domain::payments::PaymentCategory;

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
        let categories = PaymentCategory::ALL.iter().map(|c| Choice::new(c.code(), c.label(lang))).collect();
        let providers: Vec<Choice> = ctx
            .catalog
            .providers()
            .filter(|s| s.active || Some(s.id) == visit.provider_id)
            .map(|s| Choice::new(s.id.to_string(), &s.name))
            .collect();
        let treatments = crate::app::kit::choices::treatments(ctx.catalog, lang);
        let mut form =
            Form::new(Self::ID, format!("{} - {name}", lang.pick("수납", "Payment")), lang, ctx.today())
                .field(
                    Field::amount("amount", lang.pick("금액", "Amount"))
                        .required()
                        .hint(lang.pick("예: 49,000 또는 4.9만원", "e.g. 49,000 or 4.9만원")),
                )
                .field(
                    Field::pick("category", lang.pick("구분", "Category"), categories).required().hint(
                        lang.pick("1 급여 2 비급여 3 자보 4 기타", "1 covered 2 non-cov. 3 car 4 other"),
                    ),
                )
                .field(Field::pick("treatment", lang.pick("치료", "Treatment"), treatments))
                .field(Field::pick("provider", lang.pick("원장", "Provider"), providers))
                .field(Field::number("sessions", lang.pick("패키지(회)", "Package")).hint(lang.pick(
                    "패키지 판매 시 횟수 (비우면 수납만)",
                    "sessions when selling a package (blank: payment only)",
                )));
        if let Some(t) = &visit.treatment_code {
            form.get_mut("treatment").select(t);
        }
        if let Some(p) = visit.provider_id {
            form.get_mut("provider").select(&p.to_string());
        }
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

    /// Records the payment, or sells a package when a number of sessions is given.
    fn submit(&mut self, form: &mut Form, ctx: &mut Ctx<'_>) -> Submitted {
        let lang = ctx.lang;
        let amount = form.text("amount");
        let category = form.picked("category").and_then(|s| PaymentCategory::parse(&s));
        let treatment = form.picked("treatment");
        let provider = form.picked("provider").and_then(|p| p.parse().ok());
        let sessions = form.text("sessions");
        let result = if sessions.trim().is_empty() {
            let mut p = match desk::payments::form_for_visit(&*ctx.store, self.appointment_id, ctx.now) {
                Ok(p) => p,
                Err(e) => {
                    form.message = Some(e.words(lang));
                    return Submitted::Stay(Outcome::Handled);
                }
            };
            p.amount = amount.clone();
            p.category = category;
            p.treatment_code = treatment;
            p.provider_id = provider;
            desk::payments::record_payment(ctx.store, &p).map(|_| None)
        } else {
            let Some(category) = category else {
                form.set_error("category", lang.pick("구분을 고르세요 (1-4)", "pick a category (1-4)"));
                return Submitted::Stay(Outcome::Handled);
            };
            let p = PackageForm {
                treatment_code: treatment,
                sessions: sessions.clone(),
                price: amount.clone(),
                provider_id: provider,
                category,
                ..PackageForm::new(self.patient_id, ctx.now)
            };
            desk::packages::sell_package(ctx.store, &p).map(|_| Some(sessions.trim().to_string()))
        };
        match result {
            Ok(package) => Submitted::Close(Outcome::Message(match (package, lang) {
                (None, Lang::Ko) => format!("수납 {amount}"),
                (None, Lang::En) => format!("Paid {amount}"),
                (Some(n), Lang::Ko) => format!("패키지 {n}회 판매 {amount}"),
                (Some(n), Lang::En) => format!("Package of {n} sold for {amount}"),
            })),
            Err(DeskError::Field { field, why }) => {
                form.set_error(field, why.words(lang));
                Submitted::Stay(Outcome::Handled)
            }
            Err(e) => {
                form.message = Some(e.words(lang));
                Submitted::Stay(Outcome::Handled)
            }
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
