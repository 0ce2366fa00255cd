//! The desk layer (`frontdesk::desk`) without a terminal: each use case opens its own
//! transaction, keeps the rules that span records (booking links its call, a no-show opens a
//! rebooking call, an undecided consultation opens a prospect call), and answers with typed
//! reasons the screens word in Korean or English.

mod common;

use chrono::{Duration, NaiveDateTime};
use common::{at, fixed_now, open};
use frontdesk::desk::appointments::{self, BookingOrder, Marked, NewRegistration, Visit, Who};
use frontdesk::desk::{DeskError, Unit, Why, callbacks, settings};
use frontdesk::domain::{AppointmentStatus, CallbackKind, ConsultationStatus, Lang, Role};
use frontdesk::store::appointments::get_appointment;
use frontdesk::store::callbacks::open_queue;
use frontdesk::store::consultations::NewConsultation;
use frontdesk::store::{Access, Actor, Store};

fn order(who: Who, start: NaiveDateTime) -> BookingOrder {
    BookingOrder {
        who,
        start,
        duration_min: 30,
        provider_id: None,
        treatment_code: None,
        appointment_id: None,
        inquiry_id: None,
        callback_id: None,
        overlap_accepted: false,
    }
}

/// A booking whose warnings (here: 09:20, before the clinic opens) the desk accepted.
fn accepted(o: BookingOrder) -> BookingOrder {
    BookingOrder { overlap_accepted: true, ..o }
}

fn new_person(name: &str, phone: &str) -> Who {
    Who::New(NewRegistration { name: name.into(), phone: phone.into(), ..Default::default() })
}

fn today() -> chrono::NaiveDate {
    fixed_now().date()
}

#[test]
fn booking_a_new_person_registers_and_books_in_one_go() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir.path().join("clinic.db"));
    let start = at(2026, 11, 24, 10, 0);
    let pid = appointments::book(&mut store, &order(new_person("홍길동", "010-1234-5678"), start), today())
        .unwrap();
    let q = frontdesk::store::appointments::day_list(store.conn(), start.date()).unwrap();
    assert_eq!(q.len(), 1);
    assert_eq!((q[0].patient_id, q[0].start, q[0].name.as_str()), (pid, start, "홍길동"));
}

#[test]
fn booking_refusals_name_the_field_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir.path().join("clinic.db"));
    let start = at(2026, 11, 24, 10, 0);
    let cases: Vec<(BookingOrder, &str)> = vec![
        (BookingOrder { duration_min: 0, ..order(new_person("가", ""), start) }, "duration"),
        (BookingOrder { duration_min: 481, ..order(new_person("가", ""), start) }, "duration"),
        (order(new_person("", "010-1234-5678"), start), "name"),
        (order(new_person("가", "010-12a4"), start), "phone"),
        (
            order(
                Who::New(NewRegistration {
                    name: "가".into(),
                    birth_date: Some(today() + Duration::days(1)),
                    ..Default::default()
                }),
                start,
            ),
            "birth",
        ),
        (
            order(
                Who::New(NewRegistration {
                    name: "가".into(),
                    referrer_chart_no: "999999".into(),
                    ..Default::default()
                }),
                start,
            ),
            "referrer",
        ),
    ];
    for (o, want) in cases {
        match appointments::book(&mut store, &o, today()) {
            Err(DeskError::Field { field, why }) => {
                assert_eq!(field, want, "{o:?}");
                assert!(!why.words(Lang::Ko).is_empty() && !why.words(Lang::En).is_empty());
            }
            other => panic!("{want}: {other:?}"),
        }
    }
    assert!(store.is_empty().unwrap(), "nothing registered");
    // The length's reason carries its range, worded in both languages.
    let why = Why::OutOfRange { min: 1, max: 480, unit: Unit::Minutes };
    assert_eq!(why.words(Lang::Ko), "1-480분으로 적어 주세요");
    assert_eq!(why.words(Lang::En), "between 1 and 480 minutes");
}

