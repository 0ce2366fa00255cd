//! The one place that talks SQL. Opening, refusals, migrations, and one module per entity.
//!
//! Every write goes through [`Store::write`], which runs inside `BEGIN IMMEDIATE` and appends
//! an audit row to the hash chain in the same transaction.

pub mod appointments;
pub mod audit;
pub mod bulk;
pub mod callbacks;
pub mod card;
pub mod catalog;
pub mod complaints;
pub mod consultations;
pub mod csv_io;
pub mod drafts;
pub mod huddle;
pub mod inquiries;
pub mod maintenance;
pub mod messages;
pub mod metrics;
pub mod names;
pub mod notes;
pub mod okr;
pub mod packages;
pub mod patients;
pub mod payments;
pub mod reports;
pub mod settings;
pub mod stickers;
pub mod tags;

use std::fmt;
use std::fs::{self, OpenOptions};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

pub use audit::Actor;

/// `application_id` stamped in the SQLite header: "FDK1".
pub const APPLICATION_ID: i32 = 0x4644_4B31;

/// The migrations, in order. Migration `i` takes the file to `user_version = i + 1`.
const MIGRATIONS: &[&str] = &[
    include_str!("schema_v1.sql"),
    include_str!("schema_v2_messages.sql"),
    include_str!("schema_v3_payments.sql"),
    include_str!("schema_v4_calendar.sql"),
    include_str!("schema_v5_money.sql"),
    include_str!("schema_v6_booking.sql"),
];

/// A short fingerprint of the schema this build creates (FNV-1a of the migrations' text:
/// stable across builds and platforms, unlike the std hasher). While the schema is
/// unreleased and edited in place, it tells a demo file made by another build from one made
/// by this one, and names the benchmarks' cached demo files.
pub fn schema_fingerprint() -> String {
    let hash = MIGRATIONS
        .iter()
        .flat_map(|m| m.bytes())
        .fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x100_0000_01b3));
    format!("{:08x}", hash as u32)
}

/// The schema version this build writes.
pub const SCHEMA_VERSION: i32 = MIGRATIONS.len() as i32;

/// How long a write waits for another process's write lock before giving up with
/// [`StoreError::Busy`]. Commands use this; the app shortens it (it retries on its own tick,
/// saying so, instead of freezing) and imports lengthen it (they may queue behind each other).
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The language of the store's own messages (busy, disk full), set once by the app.
static MESSAGE_LANG: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(1);

/// True once the app has set the message language: [`StoreError::Busy`] then speaks of the
/// form being kept and saved by itself (the app retries); a command says what it did instead.
static IN_APP: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Sets the language of [`StoreError`] messages that reach the person at the desk.
pub fn set_message_lang(lang: crate::domain::Lang) {
    let v = if lang == crate::domain::Lang::Ko { 0 } else { 1 };
    MESSAGE_LANG.store(v, std::sync::atomic::Ordering::Relaxed);
    IN_APP.store(true, std::sync::atomic::Ordering::Relaxed);
}

fn message_lang() -> crate::domain::Lang {
    if MESSAGE_LANG.load(std::sync::atomic::Ordering::Relaxed) == 0 {
        crate::domain::Lang::Ko
    } else {
        crate::domain::Lang::En
    }
}

