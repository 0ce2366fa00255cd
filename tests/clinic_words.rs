//! The clinic's own words (issue 16, item 4): the phone manual's answers are filled from the
//! clinic's settings (hours, Saturday, lunch, parking) at once when they change; every kind of
//! clinic starts with a useful manual; the clinic's language is every screen's default unless
//! the terminal's --lang or config says otherwise.

mod common;
use common::keys::{ctrl, key, typed};

use common::pty::Pty;
use common::{open, options, render, text};
use crossterm::event::KeyCode;
use frontdesk::app::{App, TabId};
use frontdesk::domain::{Lang, QuestionKind};
use frontdesk::store::inquiries::qa_entries;
use frontdesk::store::settings::{apply_setup, read_setup};

const BIN: &str = env!("CARGO_BIN_EXE_frontdesk");

/// Tabs to a field of the first-run form and empties it.
fn clear_field(app: &mut App, id: &str) {
    for _ in 0..16 {
        if app.first_run.as_ref().and_then(|f| f.form()).unwrap().focused().id == id {
            ctrl(app, 'u');
            return;
        }
        key(app, KeyCode::Tab);
    }
    panic!("no field {id}");
}

#[test]
fn a_new_dental_clinic_with_its_own_hours_gets_them_in_its_manual() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = App::new(open(&dir.path().join("new.db")), options(Lang::Ko, TabId::Today)).unwrap();
    typed(&mut app, "미소치과");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "d"); // dental
    clear_field(&mut app, "hours");
    typed(&mut app, "10:00-18:30");
    clear_field(&mut app, "saturday_hours");
    typed(&mut app, "10:00-13:00");
    clear_field(&mut app, "lunch");
    typed(&mut app, "12:30-13:30");
    clear_field(&mut app, "parking");
    typed(&mut app, "역 3번 출구 앞, 건물 주차 2시간 무료");
    ctrl(&mut app, 's');
    assert!(text(&render(&app, 120, 40)).contains("어떻게 시작할까요"), "setup saved");
    key(&mut app, KeyCode::Char('1'));
    assert!(app.first_run.is_none());
    assert_eq!(
        app.store.setting("lang").unwrap().as_deref(),
        Some("ko"),
        "the setup's language is the clinic's"
    );

    let manual = qa_entries(app.store.conn()).unwrap();
    let all: String = manual.iter().map(|e| format!("{}\n", e.answer)).collect();
    assert!(
        all.contains("평일 10:00-18:30, 토요일 10:00-13:00, 점심시간 12:30-13:30. 일요일 휴진."),
        "{all}"
    );
    assert!(all.contains("점심시간(12:30-13:30)에는"), "{all}");
    let parking = manual.iter().find(|e| e.template == "{parking}").unwrap();
    assert_eq!(parking.answer, "역 3번 출구 앞, 건물 주차 2시간 무료");
    assert!(!all.contains("09:30") && !all.contains("13:00-14:00"), "no demo hours:\n{all}");
    assert!(!all.contains('{'), "every placeholder filled:\n{all}");
    // Price, method, duration, insurance and hours answers, and about its own treatments.
    for kind in [
        QuestionKind::Price,
        QuestionKind::Method,
        QuestionKind::Duration,
        QuestionKind::Insurance,
        QuestionKind::Hours,
    ] {
        assert!(manual.iter().any(|e| e.kind == kind), "no {kind:?} answer");
    }
    let topics: Vec<&str> = manual.iter().filter_map(|e| e.treatment_code.as_deref()).collect();
    assert!(topics.contains(&"implant") && topics.contains(&"orthodontics"), "{topics:?}");
    assert!(!topics.contains(&"chuna"), "no Korean-medicine answers in a dental clinic");
    assert!(manual.iter().filter(|e| e.treatment_code.is_some()).count() >= 6);

    // `setup load` with other hours: every answer follows at once, without a reseed.
    let mut setup = read_setup(app.store.conn()).unwrap();
    assert!(setup.qa.iter().any(|q| q.answer.contains("{hours}")), "the file keeps the placeholders");
    setup.clinic.hours = "08:30-17:00".into();
    setup.clinic.open_days.retain(|d| d != "sat");
    setup.clinic.lunch.clear();
    let today = common::fixed_now().date();
    app.store.write(|tx| apply_setup(tx, &setup, today)).unwrap();
    let all: String =
        qa_entries(app.store.conn()).unwrap().iter().map(|e| format!("{}\n", e.answer)).collect();
    assert!(all.contains("평일 08:30-17:00, 토요일 휴진, 점심시간 없음. 토요일, 일요일 휴진."), "{all}");
}

