//! The terminal UI: state, the event loop (`update(state, action)`), and drawing.
//!
//! State, actions and rendering are kept apart: keys become [`Command`]s through the one
//! keymap table, commands change state (and, through the store, the database), and drawing
//! reads state and nothing else. Queries run on actions, never while drawing.

pub mod booking;
pub mod card;
pub mod card_identity;
pub mod card_money;
pub mod card_pay;
pub mod card_work;
mod context;
pub mod day_grid;
mod drafts;
mod effects;
pub mod findings;
pub mod form;
pub mod help;
pub mod keymap;
pub mod kit;
pub mod layers;
pub mod pay_form;
mod queue;
pub mod registry;
mod run;
mod screen;
pub mod search;
pub mod settings;
pub mod setup;
mod staff;
pub mod staff_pick;
pub mod svg;
pub mod tabs;
pub mod theme;
pub mod widgets;

use std::time::{Duration, Instant};

use chrono::NaiveDateTime;
use crossterm::event::{KeyEvent, KeyEventKind};

use crate::store::catalog::Catalog;
use crate::store::{self, Store};
pub use context::{AppOptions, BookingRequest, Ctx, Notice, TabId, View};
use keymap::Command;
pub use layers::Effect;
/// The answer of tabs (the same type as the overlays', [`Effect`]).
pub use layers::Effect as Outcome;
use layers::Layer;
use queue::QueuedAction;
pub use run::run;
pub use screen::read_only_notice;
use theme::Theme;

/// How often the tick writes the open form's draft. Every way a session ends (quit, hang-up,
/// terminal gone, panic) writes it at once; this bounds what a power cut or SIGKILL can take,
/// while other terminals, which reload on every commit, are not kept reloading as someone types.
pub const DRAFT_EVERY: Duration = Duration::from_secs(5);

/// The smallest window every screen is laid out for.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// The whole app's state.
pub struct App {
    pub store: Store,
    pub catalog: Catalog,
    pub opts: AppOptions,
    /// How screens are drawn (palette, NO_COLOR, ASCII borders); the CLI sets it from the
    /// config and the terminal, [`theme::Look::default`] otherwise.
    pub theme: Theme,
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
    /// The last click (when, where), to tell a double-click (see [`App::on_mouse`]).
    last_click: Option<(Instant, u16, u16)>,
    /// The screen as the last frame drew it (mouse clicks are read against it).
    drawn_area: std::cell::Cell<ratatui::layout::Rect>,
    /// `mouse = false` in the config: the desk leaves the mouse to the terminal.
    pub mouse: bool,
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
            theme: Theme::new(theme::Look::default(), opts.presentation),
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
            last_click: None,
            drawn_area: Default::default(),
            mouse: true,
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

    pub fn theme(&self) -> &Theme {
        &self.theme
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
        // The patient card open shows the change too (here or in another terminal).
        let today = self.now().date();
        if let Some(card) = &mut self.card {
            card.refresh(&self.store, today);
        }
        if let Some(s) = &mut self.settings {
            let _ = s.reload(&self.store);
        }
        self.data_version = self.store.data_version().unwrap_or(self.data_version);
        self.changes_seen = self.store.total_changes();
        self.update_staff_gate();
        self.dirty = true;
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

    /// Handles one key press: the layer on top ([`App::owner`]) takes it, then the app looks
    /// whether the database changed ([`App::sync_with_store`]).
    pub fn on_key(&mut self, key: KeyEvent) {
        // Presses and auto-repeats count (a held `j` is many `j`s); releases, which Windows
        // terminals also report, do not.
        if key.kind == KeyEventKind::Release {
            return;
        }
        let owner = self.owner();
        if owner == Layer::StaffPick {
            self.dirty = true;
            let effect = self.overlay_key(Layer::StaffPick, &key);
            self.staff_pick_answer(effect);
        } else if key.code == staff_pick::KEY
            && !self.opts.presentation
            && !matches!(owner, Layer::Draft | Layer::Help | Layer::FirstRun)
        {
            self.open_staff_pick(None);
        } else {
            // A change refused because nobody is picked here: ask, then press the key again.
            let refused = self.store.staff_refusals();
            self.handle_key(key);
            if self.store.staff_refusals() != refused {
                self.open_staff_pick(Some(staff_pick::Replay::Key(key)));
            }
        }
        self.sync_with_store();
    }

    fn handle_key(&mut self, key: KeyEvent) {
        self.dirty = true;
        self.retry_save = None;
        let layer = self.owner();
        if layer == Layer::Quit {
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
        // `?` over an overlay with no text field (the card, settings) opens help over it.
        if help::asked_over(self, layer, &key) {
            self.command(Command::Help);
            return;
        }
        let busy_before = self.store.busy_count();
        match layer {
            Layer::Tab => self.tab_key(key, busy_before),
            Layer::StaffPick | Layer::Quit => {}
            layer => {
                let effect = self.overlay_key(layer, &key);
                self.answer(layer, effect);
                match layer {
                    Layer::FirstRun | Layer::Settings => self.note_busy_admin_save(key, busy_before),
                    // The booking form's and the card's forms are drafted like a tab's.
                    Layer::Booking | Layer::Card => {
                        self.forget_closed_draft();
                        self.note_busy_save(key, busy_before);
                    }
                    _ => {}
                }
            }
        }
    }

    /// A key for the tab on screen: its form when one is open, else the keymap, else the tab.
    fn tab_key(&mut self, key: KeyEvent, busy_before: u64) {
        let active = self.active;
        if self.tabs.get(active).keyboard_grabbed() {
            let (mut ctx, tabs) = self.ctx_parts();
            let outcome = tabs.get_mut(active).on_key(&key, &mut ctx);
            self.apply(outcome);
            self.forget_closed_draft();
            self.note_busy_save(key, busy_before);
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

    /// After every key: reloads when the database changed since the tabs last read it, here
    /// (this connection's writes) or in another process (SQLite's data version), so no path
    /// through the layers can leave a tab stale.
    pub fn sync_with_store(&mut self) {
        let outside = self.store.data_version().is_ok_and(|v| v != self.data_version);
        if outside || self.store.total_changes() != self.changes_seen {
            self.reload_all();
        }
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
        self.sync_with_store();
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
            Command::Help => self.help = Some(help::HelpState::open(self)),
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

    /// The form that has the keyboard, app-level first (for the caret and drafts).
    pub fn open_form(&self) -> Option<&form::Form> {
        self.form_on_top().map(|(form, _)| form)
    }

    /// The form that has the keyboard and, when it is open over the patient card, that
    /// patient (its draft carries them, so it reopens over the same card).
    pub(super) fn form_on_top(&self) -> Option<(&form::Form, Option<i64>)> {
        if let Some(b) = &self.booking {
            return Some((&b.form, None));
        }
        if let Some(card) = &self.card {
            if let Some(form) = card.step_form() {
                return Some((form, Some(card.card.patient.id)));
            }
        }
        self.tabs.get(self.active).open_form().map(|form| (form, None))
    }
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
