//! Every form saved as a draft, by id: the one table a draft is restored from. A typed form
//! ([`DeskForm`]) is restored generically (its spec read back from the draft, its form built
//! again and filled in) and opens on its tab; the booking overlay reads its request back the
//! same way. Adding a drafted form is one line here.
//!
//! A form saved from the patient card (its money forms, name and phone, and the chart forms
//! when opened there) carries the card's patient in its draft ([`CARD_KEY`]): it reopens over
//! that patient's card, whatever its entry's home.

use super::form::spec::{self, DeskForm, OpenForm, Unrestorable};
use super::tabs::{callbacks, huddle, inquiries, okr, today};
use super::{Ctx, TabId, booking, card_identity, card_pay};

/// Where a restored form opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Home {
    Tab(TabId),
    /// The booking overlay, over any tab.
    Booking,
    /// Over the patient's card (the patient read from the draft's [`CARD_KEY`]).
    Card,
}

/// The key under which a draft saved from the patient card keeps the card's patient id.
pub const CARD_KEY: &str = "__card";

/// The patient whose card a draft was saved from, if it was.
pub fn card_of(payload: &str) -> Option<i64> {
    let map: std::collections::BTreeMap<String, String> = serde_json::from_str(payload).ok()?;
    map.get(CARD_KEY)?.parse().ok()
}

/// A draft's payload with the card's patient added (see [`card_of`]).
pub fn on_card(payload: &str, patient_id: i64) -> String {
    match serde_json::from_str::<std::collections::BTreeMap<String, String>>(payload) {
        Ok(mut map) => {
            map.insert(CARD_KEY.to_string(), patient_id.to_string());
            serde_json::to_string(&map).unwrap_or_else(|_| payload.to_string())
        }
        Err(_) => payload.to_string(),
    }
}

/// The patient whose card a draft reopens over: the card it was saved from, else (a card
/// form's draft without it) the patient its spec is about.
pub fn card_patient(payload: &str) -> Option<i64> {
    card_of(payload).or_else(|| {
        let state: serde_json::Value = spec::state_of(payload).ok()?;
        state.get("patient_id")?.as_i64()
    })
}

/// Where a draft reopens: over the card it was saved from, else its form's home.
pub fn home_of(entry: &Entry, payload: &str) -> Home {
    if card_of(payload).is_some() { Home::Card } else { entry.home }
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

const fn card<S: DeskForm>() -> Entry {
    Entry { id: S::ID, home: Home::Card, restore: restore_typed::<S> }
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
    card::<card_pay::PaymentForm>(),
    card::<card_pay::PackageForm>(),
    card::<card_pay::RefundForm>(),
    card::<card_pay::CorrectForm>(),
    card::<card_identity::IdentityForm>(),
];

/// The entry of a form id.
pub fn entry(id: &str) -> Option<&'static Entry> {
    FORMS.iter().find(|e| e.id == id)
}
