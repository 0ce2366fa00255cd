//! The keymap's types: a key, where a binding applies, what a key can ask for, one table row.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::jamo::{DUBEOLSIK, latin_key};
use crate::domain::Lang;

/// A key with its modifiers, as written in the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    pub const fn plain(code: KeyCode) -> Key {
        Key { code, mods: KeyModifiers::NONE }
    }
    pub const fn ch(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }
    pub const fn ctrl(c: char) -> Key {
        Key { code: KeyCode::Char(c), mods: KeyModifiers::CONTROL }
    }

    /// Matches a key event. Shift is folded into the character for letters and symbols, so
    /// `G` matches whether or not the terminal reports SHIFT with it.
    pub fn matches(&self, ev: &KeyEvent) -> bool {
        // In 한글 mode a key sends its jamo: it still means the Latin key at that position.
        let ev = &latin_key(ev);
        let mut mods = ev.modifiers - KeyModifiers::SHIFT;
        if matches!(ev.code, KeyCode::BackTab) {
            mods = ev.modifiers - KeyModifiers::SHIFT;
        }
        let want = self.mods - KeyModifiers::SHIFT;
        match (self.code, ev.code) {
            (KeyCode::Char(a), KeyCode::Char(b)) => {
                if want.contains(KeyModifiers::CONTROL) {
                    mods == want && a.eq_ignore_ascii_case(&b)
                } else {
                    mods == want && a == b
                }
            }
            (a, b) => a == b && mods == want,
        }
    }

    /// How the key is written in help and footer.
    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::Up => "Up".into(),
            KeyCode::Down => "Down".into(),
            KeyCode::Left => "Left".into(),
            KeyCode::Right => "Right".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::Backspace => "Bksp".into(),
            KeyCode::Delete => "Del".into(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        };
        if self.mods.contains(KeyModifiers::CONTROL) {
            format!("Ctrl-{}", base.to_uppercase())
        } else if self.mods.contains(KeyModifiers::ALT) {
            format!("Alt-{base}")
        } else {
            base
        }
    }
}

/// Where a binding applies. Global bindings apply on every tab unless an overlay or form has
/// the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    Global,
    List,
    Today,
    Huddle,
    Callbacks,
    Inquiries,
    Okr,
    Form,
    Search,
    /// The patient card (issue 19: a place to work from).
    Card,
    Settings,
    Help,
    /// The shared huddle screen (`frontdesk huddle`): only these keys work there.
    SharedScreen,
    /// The patient card's money keys: payment, package sale, refund, correction (issue 21).
    CardMoney,
    /// The OKR tab's revenue report (`r`): grouping, period, back to the board.
    OkrReport,
}

impl Context {
    pub fn title(self, lang: Lang) -> &'static str {
        match self {
            Context::Global => lang.pick("전체", "Everywhere"),
            Context::List => lang.pick("목록", "Lists"),
            Context::Today => lang.pick("차트 리뷰", "Today"),
            Context::Huddle => lang.pick("진료 전 10분", "Huddle"),
            Context::Callbacks => lang.pick("리콜", "Callbacks"),
            Context::Inquiries => lang.pick("전화 문의", "Inquiries"),
            Context::Okr => "OKR",
            Context::Form => lang.pick("입력 양식", "Forms"),
            Context::Search => lang.pick("환자 검색", "Patient search"),
            Context::Card => lang.pick("환자 카드", "Patient card"),
            Context::Settings => lang.pick("설정", "Settings"),
            Context::Help => lang.pick("도움말", "Help"),
            Context::SharedScreen => lang.pick("공유 화면", "Shared screen"),
            Context::CardMoney => lang.pick("환자 카드: 수납", "Patient card: money"),
            Context::OkrReport => lang.pick("OKR: 매출 보고서", "OKR: revenue report"),
        }
    }
}

/// Everything a key can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    Quit,
    Help,
    NextTab,
    PrevTab,
    GoTab(u8),
    PatientSearch,
    Settings,
    /// Who is at this terminal (the staff pick list).
    PickStaff,
    // Settings
    /// Acknowledge the outside changes recorded (audited, asks first).
    Acknowledge,
    NextSection,
    PrevSection,
    Retire,
    Delete,
    // Lists
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Open,
    Back,
    Filter,
    New,
    Edit,
    // Today
    Arrived,
    Done,
    NoShow,
    Cancel,
    Confirm,
    Undo,
    Move,
    Note,
    Sticker,
    Complaint,
    PrevDay,
    NextDay,
    GoToday,
    FilterProvider,
    FilterSticker,
    // Huddle
    TimerToggle,
    SectionPrev,
    SectionNext,
    AssignAction,
    TickAction,
    Unmask,
    History,
    // Callbacks
    LogContact,
    Snooze,
    FilterKind,
    FilterOwner,
    Consultation,
    /// The texts due today: preview, then one key sends them (issue 20).
    Texts,
    /// A free text to the selected callback's person.
    FreeText,
    // Inquiries
    Report,
    QaManual,
    // OKR
    CheckIn,
    AddKeyResult,
    /// The card: the patient's opt-out from texts recorded or lifted.
    OptOut,
    /// The card: the patient's marketing consent recorded (today) or withdrawn.
    MarketingConsent,
    /// Today: the visits past their time marked no-show, after one confirm (issue 19).
    EndOfDay,
    /// Book the selected patient (search result, callback): last 원장 and treatment filled in.
    Book,
    /// Inquiries: correct the selected saved inquiry (its fields and outcome, audited).
    Correct,
    // The patient card's money (issue 21)
    RecordPayment,
    SellPackage,
    Refund,
    CorrectPayment,
    // Forms
    NextField,
    PrevField,
    /// Enter in a form: the next field, or save on the last one.
    FieldEnter,
    Save,
    Cancelled,
    // Help
    Close,
}

/// One row of the table.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub keys: &'static [Key],
    pub command: Command,
    pub ko: &'static str,
    pub en: &'static str,
    /// Shown in the footer of its context (the help overlay shows every binding).
    pub footer: bool,
}

impl Binding {
    pub fn describe(&self, lang: Lang) -> &'static str {
        lang.pick(self.ko, self.en)
    }
    pub fn keys_label(&self) -> String {
        self.keys.iter().map(Key::label).collect::<Vec<_>>().join("/")
    }

    /// The keys as help lists them: each letter key with the jamo on its place of the 두벌식
    /// layout, which works the same in 한글 mode (`a/ㅁ`).
    pub fn help_label(&self) -> String {
        let mut out = Vec::new();
        for k in self.keys {
            out.push(k.label());
            if let (KeyCode::Char(c), true) = (k.code, k.mods.is_empty())
                && let Some((j, _)) = DUBEOLSIK.iter().find(|(_, l)| *l == c)
            {
                out.push(j.to_string());
            }
        }
        out.join("/")
    }
}

impl Command {
    /// True for the commands that change the database: a read-only screen refuses them up
    /// front, saying why, instead of opening a form that cannot be saved.
    pub fn writes(self) -> bool {
        matches!(
            self,
            Command::New
                | Command::Edit
                | Command::Delete
                | Command::Retire
                | Command::Arrived
                | Command::Done
                | Command::NoShow
                | Command::Cancel
                | Command::Confirm
                | Command::Undo
                | Command::Move
                | Command::Note
                | Command::Sticker
                | Command::Complaint
                | Command::AssignAction
                | Command::TickAction
                | Command::LogContact
                | Command::Snooze
                | Command::Consultation
                | Command::CheckIn
                | Command::AddKeyResult
                | Command::Book
                | Command::Correct
        )
    }
}
