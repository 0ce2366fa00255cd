//! Today: the day's chart review and the desk's appointment book.
//!
//! The day's appointments in time order with the chart's stickers and flags; single keys run
//! the day (arrived, done, no-show, cancelled, confirmed, undo); notes, stickers and
//! complaints are small forms over the list; booking, the patient card and search are
//! app-level overlays reached through [`Outcome`].

use chrono::{Duration, NaiveDate};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::Tab;
use crate::app::form::spec::{self, DeskForm, OpenForm, Step};
use crate::app::form::{Choice, Field, Form};
use crate::app::keymap::{Command, Context};
use crate::app::kit::confirm::{self, Answer};
use crate::app::kit::selection::Selection;
use crate::app::theme::{Theme, tag_style};
use crate::app::{BookingRequest, Ctx, Outcome, View, widgets};
use crate::desk::appointments::{Marked, Visit};
use crate::desk::{self, DeskError, Why};
use crate::domain::mask::mask_name;
use crate::domain::text::{truncate, width};
use crate::domain::{AppointmentStatus, Lang, Sex, Tag, age_on};
use crate::store;
use crate::store::appointments::{self, DayRow};
use crate::store::complaints::NewComplaint;

mod checkout;
mod end_of_day;
mod forms;
mod money;
pub mod reasons;
mod view;
pub use checkout::{Checkout, CheckoutForm};
pub use forms::{ComplaintForm, NoteForm, StickersForm};
pub use reasons::ReasonForm;
pub use view::*;

/// A yes/no question over the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prompt {
    /// After "done" with no next visit: book it now?
    BookNext(BookingRequest),
}

#[derive(Debug, Default)]
pub struct TodayTab {
    /// The day shown; `None` until the first reload puts today there.
    pub date: Option<NaiveDate>,
    pub rows: Vec<DayRow>,
    /// Indices into `rows` that pass the filters.
    pub visible: Vec<usize>,
    /// Position in `visible`.
    pub selection: Selection,
    pub provider_filter: Option<i64>,
    pub tag_filter: Option<Tag>,
    pub filter_text: String,
    pub filter_editing: bool,
    pub prompt: Option<Prompt>,
    /// Cancel or no-show asking its reason, confirming, offering to rebook.
    pub reason: Option<reasons::Reason>,
    /// Visits of the day shown whose time passed without arrival.
    pub late: usize,
    /// Why the day shown is closed (a holiday's name), when it is.
    pub closed_note: Option<String>,
    /// The end-of-day confirm is open.
    pub end_of_day: bool,
    form: Option<OpenForm>,
    /// The app's today at the last load: when the date passes midnight, a list showing that
    /// day follows to the new one (a list the desk stepped to another day stays there).
    today_seen: Option<NaiveDate>,
    /// The day's median wait in minutes (arrived to done, `wait_minutes`), when measured.
    pub wait_median: Option<f64>,
    /// The payment step after a done (checkout.rs).
    pub checkout: Option<Checkout>,
    /// The day's takings and the visits' packages (money.rs).
    pub money: money::DayMoney,
}

impl TodayTab {
    pub fn selected_row(&self) -> Option<&DayRow> {
        self.visible.get(self.selection.index()).and_then(|&i| self.rows.get(i))
    }

    /// The small form open over the list, if any.
    pub fn form(&self) -> Option<&Form> {
        self.form.as_ref().map(|o| &o.form)
    }

    fn load(&mut self, ctx: &mut Ctx<'_>) -> store::Result<()> {
        let today = ctx.today();
        if let Some(seen) = self.today_seen.replace(today) {
            if seen != today && self.date == Some(seen) {
                self.date = Some(today);
                self.selection.reset();
            }
        }
        let date = *self.date.get_or_insert(today);
        let keep = self.selected_row().map(|r| r.id);
        self.rows = appointments::day_list(&*ctx.store, date)?;
        self.wait_median =
            store::metrics::value(&*ctx.store, &crate::domain::okr::Metric::WaitMinutes, None, date, date)?;
        self.load_day_state(ctx)?;
        self.money = money::DayMoney::load(&*ctx.store, date, &self.rows)?;
        self.apply_filters(ctx.catalog, ctx.lang);
        if let Some(id) = keep {
            if let Some(pos) = self.visible.iter().position(|&i| self.rows[i].id == id) {
                self.selection.select(pos);
            }
        }
        Ok(())
    }

