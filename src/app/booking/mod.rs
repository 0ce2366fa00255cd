//! The booking form: an app-level overlay any tab opens with `Outcome::Book`.
//!
//! It books an existing patient, moves or edits an appointment, or registers a new patient
//! and books them in one go. A phone number that is already on file offers the existing
//! patient instead of a twin; booking the same person at an overlapping time warns and asks
//! (save again to book anyway) rather than refusing.

use chrono::NaiveDateTime;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::day_grid::DayGrid;
use super::form::spec::{self, Unrestorable};
use super::form::{Choice, Field, Form, FormEvent};
use super::keymap::{Command, Context};
use super::layers::{Effect, Overlay};
use super::{BookingRequest, Ctx, View};
use crate::desk::appointments::{BookingOrder, NewRegistration, Who};
use crate::desk::{self, DeskError};
use crate::domain::{Lang, Sex};
use crate::store;
use crate::store::appointments;
use crate::store::patients::{self, Patient};

mod beside;
pub use beside::GRID_MIN_WIDTH;
pub mod referrer;

pub const FORM_ID: &str = "booking";

/// Choice code of the "use the existing patient" pick.
const USE_EXISTING: &str = "existing";
const REGISTER_NEW: &str = "new";
/// The referrer look-up's pick list (see [`referrer`]).
const REFERRER_PICK: &str = "referrer_pick";

/// What a booking warning was shown for: start, length, provider and treatment.
type WarnedFor = (NaiveDateTime, i64, Option<i64>, Option<String>);

#[derive(Debug, Clone)]
pub struct Booking {
    pub form: Form,
    pub request: BookingRequest,
    /// The patient being booked, when known.
    pub patient: Option<Patient>,
    /// A patient already on file with the phone typed in a new registration.
    pub duplicate: Option<Patient>,
    /// The booking whose warnings were already shown (start, length, provider, treatment):
    /// saving the same again books anyway.
    overlap_warned: Option<WarnedFor>,
    /// The day's schedule for the form's date (see [`beside`]).
    pub grid: Option<DayGrid>,
    /// The grid has the keys (F3).
    pub grid_focus: bool,
    /// The date field still holds the prefilled date: the first character typed replaces it.
    date_fresh: bool,
}

