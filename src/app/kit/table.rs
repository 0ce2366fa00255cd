//! A data table: columns measured by display width (a Hangul syllable is two columns), columns
//! that hide when the table is narrower than their `hide_below`, one column that takes the
//! width left over, cells cut to fit with `~` (ASCII, the default) or `…`, and the selected row
//! shown twice: a `>` in the marker column and the theme's selected style, so that the
//! selection is visible without colour (NO_COLOR, monochrome terminals).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::progress::ProgressBar;
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

/// What a cell holds: styled text (one or more spans, cut at its end with `~`), a progress
/// bar as wide as the cell, or a left part cut to fit beside a right part kept whole and
/// flush right (a title beside its dates).
#[derive(Debug, Clone)]
pub enum Content<'a> {
    Text(Line<'a>),
    Bar(ProgressBar),
    Split(Line<'a>, Line<'a>),
}

/// One cell of a row; `span` columns wide (1 unless it spans the next columns too).
#[derive(Debug, Clone)]
pub struct Cell<'a> {
    pub content: Content<'a>,
    pub span: u16,
    /// Keeps its own colours on the selected row (sticker badges).
    pub keep_style: bool,
}

impl<'a> Cell<'a> {
    pub fn text(line: impl Into<Line<'a>>) -> Cell<'a> {
        Cell { content: Content::Text(line.into()), span: 1, keep_style: false }
    }
    pub fn styled(text: impl Into<std::borrow::Cow<'a, str>>, style: Style) -> Cell<'a> {
        Cell::text(Span::styled(text, style))
    }
    /// A progress bar filling the cell (`ProgressBar::symbols` chooses its characters).
    pub fn bar(bar: ProgressBar) -> Cell<'a> {
        Cell { content: Content::Bar(bar), span: 1, keep_style: false }
    }
    /// `left` cut to what `right` leaves; `right` flush right.
    pub fn split(left: impl Into<Line<'a>>, right: impl Into<Line<'a>>) -> Cell<'a> {
        Cell { content: Content::Split(left.into(), right.into()), span: 1, keep_style: false }
    }
    /// Keeps its own colours on the selected row (a coloured badge stays that colour).
    pub fn keep_style(mut self) -> Self {
        self.keep_style = true;
        self
    }
    /// Also takes the next `n - 1` columns (the hidden ones count and give no room).
    pub fn span(mut self, n: u16) -> Self {
        self.span = n.max(1);
        self
    }
}

impl<'a> From<Span<'a>> for Cell<'a> {
    fn from(s: Span<'a>) -> Self {
        Cell::text(s)
    }
}

impl<'a> From<Line<'a>> for Cell<'a> {
    fn from(l: Line<'a>) -> Self {
        Cell::text(l)
    }
}

impl<'a> From<String> for Cell<'a> {
    fn from(s: String) -> Self {
        Cell::text(Span::raw(s))
    }
}

impl<'a> From<&'a str> for Cell<'a> {
    fn from(s: &'a str) -> Self {
        Cell::text(Span::raw(s))
    }
}

/// A row: its cells (one per column unless a cell spans more), a style under the whole row,
/// and lines that go on below it from a column on (a list too long for its cell, wrapped).
#[derive(Debug, Clone, Default)]
pub struct Row<'a> {
    pub cells: Vec<Cell<'a>>,
    pub style: Style,
    /// Lines below the row, starting at column `more_from`.
    pub more: Vec<Line<'a>>,
    pub more_from: usize,
}

impl<'a> Row<'a> {
    pub fn new(cells: Vec<Cell<'a>>) -> Row<'a> {
        Row { cells, ..Row::default() }
    }
    pub fn style(mut self, style: Style) -> Self {
        self.style = style;
        self
    }
    /// Lines that go on below the row, from column `from` on.
    pub fn more(mut self, from: usize, lines: Vec<Line<'a>>) -> Self {
        self.more_from = from;
        self.more = lines;
        self
    }
    /// Lines the row takes.
    pub fn height(&self) -> usize {
        1 + self.more.len()
    }
}

/// What a table draws a row from: a [`Row`], or one plain span per column.
pub trait TableRow {
    fn row(&self) -> Row<'_>;
}

impl TableRow for Vec<Span<'_>> {
    fn row(&self) -> Row<'_> {
        Row::new(self.iter().map(|s| Cell::from(s.clone())).collect())
    }
}

