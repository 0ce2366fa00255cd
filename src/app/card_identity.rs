//! Correcting a patient's name and phone from the card (`e`): one form, the phone read as
//! everywhere, a phone another patient has warned about once (Ctrl-S again saves anyway),
//! every save one audited write (`desk::patients::correct_identity`). On a masked screen
//! the fields start empty, the masked values as hints, and a field left empty keeps its value.

use crossterm::event::KeyEvent;

use super::Ctx;
use super::form::{Field, Form, FormEvent};
use crate::desk::DeskError;
use crate::desk::patients::{self, Corrected};
use crate::domain::Lang;
use crate::domain::mask::{mask_name, mask_phone};
use crate::store::patients::Patient;

pub const FORM_ID: &str = "card_identity";

#[derive(Debug, Clone)]
pub struct Identity {
    pub form: Form,
    /// Still open (Esc, or a confirmed discard, closes it).
    pub open: bool,
    /// The phone the desk was warned is another patient's: saving it again goes ahead.
    warned: Option<String>,
    /// What a field left empty keeps on a masked screen.
    current: (String, String),
    masked: bool,
}

impl Identity {
    pub fn new(p: &Patient, ctx: &Ctx<'_>) -> Identity {
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
        let form = Form::new(FORM_ID, title, lang, ctx.today()).field(name).field(phone);
        Identity { form, open: true, warned: None, current: (p.name.clone(), p.phone.clone()), masked }
    }

    /// One key. `Some(words)` when saved (the card reloads and says them); the form stays
    /// open with what was typed when the desk refuses or another terminal holds the lock.
    pub fn on_key(&mut self, key: &KeyEvent, patient_id: i64, ctx: &mut Ctx<'_>) -> Option<String> {
        match self.form.handle_key(key) {
            FormEvent::Cancel => {
                self.open = false;
                None
            }
            FormEvent::Submit => self.save(patient_id, ctx),
            FormEvent::Changed("phone") => {
                self.warned = None;
                None
            }
            _ => None,
        }
    }

    fn save(&mut self, patient_id: i64, ctx: &mut Ctx<'_>) -> Option<String> {
        let lang = ctx.lang;
        let mut name = self.form.get("name").value.clone();
        let mut phone = self.form.get("phone").value.clone();
        if self.masked {
            if name.trim().is_empty() {
                name = self.current.0.clone();
            }
            if phone.trim().is_empty() {
                phone = self.current.1.clone();
            }
        }
        let again = self.warned.as_deref() == Some(phone.trim());
        match patients::correct_identity(ctx.store, patient_id, &name, &phone, again) {
            Ok(Corrected::Saved(changed)) => {
                self.open = false;
                Some(if changed.is_empty() {
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
                })
            }
            Ok(Corrected::SamePhone(others)) => {
                let o = &others[0];
                let who = if ctx.mask { mask_name(&o.name) } else { o.name.clone() };
                self.warned = Some(phone.trim().to_string());
                self.form.message = Some(match lang {
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
                self.form.set_error(field, why.words(lang));
                None
            }
            Err(e) => {
                self.form.message = Some(e.words(lang));
                None
            }
        }
    }
}
