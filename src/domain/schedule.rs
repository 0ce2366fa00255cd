//! Rules of the appointment book: which status changes make sense, and when the next visit
//! is usually due.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

use super::AppointmentStatus;
use super::calendar::{ClinicCalendar, ClosedDay, Span};

/// Whether the desk may move an appointment from `from` to `to` with one key.
///
/// A visit is marked done from booked or arrived; a no-show only from booked (someone who
/// arrived did not miss it); cancelling works until the visit is done. Anything else is a
/// mistake the desk fixes with undo.
pub fn can_change(from: AppointmentStatus, to: AppointmentStatus) -> bool {
    use AppointmentStatus::*;
    match to {
        Arrived => from == Booked,
        Done => matches!(from, Booked | Arrived),
        NoShow => from == Booked,
        Cancelled => matches!(from, Booked | Arrived),
        Booked => false,
    }
}

/// The median gap in days between consecutive visit dates (sorted or not); `None` with fewer
/// than two distinct dates. An even count takes the lower middle, so the result is a whole
/// number of days that really occurred.
pub fn median_gap_days(dates: &[NaiveDate]) -> Option<i64> {
    let mut ds: Vec<NaiveDate> = dates.to_vec();
    ds.sort();
    ds.dedup();
    let mut gaps: Vec<i64> = ds.windows(2).map(|w| (w[1] - w[0]).num_days()).collect();
    if gaps.is_empty() {
        return None;
    }
    gaps.sort();
    Some(gaps[(gaps.len() - 1) / 2])
}

/// The usual interval before the next visit: the treatment's own interval when the visit
/// has a known treatment, else the median gap of the patient's past visits, else a week.
pub fn usual_interval_days(treatment_interval: Option<i64>, past_visits: &[NaiveDate]) -> i64 {
    treatment_interval.filter(|d| *d > 0).or_else(|| median_gap_days(past_visits)).unwrap_or(7)
}

/// A live booking as the day's grid shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct GridBooking {
    pub id: i64,
    pub start: NaiveDateTime,
    pub duration_min: i64,
    pub provider_id: Option<i64>,
    pub treatment_code: Option<String>,
    pub patient_id: i64,
    pub name: String,
    pub status: AppointmentStatus,
}

/// A treatment with an hourly cap: its code, its label (ko, en) and the cap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capped {
    pub code: String,
    pub ko: String,
    pub en: String,
    pub cap: i64,
}

/// One cell of the grid: one slot of one provider.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nobody booked: the desk may book here.
    Free,
    /// The lunch break.
    Lunch,
    /// Booked: the bookings overlapping the slot (indexes into [`DayLayout::bookings`]) and
    /// whether one of them starts in it (the name is written there; later slots continue it).
    Booked { bookings: Vec<usize>, starts: bool },
}

/// A treatment's count in one clock hour against its cap, `추나 3/4`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HourCount {
    pub hour: NaiveTime,
    /// The treatment's code.
    pub code: String,
    pub ko: String,
    pub en: String,
    pub count: i64,
    pub cap: i64,
}

/// A column of the grid: a provider (`None`: bookings with no provider, or a clinic with no
/// providers on file) and its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridColumn {
    pub provider_id: Option<i64>,
    pub name: String,
}

/// The day's schedule laid out: slots of the clinic's interval within its hours, one column
/// per provider, the cells, and the capped treatments' counts per hour.
#[derive(Debug, Clone, PartialEq)]
pub struct DayLayout {
    pub date: NaiveDate,
    /// Why the clinic is closed that day (the grid then has no slots).
    pub closed: Option<ClosedDay>,
    /// The day's hours, when open.
    pub hours: Option<Span>,
    pub slot_min: i64,
    pub slots: Vec<NaiveTime>,
    pub columns: Vec<GridColumn>,
    /// `cells[slot][column]`.
    pub cells: Vec<Vec<Cell>>,
    pub bookings: Vec<GridBooking>,
    /// Per clock hour of the day, every capped treatment booked in it (zero counts left out).
    pub hour_counts: Vec<HourCount>,
}

impl DayLayout {
    /// The capped treatments' counts in the clock hour of `t`.
    pub fn counts_in_hour(&self, t: NaiveTime) -> impl Iterator<Item = &HourCount> {
        let h = t.hour();
        self.hour_counts.iter().filter(move |c| c.hour.hour() == h)
    }

    /// Whether one more booking of `code` starting at `t` stays within its hourly cap.
    pub fn has_room_for(&self, code: Option<&str>, t: NaiveTime) -> bool {
        let Some(code) = code else { return true };
        self.counts_in_hour(t).all(|c| c.code != code || c.count < c.cap)
    }

    pub fn is_free(&self, slot: usize, column: usize) -> bool {
        matches!(self.cells.get(slot).and_then(|r| r.get(column)), Some(Cell::Free))
    }
}