/// Why a file could not be opened. Each names the file; the app prints it on one line.
#[derive(Debug)]
pub enum OpenError {
    MissingFolder(PathBuf),
    Unwritable(PathBuf, String),
    NotSqlite(PathBuf),
    /// A FIFO, a device or a socket: never opened, never written.
    NotAFile(PathBuf, &'static str),
    /// A 0-byte file: not a database frontdesk made (it never leaves one).
    EmptyFile(PathBuf),
    ForeignApplication(PathBuf, i32),
    NewerVersion(PathBuf, i32),
    Unreadable(PathBuf, String),
    Sqlite(PathBuf, rusqlite::Error),
}

impl fmt::Display for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpenError::MissingFolder(p) => write!(
                f,
                "{}: the folder {} does not exist; create it first or pass another --db",
                p.display(),
                p.parent().map(|d| d.display().to_string()).unwrap_or_default()
            ),
            OpenError::Unwritable(p, why) => {
                write!(f, "{}: cannot create the database here ({why})", p.display())
            }
            OpenError::NotSqlite(p) => {
                write!(f, "{}: not a frontdesk database (not an SQLite file); left untouched", p.display())
            }
            OpenError::NotAFile(p, kind) => {
                write!(
                    f,
                    "{}: {kind}, not a database file; left untouched. Pass --db with a file",
                    p.display()
                )
            }
            OpenError::EmptyFile(p) => write!(
                f,
                "{}: an empty file (0 bytes), not a frontdesk database; left untouched. Remove it or pass another --db",
                p.display()
            ),
            OpenError::ForeignApplication(p, id) => write!(
                f,
                "{}: an SQLite file of another application (application_id {id:#x}), not a frontdesk database; left untouched",
                p.display()
            ),
            OpenError::NewerVersion(p, v) => write!(
                f,
                "{}: made by a newer frontdesk (schema {v}, this build knows {SCHEMA_VERSION}); upgrade frontdesk. Left untouched",
                p.display()
            ),
            OpenError::Unreadable(p, why) => write!(f, "{}: cannot read ({why})", p.display()),
            OpenError::Sqlite(p, e) => write!(f, "{}: {e}", p.display()),
        }
    }
}

impl std::error::Error for OpenError {}

/// Errors from reads and writes once the file is open.
#[derive(Debug)]
pub enum StoreError {
    /// Rejected input, with a message meant for the person at the desk.
    Invalid(String),
    NotFound(String),
    ReadOnly,
    /// Another process held the write lock for longer than the busy timeout.
    Busy,
    /// The disk (or the file's size limit) is full; nothing of the write was kept.
    Full,
    Sqlite(rusqlite::Error),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Invalid(m) => f.write_str(m),
            StoreError::NotFound(m) => write!(f, "not found: {m}"),
            StoreError::ReadOnly => f.write_str("the database is open read-only"),
            StoreError::Busy if IN_APP.load(std::sync::atomic::Ordering::Relaxed) => {
                f.write_str(message_lang().pick(
                    "다른 단말기가 저장하는 중입니다 (데이터베이스 쓰기 잠금) - 끝나면 저절로 저장합니다 (입력한 내용은 그대로 있습니다)",
                    "another terminal holds the database for writing - this is saved by itself when it is done (what you typed is kept)",
                ))
            }
            StoreError::Busy => f.write_str(
                "another terminal or process held the database for writing too long; nothing was written - run the command again",
            ),
            StoreError::Full => f.write_str(message_lang().pick(
                "디스크가 가득 찼습니다 - 저장하지 못했습니다. 공간을 비운 뒤 다시 저장하세요 (입력한 내용은 그대로 있습니다)",
                "the disk is full - nothing was saved; free some space and save again (what you typed is kept)",
            )),
            StoreError::Sqlite(e) => write!(f, "database error: {e}"),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy) | Some(rusqlite::ErrorCode::DatabaseLocked) => {
                StoreError::Busy
            }
            Some(rusqlite::ErrorCode::ReadOnly) => StoreError::ReadOnly,
            Some(rusqlite::ErrorCode::DiskFull) => StoreError::Full,
            _ => StoreError::Sqlite(e),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    ReadWrite,
    /// Opened with `SQLITE_OPEN_READ_ONLY`: the presentation screen cannot write even by mistake.
    ReadOnly,
}

/// Where the store reads the time it stamps on what it writes (audit rows, `booked_at`,
/// contacts) and the day it seeds a new database's OKR period from. Tests and screenshots pass
/// a fixed moment, so nothing they check depends on the wall clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Clock {
    #[default]
    Wall,
    Fixed(chrono::NaiveDateTime),
}

