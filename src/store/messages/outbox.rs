//! The outbox: its rows, stale claims, claiming, finishing, and free texts from the desk.

use super::{Due, STALE_CLAIM_MINUTES, clinic_facts, consent_of, template};
use crate::domain::DATE_FORMAT;
use crate::domain::Lang;
use crate::domain::TIME_FORMAT;
use crate::domain::messages::MessageKind;
use crate::domain::messages::MessageType;
use crate::domain::messages::SkipReason;
use crate::domain::messages::Values;
use crate::domain::messages::may_send;
use crate::domain::messages::measure;
use crate::domain::messages::mobile_number;
use crate::store::Result;
use crate::store::Store;
use crate::store::StoreError;
use crate::store::Tx;
use crate::store::audit::Entry;
use chrono::Duration;
use chrono::NaiveDate;
use rusqlite::Connection;
use rusqlite::OptionalExtension;
use rusqlite::params;

pub(super) fn actor_name(tx: &Tx<'_>) -> String {
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
pub fn counts(conn: &impl crate::store::Db) -> Result<(i64, i64, i64)> {
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
pub fn free_text_start(conn: &impl crate::store::Db, callback_id: i64) -> Result<(Due, String)> {
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
