//! Issue 19's desk functions: the same-day warning, cancel and no-show with a reason, the
//! rebooking and prefill reads, the referrer look-up, inquiry corrections that keep the book
//! consistent, the end of the day, the clinic's closures and short days, the hourly cap
//! setting, the day's grid from the store, and the automatic calls on the clinic's calendar.

mod common;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use common::{at, fixed_now, open, open_at};
use frontdesk::desk::appointments::{self, BookingOrder, NewRegistration, Visit, Who};
use frontdesk::desk::booking::{self, CorrectOutcome, Corrected};
use frontdesk::desk::{DeskError, Why, callbacks, settings};
use frontdesk::domain::{AppointmentStatus, InquiryOutcome, Lang, Role, StatusReason};
use frontdesk::store::Store;
use frontdesk::store::appointments::{day_layout, get_appointment};
use frontdesk::store::inquiries::{CallOutcome, InquiryFields, NewInquiry, inquiry_by_id};

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

fn person(name: &str, phone: &str) -> Who {
    Who::New(NewRegistration { name: name.into(), phone: phone.into(), ..Default::default() })
}

fn today() -> NaiveDate {
    fixed_now().date()
}

fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, dd).unwrap()
}

fn refusal(store: &mut Store, o: &BookingOrder) -> Why {
    match appointments::book(store, o, today()) {
        Err(DeskError::Refused(w)) => w,
        other => panic!("expected a warning, got {other:?}"),
    }
}

fn count(store: &Store, sql: &str) -> i64 {
    store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn visit(store: &Store, id: i64) -> (i64, NaiveDateTime) {
    let a = get_appointment(store, id).unwrap();
    (a.patient_id, a.start)
}

fn appt_id(store: &Store, pid: i64, start: NaiveDateTime) -> i64 {
    store
        .conn()
        .query_row(
            "SELECT id FROM appointments WHERE patient_id = ?1 AND start = ?2",
            rusqlite::params![pid, start.format(frontdesk::domain::TIME_FORMAT).to_string()],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn a_second_visit_the_same_day_warns_then_books_when_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir.path().join("c.db"));
    let pid = appointments::book(&mut store, &order(person("홍길동", ""), at(2026, 11, 24, 10, 0)), today())
        .unwrap();
    let w = refusal(&mut store, &order(Who::Existing(pid), at(2026, 11, 24, 15, 0)));
    assert_eq!(w, Why::SameDay(vec![at(2026, 11, 24, 10, 0)]));
    assert!(w.is_warning());
    assert!(w.words(Lang::Ko).contains("그날 이미 예약이 있습니다 (10:00)"), "{}", w.words(Lang::Ko));
    assert!(w.words(Lang::En).contains("already booked that day (10:00)"), "{}", w.words(Lang::En));
    // Another day is fine; accepted, the second visit books.
    appointments::book(&mut store, &order(Who::Existing(pid), at(2026, 11, 25, 15, 0)), today()).unwrap();
    let o = BookingOrder { overlap_accepted: true, ..order(Who::Existing(pid), at(2026, 11, 24, 15, 0)) };
    appointments::book(&mut store, &o, today()).unwrap();
    // Moving the 10:00 visit within the day does not warn about itself, but does about 15:00.
    let ten = appt_id(&store, pid, at(2026, 11, 24, 10, 0));
    let mv = BookingOrder { appointment_id: Some(ten), ..order(Who::Existing(pid), at(2026, 11, 24, 11, 0)) };
    assert_eq!(refusal(&mut store, &mv), Why::SameDay(vec![at(2026, 11, 24, 15, 0)]));
}

#[test]
fn cancel_and_no_show_keep_their_reason_in_the_audit_and_undo_takes_it_away() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir.path().join("c.db"));
    let pid = appointments::book(&mut store, &order(person("가나다", ""), at(2026, 11, 25, 10, 0)), today())
        .unwrap();
    let id = appt_id(&store, pid, at(2026, 11, 25, 10, 0));
    let (_, start) = visit(&store, id);
    let v = Visit { id, patient_id: pid, start, treatment_code: None };
    booking::mark_with_reason(
        &mut store,
        v,
        AppointmentStatus::Cancelled,
        today(),
        StatusReason::Cost,
        "다음 달에",
    )
    .unwrap();
    assert_eq!(
        booking::status_reason(&store, id).unwrap(),
        Some((AppointmentStatus::Cancelled, StatusReason::Cost, "다음 달에".into()))
    );
    assert_eq!(
        count(&store, "SELECT count(*) FROM audit_log WHERE detail = 'booked -> cancelled: cost, 다음 달에'"),
        1
    );
    assert_eq!(
        appointments::undo(&mut store, id).unwrap(),
        Some((AppointmentStatus::Booked, AppointmentStatus::Cancelled))
    );
    assert_eq!(get_appointment(&store, id).unwrap().status, AppointmentStatus::Booked);
    assert_eq!(booking::status_reason(&store, id).unwrap(), None);
    // A no-show cannot be marked before the day; on the day it opens the rebooking call,
    // which undo withdraws.
    assert!(matches!(
        booking::mark_with_reason(
            &mut store,
            v,
            AppointmentStatus::NoShow,
            today(),
            StatusReason::Unreachable,
            ""
        ),
        Err(DeskError::Refused(Why::NotYet))
    ));
    let mut later = open_at(&dir.path().join("c.db"), at(2026, 11, 25, 18, 0));
    let day = d(2026, 11, 25);
    booking::mark_with_reason(&mut later, v, AppointmentStatus::NoShow, day, StatusReason::Unreachable, "")
        .unwrap();
    assert_eq!(count(&later, "SELECT count(*) FROM callbacks WHERE kind = 'no_show' AND status = 'open'"), 1);
    assert_eq!(booking::status_reason(&later, id).unwrap().map(|r| r.1.label(Lang::Ko)), Some("연락두절"));
    appointments::undo(&mut later, id).unwrap();
    assert_eq!(count(&later, "SELECT count(*) FROM callbacks WHERE kind = 'no_show'"), 0);
    // The reason list speaks both languages and reads back from either label.
    assert_eq!(StatusReason::parse("타병원"), Some(StatusReason::OtherClinic));
    assert_eq!(StatusReason::parse("schedule change"), Some(StatusReason::Reschedule));
    assert_eq!(StatusReason::ALL.len(), 6);
}

