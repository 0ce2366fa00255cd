//! Texts at the desk (issue 20): the Callbacks tab's preview of what is due to be texted today
//! (the exact text, its EUC-KR bytes, SMS or LMS, who is skipped and why) where one confirmed
//! key sends them; the patient card's list of texts sent, and the opt-out key.

use crate::app::kit::selection::{Selection, list_key};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::app::{Outcome, View, widgets};
use crate::domain::Lang;
use crate::domain::mask::{mask_name, mask_phone};
use crate::domain::messages::Consent;
use crate::domain::phone::format_digits;
use crate::store::messages::{self as outbox, OutboxRow, Outcome as Sent, Planned};
use crate::store::{self, Store};

mod free_text;
pub use free_text::*;

/// The preview over the Callbacks tab: `s` opens it, Enter sends everything listed, Esc closes.
#[derive(Debug, Clone)]
pub struct TextsPanel {
    pub planned: Vec<Planned>,
    /// Rows already in the outbox waiting (queued) or whose outcome is not known.
    pub queued: i64,
    pub unknown: i64,
    pub selection: Selection,
    /// The last send's result, shown on the panel.
    pub result: Option<String>,
}

impl TextsPanel {
    pub fn load(store: &Store) -> store::Result<TextsPanel> {
        let mut planned = outbox::plan_due(store, store.now())?;
        // What will be sent first, then what is skipped (with why).
        planned.sort_by_key(|p| !p.sendable());
        let (queued, _, unknown) = outbox::counts(store)?;
        let selection = Selection::new(planned.len());
        Ok(TextsPanel { planned, queued, unknown, selection, result: None })
    }

    pub fn sendable(&self) -> usize {
        self.planned.iter().filter(|p| p.sendable()).count()
    }

    /// Keys on the panel. `None`: close it.
    pub fn on_key(&mut self, key: &KeyEvent, store: &mut Store, lang: Lang) -> Option<Outcome> {
        match key.code {
            KeyCode::Esc | KeyCode::Char('q') => None,
            _ if list_key(key).is_some_and(|c| self.selection.on_command(c)) => Some(Outcome::Handled),
            KeyCode::Enter => Some(self.send(store, lang)),
            _ => Some(Outcome::Handled),
        }
    }

