//! OKR: objectives with their key results as live bars, computed from the desk's own data.
//!
//! The goals are on screen for everyone (share them), each key result says where it stands
//! against its target and against where it should be by today (feedback against the goals),
//! a met key result is celebrated and one off track asks for its action items (applaud what
//! is met, improve what is not). Everything is computed once per `reload`, never while drawing.

use chrono::{Datelike, Months, NaiveDate};
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::Tab;
use crate::app::form::spec::{self, OpenForm};
use crate::app::form::{Choice, Field, Form};
use crate::app::keymap::{Command, Context};
use crate::app::theme::{Theme, status_style};
use crate::app::{Ctx, Outcome, View, widgets};
use crate::desk;
use crate::domain::okr::{self, Cadence, Direction, KeyResultDef, Metric, ObjectiveDef, Status};
use crate::domain::text::{fit_right, truncate, width};
use crate::domain::{CallbackKind, Lang, mask};
use crate::store;
use crate::store::catalog::Catalog;
use crate::store::metrics::{self, Record};
use crate::store::okr::{self as store_okr, KeyResultStatus, ObjectiveStatus};

use crate::app::kit::selection::Selection;
mod filters;
mod forms;
pub use filters::filter_label;
use forms::*;
mod revenue;
mod typed;
pub use typed::{CheckInForm, KeyResultForm, NewObjectiveForm, ObjectiveForm};

mod view;
pub use view::*;

/// Weeks of history drawn beside each key result (what the shared board computes anyway).
pub const HISTORY_WEEKS: usize = store_okr::SHARED_HISTORY_WEEKS;

/// A line of the list: an objective, or one of its key results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Row {
    Objective(usize),
    KeyResult(usize, usize),
}

/// The records behind one key result's number.
#[derive(Debug)]
struct Drill {
    objective: usize,
    key_result: usize,
    records: Vec<Record>,
    selection: Selection,
}

/// What an open form will do when saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Purpose {
    NewObjective,
    EditObjective(i64),
    NewKeyResult(i64),
    EditKeyResult(i64),
    CheckIn(i64),
}

const FORM_OBJECTIVE: &str = "okr_objective";
const FORM_OBJECTIVE_EDIT: &str = "okr_objective_edit";
const FORM_KEY_RESULT: &str = "okr_key_result";
const FORM_CHECKIN: &str = "okr_checkin";

#[derive(Debug, Default)]
pub struct OkrTab {
    board: Vec<ObjectiveStatus>,
    rows: Vec<Row>,
    selection: Selection,
    drill: Option<Drill>,
    form: Option<OpenForm>,
    /// The revenue report over the board (`r`, revenue.rs).
    revenue: Option<revenue::Revenue>,
}

impl OkrTab {
    /// The objectives as judged at the last reload (for tests and the huddle's OKR pulse).
    pub fn board(&self) -> &[ObjectiveStatus] {
        &self.board
    }

    /// The selected key result, if a key result row is selected.
    pub fn selected_key_result(&self) -> Option<&KeyResultStatus> {
        match self.rows.get(self.selection.index())? {
            Row::KeyResult(o, k) => self.board.get(*o)?.key_results.get(*k),
            Row::Objective(_) => None,
        }
    }

    /// True while one of this tab's forms has the keyboard.
    pub fn keyboard_grabbed_for_test(&self) -> bool {
        self.form.is_some()
    }

    /// The revenue report's grouping, period and rows, while it is open.
    pub fn revenue_report(
        &self,
    ) -> Option<(store::payments::RevenueBy, NaiveDate, NaiveDate, &[store::payments::RevenueRow])> {
        self.revenue.as_ref().map(|r| (r.by, r.from, r.to, r.rows.as_slice()))
    }

    /// True while the records behind a number are listed.
    pub fn is_drilling(&self) -> bool {
        self.drill.is_some()
    }

    fn selected_objective(&self) -> Option<&ObjectiveStatus> {
        match self.rows.get(self.selection.index())? {
            Row::Objective(o) | Row::KeyResult(o, _) => self.board.get(*o),
        }
    }

