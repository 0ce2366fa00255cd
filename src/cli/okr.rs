//! `frontdesk okr status` and `frontdesk okr load`.

use std::path::Path;

use chrono::NaiveDate;
use clap::{Subcommand, ValueEnum};

use super::{CliResult, Failure, open_store};
use crate::config::Config;
use crate::domain::Lang;
use crate::domain::okr::{self, Metric};
use crate::domain::text::{fit, fit_right, width};
use crate::store::catalog::Catalog;
use crate::store::okr::{self as store_okr, ObjectiveStatus};
use crate::store::{Access, StoreError};

#[derive(Debug, Subcommand)]
pub enum OkrCmd {
    /// Every key result: value, progress, pace and status (as of the end of the day: rates
    /// and averages include it)
    Status {
        /// Judge as of this day (default: today)
        #[arg(long, value_parser = super::parse_date, value_name = "YYYY-MM-DD")]
        at: Option<NaiveDate>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
        /// CSV without the byte order mark (by default it has one, so Korean Excel reads UTF-8)
        #[arg(long)]
        no_bom: bool,
    },
    /// Add the objectives and key results of a TOML file (all or nothing)
    Load {
        /// The file, in the shape of data/okr/hanui.toml with `from = YYYY-MM-DD` and
        /// `to = YYYY-MM-DD` in place of `months`
        file: std::path::PathBuf,
    },
    /// Write every objective and key result as an OKR file `okr load` reads back (dates,
    /// cadence and filters included)
    Export {
        /// Write to this file instead of the terminal
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

pub fn run(cmd: OkrCmd, db: &Path, config: &Config, lang: Lang) -> CliResult {
    match cmd {
        OkrCmd::Status { at, format, no_bom } => status(db, config, lang, at, format, no_bom),
        OkrCmd::Load { file } => load(db, config, &file),
        OkrCmd::Export { out } => export(db, config, out.as_deref()),
    }
}

fn export(db: &Path, config: &Config, out: Option<&Path>) -> CliResult {
    let store = super::open_existing(db, Access::ReadOnly, config)?;
    let defs: Vec<okr::ObjectiveDef> = store_okr::objectives(store.conn())?
        .into_iter()
        .map(|o| okr::ObjectiveDef {
            title: o.title,
            from: o.from,
            to: o.to,
            key_results: o.key_results.iter().filter_map(|k| k.def()).collect(),
        })
        .filter(|o| !o.key_results.is_empty())
        .collect();
    let text = okr::okr_file_text(&defs);
    let out = out.map(|path| super::out_file::Out { path, force: false });
    super::out_file::emit(out, db, text.as_bytes())
}

/// One row of `okr status`: the columns of DESIGN §6.
struct Row<'a> {
    objective: &'a str,
    key_result: &'a str,
    metric: String,
    direction: &'static str,
    target: f64,
    value: Option<f64>,
    progress: Option<f64>,
    pace: f64,
    status: okr::Status,
    cadence: okr::Cadence,
    /// For the table: the metric and unit, to format numbers as people read them.
    parsed: Option<&'a Metric>,
    unit: &'a str,
}

/// A JSON record, fields in the order of the CSV columns.
#[derive(serde::Serialize)]
struct JsonRow<'a> {
    objective: &'a str,
    key_result: &'a str,
    metric: &'a str,
    direction: &'a str,
    target: f64,
    value: Option<f64>,
    progress: Option<f64>,
    pace: f64,
    status: &'a str,
    cadence: &'a str,
}

fn rows(board: &[ObjectiveStatus]) -> Vec<Row<'_>> {
    board
        .iter()
        .flat_map(|o| {
            o.key_results.iter().map(move |k| Row {
                objective: &o.objective.title,
                key_result: &k.key_result.title,
                metric: k.key_result.metric_key.clone(),
                direction: k.key_result.direction.code(),
                target: k.key_result.target,
                value: k.judgement.value,
                progress: k.judgement.progress,
                pace: k.judgement.pace,
                status: k.judgement.status,
                cadence: k.key_result.cadence,
                parsed: k.key_result.metric.as_ref(),
                unit: &k.key_result.unit,
            })
        })
        .collect()
}

