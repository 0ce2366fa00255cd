//! Import and export of CSV files (DESIGN §6). An import is all or nothing: every row is
//! checked and written inside one `BEGIN IMMEDIATE` transaction, and the first bad row rolls
//! everything back with an error naming the line, the column and the reason.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use rusqlite::{Connection, params};

use super::audit::Entry;
use super::callbacks::{NewCallback, open_callback};
use super::catalog::{Catalog, CodeLabel};
use super::inquiries::{patient_by_chart_no, patient_by_phone};
use super::patients::{NewPatient, insert_patient};
use super::{Result, Store, StoreError, Tx};
use crate::domain::import::{CsvKind, parse_date, parse_datetime, parse_minutes, split_list};
use crate::domain::mask::{mask_name, mask_phone};
use crate::domain::phone::Phone;
use crate::domain::text::clean;
use crate::domain::{
    AppointmentStatus, CallbackKind, ConsultationStatus, DATE_FORMAT, InquiryOutcome, QuestionKind, Sex,
    TIME_FORMAT, Tag,
};

/// One data row with its line in the file, cells by column name.
struct Row {
    line: u64,
    cells: HashMap<String, String>,
}

impl Row {
    fn get(&self, column: &str) -> &str {
        self.cells.get(column).map(String::as_str).unwrap_or("")
    }
}

/// Names the file, line and column of a problem.
struct Place<'a> {
    file: &'a str,
    line: u64,
    /// The importing day, for range checks (a birth date is not in the future).
    today: chrono::NaiveDate,
}

