//! Today: the day's list, running the day, booking, notes/stickers/complaints, the card and
//! patient search - on a small hand-made day (2026-11-23, the fixed clock of the screen tests).

mod common;

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

#[test]
fn columns_line_up_by_display_width_for_korean_and_latin_names() {
    for (w, h) in [(80u16, 24u16), (120, 40)] {
        for lang in [Lang::Ko, Lang::En] {
            let dir = tempfile::tempdir().unwrap();
            let (app, _) = fixture_app(&dir, lang);
            let screen = text(&render(&app, w, h));
            let cols = layout_columns(w - 2, lang);
            let start_of = |c: Column| cols.iter().find(|(k, _, _)| *k == c).map(|(_, x, _)| *x as usize + 1);
            let chart_x = start_of(Column::Chart).unwrap();
            let age_x = start_of(Column::AgeSex).unwrap();
            let tags_x = start_of(Column::Stickers).unwrap();
            // Each row: the display column where its chart number and its age begin.
            for (chart, name, age) in [
                ("000001", "홍길동", "46"),
                ("000002", "김철", "30"),
                ("000003", "남궁민수", "54"),
                ("000004", "Emily Park", "36"),
                ("000005", "Christoph", ""),
            ] {
                let line =
                    screen.lines().find(|l| l.contains(chart)).unwrap_or_else(|| panic!("{chart}\n{screen}"));
                let after_chart = line.find(chart).unwrap();
                let col_of =
                    |needle: &str| width(&line[..after_chart + line[after_chart..].find(needle).unwrap()]);
                assert_eq!(col_of(chart), chart_x, "{w}x{h} {chart}: {line}");
                assert_eq!(col_of(name), chart_x + 7, "{w}x{h} name of {chart}: {line}");
                if !age.is_empty() {
                    assert_eq!(col_of(age), age_x, "{w}x{h} age of {chart}: {line}");
                }
            }
            // The long Latin name is cut with an ellipsis, within its column.
            let line = screen.lines().find(|l| l.contains("000005")).unwrap();
            assert!(line.contains("~"), "{line}");
            let name_w = cols.iter().find(|(k, _, _)| *k == Column::Name).unwrap().2 as usize;
            let cut = &line[line.find("Christoph").unwrap()..line.find('~').unwrap() + '~'.len_utf8()];
            assert_eq!(width(cut), name_w, "{line}");
            // The stickers of 홍길동 (R, S) sit in the sticker column.
            let line = screen.lines().find(|l| l.contains("000001")).unwrap();
            assert_eq!(width(&line[..line.find("RS").unwrap()]), tags_x, "{line}");
        }
    }
}

#[test]
fn sticker_badges_carry_their_colours() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = fixture_app(&dir, Lang::En);
    let buf = render(&app, 120, 40);
    let screen = text(&buf);
    let y = screen.lines().position(|l| l.contains("000001")).unwrap() as u16;
    let cols = layout_columns(118, Lang::En);
    let x = cols.iter().find(|(k, _, _)| *k == Column::Stickers).unwrap().1 + 1;
    assert_eq!(buf[(x, y)].symbol(), "R");
    assert_eq!(buf[(x, y)].bg, frontdesk::app::theme::tag_style(Tag::Referrer).bg.unwrap());
    assert_eq!(buf[(x + 1, y)].symbol(), "S");
    assert_eq!(buf[(x + 1, y)].bg, frontdesk::app::theme::tag_style(Tag::Satisfied).bg.unwrap());
}

