//! The app's vocabulary: the tabs, how the app was asked to run, what tabs and overlays may
//! use while handling a key ([`Ctx`]) and while drawing ([`View`]), and what the booking form
//! starts with. A leaf: it imports nothing else from `app`.

use chrono::{NaiveDate, NaiveDateTime};

use super::theme::Theme;
use crate::domain::Lang;
use crate::store::Store;
use crate::store::catalog::Catalog;

/// The five tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TabId {
    Today,
    Huddle,
    Callbacks,
    Inquiries,
    Okr,
}

impl TabId {
    pub const ALL: [TabId; 5] = [TabId::Today, TabId::Huddle, TabId::Callbacks, TabId::Inquiries, TabId::Okr];

    pub fn index(self) -> usize {
        TabId::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }

    pub fn code(self) -> &'static str {
        match self {
            TabId::Today => "today",
            TabId::Huddle => "huddle",
            TabId::Callbacks => "callbacks",
            TabId::Inquiries => "inquiries",
            TabId::Okr => "okr",
        }
    }

    pub fn title(self, lang: Lang) -> &'static str {
        match self {
            TabId::Today => lang.pick("차트 리뷰", "Today"),
            TabId::Huddle => lang.pick("진료 전 10분", "Huddle"),
            TabId::Callbacks => lang.pick("리콜/가망", "Callbacks"),
            TabId::Inquiries => lang.pick("전화 문의", "Inquiries"),
            TabId::Okr => "OKR",
        }
    }

    /// Accepts the code, a number 1-5, or the Korean title.
    pub fn parse(s: &str) -> Option<TabId> {
        let t = s.trim().to_lowercase();
        TabId::ALL.iter().copied().find(|tab| {
            tab.code() == t
                || (tab.index() + 1).to_string() == t
                || tab.title(Lang::Ko).replace(' ', "") == t.replace(' ', "")
        })
    }
}

/// How the app was asked to run.
#[derive(Debug, Clone)]
pub struct AppOptions {
    pub lang: Lang,
    pub tab: TabId,
    pub mask: bool,
    /// The shared huddle screen: large timer, high contrast, masked, read-only.
    pub presentation: bool,
    /// A fixed clock (tests, screenshots). `None` follows the wall clock.
    pub fixed_now: Option<NaiveDateTime>,
    /// How the database file is named in the status line.
    pub db_label: String,
}

/// What tabs may use while handling a command.
pub struct Ctx<'a> {
    pub store: &'a mut Store,
    pub catalog: &'a Catalog,
    pub lang: Lang,
    pub now: NaiveDateTime,
    pub mask: bool,
    /// The shared huddle screen (`frontdesk huddle`).
    pub presentation: bool,
}

impl Ctx<'_> {
    pub fn today(&self) -> NaiveDate {
        self.now.date()
    }
}

/// What drawing needs besides a tab's own state.
#[derive(Debug, Clone, Copy)]
pub struct View<'a> {
    pub lang: Lang,
    pub theme: &'a Theme,
    pub now: NaiveDateTime,
    pub mask: bool,
    pub catalog: &'a Catalog,
    /// The shared huddle screen (`frontdesk huddle`).
    pub presentation: bool,
    /// The clinic's names, looked for inside free text when `mask` is on (empty otherwise).
    pub mask_names: &'a crate::domain::mask::NameSet,
}

impl View<'_> {
    /// Free text (notes, reactions, complaints, inquiry notes, Q&A) as it may be drawn: with
    /// the clinic's names and the phone numbers inside it masked when masking applies. Every
    /// free text a screen draws goes through here.
    pub fn free(&self, text: &str) -> String {
        if self.mask { crate::domain::mask::mask_text(text, self.mask_names) } else { text.to_string() }
    }

    /// A treatment's label in the screen's language; empty when there is none.
    pub fn treatment(&self, code: Option<&str>) -> String {
        code.map(|c| self.catalog.treatment_label(c, self.lang)).unwrap_or_default()
    }

    /// A staff member's name; empty when there is none (or it is no longer known).
    pub fn staff(&self, id: Option<i64>) -> &str {
        id.and_then(|id| self.catalog.staff_name(id)).unwrap_or("")
    }
}

/// What the booking form starts with. Anything left `None` is asked. Saved in the booking
/// form's draft.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BookingRequest {
    /// An existing patient; `None` registers a new one from the form.
    pub patient_id: Option<i64>,
    /// For a new patient: what is already known (from an inquiry).
    pub name: String,
    pub phone: String,
    pub referral_source: Option<String>,
    pub referrer_id: Option<i64>,
    pub provider_id: Option<i64>,
    pub treatment_code: Option<String>,
    pub date: Option<NaiveDate>,
    /// The visit's length in minutes (a rebooked cancellation keeps its own); `None` takes
    /// the patient's last length or the treatment's default.
    #[serde(default)]
    pub duration_min: Option<i64>,
    /// Links back to where the booking came from.
    pub inquiry_id: Option<i64>,
    /// An existing appointment to move or edit instead of booking a new one.
    pub appointment_id: Option<i64>,
    pub callback_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    Info(String),
    Error(String),
}
