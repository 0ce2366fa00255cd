//! Drafts: the form being typed saved as it changes, offered again after a crash or a lost
//! connection; the "quit with a form unsaved?" question; pressing a save again once another
//! terminal lets go of the write lock.

use crossterm::event::KeyEvent;

use super::form::spec::Unrestorable;
use super::keymap::{self, Command};
use super::layers::Effect;
use super::registry::{self, Home, Restored};
use super::{App, Notice, TabId, form};
use crate::store::{self, Store};

impl App {
    /// The answer to "continue the draft left open?": Accept restores it, Close discards it.
    /// A draft no form of this version can take (an unknown form, an earlier version's
    /// format, a patient or callback since removed) says so and is discarded, so it is not
    /// offered again.
    pub(super) fn answer_draft_prompt(&mut self, effect: Effect) {
        let Some(draft) = self.pending_draft.clone() else { return };
        match effect {
            Effect::Accept => {
                self.pending_draft = None;
                match self.restore_draft(&draft) {
                    Ok(()) => self.saved_draft = Some((draft.form, draft.payload)),
                    Err(why @ Unrestorable::NotNow(_)) => {
                        // Kept: offered again once the lock is free (the tick offers it).
                        self.notice = Some(Notice::Error(why.words(self.opts.lang)));
                        self.orphan_drafts.push_front(draft);
                        return;
                    }
                    Err(why) => {
                        self.notice = Some(Notice::Error(why.words(self.opts.lang)));
                        self.discard_draft(&draft.form);
                    }
                }
            }
            Effect::Close => {
                self.pending_draft = None;
                self.discard_draft(&draft.form);
            }
            _ => {}
        }
        self.offer_next_orphan();
    }

    fn discard_draft(&mut self, form: &str) {
        let session = &self.session;
        if let Err(e) =
            bookkeeping(&mut self.store, &mut self.changes_seen, |s| s.delete_draft(session, form))
        {
            self.notice = Some(Notice::Error(e.to_string()));
        }
    }

