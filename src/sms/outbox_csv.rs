//! The "outbox" provider: appends each text to a CSV file (to, from, text, type) for a
//! provider's web upload, so a clinic is not tied to one company's API.

use std::path::{Path, PathBuf};

use super::{Provider, Text};
use crate::store::messages::Outcome;

pub struct OutboxCsv {
    path: PathBuf,
    sender: String,
}

impl OutboxCsv {
    pub fn new(path: &Path, sender: &str) -> OutboxCsv {
        OutboxCsv { path: path.to_path_buf(), sender: sender.to_string() }
    }

    fn append(&self, text: &Text) -> std::io::Result<()> {
        let mut options = std::fs::OpenOptions::new();
        options.create(true).append(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let new = std::fs::metadata(&self.path).map(|m| m.len() == 0).unwrap_or(true);
        let file = options.open(&self.path)?;
        let mut w = csv::Writer::from_writer(file);
        if new {
            w.write_record(["to", "from", "text", "type"])?;
        }
        let from = if text.from.is_empty() { self.sender.as_str() } else { text.from.as_str() };
        w.write_record([text.to.as_str(), from, text.body.as_str(), text.msg_type.code()])?;
        w.flush()?;
        Ok(())
    }
}

impl Provider for OutboxCsv {
    fn name(&self) -> &'static str {
        "outbox"
    }

    fn send(&mut self, text: &Text) -> Outcome {
        match self.append(text) {
            Ok(()) => Outcome::Sent(format!("csv:{}", self.path.display())),
            // Nothing was written (or a partial line at worst): try again next run.
            Err(e) => Outcome::Retry(format!("{}: {e}", self.path.display())),
        }
    }
}
