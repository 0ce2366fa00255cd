//! Callbacks: one queue for prospects, reminders, no-shows, happy calls and recalls.
//!
//! The list is every open callback, overdue first, then due today, then upcoming. `l` logs a
//! call or message (channel, reached, reaction, next plan, then a next date or a closing
//! outcome), `z` moves the date, `Enter` shows the whole history, `c` records a consultation
//! (a patient picker first), `t` and `o` filter by kind and owner, `/` by name, chart or phone.
//! The automatic items (reminders, happy calls) are made by the app before every reload
//! (`store::callbacks::generate_automatic`).
//!
//! A busy clinic has thousands of open callbacks, so the tab keeps every open callback's light
//! queue entry (order, kind, owner) and loads the whole items only for a window of rows around
//! the selection; moving out of the window loads the next one (in `on_command`, never while
//! drawing).

use std::cell::Cell;
use std::collections::HashSet;
use std::ops::Range;

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::Tab;
use crate::app::form::{Choice, Field, Form, FormEvent, clear_popup, popup};
use crate::app::keymap::{Command, Context};
use crate::app::{BookingRequest, Ctx, Outcome, View, widgets};
use crate::desk::{self, DeskError};
use crate::domain::callbacks::{
    CallbackOutcome, ContactChannel, UNREACHABLE_AFTER, Urgency, not_reached_streak, offers_unreachable,
    outcomes_for,
};
use crate::domain::mask::{mask_name, mask_phone};
use crate::domain::text::{fit, fit_right, format_won, truncate, width};
use crate::domain::{CallbackKind, ConsultationStatus, Lang};
use crate::store::callbacks::{
    self, CallbackHistory, CallbackItem, NewContact, NextStep, QueueCounters, QueueEntry, contacts,
};
use crate::store::consultations::NewConsultation;
use crate::store::inquiries::{PatientBrief, patient_by_id, search_patients};
use crate::store::{self, StoreError};

const LOG_FORM: &str = "callback_log";
const SNOOZE_FORM: &str = "callback_snooze";
const CONSULTATION_FORM: &str = "consultation";
/// The log form's "next step" choice that keeps the item open with a new date.
const NEXT_DATE: &str = "next";
const PICKER_ROWS: usize = 8;
/// Rows loaded whole beyond those that can be on screen, on each side of the selection.
const WINDOW_MARGIN: usize = 100;
/// List rows assumed on screen before the first drawing says how many there are.
const DEFAULT_LIST_ROWS: usize = 40;

/// Whose callbacks are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OwnerFilter {
    #[default]
    All,
    Unassigned,
    Staff(i64),
}

/// The patient picker in front of the consultation form.
#[derive(Debug, Clone, Default)]
pub struct Picker {
    pub query: String,
    pub results: Vec<PatientBrief>,
    pub selected: usize,
    /// Where the caret was drawn last.
    caret: Cell<Option<(u16, u16)>>,
}

#[derive(Debug, Default)]
pub struct CallbacksTab {
    today: Option<NaiveDate>,
    /// Every open callback's queue entry, in queue order.
    entries: Vec<QueueEntry>,
    /// With a `/` filter: the open callbacks whose patient matches it.
    text_matches: Option<HashSet<i64>>,
    /// Indexes into `entries` that pass the filters: the rows of the list.
    shown: Vec<usize>,
    /// Index into `shown`.
    selected: usize,
    /// The rows of `shown` whose items are loaded, and the items (`None` for one that
    /// vanished between the two queries).
    window: Range<usize>,
    items: Vec<Option<CallbackItem>>,
    /// How many list rows the last drawing had room for (to size the window).
    list_rows: Cell<usize>,
    counters: QueueCounters,
    kind_filter: Option<CallbackKind>,
    owner_filter: OwnerFilter,
    /// Staff ids and names, for the owner filter and column.
    staff: Vec<(i64, String)>,
    /// `/`: a name, chart or phone fragment; `Some` while typing or applied.
    text_filter: String,
    typing_filter: bool,
    /// The history of the item opened with Enter.
    detail: Option<CallbackHistory>,
    form: Option<Form>,
    picker: Option<Picker>,
    /// `s`: the texts due today (src/app/tabs/messages.rs).
    pub texts: Option<super::messages::TextsPanel>,
    /// `m`: a free text to the selected person.
    pub free_text: Option<super::messages::FreeText>,
}

impl CallbacksTab {
    /// The rows of the list, in order, as loaded: on a queue longer than the window, the
    /// window around the selection.
    pub fn visible_items(&self) -> Vec<&CallbackItem> {
        self.items.iter().flatten().collect()
    }

    /// How many open callbacks pass the filters (the list's length, loaded or not).
    pub fn shown_count(&self) -> usize {
        self.shown.len()
    }

    pub fn selected_item(&self) -> Option<&CallbackItem> {
        self.item_at(self.selected)
    }

    /// The loaded item of row `row` of the list.
    fn item_at(&self, row: usize) -> Option<&CallbackItem> {
        if !self.window.contains(&row) {
            return None;
        }
        self.items.get(row - self.window.start).and_then(Option::as_ref)
    }

    fn selected_id(&self) -> Option<i64> {
        self.shown.get(self.selected).map(|&i| self.entries[i].id)
    }

    pub fn counters(&self) -> QueueCounters {
        self.counters
    }

    pub fn detail(&self) -> Option<&CallbackHistory> {
        self.detail.as_ref()
    }

    /// Reads which open callbacks match the `/` filter (none set: all of them).
    fn load_text_matches(&mut self, ctx: &Ctx<'_>) -> store::Result<()> {
        self.text_matches = if self.text_filter.trim().is_empty() {
            None
        } else {
            let matching = callbacks::queue_entries(&*ctx.store, ctx.today(), &self.text_filter)?;
            Some(matching.iter().map(|e| e.id).collect())
        };
        Ok(())
    }

