//! Drawing of the today tab: widgets over the tab's borrowed state.

use super::*;
use crate::app::kit::confirm::ConfirmBox;
use crate::app::kit::table::{Cell, Column, Row, Table};

/// The list's columns for a list `total` columns wide: at 80 columns the provider goes (the
/// essential columns stay); from 110 everything shows, the name and treatment wider. The note
/// takes the rest.
pub fn list_columns(total: u16, lang: Lang) -> Vec<Column> {
    let wide = total >= WIDE_LIST;
    let status_w = match lang {
        Lang::Ko => 4,
        Lang::En => 7,
    };
    vec![
        Column::new(lang.pick("시간", "Time"), 5),
        Column::new(lang.pick("상태", "Status"), status_w),
        Column::new(lang.pick("차트", "Chart"), 6),
        Column::new(lang.pick("이름", "Name"), if wide { 16 } else { 10 }),
        Column::new(lang.pick("나이", "Age"), 4),
        Column::new(lang.pick("원장", "Provider"), 10).hide_below(WIDE_LIST),
        Column::new(lang.pick("치료", "Treatment"), if wide { 12 } else { 8 }),
        Column::new(lang.pick("스티커", "Tags"), 6),
        Column::new(lang.pick("표시", "Flags"), 7),
        Column::new(lang.pick("메모", "Note"), 0).fill(),
    ]
}

/// The list's columns by name, in the order of [`list_columns`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListColumn {
    Time,
    Status,
    Chart,
    Name,
    AgeSex,
    Provider,
    Treatment,
    Stickers,
    Flags,
    Note,
}

/// Where each shown column starts and how wide it is, for a list `total` columns wide (the
/// kit table's own layout of [`list_columns`]).
pub fn layout_columns(total: u16, lang: Lang) -> Vec<(ListColumn, u16, u16)> {
    use ListColumn::*;
    let names = [Time, Status, Chart, Name, AgeSex, Provider, Treatment, Stickers, Flags, Note];
    let at = crate::app::kit::table::layout(&list_columns(total, lang), total);
    names.into_iter().zip(at).filter_map(|(c, place)| place.map(|(x, w)| (c, x, w))).collect()
}

/// From this list width on, the provider shows and the name and treatment widen.
const WIDE_LIST: u16 = 110;

/// Short status words that fit the status column.
pub fn status_label(status: AppointmentStatus, confirmed: bool, lang: Lang) -> &'static str {
    use AppointmentStatus::*;
    match (status, confirmed, lang) {
        (Booked, true, Lang::Ko) => "확인",
        (Booked, true, Lang::En) => "Confirm",
        (Cancelled, _, Lang::En) => "Cancel",
        (s, _, l) => s.label(l),
    }
}

/// Still booked after its start: the patient has not arrived (Today shows it dimmed, "Late?").
pub fn is_late(r: &DayRow, now: chrono::NaiveDateTime) -> bool {
    r.status == AppointmentStatus::Booked && r.start < now
}

pub(super) fn status_style(status: AppointmentStatus, theme: &Theme) -> Style {
    match status {
        AppointmentStatus::Booked => theme.base,
        AppointmentStatus::Arrived => theme.ok.add_modifier(Modifier::BOLD),
        AppointmentStatus::Done => theme.dim,
        AppointmentStatus::NoShow => theme.warn.add_modifier(Modifier::BOLD),
        AppointmentStatus::Cancelled => theme.dim.add_modifier(Modifier::CROSSED_OUT),
    }
}

/// The flags of a row, as plain ASCII: `!` open complaint, `C` callback due, `N` first visit,
/// `+n` referred n patients, `A` open huddle action.
pub fn flags_text(r: &DayRow) -> String {
    let mut s = String::new();
    if r.open_complaint {
        s.push('!');
    }
    if r.callback_due {
        s.push('C');
    }
    if r.first_visit {
        s.push('N');
    }
    if r.referred > 0 {
        s.push_str(&format!("+{}", r.referred.min(99)));
    }
    if r.huddle_action {
        s.push('A');
    }
    s
}

pub(super) fn age_sex(r: &DayRow, on: NaiveDate, lang: Lang) -> String {
    let age = r.birth_date.map(|b| age_on(b, on).to_string()).unwrap_or_default();
    let sex = match (r.sex, lang) {
        (Some(Sex::M), Lang::Ko) => "남",
        (Some(Sex::F), Lang::Ko) => "여",
        (Some(Sex::M), Lang::En) => "M",
        (Some(Sex::F), Lang::En) => "F",
        (None, _) => "",
    };
    format!("{age}{sex}")
}