#[test]
fn rebooking_and_a_known_patient_s_prefill_give_the_last_provider_and_treatment() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir.path().join("c.db"));
    settings::save_staff(&mut store, None, "김원장", Role::Director).unwrap();
    settings::save_staff(&mut store, None, "이원장", Role::Director).unwrap();
    let ids = frontdesk::store::settings::staff_ids(&store).unwrap();
    let (kim, lee) = (ids[0], ids[1]);
    let first = BookingOrder {
        provider_id: Some(lee),
        treatment_code: Some("chuna".into()),
        ..order(person("환자일", "010-2000-0001"), at(2026, 11, 20, 10, 0))
    };
    let pid =
        appointments::book(&mut store, &BookingOrder { overlap_accepted: true, ..first }, today()).unwrap();
    let p = booking::booking_prefill(&store, pid, None).unwrap();
    assert_eq!(
        (p.provider_id, p.treatment_code.as_deref(), p.duration_min),
        (Some(lee), Some("chuna"), Some(30))
    );
    assert_eq!(p.next_free, None);
    // Someone else holds 이원장 at 10:00 on the 24th: the next free slot with 이원장 is 10:30.
    let other =
        BookingOrder { provider_id: Some(lee), ..order(person("환자이", ""), at(2026, 11, 24, 10, 0)) };
    appointments::book(&mut store, &other, today()).unwrap();
    let p = booking::booking_prefill(&store, pid, Some(at(2026, 11, 24, 10, 0))).unwrap();
    assert_eq!(p.next_free, Some((at(2026, 11, 24, 10, 30), Some(lee))));
    // From a Sunday evening: Monday's first slot.
    let p = booking::booking_prefill(&store, pid, Some(at(2026, 11, 22, 20, 0))).unwrap();
    assert_eq!(p.next_free, Some((at(2026, 11, 23, 9, 30), Some(lee))));
    // A patient with no visit yet: nothing to fill in but a free slot with anyone.
    let none = appointments::book(&mut store, &order(person("환자삼", ""), at(2026, 11, 26, 10, 0)), today())
        .unwrap();
    store
        .conn()
        .execute("UPDATE appointments SET status = 'cancelled' WHERE patient_id = ?1", [none])
        .unwrap();
    let p = booking::booking_prefill(&store, none, Some(at(2026, 11, 24, 10, 0))).unwrap();
    assert_eq!((p.provider_id, p.treatment_code), (None, None));
    assert_eq!(p.next_free, Some((at(2026, 11, 24, 10, 0), Some(kim))));
    // Rebooking a cancelled visit: its own provider and treatment.
    let a = appt_id(&store, pid, at(2026, 11, 20, 10, 0));
    let r = booking::rebook_request(&store, a).unwrap();
    assert_eq!((r.patient_id, r.provider_id, r.treatment_code.as_deref()), (pid, Some(lee), Some("chuna")));
}