    /// (objective id, key result id) of the selection, to keep it across reloads.
    fn selection_ids(&self) -> Option<(i64, Option<i64>)> {
        let o = self.selected_objective()?;
        Some((o.objective.id, self.selected_key_result().map(|k| k.key_result.id)))
    }

    fn rebuild_rows(&mut self, keep: Option<(i64, Option<i64>)>) {
        self.rows.clear();
        for (i, o) in self.board.iter().enumerate() {
            self.rows.push(Row::Objective(i));
            for j in 0..o.key_results.len() {
                self.rows.push(Row::KeyResult(i, j));
            }
        }
        let found = keep.and_then(|(oid, kid)| {
            self.rows.iter().position(|r| match *r {
                Row::Objective(i) => kid.is_none() && self.board[i].objective.id == oid,
                Row::KeyResult(i, j) => kid == Some(self.board[i].key_results[j].key_result.id),
            })
        });
        // Start on the first key result: that is what people look at.
        let first_kr = self.rows.iter().position(|r| matches!(r, Row::KeyResult(..)));
        self.selection.set_len(self.rows.len());
        self.selection.select(found.or(first_kr).unwrap_or(0));
    }

    fn load_drill(&mut self, objective: usize, key_result: usize, ctx: &Ctx<'_>) -> store::Result<()> {
        let today = ctx.today();
        let Some(o) = self.board.get(objective) else { return Ok(()) };
        let Some(k) = o.key_results.get(key_result) else { return Ok(()) };
        let kr = &k.key_result;
        // The records behind the number as judged: its month for a monthly key result, and
        // through yesterday for a rate or average (DESIGN §4).
        let window = okr::judged_window(kr.cadence, o.objective.from, o.objective.to, today);
        let records = match (&kr.metric, window) {
            (Some(m), Some((from, end))) => {
                let to = okr::finished_end(m, end, today, true);
                let conn = &*ctx.store;
                // A rate lists both sides, the one to chase first.
                match metrics::rate_records(conn, m, from, to, kr.direction == Direction::AtMost)? {
                    Some(both) => both,
                    None => metrics::records(conn, m, Some(kr.id), from, to)?,
                }
            }
            _ => Vec::new(),
        };
        let mut selection = self.drill.take().map(|d| d.selection).unwrap_or_default();
        selection.set_len(records.len());
        self.drill = Some(Drill { objective, key_result, records, selection });
        Ok(())
    }

    /// Moves the selection of the list shown: the records of a drill-down, else the board.
    fn move_selection(&mut self, command: Command) {
        match &mut self.drill {
            Some(d) => d.selection.on_command(command),
            None => self.selection.on_command(command),
        };
    }
}

impl Tab for OkrTab {
    fn context(&self) -> Context {
        // The open revenue report has its own keys (and footer); the board's wait.
        if self.revenue.is_some() { Context::OkrReport } else { Context::Okr }
    }

    fn reload(&mut self, ctx: &mut Ctx<'_>) -> store::Result<()> {
        let keep = self.selection_ids();
        let drill_ids = self.drill.as_ref().and_then(|d| {
            let o = self.board.get(d.objective)?;
            Some((o.objective.id, o.key_results.get(d.key_result)?.key_result.id))
        });
        self.board = store_okr::shared_board(ctx.store, ctx.today(), HISTORY_WEEKS)?;
        self.rebuild_rows(keep);
        self.reload_revenue(ctx)?;
        // The records behind a number are live too.
        if let Some((oid, kid)) = drill_ids {
            let place = self.board.iter().enumerate().find_map(|(i, o)| {
                (o.objective.id == oid)
                    .then(|| o.key_results.iter().position(|k| k.key_result.id == kid).map(|j| (i, j)))
                    .flatten()
            });
            match place {
                Some((i, j)) => self.load_drill(i, j, ctx)?,
                None => self.drill = None,
            }
        }
        Ok(())
    }

