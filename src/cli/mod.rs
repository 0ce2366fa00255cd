//! The command line (DESIGN §6): one module per subcommand, sharing `store` and `domain`.

/// `println!` for the command line: the text goes through [`crate::domain::text::printable`]
/// (a CSV cell, a title or a file name must not drive the terminal), and a closed pipe is not
/// a panic.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let text = format!($($arg)*);
        let _ = writeln!(std::io::stdout(), "{}", $crate::domain::text::printable(&text));
    }};
}

/// `print!` through [`crate::domain::text::printable`] (see [`say!`]).
macro_rules! say_part {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let text = format!($($arg)*);
        let _ = write!(std::io::stdout(), "{}", $crate::domain::text::printable(&text));
    }};
}

/// `eprintln!` through [`crate::domain::text::printable`] (see [`say!`]).
macro_rules! say_err {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let text = format!($($arg)*);
        let _ = writeln!(std::io::stderr(), "{}", $crate::domain::text::printable(&text));
    }};
}

pub mod demo;
pub mod maintenance;
pub mod messages;
pub mod okr;
pub mod out_file;
pub mod progress;
pub mod report;
pub mod setup;
pub mod transfer;
pub mod xlsx;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::config::{self, Config};
use crate::store::{Access, Actor, Clock, Store};
use clap::Parser;

mod args;
pub use args::*;
mod run;
pub use run::*;

/// The exit statuses a script can tell apart (DESIGN §6, README "Exit status"):
/// 0 success (a closed output pipe included), 1 `check` found a problem or an import found a
/// bad row, 2 a usage or input error, 3 the database is busy or locked beyond the wait.
pub mod exit {
    pub const OK: u8 = 0;
    pub const PROBLEM: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const BUSY: u8 = 3;
}

/// The exit status of a [`Failure`]: 2 (usage or input), unless the command found a problem in
/// the data (1, see [`Failure::problem`]) or met a lock (3, see [`Failure::busy`]); 0 when the
/// failure was only a closed output pipe (DESIGN §6).
pub static FAILURE_STATUS: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(exit::USAGE);

fn set_status(status: u8) {
    FAILURE_STATUS.store(status, std::sync::atomic::Ordering::Relaxed);
}

/// A failure the user can act on: printed on one line, exit status 2 unless set otherwise.
#[derive(Debug)]
pub struct Failure(pub String);

impl Failure {
    /// The command found a problem in the data (a failed check, a bad import row): status 1.
    pub fn problem(msg: impl Into<String>) -> Failure {
        set_status(exit::PROBLEM);
        Failure(msg.into())
    }

    /// The database is busy or locked by another terminal or process: status 3.
    pub fn busy(msg: impl Into<String>) -> Failure {
        set_status(exit::BUSY);
        Failure(msg.into())
    }
}

/// The status an error stands for, when it is not a usage or input error.
fn status_of(e: &dyn std::any::Any) -> Option<u8> {
    use crate::store::{OpenError, StoreError};
    let sqlite_busy = |e: &rusqlite::Error| {
        matches!(
            e.sqlite_error_code(),
            Some(rusqlite::ErrorCode::DatabaseBusy) | Some(rusqlite::ErrorCode::DatabaseLocked)
        )
    };
    if let Some(e) = e.downcast_ref::<StoreError>() {
        return match e {
            StoreError::Busy => Some(exit::BUSY),
            StoreError::Sqlite(s) if sqlite_busy(s) => Some(exit::BUSY),
            _ => None,
        };
    }
    if let Some(OpenError::Sqlite(_, s)) = e.downcast_ref::<OpenError>() {
        return sqlite_busy(s).then_some(exit::BUSY);
    }
    if let Some(s) = e.downcast_ref::<rusqlite::Error>() {
        return sqlite_busy(s).then_some(exit::BUSY);
    }
    if let Some(io) = e.downcast_ref::<std::io::Error>() {
        return (io.kind() == std::io::ErrorKind::BrokenPipe).then_some(exit::OK);
    }
    None
}

impl<E: std::fmt::Display + 'static> From<E> for Failure {
    fn from(e: E) -> Self {
        if let Some(status) = status_of(&e) {
            set_status(status);
        }
        Failure(e.to_string())
    }
}

pub type CliResult = Result<(), Failure>;

