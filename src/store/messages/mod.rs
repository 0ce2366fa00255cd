//! Text messages (issue 20): templates, consent, what is due to be texted today, and the
//! outbox every text goes through (queued -> sending -> sent / failed / unknown).
//!
//! Never twice: a row is keyed by what it is for (kind, appointment / callback / patient,
//! day) with a UNIQUE key, so queueing again adds nothing; a sender claims one row at a time
//! (queued -> sending) in a write transaction before it asks the provider, and finishes it
//! after. A row found in `sending` whose claim is older than [`STALE_CLAIM_MINUTES`] was left
//! by a sender that died between the request and the commit: it becomes `unknown` (shown to
//! the desk, never retried silently).

use chrono::NaiveDate;
use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension, params};

use super::Result;
use super::StoreError;
use super::Tx;
use super::audit::Entry;
use crate::domain::messages::Consent;
use crate::domain::messages::Length;
use crate::domain::messages::MessageKind;
use crate::domain::messages::SkipReason;
use crate::domain::messages::Template;
use crate::domain::messages::check_template;
use crate::domain::messages::default_body;
use crate::domain::{DATE_FORMAT, Lang, TIME_FORMAT};

mod due;
pub use due::*;
mod outbox;
pub use outbox::*;

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
