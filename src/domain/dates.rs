//! Dates and times as the desk types them.

use chrono::{Datelike, NaiveDate, NaiveTime};

/// `2026-11-23`, `20261123`, `11-23` or `1123` (this year), `+7` (days from today), `0`/`오늘`/`today`,
/// `내일`/`tomorrow`, `모레`.
pub fn parse_date_input(input: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    let t = input.trim();
    if t.is_empty() {
        return Err("date is empty".into());
    }
    if matches!(t, "0" | "오늘" | "today") {
        return Ok(today);
    }
    let ahead = match t {
        "내일" | "tomorrow" => Some(1),
        "모레" => Some(2),
        _ => None,
    };
    if let Some(days) = ahead {
        return today
            .checked_add_signed(chrono::Duration::days(days))
            .ok_or_else(|| format!("'{t}' is too far"));
    }
    if let Some(n) = t.strip_prefix('+') {
        let days: i64 = n.parse().map_err(|_| format!("'{t}': +N means N days from today"))?;
        return today
            .checked_add_signed(chrono::Duration::days(days))
            .ok_or_else(|| format!("'{t}' is too far"));
    }
    // `11-23` or `1123`: this year. Everything else is a full date, read by the parser the
    // imports share (`2026-11-23`, `2026. 11. 23.`, `2026/11/23`, `20261123`).
    let bad = || format!("'{t}' is not a real date (YYYY-MM-DD)");
    let short_digits = (3..=4).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit());
    let month_day = t.matches('-').count() == 1 && t.len() <= 5;
    if short_digits || month_day {
        let (m, d): (u32, u32) = if month_day {
            let (m, d) = t.split_once('-').ok_or_else(bad)?;
            (m.trim().parse().map_err(|_| bad())?, d.trim().parse().map_err(|_| bad())?)
        } else {
            let split = t.len() - 2;
            (t[..split].parse().map_err(|_| bad())?, t[split..].parse().map_err(|_| bad())?)
        };
        return NaiveDate::from_ymd_opt(today.year(), m, d).ok_or_else(bad);
    }
    super::parse::parse_date(t)
}

/// `14:30`, `1430`, `930`, `9:30`, and what the imports read (`오후 2:30`, `14:30:00`).
pub fn parse_time_input(input: &str) -> Result<NaiveTime, String> {
    let t = input.trim();
    if (3..=4).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit()) {
        let bad = || format!("'{t}' is not a time (HH:MM)");
        let split = t.len() - 2;
        let (h, m) = (t[..split].parse().map_err(|_| bad())?, t[split..].parse().map_err(|_| bad())?);
        return NaiveTime::from_hms_opt(h, m, 0).ok_or_else(bad);
    }
    super::parse::parse_time(t)
}

/// A date with a time after it, as typed in one field: `12-05 14:30`, `1205 1430`,
/// `내일 14:30`, `2026-12-05 오후 2:30` (the date as [`parse_date_input`], then a space, then the
/// time as [`parse_time_input`]). `None` when the text is not a date followed by a time (a date
/// alone included).
pub fn parse_date_time_input(input: &str, today: NaiveDate) -> Option<(NaiveDate, NaiveTime)> {
    let t = input.trim();
    // The date may hold spaces itself (`2026. 12. 5.`): try every space, leftmost first.
    t.char_indices().filter(|(_, c)| c.is_whitespace()).find_map(|(i, _)| {
        let (date, time) = (t[..i].trim(), t[i..].trim());
        if date.is_empty() || time.is_empty() {
            return None;
        }
        Some((parse_date_input(date, today).ok()?, parse_time_input(time).ok()?))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    #[test]
    fn dates_as_typed() {
        let today = d(2026, 11, 23);
        assert_eq!(parse_date_input("2026-12-01", today), Ok(d(2026, 12, 1)));
        assert_eq!(parse_date_input("20261201", today), Ok(d(2026, 12, 1)));
        assert_eq!(parse_date_input("12-01", today), Ok(d(2026, 12, 1)));
        assert_eq!(parse_date_input("1201", today), Ok(d(2026, 12, 1)));
        assert_eq!(parse_date_input("+7", today), Ok(d(2026, 11, 30)));
        assert_eq!(parse_date_input("오늘", today), Ok(today));
        assert!(parse_date_input("2026-02-30", today).is_err());
        assert!(parse_date_input("abc", today).is_err());
        assert!(parse_date_input("", today).is_err());
        // The shared parser's forms, and its range.
        assert_eq!(parse_date_input("2026. 12. 1.", today), Ok(d(2026, 12, 1)));
        assert_eq!(parse_date_input("2026/12/01", today), Ok(d(2026, 12, 1)));
        assert!(parse_date_input("9999-12-31", today).is_err());
    }

    #[test]
    fn a_date_with_its_time_in_one_field() {
        let today = d(2026, 11, 23);
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        assert_eq!(parse_date_time_input("12-05 14:30", today), Some((d(2026, 12, 5), t(14, 30))));
        assert_eq!(parse_date_time_input("1205 1430", today), Some((d(2026, 12, 5), t(14, 30))));
        assert_eq!(parse_date_time_input("내일 14:30", today), Some((d(2026, 11, 24), t(14, 30))));
        assert_eq!(parse_date_time_input("tomorrow 930", today), Some((d(2026, 11, 24), t(9, 30))));
        assert_eq!(parse_date_time_input("+7 10:00", today), Some((d(2026, 11, 30), t(10, 0))));
        assert_eq!(parse_date_time_input("2026. 12. 5. 오후 2:30", today), Some((d(2026, 12, 5), t(14, 30))));
        assert_eq!(parse_date_time_input(" 1205   1430 ", today), Some((d(2026, 12, 5), t(14, 30))));
        // A date alone, a bad time or a bad date: not a date with a time.
        assert_eq!(parse_date_time_input("1205", today), None);
        assert_eq!(parse_date_time_input("1205 2500", today), None);
        assert_eq!(parse_date_time_input("1332 1430", today), None);
        assert_eq!(parse_date_time_input("", today), None);
        assert_eq!(parse_date_input("내일", today), Ok(d(2026, 11, 24)));
        assert_eq!(parse_date_input("모레", today), Ok(d(2026, 11, 25)));
    }

    #[test]
    fn times_as_typed() {
        assert_eq!(parse_time_input("14:30"), Ok(NaiveTime::from_hms_opt(14, 30, 0).unwrap()));
        assert_eq!(parse_time_input("930"), Ok(NaiveTime::from_hms_opt(9, 30, 0).unwrap()));
        assert!(parse_time_input("25:00").is_err());
        assert!(parse_time_input("x").is_err());
        assert_eq!(parse_time_input("오후 2:30"), Ok(NaiveTime::from_hms_opt(14, 30, 0).unwrap()));
        assert!(parse_time_input("10:00:60").is_err());
        assert!(parse_time_input("2400").is_err());
    }
}
