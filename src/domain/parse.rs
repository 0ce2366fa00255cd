//! Amounts, dates and times as people type them and as Korean spreadsheets write them: one
//! parser shared by the forms (`domain::dates`, `domain::text::parse_won`) and the imports
//! (`domain::import`). What is read is listed in each function; anything else is refused with
//! the accepted forms named, and values outside a plausible range are refused too.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

/// The accepted amount forms, for messages.
pub const AMOUNT_FORMS: &str = "4,900,000 / ₩4,900,000 / 4900000원 / 490만원 / 3천만원 / 1억 2천만";
/// The accepted date forms, for messages.
pub const DATE_FORMS: &str = "2025-06-02 / 2025. 6. 2. / 2025/06/02 / 2025.06.02 / 20250602";
/// The accepted time forms, for messages.
pub const TIME_FORMS: &str = "17:20 / 17:20:00 / 오후 5:20 / 오전 9:05:30 / 5:20 PM";

/// The earliest year a date may have (a birth date, a first visit, an old record).
pub const MIN_YEAR: i32 = 1900;
/// The latest year a date may have (a recall, an appointment far ahead).
pub const MAX_YEAR: i32 = 2100;

/// The largest amount read (one trillion won): anything larger is a slip of the keyboard.
pub const MAX_AMOUNT: i64 = 1_000_000_000_000;

/// Whether a minus sign is allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sign {
    NonNegative,
    AllowNegative,
}

/// An amount in won. Read: digits with `,` (or spaces) between groups of three; `₩`, `￦`, or
/// the `?` a CP949 file leaves for `₩`, before; `원` after; the units `억`, `만`, `천`, `백`,
/// `십` in any sensible combination (`490만원`, `3천만원`, `1억 2천만`, `1억5000만`, `2만 5천`);
/// a leading `-` only when `sign` allows it. Refused: commas not in thousands (`1,2,3`), a
/// sign or other character in the middle (`1억-99999999`), units out of order (`5만 1억`),
/// decimals, and amounts over [`MAX_AMOUNT`].
pub fn parse_amount(input: &str, sign: Sign) -> Result<i64, String> {
    let t = input.trim();
    let bad = || format!("'{t}' is not an amount in won (accepted: {AMOUNT_FORMS})");
    if t.is_empty() {
        return Err(format!("the amount is empty (accepted: {AMOUNT_FORMS})"));
    }
    let mut s = t;
    let negative = if let Some(rest) = s.strip_prefix('-') {
        if sign == Sign::NonNegative {
            return Err(format!("'{t}': the amount cannot be negative here"));
        }
        s = rest.trim_start();
        true
    } else {
        false
    };
    for prefix in ['₩', '￦', '?'] {
        if let Some(rest) = s.strip_prefix(prefix) {
            s = rest.trim_start();
            break;
        }
    }
    if let Some(rest) = s.strip_suffix('원') {
        s = rest.trim_end();
    }
    if s.is_empty() {
        return Err(bad());
    }
    let chars: Vec<char> = s.chars().collect();
    let mut total: i64 = 0;
    let mut group: i64 = 0; // below the current big unit (만 or 억)
    let mut number: Option<i64> = None;
    let mut last_big = i64::MAX;
    let mut last_small = i64::MAX;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            if number.is_some() {
                return Err(bad());
            }
            // A run of digits, with `,` or spaces between groups of three.
            let mut groups: Vec<String> = vec![String::new()];
            while i < chars.len() {
                let c = chars[i];
                if c.is_ascii_digit() {
                    groups.last_mut().expect("one group").push(c);
                    i += 1;
                } else if (c == ',' || c == ' ')
                    && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit())
                    && !groups.last().expect("one group").is_empty()
                {
                    groups.push(String::new());
                    i += 1;
                } else {
                    break;
                }
            }
            let grouped = groups.len() > 1;
            if grouped
                && (groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3) || groups[0].is_empty())
            {
                return Err(bad());
            }
            let digits: String = groups.concat();
            number = Some(digits.parse::<i64>().map_err(|_| bad())?);
            continue;
        }
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let small = match c {
            '천' => Some(1_000),
            '백' => Some(100),
            '십' => Some(10),
            _ => None,
        };
        let big = match c {
            '억' => Some(100_000_000),
            '만' => Some(10_000),
            _ => None,
        };
        if let Some(unit) = small {
            if unit >= last_small {
                return Err(bad());
            }
            last_small = unit;
            let n = number.take().unwrap_or(1);
            if n >= 10 {
                return Err(bad()); // `12천` is not how anyone writes 12,000
            }
            group = group.checked_add(n * unit).ok_or_else(bad)?;
        } else if let Some(unit) = big {
            if unit >= last_big {
                return Err(bad());
            }
            last_big = unit;
            last_small = i64::MAX;
            let part = group + number.take().unwrap_or(if group == 0 { 1 } else { 0 });
            if part >= 10_000 && unit == 10_000 {
                return Err(bad()); // `10000만` is 1억
            }
            total = part.checked_mul(unit).and_then(|v| total.checked_add(v)).ok_or_else(bad)?;
            group = 0;
        } else {
            return Err(bad());
        }
        i += 1;
    }
    let rest = group + number.unwrap_or(0);
    if last_big != i64::MAX && rest >= last_big {
        return Err(bad()); // `1만 20000`
    }
    total = total.checked_add(rest).ok_or_else(bad)?;
    if total > MAX_AMOUNT {
        return Err(format!("'{t}' is too large for an amount in won"));
    }
    Ok(if negative { -total } else { total })
}

