//! Export of each kind's rows for a date range, masked when asked.

use crate::domain::import::CsvKind;
use crate::domain::mask::mask_name;
use crate::domain::mask::mask_phone;
use crate::store::Result;
use crate::store::Store;
use crate::store::audit::Entry;
use rusqlite::Connection;
use rusqlite::params;

/// A date range for export; either end may be open. `to_exclusive` is a date text.
#[derive(Debug, Clone, Default)]
pub struct ExportRange {
    pub from: Option<String>,
    pub to_exclusive: Option<String>,
}

fn range_clause(column: &str) -> String {
    format!("(?1 IS NULL OR {column} >= ?1) AND (?2 IS NULL OR {column} < ?2)")
}

fn date_part(s: Option<String>) -> String {
    s.map(|t| t.chars().take(10).collect()).unwrap_or_default()
}

fn time_text(s: Option<String>) -> String {
    // Stored `2026-11-23T09:30:00` is written `2026-11-23 09:30:00`, as Excel reads it.
    s.map(|t| t.replacen('T', " ", 1)).unwrap_or_default()
}

fn query_rows(
    conn: &Connection,
    sql: &str,
    range: &ExportRange,
    width: usize,
) -> Result<Vec<Vec<Option<String>>>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt
        .query_map(params![range.from, range.to_exclusive], |r| {
            (0..width)
                .map(|i| r.get::<_, Option<rusqlite::types::Value>>(i))
                .collect::<rusqlite::Result<Vec<_>>>()
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .map(|cells| {
            cells
                .into_iter()
                .map(|v| match v {
                    None | Some(rusqlite::types::Value::Null) => None,
                    Some(rusqlite::types::Value::Integer(i)) => Some(i.to_string()),
                    Some(rusqlite::types::Value::Real(f)) => Some(f.to_string()),
                    Some(rusqlite::types::Value::Text(t)) => Some(t),
                    Some(rusqlite::types::Value::Blob(_)) => None,
                })
                .collect()
        })
        .collect())
}

