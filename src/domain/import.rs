//! CSV files as Korean Excel writes them (DESIGN §6): the kinds and their headers, the
//! encoding (UTF-8 with or without BOM, or CP949), and the field formats. Pure functions; the
//! store turns checked rows into records.

use chrono::{NaiveDate, NaiveDateTime};

/// What a CSV file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CsvKind {
    Patients,
    Appointments,
    Inquiries,
    Consultations,
    Complaints,
    Payments,
    /// Packages sold (`chart_no,sold_on,treatment,sessions,price_krw,provider,note`); an
    /// imported package records no payment (the EMR's payments file carries the money).
    Packages,
}

impl CsvKind {
    pub const ALL: [CsvKind; 7] = [
        CsvKind::Patients,
        CsvKind::Appointments,
        CsvKind::Inquiries,
        CsvKind::Consultations,
        CsvKind::Complaints,
        CsvKind::Payments,
        CsvKind::Packages,
    ];

    pub fn code(self) -> &'static str {
        match self {
            CsvKind::Patients => "patients",
            CsvKind::Appointments => "appointments",
            CsvKind::Inquiries => "inquiries",
            CsvKind::Consultations => "consultations",
            CsvKind::Complaints => "complaints",
            CsvKind::Payments => "payments",
            CsvKind::Packages => "packages",
        }
    }

    pub fn parse(s: &str) -> Option<CsvKind> {
        let t = s.trim().to_lowercase();
        CsvKind::ALL.iter().copied().find(|k| k.code() == t)
    }

    /// The header row, in the order export writes it.
    pub fn header(self) -> &'static [&'static str] {
        match self {
            CsvKind::Patients => &[
                "chart_no",
                "name",
                "phone",
                "birth_date",
                "sex",
                "first_visit",
                "referral_source",
                "referrer_chart_no",
                "tags",
                "note",
            ],
            CsvKind::Appointments => {
                &["chart_no", "start", "duration_min", "provider", "treatment", "status", "booked_at"]
            }
            CsvKind::Inquiries => &[
                "received_at",
                "caller_name",
                "phone",
                "channel",
                "topic",
                "questions",
                "referral_source",
                "referrer_chart_no",
                "outcome",
                "note",
            ],
            CsvKind::Consultations => &[
                "chart_no",
                "name",
                "phone",
                "consulted_at",
                "treatment",
                "quoted_krw",
                "offered_krw",
                "status",
                "recall_on",
                "reaction",
                "note",
            ],
            CsvKind::Complaints => {
                &["chart_no", "raised_at", "category", "description", "status", "resolved_at", "resolution"]
            }
            CsvKind::Payments => {
                &["chart_no", "paid_at", "amount_krw", "category", "treatment", "provider", "note"]
            }
            CsvKind::Packages => {
                &["chart_no", "sold_on", "treatment", "sessions", "price_krw", "provider", "note"]
            }
        }
    }
}

/// What a column holds, for a spreadsheet: how export writes its cells and how import reads
/// a cell the spreadsheet typed (a number, a serial date).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// Text, kept as typed (chart numbers and phones: never a number, so no zero is lost).
    Text,
    Date,
    DateTime,
    /// Whole won, shown as `#,##0원`.
    Won,
    /// A whole number (minutes).
    Integer,
}

/// The type of a column by its name (see [`CsvKind::header`]).
pub fn column_type(column: &str) -> ColumnType {
    match column {
        "birth_date" | "first_visit" | "recall_on" | "sold_on" => ColumnType::Date,
        "start" | "booked_at" | "received_at" | "consulted_at" | "raised_at" | "resolved_at" | "paid_at" => {
            ColumnType::DateTime
        }
        "quoted_krw" | "offered_krw" | "amount_krw" | "price_krw" => ColumnType::Won,
        "duration_min" | "sessions" => ColumnType::Integer,
        _ => ColumnType::Text,
    }
}

/// The Korean header a spreadsheet shows for a column; import reads it as the column's name.
pub fn column_label_ko(column: &str) -> &'static str {
    match column {
        "chart_no" => "차트번호",
        "name" => "이름",
        "phone" => "전화",
        "birth_date" => "생년월일",
        "sex" => "성별",
        "first_visit" => "첫 방문",
        "referral_source" => "내원 경로",
        "referrer_chart_no" => "소개자 차트번호",
        "tags" => "스티커",
        "note" => "메모",
        "start" => "예약 시각",
        "duration_min" => "소요(분)",
        "provider" => "담당",
        "treatment" => "치료",
        "status" => "상태",
        "booked_at" => "예약한 때",
        "received_at" => "문의 시각",
        "caller_name" => "문의자",
        "channel" => "인터넷 채널",
        "topic" => "문의 치료",
        "questions" => "질문",
        "outcome" => "결과",
        "consulted_at" => "상담 시각",
        "quoted_krw" => "견적 금액",
        "offered_krw" => "제안 금액",
        "recall_on" => "다시 연락할 날",
        "reaction" => "반응",
        "raised_at" => "접수 시각",
        "category" => "분류",
        "description" => "내용",
        "resolved_at" => "해결 시각",
        "resolution" => "조치",
        "paid_at" => "수납 시각",
        "amount_krw" => "금액",
        _ => "",
    }
}

