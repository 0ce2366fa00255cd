//! Today: the day's list, running the day, booking, notes/stickers/complaints, the card and
//! patient search - on a small hand-made day (2026-11-23, the fixed clock of the screen tests).

#[path = "today/booking.rs"]
mod booking;
mod common;
#[path = "today/list.rs"]
mod list;
#[path = "today/people.rs"]
mod people;
#[path = "today/running.rs"]
mod running;

use chrono::{NaiveDate, NaiveTime};
use common::keys::{ctrl, key, typed};
use common::*;
use crossterm::event::KeyCode;
use frontdesk::app::keymap::Command;
use frontdesk::app::tabs::today::{ListColumn as Column, layout_columns};
use frontdesk::app::{App, TabId};
use frontdesk::domain::text::width;
use frontdesk::domain::{AppointmentStatus, CallbackKind, Lang, Role, Sex, Tag};
use frontdesk::store::Store;
use frontdesk::store::appointments::{self, NewAppointment, get_appointment, insert_appointment};
use frontdesk::store::callbacks::{NewCallback, open_callback};
use frontdesk::store::complaints::{NewComplaint, insert_complaint};
use frontdesk::store::patients::{NewPatient, insert_patient, search_patients};
use frontdesk::store::{notes, settings, tags};

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

/// Ids in the fixture, for assertions.
#[allow(dead_code)]
struct Fixture {
    director_kim: i64,
    director_park: i64,
    hong: i64,
    kim: i64,
    namgung: i64,
    emily: i64,
    chris: i64,
    lee: i64,
    /// Today's appointments, in time order.
    appts: Vec<i64>,
}

fn patient(name: &str, phone: &str, birth: Option<NaiveDate>, sex: Sex, referrer: Option<i64>) -> NewPatient {
    NewPatient {
        name: name.into(),
        phone: phone.into(),
        birth_date: birth,
        sex: Some(sex),
        referral_source: referrer.map(|_| "referral".to_string()),
        referrer_id: referrer,
        ..Default::default()
    }
}

