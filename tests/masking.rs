//! Masking as properties over many generated names and phone numbers (DESIGN §4): names keep
//! their first and last syllable (Latin: each word's first letter), phones hide the middle group.

use frontdesk::domain::mask::{mask_name, mask_phone};
use frontdesk::domain::phone::Phone;

/// A small deterministic generator (LCG), so failures reproduce.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
    /// Any Hangul syllable.
    fn syllable(&mut self) -> char {
        char::from_u32(0xAC00 + self.below(11172) as u32).unwrap()
    }
    fn digits(&mut self, n: usize) -> String {
        (0..n).map(|_| char::from(b'0' + self.below(10) as u8)).collect()
    }
}

const SINGLE: [&str; 10] = ["김", "이", "박", "최", "정", "강", "조", "윤", "장", "임"];
const COMPOUND: [&str; 4] = ["남궁", "황보", "제갈", "선우"];

#[test]
fn korean_names_of_two_to_four_syllables_keep_only_first_and_last() {
    let mut g = Gen(7);
    for _ in 0..5000 {
        let compound = g.below(4) == 0;
        let surname = if compound { g.pick(&COMPOUND) } else { g.pick(&SINGLE) };
        let total = 2 + g.below(3) as usize; // 2-4 syllables
        let given_len = total.saturating_sub(surname.chars().count()).max(1);
        let given: String = (0..given_len).map(|_| g.syllable()).collect();
        let name = format!("{surname}{given}");
        let chars: Vec<char> = name.chars().collect();
        let masked = mask_name(&name);
        let m: Vec<char> = masked.chars().collect();
        assert_ne!(masked, name);
        assert_eq!(m.len(), chars.len(), "{name} -> {masked}: same number of syllables");
        assert_eq!(m[0], chars[0], "{name} -> {masked}: first syllable kept");
        if chars.len() == 2 {
            assert_eq!(m[1], '*', "{name} -> {masked}");
        } else {
            assert_eq!(m[m.len() - 1], chars[chars.len() - 1], "{name} -> {masked}: last syllable kept");
            assert!(m[1..m.len() - 1].iter().all(|c| *c == '*'), "{name} -> {masked}: middle hidden");
        }
        if given.chars().count() >= 2 {
            assert!(!masked.contains(&given), "{name} -> {masked}: given name hidden");
        }
        if compound && chars.len() >= 3 {
            assert!(!masked.contains(surname), "{name} -> {masked}: compound surname not whole");
        }
    }
}

#[test]
fn the_documented_examples_hold() {
    assert_eq!(mask_name("홍길동"), "홍*동");
    assert_eq!(mask_name("김철"), "김*");
    assert_eq!(mask_name("남궁민수"), "남**수");
    assert_eq!(mask_name("황보준"), "황*준");
    assert_eq!(mask_name("John Smith"), "J*** S****");
    assert_eq!(mask_phone("010-1234-5678"), "010-****-5678");
}

#[test]
fn latin_names_keep_each_words_first_letter() {
    let mut g = Gen(11);
    let letters = "abcdefghijklmnopqrstuvwxyz";
    for _ in 0..3000 {
        let words: Vec<String> = (0..1 + g.below(3))
            .map(|_| {
                let len = 2 + g.below(9) as usize;
                let mut w: String =
                    (0..len).map(|_| letters.as_bytes()[g.below(26) as usize] as char).collect();
                w[..1].make_ascii_uppercase();
                w
            })
            .collect();
        let name = words.join(" ");
        let masked = mask_name(&name);
        let parts: Vec<&str> = masked.split(' ').collect();
        assert_eq!(parts.len(), words.len(), "{name} -> {masked}");
        for (word, part) in words.iter().zip(&parts) {
            assert_eq!(part.len(), word.len(), "{name} -> {masked}");
            assert_eq!(part.chars().next(), word.chars().next());
            assert!(part.chars().skip(1).all(|c| c == '*'), "{name} -> {masked}");
            assert!(!masked.contains(word.as_str()), "{name} -> {masked}: word {word} shown");
        }
    }
}

#[test]
fn phones_in_every_form_hide_the_middle_group() {
    let mut g = Gen(23);
    for _ in 0..5000 {
        let mid = 3 + g.below(2) as usize;
        let (input, area) = match g.below(6) {
            0 => (format!("010-{}-{}", g.digits(4), g.digits(4)), "010"),
            1 => (format!("010{}{}", g.digits(4), g.digits(4)), "010"),
            2 => (format!("02-{}-{}", g.digits(mid), g.digits(4)), "02"),
            3 => (format!("031-{}-{}", g.digits(mid), g.digits(4)), "031"),
            4 => (format!("+82 10-{}-{}", g.digits(4), g.digits(4)), "010"),
            _ => (format!("+82-2-{}-{}", g.digits(mid), g.digits(4)), "02"),
        };
        let formatted = Phone::parse(&input).unwrap_or_else(|e| panic!("{input}: {e}")).formatted();
        let groups: Vec<&str> = formatted.split('-').collect();
        let masked = mask_phone(&input);
        assert_eq!(masked, format!("{area}-{}-{}", "*".repeat(groups[1].len()), groups[2]), "{input}");
        let digits: String = formatted.chars().filter(|c| c.is_ascii_digit()).collect();
        let shown: String = masked.chars().filter(|c| c.is_ascii_digit()).collect();
        assert_eq!(
            shown.len(),
            digits.len() - groups[1].len(),
            "{input} -> {masked}: only area and last four"
        );
    }
}
