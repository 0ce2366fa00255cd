//! The clinic, day by day: inquiries come in, people book, come or do not come, get treated,
//! book their next visit or drift away, complain, are quoted prices and are called back.
//!
//! Everything is decided by one seeded [`Rng`] walking forward through the days, so the same
//! seed and date give the same clinic. Nothing here reads the clock or writes SQL: the
//! result is a [`Clinic`] of plain records that `demo::write` turns into rows.

mod booking;
mod calendar;
mod callbacks;
mod consultations;
mod days;
mod huddles;
mod today;

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use super::people::{People, Person};
use super::rng::Rng;
use super::texts;
use super::{Scale, Tuning};
use crate::domain::callbacks::{happy_call_due, reminder_due};
use crate::domain::{
    AppointmentStatus, CallbackKind, ConsultationStatus, InquiryOutcome, QuestionKind, Role, Tag,
};
use crate::store::bulk::{CallbackOutcome, ContactChannel};
use crate::store::catalog::Catalog;

/// Seconds since midnight of the first simulated day.
pub type Stamp = i64;

const DAY: i64 = 86_400;
const MIN: i64 = 60;

/// The demo's "now" on its date: the morning is under way (some patients done, some in the
/// treatment rooms, the rest still to come).
pub const NOW_MINUTE: i64 = 11 * 60 + 10;

pub use calendar::{Calendar, day_of, stamp};

mod profiles;
use profiles::*;

/// How a treatment behaves in the simulation, on top of its catalog row.
pub struct Treatment {
    pub code: String,
    happy_call: bool,
    interval: i64,
    duration: i64,
    course: i64,
    /// Indexes into `categories`.
    risky: Vec<usize>,
    /// Weight when a new course of care starts.
    episode_weight: u32,
    /// For treatments without a course: chance of one more visit.
    continue_p: f64,
    /// Weight when a cost consultation is about this treatment (0: never consulted).
    consult_weight: u32,
    /// Quote range in units of 10,000 won.
    quote: (i64, i64),
    /// Non-covered revenue per visit.
    visit_price: i64,
    is_car_insurance: bool,
}

pub struct StaffMember {
    pub name: String,
    pub role: Role,
}

struct Episode {
    treatment: usize,
    /// Visits left in the course; `None` for care without a fixed course.
    remaining: Option<i64>,
    visit_no: u32,
}

pub struct Patient {
    pub person: Person,
    pub source: Option<usize>,
    pub channel: Option<usize>,
    pub referrer: Option<u32>,
    pub created: Stamp,
    provider: usize,
    pref_minute: i64,
    no_show_p: f64,
    book_p: f64,
    episode: Option<Episode>,
    /// The booked appointment still to come.
    pending: Option<u32>,
    pub visits: u32,
    pub first_done: Option<Stamp>,
    pub last_done: Option<Stamp>,
    last_treatment: usize,
    pub referrals: u32,
    last_was_no_show: bool,
    last_complaint: Option<Stamp>,
    pub birthday_today: bool,
}

pub struct Appointment {
    pub patient: u32,
    pub day: i32,
    pub minute: i64,
    pub duration: i64,
    pub provider: usize,
    pub treatment: usize,
    pub status: AppointmentStatus,
    pub booked_at: Stamp,
    pub confirmed_at: Option<Stamp>,
    pub updated_at: Stamp,
    /// Set when a call cancelled it before its day.
    cancel_at: Option<Stamp>,
    first_visit: bool,
}

impl Appointment {
    pub fn start(&self) -> Stamp {
        stamp(self.day, self.minute)
    }
}

pub struct Inquiry {
    pub received: Stamp,
    pub caller_name: String,
    pub phone: String,
    pub patient: Option<u32>,
    pub kakao: bool,
    pub topic: Option<usize>,
    pub questions: String,
    pub source: Option<usize>,
    pub channel: Option<usize>,
    pub referrer: Option<u32>,
    pub outcome: InquiryOutcome,
    pub callback_on: Option<i32>,
    pub appointment: Option<u32>,
    pub note: &'static str,
    pub taken_by: usize,
    /// The caller, until they become a patient.
    caller: Option<Person>,
}

pub struct Complaint {
    pub patient: u32,
    pub raised: Stamp,
    pub category: usize,
    pub description: &'static str,
    pub owner: usize,
    pub plan: &'static str,
    pub resolved: Option<Stamp>,
    pub resolution: &'static str,
}

