//! The terminal UI: state, the event loop (`update(state, action)`), and drawing.
//!
//! State, actions and rendering are kept apart: keys become [`Command`]s through the one
//! keymap table, commands change state (and, through the store, the database), and drawing
//! reads state and nothing else. Queries run on actions, never while drawing.

pub mod booking;
pub mod card;
pub mod day_grid;
pub mod findings;
pub mod form;
pub mod help;
pub mod keymap;
pub mod search;
pub mod settings;
pub mod setup;
pub mod staff_pick;
pub mod svg;
pub mod tabs;
pub mod theme;
pub mod widgets;

use std::io::Write;
use std::time::{Duration, Instant};

use chrono::{NaiveDate, NaiveDateTime};
use crossterm::event::{self, Event, KeyEvent, KeyEventKind};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::domain::Lang;
use crate::store::catalog::Catalog;
use crate::store::{self, Store};
use keymap::{Command, Context};
use theme::Theme;

/// How often the tick writes the open form's draft. Every way a session ends (quit, hang-up,
/// terminal gone, panic) writes it at once; this bounds what a power cut or SIGKILL can take,
/// while other terminals, which reload on every commit, are not kept reloading as someone types.
pub const DRAFT_EVERY: Duration = Duration::from_secs(5);

/// The smallest window every screen is laid out for.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

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
}

/// What handling a key led to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Not for this tab; the app may try its own bindings.
    Ignored,
    /// Handled; redraw.
    Handled,
    /// The database changed: every tab reloads.
    Changed,
    /// Show a message in the footer.
    Message(String),
    /// Show an error in the footer; the form (if any) stays open.
    Error(String),
    /// Open the patient card.
    OpenPatient(i64),
    /// Open the booking form (from Today, an inquiry, a callback ~).
    Book(BookingRequest),
}

/// What the booking form starts with. Anything left `None` is asked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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

/// The whole app's state.
pub struct App {
    pub store: Store,
    pub catalog: Catalog,
    pub opts: AppOptions,
    pub active: TabId,
    pub tabs: tabs::Tabs,
    pub help: Option<help::HelpState>,
    /// The admin's settings screen, over any tab.
    pub settings: Option<settings::SettingsState>,
    /// The first-run setup of a new, empty database.
    pub first_run: Option<setup::FirstRun>,
    /// App-level overlays, over any tab: the booking form, patient search, the patient card.
    pub booking: Option<booking::Booking>,
    pub search: Option<search::SearchView>,
    pub card: Option<card::CardView>,
    /// Who is at this terminal: the pick list, over everything (see [`staff_pick`]).
    pub staff_pick: Option<staff_pick::StaffPick>,
    /// Esc was pressed on the pick list a save opened: saves go ahead with the OS user only.
    staff_declined: bool,
    pub notice: Option<Notice>,
    pub clinic_name: String,
    pub quit: bool,
    /// A draft left by an earlier run, offered before anything else.
    pub pending_draft: Option<store::drafts::Draft>,
    /// This terminal's session: the owner of the drafts it saves (store::drafts).
    pub session: store::drafts::Session,
    /// Drafts of ended sessions still to offer, one after another, when no form is open.
    orphan_drafts: std::collections::VecDeque<store::drafts::Draft>,
    /// The draft as last saved, to save only when it changes.
    saved_draft: Option<(String, String)>,
    /// When the draft was last written on the tick (see [`DRAFT_EVERY`]).
    last_draft_write: Option<Instant>,
    data_version: i64,
    /// This connection's write count at the last reload: a tab that wrote and answered with
    /// a message (not `Changed`) still makes every tab reload.
    changes_seen: u64,
    /// Tabs whose state predates the last change: only the tab on screen reloads at once,
    /// the others when they are shown (a change at the desk must not wait for the huddle's
    /// dropout scoring or the OKR board).
    stale: [bool; 5],
    dirty: bool,
    last_clock_minute: i64,
    /// The key that saved a form while another terminal held the write lock: pressed again
    /// on the next tick, so the form is saved as soon as the other terminal is done.
    retry_save: Option<KeyEvent>,
    /// The clinic's names, looked for in messages when the screen is masked (`--mask`).
    mask_names: crate::domain::mask::NameSet,
    /// Single-key actions (arrived, done, cancel …) that met another terminal's write lock,
    /// in the order they were pressed, each with the row it was pressed on: applied by the
    /// tick as soon as the lock is released.
    queued: std::collections::VecDeque<QueuedAction>,
    /// Today's automatic callbacks could not be written (another terminal held the lock):
    /// the tick tries again, without ever making the screen wait.
    automatic_pending: bool,
    /// `q` was pressed once while actions were queued (see [`Command::Quit`]).
    quit_armed: bool,
    /// `q` or Ctrl-C was pressed with a form's input unsaved: y quits (the draft is kept),
    /// n or Esc stays.
    quit_asked: bool,
}

/// A single-key action waiting for another terminal's write lock (see [`App::queued_count`]).
#[derive(Debug, Clone, Copy)]
struct QueuedAction {
    tab: TabId,
    command: Command,
    /// The row it was pressed on ([`tabs::Tab::selected_key`]).
    target: Option<i64>,
}

/// How long an interactive write waits for another terminal before the form says it is
/// waiting (and the tick tries again): short, so the screen never freezes for long.
pub const INTERACTIVE_BUSY_TIMEOUT: Duration = Duration::from_millis(300);

