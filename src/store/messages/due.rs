//! What is due to be texted, composed and checked, and queued into the outbox.

use super::outbox::actor_name;
use super::{ClinicFacts, Due, Planned, clinic_facts, consent_of, parse_time, templates};
use crate::domain::DATE_FORMAT;
use crate::domain::messages::MessageKind;
use crate::domain::messages::MessageType;
use crate::domain::messages::SkipReason;
use crate::domain::messages::Template;
use crate::domain::messages::Values;
use crate::domain::messages::compose;
use crate::domain::messages::may_send;
use crate::domain::messages::measure;
use crate::domain::messages::mobile_number;
use crate::store::Result;
use crate::store::Store;
use crate::store::audit::Entry;
use chrono::NaiveDate;
use chrono::NaiveDateTime;
use rusqlite::Connection;
use rusqlite::params;

/// The first open day after `today` (the clinic's `open_days`; a week of closed days: tomorrow).
pub fn next_open_day(conn: &Connection, today: NaiveDate) -> Result<NaiveDate> {
    let open = crate::store::okr::open_days(conn)?;
    let tomorrow = today.succ_opt().unwrap_or(today);
    Ok(tomorrow.iter_days().take(7).find(|d| open.is_open(*d)).unwrap_or(tomorrow))
}

const PATIENT_COLS: &str = "p.name, p.phone, p.texts_opted_out_at, p.marketing_consent_on";

/// What is due to be texted at `now`, whether already in the outbox or not:
/// reminders for the next open day's booked, unconfirmed appointments (each patient's first);
/// no-show notices for open no-show callbacks due yesterday or today; happy-call texts for open
/// happy calls due today (the day after a treatment that has one); prospect and recall texts
/// on their recall date.
pub fn due_at(conn: &Connection, now: NaiveDateTime) -> Result<Vec<Due>> {
    let today = now.date();
    let day = |d: NaiveDate| d.format(DATE_FORMAT).to_string();
    let mut out = Vec::new();

    let open_day = next_open_day(conn, today)?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT a.id, a.patient_id, a.start, coalesce(s.name, ''),
                (SELECT c.id FROM callbacks c WHERE c.appointment_id = a.id AND c.kind = 'reminder'
                   AND c.status = 'open'),
                {PATIENT_COLS}
         FROM appointments a JOIN patients p ON p.id = a.patient_id
         LEFT JOIN staff s ON s.id = a.provider_id
         WHERE a.start >= ?1 AND a.start < ?2 AND a.status = 'booked' AND a.confirmed_at IS NULL
         ORDER BY a.start, a.id"
    ))?;
    let after = open_day.succ_opt().unwrap_or(open_day);
    let rows = stmt
        .query_map([day(open_day), day(after)], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<i64>>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, Option<String>>(7)?,
                r.get::<_, Option<String>>(8)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut seen = std::collections::HashSet::new();
    for (id, patient_id, start, provider, callback_id, name, phone, opted, marketing) in rows {
        if !seen.insert(patient_id) {
            continue;
        }
        out.push(Due {
            kind: MessageKind::Reminder,
            ref_kind: "appointment",
            ref_id: id,
            for_date: day(open_day),
            patient_id: Some(patient_id),
            callback_id,
            name,
            phone,
            at: parse_time(&start),
            provider,
            consent: consent_of(opted, marketing),
        });
    }

    // Callbacks: no-shows (yesterday's too: one marked late in the evening is texted the next
    // morning), happy calls and recalls due today. Callers who are not patients yet are texted
    // at the number they called from.
    let yesterday = today.pred_opt().unwrap_or(today);
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, c.kind, c.due_on, c.patient_id, c.appointment_id, a.start, coalesce(s.name, ''),
                coalesce(p.name, i.caller_name, ''), coalesce(p.phone, i.phone, ''),
                p.texts_opted_out_at, p.marketing_consent_on
         FROM callbacks c
         LEFT JOIN patients p ON p.id = c.patient_id
         LEFT JOIN inquiries i ON i.id = c.inquiry_id
         LEFT JOIN appointments a ON a.id = c.appointment_id
         LEFT JOIN staff s ON s.id = a.provider_id
         WHERE c.status = 'open' AND c.due_on >= ?1 AND c.due_on <= ?2
           AND (c.kind IN ('happy_call', 'prospect', 'recall') AND c.due_on = ?2 OR c.kind = 'no_show')
         ORDER BY c.due_on, c.id",
    )?;
    let rows = stmt
        .query_map([day(yesterday), day(today)], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<i64>>(3)?,
                r.get::<_, Option<i64>>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
                r.get::<_, String>(8)?,
                r.get::<_, Option<String>>(9)?,
                r.get::<_, Option<String>>(10)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (id, kind, due_on, patient_id, appointment_id, start, provider, name, phone, opted, marketing) in rows
    {
        let kind = match kind.as_str() {
            "no_show" => MessageKind::NoShow,
            "happy_call" => MessageKind::HappyCall,
            _ => MessageKind::Recall,
        };
        let at = start.as_deref().and_then(parse_time);
        // Keyed by the appointment when there is one (a callback merged into another keeps
        // its appointment's text), else by the callback and its recall date.
        let (ref_kind, ref_id, for_date) = match (kind, appointment_id, at) {
            (MessageKind::NoShow | MessageKind::HappyCall, Some(a), Some(t)) => {
                ("appointment", a, day(t.date()))
            }
            _ => ("callback", id, due_on),
        };
        out.push(Due {
            kind,
            ref_kind,
            ref_id,
            for_date,
            patient_id,
            callback_id: Some(id),
            name,
            phone,
            at,
            provider,
            consent: consent_of(opted, marketing),
        });
    }
    Ok(out)
}

