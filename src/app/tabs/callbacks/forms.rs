//! The callbacks tab's forms as types: log a contact, move the date, record a consultation.

use serde::{Deserialize, Serialize};

use super::*;
use crate::app::form::spec::{DeskForm, Submitted};

/// `l`: a contact on a callback (its channel, whether reached, the reaction, what next).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogForm {
    pub callback_id: i64,
    /// Not-reached attempts in a row before this one (offers "unreachable" on the next).
    pub streak: u32,
}

/// `z`: a callback moved to another date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnoozeForm {
    pub callback_id: i64,
}

/// `c`: a consultation of a patient picked first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsultationForm {
    pub patient_id: i64,
}

fn item(ctx: &Ctx<'_>, callback_id: i64) -> store::Result<CallbackItem> {
    callbacks::get_item(&*ctx.store, callback_id)
}

/// What a save that failed leaves: a field's error or the form's message; the form stays.
fn refused(e: DeskError, form: &mut Form, lang: Lang) -> Submitted {
    match e {
        DeskError::Field { field, why } => {
            form.set_error(field, why.words(lang));
            Submitted::Stay(Outcome::Handled)
        }
        e => {
            form.message = Some(e.to_string());
            Submitted::Stay(Outcome::Error(e.to_string()))
        }
    }
}

impl DeskForm for LogForm {
    const ID: &'static str = LOG_FORM;

    fn build(&self, ctx: &Ctx<'_>) -> store::Result<Form> {
        Ok(CallbacksTab::log_form(&item(ctx, self.callback_id)?, ctx.lang, ctx.today()))
    }

    /// Shows the next-date field only when the next step is a date; offers "unreachable" on
    /// the Nth not-reached attempt in a row.
    fn on_change(&mut self, form: &mut Form, changed: &'static str, ctx: &mut Ctx<'_>) {
        let lang = form.lang;
        if changed == "reached" {
            let streak = self.streak;
            let reached = form.picked("reached").as_deref() == Some("yes");
            let can_close = form.get("next").raw() == NEXT_DATE;
            if offers_unreachable(streak, reached, UNREACHABLE_AFTER) && can_close {
                form.get_mut("next").select(CallbackOutcome::Unreachable.code());
                form.message = Some(match lang {
                    Lang::Ko => format!(
                        "{}번째 연결 실패: '연락 안 됨'으로 닫습니다 (다음 단계에서 바꿀 수 있음)",
                        streak + 1
                    ),
                    Lang::En => format!(
                        "Not reached {} times in a row: closing as unreachable (change it in Next step)",
                        streak + 1
                    ),
                });
            }
        }
        self.restored(form, ctx);
    }

    fn restored(&mut self, form: &mut Form, _ctx: &mut Ctx<'_>) {
        let dated = form.get("next").raw() == NEXT_DATE;
        form.set_hidden("next_on", !dated);
    }

    fn submit(&mut self, form: &mut Form, ctx: &mut Ctx<'_>) -> Submitted {
        let lang = ctx.lang;
        let now = ctx.now;
        let callback_id = self.callback_id;
        let next = match form.picked("next").as_deref() {
            Some(NEXT_DATE) | None => form.date("next_on").map(NextStep::FollowUp),
            Some(code) => CallbackOutcome::parse(code).map(NextStep::Close),
        };
        let Some(next) = next else {
            form.set_error("next_on", lang.pick("날짜를 적어 주세요", "enter a date"));
            return Submitted::Stay(Outcome::Handled);
        };
        if let NextStep::FollowUp(d) = next {
            if d < now.date() {
                form.set_error("next_on", lang.pick("지난 날짜입니다", "that date has passed"));
                return Submitted::Stay(Outcome::Handled);
            }
        }
        // "Booked" is written with the appointment (the booking form closes the callback in
        // its own transaction); until then the call is logged and the callback stays open, due
        // today, so closing the booking form loses nobody.
        let booking = next == NextStep::Close(CallbackOutcome::Booked);
        let stored_next = if booking { NextStep::FollowUp(now.date()) } else { next };
        let contact = NewContact {
            callback_id,
            at: now,
            channel: form
                .picked("channel")
                .and_then(|c| ContactChannel::parse(&c))
                .unwrap_or(ContactChannel::Phone),
            reached: form.picked("reached").as_deref() != Some("no"),
            reaction: form.text("reaction"),
            next_plan: form.text("plan"),
            next: stored_next,
            satisfaction: form.picked("score").and_then(|s| s.parse::<u8>().ok()),
        };
        let item = item(ctx, callback_id).ok();
        match desk::callbacks::log_contact(ctx.store, &contact) {
            Ok(patient_id) if booking => {
                let mut request = booking_request(item.as_ref(), callback_id, ctx);
                request.patient_id = request.patient_id.or(patient_id);
                Submitted::Close(Outcome::Book(request))
            }
            Ok(_) => Submitted::Close(Outcome::Changed),
            Err(e) => refused(e, form, lang),
        }
    }
}

impl DeskForm for SnoozeForm {
    const ID: &'static str = SNOOZE_FORM;

