//! Drawing of the huddle tab: widgets over the tab's borrowed state.

use super::*;
use crate::app::kit::table::Table;

mod sections;

/// The timer's colour: amber in the last minute, red past time.
pub fn timer_style(phase: TimerPhase, theme: &Theme) -> Style {
    match phase {
        TimerPhase::NotStarted => theme.dim,
        TimerPhase::Paused => theme.info,
        TimerPhase::Running => theme.ok,
        TimerPhase::LastMinute => theme.base.fg(theme.behind),
        TimerPhase::Overtime => theme.base.fg(theme.off_track),
    }
}

pub(super) fn phase_word(phase: TimerPhase, lang: Lang) -> &'static str {
    match phase {
        TimerPhase::NotStarted => lang.pick("시작 전 (Space)", "not started (Space)"),
        TimerPhase::Running => lang.pick("진행 중", "running"),
        TimerPhase::Paused => lang.pick("멈춤", "paused"),
        TimerPhase::LastMinute => lang.pick("마지막 1분", "last minute"),
        TimerPhase::Overtime => lang.pick("시간 초과", "over time"),
    }
}

impl HuddleTab {
    /// The agenda steps; when they do not fit, only the current one keeps its title.
    pub(super) fn agenda_line(&self, view: &View<'_>, cols: u16) -> Line<'static> {
        let full: usize = Section::ALL.iter().map(|s| width(s.title(view.lang)) + 5).sum();
        let compact = full > cols as usize;
        let mut spans = Vec::new();
        for s in Section::ALL {
            let label = if compact && s != self.section {
                format!(" {} ", s.index() + 1)
            } else {
                format!(" {} {} ", s.index() + 1, s.title(view.lang))
            };
            let style = if s == self.section { view.theme.tab_active } else { view.theme.dim };
            spans.push(Span::styled(label, style));
            if s != Section::OkrPulse {
                spans.push(Span::styled(">", view.theme.dim));
            }
        }
        Line::from(spans)
    }

    pub(super) fn section_timing(&self, lang: Lang) -> String {
        let spent = self.spent_in(self.section);
        let suggested = self.section.suggested_seconds();
        match lang {
            Lang::Ko => format!(
                "안건 {}/5 / 권장 {} / 사용 {}",
                self.section.index() + 1,
                clock(suggested),
                clock(spent)
            ),
            Lang::En => {
                format!(
                    "item {}/5 / suggested {} / spent {}",
                    self.section.index() + 1,
                    clock(suggested),
                    clock(spent)
                )
            }
        }
    }

    pub(super) fn render_desk(&self, area: Rect, buf: &mut Buffer, view: &View<'_>, masked: bool) {
        let theme = view.theme;
        let [top, steps, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Length(1), Constraint::Fill(1)]).areas(area);
        let phase = self.timer.phase(self.now);
        let remaining = self.timer.remaining(self.now);
        let line = Line::from(vec![
            Span::styled(format!(" {} ", view.lang.pick("남은 시간", "Time left")), theme.title),
            Span::styled(
                format!(" {} ", clock(remaining)),
                timer_style(phase, theme).add_modifier(ratatui::style::Modifier::BOLD),
            ),
            Span::styled(format!(" {}  ", phase_word(phase, view.lang)), timer_style(phase, theme)),
            Span::styled(self.section_timing(view.lang), theme.dim),
        ]);
        buf.set_line(top.x, top.y, &line, top.width);
        buf.set_line(steps.x, steps.y, &self.agenda_line(view, steps.width), steps.width);
        self.render_section(body, buf, view, masked, false);
    }

