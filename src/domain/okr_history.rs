//! A key result's value to date at several points (its weekly history) from one pass over
//! its period, for the numbers of DESIGN §4 that are sums over days.
//!
//! Such a number is made of rows that each fall on one day (done visits, appointments done
//! or missed, new patients, inquiries, consultations, callbacks due) and, for a rate, the
//! rows among them that meet its condition (rebooked, no-show, ...). Whether a row counts
//! and whether it meets the condition must not depend on where the period ends: then the
//! value over `[from, end]` is the sum of the per-day totals up to `end`, and every weekly
//! point comes from the same per-day totals. Numbers that are not sums over days keep one
//! computation per point: the return rate (a patient's visits over the whole period), the
//! inquiry conversions (looked up to the period's end), open complaints (a state at the
//! end), manual check-ins (the latest one).

use chrono::NaiveDate;

use super::okr::Metric;

/// How a number that is a sum over days makes its value from its summed totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DailySum {
    /// The number of rows: visits, new patients, referred new patients, inquiries.
    Count,
    /// Rows meeting the condition ÷ rows; no value without rows: no-show rate, booking rate,
    /// treatment share, consultation success, callbacks on time.
    Rate,
    /// Rows ÷ days with at least one row (done visits ÷ clinic days).
    PerDay,
    /// The sum of the rows' amounts (the "condition" column holds the amount): revenue,
    /// package sales, in won. Zero without rows.
    Sum,
}

impl DailySum {
    /// How `metric` sums over days, or `None` when it is not a sum over days.
    pub fn of(metric: &Metric) -> Option<DailySum> {
        match metric {
            Metric::Visits
            | Metric::NewPatients
            | Metric::Referrals
            | Metric::Inquiries
            | Metric::PackagesSold => Some(DailySum::Count),
            Metric::Revenue
            | Metric::RevenueCovered
            | Metric::RevenueNonCovered
            | Metric::RevenueCarInsurance
            | Metric::PackageSales => Some(DailySum::Sum),
            Metric::NoShowRate
            | Metric::BookingRate
            | Metric::TreatmentShare(_)
            | Metric::ConsultSuccess
            | Metric::CallbackOnTime
            | Metric::Satisfaction => Some(DailySum::Rate),
            Metric::AvgDailyPatients => Some(DailySum::PerDay),
            // Narrowed to fewer rows, it sums as its base does.
            Metric::Filtered(base, _) => DailySum::of(base),
            // Ratios of two different sums (distinct patients; revenue over visits).
            Metric::VisitsPerPatient | Metric::RevenuePerVisit => None,
            // Patients with two visits in the whole period; conversions looked up to the
            // period's end; complaints open at its end; the latest check-in.
            Metric::ReturnRate
            | Metric::InquiryToVisit
            | Metric::InquiryToPaid
            | Metric::OpenComplaints
            | Metric::Manual
            | Metric::WaitMinutes => None,
        }
    }

    /// The value of totals summed over a period.
    pub fn value(self, t: Totals) -> Option<f64> {
        match self {
            DailySum::Count => Some(t.rows as f64),
            DailySum::Rate => ratio(t.hits, t.rows),
            DailySum::PerDay => ratio(t.rows, t.days),
            DailySum::Sum => Some(t.hits as f64),
        }
    }
}

/// A rate: numerator ÷ denominator, with no value when there is nothing to divide by.
fn ratio(num: i64, den: i64) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

/// Totals over some days: the rows, those meeting the condition, the days with a row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub rows: i64,
    pub hits: i64,
    pub days: i64,
}

impl Totals {
    fn add(&mut self, d: &DayTotals) {
        self.rows += d.rows;
        self.hits += d.hits;
        self.days += i64::from(d.rows > 0);
    }
}

/// One day's rows of a number and how many of them meet its condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayTotals {
    pub day: NaiveDate,
    pub rows: i64,
    pub hits: i64,
}

/// The point a day is counted in first: the first of `ends` (ascending) on or after `day`;
/// `None` after the last. Later points include it through their cumulative totals.
pub fn point_of_day(ends: &[NaiveDate], day: NaiveDate) -> Option<usize> {
    let i = ends.partition_point(|end| *end < day);
    (i < ends.len()).then_some(i)
}