#[test]
fn each_status_change_and_its_undo_in_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = fixture_app(&dir, Lang::En);
    let hong = fx.appts[0];
    select(&mut app, hong);
    app.on_command(Command::Arrived);
    assert_eq!(status_of(&app, hong), AppointmentStatus::Arrived);
    app.on_command(Command::Undo);
    assert_eq!(status_of(&app, hong), AppointmentStatus::Booked);
    app.on_command(Command::Cancel);
    // The reason (the first on the list), saved; then "rebook now?" - not now.
    key(&mut app, KeyCode::Char('1'));
    ctrl(&mut app, 's');
    key(&mut app, KeyCode::Char('n'));
    assert_eq!(status_of(&app, hong), AppointmentStatus::Cancelled);
    app.on_command(Command::Undo);
    assert_eq!(status_of(&app, hong), AppointmentStatus::Booked);
    // Nothing left to undo: the status stays.
    app.on_command(Command::Undo);
    assert_eq!(status_of(&app, hong), AppointmentStatus::Booked);
    // A refused change leaves the status and says why.
    select(&mut app, fx.appts[1]);
    app.on_command(Command::NoShow);
    assert_eq!(status_of(&app, fx.appts[1]), AppointmentStatus::Arrived);
    assert!(matches!(&app.notice, Some(frontdesk::app::Notice::Error(m)) if m.contains("cannot be marked")));
    // Done, then undone twice: back through arrived to booked; each change recorded then removed.
    app.on_command(Command::Done);
    key(&mut app, KeyCode::Esc); // no payment taken at the desk now
    key(&mut app, KeyCode::Char('n')); // not booking the next visit now
    assert_eq!(status_of(&app, fx.appts[1]), AppointmentStatus::Done);
    let changes = |app: &App, id: i64| -> i64 {
        app.store
            .conn()
            .query_row(
                "SELECT count(*) FROM appointment_status_changes WHERE appointment_id = ?1",
                [id],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert_eq!(changes(&app, fx.appts[1]), 2);
    app.on_command(Command::Undo);
    assert_eq!(status_of(&app, fx.appts[1]), AppointmentStatus::Arrived);
    app.on_command(Command::Undo);
    assert_eq!(status_of(&app, fx.appts[1]), AppointmentStatus::Booked);
    assert_eq!(changes(&app, fx.appts[1]), 0);
    // Confirmed: the reminder call was answered.
    app.on_command(Command::Confirm);
    assert!(get_appointment(app.store.conn(), fx.appts[1]).unwrap().confirmed_at.is_some());
}

#[test]
fn no_show_opens_a_callback_due_the_same_day_and_undo_withdraws_it() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = fixture_app(&dir, Lang::Ko);
    select(&mut app, fx.appts[2]);
    app.on_command(Command::NoShow);
    // The reason, then yes.
    key(&mut app, KeyCode::Char('1'));
    ctrl(&mut app, 's');
    key(&mut app, KeyCode::Char('y'));
    assert_eq!(status_of(&app, fx.appts[2]), AppointmentStatus::NoShow);
    let open = |app: &App| -> Vec<(String, Option<i64>)> {
        let mut stmt = app
            .store
            .conn()
            .prepare("SELECT due_on, appointment_id FROM callbacks WHERE patient_id = ?1 AND kind = 'no_show' AND status = 'open'")
            .unwrap();
        stmt.query_map([fx.namgung], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
    };
    assert_eq!(open(&app), vec![("2026-11-23".to_string(), Some(fx.appts[2]))]);
    // The row now shows the callback flag.
    let row = app.tabs.today.rows.iter().find(|r| r.id == fx.appts[2]).unwrap();
    assert!(row.callback_due);
    app.on_command(Command::Undo);
    assert_eq!(status_of(&app, fx.appts[2]), AppointmentStatus::Booked);
    assert!(open(&app).is_empty(), "the callback opened by the no-show goes with it");
}

#[test]
fn done_without_a_next_visit_opens_the_booking_prefilled() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = fixture_app(&dir, Lang::En);
    // 홍길동, chuna with 김원장: chuna's interval is 7 days -> 2026-11-30.
    select(&mut app, fx.appts[0]);
    app.on_command(Command::Done);
    key(&mut app, KeyCode::Esc); // the payment step, skipped
    assert!(app.tabs.today.prompt.is_some());
    let screen = text(&render(&app, 80, 24));
    assert!(screen.contains("Book it now?"), "{screen}");
    key(&mut app, KeyCode::Char('y'));
    let b = app.booking.as_ref().expect("booking form open");
    assert_eq!(b.request.patient_id, Some(fx.hong));
    assert_eq!(b.form.picked("provider"), Some(fx.director_kim.to_string()));
    assert_eq!(b.form.picked("treatment").as_deref(), Some("chuna"));
    assert_eq!(b.form.date("date"), Some(day(30)));
    // Type the time and save: the next visit is booked.
    typed(&mut app, "1000");
    ctrl(&mut app, 's');
    assert!(app.booking.is_none(), "{:?}", app.booking.as_ref().map(|b| b.form.message.clone()));
    let next =
        appointments::next_booking(app.store.conn(), fx.hong, day(23).and_time(hm(9, 0))).unwrap().unwrap();
    assert_eq!(next.start, day(30).and_time(hm(10, 0)));
    assert_eq!(next.provider_id, Some(fx.director_kim));
    assert_eq!(next.treatment_code.as_deref(), Some("chuna"));
    assert_eq!(next.duration_min, 30, "chuna's usual length");
}

