//! Synthetic people: Korean names from surname and syllable lists, a few Latin names, phone
//! numbers and birth dates. Nobody here is real.

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};

use super::rng::Rng;
use crate::domain::Sex;

/// Surnames with rough weights (per mille of the population).
const SURNAMES: &[(&str, u32)] = &[
    ("김", 215),
    ("이", 147),
    ("박", 84),
    ("최", 47),
    ("정", 43),
    ("강", 23),
    ("조", 21),
    ("윤", 21),
    ("장", 20),
    ("임", 17),
    ("한", 15),
    ("오", 15),
    ("서", 15),
    ("신", 14),
    ("권", 14),
    ("황", 14),
    ("안", 13),
    ("송", 13),
    ("류", 12),
    ("전", 11),
    ("홍", 11),
    ("고", 9),
    ("문", 9),
    ("양", 9),
    ("손", 9),
    ("배", 8),
    ("백", 8),
    ("허", 6),
    ("유", 6),
    ("남", 5),
    ("심", 5),
    ("노", 5),
    ("하", 4),
    ("곽", 4),
    ("성", 4),
    ("차", 4),
    ("주", 4),
    ("우", 4),
    ("구", 4),
    ("민", 3),
    ("진", 3),
    ("나", 3),
    ("지", 3),
    ("엄", 3),
    ("채", 2),
    ("원", 2),
    ("천", 2),
    ("방", 2),
    ("공", 2),
    ("현", 2),
    ("함", 2),
    ("변", 2),
    ("염", 1),
    ("여", 1),
    ("추", 1),
    ("도", 1),
    ("석", 1),
    ("소", 1),
    ("설", 1),
    ("마", 1),
    ("길", 1),
    ("연", 1),
    ("위", 1),
    ("표", 1),
    ("명", 1),
    ("기", 1),
    ("반", 1),
    ("왕", 1),
    ("금", 1),
    ("옥", 1),
    ("육", 1),
    ("인", 1),
    ("맹", 1),
    ("제", 1),
    ("탁", 1),
    ("국", 1),
    ("어", 1),
    ("은", 1),
    ("편", 1),
    ("봉", 1),
    ("경", 1),
];

/// Two-syllable surnames: rare, but the masking and search must cope with them.
const COMPOUND_SURNAMES: &[&str] = &["남궁", "황보", "제갈", "선우", "독고", "사공", "서문"];

const MALE_FIRST: &[&str] = &[
    "민", "준", "서", "현", "지", "도", "우", "건", "승", "성", "재", "동", "상", "영", "정", "진", "태",
    "한", "경", "종", "병", "용", "기", "윤", "시", "규", "형", "대", "세", "주",
];
const MALE_LAST: &[&str] = &[
    "준", "호", "우", "민", "현", "진", "수", "훈", "혁", "석", "철", "식", "빈", "원", "환", "규", "범",
    "성", "영", "욱", "희", "기", "찬", "혁", "균", "모", "택", "일", "결", "후",
];
const FEMALE_FIRST: &[&str] = &[
    "지", "서", "수", "민", "하", "은", "예", "유", "채", "다", "소", "혜", "미", "선", "정", "현", "영",
    "윤", "나", "아", "경", "보", "수", "연", "희", "주", "순", "명", "옥", "가",
];
const FEMALE_LAST: &[&str] = &[
    "은", "연", "윤", "아", "현", "민", "희", "진", "영", "린", "원", "빈", "나", "경", "정", "숙", "자",
    "순", "미", "애", "란", "인", "주", "서", "하", "이", "혜", "선", "옥", "비",
];

/// Latin names, for the few foreign or Korean-American patients (one composed é for NFC).
const LATIN_FEMALE: &[&str] =
    &["Emily Park", "Sarah Lee", "Olivia Jung", "Anna Schmidt", "Chloé Martin", "Grace Kim"];
const LATIN_MALE: &[&str] =
    &["James Kim", "Daniel Choi", "Michael Kang", "David Yoon", "Lucas Moreau", "Ethan Han"];

/// A made-up person.
#[derive(Debug, Clone)]
pub struct Person {
    pub name: String,
    pub sex: Sex,
    pub birth: NaiveDate,
    pub phone: String,
}

/// Hands out people with phone numbers that are unique within one demo.
pub struct People {
    phones: HashSet<String>,
    surname_weights: Vec<u32>,
}