#[test]
fn a_referrer_by_chart_number_defaults_the_source_to_referral() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir.path().join("clinic.db"));
    let start = at(2026, 11, 24, 10, 0);
    let referrer = appointments::book(&mut store, &order(new_person("소개인", ""), start), today()).unwrap();
    let chart = frontdesk::store::patients::get_patient(store.conn(), referrer).unwrap().chart_no;
    let who =
        Who::New(NewRegistration {
            name: "새환자".into(), referrer_chart_no: chart, ..Default::default()
        });
    let pid = appointments::book(&mut store, &order(who, start + Duration::hours(2)), today()).unwrap();
    let p = frontdesk::store::patients::get_patient(store.conn(), pid).unwrap();
    assert_eq!((p.referrer_id, p.referral_source.as_deref()), (Some(referrer), Some("referral")));
}

#[test]
fn an_overlapping_booking_warns_then_books_when_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir.path().join("clinic.db"));
    let start = at(2026, 11, 24, 10, 0);
    let pid = appointments::book(&mut store, &order(new_person("가", ""), start), today()).unwrap();
    let again = order(Who::Existing(pid), start + Duration::minutes(15));
    match appointments::book(&mut store, &again, today()) {
        Err(DeskError::Refused(Why::Overlap(starts))) => assert_eq!(starts, vec![start]),
        other => panic!("{other:?}"),
    }
    let accepted = BookingOrder { overlap_accepted: true, ..again };
    appointments::book(&mut store, &accepted, today()).unwrap();
    assert_eq!(frontdesk::store::appointments::day_list(store.conn(), start.date()).unwrap().len(), 2);
}

#[test]
fn marking_statuses_follows_the_desk_rules() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir.path().join("clinic.db"));
    let now = fixed_now();
    let pid = appointments::book(&mut store, &accepted(order(new_person("가", ""), now)), today()).unwrap();
    let id = frontdesk::store::appointments::day_list(store.conn(), today()).unwrap()[0].id;
    let visit = Visit { id, patient_id: pid, start: now, treatment_code: None };

    // Done with no next visit: the usual interval (a week with no history) is offered.
    assert_eq!(
        appointments::mark_status(&mut store, visit, AppointmentStatus::Done, today()).unwrap(),
        Marked::DoneOfferNext(today() + Duration::days(7))
    );
    // Done again is not a change the status allows: refused, in the store's reason.
    assert!(matches!(
        appointments::mark_status(&mut store, visit, AppointmentStatus::NoShow, today()),
        Err(DeskError::Refused(Why::Conflict(_)))
    ));
    // Undo goes back to booked; then a no-show opens the rebooking call due today.
    assert_eq!(
        appointments::undo(&mut store, id).unwrap(),
        Some((AppointmentStatus::Booked, AppointmentStatus::Done))
    );
    assert_eq!(
        appointments::mark_status(&mut store, visit, AppointmentStatus::NoShow, today()).unwrap(),
        Marked::NoShow
    );
    let queue = open_queue(store.conn(), today()).unwrap();
    assert!(queue.iter().any(|c| c.kind == CallbackKind::NoShow && c.patient_id == Some(pid)));

    // A visit tomorrow cannot be marked arrived yet, and nothing is written.
    let tomorrow = now + Duration::days(1);
    let pid2 =
        appointments::book(&mut store, &accepted(order(new_person("나", ""), tomorrow)), today()).unwrap();
    let id2 = frontdesk::store::appointments::day_list(store.conn(), tomorrow.date()).unwrap()[0].id;
    let v2 = Visit { id: id2, patient_id: pid2, start: tomorrow, treatment_code: None };
    assert!(matches!(
        appointments::mark_status(&mut store, v2, AppointmentStatus::Arrived, today()),
        Err(DeskError::Refused(Why::NotYet))
    ));
    assert_eq!(get_appointment(store.conn(), id2).unwrap().status, AppointmentStatus::Booked);
}

