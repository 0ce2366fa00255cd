//! Text as the desk sees it: NFC, display width (Korean is two columns), initial consonants.

use unicode_normalization::UnicodeNormalization;
use unicode_width::UnicodeWidthChar;

/// The one place text is cleaned before it is stored, typed (forms) or imported (CSV, setup
/// files): invisible and control characters removed ([`is_invisible`]), line breaks made `\n`
/// (kept, for notes that have several lines), tabs made spaces, NFC, trimmed. Single-line
/// fields (names, phones, chart numbers) use [`clean_line`].
pub fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            '\n' | '\u{2028}' | '\u{2029}' | '\u{85}' => out.push('\n'),
            '\t' => out.push(' '),
            c if is_invisible(c) => {}
            c => out.push(c),
        }
    }
    out.trim().nfc().collect()
}

/// [`clean`] for a single-line field: line breaks become spaces.
pub fn clean_line(s: &str) -> String {
    let c = clean(s);
    if c.contains('\n') {
        c.split('\n').map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ")
    } else {
        c
    }
}

/// Characters that show nothing (or move text around) and so must never be stored: C0 and C1
/// controls other than line breaks and tabs (handled by [`clean`]), zero-width spaces and
/// joiners, bidirectional marks, embeddings and isolates, the BOM, the soft hyphen, invisible
/// operators, variation selectors, tag characters and the Hangul fillers.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}'..='\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{84}' | '\u{86}'..='\u{9f}'
        | '\u{ad}' | '\u{34f}' | '\u{61c}' | '\u{115f}' | '\u{1160}' | '\u{17b4}' | '\u{17b5}'
        | '\u{180b}'..='\u{180f}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{206f}' | '\u{3164}' | '\u{fe00}'..='\u{fe0f}' | '\u{feff}' | '\u{ffa0}'
        | '\u{fff0}'..='\u{fffb}' | '\u{e0000}'..='\u{e007f}' | '\u{e0100}'..='\u{e01ef}')
}

/// Text as it is safe to print on a terminal (the command line's messages, tables, reports
/// and TOML): control characters, which could move the cursor, set the title, reach the
/// clipboard (OSC 52) or clear the screen, and invisible characters, which could hide or
/// reorder text, are each shown as `\u{FFFD}`. Line breaks and tabs stay.
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| (c.is_control() && c != '\n' && c != '\t') || is_invisible(c);
    if !s.chars().any(bad) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(s.chars().map(|c| if bad(c) { '\u{FFFD}' } else { c }).collect())
}

/// A chart number as stored: [`clean_line`], then compatibility-normalised so full-width
/// digits and letters (`９１８`) are plain ASCII, with no inner spaces.
pub fn chart_no(s: &str) -> String {
    clean_line(s).nfkc().filter(|c| !c.is_whitespace()).collect()
}

/// The canonical form chart numbers are compared on (`918` = `0918` = `000918`): digits
/// without their leading zeros, anything else upper-cased (ASCII). The schema computes the
/// same from the stored number (`patients.chart_key`).
pub fn chart_key(s: &str) -> String {
    let c = chart_no(s);
    if !c.is_empty() && c.bytes().all(|b| b.is_ascii_digit()) {
        let t = c.trim_start_matches('0');
        if t.is_empty() { "0".into() } else { t.into() }
    } else {
        c.to_ascii_uppercase()
    }
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

/// A compound final consonant an IME makes of two consonants typed in a row (ㄱ then ㅅ gives
/// `ㄳ`), split back into the two: a search by initials means the two initials.
pub fn split_compound(q: &str) -> String {
    let mut out = String::new();
    for c in q.chars() {
        let pair = match c {
            'ㄳ' => "ㄱㅅ",
            'ㄵ' => "ㄴㅈ",
            'ㄶ' => "ㄴㅎ",
            'ㄺ' => "ㄹㄱ",
            'ㄻ' => "ㄹㅁ",
            'ㄼ' => "ㄹㅂ",
            'ㄽ' => "ㄹㅅ",
            'ㄾ' => "ㄹㅌ",
            'ㄿ' => "ㄹㅍ",
            'ㅀ' => "ㄹㅎ",
            'ㅄ' => "ㅂㅅ",
            _ => {
                out.push(c);
                continue;
            }
        };
        out.push_str(pair);
    }
    out
}

/// The one rule a typed name query matches a name by, in the `/` filters of the lists and in
/// patient search (whose SQL follows it): initials (`ㅎㄱㄷ`, compound jamo split, anywhere in
/// the name's initials), else any part of the name (a given name alone, `민숙`), Latin letters
/// in any case.
pub fn name_matches(name: &str, query: &str) -> bool {
    let q = query.trim().to_lowercase();
    if q.is_empty() {
        return true;
    }
    if is_initials_query(&q) {
        return initials(name).contains(&split_compound(&q));
    }
    let hangul = q.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c));
    name.to_lowercase().contains(&q) || (!hangul && initials(name).contains(&initials(&q)))
}

