//! A data table: columns measured by display width (a Hangul syllable is two columns), columns
//! that hide when the table is narrower than their `hide_below`, one column that takes the
//! width left over, cells cut to fit with `~` (ASCII, the default) or `…`, and the selected row
//! shown twice: a `>` in the marker column and the theme's selected style, so that the
//! selection is visible without colour (NO_COLOR, monochrome terminals).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;

use super::selection::Selection;
use crate::app::theme::Theme;
use crate::domain::text::{truncate, width};

/// The marker column: `> ` on the selected row.
pub const MARKER: &str = "> ";
/// The marker column's width.
pub const MARKER_W: u16 = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    #[default]
    Left,
    Right,
}

#[derive(Debug, Clone, Default)]
pub struct Column {
    pub title: String,
    /// Columns wide (the least, for the fill column).
    pub width: u16,
    /// Takes what the other columns leave (at most one column should).
    pub fill: bool,
    /// Hidden when the table is narrower than this.
    pub hide_below: u16,
    pub align: Align,
}

impl Column {
    pub fn new(title: impl Into<String>, width: u16) -> Column {
        Column { title: title.into(), width, ..Column::default() }
    }
    pub fn fill(mut self) -> Self {
        self.fill = true;
        self
    }
    pub fn hide_below(mut self, cols: u16) -> Self {
        self.hide_below = cols;
        self
    }
    pub fn right(mut self) -> Self {
        self.align = Align::Right;
        self
    }
}

/// Where each column goes in a table `total` columns wide (marker included): `(x offset,
/// width)`, `None` for a hidden column. One space between columns.
pub fn layout(columns: &[Column], total: u16) -> Vec<Option<(u16, u16)>> {
    let shown: Vec<bool> = columns.iter().map(|c| total >= c.hide_below).collect();
    let gaps = shown.iter().filter(|s| **s).count().saturating_sub(1) as u16;
    let fixed: u16 = columns.iter().zip(&shown).filter(|(_, s)| **s).map(|(c, _)| c.width).sum();
    let room = total.saturating_sub(MARKER_W + gaps);
    let extra = room.saturating_sub(fixed);
    let mut x = MARKER_W;
    let mut out = Vec::with_capacity(columns.len());
    for (c, s) in columns.iter().zip(shown) {
        if !s {
            out.push(None);
            continue;
        }
        let w = if c.fill { c.width + extra } else { c.width };
        let w = w.min(total.saturating_sub(x));
        out.push(Some((x, w)));
        x = x.saturating_add(w + 1);
    }
    out
}

/// Cuts `text` to `cols` columns, ending in `~` when cut (one column in every terminal; `…`
/// is ambiguous-width and breaks alignment where East Asian fonts draw it wide).
pub fn cut(text: &str, cols: usize) -> String {
    truncate(text, cols)
}

/// The table over borrowed rows: one span (text and style) per column per row.
pub struct Table<'a> {
    pub columns: &'a [Column],
    pub rows: &'a [Vec<Span<'a>>],
    pub selection: Option<&'a Selection>,
    pub header: bool,
    pub header_style: Style,
    pub theme: &'a Theme,
    /// Shown in the first row when there are no rows.
    pub empty: Option<&'a str>,
}

impl<'a> Table<'a> {
    pub fn new(columns: &'a [Column], rows: &'a [Vec<Span<'a>>], theme: &'a Theme) -> Table<'a> {
        Table { columns, rows, selection: None, header: true, header_style: theme.title, theme, empty: None }
    }
    pub fn selection(mut self, selection: &'a Selection) -> Self {
        self.selection = Some(selection);
        self
    }
    pub fn header(mut self, header: bool) -> Self {
        self.header = header;
        self
    }
    pub fn header_style(mut self, style: Style) -> Self {
        self.header_style = style;
        self
    }
    pub fn empty(mut self, text: &'a str) -> Self {
        self.empty = Some(text);
        self
    }

