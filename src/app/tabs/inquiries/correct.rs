//! Correcting a saved inquiry (issue 19 item 6): `c` on a call in the log opens its fields
//! (caller, topic, questions, source, referrer, channel, note) and its outcome, filled in as
//! saved. Saving goes through `desk::booking::correct_inquiry` (audited), which keeps the book
//! consistent: from "booked" to anything else the booking made with the call is cancelled (and
//! refused when the visit already happened); to "booked" the booking form opens for the caller,
//! who waits as a call back due today until it is saved; a call back opens (or moves) the
//! caller's callback; information only closes it. Esc closes without changing anything.

use serde::{Deserialize, Serialize};

use super::*;
use crate::app::booking::referrer;
use crate::app::form::spec::{DeskForm, Submitted};
use crate::desk::booking::{CorrectOutcome, Corrected};
use crate::desk::{self, DeskError};

/// The correction form's id (drafts).
pub const CORRECT_FORM: &str = "inquiry_correct";

/// The correction form for a saved call, filled in as it was saved.
pub fn correct_form(
    row: &InquiryRow,
    catalog: &Catalog,
    lang: Lang,
    today: NaiveDate,
    db: &impl store::Db,
) -> Form {
    let call = call_form(catalog, lang, today);
    let title = match lang {
        Lang::Ko => {
            format!("문의 고치기 - {} {}", row.caller_name, row.received_at.get(11..16).unwrap_or(""))
        }
        Lang::En => {
            format!("Correct a call - {} {}", row.caller_name, row.received_at.get(11..16).unwrap_or(""))
        }
    };
    let mut form = Form::new(CORRECT_FORM, title, lang, today);
    // The call form's fields in the call's order, without the booking date and time (a
    // correction to "booked" opens the booking form itself).
    for f in call.fields.into_iter().filter(|f| f.id != "phone") {
        form = form.field(f);
    }
    form.get_mut("caller").set_value(row.caller_name.clone());
    if let Some(t) = &row.topic {
        form.get_mut("topic").select(t);
    }
    let asked: Vec<&str> = row.questions.iter().map(|q| q.code()).collect();
    form.get_mut("questions").select(&asked.join(","));
    if let Some(s) = &row.referral_source {
        form.get_mut("source").select(s);
    }
    if let Some(c) = &row.referral_channel {
        form.get_mut("channel").select(c);
    }
    form.get_mut("note").set_value(row.note.clone());
    form.get_mut("outcome").select(row.outcome.code());
    let due = row.callback_on.clone().unwrap_or_else(|| (today + chrono::Duration::days(1)).to_string());
    form.get_mut("callback_on").set_value(due);
    form.get_mut("callback_on").hint = "+3, 1125".into();
    // The referrer as saved: found again by chart number, so it is the one picked.
    if let Some(r) = row.referrer_id.and_then(|id| crate::store::patients::get_patient(db, id).ok()) {
        form.get_mut("referrer_q").set_value(r.chart_no);
        referrer::look_up(&mut form, "referrer_q", "referrer", db, false);
    }
    visibility(&mut form);
    form.focus_on("caller");
    form.dirty = false;
    form
}

/// The call form's rules for what shows, without the booking date and time.
fn visibility(form: &mut Form) {
    typed::update_visibility(form);
    form.set_hidden("book_date", true);
    form.set_hidden("book_time", true);
}

/// What the outcome pick means for the correction.
fn outcome_of(form: &mut Form, lang: Lang) -> Option<CorrectOutcome> {
    match form.picked("outcome").as_deref() {
        Some("callback") => match form.date("callback_on") {
            Some(d) if d < form.today => {
                form.set_error("callback_on", lang.pick("지난 날짜입니다", "that date has passed"));
                None
            }
            Some(d) => Some(CorrectOutcome::Callback(d)),
            None => {
                form.set_error("callback_on", lang.pick("날짜를 적어 주세요", "a date is needed"));
                None
            }
        },
        Some("booked") => Some(CorrectOutcome::Booked),
        _ => Some(CorrectOutcome::Info),
    }
}

