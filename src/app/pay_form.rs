//! The money form (수납) shared by checkout after `d` (`tabs/today/checkout.rs`) and the patient
//! card (`card_pay.rs`): the amount (`4,900,000`, `490만`, `490만원`), the category (1 급여,
//! 2 비급여, 3 자보, 4 기타), the treatment and provider prefilled from the visit, and a number
//! of sessions that sells a package instead (its price is the amount, its payment recorded in
//! the same write by `desk::packages::sell_package`).

use super::Ctx;
use super::form::{Choice, Field, Form};
use crate::desk::packages::PackageForm;
use crate::desk::payments::PaymentForm;
use crate::desk::{self, DeskError};
use crate::domain::Lang;
use crate::domain::payments::PaymentCategory;

/// The amount field's hint: forms the amount reader takes (it refuses decimals, so not
/// `4.9만원`, though Today's header writes takings that short).
pub const AMOUNT_HINT: (&str, &str) = ("예: 49,000 또는 4만 9천원", "e.g. 49,000 or 4만 9천원");

/// What the form starts with: the visit's treatment and provider, and the visit paid for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prefill {
    pub treatment_code: Option<String>,
    pub provider_id: Option<i64>,
    /// The visit the payment is for (checkout; the card's visit of today).
    pub appointment_id: Option<i64>,
}

/// Whether the form sells a package: sessions optional (a payment unless filled in) or asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sessions {
    Optional,
    Required,
}

/// The money form: amount, category, treatment, provider, sessions.
pub fn money_form(
    id: &'static str,
    title: String,
    ctx: &Ctx<'_>,
    prefill: &Prefill,
    sessions: Sessions,
) -> Form {
    let lang = ctx.lang;
    let categories = PaymentCategory::ALL.iter().map(|c| Choice::new(c.code(), c.label(lang))).collect();
    let providers: Vec<Choice> = ctx
        .catalog
        .providers()
        .filter(|s| s.active || Some(s.id) == prefill.provider_id)
        .map(|s| Choice::new(s.id.to_string(), &s.name))
        .collect();
    let treatments = super::kit::choices::treatments(ctx.catalog, lang);
    let package = sessions == Sessions::Required;
    let mut sessions_field = Field::number("sessions", lang.pick("패키지(회)", "Package")).hint(if package {
        lang.pick("패키지 횟수 (예: 10)", "sessions in the package (e.g. 10)")
    } else {
        lang.pick(
            "패키지 판매 시 횟수 (비우면 수납만)",
            "sessions when selling a package (blank: payment only)",
        )
    });
    let mut treatment = Field::pick("treatment", lang.pick("치료", "Treatment"), treatments);
    if package {
        sessions_field = sessions_field.required();
        treatment = treatment.required();
    }
    let amount_label = if package { lang.pick("가격", "Price") } else { lang.pick("금액", "Amount") };
    let mut form = Form::new(id, title, lang, ctx.today())
        .field(Field::amount("amount", amount_label).required().hint(lang.pick(AMOUNT_HINT.0, AMOUNT_HINT.1)))
        .field(
            Field::pick("category", lang.pick("구분", "Category"), categories)
                .required()
                .hint(lang.pick("1 급여 2 비급여 3 자보 4 기타", "1 covered 2 non-cov. 3 car 4 other")),
        )
        .field(treatment)
        .field(Field::pick("provider", lang.pick("원장", "Provider"), providers))
        .field(sessions_field);
    if let Some(t) = &prefill.treatment_code {
        form.get_mut("treatment").select(t);
    }
    if let Some(p) = prefill.provider_id {
        form.get_mut("provider").select(&p.to_string());
    }
    if package {
        // A package is paid 비급여 as a rule; the desk can pick another.
        form.get_mut("category").select(PaymentCategory::NonCovered.code());
        form.focus_on("sessions");
    } else {
        form.focus_on("amount");
    }
    form
}

/// What a saved money form recorded, in the desk's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    Paid { amount: String },
    Sold { sessions: String, amount: String },
}

impl Saved {
    /// What was recorded, the amount written out (`490만원` typed: `4,900,000원`, `4,900,000 won`).
    pub fn words(&self, lang: Lang) -> String {
        let won = |typed: &str| match (crate::domain::text::parse_won(typed), lang) {
            (Some(n), Lang::Ko) => format!("{}원", crate::domain::text::format_won(n)),
            (Some(n), Lang::En) => format!("{} won", crate::domain::text::format_won(n)),
            (None, _) => typed.trim().to_string(),
        };
        match (self, lang) {
            (Saved::Paid { amount }, Lang::Ko) => format!("수납 {}", won(amount)),
            (Saved::Paid { amount }, Lang::En) => format!("Paid {}", won(amount)),
            (Saved::Sold { sessions, amount }, Lang::Ko) => {
                format!("패키지 {sessions}회 판매 {}", won(amount))
            }
            (Saved::Sold { sessions, amount }, Lang::En) => {
                format!("Package of {sessions} sold for {}", won(amount))
            }
        }
    }
}

/// Saves the money form for `patient_id`: a payment, or a package sale with its payment when
/// sessions are filled in. On a refusal the form keeps what was typed and says why (on the
/// field at fault, or at its foot: e.g. another terminal holding the database) and `None`.
pub fn save(
    form: &mut Form,
    ctx: &mut Ctx<'_>,
    patient_id: i64,
    appointment_id: Option<i64>,
) -> Option<Saved> {
    let lang = ctx.lang;
    let amount = form.text("amount");
    let category = form.picked("category").and_then(|s| PaymentCategory::parse(&s));
    let treatment = form.picked("treatment");
    let provider = form.picked("provider").and_then(|p| p.parse().ok());
    let sessions = form.text("sessions");
    let result = if sessions.trim().is_empty() {
        let p = PaymentForm {
            amount: amount.clone(),
            category,
            treatment_code: treatment,
            provider_id: provider,
            appointment_id,
            ..PaymentForm::new(patient_id, ctx.now)
        };
        desk::payments::record_payment(ctx.store, &p).map(|_| Saved::Paid { amount })
    } else {
        let Some(category) = category else {
            form.set_error("category", lang.pick("구분을 고르세요 (1-4)", "pick a category (1-4)"));
            return None;
        };
        let p = PackageForm {
            treatment_code: treatment,
            sessions: sessions.clone(),
            price: amount.clone(),
            provider_id: provider,
            category,
            ..PackageForm::new(patient_id, ctx.now)
        };
        desk::packages::sell_package(ctx.store, &p)
            .map(|_| Saved::Sold { sessions: sessions.trim().to_string(), amount })
    };
    match result {
        Ok(saved) => Some(saved),
        Err(DeskError::Field { field, why }) => {
            // The package's price is typed in the amount field.
            let field = if field == "price" { "amount" } else { field };
            form.set_error(field, why.words(lang));
            None
        }
        Err(e) => {
            form.message = Some(e.words(lang));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::parse::{Sign, parse_amount};

    #[test]
    fn the_amount_hint_shows_only_amounts_the_form_takes() {
        for hint in [super::AMOUNT_HINT.0, super::AMOUNT_HINT.1] {
            let examples = hint.split_once(' ').unwrap().1;
            let sep = if hint.contains(" 또는 ") { " 또는 " } else { " or " };
            for example in examples.split(sep) {
                assert_eq!(parse_amount(example, Sign::NonNegative), Ok(49_000), "{example} in {hint}");
            }
        }
    }
}
