//! Huddle: the ten minutes before opening.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::Tab;
use crate::app::keymap::Context;
use crate::app::{Ctx, View, widgets};
use crate::store;

#[derive(Debug, Default)]
pub struct HuddleTab {}

impl Tab for HuddleTab {
    fn context(&self) -> Context {
        Context::Huddle
    }

    fn reload(&mut self, _ctx: &mut Ctx<'_>) -> store::Result<()> {
        Ok(())
    }

    fn render(&self, area: Rect, buf: &mut Buffer, view: &View<'_>) {
        widgets::coming(
            area,
            buf,
            view,
            "진료 전 10분 회의가 여기에 나옵니다: 10:00 타이머와 안건 — 불만 환자, 위험 프로세스, 오늘의 차트 리뷰, 예상 이탈 고객, OKR 현황.",
            "The ten-minute huddle before opening will be here: a 10:00 timer and the agenda — complaint patients, risky processes, today's chart review, expected dropouts and the OKR pulse.",
        );
    }
}
