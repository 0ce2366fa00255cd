//! The clinic, day by day: inquiries come in, people book, come or do not come, get treated,
//! book their next visit or drift away, complain, are quoted prices and are called back.
//!
//! Everything is decided by one seeded [`Rng`] walking forward through the days, so the same
//! seed and date give the same clinic. Nothing here reads the clock or writes SQL: the
//! result is a [`Clinic`] of plain records that `demo::write` turns into rows.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Weekday};

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

/// Clinic days and hours.
pub struct Calendar {
    pub start: NaiveDate,
    /// Day index of the demo date.
    pub today: i32,
    /// Last day index bookings may reach.
    pub horizon: i32,
    open: Vec<bool>,
    saturday: Vec<bool>,
    weekday_slots: Vec<i64>,
    saturday_slots: Vec<i64>,
}

fn is_fixed_holiday(d: NaiveDate) -> bool {
    matches!((d.month(), d.day()), (1, 1) | (3, 1) | (5, 5) | (6, 6) | (8, 15) | (10, 3) | (10, 9) | (12, 25))
}

impl Calendar {
    fn new(start: NaiveDate, date: NaiveDate, future_days: i32) -> Calendar {
        let today = (date - start).num_days() as i32;
        let horizon = today + future_days;
        let mut open = Vec::with_capacity(horizon as usize + 1);
        let mut saturday = Vec::with_capacity(horizon as usize + 1);
        for d in 0..=horizon {
            let day = start + Duration::days(d as i64);
            // The demo date itself is always a clinic day: a demo that opens on an empty
            // Today would show nothing.
            open.push(d == today || !(day.weekday() == Weekday::Sun || is_fixed_holiday(day)));
            saturday.push(day.weekday() == Weekday::Sat);
        }
        let every_ten = |from: i64, to: i64| (from..=to).step_by(10).collect::<Vec<i64>>();
        let mut weekday_slots = every_ten(9 * 60 + 30, 12 * 60 + 50);
        weekday_slots.extend(every_ten(14 * 60, 18 * 60 + 30));
        let saturday_slots = every_ten(9 * 60 + 30, 13 * 60 + 30);
        Calendar { start, today, horizon, open, saturday, weekday_slots, saturday_slots }
    }

    /// The day index of a date (the inverse of [`Calendar::date`]).
    pub fn index(&self, date: NaiveDate) -> i32 {
        (date - self.start).num_days() as i32
    }

    pub fn date(&self, d: i32) -> NaiveDate {
        self.start + Duration::days(d as i64)
    }

    pub fn is_open(&self, d: i32) -> bool {
        d >= 0 && d <= self.horizon && self.open[d as usize]
    }

    fn is_saturday(&self, d: i32) -> bool {
        self.saturday[d as usize]
    }

    /// The first clinic day on or after `d` (past the horizon when there is none).
    pub fn next_open(&self, mut d: i32) -> i32 {
        while d <= self.horizon && !self.is_open(d) {
            d += 1;
        }
        d
    }

    fn slots(&self, d: i32) -> &[i64] {
        if self.is_saturday(d) { &self.saturday_slots } else { &self.weekday_slots }
    }

    /// Last minute of the day at which the desk works.
    fn closing_minute(&self, d: i32) -> i64 {
        if self.is_saturday(d) { 14 * 60 } else { 19 * 60 }
    }

    pub fn now(&self) -> Stamp {
        stamp(self.today, NOW_MINUTE)
    }

    pub fn time(&self, s: Stamp) -> NaiveDateTime {
        self.start.and_hms_opt(0, 0, 0).expect("midnight") + Duration::seconds(s)
    }
}

pub fn stamp(day: i32, minute: i64) -> Stamp {
    day as i64 * DAY + minute * MIN
}

pub fn day_of(s: Stamp) -> i32 {
    s.div_euclid(DAY) as i32
}

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

fn treatment_profile(code: &str) -> (u32, f64, u32, (i64, i64), i64) {
    // (episode weight, continue chance, consultation weight, quote range, non-covered price per visit)
    match code {
        "chuna" => (48, 0.0, 14, (50, 120), 0),
        "acupuncture" => (30, 0.93, 0, (0, 0), 0),
        "car_insurance" => (11, 0.0, 0, (0, 0), 0),
        "pharmacopuncture" => (6, 0.0, 20, (24, 64), 30_000),
        "cupping" => (5, 0.72, 0, (0, 0), 10_000),
        "herbal" => (5, 0.55, 30, (35, 180), 0),
        "dochim" => (3, 0.0, 7, (30, 60), 40_000),
        "bee_venom" => (2, 0.0, 6, (24, 48), 30_000),
        "diet" => (2, 0.0, 12, (120, 340), 0),
        "gongjindan" => (1, 0.3, 10, (90, 340), 0),
        _ => (1, 0.6, 0, (0, 0), 0),
    }
}

/// Referral source weights for callers and patients (shares of 100).
fn source_weight(code: &str, walk_in: bool) -> u32 {
    match (code, walk_in) {
        // An inquiry's source for a patient calling again; never drawn for a new person.
        ("existing_patient", _) => 0,
        ("referral", false) => 40,
        ("internet", false) => 25,
        ("signboard", false) => 10,
        ("magazine", false) => 10,
        ("sms", false) => 6,
        ("in_building", false) => 2,
        ("other", false) => 7,
        ("referral", true) => 46,
        ("signboard", true) => 28,
        ("in_building", true) => 8,
        ("internet", true) => 6,
        ("magazine", true) => 4,
        ("sms", true) => 2,
        ("other", true) => 6,
        _ => 1,
    }
}

fn channel_weight(code: &str) -> u32 {
    match code {
        "naver_place" => 35,
        "naver_search" => 20,
        "blog" => 15,
        "instagram" => 10,
        "homepage" => 8,
        "community" => 7,
        "youtube" => 5,
        _ => 2,
    }
}

