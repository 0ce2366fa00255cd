//! The import as a whole: prepare without the lock, then write in one transaction.

use super::insert::insert_ready;
use super::read::{Table, read_rows, rows_of_table};
use super::ready::{Ready, prepare_rows};
use super::{InFile, Row};
use crate::domain::import::CsvKind;
use crate::store::Result;
use crate::store::Store;
use crate::store::StoreError;
use crate::store::Tx;
use crate::store::audit::Entry;
use chrono::NaiveDateTime;

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Imported {
    /// Rows written.
    pub written: usize,
    /// Rows skipped because the database already holds them ([`already_in_database`]).
    pub skipped: usize,
}

/// A CSV file read and every row checked against the database, before any lock is taken.
pub struct PreparedImport {
    kind: CsvKind,
    file: String,
    rows: Vec<Row>,
    ready: Vec<Ready>,
    /// Rows left out because the database already holds them ([`already_in_database`]).
    skipped: usize,
    /// `PRAGMA data_version` before the rows were checked: when another connection commits
    /// before the write, the rows are checked again inside the lock.
    data_version: i64,
}

impl PreparedImport {
    /// How many rows the import writes.
    pub fn len(&self) -> usize {
        self.ready.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ready.is_empty()
    }
}

/// Reads the CSV text (already decoded) and checks every row against the database, without
/// the write lock: other terminals go on saving meanwhile.
pub fn prepare(store: &Store, kind: CsvKind, file: &str, text: &str) -> Result<PreparedImport> {
    prepare_from(store, kind, file, read_rows(kind, file, text)?)
}

fn prepare_from(store: &Store, kind: CsvKind, file: &str, rows: Vec<Row>) -> Result<PreparedImport> {
    // Any commit by another connection from here on changes `data_version`, and the rows
    // are then checked again inside the lock (see `write_rows`).
    let data_version = store.data_version()?;
    let (ready, skipped) = prepare_rows(store.conn(), kind, file, &rows, store.now().date())?;
    Ok(PreparedImport { kind, file: file.to_string(), rows, ready, skipped, data_version })
}

/// Writes a prepared import in one transaction: the write lock is held only to insert
/// (unless another terminal wrote since [`prepare`], when the rows are checked again first).
pub fn write_prepared(store: &mut Store, prepared: PreparedImport, now: NaiveDateTime) -> Result<Imported> {
    let settings = import_cache(store)?;
    let result = store.write(|tx| write_rows(tx, prepared, now));
    crate::store::bulk::end_bulk_settings(store.conn(), settings)?;
    result
}

/// A large page cache while an import writes: the patients' indexes take random keys (name,
/// phone), and with the default 2 MB cache their pages would be written out to the WAL again
/// and again inside the lock. Per connection, put back afterwards.
fn import_cache(store: &Store) -> Result<crate::store::bulk::BulkSettings> {
    crate::store::bulk::begin_bulk_settings(store.conn(), 256 * 1024)
}

fn write_rows(tx: &Tx<'_>, prepared: PreparedImport, now: NaiveDateTime) -> Result<Imported> {
    let PreparedImport { kind, file, rows, mut ready, mut skipped, data_version } = prepared;
    let current: i64 = tx.pragma_query_value(None, "data_version", |r| r.get(0))?;
    if current != data_version {
        (ready, skipped) = prepare_rows(tx, kind, &file, &rows, tx.now().date())?;
    }
    // A large import counts its changes for the tamper seal itself: the counting triggers go
    // for the length of the insert and come back before the commit, in this transaction.
    let count_itself = ready.len() >= COUNT_CHANGES_FROM;
    if count_itself {
        crate::store::audit::drop_change_triggers(tx)?;
    }
    let changes_before = tx.total_changes();
    let mut written = InFile::default();
    let total = ready.len() as u64;
    for (i, r) in ready.iter().enumerate() {
        if i.is_multiple_of(1024) {
            crate::store::bulk::report_progress("writing", i as u64, total);
        }
        insert_ready(tx, r, &mut written, now)?;
    }
    let mut detail = format!("{} rows from {file}", ready.len());
    if skipped > 0 {
        detail.push_str(&format!(", {skipped} skipped (already in the database)"));
    }
    tx.audit(&Entry::new("import", kind.code()).detail(detail))?;
    if count_itself {
        crate::store::audit::add_changes(tx, tx.total_changes() - changes_before)?;
        crate::store::audit::install_change_triggers(tx)?;
    }
    Ok(Imported { written: ready.len(), skipped })
}

/// From this many rows an import counts its own changes (see [`write_rows`]).
pub const COUNT_CHANGES_FROM: usize = 1000;

/// Imports CSV text (already decoded); returns the rows written (see [`import_counted`]).
pub fn import(
    store: &mut Store,
    kind: CsvKind,
    file: &str,
    text: &str,
    dry_run: bool,
    now: NaiveDateTime,
) -> Result<usize> {
    import_counted(store, kind, file, text, dry_run, now).map(|d| d.written)
}

/// Imports CSV text (already decoded): every row is checked first, without the write lock,
/// then written in one transaction. Rows the database already holds are skipped and counted.
/// With `dry_run` the rows are also written inside the transaction, which is then rolled
/// back; the counts say what would be written and skipped.
pub fn import_counted(
    store: &mut Store,
    kind: CsvKind,
    file: &str,
    text: &str,
    dry_run: bool,
    now: NaiveDateTime,
) -> Result<Imported> {
    if dry_run && store.access == crate::store::Access::ReadOnly {
        return Err(StoreError::ReadOnly);
    }
    let rows = read_rows(kind, file, text)?;
    import_rows(store, kind, file, rows, dry_run, now)
}

/// [`import_counted`] for a sheet (`import KIND FILE.xlsx`): the same checks, errors and
/// skipping, with the rows named by the spreadsheet's row numbers.
pub fn import_table_counted(
    store: &mut Store,
    kind: CsvKind,
    file: &str,
    table: Table,
    dry_run: bool,
    now: NaiveDateTime,
) -> Result<Imported> {
    if dry_run && store.access == crate::store::Access::ReadOnly {
        return Err(StoreError::ReadOnly);
    }
    let rows = rows_of_table(kind, file, &table.header, table.records)?;
    import_rows(store, kind, file, rows, dry_run, now)
}

fn import_rows(
    store: &mut Store,
    kind: CsvKind,
    file: &str,
    rows: Vec<Row>,
    dry_run: bool,
    now: NaiveDateTime,
) -> Result<Imported> {
    let prepared = prepare_from(store, kind, file, rows)?;
    if dry_run {
        let settings = import_cache(store)?;
        let clock_now = store.clock.now();
        let key = store.audit_key.as_ref().ok_or_else(crate::store::audit_key_missing)?;
        let result = store.begin_immediate().and_then(|tx| {
            let w = Tx { tx, actor: &store.actor, key, now: clock_now };
            let n = write_rows(&w, prepared, now)?;
            w.tx.rollback()?;
            Ok(n)
        });
        crate::store::bulk::end_bulk_settings(store.conn(), settings)?;
        return result;
    }
    write_prepared(store, prepared, now)
}
