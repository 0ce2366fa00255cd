//! The Inquiries tab on screen: the log with counts by source, the call form with the Q&A
//! manual beside it, the typical call from the help overlay replayed key by key, the report
//! view, and the manual's add / delete.

mod common;

use chrono::NaiveDateTime;
use common::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use frontdesk::app::keymap::Command;
use frontdesk::app::{App, TabId};
use frontdesk::domain::phone::Phone;
use frontdesk::domain::{Lang, QuestionKind};
use frontdesk::store::Store;
use frontdesk::store::inquiries::{CallOutcome, NewInquiry, log_inquiry};
use frontdesk::store::patients::{NewPatient, insert_patient};

fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn call(at: &str, name: &str, source: Option<&str>, topic: &str, outcome: CallOutcome) -> NewInquiry {
    NewInquiry {
        received_at: t(at),
        caller_name: name.into(),
        phone: None,
        patient_id: None,
        topic: Some(topic.into()),
        questions: vec![QuestionKind::Price, QuestionKind::Duration],
        referral_source: source.map(str::to_owned),
        referral_channel: None,
        referrer_id: None,
        note: String::new(),
        outcome,
    }
}

/// A small clinic: one referrer, calls today and earlier this month and last month.
fn fixture(store: &mut Store) {
    store
        .write(|tx| {
            let referrer = insert_patient(
                tx,
                &NewPatient {
                    name: "김소개".into(),
                    phone: "010-1000-2000".into(),
                    referral_source: Some("signboard".into()),
                    ..Default::default()
                },
            )?;
            let mut a = call("2026-11-23 08:55", "이문의", Some("referral"), "chuna", CallOutcome::Info);
            a.referrer_id = Some(referrer);
            a.note = "허리 통증".into();
            log_inquiry(tx, &a)?;
            let mut b = call(
                "2026-11-23 09:05",
                "박다이어트",
                Some("internet"),
                "diet",
                CallOutcome::Callback(chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()),
            );
            b.phone = Some(Phone::parse("010-3333-4444").unwrap());
            b.referral_channel = Some("blog".into());
            log_inquiry(tx, &b)?;
            log_inquiry(
                tx,
                &call("2026-11-02 11:00", "최간판", Some("signboard"), "acupuncture", CallOutcome::Info),
            )?;
            log_inquiry(
                tx,
                &call("2026-10-15 15:00", "정잡지", Some("magazine"), "chuna", CallOutcome::Info),
            )?;
            Ok(())
        })
        .unwrap();
}

fn app_with_fixture(dir: &tempfile::TempDir, lang: Lang) -> App {
    let mut store = open(&dir.path().join("clinic.db"));
    fixture(&mut store);
    App::new(store, options(lang, TabId::Inquiries)).unwrap()
}

fn press(app: &mut App, code: KeyCode) {
    app.on_key(KeyEvent::from(code));
}

fn typed(app: &mut App, s: &str) {
    for c in s.chars() {
        press(app, KeyCode::Char(c));
    }
}

#[test]
fn the_log_lists_todays_calls_with_counts_by_source() {
    let dir = tempfile::tempdir().unwrap();
    let app = app_with_fixture(&dir, Lang::En);
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("Today's phone log: 2"), "{screen}");
    let lee = screen.lines().find(|l| l.contains("이문의")).expect("first call listed");
    assert!(
        lee.contains("08:55")
            && lee.contains("Chuna")
            && lee.contains("Referral")
            && lee.contains("by: 김소개"),
        "{lee}"
    );
    let park = screen.lines().find(|l| l.contains("박다이어트")).unwrap();
    assert!(park.contains("Call back 11-25"), "{park}");
    // Counts beside: today 1 referral, 1 internet; November adds the signboard call.
    let side = |label: &str| {
        let line = screen.lines().find(|l| l.contains(&format!("│{label} "))).unwrap();
        line.rsplit('│').nth(1).unwrap().split_whitespace().rev().take(2).collect::<Vec<_>>().join(" ")
    };
    assert_eq!(side("Signboard"), "1 0", "month 1, today 0");
    assert_eq!(side("Referral"), "1 1");
    assert_eq!(side("Magazine"), "0 0", "October's call is not this month's");
    assert_eq!(side("Total"), "3 2");
    for (lang, code) in [(Lang::Ko, "ko"), (Lang::En, "en")] {
        let dir = tempfile::tempdir().unwrap();
        let app = app_with_fixture(&dir, lang);
        for (w, h) in [(80, 24), (120, 40)] {
            insta::assert_snapshot!(format!("inquiries_log_{code}_{w}x{h}"), text(&render(&app, w, h)));
        }
    }
}

#[test]
fn the_typical_call_in_help_is_replayed_key_by_key_and_lands_in_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_with_fixture(&dir, Lang::En);
    app.on_command(Command::Help);
    let help = text(&render(&app, 120, 40));
    let line = help.lines().find(|l| l.contains("Typical call")).expect("typical call in help").to_string();
    let (keys, count) =
        frontdesk::app::tabs::inquiries::typical_call(&app.catalog, Lang::En, fixed_now().date());
    assert!(line.contains(&format!("Typical call ({count} keys)")), "{line}");
    assert!(count <= 10, "a typical call takes at most 10 keys besides the text, took {count}");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('n'));
    assert!(app.tabs.get(TabId::Inquiries).keyboard_grabbed(), "n opens the call form");
    let mut pressed = 0;
    for part in keys.split(' ') {
        match part {
            "<Caller>" => typed(&mut app, "한통화"),
            "<Phone>" => typed(&mut app, "01098765432"),
            "Tab" => {
                press(&mut app, KeyCode::Tab);
                pressed += 1;
            }
            "Ctrl-S" => {
                app.on_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
                pressed += 1;
            }
            k if k.chars().count() == 1 => {
                press(&mut app, KeyCode::Char(k.chars().next().unwrap()));
                pressed += 1;
            }
            other => panic!("unexpected part {other} in {keys}"),
        }
    }
    assert_eq!(pressed, count);
    assert!(!app.tabs.get(TabId::Inquiries).keyboard_grabbed(), "saved and closed: {keys}");
    let (name, phone, topic, questions, source, outcome): (String, String, String, String, String, String) = app
        .store
        .conn()
        .query_row(
            "SELECT caller_name, phone, topic_code, questions, referral_source, outcome FROM inquiries ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )
        .unwrap();
    assert_eq!(
        (
            name.as_str(),
            phone.as_str(),
            topic.as_str(),
            questions.as_str(),
            source.as_str(),
            outcome.as_str()
        ),
        ("한통화", "010-9876-5432", "acupuncture", "price", "signboard", "info")
    );
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("Today's phone log: 3") && screen.contains("한통화"), "{screen}");
}

