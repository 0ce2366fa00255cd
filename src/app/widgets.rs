//! Small shared widgets: tab bar, footer, notices, the too-small message.

use chrono::{Datelike, NaiveDate, Weekday};
use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

use super::theme::Theme;
use super::{MIN_HEIGHT, MIN_WIDTH, Notice, TabId, View};
use crate::domain::Lang;
use crate::domain::text::width;

pub fn weekday(d: NaiveDate, lang: Lang) -> &'static str {
    let i = d.weekday().num_days_from_monday() as usize;
    match lang {
        Lang::Ko => ["월", "화", "수", "목", "금", "토", "일"][i],
        Lang::En => ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][i],
    }
}

pub fn is_sunday(d: NaiveDate) -> bool {
    d.weekday() == Weekday::Sun
}

/// Said instead of drawing a broken layout.
pub fn too_small(area: Rect, buf: &mut Buffer, lang: Lang, theme: &Theme) {
    let (w, h) = (area.width, area.height);
    let msg = match lang {
        Lang::Ko => format!("창이 작습니다. {MIN_WIDTH}x{MIN_HEIGHT} 이상으로 키워 주세요 (지금 {w}x{h})."),
        Lang::En => format!("Window too small: make it at least {MIN_WIDTH}x{MIN_HEIGHT} (now {w}x{h})."),
    };
    // Wrapped here rather than by Paragraph: at a width of one or two columns its wrapping
    // put a double-width character past the edge of the buffer (a panic).
    buf.set_style(area, theme.warn);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for c in msg.chars() {
        let w = crate::domain::text::width(&c.to_string());
        if crate::domain::text::width(&line) + w > area.width as usize && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if w <= area.width as usize && !(line.is_empty() && c == ' ') {
            line.push(c);
        }
    }
    lines.push(line);
    for (i, l) in lines.iter().take(area.height as usize).enumerate() {
        buf.set_stringn(area.x, area.y + i as u16, l, area.width as usize, theme.warn);
    }
}

fn tab_label(tab: TabId, lang: Lang) -> String {
    format!(" {} {} ", tab.index() + 1, tab.title(lang))
}

/// The tab whose label the tab bar draws at column `x` (relative to the bar's left edge).
pub fn tab_at(x: u16, lang: Lang) -> Option<TabId> {
    let mut left = 0usize;
    for tab in TabId::ALL {
        let w = width(&tab_label(tab, lang));
        if (left..left + w).contains(&(x as usize)) {
            return Some(tab);
        }
        // One space between labels.
        left += w + 1;
    }
    None
}

pub fn tab_bar(area: Rect, buf: &mut Buffer, active: TabId, lang: Lang, theme: &Theme) {
    let mut spans = Vec::new();
    for tab in TabId::ALL {
        let label = tab_label(tab, lang);
        let style = if tab == active { theme.tab_active } else { theme.tab_inactive };
        spans.push(Span::styled(label, style));
        spans.push(Span::raw(" "));
    }
    Paragraph::new(Line::from(spans)).style(theme.base).render(area, buf);
}

/// Key hints, cut to the width (never half a hint).
/// The key hints. The last `pinned` hints (help, quit) stay at the right edge at any width
/// (keys alone when even their words do not fit); the others fill from the left, in order, and
/// the ones that do not fit are dropped.
pub fn footer(area: Rect, buf: &mut Buffer, hints: &[(String, &str)], pinned: usize, theme: &Theme) {
    let cols = area.width as usize;
    let pinned = pinned.min(hints.len());
    let (left, right) = hints.split_at(hints.len() - pinned);
    let hint_width = |key: &str, desc: &str| width(key) + 2 + width(desc) + 2;
    let full: usize = right.iter().map(|(k, d)| hint_width(k, d)).sum();
    let words = full <= cols;
    let right_width = if words { full } else { right.iter().map(|(k, _)| width(k) + 2).sum() };
    let mut spans = Vec::new();
    let mut used = 0usize;
    for (key, desc) in left {
        let w = hint_width(key, desc);
        if used + w + right_width > cols {
            break;
        }
        used += w;
        spans.push(Span::styled(format!(" {key} "), theme.footer_key));
        spans.push(Span::styled(format!(" {desc} "), theme.footer_text));
    }
    if !right.is_empty() {
        spans.push(Span::styled(" ".repeat(cols.saturating_sub(used + right_width)), theme.base));
        for (key, desc) in right {
            spans.push(Span::styled(format!(" {key} "), theme.footer_key));
            if words {
                spans.push(Span::styled(format!(" {desc} "), theme.footer_text));
            }
        }
    }
    Paragraph::new(Line::from(spans)).style(theme.base).render(area, buf);
}

pub fn notice_line(area: Rect, buf: &mut Buffer, notice: &Notice, theme: &Theme) {
    let (text, style) = match notice {
        Notice::Info(m) => (m.as_str(), theme.info),
        Notice::Error(m) => (m.as_str(), theme.error),
    };
    let text = crate::domain::text::truncate(&format!(" {text}"), area.width as usize);
    Paragraph::new(text).style(style).render(area, buf);
}

/// A bordered block with a title, in the theme.
pub fn panel<'a>(title: impl Into<Line<'a>>, theme: &Theme) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_set(theme.sym.border)
        .border_style(theme.border)
        .title(title.into().style(theme.title))
}

/// A centred popup of at most `w`x`h` inside `area`, starting on an even column.
pub fn popup(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width.saturating_sub(2)).max(1);
    let h = h.min(area.height.saturating_sub(2)).max(1);
    let x = (area.x + (area.width.saturating_sub(w)) / 2) & !1;
    let y = area.y + (area.height.saturating_sub(h)) / 2;
    Rect { x, y, width: w, height: h }
}

/// Clears a popup and one column either side, so no half of a wide character is left at its edge.
pub fn clear_popup(popup: Rect, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let x = popup.x.saturating_sub(1).max(area.x);
    let right = (popup.right() + 1).min(area.right());
    let clear = Rect { x, width: right - x, ..popup };
    Clear.render(clear, buf);
    buf.set_style(clear, theme.base);
}

/// A popup panel: clears `rect` (see [`clear_popup`]), draws a titled [`panel`] on it and
/// returns the area inside its borders.
pub fn popup_panel<'a>(
    title: impl Into<Line<'a>>,
    rect: Rect,
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
) -> Rect {
    clear_popup(rect, area, buf, theme);
    let block = panel(title, theme);
    let inner = block.inner(rect);
    block.render(rect, buf);
    inner
}

/// What a tab with no content yet will hold, said plainly.
pub fn coming(area: Rect, buf: &mut Buffer, view: &View<'_>, ko: &str, en: &str) {
    let block = panel(Line::from(""), view.theme);
    let inner = block.inner(area);
    block.render(area, buf);
    let text = view.lang.pick(ko, en);
    let lines = vec![Line::from(""), Line::from(Span::styled(text.to_string(), Style::default()))];
    Paragraph::new(lines)
        .alignment(Alignment::Left)
        .wrap(Wrap { trim: true })
        .style(view.theme.dim)
        .render(inner.inner(ratatui::layout::Margin { horizontal: 2, vertical: 1 }), buf);
}
