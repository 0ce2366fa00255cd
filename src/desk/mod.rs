//! The desk's use cases: one function per thing the desk does (mark a visit, book, log a
//! call, record a consultation, change a setting ...), between the UI and command line above
//! and the store below.
//!
//! Each function opens its own transaction through [`Store::write`] (so the audit row lands
//! with the change), takes `now` from its caller where the moment matters (or the store's
//! clock, which stamps the transaction), and answers with a typed [`DeskError`] that the
//! screen words in Korean or English. Rules that span entities (a no-show opens a rebooking
//! callback, an undecided consultation opens a prospect callback, booking links the call it
//! came from) live here, not in the entity modules of `store`.

pub mod appointments;
pub mod booking;
pub mod callbacks;
pub mod huddle;
pub mod inquiries;
pub mod messages;
pub mod okr;
pub mod packages;
pub mod patients;
pub mod payments;
pub mod settings;
pub mod stickers;

use std::fmt;

use crate::domain::Lang;
use crate::domain::calendar::{ClosedDay, OutsideHours, weekday_name};
use crate::store::StoreError;

/// Why the desk cannot do what it asked, in terms the screen can word.
#[derive(Debug)]
pub enum DeskError {
    /// A field the desk must correct; the form shows `why` on `field`.
    Field { field: &'static str, why: Why },
    /// The action does not apply to the record as it stands.
    Refused(Why),
    /// Not saved for a reason outside the form: busy, disk full, read-only, a database error,
    /// or a store check (the store's own words, already in the desk's language where it can be).
    Store(StoreError),
}

/// The reasons the desk layer names. Each has its Korean and English wording in [`Why::words`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    /// The name is empty.
    NameEmpty,
    /// The phone number cannot be read (the domain's reason, in English).
    Phone(&'static str),
    /// A birth date in the future or before 1900.
    BirthDate,
    /// No patient has the chart number typed as the referrer.
    NoSuchChart,
    /// A number outside its range, inclusive.
    OutOfRange { min: i64, max: i64, unit: Unit },
    /// The same person already has a visit at an overlapping time (the clashing starts);
    /// booking again with the overlap accepted books anyway.
    Overlap(Vec<chrono::NaiveDateTime>),
    /// A status that can only be marked on or after the visit's day.
    NotYet,
    /// The record is not in a state that allows the change (the store's reason).
    Conflict(String),
    /// The form names no patient.
    NoPatient,
    /// The date has passed.
    Past,
    /// A text template the domain refuses (an unknown placeholder, by name).
    Template(crate::domain::messages::TemplateProblem),
    /// An amount that cannot be read (the parser's reason, in English).
    Amount(String),
    /// An amount of zero records nothing.
    AmountZero,
    /// A payment with no category (급여, 비급여, 자보, 기타).
    CategoryMissing,
    /// A package with no treatment.
    TreatmentMissing,
    /// A refund or correction without its reason.
    ReasonRequired,
    /// A refund larger than what is left of the payment.
    RefundTooLarge { left_krw: i64 },
    /// A correction of a correction: correct the original payment.
    CorrectTheOriginal,
    /// A warning: the visit falls outside the clinic's day (closed day, hours, lunch).
    /// Saving again with the warnings accepted books anyway.
    OutsideHours(OutsideHours),
    /// A warning: the provider already sees another patient then (the clashing starts).
    ProviderBusy(Vec<chrono::NaiveDateTime>),
    /// A warning: this booking would make `count` visits of the treatment in the clock hour
    /// from `hour`, above its cap.
    OverCapacity { ko: String, en: String, hour: chrono::NaiveTime, count: i64, cap: i64 },
    /// A warning: the patient already has another visit that day (its starts).
    SameDay(Vec<chrono::NaiveDateTime>),
    /// A date and hours that cannot be read as a short day (`09:30-13:00`).
    Hours,
    /// The visit already happened (arrived or done): a correction cannot cancel it.
    VisitHappened,
    /// Undoing a cancellation or no-show would book the slot twice: the patient or the
    /// provider has been booked then since (those visits' starts).
    SlotTaken(Vec<chrono::NaiveDateTime>),
    /// Several warnings at once, shown together and accepted together.
    Warnings(Vec<Why>),
}

/// The unit a range is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Minutes,
    Days,
    None,
}

