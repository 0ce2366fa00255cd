//! One list selection: which row is selected, which row is at the top of the visible window,
//! and how many rows the window showed at the last draw (the page size for PgUp/PgDn).
//!
//! Keys come as keymap commands: Up/Down (↑↓, j/k), PageUp/PageDown (a page is the visible
//! height), Top/Bottom (Home/End, g/G). The selection stays in range when the list shrinks.

use std::cell::{Cell, RefCell};
use std::ops::Range;

use ratatui::layout::Rect;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::keymap::Command;

/// The page size used before the list has been drawn once.
const DEFAULT_PAGE: usize = 10;

#[derive(Debug, Default, Clone)]
pub struct Selection {
    index: usize,
    len: usize,
    /// The first visible row; kept by [`Selection::window`] so that moving up inside the
    /// window does not scroll it.
    offset: Cell<usize>,
    /// The visible height at the last draw; 0 before the first.
    page: Cell<usize>,
}

impl Selection {
    pub fn new(len: usize) -> Selection {
        Selection { len, ..Selection::default() }
    }

    /// The selected position, always `< len` (0 for an empty list).
    pub fn index(&self) -> usize {
        self.index
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The list now has `len` rows; the selection stays where it was or on the last row.
    pub fn set_len(&mut self, len: usize) {
        self.len = len;
        self.index = self.index.min(len.saturating_sub(1));
    }

    /// Puts the selection on `index` (clamped to the list).
    pub fn select(&mut self, index: usize) {
        self.index = index.min(self.len.saturating_sub(1));
    }

    /// Back to the first row, scrolled to the top.
    pub fn reset(&mut self) {
        self.index = 0;
        self.offset.set(0);
    }

    /// Moves by `delta` rows, stopping at either end.
    pub fn move_by(&mut self, delta: isize) {
        if self.len == 0 {
            self.index = 0;
            return;
        }
        let to = (self.index as isize).saturating_add(delta).clamp(0, self.len as isize - 1);
        self.index = to as usize;
    }

    /// Rows in a page: the visible height at the last draw.
    pub fn page(&self) -> usize {
        match self.page.get() {
            0 => DEFAULT_PAGE,
            n => n,
        }
    }

    /// The visible height at the last draw, 0 before the first.
    pub fn drawn_height(&self) -> usize {
        self.page.get()
    }

    /// Handles a movement command; false for any other command (and the selection is unchanged).
    pub fn on_command(&mut self, command: Command) -> bool {
        let page = self.page() as isize;
        match command {
            Command::Up => self.move_by(-1),
            Command::Down => self.move_by(1),
            Command::PageUp => self.move_by(-page),
            Command::PageDown => self.move_by(page),
            Command::Top => self.index = 0,
            Command::Bottom => self.index = self.len.saturating_sub(1),
            _ => return false,
        }
        true
    }

    /// True for the commands [`Selection::on_command`] handles.
    pub fn is_movement(command: Command) -> bool {
        matches!(
            command,
            Command::Up
                | Command::Down
                | Command::PageUp
                | Command::PageDown
                | Command::Top
                | Command::Bottom
        )
    }

    /// The rows to draw in a window `height` rows tall, scrolled so the selection is inside.
    /// Called while drawing; remembers the height as the page size.
    pub fn window(&self, height: usize) -> Range<usize> {
        self.page.set(height);
        if height == 0 || self.len == 0 {
            self.offset.set(0);
            return 0..0;
        }
        let mut offset = self.offset.get().min(self.len.saturating_sub(1));
        if self.index < offset {
            offset = self.index;
        } else if self.index >= offset + height {
            offset = self.index + 1 - height;
        }
        // No empty space below the last row when the list could fill the window.
        offset = offset.min(self.len.saturating_sub(height));
        self.offset.set(offset);
        offset..(offset + height).min(self.len)
    }

    /// [`Selection::window`] for rows drawn one per line in `area`: also remembers where they
    /// went, so a mouse click finds its row ([`drawn_lists`], [`DrawnList::row_at`]).
    pub fn window_in(&self, area: Rect) -> Range<usize> {
        let window = self.window(area.height as usize);
        let list = DrawnList { area, offset: window.start, len: self.len, selected: self.index };
        DRAWN.with(|d| d.borrow_mut().push(list));
        window
    }

    /// For a list that draws whole pages itself (rows of different heights): the rows shown
    /// now, the page size for PgUp/PgDn.
    pub fn set_page(&self, rows: usize) {
        self.page.set(rows);
    }

    /// The first visible row at the last draw.
    pub fn offset(&self) -> usize {
        self.offset.get()
    }
}

/// A list as the last frame drew it: where its rows were and which rows they showed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DrawnList {
    /// The rows' area (one row per line, the header excluded).
    pub area: Rect,
    /// The list position drawn on the first line.
    pub offset: usize,
    pub len: usize,
    /// The selected position when it was drawn.
    pub selected: usize,
}

impl DrawnList {
    /// The list position drawn at screen cell (`x`, `y`), if a row is there.
    pub fn row_at(&self, x: u16, y: u16) -> Option<usize> {
        let a = self.area;
        if x < a.x || x >= a.x + a.width || y < a.y || y >= a.y + a.height {
            return None;
        }
        let row = self.offset + (y - a.y) as usize;
        (row < self.len).then_some(row)
    }
}

