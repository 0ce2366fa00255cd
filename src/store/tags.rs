//! The CRM stickers on a chart (referrer, high value, prospect, satisfied, more care).

use rusqlite::params;

use super::Result;
use super::Tx;
use super::audit::Entry;
use crate::domain::Tag;

pub fn patient_tags(conn: &impl super::Db, patient_id: i64) -> Result<Vec<Tag>> {
    let mut stmt = conn.db().prepare_cached("SELECT tag FROM patient_tags WHERE patient_id = ?1")?;
    let mut tags: Vec<Tag> = stmt
        .query_map([patient_id], |r| r.get::<_, String>(0))?
        .filter_map(|t| t.ok().and_then(|t| Tag::parse(&t)))
        .collect();
    tags.sort();
    Ok(tags)
}

/// Puts on exactly these stickers: adds the missing ones, peels off the others; audits each.
pub fn set_tags(tx: &Tx<'_>, patient_id: i64, want: &[Tag]) -> Result<()> {
    let have = patient_tags(tx, patient_id)?;
    for tag in Tag::ALL {
        match (have.contains(tag), want.contains(tag)) {
            (false, true) => {
                tx.execute(
                    "INSERT INTO patient_tags (patient_id, tag, tagged_at) VALUES (?1, ?2, ?3)",
                    params![patient_id, tag.code(), tx.now_text()],
                )?;
                tx.audit(&Entry::new("create", "tag").patient(patient_id).detail(tag.code()))?;
            }
            (true, false) => {
                tx.execute(
                    "DELETE FROM patient_tags WHERE patient_id = ?1 AND tag = ?2",
                    params![patient_id, tag.code()],
                )?;
                tx.audit(&Entry::new("delete", "tag").patient(patient_id).detail(tag.code()))?;
            }
            _ => {}
        }
    }
    Ok(())
}
