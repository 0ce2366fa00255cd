//! Text messages (issue 20): templates, consent, what is due to be texted today, and the
//! outbox every text goes through (queued -> sending -> sent / failed / unknown).
//!
//! Never twice: a row is keyed by what it is for (kind, appointment / callback / patient,
//! day) with a UNIQUE key, so queueing again adds nothing; a sender claims one row at a time
//! (queued -> sending) in a write transaction before it asks the provider, and finishes it
//! after. A row found in `sending` whose claim is older than [`STALE_CLAIM_MINUTES`] was left
//! by a sender that died between the request and the commit: it becomes `unknown` (shown to
//! the desk, never retried silently).

use chrono::{Duration, NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, params};

use super::audit::Entry;
use super::{Result, Store, StoreError, Tx};
use crate::domain::messages::{
    Consent, Length, MessageKind, MessageType, SkipReason, Template, Values, check_template, compose,
    default_body, may_send, measure, mobile_number,
};
use crate::domain::{DATE_FORMAT, Lang, TIME_FORMAT};

/// A claim older than this (by the store's clock) belongs to a sender that is gone.
pub const STALE_CLAIM_MINUTES: i64 = 5;

/// Seeds one Korean default template per kind (migration 2).
pub fn seed_templates(conn: &Connection) -> Result<()> {
    for kind in MessageKind::ALL {
        conn.execute(
            "INSERT OR IGNORE INTO message_templates (kind, body, advertising) VALUES (?1, ?2, 0)",
            params![kind.code(), default_body(*kind)],
        )?;
    }
    Ok(())
}

/// Every kind's template (the default where a row is missing), in kind order.
pub fn templates(conn: &Connection) -> Result<Vec<Template>> {
    MessageKind::ALL.iter().map(|k| template(conn, *k)).collect()
}

pub fn template(conn: &Connection, kind: MessageKind) -> Result<Template> {
    let row: Option<(String, bool)> = conn
        .query_row("SELECT body, advertising FROM message_templates WHERE kind = ?1", [kind.code()], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    Ok(match row {
        Some((body, advertising)) => Template { kind, body, advertising },
        None => Template::default_of(kind),
    })
}

/// Saves a template (checked: only known placeholders).
pub fn set_template(tx: &Tx<'_>, t: &Template) -> Result<()> {
    let body = crate::domain::text::clean(&t.body);
    check_template(&body).map_err(StoreError::Invalid)?;
    tx.execute(
        "INSERT INTO message_templates (kind, body, advertising) VALUES (?1, ?2, ?3)
         ON CONFLICT (kind) DO UPDATE SET body = excluded.body, advertising = excluded.advertising",
        params![t.kind.code(), body, t.advertising],
    )?;
    tx.audit(&Entry::new("update", "message_template").detail(t.kind.code()))
}

/// A patient's consent.
pub fn consent(conn: &Connection, patient_id: i64) -> Result<Consent> {
    let (opted, marketing): (Option<String>, Option<String>) = conn.query_row(
        "SELECT texts_opted_out_at, marketing_consent_on FROM patients WHERE id = ?1",
        [patient_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(consent_of(opted, marketing))
}

fn consent_of(opted: Option<String>, marketing: Option<String>) -> Consent {
    Consent {
        texts_opted_out: opted.is_some(),
        marketing_consent_on: marketing.and_then(|d| NaiveDate::parse_from_str(&d, DATE_FORMAT).ok()),
    }
}

/// Records at the desk that a patient wants no texts (or wants them again). Every later text
/// to them is skipped, and texts already queued are not sent.
pub fn set_texts_opted_out(tx: &Tx<'_>, patient_id: i64, opted_out: bool) -> Result<()> {
    let at = if opted_out { Some(tx.now_text()) } else { None };
    let n =
        tx.execute("UPDATE patients SET texts_opted_out_at = ?2 WHERE id = ?1", params![patient_id, at])?;
    if n == 0 {
        return Err(StoreError::NotFound(format!("patient {patient_id}")));
    }
    tx.audit(&Entry::new("update", "text_consent").patient(patient_id).detail(if opted_out {
        "opted out"
    } else {
        "opted in"
    }))
}

/// Records marketing consent and its day (`None`: withdrawn).
pub fn set_marketing_consent(tx: &Tx<'_>, patient_id: i64, on: Option<NaiveDate>) -> Result<()> {
    let day = on.map(|d| d.format(DATE_FORMAT).to_string());
    let n =
        tx.execute("UPDATE patients SET marketing_consent_on = ?2 WHERE id = ?1", params![patient_id, day])?;
    if n == 0 {
        return Err(StoreError::NotFound(format!("patient {patient_id}")));
    }
    tx.audit(
        &Entry::new("update", "marketing_consent")
            .patient(patient_id)
            .detail(day.unwrap_or_else(|| "withdrawn".into())),
    )
}

/// What the templates quote from the clinic's settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClinicFacts {
    pub clinic: String,
    pub clinic_phone: String,
    /// The free opt-out number advertising texts end with (080-...).
    pub opt_out_number: String,
    pub lang: Lang,
}

pub fn clinic_facts(conn: &Connection) -> Result<ClinicFacts> {
    let get = |k: &str| -> Result<String> {
        Ok(conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [k], |r| r.get::<_, String>(0))
            .optional()?
            .unwrap_or_default())
    };
    Ok(ClinicFacts {
        clinic: get("clinic_name")?,
        clinic_phone: get("clinic_phone")?,
        opt_out_number: get("sms_opt_out_number")?,
        // The texts are Korean by default: their dates are Korean unless the clinic speaks English.
        lang: Lang::parse(&get("lang")?).unwrap_or(Lang::Ko),
    })
}

/// A text due to be sent: what it is for and to whom.
#[derive(Debug, Clone, PartialEq)]
pub struct Due {
    pub kind: MessageKind,
    pub ref_kind: &'static str,
    pub ref_id: i64,
    pub for_date: String,
    pub patient_id: Option<i64>,
    pub callback_id: Option<i64>,
    pub name: String,
    pub phone: String,
    /// The appointment or visit it is about.
    pub at: Option<NaiveDateTime>,
    pub provider: String,
    pub consent: Consent,
}

/// A due text, composed: the exact text, its length and type, and where it goes or why not.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    pub due: Due,
    pub text: String,
    pub length: Length,
    pub advertising: bool,
    /// The mobile number (digits) it goes to, or why it is skipped.
    pub to: std::result::Result<String, SkipReason>,
}