    /// After a filter changed: the rows again, the selection kept on the same callback.
    fn apply_filters(&mut self, ctx: &Ctx<'_>) -> store::Result<()> {
        let keep_id = self.selected_id();
        self.load_text_matches(ctx)?;
        self.filter_keeping(keep_id);
        self.load_window(ctx)
    }

    /// Recomputes the shown rows, keeping the selection on `keep_id` when it is still shown.
    /// The window is stale afterwards: load it.
    fn filter_keeping(&mut self, keep_id: Option<i64>) {
        let shown: Vec<usize> = self
            .entries
            .iter()
            .enumerate()
            .filter(|(_, c)| self.kind_filter.is_none_or(|k| c.kind == k))
            .filter(|(_, c)| match self.owner_filter {
                OwnerFilter::All => true,
                OwnerFilter::Unassigned => c.owner_id.is_none(),
                OwnerFilter::Staff(id) => c.owner_id == Some(id),
            })
            .filter(|(_, c)| self.text_matches.as_ref().is_none_or(|m| m.contains(&c.id)))
            .map(|(i, _)| i)
            .collect();
        self.shown = shown;
        self.selected = keep_id
            .and_then(|id| self.shown.iter().position(|&i| self.entries[i].id == id))
            .unwrap_or(self.selected)
            .min(self.shown.len().saturating_sub(1));
        self.window = 0..0;
        self.items.clear();
    }

    /// Rows that can be on screen at once.
    fn screen_rows(&self) -> usize {
        match self.list_rows.get() {
            0 => DEFAULT_LIST_ROWS,
            n => n,
        }
    }

    /// The rows that must be loaded for the selection to be drawn: those the list can show
    /// above and below it.
    fn needed_rows(&self) -> Range<usize> {
        let rows = self.screen_rows();
        self.selected.saturating_sub(rows)..(self.selected + rows + 1).min(self.shown.len())
    }

    /// Loads the window again when the selection moved out of it.
    fn ensure_window(&mut self, ctx: &Ctx<'_>) -> store::Result<()> {
        let need = self.needed_rows();
        if need.start >= self.window.start && need.end <= self.window.end {
            return Ok(());
        }
        self.load_window(ctx)
    }

    /// Loads the items of the rows around the selection.
    fn load_window(&mut self, ctx: &Ctx<'_>) -> store::Result<()> {
        let reach = self.screen_rows() + WINDOW_MARGIN;
        let window = self.selected.saturating_sub(reach)..(self.selected + reach + 1).min(self.shown.len());
        let ids: Vec<i64> = self.shown[window.clone()].iter().map(|&i| self.entries[i].id).collect();
        let mut loaded = callbacks::items_by_ids(&*ctx.store, &ids)?.into_iter().peekable();
        // Aligned with the rows: a callback deleted meanwhile leaves its row empty.
        self.items = ids.iter().map(|id| loaded.next_if(|c| c.id == *id)).collect();
        self.window = window;
        Ok(())
    }

    fn owner_name(&self, id: Option<i64>) -> Option<&str> {
        id.and_then(|id| self.staff.iter().find(|(s, _)| *s == id).map(|(_, n)| n.as_str()))
    }

    /// The item the commands act on: the one in the detail view, else the selected row.
    fn target(&self) -> Option<&CallbackItem> {
        self.detail.as_ref().map(|d| &d.item).or_else(|| self.selected_item())
    }

    /// Moves the selection by `delta` rows (clamped to the list) and loads the rows that come
    /// into view.
    fn move_selection(&mut self, delta: isize, ctx: &Ctx<'_>) -> store::Result<()> {
        if self.shown.is_empty() {
            return Ok(());
        }
        let last = self.shown.len() as isize - 1;
        self.selected = self.selected.saturating_add_signed(delta).min(last as usize);
        self.ensure_window(ctx)
    }

    /// The loaded item with this id: a row of the window or the one in the detail view.
    fn loaded_item(&self, id: i64) -> Option<&CallbackItem> {
        self.visible_items().into_iter().chain(self.detail.as_ref().map(|d| &d.item)).find(|c| c.id == id)
    }

    // ---- forms ----

    fn log_form(item: &CallbackItem, streak: u32, lang: Lang, today: NaiveDate) -> Form {
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
        let mut form = Form::new(LOG_FORM, title, lang, today)
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
            .field(Field::text("callback_id", "").value(item.id.to_string()))
            .field(Field::number("streak", "").value(streak.to_string()));
        form.set_hidden("callback_id", true);
        form.set_hidden("streak", true);
        form
    }

    fn snooze_form(item: &CallbackItem, lang: Lang, today: NaiveDate) -> Form {
        let title = match lang {
            Lang::Ko => format!("미루기 - {} {} ({})", item.kind.label(lang), item.name, item.due_on),
            Lang::En => format!("Snooze - {} {} ({})", item.kind.label(lang), item.name, item.due_on),
        };
        let mut form = Form::new(SNOOZE_FORM, title, lang, today)
            .field(
                Field::date("until", lang.pick("새 날짜", "New date"))
                    .required()
                    .hint(lang.pick("예: +1, +7, 1201", "e.g. +1, +7, 1201")),
            )
            .field(Field::text("callback_id", "").value(item.id.to_string()));
        form.set_hidden("callback_id", true);
        form
    }

    fn consultation_form(patient: &PatientBrief, ctx: &Ctx<'_>) -> Form {
        let lang = ctx.lang;
        let treatments = ctx
            .catalog
            .treatments
            .iter()
            .filter(|t| t.code.active)
            .map(|t| Choice::new(t.code.code.clone(), t.code.label(lang)))
            .collect();
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
        form = form
            .field(Field::pick("owner", lang.pick("담당", "Owner"), staff))
            .field(
                Field::date("recall_on", lang.pick("리콜 날짜", "Recall on"))
                    .required()
                    .hint(lang.pick("예: +7, 1130", "e.g. +7, 1130")),
            )
            .field(Field::text("patient_id", "").value(patient.id.to_string()));
        form.set_hidden("owner", !has_staff);
        form.set_hidden("patient_id", true);
        form
    }

