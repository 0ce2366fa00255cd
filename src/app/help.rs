//! The `?` overlay, generated from the keymap table.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Widget};

use super::keymap::{self, Context};
use super::theme::Theme;
use super::{App, widgets};
use crate::domain::Lang;
use crate::domain::text::fit;

#[derive(Debug, Default, Clone)]
pub struct HelpState {
    pub scroll: u16,
}

/// The contexts help lists: the current tab's first, then the rest that apply anywhere.
fn help_contexts(app: &App) -> Vec<Context> {
    if app.opts.presentation {
        return vec![Context::SharedScreen];
    }
    let tab = app.tabs.get(app.active).context();
    vec![tab, Context::List, Context::Global, Context::Form, Context::Search, Context::Settings]
}

/// The help text as lines (also used by tests to prove every binding is listed).
pub fn lines(contexts: &[Context], lang: Lang) -> Vec<(Option<Context>, String, String)> {
    let mut out = Vec::new();
    for &c in contexts {
        out.push((Some(c), c.title(lang).to_string(), String::new()));
        for b in keymap::bindings(c) {
            out.push((None, b.keys_label(), b.describe(lang).to_string()));
        }
    }
    out
}

pub fn render(state: &HelpState, app: &App, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let lang = app.opts.lang;
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
    for (ctx, keys, desc) in lines(&help_contexts(app), lang) {
        if ctx.is_some() {
            if !text.is_empty() {
                text.push(Line::from(""));
            }
            text.push(Line::from(Span::styled(keys, theme.title)));
        } else {
            text.push(Line::from(vec![Span::styled(fit(&keys, 22), theme.info), Span::raw(desc)]));
        }
    }
    if app.tabs.get(app.active).context() == Context::Inquiries {
        // The typical call, walked from the call form itself so it cannot drift from it.
        let (keys, count) = super::tabs::inquiries::typical_call(&app.catalog, lang, app.now().date());
        let label = match lang {
            Lang::Ko => format!("통화 예시 ({count}키)"),
            Lang::En => format!("Typical call ({count} keys)"),
        };
        let at = (1 + keymap::bindings(Context::Inquiries).len()).min(text.len());
        text.insert(at, Line::from(vec![Span::styled(fit(&label, 22), theme.info), Span::raw(keys)]));
    }
    let max_scroll = (text.len() as u16).saturating_sub(inner.height);
    Paragraph::new(text).scroll((state.scroll.min(max_scroll), 0)).render(inner, buf);
}
