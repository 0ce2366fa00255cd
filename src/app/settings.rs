//! The admin's settings screen, reached from any tab (`Ctrl-O`): clinic details and hours,
//! staff, treatments, referral sources and internet channels, complaint categories, dropout
//! weights. Each change is one transaction through the store, audited; codes in use are
//! retired, not deleted.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::form::{Choice, Field, Form, FormEvent, clear_popup};
use super::keymap::{self, Command, Context};
use super::theme::Theme;
use super::{Outcome, widgets};
use crate::desk::{self, DeskError};
use crate::domain::messages::{
    LMS_MAX_BYTES, MessageKind, Template, Values, compose, measure, template_problem,
};
use crate::domain::setup::{self, DAYS, DROPOUT_REASONS, LabelEntry, SetupFile, SourceEntry, TreatmentEntry};
use crate::domain::text::{fit, truncate};
use crate::domain::{ClinicKind, Lang, Role};
use crate::store::audit::{self, AuditRow};
use crate::store::settings::{self as store_settings, CodeTable};
use crate::store::{Store, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Clinic,
    Staff,
    Treatments,
    Sources,
    Channels,
    Categories,
    Weights,
    /// Texts (issue 20): the numbers the templates quote and one template per kind.
    Texts,
    /// The audit log, read-only, newest first.
    Audit,
}

impl Section {
    pub const ALL: [Section; 9] = [
        Section::Clinic,
        Section::Staff,
        Section::Treatments,
        Section::Sources,
        Section::Channels,
        Section::Categories,
        Section::Weights,
        Section::Texts,
        Section::Audit,
    ];

    pub fn title(self, lang: Lang) -> &'static str {
        match self {
            Section::Clinic => lang.pick("병원/진료시간", "Clinic, hours"),
            Section::Staff => lang.pick("원장/직원", "Staff"),
            Section::Treatments => lang.pick("치료", "Treatments"),
            Section::Sources => lang.pick("내원경로", "Sources"),
            Section::Channels => lang.pick("인터넷 채널", "Channels"),
            Section::Categories => lang.pick("불만 유형", "Complaints"),
            Section::Weights => lang.pick("이탈 점수", "Dropout"),
            Section::Texts => lang.pick("문자", "Texts"),
            Section::Audit => lang.pick("감사 기록", "Audit log"),
        }
    }
}

/// A pending delete, waiting for y.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ConfirmDelete {
    table: CodeTable,
    code: String,
}

pub struct SettingsState {
    pub section: Section,
    pub selected: usize,
    /// The settings as last read from the store.
    pub data: SetupFile,
    pub staff_ids: Vec<i64>,
    pub form: Option<Form>,
    /// What the open form edits: the code or name it was opened on (`None`: adding).
    editing: Option<String>,
    confirm: Option<ConfirmDelete>,
    pub message: Option<(bool, String)>,
    lang: Lang,
    today: chrono::NaiveDate,
    /// The audit log section: the newest rows, a window at a time (never the whole table).
    pub audit: Vec<AuditRow>,
    /// Outside changes (and new keys) recorded and not yet acknowledged, shown above every
    /// section until an admin acknowledges them (`frontdesk check --acknowledge`).
    pub findings: Vec<AuditRow>,
    /// The acknowledge prompt is open (see [`super::findings`]).
    pub acknowledging: bool,
}

/// The Texts section's first rows: the clinic phone and the opt-out number (one form).
const TEXT_NUMBER_ROWS: usize = 2;
/// What the Texts section's number form edits (`editing`).
const TEXT_NUMBERS: &str = "texts numbers";

/// How many audit rows the admin view reads at a time.
pub const AUDIT_WINDOW: usize = 200;

impl SettingsState {
    pub fn open(store: &Store, lang: Lang, today: chrono::NaiveDate) -> Result<SettingsState, StoreError> {
        let mut s = SettingsState {
            section: Section::Clinic,
            selected: 0,
            data: store_settings::read_setup(store)?,
            staff_ids: Vec::new(),
            form: None,
            editing: None,
            confirm: None,
            message: None,
            lang,
            today,
            audit: Vec::new(),
            findings: Vec::new(),
            acknowledging: false,
        };
        s.reload(store)?;
        Ok(s)
    }

    pub fn reload(&mut self, store: &Store) -> Result<(), StoreError> {
        self.data = store_settings::read_setup(store)?;
        self.findings = audit::unacknowledged(store)?;
        self.staff_ids = store_settings::staff_ids(store)?;
        if self.section == Section::Audit {
            // Keep as many rows as were on screen, newest first, including rows written since.
            let want = self.audit.len().max(AUDIT_WINDOW);
            self.audit = audit::recent(store, None, want)?;
        }
        self.selected = self.selected.min(self.len().saturating_sub(1));
        Ok(())
    }

    fn len(&self) -> usize {
        match self.section {
            Section::Clinic => 6,
            Section::Staff => self.data.staff.len(),
            Section::Treatments => self.data.treatments.len(),
            Section::Sources => self.data.referral_sources.len(),
            Section::Channels => self.data.referral_channels.len(),
            Section::Categories => self.data.complaint_categories.len(),
            Section::Weights => DROPOUT_REASONS.len(),
            Section::Texts => TEXT_NUMBER_ROWS + self.data.message_templates.len(),
            Section::Audit => self.audit.len(),
        }
    }

    pub fn keyboard_context(&self) -> Context {
        if self.form.is_some() { Context::Form } else { Context::Settings }
    }

