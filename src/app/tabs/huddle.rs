//! Huddle: the ten minutes before opening. A countdown and an agenda that steps through
//! complaint patients, risky processes, today's chart review, expected dropouts and the OKR
//! pulse; decisions (an action and an owner for a patient) are taken right there.
//!
//! In presentation mode (`frontdesk huddle`) the same agenda is drawn for a shared screen:
//! large timer, high contrast, names and phones masked, read-only, long sections paging by
//! themselves while the timer runs.

use chrono::NaiveDateTime;
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::Tab;
use crate::app::form::{Choice, Field, Form, FormEvent};
use crate::app::keymap::{Command, Context};
use crate::app::theme::{Theme, status_style};
use crate::app::{Ctx, Outcome, View, widgets};
use crate::domain::huddle::{Section, Timer, TimerPhase, clock};
use crate::domain::mask::{mask_name, mask_phone};
use crate::domain::okr::{Metric, Status};
use crate::domain::text::{fit, fit_right, truncate, width};
use crate::domain::{Lang, Role};
use crate::store::huddle::{self as hs, Agenda, HuddleRecord, PatientBrief};
use crate::store::{self, Access};

/// While the timer runs on a shared screen, a long section turns a page this often.
pub const PAGE_SECONDS: i64 = 8;
const FORM_ID: &str = "huddle_action";

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
    selected: usize,
    /// Pages turned by themselves in this section (presentation, timer running).
    auto_page: i64,
    presentation: bool,
    read_only: bool,
    /// Names shown in full on a masked screen (after a logged `m`).
    unmasked: bool,
    /// Today's huddle record, once the timer started or a decision was taken.
    huddle_id: Option<i64>,
    loaded_day: Option<chrono::NaiveDate>,
    form: Option<Form>,
    form_patient: Option<PatientBrief>,
    history: Option<Vec<HuddleRecord>>,
    history_scroll: usize,
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
            selected: 0,
            auto_page: 0,
            presentation: false,
            read_only: false,
            unmasked: false,
            huddle_id: None,
            loaded_day: None,
            form: None,
            form_patient: None,
            history: None,
            history_scroll: 0,
        }
    }
}

/// One drawable row of a section, with the patient it is about (for `a`, `x`, `Enter`).
struct Row {
    patient: Option<i64>,
    /// Usually one line; a dropout whose reasons do not fit goes on below, indented.
    lines: Vec<Line<'static>>,
}

