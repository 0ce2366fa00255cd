//! Booking at the desk beyond the form itself (issue 19): cancelling or missing a visit with
//! its reason, what the form needs to rebook or book a known patient, the referrer look-up,
//! inquiry corrections that keep the book consistent, the end of the day (the rest marked
//! no-show, the late count), and the clinic's closures, short days and treatment caps.

use chrono::{NaiveDate, NaiveDateTime};

use super::appointments::{Marked, Visit, mark_status};
use super::{DeskError, Result, Why, field};
use crate::domain::calendar::{Span, parse_short_day, short_day_text};
use crate::domain::schedule::next_free_slot;
use crate::domain::{AppointmentStatus, CallbackKind, InquiryOutcome, StatusReason};
use crate::store::appointments as store_appts;
use crate::store::callbacks::{NewCallback, open_callback};
use crate::store::inquiries::{self as q, InquiryFields, PatientBrief};
use crate::store::settings as s;
use crate::store::{Db, Store, StoreError};

/// How far ahead [`booking_prefill`] looks for a free slot, in days.
pub const FREE_SLOT_LOOKAHEAD_DAYS: i64 = 14;

/// Marks a visit cancelled or no-show with the reason the desk picked and an optional note
/// (stored with the change, shown in the audit; undo takes them away with the change). Other
/// statuses ignore the reason. As [`mark_status`] otherwise (a no-show opens its rebooking
/// call).
pub fn mark_with_reason(
    store: &mut Store,
    v: Visit<'_>,
    to: AppointmentStatus,
    today: NaiveDate,
    reason: StatusReason,
    note: &str,
) -> Result<Marked> {
    if !matches!(to, AppointmentStatus::Cancelled | AppointmentStatus::NoShow) {
        return mark_status(store, v, to, today);
    }
    if to == AppointmentStatus::NoShow && v.start.date() > today {
        return Err(DeskError::Refused(Why::NotYet));
    }
    let result = store.write(|tx| {
        store_appts::set_status_why(tx, v.id, to, Some(reason), note)?;
        if to == AppointmentStatus::NoShow {
            let a = store_appts::get_appointment(tx, v.id)?;
            let mut cb = NewCallback::new(a.patient_id, CallbackKind::NoShow, a.start.date());
            cb.appointment_id = Some(v.id);
            open_callback(tx, &cb)?;
        }
        Ok(())
    });
    match result {
        Ok(()) => Ok(if to == AppointmentStatus::NoShow { Marked::NoShow } else { Marked::Plain }),
        Err(StoreError::Invalid(m)) => Err(DeskError::Refused(Why::Conflict(m))),
        Err(e) => Err(e.into()),
    }
}

/// The reason (and note) a visit was cancelled or missed with, when it was given.
pub fn status_reason(
    db: &impl Db,
    appointment_id: i64,
) -> Result<Option<(AppointmentStatus, StatusReason, String)>> {
    Ok(store_appts::status_reason(db, appointment_id)?)
}

/// What the booking form starts with for a known patient: the last 원장 and treatment (and
/// the visit's length), and optionally the next free slot with that 원장.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prefill {
    pub patient_id: i64,
    pub provider_id: Option<i64>,
    pub treatment_code: Option<String>,
    pub duration_min: Option<i64>,
    /// The first free slot from the moment asked, with its provider (the last one when they
    /// have one free within [`FREE_SLOT_LOOKAHEAD_DAYS`], else anyone), in an hour where the
    /// treatment is still under its hourly cap.
    pub next_free: Option<(NaiveDateTime, Option<i64>)>,
}

/// A known patient's booking prefill: the last not-cancelled visit's 원장, treatment and
/// length; with `free_from`, the next free slot from then.
pub fn booking_prefill(db: &impl Db, patient_id: i64, free_from: Option<NaiveDateTime>) -> Result<Prefill> {
    let last = store_appts::last_visit(db, patient_id)?;
    let mut p = Prefill {
        patient_id,
        provider_id: last.as_ref().and_then(|a| a.provider_id),
        treatment_code: last.as_ref().and_then(|a| a.treatment_code.clone()),
        duration_min: last.as_ref().map(|a| a.duration_min),
        next_free: None,
    };
    if let Some(from) = free_from {
        let mut layouts = std::collections::HashMap::new();
        let mut layout_of = |d: NaiveDate| -> crate::domain::schedule::DayLayout {
            layouts
                .entry(d)
                .or_insert_with(|| {
                    store_appts::day_layout(db, d).unwrap_or_else(|_| crate::domain::schedule::DayLayout {
                        date: d,
                        closed: None,
                        hours: None,
                        slot_min: 30,
                        slots: vec![],
                        columns: vec![],
                        cells: vec![],
                        bookings: vec![],
                        hour_counts: vec![],
                    })
                })
                .clone()
        };
        // An hour already at the treatment's hourly cap (e.g. 추나 4 an hour) is not free.
        let t = p.treatment_code.as_deref();
        p.next_free = next_free_slot(&mut layout_of, from, p.provider_id, t, FREE_SLOT_LOOKAHEAD_DAYS)
            .or_else(|| next_free_slot(&mut layout_of, from, None, t, FREE_SLOT_LOOKAHEAD_DAYS));
    }
    Ok(p)
}

