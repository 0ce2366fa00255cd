//! The catalogs shipped in data/ and seeded into every new database: referral sources and
//! internet channels, treatments, complaint categories, the phone Q&A manual, dropout weights,
//! and the starting OKR.

use std::collections::BTreeMap;

use rusqlite::{Connection, params};
use serde::Deserialize;

use super::Result;
use crate::domain::{ClinicKind, Lang};

pub const REFERRAL_SOURCES_TOML: &str = include_str!("../../data/referral_sources.toml");
pub const TREATMENTS_HANUI_TOML: &str = include_str!("../../data/treatments/hanui.toml");
pub const TREATMENTS_DENTAL_TOML: &str = include_str!("../../data/treatments/dental.toml");
pub const TREATMENTS_PHYSIO_TOML: &str = include_str!("../../data/treatments/physio.toml");
pub const TREATMENTS_EYE_TOML: &str = include_str!("../../data/treatments/eye.toml");
pub const COMPLAINT_CATEGORIES_TOML: &str = include_str!("../../data/complaint_categories.toml");
pub const QA_MANUAL_TOML: &str = include_str!("../../data/qa_manual.toml");
pub const QA_HANUI_TOML: &str = include_str!("../../data/qa/hanui.toml");
pub const QA_DENTAL_TOML: &str = include_str!("../../data/qa/dental.toml");
pub const QA_PHYSIO_TOML: &str = include_str!("../../data/qa/physio.toml");
pub const QA_EYE_TOML: &str = include_str!("../../data/qa/eye.toml");
pub const DROPOUT_WEIGHTS_TOML: &str = include_str!("../../data/dropout_weights.toml");
pub const OKR_HANUI_TOML: &str = include_str!("../../data/okr/hanui.toml");
pub const OKR_DENTAL_TOML: &str = include_str!("../../data/okr/dental.toml");
pub const OKR_PHYSIO_TOML: &str = include_str!("../../data/okr/physio.toml");
pub const OKR_EYE_TOML: &str = include_str!("../../data/okr/eye.toml");
pub const OKR_OTHER_TOML: &str = include_str!("../../data/okr/other.toml");

/// The starting treatment catalog of a kind of clinic (`None`: start with no treatments).
pub fn treatments_toml(kind: ClinicKind) -> Option<&'static str> {
    match kind {
        ClinicKind::Hanui => Some(TREATMENTS_HANUI_TOML),
        ClinicKind::Dental => Some(TREATMENTS_DENTAL_TOML),
        ClinicKind::Physio => Some(TREATMENTS_PHYSIO_TOML),
        ClinicKind::Eye => Some(TREATMENTS_EYE_TOML),
        ClinicKind::Other => None,
    }
}

/// The phone answers for a kind of clinic's main treatments (`None`: the general ones only).
pub fn qa_toml(kind: ClinicKind) -> Option<&'static str> {
    match kind {
        ClinicKind::Hanui => Some(QA_HANUI_TOML),
        ClinicKind::Dental => Some(QA_DENTAL_TOML),
        ClinicKind::Physio => Some(QA_PHYSIO_TOML),
        ClinicKind::Eye => Some(QA_EYE_TOML),
        ClinicKind::Other => None,
    }
}

