//! The built binary run as a script would run it: in `dir` (also its HOME, so no user
//! config is read), no `FRONTDESK_DB`, the tests' fixed moment, no terminal on stdin and
//! both outputs captured.

use std::path::Path;
use std::process::{Command, Output, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_frontdesk");

pub fn command(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(BIN);
    c.args(args)
        .current_dir(dir)
        .env("HOME", dir)
        .env_remove("FRONTDESK_DB")
        .env(super::FIXED_NOW_ENV.0, super::FIXED_NOW_ENV.1)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

pub fn run(dir: &Path, args: &[&str]) -> Output {
    command(dir, args).output().unwrap()
}

/// Standard error, trimmed.
pub fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).trim().to_string()
}

/// Standard output, trimmed.
pub fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}
