//! Korean phone numbers: 010-1234-5678, 01012345678, 02-123-4567, 031-123-4567, +82 10-~.

/// A phone number checked and formatted with dashes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone {
    pub digits: String,
}

impl Phone {
    /// Parses a number as people type it. Errors say what is wrong, for the form.
    pub fn parse(input: &str) -> Result<Phone, &'static str> {
        // Full-width digits as plain ones; invisible characters gone (text::clean).
        let cleaned: String = unicode_normalization::UnicodeNormalization::nfkc(
            crate::domain::text::clean_line(input).as_str(),
        )
        .collect();
        let t = cleaned.as_str();
        if t.is_empty() {
            return Err("phone number is empty");
        }
        if t.chars().any(|c| !(c.is_ascii_digit() || matches!(c, '-' | ' ' | '+' | '(' | ')' | '.'))) {
            return Err("phone number may hold only digits and dashes");
        }
        let mut digits: String = t.chars().filter(|c| c.is_ascii_digit()).collect();
        if t.starts_with('+') {
            match digits.strip_prefix("82") {
                Some(rest) => digits = format!("0{}", rest.trim_start_matches('0')),
                None => return Err("only Korean numbers (+82) are accepted"),
            }
        }
        if !digits.starts_with('0') {
            return Err("a Korean number starts with 0 (010, 02, 031 ~)");
        }
        let ok = if digits.starts_with("01") {
            digits.len() == 10 || digits.len() == 11
        } else if digits.starts_with("02") {
            (9..=10).contains(&digits.len())
        } else {
            (10..=11).contains(&digits.len())
        };
        if !ok {
            return Err("wrong number of digits for a Korean phone number");
        }
        Ok(Phone { digits })
    }

    /// Groups the digits: area (2 for Seoul 02, else 3), middle, last four.
    pub fn formatted(&self) -> String {
        format_digits(&self.digits)
    }
}

/// Formats stored digits; unknown shapes are returned as they are.
pub fn format_digits(d: &str) -> String {
    let area = if d.starts_with("02") { 2 } else { 3 };
    if d.len() < area + 5 {
        return d.to_string();
    }
    let last = d.len() - 4;
    format!("{}-{}-{}", &d[..area], &d[area..last], &d[last..])
}

/// Digits only, for lookups.
pub fn digits_of(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_digit()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_usual_formats() {
        for (input, formatted) in [
            ("010-1234-5678", "010-1234-5678"),
            ("01012345678", "010-1234-5678"),
            ("02-123-4567", "02-123-4567"),
            ("0212345678", "02-1234-5678"),
            ("031-123-4567", "031-123-4567"),
            ("+82 10-1234-5678", "010-1234-5678"),
            ("011-123-4567", "011-123-4567"),
        ] {
            assert_eq!(Phone::parse(input).unwrap().formatted(), formatted, "{input}");
        }
    }

    #[test]
    fn rejects_junk() {
        for bad in ["", "12345", "010-1234", "abc-defg", "1012345678", "+1 555 123 4567", "010-1234-56789"] {
            assert!(Phone::parse(bad).is_err(), "{bad}");
        }
    }
}