/// `c` on a call in the log: the call corrected.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectForm {
    /// The call corrected.
    pub inquiry_id: i64,
}

impl DeskForm for CorrectForm {
    const ID: &'static str = CORRECT_FORM;

    /// The call as stored now (a draft is then filled in over it).
    fn build(&self, ctx: &Ctx<'_>) -> store::Result<Form> {
        let row = q::inquiry_by_id(&*ctx.store, self.inquiry_id)?
            .ok_or_else(|| store::StoreError::NotFound(format!("inquiry {}", self.inquiry_id)))?;
        Ok(correct_form(&row, ctx.catalog, ctx.lang, ctx.today(), &*ctx.store))
    }

    fn on_change(&mut self, form: &mut Form, id: &'static str, ctx: &mut Ctx<'_>) {
        if id == "referrer_q" {
            referrer::look_up(form, "referrer_q", "referrer", &*ctx.store, ctx.mask);
        }
        visibility(form);
    }

    fn restored(&mut self, form: &mut Form, ctx: &mut Ctx<'_>) {
        if !form.text("referrer_q").is_empty() {
            referrer::look_up(form, "referrer_q", "referrer", &*ctx.store, ctx.mask);
        }
        visibility(form);
    }

    /// Saves the correction through the desk; the form stays open with the reason on a problem.
    fn submit(&mut self, form: &mut Form, ctx: &mut Ctx<'_>) -> Submitted {
        let lang = ctx.lang;
        let Some(outcome) = outcome_of(form, lang) else { return Submitted::Stay(Outcome::Handled) };
        let Some(fields) = typed::call_fields(form, lang) else { return Submitted::Stay(Outcome::Handled) };
        match desk::booking::correct_inquiry(ctx.store, self.inquiry_id, &fields, outcome, ctx.today()) {
            Ok(Corrected::Saved) => Submitted::Close(Outcome::Message(
                lang.pick("문의를 고쳤습니다", "The call is corrected").into(),
            )),
            Ok(Corrected::BookingCancelled(_)) => Submitted::Close(Outcome::Message(
                lang.pick(
                    "문의를 고쳤고, 이 전화로 잡았던 예약은 취소했습니다",
                    "The call is corrected and the booking made with it is cancelled",
                )
                .into(),
            )),
            Ok(Corrected::OfferBooking { inquiry_id, patient_id, callback_id }) => {
                let call = q::inquiry_by_id(&*ctx.store, inquiry_id).ok().flatten();
                Submitted::Close(Outcome::Book(BookingRequest {
                    patient_id,
                    name: fields.caller_name.clone(),
                    phone: call.map(|c| c.phone).unwrap_or_default(),
                    referral_source: fields.referral_source.clone(),
                    referrer_id: fields.referrer_id,
                    treatment_code: fields.topic.clone(),
                    inquiry_id: Some(inquiry_id),
                    callback_id,
                    ..BookingRequest::default()
                }))
            }
            Err(DeskError::Field { field, why }) => {
                let on = if field == "name" { "caller" } else { field };
                if form.fields.iter().any(|x| x.id == on) {
                    form.set_error(on, why.words(lang));
                } else {
                    form.message = Some(why.words(lang));
                }
                Submitted::Stay(Outcome::Handled)
            }
            Err(e) => {
                form.message = Some(e.words(lang));
                Submitted::Stay(Outcome::Handled)
            }
        }
    }
}

impl InquiriesTab {
    /// `c` on the log: the selected call's correction form.
    pub(super) fn open_correction(&mut self, ctx: &mut Ctx<'_>) -> Outcome {
        let Some(row) = self.today.get(self.selection.index()) else {
            return Outcome::Message(ctx.lang.pick("고칠 문의가 없습니다", "No call to correct").into());
        };
        let spec = CorrectForm { inquiry_id: row.id };
        self.open(spec, ctx)
    }
}
