//! Running a parsed command line: each command, and the app.

use super::args::{Cli, Cmd, Scale, SetupAction};
use super::{CliResult, Failure, clock, db_label, db_path, default_file, now, open_existing, open_store};
use super::{demo, maintenance, messages, okr, out_file, report, setup, transfer};
use crate::app;
use crate::app::AppOptions;
use crate::app::TabId;
use crate::config::Config;
use crate::domain::Lang;
use crate::store::Access;
use crate::store::Clock;
use std::path::Path;

pub(super) fn run(cli: Cli) -> CliResult {
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
