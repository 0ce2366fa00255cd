//! Inquiries (전화 문의): the phone log with the day's and month's counts by referral source,
//! the call form (in the order a call goes, with the clinic's prepared answers beside it), the
//! report by referral source, and the Q&A manual.

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::Tab;
use crate::app::form::spec::OpenForm;
use crate::app::form::{Choice, Field, Form};
use crate::app::keymap::{Command, Context};
use crate::app::{BookingRequest, Ctx, Outcome, View, widgets};
use crate::domain::phone::Phone;
use crate::domain::reports::{
    self, EXISTING_PATIENT_SOURCE, FunnelRow, MonthWindow, ReferralMeasure, ReferralRow, UNKNOWN_SOURCE,
    funnel_table, referral_table,
};
use crate::domain::text::{fit, fit_right, truncate, width};
use crate::domain::{InquiryOutcome, Lang, Period, QuestionKind};
use crate::store::catalog::Catalog;
use crate::store::inquiries::{self as q, CallOutcome, InquiryRow, NewInquiry, PatientBrief, QaEntry};
use crate::store::{self, reports as report_queries};

use crate::app::kit::confirm::{Answer, Confirm, ConfirmBox};
use crate::app::kit::selection::Selection;
mod correct;
mod forms;
pub use correct::{CORRECT_FORM, CorrectForm};
pub use forms::*;
mod typed;
pub use typed::{CallForm, QaForm};

mod view;

const CALL_FORM: &str = "inquiry";
const QA_FORM: &str = "qa_entry";

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Mode {
    #[default]
    Log,
    Report,
    Manual,
}

#[derive(Default)]
pub struct InquiriesTab {
    mode: Mode,
    day: Option<NaiveDate>,
    today: Vec<InquiryRow>,
    day_counts: Vec<(String, i64)>,
    month_counts: Vec<(String, i64)>,
    selection: Selection,
    report_period: Option<Period>,
    referral_rows: Vec<ReferralRow>,
    funnel_rows: Vec<FunnelRow>,
    report_scroll: u16,
    /// How many months the report table is moved back from the latest (`Left`/`Right`).
    report_months_back: usize,
    /// The report table's width when last drawn: how far back `Left` can go.
    report_width: std::cell::Cell<usize>,
    qa: Vec<QaEntry>,
    qa_selection: Selection,
    confirm_delete: Option<Confirm<i64>>,
    form: Option<OpenForm>,
}

impl InquiriesTab {
    fn source_label(catalog: &Catalog, code: &str, lang: Lang) -> String {
        if code == UNKNOWN_SOURCE {
            lang.pick("미상", "Unknown").into()
        } else {
            catalog.source_label(code, lang)
        }
    }

    /// What the call form shows beside its fields: the recognised patient, referrer search
    /// results, and the prepared answers for the topic.
    fn aside_lines(
        &self,
        call: &CallForm,
        form: &Form,
        catalog: &Catalog,
        lang: Lang,
        cols: usize,
    ) -> Vec<String> {
        let mut lines = Vec::new();
        if let Some(p) = &call.recognised {
            lines.push(format!(
                "{} {} / {} {}",
                lang.pick("기존 환자:", "Known patient:"),
                p.name,
                lang.pick("차트", "chart"),
                p.chart_no
            ));
            let mut extra = Vec::new();
            if let Some(b) = &p.birth_date {
                extra.push(b.clone());
            }
            if let Some(s) = &p.referral_source {
                extra.push(Self::source_label(catalog, s, lang));
            }
            if !extra.is_empty() {
                lines.push(format!("  {}", extra.join(" / ")));
            }
            lines.push(String::new());
        }
        if !form.get("referrer_q").hidden && !call.referrer_results.is_empty() {
            lines.push(lang.pick("소개자 후보 (숫자로 선택):", "Referrer matches (pick by digit):").into());
            for (i, p) in call.referrer_results.iter().enumerate().take(9) {
                lines.push(format!("  {} {} / {} / {}", i + 1, p.name, p.chart_no, p.phone));
            }
            lines.push(String::new());
        }
        let topic = form.picked("topic");
        let entries: Vec<&QaEntry> = self
            .qa
            .iter()
            .filter(|e| match (&e.treatment_code, &topic) {
                (None, _) => topic.is_some(),
                (Some(t), Some(sel)) => t == sel,
                _ => false,
            })
            .collect();
        match &topic {
            None => lines.push(
                lang.pick(
                    "치료를 고르면 준비된 답변이 나옵니다.",
                    "Pick a topic to see the prepared answers.",
                )
                .into(),
            ),
            Some(t) => {
                lines.push(format!(
                    "{} - {}",
                    lang.pick("전화응대 매뉴얼", "Q&A manual"),
                    catalog.treatment_label(t, lang)
                ));
                // The kinds the caller asked about come first.
                let asked: Vec<String> = form.picked_all("questions");
                let mut sorted = entries.clone();
                sorted
                    .sort_by_key(|e| (!asked.iter().any(|a| a == e.kind.code()), e.treatment_code.is_none()));
                for e in sorted {
                    lines.push(format!("[{}] {}", e.kind.label(lang), e.question));
                    for l in wrap(&e.answer, cols.saturating_sub(2).max(10)) {
                        lines.push(format!("  {l}"));
                    }
                }
            }
        }
        lines
    }

    /// Up/Down and the rest: the selected list, or the report's scroll.
    fn on_movement(&mut self, command: Command) {
        match self.mode {
            Mode::Log => {
                self.selection.on_command(command);
            }
            Mode::Manual => {
                self.qa_selection.on_command(command);
            }
            Mode::Report => {
                let delta: i64 = match command {
                    Command::Up => -1,
                    Command::Down => 1,
                    Command::PageUp => -10,
                    Command::PageDown => 10,
                    Command::Top => -100_000,
                    _ => 100_000,
                };
                self.report_scroll = (self.report_scroll as i64 + delta).clamp(0, 200) as u16;
            }
        }
    }
}