/// What the booking form needs to rebook a cancelled or missed visit: its patient, 원장,
/// treatment and length (the appointment's own, not the patient's latest).
pub fn rebook_request(db: &impl Db, appointment_id: i64) -> Result<Prefill> {
    let a = store_appts::get_appointment(db, appointment_id)?;
    Ok(Prefill {
        patient_id: a.patient_id,
        provider_id: a.provider_id,
        treatment_code: a.treatment_code,
        duration_min: Some(a.duration_min),
        next_free: None,
    })
}

/// The referrer field's look-up: a patient by name, initials (ㅎㄱㄷ), phone (the last four
/// digits or a longer prefix) or chart number (with or without its leading zeros) — the
/// Ctrl-F search.
pub fn find_referrer(db: &impl Db, query: &str, limit: usize) -> Result<Vec<PatientBrief>> {
    Ok(q::search_patients(db, query, limit)?)
}

/// What an inquiry's outcome becomes in a correction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CorrectOutcome {
    Info,
    Callback(NaiveDate),
    /// Booked: kept as it is when it was booked; otherwise the desk is offered the booking
    /// form (the inquiry waits as a call back due today until the booking links it).
    Booked,
}

/// What a correction did to the book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Corrected {
    Saved,
    /// The booking made with the call was cancelled (it had been booked by mistake).
    BookingCancelled(i64),
    /// The call is now booked: open the booking form with this inquiry (and patient).
    OfferBooking {
        inquiry_id: i64,
        patient_id: Option<i64>,
        /// The call back the caller waits in until the booking is saved (the booking closes it).
        callback_id: Option<i64>,
    },
}

/// Corrects an inquiry's fields and outcome, audited, keeping the records consistent: from
/// booked to not booked, the appointment made with it is cancelled (refused when the visit
/// already happened); from not booked to booked, the desk is offered the booking
/// ([`Corrected::OfferBooking`]); a call back opens the caller's callback; from a call back to
/// information only, the call's open callback closes.
pub fn correct_inquiry(
    store: &mut Store,
    id: i64,
    fields: &InquiryFields,
    outcome: CorrectOutcome,
    today: NaiveDate,
) -> Result<Corrected> {
    let Some((was, appt, patient)) = q::inquiry_link(store, id)? else {
        return Err(DeskError::Store(StoreError::NotFound(format!("inquiry {id}"))));
    };
    if fields.caller_name.trim().is_empty() && patient.is_none() && outcome != CorrectOutcome::Info {
        return field("name", Why::NameEmpty);
    }
    if let (InquiryOutcome::Booked, Some(a), false) = (was, appt, outcome == CorrectOutcome::Booked) {
        let status = store_appts::get_appointment(store, a)?.status;
        if matches!(status, AppointmentStatus::Arrived | AppointmentStatus::Done) {
            return Err(DeskError::Refused(Why::VisitHappened));
        }
    }
    let result = store.write(|tx| {
        let mut done = Corrected::Saved;
        let (new_outcome, callback_on, appointment_id) = match outcome {
            CorrectOutcome::Booked if was == InquiryOutcome::Booked => (InquiryOutcome::Booked, None, appt),
            CorrectOutcome::Booked => {
                done = Corrected::OfferBooking { inquiry_id: id, patient_id: patient, callback_id: None };
                (InquiryOutcome::Callback, Some(today), None)
            }
            CorrectOutcome::Callback(d) => (InquiryOutcome::Callback, Some(d), None),
            CorrectOutcome::Info => (InquiryOutcome::Info, None, None),
        };
        if was == InquiryOutcome::Booked && new_outcome != InquiryOutcome::Booked {
            if let Some(a) = appt {
                let status = store_appts::get_appointment(tx, a)?.status;
                if status == AppointmentStatus::Booked {
                    store_appts::set_status_why(
                        tx,
                        a,
                        AppointmentStatus::Cancelled,
                        Some(StatusReason::Other),
                        &format!("inquiry {id} corrected"),
                    )?;
                    done = Corrected::BookingCancelled(a);
                }
            }
        }
        q::correct_inquiry(tx, id, fields, new_outcome, callback_on, appointment_id)?;
        match (new_outcome, callback_on) {
            (InquiryOutcome::Callback, Some(due))
                if was != InquiryOutcome::Callback || callback_on.is_some() =>
            {
                let mut c = match patient {
                    Some(pid) => NewCallback::new(pid, CallbackKind::Prospect, due),
                    None => NewCallback::for_caller(id, CallbackKind::Prospect, due),
                };
                c.inquiry_id = Some(id);
                c.note = fields.note.clone();
                let cb = open_callback(tx, &c)?;
                if let Corrected::OfferBooking { callback_id, .. } = &mut done {
                    *callback_id = Some(cb);
                }
            }
            (InquiryOutcome::Info, _) => {
                q::close_inquiry_callbacks(tx, id)?;
            }
            _ => {}
        }
        Ok(done)
    });
    match result {
        Ok(d) => Ok(d),
        Err(StoreError::Invalid(m)) => Err(DeskError::Refused(Why::Conflict(m))),
        Err(e) => Err(e.into()),
    }
}

