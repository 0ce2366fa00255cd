//! Drawing of the huddle tab: widgets over the tab's borrowed state.

use super::*;
use crate::app::kit::progress::ProgressBar;

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
        let w = inner.width as usize;
        let (head, rows) = self.section_rows(view, masked, w);
        let mut y = inner.y;
        for line in &head {
            if y >= inner.bottom() {
                return;
            }
            buf.set_line(inner.x, y, line, inner.width);
            y += 1;
        }
        if rows.is_empty() {
            if y < inner.bottom() {
                buf.set_line(
                    inner.x,
                    y,
                    &Line::from(Span::styled(empty_text(self.section, view.lang), theme.dim)),
                    inner.width,
                );
            }
            return;
        }
        let room = inner.bottom().saturating_sub(y) as usize;
        let heights: Vec<usize> = rows.iter().map(|r| r.lines.len()).collect();
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
        for (i, row) in rows.iter().enumerate().take(to).skip(from) {
            for line in &row.lines {
                if y >= inner.bottom() {
                    break;
                }
                buf.set_line(inner.x, y, line, inner.width);
                if highlight && i == self.selection.index() && row.patient.is_some() {
                    buf.set_style(Rect { x: inner.x, y, width: inner.width, height: 1 }, theme.selected);
                }
                y += 1;
            }
        }
        if pages > 1 {
            let marker = match view.lang {
                Lang::Ko => format!("{}/{}쪽 ({}명)", page + 1, pages, rows.len()),
                Lang::En => format!("page {}/{} ({} rows)", page + 1, pages, rows.len()),
            };
            let mx = inner.right().saturating_sub(width(&marker) as u16 + 1);
            buf.set_string(mx, inner.bottom() - 1, marker, theme.dim);
        }
    }

    /// Header lines and rows of the current section, laid out for `w` columns.
    pub(super) fn section_rows(
        &self,
        view: &View<'_>,
        masked: bool,
        w: usize,
    ) -> (Vec<Line<'static>>, Vec<Row>) {
        let lang = view.lang;
        let theme = view.theme;
        let name = |p: &PatientBrief| if masked { mask_name(&p.name) } else { p.name.clone() };
        let phone = |p: &PatientBrief| if masked { mask_phone(&p.phone) } else { p.phone.clone() };
        // Free text (plans, actions) may name people or hold a phone number.
        let free = |s: &str| {
            if masked { crate::domain::mask::mask_text(s, view.mask_names) } else { s.to_string() }
        };
        let wide = w >= 96;
        let category = |c: &str| {
            view.catalog
                .complaint_categories
                .iter()
                .find(|x| x.code == c)
                .map(|x| x.label(lang).to_string())
                .unwrap_or_else(|| c.to_string())
        };
        let action_flag = |pid: i64| -> Vec<Span<'static>> {
            match self.agenda.open_actions.get(&pid) {
                Some(acts) if !acts.is_empty() => {
                    let a = &acts[0];
                    let more = if acts.len() > 1 { format!(" +{}", acts.len() - 1) } else { String::new() };
                    let owner = if a.owner.is_empty() { String::new() } else { format!("/{}", a.owner) };
                    vec![Span::styled(format!(" [A: {}{owner}{more}]", free(&a.action)), theme.info)]
                }
                _ => Vec::new(),
            }
        };
        let ident = |p: &PatientBrief| -> String {
            let mut s = format!("{} {}", fit(&p.chart_no, 6), fit(&name(p), 10));
            if wide {
                s.push(' ');
                s.push_str(&fit(&phone(p), 13));
            }
            s
        };
        // A header row: the column titles, each already cut to its width, one space apart.
        let header = |cols: &[&str]| Line::from(Span::styled(truncate(&cols.join(" "), w), theme.dim));
        let id_header = || {
            let mut s =
                format!("{} {}", fit(lang.pick("차트", "Chart"), 6), fit(lang.pick("이름", "Name"), 10));
            if wide {
                s.push(' ');
                s.push_str(&fit(lang.pick("전화", "Phone"), 13));
            }
            s
        };
        let time_of = |t: Option<NaiveDateTime>| {
            t.map(|t| t.format("%H:%M").to_string()).unwrap_or_else(|| "  -  ".into())
        };
        match self.section {
            Section::Complaints => {
                let head = vec![header(&[
                    &fit(lang.pick("오늘", "Today"), 5),
                    &id_header(),
                    &fit(lang.pick("유형", "Category"), 14),
                    &fit(lang.pick("접수", "Date"), 5),
                    &fit(lang.pick("상태", "State"), 6),
                    lang.pick("해결 방안 (담당)", "Resolution plan (owner)"),
                ])];
                let rows = self
                    .agenda
                    .complaints
                    .iter()
                    .map(|c| {
                        let state = if c.open {
                            lang.pick("미해결", "open")
                        } else {
                            lang.pick("해결", "closed")
                        };
                        let plan = if c.plan.is_empty() {
                            lang.pick("(방안 없음)", "(no plan)").to_string()
                        } else {
                            free(&c.plan)
                        };
                        let owner =
                            c.owner.clone().unwrap_or_else(|| lang.pick("담당 없음", "no owner").to_string());
                        let mut spans = vec![
                            Span::raw(format!(
                                "{} {} {} {} ",
                                fit(&time_of(c.coming_at), 5),
                                ident(&c.patient),
                                fit(&category(&c.category), 14),
                                c.raised_on.format("%m-%d")
                            )),
                            Span::styled(fit(state, 6), if c.open { theme.warn } else { theme.ok }),
                            Span::raw(format!(" {plan} ({owner})")),
                        ];
                        spans.extend(action_flag(c.patient.id));
                        Row::one(Some(c.patient.id), Line::from(spans))
                    })
                    .collect();
                (head, rows)
            }
            Section::RiskyProcesses => {
                let top: Vec<String> = self
                    .agenda
                    .risky_categories
                    .iter()
                    .take(hs::RISKY_CATEGORIES)
                    .map(|(c, n)| match lang {
                        Lang::Ko => format!("{} {n}건", category(c)),
                        Lang::En => format!("{} {n}", category(c)),
                    })
                    .collect();
                let summary = if top.is_empty() {
                    lang.pick("최근 30일 불만 없음", "No complaints in the last 30 days").to_string()
                } else {
                    format!(
                        "{}: {}",
                        lang.pick("최근 30일 많은 불만", "Most frequent in 30 days"),
                        top.join(", ")
                    )
                };
                let summary = match (self.agenda.risky_more, lang) {
                    (0, _) => summary,
                    (n, Lang::Ko) => format!("{summary} (외 {n}명)"),
                    (n, Lang::En) => format!("{summary} (+{n} more)"),
                };
                let head = vec![
                    Line::from(Span::styled(truncate(&summary, w), theme.title)),
                    header(&[
                        &fit(lang.pick("시간", "Time"), 5),
                        &id_header(),
                        &fit(lang.pick("치료", "Treatment"), 14),
                        lang.pick("주의할 점", "Watch for"),
                    ]),
                ];
                let rows = self
                    .agenda
                    .risky_visits
                    .iter()
                    .map(|r| {
                        let t = r
                            .visit
                            .treatment
                            .as_deref()
                            .map(|t| view.catalog.treatment_label(t, lang))
                            .unwrap_or_default();
                        let cats = r.categories.iter().map(|c| category(c)).collect::<Vec<_>>().join(", ");
                        let mut spans = vec![
                            Span::raw(format!(
                                "{} {} {} ",
                                r.visit.start.format("%H:%M"),
                                ident(&r.visit.patient),
                                fit(&t, 14)
                            )),
                            Span::styled(cats, theme.warn),
                        ];
                        spans.extend(action_flag(r.visit.patient.id));
                        Row::one(Some(r.visit.patient.id), Line::from(spans))
                    })
                    .collect();
                (head, rows)
            }
            Section::ChartReview => {
                let c = &self.agenda.counts;
                let counts = match lang {
                    Lang::Ko => format!(
                        "오늘 {}명 / 초진 {} / 소개자 {} / 가망 {} / 생일 {}",
                        c.visits, c.first_visits, c.referrers, c.prospects, c.birthdays
                    ),
                    Lang::En => format!(
                        "{} patients today / first visits {} / referrers {} / prospects {} / birthdays {}",
                        c.visits, c.first_visits, c.referrers, c.prospects, c.birthdays
                    ),
                };
                let mut stickers =
                    vec![Span::styled(format!("{} ", lang.pick("스티커", "Stickers")), theme.dim)];
                for (tag, n) in &c.by_tag {
                    stickers
                        .push(Span::styled(format!(" {} ", tag.badge()), crate::app::theme::tag_style(*tag)));
                    stickers.push(Span::raw(format!(" {} {n}  ", tag.label(lang))));
                }
                let head = vec![
                    Line::from(Span::styled(truncate(&counts, w), theme.title)),
                    Line::from(stickers),
                    header(&[
                        &fit(lang.pick("시간", "Time"), 5),
                        &id_header(),
                        &fit(lang.pick("치료", "Treatment"), 14),
                        &fit(lang.pick("스티커", "Tags"), 10),
                        lang.pick("볼 점", "Notes"),
                    ]),
                ];
                let rows = self
                    .agenda
                    .today
                    .iter()
                    .map(|v| {
                        let t = v
                            .treatment
                            .as_deref()
                            .map(|t| view.catalog.treatment_label(t, lang))
                            .unwrap_or_default();
                        let mut spans = vec![Span::raw(format!(
                            "{} {} {} ",
                            v.start.format("%H:%M"),
                            ident(&v.patient),
                            fit(&t, 14)
                        ))];
                        let mut used = 0;
                        for tag in &v.tags {
                            spans.push(Span::styled(tag.badge(), crate::app::theme::tag_style(*tag)));
                            spans.push(Span::raw(" "));
                            used += 2;
                        }
                        spans.push(Span::raw(" ".repeat(11usize.saturating_sub(used))));
                        let mut notes = Vec::new();
                        if v.first_visit {
                            notes.push(lang.pick("초진", "first visit").to_string());
                        }
                        if v.referred > 0 {
                            notes.push(match lang {
                                Lang::Ko => format!("소개 {}명", v.referred),
                                Lang::En => format!("referred {}", v.referred),
                            });
                        }
                        if v.prospect {
                            notes.push(lang.pick("가망", "prospect").to_string());
                        }
                        if v.birthday {
                            notes.push(lang.pick("생일", "birthday").to_string());
                        }
                        notes.extend(self.money.notes(v, lang));
                        spans.push(Span::styled(notes.join(", "), theme.info));
                        spans.extend(action_flag(v.patient.id));
                        Row::one(Some(v.patient.id), Line::from(spans))
                    })
                    .collect();
                (head, rows)
            }
            Section::Dropouts => {
                let head = vec![header(&[
                    &fit_right(lang.pick("점수", "Score"), 5),
                    &id_header(),
                    &fit(lang.pick("최근", "Last"), 5),
                    lang.pick("이유", "Why"),
                ])];
                let label = |c: &str| {
                    if view.catalog.treatment(c).is_some() {
                        view.catalog.treatment_label(c, lang)
                    } else {
                        category(c)
                    }
                };
                let rows = self
                    .agenda
                    .dropouts
                    .iter()
                    .map(|(d, p)| {
                        let reasons: Vec<String> = d.reasons.iter().map(|r| r.words(lang, &label)).collect();
                        let style = if d.score >= 3 { theme.warn } else { theme.base };
                        let lead = format!(" {} {} ", ident(p), d.last_visit.format("%m-%d"));
                        let first_w = w.saturating_sub(5 + width(&lead));
                        let indent = 6;
                        let wrapped = wrap_items(&reasons, first_w, w.saturating_sub(indent));
                        let mut first = vec![
                            Span::styled(fit_right(&d.score.to_string(), 5), style),
                            Span::raw(lead),
                            Span::raw(wrapped[0].clone()),
                        ];
                        first.extend(action_flag(p.id));
                        let mut lines = vec![Line::from(first)];
                        for more in &wrapped[1..] {
                            lines.push(Line::from(format!("{}{more}", " ".repeat(indent))));
                        }
                        Row { patient: Some(p.id), lines }
                    })
                    .collect();
                (head, rows)
            }
            Section::OkrPulse => {
                let bar_w = if w >= 100 { 20 } else { 12 };
                // The OKR tab's bar, as wide as the bracketed one it replaced.
                let bar = |progress: Option<f64>, status: Status| -> Vec<Span<'static>> {
                    ProgressBar::new(progress, status_style(status, theme), theme.dim)
                        .symbols(theme.sym)
                        .spans(bar_w + 2)
                };
                let pct = |progress: Option<f64>| match progress {
                    Some(p) => format!("{:>4.0}%", p * 100.0),
                    None => "    -".to_string(),
                };
                let mut rows = Vec::new();
                for o in &self.agenda.okr {
                    rows.push(Row::one(
                        None,
                        Line::from(
                            [
                                vec![
                                    Span::styled(
                                        fit(&o.title, w.saturating_sub(bar_w + 10).min(50)),
                                        theme.title,
                                    ),
                                    Span::raw(" "),
                                ],
                                bar(o.progress, o.status),
                                vec![Span::styled(pct(o.progress), status_style(o.status, theme))],
                            ]
                            .concat(),
                        ),
                    ));
                    for k in &o.key_results {
                        let target = format_target(&k.metric, k.target);
                        let dir = if k.direction == "at_most" { "<=" } else { ">=" };
                        let owner = if k.owner.is_empty() { String::new() } else { format!("  {}", k.owner) };
                        let met = if k.status == Status::Met { lang.pick("  달성!", "  Met!") } else { "" };
                        rows.push(Row::one(
                            None,
                            Line::from(vec![
                                Span::raw(format!("  {} ", fit(&k.title, 28))),
                                Span::styled(
                                    format!("{} {}", lang.pick("현재", "now"), k.value_text),
                                    status_style(k.status, theme),
                                ),
                                Span::styled(
                                    match &k.today_text {
                                        Some(t) => format!(" ({} {t})  ", lang.pick("오늘", "today")),
                                        None => "  ".to_string(),
                                    },
                                    theme.dim,
                                ),
                                Span::raw(format!("{} {dir} {target}", lang.pick("목표", "target"))),
                                Span::styled(met, status_style(k.status, theme)),
                                Span::styled(owner, theme.dim),
                            ]),
                        ));
                    }
                }
                (Vec::new(), rows)
            }
        }
    }
}
