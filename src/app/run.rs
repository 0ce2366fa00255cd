//! The event loop: keys, pastes and resizes in, the tick (other terminals' commits, the
//! clock, drafts, queued actions), and one synchronized frame out.

use std::io::Write;
use std::time::{Duration, Instant};

use crossterm::event::{self, Event};

use super::{App, DRAFT_EVERY, INTERACTIVE_BUSY_TIMEOUT};
use crate::store;

impl App {
    /// The slow tick: notices other processes' commits and the clock.
    pub fn on_tick(&mut self) {
        if let Some(key) = self.retry_save.take() {
            if self.open_form().is_some()
                || self.other_form_open()
                || self.settings.is_some()
                || self.first_run.is_some()
            {
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
    // The mouse on the desk only: the shared screen stays read-only, and `mouse = false`
    // leaves the mouse to the terminal (plain text selection for copying; with capture on,
    // most terminals still select with Shift held).
    let mouse = app.mouse && !app.opts.presentation;
    if mouse {
        let _ = crossterm::execute!(std::io::stdout(), crossterm::event::EnableMouseCapture);
    }
    let result =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| event_loop(&mut app, &mut terminal, &stop)));
    // Keep what was typed, however the loop ended.
    app.save_draft_now();
    if mouse {
        let _ = crossterm::execute!(std::io::stdout(), crossterm::event::DisableMouseCapture);
    }
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
            // Every event already waiting is handled, in order, before the next frame: a
            // burst of keys (50 `j` in one write) moves the selection exactly that far, and
            // the frame drawn after it is the one the desk sees.
            loop {
                on_event(app, event::read()?);
                if app.quit || stop.load(std::sync::atomic::Ordering::Relaxed) {
                    break;
                }
                if !event::poll(Duration::ZERO)? {
                    break;
                }
            }
        }
        if last_tick.elapsed() >= app.tick_interval() {
            app.on_tick();
            last_tick = Instant::now();
        }
    }
    Ok(())
}

/// One event from the terminal.
fn on_event(app: &mut App, event: Event) {
    match event {
        Event::Key(key) => app.on_key(key),
        Event::Mouse(mouse) => app.on_mouse(mouse),
        Event::Resize(..) => app.dirty = true,
        Event::Paste(text) => app.on_paste(&text),
        _ => {}
    }
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
