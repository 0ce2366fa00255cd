//! What is due: the seeded templates, the next open day's reminders with reasons for the
//! skipped, advertising held for the morning on the store's clock.

use super::*;

#[test]
fn templates_are_seeded_in_korean_and_round_trip_through_setup() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir.path().join("clinic.db"));
    let t = outbox::template(store.conn(), MessageKind::Reminder).unwrap();
    assert!(t.body.contains("{name}님") && !t.advertising, "{t:?}");

    let mut file = settings::read_setup(store.conn()).unwrap();
    let toml = file.to_toml();
    assert!(toml.contains("[[message_template]]") && toml.contains("kind = \"no_show\""), "{toml}");

    file.message_templates[3].body = "{name}님, 12월 추나 이벤트".into();
    file.message_templates[3].advertising = true;
    file.texts.opt_out_number = "080-123-4567".into();
    let today = fixed_now().date();
    store.write(|tx| settings::apply_setup(tx, &file, today)).unwrap();
    let t = outbox::template(store.conn(), MessageKind::Recall).unwrap();
    assert_eq!(
        t,
        Template {
            kind: MessageKind::Recall, body: "{name}님, 12월 추나 이벤트".into(), advertising: true
        }
    );
    assert_eq!(outbox::clinic_facts(store.conn()).unwrap().opt_out_number, "080-123-4567");

    // An unknown placeholder is refused with the entry and the placeholder named.
    let text = toml.replacen("{name}", "{nmae}", 1);
    let err = frontdesk::domain::setup::SetupFile::parse(&text).unwrap_err();
    assert!(err.contains("message_template") && err.contains("{nmae}"), "{err}");
}

#[test]
fn the_next_open_days_reminders_are_planned_with_reasons_for_the_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let c = clinic(&dir);
    let planned = outbox::plan_due(c.store.conn(), fixed_now()).unwrap();
    let reminders: Vec<_> = planned.iter().filter(|p| p.due.kind == MessageKind::Reminder).collect();
    assert_eq!(reminders.len(), 3, "{planned:#?}");
    let mine = reminders.iter().find(|p| p.due.patient_id == Some(c.mobile)).unwrap();
    assert_eq!(mine.to.as_deref(), Ok("01011112222"));
    assert_eq!(mine.text, "[바른한의원] 김하나님, 11월 24일(화) 14:30 예약 안내드립니다. 변경은 02-123-4567");
    assert_eq!(mine.length.bytes, 80);
    assert!(mine.due.callback_id.is_some(), "linked to the reminder callback");
    let landline = reminders.iter().find(|p| p.due.patient_id == Some(c.landline)).unwrap();
    assert_eq!(landline.to, Err(SkipReason::NotMobile));
    let opted = reminders.iter().find(|p| p.due.patient_id == Some(c.opted_out)).unwrap();
    assert_eq!(opted.to, Err(SkipReason::OptedOut));

    // Saturday's appointments are reminded on Friday; Sunday closed: Monday's on Saturday.
    let sat = at(2026, 11, 28, 9, 0);
    assert_eq!(outbox::next_open_day(c.store.conn(), sat.date()).unwrap(), at(2026, 11, 30, 0, 0).date());
}

#[test]
fn advertising_waits_for_the_morning_on_the_stores_clock() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.db");
    let mut c = clinic(&dir);
    let consented = patient(&mut c.store, "정넷", "010-7777-8888");
    let today = fixed_now().date();
    c.store
        .write(|tx| {
            outbox::set_template(
                tx,
                &Template {
                    kind: MessageKind::Recall,
                    body: "{name}님, 12월 추나 패키지 안내".into(),
                    advertising: true,
                },
            )?;
            outbox::set_marketing_consent(tx, consented, Some(today))?;
            open_callback(tx, &NewCallback::new(consented, CallbackKind::Recall, today))?;
            open_callback(tx, &NewCallback::new(c.mobile, CallbackKind::Recall, today))
        })
        .unwrap();
    drop(c);
    let server = serve(|_, _| Reply::Status(200));
    let mut p = solapi(&server.url);

    // 22:00 by the store's clock: the advertising texts wait.
    let mut night = open_at(&path, at(2026, 11, 23, 22, 0));
    let report = send_due(&mut night, Some(&mut p), false).unwrap();
    let why: Vec<_> =
        report.skipped.iter().filter(|s| s.due.kind == MessageKind::Recall).map(|s| s.to.clone()).collect();
    assert!(why.contains(&Err(SkipReason::QuietHours)), "{why:?}");
    assert!(server.requests.lock().unwrap().iter().all(|r| !r.body.contains("(광고)")));
    drop(night);

    // The next morning at 08:00 (the recall moved to that day): sent with the marks, only to
    // the patient who consented.
    let mut morning = open_at(&path, at(2026, 11, 24, 8, 0));
    morning.conn().execute("UPDATE callbacks SET due_on = '2026-11-24' WHERE kind = 'recall'", []).unwrap();
    let report = send_due(&mut morning, Some(&mut p), false).unwrap();
    let ads: Vec<String> = server
        .requests
        .lock()
        .unwrap()
        .iter()
        .map(|r| r.json()["messages"][0]["text"].as_str().unwrap().to_string())
        .filter(|t| t.contains("(광고)"))
        .collect();
    assert_eq!(ads, ["(광고)바른한의원 정넷님, 12월 추나 패키지 안내\n무료수신거부 080-123-4567"]);
    assert!(
        report
            .skipped
            .iter()
            .any(|s| s.due.patient_id == Some(c_mobile(&morning))
                && s.to == Err(SkipReason::NoMarketingConsent)),
        "{:?}",
        report.skipped
    );
}

fn c_mobile(store: &Store) -> i64 {
    store.conn().query_row("SELECT id FROM patients WHERE name = '김하나'", [], |r| r.get(0)).unwrap()
}