impl App {
    pub fn new(store: Store, opts: AppOptions) -> store::Result<App> {
        let catalog = Catalog::load(&store)?;
        let clinic_name = store.setting("clinic_name")?.unwrap_or_default();
        let data_version = store.data_version()?;
        store::set_message_lang(opts.lang);
        let mut store = store;
        if let Some(now) = opts.fixed_now {
            store.set_clock(store::Clock::Fixed(now));
        }
        store.set_busy_timeout(INTERACTIVE_BUSY_TIMEOUT)?;
        let session = if store.access() == store::Access::ReadWrite && !opts.presentation {
            store::drafts::Session::start(store.path())
        } else {
            store::drafts::Session::without_drafts(store.path())
        };
        // The app never waits on a write for long: it keeps the form, or queues the action,
        // and tries again on the tick.
        store.give_up_when_busy();
        // The staff member picked earlier in this terminal, unless the config names one.
        if store.access() == store::Access::ReadWrite && !opts.presentation && store.actor().staff.is_empty()
        {
            if let Some(name) = store::drafts::remembered_staff(store.path()) {
                if catalog.staff.iter().any(|s| s.active && s.name == name) {
                    store.set_staff(&name);
                }
            }
        }
        let mut app = App {
            store,
            session,
            orphan_drafts: Default::default(),
            catalog,
            active: opts.tab,
            opts,
            tabs: tabs::Tabs::default(),
            help: None,
            settings: None,
            first_run: None,
            booking: None,
            search: None,
            card: None,
            staff_pick: None,
            staff_declined: false,
            notice: None,
            clinic_name,
            quit: false,
            pending_draft: None,
            saved_draft: None,
            last_draft_write: None,
            data_version,
            changes_seen: 0,
            stale: [true; 5],
            dirty: true,
            last_clock_minute: -1,
            retry_save: None,
            mask_names: Default::default(),
            queued: Default::default(),
            automatic_pending: false,
            quit_armed: false,
            quit_asked: false,
        };
        app.reload_all();
        app.last_clock_minute = app.now().and_utc().timestamp() / 60;
        if app.store.access() == store::Access::ReadWrite && !app.opts.presentation {
            app.orphan_drafts = app.store.orphan_drafts(&app.session)?.into();
            app.offer_next_orphan();
            if setup::needed(&app.store) {
                app.first_run = Some(setup::FirstRun::new(app.opts.lang, app.now().date()));
            }
        }
        Ok(app)
    }

    pub fn now(&self) -> NaiveDateTime {
        self.opts.fixed_now.unwrap_or_else(|| self.store.now())
    }

