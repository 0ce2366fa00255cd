//! Sending text messages through a provider (issue 20): one trait, SOLAPI over HTTPS and an
//! "outbox" CSV for a provider's web upload; the run that sends everything due.
//!
//! The API key and secret come from `FRONTDESK_SMS_KEY` / `FRONTDESK_SMS_SECRET` or from an
//! owner-only file the config names; they are never stored in the database, printed, logged,
//! exported or put in an error message ([`Secret`] has no way to be shown).

pub mod nhncloud;
pub mod outbox_csv;
pub mod solapi;

use std::path::Path;
use std::time::Duration;

use crate::config::MessagingConfig;
use crate::domain::messages::MessageType;
use crate::store::messages::{self as outbox, Outcome, Planned};
use crate::store::{Result, Store};

/// A secret that cannot be printed: its `Debug` and `Display` are `***`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Secret {
        Secret(s.into())
    }
    /// The secret itself, for signing only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// `s` made safe to leave a provider: the secret replaced (a server echoing headers),
    /// control characters removed, at most 200 characters.
    pub fn scrub(&self, s: &str) -> String {
        let s = if self.0.len() >= 4 { s.replace(&self.0, "***") } else { s.to_string() };
        crate::domain::text::printable(&s).chars().take(200).collect()
    }
}

/// Whether a failed exchange may have reached the provider: before the request went out
/// (no connection, no name, TLS refused) it is retried; after (a timeout waiting for the
/// answer, a dropped connection) nobody knows, so it is `unknown`.
pub(super) fn classify(e: &ureq::Error, scrub: impl Fn(&str) -> String) -> Outcome {
    use ureq::Timeout;
    let why = scrub(&e.to_string());
    match e {
        ureq::Error::ConnectionFailed
        | ureq::Error::HostNotFound
        | ureq::Error::BadUri(_)
        | ureq::Error::Http(_)
        | ureq::Error::Tls(_)
        | ureq::Error::Rustls(_)
        | ureq::Error::TlsRequired => Outcome::Retry(why),
        ureq::Error::Timeout(Timeout::Resolve | Timeout::Connect) => Outcome::Retry(why),
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => Outcome::Retry(why),
        _ => Outcome::Unknown(why),
    }
}

/// The HTTP agent every provider uses: statuses are answers (not errors), no redirects,
/// `timeout` bounds the whole exchange and connecting gets at most 5 seconds of it.
pub(super) fn http_agent(timeout: std::time::Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(timeout))
        .timeout_connect(Some(timeout.min(std::time::Duration::from_secs(5))))
        .max_redirects(0)
        .build()
        .into()
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

/// The provider account's API key and secret.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub key: String,
    pub secret: Secret,
}

/// Reads the credentials: the environment first, else the file the config names, which must
/// be readable by its owner only (like an SSH key).
pub fn load_credentials(cfg: &MessagingConfig) -> std::result::Result<Credentials, String> {
    let env = |k: &str| std::env::var(k).ok().map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    if let (Some(key), Some(secret)) = (env("FRONTDESK_SMS_KEY"), env("FRONTDESK_SMS_SECRET")) {
        return Ok(Credentials { key, secret: Secret::new(secret) });
    }
    let Some(path) = &cfg.credentials_file else {
        return Err(
            "no SMS credentials: set FRONTDESK_SMS_KEY and FRONTDESK_SMS_SECRET, or name an owner-only \
                    file in config.toml ([messaging] credentials_file)"
                .into(),
        );
    };
    read_credentials_file(path)
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct CredentialsFile {
    key: String,
    secret: String,
}

/// `key = "..."` and `secret = "..."` in a TOML file only its owner can read. Errors name the
/// file, never its content.
pub fn read_credentials_file(path: &Path) -> std::result::Result<Credentials, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode();
        if mode & 0o077 != 0 {
            return Err(format!(
                "{}: other users can read this credentials file (mode {:o}); run chmod 600 on it",
                path.display(),
                mode & 0o777
            ));
        }
    }
    let _ = meta;
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let f: CredentialsFile = toml::from_str(&text)
        .map_err(|_| format!("{}: not `key = \"...\"` and `secret = \"...\"`", path.display()))?;
    Ok(Credentials { key: f.key.trim().to_string(), secret: Secret::new(f.secret.trim()) })
}

/// One text to hand to a provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub to: String,
    pub from: String,
    pub body: String,
    pub msg_type: MessageType,
}

/// A company (or a file) that takes texts.
pub trait Provider {
    /// `solapi`, `outbox`: stored on each row it took.
    fn name(&self) -> &'static str;
    /// Hands one text over; never panics, never retries by itself.
    fn send(&mut self, text: &Text) -> Outcome;
}

