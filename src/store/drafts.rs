//! Drafts: forms being filled, kept per terminal session so that a dropped connection loses
//! nothing. They are scratch, not records: nothing in them reaches the real tables until saved.
//!
//! A [`Session`] is one run of the app (one terminal). Two terminals of the same OS user each
//! keep their own drafts. When a terminal hangs up its drafts stay; the next app started by
//! the same OS user offers them back ([`Store::orphan_drafts`]), but never the draft of a
//! session that is still running in another terminal.
//!
//! Telling a live session from a dead one: each session creates `<db>-sessions/<id>`, a tiny
//! SQLite file, and holds its exclusive lock for as long as it runs (SQLite's own file locks:
//! no new crate, and they are right between two connections of one process too). The kernel
//! releases the lock whatever ends the process (quit, hang-up, SIGKILL, a panic), so "the lock
//! can be taken" means "the session is gone" with no clock involved and no heartbeat writes (a
//! heartbeat in the database would be a commit every few seconds, making every other terminal
//! reload). When a session could not create its lock file, its row's host and pid are the
//! fallback: on this host, alive while that process exists; on another host, unknown (the
//! lock files live beside the database, so a live session elsewhere has one) and taken as gone.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use rusqlite::params;

use super::{Result, Store};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub id: i64,
    /// The session that owns it.
    pub session: String,
    pub form: String,
    pub payload: String,
    pub updated_at: String,
}

/// One run of the app in one terminal, owner of its drafts. Dropping it ends the session.
#[derive(Debug)]
pub struct Session {
    id: String,
    host: String,
    pid: u32,
    lock_dir: PathBuf,
    /// The connection holding the lock that says this session is alive; `None` when it could
    /// not be made.
    lock: Option<rusqlite::Connection>,
}

/// The folder of session lock files beside the database `db`.
pub fn lock_dir(db: &Path) -> PathBuf {
    let name = db.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "db".into());
    db.with_file_name(format!("{name}-sessions"))
}

fn this_host() -> String {
    ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .find_map(|p| fs::read_to_string(p).ok().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()))
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_default()
}

/// True unless this host can say process `pid` is gone.
fn pid_alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    if proc.join("self").exists() { proc.join(pid.to_string()).exists() } else { true }
}

fn lock_flags() -> rusqlite::OpenFlags {
    rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX
}

/// Whether a session's lock file is locked by its (running) session: `None` when there is no
/// such file or it cannot be told.
fn lock_held(path: &Path) -> Option<bool> {
    if !path.is_file() {
        return None;
    }
    let conn = rusqlite::Connection::open_with_flags(path, lock_flags()).ok()?;
    conn.busy_timeout(std::time::Duration::ZERO).ok()?;
    match conn.execute_batch("PRAGMA journal_mode = MEMORY; BEGIN EXCLUSIVE; ROLLBACK;") {
        Ok(()) => Some(false),
        Err(e)
            if matches!(
                e.sqlite_error_code(),
                Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
            ) =>
        {
            Some(true)
        }
        Err(_) => None,
    }
}

/// This terminal, as long as it stays open: the host, the terminal's login session and its
/// controlling tty (Linux `/proc/self/stat`). Restarting the app in the same terminal gives the
/// same id; another terminal, or a later one on the same tty, another. `None` when it cannot
/// be told (no controlling terminal, no `/proc`).
pub fn terminal_id() -> Option<String> {
    let stat = fs::read_to_string("/proc/self/stat").ok()?;
    // "pid (comm) state ppid pgrp session tty_nr ...": comm may hold spaces and parentheses.
    let fields: Vec<&str> = stat.get(stat.rfind(')')? + 1..)?.split_whitespace().collect();
    let (session, tty) = (fields.get(3)?, fields.get(4)?);
    if *tty == "0" || session.parse::<u32>().is_err() || tty.parse::<i64>().is_err() {
        return None;
    }
    Some(format!("{}-{session}-{tty}", this_host().replace(['/', '\\', '.'], "_")))
}

/// Where the staff member picked at each terminal is kept: `<db>-sessions/terminals/`.
fn terminals_dir(db: &Path) -> PathBuf {
    lock_dir(db).join("terminals")
}

/// The staff member picked earlier at this terminal, if any.
pub fn remembered_staff(db: &Path) -> Option<String> {
    let id = terminal_id()?;
    let name = fs::read_to_string(terminals_dir(db).join(id)).ok()?;
    let name = name.trim();
    (!name.is_empty()).then(|| name.to_string())
}

/// Remembers the staff member picked at this terminal (owner-only file beside the database),
/// and forgets the picks of terminals whose session has ended on this host.
pub fn remember_staff(db: &Path, name: &str) -> std::io::Result<()> {
    let Some(id) = terminal_id() else { return Ok(()) };
    let dir = terminals_dir(db);
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(&dir)?;
    let host = format!("{}-", this_host().replace(['/', '\\', '.'], "_"));
    if let Ok(entries) = fs::read_dir(&dir) {
        for entry in entries.flatten() {
            let file = entry.file_name().to_string_lossy().into_owned();
            let session = file.strip_prefix(&host).and_then(|rest| rest.split('-').next());
            if let Some(pid) = session.and_then(|s| s.parse::<u32>().ok()) {
                if !pid_alive(pid) {
                    let _ = fs::remove_file(entry.path());
                }
            }
        }
    }
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    use std::io::Write;
    options.open(dir.join(id))?.write_all(name.trim().as_bytes())
}