    fn apply_filters(&mut self, catalog: &store::catalog::Catalog, lang: Lang) {
        let needle = self.filter_text.trim().to_lowercase();
        self.visible = self
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| self.provider_filter.is_none_or(|p| r.provider_id == Some(p)))
            .filter(|(_, r)| self.tag_filter.is_none_or(|t| r.tags.contains(&t)))
            .filter(|(_, r)| {
                needle.is_empty() || crate::domain::text::name_matches(&r.name, &needle) || {
                    let treatment = r
                        .treatment_code
                        .as_deref()
                        .map(|c| catalog.treatment_label(c, lang))
                        .unwrap_or_default();
                    [
                        r.name.as_str(),
                        r.chart_no.as_str(),
                        r.note.as_str(),
                        treatment.as_str(),
                        r.phone.as_str(),
                    ]
                    .iter()
                    .any(|s| s.to_lowercase().contains(&needle))
                }
            })
            .map(|(i, _)| i)
            .collect();
        self.selection.set_len(self.visible.len());
    }

    fn step_day(&mut self, days: i64, ctx: &mut Ctx<'_>) -> Outcome {
        let date = self.date.unwrap_or_else(|| ctx.today());
        self.date = Some(date + Duration::days(days));
        self.selection.reset();
        self.reload_outcome(ctx)
    }

    fn reload_outcome(&mut self, ctx: &mut Ctx<'_>) -> Outcome {
        match self.load(ctx) {
            Ok(()) => Outcome::Handled,
            Err(e) => Outcome::Error(e.to_string()),
        }
    }

    fn status_change(&mut self, to: AppointmentStatus, ctx: &mut Ctx<'_>) -> Outcome {
        let lang = ctx.lang;
        let Some(row) = self.selected_row().cloned() else { return nothing_selected(lang) };
        let visit = Visit {
            id: row.id,
            patient_id: row.patient_id,
            start: row.start,
            treatment_code: row.treatment_code.as_deref(),
        };
        let today = ctx.today();
        let outcome = match desk::appointments::mark_status(ctx.store, visit, to, today) {
            Ok(Marked::Plain) => Outcome::Changed,
            Ok(Marked::NoShow) => message_changed(
                self,
                ctx,
                lang.pick(
                    "부도 처리. 재예약 리콜을 오늘 할 일에 넣었습니다",
                    "No-show. A rebooking callback is due today",
                )
                .into(),
            ),
            Ok(Marked::DoneNextBooked(next)) => message_changed(
                self,
                ctx,
                match lang {
                    Lang::Ko => {
                        format!("{} 진료 완료. 다음 예약 {} 있음", row.name, next.format("%m-%d %H:%M"))
                    }
                    Lang::En => {
                        format!("{} done. Next visit booked {}", row.name, next.format("%m-%d %H:%M"))
                    }
                },
            ),
            Ok(Marked::DoneOfferNext(date)) => {
                self.prompt = Some(Prompt::BookNext(BookingRequest {
                    patient_id: Some(row.patient_id),
                    provider_id: row.provider_id,
                    treatment_code: row.treatment_code.clone(),
                    date: Some(date),
                    ..Default::default()
                }));
                Outcome::Changed
            }
            Err(e) => Outcome::Error(refusal(&e, &row, to, lang)),
        };
        // Done: the payment step comes first (checkout.rs), then the next-visit offer.
        if to == AppointmentStatus::Done && !matches!(outcome, Outcome::Error(_)) {
            return self.start_checkout(&row, outcome, ctx);
        }
        outcome
    }

    fn undo(&mut self, ctx: &mut Ctx<'_>) -> Outcome {
        let lang = ctx.lang;
        let Some(row) = self.selected_row().cloned() else { return nothing_selected(lang) };
        match desk::appointments::undo(ctx.store, row.id) {
            Ok(Some((from, to))) => message_changed(
                self,
                ctx,
                match lang {
                    Lang::Ko => format!("되돌림: {} -> {}", to.label(lang), from.label(lang)),
                    Lang::En => format!("Undone: {} back to {}", to.label(lang), from.label(lang)),
                },
            ),
            Ok(None) => {
                Outcome::Message(lang.pick("되돌릴 상태 변경이 없습니다", "No status change to undo").into())
            }
            Err(e) => Outcome::Error(e.words(lang)),
        }
    }

    /// Opens a typed form about the selected row's patient.
    fn open_typed<S: DeskForm>(&mut self, form: impl FnOnce(&DayRow) -> S, ctx: &mut Ctx<'_>) -> Outcome {
        let Some(row) = self.selected_row() else { return nothing_selected(ctx.lang) };
        let opened = OpenForm::open(form(row), ctx);
        spec::open_in(&mut self.form, opened)
    }

    fn cycle_provider(&mut self, ctx: &mut Ctx<'_>) -> Outcome {
        let mut ids: Vec<i64> = ctx.catalog.providers().map(|s| s.id).collect();
        for r in &self.rows {
            if let Some(p) = r.provider_id {
                if !ids.contains(&p) {
                    ids.push(p);
                }
            }
        }
        self.provider_filter = match self.provider_filter {
            None => ids.first().copied(),
            Some(cur) => ids.iter().position(|&i| i == cur).and_then(|pos| ids.get(pos + 1)).copied(),
        };
        self.selection.reset();
        self.apply_filters(ctx.catalog, ctx.lang);
        Outcome::Handled
    }

    fn cycle_tag(&mut self, ctx: &mut Ctx<'_>) -> Outcome {
        self.tag_filter = match self.tag_filter {
            None => Some(Tag::ALL[0]),
            Some(cur) => {
                Tag::ALL.iter().position(|&t| t == cur).and_then(|pos| Tag::ALL.get(pos + 1)).copied()
            }
        };
        self.selection.reset();
        self.apply_filters(ctx.catalog, ctx.lang);
        Outcome::Handled
    }
}