#[test]
fn the_referrer_is_found_by_name_initials_phone_or_chart_number_digits() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir.path().join("c.db"));
    let pid = appointments::book(
        &mut store,
        &order(person("홍길동", "010-3456-7890"), at(2026, 11, 24, 10, 0)),
        today(),
    )
    .unwrap();
    let chart = frontdesk::store::patients::get_patient(&store, pid).unwrap().chart_no;
    let trailing = chart.trim_start_matches('0').to_string();
    for q in ["홍길동", "홍길", "ㅎㄱㄷ", "7890", "010-3456", trailing.as_str(), chart.as_str()] {
        let found = booking::find_referrer(&store, q, 5).unwrap();
        assert_eq!(found.first().map(|p| p.id), Some(pid), "{q}");
    }
    assert!(booking::find_referrer(&store, "없는사람", 5).unwrap().is_empty());
}

fn call(outcome: CallOutcome) -> NewInquiry {
    NewInquiry {
        received_at: at(2026, 11, 23, 9, 0),
        caller_name: "문의자".into(),
        phone: frontdesk::domain::phone::Phone::parse("010-4000-0001").ok(),
        patient_id: None,
        topic: Some("chuna".into()),
        questions: vec![],
        referral_source: None,
        referral_channel: None,
        referrer_id: None,
        note: String::new(),
        outcome,
    }
}

fn fields_of(store: &Store, id: i64) -> InquiryFields {
    let r = inquiry_by_id(store, id).unwrap().unwrap();
    InquiryFields {
        caller_name: r.caller_name,
        topic: r.topic,
        questions: r.questions,
        referral_source: r.referral_source,
        referral_channel: r.referral_channel,
        referrer_id: r.referrer_id,
        note: r.note,
    }
}

