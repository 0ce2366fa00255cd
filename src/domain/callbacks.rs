//! The callback queue's rules as pure functions: where an item stands against today, the
//! queue order, when the automatic items fall due, and the rates on the Callbacks tab.

use std::fmt;

use chrono::NaiveDate;

use super::{CallbackKind, Lang};

/// After this many not-reached attempts in a row the log form offers to close the item as
/// unreachable.
pub const UNREACHABLE_AFTER: u32 = 3;

/// How many days back the happy-call rule looks for done visits, so that visits before a
/// closed weekend still get their call when the desk opens again.
pub const HAPPY_CALL_LOOKBACK_DAYS: i64 = 3;

code_enum! {
    /// How the desk reached (or tried to reach) the person.
    ContactChannel {
        Phone = "phone", "전화", "Phone";
        Sms = "sms", "문자", "SMS";
        Kakao = "kakao", "카카오톡", "KakaoTalk";
        InPerson = "in_person", "내원 시", "In person";
    }
}

code_enum! {
    /// How a callback was closed.
    CallbackOutcome {
        Booked = "booked", "예약함", "Booked";
        Accepted = "accepted", "치료 결정", "Accepted";
        Declined = "declined", "거절", "Declined";
        Unreachable = "unreachable", "연락 안 됨", "Unreachable";
        Done = "done", "완료", "Done";
    }
}

/// Where a due date stands against today: the three parts of the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Urgency {
    Overdue,
    DueToday,
    Upcoming,
}

impl Urgency {
    pub fn of(due_on: NaiveDate, today: NaiveDate) -> Urgency {
        match due_on.cmp(&today) {
            std::cmp::Ordering::Less => Urgency::Overdue,
            std::cmp::Ordering::Equal => Urgency::DueToday,
            std::cmp::Ordering::Greater => Urgency::Upcoming,
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Urgency::Overdue => lang.pick("지남", "Overdue"),
            Urgency::DueToday => lang.pick("오늘", "Today"),
            Urgency::Upcoming => lang.pick("예정", "Upcoming"),
        }
    }
}

/// The queue's sort key: overdue first, then due today, then upcoming; within each, by due
/// date, then kind (in the order of [`CallbackKind::ALL`]), then the item's id for stability.
pub fn queue_key(
    due_on: NaiveDate,
    kind: CallbackKind,
    id: i64,
    today: NaiveDate,
) -> (Urgency, NaiveDate, CallbackKind, i64) {
    (Urgency::of(due_on, today), due_on, kind, id)
}

/// The queue's `/` filter: does a callback's patient match what was typed? A name fragment
/// (any case), a chart-number fragment, or at least three digits of the phone number
/// (only when nothing but digits was typed). An empty filter keeps everything.
pub fn matches_text(typed: &str, name: &str, chart_no: &str, phone: &str) -> bool {
    let q = typed.trim().to_lowercase();
    if q.is_empty() {
        return true;
    }
    let q_digits: String = q.chars().filter(|c| c.is_ascii_digit()).collect();
    super::text::name_matches(name, &q)
        || chart_no.contains(&q)
        || (q_digits.len() >= 3
            && q_digits.len() == q.len()
            && super::phone::digits_of(phone).contains(&q_digits))
}

/// An undecided consultation is a prospect: it is called back on its recall date. `None` for
/// a decided one (or one without a date, which the store refuses when undecided).
pub fn prospect_due(
    status: crate::domain::ConsultationStatus,
    recall_on: Option<NaiveDate>,
) -> Option<NaiveDate> {
    recall_on.filter(|_| status == crate::domain::ConsultationStatus::Undecided)
}

/// The reminder for an appointment is due the day before it.
pub fn reminder_due(appointment_day: NaiveDate) -> NaiveDate {
    appointment_day.pred_opt().unwrap_or(appointment_day)
}

/// The happy call after a visit is due the next day.
pub fn happy_call_due(visit_day: NaiveDate) -> NaiveDate {
    visit_day.succ_opt().unwrap_or(visit_day)
}

