//! Text messages (issue 20), as pure functions: templates and their placeholders, the length
//! Korean carriers count (EUC-KR bytes: SMS up to 90, LMS up to 2,000), the advertising rules
//! (`(광고)` and the clinic's name first, the free opt-out number last, never 21:00-08:00),
//! consent and the mobile-number check.

use std::fmt;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

use super::Lang;

code_enum! {
    /// What a text is for. Each kind has one template.
    MessageKind {
        Reminder = "reminder", "예약 안내", "Reminder";
        NoShow = "no_show", "부도 안내", "No-show notice";
        HappyCall = "happy_call", "해피콜 문자", "Happy-call text";
        Recall = "recall", "리콜 문자", "Recall text";
        Free = "free", "개별 문자", "Free text";
    }
}

/// The placeholders a template may use.
pub const PLACEHOLDERS: &[&str] = &["name", "date", "time", "weekday", "provider", "clinic", "clinic_phone"];

/// The longest SMS, in EUC-KR bytes (Korean carriers' count: a Hangul syllable is 2 bytes).
pub const SMS_MAX_BYTES: usize = 90;
/// The longest LMS, in EUC-KR bytes.
pub const LMS_MAX_BYTES: usize = 2000;

/// The default template of each kind, in Korean (the clinic's texts are Korean by default).
pub fn default_body(kind: MessageKind) -> &'static str {
    match kind {
        MessageKind::Reminder => {
            "[{clinic}] {name}님, {date}({weekday}) {time} 예약 안내드립니다. 변경은 {clinic_phone}"
        }
        MessageKind::NoShow => {
            "[{clinic}] {name}님, {date}({weekday}) {time} 예약에 오시지 않아 연락드립니다. 다시 예약하시려면 {clinic_phone}로 전화 주세요."
        }
        MessageKind::HappyCall => {
            "[{clinic}] {name}님, 치료 후 불편하신 곳은 없으신가요? 궁금하신 점은 {clinic_phone}로 연락 주세요."
        }
        MessageKind::Recall => {
            "[{clinic}] {name}님, 상담하신 치료 안내드립니다. 편하실 때 {clinic_phone}로 연락 주시면 예약 도와드리겠습니다."
        }
        MessageKind::Free => "[{clinic}] {name}님, ",
    }
}

/// A template: the body with placeholders, and whether it advertises (an event or a package
/// promotion: sent only with marketing consent, marked and timed by the advertising rules).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pub kind: MessageKind,
    pub body: String,
    pub advertising: bool,
}

impl Template {
    pub fn default_of(kind: MessageKind) -> Template {
        Template { kind, body: default_body(kind).to_string(), advertising: false }
    }
}

/// A placeholder the template names that is not one of [`PLACEHOLDERS`], or an unclosed `{`.
pub fn check_template(body: &str) -> Result<(), String> {
    if body.trim().is_empty() {
        return Err("a template cannot be empty".into());
    }
    let mut rest = body;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return Err(format!(
                "'{{' without '}}' in the template; placeholders are {}",
                placeholder_list()
            ));
        };
        let name = &after[..close];
        if !PLACEHOLDERS.contains(&name) {
            return Err(format!("unknown placeholder {{{name}}}; use {}", placeholder_list()));
        }
        rest = &after[close + 1..];
    }
    Ok(())
}

/// What is wrong with a template, for the desk to word in its language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateProblem {
    Empty,
    /// A `{` with no `}` after it.
    Unclosed,
    /// A placeholder that is not one of [`PLACEHOLDERS`], by its name.
    Unknown(String),
}

impl TemplateProblem {
    /// One line for the desk, with the placeholders it may use.
    pub fn words(&self, lang: Lang) -> String {
        let list = placeholder_list();
        match (self, lang) {
            (TemplateProblem::Empty, Lang::Ko) => "문구가 비어 있습니다".into(),
            (TemplateProblem::Empty, Lang::En) => "a template cannot be empty".into(),
            (TemplateProblem::Unclosed, Lang::Ko) => {
                format!("'{{' 뒤에 '}}'가 없습니다. 쓸 수 있는 것: {list}")
            }
            (TemplateProblem::Unclosed, Lang::En) => format!("'{{' without '}}'; placeholders are {list}"),
            (TemplateProblem::Unknown(n), Lang::Ko) => {
                format!("모르는 자리표시 {{{n}}} - 쓸 수 있는 것: {list}")
            }
            (TemplateProblem::Unknown(n), Lang::En) => format!("unknown placeholder {{{n}}}; use {list}"),
        }
    }
}

