//! The one line editor: every form text field, the patient search (Ctrl-F) and the `/`
//! filters of the tabs edit text with these keys and nothing else.
//!
//! Keys: `Left`/`Right`, `Home`/`End` (also `Ctrl-A`/`Ctrl-E`) move the caret; `Backspace`/
//! `Delete` remove a character; `Ctrl-U` clears the line; `Ctrl-W` removes the word before
//! the caret; `Ctrl-K` removes everything after it. A prefilled value is selected when the
//! field is entered, so typing replaces it; an arrow key first drops the selection (the
//! caret stays where it is), `Backspace`/`Delete` remove the selected value.
//!
//! The caret is counted in characters and drawn by display width (a 한글 syllable takes two
//! columns); the IME hands over whole syllables, so the caret never sits inside one.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::domain::text::{truncate, width};

/// What a key did to the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// The text changed.
    Changed,
    /// Only the caret or the selection moved.
    Moved,
    /// Not an editing key: the caller may give it another meaning.
    Ignored,
}

impl Edit {
    pub fn changed(self) -> bool {
        self == Edit::Changed
    }
}

/// One line of text with a caret and an all-or-nothing selection.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineInput {
    pub value: String,
    /// Caret position in characters.
    pub caret: usize,
    /// The whole value is selected: the next typed character replaces it.
    pub selected: bool,
}

impl LineInput {
    pub fn new() -> LineInput {
        LineInput::default()
    }

    /// A line holding `value`, selected so that typing replaces it.
    pub fn prefilled(value: impl Into<String>) -> LineInput {
        let mut l = LineInput { value: value.into(), ..LineInput::default() };
        l.select_all();
        l
    }

    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// Replaces the text; the caret goes to its end, nothing selected.
    pub fn set(&mut self, value: impl Into<String>) {
        self.value = value.into();
        self.caret = self.value.chars().count();
        self.selected = false;
    }

    pub fn clear(&mut self) {
        self.set(String::new());
    }

    /// Selects the whole value (when there is one), caret at its end: done on entering a field.
    pub fn select_all(&mut self) {
        self.caret = self.value.chars().count();
        self.selected = !self.value.is_empty();
    }

    pub fn on_key(&mut self, key: &KeyEvent) -> Edit {
        edit(&mut self.value, &mut self.caret, &mut self.selected, key)
    }

    /// Pasted text as one clean line (line breaks as spaces, no control characters) at the
    /// caret, replacing a selection.
    pub fn paste(&mut self, text: &str) -> Edit {
        let line = crate::app::pasted_line(text);
        if line.is_empty() {
            return Edit::Ignored;
        }
        take_selection(&mut self.value, &mut self.caret, &mut self.selected);
        let at = byte_at(&self.value, self.caret);
        self.value.insert_str(at, &line);
        self.caret += line.chars().count();
        Edit::Changed
    }

    /// Columns before the caret.
    pub fn caret_col(&self) -> usize {
        width(&self.value.chars().take(self.caret).collect::<String>())
    }

    /// The part that fits in `cols` columns around the caret, and the caret's column in it.
    pub fn visible(&self, cols: usize) -> (String, usize) {
        visible(&self.value, self.caret, cols)
    }
}

fn byte_at(s: &str, chars: usize) -> usize {
    s.char_indices().nth(chars).map_or(s.len(), |(i, _)| i)
}

/// Drops a selected value (typing, Backspace or Delete over a selection).
fn take_selection(value: &mut String, caret: &mut usize, selected: &mut bool) -> bool {
    if std::mem::take(selected) {
        value.clear();
        *caret = 0;
        true
    } else {
        false
    }
}

