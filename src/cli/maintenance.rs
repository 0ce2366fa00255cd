//! `frontdesk check`, `frontdesk backup` and `frontdesk restore`.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::{CliResult, Failure, open_existing, out_file};
use crate::config::Config;
use crate::store::{Access, Store, audit, maintenance};

/// Prints the check's lines; true when all passed.
fn print_check(store: &Store) -> Result<bool, Failure> {
    let report = maintenance::check(store)?;
    for line in &report.lines {
        say!("{line}");
    }
    Ok(report.ok)
}

/// `frontdesk check [--acknowledge]`: exit status 1 when a problem is found.
///
/// Opened read-write, so an outside change is recorded as it is found (see
/// `audit::review_on_open`); but read-only when the audit key is missing, so that `check` never
/// makes a new key itself: it says the key is missing.
pub fn check(db: &Path, acknowledge: bool, config: &Config) -> CliResult {
    let key_missing = db.is_file()
        && fs::symlink_metadata(audit::key_path(db)).is_err()
        && rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .is_ok_and(|c| audit::has_rows(&c));
    if acknowledge && key_missing {
        return Err(Failure(format!(
            "{}: the audit key is missing; put it back first (nothing acknowledged)",
            audit::key_path(db).display()
        )));
    }
    let access = if key_missing { Access::ReadOnly } else { Access::ReadWrite };
    let mut store = open_existing(db, access, config)?;
    if acknowledge {
        match audit::acknowledge(&mut store)? {
            0 => say!("nothing to acknowledge"),
            n => say!("acknowledged: {n} finding(s), recorded in the audit log"),
        }
    }
    if print_check(&store)? {
        say!("{}: ok", db.display());
        Ok(())
    } else {
        Err(Failure::problem(format!("{}: check failed", db.display())))
    }
}

/// `frontdesk backup FILE`: the copy, and beside it `FILE.key`, a copy of the audit key,
/// without which the backup's audit log cannot be verified (nor a restore of it accepted).
pub fn backup(db: &Path, to: &Path, force: bool, config: &Config) -> CliResult {
    let store = open_existing(db, Access::ReadWrite, config)?;
    let key_to = audit::key_path(to);
    // Both names are looked at before anything is written.
    out_file::check_target(&key_to, db, force)?;
    let spinner = super::progress::spinner(format!("backing up to {}", to.display()));
    let copied = out_file::write_with(to, db, force, |work, _| {
        maintenance::vacuum_into(&store, work).map_err(|e| Failure(format!("{}: {e}", to.display())))
    });
    super::progress::done(spinner);
    copied?;
    let key = fs::read(audit::key_path(db))
        .map_err(|e| Failure(format!("{}: cannot read the audit key ({e})", audit::key_path(db).display())))
        .and_then(|bytes| out_file::write(&key_to, db, force, &bytes));
    if let Err(e) = key {
        return Err(Failure(format!(
            "{} written, but not its audit key: {}; copy {} beside it as {} by hand",
            to.display(),
            e.0,
            audit::key_path(db).display(),
            key_to.display()
        )));
    }
    say!("{} -> {}", db.display(), to.display());
    say!("audit key -> {} (keep it with the backup)", key_to.display());
    Ok(())
}

/// `name.before-restore-YYYYMMDD-HHMMSS`, with `-2`, `-3` … when taken.
fn aside_name(db: &Path, now: chrono::NaiveDateTime) -> PathBuf {
    let stamp = now.format("%Y%m%d-%H%M%S");
    let taken = |p: &Path| out_file::companions(p).iter().any(|f| fs::symlink_metadata(f).is_ok());
    let mut n = 1;
    loop {
        let mut p = db.as_os_str().to_os_string();
        p.push(format!(".before-restore-{stamp}"));
        if n > 1 {
            p.push(format!("-{n}"));
        }
        let p = PathBuf::from(p);
        if !taken(&p) {
            return p;
        }
        n += 1;
    }
}