/// The first problem of a template, if any (the same rules as [`check_template`]).
pub fn template_problem(body: &str) -> Option<TemplateProblem> {
    if body.trim().is_empty() {
        return Some(TemplateProblem::Empty);
    }
    let mut rest = body;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { return Some(TemplateProblem::Unclosed) };
        let name = &after[..close];
        if !PLACEHOLDERS.contains(&name) {
            return Some(TemplateProblem::Unknown(name.to_string()));
        }
        rest = &after[close + 1..];
    }
    None
}

fn placeholder_list() -> String {
    PLACEHOLDERS.iter().map(|p| format!("{{{p}}}")).collect::<Vec<_>>().join(" ")
}

/// What fills a template's placeholders for one text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Values {
    pub name: String,
    /// The appointment (or visit) the text is about; `{date}`, `{weekday}`, `{time}`.
    pub at: Option<NaiveDateTime>,
    pub provider: String,
    pub clinic: String,
    pub clinic_phone: String,
}

/// `11월 24일` / `Nov 24`.
pub fn date_text(d: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Ko => format!("{}월 {}일", d.month(), d.day()),
        Lang::En => d.format("%b %-d").to_string(),
    }
}

/// `화` / `Tue`.
pub fn weekday_text(d: NaiveDate, lang: Lang) -> &'static str {
    const KO: [&str; 7] = ["월", "화", "수", "목", "금", "토", "일"];
    const EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let i = d.weekday().num_days_from_monday() as usize;
    match lang {
        Lang::Ko => KO[i],
        Lang::En => EN[i],
    }
}

/// `14:30`.
pub fn time_text(t: NaiveTime) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

/// The template with its placeholders filled in. A placeholder with no value (no appointment
/// for `{date}`) becomes empty text.
pub fn render(body: &str, v: &Values, lang: Lang) -> String {
    let date = v.at.map(|t| date_text(t.date(), lang)).unwrap_or_default();
    let weekday = v.at.map(|t| weekday_text(t.date(), lang).to_string()).unwrap_or_default();
    let time = v.at.map(|t| time_text(t.time())).unwrap_or_default();
    let mut out = String::with_capacity(body.len() + 32);
    let mut rest = body;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let value = match &after[..close] {
            "name" => v.name.as_str(),
            "date" => date.as_str(),
            "time" => time.as_str(),
            "weekday" => weekday.as_str(),
            "provider" => v.provider.as_str(),
            "clinic" => v.clinic.as_str(),
            "clinic_phone" => v.clinic_phone.as_str(),
            _ => {
                // Not a placeholder: kept as typed.
                out.push('{');
                rest = after;
                continue;
            }
        };
        out.push_str(value);
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// The type a text is sent as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageType {
    Sms,
    Lms,
    /// Over [`LMS_MAX_BYTES`]: not sent.
    TooLong,
}

impl MessageType {
    pub fn of_bytes(bytes: usize) -> MessageType {
        if bytes <= SMS_MAX_BYTES {
            MessageType::Sms
        } else if bytes <= LMS_MAX_BYTES {
            MessageType::Lms
        } else {
            MessageType::TooLong
        }
    }

    /// SOLAPI's `type` value (sendMany.md: `"type": "SMS"`).
    pub fn code(self) -> &'static str {
        match self {
            MessageType::Sms => "SMS",
            MessageType::Lms => "LMS",
            MessageType::TooLong => "TOO_LONG",
        }
    }
}

impl fmt::Display for MessageType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A text's length as Korean carriers count it, and what cannot be sent in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Length {
    /// EUC-KR bytes (ASCII 1, Hangul and other KS X 1001 characters 2); a character EUC-KR
    /// cannot hold counts 2 and is listed in `unencodable`.
    pub bytes: usize,
    pub kind: MessageType,
    /// Characters a phone would show broken (emoji, some Hanja): the desk should remove them.
    pub unencodable: Vec<char>,
}