/// The hand-made day. Names of two, three and four syllables and Latin names, one too long.
///
/// | time  | who                        | status   | tags | flags                     |
/// |-------|----------------------------|----------|------|---------------------------|
/// | 09:00 | 홍길동 000001 M 46          | booked   | R S  | +2 (referred Emily, Chris) |
/// | 09:30 | 김철 000002 M 30            | arrived  | H    |                           |
/// | 10:00 | 남궁민수 000003 F 54        | booked   | P    | ! N                       |
/// | 10:30 | Emily Park 000004 F 36     | booked   |      | N                         |
/// | 11:00 | Christopher Johnson-Smith  | booked   |      | N                         |
/// | 14:00 | 이서연 000006 F 28          | no-show  |      | C                         |
fn fixture(store: &mut Store) -> Fixture {
    store
        .write(|tx| {
            let director_kim = settings::add_staff(tx, "김원장", Role::Director)?;
            let director_park = settings::add_staff(tx, "박원장", Role::Director)?;
            settings::add_staff(tx, "최데스크", Role::Desk)?;
            let hong = insert_patient(
                tx,
                &patient("홍길동", "010-1234-5678", NaiveDate::from_ymd_opt(1980, 5, 2), Sex::M, None),
            )?;
            let kim = insert_patient(
                tx,
                &patient("김철", "010-2222-3333", NaiveDate::from_ymd_opt(1995, 11, 24), Sex::M, None),
            )?;
            let namgung = insert_patient(
                tx,
                &patient("남궁민수", "02-123-4567", NaiveDate::from_ymd_opt(1972, 1, 10), Sex::F, None),
            )?;
            let emily = insert_patient(
                tx,
                &patient(
                    "Emily Park",
                    "031-123-9876",
                    NaiveDate::from_ymd_opt(1990, 3, 3),
                    Sex::F,
                    Some(hong),
                ),
            )?;
            let chris = insert_patient(
                tx,
                &patient("Christopher Johnson-Smith", "01055556666", None, Sex::M, Some(hong)),
            )?;
            let lee = insert_patient(
                tx,
                &patient("이서연", "010-7777-8888", NaiveDate::from_ymd_opt(1998, 2, 1), Sex::F, None),
            )?;
            tags::set_tags(tx, hong, &[Tag::Referrer, Tag::Satisfied])?;
            tags::set_tags(tx, kim, &[Tag::HighValue])?;
            tags::set_tags(tx, namgung, &[Tag::Prospect])?;
            notes::add_note(tx, hong, "허리 통증, 오후 예약 선호\n둘째 줄은 안 보임")?;
            notes::add_note(tx, chris, "Prefers English; long name on the chart")?;
            insert_complaint(
                tx,
                &NewComplaint {
                    patient_id: namgung,
                    raised_at: day(20).and_time(hm(15, 0)),
                    category_code: "wait_time".into(),
                    description: "40분 대기".into(),
                    owner_id: Some(director_kim),
                    plan: "원장님 직접 사과".into(),
                },
            )?;
            open_callback(tx, &NewCallback::new(lee, CallbackKind::Recall, day(20)))?;
            // History: earlier done visits make 홍길동, 김철 and 이서연 return patients.
            for (pid, d, t) in [(hong, 16, "chuna"), (kim, 20, "acupuncture"), (lee, 10, "acupuncture")] {
                let id = insert_appointment(
                    tx,
                    &NewAppointment {
                        patient_id: pid,
                        start: day(d).and_time(hm(9, 0)),
                        duration_min: 30,
                        provider_id: Some(director_kim),
                        treatment_code: Some(t.into()),
                    },
                )?;
                appointments::set_status(tx, id, AppointmentStatus::Done)?;
            }
            let mut appts = Vec::new();
            for (pid, h, m, prov, t) in [
                (hong, 9, 0, director_kim, "chuna"),
                (kim, 9, 30, director_park, "acupuncture"),
                (namgung, 10, 0, director_kim, "pharmacopuncture"),
                (emily, 10, 30, director_park, "chuna"),
                (chris, 11, 0, director_kim, "acupuncture"),
                (lee, 14, 0, director_park, "acupuncture"),
            ] {
                appts.push(insert_appointment(
                    tx,
                    &NewAppointment {
                        patient_id: pid,
                        start: day(23).and_time(hm(h, m)),
                        duration_min: 30,
                        provider_id: Some(prov),
                        treatment_code: Some(t.into()),
                    },
                )?);
            }
            appointments::set_status(tx, appts[1], AppointmentStatus::Arrived)?;
            frontdesk::desk::appointments::mark_no_show_in(tx, appts[5])?;
            Ok(Fixture { director_kim, director_park, hong, kim, namgung, emily, chris, lee, appts })
        })
        .unwrap()
}

fn fixture_app(dir: &tempfile::TempDir, lang: Lang) -> (App, Fixture) {
    let mut store = open(&dir.path().join("clinic.db"));
    let fx = fixture(&mut store);
    // The person at the desk is named (as FRONTDESK_STAFF does), so no change asks who it is.
    store.set_staff("김데스크");
    let app = App::new(store, options(lang, TabId::Today)).unwrap();
    (app, fx)
}

/// Selects the row of this appointment in the Today list.
fn select(app: &mut App, appointment_id: i64) {
    let t = &mut app.tabs.today;
    let pos = t.visible.iter().position(|&i| t.rows[i].id == appointment_id).expect("row shown");
    t.selection.select(pos);
}

fn status_of(app: &App, id: i64) -> AppointmentStatus {
    get_appointment(app.store.conn(), id).unwrap().status
}

#[test]
fn snapshots_of_the_fixture_day() {
    for lang in [Lang::Ko, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        let (app, _) = fixture_app(&dir, lang);
        for (w, h) in [(80, 24), (120, 40)] {
            let name = format!("today_{}_{}x{}", lang.code(), w, h);
            insta::assert_snapshot!(name, text(&render(&app, w, h)));
        }
    }
}
