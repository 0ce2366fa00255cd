//! Drawing of the okr tab: widgets over the tab's borrowed state.

use super::*;
use crate::app::kit::progress::ProgressBar;
use crate::app::kit::table::{self, Cell, Column, Table};

/// Today's value so far beside a rate or average judged through yesterday: " (오늘 80%)";
/// empty for counts and sums (today is in their value) and when today has nothing to count.
pub fn today_beside(metric: &Metric, k: &KeyResultStatus, lang: Lang) -> String {
    match k.today {
        Some(v) if !metric.accumulates() => {
            format!(
                " ({} {})",
                lang.pick("오늘", "today"),
                okr::format_value(metric, Some(v), &k.key_result.unit)
            )
        }
        _ => String::new(),
    }
}

/// A value short enough for a row: money in 만 (30,000,000원 -> 3,000만).
pub(super) fn short_value(metric: &Metric, v: Option<f64>, unit: &str) -> String {
    match v {
        Some(v) if unit == "원" && v.abs() >= 10_000.0 && !metric.is_rate() => {
            format!("{}만", crate::domain::text::format_won((v / 10_000.0).round() as i64))
        }
        _ => okr::format_value(metric, v, unit),
    }
}

pub(super) fn percent(v: f64) -> String {
    format!("{:.0}%", v * 100.0)
}

pub(super) fn direction_sign(d: Direction) -> &'static str {
    match d {
        Direction::AtLeast => ">=",
        Direction::AtMost => "<=",
    }
}

/// An ASCII sparkline: one character per week, low to high.
pub(super) fn sparkline(values: &[Option<f64>], target: f64) -> String {
    const LEVELS: [char; 7] = ['_', '.', '-', '=', '+', '*', '#'];
    let top = values.iter().flatten().copied().fold(target.abs(), f64::max);
    values
        .iter()
        .map(|v| match v {
            None => ' ',
            Some(_) if top <= 0.0 => LEVELS[0],
            Some(v) => LEVELS[((v / top).clamp(0.0, 1.0) * (LEVELS.len() - 1) as f64).round() as usize],
        })
        .collect()
}

/// The bar: filled to the progress in the status colour, the rest dim, the pace marker on top.
pub(super) fn bar(k: &KeyResultStatus, theme: &Theme) -> ProgressBar {
    ProgressBar::new(k.judgement.progress, status_style(k.judgement.status, theme), theme.dim)
        .pace(k.judgement.pace, theme.title)
        .symbols(theme.sym)
}

/// The board's columns (a key result's); the bar takes what the others leave. From 110 columns
/// the title widens and the owner shows.
fn board_columns(wide: bool) -> Vec<Column> {
    vec![
        Column::new("", if wide { 28 } else { 20 }),
        Column::new("", 8).hide_below(WIDE_LIST),
        Column::new("", 4).fill(),
        Column::new("", 4).right(),
        Column::new("", if wide { 22 } else { 19 }).right(),
        Column::new("", 9),
    ]
}

/// From this list width on, the board's titles widen and the owner shows; the drill-down
/// shows the source.
const WIDE_LIST: u16 = 110;

impl OkrTab {
    pub(super) fn render_board(&self, area: Rect, buf: &mut Buffer, view: &View<'_>) {
        let (lang, theme) = (view.lang, view.theme);
        let title = match lang {
            Lang::Ko => format!(" OKR  {} 기준 ", view.now.date()),
            Lang::En => format!(" OKR as of {} ", view.now.date()),
        };
        let block = widgets::panel(Line::from(title), theme);
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.width < 20 || inner.height < 3 {
            return;
        }
        if self.board.is_empty() {
            Paragraph::new(vec![
                Line::from(""),
                Line::from(lang.pick(
                    "  목표가 아직 없습니다. n 으로 목표를 추가하거나 `frontdesk okr load FILE.toml` 로 불러오세요.",
                    "  No objectives yet. Press n to add one, or load a file with `frontdesk okr load FILE.toml`.",
                )),
            ])
            .style(theme.dim)
            .wrap(ratatui::widgets::Wrap { trim: false })
            .render(inner, buf);
            return;
        }
        // The list takes what its rows need; the detail (actions, history) gets the rest.
        let min_detail = 6u16;
        let list_h = (self.rows.len() as u16).min(inner.height.saturating_sub(min_detail + 1)).max(1);
        let [list_area, rule_area, detail_area] =
            Layout::vertical([Constraint::Length(list_h), Constraint::Length(1), Constraint::Fill(1)])
                .areas(inner);
        self.render_list(list_area, buf, view);
        buf.set_string(
            rule_area.x,
            rule_area.y,
            theme.sym.rule.repeat(rule_area.width as usize),
            theme.border,
        );
        self.render_detail(detail_area, buf, view);
    }

