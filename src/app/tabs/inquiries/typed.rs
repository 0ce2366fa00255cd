//! The inquiries tab's forms as types (their fields are built in `forms.rs`): a call logged as
//! it goes, and an answer of the Q&A manual added or edited.

use serde::{Deserialize, Serialize};

use super::*;
use crate::app::form::spec::{self, DeskForm, OpenForm, Submitted};
use crate::store::inquiries::InquiryFields;

/// The call's own fields as typed (caller, topic, questions, source, channel, referrer, note),
/// read the same way when a call is logged and when it is corrected. `None` when the referrer
/// search has no single pick (the field says why).
pub(super) fn call_fields(form: &mut Form, lang: Lang) -> Option<InquiryFields> {
    let referrer_id = if form.get("referrer_q").hidden {
        None
    } else {
        crate::app::booking::referrer::check(form, "referrer_q", "referrer", lang).ok()?
    };
    Some(InquiryFields {
        caller_name: form.text("caller"),
        topic: form.picked("topic"),
        questions: form.picked_all("questions").iter().filter_map(|c| QuestionKind::parse(c)).collect(),
        referral_source: form.picked("source"),
        referral_channel: if form.get("channel").hidden { None } else { form.picked("channel") },
        referrer_id,
        note: form.text("note"),
    })
}

/// `n`: a phone call. What the phone number and the referrer search found is kept beside the
/// fields (the aside shows it); it is looked up again when the form is restored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallForm {
    /// The patient recognised by the phone number typed.
    #[serde(skip)]
    pub recognised: Option<PatientBrief>,
    #[serde(skip)]
    pub referrer_results: Vec<PatientBrief>,
}

/// Shows or hides the fields that depend on the source and the outcome.
pub(super) fn update_visibility(form: &mut Form) {
    let source = form.picked("source");
    let referral = source.as_deref() == Some("referral");
    form.set_hidden("referrer_q", !referral);
    form.set_hidden("referrer", !referral);
    form.set_hidden("channel", source.as_deref() != Some("internet"));
    let outcome = form.picked("outcome");
    form.set_hidden("callback_on", outcome.as_deref() != Some("callback"));
    form.set_hidden("book_date", outcome.as_deref() != Some("booked"));
    form.set_hidden("book_time", outcome.as_deref() != Some("booked"));
}

fn patient_of_phone(form: &Form, ctx: &Ctx<'_>) -> Option<PatientBrief> {
    let digits = Phone::parse(&form.get("phone").value).map(|p| p.digits).unwrap_or_default();
    q::patient_by_phone(&*ctx.store, &digits).ok().flatten()
}

impl DeskForm for CallForm {
    const ID: &'static str = CALL_FORM;

    fn build(&self, ctx: &Ctx<'_>) -> store::Result<Form> {
        Ok(call_form(ctx.catalog, ctx.lang, ctx.today()))
    }

    fn on_change(&mut self, form: &mut Form, id: &'static str, ctx: &mut Ctx<'_>) {
        match id {
            "phone" => {
                self.recognised = patient_of_phone(form, ctx);
                if let Some(p) = &self.recognised {
                    if form.text("caller").is_empty() {
                        form.get_mut("caller").set_value(p.name.clone());
                    }
                    // A patient calling again is not a new inquiry: never their original
                    // source (that would count them as, say, a new internet inquiry).
                    if form.picked("source").is_none() {
                        form.get_mut("source").select(EXISTING_PATIENT_SOURCE);
                    }
                } else if form.picked("source").as_deref() == Some(EXISTING_PATIENT_SOURCE) {
                    // The number no longer names a patient: ask again how they heard of us.
                    form.get_mut("source").select("");
                }
            }
            "referrer_q" => {
                // One match is picked; several wait for the desk's pick (never the first).
                self.referrer_results = crate::app::booking::referrer::look_up(
                    form,
                    "referrer_q",
                    "referrer",
                    &*ctx.store,
                    ctx.mask,
                );
            }
            _ => {}
        }
        update_visibility(form);
    }

    fn restored(&mut self, form: &mut Form, ctx: &mut Ctx<'_>) {
        self.recognised = patient_of_phone(form, ctx);
        // The referrer matches are found again (one match is picked, several wait for a pick).
        if !form.text("referrer_q").is_empty() {
            self.referrer_results =
                crate::app::booking::referrer::look_up(form, "referrer_q", "referrer", &*ctx.store, ctx.mask);
        }
        update_visibility(form);
    }

