//! `frontdesk setup show` and `frontdesk setup load FILE.toml`.

use std::path::Path;

use super::{CliResult, Failure, open_store};
use crate::config::Config;
use crate::domain::setup::SetupFile;
use crate::store::{Access, settings};

pub fn show(db: &Path, config: &Config) -> CliResult {
    let store = super::open_existing(db, Access::ReadWrite, config)?;
    say_part!("{}", settings::read_setup(store.conn())?.to_toml());
    Ok(())
}

/// All or nothing: a file with one bad field changes nothing.
pub fn load(db: &Path, file: &Path, config: &Config) -> CliResult {
    let text = std::fs::read_to_string(file).map_err(|e| Failure(format!("{}: {e}", file.display())))?;
    let setup = SetupFile::parse(&text).map_err(|e| Failure(format!("{}: {e}", file.display())))?;
    let mut store = open_store(db, Access::ReadWrite, config)?;
    let today = super::now()?.date();
    store
        .write(|tx| settings::apply_setup(tx, &setup, today))
        .map_err(|e| Failure(format!("{}: {e}; nothing was changed", file.display())))?;
    say!("{}: settings loaded into {}", file.display(), db.display());
    Ok(())
}