/// `frontdesk restore BACKUP`: checks the backup, keeps the current file (and its WAL/SHM)
/// aside under a dated name, puts a copy of the backup in place (owner-only, WAL mode) and
/// runs `check` on it. Refuses, changing nothing, a backup that is not a sound frontdesk
/// database, and a database another terminal or command has open.
pub fn restore(db: &Path, backup: &Path, config: &Config) -> CliResult {
    let shown = backup.display();
    // The backup: a regular, non-empty file that is not the database itself.
    if out_file::is_database_file(backup, db) {
        return Err(Failure(format!(
            "{shown}: that is the database itself (or its WAL/SHM); nothing changed"
        )));
    }
    match fs::metadata(backup) {
        Err(e) => return Err(Failure(format!("{shown}: cannot read ({e}); nothing changed"))),
        Ok(m) if !m.is_file() => {
            return Err(Failure(format!("{shown}: not a regular file; nothing changed")));
        }
        Ok(m) if m.len() == 0 => {
            return Err(Failure(format!("{shown}: an empty file, not a backup; nothing changed")));
        }
        Ok(_) => {}
    }
    // The database: a regular file or nothing (a missing file is simply restored).
    let current = match fs::metadata(db) {
        Ok(m) if !m.is_file() => {
            return Err(Failure(format!("{}: not a regular file; nothing changed", db.display())));
        }
        Ok(_) => true,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(e) => return Err(Failure(format!("{}: cannot look at it ({e}); nothing changed", db.display()))),
    };
    let folder = match db.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !folder.is_dir() {
        return Err(Failure(format!("{}: the folder does not exist; nothing changed", folder.display())));
    }

    // 1. A private copy of the backup beside the database, checked there (the backup itself
    //    is only read): a frontdesk file, not from a newer frontdesk, integrity and audit ok.
    let name = db.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let work = folder.join(format!(".{name}.restoring-{}", std::process::id()));
    let cleanup = || {
        for f in out_file::companions(&work) {
            let _ = fs::remove_file(f);
        }
    };
    let copied = (|| -> Result<bool, Failure> {
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut to =
            options.open(&work).map_err(|e| Failure(format!("{}: cannot create ({e})", work.display())))?;
        let mut from = fs::File::open(backup).map_err(|e| Failure(format!("{shown}: cannot read ({e})")))?;
        let size = from.metadata().map(|m| m.len()).unwrap_or(0);
        let bar = super::progress::bar(size, "restoring");
        let copied = copy_with_progress(&mut from, &mut to, bar.as_ref());
        super::progress::done(bar);
        copied.map_err(|e| Failure(format!("{shown}: cannot copy ({e})")))?;
        to.flush()?;
        to.sync_all()?;
        // Its audit key, saved beside it by `backup`: without it the copy could not be verified
        // (opening it would make a new key, and check would refuse it).
        let key_from = audit::key_path(backup);
        let key = match fs::read(&key_from) {
            Ok(key) => key,
            // Checked read-only below, which says the key is missing.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
            Err(e) => return Err(Failure(format!("{}: cannot read ({e})", key_from.display()))),
        };
        let mut key_to = options
            .open(audit::key_path(&work))
            .map_err(|e| Failure(format!("{}: cannot create ({e})", audit::key_path(&work).display())))?;
        key_to.write_all(&key)?;
        key_to.sync_all()?;
        Ok(true)
    })();
    let with_key = match copied {
        Ok(with_key) => with_key,
        Err(e) => {
            cleanup();
            return Err(Failure(format!("{}; nothing changed", e.0)));
        }
    };
    let checked = (|| -> Result<(), Failure> {
        // Without its key the copy is only looked at (read-only, so no new key is made) and
        // refused: check says the key is missing.
        let access = if with_key { Access::ReadWrite } else { Access::ReadOnly };
        let store = super::open_store(&work, access, config)
            .map_err(|e| Failure(e.0.replace(&work.display().to_string(), &shown.to_string())))?;
        let report =
            maintenance::check(&store).map_err(|e| Failure(format!("{shown}: does not pass check ({e})")))?;
        if !report.ok {
            let why: Vec<&str> = report
                .lines
                .iter()
                .map(String::as_str)
                .filter(|l| !l.ends_with(": ok") && !l.contains("ok ("))
                .collect();
            let why = why.join("; ").replace(&work.display().to_string(), &shown.to_string());
            return Err(Failure(format!("{shown}: does not pass check ({why})")));
        }
        let mode = maintenance::use_wal(&store).map_err(|e| Failure(format!("{shown}: {e}")))?;
        if mode != "wal" {
            return Err(Failure(format!("{shown}: cannot switch the copy to WAL (journal mode {mode})")));
        }
        Ok(())
        // The store closes here: the copy's WAL is checkpointed into it and removed.
    })();
    if let Err(e) = checked {
        cleanup();
        return Err(Failure(format!("{}; nothing changed", e.0)));
    }

    // 2. Nobody else may have the database open: moving it from under a running app would
    //    leave that app writing to the file kept aside.
    if current && maintenance::in_use_by_another(db) {
        cleanup();
        return Err(Failure::busy(format!(
            "{}: is open in another terminal or command; close frontdesk there and run restore again (nothing changed)",
            db.display()
        )));
    }

    // 3. The current file and its WAL/SHM aside, then the copy in place.
    let aside = aside_name(db, super::now()?);
    if current {
        for (from, to) in out_file::companions(db).iter().zip(out_file::companions(&aside).iter()) {
            match fs::rename(from, to) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    cleanup();
                    // Put back what was already moved.
                    for (back, orig) in
                        out_file::companions(&aside).iter().zip(out_file::companions(db).iter())
                    {
                        let _ = fs::rename(back, orig);
                    }
                    return Err(Failure(format!(
                        "{}: cannot move aside ({e}); nothing changed",
                        from.display()
                    )));
                }
            }
        }
    }
    let placed = fs::rename(&work, db).and_then(|()| {
        fs::rename(audit::key_path(&work), audit::key_path(db)).inspect_err(|_| {
            // The copy without its key is no use: take it back out.
            let _ = fs::rename(db, &work);
        })
    });
    if let Err(e) = placed {
        cleanup();
        if current {
            for (back, orig) in out_file::companions(&aside).iter().zip(out_file::companions(db).iter()) {
                let _ = fs::rename(back, orig);
            }
        }
        return Err(Failure(format!(
            "{}: cannot put the copy in place ({e}); nothing changed",
            db.display()
        )));
    }
    cleanup();

    // 4. The same checks as `check`, on the file now in place.
    say!("{} <- {}", db.display(), backup.display());
    if current {
        say!("previous file kept as {}", aside.display());
    }
    let store = open_existing(db, Access::ReadWrite, config)?;
    say!("journal: {}", maintenance::journal_mode(&store)?);
    if print_check(&store)? {
        say!("{}: ok", db.display());
        Ok(())
    } else {
        Err(Failure::problem(format!("{}: restored, but check failed", db.display())))
    }
}

/// `std::io::copy`, moving `bar` along (bytes).
fn copy_with_progress(
    from: &mut impl std::io::Read,
    to: &mut impl Write,
    bar: Option<&indicatif::ProgressBar>,
) -> std::io::Result<u64> {
    let mut buf = vec![0u8; 1 << 20];
    let mut total = 0u64;
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) => return Ok(total),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        to.write_all(&buf[..n])?;
        total += n as u64;
        if let Some(bar) = bar {
            bar.set_position(total);
        }
    }
}
