use super::*;
use crossterm::event::{KeyCode, KeyModifiers};

fn ev(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

#[test]
fn every_key_of_the_dubeolsik_layout_maps_to_its_latin_key() {
    let rows = [
        ("ㅂㅈㄷㄱㅅㅛㅕㅑㅐㅔ", "qwertyuiop"),
        ("ㅁㄴㅇㄹㅎㅗㅓㅏㅣ", "asdfghjkl"),
        ("ㅋㅌㅊㅍㅠㅜㅡ", "zxcvbnm"),
        ("ㅃㅉㄸㄲㅆㅒㅖ", "QWERTOP"),
    ];
    let mut n = 0;
    for (jamo, keys) in rows {
        assert_eq!(jamo.chars().count(), keys.chars().count());
        for (j, k) in jamo.chars().zip(keys.chars()) {
            assert_eq!(latin(j), Some(k), "{j}");
            assert_eq!(latin_key(&ev(j)).code, KeyCode::Char(k), "{j}");
            n += 1;
        }
    }
    assert_eq!(n, DUBEOLSIK.len(), "the table holds exactly the layout");
    // Latin keys, syllables and other characters are left alone.
    for c in ['a', 'Q', '1', '김', '?', ' '] {
        assert_eq!(latin(c), None);
        assert_eq!(latin_key(&ev(c)), ev(c));
    }
    // Shift with a jamo shift does not change gives the capital.
    let shifted = KeyEvent::new(KeyCode::Char('ㅎ'), KeyModifiers::SHIFT);
    assert_eq!(latin_key(&shifted).code, KeyCode::Char('G'));
}

#[test]
fn commands_answer_to_the_jamo_on_their_key() {
    let today = [Context::Today, Context::List, Context::Global];
    assert_eq!(lookup(&today, &ev('ㅁ')), Some(Command::Arrived));
    assert_eq!(lookup(&today, &ev('ㅇ')), Some(Command::Done));
    assert_eq!(lookup(&today, &ev('ㅌ')), Some(Command::NoShow));
    assert_eq!(lookup(&today, &ev('ㅊ')), Some(Command::Cancel));
    assert_eq!(lookup(&today, &ev('ㅓ')), Some(Command::Down));
    assert_eq!(lookup(&today, &ev('ㅏ')), Some(Command::Up));
    assert_eq!(lookup(&today, &ev('ㅂ')), Some(Command::Quit));
    let settings = [Context::Settings];
    assert_eq!(
        lookup(&settings, &KeyEvent::new(KeyCode::Char('ㅇ'), KeyModifiers::SHIFT)),
        Some(Command::Delete)
    );
    // Every single-letter binding of every context answers to its jamo.
    for (context, bindings) in TABLE {
        for b in bindings.iter() {
            for k in b.keys {
                if let (KeyCode::Char(c), true) = (k.code, k.mods.is_empty())
                    && let Some((j, _)) = DUBEOLSIK.iter().find(|(_, l)| *l == c)
                {
                    assert_eq!(lookup(&[*context], &ev(*j)), lookup(&[*context], &ev(c)), "{context:?} {j}");
                }
            }
        }
    }
}

#[test]
fn prompts_take_y_and_n_in_either_mode() {
    for c in ['y', 'Y', 'ㅛ'] {
        assert!(is_yes(&ev(c)));
        assert!(!is_no(&ev(c)));
    }
    for c in ['n', 'N', 'ㅜ'] {
        assert!(is_no(&ev(c)));
        assert!(!is_yes(&ev(c)));
    }
}