/// The provider `config.toml` names.
pub fn provider_from_config(cfg: &MessagingConfig) -> std::result::Result<Box<dyn Provider>, String> {
    let sender = crate::domain::phone::digits_of(&cfg.sender);
    match cfg.provider.trim() {
        "solapi" => {
            if sender.is_empty() {
                return Err(
                    "[messaging] sender: the clinic's registered sender number (발신번호) is missing".into(),
                );
            }
            let creds = load_credentials(cfg)?;
            let url = if cfg.api_url.trim().is_empty() { solapi::DEFAULT_URL } else { cfg.api_url.trim() };
            check_url(url)?;
            let timeout =
                Duration::from_secs(cfg.timeout_seconds.unwrap_or(solapi::DEFAULT_TIMEOUT_SECS).clamp(1, 60));
            Ok(Box::new(solapi::Solapi::new(url, creds, &sender, timeout)))
        }
        "nhncloud" => {
            if sender.is_empty() {
                return Err(
                    "[messaging] sender: the clinic's registered sender number (발신번호) is missing".into(),
                );
            }
            let creds = load_credentials(cfg)?;
            let url = if cfg.api_url.trim().is_empty() { nhncloud::DEFAULT_URL } else { cfg.api_url.trim() };
            check_url(url)?;
            let timeout =
                Duration::from_secs(cfg.timeout_seconds.unwrap_or(solapi::DEFAULT_TIMEOUT_SECS).clamp(1, 60));
            Ok(Box::new(nhncloud::NhnCloud::new(url, creds, &sender, timeout)))
        }
        "outbox" => {
            let Some(path) = &cfg.outbox_file else {
                return Err(
                    "[messaging] outbox_file: the CSV file the outbox provider writes is missing".into()
                );
            };
            Ok(Box::new(outbox_csv::OutboxCsv::new(path, &sender)))
        }
        "" => Err("[messaging] provider is missing: solapi, nhncloud or outbox".into()),
        other => {
            Err(format!("[messaging] provider = \"{other}\" is not known: use solapi, nhncloud or outbox"))
        }
    }
}

/// Patients' numbers and texts travel in the request: HTTPS, except to a server on this
/// machine (a local proxy, a test server).
pub fn check_url(url: &str) -> std::result::Result<(), String> {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("https://") {
        return Ok(());
    }
    if let Some(rest) = lower.strip_prefix("http://") {
        let host = rest.split('/').next().unwrap_or("");
        let host = host.rsplit_once(':').map(|(h, _)| h).unwrap_or(host);
        if matches!(host, "127.0.0.1" | "localhost" | "[::1]") {
            return Ok(());
        }
        return Err(format!(
            "[messaging] api_url = \"{url}\": use https:// (patients' numbers and texts go in each request); \
             http:// only to a server on this machine"
        ));
    }
    Err(format!("[messaging] api_url = \"{url}\" is not an https:// address"))
}

/// What one run of [`send_due`] did.
#[derive(Debug, Default)]
pub struct RunReport {
    /// Texts newly put in the outbox.
    pub queued: usize,
    /// Due texts not sent, with the reason (not a mobile number, opted out, quiet hours...).
    pub skipped: Vec<Planned>,
    pub sent: usize,
    /// Refused by the provider (the reason is on the row).
    pub failed: usize,
    /// Left queued for the next run (network error, 5xx), with the last reason.
    pub retry: Option<String>,
    /// Sent but unanswered (or found left mid-send): shown, never retried by itself.
    pub unknown: usize,
    /// The texts a dry run would send.
    pub would_send: Vec<Planned>,
}

static CLAIMS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// A token no other sender (process or thread) shares.
fn new_claim() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let n = CLAIMS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("{}-{nanos}-{n}", std::process::id())
}

/// Sends everything due: rows a dead sender left in `sending` become `unknown`, the texts due
/// now are queued (once each), then each queued row is claimed, handed to the provider and
/// finished, one at a time. A network error or a 5xx stops the run and leaves the row queued.
/// `dry_run`: nothing is written or sent; `would_send` lists what would go.
pub fn send_due(
    store: &mut Store,
    provider: Option<&mut (dyn Provider + 'static)>,
    dry_run: bool,
) -> Result<RunReport> {
    let mut report = RunReport::default();
    if dry_run {
        let planned = outbox::plan_due(store.conn(), store.now())?;
        let (go, skip): (Vec<_>, Vec<_>) = planned.into_iter().partition(|p| p.sendable());
        report.would_send = go;
        report.skipped = skip;
        return Ok(report);
    }
    report.unknown += outbox::settle_stale_claims(store)?;
    let (queued, skipped) = outbox::queue_due(store)?;
    report.queued = queued;
    report.skipped = skipped;
    let Some(provider) = provider else { return Ok(report) };
    let claim = new_claim();
    while let Some(row) = outbox::claim_next(store, &claim, provider.name())? {
        let text = Text {
            to: row.to.clone(),
            from: String::new(),
            body: row.body.clone(),
            msg_type: outbox::message_type(&row.msg_type),
        };
        let outcome = provider.send(&text);
        outbox::finish(store, row.id, &claim, &outcome)?;
        match outcome {
            Outcome::Sent(_) => report.sent += 1,
            Outcome::Rejected(_) => report.failed += 1,
            Outcome::Unknown(_) => report.unknown += 1,
            Outcome::Retry(why) => {
                report.retry = Some(why);
                break;
            }
        }
    }
    Ok(report)
}

/// Sends one queued row now (a free text written at the desk), nothing else.
pub fn send_one(store: &mut Store, provider: &mut (dyn Provider + 'static), id: i64) -> Result<Outcome> {
    let claim = new_claim();
    let Some(row) = outbox::claim_one(store, &claim, provider.name(), id)? else {
        return Ok(Outcome::Rejected("not queued".into()));
    };
    let text = Text {
        to: row.to.clone(),
        from: String::new(),
        body: row.body.clone(),
        msg_type: outbox::message_type(&row.msg_type),
    };
    let outcome = provider.send(&text);
    outbox::finish(store, row.id, &claim, &outcome)?;
    Ok(outcome)
}

/// The provider this machine's `config.toml` names, or why there is none.
pub fn configured_provider(lang: crate::domain::Lang) -> std::result::Result<Box<dyn Provider>, String> {
    let config = crate::config::Config::load()?;
    let cfg = config.messaging.ok_or_else(|| {
        lang.pick(
            "config.toml에 [messaging] 설정이 없어 보내지 않았습니다 (README: 문자)",
            "no [messaging] in config.toml, nothing was sent (see README, Text messages)",
        )
        .to_string()
    })?;
    provider_from_config(&cfg)
}