#[test]
fn an_undecided_consultation_opens_a_prospect_call_on_its_recall_date() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir.path().join("clinic.db"));
    let pid =
        appointments::book(&mut store, &accepted(order(new_person("가", ""), fixed_now())), today()).unwrap();
    let recall = today() + Duration::days(5);
    let c = NewConsultation {
        patient_id: pid,
        consulted_at: fixed_now(),
        treatment_code: None,
        quoted_krw: Some(300_000),
        offered_krw: None,
        status: ConsultationStatus::Undecided,
        recall_on: Some(recall),
        circumstances: String::new(),
        reaction: String::new(),
        owner_id: None,
    };
    callbacks::record_consultation(&mut store, &c).unwrap();
    let queue = open_queue(store.conn(), recall).unwrap();
    let prospect = queue.iter().find(|x| x.kind == CallbackKind::Prospect).expect("prospect call");
    assert_eq!((prospect.patient_id, prospect.due_on), (Some(pid), recall));

    // Decided: no call.
    let decided = NewConsultation { status: ConsultationStatus::Accepted, recall_on: None, ..c };
    callbacks::record_consultation(&mut store, &decided).unwrap();
    assert_eq!(open_queue(store.conn(), recall).unwrap().len(), 1);
}

#[test]
fn snoozing_to_a_past_day_names_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir.path().join("clinic.db"));
    match callbacks::snooze(&mut store, 1, today() - Duration::days(1), today()) {
        Err(DeskError::Field { field: "until", why: Why::Past }) => {}
        other => panic!("{other:?}"),
    }
}

#[test]
fn automatic_callbacks_write_nothing_on_a_read_only_store_and_are_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.db");
    let mut store = open(&path);
    let tomorrow = fixed_now() + Duration::days(1);
    appointments::book(&mut store, &accepted(order(new_person("가", ""), tomorrow)), today()).unwrap();
    let mut ro = Store::open(&path, Access::ReadOnly, Actor::named("desk2")).unwrap();
    assert_eq!(callbacks::generate_automatic(&mut ro, today()).unwrap(), 0);
    assert_eq!(callbacks::generate_automatic(&mut store, today()).unwrap(), 1, "tomorrow's reminder");
    assert_eq!(callbacks::generate_automatic(&mut store, today()).unwrap(), 0);
}

#[test]
fn a_staff_role_change_goes_through_the_store_and_is_audited() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir.path().join("clinic.db"));
    settings::save_staff(&mut store, None, "김원장", Role::Desk).unwrap();
    let id = frontdesk::store::settings::staff_ids(store.conn()).unwrap()[0];
    settings::save_staff(&mut store, Some(id), "김원장", Role::Director).unwrap();
    let setup = frontdesk::store::settings::read_setup(store.conn()).unwrap();
    assert_eq!(setup.staff[0].role, Role::Director.code());
    let audit = frontdesk::store::audit::recent(store.conn(), None, 5).unwrap();
    assert!(audit.iter().any(|a| a.entity == "staff" && a.action == "update"), "{audit:?}");
}

#[test]
fn busy_and_store_reasons_keep_the_stores_words() {
    let e = DeskError::Store(frontdesk::store::StoreError::Busy);
    assert!(e.is_busy());
    assert_eq!(e.words(Lang::En), frontdesk::store::StoreError::Busy.to_string());
}

/// The test oracle reads `rebooked` from its one definition (`REBOOKED_SQL`): bookings keep
/// it in step, and a flipped flag is caught.
#[test]
fn the_rebooked_oracle_catches_a_flag_out_of_step() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.db");
    let mut store = open(&path);
    let pid =
        appointments::book(&mut store, &accepted(order(new_person("가", ""), fixed_now())), today()).unwrap();
    let next = accepted(order(Who::Existing(pid), fixed_now() + Duration::days(7)));
    appointments::book(&mut store, &next, today()).unwrap();
    assert!(common::derived_out_of_step(store.conn()).is_empty());
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.execute("UPDATE appointments SET rebooked = 1 - rebooked", []).unwrap();
    assert_eq!(common::derived_out_of_step(&raw), vec!["rebooked: 2 rows out of step".to_string()]);
}

// Issue 19: booking checks. Each is a warning the desk accepts by saving again
// (`overlap_accepted`), worded with the reason and the clinic's hours.

fn refusal(store: &mut Store, o: &BookingOrder) -> Why {
    match appointments::book(store, o, today()) {
        Err(DeskError::Refused(w)) => {
            assert!(w.is_warning(), "{w:?}");
            w
        }
        other => panic!("expected a warning, got {other:?}"),
    }
}

