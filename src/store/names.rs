//! The names masking looks for inside free text (notes, complaints, reactions).

use super::Result;
use crate::domain::mask::NameSet;

/// Every patient's and staff member's name, for [`crate::domain::mask::mask_text`].
pub fn masking_names(conn: &impl super::Db) -> Result<NameSet> {
    let conn = conn.db();
    let mut stmt = conn.prepare("SELECT name FROM patients UNION SELECT name FROM staff")?;
    let names = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(NameSet::new(names))
}