impl Why {
    /// One line for the desk.
    pub fn words(&self, lang: Lang) -> String {
        match self {
            Why::NameEmpty => lang.pick("이름을 적어 주세요", "name is empty").into(),
            Why::Phone(m) => (*m).into(),
            Why::BirthDate => lang.pick("생년월일이 맞지 않습니다", "not a possible birth date").into(),
            Why::NoSuchChart => {
                lang.pick("그 차트번호의 환자가 없습니다", "no patient has that chart number").into()
            }
            Why::OutOfRange { min, max, unit } => match (lang, unit) {
                (Lang::Ko, Unit::Minutes) => format!("{min}-{max}분으로 적어 주세요"),
                (Lang::En, Unit::Minutes) => format!("between {min} and {max} minutes"),
                (Lang::Ko, Unit::Days) => format!("{min}~{max}일"),
                (Lang::En, Unit::Days) => format!("{min} to {max} days"),
                (_, Unit::None) => match lang {
                    Lang::Ko => format!("{min}~{max}"),
                    Lang::En => format!("{min} to {max}"),
                },
            },
            Why::Overlap(starts) => {
                let times: Vec<String> = starts.iter().map(|t| t.format("%m-%d %H:%M").to_string()).collect();
                match lang {
                    Lang::Ko => format!(
                        "겹치는 예약이 있습니다 ({}). 그래도 잡으려면 한 번 더 저장(Ctrl-S)",
                        times.join(", ")
                    ),
                    Lang::En => format!(
                        "Overlaps an existing appointment ({}). Save again (Ctrl-S) to book anyway",
                        times.join(", ")
                    ),
                }
            }
            Why::NotYet => lang.pick("그날 표시하세요", "mark it on the day").into(),
            Why::Conflict(m) => m.clone(),
            Why::NoPatient => lang.pick("환자를 알 수 없습니다", "Unknown patient").into(),
            Why::Past => lang.pick("지난 날짜입니다", "that date has passed").into(),
            Why::Template(p) => p.words(lang),
            Why::Amount(m) => match lang {
                Lang::Ko => format!("금액을 읽을 수 없습니다 (예: {})", crate::domain::parse::AMOUNT_FORMS),
                Lang::En => m.clone(),
            },
            Why::AmountZero => lang.pick("0원은 기록할 수 없습니다", "an amount of 0 records nothing").into(),
            Why::CategoryMissing => lang
                .pick(
                    "구분을 고르세요 (급여/비급여/자보/기타)",
                    "choose a category (covered/non-covered/car insurance/other)",
                )
                .into(),
            Why::TreatmentMissing => {
                lang.pick("패키지의 치료를 고르세요", "choose the package's treatment").into()
            }
            Why::ReasonRequired => {
                lang.pick("환불·정정 사유를 적어 주세요", "a refund or correction needs its reason").into()
            }
            Why::RefundTooLarge { left_krw } => {
                let left = crate::domain::text::format_won(*left_krw);
                match lang {
                    Lang::Ko => format!("남은 수납액({left}원)보다 많이 환불할 수 없습니다"),
                    Lang::En => format!("cannot refund more than what is left of the payment ({left} won)"),
                }
            }
            Why::CorrectTheOriginal => lang
                .pick(
                    "정정 기록은 다시 정정할 수 없습니다: 원래 수납을 정정하세요",
                    "correct the original payment, not a correction",
                )
                .into(),
            Why::OutsideHours(o) => {
                let reason = match (o, lang) {
                    (OutsideHours::Closed(ClosedDay::Weekday(w)), _) => match lang {
                        Lang::Ko => format!("{} 휴진일입니다", weekday_name(*w, lang)),
                        Lang::En => format!("the clinic is closed on {}s", weekday_name(*w, lang)),
                    },
                    (OutsideHours::Closed(ClosedDay::Holiday(h)), Lang::Ko) => {
                        format!("공휴일({})입니다", h.ko)
                    }
                    (OutsideHours::Closed(ClosedDay::Holiday(h)), Lang::En) => {
                        format!("a public holiday ({})", h.en)
                    }
                    (OutsideHours::Closed(ClosedDay::Clinic), _) => {
                        lang.pick("병원 휴무일입니다", "the clinic is closed that day").into()
                    }
                    (OutsideHours::Hours(h), Lang::Ko) => format!("진료시간({}) 밖입니다", h.text()),
                    (OutsideHours::Hours(h), Lang::En) => format!("outside opening hours ({})", h.text()),
                    (OutsideHours::Lunch(l), Lang::Ko) => format!("점심시간({})입니다", l.text()),
                    (OutsideHours::Lunch(l), Lang::En) => format!("in the lunch break ({})", l.text()),
                };
                warning(lang, &reason)
            }
            Why::ProviderBusy(starts) => {
                let times =
                    starts.iter().map(|t| t.format("%H:%M").to_string()).collect::<Vec<_>>().join(", ");
                let reason = match lang {
                    Lang::Ko => format!("담당자에게 다른 환자 예약이 있습니다 ({times})"),
                    Lang::En => format!("the provider already has a patient then ({times})"),
                };
                warning(lang, &reason)
            }
            Why::OverCapacity { ko, en, hour, count, cap } => {
                let h = hour.format("%H:%M");
                let reason = match lang {
                    Lang::Ko => format!("{h}부터 한 시간에 {ko} {count}건 (최대 {cap}건)"),
                    Lang::En => format!("{count} {en} in the hour from {h} (at most {cap})"),
                };
                warning(lang, &reason)
            }
            Why::SameDay(starts) => {
                let times =
                    starts.iter().map(|t| t.format("%H:%M").to_string()).collect::<Vec<_>>().join(", ");
                let reason = match lang {
                    Lang::Ko => format!("이 환자는 그날 이미 예약이 있습니다 ({times})"),
                    Lang::En => format!("the patient is already booked that day ({times})"),
                };
                warning(lang, &reason)
            }
            Why::Hours => {
                lang.pick("시간을 09:30-13:00처럼 적어 주세요", "write the hours like 09:30-13:00").into()
            }
            Why::VisitHappened => lang
                .pick(
                    "이미 내원한 예약은 취소할 수 없습니다: 먼저 오늘 화면에서 되돌리세요(u)",
                    "the visit already happened: undo its status on Today (u) first",
                )
                .into(),
            Why::SlotTaken(starts) => {
                let times =
                    starts.iter().map(|t| t.format("%H:%M").to_string()).collect::<Vec<_>>().join(", ");
                match lang {
                    Lang::Ko => format!(
                        "그 시간에 이미 다른 예약이 잡혀 있어 되돌릴 수 없습니다 ({times}): 필요하면 그 예약을 먼저 취소하세요"
                    ),
                    Lang::En => format!(
                        "that time has been booked since ({times}), so this is not undone: cancel that booking first if needed"
                    ),
                }
            }
            Why::Warnings(all) => {
                let reasons: Vec<String> = all.iter().map(|w| w.reason(lang)).collect();
                warning(lang, &reasons.join("; "))
            }
        }
    }