#[test]
fn a_booking_outside_the_clinic_day_warns_with_the_reason_then_books_when_accepted() {
    use frontdesk::domain::calendar::{ClosedDay, OutsideHours};
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir.path().join("clinic.db"));
    let pid = appointments::book(&mut store, &order(new_person("가", ""), at(2026, 11, 24, 10, 0)), today())
        .unwrap();
    let who = || Who::Existing(pid);
    // Sunday 22:30: closed, named as the day the clinic does not open.
    let sunday = order(who(), at(2026, 11, 22, 22, 30));
    let w = refusal(&mut store, &sunday);
    assert!(matches!(w, Why::OutsideHours(OutsideHours::Closed(ClosedDay::Weekday(chrono::Weekday::Sun)))));
    assert!(w.words(Lang::Ko).contains("일요일 휴진일"), "{}", w.words(Lang::Ko));
    assert!(w.words(Lang::En).contains("closed on Sundays") && w.words(Lang::En).contains("Save again"));
    // Another day, after closing: the hours are named.
    let late = refusal(&mut store, &order(who(), at(2026, 11, 25, 18, 45)));
    assert!(late.words(Lang::Ko).contains("진료시간(09:30-19:00)"), "{}", late.words(Lang::Ko));
    assert!(late.words(Lang::En).contains("(09:30-19:00)"));
    // Lunch, and a visit that runs into it.
    for start in [at(2026, 11, 25, 13, 0), at(2026, 11, 25, 12, 45)] {
        let lunch = refusal(&mut store, &order(who(), start));
        assert!(lunch.words(Lang::Ko).contains("점심시간(13:00-14:00)"), "{}", lunch.words(Lang::Ko));
    }
    // A public holiday, named.
    let xmas = refusal(&mut store, &order(who(), at(2026, 12, 25, 10, 0)));
    assert!(xmas.words(Lang::Ko).contains("성탄절") && xmas.words(Lang::En).contains("Christmas"));
    let chuseok = refusal(&mut store, &order(who(), at(2026, 9, 25, 10, 0)));
    assert!(chuseok.words(Lang::Ko).contains("추석"));
    // Nothing was booked by the warnings; inside the hours books at once.
    assert_eq!(
        frontdesk::store::appointments::day_list(store.conn(), at(2026, 11, 22, 0, 0).date()).unwrap().len(),
        0
    );
    appointments::book(&mut store, &order(who(), at(2026, 11, 25, 14, 0)), today()).unwrap();
    // Accepted: the exception is booked.
    appointments::book(&mut store, &BookingOrder { overlap_accepted: true, ..sunday }, today()).unwrap();
    assert_eq!(
        frontdesk::store::appointments::day_list(store.conn(), at(2026, 11, 22, 0, 0).date()).unwrap().len(),
        1
    );
}

#[test]
fn the_clinic_s_own_closed_day_and_saturday_hours_come_from_settings() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir.path().join("clinic.db"));
    store
        .write(|tx| {
            frontdesk::store::settings::set_setting(tx, "closed_dates", "2026-11-26")?;
            frontdesk::store::settings::set_setting(tx, "saturday_hours", "09:30-14:00")
        })
        .unwrap();
    let pid = appointments::book(&mut store, &order(new_person("가", ""), at(2026, 11, 24, 10, 0)), today())
        .unwrap();
    let closed = refusal(&mut store, &order(Who::Existing(pid), at(2026, 11, 26, 10, 0)));
    assert!(closed.words(Lang::Ko).contains("병원 휴무일"), "{}", closed.words(Lang::Ko));
    let sat = refusal(&mut store, &order(Who::Existing(pid), at(2026, 11, 28, 15, 0)));
    assert!(sat.words(Lang::En).contains("(09:30-14:00)"), "{}", sat.words(Lang::En));
    // A short Saturday has no lunch break: 13:00 books.
    appointments::book(&mut store, &order(Who::Existing(pid), at(2026, 11, 28, 13, 0)), today()).unwrap();
}

