//! Every form saved as a draft, by id: the one table a draft is restored from. A typed form
//! ([`DeskForm`]) is restored generically (its spec read back from the draft, its form built
//! again and filled in) and opens on its tab; the booking overlay reads its request back the
//! same way. Adding a drafted form is one line here.

use super::form::spec::{self, DeskForm, OpenForm, Unrestorable};
use super::tabs::{callbacks, huddle, inquiries, okr, today};
use super::{Ctx, TabId, booking};

/// Where a restored form opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Home {
    Tab(TabId),
    /// The booking overlay, over any tab.
    Booking,
}

/// A form opened again from its draft.
#[derive(Debug)]
pub enum Restored {
    Form(OpenForm),
    Booking(Box<booking::Booking>),
}

/// One drafted form: its id, where it opens and how it is read back.
pub struct Entry {
    pub id: &'static str,
    pub home: Home,
    pub restore: fn(&str, &mut Ctx<'_>) -> Result<Restored, Unrestorable>,
}

const fn typed<S: DeskForm>(tab: TabId) -> Entry {
    Entry { id: S::ID, home: Home::Tab(tab), restore: restore_typed::<S> }
}

fn restore_typed<S: DeskForm>(payload: &str, ctx: &mut Ctx<'_>) -> Result<Restored, Unrestorable> {
    spec::restore::<S>(payload, ctx).map(Restored::Form)
}

fn restore_booking(payload: &str, ctx: &mut Ctx<'_>) -> Result<Restored, Unrestorable> {
    booking::Booking::restore(payload, ctx).map(|b| Restored::Booking(Box::new(b)))
}

/// Every drafted form.
pub const FORMS: &[Entry] = &[
    Entry { id: booking::FORM_ID, home: Home::Booking, restore: restore_booking },
    typed::<today::NoteForm>(TabId::Today),
    typed::<today::StickersForm>(TabId::Today),
    typed::<today::ComplaintForm>(TabId::Today),
    typed::<today::CheckoutForm>(TabId::Today),
    typed::<today::ReasonForm>(TabId::Today),
    typed::<callbacks::LogForm>(TabId::Callbacks),
    typed::<callbacks::SnoozeForm>(TabId::Callbacks),
    typed::<callbacks::ConsultationForm>(TabId::Callbacks),
    typed::<inquiries::CallForm>(TabId::Inquiries),
    typed::<inquiries::QaForm>(TabId::Inquiries),
    typed::<inquiries::CorrectForm>(TabId::Inquiries),
    typed::<okr::NewObjectiveForm>(TabId::Okr),
    typed::<okr::ObjectiveForm>(TabId::Okr),
    typed::<okr::KeyResultForm>(TabId::Okr),
    typed::<okr::CheckInForm>(TabId::Okr),
    typed::<huddle::ActionForm>(TabId::Huddle),
];

/// The entry of a form id.
pub fn entry(id: &str) -> Option<&'static Entry> {
    FORMS.iter().find(|e| e.id == id)
}
