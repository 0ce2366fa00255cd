//! Phone calls at the desk: logging a call, and the Q&A manual the desk answers from.

use super::Result;
use crate::domain::QuestionKind;
use crate::store::Store;
use crate::store::inquiries::{self as q, Logged, NewInquiry};

/// Logs a call: the inquiry, and its callback when the caller is to be called back (or
/// booked, until the booking links it).
pub fn log_call(store: &mut Store, inq: &NewInquiry) -> Result<Logged> {
    Ok(store.write(|tx| q::log_inquiry(tx, inq))?)
}

/// A manual answer as the desk typed it.
#[derive(Debug, Clone, Copy)]
pub struct Answer<'a> {
    pub topic: Option<&'a str>,
    pub kind: QuestionKind,
    pub question: &'a str,
    pub answer: &'a str,
}

/// Adds an answer to the manual, or changes answer `id`. Returns its id.
pub fn save_answer(store: &mut Store, id: Option<i64>, a: Answer<'_>) -> Result<i64> {
    Ok(store.write(|tx| match id {
        Some(id) => q::update_qa(tx, id, a.topic, a.kind, a.question, a.answer).map(|_| id),
        None => q::insert_qa(tx, a.topic, a.kind, a.question, a.answer),
    })?)
}

/// Deletes an answer from the manual.
pub fn delete_answer(store: &mut Store, id: i64) -> Result<()> {
    Ok(store.write(|tx| q::delete_qa(tx, id))?)
}
