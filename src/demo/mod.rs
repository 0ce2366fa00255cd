//! The demo clinic: a deterministic, synthetic 한의원 generated into an empty database.
//!
//! [`generate`] simulates the clinic day by day up to the demo date (see `sim`), then writes
//! the records through `store::bulk` in one transaction with one audit row. The same seed
//! and date always give the same rows: the random numbers come from a hand-written
//! generator (`rng`), and nothing reads the clock, except the audit row, which records when
//! the demo was really made.
//!
//! [`Scale::Small`] is the clinic to look at: three directors, about 1,500 patients, 18
//! months of history and a full day on the demo date. [`Scale::Large`] is for benchmarks:
//! 150,000 patients and ten years, over two million appointments.

mod people;
mod rng;
mod sim;
mod texts;

use chrono::{Datelike, Duration, NaiveDate};

use crate::domain::{AppointmentStatus, ConsultationStatus, DATE_FORMAT, InquiryOutcome};
use crate::store::audit::Entry;
use crate::store::bulk::{self, ManualKeyResult};
use crate::store::catalog::Catalog;
use crate::store::{Store, StoreError, Tx};

use sim::{Clinic, Stamp};

/// The seed used when none is given, so that `frontdesk --demo` shows the same clinic on
/// every machine for a given date.
pub const DEFAULT_SEED: u64 = 42;

/// How big a clinic to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Scale {
    /// A small 한의원 to look at: ~1,500 patients, 18 months.
    #[default]
    Small,
    /// For benchmarks: 150,000 patients, ten years, over 2,000,000 appointments.
    Large,
}

