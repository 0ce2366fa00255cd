//! Appointments at the desk: marking the day's visits, undoing a mark, confirming, and
//! booking (an existing patient, a move, or a new registration in the same transaction).

use chrono::{Duration, NaiveDate, NaiveDateTime, Timelike};

use super::{DeskError, Result, Unit, Why, field};
use crate::domain::{AppointmentStatus, CallbackKind, Sex, TIME_FORMAT, phone::Phone, text::clean_line};
use crate::store::appointments::{self as store_appts, NewAppointment};
use crate::store::callbacks::{NewCallback, open_callback};
use crate::store::patients::{self, NewPatient};
use crate::store::{Store, StoreError, Tx};

/// The longest visit the booking form takes, in minutes.
pub const MAX_DURATION_MIN: i64 = 8 * 60;

/// The interval offered for the next visit when neither the treatment nor the patient's
/// history gives one, in days.
pub const DEFAULT_NEXT_VISIT_DAYS: i64 = 7;

/// What a status mark led to, for the desk's message.
#[derive(Debug, Clone, PartialEq)]
pub enum Marked {
    /// Nothing more to say.
    Plain,
    /// A no-show: the rebooking callback is due today.
    NoShow,
    /// Done, and the next visit is already booked at this time.
    DoneNextBooked(NaiveDateTime),
    /// Done with no next visit: offer one on this day (the usual interval after the visit).
    DoneOfferNext(NaiveDate),
}

/// The visit being marked, as the day's list shows it.
#[derive(Debug, Clone, Copy)]
pub struct Visit<'a> {
    pub id: i64,
    pub patient_id: i64,
    pub start: NaiveDateTime,
    pub treatment_code: Option<&'a str>,
}

/// Marks a visit arrived, done, no-show or cancelled on `today`. A status that says the
/// visit happened is refused before its day ([`Why::NotYet`]); a change the status does not
/// allow is [`Why::Conflict`]. A no-show opens the rebooking callback; done looks for the
/// next visit and, when there is none, offers one at the usual interval.
pub fn mark_status(
    store: &mut Store,
    v: Visit<'_>,
    to: AppointmentStatus,
    today: NaiveDate,
) -> Result<Marked> {
    if store_appts::happened_only(to) && v.start.date() > today {
        return Err(DeskError::Refused(Why::NotYet));
    }
    let result = store.write(|tx| match to {
        AppointmentStatus::NoShow => mark_no_show_in(tx, v.id).map(|_| ()),
        other => store_appts::set_status(tx, v.id, other).map(|_| ()),
    });
    match result {
        Ok(()) => {}
        Err(StoreError::Invalid(m)) => return Err(DeskError::Refused(Why::Conflict(m))),
        Err(e) => return Err(e.into()),
    }
    Ok(match to {
        AppointmentStatus::Done => next_visit_offer(store, v)?,
        AppointmentStatus::NoShow => Marked::NoShow,
        _ => Marked::Plain,
    })
}

/// Marks a no-show and opens the callback to rebook, due the day of the missed visit, inside
/// a transaction the caller holds. Returns the callback's id.
pub fn mark_no_show_in(tx: &Tx<'_>, id: i64) -> crate::store::Result<i64> {
    store_appts::set_status(tx, id, AppointmentStatus::NoShow)?;
    let a = store_appts::get_appointment(tx, id)?;
    let mut cb = NewCallback::new(a.patient_id, CallbackKind::NoShow, a.start.date());
    cb.appointment_id = Some(id);
    cb.owner_id = None;
    open_callback(tx, &cb)
}

/// After a done visit: the next booked visit, or the day to offer one (the usual interval).
pub fn next_visit_offer(store: &Store, v: Visit<'_>) -> Result<Marked> {
    if let Some(next) = store_appts::next_booking(store.conn(), v.patient_id, v.start)? {
        return Ok(Marked::DoneNextBooked(next.start));
    }
    let interval = store_appts::usual_interval(store.conn(), v.patient_id, v.treatment_code)
        .unwrap_or(DEFAULT_NEXT_VISIT_DAYS);
    Ok(Marked::DoneOfferNext(v.start.date() + Duration::days(interval)))
}

