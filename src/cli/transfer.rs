//! `frontdesk import KIND FILE.csv [--dry-run]` and `frontdesk export KIND ~`.

use std::path::Path;

use super::{CliResult, Failure, open_store};
use crate::config::Config;
use crate::domain::import::{CsvKind, decode};
use crate::store::csv_io::{self, ExportRange};
use crate::store::{Access, audit};

/// What `frontdesk export` writes: one of the import kinds, or the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    Csv(CsvKind),
    Audit,
}

pub fn parse_export_kind(s: &str) -> Result<ExportKind, String> {
    if s.trim().eq_ignore_ascii_case("audit") {
        return Ok(ExportKind::Audit);
    }
    CsvKind::parse(s).map(ExportKind::Csv).ok_or_else(|| {
        format!(
            "unknown kind '{s}' (accepted: patients, appointments, inquiries, consultations, complaints, payments, packages, audit)"
        )
    })
}

pub fn parse_kind(s: &str) -> Result<CsvKind, String> {
    CsvKind::parse(s).ok_or_else(|| {
        format!("unknown kind '{s}' (accepted: patients, appointments, inquiries, consultations, complaints, payments, packages)")
    })
}

pub fn import(
    db: &Path,
    config: &Config,
    kind: CsvKind,
    file: &Path,
    dry_run: bool,
    sheet: Option<&str>,
) -> CliResult {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| file.display().to_string());
    if let Err(e) = std::fs::metadata(file) {
        return Err(Failure(format!("{}: cannot read ({e})", file.display())));
    }
    let done = if super::xlsx::is_xlsx(file) {
        let table = super::xlsx::read_table(file, &name, kind, sheet)?;
        // Writes wait for other terminals for as long as they hold the lock (see open_store).
        let mut store = open_store(db, Access::ReadWrite, config)?;
        let now = super::now()?;
        // A bad row is a problem found in the data: status 1; a sheet that is not an import
        // sheet at all is an input error: status 2.
        let sheet_ok = csv_io::table_problem(kind, &name, &table).is_none() && !table.records.is_empty();
        let _progress = super::progress::StoreProgress::start(super::progress::IMPORT_BAR_FROM);
        match csv_io::import_table_counted(&mut store, kind, &name, table, dry_run, now) {
            Ok(done) => done,
            Err(e @ crate::store::StoreError::Invalid(_)) if sheet_ok => {
                return Err(Failure::problem(e.to_string()));
            }
            Err(e) => return Err(e.into()),
        }
    } else {
        if sheet.is_some() {
            return Err(Failure(format!("{name}: --sheet is for .xlsx workbooks; a CSV file has one table")));
        }
        let bytes =
            std::fs::read(file).map_err(|e| Failure(format!("{}: cannot read ({e})", file.display())))?;
        let (text, _encoding) = decode(&bytes).map_err(|e| Failure(format!("{name} {e}")))?;
        let mut store = open_store(db, Access::ReadWrite, config)?;
        let now = super::now()?;
        let _progress = super::progress::StoreProgress::start(super::progress::IMPORT_BAR_FROM);
        match csv_io::import_counted(&mut store, kind, &name, &text, dry_run, now) {
            Ok(done) => done,
            // A bad row (line N, column C) is a problem found in the data: status 1; a file
            // that is not an import file at all is an input error: status 2.
            Err(e @ crate::store::StoreError::Invalid(_))
                if csv_io::file_problem(kind, &name, &text).is_none() =>
            {
                return Err(Failure::problem(e.to_string()));
            }
            Err(e) => return Err(e.into()),
        }
    };
    let (n, skipped) = (done.written, done.skipped);
    let kind = kind.code();
    if dry_run {
        say!(
            "{name}: {n} {kind} rows are fine and would be written, {skipped} would be skipped as already in the database (dry run: nothing written)"
        );
    } else {
        say!("{name}: imported {n} {kind} rows, skipped {skipped} already in the database");
    }
    Ok(())
}

