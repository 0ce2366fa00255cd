//! Drawing of the callbacks tab: widgets over the tab's borrowed state.

use super::*;
use crate::app::kit::table::{Column, Table};

pub(super) fn shown_name(name: &str, view: &View<'_>) -> String {
    if view.mask { mask_name(name) } else { name.to_string() }
}

pub(super) fn shown_phone(phone: &str, view: &View<'_>) -> String {
    if view.mask { mask_phone(phone) } else { phone.to_string() }
}

pub(super) fn won(v: Option<i64>) -> String {
    v.map(format_won).unwrap_or_default()
}

pub(super) fn due_style(due: NaiveDate, today: NaiveDate, view: &View<'_>) -> Style {
    match Urgency::of(due, today) {
        Urgency::Overdue => Style::new().fg(view.theme.off_track).add_modifier(Modifier::BOLD),
        Urgency::DueToday => Style::new().fg(view.theme.behind).add_modifier(Modifier::BOLD),
        Urgency::Upcoming => view.theme.base,
    }
}

pub(super) fn render_counters(c: &QueueCounters, area: Rect, buf: &mut Buffer, view: &View<'_>) {
    // The on-time rate with its count ("80% (279/350)") where it fits, else the rate alone.
    let line = counters_line(c, view, ratio_text(c.on_time));
    let line =
        if line.width() > area.width as usize { counters_line(c, view, c.on_time.percent()) } else { line };
    Paragraph::new(line).render(area, buf);
}

