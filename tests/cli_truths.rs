//! Small truths of the command line (issue 22 item 8): the declared rust-version is what the
//! locked crates need, the help texts name files that exist, and shell completions work.

use std::path::Path;
use std::process::Command;

use clap::CommandFactory;

const BIN: &str = env!("CARGO_BIN_EXE_frontdesk");

/// `1.88` and `1.88.0` alike: three numbers.
fn version(v: &str) -> Vec<u64> {
    let mut n: Vec<u64> = v.split('.').map(|p| p.parse().unwrap_or(0)).collect();
    n.resize(3, 0);
    n
}

/// The `rust-version` a crate's manifest declares, from the sources cargo unpacked.
fn declared_rust_version(registry_src: &Path, name: &str, version: &str) -> Option<String> {
    for index in std::fs::read_dir(registry_src).ok()?.flatten() {
        let manifest = index.path().join(format!("{name}-{version}")).join("Cargo.toml");
        if let Ok(text) = std::fs::read_to_string(&manifest) {
            let value: toml::Value = toml::from_str(&text).ok()?;
            return value.get("package")?.get("rust-version")?.as_str().map(str::to_string);
        }
    }
    None
}

/// Reads Cargo.lock and the locked crates' manifests in cargo's registry (no cargo process:
/// it could wait on the package cache lock another build holds).
#[test]
fn rust_version_is_the_newest_any_locked_crate_declares() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ours: toml::Value =
        toml::from_str(&std::fs::read_to_string(root.join("Cargo.toml")).unwrap()).unwrap();
    let declared = version(ours["package"]["rust-version"].as_str().expect("rust-version is declared"));
    let home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))
        .unwrap();
    let registry_src = home.join("registry/src");
    if !registry_src.is_dir() {
        eprintln!("no cargo registry sources at {}: not checked", registry_src.display());
        return;
    }
    let lock: toml::Value =
        toml::from_str(&std::fs::read_to_string(root.join("Cargo.lock")).unwrap()).unwrap();
    let mut needed = (vec![0, 0, 0], String::new());
    let mut found = 0;
    for p in lock["package"].as_array().unwrap() {
        let (name, ver) = (p["name"].as_str().unwrap(), p["version"].as_str().unwrap());
        if p.get("source").is_none() {
            continue; // frontdesk itself
        }
        if let Some(rv) = declared_rust_version(&registry_src, name, ver) {
            found += 1;
            needed = needed.max((version(&rv), format!("{name} {ver}")));
        }
    }
    assert!(found > 0, "no locked crate's manifest found under {}", registry_src.display());
    let (needed, by) = needed;
    assert!(declared >= needed, "rust-version {declared:?} is older than {by} needs ({needed:?})");
    assert_eq!(
        declared[..2],
        needed[..2],
        "rust-version claims more than the crates need ({by}: {needed:?})"
    );
}

/// Every help text, of the command and its subcommands, long form.
fn all_help(cmd: &mut clap::Command, out: &mut String) {
    out.push_str(&cmd.render_long_help().to_string());
    for sub in cmd.get_subcommands_mut() {
        all_help(sub, out);
    }
}

#[test]
fn help_texts_name_files_that_exist() {
    let mut help = String::new();
    all_help(&mut frontdesk::cli::Cli::command(), &mut help);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut named = 0;
    for word in help.split(|c: char| c.is_whitespace() || "()`,;'\"".contains(c)) {
        let word = word.trim_end_matches(['.', ':']);
        let is_repo_path = ["data/", "examples/", "docs/"].iter().any(|p| word.starts_with(p));
        if is_repo_path {
            named += 1;
            assert!(root.join(word).exists(), "--help names {word}, which does not exist");
        }
    }
    assert!(named > 0, "the okr load help names its example file");
    assert!(help.contains("Exit status: 0 success"), "the exit statuses are in --help");
}

#[test]
fn shell_completions_for_bash_zsh_and_fish() {
    for shell in ["bash", "zsh", "fish"] {
        let out = Command::new(BIN).args(["completions", shell]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{shell}: {}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8(out.stdout).unwrap();
        for word in ["frontdesk", "import", "export", "template", "completions"] {
            assert!(text.contains(word), "{shell}: {word} missing");
        }
    }
    let out = Command::new(BIN).args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}