    fn build(&self, ctx: &Ctx<'_>) -> store::Result<Form> {
        Ok(CallbacksTab::snooze_form(&item(ctx, self.callback_id)?, ctx.lang, ctx.today()))
    }

    fn submit(&mut self, form: &mut Form, ctx: &mut Ctx<'_>) -> Submitted {
        let Some(until) = form.date("until") else { return Submitted::Stay(Outcome::Handled) };
        match desk::callbacks::snooze(ctx.store, self.callback_id, until, ctx.today()) {
            Ok(_) => Submitted::Close(Outcome::Changed),
            Err(e) => refused(e, form, ctx.lang),
        }
    }
}

impl DeskForm for ConsultationForm {
    const ID: &'static str = CONSULTATION_FORM;

    fn build(&self, ctx: &Ctx<'_>) -> store::Result<Form> {
        let p = patient_by_id(&*ctx.store, self.patient_id)?
            .ok_or_else(|| StoreError::NotFound(format!("patient {}", self.patient_id)))?;
        Ok(CallbacksTab::consultation_form(&p, ctx))
    }

    /// The recall date is asked only while the patient is undecided.
    fn on_change(&mut self, form: &mut Form, _changed: &'static str, ctx: &mut Ctx<'_>) {
        self.restored(form, ctx);
    }

    fn restored(&mut self, form: &mut Form, _ctx: &mut Ctx<'_>) {
        let undecided = form.picked("status").as_deref() == Some("undecided");
        form.set_hidden("recall_on", !undecided);
    }

    fn submit(&mut self, form: &mut Form, ctx: &mut Ctx<'_>) -> Submitted {
        let lang = ctx.lang;
        let now = ctx.now;
        let status = form
            .picked("status")
            .and_then(|s| ConsultationStatus::parse(&s))
            .unwrap_or(ConsultationStatus::Undecided);
        let recall_on = form.date("recall_on");
        let consulted_on = form.date("consulted_on").unwrap_or(now.date());
        // Today's consultation is stamped now; an earlier one at the start of its day.
        let consulted_at =
            if consulted_on == now.date() { now } else { consulted_on.and_hms_opt(0, 0, 0).unwrap_or(now) };
        let c = NewConsultation {
            patient_id: self.patient_id,
            consulted_at,
            treatment_code: form.picked("treatment"),
            quoted_krw: form.amount("quoted"),
            offered_krw: form.amount("offered"),
            status,
            recall_on: if status == ConsultationStatus::Undecided { recall_on } else { None },
            circumstances: form.text("circumstances"),
            reaction: form.text("reaction"),
            owner_id: form.picked("owner").and_then(|o| o.parse().ok()),
        };
        match desk::callbacks::record_consultation(ctx.store, &c) {
            Ok(_) => Submitted::Close(Outcome::Message(
                match status {
                    ConsultationStatus::Undecided => lang.pick(
                        "상담을 기록했습니다. 리콜 날짜에 대기열에 올라옵니다",
                        "Consultation saved; the prospect is in the queue on the recall date",
                    ),
                    _ => lang.pick("상담을 기록했습니다", "Consultation saved"),
                }
                .to_string(),
            )),
            Err(e) => refused(e, form, lang),
        }
    }
}

impl CallbacksTab {
    pub(super) fn log_form(item: &CallbackItem, lang: Lang, today: NaiveDate) -> Form {
        let channels = ContactChannel::ALL.iter().map(|c| Choice::new(c.code(), c.label(lang))).collect();
        let reached = vec![
            Choice::new("yes", lang.pick("연결됨", "Reached")).with_key('y'),
            Choice::new("no", lang.pick("안 받음", "Not reached")).with_key('n'),
        ];
        let mut next = vec![Choice::new(NEXT_DATE, lang.pick("다음 날짜", "Next date")).with_key('n')];
        next.extend(outcomes_for(item.kind).iter().map(|o| {
            let key = match o {
                CallbackOutcome::Booked => 'b',
                CallbackOutcome::Accepted => 'a',
                CallbackOutcome::Declined => 'd',
                CallbackOutcome::Unreachable => 'u',
                CallbackOutcome::Done => 'c',
            };
            Choice::new(o.code(), close_label(*o, lang)).with_key(key)
        }));
        let title = match lang {
            Lang::Ko => {
                format!("연락 기록 - {} {} ({}회째)", item.kind.label(lang), item.name, item.attempts + 1)
            }
            Lang::En => format!(
                "Log contact - {} {} (attempt {})",
                item.kind.label(lang),
                item.name,
                item.attempts + 1
            ),
        };
        Form::new(LOG_FORM, title, lang, today)
            .field(Field::pick("channel", lang.pick("방법", "Channel"), channels).selected("phone"))
            .field(Field::pick("reached", lang.pick("연결", "Reached"), reached).selected("yes"))
            .field(
                // One key: 1-5, asked on a happy call; left empty when not asked (Backspace).
                Field::pick("score", lang.pick("만족도", "Satisfaction"), satisfaction_choices())
                    .hint(lang.pick("1-5 (안 물었으면 비움)", "1-5 (empty when not asked)")),
            )
            .field(Field::text("reaction", lang.pick("고객 반응", "Reaction")))
            .field(Field::text("plan", lang.pick("다음 계획", "Next plan")))
            .field(Field::pick("next", lang.pick("다음 단계", "Next step"), next).selected(NEXT_DATE))
            .field(
                Field::date("next_on", lang.pick("다음 연락일", "Next date"))
                    .required()
                    .hint(lang.pick("예: +3, 1130, 2026-12-01", "e.g. +3, 1130, 2026-12-01")),
            )
    }