/// The reminder for an appointment on the clinic's calendar: the last day the clinic opens
/// before the visit (Saturday for a Monday visit, the day before a holiday run), never before
/// `today`.
pub fn reminder_due_open(
    cal: &super::calendar::ClinicCalendar,
    appointment_day: NaiveDate,
    today: NaiveDate,
) -> NaiveDate {
    cal.open_on_or_before(reminder_due(appointment_day)).max(today).min(appointment_day)
}

/// The happy call after a visit on the clinic's calendar: the next day the clinic opens.
pub fn happy_call_due_open(cal: &super::calendar::ClinicCalendar, visit_day: NaiveDate) -> NaiveDate {
    cal.open_on_or_after(happy_call_due(visit_day))
}

/// Not-reached calls since the last time the person was reached, counting the contacts
/// in the order they were logged. A text (SMS or KakaoTalk) is not an attempt to reach
/// anyone by voice: it neither counts as a miss nor resets the count.
pub fn not_reached_streak(contacts_in_order: impl IntoIterator<Item = (ContactChannel, bool)>) -> u32 {
    let mut streak = 0;
    for (channel, reached) in contacts_in_order {
        if matches!(channel, ContactChannel::Sms | ContactChannel::Kakao) {
            continue;
        }
        streak = if reached { 0 } else { streak + 1 };
    }
    streak
}

/// True when logging one more not-reached attempt makes it the `n`th in a row.
pub fn offers_unreachable(streak_before: u32, reached_now: bool, n: u32) -> bool {
    !reached_now && streak_before + 1 >= n
}

/// A share with what it is made of, so screens can show "3/4" as well as 75%.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Ratio {
    pub numerator: i64,
    pub denominator: i64,
}

impl Ratio {
    pub fn new(numerator: i64, denominator: i64) -> Ratio {
        Ratio { numerator, denominator }
    }

    /// The fraction, or `None` when nothing was counted (no 0/0 = 0%).
    pub fn value(self) -> Option<f64> {
        (self.denominator > 0).then(|| self.numerator as f64 / self.denominator as f64)
    }

    /// `75%`, or `-` when nothing was counted.
    pub fn percent(self) -> String {
        match self.value() {
            Some(v) => format!("{:.0}%", v * 100.0),
            None => "-".into(),
        }
    }
}

/// Outcomes that count as a converted prospect.
pub fn is_conversion(outcome: CallbackOutcome) -> bool {
    matches!(outcome, CallbackOutcome::Booked | CallbackOutcome::Accepted)
}

/// The closing outcomes that fit a kind of callback, in the order the log form offers them.
pub fn outcomes_for(kind: CallbackKind) -> &'static [CallbackOutcome] {
    use CallbackOutcome::*;
    match kind {
        CallbackKind::Prospect => &[Booked, Accepted, Declined, Unreachable],
        CallbackKind::Reminder => &[Done, Declined, Unreachable],
        CallbackKind::NoShow => &[Booked, Declined, Unreachable],
        CallbackKind::HappyCall => &[Done, Booked, Unreachable],
        CallbackKind::Recall => &[Booked, Done, Declined, Unreachable],
    }
}

#[cfg(test)]
mod calendar_tests {
    use super::*;
    use crate::domain::calendar::ClinicCalendar;

    #[test]
    fn reminders_and_happy_calls_fall_on_open_days() {
        let d = |m: u32, dd: u32| NaiveDate::from_ymd_opt(2026, m, dd).unwrap();
        let cal = ClinicCalendar::default();
        // Monday's visit: reminded on Saturday; Saturday's visit: happy call on Monday.
        assert_eq!(reminder_due_open(&cal, d(11, 30), d(11, 28)), d(11, 28));
        assert_eq!(happy_call_due_open(&cal, d(11, 28)), d(11, 30));
        // After 추석 (9/24-26) and Sunday: the Monday visit is reminded on Wednesday 9/23.
        assert_eq!(reminder_due_open(&cal, d(9, 28), d(9, 23)), d(9, 23));
        // Never before today, never after the visit.
        assert_eq!(reminder_due_open(&cal, d(9, 28), d(9, 27)), d(9, 27));
        assert_eq!(reminder_due_open(&cal, d(11, 24), d(11, 23)), d(11, 23));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_undecided_consultation_with_a_date_is_a_prospect_to_call() {
        use crate::domain::ConsultationStatus as S;
        let d = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        assert_eq!(prospect_due(S::Undecided, Some(d)), Some(d));
        assert_eq!(prospect_due(S::Undecided, None), None);
        assert_eq!(prospect_due(S::Accepted, Some(d)), None);
        assert_eq!(prospect_due(S::Declined, Some(d)), None);
    }

    fn d(m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, dd).unwrap()
    }