    fn put_row(
        &self,
        buf: &mut Buffer,
        area: Rect,
        y: u16,
        cells: &[Span<'_>],
        at: &[Option<(u16, u16)>],
        on: Style,
    ) {
        for ((cell, place), column) in cells.iter().zip(at).zip(self.columns) {
            let Some((x, w)) = *place else { continue };
            if w == 0 || x >= area.width {
                continue;
            }
            let text = cut(&cell.content, w as usize);
            let pad = (w as usize).saturating_sub(width(&text)) as u16;
            let x0 = if column.align == Align::Right { x + pad } else { x };
            buf.set_stringn(area.x + x0, y, &text, w as usize, cell.style.patch(on));
        }
    }
}

impl<'a> ratatui::widgets::Widget for Table<'a> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.width == 0 || area.height == 0 {
            return;
        }
        let at = layout(self.columns, area.width);
        let mut y = area.y;
        if self.header {
            let titles: Vec<Span<'_>> = self.columns.iter().map(|c| Span::raw(c.title.as_str())).collect();
            self.put_row(buf, area, y, &titles, &at, self.header_style);
            y += 1;
        }
        let height = (area.y + area.height).saturating_sub(y) as usize;
        if self.rows.is_empty() {
            if let (Some(text), true) = (self.empty, height > 0) {
                buf.set_stringn(
                    area.x + MARKER_W,
                    y,
                    text,
                    area.width.saturating_sub(MARKER_W) as usize,
                    self.theme.dim,
                );
            }
            if let Some(s) = self.selection {
                let _ = s.window(height);
            }
            return;
        }
        let rows_area = Rect { y, height: height as u16, ..area };
        let window = match self.selection {
            Some(s) => s.window_in(rows_area),
            None => 0..self.rows.len().min(height),
        };
        let selected = self.selection.map(|s| s.index());
        for (line, i) in window.enumerate() {
            let row_y = y + line as u16;
            let on = if Some(i) == selected { self.theme.selected } else { Style::default() };
            if Some(i) == selected {
                buf.set_style(
                    Rect { x: area.x, y: row_y, width: area.width, height: 1 },
                    self.theme.selected,
                );
                buf.set_string(area.x, row_y, MARKER, self.theme.selected);
            }
            self.put_row(buf, area, row_y, &self.rows[i], &at, on);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::theme::THEME;
    use ratatui::widgets::Widget;

    fn lines(buf: &Buffer) -> Vec<String> {
        let a = buf.area;
        (0..a.height)
            .map(|y| {
                let mut s = String::new();
                let mut skip = 0;
                for x in 0..a.width {
                    if skip > 0 {
                        skip -= 1;
                        continue;
                    }
                    let sym = buf[(x, y)].symbol();
                    skip = width(sym).saturating_sub(1);
                    s.push_str(sym);
                }
                s.trim_end().to_string()
            })
            .collect()
    }

    fn cols() -> Vec<Column> {
        vec![
            Column::new("Time", 5),
            Column::new("Name", 6).fill(),
            Column::new("Phone", 13).hide_below(40),
            Column::new("Won", 6).right(),
        ]
    }

    #[test]
    fn columns_hide_below_their_width_and_the_fill_column_takes_the_rest() {
        let c = cols();
        assert_eq!(layout(&c, 50), vec![Some((2, 5)), Some((8, 21)), Some((30, 13)), Some((44, 6))]);
        let narrow = layout(&c, 30);
        assert_eq!(narrow[2], None, "phone hidden below 40 columns");
        assert_eq!(narrow[1], Some((8, 15)));
        assert_eq!(narrow[3], Some((24, 6)));
    }

    #[test]
    fn korean_text_is_measured_by_display_width_and_cut_with_a_mark() {
        assert_eq!(cut("홍길동환자", 6), "홍길~");
        assert_eq!(cut("홍길동", 6), "홍길동");
        let c = cols();
        let rows = vec![vec![
            Span::raw("09:00"),
            Span::raw("김가상환자이름이긴사람"),
            Span::raw("010-0000-0000"),
            Span::raw("5,000"),
        ]];
        let mut buf = Buffer::empty(Rect::new(0, 0, 30, 2));
        Table::new(&c, &rows, &THEME).render(buf.area, &mut buf);
        let l = lines(&buf);
        assert_eq!(l[0], format!("  Time  Name{}Won", " ".repeat(15)));
        assert_eq!(l[1], "  09:00 김가상환자이름~  5,000", "cut by display width, money right-aligned");
    }

    #[test]
    fn the_selected_row_has_a_marker_and_the_selected_style() {
        let c = cols();
        let rows: Vec<Vec<Span<'_>>> = (0..6)
            .map(|i| vec![Span::raw(format!("{i}")), Span::raw("x"), Span::raw(""), Span::raw("1")])
            .collect();
        let mut sel = Selection::new(rows.len());
        sel.select(4);
        let mut buf = Buffer::empty(Rect::new(0, 0, 30, 4));
        Table::new(&c, &rows, &THEME).selection(&sel).render(buf.area, &mut buf);
        let l = lines(&buf);
        assert_eq!(l.len(), 4);
        assert!(l[3].starts_with("> 4"), "{l:?}");
        assert!(l[1].starts_with("  2"), "scrolled to keep row 4 in view: {l:?}");
        assert_eq!(buf[(10, 3)].style().bg, THEME.selected.bg);
        assert_eq!(sel.page(), 3, "the visible height is the page size");
    }

    #[test]
    fn an_empty_table_says_so() {
        let c = cols();
        let rows: Vec<Vec<Span<'_>>> = Vec::new();
        let mut buf = Buffer::empty(Rect::new(0, 0, 30, 3));
        Table::new(&c, &rows, &THEME).empty("nothing").render(buf.area, &mut buf);
        assert_eq!(lines(&buf)[1], "  nothing");
    }
}