#[test]
fn a_second_patient_with_the_same_provider_at_an_overlapping_time_warns() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir.path().join("clinic.db"));
    settings::save_staff(&mut store, None, "김원장", Role::Director).unwrap();
    settings::save_staff(&mut store, None, "이원장", Role::Director).unwrap();
    let ids = frontdesk::store::settings::staff_ids(store.conn()).unwrap();
    let (kim, lee) = (ids[0], ids[1]);
    let start = at(2026, 11, 24, 10, 0);
    let first = appointments::book(
        &mut store,
        &BookingOrder { provider_id: Some(kim), ..order(new_person("가", ""), start) },
        today(),
    )
    .unwrap();
    let second = BookingOrder {
        provider_id: Some(kim),
        ..order(new_person("나", ""), start + Duration::minutes(15))
    };
    match refusal(&mut store, &second) {
        Why::ProviderBusy(starts) => assert_eq!(starts, vec![start]),
        other => panic!("{other:?}"),
    }
    assert!(
        refusal(&mut store, &second).words(Lang::Ko).contains("담당자에게 다른 환자 예약이 있습니다 (10:00)")
    );
    // Back to back, another provider, or the same patient moved within the slot: no warning.
    appointments::book(
        &mut store,
        &BookingOrder {
            provider_id: Some(kim),
            ..order(new_person("다", ""), start + Duration::minutes(30))
        },
        today(),
    )
    .unwrap();
    appointments::book(&mut store, &BookingOrder { provider_id: Some(lee), ..second.clone() }, today())
        .unwrap();
    let id = frontdesk::store::appointments::day_list(store.conn(), start.date()).unwrap()[0].id;
    let moved = BookingOrder {
        provider_id: Some(kim),
        appointment_id: Some(id),
        ..order(Who::Existing(first), start - Duration::minutes(5))
    };
    appointments::book(&mut store, &moved, today()).unwrap();
    // Accepted: the double booking is made.
    appointments::book(&mut store, &BookingOrder { overlap_accepted: true, ..second }, today()).unwrap();
    assert_eq!(frontdesk::store::appointments::day_list(store.conn(), start.date()).unwrap().len(), 4);
}

#[test]
fn a_treatment_s_hourly_cap_warns_when_exceeded() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir.path().join("clinic.db"));
    let setup = frontdesk::store::settings::read_setup(store.conn()).unwrap();
    let mut chuna = setup.treatments.iter().find(|t| t.code == "chuna").unwrap().clone();
    assert_eq!(chuna.hourly_cap, None, "no cap by default");
    let chuna_at = |who: Who, h: u32, m: u32| BookingOrder {
        treatment_code: Some("chuna".into()),
        ..order(who, at(2026, 11, 24, h, m))
    };
    // Without a cap, any number books.
    for n in 0..3 {
        appointments::book(&mut store, &chuna_at(new_person(&format!("가{n}"), ""), 10, 0), today()).unwrap();
    }
    chuna.hourly_cap = Some(3);
    settings::save_treatment(&mut store, &chuna).unwrap();
    // The fourth in the 10:00 hour warns, with the count, the cap and the hour.
    let fourth = chuna_at(new_person("라", ""), 10, 50);
    match refusal(&mut store, &fourth) {
        Why::OverCapacity { count, cap, hour, .. } => {
            assert_eq!((count, cap, hour), (4, 3, chrono::NaiveTime::from_hms_opt(10, 0, 0).unwrap()))
        }
        other => panic!("{other:?}"),
    }
    let w = refusal(&mut store, &fourth);
    assert!(
        w.words(Lang::Ko).contains("10:00부터 한 시간에 추나") && w.words(Lang::Ko).contains("최대 3건"),
        "{}",
        w.words(Lang::Ko)
    );
    assert!(w.words(Lang::En).contains("(at most 3)"), "{}", w.words(Lang::En));
    // The next hour is free; another treatment does not count; moving one within its hour
    // does not count itself.
    appointments::book(&mut store, &chuna_at(new_person("마", ""), 11, 0), today()).unwrap();
    appointments::book(&mut store, &order(new_person("바", ""), at(2026, 11, 24, 10, 30)), today()).unwrap();
    let row = frontdesk::store::appointments::day_list(store.conn(), at(2026, 11, 24, 0, 0).date()).unwrap()
        [0]
    .clone();
    let moved =
        BookingOrder { appointment_id: Some(row.id), ..chuna_at(Who::Existing(row.patient_id), 10, 20) };
    appointments::book(&mut store, &moved, today()).unwrap();
    // Accepted: booked anyway.
    appointments::book(&mut store, &BookingOrder { overlap_accepted: true, ..fourth }, today()).unwrap();
}