/// Counts `text` in EUC-KR bytes (with `encoding_rs`, the WHATWG EUC-KR encoder).
pub fn measure(text: &str) -> Length {
    let mut bytes = 0;
    let mut unencodable = Vec::new();
    let mut buf = [0u8; 4];
    for c in text.chars() {
        if c.is_ascii() {
            bytes += 1;
            continue;
        }
        let (encoded, _, had_errors) = encoding_rs::EUC_KR.encode(c.encode_utf8(&mut buf));
        if had_errors {
            bytes += 2;
            if !unencodable.contains(&c) {
                unencodable.push(c);
            }
        } else {
            bytes += encoded.len();
        }
    }
    Length { bytes, kind: MessageType::of_bytes(bytes), unencodable }
}

/// The advertising form of a text: `(광고)` and the clinic's name first, the free opt-out
/// number last (정보통신망법 §50: the law's marks for an advertising text).
pub fn advertising_text(body: &str, clinic: &str, opt_out_number: &str) -> String {
    let body = body.trim();
    let head = format!("(광고){}", clinic.trim());
    let body = body.strip_prefix(&head).map(str::trim_start).unwrap_or(body);
    format!("{head} {body}\n무료수신거부 {}", opt_out_number.trim())
}

/// Advertising texts are never sent from 21:00 to 08:00 (they wait for 08:00). `now` is the
/// store's clock, never the wall clock.
pub fn advertising_allowed_at(now: NaiveDateTime) -> bool {
    (8..21).contains(&now.hour())
}

/// When an advertising text held back at `now` may go: `now` itself in the day, else the next
/// 08:00.
pub fn advertising_window_opens(now: NaiveDateTime) -> NaiveDateTime {
    if advertising_allowed_at(now) {
        return now;
    }
    let eight = NaiveTime::from_hms_opt(8, 0, 0).unwrap_or_default();
    let day = if now.hour() >= 21 { now.date().succ_opt().unwrap_or(now.date()) } else { now.date() };
    day.and_time(eight)
}

/// Why a text is not sent to someone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipReason {
    NoPhone,
    NotMobile,
    /// The patient asked for no texts (informational opt-out recorded at the desk).
    OptedOut,
    /// An advertising text to someone without marketing consent.
    NoMarketingConsent,
    /// An advertising text between 21:00 and 08:00: it waits.
    QuietHours,
    /// Over 2,000 bytes.
    TooLong,
}

impl SkipReason {
    pub fn code(self) -> &'static str {
        match self {
            SkipReason::NoPhone => "no_phone",
            SkipReason::NotMobile => "not_mobile",
            SkipReason::OptedOut => "opted_out",
            SkipReason::NoMarketingConsent => "no_marketing_consent",
            SkipReason::QuietHours => "quiet_hours",
            SkipReason::TooLong => "too_long",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            SkipReason::NoPhone => lang.pick("전화번호 없음", "no phone number"),
            SkipReason::NotMobile => lang.pick("휴대폰 번호가 아님", "not a mobile number"),
            SkipReason::OptedOut => lang.pick("문자 수신 거부", "opted out of texts"),
            SkipReason::NoMarketingConsent => lang.pick("광고 수신 동의 없음", "no marketing consent"),
            SkipReason::QuietHours => {
                lang.pick("광고는 21시~8시 발송 금지 (8시에 발송)", "no ads 21:00-08:00 (waits for 08:00)")
            }
            SkipReason::TooLong => lang.pick("2,000바이트 초과", "over 2,000 bytes"),
        }
    }
}

