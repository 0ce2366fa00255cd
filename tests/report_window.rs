//! The referral report on screen does not depend on the window: its totals cover the whole
//! period at every width and equal `frontdesk report`; months that do not fit scroll sideways
//! behind a marker.

mod common;

use chrono::NaiveDateTime;
use common::*;
use frontdesk::app::keymap::Command;
use frontdesk::app::{App, TabId};
use frontdesk::domain::Lang;
use frontdesk::store::appointments::{NewAppointment, insert_appointment};
use frontdesk::store::inquiries::{CallOutcome, NewInquiry, log_inquiry};
use frontdesk::store::patients::{NewPatient, insert_patient};

/// One inquiry in each of the twelve months (December to November), two in November, and a new
/// patient (first visit) in March and in November: 13 inquiries, 2 new patients.
fn app(dir: &tempfile::TempDir) -> App {
    let path = dir.path().join("clinic.db");
    let mut store = open_set_up(&path);
    store
        .write(|tx| {
            let months = [
                "2025-12", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07",
                "2026-08", "2026-09", "2026-10", "2026-11", "2026-11",
            ];
            for (i, m) in months.iter().enumerate() {
                log_inquiry(
                    tx,
                    &NewInquiry {
                        received_at: NaiveDateTime::parse_from_str(
                            &format!("{m}-05 10:00"),
                            "%Y-%m-%d %H:%M",
                        )
                        .unwrap(),
                        caller_name: format!("Caller {i}"),
                        phone: None,
                        patient_id: None,
                        topic: None,
                        questions: Vec::new(),
                        referral_source: Some(if i % 2 == 0 { "signboard" } else { "internet" }.into()),
                        referral_channel: None,
                        referrer_id: None,
                        note: String::new(),
                        outcome: CallOutcome::Info,
                    },
                )?;
            }
            for (name, first) in [("First March", "2026-03-10"), ("First Nov", "2026-11-02")] {
                let p = insert_patient(
                    tx,
                    &NewPatient {
                        name: name.into(),
                        phone: String::new(),
                        referral_source: Some("signboard".into()),
                        ..Default::default()
                    },
                )?;
                let start =
                    NaiveDateTime::parse_from_str(&format!("{first} 10:00"), "%Y-%m-%d %H:%M").unwrap();
                let a = insert_appointment(
                    tx,
                    &NewAppointment {
                        patient_id: p,
                        start,
                        duration_min: 30,
                        provider_id: None,
                        treatment_code: None,
                    },
                )?;
                tx.execute("UPDATE appointments SET status = 'done' WHERE id = ?1", [a])?;
            }
            Ok(())
        })
        .unwrap();
    let mut app = App::new(store, options(Lang::En, TabId::Inquiries)).unwrap();
    app.on_command(Command::Report);
    app
}

/// The grand totals of the two tables (new patients, inquiries): the last cell of their
/// "Total" rows; then the funnel's total inquiries (the first number of its "Total" row).
fn totals(screen: &str) -> Vec<String> {
    let rows: Vec<&str> = screen
        .lines()
        .map(|l| l.trim_matches(|c| c == '│' || c == ' '))
        .filter(|l| l.starts_with("Total"))
        .collect();
    assert_eq!(rows.len(), 3, "{screen}");
    vec![
        rows[0].split_whitespace().last().unwrap().to_string(),
        rows[1].split_whitespace().last().unwrap().to_string(),
        rows[2].split_whitespace().nth(1).unwrap().to_string(),
    ]
}

#[test]
fn totals_are_the_same_at_every_width_and_months_scroll_sideways() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(&dir);
    for (w, h) in [(80, 60), (120, 60), (160, 60)] {
        let screen = text(&render(&app, w, h));
        assert_eq!(totals(&screen), vec!["2", "13", "13"], "at {w} columns:\n{screen}");
    }
    // At 80 columns the latest months show, with a marker for the earlier ones.
    let screen = text(&render(&app, 80, 60));
    let header = screen.lines().find(|l| l.contains("Source") && l.contains("2026-11")).unwrap();
    assert!(header.contains("<") && !header.contains(">") && !header.contains("2025-12"), "{header}");
    // Left goes back to earlier months; a marker now shows later ones too.
    for _ in 0..20 {
        app.on_command(Command::SectionPrev);
    }
    let screen = text(&render(&app, 80, 60));
    let header = screen.lines().find(|l| l.contains("Source") && l.contains("2025-12")).unwrap();
    assert!(header.contains(">") && !header.contains("<") && !header.contains("2026-11"), "{header}");
    assert_eq!(totals(&screen), vec!["2", "13", "13"]);
    // One Right is one month later: no key presses are lost past the first month.
    app.on_command(Command::SectionNext);
    let screen = text(&render(&app, 80, 60));
    assert!(
        screen.lines().any(|l| l.contains("Source") && l.contains("2026-01") && l.contains("<")),
        "{screen}"
    );

    // The command line says the same.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_frontdesk"))
        .args([
            "--db",
            dir.path().join("clinic.db").to_str().unwrap(),
            "report",
            "referrals",
            "--format",
            "csv",
        ])
        .env(FIXED_NOW_ENV.0, FIXED_NOW_ENV.1)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let csv = String::from_utf8(out.stdout).unwrap();
    let (mut np, mut inq) = (0, 0);
    for line in csv.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        np += cells[2].parse::<i64>().unwrap();
        inq += cells[4].parse::<i64>().unwrap();
    }
    assert_eq!((np, inq), (2, 13));
}
