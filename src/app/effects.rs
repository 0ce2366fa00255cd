//! What an answer ([`Effect`]) does: closing the overlay that gave it, reloading, the footer
//! message, opening the booking form or the patient card.

use super::layers::{Effect, Layer};
use super::{App, BookingRequest, Notice, Outcome, TabId, booking, card, store};

impl App {
    /// What an overlay's answer does: closing it, and whatever the answer asks of the app.
    pub(super) fn answer(&mut self, layer: Layer, effect: Effect) {
        let closes = matches!(effect, Effect::Close | Effect::CloseSaying(_));
        if closes {
            match layer {
                Layer::Draft => {}
                Layer::Help => self.help = None,
                Layer::FirstRun => self.first_run = None,
                Layer::Settings => self.settings = None,
                Layer::Booking => self.booking = None,
                Layer::Search => self.search = None,
                Layer::Card => self.card = None,
                Layer::StaffPick | Layer::Quit | Layer::Tab => {}
            }
        }
        match (layer, effect) {
            (Layer::Draft, effect) => self.answer_draft_prompt(effect),
            (Layer::StaffPick, effect) => self.staff_pick_answer(effect),
            // The setup done: the clinic starts on Today.
            (Layer::FirstRun, Effect::Close) => {
                self.active = TabId::Today;
                self.reload_all();
            }
            (_, Effect::Close) => {}
            (_, Effect::CloseSaying(m)) => {
                self.reload_all();
                self.notice = Some(Notice::Info(m));
            }
            (_, effect) => self.apply(effect),
        }
    }

    pub(super) fn apply(&mut self, outcome: Outcome) {
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
            // Only overlays close, or accept (see [`App::answer`]).
            Outcome::Accept | Outcome::Close => {}
            Outcome::CloseSaying(m) => self.notice = Some(Notice::Info(m)),
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
                self.search = None;
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
                let mut view = card::CardView::new(c);
                let today = self.now().date();
                view.money = super::card_money::CardMoney::load(&self.store, patient_id, today).unwrap_or_default();
                let _ = view.work.load(&self.store, patient_id);
                self.card = Some(view);
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
}