#[test]
fn the_call_form_recognises_a_patient_and_shows_the_manual_for_the_topic() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_with_fixture(&dir, Lang::En);
    press(&mut app, KeyCode::Char('n'));
    press(&mut app, KeyCode::Tab);
    typed(&mut app, "010-1000-2000");
    press(&mut app, KeyCode::Tab);
    typed(&mut app, "2"); // chuna (c is shared with cupping: its number picks it)
    press(&mut app, KeyCode::Tab);
    typed(&mut app, "i"); // asked about insurance
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("Known patient: 김소개"), "{screen}");
    assert!(screen.contains("Q&A manual - Chuna"), "{screen}");
    assert!(screen.contains("추나 보험 적용?"), "the chuna insurance answer is shown: {screen}");
    insta::assert_snapshot!("inquiries_form_en_120x40", screen);
    // At 80 columns the manual sits under the form.
    let narrow = text(&render(&app, 80, 24));
    assert!(narrow.contains("Prepared answers"), "{narrow}");
    insta::assert_snapshot!("inquiries_form_en_80x24", narrow);
    // Referral shows the referrer search; a callback asks for its date.
    press(&mut app, KeyCode::Tab);
    typed(&mut app, "r");
    press(&mut app, KeyCode::Tab);
    typed(&mut app, "김소");
    press(&mut app, KeyCode::Tab);
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("Referrer matches") && screen.contains("1 김소개"), "{screen}");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    typed(&mut app, "c"); // outcome: call back
    app.on_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("required"), "the callback date is asked for: {screen}");
    typed(&mut app, "+2");
    app.on_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    assert!(!app.tabs.get(TabId::Inquiries).keyboard_grabbed());
    let (kind, due, referrer): (String, String, String) = app
        .store
        .conn()
        .query_row(
            "SELECT c.kind, c.due_on, r.name FROM inquiries i JOIN callbacks c ON c.patient_id = i.patient_id
             JOIN patients r ON r.id = i.referrer_id ORDER BY i.id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    // 김소개 called about herself: recognised, referred by... herself is what was picked here.
    assert_eq!((kind.as_str(), due.as_str(), referrer.as_str()), ("prospect", "2026-11-25", "김소개"));
}

#[test]
fn the_report_view_shows_sources_down_and_months_across() {
    for (lang, code) in [(Lang::Ko, "ko"), (Lang::En, "en")] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = app_with_fixture(&dir, lang);
        app.on_command(Command::Report);
        let screen = text(&render(&app, 120, 40));
        if lang == Lang::En {
            assert!(screen.contains("Referral report 2025-12-01 ~ 2026-11-23"), "{screen}");
            let header = screen.lines().find(|l| l.contains("Source") && l.contains("2026-11")).unwrap();
            assert!(header.contains("2026-10") && header.contains("Total"), "{header}");
            let magazine = screen.lines().filter(|l| l.contains("Magazine")).nth(1).unwrap();
            assert!(magazine.contains("1 100%"), "October's one inquiry was the magazine: {magazine}");
        }
        for (w, h) in [(80, 24), (120, 40)] {
            insta::assert_snapshot!(format!("inquiries_report_{code}_{w}x{h}"), text(&render(&app, w, h)));
        }
        app.on_command(Command::Report);
        assert!(text(&render(&app, 120, 40)).contains(if lang == Lang::En {
            "phone log"
        } else {
            "전화 문의"
        }));
    }
}

#[test]
fn the_manual_adds_and_deletes_answers_after_asking() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_with_fixture(&dir, Lang::En);
    let count = |app: &App| -> i64 {
        app.store.conn().query_row("SELECT count(*) FROM qa_entries", [], |r| r.get(0)).unwrap()
    };
    let before = count(&app);
    press(&mut app, KeyCode::Char('a'));
    assert!(text(&render(&app, 120, 40)).contains("Q&A manual:"));
    press(&mut app, KeyCode::Char('n'));
    press(&mut app, KeyCode::Tab); // topic: any
    typed(&mut app, "p"); // kind: price
    press(&mut app, KeyCode::Tab);
    typed(&mut app, "침 비용?");
    press(&mut app, KeyCode::Tab);
    typed(&mut app, "건강보험 적용, 본인부담 약 5천원.");
    press(&mut app, KeyCode::Enter);
    assert_eq!(count(&app), before + 1);
    press(&mut app, KeyCode::Char('G'));
    press(&mut app, KeyCode::Char('d'));
    assert!(text(&render(&app, 120, 40)).contains("Delete this answer?"));
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(count(&app), before + 1, "any other key keeps it");
    press(&mut app, KeyCode::Char('d'));
    press(&mut app, KeyCode::Char('y'));
    assert_eq!(count(&app), before);
}