/// The editing keys over a value held elsewhere (a form field keeps its own value, caret and
/// selection). Every line editor of the app goes through here.
pub fn edit(value: &mut String, caret: &mut usize, selected: &mut bool, key: &KeyEvent) -> Edit {
    let mut chars: Vec<char> = value.chars().collect();
    *caret = (*caret).min(chars.len());
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let had_selection = *selected;
    let result = match key.code {
        KeyCode::Char(c) if ctrl => match c.to_ascii_lowercase() {
            'a' => {
                *selected = false;
                *caret = 0;
                Edit::Moved
            }
            'e' => {
                *selected = false;
                *caret = chars.len();
                Edit::Moved
            }
            'u' => {
                *selected = false;
                chars.clear();
                *caret = 0;
                Edit::Changed
            }
            'w' => {
                if had_selection {
                    *selected = false;
                    chars.clear();
                    *caret = 0;
                } else {
                    let mut start = *caret;
                    while start > 0 && chars[start - 1].is_whitespace() {
                        start -= 1;
                    }
                    while start > 0 && !chars[start - 1].is_whitespace() {
                        start -= 1;
                    }
                    chars.drain(start..*caret);
                    *caret = start;
                }
                Edit::Changed
            }
            'k' => {
                if had_selection {
                    *selected = false;
                    chars.clear();
                    *caret = 0;
                } else {
                    chars.truncate(*caret);
                }
                Edit::Changed
            }
            _ => Edit::Ignored,
        },
        KeyCode::Char(_) if key.modifiers.contains(KeyModifiers::ALT) => Edit::Ignored,
        KeyCode::Char(c) if c.is_control() => Edit::Ignored,
        KeyCode::Char(c) => {
            if had_selection {
                *selected = false;
                chars.clear();
                *caret = 0;
            }
            chars.insert(*caret, c);
            *caret += 1;
            Edit::Changed
        }
        KeyCode::Backspace | KeyCode::Delete if had_selection => {
            *selected = false;
            chars.clear();
            *caret = 0;
            Edit::Changed
        }
        KeyCode::Backspace if *caret > 0 => {
            chars.remove(*caret - 1);
            *caret -= 1;
            Edit::Changed
        }
        KeyCode::Delete if *caret < chars.len() => {
            chars.remove(*caret);
            Edit::Changed
        }
        KeyCode::Backspace | KeyCode::Delete => Edit::Moved,
        // The first arrow only drops the selection, so the caret stays where the desk sees it.
        KeyCode::Left | KeyCode::Right if had_selection => {
            *selected = false;
            Edit::Moved
        }
        KeyCode::Left => {
            *caret = caret.saturating_sub(1);
            Edit::Moved
        }
        KeyCode::Right => {
            *caret = (*caret + 1).min(chars.len());
            Edit::Moved
        }
        KeyCode::Home => {
            *selected = false;
            *caret = 0;
            Edit::Moved
        }
        KeyCode::End => {
            *selected = false;
            *caret = chars.len();
            Edit::Moved
        }
        _ => Edit::Ignored,
    };
    if result == Edit::Changed {
        let new: String = chars.into_iter().collect();
        if new == *value && !had_selection {
            return Edit::Moved;
        }
        *value = new;
    }
    result
}

/// The editing keys over a line drawn without a caret (the `/` filters of the tabs, the
/// callbacks' patient finder, a free text): the caret is its end, so the arrows do nothing.
pub fn edit_end(value: &mut String, key: &KeyEvent) -> Edit {
    let (mut caret, mut selected) = (value.chars().count(), false);
    edit(value, &mut caret, &mut selected, key)
}

