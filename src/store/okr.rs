//! Objectives, key results, action items and check-ins.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::audit::Entry;
use super::{Result, StoreError, Tx, metrics};
use crate::domain::okr::{
    self, Cadence, Direction, Filters, Judgement, KeyResultDef, Metric, ObjectiveDef, OpenDays, Status,
};
use crate::domain::okr_history::{self, DailySum, DayTotals};
use crate::domain::text;

/// The last board computed on a store's connection, kept until the data or the day changes:
/// the OKR tab and the huddle's OKR pulse judge the same objectives, and a board on ten years
/// of history costs ~50 ms.
#[derive(Default)]
pub struct BoardCache {
    entry: std::cell::RefCell<Option<(BoardKey, Vec<ObjectiveStatus>)>>,
}

impl BoardCache {
    pub(crate) fn clear(&self) {
        *self.entry.borrow_mut() = None;
    }
}

/// What a cached board depends on: commits by other connections (`data_version`), rows changed
/// through this connection (`total_changes`: `data_version` does not move for our own
/// commits), the day judged, and how many weekly points were computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct BoardKey {
    data_version: i64,
    own_changes: u64,
    at: NaiveDate,
    history_weeks: usize,
}

/// The weekly points a shared board computes, however few its caller asks for: the OKR tab's
/// history. Most numbers read their period once for all points ([`weekly_history`]), so the
/// history adds little to the board (~50 ms without, ~55 ms with eight weeks on the large
/// demo), and the huddle's pulse computes it for the OKR tab shown after the huddle.
pub const SHARED_HISTORY_WEEKS: usize = 8;

/// [`board`], computed once per state of the data and shared by every caller on this store.
///
/// The board is computed with at least [`SHARED_HISTORY_WEEKS`] weekly points and serves
/// callers asking for fewer (the latest ones); one asking for more computes it again.
pub fn shared_board(
    store: &super::Store,
    at: NaiveDate,
    history_weeks: usize,
) -> Result<Vec<ObjectiveStatus>> {
    let conn = store.conn();
    let data_version = store.data_version()?;
    let own_changes = conn.total_changes();
    let fresh = |k: &BoardKey| {
        k.data_version == data_version
            && k.own_changes == own_changes
            && k.at == at
            && k.history_weeks >= history_weeks
    };
    let cache = store.okr_board_cache();
    if let Some((key, cached)) = cache.entry.borrow().as_ref()
        && fresh(key)
    {
        return Ok(cached.iter().map(|o| with_history(o, history_weeks)).collect());
    }
    let computed_weeks = history_weeks.max(SHARED_HISTORY_WEEKS);
    let computed = board_live(conn, at, computed_weeks)?;
    let out = computed.iter().map(|o| with_history(o, history_weeks)).collect();
    let key = BoardKey { data_version, own_changes, at, history_weeks: computed_weeks };
    *cache.entry.borrow_mut() = Some((key, computed));
    Ok(out)
}

/// A copy of `o` with only the latest `weeks` weekly points of each key result (the points
/// of a longer history end with the same weeks, see [`board`]).
fn with_history(o: &ObjectiveStatus, weeks: usize) -> ObjectiveStatus {
    let mut o = o.clone();
    for k in &mut o.key_results {
        let drop = k.history.len().saturating_sub(weeks);
        k.history.drain(..drop);
        let drop = k.history_ends.len().saturating_sub(weeks);
        k.history_ends.drain(..drop);
    }
    o
}