    /// Handles a key; `Changed` when the database changed, `Handled` to stay open, `Close` to
    /// close the screen.
    fn settings_key(&mut self, key: &KeyEvent, store: &mut Store) -> Outcome {
        if let Some(form) = &mut self.form {
            return match form.handle_key(key) {
                FormEvent::Cancel => {
                    self.form = None;
                    Outcome::Handled
                }
                FormEvent::Submit => self.save_form(store),
                _ => Outcome::Handled,
            };
        }
        if self.acknowledging {
            return match super::findings::answer(key, store) {
                super::findings::Answer::Done(n) => {
                    self.acknowledging = false;
                    self.message = Some((false, super::findings::done_message(n, self.lang)));
                    let _ = self.reload(store);
                    Outcome::Changed
                }
                super::findings::Answer::NotNow => {
                    self.acknowledging = false;
                    Outcome::Handled
                }
                // The prompt stays, so the same key tries again.
                super::findings::Answer::Failed(e) => {
                    self.message = Some((true, e.to_string()));
                    Outcome::Handled
                }
            };
        }
        if let Some(confirm) = self.confirm.take() {
            if keymap::is_yes(key) {
                let refused = store.staff_refusals();
                let r = desk::settings::delete_code(store, confirm.table, &confirm.code);
                if store.staff_refusals() != refused {
                    // Asked who is here first: the prompt stays for the same key again.
                    self.confirm = Some(confirm);
                }
                return self.after_write(r, store);
            }
            self.message = None;
            return Outcome::Handled;
        }
        self.message = None;
        let Some(cmd) = keymap::lookup(&[Context::Settings], key) else { return Outcome::Handled };
        let n = Section::ALL.len();
        let idx = Section::ALL.iter().position(|s| *s == self.section).unwrap_or(0);
        match cmd {
            Command::Back => return Outcome::Close,
            Command::NextSection => {
                self.section = Section::ALL[(idx + 1) % n];
                self.selected = 0;
                self.load_audit(store);
            }
            Command::PrevSection => {
                self.section = Section::ALL[(idx + n - 1) % n];
                self.selected = 0;
                self.load_audit(store);
            }
            Command::Up => self.selected = self.selected.saturating_sub(1),
            Command::Down => {
                if self.section == Section::Audit && self.selected + 1 >= self.audit.len() {
                    self.load_older_audit(store);
                }
                self.selected = (self.selected + 1).min(self.len().saturating_sub(1))
            }
            Command::Acknowledge if !self.findings.is_empty() => self.acknowledging = true,
            // The audit log is read-only.
            _ if self.section == Section::Audit => {}
            Command::New => self.open_form(true),
            Command::Edit => self.open_form(false),
            Command::Retire => return self.toggle_active(store),
            Command::Delete => self.ask_delete(),
            _ => {}
        }
        Outcome::Handled
    }

    /// Entering the audit section reads its newest window.
    fn load_audit(&mut self, store: &Store) {
        if self.section != Section::Audit {
            return;
        }
        match audit::recent(store, None, AUDIT_WINDOW) {
            Ok(rows) => self.audit = rows,
            Err(e) => self.message = Some((true, e.to_string())),
        }
    }

    /// Scrolling past the oldest row read reads the next window.
    fn load_older_audit(&mut self, store: &Store) {
        let Some(oldest) = self.audit.last().map(|r| r.id) else { return };
        match audit::recent(store, Some(oldest), AUDIT_WINDOW) {
            Ok(rows) => self.audit.extend(rows),
            Err(e) => self.message = Some((true, e.to_string())),
        }
    }

    fn table_and_code(&self) -> Option<(CodeTable, String)> {
        let i = self.selected;
        match self.section {
            Section::Treatments => {
                self.data.treatments.get(i).map(|t| (CodeTable::Treatments, t.code.clone()))
            }
            Section::Sources => {
                self.data.referral_sources.get(i).map(|t| (CodeTable::ReferralSources, t.code.clone()))
            }
            Section::Channels => {
                self.data.referral_channels.get(i).map(|t| (CodeTable::ReferralChannels, t.code.clone()))
            }
            Section::Categories => self
                .data
                .complaint_categories
                .get(i)
                .map(|t| (CodeTable::ComplaintCategories, t.code.clone())),
            _ => None,
        }
    }

    fn ask_delete(&mut self) {
        let lang = self.lang;
        match self.table_and_code() {
            Some((table, code)) => {
                self.message = Some((
                    false,
                    match lang {
                        Lang::Ko => format!("'{code}'을(를) 삭제할까요? y 삭제 / 다른 키 취소"),
                        Lang::En => format!("Delete '{code}'? y deletes / any other key keeps it"),
                    },
                ));
                self.confirm = Some(ConfirmDelete { table, code });
            }
            None => {
                self.message = Some((
                    true,
                    lang.pick(
                        "이 항목은 삭제하지 않고 사용 중지(x)합니다",
                        "Staff are retired (x), not deleted",
                    )
                    .into(),
                ))
            }
        }
    }

    fn toggle_active(&mut self, store: &mut Store) -> Outcome {
        let i = self.selected;
        let r = match self.section {
            Section::Staff => match (self.staff_ids.get(i), self.data.staff.get(i)) {
                (Some(&id), Some(s)) => {
                    let active = !s.active;
                    desk::settings::set_staff_active(store, id, active)
                }
                _ => return Outcome::Handled,
            },
            _ => {
                let Some((table, code)) = self.table_and_code() else { return Outcome::Handled };
                let active = !self.is_active(i);
                desk::settings::set_code_active(store, table, &code, active)
            }
        };
        self.after_write(r, store)
    }

    fn is_active(&self, i: usize) -> bool {
        match self.section {
            Section::Staff => self.data.staff.get(i).is_some_and(|s| s.active),
            Section::Treatments => self.data.treatments.get(i).is_some_and(|s| s.active),
            Section::Sources => self.data.referral_sources.get(i).is_some_and(|s| s.active),
            Section::Channels => self.data.referral_channels.get(i).is_some_and(|s| s.active),
            Section::Categories => self.data.complaint_categories.get(i).is_some_and(|s| s.active),
            _ => true,
        }
    }

