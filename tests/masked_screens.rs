//! `--mask` on the desk covers the free text of every screen: notes, reactions, plans,
//! complaints, inquiry notes, the Q&A manual, the patient card and the OKR drill-downs. The
//! demo clinic with every free text rewritten to name a patient (`비밀환자님(010-...)`) and
//! another patient is walked through tab by tab, opening rows, and no frame may show them.

mod common;

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use frontdesk::app::keymap::Command;
use frontdesk::app::{App, AppOptions, TabId};
use frontdesk::demo::{DemoOptions, Scale};
use frontdesk::domain::Lang;

/// The demo clinic with every free text naming the patient `비밀환자` and `other`.
fn clinic(db: &std::path::Path) -> (String, String) {
    let date = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let mut store = common::open(db);
    frontdesk::demo::generate(&mut store, &DemoOptions { scale: Scale::Small, seed: 42, date }).unwrap();
    // The secret patient is the first of the day's list; the other one is any patient with a
    // three-syllable name.
    let secret_id: i64 = store
        .conn()
        .query_row(
            "SELECT patient_id FROM appointments WHERE start >= '2026-11-23' ORDER BY start LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let other: String = store
        .conn()
        .query_row(
            "SELECT name FROM patients WHERE id <> ?1 AND length(name) = 3 ORDER BY id LIMIT 1",
            [secret_id],
            |r| r.get(0),
        )
        .unwrap();
    let note = format!("비밀환자님(010-1357-2468) 보호자 {other} 연락");
    store
        .write(|tx| {
            tx.execute(
                "UPDATE patients SET name = '비밀환자', phone = '010-1357-2468', phone_digits = '01013572468'
                 WHERE id = ?1",
                [secret_id],
            )?;
            for sql in [
                "UPDATE notes SET body = ?1",
                "UPDATE complaints SET description = ?1, plan = ?1, resolution = ?1",
                "UPDATE consultations SET circumstances = ?1, reaction = ?1",
                "UPDATE callbacks SET note = ?1",
                "UPDATE callback_contacts SET reaction = ?1, next_plan = ?1",
                "UPDATE inquiries SET note = ?1",
                "UPDATE qa_entries SET question = ?1, answer = ?1",
                "UPDATE huddle_actions SET action = ?1",
                "UPDATE checkins SET comment = ?1",
            ] {
                tx.execute(sql, [&note])?;
            }
            // Every patient has a post-it, so the day's list shows one on every row.
            tx.execute(
                "INSERT INTO notes (patient_id, body, created_at)
                 SELECT DISTINCT patient_id, ?1, '2026-11-20T10:00:00' FROM appointments
                 WHERE start >= '2026-11-23' AND start < '2026-11-24'",
                [&note],
            )?;
            Ok(())
        })
        .unwrap();
    let chart: String = store
        .conn()
        .query_row("SELECT chart_no FROM patients WHERE id = ?1", [secret_id], |r| r.get(0))
        .unwrap();
    (other, chart)
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::from(code)
}

/// Every screen of the walk, each with a label: the tabs, rows opened on each, the huddle's
/// sections and history, the inquiries' report and manual, search and the patient card.
fn walk(db: &std::path::Path, mask: bool, chart: &str) -> Vec<(String, String)> {
    let now = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap().and_hms_opt(11, 10, 0).unwrap();
    let opts = AppOptions {
        lang: Lang::Ko,
        tab: TabId::Today,
        mask,
        presentation: false,
        fixed_now: Some(now),
        db_label: "demo.db".into(),
    };
    let mut app = App::new(common::open(db), opts).unwrap();
    let mut frames = Vec::new();
    let shot = |app: &App, label: String, frames: &mut Vec<(String, String)>| {
        for (w, h) in [(200, 60), (100, 30)] {
            frames.push((format!("{label} {w}x{h}"), common::text(&common::render(app, w, h))));
        }
    };
    let close = |app: &mut App| {
        for _ in 0..2 {
            app.on_key(key(KeyCode::Esc));
        }
        app.notice = None;
    };
    for tab in TabId::ALL {
        app.show_tab(tab);
        shot(&app, format!("{tab:?}"), &mut frames);
        // Open the first rows one after another: details, drill-downs, the patient card.
        for row in 0..6 {
            app.on_command(Command::Top);
            for _ in 0..row {
                app.on_command(Command::Down);
            }
            shot(&app, format!("{tab:?} row {row}"), &mut frames);
            app.on_command(Command::Open);
            shot(&app, format!("{tab:?} row {row} opened"), &mut frames);
            // A drill-down's own rows open too (the OKR's records open the card).
            app.on_command(Command::Open);
            shot(&app, format!("{tab:?} row {row} opened twice"), &mut frames);
            close(&mut app);
        }
    }
    app.show_tab(TabId::Huddle);
    for s in 0..5 {
        shot(&app, format!("huddle section {s}"), &mut frames);
        app.on_command(Command::SectionNext);
    }
    app.on_command(Command::History);
    shot(&app, "huddle history".into(), &mut frames);
    close(&mut app);
    app.show_tab(TabId::Inquiries);
    app.on_command(Command::Report);
    shot(&app, "referral report".into(), &mut frames);
    close(&mut app);
    app.on_command(Command::QaManual);
    for row in 0..4 {
        shot(&app, format!("Q&A manual {row}"), &mut frames);
        app.on_command(Command::Down);
    }
    close(&mut app);
    app.show_tab(TabId::Today);
    app.on_key(KeyEvent::new(KeyCode::Char('f'), KeyModifiers::CONTROL));
    for c in chart.chars() {
        app.on_key(key(KeyCode::Char(c)));
    }
    shot(&app, "search".into(), &mut frames);
    app.on_key(key(KeyCode::Enter));
    assert!(app.card.is_some(), "the search opens the card");
    for page in 0..4 {
        shot(&app, format!("card page {page}"), &mut frames);
        app.on_command(Command::PageDown);
    }
    frames
}

#[test]
fn no_masked_screen_shows_a_name_or_phone_from_free_text() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let (other, chart) = clinic(&db);

    // Unmasked, the free text is there to be seen: on the day's list, in the callbacks, the
    // inquiries, the huddle, the Q&A manual and the patient card.
    let plain = walk(&db, false, &chart);
    for view in ["Today", "Callbacks", "Inquiries", "huddle section 0", "Q&A manual", "card page", "Okr row"]
    {
        assert!(
            plain.iter().any(|(label, f)| label.starts_with(view) && f.contains("비밀환자님")),
            "{view}: the free text is not on screen unmasked, so the masked walk proves nothing"
        );
    }
    assert!(plain.iter().any(|(_, f)| f.contains("010-1357-2468") && f.contains(&other)));

    for (label, frame) in walk(&db, true, &chart) {
        for secret in ["비밀환자", "1357-2468", "13572468", other.as_str()] {
            assert!(!frame.contains(secret), "{label} shows {secret}:\n{frame}");
        }
    }
}
