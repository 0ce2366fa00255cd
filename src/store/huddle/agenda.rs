//! The huddle's agenda for a day: today's visits, complaints, risky categories, chart counts and the OKR pulse.

use super::actions::{ACTION_SELECT, action_from_row};
use super::dropouts::dropouts;
use super::{
    Agenda, ChartCounts, ComplaintItem, DROPOUTS_SHOWN, HuddleAction, PatientBrief, PulseKeyResult,
    PulseObjective, RECENT_COMPLAINT_DAYS, RISK_WINDOW_DAYS, RISKY_CATEGORIES, RISKY_VISITS_SHOWN,
    RiskyVisit, TodayVisit, day_text, parse_day, parse_time,
};
use crate::domain::Tag;
use crate::store::Result;
use crate::store::catalog::Catalog;
use chrono::Datelike;
use chrono::Duration;
use chrono::NaiveDate;
use chrono::NaiveDateTime;
use rusqlite::Connection;
use rusqlite::params;
use std::collections::BTreeMap;
use std::collections::HashMap;

/// Loads the whole agenda for `today`.
pub fn load_agenda(conn: &Connection, catalog: &Catalog, today: NaiveDate) -> Result<Agenda> {
    // The huddle is held during the day: rates are judged through yesterday.
    let board = crate::store::okr::board_live(conn, today, 0)?;
    load_agenda_with_board(conn, catalog, today, &board)
}

