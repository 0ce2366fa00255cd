//! The `?` overlay, generated from the keymap table.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Widget};

use crossterm::event::KeyEvent;

use super::keymap::{self, Command, Context, KeyNote};
use super::layers::{Effect, Layer, Overlay};
use super::{App, Ctx, View, widgets};
use crate::domain::Lang;
use crate::domain::text::fit;

#[derive(Debug, Default, Clone)]
pub struct HelpState {
    pub scroll: u16,
    /// Rows shown and the furthest scroll, as the last frame drew them (paging needs both).
    page: std::cell::Cell<u16>,
    max_scroll: std::cell::Cell<u16>,
    /// The contexts listed, as they were when help opened.
    contexts: Vec<Context>,
    /// On the Inquiries tab: the typical call, as keys, and how many.
    typical_call: Option<(String, usize)>,
}

impl HelpState {
    /// Help over what `app` shows now.
    pub fn open(app: &App) -> HelpState {
        let typical_call = (!app.opts.presentation
            && app.tabs.get(app.active).context() == Context::Inquiries)
            .then(|| super::tabs::inquiries::typical_call(&app.catalog, app.opts.lang, app.now().date()));
        HelpState { contexts: help_contexts(app), typical_call, ..HelpState::default() }
    }

    /// Scrolls by line, by page (PgUp/PgDn, Space), or to either end (Home/g, End/G).
    pub fn on_command(&mut self, command: Command) {
        let page = self.page.get().max(1);
        let max = self.max_scroll.get();
        self.scroll = match command {
            Command::Up => self.scroll.saturating_sub(1),
            Command::Down => self.scroll.saturating_add(1),
            Command::PageUp => self.scroll.saturating_sub(page),
            Command::PageDown => self.scroll.saturating_add(page),
            Command::Top => 0,
            Command::Bottom => max,
            _ => self.scroll,
        }
        .min(max);
    }

    /// The scroll position as shown at the foot of help: the last row in view / all rows.
    pub fn position(&self, total: u16) -> String {
        format!("{}/{total}", (self.scroll + self.page.get()).min(total))
    }
}

/// True when `key` asks for help over the overlay `layer`: its keymap (the card's, settings')
/// binds `?` to help and no text field of it has the keyboard (a field takes `?` as text).
pub(super) fn asked_over(app: &App, layer: Layer, key: &KeyEvent) -> bool {
    if !matches!(layer, Layer::Card | Layer::Settings) || app.opts.presentation {
        return false;
    }
    let contexts = app.contexts();
    !contexts.contains(&Context::Form)
        && keymap::lookup(&contexts, &keymap::latin_key(key)) == Some(Command::Help)
}