pub struct Consultation {
    pub patient: u32,
    pub at: Stamp,
    pub treatment: usize,
    pub quoted: i64,
    pub offered: Option<i64>,
    pub status: ConsultationStatus,
    pub decided: Option<Stamp>,
    pub recall_on: Option<i32>,
    pub circumstances: &'static str,
    pub reaction: &'static str,
}

pub struct Package {
    pub patient: u32,
    pub treatment: usize,
    pub sessions: i64,
    pub price: i64,
    pub day: i32,
}

/// A payment taken at checkout (or for a package), in won.
pub struct Payment {
    pub patient: u32,
    /// The visit paid for (none for a package sale).
    pub appointment: Option<u32>,
    pub at: Stamp,
    pub amount: i64,
    pub category: crate::domain::payments::PaymentCategory,
    pub treatment: usize,
    pub provider: Option<usize>,
}

/// The patient's share of a covered visit (본인부담금), 4,500-12,000 won in hundreds,
/// taken from the visit's own numbers so the generator's random sequence is untouched.
pub fn covered_copay(patient: u32, day: i32) -> i64 {
    let h = (patient as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)
        ^ (day as u64).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    4_500 + ((h >> 17) % 76) as i64 * 100
}

pub struct Callback {
    pub patient: u32,
    pub kind: CallbackKind,
    pub due: i32,
    pub created: Stamp,
    pub owner: usize,
    pub consultation: Option<u32>,
    pub appointment: Option<u32>,
    pub closed: Option<(CallbackOutcome, Stamp)>,
    pub note: &'static str,
    attempts: u32,
}

pub struct Contact {
    pub callback: u32,
    pub at: Stamp,
    pub channel: ContactChannel,
    pub reached: bool,
    pub reaction: &'static str,
    pub next_plan: &'static str,
    pub by: usize,
}

pub struct Note {
    pub patient: u32,
    pub body: &'static str,
    pub author: usize,
    pub at: Stamp,
}

pub struct Huddle {
    pub day: i32,
    pub started: Stamp,
    pub length_sec: i64,
}

pub struct HuddleAction {
    pub huddle: Option<u32>,
    pub patient: u32,
    pub action: &'static str,
    pub owner: usize,
    pub created: Stamp,
    pub done: Option<Stamp>,
}

pub struct StatusChange {
    pub appointment: u32,
    pub from: AppointmentStatus,
    pub to: AppointmentStatus,
    pub at: Stamp,
    pub by: usize,
}

/// What a callback is about.
#[derive(Debug, Clone, Copy)]
enum About {
    Nothing,
    Consultation(u32),
    Appointment(u32),
}

enum Event {
    /// The patient phones to book the next visit of their course.
    CallToBook(u32),
    /// A former patient comes back for a new course of care.
    Return(u32),
    /// The desk tries a callback.
    Attempt(u32),
    /// A caller who was to be called back books after all.
    InquiryFollowUp(u32),
    /// A caller who only asked walks in.
    InquiryWalkIn(u32),
}

/// The generated clinic: every record, linked by index.
pub struct Clinic {
    pub cal: Calendar,
    pub staff: Vec<StaffMember>,
    pub treatments: Vec<Treatment>,
    pub sources: Vec<String>,
    pub channels: Vec<String>,
    pub categories: Vec<String>,
    pub patients: Vec<Patient>,
    pub appointments: Vec<Appointment>,
    pub inquiries: Vec<Inquiry>,
    pub complaints: Vec<Complaint>,
    pub consultations: Vec<Consultation>,
    pub packages: Vec<Package>,
    pub payments: Vec<Payment>,
    pub callbacks: Vec<Callback>,
    pub contacts: Vec<Contact>,
    pub notes: Vec<Note>,
    pub huddles: Vec<Huddle>,
    pub huddle_actions: Vec<HuddleAction>,
    pub status_changes: Vec<StatusChange>,
    pub tags: BTreeMap<(u32, Tag), Stamp>,
    /// Revenue by day index: (non-covered, car insurance), for the revenue check-ins.
    pub revenue: Vec<(i64, i64)>,
}

