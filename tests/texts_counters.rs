//! Issue 20: a text nobody answered (a contact with channel sms, not reached, as a sent text
//! is logged) does the work of a reminder callback but not of a happy call, a no-show, a
//! recall or a prospect: there a call is still wanted. The callbacks' on-time rate and the
//! queue's "Done today" follow that; an answered text or any call counts as before.

mod common;

use chrono::{NaiveDate, NaiveDateTime};
use common::{at, open_set_up};
use frontdesk::domain::CallbackKind;
use frontdesk::domain::callbacks::ContactChannel;
use frontdesk::domain::okr::Metric;
use frontdesk::store::Store;
use frontdesk::store::callbacks::{self, NewCallback, open_callback};
use frontdesk::store::metrics;
use frontdesk::store::patients::{NewPatient, insert_patient};

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

/// A callback of `kind` due on the `due`th for a new patient.
fn callback(store: &mut Store, n: usize, kind: CallbackKind, due: u32) -> i64 {
    store
        .write(|tx| {
            let p = insert_patient(
                tx,
                &NewPatient {
                    name: format!("문자시험{n}"),
                    phone: format!("010-7777-{n:04}"),
                    ..Default::default()
                },
            )?;
            open_callback(tx, &NewCallback::new(p, kind, day(due)))
        })
        .unwrap()
}

/// A contact row as the store keeps it (the shape `store::messages::finish` writes for a sent
/// text: channel sms, reached 0), on an open callback, at a moment in the past.
fn contact(store: &mut Store, id: i64, when: NaiveDateTime, channel: ContactChannel, reached: bool) {
    store
        .write(|tx| {
            tx.execute(
                "INSERT INTO callback_contacts (callback_id, contacted_at, channel, reached, reaction, next_plan, by_staff)
                 VALUES (?1, ?2, ?3, ?4, '', '', 'desk1')",
                rusqlite::params![id, when.format("%Y-%m-%dT%H:%M:%S").to_string(), channel.code(), reached],
            )?;
            Ok(())
        })
        .unwrap();
}

#[test]
fn an_unanswered_text_is_on_time_for_a_reminder_only() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_set_up(&dir.path().join("c.db"));
    use ContactChannel::{Phone, Sms};
    // All due on the 20th; today is the 23rd, so the month so far (through the 22nd) has 6.
    let reminder = callback(&mut store, 1, CallbackKind::Reminder, 20);
    contact(&mut store, reminder, at(2026, 11, 19, 18, 0), Sms, false); // delivered: done on time
    let happy_texted = callback(&mut store, 2, CallbackKind::HappyCall, 20);
    contact(&mut store, happy_texted, at(2026, 11, 20, 10, 0), Sms, false); // the call is still wanted
    let happy_called = callback(&mut store, 3, CallbackKind::HappyCall, 20);
    contact(&mut store, happy_called, at(2026, 11, 20, 10, 0), Sms, false);
    contact(&mut store, happy_called, at(2026, 11, 20, 15, 0), Phone, false); // a call attempt counts
    let no_show_texted = callback(&mut store, 4, CallbackKind::NoShow, 20);
    contact(&mut store, no_show_texted, at(2026, 11, 20, 11, 0), Sms, false);
    let no_show_replied = callback(&mut store, 5, CallbackKind::NoShow, 20);
    contact(&mut store, no_show_replied, at(2026, 11, 20, 11, 0), Sms, true); // answered: a conversation
    let reminder_late = callback(&mut store, 6, CallbackKind::Reminder, 20);
    contact(&mut store, reminder_late, at(2026, 11, 21, 9, 0), Sms, false); // after the due day: late

    // On time: reminder, happy_called, no_show_replied = 3 of 6.
    let rate = metrics::value(store.conn(), &Metric::CallbackOnTime, None, day(1), day(22)).unwrap();
    assert_eq!(rate, Some(0.5), "3 of 6 on time");
    let counters = callbacks::counters(store.conn(), day(23)).unwrap();
    assert_eq!((counters.on_time.numerator, counters.on_time.denominator), (3, 6));
    assert_eq!(counters.done_today, 0, "nothing logged on the 23rd");
}

#[test]
fn done_today_counts_a_text_on_a_reminder_but_not_on_a_happy_call() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_set_up(&dir.path().join("c.db"));
    use ContactChannel::{Kakao, Phone, Sms};
    let today = |h| at(2026, 11, 23, h, 0);
    let reminder = callback(&mut store, 1, CallbackKind::Reminder, 24);
    contact(&mut store, reminder, today(9), Sms, false); // counted
    let happy = callback(&mut store, 2, CallbackKind::HappyCall, 23);
    contact(&mut store, happy, today(9), Sms, false); // not counted: still to call
    let recall = callback(&mut store, 3, CallbackKind::Recall, 23);
    contact(&mut store, recall, today(9), Sms, false); // not counted
    let prospect = callback(&mut store, 4, CallbackKind::Prospect, 23);
    contact(&mut store, prospect, today(10), Phone, false); // a call: counted
    let happy_kakao = callback(&mut store, 5, CallbackKind::HappyCall, 23);
    contact(&mut store, happy_kakao, today(11), Kakao, false); // not a text: counted as before
    let happy_both = callback(&mut store, 6, CallbackKind::HappyCall, 23);
    contact(&mut store, happy_both, today(9), Sms, false);
    contact(&mut store, happy_both, today(12), Phone, true); // called after the text: counted once
    let yesterday_call = callback(&mut store, 7, CallbackKind::NoShow, 22);
    contact(&mut store, yesterday_call, at(2026, 11, 22, 17, 0), Phone, false); // not today

    // reminder, prospect, happy_kakao, happy_both = 4.
    let counters = callbacks::counters(store.conn(), day(23)).unwrap();
    assert_eq!(counters.done_today, 4);
    // The same rule for the on-time rate: the month through the 22nd has only the no-show,
    // called on its day.
    assert_eq!((counters.on_time.numerator, counters.on_time.denominator), (1, 1));
    // Due today is read from the queue, not from contacts: happy, recall, prospect,
    // happy_kakao, happy_both.
    assert_eq!(counters.due_today, 5);
}

#[test]
fn the_on_time_drill_down_agrees_with_the_rate() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_set_up(&dir.path().join("c.db"));
    let reminder = callback(&mut store, 1, CallbackKind::Reminder, 20);
    contact(&mut store, reminder, at(2026, 11, 20, 8, 0), ContactChannel::Sms, false);
    let happy = callback(&mut store, 2, CallbackKind::HappyCall, 20);
    contact(&mut store, happy, at(2026, 11, 20, 8, 0), ContactChannel::Sms, false);
    let rate = metrics::value(store.conn(), &Metric::CallbackOnTime, None, day(1), day(22)).unwrap();
    assert_eq!(rate, Some(0.5));
    let counts =
        metrics::rate_counts(store.conn(), &Metric::CallbackOnTime, day(1), day(22)).unwrap().unwrap();
    assert_eq!((counts.numerator, counts.denominator), (1, 2));
}