    pub(super) fn render_presentation(&self, area: Rect, buf: &mut Buffer, view: &View<'_>, masked: bool) {
        let theme = view.theme;
        let [top, _gap, steps, body] = Layout::vertical([
            Constraint::Length(BIG_HEIGHT),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Fill(1),
        ])
        .areas(area);
        let phase = self.timer.phase(self.now);
        let remaining = self.timer.remaining(self.now);
        let style = timer_style(phase, theme);
        let text = clock(remaining);
        let big_w = big_width(&text);
        let x = top.x + 1;
        draw_big(buf, x, top.y, &text, style, top);
        // Beside the digits: the section, its suggested time, the state.
        let side_x = x + big_w + 3;
        if side_x < top.right() {
            let w = top.right() - side_x;
            let lines = [
                Line::from(Span::styled(
                    format!("{}. {}", self.section.index() + 1, self.section.title(view.lang)),
                    theme.title,
                )),
                Line::from(Span::styled(self.section_timing(view.lang), theme.base)),
                Line::from(Span::styled(phase_word(phase, view.lang).to_string(), style)),
                Line::from(Span::styled(
                    if masked {
                        view.lang.pick("이름/전화번호 가림", "names and phones masked")
                    } else {
                        view.lang.pick("가림 해제됨 (기록됨)", "unmasked (logged)")
                    },
                    theme.dim,
                )),
            ];
            for (i, l) in lines.iter().enumerate() {
                buf.set_line(side_x, top.y + i as u16, l, w);
            }
        }
        buf.set_line(steps.x, steps.y, &self.agenda_line(view, steps.width), steps.width);
        self.render_section(body, buf, view, masked, true);
    }

    pub(super) fn render_section(
        &self,
        area: Rect,
        buf: &mut Buffer,
        view: &View<'_>,
        masked: bool,
        presentation: bool,
    ) {
        let theme = view.theme;
        let block = widgets::panel(
            Line::from(format!(" {}. {} ", self.section.index() + 1, self.section.title(view.lang))),
            theme,
        );
        let inner = block.inner(area);
        block.render(area, buf);
        let section = self.section_table(view, masked, inner.width);
        let mut y = inner.y;
        for line in &section.head {
            if y >= inner.bottom() {
                return;
            }
            buf.set_line(inner.x, y, line, inner.width);
            y += 1;
        }
        let table_area = |y: u16, bottom: u16| Rect { y, height: bottom.saturating_sub(y), ..inner };
        let table = Table::of(&section.columns, &section.rows, theme)
            .header(section.header)
            .header_style(theme.dim)
            .empty(empty_text(self.section, view.lang));
        if section.rows.is_empty() {
            table.render(table_area(y, inner.bottom()), buf);
            return;
        }
        let room = inner.bottom().saturating_sub(y + section.header as u16) as usize;
        let heights: Vec<usize> = section.rows.iter().map(|r| r.height()).collect();
        // One line kept for the page marker when the rows do not fit.
        let fits = heights.iter().sum::<usize>() <= room;
        let page_list = paginate(&heights, if fits { room } else { room.saturating_sub(1) });
        let pages = page_list.len();
        let page = if presentation && self.timer.is_running() {
            (self.auto_page as usize) % pages
        } else {
            page_list.iter().position(|(a, b)| (*a..*b).contains(&self.selection.index())).unwrap_or(0)
        };
        let highlight = !(presentation && self.timer.is_running()) && self.section != Section::OkrPulse;
        let (from, to) = page_list[page];
        self.selection.set_page(to - from);
        let selected = self.selection.index();
        let bottom = if pages > 1 { inner.bottom() - 1 } else { inner.bottom() };
        Table::of(&section.columns, &section.rows[from..to], theme)
            .header(section.header)
            .header_style(theme.dim)
            .highlight((highlight && (from..to).contains(&selected)).then(|| selected - from))
            .render(table_area(y, bottom), buf);
        if pages > 1 {
            let marker = match view.lang {
                Lang::Ko => format!("{}/{}쪽 ({}명)", page + 1, pages, section.rows.len()),
                Lang::En => format!("page {}/{} ({} rows)", page + 1, pages, section.rows.len()),
            };
            let mx = inner.right().saturating_sub(width(&marker) as u16 + 1);
            buf.set_string(mx, inner.bottom() - 1, marker, theme.dim);
        }
    }
}
