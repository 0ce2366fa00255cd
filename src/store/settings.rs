//! The clinic's settings: clinic details, staff, treatments, referral sources and channels,
//! complaint categories, the Q&A manual, dropout weights, opening days and hours.
//!
//! Codes are never deleted while something refers to them - they are retired and stay on old
//! records; renaming changes labels only, so history keeps its meaning.

use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension, params};

use super::audit::Entry;
use super::{Result, StoreError, Tx};
use crate::domain::setup::{
    ClinicSection, LabelEntry, QaEntry, SetupFile, SourceEntry, StaffEntry, TreatmentEntry,
};
use crate::domain::text::clean;
use crate::domain::{ClinicKind, Role};

pub const DEFAULT_OPEN_DAYS: &str = "mon,tue,wed,thu,fri,sat";
pub const DEFAULT_HOURS: &str = "09:30-19:00";

fn setting(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)).optional()?)
}

/// The clinic's language setting (stored by the setup, the settings screen or `setup load`)
/// in the database file at `path`, read without opening a session: `None` when the file is
/// missing or unreadable or the setting was never stored.
pub fn clinic_lang_of_file(path: &std::path::Path) -> Option<crate::domain::Lang> {
    if !path.is_file() {
        return None;
    }
    let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).ok()?;
    let code = setting(&conn, "lang").ok().flatten()?;
    crate::domain::Lang::parse(&code)
}

/// Sets a clinic setting; audited when it changes.
pub fn set_setting(tx: &Tx<'_>, key: &str, value: &str) -> Result<()> {
    let old = setting(tx, key)?;
    if old.as_deref() == Some(value) {
        return Ok(());
    }
    tx.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    tx.audit(
        &Entry::new("update", "setting").detail(format!("{key}: {} -> {value}", old.unwrap_or_default())),
    )
}

/// The tables a code may be referred from, for "in use" checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeTable {
    Treatments,
    ReferralSources,
    ReferralChannels,
    ComplaintCategories,
}

impl CodeTable {
    fn table(self) -> &'static str {
        match self {
            CodeTable::Treatments => "treatments",
            CodeTable::ReferralSources => "referral_sources",
            CodeTable::ReferralChannels => "referral_channels",
            CodeTable::ComplaintCategories => "complaint_categories",
        }
    }

    fn references(self) -> &'static [(&'static str, &'static str)] {
        match self {
            CodeTable::Treatments => &[
                ("appointments", "treatment_code"),
                ("consultations", "treatment_code"),
                ("inquiries", "topic_code"),
                ("packages", "treatment_code"),
                ("qa_entries", "treatment_code"),
            ],
            CodeTable::ReferralSources => {
                &[("patients", "referral_source"), ("inquiries", "referral_source")]
            }
            CodeTable::ReferralChannels => {
                &[("patients", "referral_channel"), ("inquiries", "referral_channel")]
            }
            CodeTable::ComplaintCategories => &[("complaints", "category_code")],
        }
    }
}