/// Undoes the latest status change of an appointment: `Some((from, to))` when one was undone.
///
/// Undoing a cancellation or a no-show books the visit again, so it is refused
/// ([`Why::SlotTaken`]) when the patient, or the visit's provider, has been booked at that
/// time since (the "rebook now?" booking, say): two live visits in one slot are never made
/// without the warning a booking shows.
pub fn undo(store: &mut Store, id: i64) -> Result<Option<(AppointmentStatus, AppointmentStatus)>> {
    let a = store_appts::get_appointment(store.conn(), id)?;
    if matches!(a.status, AppointmentStatus::Cancelled | AppointmentStatus::NoShow) {
        let mine = store_appts::overlapping(store.conn(), a.patient_id, a.start, a.duration_min, Some(id))?;
        let mut taken: Vec<NaiveDateTime> =
            mine.iter().filter_map(|(_, s)| NaiveDateTime::parse_from_str(s, TIME_FORMAT).ok()).collect();
        if let Some(provider) = a.provider_id {
            taken.extend(store_appts::provider_overlapping(
                store.conn(),
                provider,
                a.start,
                a.duration_min,
                Some(id),
                Some(a.patient_id),
            )?);
        }
        if !taken.is_empty() {
            taken.sort();
            taken.dedup();
            return Err(DeskError::Refused(Why::SlotTaken(taken)));
        }
    }
    Ok(store.write(|tx| store_appts::undo_last_status(tx, id))?)
}

/// The patient confirmed the appointment (the reminder call was answered).
pub fn confirm(store: &mut Store, id: i64) -> Result<()> {
    Ok(store.write(|tx| store_appts::confirm(tx, id))?)
}

/// Who is booked: a patient on file, or a new registration from what the desk typed.
#[derive(Debug, Clone, PartialEq)]
pub enum Who {
    Existing(i64),
    New(NewRegistration),
}

/// A new patient as the booking form takes them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NewRegistration {
    pub name: String,
    pub phone: String,
    pub birth_date: Option<NaiveDate>,
    pub sex: Option<Sex>,
    pub referral_source: Option<String>,
    /// The referrer's chart number as typed (empty: none).
    pub referrer_chart_no: String,
}

/// A booking, as the desk asked for it.
#[derive(Debug, Clone, PartialEq)]
pub struct BookingOrder {
    pub who: Who,
    pub start: NaiveDateTime,
    pub duration_min: i64,
    pub provider_id: Option<i64>,
    pub treatment_code: Option<String>,
    /// Moves or edits this appointment instead of booking a new one.
    pub appointment_id: Option<i64>,
    /// The call and the callback the booking came from: linked as booked with it.
    pub inquiry_id: Option<i64>,
    pub callback_id: Option<i64>,
    /// The warnings ([`booking_warnings`]: the patient's overlap, outside the clinic's day,
    /// the provider busy, a treatment's hourly cap) were shown and the desk books anyway.
    pub overlap_accepted: bool,
}

/// Books (or moves) a visit: checks the length, a new patient's birth date, name, phone and
/// referrer, warns ([`booking_warnings`], unless accepted) then registers, books and links the
/// call it came from in one transaction. Returns the patient's id.
///
/// A booking outside the clinic's hours is a warning, not a refusal: a clinic does book the
/// odd exception (a Saturday afternoon for a patient the 원장 sees after hours), so the desk
/// is told why and books anyway by saving again, as with a double booking.
pub fn book(store: &mut Store, order: &BookingOrder, today: NaiveDate) -> Result<i64> {
    if order.duration_min <= 0 || order.duration_min > MAX_DURATION_MIN {
        return field("duration", Why::OutOfRange { min: 1, max: MAX_DURATION_MIN, unit: Unit::Minutes });
    }
    let new_patient = match &order.who {
        Who::Existing(_) => None,
        Who::New(r) => Some(registration(store, r, today)?),
    };
    if !order.overlap_accepted {
        let mut warnings = booking_warnings(store, order)?;
        match warnings.len() {
            0 => {}
            1 => return Err(DeskError::Refused(warnings.remove(0))),
            _ => return Err(DeskError::Refused(Why::Warnings(warnings))),
        }
    }
    let appt = |patient_id: i64| NewAppointment {
        patient_id,
        start: order.start,
        duration_min: order.duration_min,
        provider_id: order.provider_id,
        treatment_code: order.treatment_code.clone(),
    };
    Ok(store.write(|tx| {
        let pid = match (&order.who, &new_patient) {
            (Who::Existing(id), _) => *id,
            (Who::New(_), Some(p)) => patients::insert_patient(tx, p)?,
            (Who::New(_), None) => return Err(StoreError::Invalid("no patient".into())),
        };
        let id = match order.appointment_id {
            Some(id) => {
                store_appts::update_appointment(tx, id, &appt(pid))?;
                id
            }
            None => store_appts::insert_appointment(tx, &appt(pid))?,
        };
        store_appts::link_booking(tx, id, pid, order.inquiry_id, order.callback_id)?;
        Ok(pid)
    })?)
}

