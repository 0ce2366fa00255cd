//! Today: the day's chart review and the desk's appointment book.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::Tab;
use crate::app::keymap::Context;
use crate::app::{Ctx, View, widgets};
use crate::store;

#[derive(Debug, Default)]
pub struct TodayTab {}

impl Tab for TodayTab {
    fn context(&self) -> Context {
        Context::Today
    }

    fn reload(&mut self, _ctx: &mut Ctx<'_>) -> store::Result<()> {
        Ok(())
    }

    fn render(&self, area: Rect, buf: &mut Buffer, view: &View<'_>) {
        widgets::coming(
            area,
            buf,
            view,
            "오늘의 예약이 시간순으로 여기에 나옵니다: 시간, 상태, 차트번호, 이름·나이·성별, 원장, 치료, 스티커, 표시, 포스트잇 메모. 데스크는 여기서 내원·완료·부도·취소를 기록하고 예약을 잡습니다.",
            "The day's appointments will be listed here in time order: time, status, chart number, name with age and sex, provider, treatment, stickers, flags and the post-it note. The desk marks arrivals, done visits, no-shows and cancellations and books the next visit here.",
        );
    }
}