fn in_range(d: NaiveDate, t: &str) -> Result<NaiveDate, String> {
    use chrono::Datelike;
    if (MIN_YEAR..=MAX_YEAR).contains(&d.year()) {
        Ok(d)
    } else {
        Err(format!("'{t}' is out of range (years {MIN_YEAR}-{MAX_YEAR})"))
    }
}

/// A calendar date. Read: `2025-06-02`, `2025-6-2`, `2025. 6. 2.` (as Korean Excel shows it,
/// the last dot optional), `2025.06.02`, `2025/06/02`, `20250602`. Refused: another order
/// (`02/06/2025`), two-digit years, impossible days (`2025-02-30`) and years outside
/// [`MIN_YEAR`]-[`MAX_YEAR`].
pub fn parse_date(input: &str) -> Result<NaiveDate, String> {
    let t = input.trim();
    let malformed = || format!("'{t}' is not a date (accepted: {DATE_FORMS})");
    if t.is_empty() {
        return Err(format!("the date is empty (accepted: {DATE_FORMS})"));
    }
    let (y, m, d) = if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
        (&t[..4], &t[4..6], &t[6..])
    } else {
        let sep = ['-', '.', '/'].into_iter().find(|c| t.contains(*c)).ok_or_else(malformed)?;
        let body = if sep == '.' { t.strip_suffix('.').unwrap_or(t) } else { t };
        let parts: Vec<&str> = body.split(sep).map(str::trim).collect();
        if parts.len() != 3 {
            return Err(malformed());
        }
        (parts[0], parts[1], parts[2])
    };
    let digits = |p: &str, len: std::ops::RangeInclusive<usize>| {
        len.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(y, 4..=4) || !digits(m, 1..=2) || !digits(d, 1..=2) {
        return Err(malformed());
    }
    let (y, m, d) = (
        y.parse().map_err(|_| malformed())?,
        m.parse().map_err(|_| malformed())?,
        d.parse().map_err(|_| malformed())?,
    );
    let date = NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| format!("'{t}' is not a real date"))?;
    in_range(date, t)
}