/// The value to date at each of `ends` (ascending) of a number summed over days, for a period
/// `[from, to]`: the value over `[from, min(end, to)]`, as `value` over that range gives it,
/// and `None` for a point before the period begins. `days` are the per-day totals, one entry
/// per day, in any order; days outside the period are ignored.
pub fn values_to_date(
    sum: DailySum,
    from: NaiveDate,
    to: NaiveDate,
    ends: &[NaiveDate],
    days: &[DayTotals],
) -> Vec<Option<f64>> {
    debug_assert!(ends.is_sorted(), "the points' ends must be ascending");
    // A period that ended before a point is judged at its end.
    let cuts: Vec<NaiveDate> = ends.iter().map(|end| (*end).min(to)).collect();
    let mut per_point = vec![Totals::default(); cuts.len()];
    for d in days.iter().filter(|d| d.day >= from) {
        if let Some(i) = point_of_day(&cuts, d.day) {
            per_point[i].add(d);
        }
    }
    let mut to_date = Totals::default();
    cuts.iter()
        .zip(per_point)
        .map(|(cut, t)| {
            to_date.rows += t.rows;
            to_date.hits += t.hits;
            to_date.days += t.days;
            (*cut >= from).then(|| sum.value(to_date)).flatten()
        })
        .collect()
}

/// An inquiry's day and the day of its person's first conversion on or after it (a done visit
/// or an accepted consultation), if any.
pub type Conversion = (NaiveDate, Option<NaiveDate>);