/// Whole-won amounts: `4,900,000`, `4900000`, `490만`, `490만원`, `1억 2000만`.
pub fn parse_won(s: &str) -> Option<i64> {
    super::parse::parse_amount(s, super::parse::Sign::NonNegative).ok()
}

/// `4900000` -> `4,900,000`.
pub fn format_won(n: i64) -> String {
    let s = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
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
        assert_eq!(split_compound("ㄳㅎ"), "ㄱㅅㅎ");
        assert!(name_matches("김상호", "ㄳ"), "ㄳ is ㄱ then ㅅ");
        assert!(name_matches("김상호", "ㅅㅎ"));
        assert!(name_matches("김민숙", "민숙"), "a given name alone");
        assert!(name_matches("Emily Park", "emilyp"));
        assert!(!name_matches("김민숙", "ㄳ"));
        assert!(!name_matches("김민숙", "민수기"));
        assert!(!is_initials_query("홍"));
    }

    #[test]
    fn printable_text_cannot_drive_the_terminal() {
        assert_eq!(printable("plain 한글\tok\n"), "plain 한글\tok\n");
        // Set the title, write the clipboard (OSC 52), clear the screen, ring the bell.
        let evil = "\u{1b}]0;owned\u{7}\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}[2J\u{9b}31m\r\u{202e}x";
        let shown = printable(evil);
        assert!(!shown.chars().any(|c| c.is_control() || is_invisible(c)), "{shown:?}");
        assert!(
            shown.contains("]0;owned") && shown.contains("[2J"),
            "the text itself stays readable: {shown:?}"
        );
    }

    #[test]
    fn clean_strips_invisible_and_control_characters() {
        assert_eq!(clean("\u{feff}Jane\u{200b} Roe\u{200d}"), "Jane Roe");
        assert_eq!(clean("홍\u{200c}길\u{ad}동\u{200e}"), "홍길동");
        assert_eq!(clean("\u{202e}eoR\u{202c} \u{2066}x\u{2069}"), "eoR x");
        assert_eq!(clean("a\u{0}b\u{7}c\u{1b}[31md\u{9b}e\u{7f}"), "abc[31mde");
        assert_eq!(clean("\u{3164}\u{115f}김"), "김");
        // Line breaks are kept as \n (notes), tabs become spaces.
        assert_eq!(
            clean(" first\r\nsecond\rthird\u{2028}fourth\tend \n"),
            "first\nsecond\nthird\nfourth end"
        );
        assert_eq!(clean_line("Jane\r\n Roe\n"), "Jane Roe");
        assert_eq!(clean("\u{200b}\u{feff} "), "");
        // Ordinary text is untouched.
        assert_eq!(clean("010-1234-5678 / 예약 (Kim)"), "010-1234-5678 / 예약 (Kim)");
    }

    #[test]
    fn chart_numbers_compare_on_their_canonical_form() {
        for same in ["918", "0918", "000918", " 000918 ", "000\u{200b}918", "\u{feff}918", "９１８"] {
            assert_eq!(chart_key(same), "918", "{same:?}");
        }
        assert_eq!(chart_key("000000"), "0");
        assert_eq!(chart_key("1000000"), "1000000");
        assert_eq!(chart_key("a-12"), "A-12");
        assert_eq!(chart_key("A-12"), "A-12");
        assert_ne!(chart_key("A-012"), chart_key("A-12"), "only all-digit numbers drop zeros");
        assert_eq!(chart_no(" ０００９１８\u{200b} "), "000918");
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
