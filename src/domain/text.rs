//! Text as the desk sees it: NFC, display width (Korean is two columns), initial consonants.

use unicode_normalization::UnicodeNormalization;
use unicode_width::UnicodeWidthChar;

/// NFC-normalises and trims; everything stored goes through here.
pub fn clean(s: &str) -> String {
    s.trim().nfc().collect()
}

/// Display width in terminal columns.
pub fn width(s: &str) -> usize {
    s.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// Cuts `s` to at most `max` columns, ending in `~` when cut; never splits a character.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('~');
    out
}

/// Cuts or pads `s` to exactly `cols` columns.
pub fn fit(s: &str, cols: usize) -> String {
    let mut out = truncate(s, cols);
    let w = width(&out);
    out.extend(std::iter::repeat_n(' ', cols.saturating_sub(w)));
    out
}

/// Pads on the left to `cols` columns (numbers).
pub fn fit_right(s: &str, cols: usize) -> String {
    let t = truncate(s, cols);
    let w = width(&t);
    let mut out: String = std::iter::repeat_n(' ', cols.saturating_sub(w)).collect();
    out.push_str(&t);
    out
}

const CHOSEONG: [char; 19] = [
    'ㄱ', 'ㄲ', 'ㄴ', 'ㄷ', 'ㄸ', 'ㄹ', 'ㅁ', 'ㅂ', 'ㅃ', 'ㅅ', 'ㅆ', 'ㅇ', 'ㅈ', 'ㅉ', 'ㅊ', 'ㅋ', 'ㅌ',
    'ㅍ', 'ㅎ',
];

/// The initial consonant of each Hangul syllable (홍길동 -> ㅎㄱㄷ); other characters are kept,
/// lowercased, so that a search for initials also works on mixed names.
pub fn initials(name: &str) -> String {
    name.nfc()
        .filter(|c| !c.is_whitespace())
        .map(|c| {
            let code = c as u32;
            if (0xAC00..=0xD7A3).contains(&code) {
                CHOSEONG[((code - 0xAC00) / 588) as usize]
            } else {
                c.to_lowercase().next().unwrap_or(c)
            }
        })
        .collect()
}

/// True when every character is a Hangul compatibility consonant (a search by initials).
pub fn is_initials_query(q: &str) -> bool {
    !q.is_empty() && q.chars().all(|c| ('ㄱ'..='ㅎ').contains(&c))
}

/// Whole-won amounts: `4,900,000`, `4900000`, `490만`, `490만원`, `1억 2000만`.
pub fn parse_won(s: &str) -> Option<i64> {
    let t: String = s.trim().chars().filter(|c| !c.is_whitespace() && *c != ',').collect();
    let t = t.strip_suffix('원').unwrap_or(&t);
    if t.is_empty() {
        return None;
    }
    let mut total: i64 = 0;
    let mut rest = t;
    for (unit, mult) in [("억", 100_000_000i64), ("만", 10_000), ("천", 1_000)] {
        if let Some(pos) = rest.find(unit) {
            let num = &rest[..pos];
            let n: i64 = if num.is_empty() { 1 } else { num.parse().ok()? };
            total = total.checked_add(n.checked_mul(mult)?)?;
            rest = &rest[pos + unit.len()..];
        }
    }
    if !rest.is_empty() {
        total = total.checked_add(rest.parse::<i64>().ok()?)?;
    }
    if total < 0 { None } else { Some(total) }
}

/// `4900000` -> `4,900,000`.
pub fn format_won(n: i64) -> String {
    let s = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn width_counts_hangul_as_two() {
        assert_eq!(width("홍길동"), 6);
        assert_eq!(width("Kim"), 3);
    }

    #[test]
    fn truncate_never_splits_wide_chars() {
        assert_eq!(truncate("남궁민수", 5), "남궁~");
        assert_eq!(width(&truncate("남궁민수", 6)), 5);
        assert_eq!(truncate("남궁민수", 8), "남궁민수");
        assert_eq!(fit("홍길동", 8), "홍길동  ");
        assert_eq!(width(&fit("남궁민수입니다", 7)), 7);
    }

    #[test]
    fn initials_of_hangul() {
        assert_eq!(initials("홍길동"), "ㅎㄱㄷ");
        assert_eq!(initials("김 민"), "ㄱㅁ");
        assert!(is_initials_query("ㅎㄱㄷ"));
        assert!(!is_initials_query("홍"));
    }

    #[test]
    fn clean_composes_nfd() {
        let nfd = "\u{1112}\u{1169}\u{11BC}"; // 홍 decomposed
        assert_eq!(clean(nfd), "홍");
    }

    #[test]
    fn won_amounts() {
        assert_eq!(parse_won("4,900,000"), Some(4_900_000));
        assert_eq!(parse_won("4900000"), Some(4_900_000));
        assert_eq!(parse_won("490만"), Some(4_900_000));
        assert_eq!(parse_won("490만원"), Some(4_900_000));
        assert_eq!(parse_won("1억 2000만"), Some(120_000_000));
        assert_eq!(parse_won("abc"), None);
        assert_eq!(parse_won(""), None);
        assert_eq!(format_won(4_900_000), "4,900,000");
        assert_eq!(format_won(900), "900");
    }
}