impl TableRow for Row<'_> {
    fn row(&self) -> Row<'_> {
        self.clone()
    }
}

/// Draws `line` at (x, y) within `w` columns, cut with `~` when it does not fit, flush right
/// with `Align::Right`; each span's style patched with `on` (the selected style).
pub fn put_line(buf: &mut Buffer, x: u16, y: u16, w: u16, line: &Line<'_>, align: Align, on: Style) {
    let w = w as usize;
    if w == 0 {
        return;
    }
    let total: usize = line.spans.iter().map(|s| width(&s.content)).sum();
    let mut parts: Vec<(String, Style)> = Vec::new();
    let mut left = w;
    let mut rest = total;
    for s in &line.spans {
        if left == 0 {
            break;
        }
        let sw = width(&s.content);
        let text = if rest <= left || sw < left {
            s.content.to_string()
        } else {
            // The line is cut inside this span: it ends in `~` even when the span alone fits.
            truncate(&format!("{} ", s.content), left)
        };
        rest -= sw;
        left = left.saturating_sub(width(&text));
        parts.push((text, s.style.patch(line.style)));
    }
    let used = w - left;
    let mut x = if align == Align::Right { x + (w - used) as u16 } else { x };
    for (text, style) in parts {
        let tw = width(&text);
        buf.set_stringn(x, y, &text, tw, style.patch(on));
        x += tw as u16;
    }
}

fn put_content(buf: &mut Buffer, x: u16, y: u16, w: u16, content: &Content<'_>, align: Align, on: Style) {
    match content {
        Content::Text(line) => put_line(buf, x, y, w, line, align, on),
        Content::Bar(bar) => put_line(buf, x, y, w, &Line::from(bar.spans(w as usize)), Align::Left, on),
        Content::Split(left, right) => {
            let rw = (right.width() as u16).min(w);
            put_line(buf, x + w - rw, y, rw, right, Align::Left, on);
            put_line(buf, x, y, w.saturating_sub(rw + 1), left, Align::Left, on);
        }
    }
}

/// The table over borrowed rows (a [`Row`] each, or one span per column).
pub struct Table<'a, R = Vec<Span<'a>>> {
    pub columns: &'a [Column],
    pub rows: &'a [R],
    pub selection: Option<&'a Selection>,
    /// A row shown selected without a [`Selection`] (a list that pages instead of scrolling).
    pub highlight: Option<usize>,
    pub header: bool,
    pub header_style: Style,
    pub theme: &'a Theme,
    /// Shown in the first row when there are no rows.
    pub empty: Option<&'a str>,
}

impl<'a> Table<'a> {
    /// A table of plain rows: one span per column.
    pub fn new(columns: &'a [Column], rows: &'a [Vec<Span<'a>>], theme: &'a Theme) -> Table<'a> {
        Table::of(columns, rows, theme)
    }
}

