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

use chrono::NaiveDate;
use clap::{Parser, Subcommand};

use crate::app::{self, AppOptions, TabId};
use crate::config::{self, Config};
use crate::domain::Lang;
use crate::store::{Access, Actor, Clock, Store};

#[derive(Debug, Parser)]
#[command(
    name = "frontdesk",
    version,
    about = "The front desk of a small clinic, in the terminal",
    after_help = "Exit status: 0 success (a closed output pipe too); 1 check found a problem, or an import found a bad row; 2 usage or input error; 3 the database is busy or locked by another process."
)]
pub struct Cli {
    /// Database file (default: the platform's data folder; or FRONTDESK_DB)
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Language of the screens
    #[arg(long, global = true, value_parser = parse_lang, value_name = "ko|en")]
    pub lang: Option<Lang>,
    /// Colours for a dark or a light terminal, or ask the terminal (default: the config's theme, else dark)
    #[arg(long, value_parser = parse_theme, value_name = "dark|light|auto")]
    pub theme: Option<crate::config::ThemeChoice>,
    /// Tab to open first
    #[arg(long, value_parser = parse_tab, value_name = "today|huddle|callbacks|inquiries|okr")]
    pub tab: Option<TabId>,
    /// Open the database read-only
    #[arg(long)]
    pub read_only: bool,
    /// Mask names and phone numbers
    #[arg(long)]
    pub mask: bool,
    /// Open the demo clinic, generated for today
    #[arg(long)]
    pub demo: bool,
    #[command(subcommand)]
    pub command: Option<Cmd>,
}

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Presentation mode for the shared screen: large timer, masked, read-only
    Huddle,
    /// Generate a demo clinic (made-up people) into --db or the demo file
    Demo {
        /// small: a clinic to look at; large: ten years for benchmarks
        #[arg(long, value_parser = parse_scale, default_value = "small", value_name = "small|large")]
        scale: Scale,
        /// The same seed and date give the same clinic
        #[arg(long, default_value_t = demo::DEFAULT_SEED)]
        seed: u64,
        /// The demo's today (default: today)
        #[arg(long, value_parser = parse_date, value_name = "YYYY-MM-DD")]
        date: Option<NaiveDate>,
    },
    /// Check integrity, foreign keys and the audit chain (exit status 1 when a problem is found)
    Check {
        /// Record (in the audit log) that the outside changes `check` reports were looked into
        #[arg(long)]
        acknowledge: bool,
    },
    /// The clinic's settings as TOML
    Setup {
        #[command(subcommand)]
        action: SetupAction,
    },
    /// Make a consistent copy while others keep working
    Backup {
        /// Where to write the copy (a new file, owner-only)
        file: PathBuf,
        /// Replace FILE when it exists (a new file is renamed over it)
        #[arg(long)]
        force: bool,
    },
    /// Put a checked backup in place (the old file moved aside)
    ///
    /// Checks the backup and changes nothing if it is not sound or another terminal has the
    /// database open; keeps the current file and its -wal/-shm aside as
    /// FILE.before-restore-YYYYMMDD-HHMMSS; copies the backup in place (owner-only, WAL mode)
    /// and runs check.
    Restore {
        /// The backup file (made by `frontdesk backup`)
        backup: PathBuf,
    },
    /// Reports by referral source: new patients and inquiries per month, the funnel, daily counts;
    /// revenue by category, treatment, provider or month
    Report {
        #[arg(value_enum)]
        kind: report::ReportKind,
        /// First month or day (YYYY-MM or YYYY-MM-DD); default 12 months ago
        #[arg(long, value_name = "YYYY-MM[-DD]")]
        from: Option<String>,
        /// Last month or day (YYYY-MM or YYYY-MM-DD); default today
        #[arg(long, value_name = "YYYY-MM[-DD]")]
        to: Option<String>,
        #[arg(long, value_enum, default_value = "table")]
        format: report::Format,
        /// For `revenue`: group by category, treatment, provider or month
        #[arg(long, value_enum, default_value = "category")]
        by: report::RevenueBy,
        /// Write to this file (a new file, owner-only) instead of standard output
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Replace the --out file when it exists (a new file is renamed over it)
        #[arg(long, requires = "out")]
        force: bool,
        /// CSV without the byte order mark (by default it has one, so Korean Excel reads UTF-8)
        #[arg(long)]
        no_bom: bool,
    },
    /// Text messages: send what is due now (for cron or a systemd timer), or list the log
    Messages {
        #[command(subcommand)]
        command: messages::MessagesCmd,
    },
    /// Import a CSV file (UTF-8 or CP949) or an .xlsx workbook; all or nothing
    Import {
        /// patients, appointments, inquiries, consultations, complaints, payments or packages
        #[arg(value_parser = transfer::parse_kind)]
        kind: crate::domain::import::CsvKind,
        /// FILE.csv, or FILE.xlsx (its first sheet, or --sheet)
        file: PathBuf,
        /// Check every row and say how many would be written, writing nothing
        #[arg(long)]
        dry_run: bool,
        /// The sheet of an .xlsx file to read (default: the first)
        #[arg(long, value_name = "NAME")]
        sheet: Option<String>,
    },
    /// Write an empty .xlsx import sheet: the headers, and a drop-down list per coded column
    Template {
        /// patients, appointments, inquiries, consultations, complaints, payments or packages
        #[arg(value_parser = transfer::parse_kind)]
        kind: crate::domain::import::CsvKind,
        /// Where to write it (default: KIND-template.xlsx in the current folder)
        #[arg(long, value_name = "FILE.xlsx")]
        out: Option<PathBuf>,
        /// Replace the --out file when it exists (a new file is renamed over it)
        #[arg(long)]
        force: bool,
    },
    /// Export a CSV file Excel opens (UTF-8 with BOM), or an .xlsx workbook (--out FILE.xlsx),
    /// with the import headers; or the audit log
    Export {
        /// patients, appointments, inquiries, consultations, complaints, or audit
        #[arg(value_parser = transfer::parse_export_kind)]
        kind: transfer::ExportKind,
        #[arg(long, value_name = "YYYY-MM[-DD]")]
        from: Option<String>,
        #[arg(long, value_name = "YYYY-MM[-DD]")]
        to: Option<String>,
        /// Mask names and phone numbers
        #[arg(long)]
        mask: bool,
        /// Write to this file (a new file, owner-only) instead of standard output
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Replace the --out file when it exists (a new file is renamed over it)
        #[arg(long, requires = "out")]
        force: bool,
        /// CSV without the byte order mark (by default it has one, so Korean Excel reads UTF-8)
        #[arg(long)]
        no_bom: bool,
    },
    /// Print shell completions: frontdesk completions bash > /etc/bash_completion.d/frontdesk
    Completions {
        /// bash, zsh, fish, elvish or powershell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Objectives and key results: status, or load a TOML file
    Okr {
        #[command(subcommand)]
        command: okr::OkrCmd,
    },
}