/// A time of day. Read: `H:MM` or `H:MM:SS` (24-hour), with `오전`/`오후` before it
/// (`오후 5:20`, as Korean Excel shows it) or `AM`/`PM` after it (12-hour). Refused: hours
/// over 23 (over 12 with 오전/오후), minutes or seconds over 59 (`10:00:60`), other shapes.
pub fn parse_time(input: &str) -> Result<NaiveTime, String> {
    let t = input.trim();
    let malformed = || format!("'{t}' is not a time (accepted: {TIME_FORMS})");
    if t.is_empty() {
        return Err(format!("the time is empty (accepted: {TIME_FORMS})"));
    }
    let mut body = t;
    let mut half: Option<bool> = None; // Some(true) = afternoon
    for (word, pm) in
        [("오전", false), ("오후", true), ("AM", false), ("PM", true), ("am", false), ("pm", true)]
    {
        if let Some(rest) = body.strip_prefix(word) {
            body = rest.trim_start();
            half = Some(pm);
            break;
        }
        if let Some(rest) = body.strip_suffix(word) {
            body = rest.trim_end();
            half = Some(pm);
            break;
        }
    }
    let parts: Vec<&str> = body.split(':').collect();
    let ok = |p: &str, len: std::ops::RangeInclusive<usize>| {
        len.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
    };
    if !(2..=3).contains(&parts.len()) || !ok(parts[0], 1..=2) || !parts[1..].iter().all(|p| ok(p, 2..=2)) {
        return Err(malformed());
    }
    let num = |p: &str| p.parse::<u32>().map_err(|_| malformed());
    let (mut h, m, s) = (num(parts[0])?, num(parts[1])?, if parts.len() == 3 { num(parts[2])? } else { 0 });
    let invalid = || format!("'{t}' is not a real time (hours 0-23, minutes and seconds 0-59)");
    if let Some(pm) = half {
        if h > 12 {
            return Err(invalid());
        }
        h = match (pm, h) {
            (false, 12) => 0,
            (true, 12) => 12,
            (true, h) => h + 12,
            (false, h) => h,
        };
    }
    if h > 23 || m > 59 || s > 59 {
        return Err(invalid());
    }
    NaiveTime::from_hms_opt(h, m, s).ok_or_else(invalid)
}

/// A date with a time: [`parse_date`], then a space or `T`, then [`parse_time`]
/// (`2025-06-02 17:20`, `2025-06-02T17:20:00`, `2025. 6. 2. 오후 5:20`,
/// `2025-06-02 오후 5:20:00`, `2025/06/02 17:20`). A date alone is midnight.
pub fn parse_datetime(input: &str) -> Result<NaiveDateTime, String> {
    let t = input.trim();
    if t.is_empty() {
        return Err(format!("the date and time are empty (e.g. 2025-06-02 17:20 or {DATE_FORMS})"));
    }
    if let Ok(d) = parse_date(t) {
        return Ok(d.and_time(NaiveTime::MIN));
    }
    // The time starts at `T`, or at the first space followed by a time (the date may contain
    // spaces itself: `2025. 6. 2. 오후 5:20`).
    let split = t.find('T').map(|i| (&t[..i], &t[i + 1..])).or_else(|| {
        t.char_indices()
            .filter(|(_, c)| *c == ' ')
            .map(|(i, _)| (&t[..i], t[i + 1..].trim_start()))
            .find(|(d, time)| parse_date(d).is_ok() && !time.is_empty())
    });
    let Some((date, time)) = split else {
        // A date that is well formed but impossible says so, with or without a time after it.
        let date_part = t.split_once(' ').map_or(t, |(d, _)| d);
        return Err(match parse_date(date_part) {
            Err(e) if e.contains("not a real") || e.contains("out of range") => e,
            _ => format!("'{t}' is not a date and time (e.g. 2025-06-02 17:20, 2025. 6. 2. 오후 5:20)"),
        });
    };
    let date = parse_date(date)?;
    let time = parse_time(time).map_err(|e| format!("'{t}': {e}"))?;
    Ok(date.and_time(time))
}

/// A birth date: [`parse_date`], not after `today` and not before [`MIN_YEAR`].
pub fn parse_birth_date(input: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    let d = parse_date(input)?;
    if d > today {
        return Err(format!("'{}' is in the future; a birth date cannot be", input.trim()));
    }
    Ok(d)
}

