//! Huddle: the ten minutes before opening. A countdown and an agenda that steps through
//! complaint patients, risky processes, today's chart review, expected dropouts and the OKR
//! pulse; decisions (an action and an owner for a patient) are taken right there.
//!
//! In presentation mode (`frontdesk huddle`) the same agenda is drawn for a shared screen:
//! large timer, high contrast, names and phones masked, read-only, long sections paging by
//! themselves while the timer runs.

use chrono::{NaiveDate, NaiveDateTime};
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::Tab;
use crate::app::form::spec::OpenForm;
use crate::app::form::{Choice, Field, Form};
use crate::app::keymap::{Command, Context};
use crate::app::theme::{Theme, status_style};
use crate::app::{Ctx, Outcome, View, widgets};
use crate::domain::huddle::{Section, Timer, TimerPhase, clock};
use crate::domain::mask::{mask_name, mask_phone};
use crate::domain::okr::{Metric, Status};
use crate::domain::text::{fit, truncate, width};
use crate::domain::{Lang, Role};
use crate::store::huddle::{self as hs, Agenda, HuddleRecord, PatientBrief};
use crate::store::{self, Access};

mod view;
pub use view::*;

use crate::app::kit::selection::Selection;
mod forms;
mod history;
pub use forms::ActionForm;
mod money;
pub use history::*;

/// While the timer runs on a shared screen, a long section turns a page this often.
pub const PAGE_SECONDS: i64 = 8;

#[derive(Debug)]
pub struct HuddleTab {
    agenda: Agenda,
    section: Section,
    timer: Timer,
    /// The time as of the last tick or command; drawing reads it.
    now: NaiveDateTime,
    /// Seconds of the timer spent in each section, banked when leaving it.
    section_spent: [i64; 5],
    /// Timer reading when the current section was entered.
    section_entered: i64,
    selection: Selection,
    /// Pages turned by themselves in this section (presentation, timer running).
    auto_page: i64,
    presentation: bool,
    read_only: bool,
    /// Names shown in full on a masked screen (after a logged `m`).
    unmasked: bool,
    /// Today's huddle record, once the timer started or a decision was taken.
    huddle_id: Option<i64>,
    loaded_day: Option<chrono::NaiveDate>,
    form: Option<OpenForm>,
    history: Option<Vec<HuddleRecord>>,
    history_scroll: usize,
    /// Package-ending flags and sticker suggestions for the chart review (money.rs).
    money: money::ChartMoney,
    /// The sticker ranking of the day (twelve months of payments), read once a day.
    ranked: Option<(NaiveDate, Vec<crate::store::stickers::Suggestion>)>,
}

impl Default for HuddleTab {
    fn default() -> Self {
        HuddleTab {
            agenda: Agenda::default(),
            section: Section::Complaints,
            timer: Timer::default(),
            now: NaiveDateTime::default(),
            section_spent: [0; 5],
            section_entered: 0,
            selection: Selection::default(),
            auto_page: 0,
            presentation: false,
            read_only: false,
            unmasked: false,
            huddle_id: None,
            loaded_day: None,
            form: None,
            history: None,
            history_scroll: 0,
            money: Default::default(),
            ranked: None,
        }
    }
}

/// Splits rows of the given heights into pages of at most `room` lines: `[start, end)` each.
fn paginate(heights: &[usize], room: usize) -> Vec<(usize, usize)> {
    let room = room.max(1);
    let mut pages = Vec::new();
    let mut start = 0;
    let mut used = 0;
    for (i, h) in heights.iter().enumerate() {
        if used > 0 && used + h > room {
            pages.push((start, i));
            start = i;
            used = 0;
        }
        used += h;
    }
    if start < heights.len() || pages.is_empty() {
        pages.push((start, heights.len()));
    }
    pages
}

/// Joins items with "; " into lines of `first` columns, then `rest` columns.
fn wrap_items(items: &[String], first: usize, rest: usize) -> Vec<String> {
    let mut lines: Vec<String> = vec![String::new()];
    for item in items {
        let n = lines.len();
        let limit = if n == 1 { first } else { rest };
        let cur = &lines[n - 1];
        let joined = if cur.is_empty() { item.clone() } else { format!("{cur}; {item}") };
        if width(&joined) <= limit {
            lines[n - 1] = joined;
        } else if cur.is_empty() && n > 1 {
            lines[n - 1] = truncate(item, rest);
        } else {
            // Nothing more fits on this line: go on below.
            lines.push(truncate(item, rest));
        }
    }
    lines
}

