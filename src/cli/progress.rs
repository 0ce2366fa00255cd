//! Progress bars for long work (issue 22 item 7): `demo --scale large`, imports of thousands
//! of rows, backup and restore. Drawn on standard error with `indicatif`, and only when it is
//! a terminal: into a pipe, a file or a cron log nothing is written.

use std::io::IsTerminal;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::store::bulk;

/// An import shows a bar from this many rows (below it, it is over before a bar helps).
pub const IMPORT_BAR_FROM: u64 = 2000;

/// True when progress is drawn: standard error is a terminal.
pub fn enabled() -> bool {
    std::io::stderr().is_terminal()
}

fn bar_style() -> ProgressStyle {
    ProgressStyle::with_template("{msg:>12} [{bar:30}] {pos}/{len} ({eta})")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ")
}

fn spinner_style() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} {msg} {elapsed}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
}

/// A spinner saying what is going on (work whose size is not known), ticking by itself; None
/// when standard error is not a terminal. Finish it with [`done`].
pub fn spinner(msg: impl Into<String>) -> Option<ProgressBar> {
    if !enabled() {
        return None;
    }
    let pb = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    pb.set_style(spinner_style());
    pb.set_message(msg.into());
    pb.enable_steady_tick(Duration::from_millis(120));
    Some(pb)
}

/// A bar over `len` steps (bytes, rows); None when standard error is not a terminal.
pub fn bar(len: u64, msg: impl Into<String>) -> Option<ProgressBar> {
    if !enabled() {
        return None;
    }
    let pb = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    pb.set_style(bar_style());
    pb.set_message(msg.into());
    Some(pb)
}

/// Clears a bar or spinner from the terminal.
pub fn done(pb: Option<ProgressBar>) {
    if let Some(pb) = pb {
        pb.finish_and_clear();
    }
}

/// Shows the store's progress reports ([`bulk::report_progress`]) while it lives: a bar for
/// stages with a known total of at least `min_total` rows, a spinner with the stage and the
/// count for the others. Does nothing when standard error is not a terminal.
pub struct StoreProgress {
    current: Option<Arc<Mutex<Option<ProgressBar>>>>,
}

impl StoreProgress {
    pub fn start(min_total: u64) -> StoreProgress {
        if !enabled() {
            return StoreProgress { current: None };
        }
        let current: Arc<Mutex<Option<ProgressBar>>> = Arc::new(Mutex::new(None));
        let shared = current.clone();
        let stage_of = Arc::new(Mutex::new(String::new()));
        bulk::set_progress_hook(Some(Box::new(move |stage: &str, done: u64, total: u64| {
            if total > 0 && total < min_total {
                return;
            }
            let (Ok(mut slot), Ok(mut last)) = (shared.lock(), stage_of.lock()) else { return };
            if *last != stage {
                if let Some(old) = slot.take() {
                    old.finish_and_clear();
                }
                *last = stage.to_string();
                let pb = if total > 0 {
                    let pb = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
                    pb.set_style(bar_style());
                    pb
                } else {
                    let pb = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
                    pb.set_style(
                        ProgressStyle::with_template("{spinner} {msg} {pos} rows {elapsed}")
                            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                    );
                    pb
                };
                pb.set_message(stage.replace('_', " "));
                *slot = Some(pb);
            }
            if let Some(pb) = slot.as_ref() {
                pb.set_position(done);
            }
        })));
        StoreProgress { current: Some(current) }
    }
}

impl Drop for StoreProgress {
    fn drop(&mut self) {
        if let Some(current) = self.current.take() {
            bulk::set_progress_hook(None);
            if let Ok(mut slot) = current.lock() {
                if let Some(pb) = slot.take() {
                    pb.finish_and_clear();
                }
            }
        }
    }
}
