//! Phone inquiries (전화 문의), the callers they turn into patients, the callbacks and bookings
//! they lead to, and the phone Q&A manual (전화응대 매뉴얼).

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, params};

use super::appointments::{NewAppointment, insert_appointment};
use super::audit::Entry;
use super::callbacks::{NewCallback, open_callback};
use super::patients::{NewPatient, insert_patient};
use super::{Result, StoreError, Tx};
use crate::domain::phone::{Phone, format_digits};
use crate::domain::reports::{EXISTING_PATIENT_SOURCE, UNKNOWN_SOURCE};
use crate::domain::text::clean;
use crate::domain::{CallbackKind, DATE_FORMAT, InquiryOutcome, QuestionKind, TIME_FORMAT};

/// What the desk needs to see of a patient while on the phone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatientBrief {
    pub id: i64,
    pub chart_no: String,
    pub name: String,
    pub phone: String,
    pub birth_date: Option<String>,
    pub sex: Option<String>,
    pub referral_source: Option<String>,
}

const BRIEF_COLUMNS: &str = "id, chart_no, name, phone, birth_date, sex, referral_source";

fn brief(r: &rusqlite::Row<'_>) -> rusqlite::Result<PatientBrief> {
    Ok(PatientBrief {
        id: r.get(0)?,
        chart_no: r.get(1)?,
        name: r.get(2)?,
        phone: r.get(3)?,
        birth_date: r.get(4)?,
        sex: r.get(5)?,
        referral_source: r.get(6)?,
    })
}

/// The patient with this phone number (digits), the earliest registered when several share it.
pub fn patient_by_phone(conn: &impl super::Db, digits: &str) -> Result<Option<PatientBrief>> {
    let conn = conn.db();
    if digits.is_empty() {
        return Ok(None);
    }
    Ok(conn
        .query_row(
            &format!("SELECT {BRIEF_COLUMNS} FROM patients WHERE phone_digits = ?1 ORDER BY id LIMIT 1"),
            [digits],
            brief,
        )
        .optional()?)
}

pub fn patient_by_chart_no(conn: &Connection, chart_no: &str) -> Result<Option<PatientBrief>> {
    Ok(conn
        .query_row(
            &format!("SELECT {BRIEF_COLUMNS} FROM patients WHERE chart_key = ?1"),
            [crate::domain::text::chart_key(chart_no)],
            brief,
        )
        .optional()?)
}

pub fn patient_by_id(conn: &impl super::Db, id: i64) -> Result<Option<PatientBrief>> {
    let conn = conn.db();
    Ok(conn
        .query_row(&format!("SELECT {BRIEF_COLUMNS} FROM patients WHERE id = ?1"), [id], brief)
        .optional()?)
}

/// Patients matching a search, as briefs: the one patient search
/// ([`super::patients::search_patients`]) serves the call form and the pickers too.
pub fn search_patients(conn: &impl super::Db, query: &str, limit: usize) -> Result<Vec<PatientBrief>> {
    let conn = conn.db();
    Ok(super::patients::search_patients(conn, query, limit)?.iter().map(PatientBrief::from).collect())
}

impl From<&super::patients::Patient> for PatientBrief {
    fn from(p: &super::patients::Patient) -> PatientBrief {
        PatientBrief {
            id: p.id,
            chart_no: p.chart_no.clone(),
            name: p.name.clone(),
            phone: p.phone.clone(),
            birth_date: p.birth_date.map(|d| d.format(crate::domain::DATE_FORMAT).to_string()),
            sex: p.sex.map(|s| s.code().to_string()),
            referral_source: p.referral_source.clone(),
        }
    }
}

/// How a call ended, with what the outcome needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallOutcome {
    Info,
    /// Call back on this date (a `prospect` callback, or `recall` for someone who has visited).
    Callback(NaiveDate),
    /// Booked: at this time (the appointment is made here), or with no time yet (the booking
    /// form takes over). With no time the call is stored as a callback due the day of the
    /// call, never as "booked": "booked" means an appointment exists, and the booking form
    /// turns the inquiry into "booked" in the same transaction as the appointment
    /// ([`super::appointments::link_booking`]). Left unbooked, the caller stays in the queue.
    Booked(Option<NaiveDateTime>),
}

