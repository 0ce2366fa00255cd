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

#[test]
fn rust_version_is_the_newest_any_locked_crate_declares() {
    let out = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--offline", "--locked"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let m: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let packages = m["packages"].as_array().unwrap();
    let ours = packages.iter().find(|p| p["name"] == "frontdesk").unwrap();
    let declared = version(ours["rust_version"].as_str().expect("rust-version is declared"));
    let (needed, by) = packages
        .iter()
        .filter(|p| p["name"] != "frontdesk")
        .filter_map(|p| Some((version(p["rust_version"].as_str()?), p["name"].as_str()?.to_string())))
        .max()
        .unwrap();
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