impl<'a, R: TableRow> Table<'a, R> {
    /// A table of [`Row`]s (styled cells, bars, spans, lines below).
    pub fn of(columns: &'a [Column], rows: &'a [R], theme: &'a Theme) -> Table<'a, R> {
        Table {
            columns,
            rows,
            selection: None,
            highlight: None,
            header: true,
            header_style: theme.title,
            theme,
            empty: None,
        }
    }
    pub fn selection(mut self, selection: &'a Selection) -> Self {
        self.selection = Some(selection);
        self
    }
    pub fn highlight(mut self, row: Option<usize>) -> Self {
        self.highlight = row;
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
        row: &Row<'_>,
        at: &[Option<(u16, u16)>],
        on: Style,
    ) {
        let mut col = 0;
        for cell in &row.cells {
            let cols = col..(col + cell.span as usize).min(self.columns.len());
            col = cols.end;
            let mut shown = at[cols.clone()].iter().flatten();
            let Some(&(x, w)) = shown.next() else { continue };
            let end = shown.last().map_or(x + w, |(x2, w2)| x2 + w2);
            let w = end.saturating_sub(x).min(area.width.saturating_sub(x));
            if w == 0 || x >= area.width {
                continue;
            }
            let on = if cell.keep_style { Style::default() } else { on };
            put_content(buf, area.x + x, y, w, &cell.content, self.columns[cols.start].align, on);
        }
    }
}

impl<'a, R: TableRow> ratatui::widgets::Widget for Table<'a, R> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.width == 0 || area.height == 0 {
            return;
        }
        let at = layout(self.columns, area.width);
        let mut y = area.y;
        if self.header {
            let titles = Row::new(self.columns.iter().map(|c| Cell::from(c.title.as_str())).collect());
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
            None => 0..self.rows.len(),
        };
        let selected = self.selection.map(|s| s.index()).or(self.highlight);
        let bottom = area.y + area.height;
        for i in window {
            if y >= bottom {
                break;
            }
            let row = self.rows[i].row();
            let is_selected = Some(i) == selected;
            let on = if is_selected { self.theme.selected } else { Style::default() };
            for line in 0..row.height().min((bottom - y) as usize) {
                let whole = Rect { x: area.x, y: y + line as u16, width: area.width, height: 1 };
                buf.set_style(whole, row.style);
                if is_selected {
                    buf.set_style(whole, self.theme.selected);
                }
            }
            if is_selected {
                buf.set_string(area.x, y, MARKER, self.theme.selected);
            }
            self.put_row(buf, area, y, &row, &at, on);
            y += 1;
            let from = at.iter().skip(row.more_from).flatten().next().map_or(MARKER_W, |p| p.0);
            for line in &row.more {
                if y >= bottom {
                    break;
                }
                put_line(buf, area.x + from, y, area.width.saturating_sub(from), line, Align::Left, on);
                y += 1;
            }
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

    #[test]
    fn styled_cells_span_split_bars_and_lines_below() {
        use crate::app::theme::tag_style;
        use crate::domain::Tag;
        let c = cols();
        let bar =
            ProgressBar::new(Some(0.5), Style::new(), Style::new()).symbols(crate::app::theme::ASCII_SYMBOLS);
        let rows = vec![
            // A heading across time, name and phone; its dates flush right.
            Row::new(vec![Cell::split("Objective title that is long", "1/1~2/2").span(3), Cell::from("9")]),
            Row::new(vec![
                Cell::text(Line::from(vec![Span::styled("R", tag_style(Tag::Referrer))])).keep_style(),
                Cell::bar(bar).span(2),
                Cell::from("12345678"),
            ])
            .more(1, vec![Line::from("and more below")]),
        ];
        let mut sel = Selection::new(rows.len());
        sel.select(1);
        let mut buf = Buffer::empty(Rect::new(0, 0, 30, 4));
        Table::of(&c, &rows, &THEME).header(false).selection(&sel).render(buf.area, &mut buf);
        let l = lines(&buf);
        assert_eq!(l[0], "  Objective ti~ 1/1~2/2      9", "{l:?}");
        assert_eq!(l[1], "> R     ========....... 12345~", "{l:?}");
        assert_eq!(l[2], "        and more below", "{l:?}");
        assert_eq!(buf[(2, 1)].style().bg, tag_style(Tag::Referrer).bg, "the badge keeps its colour");
        assert_eq!(buf[(10, 2)].style().bg, THEME.selected.bg, "the selected row's lines below too");
    }

    #[test]
    fn a_cut_line_of_several_spans_ends_in_the_mark() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 6, 1));
        let line = Line::from(vec![Span::raw("abc"), Span::raw("def"), Span::raw("g")]);
        put_line(&mut buf, 0, 0, 6, &line, Align::Left, Style::default());
        assert_eq!(lines(&buf)[0], "abcde~");
        let mut buf = Buffer::empty(Rect::new(0, 0, 6, 1));
        let line = Line::from(vec![Span::raw("abcdef"), Span::raw("g")]);
        put_line(&mut buf, 0, 0, 6, &line, Align::Left, Style::default());
        assert_eq!(lines(&buf)[0], "abcde~", "a span that fills the cell is cut when more follows");
    }
}
