//! The layer stack: which layer owns the keyboard, and the one trait every overlay answers.
//!
//! [`stack`] lists the open layers, top first; the top one owns the keyboard. Key handling
//! ([`App::on_key`]), the footer ([`App::contexts`]), the caret ([`App::cursor`]) and drawing
//! ([`App::render`]) all follow that one list, so adding an overlay is one file (its
//! [`Overlay`] impl) plus one [`Layer`] variant.

use crossterm::event::{KeyEvent, MouseButton, MouseEvent, MouseEventKind};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::theme::Theme;
use crate::domain::Lang;

use super::keymap::{Command, Context};
use super::{App, BookingRequest, Ctx, View};
use crate::store::drafts::Draft;

/// A layer of the screen, top first in the order they take keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    /// Who is at this terminal (F2, or asked before a write).
    StaffPick,
    /// "Quit with a form unsaved?" (asked in the footer).
    Quit,
    /// A draft an earlier run left: continue it or discard it.
    Draft,
    /// The `?` overlay.
    Help,
    /// The first-run setup of a new, empty database.
    FirstRun,
    /// The admin's settings screen.
    Settings,
    /// The booking form.
    Booking,
    /// Patient search.
    Search,
    /// The patient card.
    Card,
    /// The tab on screen (and the forms inside it).
    Tab,
}

impl Layer {
    /// True for the layers drawn inside the body, under the footer; the others cover it.
    pub fn in_body(self) -> bool {
        matches!(self, Layer::Booking | Layer::Search | Layer::Card | Layer::Tab)
    }
}

/// Which layers are open (the state [`stack`] reads).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Open {
    pub staff_pick: bool,
    pub quit: bool,
    pub draft: bool,
    pub help: bool,
    pub first_run: bool,
    pub settings: bool,
    pub booking: bool,
    pub search: bool,
    pub card: bool,
}

/// The open layers, top first; the tab is always at the bottom. The first owns the keyboard.
pub fn stack(open: Open) -> Vec<Layer> {
    let all = [
        (open.staff_pick, Layer::StaffPick),
        (open.quit, Layer::Quit),
        (open.draft, Layer::Draft),
        (open.help, Layer::Help),
        (open.first_run, Layer::FirstRun),
        (open.settings, Layer::Settings),
        (open.booking, Layer::Booking),
        (open.search, Layer::Search),
        (open.card, Layer::Card),
        (true, Layer::Tab),
    ];
    all.into_iter().filter(|(on, _)| *on).map(|(_, l)| l).collect()
}

/// What handling a key (or a command) led to: the one answer of tabs and overlays alike.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Not for this layer; the app may try its own bindings.
    Ignored,
    /// Handled; redraw.
    Handled,
    /// The database changed: every tab reloads. (The app also notices any change after every
    /// key, so a layer that forgets to say so leaves nothing stale.)
    Changed,
    /// Show a message in the footer.
    Message(String),
    /// Show an error in the footer; the form (if any) stays open.
    Error(String),
    /// Open the patient card.
    OpenPatient(i64),
    /// Open the booking form (from Today, an inquiry, a callback ~).
    Book(BookingRequest),
    /// Yes to the question the layer asks (continue the draft, this staff member).
    Accept,
    /// Close the layer.
    Close,
    /// Close the layer and say this in the footer (saved, or what closing left behind).
    CloseSaying(String),
}

