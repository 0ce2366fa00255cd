//! Opening a database file: the refusals, creating it all at once, read-only fallback, and the migrations.

use super::errors::{OpenError, Result, StoreError};
use super::{
    APPLICATION_ID, Access, Actor, BUSY_TIMEOUT, Clock, MIGRATIONS, SCHEMA_VERSION, Store, audit_key_missing,
    time_text,
};
use super::{audit, catalog, messages};
use rusqlite::Connection;
use rusqlite::OpenFlags;
use rusqlite::TransactionBehavior;
use std::fs;
use std::fs::OpenOptions;
use std::io::Read;
use std::path::Path;
use std::path::PathBuf;

/// What the first 100 bytes of a file say about it.
enum Header {
    Empty,
    NotSqlite,
    Sqlite { application_id: i32 },
}

fn read_header(path: &Path) -> std::io::Result<Header> {
    let mut file = fs::File::open(path)?;
    let mut buf = [0u8; 100];
    let mut filled = 0;
    while filled < buf.len() {
        let n = file.read(&mut buf[filled..])?;
        if n == 0 {
            break;
        }
        filled += n;
    }
    if filled == 0 {
        return Ok(Header::Empty);
    }
    if filled < 100 || &buf[..16] != b"SQLite format 3\0" {
        return Ok(Header::NotSqlite);
    }
    let application_id = i32::from_be_bytes([buf[68], buf[69], buf[70], buf[71]]);
    Ok(Header::Sqlite { application_id })
}

/// Creates the file with owner-only permissions before SQLite touches it.
fn create_private_file(path: &Path) -> std::io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(_) => Ok(()),
        // Another process created it first; that is fine.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// A read-write connection to an existing file, or `None` when this user cannot write it.
///
/// The test is the real one, not the permission bits (root writes a 0400 file; a read-only
/// mount refuses even root): SQLite opens the file `O_RDWR` and, when the system refuses,
/// falls back to `O_RDONLY` and marks the connection read-only; a folder where the WAL cannot
/// be created fails the first read with `SQLITE_CANTOPEN` or `SQLITE_READONLY`.
fn open_writable(path: &Path) -> Option<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .ok()?;
    if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(true) {
        return None;
    }
    conn.busy_timeout(BUSY_TIMEOUT).ok()?;
    match conn.pragma_query_value(None, "user_version", |r| r.get::<_, i32>(0)) {
        Ok(_) => Some(conn),
        Err(e)
            if matches!(
                e.sqlite_error_code(),
                Some(rusqlite::ErrorCode::CannotOpen)
                    | Some(rusqlite::ErrorCode::ReadOnly)
                    | Some(rusqlite::ErrorCode::PermissionDenied)
            ) =>
        {
            None
        }
        // Anything else (busy, corrupt) is reported by the open that follows.
        Err(_) => Some(conn),
    }
}

/// The error of a file's first read, in words the desk can act on.
fn read_error(path: &Path, e: rusqlite::Error) -> OpenError {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => OpenError::NotSqlite(path.to_path_buf()),
        // A WAL database needs its `-shm` file beside it even to be read.
        Some(rusqlite::ErrorCode::ReadOnly) | Some(rusqlite::ErrorCode::CannotOpen) => OpenError::Unreadable(
            path.to_path_buf(),
            "this user cannot write its folder, where SQLite must create the database's -shm file \
             even to read it; ask for write access to the folder"
                .into(),
        ),
        _ => OpenError::Sqlite(path.to_path_buf(), e),
    }
}

/// What kind of thing a path is that is not a regular file, for the refusal message.
fn file_kind(m: &fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = m.file_type();
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
    let _ = m;
    "not a regular file"
}