/// The contexts help lists: the overlay's (the card's, settings') first when help was asked
/// over one, then the current tab's, then the rest that apply anywhere.
fn help_contexts(app: &App) -> Vec<Context> {
    if app.opts.presentation {
        return vec![Context::SharedScreen, Context::Help];
    }
    let over: Vec<Context> = match app.owner() {
        Layer::Card | Layer::Settings => app.contexts(),
        _ => Vec::new(),
    };
    let tab = app.tabs.get(app.active).context();
    // The OKR board and its revenue report list each other's keys, the one shown first.
    let also: &[Context] = match tab {
        Context::Okr => &[Context::OkrReport],
        Context::OkrReport => &[Context::Okr],
        _ => &[],
    };
    let mut rest = vec![tab];
    rest.extend_from_slice(also);
    rest.extend([
        Context::List,
        Context::Global,
        Context::Form,
        Context::Search,
        Context::Card,
        Context::CardMoney,
        Context::Settings,
        Context::Help,
    ]);
    let mut out = over;
    for c in rest {
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

/// The help text as lines, `true` marking a heading (also used by tests to prove every binding
/// is listed). After the contexts' bindings come the keys the widgets handle themselves: text
/// fields and picks, y/n prompts and the patient card (not on the shared screen, which has none).
pub fn lines(contexts: &[Context], lang: Lang) -> Vec<(bool, String, String)> {
    let mut out = Vec::new();
    for &c in contexts {
        out.push((true, c.title(lang).to_string(), String::new()));
        for b in keymap::bindings(c) {
            out.push((false, b.help_label(), b.describe(lang).to_string()));
        }
    }
    if contexts.contains(&Context::SharedScreen) {
        return out;
    }
    let notes: [(&str, &str, &[KeyNote]); 3] = [
        ("입력칸과 선택 목록", "Fields and pick lists", keymap::FIELD_NOTES),
        ("예/아니오 질문", "Yes/no questions", keymap::PROMPT_NOTES),
        ("환자 카드: 스티커 제안", "Patient card: sticker suggestions", keymap::CARD_NOTES),
    ];
    for (ko, en, rows) in notes {
        out.push((true, lang.pick(ko, en).to_string(), String::new()));
        for n in rows {
            out.push((false, n.keys.to_string(), lang.pick(n.ko, n.en).to_string()));
        }
    }
    out.push((
        false,
        "ㅁ=a ㅂ=q ...".to_string(),
        lang.pick(
            "한글 자판 상태로도 모든 글자 키가 같은 자리 영문 키로 동작",
            "In 한글 mode every letter key works as the Latin key in its place",
        )
        .to_string(),
    ));
    out
}

impl Overlay for HelpState {
    /// Scrolls; Esc (or `?`) closes.
    fn on_key(&mut self, key: &KeyEvent, _ctx: &mut Ctx<'_>) -> Effect {
        match keymap::lookup(&[Context::Help], key) {
            Some(Command::Close) => return Effect::Close,
            Some(command) => self.on_command(command),
            None => {}
        }
        Effect::Handled
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::Help]
    }

    fn render(&self, area: Rect, buf: &mut Buffer, view: &View<'_>) {
        render(self, area, buf, view)
    }
}

fn render(state: &HelpState, area: Rect, buf: &mut Buffer, view: &View<'_>) {
    let lang = view.lang;
    let theme = view.theme;
    let w = area.width.saturating_sub(8).min(72);
    let h = area.height.saturating_sub(4);
    // Even coordinates keep the popup edge off the middle of a wide character.
    let x = (area.x + (area.width - w) / 2) & !1;
    let popup = Rect { x, y: area.y + 2, width: w, height: h };
    // Clear one extra column each side so no half of a wide character stays at the edge.
    let clear = Rect { x: popup.x.saturating_sub(1), width: (popup.width + 2).min(area.width), ..popup };
    Clear.render(clear, buf);
    buf.set_style(clear, theme.base);
    let title = lang.pick(" 도움말 - Esc로 닫기 ", " Help - Esc closes ");
    let block = widgets::panel(Line::from(title), theme);
    let inner = block.inner(popup);
    block.render(popup, buf);
    let mut text = Vec::new();
    for (heading, keys, desc) in lines(&state.contexts, lang) {
        if heading {
            if !text.is_empty() {
                text.push(Line::from(""));
            }
            text.push(Line::from(Span::styled(keys, theme.title)));
        } else {
            text.push(Line::from(vec![Span::styled(fit(&keys, 22), theme.info), Span::raw(desc)]));
        }
    }
    if let Some((keys, count)) = state.typical_call.clone() {
        // The typical call, walked from the call form itself so it cannot drift from it.
        let label = match lang {
            Lang::Ko => format!("통화 예시 ({count}키)"),
            Lang::En => format!("Typical call ({count} keys)"),
        };
        let at = (1 + keymap::bindings(Context::Inquiries).len()).min(text.len());
        text.insert(at, Line::from(vec![Span::styled(fit(&label, 22), theme.info), Span::raw(keys)]));
    }
    let total = text.len() as u16;
    let max_scroll = total.saturating_sub(inner.height);
    state.page.set(inner.height);
    state.max_scroll.set(max_scroll);
    let shown = HelpState { scroll: state.scroll.min(max_scroll), ..state.clone() };
    Paragraph::new(text).scroll((shown.scroll, 0)).render(inner, buf);
    // Where we are, on the bottom border: the last row in view / all rows.
    let position = format!(" {} PgUp/PgDn ", shown.position(total));
    let pw = crate::domain::text::width(&position) as u16;
    if popup.width > pw + 2 && popup.height > 0 {
        buf.set_string(popup.x + popup.width - pw - 1, popup.y + popup.height - 1, &position, theme.title);
    }
}
