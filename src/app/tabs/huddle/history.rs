//! The huddle's earlier meetings and the shared screen's big timer digits.

use super::*;

pub(super) fn format_target(metric: &str, target: f64) -> String {
    match Metric::parse(metric) {
        Some(m) if m.is_rate() => format!("{:.0}%", target * 100.0),
        _ if target.fract() == 0.0 => crate::domain::text::format_won(target as i64),
        _ => format!("{target:.1}"),
    }
}

pub(super) fn empty_text(section: Section, lang: Lang) -> &'static str {
    match section {
        Section::Complaints => lang.pick(
            "미해결 불만도, 최근 불만이 있는 오늘 환자도 없습니다.",
            "No open complaints and no patient today with a recent one.",
        ),
        Section::RiskyProcesses => lang.pick(
            "오늘 위험 프로세스를 거치는 예약이 없습니다.",
            "No appointment today goes through a risky process.",
        ),
        Section::ChartReview => lang.pick("오늘 예약이 없습니다.", "No appointments today."),
        Section::Dropouts => lang.pick("예상 이탈 고객이 없습니다.", "No expected dropouts."),
        Section::OkrPulse => lang.pick("진행 중인 목표가 없습니다.", "No objectives running."),
    }
}

pub(super) fn render_history(
    history: &[HuddleRecord],
    scroll: usize,
    area: Rect,
    buf: &mut Buffer,
    view: &View<'_>,
    masked: Option<&crate::domain::mask::NameSet>,
) {
    let theme = view.theme;
    let lang = view.lang;
    let popup = crate::app::form::popup(area, 96, area.height.saturating_sub(2));
    let title = lang.pick(" 지난 회의 - h/Esc 닫기 ", " Earlier huddles - h/Esc closes ");
    let inner = widgets::popup_panel(title, popup, area, buf, theme);
    let mut lines: Vec<Line<'static>> = Vec::new();
    if history.is_empty() {
        lines.push(Line::from(Span::styled(
            lang.pick("기록된 회의가 없습니다.", "No huddles recorded yet."),
            theme.dim,
        )));
    }
    for h in history {
        let decisions = match lang {
            Lang::Ko => format!("결정 {}건", h.decisions.len()),
            Lang::En => format!("{} decisions", h.decisions.len()),
        };
        let head = format!(
            "{} {}  {}  {decisions}",
            h.held_on,
            h.started_at.get(11..16).unwrap_or(""),
            clock(h.length_sec)
        );
        lines.push(Line::from(Span::styled(head, theme.title)));
        for a in &h.decisions {
            let name = if masked.is_some() { mask_name(&a.patient.name) } else { a.patient.name.clone() };
            let action = match masked {
                Some(names) => crate::domain::mask::mask_text(&a.action, names),
                None => a.action.clone(),
            };
            let done = match &a.done_at {
                Some(_) => Span::styled(format!(" [{}]", lang.pick("완료", "done")), theme.ok),
                None => Span::styled(format!(" [{}]", lang.pick("진행", "open")), theme.warn),
            };
            lines.push(Line::from(vec![
                Span::raw(format!(
                    "  {} {} {} ({})",
                    fit(&a.patient.chart_no, 6),
                    fit(&name, 10),
                    action,
                    a.owner
                )),
                done,
            ]));
        }
    }
    let start = scroll.min(lines.len().saturating_sub(1));
    for (i, line) in lines.iter().skip(start).take(inner.height as usize).enumerate() {
        buf.set_line(inner.x, inner.y + i as u16, line, inner.width);
    }
}

// Large digits for the shared screen: a 3x5 font drawn two columns per dot, with '#' cells
// whose background is the timer colour - ASCII, so every terminal font gives it one column.
pub(super) const BIG_HEIGHT: u16 = 5;
pub(super) const DOT_W: u16 = 2;

/// The font, one string a row: the characters of [`FONT_CHARS`] side by side, a column apart,
/// each three columns wide but ':' (one).
const FONT: [&str; 5] = [
    "###  #  ### ### # # ### ### ### ### ###      ",
    "# # ##    #   # # # #   #     # # # # #     #",
    "# #  #  ### ### ### ### ###   # ### ### ###  ",
    "# #  #  #     #   #   # # #   # # #   #     #",
    "### ### ### ###   # ### ###   # ### ###      ",
];
const FONT_CHARS: &str = "0123456789-:";

pub(super) fn glyph(c: char) -> [&'static str; 5] {
    match FONT_CHARS.find(c) {
        Some(i) => FONT.map(|row| &row[i * 4..i * 4 + if c == ':' { 1 } else { 3 }]),
        None => ["   "; 5],
    }
}

/// Columns the large text takes.
pub fn big_width(text: &str) -> u16 {
    let dots: u16 = text.chars().map(|c| glyph(c)[0].len() as u16).sum();
    let gaps = text.chars().count().saturating_sub(1) as u16;
    dots * DOT_W + gaps * DOT_W
}

pub(super) fn draw_big(buf: &mut Buffer, x: u16, y: u16, text: &str, style: Style, clip: Rect) {
    // Solid blocks: the '#' drawn in the timer colour on the timer colour.
    let colour = style.fg.unwrap_or(Color::White);
    let dot = Style::new().fg(colour).bg(colour);
    let mut cx = x;
    for c in text.chars() {
        let g = glyph(c);
        for (row, pattern) in g.iter().enumerate() {
            for (col, ch) in pattern.chars().enumerate() {
                if ch != '#' {
                    continue;
                }
                for k in 0..DOT_W {
                    let px = cx + col as u16 * DOT_W + k;
                    let py = y + row as u16;
                    if px < clip.right() && py < clip.bottom() {
                        buf[(px, py)].set_char('#').set_style(dot);
                    }
                }
            }
        }
        cx += (g[0].len() as u16 + 1) * DOT_W;
    }
}