    /// Shows the next-date field only when the next step is a date; offers "unreachable" on
    /// the Nth not-reached attempt in a row.
    fn on_log_change(form: &mut Form, changed: &str) {
        let lang = form.lang;
        if changed == "reached" {
            let streak = form.number("streak").unwrap_or(0) as u32;
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
        let dated = form.get("next").raw() == NEXT_DATE;
        form.set_hidden("next_on", !dated);
    }

    fn save_form(&mut self, ctx: &mut Ctx<'_>) -> Outcome {
        let Some(form) = self.form.as_mut() else { return Outcome::Handled };
        let lang = ctx.lang;
        let now = ctx.now;
        let result: Result<Outcome, DeskError> = match form.id {
            LOG_FORM => {
                let callback_id = form.text("callback_id").parse::<i64>().unwrap_or(0);
                let next = match form.picked("next").as_deref() {
                    Some(NEXT_DATE) | None => form.date("next_on").map(NextStep::FollowUp),
                    Some(code) => CallbackOutcome::parse(code).map(NextStep::Close),
                };
                let Some(next) = next else {
                    form.set_error("next_on", lang.pick("날짜를 적어 주세요", "enter a date"));
                    return Outcome::Handled;
                };
                if let NextStep::FollowUp(d) = next {
                    if d < now.date() {
                        form.set_error("next_on", lang.pick("지난 날짜입니다", "that date has passed"));
                        return Outcome::Handled;
                    }
                }
                // "Booked" is written with the appointment (the booking form closes the
                // callback in its own transaction); until then the call is logged and the
                // callback stays open, due today, so closing the booking form loses nobody.
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
                let item = match self.loaded_item(callback_id) {
                    Some(c) => Some(c.clone()),
                    // A draft restored for a callback outside the window.
                    None => callbacks::get_item(&*ctx.store, callback_id).ok(),
                };
                let caller_call =
                    item.as_ref().filter(|c| c.patient_id.is_none()).and_then(|c| c.inquiry_id).and_then(
                        |id| crate::store::inquiries::inquiry_by_id(&*ctx.store, id).ok().flatten(),
                    );
                desk::callbacks::log_contact(ctx.store, &contact).map(|patient_id| {
                    if booking {
                        let mut request = BookingRequest {
                            patient_id,
                            callback_id: Some(callback_id),
                            treatment_code: item.as_ref().and_then(|c| c.treatment_code.clone()),
                            ..BookingRequest::default()
                        };
                        // A caller without a chart is registered by the booking form from
                        // their call, which the booking then links to the new patient.
                        if let (None, Some(call)) = (patient_id, caller_call) {
                            request.inquiry_id = Some(call.id);
                            request.name = call.caller_name;
                            request.phone = call.phone;
                            request.referral_source = call.referral_source;
                            request.referrer_id = call.referrer_id;
                            request.treatment_code = request.treatment_code.or(call.topic);
                        }
                        Outcome::Book(request)
                    } else {
                        Outcome::Changed
                    }
                })
            }
            SNOOZE_FORM => {
                let callback_id = form.text("callback_id").parse::<i64>().unwrap_or(0);
                let Some(until) = form.date("until") else { return Outcome::Handled };
                desk::callbacks::snooze(ctx.store, callback_id, until, now.date()).map(|_| Outcome::Changed)
            }
            CONSULTATION_FORM => {
                let status = form
                    .picked("status")
                    .and_then(|s| ConsultationStatus::parse(&s))
                    .unwrap_or(ConsultationStatus::Undecided);
                let recall_on = form.date("recall_on");
                let consulted_on = form.date("consulted_on").unwrap_or(now.date());
                // Today's consultation is stamped now; an earlier one at the start of its day.
                let consulted_at = if consulted_on == now.date() {
                    now
                } else {
                    consulted_on.and_hms_opt(0, 0, 0).unwrap_or(now)
                };
                let c = NewConsultation {
                    patient_id: form.text("patient_id").parse().unwrap_or(0),
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
                desk::callbacks::record_consultation(ctx.store, &c).map(|_| {
                    Outcome::Message(
                        match status {
                            ConsultationStatus::Undecided => lang.pick(
                                "상담을 기록했습니다. 리콜 날짜에 대기열에 올라옵니다",
                                "Consultation saved; the prospect is in the queue on the recall date",
                            ),
                            _ => lang.pick("상담을 기록했습니다", "Consultation saved"),
                        }
                        .to_string(),
                    )
                })
            }
            _ => Ok(Outcome::Handled),
        };
        match result {
            Ok(outcome) => {
                self.form = None;
                // The app reloads every tab on Changed; for the other outcomes reload here so
                // the queue shows what was just saved.
                if outcome != Outcome::Changed {
                    if let Err(e) = self.reload(ctx) {
                        return Outcome::Error(e.to_string());
                    }
                }
                outcome
            }
            Err(DeskError::Field { field, why }) => {
                if let Some(f) = self.form.as_mut() {
                    f.set_error(field, why.words(lang));
                }
                Outcome::Handled
            }
            Err(e) => {
                // The form stays open with everything typed.
                if let Some(f) = self.form.as_mut() {
                    f.message = Some(e.to_string());
                }
                Outcome::Error(e.to_string())
            }
        }
    }

    fn open_log(&mut self, ctx: &mut Ctx<'_>) -> Outcome {
        let Some(item) = self.target().cloned() else { return nothing_selected(ctx.lang) };
        let history = match contacts(&*ctx.store, item.id) {
            Ok(h) => h,
            Err(e) => return Outcome::Error(e.to_string()),
        };
        let streak = not_reached_streak(history.iter().map(|c| (c.channel, c.reached)));
        self.form = Some(Self::log_form(&item, streak, ctx.lang, ctx.today()));
        Outcome::Handled
    }

    // ---- patient picker ----

    fn on_picker_key(&mut self, key: &KeyEvent, ctx: &mut Ctx<'_>) -> Outcome {
        let Some(picker) = self.picker.as_mut() else { return Outcome::Ignored };
        let mut requery = false;
        match key.code {
            KeyCode::Esc => {
                self.picker = None;
                return Outcome::Handled;
            }
            KeyCode::Up => picker.selected = picker.selected.saturating_sub(1),
            KeyCode::Down => {
                picker.selected = (picker.selected + 1).min(picker.results.len().saturating_sub(1))
            }
            KeyCode::Enter => {
                let Some(p) = picker.results.get(picker.selected).cloned() else { return Outcome::Handled };
                self.picker = None;
                self.form = Some(Self::consultation_form(&p, ctx));
                return Outcome::Handled;
            }
            KeyCode::Backspace => {
                picker.query.pop();
                requery = true;
            }
            KeyCode::Char('u') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                picker.query.clear();
                requery = true;
            }
            KeyCode::Char(c) if !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) => {
                picker.query.push(c);
                requery = true;
            }
            _ => {}
        }
        if requery {
            match search_patients(&*ctx.store, &picker.query, PICKER_ROWS) {
                Ok(r) => {
                    picker.results = r;
                    picker.selected = 0;
                }
                Err(e) => return Outcome::Error(e.to_string()),
            }
        }
        Outcome::Handled
    }