/// The part of `value` that fits in `cols` columns around the caret, and the caret's column in
/// it (counted in display columns: a 한글 syllable is two).
pub fn visible(value: &str, caret: usize, cols: usize) -> (String, usize) {
    let chars: Vec<char> = value.chars().collect();
    let caret = caret.min(chars.len());
    let cols_between = |a: usize, b: usize| width(&chars[a..b].iter().collect::<String>());
    let mut start = 0;
    // Scroll so the caret (and one column for it) stays visible.
    while start < caret && cols_between(start, caret) + 1 > cols {
        start += 1;
    }
    let shown: String = chars[start..].iter().collect();
    (truncate(&shown, cols), cols_between(start, caret))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::from(c)
    }
    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }
    fn typed(l: &mut LineInput, s: &str) {
        for c in s.chars() {
            l.on_key(&key(KeyCode::Char(c)));
        }
    }

    #[test]
    fn typing_replaces_a_prefilled_value() {
        let mut l = LineInput::prefilled("2026-12-01");
        typed(&mut l, "12-02");
        assert_eq!(l.as_str(), "12-02");
        assert!(!l.selected);
    }

    #[test]
    fn an_arrow_first_deselects_then_edits_append() {
        let mut l = LineInput::prefilled("2026-12-01");
        assert_eq!(l.on_key(&key(KeyCode::Left)), Edit::Moved);
        assert_eq!(l.caret, 10, "the first arrow only drops the selection");
        l.on_key(&key(KeyCode::Backspace));
        typed(&mut l, "2");
        assert_eq!(l.as_str(), "2026-12-02");
        let mut l = LineInput::prefilled("abc");
        l.on_key(&key(KeyCode::Right));
        typed(&mut l, "d");
        assert_eq!(l.as_str(), "abcd");
    }

    #[test]
    fn backspace_or_delete_on_a_selection_clears_it() {
        let mut l = LineInput::prefilled("14:30");
        assert_eq!(l.on_key(&key(KeyCode::Backspace)), Edit::Changed);
        assert_eq!(l.as_str(), "");
        let mut l = LineInput::prefilled("14:30");
        l.on_key(&key(KeyCode::Delete));
        assert_eq!(l.as_str(), "");
    }

    #[test]
    fn home_end_and_emacs_keys() {
        let mut l = LineInput::new();
        typed(&mut l, "bc");
        l.on_key(&key(KeyCode::Home));
        typed(&mut l, "a");
        assert_eq!((l.as_str(), l.caret), ("abc", 1));
        l.on_key(&key(KeyCode::End));
        assert_eq!(l.caret, 3);
        l.on_key(&ctrl('a'));
        assert_eq!(l.caret, 0);
        l.on_key(&ctrl('e'));
        assert_eq!(l.caret, 3);
        l.on_key(&key(KeyCode::Left));
        l.on_key(&key(KeyCode::Delete));
        assert_eq!(l.as_str(), "ab");
        l.on_key(&key(KeyCode::Right));
        assert_eq!(l.caret, 2, "the caret stops at the end");
    }

    #[test]
    fn ctrl_u_w_k() {
        let mut l = LineInput::new();
        typed(&mut l, "홍길동 010 1234");
        assert_eq!(l.on_key(&ctrl('w')), Edit::Changed);
        assert_eq!(l.as_str(), "홍길동 010 ");
        l.on_key(&ctrl('w'));
        assert_eq!(l.as_str(), "홍길동 ");
        typed(&mut l, "님");
        l.on_key(&ctrl('a'));
        l.on_key(&key(KeyCode::Right));
        l.on_key(&ctrl('k'));
        assert_eq!(l.as_str(), "홍");
        l.on_key(&ctrl('u'));
        assert_eq!((l.as_str(), l.caret), ("", 0));
        // Other control keys are not edits: the caller may bind them (Ctrl-S saves).
        assert_eq!(l.on_key(&ctrl('s')), Edit::Ignored);
        assert_eq!(l.on_key(&KeyEvent::new(KeyCode::Char('x'), KeyModifiers::ALT)), Edit::Ignored);
        assert_eq!(l.as_str(), "");
    }

    #[test]
    fn caret_counts_korean_as_two_columns() {
        let mut l = LineInput::new();
        typed(&mut l, "홍길동a");
        assert_eq!(l.caret_col(), 7);
        l.on_key(&key(KeyCode::Left));
        l.on_key(&key(KeyCode::Left));
        assert_eq!((l.caret, l.caret_col()), (2, 4));
        // Narrow: the caret stays visible and its column is in display columns.
        let (shown, col) = visible("홍길동입니다", 6, 6);
        assert!(col < 6, "{shown:?} {col}");
        assert_eq!(visible("홍길동", 1, 20), ("홍길동".to_string(), 2));
    }

    #[test]
    fn paste_is_one_clean_line_and_replaces_a_selection() {
        let mut l = LineInput::prefilled("old");
        assert_eq!(l.paste("김\n환자\t\u{7}메모"), Edit::Changed);
        assert_eq!(l.as_str(), "김 환자 메모");
        l.on_key(&key(KeyCode::Home));
        l.paste("[");
        assert_eq!((l.as_str(), l.caret), ("[김 환자 메모", 1));
        assert_eq!(l.paste("\u{7}"), Edit::Ignored);
    }

    #[test]
    fn an_empty_value_is_never_selected() {
        let l = LineInput::prefilled("");
        assert!(!l.selected);
        let mut l = LineInput::new();
        assert_eq!(l.on_key(&key(KeyCode::Backspace)), Edit::Moved);
    }
}