/// True when any record refers to the code.
pub fn code_in_use(conn: &Connection, table: CodeTable, code: &str) -> Result<bool> {
    for (t, col) in table.references() {
        let used: bool =
            conn.query_row(&format!("SELECT EXISTS (SELECT 1 FROM {t} WHERE {col} = ?1)"), [code], |r| {
                r.get(0)
            })?;
        if used {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Retires or reactivates a code. Retired codes are not offered for new records.
pub fn set_code_active(tx: &Tx<'_>, table: CodeTable, code: &str, active: bool) -> Result<()> {
    let n = tx.execute(
        &format!("UPDATE {} SET active = ?2 WHERE code = ?1", table.table()),
        params![code, active],
    )?;
    if n == 0 {
        return Err(StoreError::NotFound(format!("{} {code}", table.table())));
    }
    tx.audit(&Entry::new(if active { "reactivate" } else { "retire" }, table.table()).detail(code))
}

/// Deletes a code nothing refers to; a code in use can only be retired.
pub fn delete_code(tx: &Tx<'_>, table: CodeTable, code: &str) -> Result<()> {
    if code_in_use(tx, table, code)? {
        return Err(StoreError::Invalid(format!("'{code}' is used by existing records; retire it instead")));
    }
    if table == CodeTable::ReferralSources {
        tx.execute("DELETE FROM referral_channels WHERE source_code = ?1", [code])?;
    }
    let n = tx.execute(&format!("DELETE FROM {} WHERE code = ?1", table.table()), [code])?;
    if n == 0 {
        return Err(StoreError::NotFound(format!("{} {code}", table.table())));
    }
    tx.audit(&Entry::new("delete", table.table()).detail(code))
}

/// Adds a staff member; returns the id.
pub fn add_staff(tx: &Tx<'_>, name: &str, role: Role) -> Result<i64> {
    let name = clean(name);
    if name.is_empty() {
        return Err(StoreError::Invalid("name is empty".into()));
    }
    let exists: bool =
        tx.query_row("SELECT EXISTS (SELECT 1 FROM staff WHERE name = ?1)", [&name], |r| r.get(0))?;
    if exists {
        return Err(StoreError::Invalid(format!("'{name}' is already on the staff list")));
    }
    let sort: i64 = tx.query_row("SELECT coalesce(max(sort), 0) + 1 FROM staff", [], |r| r.get(0))?;
    tx.execute("INSERT INTO staff (name, role, sort) VALUES (?1, ?2, ?3)", params![name, role.code(), sort])?;
    let id = tx.last_insert_rowid();
    tx.audit(&Entry::new("create", "staff").id(id).detail(format!("{name} ({})", role.code())))?;
    Ok(id)
}

/// Renames a staff member; their records follow (they point at the id).
pub fn rename_staff(tx: &Tx<'_>, id: i64, name: &str) -> Result<()> {
    let name = clean(name);
    if name.is_empty() {
        return Err(StoreError::Invalid("name is empty".into()));
    }
    let clash: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM staff WHERE name = ?1 AND id <> ?2)",
        params![name, id],
        |r| r.get(0),
    )?;
    if clash {
        return Err(StoreError::Invalid(format!("'{name}' is already on the staff list")));
    }
    let old: String = tx
        .query_row("SELECT name FROM staff WHERE id = ?1", [id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("staff {id}")))?;
    tx.execute("UPDATE staff SET name = ?2 WHERE id = ?1", params![id, name])?;
    tx.audit(&Entry::new("rename", "staff").id(id).detail(format!("{old} -> {name}")))
}

/// Changes a staff member's role; audited when it changed.
pub fn set_staff_role(tx: &Tx<'_>, id: i64, role: Role) -> Result<()> {
    let n =
        tx.execute("UPDATE staff SET role = ?2 WHERE id = ?1 AND role <> ?2", params![id, role.code()])?;
    if n > 0 {
        tx.audit(&Entry::new("update", "staff").id(id).detail(format!("role {}", role.code())))?;
    }
    Ok(())
}

/// The staff's ids in the order the setup lists them (`read_setup`'s `staff`).
pub fn staff_ids(conn: &impl super::Db) -> Result<Vec<i64>> {
    let conn = conn.db();
    let mut stmt = conn.prepare_cached("SELECT id FROM staff ORDER BY sort, id")?;
    let ids = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

/// Retires (or brings back) a staff member; a retired person stays on old records.
pub fn set_staff_active(tx: &Tx<'_>, id: i64, active: bool) -> Result<()> {
    let n = tx.execute("UPDATE staff SET active = ?2 WHERE id = ?1", params![id, active])?;
    if n == 0 {
        return Err(StoreError::NotFound(format!("staff {id}")));
    }
    tx.audit(&Entry::new(if active { "reactivate" } else { "retire" }, "staff").id(id))
}

fn treatment_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<TreatmentEntry> {
    let list =
        |s: String| -> Vec<String> { s.split(',').filter(|x| !x.is_empty()).map(str::to_owned).collect() };
    Ok(TreatmentEntry {
        code: r.get(0)?,
        ko: r.get(1)?,
        en: r.get(2)?,
        aliases: list(r.get(3)?),
        happy_call: r.get(4)?,
        interval_days: r.get(5)?,
        duration_min: r.get(6)?,
        course_visits: r.get(7)?,
        risky: list(r.get(8)?),
        active: r.get(9)?,
        hourly_cap: r.get(10)?,
    })
}

const TREATMENT_COLUMNS: &str = "code, label_ko, label_en, aliases, happy_call, interval_days, duration_min, course_visits, risky, active, hourly_cap";

/// Inserts or updates a treatment by code (labels, happy call, interval ~).
pub fn upsert_treatment(tx: &Tx<'_>, t: &TreatmentEntry) -> Result<()> {
    let new = TreatmentEntry { ko: clean(&t.ko), en: clean(&t.en), ..t.clone() };
    let old = tx
        .query_row(
            &format!("SELECT {TREATMENT_COLUMNS} FROM treatments WHERE code = ?1"),
            [&t.code],
            treatment_from_row,
        )
        .optional()?;
    if old.as_ref() == Some(&new) {
        return Ok(());
    }
    let sort: i64 = tx.query_row("SELECT coalesce(max(sort), 0) + 1 FROM treatments", [], |r| r.get(0))?;
    tx.execute(
        "INSERT INTO treatments (code, label_ko, label_en, aliases, happy_call, interval_days, duration_min, course_visits, risky, active, sort, hourly_cap)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
         ON CONFLICT (code) DO UPDATE SET label_ko = excluded.label_ko, label_en = excluded.label_en,
             aliases = excluded.aliases, happy_call = excluded.happy_call, interval_days = excluded.interval_days,
             duration_min = excluded.duration_min, course_visits = excluded.course_visits, risky = excluded.risky,
             active = excluded.active, hourly_cap = excluded.hourly_cap",
        params![
            new.code,
            new.ko,
            new.en,
            new.aliases.join(","),
            new.happy_call,
            new.interval_days,
            new.duration_min,
            new.course_visits,
            new.risky.join(","),
            new.active,
            sort,
            new.hourly_cap
        ],
    )?;
    tx.audit(&Entry::new(if old.is_some() { "update" } else { "create" }, "treatments").detail(&t.code))
}

fn upsert_labelled(tx: &Tx<'_>, table: CodeTable, e: &LabelEntry, source_code: Option<&str>) -> Result<()> {
    let t = table.table();
    let old: Option<(String, String, bool)> = tx
        .query_row(&format!("SELECT label_ko, label_en, active FROM {t} WHERE code = ?1"), [&e.code], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    let new = (clean(&e.ko), clean(&e.en), e.active);
    if old.as_ref() == Some(&new) {
        return Ok(());
    }
    let sort: i64 = tx.query_row(&format!("SELECT coalesce(max(sort), 0) + 1 FROM {t}"), [], |r| r.get(0))?;
    match source_code {
        Some(src) => tx.execute(
            &format!(
                "INSERT INTO {t} (code, source_code, label_ko, label_en, active, sort) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (code) DO UPDATE SET label_ko = excluded.label_ko, label_en = excluded.label_en, active = excluded.active"
            ),
            params![e.code, src, new.0, new.1, new.2, sort],
        )?,
        None => tx.execute(
            &format!(
                "INSERT INTO {t} (code, label_ko, label_en, active, sort) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (code) DO UPDATE SET label_ko = excluded.label_ko, label_en = excluded.label_en, active = excluded.active"
            ),
            params![e.code, new.0, new.1, new.2, sort],
        )?,
    };
    tx.audit(&Entry::new(if old.is_some() { "update" } else { "create" }, t).detail(&e.code))
}

pub fn upsert_complaint_category(tx: &Tx<'_>, e: &LabelEntry) -> Result<()> {
    upsert_labelled(tx, CodeTable::ComplaintCategories, e, None)
}

pub fn upsert_referral_channel(tx: &Tx<'_>, e: &LabelEntry) -> Result<()> {
    upsert_labelled(tx, CodeTable::ReferralChannels, e, Some("internet"))
}

pub fn upsert_referral_source(tx: &Tx<'_>, s: &SourceEntry) -> Result<()> {
    let clash: Option<String> = tx
        .query_row(
            "SELECT code FROM referral_sources WHERE key = ?1 AND code <> ?2",
            params![s.key, s.code],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(other) = clash {
        return Err(StoreError::Invalid(format!("key '{}' already picks '{other}'", s.key)));
    }
    let old: Option<(String, String, String, String, bool)> = tx
        .query_row(
            "SELECT label_ko, label_en, key, aliases, active FROM referral_sources WHERE code = ?1",
            [&s.code],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    let new = (clean(&s.ko), clean(&s.en), s.key.clone(), s.aliases.join(","), s.active);
    if old.as_ref() == Some(&new) {
        return Ok(());
    }
    let sort: i64 =
        tx.query_row("SELECT coalesce(max(sort), 0) + 1 FROM referral_sources", [], |r| r.get(0))?;
    tx.execute(
        "INSERT INTO referral_sources (code, label_ko, label_en, key, aliases, active, sort) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (code) DO UPDATE SET label_ko = excluded.label_ko, label_en = excluded.label_en, key = excluded.key,
             aliases = excluded.aliases, active = excluded.active",
        params![s.code, new.0, new.1, new.2, new.3, new.4, sort],
    )?;
    tx.audit(&Entry::new(if old.is_some() { "update" } else { "create" }, "referral_sources").detail(&s.code))
}

pub fn set_dropout_weight(tx: &Tx<'_>, reason: &str, weight: i64) -> Result<()> {
    if !crate::domain::setup::DROPOUT_REASONS.contains(&reason) {
        return Err(StoreError::Invalid(format!("'{reason}' is not a dropout reason")));
    }
    if !(0..=10).contains(&weight) {
        return Err(StoreError::Invalid("weights are 0 to 10".into()));
    }
    let old: Option<i64> = tx
        .query_row("SELECT weight FROM dropout_weights WHERE reason = ?1", [reason], |r| r.get(0))
        .optional()?;
    if old == Some(weight) {
        return Ok(());
    }
    tx.execute(
        "INSERT INTO dropout_weights (reason, weight) VALUES (?1, ?2) ON CONFLICT (reason) DO UPDATE SET weight = excluded.weight",
        params![reason, weight],
    )?;
    tx.audit(&Entry::new("update", "dropout_weights").detail(format!("{reason} = {weight}")))
}

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
    super::catalog::seed_treatments(tx, kind)?;
    super::catalog::seed_qa(tx, kind)?;
    super::catalog::reseed_okr_template(tx, kind, today)?;
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
pub fn clinic_calendar(conn: &impl super::Db) -> Result<crate::domain::calendar::ClinicCalendar> {
    Ok(crate::domain::calendar::ClinicCalendar::from_settings(&clinic_section(conn.db())?))
}

/// What the phone manual's placeholders say, from the clinic's settings.
pub fn manual_facts(conn: &Connection) -> Result<crate::domain::setup::ManualFacts> {
    Ok(crate::domain::setup::ManualFacts::of(&clinic_section(conn)?))
}

/// The settings as one document (for `setup show` and the settings screen).
pub fn read_setup(conn: &impl super::Db) -> Result<SetupFile> {
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
        message_templates: super::messages::templates(conn)?
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
        if super::messages::template(tx, kind)? != t {
            super::messages::set_template(tx, &t)?;
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
