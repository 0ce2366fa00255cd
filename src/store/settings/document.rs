//! The settings as one document: the clinic's kind, details, calendar and manual facts; reading and applying a whole setup.

use super::catalogs::{
    TREATMENT_COLUMNS, add_staff, set_dropout_weight, set_staff_active, treatment_from_row,
    upsert_complaint_category, upsert_referral_channel, upsert_referral_source, upsert_treatment,
};
use super::{CodeTable, DEFAULT_HOURS, DEFAULT_OPEN_DAYS, set_code_active, set_setting, setting};
use crate::domain::ClinicKind;
use crate::domain::Role;
use crate::domain::setup::ClinicSection;
use crate::domain::setup::LabelEntry;
use crate::domain::setup::QaEntry;
use crate::domain::setup::SetupFile;
use crate::domain::setup::SourceEntry;
use crate::domain::setup::StaffEntry;
use crate::domain::text::clean;
use crate::store::Result;
use crate::store::StoreError;
use crate::store::Tx;
use crate::store::audit::Entry;
use rusqlite::Connection;
use rusqlite::OptionalExtension;
use rusqlite::params;
use std::collections::BTreeMap;

/// True when the clinic has no records yet (only catalogs): the kind may still be switched.
pub fn has_records(conn: &Connection) -> Result<bool> {
    for t in ["patients", "appointments", "inquiries", "consultations", "checkins"] {
        let any: bool = conn.query_row(&format!("SELECT EXISTS (SELECT 1 FROM {t})"), [], |r| r.get(0))?;
        if any {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Switches the starting catalogs to another kind of clinic: its treatments, its Q&A entries
/// for them (the general entries stay), and its OKR template. Only before any records exist.
pub fn set_clinic_kind(tx: &Tx<'_>, kind: ClinicKind, today: chrono::NaiveDate) -> Result<()> {
    let current = setting(tx, "clinic_kind")?.unwrap_or_else(|| "hanui".into());
    if current == kind.code() {
        return Ok(());
    }
    if has_records(tx)? {
        return Err(StoreError::Invalid(
            "the kind of clinic can only be switched before any records exist; edit the treatments instead"
                .into(),
        ));
    }
    tx.execute("DELETE FROM qa_entries WHERE treatment_code IS NOT NULL", [])?;
    tx.execute("DELETE FROM treatments", [])?;
    crate::store::catalog::seed_treatments(tx, kind)?;
    crate::store::catalog::seed_qa(tx, kind)?;
    crate::store::catalog::reseed_okr_template(tx, kind, today)?;
    set_setting(tx, "clinic_kind", kind.code())?;
    tx.audit(&Entry::new("update", "clinic_kind").detail(format!("{current} -> {}", kind.code())))
}

/// The clinic's own details and hours.
pub fn clinic_section(conn: &Connection) -> Result<ClinicSection> {
    let get = |k: &str, d: &str| -> Result<String> { Ok(setting(conn, k)?.unwrap_or_else(|| d.to_string())) };
    Ok(ClinicSection {
        name: get("clinic_name", "")?,
        kind: get("clinic_kind", "hanui")?,
        lang: get("lang", "ko")?,
        open_days: get("open_days", DEFAULT_OPEN_DAYS)?
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        hours: get("hours", DEFAULT_HOURS)?,
        saturday_hours: get("saturday_hours", "")?,
        lunch: get("lunch", crate::domain::setup::DEFAULT_LUNCH)?,
        parking: get("parking", "")?,
        closed_dates: get("closed_dates", "")?
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        short_days: get("short_days", "")?
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        slot_minutes: get("slot_minutes", "0")?.trim().parse().unwrap_or(0),
    })
}

/// The clinic's calendar: open days, hours, lunch and its own closed days.
pub fn clinic_calendar(conn: &impl crate::store::Db) -> Result<crate::domain::calendar::ClinicCalendar> {
    Ok(crate::domain::calendar::ClinicCalendar::from_settings(&clinic_section(conn.db())?))
}

/// What the phone manual's placeholders say, from the clinic's settings.
pub fn manual_facts(conn: &Connection) -> Result<crate::domain::setup::ManualFacts> {
    Ok(crate::domain::setup::ManualFacts::of(&clinic_section(conn)?))
}

/// The settings as one document (for `setup show` and the settings screen).
pub fn read_setup(conn: &impl crate::store::Db) -> Result<SetupFile> {
    let conn = conn.db();
    let clinic = clinic_section(conn)?;
    let mut stmt = conn.prepare("SELECT name, role, active FROM staff ORDER BY sort, id")?;
    let staff = stmt
        .query_map([], |r| Ok(StaffEntry { name: r.get(0)?, role: r.get(1)?, active: r.get(2)? }))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let list =
        |s: String| -> Vec<String> { s.split(',').filter(|x| !x.is_empty()).map(str::to_owned).collect() };
    let mut stmt =
        conn.prepare(&format!("SELECT {TREATMENT_COLUMNS} FROM treatments ORDER BY sort, code"))?;
    let treatments = stmt.query_map([], treatment_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    let mut stmt = conn.prepare(
        "SELECT code, label_ko, label_en, key, aliases, active FROM referral_sources ORDER BY sort, code",
    )?;
    let referral_sources = stmt
        .query_map([], |r| {
            Ok(SourceEntry {
                code: r.get(0)?,
                ko: r.get(1)?,
                en: r.get(2)?,
                key: r.get(3)?,
                aliases: list(r.get(4)?),
                active: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let labelled = |t: &str| -> Result<Vec<LabelEntry>> {
        let mut stmt =
            conn.prepare(&format!("SELECT code, label_ko, label_en, active FROM {t} ORDER BY sort, code"))?;
        let rows = stmt
            .query_map([], |r| {
                Ok(LabelEntry { code: r.get(0)?, ko: r.get(1)?, en: r.get(2)?, active: r.get(3)? })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    };
    let mut stmt = conn.prepare(
        "SELECT coalesce(treatment_code, ''), question_kind, question, answer FROM qa_entries ORDER BY sort, id",
    )?;
    let qa = stmt
        .query_map([], |r| {
            Ok(QaEntry { treatment: r.get(0)?, kind: r.get(1)?, question: r.get(2)?, answer: r.get(3)? })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut stmt = conn.prepare("SELECT reason, weight FROM dropout_weights ORDER BY reason")?;
    let dropout_weights = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?
        .collect::<rusqlite::Result<BTreeMap<_, _>>>()?;
    Ok(SetupFile {
        clinic,
        staff,
        treatments,
        referral_sources,
        referral_channels: labelled("referral_channels")?,
        complaint_categories: labelled("complaint_categories")?,
        qa,
        dropout_weights,
        texts: crate::domain::setup::TextsSection {
            clinic_phone: setting(conn, "clinic_phone")?.unwrap_or_default(),
            opt_out_number: setting(conn, "sms_opt_out_number")?.unwrap_or_default(),
        },
        message_templates: crate::store::messages::templates(conn)?
            .into_iter()
            .map(|t| crate::domain::setup::MessageTemplateEntry {
                kind: t.kind.code().to_string(),
                body: t.body,
                advertising: t.advertising,
            })
            .collect(),
    })
}

/// Applies a whole setup in the caller's transaction: what the file lists is added or
/// updated; what it leaves out is retired (never deleted); the Q&A manual is replaced.
pub fn apply_setup(tx: &Tx<'_>, file: &SetupFile, today: chrono::NaiveDate) -> Result<()> {
    file.check().map_err(|e| StoreError::Invalid(e.describe("")))?;
    let c = &file.clinic;
    let kind = ClinicKind::parse(&c.kind).unwrap_or(ClinicKind::Other);
    let current_kind = setting(tx, "clinic_kind")?.unwrap_or_else(|| "hanui".into());
    if current_kind != kind.code() && !has_records(tx)? {
        set_clinic_kind(tx, kind, today)?;
    } else {
        set_setting(tx, "clinic_kind", kind.code())?;
    }
    set_setting(tx, "clinic_name", &clean(&c.name))?;
    set_setting(tx, "lang", &c.lang)?;
    set_setting(tx, "open_days", &c.open_days.join(","))?;
    set_setting(tx, "hours", &c.hours)?;
    set_setting(tx, "saturday_hours", &c.saturday_hours)?;
    set_setting(tx, "lunch", &c.lunch)?;
    set_setting(tx, "parking", &clean(&c.parking))?;
    if !c.closed_dates.is_empty() || setting(tx, "closed_dates")?.is_some() {
        set_setting(tx, "closed_dates", &c.closed_dates.join(","))?;
    }
    if !c.short_days.is_empty() || setting(tx, "short_days")?.is_some() {
        set_setting(tx, "short_days", &c.short_days.join(","))?;
    }
    if c.slot_minutes != 0 || setting(tx, "slot_minutes")?.is_some() {
        set_setting(tx, "slot_minutes", &c.slot_minutes.to_string())?;
    }

    // Staff by name.
    for s in &file.staff {
        let role = Role::parse(&s.role).unwrap_or(Role::Desk);
        let existing: Option<(i64, String, bool)> = tx
            .query_row("SELECT id, role, active FROM staff WHERE name = ?1", [clean(&s.name)], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?;
        match existing {
            None => {
                let id = add_staff(tx, &s.name, role)?;
                if !s.active {
                    set_staff_active(tx, id, false)?;
                }
            }
            Some((id, old_role, active)) => {
                if old_role != role.code() {
                    tx.execute("UPDATE staff SET role = ?2 WHERE id = ?1", params![id, role.code()])?;
                    tx.audit(
                        &Entry::new("update", "staff")
                            .id(id)
                            .detail(format!("role {old_role} -> {}", role.code())),
                    )?;
                }
                if active != s.active {
                    set_staff_active(tx, id, s.active)?;
                }
            }
        }
    }
    let names: Vec<String> = file.staff.iter().map(|s| clean(&s.name)).collect();
    let mut stmt = tx.prepare("SELECT id, name FROM staff WHERE active = 1")?;
    let active: Vec<(i64, String)> =
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    drop(stmt);
    for (id, name) in active {
        if !names.contains(&name) {
            set_staff_active(tx, id, false)?;
        }
    }

    // Complaint categories before treatments (treatments name them as risky).
    for e in &file.complaint_categories {
        upsert_complaint_category(tx, e)?;
    }
    retire_missing(
        tx,
        CodeTable::ComplaintCategories,
        file.complaint_categories.iter().map(|e| e.code.as_str()),
    )?;
    for t in &file.treatments {
        upsert_treatment(tx, t)?;
    }
    retire_missing(tx, CodeTable::Treatments, file.treatments.iter().map(|e| e.code.as_str()))?;
    // Free the one-letter keys first, so sources can swap keys within one file.
    for s in &file.referral_sources {
        tx.execute(
            "UPDATE referral_sources SET key = '' WHERE key = ?1 AND code <> ?2",
            params![s.key, s.code],
        )?;
    }
    for s in &file.referral_sources {
        upsert_referral_source(tx, s)?;
    }
    retire_missing(tx, CodeTable::ReferralSources, file.referral_sources.iter().map(|e| e.code.as_str()))?;
    for e in &file.referral_channels {
        upsert_referral_channel(tx, e)?;
    }
    retire_missing(tx, CodeTable::ReferralChannels, file.referral_channels.iter().map(|e| e.code.as_str()))?;

    // The manual is plain text nothing refers to: replace it when it differs.
    let current = read_setup(tx)?.qa;
    if current != file.qa {
        tx.execute("DELETE FROM qa_entries", [])?;
        for (i, q) in file.qa.iter().enumerate() {
            let treatment = (!q.treatment.is_empty()).then_some(q.treatment.as_str());
            tx.execute(
                "INSERT INTO qa_entries (treatment_code, question_kind, question, answer, sort) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![treatment, q.kind, clean(&q.question), clean(&q.answer), i as i64],
            )?;
        }
        tx.audit(&Entry::new("replace", "qa_entries").detail(format!("{} entries", file.qa.len())))?;
    }
    for (reason, weight) in &file.dropout_weights {
        set_dropout_weight(tx, reason, *weight)?;
    }
    for (key, value) in
        [("clinic_phone", &file.texts.clinic_phone), ("sms_opt_out_number", &file.texts.opt_out_number)]
    {
        if !(value.is_empty() && setting(tx, key)?.is_none()) {
            set_setting(tx, key, &clean(value))?;
        }
    }
    for t in &file.message_templates {
        let Some(kind) = crate::domain::messages::MessageKind::parse(&t.kind) else { continue };
        let t = crate::domain::messages::Template { kind, body: t.body.clone(), advertising: t.advertising };
        if crate::store::messages::template(tx, kind)? != t {
            crate::store::messages::set_template(tx, &t)?;
        }
    }
    Ok(())
}

fn retire_missing<'a>(tx: &Tx<'_>, table: CodeTable, keep: impl Iterator<Item = &'a str>) -> Result<()> {
    let keep: Vec<&str> = keep.collect();
    let mut stmt = tx.prepare(&format!("SELECT code FROM {} WHERE active = 1", table.table()))?;
    let active: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    drop(stmt);
    for code in active {
        if !keep.contains(&code.as_str()) {
            set_code_active(tx, table, &code, false)?;
        }
    }
    Ok(())
}