    fn on_filter_key(&mut self, key: &KeyEvent, ctx: &mut Ctx<'_>) -> Outcome {
        match key.code {
            KeyCode::Esc => {
                self.text_filter.clear();
                self.typing_filter = false;
            }
            KeyCode::Enter => self.typing_filter = false,
            KeyCode::Backspace => {
                self.text_filter.pop();
            }
            KeyCode::Char(c) if !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) => {
                self.text_filter.push(c)
            }
            _ => return Outcome::Handled,
        }
        match self.apply_filters(ctx) {
            Ok(()) => Outcome::Handled,
            Err(e) => Outcome::Error(e.to_string()),
        }
    }
}

fn nothing_selected(lang: Lang) -> Outcome {
    Outcome::Message(lang.pick("고른 항목이 없습니다", "Nothing selected").into())
}

fn close_label(o: CallbackOutcome, lang: Lang) -> &'static str {
    match o {
        CallbackOutcome::Booked => lang.pick("예약함", "Booked"),
        CallbackOutcome::Accepted => lang.pick("치료 결정", "Accepted"),
        CallbackOutcome::Declined => lang.pick("거절", "Declined"),
        CallbackOutcome::Unreachable => lang.pick("연락 안 됨", "Unreachable"),
        CallbackOutcome::Done => lang.pick("완료", "Done"),
    }
}

impl Tab for CallbacksTab {
    fn context(&self) -> Context {
        Context::Callbacks
    }

    fn reload(&mut self, ctx: &mut Ctx<'_>) -> store::Result<()> {
        let today = ctx.today();
        self.today = Some(today);
        let keep_id = self.selected_id();
        self.entries = callbacks::queue_entries(&*ctx.store, today, "")?;
        // `shown` indexes the old entries until refiltered.
        self.shown.clear();
        self.load_text_matches(ctx)?;
        self.counters = callbacks::counters(&*ctx.store, today)?;
        self.staff = ctx.catalog.staff.iter().map(|s| (s.id, s.name.clone())).collect();
        if let OwnerFilter::Staff(id) = self.owner_filter {
            if !self.staff.iter().any(|(s, _)| *s == id) {
                self.owner_filter = OwnerFilter::All;
            }
        }
        self.filter_keeping(keep_id);
        self.load_window(ctx)?;
        if let Some(d) = &self.detail {
            let id = d.item.id;
            self.detail = match callbacks::get_item(&*ctx.store, id) {
                Ok(item) => Some(CallbackHistory { contacts: contacts(&*ctx.store, id)?, item }),
                Err(StoreError::NotFound(_)) => None,
                Err(e) => return Err(e),
            };
        }
        Ok(())
    }

