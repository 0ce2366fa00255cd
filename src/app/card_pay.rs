//! Money from the patient card (issue 21): `w` records a payment and `P` sells a package (the
//! money form of `pay_form`, shared with checkout, the treatment and provider of the last visit
//! prefilled), `r` refunds and `R` corrects a payment: each a new row with a negative (or, for
//! a correction, any) amount and its reason (`desk::payments::{refund, correct}`), never an
//! edit. Esc closes a form untouched (asks first once something was typed); a refusal keeps
//! the form open with what was typed.

use chrono::NaiveDateTime;
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::form::{Choice, Field, Form, FormEvent};
use super::layers::Effect;
use super::pay_form::{self, Prefill, Sessions};
use super::{Ctx, View};
use crate::desk::{self, DeskError};
use crate::domain::text::format_won;
use crate::domain::{AppointmentStatus, Lang};
use crate::store::card::PatientCard;
use crate::store::payments::Payment;

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

/// An open money form on the card.
#[derive(Debug, Clone)]
pub struct CardPay {
    pub kind: PayKind,
    pub form: Form,
    patient_id: i64,
    appointment_id: Option<i64>,
    /// What is left of each payment that can be refunded or corrected (id, net).
    nets: Vec<(i64, i64)>,
}

/// What a key did to the open form.
pub enum PayStep {
    /// The form stays open.
    Open(Effect),
    /// The form closed (saved, or left): the card says this.
    Closed(Effect),
}

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
    /// `w`: a payment, the last visit's treatment and provider filled in.
    pub fn payment(ctx: &Ctx<'_>, card: &PatientCard) -> CardPay {
        Self::money(ctx, card, PayKind::Payment)
    }

    /// `P`: a package sale with its payment, the last visit's treatment and provider filled in.
    pub fn package(ctx: &Ctx<'_>, card: &PatientCard) -> CardPay {
        Self::money(ctx, card, PayKind::Package)
    }

    fn money(ctx: &Ctx<'_>, card: &PatientCard, kind: PayKind) -> CardPay {
        let lang = ctx.lang;
        let name = if ctx.mask {
            crate::domain::mask::mask_name(&card.patient.name)
        } else {
            card.patient.name.clone()
        };
        let prefill = last_visit(card, ctx.now);
        let (id, title, sessions) = match kind {
            PayKind::Package => {
                (FORM_PACKAGE, lang.pick("패키지 판매", "Sell a package"), Sessions::Required)
            }
            _ => (FORM_PAYMENT, lang.pick("수납", "Payment"), Sessions::Optional),
        };
        let mut form = pay_form::money_form(id, format!("{title} - {name}"), ctx, &prefill, sessions);
        form.aside = vec![
            lang.pick("Esc: 닫기 (기록 안 함)   Ctrl+S: 저장", "Esc: close (records nothing)   Ctrl+S: save")
                .into(),
        ];
        CardPay {
            kind,
            form,
            patient_id: card.patient.id,
            appointment_id: prefill.appointment_id,
            nets: Vec::new(),
        }
    }

    /// `r` / `R`: a refund or a correction of one of `payments` (the newest picked). `Err`: the
    /// words to say when there is nothing to refund or correct.
    pub fn fix(
        ctx: &Ctx<'_>,
        patient_id: i64,
        payments: &[Payment],
        kind: PayKind,
    ) -> Result<CardPay, String> {
        let lang = ctx.lang;
        let refund = kind == PayKind::Refund;
        let nets: Vec<(i64, i64)> =
            nets(payments).into_iter().filter(|(_, net)| !refund || *net > 0).collect();
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
        let (id, title, amount) = if refund {
            (
                FORM_REFUND,
                lang.pick("환불 (새 줄로 기록)", "Refund (recorded as a new row)"),
                Field::amount("amount", lang.pick("환불 금액", "Refund"))
                    .value(format_won(first.1))
                    .required()
                    .hint(lang.pick("예: 49,000 (남은 금액까지)", "e.g. 49,000 (up to what is left)")),
            )
        } else {
            (
                FORM_CORRECT,
                lang.pick("수납 정정 (새 줄로 기록)", "Correct a payment (recorded as a new row)"),
                Field::text("amount", lang.pick("정정 금액", "Correction"))
                    .required()
                    .hint(lang.pick("-5,000 빼기, 5,000 더하기", "-5,000 takes off, 5,000 adds")),
            )
        };
        let mut form = Form::new(id, title, lang, ctx.today())
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
        Ok(CardPay { kind, form, patient_id, appointment_id: None, nets })
    }

    pub fn on_key(&mut self, key: &KeyEvent, ctx: &mut Ctx<'_>) -> PayStep {
        match self.form.handle_key(key) {
            FormEvent::Submit => self.save(ctx),
            FormEvent::Cancel => PayStep::Closed(Effect::Handled),
            FormEvent::Changed("payment") if self.kind == PayKind::Refund => {
                // The refund offers what is left of the payment picked.
                let picked = self.form.picked("payment").and_then(|p| p.parse::<i64>().ok());
                if let Some((_, net)) = self.nets.iter().find(|(id, _)| Some(*id) == picked) {
                    self.form.get_mut("amount").set_value(format_won(*net));
                }
                PayStep::Open(Effect::Handled)
            }
            _ => PayStep::Open(Effect::Handled),
        }
    }

    fn save(&mut self, ctx: &mut Ctx<'_>) -> PayStep {
        let lang = ctx.lang;
        match self.kind {
            PayKind::Payment | PayKind::Package => {
                match pay_form::save(&mut self.form, ctx, self.patient_id, self.appointment_id) {
                    Some(saved) => PayStep::Closed(Effect::Message(saved.words(lang))),
                    None => PayStep::Open(Effect::Handled),
                }
            }
            PayKind::Refund | PayKind::Correct => {
                let Some(payment_id) = self.form.picked("payment").and_then(|p| p.parse::<i64>().ok()) else {
                    self.form.set_error("payment", lang.pick("수납을 고르세요", "pick a payment"));
                    return PayStep::Open(Effect::Handled);
                };
                let amount = self.form.text("amount");
                let reason = self.form.text("reason");
                let refund = self.kind == PayKind::Refund;
                let r = if refund {
                    desk::payments::refund(ctx.store, payment_id, &amount, &reason, ctx.now)
                } else {
                    desk::payments::correct(ctx.store, payment_id, &amount, &reason, ctx.now)
                };
                match r {
                    Ok(_) => PayStep::Closed(Effect::Message(match (refund, lang) {
                        (true, Lang::Ko) => format!("환불 {amount} 기록 (사유: {reason})"),
                        (true, Lang::En) => format!("Refund of {amount} recorded (reason: {reason})"),
                        (false, Lang::Ko) => format!("정정 {amount} 기록 (사유: {reason})"),
                        (false, Lang::En) => format!("Correction of {amount} recorded (reason: {reason})"),
                    })),
                    Err(DeskError::Field { field, why }) => {
                        self.form.set_error(field, why.words(lang));
                        PayStep::Open(Effect::Handled)
                    }
                    Err(e) => {
                        self.form.message = Some(e.words(lang));
                        PayStep::Open(Effect::Handled)
                    }
                }
            }
        }
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, view: &View<'_>) {
        self.form.render(area, buf, view.theme);
    }
}