/// Composes a due text with its template and checks where it may go.
pub fn plan(due: Due, t: &Template, facts: &ClinicFacts, now: NaiveDateTime) -> Planned {
    let values = Values {
        name: due.name.clone(),
        at: due.at,
        provider: due.provider.clone(),
        clinic: facts.clinic.clone(),
        clinic_phone: facts.clinic_phone.clone(),
    };
    let text = compose(t, &values, &facts.opt_out_number, facts.lang);
    let length = measure(&text);
    let to = mobile_number(&due.phone)
        .and_then(|to| may_send(t.advertising, due.consent, now).map(|_| to))
        .and_then(|to| if length.kind == MessageType::TooLong { Err(SkipReason::TooLong) } else { Ok(to) });
    Planned { due, text, length, advertising: t.advertising, to }
}

/// True when this text is already in the outbox (in whatever state).
fn in_outbox(conn: &Connection, d: &Due) -> Result<bool> {
    let mut stmt = conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM messages WHERE kind = ?1 AND ref_kind = ?2 AND ref_id = ?3 AND for_date = ?4)",
    )?;
    Ok(stmt.query_row(params![d.kind.code(), d.ref_kind, d.ref_id, d.for_date], |r| r.get(0))?)
}

/// The texts due at `now` that are not in the outbox yet, composed: the preview.
pub fn plan_due(conn: &impl crate::store::Db, now: NaiveDateTime) -> Result<Vec<Planned>> {
    let conn = conn.db();
    let facts = clinic_facts(conn)?;
    let templates = templates(conn)?;
    let mut out = Vec::new();
    for due in due_at(conn, now)? {
        if in_outbox(conn, &due)? {
            continue;
        }
        let t =
            templates.iter().find(|t| t.kind == due.kind).cloned().unwrap_or(Template::default_of(due.kind));
        out.push(plan(due, &t, &facts, now));
    }
    Ok(out)
}

/// Puts the sendable texts due now into the outbox (planned again inside the write lock, so two
/// terminals queueing at once add each text once). Returns (queued now, skipped with reasons).
pub fn queue_due(store: &mut Store) -> Result<(usize, Vec<Planned>)> {
    // Nothing to queue: no write at all (a timer runs this every few hours).
    let first_look = plan_due(store.conn(), store.now())?;
    if !first_look.iter().any(Planned::sendable) {
        return Ok((0, first_look));
    }
    store.write(|tx| {
        let now = tx.now();
        let planned = plan_due(tx, now)?;
        let by = actor_name(tx);
        let mut queued = 0;
        let mut skipped = Vec::new();
        for p in planned {
            let Ok(to) = &p.to else {
                skipped.push(p);
                continue;
            };
            let n = tx.execute(
                "INSERT OR IGNORE INTO messages (kind, ref_kind, ref_id, for_date, patient_id, callback_id, to_digits,
                                                body, msg_type, bytes, advertising, queued_at, queued_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                params![
                    p.due.kind.code(),
                    p.due.ref_kind,
                    p.due.ref_id,
                    p.due.for_date,
                    p.due.patient_id,
                    p.due.callback_id,
                    to,
                    p.text,
                    p.length.kind.code(),
                    p.length.bytes as i64,
                    p.advertising,
                    tx.now_text(),
                    by,
                ],
            )?;
            if n > 0 {
                queued += 1;
                let mut e = Entry::new("queue", "message").id(tx.last_insert_rowid()).detail(p.due.kind.code());
                e.patient_id = p.due.patient_id;
                tx.audit(&e)?;
            }
        }
        Ok((queued, skipped))
    })
}
