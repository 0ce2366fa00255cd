//! The huddle's agenda (complaints, risky processes, chart review, expected dropouts, OKR
//! pulse), its decisions (`huddle_actions`) and the meetings themselves (`huddles`).

use std::collections::HashMap;

use chrono::NaiveDate;
use chrono::NaiveDateTime;
use rusqlite::OptionalExtension;

use super::Result;
use super::StoreError;
use crate::domain::DATE_FORMAT;
use crate::domain::TIME_FORMAT;
use crate::domain::Tag;
use crate::domain::dropout::Dropout;

mod agenda;
pub use agenda::*;
mod dropouts;
pub use dropouts::*;
mod actions;
pub use actions::*;

/// How far back a complaint makes a patient coming today worth mentioning.
pub const RECENT_COMPLAINT_DAYS: i64 = 90;
/// The window for "most frequent complaint categories".
pub const RISK_WINDOW_DAYS: i64 = 30;
/// How many categories count as the risky ones.
pub const RISKY_CATEGORIES: usize = 3;
/// At most this many of today's visits are listed under risky processes: one screen.
pub const RISKY_VISITS_SHOWN: usize = 10;
/// How many expected dropouts the agenda lists: the highest scores, as many as a ten-minute
/// meeting can go through (a clinic with ten years of patients has thousands of candidates).
pub const DROPOUTS_SHOWN: usize = 40;

/// Who a row is about: enough to recognise them (masked on a shared screen).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatientBrief {
    pub id: i64,
    pub chart_no: String,
    pub name: String,
    pub phone: String,
}

/// A decision taken at a huddle, open until ticked off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HuddleAction {
    pub id: i64,
    pub huddle_id: Option<i64>,
    pub patient: PatientBrief,
    pub action: String,
    pub owner: String,
    pub created_at: String,
    pub done_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplaintItem {
    pub id: i64,
    pub patient: PatientBrief,
    pub raised_on: NaiveDate,
    pub category: String,
    pub plan: String,
    pub owner: Option<String>,
    pub open: bool,
    /// When the patient is coming today, the time.
    pub coming_at: Option<NaiveDateTime>,
}

/// One of today's appointments with what the chart review needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TodayVisit {
    pub appointment_id: i64,
    pub start: NaiveDateTime,
    pub status: String,
    pub treatment: Option<String>,
    pub patient: PatientBrief,
    pub tags: Vec<Tag>,
    pub first_visit: bool,
    pub birthday: bool,
    /// Patients this person has referred.
    pub referred: i64,
    /// Tagged prospect or with an undecided consultation.
    pub prospect: bool,
}

/// Today's appointment going through a risky category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskyVisit {
    pub visit: TodayVisit,
    pub categories: Vec<String>,
}

/// The chart review's counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChartCounts {
    pub visits: i64,
    pub by_tag: Vec<(Tag, i64)>,
    pub first_visits: i64,
    pub referrers: i64,
    pub prospects: i64,
    pub birthdays: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PulseKeyResult {
    pub title: String,
    pub metric: String,
    pub direction: String,
    pub target: f64,
    pub owner: String,
    /// The value to date, as people read it ("-" when there is none yet).
    pub value_text: String,
    /// A rate or average (judged through yesterday): today's value so far, as people read it.
    pub today_text: Option<String>,
    pub progress: Option<f64>,
    pub status: crate::domain::okr::Status,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PulseObjective {
    pub title: String,
    pub from: String,
    pub to: String,
    pub key_results: Vec<PulseKeyResult>,
    /// Mean progress of the key results and the worst status among them (DESIGN §4).
    pub progress: Option<f64>,
    pub status: crate::domain::okr::Status,
}

/// Everything the agenda shows, loaded at once on reload.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Agenda {
    pub complaints: Vec<ComplaintItem>,
    /// (category code, complaints in the last 30 days), most frequent first.
    pub risky_categories: Vec<(String, i64)>,
    pub risky_visits: Vec<RiskyVisit>,
    /// Risky visits left off the list (past [`RISKY_VISITS_SHOWN`]).
    pub risky_more: usize,
    pub today: Vec<TodayVisit>,
    pub counts: ChartCounts,
    pub dropouts: Vec<(Dropout, PatientBrief)>,
    pub okr: Vec<PulseObjective>,
    /// Open huddle actions by patient.
    pub open_actions: HashMap<i64, Vec<HuddleAction>>,
}

fn day_text(d: NaiveDate) -> String {
    d.format(DATE_FORMAT).to_string()
}

fn parse_time(s: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(s, TIME_FORMAT).ok()
}

fn parse_day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), DATE_FORMAT).ok()
}

pub fn patient_brief(conn: &impl super::Db, id: i64) -> Result<PatientBrief> {
    let conn = conn.db();
    let mut stmt = conn.prepare_cached("SELECT id, chart_no, name, phone FROM patients WHERE id = ?1")?;
    stmt.query_row([id], |r| {
        Ok(PatientBrief { id: r.get(0)?, chart_no: r.get(1)?, name: r.get(2)?, phone: r.get(3)? })
    })
    .optional()?
    .ok_or_else(|| StoreError::NotFound(format!("patient {id}")))
}
