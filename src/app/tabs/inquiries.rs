//! Inquiries (전화 문의): the phone log with the day's and month's counts by referral source,
//! the call form (in the order a call goes, with the clinic's prepared answers beside it), the
//! report by referral source, and the Q&A manual.

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::Tab;
use crate::app::form::{Choice, Field, Form, FormEvent};
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
    selected: usize,
    report_period: Option<Period>,
    referral_rows: Vec<ReferralRow>,
    funnel_rows: Vec<FunnelRow>,
    report_scroll: u16,
    /// How many months the report table is moved back from the latest (`Left`/`Right`).
    report_months_back: usize,
    /// The report table's width when last drawn: how far back `Left` can go.
    report_width: std::cell::Cell<usize>,
    qa: Vec<QaEntry>,
    qa_selected: usize,
    confirm_delete: Option<i64>,
    form: Option<Form>,
    /// The Q&A entry being edited (None: a new one).
    editing_qa: Option<i64>,
    /// The patient recognised by the phone number typed in the call form.
    recognised: Option<PatientBrief>,
    referrer_results: Vec<PatientBrief>,
}

/// The call form, in the order a call goes. `typical_call` walks the same definition.
pub fn call_form(catalog: &Catalog, lang: Lang, today: NaiveDate) -> Form {
    let topics: Vec<Choice> = catalog
        .treatments
        .iter()
        .filter(|t| t.code.active)
        .map(|t| Choice::new(t.code.code.clone(), t.code.label(lang)))
        .collect();
    let questions: Vec<Choice> = QuestionKind::ALL
        .iter()
        .map(|k| Choice::new(k.code(), k.label(lang)).with_key(k.code().chars().next().unwrap_or('o')))
        .collect();
    let sources: Vec<Choice> = catalog
        .referral_sources
        .iter()
        .filter(|s| s.active)
        .map(|s| {
            let c = Choice::new(s.code.clone(), s.label(lang));
            match s.key {
                Some(k) => c.with_key(k),
                None => c,
            }
        })
        .collect();
    let channels: Vec<Choice> = catalog
        .referral_channels
        .iter()
        .filter(|c| c.active)
        .map(|c| Choice::new(c.code.clone(), c.label(lang)))
        .collect();
    let outcomes: Vec<Choice> = InquiryOutcome::ALL
        .iter()
        .map(|o| {
            let key = match o {
                InquiryOutcome::Info => 'i',
                InquiryOutcome::Callback => 'c',
                InquiryOutcome::Booked => 'b',
            };
            Choice::new(o.code(), o.label(lang)).with_key(key)
        })
        .collect();
    let mut form = Form::new(CALL_FORM, lang.pick("전화 문의 기록", "Log a call"), lang, today)
        .field(Field::text("caller", lang.pick("문의자", "Caller")))
        .field(Field::phone("phone", lang.pick("전화", "Phone")))
        .field(Field::pick("topic", lang.pick("문의 치료", "Topic"), topics))
        .field(Field::multi("questions", lang.pick("질문", "Asked about"), questions))
        .field(Field::pick("source", lang.pick("내원경로", "Heard of us"), sources))
        .field(
            Field::text("referrer_q", lang.pick("소개자 검색", "Referrer search"))
                .hint(lang.pick("이름, 초성, 차트번호, 전화 끝 4자리", "name, chart no. or last 4 digits")),
        )
        .field(Field::pick("referrer", lang.pick("소개자", "Referred by"), Vec::new()))
        .field(Field::pick("channel", lang.pick("인터넷 경로", "Channel"), channels))
        .field(Field::text("note", lang.pick("메모", "Note")))
        .field(Field::pick("outcome", lang.pick("결과", "Outcome"), outcomes).selected("info"))
        .field(Field::date("callback_on", lang.pick("재연락일", "Call back on")).required().hint("+3, 1125"))
        .field(Field::date("book_date", lang.pick("예약일", "Booking date")).required().hint("+1, 1125"))
        .field(
            Field::time("book_time", lang.pick("예약 시각", "Booking time"))
                .hint(lang.pick("비우면 예약 양식이 열립니다", "empty: the booking form opens")),
        );
    for id in ["referrer_q", "referrer", "channel", "callback_on", "book_date", "book_time"] {
        form.set_hidden(id, true);
    }
    form
}