    fn on_command(&mut self, command: Command, ctx: &mut Ctx<'_>) -> Outcome {
        let read_only = ctx.store.access() == store::Access::ReadOnly;
        let writes = matches!(command, Command::LogContact | Command::Snooze | Command::Consultation);
        if read_only && writes {
            return Outcome::Error(ctx.lang.pick("읽기 전용으로 열려 있습니다", "Opened read-only").into());
        }
        // Moves and filter changes load the rows that come into view.
        let loaded = match command {
            Command::Up => self.move_selection(-1, ctx),
            Command::Down => self.move_selection(1, ctx),
            Command::PageUp => self.move_selection(-10, ctx),
            Command::PageDown => self.move_selection(10, ctx),
            Command::Top => self.move_selection(-(self.shown.len() as isize), ctx),
            Command::Bottom => self.move_selection(self.shown.len() as isize, ctx),
            Command::Open => {
                let Some(item) = self.selected_item().cloned() else { return nothing_selected(ctx.lang) };
                contacts(&*ctx.store, item.id)
                    .map(|c| self.detail = Some(CallbackHistory { item, contacts: c }))
            }
            Command::Back => {
                if self.detail.take().is_some() {
                    Ok(())
                } else if self.text_filter.is_empty() {
                    return Outcome::Ignored;
                } else {
                    self.text_filter.clear();
                    self.apply_filters(ctx)
                }
            }
            Command::Filter => {
                self.typing_filter = true;
                Ok(())
            }
            Command::FilterKind => {
                self.kind_filter = match self.kind_filter {
                    None => CallbackKind::ALL.first().copied(),
                    Some(k) => CallbackKind::ALL.iter().skip_while(|x| **x != k).nth(1).copied(),
                };
                self.apply_filters(ctx)
            }
            Command::FilterOwner => {
                let mut cycle = vec![OwnerFilter::All, OwnerFilter::Unassigned];
                cycle.extend(self.staff.iter().map(|(id, _)| OwnerFilter::Staff(*id)));
                let i = cycle.iter().position(|f| *f == self.owner_filter).unwrap_or(0);
                self.owner_filter = cycle[(i + 1) % cycle.len()];
                self.apply_filters(ctx)
            }
            Command::LogContact => return self.open_log(ctx),
            Command::Snooze => {
                let Some(item) = self.target().cloned() else { return nothing_selected(ctx.lang) };
                self.form = Some(Self::snooze_form(&item, ctx.lang, ctx.today()));
                Ok(())
            }
            Command::Consultation => {
                self.picker = Some(Picker::default());
                Ok(())
            }
            Command::Texts => {
                super::messages::TextsPanel::load(ctx.store).map(|panel| self.texts = Some(panel))
            }
            Command::FreeText => {
                let Some(item) = self.target().cloned() else { return nothing_selected(ctx.lang) };
                super::messages::FreeText::start(ctx.store, item.id).map(|f| self.free_text = Some(f))
            }
            _ => return Outcome::Ignored,
        };
        match loaded {
            Ok(()) => Outcome::Handled,
            Err(e) => Outcome::Error(e.to_string()),
        }
    }

    fn on_key(&mut self, key: &KeyEvent, ctx: &mut Ctx<'_>) -> Outcome {
        if let Some(f) = self.free_text.as_mut() {
            return match f.on_key(key, ctx.store, ctx.lang) {
                None => {
                    self.free_text = None;
                    Outcome::Handled
                }
                // Sent (or queued): the composer closes and says how it went.
                Some(Outcome::Message(m)) => {
                    self.free_text = None;
                    let _ = self.reload(ctx);
                    Outcome::Message(m)
                }
                Some(o) => o,
            };
        }
        if let Some(panel) = self.texts.as_mut() {
            return match panel.on_key(key, ctx.store, ctx.lang) {
                None => {
                    self.texts = None;
                    Outcome::Handled
                }
                // A send changed the outbox and the callbacks' contacts: every tab reloads (the
                // panel stays open with the result).
                Some(Outcome::Message(_)) => Outcome::Changed,
                Some(o) => o,
            };
        }
        if self.picker.is_some() {
            return self.on_picker_key(key, ctx);
        }
        if self.typing_filter {
            return self.on_filter_key(key, ctx);
        }
        let Some(form) = self.form.as_mut() else { return Outcome::Ignored };
        match form.handle_key(key) {
            FormEvent::Submit => self.save_form(ctx),
            FormEvent::Cancel => {
                self.form = None;
                Outcome::Handled
            }
            FormEvent::Changed(id) => {
                if form.id == LOG_FORM {
                    Self::on_log_change(form, id);
                }
                if form.id == CONSULTATION_FORM && id == "status" {
                    let undecided = form.picked("status").as_deref() == Some("undecided");
                    form.set_hidden("recall_on", !undecided);
                }
                Outcome::Handled
            }
            _ => Outcome::Handled,
        }
    }

    fn keyboard_grabbed(&self) -> bool {
        self.form.is_some()
            || self.picker.is_some()
            || self.typing_filter
            || self.texts.is_some()
            || self.free_text.is_some()
    }

    fn open_form(&self) -> Option<&Form> {
        self.form.as_ref()
    }

    fn restore_form(&mut self, form_id: &str, draft: &str, ctx: &mut Ctx<'_>) -> bool {
        let ids: std::collections::BTreeMap<String, String> = serde_json::from_str(draft).unwrap_or_default();
        let id_of = |k: &str| ids.get(k).and_then(|v| v.parse::<i64>().ok());
        let mut form = match form_id {
            LOG_FORM | SNOOZE_FORM => {
                let Some(item) =
                    id_of("callback_id").and_then(|id| callbacks::get_item(&*ctx.store, id).ok())
                else {
                    return false;
                };
                if form_id == LOG_FORM {
                    let streak = contacts(&*ctx.store, item.id)
                        .map(|h| not_reached_streak(h.iter().map(|c| (c.channel, c.reached))))
                        .unwrap_or(0);
                    Self::log_form(&item, streak, ctx.lang, ctx.today())
                } else {
                    Self::snooze_form(&item, ctx.lang, ctx.today())
                }
            }
            CONSULTATION_FORM => {
                let Some(p) =
                    id_of("patient_id").and_then(|id| patient_by_id(&*ctx.store, id).ok().flatten())
                else {
                    return false;
                };
                Self::consultation_form(&p, ctx)
            }
            _ => return false,
        };
        if !form.restore_draft(draft) {
            return false;
        }
        if form.id == LOG_FORM {
            let dated = form.get("next").raw() == NEXT_DATE;
            form.set_hidden("next_on", !dated);
        }
        if form.id == CONSULTATION_FORM {
            let undecided = form.picked("status").as_deref() == Some("undecided");
            form.set_hidden("recall_on", !undecided);
        }
        self.form = Some(form);
        true
    }

