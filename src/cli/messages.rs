//! `frontdesk messages send [--dry-run]` and `frontdesk messages list [--from D] [--to D]`
//! (issue 20): the texts due now, for cron or a systemd timer; the log.

use std::path::Path;

use chrono::NaiveDate;
use clap::Subcommand;

use super::{CliResult, Failure, open_existing};
use crate::config::Config;
use crate::domain::Lang;
use crate::domain::mask::{mask_name, mask_phone};
use crate::domain::phone::format_digits;
use crate::store::Access;
use crate::store::messages as outbox;

#[derive(Debug, Subcommand)]
pub enum MessagesCmd {
    /// Send every text due now (reminders, no-show notices, happy calls, recalls) through the
    /// provider in config.toml's [messaging]; each is sent once, whatever runs it again
    Send {
        /// Show what would be sent (exact text, bytes, SMS/LMS) and what is skipped, sending nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// The texts queued from --from through --to (default: today), with their state
    List {
        #[arg(long, value_parser = super::parse_date, value_name = "YYYY-MM-DD")]
        from: Option<NaiveDate>,
        #[arg(long, value_parser = super::parse_date, value_name = "YYYY-MM-DD")]
        to: Option<NaiveDate>,
        /// Mask names and phone numbers
        #[arg(long)]
        mask: bool,
    },
}

pub fn run(cmd: MessagesCmd, db: &Path, config: &Config, lang: Lang, mask: bool) -> CliResult {
    match cmd {
        MessagesCmd::Send { dry_run } => send(db, config, lang, dry_run, mask),
        MessagesCmd::List { from, to, mask: m } => list(db, config, lang, from, to, mask || m),
    }
}

fn who(name: &str, to: &str, mask: bool) -> String {
    if mask {
        format!("{} {}", mask_name(name), mask_phone(&format_digits(to)))
    } else {
        format!("{name} {}", format_digits(to))
    }
}

fn send(db: &Path, config: &Config, lang: Lang, dry_run: bool, mask: bool) -> CliResult {
    let mut store = open_existing(db, if dry_run { Access::ReadOnly } else { Access::ReadWrite }, config)?;
    let mut provider = if dry_run {
        None
    } else {
        let cfg = config.messaging.as_ref().ok_or_else(|| {
            Failure(
                "no [messaging] section in config.toml: set provider, api_url and sender (see README, Text messages); \
                 nothing was sent"
                    .into(),
            )
        })?;
        Some(crate::sms::provider_from_config(cfg).map_err(|e| Failure(format!("{e}; nothing was sent")))?)
    };
    let report = crate::sms::send_due(&mut store, provider.as_deref_mut(), dry_run)?;
    for p in &report.would_send {
        let to = p.to.as_deref().unwrap_or_default();
        say!(
            "{}  {}  {} {}B  {}",
            p.due.kind.label(lang),
            who(&p.due.name, to, mask),
            p.length.kind,
            p.length.bytes,
            p.text.replace('\n', " / ")
        );
    }
    for p in &report.skipped {
        let why = p.to.as_ref().err().map(|r| r.label(lang)).unwrap_or_default();
        say!(
            "{}  {}  {}: {why}",
            p.due.kind.label(lang),
            who(&p.due.name, &p.due.phone, mask),
            lang.pick("보내지 않음", "skipped")
        );
    }
    if dry_run {
        say!(
            "{}",
            match lang {
                Lang::Ko => format!(
                    "보낼 문자 {}건, 보내지 않을 문자 {}건 (--dry-run: 보내지 않았습니다)",
                    report.would_send.len(),
                    report.skipped.len()
                ),
                Lang::En => format!(
                    "{} to send, {} skipped (--dry-run: nothing was sent)",
                    report.would_send.len(),
                    report.skipped.len()
                ),
            }
        );
        return Ok(());
    }
    say!(
        "{}",
        match lang {
            Lang::Ko => format!(
                "보냄 {}, 실패 {}, 결과 모름 {}, 건너뜀 {}",
                report.sent,
                report.failed,
                report.unknown,
                report.skipped.len()
            ),
            Lang::En => format!(
                "sent {}, failed {}, unknown {}, skipped {}",
                report.sent,
                report.failed,
                report.unknown,
                report.skipped.len()
            ),
        }
    );
    if report.unknown > 0 {
        say!(
            "{}",
            lang.pick(
                "결과를 모르는 문자는 다시 보내지 않습니다 - `frontdesk messages list`로 확인하고 환자에게 전화로 확인하세요",
                "texts with an unknown outcome are not sent again - see `frontdesk messages list` and check with the patient by phone",
            )
        );
    }
    if let Some(why) = report.retry {
        return Err(Failure(format!(
            "{}: {why}",
            lang.pick(
                "문자 서비스에 연결하지 못해 남은 문자는 대기 중입니다 - 다음 실행 때 보냅니다",
                "the provider could not be reached; the rest stay queued for the next run"
            )
        )));
    }
    Ok(())
}

fn list(
    db: &Path,
    config: &Config,
    lang: Lang,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    mask: bool,
) -> CliResult {
    let store = open_existing(db, Access::ReadOnly, config)?;
    let today = store.now().date();
    let to = to.unwrap_or(today);
    let from = from.unwrap_or(to);
    if to < from {
        return Err(Failure(format!("--to {to} is before --from {from}")));
    }
    let rows = outbox::list(store.conn(), from, to)?;
    for r in &rows {
        let reason = if r.reason.is_empty() { String::new() } else { format!("  ({})", r.reason) };
        say!(
            "{}  {:<8} {}  {}  {} {}B  {}{reason}",
            r.queued_at.get(..16).unwrap_or(&r.queued_at).replace('T', " "),
            r.status,
            r.kind.label(lang),
            who(&r.name, &r.to, mask),
            r.msg_type,
            r.bytes,
            if mask { String::new() } else { r.body.replace('\n', " / ") },
        );
    }
    if rows.is_empty() {
        say!("{}", lang.pick("이 기간에 보낸 문자가 없습니다", "no texts in this period"));
    }
    Ok(())
}