/// A date and time from a spreadsheet's serial number (days since 1899-12-30, the fraction
/// the time of day), as .xlsx files store dates; None when out of range.
pub fn from_serial(serial: f64) -> Option<NaiveDateTime> {
    if !serial.is_finite() || serial < 1.0 {
        return None;
    }
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?.and_time(NaiveTime::MIN);
    let seconds = (serial * 86_400.0).round() as i64;
    let t = base.checked_add_signed(chrono::Duration::seconds(seconds))?;
    in_range(t.date(), &serial.to_string()).ok()?;
    Some(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    fn hms(h: u32, m: u32, s: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, s).unwrap()
    }

    #[test]
    fn amounts_accepted() {
        let cases: &[(&str, i64)] = &[
            ("4900000", 4_900_000),
            ("4,900,000", 4_900_000),
            ("₩4,900,000", 4_900_000),
            ("￦4,900,000", 4_900_000),
            ("?4,900,000", 4_900_000), // ₩ as a CP949 file keeps it
            ("4,900,000원", 4_900_000),
            ("4900000 원", 4_900_000),
            (" ₩ 4,900,000 ", 4_900_000),
            ("4 900 000", 4_900_000),
            ("490만원", 4_900_000),
            ("490만", 4_900_000),
            ("3천만원", 30_000_000),
            ("1억 2천만", 120_000_000),
            ("1억2천만원", 120_000_000),
            ("1억5000만", 150_000_000),
            ("1억 5,000만", 150_000_000),
            ("2만 5천", 25_000),
            ("2만5천원", 25_000),
            ("만원", 10_000),
            ("억", 100_000_000),
            ("3천5백만", 35_000_000),
            ("5백", 500),
            ("1억 1", 100_000_001),
            ("0", 0),
            ("0원", 0),
        ];
        for (s, n) in cases {
            assert_eq!(parse_amount(s, Sign::NonNegative), Ok(*n), "{s}");
        }
        assert_eq!(parse_amount("-50,000", Sign::AllowNegative), Ok(-50_000));
        assert_eq!(parse_amount("-5만원", Sign::AllowNegative), Ok(-50_000));
    }

    #[test]
    fn amounts_refused() {
        for s in [
            "",
            "원",
            "₩",
            "1억-99999999",
            "1,2,3",
            "12,34",
            "1234,567",
            ",123",
            "123,",
            "4.9",
            "4,900,000.00",
            "abc",
            "5만 1억",
            "1만 2만",
            "3백5천",
            "12천",
            "10000만",
            "1만 20000",
            "1 2 3",
            "--5",
            "5-",
            "2조",
            "99999999999999999999",
            "1억억",
        ] {
            let e = parse_amount(s, Sign::AllowNegative);
            assert!(e.is_err(), "{s:?} was read as {e:?}");
        }
        let e = parse_amount("1,2,3", Sign::NonNegative).unwrap_err();
        assert!(e.contains("accepted: 4,900,000"), "{e}");
        assert!(parse_amount("-50,000", Sign::NonNegative).unwrap_err().contains("cannot be negative"));
        assert!(parse_amount("10001억", Sign::NonNegative).unwrap_err().contains("too large"));
        assert_eq!(parse_amount("1,000,000,000,000", Sign::NonNegative), Ok(MAX_AMOUNT));
    }

    #[test]
    fn dates_accepted() {
        for s in [
            "2025-06-02",
            "2025-6-2",
            "2025. 6. 2.",
            "2025. 6. 2",
            "2025.6.2.",
            "2025.06.02",
            "2025/06/02",
            "2025/6/2",
            "20250602",
            " 2025-06-02 ",
        ] {
            assert_eq!(parse_date(s), Ok(d(2025, 6, 2)), "{s}");
        }
        assert_eq!(parse_date("1900-01-01"), Ok(d(1900, 1, 1)));
        assert_eq!(parse_date("2100-12-31"), Ok(d(2100, 12, 31)));
    }

    #[test]
    fn dates_refused() {
        for s in
            ["", "abc", "02/06/2025", "25-06-02", "2025-06", "2025-06-02-01", "2025-0602", "2025년 6월 2일"]
        {
            let e = parse_date(s).unwrap_err();
            assert!(e.contains("accepted") || e.contains("empty"), "{s}: {e}");
        }
        assert_eq!(parse_date("2025-02-30").unwrap_err(), "'2025-02-30' is not a real date");
        assert!(parse_date("9999-12-31").unwrap_err().contains("out of range"));
        assert!(parse_date("1899-12-31").unwrap_err().contains("out of range"));
    }

    #[test]
    fn times_accepted() {
        let cases: &[(&str, NaiveTime)] = &[
            ("17:20", hms(17, 20, 0)),
            ("9:05", hms(9, 5, 0)),
            ("09:05:30", hms(9, 5, 30)),
            ("0:00", hms(0, 0, 0)),
            ("23:59:59", hms(23, 59, 59)),
            ("오후 5:20", hms(17, 20, 0)),
            ("오후5:20:00", hms(17, 20, 0)),
            ("오전 9:05:30", hms(9, 5, 30)),
            ("오전 12:10", hms(0, 10, 0)),
            ("오후 12:10", hms(12, 10, 0)),
            ("5:20 PM", hms(17, 20, 0)),
            ("5:20 AM", hms(5, 20, 0)),
        ];
        for (s, t) in cases {
            assert_eq!(parse_time(s), Ok(*t), "{s}");
        }
    }

    #[test]
    fn times_refused() {
        for s in
            ["10:00:60", "24:00", "25:00", "10:60", "오후 13:00", "1:2", "10", "10:00:00:00", "x", "", "오후"]
        {
            assert!(parse_time(s).is_err(), "{s} was read as {:?}", parse_time(s));
        }
        assert!(parse_time("10:00:60").unwrap_err().contains("not a real time"));
    }

    #[test]
    fn dates_with_times() {
        let at = |y, m, dd, h, mi, s| d(y, m, dd).and_time(hms(h, mi, s));
        let cases: &[(&str, NaiveDateTime)] = &[
            ("2025-06-02 17:20", at(2025, 6, 2, 17, 20, 0)),
            ("2025-06-02T17:20:15", at(2025, 6, 2, 17, 20, 15)),
            ("2025. 6. 2. 오후 5:20", at(2025, 6, 2, 17, 20, 0)),
            ("2025-06-02 오후 5:20:00", at(2025, 6, 2, 17, 20, 0)),
            ("2025/06/02 09:30", at(2025, 6, 2, 9, 30, 0)),
            ("2025.06.02 9:30", at(2025, 6, 2, 9, 30, 0)),
            ("2025-06-02", at(2025, 6, 2, 0, 0, 0)),
            ("2025. 6. 2.", at(2025, 6, 2, 0, 0, 0)),
        ];
        for (s, t) in cases {
            assert_eq!(parse_datetime(s), Ok(*t), "{s}");
        }
        for s in
            ["2025-06-02 10:00:60", "2025-06-02 25:00", "2025-02-30 10:00", "9999-12-31 10:00", "soon", ""]
        {
            assert!(parse_datetime(s).is_err(), "{s} was read as {:?}", parse_datetime(s));
        }
        assert!(parse_datetime("2025-06-02 10:00:60").unwrap_err().contains("not a real time"));
        assert!(parse_datetime("2025-02-30").unwrap_err().contains("not a real date"));
    }

    #[test]
    fn birth_dates_are_not_in_the_future_nor_before_1900() {
        let today = d(2026, 11, 23);
        assert_eq!(parse_birth_date("1980-01-02", today), Ok(d(1980, 1, 2)));
        assert_eq!(parse_birth_date("2026-11-23", today), Ok(today));
        assert!(parse_birth_date("2026-11-24", today).unwrap_err().contains("future"));
        assert!(parse_birth_date("9999-12-31", today).is_err());
        assert!(parse_birth_date("1850-01-01", today).unwrap_err().contains("out of range"));
    }

    #[test]
    fn spreadsheet_serial_dates() {
        assert_eq!(from_serial(45810.0), Some(d(2025, 6, 2).and_time(NaiveTime::MIN)));
        assert_eq!(from_serial(45810.75), Some(d(2025, 6, 2).and_time(hms(18, 0, 0))));
        assert_eq!(from_serial(0.5), None);
        assert_eq!(from_serial(f64::NAN), None);
        assert_eq!(from_serial(3_000_000.0), None);
    }
}