    fn after_write(&mut self, r: Result<(), DeskError>, store: &Store) -> Outcome {
        match r {
            Ok(()) => {
                self.form = None;
                let _ = self.reload(store);
                self.message = Some((false, self.lang.pick("저장했습니다", "Saved").into()));
                Outcome::Changed
            }
            Err(e) => {
                let msg = e.to_string();
                match &mut self.form {
                    // Keep the form and everything typed; say what is wrong.
                    Some(f) => f.message = Some(msg),
                    None => self.message = Some((true, msg)),
                }
                Outcome::Handled
            }
        }
    }

    fn open_form(&mut self, adding: bool) {
        let lang = self.lang;
        let i = self.selected;
        let yes_no = || {
            vec![
                Choice::new("no", lang.pick("아니오", "No")).with_key('n'),
                Choice::new("yes", lang.pick("예", "Yes")).with_key('y'),
            ]
        };
        let form = Form::new("settings", "", lang, self.today);
        let (title, form, editing) = match self.section {
            Section::Clinic => {
                let c = &self.data.clinic;
                let kinds = ClinicKind::ALL.iter().map(|k| Choice::new(k.code(), k.label(lang))).collect();
                let days = DAYS.iter().zip(day_labels(lang)).map(|(d, l)| Choice::new(*d, l)).collect();
                let f = form
                    .field(Field::text("name", lang.pick("병원 이름", "Clinic name")).value(&c.name))
                    .field(Field::pick("kind", lang.pick("종류", "Kind"), kinds).selected(&c.kind))
                    .field(
                        Field::pick(
                            "lang",
                            lang.pick("언어", "Language"),
                            vec![
                                Choice::new("ko", "한국어").with_key('k'),
                                Choice::new("en", "English").with_key('e'),
                            ],
                        )
                        .selected(&c.lang),
                    )
                    .field(
                        Field::multi("open_days", lang.pick("진료일", "Open days"), days)
                            .selected(&c.open_days.join(",")),
                    )
                    .field(
                        Field::text("hours", lang.pick("진료시간", "Hours"))
                            .value(&c.hours)
                            .hint("09:30-19:00"),
                    )
                    .field(
                        Field::text("saturday_hours", lang.pick("토요일", "Saturday"))
                            .value(&c.saturday_hours)
                            .hint(lang.pick("평일과 같으면 비움", "empty: same as weekdays")),
                    )
                    .field(
                        Field::text("lunch", lang.pick("점심시간", "Lunch break"))
                            .value(&c.lunch)
                            .hint(lang.pick("없으면 비움", "empty: none")),
                    )
                    .field(Field::text("parking", lang.pick("주차/주소", "Parking")).value(&c.parking));
                (lang.pick("병원/진료시간", "Clinic and hours"), f, Some(String::new()))
            }
            Section::Staff => {
                let roles = Role::ALL.iter().map(|r| Choice::new(r.code(), r.label(lang))).collect();
                let cur = if adding { None } else { self.data.staff.get(i) };
                let mut name = Field::text("name", lang.pick("이름", "Name")).required();
                let mut role = Field::pick("role", lang.pick("역할", "Role"), roles).required();
                if let Some(s) = cur {
                    name = name.value(&s.name);
                    role = role.selected(&s.role);
                }
                let f = form.field(name).field(role);
                (lang.pick("원장/직원", "Staff"), f, cur.map(|s| s.name.clone()))
            }
            Section::Treatments => {
                let cur = if adding { None } else { self.data.treatments.get(i).cloned() };
                let cats = self
                    .data
                    .complaint_categories
                    .iter()
                    .map(|c| Choice::new(&c.code, c.label_in(lang)))
                    .collect();
                let t = cur.clone().unwrap_or(TreatmentEntry {
                    code: String::new(),
                    ko: String::new(),
                    en: String::new(),
                    aliases: Vec::new(),
                    happy_call: false,
                    interval_days: 7,
                    duration_min: 30,
                    course_visits: 0,
                    risky: Vec::new(),
                    active: true,
                    hourly_cap: None,
                });
                let mut code =
                    Field::text("code", lang.pick("코드", "Code")).required().value(&t.code).hint("chuna");
                code.hidden = cur.is_some();
                let f = form
                    .field(code)
                    .field(Field::text("ko", lang.pick("한국어 이름", "Korean name")).required().value(&t.ko))
                    .field(Field::text("en", lang.pick("영어 이름", "English name")).required().value(&t.en))
                    .field(
                        Field::pick("happy_call", lang.pick("해피콜", "Happy call"), yes_no())
                            .selected(if t.happy_call { "yes" } else { "no" }),
                    )
                    .field(
                        Field::number("interval_days", lang.pick("내원 간격(일)", "Interval days"))
                            .required()
                            .value(t.interval_days.to_string()),
                    )
                    .field(
                        Field::number("duration_min", lang.pick("소요(분)", "Minutes"))
                            .required()
                            .value(t.duration_min.to_string()),
                    )
                    .field(
                        Field::number("course_visits", lang.pick("한 과정 횟수", "Course visits"))
                            .value(t.course_visits.to_string()),
                    )
                    .field(
                        Field::multi("risky", lang.pick("불만 위험", "Risky for"), cats)
                            .selected(&t.risky.join(",")),
                    );
                (lang.pick("치료", "Treatment"), f, cur.map(|t| t.code))
            }
            Section::Sources => {
                let cur = if adding { None } else { self.data.referral_sources.get(i).cloned() };
                let mut code = Field::text("code", lang.pick("코드", "Code")).required();
                let (mut ko, mut en, mut key) = (
                    Field::text("ko", lang.pick("한국어 이름", "Korean name")).required(),
                    Field::text("en", lang.pick("영어 이름", "English name")).required(),
                    Field::text("key", lang.pick("단축키(한 글자)", "Key letter")).required(),
                );
                if let Some(s) = &cur {
                    code = code.value(&s.code);
                    code.hidden = true;
                    ko = ko.value(&s.ko);
                    en = en.value(&s.en);
                    key = key.value(&s.key);
                }
                (
                    lang.pick("내원경로", "Referral source"),
                    form.field(code).field(ko).field(en).field(key),
                    cur.map(|s| s.code),
                )
            }
            Section::Channels | Section::Categories => {
                let list = if self.section == Section::Channels {
                    &self.data.referral_channels
                } else {
                    &self.data.complaint_categories
                };
                let cur = if adding { None } else { list.get(i).cloned() };
                let mut code = Field::text("code", lang.pick("코드", "Code")).required();
                let (mut ko, mut en) = (
                    Field::text("ko", lang.pick("한국어 이름", "Korean name")).required(),
                    Field::text("en", lang.pick("영어 이름", "English name")).required(),
                );
                if let Some(s) = &cur {
                    code = code.value(&s.code);
                    code.hidden = true;
                    ko = ko.value(&s.ko);
                    en = en.value(&s.en);
                }
                (self.section.title(lang), form.field(code).field(ko).field(en), cur.map(|s| s.code))
            }
            Section::Weights => {
                let Some(reason) = DROPOUT_REASONS.get(i) else { return };
                let w = self.data.dropout_weights.get(*reason).copied().unwrap_or(0);
                let f = form.field(
                    Field::number("weight", reason_label(reason, lang)).required().value(w.to_string()),
                );
                (lang.pick("이탈 점수", "Dropout weight"), f, Some(reason.to_string()))
            }
            Section::Texts if adding => return,
            Section::Texts if i < TEXT_NUMBER_ROWS => {
                let t = &self.data.texts;
                let f = form
                    .field(
                        Field::text("clinic_phone", lang.pick("병원 전화", "Clinic phone"))
                            .value(&t.clinic_phone)
                            .hint("02-123-4567"),
                    )
                    .field(
                        Field::text("opt_out_number", lang.pick("수신거부 번호", "Opt-out number"))
                            .value(&t.opt_out_number)
                            .hint(lang.pick("무료 080 번호 (광고 문자 끝)", "free 080 number (ends ads)")),
                    );
                (lang.pick("문자 번호", "Text numbers"), f, Some(TEXT_NUMBERS.to_string()))
            }
            Section::Texts => {
                let Some(t) = self.data.message_templates.get(i - TEXT_NUMBER_ROWS) else { return };
                let kind = MessageKind::parse(&t.kind).map(|k| k.label(lang)).unwrap_or("?");
                let f = form.field(Field::text("body", kind).required().value(&t.body)).field(
                    Field::pick("advertising", lang.pick("광고", "Advertising"), yes_no())
                        .selected(if t.advertising { "yes" } else { "no" }),
                );
                (lang.pick("문자 문구", "Text template"), f, Some(t.kind.clone()))
            }
            Section::Audit => return,
        };
        if adding && self.section == Section::Weights {
            return;
        }
        let mut form = form;
        form.title = format!(
            "{} {}",
            title,
            if editing.is_some() { lang.pick("고치기", "edit") } else { lang.pick("추가", "add") }
        );
        form.focus = form.fields.iter().position(|f| !f.hidden).unwrap_or(0);
        self.editing = editing;
        self.form = Some(form);
    }