impl HuddleTab {
    pub fn section(&self) -> Section {
        self.section
    }

    pub fn timer(&self) -> &Timer {
        &self.timer
    }

    pub fn agenda(&self) -> &Agenda {
        &self.agenda
    }

    pub fn selected(&self) -> usize {
        self.selection.index()
    }

    pub fn is_unmasked(&self) -> bool {
        self.unmasked
    }

    pub fn huddle_id(&self) -> Option<i64> {
        self.huddle_id
    }

    /// Goes to a section (tests and the arrow keys).
    pub fn go_to(&mut self, section: Section) {
        let elapsed = self.timer.elapsed(self.now);
        self.section_spent[self.section.index()] += elapsed - self.section_entered;
        self.section_entered = elapsed;
        self.section = section;
        self.selection.reset();
        self.auto_page = 0;
    }

    /// Seconds spent in a section so far.
    pub fn spent_in(&self, section: Section) -> i64 {
        let mut s = self.section_spent[section.index()];
        if section == self.section {
            s += self.timer.elapsed(self.now) - self.section_entered;
        }
        s
    }

    /// The patients of the current section's rows, in order.
    pub fn row_patients(&self) -> Vec<i64> {
        match self.section {
            Section::Complaints => self.agenda.complaints.iter().map(|c| c.patient.id).collect(),
            Section::RiskyProcesses => self.agenda.risky_visits.iter().map(|r| r.visit.patient.id).collect(),
            Section::ChartReview => self.agenda.today.iter().map(|v| v.patient.id).collect(),
            Section::Dropouts => self.agenda.dropouts.iter().map(|(d, _)| d.patient_id).collect(),
            Section::OkrPulse => Vec::new(),
        }
    }

    fn selected_patient(&self) -> Option<PatientBrief> {
        let id = *self.row_patients().get(self.selection.index())?;
        let a = &self.agenda;
        a.complaints
            .iter()
            .map(|c| &c.patient)
            .chain(a.today.iter().map(|v| &v.patient))
            .chain(a.dropouts.iter().map(|(_, p)| p))
            .find(|p| p.id == id)
            .cloned()
    }

    fn row_count(&self) -> usize {
        match self.section {
            Section::OkrPulse => self.agenda.okr.iter().map(|o| 1 + o.key_results.len()).sum(),
            _ => self.row_patients().len(),
        }
    }

    fn toggle_timer(&mut self, ctx: &mut Ctx<'_>) -> Outcome {
        self.now = ctx.now;
        let running = self.timer.toggle(ctx.now);
        if self.read_only {
            return Outcome::Handled;
        }
        // The record of the meeting: created when it starts, its length saved at each pause.
        let day = ctx.today();
        let now = ctx.now;
        let elapsed = self.timer.elapsed(now);
        let existing = self.huddle_id;
        let result = crate::desk::huddle::timer_toggled(ctx.store, existing, running, day, now, elapsed);
        match result {
            Ok(id) => {
                self.huddle_id = id;
                Outcome::Handled
            }
            Err(e) => Outcome::Error(e.to_string()),
        }
    }

    fn unmask(&mut self, ctx: &mut Ctx<'_>) -> Outcome {
        let lang = ctx.lang;
        if !ctx.mask {
            return Outcome::Message(lang.pick("가린 내용이 없습니다", "Nothing is masked").into());
        }
        if self.unmasked {
            self.unmasked = false;
            return Outcome::Message(lang.pick("다시 가렸습니다", "Masked again").into());
        }
        // Shown only once the unmasking is on record.
        match hs::log_unmask(ctx.store, self.section.title(Lang::En)) {
            Ok(()) => {
                self.unmasked = true;
                Outcome::Message(
                    lang.pick(
                        "이름/전화번호를 보입니다 (기록됨). m으로 다시 가림",
                        "Names shown (logged); m masks again",
                    )
                    .into(),
                )
            }
            Err(e) => Outcome::Error(format!(
                "{}: {e}",
                lang.pick(
                    "가림 해제를 기록하지 못해 가린 채로 둡니다",
                    "could not log the unmasking, still masked"
                )
            )),
        }
    }

