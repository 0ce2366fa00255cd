//! `frontdesk import KIND FILE.csv [--dry-run]` and `frontdesk export KIND ~`.

use std::io::Write;
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
            "unknown kind '{s}' (accepted: patients, appointments, inquiries, consultations, complaints, audit)"
        )
    })
}

pub fn parse_kind(s: &str) -> Result<CsvKind, String> {
    CsvKind::parse(s).ok_or_else(|| {
        format!("unknown kind '{s}' (accepted: patients, appointments, inquiries, consultations, complaints)")
    })
}

pub fn import(db: &Path, config: &Config, kind: CsvKind, file: &Path, dry_run: bool) -> CliResult {
    let bytes = std::fs::read(file).map_err(|e| Failure(format!("{}: cannot read ({e})", file.display())))?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| file.display().to_string());
    let (text, _encoding) = decode(&bytes).map_err(|e| Failure(format!("{name} {e}")))?;
    // Writes wait for other terminals for as long as they hold the lock (see open_store).
    let mut store = open_store(db, Access::ReadWrite, config)?;
    let now = super::now()?;
    let n = csv_io::import(&mut store, kind, &name, &text, dry_run, now)?;
    if dry_run {
        println!("{name}: {n} {} rows are fine and would be written (dry run: nothing written)", kind.code());
    } else {
        println!("{name}: {n} {} rows written", kind.code());
    }
    Ok(())
}

/// The CSV bytes Excel opens as UTF-8: a BOM, CRLF line ends.
pub fn to_csv_bytes(rows: &[Vec<String>]) -> Result<Vec<u8>, Failure> {
    let mut out = vec![0xEF, 0xBB, 0xBF];
    {
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(&mut out);
        for r in rows {
            w.write_record(r)?;
        }
        w.flush()?;
    }
    Ok(out)
}

fn to_exclusive(d: chrono::NaiveDate) -> String {
    d.succ_opt().unwrap_or(d).format("%Y-%m-%d").to_string()
}

pub fn export(
    db: &Path,
    config: &Config,
    kind: ExportKind,
    from: Option<&str>,
    to: Option<&str>,
    mask: bool,
    out: Option<&Path>,
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
    let mut store = open_store(db, Access::ReadWrite, config)?;
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
    let bytes = to_csv_bytes(&rows)?;
    match out {
        Some(path) => {
            write_private(path, &bytes)?;
            eprintln!("{}: {} {code} rows", path.display(), rows.len() - 1);
        }
        None => std::io::stdout().write_all(&bytes)?,
    }
    Ok(())
}

/// Writes a file readable by its owner only (it holds patients' names and numbers).
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(path).map_err(|e| Failure(format!("{}: cannot write ({e})", path.display())))?;
    #[cfg(unix)]
    {
        // An existing file keeps its mode on open; tighten it.
        use std::os::unix::fs::PermissionsExt;
        f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    f.write_all(bytes).map_err(|e| Failure(format!("{}: cannot write ({e})", path.display())))?;
    Ok(())
}