    #[test]
    fn urgency_splits_the_queue_around_today() {
        let today = d(11, 23);
        assert_eq!(Urgency::of(d(11, 22), today), Urgency::Overdue);
        assert_eq!(Urgency::of(d(11, 23), today), Urgency::DueToday);
        assert_eq!(Urgency::of(d(11, 24), today), Urgency::Upcoming);
    }

    #[test]
    fn queue_key_orders_overdue_then_today_then_upcoming_then_by_date_and_kind() {
        let today = d(11, 23);
        let mut items = [
            (1, d(11, 25), CallbackKind::Prospect),
            (2, d(11, 23), CallbackKind::Recall),
            (3, d(11, 20), CallbackKind::HappyCall),
            (4, d(11, 23), CallbackKind::Prospect),
            (5, d(11, 21), CallbackKind::Prospect),
        ];
        items.sort_by_key(|(id, due, kind)| queue_key(*due, *kind, *id, today));
        let ids: Vec<i64> = items.iter().map(|x| x.0).collect();
        assert_eq!(ids, [3, 5, 4, 2, 1]);
    }

    #[test]
    fn the_text_filter_matches_name_chart_or_three_phone_digits() {
        let m = |q: &str| matches_text(q, "Kim Minji", "000123", "010-1234-5678");
        assert!(m(""));
        assert!(m("  "));
        assert!(m("minji"));
        assert!(m(" KIM "));
        assert!(m("0123"));
        assert!(m("5678"));
        assert!(m("12"), "a chart-number fragment");
        assert!(!m("56"), "two digits are not enough for the phone");
        assert!(!m("234-5"), "a dash typed: not a phone search");
        assert!(!m("lee"));
        assert!(!m("56a"), "letters mixed in: not a phone search");
        assert!(matches_text("김", "김민지", "000001", ""));
        assert!(!matches_text("1234", "김민지", "000001", ""));
    }

    #[test]
    fn automatic_due_dates() {
        assert_eq!(reminder_due(d(12, 1)), d(11, 30));
        assert_eq!(happy_call_due(d(11, 30)), d(12, 1));
    }

    #[test]
    fn the_third_miss_in_a_row_offers_unreachable() {
        use ContactChannel::{Phone, Sms};
        assert_eq!(not_reached_streak([(Phone, false), (Phone, true), (Phone, false), (Phone, false)]), 2);
        assert_eq!(not_reached_streak([]), 0);
        // Texts sent between the calls are not misses.
        assert_eq!(not_reached_streak([(Phone, false), (Sms, false), (Sms, false), (Phone, false)]), 2);
        assert_eq!(not_reached_streak([(Phone, false), (Sms, false)]), 1);
        assert!(offers_unreachable(2, false, UNREACHABLE_AFTER));
        assert!(!offers_unreachable(1, false, UNREACHABLE_AFTER));
        assert!(!offers_unreachable(2, true, UNREACHABLE_AFTER));
    }

    #[test]
    fn ratios_do_not_invent_zero_over_zero() {
        assert_eq!(Ratio::new(3, 4).value(), Some(0.75));
        assert_eq!(Ratio::new(3, 4).percent(), "75%");
        assert_eq!(Ratio::new(0, 0).value(), None);
        assert_eq!(Ratio::new(0, 0).percent(), "-");
    }
}
