//! Plain types and the number definitions of DESIGN §4, as pure functions: no SQL, no ratatui.

pub mod calendar;
pub mod cells;
pub mod dates;
pub mod dropout;
pub mod huddle;
pub mod import;
pub mod mask;
pub mod okr;
pub mod okr_history;
pub mod parse;
pub mod phone;
pub mod reports;
pub mod rules;
pub mod schedule;
pub mod setup;
pub mod text;

use std::fmt;

/// Stored local wall-clock time.
pub const TIME_FORMAT: &str = "%Y-%m-%dT%H:%M:%S";
/// Stored date.
pub const DATE_FORMAT: &str = "%Y-%m-%d";

/// Declares a closed set of codes with their stored text and labels in both languages.
macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $code:literal, $ko:literal, $en:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The code stored in the database.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn label(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $(($name::$variant, Lang::Ko) => $ko, ($name::$variant, Lang::En) => $en,)+
                }
            }

            /// Accepts the code or either label, ignoring case and spaces.
            pub fn parse(s: &str) -> Option<$name> {
                let key: String = s.trim().to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ");
                $name::ALL.iter().copied().find(|v| {
                    v.code() == key
                        || v.label(Lang::Ko).to_lowercase() == key
                        || v.label(Lang::En).to_lowercase() == key
                })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

// After the macro: it is textually scoped.
pub mod callbacks;
pub mod messages;
pub mod payments;

/// The language the app speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    Ko,
    En,
}

impl Lang {
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_lowercase().as_str() {
            "ko" | "kr" | "korean" | "한국어" => Some(Lang::Ko),
            "en" | "english" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language of the locale: Korean when LC_ALL / LC_MESSAGES / LANG start with `ko`.
    pub fn from_locale() -> Lang {
        for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let Ok(v) = std::env::var(var) {
                if v.is_empty() {
                    continue;
                }
                return if v.to_lowercase().starts_with("ko") { Lang::Ko } else { Lang::En };
            }
        }
        Lang::En
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Ko => "ko",
            Lang::En => "en",
        }
    }

    /// Picks the string for this language.
    pub fn pick<'a>(self, ko: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Ko => ko,
            Lang::En => en,
        }
    }
}

code_enum! {
    /// Where an appointment stands.
    AppointmentStatus {
        Booked = "booked", "예약", "Booked";
        Arrived = "arrived", "내원", "Arrived";
        Done = "done", "완료", "Done";
        NoShow = "no_show", "부도", "No-show";
        Cancelled = "cancelled", "취소", "Cancelled";
    }
}

code_enum! {
    /// Why a visit was cancelled or missed, asked once when the desk marks it.
    StatusReason {
        Reschedule = "reschedule", "일정변경", "Schedule change";
        Better = "better", "증상호전", "Feeling better";
        Cost = "cost", "비용", "Cost";
        OtherClinic = "other_clinic", "타병원", "Another clinic";
        Unreachable = "unreachable", "연락두절", "Unreachable";
        Other = "other", "기타", "Other";
    }
}

code_enum! {
    /// The CRM stickers on a chart.
    Tag {
        Referrer = "referrer", "소개", "Referrer";
        HighValue = "high_value", "고가", "High value";
        Prospect = "prospect", "가망", "Prospect";
        Satisfied = "satisfied", "만족", "Satisfied";
        MoreCare = "more_care", "추가", "More care";
    }
}

impl Tag {
    /// The two-column badge drawn on a row: plain letters, no ambiguous-width symbols.
    pub fn badge(self) -> &'static str {
        match self {
            Tag::Referrer => "R",
            Tag::HighValue => "H",
            Tag::Prospect => "P",
            Tag::Satisfied => "S",
            Tag::MoreCare => "M",
        }
    }
}

code_enum! {
    /// Kinds of callback in the one queue.
    CallbackKind {
        Prospect = "prospect", "가망", "Prospect";
        Reminder = "reminder", "리마인드", "Reminder";
        NoShow = "no_show", "부도", "No-show";
        HappyCall = "happy_call", "해피콜", "Happy call";
        Recall = "recall", "리콜", "Recall";
    }
}

code_enum! {
    /// What was decided at a consultation.
    ConsultationStatus {
        Accepted = "accepted", "결정", "Accepted";
        Undecided = "undecided", "보류", "Undecided";
        Declined = "declined", "거부", "Declined";
    }
}

code_enum! {
    /// What the caller asked about.
    QuestionKind {
        Price = "price", "가격", "Price";
        Method = "method", "방법", "Method";
        Duration = "duration", "기간", "Duration";
        Insurance = "insurance", "보험", "Insurance";
        Hours = "hours", "시간/위치", "Hours/location";
        Other = "other", "기타", "Other";
    }
}

code_enum! {
    /// How an inquiry ended.
    InquiryOutcome {
        Info = "info", "안내만", "Information";
        Callback = "callback", "재연락", "Call back";
        Booked = "booked", "예약", "Booked";
    }
}

code_enum! {
    /// Staff roles.
    Role {
        Director = "director", "원장", "Director";
        Desk = "desk", "데스크", "Desk";
        Treatment = "treatment", "치료실", "Treatment room";
    }
}

code_enum! {
    /// The kind of clinic: picks the starting treatment catalog and OKR template.
    ClinicKind {
        Hanui = "hanui", "한의원", "Korean medicine";
        Dental = "dental", "치과", "Dental";
        Physio = "physio", "물리치료", "Physiotherapy";
        Eye = "eye", "안과", "Eye clinic";
        Other = "other", "기타", "Other";
    }
}

code_enum! {
    Sex {
        M = "M", "남", "M";
        F = "F", "여", "F";
    }
}

/// A closed range of dates, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
}

impl Period {
    pub fn new(from: chrono::NaiveDate, to: chrono::NaiveDate) -> Period {
        Period { from, to }
    }

    /// Bounds for comparing stored time text: `from <= t < to_exclusive`.
    pub fn time_bounds(&self) -> (String, String) {
        let end = self.to.succ_opt().unwrap_or(self.to);
        (self.from.format(DATE_FORMAT).to_string(), end.format(DATE_FORMAT).to_string())
    }

    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }
}

/// Age in whole years on `on`.
pub fn age_on(birth: chrono::NaiveDate, on: chrono::NaiveDate) -> i32 {
    use chrono::Datelike;
    let mut age = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn codes_parse_from_code_and_both_labels() {
        assert_eq!(Tag::parse("referrer"), Some(Tag::Referrer));
        assert_eq!(Tag::parse("소개"), Some(Tag::Referrer));
        assert_eq!(Tag::parse("High Value"), Some(Tag::HighValue));
        assert_eq!(AppointmentStatus::parse("부도"), Some(AppointmentStatus::NoShow));
        assert_eq!(AppointmentStatus::parse("nope"), None);
    }

    #[test]
    fn age_counts_whole_years() {
        let b = NaiveDate::from_ymd_opt(1990, 11, 23).unwrap();
        assert_eq!(age_on(b, NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()), 35);
        assert_eq!(age_on(b, NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()), 36);
    }

    #[test]
    fn period_bounds_are_half_open_text() {
        let p = Period::new(
            NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(2026, 1, 31).unwrap(),
        );
        assert_eq!(p.time_bounds(), ("2026-01-01".into(), "2026-02-01".into()));
        assert_eq!(p.days(), 31);
    }
}