impl Booking {
    pub fn new(request: BookingRequest, ctx: &Ctx<'_>) -> store::Result<Booking> {
        let conn = &*ctx.store;
        let lang = ctx.lang;
        let patient = match request.patient_id {
            Some(id) => Some(patients::get_patient(conn, id)?),
            None => None,
        };
        let existing_appt = match request.appointment_id {
            Some(id) => Some(appointments::get_appointment(conn, id)?),
            None => None,
        };
        // A masked screen masks the name in the title too.
        let shown =
            |name: &str| if ctx.mask { crate::domain::mask::mask_name(name) } else { name.to_string() };
        let title = match (&patient, &existing_appt) {
            (Some(p), Some(_)) => {
                format!(
                    "{} - {} ({})",
                    lang.pick("예약 변경", "Change appointment"),
                    shown(&p.name),
                    p.chart_no
                )
            }
            (Some(p), None) => format!("{} - {} ({})", lang.pick("예약", "Book"), shown(&p.name), p.chart_no),
            (None, _) => lang.pick("예약 - 새 환자 등록", "Book - register a new patient").to_string(),
        };
        let mut form = Form::new(FORM_ID, title, lang, ctx.today());
        form.state = serde_json::to_string(&request).ok();
        let hidden = |id: &'static str, v: Option<i64>| {
            let mut f = Field::text(id, id).value(v.map(|v| v.to_string()).unwrap_or_default());
            f.hidden = true;
            f
        };
        form = form
            .field(hidden("patient_id", request.patient_id))
            .field(hidden("appointment_id", request.appointment_id))
            .field(hidden("inquiry_id", request.inquiry_id))
            .field(hidden("callback_id", request.callback_id));
        if patient.is_none() {
            let mut existing = Field::pick(USE_EXISTING, lang.pick("기존 환자", "On file"), Vec::new());
            existing.hidden = true;
            let sources = ctx
                .catalog
                .referral_sources
                .iter()
                // "Existing patient" is an inquiry's source, never a new patient's.
                .filter(|s| s.active && s.code != crate::domain::reports::EXISTING_PATIENT_SOURCE)
                .map(|s| super::kit::choices::code(s, lang))
                .collect();
            let sexes = vec![
                Choice::new("F", lang.pick("여", "Female")).with_key('f'),
                Choice::new("M", lang.pick("남", "Male")).with_key('m'),
            ];
            form = form
                .field(Field::text("name", lang.pick("이름", "Name")).required().value(request.name.clone()))
                .field(
                    Field::phone("phone", lang.pick("전화", "Phone"))
                        .value(request.phone.clone())
                        .hint(lang.pick("010-1234-5678, 02-123-4567", "010-1234-5678, 02-123-4567")),
                )
                .field(existing)
                .field(Field::date("birth", lang.pick("생년월일", "Birth date")).hint("1985-03-14"))
                .field(Field::pick("sex", lang.pick("성별", "Sex"), sexes))
                .field(Field::pick("source", lang.pick("내원경로", "Heard of us"), sources))
                .field(Field::text("referrer", lang.pick("소개한 환자", "Referred by")).hint(lang.pick(
                    "이름, 초성, 전화, 차트번호 (소개일 때)",
                    "name, initials, phone or chart no. (a referral)",
                )))
                .field({
                    let mut f = Field::pick(REFERRER_PICK, lang.pick("소개자 후보", "Matches"), Vec::new());
                    f.hidden = true;
                    f
                });
            if let Some(src) = &request.referral_source {
                form.get_mut("source").select(src);
            }
            if let Some(r) = request.referrer_id {
                if let Ok(p) = patients::get_patient(conn, r) {
                    form.get_mut("referrer").set_value(p.chart_no);
                    referrer::look_up(&mut form, "referrer", REFERRER_PICK, conn, ctx.mask);
                }
            }
        }
        // A known patient's new booking starts from their last 원장, treatment and length.
        let prefill = match (request.patient_id, &existing_appt) {
            (Some(id), None) => desk::booking::booking_prefill(&*ctx.store, id, None).ok(),
            _ => None,
        };
        let date = existing_appt.as_ref().map(|a| a.start.date()).or(request.date).unwrap_or(ctx.today());
        let time = existing_appt.as_ref().map(|a| a.start.format("%H:%M").to_string()).unwrap_or_default();
        let treatment_code = existing_appt
            .as_ref()
            .and_then(|a| a.treatment_code.clone())
            .or(request.treatment_code.clone())
            .or_else(|| prefill.as_ref().and_then(|p| p.treatment_code.clone()));
        let duration = existing_appt
            .as_ref()
            .map(|a| a.duration_min)
            .or(request.duration_min.filter(|&d| d > 0))
            .or_else(|| {
                prefill.as_ref().filter(|p| p.treatment_code == treatment_code).and_then(|p| p.duration_min)
            })
            .or_else(|| {
                treatment_code.as_deref().and_then(|c| ctx.catalog.treatment(c)).map(|t| t.duration_min)
            })
            .unwrap_or(30);
        let providers: Vec<Choice> = ctx
            .catalog
            .providers()
            .filter(|s| s.active)
            .map(|s| Choice::new(s.id.to_string(), &s.name))
            .collect();
        let treatments: Vec<Choice> = super::kit::choices::treatments(ctx.catalog, lang);
        let no_providers = providers.is_empty();
        form = form
            .field(
                Field::date("date", lang.pick("날짜", "Date"))
                    .required()
                    .hint(lang.pick("12-05 또는 12-05 14:30", "12-05 or 12-05 14:30"))
                    .value(date.format("%Y-%m-%d").to_string()),
            )
            .field(Field::time("time", lang.pick("시각", "Time")).required().value(time).hint("14:30"))
            .field(
                Field::number("duration", lang.pick("소요(분)", "Minutes"))
                    .required()
                    .range(crate::domain::rules::DURATION_MINUTES)
                    .value(duration.to_string()),
            )
            .field(Field::pick("provider", lang.pick("원장", "Provider"), providers))
            .field(Field::pick("treatment", lang.pick("치료", "Treatment"), treatments));
        let provider = existing_appt
            .as_ref()
            .and_then(|a| a.provider_id)
            .or(request.provider_id)
            .or_else(|| prefill.as_ref().and_then(|p| p.provider_id));
        if let Some(p) = provider {
            form.get_mut("provider").select(&p.to_string());
        }
        if let Some(t) = &treatment_code {
            form.get_mut("treatment").select(t);
        }
        form.set_hidden("provider", no_providers);
        // A known patient: the cursor on the date (prefilled with today; the first character
        // typed replaces it, Tab keeps it), or on the time when the caller chose the date
        // (the next visit after the treatment's interval).
        form.focus_on(match (&patient, &existing_appt, request.date) {
            (None, _, _) => "name",
            (Some(_), None, Some(_)) => "time",
            (Some(_), _, _) => "date",
        });
        let mut b = Booking {
            form,
            request,
            patient,
            duplicate: None,
            overlap_warned: None,
            grid: None,
            grid_focus: false,
            date_fresh: true,
        };
        b.sync_grid(ctx);
        Ok(b)
    }

    /// Reopens the form from a draft an earlier run left: the request it was opened with
    /// (saved in the draft as the form's spec), then what was typed.
    pub fn restore(draft: &str, ctx: &Ctx<'_>) -> Result<Booking, Unrestorable> {
        let request: BookingRequest = spec::state_of(draft)?;
        let mut b = Booking::new(request, ctx).map_err(|e| Unrestorable::Gone(e.to_string()))?;
        b.form.restore_draft(draft);
        b.date_fresh = false;
        b.sync_grid(ctx);
        if b.patient.is_none() {
            b.look_up_phone(ctx);
            referrer::look_up(&mut b.form, "referrer", REFERRER_PICK, &*ctx.store, ctx.mask);
            // The referrer picked among several matches, as saved.
            let map: std::collections::BTreeMap<String, String> =
                serde_json::from_str(draft).unwrap_or_default();
            if let Some(code) = map.get(REFERRER_PICK) {
                b.form.get_mut(REFERRER_PICK).select(code);
            }
        }
        Ok(b)
    }

    /// When the phone of a new registration is already on file, offers that patient.
    fn look_up_phone(&mut self, ctx: &Ctx<'_>) {
        let lang = ctx.lang;
        let typed = self.form.get("phone").value.clone();
        let found = if crate::domain::phone::Phone::parse(&typed).is_ok() {
            patients::find_by_phone(&*ctx.store, &typed).ok().and_then(|v| v.into_iter().next())
        } else {
            None
        };
        if found.as_ref().map(|p| p.id) == self.duplicate.as_ref().map(|p| p.id) {
            return;
        }
        self.duplicate = found;
        let field = self.form.get_mut(USE_EXISTING);
        match &self.duplicate {
            Some(p) => {
                let name = if ctx.mask { crate::domain::mask::mask_name(&p.name) } else { p.name.clone() };
                let use_label = match lang {
                    Lang::Ko => format!("{name} ({})로 예약", p.chart_no),
                    Lang::En => format!("book {name} ({})", p.chart_no),
                };
                field.kind = super::form::FieldKind::Pick {
                    choices: vec![
                        Choice::new(USE_EXISTING, use_label).with_key('e'),
                        Choice::new(REGISTER_NEW, lang.pick("따로 새로 등록", "register anyway"))
                            .with_key('r'),
                    ],
                    selected: Some(0),
                };
                field.hidden = false;
                self.form.message = Some(match lang {
                    Lang::Ko => format!("이 번호는 이미 {name} ({}) 환자입니다", p.chart_no),
                    Lang::En => format!("This number belongs to {name} ({})", p.chart_no),
                });
            }
            None => {
                field.kind = super::form::FieldKind::Pick { choices: Vec::new(), selected: None };
                field.hidden = true;
            }
        }
    }

    fn use_duplicate(&self) -> Option<&Patient> {
        self.duplicate.as_ref().filter(|_| self.form.picked(USE_EXISTING).as_deref() == Some(USE_EXISTING))
    }

    /// The date and time the form says now: a date typed with its time in the date field
    /// (`12-05 14:30`) counts for both.
    pub(super) fn typed_when(&self) -> (Option<chrono::NaiveDate>, Option<chrono::NaiveTime>) {
        match crate::domain::dates::parse_date_time_input(&self.form.get("date").value, self.form.today) {
            Some((d, t)) => (Some(d), Some(t)),
            None => (self.form.date("date"), self.form.time("time")),
        }
    }

    /// A time typed after the date (`12-05 14:30`, `1205 1430`, `내일 14:30`) moves into the
    /// time field, so one field, then Ctrl-S, books: done on leaving the date field and on save.
    fn split_date_time(&mut self) {
        let typed = self.form.get("date").value.clone();
        if let Some((d, t)) = crate::domain::dates::parse_date_time_input(&typed, self.form.today) {
            self.form.get_mut("date").set_value(d.format("%Y-%m-%d").to_string());
            self.form.get_mut("time").set_value(t.format("%H:%M").to_string());
            self.form.get_mut("time").error = None;
        }
    }

    /// Checks what the fields cannot check alone, then books (`desk::appointments::book`). On
    /// any problem the form stays open with everything typed and the reason on the field or
    /// the form.
    pub fn submit(&mut self, ctx: &mut Ctx<'_>) -> Effect {
        let lang = ctx.lang;
        self.split_date_time();
        if !self.form.validate() {
            return Effect::Handled;
        }
        let (Some(date), Some(time)) = (self.form.date("date"), self.form.time("time")) else {
            return Effect::Handled;
        };
        let start = date.and_time(time);
        let existing_id = self.patient.as_ref().map(|p| p.id).or_else(|| self.use_duplicate().map(|p| p.id));
        // The referrer the desk picked from the matches (never a guess among several).
        let referrer_chart_no = if existing_id.is_none() {
            match referrer::check(&mut self.form, "referrer", REFERRER_PICK, lang) {
                Ok(Some(id)) => match patients::get_patient(&*ctx.store, id) {
                    Ok(p) => p.chart_no,
                    Err(e) => {
                        self.form.message = Some(e.to_string());
                        return Effect::Handled;
                    }
                },
                Ok(None) => String::new(),
                Err(_) => return Effect::Handled,
            }
        } else {
            String::new()
        };
        let who = match existing_id {
            Some(id) => Who::Existing(id),
            None => Who::New(NewRegistration {
                name: self.form.text("name"),
                phone: self.form.get("phone").value.clone(),
                birth_date: if self.form.get("birth").value.trim().is_empty() {
                    None
                } else {
                    self.form.date("birth")
                },
                sex: self.form.picked("sex").and_then(|s| Sex::parse(&s)),
                referral_source: self.form.picked("source"),
                referrer_chart_no,
            }),
        };
        let order = BookingOrder {
            who,
            start,
            duration_min: self.form.number("duration").unwrap_or(0),
            provider_id: self.form.picked("provider").and_then(|p| p.parse().ok()),
            treatment_code: self.form.picked("treatment"),
            appointment_id: self.request.appointment_id,
            inquiry_id: self.request.inquiry_id,
            callback_id: self.request.callback_id,
            // Warnings (double booking, outside hours, provider busy, hourly cap): warn once,
            // book on the second save of the same time.
            overlap_accepted: false,
        };
        let warned_for: WarnedFor =
            (start, order.duration_min, order.provider_id, order.treatment_code.clone());
        let order =
            BookingOrder { overlap_accepted: self.overlap_warned.as_ref() == Some(&warned_for), ..order };
        match desk::appointments::book(ctx.store, &order, ctx.today()) {
            Ok(_) => {
                let when = start.format("%m-%d %H:%M");
                let who = self
                    .patient
                    .as_ref()
                    .or(self.use_duplicate())
                    .map(|p| p.name.clone())
                    .unwrap_or_else(|| self.form.text("name"));
                Effect::CloseSaying(match (lang, order.appointment_id.is_some()) {
                    (Lang::Ko, false) => format!("예약했습니다: {who} {when}"),
                    (Lang::Ko, true) => format!("예약을 바꿨습니다: {who} {when}"),
                    (Lang::En, false) => format!("Booked: {who} {when}"),
                    (Lang::En, true) => format!("Appointment changed: {who} {when}"),
                })
            }
            Err(DeskError::Field { field, why }) => {
                self.form.set_error(field, why.words(lang));
                Effect::Handled
            }
            Err(e) => {
                if let DeskError::Refused(w) = &e {
                    if w.is_warning() {
                        self.overlap_warned = Some(warned_for);
                    }
                }
                self.form.message = Some(e.words(lang));
                Effect::Handled
            }
        }
    }

    /// What the desk is told when the form closes without saving: a booking that came from a
    /// call leaves the caller in the callback queue (the inquiry or callback is "booked"
    /// only together with an appointment).
    pub fn closed_message(&self, lang: Lang) -> Option<String> {
        if self.request.appointment_id.is_some()
            || (self.request.inquiry_id.is_none() && self.request.callback_id.is_none())
        {
            return None;
        }
        let who = match &self.patient {
            Some(p) => p.name.clone(),
            None => self.form.text("name"),
        };
        Some(match lang {
            Lang::Ko => format!("예약하지 않았습니다. {who} 님은 재연락 대기열에 남아 있습니다"),
            Lang::En => format!("Not booked: {who} stays in the callback queue"),
        })
    }
}