#[test]
fn every_kind_of_clinic_starts_with_a_manual_for_its_treatments() {
    use frontdesk::domain::ClinicKind;
    for kind in ClinicKind::ALL {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open(&dir.path().join("c.db"));
        let today = common::fixed_now().date();
        store.write(|tx| frontdesk::store::settings::set_clinic_kind(tx, *kind, today)).unwrap();
        let manual = qa_entries(store.conn()).unwrap();
        for k in ["price", "method", "duration", "insurance", "hours"] {
            assert!(manual.iter().any(|e| e.kind.code() == k), "{kind}: no {k} answer");
        }
        assert!(manual.iter().any(|e| e.template == "{parking}"), "{kind}: parking");
        let treatments: Vec<String> = store
            .conn()
            .prepare("SELECT code FROM treatments")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        for e in &manual {
            if let Some(t) = &e.treatment_code {
                assert!(treatments.contains(t), "{kind}: answer about {t}, not a treatment of the clinic");
            }
        }
        if !treatments.is_empty() {
            assert!(manual.iter().filter(|e| e.treatment_code.is_some()).count() >= 6, "{kind}");
        }
    }
}

/// The Today screen's first line in the language the binary chose.
fn first_screen(db: &str, args: &[&str], env: &[(&str, &str)], expect: &str) -> String {
    let mut all = vec!["--db", db];
    all.extend_from_slice(args);
    let mut pty = Pty::spawn(BIN, &all, 100, 30, env);
    pty.wait_for(expect, 15);
    let screen = pty.screen();
    pty.send("q");
    assert!(pty.wait_exit(10).success());
    screen
}

#[test]
fn the_clinics_language_is_the_default_unless_the_terminal_says_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    let mut store = common::open_set_up(&db);
    store.write(|tx| frontdesk::store::settings::set_setting(tx, "lang", "ko")).unwrap();
    drop(store);
    let db = db.to_str().unwrap();
    let config_home = dir.path().join("config");
    let home = dir.path().to_str().unwrap();
    let xdg = config_home.to_str().unwrap();
    let env = [("LANG", "en_US.UTF-8"), ("HOME", home), ("XDG_CONFIG_HOME", xdg)];
    // An English locale, no --lang, no config: the clinic's Korean.
    let screen = first_screen(db, &[], &env, "차트 리뷰");
    assert!(!screen.contains("Today"), "{screen}");
    // --lang wins.
    first_screen(db, &["--lang", "en"], &env, "Today");
    // So does this terminal's config.
    std::fs::create_dir_all(config_home.join("frontdesk")).unwrap();
    std::fs::write(config_home.join("frontdesk").join("config.toml"), "lang = \"en\"\n").unwrap();
    first_screen(db, &[], &env, "Today");
    // No setting anywhere: the locale.
    std::fs::remove_file(config_home.join("frontdesk").join("config.toml")).unwrap();
    let mut store = common::open(std::path::Path::new(db));
    store
        .write(|tx| {
            tx.execute("DELETE FROM settings WHERE key = 'lang'", [])?;
            Ok(())
        })
        .unwrap();
    drop(store);
    first_screen(db, &[], &env, "Today");
}