    fn tick_off(&mut self, ctx: &mut Ctx<'_>) -> Outcome {
        let lang = ctx.lang;
        if self.read_only {
            return Outcome::Message(read_only_message(lang, self.presentation).into());
        }
        let Some(pid) = self.row_patients().get(self.selection.index()).copied() else {
            return Outcome::Message(lang.pick("환자를 고르세요", "Pick a patient first").into());
        };
        let Some(action) = self.agenda.open_actions.get(&pid).and_then(|v| v.first()).cloned() else {
            return Outcome::Message(
                lang.pick("이 환자에게 남은 조치가 없습니다", "No open action for this patient").into(),
            );
        };
        match crate::desk::huddle::tick_action(ctx.store, action.id) {
            Ok(()) => Outcome::Changed,
            Err(e) => Outcome::Error(e.to_string()),
        }
    }

    fn load_history(&mut self, ctx: &mut Ctx<'_>) -> Outcome {
        if self.history.is_some() {
            self.history = None;
            return Outcome::Handled;
        }
        match hs::recent_huddles(&*ctx.store, 30) {
            Ok(h) => {
                self.history = Some(h);
                self.history_scroll = 0;
                Outcome::Handled
            }
            Err(e) => Outcome::Error(e.to_string()),
        }
    }
}

fn read_only_message(lang: Lang, presentation: bool) -> &'static str {
    if presentation {
        lang.pick(
            "발표 화면은 읽기 전용입니다: 조치 지정은 데스크 화면(2번 탭)에서 하세요",
            "The shared screen is read-only: assign actions on the desk screen (tab 2)",
        )
    } else {
        lang.pick("읽기 전용으로 열렸습니다", "Opened read-only")
    }
}

impl Tab for HuddleTab {
    fn context(&self) -> Context {
        Context::Huddle
    }

    fn reload(&mut self, ctx: &mut Ctx<'_>) -> store::Result<()> {
        self.presentation = ctx.presentation;
        self.read_only = ctx.store.access() == Access::ReadOnly;
        if self.loaded_day.is_none() {
            self.now = ctx.now;
        }
        let today = ctx.today();
        // The OKR board is shared with the OKR tab: computed once per state of the data.
        let board = crate::store::okr::shared_board(ctx.store, today, 0)?;
        self.agenda = hs::load_agenda_with_board(&*ctx.store, ctx.catalog, today, &board)?;
        if self.ranked.as_ref().is_none_or(|(day, _)| *day != today) {
            self.ranked = Some((today, crate::store::stickers::ranked(&*ctx.store, today)?));
        }
        let ranked = self.ranked.as_ref().map(|(_, r)| r.as_slice()).unwrap_or_default();
        self.money = money::ChartMoney::load(&*ctx.store, &self.agenda.today, ranked)?;
        if self.loaded_day != Some(today) {
            // A huddle already held today (the app was restarted): carry on from where it was.
            self.loaded_day = Some(today);
            if let Some((id, length)) = hs::huddle_on(&*ctx.store, today)? {
                if !self.read_only {
                    self.huddle_id = Some(id);
                }
                if !self.timer.is_started() {
                    self.timer = Timer::resumed(length);
                }
            }
        }
        self.selection.set_len(self.row_count());
        if self.history.is_some() {
            self.history = Some(hs::recent_huddles(&*ctx.store, 30)?);
        }
        Ok(())
    }

    fn on_command(&mut self, command: Command, ctx: &mut Ctx<'_>) -> Outcome {
        self.now = ctx.now;
        let lang = ctx.lang;
        if self.history.is_some() {
            match command {
                Command::History | Command::Back => {
                    self.history = None;
                    return Outcome::Handled;
                }
                Command::Up => {
                    self.history_scroll = self.history_scroll.saturating_sub(1);
                    return Outcome::Handled;
                }
                Command::Down => {
                    self.history_scroll += 1;
                    return Outcome::Handled;
                }
                _ => {}
            }
        }
        let rows = self.row_count();
        match command {
            Command::TimerToggle => self.toggle_timer(ctx),
            Command::SectionPrev => {
                self.go_to(self.section.prev());
                Outcome::Handled
            }
            Command::SectionNext => {
                self.go_to(self.section.next());
                Outcome::Handled
            }
            c if Selection::is_movement(c) => {
                self.selection.set_len(rows);
                self.selection.on_command(c);
                Outcome::Handled
            }
            Command::Open => match self.row_patients().get(self.selection.index()) {
                Some(id) if !self.presentation => Outcome::OpenPatient(*id),
                _ => Outcome::Handled,
            },
            Command::AssignAction => {
                if self.read_only {
                    return Outcome::Message(read_only_message(lang, self.presentation).into());
                }
                match self.selected_patient() {
                    Some(p) => self.open_action(p.id, ctx),
                    None => Outcome::Message(
                        lang.pick("이 안건에는 환자가 없습니다", "No patient in this section to assign to")
                            .into(),
                    ),
                }
            }
            Command::TickAction => self.tick_off(ctx),
            Command::Unmask => self.unmask(ctx),
            Command::History => self.load_history(ctx),
            _ => Outcome::Ignored,
        }
    }