impl Clock {
    pub fn now(self) -> chrono::NaiveDateTime {
        match self {
            Clock::Wall => chrono::Local::now().naive_local(),
            Clock::Fixed(t) => t,
        }
    }

    /// `FRONTDESK_NOW` (`YYYY-MM-DDTHH:MM[:SS]` or `YYYY-MM-DD`), when set: the moment the
    /// whole process treats as now. Tests of the built binary use it so that they pass on any
    /// day; everyone else leaves it unset and follows the wall clock.
    pub fn from_env() -> Result<Clock, String> {
        match std::env::var("FRONTDESK_NOW") {
            Ok(v) if !v.trim().is_empty() => parse_moment(v.trim())
                .map(Clock::Fixed)
                .ok_or_else(|| format!("FRONTDESK_NOW='{v}' is not a moment (use YYYY-MM-DDTHH:MM)")),
            _ => Ok(Clock::Wall),
        }
    }
}

fn parse_moment(s: &str) -> Option<chrono::NaiveDateTime> {
    use chrono::NaiveDateTime;
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M"))
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M"))
        .ok()
        .or_else(|| {
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(9, 0, 0))
        })
}

/// An open frontdesk database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    access: Access,
    /// Asked for read-write, opened read-only: the file is not writable by this user.
    unwritable: bool,
    actor: Actor,
    clock: Clock,
    /// The secret the audit chain and the seal are keyed with (`<db>.key`); `None` only on a
    /// read-only store whose key file is missing (see [`audit::load_key`]).
    audit_key: Option<audit::Key>,
    /// The OKR board shared by the OKR tab and the huddle (see [`okr::shared_board`]).
    okr_board_cache: okr::BoardCache,
    /// Set by [`Store::wait_for_writers`]: writes then wait for as long as another process
    /// holds the write lock, calling this once per write after the first busy timeout.
    wait_notice: Option<Box<dyn Fn()>>,
    /// How many writes gave up with [`StoreError::Busy`] (the app queues what met the lock).
    busy_count: std::cell::Cell<u64>,
    /// Writes wait for the person at this terminal to be picked (see [`Store::ask_for_staff`]).
    staff_gate: StaffGate,
}