/// The rows of an export (header first), masked when asked; writes an audit row.
pub fn export(store: &mut Store, kind: CsvKind, range: &ExportRange, mask: bool) -> Result<Vec<Vec<String>>> {
    let conn = store.conn();
    let mut out: Vec<Vec<String>> = vec![kind.header().iter().map(|s| s.to_string()).collect()];
    let name = |s: String| if mask { mask_name(&s) } else { s };
    let phone = |s: String| if mask && !s.is_empty() { mask_phone(&s) } else { s };
    // Free text (notes, descriptions, reactions): the phones and names inside it, too.
    let names = if mask { crate::store::names::masking_names(conn)? } else { Default::default() };
    let free = |s: Option<String>| {
        let s = s.unwrap_or_default();
        if mask { crate::domain::mask::mask_text(&s, &names) } else { s }
    };
    match kind {
        CsvKind::Patients => {
            let sql = format!(
                "SELECT p.chart_no, p.name, p.phone, p.birth_date, p.sex,
                        p.first_visit_on,
                        p.referral_source, r.chart_no,
                        (SELECT group_concat(tag, ';') FROM (SELECT tag FROM patient_tags t WHERE t.patient_id = p.id ORDER BY tag)),
                        (SELECT group_concat(body, ' / ') FROM (SELECT body FROM notes n WHERE n.patient_id = p.id ORDER BY n.created_at, n.id))
                 FROM patients p LEFT JOIN patients r ON r.id = p.referrer_id
                 WHERE {} ORDER BY p.id",
                range_clause("p.created_at")
            );
            for r in query_rows(conn, &sql, range, 10)? {
                let mut it = r.into_iter();
                let mut next = || it.next().flatten();
                let row = vec![
                    next().unwrap_or_default(),
                    name(next().unwrap_or_default()),
                    phone(next().unwrap_or_default()),
                    next().unwrap_or_default(),
                    next().unwrap_or_default(),
                    date_part(next()),
                    next().unwrap_or_default(),
                    next().unwrap_or_default(),
                    next().unwrap_or_default(),
                    free(next()),
                ];
                out.push(row);
            }
        }
        CsvKind::Appointments => {
            let sql = format!(
                "SELECT p.chart_no, a.start, a.duration_min, s.name, a.treatment_code, a.status, a.booked_at
                 FROM appointments a JOIN patients p ON p.id = a.patient_id LEFT JOIN staff s ON s.id = a.provider_id
                 WHERE {} ORDER BY a.start, a.id",
                range_clause("a.start")
            );
            for r in query_rows(conn, &sql, range, 7)? {
                let mut it = r.into_iter();
                let mut next = || it.next().flatten();
                out.push(vec![
                    next().unwrap_or_default(),
                    time_text(next()),
                    next().unwrap_or_default(),
                    next().unwrap_or_default(),
                    next().unwrap_or_default(),
                    next().unwrap_or_default(),
                    time_text(next()),
                ]);
            }
        }
        CsvKind::Inquiries => {
            let sql = format!(
                "SELECT i.received_at, i.caller_name, i.phone, i.referral_channel, i.topic_code, i.questions,
                        i.referral_source, r.chart_no, i.outcome, i.note
                 FROM inquiries i LEFT JOIN patients r ON r.id = i.referrer_id
                 WHERE {} ORDER BY i.received_at, i.id",
                range_clause("i.received_at")
            );
            for r in query_rows(conn, &sql, range, 10)? {
                let mut it = r.into_iter();
                let mut next = || it.next().flatten();
                out.push(vec![
                    time_text(next()),
                    name(next().unwrap_or_default()),
                    phone(next().unwrap_or_default()),
                    next().unwrap_or_default(),
                    next().unwrap_or_default(),
                    next().unwrap_or_default().replace(',', ";"),
                    next().unwrap_or_default(),
                    next().unwrap_or_default(),
                    next().unwrap_or_default(),
                    free(next()),
                ]);
            }
        }
        CsvKind::Consultations => {
            let sql = format!(
                "SELECT p.chart_no, p.name, p.phone, c.consulted_at, c.treatment_code, c.quoted_krw, c.offered_krw,
                        c.status, c.recall_on, c.reaction, c.circumstances
                 FROM consultations c JOIN patients p ON p.id = c.patient_id
                 WHERE {} ORDER BY c.consulted_at, c.id",
                range_clause("c.consulted_at")
            );
            for r in query_rows(conn, &sql, range, 11)? {
                let mut it = r.into_iter();
                let mut next = || it.next().flatten();
                out.push(vec![
                    next().unwrap_or_default(),
                    name(next().unwrap_or_default()),
                    phone(next().unwrap_or_default()),
                    time_text(next()),
                    next().unwrap_or_default(),
                    next().unwrap_or_default(),
                    next().unwrap_or_default(),
                    next().unwrap_or_default(),
                    next().unwrap_or_default(),
                    free(next()),
                    free(next()),
                ]);
            }
        }
        CsvKind::Complaints => {
            let sql = format!(
                "SELECT p.chart_no, c.raised_at, c.category_code, c.description, c.status, c.resolved_at, c.resolution
                 FROM complaints c JOIN patients p ON p.id = c.patient_id
                 WHERE {} ORDER BY c.raised_at, c.id",
                range_clause("c.raised_at")
            );
            for r in query_rows(conn, &sql, range, 7)? {
                let mut it = r.into_iter();
                let mut next = || it.next().flatten();
                out.push(vec![
                    next().unwrap_or_default(),
                    time_text(next()),
                    next().unwrap_or_default(),
                    free(next()),
                    next().unwrap_or_default(),
                    time_text(next()),
                    free(next()),
                ]);
            }
        }
        CsvKind::Payments => {
            let sql = format!(
                "SELECT p.chart_no, y.paid_at, y.amount_krw, y.category, y.treatment_code, s.name,
                        CASE WHEN y.reason <> '' AND y.reason <> y.note
                             THEN trim(y.reason || ' ' || y.note) ELSE y.note END
                 FROM payments y JOIN patients p ON p.id = y.patient_id LEFT JOIN staff s ON s.id = y.provider_id
                 WHERE {} ORDER BY y.paid_at, y.id",
                range_clause("y.paid_at")
            );
            for r in query_rows(conn, &sql, range, 7)? {
                let mut it = r.into_iter();
                let mut next = || it.next().flatten();
                out.push(vec![
                    next().unwrap_or_default(),
                    time_text(next()),
                    next().unwrap_or_default(),
                    next().unwrap_or_default(),
                    next().unwrap_or_default(),
                    next().unwrap_or_default(),
                    free(next()),
                ]);
            }
        }
        CsvKind::Packages => {
            let sql = format!(
                "SELECT p.chart_no, k.purchased_on, k.treatment_code, k.sessions, k.price_krw, s.name, k.note
                 FROM packages k JOIN patients p ON p.id = k.patient_id LEFT JOIN staff s ON s.id = k.provider_id
                 WHERE {} ORDER BY k.purchased_on, k.id",
                range_clause("k.purchased_on")
            );
            for r in query_rows(conn, &sql, range, 7)? {
                let mut it = r.into_iter();
                let mut next = || it.next().flatten();
                let mut row: Vec<String> = (0..6).map(|_| next().unwrap_or_default()).collect();
                row.push(free(next()));
                out.push(row);
            }
        }
    }
    let rows = out.len() - 1;
    let detail = format!("{rows} rows{}", if mask { ", masked" } else { "" });
    store.write(|tx| tx.audit(&Entry::new("export", kind.code()).detail(detail)))?;
    Ok(out)
}
