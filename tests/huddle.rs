//! The huddle: agenda numbers on a small hand-computed clinic, decisions, the timer's colours,
//! presentation mode (read-only, masked, logged unmasking) and snapshots.

#[path = "huddle/agenda.rs"]
mod agenda;
mod common;
#[path = "huddle/crowd.rs"]
mod crowd;
#[path = "huddle/desk.rs"]
mod desk;
#[path = "huddle/presentation.rs"]
mod presentation;

use chrono::{NaiveDate, NaiveDateTime};
use common::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use frontdesk::app::keymap::Command;
use frontdesk::app::tabs::Tab;
use frontdesk::app::{App, AppOptions, TabId, theme};
use frontdesk::domain::dropout::{Reason, ReasonKind};
use frontdesk::domain::huddle::Section;
use frontdesk::domain::{CallbackKind, Lang, Tag};
use frontdesk::store::appointments::{NewAppointment, insert_appointment};
use frontdesk::store::callbacks::{NewCallback, open_callback};
use frontdesk::store::catalog::Catalog;
use frontdesk::store::huddle as hs;
use frontdesk::store::patients::{NewPatient, insert_patient};
use frontdesk::store::{Access, Actor, Store, StoreError};
use ratatui::buffer::Buffer;
use ratatui::style::Color;
use rusqlite::params;

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

fn today() -> NaiveDate {
    fixed_now().date()
}

/// Test fixtures write what the app's other screens would (status changes, complaints, tags);
/// they use the shared store functions where they exist and plain SQL for the rest.
struct Clinic {
    store: Store,
}

impl Clinic {
    fn new(dir: &tempfile::TempDir) -> Clinic {
        Clinic { store: open(&dir.path().join("clinic.db")) }
    }

    fn staff(&mut self, name: &str, role: &str) -> i64 {
        self.store
            .write(|tx| {
                tx.execute("INSERT INTO staff (name, role) VALUES (?1, ?2)", params![name, role])?;
                Ok(tx.last_insert_rowid())
            })
            .unwrap()
    }

    fn patient(&mut self, name: &str, phone: &str, birth: Option<NaiveDate>) -> i64 {
        let p =
            NewPatient { name: name.into(), phone: phone.into(), birth_date: birth, ..NewPatient::default() };
        self.store.write(|tx| insert_patient(tx, &p)).unwrap()
    }

    fn referred_by(&mut self, patient: i64, referrer: i64) {
        self.store
            .write(|tx| {
                tx.execute("UPDATE patients SET referrer_id = ?2 WHERE id = ?1", params![patient, referrer])?;
                Ok(())
            })
            .unwrap();
    }

    fn tag(&mut self, patient: i64, tag: Tag) {
        self.store
            .write(|tx| {
                tx.execute(
                    "INSERT INTO patient_tags (patient_id, tag, tagged_at) VALUES (?1, ?2, '2026-01-01T00:00:00')",
                    params![patient, tag.code()],
                )?;
                Ok(())
            })
            .unwrap();
    }

    /// An appointment at `start` with a status, booked at `booked_at`.
    fn visit(
        &mut self,
        patient: i64,
        start: NaiveDateTime,
        treatment: &str,
        status: &str,
        booked_at: NaiveDateTime,
    ) {
        let a = NewAppointment {
            patient_id: patient,
            start,
            duration_min: 30,
            provider_id: None,
            treatment_code: Some(treatment.into()),
        };
        self.store
            .write(|tx| {
                let id = insert_appointment(tx, &a)?;
                tx.execute(
                    "UPDATE appointments SET status = ?2, booked_at = ?3 WHERE id = ?1",
                    params![id, status, booked_at.format("%Y-%m-%dT%H:%M:%S").to_string()],
                )?;
                Ok(())
            })
            .unwrap();
    }

    fn done(&mut self, patient: i64, d: NaiveDate, treatment: &str) {
        let start = d.and_hms_opt(10, 0, 0).unwrap();
        self.visit(patient, start, treatment, "done", start - chrono::Duration::days(7));
    }