#[test]
fn correcting_an_inquiry_keeps_the_book_consistent() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir.path().join("c.db"));
    let logged = frontdesk::desk::inquiries::log_call(
        &mut store,
        &call(CallOutcome::Booked(Some(at(2026, 11, 24, 10, 0)))),
    )
    .unwrap();
    let (inq, appt) = (logged.inquiry_id, logged.appointment_id.unwrap());
    // A wrong "booked": corrected to information only, the booking made with it is cancelled.
    let mut f = fields_of(&store, inq);
    f.topic = Some("acupuncture".into());
    f.note = "가격만 문의".into();
    let done = booking::correct_inquiry(&mut store, inq, &f, CorrectOutcome::Info, today()).unwrap();
    assert_eq!(done, Corrected::BookingCancelled(appt));
    assert_eq!(get_appointment(&store, appt).unwrap().status, AppointmentStatus::Cancelled);
    let r = inquiry_by_id(&store, inq).unwrap().unwrap();
    assert_eq!(
        (r.outcome, r.topic.as_deref(), r.note.as_str()),
        (InquiryOutcome::Info, Some("acupuncture"), "가격만 문의")
    );
    assert_eq!(
        count(&store, &format!("SELECT count(*) FROM inquiries WHERE id = {inq} AND appointment_id IS NULL")),
        1
    );
    assert_eq!(
        count(&store, "SELECT count(*) FROM audit_log WHERE action = 'correct' AND entity = 'inquiry'"),
        1
    );
    // Now to "booked": the desk is offered the booking; until it books, the caller waits as a
    // call back due today (never "booked" without an appointment).
    let done = booking::correct_inquiry(&mut store, inq, &f, CorrectOutcome::Booked, today()).unwrap();
    assert!(matches!(done, Corrected::OfferBooking { inquiry_id, .. } if inquiry_id == inq));
    assert_eq!(inquiry_by_id(&store, inq).unwrap().unwrap().outcome, InquiryOutcome::Callback);
    assert_eq!(count(&store, "SELECT count(*) FROM callbacks WHERE status = 'open'"), 1);
    // The booking form books with the inquiry: it turns booked and the callback closes.
    let pid = logged.patient_id.unwrap();
    let cb: i64 =
        store.conn().query_row("SELECT id FROM callbacks WHERE status = 'open'", [], |r| r.get(0)).unwrap();
    let o = BookingOrder {
        inquiry_id: Some(inq),
        callback_id: Some(cb),
        ..order(Who::Existing(pid), at(2026, 11, 25, 10, 0))
    };
    appointments::book(&mut store, &o, today()).unwrap();
    assert_eq!(inquiry_by_id(&store, inq).unwrap().unwrap().outcome, InquiryOutcome::Booked);
    assert_eq!(count(&store, "SELECT count(*) FROM callbacks WHERE status = 'open'"), 0);
    // A booking that already happened is not cancelled by a correction.
    let booked = appt_id(&store, pid, at(2026, 11, 25, 10, 0));
    let mut later = open_at(&dir.path().join("c.db"), at(2026, 11, 25, 11, 0));
    later.conn().execute("UPDATE appointments SET status = 'arrived' WHERE id = ?1", [booked]).unwrap();
    assert!(matches!(
        booking::correct_inquiry(&mut later, inq, &f, CorrectOutcome::Info, d(2026, 11, 25)),
        Err(DeskError::Refused(Why::VisitHappened))
    ));
    // Booked to a call back on a day: the callback opens on that day.
    let second =
        frontdesk::desk::inquiries::log_call(&mut later, &call(CallOutcome::Info)).unwrap().inquiry_id;
    let f2 = fields_of(&later, second);
    booking::correct_inquiry(
        &mut later,
        second,
        &f2,
        CorrectOutcome::Callback(d(2026, 11, 27)),
        d(2026, 11, 25),
    )
    .unwrap();
    assert_eq!(
        count(&later, "SELECT count(*) FROM callbacks WHERE status = 'open' AND due_on = '2026-11-27'"),
        1
    );
}

