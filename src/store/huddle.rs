//! The huddle's agenda (complaints, risky processes, chart review, expected dropouts, OKR
//! pulse), its decisions (`huddle_actions`) and the meetings themselves (`huddles`).

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, params};

use super::audit::Entry;
use super::catalog::Catalog;
use super::{Access, Result, Store, StoreError, Tx};
use crate::domain::dropout::{self, Course, Dropout, PatientFacts, ReasonKind, VisitDays, Weights};
use crate::domain::{DATE_FORMAT, TIME_FORMAT, Tag, text::clean};

/// How far back a complaint makes a patient coming today worth mentioning.
pub const RECENT_COMPLAINT_DAYS: i64 = 90;
/// The window for "most frequent complaint categories".
pub const RISK_WINDOW_DAYS: i64 = 30;
/// How many categories count as the risky ones.
pub const RISKY_CATEGORIES: usize = 3;
/// At most this many of today's visits are listed under risky processes: one screen.
pub const RISKY_VISITS_SHOWN: usize = 10;
/// How many expected dropouts the agenda lists: the highest scores, as many as a ten-minute
/// meeting can go through (a clinic with ten years of patients has thousands of candidates).
pub const DROPOUTS_SHOWN: usize = 40;

/// Who a row is about: enough to recognise them (masked on a shared screen).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatientBrief {
    pub id: i64,
    pub chart_no: String,
    pub name: String,
    pub phone: String,
}

/// A decision taken at a huddle, open until ticked off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HuddleAction {
    pub id: i64,
    pub huddle_id: Option<i64>,
    pub patient: PatientBrief,
    pub action: String,
    pub owner: String,
    pub created_at: String,
    pub done_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplaintItem {
    pub id: i64,
    pub patient: PatientBrief,
    pub raised_on: NaiveDate,
    pub category: String,
    pub plan: String,
    pub owner: Option<String>,
    pub open: bool,
    /// When the patient is coming today, the time.
    pub coming_at: Option<NaiveDateTime>,
}

/// One of today's appointments with what the chart review needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TodayVisit {
    pub appointment_id: i64,
    pub start: NaiveDateTime,
    pub status: String,
    pub treatment: Option<String>,
    pub patient: PatientBrief,
    pub tags: Vec<Tag>,
    pub first_visit: bool,
    pub birthday: bool,
    /// Patients this person has referred.
    pub referred: i64,
    /// Tagged prospect or with an undecided consultation.
    pub prospect: bool,
}

/// Today's appointment going through a risky category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskyVisit {
    pub visit: TodayVisit,
    pub categories: Vec<String>,
}

/// The chart review's counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChartCounts {
    pub visits: i64,
    pub by_tag: Vec<(Tag, i64)>,
    pub first_visits: i64,
    pub referrers: i64,
    pub prospects: i64,
    pub birthdays: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PulseKeyResult {
    pub title: String,
    pub metric: String,
    pub direction: String,
    pub target: f64,
    pub owner: String,
    /// The value to date, as people read it ("-" when there is none yet).
    pub value_text: String,
    /// A rate or average (judged through yesterday): today's value so far, as people read it.
    pub today_text: Option<String>,
    pub progress: Option<f64>,
    pub status: crate::domain::okr::Status,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PulseObjective {
    pub title: String,
    pub from: String,
    pub to: String,
    pub key_results: Vec<PulseKeyResult>,
    /// Mean progress of the key results and the worst status among them (DESIGN §4).
    pub progress: Option<f64>,
    pub status: crate::domain::okr::Status,
}

/// Everything the agenda shows, loaded at once on reload.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Agenda {
    pub complaints: Vec<ComplaintItem>,
    /// (category code, complaints in the last 30 days), most frequent first.
    pub risky_categories: Vec<(String, i64)>,
    pub risky_visits: Vec<RiskyVisit>,
    /// Risky visits left off the list (past [`RISKY_VISITS_SHOWN`]).
    pub risky_more: usize,
    pub today: Vec<TodayVisit>,
    pub counts: ChartCounts,
    pub dropouts: Vec<(Dropout, PatientBrief)>,
    pub okr: Vec<PulseObjective>,
    /// Open huddle actions by patient.
    pub open_actions: HashMap<i64, Vec<HuddleAction>>,
}

fn day_text(d: NaiveDate) -> String {
    d.format(DATE_FORMAT).to_string()
}