impl Planned {
    pub fn sendable(&self) -> bool {
        self.to.is_ok()
    }
}

fn parse_time(s: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(s, TIME_FORMAT).ok()
}

/// The first open day after `today` (the clinic's `open_days`; a week of closed days: tomorrow).
pub fn next_open_day(conn: &Connection, today: NaiveDate) -> Result<NaiveDate> {
    let open = super::okr::open_days(conn)?;
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
pub fn plan_due(conn: &impl super::Db, now: NaiveDateTime) -> Result<Vec<Planned>> {
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

fn actor_name(tx: &Tx<'_>) -> String {
    if tx.actor().staff.is_empty() { tx.actor().os_user.clone() } else { tx.actor().staff.clone() }
}

/// A row of the outbox.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxRow {
    pub id: i64,
    pub kind: MessageKind,
    pub patient_id: Option<i64>,
    pub callback_id: Option<i64>,
    pub name: String,
    pub to: String,
    pub body: String,
    pub msg_type: String,
    pub bytes: i64,
    pub advertising: bool,
    pub status: String,
    pub reason: String,
    pub queued_at: String,
    pub finished_at: Option<String>,
    pub attempts: i64,
}

const ROW_COLS: &str = "m.id, m.kind, m.patient_id, m.callback_id,
    coalesce(p.name, (SELECT i.caller_name FROM callbacks c JOIN inquiries i ON i.id = c.inquiry_id WHERE c.id = m.callback_id), ''),
    m.to_digits, m.body, m.msg_type, m.bytes, m.advertising, m.status, m.reason, m.queued_at, m.finished_at, m.attempts";

fn row_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<OutboxRow> {
    Ok(OutboxRow {
        id: r.get(0)?,
        kind: MessageKind::parse(&r.get::<_, String>(1)?).unwrap_or(MessageKind::Free),
        patient_id: r.get(2)?,
        callback_id: r.get(3)?,
        name: r.get(4)?,
        to: r.get(5)?,
        body: r.get(6)?,
        msg_type: r.get(7)?,
        bytes: r.get(8)?,
        advertising: r.get(9)?,
        status: r.get(10)?,
        reason: r.get(11)?,
        queued_at: r.get(12)?,
        finished_at: r.get(13)?,
        attempts: r.get(14)?,
    })
}

/// The outbox rows queued from `from` through `to` (days), oldest first.
pub fn list(conn: &Connection, from: NaiveDate, to: NaiveDate) -> Result<Vec<OutboxRow>> {
    let end = to.succ_opt().unwrap_or(to);
    let mut stmt = conn.prepare(&format!(
        "SELECT {ROW_COLS} FROM messages m LEFT JOIN patients p ON p.id = m.patient_id
         WHERE m.queued_at >= ?1 AND m.queued_at < ?2 ORDER BY m.queued_at, m.id"
    ))?;
    let rows = stmt
        .query_map([from.format(DATE_FORMAT).to_string(), end.format(DATE_FORMAT).to_string()], row_of)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The texts a patient was sent (or that are on their way), newest first.
pub fn for_patient(conn: &Connection, patient_id: i64) -> Result<Vec<OutboxRow>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {ROW_COLS} FROM messages m LEFT JOIN patients p ON p.id = m.patient_id
         WHERE m.patient_id = ?1 ORDER BY m.queued_at DESC, m.id DESC"
    ))?;
    let rows = stmt.query_map([patient_id], row_of)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Rows by state, for the desk: (queued, sending, unknown, failed today).
