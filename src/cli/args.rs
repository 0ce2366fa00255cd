//! The command line's arguments: the commands, their options and the parsers of their values.

use super::{demo, messages, okr, report, transfer};
use crate::app::TabId;
use crate::domain::Lang;
use chrono::NaiveDate;
use clap::Parser;
use clap::Subcommand;
use std::path::PathBuf;

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
