//! Objectives, key results, action items and check-ins.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::Result;
use crate::domain::okr::Cadence;
use crate::domain::okr::Direction;
use crate::domain::okr::Filters;
use crate::domain::okr::KeyResultDef;
use crate::domain::okr::Metric;
use crate::domain::okr::ObjectiveDef;
use crate::domain::okr::OpenDays;

mod board;
pub use board::*;
mod edit;
pub use edit::*;

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