    #[allow(clippy::too_many_arguments)]
    fn complaint(
        &mut self,
        patient: i64,
        raised: NaiveDate,
        category: &str,
        plan: &str,
        owner: Option<i64>,
        open: bool,
    ) {
        self.store
            .write(|tx| {
                tx.execute(
                    "INSERT INTO complaints (patient_id, raised_at, category_code, plan, owner_id, status)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![
                        patient,
                        format!("{raised}T11:00:00"),
                        category,
                        plan,
                        owner,
                        if open { "open" } else { "resolved" }
                    ],
                )?;
                Ok(())
            })
            .unwrap();
    }

    fn undecided_consultation_with_callback(&mut self, patient: i64, on: NaiveDate, due: NaiveDate) {
        self.store
            .write(|tx| {
                tx.execute(
                    "INSERT INTO consultations (patient_id, consulted_at, treatment_code, status)
                     VALUES (?1, ?2, 'herbal', 'undecided')",
                    params![patient, format!("{on}T10:30:00")],
                )?;
                let consultation = tx.last_insert_rowid();
                let mut cb = NewCallback::new(patient, CallbackKind::Prospect, due);
                cb.consultation_id = Some(consultation);
                open_callback(tx, &cb)?;
                Ok(())
            })
            .unwrap();
    }
}

/// Ids of the small clinic below.
#[allow(dead_code)]
struct Ids {
    director: i64,
    hong: i64,
    kim: i64,
    namgung: i64,
    smith: i64,
    lee: i64,
    choi: i64,
    jung: i64,
    newbie: i64,
    park: i64,
}

/// The small clinic every agenda number below is computed from by hand (today 2026-11-23):
///
/// - 홍길동: open complaint (pain, 11-10, owner 박원장); chuna done 11-10, nothing since.
///   Dropout 6 = open complaint 3 + chuna course 1/10 2 + left without booking 1.
/// - 김철수: acupuncture done 11-02, 11-09, 11-16; coming today 10:00; resolved complaint
///   (wait_time, 10-01). Not a dropout (booked today); referred 신환자.
/// - 남궁민수: done 11-05, then missed 11-19 (booked on 11-05). Dropout 3 (missed, not rebooked).
/// - John Smith: done 08-01, 08-11, 08-21, 08-31 (every 10 days), 84 days ago.
///   Dropout 3 = overdue gap 2 + left without booking 1; away longer than 남궁민수, so first.
/// - 이영희: done 11-20, open complaint (cost, 11-20), booked 11-30: excluded (future booking).
/// - 최고객: done 08-20 (95 days ago): excluded.
/// - 정가망: herbal done 11-12, undecided consultation, prospect callback due 11-20.
///   Dropout 2 = left without booking 1 + callback overdue 1.
/// - 신환자: first visit today 11:00 (chuna), born 1990-11-23, tagged prospect.
/// - 박소개: pharmacopuncture today 14:00, tagged referrer and high value, done 2025-12-01;
///   resolved complaint (pain, 11-01).
fn small_clinic(dir: &tempfile::TempDir) -> Ids {
    let mut c = Clinic::new(dir);
    let director = c.staff("박원장", "director");
    c.staff("이데스크", "desk");
    let hong = c.patient("홍길동", "010-1111-2222", None);
    let kim = c.patient("김철수", "010-3333-4444", None);
    let namgung = c.patient("남궁민수", "02-123-4567", None);
    let smith = c.patient("John Smith", "031-555-1234", None);
    let lee = c.patient("이영희", "010-5555-6666", None);
    let choi = c.patient("최고객", "010-7777-8888", None);
    let jung = c.patient("정가망", "010-9999-0000", None);
    let newbie = c.patient("신환자", "010-2468-1357", NaiveDate::from_ymd_opt(1990, 11, 23));
    let park = c.patient("박소개", "010-1357-2468", None);

    c.done(hong, day(11, 10), "chuna");
    c.complaint(hong, day(11, 10), "pain", "원장 직접 설명", Some(director), true);

    for d in [day(11, 2), day(11, 9), day(11, 16)] {
        c.done(kim, d, "acupuncture");
    }
    c.visit(kim, at(2026, 11, 23, 10, 0), "acupuncture", "booked", at(2026, 11, 16, 10, 20));
    c.complaint(kim, day(10, 1), "wait_time", "예약 간격 조정", None, false);

    c.done(namgung, day(11, 5), "acupuncture");
    c.visit(namgung, at(2026, 11, 19, 15, 0), "acupuncture", "no_show", at(2026, 11, 5, 10, 30));

    for d in [day(8, 1), day(8, 11), day(8, 21), day(8, 31)] {
        c.done(smith, d, "acupuncture");
    }

    c.done(lee, day(11, 20), "acupuncture");
    c.visit(lee, at(2026, 11, 30, 9, 30), "acupuncture", "booked", at(2026, 11, 20, 10, 30));
    c.complaint(lee, day(11, 20), "cost", "", None, true);

    c.done(choi, day(8, 20), "acupuncture");

    c.done(jung, day(11, 12), "herbal");
    c.undecided_consultation_with_callback(jung, day(11, 12), day(11, 20));

    c.visit(newbie, at(2026, 11, 23, 11, 0), "chuna", "booked", at(2026, 11, 20, 9, 0));
    c.tag(newbie, Tag::Prospect);
    c.referred_by(newbie, kim);

    c.done(park, NaiveDate::from_ymd_opt(2025, 12, 1).unwrap(), "pharmacopuncture");
    c.visit(park, at(2026, 11, 23, 14, 0), "pharmacopuncture", "booked", at(2026, 11, 16, 9, 0));
    c.tag(park, Tag::Referrer);
    c.tag(park, Tag::HighValue);
    c.complaint(park, day(11, 1), "pain", "", None, false);
    Ids { director, hong, kim, namgung, smith, lee, choi, jung, newbie, park }
}