    /// A warning the desk may accept by saving again (the booking checks).
    pub fn is_warning(&self) -> bool {
        matches!(
            self,
            Why::Overlap(_)
                | Why::OutsideHours(_)
                | Why::ProviderBusy(_)
                | Why::OverCapacity { .. }
                | Why::SameDay(_)
                | Why::Warnings(_)
        )
    }

    /// A warning's reason without the "save again" tail (to join several).
    fn reason(&self, lang: Lang) -> String {
        let w = self.words(lang);
        let tail_ko = ". 그래도 잡으려면 한 번 더 저장(Ctrl-S)";
        let tail_en = ". Save again (Ctrl-S) to book anyway";
        w.strip_suffix(tail_ko).or_else(|| w.strip_suffix(tail_en)).unwrap_or(&w).to_string()
    }
}

impl DeskError {
    /// One line for the desk: the reason's words, or the store's own message.
    pub fn words(&self, lang: Lang) -> String {
        match self {
            DeskError::Field { why, .. } | DeskError::Refused(why) => why.words(lang),
            DeskError::Store(e) => e.to_string(),
        }
    }

    /// True when another terminal held the write lock (the app keeps the form and retries).
    pub fn is_busy(&self) -> bool {
        matches!(self, DeskError::Store(StoreError::Busy))
    }
}

impl From<StoreError> for DeskError {
    fn from(e: StoreError) -> Self {
        DeskError::Store(e)
    }
}

impl fmt::Display for DeskError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.words(Lang::En))
    }
}

impl std::error::Error for DeskError {}

pub type Result<T, E = DeskError> = std::result::Result<T, E>;

/// A booking warning's line: the reason, then how to book anyway.
fn warning(lang: Lang, reason: &str) -> String {
    match lang {
        Lang::Ko => format!("{reason}. 그래도 잡으려면 한 번 더 저장(Ctrl-S)"),
        Lang::En => {
            let mut r = reason.to_string();
            if let Some(c) = r.get(..1) {
                r = c.to_uppercase() + &r[1..];
            }
            format!("{r}. Save again (Ctrl-S) to book anyway")
        }
    }
}

/// A field error.
pub(crate) fn field<T>(field: &'static str, why: Why) -> Result<T> {
    Err(DeskError::Field { field, why })
}