impl Session {
    /// Starts a session for the database at `db`: a new unique id and its held lock.
    pub fn start(db: &Path) -> Session {
        Session::start_with(db, true)
    }

    fn start_with(db: &Path, locked: bool) -> Session {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let pid = std::process::id();
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let id = format!("{nanos:x}-{pid}-{n}");
        let lock_dir = lock_dir(db);
        let lock = if locked { Session::make_lock(&lock_dir, &id) } else { None };
        Session { id, host: this_host(), pid, lock_dir, lock }
    }

    /// A session that keeps no drafts (read-only or presentation screens): no lock file is
    /// made beside the database.
    pub fn without_drafts(db: &Path) -> Session {
        Session::start_with(db, false)
    }

    fn make_lock(dir: &Path, id: &str) -> Option<rusqlite::Connection> {
        let mut builder = fs::DirBuilder::new();
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        if !dir.is_dir() {
            builder.create(dir).ok().or_else(|| dir.is_dir().then_some(()))?;
        }
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        // Made owner-only before SQLite opens it.
        options.open(dir.join(id)).ok()?;
        let conn = rusqlite::Connection::open_with_flags(dir.join(id), lock_flags()).ok()?;
        conn.execute_batch("PRAGMA journal_mode = MEMORY; PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;")
            .ok()?;
        Some(conn)
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    /// True when this session holds its lock (others can tell it is alive by the lock).
    pub fn is_locked(&self) -> bool {
        self.lock.is_some()
    }

    /// Whether the session `id` (which ran as `pid` on `host`) is still running.
    pub fn is_alive(&self, id: &str, host: &str, pid: u32) -> bool {
        if id == self.id {
            return true;
        }
        if !id.contains(['/', '\\']) && !id.starts_with('.') {
            if let Some(held) = lock_held(&self.lock_dir.join(id)) {
                return held;
            }
        }
        host == self.host && pid_alive(pid)
    }

    /// Removes the lock files of ended sessions that left no draft.
    fn sweep(&self, with_drafts: &HashSet<String>) {
        let Ok(entries) = fs::read_dir(&self.lock_dir) else { return };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name == self.id || with_drafts.contains(&name) || name.contains("-journal") {
                continue;
            }
            if lock_held(&entry.path()) == Some(false) {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

impl Store {
    /// Saves (or replaces) this session's draft of a form.
    pub fn save_draft(&mut self, session: &Session, form: &str, payload: &str) -> Result<()> {
        let user = self.actor().os_user.clone();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO drafts (session, os_user, host, pid, form, payload, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (session, form) DO UPDATE SET payload = excluded.payload, updated_at = excluded.updated_at",
                params![session.id, user, session.host, session.pid, form, payload, tx.now_text()],
            )?;
            Ok(())
        })
    }

    /// Deletes this session's draft of a form.
    pub fn delete_draft(&mut self, session: &Session, form: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute("DELETE FROM drafts WHERE session = ?1 AND form = ?2", params![session.id, form])?;
            Ok(())
        })
    }

    /// This session's drafts.
    pub fn session_drafts(&self, session: &Session) -> Result<Vec<Draft>> {
        self.drafts_where("session = ?1", &session.id)
    }

    fn drafts_where(&self, filter: &str, value: &str) -> Result<Vec<Draft>> {
        let mut stmt = self.conn().prepare(&format!(
            "SELECT id, session, form, payload, updated_at FROM drafts WHERE {filter} ORDER BY updated_at, id"
        ))?;
        let rows = stmt.query_map([value], |r| {
            Ok(Draft {
                id: r.get(0)?,
                session: r.get(1)?,
                form: r.get(2)?,
                payload: r.get(3)?,
                updated_at: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The drafts this OS user's ended sessions left behind, oldest first; never one of a
    /// session still running in another terminal. Sweeps the lock files no draft needs.
    pub fn orphan_drafts(&self, session: &Session) -> Result<Vec<Draft>> {
        let user = &self.actor().os_user;
        let mut stmt = self.conn().prepare("SELECT DISTINCT session, host, pid FROM drafts")?;
        let sessions = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut alive = HashMap::new();
        for (id, host, pid) in &sessions {
            let live = session.is_alive(id, host, u32::try_from(*pid).unwrap_or(0));
            alive.entry(id.clone()).and_modify(|a| *a |= live).or_insert(live);
        }
        session.sweep(&sessions.iter().map(|s| s.0.clone()).collect());
        Ok(self
            .drafts_where("os_user = ?1", user)?
            .into_iter()
            .filter(|d| alive.get(&d.session) == Some(&false))
            .collect())
    }

    /// Takes an ended session's draft over for `session`, so that no other terminal offers it
    /// too. False when another terminal took it first (or it is gone).
    pub fn claim_draft(&mut self, session: &Session, draft: &Draft) -> Result<bool> {
        self.write(|tx| {
            tx.execute(
                "DELETE FROM drafts WHERE session = ?1 AND form = ?2 AND id <> ?3",
                params![session.id, draft.form, draft.id],
            )?;
            let n = tx.execute(
                "UPDATE drafts SET session = ?1, host = ?2, pid = ?3 WHERE id = ?4 AND session = ?5",
                params![session.id, session.host, session.pid, draft.id, draft.session],
            )?;
            Ok(n == 1)
        })
    }
}
