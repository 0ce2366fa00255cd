//! Single-key actions (arrived, done, cancel ...) that met another terminal's write lock:
//! queued in the order pressed, each with its row, and applied by the tick once the lock is
//! free; and today's automatic callbacks, which never make the screen wait.

use std::time::Duration;

use super::keymap::Command;
use super::{App, INTERACTIVE_BUSY_TIMEOUT, Notice, TabId};

/// A single-key action waiting for another terminal's write lock (see [`App::queued_count`]).
#[derive(Debug, Clone, Copy)]
pub(super) struct QueuedAction {
    pub(super) tab: TabId,
    pub(super) command: Command,
    /// The row it was pressed on ([`tabs::Tab::selected_key`]).
    pub(super) target: Option<i64>,
}

impl App {
    /// How many single-key actions wait for another terminal's write lock.
    pub fn queued_count(&self) -> usize {
        self.queued.len()
    }

    pub(super) fn queued_message(&self) -> String {
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
    pub(super) fn flush_queue(&mut self) -> bool {
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
    pub(super) fn generate_automatic(&mut self) {
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
}