pub(super) fn render_today(tab: &TodayTab, area: Rect, buf: &mut Buffer, view: &View<'_>) {
    let lang = view.lang;
    let theme = view.theme;
    if area.height < 4 {
        return;
    }
    let date = tab.date.unwrap_or(view.now.date());
    let inner = Rect { x: area.x + 1, width: area.width.saturating_sub(2), ..area };

    // Header: the day, the counts, the filters in force.
    let count = |s: AppointmentStatus| tab.rows.iter().filter(|r| r.status == s).count();
    let day_word =
        if date == view.now.date() && area.width >= 100 { lang.pick(" 오늘", " today") } else { "" };
    let mut header = vec![
        Span::styled(
            format!("{} ({}){day_word}", date.format("%Y-%m-%d"), widgets::weekday(date, lang)),
            theme.title,
        ),
        Span::raw("  "),
    ];
    let counts = [
        AppointmentStatus::Booked,
        AppointmentStatus::Arrived,
        AppointmentStatus::Done,
        AppointmentStatus::NoShow,
        AppointmentStatus::Cancelled,
    ]
    .iter()
    .map(|s| format!("{} {}", s.label(lang), count(*s)))
    .collect::<Vec<_>>()
    .join("  ");
    header.push(Span::styled(counts, theme.dim));
    if let Some(note) = super::end_of_day::header_note(tab, lang) {
        header.push(Span::styled(note, theme.warn));
    }
    if let Some(m) = tab.wait_median {
        // The day's median wait, arrived to done.
        let m = if m.fract() == 0.0 { format!("{m:.0}") } else { format!("{m:.1}") };
        header.push(Span::styled(
            match lang {
                Lang::Ko => format!("  대기 중앙값 {m}분"),
                Lang::En => format!("  median wait {m} min"),
            },
            theme.info,
        ));
    }
    // The day's takings by category (money.rs); amounts are not personal.
    // Every category when it fits, else those with takings, else nothing (never cut).
    let used: usize = header.iter().map(|s| width(&s.content)).sum();
    let fits = |t: &String| used + width(t) <= inner.width as usize;
    if let Some(t) = [true, false].iter().map(|&w| format!("  {}", tab.money.header_text(lang, w))).find(fits)
    {
        header.push(Span::styled(t, theme.info));
    }
    let mut filters = Vec::new();
    if let Some(p) = tab.provider_filter {
        filters.push(format!(
            "{}: {}",
            lang.pick("원장", "provider"),
            view.catalog.staff_name(p).unwrap_or("?")
        ));
    }
    if let Some(t) = tab.tag_filter {
        filters.push(format!("{}: {}", lang.pick("스티커", "sticker"), t.label(lang)));
    }
    if tab.filter_editing || !tab.filter_text.is_empty() {
        filters.push(format!("/{}", tab.filter_text));
    }
    for f in filters {
        header.push(Span::raw("  "));
        header.push(Span::styled(format!("[{f}]"), theme.info));
    }
    Paragraph::new(Line::from(header)).render(Rect { y: area.y, height: 1, ..inner }, buf);

    let header_y = area.y + 1;
    let legend_y = area.y + area.height - 1;
    let columns = list_columns(inner.width, lang);
    let rows: Vec<Row<'_>> = tab.visible.iter().map(|&ri| list_row(tab, &tab.rows[ri], date, view)).collect();
    let empty = if tab.rows.is_empty() {
        lang.pick(
            "이 날은 예약이 없습니다.  n: 예약   [ ]: 다른 날",
            "No appointments this day.  n: book   [ ]: other days",
        )
    } else {
        lang.pick(
            "거르기에 맞는 예약이 없습니다.  Esc: 거르기 풀기",
            "Nothing matches the filter.  Esc: clear filters",
        )
    };
    let table_area = Rect { y: header_y, height: legend_y.saturating_sub(header_y), ..inner };
    Table::of(&columns, &rows, theme)
        .selection(&tab.selection)
        .header_style(theme.dim.add_modifier(Modifier::BOLD))
        .empty(empty)
        .render(table_area, buf);
    if !rows.is_empty() {
        // The selection bar runs the screen's whole width: the table's margins too.
        let y = header_y + 1 + tab.selection.index().saturating_sub(tab.selection.offset()) as u16;
        if y < legend_y && area.width >= 2 {
            for x in [area.x, area.right() - 1] {
                buf.set_style(Rect { x, y, width: 1, height: 1 }, theme.selected);
            }
        }
    }
    render_legend(Rect { y: legend_y, height: 1, ..inner }, buf, view);

    if let Some(form) = tab.form() {
        form.render(area, buf, theme);
    }
    checkout::render_checkout(tab, area, buf, view);
    if let Some(Prompt::BookNext(req)) = &tab.prompt {
        let when = req.date.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
        let question = match lang {
            Lang::Ko => format!("다음 예약이 없습니다. 지금 잡을까요? ({when} 즈음)"),
            Lang::En => format!("The next visit is not booked. Book it now? (around {when})"),
        };
        ConfirmBox::new(
            lang.pick("다음 예약", "Next visit"),
            question,
            lang.pick("예약하기", "book it"),
            lang.pick("나중에", "not now"),
        )
        .render(area, buf, theme);
    }
    super::reasons::render_reason(tab, area, buf, view);
    super::end_of_day::render_end_of_day(tab, area, buf, view);
}