#[derive(Debug, Subcommand)]
pub enum SetupAction {
    /// Print the current settings as TOML
    Show,
    /// Apply settings from a TOML file (all or nothing)
    Load {
        /// The file, in the shape `setup show` prints
        file: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    Small,
    Large,
}

pub fn parse_scale(s: &str) -> Result<Scale, String> {
    match s.trim().to_lowercase().as_str() {
        "small" => Ok(Scale::Small),
        "large" => Ok(Scale::Large),
        _ => Err(format!("unknown scale '{s}' (accepted: small, large)")),
    }
}

pub fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::parse(s).ok_or_else(|| format!("unknown language '{s}' (accepted: ko, en)"))
}

pub fn parse_theme(s: &str) -> Result<crate::config::ThemeChoice, String> {
    crate::config::ThemeChoice::parse(s)
        .ok_or_else(|| format!("unknown theme '{s}' (accepted: dark, light, auto)"))
}

pub fn parse_tab(s: &str) -> Result<TabId, String> {
    TabId::parse(s).ok_or_else(|| {
        format!("unknown tab '{s}' (accepted: today, huddle, callbacks, inquiries, okr, or 1-5)")
    })
}

pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("'{s}' is not a date (use YYYY-MM-DD, e.g. 2026-11-22)"))
}

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

