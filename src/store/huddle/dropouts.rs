//! The expected dropouts: candidates read by index ranges, completed per patient, scored with the clinic's weights.

use super::{PatientBrief, day_text, parse_day, patient_brief};
use crate::domain::dropout;
use crate::domain::dropout::Course;
use crate::domain::dropout::Dropout;
use crate::domain::dropout::PatientFacts;
use crate::domain::dropout::ReasonKind;
use crate::domain::dropout::VisitDays;
use crate::domain::dropout::Weights;
use crate::store::Result;
use crate::store::catalog::Catalog;
use chrono::Duration;
use chrono::NaiveDate;
use rusqlite::Connection;
use rusqlite::OptionalExtension;
use rusqlite::params;
use std::collections::HashMap;

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

/// The reasons [`candidate_facts`] leaves for [`complete_courses`] and
/// [`complete_left_without_booking`]: each needs a look-up per patient, so they are read only
/// for patients who can still make the list.
const PENDING_REASONS: [ReasonKind; 3] =
    [ReasonKind::CourseUnfinished, ReasonKind::LeftWithoutBooking, ReasonKind::PackageFinished];

/// [`PENDING_REASONS`] for a patient who never bought a package: no package can have finished.
const PENDING_WITHOUT_PACKAGES: [ReasonKind; 2] =
    [ReasonKind::CourseUnfinished, ReasonKind::LeftWithoutBooking];

/// The dropout candidates with what the store keeps per patient: everyone whose latest done
/// visit was in the last 90 days and who has nothing kept or to keep from today on, with
/// their visit days and missed last appointment. A range read of patients_by_last_visit,
/// whose columns hold all of it, so nothing here reads a patient's history. The reasons in
/// [`PENDING_REASONS`] are not filled in. Beside each, whether the patient ever bought a
/// package (a look-up in the small packages_by_patient): without one, a finished package
/// cannot raise their score, which keeps most candidates' bound lower.
fn candidate_facts(conn: &Connection, today: NaiveDate) -> Result<Vec<(PatientFacts, bool)>> {
    let from = day_text(today - Duration::days(dropout::RECENT_VISIT_DAYS));
    let to = day_text(today);
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, p.first_visit_on, p.last_visit_on, p.visit_days, p.last_kept_at, p.last_missed_at,
           EXISTS (SELECT 1 FROM packages k WHERE k.patient_id = p.id)
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
        let has_packages: bool = r.get(6)?;
        facts.push((
            PatientFacts { patient_id, visits, missed_last_on, ..PatientFacts::default() },
            has_packages,
        ));
    }
    drop(rows);
    for i in missed_today_or_later {
        facts[i].0.missed_last_on = missed_before(conn, facts[i].0.patient_id, today)?;
    }
    Ok(facts)
}

/// Fills in whether a candidate's latest done visit ended without the next one booked
/// (`appointments.rebooked`; [`ReasonKind::LeftWithoutBooking`]): a look-up in the large
/// appointments_by_patient, so it is read last, only for a candidate who can still make the list.
fn complete_left_without_booking(conn: &Connection, facts: &mut PatientFacts) -> Result<()> {
    // `+status` keeps the look-ups on this patient's entries of appointments_by_patient.
    let last_rebooked: Option<bool> = conn
        .prepare_cached(
            "SELECT rebooked FROM appointments WHERE patient_id = ?1 AND +status = 'done'
             ORDER BY start DESC LIMIT 1",
        )?
        .query_row([facts.patient_id], |r| r.get(0))
        .optional()?;
    facts.left_last_without_booking = last_rebooked == Some(false);
    Ok(())
}

/// Fills in a candidate's courses ([`ReasonKind::CourseUnfinished`],
/// [`ReasonKind::PackageFinished`]): the unfinished courses from the packages (none to read
/// when `has_packages` is false) and the done visits per treatment (`patient_treatments`), and
/// the packages used up without a newer one of their treatment.
fn complete_courses(
    conn: &Connection,
    catalog: &Catalog,
    facts: &mut PatientFacts,
    has_packages: bool,
    today: NaiveDate,
) -> Result<()> {
    let patient_id = facts.patient_id;
    // Packages: sessions sold, and the sessions done visits before today used
    // (package_sessions, kept by the appointments triggers).
    let mut stmt = conn.prepare_cached(
        "SELECT k.treatment_code, k.sessions,
           (SELECT count(*) FROM package_sessions s JOIN appointments u ON u.id = s.appointment_id
              WHERE s.package_id = k.id AND u.start < ?2)
         FROM packages k WHERE k.patient_id = ?1 ORDER BY k.purchased_on, k.id",
    )?;
    let packages: Vec<(String, i64, i64)> = if has_packages {
        stmt.query_map(params![patient_id, day_text(today)], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?
    } else {
        Vec::new()
    };
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
/// the `limit`-th score found). Of a candidate's costly facts, the courses come first; the
/// latest visit's booking (the dearest look-up) is read only when the bound with the courses
/// known can still reach the list. The list is the same as scoring everyone: a candidate left
/// out scores below the `limit`-th score found then, which only rises.
pub fn dropouts(
    conn: &Connection,
    catalog: &Catalog,
    today: NaiveDate,
    limit: usize,
) -> Result<Vec<(Dropout, PatientBrief)>> {
    let (mut facts, has_packages): (Vec<PatientFacts>, Vec<bool>) =
        candidate_facts(conn, today)?.into_iter().unzip();
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
        .map(|(i, f)| {
            let pending: &[ReasonKind] =
                if has_packages[i] { &PENDING_REASONS } else { &PENDING_WITHOUT_PACKAGES };
            (dropout::score_bound(f, &weights, today, pending), i)
        })
        .collect();
    order.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    // The `limit` best scores found so far, lowest first.
    let mut best: std::collections::BinaryHeap<std::cmp::Reverse<i64>> = Default::default();
    let mut scored = Vec::new();
    for (bound, i) in order {
        if best.len() >= limit && best.peek().is_some_and(|low| bound < low.0) {
            break;
        }
        complete_courses(conn, catalog, &mut facts[i], has_packages[i], today)?;
        let left = [ReasonKind::LeftWithoutBooking];
        if best.len() >= limit
            && best.peek().is_some_and(|low| dropout::score_bound(&facts[i], &weights, today, &left) < low.0)
        {
            continue;
        }
        complete_left_without_booking(conn, &mut facts[i])?;
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