impl CallOutcome {
    pub fn code(self) -> InquiryOutcome {
        match self {
            CallOutcome::Info => InquiryOutcome::Info,
            CallOutcome::Callback(_) => InquiryOutcome::Callback,
            CallOutcome::Booked(_) => InquiryOutcome::Booked,
        }
    }
}

/// A call as the desk logs it.
#[derive(Debug, Clone)]
pub struct NewInquiry {
    pub received_at: NaiveDateTime,
    pub caller_name: String,
    pub phone: Option<Phone>,
    /// The patient the caller is, when known (recognised by number or picked).
    pub patient_id: Option<i64>,
    pub topic: Option<String>,
    pub questions: Vec<QuestionKind>,
    pub referral_source: Option<String>,
    pub referral_channel: Option<String>,
    pub referrer_id: Option<i64>,
    pub note: String,
    pub outcome: CallOutcome,
}

/// What logging a call did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logged {
    pub inquiry_id: i64,
    pub patient_id: Option<i64>,
    pub created_patient: bool,
    pub callback_id: Option<i64>,
    pub appointment_id: Option<i64>,
}

/// Logs a call. A caller is not a patient: they get a chart number only when booked (an
/// appointment at a time made here, or the booking form, which registers them and links the
/// inquiry) or when they visit. Until then they live with their inquiry (name, phone), and a
/// "call back" is a callback on the inquiry. A caller recognised as a patient (by number, or
/// picked) is recorded as such: with no source heard, the source is "existing patient", never
/// the patient's original one (that would count a returning patient as a new inquiry).
pub fn log_inquiry(tx: &Tx<'_>, inq: &NewInquiry) -> Result<Logged> {
    // "Booked" with no appointment yet promises a record that does not exist: it is logged as
    // a callback due today until the booking form links the appointment.
    let owned;
    let inq = if inq.outcome == CallOutcome::Booked(None) {
        owned = NewInquiry { outcome: CallOutcome::Callback(inq.received_at.date()), ..inq.clone() };
        &owned
    } else {
        inq
    };
    let digits = inq.phone.as_ref().map(|p| p.digits.clone()).unwrap_or_default();
    let mut patient_id = match inq.patient_id {
        Some(id) => Some(id),
        None => patient_by_phone(tx, &digits)?.map(|p| p.id),
    };
    let referral_source = match (&inq.referral_source, patient_id) {
        (None, Some(_)) => Some(EXISTING_PATIENT_SOURCE.to_string()),
        (s, _) => s.clone(),
    };
    let mut created_patient = false;
    // A caller in the queue or on the book is known by name.
    if patient_id.is_none()
        && inq.outcome != CallOutcome::Info
        && crate::domain::text::clean_line(&inq.caller_name).is_empty()
    {
        return Err(StoreError::Invalid(
            "a callback or a booking needs the caller's name / 재연락/예약에는 이름이 필요합니다".into(),
        ));
    }
    if patient_id.is_none() && matches!(inq.outcome, CallOutcome::Booked(Some(_))) {
        let p = NewPatient {
            name: inq.caller_name.clone(),
            phone: inq.phone.as_ref().map(|p| p.formatted()).unwrap_or_default(),
            referral_source: referral_source.clone().filter(|s| s != EXISTING_PATIENT_SOURCE),
            referral_channel: inq.referral_channel.clone(),
            referrer_id: inq.referrer_id,
            ..NewPatient::default()
        };
        patient_id = Some(insert_patient(tx, &p)?);
        created_patient = true;
    }
    let mut callback_id = None;
    let mut appointment_id = None;
    let mut callback_on = None;
    match inq.outcome {
        CallOutcome::Info => {}
        CallOutcome::Callback(due) => {
            // Opened once the inquiry row exists (a caller's callback points at it).
            callback_on = Some(due.format(DATE_FORMAT).to_string());
        }
        CallOutcome::Booked(None) => unreachable!("logged as a callback above"),
        CallOutcome::Booked(Some(start)) => {
            let pid = patient_id.expect("made above");
            let duration: i64 = match &inq.topic {
                Some(t) => tx
                    .query_row("SELECT duration_min FROM treatments WHERE code = ?1", [t], |r| r.get(0))
                    .optional()?
                    .unwrap_or(30),
                None => 30,
            };
            let a = NewAppointment {
                patient_id: pid,
                start,
                duration_min: duration,
                provider_id: None,
                treatment_code: inq.topic.clone(),
            };
            appointment_id = Some(insert_appointment(tx, &a)?);
        }
    }
    let questions: Vec<&str> = inq.questions.iter().map(|q| q.code()).collect();
    tx.execute(
        "INSERT INTO inquiries (received_at, caller_name, phone, phone_digits, patient_id, topic_code, questions,
                                referral_source, referral_channel, referrer_id, outcome, callback_on, appointment_id,
                                note, taken_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        params![
            inq.received_at.format(TIME_FORMAT).to_string(),
            crate::domain::text::clean_line(&inq.caller_name),
            if digits.is_empty() { String::new() } else { format_digits(&digits) },
            digits,
            patient_id,
            inq.topic,
            questions.join(","),
            referral_source,
            inq.referral_channel,
            inq.referrer_id,
            inq.outcome.code().code(),
            callback_on,
            appointment_id,
            clean(&inq.note),
            tx.actor().staff.clone(),
        ],
    )?;
    let inquiry_id = tx.last_insert_rowid();
    let mut entry = Entry::new("create", "inquiry").id(inquiry_id).detail(inq.outcome.code().code());
    if let Some(p) = patient_id {
        entry = entry.patient(p);
    }
    tx.audit(&entry)?;
    if let CallOutcome::Callback(due) = inq.outcome {
        let mut c = match patient_id {
            Some(pid) => {
                let visited: bool = tx.query_row(
                    "SELECT EXISTS(SELECT 1 FROM appointments WHERE patient_id = ?1 AND status = 'done')",
                    [pid],
                    |r| r.get(0),
                )?;
                // Someone who has been treated is recalled; someone who has not is a prospect.
                let kind = if visited { CallbackKind::Recall } else { CallbackKind::Prospect };
                NewCallback::new(pid, kind, due)
            }
            None => NewCallback::for_caller(inquiry_id, CallbackKind::Prospect, due),
        };
        c.note = clean(&inq.note);
        callback_id = Some(open_callback(tx, &c)?);
    }
    Ok(Logged { inquiry_id, patient_id, created_patient, callback_id, appointment_id })
}