impl Place<'_> {
    fn err(&self, column: &str, reason: impl std::fmt::Display) -> StoreError {
        StoreError::Invalid(format!("{} line {}, column {column}: {reason}", self.file, self.line))
    }
}

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
fn rows_of_table(
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
fn read_rows(kind: CsvKind, file: &str, text: &str) -> Result<Vec<Row>> {
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

fn accepted(list: &[CodeLabel]) -> String {
    list.iter().map(|c| format!("{}/{}", c.code, c.ko)).collect::<Vec<_>>().join(", ")
}

/// A staff member by name (the `provider` column); empty is None.
fn provider(place: &Place<'_>, cat: &Catalog, name: &str) -> Result<Option<i64>> {
    if name.is_empty() {
        return Ok(None);
    }
    let found = cat.staff.iter().find(|s| s.name == name).map(|s| s.id);
    found.map(Some).ok_or_else(|| {
        let known: Vec<&str> = cat.staff.iter().map(|s| s.name.as_str()).collect();
        place.err(
            "provider",
            format!(
                "'{name}' is not on the staff (known: {})",
                if known.is_empty() { "none yet; add staff in setup".to_string() } else { known.join(", ") }
            ),
        )
    })
}

/// A catalog code from its code, label or alias; empty is None.
fn code(
    place: &Place<'_>,
    column: &str,
    value: &str,
    list: &[CodeLabel],
    what: &str,
) -> Result<Option<String>> {
    if value.is_empty() {
        return Ok(None);
    }
    match list.iter().find(|c| c.matches(value)) {
        Some(c) => Ok(Some(c.code.clone())),
        None => {
            Err(place.err(column, format!("'{value}' is not a known {what} (accepted: {})", accepted(list))))
        }
    }
}

fn optional_date(place: &Place<'_>, column: &str, value: &str) -> Result<Option<chrono::NaiveDate>> {
    if value.is_empty() { Ok(None) } else { parse_date(value).map(Some).map_err(|e| place.err(column, e)) }
}

fn required_datetime(place: &Place<'_>, column: &str, value: &str) -> Result<NaiveDateTime> {
    if value.is_empty() {
        return Err(place.err(column, "is empty (use YYYY-MM-DD HH:MM)"));
    }
    parse_datetime(value).map_err(|e| place.err(column, e))
}

fn optional_phone(place: &Place<'_>, column: &str, value: &str) -> Result<String> {
    if value.is_empty() {
        return Ok(String::new());
    }
    Phone::parse(value).map(|p| p.digits).map_err(|e| place.err(column, format!("'{value}': {e}")))
}

fn existing_patient(
    conn: &Connection,
    place: &Place<'_>,
    column: &str,
    chart_no: &str,
    same_file: bool,
) -> Result<i64> {
    if chart_no.is_empty() {
        return Err(place.err(column, "is empty (a chart number is needed)"));
    }
    match patient_by_chart_no(conn, chart_no)? {
        Some(p) => Ok(p.id),
        None if same_file => Err(place.err(
            column,
            format!(
                "'{chart_no}' is not a chart number in the database or earlier in this file (leading zeros do not matter: 58 is 000058; import that patient first)"
            ),
        )),
        None => Err(place.err(
            column,
            format!(
                "'{chart_no}' is not a chart number in the database (leading zeros do not matter: 58 is 000058; import the patients file first)"
            ),
        )),
    }
}

fn won(place: &Place<'_>, column: &str, value: &str) -> Result<Option<i64>> {
    if value.is_empty() {
        return Ok(None);
    }
    crate::domain::parse::parse_amount(value, crate::domain::parse::Sign::NonNegative)
        .map(Some)
        .map_err(|e| place.err(column, e))
}

fn ts(t: NaiveDateTime) -> String {
    t.format(TIME_FORMAT).to_string()
}

/// One checked row, ready to insert: everything parsed and every reference resolved, before
/// the write lock is taken (see [`prepare`]).
enum Ready {
    Patient {
        patient: NewPatient,
        /// A referrer registered earlier in this file (its id is known once it is inserted).
        referrer_in_file: Option<String>,
        tags: Vec<Tag>,
        note: String,
        first_visit: Option<chrono::NaiveDate>,
    },
    Appointment {
        patient_id: i64,
        start: NaiveDateTime,
        duration: i64,
        provider_id: Option<i64>,
        treatment: Option<String>,
        status: AppointmentStatus,
        booked_at: NaiveDateTime,
    },
    Inquiry {
        received_at: NaiveDateTime,
        caller_name: String,
        phone: String,
        phone_digits: String,
        patient_id: Option<i64>,
        topic: Option<String>,
        questions: String,
        source: Option<String>,
        channel: Option<String>,
        referrer_id: Option<i64>,
        outcome: InquiryOutcome,
        note: String,
    },
    Consultation {
        patient: PatientRef,
        consulted_at: NaiveDateTime,
        treatment: Option<String>,
        quoted: Option<i64>,
        offered: Option<i64>,
        status: ConsultationStatus,
        recall_on: Option<chrono::NaiveDate>,
        note: String,
        reaction: String,
    },
    Payment(crate::store::payments::NewPayment),
    Package(crate::store::packages::NewPackage),
    Complaint {
        patient_id: i64,
        raised_at: NaiveDateTime,
        category: String,
        description: String,
        status: &'static str,
        resolved_at: Option<String>,
        resolution: String,
    },
}

/// Who a consultation row is about.
enum PatientRef {
    Id(i64),
    /// Registered from this row's name and phone.
    New(NewPatient),
    /// Registered by an earlier row of this file with this phone (digits).
    EarlierInFile(String),
}

/// What the rows of one file registered, for later rows of the same file.
#[derive(Default)]
struct InFile {
    /// Chart numbers of the patients this file registers (preparing) and their ids (writing).
    charts: HashMap<String, i64>,
    /// Phones (digits) of the people consultation rows register, and their ids.
    phones: HashMap<String, i64>,
}

fn prepare_patient(
    conn: &Connection,
    cat: &Catalog,
    place: &Place<'_>,
    row: &Row,
    seen: &mut InFile,
) -> Result<Ready> {
    let chart_no = row.get("chart_no");
    if chart_no.is_empty() {
        return Err(place.err("chart_no", "is empty (every patient needs a chart number)"));
    }
    if seen.charts.contains_key(chart_no) || patient_by_chart_no(conn, chart_no)?.is_some() {
        return Err(place.err("chart_no", format!("'{chart_no}' already exists")));
    }
    let name = row.get("name");
    if name.is_empty() {
        return Err(place.err("name", "is empty"));
    }
    let phone_digits = optional_phone(place, "phone", row.get("phone"))?;
    let birth_date = match row.get("birth_date") {
        "" => None,
        b => Some(
            crate::domain::parse::parse_birth_date(b, place.today).map_err(|e| place.err("birth_date", e))?,
        ),
    };
    let sex = match row.get("sex") {
        "" => None,
        s => Some(
            Sex::parse(s)
                .ok_or_else(|| place.err("sex", format!("'{s}' is not a sex (accepted: M, F, 남, 여)")))?,
        ),
    };
    let first_visit = optional_date(place, "first_visit", row.get("first_visit"))?;
    let referral_source =
        code(place, "referral_source", row.get("referral_source"), &cat.referral_sources, "referral source")?;
    let (referrer_id, referrer_in_file) = match row.get("referrer_chart_no") {
        "" => (None, None),
        c if seen.charts.contains_key(c) => (None, Some(c.to_string())),
        c => (Some(existing_patient(conn, place, "referrer_chart_no", c, true)?), None),
    };
    let mut tags = Vec::new();
    for t in split_list(row.get("tags")) {
        let tag = Tag::parse(&t).ok_or_else(|| {
            place.err(
                "tags",
                format!(
                    "'{t}' is not a sticker (accepted: referrer, high_value, prospect, satisfied, more_care)"
                ),
            )
        })?;
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    seen.charts.insert(chart_no.to_string(), 0);
    Ok(Ready::Patient {
        patient: NewPatient {
            chart_no: chart_no.to_string(),
            name: name.to_string(),
            phone: crate::domain::phone::format_digits(&phone_digits),
            birth_date,
            sex,
            referral_source,
            referral_channel: None,
            referrer_id,
        },
        referrer_in_file,
        tags,
        note: row.get("note").to_string(),
        first_visit,
    })
}

fn prepare_appointment(
    conn: &Connection,
    cat: &Catalog,
    place: &Place<'_>,
    row: &Row,
    _: &mut InFile,
) -> Result<Ready> {
    let patient_id = existing_patient(conn, place, "chart_no", row.get("chart_no"), false)?;
    let start = required_datetime(place, "start", row.get("start"))?;
    let treatment = code(place, "treatment", row.get("treatment"), &codes_of_treatments(cat), "treatment")?;
    let duration = match row.get("duration_min") {
        "" => treatment.as_deref().and_then(|t| cat.treatment(t)).map(|t| t.duration_min).unwrap_or(30),
        d => parse_minutes(d).map_err(|e| place.err("duration_min", e))?,
    };
    let provider_id = provider(place, cat, row.get("provider"))?;
    let status = match row.get("status") {
        "" => AppointmentStatus::Booked,
        s => AppointmentStatus::parse(s).ok_or_else(|| {
            place.err(
                "status",
                format!("'{s}' is not a status (accepted: booked, arrived, done, no_show, cancelled)"),
            )
        })?,
    };
    let booked_at = match row.get("booked_at") {
        "" => start,
        b => parse_datetime(b).map_err(|e| place.err("booked_at", e))?,
    };
    Ok(Ready::Appointment { patient_id, start, duration, provider_id, treatment, status, booked_at })
}

fn codes_of_treatments(cat: &Catalog) -> Vec<CodeLabel> {
    cat.treatments.iter().map(|t| t.code.clone()).collect()
}

fn prepare_inquiry(
    conn: &Connection,
    cat: &Catalog,
    place: &Place<'_>,
    row: &Row,
    _: &mut InFile,
) -> Result<Ready> {
    let received_at = required_datetime(place, "received_at", row.get("received_at"))?;
    let phone_digits = optional_phone(place, "phone", row.get("phone"))?;
    let channel = code(place, "channel", row.get("channel"), &cat.referral_channels, "internet channel")?;
    let topic = code(place, "topic", row.get("topic"), &codes_of_treatments(cat), "treatment")?;
    let mut questions = Vec::new();
    for q in split_list(row.get("questions")) {
        let kind = QuestionKind::parse(&q).ok_or_else(|| {
            place.err("questions", format!("'{q}' is not a question kind (accepted: price, method, duration, insurance, hours, other)"))
        })?;
        if !questions.contains(&kind.code()) {
            questions.push(kind.code());
        }
    }
    let mut source =
        code(place, "referral_source", row.get("referral_source"), &cat.referral_sources, "referral source")?;
    if source.is_none() && channel.is_some() {
        source = Some("internet".into());
    }
    let referrer_id = match row.get("referrer_chart_no") {
        "" => None,
        c => Some(existing_patient(conn, place, "referrer_chart_no", c, false)?),
    };
    let outcome = match row.get("outcome") {
        "" => InquiryOutcome::Info,
        o => InquiryOutcome::parse(o).ok_or_else(|| {
            place.err("outcome", format!("'{o}' is not an outcome (accepted: info, callback, booked)"))
        })?,
    };
    let patient_id = patient_by_phone(conn, &phone_digits)?.map(|p| p.id);
    let phone = if phone_digits.is_empty() {
        String::new()
    } else {
        crate::domain::phone::format_digits(&phone_digits)
    };
    Ok(Ready::Inquiry {
        received_at,
        caller_name: crate::domain::text::clean_line(row.get("caller_name")),
        phone,
        phone_digits,
        patient_id,
        topic,
        questions: questions.join(","),
        source,
        channel,
        referrer_id,
        outcome,
        note: row.get("note").to_string(),
    })
}

fn prepare_consultation(
    conn: &Connection,
    cat: &Catalog,
    place: &Place<'_>,
    row: &Row,
    seen: &mut InFile,
) -> Result<Ready> {
    let phone_digits = optional_phone(place, "phone", row.get("phone"))?;
    let consulted_at = required_datetime(place, "consulted_at", row.get("consulted_at"))?;
    let treatment = code(place, "treatment", row.get("treatment"), &codes_of_treatments(cat), "treatment")?;
    let quoted = won(place, "quoted_krw", row.get("quoted_krw"))?;
    let offered = won(place, "offered_krw", row.get("offered_krw"))?;
    let status = match row.get("status") {
        "" => ConsultationStatus::Undecided,
        s => ConsultationStatus::parse(s).ok_or_else(|| {
            place.err(
                "status",
                format!("'{s}' is not a decision (accepted: accepted/결정, undecided/보류, declined/거부)"),
            )
        })?,
    };
    let recall_on = optional_date(place, "recall_on", row.get("recall_on"))?;
    // The person: by chart number; else by phone; else registered from name and phone.
    let patient = if !row.get("chart_no").is_empty() {
        PatientRef::Id(existing_patient(conn, place, "chart_no", row.get("chart_no"), false)?)
    } else if let Some(p) = patient_by_phone(conn, &phone_digits)? {
        PatientRef::Id(p.id)
    } else if !phone_digits.is_empty() && seen.phones.contains_key(&phone_digits) {
        PatientRef::EarlierInFile(phone_digits.clone())
    } else if !row.get("name").is_empty() {
        if !phone_digits.is_empty() {
            seen.phones.insert(phone_digits.clone(), 0);
        }
        PatientRef::New(NewPatient {
            name: row.get("name").to_string(),
            phone: crate::domain::phone::format_digits(&phone_digits),
            ..NewPatient::default()
        })
    } else {
        return Err(place.err("chart_no", "is empty and there is no name to register the person under"));
    };
    Ok(Ready::Consultation {
        patient,
        consulted_at,
        treatment,
        quoted,
        offered,
        status,
        recall_on,
        note: row.get("note").to_string(),
        reaction: row.get("reaction").to_string(),
    })
}

fn complaint_status(s: &str) -> Option<&'static str> {
    match s.trim().to_lowercase().as_str() {
        "" | "open" | "미해결" | "진행" | "열림" => Some("open"),
        "resolved" | "해결" | "완료" | "closed" => Some("resolved"),
        _ => None,
    }
}

fn prepare_complaint(
    conn: &Connection,
    cat: &Catalog,
    place: &Place<'_>,
    row: &Row,
    _: &mut InFile,
) -> Result<Ready> {
    let patient_id = existing_patient(conn, place, "chart_no", row.get("chart_no"), false)?;
    let raised_at = required_datetime(place, "raised_at", row.get("raised_at"))?;
    let category =
        code(place, "category", row.get("category"), &cat.complaint_categories, "complaint category")?
            .ok_or_else(|| {
                place.err("category", format!("is empty (accepted: {})", accepted(&cat.complaint_categories)))
            })?;
    let status = complaint_status(row.get("status")).ok_or_else(|| {
        place.err(
            "status",
            format!("'{}' is not a status (accepted: open/미해결, resolved/해결)", row.get("status")),
        )
    })?;
    let resolved_at = match row.get("resolved_at") {
        "" => None,
        r => Some(ts(parse_datetime(r).map_err(|e| place.err("resolved_at", e))?)),
    };
    Ok(Ready::Complaint {
        patient_id,
        raised_at,
        category,
        description: row.get("description").to_string(),
        status,
        resolved_at,
        resolution: row.get("resolution").to_string(),
    })
}

/// A payment from the EMR's takings file: a known chart, the moment, the amount (negative
/// for a refund, with the note as its reason), the category by code or label, the treatment
/// and provider when given.
fn prepare_payment(
    conn: &Connection,
    cat: &Catalog,
    place: &Place<'_>,
    row: &Row,
    _: &mut InFile,
) -> Result<Ready> {
    use crate::domain::payments::PaymentCategory;
    let patient_id = existing_patient(conn, place, "chart_no", row.get("chart_no"), false)?;
    let paid_at = required_datetime(place, "paid_at", row.get("paid_at"))?;
    let amount = match crate::domain::parse::parse_amount(
        row.get("amount_krw"),
        crate::domain::parse::Sign::AllowNegative,
    ) {
        Ok(0) => return Err(place.err("amount_krw", "is 0 (a payment of 0 won records nothing)")),
        Ok(v) => v,
        Err(e) => return Err(place.err("amount_krw", e)),
    };
    let note = row.get("note").to_string();
    if amount < 0 && crate::domain::text::clean(&note).is_empty() {
        return Err(
            place.err("note", "is empty: a negative amount (a refund or correction) needs its reason here")
        );
    }
    let category = PaymentCategory::parse_loose(row.get("category")).ok_or_else(|| {
        place.err(
            "category",
            format!(
                "'{}' is not a payment category (accepted: {})",
                row.get("category"),
                PaymentCategory::accepted()
            ),
        )
    })?;
    let treatment = code(place, "treatment", row.get("treatment"), &codes_of_treatments(cat), "treatment")?;
    let provider_id = provider(place, cat, row.get("provider"))?;
    let mut p = crate::store::payments::NewPayment::new(patient_id, paid_at, amount, category);
    p.treatment_code = treatment;
    p.provider_id = provider_id;
    if amount < 0 {
        p.reason = note.clone();
    }
    p.note = note;
    Ok(Ready::Payment(p))
}

/// A package sold, from the EMR: a known chart, the day, the treatment (code or label), the
/// sessions (1 to 200), the price, who sold it. It records no payment: the EMR's payments
/// file carries the money.
fn prepare_package(
    conn: &Connection,
    cat: &Catalog,
    place: &Place<'_>,
    row: &Row,
    _: &mut InFile,
) -> Result<Ready> {
    let patient_id = existing_patient(conn, place, "chart_no", row.get("chart_no"), false)?;
    let sold_on = optional_date(place, "sold_on", row.get("sold_on"))?
        .ok_or_else(|| place.err("sold_on", "is empty (the day the package was sold)"))?;
    let treatment = code(place, "treatment", row.get("treatment"), &codes_of_treatments(cat), "treatment")?
        .ok_or_else(|| place.err("treatment", "is empty (the package's treatment)"))?;
    let sessions = match crate::domain::parse::parse_amount(
        row.get("sessions"),
        crate::domain::parse::Sign::NonNegative,
    ) {
        Ok(n) if crate::domain::rules::SESSIONS.contains(n) => n,
        _ => {
            return Err(place.err(
                "sessions",
                format!(
                    "'{}' is not a number of sessions from 1 to {}",
                    row.get("sessions"),
                    crate::domain::payments::MAX_PACKAGE_SESSIONS
                ),
            ));
        }
    };
    let price_krw = if row.get("price_krw").is_empty() {
        0
    } else {
        crate::domain::parse::parse_amount(row.get("price_krw"), crate::domain::parse::Sign::NonNegative)
            .map_err(|e| place.err("price_krw", e))?
    };
    let provider_id = provider(place, cat, row.get("provider"))?;
    Ok(Ready::Package(crate::store::packages::NewPackage {
        patient_id,
        treatment_code: treatment,
        sessions,
        price_krw,
        purchased_on: sold_on,
        provider_id,
        note: row.get("note").to_string(),
        payment_id: None,
    }))
}

/// Checks every row against the database as `conn` sees it, writing nothing.
/// Checks every row; rows the database already holds are left out and counted.
fn prepare_rows(
    conn: &Connection,
    kind: CsvKind,
    file: &str,
    rows: &[Row],
    today: chrono::NaiveDate,
) -> Result<(Vec<Ready>, usize)> {
    let cat = Catalog::load(conn)?;
    let mut seen = InFile::default();
    let f = match kind {
        CsvKind::Patients => prepare_patient,
        CsvKind::Appointments => prepare_appointment,
        CsvKind::Inquiries => prepare_inquiry,
        CsvKind::Consultations => prepare_consultation,
        CsvKind::Complaints => prepare_complaint,
        CsvKind::Payments => prepare_payment,
        CsvKind::Packages => prepare_package,
    };
    let mut ready = Vec::with_capacity(rows.len());
    let mut skipped = 0;
    let total = rows.len() as u64;
    for (i, row) in rows.iter().enumerate() {
        if i.is_multiple_of(1024) {
            super::bulk::report_progress("checking", i as u64, total);
        }
        if already_in_database(conn, &cat, kind, row)? {
            skipped += 1;
            continue;
        }
        ready.push(f(conn, &cat, &Place { file, line: row.line, today }, row, &mut seen)?);
    }
    Ok((ready, skipped))
}

/// Inserts one prepared row (statements cached: an import holds the lock only this long).
fn insert_ready(tx: &Tx<'_>, ready: &Ready, written: &mut InFile, now: NaiveDateTime) -> Result<()> {
    match ready {
        Ready::Patient { patient, referrer_in_file, tags, note, first_visit } => {
            let mut p = patient.clone();
            if let Some(chart) = referrer_in_file {
                p.referrer_id = written.charts.get(chart).copied();
            }
            let id = insert_patient(tx, &p)?;
            written.charts.insert(p.chart_no.clone(), id);
            for tag in tags {
                tx.prepare_cached(
                    "INSERT INTO patient_tags (patient_id, tag, tagged_at) VALUES (?1, ?2, ?3)",
                )?
                .execute(params![id, tag.code(), ts(now)])?;
                tx.audit(&Entry::new("import", "tag").patient(id).detail(tag.code()))?;
            }
            if !note.is_empty() {
                tx.prepare_cached(
                    "INSERT INTO notes (patient_id, body, author, created_at) VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(params![id, note, tx.actor().staff, ts(now)])?;
                let note_id = tx.last_insert_rowid();
                tx.audit(&Entry::new("import", "note").id(note_id).patient(id))?;
            }
            if let Some(day) = first_visit {
                // History from another system: the first visit, done, on that day.
                let start = ts(day.and_hms_opt(9, 0, 0).expect("valid time"));
                tx.prepare_cached(
                    "INSERT INTO appointments (patient_id, start, duration_min, status, booked_at, updated_at)
                     VALUES (?1, ?2, 30, 'done', ?2, ?3)",
                )?
                .execute(params![id, start, ts(now)])?;
                let appt = tx.last_insert_rowid();
                tx.audit(&Entry::new("import", "appointment").id(appt).patient(id).detail("first visit"))?;
            }
        }
        Ready::Appointment { patient_id, start, duration, provider_id, treatment, status, booked_at } => {
            tx.prepare_cached(
                "INSERT INTO appointments (patient_id, start, duration_min, provider_id, treatment_code, status, booked_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                patient_id,
                ts(*start),
                duration,
                provider_id,
                treatment,
                status.code(),
                ts(*booked_at),
                ts(now)
            ])?;
            let id = tx.last_insert_rowid();
            tx.audit(&Entry::new("import", "appointment").id(id).patient(*patient_id))?;
        }
        Ready::Inquiry {
            received_at,
            caller_name,
            phone,
            phone_digits,
            patient_id,
            topic,
            questions,
            source,
            channel,
            referrer_id,
            outcome,
            note,
        } => {
            tx.prepare_cached(
                "INSERT INTO inquiries (received_at, caller_name, phone, phone_digits, patient_id, topic_code, questions,
                                        referral_source, referral_channel, referrer_id, outcome, note, taken_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )?
            .execute(params![
                ts(*received_at),
                caller_name,
                phone,
                phone_digits,
                patient_id,
                topic,
                questions,
                source,
                channel,
                referrer_id,
                outcome.code(),
                note,
                tx.actor().staff
            ])?;
            let id = tx.last_insert_rowid();
            let mut entry = Entry::new("import", "inquiry").id(id);
            if let Some(p) = patient_id {
                entry = entry.patient(*p);
            }
            tx.audit(&entry)?;
        }
        Ready::Consultation {
            patient,
            consulted_at,
            treatment,
            quoted,
            offered,
            status,
            recall_on,
            note,
            reaction,
        } => {
            let patient_id = match patient {
                PatientRef::Id(id) => *id,
                PatientRef::New(p) => {
                    let id = insert_patient(tx, p)?;
                    let digits =
                        crate::domain::phone::Phone::parse(&p.phone).map(|p| p.digits).unwrap_or_default();
                    if !digits.is_empty() {
                        written.phones.insert(digits, id);
                    }
                    id
                }
                PatientRef::EarlierInFile(digits) => *written.phones.get(digits).ok_or_else(|| {
                    StoreError::Invalid(format!("the person with phone {digits} was not registered"))
                })?,
            };
            let decided_at = (*status != ConsultationStatus::Undecided).then(|| ts(*consulted_at));
            tx.prepare_cached(
                "INSERT INTO consultations (patient_id, consulted_at, treatment_code, quoted_krw, offered_krw, status, decided_at,
                                            recall_on, circumstances, reaction)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?
            .execute(params![
                patient_id,
                ts(*consulted_at),
                treatment,
                quoted,
                offered,
                status.code(),
                decided_at,
                recall_on.map(|d| d.format(DATE_FORMAT).to_string()),
                note,
                reaction
            ])?;
            let id = tx.last_insert_rowid();
            tx.audit(&Entry::new("import", "consultation").id(id).patient(patient_id))?;
            if let (Some(due), ConsultationStatus::Undecided) = (recall_on, status) {
                let mut c = NewCallback::new(patient_id, CallbackKind::Prospect, *due);
                c.consultation_id = Some(id);
                open_callback(tx, &c)?;
            }
        }
        Ready::Complaint {
            patient_id,
            raised_at,
            category,
            description,
            status,
            resolved_at,
            resolution,
        } => {
            tx.prepare_cached(
                "INSERT INTO complaints (patient_id, raised_at, category_code, description, status, resolved_at, resolution)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![patient_id, ts(*raised_at), category, description, status, resolved_at, resolution])?;
            let id = tx.last_insert_rowid();
            tx.audit(&Entry::new("import", "complaint").id(id).patient(*patient_id))?;
        }
        Ready::Payment(p) => {
            crate::store::payments::insert_payment(tx, p)?;
        }
        Ready::Package(p) => {
            crate::store::packages::insert_package(tx, p)?;
        }
    }
    Ok(())
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Imported {
    /// Rows written.
    pub written: usize,
    /// Rows skipped because the database already holds them ([`already_in_database`]).
    pub skipped: usize,
}

/// True when the database already holds the record this row describes: the same person at
/// the same time for the same kind of record. Importing a file twice then adds nothing.
/// A row whose cells do not parse is not "already there" (its import names the error).
/// Patients: the same chart number (canonical form) under the same name, or the same name
/// and phone; appointments: the same patient and start; inquiries: the same time and phone
/// (the caller's name when there is no phone); consultations: the same patient and time;
/// complaints: the same patient, time and category.
fn already_in_database(conn: &Connection, cat: &Catalog, kind: CsvKind, row: &Row) -> Result<bool> {
    use crate::domain::text::{chart_key, clean_line};
    let exists = |sql: &str, args: &[&dyn rusqlite::ToSql]| -> Result<bool> {
        Ok(conn.query_row(&format!("SELECT EXISTS ({sql})"), args, |r| r.get(0))?)
    };
    let patient = |chart: &str| -> Result<Option<i64>> {
        if chart.is_empty() { Ok(None) } else { Ok(patient_by_chart_no(conn, chart)?.map(|p| p.id)) }
    };
    let digits = |phone: &str| Phone::parse(phone).map(|p| p.digits).ok();
    let time = |v: &str| parse_datetime(v).ok().map(ts);
    match kind {
        CsvKind::Patients => {
            let name = clean_line(row.get("name"));
            if name.is_empty() {
                return Ok(false);
            }
            let chart = row.get("chart_no");
            if !chart.is_empty()
                && exists(
                    "SELECT 1 FROM patients WHERE chart_key = ?1 AND name = ?2",
                    &[&chart_key(chart), &name],
                )?
            {
                return Ok(true);
            }
            match digits(row.get("phone")) {
                Some(d) => {
                    exists("SELECT 1 FROM patients WHERE phone_digits = ?1 AND name = ?2", &[&d, &name])
                }
                None => Ok(false),
            }
        }
        CsvKind::Appointments => match (patient(row.get("chart_no"))?, time(row.get("start"))) {
            (Some(p), Some(start)) => {
                exists("SELECT 1 FROM appointments WHERE patient_id = ?1 AND start = ?2", &[&p, &start])
            }
            _ => Ok(false),
        },
        CsvKind::Inquiries => {
            let Some(at) = time(row.get("received_at")) else { return Ok(false) };
            match digits(row.get("phone")) {
                Some(d) => {
                    exists("SELECT 1 FROM inquiries WHERE received_at = ?1 AND phone_digits = ?2", &[&at, &d])
                }
                None if row.get("phone").is_empty() => exists(
                    "SELECT 1 FROM inquiries WHERE received_at = ?1 AND phone_digits = '' AND caller_name = ?2",
                    &[&at, &clean_line(row.get("caller_name"))],
                ),
                None => Ok(false),
            }
        }
        CsvKind::Consultations => {
            let Some(at) = time(row.get("consulted_at")) else { return Ok(false) };
            let who = if !row.get("chart_no").is_empty() {
                patient(row.get("chart_no"))?
            } else {
                match digits(row.get("phone")) {
                    Some(d) => patient_by_phone(conn, &d)?.map(|p| p.id),
                    None => None,
                }
            };
            match who {
                Some(p) => exists(
                    "SELECT 1 FROM consultations WHERE patient_id = ?1 AND consulted_at = ?2",
                    &[&p, &at],
                ),
                None => Ok(false),
            }
        }
        CsvKind::Complaints => {
            let category = cat.complaint_categories.iter().find(|c| c.matches(row.get("category")));
            match (patient(row.get("chart_no"))?, time(row.get("raised_at")), category) {
                (Some(p), Some(at), Some(c)) => exists(
                    "SELECT 1 FROM complaints WHERE patient_id = ?1 AND raised_at = ?2 AND category_code = ?3",
                    &[&p, &at, &c.code],
                ),
                _ => Ok(false),
            }
        }
        CsvKind::Payments => {
            let amount = crate::domain::parse::parse_amount(
                row.get("amount_krw"),
                crate::domain::parse::Sign::AllowNegative,
            )
            .ok();
            let category = crate::domain::payments::PaymentCategory::parse_loose(row.get("category"));
            match (patient(row.get("chart_no"))?, parse_datetime(row.get("paid_at")).ok(), amount, category) {
                (Some(p), Some(at), Some(a), Some(c)) => {
                    crate::store::payments::exists(conn, p, at, a, c.code())
                }
                _ => Ok(false),
            }
        }
        CsvKind::Packages => {
            let treatment = cat.treatments.iter().find(|t| t.code.matches(row.get("treatment")));
            match (patient(row.get("chart_no"))?, parse_date(row.get("sold_on")).ok(), treatment) {
                (Some(p), Some(on), Some(t)) => exists(
                    "SELECT 1 FROM packages WHERE patient_id = ?1 AND purchased_on = ?2 AND treatment_code = ?3",
                    &[&p, &on.to_string(), &t.code.code],
                ),
                _ => Ok(false),
            }
        }
    }
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
    super::bulk::end_bulk_settings(store.conn(), settings)?;
    result
}

/// A large page cache while an import writes: the patients' indexes take random keys (name,
/// phone), and with the default 2 MB cache their pages would be written out to the WAL again
/// and again inside the lock. Per connection, put back afterwards.
fn import_cache(store: &Store) -> Result<super::bulk::BulkSettings> {
    super::bulk::begin_bulk_settings(store.conn(), 256 * 1024)
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
        super::audit::drop_change_triggers(tx)?;
    }
    let changes_before = tx.total_changes();
    let mut written = InFile::default();
    let total = ready.len() as u64;
    for (i, r) in ready.iter().enumerate() {
        if i.is_multiple_of(1024) {
            super::bulk::report_progress("writing", i as u64, total);
        }
        insert_ready(tx, r, &mut written, now)?;
    }
    let mut detail = format!("{} rows from {file}", ready.len());
    if skipped > 0 {
        detail.push_str(&format!(", {skipped} skipped (already in the database)"));
    }
    tx.audit(&Entry::new("import", kind.code()).detail(detail))?;
    if count_itself {
        super::audit::add_changes(tx, tx.total_changes() - changes_before)?;
        super::audit::install_change_triggers(tx)?;
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
    if dry_run && store.access == super::Access::ReadOnly {
        return Err(StoreError::ReadOnly);
    }
    let rows = read_rows(kind, file, text)?;
    import_rows(store, kind, file, rows, dry_run, now)
}

/// A sheet read from a spreadsheet: the header row's cells and the data rows, each with its
/// row number as the spreadsheet shows it.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub header: Vec<String>,
    pub records: Vec<(u64, Vec<String>)>,
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
    if dry_run && store.access == super::Access::ReadOnly {
        return Err(StoreError::ReadOnly);
    }
    let rows = rows_of_table(kind, file, &table.header, table.records)?;
    import_rows(store, kind, file, rows, dry_run, now)
}

/// What is wrong with a sheet as a whole (its header), if anything (see [`file_problem`]).
pub fn table_problem(kind: CsvKind, file: &str, table: &Table) -> Option<StoreError> {
    check_header(kind, file, &table.header).err()
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
        let key = store.audit_key.as_ref().ok_or_else(super::audit_key_missing)?;
        let result = store.begin_immediate().and_then(|tx| {
            let w = Tx { tx, actor: &store.actor, key, now: clock_now };
            let n = write_rows(&w, prepared, now)?;
            w.tx.rollback()?;
            Ok(n)
        });
        super::bulk::end_bulk_settings(store.conn(), settings)?;
        return result;
    }
    write_prepared(store, prepared, now)
}

/// A date range for export; either end may be open. `to_exclusive` is a date text.
#[derive(Debug, Clone, Default)]
pub struct ExportRange {
    pub from: Option<String>,
    pub to_exclusive: Option<String>,
}

fn range_clause(column: &str) -> String {
    format!("(?1 IS NULL OR {column} >= ?1) AND (?2 IS NULL OR {column} < ?2)")
}

fn date_part(s: Option<String>) -> String {
    s.map(|t| t.chars().take(10).collect()).unwrap_or_default()
}

fn time_text(s: Option<String>) -> String {
    // Stored `2026-11-23T09:30:00` is written `2026-11-23 09:30:00`, as Excel reads it.
    s.map(|t| t.replacen('T', " ", 1)).unwrap_or_default()
}

fn query_rows(
    conn: &Connection,
    sql: &str,
    range: &ExportRange,
    width: usize,
) -> Result<Vec<Vec<Option<String>>>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt
        .query_map(params![range.from, range.to_exclusive], |r| {
            (0..width)
                .map(|i| r.get::<_, Option<rusqlite::types::Value>>(i))
                .collect::<rusqlite::Result<Vec<_>>>()
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .map(|cells| {
            cells
                .into_iter()
                .map(|v| match v {
                    None | Some(rusqlite::types::Value::Null) => None,
                    Some(rusqlite::types::Value::Integer(i)) => Some(i.to_string()),
                    Some(rusqlite::types::Value::Real(f)) => Some(f.to_string()),
                    Some(rusqlite::types::Value::Text(t)) => Some(t),
                    Some(rusqlite::types::Value::Blob(_)) => None,
                })
                .collect()
        })
        .collect())
}

/// The rows of an export (header first), masked when asked; writes an audit row.
pub fn export(store: &mut Store, kind: CsvKind, range: &ExportRange, mask: bool) -> Result<Vec<Vec<String>>> {
    let conn = store.conn();
    let mut out: Vec<Vec<String>> = vec![kind.header().iter().map(|s| s.to_string()).collect()];
    let name = |s: String| if mask { mask_name(&s) } else { s };
    let phone = |s: String| if mask && !s.is_empty() { mask_phone(&s) } else { s };
    // Free text (notes, descriptions, reactions): the phones and names inside it, too.
    let names = if mask { super::names::masking_names(conn)? } else { Default::default() };
    let free = |s: Option<String>| {
        let s = s.unwrap_or_default();
        if mask { crate::domain::mask::mask_text(&s, &names) } else { s }
    };
    match kind {
        CsvKind::Patients => {
            let sql = format!(
                "SELECT p.chart_no, p.name, p.phone, p.birth_date, p.sex,
                        p.first_visit_on,
                        p.referral_source, r.chart_no,
                        (SELECT group_concat(tag, ';') FROM (SELECT tag FROM patient_tags t WHERE t.patient_id = p.id ORDER BY tag)),
                        (SELECT group_concat(body, ' / ') FROM (SELECT body FROM notes n WHERE n.patient_id = p.id ORDER BY n.created_at, n.id))
                 FROM patients p LEFT JOIN patients r ON r.id = p.referrer_id
                 WHERE {} ORDER BY p.id",
                range_clause("p.created_at")
            );
            for r in query_rows(conn, &sql, range, 10)? {
                let mut it = r.into_iter();
                let mut next = || it.next().flatten();
                let row = vec![
                    next().unwrap_or_default(),
                    name(next().unwrap_or_default()),
                    phone(next().unwrap_or_default()),
                    next().unwrap_or_default(),
                    next().unwrap_or_default(),
                    date_part(next()),
                    next().unwrap_or_default(),
                    next().unwrap_or_default(),
                    next().unwrap_or_default(),
                    free(next()),
                ];
                out.push(row);
            }
        }
        CsvKind::Appointments => {
            let sql = format!(
                "SELECT p.chart_no, a.start, a.duration_min, s.name, a.treatment_code, a.status, a.booked_at
                 FROM appointments a JOIN patients p ON p.id = a.patient_id LEFT JOIN staff s ON s.id = a.provider_id
                 WHERE {} ORDER BY a.start, a.id",
                range_clause("a.start")
            );
            for r in query_rows(conn, &sql, range, 7)? {
                let mut it = r.into_iter();
                let mut next = || it.next().flatten();
                out.push(vec![
                    next().unwrap_or_default(),
                    time_text(next()),
                    next().unwrap_or_default(),
                    next().unwrap_or_default(),
                    next().unwrap_or_default(),
                    next().unwrap_or_default(),
                    time_text(next()),
                ]);
            }
        }
        CsvKind::Inquiries => {
            let sql = format!(
                "SELECT i.received_at, i.caller_name, i.phone, i.referral_channel, i.topic_code, i.questions,
                        i.referral_source, r.chart_no, i.outcome, i.note
                 FROM inquiries i LEFT JOIN patients r ON r.id = i.referrer_id
                 WHERE {} ORDER BY i.received_at, i.id",
                range_clause("i.received_at")
            );
            for r in query_rows(conn, &sql, range, 10)? {
                let mut it = r.into_iter();
                let mut next = || it.next().flatten();
                out.push(vec![
                    time_text(next()),
                    name(next().unwrap_or_default()),
                    phone(next().unwrap_or_default()),
                    next().unwrap_or_default(),
                    next().unwrap_or_default(),
                    next().unwrap_or_default().replace(',', ";"),
                    next().unwrap_or_default(),
                    next().unwrap_or_default(),
                    next().unwrap_or_default(),
                    free(next()),
                ]);
            }
        }
        CsvKind::Consultations => {
            let sql = format!(
                "SELECT p.chart_no, p.name, p.phone, c.consulted_at, c.treatment_code, c.quoted_krw, c.offered_krw,
                        c.status, c.recall_on, c.reaction, c.circumstances
                 FROM consultations c JOIN patients p ON p.id = c.patient_id
                 WHERE {} ORDER BY c.consulted_at, c.id",
                range_clause("c.consulted_at")
            );
            for r in query_rows(conn, &sql, range, 11)? {
                let mut it = r.into_iter();
                let mut next = || it.next().flatten();
                out.push(vec![
                    next().unwrap_or_default(),
                    name(next().unwrap_or_default()),
                    phone(next().unwrap_or_default()),
                    time_text(next()),
                    next().unwrap_or_default(),
                    next().unwrap_or_default(),
                    next().unwrap_or_default(),
                    next().unwrap_or_default(),
                    next().unwrap_or_default(),
                    free(next()),
                    free(next()),
                ]);
            }
        }
        CsvKind::Complaints => {
            let sql = format!(
                "SELECT p.chart_no, c.raised_at, c.category_code, c.description, c.status, c.resolved_at, c.resolution
                 FROM complaints c JOIN patients p ON p.id = c.patient_id
                 WHERE {} ORDER BY c.raised_at, c.id",
                range_clause("c.raised_at")
            );
            for r in query_rows(conn, &sql, range, 7)? {
                let mut it = r.into_iter();
                let mut next = || it.next().flatten();
                out.push(vec![
                    next().unwrap_or_default(),
                    time_text(next()),
                    next().unwrap_or_default(),
                    free(next()),
                    next().unwrap_or_default(),
                    time_text(next()),
                    free(next()),
                ]);
            }
        }
        CsvKind::Payments => {
            let sql = format!(
                "SELECT p.chart_no, y.paid_at, y.amount_krw, y.category, y.treatment_code, s.name,
                        CASE WHEN y.reason <> '' AND y.reason <> y.note
                             THEN trim(y.reason || ' ' || y.note) ELSE y.note END
                 FROM payments y JOIN patients p ON p.id = y.patient_id LEFT JOIN staff s ON s.id = y.provider_id
                 WHERE {} ORDER BY y.paid_at, y.id",
                range_clause("y.paid_at")
            );
            for r in query_rows(conn, &sql, range, 7)? {
                let mut it = r.into_iter();
                let mut next = || it.next().flatten();
                out.push(vec![
                    next().unwrap_or_default(),
                    time_text(next()),
                    next().unwrap_or_default(),
                    next().unwrap_or_default(),
                    next().unwrap_or_default(),
                    next().unwrap_or_default(),
                    free(next()),
                ]);
            }
        }
        CsvKind::Packages => {
            let sql = format!(
                "SELECT p.chart_no, k.purchased_on, k.treatment_code, k.sessions, k.price_krw, s.name, k.note
                 FROM packages k JOIN patients p ON p.id = k.patient_id LEFT JOIN staff s ON s.id = k.provider_id
                 WHERE {} ORDER BY k.purchased_on, k.id",
                range_clause("k.purchased_on")
            );
            for r in query_rows(conn, &sql, range, 7)? {
                let mut it = r.into_iter();
                let mut next = || it.next().flatten();
                let mut row: Vec<String> = (0..6).map(|_| next().unwrap_or_default()).collect();
                row.push(free(next()));
                out.push(row);
            }
        }
    }
    let rows = out.len() - 1;
    let detail = format!("{rows} rows{}", if mask { ", masked" } else { "" });
    store.write(|tx| tx.audit(&Entry::new("export", kind.code()).detail(detail)))?;
    Ok(out)
}