/// A change worth a word: the app sees this connection wrote and reloads every tab.
fn message_changed(_tab: &mut TodayTab, _ctx: &mut Ctx<'_>, msg: String) -> Outcome {
    Outcome::Message(msg)
}

fn nothing_selected(lang: Lang) -> Outcome {
    Outcome::Message(lang.pick("선택한 예약이 없습니다", "No appointment selected").into())
}

/// Says in the desk's language why a status key did nothing.
fn refusal(e: &DeskError, row: &DayRow, to: AppointmentStatus, lang: Lang) -> String {
    let (name, day) = (&row.name, row.start.format("%m-%d"));
    let (was, to) = (row.status.label(lang), to.label(lang));
    let (was_lower, to_lower) = (was.to_lowercase(), to.to_lowercase());
    match (e, lang) {
        // The store refuses it too; say why in the desk's words.
        (DeskError::Refused(Why::NotYet), Lang::Ko) => format!(
            "{name} 예약은 {day}(오늘 이후)이라 '{to}'(으)로 표시할 수 없습니다. 그날 표시하세요 (취소는 c)"
        ),
        (DeskError::Refused(Why::NotYet), Lang::En) => {
            format!(
                "{name}'s appointment is on {day}, after today: mark it {to_lower} on the day (c cancels)"
            )
        }
        (DeskError::Refused(_), Lang::Ko) => {
            format!("{name} 예약은 '{was}' 상태라 '{to}'(으)로 바꿀 수 없습니다 (u: 되돌리기)")
        }
        (DeskError::Refused(_), Lang::En) => {
            format!("{name}'s appointment is {was_lower}; it cannot be marked {to_lower} (u undoes)")
        }
        (other, _) => other.to_string(),
    }
}

impl Tab for TodayTab {
    fn context(&self) -> Context {
        Context::Today
    }

    fn selected_key(&self) -> Option<i64> {
        self.selected_row().map(|r| r.id)
    }

    fn select_key(&mut self, key: i64) -> bool {
        match self.visible.iter().position(|&i| self.rows[i].id == key) {
            Some(pos) => {
                self.selection.select(pos);
                true
            }
            None => false,
        }
    }

    fn reload(&mut self, ctx: &mut Ctx<'_>) -> store::Result<()> {
        self.load(ctx)
    }

    fn keyboard_grabbed(&self) -> bool {
        self.form.is_some()
            || self.prompt.is_some()
            || self.reason.is_some()
            || self.end_of_day
            || self.filter_editing
            || self.checkout.is_some()
    }

    /// The form a draft is saved from: the payment step, else the small form.
    fn open_form(&self) -> Option<&Form> {
        self.checkout.as_ref().map(|c| &c.form).or(self.form())
    }

    fn install_form(&mut self, form: OpenForm, _ctx: &mut Ctx<'_>) {
        match form.id() {
            CheckoutForm::ID => self.checkout = Some(Checkout::from(form)),
            ReasonForm::ID => self.reason = Some(reasons::Reason::Asking(form)),
            _ => self.form = Some(form),
        }
    }