thread_local! {
    /// The lists drawn since [`begin_frame`], in drawing order (the last is on top).
    static DRAWN: RefCell<Vec<DrawnList>> = const { RefCell::new(Vec::new()) };
}

/// Forgets the lists of the previous frame; called when a frame starts.
pub fn begin_frame() {
    DRAWN.with(|d| d.borrow_mut().clear());
    crate::app::form::begin_frame();
}

/// The lists the last frame drew, in drawing order.
pub fn drawn_lists() -> Vec<DrawnList> {
    DRAWN.with(|d| d.borrow().clone())
}

/// The movement a raw key means in a list that reads raw keys (a panel with no text field):
/// ↑↓ and j/k, PgUp/PgDn, Home/End and g/G, as the keymap binds them for tabs.
pub fn list_key(key: &KeyEvent) -> Option<Command> {
    if key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) {
        return None;
    }
    Some(match key.code {
        KeyCode::Up | KeyCode::Char('k') => Command::Up,
        KeyCode::Down | KeyCode::Char('j') => Command::Down,
        KeyCode::PageUp => Command::PageUp,
        KeyCode::PageDown => Command::PageDown,
        KeyCode::Home | KeyCode::Char('g') => Command::Top,
        KeyCode::End | KeyCode::Char('G') => Command::Bottom,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_list_keys_are_the_keymaps_movements() {
        let k = |code| KeyEvent::new(code, KeyModifiers::NONE);
        assert_eq!(list_key(&k(KeyCode::Char('j'))), Some(Command::Down));
        assert_eq!(list_key(&k(KeyCode::PageDown)), Some(Command::PageDown));
        assert_eq!(list_key(&KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT)), Some(Command::Bottom));
        assert_eq!(list_key(&k(KeyCode::Char('x'))), None);
        assert_eq!(list_key(&KeyEvent::new(KeyCode::Char('j'), KeyModifiers::CONTROL)), None);
    }

    #[test]
    fn a_drawn_list_finds_the_row_under_a_click() {
        begin_frame();
        let mut s = Selection::new(20);
        s.select(12);
        let area = Rect::new(2, 5, 30, 4);
        assert_eq!(s.window_in(area), 9..13);
        let drawn = drawn_lists();
        assert_eq!(drawn.len(), 1);
        let list = drawn[0];
        assert_eq!(list.selected, 12);
        assert_eq!(list.row_at(2, 5), Some(9));
        assert_eq!(list.row_at(31, 8), Some(12));
        assert_eq!(list.row_at(1, 5), None, "left of the rows");
        assert_eq!(list.row_at(32, 5), None, "right of the rows");
        assert_eq!(list.row_at(5, 9), None, "below the rows");
        let short = Selection::new(2);
        let _ = short.window_in(area);
        assert_eq!(drawn_lists()[1].row_at(3, 7), None, "below the last row of a short list");
        begin_frame();
        assert!(drawn_lists().is_empty());
    }

    #[test]
    fn moves_and_stops_at_the_ends() {
        let mut s = Selection::new(5);
        assert!(s.on_command(Command::Up));
        assert_eq!(s.index(), 0);
        s.on_command(Command::Down);
        s.on_command(Command::Down);
        assert_eq!(s.index(), 2);
        s.on_command(Command::Bottom);
        assert_eq!(s.index(), 4);
        s.on_command(Command::Down);
        assert_eq!(s.index(), 4);
        s.on_command(Command::Top);
        assert_eq!(s.index(), 0);
        assert!(!s.on_command(Command::Open));
    }

    #[test]
    fn pages_by_the_visible_height() {
        let mut s = Selection::new(100);
        assert_eq!(s.page(), DEFAULT_PAGE, "before the first draw");
        let _ = s.window(7);
        s.on_command(Command::PageDown);
        assert_eq!(s.index(), 7);
        s.on_command(Command::PageDown);
        assert_eq!(s.index(), 14);
        s.on_command(Command::PageUp);
        assert_eq!(s.index(), 7);
        let _ = s.window(20);
        s.on_command(Command::PageUp);
        assert_eq!(s.index(), 0);
    }

    #[test]
    fn stays_in_range_when_the_list_shrinks() {
        let mut s = Selection::new(10);
        s.select(9);
        s.set_len(4);
        assert_eq!(s.index(), 3);
        s.set_len(0);
        assert_eq!(s.index(), 0);
        assert!(s.is_empty());
        s.on_command(Command::Down);
        assert_eq!(s.index(), 0);
        assert_eq!(s.window(5), 0..0);
    }

    #[test]
    fn the_window_follows_the_selection_and_keeps_its_place() {
        let mut s = Selection::new(20);
        assert_eq!(s.window(5), 0..5);
        s.select(7);
        assert_eq!(s.window(5), 3..8, "scrolled just enough to show row 7 at the bottom");
        s.move_by(-2);
        assert_eq!(s.window(5), 3..8, "moving up inside the window does not scroll");
        s.select(1);
        assert_eq!(s.window(5), 1..6);
        s.select(19);
        assert_eq!(s.window(5), 15..20);
        s.set_len(6);
        assert_eq!(s.window(5), 1..6, "no blank rows below a shrunk list");
        assert_eq!(s.index(), 5);
    }
}