fn run(cli: Cli) -> CliResult {
    // Completions need no database and no config.
    if let Some(Cmd::Completions { shell }) = cli.command {
        use clap::CommandFactory;
        let mut out = Vec::new();
        clap_complete::generate(shell, &mut Cli::command(), "frontdesk", &mut out);
        use std::io::Write;
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(&out)?;
        stdout.flush()?;
        return Ok(());
    }
    let config = Config::load().map_err(Failure)?;
    // A terminal's --lang, else its config, else the clinic's own setting, else the locale.
    let chosen = cli.lang.or_else(|| config.lang.as_deref().and_then(Lang::parse));
    let lang_for = |path: &Path| {
        chosen.or_else(|| crate::store::settings::clinic_lang_of_file(path)).unwrap_or_else(Lang::from_locale)
    };
    match cli.command {
        Some(Cmd::Check { acknowledge }) => {
            maintenance::check(&db_path(cli.db.as_deref())?, acknowledge, &config)
        }
        Some(Cmd::Setup { action: SetupAction::Show }) => setup::show(&db_path(cli.db.as_deref())?, &config),
        Some(Cmd::Setup { action: SetupAction::Load { file } }) => {
            setup::load(&db_path(cli.db.as_deref())?, &file, &config)
        }
        Some(Cmd::Backup { file, force }) => {
            maintenance::backup(&db_path(cli.db.as_deref())?, &file, force, &config)
        }
        Some(Cmd::Restore { backup }) => maintenance::restore(&db_path(cli.db.as_deref())?, &backup, &config),
        Some(Cmd::Report { kind, from, to, format, by, out, force, no_bom }) => {
            let path = db_path(cli.db.as_deref())?;
            report::run(
                &path,
                &config,
                kind,
                &report::period(from.as_deref(), to.as_deref(), now()?.date())?,
                format,
                lang_for(&path),
                no_bom,
                out.as_deref().map(|path| out_file::Out { path, force }),
                by,
            )
        }
        Some(Cmd::Import { kind, file, dry_run, sheet }) => {
            transfer::import(&db_path(cli.db.as_deref())?, &config, kind, &file, dry_run, sheet.as_deref())
        }
        Some(Cmd::Template { kind, out, force }) => {
            transfer::template(&db_path(cli.db.as_deref())?, &config, kind, out.as_deref(), force)
        }
        Some(Cmd::Export { kind, from, to, mask, out, force, no_bom }) => transfer::export(
            &db_path(cli.db.as_deref())?,
            &config,
            kind,
            from.as_deref(),
            to.as_deref(),
            mask,
            no_bom,
            out.as_deref().map(|path| out_file::Out { path, force }),
        ),
        Some(Cmd::Messages { command }) => {
            let path = db_path(cli.db.as_deref())?;
            messages::run(command, &path, &config, lang_for(&path), cli.mask)
        }
        Some(Cmd::Completions { .. }) => Ok(()),
        Some(Cmd::Okr { command }) => {
            let path = db_path(cli.db.as_deref())?;
            okr::run(command, &path, &config, lang_for(&path))
        }
        Some(Cmd::Demo { scale, seed, date }) => {
            let path = match cli.db.as_deref() {
                Some(p) => p.to_path_buf(),
                None => default_file("demo.db")?,
            };
            let scale = match scale {
                Scale::Small => crate::demo::Scale::Small,
                Scale::Large => crate::demo::Scale::Large,
            };
            let date = match date {
                Some(d) => d,
                None => now()?.date(),
            };
            demo::run(&path, scale, seed, date, &config)
        }
        Some(Cmd::Huddle) => {
            let path = db_path(cli.db.as_deref())?;
            let opts = AppOptions {
                lang: lang_for(&path),
                tab: TabId::Huddle,
                mask: true,
                presentation: true,
                fixed_now: match clock()? {
                    Clock::Fixed(t) => Some(t),
                    Clock::Wall => None,
                },
                db_label: db_label(&path),
            };
            run_app(&path, Access::ReadOnly, opts, &config, cli.theme)
        }
        None => {
            let path = if cli.demo {
                needs_terminal()?;
                let path = default_file("demo.db")?;
                demo::ensure_for_today(&path, now()?.date(), &config)?;
                path
            } else {
                db_path(cli.db.as_deref())?
            };
            let access = if cli.read_only { Access::ReadOnly } else { Access::ReadWrite };
            let opts = AppOptions {
                lang: lang_for(&path),
                tab: cli.tab.unwrap_or(TabId::Today),
                mask: cli.mask,
                presentation: false,
                fixed_now: match clock()? {
                    Clock::Fixed(t) => Some(t),
                    Clock::Wall => None,
                },
                db_label: db_label(&path),
            };
            run_app(&path, access, opts, &config, cli.theme)
        }
    }
}

/// The app draws on a terminal; without one (`ssh host frontdesk`, cron, a pipe) it says so on
/// one line and ends with status 2, before the database is opened.
pub fn needs_terminal() -> CliResult {
    use std::io::IsTerminal;
    let tty_in = std::io::stdin().is_terminal() || std::fs::File::open("/dev/tty").is_ok();
    if std::io::stdout().is_terminal() && tty_in {
        Ok(())
    } else {
        Err(Failure(
            "frontdesk needs a terminal; use ssh -t host frontdesk, or a subcommand (frontdesk --help) in scripts"
                .into(),
        ))
    }
}

fn run_app(
    path: &Path,
    access: Access,
    opts: AppOptions,
    config: &Config,
    theme: Option<crate::config::ThemeChoice>,
) -> CliResult {
    // A file that is not a database is named first; without a terminal nothing is created.
    if access == Access::ReadWrite && std::fs::symlink_metadata(path).is_err() {
        needs_terminal()?;
    }
    let store = if access == Access::ReadOnly {
        // Read-only never creates: a missing file is a typo, not a new clinic.
        open_existing(path, access, config)?
    } else {
        open_store(path, access, config)?
    };
    needs_terminal()?;
    let presentation = opts.presentation;
    let mut app = app::App::new(store, opts)?;
    // Asked before the screen is taken over (the shared screen has its own palette).
    let look = config
        .look(
            theme,
            |k| std::env::var(k).ok(),
            || {
                if presentation {
                    None
                } else {
                    app::theme::query_background(std::time::Duration::from_millis(300))
                }
            },
        )
        .map_err(Failure)?;
    app.theme = app::theme::Theme::new(look, presentation);
    app.mouse = config.mouse.unwrap_or(true);
    color_eyre::install().map_err(|e| Failure(e.to_string()))?;
    app::run(app).map_err(|e| Failure(e.to_string()))
}
