//! The patient card: an app-level overlay with everything the desk knows about one person.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crossterm::event::KeyEvent;

use super::keymap::{self, Command, Context};
use super::layers::{Effect, Overlay};
use super::theme::tag_style;
use super::widgets;
use super::{Ctx, View};
use crate::domain::mask::{mask_name, mask_phone};
use crate::domain::text::format_won;
use crate::domain::{AppointmentStatus, CallbackKind, ConsultationStatus, Lang, Sex, age_on};
use crate::store::card::PatientCard;

#[derive(Debug, Clone)]
pub struct CardView {
    pub card: PatientCard,
    pub scroll: u16,
    /// Payments, packages, sticker suggestions (card_money.rs).
    pub money: super::card_money::CardMoney,
    /// Huddle actions, the step open over the card, the card's undo (card_work.rs).
    pub work: super::card_work::CardWork,
}

impl CardView {
    pub fn new(card: PatientCard) -> CardView {
        CardView { card, scroll: 0, money: Default::default(), work: Default::default() }
    }

    pub fn scroll_by(&mut self, delta: i32) {
        self.scroll = (self.scroll as i32 + delta).max(0) as u16;
    }

    /// The card as lines of text, section by section.
    pub fn lines(&self, view: &View<'_>) -> Vec<Line<'static>> {
        let lang = view.lang;
        let theme = view.theme;
        let c = &self.card;
        let p = &c.patient;
        let name = |n: &str| if view.mask { mask_name(n) } else { n.to_string() };
        let mut out: Vec<Line<'static>> = Vec::new();
        let heading = |out: &mut Vec<Line<'static>>, ko: &str, en: &str, n: usize| {
            out.push(Line::from(""));
            out.push(Line::from(Span::styled(format!("{} ({n})", lang.pick(ko, en)), theme.title)));
        };
        let age = p.birth_date.map(|b| age_on(b, view.now.date()).to_string()).unwrap_or_else(|| "-".into());
        let sex = match p.sex {
            Some(Sex::M) => lang.pick("남", "M"),
            Some(Sex::F) => lang.pick("여", "F"),
            None => "-",
        };
        let phone = if view.mask { mask_phone(&p.phone) } else { p.phone.clone() };
        out.push(Line::from(vec![
            Span::styled(name(&p.name), theme.title),
            Span::raw(format!("  {}  {age}{sex}  {phone}", p.chart_no)),
        ]));
        let mut info = Vec::new();
        if let Some(b) = p.birth_date {
            info.push(format!("{} {b}", lang.pick("생년월일", "born")));
        }
        if let Some(s) = &p.referral_source {
            info.push(format!(
                "{} {}",
                lang.pick("내원경로", "heard via"),
                view.catalog.source_label(s, lang)
            ));
        }
        if let Some(r) = &c.referrer {
            info.push(format!(
                "{} {} ({})",
                lang.pick("소개한 분", "referred by"),
                name(&r.name),
                r.chart_no
            ));
        }
        info.push(format!(
            "{} {}",
            lang.pick("등록", "registered"),
            &p.created_at[..p.created_at.len().min(10)]
        ));
        out.push(Line::from(Span::styled(info.join(", "), theme.dim)));
        let mut tags = vec![Span::styled(format!("{}: ", lang.pick("스티커", "Stickers")), theme.dim)];
        if c.tags.is_empty() {
            tags.push(Span::styled("-", theme.dim));
        }
        for t in &c.tags {
            tags.push(Span::styled(t.badge(), tag_style(*t)));
            tags.push(Span::raw(format!(" {}  ", t.label(lang))));
        }
        out.push(Line::from(tags));
        out.extend(self.work_lines(view));

        heading(&mut out, "메모", "Notes", c.notes.len());
        for n in &c.notes {
            out.push(Line::from(vec![
                Span::styled(
                    format!("{}  {:<8} ", n.created_at.replace('T', " ").get(..16).unwrap_or(""), n.author),
                    theme.dim,
                ),
                Span::raw(view.free(&n.body.replace('\n', " / "))),
            ]));
        }
        heading(&mut out, "불만", "Complaints", c.complaints.len());
        for k in &c.complaints {
            let cat = view
                .catalog
                .complaint_categories
                .iter()
                .find(|x| x.code == k.category_code)
                .map(|x| x.label(lang).to_string())
                .unwrap_or_else(|| k.category_code.clone());
            let status =
                if k.open { lang.pick("미해결", "open") } else { lang.pick("해결", "resolved") };
            let owner = k.owner_id.and_then(|o| view.catalog.staff_name(o)).unwrap_or("-");
            out.push(Line::from(vec![
                Span::styled(
                    format!("{}  [{status}] ", &k.raised_at[..k.raised_at.len().min(10)]),
                    if k.open { theme.warn } else { theme.dim },
                ),
                Span::raw(format!("{cat}: {}", view.free(&k.description))),
            ]));
            let plan = if k.open { &k.plan } else { &k.resolution };
            out.push(Line::from(Span::styled(
                format!("            {} {owner} - {}", lang.pick("담당", "owner"), view.free(plan)),
                theme.dim,
            )));
        }
        heading(&mut out, "방문 기록", "Visits", c.visits.len());
        for a in &c.visits {
            let t = view.treatment(a.treatment_code.as_deref());
            let who = view.staff(a.provider_id);
            let style = match a.status {
                AppointmentStatus::NoShow => theme.warn,
                AppointmentStatus::Cancelled => theme.dim,
                _ => theme.base,
            };
            out.push(Line::from(Span::styled(
                format!("{}  {:<6} {t}  {who}", a.start.format("%Y-%m-%d %H:%M"), a.status.label(lang)),
                style,
            )));
        }
        heading(&mut out, "상담", "Consultations", c.consultations.len());
        for k in &c.consultations {
            let t = view.treatment(k.treatment_code.as_deref());
            let status =
                ConsultationStatus::parse(&k.status).map(|s| s.label(lang)).unwrap_or(&k.status).to_string();
            let money = |v: Option<i64>| v.map(format_won).unwrap_or_else(|| "-".into());
            out.push(Line::from(format!(
                "{}  [{status}] {t}  {} {}  {} {}  {}",
                &k.consulted_at[..k.consulted_at.len().min(10)],
                lang.pick("견적", "quoted"),
                money(k.quoted_krw),
                lang.pick("제안", "offered"),
                money(k.offered_krw),
                view.free(&k.circumstances)
            )));
        }
        heading(&mut out, "리콜", "Callbacks", c.callbacks.len());
        for k in &c.callbacks {
            let kind = CallbackKind::parse(&k.kind).map(|s| s.label(lang)).unwrap_or(&k.kind).to_string();
            let state = if k.open {
                lang.pick("진행", "open").to_string()
            } else {
                k.outcome.clone().unwrap_or_else(|| lang.pick("닫힘", "closed").into())
            };
            out.push(Line::from(format!("{}  {kind} [{state}] {}", k.due_on, view.free(&k.note))));
            for ct in &k.contacts {
                let reached = if ct.reached { "" } else { lang.pick(" (부재)", " (no answer)") };
                out.push(Line::from(Span::styled(
                    format!(
                        "    {} {}{reached}: {} -> {}",
                        ct.contacted_at.replace('T', " ").get(..16).unwrap_or(""),
                        ct.channel,
                        view.free(&ct.reaction),
                        view.free(&ct.next_plan)
                    ),
                    theme.dim,
                )));
            }
        }
        out.extend(super::tabs::messages::card_lines(&c.texts, c.text_consent, view));
        heading(&mut out, "전화 문의", "Inquiries", c.inquiries.len());
        for q in &c.inquiries {
            let t = view.treatment(q.topic_code.as_deref());
            out.push(Line::from(format!(
                "{}  {t}  {}  [{}] {}",
                q.received_at.replace('T', " ").get(..16).unwrap_or(""),
                q.questions,
                q.outcome,
                view.free(&q.note)
            )));
        }
        heading(&mut out, "소개한 환자", "Referred", c.referred.len());
        for r in &c.referred {
            let indent = "  ".repeat(r.depth.max(1) as usize - 1);
            out.push(Line::from(format!("{indent}- {} ({})", name(&r.name), r.chart_no)));
        }
        out.extend(self.money.lines(view));
        out
    }

