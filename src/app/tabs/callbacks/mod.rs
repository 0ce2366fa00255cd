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
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::Tab;
use crate::app::form::spec::{self, DeskForm, OpenForm};
use crate::app::form::{Choice, Field, Form, popup};
use crate::app::keymap::{Command, Context};
use crate::app::{BookingRequest, Ctx, Outcome, View, widgets};
use crate::desk::{self, DeskError};
use crate::domain::callbacks::{
    CallbackOutcome, ContactChannel, UNREACHABLE_AFTER, Urgency, not_reached_streak, offers_unreachable,
    outcomes_for,
};
use crate::domain::mask::{mask_name, mask_phone};
use crate::domain::text::{fit, format_won, truncate, width};
use crate::domain::{CallbackKind, ConsultationStatus, Lang};
use crate::store::callbacks::{
    self, CallbackHistory, CallbackItem, NewContact, NextStep, QueueCounters, QueueEntry, contacts,
};
use crate::store::consultations::NewConsultation;
use crate::store::inquiries::{PatientBrief, patient_by_id, search_patients};
use crate::store::{self, StoreError};

use crate::app::kit::selection::Selection;
mod forms;
pub use forms::{ConsultationForm, LogForm, SnoozeForm};

mod view;
use view::*;

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
    pub selection: Selection,
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
    /// Position in `shown` (the rows on screen at the last drawing size the loaded window).
    selection: Selection,
    /// The rows of `shown` whose items are loaded, and the items (`None` for one that
    /// vanished between the two queries).
    window: Range<usize>,
    items: Vec<Option<CallbackItem>>,
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
    form: Option<OpenForm>,
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
        self.item_at(self.selection.index())
    }

    /// The loaded item of row `row` of the list.
    fn item_at(&self, row: usize) -> Option<&CallbackItem> {
        if !self.window.contains(&row) {
            return None;
        }
        self.items.get(row - self.window.start).and_then(Option::as_ref)
    }

    fn selected_id(&self) -> Option<i64> {
        self.shown.get(self.selection.index()).map(|&i| self.entries[i].id)
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
        self.selection.set_len(self.shown.len());
        if let Some(pos) = keep_id.and_then(|id| self.shown.iter().position(|&i| self.entries[i].id == id)) {
            self.selection.select(pos);
        }
        self.window = 0..0;
        self.items.clear();
    }

    /// Rows that can be on screen at once.
    fn screen_rows(&self) -> usize {
        match self.selection.drawn_height() {
            0 => DEFAULT_LIST_ROWS,
            n => n,
        }
    }

    /// The rows that must be loaded for the selection to be drawn: those the list can show
    /// above and below it.
    fn needed_rows(&self) -> Range<usize> {
        let rows = self.screen_rows();
        self.selection.index().saturating_sub(rows)..(self.selection.index() + rows + 1).min(self.shown.len())
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
        let window = self.selection.index().saturating_sub(reach)
            ..(self.selection.index() + reach + 1).min(self.shown.len());
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

    /// Moves the selection (a page is the list's visible height) and loads the rows that come
    /// into view.
    fn move_selection(&mut self, command: Command, ctx: &Ctx<'_>) -> store::Result<()> {
        self.selection.on_command(command);
        self.ensure_window(ctx)
    }

    /// Opens a typed form over the list.
    fn open<S: DeskForm>(&mut self, form: S, ctx: &mut Ctx<'_>) -> Outcome {
        spec::open_in(&mut self.form, OpenForm::open(form, ctx))
    }

    fn open_log(&mut self, ctx: &mut Ctx<'_>) -> Outcome {
        let Some(item) = self.target().cloned() else { return nothing_selected(ctx.lang) };
        let history = match contacts(&*ctx.store, item.id) {
            Ok(h) => h,
            Err(e) => return Outcome::Error(e.to_string()),
        };
        let streak = not_reached_streak(history.iter().map(|c| (c.channel, c.reached)));
        self.open(LogForm { callback_id: item.id, streak }, ctx)
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
            KeyCode::Up => picker.selection.move_by(-1),
            KeyCode::Down => picker.selection.move_by(1),
            KeyCode::Enter => {
                let Some(p) = picker.results.get(picker.selection.index()).cloned() else {
                    return Outcome::Handled;
                };
                self.picker = None;
                return self.open(ConsultationForm { patient_id: p.id }, ctx);
            }
            _ => requery = crate::app::kit::line_input::edit_end(&mut picker.query, key).changed(),
        }
        if requery {
            match search_patients(&*ctx.store, &picker.query, PICKER_ROWS) {
                Ok(r) => {
                    picker.selection = Selection::new(r.len());
                    picker.results = r;
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
            _ if crate::app::kit::line_input::edit_end(&mut self.text_filter, key).changed() => {}
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
        let writes =
            matches!(command, Command::LogContact | Command::Snooze | Command::Consultation | Command::Book);
        if read_only && writes {
            return Outcome::Error(ctx.lang.pick("읽기 전용으로 열려 있습니다", "Opened read-only").into());
        }
        // Moves and filter changes load the rows that come into view.
        let loaded = match command {
            c if Selection::is_movement(c) => self.move_selection(c, ctx),
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
            // Book the callback's person now: prefilled as from the card; saving closes the
            // callback as booked with the appointment.
            Command::Book => {
                let Some(item) = self.target().cloned() else { return nothing_selected(ctx.lang) };
                return Outcome::Book(forms::booking_request(Some(&item), item.id, ctx));
            }
            Command::Snooze => {
                let Some(item) = self.target().cloned() else { return nothing_selected(ctx.lang) };
                return self.open(SnoozeForm { callback_id: item.id }, ctx);
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
        match spec::key_in(&mut self.form, key, ctx) {
            None => Outcome::Ignored,
            // Still open; or Esc: closed, nothing saved.
            Some((effect, None)) | Some((effect @ Outcome::Handled, Some(_))) => effect,
            Some((outcome, Some(_))) => {
                // The app reloads every tab on Changed; for the other outcomes reload here so
                // the queue shows what was just saved.
                if outcome != Outcome::Changed {
                    if let Err(e) = self.reload(ctx) {
                        return Outcome::Error(e.to_string());
                    }
                }
                outcome
            }
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
        self.form.as_ref().map(|o| &o.form)
    }

    fn install_form(&mut self, form: OpenForm, _ctx: &mut Ctx<'_>) {
        self.form = Some(form);
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
        if let Some(open) = &self.form {
            open.form.render(area, buf, view.theme);
        }
        if let Some(panel) = &self.texts {
            panel.render(area, buf, view);
        }
        if let Some(f) = &self.free_text {
            f.render(area, buf, view);
        }
    }
}