    fn on_key(&mut self, key: &KeyEvent, ctx: &mut Ctx<'_>) -> Outcome {
        self.form_key(key, ctx)
    }

    fn keyboard_grabbed(&self) -> bool {
        self.form.is_some()
    }

    fn open_form(&self) -> Option<&Form> {
        self.form.as_ref().map(|o| &o.form)
    }

    fn install_form(&mut self, mut form: OpenForm, _ctx: &mut Ctx<'_>) {
        if let Some(spec) = form.spec_mut::<ActionForm>() {
            spec.unmasked = self.unmasked;
            spec.huddle_id = self.huddle_id;
        }
        self.form = Some(form);
    }

    fn on_tick(&mut self, now: NaiveDateTime) -> bool {
        if !self.timer.is_running() {
            self.now = now;
            return false;
        }
        let before = self.timer.elapsed(self.now);
        self.now = now;
        let after = self.timer.elapsed(now);
        let pages = (after - self.section_entered).max(0) / PAGE_SECONDS;
        if pages != self.auto_page {
            self.auto_page = pages;
        }
        after != before
    }

    fn wants_fast_tick(&self) -> bool {
        // Only a running timer needs redrawing; a paused one leaves the CPU alone.
        self.timer.is_running()
    }

    fn render(&self, area: Rect, buf: &mut Buffer, view: &View<'_>) {
        let masked = view.mask && !self.unmasked;
        if self.presentation {
            self.render_presentation(area, buf, view, masked);
        } else {
            self.render_desk(area, buf, view, masked);
        }
        if let Some(history) = &self.history {
            render_history(history, self.history_scroll, area, buf, view, masked.then_some(view.mask_names));
        }
        if let Some(open) = &self.form {
            open.form.render(area, buf, view.theme);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn big_digits_are_ascii_and_one_column_each() {
        use unicode_width::UnicodeWidthChar;
        assert_eq!('#'.width(), Some(1));
        assert_eq!(big_width("10:00"), (3 + 3 + 1 + 3 + 3) * 2 + 4 * 2);
        for c in "0123456789:-".chars() {
            let g = glyph(c);
            assert!(g.iter().all(|r| r.len() == g[0].len()), "{c}");
        }
    }

    #[test]
    fn targets_read_as_people_write_them() {
        assert_eq!(format_target("no_show_rate", 0.3), "30%");
        assert_eq!(format_target("avg_daily_patients", 50.0), "50");
        assert_eq!(format_target("manual", 1.5), "1.5");
        assert_eq!(format_target("manual", 30_000_000.0), "30,000,000");
    }

    #[test]
    fn pages_hold_whole_rows() {
        assert_eq!(paginate(&[1, 1, 1], 5), vec![(0, 3)]);
        assert_eq!(paginate(&[1, 2, 2, 1], 3), vec![(0, 2), (2, 4)]);
        // A row taller than the room still gets a page of its own.
        assert_eq!(paginate(&[4, 1], 3), vec![(0, 1), (1, 2)]);
        assert_eq!(paginate(&[], 3), vec![(0, 0)]);
    }

    #[test]
    fn reasons_wrap_at_item_boundaries() {
        let items = vec!["aaaa".to_string(), "bbbb".to_string(), "cc".to_string()];
        assert_eq!(wrap_items(&items, 10, 20), vec!["aaaa; bbbb", "cc"]);
        assert_eq!(wrap_items(&items, 3, 20), vec!["", "aaaa; bbbb; cc"]);
    }

    #[test]
    fn tag_badges_fit_the_sticker_column() {
        use crate::domain::Tag;
        assert!(Tag::ALL.len() * 2 <= 11);
    }
}
