//! Editing a field's value from keys, and drawing a pick field's choices.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Style;
use ratatui::text::Span;

use super::Theme;
use super::{Choice, Field, FieldKind};
use crate::domain::Lang;
use crate::domain::text::{truncate, width};

pub(super) fn phone_error(e: &str, lang: Lang) -> String {
    match lang {
        Lang::En => e.to_string(),
        Lang::Ko => "전화번호 형식이 아닙니다 (예: 010-1234-5678, 02-123-4567)".into(),
    }
}

/// The part of `value` that fits in `cols` around the caret, and the caret's column in it.
pub(super) fn visible_text(value: &str, caret: usize, cols: usize) -> (String, usize) {
    let chars: Vec<char> = value.chars().collect();
    let caret = caret.min(chars.len());
    let before: String = chars[..caret].iter().collect();
    let mut start = 0;
    // Scroll so the caret stays visible.
    while width(&chars[start..caret].iter().collect::<String>()) + 1 > cols && start < caret {
        start += 1;
    }
    let _ = before;
    let shown: String = chars[start..].iter().collect();
    let caret_col = width(&chars[start..caret].iter().collect::<String>());
    (truncate(&shown, cols), caret_col)
}

pub(super) fn edit_text(f: &mut Field, key: &KeyEvent) -> bool {
    let mut chars: Vec<char> = f.value.chars().collect();
    f.caret = f.caret.min(chars.len());
    match key.code {
        KeyCode::Char('u') if key.modifiers.contains(KeyModifiers::CONTROL) => {
            chars.clear();
            f.caret = 0;
        }
        KeyCode::Char(_) if key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) => {
            return false;
        }
        KeyCode::Char(c) => {
            chars.insert(f.caret, c);
            f.caret += 1;
        }
        KeyCode::Backspace if f.caret > 0 => {
            chars.remove(f.caret - 1);
            f.caret -= 1;
        }
        KeyCode::Delete if f.caret < chars.len() => {
            chars.remove(f.caret);
        }
        KeyCode::Left => {
            f.caret = f.caret.saturating_sub(1);
            return false;
        }
        KeyCode::Right => {
            f.caret = (f.caret + 1).min(chars.len());
            return false;
        }
        KeyCode::Home => {
            f.caret = 0;
            return false;
        }
        KeyCode::End => {
            f.caret = chars.len();
            return false;
        }
        _ => return false,
    }
    f.value = chars.into_iter().collect();
    true
}

pub(super) fn edit_choice(f: &mut Field, key: &KeyEvent) -> bool {
    match &mut f.kind {
        FieldKind::Pick { choices, selected } => {
            let n = choices.len();
            if n == 0 {
                return false;
            }
            let new = match key.code {
                KeyCode::Right | KeyCode::Char(' ') => Some(selected.map_or(0, |i| (i + 1) % n)),
                KeyCode::Left => Some(selected.map_or(n - 1, |i| (i + n - 1) % n)),
                KeyCode::Backspace | KeyCode::Delete => None,
                KeyCode::Char(c) if c.is_ascii_digit() && c != '0' => {
                    let i = c as usize - '1' as usize;
                    if i < n { Some(i) } else { return false }
                }
                KeyCode::Char(c) => {
                    // Repeated letters step through the choices that share it.
                    let start = selected.map_or(0, |i| i + 1);
                    let found = (0..n).map(|k| (start + k) % n).find(|&i| choices[i].answers(c));
                    match found {
                        Some(i) => Some(i),
                        None => return false,
                    }
                }
                _ => return false,
            };
            if *selected == new {
                return false;
            }
            *selected = new;
            true
        }
        FieldKind::Multi { choices, selected, cursor } => {
            let n = choices.len();
            if n == 0 {
                return false;
            }
            match key.code {
                KeyCode::Right => {
                    *cursor = (*cursor + 1) % n;
                    false
                }
                KeyCode::Left => {
                    *cursor = (*cursor + n - 1) % n;
                    false
                }
                KeyCode::Char(' ') => {
                    selected[*cursor] = !selected[*cursor];
                    true
                }
                KeyCode::Char(c) if c.is_ascii_digit() && c != '0' => {
                    let i = c as usize - '1' as usize;
                    if i < n {
                        selected[i] = !selected[i];
                        *cursor = i;
                        true
                    } else {
                        false
                    }
                }
                KeyCode::Char(c) => match choices.iter().position(|ch| ch.answers(c)) {
                    Some(i) => {
                        selected[i] = !selected[i];
                        *cursor = i;
                        true
                    }
                    None => false,
                },
                _ => false,
            }
        }
        _ => false,
    }
}

pub(super) fn choice_spans(
    choices: &[Choice],
    is_selected: impl Fn(usize) -> bool,
    cursor: Option<usize>,
    focused: bool,
    cols: usize,
    theme: &Theme,
) -> Vec<Span<'static>> {
    let texts: Vec<String> = choices
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let key = c.shown_key(i).map(|k| format!("{k}:")).unwrap_or_default();
            let label = if focused { format!("{key}{}", c.label) } else { c.label.clone() };
            if is_selected(i) { format!("[{label}]") } else { format!(" {label} ") }
        })
        .collect();
    // Start late enough that the highlighted (or first picked) choice is on screen.
    let target = cursor.or_else(|| (0..choices.len()).find(|&i| is_selected(i))).unwrap_or(0);
    let mut start = 0;
    while start < target && texts[start..=target].iter().map(|t| width(t) + 1).sum::<usize>() + 2 > cols {
        start += 1;
    }
    let mut spans = Vec::new();
    let mut used = 0;
    if start > 0 {
        spans.push(Span::styled("~", theme.dim));
        used += 1;
    }
    for (i, text) in texts.iter().enumerate().skip(start) {
        let w = width(text) + 1;
        if used + w > cols {
            spans.push(Span::styled("~", theme.dim));
            break;
        }
        used += w;
        let mut style = if is_selected(i) {
            theme.selected
        } else if focused {
            theme.base
        } else {
            theme.dim
        };
        if cursor == Some(i) {
            style = style.patch(Style::new().add_modifier(ratatui::style::Modifier::UNDERLINED));
        }
        spans.push(Span::styled(text.clone(), style));
        spans.push(Span::raw(" "));
    }
    spans
}