    fn save_form(&mut self, store: &mut Store) -> Outcome {
        let Some(form) = &mut self.form else { return Outcome::Handled };
        let lang = self.lang;
        let today = self.today;
        let editing = self.editing.clone();
        let r: Result<(), DeskError> = match self.section {
            Section::Clinic => {
                let hours = form.text("hours");
                if let Err(m) = setup::check_hours(&hours) {
                    form.set_error("hours", m);
                    return Outcome::Handled;
                }
                let sat = form.text("saturday_hours");
                if !sat.is_empty() {
                    if let Err(m) = setup::check_hours(&sat) {
                        form.set_error("saturday_hours", m);
                        return Outcome::Handled;
                    }
                }
                let lunch = form.text("lunch");
                if !lunch.is_empty() {
                    if let Err(m) = setup::check_hours(&lunch) {
                        form.set_error("lunch", m);
                        return Outcome::Handled;
                    }
                }
                let details = desk::settings::ClinicDetails {
                    kind: form
                        .picked("kind")
                        .and_then(|k| ClinicKind::parse(&k))
                        .unwrap_or(ClinicKind::Other),
                    name: form.text("name"),
                    lang: form.picked("lang").unwrap_or_else(|| "ko".into()),
                    open_days: form.picked_all("open_days").join(","),
                    hours,
                    saturday_hours: sat,
                    lunch,
                    parking: form.text("parking"),
                };
                desk::settings::save_clinic(store, &details, &self.data.clinic.kind, today)
            }
            Section::Staff => {
                let name = form.text("name");
                let role = form.picked("role").and_then(|r| Role::parse(&r)).unwrap_or(Role::Desk);
                let id = editing.as_ref().and_then(|n| {
                    self.data
                        .staff
                        .iter()
                        .position(|s| &s.name == n)
                        .and_then(|i| self.staff_ids.get(i).copied())
                });
                desk::settings::save_staff(store, id, &name, role)
            }
            Section::Treatments => {
                let code = editing.clone().unwrap_or_else(|| form.text("code"));
                if let Err(m) = setup::check_code(&code) {
                    form.set_error("code", m);
                    return Outcome::Handled;
                }
                if editing.is_none() && self.data.treatments.iter().any(|t| t.code == code) {
                    form.set_error("code", lang.pick("이미 있는 코드입니다", "this code already exists"));
                    return Outcome::Handled;
                }
                let interval = form.number("interval_days").unwrap_or(0);
                if !(1..=3650).contains(&interval) {
                    form.set_error("interval_days", lang.pick("1~3650일", "1 to 3650 days"));
                    return Outcome::Handled;
                }
                let duration = form.number("duration_min").unwrap_or(0);
                if !(1..=600).contains(&duration) {
                    form.set_error("duration_min", lang.pick("1~600분", "1 to 600 minutes"));
                    return Outcome::Handled;
                }
                let course = form.number("course_visits").unwrap_or(0);
                if course < 0 {
                    form.set_error("course_visits", lang.pick("0 이상", "0 or more"));
                    return Outcome::Handled;
                }
                let old = self.data.treatments.iter().find(|t| t.code == code);
                let entry = TreatmentEntry {
                    code: code.clone(),
                    ko: form.text("ko"),
                    en: form.text("en"),
                    aliases: old.map(|t| t.aliases.clone()).unwrap_or_default(),
                    happy_call: form.picked("happy_call").as_deref() == Some("yes"),
                    interval_days: interval,
                    duration_min: duration,
                    course_visits: course,
                    risky: form.picked_all("risky"),
                    active: old.is_none_or(|t| t.active),
                    hourly_cap: old.and_then(|t| t.hourly_cap),
                };
                desk::settings::save_treatment(store, &entry)
            }
            Section::Sources => {
                let code = editing.clone().unwrap_or_else(|| form.text("code"));
                if let Err(m) = setup::check_code(&code) {
                    form.set_error("code", m);
                    return Outcome::Handled;
                }
                let key = form.text("key").to_lowercase();
                if key.chars().count() != 1 || !key.chars().all(|c| c.is_ascii_lowercase()) {
                    form.set_error("key", lang.pick("영문 소문자 한 글자", "one lowercase letter"));
                    return Outcome::Handled;
                }
                let old = self.data.referral_sources.iter().find(|s| s.code == code);
                let entry = SourceEntry {
                    code: code.clone(),
                    ko: form.text("ko"),
                    en: form.text("en"),
                    key,
                    aliases: old.map(|s| s.aliases.clone()).unwrap_or_default(),
                    active: old.is_none_or(|s| s.active),
                };
                desk::settings::save_referral_source(store, &entry)
            }
            Section::Channels | Section::Categories => {
                let code = editing.clone().unwrap_or_else(|| form.text("code"));
                if let Err(m) = setup::check_code(&code) {
                    form.set_error("code", m);
                    return Outcome::Handled;
                }
                let channels = self.section == Section::Channels;
                let list =
                    if channels { &self.data.referral_channels } else { &self.data.complaint_categories };
                let old = list.iter().find(|s| s.code == code);
                if editing.is_none() && old.is_some() {
                    form.set_error("code", lang.pick("이미 있는 코드입니다", "this code already exists"));
                    return Outcome::Handled;
                }
                let entry = LabelEntry {
                    code,
                    ko: form.text("ko"),
                    en: form.text("en"),
                    active: old.is_none_or(|s| s.active),
                };
                if channels {
                    desk::settings::save_referral_channel(store, &entry)
                } else {
                    desk::settings::save_complaint_category(store, &entry)
                }
            }
            Section::Weights => {
                let reason = editing.unwrap_or_default();
                let w = form.number("weight").unwrap_or(-1);
                if !(0..=10).contains(&w) {
                    form.set_error("weight", lang.pick("0~10", "0 to 10"));
                    return Outcome::Handled;
                }
                desk::settings::set_dropout_weight(store, &reason, w)
            }
            Section::Texts => {
                let r = if editing.as_deref() == Some(TEXT_NUMBERS) {
                    desk::messages::save_texts_numbers(
                        store,
                        &form.text("clinic_phone"),
                        &form.text("opt_out_number"),
                    )
                } else {
                    let Some(kind) = editing.as_deref().and_then(MessageKind::parse) else {
                        return Outcome::Handled;
                    };
                    let t = Template {
                        kind,
                        body: form.text("body"),
                        advertising: form.picked("advertising").as_deref() == Some("yes"),
                    };
                    desk::messages::save_template(store, &t)
                };
                // A field the desk must correct is worded in the desk's language, on the field.
                if let Err(DeskError::Field { field, why }) = &r {
                    form.set_error(field, why.words(lang));
                    return Outcome::Handled;
                }
                r
            }
            Section::Audit => return Outcome::Handled,
        };
        self.after_write(r, store)
    }
}