/// The mobile number texts go to, as digits: 010, 011, 016, 017, 018 or 019, 10 or 11 digits
/// (010 always 11). Landlines, 070 and anything else are skipped with a reason.
pub fn mobile_number(phone: &str) -> Result<String, SkipReason> {
    let mut digits = super::phone::digits_of(phone);
    if digits.is_empty() {
        return Err(SkipReason::NoPhone);
    }
    if let Some(rest) = digits.strip_prefix("82").filter(|_| phone.trim_start().starts_with('+')) {
        digits = format!("0{}", rest.trim_start_matches('0'));
    }
    let prefix_ok = ["010", "011", "016", "017", "018", "019"].iter().any(|p| digits.starts_with(p));
    let len_ok =
        if digits.starts_with("010") { digits.len() == 11 } else { (10..=11).contains(&digits.len()) };
    if prefix_ok && len_ok { Ok(digits) } else { Err(SkipReason::NotMobile) }
}

/// What a patient agreed to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Consent {
    /// Asked at the desk for no texts at all (informational ones are sent unless this).
    pub texts_opted_out: bool,
    /// The day marketing consent was given; `None`: no advertising texts.
    pub marketing_consent_on: Option<NaiveDate>,
}

/// Whether a text may go now: consent, and for advertising the quiet hours.
pub fn may_send(advertising: bool, consent: Consent, now: NaiveDateTime) -> Result<(), SkipReason> {
    if consent.texts_opted_out {
        return Err(SkipReason::OptedOut);
    }
    if advertising {
        if consent.marketing_consent_on.is_none() {
            return Err(SkipReason::NoMarketingConsent);
        }
        if !advertising_allowed_at(now) {
            return Err(SkipReason::QuietHours);
        }
    }
    Ok(())
}