/// Makes a new database at `path`, which does not exist yet, all at once: built and migrated
/// under a temporary name in the same folder, then linked into place. Nobody ever sees a
/// half-made (or 0-byte) database, and when another process creates the same file at the
/// same moment, its file is kept and ours is dropped.
fn create_database(path: &Path, actor: &Actor, clock: Clock) -> Result<(), OpenError> {
    static SEQ: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let seq = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = path.with_file_name(format!(".{name}.creating-{}-{seq}", std::process::id()));
    let remove_tmp = || {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut p = tmp.clone().into_os_string();
            p.push(suffix);
            let _ = fs::remove_file(PathBuf::from(p));
        }
    };
    create_private_file(&tmp).map_err(|e| OpenError::Unwritable(path.to_path_buf(), e.to_string()))?;
    // The key first, under the database's final name: a process that races us to create the
    // same database links the same key.
    let key = match audit::load_or_create_key(path) {
        Ok(key) => key,
        Err(why) => {
            remove_tmp();
            return Err(OpenError::Unwritable(path.to_path_buf(), why));
        }
    };
    let made = (|| -> Result<()> {
        let conn = Connection::open_with_flags(
            &tmp,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        configure(&conn)?;
        // Stamp the header while still in rollback mode, so it lands in the main file at
        // once; then switch to WAL, which the file remembers from now on.
        conn.pragma_update(None, "application_id", APPLICATION_ID)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        let mut store = Store {
            conn,
            path: tmp.clone(),
            access: Access::ReadWrite,
            unwritable: false,
            actor: actor.clone(),
            clock,
            audit_key: Some(key),
            okr_board_cache: Default::default(),
            wait_notice: None,
            busy_count: Default::default(),
            staff_gate: Default::default(),
        };
        store.migrate()?;
        // Closing the last connection checkpoints the WAL into the file and removes it.
        store.conn.close().map_err(|(_, e)| StoreError::from(e))?;
        Ok(())
    })();
    if let Err(e) = made {
        remove_tmp();
        return Err(match e {
            StoreError::Sqlite(e) => OpenError::Sqlite(path.to_path_buf(), e),
            other => OpenError::Unwritable(path.to_path_buf(), other.to_string()),
        });
    }
    let placed = match fs::hard_link(&tmp, path) {
        Ok(()) => Ok(()),
        // Another process made it first: use theirs.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        // A filesystem without hard links: rename, unless the name was taken meanwhile.
        Err(_) if fs::symlink_metadata(path).is_err() => fs::rename(&tmp, path),
        Err(_) => Ok(()),
    };
    remove_tmp();
    placed.map_err(|e| OpenError::Unwritable(path.to_path_buf(), e.to_string()))
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    // Statement journals (every write that fires triggers keeps one) in memory, not in a temp
    // file: an import holding the lock spent a third of its time writing them out.
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    Ok(())
}

impl Store {
    /// Opens (and creates, when missing) the database at `path`.
    ///
    /// Refuses, without changing a byte, a file that is not SQLite, another application's
    /// SQLite file, and a frontdesk file from a newer schema; and, before opening anything, a
    /// 0-byte file, a FIFO, a device or a socket. A file asked for read-write that this user
    /// cannot write opens read-only ([`Store::opened_read_only_because_unwritable`]).
    pub fn open(path: &Path, access: Access, actor: Actor) -> Result<Store, OpenError> {
        Store::open_with_clock(path, access, actor, Clock::Wall)
    }

    /// [`Store::open`] with the clock its writes are stamped by.
    pub fn open_with_clock(
        path: &Path,
        access: Access,
        actor: Actor,
        clock: Clock,
    ) -> Result<Store, OpenError> {
        let path = path.to_path_buf();
        // Look before opening anything: `metadata` never opens the file, so a FIFO cannot
        // hang us and a device is never read or written.
        match fs::metadata(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let parent = match path.parent() {
                    Some(p) if p.as_os_str().is_empty() => Path::new("."),
                    Some(p) => p,
                    None => Path::new("."),
                };
                if !parent.is_dir() {
                    return Err(OpenError::MissingFolder(path));
                }
                if access == Access::ReadOnly {
                    return Err(OpenError::Unreadable(path, "no such file".into()));
                }
                create_database(&path, &actor, clock)?;
            }
            Err(e) => return Err(OpenError::Unreadable(path, e.to_string())),
            Ok(m) if m.is_dir() => return Err(OpenError::Unreadable(path, "it is a folder".into())),
            Ok(m) if !m.is_file() => return Err(OpenError::NotAFile(path, file_kind(&m))),
            Ok(m) if m.len() == 0 => return Err(OpenError::EmptyFile(path)),
            Ok(_) => {}
        }

        let header = read_header(&path).map_err(|e| OpenError::Unreadable(path.clone(), e.to_string()))?;
        match header {
            Header::Empty => return Err(OpenError::EmptyFile(path)),
            Header::NotSqlite => return Err(OpenError::NotSqlite(path)),
            Header::Sqlite { application_id } if application_id != APPLICATION_ID => {
                return Err(OpenError::ForeignApplication(path, application_id));
            }
            _ => {}
        }