impl super::layers::Overlay for SettingsState {
    fn on_key(&mut self, key: &KeyEvent, ctx: &mut super::Ctx<'_>) -> Outcome {
        self.settings_key(key, ctx.store)
    }

    fn contexts(&self) -> Vec<Context> {
        vec![self.keyboard_context()]
    }

    fn cursor(&self) -> Option<(u16, u16)> {
        self.form.as_ref().and_then(|f| f.caret())
    }

    fn render(&self, area: Rect, buf: &mut Buffer, view: &super::View<'_>) {
        self.draw(area, buf, view.theme)
    }
}

impl SettingsState {
    fn draw(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let lang = self.lang;
        let popup = area;
        clear_popup(popup, area, buf, theme);
        let block = widgets::panel(Line::from(lang.pick(" 설정 ", " Settings ")), theme);
        let inner = block.inner(popup);
        block.render(popup, buf);
        let [nav, body, foot] =
            Layout::vertical([Constraint::Length(1), Constraint::Fill(1), Constraint::Length(1)])
                .areas(inner);
        // The section names, scrolled so the chosen one shows when they do not all fit.
        let titles: Vec<String> = Section::ALL.iter().map(|s| format!(" {} ", s.title(lang))).collect();
        let chosen = Section::ALL.iter().position(|s| *s == self.section).unwrap_or(0);
        let fits = |from: usize, to: usize| {
            titles[from..=to].iter().map(|t| crate::domain::text::width(t)).sum::<usize>()
                <= nav.width as usize
        };
        let mut first = 0;
        while first < chosen && !fits(first, chosen) {
            first += 1;
        }
        let mut spans = Vec::new();
        let mut used = 0;
        for (i, s) in Section::ALL.iter().enumerate().skip(first) {
            let w = crate::domain::text::width(&titles[i]);
            if used + w > nav.width as usize {
                break;
            }
            used += w;
            let style = if *s == self.section { theme.tab_active } else { theme.tab_inactive };
            spans.push(Span::styled(titles[i].clone(), style));
        }
        Paragraph::new(Line::from(spans)).render(nav, buf);
        if let Some(line) = self.findings_line() {
            let line = truncate(&line, body.width as usize);
            Paragraph::new(Span::styled(line, theme.error)).render(Rect { height: 1, ..body }, buf);
        }
        let rows = self.rows();
        let height = body.height.saturating_sub(1) as usize;
        let first = self.selected.saturating_sub(height.saturating_sub(1));
        for (n, (text, active)) in rows.iter().enumerate().skip(first).take(height) {
            let y = body.y + 1 + (n - first) as u16;
            let style = if n == self.selected {
                theme.selected
            } else if *active {
                theme.base
            } else {
                theme.dim
            };
            let line = truncate(text, body.width as usize);
            Paragraph::new(Span::styled(fit(&line, body.width as usize), style))
                .render(Rect { y, height: 1, ..body }, buf);
        }
        let foot_line = match &self.message {
            Some((true, m)) => Span::styled(format!(" {m}"), theme.error),
            Some((false, m)) => Span::styled(format!(" {m}"), theme.info),
            None => {
                let hints: Vec<String> = keymap::bindings(Context::Settings)
                    .iter()
                    .filter(|b| b.footer)
                    .map(|b| format!("{} {}", b.keys_label(), b.describe(lang)))
                    .collect();
                Span::styled(
                    format!(" Left/Right {}  {}", lang.pick("항목", "section"), hints.join("  ")),
                    theme.dim,
                )
            }
        };
        Paragraph::new(Line::from(foot_line)).render(foot, buf);
        if let Some(form) = &self.form {
            form.render(area, buf, theme);
            if self.section == Section::Texts && self.editing.as_deref() != Some(TEXT_NUMBERS) {
                self.render_preview(form, area, buf, theme);
            }
        }
        if self.acknowledging {
            super::findings::render_prompt(&self.findings, area, buf, lang, theme);
        }
    }

