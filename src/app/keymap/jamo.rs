//! The 두벌식 jamo table: which Latin key each jamo sits on, for command keys and y/n prompts.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The 두벌식 (standard Korean) layout: the jamo each Latin key types in 한글 mode, shifted
/// jamo for the capitals. The one place that knows it: commands (through [`Key::matches`]),
/// letter picks and the y/n prompts all go through [`latin`] / [`latin_key`]. Text fields never
/// do, so a name typed in Korean stays Korean.
pub const DUBEOLSIK: &[(char, char)] = &[
    ('ㅂ', 'q'),
    ('ㅈ', 'w'),
    ('ㄷ', 'e'),
    ('ㄱ', 'r'),
    ('ㅅ', 't'),
    ('ㅛ', 'y'),
    ('ㅕ', 'u'),
    ('ㅑ', 'i'),
    ('ㅐ', 'o'),
    ('ㅔ', 'p'),
    ('ㅁ', 'a'),
    ('ㄴ', 's'),
    ('ㅇ', 'd'),
    ('ㄹ', 'f'),
    ('ㅎ', 'g'),
    ('ㅗ', 'h'),
    ('ㅓ', 'j'),
    ('ㅏ', 'k'),
    ('ㅣ', 'l'),
    ('ㅋ', 'z'),
    ('ㅌ', 'x'),
    ('ㅊ', 'c'),
    ('ㅍ', 'v'),
    ('ㅠ', 'b'),
    ('ㅜ', 'n'),
    ('ㅡ', 'm'),
    ('ㅃ', 'Q'),
    ('ㅉ', 'W'),
    ('ㄸ', 'E'),
    ('ㄲ', 'R'),
    ('ㅆ', 'T'),
    ('ㅒ', 'O'),
    ('ㅖ', 'P'),
];

/// The Latin key a 두벌식 jamo sits on (`ㅁ` → `a`, `ㅃ` → `Q`); None for anything else.
pub fn latin(c: char) -> Option<char> {
    DUBEOLSIK.iter().find(|(j, _)| *j == c).map(|(_, l)| *l)
}

/// The key event as if typed in English mode: a jamo becomes its Latin key (a capital when
/// the terminal reports SHIFT with a jamo that shift does not change, e.g. Shift-ㅎ → `G`).
/// Every other event is returned unchanged.
pub fn latin_key(ev: &KeyEvent) -> KeyEvent {
    let mut out = *ev;
    if let KeyCode::Char(c) = ev.code
        && let Some(l) = latin(c)
    {
        let l = if ev.modifiers.contains(KeyModifiers::SHIFT) { l.to_ascii_uppercase() } else { l };
        out.code = KeyCode::Char(l);
    }
    out
}

/// True for the keys that answer yes to a y/n prompt (`y`, `Y`, `ㅛ`).
pub fn is_yes(ev: &KeyEvent) -> bool {
    matches!(latin_key(ev).code, KeyCode::Char('y') | KeyCode::Char('Y'))
}

/// True for the keys that answer no to a y/n prompt (`n`, `N`, `ㅜ`).
pub fn is_no(ev: &KeyEvent) -> bool {
    matches!(latin_key(ev).code, KeyCode::Char('n') | KeyCode::Char('N'))
}
