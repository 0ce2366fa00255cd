//! Drawing of the inquiries tab: widgets over the tab's borrowed state.

use super::*;
use crate::app::kit::table::{Column, Table};

impl InquiriesTab {
    pub(super) fn render_log(&self, area: Rect, buf: &mut Buffer, view: &View<'_>) {
        let lang = view.lang;
        let side_w = if area.width >= 110 { 36 } else { 26 };
        let [list_area, side_area] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(side_w)]).areas(area);
        let title = match lang {
            Lang::Ko => format!(" 오늘의 전화 문의 {}건 ", self.today.len()),
            Lang::En => format!(" Today's phone log: {} ", self.today.len()),
        };
        let block = widgets::panel(Line::from(title), view.theme);
        let inner = block.inner(list_area);
        block.render(list_area, buf);
        let w = inner.width as usize;
        // Time, caller, topic, source, outcome; the questions and note take the rest.
        let wide = w >= 80;
        let columns = [
            Column::new(lang.pick("시각", "Time"), 5),
            Column::new(lang.pick("문의자", "Caller"), if wide { 12 } else { 10 }),
            Column::new(lang.pick("치료", "Topic"), if wide { 12 } else { 8 }),
            Column::new(lang.pick("경로", "Source"), if wide { 10 } else { 8 }),
            Column::new(lang.pick("결과", "Outcome"), if wide { 16 } else { 12 }),
            Column::new(lang.pick("질문/메모", "Asked / note"), 0).fill(),
        ];
        let rows: Vec<Vec<Span<'_>>> = self.today.iter().map(|r| self.log_row(r, view)).collect();
        Table::new(&columns, &rows, view.theme).selection(&self.selection).render(inner, buf);
        if self.today.is_empty() {
            let text = lang.pick(
                "오늘 기록된 문의가 없습니다. 전화가 오면 n을 눌러 통화하면서 바로 기록하세요.",
                "No calls logged today. When the phone rings, press n and log the call as you talk.",
            );
            let lines: Vec<Line<'_>> = wrap(text, w.saturating_sub(1).max(10))
                .into_iter()
                .map(|l| Line::styled(l, view.theme.dim))
                .collect();
            Paragraph::new(lines)
                .render(Rect { y: inner.y + 2, height: inner.height.saturating_sub(2), ..inner }, buf);
        }
        self.render_counts(side_area, buf, view);
    }

    /// One call of the log as table cells.
    fn log_row(&self, r: &InquiryRow, view: &View<'_>) -> Vec<Span<'static>> {
        let lang = view.lang;
        let time = r.received_at.get(11..16).unwrap_or("").to_string();
        let name = if r.caller_name.is_empty() { "-".to_string() } else { r.caller_name.clone() };
        let name = if view.mask { crate::domain::mask::mask_name(&name) } else { name };
        let topic = r.topic.as_deref().map(|t| view.catalog.treatment_label(t, lang)).unwrap_or_default();
        let source = r
            .referral_source
            .as_deref()
            .map(|s| Self::source_label(view.catalog, s, lang))
            .unwrap_or_else(|| "-".into());
        let outcome = match (r.outcome, &r.callback_on) {
            (InquiryOutcome::Callback, Some(d)) => {
                format!("{} {}", r.outcome.label(lang), d.get(5..).unwrap_or(""))
            }
            _ => r.outcome.label(lang).to_string(),
        };
        // Who referred them and the note say more than the question kinds; they go first.
        let mut rest: Vec<String> = Vec::new();
        if let Some(n) = &r.referrer_name {
            let n = if view.mask { crate::domain::mask::mask_name(n) } else { n.clone() };
            rest.push(format!("{}: {n}", lang.pick("소개", "by")));
        }
        if !r.note.is_empty() {
            rest.push(view.free(&r.note));
        }
        rest.extend(r.questions.iter().map(|q| q.label(lang).to_string()));
        [time, name, topic.to_string(), source, outcome, rest.join(", ")].into_iter().map(Span::raw).collect()
    }

    pub(super) fn render_counts(&self, area: Rect, buf: &mut Buffer, view: &View<'_>) {
        let lang = view.lang;
        let month = view.now.format("%m").to_string();
        let block =
            widgets::panel(Line::from(lang.pick(" 내원경로별 문의 ", " Inquiries by source ")), view.theme);
        let inner = block.inner(area);
        block.render(area, buf);
        let w = inner.width as usize;
        let label_w = w.saturating_sub(12);
        let month_label = match lang {
            Lang::Ko => format!("{}월", month.trim_start_matches('0')),
            Lang::En => view.now.format("%b").to_string(),
        };
        let mut lines = vec![Line::from(Span::styled(
            format!(
                "{}{}{}",
                fit(lang.pick("경로", "Source"), label_w),
                fit_right(lang.pick("오늘", "Today"), 6),
                fit_right(&month_label, 6)
            ),
            view.theme.title,
        ))];
        let count = |list: &[(String, i64)], code: &str| {
            list.iter().find(|(c, _)| c == code).map(|(_, n)| *n).unwrap_or(0)
        };
        let mut codes: Vec<String> = view.catalog.referral_sources.iter().map(|s| s.code.clone()).collect();
        if count(&self.month_counts, UNKNOWN_SOURCE) > 0 {
            codes.push(UNKNOWN_SOURCE.into());
        }
        for code in &codes {
            let (d, m) = (count(&self.day_counts, code), count(&self.month_counts, code));
            let style = if m == 0 { view.theme.dim } else { Style::default() };
            lines.push(Line::from(Span::styled(
                format!(
                    "{}{}{}",
                    fit(&Self::source_label(view.catalog, code, lang), label_w),
                    fit_right(&d.to_string(), 6),
                    fit_right(&m.to_string(), 6)
                ),
                style,
            )));
        }
        let (dt, mt): (i64, i64) =
            (self.day_counts.iter().map(|(_, n)| n).sum(), self.month_counts.iter().map(|(_, n)| n).sum());
        lines.push(Line::from(Span::styled(
            format!(
                "{}{}{}",
                fit(lang.pick("합계", "Total"), label_w),
                fit_right(&dt.to_string(), 6),
                fit_right(&mt.to_string(), 6)
            ),
            view.theme.title,
        )));
        Paragraph::new(lines).render(inner, buf);
    }

    pub(super) fn render_report(&self, area: Rect, buf: &mut Buffer, view: &View<'_>) {
        let lang = view.lang;
        let period = self.report_period.map(|p| format!("{} ~ {}", p.from, p.to)).unwrap_or_default();
        let title = format!(" {} {period} ", lang.pick("내원경로 보고서", "Referral report"));
        let block = widgets::panel(Line::from(title), view.theme);
        let inner = block.inner(area);
        block.render(area, buf);
        let w = inner.width as usize;
        let label = |code: &str| Self::source_label(view.catalog, code, lang);
        let mut lines: Vec<Line> = Vec::new();
        for (i, m) in [ReferralMeasure::NewPatients, ReferralMeasure::Inquiries].into_iter().enumerate() {
            if i > 0 {
                lines.push(Line::from(""));
            }
            lines.push(Line::from(Span::styled(m.title(lang).to_string(), view.theme.info)));
            self.report_width.set(w);
            let window = MonthWindow { width: w, back: self.report_months_back };
            let table = referral_table(&self.referral_rows, m, &label, lang, Some(window));
            let last = table.len().saturating_sub(1);
            for (j, l) in table.into_iter().enumerate() {
                let style = if j == 0 || j == last { view.theme.title } else { Style::default() };
                lines.push(Line::from(Span::styled(truncate(&l, w), style)));
            }
        }
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            lang.pick(
                "경로별 전환: 문의 -> 예약 -> 내원 -> 상담 -> 결제",
                "Funnel: inquiry -> booked -> visited -> consulted -> paid",
            )
            .to_string(),
            view.theme.info,
        )));
        let table = funnel_table(&self.funnel_rows, &label, lang);
        let last = table.len().saturating_sub(1);
        for (j, l) in table.into_iter().enumerate() {
            let style = if j == 0 || j == last { view.theme.title } else { Style::default() };
            lines.push(Line::from(Span::styled(truncate(&l, w), style)));
        }
        let max_scroll = (lines.len() as u16).saturating_sub(inner.height);
        Paragraph::new(lines).scroll((self.report_scroll.min(max_scroll), 0)).render(inner, buf);
    }

    pub(super) fn render_manual(&self, area: Rect, buf: &mut Buffer, view: &View<'_>) {
        let lang = view.lang;
        let title = match lang {
            Lang::Ko => format!(" 전화응대 매뉴얼 {}개 - n 추가 / e 고치기 / d 지우기 ", self.qa.len()),
            Lang::En => format!(" Q&A manual: {} answers - n add / e edit / d delete ", self.qa.len()),
        };
        let [list_area, detail_area] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(7)]).areas(area);
        let block = widgets::panel(Line::from(title), view.theme);
        let inner = block.inner(list_area);
        block.render(list_area, buf);
        let columns = [Column::new("", 12), Column::new("", 14), Column::new("", 0).fill()];
        let rows: Vec<Vec<Span<'_>>> = self
            .qa
            .iter()
            .map(|e| {
                let topic = e
                    .treatment_code
                    .as_deref()
                    .map(|t| view.catalog.treatment_label(t, lang))
                    .unwrap_or_else(|| lang.pick("공통", "Any topic").into());
                vec![
                    Span::raw(topic.to_string()),
                    Span::raw(e.kind.label(lang)),
                    Span::raw(view.free(&e.question)),
                ]
            })
            .collect();
        Table::new(&columns, &rows, view.theme)
            .header(false)
            .selection(&self.qa_selection)
            .render(inner, buf);
        let block = widgets::panel(Line::from(lang.pick(" 답변 ", " Answer ")), view.theme);
        let inner = block.inner(detail_area);
        block.render(detail_area, buf);
        if let Some(e) = self.qa.get(self.qa_selection.index()) {
            Paragraph::new(view.free(&e.answer)).wrap(Wrap { trim: true }).render(inner, buf);
        }
    }

    pub(super) fn render_form(&self, open: &OpenForm, area: Rect, buf: &mut Buffer, view: &View<'_>) {
        let form = &open.form;
        // Wide enough: the form draws the manual beside its fields itself.
        let Some(call) = open.spec::<CallForm>().filter(|_| area.width < 118) else {
            form.render_in(area, buf, view);
            return;
        };
        // Narrow: the form on top, the manual in a panel below it.
        let want = form.popup_area(area).height + 2;
        let form_area = Rect { height: want.min(area.height), ..area };
        form.render(form_area, buf, view.theme);
        let popup = form.popup_area(form_area);
        if area.bottom() < popup.bottom() + 3 {
            return;
        }
        let panel_area = Rect { y: popup.bottom(), height: area.bottom() - popup.bottom(), ..popup };
        let title = view.lang.pick(" 준비된 답변 ", " Prepared answers ");
        let inner = widgets::popup_panel(title, panel_area, area, buf, view.theme);
        let lines: Vec<Line> = self
            .aside_lines(call, form, view.catalog, view.lang, inner.width as usize)
            .into_iter()
            .map(|l| {
                Line::from(Span::styled(truncate(&view.free(&l), inner.width as usize), view.theme.info))
            })
            .collect();
        Paragraph::new(lines).render(inner, buf);
    }
}
