//! OKR: live key results computed from the desk's own data.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::Tab;
use crate::app::keymap::Context;
use crate::app::{Ctx, View, widgets};
use crate::store;

#[derive(Debug, Default)]
pub struct OkrTab {}

impl Tab for OkrTab {
    fn context(&self) -> Context {
        Context::Okr
    }

    fn reload(&mut self, _ctx: &mut Ctx<'_>) -> store::Result<()> {
        Ok(())
    }

    fn render(&self, area: Rect, buf: &mut Buffer, view: &View<'_>) {
        widgets::coming(
            area,
            buf,
            view,
            "목표와 핵심결과가 진행 막대로 여기에 나옵니다: 현재값과 목표, 오늘까지의 기준선, 상태 색, 책임자, 실천 과업.",
            "Objectives and key results will be here as live progress bars: value against target, where the bar should be by today, a status colour, the owner and the action items.",
        );
    }
}
