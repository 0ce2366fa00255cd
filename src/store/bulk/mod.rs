//! Bulk inserts for generated data (the demo clinic, benchmarks): plain rows in, SQL out.
//!
//! Everything here runs inside one [`super::Store::write`] transaction. Rows carry their own
//! ids so that a generator can link them without reading anything back. Text goes through
//! [`text::clean`] (NFC), times are stored as [`crate::domain::TIME_FORMAT`] text and dates as
//! [`DATE_FORMAT`] text, as everywhere else.

use std::borrow::Cow;

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use rusqlite::{Connection, OptionalExtension, params};
use unicode_normalization::IsNormalized;

use super::{Result, StoreError};
use crate::domain::{
    AppointmentStatus, CallbackKind, ConsultationStatus, DATE_FORMAT, InquiryOutcome, Role, Sex, Tag, phone,
    text,
};

/// Progress of long work (the demo's bulk inserts, an import's rows): the stage, the rows done
/// and the rows in all (0 when not known). The command line sets a hook that draws a bar on a
/// terminal ([`set_progress_hook`]); without one, reporting costs a branch.
pub type ProgressHook = dyn Fn(&str, u64, u64) + Send + Sync;

static PROGRESS_HOOK: std::sync::RwLock<Option<Box<ProgressHook>>> = std::sync::RwLock::new(None);

/// Sets (or with `None` removes) the process's progress hook.
pub fn set_progress_hook(hook: Option<Box<ProgressHook>>) {
    if let Ok(mut h) = PROGRESS_HOOK.write() {
        *h = hook;
    }
}

/// Reports progress to the hook, if one is set: `done` of `total` rows of `stage`.
pub fn report_progress(stage: &str, done: u64, total: u64) {
    if let Ok(h) = PROGRESS_HOOK.read() {
        if let Some(h) = h.as_ref() {
            h(stage, done, total);
        }
    }
}

/// Every few thousand rows of a bulk insert: the stage and the rows so far (total unknown).
fn progress(stage: &str, n: usize) {
    if n.is_multiple_of(4096) {
        report_progress(stage, n as u64, 0);
    }
}

pub struct StaffRow<'a> {
    pub id: i64,
    pub name: &'a str,
    pub role: Role,
    pub sort: i64,
}

pub struct PatientRow<'a> {
    pub id: i64,
    pub chart_no: &'a str,
    pub name: &'a str,
    pub phone: &'a str,
    pub birth_date: Option<NaiveDate>,
    pub sex: Option<Sex>,
    pub referral_source: Option<&'a str>,
    pub referral_channel: Option<&'a str>,
    pub referrer_id: Option<i64>,
    pub created_at: NaiveDateTime,
}

pub struct TagRow {
    pub patient_id: i64,
    pub tag: Tag,
    pub tagged_at: NaiveDateTime,
}

pub struct NoteRow<'a> {
    pub id: i64,
    pub patient_id: i64,
    pub body: &'a str,
    pub author: &'a str,
    pub created_at: NaiveDateTime,
}

pub struct AppointmentRow<'a> {
    pub id: i64,
    pub patient_id: i64,
    pub start: NaiveDateTime,
    pub duration_min: i64,
    pub provider_id: Option<i64>,
    pub treatment_code: Option<&'a str>,
    pub status: AppointmentStatus,
    pub confirmed_at: Option<NaiveDateTime>,
    pub booked_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub struct StatusChangeRow<'a> {
    pub id: i64,
    pub appointment_id: i64,
    pub from: AppointmentStatus,
    pub to: AppointmentStatus,
    pub changed_at: NaiveDateTime,
    pub changed_by: &'a str,
}

pub struct ComplaintRow<'a> {
    pub id: i64,
    pub patient_id: i64,
    pub raised_at: NaiveDateTime,
    pub category_code: &'a str,
    pub description: &'a str,
    pub owner_id: Option<i64>,
    pub plan: &'a str,
    /// `None` while the complaint is open.
    pub resolved_at: Option<NaiveDateTime>,
    pub resolution: &'a str,
}

pub struct ConsultationRow<'a> {
    pub id: i64,
    pub patient_id: i64,
    pub consulted_at: NaiveDateTime,
    pub treatment_code: Option<&'a str>,
    pub quoted_krw: Option<i64>,
    pub offered_krw: Option<i64>,
    pub status: ConsultationStatus,
    pub decided_at: Option<NaiveDateTime>,
    pub recall_on: Option<NaiveDate>,
    pub circumstances: &'a str,
    pub reaction: &'a str,
}

pub struct PackageRow<'a> {
    pub id: i64,
    pub patient_id: i64,
    pub treatment_code: &'a str,
    pub sessions: i64,
    pub price_krw: i64,
    pub purchased_on: NaiveDate,
}

pub struct PaymentRow<'a> {
    pub id: i64,
    pub patient_id: i64,
    pub paid_at: NaiveDateTime,
    pub amount_krw: i64,
    pub category: crate::domain::payments::PaymentCategory,
    pub treatment_code: Option<&'a str>,
    pub provider_id: Option<i64>,
    pub appointment_id: Option<i64>,
    pub recorded_by: &'a str,
}

/// How a closed callback ended; the stored codes of `callbacks.outcome`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallbackOutcome {
    Booked,
    Accepted,
    Declined,
    Unreachable,
    Done,
}

impl CallbackOutcome {
    pub fn code(self) -> &'static str {
        match self {
            CallbackOutcome::Booked => "booked",
            CallbackOutcome::Accepted => "accepted",
            CallbackOutcome::Declined => "declined",
            CallbackOutcome::Unreachable => "unreachable",
            CallbackOutcome::Done => "done",
        }
    }
}