/// One overlay over the tabs: it takes keys while on top, names the keymap contexts its
/// footer shows, may hold the caret, and draws itself.
pub trait Overlay {
    fn on_key(&mut self, key: &KeyEvent, ctx: &mut Ctx<'_>) -> Effect;
    /// The keymap contexts of the footer; none leaves the footer to the layer below.
    fn contexts(&self) -> Vec<Context> {
        Vec::new()
    }
    /// Where the caret is (as the last frame drew it), when the overlay has a text field.
    fn cursor(&self) -> Option<(u16, u16)> {
        None
    }
    /// Draws the overlay over `area` (see [`App::layer_area`]).
    fn render(&self, area: Rect, buf: &mut Buffer, view: &View<'_>);
}

/// The draft prompt answers to the one confirm key set (`kit::confirm`): y/Y/ㅛ/Enter
/// continues the draft, n/N/ㅜ/Esc discards it.
impl Overlay for Draft {
    fn on_key(&mut self, key: &KeyEvent, _ctx: &mut Ctx<'_>) -> Effect {
        match super::kit::confirm::answer(key) {
            Some(super::kit::confirm::Answer::Yes) => Effect::Accept,
            Some(super::kit::confirm::Answer::No) => Effect::Close,
            None => Effect::Handled,
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, view: &View<'_>) {
        draft_prompt(area, buf, self, view.lang, view.theme);
    }
}

/// Offers the draft an earlier run left behind.
fn draft_prompt(
    area: Rect,
    buf: &mut Buffer,
    draft: &crate::store::drafts::Draft,
    lang: Lang,
    theme: &Theme,
) {
    let when = draft.updated_at.replace('T', " ");
    let question = match lang {
        Lang::Ko => format!("지난번에 쓰던 입력 양식({})이 남아 있습니다 ({when}).", draft.form),
        Lang::En => format!("A form you were filling ({}) was left open ({when}).", draft.form),
    };
    super::kit::confirm::ConfirmBox::new(
        lang.pick("저장하지 않은 입력", "Unsaved form"),
        question,
        lang.pick("이어서 쓰기", "continue it"),
        lang.pick("버리기", "discard it"),
    )
    .line("")
    .width(64)
    .render(area, buf, theme);
}

impl App {
    /// Which layers are open now.
    pub fn open_layers(&self) -> Open {
        Open {
            staff_pick: self.staff_pick.is_some(),
            quit: self.quit_asked,
            draft: self.pending_draft.is_some(),
            help: self.help.is_some(),
            first_run: self.first_run.is_some(),
            settings: self.settings.is_some(),
            booking: self.booking.is_some(),
            search: self.search.is_some(),
            card: self.card.is_some(),
        }
    }

    /// The open layers, top first.
    pub fn layers(&self) -> Vec<Layer> {
        stack(self.open_layers())
    }

    /// The layer that owns the keyboard.
    pub fn owner(&self) -> Layer {
        self.layers()[0]
    }

    /// The overlay of a layer, when it is one (the quit question and the tab are not).
    pub fn overlay(&self, layer: Layer) -> Option<&dyn Overlay> {
        match layer {
            Layer::StaffPick => self.staff_pick.as_ref().map(|o| o as &dyn Overlay),
            Layer::Draft => self.pending_draft.as_ref().map(|o| o as &dyn Overlay),
            Layer::Help => self.help.as_ref().map(|o| o as &dyn Overlay),
            Layer::FirstRun => self.first_run.as_ref().map(|o| o as &dyn Overlay),
            Layer::Settings => self.settings.as_ref().map(|o| o as &dyn Overlay),
            Layer::Booking => self.booking.as_ref().map(|o| o as &dyn Overlay),
            Layer::Search => self.search.as_ref().map(|o| o as &dyn Overlay),
            Layer::Card => self.card.as_ref().map(|o| o as &dyn Overlay),
            Layer::Quit | Layer::Tab => None,
        }
    }

    /// Passes a key to the overlay of `layer` (taken out while it runs, so it can have the
    /// store through [`Ctx`]) and returns its answer.
    pub(super) fn overlay_key(&mut self, layer: Layer, key: &KeyEvent) -> Effect {
        fn run<T: Overlay>(app: &mut App, slot: fn(&mut App) -> &mut Option<T>, key: &KeyEvent) -> Effect {
            let Some(mut overlay) = slot(app).take() else { return Effect::Ignored };
            let (mut ctx, _) = app.ctx_parts();
            let effect = overlay.on_key(key, &mut ctx);
            *slot(app) = Some(overlay);
            effect
        }
        match layer {
            Layer::StaffPick => run(self, |a| &mut a.staff_pick, key),
            Layer::Draft => run(self, |a| &mut a.pending_draft, key),
            Layer::Help => run(self, |a| &mut a.help, key),
            Layer::FirstRun => run(self, |a| &mut a.first_run, key),
            Layer::Settings => run(self, |a| &mut a.settings, key),
            Layer::Booking => run(self, |a| &mut a.booking, key),
            Layer::Search => run(self, |a| &mut a.search, key),
            Layer::Card => run(self, |a| &mut a.card, key),
            Layer::Quit | Layer::Tab => Effect::Ignored,
        }
    }

    /// The contexts whose bindings apply now, most specific first: the first layer from the
    /// top that names any.
    pub fn contexts(&self) -> Vec<Context> {
        for layer in self.layers() {
            let contexts = match layer {
                Layer::Tab => self.tab_contexts(),
                // The shared screen has its own few keys under any overlay but help.
                _ if self.opts.presentation && layer != Layer::Help => vec![Context::SharedScreen],
                _ => self.overlay(layer).map(|o| o.contexts()).unwrap_or_default(),
            };
            if !contexts.is_empty() {
                return contexts;
            }
        }
        Vec::new()
    }

    fn tab_contexts(&self) -> Vec<Context> {
        if self.opts.presentation {
            return vec![Context::SharedScreen];
        }
        let tab = self.tabs.get(self.active);
        if tab.keyboard_grabbed() {
            return vec![Context::Form];
        }
        match tab.context() {
            // A report over a tab is not a list to open or filter: its own keys, then the global.
            Context::OkrReport => vec![Context::OkrReport, Context::Global],
            context => vec![context, Context::List, Context::Global],
        }
    }

    /// Where the terminal cursor goes: the caret of the layer that owns the keyboard.
    pub fn cursor(&self) -> Option<(u16, u16)> {
        match self.owner() {
            Layer::Tab => self.tabs.get(self.active).cursor(),
            layer => self.overlay(layer).and_then(|o| o.cursor()),
        }
    }

    /// The part of the screen a layer draws over.
    pub fn layer_area(layer: Layer, area: Rect) -> Rect {
        match layer {
            Layer::Draft | Layer::Help => area,
            l if l.in_body() => Rect { y: area.y + 2, height: area.height.saturating_sub(3), ..area },
            // Below the tab bar and status line, footer included.
            _ => Rect { y: area.y + 2, height: area.height.saturating_sub(2), ..area },
        }
    }
}

/// Two clicks on the same cell this close together are a double-click (crossterm reports
/// single presses only).
const DOUBLE_CLICK: std::time::Duration = std::time::Duration::from_millis(400);

/// Rows one notch of the wheel moves.
const WHEEL_ROWS: usize = 3;

impl App {
    /// Handles a mouse event (the desk turns mouse capture on unless `mouse = false`; the
    /// shared screen never does). The mouse only stands in for keys, through the same
    /// commands, so it can do nothing the keyboard cannot:
    /// - a click on a tab's label switches to it, as its digit does;
    /// - a click on a list row selects it (as ↑/↓ would), a double-click opens it (Enter);
    /// - the wheel moves a list's selection, or scrolls help.
    pub fn on_mouse(&mut self, event: MouseEvent) {
        if self.opts.presentation {
            return;
        }
        let owner = self.owner();
        match event.kind {
            MouseEventKind::Down(MouseButton::Left) => self.click(event.column, event.row, owner),
            MouseEventKind::ScrollDown => self.wheel(Command::Down, owner),
            MouseEventKind::ScrollUp => self.wheel(Command::Up, owner),
            _ => {}
        }
    }

    fn click(&mut self, x: u16, y: u16, owner: Layer) {
        let double =
            self.last_click.is_some_and(|(at, cx, cy)| (cx, cy) == (x, y) && at.elapsed() <= DOUBLE_CLICK);
        self.last_click = Some((std::time::Instant::now(), x, y));
        // A pick choice of the form on top is chosen with the keys that choose it: Tab or
        // Shift-Tab to its field, then its digit (and the right arrow past the ninth).
        if self.open_form().is_some()
            && matches!(owner, Layer::Tab | Layer::Booking | Layer::Settings | Layer::FirstRun)
        {
            if let Some(hit) = super::form::choice_at(x, y) {
                self.choose_by_keys(hit);
                return;
            }
        }
        // Only where nothing covers the tab, and not while a form inside the tab holds the
        // keyboard: as a digit there types into the field, a click does not leave the form
        // (its draft is the open form's).
        if owner != Layer::Tab || self.tabs.get(self.active).keyboard_grabbed() {
            return;
        }
        let screen = self.drawn_area.get();
        if y == screen.y {
            if let Some(tab) = super::widgets::tab_at(x.saturating_sub(screen.x), self.opts.lang) {
                self.on_command(Command::GoTab(tab.index() as u8));
            }
            return;
        }
        // The list drawn last under the click (the tab's lists are all the frame drew).
        let lists = super::kit::selection::drawn_lists();
        let Some((list, row)) = lists.iter().rev().find_map(|l| l.row_at(x, y).map(|r| (l, r))) else {
            return;
        };
        if row == list.selected {
            if double {
                self.last_click = None;
                self.on_command(Command::Open);
            }
            return;
        }
        let (command, steps) = if row > list.selected {
            (Command::Down, row - list.selected)
        } else {
            (Command::Up, list.selected - row)
        };
        for _ in 0..steps {
            self.on_command(command);
        }
    }

    fn choose_by_keys(&mut self, hit: super::form::ChoiceHit) {
        use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
        let tab = if hit.steps >= 0 {
            KeyEvent::from(KeyCode::Tab)
        } else {
            KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)
        };
        for _ in 0..hit.steps.unsigned_abs() {
            self.on_key(tab);
        }
        let digit = (b'1' + hit.choice.min(8) as u8) as char;
        self.on_key(KeyEvent::from(KeyCode::Char(digit)));
        for _ in 8..hit.choice {
            self.on_key(KeyEvent::from(KeyCode::Right));
        }
    }

    fn wheel(&mut self, command: Command, owner: Layer) {
        match owner {
            Layer::Help => {
                if let Some(help) = self.help.as_mut() {
                    for _ in 0..WHEEL_ROWS {
                        help.on_command(command);
                    }
                    self.dirty = true;
                }
            }
            Layer::Tab if !self.tabs.get(self.active).keyboard_grabbed() => {
                for _ in 0..WHEEL_ROWS {
                    self.on_command(command);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owner(open: Open) -> Layer {
        stack(open)[0]
    }

    #[test]
    fn the_tab_owns_the_keyboard_when_nothing_is_open() {
        assert_eq!(stack(Open::default()), vec![Layer::Tab]);
    }

    #[test]
    fn each_overlay_alone_owns_the_keyboard() {
        type Set = fn(&mut Open);
        let cases: [(Set, Layer); 9] = [
            (|o| o.staff_pick = true, Layer::StaffPick),
            (|o| o.quit = true, Layer::Quit),
            (|o| o.draft = true, Layer::Draft),
            (|o| o.help = true, Layer::Help),
            (|o| o.first_run = true, Layer::FirstRun),
            (|o| o.settings = true, Layer::Settings),
            (|o| o.booking = true, Layer::Booking),
            (|o| o.search = true, Layer::Search),
            (|o| o.card = true, Layer::Card),
        ];
        for (set, layer) in cases {
            let mut open = Open::default();
            set(&mut open);
            assert_eq!(owner(open), layer);
            assert_eq!(stack(open), vec![layer, Layer::Tab]);
        }
    }

    #[test]
    fn the_higher_layer_wins_in_every_pair() {
        let order = [
            Layer::StaffPick,
            Layer::Quit,
            Layer::Draft,
            Layer::Help,
            Layer::FirstRun,
            Layer::Settings,
            Layer::Booking,
            Layer::Search,
            Layer::Card,
        ];
        let set = |open: &mut Open, layer: Layer| match layer {
            Layer::StaffPick => open.staff_pick = true,
            Layer::Quit => open.quit = true,
            Layer::Draft => open.draft = true,
            Layer::Help => open.help = true,
            Layer::FirstRun => open.first_run = true,
            Layer::Settings => open.settings = true,
            Layer::Booking => open.booking = true,
            Layer::Search => open.search = true,
            Layer::Card => open.card = true,
            Layer::Tab => {}
        };
        for (i, &high) in order.iter().enumerate() {
            for &low in &order[i + 1..] {
                let mut open = Open::default();
                set(&mut open, low);
                set(&mut open, high);
                assert_eq!(owner(open), high, "{high:?} over {low:?}");
                assert_eq!(stack(open), vec![high, low, Layer::Tab]);
            }
        }
    }

    #[test]
    fn a_staff_question_before_a_save_comes_over_the_booking_form_and_the_draft_prompt() {
        let open = Open { staff_pick: true, draft: true, booking: true, ..Open::default() };
        assert_eq!(stack(open), vec![Layer::StaffPick, Layer::Draft, Layer::Booking, Layer::Tab]);
    }

    #[test]
    fn only_the_tab_and_the_overlays_over_it_draw_inside_the_body() {
        let area = Rect::new(0, 0, 80, 24);
        assert_eq!(App::layer_area(Layer::Help, area), area);
        assert_eq!(App::layer_area(Layer::Booking, area), Rect::new(0, 2, 80, 21));
        assert_eq!(App::layer_area(Layer::Settings, area), Rect::new(0, 2, 80, 22));
    }
}
