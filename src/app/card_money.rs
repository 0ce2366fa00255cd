//! The patient card's money section: payments (refunds and corrections as their own rows,
//! with the reason), packages with `used/total`, and sticker suggestions (고가환자, 소개환자)
//! the desk accepts (`+`) or dismisses (`-`) with one key, audited by `desk::stickers`; the
//! money keys (`w` payment, `P` package, `r` refund, `R` correction) open `card_pay`'s forms.

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::text::{Line, Span};

use super::card::CardView;
use super::card_pay::{CardPay, PayKind};
use super::form::spec::{OpenForm, Step as FormStep};
use super::keymap::{self, Command, Context};
use super::layers::Effect;
use super::{Ctx, View};
use crate::domain::text::format_won;
use crate::domain::{Lang, Tag};
use crate::store::packages::PackageUse;
use crate::store::payments::Payment;
use crate::store::stickers::{SuggestedBecause, Suggestion};
use crate::store::{self, Db};

#[derive(Debug, Clone, Default)]
pub struct CardMoney {
    pub patient_id: i64,
    pub payments: Vec<Payment>,
    pub packages: Vec<PackageUse>,
    pub suggestions: Vec<Suggestion>,
    /// The money form open over the card (payment, package, refund, correction: typed forms of
    /// `card_pay`, drafted like any other).
    pub pay: Option<OpenForm>,
}

impl CardMoney {
    pub fn load(db: &impl Db, patient_id: i64, today: NaiveDate) -> store::Result<CardMoney> {
        Ok(CardMoney {
            patient_id,
            payments: store::payments::for_patient(db, patient_id)?,
            packages: store::packages::packages_of(db, patient_id)?,
            suggestions: store::stickers::suggestions_for(db, patient_id, today)?,
            pay: None,
        })
    }

