//! The admin's settings screen, reached from any tab (`Ctrl-O`): clinic details and hours,
//! staff, treatments, referral sources and internet channels, complaint categories, dropout
//! weights. Each change is one transaction through the store, audited; codes in use are
//! retired, not deleted.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::form::{Choice, Field, Form, FormEvent};
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

mod calendar;
mod forms;
mod view;
pub use calendar::{CALENDAR_FORM, CalendarRow};

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
    /// The clinic's own closed days, short days and hourly caps per treatment (issue 19).
    Calendar,
    /// The audit log, read-only, newest first.
    Audit,
}

impl Section {
    pub const ALL: [Section; 10] = [
        Section::Clinic,
        Section::Staff,
        Section::Treatments,
        Section::Sources,
        Section::Channels,
        Section::Categories,
        Section::Weights,
        Section::Texts,
        Section::Calendar,
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
            Section::Calendar => lang.pick("휴진/상한", "Calendar"),
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
    /// The calendar section's removal question (see [`calendar`]).
    calendar_confirm: Option<crate::app::kit::confirm::Confirm<CalendarRow>>,
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
            calendar_confirm: None,
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
            Section::Calendar => self.calendar_items().len(),
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
        if let Some(outcome) = self.calendar_confirm_key(key, store) {
            return outcome;
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
            _ if self.section == Section::Calendar => return self.calendar_command(cmd),
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
        "package_finished" => lang.pick("패키지 끝남, 새 패키지 없음", "Package finished, no new one"),
        _ => "?",
    }
}
