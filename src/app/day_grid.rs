//! The day's schedule beside a form that picks a date (booking, move, next visit): a time
//! grid with one row per slot of the clinic's interval and one column per provider who works
//! that day, the patients booked (masked where masking applies), the free slots, the lunch
//! break, and each capped treatment's count per hour (`추나 3/4`). A closed day or a holiday
//! shows its name instead of slots.
//!
//! Self-contained: the caller loads it ([`DayGrid::load`], or [`DayGrid::new`] with a layout
//! from `store::appointments::day_layout`), passes it the keys while it has the focus
//! ([`DayGrid::on_key`]: arrows move over the slots) and reads the pick with
//! [`DayGrid::selected_free_slot`]. When the area is narrow it shows as many provider columns
//! as fit around the selected one, then drops the per-hour counts, then the names.

use chrono::{NaiveDate, NaiveTime, Timelike};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use super::theme::THEME;
use crate::domain::Lang;
use crate::domain::calendar::{ClosedDay, weekday_name};
use crate::domain::mask::mask_name;
use crate::domain::schedule::{Cell, DayLayout};
use crate::domain::text::{fit, width};
use crate::store;

/// The time column: `09:30 `.
const TIME_W: u16 = 6;
/// A provider column at its narrowest.
const MIN_COL_W: u16 = 8;
/// A provider column at its widest.
const MAX_COL_W: u16 = 14;
/// The per-hour counts column.
const COUNT_W: u16 = 12;

/// The day's schedule grid with a cursor on one slot of one provider.
#[derive(Debug, Clone)]
pub struct DayGrid {
    layout: DayLayout,
    row: usize,
    col: usize,
    lang: Lang,
    mask: bool,
}

impl DayGrid {
    /// A grid over `layout`, the cursor on the first free slot (else the first slot).
    pub fn new(layout: DayLayout, lang: Lang, mask: bool) -> DayGrid {
        let mut g = DayGrid { layout, row: 0, col: 0, lang, mask };
        if let Some((r, c)) = g.first_free_from(0) {
            g.row = r;
            g.col = c;
        }
        g
    }

    /// Reads the day from the store and lays it out.
    pub fn load(db: &impl store::Db, date: NaiveDate, lang: Lang, mask: bool) -> store::Result<DayGrid> {
        Ok(DayGrid::new(store::appointments::day_layout(db, date)?, lang, mask))
    }

    /// Replaces the day shown (another date typed, a booking saved), keeping the cursor on
    /// the same time and provider where the new day has them.
    pub fn set_layout(&mut self, layout: DayLayout) {
        let keep = self.selected();
        let same_day = layout.date == self.layout.date;
        self.layout = layout;
        self.row = 0;
        self.col = 0;
        match keep {
            Some((t, p)) if self.select(t, p) => {}
            _ if !same_day => {
                if let Some((r, c)) = self.first_free_from(0) {
                    self.row = r;
                    self.col = c;
                }
            }
            _ => {}
        }
    }

    pub fn layout(&self) -> &DayLayout {
        &self.layout
    }

    pub fn date(&self) -> NaiveDate {
        self.layout.date
    }

    /// Moves the cursor to the slot containing `time` in `provider`'s column; false (cursor
    /// unchanged) when the day has no such slot or column.
    pub fn select(&mut self, time: NaiveTime, provider: Option<i64>) -> bool {
        let Some(c) = self.layout.columns.iter().position(|c| c.provider_id == provider) else {
            return false;
        };
        let slot = chrono::Duration::minutes(self.layout.slot_min);
        let Some(r) = self.layout.slots.iter().position(|s| *s <= time && time < *s + slot) else {
            return false;
        };
        self.row = r;
        self.col = c;
        true
    }

