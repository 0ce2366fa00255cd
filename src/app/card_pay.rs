//! Money from the patient card (issue 21): `w` records a payment and `P` sells a package (the
//! money form of `pay_form`, shared with checkout, the treatment and provider of the last visit
//! prefilled), `r` refunds and `R` corrects a payment: each a new row with a negative (or, for
//! a correction, any) amount and its reason (`desk::payments::{refund, correct}`), never an
//! edit. Esc closes a form untouched (asks first once something was typed); a refusal keeps
//! the form open with what was typed. Each is a typed form (`DeskForm`): a half-typed one is
//! kept as a draft and reopens over the patient's card (`registry`, `Home::Card`).

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::Ctx;
use super::form::spec::{DeskForm, OpenForm, Submitted};
use super::form::{Choice, Field, Form};
use super::layers::Effect;
use super::pay_form::{self, Prefill, Sessions};
use crate::desk::{self, DeskError};
use crate::domain::text::format_won;
use crate::domain::{AppointmentStatus, Lang};
use crate::store::card::PatientCard;
use crate::store::payments::Payment;
use crate::store::{self, StoreError};

pub const FORM_PAYMENT: &str = "card_payment";
pub const FORM_PACKAGE: &str = "card_package";
pub const FORM_REFUND: &str = "card_refund";
pub const FORM_CORRECT: &str = "card_correct";

/// Which money form is open on the card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayKind {
    Payment,
    Package,
    Refund,
    Correct,
}

impl PayKind {
    /// The form's id (what its draft is saved under).
    pub const fn form_id(self) -> &'static str {
        match self {
            PayKind::Payment => FORM_PAYMENT,
            PayKind::Package => FORM_PACKAGE,
            PayKind::Refund => FORM_REFUND,
            PayKind::Correct => FORM_CORRECT,
        }
    }
}

/// What a money form on the card is about: the patient, and the visit a payment is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardPay {
    pub patient_id: i64,
    #[serde(default)]
    pub appointment_id: Option<i64>,
}

