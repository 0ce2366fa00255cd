//! The store's errors: why a file could not be opened, what went wrong once it was, and the language they speak.

use super::SCHEMA_VERSION;
use std::fmt;
use std::path::PathBuf;

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

pub(super) fn message_lang() -> crate::domain::Lang {
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
