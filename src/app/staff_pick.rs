//! Who is at this terminal: a short pick list of the clinic's active staff (F2, or asked once
//! before the first change that would be audited while nobody is picked). The name goes on
//! every audit row this terminal writes and is remembered for the terminal
//! ([`crate::store::drafts::remember_staff`]).

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::keymap::Command;
use super::layers::{Effect, Overlay};
use super::{Ctx, View, widgets};
use crate::domain::text::{fit, truncate};
use crate::store::catalog::Catalog;

/// The key that opens the pick list: a function key, so it works in 한글 input mode too.
pub const KEY: KeyCode = KeyCode::F(2);

/// What the list was opened for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replay {
    /// A key that met the question: pressed again once the list is answered.
    Key(KeyEvent),
    /// A command (from a test or a queued action) that met it.
    Command(Command),
}

/// The open pick list.
#[derive(Debug, Clone)]
pub struct StaffPick {
    pub names: Vec<String>,
    pub selected: usize,
    /// Set when a save met the question: what to do again after the answer.
    pub replay: Option<Replay>,
}

impl StaffPick {
    /// The clinic's active staff, the current name selected.
    pub fn new(catalog: &Catalog, current: &str, replay: Option<Replay>) -> StaffPick {
        let names: Vec<String> = catalog.staff.iter().filter(|s| s.active).map(|s| s.name.clone()).collect();
        let selected = names.iter().position(|n| n == current).unwrap_or(0);
        StaffPick { names, selected, replay }
    }

    /// The name picked: the selected one.
    pub fn chosen(&self) -> Option<&str> {
        self.names.get(self.selected).map(String::as_str)
    }
}

impl Overlay for StaffPick {
    /// Enter or a digit picks ([`Effect::Accept`], the name is [`StaffPick::chosen`]); Esc
    /// leaves it as it is ([`Effect::Close`]).
    fn on_key(&mut self, key: &KeyEvent, _ctx: &mut Ctx<'_>) -> Effect {
        // In 한글 mode ㅓ/ㅏ move like j/k (the keymap's one 두벌식 mapping).
        let key = super::keymap::latin_key(key);
        match key.code {
            KeyCode::Esc => return Effect::Close,
            KeyCode::Enter => {
                return if self.chosen().is_some() { Effect::Accept } else { Effect::Close };
            }
            KeyCode::Up | KeyCode::Char('k') => self.selected = self.selected.saturating_sub(1),
            KeyCode::Down | KeyCode::Char('j') => {
                self.selected = (self.selected + 1).min(self.names.len().saturating_sub(1))
            }
            KeyCode::Home => self.selected = 0,
            KeyCode::End => self.selected = self.names.len().saturating_sub(1),
            // Digits pick the first nine directly (they work in 한글 mode too).
            KeyCode::Char(c @ '1'..='9') => {
                let i = c as usize - '1' as usize;
                if i < self.names.len() {
                    self.selected = i;
                    return Effect::Accept;
                }
            }
            _ => {}
        }
        Effect::Handled
    }

    fn render(&self, area: Rect, buf: &mut Buffer, view: &View<'_>) {
        let (lang, theme) = (view.lang, view.theme);
        let rows = self.names.len().clamp(1, 12) as u16;
        let popup = super::form::popup(area, 52, rows + 6);
        let title = lang.pick(" 이 단말기의 직원 ", " Who is at this terminal ");
        let inner = widgets::popup_panel(title, popup, area, buf, theme);
        let w = inner.width as usize;
        let mut lines = Vec::new();
        // Asked before a save that waits for the name, or opened to say who is at the desk.
        let (why, keys) = if self.replay.is_some() {
            (
                lang.pick(
                    "저장하기 전에 누구인지 고르세요. 기록에 이름이 남습니다.",
                    "Before saving: who is this? The name goes on the record.",
                ),
                lang.pick(
                    "Enter 고르고 저장  Esc 이름 없이 저장(OS 사용자만 기록)",
                    "Enter picks and saves  Esc saves without a name (OS user only)",
                ),
            )
        } else {
            (
                lang.pick("기록에 남을 이름을 고르세요.", "Pick the name that goes on the record."),
                lang.pick("Enter 고르기  Esc 그대로 두기", "Enter picks  Esc leaves it as it is"),
            )
        };
        lines.push(Line::from(Span::styled(truncate(why, w), theme.dim)));
        if self.names.is_empty() {
            lines.push(Line::from(Span::styled(
                truncate(
                    lang.pick(
                        "등록된 직원이 없습니다 - 설정(Ctrl-O)에서 추가하세요",
                        "No staff yet - add them in settings (Ctrl-O)",
                    ),
                    w,
                ),
                theme.error,
            )));
        }
        let offset = self.selected.saturating_sub(11);
        for (i, n) in self.names.iter().enumerate().skip(offset).take(12) {
            let style = if i == self.selected { theme.selected } else { theme.base };
            let digit = if i < 9 { format!("{} ", i + 1) } else { "  ".into() };
            lines.push(Line::from(Span::styled(fit(&format!(" {digit}{n}"), w), style)));
        }
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(truncate(keys, w), theme.title)));
        Paragraph::new(lines).render(inner, buf);
    }
}
