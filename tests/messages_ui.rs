//! The desk's side of texts (issue 20): the Callbacks tab's preview of today's texts (exact
//! text, bytes, SMS/LMS, skipped with reasons), one confirmed key to send them, the patient
//! card's texts and its opt-out key. One test in this binary: it sets the process's config
//! folder and SMS credentials (environment variables) before anything reads them.

mod common;

use std::io::Write;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use common::{at, fixed_now, open_set_up, options, render, text};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use frontdesk::app::{App, TabId};
use frontdesk::desk::callbacks::generate_automatic;
use frontdesk::domain::{Lang, Role};
use frontdesk::store::appointments::{NewAppointment, insert_appointment};
use frontdesk::store::patients::{NewPatient, insert_patient};
use frontdesk::store::settings;

fn key(c: KeyCode) -> KeyEvent {
    KeyEvent::new(c, KeyModifiers::NONE)
}

/// Answers every request 200 and keeps the bodies.
fn serve() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let kept = bodies.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let Some(req) = common::http::read_request(&mut stream) else { continue };
            kept.lock().unwrap().push(req.body);
            let reply = r#"{"groupId":"G4V1"}"#;
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{reply}",
                reply.len()
            );
        }
    });
    (url, bodies)
}

#[test]
fn the_days_reminders_go_from_the_callbacks_tab_in_two_keys_and_the_card_lists_them() {
    let dir = tempfile::tempdir().unwrap();
    let (url, bodies) = serve();
    let cfg = dir.path().join("frontdesk");
    std::fs::create_dir_all(&cfg).unwrap();
    std::fs::write(
        cfg.join("config.toml"),
        format!("[messaging]\nprovider = \"solapi\"\napi_url = \"{url}\"\nsender = \"02-1234-5678\"\ntimeout_seconds = 2\n"),
    )
    .unwrap();
    // SAFETY: the only test in this binary, before any thread reads the environment.
    unsafe {
        std::env::set_var("XDG_CONFIG_HOME", dir.path());
        std::env::set_var("HOME", dir.path());
        std::env::set_var("FRONTDESK_SMS_KEY", "NCSTESTKEY000001");
        std::env::set_var("FRONTDESK_SMS_SECRET", "ui-test-secret-0123456789");
    }

    let mut store = open_set_up(&dir.path().join("clinic.db"));
    let (mobile, _landline) = store
        .write(|tx| {
            settings::set_setting(tx, "clinic_name", "바른한의원")?;
            settings::set_setting(tx, "clinic_phone", "02-123-4567")?;
            let doc = settings::add_staff(tx, "이원장", Role::Director)?;
            let mobile = insert_patient(
                tx,
                &NewPatient {
                    name: "김하나".into(), phone: "010-1111-2222".into(), ..NewPatient::default()
                },
            )?;
            let landline = insert_patient(
                tx,
                &NewPatient { name: "박둘".into(), phone: "02-987-6543".into(), ..NewPatient::default() },
            )?;
            for (p, h) in [(mobile, 14), (landline, 10)] {
                insert_appointment(
                    tx,
                    &NewAppointment {
                        patient_id: p,
                        start: at(2026, 11, 24, h, 30),
                        duration_min: 30,
                        provider_id: Some(doc),
                        treatment_code: None,
                    },
                )?;
            }
            Ok((mobile, landline))
        })
        .unwrap();
    generate_automatic(&mut store, fixed_now().date()).unwrap();
    let mut app = App::new(store, options(Lang::En, TabId::Callbacks)).unwrap();

    // `s`: the preview. The exact text, its bytes and type; the landline skipped with why.
    app.on_key(key(KeyCode::Char('s')));
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("Texts due today: 1"), "{screen}");
    assert!(screen.contains("[바른한의원] 김하나님, 11월 24일(화) 14:30 예약 안내드립니다"), "{screen}");
    assert!(screen.contains("Preview: SMS 80 bytes"), "{screen}");
    assert!(screen.contains("not a mobile number"), "{screen}");

    // Esc closes it, nothing sent.
    app.on_key(key(KeyCode::Esc));
    assert!(app.tabs.callbacks.texts.is_none());
    assert!(bodies.lock().unwrap().is_empty());

    // `s` then Enter: sent. Two keys from the Callbacks tab (three from another tab: `3` first).
    // Nobody is picked at this terminal yet: the send asks who is sending first (nothing
    // goes out before), and the pick carries the send through.
    app.on_key(key(KeyCode::Char('s')));
    app.on_key(key(KeyCode::Enter));
    assert!(bodies.lock().unwrap().is_empty());
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("Who is at this terminal"), "{screen}");
    app.on_key(key(KeyCode::Enter));
    assert_eq!(bodies.lock().unwrap().len(), 1);
    assert!(bodies.lock().unwrap()[0].contains("01011112222"));
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("Texts sent 1, failed 0, unknown 0, skipped 1"), "{screen}");
    assert!(screen.contains("Texts due today: 0"), "{screen}");
    // Enter again sends nothing more.
    app.on_key(key(KeyCode::Enter));
    assert_eq!(bodies.lock().unwrap().len(), 1);
    app.on_key(key(KeyCode::Esc));

    // `m`: a free text to the selected callback's person. The first in the queue is 박둘,
    // whose number is a landline: refused with why, nothing sent.
    app.on_key(key(KeyCode::Char('m')));
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("Text to 박둘"), "{screen}");
    app.on_key(key(KeyCode::Enter));
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("not a mobile number"), "{screen}");
    assert_eq!(bodies.lock().unwrap().len(), 1);
    app.on_key(key(KeyCode::Esc));
    // The next one, 김하나: the free template, then what the desk types; bytes follow.
    app.on_key(key(KeyCode::Char('j')));
    app.on_key(key(KeyCode::Char('m')));
    for c in "내일 뵙겠습니다".chars() {
        app.on_key(key(KeyCode::Char(c)));
    }
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("Text to 김하나"), "{screen}");
    assert!(screen.contains("[바른한의원] 김하나님, 내일 뵙겠습니다_"), "{screen}");
    assert!(screen.contains("SMS 38 bytes"), "{screen}");
    app.on_key(key(KeyCode::Enter));
    assert_eq!(bodies.lock().unwrap().len(), 2);
    assert!(bodies.lock().unwrap()[1].contains("내일 뵙겠습니다"));
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("Text sent"), "{screen}");

    // The card lists the text, and `o` records the opt-out.
    app.open_card(mobile);
    let screen = text(&render(&app, 120, 60));
    assert!(screen.contains("Texts (2)") && screen.contains("Reminder [sent]"), "{screen}");
    assert!(screen.contains("Free text [sent] [바른한의원] 김하나님, 내일 뵙겠습니다"), "{screen}");
    assert!(screen.contains("Texts on, no marketing consent (o: opt out, a: consent today)"), "{screen}");
    app.on_key(key(KeyCode::Char('a')));
    let screen = text(&render(&app, 120, 60));
    assert!(screen.contains("marketing consent 2026-11-23"), "{screen}");
    app.on_key(key(KeyCode::Char('o')));
    let screen = text(&render(&app, 120, 60));
    assert!(screen.contains("Opted out of texts"), "{screen}");
    let opted: Option<String> = app
        .store
        .conn()
        .query_row("SELECT texts_opted_out_at FROM patients WHERE id = ?1", [mobile], |r| r.get(0))
        .unwrap();
    assert_eq!(opted.as_deref(), Some("2026-11-23T09:20:00"));
    // Every row this session wrote carries the name picked before the first send.
    let sends: i64 = app
        .store
        .conn()
        .query_row("SELECT count(*) FROM audit_log WHERE staff = '이원장'", [], |r| r.get(0))
        .unwrap();
    assert!(sends >= 2, "the sends are audited with the picked name");
}
