//! Staff, treatments, labelled codes, referral sources and dropout weights.

use super::CodeTable;
use crate::domain::Role;
use crate::domain::setup::LabelEntry;
use crate::domain::setup::SourceEntry;
use crate::domain::setup::TreatmentEntry;
use crate::domain::text::clean;
use crate::store::Result;
use crate::store::StoreError;
use crate::store::Tx;
use crate::store::audit::Entry;
use rusqlite::OptionalExtension;
use rusqlite::params;

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
pub fn staff_ids(conn: &impl crate::store::Db) -> Result<Vec<i64>> {
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

pub(super) fn treatment_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<TreatmentEntry> {
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

pub(super) const TREATMENT_COLUMNS: &str = "code, label_ko, label_en, aliases, happy_call, interval_days, duration_min, course_visits, risky, active, hourly_cap";

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
