//! Drawing a form: its fields, the caret, and an optional panel beside it.

#[allow(unused_imports)]
use super::*;
use ratatui::style::Modifier;

/// Where a pick choice was drawn, for a mouse click: the cells `x0..x1` of row `y`, and the
/// keys that choose it from the form as drawn (Tab or Shift-Tab `steps` times to reach its
/// field, then its digit, then `right` presses of the right arrow for choices past the ninth).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChoiceHit {
    pub x0: u16,
    pub x1: u16,
    pub y: u16,
    pub steps: i32,
    pub choice: usize,
}

thread_local! {
    static CHOICES: std::cell::RefCell<Vec<ChoiceHit>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Forgets the choices of the previous frame (called with `kit::selection::begin_frame`).
pub fn begin_frame() {
    CHOICES.with(|c| c.borrow_mut().clear());
}

/// The pick choice the last frame drew under (x, y), if any.
pub fn choice_at(x: u16, y: u16) -> Option<ChoiceHit> {
    CHOICES.with(|c| c.borrow().iter().rev().find(|h| h.y == y && h.x0 <= x && x < h.x1).copied())
}

/// Records the choices of one pick line drawn from `x` on row `y` (the spans `choice_spans`
/// made: an optional `~`, then each choice's text followed by one space).
fn record_choices(spans: &[Span<'_>], x: u16, y: u16, texts_from: usize, steps: i32) {
    let mut at = x;
    let mut choice = texts_from;
    let mut iter = spans.iter().peekable();
    if iter.peek().is_some_and(|s| s.content == "~") {
        at += 1;
        iter.next();
    }
    while let Some(span) = iter.next() {
        if span.content == "~" && iter.peek().is_none() {
            break;
        }
        let w = crate::domain::text::width(&span.content) as u16;
        CHOICES.with(|c| c.borrow_mut().push(ChoiceHit { x0: at, x1: at + w, y, steps, choice }));
        at += w;
        // The space after it.
        if iter.next().is_some() {
            at += 1;
        }
        choice += 1;
    }
}

impl Form {
    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        self.render_aside_with(area, buf, theme, &|s: &str| s.to_string());
    }

    /// Draws the form with its side panel's text (data from the database: the Q&A manual,
    /// referrer matches) through `view.free`, so a masked screen masks it.
    pub fn render_in(&self, area: Rect, buf: &mut Buffer, view: &crate::app::View<'_>) {
        self.render_aside_with(area, buf, view.theme, &|s: &str| view.free(s));
    }

    pub(super) fn render_aside_with(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        aside_text: &dyn Fn(&str) -> String,
    ) {
        let lang = self.lang;
        let popup = self.popup_area(area);
        let inner = widgets::popup_panel(format!(" {} ", self.title), popup, area, buf, theme);
        let (fields_area, aside_area) = if !self.aside.is_empty() && inner.width >= 90 {
            let left = Rect { width: 70, ..inner };
            let right = Rect { x: inner.x + 71, width: inner.width - 71, ..inner };
            (left, Some(right))
        } else {
            (inner, None)
        };
        let label_w = 14usize;
        let value_w = (fields_area.width as usize).saturating_sub(label_w + 1);
        let mut y = fields_area.y;
        let bottom = fields_area.y + fields_area.height.saturating_sub(2);
        self.caret_at.set(None);
        // Tab presses from the focused field to field `i` (negative: Shift-Tab).
        let visible = self.visible();
        let pos = |i: usize| visible.iter().position(|&v| v == i).unwrap_or(0) as i32;
        let steps_to = |i: usize| pos(i) - pos(self.focus);
        for (i, f) in self.fields.iter().enumerate() {
            if f.hidden || y >= bottom {
                continue;
            }
            let focused = i == self.focus;
            let label_style = if focused { theme.title } else { theme.dim };
            let mark = if f.required { "*" } else { " " };
            let label = fit(&format!("{mark}{}", f.label), label_w);
            let mut spans = vec![Span::styled(label, label_style), Span::raw(" ")];
            match &f.kind {
                FieldKind::Pick { choices, selected } => {
                    let (line, first) =
                        choice_spans(choices, |i| Some(i) == *selected, None, focused, value_w, theme);
                    record_choices(&line, fields_area.x + label_w as u16 + 1, y, first, steps_to(i));
                    spans.extend(line);
                }
                FieldKind::Multi { choices, selected, cursor } => {
                    let (line, first) = choice_spans(
                        choices,
                        |i| selected[i],
                        Some(*cursor).filter(|_| focused),
                        focused,
                        value_w,
                        theme,
                    );
                    record_choices(&line, fields_area.x + label_w as u16 + 1, y, first, steps_to(i));
                    spans.extend(line);
                }
                _ => {
                    let shown = visible_text(&f.value, f.caret, value_w);
                    if f.value.is_empty() && !f.hint.is_empty() {
                        spans.push(placeholder(&f.hint, value_w, theme));
                    } else {
                        // A selected value (typing replaces it) is marked; the caret's field
                        // otherwise shows plain text, underlined where it can be edited.
                        let style = if self.shows_selected(i) {
                            theme.selected
                        } else if focused {
                            theme.base.add_modifier(Modifier::UNDERLINED)
                        } else {
                            theme.base
                        };
                        spans.push(Span::styled(shown.0.clone(), style));
                    }
                    if focused {
                        let x = fields_area.x + (label_w + 1 + shown.1) as u16;
                        self.caret_at.set(Some((x.min(fields_area.right().saturating_sub(1)), y)));
                    }
                }
            }
            Paragraph::new(Line::from(spans)).render(Rect { y, height: 1, ..fields_area }, buf);
            y += 1;
            if let Some(err) = &f.error {
                if y < bottom {
                    let msg =
                        truncate(&format!("{}{err}", " ".repeat(label_w + 1)), fields_area.width as usize);
                    Paragraph::new(Span::styled(msg, theme.warn))
                        .render(Rect { y, height: 1, ..fields_area }, buf);
                    y += 1;
                }
            }
        }
        // Status line of the form: confirmation, message, or the keys.
        let status_y = fields_area.y + fields_area.height.saturating_sub(1);
        let status = if self.confirm_discard {
            Span::styled(
                lang.pick(
                    " 입력한 내용을 버릴까요? y 버리기 / 다른 키: 계속 쓰기",
                    " Discard what was typed? y discards / any other key keeps writing",
                ),
                theme.error,
            )
        } else if let Some(m) = &self.message {
            Span::styled(format!(" {m}"), theme.warn)
        } else {
            let hints: Vec<String> = keymap::bindings(Context::Form)
                .iter()
                .filter(|b| b.footer)
                .map(|b| format!("{} {}", b.keys_label(), b.describe(lang)))
                .collect();
            Span::styled(format!(" {}", hints.join("  ")), theme.dim)
        };
        Paragraph::new(Line::from(status)).render(Rect { y: status_y, height: 1, ..fields_area }, buf);
        if let Some(aside) = aside_area {
            for (j, line) in self.aside.iter().enumerate() {
                let yy = aside.y + j as u16;
                if yy >= aside.bottom() {
                    break;
                }
                Paragraph::new(Span::styled(truncate(&aside_text(line), aside.width as usize), theme.info))
                    .render(Rect { y: yy, height: 1, ..aside }, buf);
            }
        }
    }
}

/// An empty field's hint, drawn so it can never pass for a value: dim and italic, which
/// `NO_COLOR` keeps (it drops colours only). The hint is never the field's value.
pub(crate) fn placeholder(hint: &str, cols: usize, theme: &Theme) -> Span<'static> {
    Span::styled(truncate(hint, cols), theme.dim.add_modifier(Modifier::ITALIC))
}
