//! Inquiries: the phone log with referral sources.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::Tab;
use crate::app::keymap::Context;
use crate::app::{Ctx, View, widgets};
use crate::store;

#[derive(Debug, Default)]
pub struct InquiriesTab {}

impl Tab for InquiriesTab {
    fn context(&self) -> Context {
        Context::Inquiries
    }

    fn reload(&mut self, _ctx: &mut Ctx<'_>) -> store::Result<()> {
        Ok(())
    }

    fn render(&self, area: Rect, buf: &mut Buffer, view: &View<'_>) {
        widgets::coming(
            area,
            buf,
            view,
            "전화 문의 기록이 여기에 나옵니다: 시간, 문의자, 치료, 내원경로, 결과. n으로 통화 중에 바로 기록하고, 내원경로별 보고서를 봅니다.",
            "The phone log will be here: time, caller, topic, referral source and outcome. Press n to log a call while on the phone, and see the report by referral source.",
        );
    }
}
