//! The progress bar: filled to the progress in the status colour, the rest dim, and the pace
//! marker (where the progress should be by now) on top when there is one. Used by the OKR tab
//! and the huddle's OKR pulse.

use ratatui::buffer::Buffer;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::app::theme::{BOX_SYMBOLS, Symbols};

#[derive(Debug, Clone, Copy)]
pub struct ProgressBar {
    /// 0.0..=1.0; `None` when there is no measurement (drawn empty).
    pub progress: Option<f64>,
    /// Where the progress should be by now, 0.0..=1.0.
    pub pace: Option<f64>,
    pub filled: Style,
    pub empty: Style,
    pub marker: Style,
    /// The characters drawn: box drawing, or ASCII with `borders = "ascii"`.
    pub symbols: Symbols,
}

impl ProgressBar {
    pub fn new(progress: Option<f64>, filled: Style, empty: Style) -> ProgressBar {
        ProgressBar { progress, pace: None, filled, empty, marker: filled, symbols: BOX_SYMBOLS }
    }

    pub fn pace(mut self, pace: f64, marker: Style) -> Self {
        self.pace = Some(pace);
        self.marker = marker;
        self
    }

    /// Draws with the theme's symbols (ASCII when the clinic asked for it).
    pub fn symbols(mut self, symbols: Symbols) -> Self {
        self.symbols = symbols;
        self
    }

    /// Filled cells out of `cols`.
    pub fn filled_cells(&self, cols: usize) -> usize {
        self.progress.map(|p| (p.clamp(0.0, 1.0) * cols as f64).round() as usize).unwrap_or(0).min(cols)
    }

    /// The bar `cols` cells wide, as spans to put on a line.
    pub fn spans(&self, cols: usize) -> Vec<Span<'static>> {
        if cols == 0 {
            return Vec::new();
        }
        let filled = self.filled_cells(cols);
        let marker =
            self.pace.map(|p| ((p.clamp(0.0, 1.0) * cols as f64).round() as usize).clamp(1, cols) - 1);
        let mut spans: Vec<Span<'static>> = Vec::new();
        let mut run = String::new();
        let mut run_style = None;
        for i in 0..cols {
            let (sym, style) = if Some(i) == marker {
                (self.symbols.bar_marker, self.marker)
            } else if i < filled {
                (self.symbols.bar_full, self.filled)
            } else {
                (self.symbols.bar_empty, self.empty)
            };
            if run_style.is_some_and(|s| s != style) {
                spans.push(Span::styled(std::mem::take(&mut run), run_style.unwrap_or_default()));
            }
            run_style = Some(style);
            run.push_str(sym);
        }
        spans.push(Span::styled(run, run_style.unwrap_or_default()));
        spans
    }

    /// Draws the bar at (x, y), `cols` cells wide.
    pub fn render(&self, buf: &mut Buffer, x: u16, y: u16, cols: u16) {
        buf.set_line(x, y, &Line::from(self.spans(cols as usize)), cols);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Color;

    fn text(spans: &[Span<'_>]) -> String {
        spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn fills_to_the_progress() {
        let bar = ProgressBar::new(Some(0.5), Style::new().fg(Color::Green), Style::new());
        assert_eq!(text(&bar.spans(10)), "━━━━━─────");
        assert_eq!(text(&ProgressBar::new(None, Style::new(), Style::new()).spans(4)), "────");
        assert_eq!(text(&ProgressBar::new(Some(1.7), Style::new(), Style::new()).spans(4)), "━━━━");
        assert!(bar.spans(0).is_empty());
    }

    #[test]
    fn the_pace_marker_sits_on_top_and_colours_hold() {
        let green = Style::new().fg(Color::Green);
        let bar = ProgressBar::new(Some(0.2), green, Style::new()).pace(0.6, Style::new().fg(Color::White));
        let spans = bar.spans(10);
        assert_eq!(text(&spans), "━━───┃────");
        assert_eq!(spans[0].style, green);
        let at_zero = ProgressBar::new(Some(0.0), green, Style::new()).pace(0.0, green);
        assert_eq!(text(&at_zero.spans(3)), "┃──", "the marker is always on the bar");
    }

    #[test]
    fn renders_into_a_buffer() {
        let mut buf = Buffer::empty(ratatui::layout::Rect::new(0, 0, 6, 1));
        ProgressBar::new(Some(0.5), Style::new(), Style::new()).render(&mut buf, 1, 0, 4);
        assert_eq!(buf[(1, 0)].symbol(), "━");
        assert_eq!(buf[(4, 0)].symbol(), "─");
        assert_eq!(buf[(0, 0)].symbol(), " ");
    }
}
