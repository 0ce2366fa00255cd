//! First run: a new, empty database opens on a short setup instead of five empty tabs -
//! clinic name, kind of clinic, directors and desk staff, opening days and hours - then three
//! ways on: start empty, import CSV files, or look at the demo clinic. Everything can be
//! skipped (Esc) and changed later in the settings (Ctrl-O).

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::form::{Choice, Field, Form, FormEvent, popup};
use super::keymap::Context;
use super::layers::{Effect, Overlay};
use super::settings::day_labels;
use super::{Ctx, View, widgets};
use crate::domain::setup::{DAYS, check_hours};
use crate::domain::{ClinicKind, Lang};
use crate::store::settings as store_settings;
use crate::store::{Store, StoreError};

/// The setting that marks the first-run setup as done (or skipped).
pub use crate::desk::settings::SETUP_DONE;

/// True when the app should open on the setup: an empty database never set up.
pub fn needed(store: &Store) -> bool {
    store.access() == crate::store::Access::ReadWrite
        && matches!(store.setting(SETUP_DONE), Ok(None))
        && store.is_empty().unwrap_or(false)
}

#[derive(Debug, Clone)]
pub enum Step {
    Details(Box<Form>),
    WaysOn { selected: usize },
    ImportHelp,
}

pub struct FirstRun {
    pub step: Step,
    pub error: Option<String>,
    lang: Lang,
}

const WAYS: usize = 3;

impl FirstRun {
    pub fn new(lang: Lang, today: chrono::NaiveDate) -> FirstRun {
        let kinds = ClinicKind::ALL.iter().map(|k| Choice::new(k.code(), k.label(lang))).collect();
        let days = DAYS.iter().zip(day_labels(lang)).map(|(d, l)| Choice::new(*d, l)).collect();
        let form =
            Form::new(
                "first_run",
                lang.pick("처음 설정 - 건너뛰려면 Esc", "First setup - Esc skips"),
                lang,
                today,
            )
            .field(
                Field::text("name", lang.pick("병원 이름", "Clinic name"))
                    .hint(lang.pick("예: 한결한의원", "e.g. Hangyeol Clinic")),
            )
            .field(Field::pick("kind", lang.pick("종류", "Kind"), kinds).selected("hanui"))
            .field(
                Field::text("directors", lang.pick("원장님", "Directors"))
                    .hint(lang.pick("쉼표로 구분: 김원장, 이원장", "comma-separated: Dr Kim, Dr Lee")),
            )
            .field(
                Field::text("desk", lang.pick("데스크 직원", "Desk staff"))
                    .hint(lang.pick("쉼표로 구분", "comma-separated")),
            )
            .field(
                Field::multi("open_days", lang.pick("진료일", "Open days"), days)
                    .selected("mon,tue,wed,thu,fri,sat"),
            )
            .field(Field::text("hours", lang.pick("진료시간", "Hours")).value(store_settings::DEFAULT_HOURS))
            .field(
                Field::text("saturday_hours", lang.pick("토요일", "Saturday"))
                    .value("09:30-14:00")
                    .hint(lang.pick("평일과 같으면 비움", "empty: same as weekdays")),
            )
            .field(
                Field::text("lunch", lang.pick("점심시간", "Lunch break"))
                    .value(crate::domain::setup::DEFAULT_LUNCH)
                    .hint(lang.pick("없으면 비움", "empty: none")),
            )
            .field(Field::text("parking", lang.pick("주차/주소", "Parking")).hint(
                lang.pick("예: 역 2번 출구 앞, 건물 주차 1시간 무료", "e.g. exit 2, 1 hour free parking"),
            ));
        FirstRun { step: Step::Details(Box::new(form)), error: None, lang }
    }

    pub fn form(&self) -> Option<&Form> {
        match &self.step {
            Step::Details(f) => Some(f),
            _ => None,
        }
    }