impl Scale {
    pub fn code(self) -> &'static str {
        match self {
            Scale::Small => "small",
            Scale::Large => "large",
        }
    }

    pub fn parse(s: &str) -> Option<Scale> {
        match s.trim().to_lowercase().as_str() {
            "small" => Some(Scale::Small),
            "large" => Some(Scale::Large),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOptions {
    pub scale: Scale,
    pub seed: u64,
    /// The demo's today: history runs up to this date's late morning, bookings beyond it.
    pub date: NaiveDate,
}

/// What was generated, for the CLI to print.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemoSummary {
    pub staff: usize,
    pub patients: usize,
    pub appointments: usize,
    /// Appointments on the demo date (any status).
    pub appointments_on_date: usize,
    /// Booked appointments after the demo date.
    pub future_appointments: usize,
    pub inquiries: usize,
    pub consultations: usize,
    pub packages: usize,
    pub payments: usize,
    pub complaints: usize,
    pub open_complaints: usize,
    pub callbacks: usize,
    pub open_callbacks: usize,
    pub callback_contacts: usize,
    pub tags: usize,
    pub notes: usize,
    pub huddle_actions: usize,
    pub checkins: usize,
    /// Every row written, all tables together (settings and the audit row aside).
    pub rows: usize,
}

/// Volumes and sizes per scale.
pub(crate) struct Tuning {
    history_months: u32,
    patients: f64,
    inquiries: f64,
    directors: usize,
    desk: usize,
    treatment_room: usize,
    weekday_cap: f64,
    saturday_cap: f64,
    /// The demo date is topped up to at least this many appointments and holds at most
    /// `today_max`.
    today_min: f64,
    today_max: f64,
    /// Appointments starting in one ten-minute slot with one director.
    slot_cap: u8,
    birthdays: usize,
    open_huddle_actions: usize,
    open_complaints_min: usize,
    recent_complaints_min: usize,
    open_prospects_min: usize,
}

impl Tuning {
    fn for_scale(scale: Scale) -> Tuning {
        match scale {
            Scale::Small => Tuning {
                history_months: 18,
                patients: 1500.0,
                inquiries: 3800.0,
                directors: 3,
                desk: 2,
                treatment_room: 1,
                weekday_cap: 72.0,
                saturday_cap: 44.0,
                today_min: 58.0,
                today_max: 64.0,
                slot_cap: 2,
                birthdays: 2,
                open_huddle_actions: 4,
                open_complaints_min: 3,
                recent_complaints_min: 4,
                open_prospects_min: 3,
            },
            Scale::Large => {
                // The same clinic behaviour, fourteen times the daily volume, ten years.
                let f = 14.0;
                Tuning {
                    history_months: 120,
                    patients: 150_000.0,
                    inquiries: 315_000.0,
                    directors: 12,
                    desk: 8,
                    treatment_room: 4,
                    weekday_cap: 72.0 * f,
                    saturday_cap: 44.0 * f,
                    today_min: 58.0 * f,
                    today_max: 64.0 * f,
                    slot_cap: 2,
                    birthdays: 3,
                    open_huddle_actions: 6,
                    open_complaints_min: 3,
                    recent_complaints_min: 40,
                    open_prospects_min: 30,
                }
            }
        }
    }
}

/// True when the database holds the demo generated for `date` by a build with this schema
/// (a demo made earlier today by a build whose unreleased schema differed is made again).
pub fn is_demo_for(store: &Store, date: NaiveDate) -> bool {
    matches!(store.setting("demo_date"), Ok(Some(d)) if d == date.format(DATE_FORMAT).to_string())
        && matches!(store.setting("demo_schema"), Ok(Some(s)) if s == crate::store::schema_fingerprint())
}

/// Fills an empty, freshly created database with the demo clinic.
///
/// Refuses (with [`StoreError::Invalid`]) a database that already has staff, patients or
/// any other generated kind of record. The catalogs and the OKR template seeded at creation
/// are kept; the manual key results (revenue) get weekly check-ins.
pub fn generate(store: &mut Store, opts: &DemoOptions) -> Result<DemoSummary, StoreError> {
    bulk::ensure_empty(store.conn())?;
    let catalog = Catalog::load(store.conn())?;
    if catalog.treatments.is_empty() {
        return Err(StoreError::Invalid("the demo needs the treatments catalog, which is empty".into()));
    }
    // The OKR period follows the demo's today, not the day the file was made, and began three
    // months before it: the board then shows progress, pace and history on any day, not one
    // partial day judged against a six-month target.
    let kind = crate::domain::ClinicKind::parse(&store.setting("clinic_kind")?.unwrap_or_default())
        .unwrap_or(crate::domain::ClinicKind::Hanui);
    let okr_start = opts.date.checked_sub_months(chrono::Months::new(3)).unwrap_or(opts.date);
    store.write(|tx| crate::store::catalog::reseed_okr_template(tx, kind, okr_start))?;
    let manual = bulk::manual_key_results(store.conn())?;
    let clinic = sim::simulate(&catalog, opts.date, opts.seed, opts.scale);
    // The generator links its own rows; checking each parent row by row would cost a fifth
    // of the large load. Small demos are checked as a whole before they commit.
    bulk::set_foreign_keys(store.conn(), false)?;
    let result = store.write(|tx| {
        bulk::ensure_empty(tx)?;
        let settings = bulk::begin_bulk_settings(tx, cache_kib(opts.scale))?;
        let dropped = bulk::drop_indexes_and_triggers(tx)?;
        let summary = write_clinic(tx, &clinic, opts, &manual)?;
        bulk::restore_indexes_and_triggers(tx, dropped, summary.rows)?;
        bulk::end_bulk_settings(tx, settings)?;
        if opts.scale == Scale::Small {
            let violations = bulk::foreign_key_violations(tx)?;
            if violations > 0 {
                return Err(StoreError::Invalid(format!(
                    "demo generator bug: {violations} foreign key violations"
                )));
            }
        }
        tx.audit(&Entry::new("generate", "demo").detail(format!(
            "seed={} date={} scale={} patients={} appointments={} inquiries={}",
            opts.seed,
            opts.date.format(DATE_FORMAT),
            opts.scale.code(),
            summary.patients,
            summary.appointments,
            summary.inquiries
        )))?;
        Ok(summary)
    });
    let restored = bulk::set_foreign_keys(store.conn(), true);
    let summary = result?;
    restored?;
    Ok(summary)
}

fn cache_kib(scale: Scale) -> i64 {
    match scale {
        Scale::Small => 64 * 1024,
        Scale::Large => 1024 * 1024,
    }
}

/// Ids in the order the records were made, as a real clinic's database would number them:
/// `ids[i]` is the id of record `i`.
fn ids_by<K: Ord>(n: usize, key: impl Fn(usize) -> K) -> (Vec<u32>, Vec<i64>) {
    let mut order: Vec<u32> = (0..n as u32).collect();
    order.sort_by_key(|&i| (key(i as usize), i));
    let mut ids = vec![0i64; n];
    for (rank, &i) in order.iter().enumerate() {
        ids[i as usize] = rank as i64 + 1;
    }
    (order, ids)
}

fn write_clinic(
    tx: &Tx<'_>,
    c: &Clinic,
    opts: &DemoOptions,
    manual: &[ManualKeyResult],
) -> Result<DemoSummary, StoreError> {
    let cal = &c.cal;
    let time = |s: Stamp| cal.time(s);
    let date = |d: i32| cal.date(d);
    let staff_id = |i: usize| i as i64 + 1;
    let mut summary = DemoSummary::default();

    bulk::put_settings(
        tx,
        &[
            ("clinic_name", "한결한의원".to_string()),
            ("clinic_kind", "hanui".to_string()),
            ("open_days", "mon,tue,wed,thu,fri,sat".to_string()),
            ("hours", "09:30-19:00".to_string()),
            ("saturday_hours", "09:30-14:00".to_string()),
            ("lunch", "13:00-14:00".to_string()),
            ("parking", "건물 지하 주차장 1시간 무료. 접수 때 차량번호를 알려 주세요.".to_string()),
            ("demo_date", opts.date.format(DATE_FORMAT).to_string()),
            ("demo_seed", opts.seed.to_string()),
            ("demo_scale", opts.scale.code().to_string()),
            ("demo_schema", crate::store::schema_fingerprint()),
        ],
    )?;

    summary.staff = bulk::insert_staff(
        tx,
        c.staff.iter().enumerate().map(|(i, s)| bulk::StaffRow {
            id: staff_id(i),
            name: &s.name,
            role: s.role,
            sort: i as i64,
        }),
    )?;

    let (patient_order, pid) = ids_by(c.patients.len(), |i| c.patients[i].created);
    let chart_width = 6.max(c.patients.len().to_string().len());
    let charts: Vec<String> = (1..=c.patients.len()).map(|n| format!("{n:0chart_width$}")).collect();
    summary.patients = bulk::insert_patients(
        tx,
        patient_order.iter().map(|&i| {
            let p = &c.patients[i as usize];
            let id = pid[i as usize];
            bulk::PatientRow {
                id,
                chart_no: &charts[id as usize - 1],
                name: &p.person.name,
                phone: &p.person.phone,
                birth_date: Some(p.person.birth),
                sex: Some(p.person.sex),
                referral_source: p.source.map(|s| c.sources[s].as_str()),
                referral_channel: p.channel.map(|ch| c.channels[ch].as_str()),
                referrer_id: p.referrer.map(|r| pid[r as usize]),
                created_at: time(p.created),
            }
        }),
    )?;

    let (appointment_order, aid) = ids_by(c.appointments.len(), |i| c.appointments[i].booked_at);
    summary.appointments = bulk::insert_appointments(
        tx,
        appointment_order.iter().map(|&i| {
            let a = &c.appointments[i as usize];
            bulk::AppointmentRow {
                id: aid[i as usize],
                patient_id: pid[a.patient as usize],
                start: time(a.start()),
                duration_min: a.duration,
                provider_id: Some(staff_id(a.provider)),
                treatment_code: Some(c.treatments[a.treatment].code.as_str()),
                status: a.status,
                confirmed_at: a.confirmed_at.map(time),
                booked_at: time(a.booked_at),
                updated_at: time(a.updated_at.max(a.booked_at)),
            }
        }),
    )?;
    summary.appointments_on_date = c.appointments.iter().filter(|a| a.day == cal.today).count();
    summary.future_appointments =
        c.appointments.iter().filter(|a| a.day > cal.today && a.status == AppointmentStatus::Booked).count();

    let (change_order, _) = ids_by(c.status_changes.len(), |i| c.status_changes[i].at);
    let status_changes = bulk::insert_status_changes(
        tx,
        change_order.iter().enumerate().map(|(rank, &i)| {
            let s = &c.status_changes[i as usize];
            bulk::StatusChangeRow {
                id: rank as i64 + 1,
                appointment_id: aid[s.appointment as usize],
                from: s.from,
                to: s.to,
                changed_at: time(s.at),
                changed_by: &c.staff[s.by].name,
            }
        }),
    )?;

    let (consult_order, cid) = ids_by(c.consultations.len(), |i| c.consultations[i].at);
    summary.consultations = bulk::insert_consultations(
        tx,
        consult_order.iter().map(|&i| {
            let x = &c.consultations[i as usize];
            bulk::ConsultationRow {
                id: cid[i as usize],
                patient_id: pid[x.patient as usize],
                consulted_at: time(x.at),
                treatment_code: Some(c.treatments[x.treatment].code.as_str()),
                quoted_krw: Some(x.quoted),
                offered_krw: x.offered,
                status: x.status,
                decided_at: x.decided.map(time),
                recall_on: x.recall_on.filter(|_| x.status == ConsultationStatus::Undecided).map(date),
                circumstances: x.circumstances,
                reaction: x.reaction,
            }
        }),
    )?;

    let (package_order, _) = ids_by(c.packages.len(), |i| c.packages[i].day);
    summary.packages = bulk::insert_packages(
        tx,
        package_order.iter().enumerate().map(|(rank, &i)| {
            let x = &c.packages[i as usize];
            bulk::PackageRow {
                id: rank as i64 + 1,
                patient_id: pid[x.patient as usize],
                treatment_code: &c.treatments[x.treatment].code,
                sessions: x.sessions,
                price_krw: x.price,
                purchased_on: date(x.day),
            }
        }),
    )?;

    let (payment_order, _) = ids_by(c.payments.len(), |i| c.payments[i].at);
    summary.payments = bulk::insert_payments(
        tx,
        payment_order.iter().enumerate().map(|(rank, &i)| {
            let x = &c.payments[i as usize];
            bulk::PaymentRow {
                id: rank as i64 + 1,
                patient_id: pid[x.patient as usize],
                paid_at: time(x.at),
                amount_krw: x.amount,
                category: x.category,
                treatment_code: Some(c.treatments[x.treatment].code.as_str()),
                provider_id: x.provider.map(staff_id),
                appointment_id: x.appointment.map(|k| aid[k as usize]),
                recorded_by: "demo",
            }
        }),
    )?;

    let (complaint_order, _) = ids_by(c.complaints.len(), |i| c.complaints[i].raised);
    summary.complaints = bulk::insert_complaints(
        tx,
        complaint_order.iter().enumerate().map(|(rank, &i)| {
            let x = &c.complaints[i as usize];
            bulk::ComplaintRow {
                id: rank as i64 + 1,
                patient_id: pid[x.patient as usize],
                raised_at: time(x.raised),
                category_code: &c.categories[x.category],
                description: x.description,
                owner_id: Some(staff_id(x.owner)),
                plan: x.plan,
                resolved_at: x.resolved.map(time),
                resolution: x.resolution,
            }
        }),
    )?;
    summary.open_complaints = c.complaints.iter().filter(|x| x.resolved.is_none()).count();

    let (callback_order, cbid) = ids_by(c.callbacks.len(), |i| c.callbacks[i].created);
    summary.callbacks = bulk::insert_callbacks(
        tx,
        callback_order.iter().map(|&i| {
            let x = &c.callbacks[i as usize];
            bulk::CallbackRow {
                id: cbid[i as usize],
                patient_id: pid[x.patient as usize],
                kind: x.kind,
                due_on: date(x.due),
                closed: x.closed.map(|(o, at)| (o, time(at))),
                owner_id: Some(staff_id(x.owner)),
                consultation_id: x.consultation.map(|k| cid[k as usize]),
                appointment_id: x.appointment.map(|k| aid[k as usize]),
                created_at: time(x.created),
                note: x.note,
            }
        }),
    )?;
    summary.open_callbacks = c.callbacks.iter().filter(|x| x.closed.is_none()).count();

    let (contact_order, _) = ids_by(c.contacts.len(), |i| c.contacts[i].at);
    summary.callback_contacts = bulk::insert_contacts(
        tx,
        contact_order.iter().enumerate().map(|(rank, &i)| {
            let x = &c.contacts[i as usize];
            bulk::ContactRow {
                id: rank as i64 + 1,
                callback_id: cbid[x.callback as usize],
                contacted_at: time(x.at),
                channel: x.channel,
                reached: x.reached,
                reaction: x.reaction,
                next_plan: x.next_plan,
                by_staff: &c.staff[x.by].name,
            }
        }),
    )?;

    // Inquiries were made in time order already.
    summary.inquiries = bulk::insert_inquiries(
        tx,
        c.inquiries.iter().enumerate().map(|(i, x)| bulk::InquiryRow {
            id: i as i64 + 1,
            received_at: time(x.received),
            caller_name: &x.caller_name,
            phone: &x.phone,
            patient_id: x.patient.map(|p| pid[p as usize]),
            contact_channel: if x.kakao { "kakao" } else { "phone" },
            topic_code: x.topic.map(|t| c.treatments[t].code.as_str()),
            questions: &x.questions,
            referral_source: x.source.map(|s| c.sources[s].as_str()),
            referral_channel: x.channel.map(|ch| c.channels[ch].as_str()),
            referrer_id: x.referrer.map(|r| pid[r as usize]),
            outcome: x.outcome,
            callback_on: x.callback_on.filter(|_| x.outcome == InquiryOutcome::Callback).map(date),
            appointment_id: x.appointment.map(|a| aid[a as usize]),
            note: x.note,
            taken_by: &c.staff[x.taken_by].name,
        }),
    )?;

    summary.tags = bulk::insert_tags(
        tx,
        c.tags.iter().map(|(&(p, tag), &at)| bulk::TagRow {
            patient_id: pid[p as usize],
            tag,
            tagged_at: time(at),
        }),
    )?;

    let (note_order, _) = ids_by(c.notes.len(), |i| c.notes[i].at);
    summary.notes = bulk::insert_notes(
        tx,
        note_order.iter().enumerate().map(|(rank, &i)| {
            let x = &c.notes[i as usize];
            bulk::NoteRow {
                id: rank as i64 + 1,
                patient_id: pid[x.patient as usize],
                body: x.body,
                author: &c.staff[x.author].name,
                created_at: time(x.at),
            }
        }),
    )?;

    let huddles = bulk::insert_huddles(
        tx,
        c.huddles.iter().enumerate().map(|(i, h)| bulk::HuddleRow {
            id: i as i64 + 1,
            held_on: date(h.day),
            started_at: time(h.started),
            length_sec: h.length_sec,
            notes: "",
        }),
    )?;
    summary.huddle_actions = bulk::insert_huddle_actions(
        tx,
        c.huddle_actions.iter().enumerate().map(|(i, h)| bulk::HuddleActionRow {
            id: i as i64 + 1,
            huddle_id: h.huddle.map(|x| x as i64 + 1),
            patient_id: pid[h.patient as usize],
            action: h.action,
            owner: &c.staff[h.owner].name,
            created_at: time(h.created),
            done_at: h.done.map(time),
        }),
    )?;

    let checkins = revenue_checkins(c, manual);
    summary.checkins = bulk::insert_checkins(
        tx,
        checkins.iter().map(|(kr, day, value, comment)| bulk::CheckinRow {
            key_result_id: *kr,
            on_date: *day,
            value: *value,
            comment,
            created_at: day.and_hms_opt(18, 40, 0).expect("valid time"),
        }),
    )?;

    summary.rows = summary.staff
        + summary.patients
        + summary.appointments
        + status_changes
        + summary.consultations
        + summary.packages
        + summary.payments
        + summary.complaints
        + summary.callbacks
        + summary.callback_contacts
        + summary.inquiries
        + summary.tags
        + summary.notes
        + huddles
        + summary.huddle_actions
        + summary.checkins;
    debug_assert!(no_two_open_callbacks(c));
    Ok(summary)
}

/// Weekly check-ins (Saturdays, month ends and the last day before the demo's date) for the revenue key results, inside their
/// objective's period and up to the demo date: month-to-date revenue, car insurance for the
/// key results about 자보, non-covered care for the others.
fn revenue_checkins(c: &Clinic, manual: &[ManualKeyResult]) -> Vec<(i64, NaiveDate, f64, &'static str)> {
    let cal = &c.cal;
    let today = cal.date(cal.today);
    let mut out = Vec::new();
    for kr in manual {
        let car = kr.title.contains("자보") || kr.title.to_lowercase().contains("car");
        let from = kr.from.max(cal.start);
        let to = kr.to.min(today - Duration::days(1));
        let mut day = from;
        while day <= to {
            let month_end = (day + Duration::days(1)).month() != day.month();
            // The day before the demo's date too: a monthly key result has this month's value.
            if day.weekday() == chrono::Weekday::Sat || month_end || day == to {
                let first = day.with_day(1).expect("first of month").max(cal.start);
                let value: i64 = (first.iter_days().take_while(|d| *d <= day))
                    .map(|d| {
                        let (noncovered, car_ins) = c.revenue[(d - cal.start).num_days() as usize];
                        if car { car_ins } else { noncovered }
                    })
                    .sum();
                let comment = if month_end { "월말 점검" } else { "주간 점검" };
                out.push((kr.id, day, value as f64, comment));
            }
            day += Duration::days(1);
        }
    }
    out
}

fn no_two_open_callbacks(c: &Clinic) -> bool {
    let mut seen = std::collections::HashSet::new();
    c.callbacks.iter().filter(|x| x.closed.is_none()).all(|x| seen.insert((x.patient, x.kind)))
}
