//! Reading a CSV text or a sheet into checked rows: line numbers, the header, the file's problems.

use super::Row;
use crate::domain::import::CsvKind;
use crate::domain::text::clean;
use crate::store::Result;
use crate::store::StoreError;

/// The line (1-based) each byte offset of `text` starts on, counted the way an editor and a
/// spreadsheet count them: `\n`, `\r\n` and a lone `\r` each end one line. (The `csv`
/// crate's own record lines are off by one in files with CRLF line ends, which is what Excel
/// and frontdesk's own export write.) Offsets must be asked in increasing order.
struct LineCounter<'a> {
    text: &'a [u8],
    pos: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        LineCounter { text: text.as_bytes(), pos: 0, line: 1 }
    }

    fn line_at(&mut self, offset: usize) -> u64 {
        let mut offset = offset.min(self.text.len());
        // With CRLF line ends the crate places a record at the `\n` of the line end before it.
        while matches!(self.text.get(offset), Some(b'\r' | b'\n')) {
            offset += 1;
        }
        while self.pos < offset {
            match self.text[self.pos] {
                b'\n' => self.line += 1,
                b'\r' if self.text.get(self.pos + 1) != Some(&b'\n') => self.line += 1,
                _ => {}
            }
            self.pos += 1;
        }
        self.line
    }
}

/// The header and the data records of a CSV text, each record with the line it starts on.
fn read_table(file: &str, text: &str) -> Result<Table> {
    let mut reader =
        csv::ReaderBuilder::new().has_headers(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| StoreError::Invalid(format!("{file} line 1: cannot read the header ({e})")))?
        .iter()
        .map(str::to_string)
        .collect();
    let mut lines = LineCounter::new(text);
    let mut records = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        let more = reader.read_record(&mut record).map_err(|e| {
            let line = e.position().map(|p| lines.line_at(p.byte() as usize)).unwrap_or(0);
            match e.kind() {
                csv::ErrorKind::UnequalLengths { expected_len, len, .. } => StoreError::Invalid(format!(
                    "{file} line {line}: expected {expected_len} fields, found {len}"
                )),
                _ => StoreError::Invalid(format!("{file} line {line}: {e}")),
            }
        })?;
        if !more {
            break;
        }
        let line = record.position().map(|p| lines.line_at(p.byte() as usize)).unwrap_or(0);
        records.push((line, record.iter().map(str::to_string).collect()));
    }
    Ok(Table { header, records })
}

/// Checks a header against the kind's columns (any order, case and spaces aside).
fn check_header(kind: CsvKind, file: &str, header: &[String]) -> Result<Vec<String>> {
    // The column names, or the Korean labels a spreadsheet export and template carry.
    let header: Vec<String> =
        header.iter().map(|h| crate::domain::import::column_of_header(kind, h)).collect();
    let expected = kind.header();
    let missing: Vec<&str> = expected.iter().copied().filter(|c| !header.iter().any(|h| h == c)).collect();
    let unknown: Vec<&str> = header.iter().map(String::as_str).filter(|h| !expected.contains(h)).collect();
    let duplicated = header.len() != header.iter().collect::<std::collections::HashSet<_>>().len();
    if !missing.is_empty() || !unknown.is_empty() || duplicated {
        let mut why = Vec::new();
        if !missing.is_empty() {
            why.push(format!("missing {}", missing.join(",")));
        }
        if !unknown.is_empty() {
            why.push(format!("unknown {}", unknown.join(",")));
        }
        if duplicated {
            why.push("a column appears twice".to_string());
        }
        return Err(StoreError::Invalid(format!(
            "{file} line 1: wrong header for {} ({}); expected {}",
            kind.code(),
            why.join("; "),
            expected.join(",")
        )));
    }
    Ok(header)
}

/// Turns a table (header and numbered records, from a CSV text or a sheet) into rows.
pub(super) fn rows_of_table(
    kind: CsvKind,
    file: &str,
    header: &[String],
    records: Vec<(u64, Vec<String>)>,
) -> Result<Vec<Row>> {
    let header = check_header(kind, file, header)?;
    let mut rows = Vec::new();
    for (line, record) in records {
        if record.iter().all(|c| c.trim().is_empty()) {
            continue; // Excel leaves blank lines at the end
        }
        if record.len() != header.len() {
            return Err(StoreError::Invalid(format!(
                "{file} line {line}: expected {} fields, found {}",
                header.len(),
                record.len()
            )));
        }
        // The `'` an export put before a formula start comes off again (a round trip is exact).
        let cells = header
            .iter()
            .cloned()
            .zip(record.iter().map(|c| clean(crate::domain::cells::unneutralize(c.trim()))))
            .collect();
        rows.push(Row { line, cells });
    }
    if rows.is_empty() {
        return Err(StoreError::Invalid(format!("{file}: no rows under the header; nothing to import")));
    }
    Ok(rows)
}

fn empty_file(kind: CsvKind, file: &str) -> StoreError {
    StoreError::Invalid(format!(
        "{file}: the file is empty (expected the header {})",
        kind.header().join(",")
    ))
}

/// Reads the CSV text into rows, checking the header. `file` names the file in errors.
pub(super) fn read_rows(kind: CsvKind, file: &str, text: &str) -> Result<Vec<Row>> {
    if text.trim().is_empty() {
        return Err(empty_file(kind, file));
    }
    let table = read_table(file, text)?;
    rows_of_table(kind, file, &table.header, table.records)
}

/// What is wrong with a file as a whole (empty, unreadable, wrong header, no rows), if
/// anything: an import that fails for another reason failed on a row (exit status 1, not 2).
pub fn file_problem(kind: CsvKind, file: &str, text: &str) -> Option<StoreError> {
    if text.trim().is_empty() {
        return Some(empty_file(kind, file));
    }
    let mut reader =
        csv::ReaderBuilder::new().has_headers(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(e) => return Some(StoreError::Invalid(format!("{file} line 1: cannot read the header ({e})"))),
    };
    check_header(kind, file, &header).err()
}

/// A sheet read from a spreadsheet: the header row's cells and the data rows, each with its
/// row number as the spreadsheet shows it.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub header: Vec<String>,
    pub records: Vec<(u64, Vec<String>)>,
}

/// What is wrong with a sheet as a whole (its header), if anything (see [`file_problem`]).
pub fn table_problem(kind: CsvKind, file: &str, table: &Table) -> Option<StoreError> {
    check_header(kind, file, &table.header).err()
}