#[test]
fn the_end_of_the_day_marks_the_rest_no_show_in_one_write_and_counts_the_late() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let mut store = open(&path);
    let day = d(2026, 11, 25);
    let mut ids = vec![];
    for (i, h) in [10, 11, 15, 18].iter().enumerate() {
        let pid = appointments::book(
            &mut store,
            &order(person(&format!("환자{i}"), ""), at(2026, 11, 25, *h, 0)),
            today(),
        )
        .unwrap();
        ids.push(appt_id(&store, pid, at(2026, 11, 25, *h, 0)));
    }
    assert_eq!(booking::late_count(&store, day, at(2026, 11, 25, 9, 0)).unwrap(), 0);
    assert!(matches!(booking::mark_rest_no_show(&mut store, day), Err(DeskError::Refused(Why::NotYet))));
    let mut evening = open_at(&path, at(2026, 11, 25, 16, 0));
    evening.conn().execute("UPDATE appointments SET status = 'arrived' WHERE id = ?1", [ids[1]]).unwrap();
    assert_eq!(booking::late_count(&evening, day, at(2026, 11, 25, 16, 0)).unwrap(), 2, "10:00 and 15:00");
    let writes = count(&evening, "SELECT count(*) FROM audit_log");
    assert_eq!(booking::mark_rest_no_show(&mut evening, day).unwrap(), 2);
    let statuses: Vec<AppointmentStatus> =
        ids.iter().map(|i| get_appointment(&evening, *i).unwrap().status).collect();
    use AppointmentStatus::*;
    assert_eq!(statuses, vec![NoShow, Arrived, NoShow, Booked], "18:00 has not started yet");
    assert_eq!(count(&evening, "SELECT count(*) FROM callbacks WHERE kind = 'no_show'"), 2);
    assert!(count(&evening, "SELECT count(*) FROM audit_log") > writes);
    assert_eq!(booking::late_count(&evening, day, at(2026, 11, 25, 16, 0)).unwrap(), 0);
    assert_eq!(booking::mark_rest_no_show(&mut evening, day).unwrap(), 0, "nothing left");
    // Each stays undoable.
    appointments::undo(&mut evening, ids[0]).unwrap();
    assert_eq!(get_appointment(&evening, ids[0]).unwrap().status, Booked);
}

#[test]
fn closures_and_short_days_are_editable_and_the_booking_checks_follow_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir.path().join("c.db"));
    let pid =
        appointments::book(&mut store, &order(person("가", ""), at(2026, 11, 24, 10, 0)), today()).unwrap();
    let thu = d(2026, 11, 26);
    booking::add_closure(&mut store, thu).unwrap();
    booking::add_closure(&mut store, thu).unwrap();
    let w = refusal(&mut store, &order(Who::Existing(pid), at(2026, 11, 26, 10, 0)));
    assert!(w.words(Lang::Ko).contains("병원 휴무일"), "{}", w.words(Lang::Ko));
    let cal = frontdesk::store::settings::clinic_calendar(&store).unwrap();
    assert_eq!(cal.closed.len(), 1);
    booking::remove_closure(&mut store, thu).unwrap();
    appointments::book(&mut store, &order(Who::Existing(pid), at(2026, 11, 26, 10, 0)), today()).unwrap();
    // A short day: 14:00 is outside its hours; removing it restores the day.
    booking::set_short_day(&mut store, d(2026, 11, 27), Some("09:30-13:00")).unwrap();
    let w = refusal(&mut store, &order(Who::Existing(pid), at(2026, 11, 27, 14, 0)));
    assert!(w.words(Lang::En).contains("(09:30-13:00)"), "{}", w.words(Lang::En));
    assert!(matches!(
        booking::set_short_day(&mut store, d(2026, 11, 27), Some("13:00-09:30")),
        Err(DeskError::Field { field: "hours", why: Why::Hours })
    ));
    // Both show in the setup file and load back.
    booking::add_closure(&mut store, d(2026, 12, 31)).unwrap();
    let setup = frontdesk::store::settings::read_setup(&store).unwrap();
    assert_eq!(setup.clinic.closed_dates, vec!["2026-12-31".to_string()]);
    assert_eq!(setup.clinic.short_days, vec!["2026-11-27 09:30-13:00".to_string()]);
    let mut edited = setup.clone();
    edited.clinic.short_days = vec!["2026-12-24 09:30-13:00".into()];
    edited.clinic.closed_dates.push("2026-12-30".into());
    store.write(|tx| frontdesk::store::settings::apply_setup(tx, &edited, today())).unwrap();
    let cal = frontdesk::store::settings::clinic_calendar(&store).unwrap();
    assert!(!cal.is_open(d(2026, 12, 30)));
    assert_eq!(cal.hours_on(d(2026, 12, 24)).map(|h| h.text()), Some("09:30-13:00".into()));
    assert_eq!(cal.hours_on(d(2026, 11, 27)).map(|h| h.text()), Some("09:30-19:00".into()));
    let mut bad = edited.clone();
    bad.clinic.short_days = vec!["2026-12-24".into()];
    assert!(bad.check().is_err());
    booking::set_short_day(&mut store, d(2026, 12, 24), None).unwrap();
    assert!(frontdesk::store::settings::clinic_calendar(&store).unwrap().short.is_empty());
}

