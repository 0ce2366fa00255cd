//! Writing a file the user named (`export --out`, `report --out`, `backup FILE`), so that no
//! command destroys a file it was not asked to create:
//!
//! - never the database itself, nor its `-wal`, `-shm` or `-journal` (by name, after resolving
//!   the folders, and by device and inode, which also catches hard links);
//! - never through a symbolic link, and never a FIFO, a device or a folder (even with `--force`);
//! - never over an existing file unless `--force` is given. Without it the file is created with
//!   `O_CREAT | O_EXCL` (which does not follow a symlink either); with it the content goes to a
//!   new owner-only file in the same folder, renamed over the old name when complete, so the old
//!   file is replaced whole and its mode and owner are never changed (the new file is 0600).

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::Failure;

/// Where a command writes instead of standard output: `--out FILE [--force]`.
#[derive(Debug, Clone, Copy)]
pub struct Out<'a> {
    pub path: &'a Path,
    /// Replace an existing regular file (by renaming a new file over it).
    pub force: bool,
}

/// The files SQLite keeps beside a database, and its audit key (`<db>.key`).
pub fn companions(db: &Path) -> [PathBuf; 5] {
    let with = |suffix: &str| {
        let mut p = db.as_os_str().to_os_string();
        p.push(suffix);
        PathBuf::from(p)
    };
    [db.to_path_buf(), with("-wal"), with("-shm"), with("-journal"), with(".key")]
}

/// `path` with its folder resolved (the file itself need not exist).
fn resolved(path: &Path) -> Option<PathBuf> {
    if let Ok(p) = fs::canonicalize(path) {
        return Some(p);
    }
    let name = path.file_name()?;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    Some(fs::canonicalize(parent).ok()?.join(name))
}

/// True when `target` names `db` or one of its companion files.
pub fn is_database_file(target: &Path, db: &Path) -> bool {
    let Some(t) = resolved(target) else { return false };
    // The database by the name given and by the file a symlink points to: SQLite names the
    // WAL after the resolved path.
    let mut names: Vec<PathBuf> = Vec::new();
    for base in [resolved(db), fs::canonicalize(db).ok()].into_iter().flatten() {
        names.extend(companions(&base));
    }
    if names.contains(&t) {
        return true;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let Ok(tm) = fs::metadata(target) {
            for f in companions(db) {
                if let Ok(m) = fs::metadata(&f) {
                    if m.dev() == tm.dev() && m.ino() == tm.ino() {
                        return true;
                    }
                }
            }
        }
    }
    false
}

fn what_it_is(m: &fs::Metadata) -> &'static str {
    let t = m.file_type();
    if t.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "not a regular file"
}

/// Refuses a target that would destroy something; see the module comment.
pub fn check_target(target: &Path, db: &Path, force: bool) -> Result<(), Failure> {
    let shown = target.display();
    if is_database_file(target, db) {
        return Err(Failure(format!(
            "{shown}: that is the database {} (or its WAL/SHM/key); nothing written, choose another file",
            db.display()
        )));
    }
    match fs::symlink_metadata(target) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let parent = match target.parent() {
                Some(p) if !p.as_os_str().is_empty() => p,
                _ => Path::new("."),
            };
            if !parent.is_dir() {
                return Err(Failure(format!(
                    "{shown}: the folder {} does not exist; nothing written",
                    parent.display()
                )));
            }
            Ok(())
        }
        Err(e) => Err(Failure(format!("{shown}: cannot look at it ({e}); nothing written"))),
        Ok(m) if m.file_type().is_symlink() => Err(Failure(format!(
            "{shown}: is a symbolic link; nothing written (name the real file, or choose a new name)"
        ))),
        Ok(m) if !m.is_file() => {
            Err(Failure(format!("{shown}: is {}, not a regular file; nothing written", what_it_is(&m))))
        }
        Ok(_) if !force => Err(Failure(format!(
            "{shown}: already exists; nothing written (choose a new name, or add --force to replace it)"
        ))),
        Ok(_) => Ok(()),
    }
}