/// The keys of a typical call (name, phone, topic, one question, source, information only),
/// walked from the call form itself: text is typed, picks take their letter, Tab between
/// fields, and Ctrl-S saves as soon as everything after is left as it is.
pub fn typical_call(catalog: &Catalog, lang: Lang, today: NaiveDate) -> (String, usize) {
    let form = call_form(catalog, lang, today);
    let used = ["caller", "phone", "topic", "questions", "source"];
    let mut parts: Vec<String> = Vec::new();
    let mut keys = 0;
    for f in form.fields.iter().filter(|f| !f.hidden && used.contains(&f.id)) {
        if !parts.is_empty() {
            parts.push("Tab".into());
            keys += 1;
        }
        match &f.kind {
            crate::app::form::FieldKind::Pick { choices, .. }
            | crate::app::form::FieldKind::Multi { choices, .. } => {
                let c = match f.id {
                    "questions" => choices.iter().find(|c| c.code == "price"),
                    _ => choices.first(),
                };
                let key = c.and_then(|c| c.key.or_else(|| c.code.chars().next())).unwrap_or('1');
                parts.push(key.to_string());
                keys += 1;
            }
            _ => parts.push(format!("<{}>", f.label)),
        }
    }
    parts.push("Ctrl-S".into());
    keys += 1;
    (parts.join(" "), keys)
}

fn qa_form(catalog: &Catalog, lang: Lang, today: NaiveDate, entry: Option<&QaEntry>) -> Form {
    let mut topics = vec![Choice::new("", lang.pick("공통", "Any topic")).with_key('0')];
    topics.extend(catalog.treatments.iter().map(|t| Choice::new(t.code.code.clone(), t.code.label(lang))));
    let kinds: Vec<Choice> = QuestionKind::ALL.iter().map(|k| Choice::new(k.code(), k.label(lang))).collect();
    let title = if entry.is_some() {
        lang.pick("매뉴얼 답변 고치기", "Edit a manual answer")
    } else {
        lang.pick("매뉴얼 답변 추가", "Add a manual answer")
    };
    let mut form = Form::new(QA_FORM, title, lang, today)
        .field(Field::pick("topic", lang.pick("치료", "Topic"), topics))
        .field(Field::pick("kind", lang.pick("질문 종류", "Question kind"), kinds).required())
        .field(Field::text("question", lang.pick("질문", "Question")).required())
        .field(Field::text("answer", lang.pick("답변", "Answer")).required());
    match entry {
        Some(e) => {
            form.get_mut("topic").select(e.treatment_code.as_deref().unwrap_or(""));
            form.get_mut("kind").select(e.kind.code());
            form.get_mut("question").set_value(e.question.clone());
            // The stored text: placeholders such as {hours} stay placeholders.
            form.get_mut("answer").set_value(e.template.clone());
        }
        None => form.get_mut("topic").select(""),
    }
    form
}

