//! Sticker suggestions (the CRM case's real-time VIP classification, issue 21 item 5): the
//! 고가환자 sticker for the top 20% of patients by twelve-month spending, the 소개환자
//! sticker for a patient who referred at least the settings' number of patients. Suggestions
//! only: the desk accepts one (the sticker goes on) or dismisses it (remembered, not
//! suggested again); nothing is tagged without a person deciding.

use chrono::NaiveDate;
use rusqlite::params;

use super::audit::Entry;
use super::{Db, Result, Tx};
use crate::domain::Tag;
use crate::domain::payments::{HIGH_VALUE_SHARE, top_spenders};

/// The setting: how many referred patients make a patient a 소개환자.
pub const REFERRER_THRESHOLD_KEY: &str = "referrer_sticker_threshold";
pub const DEFAULT_REFERRER_THRESHOLD: i64 = 3;

/// Why a sticker is suggested.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SuggestedBecause {
    /// Spent this much over the last twelve months, in the top 20%.
    Spending { krw: i64 },
    /// Referred this many patients.
    Referred { patients: i64 },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub patient_id: i64,
    pub tag: Tag,
    pub because: SuggestedBecause,
}

/// The 소개환자 threshold (the setting, or 3).
pub fn referrer_threshold(db: &impl Db) -> Result<i64> {
    use rusqlite::OptionalExtension;
    let v: Option<String> = db
        .db()
        .query_row("SELECT value FROM settings WHERE key = ?1", [REFERRER_THRESHOLD_KEY], |r| r.get(0))
        .optional()?;
    Ok(v.and_then(|v| v.trim().parse::<i64>().ok()).filter(|n| *n > 0).unwrap_or(DEFAULT_REFERRER_THRESHOLD))
}

/// Sets the 소개환자 threshold (at least 1); audited.
pub fn set_referrer_threshold(tx: &Tx<'_>, n: i64) -> Result<()> {
    if n < 1 {
        return Err(super::StoreError::Invalid("the threshold is at least 1 referred patient".into()));
    }
    super::settings::set_setting(tx, REFERRER_THRESHOLD_KEY, &n.to_string())
}

/// Every sticker suggestion as of `today`, by patient then sticker: patients without the
/// sticker who have not had it dismissed.
pub fn suggestions(db: &impl Db, today: NaiveDate) -> Result<Vec<Suggestion>> {
    suggestions_among(db, today, |_| true)
}

/// The suggestions as of `today` for the patients `wanted` keeps (the day's patients in the
/// huddle, one patient on the card): the ranking is over everyone, but only these are checked
/// against the stickers and dismissals already decided.
pub fn suggestions_among(
    db: &impl Db,
    today: NaiveDate,
    wanted: impl Fn(i64) -> bool,
) -> Result<Vec<Suggestion>> {
    undecided(db, ranked(db, today)?, wanted)
}

/// Who the spending and referral rules point at as of `today`, decided or not: the costly
/// part (twelve months of payments grouped by patient), which a screen may keep for the day.
pub fn ranked(db: &impl Db, today: NaiveDate) -> Result<Vec<Suggestion>> {
    let conn = db.db();
    let from = today.checked_sub_months(chrono::Months::new(12)).unwrap_or(today).succ_opt().unwrap_or(today);
    let hi = today.succ_opt().unwrap_or(today);
    let spending: Vec<(i64, i64)> = conn
        .prepare_cached(
            "SELECT patient_id, sum(amount_krw) FROM payments WHERE paid_at >= ?1 AND paid_at < ?2
             GROUP BY patient_id",
        )?
        .query_map(params![from.to_string(), hi.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::new();
    // Looked up by patient (a scan per top spender was quadratic: ~1 s on the large demo).
    let spent: std::collections::HashMap<i64, i64> = spending.iter().copied().collect();
    for pid in top_spenders(&spending, HIGH_VALUE_SHARE) {
        let krw = spent.get(&pid).copied().unwrap_or(0);
        out.push(Suggestion {
            patient_id: pid,
            tag: Tag::HighValue,
            because: SuggestedBecause::Spending { krw },
        });
    }
    let threshold = referrer_threshold(db)?;
    let mut stmt = conn.prepare_cached(
        "SELECT referrer_id, count(*) FROM patients WHERE referrer_id IS NOT NULL
         GROUP BY referrer_id HAVING count(*) >= ?1",
    )?;
    for row in stmt.query_map([threshold], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))? {
        let (pid, n) = row?;
        out.push(Suggestion {
            patient_id: pid,
            tag: Tag::Referrer,
            because: SuggestedBecause::Referred { patients: n },
        });
    }
    Ok(out)
}

/// The ranked suggestions `wanted` keeps whose sticker is neither on nor dismissed.
pub fn undecided(
    db: &impl Db,
    out: Vec<Suggestion>,
    wanted: impl Fn(i64) -> bool,
) -> Result<Vec<Suggestion>> {
    let conn = db.db();
    let mut keep = Vec::with_capacity(out.len());
    let mut decided = conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM patient_tags WHERE patient_id = ?1 AND tag = ?2)
             OR EXISTS (SELECT 1 FROM sticker_dismissals WHERE patient_id = ?1 AND tag = ?2)",
    )?;
    for s in out.into_iter().filter(|s| wanted(s.patient_id)) {
        let done: bool = decided.query_row(params![s.patient_id, s.tag.code()], |r| r.get(0))?;
        if !done {
            keep.push(s);
        }
    }
    keep.sort_by_key(|s| (s.patient_id, s.tag));
    Ok(keep)
}

/// The suggestions for one patient (the card).
pub fn suggestions_for(db: &impl Db, patient_id: i64, today: NaiveDate) -> Result<Vec<Suggestion>> {
    suggestions_among(db, today, |p| p == patient_id)
}

/// The desk accepted a suggestion: the sticker goes on (and a dismissal is forgotten); audited.
pub fn accept(tx: &Tx<'_>, patient_id: i64, tag: Tag) -> Result<()> {
    tx.execute(
        "INSERT OR IGNORE INTO patient_tags (patient_id, tag, tagged_at) VALUES (?1, ?2, ?3)",
        params![patient_id, tag.code(), tx.now_text()],
    )?;
    tx.execute(
        "DELETE FROM sticker_dismissals WHERE patient_id = ?1 AND tag = ?2",
        params![patient_id, tag.code()],
    )?;
    tx.audit(&Entry::new("accept", "sticker_suggestion").patient(patient_id).detail(tag.code()))?;
    Ok(())
}

/// The desk dismissed a suggestion: remembered, so it is not suggested again; audited.
pub fn dismiss(tx: &Tx<'_>, patient_id: i64, tag: Tag) -> Result<()> {
    tx.execute(
        "INSERT INTO sticker_dismissals (patient_id, tag, dismissed_at, dismissed_by) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (patient_id, tag) DO UPDATE SET dismissed_at = excluded.dismissed_at,
                                                     dismissed_by = excluded.dismissed_by",
        params![patient_id, tag.code(), tx.now_text(), tx.actor().os_user],
    )?;
    tx.audit(&Entry::new("dismiss", "sticker_suggestion").patient(patient_id).detail(tag.code()))?;
    Ok(())
}
