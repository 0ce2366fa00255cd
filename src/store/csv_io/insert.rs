//! Inserting one prepared import row.

use super::InFile;
use super::cells::ts;
use super::ready::{PatientRef, Ready};
use crate::domain::CallbackKind;
use crate::domain::ConsultationStatus;
use crate::domain::DATE_FORMAT;
use crate::store::Result;
use crate::store::StoreError;
use crate::store::Tx;
use crate::store::audit::Entry;
use crate::store::callbacks::NewCallback;
use crate::store::callbacks::open_callback;
use crate::store::patients::insert_patient;
use chrono::NaiveDateTime;
use rusqlite::params;

/// Inserts one prepared row (statements cached: an import holds the lock only this long).
pub(super) fn insert_ready(
    tx: &Tx<'_>,
    ready: &Ready,
    written: &mut InFile,
    now: NaiveDateTime,
) -> Result<()> {
    match ready {
        Ready::Patient { patient, referrer_in_file, tags, note, first_visit } => {
            let mut p = patient.clone();
            if let Some(chart) = referrer_in_file {
                p.referrer_id = written.charts.get(chart).copied();
            }
            let id = insert_patient(tx, &p)?;
            written.charts.insert(p.chart_no.clone(), id);
            for tag in tags {
                tx.prepare_cached(
                    "INSERT INTO patient_tags (patient_id, tag, tagged_at) VALUES (?1, ?2, ?3)",
                )?
                .execute(params![id, tag.code(), ts(now)])?;
                tx.audit(&Entry::new("import", "tag").patient(id).detail(tag.code()))?;
            }
            if !note.is_empty() {
                tx.prepare_cached(
                    "INSERT INTO notes (patient_id, body, author, created_at) VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(params![id, note, tx.actor().staff, ts(now)])?;
                let note_id = tx.last_insert_rowid();
                tx.audit(&Entry::new("import", "note").id(note_id).patient(id))?;
            }
            if let Some(day) = first_visit {
                // History from another system: the first visit, done, on that day.
                let start = ts(day.and_hms_opt(9, 0, 0).expect("valid time"));
                tx.prepare_cached(
                    "INSERT INTO appointments (patient_id, start, duration_min, status, booked_at, updated_at)
                     VALUES (?1, ?2, 30, 'done', ?2, ?3)",
                )?
                .execute(params![id, start, ts(now)])?;
                let appt = tx.last_insert_rowid();
                tx.audit(&Entry::new("import", "appointment").id(appt).patient(id).detail("first visit"))?;
            }
        }
        Ready::Appointment { patient_id, start, duration, provider_id, treatment, status, booked_at } => {
            tx.prepare_cached(
                "INSERT INTO appointments (patient_id, start, duration_min, provider_id, treatment_code, status, booked_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                patient_id,
                ts(*start),
                duration,
                provider_id,
                treatment,
                status.code(),
                ts(*booked_at),
                ts(now)
            ])?;
            let id = tx.last_insert_rowid();
            tx.audit(&Entry::new("import", "appointment").id(id).patient(*patient_id))?;
        }
        Ready::Inquiry {
            received_at,
            caller_name,
            phone,
            phone_digits,
            patient_id,
            topic,
            questions,
            source,
            channel,
            referrer_id,
            outcome,
            note,
        } => {
            tx.prepare_cached(
                "INSERT INTO inquiries (received_at, caller_name, phone, phone_digits, patient_id, topic_code, questions,
                                        referral_source, referral_channel, referrer_id, outcome, note, taken_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )?
            .execute(params![
                ts(*received_at),
                caller_name,
                phone,
                phone_digits,
                patient_id,
                topic,
                questions,
                source,
                channel,
                referrer_id,
                outcome.code(),
                note,
                tx.actor().staff
            ])?;
            let id = tx.last_insert_rowid();
            let mut entry = Entry::new("import", "inquiry").id(id);
            if let Some(p) = patient_id {
                entry = entry.patient(*p);
            }
            tx.audit(&entry)?;
        }
        Ready::Consultation {
            patient,
            consulted_at,
            treatment,
            quoted,
            offered,
            status,
            recall_on,
            note,
            reaction,
        } => {
            let patient_id = match patient {
                PatientRef::Id(id) => *id,
                PatientRef::New(p) => {
                    let id = insert_patient(tx, p)?;
                    let digits =
                        crate::domain::phone::Phone::parse(&p.phone).map(|p| p.digits).unwrap_or_default();
                    if !digits.is_empty() {
                        written.phones.insert(digits, id);
                    }
                    id
                }
                PatientRef::EarlierInFile(digits) => *written.phones.get(digits).ok_or_else(|| {
                    StoreError::Invalid(format!("the person with phone {digits} was not registered"))
                })?,
            };
            let decided_at = (*status != ConsultationStatus::Undecided).then(|| ts(*consulted_at));
            tx.prepare_cached(
                "INSERT INTO consultations (patient_id, consulted_at, treatment_code, quoted_krw, offered_krw, status, decided_at,
                                            recall_on, circumstances, reaction)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?
            .execute(params![
                patient_id,
                ts(*consulted_at),
                treatment,
                quoted,
                offered,
                status.code(),
                decided_at,
                recall_on.map(|d| d.format(DATE_FORMAT).to_string()),
                note,
                reaction
            ])?;
            let id = tx.last_insert_rowid();
            tx.audit(&Entry::new("import", "consultation").id(id).patient(patient_id))?;
            if let (Some(due), ConsultationStatus::Undecided) = (recall_on, status) {
                let mut c = NewCallback::new(patient_id, CallbackKind::Prospect, *due);
                c.consultation_id = Some(id);
                open_callback(tx, &c)?;
            }
        }
        Ready::Complaint {
            patient_id,
            raised_at,
            category,
            description,
            status,
            resolved_at,
            resolution,
        } => {
            tx.prepare_cached(
                "INSERT INTO complaints (patient_id, raised_at, category_code, description, status, resolved_at, resolution)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![patient_id, ts(*raised_at), category, description, status, resolved_at, resolution])?;
            let id = tx.last_insert_rowid();
            tx.audit(&Entry::new("import", "complaint").id(id).patient(*patient_id))?;
        }
        Ready::Payment(p) => {
            crate::store::payments::insert_payment(tx, p)?;
        }
        Ready::Package(p) => {
            crate::store::packages::insert_package(tx, p)?;
        }
    }
    Ok(())
}
