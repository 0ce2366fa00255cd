//! .xlsx workbooks in and out (issue 22 item 1): `export KIND --out FILE.xlsx`,
//! `report … --out FILE.xlsx`, `import KIND FILE.xlsx [--sheet NAME]` and `template KIND`.
//!
//! Out: Korean headers, chart numbers and phones as text (a spreadsheet never drops their
//! zeros), dates as dates, amounts as numbers in 원 format, the header row frozen and columns
//! as wide as their Korean text. In: the first sheet (or `--sheet NAME`), read with the same
//! rules and errors as a CSV file, rows named by the spreadsheet's row numbers; dates the
//! spreadsheet stores as serial numbers are read as dates.

use std::path::Path;

use rust_xlsxwriter::{DataValidation, ExcelDateTime, Format, Formula, Workbook, Worksheet, XlsxError};

use super::Failure;
use crate::domain::import::{ColumnType, CsvKind, column_label_ko, column_type};
use crate::domain::parse;
use crate::domain::payments::PaymentCategory;
use crate::domain::text::width;
use crate::store::catalog::Catalog;
use crate::store::csv_io::Table;

/// True when `path` names an .xlsx file (by its extension, any case).
pub fn is_xlsx(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
}

fn failure(e: XlsxError) -> Failure {
    Failure(format!("cannot make the workbook ({e})"))
}

struct Formats {
    header: Format,
    text: Format,
    date: Format,
    datetime: Format,
    won: Format,
    integer: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            header: Format::new().set_bold().set_num_format("@"),
            text: Format::new().set_num_format("@"),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            datetime: Format::new().set_num_format("yyyy-mm-dd hh:mm"),
            won: Format::new().set_num_format("#,##0\"원\""),
            integer: Format::new().set_num_format("0"),
        }
    }

    fn of(&self, t: ColumnType) -> &Format {
        match t {
            ColumnType::Text => &self.text,
            ColumnType::Date => &self.date,
            ColumnType::DateTime => &self.datetime,
            ColumnType::Won => &self.won,
            ColumnType::Integer => &self.integer,
        }
    }
}

fn excel_datetime(t: chrono::NaiveDateTime) -> Option<ExcelDateTime> {
    use chrono::{Datelike, Timelike};
    ExcelDateTime::from_ymd(u16::try_from(t.year()).ok()?, t.month() as u8, t.day() as u8)
        .and_then(|d| d.and_hms(t.hour() as u16, t.minute() as u8, t.second()))
        .ok()
}

/// Writes one cell as its column's type; a value that does not parse stays text.
fn write_cell(
    ws: &mut Worksheet,
    f: &Formats,
    row: u32,
    col: u16,
    t: ColumnType,
    value: &str,
) -> Result<(), XlsxError> {
    if value.is_empty() {
        return Ok(());
    }
    match t {
        ColumnType::Date | ColumnType::DateTime => {
            if let Some(dt) = parse::parse_datetime(value).ok().and_then(excel_datetime) {
                ws.write_datetime_with_format(row, col, &dt, f.of(t))?;
                return Ok(());
            }
        }
        ColumnType::Won | ColumnType::Integer => {
            if let Ok(n) = value.parse::<i64>() {
                ws.write_number_with_format(row, col, n as f64, f.of(t))?;
                return Ok(());
            }
        }
        ColumnType::Text => {}
    }
    ws.write_string_with_format(row, col, value, &f.text)?;
    Ok(())
}

/// Column widths that fit the widest cell (Hangul counts twice), within reason.
fn fit_columns(ws: &mut Worksheet, widths: &[usize]) -> Result<(), XlsxError> {
    for (i, w) in widths.iter().enumerate() {
        ws.set_column_width(i as u16, (*w as f64 + 2.0).clamp(8.0, 60.0))?;
    }
    Ok(())
}

/// An export (`rows[0]` the column names, as CSV export writes them) as a workbook.
pub fn export_workbook(kind_name: &str, rows: &[Vec<String>]) -> Result<Vec<u8>, Failure> {
    let build = || -> Result<Vec<u8>, XlsxError> {
        let f = Formats::new();
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name(kind_name)?;
        let Some((columns, data)) = rows.split_first() else { return wb.save_to_buffer() };
        let types: Vec<ColumnType> = columns.iter().map(|c| column_type(c)).collect();
        let mut widths = vec![0usize; columns.len()];
        for (c, name) in columns.iter().enumerate() {
            let label = match column_label_ko(name) {
                "" => name.as_str(),
                l => l,
            };
            ws.write_string_with_format(0, c as u16, label, &f.header)?;
            widths[c] = width(label);
        }
        for (r, row) in data.iter().enumerate() {
            for (c, value) in row.iter().enumerate() {
                let t = types.get(c).copied().unwrap_or(ColumnType::Text);
                write_cell(ws, &f, r as u32 + 1, c as u16, t, value)?;
                let shown = match t {
                    ColumnType::DateTime => 16,
                    ColumnType::Date => 10,
                    _ => width(value),
                };
                if let Some(w) = widths.get_mut(c) {
                    *w = (*w).max(shown);
                }
            }
        }
        ws.set_freeze_panes(1, 0)?;
        fit_columns(ws, &widths)?;
        wb.save_to_buffer()
    };
    build().map_err(failure)
}