    /// Records (or lifts) the patient's opt-out from texts (or, `marketing`, their marketing
    /// consent), and shows it on the card.
    fn toggle_texts(&mut self, ctx: &mut Ctx<'_>, marketing: bool) -> Effect {
        let lang = ctx.lang;
        let id = self.card.patient.id;
        if ctx.store.access() == crate::store::Access::ReadOnly {
            return Effect::Error(lang.pick("읽기 전용으로 열려 있습니다", "Opened read-only").into());
        }
        let said = if marketing {
            crate::desk::messages::toggle_marketing_consent(ctx.store, id).map(|on| {
                if on.is_some() {
                    lang.pick(
                        "광고 문자 수신 동의를 오늘 날짜로 기록했습니다",
                        "Marketing consent recorded, dated today",
                    )
                } else {
                    lang.pick("광고 문자 수신 동의를 철회했습니다", "Marketing consent withdrawn")
                }
            })
        } else {
            crate::desk::messages::toggle_opt_out(ctx.store, id).map(|out| {
                if out {
                    lang.pick(
                        "문자 수신 거부를 기록했습니다 - 이후 문자를 보내지 않습니다",
                        "Opt-out recorded - no more texts to this patient",
                    )
                } else {
                    lang.pick("문자 수신 거부를 풀었습니다", "Opt-out lifted - texts resume")
                }
            })
        };
        match said {
            Ok(text) => self.changed(ctx, text.into()),
            Err(e) => Effect::Error(e.to_string()),
        }
    }
}