    fn cursor(&self) -> Option<(u16, u16)> {
        match &self.picker {
            Some(p) => p.caret.get(),
            None => self.open_form().and_then(|f| f.caret()),
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, view: &View<'_>) {
        let today = self.today.unwrap_or(view.now.date());
        let [counters_area, main] =
            Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
        render_counters(&self.counters, counters_area, buf, view);
        match &self.detail {
            Some(d) => render_detail(d, self.owner_name(d.item.owner_id), today, main, buf, view),
            None => {
                let [list_area, info_area] =
                    Layout::vertical([Constraint::Fill(1), Constraint::Length(4)]).areas(main);
                self.render_list(list_area, buf, view, today);
                self.render_info(info_area, buf, view);
            }
        }
        if let Some(picker) = &self.picker {
            render_picker(picker, area, buf, view);
        }
        if let Some(form) = &self.form {
            form.render(area, buf, view.theme);
        }
        if let Some(panel) = &self.texts {
            panel.render(area, buf, view);
        }
        if let Some(f) = &self.free_text {
            f.render(area, buf, view);
        }
    }
}

fn shown_name(name: &str, view: &View<'_>) -> String {
    if view.mask { mask_name(name) } else { name.to_string() }
}

fn shown_phone(phone: &str, view: &View<'_>) -> String {
    if view.mask { mask_phone(phone) } else { phone.to_string() }
}

fn won(v: Option<i64>) -> String {
    v.map(format_won).unwrap_or_default()
}

fn due_style(due: NaiveDate, today: NaiveDate, view: &View<'_>) -> Style {
    match Urgency::of(due, today) {
        Urgency::Overdue => Style::new().fg(view.theme.off_track).add_modifier(Modifier::BOLD),
        Urgency::DueToday => Style::new().fg(view.theme.behind).add_modifier(Modifier::BOLD),
        Urgency::Upcoming => view.theme.base,
    }
}

fn render_counters(c: &QueueCounters, area: Rect, buf: &mut Buffer, view: &View<'_>) {
    // The on-time rate with its count ("80% (279/350)") where it fits, else the rate alone.
    let line = counters_line(c, view, ratio_text(c.on_time));
    let line =
        if line.width() > area.width as usize { counters_line(c, view, c.on_time.percent()) } else { line };
    Paragraph::new(line).render(area, buf);
}

fn counters_line(c: &QueueCounters, view: &View<'_>, on_time: String) -> Line<'static> {
    let lang = view.lang;
    let label = |s: &str| Span::styled(format!(" {s} "), view.theme.dim);
    let spans = vec![
        label(lang.pick("오늘", "Due today")),
        Span::styled(
            c.due_today.to_string(),
            Style::new().fg(view.theme.behind).add_modifier(Modifier::BOLD),
        ),
        label(lang.pick(" 지남", " Overdue")),
        Span::styled(
            c.overdue.to_string(),
            if c.overdue > 0 {
                Style::new().fg(view.theme.off_track).add_modifier(Modifier::BOLD)
            } else {
                view.theme.base
            },
        ),
        label(lang.pick(" 오늘 연락", " Done today")),
        Span::styled(c.done_today.to_string(), view.theme.ok),
        label(lang.pick(" 이달 전환", " Conversion")),
        Span::raw(ratio_text(c.conversion)),
        label(lang.pick(" 제때 연락", " On time")),
        Span::raw(on_time),
    ];
    Line::from(spans)
}

fn ratio_text(r: crate::domain::callbacks::Ratio) -> String {
    if r.denominator == 0 {
        "-".into()
    } else {
        format!("{} ({}/{})", r.percent(), r.numerator, r.denominator)
    }
}

/// Column widths: narrow (80 columns) or wide (120 and more).
struct Columns {
    wide: bool,
    kind: usize,
    due: usize,
    chart: usize,
    name: usize,
    treatment: usize,
    money: usize,
    tries: usize,
    owner: usize,
}

impl Columns {
    fn for_width(inner: usize) -> Columns {
        if inner >= 110 {
            Columns {
                wide: true,
                kind: 10,
                due: 10,
                chart: 6,
                name: 10,
                treatment: 12,
                money: 10,
                tries: 5,
                owner: 8,
            }
        } else {
            Columns {
                wide: false,
                kind: 10,
                due: 5,
                chart: 6,
                name: 8,
                treatment: 10,
                money: 10,
                tries: 5,
                owner: 0,
            }
        }
    }

    fn fixed(&self) -> usize {
        let money = if self.wide { 2 * (self.money + 1) } else { self.money + 1 };
        let owner = if self.wide { self.owner + 1 } else { 0 };
        self.kind
            + 1
            + self.due
            + 1
            + self.chart
            + 1
            + self.name
            + 1
            + self.treatment
            + 1
            + money
            + self.tries
            + 1
            + owner
    }
}

impl CallbacksTab {
    fn render_list(&self, area: Rect, buf: &mut Buffer, view: &View<'_>, today: NaiveDate) {
        let lang = view.lang;
        let kind = self.kind_filter.map(|k| k.label(lang)).unwrap_or(lang.pick("전체", "all"));
        let owner = match self.owner_filter {
            OwnerFilter::All => lang.pick("전체", "all").to_string(),
            OwnerFilter::Unassigned => lang.pick("미지정", "unassigned").to_string(),
            OwnerFilter::Staff(id) => self.owner_name(Some(id)).unwrap_or("?").to_string(),
        };
        let mut title = match lang {
            Lang::Ko => format!(" 연락할 사람 {}명  종류(t): {kind}  담당(o): {owner} ", self.shown.len()),
            Lang::En => format!(" To call: {}  kind (t): {kind}  owner (o): {owner} ", self.shown.len()),
        };
        if self.typing_filter || !self.text_filter.is_empty() {
            let cursor = if self.typing_filter { "_" } else { "" };
            title.push_str(&format!(" /{}{cursor} ", self.text_filter));
        }
        let block = widgets::panel(Line::from(title), view.theme);
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.height == 0 || inner.width == 0 {
            return;
        }
        let cols = Columns::for_width(inner.width as usize);
        let rest = (inner.width as usize).saturating_sub(cols.fixed());
        let mut header = vec![
            fit(lang.pick("종류", "Kind"), cols.kind),
            fit(lang.pick("날짜", "Due"), cols.due),
            fit(lang.pick("차트", "Chart"), cols.chart),
            fit(lang.pick("이름", "Name"), cols.name),
            fit(lang.pick("치료", "Treatment"), cols.treatment),
        ];
        if cols.wide {
            header.push(fit_right(lang.pick("견적", "Quoted"), cols.money));
        }
        header.push(fit_right(lang.pick("제시가", "Offered"), cols.money));
        header.push(fit_right(lang.pick("시도", "Tries"), cols.tries));
        if cols.wide {
            header.push(fit(lang.pick("담당", "Owner"), cols.owner));
        }
        header.push(fit(lang.pick("마지막 반응", "Last reaction"), rest));
        Paragraph::new(Span::styled(header.join(" "), view.theme.title))
            .render(Rect { height: 1, ..inner }, buf);
        let rows_area = Rect { y: inner.y + 1, height: inner.height.saturating_sub(1), ..inner };
        if self.shown.is_empty() {
            let msg = if self.entries.is_empty() {
                lang.pick("연락할 사람이 없습니다.", "Nobody to call.")
            } else {
                lang.pick("거르기에 맞는 항목이 없습니다.", "Nothing matches the filters.")
            };
            Paragraph::new(Span::styled(msg, view.theme.dim)).render(Rect { height: 1, ..rows_area }, buf);
            return;
        }
        let height = rows_area.height as usize;
        // Remembered so the next move loads a window that covers the screen.
        self.list_rows.set(height);
        let offset = self.selected.saturating_sub(height.saturating_sub(1));
        for row in (offset..offset + height).take_while(|&row| row < self.shown.len()) {
            // Rows outside the loaded window (only when the terminal grew taller than the
            // window since the last move) stay blank until the next move loads them.
            let Some(c) = self.item_at(row) else { continue };
            let y = rows_area.y + (row - offset) as u16;
            let due_text = if cols.wide { c.due_on.format("%Y-%m-%d") } else { c.due_on.format("%m-%d") };
            let treatment = c
                .treatment_code
                .as_deref()
                .map(|t| view.catalog.treatment_label(t, lang))
                .unwrap_or_default();
            let mut spans = vec![
                Span::raw(fit(c.kind.label(lang), cols.kind) + " "),
                Span::styled(fit(&due_text.to_string(), cols.due), due_style(c.due_on, today, view)),
                Span::raw(" "),
                Span::raw(fit(&c.chart_no, cols.chart) + " "),
                Span::raw(fit(&shown_name(&c.name, view), cols.name) + " "),
                Span::raw(fit(&treatment, cols.treatment) + " "),
            ];
            if cols.wide {
                spans.push(Span::raw(fit_right(&won(c.quoted_krw), cols.money) + " "));
            }
            spans.push(Span::raw(fit_right(&won(c.offered_krw), cols.money) + " "));
            spans.push(Span::raw(fit_right(&c.attempts.to_string(), cols.tries) + " "));
            if cols.wide {
                spans.push(Span::raw(fit(self.owner_name(c.owner_id).unwrap_or(""), cols.owner) + " "));
            }
            spans.push(Span::styled(fit(&view.free(&c.last_reaction), rest), view.theme.dim));
            let mut line = Line::from(spans);
            if row == self.selected {
                line = line.patch_style(view.theme.selected);
            }
            Paragraph::new(line).render(Rect { y, height: 1, ..rows_area }, buf);
        }
    }

    /// Two lines about the selected item: what the desk needs before dialling.
    fn render_info(&self, area: Rect, buf: &mut Buffer, view: &View<'_>) {
        let lang = view.lang;
        let block = widgets::panel(Line::from(""), view.theme);
        let inner = block.inner(area);
        block.render(area, buf);
        let Some(c) = self.selected_item() else { return };
        let w = inner.width as usize;
        let mut first =
            format!("{} {}  {}", c.chart_no, shown_name(&c.name, view), shown_phone(&c.phone, view));
        if let Some(at) = &c.consulted_at {
            first.push_str(&format!("  {} {}", lang.pick("상담", "consulted"), &at[..at.len().min(10)]));
        }
        if c.quoted_krw.is_some() || c.offered_krw.is_some() {
            first.push_str(&format!("  {} -> {}", won(c.quoted_krw), won(c.offered_krw)));
        }
        if let Some(start) = &c.appointment_start {
            first.push_str(&format!(
                "  {} {}",
                lang.pick("예약", "appt"),
                start.get(..16).unwrap_or(start).replace('T', " ")
            ));
        }
        let mut second = Vec::new();
        if !c.circumstances.is_empty() {
            second.push(view.free(&c.circumstances));
        }
        if !c.note.is_empty() {
            second.push(view.free(&c.note));
        }
        if !c.last_plan.is_empty() {
            second.push(format!("{}: {}", lang.pick("다음 계획", "plan"), view.free(&c.last_plan)));
        }
        let lines = vec![
            Line::from(Span::styled(truncate(&first, w), view.theme.title)),
            Line::from(truncate(&second.join("  |  "), w)),
        ];
        Paragraph::new(lines).render(inner, buf);
    }
}

fn render_detail(
    d: &CallbackHistory,
    owner: Option<&str>,
    today: NaiveDate,
    area: Rect,
    buf: &mut Buffer,
    view: &View<'_>,
) {
    let lang = view.lang;
    let c = &d.item;
    let title = match lang {
        Lang::Ko => {
            format!(" {} - {} {}  (Esc 목록) ", c.kind.label(lang), c.chart_no, shown_name(&c.name, view))
        }
        Lang::En => {
            format!(" {} - {} {}  (Esc back) ", c.kind.label(lang), c.chart_no, shown_name(&c.name, view))
        }
    };
    let block = widgets::panel(Line::from(title), view.theme);
    let inner = block.inner(area);
    block.render(area, buf);
    let w = inner.width as usize;
    let dim = view.theme.dim;
    let kv = |k: &str, v: String| -> Line<'static> {
        Line::from(vec![Span::styled(fit(k, 15), dim), Span::raw(truncate(&v, w.saturating_sub(15)))])
    };
    let mut lines = Vec::new();
    let status = if c.open {
        Urgency::of(c.due_on, today).label(lang).to_string()
    } else {
        c.outcome.map(|o| o.label(lang).to_string()).unwrap_or_default()
    };
    lines.push(Line::from(vec![
        Span::styled(fit(lang.pick("날짜", "Due"), 15), dim),
        Span::styled(c.due_on.to_string(), due_style(c.due_on, today, view)),
        Span::raw(format!("  {status}  {}  {}", shown_phone(&c.phone, view), owner.unwrap_or(""))),
    ]));
    if let Some(at) = &c.consulted_at {
        let treatment =
            c.treatment_code.as_deref().map(|t| view.catalog.treatment_label(t, lang)).unwrap_or_default();
        lines.push(kv(
            lang.pick("상담", "Consultation"),
            format!(
                "{}  {treatment}  {} {}  {} {}",
                &at[..at.len().min(10)],
                lang.pick("견적", "quoted"),
                won(c.quoted_krw),
                lang.pick("제시가", "offered"),
                won(c.offered_krw)
            ),
        ));
        if !c.circumstances.is_empty() {
            lines.push(kv(lang.pick("특이사항", "Circumstances"), view.free(&c.circumstances)));
        }
    }
    if let Some(start) = &c.appointment_start {
        lines.push(kv(lang.pick("예약", "Appointment"), start.get(..16).unwrap_or(start).replace('T', " ")));
    }
    if !c.note.is_empty() {
        lines.push(kv(lang.pick("메모", "Note"), view.free(&c.note)));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        match lang {
            Lang::Ko => format!("연락 기록 {}건", d.contacts.len()),
            Lang::En => format!("Contacts: {}", d.contacts.len()),
        },
        view.theme.title,
    )));
    if d.contacts.is_empty() {
        lines.push(Line::from(Span::styled(lang.pick("아직 없습니다.", "None yet."), dim)));
    }
    // When, channel, reached, reaction, next plan, who.
    let fixed = 16 + 1 + 8 + 1 + 8 + 1;
    let text_w = w.saturating_sub(fixed);
    let reaction_w = text_w / 2;
    let plan_w = text_w.saturating_sub(reaction_w + 1);
    for x in &d.contacts {
        let reached = if x.reached { lang.pick("연결", "reached") } else { lang.pick("부재", "missed") };
        let when = x.contacted_at.get(..16).unwrap_or(&x.contacted_at).replace('T', " ");
        lines.push(Line::from(vec![
            Span::raw(fit(&when, 16) + " "),
            Span::raw(fit(x.channel.label(lang), 8) + " "),
            Span::styled(
                fit(reached, 8) + " ",
                if x.reached { view.theme.ok } else { Style::new().fg(view.theme.off_track) },
            ),
            Span::raw(fit(&view.free(&x.reaction), reaction_w) + " "),
            Span::styled(fit(&view.free(&x.next_plan), plan_w), dim),
        ]));
    }
    let skip = lines.len().saturating_sub(inner.height as usize);
    // Keep the newest contacts in view when the history is long.
    let lines: Vec<Line> = if skip > 0 {
        let head = lines.iter().take(2).cloned();
        head.chain(lines.iter().skip(skip + 2).cloned()).collect()
    } else {
        lines
    };
    Paragraph::new(lines).render(inner, buf);
}