    pub fn theme(&self) -> &'static Theme {
        if self.opts.presentation { &theme::PRESENTATION } else { &theme::THEME }
    }

    fn ctx_parts(&mut self) -> (Ctx<'_>, &mut tabs::Tabs) {
        let now = self.now();
        let ctx = Ctx {
            store: &mut self.store,
            catalog: &self.catalog,
            lang: self.opts.lang,
            now,
            mask: self.opts.mask || self.opts.presentation,
            presentation: self.opts.presentation,
        };
        (ctx, &mut self.tabs)
    }

    /// Reloads the catalog and every tab (after a change here or in another process).
    pub fn reload_all(&mut self) {
        // Today's automatic callbacks (reminders for tomorrow, happy calls) are made before
        // the tabs read, so every tab sees them; it reads first and writes only when there is
        // something to do, and skips a read-only store.
        self.generate_automatic();
        match Catalog::load(&self.store) {
            Ok(c) => self.catalog = c,
            Err(e) => self.notice = Some(Notice::Error(e.to_string())),
        }
        if self.opts.mask || self.opts.presentation {
            match store::names::masking_names(&self.store) {
                Ok(names) => self.mask_names = names,
                Err(e) => self.notice = Some(Notice::Error(e.to_string())),
            }
        }
        if let Ok(Some(name)) = self.store.setting("clinic_name") {
            self.clinic_name = name;
        }
        self.stale = [true; 5];
        self.refresh_active();
        if let Some(s) = &mut self.settings {
            let _ = s.reload(&self.store);
        }
        self.data_version = self.store.data_version().unwrap_or(self.data_version);
        self.changes_seen = self.store.total_changes();
        self.update_staff_gate();
        self.dirty = true;
    }

    /// Writes ask who is at this terminal first while nobody is named or picked, on the desk
    /// (never on the shared screen), once the clinic has staff to pick from and until Esc on
    /// the list said to go ahead without a name.
    fn update_staff_gate(&mut self) {
        let ask = self.asks_for_staff_name() && !self.staff_declined && self.first_run.is_none();
        self.store.ask_for_staff(ask);
    }

    /// True while the header says nobody is picked: the desk, with no name from the config,
    /// the environment or the pick list.
    pub fn asks_for_staff_name(&self) -> bool {
        !self.opts.presentation
            && self.store.access() == store::Access::ReadWrite
            && self.store.actor().staff.is_empty()
            && self.catalog.staff.iter().any(|s| s.active)
    }

    /// Opens the pick list of the clinic's active staff; `replay` is what met the question.
    pub fn open_staff_pick(&mut self, replay: Option<staff_pick::Replay>) {
        self.staff_pick = Some(staff_pick::StaffPick::new(&self.catalog, &self.store.actor().staff, replay));
        self.dirty = true;
    }

    fn staff_pick_key(&mut self, key: &KeyEvent) {
        let Some(pick) = &mut self.staff_pick else { return };
        let event = pick.on_key(key);
        let replay = pick.replay;
        let lang = self.opts.lang;
        match event {
            staff_pick::PickEvent::Open => {}
            staff_pick::PickEvent::Picked(name) => {
                self.staff_pick = None;
                self.store.set_staff(&name);
                self.update_staff_gate();
                self.notice = Some(match store::drafts::remember_staff(self.store.path(), &name) {
                    Ok(()) => Notice::Info(match lang {
                        crate::domain::Lang::Ko => {
                            format!("이 단말기의 직원: {name} (기록에 이 이름이 남습니다)")
                        }
                        crate::domain::Lang::En => {
                            format!("At this terminal: {name} (the records carry this name)")
                        }
                    }),
                    Err(e) => Notice::Error(match lang {
                        crate::domain::Lang::Ko => {
                            format!("직원 {name}을(를) 골랐지만 다음 실행을 위해 기억하지 못했습니다: {e}")
                        }
                        crate::domain::Lang::En => {
                            format!("Picked {name}, but it could not be remembered for the next start: {e}")
                        }
                    }),
                });
                self.replay(replay);
            }
            staff_pick::PickEvent::Left => {
                self.staff_pick = None;
                if replay.is_some() {
                    // Esc before a save: the save goes ahead, stamped with the OS user only.
                    self.staff_declined = true;
                    self.update_staff_gate();
                    self.replay(replay);
                    if !matches!(self.notice, Some(Notice::Error(_))) {
                        let os = self.store.actor().os_user.clone();
                        self.notice = Some(Notice::Info(match lang {
                            crate::domain::Lang::Ko => format!(
                                "직원 이름 없이 저장했습니다 (기록에는 OS 사용자 {os}만 남습니다) - F2로 직원을 고르세요"
                            ),
                            crate::domain::Lang::En => format!(
                                "Saved without a staff name (the record has the OS user {os} only) - F2 picks who you are"
                            ),
                        }));
                    }
                }
            }
        }
        self.dirty = true;
    }

    fn replay(&mut self, replay: Option<staff_pick::Replay>) {
        match replay {
            Some(staff_pick::Replay::Key(k)) => self.on_key(k),
            Some(staff_pick::Replay::Command(c)) => self.on_command(c),
            None => {}
        }
    }

    /// Reloads one tab from the database now, whether stale or not.
    pub fn reload_tab(&mut self, id: TabId) -> store::Result<()> {
        let (mut ctx, tabs) = self.ctx_parts();
        let result = tabs.get_mut(id).reload(&mut ctx);
        self.stale[id.index()] = false;
        result
    }

    /// Reloads the tab on screen when a change since its last load made it stale.
    fn refresh_active(&mut self) {
        if self.stale[self.active.index()] {
            if let Err(e) = self.reload_tab(self.active) {
                self.notice = Some(Notice::Error(e.to_string()));
            }
        }
    }

    /// Puts `tab` on screen, loading it first when it is stale.
    pub fn show_tab(&mut self, tab: TabId) {
        self.active = tab;
        self.refresh_active();
        self.dirty = true;
    }

    /// True when `tab` must reload before it is shown.
    pub fn is_stale(&self, tab: TabId) -> bool {
        self.stale[tab.index()]
    }

    /// The contexts whose bindings apply now, most specific first.
    pub fn contexts(&self) -> Vec<Context> {
        if self.help.is_some() {
            return vec![Context::Help];
        }
        if self.opts.presentation {
            return vec![Context::SharedScreen];
        }
        if self.first_run.is_some() {
            return vec![Context::Form];
        }
        if let Some(s) = &self.settings {
            return vec![s.keyboard_context()];
        }
        if self.booking.is_some() {
            return vec![Context::Form];
        }
        if self.search.is_some() {
            return vec![Context::Search];
        }
        if self.card.is_some() {
            return vec![Context::List];
        }
        let tab = self.tabs.get(self.active);
        if tab.keyboard_grabbed() {
            return vec![Context::Form];
        }
        vec![tab.context(), Context::List, Context::Global]
    }

    /// Handles one key press.
    pub fn on_key(&mut self, key: KeyEvent) {
        // Only presses count: Windows terminals also report releases.
        if key.kind != KeyEventKind::Press {
            return;
        }
        if self.staff_pick.is_some() {
            self.staff_pick_key(&key);
            return;
        }
        if key.code == staff_pick::KEY
            && !self.opts.presentation
            && self.help.is_none()
            && self.pending_draft.is_none()
            && self.first_run.is_none()
        {
            self.open_staff_pick(None);
            return;
        }
        // A change refused because nobody is picked here: ask, then press the key again.
        let refused = self.store.staff_refusals();
        self.handle_key(key);
        if self.store.staff_refusals() != refused {
            self.open_staff_pick(Some(staff_pick::Replay::Key(key)));
        }
    }

    fn handle_key(&mut self, key: KeyEvent) {
        self.dirty = true;
        self.retry_save = None;
        if self.quit_asked {
            self.answer_quit(&key);
            return;
        }
        // Ctrl-C quits like q, from anywhere, even a text field (raw mode sends it as a key).
        if key.code == crossterm::event::KeyCode::Char('c')
            && key.modifiers.contains(crossterm::event::KeyModifiers::CONTROL)
        {
            self.command(Command::Quit);
            return;
        }
        if self.pending_draft.is_some() {
            self.answer_draft_prompt(&key);
            return;
        }
        if let Some(help) = &mut self.help {
            match keymap::lookup(&[Context::Help], &key) {
                Some(Command::Close) => self.help = None,
                Some(command) => help.on_command(command),
                _ => {}
            }
            return;
        }
        let today = self.now().date();
        let busy_before = self.store.busy_count();
        if let Some(first_run) = &mut self.first_run {
            match self.store.without_staff_gate(|s| first_run.on_key(&key, s, today)) {
                setup::Exit::Stay => {}
                setup::Exit::Changed => self.reload_all(),
                setup::Exit::Done => {
                    self.first_run = None;
                    self.active = TabId::Today;
                    self.reload_all();
                }
                setup::Exit::Demo => {
                    self.first_run = None;
                    self.reload_all();
                    self.notice = Some(Notice::Info(
                        self.opts
                            .lang
                            .pick(
                                "데모 병원: 종료(q) 후 frontdesk --demo 로 여세요",
                                "Demo clinic: quit (q) and run frontdesk --demo",
                            )
                            .into(),
                    ));
                }
            }
            self.note_busy_admin_save(key, busy_before);
            return;
        }
        if let Some(settings) = &mut self.settings {
            match settings.on_key(&key, &mut self.store) {
                Outcome::Ignored => self.settings = None,
                Outcome::Changed => self.reload_all(),
                _ => {}
            }
            self.note_busy_admin_save(key, busy_before);
            return;
        }
        if self.booking.is_some() || self.search.is_some() || self.card.is_some() {
            self.overlay_key(&key);
            self.note_busy_save(key);
            return;
        }
        let active = self.active;
        if self.tabs.get(active).keyboard_grabbed() {
            let (mut ctx, tabs) = self.ctx_parts();
            let outcome = tabs.get_mut(active).on_key(&key, &mut ctx);
            self.apply(outcome);
            self.forget_closed_draft();
            self.note_busy_save(key);
            return;
        }
        let contexts = self.contexts();
        if self.opts.presentation {
            // The shared screen: its own few keys, nothing else reaches a tab.
            if let Some(command) = keymap::lookup(&contexts, &key) {
                self.command(command);
            }
            return;
        }
        let Some(command) = keymap::lookup(&contexts, &key) else {
            // Keys with no binding may still mean something to the tab (typing a filter).
            let (mut ctx, tabs) = self.ctx_parts();
            let outcome = tabs.get_mut(active).on_key(&key, &mut ctx);
            self.apply(outcome);
            return;
        };
        self.command(command);
    }

    /// Handles a paste (bracketed paste): its text goes into the focused text field and is
    /// never run as keys. On a list, a pick list or a prompt there is no text field to take
    /// it (a pasted `x` must not mark a no-show), so it is dropped with a short notice.
    pub fn on_paste(&mut self, text: &str) {
        self.dirty = true;
        // The caret is drawn only in a focused text field (forms, search, filters).
        if self.cursor().is_none() {
            self.notice = Some(Notice::Info(
                self.opts
                    .lang
                    .pick(
                        "붙여넣기는 입력칸에서만 됩니다 - 무시했습니다",
                        "Paste goes into a text field only - ignored",
                    )
                    .into(),
            ));
            return;
        }
        // The fields hold one line: line breaks and tabs become spaces, controls are dropped.
        for c in pasted_line(text).chars() {
            self.on_key(KeyEvent::from(crossterm::event::KeyCode::Char(c)));
        }
    }

    /// Handles a command, from a key or from a test.
    pub fn on_command(&mut self, command: Command) {
        let refused = self.store.staff_refusals();
        self.command(command);
        if self.store.staff_refusals() != refused && self.staff_pick.is_none() {
            self.open_staff_pick(Some(staff_pick::Replay::Command(command)));
        }
    }

    fn command(&mut self, command: Command) {
        self.dirty = true;
        self.notice = None;
        if command != Command::Quit {
            self.quit_armed = false;
        }
        match command {
            Command::Quit if !self.quit_armed && !self.quit_asked && !self.unsaved_forms().is_empty() => {
                self.quit_asked = true;
                self.notice = Some(Notice::Error(self.quit_question()));
            }
            Command::Quit => {
                self.quit_asked = false;
                // Actions still waiting for another terminal's lock are not dropped silently:
                // the first q says so, a second q quits without them.
                if self.flush_queue() || self.quit_armed {
                    self.quit = true;
                } else {
                    self.quit_armed = true;
                    let n = self.queued.len();
                    self.notice = Some(Notice::Error(match self.opts.lang {
                        crate::domain::Lang::Ko => format!(
                            "작업 {n}개가 아직 저장을 기다립니다 (다른 단말기가 저장 중) - 기다리거나, q를 한 번 더 누르면 저장하지 않고 끝냅니다"
                        ),
                        crate::domain::Lang::En => format!(
                            "{n} action{} still waiting to save (another terminal holds the database) - wait, or press q again to quit without {}",
                            if n == 1 { " is" } else { "s are" },
                            if n == 1 { "it" } else { "them" }
                        ),
                    }));
                }
            }
            Command::Help => self.help = Some(help::HelpState::default()),
            Command::PickStaff if !self.opts.presentation => self.open_staff_pick(None),
            Command::Settings => {
                if self.store.access() == store::Access::ReadOnly {
                    self.notice = Some(Notice::Error(
                        self.opts
                            .lang
                            .pick(
                                "읽기 전용으로 열려 설정을 바꿀 수 없습니다",
                                "Opened read-only: settings cannot be changed",
                            )
                            .into(),
                    ));
                } else {
                    match settings::SettingsState::open(&self.store, self.opts.lang, self.now().date()) {
                        Ok(s) => self.settings = Some(s),
                        Err(e) => self.notice = Some(Notice::Error(e.to_string())),
                    }
                }
            }
            Command::PatientSearch => self.search = Some(search::SearchView::default()),
            Command::NextTab => self.show_tab(TabId::ALL[(self.active.index() + 1) % 5]),
            Command::PrevTab => self.show_tab(TabId::ALL[(self.active.index() + 4) % 5]),
            Command::GoTab(i) => self.show_tab(TabId::ALL[(i as usize).min(4)]),
            // A read-only file: say why at the key, not after a whole form is typed. (The
            // shared huddle screen keeps its own words: assign actions on the desk screen.)
            other
                if other.writes()
                    && self.store.access() == store::Access::ReadOnly
                    && !self.opts.presentation =>
            {
                self.notice = Some(Notice::Error(read_only_notice(&self.store, self.opts.lang).into()));
            }
            other => {
                let active = self.active;
                let target = self.tabs.get(active).selected_key();
                // Actions already waiting go first; while they still wait, this one does not
                // wait at all: it joins the queue at once when it is a write.
                let waiting = !self.queued.is_empty() && !self.flush_queue();
                if waiting {
                    let _ = self.store.set_busy_timeout(Duration::ZERO);
                }
                let busy_before = self.store.busy_count();
                let (mut ctx, tabs) = self.ctx_parts();
                let outcome = tabs.get_mut(active).on_command(other, &mut ctx);
                if waiting {
                    let _ = self.store.set_busy_timeout(INTERACTIVE_BUSY_TIMEOUT);
                }
                if self.store.busy_count() != busy_before
                    && self.open_form().is_none()
                    && !self.tabs.get(active).keyboard_grabbed()
                {
                    self.queued.push_back(QueuedAction { tab: active, command: other, target });
                    self.notice = Some(Notice::Info(self.queued_message()));
                    return;
                }
                self.apply(outcome);
            }
        }
    }

    /// How many single-key actions wait for another terminal's write lock.
    pub fn queued_count(&self) -> usize {
        self.queued.len()
    }

    fn queued_message(&self) -> String {
        let n = self.queued.len();
        match self.opts.lang {
            crate::domain::Lang::Ko => {
                format!("다른 단말기가 저장하는 중입니다: 작업 {n}개 대기 중 - 끝나면 저절로 저장됩니다")
            }
            crate::domain::Lang::En => format!(
                "Another terminal holds the database for writing: {n} action{} waiting, saved by itself when it is done",
                if n == 1 { "" } else { "s" }
            ),
        }
    }

    /// Applies the queued single-key actions in order, each to the row it was pressed on,
    /// without waiting for the lock; stops at the first that still meets it. True when none
    /// is left.
    fn flush_queue(&mut self) -> bool {
        if self.queued.is_empty() {
            return true;
        }
        let waiting_notice = Some(Notice::Info(self.queued_message()));
        let _ = self.store.set_busy_timeout(Duration::ZERO);
        let mut applied = 0;
        let mut lost = 0;
        while let Some(action) = self.queued.front().copied() {
            if self.stale[action.tab.index()] {
                let _ = self.reload_tab(action.tab);
            }
            let keep = self.tabs.get(action.tab).selected_key();
            if let Some(target) = action.target {
                if !self.tabs.get_mut(action.tab).select_key(target) {
                    // The row left the list (another day shown, or deleted elsewhere).
                    self.queued.pop_front();
                    lost += 1;
                    continue;
                }
            }
            let busy_before = self.store.busy_count();
            let (mut ctx, tabs) = self.ctx_parts();
            let outcome = tabs.get_mut(action.tab).on_command(action.command, &mut ctx);
            if let Some(k) = keep {
                self.tabs.get_mut(action.tab).select_key(k);
            }
            if self.store.busy_count() != busy_before {
                break;
            }
            self.queued.pop_front();
            applied += 1;
            self.apply(outcome);
        }
        let _ = self.store.set_busy_timeout(INTERACTIVE_BUSY_TIMEOUT);
        let lang = self.opts.lang;
        if lost > 0 {
            self.notice = Some(Notice::Error(match lang {
                crate::domain::Lang::Ko => {
                    format!("대기하던 작업 {lost}개는 적용하지 못했습니다: 그 예약이 지금 목록에 없습니다")
                }
                crate::domain::Lang::En => format!(
                    "{lost} waiting action{} not applied: the appointment is no longer in the list shown",
                    if lost == 1 { "" } else { "s" }
                ),
            }));
        } else if applied > 0 && self.queued.is_empty() && !matches!(self.notice, Some(Notice::Error(_))) {
            if self.notice.is_none() || self.notice == waiting_notice {
                self.notice = Some(Notice::Info(match lang {
                    crate::domain::Lang::Ko => format!("대기하던 작업 {applied}개를 저장했습니다"),
                    crate::domain::Lang::En => {
                        format!("Saved {applied} waiting action{}", if applied == 1 { "" } else { "s" })
                    }
                }));
            }
        } else if !self.queued.is_empty() {
            self.notice = Some(Notice::Info(self.queued_message()));
        }
        self.dirty = true;
        self.queued.is_empty()
    }

    /// Today's automatic callbacks (reminders for tomorrow, happy calls), made before the
    /// tabs read so every tab sees them. Never waits: when another terminal holds the write
    /// lock the tick tries again, and the screen goes on showing what is there.
    fn generate_automatic(&mut self) {
        let today = self.now().date();
        let _ = self.store.set_busy_timeout(Duration::ZERO);
        let result = self.store.without_staff_gate(|s| crate::desk::callbacks::generate_automatic(s, today));
        let _ = self.store.set_busy_timeout(INTERACTIVE_BUSY_TIMEOUT);
        self.automatic_pending = false;
        match result {
            Ok(_) => {}
            Err(e) if e.is_busy() => self.automatic_pending = true,
            Err(e) => self.notice = Some(Notice::Error(e.to_string())),
        }
    }

    fn apply(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Ignored | Outcome::Handled => {}
            Outcome::Changed => self.reload_all(),
            Outcome::Message(m) => {
                if self.store.total_changes() != self.changes_seen {
                    self.reload_all();
                }
                self.notice = Some(Notice::Info(m));
            }
            Outcome::Error(m) => self.notice = Some(Notice::Error(m)),
            Outcome::Book(request) => self.open_booking(request),
            Outcome::OpenPatient(id) => self.open_card(id),
        }
    }

    /// Opens the booking form over whatever is on screen.
    pub fn open_booking(&mut self, request: BookingRequest) {
        if self.store.access() == store::Access::ReadOnly {
            self.notice = Some(Notice::Error(store::StoreError::ReadOnly.to_string()));
            return;
        }
        let (ctx, _) = self.ctx_parts();
        match booking::Booking::new(request, &ctx) {
            Ok(b) => {
                self.card = None;
                self.booking = Some(b);
            }
            Err(e) => self.notice = Some(Notice::Error(e.to_string())),
        }
    }

    /// Opens the patient card; the opening is recorded in the audit log first.
    pub fn open_card(&mut self, patient_id: i64) {
        let result = if self.store.access() == store::Access::ReadOnly {
            // A read-only screen cannot record the view, so it does not show the card.
            Err(store::StoreError::ReadOnly)
        } else {
            self.store.open_card(patient_id)
        };
        match result {
            Ok(c) => {
                self.search = None;
                self.card = Some(card::CardView::new(c));
            }
            // The opening must be recorded first; nothing was typed, nothing is retried.
            Err(store::StoreError::Busy) => {
                self.notice = Some(Notice::Error(
                    self.opts
                        .lang
                        .pick(
                            "다른 단말기가 저장하는 중이라 환자 카드 열람을 기록하지 못했습니다 - 잠시 후 다시 여세요",
                            "Another terminal holds the database for writing, so opening the card could not be recorded - open it again in a moment",
                        )
                        .into(),
                ))
            }
            Err(e) => self.notice = Some(Notice::Error(e.to_string())),
        }
    }

    /// Keys while an app-level overlay is open: the booking form, then search, then the card.
    fn overlay_key(&mut self, key: &KeyEvent) {
        if let Some(mut b) = self.booking.take() {
            let (mut ctx, _) = self.ctx_parts();
            match b.on_key(key, &mut ctx) {
                booking::BookingEvent::Open => self.booking = Some(b),
                booking::BookingEvent::Closed => {
                    if let Some(msg) = b.closed_message(self.opts.lang) {
                        self.reload_all();
                        self.notice = Some(Notice::Info(msg));
                    }
                }
                booking::BookingEvent::Saved(msg) => {
                    self.reload_all();
                    self.notice = Some(Notice::Info(msg));
                }
            }
            self.forget_closed_draft();
            return;
        }
        if let Some(search) = &mut self.search {
            match search.on_key(key, &self.store) {
                search::SearchEvent::Open => {}
                search::SearchEvent::Close => self.search = None,
                search::SearchEvent::Chosen(id) => self.open_card(id),
            }
            return;
        }
        if let Some(card) = &mut self.card {
            // The card has no text field: its letters answer in 한글 mode too.
            let key = &keymap::latin_key(key);
            match keymap::lookup(&[Context::List], key) {
                Some(Command::Back) => self.card = None,
                Some(Command::Up) => card.scroll_by(-1),
                Some(Command::Down) => card.scroll_by(1),
                Some(Command::PageUp) => card.scroll_by(-10),
                Some(Command::PageDown) => card.scroll_by(10),
                Some(Command::Top) => card.scroll = 0,
                // `o`: the patient's opt-out from texts, recorded at the desk (issue 20).
                _ if key.code == crossterm::event::KeyCode::Char('o') && key.modifiers.is_empty() => {
                    let id = card.card.patient.id;
                    self.toggle_text_opt_out(id, false);
                }
                // `a`: marketing consent given today, or withdrawn.
                _ if key.code == crossterm::event::KeyCode::Char('a') && key.modifiers.is_empty() => {
                    let id = card.card.patient.id;
                    self.toggle_text_opt_out(id, true);
                }
                _ => {}
            }
        }
    }

    /// Records (or lifts) a patient's opt-out from texts (or, `marketing`, their marketing
    /// consent), from the card, and shows it there.
    fn toggle_text_opt_out(&mut self, patient_id: i64, marketing: bool) {
        let lang = self.opts.lang;
        if self.store.access() == store::Access::ReadOnly {
            self.notice =
                Some(Notice::Error(lang.pick("읽기 전용으로 열려 있습니다", "Opened read-only").into()));
            return;
        }
        if marketing {
            match crate::desk::messages::toggle_marketing_consent(&mut self.store, patient_id) {
                Ok(on) => {
                    if let (Some(card), Ok(fresh)) =
                        (self.card.as_mut(), store::card::load_card(&self.store, patient_id))
                    {
                        card.card = fresh;
                    }
                    self.notice = Some(Notice::Info(
                        if on.is_some() {
                            lang.pick(
                                "광고 문자 수신 동의를 오늘 날짜로 기록했습니다",
                                "Marketing consent recorded, dated today",
                            )
                        } else {
                            lang.pick("광고 문자 수신 동의를 철회했습니다", "Marketing consent withdrawn")
                        }
                        .into(),
                    ));
                }
                Err(e) => self.notice = Some(Notice::Error(e.to_string())),
            }
            return;
        }
        match crate::desk::messages::toggle_opt_out(&mut self.store, patient_id) {
            Ok(out) => {
                if let (Some(card), Ok(fresh)) =
                    (self.card.as_mut(), store::card::load_card(&self.store, patient_id))
                {
                    card.card = fresh;
                }
                self.notice = Some(Notice::Info(
                    if out {
                        lang.pick(
                            "문자 수신 거부를 기록했습니다 - 이후 문자를 보내지 않습니다",
                            "Opt-out recorded - no more texts to this patient",
                        )
                    } else {
                        lang.pick("문자 수신 거부를 풀었습니다", "Opt-out lifted - texts resume")
                    }
                    .into(),
                ));
            }
            Err(e) => self.notice = Some(Notice::Error(e.to_string())),
        }
    }

    /// The form that has the keyboard, app-level first (for the caret and drafts).
    pub fn open_form(&self) -> Option<&form::Form> {
        match &self.booking {
            Some(b) => Some(&b.form),
            None => self.tabs.get(self.active).open_form(),
        }
    }

    /// Where the terminal cursor goes: the caret of whatever form has the keyboard.
    pub fn cursor(&self) -> Option<(u16, u16)> {
        if self.help.is_some() || self.pending_draft.is_some() {
            return None;
        }
        if let Some(f) = &self.first_run {
            return f.form().and_then(|f| f.caret());
        }
        if let Some(s) = &self.settings {
            return s.form.as_ref().and_then(|f| f.caret());
        }
        if let Some(b) = &self.booking {
            return b.form.caret();
        }
        if let Some(s) = &self.search {
            return s.caret();
        }
        if self.card.is_some() {
            return None;
        }
        self.tabs.get(self.active).cursor()
    }

    fn answer_draft_prompt(&mut self, key: &KeyEvent) {
        use crossterm::event::KeyCode;
        let Some(draft) = self.pending_draft.clone() else { return };
        match keymap::latin_key(key).code {
            KeyCode::Char('y') | KeyCode::Char('r') | KeyCode::Enter => {
                self.pending_draft = None;
                if draft.form == booking::FORM_ID {
                    let (ctx, _) = self.ctx_parts();
                    match booking::Booking::restore(&draft.payload, &ctx) {
                        Some(b) => {
                            self.booking = Some(b);
                            self.saved_draft = Some((draft.form, draft.payload));
                        }
                        None => {
                            self.notice = Some(Notice::Error(
                                self.opts
                                    .lang
                                    .pick("이 입력 양식은 복구할 수 없습니다", "This form cannot be restored")
                                    .into(),
                            ));
                        }
                    }
                    return;
                }
                // A form restores against its tab's loaded state.
                for id in TabId::ALL {
                    if self.stale[id.index()] {
                        let _ = self.reload_tab(id);
                    }
                }
                let (mut ctx, tabs) = self.ctx_parts();
                let mut restored = None;
                for id in TabId::ALL {
                    if tabs.get_mut(id).restore_form(&draft.form, &draft.payload, &mut ctx) {
                        restored = Some(id);
                        break;
                    }
                }
                match restored {
                    Some(id) => {
                        self.active = id;
                        self.saved_draft = Some((draft.form, draft.payload));
                    }
                    None => {
                        self.notice = Some(Notice::Error(
                            self.opts
                                .lang
                                .pick("이 입력 양식은 복구할 수 없습니다", "This form cannot be restored")
                                .into(),
                        ));
                    }
                }
            }
            KeyCode::Char('n') | KeyCode::Esc => {
                self.pending_draft = None;
                let session = &self.session;
                if let Err(e) = self.store.without_staff_gate(|s| s.delete_draft(session, &draft.form)) {
                    self.notice = Some(Notice::Error(e.to_string()));
                }
            }
            _ => {}
        }
        self.offer_next_orphan();
    }

    /// Offers the next draft an ended session left, once no form is open (one at a time:
    /// a restored form is saved or discarded before the next is offered). The draft is taken
    /// over by this session first, so no other terminal offers it too.
    pub fn offer_next_orphan(&mut self) {
        if self.pending_draft.is_some() || self.open_form().is_some() {
            return;
        }
        while let Some(draft) = self.orphan_drafts.pop_front() {
            let session = &self.session;
            match self.store.without_staff_gate(|s| s.claim_draft(session, &draft)) {
                Ok(true) => {
                    self.pending_draft =
                        Some(store::drafts::Draft { session: self.session.id().to_string(), ..draft });
                    self.dirty = true;
                    return;
                }
                // Another terminal took it over first.
                Ok(false) => {}
                Err(e) => {
                    // Busy: offered on a later tick.
                    self.orphan_drafts.push_front(draft);
                    self.notice = Some(Notice::Error(e.to_string()));
                    return;
                }
            }
        }
    }

    /// The titles of the forms holding input not yet saved, on any tab or overlay.
    pub fn unsaved_forms(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut add = |f: Option<&form::Form>| {
            if let Some(f) = f.filter(|f| f.dirty) {
                out.push(f.title.clone());
            }
        };
        add(self.booking.as_ref().map(|b| &b.form));
        add(self.settings.as_ref().and_then(|s| s.form.as_ref()));
        for id in TabId::ALL {
            add(self.tabs.get(id).open_form());
        }
        out
    }

    fn quit_question(&self) -> String {
        let forms = self.unsaved_forms().join(", ");
        self.opts
            .lang
            .pick(
                &format!(
                    "저장하지 않은 입력이 있습니다 ({forms}). 끝낼까요? y 끝내기(다음에 이어서) / n·Esc 계속"
                ),
                &format!("Unsaved input in {forms}. Quit? y quits (kept for next time) / n or Esc stays"),
            )
            .to_string()
    }

    /// The answer to "quit with a form unsaved?": y quits, n or Esc stays; any other key asks
    /// again.
    fn answer_quit(&mut self, key: &KeyEvent) {
        if keymap::is_yes(key) {
            self.command(Command::Quit);
        } else if keymap::is_no(key) || key.code == crossterm::event::KeyCode::Esc {
            self.quit_asked = false;
            self.notice = None;
        } else {
            self.notice = Some(Notice::Error(self.quit_question()));
        }
    }

    /// Saves the open form as a draft when it changed since the last save.
    pub fn save_draft_now(&mut self) {
        if self.store.access() != store::Access::ReadWrite {
            return;
        }
        let current = self.open_form().filter(|f| f.dirty).map(|f| (f.id.to_string(), f.to_draft()));
        if let Some(cur) = current {
            if self.saved_draft.as_ref() != Some(&cur) {
                let session = &self.session;
                match self.store.without_staff_gate(|s| s.save_draft(session, &cur.0, &cur.1)) {
                    Ok(()) => self.saved_draft = Some(cur),
                    // Keep the form; the next tick tries again.
                    Err(e) => self.notice = Some(Notice::Error(e.to_string())),
                }
            }
        }
    }

    /// Once a form is saved or discarded, its draft goes too.
    fn forget_closed_draft(&mut self) {
        let open = self.open_form().map(|f| f.id.to_string());
        if let Some((id, _)) = &self.saved_draft {
            if open.as_deref() != Some(id.as_str()) {
                let id = id.clone();
                let session = &self.session;
                if self.store.without_staff_gate(|s| s.delete_draft(session, &id)).is_ok() {
                    self.saved_draft = None;
                    self.offer_next_orphan();
                }
            }
        }
    }

    /// A save that met another terminal's write lock keeps its form open with the waiting
    /// message; remember the key so the tick presses it again.
    fn note_busy_save(&mut self, key: KeyEvent) {
        let busy = store::StoreError::Busy.to_string();
        if self.open_form().and_then(|f| f.message.as_deref()) == Some(busy.as_str()) {
            self.retry_save = Some(key);
        }
    }

    /// The same for the setup and settings screens, whose forms stay open on a busy save.
    fn note_busy_admin_save(&mut self, key: KeyEvent, busy_before: u64) {
        if self.store.busy_count() != busy_before && (self.first_run.is_some() || self.settings.is_some()) {
            self.retry_save = Some(key);
        }
    }

    /// True while a form waits for another terminal to finish writing.
    pub fn waiting_to_save(&self) -> bool {
        self.retry_save.is_some()
    }

    /// The slow tick: notices other processes' commits and the clock.
    pub fn on_tick(&mut self) {
        if let Some(key) = self.retry_save.take() {
            if self.open_form().is_some() || self.settings.is_some() || self.first_run.is_some() {
                // Pressed again without waiting: the screen stays live while the lock is held.
                let _ = self.store.set_busy_timeout(Duration::ZERO);
                self.on_key(key);
                let _ = self.store.set_busy_timeout(INTERACTIVE_BUSY_TIMEOUT);
            }
        }
        if !self.queued.is_empty() {
            self.flush_queue();
        }
        if self.automatic_pending {
            let before = self.store.total_changes();
            self.generate_automatic();
            if self.store.total_changes() != before {
                self.reload_all();
            }
        }
        if self.last_draft_write.is_none_or(|t| t.elapsed() >= DRAFT_EVERY) {
            // Without waiting: while another terminal holds the lock the next tick tries again.
            let _ = self.store.set_busy_timeout(Duration::ZERO);
            self.save_draft_now();
            let _ = self.store.set_busy_timeout(INTERACTIVE_BUSY_TIMEOUT);
            self.last_draft_write = Some(Instant::now());
        }
        if !self.orphan_drafts.is_empty() {
            self.offer_next_orphan();
        }
        match self.store.data_version() {
            Ok(v) if v != self.data_version => self.reload_all(),
            _ => {}
        }
        let minute = self.now().and_utc().timestamp() / 60;
        if minute != self.last_clock_minute {
            // Past midnight: today's automatic callbacks and every tab follow the new date.
            let day = |m: i64| chrono::DateTime::from_timestamp(m * 60, 0).map(|t| t.date_naive());
            let new_day = self.last_clock_minute >= 0 && day(self.last_clock_minute) != day(minute);
            self.last_clock_minute = minute;
            self.dirty = true;
            if let Some(now) = self.opts.fixed_now {
                // A fixed clock moved by a test: writes are stamped by the same moment.
                self.store.set_clock(store::Clock::Fixed(now));
            }
            if new_day {
                self.reload_all();
            }
        }
        let now = self.now();
        if self.tabs.get_mut(self.active).on_tick(now) {
            self.dirty = true;
        }
    }

    /// How long the loop may sleep before the next tick.
    pub fn tick_interval(&self) -> Duration {
        if self.tabs.get(self.active).wants_fast_tick() {
            Duration::from_millis(250)
        } else {
            Duration::from_millis(500)
        }
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) {
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
        if self.first_run.is_some() {
            // A new clinic sees its setup, not five empty tabs.
            widgets::panel(
                Line::from(
                    self.opts.lang.pick(" frontdesk에 오신 것을 환영합니다 ", " Welcome to frontdesk "),
                ),
                theme,
            )
            .render(body, buf);
        } else {
            self.tabs.get(self.active).render(body, buf, &view);
        }
        if let Some(c) = &self.card {
            c.render(body, buf, &view);
        }
        if let Some(s) = &self.search {
            s.render(body, buf, &view);
        }
        if let Some(b) = &self.booking {
            b.render(body, buf, &view);
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
        if let Some(s) = &self.settings {
            s.render(body_and_footer(area), buf, theme);
        }
        if let Some(f) = &self.first_run {
            f.render(body_and_footer(area), buf, theme);
        }
        if let Some(pick) = &self.staff_pick {
            pick.render(body_and_footer(area), buf, self.opts.lang, theme);
        }
        if let Some(help) = &self.help {
            help::render(help, self, area, buf, theme);
        }
        if let Some(draft) = &self.pending_draft {
            widgets::draft_prompt(area, buf, draft, self.opts.lang, theme);
        }
    }

    fn render_status(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
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
        let right = [
            format!("{flags}{user}  {} ", self.opts.db_label),
            format!("{flags}{user} "),
            format!("{flags}{who} "),
        ]
        .into_iter()
        .find(|r| crate::domain::text::width(r) as u16 + 30 < area.width)
        .unwrap_or_default();
        buf.set_style(area, theme.status_bar);
        let line = Line::from(vec![Span::raw(left)]);
        Paragraph::new(line).style(theme.status_bar).render(area, buf);
        let rw = crate::domain::text::width(&right) as u16;
        if rw + 30 < area.width {
            let r = Rect { x: area.x + area.width - rw, width: rw, ..area };
            Paragraph::new(right).style(theme.status_bar).render(r, buf);
        }
    }
}