/// A header cell as a column name: the name itself (any case), or its Korean label.
pub fn column_of_header(kind: CsvKind, cell: &str) -> String {
    let t = cell.trim().to_lowercase();
    kind.header().iter().find(|c| column_label_ko(c) == cell.trim()).map(|c| c.to_string()).unwrap_or(t)
}

/// Which encoding a file turned out to be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Cp949,
}

/// Decodes a file: valid UTF-8 (a BOM is dropped) is UTF-8; anything else is read as CP949
/// (EUC-KR as Korean Excel writes it). Bytes that are neither are refused.
pub fn decode(bytes: &[u8]) -> Result<(String, Encoding), String> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return std::str::from_utf8(rest)
            .map(|s| (s.to_string(), Encoding::Utf8Bom))
            .map_err(|_| "starts with a UTF-8 BOM but is not UTF-8".to_string());
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((s.to_string(), Encoding::Utf8));
    }
    let (text, had_errors) = encoding_rs::EUC_KR.decode_without_bom_handling(bytes);
    if had_errors {
        return Err("is neither UTF-8 nor CP949 (save it from Excel as CSV UTF-8 or CSV)".into());
    }
    Ok((text.into_owned(), Encoding::Cp949))
}

/// A date as spreadsheets write it (see [`super::parse::parse_date`]), telling a malformed
/// date from an impossible one.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    super::parse::parse_date(s)
}

/// A date and time as spreadsheets write them (see [`super::parse::parse_datetime`]); a date
/// alone is midnight.
pub fn parse_datetime(s: &str) -> Result<NaiveDateTime, String> {
    super::parse::parse_datetime(s)
}

/// A list cell: `price;method`, `price, method`, `price|method` or `price method`.
pub fn split_list(s: &str) -> Vec<String> {
    s.split([';', ',', '|', '/', ' ']).map(str::trim).filter(|x| !x.is_empty()).map(str::to_owned).collect()
}

/// A whole number of minutes, over zero.
pub fn parse_minutes(s: &str) -> Result<i64, String> {
    let t = s.trim().trim_end_matches('분').trim_end_matches("min").trim();
    match t.parse::<i64>() {
        Ok(n) if n > 0 && n <= 24 * 60 => Ok(n),
        _ => Err(format!("'{}' is not a number of minutes (1-1440)", s.trim())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf8_bom_and_cp949() {
        assert_eq!(decode("이름".as_bytes()).unwrap(), ("이름".to_string(), Encoding::Utf8));
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("이름".as_bytes());
        assert_eq!(decode(&bom).unwrap(), ("이름".to_string(), Encoding::Utf8Bom));
        let (cp, _, _) = encoding_rs::EUC_KR.encode("홍길동,소개");
        assert_eq!(decode(&cp).unwrap(), ("홍길동,소개".to_string(), Encoding::Cp949));
        assert!(decode(&[0xFF, 0xFF, 0xFF]).is_err());
    }

    #[test]
    fn dates_tell_malformed_from_impossible() {
        assert_eq!(parse_date("2026-02-28").unwrap(), NaiveDate::from_ymd_opt(2026, 2, 28).unwrap());
        assert_eq!(parse_date("1985-02-30").unwrap_err(), "'1985-02-30' is not a real date");
        assert!(parse_date("85/2/3").unwrap_err().contains("is not a date"));
        let t = parse_datetime("2026-11-23 09:30").unwrap();
        assert_eq!(t.format("%Y-%m-%dT%H:%M:%S").to_string(), "2026-11-23T09:30:00");
        assert_eq!(parse_datetime("2026-11-23T09:30:15").unwrap().format("%S").to_string(), "15");
        assert_eq!(parse_datetime("2026-11-23").unwrap().format("%H:%M").to_string(), "00:00");
        assert!(parse_datetime("2026-11-23 25:00").is_err());
    }

    #[test]
    fn lists_and_minutes() {
        assert_eq!(split_list("price; method"), ["price", "method"]);
        assert_eq!(split_list("가격,기간"), ["가격", "기간"]);
        assert!(split_list("").is_empty());
        assert_eq!(parse_minutes("30"), Ok(30));
        assert_eq!(parse_minutes("30분"), Ok(30));
        assert!(parse_minutes("0").is_err());
    }
}