    pub(super) fn render_list(&self, area: Rect, buf: &mut Buffer, view: &View<'_>) {
        if area.height == 0 {
            return;
        }
        let columns = board_columns(area.width >= WIDE_LIST);
        let rows: Vec<table::Row<'_>> = self.rows.iter().map(|row| self.board_row(*row, view)).collect();
        Table::of(&columns, &rows, view.theme).header(false).selection(&self.selection).render(area, buf);
    }

    /// An objective (its title beside its period and progress, its status under the key
    /// results' statuses) or a key result (title, owner, bar, progress, value, status).
    fn board_row(&self, row: Row, view: &View<'_>) -> table::Row<'_> {
        let (lang, theme) = (view.lang, view.theme);
        match row {
            Row::Objective(i) => {
                let o = &self.board[i];
                let period = format!("{} ~ {}", o.objective.from, o.objective.to);
                let pct = o.progress.map(percent).unwrap_or_else(|| "-".into());
                let right = Line::from(vec![
                    Span::styled(period, theme.dim),
                    Span::styled(format!("  {}", fit_right(&pct, 4)), theme.title),
                ]);
                let style = status_style(o.status, theme).add_modifier(Modifier::BOLD);
                table::Row::new(vec![
                    Cell::split(Span::styled(o.objective.title.as_str(), theme.title), right).span(5),
                    Cell::styled(o.status.label(lang), style),
                ])
            }
            Row::KeyResult(i, j) => {
                let k = &self.board[i].key_results[j];
                let kr = &k.key_result;
                let pct = k.judgement.progress.map(percent).unwrap_or_else(|| "-".into());
                let value = match &kr.metric {
                    Some(m) => format!(
                        "{} / {}{}",
                        short_value(m, k.judgement.value, &kr.unit),
                        direction_sign(kr.direction),
                        short_value(m, Some(kr.target), &kr.unit)
                    ),
                    None => kr.metric_key.clone(),
                };
                let status = k.judgement.status;
                let style = if status == Status::Met {
                    // The celebration: a green badge.
                    Style::new().fg(ratatui::style::Color::Black).bg(theme.met).add_modifier(Modifier::BOLD)
                } else {
                    status_style(status, theme)
                };
                table::Row::new(vec![
                    Cell::styled(kr.title.as_str(), theme.base),
                    Cell::styled(kr.owner.as_str(), theme.dim),
                    Cell::bar(bar(k, theme)),
                    Cell::styled(pct, theme.base),
                    Cell::styled(value, theme.base),
                    // Padded: the badge fills its column.
                    Cell::styled(crate::domain::text::fit(status.label(lang), 9), style),
                ])
            }
        }
    }

    pub(super) fn render_detail(&self, area: Rect, buf: &mut Buffer, view: &View<'_>) {
        let (lang, theme) = (view.lang, view.theme);
        let mut lines: Vec<Line> = Vec::new();
        if let Some(k) = self.selected_key_result() {
            let kr = &k.key_result;
            let j = &k.judgement;
            let metric_label = match kr.metric.as_ref().map(Metric::base) {
                Some(Metric::TreatmentShare(code)) => format!(
                    "{}: {}",
                    Metric::TreatmentShare(code.clone()).label(lang),
                    view.catalog.treatment_label(code, lang)
                ),
                Some(m) => m.label(lang).to_string(),
                None => kr.metric_key.clone(),
            };
            // A key result aimed at a treatment, provider, category or source says so.
            let metric_label = match kr.metric.as_ref().and_then(|m| filter_label(m, view.catalog, lang)) {
                Some(f) => format!("{metric_label} [{f}]"),
                None => metric_label,
            };
            let owner = if kr.owner.is_empty() { "-".to_string() } else { kr.owner.clone() };
            lines.push(Line::from(vec![
                Span::styled(kr.title.clone(), theme.title),
                Span::styled(format!("  {metric_label}  "), theme.dim),
                Span::raw(format!("{} {owner}", lang.pick("책임자", "Owner"))),
            ]));
            if let Some(m) = &kr.metric {
                let baseline = kr
                    .baseline
                    .map(|b| {
                        format!("  {} {}", lang.pick("출발", "from"), okr::format_value(m, Some(b), &kr.unit))
                    })
                    .unwrap_or_default();
                let pace = match (m.accumulates(), kr.cadence) {
                    (true, Cadence::Month) => {
                        format!("  {} {}", lang.pick("이번 달 기준선", "pace this month"), percent(j.pace))
                    }
                    (true, Cadence::Period) => {
                        format!("  {} {}", lang.pick("오늘 기준선", "pace today"), percent(j.pace))
                    }
                    (false, _) => format!(
                        "  {}",
                        lang.pick("(비율은 어제까지의 값으로 판단)", "(a rate is judged through yesterday)")
                    ),
                };
                let now_label = match kr.cadence {
                    Cadence::Month => lang.pick("이번 달", "this month"),
                    Cadence::Period => lang.pick("현재", "now"),
                };
                lines.push(Line::from(vec![
                    Span::raw(format!(
                        "{} {}{}  {} {} {}{baseline}  {} {}",
                        now_label,
                        okr::format_value(m, j.value, &kr.unit),
                        today_beside(m, k, lang),
                        lang.pick("목표", "target"),
                        direction_sign(kr.direction),
                        okr::format_value(m, Some(kr.target), &kr.unit),
                        lang.pick("진행", "progress"),
                        j.progress.map(percent).unwrap_or_else(|| "-".into()),
                    )),
                    Span::styled(pace, theme.dim),
                ]));
                let first = k.history.first().copied().flatten();
                let (recent, ago) = match kr.cadence {
                    Cadence::Month => (
                        match lang {
                            Lang::Ko => format!("최근 {}개월", k.history.len()),
                            Lang::En => format!("last {} months", k.history.len()),
                        },
                        k.history_ends
                            .first()
                            .map(|d| d.format("%Y-%m").to_string())
                            .unwrap_or_else(|| "-".into()),
                    ),
                    Cadence::Period => (
                        lang.pick("최근 8주", "last 8 weeks").to_string(),
                        lang.pick("8주 전", "8 weeks ago").to_string(),
                    ),
                };
                lines.push(Line::from(vec![
                    Span::raw(format!("{recent} ")),
                    Span::styled(
                        format!("[{}]", sparkline(&k.history, kr.target)),
                        status_style(j.status, theme),
                    ),
                    Span::styled(format!("  {ago} {}", okr::format_value(m, first, &kr.unit)), theme.dim),
                ]));
            }
            let (say, style) = match j.status {
                Status::Met => (
                    lang.pick(
                        "*** 달성! 모두 수고하셨습니다. 박수! ***",
                        "*** Met! Well done, everyone. Applause! ***",
                    ),
                    Style::new().fg(theme.met).add_modifier(Modifier::BOLD),
                ),
                Status::OnTrack => {
                    (lang.pick("순항 중: 이대로 계속", "On track: keep going"), status_style(j.status, theme))
                }
                Status::Behind => (
                    lang.pick(
                        "조금 뒤처짐: 실천 과업을 다시 보세요",
                        "A little behind: look at the action items again",
                    ),
                    status_style(j.status, theme),
                ),
                Status::OffTrack => (
                    lang.pick(
                        "개선이 필요합니다: 회의에서 실천 과업을 점검하세요",
                        "Needs improving: go over the action items in the huddle",
                    ),
                    status_style(j.status, theme).add_modifier(Modifier::BOLD),
                ),
                Status::NoData if kr.metric == Some(Metric::Manual) && kr.cadence == Cadence::Month => (
                    lang.pick(
                        "이번 달 체크인이 없습니다: c 로 이번 달 값을 적으세요",
                        "No check-in this month yet: press c to enter this month's value",
                    ),
                    theme.dim,
                ),
                Status::NoData if kr.metric == Some(Metric::Manual) => (
                    lang.pick(
                        "아직 체크인이 없습니다: c 로 현재 값을 적으세요",
                        "No check-in yet: press c to enter the value",
                    ),
                    theme.dim,
                ),
                Status::NoData => (
                    lang.pick("아직 셀 기록이 없습니다 (값 없음 -)", "Nothing to count yet (no value: -)"),
                    theme.dim,
                ),
            };
            lines.push(Line::from(Span::styled(say.to_string(), style)));
            if let Some(m) = &kr.metric {
                // The weekly (or monthly) values behind the sparkline, where the room allows.
                let label_format = match kr.cadence {
                    Cadence::Month => "%Y-%m",
                    Cadence::Period => "%m-%d",
                };
                // A point inside the period with nothing to count (no case yet) shows "-";
                // points before the period are left out; all points "-" show no line.
                let from = self.selected_objective().map(|o| o.objective.from);
                let points: Vec<String> = k
                    .history
                    .iter()
                    .zip(&k.history_ends)
                    .filter(|(v, end)| v.is_some() || from.is_some_and(|from| **end >= from))
                    .map(|(v, end)| format!("{} {}", end.format(label_format), short_value(m, *v, &kr.unit)))
                    .collect();
                // Nothing counted at any point (a new clinic): no line of dashes.
                if k.history.iter().any(Option::is_some) {
                    let head = match kr.cadence {
                        Cadence::Month => lang.pick("월별", "monthly"),
                        Cadence::Period => lang.pick("주별", "weekly"),
                    };
                    lines.push(Line::from(Span::styled(format!("{head}  {}", points.join("  ")), theme.dim)));
                }
            }
            if !kr.actions.is_empty() {
                lines.push(Line::from(Span::styled(
                    lang.pick("실천 과업", "Action items").to_string(),
                    theme.title,
                )));
                for a in &kr.actions {
                    lines.push(Line::from(format!("  - {a}")));
                }
            }
        } else if let Some(o) = self.selected_objective() {
            let met = o.key_results.iter().filter(|k| k.judgement.status == Status::Met).count();
            lines.push(Line::from(Span::styled(o.objective.title.clone(), theme.title)));
            lines.push(Line::from(format!(
                "{} {} ~ {}  {} {}  {}",
                lang.pick("기간", "Period"),
                o.objective.from,
                o.objective.to,
                lang.pick("평균 진행", "mean progress"),
                o.progress.map(percent).unwrap_or_else(|| "-".into()),
                {
                    let none = o.key_results.iter().filter(|k| k.judgement.status == Status::NoData).count();
                    match (lang, none) {
                        (Lang::Ko, 0) => format!("핵심결과 {}개 중 {met}개 달성", o.key_results.len()),
                        (Lang::Ko, n) => {
                            format!("핵심결과 {}개 중 {met}개 달성, {n}개 자료 없음", o.key_results.len())
                        }
                        (Lang::En, 0) => format!("{met} of {} key results met", o.key_results.len()),
                        (Lang::En, n) => {
                            format!("{met} of {} key results met, {n} without data", o.key_results.len())
                        }
                    }
                }
            )));
            lines.push(Line::from(Span::styled(
                lang.pick("e 목표 고치기  a 핵심결과 추가", "e edit objective  a add key result").to_string(),
                theme.dim,
            )));
        }
        let lines: Vec<Line> = lines
            .into_iter()
            .map(|l| {
                // Cut each line to the width, never splitting a character.
                let text: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
                if width(&text) <= area.width as usize { l } else { cut_line(l, area.width as usize) }
            })
            .collect();
        Paragraph::new(lines).render(area, buf);
    }

    pub(super) fn render_drill(&self, d: &Drill, area: Rect, buf: &mut Buffer, view: &View<'_>) {
        let (lang, theme) = (view.lang, view.theme);
        let Some(k) = self.board.get(d.objective).and_then(|o| o.key_results.get(d.key_result)) else {
            return;
        };
        let kr = &k.key_result;
        let metric = kr.metric.clone().unwrap_or(Metric::Manual);
        let value = okr::format_value(&metric, k.judgement.value, &kr.unit);
        let sides = side_labels(&metric, lang);
        let kr_title = match filter_label(&metric, view.catalog, lang) {
            Some(f) => format!("{} [{f}]", kr.title),
            None => kr.title.clone(),
        };
        let title = match (sides, lang) {
            (Some((hit, miss)), _) => {
                let hits = d.records.iter().filter(|r| r.hit == Some(true)).count();
                let misses = d.records.iter().filter(|r| r.hit == Some(false)).count();
                let (first, second) = if kr.direction == Direction::AtMost {
                    ((hit, hits), (miss, misses))
                } else {
                    ((miss, misses), (hit, hits))
                };
                format!(
                    " {}: {value}  {} {}, {} {}  {} ",
                    kr_title,
                    first.0,
                    first.1,
                    second.0,
                    second.1,
                    lang.pick("Enter 환자 카드  Esc 뒤로", "Enter patient card  Esc back")
                )
            }
            (None, Lang::Ko) => format!(" {}: {value}  (기록 {}건)  Esc 뒤로 ", kr_title, d.records.len()),
            (None, Lang::En) => format!(" {}: {value}  ({} records)  Esc back ", kr_title, d.records.len()),
        };
        let block = widgets::panel(Line::from(title), theme);
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.height < 2 || inner.width < 20 {
            return;
        }
        let manual = metric == Metric::Manual;
        let note_head = match metric {
            Metric::BookingRate => lang.pick("다음 예약", "Next visit"),
            Metric::ReturnRate => lang.pick("내원 수", "Visits"),
            Metric::Referrals => lang.pick("소개한 분", "Referred by"),
            Metric::OpenComplaints => lang.pick("내용", "Description"),
            Metric::WaitMinutes => lang.pick("대기(분)", "Wait (min)"),
            Metric::Satisfaction => lang.pick("점수 반응", "Score, reaction"),
            _ => lang.pick("메모", "Note"),
        };
        let columns = if manual {
            vec![
                Column::new(lang.pick("날짜", "Date"), 12),
                Column::new(lang.pick("값", "Value"), 16).right(),
                Column::new(lang.pick("메모", "Comment"), 0).fill(),
            ]
        } else {
            let side_w = sides.map(|(h, m)| width(h).max(width(m))).unwrap_or(0) as u16;
            let side = Column::new(lang.pick("구분", "Side"), side_w);
            sides
                .map(|_| side)
                .into_iter()
                .chain([
                    Column::new(lang.pick("일시", "When"), 17),
                    Column::new(lang.pick("차트", "Chart"), 8),
                    Column::new(lang.pick("이름", "Name"), 10),
                    Column::new(lang.pick("치료/종류", "Treatment"), 12),
                    Column::new(lang.pick("경로", "Source"), 12).hide_below(WIDE_LIST),
                    Column::new(note_head, 0).fill(),
                ])
                .collect()
        };
        let rows: Vec<table::Row<'_>> = d
            .records
            .iter()
            .map(|r| {
                let when = r.at.replace('T', " ");
                let when = if when.len() > 16 { when[..16].to_string() } else { when };
                if manual {
                    // A check-in: its day, its value and the comment typed with it.
                    return table::Row::new(vec![
                        when.into(),
                        r.name.as_str().into(),
                        view.free(&r.note).into(),
                    ])
                    .style(view.theme.base);
                }
                let name = if view.mask { mask::mask_name(&r.name) } else { r.name.clone() };
                let what = r
                    .treatment
                    .as_deref()
                    .map(|t| view.catalog.treatment_label(t, lang))
                    .or_else(|| r.kind.as_deref().map(|c| kind_label(c, view.catalog, lang)))
                    .unwrap_or_default();
                let source =
                    r.source.as_deref().map(|s| view.catalog.source_label(s, lang)).unwrap_or_default();
                let note = match metric {
                    Metric::BookingRate => r.note.replace('T', " ").chars().take(16).collect(),
                    Metric::Referrals if view.mask => mask::mask_name(&r.note),
                    _ => view.free(&r.note),
                };
                let side = match (sides, r.hit) {
                    (Some((hit, _)), Some(true)) => Some(hit),
                    (Some((_, miss)), Some(false)) => Some(miss),
                    (Some(_), None) => Some(""),
                    (None, _) => None,
                };
                // A caller who is not a patient has no chart number: their phone instead.
                let chart = match &r.phone {
                    Some(phone) if r.chart_no.is_empty() && view.mask => mask::mask_phone(phone),
                    Some(phone) if r.chart_no.is_empty() => phone.clone(),
                    _ => r.chart_no.clone(),
                };
                let cells = side
                    .map(Cell::from)
                    .into_iter()
                    .chain([when, chart, name, what, source, note].into_iter().map(Cell::from));
                table::Row::new(cells.collect()).style(view.theme.base)
            })
            .collect();
        let empty =
            lang.pick("이 숫자 뒤에 기록이 없습니다.  Esc 뒤로", "No records behind this number.  Esc back");
        Table::of(&columns, &rows, theme).selection(&d.selection).empty(empty).render(inner, buf);
    }
}

/// The two sides of a rate's records: (in the numerator, out of it).
pub(super) fn side_labels(metric: &Metric, lang: Lang) -> Option<(&'static str, &'static str)> {
    let (ko, en) = match metric {
        Metric::BookingRate => (("재예약", "재예약 안 함"), ("Rebooked", "Not rebooked")),
        Metric::NoShowRate => (("부도", "내원"), ("No-show", "Kept")),
        Metric::TreatmentShare(_) => (("해당 치료", "다른 치료"), ("This one", "Other")),
        Metric::ReturnRate => (("재방문", "1회 방문"), ("Returned", "Once")),
        Metric::InquiryToVisit => (("내원", "미내원"), ("Visited", "Not visited")),
        Metric::InquiryToPaid => (("결제", "미결제"), ("Paid", "Not paid")),
        Metric::ConsultSuccess => (("수락", "미수락"), ("Accepted", "Not accepted")),
        Metric::CallbackOnTime => (("제때 연락", "늦음/안 함"), ("On time", "Late/none")),
        Metric::Satisfaction => (("4-5점", "1-3점"), ("Scored 4-5", "Scored 1-3")),
        _ => return None,
    };
    Some(match lang {
        Lang::Ko => ko,
        Lang::En => en,
    })
}

/// A callback kind or complaint category, in words.
pub(super) fn kind_label(code: &str, catalog: &Catalog, lang: Lang) -> String {
    if let Some(k) = CallbackKind::parse(code) {
        return k.label(lang).to_string();
    }
    catalog
        .complaint_categories
        .iter()
        .find(|c| c.code == code)
        .map(|c| c.label(lang).to_string())
        .unwrap_or_else(|| code.to_string())
}

/// Cuts a styled line to `cols` display columns.
pub(super) fn cut_line(line: Line<'_>, cols: usize) -> Line<'static> {
    let mut left = cols;
    let mut spans = Vec::new();
    for s in line.spans {
        if left == 0 {
            break;
        }
        let t = truncate(&s.content, left);
        left = left.saturating_sub(width(&t));
        spans.push(Span::styled(t, s.style));
    }
    Line::from(spans)
}