#[test]
fn done_with_the_next_visit_already_booked_does_not_ask() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = fixture_app(&dir, Lang::En);
    app.store
        .write(|tx| {
            insert_appointment(
                tx,
                &NewAppointment {
                    patient_id: fx.kim,
                    start: day(27).and_time(hm(9, 30)),
                    duration_min: 20,
                    provider_id: None,
                    treatment_code: None,
                },
            )
        })
        .unwrap();
    select(&mut app, fx.appts[1]);
    app.on_command(Command::Done);
    key(&mut app, KeyCode::Esc); // the payment step, skipped
    assert!(app.tabs.today.prompt.is_none());
    assert!(matches!(&app.notice, Some(frontdesk::app::Notice::Info(m)) if m.contains("11-27 09:30")));
}

#[test]
fn the_usual_interval_falls_back_to_the_median_gap_of_done_visits() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir.path().join("c.db"));
    let pid = store
        .write(|tx| {
            let pid = insert_patient(tx, &patient("박하늘", "010-4444-1111", None, Sex::F, None))?;
            // Done visits on the 1st, 5th, 15th and 19th: gaps 4, 10, 4 -> median 4.
            for d in [1, 5, 15, 19] {
                let id = insert_appointment(
                    tx,
                    &NewAppointment {
                        patient_id: pid,
                        start: day(d).and_time(hm(9, 0)),
                        duration_min: 30,
                        provider_id: None,
                        treatment_code: None,
                    },
                )?;
                appointments::set_status(tx, id, AppointmentStatus::Done)?;
            }
            Ok(pid)
        })
        .unwrap();
    assert_eq!(appointments::usual_interval(store.conn(), pid, None).unwrap(), 4);
    assert_eq!(appointments::usual_interval(store.conn(), pid, Some("chuna")).unwrap(), 7);
}

#[test]
fn booking_a_new_patient_validates_and_keeps_what_was_typed() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _) = fixture_app(&dir, Lang::Ko);
    key(&mut app, KeyCode::Char('n'));
    assert!(app.booking.is_some());
    typed(&mut app, "정하나");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "12345");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "1990-02-30");
    ctrl(&mut app, 's');
    let b = app.booking.as_ref().expect("the form stays open");
    assert_eq!(b.form.text("name"), "정하나", "nothing typed is lost");
    assert!(b.form.get("phone").error.is_some());
    assert!(b.form.get("birth").error.is_some());
    assert!(b.form.get("time").error.is_some(), "the time is required");
    let screen = text(&render(&app, 80, 24));
    assert!(screen.contains("전화번호 형식이 아닙니다"), "{screen}");
    // Fix them: 031 area code, a real date, a time; saves a new patient and the booking.
    let b = app.booking.as_mut().unwrap();
    b.form.get_mut("phone").set_value("031-987-6543");
    b.form.get_mut("birth").set_value("1990-02-28");
    b.form.get_mut("time").set_value("15:00");
    ctrl(&mut app, 's');
    assert!(app.booking.is_none());
    let found = search_patients(app.store.conn(), "정하나", 5).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].phone, "031-987-6543");
    assert_eq!(found[0].birth_date, NaiveDate::from_ymd_opt(1990, 2, 28));
    let row = app.tabs.today.rows.iter().find(|r| r.patient_id == found[0].id).expect("on today's list");
    assert_eq!(row.start.time(), hm(15, 0));
    assert!(row.first_visit);
}

#[test]
fn a_phone_on_file_offers_the_existing_patient() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = fixture_app(&dir, Lang::En);
    let before: i64 = app.store.conn().query_row("SELECT count(*) FROM patients", [], |r| r.get(0)).unwrap();
    key(&mut app, KeyCode::Char('n'));
    typed(&mut app, "Hong G.");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "01012345678");
    let b = app.booking.as_ref().unwrap();
    assert_eq!(b.duplicate.as_ref().map(|p| p.id), Some(fx.hong));
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("This number belongs to 홍길동 (000001)"), "{screen}");
    let b = app.booking.as_mut().unwrap();
    b.form.get_mut("date").set_value("2026-11-24");
    b.form.get_mut("time").set_value("11:00");
    ctrl(&mut app, 's');
    assert!(app.booking.is_none());
    let after: i64 = app.store.conn().query_row("SELECT count(*) FROM patients", [], |r| r.get(0)).unwrap();
    assert_eq!(after, before, "no twin registered");
    let next = appointments::next_booking(app.store.conn(), fx.hong, day(23).and_time(hm(12, 0))).unwrap();
    assert_eq!(next.unwrap().start, day(24).and_time(hm(11, 0)));
}