pub(super) fn counters_line(c: &QueueCounters, view: &View<'_>, on_time: String) -> Line<'static> {
    let lang = view.lang;
    let label = |s: &str| Span::styled(format!(" {s} "), view.theme.dim);
    let spans = vec![
        label(lang.pick("오늘", "Due today")),
        Span::styled(
            c.due_today.to_string(),
            Style::new().fg(view.theme.behind).add_modifier(Modifier::BOLD),
        ),
        label(lang.pick(" 지남", " Overdue")),
        Span::styled(
            c.overdue.to_string(),
            if c.overdue > 0 {
                Style::new().fg(view.theme.off_track).add_modifier(Modifier::BOLD)
            } else {
                view.theme.base
            },
        ),
        label(lang.pick(" 오늘 연락", " Done today")),
        Span::styled(c.done_today.to_string(), view.theme.ok),
        label(lang.pick(" 이달 전환", " Conversion")),
        Span::raw(ratio_text(c.conversion)),
        label(lang.pick(" 제때 연락", " On time")),
        Span::raw(on_time),
    ];
    Line::from(spans)
}

pub(super) fn ratio_text(r: crate::domain::callbacks::Ratio) -> String {
    if r.denominator == 0 {
        "-".into()
    } else {
        format!("{} ({}/{})", r.percent(), r.numerator, r.denominator)
    }
}

/// The list's columns: narrow (80 columns) or wide (110 and more, with the quoted price and
/// the owner); the last reaction takes the rest.
fn list_columns(lang: Lang, wide: bool) -> Vec<Column> {
    let money = |ko, en| Column::new(lang.pick(ko, en), 10).right();
    vec![
        Column::new(lang.pick("종류", "Kind"), 10),
        Column::new(lang.pick("날짜", "Due"), if wide { 10 } else { 5 }),
        Column::new(lang.pick("차트", "Chart"), 6),
        Column::new(lang.pick("이름", "Name"), if wide { 10 } else { 8 }),
        Column::new(lang.pick("치료", "Treatment"), if wide { 12 } else { 10 }),
        money("견적", "Quoted").hide_below(WIDE_LIST),
        money("제시가", "Offered"),
        Column::new(lang.pick("시도", "Tries"), 5).right(),
        Column::new(lang.pick("담당", "Owner"), 8).hide_below(WIDE_LIST),
        Column::new(lang.pick("마지막 반응", "Last reaction"), 0).fill(),
    ]
}

/// From this list width on, the quoted price and the owner show.
const WIDE_LIST: u16 = 110;

impl CallbacksTab {
    pub(super) fn render_list(&self, area: Rect, buf: &mut Buffer, view: &View<'_>, today: NaiveDate) {
        let lang = view.lang;
        let kind = self.kind_filter.map(|k| k.label(lang)).unwrap_or(lang.pick("전체", "all"));
        let owner = match self.owner_filter {
            OwnerFilter::All => lang.pick("전체", "all").to_string(),
            OwnerFilter::Unassigned => lang.pick("미지정", "unassigned").to_string(),
            OwnerFilter::Staff(id) => self.owner_name(Some(id)).unwrap_or("?").to_string(),
        };
        let mut title = match lang {
            Lang::Ko => format!(" 연락할 사람 {}명  종류(t): {kind}  담당(o): {owner} ", self.shown.len()),
            Lang::En => format!(" To call: {}  kind (t): {kind}  owner (o): {owner} ", self.shown.len()),
        };
        if self.typing_filter || !self.text_filter.is_empty() {
            let cursor = if self.typing_filter { "_" } else { "" };
            title.push_str(&format!(" /{}{cursor} ", self.text_filter));
        }
        let block = widgets::panel(Line::from(title), view.theme);
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.height == 0 || inner.width == 0 {
            return;
        }
        let wide = inner.width >= WIDE_LIST;
        let columns = list_columns(lang, wide);
        if self.shown.is_empty() {
            let msg = if self.entries.is_empty() {
                lang.pick("연락할 사람이 없습니다.", "Nobody to call.")
            } else {
                lang.pick("거르기에 맞는 항목이 없습니다.", "Nothing matches the filters.")
            };
            Table::new(&columns, &[], view.theme).empty(msg).render(inner, buf);
            return;
        }
        // Rows outside the loaded window (only when the terminal grew taller than the window
        // since the last move) stay blank until the next move loads them.
        let rows: Vec<Vec<Span<'_>>> = (0..self.shown.len())
            .map(|row| self.item_at(row).map(|c| self.list_row(c, view, today, wide)).unwrap_or_default())
            .collect();
        Table::new(&columns, &rows, view.theme).selection(&self.selection).render(inner, buf);
    }

    /// One callback as table cells.
    fn list_row(
        &self,
        c: &CallbackItem,
        view: &View<'_>,
        today: NaiveDate,
        wide: bool,
    ) -> Vec<Span<'static>> {
        let lang = view.lang;
        let due_text = if wide { c.due_on.format("%Y-%m-%d") } else { c.due_on.format("%m-%d") };
        let treatment =
            c.treatment_code.as_deref().map(|t| view.catalog.treatment_label(t, lang)).unwrap_or_default();
        vec![
            Span::raw(c.kind.label(lang)),
            Span::styled(due_text.to_string(), due_style(c.due_on, today, view)),
            Span::raw(c.chart_no.clone()),
            Span::raw(shown_name(&c.name, view)),
            Span::raw(treatment.to_string()),
            Span::raw(won(c.quoted_krw)),
            Span::raw(won(c.offered_krw)),
            Span::raw(c.attempts.to_string()),
            Span::raw(self.owner_name(c.owner_id).unwrap_or("").to_string()),
            Span::styled(view.free(&c.last_reaction), view.theme.dim),
        ]
    }

    /// Two lines about the selected item: what the desk needs before dialling.
    pub(super) fn render_info(&self, area: Rect, buf: &mut Buffer, view: &View<'_>) {
        let lang = view.lang;
        let block = widgets::panel(Line::from(""), view.theme);
        let inner = block.inner(area);
        block.render(area, buf);
        let Some(c) = self.selected_item() else { return };
        let w = inner.width as usize;
        let mut first =
            format!("{} {}  {}", c.chart_no, shown_name(&c.name, view), shown_phone(&c.phone, view));
        if let Some(at) = &c.consulted_at {
            first.push_str(&format!("  {} {}", lang.pick("상담", "consulted"), &at[..at.len().min(10)]));
        }
        if c.quoted_krw.is_some() || c.offered_krw.is_some() {
            first.push_str(&format!("  {} -> {}", won(c.quoted_krw), won(c.offered_krw)));
        }
        if let Some(start) = &c.appointment_start {
            first.push_str(&format!(
                "  {} {}",
                lang.pick("예약", "appt"),
                start.get(..16).unwrap_or(start).replace('T', " ")
            ));
        }
        let mut second = Vec::new();
        if !c.circumstances.is_empty() {
            second.push(view.free(&c.circumstances));
        }
        if !c.note.is_empty() {
            second.push(view.free(&c.note));
        }
        if !c.last_plan.is_empty() {
            second.push(format!("{}: {}", lang.pick("다음 계획", "plan"), view.free(&c.last_plan)));
        }
        let lines = vec![
            Line::from(Span::styled(truncate(&first, w), view.theme.title)),
            Line::from(truncate(&second.join("  |  "), w)),
        ];
        Paragraph::new(lines).render(inner, buf);
    }
}

