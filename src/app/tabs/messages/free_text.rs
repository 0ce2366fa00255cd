//! `m` on the Callbacks tab: a free text to one person, from a template, sent at once.

use super::*;

/// `m` on the Callbacks tab: a free text to the selected person, started from the free
/// template; the byte count and SMS/LMS follow the typing; Enter sends it, Esc drops it.
#[derive(Debug, Clone)]
pub struct FreeText {
    pub callback_id: i64,
    pub name: String,
    pub phone: String,
    pub input: String,
    pub error: Option<String>,
}

impl FreeText {
    pub fn start(store: &Store, callback_id: i64) -> store::Result<FreeText> {
        let (due, input) = outbox::free_text_start(store, callback_id)?;
        Ok(FreeText { callback_id, name: due.name, phone: due.phone, input, error: None })
    }

    /// Keys while writing. `None`: closed (sent, or dropped with Esc).
    pub fn on_key(&mut self, key: &KeyEvent, store: &mut Store, lang: Lang) -> Option<Outcome> {
        match key.code {
            KeyCode::Esc => None,
            KeyCode::Enter => self.send(store, lang),
            _ => {
                crate::app::kit::line_input::edit_end(&mut self.input, key);
                Some(Outcome::Handled)
            }
        }
    }

    fn send(&mut self, store: &mut Store, lang: Lang) -> Option<Outcome> {
        if store.access() == store::Access::ReadOnly {
            self.error = Some(lang.pick("읽기 전용으로 열려 있습니다", "Opened read-only").into());
            return Some(Outcome::Handled);
        }
        let mut provider = match crate::sms::configured_provider(lang) {
            Ok(p) => p,
            Err(e) => {
                self.error = Some(e);
                return Some(Outcome::Handled);
            }
        };
        let queued = crate::desk::messages::queue_free_text(store, self.callback_id, &self.input, lang);
        let id = match queued {
            Ok(id) => id,
            Err(e) => {
                self.error = Some(e.to_string());
                return Some(Outcome::Handled);
            }
        };
        let line = match crate::sms::send_one(store, provider.as_mut(), id) {
            Ok(Sent::Sent(_)) => lang.pick("문자를 보냈습니다", "Text sent").to_string(),
            Ok(Sent::Rejected(why)) => {
                format!("{}: {why}", lang.pick("문자 서비스가 거절했습니다", "The provider refused the text"))
            }
            Ok(Sent::Retry(why)) => format!(
                "{}: {why}",
                lang.pick(
                    "연결 안 됨 - 대기 중, 다음 발송 때 보냅니다",
                    "Not reached - queued for the next send"
                )
            ),
            Ok(Sent::Unknown(why)) => format!(
                "{}: {why}",
                lang.pick(
                    "결과 모름 - 다시 보내지 않습니다, 전화로 확인하세요",
                    "Outcome unknown - not sent again, check by phone"
                )
            ),
            Err(e) => e.to_string(),
        };
        Some(Outcome::Message(line))
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, view: &View<'_>) {
        let lang = view.lang;
        let theme = view.theme;
        let w = area.width.saturating_sub(4).min(90);
        let h = area.height.saturating_sub(4).min(16);
        let popup = crate::app::form::popup(area, w, h);
        let name = if view.mask { mask_name(&self.name) } else { self.name.clone() };
        let phone = if view.mask { mask_phone(&self.phone) } else { self.phone.clone() };
        let title = match lang {
            Lang::Ko => format!(" 문자 쓰기: {name} {phone} - Enter 보내기, Esc 취소 "),
            Lang::En => format!(" Text to {name} {phone} - Enter sends, Esc cancels "),
        };
        let inner = widgets::popup_panel(title, popup, area, buf, theme);
        let m = crate::domain::messages::measure(&self.input);
        let mut lines = vec![Line::from(Span::styled(
            match lang {
                Lang::Ko => format!("{} {}바이트 (SMS 90, LMS 2,000까지)", m.kind, m.bytes),
                Lang::En => format!("{} {} bytes (SMS up to 90, LMS up to 2,000)", m.kind, m.bytes),
            },
            theme.dim,
        ))];
        if let Some(e) = &self.error {
            lines.push(Line::from(Span::styled(e.clone(), theme.error)));
        }
        lines.push(Line::from(""));
        for l in format!("{}_", self.input).lines() {
            lines.push(Line::from(l.to_string()));
        }
        Paragraph::new(lines).wrap(Wrap { trim: false }).render(inner, buf);
    }
}