#[test]
fn the_hourly_cap_is_a_setting_and_the_grid_counts_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir.path().join("c.db"));
    settings::save_staff(&mut store, None, "김원장", Role::Director).unwrap();
    settings::save_staff(&mut store, None, "이원장", Role::Director).unwrap();
    let ids = frontdesk::store::settings::staff_ids(&store).unwrap();
    booking::set_hourly_cap(&mut store, "chuna", Some(2)).unwrap();
    assert!(matches!(booking::set_hourly_cap(&mut store, "chuna", Some(0)), Err(DeskError::Field { .. })));
    assert!(booking::set_hourly_cap(&mut store, "nope", Some(2)).is_err());
    let chuna = |who: Who, h: u32, m: u32, p: i64| BookingOrder {
        provider_id: Some(p),
        treatment_code: Some("chuna".into()),
        ..order(who, at(2026, 11, 24, h, m))
    };
    appointments::book(&mut store, &chuna(person("일", ""), 10, 0, ids[0]), today()).unwrap();
    appointments::book(&mut store, &chuna(person("이", ""), 10, 0, ids[1]), today()).unwrap();
    let w = refusal(&mut store, &chuna(person("삼", ""), 10, 30, ids[0]));
    assert!(matches!(w, Why::OverCapacity { count: 3, cap: 2, .. }), "{w:?}");
    let l = day_layout(&store, d(2026, 11, 24)).unwrap();
    let ten = NaiveTime::from_hms_opt(10, 0, 0).unwrap();
    let counts: Vec<(String, i64, i64)> =
        l.counts_in_hour(ten).map(|c| (c.ko.clone(), c.count, c.cap)).collect();
    assert_eq!(counts, vec![("추나".to_string(), 2, 2)]);
    let names: Vec<&str> = l.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, vec!["김원장", "이원장"]);
    let row = l.slots.iter().position(|s| *s == ten).unwrap();
    assert!(!l.is_free(row, 0) && !l.is_free(row, 1) && l.is_free(row + 1, 0));
    // Cleared, no warning and no count.
    booking::set_hourly_cap(&mut store, "chuna", None).unwrap();
    appointments::book(&mut store, &chuna(person("삼", ""), 10, 30, ids[0]), today()).unwrap();
    assert!(day_layout(&store, d(2026, 11, 24)).unwrap().hour_counts.is_empty());
    assert_eq!(count(&store, "SELECT count(*) FROM audit_log WHERE detail LIKE 'chuna hourly_cap%'"), 2);
}

#[test]
fn reminders_and_happy_calls_skip_the_days_the_clinic_is_closed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let mut store = open(&path);
    // A Monday visit is reminded on Saturday (Sunday closed); a visit after a closure on
    // Wednesday 12/2 is reminded on Tuesday.
    let mon = appointments::book(&mut store, &order(person("월요일", ""), at(2026, 11, 30, 10, 0)), today())
        .unwrap();
    let thu = appointments::book(&mut store, &order(person("목요일", ""), at(2026, 12, 3, 10, 0)), today())
        .unwrap();
    booking::add_closure(&mut store, d(2026, 12, 2)).unwrap();
    let sat = d(2026, 11, 28);
    let mut s = open_at(&path, at(2026, 11, 28, 9, 0));
    callbacks::generate_automatic(&mut s, sat).unwrap();
    let due = |s: &Store, pid: i64, kind: &str| -> Option<String> {
        s.conn()
            .query_row(
                "SELECT due_on FROM callbacks WHERE patient_id = ?1 AND kind = ?2",
                rusqlite::params![pid, kind],
                |r| r.get(0),
            )
            .ok()
    };
    assert_eq!(due(&s, mon, "reminder").as_deref(), Some("2026-11-28"));
    let mut tue = open_at(&path, at(2026, 12, 1, 9, 0));
    callbacks::generate_automatic(&mut tue, d(2026, 12, 1)).unwrap();
    assert_eq!(due(&tue, thu, "reminder").as_deref(), Some("2026-12-01"));
    // A Saturday visit's happy call is due Monday, not Sunday.
    let pid = appointments::book(
        &mut s,
        &BookingOrder {
            treatment_code: Some("chuna".into()),
            ..order(person("토요일", ""), at(2026, 11, 28, 10, 0))
        },
        sat,
    )
    .unwrap();
    let id = appt_id(&s, pid, at(2026, 11, 28, 10, 0));
    let mut late = open_at(&path, at(2026, 11, 28, 12, 0));
    appointments::mark_status(
        &mut late,
        Visit { id, patient_id: pid, start: at(2026, 11, 28, 10, 0), treatment_code: Some("chuna") },
        AppointmentStatus::Done,
        sat,
    )
    .unwrap();
    callbacks::generate_automatic(&mut late, sat).unwrap();
    assert_eq!(due(&late, pid, "happy_call").as_deref(), Some("2026-11-30"));
}

