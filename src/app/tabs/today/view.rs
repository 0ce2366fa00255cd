//! Drawing of the today tab: widgets over the tab's borrowed state.

use super::*;
use crate::app::kit::confirm::ConfirmBox;
use crate::app::kit::table::{MARKER, MARKER_W};

/// The columns of the list, placed by display width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
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

/// Where each column starts and how wide it is, for a list `total` columns wide.
/// At 80 columns the provider goes (the essential columns stay); from 110 everything shows.
pub fn layout_columns(total: u16, lang: Lang) -> Vec<(Column, u16, u16)> {
    let wide = total >= 110;
    let status_w = match lang {
        Lang::Ko => 4,
        Lang::En => 7,
    };
    let mut spec: Vec<(Column, u16)> = vec![
        (Column::Time, 5),
        (Column::Status, status_w),
        (Column::Chart, 6),
        (Column::Name, if wide { 16 } else { 10 }),
        (Column::AgeSex, 4),
    ];
    if wide {
        spec.push((Column::Provider, 10));
    }
    spec.push((Column::Treatment, if wide { 12 } else { 8 }));
    spec.push((Column::Stickers, 6));
    spec.push((Column::Flags, 7));
    let mut out = Vec::new();
    // After the selection marker column, as in every kit table.
    let mut x = MARKER_W;
    for (c, w) in spec {
        out.push((c, x, w));
        x += w + 1;
    }
    out.push((Column::Note, x, total.saturating_sub(x)));
    out
}

pub(super) fn column_title(c: Column, lang: Lang) -> &'static str {
    match c {
        Column::Time => lang.pick("시간", "Time"),
        Column::Status => lang.pick("상태", "Status"),
        Column::Chart => lang.pick("차트", "Chart"),
        Column::Name => lang.pick("이름", "Name"),
        Column::AgeSex => lang.pick("나이", "Age"),
        Column::Provider => lang.pick("원장", "Provider"),
        Column::Treatment => lang.pick("치료", "Treatment"),
        Column::Stickers => lang.pick("스티커", "Tags"),
        Column::Flags => lang.pick("표시", "Flags"),
        Column::Note => lang.pick("메모", "Note"),
    }
}

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

pub(super) fn put(buf: &mut Buffer, x: u16, y: u16, w: u16, text: &str, style: Style) {
    if w == 0 {
        return;
    }
    let s = fit(text, w as usize);
    buf.set_stringn(x, y, s, w as usize, style);
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

    let cols = layout_columns(inner.width, lang);
    let header_y = area.y + 1;
    for (c, x, w) in &cols {
        put(buf, inner.x + x, header_y, *w, column_title(*c, lang), theme.dim.add_modifier(Modifier::BOLD));
    }

    let legend_y = area.y + area.height - 1;
    let list_top = header_y + 1;
    let list_h = legend_y.saturating_sub(list_top) as usize;

    if tab.visible.is_empty() {
        let msg = if tab.rows.is_empty() {
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
        Paragraph::new(Span::styled(msg, theme.dim)).render(
            Rect { y: list_top + 1, height: 1, x: inner.x + 2, width: inner.width.saturating_sub(2) },
            buf,
        );
    }

    let window =
        tab.selection.window_in(Rect { x: area.x, y: list_top, width: area.width, height: list_h as u16 });
    let offset = window.start;
    for (line, &ri) in tab.visible.iter().enumerate().skip(offset).take(window.len()) {
        let r = &tab.rows[ri];
        let y = list_top + (line - offset) as u16;
        let selected = line == tab.selection.index();
        let row_style = if selected { theme.selected } else { theme.base };
        buf.set_style(Rect { x: area.x, y, width: area.width, height: 1 }, row_style);
        let base = |s: Style| if selected { s.patch(theme.selected) } else { s };
        if selected {
            // Seen without colour too (NO_COLOR, monochrome terminals).
            buf.set_string(inner.x, y, MARKER, theme.selected);
        }
        for (c, x, w) in &cols {
            let x = inner.x + x;
            match c {
                Column::Time => put(buf, x, y, *w, &r.start.format("%H:%M").to_string(), base(theme.base)),
                Column::Status if is_late(r, view.now) => {
                    // Its time has passed without arrival: dimmed and asked about ("Late?";
                    // Korean's status column holds four cells, so "늦음").
                    let label = lang.pick("늦음", "Late?");
                    put(buf, x, y, *w, label, base(theme.dim.add_modifier(Modifier::ITALIC)))
                }
                Column::Status => put(
                    buf,
                    x,
                    y,
                    *w,
                    status_label(r.status, r.confirmed, lang),
                    base(status_style(r.status, theme)),
                ),
                Column::Chart => put(buf, x, y, *w, &r.chart_no, base(theme.dim)),
                Column::Name => {
                    let name = if view.mask { mask_name(&r.name) } else { r.name.clone() };
                    put(buf, x, y, *w, &name, base(theme.base.add_modifier(Modifier::BOLD)))
                }
                Column::AgeSex => put(buf, x, y, *w, &age_sex(r, date, lang), base(theme.dim)),
                Column::Provider => {
                    let p = r.provider_id.and_then(|p| view.catalog.staff_name(p)).unwrap_or("");
                    put(buf, x, y, *w, p, base(theme.base))
                }
                Column::Treatment => {
                    let t = r
                        .treatment_code
                        .as_deref()
                        .map(|c| view.catalog.treatment_label(c, lang))
                        .unwrap_or_default();
                    put(buf, x, y, *w, &t, base(theme.base))
                }
                Column::Stickers => {
                    for (i, t) in r.tags.iter().enumerate().take(*w as usize) {
                        buf.set_string(x + i as u16, y, t.badge(), tag_style(*t));
                    }
                }
                Column::Flags => {
                    let f = flags_text(r);
                    let style = if r.open_complaint { theme.warn } else { theme.info };
                    put(buf, x, y, *w, &f, base(style.add_modifier(Modifier::BOLD)))
                }
                Column::Note => {
                    let first = view.free(r.note.lines().next().unwrap_or(""));
                    // The open package of this treatment first: `3/10`, "ending" on the last two.
                    let pkg = tab.money.package_for(r).map(|p| (money::package_text(p, lang), p.is_ending()));
                    let pw = pkg.as_ref().map_or(0, |(t, _)| width(t) as u16).min(*w);
                    if let Some((t, ending)) = &pkg {
                        let style =
                            if *ending { theme.warn.add_modifier(Modifier::BOLD) } else { theme.info };
                        put(buf, x, y, pw, t, base(style));
                    }
                    put(buf, x + pw, y, w.saturating_sub(pw), &first, base(theme.dim))
                }
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