/// Loads the agenda for `today` with the OKR board already judged at `today` (the app shares
/// one board between the OKR tab and the huddle, see [`crate::store::okr::shared_board`]).
pub fn load_agenda_with_board(
    conn: &impl crate::store::Db,
    catalog: &Catalog,
    today: NaiveDate,
    board: &[crate::store::okr::ObjectiveStatus],
) -> Result<Agenda> {
    let conn = conn.db();
    let visits = today_visits(conn, today)?;
    let complaints = complaint_items(conn, today, &visits)?;
    let risky_categories = risky_categories(conn, today)?;
    let top: Vec<&str> = risky_categories.iter().take(RISKY_CATEGORIES).map(|(c, _)| c.as_str()).collect();
    // Today's visits through a frequent category by their treatment, kept only when the
    // patient has had a complaint of that category before or comes for the first time: a
    // treatment alone would put half the day on the list.
    let mut history =
        conn.prepare_cached("SELECT DISTINCT category_code FROM complaints WHERE patient_id = ?1")?;
    let mut risky_visits = Vec::new();
    for v in &visits {
        let Some(t) = v.treatment.as_deref().and_then(|t| catalog.treatment(t)) else { continue };
        let through: Vec<String> = t.risky.iter().filter(|c| top.contains(&c.as_str())).cloned().collect();
        if through.is_empty() {
            continue;
        }
        let cats = if v.first_visit {
            through
        } else {
            let had: Vec<String> =
                history.query_map([v.patient.id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
            through.into_iter().filter(|c| had.contains(c)).collect()
        };
        if !cats.is_empty() {
            risky_visits.push(RiskyVisit { visit: v.clone(), categories: cats });
        }
    }
    let risky_more = risky_visits.len().saturating_sub(RISKY_VISITS_SHOWN);
    risky_visits.truncate(RISKY_VISITS_SHOWN);
    let counts = chart_counts(&visits);
    let dropouts = dropouts(conn, catalog, today, DROPOUTS_SHOWN)?;
    let okr = okr_pulse(board, today);
    let mut ids: Vec<i64> = visits.iter().map(|v| v.patient.id).collect();
    ids.extend(complaints.iter().map(|c| c.patient.id));
    ids.extend(dropouts.iter().map(|(d, _)| d.patient_id));
    ids.sort_unstable();
    ids.dedup();
    // Every open action at once (few: they are ticked off at the next huddle), kept for the
    // patients on the agenda.
    let mut open_actions: HashMap<i64, Vec<HuddleAction>> = HashMap::new();
    let mut stmt =
        conn.prepare_cached(&format!("{ACTION_SELECT} WHERE h.done_at IS NULL ORDER BY h.created_at, h.id"))?;
    for action in stmt.query_map([], action_from_row)? {
        let action = action?;
        if ids.binary_search(&action.patient.id).is_ok() {
            open_actions.entry(action.patient.id).or_default().push(action);
        }
    }
    Ok(Agenda {
        complaints,
        risky_categories,
        risky_visits,
        risky_more,
        today: visits,
        counts,
        dropouts,
        okr,
        open_actions,
    })
}

/// Today's appointments that are not cancelled, in time order.
pub fn today_visits(conn: &Connection, today: NaiveDate) -> Result<Vec<TodayVisit>> {
    let tomorrow = today + Duration::days(1);
    // One statement: the per-patient look-ups run inside SQLite instead of four round trips
    // per appointment. The first-visit flag: no done visit before today (`first_visit_on`,
    // kept exact by the store).
    let mut stmt = conn.prepare_cached(
        "SELECT a.id, a.start, a.status, a.treatment_code, p.id, p.chart_no, p.name, p.phone, p.birth_date,
           (SELECT group_concat(t.tag) FROM patient_tags t WHERE t.patient_id = p.id),
           coalesce(p.first_visit_on >= ?1, 1),
           (SELECT count(*) FROM patients r WHERE r.referrer_id = p.id),
           EXISTS (SELECT 1 FROM consultations c WHERE c.patient_id = p.id AND c.status = 'undecided')
         FROM appointments a JOIN patients p ON p.id = a.patient_id
         WHERE a.start >= ?1 AND a.start < ?2 AND a.status != 'cancelled'
         ORDER BY a.start, a.id",
    )?;
    let rows = stmt
        .query_map(params![day_text(today), day_text(tomorrow)], |r| {
            let start: String = r.get(1)?;
            let birth: Option<String> = r.get(8)?;
            let tags: Option<String> = r.get(9)?;
            let mut tags: Vec<Tag> =
                tags.as_deref().unwrap_or("").split(',').filter_map(Tag::parse).collect();
            tags.sort();
            let undecided: bool = r.get(12)?;
            let prospect = undecided || tags.contains(&Tag::Prospect);
            let Some(start) = parse_time(&start) else { return Ok(None) };
            Ok(Some(TodayVisit {
                appointment_id: r.get(0)?,
                start,
                status: r.get(2)?,
                treatment: r.get(3)?,
                patient: PatientBrief {
                    id: r.get(4)?,
                    chart_no: r.get(5)?,
                    name: r.get(6)?,
                    phone: r.get(7)?,
                },
                tags,
                first_visit: r.get(10)?,
                birthday: birth
                    .as_deref()
                    .and_then(parse_day)
                    .is_some_and(|b| (b.month(), b.day()) == (today.month(), today.day())),
                referred: r.get(11)?,
                prospect,
            }))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows.into_iter().flatten().collect())
}

fn chart_counts(visits: &[TodayVisit]) -> ChartCounts {
    // Count people, not appointments: someone booked twice today is one chart.
    let mut seen = std::collections::HashSet::new();
    let people: Vec<&TodayVisit> = visits.iter().filter(|v| seen.insert(v.patient.id)).collect();
    let by_tag =
        Tag::ALL.iter().map(|t| (*t, people.iter().filter(|v| v.tags.contains(t)).count() as i64)).collect();
    ChartCounts {
        visits: people.len() as i64,
        by_tag,
        first_visits: people.iter().filter(|v| v.first_visit).count() as i64,
        referrers: people.iter().filter(|v| v.referred > 0 || v.tags.contains(&Tag::Referrer)).count() as i64,
        prospects: people.iter().filter(|v| v.prospect).count() as i64,
        birthdays: people.iter().filter(|v| v.birthday).count() as i64,
    }
}

const COMPLAINT_SELECT: &str =
    "SELECT c.id, p.id, p.chart_no, p.name, p.phone, c.raised_at, c.category_code, c.plan, s.name, c.status
     FROM complaints c JOIN patients p ON p.id = c.patient_id LEFT JOIN staff s ON s.id = c.owner_id";

/// (id, patient, raised_at, category, plan, owner name, status)
type ComplaintRaw = (i64, PatientBrief, String, String, String, Option<String>, String);

fn complaint_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ComplaintRaw> {
    let patient = PatientBrief { id: r.get(1)?, chart_no: r.get(2)?, name: r.get(3)?, phone: r.get(4)? };
    Ok((r.get(0)?, patient, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?))
}

/// Open complaints, and complaints of the last 90 days of anyone coming today.
fn complaint_items(conn: &Connection, today: NaiveDate, visits: &[TodayVisit]) -> Result<Vec<ComplaintItem>> {
    let mut raw = Vec::new();
    let mut stmt =
        conn.prepare_cached(&format!("{COMPLAINT_SELECT} WHERE c.status = 'open' ORDER BY c.raised_at"))?;
    raw.extend(stmt.query_map([], complaint_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?);
    let since = day_text(today - Duration::days(RECENT_COMPLAINT_DAYS));
    let mut stmt = conn.prepare_cached(&format!(
        "{COMPLAINT_SELECT} WHERE c.patient_id = ?1 AND c.raised_at >= ?2 ORDER BY c.raised_at"
    ))?;
    let mut coming: BTreeMap<i64, NaiveDateTime> = BTreeMap::new();
    for v in visits {
        coming.entry(v.patient.id).or_insert(v.start);
    }
    for pid in coming.keys() {
        raw.extend(
            stmt.query_map(params![pid, since], complaint_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?,
        );
    }
    let mut out: Vec<ComplaintItem> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (id, patient, raised, category, plan, owner, status) in raw {
        if !seen.insert(id) {
            continue;
        }
        let pid = patient.id;
        out.push(ComplaintItem {
            id,
            patient,
            raised_on: parse_day(&raised).unwrap_or(today),
            category,
            plan,
            owner,
            open: status == "open",
            coming_at: coming.get(&pid).copied(),
        });
    }
    // Those coming today first, in time order; then the rest, oldest complaint first.
    out.sort_by(|a, b| {
        (a.coming_at.is_none(), a.coming_at, a.raised_on, a.id).cmp(&(
            b.coming_at.is_none(),
            b.coming_at,
            b.raised_on,
            b.id,
        ))
    });
    Ok(out)
}

/// Complaint categories of the last 30 days (today included), most frequent first.
pub fn risky_categories(conn: &Connection, today: NaiveDate) -> Result<Vec<(String, i64)>> {
    let from = day_text(today - Duration::days(RISK_WINDOW_DAYS - 1));
    let to = day_text(today + Duration::days(1));
    let mut stmt = conn.prepare_cached(
        "SELECT category_code, count(*) AS n FROM complaints
         WHERE raised_at >= ?1 AND raised_at < ?2
         GROUP BY category_code ORDER BY n DESC, category_code",
    )?;
    let rows = stmt.query_map(params![from, to], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Objectives running today (or, when none is, all of them) with their key results, judged
/// live from the desk's data by the OKR board.
pub fn okr_pulse(board: &[crate::store::okr::ObjectiveStatus], today: NaiveDate) -> Vec<PulseObjective> {
    let any_running = board.iter().any(|o| o.objective.from <= today && today <= o.objective.to);
    board
        .iter()
        .filter(|o| !any_running || (o.objective.from <= today && today <= o.objective.to))
        .map(|o| PulseObjective {
            title: o.objective.title.clone(),
            from: day_text(o.objective.from),
            to: day_text(o.objective.to),
            progress: o.progress,
            status: o.status,
            key_results: o
                .key_results
                .iter()
                .map(|k| {
                    let kr = &k.key_result;
                    PulseKeyResult {
                        title: kr.title.clone(),
                        metric: kr.metric_key.clone(),
                        direction: kr.direction.code().to_string(),
                        target: kr.target,
                        owner: kr.owner.clone(),
                        value_text: kr
                            .metric
                            .as_ref()
                            .map(|m| crate::domain::okr::format_value(m, k.judgement.value, &kr.unit))
                            .unwrap_or_else(|| "-".into()),
                        today_text: kr.metric.as_ref().filter(|m| !m.accumulates()).and_then(|m| {
                            k.today.map(|v| crate::domain::okr::format_value(m, Some(v), &kr.unit))
                        }),
                        progress: k.judgement.progress,
                        status: k.judgement.status,
                    }
                })
                .collect(),
        })
        .collect()
}