    /// The template being edited as it would be sent to a sample patient, with its length as
    /// Korean carriers count it and the type it goes as; what is wrong with it, if anything.
    pub fn template_preview(&self, body: &str, advertising: bool) -> Vec<(bool, String)> {
        let lang = self.lang;
        let c = &self.data.clinic;
        let text_lang = Lang::parse(&c.lang).unwrap_or(Lang::Ko);
        let provider = self
            .data
            .staff
            .iter()
            .find(|s| s.active && s.role == Role::Director.code())
            .map(|s| s.name.clone())
            .unwrap_or_else(|| "이원장".into());
        let values = Values {
            name: "김하나".into(),
            at: (self.today + chrono::Duration::days(1)).and_hms_opt(14, 30, 0),
            provider,
            clinic: if c.name.is_empty() { lang.pick("병원", "Clinic").into() } else { c.name.clone() },
            clinic_phone: if self.data.texts.clinic_phone.is_empty() {
                "02-123-4567".into()
            } else {
                self.data.texts.clinic_phone.clone()
            },
        };
        let mut out = vec![(
            false,
            lang.pick("미리보기 (예: 김하나님, 내일 14:30 예약)", "Preview (sample: 김하나, tomorrow 14:30)")
                .into(),
        )];
        if let Some(p) = template_problem(body) {
            out.push((true, p.words(lang)));
            return out;
        }
        let t = Template { kind: MessageKind::Free, body: body.to_string(), advertising };
        let text = compose(&t, &values, &self.data.texts.opt_out_number, text_lang);
        let m = measure(&text);
        out.push((false, text));
        out.push((
            false,
            match lang {
                Lang::Ko => format!("{} {}바이트 (SMS 90, LMS 2,000바이트까지)", m.kind, m.bytes),
                Lang::En => format!("{} {} bytes (SMS up to 90, LMS up to 2,000)", m.kind, m.bytes),
            },
        ));
        if m.bytes > LMS_MAX_BYTES {
            out.push((
                true,
                lang.pick("2,000바이트를 넘어 보낼 수 없습니다", "Over 2,000 bytes: cannot be sent").into(),
            ));
        }
        if !m.unencodable.is_empty() {
            let chars: String = m.unencodable.iter().collect();
            out.push((
                true,
                match lang {
                    Lang::Ko => format!("휴대폰에서 깨지는 글자: {chars} - 빼 주세요"),
                    Lang::En => format!("Shows broken on phones: {chars} - remove it"),
                },
            ));
        }
        if advertising && self.data.texts.opt_out_number.is_empty() {
            out.push((
                true,
                lang.pick(
                    "광고 문자는 수신거부 번호가 필요합니다 (이 항목의 두 번째 줄)",
                    "Advertising texts need the opt-out number (second row of this section)",
                )
                .into(),
            ));
        }
        out
    }