#[test]
fn pace_and_clinic_days_count_neither_holidays_nor_closures() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir.path().join("c.db"));
    let open_days = |s: &Store| frontdesk::store::okr::open_days(s.conn()).unwrap();
    // December 2026: 27 days Monday to Saturday, 성탄절 (Friday the 25th) off.
    assert_eq!(open_days(&store).count(d(2026, 12, 1), d(2026, 12, 31)), 26);
    booking::add_closure(&mut store, d(2026, 12, 31)).unwrap();
    assert_eq!(open_days(&store).count(d(2026, 12, 1), d(2026, 12, 31)), 25);
    assert!(!open_days(&store).is_open(d(2026, 12, 25)));
    // Texts for "the next open day" skip them too: after Wednesday 12/30 comes Saturday 1/2.
    assert_eq!(
        frontdesk::store::messages::next_open_day(store.conn(), d(2026, 12, 30)).unwrap(),
        d(2027, 1, 2)
    );
}

#[test]
fn the_day_grid_loads_from_the_store_masks_and_books_the_slot_it_picks() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use frontdesk::app::day_grid::DayGrid;
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir.path().join("c.db"));
    settings::save_staff(&mut store, None, "김원장", Role::Director).unwrap();
    let kim = frontdesk::store::settings::staff_ids(&store).unwrap()[0];
    let first =
        BookingOrder { provider_id: Some(kim), ..order(person("홍길동", ""), at(2026, 11, 24, 9, 30)) };
    appointments::book(&mut store, &first, today()).unwrap();
    let mut g = DayGrid::load(&store, d(2026, 11, 24), Lang::Ko, true).unwrap();
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(40, 12)).unwrap();
    term.draw(|f| g.render(f.area(), f.buffer_mut())).unwrap();
    let text = frontdesk::app::svg::buffer_to_text(term.backend().buffer());
    assert!(text.contains("김원장") && !text.contains("홍길동"), "{text}");
    assert!(text.contains(&frontdesk::domain::mask::mask_name("홍길동")), "{text}");
    // The first free slot is 10:00; one Down picks 10:30, and booking it needs no warning.
    assert_eq!(g.selected_free_slot(), Some((NaiveTime::from_hms_opt(10, 0, 0).unwrap(), Some(kim))));
    g.on_key(KeyEvent::new(KeyCode::Down, KeyModifiers::NONE));
    let (t, provider) = g.selected_free_slot().unwrap();
    let o =
        BookingOrder { provider_id: provider, ..order(person("김영희", ""), d(2026, 11, 24).and_time(t)) };
    appointments::book(&mut store, &o, today()).unwrap();
    // Reloaded, the cursor stays on 10:30, now taken.
    g.set_layout(day_layout(&store, d(2026, 11, 24)).unwrap());
    assert_eq!(g.selected(), Some((t, Some(kim))));
    assert_eq!(g.selected_free_slot(), None);
}
