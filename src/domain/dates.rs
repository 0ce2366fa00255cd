//! Dates and times as the desk types them.

use chrono::{Datelike, NaiveDate, NaiveTime};

/// `2026-11-23`, `20261123`, `11-23` or `1123` (this year), `+7` (days from today), `0`/`오늘`/`today`.
pub fn parse_date_input(input: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    let t = input.trim();
    if t.is_empty() {
        return Err("date is empty".into());
    }
    if matches!(t, "0" | "오늘" | "today") {
        return Ok(today);
    }
    if let Some(n) = t.strip_prefix('+') {
        let days: i64 = n.parse().map_err(|_| format!("'{t}': +N means N days from today"))?;
        return today
            .checked_add_signed(chrono::Duration::days(days))
            .ok_or_else(|| format!("'{t}' is too far"));
    }
    let digits: String = t.chars().filter(|c| c.is_ascii_digit()).collect();
    let bad = || format!("'{t}' is not a real date (YYYY-MM-DD)");
    let (y, m, d) = match digits.len() {
        8 => (
            digits[..4].parse().map_err(|_| bad())?,
            digits[4..6].parse().map_err(|_| bad())?,
            digits[6..].parse().map_err(|_| bad())?,
        ),
        4 | 3 if !t.contains('-') || t.matches('-').count() == 1 => {
            let (m, d) = if t.contains('-') {
                let mut p = t.split('-');
                (
                    p.next().unwrap_or("").parse().map_err(|_| bad())?,
                    p.next().unwrap_or("").parse().map_err(|_| bad())?,
                )
            } else {
                let split = digits.len() - 2;
                (digits[..split].parse().map_err(|_| bad())?, digits[split..].parse().map_err(|_| bad())?)
            };
            (today.year(), m, d)
        }
        _ => {
            let parts: Vec<&str> = t.split(['-', '.', '/']).collect();
            if parts.len() != 3 {
                return Err(bad());
            }
            (
                parts[0].parse().map_err(|_| bad())?,
                parts[1].parse().map_err(|_| bad())?,
                parts[2].parse().map_err(|_| bad())?,
            )
        }
    };
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(bad)
}

/// `14:30`, `1430`, `930`, `9:30`.
pub fn parse_time_input(input: &str) -> Result<NaiveTime, String> {
    let t = input.trim();
    let bad = || format!("'{t}' is not a time (HH:MM)");
    let (h, m) = if let Some((h, m)) = t.split_once(':') {
        (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?)
    } else {
        if !(3..=4).contains(&t.len()) || !t.chars().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        let split = t.len() - 2;
        (t[..split].parse().map_err(|_| bad())?, t[split..].parse().map_err(|_| bad())?)
    };
    NaiveTime::from_hms_opt(h, m, 0).ok_or_else(bad)
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
    }

    #[test]
    fn times_as_typed() {
        assert_eq!(parse_time_input("14:30"), Ok(NaiveTime::from_hms_opt(14, 30, 0).unwrap()));
        assert_eq!(parse_time_input("930"), Ok(NaiveTime::from_hms_opt(9, 30, 0).unwrap()));
        assert!(parse_time_input("25:00").is_err());
        assert!(parse_time_input("x").is_err());
    }
}
