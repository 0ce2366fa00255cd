//! Rules of the appointment book: which status changes make sense, and when the next visit
//! is usually due.

use chrono::NaiveDate;

use super::AppointmentStatus;

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