/// What the desk should see before booking `order`, in this order: the same patient already
/// booked then ([`Why::Overlap`]) or another time that day ([`Why::SameDay`]), a time outside the clinic's day ([`Why::OutsideHours`]:
/// closed weekday, public holiday, the clinic's own closed day, the hours, lunch), the
/// provider seeing another patient then ([`Why::ProviderBusy`]) and the treatment's hourly
/// cap exceeded in the clock hour the visit starts in ([`Why::OverCapacity`]).
pub fn booking_warnings(store: &Store, order: &BookingOrder) -> Result<Vec<Why>> {
    let mut out = Vec::new();
    if let Who::Existing(pid) = &order.who {
        let clash = store_appts::overlapping(
            store.conn(),
            *pid,
            order.start,
            order.duration_min,
            order.appointment_id,
        )?;
        if !clash.is_empty() {
            let starts = clash
                .iter()
                .filter_map(|(_, s)| NaiveDateTime::parse_from_str(s, TIME_FORMAT).ok())
                .collect();
            out.push(Why::Overlap(starts));
        }
        // Another visit the same day that does not overlap (an overlap is said above).
        let clashing: Vec<&str> = clash.iter().map(|(_, s)| s.as_str()).collect();
        let same_day: Vec<NaiveDateTime> =
            store_appts::patient_day_bookings(store, *pid, order.start.date(), order.appointment_id)?
                .into_iter()
                .filter(|t| !clashing.contains(&t.format(TIME_FORMAT).to_string().as_str()))
                .collect();
        if !same_day.is_empty() {
            out.push(Why::SameDay(same_day));
        }
    }
    let calendar = crate::store::settings::clinic_calendar(store.conn())?;
    if let Err(o) = calendar.check_visit(order.start, order.duration_min) {
        out.push(Why::OutsideHours(o));
    }
    if let Some(provider) = order.provider_id {
        let busy = store_appts::provider_overlapping(
            store.conn(),
            provider,
            order.start,
            order.duration_min,
            order.appointment_id,
            match order.who {
                Who::Existing(pid) => Some(pid),
                Who::New(_) => None,
            },
        )?;
        if !busy.is_empty() {
            out.push(Why::ProviderBusy(busy));
        }
    }
    if let Some(code) = order.treatment_code.as_deref() {
        if let Some((cap, ko, en)) = store_appts::treatment_hourly_cap(store.conn(), code)? {
            let hour = order.start.date().and_hms_opt(order.start.hour(), 0, 0).unwrap_or(order.start);
            let count =
                store_appts::treatment_count_in_hour(store.conn(), code, hour, order.appointment_id)? + 1;
            if count > cap {
                out.push(Why::OverCapacity { ko, en, hour: hour.time(), count, cap });
            }
        }
    }
    Ok(out)
}

/// Checks a new registration and turns it into the store's row: a birth date that is
/// possible, a chart number that exists for the referrer (the source then defaults to
/// referral), a name and a phone the store will take.
fn registration(store: &Store, r: &NewRegistration, today: NaiveDate) -> Result<NewPatient> {
    if let Some(b) = r.birth_date {
        if !crate::domain::rules::BIRTH_DATE.allows(b, today) {
            return field("birth", Why::BirthDate);
        }
    }
    let referrer_id = if r.referrer_chart_no.is_empty() {
        None
    } else {
        match patients::find_by_chart_no(store.conn(), &r.referrer_chart_no) {
            Ok(Some(p)) => Some(p.id),
            _ => return field("referrer", Why::NoSuchChart),
        }
    };
    if clean_line(&r.name).is_empty() {
        return field("name", Why::NameEmpty);
    }
    if !r.phone.trim().is_empty() {
        if let Err(m) = Phone::parse(&r.phone) {
            return field("phone", Why::Phone(m));
        }
    }
    let mut source = r.referral_source.clone();
    if referrer_id.is_some() && source.is_none() {
        source = Some("referral".into());
    }
    Ok(NewPatient {
        name: r.name.clone(),
        phone: r.phone.clone(),
        birth_date: r.birth_date,
        sex: r.sex,
        referral_source: source,
        referrer_id,
        ..Default::default()
    })
}
