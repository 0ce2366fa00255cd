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
use crate::domain::text::{fit, fit_right, truncate, width};
use crate::domain::{CallbackKind, Lang, mask};
use crate::store;
use crate::store::catalog::Catalog;
use crate::store::metrics::{self, Record};
use crate::store::okr::{self as store_okr, KeyResultStatus, ObjectiveStatus};

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
    selected: usize,
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
    selected: usize,
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
        match self.rows.get(self.selected)? {
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
        match self.rows.get(self.selected)? {
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
        self.selected = found.or(first_kr).unwrap_or(0).min(self.rows.len().saturating_sub(1));
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
        let selected =
            self.drill.as_ref().map(|d| d.selected).unwrap_or(0).min(records.len().saturating_sub(1));
        self.drill = Some(Drill { objective, key_result, records, selected });
        Ok(())
    }

    fn move_selection(&mut self, command: Command) {
        let (len, cur) = match &self.drill {
            Some(d) => (d.records.len(), d.selected),
            None => (self.rows.len(), self.selected),
        };
        if len == 0 {
            return;
        }
        let page = 10;
        let next = match command {
            Command::Up => cur.saturating_sub(1),
            Command::Down => (cur + 1).min(len - 1),
            Command::PageUp => cur.saturating_sub(page),
            Command::PageDown => (cur + page).min(len - 1),
            Command::Top => 0,
            Command::Bottom => len - 1,
            _ => cur,
        };
        match &mut self.drill {
            Some(d) => d.selected = next,
            None => self.selected = next,
        }
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

fn hidden_id(id: &'static str, value: i64) -> Field {
    let mut f = Field::text(id, "").value(value.to_string());
    f.hidden = true;
    f
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

/// A six-month period from the first of this month, as the OKR guide suggests.
fn six_months_from(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let from = first_of_month(today);
    let to = from.checked_add_months(Months::new(6)).and_then(|d| d.pred_opt()).unwrap_or(from);
    (from, to)
}

fn objective_fields(mut form: Form, lang: Lang, title: &str, from: NaiveDate, to: NaiveDate) -> Form {
    form = form
        .field(Field::text("title", lang.pick("목표", "Objective")).value(title).required().hint(lang.pick(
            "쉽지 않지만 해낼 수 있는 목표 (예: 평환 50명)",
            "hard but within reach (e.g. 50 patients a day)",
        )))
        .field(Field::date("from", lang.pick("시작일", "From")).value(from.to_string()).required())
        .field(
            Field::date("to", lang.pick("종료일", "To"))
                .value(to.to_string())
                .required()
                .hint(lang.pick("보통 6개월", "six months is usual")),
        );
    form
}

fn new_objective_form(ctx: &Ctx<'_>) -> Form {
    let lang = ctx.lang;
    let (from, to) = six_months_from(ctx.today());
    let form = Form::new(
        FORM_OBJECTIVE,
        lang.pick("새 목표와 첫 핵심결과", "New objective and its first key result"),
        lang,
        ctx.today(),
    );
    let form = objective_fields(form, lang, "", from, to);
    key_result_fields(form, lang, ctx.catalog, None)
}

fn objective_form(ctx: &Ctx<'_>, o: Option<&ObjectiveStatus>) -> Form {
    let lang = ctx.lang;
    let form = Form::new(FORM_OBJECTIVE_EDIT, lang.pick("목표 고치기", "Edit objective"), lang, ctx.today());
    match o {
        Some(o) => objective_fields(form, lang, &o.objective.title, o.objective.from, o.objective.to)
            .field(hidden_id("id", o.objective.id)),
        None => {
            let (from, to) = six_months_from(ctx.today());
            objective_fields(form, lang, "", from, to).field(hidden_id("id", 0))
        }
    }
}

/// The metric catalog as a pick list: every key of DESIGN §4, and a share per treatment.
fn metric_choices(lang: Lang, catalog: &Catalog) -> Vec<Choice> {
    let mut out: Vec<Choice> = Metric::KEYS
        .iter()
        .filter_map(|k| Metric::parse(k))
        .map(|m| Choice::new(m.key(), format!("{} ({})", m.label(lang), m.key())))
        .collect();
    for t in catalog.treatments.iter().filter(|t| t.code.active) {
        let m = Metric::TreatmentShare(t.code.code.clone());
        out.push(Choice::new(m.key(), format!("{}: {}", m.label(lang), t.code.label(lang))));
    }
    out
}

fn key_result_fields(form: Form, lang: Lang, catalog: &Catalog, k: Option<&KeyResultDef>) -> Form {
    let directions = vec![
        Choice::new("at_least", lang.pick("이상 (>=)", "at least (>=)")).with_key('>'),
        Choice::new("at_most", lang.pick("이하 (<=)", "at most (<=)")).with_key('<'),
    ];
    let number = |v: Option<f64>, rate: bool| match v {
        Some(v) if rate => format!("{}%", trim_number(v * 100.0)),
        Some(v) => trim_number(v),
        None => String::new(),
    };
    let rate = k.is_some_and(|k| k.metric.is_rate());
    form.field(
        Field::text("kr_title", lang.pick("핵심결과", "Key result"))
            .value(k.map(|k| k.title.clone()).unwrap_or_default())
            .required()
            .hint(lang.pick("예: 부도율 30% 이하", "e.g. no-shows at most 30%")),
    )
    .field(
        Field::pick("metric", lang.pick("지표", "Metric"), metric_choices(lang, catalog))
            .selected(&k.map(|k| k.metric.key()).unwrap_or_default())
            .required(),
    )
    .field(
        Field::pick("direction", lang.pick("방향", "Direction"), directions)
            .selected(k.map(|k| k.direction.code()).unwrap_or("at_least"))
            .required(),
    )
    .field(
        Field::text("target", lang.pick("목표값", "Target"))
            .value(number(k.map(|k| k.target), rate))
            .required()
            .hint(lang.pick("예: 80%, 50, 3,000만원", "e.g. 80%, 50, 30,000,000")),
    )
    .field(
        Field::text("baseline", lang.pick("출발값", "Baseline"))
            .value(number(k.and_then(|k| k.baseline), rate))
            .hint(lang.pick("비우면 0", "empty: 0")),
    )
    .field(
        Field::pick("cadence", lang.pick("판단 주기", "Judged over"), cadence_choices(lang))
            .selected(k.map(|k| k.cadence.code()).unwrap_or("period"))
            .required(),
    )
    .field(
        Field::text("unit", lang.pick("단위", "Unit"))
            .value(k.map(|k| k.unit.clone()).unwrap_or_default())
            .hint(lang.pick("예: 원, 명 (비율은 비움)", "e.g. 원 (leave empty for rates)")),
    )
    .field(
        Field::text("owner", lang.pick("책임자", "Owner"))
            .value(k.map(|k| k.owner.clone()).unwrap_or_default())
            .hint(lang.pick("예: 데스크", "e.g. desk")),
    )
    .field(
        Field::text("actions", lang.pick("실천 과업", "Action items"))
            .value(k.map(|k| k.actions.join("; ")).unwrap_or_default())
            .hint(lang.pick("; 로 나눠 적기", "separate with ;")),
    )
}

fn cadence_choices(lang: Lang) -> Vec<Choice> {
    vec![
        Choice::new("period", lang.pick("기간 전체 (누적)", "the whole period")).with_key('p'),
        Choice::new("month", lang.pick("매월 (이번 달 값)", "each month (this month's value)")).with_key('m'),
    ]
}

/// What a check-in asks for: this month's value for a monthly key result, else the value to date.
fn checkin_value_label(lang: Lang, cadence: Cadence) -> &'static str {
    match cadence {
        Cadence::Month => lang.pick("이번 달 값", "This month"),
        Cadence::Period => lang.pick("현재 값", "Value to date"),
    }
}

fn key_result_form(ctx: &Ctx<'_>, objective_id: i64, k: Option<&KeyResultStatus>) -> Form {
    let lang = ctx.lang;
    let title = if k.is_some() {
        lang.pick("핵심결과 고치기", "Edit key result")
    } else {
        lang.pick("핵심결과 추가", "Add key result")
    };
    let def = k.and_then(|k| k.key_result.def());
    let form = Form::new(FORM_KEY_RESULT, title, lang, ctx.today());
    key_result_fields(form, lang, ctx.catalog, def.as_ref())
        .field(hidden_id("objective_id", objective_id))
        .field(hidden_id("id", k.map(|k| k.key_result.id).unwrap_or(0)))
}

fn checkin_form(ctx: &Ctx<'_>, k: &KeyResultStatus) -> Form {
    let lang = ctx.lang;
    let title = format!("{}: {}", lang.pick("체크인", "Check in"), k.key_result.title);
    Form::new(FORM_CHECKIN, title, lang, ctx.today())
        .field(Field::date("on", lang.pick("날짜", "Date")).value(ctx.today().to_string()).required())
        .field(
            Field::text("value", checkin_value_label(lang, k.key_result.cadence))
                .required()
                .hint(lang.pick("예: 1,200만원", "e.g. 12,000,000")),
        )
        .field(
            Field::text("comment", lang.pick("메모", "Comment"))
                .hint(lang.pick("잘된 점, 고칠 점", "what went well, what to improve")),
        )
        .field(hidden_id("id", k.key_result.id))
}

fn read_objective(form: &mut Form, lang: Lang) -> Option<(String, NaiveDate, NaiveDate)> {
    let (from, to) = (form.date("from")?, form.date("to")?);
    if to < from {
        form.set_error("to", lang.pick("시작일보다 앞설 수 없습니다", "must not be before the start"));
        return None;
    }
    Some((form.text("title"), from, to))
}

fn read_key_result(form: &mut Form, lang: Lang) -> Option<KeyResultDef> {
    let metric = form.picked("metric").and_then(|m| Metric::parse(&m))?;
    let direction = form.picked("direction").and_then(|d| Direction::parse(&d))?;
    let rate = metric.is_rate();
    let Some(target) = okr::parse_amount_input(&form.text("target"), rate) else {
        form.set_error("target", lang.pick("숫자로 적어 주세요 (예: 80%, 50)", "a number (e.g. 80%, 50)"));
        return None;
    };
    if rate && !(0.0..=1.0).contains(&target) {
        form.set_error("target", lang.pick("비율은 0%에서 100% 사이", "a rate is between 0% and 100%"));
        return None;
    }
    let baseline_text = form.text("baseline");
    let baseline = if baseline_text.is_empty() {
        None
    } else {
        match okr::parse_amount_input(&baseline_text, rate) {
            Some(b) => Some(b),
            None => {
                form.set_error(
                    "baseline",
                    lang.pick("숫자로 적거나 비워 두세요", "a number, or leave it empty"),
                );
                return None;
            }
        }
    };
    let actions =
        form.text("actions").split(';').map(|a| a.trim().to_string()).filter(|a| !a.is_empty()).collect();
    Some(KeyResultDef {
        title: form.text("kr_title"),
        metric,
        direction,
        target,
        baseline,
        unit: form.text("unit"),
        owner: form.text("owner"),
        cadence: form.picked("cadence").and_then(|c| Cadence::parse(&c)).unwrap_or_default(),
        actions,
    })
}

fn trim_number(v: f64) -> String {
    let s = format!("{v:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
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
                let record = self.drill.as_ref().and_then(|d| d.records.get(d.selected));
                match record.map(|r| r.patient_id) {
                    Some(Some(id)) => Outcome::OpenPatient(id),
                    Some(None) => Outcome::Message(
                        lang.pick("이 기록에는 환자 카드가 없습니다", "This record has no patient card").into(),
                    ),
                    None => Outcome::Handled,
                }
            }
            Command::Open if self.drill.is_none() => match self.rows.get(self.selected) {
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

/// Today's value so far beside a rate or average judged through yesterday: " (오늘 80%)";
/// empty for counts and sums (today is in their value) and when today has nothing to count.
pub fn today_beside(metric: &Metric, k: &KeyResultStatus, lang: Lang) -> String {
    match k.today {
        Some(v) if !metric.accumulates() => {
            format!(
                " ({} {})",
                lang.pick("오늘", "today"),
                okr::format_value(metric, Some(v), &k.key_result.unit)
            )
        }
        _ => String::new(),
    }
}

/// A value short enough for a row: money in 만 (30,000,000원 -> 3,000만).
fn short_value(metric: &Metric, v: Option<f64>, unit: &str) -> String {
    match v {
        Some(v) if unit == "원" && v.abs() >= 10_000.0 && !metric.is_rate() => {
            format!("{}만", crate::domain::text::format_won((v / 10_000.0).round() as i64))
        }
        _ => okr::format_value(metric, v, unit),
    }
}

fn percent(v: f64) -> String {
    format!("{:.0}%", v * 100.0)
}

fn direction_sign(d: Direction) -> &'static str {
    match d {
        Direction::AtLeast => ">=",
        Direction::AtMost => "<=",
    }
}

/// An ASCII sparkline: one character per week, low to high.
fn sparkline(values: &[Option<f64>], target: f64) -> String {
    const LEVELS: [char; 7] = ['_', '.', '-', '=', '+', '*', '#'];
    let top = values.iter().flatten().copied().fold(target.abs(), f64::max);
    values
        .iter()
        .map(|v| match v {
            None => ' ',
            Some(_) if top <= 0.0 => LEVELS[0],
            Some(v) => LEVELS[((v / top).clamp(0.0, 1.0) * (LEVELS.len() - 1) as f64).round() as usize],
        })
        .collect()
}

/// Writes `text` at (x, y) within `max` columns; returns the columns used.
fn put(buf: &mut Buffer, x: u16, y: u16, text: &str, max: usize, style: Style) -> u16 {
    let t = truncate(text, max);
    buf.set_string(x, y, &t, style);
    width(&t) as u16
}

/// The bar: filled to the progress in the status colour, the rest dim, the pace marker on top.
fn draw_bar(buf: &mut Buffer, x: u16, y: u16, cols: u16, k: &KeyResultStatus, theme: &Theme) {
    if cols == 0 {
        return;
    }
    let colour = status_style(k.judgement.status, theme);
    let filled = k.judgement.progress.map(|p| (p * cols as f64).round() as u16).unwrap_or(0).min(cols);
    for i in 0..cols {
        let (sym, style) =
            if i < filled { (theme.sym.bar_full, colour) } else { (theme.sym.bar_empty, theme.dim) };
        buf.set_string(x + i, y, sym, style);
    }
    let marker = ((k.judgement.pace * cols as f64).round() as u16).clamp(1, cols) - 1;
    buf.set_string(x + marker, y, theme.sym.bar_marker, theme.title);
}

impl OkrTab {
    fn render_board(&self, area: Rect, buf: &mut Buffer, view: &View<'_>) {
        let (lang, theme) = (view.lang, view.theme);
        let title = match lang {
            Lang::Ko => format!(" OKR  {} 기준 ", view.now.date()),
            Lang::En => format!(" OKR as of {} ", view.now.date()),
        };
        let block = widgets::panel(Line::from(title), theme);
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.width < 20 || inner.height < 3 {
            return;
        }
        if self.board.is_empty() {
            Paragraph::new(vec![
                Line::from(""),
                Line::from(lang.pick(
                    "  목표가 아직 없습니다. n 으로 목표를 추가하거나 `frontdesk okr load FILE.toml` 로 불러오세요.",
                    "  No objectives yet. Press n to add one, or load a file with `frontdesk okr load FILE.toml`.",
                )),
            ])
            .style(theme.dim)
            .wrap(ratatui::widgets::Wrap { trim: false })
            .render(inner, buf);
            return;
        }
        // The list takes what its rows need; the detail (actions, history) gets the rest.
        let min_detail = 6u16;
        let list_h = (self.rows.len() as u16).min(inner.height.saturating_sub(min_detail + 1)).max(1);
        let [list_area, rule_area, detail_area] =
            Layout::vertical([Constraint::Length(list_h), Constraint::Length(1), Constraint::Fill(1)])
                .areas(inner);
        self.render_list(list_area, buf, view);
        buf.set_string(
            rule_area.x,
            rule_area.y,
            theme.sym.rule.repeat(rule_area.width as usize),
            theme.border,
        );
        self.render_detail(detail_area, buf, view);
    }

    fn render_list(&self, area: Rect, buf: &mut Buffer, view: &View<'_>) {
        let (lang, theme) = (view.lang, view.theme);
        let h = area.height as usize;
        if h == 0 {
            return;
        }
        let offset = if self.selected >= h { self.selected + 1 - h } else { 0 };
        let w = area.width as usize;
        let wide = w >= 110;
        let title_w = if wide { 28 } else { 20 };
        let owner_w = if wide { 8 } else { 0 };
        let value_w = if wide { 22 } else { 19 };
        let status_w = 9;
        let pct_w = 4;
        let fixed =
            2 + title_w + 1 + if wide { owner_w + 1 } else { 0 } + 1 + pct_w + 1 + value_w + 1 + status_w;
        let bar_w = w.saturating_sub(fixed).max(4) as u16;
        for (line, row) in self.rows.iter().enumerate().skip(offset).take(h) {
            let y = area.y + (line - offset) as u16;
            let row_area = Rect { y, height: 1, ..area };
            match *row {
                Row::Objective(i) => {
                    let o = &self.board[i];
                    // Period, progress and status line up with the key results' columns.
                    let period = format!("{} ~ {}", o.objective.from, o.objective.to);
                    let pct = o.progress.map(percent).unwrap_or_else(|| "-".into());
                    let right = width(&period) + 2 + pct_w + 1 + status_w;
                    let title_cols = w.saturating_sub(right + 1);
                    let mut x = area.x;
                    x += put(buf, x, y, &fit(&o.objective.title, title_cols), title_cols, theme.title) + 1;
                    x += put(buf, x, y, &period, width(&period), theme.dim) + 2;
                    x += put(buf, x, y, &fit_right(&pct, pct_w), pct_w, theme.title) + 1;
                    let style = status_style(o.status, theme).add_modifier(Modifier::BOLD);
                    put(buf, x, y, &fit(o.status.label(lang), status_w), status_w, style);
                }
                Row::KeyResult(i, j) => {
                    let k = &self.board[i].key_results[j];
                    let kr = &k.key_result;
                    let mut x = area.x + 2;
                    x += put(buf, x, y, &fit(&kr.title, title_w), title_w, theme.base) + 1;
                    if wide {
                        x += put(buf, x, y, &fit(&kr.owner, owner_w), owner_w, theme.dim) + 1;
                    }
                    draw_bar(buf, x, y, bar_w, k, theme);
                    x += bar_w + 1;
                    let pct = k.judgement.progress.map(percent).unwrap_or_else(|| "-".into());
                    x += put(buf, x, y, &fit_right(&pct, pct_w), pct_w, theme.base) + 1;
                    let value = match &kr.metric {
                        Some(m) => format!(
                            "{} / {}{}",
                            short_value(m, k.judgement.value, &kr.unit),
                            direction_sign(kr.direction),
                            short_value(m, Some(kr.target), &kr.unit)
                        ),
                        None => kr.metric_key.clone(),
                    };
                    x += put(buf, x, y, &fit_right(&value, value_w), value_w, theme.base) + 1;
                    let status = k.judgement.status;
                    let style = if status == Status::Met {
                        // The celebration: a green badge.
                        Style::new()
                            .fg(ratatui::style::Color::Black)
                            .bg(theme.met)
                            .add_modifier(Modifier::BOLD)
                    } else {
                        status_style(status, theme)
                    };
                    put(buf, x, y, &fit(status.label(lang), status_w), status_w, style);
                }
            }
            if line == self.selected {
                buf.set_style(row_area, theme.selected);
            }
        }
    }

    fn render_detail(&self, area: Rect, buf: &mut Buffer, view: &View<'_>) {
        let (lang, theme) = (view.lang, view.theme);
        let mut lines: Vec<Line> = Vec::new();
        if let Some(k) = self.selected_key_result() {
            let kr = &k.key_result;
            let j = &k.judgement;
            let metric_label = match &kr.metric {
                Some(Metric::TreatmentShare(code)) => format!(
                    "{}: {}",
                    Metric::TreatmentShare(code.clone()).label(lang),
                    view.catalog.treatment_label(code, lang)
                ),
                Some(m) => m.label(lang).to_string(),
                None => kr.metric_key.clone(),
            };
            let owner = if kr.owner.is_empty() { "-".to_string() } else { kr.owner.clone() };
            lines.push(Line::from(vec![
                Span::styled(kr.title.clone(), theme.title),
                Span::styled(format!("  {metric_label}  "), theme.dim),
                Span::raw(format!("{} {owner}", lang.pick("책임자", "Owner"))),
            ]));
            if let Some(m) = &kr.metric {
                let baseline = kr
                    .baseline
                    .map(|b| {
                        format!("  {} {}", lang.pick("출발", "from"), okr::format_value(m, Some(b), &kr.unit))
                    })
                    .unwrap_or_default();
                let pace = match (m.accumulates(), kr.cadence) {
                    (true, Cadence::Month) => {
                        format!("  {} {}", lang.pick("이번 달 기준선", "pace this month"), percent(j.pace))
                    }
                    (true, Cadence::Period) => {
                        format!("  {} {}", lang.pick("오늘 기준선", "pace today"), percent(j.pace))
                    }
                    (false, _) => format!(
                        "  {}",
                        lang.pick("(비율은 어제까지의 값으로 판단)", "(a rate is judged through yesterday)")
                    ),
                };
                let now_label = match kr.cadence {
                    Cadence::Month => lang.pick("이번 달", "this month"),
                    Cadence::Period => lang.pick("현재", "now"),
                };
                lines.push(Line::from(vec![
                    Span::raw(format!(
                        "{} {}{}  {} {} {}{baseline}  {} {}",
                        now_label,
                        okr::format_value(m, j.value, &kr.unit),
                        today_beside(m, k, lang),
                        lang.pick("목표", "target"),
                        direction_sign(kr.direction),
                        okr::format_value(m, Some(kr.target), &kr.unit),
                        lang.pick("진행", "progress"),
                        j.progress.map(percent).unwrap_or_else(|| "-".into()),
                    )),
                    Span::styled(pace, theme.dim),
                ]));
                let first = k.history.first().copied().flatten();
                let (recent, ago) = match kr.cadence {
                    Cadence::Month => (
                        match lang {
                            Lang::Ko => format!("최근 {}개월", k.history.len()),
                            Lang::En => format!("last {} months", k.history.len()),
                        },
                        k.history_ends
                            .first()
                            .map(|d| d.format("%Y-%m").to_string())
                            .unwrap_or_else(|| "-".into()),
                    ),
                    Cadence::Period => (
                        lang.pick("최근 8주", "last 8 weeks").to_string(),
                        lang.pick("8주 전", "8 weeks ago").to_string(),
                    ),
                };
                lines.push(Line::from(vec![
                    Span::raw(format!("{recent} ")),
                    Span::styled(
                        format!("[{}]", sparkline(&k.history, kr.target)),
                        status_style(j.status, theme),
                    ),
                    Span::styled(format!("  {ago} {}", okr::format_value(m, first, &kr.unit)), theme.dim),
                ]));
            }
            let (say, style) = match j.status {
                Status::Met => (
                    lang.pick(
                        "*** 달성! 모두 수고하셨습니다. 박수! ***",
                        "*** Met! Well done, everyone. Applause! ***",
                    ),
                    Style::new().fg(theme.met).add_modifier(Modifier::BOLD),
                ),
                Status::OnTrack => {
                    (lang.pick("순항 중: 이대로 계속", "On track: keep going"), status_style(j.status, theme))
                }
                Status::Behind => (
                    lang.pick(
                        "조금 뒤처짐: 실천 과업을 다시 보세요",
                        "A little behind: look at the action items again",
                    ),
                    status_style(j.status, theme),
                ),
                Status::OffTrack => (
                    lang.pick(
                        "개선이 필요합니다: 회의에서 실천 과업을 점검하세요",
                        "Needs improving: go over the action items in the huddle",
                    ),
                    status_style(j.status, theme).add_modifier(Modifier::BOLD),
                ),
                Status::NoData if kr.metric == Some(Metric::Manual) && kr.cadence == Cadence::Month => (
                    lang.pick(
                        "이번 달 체크인이 없습니다: c 로 이번 달 값을 적으세요",
                        "No check-in this month yet: press c to enter this month's value",
                    ),
                    theme.dim,
                ),
                Status::NoData if kr.metric == Some(Metric::Manual) => (
                    lang.pick(
                        "아직 체크인이 없습니다: c 로 현재 값을 적으세요",
                        "No check-in yet: press c to enter the value",
                    ),
                    theme.dim,
                ),
                Status::NoData => (
                    lang.pick("아직 셀 기록이 없습니다 (값 없음 -)", "Nothing to count yet (no value: -)"),
                    theme.dim,
                ),
            };
            lines.push(Line::from(Span::styled(say.to_string(), style)));
            if let Some(m) = &kr.metric {
                // The weekly (or monthly) values behind the sparkline, where the room allows.
                let label_format = match kr.cadence {
                    Cadence::Month => "%Y-%m",
                    Cadence::Period => "%m-%d",
                };
                // A point inside the period with nothing to count (no case yet) shows "-";
                // points before the period are left out; all points "-" show no line.
                let from = self.selected_objective().map(|o| o.objective.from);
                let points: Vec<String> = k
                    .history
                    .iter()
                    .zip(&k.history_ends)
                    .filter(|(v, end)| v.is_some() || from.is_some_and(|from| **end >= from))
                    .map(|(v, end)| format!("{} {}", end.format(label_format), short_value(m, *v, &kr.unit)))
                    .collect();
                // Nothing counted at any point (a new clinic): no line of dashes.
                if k.history.iter().any(Option::is_some) {
                    let head = match kr.cadence {
                        Cadence::Month => lang.pick("월별", "monthly"),
                        Cadence::Period => lang.pick("주별", "weekly"),
                    };
                    lines.push(Line::from(Span::styled(format!("{head}  {}", points.join("  ")), theme.dim)));
                }
            }
            if !kr.actions.is_empty() {
                lines.push(Line::from(Span::styled(
                    lang.pick("실천 과업", "Action items").to_string(),
                    theme.title,
                )));
                for a in &kr.actions {
                    lines.push(Line::from(format!("  - {a}")));
                }
            }
        } else if let Some(o) = self.selected_objective() {
            let met = o.key_results.iter().filter(|k| k.judgement.status == Status::Met).count();
            lines.push(Line::from(Span::styled(o.objective.title.clone(), theme.title)));
            lines.push(Line::from(format!(
                "{} {} ~ {}  {} {}  {}",
                lang.pick("기간", "Period"),
                o.objective.from,
                o.objective.to,
                lang.pick("평균 진행", "mean progress"),
                o.progress.map(percent).unwrap_or_else(|| "-".into()),
                {
                    let none = o.key_results.iter().filter(|k| k.judgement.status == Status::NoData).count();
                    match (lang, none) {
                        (Lang::Ko, 0) => format!("핵심결과 {}개 중 {met}개 달성", o.key_results.len()),
                        (Lang::Ko, n) => {
                            format!("핵심결과 {}개 중 {met}개 달성, {n}개 자료 없음", o.key_results.len())
                        }
                        (Lang::En, 0) => format!("{met} of {} key results met", o.key_results.len()),
                        (Lang::En, n) => {
                            format!("{met} of {} key results met, {n} without data", o.key_results.len())
                        }
                    }
                }
            )));
            lines.push(Line::from(Span::styled(
                lang.pick("e 목표 고치기  a 핵심결과 추가", "e edit objective  a add key result").to_string(),
                theme.dim,
            )));
        }
        let lines: Vec<Line> = lines
            .into_iter()
            .map(|l| {
                // Cut each line to the width, never splitting a character.
                let text: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
                if width(&text) <= area.width as usize { l } else { cut_line(l, area.width as usize) }
            })
            .collect();
        Paragraph::new(lines).render(area, buf);
    }

    fn render_drill(&self, d: &Drill, area: Rect, buf: &mut Buffer, view: &View<'_>) {
        let (lang, theme) = (view.lang, view.theme);
        let Some(k) = self.board.get(d.objective).and_then(|o| o.key_results.get(d.key_result)) else {
            return;
        };
        let kr = &k.key_result;
        let metric = kr.metric.clone().unwrap_or(Metric::Manual);
        let value = okr::format_value(&metric, k.judgement.value, &kr.unit);
        let sides = side_labels(&metric, lang);
        let title = match (sides, lang) {
            (Some((hit, miss)), _) => {
                let hits = d.records.iter().filter(|r| r.hit == Some(true)).count();
                let misses = d.records.iter().filter(|r| r.hit == Some(false)).count();
                let (first, second) = if kr.direction == Direction::AtMost {
                    ((hit, hits), (miss, misses))
                } else {
                    ((miss, misses), (hit, hits))
                };
                format!(
                    " {}: {value}  {} {}, {} {}  {} ",
                    kr.title,
                    first.0,
                    first.1,
                    second.0,
                    second.1,
                    lang.pick("Enter 환자 카드  Esc 뒤로", "Enter patient card  Esc back")
                )
            }
            (None, Lang::Ko) => format!(" {}: {value}  (기록 {}건)  Esc 뒤로 ", kr.title, d.records.len()),
            (None, Lang::En) => format!(" {}: {value}  ({} records)  Esc back ", kr.title, d.records.len()),
        };
        let block = widgets::panel(Line::from(title), theme);
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.height < 2 || inner.width < 20 {
            return;
        }
        let w = inner.width as usize;
        let manual = metric == Metric::Manual;
        let note_head = match metric {
            Metric::BookingRate => lang.pick("다음 예약", "Next visit"),
            Metric::ReturnRate => lang.pick("내원 수", "Visits"),
            Metric::Referrals => lang.pick("소개한 분", "Referred by"),
            Metric::OpenComplaints => lang.pick("내용", "Description"),
            Metric::WaitMinutes => lang.pick("대기(분)", "Wait (min)"),
            Metric::Satisfaction => lang.pick("점수 반응", "Score, reaction"),
            _ => lang.pick("메모", "Note"),
        };
        let side_w = sides.map(|(h, m)| width(h).max(width(m))).unwrap_or(0);
        let cols: Vec<(&str, usize)> = if manual {
            vec![(lang.pick("날짜", "Date"), 12), (lang.pick("값", "Value"), 16)]
        } else {
            vec![
                (lang.pick("구분", "Side"), side_w),
                (lang.pick("일시", "When"), 17),
                (lang.pick("차트", "Chart"), 8),
                (lang.pick("이름", "Name"), 10),
                (lang.pick("치료/종류", "Treatment"), 12),
                (lang.pick("경로", "Source"), if w >= 110 { 12 } else { 0 }),
            ]
        };
        let used: usize = cols.iter().filter(|c| c.1 > 0).map(|c| c.1 + 1).sum();
        let note_w = w.saturating_sub(used);
        let mut header = String::new();
        for (name, cw) in cols.iter().filter(|c| c.1 > 0) {
            header.push_str(&fit(name, *cw));
            header.push(' ');
        }
        header.push_str(&fit(if manual { lang.pick("메모", "Comment") } else { note_head }, note_w));
        buf.set_string(inner.x, inner.y, truncate(&header, w), theme.title);
        let body_h = inner.height as usize - 1;
        if d.records.is_empty() {
            buf.set_string(
                inner.x,
                inner.y + 1,
                truncate(
                    lang.pick(
                        "이 숫자 뒤에 기록이 없습니다.  Esc 뒤로",
                        "No records behind this number.  Esc back",
                    ),
                    w,
                ),
                theme.dim,
            );
            return;
        }
        let offset = if d.selected >= body_h { d.selected + 1 - body_h } else { 0 };
        for (i, r) in d.records.iter().enumerate().skip(offset).take(body_h) {
            let y = inner.y + 1 + (i - offset) as u16;
            let when = r.at.replace('T', " ");
            let when = if when.len() > 16 { when[..16].to_string() } else { when };
            let mut line = String::new();
            if manual {
                line.push_str(&fit(&when, 12));
                line.push(' ');
                line.push_str(&fit_right(&r.name, 16));
                line.push(' ');
            } else {
                let name = if view.mask { mask::mask_name(&r.name) } else { r.name.clone() };
                let what = r
                    .treatment
                    .as_deref()
                    .map(|t| view.catalog.treatment_label(t, lang))
                    .or_else(|| r.kind.as_deref().map(|c| kind_label(c, view.catalog, lang)))
                    .unwrap_or_default();
                let source =
                    r.source.as_deref().map(|s| view.catalog.source_label(s, lang)).unwrap_or_default();
                let note = match metric {
                    Metric::BookingRate => r.note.replace('T', " ").chars().take(16).collect(),
                    Metric::Referrals if view.mask => mask::mask_name(&r.note),
                    _ => view.free(&r.note),
                };
                let side = match (sides, r.hit) {
                    (Some((hit, _)), Some(true)) => hit.to_string(),
                    (Some((_, miss)), Some(false)) => miss.to_string(),
                    _ => String::new(),
                };
                // A caller who is not a patient has no chart number: their phone instead.
                let chart = match &r.phone {
                    Some(phone) if r.chart_no.is_empty() && view.mask => mask::mask_phone(phone),
                    Some(phone) if r.chart_no.is_empty() => phone.clone(),
                    _ => r.chart_no.clone(),
                };
                let vals = [side, when, chart, name, what, source];
                for ((_, cw), v) in cols.iter().zip(vals.iter()) {
                    if *cw > 0 {
                        line.push_str(&fit(v, *cw));
                        line.push(' ');
                    }
                }
                line.push_str(&note);
            }
            let style = if i == d.selected { theme.selected } else { theme.base };
            buf.set_string(inner.x, y, fit(&line, w), style);
        }
    }
}

/// The two sides of a rate's records: (in the numerator, out of it).
fn side_labels(metric: &Metric, lang: Lang) -> Option<(&'static str, &'static str)> {
    let (ko, en) = match metric {
        Metric::BookingRate => (("재예약", "재예약 안 함"), ("Rebooked", "Not rebooked")),
        Metric::NoShowRate => (("부도", "내원"), ("No-show", "Kept")),
        Metric::TreatmentShare(_) => (("해당 치료", "다른 치료"), ("This one", "Other")),
        Metric::ReturnRate => (("재방문", "1회 방문"), ("Returned", "Once")),
        Metric::InquiryToVisit => (("내원", "미내원"), ("Visited", "Not visited")),
        Metric::InquiryToPaid => (("결제", "미결제"), ("Paid", "Not paid")),
        Metric::ConsultSuccess => (("수락", "미수락"), ("Accepted", "Not accepted")),
        Metric::CallbackOnTime => (("제때 연락", "늦음/안 함"), ("On time", "Late/none")),
        Metric::Satisfaction => (("4-5점", "1-3점"), ("Scored 4-5", "Scored 1-3")),
        _ => return None,
    };
    Some(match lang {
        Lang::Ko => ko,
        Lang::En => en,
    })
}

/// A callback kind or complaint category, in words.
fn kind_label(code: &str, catalog: &Catalog, lang: Lang) -> String {
    if let Some(k) = CallbackKind::parse(code) {
        return k.label(lang).to_string();
    }
    catalog
        .complaint_categories
        .iter()
        .find(|c| c.code == code)
        .map(|c| c.label(lang).to_string())
        .unwrap_or_else(|| code.to_string())
}

/// Cuts a styled line to `cols` display columns.
fn cut_line(line: Line<'_>, cols: usize) -> Line<'static> {
    let mut left = cols;
    let mut spans = Vec::new();
    for s in line.spans {
        if left == 0 {
            break;
        }
        let t = truncate(&s.content, left);
        left = left.saturating_sub(width(&t));
        spans.push(Span::styled(t, s.style));
    }
    Line::from(spans)
}
