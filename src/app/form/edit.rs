//! Editing a field's value from keys, and drawing a pick field's choices.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::style::Style;
use ratatui::text::Span;

use super::Theme;
use super::{Choice, Field, FieldKind, pick_hotkeys, pick_index};
use crate::app::kit::line_input;
use crate::domain::Lang;
use crate::domain::text::width;

pub(super) fn phone_error(e: &str, lang: Lang) -> String {
    match lang {
        Lang::En => e.to_string(),
        Lang::Ko => "전화번호 형식이 아닙니다 (예: 010-1234-5678, 02-123-4567)".into(),
    }
}

/// A text field's keys: the one line editor of the kit.
pub(super) fn edit_text(f: &mut Field, key: &KeyEvent) -> bool {
    line_input::edit(&mut f.value, &mut f.caret, &mut f.selected, key).changed()
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
                KeyCode::Char(c) => match pick_index(choices, c) {
                    Some(i) => Some(i),
                    None => return false,
                },
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
                KeyCode::Char(c) => match pick_index(choices, c) {
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
) -> (Vec<Span<'static>>, usize) {
    let keys = pick_hotkeys(choices);
    let texts: Vec<String> = choices
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let key = match keys[i] {
                (Some(d), Some(l)) => format!("{d}/{l}:"),
                (Some(k), None) | (None, Some(k)) => format!("{k}:"),
                (None, None) => String::new(),
            };
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
    (spans, start)
}