/// The screen below the tab bar and status line, where overlays go.
fn body_and_footer(area: Rect) -> Rect {
    Rect { y: area.y + 2, height: area.height.saturating_sub(2), ..area }
}

/// Runs the app in the terminal until the user quits.
///
/// Whatever ends the session - `q`, SIGHUP from a dropped SSH connection, SIGTERM, a terminal
/// that went away, or a panic - the form being filled is saved as a draft first.
pub fn run(mut app: App) -> color_eyre::Result<()> {
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGHUP, signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT] {
        signal_hook::flag::register(signal, stop.clone())?;
    }
    let mut terminal = ratatui::init();
    let _ = crossterm::execute!(std::io::stdout(), crossterm::event::EnableBracketedPaste);
    let result =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| event_loop(&mut app, &mut terminal, &stop)));
    // Keep what was typed, however the loop ended.
    app.save_draft_now();
    let _ = crossterm::execute!(std::io::stdout(), crossterm::event::DisableBracketedPaste);
    // Not ratatui::restore(): it eprintln!s its error, which panics (and aborts) when the
    // terminal has gone away.
    let _ = ratatui::try_restore();
    match result {
        Ok(r) => r,
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

fn event_loop(
    app: &mut App,
    terminal: &mut ratatui::DefaultTerminal,
    stop: &std::sync::atomic::AtomicBool,
) -> color_eyre::Result<()> {
    let mut last_tick = Instant::now();
    while !app.quit {
        if stop.load(std::sync::atomic::Ordering::Relaxed) {
            break;
        }
        if app.dirty {
            // A terminal that went away fails here or in read(): leave the loop, keep the draft.
            draw(app, terminal)?;
            app.dirty = false;
        }
        let wait = app.tick_interval().saturating_sub(last_tick.elapsed());
        if event::poll(wait)? {
            match event::read()? {
                Event::Key(key) => app.on_key(key),
                Event::Resize(..) => app.dirty = true,
                Event::Paste(text) => app.on_paste(&text),
                _ => {}
            }
        }
        if last_tick.elapsed() >= app.tick_interval() {
            app.on_tick();
            last_tick = Instant::now();
        }
    }
    Ok(())
}

/// Pasted text as one line for a single-line field: NFC (a Mac pastes decomposed 한글), line
/// breaks and tabs as single spaces, other control characters removed.
pub fn pasted_line(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::with_capacity(text.len());
    // Whether the last thing kept was a line break turned into a space: the spaces around a
    // break fold into that one space.
    let mut after_break = false;
    for c in text.nfc() {
        if matches!(c, '\n' | '\r' | '\t') {
            if !after_break && !out.is_empty() {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
                after_break = true;
            }
        } else if c.is_control() || (c == ' ' && after_break) {
            continue;
        } else {
            out.push(c);
            after_break = false;
        }
    }
    out.trim_end().to_string()
}

/// Draws one frame inside a synchronized update, so SSH clients never show half a frame.
fn draw(app: &App, terminal: &mut ratatui::DefaultTerminal) -> color_eyre::Result<()> {
    let mut out = std::io::stdout();
    crossterm::queue!(out, crossterm::terminal::BeginSynchronizedUpdate)?;
    terminal.draw(|frame| {
        let area = frame.area();
        app.render(area, frame.buffer_mut());
        if let Some((x, y)) = app.cursor() {
            frame.set_cursor_position((x, y));
        }
    })?;
    crossterm::queue!(out, crossterm::terminal::EndSynchronizedUpdate)?;
    out.flush()?;
    Ok(())
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