/// A report's CSV text as a workbook: numbers as numbers, everything else as text.
pub fn report_workbook(sheet: &str, csv_text: &str) -> Result<Vec<u8>, Failure> {
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(csv_text.as_bytes());
    let mut rows: Vec<Vec<String>> = Vec::new();
    for r in reader.records() {
        rows.push(r?.iter().map(str::to_string).collect());
    }
    let build = || -> Result<Vec<u8>, XlsxError> {
        let f = Formats::new();
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name(sheet)?;
        let mut widths: Vec<usize> = Vec::new();
        for (r, row) in rows.iter().enumerate() {
            for (c, value) in row.iter().enumerate() {
                let (r, c16) = (r as u32, c as u16);
                match value.parse::<f64>() {
                    Ok(n) if r > 0 && n.is_finite() => ws.write_number(r, c16, n)?,
                    _ if r == 0 => ws.write_string_with_format(r, c16, value, &f.header)?,
                    _ => ws.write_string(r, c16, value)?,
                };
                if widths.len() <= c {
                    widths.resize(c + 1, 0);
                }
                widths[c] = widths[c].max(width(value));
            }
        }
        ws.set_freeze_panes(1, 0)?;
        fit_columns(ws, &widths)?;
        wb.save_to_buffer()
    };
    build().map_err(failure)
}

/// The values a coded column offers in a template's drop-down list (Korean labels, which the
/// import reads as well as the codes).
fn choices(column: &str, kind: CsvKind, cat: &Catalog) -> Vec<String> {
    use crate::domain::{AppointmentStatus, ConsultationStatus, InquiryOutcome, Lang, Sex};
    let labels = |list: &[crate::store::catalog::CodeLabel]| {
        list.iter().filter(|c| c.active).map(|c| c.ko.clone()).collect::<Vec<_>>()
    };
    match (kind, column) {
        (_, "referral_source") => labels(&cat.referral_sources),
        (_, "channel") => labels(&cat.referral_channels),
        (_, "treatment" | "topic") => {
            cat.treatments.iter().filter(|t| t.code.active).map(|t| t.code.ko.clone()).collect()
        }
        (CsvKind::Payments, "category") => {
            PaymentCategory::ALL.iter().map(|c| c.label(Lang::Ko).to_string()).collect()
        }
        (_, "category") => labels(&cat.complaint_categories),
        (_, "provider") => cat.staff.iter().filter(|s| s.active).map(|s| s.name.clone()).collect(),
        (_, "sex") => Sex::ALL.iter().map(|s| s.label(Lang::Ko).to_string()).collect(),
        (_, "outcome") => InquiryOutcome::ALL.iter().map(|s| s.label(Lang::Ko).to_string()).collect(),
        (CsvKind::Appointments, "status") => {
            AppointmentStatus::ALL.iter().map(|s| s.label(Lang::Ko).to_string()).collect()
        }
        (CsvKind::Consultations, "status") => {
            ConsultationStatus::ALL.iter().map(|s| s.label(Lang::Ko).to_string()).collect()
        }
        (CsvKind::Complaints, "status") => vec!["미해결".into(), "해결".into()],
        _ => Vec::new(),
    }
}

/// The rows a template formats and validates (a clinic's list fits in far fewer).
const TEMPLATE_ROWS: u32 = 1000;

/// An empty import sheet for `kind`: the Korean headers, each column formatted as its type,
/// and a drop-down list on every coded column (kept on a hidden second sheet `목록`).
pub fn template_workbook(kind: CsvKind, cat: &Catalog) -> Result<Vec<u8>, Failure> {
    let build = || -> Result<Vec<u8>, XlsxError> {
        let f = Formats::new();
        let mut wb = Workbook::new();
        let columns = kind.header();
        let lists: Vec<Vec<String>> = columns.iter().map(|c| choices(c, kind, cat)).collect();
        {
            let ws = wb.add_worksheet();
            ws.set_name(kind.code())?;
            let mut widths = Vec::new();
            for (c, name) in columns.iter().enumerate() {
                let c16 = c as u16;
                let label = column_label_ko(name);
                ws.write_string_with_format(0, c16, label, &f.header)?;
                ws.set_column_format(c16, f.of(column_type(name)))?;
                let longest = lists[c].iter().map(|v| width(v)).max().unwrap_or(0);
                widths.push(width(label).max(longest).max(match column_type(name) {
                    ColumnType::DateTime => 16,
                    ColumnType::Date => 10,
                    _ => 0,
                }));
                if !lists[c].is_empty() {
                    let col = column_letter(c);
                    let range = format!("='목록'!${col}$1:${col}${}", lists[c].len());
                    let dv = DataValidation::new()
                        .allow_list_formula(Formula::new(range))
                        .set_error_title("frontdesk")?
                        .set_error_message("목록에서 고르세요 (choose from the list)")?;
                    ws.add_data_validation(1, c16, TEMPLATE_ROWS, c16, &dv)?;
                }
            }
            ws.set_freeze_panes(1, 0)?;
            fit_columns(ws, &widths)?;
        }
        let ws = wb.add_worksheet();
        ws.set_name("목록")?;
        for (c, list) in lists.iter().enumerate() {
            for (r, v) in list.iter().enumerate() {
                ws.write_string(r as u32, c as u16, v)?;
            }
        }
        ws.set_hidden(true);
        wb.save_to_buffer()
    };
    build().map_err(failure)
}