pub(super) fn render_detail(
    d: &CallbackHistory,
    owner: Option<&str>,
    today: NaiveDate,
    area: Rect,
    buf: &mut Buffer,
    view: &View<'_>,
) {
    let lang = view.lang;
    let c = &d.item;
    let title = match lang {
        Lang::Ko => {
            format!(" {} - {} {}  (Esc 목록) ", c.kind.label(lang), c.chart_no, shown_name(&c.name, view))
        }
        Lang::En => {
            format!(" {} - {} {}  (Esc back) ", c.kind.label(lang), c.chart_no, shown_name(&c.name, view))
        }
    };
    let block = widgets::panel(Line::from(title), view.theme);
    let inner = block.inner(area);
    block.render(area, buf);
    let w = inner.width as usize;
    let dim = view.theme.dim;
    let kv = |k: &str, v: String| -> Line<'static> {
        Line::from(vec![Span::styled(fit(k, 15), dim), Span::raw(truncate(&v, w.saturating_sub(15)))])
    };
    let mut lines = Vec::new();
    let status = if c.open {
        Urgency::of(c.due_on, today).label(lang).to_string()
    } else {
        c.outcome.map(|o| o.label(lang).to_string()).unwrap_or_default()
    };
    lines.push(Line::from(vec![
        Span::styled(fit(lang.pick("날짜", "Due"), 15), dim),
        Span::styled(c.due_on.to_string(), due_style(c.due_on, today, view)),
        Span::raw(format!("  {status}  {}  {}", shown_phone(&c.phone, view), owner.unwrap_or(""))),
    ]));
    if let Some(at) = &c.consulted_at {
        let treatment =
            c.treatment_code.as_deref().map(|t| view.catalog.treatment_label(t, lang)).unwrap_or_default();
        lines.push(kv(
            lang.pick("상담", "Consultation"),
            format!(
                "{}  {treatment}  {} {}  {} {}",
                &at[..at.len().min(10)],
                lang.pick("견적", "quoted"),
                won(c.quoted_krw),
                lang.pick("제시가", "offered"),
                won(c.offered_krw)
            ),
        ));
        if !c.circumstances.is_empty() {
            lines.push(kv(lang.pick("특이사항", "Circumstances"), view.free(&c.circumstances)));
        }
    }
    if let Some(start) = &c.appointment_start {
        lines.push(kv(lang.pick("예약", "Appointment"), start.get(..16).unwrap_or(start).replace('T', " ")));
    }
    if !c.note.is_empty() {
        lines.push(kv(lang.pick("메모", "Note"), view.free(&c.note)));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        match lang {
            Lang::Ko => format!("연락 기록 {}건", d.contacts.len()),
            Lang::En => format!("Contacts: {}", d.contacts.len()),
        },
        view.theme.title,
    )));
    if d.contacts.is_empty() {
        lines.push(Line::from(Span::styled(lang.pick("아직 없습니다.", "None yet."), dim)));
    }
    // When, channel, reached, reaction, next plan, who.
    let fixed = 16 + 1 + 8 + 1 + 8 + 1;
    let text_w = w.saturating_sub(fixed);
    let reaction_w = text_w / 2;
    let plan_w = text_w.saturating_sub(reaction_w + 1);
    for x in &d.contacts {
        let reached = if x.reached { lang.pick("연결", "reached") } else { lang.pick("부재", "missed") };
        let when = x.contacted_at.get(..16).unwrap_or(&x.contacted_at).replace('T', " ");
        lines.push(Line::from(vec![
            Span::raw(fit(&when, 16) + " "),
            Span::raw(fit(x.channel.label(lang), 8) + " "),
            Span::styled(
                fit(reached, 8) + " ",
                if x.reached { view.theme.ok } else { Style::new().fg(view.theme.off_track) },
            ),
            Span::raw(fit(&view.free(&x.reaction), reaction_w) + " "),
            Span::styled(fit(&view.free(&x.next_plan), plan_w), dim),
        ]));
    }
    let skip = lines.len().saturating_sub(inner.height as usize);
    // Keep the newest contacts in view when the history is long.
    let lines: Vec<Line> = if skip > 0 {
        let head = lines.iter().take(2).cloned();
        head.chain(lines.iter().skip(skip + 2).cloned()).collect()
    } else {
        lines
    };
    Paragraph::new(lines).render(inner, buf);
}

pub(super) fn render_picker(p: &Picker, area: Rect, buf: &mut Buffer, view: &View<'_>) {
    let lang = view.lang;
    let rect = popup(area, 64, (PICKER_ROWS + 5) as u16);
    let title = lang.pick(" 상담 기록: 환자 고르기 ", " Consultation: pick the patient ");
    let inner = widgets::popup_panel(title, rect, area, buf, view.theme);
    let w = inner.width as usize;
    let mut lines = vec![
        Line::from(vec![
            Span::styled(lang.pick("찾기: ", "Find: "), view.theme.title),
            Span::raw(format!("{}_", p.query)),
        ]),
        Line::from(Span::styled(
            truncate(
                lang.pick(
                    "이름, 초성, 차트번호, 전화번호  Enter 고르기  Esc 닫기",
                    "name, initials, chart no or phone  Enter picks  Esc closes",
                ),
                w,
            ),
            view.theme.dim,
        )),
    ];
    if p.results.is_empty() && !p.query.is_empty() {
        lines.push(Line::from(Span::styled(
            lang.pick("맞는 환자가 없습니다", "No patient matches"),
            view.theme.dim,
        )));
    }
    for (i, r) in p.results.iter().enumerate() {
        let text = format!(
            "{} {} {}",
            fit(&r.chart_no, 6),
            fit(&shown_name(&r.name, view), 10),
            shown_phone(&r.phone, view)
        );
        let style = if i == p.selection.index() { view.theme.selected } else { view.theme.base };
        lines.push(Line::from(Span::styled(fit(&text, w), style)));
    }
    Paragraph::new(lines).render(inner, buf);
    // The terminal caret after the query, so a Korean IME composes in place.
    let x = inner.x + (width(lang.pick("찾기: ", "Find: ")) + width(&p.query)) as u16;
    p.caret.set(Some((x.min(inner.right().saturating_sub(1)), inner.y)));
}
