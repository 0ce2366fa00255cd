//! `frontdesk check` and `frontdesk backup`.

use std::path::Path;

use super::{CliResult, Failure, open_store};
use crate::config::Config;
use crate::store::{Access, maintenance};

pub fn check(db: &Path, config: &Config) -> CliResult {
    let store = open_store(db, Access::ReadWrite, config)?;
    let report = maintenance::check(&store)?;
    for line in &report.lines {
        println!("{line}");
    }
    if report.ok {
        println!("{}: ok", db.display());
        Ok(())
    } else {
        Err(Failure(format!("{}: check failed", db.display())))
    }
}

pub fn backup(db: &Path, to: &Path, config: &Config) -> CliResult {
    let store = open_store(db, Access::ReadWrite, config)?;
    maintenance::backup(&store, to)?;
    println!("{} -> {}", db.display(), to.display());
    Ok(())
}