    pub(super) fn snooze_form(item: &CallbackItem, lang: Lang, today: NaiveDate) -> Form {
        let title = match lang {
            Lang::Ko => format!("미루기 - {} {} ({})", item.kind.label(lang), item.name, item.due_on),
            Lang::En => format!("Snooze - {} {} ({})", item.kind.label(lang), item.name, item.due_on),
        };
        Form::new(SNOOZE_FORM, title, lang, today).field(
            Field::date("until", lang.pick("새 날짜", "New date"))
                .required()
                .hint(lang.pick("예: +1, +7, 1201", "e.g. +1, +7, 1201")),
        )
    }

    pub(super) fn consultation_form(patient: &PatientBrief, ctx: &Ctx<'_>) -> Form {
        let lang = ctx.lang;
        let treatments = crate::app::kit::choices::treatments(ctx.catalog, lang);
        let statuses =
            [ConsultationStatus::Undecided, ConsultationStatus::Accepted, ConsultationStatus::Declined]
                .iter()
                .map(|s| Choice::new(s.code(), s.label(lang)))
                .collect();
        let title = match lang {
            Lang::Ko => format!("상담 기록 - {} {}", patient.chart_no, patient.name),
            Lang::En => format!("Consultation - {} {}", patient.chart_no, patient.name),
        };
        let mut form = Form::new(CONSULTATION_FORM, title, lang, ctx.today())
            .field(Field::date("consulted_on", lang.pick("상담일", "Consulted on")).required().value("오늘"))
            .field(Field::pick("treatment", lang.pick("치료", "Treatment"), treatments))
            .field(Field::amount("quoted", lang.pick("견적(총비용)", "Quoted")).hint("4,900,000 / 490만원"))
            .field(Field::amount("offered", lang.pick("제시가(할인)", "Offered")).hint("4,500,000 / 450만원"))
            .field(Field::text("circumstances", lang.pick("특이사항", "Circumstances")))
            .field(Field::text("reaction", lang.pick("고객 반응", "Reaction")))
            .field(Field::pick("status", lang.pick("결정", "Decision"), statuses).selected("undecided"));
        let staff: Vec<Choice> = ctx
            .catalog
            .staff
            .iter()
            .filter(|s| s.active)
            .enumerate()
            .map(|(i, s)| {
                let c = Choice::new(s.id.to_string(), s.name.clone());
                // Digits pick staff; letters would collide between Korean names.
                match char::from_digit((i + 1) as u32, 10) {
                    Some(d) if i < 9 => c.with_key(d),
                    _ => c,
                }
            })
            .collect();
        let has_staff = !staff.is_empty();
        form = form.field(Field::pick("owner", lang.pick("담당", "Owner"), staff)).field(
            Field::date("recall_on", lang.pick("리콜 날짜", "Recall on"))
                .required()
                .hint(lang.pick("예: +7, 1130", "e.g. +7, 1130")),
        );
        form.set_hidden("owner", !has_staff);
        form
    }
}

/// The satisfaction scores of the log-contact form: 1 to 5, each picked by its digit.
pub(super) fn satisfaction_choices() -> Vec<Choice> {
    (1..=5).map(|n: u8| Choice::new(n.to_string(), n.to_string())).collect()
}

/// The booking form's request for a callback's person: the patient (the booking form fills in
/// their last 원장 and treatment), the callback (closed as booked together with the
/// appointment; Esc leaves it open in the queue) and, for a caller without a chart, what their
/// call said (the booking registers them and links the call).
pub(super) fn booking_request(
    item: Option<&CallbackItem>,
    callback_id: i64,
    ctx: &Ctx<'_>,
) -> BookingRequest {
    let mut request = BookingRequest {
        patient_id: item.and_then(|c| c.patient_id),
        callback_id: Some(callback_id),
        treatment_code: item.and_then(|c| c.treatment_code.clone()),
        ..BookingRequest::default()
    };
    let caller_call = item
        .filter(|c| c.patient_id.is_none())
        .and_then(|c| c.inquiry_id)
        .and_then(|id| crate::store::inquiries::inquiry_by_id(&*ctx.store, id).ok().flatten());
    if let Some(call) = caller_call {
        request.inquiry_id = Some(call.id);
        request.name = call.caller_name;
        request.phone = call.phone;
        request.referral_source = call.referral_source;
        request.referrer_id = call.referrer_id;
        request.treatment_code = request.treatment_code.or(call.topic);
    }
    request
}
