//! The clinic's settings as one TOML document (`frontdesk setup show` / `setup load`), and the
//! checks every setting passes wherever it is entered.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use super::{ClinicKind, Lang, QuestionKind, Role};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetupFile {
    pub clinic: ClinicSection,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub staff: Vec<StaffEntry>,
    #[serde(default, rename = "treatment", skip_serializing_if = "Vec::is_empty")]
    pub treatments: Vec<TreatmentEntry>,
    #[serde(default, rename = "referral_source", skip_serializing_if = "Vec::is_empty")]
    pub referral_sources: Vec<SourceEntry>,
    #[serde(default, rename = "referral_channel", skip_serializing_if = "Vec::is_empty")]
    pub referral_channels: Vec<LabelEntry>,
    #[serde(default, rename = "complaint_category", skip_serializing_if = "Vec::is_empty")]
    pub complaint_categories: Vec<LabelEntry>,
    #[serde(default, rename = "qa", skip_serializing_if = "Vec::is_empty")]
    pub qa: Vec<QaEntry>,
    #[serde(default)]
    pub dropout_weights: BTreeMap<String, i64>,
    /// Text messages: the clinic's phone the templates quote and the free opt-out number.
    #[serde(default, skip_serializing_if = "TextsSection::is_empty")]
    pub texts: TextsSection,
    /// One template per kind of text (issue 20); kinds left out keep theirs.
    #[serde(default, rename = "message_template", skip_serializing_if = "Vec::is_empty")]
    pub message_templates: Vec<MessageTemplateEntry>,
}

/// `[texts]`: what the text templates quote from the clinic.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextsSection {
    /// `{clinic_phone}` in the templates.
    #[serde(default)]
    pub clinic_phone: String,
    /// The free opt-out number (080-...) advertising texts end with.
    #[serde(default)]
    pub opt_out_number: String,
}

impl TextsSection {
    pub fn is_empty(&self) -> bool {
        self.clinic_phone.is_empty() && self.opt_out_number.is_empty()
    }
}

/// `[[message_template]]`: a kind of text and its template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessageTemplateEntry {
    /// reminder, no_show, happy_call, recall or free.
    pub kind: String,
    pub body: String,
    /// An advertising text: marketing consent only, `(광고)` and the opt-out number, 08:00-21:00.
    #[serde(default)]
    pub advertising: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClinicSection {
    #[serde(default)]
    pub name: String,
    pub kind: String,
    pub lang: String,
    /// mon tue wed thu fri sat sun
    pub open_days: Vec<String>,
    /// Weekday hours, `09:30-19:00`.
    pub hours: String,
    /// Saturday hours when they differ; empty: same as weekdays.
    #[serde(default)]
    pub saturday_hours: String,
    /// Lunch break, `13:00-14:00`; empty: none.
    #[serde(default)]
    pub lunch: String,
    /// Address and parking note the phone answers quote (`{parking}` in the Q&A manual).
    #[serde(default)]
    pub parking: String,
    /// The clinic's own closed days (`2026-12-31`), besides public holidays.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub closed_dates: Vec<String>,
    /// The clinic's own short days, `2026-12-24 09:30-13:00`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub short_days: Vec<String>,
    /// The booking grid's slot in minutes (5-120); 0: the default (30).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub slot_minutes: i64,
}

fn is_zero(n: &i64) -> bool {
    *n == 0
}

/// The lunch break a new clinic starts with.
pub const DEFAULT_LUNCH: &str = "13:00-14:00";

/// What the seeded phone answers say about the clinic, from its settings: the manual's
/// placeholders `{hours}`, `{saturday}`, `{lunch}`, `{closed}` and `{parking}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManualFacts {
    pub hours: String,
    pub saturday: String,
    pub lunch: String,
    pub closed: String,
    pub parking: String,
}

impl ManualFacts {
    pub fn of(c: &ClinicSection) -> ManualFacts {
        let open = |d: &str| c.open_days.iter().any(|x| x == d);
        let saturday = if !open("sat") {
            "휴진".to_string()
        } else if c.saturday_hours.trim().is_empty() {
            c.hours.clone()
        } else {
            c.saturday_hours.clone()
        };
        let korean = ["월", "화", "수", "목", "금", "토", "일"];
        let closed: Vec<String> =
            DAYS.iter().zip(korean).filter(|(d, _)| !open(d)).map(|(_, k)| format!("{k}요일")).collect();
        ManualFacts {
            hours: c.hours.clone(),
            saturday,
            lunch: if c.lunch.trim().is_empty() { "없음".into() } else { c.lunch.clone() },
            closed: if closed.is_empty() {
                "휴진일 없음".into()
            } else {
                format!("{} 휴진", closed.join(", "))
            },
            parking: if c.parking.trim().is_empty() {
                "주차/오시는 길 안내가 아직 없습니다: 설정(Ctrl-O) 병원 정보에 적어 주세요.".into()
            } else {
                c.parking.trim().to_string()
            },
        }
    }

