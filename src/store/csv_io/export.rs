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

/// How an exported cell is written from its SQL value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Out {
    /// As stored.
    Plain,
    /// A person's name: masked when asked.
    Name,
    /// A phone number: masked when asked.
    Phone,
    /// The date part of a timestamp.
    Date,
    /// A timestamp as Excel reads it (`2026-11-23 09:30:00`).
    Time,
    /// Free text (notes, descriptions, reactions): names and phones inside it masked when asked.
    Free,
    /// A comma list written with `;` (a comma would split the cell in some readers).
    List,
}

/// One kind's export: each column's SQL expression and how its cell is written (in the order
/// of [`CsvKind::header`]), the tables it reads, the column the date range applies to, and
/// the order of the rows.
struct Export {
    columns: &'static [(&'static str, Out)],
    from: &'static str,
    range_on: &'static str,
    order: &'static str,
}

fn export_of(kind: CsvKind) -> Export {
    use Out::*;
    match kind {
        CsvKind::Patients => Export {
            columns: &[
                ("p.chart_no", Plain),
                ("p.name", Name),
                ("p.phone", Phone),
                ("p.birth_date", Plain),
                ("p.sex", Plain),
                ("p.first_visit_on", Date),
                ("p.referral_source", Plain),
                ("r.chart_no", Plain),
                (
                    "(SELECT group_concat(tag, ';') FROM (SELECT tag FROM patient_tags t WHERE t.patient_id = p.id ORDER BY tag))",
                    Plain,
                ),
                (
                    "(SELECT group_concat(body, ' / ') FROM (SELECT body FROM notes n WHERE n.patient_id = p.id ORDER BY n.created_at, n.id))",
                    Free,
                ),
            ],
            from: "patients p LEFT JOIN patients r ON r.id = p.referrer_id",
            range_on: "p.created_at",
            order: "p.id",
        },
        CsvKind::Appointments => Export {
            columns: &[
                ("p.chart_no", Plain),
                ("a.start", Time),
                ("a.duration_min", Plain),
                ("s.name", Plain),
                ("a.treatment_code", Plain),
                ("a.status", Plain),
                ("a.booked_at", Time),
            ],
            from: "appointments a JOIN patients p ON p.id = a.patient_id LEFT JOIN staff s ON s.id = a.provider_id",
            range_on: "a.start",
            order: "a.start, a.id",
        },
        CsvKind::Inquiries => Export {
            columns: &[
                ("i.received_at", Time),
                ("i.caller_name", Name),
                ("i.phone", Phone),
                ("i.referral_channel", Plain),
                ("i.topic_code", Plain),
                ("i.questions", List),
                ("i.referral_source", Plain),
                ("r.chart_no", Plain),
                ("i.outcome", Plain),
                ("i.note", Free),
            ],
            from: "inquiries i LEFT JOIN patients r ON r.id = i.referrer_id",
            range_on: "i.received_at",
            order: "i.received_at, i.id",
        },
        CsvKind::Consultations => Export {
            columns: &[
                ("p.chart_no", Plain),
                ("p.name", Name),
                ("p.phone", Phone),
                ("c.consulted_at", Time),
                ("c.treatment_code", Plain),
                ("c.quoted_krw", Plain),
                ("c.offered_krw", Plain),
                ("c.status", Plain),
                ("c.recall_on", Plain),
                ("c.reaction", Free),
                ("c.circumstances", Free),
            ],
            from: "consultations c JOIN patients p ON p.id = c.patient_id",
            range_on: "c.consulted_at",
            order: "c.consulted_at, c.id",
        },
        CsvKind::Complaints => Export {
            columns: &[
                ("p.chart_no", Plain),
                ("c.raised_at", Time),
                ("c.category_code", Plain),
                ("c.description", Free),
                ("c.status", Plain),
                ("c.resolved_at", Time),
                ("c.resolution", Free),
            ],
            from: "complaints c JOIN patients p ON p.id = c.patient_id",
            range_on: "c.raised_at",
            order: "c.raised_at, c.id",
        },
        CsvKind::Payments => Export {
            columns: &[
                ("p.chart_no", Plain),
                ("y.paid_at", Time),
                ("y.amount_krw", Plain),
                ("y.category", Plain),
                ("y.treatment_code", Plain),
                ("s.name", Plain),
                // A refund's reason and its note, once each.
                (
                    "CASE WHEN y.reason <> '' AND y.reason <> y.note THEN trim(y.reason || ' ' || y.note) ELSE y.note END",
                    Free,
                ),
            ],
            from: "payments y JOIN patients p ON p.id = y.patient_id LEFT JOIN staff s ON s.id = y.provider_id",
            range_on: "y.paid_at",
            order: "y.paid_at, y.id",
        },
        CsvKind::Packages => Export {
            columns: &[
                ("p.chart_no", Plain),
                ("k.purchased_on", Plain),
                ("k.treatment_code", Plain),
                ("k.sessions", Plain),
                ("k.price_krw", Plain),
                ("s.name", Plain),
                ("k.note", Free),
            ],
            from: "packages k JOIN patients p ON p.id = k.patient_id LEFT JOIN staff s ON s.id = k.provider_id",
            range_on: "k.purchased_on",
            order: "k.purchased_on, k.id",
        },
    }
}

/// The rows of an export (header first), masked when asked; writes an audit row.
pub fn export(store: &mut Store, kind: CsvKind, range: &ExportRange, mask: bool) -> Result<Vec<Vec<String>>> {
    let conn = store.conn();
    let mut out: Vec<Vec<String>> = vec![kind.header().iter().map(|s| s.to_string()).collect()];
    let names = if mask { crate::store::names::masking_names(conn)? } else { Default::default() };
    let spec = export_of(kind);
    let sql = format!(
        "SELECT {} FROM {} WHERE {} ORDER BY {}",
        spec.columns.iter().map(|(sql, _)| *sql).collect::<Vec<_>>().join(", "),
        spec.from,
        range_clause(spec.range_on),
        spec.order
    );
    let write = |how: Out, v: Option<String>| -> String {
        let v = v.unwrap_or_default();
        match how {
            Out::Plain => v,
            Out::Name if mask => mask_name(&v),
            Out::Phone if mask && !v.is_empty() => mask_phone(&v),
            Out::Name | Out::Phone => v,
            Out::Date => v.chars().take(10).collect(),
            // Stored `2026-11-23T09:30:00` is written `2026-11-23 09:30:00`, as Excel reads it.
            Out::Time => v.replacen('T', " ", 1),
            Out::Free if mask => crate::domain::mask::mask_text(&v, &names),
            Out::Free => v,
            Out::List => v.replace(',', ";"),
        }
    };
    for r in query_rows(conn, &sql, range, spec.columns.len())? {
        out.push(r.into_iter().zip(spec.columns).map(|(v, (_, how))| write(*how, v)).collect());
    }
    let rows = out.len() - 1;
    let detail = format!("{rows} rows{}", if mask { ", masked" } else { "" });
    store.write(|tx| tx.audit(&Entry::new("export", kind.code()).detail(detail)))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_exports_one_column_per_header_name() {
        for kind in CsvKind::ALL {
            assert_eq!(export_of(kind).columns.len(), kind.header().len(), "{kind:?}");
        }
    }
}