/// Lays out the day: `providers` are the ones who work (the active directors, in order);
/// a provider not among them who has a live booking that day gets a column too, and bookings
/// with no provider one more column at the end. Cancelled and missed visits free their slot
/// (the caller passes live bookings; others are dropped here too). A closed day (weekday,
/// holiday, the clinic's closure) has no slots.
pub fn layout_day(
    cal: &ClinicCalendar,
    date: NaiveDate,
    providers: &[(i64, String)],
    bookings: &[GridBooking],
    capped: &[Capped],
) -> DayLayout {
    let bookings: Vec<GridBooking> = bookings
        .iter()
        .filter(|b| {
            b.start.date() == date
                && !matches!(b.status, AppointmentStatus::Cancelled | AppointmentStatus::NoShow)
        })
        .cloned()
        .collect();
    let mut columns: Vec<GridColumn> =
        providers.iter().map(|(id, n)| GridColumn { provider_id: Some(*id), name: n.clone() }).collect();
    for b in &bookings {
        if let Some(p) = b.provider_id {
            if !columns.iter().any(|c| c.provider_id == Some(p)) {
                columns.push(GridColumn { provider_id: Some(p), name: format!("#{p}") });
            }
        }
    }
    if columns.is_empty() || bookings.iter().any(|b| b.provider_id.is_none()) {
        columns.push(GridColumn { provider_id: None, name: String::new() });
    }
    let slot_min = cal.slot_min.clamp(super::rules::SLOT_MINUTES.min, super::rules::SLOT_MINUTES.max);
    let closed = cal.closed_on(date);
    let hours = cal.hours_on(date);
    let mut slots = Vec::new();
    if let Some(h) = hours {
        let mut t = date.and_time(h.from);
        let end = date.and_time(h.to);
        while t < end {
            slots.push(t.time());
            t += Duration::minutes(slot_min);
        }
    }
    let lunch = cal.lunch_on(date);
    let cells = slots
        .iter()
        .map(|s| {
            let from = date.and_time(*s);
            let to = from + Duration::minutes(slot_min);
            columns
                .iter()
                .map(|c| {
                    let here: Vec<usize> = bookings
                        .iter()
                        .enumerate()
                        .filter(|(_, b)| {
                            b.provider_id == c.provider_id
                                && b.start < to
                                && b.start + Duration::minutes(b.duration_min.max(1)) > from
                        })
                        .map(|(i, _)| i)
                        .collect();
                    if !here.is_empty() {
                        let starts = here.iter().any(|i| bookings[*i].start >= from);
                        Cell::Booked { bookings: here, starts }
                    } else if lunch.is_some_and(|l| from.time() < l.to && to.time() > l.from) {
                        Cell::Lunch
                    } else {
                        Cell::Free
                    }
                })
                .collect()
        })
        .collect();
    let mut hour_counts = Vec::new();
    let mut hours_seen: Vec<u32> = bookings.iter().map(|b| b.start.hour()).collect();
    hours_seen.sort();
    hours_seen.dedup();
    for h in hours_seen {
        for c in capped {
            let count = bookings
                .iter()
                .filter(|b| b.start.hour() == h && b.treatment_code.as_deref() == Some(c.code.as_str()))
                .count() as i64;
            if count > 0 {
                hour_counts.push(HourCount {
                    hour: NaiveTime::from_hms_opt(h, 0, 0).unwrap_or_default(),
                    code: c.code.clone(),
                    ko: c.ko.clone(),
                    en: c.en.clone(),
                    count,
                    cap: c.cap,
                });
            }
        }
    }
    DayLayout { date, closed, hours, slot_min, slots, columns, cells, bookings, hour_counts }
}

/// The first free slot of a provider (`None`: any column) on `date` at or after `after`,
/// looking at most `days` days ahead; the layouts come from `layout_of`. With a treatment, an
/// hour already at that treatment's hourly cap is skipped.
pub fn next_free_slot(
    mut layout_of: impl FnMut(NaiveDate) -> DayLayout,
    after: NaiveDateTime,
    provider: Option<i64>,
    treatment: Option<&str>,
    days: i64,
) -> Option<(NaiveDateTime, Option<i64>)> {
    for off in 0..days.max(1) {
        let date = after.date() + Duration::days(off);
        let l = layout_of(date);
        for (si, s) in l.slots.iter().enumerate() {
            if date.and_time(*s) < after || !l.has_room_for(treatment, *s) {
                continue;
            }
            for (ci, c) in l.columns.iter().enumerate() {
                if (provider.is_none() || c.provider_id == provider) && l.is_free(si, ci) {
                    return Some((date.and_time(*s), c.provider_id));
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use AppointmentStatus::*;

    fn d(m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, dd).unwrap()
    }

    #[test]
    fn status_changes_that_make_sense() {
        assert!(can_change(Booked, Arrived));
        assert!(can_change(Arrived, Done));
        assert!(can_change(Booked, Done));
        assert!(can_change(Booked, NoShow));
        assert!(!can_change(Arrived, NoShow));
        assert!(!can_change(Done, Cancelled));
        assert!(!can_change(Done, Done));
        assert!(!can_change(Cancelled, Arrived));
    }

    #[test]
    fn median_gap_of_visits() {
        // Gaps 3, 10, 4 -> sorted 3, 4, 10 -> 4.
        assert_eq!(median_gap_days(&[d(11, 1), d(11, 4), d(11, 14), d(11, 18)]), Some(4));
        // Gaps 7, 14 -> lower middle 7; unsorted input and a repeated day are fine.
        assert_eq!(median_gap_days(&[d(11, 15), d(11, 1), d(11, 8), d(11, 8)]), Some(7));
        assert_eq!(median_gap_days(&[d(11, 1)]), None);
    }

    #[test]
    fn interval_prefers_the_treatment() {
        assert_eq!(usual_interval_days(Some(3), &[d(11, 1), d(11, 15)]), 3);
        assert_eq!(usual_interval_days(None, &[d(11, 1), d(11, 15)]), 14);
        assert_eq!(usual_interval_days(None, &[]), 7);
    }
}