    /// Opens the form a draft was saved from, filled in as it was, through the one table of
    /// drafted forms (`registry::FORMS`): the booking form over the screen, or a tab's form on
    /// its tab.
    fn restore_draft(&mut self, draft: &store::drafts::Draft) -> Result<(), Unrestorable> {
        let entry =
            registry::entry(&draft.form).ok_or_else(|| Unrestorable::UnknownForm(draft.form.clone()))?;
        for id in TabId::ALL {
            if self.stale[id.index()] {
                let _ = self.reload_tab(id);
            }
        }
        let (mut ctx, tabs) = self.ctx_parts();
        let restored = (entry.restore)(&draft.payload, &mut ctx)?;
        match (restored, registry::home_of(entry, &draft.payload)) {
            (Restored::Booking(b), _) => self.booking = Some(*b),
            (Restored::Form(form), Home::Tab(id)) => {
                tabs.get_mut(id).install_form(form, &mut ctx);
                self.active = id;
            }
            (Restored::Form(form), Home::Card) => {
                // The card it was typed over, opened again (the opening audited as any other).
                let patient = registry::card_patient(&draft.payload).ok_or(Unrestorable::OldFormat)?;
                let busy_before = self.store.busy_count();
                self.open_card(patient);
                match &mut self.card {
                    Some(card) if card.card.patient.id == patient => card.install_form(form),
                    _ => {
                        let why = match self.notice.take() {
                            Some(Notice::Error(why) | Notice::Info(why)) => why,
                            None => String::new(),
                        };
                        // Another terminal holds the lock, so the opening could not be recorded:
                        // the draft is kept and offered again, never discarded for that.
                        if self.store.busy_count() != busy_before {
                            return Err(Unrestorable::NotNow(why));
                        }
                        return Err(Unrestorable::Gone(why));
                    }
                }
            }
            (Restored::Form(_), Home::Booking) => return Err(Unrestorable::UnknownForm(draft.form.clone())),
        }
        Ok(())
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
            match bookkeeping(&mut self.store, &mut self.changes_seen, |s| s.claim_draft(session, &draft)) {
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
        add(self.card.as_ref().and_then(|c| c.step_form()));
        for id in TabId::ALL {
            add(self.tabs.get(id).open_form());
        }
        out
    }

    pub(super) fn quit_question(&self) -> String {
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
    pub(super) fn answer_quit(&mut self, key: &KeyEvent) {
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
        let current = self.form_on_top().filter(|(f, _)| f.dirty).map(|(f, card)| {
            let payload = f.to_draft();
            (
                f.id.to_string(),
                match card {
                    Some(patient_id) => registry::on_card(&payload, patient_id),
                    None => payload,
                },
            )
        });
        if let Some(cur) = current {
            if self.saved_draft.as_ref() != Some(&cur) {
                let session = &self.session;
                match bookkeeping(&mut self.store, &mut self.changes_seen, |s| {
                    s.save_draft(session, &cur.0, &cur.1)
                }) {
                    Ok(()) => self.saved_draft = Some(cur),
                    // Keep the form; the next tick tries again.
                    Err(e) => self.notice = Some(Notice::Error(e.to_string())),
                }
            }
        }
    }

    /// Once a form is saved or discarded, its draft goes too.
    pub(super) fn forget_closed_draft(&mut self) {
        let open = self.open_form().map(|f| f.id.to_string());
        if let Some((id, _)) = &self.saved_draft {
            if open.as_deref() != Some(id.as_str()) {
                let id = id.clone();
                let session = &self.session;
                if bookkeeping(&mut self.store, &mut self.changes_seen, |s| s.delete_draft(session, &id))
                    .is_ok()
                {
                    self.saved_draft = None;
                    self.offer_next_orphan();
                }
            }
        }
    }

    /// A save that met another terminal's write lock keeps its form open with the waiting
    /// message ("saved by itself when it is done"); remember the key so the tick presses it
    /// again. `busy_before`: the store's busy count before the key, for the forms that say so
    /// in the footer (the cancel's reason step) or sit over the patient card.
    pub(super) fn note_busy_save(&mut self, key: KeyEvent, busy_before: u64) {
        let busy = store::StoreError::Busy.to_string();
        if self.open_form().and_then(|f| f.message.as_deref()) == Some(busy.as_str())
            || (self.store.busy_count() != busy_before && self.other_form_open())
        {
            self.retry_save = Some(key);
        }
    }

    /// A form open that [`App::open_form`] does not name (the card's forms it does): the
    /// cancel or no-show's reason, on Today or over the patient card.
    pub(super) fn other_form_open(&self) -> bool {
        use super::tabs::today::reasons::Reason;
        let reason = |r: Option<&Reason>| matches!(r, Some(Reason::Asking(_)));
        let today = self.active == TabId::Today && reason(self.tabs.today.reason.as_ref());
        let card = self.card.as_ref().is_some_and(
            |c| matches!(&c.work.step, Some(super::card_work::Step::Reason(r)) if reason(Some(r))),
        );
        today || card
    }

    /// The same for the setup and settings screens, whose forms stay open on a busy save.
    pub(super) fn note_busy_admin_save(&mut self, key: KeyEvent, busy_before: u64) {
        if self.store.busy_count() != busy_before && (self.first_run.is_some() || self.settings.is_some()) {
            self.retry_save = Some(key);
        }
    }

    /// True while a form waits for another terminal to finish writing.
    pub fn waiting_to_save(&self) -> bool {
        self.retry_save.is_some()
    }
}

/// A write that changes nothing the tabs show (a draft): made without the staff gate, and
/// not counted as a change the tabs must reload for (unless one was already pending).
pub(super) fn bookkeeping<T>(
    store: &mut Store,
    changes_seen: &mut u64,
    f: impl FnOnce(&mut Store) -> T,
) -> T {
    let current = store.total_changes() == *changes_seen;
    let result = store.without_staff_gate(f);
    if current {
        *changes_seen = store.total_changes();
    }
    result
}