/// Inserts an objective with its key results and action items; returns its id.
pub fn insert_objective(conn: &Connection, o: &ObjectiveDef) -> Result<i64> {
    let sort: i64 = conn.query_row("SELECT coalesce(max(sort), 0) + 1 FROM objectives", [], |r| r.get(0))?;
    conn.execute(
        "INSERT INTO objectives (title, from_date, to_date, sort) VALUES (?1, ?2, ?3, ?4)",
        params![o.title, o.from.to_string(), o.to.to_string(), sort],
    )?;
    let objective_id = conn.last_insert_rowid();
    for (i, k) in o.key_results.iter().enumerate() {
        conn.execute(
            "INSERT INTO key_results (objective_id, title, metric, direction, target, baseline, unit, owner, sort,
                                      cadence)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                objective_id,
                k.title,
                k.metric.key(),
                k.direction.code(),
                k.target,
                k.baseline,
                k.unit,
                k.owner,
                i as i64,
                k.cadence.code()
            ],
        )?;
        let kr_id = conn.last_insert_rowid();
        if k.metric.filters().is_some() {
            write_filters(conn, kr_id, k.metric.filters())?;
        }
        for (j, a) in k.actions.iter().enumerate() {
            conn.execute(
                "INSERT INTO key_result_actions (key_result_id, body, sort) VALUES (?1, ?2, ?3)",
                params![kr_id, a, j as i64],
            )?;
        }
    }
    Ok(objective_id)
}

/// A key result as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyResult {
    pub id: i64,
    pub objective_id: i64,
    pub title: String,
    /// The stored key; `metric` is `None` when this build does not know it.
    pub metric_key: String,
    pub metric: Option<Metric>,
    pub direction: Direction,
    pub target: f64,
    pub baseline: Option<f64>,
    pub unit: String,
    pub owner: String,
    pub cadence: Cadence,
    pub actions: Vec<String>,
}