struct Sim {
    rng: Rng,
    people: People,
    tuning: Tuning,
    clinic: Clinic,
    directors: Vec<usize>,
    desk: Vec<usize>,
    day_appointments: Vec<Vec<u32>>,
    events: Vec<Vec<(i64, Event)>>,
    /// Starts per day, provider and slot.
    slot_use: Vec<u8>,
    day_count: Vec<u32>,
    /// Patients who may be named as referrer: once per visit-making patient, once more per
    /// referral, so that people who refer tend to refer again (chains, a few big referrers).
    referral_pool: Vec<u32>,
    open_callbacks: HashMap<(u32, CallbackKind), u32>,
    episode_weights: Vec<u32>,
    consult_weights: Vec<u32>,
    source_weights: Vec<u32>,
    walk_in_source_weights: Vec<u32>,
    channel_weights: Vec<u32>,
    topic_weights: Vec<u32>,
    internet: Option<usize>,
    referral: Option<usize>,
    inquiry_rate: f64,
    walk_in_rate: f64,
    /// Patients with at least one visit, to draw existing callers and returning patients from.
    visited: Vec<u32>,
    /// The day being run, and whether its planned events have been run already.
    current_day: i32,
    events_done: bool,
    /// False once the days have been run: what is planned then stays open.
    running: bool,
    chuna: Option<usize>,
    /// Visits of about the last four weeks, all and chuna, for steering the chuna share.
    recent_visits: f64,
    recent_chuna: f64,
}

const SLOTS_PER_DAY: usize = 49;

pub fn simulate(catalog: &Catalog, date: NaiveDate, seed: u64, scale: Scale) -> Clinic {
    let tuning = Tuning::for_scale(scale);
    let start = date.checked_sub_months(chrono::Months::new(tuning.history_months)).unwrap_or(date);
    let cal = Calendar::new(start, date, 75);
    // Only the categories the demo has words for: a dental one has no place in a 한의원.
    let categories: Vec<String> = catalog
        .complaint_categories
        .iter()
        .filter(|c| texts::complaint(&c.code).is_some())
        .map(|c| c.code.clone())
        .collect();
    let treatments: Vec<Treatment> = catalog
        .treatments
        .iter()
        .filter(|t| t.code.active)
        .map(|t| {
            let (episode_weight, continue_p, consult_weight, quote, visit_price) =
                treatment_profile(&t.code.code);
            Treatment {
                code: t.code.code.clone(),
                happy_call: t.happy_call,
                interval: t.interval_days.max(1),
                duration: t.duration_min.max(5),
                course: t.course_visits,
                risky: t.risky.iter().filter_map(|r| categories.iter().position(|c| c == r)).collect(),
                episode_weight,
                continue_p,
                consult_weight,
                quote,
                visit_price,
                is_car_insurance: t.code.code == "car_insurance",
            }
        })
        .collect();
    let sources: Vec<String> = catalog.referral_sources.iter().map(|s| s.code.clone()).collect();
    let channels: Vec<String> = catalog.referral_channels.iter().map(|c| c.code.clone()).collect();

    let mut staff = Vec::new();
    for surname in DIRECTOR_SURNAMES.iter().take(tuning.directors) {
        staff.push(StaffMember { name: format!("{surname}원장"), role: Role::Director });
    }
    for name in DESK_NAMES.iter().take(tuning.desk) {
        staff.push(StaffMember { name: (*name).to_string(), role: Role::Desk });
    }
    for name in TREATMENT_ROOM_NAMES.iter().take(tuning.treatment_room) {
        staff.push(StaffMember { name: (*name).to_string(), role: Role::Treatment });
    }
    let directors: Vec<usize> = (0..tuning.directors).collect();
    let desk: Vec<usize> = (tuning.directors..tuning.directors + tuning.desk).collect();

    let days = cal.horizon as usize + 1;
    let open_days = (0..=cal.today).filter(|&d| cal.is_open(d)).count() as f64;
    let day_weight_sum: f64 = (0..=cal.today).map(|d| inquiry_day_factor(&cal, d)).sum();
    let inquiry_rate = tuning.inquiries / day_weight_sum;
    let from_inquiries = tuning.inquiries * (1.0 - EXISTING_CALLER_SHARE) * CALLER_CONVERSION;
    let walk_in_rate = ((tuning.patients - from_inquiries) / open_days).max(0.0);

    let episode_weights = treatments.iter().map(|t| t.episode_weight).collect();
    let consult_weights = treatments.iter().map(|t| t.consult_weight).collect();
    let source_weights = sources.iter().map(|s| source_weight(s, false)).collect();
    let walk_in_source_weights = sources.iter().map(|s| source_weight(s, true)).collect();
    let channel_weights = channels.iter().map(|c| channel_weight(c)).collect();
    let topic_weights = treatments.iter().map(|t| inquiry_topic_weight(&t.code)).collect();
    let internet = sources.iter().position(|s| s == "internet");
    let referral = sources.iter().position(|s| s == "referral");
    let chuna = treatments.iter().position(|t| t.code == "chuna");

    let clinic = Clinic {
        revenue: vec![(0, 0); days],
        cal,
        staff,
        treatments,
        sources,
        channels,
        categories,
        patients: Vec::new(),
        appointments: Vec::new(),
        inquiries: Vec::new(),
        complaints: Vec::new(),
        consultations: Vec::new(),
        packages: Vec::new(),
        payments: Vec::new(),
        callbacks: Vec::new(),
        contacts: Vec::new(),
        notes: Vec::new(),
        huddles: Vec::new(),
        huddle_actions: Vec::new(),
        status_changes: Vec::new(),
        tags: BTreeMap::new(),
    };
    let mut sim = Sim {
        rng: Rng::new(seed),
        people: People::new(),
        clinic,
        slot_use: vec![0; days * tuning.directors * SLOTS_PER_DAY],
        day_count: vec![0; days],
        day_appointments: (0..days).map(|_| Vec::new()).collect(),
        events: (0..days).map(|_| Vec::new()).collect(),
        tuning,
        directors,
        desk,
        referral_pool: Vec::new(),
        open_callbacks: HashMap::new(),
        episode_weights,
        consult_weights,
        source_weights,
        walk_in_source_weights,
        channel_weights,
        topic_weights,
        internet,
        referral,
        inquiry_rate,
        walk_in_rate,
        visited: Vec::new(),
        current_day: 0,
        events_done: false,
        running: true,
        chuna,
        recent_visits: 0.0,
        recent_chuna: 0.0,
    };
    sim.run();
    sim.clinic
}