fn parse_time(s: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(s, TIME_FORMAT).ok()
}

fn parse_day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), DATE_FORMAT).ok()
}

pub fn patient_brief(conn: &impl super::Db, id: i64) -> Result<PatientBrief> {
    let conn = conn.db();
    let mut stmt = conn.prepare_cached("SELECT id, chart_no, name, phone FROM patients WHERE id = ?1")?;
    stmt.query_row([id], |r| {
        Ok(PatientBrief { id: r.get(0)?, chart_no: r.get(1)?, name: r.get(2)?, phone: r.get(3)? })
    })
    .optional()?
    .ok_or_else(|| StoreError::NotFound(format!("patient {id}")))
}

/// Loads the whole agenda for `today`.
pub fn load_agenda(conn: &Connection, catalog: &Catalog, today: NaiveDate) -> Result<Agenda> {
    // The huddle is held during the day: rates are judged through yesterday.
    let board = super::okr::board_live(conn, today, 0)?;
    load_agenda_with_board(conn, catalog, today, &board)
}

/// Loads the agenda for `today` with the OKR board already judged at `today` (the app shares
/// one board between the OKR tab and the huddle, see [`super::okr::shared_board`]).
pub fn load_agenda_with_board(
    conn: &impl super::Db,
    catalog: &Catalog,
    today: NaiveDate,
    board: &[super::okr::ObjectiveStatus],
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

/// The dropout weights as stored.
pub fn weights(conn: &Connection) -> Result<Weights> {
    let mut stmt = conn.prepare_cached("SELECT reason, weight FROM dropout_weights")?;
    let rows: Vec<(String, i64)> =
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Weights::from_rows(rows.iter().map(|(k, v)| (k.as_str(), *v))))
}

/// Open complaints' categories by patient, oldest first.
fn open_complaint_categories(conn: &Connection) -> Result<HashMap<i64, Vec<String>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT patient_id, category_code FROM complaints
         WHERE status = 'open' ORDER BY raised_at, id",
    )?;
    let mut out: HashMap<i64, Vec<String>> = HashMap::new();
    for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
        let (id, category) = row?;
        out.entry(id).or_default().push(category);
    }
    Ok(out)
}

/// Due dates of open prospect callbacks past due on an undecided consultation, by patient.
fn overdue_prospect_callbacks(conn: &Connection, today: NaiveDate) -> Result<HashMap<i64, NaiveDate>> {
    let mut stmt = conn.prepare_cached(
        "SELECT cb.patient_id, cb.due_on FROM callbacks cb
         WHERE cb.status = 'open' AND cb.due_on < ?1 AND cb.kind = 'prospect'
           AND EXISTS (SELECT 1 FROM consultations c WHERE c.patient_id = cb.patient_id AND c.status = 'undecided')",
    )?;
    let mut out = HashMap::new();
    for row in
        stmt.query_map(params![day_text(today)], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
    {
        let (id, due) = row?;
        if let Some(d) = parse_day(&due) {
            out.insert(id, d);
        }
    }
    Ok(out)
}

/// The reasons [`candidate_facts`] leaves for [`complete_facts`]: each needs a look-up per
/// patient, so they are read only for patients who can still make the list.
const PENDING_REASONS: [ReasonKind; 3] =
    [ReasonKind::CourseUnfinished, ReasonKind::LeftWithoutBooking, ReasonKind::PackageFinished];

/// The dropout candidates with what the store keeps per patient: everyone whose latest done
/// visit was in the last 90 days and who has nothing kept or to keep from today on, with
/// their visit days and missed last appointment. A range read of patients_by_last_visit,
/// whose columns hold all of it, so nothing here reads a patient's history. The reasons in
/// [`PENDING_REASONS`] are not filled in.
fn candidate_facts(conn: &Connection, today: NaiveDate) -> Result<Vec<PatientFacts>> {
    let from = day_text(today - Duration::days(dropout::RECENT_VISIT_DAYS));
    let to = day_text(today);
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, p.first_visit_on, p.last_visit_on, p.visit_days, p.last_kept_at, p.last_missed_at
         FROM patients p WHERE p.last_visit_on >= ?1 AND p.last_visit_on <= ?2 AND p.last_kept_at < ?2",
    )?;
    let mut rows = stmt.query(params![from, to])?;
    let mut facts = Vec::new();
    // Patients whose latest no-show is today or later: their last appointment before today
    // is looked up afterwards (rare).
    let mut missed_today_or_later = Vec::new();
    while let Some(r) = rows.next()? {
        let patient_id: i64 = r.get(0)?;
        let first: Option<String> = r.get(1)?;
        let last: Option<String> = r.get(2)?;
        let visits = match (first.as_deref().and_then(parse_day), last.as_deref().and_then(parse_day)) {
            (Some(first), Some(last)) => Some(VisitDays { first, last, days: r.get(3)? }),
            _ => None,
        };
        let kept: Option<String> = r.get(4)?;
        let missed: Option<String> = r.get(5)?;
        // The last appointment was missed when the latest no-show is later than anything
        // kept (one kept at the same time: the patient came).
        let missed_last = missed.filter(|m| kept.as_ref().is_none_or(|k| m > k));
        let missed_last_on = match missed_last {
            Some(m) if m.as_str() < to.as_str() => parse_day(&m),
            Some(_) => {
                missed_today_or_later.push(facts.len());
                None
            }
            None => None,
        };
        facts.push(PatientFacts { patient_id, visits, missed_last_on, ..PatientFacts::default() });
    }
    drop(rows);
    for i in missed_today_or_later {
        facts[i].missed_last_on = missed_before(conn, facts[i].patient_id, today)?;
    }
    Ok(facts)
}

