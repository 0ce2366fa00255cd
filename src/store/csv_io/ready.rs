//! Each kind's rows checked and resolved into [`Ready`] rows before the write lock is taken.

use super::already::already_in_database;
use super::cells::{Cells, accepted, ts};
use super::{InFile, Place, Row};
use crate::domain::AppointmentStatus;
use crate::domain::ConsultationStatus;
use crate::domain::InquiryOutcome;
use crate::domain::QuestionKind;
use crate::domain::Sex;
use crate::domain::Tag;
use crate::domain::import::CsvKind;
use crate::domain::import::parse_datetime;
use crate::domain::import::parse_minutes;
use crate::domain::import::split_list;
use crate::store::Result;
use crate::store::catalog::Catalog;
use crate::store::inquiries::patient_by_chart_no;
use crate::store::inquiries::patient_by_phone;
use crate::store::patients::NewPatient;
use chrono::NaiveDateTime;
use rusqlite::Connection;

/// One checked row, ready to insert: everything parsed and every reference resolved, before
/// the write lock is taken (see [`prepare`]).
pub(super) enum Ready {
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
pub(super) enum PatientRef {
    Id(i64),
    /// Registered from this row's name and phone.
    New(NewPatient),
    /// Registered by an earlier row of this file with this phone (digits).
    EarlierInFile(String),
}

fn prepare_patient(c: &Cells<'_>, seen: &mut InFile) -> Result<Ready> {
    let chart_no = c.text("chart_no");
    if chart_no.is_empty() {
        return Err(c.err("chart_no", "is empty (every patient needs a chart number)"));
    }
    if seen.charts.contains_key(chart_no) || patient_by_chart_no(c.conn, chart_no)?.is_some() {
        return Err(c.err("chart_no", format!("'{chart_no}' already exists")));
    }
    let name = c.text("name");
    if name.is_empty() {
        return Err(c.err("name", "is empty"));
    }
    let phone_digits = c.phone("phone")?;
    let birth_date = match c.text("birth_date") {
        "" => None,
        b => Some(
            crate::domain::parse::parse_birth_date(b, c.place.today).map_err(|e| c.err("birth_date", e))?,
        ),
    };
    let sex = c.choice("sex", None, |s| Sex::parse(s).map(Some), "a sex (accepted: M, F, 남, 여)")?;
    let first_visit = c.date("first_visit")?;
    let referral_source = c.code("referral_source", &c.cat.referral_sources, "referral source")?;
    let (referrer_id, referrer_in_file) = match c.text("referrer_chart_no") {
        "" => (None, None),
        r if seen.charts.contains_key(r) => (None, Some(r.to_string())),
        _ => (Some(c.patient("referrer_chart_no", true)?), None),
    };
    let mut tags = Vec::new();
    for t in split_list(c.text("tags")) {
        let tag = Tag::parse(&t).ok_or_else(|| {
            c.err(
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
        note: c.text("note").to_string(),
        first_visit,
    })
}

fn prepare_appointment(c: &Cells<'_>, _: &mut InFile) -> Result<Ready> {
    let patient_id = c.patient("chart_no", false)?;
    let start = c.datetime("start")?;
    let treatment = c.treatment("treatment")?;
    let duration = match c.text("duration_min") {
        "" => treatment.as_deref().and_then(|t| c.cat.treatment(t)).map(|t| t.duration_min).unwrap_or(30),
        d => parse_minutes(d).map_err(|e| c.err("duration_min", e))?,
    };
    let provider_id = c.provider()?;
    let status = c.choice(
        "status",
        AppointmentStatus::Booked,
        AppointmentStatus::parse,
        "a status (accepted: booked, arrived, done, no_show, cancelled)",
    )?;
    let booked_at = c.datetime_or("booked_at", start)?;
    Ok(Ready::Appointment { patient_id, start, duration, provider_id, treatment, status, booked_at })
}

fn prepare_inquiry(c: &Cells<'_>, _: &mut InFile) -> Result<Ready> {
    let received_at = c.datetime("received_at")?;
    let phone_digits = c.phone("phone")?;
    let channel = c.code("channel", &c.cat.referral_channels, "internet channel")?;
    let topic = c.treatment("topic")?;
    let mut questions = Vec::new();
    for q in split_list(c.text("questions")) {
        let kind = QuestionKind::parse(&q).ok_or_else(|| {
            c.err("questions", format!("'{q}' is not a question kind (accepted: price, method, duration, insurance, hours, other)"))
        })?;
        if !questions.contains(&kind.code()) {
            questions.push(kind.code());
        }
    }
    let mut source = c.code("referral_source", &c.cat.referral_sources, "referral source")?;
    if source.is_none() && channel.is_some() {
        source = Some("internet".into());
    }
    let referrer_id = match c.text("referrer_chart_no") {
        "" => None,
        _ => Some(c.patient("referrer_chart_no", false)?),
    };
    let outcome = c.choice(
        "outcome",
        InquiryOutcome::Info,
        InquiryOutcome::parse,
        "an outcome (accepted: info, callback, booked)",
    )?;
    let patient_id = patient_by_phone(c.conn, &phone_digits)?.map(|p| p.id);
    let phone = if phone_digits.is_empty() {
        String::new()
    } else {
        crate::domain::phone::format_digits(&phone_digits)
    };
    Ok(Ready::Inquiry {
        received_at,
        caller_name: crate::domain::text::clean_line(c.text("caller_name")),
        phone,
        phone_digits,
        patient_id,
        topic,
        questions: questions.join(","),
        source,
        channel,
        referrer_id,
        outcome,
        note: c.text("note").to_string(),
    })
}

fn prepare_consultation(c: &Cells<'_>, seen: &mut InFile) -> Result<Ready> {
    let phone_digits = c.phone("phone")?;
    let consulted_at = c.datetime("consulted_at")?;
    let treatment = c.treatment("treatment")?;
    let quoted = c.won("quoted_krw")?;
    let offered = c.won("offered_krw")?;
    let status = c.choice(
        "status",
        ConsultationStatus::Undecided,
        ConsultationStatus::parse,
        "a decision (accepted: accepted/결정, undecided/보류, declined/거부)",
    )?;
    let recall_on = c.date("recall_on")?;
    // The person: by chart number; else by phone; else registered from name and phone.
    let patient = if !c.text("chart_no").is_empty() {
        PatientRef::Id(c.patient("chart_no", false)?)
    } else if let Some(p) = patient_by_phone(c.conn, &phone_digits)? {
        PatientRef::Id(p.id)
    } else if !phone_digits.is_empty() && seen.phones.contains_key(&phone_digits) {
        PatientRef::EarlierInFile(phone_digits.clone())
    } else if !c.text("name").is_empty() {
        if !phone_digits.is_empty() {
            seen.phones.insert(phone_digits.clone(), 0);
        }
        PatientRef::New(NewPatient {
            name: c.text("name").to_string(),
            phone: crate::domain::phone::format_digits(&phone_digits),
            ..NewPatient::default()
        })
    } else {
        return Err(c.err("chart_no", "is empty and there is no name to register the person under"));
    };
    Ok(Ready::Consultation {
        patient,
        consulted_at,
        treatment,
        quoted,
        offered,
        status,
        recall_on,
        note: c.text("note").to_string(),
        reaction: c.text("reaction").to_string(),
    })
}

fn complaint_status(s: &str) -> Option<&'static str> {
    match s.trim().to_lowercase().as_str() {
        "open" | "미해결" | "진행" | "열림" => Some("open"),
        "resolved" | "해결" | "완료" | "closed" => Some("resolved"),
        _ => None,
    }
}

fn prepare_complaint(c: &Cells<'_>, _: &mut InFile) -> Result<Ready> {
    let patient_id = c.patient("chart_no", false)?;
    let raised_at = c.datetime("raised_at")?;
    let category =
        c.code("category", &c.cat.complaint_categories, "complaint category")?.ok_or_else(|| {
            c.err("category", format!("is empty (accepted: {})", accepted(&c.cat.complaint_categories)))
        })?;
    let status =
        c.choice("status", "open", complaint_status, "a status (accepted: open/미해결, resolved/해결)")?;
    let resolved_at = match c.text("resolved_at") {
        "" => None,
        r => Some(ts(parse_datetime(r).map_err(|e| c.err("resolved_at", e))?)),
    };
    Ok(Ready::Complaint {
        patient_id,
        raised_at,
        category,
        description: c.text("description").to_string(),
        status,
        resolved_at,
        resolution: c.text("resolution").to_string(),
    })
}

/// A payment from the EMR's takings file: a known chart, the moment, the amount (negative
/// for a refund, with the note as its reason), the category by code or label, the treatment
/// and provider when given.
fn prepare_payment(c: &Cells<'_>, _: &mut InFile) -> Result<Ready> {
    use crate::domain::payments::PaymentCategory;
    let patient_id = c.patient("chart_no", false)?;
    let paid_at = c.datetime("paid_at")?;
    let amount = match crate::domain::parse::parse_amount(
        c.text("amount_krw"),
        crate::domain::parse::Sign::AllowNegative,
    ) {
        Ok(0) => return Err(c.err("amount_krw", "is 0 (a payment of 0 won records nothing)")),
        Ok(v) => v,
        Err(e) => return Err(c.err("amount_krw", e)),
    };
    let note = c.text("note").to_string();
    if amount < 0 && crate::domain::text::clean(&note).is_empty() {
        return Err(
            c.err("note", "is empty: a negative amount (a refund or correction) needs its reason here")
        );
    }
    let category = PaymentCategory::parse_loose(c.text("category")).ok_or_else(|| {
        c.err(
            "category",
            format!(
                "'{}' is not a payment category (accepted: {})",
                c.text("category"),
                PaymentCategory::accepted()
            ),
        )
    })?;
    let treatment = c.treatment("treatment")?;
    let provider_id = c.provider()?;
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
fn prepare_package(c: &Cells<'_>, _: &mut InFile) -> Result<Ready> {
    let patient_id = c.patient("chart_no", false)?;
    let sold_on =
        c.date("sold_on")?.ok_or_else(|| c.err("sold_on", "is empty (the day the package was sold)"))?;
    let treatment =
        c.treatment("treatment")?.ok_or_else(|| c.err("treatment", "is empty (the package's treatment)"))?;
    let sessions =
        match crate::domain::parse::parse_amount(c.text("sessions"), crate::domain::parse::Sign::NonNegative)
        {
            Ok(n) if crate::domain::rules::SESSIONS.contains(n) => n,
            _ => {
                return Err(c.err(
                    "sessions",
                    format!(
                        "'{}' is not a number of sessions from 1 to {}",
                        c.text("sessions"),
                        crate::domain::payments::MAX_PACKAGE_SESSIONS
                    ),
                ));
            }
        };
    let price_krw = c.won("price_krw")?.unwrap_or(0);
    let provider_id = c.provider()?;
    Ok(Ready::Package(crate::store::packages::NewPackage {
        patient_id,
        treatment_code: treatment,
        sessions,
        price_krw,
        purchased_on: sold_on,
        provider_id,
        note: c.text("note").to_string(),
        payment_id: None,
    }))
}

/// Checks every row against the database as `conn` sees it, writing nothing.
/// Checks every row; rows the database already holds are left out and counted.
pub(super) fn prepare_rows(
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
            crate::store::bulk::report_progress("checking", i as u64, total);
        }
        if already_in_database(conn, &cat, kind, row)? {
            skipped += 1;
            continue;
        }
        let place = Place { file, line: row.line, today };
        ready.push(f(&Cells { conn, cat: &cat, place: &place, row }, &mut seen)?);
    }
    Ok((ready, skipped))
}
