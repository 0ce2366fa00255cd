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
use crate::app::form::{Choice, Field, Form, FormEvent};
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
mod forms;
use forms::*;

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
enum Purpose {
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
    form: Option<(Purpose, Form)>,
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

    fn open(&mut self, purpose: Purpose, ctx: &Ctx<'_>) -> Outcome {
        if ctx.store.access() != store::Access::ReadWrite {
            return Outcome::Error(ctx.lang.pick("읽기 전용으로 열려 있습니다", "Opened read-only").into());
        }
        let form = match purpose {
            Purpose::NewObjective => new_objective_form(ctx),
            Purpose::EditObjective(id) => {
                let Some(o) = self.board.iter().find(|o| o.objective.id == id) else {
                    return Outcome::Handled;
                };
                objective_form(ctx, Some(o))
            }
            Purpose::NewKeyResult(objective_id) => key_result_form(ctx, objective_id, None),
            Purpose::EditKeyResult(id) => {
                let kr = self.board.iter().flat_map(|o| &o.key_results).find(|k| k.key_result.id == id);
                let Some(kr) = kr else { return Outcome::Handled };
                key_result_form(ctx, kr.key_result.objective_id, Some(kr))
            }
            Purpose::CheckIn(id) => {
                let kr = self.board.iter().flat_map(|o| &o.key_results).find(|k| k.key_result.id == id);
                let Some(kr) = kr else { return Outcome::Handled };
                checkin_form(ctx, kr)
            }
        };
        self.form = Some((purpose, form));
        Outcome::Handled
    }

    fn save(&mut self, ctx: &mut Ctx<'_>) -> Outcome {
        let Some((purpose, form)) = &mut self.form else { return Outcome::Handled };
        let lang = ctx.lang;
        let result = match *purpose {
            Purpose::NewObjective => {
                let Some((title, from, to)) = read_objective(form, lang) else { return Outcome::Handled };
                let Some(kr) = read_key_result(form, lang) else { return Outcome::Handled };
                let def = ObjectiveDef { title, from, to, key_results: vec![kr] };
                desk::okr::create_objective(ctx.store, &def).map(|_| ())
            }
            Purpose::EditObjective(id) => {
                let Some((title, from, to)) = read_objective(form, lang) else { return Outcome::Handled };
                desk::okr::update_objective(ctx.store, id, &title, from, to)
            }
            Purpose::NewKeyResult(objective_id) => {
                let Some(kr) = read_key_result(form, lang) else { return Outcome::Handled };
                desk::okr::create_key_result(ctx.store, objective_id, &kr).map(|_| ())
            }
            Purpose::EditKeyResult(id) => {
                let Some(kr) = read_key_result(form, lang) else { return Outcome::Handled };
                desk::okr::update_key_result(ctx.store, id, &kr)
            }
            Purpose::CheckIn(id) => {
                let Some(on) = form.date("on") else { return Outcome::Handled };
                let Some(value) = okr::parse_amount_input(&form.text("value"), false) else {
                    form.set_error(
                        "value",
                        lang.pick("숫자로 적어 주세요 (예: 1,200만원)", "a number (e.g. 12,000,000)"),
                    );
                    return Outcome::Handled;
                };
                let comment = form.text("comment");
                desk::okr::check_in(ctx.store, id, on, value, &comment).map(|_| ())
            }
        };
        match result {
            Ok(()) => {
                self.form = None;
                // Every tab reloads, this one included: the bars move at once.
                Outcome::Changed
            }
            // The form stays open with what was typed.
            Err(e) => Outcome::Error(e.to_string()),
        }
    }
}

impl Tab for OkrTab {
    fn context(&self) -> Context {
        Context::Okr
    }

    fn reload(&mut self, ctx: &mut Ctx<'_>) -> store::Result<()> {
        let keep = self.selection_ids();
        let drill_ids = self.drill.as_ref().and_then(|d| {
            let o = self.board.get(d.objective)?;
            Some((o.objective.id, o.key_results.get(d.key_result)?.key_result.id))
        });
        self.board = store_okr::shared_board(ctx.store, ctx.today(), HISTORY_WEEKS)?;
        self.rebuild_rows(keep);
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
        let Some((_, form)) = &mut self.form else { return Outcome::Ignored };
        match form.handle_key(key) {
            FormEvent::Submit => self.save(ctx),
            FormEvent::Cancel => {
                self.form = None;
                Outcome::Handled
            }
            _ => Outcome::Handled,
        }
    }

    fn keyboard_grabbed(&self) -> bool {
        self.form.is_some()
    }

    fn open_form(&self) -> Option<&Form> {
        self.form.as_ref().map(|(_, f)| f)
    }

    fn restore_form(&mut self, form_id: &str, draft: &str, ctx: &mut Ctx<'_>) -> bool {
        let mut form = match form_id {
            FORM_OBJECTIVE => new_objective_form(ctx),
            FORM_OBJECTIVE_EDIT => objective_form(ctx, None),
            FORM_KEY_RESULT => key_result_form(ctx, 0, None),
            FORM_CHECKIN => {
                let lang = ctx.lang;
                Form::new(FORM_CHECKIN, lang.pick("체크인", "Check in"), lang, ctx.today())
                    .field(Field::date("on", lang.pick("날짜", "Date")).required())
                    .field(Field::text("value", lang.pick("현재 값", "Value to date")).required())
                    .field(Field::text("comment", lang.pick("메모", "Comment")))
                    .field(hidden_id("id", 0))
            }
            _ => return false,
        };
        if !form.restore_draft(draft) {
            return false;
        }
        let id = |f: &Form, field: &str| f.text(field).parse::<i64>().unwrap_or(0);
        let purpose = match form_id {
            FORM_OBJECTIVE => Purpose::NewObjective,
            FORM_OBJECTIVE_EDIT => Purpose::EditObjective(id(&form, "id")),
            FORM_KEY_RESULT => match id(&form, "id") {
                0 => Purpose::NewKeyResult(id(&form, "objective_id")),
                kr => Purpose::EditKeyResult(kr),
            },
            _ => Purpose::CheckIn(id(&form, "id")),
        };
        if let Purpose::CheckIn(kr) = purpose {
            // A restored check-in asks for what its key result is judged on, as when opened.
            let cadence = self.board.iter().flat_map(|o| &o.key_results).find(|k| k.key_result.id == kr);
            if let Some(k) = cadence {
                form.get_mut("value").label = checkin_value_label(ctx.lang, k.key_result.cadence).to_string();
            }
        }
        self.form = Some((purpose, form));
        true
    }

    fn render(&self, area: Rect, buf: &mut Buffer, view: &View<'_>) {
        match &self.drill {
            Some(d) => self.render_drill(d, area, buf, view),
            None => self.render_board(area, buf, view),
        }
        if let Some((_, form)) = &self.form {
            form.render(area, buf, view.theme);
        }
    }
}