    /// The section's lines, drawn after the card's other sections.
    pub fn lines(&self, view: &View<'_>) -> Vec<Line<'static>> {
        let lang = view.lang;
        let theme = view.theme;
        let mut out = Vec::new();
        if !self.suggestions.is_empty() {
            out.push(Line::from(""));
            out.push(Line::from(Span::styled(
                lang.pick("스티커 제안 (+ 붙이기, - 넘기기)", "Sticker suggestions (+ accept, - dismiss)"),
                theme.title,
            )));
            for s in &self.suggestions {
                let why = match (&s.because, lang) {
                    (SuggestedBecause::Spending { krw }, Lang::Ko) => {
                        format!("12개월 {}원, 상위 20%", format_won(*krw))
                    }
                    (SuggestedBecause::Spending { krw }, Lang::En) => {
                        format!("{} won in 12 months, top 20%", format_won(*krw))
                    }
                    (SuggestedBecause::Referred { patients }, Lang::Ko) => format!("소개 {patients}명"),
                    (SuggestedBecause::Referred { patients }, Lang::En) => format!("referred {patients}"),
                };
                out.push(Line::from(vec![
                    Span::styled(format!(" {} ", s.tag.badge()), super::theme::tag_style(s.tag)),
                    Span::styled(format!(" {}  ({why})", s.tag.label(lang)), theme.info),
                ]));
            }
        }
        out.push(Line::from(""));
        out.push(Line::from(Span::styled(
            format!("{} ({})", lang.pick("패키지", "Packages"), self.packages.len()),
            theme.title,
        )));
        for p in &self.packages {
            let t = view.catalog.treatment_label(&p.treatment_code, lang);
            let state = if !p.is_open() {
                lang.pick("끝남", "finished")
            } else if p.is_ending() {
                lang.pick("끝남임박", "ending")
            } else {
                ""
            };
            let style = if p.is_ending() { theme.warn } else { theme.base };
            out.push(Line::from(Span::styled(
                format!("{}  {t}  {}  {}원  {state}", p.purchased_on, p.fraction(), format_won(p.price_krw)),
                style,
            )));
        }
        let net: i64 = self.payments.iter().map(|p| p.amount_krw).sum();
        out.push(Line::from(""));
        out.push(Line::from(Span::styled(
            match lang {
                Lang::Ko => format!("수납 ({}) 합계 {}원", self.payments.len(), format_won(net)),
                Lang::En => format!("Payments ({}) total {} won", self.payments.len(), format_won(net)),
            },
            theme.title,
        )));
        for p in &self.payments {
            let t = view.treatment(p.treatment_code.as_deref());
            let by = view.staff(p.provider_id);
            let mut s = format!(
                "{}  {:>12}  {}  {t}  {by}",
                p.paid_at.format("%Y-%m-%d %H:%M"),
                format_won(p.amount_krw),
                p.category.label(lang)
            );
            if p.corrects_id.is_some() {
                s.push_str(&format!("  [{}: {}]", lang.pick("정정", "correction"), view.free(&p.reason)));
            }
            let style = if p.amount_krw < 0 { theme.warn } else { theme.base };
            out.push(Line::from(Span::styled(s, style)));
        }
        out
    }

    /// The keymap contexts of the card's footer: the open form's, else the money keys and
    /// the card's list keys.
    pub fn contexts(&self) -> Vec<Context> {
        if self.pay.is_some() { vec![Context::Form] } else { vec![Context::CardMoney, Context::List] }
    }

    /// The caret of the open form.
    pub fn cursor(&self) -> Option<(u16, u16)> {
        self.pay.as_ref().and_then(|p| p.form.caret())
    }

    /// Draws the open form over the card.
    pub fn render_form(
        &self,
        area: ratatui::layout::Rect,
        buf: &mut ratatui::buffer::Buffer,
        view: &View<'_>,
    ) {
        if let Some(p) = &self.pay {
            p.form.render(area, buf, view.theme);
        }
    }
}

impl CardView {
    /// The money form takes every key (as typed: a name in 한글 stays 한글); else `w`, `P`,
    /// `r`, `R` open a money form, `+` accepts the first suggestion, `-` dismisses it. A save
    /// reads the card again through [`CardView::changed`]. `None`: not a key of this section.
    pub(super) fn money_key(&mut self, key: &KeyEvent, ctx: &mut Ctx<'_>) -> Option<Effect> {
        if let Some(pay) = &mut self.money.pay {
            return Some(match pay.on_key(key, ctx) {
                FormStep::Open(effect) => effect,
                FormStep::Closed(effect) => {
                    self.money.pay = None;
                    match effect {
                        Effect::Message(said) => self.changed(ctx, said),
                        other => other,
                    }
                }
            });
        }
        let key = &keymap::latin_key(key);
        let kind = match keymap::lookup(&[Context::CardMoney], key) {
            Some(Command::RecordPayment) => Some(PayKind::Payment),
            Some(Command::SellPackage) => Some(PayKind::Package),
            Some(Command::Refund) => Some(PayKind::Refund),
            Some(Command::CorrectPayment) => Some(PayKind::Correct),
            _ => None,
        };
        if let Some(kind) = kind {
            if ctx.store.access() != store::Access::ReadWrite {
                return Some(Effect::Error(
                    ctx.lang.pick("읽기 전용으로 열려 있습니다", "Opened read-only").into(),
                ));
            }
            return Some(match CardPay::open(ctx, &self.card, &self.money.payments, kind) {
                Ok(p) => {
                    self.money.pay = Some(p);
                    Effect::Handled
                }
                Err(words) => Effect::Message(words),
            });
        }
        if !key.modifiers.is_empty() && key.modifiers != crossterm::event::KeyModifiers::SHIFT {
            return None;
        }
        let accept = match key.code {
            KeyCode::Char('+') => true,
            KeyCode::Char('-') => false,
            _ => return None,
        };
        let lang = ctx.lang;
        let Some(s) = self.money.suggestions.first().cloned() else {
            return Some(Effect::Message(
                lang.pick("제안된 스티커가 없습니다", "No sticker suggested").into(),
            ));
        };
        let r = if accept {
            crate::desk::stickers::accept_sticker(ctx.store, s.patient_id, s.tag)
        } else {
            crate::desk::stickers::dismiss_sticker(ctx.store, s.patient_id, s.tag)
        };
        Some(match r {
            Ok(()) => self.changed(ctx, said(s.tag, accept, lang)),
            Err(e) => Effect::Error(e.words(lang)),
        })
    }
}

fn said(tag: Tag, accepted: bool, lang: Lang) -> String {
    match (accepted, lang) {
        (true, Lang::Ko) => format!("'{}' 스티커를 붙였습니다", tag.label(lang)),
        (true, Lang::En) => format!("{} sticker added", tag.label(lang)),
        (false, Lang::Ko) => format!("'{}' 제안을 넘겼습니다 (다시 제안하지 않음)", tag.label(lang)),
        (false, Lang::En) => format!("{} suggestion dismissed (not suggested again)", tag.label(lang)),
    }
}