impl Overlay for Booking {
    /// Saved: [`Effect::CloseSaying`] what was booked. Esc closes, saying what closing left
    /// behind when the booking came from a call.
    fn on_key(&mut self, key: &KeyEvent, ctx: &mut Ctx<'_>) -> Effect {
        if self.grid_focus {
            if let Some(e) = self.grid_key(key, ctx.lang) {
                return e;
            }
        } else if beside::is_grid_key(key) && !self.form.confirm_discard {
            self.sync_grid(ctx);
            self.grid_focus = self.grid.is_some();
            return Effect::Handled;
        }
        if self.date_fresh && self.form.focused().id == "date" && !self.form.confirm_discard {
            self.date_fresh = false;
            if matches!(key.code, KeyCode::Char(_))
                && !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
            {
                self.form.get_mut("date").set_value(String::new());
            }
        }
        let leaves_date = matches!(key.code, KeyCode::Enter | KeyCode::Up | KeyCode::Down)
            || matches!(
                super::keymap::lookup(&[Context::Form], key),
                Some(Command::Save | Command::NextField | Command::PrevField)
            );
        if leaves_date && self.form.focused().id == "date" && !self.form.confirm_discard {
            self.split_date_time();
        }
        match self.form.handle_key(key) {
            FormEvent::Cancel => match self.closed_message(ctx.lang) {
                Some(m) => Effect::CloseSaying(m),
                None => Effect::Close,
            },
            FormEvent::Changed("phone") => {
                self.look_up_phone(ctx);
                Effect::Handled
            }
            FormEvent::Changed("referrer") => {
                referrer::look_up(&mut self.form, "referrer", REFERRER_PICK, &*ctx.store, ctx.mask);
                Effect::Handled
            }
            FormEvent::Changed("date" | "time" | "provider") => {
                self.sync_grid(ctx);
                Effect::Handled
            }
            FormEvent::Submit => self.submit(ctx),
            _ => Effect::Handled,
        }
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::Form]
    }

    fn cursor(&self) -> Option<(u16, u16)> {
        if self.grid_focus { None } else { self.form.caret() }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, view: &View<'_>) {
        self.render_with_grid(area, buf, view);
    }
}
