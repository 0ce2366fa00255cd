//! The yes/no prompt, with one key set everywhere: `y`, `Y`, `ㅛ` or Enter answer yes; `n`,
//! `N`, `ㅜ` or Esc answer no; any other key leaves the question open.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::app::keymap::{is_no, is_yes};
use crate::app::theme::Theme;
use crate::app::widgets;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Yes,
    No,
}

/// The answer a key gives, `None` for keys that do not answer.
pub fn answer(key: &KeyEvent) -> Option<Answer> {
    if key.code == KeyCode::Enter || is_yes(key) {
        Some(Answer::Yes)
    } else if key.code == KeyCode::Esc || is_no(key) {
        Some(Answer::No)
    } else {
        None
    }
}

/// A question waiting for its answer, holding what it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirm<T> {
    pub subject: T,
}

impl<T> Confirm<T> {
    pub fn new(subject: T) -> Confirm<T> {
        Confirm { subject }
    }

    /// `Some(answer)` when the key answers; the caller then drops the prompt.
    pub fn on_key(&self, key: &KeyEvent) -> Option<Answer> {
        answer(key)
    }
}

/// The prompt's box: a title, the question (one or more lines) and the key line, centred.
pub struct ConfirmBox<'a> {
    pub title: &'a str,
    pub question: Vec<Line<'a>>,
    /// What yes and no do, e.g. ("예약하기", "나중에").
    pub yes: &'a str,
    pub no: &'a str,
    pub width: u16,
    pub style: ratatui::style::Style,
}

impl<'a> ConfirmBox<'a> {
    pub fn new(title: &'a str, question: impl Into<Line<'a>>, yes: &'a str, no: &'a str) -> ConfirmBox<'a> {
        ConfirmBox {
            title,
            question: vec![question.into()],
            yes,
            no,
            width: 60,
            style: ratatui::style::Style::default(),
        }
    }

    pub fn width(mut self, width: u16) -> Self {
        self.width = width;
        self
    }

    pub fn style(mut self, style: ratatui::style::Style) -> Self {
        self.style = style;
        self
    }

    pub fn line(mut self, line: impl Into<Line<'a>>) -> Self {
        self.question.push(line.into());
        self
    }

    /// The key line: the same keys in both languages.
    pub fn keys(yes: &str, no: &str) -> String {
        format!("y/Enter {yes}    n/Esc {no}")
    }

    pub fn render(self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        // Each question line wrapped to the box, the key line, a blank row, the borders.
        let inner_w = self.width.min(area.width).saturating_sub(2).max(1) as usize;
        let rows: usize = self.question.iter().map(|l| l.width().div_ceil(inner_w).max(1)).sum();
        let height = rows as u16 + 4;
        let popup = crate::app::form::popup(area, self.width, height);
        let inner = widgets::popup_panel(format!(" {} ", self.title), popup, area, buf, theme);
        let mut lines = self.question;
        lines.push(Line::from(Span::styled(Self::keys(self.yes, self.no), theme.title)));
        Paragraph::new(lines).style(self.style).wrap(Wrap { trim: false }).render(inner, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyModifiers;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn one_key_set_answers() {
        for c in ['y', 'Y', 'ㅛ'] {
            assert_eq!(answer(&key(KeyCode::Char(c))), Some(Answer::Yes), "{c}");
        }
        assert_eq!(answer(&key(KeyCode::Enter)), Some(Answer::Yes));
        for c in ['n', 'N', 'ㅜ'] {
            assert_eq!(answer(&key(KeyCode::Char(c))), Some(Answer::No), "{c}");
        }
        assert_eq!(answer(&key(KeyCode::Esc)), Some(Answer::No));
        for c in ['x', 'q', ' ', 'ㅇ'] {
            assert_eq!(answer(&key(KeyCode::Char(c))), None, "{c} leaves the question open");
        }
        assert_eq!(Confirm::new(7).on_key(&key(KeyCode::Char('y'))), Some(Answer::Yes));
    }

    #[test]
    fn the_box_shows_the_question_and_the_keys() {
        let area = Rect::new(0, 0, 70, 12);
        let mut buf = Buffer::empty(area);
        ConfirmBox::new("Delete", "Delete this answer?", "deletes", "keeps it").render(
            area,
            &mut buf,
            &crate::app::theme::THEME,
        );
        let text: String = (0..area.height)
            .map(|y| (0..area.width).map(|x| buf[(x, y)].symbol().to_string()).collect::<String>() + "\n")
            .collect();
        assert!(text.contains("Delete this answer?"), "{text}");
        assert!(text.contains("y/Enter"), "{text}");
        assert!(text.contains("n/Esc"), "{text}");
    }
}