/// The value to date at each of `ends` (ascending) of an inquiry conversion (`inquiry_to_visit`,
/// `inquiry_to_paid`) for a period `[from, to]`: the inquiries received in `[from, cut]` whose
/// first conversion falls on or before `cut` ÷ the inquiries received in `[from, cut]`, with
/// `cut = min(end, to)`; `None` before the period begins or with no inquiry. `inquiries` holds
/// each inquiry's day and the day of its first conversion on or after it.
pub fn conversions_to_date(
    from: NaiveDate,
    to: NaiveDate,
    ends: &[NaiveDate],
    inquiries: &[Conversion],
) -> Vec<Option<f64>> {
    ends.iter()
        .map(|end| {
            let cut = (*end).min(to);
            if cut < from {
                return None;
            }
            let mut t = Totals::default();
            for (_, converted) in inquiries.iter().filter(|(day, _)| from <= *day && *day <= cut) {
                t.rows += 1;
                t.hits += i64::from(converted.is_some_and(|c| c <= cut));
            }
            DailySum::Rate.value(t)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nov(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    fn day(d: u32, rows: i64, hits: i64) -> DayTotals {
        DayTotals { day: nov(d), rows, hits }
    }

    #[test]
    fn a_day_belongs_to_the_first_point_ending_on_or_after_it() {
        let ends = [nov(2), nov(9), nov(16)];
        assert_eq!(point_of_day(&ends, nov(1)), Some(0));
        assert_eq!(point_of_day(&ends, nov(2)), Some(0), "the end day is inside its point");
        assert_eq!(point_of_day(&ends, nov(3)), Some(1));
        assert_eq!(point_of_day(&ends, nov(16)), Some(2));
        assert_eq!(point_of_day(&ends, nov(17)), None);
        // Points cut at the same day (a period that ended): the day goes to the first.
        assert_eq!(point_of_day(&[nov(2), nov(5), nov(5)], nov(4)), Some(1));
    }

    #[test]
    fn counts_accumulate_and_points_before_the_period_have_no_value() {
        // Period Nov 3 .. 30. Points Oct 27 (before it), Nov 3, 10, 17, 24.
        let ends = [NaiveDate::from_ymd_opt(2026, 10, 27).unwrap(), nov(3), nov(10), nov(17), nov(24)];
        // Nov 2 is before the period: not counted. Nov 11 .. 17 has nothing (an empty week).
        let days = [day(2, 5, 0), day(3, 2, 0), day(4, 1, 0), day(10, 3, 0), day(20, 4, 0)];
        let v = values_to_date(DailySum::Count, nov(3), nov(30), &ends, &days);
        // Nov 3: 2. Nov 10: 2 + 1 + 3 = 6. Nov 17: 6 (empty week). Nov 24: 6 + 4 = 10.
        assert_eq!(v, vec![None, Some(2.0), Some(6.0), Some(6.0), Some(10.0)]);
        // Nothing at all: a count is 0 from the start of the period, not "no value".
        let v = values_to_date(DailySum::Count, nov(3), nov(30), &ends, &[]);
        assert_eq!(v, vec![None, Some(0.0), Some(0.0), Some(0.0), Some(0.0)]);
    }

    #[test]
    fn rates_are_cumulative_ratios_and_need_a_denominator() {
        let ends = [nov(7), nov(14), nov(21)];
        // Week to Nov 7: no rows. Week to Nov 14: 1 of 4. Week to Nov 21: 2 of 2.
        let days = [day(9, 3, 1), day(12, 1, 0), day(20, 2, 2)];
        let v = values_to_date(DailySum::Rate, nov(1), nov(30), &ends, &days);
        // Nov 7: 0 rows, no value. Nov 14: 1/4 = 0.25. Nov 21: (1 + 2)/(4 + 2) = 0.5.
        assert_eq!(v, vec![None, Some(0.25), Some(0.5)]);
    }

    #[test]
    fn per_day_divides_by_the_days_with_rows() {
        let ends = [nov(7), nov(14)];
        // Nov 2: 4 visits, Nov 3: 2, Nov 10: 6; Nov 11 listed with no rows is no clinic day.
        let days = [day(2, 4, 0), day(3, 2, 0), day(10, 6, 0), day(11, 0, 0)];
        let v = values_to_date(DailySum::PerDay, nov(1), nov(30), &ends, &days);
        // Nov 7: 6 visits / 2 days = 3. Nov 14: 12 / 3 = 4.
        assert_eq!(v, vec![Some(3.0), Some(4.0)]);
    }

    #[test]
    fn a_period_that_ended_is_judged_at_its_end() {
        // Period Nov 1 .. 10; points Nov 7, 14, 21: the last two are the value over Nov 1 .. 10,
        // so Nov 12 (after the period) is never counted.
        let ends = [nov(7), nov(14), nov(21)];
        let days = [day(5, 2, 1), day(9, 2, 0), day(12, 10, 10)];
        let v = values_to_date(DailySum::Rate, nov(1), nov(10), &ends, &days);
        assert_eq!(v, vec![Some(0.5), Some(0.25), Some(0.25)]);
        // A period that ends before it begins (hand-edited) has no value anywhere.
        let v = values_to_date(DailySum::Count, nov(10), nov(1), &ends, &days);
        assert_eq!(v, vec![None, None, None]);
    }

    #[test]
    fn a_conversion_counts_at_a_point_once_it_happened_by_then() {
        // Period Nov 1 .. 20. Inquiries: Nov 2 converted Nov 9; Nov 3 never; Nov 10 converted
        // the same day; Nov 19 converted Nov 25 (after the period's end: never within it).
        let inquiries =
            [(nov(2), Some(nov(9))), (nov(3), None), (nov(10), Some(nov(10))), (nov(19), Some(nov(25)))];
        let ends = [NaiveDate::from_ymd_opt(2026, 10, 31).unwrap(), nov(7), nov(14), nov(21), nov(28)];
        let v = conversions_to_date(nov(1), nov(20), &ends, &inquiries);
        // Oct 31: before the period. Nov 7: 0 of 2 (Nov 9 is later). Nov 14: Nov 2 and Nov 10
        // of 3. Nov 21 and 28 are judged at Nov 20: 2 of 4.
        assert_eq!(v, vec![None, Some(0.0), Some(2.0 / 3.0), Some(0.5), Some(0.5)]);
        assert_eq!(conversions_to_date(nov(1), nov(20), &[nov(7)], &[]), vec![None], "no inquiry, no value");
    }

    #[test]
    fn only_sums_over_days_are_summed() {
        for m in ["visits", "new_patients", "referrals", "inquiries"] {
            assert_eq!(DailySum::of(&Metric::parse(m).unwrap()), Some(DailySum::Count), "{m}");
        }
        for m in
            ["no_show_rate", "booking_rate", "treatment_share:chuna", "consult_success", "callback_on_time"]
        {
            assert_eq!(DailySum::of(&Metric::parse(m).unwrap()), Some(DailySum::Rate), "{m}");
        }
        assert_eq!(DailySum::of(&Metric::AvgDailyPatients), Some(DailySum::PerDay));
        for m in ["return_rate", "inquiry_to_visit", "inquiry_to_paid", "open_complaints", "manual"] {
            assert_eq!(DailySum::of(&Metric::parse(m).unwrap()), None, "{m}");
        }
    }
}
