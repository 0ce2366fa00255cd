//! Objectives, key results, action items and check-ins.

use rusqlite::{Connection, params};

use super::Result;
use crate::domain::okr::ObjectiveDef;

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
            "INSERT INTO key_results (objective_id, title, metric, direction, target, baseline, unit, owner, sort)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                objective_id,
                k.title,
                k.metric.key(),
                k.direction.code(),
                k.target,
                k.baseline,
                k.unit,
                k.owner,
                i as i64
            ],
        )?;
        let kr_id = conn.last_insert_rowid();
        for (j, a) in k.actions.iter().enumerate() {
            conn.execute(
                "INSERT INTO key_result_actions (key_result_id, body, sort) VALUES (?1, ?2, ?3)",
                params![kr_id, a, j as i64],
            )?;
        }
    }
    Ok(objective_id)
}
