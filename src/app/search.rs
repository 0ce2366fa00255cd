//! Patient search (Ctrl-F): by name, Korean initial consonants, chart number or the last four
//! digits of the phone. Results follow every keystroke; Enter opens the card, Ctrl-B books the
//! patient at once.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::keymap::{self, Command, Context};
use super::kit::line_input::LineInput;
use super::layers::{Effect, Overlay};
use super::widgets;
use super::{Ctx, View};
use crate::domain::mask::{mask_name, mask_phone};
use crate::domain::text::{fit, width};
use crate::domain::{Lang, Sex, age_on};
use crate::store::patients::{Patient, search_patients};
use crate::store::{self, Store};

/// How many matches are read and shown.
pub const RESULT_LIMIT: usize = 30;

#[derive(Debug, Clone, Default)]
pub struct SearchView {
    pub query: LineInput,
    pub results: Vec<Patient>,
    pub selected: usize,
    pub error: Option<String>,
    caret_at: std::cell::Cell<Option<(u16, u16)>>,
}

impl SearchView {
    pub fn run(&mut self, store: &Store) -> store::Result<()> {
        self.results = search_patients(store, self.query.as_str(), RESULT_LIMIT)?;
        self.selected = self.selected.min(self.results.len().saturating_sub(1));
        Ok(())
    }

    /// A key in the search box: Enter answers [`Effect::OpenPatient`], Esc [`Effect::Close`].
    pub fn search_key(&mut self, key: &KeyEvent, store: &Store) -> Effect {
        match keymap::lookup(&[Context::Search], key) {
            Some(Command::Up) => self.selected = self.selected.saturating_sub(1),
            Some(Command::Down) => {
                self.selected = (self.selected + 1).min(self.results.len().saturating_sub(1))
            }
            Some(Command::Open) => {
                return match self.results.get(self.selected) {
                    Some(p) => Effect::OpenPatient(p.id),
                    None => Effect::Handled,
                };
            }
            // Book the patient at once: the booking form as from the card (last 원장 and
            // treatment, the cursor on the date).
            Some(Command::Book) => {
                return match self.results.get(self.selected) {
                    Some(p) => {
                        Effect::Book(super::BookingRequest { patient_id: Some(p.id), ..Default::default() })
                    }
                    None => Effect::Handled,
                };
            }
            Some(Command::Back) => return Effect::Close,
            _ => {
                let changed = self.query.on_key(key).changed();
                if changed {
                    self.selected = 0;
                    self.error = self.run(store).err().map(|e| e.to_string());
                }
            }
        }
        Effect::Handled
    }
}

impl Overlay for SearchView {
    fn on_key(&mut self, key: &KeyEvent, ctx: &mut Ctx<'_>) -> Effect {
        self.search_key(key, ctx.store)
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::Search]
    }

    fn cursor(&self) -> Option<(u16, u16)> {
        self.caret_at.get()
    }

    fn render(&self, area: Rect, buf: &mut Buffer, view: &View<'_>) {
        let lang = view.lang;
        let theme = view.theme;
        let popup =
            super::form::popup(area, 76, (RESULT_LIMIT as u16 + 5).min(area.height.saturating_sub(4)));
        let title = lang.pick(
            " 환자 검색 - 이름, 초성(ㅎㄱㄷ), 차트번호, 전화 뒤 4자리 ",
            " Patient search - name, chart number, last 4 phone digits ",
        );
        let inner = widgets::popup_panel(title, popup, area, buf, theme);
        if inner.height < 3 {
            return;
        }
        let prompt = "> ";
        let (shown, caret_col) = self.query.visible((inner.width as usize).saturating_sub(4));
        Paragraph::new(Line::from(vec![Span::styled(prompt, theme.info), Span::styled(shown, theme.title)]))
            .render(Rect { height: 1, ..inner }, buf);
        let cx = inner.x + (width(prompt) + caret_col) as u16;
        self.caret_at.set(Some((cx.min(inner.right().saturating_sub(1)), inner.y)));
        let list = Rect { y: inner.y + 2, height: inner.height - 2, ..inner };
        if let Some(e) = &self.error {
            Paragraph::new(Span::styled(e.clone(), theme.error)).render(Rect { height: 1, ..list }, buf);
            return;
        }
        if self.results.is_empty() {
            let msg = if self.query.as_str().trim().is_empty() {
                lang.pick("찾을 환자를 입력하세요", "Type to find a patient")
            } else {
                lang.pick("맞는 환자가 없습니다", "No patient matches")
            };
            Paragraph::new(Span::styled(msg, theme.dim)).render(Rect { height: 1, ..list }, buf);
            return;
        }
        let offset = self.selected.saturating_sub(list.height as usize - 1);
        for (i, p) in self.results.iter().enumerate().skip(offset).take(list.height as usize) {
            let y = list.y + (i - offset) as u16;
            let name = if view.mask { mask_name(&p.name) } else { p.name.clone() };
            let phone = if view.mask { mask_phone(&p.phone) } else { p.phone.clone() };
            let age = p.birth_date.map(|b| age_on(b, view.now.date()).to_string()).unwrap_or_default();
            let sex = match (p.sex, lang) {
                (Some(Sex::M), Lang::Ko) => "남",
                (Some(Sex::F), Lang::Ko) => "여",
                (Some(Sex::M), Lang::En) => "M",
                (Some(Sex::F), Lang::En) => "F",
                _ => "",
            };
            let text =
                format!("{}  {}  {}  {}", p.chart_no, fit(&name, 16), fit(&format!("{age}{sex}"), 4), phone);
            let style = if i == self.selected { theme.selected } else { theme.base };
            buf.set_style(Rect { y, height: 1, ..list }, style);
            buf.set_stringn(list.x, y, fit(&text, list.width as usize), list.width as usize, style);
        }
    }
}