    /// The preview panel under (or, without room, over) the template form.
    fn render_preview(&self, form: &Form, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let lines =
            self.template_preview(&form.text("body"), form.picked("advertising").as_deref() == Some("yes"));
        let fp = form.popup_area(area);
        let inner_w = fp.width.saturating_sub(2).max(1) as usize;
        let wrapped: Vec<(bool, String)> =
            lines.into_iter().flat_map(|(e, l)| wrap(&l, inner_w).into_iter().map(move |w| (e, w))).collect();
        let want = wrapped.len() as u16 + 2;
        let below = area.bottom().saturating_sub(fp.bottom());
        let above = fp.y.saturating_sub(area.y);
        let (y, h) = if below >= want.min(4) {
            (fp.bottom(), want.min(below))
        } else if above >= 4 {
            (fp.y - want.min(above), want.min(above))
        } else {
            return;
        };
        let rect = Rect { y, height: h, ..fp };
        clear_popup(rect, area, buf, theme);
        let block = widgets::panel(Line::from(self.lang.pick(" 미리보기 ", " Preview ")), theme);
        let inner = block.inner(rect);
        block.render(rect, buf);
        for (j, (err, l)) in wrapped.iter().enumerate().take(inner.height as usize) {
            let style = if *err {
                theme.error
            } else if j == 0 {
                theme.dim
            } else {
                theme.base
            };
            Paragraph::new(Span::styled(l.clone(), style))
                .render(Rect { y: inner.y + j as u16, height: 1, ..inner }, buf);
        }
    }

    /// The line above every section while outside changes (or a new key) are recorded and not
    /// acknowledged.
    fn findings_line(&self) -> Option<String> {
        let last = self.findings.last()?;
        let at = last.at.get(..16).unwrap_or(&last.at).replace('T', " ");
        let n = self.findings.len();
        let (id, detail) = (last.id, &last.detail);
        let new_key = last.action == audit::NEW_KEY;
        Some(match self.lang {
            Lang::Ko => {
                let kind = if new_key { "새 감사 키 생성" } else { "외부 변경 발견" };
                format!(
                    "! 확인 안 된 기록 {n}건: {kind} {at} (감사 기록 #{id}) - 살펴본 뒤 A로 확인 처리 (`frontdesk check --acknowledge`와 같음) - {detail}"
                )
            }
            Lang::En => {
                let kind = if new_key { "new audit key made" } else { "outside change found" };
                format!(
                    "! {n} not acknowledged: {kind} {at} (audit row #{id}) - once looked into, A acknowledges (as `frontdesk check --acknowledge` does) - {detail}"
                )
            }
        })
    }

    /// The rows of the current section as text, with whether each is active.
    fn rows(&self) -> Vec<(String, bool)> {
        let lang = self.lang;
        let retired = lang.pick("(사용 중지)", "(retired)");
        let mark = |active: bool| if active { String::new() } else { format!(" {retired}") };
        match self.section {
            Section::Clinic => {
                let c = &self.data.clinic;
                let kind = ClinicKind::parse(&c.kind).map(|k| k.label(lang)).unwrap_or("-");
                let days: Vec<&str> = DAYS
                    .iter()
                    .zip(day_labels(lang))
                    .filter(|(d, _)| c.open_days.iter().any(|o| o == *d))
                    .map(|(_, l)| l)
                    .collect();
                vec![
                    (format!("{}{}", fit(lang.pick("병원 이름", "Clinic name"), 16), c.name), true),
                    (format!("{}{kind}", fit(lang.pick("종류", "Kind"), 16)), true),
                    (
                        format!(
                            "{}{}",
                            fit(lang.pick("언어", "Language"), 16),
                            if c.lang == "en" { "English" } else { "한국어" }
                        ),
                        true,
                    ),
                    (format!("{}{}", fit(lang.pick("진료일", "Open days"), 16), days.join(" ")), true),
                    (format!("{}{}", fit(lang.pick("진료시간", "Hours"), 16), c.hours), true),
                    (
                        format!(
                            "{}{}",
                            fit(lang.pick("토요일", "Saturday"), 16),
                            if c.saturday_hours.is_empty() {
                                lang.pick("평일과 같음", "as weekdays")
                            } else {
                                &c.saturday_hours
                            }
                        ),
                        true,
                    ),
                    (
                        format!(
                            "{}{}",
                            fit(lang.pick("점심시간", "Lunch break"), 16),
                            if c.lunch.is_empty() { lang.pick("없음", "none") } else { &c.lunch }
                        ),
                        true,
                    ),
                    (
                        format!(
                            "{}{}",
                            fit(lang.pick("주차/주소", "Parking"), 16),
                            if c.parking.is_empty() { "-" } else { &c.parking }
                        ),
                        true,
                    ),
                ]
            }
            Section::Staff => self
                .data
                .staff
                .iter()
                .map(|s| {
                    let role = Role::parse(&s.role).map(|r| r.label(lang)).unwrap_or("-");
                    (format!("{}{}{}", fit(&s.name, 16), role, mark(s.active)), s.active)
                })
                .collect(),
            Section::Treatments => self
                .data
                .treatments
                .iter()
                .map(|t| {
                    let happy = if t.happy_call { lang.pick("해피콜", "happy call") } else { "" };
                    (
                        format!(
                            "{}{}{}{}{}{}",
                            fit(&t.code, 18),
                            fit(label(&t.ko, &t.en, lang), 20),
                            fit(&format!("{}{}", t.interval_days, lang.pick("일", "d")), 7),
                            fit(&format!("{}{}", t.duration_min, lang.pick("분", "m")), 6),
                            fit(happy, 11),
                            mark(t.active)
                        ),
                        t.active,
                    )
                })
                .collect(),
            Section::Sources => self
                .data
                .referral_sources
                .iter()
                .map(|s| {
                    (
                        format!(
                            "{} {}{}{}",
                            s.key,
                            fit(&s.code, 14),
                            label(&s.ko, &s.en, lang),
                            mark(s.active)
                        ),
                        s.active,
                    )
                })
                .collect(),
            Section::Channels => self
                .data
                .referral_channels
                .iter()
                .map(|s| {
                    (format!("{}{}{}", fit(&s.code, 16), label(&s.ko, &s.en, lang), mark(s.active)), s.active)
                })
                .collect(),
            Section::Categories => self
                .data
                .complaint_categories
                .iter()
                .map(|s| {
                    (format!("{}{}{}", fit(&s.code, 16), label(&s.ko, &s.en, lang), mark(s.active)), s.active)
                })
                .collect(),
            Section::Texts => {
                let t = &self.data.texts;
                let or_dash = |v: &str| if v.is_empty() { "-".to_string() } else { v.to_string() };
                let mut rows = vec![
                    (
                        format!(
                            "{}{}",
                            fit(lang.pick("병원 전화", "Clinic phone"), 16),
                            or_dash(&t.clinic_phone)
                        ),
                        true,
                    ),
                    (
                        format!(
                            "{}{}",
                            fit(lang.pick("수신거부 번호", "Opt-out number"), 16),
                            or_dash(&t.opt_out_number)
                        ),
                        true,
                    ),
                ];
                for m in &self.data.message_templates {
                    let kind = MessageKind::parse(&m.kind).map(|k| k.label(lang)).unwrap_or("?");
                    let ad = if m.advertising { lang.pick("(광고) ", "(ad) ") } else { "" };
                    rows.push((
                        format!("{}{ad}{}", fit(kind, 16), crate::domain::text::clean_line(&m.body)),
                        true,
                    ));
                }
                rows
            }
            Section::Audit => self.audit.iter().map(|r| (audit_line(r, lang), true)).collect(),
            Section::Weights => DROPOUT_REASONS
                .iter()
                .map(|r| {
                    let w = self.data.dropout_weights.get(*r).copied().unwrap_or(0);
                    (
                        format!(
                            "{} {}",
                            crate::domain::text::fit_right(&w.to_string(), 3),
                            reason_label(r, lang)
                        ),
                        true,
                    )
                })
                .collect(),
        }
    }
}

