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
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;
use rusqlite::Transaction;
use rusqlite::TransactionBehavior;

pub use audit::Actor;

mod errors;
pub use errors::*;
mod open;
pub use open::demo_date_of;

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
    include_str!("schema_v7_weights.sql"),
    include_str!("schema_v8_sessions.sql"),
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

impl Store {
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