/// An inquiry as the log shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InquiryRow {
    pub id: i64,
    pub received_at: String,
    pub caller_name: String,
    pub phone: String,
    pub patient_id: Option<i64>,
    pub chart_no: Option<String>,
    pub topic: Option<String>,
    pub questions: Vec<QuestionKind>,
    pub referral_source: Option<String>,
    pub referral_channel: Option<String>,
    pub referrer_id: Option<i64>,
    pub referrer_name: Option<String>,
    pub outcome: InquiryOutcome,
    pub callback_on: Option<String>,
    pub note: String,
}

const ROW_SELECT: &str =
    "SELECT i.id, i.received_at, i.caller_name, i.phone, i.patient_id, p.chart_no, i.topic_code, i.questions,
            i.referral_source, i.referral_channel, r.name, i.outcome, i.callback_on, i.note, i.referrer_id
     FROM inquiries i
     LEFT JOIN patients p ON p.id = i.patient_id
     LEFT JOIN patients r ON r.id = i.referrer_id";

/// One inquiry (a caller's callback shows their name and phone from it).
pub fn inquiry_by_id(conn: &impl super::Db, id: i64) -> Result<Option<InquiryRow>> {
    let conn = conn.db();
    Ok(conn.query_row(&format!("{ROW_SELECT} WHERE i.id = ?1"), [id], inquiry_row).optional()?)
}