pub struct CallbackRow<'a> {
    pub id: i64,
    pub patient_id: i64,
    pub kind: CallbackKind,
    pub due_on: NaiveDate,
    /// `None` while open.
    pub closed: Option<(CallbackOutcome, NaiveDateTime)>,
    pub owner_id: Option<i64>,
    pub consultation_id: Option<i64>,
    pub appointment_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub note: &'a str,
}

/// The channels of `callback_contacts.channel`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactChannel {
    Phone,
    Sms,
    Kakao,
    InPerson,
}

impl ContactChannel {
    pub fn code(self) -> &'static str {
        match self {
            ContactChannel::Phone => "phone",
            ContactChannel::Sms => "sms",
            ContactChannel::Kakao => "kakao",
            ContactChannel::InPerson => "in_person",
        }
    }
}

pub struct ContactRow<'a> {
    pub id: i64,
    pub callback_id: i64,
    pub contacted_at: NaiveDateTime,
    pub channel: ContactChannel,
    pub reached: bool,
    pub reaction: &'a str,
    pub next_plan: &'a str,
    pub by_staff: &'a str,
}

pub struct InquiryRow<'a> {
    pub id: i64,
    pub received_at: NaiveDateTime,
    pub caller_name: &'a str,
    pub phone: &'a str,
    pub patient_id: Option<i64>,
    pub contact_channel: &'a str,
    pub topic_code: Option<&'a str>,
    /// Comma-separated question kinds.
    pub questions: &'a str,
    pub referral_source: Option<&'a str>,
    pub referral_channel: Option<&'a str>,
    pub referrer_id: Option<i64>,
    pub outcome: InquiryOutcome,
    pub callback_on: Option<NaiveDate>,
    pub appointment_id: Option<i64>,
    pub note: &'a str,
    pub taken_by: &'a str,
}

pub struct HuddleRow<'a> {
    pub id: i64,
    pub held_on: NaiveDate,
    pub started_at: NaiveDateTime,
    pub length_sec: i64,
    pub notes: &'a str,
}

pub struct HuddleActionRow<'a> {
    pub id: i64,
    pub huddle_id: Option<i64>,
    pub patient_id: i64,
    pub action: &'a str,
    pub owner: &'a str,
    pub created_at: NaiveDateTime,
    pub done_at: Option<NaiveDateTime>,
}

pub struct CheckinRow<'a> {
    pub key_result_id: i64,
    pub on_date: NaiveDate,
    pub value: f64,
    pub comment: &'a str,
    pub created_at: NaiveDateTime,
}

/// A key result with the `manual` metric, which takes check-ins.
#[derive(Debug, Clone, PartialEq)]
pub struct ManualKeyResult {
    pub id: i64,
    pub title: String,
    pub unit: String,
    pub target: f64,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// Stored time text without going through chrono's formatter (millions of rows).
struct TimeText([u8; 19]);

impl TimeText {
    fn new(t: NaiveDateTime) -> TimeText {
        let mut b = *b"0000-00-00T00:00:00";
        let year = t.year().clamp(0, 9999) as u32;
        put_digits(&mut b[0..4], year);
        put_digits(&mut b[5..7], t.month());
        put_digits(&mut b[8..10], t.day());
        put_digits(&mut b[11..13], t.hour());
        put_digits(&mut b[14..16], t.minute());
        put_digits(&mut b[17..19], t.second());
        TimeText(b)
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("ASCII digits")
    }
}

struct DateText([u8; 10]);

impl DateText {
    fn new(d: NaiveDate) -> DateText {
        let mut b = *b"0000-00-00";
        put_digits(&mut b[0..4], d.year().clamp(0, 9999) as u32);
        put_digits(&mut b[5..7], d.month());
        put_digits(&mut b[8..10], d.day());
        DateText(b)
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("ASCII digits")
    }
}

fn put_digits(out: &mut [u8], mut n: u32) {
    for slot in out.iter_mut().rev() {
        *slot = b'0' + (n % 10) as u8;
        n /= 10;
    }
}

/// [`text::clean`] without the allocation when the text is already clean, as generated text
/// almost always is (millions of rows).
fn clean(s: &str) -> Cow<'_, str> {
    let trimmed = s.trim();
    if trimmed.len() == s.len() && unicode_normalization::is_nfc_quick(s.chars()) == IsNormalized::Yes {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(text::clean(s))
    }
}

fn time_opt(t: Option<NaiveDateTime>) -> Option<TimeText> {
    t.map(TimeText::new)
}

mod insert;
mod schema;

pub use insert::*;
pub use schema::*;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::TIME_FORMAT;

    #[test]
    fn clean_fast_path_agrees_with_text_clean() {
        for s in ["홍길동", " 홍길동 ", "\u{1112}\u{1169}\u{11BC}", "Chloé Martin", "Chloe\u{301}", ""]
        {
            assert_eq!(clean(s), text::clean(s), "{s:?}");
        }
    }

    #[test]
    fn time_text_matches_the_stored_format() {
        let t = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap().and_hms_opt(9, 3, 7).unwrap();
        assert_eq!(TimeText::new(t).as_str(), t.format(TIME_FORMAT).to_string());
        let d = NaiveDate::from_ymd_opt(987, 12, 31).unwrap();
        assert_eq!(DateText::new(d).as_str(), d.format(DATE_FORMAT).to_string());
    }
}