fn create_private(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    // create_new is O_CREAT | O_EXCL: fails on any existing name, a dangling symlink included.
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// Writes `target` (owner-only) by handing `fill` a new, empty file to fill: the target itself
/// when it does not exist, or a temporary file in the same folder that replaces it when
/// `force` allows it. On any failure nothing is left behind and an existing target is intact.
pub fn write_with(
    target: &Path,
    db: &Path,
    force: bool,
    fill: impl FnOnce(&Path, &mut File) -> Result<(), Failure>,
) -> Result<(), Failure> {
    check_target(target, db, force)?;
    let shown = target.display().to_string();
    let exists = fs::symlink_metadata(target).is_ok();
    let work = if exists {
        let name = target.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        target.with_file_name(format!(".{name}.new-{}", std::process::id()))
    } else {
        target.to_path_buf()
    };
    let mut file = create_private(&work).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists && !exists {
            Failure(format!("{shown}: was created by someone else meanwhile; nothing written"))
        } else {
            Failure(format!("{}: cannot create ({e}); nothing written", work.display()))
        }
    })?;
    let done = fill(&work, &mut file)
        .and_then(|()| file.sync_all().map_err(|e| Failure(format!("{shown}: cannot write ({e})"))));
    drop(file);
    if let Err(e) = done {
        let _ = fs::remove_file(&work);
        return Err(e);
    }
    if exists {
        // Looked at again just before: still a regular file, still not the database.
        if let Err(e) = check_target(target, db, force) {
            let _ = fs::remove_file(&work);
            return Err(e);
        }
        if let Err(e) = fs::rename(&work, target) {
            let _ = fs::remove_file(&work);
            return Err(Failure(format!("{shown}: cannot replace ({e}); left as it was")));
        }
    }
    Ok(())
}

/// Writes `bytes` to `target` (see [`write_with`]).
pub fn write(target: &Path, db: &Path, force: bool, bytes: &[u8]) -> Result<(), Failure> {
    write_with(target, db, force, |_, f| {
        f.write_all(bytes).map_err(|e| Failure(format!("{}: cannot write ({e})", target.display())))
    })
}

/// The UTF-8 byte order mark: Korean Excel reads a CSV file as UTF-8 only when it has one.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// CSV text as every CSV frontdesk writes it: with a BOM (so Korean Excel opens it as UTF-8)
/// unless `no_bom`, and never on a terminal, where it would only be an invisible character.
pub fn csv_with_bom(text: &[u8], no_bom: bool, to_terminal: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + 3);
    if !no_bom && !to_terminal && !text.starts_with(BOM) {
        out.extend_from_slice(BOM);
    }
    out.extend_from_slice(text);
    out
}

/// Writes a command's output to `--out` or to standard output. On a terminal the text goes
/// through [`crate::domain::text::printable`] (a cell must not drive it); into a pipe or a file
/// the bytes go as they are. A closed pipe comes back as an error the caller turns into a
/// quiet exit (see `cli::main`).
pub fn emit(out: Option<Out<'_>>, db: &Path, bytes: &[u8]) -> Result<(), Failure> {
    use std::io::IsTerminal;
    match out {
        Some(out) => write(out.path, db, out.force, bytes),
        None => {
            let mut stdout = std::io::stdout().lock();
            if stdout.is_terminal() {
                let text = String::from_utf8_lossy(bytes);
                let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
                stdout.write_all(crate::domain::text::printable(text).as_bytes())?;
            } else {
                stdout.write_all(bytes)?;
            }
            stdout.flush()?;
            Ok(())
        }
    }
}

/// True when output goes to a terminal: `--out` is never one.
pub fn to_terminal(out: Option<Out<'_>>) -> bool {
    use std::io::IsTerminal;
    out.is_none() && std::io::stdout().is_terminal()
}