/// The day's visits still "booked" after their start (late until they arrive).
pub fn late_count(db: &impl Db, day: NaiveDate, now: NaiveDateTime) -> Result<usize> {
    Ok(store_appts::late_on(db, day, now)?.len())
}

/// End of the day: every visit of `day` still "booked" whose start has passed (by the
/// store's clock) is marked no-show, each with its rebooking call, in one write (the screen
/// confirms first). Each stays undoable one by one. Returns how many were marked.
pub fn mark_rest_no_show(store: &mut Store, day: NaiveDate) -> Result<usize> {
    let now = store.now();
    if day > now.date() {
        return Err(DeskError::Refused(Why::NotYet));
    }
    let ids = store_appts::late_on(store, day, now)?;
    if ids.is_empty() {
        return Ok(0);
    }
    let result = store.write(|tx| {
        for id in &ids {
            super::appointments::mark_no_show_in(tx, *id)?;
        }
        Ok(ids.len())
    });
    match result {
        Ok(n) => Ok(n),
        Err(StoreError::Invalid(m)) => Err(DeskError::Refused(Why::Conflict(m))),
        Err(e) => Err(e.into()),
    }
}

fn list_setting(tx: &crate::store::Tx<'_>, key: &str) -> crate::store::Result<Vec<String>> {
    let c = s::clinic_section(tx)?;
    Ok(if key == "short_days" { c.short_days } else { c.closed_dates })
}

/// Adds one of the clinic's own closed days (idempotent); audited.
pub fn add_closure(store: &mut Store, day: NaiveDate) -> Result<()> {
    Ok(store.write(|tx| {
        let mut days = list_setting(tx, "closed_dates")?;
        let text = day.format("%Y-%m-%d").to_string();
        if !days.contains(&text) {
            days.push(text);
            days.sort();
            s::set_setting(tx, "closed_dates", &days.join(","))?;
        }
        Ok(())
    })?)
}

/// Removes one of the clinic's own closed days (nothing when it is not one); audited.
pub fn remove_closure(store: &mut Store, day: NaiveDate) -> Result<()> {
    Ok(store.write(|tx| {
        let text = day.format("%Y-%m-%d").to_string();
        let days: Vec<String> =
            list_setting(tx, "closed_dates")?.into_iter().filter(|d| *d != text).collect();
        s::set_setting(tx, "closed_dates", &days.join(","))
    })?)
}

/// Sets a short day's hours (`09:30-13:00`), or removes the short day with `None`; audited.
pub fn set_short_day(store: &mut Store, day: NaiveDate, hours: Option<&str>) -> Result<()> {
    let span = match hours {
        Some(h) => match Span::parse(h) {
            Some(s) => Some(s),
            None => return field("hours", Why::Hours),
        },
        None => None,
    };
    Ok(store.write(|tx| {
        let mut days: Vec<String> = list_setting(tx, "short_days")?
            .into_iter()
            .filter(|x| parse_short_day(x).is_none_or(|(d, _)| d != day))
            .collect();
        if let Some(span) = span {
            days.push(short_day_text(day, span));
            days.sort();
        }
        s::set_setting(tx, "short_days", &days.join(","))
    })?)
}

/// Sets or clears (`None`) a treatment's hourly cap (e.g. 추나 at most 4 an hour); audited.
pub fn set_hourly_cap(store: &mut Store, code: &str, cap: Option<i64>) -> Result<()> {
    let range = crate::domain::rules::HOURLY_CAP;
    if cap.is_some_and(|c| !range.contains(c)) {
        return field(
            "hourly_cap",
            Why::OutOfRange { min: range.min, max: range.max, unit: super::Unit::None },
        );
    }
    Ok(store.write(|tx| store_appts::set_hourly_cap(tx, code, cap))?)
}

/// The clinic's next open day on or after `d` (for the callers' next-visit offers).
pub fn next_open_day(db: &impl Db, d: NaiveDate) -> Result<NaiveDate> {
    Ok(s::clinic_calendar(db)?.open_on_or_after(d))
}
