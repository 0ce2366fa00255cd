//! Outside changes on the settings screen (issue 15 item 6): the findings recorded in the
//! audit log and not yet acknowledged (what was found, when), and the admin's audited
//! acknowledgement, asked for with a confirm prompt - the same as `frontdesk check
//! --acknowledge`, after which `check` stops reporting them.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::theme::Theme;
use super::widgets;
use crate::domain::Lang;
use crate::domain::text::truncate;
use crate::store::audit::{self, AuditRow};
use crate::store::{Store, StoreError};

/// What a key on the confirm prompt led to.
pub enum Answer {
    /// Acknowledged: how many findings the audit row covers.
    Done(usize),
    /// Not now: the prompt closes, nothing is written.
    NotNow,
    /// The write failed (another terminal, nobody picked at this terminal ~): the prompt stays.
    Failed(StoreError),
}

/// `y` acknowledges (one audit row naming the findings); any other key closes the prompt.
pub fn answer(key: &KeyEvent, store: &mut Store) -> Answer {
    if !super::keymap::is_yes(key) {
        return Answer::NotNow;
    }
    match audit::acknowledge(store) {
        Ok(n) => Answer::Done(n),
        Err(e) => Answer::Failed(e),
    }
}

pub fn done_message(n: usize, lang: Lang) -> String {
    match lang {
        Lang::Ko => {
            format!("확인 처리했습니다: {n}건 (감사 기록에 남았습니다; check도 더는 알리지 않습니다)")
        }
        Lang::En => {
            format!("Acknowledged: {n} finding(s), recorded in the audit log; check no longer reports them")
        }
    }
}

/// One finding as the desk reads it: when, what kind, what was found.
pub fn describe(row: &AuditRow, lang: Lang) -> String {
    let at = row.at.get(..16).unwrap_or(&row.at).replace('T', " ");
    let kind = if row.action == audit::NEW_KEY {
        lang.pick("새 감사 키 생성", "new audit key made")
    } else {
        lang.pick("외부 변경 발견", "outside change found")
    };
    format!("{at}  {kind} (#{})  {}", row.id, row.detail)
}

/// The confirm prompt over the settings screen: every finding, then the question.
pub fn render_prompt(findings: &[AuditRow], area: Rect, buf: &mut Buffer, lang: Lang, theme: &Theme) {
    let shown: Vec<&AuditRow> = findings.iter().rev().take(8).rev().collect();
    // Tall enough for every wrapped line: the findings, the question and the keys.
    let inner_w = (area.width.min(100) as usize).saturating_sub(2).max(20);
    let wrapped = |t: &str| crate::domain::text::width(t).div_ceil(inner_w).max(1);
    let question = lang.pick(
        "무엇이 바뀌었는지 살펴보셨나요? 확인 처리는 감사 기록에 남고, 그 뒤로 check가 알리지 않습니다.",
        "Looked into what changed? The acknowledgement is recorded in the audit log; check then stops reporting it.",
    );
    let rows: usize =
        shown.iter().map(|f| wrapped(&describe(f, lang))).sum::<usize>() + wrapped(question) + 5;
    let popup = super::form::popup(area, 100, rows as u16);
    let title = lang.pick(" 외부 변경 확인 처리 ", " Acknowledge outside changes ");
    let inner = widgets::popup_panel(title, popup, area, buf, theme);
    let w = inner.width as usize;
    let mut lines = vec![Line::from(Span::styled(
        truncate(
            lang.pick(
                "frontdesk 밖에서 파일이 바뀐 것이 기록되어 있습니다:",
                "Changes made to the file outside frontdesk were recorded:",
            ),
            w,
        ),
        theme.title,
    ))];
    for f in shown {
        lines.push(Line::from(Span::styled(describe(f, lang), theme.error)));
    }
    if findings.len() > 8 {
        lines.push(Line::from(Span::styled(
            match lang {
                Lang::Ko => format!("(그 전 {}건 더)", findings.len() - 8),
                Lang::En => format!("({} earlier)", findings.len() - 8),
            },
            theme.dim,
        )));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(question, theme.base)));
    lines.push(Line::from(Span::styled(
        lang.pick("y 확인 처리 / 다른 키: 나중에", "y acknowledges / any other key: not now"),
        theme.info,
    )));
    Paragraph::new(lines).wrap(Wrap { trim: false }).render(inner, buf);
}