/// Inquiries received in `[from, to_exclusive)` (stored time text), in time order.
pub fn inquiries_between(conn: &impl super::Db, from: &str, to_exclusive: &str) -> Result<Vec<InquiryRow>> {
    let conn = conn.db();
    let mut stmt = conn.prepare(&format!(
        "{ROW_SELECT} WHERE i.received_at >= ?1 AND i.received_at < ?2 ORDER BY i.received_at, i.id"
    ))?;
    let rows = stmt.query_map([from, to_exclusive], inquiry_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

fn inquiry_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<InquiryRow> {
    let questions: String = r.get(7)?;
    let outcome: String = r.get(11)?;
    Ok(InquiryRow {
        id: r.get(0)?,
        received_at: r.get(1)?,
        caller_name: r.get(2)?,
        phone: r.get(3)?,
        patient_id: r.get(4)?,
        chart_no: r.get(5)?,
        topic: r.get(6)?,
        questions: questions.split(',').filter_map(QuestionKind::parse).collect(),
        referral_source: r.get(8)?,
        referral_channel: r.get(9)?,
        referrer_id: r.get(14)?,
        referrer_name: r.get(10)?,
        outcome: InquiryOutcome::parse(&outcome).unwrap_or(InquiryOutcome::Info),
        callback_on: r.get(12)?,
        note: r.get(13)?,
    })
}

/// Inquiries received in `[from, to_exclusive)` by referral source (`unknown` when not asked).
pub fn inquiry_counts_by_source(
    conn: &impl super::Db,
    from: &str,
    to_exclusive: &str,
) -> Result<Vec<(String, i64)>> {
    let conn = conn.db();
    let mut stmt = conn.prepare(
        "SELECT coalesce(referral_source, ?3), count(*) FROM inquiries
         WHERE received_at >= ?1 AND received_at < ?2 GROUP BY 1",
    )?;
    let rows = stmt
        .query_map(params![from, to_exclusive, UNKNOWN_SOURCE], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// One prepared answer of the phone manual.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QaEntry {
    pub id: i64,
    /// None: applies to every topic.
    pub treatment_code: Option<String>,
    pub kind: QuestionKind,
    pub question: String,
    /// The answer as the desk reads it: the placeholders filled from the clinic's settings.
    pub answer: String,
    /// The answer as stored, placeholders (`{hours}` ~) and all: what the editor shows.
    pub template: String,
}

/// The whole manual: general entries first, then by treatment, in the clinic's order. The
/// answers' placeholders (`{hours}`, `{saturday}`, `{lunch}`, `{closed}`, `{parking}`) are
/// filled from the clinic's settings here, so the setup's hours are in every answer at once.
pub fn qa_entries(conn: &impl super::Db) -> Result<Vec<QaEntry>> {
    let conn = conn.db();
    let facts = super::settings::manual_facts(conn)?;
    let mut stmt = conn.prepare(
        "SELECT q.id, q.treatment_code, q.question_kind, q.question, q.answer
         FROM qa_entries q LEFT JOIN treatments t ON t.code = q.treatment_code
         ORDER BY q.treatment_code IS NOT NULL, t.sort, q.sort, q.id",
    )?;
    let rows = stmt
        .query_map([], |r| {
            let kind: String = r.get(2)?;
            let template: String = r.get(4)?;
            Ok(QaEntry {
                id: r.get(0)?,
                treatment_code: r.get(1)?,
                kind: QuestionKind::parse(&kind).unwrap_or(QuestionKind::Other),
                question: r.get(3)?,
                answer: facts.fill(&template),
                template,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

fn check_qa(question: &str, answer: &str) -> Result<()> {
    if clean(question).is_empty() || clean(answer).is_empty() {
        return Err(StoreError::Invalid(
            "question and answer must not be empty / 질문과 답을 적어 주세요".into(),
        ));
    }
    Ok(())
}

pub fn insert_qa(
    tx: &Tx<'_>,
    treatment: Option<&str>,
    kind: QuestionKind,
    question: &str,
    answer: &str,
) -> Result<i64> {
    check_qa(question, answer)?;
    let sort: i64 = tx.query_row("SELECT coalesce(max(sort), 0) + 1 FROM qa_entries", [], |r| r.get(0))?;
    tx.execute(
        "INSERT INTO qa_entries (treatment_code, question_kind, question, answer, sort) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![treatment, kind.code(), clean(question), clean(answer), sort],
    )?;
    let id = tx.last_insert_rowid();
    tx.audit(&Entry::new("create", "qa_entry").id(id))?;
    Ok(id)
}

pub fn update_qa(
    tx: &Tx<'_>,
    id: i64,
    treatment: Option<&str>,
    kind: QuestionKind,
    question: &str,
    answer: &str,
) -> Result<()> {
    check_qa(question, answer)?;
    let n = tx.execute(
        "UPDATE qa_entries SET treatment_code = ?1, question_kind = ?2, question = ?3, answer = ?4 WHERE id = ?5",
        params![treatment, kind.code(), clean(question), clean(answer), id],
    )?;
    if n == 0 {
        return Err(StoreError::NotFound(format!("Q&A entry {id}")));
    }
    tx.audit(&Entry::new("update", "qa_entry").id(id))?;
    Ok(())
}

pub fn delete_qa(tx: &Tx<'_>, id: i64) -> Result<()> {
    let n = tx.execute("DELETE FROM qa_entries WHERE id = ?1", [id])?;
    if n == 0 {
        return Err(StoreError::NotFound(format!("Q&A entry {id}")));
    }
    tx.audit(&Entry::new("delete", "qa_entry").id(id))?;
    Ok(())
}

/// An inquiry's fields as the desk corrects them (the outcome apart: see
/// `desk::booking::correct_inquiry`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InquiryFields {
    pub caller_name: String,
    pub topic: Option<String>,
    pub questions: Vec<QuestionKind>,
    pub referral_source: Option<String>,
    pub referral_channel: Option<String>,
    pub referrer_id: Option<i64>,
    pub note: String,
}

/// An inquiry's outcome, its appointment and its patient, as stored.
pub type InquiryLink = (InquiryOutcome, Option<i64>, Option<i64>);

/// The inquiry's outcome and linked appointment as stored.
pub fn inquiry_link(conn: &impl super::Db, id: i64) -> Result<Option<InquiryLink>> {
    let row: Option<(String, Option<i64>, Option<i64>)> = conn
        .db()
        .query_row("SELECT outcome, appointment_id, patient_id FROM inquiries WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    Ok(row.map(|(o, a, p)| (InquiryOutcome::parse(&o).unwrap_or(InquiryOutcome::Info), a, p)))
}

/// Rewrites an inquiry's fields and outcome (`callback_on` for a call back, the appointment
/// kept or dropped); audited with the fields that changed.
pub fn correct_inquiry(
    tx: &Tx<'_>,
    id: i64,
    f: &InquiryFields,
    outcome: InquiryOutcome,
    callback_on: Option<NaiveDate>,
    appointment_id: Option<i64>,
) -> Result<()> {
    let before = inquiry_by_id(tx, id)?.ok_or_else(|| StoreError::NotFound(format!("inquiry {id}")))?;
    let questions: Vec<&str> = f.questions.iter().map(|q| q.code()).collect();
    let name = crate::domain::text::clean_line(&f.caller_name);
    let note = clean(&f.note);
    tx.execute(
        "UPDATE inquiries SET caller_name = ?2, topic_code = ?3, questions = ?4, referral_source = ?5,
             referral_channel = ?6, referrer_id = ?7, note = ?8, outcome = ?9, callback_on = ?10, appointment_id = ?11
         WHERE id = ?1",
        params![
            id,
            name,
            f.topic,
            questions.join(","),
            f.referral_source,
            f.referral_channel,
            f.referrer_id,
            note,
            outcome.code(),
            callback_on.map(|d| d.format(DATE_FORMAT).to_string()),
            appointment_id
        ],
    )?;
    let mut changed = Vec::new();
    if before.caller_name != name {
        changed.push("caller_name".to_string());
    }
    if before.topic != f.topic {
        changed.push("topic".into());
    }
    if before.questions != f.questions {
        changed.push("questions".into());
    }
    if before.referral_source != f.referral_source || before.referral_channel != f.referral_channel {
        changed.push("source".into());
    }
    if before.referrer_id != f.referrer_id {
        changed.push("referrer".into());
    }
    if before.note != note {
        changed.push("note".into());
    }
    if before.outcome != outcome {
        changed.push(format!("outcome {} -> {}", before.outcome.code(), outcome.code()));
    }
    let mut e = Entry::new("correct", "inquiry").id(id).detail(changed.join(", "));
    if let Some(p) = before.patient_id {
        e = e.patient(p);
    }
    tx.audit(&e)
}

/// Closes the caller's open callbacks made on this inquiry (the call is no longer to be
/// returned); audited.
pub fn close_inquiry_callbacks(tx: &Tx<'_>, id: i64) -> Result<usize> {
    let ids: Vec<i64> = tx
        .prepare_cached("SELECT id FROM callbacks WHERE status = 'open' AND inquiry_id = ?1")?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for cb in &ids {
        tx.execute(
            "UPDATE callbacks SET status = 'closed', outcome = 'done', closed_at = ?2 WHERE id = ?1",
            params![cb, tx.now_text()],
        )?;
        tx.audit(&Entry::new("close", "callback").id(*cb).detail(format!("inquiry {id} corrected")))?;
    }
    Ok(ids.len())
}