fn key(c: KeyCode) -> KeyEvent {
    KeyEvent::from(c)
}

fn type_text(app: &mut App, s: &str) {
    for ch in s.chars() {
        app.on_key(key(KeyCode::Char(ch)));
    }
}

fn app_on(dir: &tempfile::TempDir, lang: Lang) -> App {
    let mut store = open(&dir.path().join("clinic.db"));
    // The person at the desk is named (as FRONTDESK_STAFF does), so no change asks who it is.
    store.set_staff("김데스크");
    App::new(store, options(lang, TabId::Huddle)).unwrap()
}

fn presentation_app(path: &std::path::Path, lang: Lang) -> App {
    let store = Store::open(path, Access::ReadOnly, Actor::named("screen")).unwrap();
    let opts = AppOptions { mask: true, presentation: true, ..options(lang, TabId::Huddle) };
    App::new(store, opts).unwrap()
}

// ---- Snapshots ----------------------------------------------------------------------------

fn snapshot_sections(app: &mut App, prefix: &str, w: u16, h: u16) {
    for section in Section::ALL {
        app.tabs.huddle.go_to(section);
        let name = format!("{prefix}_{}_{w}x{h}", format!("{section:?}").to_lowercase());
        insta::assert_snapshot!(name, text(&render(app, w, h)));
    }
}

#[test]
fn snapshots_desk_screen() {
    let dir = tempfile::tempdir().unwrap();
    small_clinic(&dir);
    for lang in [Lang::Ko, Lang::En] {
        let mut app = app_on(&dir, lang);
        for (w, h) in [(80, 24), (120, 40)] {
            snapshot_sections(&mut app, &format!("desk_{}", lang.code()), w, h);
        }
    }
}

#[test]
fn snapshots_presentation() {
    let dir = tempfile::tempdir().unwrap();
    small_clinic(&dir);
    for lang in [Lang::Ko, Lang::En] {
        let mut app = presentation_app(&dir.path().join("clinic.db"), lang);
        for (w, h) in [(100, 30), (120, 40)] {
            snapshot_sections(&mut app, &format!("presentation_{}", lang.code()), w, h);
        }
    }
}