    /// Arrow keys move over the slots (Up/Down a slot, Left/Right a provider), PageUp/PageDown
    /// an hour, Home/End the day's first and last slot, Tab the next free slot. True when the
    /// key was the grid's.
    pub fn on_key(&mut self, key: KeyEvent) -> bool {
        if key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) {
            return false;
        }
        let rows = self.layout.slots.len();
        let cols = self.layout.columns.len();
        if rows == 0 {
            return matches!(
                key.code,
                KeyCode::Up | KeyCode::Down | KeyCode::Left | KeyCode::Right | KeyCode::Home | KeyCode::End
            );
        }
        let per_hour = (60 / self.layout.slot_min.max(1)).max(1) as usize;
        match key.code {
            KeyCode::Up => self.row = self.row.saturating_sub(1),
            KeyCode::Down => self.row = (self.row + 1).min(rows - 1),
            KeyCode::Left => self.col = self.col.saturating_sub(1),
            KeyCode::Right => self.col = (self.col + 1).min(cols.saturating_sub(1)),
            KeyCode::PageUp => self.row = self.row.saturating_sub(per_hour),
            KeyCode::PageDown => self.row = (self.row + per_hour).min(rows - 1),
            KeyCode::Home => self.row = 0,
            KeyCode::End => self.row = rows - 1,
            KeyCode::Tab => {
                if let Some((r, c)) = self.first_free_from(self.row * cols + self.col + 1) {
                    self.row = r;
                    self.col = c;
                }
            }
            _ => return false,
        }
        true
    }

    /// The slot under the cursor and its column's provider, free or not.
    pub fn selected(&self) -> Option<(NaiveTime, Option<i64>)> {
        let t = *self.layout.slots.get(self.row)?;
        let c = self.layout.columns.get(self.col)?;
        Some((t, c.provider_id))
    }

    /// The slot under the cursor when it is free: its start and the provider (`None` for the
    /// column of bookings with no provider).
    pub fn selected_free_slot(&self) -> Option<(NaiveTime, Option<i64>)> {
        if self.layout.is_free(self.row, self.col) { self.selected() } else { None }
    }

    /// The first free cell at or after `index` (row-major), wrapping around the day.
    fn first_free_from(&self, index: usize) -> Option<(usize, usize)> {
        let cols = self.layout.columns.len();
        let total = self.layout.slots.len() * cols;
        (0..total)
            .map(|i| (index + i) % total.max(1))
            .map(|i| (i / cols, i % cols))
            .find(|(r, c)| self.layout.is_free(*r, *c))
    }

    /// The day's first line: the date and weekday, then the hours or why it is closed.
    pub fn title(&self) -> String {
        let lang = self.lang;
        let d = self.layout.date;
        let day = format!("{} {}", d.format("%Y-%m-%d"), weekday_name(chrono::Datelike::weekday(&d), lang));
        match (self.layout.closed, self.layout.hours) {
            (Some(ClosedDay::Holiday(h)), _) => {
                format!("{day}  {} {}", lang.pick("공휴일 휴진:", "Closed, public holiday:"), h.name(lang))
            }
            (Some(ClosedDay::Clinic), _) => format!("{day}  {}", lang.pick("병원 휴무일", "Clinic closed")),
            (Some(ClosedDay::Weekday(_)), _) => format!("{day}  {}", lang.pick("휴진일", "Closed")),
            (None, Some(h)) => format!("{day}  {}", h.text()),
            (None, None) => day,
        }
    }

    fn name(&self, i: usize) -> String {
        let n = &self.layout.bookings[i].name;
        if self.mask { mask_name(n) } else { n.clone() }
    }

    fn column_name(&self, c: usize) -> String {
        let col = &self.layout.columns[c];
        if col.provider_id.is_none() {
            self.lang.pick("미지정", "No provider").to_string()
        } else {
            col.name.clone()
        }
    }

    /// Draws the grid into `area` of `buf`.
    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        if area.width < TIME_W + 4 || area.height == 0 {
            return;
        }
        let lang = self.lang;
        let put = |buf: &mut Buffer, x: u16, y: u16, w: u16, s: &str, style: Style| {
            if w == 0 || y >= area.y + area.height {
                return;
            }
            buf.set_stringn(x, y, fit(s, w as usize), w as usize, style);
        };
        put(buf, area.x, area.y, area.width, &self.title(), THEME.title);
        if self.layout.slots.is_empty() || area.height < 3 {
            return;
        }
        // Columns: as many providers as fit beside the time column, then the counts.
        let cols = self.layout.columns.len() as u16;
        let room = area.width - TIME_W;
        let has_caps = !self.layout.hour_counts.is_empty();
        let (shown, count_w) = {
            let fit_cols = |room: u16| (room / MIN_COL_W).clamp(1, cols);
            if has_caps && room >= MIN_COL_W + COUNT_W {
                (fit_cols(room - COUNT_W), COUNT_W)
            } else {
                (fit_cols(room), 0)
            }
        };
        let col_w = ((room - count_w) / shown).clamp(MIN_COL_W.min(room), MAX_COL_W);
        let first_col = (self.col as u16 + 1).saturating_sub(shown).min(cols - shown) as usize;
        let last_col = first_col + shown as usize;
        // Header.
        let y = area.y + 1;
        put(buf, area.x, y, TIME_W, "", THEME.dim);
        for (i, c) in (first_col..last_col).enumerate() {
            let x = area.x + TIME_W + i as u16 * col_w;
            put(buf, x, y, col_w - 1, &self.column_name(c), THEME.title);
        }
        let hidden = cols as usize - shown as usize;
        if hidden > 0 {
            let note = format!("+{hidden}");
            let x = area.x + area.width - width(&note) as u16;
            put(buf, x, y, width(&note) as u16, &note, THEME.dim);
        }
        if count_w > 0 {
            let x = area.x + TIME_W + shown * col_w;
            put(buf, x, y, count_w, lang.pick("시간당", "per hour"), THEME.dim);
        }
        // Rows, scrolled to keep the cursor in view.
        let visible = (area.height - 2) as usize;
        let rows = self.layout.slots.len();
        let first_row = (self.row + 1).saturating_sub(visible).min(rows.saturating_sub(visible));
        let mut counted_hours: Vec<u32> = Vec::new();
        for (line, r) in (first_row..rows).take(visible).enumerate() {
            let y = area.y + 2 + line as u16;
            let t = self.layout.slots[r];
            let time_style = if t.minute() == 0 { THEME.base } else { THEME.dim };
            put(buf, area.x, y, TIME_W, &t.format("%H:%M").to_string(), time_style);
            for (i, c) in (first_col..last_col).enumerate() {
                let x = area.x + TIME_W + i as u16 * col_w;
                let (text, mut style) = match &self.layout.cells[r][c] {
                    Cell::Free => (lang.pick("빈", "free").to_string(), THEME.ok),
                    Cell::Lunch => (lang.pick("점심", "lunch").to_string(), THEME.dim),
                    Cell::Booked { bookings, starts } => {
                        let first = bookings
                            .iter()
                            .copied()
                            .find(|b| self.layout.bookings[*b].start >= self.layout.date.and_time(t))
                            .unwrap_or(bookings[0]);
                        let mut s = if *starts { self.name(first) } else { format!("~{}", self.name(first)) };
                        if bookings.len() > 1 {
                            s = format!("{s} +{}", bookings.len() - 1);
                        }
                        (s, if *starts { THEME.base } else { THEME.dim })
                    }
                };
                if r == self.row && c == self.col {
                    style = style.patch(THEME.selected);
                    put(buf, x, y, col_w - 1, "", style);
                }
                put(buf, x, y, col_w - 1, &text, style);
            }
            if count_w > 0 && !counted_hours.contains(&t.hour()) {
                counted_hours.push(t.hour());
                let x = area.x + TIME_W + shown * col_w;
                let counts: Vec<String> = self
                    .layout
                    .counts_in_hour(t)
                    .map(|h| format!("{} {}/{}", lang.pick(&h.ko, &h.en), h.count, h.cap))
                    .collect();
                let full = self.layout.counts_in_hour(t).any(|h| h.count >= h.cap);
                put(buf, x, y, count_w, &counts.join(" "), if full { THEME.warn } else { THEME.info });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, NaiveTime};
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::DayGrid;
    use crate::domain::calendar::ClinicCalendar;
    use crate::domain::schedule::{Capped, GridBooking, layout_day};
    use crate::domain::{AppointmentStatus, Lang};

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap() // a Tuesday
    }

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn booking(id: i64, h: u32, m: u32, provider: i64, name: &str, code: &str) -> GridBooking {
        GridBooking {
            id,
            start: day().and_time(t(h, m)),
            duration_min: 30,
            provider_id: Some(provider),
            treatment_code: Some(code.into()),
            patient_id: id,
            name: name.into(),
            status: AppointmentStatus::Booked,
        }
    }

    fn grid(date: NaiveDate, lang: Lang, mask: bool) -> DayGrid {
        let providers = vec![(1, "김원장".to_string()), (2, "이원장".to_string())];
        let bookings = vec![
            booking(1, 9, 30, 1, "홍길동", "chuna"),
            booking(2, 10, 0, 1, "김영희", "chuna"),
            booking(3, 10, 0, 2, "박철수", "acu"),
            GridBooking {
                status: AppointmentStatus::Cancelled, ..booking(4, 11, 0, 2, "취소된", "chuna")
            },
        ];
        let capped = vec![Capped { code: "chuna".into(), ko: "추나".into(), en: "Chuna".into(), cap: 4 }];
        DayGrid::new(layout_day(&ClinicCalendar::default(), date, &providers, &bookings, &capped), lang, mask)
    }

    fn draw(g: &DayGrid, w: u16, h: u16) -> String {
        let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
        term.draw(|f| g.render(f.area(), f.buffer_mut())).unwrap();
        crate::app::svg::buffer_to_text(term.backend().buffer())
    }

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn line_of<'a>(text: &'a str, start: &str) -> &'a str {
        text.lines().find(|l| l.starts_with(start)).unwrap_or_else(|| panic!("no line {start} in\n{text}"))
    }

    #[test]
    fn the_grid_shows_providers_patients_free_slots_lunch_and_the_hourly_count() {
        let g = grid(day(), Lang::Ko, false);
        let text = draw(&g, 60, 30);
        assert!(text.lines().next().unwrap().contains("2026-11-24 화요일  09:30-19:00"), "{text}");
        let header = text.lines().nth(1).unwrap();
        assert!(
            header.contains("김원장") && header.contains("이원장") && header.contains("시간당"),
            "{text}"
        );
        let row930 = line_of(&text, "09:30");
        assert!(row930.contains("홍길동") && row930.contains("빈"), "{row930}");
        assert!(row930.contains("추나 1/4"), "the 09 hour holds one 추나: {row930}");
        let row1000 = line_of(&text, "10:00");
        assert!(row1000.contains("김영희") && row1000.contains("박철수"), "{row1000}");
        assert!(row1000.contains("추나 1/4"), "{row1000}");
        // The cancelled visit frees its slot; lunch is not free.
        assert!(line_of(&text, "11:00").matches("빈").count() == 2, "{text}");
        assert!(line_of(&text, "13:00").matches("점심").count() == 2, "{text}");
        assert!(!text.contains("취소된"), "{text}");
        // The last slot ends at closing time.
        assert!(text.contains("18:30") && !text.lines().any(|l| l.starts_with("19:00")), "{text}");
    }

    #[test]
    fn names_are_masked_when_masking_applies() {
        let text = draw(&grid(day(), Lang::En, true), 60, 30);
        assert!(!text.contains("홍길동") && !text.contains("김영희"), "{text}");
        assert!(text.contains(&crate::domain::mask::mask_name("홍길동")), "{text}");
        assert!(text.contains("free") && text.contains("Chuna 1/4"), "{text}");
    }

    #[test]
    fn arrows_pick_a_free_slot() {
        let mut g = grid(day(), Lang::Ko, false);
        // The cursor starts on the day's first free slot: 09:30 with 이원장.
        assert_eq!(g.selected_free_slot(), Some((t(9, 30), Some(2))));
        assert!(g.on_key(key(KeyCode::Left)));
        assert_eq!(g.selected(), Some((t(9, 30), Some(1))));
        assert_eq!(g.selected_free_slot(), None, "홍길동 is booked there");
        assert!(g.on_key(key(KeyCode::Down)));
        assert_eq!(g.selected_free_slot(), None, "김영희 is booked at 10:00");
        g.on_key(key(KeyCode::Down));
        assert_eq!(g.selected_free_slot(), Some((t(10, 30), Some(1))));
        g.on_key(key(KeyCode::Right));
        g.on_key(key(KeyCode::Right));
        assert_eq!(g.selected_free_slot(), Some((t(10, 30), Some(2))), "stops at the last column");
        // Down to lunch: not free; End: the last slot.
        for _ in 0..5 {
            g.on_key(key(KeyCode::Down));
        }
        assert_eq!(g.selected(), Some((t(13, 0), Some(2))));
        assert_eq!(g.selected_free_slot(), None);
        g.on_key(key(KeyCode::End));
        assert_eq!(g.selected_free_slot(), Some((t(18, 30), Some(2))));
        assert!(!g.on_key(key(KeyCode::Char('x'))), "other keys are the form's");
        // The selected cell is drawn selected and stays in view on a short area.
        let mut term = Terminal::new(TestBackend::new(40, 8)).unwrap();
        term.draw(|f| g.render(f.area(), f.buffer_mut())).unwrap();
        let text = crate::app::svg::buffer_to_text(term.backend().buffer());
        assert!(text.contains("18:30"), "{text}");
        // Another day keeps the time and provider.
        g.set_layout(grid(day().succ_opt().unwrap(), Lang::Ko, false).layout().clone());
        assert_eq!(g.selected_free_slot(), Some((t(18, 30), Some(2))));
    }

    #[test]
    fn a_holiday_shows_its_name_and_no_slot() {
        let chuseok = NaiveDate::from_ymd_opt(2026, 9, 25).unwrap();
        let mut g = grid(chuseok, Lang::Ko, false);
        let text = draw(&g, 60, 10);
        assert!(text.contains("공휴일 휴진: 추석"), "{text}");
        assert!(!text.contains("빈"), "{text}");
        assert!(g.on_key(key(KeyCode::Down)));
        assert_eq!(g.selected_free_slot(), None);
        let sunday = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        assert!(draw(&grid(sunday, Lang::En, false), 60, 10).contains("Closed"));
    }

    #[test]
    fn a_narrow_area_shows_the_selected_provider_and_counts_the_hidden() {
        let mut g = grid(day(), Lang::Ko, false);
        let text = draw(&g, 16, 20);
        assert!(text.lines().nth(1).unwrap().contains("+1"), "{text}");
        assert!(text.contains("이원장") && !text.contains("김원장"), "the selected column shows: {text}");
        g.on_key(key(KeyCode::Left));
        let text = draw(&g, 16, 20);
        assert!(text.contains("김원장") && text.contains("홍길동"), "{text}");
        // Too small to draw anything useful: nothing, and no panic.
        draw(&g, 5, 2);
        draw(&g, 80, 1);
    }
}