impl KeyResult {
    /// The editable part, as the forms and `okr load` describe it.
    pub fn def(&self) -> Option<KeyResultDef> {
        Some(KeyResultDef {
            title: self.title.clone(),
            metric: self.metric.clone()?,
            direction: self.direction,
            target: self.target,
            baseline: self.baseline,
            unit: self.unit.clone(),
            owner: self.owner.clone(),
            cadence: self.cadence,
            actions: self.actions.clone(),
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Objective {
    pub id: i64,
    pub title: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub key_results: Vec<KeyResult>,
}

fn date(s: &str) -> NaiveDate {
    // Stored by this program as YYYY-MM-DD; a hand-edited bad date shows as 1970-01-01.
    NaiveDate::parse_from_str(s, crate::domain::DATE_FORMAT).unwrap_or_default()
}

/// Every objective with its key results and action items, in their order.
pub fn objectives(conn: &Connection) -> Result<Vec<Objective>> {
    let mut stmt = conn.prepare("SELECT id, title, from_date, to_date FROM objectives ORDER BY sort, id")?;
    let mut out = stmt
        .query_map([], |r| {
            Ok(Objective {
                id: r.get(0)?,
                title: r.get(1)?,
                from: date(&r.get::<_, String>(2)?),
                to: date(&r.get::<_, String>(3)?),
                key_results: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut krs = conn.prepare(
        "SELECT id, objective_id, title, metric, direction, target, baseline, unit, owner, cadence,
                filter_treatment, filter_provider, filter_category, filter_source
         FROM key_results WHERE objective_id = ?1 ORDER BY sort, id",
    )?;
    let mut actions =
        conn.prepare("SELECT body FROM key_result_actions WHERE key_result_id = ?1 ORDER BY sort, id")?;
    for o in &mut out {
        o.key_results = krs
            .query_map([o.id], |r| {
                let metric_key: String = r.get(3)?;
                let direction: String = r.get(4)?;
                let filters = Filters::from_parts(r.get(10)?, r.get(11)?, r.get(12)?, r.get(13)?);
                Ok(KeyResult {
                    id: r.get(0)?,
                    objective_id: r.get(1)?,
                    title: r.get(2)?,
                    metric: Metric::parse(&metric_key).map(|m| m.with_filters(filters)),
                    metric_key,
                    direction: Direction::parse(&direction).unwrap_or(Direction::AtLeast),
                    target: r.get(5)?,
                    baseline: r.get(6)?,
                    unit: r.get(7)?,
                    owner: r.get(8)?,
                    cadence: Cadence::parse(&r.get::<_, String>(9)?).unwrap_or_default(),
                    actions: Vec::new(),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for k in &mut o.key_results {
            k.actions = actions.query_map([k.id], |r| r.get(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
        }
    }
    Ok(out)
}

/// The clinic's opening days (the `open_days` setting; Monday to Saturday when unset or
/// unreadable), without public holidays and the clinic's own closed days.
pub fn open_days(conn: &Connection) -> Result<OpenDays> {
    let setting: Option<String> =
        conn.query_row("SELECT value FROM settings WHERE key = 'open_days'", [], |r| r.get(0)).optional()?;
    let weekdays = setting.and_then(|s| OpenDays::parse(&s)).unwrap_or_default();
    Ok(weekdays.with_calendar(super::settings::clinic_calendar(conn)?))
}

/// A key result judged at a date, with its weekly history.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyResultStatus {
    pub key_result: KeyResult,
    pub judgement: Judgement,
    /// The value to date at the end of each of the last weeks, oldest first (`None` before the
    /// period began or with nothing to divide by); for a monthly key result, each month's
    /// value, the current month last.
    pub history: Vec<Option<f64>>,
    /// The last day each point of `history` covers (for a monthly one, a day of its month).
    pub history_ends: Vec<NaiveDate>,
    /// A rate or average judged through yesterday: its value for today so far, shown beside.
    pub today: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ObjectiveStatus {
    pub objective: Objective,
    pub key_results: Vec<KeyResultStatus>,
    pub progress: Option<f64>,
    pub status: Status,
}

/// The value of a key result to date: over its period up to `at` (nothing before it begins).
pub fn value_at(conn: &Connection, o: &Objective, k: &KeyResult, at: NaiveDate) -> Result<Option<f64>> {
    let Some(metric) = &k.metric else { return Ok(None) };
    if at < o.from {
        return Ok(None);
    }
    metrics::value(conn, metric, Some(k.id), o.from, at.min(o.to))
}

/// The value to date of a key result at the end of each of the last `weeks` weeks, the last
/// one ending on `at`, oldest first: [`value_at`] at each of those days.
///
/// A number that is a sum over days (`okr_history::DailySum`) reads its per-day totals over the
/// period once and sums them up to each point; an inquiry conversion reads each inquiry's first
/// conversion once (`metrics::inquiry_conversion_days`); the others are computed point by point.
pub fn weekly_history(
    conn: &Connection,
    o: &Objective,
    k: &KeyResult,
    at: NaiveDate,
    weeks: usize,
) -> Result<Vec<Option<f64>>> {
    weekly_history_with(conn, o, k, at, weeks, None)
}

/// [`weekly_history`], with the per-day totals of the key result's number over
/// `[o.from, d]` for some `d >= at.min(o.to)` already read (`days`, see [`period_days`]).
fn weekly_history_with(
    conn: &Connection,
    o: &Objective,
    k: &KeyResult,
    at: NaiveDate,
    weeks: usize,
    days: Option<&Option<Vec<DayTotals>>>,
) -> Result<Vec<Option<f64>>> {
    let ends: Vec<NaiveDate> =
        (0..weeks).rev().map(|weeks_back| at - chrono::Duration::weeks(weeks_back as i64)).collect();
    if at < o.from {
        // Every point is before the period: no value (as value_at says).
        return Ok(vec![None; ends.len()]);
    }
    if let Some(metric) = &k.metric {
        if let Some(sum) = DailySum::of(metric) {
            let read;
            let days = match days {
                Some(days) => days,
                None => {
                    read = metrics::daily_totals(conn, metric, o.from, at.min(o.to))?;
                    &read
                }
            };
            if let Some(days) = days {
                return Ok(okr_history::values_to_date(sum, o.from, o.to, &ends, days));
            }
        } else if let Some(inquiries) = metrics::inquiry_conversion_days(conn, metric, o.from, at.min(o.to))?
        {
            return Ok(okr_history::conversions_to_date(o.from, o.to, &ends, &inquiries));
        }
    }
    ends.iter().map(|end| value_at(conn, o, k, *end)).collect()
}

/// The per-day totals over `[o.from, at.min(o.to)]` of every number of `o` that is a sum over
/// days, read together (`metrics::daily_totals_many`: the numbers of visits share one scan);
/// each key result's value, weekly and monthly points are then summed from them.
fn period_days(
    conn: &Connection,
    o: &Objective,
    at: NaiveDate,
) -> Result<std::collections::HashMap<Metric, Option<Vec<DayTotals>>>> {
    let mut wanted: Vec<Metric> = Vec::new();
    for m in o.key_results.iter().filter_map(|k| k.metric.as_ref()) {
        if DailySum::of(m).is_some() && !wanted.contains(m) {
            wanted.push(m.clone());
        }
    }
    if wanted.is_empty() || at < o.from {
        return Ok(Default::default());
    }
    let days = metrics::daily_totals_many(conn, &wanted, o.from, at.min(o.to))?;
    Ok(wanted.into_iter().zip(days).collect())
}

/// Every objective judged as of the end of `at` (`at` counts as finished: `okr status --at`,
/// reports), with `history_weeks` weekly values per key result.
pub fn board(conn: &Connection, at: NaiveDate, history_weeks: usize) -> Result<Vec<ObjectiveStatus>> {
    board_judged(conn, at, false, history_weeks)
}

/// Every objective judged during `today`, which is not over yet: rates and averages are
/// judged through the last finished day, with today so far beside them (DESIGN §4); counts
/// and sums include today's rows. The app's board.
pub fn board_live(conn: &Connection, today: NaiveDate, history_weeks: usize) -> Result<Vec<ObjectiveStatus>> {
    board_judged(conn, today, true, history_weeks)
}

/// A monthly key result's value for each month of its period up to `at` (the last `months`),
/// read through `end_of` each month's last day to read (see [`okr::finished_end`]).
fn monthly_history(
    conn: &Connection,
    o: &Objective,
    k: &KeyResult,
    at: NaiveDate,
    day_open: bool,
    months: usize,
    days: Option<&Option<Vec<DayTotals>>>,
) -> Result<(Vec<Option<f64>>, Vec<NaiveDate>)> {
    let mut values = Vec::new();
    let mut ends = Vec::new();
    let Some(metric) = &k.metric else { return Ok((values, ends)) };
    for (start, end) in okr::month_points(o.from, o.to, at, months) {
        let end = okr::finished_end(metric, end, at, day_open);
        // A sum over days is its days' totals over [start, end], read once for the period.
        let summed = match (DailySum::of(metric), days) {
            (Some(sum), Some(Some(days))) if o.from <= start && end <= at => {
                okr_history::values_to_date(sum, start, end, &[end], days).pop()
            }
            _ => None,
        };
        values.push(match summed {
            Some(v) => v,
            None => metrics::value(conn, metric, Some(k.id), start, end)?,
        });
        ends.push(end.max(start));
    }
    Ok((values, ends))
}

fn board_judged(
    conn: &Connection,
    at: NaiveDate,
    day_open: bool,
    history_weeks: usize,
) -> Result<Vec<ObjectiveStatus>> {
    let open = open_days(conn)?;
    let mut out = Vec::new();
    for o in objectives(conn)? {
        let days = period_days(conn, &o, at)?;
        let mut krs = Vec::new();
        for k in &o.key_results {
            let mut today = None;
            let (value, history, history_ends) = match &k.metric {
                None => (None, vec![None; history_weeks], Vec::new()),
                Some(m) => {
                    if day_open && !m.accumulates() && o.from <= at && at <= o.to {
                        today = metrics::value(conn, m, Some(k.id), at, at)?;
                    }
                    match k.cadence {
                        Cadence::Month => {
                            let (history, ends) = monthly_history(
                                conn,
                                &o,
                                k,
                                at,
                                day_open,
                                history_weeks.max(1),
                                days.get(m),
                            )?;
                            let value = history.last().copied().flatten();
                            if history_weeks == 0 {
                                (value, Vec::new(), Vec::new())
                            } else {
                                (value, history, ends)
                            }
                        }
                        Cadence::Period => {
                            let end = okr::finished_end(m, at, at, day_open);
                            if history_weeks == 0 && !days.contains_key(m) {
                                (value_at(conn, &o, k, end)?, Vec::new(), Vec::new())
                            } else if history_weeks == 0 {
                                let value = weekly_history_with(conn, &o, k, end, 1, days.get(m))?;
                                (value.last().copied().flatten(), Vec::new(), Vec::new())
                            } else {
                                let history =
                                    weekly_history_with(conn, &o, k, end, history_weeks, days.get(m))?;
                                let ends = (0..history_weeks)
                                    .rev()
                                    .map(|back| end - chrono::Duration::weeks(back as i64))
                                    .collect();
                                (history.last().copied().flatten(), history, ends)
                            }
                        }
                    }
                }
            };
            let pace = match &k.metric {
                Some(m) => {
                    let (from, to) = okr::pace_window(k.cadence, o.from, o.to, at);
                    okr::pace(m, from, to, at, &open)
                }
                None => 1.0,
            };
            let judgement = okr::judge(k.direction, k.target, k.baseline, value, pace);
            krs.push(KeyResultStatus { key_result: k.clone(), judgement, history, history_ends, today });
        }
        let judgements: Vec<Judgement> = krs.iter().map(|k| k.judgement).collect();
        let (progress, status) = okr::objective_summary(&judgements);
        out.push(ObjectiveStatus { objective: o, key_results: krs, progress, status });
    }
    Ok(out)
}

/// Creates an objective with its key results (an `okr load` file, the new-objective form).
pub fn create_objective(tx: &Tx<'_>, o: &ObjectiveDef) -> Result<i64> {
    let id = insert_objective(tx, o)?;
    tx.audit(&Entry::new("create", "objective").id(id).detail(format!(
        "{} ({} .. {}), {} key results",
        o.title,
        o.from,
        o.to,
        o.key_results.len()
    )))?;
    Ok(id)
}

/// What [`load_objective`] did with one objective of an `okr load` file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Loaded {
    pub objectives_added: usize,
    pub objectives_updated: usize,
    pub key_results_added: usize,
    pub key_results_updated: usize,
}

impl std::ops::AddAssign for Loaded {
    fn add_assign(&mut self, o: Loaded) {
        self.objectives_added += o.objectives_added;
        self.objectives_updated += o.objectives_updated;
        self.key_results_added += o.key_results_added;
        self.key_results_updated += o.key_results_updated;
    }
}

/// Loads one objective of an `okr load` file: an objective with the same title and period is
/// updated (its key results matched by title: updated, or added when new; key results the file
/// does not name are kept, with their check-ins), otherwise it is created. Loading the same
/// file again changes nothing and adds no copy.
pub fn load_objective(tx: &Tx<'_>, o: &ObjectiveDef) -> Result<Loaded> {
    let mut def = o.clone();
    def.title = text::clean_line(&o.title);
    for k in &mut def.key_results {
        k.title = text::clean_line(&k.title);
    }
    let existing: Option<i64> = tx.query_row(
        "SELECT min(id) FROM objectives WHERE title = ?1 AND from_date = ?2 AND to_date = ?3",
        params![def.title, def.from.to_string(), def.to.to_string()],
        |r| r.get(0),
    )?;
    let Some(objective_id) = existing else {
        for k in &def.key_results {
            check_key_result(k)?;
        }
        create_objective(tx, &def)?;
        return Ok(Loaded {
            objectives_added: 1,
            key_results_added: def.key_results.len(),
            ..Loaded::default()
        });
    };
    let mut done = Loaded { objectives_updated: 1, ..Loaded::default() };
    for k in &def.key_results {
        let kr: Option<i64> = tx.query_row(
            "SELECT min(id) FROM key_results WHERE objective_id = ?1 AND title = ?2",
            params![objective_id, k.title],
            |r| r.get(0),
        )?;
        match kr {
            Some(id) => {
                update_key_result(tx, id, k)?;
                done.key_results_updated += 1;
            }
            None => {
                create_key_result(tx, objective_id, k)?;
                done.key_results_added += 1;
            }
        }
    }
    tx.audit(&Entry::new("load", "objective").id(objective_id).detail(format!(
        "{} ({} .. {}): {} key results updated, {} added",
        def.title, def.from, def.to, done.key_results_updated, done.key_results_added
    )))?;
    Ok(done)
}

fn check_period(from: NaiveDate, to: NaiveDate) -> Result<()> {
    if to < from {
        return Err(StoreError::Invalid(format!("the period ends ({to}) before it begins ({from})")));
    }
    Ok(())
}

pub fn update_objective(tx: &Tx<'_>, id: i64, title: &str, from: NaiveDate, to: NaiveDate) -> Result<()> {
    let title = text::clean(title);
    if title.is_empty() {
        return Err(StoreError::Invalid("an objective needs a title".into()));
    }
    check_period(from, to)?;
    let n = tx.execute(
        "UPDATE objectives SET title = ?2, from_date = ?3, to_date = ?4 WHERE id = ?1",
        params![id, title, from.to_string(), to.to_string()],
    )?;
    if n == 0 {
        return Err(StoreError::NotFound(format!("objective {id}")));
    }
    tx.audit(&Entry::new("update", "objective").id(id).detail(format!("{title} ({from} .. {to})")))?;
    Ok(())
}

fn check_key_result(k: &KeyResultDef) -> Result<()> {
    if k.title.trim().is_empty() {
        return Err(StoreError::Invalid("a key result needs a title".into()));
    }
    if !k.target.is_finite() || k.baseline.is_some_and(|b| !b.is_finite()) {
        return Err(StoreError::Invalid("target and baseline must be numbers".into()));
    }
    if k.metric.is_rate() && !(0.0..=1.0).contains(&k.target) {
        return Err(StoreError::Invalid(format!(
            "the target of a rate is a fraction between 0 and 1 (0.30 for 30%), not {}",
            k.target
        )));
    }
    Ok(())
}

fn replace_actions(tx: &Tx<'_>, key_result_id: i64, actions: &[String]) -> Result<()> {
    tx.execute("DELETE FROM key_result_actions WHERE key_result_id = ?1", [key_result_id])?;
    for (j, a) in actions.iter().map(|a| text::clean(a)).filter(|a| !a.is_empty()).enumerate() {
        tx.execute(
            "INSERT INTO key_result_actions (key_result_id, body, sort) VALUES (?1, ?2, ?3)",
            params![key_result_id, a, j as i64],
        )?;
    }
    Ok(())
}

/// Adds a key result to an objective; returns its id.
pub fn create_key_result(tx: &Tx<'_>, objective_id: i64, k: &KeyResultDef) -> Result<i64> {
    check_key_result(k)?;
    let sort: i64 = tx.query_row(
        "SELECT coalesce(max(sort), -1) + 1 FROM key_results WHERE objective_id = ?1",
        [objective_id],
        |r| r.get(0),
    )?;
    tx.execute(
        "INSERT INTO key_results (objective_id, title, metric, direction, target, baseline, unit, owner, sort,
                                  cadence)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            objective_id,
            text::clean(&k.title),
            k.metric.key(),
            k.direction.code(),
            k.target,
            k.baseline,
            text::clean(&k.unit),
            text::clean(&k.owner),
            sort,
            k.cadence.code()
        ],
    )?;
    let id = tx.last_insert_rowid();
    write_filters(tx, id, k.metric.filters())?;
    replace_actions(tx, id, &k.actions)?;
    tx.audit(&Entry::new("create", "key_result").id(id).detail(format!("{}: {}", k.title, k.metric.key())))?;
    Ok(id)
}

/// Stores a key result's filters (none clears them).
fn write_filters(conn: &Connection, id: i64, f: Option<&Filters>) -> Result<()> {
    let none = Filters::default();
    let f = f.unwrap_or(&none);
    conn.execute(
        "UPDATE key_results SET filter_treatment = ?2, filter_provider = ?3, filter_category = ?4,
                filter_source = ?5 WHERE id = ?1",
        params![id, f.treatment, f.provider, f.category, f.source],
    )?;
    Ok(())
}

/// Aims a key result at a treatment, provider, payment category or referral source (empty
/// filters: the whole clinic again), checked against its metric. For the OKR editor's filter
/// fields.
pub fn set_key_result_filters(tx: &Tx<'_>, id: i64, filters: &Filters) -> Result<()> {
    let key: Option<String> =
        tx.query_row("SELECT metric FROM key_results WHERE id = ?1", [id], |r| r.get(0)).optional()?;
    let key = key.ok_or_else(|| StoreError::NotFound(format!("key result {id}")))?;
    if let Some(metric) = Metric::parse(&key) {
        filters.check(&metric).map_err(StoreError::Invalid)?;
    }
    write_filters(tx, id, Some(filters))?;
    let detail = filters.fields().iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(" ");
    tx.audit(&Entry::new("update", "key_result").id(id).detail(format!("filters: {detail}")))?;
    Ok(())
}

/// Updates a key result. Its filters are replaced when `k.metric` carries some or names another
/// metric; a plain metric of the same key keeps the stored filters (an editor without filter
/// fields does not clear them; [`set_key_result_filters`] does).
pub fn update_key_result(tx: &Tx<'_>, id: i64, k: &KeyResultDef) -> Result<()> {
    check_key_result(k)?;
    let stored: Option<String> =
        tx.query_row("SELECT metric FROM key_results WHERE id = ?1", [id], |r| r.get(0)).optional()?;
    if k.metric.filters().is_some() || stored.as_deref() != Some(k.metric.key().as_str()) {
        write_filters(tx, id, k.metric.filters())?;
    }
    let n = tx.execute(
        "UPDATE key_results SET title = ?2, metric = ?3, direction = ?4, target = ?5, baseline = ?6,
                unit = ?7, owner = ?8, cadence = ?9 WHERE id = ?1",
        params![
            id,
            text::clean(&k.title),
            k.metric.key(),
            k.direction.code(),
            k.target,
            k.baseline,
            text::clean(&k.unit),
            text::clean(&k.owner),
            k.cadence.code()
        ],
    )?;
    if n == 0 {
        return Err(StoreError::NotFound(format!("key result {id}")));
    }
    replace_actions(tx, id, &k.actions)?;
    tx.audit(&Entry::new("update", "key_result").id(id).detail(format!(
        "{}: {} {} {} ({})",
        k.title,
        k.metric.key(),
        k.direction.code(),
        k.target,
        k.cadence.code()
    )))?;
    Ok(())
}

/// Records a check-in (the value of a `manual` key result on a date, with a comment).
pub fn add_checkin(tx: &Tx<'_>, key_result_id: i64, on: NaiveDate, value: f64, comment: &str) -> Result<i64> {
    if !value.is_finite() {
        return Err(StoreError::Invalid("a check-in needs a number".into()));
    }
    tx.execute(
        "INSERT INTO checkins (key_result_id, on_date, value, comment, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![key_result_id, on.to_string(), value, text::clean(comment), tx.now_text()],
    )?;
    let id = tx.last_insert_rowid();
    tx.audit(
        &Entry::new("create", "checkin")
            .id(id)
            .detail(format!("key result {key_result_id}: {value} on {on}")),
    )?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Access, Actor, Store};

    #[test]
    fn the_huddles_board_without_history_computes_the_okr_tabs_history_for_it() {
        let dir = tempfile::tempdir().unwrap();
        let store =
            Store::open(&dir.path().join("clinic.db"), Access::ReadWrite, Actor::named("desk1")).unwrap();
        let at = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        // The seeded template's objectives, judged for the huddle's pulse (no history).
        let pulse = shared_board(&store, at, 0).unwrap();
        assert!(!pulse.is_empty());
        assert!(pulse.iter().flat_map(|o| &o.key_results).all(|k| k.history.is_empty()));
        // What is kept is the board with the OKR tab's weekly points, which the tab then reads.
        let cached = store.okr_board_cache().entry.borrow().clone().unwrap();
        assert_eq!(cached.0.history_weeks, SHARED_HISTORY_WEEKS);
        assert_eq!(cached.1, board_live(store.conn(), at, SHARED_HISTORY_WEEKS).unwrap());
        assert_eq!(shared_board(&store, at, SHARED_HISTORY_WEEKS).unwrap(), cached.1);
    }
}