impl Row {
    fn one(patient: Option<i64>, line: Line<'static>) -> Row {
        Row { patient, lines: vec![line] }
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
        self.selected
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
        self.selected = 0;
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
        let id = *self.row_patients().get(self.selected)?;
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

    fn action_form(&self, patient: &PatientBrief, ctx: &Ctx<'_>) -> Form {
        let lang = ctx.lang;
        let name = if ctx.mask && !self.unmasked { mask_name(&patient.name) } else { patient.name.clone() };
        let mut owners: Vec<Choice> = ctx
            .catalog
            .staff
            .iter()
            .filter(|s| s.active)
            .map(|s| Choice::new(s.name.clone(), s.name.clone()))
            .collect();
        for role in Role::ALL {
            let label = role.label(lang).to_string();
            if !owners.iter().any(|c| c.code == label) {
                owners.push(Choice::new(label.clone(), label));
            }
        }
        Form::new(
            FORM_ID,
            format!("{} - {} {name}", lang.pick("조치 지정", "Assign action"), patient.chart_no),
            lang,
            ctx.today(),
        )
        .field(
            Field::text("action", lang.pick("조치", "Action"))
                .required()
                .hint(lang.pick("예: 원장님이 직접 전화", "e.g. director calls them")),
        )
        .field(Field::pick("owner", lang.pick("담당", "Owner"), owners).required())
        .field({
            let mut f = Field::text("patient_id", "patient").value(patient.id.to_string());
            f.hidden = true;
            f
        })
    }

    fn save_form(&mut self, ctx: &mut Ctx<'_>) -> Outcome {
        let Some(form) = &self.form else { return Outcome::Handled };
        let action = form.text("action");
        let owner = form.picked("owner").unwrap_or_default();
        let Some(patient_id) = form.text("patient_id").parse::<i64>().ok() else {
            self.form = None;
            return Outcome::Error("patient?".into());
        };
        let day = ctx.today();
        let now = ctx.now;
        let existing = self.huddle_id;
        let result =
            crate::desk::huddle::add_action(ctx.store, existing, day, now, patient_id, &action, &owner);
        match result {
            Ok(id) => {
                self.huddle_id = Some(id);
                self.form = None;
                self.form_patient = None;
                Outcome::Changed
            }
            Err(e) => {
                if let Some(f) = &mut self.form {
                    f.message = Some(e.to_string());
                }
                Outcome::Handled
            }
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
        let Some(pid) = self.row_patients().get(self.selected).copied() else {
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
        self.selected = self.selected.min(self.row_count().saturating_sub(1));
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
            Command::Up => {
                self.selected = self.selected.saturating_sub(1);
                Outcome::Handled
            }
            Command::Down => {
                self.selected = (self.selected + 1).min(rows.saturating_sub(1));
                Outcome::Handled
            }
            Command::PageUp => {
                self.selected = self.selected.saturating_sub(8);
                Outcome::Handled
            }
            Command::PageDown => {
                self.selected = (self.selected + 8).min(rows.saturating_sub(1));
                Outcome::Handled
            }
            Command::Top => {
                self.selected = 0;
                Outcome::Handled
            }
            Command::Bottom => {
                self.selected = rows.saturating_sub(1);
                Outcome::Handled
            }
            Command::Open => match self.row_patients().get(self.selected) {
                Some(id) if !self.presentation => Outcome::OpenPatient(*id),
                _ => Outcome::Handled,
            },
            Command::AssignAction => {
                if self.read_only {
                    return Outcome::Message(read_only_message(lang, self.presentation).into());
                }
                match self.selected_patient() {
                    Some(p) => {
                        self.form = Some(self.action_form(&p, ctx));
                        self.form_patient = Some(p);
                        Outcome::Handled
                    }
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
        let Some(form) = &mut self.form else { return Outcome::Ignored };
        match form.handle_key(key) {
            FormEvent::Submit => self.save_form(ctx),
            FormEvent::Cancel => {
                self.form = None;
                self.form_patient = None;
                Outcome::Handled
            }
            _ => Outcome::Handled,
        }
    }

    fn keyboard_grabbed(&self) -> bool {
        self.form.is_some()
    }

    fn open_form(&self) -> Option<&Form> {
        self.form.as_ref()
    }

    fn restore_form(&mut self, form_id: &str, draft: &str, ctx: &mut Ctx<'_>) -> bool {
        if form_id != FORM_ID || self.read_only {
            return false;
        }
        let Ok(map) = serde_json::from_str::<std::collections::BTreeMap<String, String>>(draft) else {
            return false;
        };
        let Some(pid) = map.get("patient_id").and_then(|p| p.parse::<i64>().ok()) else { return false };
        let Ok(patient) = hs::patient_brief(&*ctx.store, pid) else { return false };
        let mut form = self.action_form(&patient, ctx);
        form.restore_draft(draft);
        self.form = Some(form);
        self.form_patient = Some(patient);
        true
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
        if let Some(form) = &self.form {
            form.render(area, buf, view.theme);
        }
    }
}

/// The timer's colour: amber in the last minute, red past time.
pub fn timer_style(phase: TimerPhase, theme: &Theme) -> Style {
    match phase {
        TimerPhase::NotStarted => theme.dim,
        TimerPhase::Paused => theme.info,
        TimerPhase::Running => theme.ok,
        TimerPhase::LastMinute => theme.base.fg(theme.behind),
        TimerPhase::Overtime => theme.base.fg(theme.off_track),
    }
}

fn phase_word(phase: TimerPhase, lang: Lang) -> &'static str {
    match phase {
        TimerPhase::NotStarted => lang.pick("시작 전 (Space)", "not started (Space)"),
        TimerPhase::Running => lang.pick("진행 중", "running"),
        TimerPhase::Paused => lang.pick("멈춤", "paused"),
        TimerPhase::LastMinute => lang.pick("마지막 1분", "last minute"),
        TimerPhase::Overtime => lang.pick("시간 초과", "over time"),
    }
}

impl HuddleTab {
    /// The agenda steps; when they do not fit, only the current one keeps its title.
    fn agenda_line(&self, view: &View<'_>, cols: u16) -> Line<'static> {
        let full: usize = Section::ALL.iter().map(|s| width(s.title(view.lang)) + 5).sum();
        let compact = full > cols as usize;
        let mut spans = Vec::new();
        for s in Section::ALL {
            let label = if compact && s != self.section {
                format!(" {} ", s.index() + 1)
            } else {
                format!(" {} {} ", s.index() + 1, s.title(view.lang))
            };
            let style = if s == self.section { view.theme.tab_active } else { view.theme.dim };
            spans.push(Span::styled(label, style));
            if s != Section::OkrPulse {
                spans.push(Span::styled(">", view.theme.dim));
            }
        }
        Line::from(spans)
    }

    fn section_timing(&self, lang: Lang) -> String {
        let spent = self.spent_in(self.section);
        let suggested = self.section.suggested_seconds();
        match lang {
            Lang::Ko => format!(
                "안건 {}/5 / 권장 {} / 사용 {}",
                self.section.index() + 1,
                clock(suggested),
                clock(spent)
            ),
            Lang::En => {
                format!(
                    "item {}/5 / suggested {} / spent {}",
                    self.section.index() + 1,
                    clock(suggested),
                    clock(spent)
                )
            }
        }
    }

    fn render_desk(&self, area: Rect, buf: &mut Buffer, view: &View<'_>, masked: bool) {
        let theme = view.theme;
        let [top, steps, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Length(1), Constraint::Fill(1)]).areas(area);
        let phase = self.timer.phase(self.now);
        let remaining = self.timer.remaining(self.now);
        let line = Line::from(vec![
            Span::styled(format!(" {} ", view.lang.pick("남은 시간", "Time left")), theme.title),
            Span::styled(
                format!(" {} ", clock(remaining)),
                timer_style(phase, theme).add_modifier(ratatui::style::Modifier::BOLD),
            ),
            Span::styled(format!(" {}  ", phase_word(phase, view.lang)), timer_style(phase, theme)),
            Span::styled(self.section_timing(view.lang), theme.dim),
        ]);
        buf.set_line(top.x, top.y, &line, top.width);
        buf.set_line(steps.x, steps.y, &self.agenda_line(view, steps.width), steps.width);
        self.render_section(body, buf, view, masked, false);
    }

    fn render_presentation(&self, area: Rect, buf: &mut Buffer, view: &View<'_>, masked: bool) {
        let theme = view.theme;
        let [top, _gap, steps, body] = Layout::vertical([
            Constraint::Length(BIG_HEIGHT),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Fill(1),
        ])
        .areas(area);
        let phase = self.timer.phase(self.now);
        let remaining = self.timer.remaining(self.now);
        let style = timer_style(phase, theme);
        let text = clock(remaining);
        let big_w = big_width(&text);
        let x = top.x + 1;
        draw_big(buf, x, top.y, &text, style, top);
        // Beside the digits: the section, its suggested time, the state.
        let side_x = x + big_w + 3;
        if side_x < top.right() {
            let w = top.right() - side_x;
            let lines = [
                Line::from(Span::styled(
                    format!("{}. {}", self.section.index() + 1, self.section.title(view.lang)),
                    theme.title,
                )),
                Line::from(Span::styled(self.section_timing(view.lang), theme.base)),
                Line::from(Span::styled(phase_word(phase, view.lang).to_string(), style)),
                Line::from(Span::styled(
                    if masked {
                        view.lang.pick("이름/전화번호 가림", "names and phones masked")
                    } else {
                        view.lang.pick("가림 해제됨 (기록됨)", "unmasked (logged)")
                    },
                    theme.dim,
                )),
            ];
            for (i, l) in lines.iter().enumerate() {
                buf.set_line(side_x, top.y + i as u16, l, w);
            }
        }
        buf.set_line(steps.x, steps.y, &self.agenda_line(view, steps.width), steps.width);
        self.render_section(body, buf, view, masked, true);
    }

    fn render_section(
        &self,
        area: Rect,
        buf: &mut Buffer,
        view: &View<'_>,
        masked: bool,
        presentation: bool,
    ) {
        let theme = view.theme;
        let block = widgets::panel(
            Line::from(format!(" {}. {} ", self.section.index() + 1, self.section.title(view.lang))),
            theme,
        );
        let inner = block.inner(area);
        block.render(area, buf);
        let w = inner.width as usize;
        let (head, rows) = self.section_rows(view, masked, w);
        let mut y = inner.y;
        for line in &head {
            if y >= inner.bottom() {
                return;
            }
            buf.set_line(inner.x, y, line, inner.width);
            y += 1;
        }
        if rows.is_empty() {
            if y < inner.bottom() {
                buf.set_line(
                    inner.x,
                    y,
                    &Line::from(Span::styled(empty_text(self.section, view.lang), theme.dim)),
                    inner.width,
                );
            }
            return;
        }
        let room = inner.bottom().saturating_sub(y) as usize;
        let heights: Vec<usize> = rows.iter().map(|r| r.lines.len()).collect();
        // One line kept for the page marker when the rows do not fit.
        let fits = heights.iter().sum::<usize>() <= room;
        let page_list = paginate(&heights, if fits { room } else { room.saturating_sub(1) });
        let pages = page_list.len();
        let page = if presentation && self.timer.is_running() {
            (self.auto_page as usize) % pages
        } else {
            page_list.iter().position(|(a, b)| (*a..*b).contains(&self.selected)).unwrap_or(0)
        };
        let highlight = !(presentation && self.timer.is_running()) && self.section != Section::OkrPulse;
        let (from, to) = page_list[page];
        for (i, row) in rows.iter().enumerate().take(to).skip(from) {
            for line in &row.lines {
                if y >= inner.bottom() {
                    break;
                }
                buf.set_line(inner.x, y, line, inner.width);
                if highlight && i == self.selected && row.patient.is_some() {
                    buf.set_style(Rect { x: inner.x, y, width: inner.width, height: 1 }, theme.selected);
                }
                y += 1;
            }
        }
        if pages > 1 {
            let marker = match view.lang {
                Lang::Ko => format!("{}/{}쪽 ({}명)", page + 1, pages, rows.len()),
                Lang::En => format!("page {}/{} ({} rows)", page + 1, pages, rows.len()),
            };
            let mx = inner.right().saturating_sub(width(&marker) as u16 + 1);
            buf.set_string(mx, inner.bottom() - 1, marker, theme.dim);
        }
    }

    /// Header lines and rows of the current section, laid out for `w` columns.
    fn section_rows(&self, view: &View<'_>, masked: bool, w: usize) -> (Vec<Line<'static>>, Vec<Row>) {
        let lang = view.lang;
        let theme = view.theme;
        let name = |p: &PatientBrief| if masked { mask_name(&p.name) } else { p.name.clone() };
        let phone = |p: &PatientBrief| if masked { mask_phone(&p.phone) } else { p.phone.clone() };
        // Free text (plans, actions) may name people or hold a phone number.
        let free = |s: &str| {
            if masked { crate::domain::mask::mask_text(s, view.mask_names) } else { s.to_string() }
        };
        let wide = w >= 96;
        let category = |c: &str| {
            view.catalog
                .complaint_categories
                .iter()
                .find(|x| x.code == c)
                .map(|x| x.label(lang).to_string())
                .unwrap_or_else(|| c.to_string())
        };
        let action_flag = |pid: i64| -> Vec<Span<'static>> {
            match self.agenda.open_actions.get(&pid) {
                Some(acts) if !acts.is_empty() => {
                    let a = &acts[0];
                    let more = if acts.len() > 1 { format!(" +{}", acts.len() - 1) } else { String::new() };
                    let owner = if a.owner.is_empty() { String::new() } else { format!("/{}", a.owner) };
                    vec![Span::styled(format!(" [A: {}{owner}{more}]", free(&a.action)), theme.info)]
                }
                _ => Vec::new(),
            }
        };
        let ident = |p: &PatientBrief| -> String {
            let mut s = format!("{} {}", fit(&p.chart_no, 6), fit(&name(p), 10));
            if wide {
                s.push(' ');
                s.push_str(&fit(&phone(p), 13));
            }
            s
        };
        let header = |cols: String| Line::from(Span::styled(truncate(&cols, w), theme.dim));
        let id_header = || {
            let mut s =
                format!("{} {}", fit(lang.pick("차트", "Chart"), 6), fit(lang.pick("이름", "Name"), 10));
            if wide {
                s.push(' ');
                s.push_str(&fit(lang.pick("전화", "Phone"), 13));
            }
            s
        };
        let time_of = |t: Option<NaiveDateTime>| {
            t.map(|t| t.format("%H:%M").to_string()).unwrap_or_else(|| "  -  ".into())
        };
        match self.section {
            Section::Complaints => {
                let head = vec![header(format!(
                    "{} {} {} {} {} {}",
                    fit(lang.pick("오늘", "Today"), 5),
                    id_header(),
                    fit(lang.pick("유형", "Category"), 14),
                    fit(lang.pick("접수", "Date"), 5),
                    fit(lang.pick("상태", "State"), 6),
                    lang.pick("해결 방안 (담당)", "Resolution plan (owner)")
                ))];
                let rows = self
                    .agenda
                    .complaints
                    .iter()
                    .map(|c| {
                        let state = if c.open {
                            lang.pick("미해결", "open")
                        } else {
                            lang.pick("해결", "closed")
                        };
                        let plan = if c.plan.is_empty() {
                            lang.pick("(방안 없음)", "(no plan)").to_string()
                        } else {
                            free(&c.plan)
                        };
                        let owner =
                            c.owner.clone().unwrap_or_else(|| lang.pick("담당 없음", "no owner").to_string());
                        let mut spans = vec![
                            Span::raw(format!(
                                "{} {} {} {} ",
                                fit(&time_of(c.coming_at), 5),
                                ident(&c.patient),
                                fit(&category(&c.category), 14),
                                c.raised_on.format("%m-%d")
                            )),
                            Span::styled(fit(state, 6), if c.open { theme.warn } else { theme.ok }),
                            Span::raw(format!(" {plan} ({owner})")),
                        ];
                        spans.extend(action_flag(c.patient.id));
                        Row::one(Some(c.patient.id), Line::from(spans))
                    })
                    .collect();
                (head, rows)
            }
            Section::RiskyProcesses => {
                let top: Vec<String> = self
                    .agenda
                    .risky_categories
                    .iter()
                    .take(hs::RISKY_CATEGORIES)
                    .map(|(c, n)| match lang {
                        Lang::Ko => format!("{} {n}건", category(c)),
                        Lang::En => format!("{} {n}", category(c)),
                    })
                    .collect();
                let summary = if top.is_empty() {
                    lang.pick("최근 30일 불만 없음", "No complaints in the last 30 days").to_string()
                } else {
                    format!(
                        "{}: {}",
                        lang.pick("최근 30일 많은 불만", "Most frequent in 30 days"),
                        top.join(", ")
                    )
                };
                let summary = match (self.agenda.risky_more, lang) {
                    (0, _) => summary,
                    (n, Lang::Ko) => format!("{summary} (외 {n}명)"),
                    (n, Lang::En) => format!("{summary} (+{n} more)"),
                };
                let head = vec![
                    Line::from(Span::styled(truncate(&summary, w), theme.title)),
                    header(format!(
                        "{} {} {} {}",
                        fit(lang.pick("시간", "Time"), 5),
                        id_header(),
                        fit(lang.pick("치료", "Treatment"), 14),
                        lang.pick("주의할 점", "Watch for")
                    )),
                ];
                let rows = self
                    .agenda
                    .risky_visits
                    .iter()
                    .map(|r| {
                        let t = r
                            .visit
                            .treatment
                            .as_deref()
                            .map(|t| view.catalog.treatment_label(t, lang))
                            .unwrap_or_default();
                        let cats = r.categories.iter().map(|c| category(c)).collect::<Vec<_>>().join(", ");
                        let mut spans = vec![
                            Span::raw(format!(
                                "{} {} {} ",
                                r.visit.start.format("%H:%M"),
                                ident(&r.visit.patient),
                                fit(&t, 14)
                            )),
                            Span::styled(cats, theme.warn),
                        ];
                        spans.extend(action_flag(r.visit.patient.id));
                        Row::one(Some(r.visit.patient.id), Line::from(spans))
                    })
                    .collect();
                (head, rows)
            }
            Section::ChartReview => {
                let c = &self.agenda.counts;
                let counts = match lang {
                    Lang::Ko => format!(
                        "오늘 {}명 / 초진 {} / 소개자 {} / 가망 {} / 생일 {}",
                        c.visits, c.first_visits, c.referrers, c.prospects, c.birthdays
                    ),
                    Lang::En => format!(
                        "{} patients today / first visits {} / referrers {} / prospects {} / birthdays {}",
                        c.visits, c.first_visits, c.referrers, c.prospects, c.birthdays
                    ),
                };
                let mut stickers =
                    vec![Span::styled(format!("{} ", lang.pick("스티커", "Stickers")), theme.dim)];
                for (tag, n) in &c.by_tag {
                    stickers
                        .push(Span::styled(format!(" {} ", tag.badge()), crate::app::theme::tag_style(*tag)));
                    stickers.push(Span::raw(format!(" {} {n}  ", tag.label(lang))));
                }
                let head = vec![
                    Line::from(Span::styled(truncate(&counts, w), theme.title)),
                    Line::from(stickers),
                    header(format!(
                        "{} {} {} {} {}",
                        fit(lang.pick("시간", "Time"), 5),
                        id_header(),
                        fit(lang.pick("치료", "Treatment"), 14),
                        fit(lang.pick("스티커", "Tags"), 10),
                        lang.pick("볼 점", "Notes")
                    )),
                ];
                let rows = self
                    .agenda
                    .today
                    .iter()
                    .map(|v| {
                        let t = v
                            .treatment
                            .as_deref()
                            .map(|t| view.catalog.treatment_label(t, lang))
                            .unwrap_or_default();
                        let mut spans = vec![Span::raw(format!(
                            "{} {} {} ",
                            v.start.format("%H:%M"),
                            ident(&v.patient),
                            fit(&t, 14)
                        ))];
                        let mut used = 0;
                        for tag in &v.tags {
                            spans.push(Span::styled(tag.badge(), crate::app::theme::tag_style(*tag)));
                            spans.push(Span::raw(" "));
                            used += 2;
                        }
                        spans.push(Span::raw(" ".repeat(11usize.saturating_sub(used))));
                        let mut notes = Vec::new();
                        if v.first_visit {
                            notes.push(lang.pick("초진", "first visit").to_string());
                        }
                        if v.referred > 0 {
                            notes.push(match lang {
                                Lang::Ko => format!("소개 {}명", v.referred),
                                Lang::En => format!("referred {}", v.referred),
                            });
                        }
                        if v.prospect {
                            notes.push(lang.pick("가망", "prospect").to_string());
                        }
                        if v.birthday {
                            notes.push(lang.pick("생일", "birthday").to_string());
                        }
                        spans.push(Span::styled(notes.join(", "), theme.info));
                        spans.extend(action_flag(v.patient.id));
                        Row::one(Some(v.patient.id), Line::from(spans))
                    })
                    .collect();
                (head, rows)
            }
            Section::Dropouts => {
                let head = vec![header(format!(
                    "{} {} {} {}",
                    fit_right(lang.pick("점수", "Score"), 5),
                    id_header(),
                    fit(lang.pick("최근", "Last"), 5),
                    lang.pick("이유", "Why")
                ))];
                let label = |c: &str| {
                    if view.catalog.treatment(c).is_some() {
                        view.catalog.treatment_label(c, lang)
                    } else {
                        category(c)
                    }
                };
                let rows = self
                    .agenda
                    .dropouts
                    .iter()
                    .map(|(d, p)| {
                        let reasons: Vec<String> = d.reasons.iter().map(|r| r.words(lang, &label)).collect();
                        let style = if d.score >= 3 { theme.warn } else { theme.base };
                        let lead = format!(" {} {} ", ident(p), d.last_visit.format("%m-%d"));
                        let first_w = w.saturating_sub(5 + width(&lead));
                        let indent = 6;
                        let wrapped = wrap_items(&reasons, first_w, w.saturating_sub(indent));
                        let mut first = vec![
                            Span::styled(fit_right(&d.score.to_string(), 5), style),
                            Span::raw(lead),
                            Span::raw(wrapped[0].clone()),
                        ];
                        first.extend(action_flag(p.id));
                        let mut lines = vec![Line::from(first)];
                        for more in &wrapped[1..] {
                            lines.push(Line::from(format!("{}{more}", " ".repeat(indent))));
                        }
                        Row { patient: Some(p.id), lines }
                    })
                    .collect();
                (head, rows)
            }
            Section::OkrPulse => {
                let bar_w = if w >= 100 { 20 } else { 12 };
                let bar = |progress: Option<f64>, status: Status| -> Span<'static> {
                    let filled =
                        progress.map(|p| (p.clamp(0.0, 1.0) * bar_w as f64).round() as usize).unwrap_or(0);
                    let text = format!("[{}{}]", "#".repeat(filled), "-".repeat(bar_w - filled));
                    Span::styled(text, status_style(status, theme))
                };
                let pct = |progress: Option<f64>| match progress {
                    Some(p) => format!("{:>4.0}%", p * 100.0),
                    None => "    -".to_string(),
                };
                let mut rows = Vec::new();
                for o in &self.agenda.okr {
                    rows.push(Row::one(
                        None,
                        Line::from(vec![
                            Span::styled(fit(&o.title, w.saturating_sub(bar_w + 10).min(50)), theme.title),
                            Span::raw(" "),
                            bar(o.progress, o.status),
                            Span::styled(pct(o.progress), status_style(o.status, theme)),
                        ]),
                    ));
                    for k in &o.key_results {
                        let target = format_target(&k.metric, k.target);
                        let dir = if k.direction == "at_most" { "<=" } else { ">=" };
                        let owner = if k.owner.is_empty() { String::new() } else { format!("  {}", k.owner) };
                        let met = if k.status == Status::Met { lang.pick("  달성!", "  Met!") } else { "" };
                        rows.push(Row::one(
                            None,
                            Line::from(vec![
                                Span::raw(format!("  {} ", fit(&k.title, 28))),
                                Span::styled(
                                    format!("{} {}", lang.pick("현재", "now"), k.value_text),
                                    status_style(k.status, theme),
                                ),
                                Span::styled(
                                    match &k.today_text {
                                        Some(t) => format!(" ({} {t})  ", lang.pick("오늘", "today")),
                                        None => "  ".to_string(),
                                    },
                                    theme.dim,
                                ),
                                Span::raw(format!("{} {dir} {target}", lang.pick("목표", "target"))),
                                Span::styled(met, status_style(k.status, theme)),
                                Span::styled(owner, theme.dim),
                            ]),
                        ));
                    }
                }
                (Vec::new(), rows)
            }
        }
    }
}

fn format_target(metric: &str, target: f64) -> String {
    match Metric::parse(metric) {
        Some(m) if m.is_rate() => format!("{:.0}%", target * 100.0),
        _ if target.fract() == 0.0 => crate::domain::text::format_won(target as i64),
        _ => format!("{target:.1}"),
    }
}

fn empty_text(section: Section, lang: Lang) -> &'static str {
    match section {
        Section::Complaints => lang.pick(
            "미해결 불만도, 최근 불만이 있는 오늘 환자도 없습니다.",
            "No open complaints and no patient today with a recent one.",
        ),
        Section::RiskyProcesses => lang.pick(
            "오늘 위험 프로세스를 거치는 예약이 없습니다.",
            "No appointment today goes through a risky process.",
        ),
        Section::ChartReview => lang.pick("오늘 예약이 없습니다.", "No appointments today."),
        Section::Dropouts => lang.pick("예상 이탈 고객이 없습니다.", "No expected dropouts."),
        Section::OkrPulse => lang.pick("진행 중인 목표가 없습니다.", "No objectives running."),
    }
}

fn render_history(
    history: &[HuddleRecord],
    scroll: usize,
    area: Rect,
    buf: &mut Buffer,
    view: &View<'_>,
    masked: Option<&crate::domain::mask::NameSet>,
) {
    let theme = view.theme;
    let lang = view.lang;
    let popup = crate::app::form::popup(area, 96, area.height.saturating_sub(2));
    crate::app::form::clear_popup(popup, area, buf, theme);
    let block = widgets::panel(
        Line::from(lang.pick(" 지난 회의 - h/Esc 닫기 ", " Earlier huddles - h/Esc closes ")),
        theme,
    );
    let inner = block.inner(popup);
    block.render(popup, buf);
    let mut lines: Vec<Line<'static>> = Vec::new();
    if history.is_empty() {
        lines.push(Line::from(Span::styled(
            lang.pick("기록된 회의가 없습니다.", "No huddles recorded yet."),
            theme.dim,
        )));
    }
    for h in history {
        let head = match lang {
            Lang::Ko => format!(
                "{} {}  {}  결정 {}건",
                h.held_on,
                h.started_at.get(11..16).unwrap_or(""),
                clock(h.length_sec),
                h.decisions.len()
            ),
            Lang::En => format!(
                "{} {}  {}  {} decisions",
                h.held_on,
                h.started_at.get(11..16).unwrap_or(""),
                clock(h.length_sec),
                h.decisions.len()
            ),
        };
        lines.push(Line::from(Span::styled(head, theme.title)));
        for a in &h.decisions {
            let name = if masked.is_some() { mask_name(&a.patient.name) } else { a.patient.name.clone() };
            let action = match masked {
                Some(names) => crate::domain::mask::mask_text(&a.action, names),
                None => a.action.clone(),
            };
            let done = match &a.done_at {
                Some(_) => Span::styled(format!(" [{}]", lang.pick("완료", "done")), theme.ok),
                None => Span::styled(format!(" [{}]", lang.pick("진행", "open")), theme.warn),
            };
            lines.push(Line::from(vec![
                Span::raw(format!(
                    "  {} {} {} ({})",
                    fit(&a.patient.chart_no, 6),
                    fit(&name, 10),
                    action,
                    a.owner
                )),
                done,
            ]));
        }
    }
    let start = scroll.min(lines.len().saturating_sub(1));
    for (i, line) in lines.iter().skip(start).take(inner.height as usize).enumerate() {
        buf.set_line(inner.x, inner.y + i as u16, line, inner.width);
    }
}

// Large digits for the shared screen: a 3x5 font drawn two columns per dot, with '#' cells
// whose background is the timer colour - ASCII, so every terminal font gives it one column.
const BIG_HEIGHT: u16 = 5;
const DOT_W: u16 = 2;

fn glyph(c: char) -> [&'static str; 5] {
    match c {
        '0' => ["###", "# #", "# #", "# #", "###"],
        '1' => [" # ", "## ", " # ", " # ", "###"],
        '2' => ["###", "  #", "###", "#  ", "###"],
        '3' => ["###", "  #", "###", "  #", "###"],
        '4' => ["# #", "# #", "###", "  #", "  #"],
        '5' => ["###", "#  ", "###", "  #", "###"],
        '6' => ["###", "#  ", "###", "# #", "###"],
        '7' => ["###", "  #", "  #", "  #", "  #"],
        '8' => ["###", "# #", "###", "# #", "###"],
        '9' => ["###", "# #", "###", "  #", "###"],
        ':' => [" ", "#", " ", "#", " "],
        '-' => ["   ", "   ", "###", "   ", "   "],
        _ => ["   ", "   ", "   ", "   ", "   "],
    }
}

/// Columns the large text takes.
pub fn big_width(text: &str) -> u16 {
    let dots: u16 = text.chars().map(|c| glyph(c)[0].len() as u16).sum();
    let gaps = text.chars().count().saturating_sub(1) as u16;
    dots * DOT_W + gaps * DOT_W
}

fn draw_big(buf: &mut Buffer, x: u16, y: u16, text: &str, style: Style, clip: Rect) {
    // Solid blocks: the '#' drawn in the timer colour on the timer colour.
    let colour = style.fg.unwrap_or(Color::White);
    let dot = Style::new().fg(colour).bg(colour);
    let mut cx = x;
    for c in text.chars() {
        let g = glyph(c);
        for (row, pattern) in g.iter().enumerate() {
            for (col, ch) in pattern.chars().enumerate() {
                if ch != '#' {
                    continue;
                }
                for k in 0..DOT_W {
                    let px = cx + col as u16 * DOT_W + k;
                    let py = y + row as u16;
                    if px < clip.right() && py < clip.bottom() {
                        buf[(px, py)].set_char('#').set_style(dot);
                    }
                }
            }
        }
        cx += (g[0].len() as u16 + 1) * DOT_W;
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