/// The CSV bytes Excel opens as UTF-8: a BOM, CRLF line ends, no cell that runs as a formula.
pub fn to_csv_bytes(rows: &[Vec<String>]) -> Result<Vec<u8>, Failure> {
    to_csv_bytes_with(rows, true)
}

/// [`to_csv_bytes`], with or without the BOM (`--no-bom`).
pub fn to_csv_bytes_with(rows: &[Vec<String>], bom: bool) -> Result<Vec<u8>, Failure> {
    let mut out = if bom { super::out_file::BOM.to_vec() } else { Vec::new() };
    {
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(&mut out);
        for r in rows {
            // No formulas from data: a cell that starts like one is written with a `'`.
            w.write_record(r.iter().map(|c| crate::domain::cells::neutralize(c).into_owned()))?;
        }
        w.flush()?;
    }
    Ok(out)
}

fn to_exclusive(d: chrono::NaiveDate) -> String {
    d.succ_opt().unwrap_or(d).format("%Y-%m-%d").to_string()
}

#[allow(clippy::too_many_arguments)] // the command's options, one each
pub fn export(
    db: &Path,
    config: &Config,
    kind: ExportKind,
    from: Option<&str>,
    to: Option<&str>,
    mask: bool,
    no_bom: bool,
    out: Option<super::out_file::Out<'_>>,
) -> CliResult {
    let from = from
        .map(|f| crate::domain::reports::parse_bound(f, false).map_err(|e| Failure(format!("--from: {e}"))))
        .transpose()?;
    let to = to
        .map(|t| crate::domain::reports::parse_bound(t, true).map_err(|e| Failure(format!("--to: {e}"))))
        .transpose()?;
    let range = ExportRange {
        from: from.map(|d| d.format("%Y-%m-%d").to_string()),
        to_exclusive: to.map(to_exclusive),
    };
    let mut store = super::open_existing(db, Access::ReadWrite, config)?;
    let (rows, code) = match kind {
        ExportKind::Csv(kind) => (csv_io::export(&mut store, kind, &range, mask)?, kind.code()),
        ExportKind::Audit => {
            if mask {
                return Err(Failure(
                    "--mask does not apply to the audit log (it holds no names or phone numbers)".into(),
                ));
            }
            (audit::export(&mut store, range.from.as_deref(), range.to_exclusive.as_deref())?, "audit")
        }
    };
    let bytes = match out {
        Some(o) if super::xlsx::is_xlsx(o.path) => super::xlsx::export_workbook(code, &rows)?,
        _ => to_csv_bytes_with(&rows, !no_bom && !super::out_file::to_terminal(out))?,
    };
    super::out_file::emit(out, db, &bytes)?;
    if let Some(out) = out {
        say_err!("{}: {} {code} rows", out.path.display(), rows.len() - 1);
    }
    Ok(())
}

/// `frontdesk template KIND [--out FILE.xlsx]`: an empty import sheet with the clinic's lists.
pub fn template(db: &Path, config: &Config, kind: CsvKind, out: Option<&Path>, force: bool) -> CliResult {
    let default = std::path::PathBuf::from(format!("{}-template.xlsx", kind.code()));
    let path = out.unwrap_or(&default);
    if !super::xlsx::is_xlsx(path) {
        return Err(Failure(format!(
            "{}: a template is an .xlsx workbook; name it FILE.xlsx",
            path.display()
        )));
    }
    let store = super::open_existing(db, Access::ReadOnly, config)?;
    let catalog = crate::store::catalog::Catalog::load(store.conn())?;
    let bytes = super::xlsx::template_workbook(kind, &catalog)?;
    super::out_file::write(path, db, force, &bytes)?;
    say!(
        "{}: an empty {} sheet with drop-down lists (fill it in, then: frontdesk import {} {})",
        path.display(),
        kind.code(),
        kind.code(),
        path.display()
    );
    Ok(())
}