        // Check the version read-only first, so a newer file is not touched at all.
        {
            let probe = Connection::open_with_flags(
                &path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map_err(|e| OpenError::Sqlite(path.clone(), e))?;
            probe.busy_timeout(BUSY_TIMEOUT).map_err(|e| OpenError::Sqlite(path.clone(), e))?;
            let version: i32 = probe
                .pragma_query_value(None, "user_version", |r| r.get(0))
                .map_err(|e| read_error(&path, e))?;
            if version > SCHEMA_VERSION {
                return Err(OpenError::NewerVersion(path, version));
            }
        }

        let mut access = access;
        let mut unwritable = false;
        let conn = match access {
            Access::ReadWrite => match open_writable(&path) {
                Some(conn) => conn,
                None => {
                    // The file (or its folder, where the WAL lives) cannot be written by this
                    // user: open it read-only, and say so, rather than fail at the first save.
                    access = Access::ReadOnly;
                    unwritable = true;
                    Connection::open_with_flags(
                        &path,
                        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                    )
                    .map_err(|e| OpenError::Sqlite(path.clone(), e))?
                }
            },
            Access::ReadOnly => Connection::open_with_flags(
                &path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map_err(|e| OpenError::Sqlite(path.clone(), e))?,
        };
        configure(&conn).map_err(|e| OpenError::Sqlite(path.clone(), e))?;

        // The audit key beside the file. A read-write store whose key is missing makes a new one
        // and records that (see `audit::review_on_open`); a read-only one goes without.
        let mut audit_key = match audit::load_key(&path) {
            Ok(key) => key,
            // Read-only, a key this user cannot read only means the log cannot be verified.
            Err(_) if access == Access::ReadOnly => None,
            Err(why) => return Err(OpenError::Unreadable(path.clone(), why)),
        };
        let missing = access == Access::ReadWrite && audit_key.is_none();
        // Only a log with rows has anything the missing key could have verified.
        let new_key = missing && audit::has_rows(&conn);
        if missing {
            audit_key = Some(
                audit::load_or_create_key(&path).map_err(|why| OpenError::Unwritable(path.clone(), why))?,
            );
        }
        let mut store = Store {
            conn,
            path: path.clone(),
            access,
            unwritable,
            actor,
            clock,
            audit_key,
            okr_board_cache: Default::default(),
            wait_notice: None,
            busy_count: Default::default(),
            staff_gate: Default::default(),
        };
        if access == Access::ReadWrite {
            let failed = |e: StoreError| match e {
                StoreError::Sqlite(e) => OpenError::Sqlite(path.clone(), e),
                other => OpenError::Unreadable(path.clone(), other.to_string()),
            };
            store.migrate().map_err(failed)?;
            // An outside change (or a missing key) is recorded, never sealed over silently.
            audit::review_on_open(&mut store, new_key).map_err(failed)?;
        } else {
            let version: i32 = store
                .conn
                .pragma_query_value(None, "user_version", |r| r.get(0))
                .map_err(|e| read_error(&path, e))?;
            if version != SCHEMA_VERSION {
                let why = if unwritable {
                    format!("schema {version} needs upgrading, and this user cannot write the file")
                } else {
                    format!("schema {version} needs upgrading; open it once without --read-only")
                };
                return Err(OpenError::Unreadable(path, why));
            }
        }
        Ok(store)
    }

    /// True when the store was asked for read-write but opened read-only because this user
    /// cannot write the file or its folder (see [`Store::open`]).
    pub fn opened_read_only_because_unwritable(&self) -> bool {
        self.unwritable
    }

    /// Applies the migrations this file has not seen, exactly once even when several
    /// processes start together: the version is read again inside the write lock. A file
    /// already at this build's version is not locked at all, so opening never waits for
    /// another terminal's write.
    fn migrate(&mut self) -> Result<()> {
        let current: i32 = self.conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if current == SCHEMA_VERSION {
            return Ok(());
        }
        let now = self.clock.now();
        let key = self.audit_key.as_ref().ok_or_else(audit_key_missing)?;
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let version: i32 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::Invalid(format!("schema {version} is newer than this build")));
        }
        if version == SCHEMA_VERSION {
            return Ok(());
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            tx.execute_batch(sql)?;
            audit::install_change_triggers(&tx)?;
            if i == 1 {
                messages::seed_templates(&tx)?;
            }
        }
        // A new file's defaults (catalog, OKR template) are written by this build's code, so
        // into this build's schema: after every migration (the template's filters, version 5).
        if version == 0 {
            catalog::seed_defaults(&tx, now.date())?;
        }
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        audit::append(
            &tx,
            key,
            &self.actor,
            &time_text(now),
            &audit::Entry::new("migrate", "schema").detail(format!("{version} -> {SCHEMA_VERSION}")),
        )?;
        audit::seal(&tx, key)?;
        tx.commit()?;
        Ok(())
    }
}

/// The demo date a file records (`settings.demo_date`), read whatever the file's schema
/// version, so that a demo made by an earlier version is still known as one (and may be
/// replaced) without migrating it first. `None`: the file holds no demo (a clinic, or another
/// SQLite file). A file that is not SQLite, or cannot be read, is the open's error.
pub fn demo_date_of(path: &Path) -> Result<Option<String>, OpenError> {
    use rusqlite::OptionalExtension;
    match Store::open(path, Access::ReadOnly, Actor::named("demo")) {
        Ok(store) => return Ok(store.setting("demo_date").ok().flatten()),
        // Past the checks of the file's kind, header and application (a FIFO, an empty or a
        // foreign file keep their own refusals): an earlier schema a read-only open cannot
        // upgrade. Read its mark as it is.
        Err(OpenError::Unreadable(..)) => {}
        Err(e) => return Err(e),
    }
    let conn =
        Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .map_err(|e| read_error(path, e))?;
    let _ = conn.busy_timeout(BUSY_TIMEOUT);
    let has_settings: bool = conn
        .query_row(
            "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'settings'",
            [],
            |r| r.get(0),
        )
        .map_err(|e| read_error(path, e))?;
    if !has_settings {
        return Ok(None);
    }
    conn.query_row("SELECT value FROM settings WHERE key = 'demo_date'", [], |r| r.get(0))
        .optional()
        .map_err(|e| read_error(path, e))
}