/// Fills in the [`PENDING_REASONS`] facts of one candidate: whether the latest done visit
/// ended with the next one booked (`appointments.rebooked`), and the unfinished courses from
/// the packages and the done visits per treatment (`patient_treatments`).
fn complete_facts(
    conn: &Connection,
    catalog: &Catalog,
    facts: &mut PatientFacts,
    today: NaiveDate,
) -> Result<()> {
    let patient_id = facts.patient_id;
    // `+status` keeps the look-ups on this patient's entries of appointments_by_patient.
    let last_rebooked: Option<bool> = conn
        .prepare_cached(
            "SELECT rebooked FROM appointments WHERE patient_id = ?1 AND +status = 'done'
             ORDER BY start DESC LIMIT 1",
        )?
        .query_row([patient_id], |r| r.get(0))
        .optional()?;
    facts.left_last_without_booking = last_rebooked == Some(false);

    // Packages: sessions sold, and the sessions done visits before today used
    // (package_sessions, kept by the appointments triggers).
    let mut stmt = conn.prepare_cached(
        "SELECT k.treatment_code, k.sessions,
           (SELECT count(*) FROM package_sessions s JOIN appointments u ON u.id = s.appointment_id
              WHERE s.package_id = k.id AND u.start < ?2)
         FROM packages k WHERE k.patient_id = ?1 ORDER BY k.purchased_on, k.id",
    )?;
    let packages: Vec<(String, i64, i64)> = stmt
        .query_map(params![patient_id, day_text(today)], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut courses = Vec::new();
    for (i, (treatment, sessions, used)) in packages.iter().enumerate() {
        if used < sessions {
            courses.push(Course { treatment: treatment.clone(), sessions: *sessions, used: *used });
        } else if !packages[i + 1..].iter().any(|(t, _, _)| t == treatment) {
            // Used up, and no newer package of the treatment: finished without a renewal.
            facts.finished_packages.push(treatment.clone());
        }
    }
    // The catalog's usual course for every other treatment the patient had, by code.
    let mut stmt = conn.prepare_cached(
        "SELECT treatment_code, done_visits FROM patient_treatments WHERE patient_id = ?1 ORDER BY treatment_code",
    )?;
    for row in stmt.query_map([patient_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
        let (treatment, used) = row?;
        // A package for the treatment already says how many sessions there are.
        if packages.iter().any(|(p, _, _)| *p == treatment) {
            continue;
        }
        let course = catalog.treatment(&treatment).map(|x| x.course_visits).unwrap_or(0);
        if course > used {
            courses.push(Course { treatment, sessions: course, used });
        }
    }
    facts.unfinished_courses = courses;
    Ok(())
}

/// The day of the patient's latest appointment before `today` that was not cancelled, when it
/// was a no-show and nothing kept starts at the same time.
fn missed_before(conn: &Connection, patient_id: i64, today: NaiveDate) -> Result<Option<NaiveDate>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.start, NOT EXISTS (SELECT 1 FROM appointments k WHERE k.patient_id = a.patient_id
                                     AND k.start = a.start AND +k.status IN ('booked', 'arrived', 'done'))
         FROM appointments a WHERE a.patient_id = ?1 AND a.start < ?2 AND +a.status <> 'cancelled'
         ORDER BY a.start DESC LIMIT 1",
    )?;
    let latest: Option<(String, bool)> =
        stmt.query_row(params![patient_id, day_text(today)], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
    Ok(latest.and_then(|(start, missed)| if missed { parse_day(&start) } else { None }))
}

/// The expected dropouts, highest score first, at most `limit` of them.
///
/// Thousands of patients are candidates in a clinic with years of history, but the agenda
/// lists only the highest scores: candidates are taken in order of the highest score they can
/// still reach ([`dropout::score_bound`] over what the store keeps per patient), their costly
/// facts read one by one, until no remaining candidate can reach the list (its bound is below
/// the `limit`-th score found). The list is the same as scoring everyone.
pub fn dropouts(
    conn: &Connection,
    catalog: &Catalog,
    today: NaiveDate,
    limit: usize,
) -> Result<Vec<(Dropout, PatientBrief)>> {
    let mut facts = candidate_facts(conn, today)?;
    let mut complaints = open_complaint_categories(conn)?;
    let overdue = overdue_prospect_callbacks(conn, today)?;
    for f in &mut facts {
        f.open_complaints = complaints.remove(&f.patient_id).unwrap_or_default();
        f.prospect_callback_overdue_since = overdue.get(&f.patient_id).copied();
    }
    let weights = weights(conn)?;
    let mut order: Vec<(i64, usize)> = facts
        .iter()
        .enumerate()
        .map(|(i, f)| (dropout::score_bound(f, &weights, today, &PENDING_REASONS), i))
        .collect();
    order.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    // The `limit` best scores found so far, lowest first.
    let mut best: std::collections::BinaryHeap<std::cmp::Reverse<i64>> = Default::default();
    let mut scored = Vec::new();
    for (bound, i) in order {
        if best.len() >= limit && best.peek().is_some_and(|low| bound < low.0) {
            break;
        }
        complete_facts(conn, catalog, &mut facts[i], today)?;
        if let Some(d) = dropout::score(&facts[i], &weights, today) {
            best.push(std::cmp::Reverse(d.score));
            if best.len() > limit {
                best.pop();
            }
        }
        scored.push(facts[i].clone());
    }
    let ranked = dropout::rank(&scored, &weights, today);
    ranked.into_iter().take(limit).map(|d| Ok((d.clone(), patient_brief(conn, d.patient_id)?))).collect()
}

/// Objectives running today (or, when none is, all of them) with their key results, judged
/// live from the desk's data by the OKR board.
pub fn okr_pulse(board: &[super::okr::ObjectiveStatus], today: NaiveDate) -> Vec<PulseObjective> {
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

const ACTION_SELECT: &str = "SELECT h.id, h.huddle_id, h.action, h.owner, h.created_at, h.done_at,
            p.id, p.chart_no, p.name, p.phone
     FROM huddle_actions h JOIN patients p ON p.id = h.patient_id";

fn action_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<HuddleAction> {
    Ok(HuddleAction {
        id: r.get(0)?,
        huddle_id: r.get(1)?,
        action: r.get(2)?,
        owner: r.get(3)?,
        created_at: r.get(4)?,
        done_at: r.get(5)?,
        patient: PatientBrief { id: r.get(6)?, chart_no: r.get(7)?, name: r.get(8)?, phone: r.get(9)? },
    })
}

/// A patient's huddle actions not yet ticked off, oldest first (the flag on Today).
pub fn open_actions_for(conn: &Connection, patient_id: i64) -> Result<Vec<HuddleAction>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{ACTION_SELECT} WHERE h.patient_id = ?1 AND h.done_at IS NULL ORDER BY h.created_at, h.id"
    ))?;
    Ok(stmt.query_map([patient_id], action_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Records a decision: an action and its owner for a patient; audits.
pub fn insert_action(
    tx: &Tx<'_>,
    huddle_id: Option<i64>,
    patient_id: i64,
    action: &str,
    owner: &str,
) -> Result<i64> {
    let action = clean(action);
    if action.is_empty() {
        return Err(StoreError::Invalid("action is empty".into()));
    }
    tx.execute(
        "INSERT INTO huddle_actions (huddle_id, patient_id, action, owner, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![huddle_id, patient_id, action, clean(owner), tx.now_text()],
    )?;
    let id = tx.last_insert_rowid();
    tx.audit(&Entry::new("create", "huddle_action").id(id).patient(patient_id).detail(action))?;
    Ok(id)
}

/// Ticks an action off; audits. Ticking one already done is refused.
pub fn tick_action(tx: &Tx<'_>, action_id: i64) -> Result<()> {
    let patient_id: i64 = tx
        .query_row(
            "SELECT patient_id FROM huddle_actions WHERE id = ?1 AND done_at IS NULL",
            [action_id],
            |r| r.get(0),
        )
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("open huddle action {action_id}")))?;
    tx.execute("UPDATE huddle_actions SET done_at = ?2 WHERE id = ?1", params![action_id, tx.now_text()])?;
    tx.audit(&Entry::new("update", "huddle_action").id(action_id).patient(patient_id).detail("done"))?;
    Ok(())
}