/// One visit as a row of the list.
fn list_row<'a>(tab: &TodayTab, r: &'a DayRow, date: NaiveDate, view: &View<'_>) -> Row<'a> {
    let (lang, theme) = (view.lang, view.theme);
    let status = if is_late(r, view.now) {
        // Its time has passed without arrival: dimmed and asked about ("Late?"; Korean's
        // status column holds four cells, so "늦음").
        Cell::styled(lang.pick("늦음", "Late?"), theme.dim.add_modifier(Modifier::ITALIC))
    } else {
        Cell::styled(status_label(r.status, r.confirmed, lang), status_style(r.status, theme))
    };
    let name = if view.mask { mask_name(&r.name) } else { r.name.clone() };
    let provider = r.provider_id.and_then(|p| view.catalog.staff_name(p)).unwrap_or("").to_string();
    let treatment =
        r.treatment_code.as_deref().map(|c| view.catalog.treatment_label(c, lang)).unwrap_or_default();
    let stickers: Vec<Span<'a>> = r.tags.iter().map(|t| Span::styled(t.badge(), tag_style(*t))).collect();
    let flag_style = if r.open_complaint { theme.warn } else { theme.info };
    // The open package of this treatment first: `3/10`, "ending" on the last two; then the note.
    let mut note = Vec::new();
    if let Some(p) = tab.money.package_for(r) {
        let style = if p.is_ending() { theme.warn.add_modifier(Modifier::BOLD) } else { theme.info };
        note.push(Span::styled(money::package_text(p, lang), style));
    }
    note.push(Span::styled(view.free(r.note.lines().next().unwrap_or("")), theme.dim));
    Row::new(vec![
        Cell::styled(r.start.format("%H:%M").to_string(), theme.base),
        status,
        Cell::styled(r.chart_no.as_str(), theme.dim),
        Cell::styled(name, theme.base.add_modifier(Modifier::BOLD)),
        Cell::styled(age_sex(r, date, lang), theme.dim),
        Cell::styled(provider, theme.base),
        Cell::styled(treatment, theme.base),
        Cell::text(Line::from(stickers)).keep_style(),
        Cell::styled(flags_text(r), flag_style.add_modifier(Modifier::BOLD)),
        Cell::text(Line::from(note)),
    ])
    .style(theme.base)
}

/// The sticker colours and the flag letters, explained on one line.
pub(super) fn render_legend(area: Rect, buf: &mut Buffer, view: &View<'_>) {
    let lang = view.lang;
    let mut spans = Vec::new();
    for t in Tag::ALL {
        spans.push(Span::styled(t.badge(), tag_style(*t)));
        let label = match (t, lang) {
            (Tag::HighValue, Lang::En) => "high",
            (Tag::MoreCare, Lang::En) => "more",
            _ => t.label(lang),
        };
        spans.push(Span::styled(format!(" {} ", label.to_lowercase()), view.theme.dim));
    }
    let flags = lang.pick(
        "| ! 불만  C 콜  N 초진  +n 소개  A 조치",
        "| ! complaint  C call  N new  +n referred  A action",
    );
    spans.push(Span::styled(flags, view.theme.dim));
    let used: usize = spans.iter().map(|s| width(&s.content)).sum();
    if used > area.width as usize {
        // Cut at a whole character; the last span gives way first.
        let over = used - area.width as usize;
        if let Some(last) = spans.last_mut() {
            let keep = width(&last.content).saturating_sub(over);
            *last = Span::styled(truncate(&last.content, keep), last.style);
        }
    }
    Paragraph::new(Line::from(spans)).render(area, buf);
}
