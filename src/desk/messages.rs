//! Texts at the desk: the card's consent keys and a free text queued for one person. Sending
//! itself (claim, provider, settle) is `crate::sms`; what is due is `store::messages`.

use chrono::NaiveDate;

use super::Result;
use crate::domain::Lang;
use crate::store::Store;
use crate::store::messages as outbox;

/// The card's `a`: records marketing consent given today (the store's day), or withdraws
/// consent already given. Returns the consent day now on record.
pub fn toggle_marketing_consent(store: &mut Store, patient_id: i64) -> Result<Option<NaiveDate>> {
    let on = match outbox::consent(store.conn(), patient_id)?.marketing_consent_on {
        Some(_) => None,
        None => Some(store.now().date()),
    };
    store.write(|tx| outbox::set_marketing_consent(tx, patient_id, on))?;
    Ok(on)
}

/// The card's `o`: records the patient's opt-out from texts, or lifts it. Returns whether
/// the patient is now opted out.
pub fn toggle_opt_out(store: &mut Store, patient_id: i64) -> Result<bool> {
    let now_out = !outbox::consent(store.conn(), patient_id)?.texts_opted_out;
    store.write(|tx| outbox::set_texts_opted_out(tx, patient_id, now_out))?;
    Ok(now_out)
}

/// Queues a free text to the person of a callback; returns the outbox row to send.
pub fn queue_free_text(store: &mut Store, callback_id: i64, body: &str, lang: Lang) -> Result<i64> {
    Ok(store.write(|tx| outbox::queue_free_text(tx, callback_id, body, lang))?)
}
