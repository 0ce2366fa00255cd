//! `frontdesk demo` and `frontdesk --demo`: the synthetic clinic.

use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::NaiveDate;

use super::{CliResult, Failure, open_store};
use crate::config::Config;
use crate::demo::{self, DemoOptions, Scale};
use crate::store::{Access, Actor, Store};

pub use crate::demo::DEFAULT_SEED;

/// The three files of a database: the file, its WAL and its shared-memory index.
fn files_of(path: &Path) -> [PathBuf; 3] {
    let s = path.as_os_str().to_owned();
    let with = |suffix: &str| {
        let mut p = s.clone();
        p.push(suffix);
        PathBuf::from(p)
    };
    [path.to_path_buf(), with("-wal"), with("-shm")]
}

/// True when `path` holds a demo clinic (so it may be replaced), or nothing yet.
fn replaceable(path: &Path) -> Result<bool, Failure> {
    // Nothing there yet. (A 0-byte file, a FIFO or a device is refused by the open below.)
    if std::fs::symlink_metadata(path).is_err() {
        return Ok(true);
    }
    // Read whatever the file's schema: a demo made by an earlier version is still a demo.
    let demo = crate::store::demo_date_of(path).map_err(|e| Failure(e.to_string()))?;
    Ok(demo.is_some())
}

fn remove(path: &Path) -> Result<(), Failure> {
    for f in files_of(path) {
        match std::fs::remove_file(&f) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Failure(format!("{}: cannot replace the old demo ({e})", f.display()))),
        }
    }
    Ok(())
}

/// Generates a demo clinic into `path`, replacing an earlier demo there (never a real clinic).
pub fn generate(path: &Path, opts: &DemoOptions, config: &Config) -> Result<demo::DemoSummary, Failure> {
    if !replaceable(path)? {
        return Err(Failure(format!(
            "{}: already holds a clinic that is not a demo; choose another --db for the demo",
            path.display()
        )));
    }
    remove(path)?;
    let mut store = open_store(path, Access::ReadWrite, config)?;
    // A bar per stage of the bulk inserts, on a terminal only (the large demo runs a minute).
    let _progress = super::progress::StoreProgress::start(0);
    Ok(demo::generate(&mut store, opts)?)
}

/// `frontdesk demo [--scale] [--seed] [--date]`.
pub fn run(path: &Path, scale: Scale, seed: u64, date: NaiveDate, config: &Config) -> CliResult {
    let started = Instant::now();
    let summary = generate(path, &DemoOptions { scale, seed, date }, config)?;
    say!(
        "{}: demo clinic for {date} (seed {seed}, {}) in {:.1} s: {} patients, {} appointments ({} on the day), {} inquiries, {} consultations, {} callbacks",
        path.display(),
        scale.code(),
        started.elapsed().as_secs_f64(),
        summary.patients,
        summary.appointments,
        summary.appointments_on_date,
        summary.inquiries,
        summary.consultations,
        summary.callbacks,
    );
    Ok(())
}

/// For `--demo`: the demo file, regenerated first when it is not for today.
pub fn ensure_for_today(path: &Path, today: NaiveDate, config: &Config) -> CliResult {
    if path.exists() {
        if let Ok(store) = Store::open(path, Access::ReadOnly, Actor::named("demo")) {
            if demo::is_demo_for(&store, today) {
                return Ok(());
            }
        }
    }
    say_err!("frontdesk: generating the demo clinic for {today}...");
    generate(path, &DemoOptions { scale: Scale::Small, seed: DEFAULT_SEED, date: today }, config)?;
    Ok(())
}
