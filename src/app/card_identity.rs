//! Correcting a patient's name and phone from the card (`e`): one form, the phone read as
//! everywhere, a phone another patient has warned about once (Ctrl-S again saves anyway),
//! every save one audited write (`desk::patients::correct_identity`). On a masked screen
//! the fields start empty, the masked values as hints, and a field left empty keeps its value.

use serde::{Deserialize, Serialize};

use super::Ctx;
use super::form::spec::{DeskForm, Submitted};
use super::form::{Field, Form};
use super::layers::Effect;
use crate::desk::DeskError;
use crate::desk::patients::{self, Corrected};
use crate::domain::Lang;
use crate::domain::mask::{mask_name, mask_phone};
use crate::store;

pub const FORM_ID: &str = "card_identity";

/// The name and phone form over the card, as a typed form: its draft reopens on the card.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IdentityForm {
    pub patient_id: i64,
    /// The phone the desk was warned is another patient's: saving it again goes ahead.
    #[serde(default)]
    warned: Option<String>,
}

impl IdentityForm {
    pub fn new(patient_id: i64) -> IdentityForm {
        IdentityForm { patient_id, warned: None }
    }
}

impl DeskForm for IdentityForm {
    const ID: &'static str = FORM_ID;

    fn build(&self, ctx: &Ctx<'_>) -> store::Result<Form> {
        let p = store::patients::get_patient(&*ctx.store, self.patient_id)?;
        let lang = ctx.lang;
        let masked = ctx.mask;
        let shown = if masked { mask_name(&p.name) } else { p.name.clone() };
        let title = match lang {
            Lang::Ko => format!("이름/전화번호 고치기 - {shown} ({})", p.chart_no),
            Lang::En => format!("Correct name and phone - {shown} ({})", p.chart_no),
        };
        let mut name = Field::text("name", lang.pick("이름", "Name"));
        let mut phone = Field::phone("phone", lang.pick("전화번호", "Phone"));
        if masked {
            let keep = lang.pick("비우면 그대로", "empty keeps it");
            name = name.hint(format!("{shown} - {keep}"));
            phone = phone.hint(format!("{} - {keep}", mask_phone(&p.phone)));
        } else {
            name = name.required().value(p.name.clone());
            phone = phone.value(p.phone.clone());
        }
        Ok(Form::new(FORM_ID, title, lang, ctx.today()).field(name).field(phone))
    }

    fn on_change(&mut self, _form: &mut Form, field: &'static str, _ctx: &mut Ctx<'_>) {
        if field == "phone" {
            self.warned = None;
        }
    }

    /// Saved: the card reloads and says what changed. The form stays open with what was typed
    /// when the desk refuses or another terminal holds the lock.
    fn submit(&mut self, form: &mut Form, ctx: &mut Ctx<'_>) -> Submitted {
        match self.save(form, ctx) {
            Some(said) => Submitted::Close(Effect::Message(said)),
            None => Submitted::Stay(Effect::Handled),
        }
    }
}

impl IdentityForm {
    fn save(&mut self, form: &mut Form, ctx: &mut Ctx<'_>) -> Option<String> {
        let lang = ctx.lang;
        let patient_id = self.patient_id;
        let mut name = form.get("name").value.clone();
        let mut phone = form.get("phone").value.clone();
        // On a masked screen a field left empty keeps what the patient has now.
        if ctx.mask && (name.trim().is_empty() || phone.trim().is_empty()) {
            let current = match store::patients::get_patient(&*ctx.store, patient_id) {
                Ok(p) => p,
                Err(e) => {
                    form.message = Some(e.to_string());
                    return None;
                }
            };
            if name.trim().is_empty() {
                name = current.name;
            }
            if phone.trim().is_empty() {
                phone = current.phone;
            }
        }
        let again = self.warned.as_deref() == Some(phone.trim());
        match patients::correct_identity(ctx.store, patient_id, &name, &phone, again) {
            Ok(Corrected::Saved(changed)) => Some(if changed.is_empty() {
                lang.pick("바뀐 것이 없습니다", "Nothing changed").into()
            } else {
                let what = changed
                    .iter()
                    .map(|c| match *c {
                        "name" => lang.pick("이름", "name"),
                        _ => lang.pick("전화번호", "phone"),
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                match lang {
                    Lang::Ko => format!("{what}을(를) 고쳤습니다 (기록됨)"),
                    Lang::En => format!("Corrected the {what} (audited)"),
                }
            }),
            Ok(Corrected::SamePhone(others)) => {
                let o = &others[0];
                let who = if ctx.mask { mask_name(&o.name) } else { o.name.clone() };
                self.warned = Some(phone.trim().to_string());
                form.message = Some(match lang {
                    Lang::Ko => format!(
                        "이 번호는 이미 {who} ({}) 환자의 번호입니다. 그래도 저장하려면 한 번 더 저장(Ctrl-S)",
                        o.chart_no
                    ),
                    Lang::En => format!(
                        "This number is already {who}'s ({}). Save again (Ctrl-S) to keep it anyway",
                        o.chart_no
                    ),
                });
                None
            }
            Err(DeskError::Field { field, why }) => {
                form.set_error(field, why.words(lang));
                None
            }
            Err(e) => {
                form.message = Some(e.words(lang));
                None
            }
        }
    }
}