/// One audit row on one line: when, who (staff, OS user, SSH address), what, which patient.
/// The patient is named by chart number only: the log view shows no names or phones.
fn audit_line(r: &AuditRow, lang: Lang) -> String {
    let who = match (r.staff.is_empty(), r.ssh_client.is_empty()) {
        (true, true) => r.os_user.clone(),
        (false, true) => format!("{} ({})", r.staff, r.os_user),
        (true, false) => format!("{}@{}", r.os_user, r.ssh_client),
        (false, false) => format!("{} ({}@{})", r.staff, r.os_user, r.ssh_client),
    };
    let what = match r.entity_id {
        Some(id) => format!("{} {} #{id}", r.action, r.entity),
        None => format!("{} {}", r.action, r.entity),
    };
    let patient = match (&r.chart_no, r.patient_id) {
        (Some(c), _) => format!("{} {c}", lang.pick("차트", "chart")),
        (None, Some(id)) => format!("{} #{id}", lang.pick("환자", "patient")),
        (None, None) => String::new(),
    };
    format!(
        "{} {}{}{}{}",
        fit(r.at.get(..16).unwrap_or(&r.at), 16),
        fit(&who, 20),
        fit(&what, 28),
        fit(&patient, 13),
        r.detail
    )
}

/// Splits text into lines of at most `cols` columns (wide characters count two).
fn wrap(text: &str, cols: usize) -> Vec<String> {
    let mut out = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        let mut w = 0;
        for c in para.chars() {
            let cw = crate::domain::text::width(c.encode_utf8(&mut [0u8; 4]));
            if w + cw > cols && !line.is_empty() {
                out.push(std::mem::take(&mut line));
                w = 0;
            }
            line.push(c);
            w += cw;
        }
        out.push(line);
    }
    out
}

fn label<'a>(ko: &'a str, en: &'a str, lang: Lang) -> &'a str {
    lang.pick(ko, en)
}

trait LabelIn {
    fn label_in(&self, lang: Lang) -> &str;
}

impl LabelIn for LabelEntry {
    fn label_in(&self, lang: Lang) -> &str {
        lang.pick(&self.ko, &self.en)
    }
}

pub fn day_labels(lang: Lang) -> [&'static str; 7] {
    match lang {
        Lang::Ko => ["월", "화", "수", "목", "금", "토", "일"],
        Lang::En => ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    }
}

/// The dropout reasons in words.
pub fn reason_label(reason: &str, lang: Lang) -> &'static str {
    match reason {
        "missed_last_not_rebooked" => {
            lang.pick("지난 예약 부도, 재예약 없음", "Missed the last visit, not rebooked")
        }
        "open_complaint" => lang.pick("해결 안 된 불만", "Open complaint"),
        "overdue_gap" => lang.pick("평소 간격의 2배 넘게 안 옴", "Gap over twice their usual interval"),
        "course_unfinished" => lang.pick("치료 과정/패키지 미완료", "Course or package unfinished"),
        "left_without_booking" => {
            lang.pick("지난 진료 후 예약 없이 감", "Left the last visit without booking")
        }
        "prospect_callback_overdue" => {
            lang.pick("상담 보류, 리콜 지남", "Undecided consultation, callback overdue")
        }
        _ => "?",
    }
}