/// A fraction or count with no float noise (0.30000000000000004 -> 0.3), trimmed to 4 places.
fn number(v: f64) -> String {
    let s = format!("{:.4}", v);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

fn percent(v: f64) -> String {
    format!("{:.0}%", v * 100.0)
}

fn status(
    db: &Path,
    config: &Config,
    lang: Lang,
    at: Option<NaiveDate>,
    format: Format,
    no_bom: bool,
) -> CliResult {
    let store = super::open_existing(db, Access::ReadWrite, config)?;
    // `--at D` judges as of the end of D; without it, today is still going on: rates and
    // averages are judged through yesterday, as on the OKR tab (DESIGN §4).
    let board = match at {
        Some(d) => store_okr::board(store.conn(), d, 0)?,
        None => store_okr::board_live(store.conn(), super::now()?.date(), 0)?,
    };
    let rows = rows(&board);
    let mut out = String::new();
    match format {
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record([
                "objective",
                "key_result",
                "metric",
                "direction",
                "target",
                "value",
                "progress",
                "pace",
                "status",
                "cadence",
            ])?;
            for r in &rows {
                w.write_record([
                    r.objective.to_string(),
                    r.key_result.to_string(),
                    r.metric.clone(),
                    r.direction.to_string(),
                    number(r.target),
                    r.value.map(number).unwrap_or_default(),
                    r.progress.map(number).unwrap_or_default(),
                    number(r.pace),
                    r.status.code().to_string(),
                    r.cadence.code().to_string(),
                ])?;
            }
            out = String::from_utf8(w.into_inner().map_err(|e| Failure(e.to_string()))?)?;
        }
        Format::Json => {
            let list: Vec<JsonRow<'_>> = rows
                .iter()
                .map(|r| JsonRow {
                    objective: r.objective,
                    key_result: r.key_result,
                    metric: &r.metric,
                    direction: r.direction,
                    target: r.target,
                    value: r.value,
                    progress: r.progress,
                    pace: r.pace,
                    status: r.status.code(),
                    cadence: r.cadence.code(),
                })
                .collect();
            out = serde_json::to_string_pretty(&list)?;
            out.push('\n');
        }
        Format::Table => {
            let header = [
                lang.pick("목표", "objective"),
                lang.pick("핵심결과", "key result"),
                lang.pick("지표", "metric"),
                lang.pick("주기", "judged"),
                lang.pick("목표값", "target"),
                lang.pick("현재", "value"),
                lang.pick("진행", "progress"),
                lang.pick("기준", "pace"),
                lang.pick("상태", "status"),
            ];
            let cells: Vec<[String; 9]> = rows
                .iter()
                .map(|r| {
                    let shown = |v: Option<f64>| match r.parsed {
                        Some(m) => okr::format_value(m, v, r.unit),
                        None => v.map(number).unwrap_or_else(|| "-".into()),
                    };
                    let sign = if r.direction == "at_most" { "<=" } else { ">=" };
                    [
                        r.objective.to_string(),
                        r.key_result.to_string(),
                        r.metric.clone(),
                        match r.cadence {
                            okr::Cadence::Month => lang.pick("매월", "monthly"),
                            okr::Cadence::Period => lang.pick("기간", "period"),
                        }
                        .to_string(),
                        format!("{sign} {}", shown(Some(r.target))),
                        shown(r.value),
                        r.progress.map(percent).unwrap_or_else(|| "-".into()),
                        percent(r.pace),
                        r.status.label(lang).to_string(),
                    ]
                })
                .collect();
            let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
            for row in &cells {
                for (w, c) in widths.iter_mut().zip(row) {
                    *w = (*w).max(width(c));
                }
            }
            // Numbers align right, words left.
            let right = [false, false, false, false, true, true, true, true, false];
            let line = |row: &[String]| {
                let parts: Vec<String> = row
                    .iter()
                    .enumerate()
                    .map(|(i, c)| if right[i] { fit_right(c, widths[i]) } else { fit(c, widths[i]) })
                    .collect();
                parts.join("  ").trim_end().to_string()
            };
            out.push_str(&line(&header.map(String::from)));
            out.push('\n');
            for row in &cells {
                out.push_str(&line(row));
                out.push('\n');
            }
            if rows.is_empty() {
                out.push_str(lang.pick(
                    "목표가 없습니다. `frontdesk okr load FILE.toml`로 넣으세요.\n",
                    "No objectives yet: add some with `frontdesk okr load FILE.toml`.\n",
                ));
            }
        }
    }
    let text = crate::domain::text::printable(&out);
    let bytes = if format == Format::Csv {
        super::out_file::csv_with_bom(text.as_bytes(), no_bom, super::out_file::to_terminal(None))
    } else {
        text.into_owned().into_bytes()
    };
    super::out_file::emit(None, db, &bytes)
}

fn load(db: &Path, config: &Config, file: &Path) -> CliResult {
    let text = std::fs::read_to_string(file)
        .map_err(|e| Failure(format!("{}: cannot read ({e})", file.display())))?;
    let today = super::now()?.date();
    let objectives =
        okr::parse_okr_file(&text, today).map_err(|e| Failure(format!("{}: {e}", file.display())))?;
    let mut store = open_store(db, Access::ReadWrite, config)?;
    let catalog = Catalog::load(store.conn())?;
    for o in &objectives {
        for k in &o.key_results {
            if let Some(f) = k.metric.filters() {
                let fail = |field: &str, value: &str, known: Vec<&str>| {
                    Failure(format!(
                        "{}: {}, key result ({}): field `{field}` = '{value}' is not one of {}",
                        file.display(),
                        o.title,
                        k.title,
                        known.join(", ")
                    ))
                };
                if let Some(t) = &f.treatment
                    && catalog.treatment(t).is_none()
                {
                    return Err(fail(
                        "treatment",
                        t,
                        catalog.treatments.iter().map(|t| t.code.code.as_str()).collect(),
                    ));
                }
                if let Some(s) = &f.source
                    && !catalog.referral_sources.iter().any(|c| c.code == *s)
                {
                    return Err(fail(
                        "source",
                        s,
                        catalog.referral_sources.iter().map(|c| c.code.as_str()).collect(),
                    ));
                }
            }
            if let Metric::TreatmentShare(code) = &k.metric {
                if catalog.treatment(code).is_none() {
                    let known: Vec<&str> = catalog.treatments.iter().map(|t| t.code.code.as_str()).collect();
                    return Err(Failure(format!(
                        "{}: {}, key result ({}): field `metric` names treatment '{code}', not one of {}",
                        file.display(),
                        o.title,
                        k.title,
                        known.join(", ")
                    )));
                }
            }
        }
    }
    // An objective already there (same title and period) is updated, not copied.
    let done = store.write(|tx| {
        let mut done = store_okr::Loaded::default();
        for o in &objectives {
            done += store_okr::load_objective(tx, o)?;
        }
        Ok::<_, StoreError>(done)
    })?;
    say!(
        "{}: {} objectives added, {} updated; {} key results added, {} updated",
        file.display(),
        done.objectives_added,
        done.objectives_updated,
        done.key_results_added,
        done.key_results_updated
    );
    Ok(())
}