    /// A key on the setup: [`Effect::Handled`] while it runs, [`Effect::Changed`] once the
    /// details are saved, [`Effect::Close`] when done (the app goes to Today), and
    /// [`Effect::CloseSaying`] for the demo clinic (how to open it).
    fn step_key(&mut self, key: &KeyEvent, store: &mut Store, today: chrono::NaiveDate) -> Effect {
        self.error = None;
        match &mut self.step {
            Step::Details(form) => match form.handle_key(key) {
                FormEvent::Cancel => {
                    self.step = Step::WaysOn { selected: 0 };
                    Effect::Handled
                }
                FormEvent::Submit => match save(form, store, today) {
                    Ok(()) => {
                        self.step = Step::WaysOn { selected: 0 };
                        Effect::Changed
                    }
                    Err(e) => {
                        form.message = Some(e.to_string());
                        Effect::Handled
                    }
                },
                _ => Effect::Handled,
            },
            Step::WaysOn { selected } => {
                let choice = match key.code {
                    KeyCode::Up | KeyCode::Char('k') => {
                        *selected = selected.saturating_sub(1);
                        return Effect::Handled;
                    }
                    KeyCode::Down | KeyCode::Char('j') => {
                        *selected = (*selected + 1).min(WAYS - 1);
                        return Effect::Handled;
                    }
                    KeyCode::Enter => *selected,
                    KeyCode::Char(c @ '1'..='3') => c as usize - '1' as usize,
                    KeyCode::Esc => 0,
                    _ => return Effect::Handled,
                };
                if let Err(e) = mark_done(store) {
                    self.error = Some(e.to_string());
                    return Effect::Handled;
                }
                match choice {
                    0 => Effect::Close,
                    1 => {
                        self.step = Step::ImportHelp;
                        Effect::Handled
                    }
                    _ => Effect::CloseSaying(
                        self.lang
                            .pick(
                                "데모 병원: 종료(q) 후 frontdesk --demo 로 여세요",
                                "Demo clinic: quit (q) and run frontdesk --demo",
                            )
                            .into(),
                    ),
                }
            }
            Step::ImportHelp => match key.code {
                KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q') => Effect::Close,
                _ => Effect::Handled,
            },
        }
    }
}

impl Overlay for FirstRun {
    /// Writes here are the setup itself: they never wait for a staff name.
    fn on_key(&mut self, key: &KeyEvent, ctx: &mut Ctx<'_>) -> Effect {
        let today = ctx.today();
        ctx.store.without_staff_gate(|s| self.step_key(key, s, today))
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::Form]
    }

    fn cursor(&self) -> Option<(u16, u16)> {
        self.form().and_then(|f| f.caret())
    }

    fn render(&self, area: Rect, buf: &mut Buffer, view: &View<'_>) {
        let (lang, theme) = (self.lang, view.theme);
        match &self.step {
            Step::Details(form) => form.render(area, buf, theme),
            Step::WaysOn { selected } => {
                let p = popup(area, 72, 12);
                let title = lang.pick(" 이제 어떻게 시작할까요? ", " How would you like to start? ");
                let inner = widgets::popup_panel(title, p, area, buf, theme);
                let ways = [
                    lang.pick(
                        "빈 상태로 시작 - 예약과 전화 문의를 바로 입력",
                        "Start empty - enter bookings and calls right away",
                    ),
                    lang.pick(
                        "CSV 파일 가져오기 - 쓰던 프로그램의 환자/예약",
                        "Import CSV files - patients and bookings from another system",
                    ),
                    lang.pick(
                        "데모 병원 먼저 둘러보기 - 가상의 환자로",
                        "Look at the demo clinic first - made-up patients",
                    ),
                ];
                let mut lines = vec![Line::from("")];
                for (i, w) in ways.iter().enumerate() {
                    let style = if i == *selected { theme.selected } else { theme.base };
                    lines.push(Line::from(Span::styled(format!(" {}  {w} ", i + 1), style)));
                }
                lines.push(Line::from(""));
                lines.push(Line::from(Span::styled(
                    lang.pick(
                        " Up/Down 고르기  Enter 확인  1-3 바로 선택",
                        " Up/Down choose  Enter confirm  1-3 pick",
                    ),
                    theme.dim,
                )));
                if let Some(e) = &self.error {
                    lines.push(Line::from(Span::styled(format!(" {e}"), theme.error)));
                }
                Paragraph::new(lines).render(inner, buf);
            }
            Step::ImportHelp => {
                let p = popup(area, 110, 20);
                let title = lang.pick(" CSV 가져오기 - Esc 닫기 ", " Importing CSV - Esc closes ");
                let inner = widgets::popup_panel(title, p, area, buf, theme);
                let mut lines = vec![
                    Line::from(lang.pick(
                        "앱을 닫고 터미널에서 실행하세요 (UTF-8 또는 엑셀의 CP949, 첫 줄은 아래 머리글):",
                        "Quit and run these in a terminal (UTF-8 or Excel's CP949; first line is the header below):",
                    )),
                    Line::from(""),
                ];
                for (kind, header) in IMPORT_HEADERS {
                    lines.push(Line::from(Span::styled(
                        format!("frontdesk import {kind} {kind}.csv --dry-run"),
                        theme.info,
                    )));
                    lines.push(Line::from(Span::styled(format!("  {header}"), theme.dim)));
                }
                lines.push(Line::from(""));
                lines.push(Line::from(lang.pick(
                    "--dry-run 으로 먼저 확인하고, 문제가 없으면 --dry-run 없이 다시 실행합니다. 한 줄이라도 틀리면 아무것도 들어가지 않습니다.",
                    "Check with --dry-run first, then run again without it. One bad line means nothing is written.",
                )));
                Paragraph::new(lines).wrap(Wrap { trim: false }).render(inner, buf);
            }
        }
    }
}