/// Lines of text wrapped to `cols` display columns (never splitting a character).
fn wrap(text: &str, cols: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
        if width(&candidate) <= cols {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            out.push(std::mem::take(&mut line));
        }
        // A word longer than the line is cut by characters.
        let mut piece = String::new();
        for c in word.chars() {
            if width(&piece) + width(&c.to_string()) > cols {
                out.push(std::mem::take(&mut piece));
            }
            piece.push(c);
        }
        line = piece;
    }
    if !line.is_empty() {
        out.push(line);
    }
    out
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
    fn aside_lines(&self, form: &Form, catalog: &Catalog, lang: Lang, cols: usize) -> Vec<String> {
        let mut lines = Vec::new();
        if let Some(p) = &self.recognised {
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
        if !form.get("referrer_q").hidden && !self.referrer_results.is_empty() {
            lines.push(lang.pick("소개자 후보 (숫자로 선택):", "Referrer matches (pick by digit):").into());
            for (i, p) in self.referrer_results.iter().enumerate().take(9) {
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

    fn refresh_aside(&mut self, catalog: &Catalog, lang: Lang) {
        let Some(form) = self.form.take() else { return };
        let mut form = form;
        if form.id == CALL_FORM {
            form.aside = self.aside_lines(&form, catalog, lang, 43);
        }
        self.form = Some(form);
    }

    fn open_call_form(&mut self, ctx: &mut Ctx<'_>) {
        self.recognised = None;
        self.referrer_results.clear();
        self.form = Some(call_form(ctx.catalog, ctx.lang, ctx.today()));
        self.refresh_aside(ctx.catalog, ctx.lang);
    }

    /// Shows or hides the fields that depend on the source and the outcome.
    fn update_visibility(form: &mut Form) {
        let source = form.picked("source");
        let referral = source.as_deref() == Some("referral");
        form.set_hidden("referrer_q", !referral);
        form.set_hidden("referrer", !referral);
        form.set_hidden("channel", source.as_deref() != Some("internet"));
        let outcome = form.picked("outcome");
        form.set_hidden("callback_on", outcome.as_deref() != Some("callback"));
        form.set_hidden("book_date", outcome.as_deref() != Some("booked"));
        form.set_hidden("book_time", outcome.as_deref() != Some("booked"));
    }

    fn on_call_changed(&mut self, id: &str, ctx: &mut Ctx<'_>) {
        let Some(form) = self.form.as_mut() else { return };
        match id {
            "phone" => {
                let digits = Phone::parse(&form.get("phone").value).map(|p| p.digits).unwrap_or_default();
                self.recognised = q::patient_by_phone(&*ctx.store, &digits).ok().flatten();
                if let Some(p) = &self.recognised {
                    if form.text("caller").is_empty() {
                        form.get_mut("caller").set_value(p.name.clone());
                    }
                    // A patient calling again is not a new inquiry: never their original
                    // source (that would count them as, say, a new internet inquiry).
                    if form.picked("source").is_none() {
                        form.get_mut("source").select(EXISTING_PATIENT_SOURCE);
                    }
                } else if form.picked("source").as_deref() == Some(EXISTING_PATIENT_SOURCE) {
                    // The number no longer names a patient: ask again how they heard of us.
                    form.get_mut("source").select("");
                }
            }
            "referrer_q" => {
                let query = form.text("referrer_q");
                self.referrer_results = q::search_patients(&*ctx.store, &query, 9).unwrap_or_default();
                let choices: Vec<Choice> = self
                    .referrer_results
                    .iter()
                    .map(|p| Choice::new(p.id.to_string(), format!("{} {}", p.name, p.chart_no)))
                    .collect();
                let first = choices.first().map(|c| c.code.clone());
                let field = form.get_mut("referrer");
                field.kind = crate::app::form::FieldKind::Pick { choices, selected: None };
                if let Some(code) = first {
                    field.select(&code);
                }
            }
            _ => {}
        }
        Self::update_visibility(form);
        self.refresh_aside(ctx.catalog, ctx.lang);
    }

    fn save_call(&mut self, ctx: &mut Ctx<'_>) -> Outcome {
        let Some(form) = self.form.as_mut() else { return Outcome::Handled };
        let lang = ctx.lang;
        let book_day = form.date("book_date");
        let outcome = match form.picked("outcome").as_deref() {
            Some("callback") => match form.date("callback_on") {
                Some(d) => CallOutcome::Callback(d),
                None => {
                    form.set_error("callback_on", lang.pick("날짜를 적어 주세요", "a date is needed"));
                    return Outcome::Handled;
                }
            },
            Some("booked") => {
                let Some(day) = form.date("book_date") else {
                    form.set_error("book_date", lang.pick("날짜를 적어 주세요", "a date is needed"));
                    return Outcome::Handled;
                };
                CallOutcome::Booked(form.time("book_time").map(|t| day.and_time(t)))
            }
            _ => CallOutcome::Info,
        };
        let referrer_id = if form.get("referrer").hidden {
            None
        } else {
            form.picked("referrer").and_then(|r| r.parse::<i64>().ok())
        };
        let inq = NewInquiry {
            received_at: ctx.now,
            caller_name: form.text("caller"),
            phone: Phone::parse(&form.get("phone").value).ok(),
            patient_id: self.recognised.as_ref().map(|p| p.id),
            topic: form.picked("topic"),
            questions: form.picked_all("questions").iter().filter_map(|c| QuestionKind::parse(c)).collect(),
            referral_source: form.picked("source"),
            referral_channel: if form.get("channel").hidden { None } else { form.picked("channel") },
            referrer_id,
            note: form.text("note"),
            outcome,
        };
        if inq.outcome != CallOutcome::Info && inq.caller_name.is_empty() {
            form.set_error(
                "caller",
                lang.pick("재연락/예약에는 이름이 필요합니다", "a callback or booking needs a name"),
            );
            return Outcome::Handled;
        }
        match crate::desk::inquiries::log_call(ctx.store, &inq) {
            Ok(logged) => {
                self.form = None;
                if let CallOutcome::Booked(None) = inq.outcome {
                    // Saved as a callback due today; the booking form takes it from here and
                    // turns it into "booked" with the appointment, in one transaction. Closed
                    // without saving, the caller stays in today's callback queue. Reload first
                    // so the log shows it.
                    let _ = self.reload(ctx);
                    return Outcome::Book(BookingRequest {
                        patient_id: logged.patient_id,
                        name: inq.caller_name.clone(),
                        phone: inq.phone.as_ref().map(|p| p.formatted()).unwrap_or_default(),
                        referral_source: inq.referral_source.clone(),
                        referrer_id: inq.referrer_id,
                        treatment_code: inq.topic.clone(),
                        date: book_day,
                        inquiry_id: Some(logged.inquiry_id),
                        callback_id: logged.callback_id,
                        ..BookingRequest::default()
                    });
                }
                Outcome::Changed
            }
            Err(e) => {
                if let Some(f) = self.form.as_mut() {
                    f.message = Some(e.to_string());
                }
                Outcome::Handled
            }
        }
    }

    fn save_qa(&mut self, ctx: &mut Ctx<'_>) -> Outcome {
        let Some(form) = self.form.as_ref() else { return Outcome::Handled };
        let topic = form.picked("topic").filter(|t| !t.is_empty());
        let kind = form.picked("kind").and_then(|k| QuestionKind::parse(&k)).unwrap_or(QuestionKind::Other);
        let (question, answer) = (form.text("question"), form.text("answer"));
        let editing = self.editing_qa;
        let answer = crate::desk::inquiries::Answer {
            topic: topic.as_deref(),
            kind,
            question: &question,
            answer: &answer,
        };
        let result = crate::desk::inquiries::save_answer(ctx.store, editing, answer);
        match result {
            Ok(_) => {
                self.form = None;
                self.editing_qa = None;
                Outcome::Changed
            }
            Err(e) => {
                if let Some(f) = self.form.as_mut() {
                    f.message = Some(e.to_string());
                }
                Outcome::Handled
            }
        }
    }

    fn list_len(&self) -> usize {
        match self.mode {
            Mode::Log => self.today.len(),
            Mode::Manual => self.qa.len(),
            Mode::Report => 0,
        }
    }

    fn move_selection(&mut self, delta: i64) {
        let n = self.list_len() as i64;
        match self.mode {
            Mode::Report => {
                self.report_scroll = (self.report_scroll as i64 + delta).clamp(0, 200) as u16;
            }
            Mode::Log if n > 0 => self.selected = (self.selected as i64 + delta).clamp(0, n - 1) as usize,
            Mode::Manual if n > 0 => {
                self.qa_selected = (self.qa_selected as i64 + delta).clamp(0, n - 1) as usize
            }
            _ => {}
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
        self.selected = self.selected.min(self.today.len().saturating_sub(1));
        self.qa = q::qa_entries(conn)?;
        self.qa_selected = self.qa_selected.min(self.qa.len().saturating_sub(1));
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
                    self.editing_qa = None;
                    self.form = Some(qa_form(ctx.catalog, ctx.lang, ctx.today(), None));
                } else {
                    self.open_call_form(ctx);
                }
                Outcome::Handled
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
                if let Some(e) = self.qa.get(self.qa_selected).cloned() {
                    self.editing_qa = Some(e.id);
                    self.form = Some(qa_form(ctx.catalog, ctx.lang, ctx.today(), Some(&e)));
                }
                Outcome::Handled
            }
            Command::Delete if self.mode == Mode::Manual => {
                self.confirm_delete = self.qa.get(self.qa_selected).map(|e| e.id);
                Outcome::Handled
            }
            Command::Back if self.mode != Mode::Log => {
                self.mode = Mode::Log;
                Outcome::Handled
            }
            Command::Up => {
                self.move_selection(-1);
                Outcome::Handled
            }
            Command::Down => {
                self.move_selection(1);
                Outcome::Handled
            }
            Command::PageUp => {
                self.move_selection(-10);
                Outcome::Handled
            }
            Command::PageDown => {
                self.move_selection(10);
                Outcome::Handled
            }
            Command::Top => {
                self.move_selection(-100_000);
                Outcome::Handled
            }
            Command::Bottom => {
                self.move_selection(100_000);
                Outcome::Handled
            }
            Command::Open if self.mode == Mode::Log => match self
                .today
                .get(self.selected)
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
        if let Some(id) = self.confirm_delete {
            self.confirm_delete = None;
            if matches!(key.code, KeyCode::Char('y') | KeyCode::Char('Y') | KeyCode::Char('ㅛ')) {
                return match crate::desk::inquiries::delete_answer(ctx.store, id) {
                    Ok(()) => Outcome::Changed,
                    Err(e) => Outcome::Error(e.to_string()),
                };
            }
            return Outcome::Handled;
        }
        let Some(form) = self.form.as_mut() else { return Outcome::Ignored };
        let is_call = form.id == CALL_FORM;
        match form.handle_key(key) {
            FormEvent::Submit => {
                if is_call {
                    self.save_call(ctx)
                } else {
                    self.save_qa(ctx)
                }
            }
            FormEvent::Cancel => {
                self.form = None;
                self.editing_qa = None;
                Outcome::Handled
            }
            FormEvent::Changed(id) if is_call => {
                self.on_call_changed(id, ctx);
                Outcome::Handled
            }
            _ => Outcome::Handled,
        }
    }

    fn keyboard_grabbed(&self) -> bool {
        self.form.is_some() || self.confirm_delete.is_some()
    }

    fn open_form(&self) -> Option<&Form> {
        self.form.as_ref()
    }

    fn restore_form(&mut self, form_id: &str, draft: &str, ctx: &mut Ctx<'_>) -> bool {
        let mut form = match form_id {
            CALL_FORM => call_form(ctx.catalog, ctx.lang, ctx.today()),
            QA_FORM => qa_form(ctx.catalog, ctx.lang, ctx.today(), None),
            _ => return false,
        };
        if !form.restore_draft(draft) {
            return false;
        }
        if form.id == CALL_FORM {
            Self::update_visibility(&mut form);
        }
        self.form = Some(form);
        self.refresh_aside(ctx.catalog, ctx.lang);
        true
    }

    fn render(&self, area: Rect, buf: &mut Buffer, view: &View<'_>) {
        match self.mode {
            Mode::Log => self.render_log(area, buf, view),
            Mode::Report => self.render_report(area, buf, view),
            Mode::Manual => self.render_manual(area, buf, view),
        }
        if let Some(form) = &self.form {
            self.render_form(form, area, buf, view);
        }
        if self.confirm_delete.is_some() {
            let popup = crate::app::form::popup(area, 56, 5);
            crate::app::form::clear_popup(popup, area, buf, view.theme);
            let block = widgets::panel(Line::from(view.lang.pick(" 지우기 ", " Delete ")), view.theme);
            let inner = block.inner(popup);
            block.render(popup, buf);
            Paragraph::new(Span::styled(
                view.lang.pick(
                    " 이 답변을 지울까요? y 지우기 / 다른 키: 그대로",
                    " Delete this answer? y deletes / any other key keeps it",
                ),
                view.theme.error,
            ))
            .render(inner, buf);
        }
    }
}

impl InquiriesTab {
    fn render_log(&self, area: Rect, buf: &mut Buffer, view: &View<'_>) {
        let lang = view.lang;
        let side_w = if area.width >= 110 { 36 } else { 26 };
        let [list_area, side_area] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(side_w)]).areas(area);
        let title = match lang {
            Lang::Ko => format!(" 오늘의 전화 문의 {}건 ", self.today.len()),
            Lang::En => format!(" Today's phone log: {} ", self.today.len()),
        };
        let block = widgets::panel(Line::from(title), view.theme);
        let inner = block.inner(list_area);
        block.render(list_area, buf);
        let w = inner.width as usize;
        // Time, caller, topic, source, outcome; the questions and note take the rest.
        let cols = if w >= 80 { [5usize, 12, 12, 10, 16] } else { [5usize, 10, 8, 8, 12] };
        let fixed: usize = cols.iter().sum::<usize>() + cols.len();
        let note_w = w.saturating_sub(fixed);
        let header = format!(
            "{} {} {} {} {} {}",
            fit(lang.pick("시각", "Time"), cols[0]),
            fit(lang.pick("문의자", "Caller"), cols[1]),
            fit(lang.pick("치료", "Topic"), cols[2]),
            fit(lang.pick("경로", "Source"), cols[3]),
            fit(lang.pick("결과", "Outcome"), cols[4]),
            fit(lang.pick("질문/메모", "Asked / note"), note_w)
        );
        let mut lines = vec![Line::from(Span::styled(truncate(&header, w), view.theme.title))];
        if self.today.is_empty() {
            lines.push(Line::from(""));
            for l in wrap(
                lang.pick(
                    "오늘 기록된 문의가 없습니다. 전화가 오면 n을 눌러 통화하면서 바로 기록하세요.",
                    "No calls logged today. When the phone rings, press n and log the call as you talk.",
                ),
                w.saturating_sub(1).max(10),
            ) {
                lines.push(Line::from(Span::styled(l, view.theme.dim)));
            }
        }
        let visible = (inner.height as usize).saturating_sub(1);
        let start = self.selected.saturating_sub(visible.saturating_sub(1));
        for (i, r) in self.today.iter().enumerate().skip(start).take(visible) {
            let time = r.received_at.get(11..16).unwrap_or("");
            let name = if r.caller_name.is_empty() { "-".to_string() } else { r.caller_name.clone() };
            let name = if view.mask { crate::domain::mask::mask_name(&name) } else { name };
            let topic = r.topic.as_deref().map(|t| view.catalog.treatment_label(t, lang)).unwrap_or_default();
            let source = r
                .referral_source
                .as_deref()
                .map(|s| Self::source_label(view.catalog, s, lang))
                .unwrap_or_else(|| "-".into());
            let outcome = match (r.outcome, &r.callback_on) {
                (InquiryOutcome::Callback, Some(d)) => {
                    format!("{} {}", r.outcome.label(lang), d.get(5..).unwrap_or(""))
                }
                _ => r.outcome.label(lang).to_string(),
            };
            // Who referred them and the note say more than the question kinds; they go first.
            let mut rest: Vec<String> = Vec::new();
            if let Some(n) = &r.referrer_name {
                let n = if view.mask { crate::domain::mask::mask_name(n) } else { n.clone() };
                rest.push(format!("{}: {n}", lang.pick("소개", "by")));
            }
            if !r.note.is_empty() {
                rest.push(view.free(&r.note));
            }
            rest.extend(r.questions.iter().map(|q| q.label(lang).to_string()));
            let text = format!(
                "{} {} {} {} {} {}",
                fit(time, cols[0]),
                fit(&name, cols[1]),
                fit(&topic, cols[2]),
                fit(&source, cols[3]),
                fit(&outcome, cols[4]),
                fit(&rest.join(", "), note_w)
            );
            let style = if i == self.selected { view.theme.selected } else { Style::default() };
            lines.push(Line::from(Span::styled(truncate(&text, w), style)));
        }
        Paragraph::new(lines).render(inner, buf);
        self.render_counts(side_area, buf, view);
    }

    fn render_counts(&self, area: Rect, buf: &mut Buffer, view: &View<'_>) {
        let lang = view.lang;
        let month = view.now.format("%m").to_string();
        let block =
            widgets::panel(Line::from(lang.pick(" 내원경로별 문의 ", " Inquiries by source ")), view.theme);
        let inner = block.inner(area);
        block.render(area, buf);
        let w = inner.width as usize;
        let label_w = w.saturating_sub(12);
        let month_label = match lang {
            Lang::Ko => format!("{}월", month.trim_start_matches('0')),
            Lang::En => view.now.format("%b").to_string(),
        };
        let mut lines = vec![Line::from(Span::styled(
            format!(
                "{}{}{}",
                fit(lang.pick("경로", "Source"), label_w),
                fit_right(lang.pick("오늘", "Today"), 6),
                fit_right(&month_label, 6)
            ),
            view.theme.title,
        ))];
        let count = |list: &[(String, i64)], code: &str| {
            list.iter().find(|(c, _)| c == code).map(|(_, n)| *n).unwrap_or(0)
        };
        let mut codes: Vec<String> = view.catalog.referral_sources.iter().map(|s| s.code.clone()).collect();
        if count(&self.month_counts, UNKNOWN_SOURCE) > 0 {
            codes.push(UNKNOWN_SOURCE.into());
        }
        for code in &codes {
            let (d, m) = (count(&self.day_counts, code), count(&self.month_counts, code));
            let style = if m == 0 { view.theme.dim } else { Style::default() };
            lines.push(Line::from(Span::styled(
                format!(
                    "{}{}{}",
                    fit(&Self::source_label(view.catalog, code, lang), label_w),
                    fit_right(&d.to_string(), 6),
                    fit_right(&m.to_string(), 6)
                ),
                style,
            )));
        }
        let (dt, mt): (i64, i64) =
            (self.day_counts.iter().map(|(_, n)| n).sum(), self.month_counts.iter().map(|(_, n)| n).sum());
        lines.push(Line::from(Span::styled(
            format!(
                "{}{}{}",
                fit(lang.pick("합계", "Total"), label_w),
                fit_right(&dt.to_string(), 6),
                fit_right(&mt.to_string(), 6)
            ),
            view.theme.title,
        )));
        Paragraph::new(lines).render(inner, buf);
    }

    fn render_report(&self, area: Rect, buf: &mut Buffer, view: &View<'_>) {
        let lang = view.lang;
        let period = self.report_period.map(|p| format!("{} ~ {}", p.from, p.to)).unwrap_or_default();
        let title = format!(" {} {period} ", lang.pick("내원경로 보고서", "Referral report"));
        let block = widgets::panel(Line::from(title), view.theme);
        let inner = block.inner(area);
        block.render(area, buf);
        let w = inner.width as usize;
        let label = |code: &str| Self::source_label(view.catalog, code, lang);
        let mut lines: Vec<Line> = Vec::new();
        for (i, m) in [ReferralMeasure::NewPatients, ReferralMeasure::Inquiries].into_iter().enumerate() {
            if i > 0 {
                lines.push(Line::from(""));
            }
            lines.push(Line::from(Span::styled(m.title(lang).to_string(), view.theme.info)));
            self.report_width.set(w);
            let window = MonthWindow { width: w, back: self.report_months_back };
            let table = referral_table(&self.referral_rows, m, &label, lang, Some(window));
            let last = table.len().saturating_sub(1);
            for (j, l) in table.into_iter().enumerate() {
                let style = if j == 0 || j == last { view.theme.title } else { Style::default() };
                lines.push(Line::from(Span::styled(truncate(&l, w), style)));
            }
        }
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            lang.pick(
                "경로별 전환: 문의 -> 예약 -> 내원 -> 상담 -> 결제",
                "Funnel: inquiry -> booked -> visited -> consulted -> paid",
            )
            .to_string(),
            view.theme.info,
        )));
        let table = funnel_table(&self.funnel_rows, &label, lang);
        let last = table.len().saturating_sub(1);
        for (j, l) in table.into_iter().enumerate() {
            let style = if j == 0 || j == last { view.theme.title } else { Style::default() };
            lines.push(Line::from(Span::styled(truncate(&l, w), style)));
        }
        let max_scroll = (lines.len() as u16).saturating_sub(inner.height);
        Paragraph::new(lines).scroll((self.report_scroll.min(max_scroll), 0)).render(inner, buf);
    }

    fn render_manual(&self, area: Rect, buf: &mut Buffer, view: &View<'_>) {
        let lang = view.lang;
        let title = match lang {
            Lang::Ko => format!(" 전화응대 매뉴얼 {}개 - n 추가 / e 고치기 / d 지우기 ", self.qa.len()),
            Lang::En => format!(" Q&A manual: {} answers - n add / e edit / d delete ", self.qa.len()),
        };
        let [list_area, detail_area] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(7)]).areas(area);
        let block = widgets::panel(Line::from(title), view.theme);
        let inner = block.inner(list_area);
        block.render(list_area, buf);
        let w = inner.width as usize;
        let visible = inner.height as usize;
        let start = self.qa_selected.saturating_sub(visible.saturating_sub(1));
        let mut lines = Vec::new();
        for (i, e) in self.qa.iter().enumerate().skip(start).take(visible) {
            let topic = e
                .treatment_code
                .as_deref()
                .map(|t| view.catalog.treatment_label(t, lang))
                .unwrap_or_else(|| lang.pick("공통", "Any topic").into());
            let text =
                format!("{} {} {}", fit(&topic, 12), fit(e.kind.label(lang), 14), view.free(&e.question));
            let style = if i == self.qa_selected { view.theme.selected } else { Style::default() };
            lines.push(Line::from(Span::styled(fit(&text, w), style)));
        }
        Paragraph::new(lines).render(inner, buf);
        let block = widgets::panel(Line::from(lang.pick(" 답변 ", " Answer ")), view.theme);
        let inner = block.inner(detail_area);
        block.render(detail_area, buf);
        if let Some(e) = self.qa.get(self.qa_selected) {
            Paragraph::new(view.free(&e.answer)).wrap(Wrap { trim: true }).render(inner, buf);
        }
    }

    fn render_form(&self, form: &Form, area: Rect, buf: &mut Buffer, view: &View<'_>) {
        // Wide enough: the form draws the manual beside its fields itself.
        if form.id != CALL_FORM || area.width >= 118 {
            form.render_in(area, buf, view);
            return;
        }
        // Narrow: the form on top, the manual in a panel below it.
        let want = form.popup_area(area).height + 2;
        let form_area = Rect { height: want.min(area.height), ..area };
        form.render(form_area, buf, view.theme);
        let popup = form.popup_area(form_area);
        if area.bottom() < popup.bottom() + 3 {
            return;
        }
        let panel_area = Rect { y: popup.bottom(), height: area.bottom() - popup.bottom(), ..popup };
        crate::app::form::clear_popup(panel_area, area, buf, view.theme);
        let block =
            widgets::panel(Line::from(view.lang.pick(" 준비된 답변 ", " Prepared answers ")), view.theme);
        let inner = block.inner(panel_area);
        block.render(panel_area, buf);
        let lines: Vec<Line> = self
            .aside_lines(form, view.catalog, view.lang, inner.width as usize)
            .into_iter()
            .map(|l| {
                Line::from(Span::styled(truncate(&view.free(&l), inner.width as usize), view.theme.info))
            })
            .collect();
        Paragraph::new(lines).render(inner, buf);
    }
}