fn inquiry_topic_weight(code: &str) -> u32 {
    match code {
        "chuna" => 25,
        "car_insurance" => 15,
        "diet" => 12,
        "herbal" => 12,
        "acupuncture" => 12,
        "pharmacopuncture" => 8,
        "gongjindan" => 5,
        "dochim" => 4,
        "bee_venom" => 3,
        "cupping" => 2,
        _ => 1,
    }
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

    // ----- people -------------------------------------------------------------------------

    fn new_patient(
        &mut self,
        person: Person,
        source: Option<usize>,
        channel: Option<usize>,
        referrer: Option<u32>,
        created: Stamp,
    ) -> u32 {
        let id = self.clinic.patients.len() as u32;
        let provider = if self.directors.len() <= DIRECTOR_LOAD.len() {
            self.directors[self.rng.weighted(&DIRECTOR_LOAD[..self.directors.len()])]
        } else {
            *self.rng.pick(&self.directors)
        };
        // Mornings and after work are busiest.
        let pref_minute = match self.rng.weighted(&[46, 22, 32]) {
            0 => self.rng.range(9 * 60 + 30, 12 * 60 + 30),
            1 => self.rng.range(14 * 60, 16 * 60 + 30),
            _ => self.rng.range(16 * 60 + 30, 18 * 60 + 30),
        };
        let no_show_p = if self.rng.chance(0.2) { 0.3 } else { 0.095 };
        let book_p = if self.rng.chance(0.2) { 0.7 } else { 0.93 };
        if let Some(r) = referrer {
            self.clinic.patients[r as usize].referrals += 1;
            if self.clinic.patients[r as usize].referrals == 2 {
                self.clinic.tags.entry((r, Tag::Referrer)).or_insert(created);
            }
            self.referral_pool.push(r);
        }
        self.clinic.patients.push(Patient {
            person,
            source,
            channel,
            referrer,
            created,
            provider,
            pref_minute,
            no_show_p,
            book_p,
            episode: None,
            pending: None,
            visits: 0,
            first_done: None,
            last_done: None,
            last_treatment: 0,
            referrals: 0,
            last_was_no_show: false,
            last_complaint: None,
            birthday_today: false,
        });
        id
    }

    /// Where a new person heard of the clinic: (source, channel, referrer).
    fn referral_of(&mut self, walk_in: bool) -> (Option<usize>, Option<usize>, Option<u32>) {
        if self.clinic.sources.is_empty() {
            return (None, None, None);
        }
        let weights = if walk_in { &self.walk_in_source_weights } else { &self.source_weights };
        let mut source = self.rng.weighted(weights);
        let mut referrer = None;
        if Some(source) == self.referral {
            if self.referral_pool.is_empty() {
                source = self.clinic.sources.iter().position(|s| s == "signboard").unwrap_or(source);
            } else {
                referrer = Some(*self.rng.pick(&self.referral_pool));
            }
        }
        let channel = if Some(source) == self.internet && !self.clinic.channels.is_empty() {
            Some(self.rng.weighted(&self.channel_weights))
        } else {
            None
        };
        (Some(source), channel, referrer)
    }

    fn pick_episode_treatment(&mut self) -> usize {
        // Steer chuna towards its usual share of visits (the OKR screen's 추나 비율), which
        // otherwise swings with a handful of long courses.
        let Some(chuna) = self.chuna else {
            return self.rng.weighted(&self.episode_weights);
        };
        let share =
            if self.recent_visits > 50.0 { self.recent_chuna / self.recent_visits } else { CHUNA_SHARE };
        let factor = (CHUNA_SHARE / share.max(0.01)).powi(3).clamp(0.3, 3.0);
        let mut weights = self.episode_weights.clone();
        weights[chuna] = (weights[chuna] as f64 * factor).round() as u32;
        self.rng.weighted(&weights)
    }

    fn start_episode(&mut self, p: u32, treatment: usize, sessions: Option<i64>) {
        let t = &self.clinic.treatments[treatment];
        let remaining = match sessions {
            Some(s) => Some(s),
            None if t.course > 0 => Some(t.course),
            None => None,
        };
        self.clinic.patients[p as usize].episode = Some(Episode { treatment, remaining, visit_no: 0 });
    }

    // ----- booking ------------------------------------------------------------------------

    fn day_cap(&self, d: i32) -> u32 {
        let t = &self.tuning;
        let base = if d == self.clinic.cal.today {
            t.today_max
        } else if self.clinic.cal.is_saturday(d) {
            t.saturday_cap
        } else {
            t.weekday_cap
        };
        base.max(1.0) as u32
    }

    /// A free start on day `d` near the patient's usual time, preferably with their director.
    fn find_slot(
        &mut self,
        d: i32,
        pref_minute: i64,
        provider: usize,
        not_before: i64,
    ) -> Option<(i64, usize)> {
        let cal = &self.clinic.cal;
        if !cal.is_open(d) || self.day_count[d as usize] >= self.day_cap(d) {
            return None;
        }
        let slots = cal.slots(d);
        let jitter = self.rng.range(-4, 4);
        let target = slots.partition_point(|&m| m < pref_minute) as i64 + jitter;
        let n = slots.len() as i64;
        let providers = self.directors.len();
        let base = d as usize * providers * SLOTS_PER_DAY;
        let cap = self.tuning.slot_cap;
        let mut order = Vec::with_capacity(providers);
        order.push(provider);
        let offset = self.rng.below(providers as u64) as usize;
        for k in 0..providers {
            let other = (offset + k) % providers;
            if other != provider {
                order.push(other);
            }
        }
        for prov in order {
            for step in 0..(2 * n) {
                let delta = if step % 2 == 0 { step / 2 } else { -(step / 2) - 1 };
                let i = target + delta;
                if i < 0 || i >= n {
                    continue;
                }
                let minute = slots[i as usize];
                if minute < not_before {
                    continue;
                }
                let cell = base + prov * SLOTS_PER_DAY + i as usize;
                if self.slot_use[cell] < cap {
                    self.slot_use[cell] += 1;
                    self.day_count[d as usize] += 1;
                    return Some((minute, prov));
                }
            }
        }
        None
    }

    /// Books the patient on the first clinic day from `from_day` that has room; returns the
    /// appointment. `booked_at` is when the booking was made.
    fn book(
        &mut self,
        p: u32,
        from_day: i32,
        treatment: usize,
        booked_at: Stamp,
        first_visit: bool,
    ) -> Option<u32> {
        let (pref, provider) = {
            let pat = &self.clinic.patients[p as usize];
            (pat.pref_minute, pat.provider)
        };
        let mut d = from_day.max(day_of(booked_at));
        for _ in 0..21 {
            d = self.clinic.cal.next_open(d);
            if d > self.clinic.cal.horizon {
                return None;
            }
            // Same-day bookings need a start after the call.
            let not_before = if d == day_of(booked_at) { (booked_at - stamp(d, 0)) / MIN + 30 } else { 0 };
            if let Some((minute, prov)) = self.find_slot(d, pref, provider, not_before) {
                let t = &self.clinic.treatments[treatment];
                let duration = t.duration + if first_visit { 10 } else { 0 };
                let id = self.clinic.appointments.len() as u32;
                self.clinic.appointments.push(Appointment {
                    patient: p,
                    day: d,
                    minute,
                    duration,
                    provider: prov,
                    treatment,
                    status: AppointmentStatus::Booked,
                    booked_at,
                    confirmed_at: None,
                    updated_at: booked_at,
                    cancel_at: None,
                    first_visit,
                });
                self.day_appointments[d as usize].push(id);
                self.clinic.patients[p as usize].pending = Some(id);
                return Some(id);
            }
            d += 1;
        }
        None
    }

    fn interval_days(&mut self, treatment: usize) -> i32 {
        let interval = self.clinic.treatments[treatment].interval;
        let jitter = (interval / 5).max(1);
        (interval + self.rng.range(-jitter, jitter)).max(1) as i32
    }

    fn push_event(&mut self, d: i32, minute: i64, event: Event) {
        if d >= 0 && d <= self.clinic.cal.today {
            self.events[d as usize].push((minute, event));
        }
    }

    // ----- callbacks ----------------------------------------------------------------------

    /// Opens a callback unless one of the same kind is already open for the patient (a new
    /// one would merge into it), and plans the first attempt.
    fn open_callback(
        &mut self,
        p: u32,
        kind: CallbackKind,
        due: i32,
        created: Stamp,
        about: About,
        note: &'static str,
    ) -> Option<u32> {
        let (consultation, appointment) = match about {
            About::Nothing => (None, None),
            About::Consultation(c) => (Some(c), None),
            About::Appointment(a) => (None, Some(a)),
        };
        if self.open_callbacks.contains_key(&(p, kind)) {
            return None;
        }
        let created = created.min(self.now());
        let id = self.clinic.callbacks.len() as u32;
        let owner = self.desk_member();
        self.clinic.callbacks.push(Callback {
            patient: p,
            kind,
            due,
            created,
            owner,
            consultation,
            appointment,
            closed: None,
            note,
            attempts: 0,
        });
        self.open_callbacks.insert((p, kind), id);
        // Most calls are made on the day they are due; some slip.
        let late = if kind != CallbackKind::Reminder && self.rng.chance(0.22) {
            self.rng.range(1, 3) as i32
        } else {
            0
        };
        let attempt_day = self.clinic.cal.next_open(due.max(day_of(created)) + late);
        let (from, to) = match kind {
            CallbackKind::Reminder => (14 * 60, 18 * 60 + 30),
            CallbackKind::HappyCall => (10 * 60 + 30, 17 * 60),
            _ => (10 * 60, 18 * 60),
        };
        let minute = self.rng.range(from, to);
        self.schedule_attempt(id, attempt_day, minute, created);
        Some(id)
    }

    fn schedule_attempt(&mut self, cb: u32, d: i32, minute: i64, not_before: Stamp) {
        if !self.running {
            return;
        }
        let minute =
            if d == day_of(not_before) { minute.max((not_before - stamp(d, 0)) / MIN + 5) } else { minute };
        if d < self.current_day {
            return;
        }
        if d == self.current_day && self.events_done {
            // Planned for later today, after the events of the day were run: run it now.
            self.attempt(cb, d, minute);
        } else {
            self.push_event(d, minute, Event::Attempt(cb));
        }
    }

    fn close_callback(&mut self, cb: u32, outcome: CallbackOutcome, at: Stamp) {
        let c = &mut self.clinic.callbacks[cb as usize];
        c.closed = Some((outcome, at));
        let key = (c.patient, c.kind);
        self.open_callbacks.remove(&key);
    }

    fn contact_channel(&mut self, kind: CallbackKind) -> ContactChannel {
        let weights: &[u32] = match kind {
            CallbackKind::Reminder => &[45, 25, 30, 0],
            CallbackKind::Prospect => &[70, 5, 17, 8],
            _ => &[66, 14, 17, 3],
        };
        match self.rng.weighted(weights) {
            0 => ContactChannel::Phone,
            1 => ContactChannel::Sms,
            2 => ContactChannel::Kakao,
            _ => ContactChannel::InPerson,
        }
    }

    fn attempt(&mut self, cb: u32, d: i32, minute: i64) {
        if self.clinic.callbacks[cb as usize].closed.is_some() {
            return;
        }
        let at = stamp(d, minute) + self.rng.below(60) as i64;
        if at > self.now() {
            return;
        }
        let kind = self.clinic.callbacks[cb as usize].kind;
        let p = self.clinic.callbacks[cb as usize].patient;
        self.clinic.callbacks[cb as usize].attempts += 1;
        let attempts = self.clinic.callbacks[cb as usize].attempts;
        let channel = self.contact_channel(kind);
        let by = self.desk_member();
        let reached = self.rng.chance(0.78);
        if !reached {
            let reaction = *self.rng.pick(texts::UNREACHED);
            let next_plan = *self.rng.pick(texts::UNREACHED_PLAN);
            self.clinic.contacts.push(Contact {
                callback: cb,
                at,
                channel,
                reached: false,
                reaction,
                next_plan,
                by,
            });
            // A reminder is not chased into the day of the appointment itself.
            if attempts >= 3 || kind == CallbackKind::Reminder {
                self.close_callback(cb, CallbackOutcome::Unreachable, at);
                self.lapse_after_callback(p, kind, d);
            } else {
                let next = self.clinic.cal.next_open(d + 1);
                self.retry(cb, next);
            }
            return;
        }
        let (reactions, plans) = texts::contact_reached(kind.code());
        let mut reaction = *self.rng.pick(reactions);
        let mut next_plan = *self.rng.pick(plans);
        let outcome: Option<CallbackOutcome> = match kind {
            CallbackKind::Prospect => {
                let consultation = self.clinic.callbacks[cb as usize].consultation;
                let roll = self.rng.unit();
                if roll < 0.36 {
                    reaction = "결정, 다음 주부터 시작하기로";
                    next_plan = "첫 치료 예약";
                    if let Some(c) = consultation {
                        self.decide(c, ConsultationStatus::Accepted, at);
                    }
                    Some(CallbackOutcome::Accepted)
                } else if roll < 0.62 {
                    reaction = "이번에는 안 하기로 함";
                    next_plan = "";
                    if let Some(c) = consultation {
                        self.decide(c, ConsultationStatus::Declined, at);
                    }
                    Some(CallbackOutcome::Declined)
                } else if attempts < 3 {
                    let next = self.clinic.cal.next_open(d + 7);
                    self.retry(cb, next);
                    None
                } else {
                    Some(CallbackOutcome::Done)
                }
            }
            CallbackKind::Reminder => {
                let appointment = self.clinic.callbacks[cb as usize].appointment;
                if self.rng.chance(0.9) {
                    if let Some(a) = appointment {
                        let appt = &mut self.clinic.appointments[a as usize];
                        appt.confirmed_at.get_or_insert(at);
                        appt.updated_at = appt.updated_at.max(at);
                    }
                    Some(CallbackOutcome::Done)
                } else {
                    reaction = "일이 생겨 못 온다고 함";
                    if let Some(a) = appointment {
                        self.clinic.appointments[a as usize].cancel_at = Some(at);
                    }
                    if self.rng.chance(0.6) {
                        next_plan = "다른 날로 예약 변경";
                        let treatment = self.episode_treatment(p);
                        let from = d + self.rng.range(2, 6) as i32;
                        if self.clinic.patients[p as usize].pending == appointment {
                            self.clinic.patients[p as usize].pending = None;
                        }
                        self.book(p, from, treatment, at, false);
                        Some(CallbackOutcome::Booked)
                    } else {
                        next_plan = "다시 연락 주기로";
                        Some(CallbackOutcome::Declined)
                    }
                }
            }
            CallbackKind::NoShow => {
                let roll = self.rng.unit();
                if roll < 0.72 && self.clinic.patients[p as usize].pending.is_none() {
                    let treatment = self.episode_treatment(p);
                    let from = d + self.rng.range(1, 5) as i32;
                    self.book(p, from, treatment, at, false);
                    Some(CallbackOutcome::Booked)
                } else if roll < 0.86 {
                    reaction = "당분간 못 온다고 함";
                    next_plan = "";
                    self.lapse_after_callback(p, kind, d);
                    Some(CallbackOutcome::Declined)
                } else {
                    self.lapse_after_callback(p, kind, d);
                    Some(CallbackOutcome::Done)
                }
            }
            CallbackKind::HappyCall => {
                if self.rng.chance(0.03) {
                    reaction = "시술 부위가 아프다고 함";
                    next_plan = "원장님께 전달, 다음 내원 때 확인";
                    let category = self.category_for(self.episode_treatment(p), true);
                    self.complain(p, at, category);
                } else if self.rng.chance(0.08) {
                    self.clinic.tags.entry((p, Tag::Satisfied)).or_insert(at);
                }
                Some(CallbackOutcome::Done)
            }
            CallbackKind::Recall => {
                let roll = self.rng.unit();
                if roll < 0.42 && self.clinic.patients[p as usize].pending.is_none() {
                    reaction = "예약 원함";
                    let last = self.clinic.patients[p as usize].last_treatment;
                    let treatment = if self.rng.chance(0.6) { last } else { self.pick_episode_treatment() };
                    self.start_episode(p, treatment, None);
                    let from = d + self.rng.range(1, 8) as i32;
                    self.book(p, from, treatment, at, false);
                    Some(CallbackOutcome::Booked)
                } else if roll < 0.75 {
                    Some(CallbackOutcome::Declined)
                } else {
                    Some(CallbackOutcome::Done)
                }
            }
        };
        self.clinic.contacts.push(Contact {
            callback: cb,
            at,
            channel,
            reached: true,
            reaction,
            next_plan,
            by,
        });
        if let Some(outcome) = outcome {
            self.close_callback(cb, outcome, at);
        }
    }

    /// The call sets the next date: the callback is due again then.
    fn retry(&mut self, cb: u32, next: i32) {
        self.clinic.callbacks[cb as usize].due = next;
        let minute = self.rng.range(10 * 60, 18 * 60);
        self.push_event(next, minute, Event::Attempt(cb));
    }

    /// After a failed no-show call the patient may still come back some day, or be recalled.
    fn lapse_after_callback(&mut self, p: u32, kind: CallbackKind, d: i32) {
        if kind != CallbackKind::NoShow {
            return;
        }
        if self.rng.chance(0.5) {
            let back = d + self.rng.range(14, 90) as i32;
            let minute = self.rng.range(9 * 60, 19 * 60);
            self.push_event(back, minute, Event::Return(p));
        } else if self.rng.chance(0.4) {
            let due = d + self.rng.range(30, 60) as i32;
            let created = stamp(d, 18 * 60);
            self.open_callback(p, CallbackKind::Recall, due, created, About::Nothing, "부도 후 연락 안 됨");
        }
    }

    fn episode_treatment(&self, p: u32) -> usize {
        let pat = &self.clinic.patients[p as usize];
        pat.episode.as_ref().map(|e| e.treatment).unwrap_or(pat.last_treatment)
    }

    // ----- complaints and consultations ---------------------------------------------------

    fn category_for(&mut self, treatment: usize, care_related: bool) -> usize {
        let risky = &self.clinic.treatments[treatment].risky;
        if !risky.is_empty() && (care_related || self.rng.chance(0.65)) {
            risky[self.rng.below(risky.len() as u64) as usize]
        } else {
            self.rng.below(self.clinic.categories.len().max(1) as u64) as usize
        }
    }

    fn complain(&mut self, p: u32, raised: Stamp, category: usize) {
        if self.clinic.categories.is_empty() {
            return;
        }
        let code = self.clinic.categories[category].clone();
        // Every category in the list has words (see `simulate`).
        let Some((descriptions, plans, resolutions)) = texts::complaint(&code) else { return };
        let description = *self.rng.pick(descriptions);
        let plan = *self.rng.pick(plans);
        let resolution = *self.rng.pick(resolutions);
        let owner = match code.as_str() {
            "pain" | "side_effect" | "result" => self.clinic.patients[p as usize].provider,
            _ => self.desk_member(),
        };
        let delay = self.rng.range(0, 14) as i32;
        let resolve_day = self.clinic.cal.next_open(day_of(raised) + delay);
        let resolved_at = stamp(resolve_day, self.rng.range(12 * 60, 18 * 60 + 30));
        // A few are never closed: the stale open complaints every clinic has.
        let resolved = if resolved_at <= self.now() && resolved_at > raised && self.rng.chance(0.975) {
            Some(resolved_at)
        } else {
            None
        };
        self.clinic.complaints.push(Complaint {
            patient: p,
            raised,
            category,
            description,
            owner,
            plan,
            resolved,
            resolution: if resolved.is_some() { resolution } else { "" },
        });
        self.clinic.patients[p as usize].last_complaint = Some(raised);
    }

    fn quote(&mut self, treatment: usize) -> (i64, Option<i64>) {
        let (lo, hi) = self.clinic.treatments[treatment].quote;
        let (lo, hi) = if hi == 0 { (30, 100) } else { (lo, hi) };
        let quoted = if hi >= 100 {
            self.rng.range(lo / 10, hi / 10) * 100_000
        } else {
            self.rng.range(lo, hi) * 10_000
        };
        let unit = if quoted >= 1_000_000 { 100_000 } else { 10_000 };
        let offered = match self.rng.weighted(&[25, 15, 30, 30]) {
            0 => None,
            1 => Some(quoted),
            2 => Some(((quoted as f64 * 0.95) / unit as f64).round() as i64 * unit),
            _ => Some(((quoted as f64 * 0.88) / unit as f64).round() as i64 * unit),
        };
        (quoted, offered)
    }

    fn consult(&mut self, p: u32, at: Stamp, preferred: Option<usize>) {
        let roll = self.rng.unit();
        self.consult_with(p, at, preferred, roll);
    }

    /// A consultation that ends undecided.
    fn consult_undecided(&mut self, p: u32, at: Stamp) {
        self.consult_with(p, at, None, 0.99);
    }

    /// `roll` in `[0, 1)` decides the outcome: accepted, declined or undecided.
    fn consult_with(&mut self, p: u32, at: Stamp, preferred: Option<usize>, roll: f64) {
        let treatment = match preferred {
            Some(t) if self.clinic.treatments[t].consult_weight > 0 => t,
            _ => {
                if self.consult_weights.iter().all(|&w| w == 0) {
                    return;
                }
                self.rng.weighted(&self.consult_weights)
            }
        };
        let (quoted, offered) = self.quote(treatment);
        let id = self.clinic.consultations.len() as u32;
        let circumstances = *self.rng.pick(texts::circumstances(&self.clinic.treatments[treatment].code));
        let (status, reaction) = if roll < 0.3 {
            (ConsultationStatus::Accepted, "바로 결정")
        } else if roll < 0.42 {
            (ConsultationStatus::Declined, "비용 부담으로 안 하기로")
        } else {
            (ConsultationStatus::Undecided, *self.rng.pick(texts::CONSULT_REACTIONS))
        };
        let d = day_of(at);
        let recall_on = (status == ConsultationStatus::Undecided).then(|| d + self.rng.range(3, 10) as i32);
        self.clinic.consultations.push(Consultation {
            patient: p,
            at,
            treatment,
            quoted,
            offered,
            status: ConsultationStatus::Undecided,
            decided: None,
            recall_on,
            circumstances,
            reaction,
        });
        match status {
            ConsultationStatus::Undecided => {
                let due = recall_on.unwrap_or(d + 7);
                self.open_callback(
                    p,
                    CallbackKind::Prospect,
                    due,
                    at,
                    About::Consultation(id),
                    "비용 상담 보류",
                );
            }
            decided => self.decide(id, decided, at),
        }
    }

    fn decide(&mut self, c: u32, status: ConsultationStatus, at: Stamp) {
        let (p, treatment, price) = {
            let con = &mut self.clinic.consultations[c as usize];
            con.status = status;
            con.decided = Some(at);
            (con.patient, con.treatment, con.offered.unwrap_or(con.quoted))
        };
        if status != ConsultationStatus::Accepted {
            return;
        }
        let t = &self.clinic.treatments[treatment];
        let sessions = if t.course > 0 {
            t.course
        } else if t.interval >= 30 {
            self.rng.range(1, 3)
        } else {
            5
        };
        let d = day_of(at);
        self.clinic.packages.push(Package { patient: p, treatment, sessions, price, day: d });
        self.clinic.revenue[d as usize].0 += price;
        if price >= 1_000_000 {
            self.clinic.tags.entry((p, Tag::HighValue)).or_insert(at);
        }
        self.start_episode(p, treatment, Some(sessions));
        if self.clinic.patients[p as usize].pending.is_none() && day_of(at) < self.clinic.cal.horizon {
            let from = d + self.rng.range(1, 7) as i32;
            self.book(p, from, treatment, at, false);
        }
    }

    // ----- the day ------------------------------------------------------------------------

    fn inquiries_of(&mut self, d: i32) {
        let cal = &self.clinic.cal;
        let mean = self.inquiry_rate * inquiry_day_factor(cal, d);
        let (from, to) =
            if cal.is_open(d) { (9 * 60, cal.closing_minute(d) + 30) } else { (10 * 60, 21 * 60) };
        let count = self.rng.poisson(mean);
        let mut times: Vec<Stamp> = (0..count).map(|_| self.time_between(d, from, to)).collect();
        times.sort_unstable();
        for received in times {
            if received > self.now() {
                continue;
            }
            self.inquiry(d, received);
        }
    }

    fn questions(&mut self, topic: Option<&str>) -> String {
        let insurance = match topic {
            Some("car_insurance") => 70,
            Some("chuna") | Some("acupuncture") => 35,
            _ => 12,
        };
        let weights = [45, 25, 20, insurance, 20, 8];
        let n = self.rng.weighted(&[55, 35, 10]) + 1;
        let mut picked = [false; 6];
        for _ in 0..n {
            picked[self.rng.weighted(&weights)] = true;
        }
        QuestionKind::ALL
            .iter()
            .zip(picked)
            .filter(|(_, on)| *on)
            .map(|(k, _)| k.code())
            .collect::<Vec<_>>()
            .join(",")
    }

    fn inquiry(&mut self, d: i32, received: Stamp) {
        let taken_by = self.desk_member();
        let topic = if self.rng.chance(0.06) { None } else { Some(self.rng.weighted(&self.topic_weights)) };
        let topic_code = topic.map(|t| self.clinic.treatments[t].code.clone());
        let questions = self.questions(topic_code.as_deref());
        let note = *self.rng.pick(texts::inquiry_note(topic_code.as_deref()));
        let kakao = self.rng.chance(if self.clinic.cal.is_open(d) { 0.08 } else { 0.7 });
        let id = self.clinic.inquiries.len() as u32;

        if !self.visited.is_empty() && self.rng.chance(EXISTING_CALLER_SHARE) {
            // A patient calling about something new.
            let p = *self.rng.pick(&self.visited);
            let pat = &self.clinic.patients[p as usize];
            let (name, phone) = (pat.person.name.clone(), pat.person.phone.clone());
            // Recorded as a patient calling again, not under their original source.
            let (source, channel, referrer) =
                match self.clinic.sources.iter().position(|s| s == "existing_patient") {
                    Some(i) => (Some(i), None, None),
                    None => (pat.source, pat.channel, pat.referrer),
                };
            let mut appointment = None;
            let mut outcome = InquiryOutcome::Info;
            if pat.pending.is_none() && self.rng.chance(0.55) {
                let treatment = topic.unwrap_or_else(|| self.pick_episode_treatment());
                self.start_episode(p, treatment, None);
                let from = d + self.rng.range(0, 5) as i32;
                appointment = self.book(p, from, treatment, received, false);
                if appointment.is_some() {
                    outcome = InquiryOutcome::Booked;
                }
            }
            self.clinic.inquiries.push(Inquiry {
                received,
                caller_name: name,
                phone,
                patient: Some(p),
                kakao,
                topic,
                questions,
                source,
                channel,
                referrer,
                outcome,
                callback_on: None,
                appointment,
                note,
                taken_by,
                caller: None,
            });
            return;
        }

        let person = self.people.person(&mut self.rng, self.clinic.cal.date(self.clinic.cal.today));
        let (source, channel, referrer) = self.referral_of(false);
        let caller_name = if self.rng.chance(0.08) { String::new() } else { person.name.clone() };
        let phone = person.phone.clone();
        let roll = self.rng.unit();
        let mut inquiry = Inquiry {
            received,
            caller_name,
            phone,
            patient: None,
            kakao,
            topic,
            questions,
            source,
            channel,
            referrer,
            outcome: InquiryOutcome::Info,
            callback_on: None,
            appointment: None,
            note,
            taken_by,
            caller: Some(person),
        };
        if roll < 0.26 {
            // Books on the phone.
            let person = inquiry.caller.take().expect("caller");
            let p = self.new_patient(person, source, channel, referrer, received);
            let treatment = topic.unwrap_or_else(|| self.pick_episode_treatment());
            self.start_episode(p, treatment, None);
            let from = d + self.rng.weighted(&[25, 30, 20, 10, 7, 5, 3]) as i32;
            inquiry.patient = Some(p);
            inquiry.appointment = self.book(p, from, treatment, received, true);
            inquiry.outcome =
                if inquiry.appointment.is_some() { InquiryOutcome::Booked } else { InquiryOutcome::Callback };
        } else if roll < 0.33 {
            // To be called back; books then.
            let back = d + self.rng.range(1, 3) as i32;
            inquiry.outcome = InquiryOutcome::Callback;
            inquiry.callback_on = Some(back);
            let minute = self.rng.range(10 * 60, 18 * 60);
            self.push_event(self.clinic.cal.next_open(back), minute, Event::InquiryFollowUp(id));
        } else if roll < CALLER_CONVERSION {
            // Only asked; walks in some days later.
            let walk = d + self.rng.range(1, 12) as i32;
            let minute = self.rng.range(9 * 60 + 40, 18 * 60);
            self.push_event(self.clinic.cal.next_open(walk), minute, Event::InquiryWalkIn(id));
        } else if self.rng.chance(0.35) {
            inquiry.outcome = InquiryOutcome::Callback;
            inquiry.callback_on = Some(d + self.rng.range(1, 4) as i32);
        }
        self.clinic.inquiries.push(inquiry);
    }

    fn events_of(&mut self, d: i32) {
        self.current_day = d;
        self.events_done = false;
        let mut events = std::mem::take(&mut self.events[d as usize]);
        events.sort_by_key(|(minute, _)| *minute);
        for (minute, event) in events {
            let at = stamp(d, minute) + self.rng.below(60) as i64;
            if at > self.now() {
                continue;
            }
            match event {
                Event::Attempt(cb) => self.attempt(cb, d, minute),
                Event::CallToBook(p) => {
                    if self.clinic.patients[p as usize].pending.is_none() {
                        let treatment = self.episode_treatment(p);
                        let from = d + self.rng.range(1, 4) as i32;
                        self.book(p, from, treatment, at, false);
                    }
                }
                Event::Return(p) => {
                    if self.clinic.patients[p as usize].pending.is_none() {
                        let last = self.clinic.patients[p as usize].last_treatment;
                        let treatment =
                            if self.rng.chance(0.5) { last } else { self.pick_episode_treatment() };
                        self.start_episode(p, treatment, None);
                        let from = d + self.rng.range(1, 5) as i32;
                        self.book(p, from, treatment, at, false);
                    }
                }
                Event::InquiryFollowUp(i) => {
                    let Some(person) = self.clinic.inquiries[i as usize].caller.take() else {
                        continue;
                    };
                    let q = &self.clinic.inquiries[i as usize];
                    let (source, channel, referrer, topic) = (q.source, q.channel, q.referrer, q.topic);
                    let p = self.new_patient(person, source, channel, referrer, at);
                    let treatment = topic.unwrap_or_else(|| self.pick_episode_treatment());
                    self.start_episode(p, treatment, None);
                    let from = d + self.rng.range(0, 4) as i32;
                    self.book(p, from, treatment, at, true);
                    self.clinic.inquiries[i as usize].patient = Some(p);
                }
                Event::InquiryWalkIn(i) => {
                    if !self.clinic.cal.is_open(d) {
                        continue;
                    }
                    let Some(person) = self.clinic.inquiries[i as usize].caller.take() else {
                        continue;
                    };
                    let q = &self.clinic.inquiries[i as usize];
                    let (source, channel, referrer, topic) = (q.source, q.channel, q.referrer, q.topic);
                    let p = self.new_patient(person, source, channel, referrer, at);
                    self.clinic.inquiries[i as usize].patient = Some(p);
                    let treatment = topic.unwrap_or_else(|| self.pick_episode_treatment());
                    self.walk_in(p, d, at, treatment);
                }
            }
        }
        self.events_done = true;
    }

    fn walk_in(&mut self, p: u32, d: i32, at: Stamp, treatment: usize) {
        self.start_episode(p, treatment, None);
        self.clinic.patients[p as usize].pref_minute = (at - stamp(d, 0)) / MIN + 30;
        // Booked at the desk as they walk in: the first free start after a short wait, or
        // another day when today is full.
        self.book(p, d, treatment, at, true);
    }

    fn walk_ins_of(&mut self, d: i32) {
        let weekday = if self.clinic.cal.is_saturday(d) { 0.7 } else { 1.08 };
        // Steer towards the patient count of the scale: more walk-ins while behind the
        // expected count so far, fewer while ahead.
        let today = self.clinic.cal.today as f64;
        let expected = self.tuning.patients * (d as f64 + 1.0) / (today + 1.0);
        let behind = expected - self.clinic.patients.len() as f64;
        let mean = (self.walk_in_rate * weekday + 0.08 * behind).max(0.0);
        let count = self.rng.poisson(mean);
        let close = self.clinic.cal.closing_minute(d) - 60;
        let mut times: Vec<Stamp> = (0..count).map(|_| self.time_between(d, 9 * 60 + 30, close)).collect();
        times.sort_unstable();
        for at in times {
            if at > self.now() {
                continue;
            }
            let person = self.people.person(&mut self.rng, self.clinic.cal.date(self.clinic.cal.today));
            let (source, channel, referrer) = self.referral_of(true);
            let p = self.new_patient(person, source, channel, referrer, at);
            let treatment = self.pick_episode_treatment();
            self.walk_in(p, d, at, treatment);
        }
    }

    /// The afternoon before: confirmation messages for the next clinic day, and reminder calls
    /// (by the app's rule, `domain::callbacks::reminder_due`: for tomorrow's appointments) to
    /// first visits, past no-shows and a few others. On the demo date every unconfirmed
    /// appointment of tomorrow gets a reminder, as the app would make.
    fn reminders_for_next_day(&mut self, d: i32) {
        let next = self.clinic.cal.next_open(d + 1);
        if next > self.clinic.cal.horizon {
            return;
        }
        let is_today = d == self.clinic.cal.today;
        let list = self.day_appointments[next as usize].clone();
        for a in list {
            let (p, status, confirmed, cancelled, first) = {
                let appt = &self.clinic.appointments[a as usize];
                (appt.patient, appt.status, appt.confirmed_at, appt.cancel_at, appt.first_visit)
            };
            if status != AppointmentStatus::Booked || confirmed.is_some() || cancelled.is_some() {
                continue;
            }
            if self.rng.chance(0.45) {
                let at = self.time_between(d, 10 * 60, 13 * 60);
                if at <= self.now() && at > self.clinic.appointments[a as usize].booked_at {
                    let appt = &mut self.clinic.appointments[a as usize];
                    appt.confirmed_at = Some(at);
                    appt.updated_at = appt.updated_at.max(at);
                    continue;
                }
            }
            let pat = &self.clinic.patients[p as usize];
            // The app's rule: the reminder call is due the day before the appointment, and
            // made on that day (after a closed day there is none, as in the app).
            let due_today = reminder_due(self.clinic.cal.date(next)) == self.clinic.cal.date(d);
            let call = due_today && (is_today || first || pat.last_was_no_show);
            if call {
                let created = stamp(d, 9 * 60) + self.rng.below(600) as i64;
                self.open_callback(
                    p,
                    CallbackKind::Reminder,
                    d,
                    created,
                    About::Appointment(a),
                    "내일 예약 확인",
                );
            }
        }
    }

    fn appointments_of(&mut self, d: i32) {
        // About four weeks of memory for the chuna share.
        self.recent_visits *= 27.0 / 28.0;
        self.recent_chuna *= 27.0 / 28.0;
        let mut list = std::mem::take(&mut self.day_appointments[d as usize]);
        list.sort_by_key(|&a| (self.clinic.appointments[a as usize].minute, a));
        for &a in &list {
            self.appointment(a, d);
        }
        self.day_appointments[d as usize] = list;
    }

    fn appointment(&mut self, a: u32, d: i32) {
        let now = self.now();
        let (p, start, duration, booked_at, treatment, cancel_at, first_visit) = {
            let x = &self.clinic.appointments[a as usize];
            (x.patient, x.start(), x.duration, x.booked_at, x.treatment, x.cancel_at, x.first_visit)
        };
        let is_today = d == self.clinic.cal.today;
        if self.clinic.patients[p as usize].pending == Some(a) {
            self.clinic.patients[p as usize].pending = None;
        }
        // Cancelled by phone earlier.
        let cancel_at = cancel_at.or_else(|| {
            let earliest = booked_at.max(start - 3 * DAY) + 10 * MIN;
            let latest = if is_today { (start - 30 * MIN).min(now) } else { start - 30 * MIN };
            (latest > earliest && self.rng.chance(0.045))
                .then(|| earliest + self.rng.below((latest - earliest) as u64) as i64)
        });
        if let Some(at) = cancel_at.filter(|&at| at <= now) {
            let x = &mut self.clinic.appointments[a as usize];
            x.status = AppointmentStatus::Cancelled;
            x.updated_at = at;
            if is_today {
                self.change(a, AppointmentStatus::Booked, AppointmentStatus::Cancelled, at);
            }
            if self.clinic.patients[p as usize].pending.is_none() && self.rng.chance(0.75) {
                let from = d + self.rng.range(1, 6) as i32;
                self.book(p, from, treatment, at, first_visit);
            }
            return;
        }
        if is_today && start + (duration + 12) * MIN > now {
            // Not finished yet: in the treatment room, or still to come.
            if start <= now + 5 * MIN && self.rng.chance(0.9) {
                let arrived = (start - self.rng.range(0, 12) * MIN).min(now).max(booked_at + MIN);
                let x = &mut self.clinic.appointments[a as usize];
                x.status = AppointmentStatus::Arrived;
                x.updated_at = arrived;
                self.change(a, AppointmentStatus::Booked, AppointmentStatus::Arrived, arrived);
            }
            if self.clinic.patients[p as usize].pending.is_none() {
                self.clinic.patients[p as usize].pending = Some(a);
            }
            return;
        }
        let pat = &self.clinic.patients[p as usize];
        let no_show_p = pat.no_show_p * if first_visit { 1.4 } else { 1.0 };
        if self.rng.chance(no_show_p) {
            let at = (start + self.rng.range(30, 50) * MIN).min(now);
            let x = &mut self.clinic.appointments[a as usize];
            x.status = AppointmentStatus::NoShow;
            x.updated_at = at;
            if is_today {
                self.change(a, AppointmentStatus::Booked, AppointmentStatus::NoShow, at);
            }
            self.clinic.patients[p as usize].last_was_no_show = true;
            let due = if (at - stamp(d, 0)) / MIN < 16 * 60 { d } else { self.clinic.cal.next_open(d + 1) };
            self.open_callback(p, CallbackKind::NoShow, due, at, About::Appointment(a), "부도, 재예약 연락");
            return;
        }
        self.done(a, d, start, duration);
    }

    fn change(&mut self, a: u32, from: AppointmentStatus, to: AppointmentStatus, at: Stamp) {
        let by = self.desk_member();
        self.clinic.status_changes.push(StatusChange { appointment: a, from, to, at, by });
    }

    fn done(&mut self, a: u32, d: i32, start: Stamp, duration: i64) {
        let is_today = d == self.clinic.cal.today;
        let end =
            (start + (duration + self.rng.range(2, 10)) * MIN + self.rng.below(60) as i64).min(self.now());
        let (p, treatment) = {
            let x = &mut self.clinic.appointments[a as usize];
            x.status = AppointmentStatus::Done;
            x.updated_at = end;
            (x.patient, x.treatment)
        };
        if is_today {
            let arrived = start - self.rng.range(0, 12) * MIN;
            self.change(a, AppointmentStatus::Booked, AppointmentStatus::Arrived, arrived);
            self.change(a, AppointmentStatus::Arrived, AppointmentStatus::Done, end);
        }
        let t = &self.clinic.treatments[treatment];
        let (visit_price, car, happy_call) = (t.visit_price, t.is_car_insurance, t.happy_call);
        self.recent_visits += 1.0;
        if Some(treatment) == self.chuna {
            self.recent_chuna += 1.0;
        }
        let rev = &mut self.clinic.revenue[d as usize];
        rev.0 += visit_price;
        if car {
            rev.1 += 68_000;
        }

        let first_ever = {
            let pat = &mut self.clinic.patients[p as usize];
            pat.visits += 1;
            pat.first_done.get_or_insert(end);
            pat.last_done = Some(end);
            pat.last_treatment = treatment;
            pat.last_was_no_show = false;
            pat.visits == 1
        };
        if first_ever {
            self.visited.push(p);
            self.referral_pool.push(p);
        }
        // The episode this visit belongs to (a visit booked for another course starts one).
        let matches =
            self.clinic.patients[p as usize].episode.as_ref().is_some_and(|e| e.treatment == treatment);
        if !matches {
            self.start_episode(p, treatment, None);
        }
        let visit_no = {
            let ep = self.clinic.patients[p as usize].episode.as_mut().expect("episode");
            ep.visit_no += 1;
            if let Some(r) = ep.remaining.as_mut() {
                *r -= 1;
            }
            ep.visit_no
        };
        if happy_call && visit_no == 1 {
            // Due by the app's rule: the day after the visit.
            let due = self.clinic.cal.index(happy_call_due(self.clinic.cal.date(d)));
            self.open_callback(
                p,
                CallbackKind::HappyCall,
                due,
                end,
                About::Appointment(a),
                "치료 다음 날 안부",
            );
        }
        let mut complained = false;
        if self.rng.chance(self.complaint_rate(d)) {
            let category = self.category_for(treatment, false);
            self.complain(p, end, category);
            complained = true;
        }
        if (first_ever && self.rng.chance(0.2)) || self.rng.chance(0.012) {
            let preferred = if first_ever { Some(treatment) } else { None };
            self.consult(p, (end + 5 * MIN).min(self.now()), preferred);
        }
        // The consultation may have started a package: follow it.
        let (treatment, remaining, visit_no) = {
            let ep = self.clinic.patients[p as usize].episode.as_ref().expect("episode");
            (ep.treatment, ep.remaining, ep.visit_no)
        };
        let continue_p = self.clinic.treatments[treatment].continue_p;
        let mut continuing = match remaining {
            Some(r) => r > 0 && self.rng.chance(0.97),
            None => visit_no == 0 || self.rng.chance(continue_p),
        };
        if complained && self.rng.chance(0.35) {
            continuing = false;
        }
        if continuing {
            let book_p = self.clinic.patients[p as usize].book_p;
            if self.clinic.patients[p as usize].pending.is_some() {
                // Already booked (a package just started).
            } else if self.rng.chance(book_p) {
                let from = d + self.interval_days(treatment);
                let booked_at = end + self.rng.range(1, 6) * MIN;
                self.book(p, from, treatment, booked_at, false);
            } else if self.rng.chance(0.6) {
                let interval = self.clinic.treatments[treatment].interval;
                let call = d + self.rng.range(1, interval.max(2)) as i32;
                let minute = self.rng.range(9 * 60 + 30, 18 * 60);
                self.push_event(call, minute, Event::CallToBook(p));
            } else if self.rng.chance(0.5) {
                let due = d + self.rng.range(21, 45) as i32;
                self.open_callback(p, CallbackKind::Recall, due, end, About::Nothing, "치료 중단, 경과 확인");
            }
        } else {
            self.clinic.patients[p as usize].episode = None;
            if self.rng.chance(0.12) {
                self.clinic.tags.entry((p, Tag::MoreCare)).or_insert(end);
            }
            if self.rng.chance(0.75) {
                let back = d + self.rng.range(14, 150) as i32;
                let minute = self.rng.range(9 * 60, 19 * 60);
                self.push_event(back, minute, Event::Return(p));
            } else if self.rng.chance(0.6) {
                let due = d + self.rng.range(45, 120) as i32;
                self.open_callback(p, CallbackKind::Recall, due, end, About::Nothing, "치료 종료 후 리콜");
            }
        }
    }

    // ----- the demo date ------------------------------------------------------------------

    /// Before the demo day runs: make sure it is a full day (about 60 appointments at small
    /// scale) and that some of the people coming in have a recent complaint.
    fn fill_today(&mut self) {
        let today = self.clinic.cal.today;
        let target = self.tuning.today_min as usize;
        let recent = stamp(today - 30, 0);
        let mut complainers: Vec<u32> =
            self.clinic.complaints.iter().filter(|c| c.raised >= recent).map(|c| c.patient).collect();
        complainers.dedup();
        let coming: Vec<u32> = self.day_appointments[today as usize]
            .iter()
            .map(|&a| self.clinic.appointments[a as usize].patient)
            .collect();
        let mut wanted = 2usize.saturating_sub(complainers.iter().filter(|p| coming.contains(p)).count());
        for p in complainers {
            if wanted == 0 {
                break;
            }
            if self.clinic.patients[p as usize].pending.is_none() && self.book_today(p) {
                wanted -= 1;
            }
        }
        let mut tries = 0;
        while self.day_appointments[today as usize].len() < target
            && tries < target * 20
            && !self.visited.is_empty()
        {
            tries += 1;
            let p = *self.rng.pick(&self.visited);
            if self.clinic.patients[p as usize].pending.is_none() {
                self.book_today(p);
            }
        }
        self.recent_complaints(today, recent);
    }

    /// The huddle's complaint agenda needs material: a few complaints in the last 30 days,
    /// some of them from people coming in today. Where chance gave too few, some recent
    /// visits are the ones complained about.
    fn recent_complaints(&mut self, today: i32, recent: Stamp) {
        let coming: Vec<u32> = self.day_appointments[today as usize]
            .iter()
            .map(|&a| self.clinic.appointments[a as usize].patient)
            .collect();
        let complained_lately =
            |sim: &Sim, p: u32| sim.clinic.patients[p as usize].last_complaint.is_some_and(|c| c >= recent);
        let mut coming_with_complaint = coming.iter().filter(|&&p| complained_lately(self, p)).count();
        for &p in &coming {
            if coming_with_complaint >= 2 {
                break;
            }
            let pat = &self.clinic.patients[p as usize];
            let Some(last) = pat.last_done.filter(|&t| t >= recent) else {
                continue;
            };
            if complained_lately(self, p) {
                continue;
            }
            let category = self.category_for(pat.last_treatment, false);
            self.complain(p, last, category);
            coming_with_complaint += 1;
        }
        let mut lately = self.clinic.complaints.iter().filter(|c| c.raised >= recent).count();
        let mut visits: Vec<u32> = ((today - 30).max(0)..today)
            .flat_map(|d| self.day_appointments[d as usize].iter().copied())
            .filter(|&a| self.clinic.appointments[a as usize].status == AppointmentStatus::Done)
            .collect();
        while lately < self.tuning.recent_complaints_min && !visits.is_empty() {
            let i = self.rng.below(visits.len() as u64) as usize;
            let a = visits.swap_remove(i);
            let x = &self.clinic.appointments[a as usize];
            let (p, treatment, at) = (x.patient, x.treatment, x.updated_at);
            let category = self.category_for(treatment, false);
            self.complain(p, at, category);
            lately += 1;
        }
    }

    /// A booking for the demo date made by phone in the days before.
    fn book_today(&mut self, p: u32) -> bool {
        let today = self.clinic.cal.today;
        let back = self.rng.range(1, 6) as i32;
        let call_day = self.clinic.cal.next_open(today - back);
        let booked_at = if call_day >= today {
            self.time_between(today, 8 * 60 + 40, 9 * 60 + 20)
        } else {
            self.time_between(call_day, 10 * 60, 18 * 60)
        };
        let treatment = self.episode_treatment(p);
        if self.clinic.patients[p as usize].episode.is_none() {
            self.start_episode(p, treatment, None);
        }
        match self.book(p, today, treatment, booked_at, false) {
            Some(a) if self.clinic.appointments[a as usize].day == today => true,
            Some(a) => {
                // No room today after all: take the booking back.
                self.unbook_last(a);
                false
            }
            None => false,
        }
    }

    /// Takes back the appointment just made.
    fn unbook_last(&mut self, a: u32) {
        debug_assert_eq!(a as usize + 1, self.clinic.appointments.len());
        let x = self.clinic.appointments.pop().expect("the last appointment");
        let slots = self.clinic.cal.slots(x.day);
        if let Some(i) = slots.iter().position(|&m| m == x.minute) {
            let cell = x.day as usize * self.directors.len() * SLOTS_PER_DAY + x.provider * SLOTS_PER_DAY + i;
            self.slot_use[cell] -= 1;
        }
        self.day_count[x.day as usize] -= 1;
        self.day_appointments[x.day as usize].retain(|&y| y != a);
        self.clinic.patients[x.patient as usize].pending = None;
    }

    /// After the demo date's morning: at least one cancellation on the day, and birthdays.
    fn finish_today(&mut self) {
        let today = self.clinic.cal.today;
        let now = self.now();
        let list = self.day_appointments[today as usize].clone();
        let has_cancel =
            list.iter().any(|&a| self.clinic.appointments[a as usize].status == AppointmentStatus::Cancelled);
        if !has_cancel {
            let later: Vec<u32> = list
                .iter()
                .copied()
                .filter(|&a| {
                    let x = &self.clinic.appointments[a as usize];
                    x.status == AppointmentStatus::Booked
                        && x.start() > now
                        && x.booked_at < now - 2 * 60 * MIN
                })
                .collect();
            if !later.is_empty() {
                let a = *self.rng.pick(&later);
                let at = now - self.rng.range(20, 90) * MIN;
                let x = &mut self.clinic.appointments[a as usize];
                x.status = AppointmentStatus::Cancelled;
                x.updated_at = at;
                let p = x.patient;
                self.change(a, AppointmentStatus::Booked, AppointmentStatus::Cancelled, at);
                if self.clinic.patients[p as usize].pending == Some(a) {
                    self.clinic.patients[p as usize].pending = None;
                }
            }
        }
        // Birthdays on the day.
        let mut birthdays = 0;
        for &a in &list {
            if birthdays >= self.tuning.birthdays {
                break;
            }
            let x = &self.clinic.appointments[a as usize];
            if x.status == AppointmentStatus::Cancelled || !self.rng.chance(0.2) {
                continue;
            }
            let pat = &mut self.clinic.patients[x.patient as usize];
            if pat.birthday_today || !pat.person.name.chars().any(|c| ('가'..='힣').contains(&c)) {
                continue;
            }
            let date = self.clinic.cal.date(today);
            pat.person.birth = super::people::birthday_in(pat.person.birth.year(), date);
            if pat.person.birth > date {
                pat.person.birth = super::people::birthday_in(pat.person.birth.year() - 1, date);
            }
            pat.birthday_today = true;
            birthdays += 1;
        }
    }

    /// The callback queue shows prospects: if chance left too few undecided consultations
    /// with an open call, some patients seen lately were quoted a price and are thinking.
    fn keep_some_prospects_open(&mut self) {
        let today = self.clinic.cal.today;
        let open = |sim: &Sim| {
            sim.clinic
                .callbacks
                .iter()
                .filter(|c| c.kind == CallbackKind::Prospect && c.closed.is_none())
                .count()
        };
        let mut visits: Vec<u32> = ((today - 10).max(0)..today)
            .flat_map(|d| self.day_appointments[d as usize].iter().copied())
            .filter(|&a| self.clinic.appointments[a as usize].status == AppointmentStatus::Done)
            .collect();
        while open(self) < self.tuning.open_prospects_min && !visits.is_empty() {
            let i = self.rng.below(visits.len() as u64) as usize;
            let a = visits.swap_remove(i);
            let x = &self.clinic.appointments[a as usize];
            let (p, at) = (x.patient, x.updated_at + 5 * MIN);
            if self.open_callbacks.contains_key(&(p, CallbackKind::Prospect)) {
                continue;
            }
            self.consult_undecided(p, at);
        }
    }

    /// The callback queue shows every kind: if chance closed all of one kind, the latest
    /// call that never reached the person is still being tried.
    fn keep_one_open(&mut self, kind: CallbackKind) {
        let open = self.clinic.callbacks.iter().any(|c| c.kind == kind && c.closed.is_none());
        if open {
            return;
        }
        let candidate = (0..self.clinic.callbacks.len())
            .filter(|&i| {
                let c = &self.clinic.callbacks[i];
                c.kind == kind
                    && matches!(c.closed, Some((CallbackOutcome::Unreachable, _)))
                    && !self.open_callbacks.contains_key(&(c.patient, kind))
            })
            .max_by_key(|&i| (self.clinic.callbacks[i].due, i));
        if let Some(i) = candidate {
            let c = &mut self.clinic.callbacks[i];
            c.closed = None;
            self.open_callbacks.insert((c.patient, kind), i as u32);
        }
    }

    /// The huddle starts with open complaints: make sure there are a few, by leaving the
    /// most recent ones unresolved.
    fn keep_some_complaints_open(&mut self) {
        let open = self.clinic.complaints.iter().filter(|c| c.resolved.is_none()).count();
        let wanted = self.tuning.open_complaints_min.saturating_sub(open);
        let mut recent: Vec<usize> = (0..self.clinic.complaints.len())
            .filter(|&i| self.clinic.complaints[i].resolved.is_some())
            .collect();
        recent.sort_by_key(|&i| std::cmp::Reverse((self.clinic.complaints[i].raised, i)));
        for i in recent.into_iter().take(wanted) {
            let c = &mut self.clinic.complaints[i];
            c.resolved = None;
            c.resolution = "";
        }
    }

    /// A few of the future bookings were already cancelled by phone.
    fn cancel_some_future(&mut self) {
        let today = self.clinic.cal.today;
        let now = self.now();
        for d in (today + 1)..=self.clinic.cal.horizon {
            for i in 0..self.day_appointments[d as usize].len() {
                let a = self.day_appointments[d as usize][i];
                let booked_at = self.clinic.appointments[a as usize].booked_at;
                if booked_at < now - 60 * MIN && self.rng.chance(0.02) {
                    let at = booked_at + self.rng.below((now - booked_at) as u64) as i64;
                    let x = &mut self.clinic.appointments[a as usize];
                    x.status = AppointmentStatus::Cancelled;
                    x.updated_at = at.max(x.updated_at);
                }
            }
        }
    }

    // ----- stickers, post-its, huddles ----------------------------------------------------

    fn tag_and_note(&mut self) {
        let now = self.now();
        // Prospects: undecided, with an open prospect callback.
        for cb in &self.clinic.callbacks {
            if cb.kind != CallbackKind::Prospect || cb.closed.is_some() {
                continue;
            }
            if let Some(c) = cb.consultation {
                let at = self.clinic.consultations[c as usize].at;
                self.clinic.tags.entry((cb.patient, Tag::Prospect)).or_insert(at);
            }
        }
        for p in 0..self.clinic.patients.len() as u32 {
            let (visits, first, last) = {
                let pat = &self.clinic.patients[p as usize];
                (pat.visits, pat.first_done, pat.last_done)
            };
            let (Some(first), Some(last)) = (first, last) else {
                continue;
            };
            if visits >= 8
                && self.clinic.patients[p as usize].last_complaint.is_none()
                && self.rng.chance(0.15)
            {
                self.clinic.tags.entry((p, Tag::Satisfied)).or_insert(last);
            }
            if self.rng.chance(0.07) {
                let body = *self.rng.pick(texts::NOTES);
                let author = self.desk_member();
                self.clinic.notes.push(Note { patient: p, body, author, at: first + 2 * MIN });
                if visits > 3 && self.rng.chance(0.2) {
                    let body = *self.rng.pick(texts::NOTES);
                    let author = self.clinic.patients[p as usize].provider;
                    self.clinic.notes.push(Note { patient: p, body, author, at: last.min(now) });
                }
            }
        }
    }

    fn huddles(&mut self) {
        let today = self.clinic.cal.today;
        let mut days = Vec::new();
        let mut d = today - 1;
        while days.len() < 5 && d > 0 {
            if self.clinic.cal.is_open(d) {
                days.push(d);
            }
            d -= 1;
        }
        days.reverse();
        for &d in &days {
            let id = self.clinic.huddles.len() as u32;
            let started = stamp(d, 9 * 60 + 12) + self.rng.below(300) as i64;
            let length_sec = self.rng.range(480, 720);
            self.clinic.huddles.push(Huddle { day: d, started, length_sec });
            // One or two actions from that morning, ticked off during the day.
            let list = &self.day_appointments[d as usize];
            if list.is_empty() {
                continue;
            }
            for _ in 0..self.rng.range(1, 2) {
                let a = *self.rng.pick(&self.day_appointments[d as usize]);
                let patient = self.clinic.appointments[a as usize].patient;
                let action = *self.rng.pick(&texts::HUDDLE_ACTIONS[..3]);
                let owner = self.desk_member();
                let done = Some(stamp(d, self.rng.range(11 * 60, 18 * 60)));
                let created = started + 5 * MIN;
                self.clinic.huddle_actions.push(HuddleAction {
                    huddle: Some(id),
                    patient,
                    action,
                    owner,
                    created,
                    done,
                });
            }
        }
        // Open actions, agreed at the last huddle, for people coming today.
        let Some(&last_day) = days.last() else { return };
        let huddle = Some(self.clinic.huddles.len() as u32 - 1);
        let created =
            self.clinic.huddles.last().map(|h| h.started + 6 * MIN).unwrap_or(stamp(last_day, 9 * 60 + 20));
        let mut coming: Vec<u32> = self.day_appointments[today as usize]
            .iter()
            .filter(|&&a| self.clinic.appointments[a as usize].status != AppointmentStatus::Cancelled)
            .map(|&a| self.clinic.appointments[a as usize].patient)
            .collect();
        coming.dedup();
        let mut chosen: Vec<(u32, &'static str)> = Vec::new();
        for &p in &coming {
            let pat = &self.clinic.patients[p as usize];
            if pat.last_complaint.is_some_and(|c| c >= stamp(today - 30, 0)) {
                chosen.push((p, texts::HUDDLE_ACTIONS[1]));
            } else if pat.birthday_today {
                chosen.push((p, texts::HUDDLE_ACTIONS[3]));
            } else if self.clinic.tags.contains_key(&(p, Tag::Prospect)) {
                chosen.push((p, texts::HUDDLE_ACTIONS[4]));
            } else if pat.referrals >= 3 {
                chosen.push((p, texts::HUDDLE_ACTIONS[5]));
            }
        }
        chosen.truncate(self.tuning.open_huddle_actions);
        while chosen.len() < self.tuning.open_huddle_actions && !coming.is_empty() {
            let p = *self.rng.pick(&coming);
            if chosen.iter().any(|(q, _)| *q == p) {
                if chosen.len() >= coming.len() {
                    break;
                }
                continue;
            }
            let action = *self.rng.pick(&[
                texts::HUDDLE_ACTIONS[0],
                texts::HUDDLE_ACTIONS[2],
                texts::HUDDLE_ACTIONS[6],
            ]);
            chosen.push((p, action));
        }
        for (patient, action) in chosen {
            let owner = if action == texts::HUDDLE_ACTIONS[0] {
                self.clinic.patients[patient as usize].provider
            } else {
                self.desk_member()
            };
            self.clinic.huddle_actions.push(HuddleAction {
                huddle,
                patient,
                action,
                owner,
                created,
                done: None,
            });
        }
    }
}

/// How the patients spread over the first directors (the senior one sees the most).
const DIRECTOR_LOAD: &[u32] = &[45, 33, 22];