/// Whether writes are refused until a staff member is picked, and how many were.
#[derive(Debug, Default)]
struct StaffGate {
    on: bool,
    refused: std::cell::Cell<u64>,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store").field("path", &self.path).field("access", &self.access).finish()
    }
}

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
        if access == Access::ReadWrite {
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
            store.migrate().map_err(|e| match e {
                StoreError::Sqlite(e) => OpenError::Sqlite(path.clone(), e),
                other => OpenError::Unreadable(path.clone(), other.to_string()),
            })?;
            // An outside change (or a missing key) is recorded, never sealed over silently.
            audit::review_on_open(&mut store, new_key).map_err(|e| match e {
                StoreError::Sqlite(e) => OpenError::Sqlite(path.clone(), e),
                other => OpenError::Unreadable(path.clone(), other.to_string()),
            })?;
            Ok(store)
        } else {
            let version: i32 = conn
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
            Ok(Store {
                conn,
                path,
                access,
                unwritable,
                actor,
                clock,
                audit_key,
                okr_board_cache: Default::default(),
                wait_notice: None,
                busy_count: Default::default(),
                staff_gate: Default::default(),
            })
        }
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

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn access(&self) -> Access {
        self.access
    }

    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    pub fn clock(&self) -> Clock {
        self.clock
    }

    /// The key of this database's audit chain and seal; `None` when its file is missing (only
    /// a read-only store: a read-write one makes a new key, recorded in the log).
    pub fn audit_key(&self) -> Option<&audit::Key> {
        self.audit_key.as_ref()
    }

    /// Sets the clock later writes are stamped by (the app passes its own fixed clock on).
    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    /// Now, by this store's clock.
    pub fn now(&self) -> chrono::NaiveDateTime {
        self.clock.now()
    }

    /// The connection, for the store's own modules, commands, tools and tests. The app reads
    /// through `&impl Db` (pass the store itself) and writes through `desk`.
    /// Queries run on actions, never while drawing.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Drops the OKR board kept for the OKR tab and the huddle, as a change to the data would:
    /// the benchmarks measure a tab's load after a change at the desk.
    pub fn forget_cached_board(&self) {
        self.okr_board_cache.clear();
    }

    pub(crate) fn okr_board_cache(&self) -> &okr::BoardCache {
        &self.okr_board_cache
    }

    /// Runs `f` inside `BEGIN IMMEDIATE`; commits when it returns `Ok`.
    ///
    /// `f` records what it did with [`Tx::audit`]; the audit rows land in the same transaction.
    pub fn write<T>(&mut self, f: impl FnOnce(&mut Tx<'_>) -> Result<T>) -> Result<T> {
        if self.access == Access::ReadOnly {
            return Err(StoreError::ReadOnly);
        }
        if self.staff_gate.on && self.actor.staff.is_empty() {
            self.staff_gate.refused.set(self.staff_gate.refused.get() + 1);
            return Err(StoreError::Invalid(
                message_lang()
                    .pick(
                        "먼저 이 단말기를 쓰는 직원을 고르세요 (F2) - 입력한 내용은 그대로 있습니다",
                        "Pick who is at this terminal first (F2) - what you typed is kept",
                    )
                    .into(),
            ));
        }
        let now = self.clock.now();
        let key = self.audit_key.as_ref().ok_or_else(audit_key_missing)?;
        let tx = self.begin_immediate()?;
        let mut w = Tx { tx, actor: &self.actor, key, now };
        let out = f(&mut w)?;
        audit::seal(&w.tx, key)?;
        w.tx.commit()?;
        Ok(out)
    }

    /// `BEGIN IMMEDIATE`, waiting for another process's write lock: up to the busy timeout,
    /// or for as long as it is held after [`Store::wait_for_writers`].
    /// (`&self`: a `Store` runs one transaction at a time, as every write takes `&mut self`.)
    pub(crate) fn begin_immediate(&self) -> Result<Transaction<'_>> {
        let mut announced = false;
        loop {
            match Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate) {
                Ok(tx) => return Ok(tx),
                Err(e) => match StoreError::from(e) {
                    StoreError::Busy if self.wait_notice.is_some() => {
                        if !announced {
                            announced = true;
                            if let Some(notice) = &self.wait_notice {
                                notice();
                            }
                        }
                    }
                    StoreError::Busy => {
                        self.busy_count.set(self.busy_count.get() + 1);
                        return Err(StoreError::Busy);
                    }
                    other => return Err(other),
                },
            }
        }
    }

    /// Makes every later write wait for as long as another process holds the write lock
    /// instead of failing with [`StoreError::Busy`]; `notice` runs once per write that has
    /// waited one busy timeout (commands print that they are waiting, and for what).
    pub fn wait_for_writers(&mut self, notice: impl Fn() + 'static) {
        self.wait_notice = Some(Box::new(notice));
    }

    /// Undoes [`Store::wait_for_writers`]: writes give up with [`StoreError::Busy`] after the
    /// busy timeout (the app, which must never freeze, retries on its own tick).
    pub fn give_up_when_busy(&mut self) {
        self.wait_notice = None;
    }

    /// The staff member stamped on the audit rows of later writes (picked at the terminal).
    pub fn set_staff(&mut self, name: &str) {
        self.actor.staff = name.trim().to_string();
    }

    /// While on and no staff member is named, writes are refused (counted by
    /// [`Store::staff_refusals`]) so the app can ask who is at the terminal first.
    pub fn ask_for_staff(&mut self, on: bool) {
        self.staff_gate.on = on;
    }

    pub fn asks_for_staff(&self) -> bool {
        self.staff_gate.on
    }

    /// Runs `f` with the staff question off: writes nobody asked for (drafts, today's
    /// automatic callbacks, the first-run setup).
    pub fn without_staff_gate<T>(&mut self, f: impl FnOnce(&mut Store) -> T) -> T {
        let on = std::mem::take(&mut self.staff_gate.on);
        let out = f(self);
        self.staff_gate.on = on;
        out
    }

    /// How many writes were refused because nobody was picked at this terminal.
    pub fn staff_refusals(&self) -> u64 {
        self.staff_gate.refused.get()
    }

    /// How many writes so far gave up because another process held the write lock.
    pub fn busy_count(&self) -> u64 {
        self.busy_count.get()
    }

    /// How long writes wait for another process's write lock (see [`BUSY_TIMEOUT`]).
    pub fn set_busy_timeout(&self, wait: Duration) -> Result<()> {
        Ok(self.conn.busy_timeout(wait)?)
    }

    /// Rows changed by this connection since it opened: the app compares it before and after
    /// an action to know whether its own writes changed the data.
    pub fn total_changes(&self) -> u64 {
        self.conn.total_changes()
    }

    /// `PRAGMA data_version`: changes when another connection commits.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self.conn.pragma_query_value(None, "data_version", |r| r.get(0))?)
    }

    pub fn schema_version(&self) -> Result<i32> {
        Ok(self.conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// A setting's value, if set.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    /// True when the database holds no patients: the app offers its first-run setup.
    pub fn is_empty(&self) -> Result<bool> {
        let n: i64 =
            self.conn.query_row("SELECT count(*) FROM (SELECT 1 FROM patients LIMIT 1)", [], |r| r.get(0))?;
        Ok(n == 0)
    }
}

/// What a read runs on: the [`Store`] (the app and commands), a write transaction [`Tx`], or
/// a bare connection inside the store. Reads take `&impl Db`, so callers outside the store
/// never hold a `rusqlite` connection.
pub trait Db {
    fn db(&self) -> &Connection;
}

impl Db for Connection {
    fn db(&self) -> &Connection {
        self
    }
}

impl Db for Transaction<'_> {
    fn db(&self) -> &Connection {
        self
    }
}

