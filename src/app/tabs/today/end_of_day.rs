//! Late is visible (issue 19): the header counts the visits whose time has passed without
//! arrival and says when the day shown is closed (a public holiday by name, the clinic's own
//! closure, a closed weekday); `E` marks the rest of the day no-show after one confirm.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::TodayTab;
use crate::app::kit::confirm::{self, Answer, ConfirmBox};
use crate::app::{Ctx, Outcome, View};
use crate::desk::{self, DeskError, Why};
use crate::domain::Lang;
use crate::domain::calendar::ClosedDay;
use crate::store;

impl TodayTab {
    /// The late count and the closed-day note of the day shown (called by `load`).
    pub(super) fn load_day_state(&mut self, ctx: &Ctx<'_>) -> store::Result<()> {
        let lang = ctx.lang;
        let Some(date) = self.date else { return Ok(()) };
        self.late = desk::booking::late_count(&*ctx.store, date, ctx.now).unwrap_or(0);
        let calendar = store::settings::clinic_calendar(&*ctx.store)?;
        self.closed_note = calendar.closed_on(date).map(|c| match c {
            ClosedDay::Holiday(h) => {
                format!("{} {}", lang.pick("공휴일 휴진:", "Closed, public holiday:"), h.name(lang))
            }
            ClosedDay::Clinic => lang.pick("병원 휴무일", "Clinic closed").to_string(),
            ClosedDay::Weekday(_) => lang.pick("휴진일", "Closed").to_string(),
        });
        Ok(())
    }

    /// `E`: asks before marking the rest of the day no-show.
    pub(super) fn ask_end_of_day(&mut self, ctx: &Ctx<'_>) -> Outcome {
        let lang = ctx.lang;
        if self.late == 0 {
            return Outcome::Message(
                lang.pick(
                    "시간이 지난 예약이 없습니다 - 부도로 표시할 것이 없습니다",
                    "No visit is past its time - nothing to mark",
                )
                .into(),
            );
        }
        self.end_of_day = true;
        Outcome::Handled
    }

    /// The end-of-day confirm's keys; `None` when it is not open.
    pub(super) fn end_of_day_key(&mut self, key: &KeyEvent, ctx: &mut Ctx<'_>) -> Option<Outcome> {
        if !self.end_of_day {
            return None;
        }
        let lang = ctx.lang;
        Some(match confirm::answer(key) {
            Some(Answer::Yes) => {
                self.end_of_day = false;
                let date = self.date.unwrap_or(ctx.today());
                match desk::booking::mark_rest_no_show(ctx.store, date) {
                    Ok(n) => Outcome::Message(match lang {
                        Lang::Ko => format!(
                            "남은 예약 {n}건을 부도로 표시했습니다 (재예약 리콜 포함, 하나씩 u로 되돌리기)"
                        ),
                        Lang::En => format!(
                            "{n} remaining visits marked no-show (with rebooking calls; u undoes one by one)"
                        ),
                    }),
                    Err(DeskError::Refused(Why::NotYet)) => Outcome::Error(
                        lang.pick("앞으로의 날은 마감할 수 없습니다", "A day ahead cannot be closed out")
                            .into(),
                    ),
                    Err(e) => Outcome::Error(e.words(lang)),
                }
            }
            Some(Answer::No) => {
                self.end_of_day = false;
                Outcome::Handled
            }
            None => Outcome::Handled,
        })
    }
}

/// The header's late count and closed-day note.
pub(super) fn header_note(tab: &TodayTab, lang: Lang) -> Option<String> {
    let late = (tab.late > 0).then(|| match lang {
        Lang::Ko => format!("지각 {}", tab.late),
        Lang::En => format!("late {}", tab.late),
    });
    let parts: Vec<String> = late.into_iter().chain(tab.closed_note.clone()).collect();
    (!parts.is_empty()).then(|| format!("  {}", parts.join("  ")))
}

/// The end-of-day confirm over the list.
pub(super) fn render_end_of_day(tab: &TodayTab, area: Rect, buf: &mut Buffer, view: &View<'_>) {
    if !tab.end_of_day {
        return;
    }
    let lang = view.lang;
    let question = match lang {
        Lang::Ko => format!("시간이 지나도 오지 않은 {}건을 부도로 표시할까요?", tab.late),
        Lang::En => format!("Mark the {} visits past their time without arrival no-show?", tab.late),
    };
    let (yes, no) = (lang.pick("부도 처리", "mark them"), lang.pick("그만두기", "leave them"));
    ConfirmBox::new(lang.pick("하루 마감", "End of day"), question, yes, no).render(area, buf, view.theme);
}
