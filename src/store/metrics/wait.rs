//! Minutes from arrival to the next status, per visit, and their median.

use super::DONE_IN_PERIOD;
use crate::store::Result;
use rusqlite::Connection;
use rusqlite::params;

/// Each done visit in `lo..hi` with its minutes from arrival to the next status (done, or
/// whatever came next), from the status changes the desk recorded; visits never marked
/// arrived have none. In the order of their start.
pub fn wait_minutes_by_visit(conn: &Connection, lo: &str, hi: &str) -> Result<Vec<(i64, Option<i64>)>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT d.id, s.to_status, s.changed_at FROM appointments d
           JOIN appointment_status_changes s ON s.appointment_id = d.id
         WHERE {DONE_IN_PERIOD} ORDER BY d.start, d.id, s.id"
    ))?;
    let rows = stmt
        .query_map(params![lo, hi], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let parse = |s: &str| {
        chrono::NaiveDateTime::parse_from_str(s, crate::domain::TIME_FORMAT)
            .or_else(|_| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M"))
            .ok()
    };
    let mut out: Vec<(i64, Option<i64>)> = Vec::new();
    let mut arrived: Option<chrono::NaiveDateTime> = None;
    for (id, to_status, at) in rows {
        if out.last().map(|(last, _)| *last) != Some(id) {
            out.push((id, None));
            arrived = None;
        }
        let Some(last) = out.last_mut() else { continue };
        if last.1.is_some() {
            continue;
        }
        match arrived {
            None if to_status == "arrived" => arrived = parse(&at),
            Some(t0) => {
                last.1 = parse(&at).map(|t1| (t1 - t0).num_minutes()).filter(|m| *m >= 0);
                arrived = None;
            }
            None => {}
        }
    }
    Ok(out)
}

/// The median of some minutes (the mean of the middle two for an even count); `None` for none.
pub fn median(mut minutes: Vec<i64>) -> Option<f64> {
    if minutes.is_empty() {
        return None;
    }
    minutes.sort_unstable();
    let n = minutes.len();
    Some(if n % 2 == 1 { minutes[n / 2] as f64 } else { (minutes[n / 2 - 1] + minutes[n / 2]) as f64 / 2.0 })
}