const DIRECTOR_SURNAMES: &[&str] =
    &["김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "한", "오", "서", "신"];
const DESK_NAMES: &[&str] =
    &["최수진", "정하늘", "한소라", "오민지", "서유나", "신다은", "권보람", "황지혜", "안세희", "송가람"];
const TREATMENT_ROOM_NAMES: &[&str] = &["윤미래", "장세영", "임도윤", "류하은", "전소민"];

/// The share of visits that are chuna, which the clinic steers by.
const CHUNA_SHARE: f64 = 0.40;

/// Share of inquiries made by people who are already patients.
const EXISTING_CALLER_SHARE: f64 = 0.10;
/// Share of new callers who become patients (book, book after a call back, or walk in).
const CALLER_CONVERSION: f64 = 0.38;

fn inquiry_day_factor(cal: &Calendar, d: i32) -> f64 {
    if !cal.is_open(d) {
        0.15
    } else if cal.is_saturday(d) {
        0.8
    } else {
        1.15
    }
}

impl Sim {
    fn run(&mut self) {
        let today = self.clinic.cal.today;
        for d in 0..=today {
            if d == today {
                self.fill_today();
            }
            self.inquiries_of(d);
            self.events_of(d);
            if self.clinic.cal.is_open(d) {
                self.walk_ins_of(d);
                self.reminders_for_next_day(d);
                self.appointments_of(d);
            }
        }
        self.running = false;
        self.finish_today();
        self.keep_some_prospects_open();
        for kind in CallbackKind::ALL {
            self.keep_one_open(*kind);
        }
        self.keep_some_complaints_open();
        self.cancel_some_future();
        self.tag_and_note();
        self.huddles();
    }

    fn now(&self) -> Stamp {
        self.clinic.cal.now()
    }

    /// A time on day `d` between the two minutes, with seconds, as people do things.
    fn time_between(&mut self, d: i32, from_minute: i64, to_minute: i64) -> Stamp {
        let minute = self.rng.range(from_minute, to_minute.max(from_minute));
        stamp(d, minute) + self.rng.below(60) as i64
    }

    fn desk_member(&mut self) -> usize {
        *self.rng.pick(&self.desk)
    }

    fn complaint_rate(&self, d: i32) -> f64 {
        // A rough month: complaints are more frequent lately, so the huddle has something to say.
        if self.clinic.cal.today - d <= 30 { 0.0055 } else { 0.0022 }
    }
}

/// How the patients spread over the first directors (the senior one sees the most).
const DIRECTOR_LOAD: &[u32] = &[45, 33, 22];
