//! The large demo clinic the benchmarks and the terminal harness measure, generated once and
//! cached outside the repository (it is a few hundred megabytes and takes a minute to make).
//!
//! The file lives in `$CARGO_TARGET_DIR/../frontdesk-bench/` (or `target/../frontdesk-bench`,
//! or the system temp folder), named by seed and date, so numbers taken on different days
//! compare the same data. Delete the file to regenerate it.
#![allow(dead_code)]

use std::path::PathBuf;
use std::time::Instant;

use chrono::{NaiveDate, NaiveDateTime};
use frontdesk::app::{AppOptions, TabId};
use frontdesk::demo::{self, DemoOptions, Scale};
use frontdesk::domain::Lang;
use frontdesk::store::{Access, Actor, Store};

/// The seed of every benchmark run, so the numbers stay comparable.
pub const SEED: u64 = 7;

/// The demo date the in-process benchmarks look at (a Monday).
pub fn bench_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

/// The moment the in-process benchmarks look at: the demo date's morning, the desk busy.
pub fn bench_now() -> NaiveDateTime {
    bench_date().and_hms_opt(9, 20, 0).unwrap()
}

/// The folder for cached demo files: `FRONTDESK_BENCH_DIR`, else `frontdesk-bench` beside
/// the cargo target folder this was built with, else the system temp folder.
pub fn cache_dir() -> PathBuf {
    let base = if let Some(d) = std::env::var_os("FRONTDESK_BENCH_DIR").filter(|d| !d.is_empty()) {
        PathBuf::from(d)
    } else if let Some(t) = option_env!("CARGO_TARGET_DIR").filter(|d| !d.is_empty()) {
        PathBuf::from(t).join("..").join("frontdesk-bench")
    } else {
        std::env::temp_dir().join("frontdesk-bench")
    };
    std::fs::create_dir_all(&base).expect("create the benchmark cache folder");
    base
}

/// The large demo for `date`, generated when missing. Returns its path.
pub fn large_demo(date: NaiveDate) -> PathBuf {
    let path =
        cache_dir().join(format!("large-seed{SEED}-{date}-{}.db", frontdesk::store::schema_fingerprint()));
    if path.exists() {
        return path;
    }
    // Build under a temporary name and rename, so an interrupted run leaves no half file.
    let partial = path.with_extension("partial");
    for suffix in ["", "-wal", "-shm", ".key"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", partial.display()));
    }
    eprintln!("generating the large demo for {date} into {} (once) ...", path.display());
    let started = Instant::now();
    {
        let mut store = Store::open(&partial, Access::ReadWrite, Actor::named("bench")).expect("open");
        let summary = demo::generate(&mut store, &DemoOptions { scale: Scale::Large, seed: SEED, date })
            .expect("generate the large demo");
        // Fold the WAL into the file so the rename moves everything.
        store.conn().execute_batch("PRAGMA wal_checkpoint(TRUNCATE);").expect("checkpoint");
        eprintln!(
            "  {} patients, {} appointments, {} inquiries in {:.0?}",
            summary.patients,
            summary.appointments,
            summary.inquiries,
            started.elapsed()
        );
    }
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", partial.display()));
    }
    // The audit key goes with it (see frontdesk::store::audit::key_path).
    std::fs::rename(format!("{}.key", partial.display()), format!("{}.key", path.display()))
        .expect("rename the demo's audit key");
    std::fs::rename(&partial, &path).expect("rename the finished demo");
    path
}

/// Opens the cached demo the way the app does.
pub fn open(path: &std::path::Path) -> Store {
    Store::open(path, Access::ReadWrite, Actor::named("bench")).expect("open the demo")
}

pub fn options(tab: TabId) -> AppOptions {
    AppOptions {
        lang: Lang::Ko,
        tab,
        mask: false,
        presentation: false,
        fixed_now: Some(bench_now()),
        db_label: "large.db".into(),
    }
}
