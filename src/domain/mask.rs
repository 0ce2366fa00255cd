//! Masking for shared screens and exports (DESIGN §4).

use super::phone::{digits_of, format_digits};

/// 홍길동 -> 홍*동, 김철 -> 김*, 남궁민수 -> 남**수, John Smith -> J*** S****.
pub fn mask_name(name: &str) -> String {
    let name = name.trim();
    if name.chars().any(is_hangul) {
        let chars: Vec<char> = name.chars().filter(|c| !c.is_whitespace()).collect();
        return match chars.len() {
            0 => String::new(),
            1 => "*".into(),
            2 => format!("{}*", chars[0]),
            n => format!("{}{}{}", chars[0], "*".repeat(n - 2), chars[n - 1]),
        };
    }
    name.split_whitespace()
        .map(|word| {
            let mut cs = word.chars();
            match cs.next() {
                Some(first) => format!("{first}{}", "*".repeat(cs.count())),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_hangul(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

/// 010-1234-5678 -> 010-****-5678; 02-123-4567 -> 02-***-4567. Unknown shapes keep only the
/// last four digits.
pub fn mask_phone(phone: &str) -> String {
    let mut digits = digits_of(phone);
    if phone.trim().starts_with('+') {
        if let Some(rest) = digits.strip_prefix("82") {
            digits = format!("0{}", rest.trim_start_matches('0'));
        }
    }
    if digits.len() < 8 {
        return "*".repeat(digits.len());
    }
    let formatted = format_digits(&digits);
    let parts: Vec<&str> = formatted.split('-').collect();
    if parts.len() == 3 {
        format!("{}-{}-{}", parts[0], "*".repeat(parts[1].len()), parts[2])
    } else {
        let keep = &digits[digits.len() - 4..];
        format!("{}{keep}", "*".repeat(digits.len() - 4))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn korean_names() {
        assert_eq!(mask_name("홍길동"), "홍*동");
        assert_eq!(mask_name("김철"), "김*");
        assert_eq!(mask_name("남궁민수"), "남**수");
    }

    #[test]
    fn latin_names() {
        assert_eq!(mask_name("John Smith"), "J*** S****");
        assert_eq!(mask_name("Ann"), "A**");
    }

    #[test]
    fn phones() {
        assert_eq!(mask_phone("010-1234-5678"), "010-****-5678");
        assert_eq!(mask_phone("01012345678"), "010-****-5678");
        assert_eq!(mask_phone("02-123-4567"), "02-***-4567");
        assert_eq!(mask_phone("031-123-4567"), "031-***-4567");
        assert_eq!(mask_phone("+82 10-1234-5678"), "010-****-5678");
    }
}