    fn submit(&mut self, form: &mut Form, ctx: &mut Ctx<'_>) -> Submitted {
        let lang = ctx.lang;
        let book_day = form.date("book_date");
        let outcome = match form.picked("outcome").as_deref() {
            Some("callback") => match form.date("callback_on") {
                Some(d) => CallOutcome::Callback(d),
                None => {
                    form.set_error("callback_on", lang.pick("날짜를 적어 주세요", "a date is needed"));
                    return Submitted::Stay(Outcome::Handled);
                }
            },
            Some("booked") => {
                let Some(day) = form.date("book_date") else {
                    form.set_error("book_date", lang.pick("날짜를 적어 주세요", "a date is needed"));
                    return Submitted::Stay(Outcome::Handled);
                };
                CallOutcome::Booked(form.time("book_time").map(|t| day.and_time(t)))
            }
            _ => CallOutcome::Info,
        };
        let Some(fields) = call_fields(form, lang) else { return Submitted::Stay(Outcome::Handled) };
        let InquiryFields {
            caller_name,
            topic,
            questions,
            referral_source,
            referral_channel,
            referrer_id,
            note,
        } = fields;
        let inq = NewInquiry {
            received_at: ctx.now,
            caller_name,
            phone: Phone::parse(&form.get("phone").value).ok(),
            patient_id: self.recognised.as_ref().map(|p| p.id),
            topic,
            questions,
            referral_source,
            referral_channel,
            referrer_id,
            note,
            outcome,
        };
        if inq.outcome != CallOutcome::Info && inq.caller_name.is_empty() {
            form.set_error(
                "caller",
                lang.pick("재연락/예약에는 이름이 필요합니다", "a callback or booking needs a name"),
            );
            return Submitted::Stay(Outcome::Handled);
        }
        match crate::desk::inquiries::log_call(ctx.store, &inq) {
            // Saved as a callback due today; the booking form takes it from here and turns it
            // into "booked" with the appointment, in one transaction. Closed without saving,
            // the caller stays in today's callback queue.
            Ok(logged) if inq.outcome == CallOutcome::Booked(None) => {
                Submitted::Close(Outcome::Book(BookingRequest {
                    patient_id: logged.patient_id,
                    name: inq.caller_name.clone(),
                    phone: inq.phone.as_ref().map(|p| p.formatted()).unwrap_or_default(),
                    referral_source: inq.referral_source.clone(),
                    referrer_id: inq.referrer_id,
                    treatment_code: inq.topic.clone(),
                    date: book_day,
                    inquiry_id: Some(logged.inquiry_id),
                    callback_id: logged.callback_id,
                    ..BookingRequest::default()
                }))
            }
            Ok(_) => Submitted::Close(Outcome::Changed),
            Err(e) => {
                form.message = Some(e.to_string());
                Submitted::Stay(Outcome::Handled)
            }
        }
    }
}

/// `n` in the manual (a new answer) or `e` on an answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QaForm {
    /// The answer edited; `None` adds one.
    pub id: Option<i64>,
}

impl DeskForm for QaForm {
    const ID: &'static str = QA_FORM;

    fn build(&self, ctx: &Ctx<'_>) -> store::Result<Form> {
        let entry = match self.id {
            Some(id) => Some(
                q::qa_entries(&*ctx.store)?
                    .into_iter()
                    .find(|e| e.id == id)
                    .ok_or_else(|| store::StoreError::NotFound(format!("answer {id}")))?,
            ),
            None => None,
        };
        Ok(qa_form(ctx.catalog, ctx.lang, ctx.today(), entry.as_ref()))
    }

    fn submit(&mut self, form: &mut Form, ctx: &mut Ctx<'_>) -> Submitted {
        let topic = form.picked("topic").filter(|t| !t.is_empty());
        let kind = form.picked("kind").and_then(|k| QuestionKind::parse(&k)).unwrap_or(QuestionKind::Other);
        let (question, answer) = (form.text("question"), form.text("answer"));
        let answer = crate::desk::inquiries::Answer {
            topic: topic.as_deref(),
            kind,
            question: &question,
            answer: &answer,
        };
        match crate::desk::inquiries::save_answer(ctx.store, self.id, answer) {
            Ok(_) => Submitted::Close(Outcome::Changed),
            Err(e) => {
                form.message = Some(e.to_string());
                Submitted::Stay(Outcome::Handled)
            }
        }
    }
}

impl InquiriesTab {
    pub(super) fn open<S: DeskForm>(&mut self, form: S, ctx: &mut Ctx<'_>) -> Outcome {
        let effect = spec::open_in(&mut self.form, OpenForm::open(form, ctx));
        // The call form's aside (nothing to refresh when the form did not open).
        self.refresh_aside(ctx.catalog, ctx.lang);
        effect
    }

    pub(super) fn form_key(&mut self, key: &KeyEvent, ctx: &mut Ctx<'_>) -> Outcome {
        match spec::key_in(&mut self.form, key, ctx) {
            None => Outcome::Ignored,
            Some((effect, None)) => {
                self.refresh_aside(ctx.catalog, ctx.lang);
                effect
            }
            Some((effect, Some(_))) => {
                if let Outcome::Book(_) = effect {
                    // The app does not reload on Book: reload so the log shows the call.
                    let _ = self.reload(ctx);
                }
                effect
            }
        }
    }

    /// The call form's aside: the recognised patient, referrer matches, the prepared answers.
    pub(super) fn refresh_aside(&mut self, catalog: &Catalog, lang: Lang) {
        let Some(mut open) = self.form.take() else { return };
        if let Some(call) = open.spec::<CallForm>() {
            open.form.aside = self.aside_lines(call, &open.form, catalog, lang, 43);
        }
        self.form = Some(open);
    }
}