    /// The text with the placeholders filled; other braces are left as they are.
    pub fn fill(&self, text: &str) -> String {
        text.replace("{hours}", &self.hours)
            .replace("{saturday}", &self.saturday)
            .replace("{lunch}", &self.lunch)
            .replace("{closed}", &self.closed)
            .replace("{parking}", &self.parking)
    }
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaffEntry {
    pub name: String,
    pub role: String,
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TreatmentEntry {
    pub code: String,
    pub ko: String,
    pub en: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub happy_call: bool,
    pub interval_days: i64,
    pub duration_min: i64,
    #[serde(default)]
    pub course_visits: i64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub risky: Vec<String>,
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub active: bool,
    /// At most this many visits of the treatment start in one clock hour (booking more
    /// warns); none: no cap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hourly_cap: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceEntry {
    pub code: String,
    pub ko: String,
    pub en: String,
    pub key: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelEntry {
    pub code: String,
    pub ko: String,
    pub en: String,
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QaEntry {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub treatment: String,
    pub kind: String,
    pub question: String,
    pub answer: String,
}

pub const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// The dropout reasons DESIGN §4 scores.
pub const DROPOUT_REASONS: [&str; 7] = [
    "missed_last_not_rebooked",
    "open_complaint",
    "overdue_gap",
    "course_unfinished",
    "left_without_booking",
    "prospect_callback_overdue",
    "package_finished",
];

/// A setting that failed its check: which table entry, which field, why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingError {
    /// `clinic`, `staff`, `treatment` ~ (the TOML table name).
    pub table: &'static str,
    /// 0-based entry in an array of tables; `None` for plain tables.
    pub index: Option<usize>,
    pub field: &'static str,
    pub message: String,
}

impl SettingError {
    fn new(
        table: &'static str,
        index: Option<usize>,
        field: &'static str,
        message: impl Into<String>,
    ) -> Self {
        SettingError { table, index, field, message: message.into() }
    }

    /// The message with the line of the offending field in `text`, when it can be found.
    pub fn describe(&self, text: &str) -> String {
        let at = match self.index {
            Some(i) => format!("[[{}]] #{}", self.table, i + 1),
            None => format!("[{}]", self.table),
        };
        match locate(text, self.table, self.index, self.field) {
            Some(line) => format!("line {line}: {at}, field `{}`: {}", self.field, self.message),
            None => format!("{at}, field `{}`: {}", self.field, self.message),
        }
    }
}

/// Finds the 1-based line of `field` inside the `index`-th `[[table]]` (or `[table]`).
fn locate(text: &str, table: &str, index: Option<usize>, field: &str) -> Option<usize> {
    let header = match index {
        Some(_) => format!("[[{table}]]"),
        None => format!("[{table}]"),
    };
    let want = index.unwrap_or(0);
    let mut seen = None;
    let mut header_line = None;
    for (n, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.starts_with('[') {
            if t == header {
                seen = Some(seen.map_or(0, |s: usize| s + 1));
                if seen == Some(want) {
                    header_line = Some(n + 1);
                    continue;
                }
            }
            if header_line.is_some() {
                break;
            }
            continue;
        }
        if header_line.is_some() {
            let key = t.split('=').next().unwrap_or("").trim();
            if key == field {
                return Some(n + 1);
            }
        }
    }
    header_line
}

/// Codes are short lowercase identifiers, so they read the same in CSV files and reports.
pub fn check_code(code: &str) -> Result<(), String> {
    if code.is_empty() {
        return Err("code is empty".into());
    }
    if code.len() > 32 || !code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
        return Err(format!("code '{code}' must be lowercase letters, digits and _ (at most 32)"));
    }
    Ok(())
}

/// `09:30-19:00`.
pub fn check_hours(h: &str) -> Result<(), String> {
    let parse = |s: &str| chrono::NaiveTime::parse_from_str(s.trim(), "%H:%M").ok();
    match h.split_once('-') {
        Some((a, b)) => match (parse(a), parse(b)) {
            (Some(a), Some(b)) if a < b => Ok(()),
            (Some(_), Some(_)) => Err(format!("'{h}': closing must be after opening")),
            _ => Err(format!("'{h}' is not hours like 09:30-19:00")),
        },
        None => Err(format!("'{h}' is not hours like 09:30-19:00")),
    }
}

impl SetupFile {
    /// Parses and checks; errors name the line and the field.
    pub fn parse(text: &str) -> Result<SetupFile, String> {
        let file: SetupFile = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| text[..s.start].matches('\n').count() + 1);
            match line {
                Some(l) => format!("line {l}: {}", e.message().trim()),
                None => e.message().trim().to_string(),
            }
        })?;
        file.check().map_err(|e| e.describe(text))?;
        Ok(file)
    }

    /// Every rule a setting must follow.
    pub fn check(&self) -> Result<(), SettingError> {
        let c = &self.clinic;
        if ClinicKind::parse(&c.kind).is_none() {
            return Err(SettingError::new(
                "clinic",
                None,
                "kind",
                format!("'{}' is not hanui, dental, physio, eye or other", c.kind),
            ));
        }
        if Lang::parse(&c.lang).is_none() {
            return Err(SettingError::new("clinic", None, "lang", format!("'{}' is not ko or en", c.lang)));
        }
        for d in &c.open_days {
            if !DAYS.contains(&d.as_str()) {
                return Err(SettingError::new(
                    "clinic",
                    None,
                    "open_days",
                    format!("'{d}' is not one of {}", DAYS.join(", ")),
                ));
            }
        }
        check_hours(&c.hours).map_err(|m| SettingError::new("clinic", None, "hours", m))?;
        if !c.saturday_hours.is_empty() {
            check_hours(&c.saturday_hours)
                .map_err(|m| SettingError::new("clinic", None, "saturday_hours", m))?;
        }
        if !c.lunch.is_empty() {
            check_hours(&c.lunch).map_err(|m| SettingError::new("clinic", None, "lunch", m))?;
        }
        for d in &c.closed_dates {
            super::parse::parse_date(d).map_err(|m| SettingError::new("clinic", None, "closed_dates", m))?;
        }
        for d in &c.short_days {
            if super::calendar::parse_short_day(d).is_none() {
                return Err(SettingError::new(
                    "clinic",
                    None,
                    "short_days",
                    format!("'{d}' is not a date and hours like 2026-12-24 09:30-13:00"),
                ));
            }
        }
        if c.slot_minutes != 0 && !super::rules::SLOT_MINUTES.contains(c.slot_minutes) {
            let msg = format!("{} minutes", super::rules::SLOT_MINUTES.must_be());
            return Err(SettingError::new("clinic", None, "slot_minutes", msg));
        }
        let mut names = HashSet::new();
        for (i, s) in self.staff.iter().enumerate() {
            if s.name.trim().is_empty() {
                return Err(SettingError::new("staff", Some(i), "name", "is empty"));
            }
            if !names.insert(s.name.trim()) {
                return Err(SettingError::new(
                    "staff",
                    Some(i),
                    "name",
                    format!("'{}' is listed twice", s.name),
                ));
            }
            if Role::parse(&s.role).is_none() {
                return Err(SettingError::new(
                    "staff",
                    Some(i),
                    "role",
                    format!("'{}' is not director, desk or treatment", s.role),
                ));
            }
        }
        let categories: HashSet<&str> = self.complaint_categories.iter().map(|c| c.code.as_str()).collect();
        let mut codes = HashSet::new();
        for (i, t) in self.treatments.iter().enumerate() {
            check_code(&t.code).map_err(|m| SettingError::new("treatment", Some(i), "code", m))?;
            if !codes.insert(t.code.as_str()) {
                return Err(SettingError::new(
                    "treatment",
                    Some(i),
                    "code",
                    format!("'{}' is listed twice", t.code),
                ));
            }
            check_labels(&t.ko, &t.en).map_err(|(f, m)| SettingError::new("treatment", Some(i), f, m))?;
            if t.interval_days <= 0 || t.interval_days > 3650 {
                return Err(SettingError::new(
                    "treatment",
                    Some(i),
                    "interval_days",
                    "must be between 1 and 3650 days",
                ));
            }
            if !super::rules::DURATION_MINUTES.contains(t.duration_min) {
                return Err(SettingError::new(
                    "treatment",
                    Some(i),
                    "duration_min",
                    "must be between 1 and 600 minutes",
                ));
            }
            if t.hourly_cap.is_some_and(|c| !super::rules::HOURLY_CAP.contains(c)) {
                return Err(SettingError::new(
                    "treatment",
                    Some(i),
                    "hourly_cap",
                    super::rules::HOURLY_CAP.must_be(),
                ));
            }
            if t.course_visits < 0 {
                return Err(SettingError::new("treatment", Some(i), "course_visits", "must not be negative"));
            }
            if let Some(r) = t.risky.iter().find(|r| !categories.contains(r.as_str())) {
                return Err(SettingError::new(
                    "treatment",
                    Some(i),
                    "risky",
                    format!("'{r}' is not a complaint category"),
                ));
            }
        }
        let mut source_codes = HashSet::new();
        let mut keys = HashSet::new();
        for (i, s) in self.referral_sources.iter().enumerate() {
            check_code(&s.code).map_err(|m| SettingError::new("referral_source", Some(i), "code", m))?;
            if !source_codes.insert(s.code.as_str()) {
                return Err(SettingError::new(
                    "referral_source",
                    Some(i),
                    "code",
                    format!("'{}' is listed twice", s.code),
                ));
            }
            check_labels(&s.ko, &s.en)
                .map_err(|(f, m)| SettingError::new("referral_source", Some(i), f, m))?;
            let mut chars = s.key.chars();
            match (chars.next(), chars.next()) {
                (Some(k), None) if k.is_ascii_lowercase() => {
                    if !keys.insert(k) {
                        return Err(SettingError::new(
                            "referral_source",
                            Some(i),
                            "key",
                            format!("'{k}' is already another source's key"),
                        ));
                    }
                }
                _ => {
                    return Err(SettingError::new(
                        "referral_source",
                        Some(i),
                        "key",
                        "must be one lowercase letter",
                    ));
                }
            }
        }
        if !self.referral_channels.is_empty() && !source_codes.contains("internet") {
            return Err(SettingError::new(
                "referral_channel",
                Some(0),
                "code",
                "internet channels need the `internet` referral source",
            ));
        }
        for (table, list) in [
            ("referral_channel", &self.referral_channels),
            ("complaint_category", &self.complaint_categories),
        ] {
            let mut seen = HashSet::new();
            for (i, e) in list.iter().enumerate() {
                check_code(&e.code).map_err(|m| SettingError::new(table, Some(i), "code", m))?;
                if !seen.insert(e.code.as_str()) {
                    return Err(SettingError::new(
                        table,
                        Some(i),
                        "code",
                        format!("'{}' is listed twice", e.code),
                    ));
                }
                check_labels(&e.ko, &e.en).map_err(|(f, m)| SettingError::new(table, Some(i), f, m))?;
            }
        }
        for (i, q) in self.qa.iter().enumerate() {
            if !q.treatment.is_empty() && !codes.contains(q.treatment.as_str()) {
                return Err(SettingError::new(
                    "qa",
                    Some(i),
                    "treatment",
                    format!("'{}' is not a treatment", q.treatment),
                ));
            }
            if QuestionKind::parse(&q.kind).is_none() {
                return Err(SettingError::new(
                    "qa",
                    Some(i),
                    "kind",
                    format!("'{}' is not price, method, duration, insurance, hours or other", q.kind),
                ));
            }
            if q.question.trim().is_empty() {
                return Err(SettingError::new("qa", Some(i), "question", "is empty"));
            }
            if q.answer.trim().is_empty() {
                return Err(SettingError::new("qa", Some(i), "answer", "is empty"));
            }
        }
        for (reason, w) in &self.dropout_weights {
            if !DROPOUT_REASONS.contains(&reason.as_str()) {
                return Err(SettingError::new(
                    "dropout_weights",
                    None,
                    "reason",
                    format!("'{reason}' is not one of {}", DROPOUT_REASONS.join(", ")),
                ));
            }
            if !(0..=10).contains(w) {
                return Err(SettingError::new(
                    "dropout_weights",
                    None,
                    "weight",
                    format!("{reason} = {w}: weights are 0 to 10"),
                ));
            }
        }
        for (i, t) in self.message_templates.iter().enumerate() {
            if super::messages::MessageKind::parse(&t.kind).is_none() {
                return Err(SettingError::new(
                    "message_template",
                    Some(i),
                    "kind",
                    format!("'{}' is not reminder, no_show, happy_call, recall or free", t.kind),
                ));
            }
            super::messages::check_template(&t.body)
                .map_err(|m| SettingError::new("message_template", Some(i), "body", m))?;
        }
        Ok(())
    }

    pub fn to_toml(&self) -> String {
        let body = toml::to_string(self).unwrap_or_default();
        format!(
            "# frontdesk settings: `frontdesk setup load FILE` applies a file of this shape.\n\
             # Entries left out are retired (never deleted); codes in use stay on old records.\n\n{body}"
        )
    }
}

fn check_labels(ko: &str, en: &str) -> Result<(), (&'static str, String)> {
    if ko.trim().is_empty() {
        return Err(("ko", "the Korean name is empty".into()));
    }
    if en.trim().is_empty() {
        return Err(("en", "the English name is empty".into()));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