impl People {
    pub fn new() -> People {
        People { phones: HashSet::new(), surname_weights: SURNAMES.iter().map(|(_, w)| *w).collect() }
    }

    pub fn person(&mut self, rng: &mut Rng, today: NaiveDate) -> Person {
        let sex = if rng.chance(0.58) { Sex::F } else { Sex::M };
        let birth = birth_date(rng, today);
        let name = self.name(rng, sex);
        let phone = self.phone(rng);
        Person { name, sex, birth, phone }
    }

    pub fn name(&mut self, rng: &mut Rng, sex: Sex) -> String {
        if rng.chance(0.006) {
            let list = if sex == Sex::F { LATIN_FEMALE } else { LATIN_MALE };
            return rng.pick(list).to_string();
        }
        let surname = if rng.chance(0.006) {
            rng.pick(COMPOUND_SURNAMES)
        } else {
            SURNAMES[rng.weighted(&self.surname_weights)].0
        };
        let (first, last) = match sex {
            Sex::F => (FEMALE_FIRST, FEMALE_LAST),
            Sex::M => (MALE_FIRST, MALE_LAST),
        };
        let roll = rng.unit();
        if roll < 0.03 {
            // One-syllable given name: 김철, 이린.
            format!("{surname}{}", rng.pick(last))
        } else if roll < 0.035 {
            // Three-syllable given name: 이하나린.
            format!("{surname}{}{}{}", rng.pick(first), rng.pick(first), rng.pick(last))
        } else {
            let a = rng.pick(first);
            let mut b = rng.pick(last);
            while b == a {
                b = rng.pick(last);
            }
            format!("{surname}{a}{b}")
        }
    }

    /// Mostly mobiles (010-XXXX-XXXX); a few Seoul and Gyeonggi landlines.
    pub fn phone(&mut self, rng: &mut Rng) -> String {
        loop {
            let roll = rng.unit();
            let phone = if roll < 0.02 {
                format!("02-{}-{:04}", rng.range(200, 999), rng.below(10_000))
            } else if roll < 0.03 {
                format!("031-{}-{:04}", rng.range(200, 999), rng.below(10_000))
            } else {
                format!("010-{}-{:04}", rng.range(2000, 9999), rng.below(10_000))
            };
            if self.phones.insert(phone.clone()) {
                return phone;
            }
        }
    }
}

/// Ages as they come to a 한의원: mostly 30-70, some children and old people.
fn birth_date(rng: &mut Rng, today: NaiveDate) -> NaiveDate {
    const BANDS: &[(i64, i64, u32)] = &[
        (5, 12, 3),
        (13, 19, 5),
        (20, 29, 14),
        (30, 39, 19),
        (40, 49, 21),
        (50, 59, 19),
        (60, 69, 13),
        (70, 88, 6),
    ];
    let weights: Vec<u32> = BANDS.iter().map(|b| b.2).collect();
    let (lo, hi, _) = BANDS[rng.weighted(&weights)];
    let age = rng.range(lo, hi);
    let year = today.year() - age as i32 - 1;
    let start = NaiveDate::from_ymd_opt(year, 1, 1).expect("valid year");
    start + chrono::Duration::days(rng.below(365) as i64)
}

/// A birth date on the same day and month as `day`, in `year` or (for Feb 29) shortly before.
pub fn birthday_in(year: i32, day: NaiveDate) -> NaiveDate {
    // Feb 29 birthdays need a leap year: go back to the nearest one.
    (0..8)
        .find_map(|back| NaiveDate::from_ymd_opt(year - back, day.month(), day.day()))
        .expect("a leap year within eight years")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_have_two_to_four_syllables_or_are_latin() {
        let mut rng = Rng::new(3);
        let mut people = People::new();
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let mut lengths = [0usize; 6];
        for _ in 0..5000 {
            let p = people.person(&mut rng, today);
            let n = p.name.chars().count();
            if p.name.is_ascii() || p.name.contains(' ') {
                lengths[0] += 1;
            } else {
                assert!((2..=5).contains(&n), "{}", p.name);
                lengths[n] += 1;
            }
            assert!(crate::domain::phone::Phone::parse(&p.phone).is_ok(), "{}", p.phone);
            assert!(crate::domain::age_on(p.birth, today) >= 5);
        }
        assert!(lengths[0] > 0 && lengths[2] > 0 && lengths[3] > 0 && lengths[4] > 0, "{lengths:?}");
    }
}
