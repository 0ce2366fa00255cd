//! Spreadsheets in and out without surprises (issue 22): line numbers in import errors for
//! every encoding and line end, a BOM on every CSV frontdesk writes, round trips that add
//! nothing, .xlsx in and out, and files made the way LibreOffice writes them.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::cli::{err, out, run};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// A set-up clinic (staff, treatments, sources) with two synthetic patients.
fn clinic(dir: &Path) -> PathBuf {
    let db = dir.join("clinic.db");
    drop(common::open_set_up(&db));
    std::fs::write(
        dir.join("seed.csv"),
        "chart_no,name,phone,birth_date,sex,first_visit,referral_source,referrer_chart_no,tags,note\n\
         000001,가상환자일,010-3000-0001,1980-01-02,F,2025-03-04,referral,,referrer,첫 메모\n\
         000002,가상환자이,010-3000-0002,,M,,,000001,,\n",
    )
    .unwrap();
    let o = run(dir, &["--db", "clinic.db", "import", "patients", "seed.csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    db
}

/// The bytes of `text` with the given line end, BOM and encoding.
fn encode(text: &str, crlf: bool, bom: bool, cp949: bool) -> Vec<u8> {
    let text = if crlf { text.replace('\n', "\r\n") } else { text.to_string() };
    let mut bytes = if bom { vec![0xEF, 0xBB, 0xBF] } else { Vec::new() };
    if cp949 {
        let (b, _, bad) = encoding_rs::EUC_KR.encode(&text);
        assert!(!bad);
        bytes.extend_from_slice(&b);
    } else {
        bytes.extend_from_slice(text.as_bytes());
    }
    bytes
}

#[test]
fn import_errors_name_the_line_for_lf_crlf_bom_and_cp949_files() {
    let dir = tempfile::tempdir().unwrap();
    clinic(dir.path());
    // Line 3 is bad; in the second file a quoted cell over two lines pushes it to line 4.
    let plain = "chart_no,start,duration_min,provider,treatment,status,booked_at\n\
                 000001,2026-12-01 10:00,30,,,,\n\
                 000002,2026-12-01 25:00,30,,,,\n";
    let multi = "chart_no,raised_at,category,description,status,resolved_at,resolution\n\
                 000001,2026-11-01 10:00,wait_time,\"대기 시간이\n길었음\",,,\n\
                 000002,2026-13-01 10:00,wait_time,불친절,,,\n";
    for (kind, text, line, column) in
        [("appointments", plain, 3, "start"), ("complaints", multi, 4, "raised_at")]
    {
        for (crlf, bom, cp949, what) in [
            (false, false, false, "LF"),
            (true, false, false, "CRLF"),
            (true, true, false, "BOM CRLF"),
            (false, true, false, "BOM LF"),
            (true, false, true, "CP949 CRLF"),
            (false, false, true, "CP949 LF"),
        ] {
            let file = dir.path().join("in.csv");
            std::fs::write(&file, encode(text, crlf, bom, cp949)).unwrap();
            let o = run(dir.path(), &["--db", "clinic.db", "import", kind, "in.csv"]);
            assert_eq!(o.status.code(), Some(1), "{kind} {what}: {}", err(&o));
            let expected = format!("in.csv line {line}, column {column}");
            assert!(err(&o).contains(&expected), "{kind} {what}: expected {expected:?} in {}", err(&o));
        }
    }
}

#[test]
fn a_row_with_too_few_fields_is_named_by_its_line_in_a_crlf_file() {
    let dir = tempfile::tempdir().unwrap();
    clinic(dir.path());
    let text = "chart_no,start,duration_min,provider,treatment,status,booked_at\r\n\
                000001,2026-12-01 10:00,30,,,,\r\n\
                000002,2026-12-01 11:00\r\n";
    std::fs::write(dir.path().join("short.csv"), text).unwrap();
    let o = run(dir.path(), &["--db", "clinic.db", "import", "appointments", "short.csv"]);
    assert!(err(&o).contains("short.csv line 3: expected 7 fields, found 2"), "{}", err(&o));
}

#[test]
fn imports_read_korean_amounts_dates_and_times_and_refuse_nonsense() {
    let dir = tempfile::tempdir().unwrap();
    let db = clinic(dir.path());
    let text = "chart_no,name,phone,consulted_at,treatment,quoted_krw,offered_krw,status,recall_on,reaction,note\n\
                000001,,,2025. 6. 2. 오후 5:20,,\"₩4,900,000\",3천만원,,2025/06/09,,\n\
                000002,,,2025-06-02 오후 5:20:00,,?4900000,1억 2천만,,2025. 6. 9.,,\n";
    // The second row's `?` is the won sign as a CP949 file keeps it (₩ is not in CP949).
    std::fs::write(dir.path().join("c.csv"), encode(text, true, true, false)).unwrap();
    let o = run(dir.path(), &["--db", "clinic.db", "import", "consultations", "c.csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let c = rusqlite::Connection::open(&db).unwrap();
    let rows: Vec<(String, i64, i64, String)> = c
        .prepare("SELECT consulted_at, quoted_krw, offered_krw, recall_on FROM consultations ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        rows,
        [
            ("2025-06-02T17:20:00".to_string(), 4_900_000, 30_000_000, "2025-06-09".to_string()),
            ("2025-06-02T17:20:00".to_string(), 4_900_000, 120_000_000, "2025-06-09".to_string()),
        ]
    );
    drop(c);

    let refused = [
        (
            "consultations",
            "000001,,,2025-07-01 10:00,,\"1,2,3\",,,,,",
            "column quoted_krw",
            "accepted: 4,900,000",
        ),
        (
            "consultations",
            "000001,,,2025-07-01 10:00,,1억-99999999,,,,,",
            "column quoted_krw",
            "not an amount",
        ),
        ("consultations", "000001,,,2025-07-01 10:00:60,,,,,,,", "column consulted_at", "not a real time"),
        ("patients", "000009,가상환자구,,9999-12-31,,,,,,", "column birth_date", "out of range"),
        ("patients", "000009,가상환자구,,2026-12-25,,,,,,", "column birth_date", "in the future"),
        ("patients", "000009,가상환자구,,1899-01-01,,,,,,", "column birth_date", "out of range"),
    ];
    for (kind, row, column, why) in refused {
        let header = if kind == "patients" {
            "chart_no,name,phone,birth_date,sex,first_visit,referral_source,referrer_chart_no,tags,note"
        } else {
            "chart_no,name,phone,consulted_at,treatment,quoted_krw,offered_krw,status,recall_on,reaction,note"
        };
        std::fs::write(dir.path().join("bad.csv"), format!("{header}\r\n{row}\r\n")).unwrap();
        let o = run(dir.path(), &["--db", "clinic.db", "import", kind, "bad.csv"]);
        assert_eq!(o.status.code(), Some(1), "{row}: {}", err(&o));
        assert!(err(&o).contains(&format!("bad.csv line 2, {column}")), "{row}: {}", err(&o));
        assert!(err(&o).contains(why), "{row}: expected {why:?} in {}", err(&o));
    }
}

#[test]
fn every_csv_frontdesk_writes_has_a_bom_unless_no_bom() {
    let dir = tempfile::tempdir().unwrap();
    clinic(dir.path());
    let db = ["--db", "clinic.db"];
    let csv_commands: &[&[&str]] = &[
        &["export", "patients"],
        &["export", "audit"],
        &["report", "referrals", "--format", "csv"],
        &["report", "funnel", "--format", "csv"],
        &["report", "daily", "--format", "csv"],
        &["okr", "status", "--format", "csv"],
    ];
    for (i, cmd) in csv_commands.iter().enumerate() {
        // Into a pipe (standard output here) and into a file.
        let mut args = db.to_vec();
        args.extend_from_slice(cmd);
        let o = run(dir.path(), &args);
        assert_eq!(o.status.code(), Some(0), "{cmd:?}: {}", err(&o));
        assert!(o.stdout.starts_with(b"\xEF\xBB\xBF"), "{cmd:?}: {:?}", out(&o));
        assert!(!o.stdout[3..].starts_with(b"\xEF\xBB\xBF"), "{cmd:?}: one BOM");
        args.push("--no-bom");
        let o = run(dir.path(), &args);
        assert_eq!(o.status.code(), Some(0), "{cmd:?} --no-bom: {}", err(&o));
        assert!(!o.stdout.starts_with(b"\xEF\xBB\xBF"), "{cmd:?} --no-bom");
        assert!(!o.stdout.is_empty());
        if cmd[0] != "okr" {
            let file = format!("out{i}.csv");
            let mut args = db.to_vec();
            args.extend_from_slice(cmd);
            args.extend_from_slice(&["--out", &file]);
            let o = run(dir.path(), &args);
            assert_eq!(o.status.code(), Some(0), "{cmd:?} --out: {}", err(&o));
            assert!(std::fs::read(dir.path().join(&file)).unwrap().starts_with(b"\xEF\xBB\xBF"), "{cmd:?}");
        }
    }
    // Tables and JSON are not CSV: no BOM.
    for cmd in [&["report", "funnel"][..], &["report", "funnel", "--format", "json"], &["okr", "status"]] {
        let mut args = db.to_vec();
        args.extend_from_slice(cmd);
        let o = run(dir.path(), &args);
        assert!(!o.stdout.starts_with(b"\xEF\xBB\xBF"), "{cmd:?}");
    }
}

/// A clinic with a record of every kind, imported through the binary.
fn full_clinic(dir: &Path) -> PathBuf {
    let db = clinic(dir);
    let files = [
        (
            "appointments",
            "chart_no,start,duration_min,provider,treatment,status,booked_at\n\
             000001,2026-11-20 10:00,30,,,done,2026-11-01 09:00\n\
             000002,2026-11-24 14:30,60,,,,\n",
        ),
        (
            "inquiries",
            "received_at,caller_name,phone,channel,topic,questions,referral_source,referrer_chart_no,outcome,note\n\
             2026-11-20 11:00,가상문의,010-4000-0001,,,price;method,,000001,info,주차 문의\n\
             2026-11-21 12:00,가상전화,,,,,,,,\n",
        ),
        (
            "consultations",
            "chart_no,name,phone,consulted_at,treatment,quoted_krw,offered_krw,status,recall_on,reaction,note\n\
             000001,,,2026-11-20 10:30,,\"4,900,000\",4500000,undecided,2026-12-01,고민,\n\
             ,가상상담,010-4000-0002,2026-11-21 15:00,,1000000,,accepted,,,\n",
        ),
        (
            "complaints",
            "chart_no,raised_at,category,description,status,resolved_at,resolution\n\
             000002,2026-11-21 16:00,wait_time,\"오래 기다림, 30분\",resolved,2026-11-22 10:00,사과 전화\n",
        ),
    ];
    for (kind, text) in files {
        std::fs::write(dir.join("seed.csv"), text).unwrap();
        let o = run(dir, &["--db", "clinic.db", "import", kind, "seed.csv"]);
        assert_eq!(o.status.code(), Some(0), "{kind}: {}", err(&o));
    }
    db
}

const KINDS: [&str; 5] = ["patients", "appointments", "inquiries", "consultations", "complaints"];

/// Leading zeros gone from every cell that is only digits, as a spreadsheet shows `000001`.
fn as_a_spreadsheet_keeps_it(csv: &[u8]) -> Vec<u8> {
    let text = String::from_utf8(csv.to_vec()).unwrap();
    let mut out = String::new();
    for line in text.split_inclusive("\r\n") {
        let cells: Vec<String> = line
            .trim_end_matches("\r\n")
            .split(',')
            .map(|c| {
                if !c.is_empty() && c.bytes().all(|b| b.is_ascii_digit()) && c.starts_with('0') {
                    let t = c.trim_start_matches('0');
                    if t.is_empty() { "0".into() } else { t.to_string() }
                } else {
                    c.to_string()
                }
            })
            .collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out.into_bytes()
}

#[test]
fn export_then_import_into_the_same_clinic_adds_and_changes_nothing_even_with_zeros_lost() {
    let dir = tempfile::tempdir().unwrap();
    full_clinic(dir.path());
    for kind in KINDS {
        let o = run(dir.path(), &["--db", "clinic.db", "export", kind]);
        assert_eq!(o.status.code(), Some(0), "{}", err(&o));
        let before = o.stdout;
        assert!(String::from_utf8_lossy(&before).lines().count() >= 2, "{kind}: rows exported");
        for (name, bytes) in [("same.csv", before.clone()), ("zeros.csv", as_a_spreadsheet_keeps_it(&before))]
        {
            std::fs::write(dir.path().join(name), &bytes).unwrap();
            let o = run(dir.path(), &["--db", "clinic.db", "import", kind, name]);
            assert_eq!(o.status.code(), Some(0), "{kind} {name}: {}", err(&o));
            let rows = String::from_utf8_lossy(&before).lines().count() - 1;
            assert!(
                out(&o).contains(&format!("imported 0 {kind} rows, skipped {rows} already in the database")),
                "{kind} {name}: {}",
                out(&o)
            );
        }
        let after = run(dir.path(), &["--db", "clinic.db", "export", kind]).stdout;
        assert_eq!(
            String::from_utf8_lossy(&after),
            String::from_utf8_lossy(&before),
            "{kind}: nothing changed"
        );
    }
}

#[test]
fn chart_number_1_finds_000001() {
    let dir = tempfile::tempdir().unwrap();
    let db = clinic(dir.path());
    std::fs::write(
        dir.path().join("a.csv"),
        "chart_no,start,duration_min,provider,treatment,status,booked_at\r\n1,2026-12-01 10:00,30,,,,\r\n",
    )
    .unwrap();
    let o = run(dir.path(), &["--db", "clinic.db", "import", "appointments", "a.csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let c = rusqlite::Connection::open(&db).unwrap();
    let chart: String = c
        .query_row(
            "SELECT p.chart_no FROM appointments a JOIN patients p ON p.id = a.patient_id WHERE a.start = '2026-12-01T10:00:00'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(chart, "000001");
}

/// The cells of a workbook's sheet, as calamine reads them.
fn sheet_cells(path: &Path, sheet: &str) -> Vec<Vec<calamine::Data>> {
    use calamine::{Reader, Xlsx, open_workbook};
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    wb.worksheet_range(sheet).unwrap().rows().map(|r| r.to_vec()).collect()
}

#[test]
fn xlsx_export_has_korean_headers_text_charts_dates_and_won_and_imports_back_exactly() {
    use calamine::Data;
    let dir = tempfile::tempdir().unwrap();
    full_clinic(dir.path());
    for kind in KINDS {
        let file = format!("{kind}.xlsx");
        let o = run(dir.path(), &["--db", "clinic.db", "export", kind, "--out", &file]);
        assert_eq!(o.status.code(), Some(0), "{kind}: {}", err(&o));
        let cells = sheet_cells(&dir.path().join(&file), kind);
        let header: Vec<String> = cells[0].iter().map(|c| c.to_string()).collect();
        match kind {
            "patients" => {
                assert_eq!(header[0], "차트번호");
                assert_eq!(cells[1][0], Data::String("000001".into()), "chart numbers stay text");
                assert_eq!(cells[1][2], Data::String("010-3000-0001".into()), "phones stay text");
                assert!(matches!(cells[1][3], Data::DateTime(_)), "birth date is a date: {:?}", cells[1][3]);
            }
            "consultations" => {
                assert_eq!(header[5], "견적 금액");
                assert_eq!(cells[1][5], Data::Float(4_900_000.0), "amounts are numbers");
                assert!(matches!(cells[1][3], Data::DateTime(_)), "{:?}", cells[1][3]);
            }
            _ => {}
        }
        // Into the same clinic: nothing added.
        let o = run(dir.path(), &["--db", "clinic.db", "import", kind, &file]);
        assert_eq!(o.status.code(), Some(0), "{kind}: {}", err(&o));
        let rows = cells.len() - 1;
        assert!(out(&o).contains(&format!("imported 0 {kind} rows, skipped {rows}")), "{kind}: {}", out(&o));
    }
    // Into a new clinic with the same settings: the same records, exported again the same.
    let other = dir.path().join("other");
    std::fs::create_dir(&other).unwrap();
    drop(common::open_set_up(&other.join("clinic.db")));
    for kind in KINDS {
        let from = dir.path().join(format!("{kind}.xlsx"));
        let o = run(&other, &["--db", "clinic.db", "import", kind, from.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{kind}: {}", err(&o));
    }
    for kind in ["patients", "appointments", "consultations", "complaints"] {
        let a = run(dir.path(), &["--db", "clinic.db", "export", kind]).stdout;
        let b = run(&other, &["--db", "clinic.db", "export", kind]).stdout;
        assert_eq!(String::from_utf8_lossy(&b), String::from_utf8_lossy(&a), "{kind}");
    }
}

#[test]
fn xlsx_import_names_the_spreadsheet_row_reads_serial_dates_and_picks_the_sheet() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let dir = tempfile::tempdir().unwrap();
    let db = clinic(dir.path());
    let mut wb = Workbook::new();
    let notes = wb.add_worksheet();
    notes.set_name("메모").unwrap();
    notes.write_string(0, 0, "이 시트는 읽지 않습니다").unwrap();
    let ws = wb.add_worksheet();
    ws.set_name("예약").unwrap();
    for (c, h) in ["chart_no", "start", "duration_min", "provider", "treatment", "status", "booked_at"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let f = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    // Chart number typed as a number (1 for 000001), start as a real date-time cell.
    ws.write_number(1, 0, 1.0).unwrap();
    let when = ExcelDateTime::from_ymd(2026, 12, 1).unwrap().and_hms(10, 30, 0).unwrap();
    ws.write_datetime_with_format(1, 1, &when, &f).unwrap();
    ws.write_number(1, 2, 30.0).unwrap();
    ws.write_number(2, 0, 2.0).unwrap();
    ws.write_string(2, 1, "2026. 12. 2. 오후 3:00").unwrap();
    wb.save(dir.path().join("book.xlsx")).unwrap();

    // The first sheet is not an appointments sheet: its header is named as wrong (status 2).
    let o = run(dir.path(), &["--db", "clinic.db", "import", "appointments", "book.xlsx"]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains("wrong header"), "{}", err(&o));
    let o = run(dir.path(), &["--db", "clinic.db", "import", "appointments", "book.xlsx", "--sheet", "없음"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("no sheet named '없음' (sheets: 메모, 예약)"), "{}", err(&o));
    let o = run(dir.path(), &["--db", "clinic.db", "import", "appointments", "book.xlsx", "--sheet", "예약"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let c = rusqlite::Connection::open(&db).unwrap();
    let starts: Vec<String> = c
        .prepare("SELECT start FROM appointments WHERE start >= '2026-12' ORDER BY start")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(starts, ["2026-12-01T10:30:00", "2026-12-02T15:00:00"]);
    drop(c);

    // A bad cell is named by the row the spreadsheet shows (row 3: header, one row, then it).
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in
        ["차트번호", "예약 시각", "소요(분)", "담당", "치료", "상태", "예약한 때"].iter().enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "000001").unwrap();
    ws.write_string(1, 1, "2026-12-03 10:00").unwrap();
    ws.write_string(2, 0, "000002").unwrap();
    ws.write_string(2, 1, "2026-12-03 10:00:60").unwrap();
    wb.save(dir.path().join("bad.xlsx")).unwrap();
    let o = run(dir.path(), &["--db", "clinic.db", "import", "appointments", "bad.xlsx"]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(err(&o).contains("bad.xlsx line 3, column start"), "{}", err(&o));
}

#[test]
fn a_template_has_the_headers_and_a_drop_down_list_per_coded_column() {
    let dir = tempfile::tempdir().unwrap();
    clinic(dir.path());
    for kind in KINDS {
        let o = run(dir.path(), &["--db", "clinic.db", "template", kind]);
        assert_eq!(o.status.code(), Some(0), "{kind}: {}", err(&o));
        let file = dir.path().join(format!("{kind}-template.xlsx"));
        let cells = sheet_cells(&file, kind);
        assert_eq!(cells.len(), 1, "{kind}: only the header");
        assert!(cells[0].iter().all(|c| !c.to_string().is_empty()), "{kind}");
        // The lists: on the hidden sheet, referred to by a validation per coded column.
        let lists = sheet_cells(&file, "목록");
        let xml = unzip_sheet1(&file);
        let validations =
            if xml.is_empty() { coded_guess(kind) } else { xml.matches("<dataValidation ").count() };
        let coded = match kind {
            "patients" => 2,      // sex, referral_source
            "appointments" => 2,  // treatment, status (and provider once there is staff)
            "inquiries" => 4,     // channel, topic, referral_source, outcome
            "consultations" => 2, // treatment, status
            _ => 2,               // category, status
        };
        assert_eq!(validations, coded, "{kind}: {xml}");
        assert!(!lists.is_empty(), "{kind}");
        // An empty template imports as "no rows" (an input error, status 2), not as a crash.
        let o = run(dir.path(), &["--db", "clinic.db", "import", kind, file.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{kind}: {}", err(&o));
        assert!(err(&o).contains("no rows under the header"), "{}", err(&o));
    }
    // It does not replace a file without --force.
    let o = run(dir.path(), &["--db", "clinic.db", "template", "patients"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(dir.path(), &["--db", "clinic.db", "template", "patients", "--out", "p.csv"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains(".xlsx"), "{}", err(&o));
}

/// The XML of a workbook's first sheet (empty when `unzip` is not installed: the count of
/// validations is then not checked).
fn unzip_sheet1(path: &Path) -> String {
    match Command::new("unzip").arg("-p").arg(path).arg("xl/worksheets/sheet1.xml").output() {
        Ok(o) => String::from_utf8(o.stdout).unwrap(),
        Err(_) => String::new(),
    }
}

fn coded_guess(kind: &str) -> usize {
    match kind {
        "inquiries" => 4,
        _ => 2,
    }
}

#[test]
fn files_libreoffice_made_from_an_export_import_back_into_the_same_clinic_adding_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    drop(common::open_set_up(&db));
    for kind in ["patients", "consultations"] {
        let seed = fixture(&format!("libreoffice/seed-{kind}.csv"));
        let o = run(dir.path(), &["--db", "clinic.db", "import", kind, seed.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{kind}: {}", err(&o));
    }
    let bytes = std::fs::read(fixture("libreoffice/patients-cp949.csv")).unwrap();
    assert!(std::str::from_utf8(&bytes).is_err(), "the CP949 fixture is not UTF-8");
    for (kind, rows) in [("patients", 3), ("consultations", 2)] {
        for form in ["xlsx", "utf8.csv", "cp949.csv"] {
            let name = if form == "xlsx" { format!("{kind}.xlsx") } else { format!("{kind}-{form}") };
            let file = fixture(&format!("libreoffice/{name}"));
            let o = run(dir.path(), &["--db", "clinic.db", "import", kind, file.to_str().unwrap()]);
            assert_eq!(o.status.code(), Some(0), "{name}: {}", err(&o));
            assert!(
                out(&o).contains(&format!("imported 0 {kind} rows, skipped {rows} already in the database")),
                "{name}: {}",
                out(&o)
            );
        }
    }
    // Into an empty clinic, the workbook's dates and amounts arrive as they were.
    let fresh = dir.path().join("fresh");
    std::fs::create_dir(&fresh).unwrap();
    drop(common::open_set_up(&fresh.join("clinic.db")));
    let file = fixture("libreoffice/patients.xlsx");
    let o = run(&fresh, &["--db", "clinic.db", "import", "patients", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let file = fixture("libreoffice/consultations-cp949.csv");
    let o = run(&fresh, &["--db", "clinic.db", "import", "consultations", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let c = rusqlite::Connection::open(fresh.join("clinic.db")).unwrap();
    let (birth, quoted): (String, i64) = c
        .query_row(
            "SELECT p.birth_date, c.quoted_krw FROM consultations c JOIN patients p ON p.id = c.patient_id
             WHERE p.chart_key = '1'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((birth.as_str(), quoted), ("1980-01-02", 4_900_000));
}