    fn on_command(&mut self, command: Command, ctx: &mut Ctx<'_>) -> Outcome {
        if self.selection.on_command(command) {
            return Outcome::Handled;
        }
        match command {
            Command::Open => {
                return match self.selected_row() {
                    Some(r) => Outcome::OpenPatient(r.patient_id),
                    None => nothing_selected(ctx.lang),
                };
            }
            Command::Back => {
                if !self.filter_text.is_empty() || self.provider_filter.is_some() || self.tag_filter.is_some()
                {
                    self.filter_text.clear();
                    self.provider_filter = None;
                    self.tag_filter = None;
                    self.apply_filters(ctx.catalog, ctx.lang);
                }
            }
            Command::Filter => self.filter_editing = true,
            Command::Arrived => return self.status_change(AppointmentStatus::Arrived, ctx),
            Command::Done => return self.status_change(AppointmentStatus::Done, ctx),
            Command::NoShow | Command::Cancel => {
                let to = if command == Command::NoShow {
                    AppointmentStatus::NoShow
                } else {
                    AppointmentStatus::Cancelled
                };
                let Some(row) = self.selected_row().cloned() else { return nothing_selected(ctx.lang) };
                return self.ask_reason(to, row, ctx);
            }
            Command::Undo => return self.undo(ctx),
            Command::EndOfDay => return self.ask_end_of_day(ctx),
            Command::Confirm => {
                let Some(row) = self.selected_row().cloned() else { return nothing_selected(ctx.lang) };
                return match desk::appointments::confirm(ctx.store, row.id) {
                    Ok(()) => Outcome::Changed,
                    Err(e) => Outcome::Error(e.to_string()),
                };
            }
            Command::New => {
                return Outcome::Book(BookingRequest { date: self.date, ..Default::default() });
            }
            Command::Move | Command::Edit => {
                let Some(row) = self.selected_row() else { return nothing_selected(ctx.lang) };
                return Outcome::Book(BookingRequest {
                    patient_id: Some(row.patient_id),
                    provider_id: row.provider_id,
                    treatment_code: row.treatment_code.clone(),
                    date: Some(row.start.date()),
                    appointment_id: Some(row.id),
                    ..Default::default()
                });
            }
            Command::Note => return self.open_typed(|r| NoteForm { patient_id: r.patient_id }, ctx),
            Command::Sticker => return self.open_typed(|r| StickersForm { patient_id: r.patient_id }, ctx),
            Command::Complaint => {
                return self.open_typed(|r| ComplaintForm { patient_id: r.patient_id }, ctx);
            }
            Command::PrevDay => return self.step_day(-1, ctx),
            Command::NextDay => return self.step_day(1, ctx),
            Command::GoToday => {
                self.date = Some(ctx.today());
                self.selection.reset();
                return self.reload_outcome(ctx);
            }
            Command::FilterProvider => return self.cycle_provider(ctx),
            Command::FilterSticker => return self.cycle_tag(ctx),
            _ => return Outcome::Ignored,
        }
        Outcome::Handled
    }

    fn on_key(&mut self, key: &KeyEvent, ctx: &mut Ctx<'_>) -> Outcome {
        if self.checkout.is_some() {
            return self.checkout_key(key, ctx);
        }
        if let Some(outcome) = self.reason_key(key, ctx) {
            return outcome;
        }
        if let Some(outcome) = self.end_of_day_key(key, ctx) {
            return outcome;
        }
        if let Some(Prompt::BookNext(req)) = &self.prompt {
            return match confirm::answer(key) {
                Some(Answer::Yes) => {
                    let req = req.clone();
                    self.prompt = None;
                    Outcome::Book(req)
                }
                Some(Answer::No) => {
                    self.prompt = None;
                    Outcome::Handled
                }
                None => Outcome::Handled,
            };
        }
        if let Some((effect, _)) = spec::key_in(&mut self.form, key, ctx) {
            return effect;
        }
        if self.filter_editing {
            match key.code {
                KeyCode::Enter => self.filter_editing = false,
                KeyCode::Esc => {
                    self.filter_editing = false;
                    self.filter_text.clear();
                }
                _ if crate::app::kit::line_input::edit_end(&mut self.filter_text, key).changed() => {}
                _ => return Outcome::Handled,
            }
            self.selection.reset();
            self.apply_filters(ctx.catalog, ctx.lang);
            return Outcome::Handled;
        }
        Outcome::Ignored
    }

    fn cursor(&self) -> Option<(u16, u16)> {
        self.reason_caret()
            .or_else(|| self.checkout.as_ref().map(|c| &c.form).or(self.form()).and_then(|f| f.caret()))
    }

    fn render(&self, area: Rect, buf: &mut Buffer, view: &View<'_>) {
        render_today(self, area, buf, view);
    }
}