/// One typed form per money form of the card (the kind fixes the id its drafts carry).
macro_rules! money_form {
    ($(#[$doc:meta])* $name:ident, $kind:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        pub struct $name(pub CardPay);

        impl DeskForm for $name {
            const ID: &'static str = $kind.form_id();
            fn build(&self, ctx: &Ctx<'_>) -> store::Result<Form> {
                self.0.build($kind, ctx)
            }
            fn on_change(&mut self, form: &mut Form, field: &'static str, ctx: &mut Ctx<'_>) {
                self.0.on_change($kind, form, field, ctx)
            }
            fn submit(&mut self, form: &mut Form, ctx: &mut Ctx<'_>) -> Submitted {
                self.0.submit($kind, form, ctx)
            }
        }
    };
}

money_form!(
    /// `w`: a payment.
    PaymentForm,
    PayKind::Payment
);
money_form!(
    /// `P`: a package sale with its payment.
    PackageForm,
    PayKind::Package
);
money_form!(
    /// `r`: a refund (a new row).
    RefundForm,
    PayKind::Refund
);
money_form!(
    /// `R`: a correction (a new row).
    CorrectForm,
    PayKind::Correct
);

/// The visit a payment from the card is for: the latest kept (done or arrived) visit up to
/// today, else the latest one up to today that was not cancelled or missed.
pub fn last_visit(card: &PatientCard, now: NaiveDateTime) -> Prefill {
    let today = now.date();
    let past = || card.visits.iter().filter(|a| a.start.date() <= today);
    let kept = past()
        .filter(|a| matches!(a.status, AppointmentStatus::Done | AppointmentStatus::Arrived))
        .max_by_key(|a| a.start);
    let any = past()
        .filter(|a| !matches!(a.status, AppointmentStatus::Cancelled | AppointmentStatus::NoShow))
        .max_by_key(|a| a.start);
    match kept.or(any) {
        Some(a) => Prefill {
            treatment_code: a.treatment_code.clone(),
            provider_id: a.provider_id,
            // Linked to the visit when it is today's and kept (what checkout would link).
            appointment_id: (a.start.date() == today
                && matches!(a.status, AppointmentStatus::Done | AppointmentStatus::Arrived))
            .then_some(a.id),
        },
        None => Prefill::default(),
    }
}

/// What is left of each original payment after its refunds and corrections, newest first.
fn nets(payments: &[Payment]) -> Vec<(i64, i64)> {
    payments
        .iter()
        .filter(|p| p.corrects_id.is_none())
        .map(|p| {
            let net = p.amount_krw
                + payments.iter().filter(|c| c.corrects_id == Some(p.id)).map(|c| c.amount_krw).sum::<i64>();
            (p.id, net)
        })
        .collect()
}

fn payment_choice(p: &Payment, net: i64, view_lang: Lang, ctx: &Ctx<'_>) -> Choice {
    let t =
        p.treatment_code.as_deref().map(|c| ctx.catalog.treatment_label(c, view_lang)).unwrap_or_default();
    let left = if net != p.amount_krw {
        format!(" ({} {})", view_lang.pick("남은", "left"), format_won(net))
    } else {
        String::new()
    };
    Choice::new(
        p.id.to_string(),
        format!(
            "{} {} {} {t}{left}",
            p.paid_at.format("%m-%d"),
            format_won(p.amount_krw),
            p.category.label(view_lang)
        ),
    )
}

impl CardPay {
    /// Opens a money form of `kind` over the card. `Err`: the words to say when there is
    /// nothing to refund or correct.
    pub fn open(
        ctx: &Ctx<'_>,
        card: &PatientCard,
        payments: &[Payment],
        kind: PayKind,
    ) -> Result<OpenForm, String> {
        let patient_id = card.patient.id;
        let spec = CardPay { patient_id, appointment_id: last_visit(card, ctx.now).appointment_id };
        let form = match kind {
            PayKind::Payment | PayKind::Package => money(ctx, card, kind),
            PayKind::Refund | PayKind::Correct => fix(ctx, payments, kind)?,
        };
        Ok(match kind {
            PayKind::Payment => OpenForm::with(PaymentForm(spec), form),
            PayKind::Package => OpenForm::with(PackageForm(spec), form),
            PayKind::Refund => OpenForm::with(RefundForm(spec), form),
            PayKind::Correct => OpenForm::with(CorrectForm(spec), form),
        })
    }

    /// The form again from the store (a draft restored).
    fn build(&self, kind: PayKind, ctx: &Ctx<'_>) -> store::Result<Form> {
        match kind {
            PayKind::Payment | PayKind::Package => {
                let card = store::card::load_card(&*ctx.store, self.patient_id)?;
                Ok(money(ctx, &card, kind))
            }
            PayKind::Refund | PayKind::Correct => {
                let payments = store::payments::for_patient(&*ctx.store, self.patient_id)?;
                fix(ctx, &payments, kind).map_err(StoreError::Invalid)
            }
        }
    }

    /// The refund offers what is left of the payment picked.
    fn on_change(&mut self, kind: PayKind, form: &mut Form, field: &'static str, ctx: &mut Ctx<'_>) {
        if kind != PayKind::Refund || field != "payment" {
            return;
        }
        let picked = form.picked("payment").and_then(|p| p.parse::<i64>().ok());
        let payments = store::payments::for_patient(&*ctx.store, self.patient_id).unwrap_or_default();
        if let Some((_, net)) = nets(&payments).iter().find(|(id, _)| Some(*id) == picked) {
            form.get_mut("amount").set_value(format_won(*net));
        }
    }

    fn submit(&mut self, kind: PayKind, form: &mut Form, ctx: &mut Ctx<'_>) -> Submitted {
        let lang = ctx.lang;
        match kind {
            PayKind::Payment | PayKind::Package => {
                match pay_form::save(form, ctx, self.patient_id, self.appointment_id) {
                    Some(saved) => Submitted::Close(Effect::Message(saved.words(lang))),
                    None => Submitted::Stay(Effect::Handled),
                }
            }
            PayKind::Refund | PayKind::Correct => {
                let Some(payment_id) = form.picked("payment").and_then(|p| p.parse::<i64>().ok()) else {
                    form.set_error("payment", lang.pick("수납을 고르세요", "pick a payment"));
                    return Submitted::Stay(Effect::Handled);
                };
                let amount = form.text("amount");
                let reason = form.text("reason");
                let refund = kind == PayKind::Refund;
                let r = if refund {
                    desk::payments::refund(ctx.store, payment_id, &amount, &reason, ctx.now)
                } else {
                    desk::payments::correct(ctx.store, payment_id, &amount, &reason, ctx.now)
                };
                match r {
                    Ok(_) => Submitted::Close(Effect::Message(match (refund, lang) {
                        (true, Lang::Ko) => format!("환불 {amount} 기록 (사유: {reason})"),
                        (true, Lang::En) => format!("Refund of {amount} recorded (reason: {reason})"),
                        (false, Lang::Ko) => format!("정정 {amount} 기록 (사유: {reason})"),
                        (false, Lang::En) => format!("Correction of {amount} recorded (reason: {reason})"),
                    })),
                    Err(DeskError::Field { field, why }) => {
                        form.set_error(field, why.words(lang));
                        Submitted::Stay(Effect::Handled)
                    }
                    Err(e) => {
                        form.message = Some(e.words(lang));
                        Submitted::Stay(Effect::Handled)
                    }
                }
            }
        }
    }
}

/// `w` / `P`: the money form, the last visit's treatment and provider filled in.
fn money(ctx: &Ctx<'_>, card: &PatientCard, kind: PayKind) -> Form {
    let lang = ctx.lang;
    let name =
        if ctx.mask { crate::domain::mask::mask_name(&card.patient.name) } else { card.patient.name.clone() };
    let prefill = last_visit(card, ctx.now);
    let (title, sessions) = match kind {
        PayKind::Package => (lang.pick("패키지 판매", "Sell a package"), Sessions::Required),
        _ => (lang.pick("수납", "Payment"), Sessions::Optional),
    };
    let mut form = pay_form::money_form(kind.form_id(), format!("{title} - {name}"), ctx, &prefill, sessions);
    form.aside = vec![
        lang.pick("Esc: 닫기 (기록 안 함)   Ctrl+S: 저장", "Esc: close (records nothing)   Ctrl+S: save")
            .into(),
    ];
    form
}

/// `r` / `R`: a refund or a correction of one of `payments` (the newest picked). `Err`: the
/// words to say when there is nothing to refund or correct.
fn fix(ctx: &Ctx<'_>, payments: &[Payment], kind: PayKind) -> Result<Form, String> {
    let lang = ctx.lang;
    let refund = kind == PayKind::Refund;
    let nets: Vec<(i64, i64)> = nets(payments).into_iter().filter(|(_, net)| !refund || *net > 0).collect();
    if nets.is_empty() {
        return Err(if refund {
            lang.pick("환불할 수납이 없습니다", "No payment to refund").into()
        } else {
            lang.pick("정정할 수납이 없습니다", "No payment to correct").into()
        });
    }
    let choices: Vec<Choice> = nets
        .iter()
        .filter_map(|(id, net)| {
            payments.iter().find(|p| p.id == *id).map(|p| payment_choice(p, *net, lang, ctx))
        })
        .collect();
    let first = nets[0];
    let (title, amount) = if refund {
        (
            lang.pick("환불 (새 줄로 기록)", "Refund (recorded as a new row)"),
            Field::amount("amount", lang.pick("환불 금액", "Refund"))
                .value(format_won(first.1))
                .required()
                .hint(lang.pick("예: 49,000 (남은 금액까지)", "e.g. 49,000 (up to what is left)")),
        )
    } else {
        (
            lang.pick("수납 정정 (새 줄로 기록)", "Correct a payment (recorded as a new row)"),
            Field::text("amount", lang.pick("정정 금액", "Correction"))
                .required()
                .hint(lang.pick("-5,000 빼기, 5,000 더하기", "-5,000 takes off, 5,000 adds")),
        )
    };
    let mut form = Form::new(kind.form_id(), title, lang, ctx.today())
        .field(
            Field::pick("payment", lang.pick("수납", "Payment"), choices)
                .selected(&first.0.to_string())
                .required(),
        )
        .field(amount)
        .field(
            Field::text("reason", lang.pick("사유", "Reason"))
                .required()
                .hint(lang.pick("예: 중복 결제, 금액 잘못 입력", "e.g. charged twice, wrong amount")),
        );
    form.aside = vec![
        lang.pick(
            "수납은 고치지 않고 새 줄을 더합니다. Esc: 닫기   Ctrl+S: 저장",
            "A payment is never edited: a new row is added. Esc: close   Ctrl+S: save",
        )
        .into(),
    ];
    form.focus_on("amount");
    Ok(form)
}