#[test]
fn several_warnings_are_shown_together_and_accepted_together() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir.path().join("clinic.db"));
    settings::save_staff(&mut store, None, "김원장", Role::Director).unwrap();
    let kim = frontdesk::store::settings::staff_ids(store.conn()).unwrap()[0];
    let sunday = at(2026, 11, 22, 22, 30);
    appointments::book(
        &mut store,
        &BookingOrder {
            provider_id: Some(kim),
            overlap_accepted: true,
            ..order(new_person("가", ""), sunday)
        },
        today(),
    )
    .unwrap();
    let second = BookingOrder { provider_id: Some(kim), ..order(new_person("나", ""), sunday) };
    match refusal(&mut store, &second) {
        Why::Warnings(all) => {
            assert_eq!(all.len(), 2, "{all:?}");
            let ko = Why::Warnings(all).words(Lang::Ko);
            assert!(ko.contains("일요일 휴진일입니다; 담당자에게"), "{ko}");
            assert_eq!(ko.matches("한 번 더 저장").count(), 1, "{ko}");
        }
        other => panic!("{other:?}"),
    }
    appointments::book(&mut store, &BookingOrder { overlap_accepted: true, ..second }, today()).unwrap();
}

#[test]
fn undoing_a_cancellation_never_books_a_slot_taken_since() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir.path().join("clinic.db"));
    let doctor =
        store.write(|tx| frontdesk::store::settings::add_staff(tx, "김원장", Role::Director)).unwrap();
    let start = at(2026, 11, 24, 10, 0);
    let with_doctor = |who| BookingOrder { provider_id: Some(doctor), ..order(who, start) };
    let pid =
        appointments::book(&mut store, &with_doctor(new_person("홍길동", "010-1234-5678")), today()).unwrap();
    let first = frontdesk::store::appointments::day_list(store.conn(), start.date()).unwrap()[0].id;
    let visit = Visit { id: first, patient_id: pid, start, treatment_code: None };
    let status = |store: &Store, id| get_appointment(store.conn(), id).unwrap().status;

    // Cancelled, then undone with the slot free: booked again.
    appointments::mark_status(&mut store, visit, AppointmentStatus::Cancelled, today()).unwrap();
    assert_eq!(
        appointments::undo(&mut store, first).unwrap(),
        Some((AppointmentStatus::Booked, AppointmentStatus::Cancelled))
    );

    // Cancelled and rebooked at the same time ("rebook now?"): undo is refused, nothing changes.
    appointments::mark_status(&mut store, visit, AppointmentStatus::Cancelled, today()).unwrap();
    appointments::book(&mut store, &with_doctor(Who::Existing(pid)), today()).unwrap();
    match appointments::undo(&mut store, first) {
        Err(DeskError::Refused(Why::SlotTaken(starts))) => assert_eq!(starts, vec![start]),
        other => panic!("{other:?}"),
    }
    assert_eq!(status(&store, first), AppointmentStatus::Cancelled);
    let words = Why::SlotTaken(vec![start]).words(Lang::Ko);
    assert!(words.contains("10:00") && words.contains("되돌릴 수 없습니다"), "{words}");

    // Another patient in the 원장's slot after a cancellation: refused too.
    let other = at(2026, 11, 24, 11, 0);
    let pid2 = appointments::book(
        &mut store,
        &BookingOrder { provider_id: Some(doctor), ..order(new_person("김철", "010-2222-3333"), other) },
        today(),
    )
    .unwrap();
    let day = frontdesk::store::appointments::day_list(store.conn(), other.date()).unwrap();
    let missed = day.iter().find(|r| r.patient_id == pid2).unwrap().id;
    let v2 = Visit { id: missed, patient_id: pid2, start: other, treatment_code: None };
    appointments::mark_status(&mut store, v2, AppointmentStatus::Cancelled, today()).unwrap();
    let third =
        BookingOrder { provider_id: Some(doctor), ..order(new_person("이영희", "010-4444-5555"), other) };
    appointments::book(&mut store, &third, today()).unwrap();
    assert!(matches!(appointments::undo(&mut store, missed), Err(DeskError::Refused(Why::SlotTaken(_)))));
    assert_eq!(status(&store, missed), AppointmentStatus::Cancelled);
}
