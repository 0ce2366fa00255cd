//! The day's schedule beside the booking form (issue 19, "the day beside the form").
//!
//! The grid follows the form: the date typed loads that day, the provider and time picked
//! move its cursor. On a wide screen ([`GRID_MIN_WIDTH`] columns or more) it is drawn beside
//! the form; on a narrow one it is drawn in place of the form while it has the focus. F3
//! moves the focus to the grid and back; there the arrows move over the slots, Tab jumps to
//! the next free one, Enter fills the free slot's date, time and provider into the form, and
//! Esc goes back to the form changing nothing.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Widget;

use super::Booking;
use crate::app::day_grid::DayGrid;
use crate::app::{Ctx, View, widgets};
use crate::domain::Lang;

/// The narrowest screen that shows the grid beside the form.
pub const GRID_MIN_WIDTH: u16 = 140;
/// The form's share of a wide screen.
const FORM_W: u16 = 80;

/// The key that moves the focus between the form and the grid.
pub fn is_grid_key(key: &KeyEvent) -> bool {
    key.code == KeyCode::F(3) && !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
}

impl Booking {
    /// Loads (or moves) the grid to what the form says now: the day typed, then the time and
    /// provider picked. A date the form cannot read yet keeps the day shown.
    pub(super) fn sync_grid(&mut self, ctx: &Ctx<'_>) {
        let (Some(date), time) = self.typed_when() else { return };
        let provider: Option<i64> = self.form.picked("provider").and_then(|p| p.parse().ok());
        let reload = self.grid.as_ref().map(|g| g.date() != date).unwrap_or(true);
        if reload {
            match DayGrid::load(&*ctx.store, date, ctx.lang, ctx.mask) {
                Ok(g) => self.grid = Some(g),
                Err(_) => return,
            }
        }
        let Some(grid) = self.grid.as_mut() else { return };
        match (time, provider) {
            (Some(t), p) => {
                if !grid.select(t, p) && p.is_some() {
                    grid.select(t, None);
                }
            }
            (None, Some(p)) => {
                // The provider's first free slot of the day.
                let layout = grid.layout();
                let col = layout.columns.iter().position(|c| c.provider_id == Some(p));
                let slot = col.and_then(|c| {
                    (0..layout.slots.len()).find(|r| layout.is_free(*r, c)).map(|r| layout.slots[r])
                });
                if let Some(t) = slot {
                    grid.select(t, Some(p));
                }
            }
            (None, None) => {}
        }
    }

    /// A key while the grid has the focus. `None`: the form handles it (Ctrl keys: save, quit).
    pub(super) fn grid_key(&mut self, key: &KeyEvent, lang: Lang) -> Option<super::Effect> {
        if key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) {
            return None;
        }
        if is_grid_key(key) || key.code == KeyCode::Esc {
            self.grid_focus = false;
            return Some(super::Effect::Handled);
        }
        let grid = self.grid.as_mut()?;
        if key.code == KeyCode::Enter {
            let Some((time, provider)) = grid.selected_free_slot() else {
                self.form.message = Some(
                    lang.pick(
                        "빈 시간이 아닙니다 - 화살표로 '빈' 칸을 고르세요",
                        "Not a free slot - pick a 'free' cell with the arrows",
                    )
                    .into(),
                );
                return Some(super::Effect::Handled);
            };
            let date = grid.date();
            self.form.get_mut("date").set_value(date.format("%Y-%m-%d").to_string());
            self.form.get_mut("time").set_value(time.format("%H:%M").to_string());
            if let Some(p) = provider {
                self.form.get_mut("provider").select(&p.to_string());
            }
            self.form.dirty = true;
            self.date_fresh = false;
            self.grid_focus = false;
            self.form.focus_on("time");
            self.form.message = Some(match lang {
                Lang::Ko => {
                    format!("{} {} 채웠습니다 - Ctrl-S 저장", date.format("%m-%d"), time.format("%H:%M"))
                }
                Lang::En => {
                    format!("Filled in {} {} - Ctrl-S saves", date.format("%m-%d"), time.format("%H:%M"))
                }
            });
            return Some(super::Effect::Handled);
        }
        grid.on_key(*key);
        Some(super::Effect::Handled)
    }

    /// Draws the form, and the grid beside it when the screen is wide enough (or in its
    /// place while it has the focus on a narrow screen).
    pub(super) fn render_with_grid(&self, area: Rect, buf: &mut Buffer, view: &View<'_>) {
        let lang = view.lang;
        let Some(grid) = &self.grid else {
            self.form.render(area, buf, view.theme);
            return;
        };
        let wide = area.width >= GRID_MIN_WIDTH;
        let title = if self.grid_focus {
            lang.pick(
                " 그날 일정 - 화살표 고르기, Tab 다음 빈 시간, Enter 채우기, F3/Esc 양식으로 ",
                " The day - arrows pick, Tab next free, Enter fills in, F3/Esc back to the form ",
            )
        } else {
            lang.pick(" 그날 일정 - F3 고르기 ", " The day - F3 to pick a slot ")
        };
        if wide {
            let form_area = Rect { width: FORM_W, ..area };
            self.form.render(form_area, buf, view.theme);
            let h = area.height.saturating_sub(2);
            let w = (area.width - FORM_W - 2).min(100);
            let panel_area = Rect { x: area.x + FORM_W, y: area.y + 1, width: w, height: h };
            crate::app::form::clear_popup(panel_area, area, buf, view.theme);
            let mut block = widgets::panel(Line::from(title), view.theme);
            if self.grid_focus {
                block = block.border_style(view.theme.title);
            }
            let inner = block.inner(panel_area);
            block.render(panel_area, buf);
            grid.render(inner, buf);
        } else if self.grid_focus {
            let panel_area = crate::app::form::popup(area, area.width.saturating_sub(2), area.height);
            crate::app::form::clear_popup(panel_area, area, buf, view.theme);
            let block = widgets::panel(Line::from(title), view.theme).border_style(view.theme.title);
            let inner = block.inner(panel_area);
            block.render(panel_area, buf);
            grid.render(inner, buf);
        } else {
            self.form.render(area, buf, view.theme);
        }
    }
}