/// `A`, `B`, … `Z`, `AA`, … for a 0-based column.
fn column_letter(mut c: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).expect("ASCII")
}

/// A number as a cell's text: whole numbers without `.0` (a chart number typed as 1 is `1`).
fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 { format!("{}", n as i64) } else { n.to_string() }
}

fn datetime_text(t: chrono::NaiveDateTime, t_col: ColumnType) -> String {
    if t_col == ColumnType::Date || (t_col != ColumnType::DateTime && t.time() == chrono::NaiveTime::MIN) {
        t.format("%Y-%m-%d").to_string()
    } else {
        t.format("%Y-%m-%d %H:%M:%S").to_string()
    }
}

/// One cell as the text a CSV file would have held.
fn cell_text(cell: &calamine::Data, t: ColumnType) -> String {
    use calamine::Data;
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
        Data::Int(i) => i.to_string(),
        Data::Float(n) => match t {
            // A date typed into a cell the spreadsheet kept as a plain number.
            ColumnType::Date | ColumnType::DateTime => {
                parse::from_serial(*n).map(|d| datetime_text(d, t)).unwrap_or_else(|| number_text(*n))
            }
            _ => number_text(*n),
        },
        Data::DateTime(d) => match parse::from_serial(d.as_f64()) {
            Some(v) => datetime_text(v, t),
            None => number_text(d.as_f64()),
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.replacen('T', " ", 1),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// Reads the first sheet (or `sheet`) of an .xlsx file into a table for `kind`.
pub fn read_table(path: &Path, name: &str, kind: CsvKind, sheet: Option<&str>) -> Result<Table, Failure> {
    use calamine::{Reader, Xlsx, open_workbook};
    let mut wb: Xlsx<_> = open_workbook(path)
        .map_err(|e| Failure(format!("{name}: not an .xlsx workbook frontdesk can read ({e})")))?;
    let names = wb.sheet_names();
    let range = match sheet {
        Some(s) => {
            if !names.iter().any(|n| n == s) {
                return Err(Failure(format!("{name}: no sheet named '{s}' (sheets: {})", names.join(", "))));
            }
            wb.worksheet_range(s)
        }
        None => match wb.worksheet_range_at(0) {
            Some(r) => r,
            None => return Err(Failure(format!("{name}: the workbook has no sheets"))),
        },
    }
    .map_err(|e| Failure(format!("{name}: cannot read the sheet ({e})")))?;
    let Some((first_row, first_col)) = range.start() else {
        return Ok(Table::default());
    };
    let mut rows = range.rows();
    let header: Vec<String> = match rows.next() {
        Some(h) => h.iter().map(|c| cell_text(c, ColumnType::Text)).collect(),
        None => return Ok(Table::default()),
    };
    // A sheet that does not start in column A: the header still has to be there.
    let _ = first_col;
    let types: Vec<ColumnType> =
        header.iter().map(|h| column_type(&crate::domain::import::column_of_header(kind, h))).collect();
    // Trailing empty header cells (formatted but unused columns) are not columns.
    let width = header.iter().rposition(|h| !h.trim().is_empty()).map_or(0, |i| i + 1);
    let header = header[..width].to_vec();
    let mut records = Vec::new();
    for (i, row) in rows.enumerate() {
        let cells: Vec<String> =
            (0..width).map(|c| row.get(c).map(|v| cell_text(v, types[c])).unwrap_or_default()).collect();
        // The spreadsheet's own row number: the header's row, plus one per row below it.
        records.push((u64::from(first_row) + i as u64 + 2, cells));
    }
    Ok(Table { header, records })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
    }

    #[test]
    fn numbers_as_cell_text() {
        assert_eq!(number_text(1.0), "1");
        assert_eq!(number_text(4_900_000.0), "4900000");
        assert_eq!(number_text(0.5), "0.5");
    }
}