    fn on_command(&mut self, command: Command, ctx: &mut Ctx<'_>) -> Outcome {
        let lang = ctx.lang;
        if let Some(outcome) = self.revenue_command(command, ctx) {
            return outcome;
        }
        match command {
            Command::Up | Command::Down | Command::PageUp | Command::PageDown | Command::Top | Command::Bottom => {
                self.move_selection(command);
                Outcome::Handled
            }
            Command::Back if self.drill.is_some() => {
                self.drill = None;
                Outcome::Handled
            }
            Command::Open if self.drill.is_some() => {
                let record = self.drill.as_ref().and_then(|d| d.records.get(d.selection.index()));
                match record.map(|r| r.patient_id) {
                    Some(Some(id)) => Outcome::OpenPatient(id),
                    Some(None) => Outcome::Message(
                        lang.pick("이 기록에는 환자 카드가 없습니다", "This record has no patient card").into(),
                    ),
                    None => Outcome::Handled,
                }
            }
            Command::Open if self.drill.is_none() => match self.rows.get(self.selection.index()) {
                Some(Row::KeyResult(o, k)) => {
                    let (o, k) = (*o, *k);
                    match self.load_drill(o, k, ctx) {
                        Ok(()) => Outcome::Handled,
                        Err(e) => Outcome::Error(e.to_string()),
                    }
                }
                _ => Outcome::Message(
                    lang.pick("핵심결과를 고르면 그 숫자의 기록이 나옵니다", "Pick a key result to see its records")
                        .into(),
                ),
            },
            Command::New if self.drill.is_none() => self.open(Purpose::NewObjective, ctx),
            Command::AddKeyResult if self.drill.is_none() => match self.selected_objective() {
                Some(o) => {
                    let id = o.objective.id;
                    self.open(Purpose::NewKeyResult(id), ctx)
                }
                None => Outcome::Message(lang.pick("먼저 목표를 추가하세요 (n)", "Add an objective first (n)").into()),
            },
            Command::Edit if self.drill.is_none() => {
                if let Some(k) = self.selected_key_result() {
                    let id = k.key_result.id;
                    if k.key_result.metric.is_none() {
                        return Outcome::Error(format!(
                            "{}: {}",
                            lang.pick("이 버전이 모르는 지표", "a metric this version does not know"),
                            k.key_result.metric_key
                        ));
                    }
                    self.open(Purpose::EditKeyResult(id), ctx)
                } else if let Some(o) = self.selected_objective() {
                    let id = o.objective.id;
                    self.open(Purpose::EditObjective(id), ctx)
                } else {
                    Outcome::Handled
                }
            }
            Command::CheckIn if self.drill.is_none() => match self.selected_key_result() {
                Some(k) if k.key_result.metric == Some(Metric::Manual) => {
                    let id = k.key_result.id;
                    self.open(Purpose::CheckIn(id), ctx)
                }
                Some(_) => Outcome::Message(
                    lang.pick(
                        "이 핵심결과는 데스크 기록으로 계산됩니다. 체크인은 수동 핵심결과(매출 등)에만 씁니다",
                        "This one is computed from the desk's records; check-ins are for manual results (revenue etc.)",
                    )
                    .into(),
                ),
                None => Outcome::Message(lang.pick("핵심결과를 고르세요", "Pick a key result").into()),
            },
            _ => Outcome::Ignored,
        }
    }

    fn on_key(&mut self, key: &KeyEvent, ctx: &mut Ctx<'_>) -> Outcome {
        spec::key_in(&mut self.form, key, ctx).map_or(Outcome::Ignored, |(effect, _)| effect)
    }

    fn keyboard_grabbed(&self) -> bool {
        self.form.is_some()
    }

    fn open_form(&self) -> Option<&Form> {
        self.form.as_ref().map(|o| &o.form)
    }

    fn install_form(&mut self, form: OpenForm, ctx: &mut Ctx<'_>) {
        self.install(form, ctx.lang);
    }

    fn render(&self, area: Rect, buf: &mut Buffer, view: &View<'_>) {
        match (&self.revenue, &self.drill) {
            (Some(r), _) => self.render_revenue(r, area, buf, view),
            (None, Some(d)) => self.render_drill(d, area, buf, view),
            (None, None) => self.render_board(area, buf, view),
        }
        if let Some(open) = &self.form {
            open.form.render(area, buf, view.theme);
        }
    }
}
