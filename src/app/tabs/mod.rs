//! One module per tab. Each tab owns its state, loads it on `reload`, handles commands, and
//! draws from its state alone.

pub mod callbacks;
pub mod huddle;
pub mod inquiries;
pub mod messages;
pub mod okr;
pub mod today;

use chrono::NaiveDateTime;
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::keymap::{Command, Context};
use super::{Ctx, Outcome, TabId, View};
use crate::store;

pub trait Tab {
    /// The keymap context of this tab.
    fn context(&self) -> Context;
    /// Loads what the tab shows. Called at start and whenever the database changes.
    fn reload(&mut self, ctx: &mut Ctx<'_>) -> store::Result<()>;
    /// A command from the keymap.
    fn on_command(&mut self, _command: Command, _ctx: &mut Ctx<'_>) -> Outcome {
        Outcome::Ignored
    }
    /// A raw key: every key while [`Tab::keyboard_grabbed`], else keys with no binding.
    fn on_key(&mut self, _key: &KeyEvent, _ctx: &mut Ctx<'_>) -> Outcome {
        Outcome::Ignored
    }
    /// True while a form or prompt of this tab has the keyboard.
    fn keyboard_grabbed(&self) -> bool {
        false
    }
    /// Called on the slow tick; returns true when the tab needs a redraw (a running timer).
    fn on_tick(&mut self, _now: NaiveDateTime) -> bool {
        false
    }
    fn wants_fast_tick(&self) -> bool {
        false
    }
    /// The form this tab has open, if any (for the caret and for drafts).
    fn open_form(&self) -> Option<&crate::app::form::Form> {
        None
    }
    /// Opens a typed form restored from a draft (see `app::registry`) in the tab's slot for it.
    fn install_form(&mut self, _form: crate::app::form::spec::OpenForm, _ctx: &mut Ctx<'_>) {}
    /// Where the terminal cursor belongs (the caret of the focused text field), as drawn last.
    fn cursor(&self) -> Option<(u16, u16)> {
        self.open_form().and_then(|f| f.caret())
    }
    fn render(&self, area: Rect, buf: &mut Buffer, view: &View<'_>);
    /// The id of the row under the selection (an appointment on Today), so that a single-key
    /// action queued while another terminal holds the write lock applies to the row it was
    /// pressed on, wherever the selection has moved since.
    fn selected_key(&self) -> Option<i64> {
        None
    }
    /// Puts the selection on the row with this id; false when that row is not in the list.
    fn select_key(&mut self, _key: i64) -> bool {
        false
    }
}

/// The five tabs' states.
#[derive(Default)]
pub struct Tabs {
    pub today: today::TodayTab,
    pub huddle: huddle::HuddleTab,
    pub callbacks: callbacks::CallbacksTab,
    pub inquiries: inquiries::InquiriesTab,
    pub okr: okr::OkrTab,
}

impl Tabs {
    pub fn get(&self, id: TabId) -> &dyn Tab {
        match id {
            TabId::Today => &self.today,
            TabId::Huddle => &self.huddle,
            TabId::Callbacks => &self.callbacks,
            TabId::Inquiries => &self.inquiries,
            TabId::Okr => &self.okr,
        }
    }

    pub fn get_mut(&mut self, id: TabId) -> &mut dyn Tab {
        match id {
            TabId::Today => &mut self.today,
            TabId::Huddle => &mut self.huddle,
            TabId::Callbacks => &mut self.callbacks,
            TabId::Inquiries => &mut self.inquiries,
            TabId::Okr => &mut self.okr,
        }
    }

    pub fn all_mut(&mut self) -> [&mut dyn Tab; 5] {
        [&mut self.today, &mut self.huddle, &mut self.callbacks, &mut self.inquiries, &mut self.okr]
    }
}