    /// Sends everything due (and anything still queued) through this machine's provider.
    fn send(&mut self, store: &mut Store, lang: Lang) -> Outcome {
        if store.access() == store::Access::ReadOnly {
            return Outcome::Error(lang.pick("읽기 전용으로 열려 있습니다", "Opened read-only").into());
        }
        if self.sendable() == 0 && self.queued == 0 {
            return Outcome::Error(lang.pick("보낼 문자가 없습니다", "No texts to send").into());
        }
        let mut provider = match crate::sms::configured_provider(lang) {
            Ok(p) => p,
            Err(e) => return Outcome::Error(e),
        };
        let report = match crate::sms::send_due(store, Some(provider.as_mut()), false) {
            Ok(r) => r,
            Err(e) => return Outcome::Error(e.to_string()),
        };
        let mut line = match lang {
            Lang::Ko => format!(
                "문자 보냄 {}, 실패 {}, 결과 모름 {}, 건너뜀 {}",
                report.sent,
                report.failed,
                report.unknown,
                report.skipped.len()
            ),
            Lang::En => format!(
                "Texts sent {}, failed {}, unknown {}, skipped {}",
                report.sent,
                report.failed,
                report.unknown,
                report.skipped.len()
            ),
        };
        if let Some(why) = &report.retry {
            line.push_str(&format!(
                " - {}: {why}",
                lang.pick(
                    "연결 안 됨, 남은 문자는 다음에 보냅니다",
                    "not reached, the rest wait for the next try"
                )
            ));
        }
        if let Ok(fresh) = TextsPanel::load(store) {
            *self = fresh;
        }
        self.result = Some(line.clone());
        Outcome::Message(line)
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, view: &View<'_>) {
        let lang = view.lang;
        let theme = view.theme;
        let w = area.width.saturating_sub(4).min(110);
        let h = area.height.saturating_sub(2);
        let popup = crate::app::form::popup(area, w, h);
        let title = match lang {
            Lang::Ko => format!(" 오늘 보낼 문자 {}건 - Enter 보내기, Esc 닫기 ", self.sendable()),
            Lang::En => format!(" Texts due today: {} - Enter sends, Esc closes ", self.sendable()),
        };
        let inner = widgets::popup_panel(title, popup, area, buf, theme);

        let mut lines: Vec<Line<'static>> = Vec::new();
        if self.queued > 0 || self.unknown > 0 {
            lines.push(Line::from(Span::styled(
                match (lang, self.queued, self.unknown) {
                    (Lang::Ko, queued, unknown) => format!(
                        "대기 중 {queued}건 (함께 보냄), 결과 모름 {unknown}건 (다시 보내지 않음 - 전화로 확인)"
                    ),
                    (Lang::En, queued, unknown) => {
                        format!("{queued} queued (sent too), {unknown} unknown (not sent again - check by phone)")
                    }
                },
                theme.warn,
            )));
        }
        if let Some(r) = &self.result {
            lines.push(Line::from(Span::styled(r.clone(), theme.ok)));
        }
        if self.planned.is_empty() {
            lines.push(Line::from(Span::styled(
                lang.pick("오늘 보낼 문자가 없습니다", "Nothing is due to be texted today").to_string(),
                theme.dim,
            )));
        }
        let list_rows = (inner.height as usize).saturating_sub(lines.len() + 6).max(1);
        let window = self.selection.window(list_rows);
        for (i, p) in self.planned.iter().enumerate().skip(window.start).take(window.len()) {
            let name = if view.mask { mask_name(&p.due.name) } else { p.due.name.clone() };
            let phone = if view.mask {
                mask_phone(&p.due.phone)
            } else {
                format_digits(&crate::domain::phone::digits_of(&p.due.phone))
            };
            let (state, style): (String, Style) = match &p.to {
                Ok(_) => (format!("{} {}B", p.length.kind, p.length.bytes), Style::default()),
                Err(why) => (why.label(lang).to_string(), theme.dim),
            };
            let marker = if i == self.selection.index() { "> " } else { "  " };
            let style = if i == self.selection.index() { style.patch(theme.selected) } else { style };
            lines.push(Line::from(Span::styled(
                format!("{marker}{:<10} {name} {phone}  {state}", p.due.kind.label(lang)),
                style,
            )));
        }
        if let Some(p) = self.planned.get(self.selection.index()) {
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(
                match lang {
                    Lang::Ko => format!(
                        "미리보기: {} {}바이트{}",
                        p.length.kind,
                        p.length.bytes,
                        if p.advertising { ", 광고" } else { "" }
                    ),
                    Lang::En => format!(
                        "Preview: {} {} bytes{}",
                        p.length.kind,
                        p.length.bytes,
                        if p.advertising { ", advertising" } else { "" }
                    ),
                },
                theme.title,
            )));
            let text = if view.mask {
                crate::domain::mask::mask_text(&p.text, view.mask_names)
            } else {
                p.text.clone()
            };
            for l in text.lines() {
                lines.push(Line::from(l.to_string()));
            }
            if !p.length.unencodable.is_empty() {
                let chars: String = p.length.unencodable.iter().collect();
                lines.push(Line::from(Span::styled(
                    format!(
                        "{}: {chars}",
                        lang.pick("휴대폰에서 깨지는 글자", "characters phones show broken")
                    ),
                    theme.warn,
                )));
            }
        }
        Paragraph::new(lines).wrap(Wrap { trim: false }).render(inner, buf);
    }
}

/// The patient card's section: consent, and the texts sent (newest first).
pub fn card_lines(texts: &[OutboxRow], consent: Consent, view: &View<'_>) -> Vec<Line<'static>> {
    let lang = view.lang;
    let theme = view.theme;
    let mut out = vec![
        Line::from(""),
        Line::from(Span::styled(format!("{} ({})", lang.pick("문자", "Texts"), texts.len()), theme.title)),
    ];
    let consent_line = match (consent.texts_opted_out, consent.marketing_consent_on, lang) {
        (true, _, Lang::Ko) => "문자 수신 거부 (o: 다시 받기)".to_string(),
        (true, _, Lang::En) => "Opted out of texts (o: texts again)".to_string(),
        (false, Some(d), Lang::Ko) => format!("문자 받음, 광고 동의 {d} (o: 수신 거부, a: 광고 동의 철회)"),
        (false, Some(d), Lang::En) => {
            format!("Texts on, marketing consent {d} (o: opt out, a: withdraw consent)")
        }
        (false, None, Lang::Ko) => "문자 받음, 광고 동의 없음 (o: 수신 거부, a: 광고 동의 오늘)".to_string(),
        (false, None, Lang::En) => {
            "Texts on, no marketing consent (o: opt out, a: consent today)".to_string()
        }
    };
    out.push(Line::from(Span::styled(
        consent_line,
        if consent.texts_opted_out { theme.warn } else { theme.dim },
    )));
    for t in texts {
        let body = if view.mask {
            crate::domain::mask::mask_text(&t.body, view.mask_names)
        } else {
            t.body.replace('\n', " / ")
        };
        let style = match t.status.as_str() {
            "failed" | "unknown" => theme.warn,
            _ => Style::default(),
        };
        let reason = if t.reason.is_empty() { String::new() } else { format!(" ({})", t.reason) };
        out.push(Line::from(Span::styled(
            format!(
                "{}  {} [{}] {}{reason}",
                t.queued_at.get(..16).unwrap_or(&t.queued_at).replace('T', " "),
                t.kind.label(lang),
                t.status,
                body
            ),
            style,
        )));
    }
    out
}