#[test]
fn double_booking_warns_and_books_on_the_second_save() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = fixture_app(&dir, Lang::En);
    app.open_booking(frontdesk::app::BookingRequest {
        patient_id: Some(fx.hong),
        date: Some(day(23)),
        ..Default::default()
    });
    typed(&mut app, "0915");
    ctrl(&mut app, 's');
    let b = app.booking.as_ref().expect("warned, still open");
    assert!(b.form.message.as_deref().unwrap_or("").contains("Overlaps"), "{:?}", b.form.message);
    let count = |app: &App| -> i64 {
        app.store
            .conn()
            .query_row("SELECT count(*) FROM appointments WHERE patient_id = ?1", [fx.hong], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(count(&app), 2);
    ctrl(&mut app, 's');
    assert!(app.booking.is_none());
    assert_eq!(count(&app), 3);
}

#[test]
fn a_booking_outside_the_clinic_day_warns_in_the_form_and_a_changed_booking_warns_again() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = fixture_app(&dir, Lang::En);
    let count = |app: &App| -> i64 {
        app.store
            .conn()
            .query_row("SELECT count(*) FROM appointments WHERE patient_id = ?1", [fx.hong], |r| r.get(0))
            .unwrap()
    };
    let before = count(&app);
    // Sunday 22:30.
    app.open_booking(frontdesk::app::BookingRequest {
        patient_id: Some(fx.hong),
        date: NaiveDate::from_ymd_opt(2026, 11, 29),
        ..Default::default()
    });
    typed(&mut app, "2230");
    ctrl(&mut app, 's');
    let msg = app.booking.as_ref().expect("warned, still open").form.message.clone().unwrap_or_default();
    assert!(msg.contains("closed on Sundays") && msg.contains("Save again"), "{msg}");
    // Another time is another booking: it warns again instead of booking.
    app.booking.as_mut().unwrap().form.get_mut("time").set_value("13:30");
    app.booking.as_mut().unwrap().form.get_mut("date").set_value("2026-11-30");
    ctrl(&mut app, 's');
    let msg = app.booking.as_ref().expect("warned again").form.message.clone().unwrap_or_default();
    assert!(msg.contains("lunch break (13:00-14:00)"), "{msg}");
    assert_eq!(count(&app), before, "nothing booked yet");
    // The same booking saved again: the exception is booked.
    ctrl(&mut app, 's');
    assert!(app.booking.is_none());
    assert_eq!(count(&app), before + 1);
}

#[test]
fn moving_an_appointment_changes_its_time() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = fixture_app(&dir, Lang::En);
    select(&mut app, fx.appts[3]);
    app.on_command(Command::Move);
    let b = app.booking.as_mut().unwrap();
    assert_eq!(b.form.get("time").value, "10:30");
    b.form.get_mut("time").set_value("16:30");
    ctrl(&mut app, 's');
    assert!(app.booking.is_none());
    assert_eq!(get_appointment(app.store.conn(), fx.appts[3]).unwrap().start, day(23).and_time(hm(16, 30)));
    assert_eq!(app.tabs.today.rows.last().unwrap().id, fx.appts[3], "the list is in time order");
}

