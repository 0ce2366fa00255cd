//! Per-machine settings, as TOML in the platform's config folder: the language and the name
//! of the person at this terminal. Clinic-wide settings live in the database.

use std::path::PathBuf;

use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub lang: Option<String>,
    pub staff: Option<String>,
    /// `"dark"` (the default), `"light"` or `"auto"` (asks the terminal for its background).
    pub theme: Option<String>,
    /// `"box"` (the default) or `"ascii"`: frames and bars in `+-|#=.` for terminals that draw
    /// East Asian ambiguous-width characters two columns wide.
    pub borders: Option<String>,
    /// `mouse = false`: the desk does not capture the mouse (clicks and the wheel then belong
    /// to the terminal, for selecting text to copy). On by default; the shared screen never
    /// captures it.
    pub mouse: Option<bool>,
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

/// `theme = ...` in the config or `--theme`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThemeChoice {
    Dark,
    Light,
    Auto,
}

impl ThemeChoice {
    pub fn parse(s: &str) -> Option<ThemeChoice> {
        match s.trim().to_ascii_lowercase().as_str() {
            "dark" => Some(ThemeChoice::Dark),
            "light" => Some(ThemeChoice::Light),
            "auto" => Some(ThemeChoice::Auto),
            _ => None,
        }
    }
}

impl Config {
    /// The configured theme (dark when not set); an unknown name is an error naming the choices.
    pub fn theme_choice(&self) -> Result<ThemeChoice, String> {
        match self.theme.as_deref() {
            None => Ok(ThemeChoice::Dark),
            Some(s) => ThemeChoice::parse(s).ok_or_else(|| {
                format!("config.toml: theme = \"{s}\" is not known; use \"dark\", \"light\" or \"auto\"")
            }),
        }
    }

    /// Whether frames and bars are drawn in ASCII; an unknown value is an error naming the choices.
    pub fn ascii_borders(&self) -> Result<bool, String> {
        match self.borders.as_deref().map(|s| s.trim().to_ascii_lowercase()) {
            None => Ok(false),
            Some(s) if s == "box" || s == "unicode" => Ok(false),
            Some(s) if s == "ascii" => Ok(true),
            Some(s) => Err(format!("config.toml: borders = \"{s}\" is not known; use \"box\" or \"ascii\"")),
        }
    }

    /// How this terminal draws: `choice` (`--theme`, else the config's), `NO_COLOR` and
    /// `COLORTERM` from the environment, and for `auto` the terminal's answer to `ask` (the
    /// background's luminance), dark when it gives none.
    pub fn look(
        &self,
        choice: Option<ThemeChoice>,
        env: impl Fn(&str) -> Option<String>,
        ask: impl FnOnce() -> Option<f64>,
    ) -> Result<crate::app::theme::Look, String> {
        use crate::app::theme::{Look, Palette, env_colours, palette_for};
        let choice = match choice {
            Some(c) => c,
            None => self.theme_choice()?,
        };
        let (color, truecolor) = env_colours(env("NO_COLOR").as_deref(), env("COLORTERM").as_deref());
        let palette = match choice {
            ThemeChoice::Dark => Palette::Dark,
            ThemeChoice::Light => Palette::Light,
            ThemeChoice::Auto => palette_for(ask()),
        };
        Ok(Look { palette, color, truecolor, ascii: self.ascii_borders()? })
    }

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
