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

/// The names to look for inside free text: the clinic's patients and staff.
#[derive(Debug, Clone, Default)]
pub struct NameSet {
    names: std::collections::HashSet<String>,
    /// The longest name, in characters: no longer run of text needs a look-up.
    longest: usize,
}

impl NameSet {
    /// Names of fewer than two characters are left out: one syllable matches too much text.
    pub fn new<I: IntoIterator<Item = String>>(names: I) -> NameSet {
        let mut set = NameSet::default();
        for name in names {
            let name = name.trim().to_string();
            let n = name.chars().count();
            if n >= 2 {
                set.longest = set.longest.max(n);
                set.names.insert(name);
            }
        }
        set
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// Free text with the phone numbers and the names in it masked as they are elsewhere: a note
/// like `비밀환자님(010-1357-2468)` becomes `비**자님(010-****-2468)`. Korean names are found
/// inside words (they take particles and 님); Latin names only as whole words.
pub fn mask_text(text: &str, names: &NameSet) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if let Some(end) = phone_at(&chars, i) {
            let run: String = chars[i..end].iter().collect();
            out.push_str(&mask_phone(&run));
            i = end;
            continue;
        }
        if let Some(end) = name_at(&chars, i, names) {
            let run: String = chars[i..end].iter().collect();
            out.push_str(&mask_name(&run));
            i = end;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// The end of a phone number starting at `i`: a Korean number (starts with 0, or +82) of 9 to
/// 11 digits, in groups joined by `-`, `.` or one space, not glued to other digits or letters.
fn phone_at(chars: &[char], i: usize) -> Option<usize> {
    let glued = |c: char| c.is_ascii_alphanumeric();
    if i > 0 && (glued(chars[i - 1]) || chars[i - 1] == '+') {
        return None;
    }
    let start_digit = match chars[i] {
        '0' => i,
        '+' if chars.get(i + 1) == Some(&'8') && chars.get(i + 2) == Some(&'2') => i + 1,
        _ => return None,
    };
    let mut digits = 0;
    let mut end = start_digit;
    let mut j = start_digit;
    while j < chars.len() {
        let c = chars[j];
        if c.is_ascii_digit() {
            digits += 1;
            j += 1;
            end = j;
        } else if matches!(c, '-' | '.' | ' ') && chars.get(j + 1).is_some_and(|n| n.is_ascii_digit()) {
            j += 1;
        } else {
            break;
        }
    }
    if chars.get(end).is_some_and(|&c| glued(c)) {
        return None;
    }
    let international = chars[i] == '+';
    let ok = if international { (10..=12).contains(&digits) } else { (9..=11).contains(&digits) };
    ok.then_some(end)
}

/// The end of the longest known name starting at `i`.
fn name_at(chars: &[char], i: usize, names: &NameSet) -> Option<usize> {
    if names.is_empty() || !chars[i].is_alphanumeric() {
        return None;
    }
    let latin = chars[i].is_ascii_alphabetic();
    if latin && i > 0 && chars[i - 1].is_ascii_alphanumeric() {
        return None;
    }
    let max = names.longest.min(chars.len() - i);
    for len in (2..=max).rev() {
        let end = i + len;
        if latin && chars.get(end).is_some_and(|c| c.is_ascii_alphanumeric()) {
            continue;
        }
        let candidate: String = chars[i..end].iter().collect();
        if names.names.contains(&candidate) {
            return Some(end);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(names: &[&str]) -> NameSet {
        NameSet::new(names.iter().map(|s| s.to_string()))
    }

    #[test]
    fn phones_inside_free_text() {
        let none = NameSet::default();
        assert_eq!(mask_text("비밀환자님(010-1357-2468)", &none), "비밀환자님(010-****-2468)");
        assert_eq!(mask_text("연락처 01013572468 로", &none), "연락처 010-****-2468 로");
        assert_eq!(
            mask_text("집 02-123-4567, 회사 031.555.1234", &none),
            "집 02-***-4567, 회사 031-***-1234"
        );
        assert_eq!(mask_text("010 1357 2468", &none), "010-****-2468");
        assert_eq!(mask_text("call +82 10-1357-2468", &none), "call 010-****-2468");
        // Dates, amounts, chart numbers and short numbers stay.
        for keep in ["2026-11-23 10:00", "4,900,000원", "000918", "1588-1234", "3회 남음", "0.5mg"] {
            assert_eq!(mask_text(keep, &none), keep);
        }
    }

    #[test]
    fn names_inside_free_text() {
        let names = set(&["비밀환자", "홍길동", "김철", "남궁민수", "John Smith", "Ann", "이"]);
        assert_eq!(mask_text("비밀환자님(010-1357-2468)", &names), "비**자님(010-****-2468)");
        assert_eq!(mask_text("홍길동 님이 김철 씨를 소개", &names), "홍*동 님이 김* 씨를 소개");
        assert_eq!(mask_text("남궁민수님 통화", &names), "남**수님 통화");
        assert_eq!(
            mask_text("John Smith called; Anne came, Ann too", &names),
            "J*** S**** called; Anne came, A** too"
        );
        // A one-syllable name is not looked for.
        assert_eq!(mask_text("이번 주", &names), "이번 주");
    }

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