#[test]
fn notes_stickers_and_complaints_from_the_list() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = fixture_app(&dir, Lang::En);
    select(&mut app, fx.appts[3]);
    app.on_command(Command::Note);
    typed(&mut app, "첫 방문, 주차 문의");
    ctrl(&mut app, 's');
    let row = app.tabs.today.rows.iter().find(|r| r.id == fx.appts[3]).unwrap();
    assert_eq!(row.note, "첫 방문, 주차 문의");

    app.on_command(Command::Sticker);
    typed(&mut app, "ps"); // prospect and satisfied
    ctrl(&mut app, 's');
    let row = app.tabs.today.rows.iter().find(|r| r.id == fx.appts[3]).unwrap();
    assert_eq!(row.tags, vec![Tag::Prospect, Tag::Satisfied]);
    app.on_command(Command::Sticker);
    typed(&mut app, "p"); // peel prospect off
    ctrl(&mut app, 's');
    assert_eq!(tags::patient_tags(app.store.conn(), fx.emily).unwrap(), vec![Tag::Satisfied]);

    app.on_command(Command::Complaint);
    ctrl(&mut app, 's');
    assert!(app.tabs.today.form().is_some(), "category and description are required");
    key(&mut app, KeyCode::Char('1'));
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "Waited long");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Char('1'));
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "Call back tomorrow");
    key(&mut app, KeyCode::Enter);
    assert!(app.tabs.today.form().is_none());
    let row = app.tabs.today.rows.iter().find(|r| r.id == fx.appts[3]).unwrap();
    assert!(row.open_complaint);
    let (desc, plan, owner): (String, String, i64) = app
        .store
        .conn()
        .query_row(
            "SELECT description, plan, owner_id FROM complaints WHERE patient_id = ?1",
            [fx.emily],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((desc.as_str(), plan.as_str(), owner), ("Waited long", "Call back tomorrow", fx.director_kim));
}

#[test]
fn days_and_filters() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = fixture_app(&dir, Lang::En);
    assert_eq!(app.tabs.today.visible.len(), 6);
    app.on_command(Command::FilterProvider);
    assert_eq!(app.tabs.today.provider_filter, Some(fx.director_kim));
    assert_eq!(app.tabs.today.visible.len(), 3);
    app.on_command(Command::FilterProvider);
    assert_eq!(app.tabs.today.visible.len(), 3, "박원장's three");
    app.on_command(Command::FilterProvider);
    assert_eq!(app.tabs.today.provider_filter, None);
    app.on_command(Command::FilterSticker);
    assert_eq!(app.tabs.today.tag_filter, Some(Tag::Referrer));
    assert_eq!(app.tabs.today.visible.len(), 1);
    app.on_command(Command::Back);
    assert_eq!(app.tabs.today.visible.len(), 6);
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "emily");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.tabs.today.visible.len(), 1);
    assert_eq!(app.tabs.today.selected_row().unwrap().patient_id, fx.emily);
    app.on_command(Command::Back);
    app.on_command(Command::PrevDay);
    assert_eq!(app.tabs.today.date, Some(day(22)));
    assert!(app.tabs.today.rows.is_empty());
    app.on_command(Command::PrevDay);
    app.on_command(Command::PrevDay);
    app.on_command(Command::PrevDay);
    assert_eq!(app.tabs.today.date, Some(day(19)));
    app.on_command(Command::NextDay);
    assert_eq!(app.tabs.today.rows.len(), 1, "김철's done visit on the 20th");
    assert!(text(&render(&app, 80, 24)).contains("2026-11-20 (Fri)"));
    app.on_command(Command::GoToday);
    assert_eq!(app.tabs.today.date, Some(day(23)));
    assert_eq!(app.tabs.today.rows.len(), 6);
}

#[test]
fn search_by_name_initials_chart_number_and_last_four_digits() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir.path().join("c.db"));
    let fx = fixture(&mut store);
    let ids = |q: &str| -> Vec<i64> {
        search_patients(store.conn(), q, 10).unwrap().iter().map(|p| p.id).collect()
    };
    assert_eq!(ids("홍길"), vec![fx.hong]);
    assert_eq!(ids("ㅎㄱㄷ"), vec![fx.hong]);
    assert_eq!(ids("ㄴㄱ"), vec![fx.namgung]);
    assert_eq!(ids("emily"), vec![fx.emily], "Latin names in any case");
    assert_eq!(ids("Chris"), vec![fx.chris]);
    assert_eq!(ids("000003"), vec![fx.namgung]);
    assert_eq!(ids("5678"), vec![fx.hong], "last four of 010-1234-5678");
    assert_eq!(ids("4567"), vec![fx.namgung], "last four of 02-123-4567");
    assert_eq!(ids("0101234"), vec![fx.hong], "a longer phone prefix");
    assert!(ids("없는사람").is_empty());
    assert!(ids("").is_empty());
}

