//! Drawing the whole screen: the tab bar, the status line, the layers bottom to top with the
//! footer between the body's layers and those that cover it.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::layers::Layer;
use super::theme::Theme;
use super::{App, MIN_HEIGHT, MIN_WIDTH, Notice, View, keymap, store, widgets};

impl App {
    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        // The lists and the screen as this frame draws them: where a mouse click lands.
        super::kit::selection::begin_frame();
        self.drawn_area.set(area);
        self.render_in_colour(area, buf);
        if !self.theme.color {
            super::theme::strip_colours(buf, self.theme.base);
        }
    }

    fn render_in_colour(&self, area: Rect, buf: &mut Buffer) {
        let theme = self.theme();
        buf.set_style(area, theme.base);
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            widgets::too_small(area, buf, self.opts.lang, theme);
            return;
        }
        let [tabs_area, status_area, body, footer_area] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Fill(1),
            Constraint::Length(1),
        ])
        .areas(area);
        widgets::tab_bar(tabs_area, buf, self.active, self.opts.lang, theme);
        self.render_status(status_area, buf, theme);
        let view = View {
            lang: self.opts.lang,
            theme,
            now: self.now(),
            mask: self.opts.mask || self.opts.presentation,
            catalog: &self.catalog,
            presentation: self.opts.presentation,
            mask_names: &self.mask_names,
        };
        let layers = self.layers();
        // Bottom first: the tab, the overlays inside the body, the footer, then the overlays
        // over the body and footer, and the prompts over everything.
        for &layer in layers.iter().rev().filter(|l| l.in_body()) {
            match layer {
                Layer::Tab if self.first_run.is_some() => {
                    // A new clinic sees its setup, not five empty tabs.
                    widgets::panel(
                        Line::from(
                            self.opts
                                .lang
                                .pick(" frontdesk에 오신 것을 환영합니다 ", " Welcome to frontdesk "),
                        ),
                        theme,
                    )
                    .render(body, buf);
                }
                Layer::Tab => self.tabs.get(self.active).render(body, buf, &view),
                layer => {
                    if let Some(o) = self.overlay(layer) {
                        o.render(body, buf, &view);
                    }
                }
            }
        }
        match &self.notice {
            // A masked screen masks the names and phones in its messages too.
            Some(n) if self.opts.mask || self.opts.presentation => {
                let masked = |t: &str| crate::domain::mask::mask_text(t, &self.mask_names);
                let n = match n {
                    Notice::Info(t) => Notice::Info(masked(t)),
                    Notice::Error(t) => Notice::Error(masked(t)),
                };
                widgets::notice_line(footer_area, buf, &n, theme)
            }
            Some(n) => widgets::notice_line(footer_area, buf, n, theme),
            None => {
                let (hints, pinned) = keymap::footer(&self.contexts(), self.opts.lang);
                widgets::footer(footer_area, buf, &hints, pinned, theme)
            }
        }
        for &layer in layers.iter().rev().filter(|l| !l.in_body()) {
            if let Some(o) = self.overlay(layer) {
                o.render(App::layer_area(layer, area), buf, &view);
            }
        }
    }

    pub(super) fn render_status(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let lang = self.opts.lang;
        let now = self.now();
        let weekday = widgets::weekday(now.date(), lang);
        let actor = self.store.actor();
        let user = if !actor.staff.is_empty() {
            format!("{} ({})", actor.staff, actor.os_user)
        } else if !self.asks_for_staff_name() {
            // The shared screen, a read-only one, or a clinic with no staff to pick yet.
            actor.os_user.clone()
        } else {
            format!("{} / {}", lang.pick("직원: 선택 안 됨 (F2)", "Staff: not picked (F2)"), actor.os_user)
        };
        let clinic =
            if self.clinic_name.is_empty() { "frontdesk".to_string() } else { self.clinic_name.clone() };
        let mut flags = Vec::new();
        if self.store.access() == store::Access::ReadOnly {
            flags.push(lang.pick("읽기 전용", "read-only"));
        }
        if self.opts.mask || self.opts.presentation {
            flags.push(lang.pick("가림", "masked"));
        }
        let queued = match lang {
            crate::domain::Lang::Ko => format!("저장 대기 {}", self.queued.len()),
            crate::domain::Lang::En => format!("{} waiting to save", self.queued.len()),
        };
        if !self.queued.is_empty() {
            flags.push(&queued);
        }
        let left = format!(" {clinic}  {} ({weekday}) {}", now.format("%Y-%m-%d"), now.format("%H:%M"));
        let flags = flags.iter().map(|f| format!("[{f}] ")).collect::<String>();
        // Narrow: the file's name goes first, then the OS user; who is here stays.
        let who = user.rsplit_once(" / ").map(|(w, _)| w.to_string()).unwrap_or_else(|| user.clone());
        // The right part goes only where it leaves the clinic, the date and the clock whole
        // (with two columns between): a long clinic name or staff name never covers the time.
        let left_w = crate::domain::text::width(&left);
        let fits = |r: &str| left_w + 2 + crate::domain::text::width(r) <= area.width as usize;
        let right = [
            format!("{flags}{user}  {} ", self.opts.db_label),
            format!("{flags}{user} "),
            format!("{flags}{who} "),
        ]
        .into_iter()
        .find(|r| fits(r))
        .unwrap_or_default();
        buf.set_style(area, theme.status_bar);
        let line = Line::from(vec![Span::raw(left)]);
        Paragraph::new(line).style(theme.status_bar).render(area, buf);
        let rw = crate::domain::text::width(&right) as u16;
        if rw > 0 && fits(&right) {
            let r = Rect { x: area.x + area.width - rw, width: rw, ..area };
            Paragraph::new(right).style(theme.status_bar).render(r, buf);
        }
    }
}

/// Why nothing can be saved on a read-only screen: the file, or `--read-only`.
pub fn read_only_notice(store: &store::Store, lang: crate::domain::Lang) -> &'static str {
    if store.opened_read_only_because_unwritable() {
        lang.pick(
            "읽기 전용으로 열려 저장할 수 없습니다 (이 파일에 쓸 권한이 없습니다)",
            "Opened read-only (this user cannot write the file): nothing can be saved",
        )
    } else {
        lang.pick(
            "읽기 전용으로 열려 저장할 수 없습니다 (--read-only)",
            "Opened read-only (--read-only): nothing can be saved",
        )
    }
}
