//! Texts at the desk: the card's consent keys and a free text queued for one person. Sending
//! itself (claim, provider, settle) is `crate::sms`; what is due is `store::messages`.

use chrono::NaiveDate;

use super::{DeskError, Result, Why};
use crate::domain::Lang;
use crate::domain::messages::{Template, template_problem};
use crate::domain::phone::Phone;
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

/// The settings screen saves a text template: refused with the problem's name (an unknown
/// placeholder) before anything is written; saved and audited otherwise.
pub fn save_template(store: &mut Store, t: &Template) -> Result<()> {
    let body = crate::domain::text::clean(&t.body);
    if let Some(p) = template_problem(&body) {
        return Err(DeskError::Field { field: "body", why: Why::Template(p) });
    }
    let t = Template { body, ..t.clone() };
    Ok(store.write(|tx| outbox::set_template(tx, &t))?)
}

/// The settings screen saves what the templates quote: the clinic's phone (`{clinic_phone}`)
/// and the free opt-out number advertising texts end with. Each may be empty; a number typed
/// is checked and stored with dashes.
pub fn save_texts_numbers(store: &mut Store, clinic_phone: &str, opt_out_number: &str) -> Result<()> {
    let check = |field: &'static str, v: &str| -> Result<String> {
        let v = v.trim();
        if v.is_empty() {
            return Ok(String::new());
        }
        Phone::parse(v).map(|p| p.formatted()).map_err(|m| DeskError::Field { field, why: Why::Phone(m) })
    };
    let phone = check("clinic_phone", clinic_phone)?;
    let opt_out = check("opt_out_number", opt_out_number)?;
    Ok(store.write(|tx| {
        crate::store::settings::set_setting(tx, "clinic_phone", &phone)?;
        crate::store::settings::set_setting(tx, "sms_opt_out_number", &opt_out)
    })?)
}