/// Parses the command line and runs it.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
                let _ = e.print();
                return ExitCode::SUCCESS;
            }
            // One line: what is wrong and what is accepted.
            let rendered = e.render().to_string();
            let mut first = rendered
                .lines()
                .next()
                .unwrap_or("bad command line")
                .trim_start_matches("error: ")
                .to_string();
            // clap puts the accepted values on a later line; keep them on the one line.
            if let Some(values) = rendered.lines().find_map(|l| l.trim().strip_prefix("[possible values: ")) {
                first = format!("{first} (accepted: {})", values.trim_end_matches(']'));
            }
            say_err!("frontdesk: {first}");
            return ExitCode::from(exit::USAGE);
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(msg)) => {
            let status = FAILURE_STATUS.load(std::sync::atomic::Ordering::Relaxed);
            // A reader that stopped early (`| head`) is not a failure: quietly done.
            if status != exit::OK {
                // Not eprintln!: when the terminal is gone, a failed write must not panic.
                if msg.starts_with("frontdesk ") {
                    say_err!("{msg}");
                } else {
                    say_err!("frontdesk: {msg}");
                }
            }
            ExitCode::from(status)
        }
    }
}

/// The database path: --db, then FRONTDESK_DB, then the platform's data folder.
pub fn db_path(cli_db: Option<&Path>) -> Result<PathBuf, Failure> {
    if let Some(p) = cli_db {
        return Ok(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os("FRONTDESK_DB").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    default_file("frontdesk.db")
}

/// A file in the platform's data folder, creating the folder (it is ours) when missing.
pub fn default_file(name: &str) -> Result<PathBuf, Failure> {
    let dir =
        config::data_dir().ok_or_else(|| Failure("cannot find a home folder; pass --db PATH".into()))?;
    if !dir.exists() {
        let mut b = std::fs::DirBuilder::new();
        b.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            b.mode(0o700);
        }
        b.create(&dir).map_err(|e| Failure(format!("{}: cannot create ({e})", dir.display())))?;
    }
    Ok(dir.join(name))
}

/// The actor, with the staff name from the config when set.
pub fn actor(config: &Config) -> Actor {
    let mut a = Actor::from_env();
    if a.staff.is_empty() {
        if let Some(s) = &config.staff {
            a.staff = s.clone();
        }
    }
    a
}

/// The process's clock: the wall clock, or `FRONTDESK_NOW` when set (see [`Clock::from_env`]).
pub fn clock() -> Result<Clock, Failure> {
    Clock::from_env().map_err(Failure)
}

/// Now, by the process's clock.
pub fn now() -> Result<chrono::NaiveDateTime, Failure> {
    Ok(clock()?.now())
}

/// How long a command's write waits for another process before saying on stderr that it is
/// waiting (it then goes on waiting for as long as the other process holds the lock).
pub const COMMAND_WAIT_NOTICE_AFTER: std::time::Duration = std::time::Duration::from_secs(1);

/// Opens the store for a command. Reading never waits for another terminal (WAL); a write
/// waits for as long as another process holds the write lock, saying so after a moment.
pub fn open_store(path: &Path, access: Access, config: &Config) -> Result<Store, Failure> {
    let mut store = Store::open_with_clock(path, access, actor(config), clock()?)?;
    if access == Access::ReadWrite {
        store.set_busy_timeout(COMMAND_WAIT_NOTICE_AFTER)?;
        store.wait_for_writers(|| {
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "frontdesk: waiting for another terminal to finish saving (it holds the database for writing)..."
            );
        });
    }
    Ok(store)
}

/// [`open_store`] for the commands that only read: a missing file is an error, never a new
/// database (a typo in --db must not look like an empty clinic).
pub fn open_existing(path: &Path, access: Access, config: &Config) -> Result<Store, Failure> {
    if let Err(e) = std::fs::metadata(path) {
        return Err(Failure(if e.kind() == std::io::ErrorKind::NotFound {
            format!("{}: no such database file (check --db); nothing was created", path.display())
        } else {
            format!("{}: cannot read ({e})", path.display())
        }));
    }
    open_store(path, access, config)
}

fn db_label(path: &Path) -> String {
    let s = path.display().to_string();
    match std::env::var("HOME") {
        Ok(home) if !home.is_empty() && s.starts_with(&home) => format!("~{}", &s[home.len()..]),
        _ => s,
    }
}