/// The starting OKR template of a kind of clinic.
pub fn okr_template_toml(kind: ClinicKind) -> &'static str {
    match kind {
        ClinicKind::Hanui => OKR_HANUI_TOML,
        ClinicKind::Dental => OKR_DENTAL_TOML,
        ClinicKind::Physio => OKR_PHYSIO_TOML,
        ClinicKind::Eye => OKR_EYE_TOML,
        ClinicKind::Other => OKR_OTHER_TOML,
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourcesFile {
    source: Vec<SourceDef>,
    #[serde(default)]
    channel: Vec<ChannelDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceDef {
    code: String,
    ko: String,
    en: String,
    key: String,
    #[serde(default)]
    aliases: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChannelDef {
    code: String,
    ko: String,
    en: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TreatmentsFile {
    treatment: Vec<TreatmentDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TreatmentDef {
    code: String,
    ko: String,
    en: String,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    happy_call: bool,
    interval_days: i64,
    duration_min: i64,
    #[serde(default)]
    course_visits: i64,
    #[serde(default)]
    risky: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CategoriesFile {
    category: Vec<CategoryDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CategoryDef {
    code: String,
    ko: String,
    en: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QaFile {
    entry: Vec<QaDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QaDef {
    treatment: Option<String>,
    kind: String,
    question: String,
    answer: String,
}

fn parse<T: for<'de> Deserialize<'de>>(name: &str, text: &str) -> T {
    // These files are compiled in and covered by tests; a parse failure is a build bug.
    toml::from_str(text).unwrap_or_else(|e| panic!("data/{name} is malformed: {e}"))
}

/// Fills the catalogs of a new database. Runs inside the creating transaction.
pub fn seed_defaults(conn: &Connection, today: chrono::NaiveDate) -> Result<()> {
    let sources: SourcesFile = parse("referral_sources.toml", REFERRAL_SOURCES_TOML);
    for (i, s) in sources.source.iter().enumerate() {
        conn.execute(
            "INSERT INTO referral_sources (code, label_ko, label_en, aliases, key, sort) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![s.code, s.ko, s.en, s.aliases.join(","), s.key, i as i64],
        )?;
    }
    for (i, c) in sources.channel.iter().enumerate() {
        conn.execute(
            "INSERT INTO referral_channels (code, source_code, label_ko, label_en, sort) VALUES (?1, 'internet', ?2, ?3, ?4)",
            params![c.code, c.ko, c.en, i as i64],
        )?;
    }
    seed_treatments(conn, ClinicKind::Hanui)?;
    let categories: CategoriesFile = parse("complaint_categories.toml", COMPLAINT_CATEGORIES_TOML);
    for (i, c) in categories.category.iter().enumerate() {
        conn.execute(
            "INSERT INTO complaint_categories (code, label_ko, label_en, sort) VALUES (?1, ?2, ?3, ?4)",
            params![c.code, c.ko, c.en, i as i64],
        )?;
    }
    let qa: QaFile = parse("qa_manual.toml", QA_MANUAL_TOML);
    insert_qa_entries(conn, &qa.entry)?;
    seed_qa(conn, ClinicKind::Hanui)?;
    let weights: BTreeMap<String, i64> = parse("dropout_weights.toml", DROPOUT_WEIGHTS_TOML);
    for (reason, weight) in &weights {
        conn.execute(
            "INSERT INTO dropout_weights (reason, weight) VALUES (?1, ?2)",
            params![reason, weight],
        )?;
    }
    conn.execute("INSERT INTO settings (key, value) VALUES ('clinic_kind', 'hanui')", [])?;
    seed_okr_template(conn, ClinicKind::Hanui, today)?;
    Ok(())
}

/// Inserts the starting treatments of a kind of clinic.
pub fn seed_treatments(conn: &Connection, kind: ClinicKind) -> Result<()> {
    let Some(text) = treatments_toml(kind) else { return Ok(()) };
    let treatments: TreatmentsFile = parse(&format!("treatments/{}.toml", kind.code()), text);
    for (i, t) in treatments.treatment.iter().enumerate() {
        conn.execute(
            "INSERT INTO treatments (code, label_ko, label_en, aliases, happy_call, interval_days, duration_min, course_visits, risky, sort)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                t.code,
                t.ko,
                t.en,
                t.aliases.join(","),
                t.happy_call,
                t.interval_days,
                t.duration_min,
                t.course_visits,
                t.risky.join(","),
                i as i64
            ],
        )?;
    }
    Ok(())
}

fn insert_qa_entries(conn: &Connection, entries: &[QaDef]) -> Result<()> {
    for q in entries {
        // Placeholders ({hours} ~) stay in the stored text and are filled from the settings
        // whenever the manual is read (store::inquiries::qa_entries).
        conn.execute(
            "INSERT INTO qa_entries (treatment_code, question_kind, question, answer, sort)
             VALUES (?1, ?2, ?3, ?4, (SELECT coalesce(max(sort), -1) + 1 FROM qa_entries))",
            params![q.treatment, q.kind, q.question, q.answer],
        )?;
    }
    Ok(())
}

/// Inserts the phone answers for a kind of clinic's main treatments (its treatments must be
/// in the catalog).
pub fn seed_qa(conn: &Connection, kind: ClinicKind) -> Result<()> {
    let Some(text) = qa_toml(kind) else { return Ok(()) };
    let qa: QaFile = parse(&format!("qa/{}.toml", kind.code()), text);
    insert_qa_entries(conn, &qa.entry)
}

/// Inserts the OKR template of a kind of clinic, over six months from this month.
pub fn seed_okr_template(conn: &Connection, kind: ClinicKind, today: chrono::NaiveDate) -> Result<()> {
    let objectives = crate::domain::okr::parse_okr_file(okr_template_toml(kind), today)
        .unwrap_or_else(|e| panic!("data/okr/{}.toml is malformed: {e}", kind.code()));
    for o in &objectives {
        super::okr::insert_objective(conn, o)?;
    }
    Ok(())
}

/// Replaces the objectives with a kind of clinic's template, its period starting in the month
/// of `date` (a new clinic's today, or the demo's).
pub fn reseed_okr_template(tx: &super::Tx<'_>, kind: ClinicKind, date: chrono::NaiveDate) -> Result<()> {
    tx.execute("DELETE FROM objectives", [])?;
    seed_okr_template(tx, kind, date)?;
    tx.audit(
        &super::audit::Entry::new("replace", "objectives")
            .detail(format!("{} template from {date}", kind.code())),
    )
}

/// A row of a code catalog (referral source, treatment, complaint category ~).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeLabel {
    pub code: String,
    pub ko: String,
    pub en: String,
    /// Extra names accepted on input.
    pub aliases: Vec<String>,
    /// The one key that picks it in a form, where it has one.
    pub key: Option<char>,
    pub active: bool,
}

impl CodeLabel {
    pub fn label(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ko => &self.ko,
            Lang::En => &self.en,
        }
    }

    /// Matches a code, a label in either language, or an alias, ignoring case.
    pub fn matches(&self, input: &str) -> bool {
        let t = input.trim().to_lowercase();
        self.code == t
            || self.ko.to_lowercase() == t
            || self.en.to_lowercase() == t
            || self.aliases.iter().any(|a| a.to_lowercase() == t)
    }
}

/// A treatment with what the desk needs to know about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Treatment {
    pub code: CodeLabel,
    pub happy_call: bool,
    pub interval_days: i64,
    pub duration_min: i64,
    pub course_visits: i64,
    pub risky: Vec<String>,
}

fn split_list(s: String) -> Vec<String> {
    s.split(',').map(str::trim).filter(|x| !x.is_empty()).map(str::to_owned).collect()
}

/// Everything the screens look codes up in, read once per data version.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub referral_sources: Vec<CodeLabel>,
    pub referral_channels: Vec<CodeLabel>,
    pub treatments: Vec<Treatment>,
    pub complaint_categories: Vec<CodeLabel>,
    pub staff: Vec<StaffMember>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffMember {
    pub id: i64,
    pub name: String,
    pub role: crate::domain::Role,
    pub active: bool,
}

impl Catalog {
    pub fn load(conn: &impl super::Db) -> Result<Catalog> {
        let conn = conn.db();
        let mut stmt = conn.prepare(
            "SELECT code, label_ko, label_en, aliases, key, active FROM referral_sources ORDER BY sort, code",
        )?;
        let referral_sources = stmt
            .query_map([], |r| {
                Ok(CodeLabel {
                    code: r.get(0)?,
                    ko: r.get(1)?,
                    en: r.get(2)?,
                    aliases: split_list(r.get(3)?),
                    key: r.get::<_, String>(4)?.chars().next(),
                    active: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut stmt = conn
            .prepare("SELECT code, label_ko, label_en, active FROM referral_channels ORDER BY sort, code")?;
        let referral_channels = stmt.query_map([], plain_code)?.collect::<rusqlite::Result<Vec<_>>>()?;
        let mut stmt = conn.prepare(
            "SELECT code, label_ko, label_en, aliases, active, happy_call, interval_days, duration_min, course_visits, risky
             FROM treatments ORDER BY sort, code",
        )?;
        let treatments = stmt
            .query_map([], |r| {
                Ok(Treatment {
                    code: CodeLabel {
                        code: r.get(0)?,
                        ko: r.get(1)?,
                        en: r.get(2)?,
                        aliases: split_list(r.get(3)?),
                        key: None,
                        active: r.get(4)?,
                    },
                    happy_call: r.get(5)?,
                    interval_days: r.get(6)?,
                    duration_min: r.get(7)?,
                    course_visits: r.get(8)?,
                    risky: split_list(r.get(9)?),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut stmt = conn.prepare(
            "SELECT code, label_ko, label_en, active FROM complaint_categories ORDER BY sort, code",
        )?;
        let complaint_categories = stmt.query_map([], plain_code)?.collect::<rusqlite::Result<Vec<_>>>()?;
        let mut stmt = conn.prepare("SELECT id, name, role, active FROM staff ORDER BY sort, id")?;
        let staff = stmt
            .query_map([], |r| {
                let role: String = r.get(2)?;
                Ok(StaffMember {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    role: crate::domain::Role::parse(&role).unwrap_or(crate::domain::Role::Desk),
                    active: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Catalog { referral_sources, referral_channels, treatments, complaint_categories, staff })
    }

    pub fn treatment(&self, code: &str) -> Option<&Treatment> {
        self.treatments.iter().find(|t| t.code.code == code)
    }

    pub fn treatment_label(&self, code: &str, lang: Lang) -> String {
        self.treatment(code).map(|t| t.code.label(lang).to_string()).unwrap_or_else(|| code.to_string())
    }

    pub fn source_label(&self, code: &str, lang: Lang) -> String {
        self.referral_sources
            .iter()
            .find(|s| s.code == code)
            .map(|s| s.label(lang).to_string())
            .unwrap_or_else(|| code.to_string())
    }

    pub fn staff_name(&self, id: i64) -> Option<&str> {
        self.staff.iter().find(|s| s.id == id).map(|s| s.name.as_str())
    }

    pub fn providers(&self) -> impl Iterator<Item = &StaffMember> {
        self.staff.iter().filter(|s| s.role == crate::domain::Role::Director)
    }
}

fn plain_code(r: &rusqlite::Row<'_>) -> rusqlite::Result<CodeLabel> {
    Ok(CodeLabel {
        code: r.get(0)?,
        ko: r.get(1)?,
        en: r.get(2)?,
        aliases: Vec::new(),
        key: None,
        active: r.get(3)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_catalogs_parse() {
        let s: SourcesFile = parse("referral_sources.toml", REFERRAL_SOURCES_TOML);
        let codes: Vec<&str> = s.source.iter().map(|x| x.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "signboard",
                "in_building",
                "referral",
                "internet",
                "sms",
                "magazine",
                "other",
                "existing_patient"
            ]
        );
        let keys: std::collections::HashSet<&str> = s.source.iter().map(|x| x.key.as_str()).collect();
        assert_eq!(keys.len(), s.source.len(), "each source needs its own key");
        assert!(!s.channel.is_empty());
        let t: TreatmentsFile = parse("treatments/hanui.toml", TREATMENTS_HANUI_TOML);
        assert!(t.treatment.iter().any(|x| x.code == "chuna" && x.happy_call));
        let c: CategoriesFile = parse("complaint_categories.toml", COMPLAINT_CATEGORIES_TOML);
        for kind in ClinicKind::ALL {
            let Some(text) = treatments_toml(*kind) else { continue };
            let kt: TreatmentsFile = parse("treatments", text);
            assert!(kt.treatment.len() >= 5, "{kind}");
            for tr in &kt.treatment {
                for r in &tr.risky {
                    assert!(
                        c.category.iter().any(|cat| &cat.code == r),
                        "{kind}: {} risky {r} unknown",
                        tr.code
                    );
                }
            }
            let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
            let okr = crate::domain::okr::parse_okr_file(okr_template_toml(*kind), today).unwrap();
            assert!(!okr.is_empty(), "{kind}");
        }
        let general: QaFile = parse("qa_manual.toml", QA_MANUAL_TOML);
        assert!(general.entry.iter().all(|e| e.treatment.is_none()), "the general manual names no treatment");
        for kind in ClinicKind::ALL {
            let mut entries: Vec<&QaDef> = general.entry.iter().collect();
            let own: Option<QaFile> = qa_toml(*kind).map(|text| parse("qa", text));
            entries.extend(own.iter().flat_map(|q| q.entry.iter()));
            for e in &entries {
                assert!(crate::domain::QuestionKind::parse(&e.kind).is_some(), "{}", e.kind);
                if let Some(tr) = &e.treatment {
                    let kt: TreatmentsFile = parse("treatments", treatments_toml(*kind).unwrap());
                    assert!(kt.treatment.iter().any(|x| &x.code == tr), "{kind}: qa treatment {tr}");
                }
            }
            // A useful start for every kind: each kind of question, and about its treatments.
            for k in ["price", "method", "duration", "insurance", "hours"] {
                assert!(entries.iter().any(|e| e.kind == k), "{kind}: no {k} answer");
            }
            assert!(entries.iter().any(|e| e.answer.contains("{parking}")), "{kind}: parking");
            if let Some(own) = &own {
                assert!(own.entry.len() >= 6, "{kind}: answers for its main treatments");
            }
        }
        let w: BTreeMap<String, i64> = parse("dropout_weights.toml", DROPOUT_WEIGHTS_TOML);
        assert_eq!(w.get("missed_last_not_rebooked"), Some(&3));
        assert_eq!(w.len(), crate::domain::setup::DROPOUT_REASONS.len());
    }
}
