//! Callbacks: one queue for prospects, reminders, no-shows, happy calls and recalls.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::Tab;
use crate::app::keymap::Context;
use crate::app::{Ctx, View, widgets};
use crate::store;

#[derive(Debug, Default)]
pub struct CallbacksTab {}

impl Tab for CallbacksTab {
    fn context(&self) -> Context {
        Context::Callbacks
    }

    fn reload(&mut self, _ctx: &mut Ctx<'_>) -> store::Result<()> {
        Ok(())
    }

    fn render(&self, area: Rect, buf: &mut Buffer, view: &View<'_>) {
        widgets::coming(
            area,
            buf,
            view,
            "연락할 사람의 대기열이 여기에 나옵니다: 가망환자, 내일 예약 확인, 부도 재예약, 해피콜, 리콜. 지난 것부터, 오늘, 예정 순입니다.",
            "The queue of people to call will be here: prospects, reminders for tomorrow, no-shows to rebook, happy calls and recalls — overdue first, then due today, then upcoming.",
        );
    }
}
