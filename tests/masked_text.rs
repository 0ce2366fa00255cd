//! Masking covers free text: the phone numbers and the clinic's names inside notes, plans and
//! reactions are masked wherever masking applies (the shared screen, `export --mask`).

mod common;

use common::*;
use frontdesk::app::{App, AppOptions, TabId};
use frontdesk::domain::Lang;
use frontdesk::domain::mask::{NameSet, mask_text};
use frontdesk::store::patients::{NewPatient, insert_patient};
use frontdesk::store::{Access, Actor, Store};

const NOTE: &str = "비밀환자님(010-1357-2468) 보호자 김보호 연락";

/// A clinic with one open complaint whose plan names a patient and holds a phone number.
fn clinic(path: &std::path::Path) {
    let mut store = open_set_up(path);
    store
        .write(|tx| {
            let p = insert_patient(
                tx,
                &NewPatient {
                    name: "비밀환자".into(), phone: "010-1357-2468".into(), ..Default::default()
                },
            )?;
            insert_patient(
                tx,
                &NewPatient { name: "김보호".into(), phone: "010-2222-0000".into(), ..Default::default() },
            )?;
            tx.execute(
                "INSERT INTO complaints (patient_id, raised_at, category_code, description, plan)
                 VALUES (?1, '2026-11-20T10:00:00', 'pain', ?2, ?2)",
                rusqlite::params![p, NOTE],
            )?;
            Ok(())
        })
        .unwrap();
}

#[test]
fn free_text_masks_names_of_every_length_and_phones() {
    let names =
        NameSet::new(["김철", "홍길동", "남궁민수", "John Smith", "비밀환자"].iter().map(|s| s.to_string()));
    assert_eq!(mask_text(NOTE, &names), "비**자님(010-****-2468) 보호자 김보호 연락");
    assert_eq!(mask_text("김철 홍길동 남궁민수", &names), "김* 홍*동 남**수");
    assert_eq!(mask_text("Mr John Smith, 02-123-4567", &names), "Mr J*** S****, 02-***-4567");
}

#[test]
fn the_shared_screen_masks_the_plan_of_a_complaint() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.db");
    clinic(&path);
    let store = Store::open(&path, Access::ReadOnly, Actor::named("screen")).unwrap();
    let opts = AppOptions { mask: true, presentation: true, ..options(Lang::Ko, TabId::Huddle) };
    let app = App::new(store, opts).unwrap();
    let screen = text(&render(&app, 160, 50));
    assert!(screen.contains("비**자님(010-****-2468)"), "{screen}");
    assert!(
        !screen.contains("비밀환자") && !screen.contains("1357") && !screen.contains("김보호"),
        "{screen}"
    );
}

#[test]
fn export_mask_masks_free_text() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.db");
    clinic(&path);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_frontdesk"))
        .args(["--db", path.to_str().unwrap(), "export", "complaints", "--mask"])
        .env(FIXED_NOW_ENV.0, FIXED_NOW_ENV.1)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(csv.contains("비**자님(010-****-2468) 보호자 김*호 연락"), "{csv}");
    assert!(!csv.contains("1357") && !csv.contains("비밀환자"), "{csv}");
}

/// `--mask` on the desk: form titles and the footer's messages mask the name as the list does.
#[test]
fn masked_desk_titles_and_messages_hide_the_name() {
    use crossterm::event::{KeyCode, KeyEvent};
    use frontdesk::store::appointments::{NewAppointment, insert_appointment};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.db");
    let mut store = open_set_up(&path);
    store
        .write(|tx| {
            let p = insert_patient(
                tx,
                &NewPatient {
                    name: "비밀환자".into(), phone: "010-1357-2468".into(), ..Default::default()
                },
            )?;
            insert_appointment(
                tx,
                &NewAppointment {
                    patient_id: p,
                    start: at(2026, 11, 23, 10, 0),
                    duration_min: 30,
                    provider_id: None,
                    treatment_code: None,
                },
            )
        })
        .unwrap();
    let opts = AppOptions { mask: true, ..options(Lang::En, TabId::Today) };
    let mut app = App::new(store, opts).unwrap();
    let key = |c: char| KeyEvent::from(KeyCode::Char(c));
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("비**자") && !screen.contains("비밀환자"), "{screen}");
    app.on_key(key('p'));
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("Post-it note - 비**자") && !screen.contains("비밀환자"), "{screen}");
    app.on_key(KeyEvent::from(KeyCode::Esc));
    app.on_key(key('m'));
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("비**자 (000001)") && !screen.contains("비밀환자"), "{screen}");
    // A message naming the patient is masked in the footer.
    app.notice = Some(frontdesk::app::Notice::Info("Booked: 비밀환자 (010-1357-2468)".into()));
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("Booked: 비**자 (010-****-2468)"), "{screen}");
}