/// Opens the record of a huddle held on `day`; audits.
pub fn start_huddle(tx: &Tx<'_>, day: NaiveDate, started_at: NaiveDateTime) -> Result<i64> {
    tx.execute(
        "INSERT INTO huddles (held_on, started_at) VALUES (?1, ?2)",
        params![day_text(day), started_at.format(TIME_FORMAT).to_string()],
    )?;
    let id = tx.last_insert_rowid();
    tx.audit(&Entry::new("create", "huddle").id(id).detail(day_text(day)))?;
    Ok(id)
}

/// Saves how long the huddle has run; audits.
pub fn set_huddle_length(tx: &Tx<'_>, huddle_id: i64, seconds: i64) -> Result<()> {
    let n =
        tx.execute("UPDATE huddles SET length_sec = ?2 WHERE id = ?1", params![huddle_id, seconds.max(0)])?;
    if n == 0 {
        return Err(StoreError::NotFound(format!("huddle {huddle_id}")));
    }
    tx.audit(&Entry::new("update", "huddle").id(huddle_id).detail(format!("length {seconds}s")))?;
    Ok(())
}

/// The latest huddle held on `day`: (id, length in seconds).
pub fn huddle_on(conn: &impl super::Db, day: NaiveDate) -> Result<Option<(i64, i64)>> {
    let conn = conn.db();
    Ok(conn
        .prepare_cached("SELECT id, length_sec FROM huddles WHERE held_on = ?1 ORDER BY id DESC LIMIT 1")?
        .query_row([day_text(day)], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// A past huddle with its decisions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HuddleRecord {
    pub id: i64,
    pub held_on: String,
    pub started_at: String,
    pub length_sec: i64,
    pub decisions: Vec<HuddleAction>,
}

/// The latest huddles, newest first, each with its decisions.
pub fn recent_huddles(conn: &impl super::Db, limit: usize) -> Result<Vec<HuddleRecord>> {
    let conn = conn.db();
    let mut stmt = conn.prepare_cached(
        "SELECT id, held_on, started_at, length_sec FROM huddles ORDER BY held_on DESC, id DESC LIMIT ?1",
    )?;
    let heads: Vec<(i64, String, String, i64)> = stmt
        .query_map([limit as i64], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut acts = conn.prepare_cached(&format!("{ACTION_SELECT} WHERE h.huddle_id = ?1 ORDER BY h.id"))?;
    let mut out = Vec::new();
    for (id, held_on, started_at, length_sec) in heads {
        let decisions = acts.query_map([id], action_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        out.push(HuddleRecord { id, held_on, started_at, length_sec, decisions });
    }
    Ok(out)
}

/// Logs that names were unmasked on a shared screen. The presentation screen holds its
/// database read-only, so the audit row goes through a separate, short read-write connection
/// opened for this one row and closed at once.
pub fn log_unmask(store: &mut Store, what: &str) -> Result<()> {
    let entry = Entry::new("unmask", "huddle").detail(what.to_string());
    if store.access() == Access::ReadWrite {
        return store.write(|tx| tx.audit(&entry));
    }
    let mut writer = Store::open(store.path(), Access::ReadWrite, store.actor().clone())
        .map_err(|e| StoreError::Invalid(e.to_string()))?;
    writer.write(|tx| tx.audit(&entry))
}