impl Overlay for CardView {
    /// The card has no text field: its letters answer in 한글 mode too. `o` records the
    /// patient's opt-out from texts, `a` their marketing consent (given today, or withdrawn).
    fn on_key(&mut self, key: &KeyEvent, ctx: &mut Ctx<'_>) -> Effect {
        // A form or question open over the card takes every key (its fields take 한글 too).
        if let Some(effect) = self.step_key(key, ctx) {
            return effect;
        }
        // The money section next, with the key as typed (its forms take 한글 text).
        if let Some(effect) = self.money_key(key, ctx) {
            return effect;
        }
        let key = &keymap::latin_key(key);
        let Some(command) = keymap::lookup(&[Context::Card], key) else { return Effect::Handled };
        if let Some(effect) = self.work_command(command, ctx) {
            return effect;
        }
        match command {
            Command::Back => return Effect::Close,
            Command::Up => self.scroll_by(-1),
            Command::Down => self.scroll_by(1),
            Command::PageUp => self.scroll_by(-10),
            Command::PageDown => self.scroll_by(10),
            Command::Top => self.scroll = 0,
            Command::New => {
                // Book this patient: the last 원장 and treatment filled in, the cursor on the date.
                return Effect::Book(super::BookingRequest {
                    patient_id: Some(self.card.patient.id),
                    ..Default::default()
                });
            }
            Command::OptOut => return self.toggle_texts(ctx, false),
            Command::MarketingConsent => return self.toggle_texts(ctx, true),
            _ => {}
        }
        Effect::Handled
    }

    fn contexts(&self) -> Vec<Context> {
        // A step open over the card, or a money form, takes the keys; else the card's own
        // keys and its money keys.
        let money = self.money.contexts();
        if self.work.step.is_some() || money.contains(&Context::Form) {
            return if self.work.step.is_some() { self.work_contexts() } else { money };
        }
        let mut contexts = self.work_contexts();
        contexts.push(Context::CardMoney);
        contexts
    }

    fn cursor(&self) -> Option<(u16, u16)> {
        self.work_cursor().or_else(|| self.money.cursor())
    }

    fn render(&self, area: Rect, buf: &mut Buffer, view: &View<'_>) {
        let lang = view.lang;
        let w = area.width.saturating_sub(4).min(110);
        let h = area.height.saturating_sub(2);
        let popup = super::form::popup(area, w, h);
        super::form::clear_popup(popup, area, buf, view.theme);
        let title = match lang {
            Lang::Ko => " 환자 카드 - Esc 닫기, j/k 넘기기, 키는 맨 아래 줄 ".to_string(),
            Lang::En => " Patient card - Esc closes, j/k scroll, keys in the footer ".to_string(),
        };
        let block = widgets::panel(Line::from(title), view.theme);
        let inner = block.inner(popup);
        block.render(popup, buf);
        let lines = self.lines(view);
        let max = (lines.len() as u16).saturating_sub(inner.height);
        Paragraph::new(lines).scroll((self.scroll.min(max), 0)).render(inner, buf);
        self.render_step(area, buf, view);
        self.money.render_form(area, buf, view);
    }
}