impl Db for Store {
    fn db(&self) -> &Connection {
        &self.conn
    }
}

impl Db for Tx<'_> {
    fn db(&self) -> &Connection {
        &self.tx
    }
}

/// A write transaction with its actor. Deref gives the rusqlite transaction.
pub struct Tx<'a> {
    tx: Transaction<'a>,
    actor: &'a Actor,
    key: &'a audit::Key,
    /// The moment this transaction stamps on what it writes (one moment for all of it).
    now: chrono::NaiveDateTime,
}

impl Tx<'_> {
    /// Appends an audit row (who, when, what, which patient) in this transaction.
    pub fn audit(&self, entry: &audit::Entry) -> Result<()> {
        audit::append(&self.tx, self.key, self.actor, &self.now_text(), entry)
    }

    /// The moment this transaction stamps on what it writes.
    pub fn now(&self) -> chrono::NaiveDateTime {
        self.now
    }

    /// [`Tx::now`] as stored ISO text.
    pub fn now_text(&self) -> String {
        time_text(self.now)
    }

    pub fn actor(&self) -> &Actor {
        self.actor
    }
}

impl std::ops::Deref for Tx<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.tx
    }
}

/// A write without the audit key (cannot happen on a read-write store, which makes one).
fn audit_key_missing() -> StoreError {
    StoreError::Invalid("the audit key is missing; writes are refused".into())
}

/// A moment as stored ISO text.
pub fn time_text(t: chrono::NaiveDateTime) -> String {
    t.format(crate::domain::TIME_FORMAT).to_string()
}
