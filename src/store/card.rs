//! The patient card: everything the desk knows about one person, read in one go. Opening it
//! is itself recorded (DESIGN §5: every opening of a patient card writes an audit row).

use rusqlite::params;

use super::appointments::{Appointment, patient_appointments};
use super::audit::Entry;
use super::complaints::{Complaint, patient_complaints};
use super::notes::{Note, patient_notes};
use super::patients::{Patient, get_patient};
use super::tags::patient_tags;
use super::{Result, Store};
use crate::domain::Tag;

#[derive(Debug, Clone, PartialEq)]
pub struct Consultation {
    pub consulted_at: String,
    pub treatment_code: Option<String>,
    pub quoted_krw: Option<i64>,
    pub offered_krw: Option<i64>,
    pub status: String,
    pub circumstances: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CallbackContact {
    pub contacted_at: String,
    pub channel: String,
    pub reached: bool,
    pub reaction: String,
    pub next_plan: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CardCallback {
    pub kind: String,
    pub due_on: String,
    pub open: bool,
    pub outcome: Option<String>,
    pub note: String,
    pub contacts: Vec<CallbackContact>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CardInquiry {
    pub received_at: String,
    pub topic_code: Option<String>,
    pub questions: String,
    pub outcome: String,
    pub note: String,
}

/// Someone this patient referred, and how far down the tree (1 = referred directly).
#[derive(Debug, Clone, PartialEq)]
pub struct Referred {
    pub depth: i64,
    pub chart_no: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PatientCard {
    pub patient: Patient,
    pub referrer: Option<Patient>,
    pub tags: Vec<Tag>,
    pub notes: Vec<Note>,
    pub visits: Vec<Appointment>,
    pub complaints: Vec<Complaint>,
    pub consultations: Vec<Consultation>,
    pub callbacks: Vec<CardCallback>,
    pub inquiries: Vec<CardInquiry>,
    pub referred: Vec<Referred>,
    /// The texts sent to the patient, newest first, and their consent (issue 20).
    pub texts: Vec<super::messages::OutboxRow>,
    pub text_consent: crate::domain::messages::Consent,
}

/// How many rows of each list the card reads; the card is for the desk, not an archive.
const CARD_LIMIT: i64 = 50;
/// How deep the referral tree goes, and how many people it shows.
const TREE_DEPTH: i64 = 3;
const TREE_LIMIT: i64 = 60;

/// Reads the card without recording the view (for tests and reloads of an open card).
pub fn load_card(conn: &impl super::Db, patient_id: i64) -> Result<PatientCard> {
    let conn = conn.db();
    let patient = get_patient(conn, patient_id)?;
    let referrer = match patient.referrer_id {
        Some(r) => get_patient(conn, r).ok(),
        None => None,
    };
    let mut stmt = conn.prepare_cached(
        "SELECT consulted_at, treatment_code, quoted_krw, offered_krw, status, circumstances
         FROM consultations WHERE patient_id = ?1 ORDER BY consulted_at DESC LIMIT ?2",
    )?;
    let consultations = stmt
        .query_map(params![patient_id, CARD_LIMIT], |r| {
            Ok(Consultation {
                consulted_at: r.get(0)?,
                treatment_code: r.get(1)?,
                quoted_krw: r.get(2)?,
                offered_krw: r.get(3)?,
                status: r.get(4)?,
                circumstances: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT id, kind, due_on, status, outcome, note FROM callbacks WHERE patient_id = ?1
         ORDER BY due_on DESC LIMIT ?2",
    )?;
    let raw = stmt
        .query_map(params![patient_id, CARD_LIMIT], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                CardCallback {
                    kind: r.get(1)?,
                    due_on: r.get(2)?,
                    open: r.get::<_, String>(3)? == "open",
                    outcome: r.get(4)?,
                    note: r.get(5)?,
                    contacts: Vec::new(),
                },
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut callbacks = Vec::new();
    let mut contacts_stmt = conn.prepare_cached(
        "SELECT contacted_at, channel, reached, reaction, next_plan FROM callback_contacts
         WHERE callback_id = ?1 ORDER BY contacted_at",
    )?;
    for (id, mut cb) in raw {
        cb.contacts = contacts_stmt
            .query_map([id], |r| {
                Ok(CallbackContact {
                    contacted_at: r.get(0)?,
                    channel: r.get(1)?,
                    reached: r.get(2)?,
                    reaction: r.get(3)?,
                    next_plan: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        callbacks.push(cb);
    }
    let mut stmt = conn.prepare_cached(
        "SELECT received_at, topic_code, questions, outcome, note FROM inquiries WHERE patient_id = ?1
         ORDER BY received_at DESC LIMIT ?2",
    )?;
    let inquiries = stmt
        .query_map(params![patient_id, CARD_LIMIT], |r| {
            Ok(CardInquiry {
                received_at: r.get(0)?,
                topic_code: r.get(1)?,
                questions: r.get(2)?,
                outcome: r.get(3)?,
                note: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    // Walks patients_by_referrer down from this patient; the depth bound also stops cycles.
    // CROSS JOIN keeps the tree as the outer loop: left to itself the planner may read every
    // patient and probe the tree for each (tests/query_plans.rs).
    let mut stmt = conn.prepare_cached(
        "WITH RECURSIVE tree(id, depth, path) AS (
             SELECT id, 1, printf('%08d', id) FROM patients WHERE referrer_id = ?1
             UNION ALL
             SELECT p.id, t.depth + 1, t.path || printf('%08d', p.id)
             FROM patients p JOIN tree t ON p.referrer_id = t.id WHERE t.depth < ?2
         )
         SELECT t.depth, p.chart_no, p.name FROM tree t CROSS JOIN patients p ON p.id = t.id
         ORDER BY t.path LIMIT ?3",
    )?;
    let referred = stmt
        .query_map(params![patient_id, TREE_DEPTH, TREE_LIMIT], |r| {
            Ok(Referred { depth: r.get(0)?, chart_no: r.get(1)?, name: r.get(2)? })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(PatientCard {
        tags: patient_tags(conn, patient_id)?,
        notes: patient_notes(conn, patient_id, CARD_LIMIT)?,
        visits: patient_appointments(conn, patient_id, CARD_LIMIT)?,
        complaints: patient_complaints(conn, patient_id)?,
        patient,
        referrer,
        consultations,
        callbacks,
        inquiries,
        referred,
        texts: super::messages::for_patient(conn, patient_id)?,
        text_consent: super::messages::consent(conn, patient_id)?,
    })
}

impl Store {
    /// Opens a patient's card: records the view in its own write transaction, then reads.
    pub fn open_card(&mut self, patient_id: i64) -> Result<PatientCard> {
        self.write(|tx| {
            // Refuse to log a view of someone who does not exist.
            get_patient(tx, patient_id)?;
            tx.audit(&Entry::new("view", "patient").id(patient_id).patient(patient_id))
        })?;
        load_card(self.conn(), patient_id)
    }
}