/// The exact text sent for a template: rendered, and in its advertising form when it advertises.
pub fn compose(t: &Template, v: &Values, opt_out_number: &str, lang: Lang) -> String {
    let text = render(&t.body, v, lang);
    if t.advertising { advertising_text(&text, &v.clinic, opt_out_number) } else { text }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap()
    }

    fn values() -> Values {
        Values {
            name: "김하나".into(),
            at: Some(at("2026-11-24T14:30")),
            provider: "이원장".into(),
            clinic: "바른한의원".into(),
            clinic_phone: "02-123-4567".into(),
        }
    }

    #[test]
    fn every_placeholder_is_filled() {
        let body = "{name} {date} {time} {weekday} {provider} {clinic} {clinic_phone}";
        assert_eq!(
            render(body, &values(), Lang::Ko),
            "김하나 11월 24일 14:30 화 이원장 바른한의원 02-123-4567"
        );
        assert_eq!(render("{date} {weekday}", &values(), Lang::En), "Nov 24 Tue");
        // Without an appointment the date placeholders are empty, not left as typed.
        let v = Values { at: None, ..values() };
        assert_eq!(render("{name}/{date}/{time}", &v, Lang::Ko), "김하나//");
        // Braces that are not placeholders stay.
        assert_eq!(render("{x} {name} {", &values(), Lang::Ko), "{x} 김하나 {");
    }

    #[test]
    fn templates_are_checked() {
        for kind in MessageKind::ALL {
            check_template(default_body(*kind)).unwrap();
        }
        assert!(check_template("{nme}님").unwrap_err().contains("{nme}"));
        assert!(check_template("{name").is_err());
        assert!(check_template("  ").is_err());
    }

    #[test]
    fn korean_text_counts_two_bytes_a_syllable() {
        assert_eq!(measure("abc").bytes, 3);
        assert_eq!(measure("가나다").bytes, 6);
        assert_eq!(measure("안녕하세요 010-1234-5678").bytes, 10 + 1 + 13);
        // 45 syllables are exactly one SMS; one more is an LMS.
        let s45 = "가".repeat(45);
        assert_eq!(measure(&s45), Length { bytes: 90, kind: MessageType::Sms, unencodable: vec![] });
        assert_eq!(measure(&format!("{s45}a")).kind, MessageType::Lms);
        assert_eq!(measure(&"가".repeat(1000)).kind, MessageType::Lms);
        assert_eq!(measure(&"가".repeat(1001)).kind, MessageType::TooLong);
        // An emoji has no EUC-KR form: counted 2 and reported.
        let m = measure("좋아요😀");
        assert_eq!(m.bytes, 8);
        assert_eq!(m.unencodable, vec!['😀']);
    }

    #[test]
    fn the_default_reminder_fits_one_sms() {
        let t = Template::default_of(MessageKind::Reminder);
        let text = compose(&t, &values(), "080-000-0000", Lang::Ko);
        assert_eq!(text, "[바른한의원] 김하나님, 11월 24일(화) 14:30 예약 안내드립니다. 변경은 02-123-4567");
        let m = measure(&text);
        assert_eq!(m.bytes, 80);
        assert_eq!(m.kind, MessageType::Sms);
        // The no-show notice, with its rebooking line, is longer: an LMS.
        let t = Template::default_of(MessageKind::NoShow);
        assert_eq!(measure(&compose(&t, &values(), "", Lang::Ko)).kind, MessageType::Lms);
    }

    #[test]
    fn advertising_texts_are_marked_first_and_last() {
        let t = Template {
            kind: MessageKind::Recall,
            body: "{name}님, 12월 추나 패키지 안내".into(),
            advertising: true,
        };
        let text = compose(&t, &values(), "080-123-4567", Lang::Ko);
        assert_eq!(text, "(광고)바른한의원 김하나님, 12월 추나 패키지 안내\n무료수신거부 080-123-4567");
        assert!(text.starts_with("(광고)바른한의원"));
        assert!(text.ends_with("무료수신거부 080-123-4567"));
        // A body that already starts with the mark is not marked twice.
        assert_eq!(
            advertising_text("(광고)바른한의원 안내", "바른한의원", "080"),
            "(광고)바른한의원 안내\n무료수신거부 080"
        );
    }

    #[test]
    fn advertising_waits_out_the_night_on_the_given_clock() {
        assert!(!advertising_allowed_at(at("2026-11-23T07:59")));
        assert!(advertising_allowed_at(at("2026-11-23T08:00")));
        assert!(advertising_allowed_at(at("2026-11-23T20:59")));
        assert!(!advertising_allowed_at(at("2026-11-23T21:00")));
        assert!(!advertising_allowed_at(at("2026-11-23T23:30")));
        assert_eq!(advertising_window_opens(at("2026-11-23T21:00")), at("2026-11-24T08:00"));
        assert_eq!(advertising_window_opens(at("2026-11-24T03:10")), at("2026-11-24T08:00"));
        assert_eq!(advertising_window_opens(at("2026-11-24T10:10")), at("2026-11-24T10:10"));

        let consented =
            Consent { texts_opted_out: false, marketing_consent_on: NaiveDate::from_ymd_opt(2026, 1, 5) };
        assert_eq!(may_send(true, consented, at("2026-11-23T21:30")), Err(SkipReason::QuietHours));
        assert_eq!(may_send(true, consented, at("2026-11-23T09:30")), Ok(()));
        // Informational texts are not held by the quiet hours.
        assert_eq!(may_send(false, Consent::default(), at("2026-11-23T21:30")), Ok(()));
        assert_eq!(
            may_send(true, Consent::default(), at("2026-11-23T09:30")),
            Err(SkipReason::NoMarketingConsent)
        );
        let opted_out = Consent { texts_opted_out: true, ..consented };
        assert_eq!(may_send(false, opted_out, at("2026-11-23T09:30")), Err(SkipReason::OptedOut));
    }

    #[test]
    fn only_mobile_numbers_get_texts() {
        assert_eq!(mobile_number("010-1234-5678"), Ok("01012345678".into()));
        assert_eq!(mobile_number("011-123-4567"), Ok("0111234567".into()));
        for p in ["016", "017", "018", "019"] {
            assert!(mobile_number(&format!("{p}-1234-5678")).is_ok(), "{p}");
        }
        assert_eq!(mobile_number("+82 10-1234-5678"), Ok("01012345678".into()));
        assert_eq!(mobile_number("02-123-4567"), Err(SkipReason::NotMobile));
        assert_eq!(mobile_number("031-123-4567"), Err(SkipReason::NotMobile));
        assert_eq!(mobile_number("070-1234-5678"), Err(SkipReason::NotMobile));
        assert_eq!(mobile_number("010-123-4567"), Err(SkipReason::NotMobile));
        assert_eq!(mobile_number(""), Err(SkipReason::NoPhone));
    }
}