/// The CSV headers of DESIGN §6, in the order an import from another system goes.
pub const IMPORT_HEADERS: [(&str, &str); 5] = [
    (
        "patients",
        "chart_no,name,phone,birth_date,sex,first_visit,referral_source,referrer_chart_no,tags,note",
    ),
    ("appointments", "chart_no,start,duration_min,provider,treatment,status,booked_at"),
    (
        "inquiries",
        "received_at,caller_name,phone,channel,topic,questions,referral_source,referrer_chart_no,outcome,note",
    ),
    (
        "consultations",
        "chart_no,name,phone,consulted_at,treatment,quoted_krw,offered_krw,status,recall_on,reaction,note",
    ),
    ("complaints", "chart_no,raised_at,category,description,status,resolved_at,resolution"),
];

fn names(s: &str) -> Vec<String> {
    s.split([',', '，', '、']).map(crate::domain::text::clean).filter(|n| !n.is_empty()).collect()
}

/// Writes what the setup asked, in one transaction. Field errors keep the form open.
fn save(form: &mut Form, store: &mut Store, today: chrono::NaiveDate) -> Result<(), StoreError> {
    let lang = form.lang;
    // The opening hours (required), Saturday's and the lunch break (optional): each checked
    // the same way, the first wrong one marked and named.
    let checks = [
        ("hours", true, lang.pick("진료시간을 확인해 주세요", "Check the hours")),
        ("saturday_hours", false, lang.pick("토요일 시간을 확인해 주세요", "Check Saturday's hours")),
        ("lunch", false, lang.pick("점심시간을 확인해 주세요", "Check the lunch break")),
    ];
    for (field, required, say) in checks {
        let value = form.text(field);
        if (required || !value.is_empty())
            && let Err(m) = check_hours(&value)
        {
            form.set_error(field, m);
            return Err(StoreError::Invalid(say.into()));
        }
    }
    let [hours, sat, lunch] = ["hours", "saturday_hours", "lunch"].map(|f| form.text(f));
    let parking = form.text("parking");
    let directors = names(&form.text("directors"));
    let desk = names(&form.text("desk"));
    let mut all = directors.clone();
    all.extend(desk.iter().cloned());
    all.sort();
    if let Some(w) = all.windows(2).find(|w| w[0] == w[1]) {
        form.set_error("desk", format!("{} {}", w[0], lang.pick("이(가) 두 번 있습니다", "is listed twice")));
        return Err(StoreError::Invalid(lang.pick("이름이 겹칩니다", "A name is listed twice").into()));
    }
    let details = crate::desk::settings::ClinicDetails {
        kind: form.picked("kind").and_then(|k| ClinicKind::parse(&k)).unwrap_or(ClinicKind::Hanui),
        name: form.text("name"),
        lang: lang.code().to_string(),
        open_days: form.picked_all("open_days").join(","),
        hours,
        saturday_hours: sat,
        lunch,
        parking,
    };
    crate::desk::settings::first_run(store, &details, &directors, &desk, today).map_err(into_store_error)
}

/// The form shows the reason as the store words it (busy, full, a refused name).
fn into_store_error(e: crate::desk::DeskError) -> StoreError {
    match e {
        crate::desk::DeskError::Store(e) => e,
        other => StoreError::Invalid(other.to_string()),
    }
}

fn mark_done(store: &mut Store) -> Result<(), StoreError> {
    crate::desk::settings::skip_first_run(store).map_err(into_store_error)
}