pub fn counts(conn: &impl super::Db) -> Result<(i64, i64, i64)> {
    let conn = conn.db();
    Ok(conn.query_row(
        "SELECT count(*) FILTER (WHERE status = 'queued'), count(*) FILTER (WHERE status = 'sending'),
                count(*) FILTER (WHERE status = 'unknown')
         FROM messages WHERE status IN ('queued', 'sending', 'unknown')",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?)
}

/// Rows left in `sending` by a sender that is gone (claimed more than
/// [`STALE_CLAIM_MINUTES`] ago): whether the provider got them cannot be known, so they become
/// `unknown` and are shown, never sent again by themselves. Returns how many.
pub fn settle_stale_claims(store: &mut Store) -> Result<usize> {
    let cutoff = store.now() - Duration::minutes(STALE_CLAIM_MINUTES);
    let cutoff = cutoff.format(TIME_FORMAT).to_string();
    let stale: i64 = store.conn().query_row(
        "SELECT count(*) FROM messages WHERE status = 'sending' AND claimed_at <= ?1",
        [&cutoff],
        |r| r.get(0),
    )?;
    if stale == 0 {
        return Ok(0);
    }
    store.write(|tx| {
        let mut stmt =
            tx.prepare("SELECT id, patient_id FROM messages WHERE status = 'sending' AND claimed_at <= ?1")?;
        let rows = stmt
            .query_map([&cutoff], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Option<i64>>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        drop(stmt);
        for (id, patient_id) in &rows {
            tx.execute(
                "UPDATE messages SET status = 'unknown', finished_at = ?2,
                        reason = 'the sender stopped between the request and its answer' WHERE id = ?1",
                params![id, tx.now_text()],
            )?;
            let mut e = Entry::new("unknown", "message").id(*id).detail("stale claim");
            e.patient_id = *patient_id;
            tx.audit(&e)?;
        }
        Ok(rows.len())
    })
}

/// A row claimed for sending.
#[derive(Debug, Clone, PartialEq)]
pub struct Claimed {
    pub id: i64,
    pub kind: MessageKind,
    pub patient_id: Option<i64>,
    pub to: String,
    pub body: String,
    pub msg_type: String,
}

/// Claims the next queued row (queued -> sending) under `claim`, in one write transaction, so
/// no other sender can take it. Rows to a patient who opted out since they were queued, and
/// advertising rows without consent, are marked failed instead; advertising rows wait outside
/// 08:00-21:00 (by the store's clock). `None`: nothing left to send now.
pub fn claim_next(store: &mut Store, claim: &str, provider: &str) -> Result<Option<Claimed>> {
    claim_queued(store, claim, provider, None)
}

/// [`claim_next`] for one row only (a free text sent from the desk).
pub fn claim_one(store: &mut Store, claim: &str, provider: &str, id: i64) -> Result<Option<Claimed>> {
    claim_queued(store, claim, provider, Some(id))
}

fn claim_queued(
    store: &mut Store,
    claim: &str,
    provider: &str,
    only: Option<i64>,
) -> Result<Option<Claimed>> {
    let any: bool = store.conn().query_row(
        "SELECT EXISTS (SELECT 1 FROM messages WHERE status = 'queued' AND (?1 IS NULL OR id = ?1))",
        [only],
        |r| r.get(0),
    )?;
    if !any {
        return Ok(None);
    }
    store.write(|tx| {
        let now = tx.now();
        loop {
            let row = tx
                .query_row(
                    "SELECT m.id, m.kind, m.patient_id, m.to_digits, m.body, m.msg_type, m.advertising,
                            p.texts_opted_out_at, p.marketing_consent_on
                     FROM messages m LEFT JOIN patients p ON p.id = m.patient_id
                     WHERE m.status = 'queued' AND (m.advertising = 0 OR ?1) AND (?2 IS NULL OR m.id = ?2)
                     ORDER BY m.id LIMIT 1",
                    params![crate::domain::messages::advertising_allowed_at(now), only],
                    |r| {
                        Ok((
                            r.get::<_, i64>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, Option<i64>>(2)?,
                            r.get::<_, String>(3)?,
                            r.get::<_, String>(4)?,
                            r.get::<_, String>(5)?,
                            r.get::<_, bool>(6)?,
                            r.get::<_, Option<String>>(7)?,
                            r.get::<_, Option<String>>(8)?,
                        ))
                    },
                )
                .optional()?;
            let Some((id, kind, patient_id, to, body, msg_type, advertising, opted, marketing)) = row else {
                return Ok(None);
            };
            if let Err(why) = may_send(advertising, consent_of(opted, marketing), now) {
                tx.execute(
                    "UPDATE messages SET status = 'failed', reason = ?2, finished_at = ?3 WHERE id = ?1",
                    params![id, why.code(), tx.now_text()],
                )?;
                let mut e = Entry::new("skip", "message").id(id).detail(why.code());
                e.patient_id = patient_id;
                tx.audit(&e)?;
                continue;
            }
            tx.execute(
                "UPDATE messages SET status = 'sending', claim = ?2, claimed_at = ?3, provider = ?4,
                        attempts = attempts + 1
                 WHERE id = ?1 AND status = 'queued'",
                params![id, claim, tx.now_text(), provider],
            )?;
            return Ok(Some(Claimed {
                id,
                kind: MessageKind::parse(&kind).unwrap_or(MessageKind::Free),
                patient_id,
                to,
                body,
                msg_type,
            }));
        }
    })
}

/// How a provider answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Accepted (2xx), with the provider's reference.
    Sent(String),
    /// Refused (4xx), with the provider's reason: never retried.
    Rejected(String),
    /// Not sent (a connection that failed, a 5xx): back to the queue for the next run.
    Retry(String),
    /// The request went out and no answer came (a timeout, a dropped connection): shown to the
    /// desk, never retried by itself.
    Unknown(String),
}

/// Finishes a claimed row with the provider's answer. A sent text is an audit row (who sent,
/// to which patient, which template) and a contact (channel SMS) on its callback, which stays
/// open for the call still wanted.
pub fn finish(store: &mut Store, id: i64, claim: &str, outcome: &Outcome) -> Result<()> {
    store.write(|tx| {
        let row: Option<(Option<i64>, Option<i64>, String)> = tx
            .query_row(
                "SELECT patient_id, callback_id, kind FROM messages
                 WHERE id = ?1 AND claim = ?2 AND status IN ('sending', 'unknown')",
                params![id, claim],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((patient_id, callback_id, kind)) = row else {
            return Err(StoreError::Invalid(format!("text {id} is not being sent by this sender")));
        };
        let now = tx.now_text();
        let (status, reason, provider_ref) = match outcome {
            Outcome::Sent(r) => ("sent", String::new(), r.clone()),
            Outcome::Rejected(why) => ("failed", why.clone(), String::new()),
            Outcome::Retry(why) => ("queued", why.clone(), String::new()),
            Outcome::Unknown(why) => ("unknown", why.clone(), String::new()),
        };
        let finished = if status == "queued" { None } else { Some(now.clone()) };
        tx.execute(
            "UPDATE messages SET status = ?2, reason = ?3, provider_ref = ?4, finished_at = ?5,
                    claim = CASE WHEN ?2 = 'queued' THEN '' ELSE claim END
             WHERE id = ?1",
            params![id, status, reason, provider_ref, finished],
        )?;
        let mut e = Entry::new(if status == "sent" { "send" } else { status }, "message")
            .id(id)
            .detail(format!("template {kind}"));
        e.patient_id = patient_id;
        tx.audit(&e)?;
        if status == "sent"
            && let Some(callback_id) = callback_id
        {
            let open: bool = tx
                .query_row("SELECT status = 'open' FROM callbacks WHERE id = ?1", [callback_id], |r| r.get(0))
                .optional()?
                .unwrap_or(false);
            if open {
                let label = MessageKind::parse(&kind).unwrap_or(MessageKind::Free).label(Lang::Ko);
                tx.execute(
                    "INSERT INTO callback_contacts (callback_id, contacted_at, channel, reached, reaction, next_plan, by_staff)
                     VALUES (?1, ?2, 'sms', 0, '', ?3, ?4)",
                    params![callback_id, now, format!("문자 발송: {label}"), actor_name(tx)],
                )?;
                let mut e = Entry::new("create", "callback_contact")
                    .id(tx.last_insert_rowid())
                    .detail(format!("callback {callback_id} sms"));
                e.patient_id = patient_id;
                tx.audit(&e)?;
            }
        }
        Ok(())
    })
}

/// The type a stored row is sent as.
pub fn message_type(code: &str) -> MessageType {
    if code == "LMS" { MessageType::Lms } else { MessageType::Sms }
}

/// A free text to the person of a callback: who, where, and the free template filled in for
/// them (the desk writes the rest).
pub fn free_text_start(conn: &impl super::Db, callback_id: i64) -> Result<(Due, String)> {
    let conn = conn.db();
    /// Patient, name, phone, opted out at, marketing consent on.
    type Person = (Option<i64>, String, String, Option<String>, Option<String>);
    let row: Option<Person> = conn
        .query_row(
            "SELECT c.patient_id, coalesce(p.name, i.caller_name, ''), coalesce(p.phone, i.phone, ''),
                    p.texts_opted_out_at, p.marketing_consent_on
             FROM callbacks c LEFT JOIN patients p ON p.id = c.patient_id
             LEFT JOIN inquiries i ON i.id = c.inquiry_id WHERE c.id = ?1",
            [callback_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    let Some((patient_id, name, phone, opted, marketing)) = row else {
        return Err(StoreError::NotFound(format!("callback {callback_id}")));
    };
    let due = Due {
        kind: MessageKind::Free,
        ref_kind: "callback",
        ref_id: callback_id,
        for_date: String::new(),
        patient_id,
        callback_id: Some(callback_id),
        name,
        phone,
        at: None,
        provider: String::new(),
        consent: consent_of(opted, marketing),
    };
    let facts = clinic_facts(conn)?;
    let t = template(conn, MessageKind::Free)?;
    let values = Values {
        name: due.name.clone(),
        at: None,
        provider: String::new(),
        clinic: facts.clinic.clone(),
        clinic_phone: facts.clinic_phone.clone(),
    };
    Ok((due, crate::domain::messages::render(&t.body, &values, facts.lang)))
}

/// Queues a free text written at the desk to the person of a callback. Refused, with the
/// reason, to a number that is not a mobile one, to someone who opted out, or over 2,000
/// bytes. Returns the outbox row.
pub fn queue_free_text(tx: &Tx<'_>, callback_id: i64, body: &str, lang: Lang) -> Result<i64> {
    let (due, _) = free_text_start(tx, callback_id)?;
    let body = crate::domain::text::clean(body);
    if body.trim().is_empty() {
        return Err(StoreError::Invalid(lang.pick("보낼 내용이 없습니다", "the text is empty").into()));
    }
    let why = |r: SkipReason| StoreError::Invalid(r.label(lang).to_string());
    let to = mobile_number(&due.phone).map_err(why)?;
    may_send(false, due.consent, tx.now()).map_err(why)?;
    let length = measure(&body);
    if length.kind == MessageType::TooLong {
        return Err(why(SkipReason::TooLong));
    }
    let n = tx.execute(
        "INSERT OR IGNORE INTO messages (kind, ref_kind, ref_id, for_date, patient_id, callback_id, to_digits,
                                        body, msg_type, bytes, advertising, queued_at, queued_by)
         VALUES ('free', 'callback', ?1, ?2, ?3, ?1, ?4, ?5, ?6, ?7, 0, ?2, ?8)",
        params![
            callback_id,
            tx.now_text(),
            due.patient_id,
            to,
            body,
            length.kind.code(),
            length.bytes as i64,
            actor_name(tx)
        ],
    )?;
    if n == 0 {
        return Err(StoreError::Invalid(
            lang.pick(
                "방금 같은 분께 보낸 문자가 있습니다 - 잠시 후 다시",
                "a text to this person was just queued - try again in a moment",
            )
            .into(),
        ));
    }
    let id = tx.last_insert_rowid();
    let mut e = Entry::new("queue", "message").id(id).detail("free");
    e.patient_id = due.patient_id;
    tx.audit(&e)?;
    Ok(id)
}
