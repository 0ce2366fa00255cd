//! Per-machine settings, as TOML in the platform's config folder: the language and the name
//! of the person at this terminal. Clinic-wide settings live in the database.

use std::path::PathBuf;

use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub lang: Option<String>,
    pub staff: Option<String>,
    /// `[messaging]`: how this machine sends texts (issue 20).
    pub messaging: Option<MessagingConfig>,
}

/// `[messaging]` in config.toml. The API key and secret are not here: they come from
/// `FRONTDESK_SMS_KEY` / `FRONTDESK_SMS_SECRET` or the owner-only `credentials_file`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessagingConfig {
    /// "solapi" | "nhncloud" | "outbox".
    #[serde(default)]
    pub provider: String,
    /// SOLAPI's address (a proxy or a test server may stand in); default https://api.solapi.com.
    #[serde(default)]
    pub api_url: String,
    /// The clinic's registered sender number (발신번호).
    #[serde(default)]
    pub sender: String,
    /// A TOML file with `key = "..."` and `secret = "..."`, readable by its owner only.
    #[serde(default)]
    pub credentials_file: Option<PathBuf>,
    /// The CSV file the outbox provider appends to.
    #[serde(default)]
    pub outbox_file: Option<PathBuf>,
    /// The longest one request may take, in seconds (1-60, default 10).
    #[serde(default)]
    pub timeout_seconds: Option<u64>,
}

fn dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "frontdesk")
}

/// Where the config file lives (it need not exist).
pub fn config_path() -> Option<PathBuf> {
    dirs().map(|d| d.config_dir().join("config.toml"))
}

/// The platform's data folder for frontdesk (created on demand by the caller).
pub fn data_dir() -> Option<PathBuf> {
    dirs().map(|d| d.data_dir().to_path_buf())
}

impl Config {
    /// Reads the config file; a missing file is the default, a malformed one an error.
    pub fn load() -> Result<Config, String> {
        let Some(path) = config_path() else { return Ok(Config::default()) };
        match std::fs::read_to_string(&path) {
            Ok(text) => toml::from_str(&text).map_err(|e| format!("{}: {}", path.display(), e.message())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => Err(format!("{}: {e}", path.display())),
        }
    }
}