fn render_picker(p: &Picker, area: Rect, buf: &mut Buffer, view: &View<'_>) {
    let lang = view.lang;
    let rect = popup(area, 64, (PICKER_ROWS + 5) as u16);
    clear_popup(rect, area, buf, view.theme);
    let block = widgets::panel(
        Line::from(lang.pick(" 상담 기록: 환자 고르기 ", " Consultation: pick the patient ")),
        view.theme,
    );
    let inner = block.inner(rect);
    block.render(rect, buf);
    let w = inner.width as usize;
    let mut lines = vec![
        Line::from(vec![
            Span::styled(lang.pick("찾기: ", "Find: "), view.theme.title),
            Span::raw(format!("{}_", p.query)),
        ]),
        Line::from(Span::styled(
            truncate(
                lang.pick(
                    "이름, 초성, 차트번호, 전화번호  Enter 고르기  Esc 닫기",
                    "name, initials, chart no or phone  Enter picks  Esc closes",
                ),
                w,
            ),
            view.theme.dim,
        )),
    ];
    if p.results.is_empty() && !p.query.is_empty() {
        lines.push(Line::from(Span::styled(
            lang.pick("맞는 환자가 없습니다", "No patient matches"),
            view.theme.dim,
        )));
    }
    for (i, r) in p.results.iter().enumerate() {
        let text = format!(
            "{} {} {}",
            fit(&r.chart_no, 6),
            fit(&shown_name(&r.name, view), 10),
            shown_phone(&r.phone, view)
        );
        let style = if i == p.selected { view.theme.selected } else { view.theme.base };
        lines.push(Line::from(Span::styled(fit(&text, w), style)));
    }
    Paragraph::new(lines).render(inner, buf);
    // The terminal caret after the query, so a Korean IME composes in place.
    let x = inner.x + (width(lang.pick("찾기: ", "Find: ")) + width(&p.query)) as u16;
    p.caret.set(Some((x.min(inner.right().saturating_sub(1)), inner.y)));
}

/// The satisfaction scores of the log-contact form: 1 to 5, each picked by its digit.
fn satisfaction_choices() -> Vec<Choice> {
    (1..=5).map(|n: u8| Choice::new(n.to_string(), n.to_string())).collect()
}
