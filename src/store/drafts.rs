//! Drafts: forms being filled, kept per OS user so that a dropped connection loses nothing.
//! They are scratch, not records: nothing in them reaches the real tables until saved.

use rusqlite::{OptionalExtension, params};

use super::{Result, Store};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub form: String,
    pub payload: String,
    pub updated_at: String,
}

impl Store {
    /// Saves (or replaces) this user's draft of a form.
    pub fn save_draft(&mut self, form: &str, payload: &str) -> Result<()> {
        let user = self.actor().os_user.clone();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO drafts (os_user, form, payload, updated_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (os_user, form) DO UPDATE SET payload = excluded.payload, updated_at = excluded.updated_at",
                params![user, form, payload, tx.now_text()],
            )?;
            Ok(())
        })
    }

    pub fn delete_draft(&mut self, form: &str) -> Result<()> {
        let user = self.actor().os_user.clone();
        self.write(|tx| {
            tx.execute("DELETE FROM drafts WHERE os_user = ?1 AND form = ?2", params![user, form])?;
            Ok(())
        })
    }

    /// This user's most recent draft, if any.
    pub fn latest_draft(&self) -> Result<Option<Draft>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT form, payload, updated_at FROM drafts WHERE os_user = ?1 ORDER BY updated_at DESC LIMIT 1",
                [&self.actor().os_user],
                |r| Ok(Draft { form: r.get(0)?, payload: r.get(1)?, updated_at: r.get(2)? }),
            )
            .optional()?)
    }
}