impl Tab for InquiriesTab {
    fn context(&self) -> Context {
        Context::Inquiries
    }

    fn reload(&mut self, ctx: &mut Ctx<'_>) -> store::Result<()> {
        let today = ctx.today();
        self.day = Some(today);
        let conn = &*ctx.store;
        let from = today.format("%Y-%m-%d").to_string();
        let to = today.succ_opt().unwrap_or(today).format("%Y-%m-%d").to_string();
        self.today = q::inquiries_between(conn, &from, &to)?;
        self.day_counts = q::inquiry_counts_by_source(conn, &from, &to)?;
        let month_from = reports::month_start(today).format("%Y-%m-%d").to_string();
        self.month_counts = q::inquiry_counts_by_source(conn, &month_from, &to)?;
        self.selection.set_len(self.today.len());
        self.qa = q::qa_entries(conn)?;
        self.qa_selection.set_len(self.qa.len());
        if self.mode == Mode::Report {
            let period = reports::last_twelve_months(today);
            self.referral_rows = report_queries::referrals(conn, &period)?;
            self.funnel_rows = report_queries::funnel(conn, &period)?;
            self.report_period = Some(period);
        }
        Ok(())
    }

    fn on_command(&mut self, command: Command, ctx: &mut Ctx<'_>) -> Outcome {
        match command {
            Command::New => {
                if self.mode == Mode::Manual {
                    self.open(QaForm { id: None }, ctx)
                } else {
                    self.open(CallForm::default(), ctx)
                }
            }
            Command::SectionPrev | Command::SectionNext if self.mode == Mode::Report => {
                let most = reports::months_hidden(&self.referral_rows, self.report_width.get());
                self.report_months_back = if command == Command::SectionPrev {
                    (self.report_months_back + 1).min(most)
                } else {
                    self.report_months_back.saturating_sub(1).min(most)
                };
                Outcome::Handled
            }
            Command::Report => {
                self.mode = if self.mode == Mode::Report { Mode::Log } else { Mode::Report };
                self.report_scroll = 0;
                self.report_months_back = 0;
                match self.reload(ctx) {
                    Ok(()) => Outcome::Handled,
                    Err(e) => Outcome::Error(e.to_string()),
                }
            }
            Command::QaManual => {
                self.mode = if self.mode == Mode::Manual { Mode::Log } else { Mode::Manual };
                Outcome::Handled
            }
            Command::Edit if self.mode == Mode::Manual => {
                match self.qa.get(self.qa_selection.index()).map(|e| e.id) {
                    Some(id) => self.open(QaForm { id: Some(id) }, ctx),
                    None => Outcome::Handled,
                }
            }
            Command::Delete if self.mode == Mode::Manual => {
                self.confirm_delete = self.qa.get(self.qa_selection.index()).map(|e| Confirm::new(e.id));
                Outcome::Handled
            }
            Command::Correct if self.mode == Mode::Log => self.open_correction(ctx),
            Command::Back if self.mode != Mode::Log => {
                self.mode = Mode::Log;
                Outcome::Handled
            }
            c if Selection::is_movement(c) => {
                self.on_movement(c);
                Outcome::Handled
            }
            Command::Open if self.mode == Mode::Log => match self
                .today
                .get(self.selection.index())
                .and_then(|r| r.patient_id)
            {
                Some(id) => Outcome::OpenPatient(id),
                None => Outcome::Message(
                    ctx.lang
                        .pick("환자로 등록되지 않은 문의입니다", "This caller is not a registered patient")
                        .into(),
                ),
            },
            _ => Outcome::Ignored,
        }
    }

    fn on_key(&mut self, key: &KeyEvent, ctx: &mut Ctx<'_>) -> Outcome {
        if let Some(prompt) = &self.confirm_delete {
            let id = prompt.subject;
            return match prompt.on_key(key) {
                Some(Answer::Yes) => {
                    self.confirm_delete = None;
                    match crate::desk::inquiries::delete_answer(ctx.store, id) {
                        Ok(()) => Outcome::Changed,
                        Err(e) => Outcome::Error(e.to_string()),
                    }
                }
                Some(Answer::No) => {
                    self.confirm_delete = None;
                    Outcome::Handled
                }
                None => Outcome::Handled,
            };
        }
        self.form_key(key, ctx)
    }

    fn keyboard_grabbed(&self) -> bool {
        self.form.is_some() || self.confirm_delete.is_some()
    }

    fn open_form(&self) -> Option<&Form> {
        self.form.as_ref().map(|o| &o.form)
    }

    fn install_form(&mut self, form: OpenForm, ctx: &mut Ctx<'_>) {
        self.form = Some(form);
        self.refresh_aside(ctx.catalog, ctx.lang);
    }

    fn render(&self, area: Rect, buf: &mut Buffer, view: &View<'_>) {
        match self.mode {
            Mode::Log => self.render_log(area, buf, view),
            Mode::Report => self.render_report(area, buf, view),
            Mode::Manual => self.render_manual(area, buf, view),
        }
        if let Some(open) = &self.form {
            self.render_form(open, area, buf, view);
        }
        if self.confirm_delete.is_some() {
            let lang = view.lang;
            ConfirmBox::new(
                lang.pick("지우기", "Delete"),
                lang.pick("이 답변을 지울까요?", "Delete this answer?"),
                lang.pick("지우기", "delete it"),
                lang.pick("그대로 두기", "keep it"),
            )
            .width(56)
            .style(view.theme.error)
            .render(area, buf, view.theme);
        }
    }
}