#[test]
fn search_overlay_updates_as_you_type_and_opens_the_card() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = fixture_app(&dir, Lang::Ko);
    ctrl(&mut app, 'f');
    assert!(app.search.is_some());
    typed(&mut app, "ㅇ");
    assert_eq!(app.search.as_ref().unwrap().results.iter().map(|p| p.id).collect::<Vec<_>>(), vec![fx.lee]);
    key(&mut app, KeyCode::Backspace);
    typed(&mut app, "8888");
    assert_eq!(app.search.as_ref().unwrap().results[0].id, fx.lee);
    let screen = text(&render(&app, 80, 24));
    assert!(screen.contains("이서연") && screen.contains("010-7777-8888"), "{screen}");
    key(&mut app, KeyCode::Enter);
    assert!(app.search.is_none());
    assert_eq!(app.card.as_ref().unwrap().card.patient.id, fx.lee);
    key(&mut app, KeyCode::Esc);
    assert!(app.card.is_none());
}

#[test]
fn the_card_shows_the_person_and_writes_an_audit_row() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = fixture_app(&dir, Lang::Ko);
    let views = |app: &App| -> i64 {
        app.store
            .conn()
            .query_row(
                "SELECT count(*) FROM audit_log WHERE action = 'view' AND entity = 'patient' AND patient_id = ?1 AND os_user = 'desk1'",
                [fx.hong],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert_eq!(views(&app), 0);
    select(&mut app, fx.appts[0]);
    key(&mut app, KeyCode::Enter);
    assert_eq!(views(&app), 1);
    let card = &app.card.as_ref().unwrap().card;
    assert_eq!(
        card.referred.iter().map(|r| r.chart_no.as_str()).collect::<Vec<_>>(),
        vec!["000004", "000005"]
    );
    assert_eq!(card.visits.len(), 2);
    let screen = text(&render(&app, 120, 40));
    for want in ["홍길동", "000001", "허리 통증", "소개한 환자 (2)", "Emily Park (000004)", "추나"]
    {
        assert!(screen.contains(want), "{want}\n{screen}");
    }
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Enter);
    assert_eq!(views(&app), 2, "every opening is recorded");
    assert!(
        frontdesk::store::audit::verify_chain(app.store.conn(), app.store.audit_key().unwrap())
            .unwrap()
            .is_none()
    );
}

#[test]
fn the_day_list_reads_only_the_day_through_the_start_index() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir.path().join("c.db"));
    let plan: Vec<String> = {
        let mut stmt = store
            .conn()
            .prepare(
                "EXPLAIN QUERY PLAN SELECT a.id FROM appointments a JOIN patients p ON p.id = a.patient_id
                 WHERE a.start >= '2026-11-23' AND a.start < '2026-11-24' ORDER BY a.start, a.id",
            )
            .unwrap();
        stmt.query_map([], |r| r.get::<_, String>(3)).unwrap().map(Result::unwrap).collect()
    };
    assert!(plan.iter().any(|l| l.contains("appointments_by_start")), "{plan:?}");
    assert!(!plan.iter().any(|l| l.starts_with("SCAN")), "{plan:?}");
}

#[test]
fn a_visit_still_booked_after_its_time_looks_late_and_not_once_arrived() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = fixture_app(&dir, Lang::En);
    // The fixed moment is 09:20: 홍길동's 09:00 visit is still booked.
    let line = |app: &App, time: &str| -> String {
        let screen = text(&render(app, 120, 40));
        screen.lines().find(|l| l.contains(time) && l.contains("홍길동")).unwrap_or_default().to_string()
    };
    let late = line(&app, "09:00");
    assert!(late.contains("Late?"), "{late}");
    let later: Vec<String> = text(&render(&app, 120, 40))
        .lines()
        .filter(|l| l.contains("Booked") && !l.contains("Late?"))
        .map(str::to_owned)
        .collect();
    assert!(later.iter().all(|l| l.split_whitespace().next().is_some_and(|t| t > "09:20")), "{later:?}");
    // Arrived: no longer late.
    let id = app.tabs.today.rows.iter().find(|r| r.patient_id == fx.hong).unwrap().id;
    app.store
        .write(|tx| {
            frontdesk::store::appointments::set_status(tx, id, frontdesk::domain::AppointmentStatus::Arrived)
                .map(|_| ())
        })
        .unwrap();
    app.reload_all();
    assert!(!line(&app, "09:00").contains("Late?"), "{}", line(&app, "09:00"));
}
