//! Creating, loading and editing objectives and key results, and check-ins.

use super::insert_objective;
use crate::domain::okr::Filters;
use crate::domain::okr::KeyResultDef;
use crate::domain::okr::Metric;
use crate::domain::okr::ObjectiveDef;
use crate::domain::text;
use crate::store::Result;
use crate::store::StoreError;
use crate::store::Tx;
use crate::store::audit::Entry;
use chrono::NaiveDate;
use rusqlite::Connection;
use rusqlite::OptionalExtension;
use rusqlite::params;

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
pub(super) fn write_filters(conn: &Connection, id: i64, f: Option<&Filters>) -> Result<()> {
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
