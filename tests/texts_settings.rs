//! Issue 20: the text templates and the numbers they quote, edited in the settings screen
//! (`Ctrl-O`, section 문자 / Texts): a live preview of a sample text with its EUC-KR byte
//! count and type, unknown placeholders refused by name, Esc keeps the old text, every save
//! audited.

mod common;
use common::keys::ctrl;

use common::{empty_app, render, text};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use frontdesk::app::settings::Section;
use frontdesk::app::{App, TabId};
use frontdesk::domain::Lang;
use frontdesk::domain::messages::MessageKind;
use frontdesk::store::messages as outbox;

fn press(app: &mut App, code: KeyCode) {
    app.on_key(KeyEvent::new(code, KeyModifiers::NONE));
}

fn typed(app: &mut App, s: &str) {
    for c in s.chars() {
        press(app, KeyCode::Char(c));
    }
}

/// Opens the settings on the Texts section, row `row` selected.
fn texts_section(app: &mut App, row: usize) {
    ctrl(app, 'o');
    for _ in 0..Section::ALL.len() {
        if app.settings.as_ref().unwrap().section == Section::Texts {
            break;
        }
        press(app, KeyCode::Right);
    }
    assert_eq!(app.settings.as_ref().unwrap().section, Section::Texts);
    for _ in 0..row {
        press(app, KeyCode::Down);
    }
}

fn audit_rows(app: &App, entity: &str) -> Vec<String> {
    let mut stmt =
        app.store.conn().prepare("SELECT detail FROM audit_log WHERE entity = ?1 ORDER BY id").unwrap();
    stmt.query_map([entity], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
}

fn reminder(app: &App) -> frontdesk::domain::messages::Template {
    outbox::template(app.store.conn(), MessageKind::Reminder).unwrap()
}

/// Row 2 is the first template (reminder): rows 0 and 1 are the clinic phone and opt-out number.
const REMINDER_ROW: usize = 2;

#[test]
fn a_template_is_edited_with_a_live_preview_and_saved_audited() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = empty_app(&dir, Lang::Ko, TabId::Today);
    texts_section(&mut app, REMINDER_ROW);
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("예약 안내"), "the section lists the templates per kind:\n{screen}");
    assert!(screen.contains("[{clinic}] {name}님"), "with their text:\n{screen}");
    press(&mut app, KeyCode::Enter);
    assert!(app.settings.as_ref().unwrap().form.is_some(), "Enter edits the template");
    ctrl(&mut app, 'u');
    typed(&mut app, "{name}님 내일 {time} 예약");
    let screen = text(&render(&app, 120, 40));
    // The sample: 김하나, tomorrow 14:30. 김하나님 (8) + " 내일 " (6) + 14:30 (5) + " 예약" (5) = 24.
    assert!(screen.contains("김하나님 내일 14:30 예약"), "live preview of the sample text:\n{screen}");
    assert!(screen.contains("SMS 24바이트"), "EUC-KR bytes and type:\n{screen}");
    // Long enough for an LMS: 50 Hangul syllables more is 100 bytes more.
    typed(&mut app, &"가".repeat(50));
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("LMS 124바이트"), "over 90 bytes goes as an LMS:\n{screen}");
    for _ in 0..50 {
        press(&mut app, KeyCode::Backspace);
    }
    assert!(audit_rows(&app, "message_template").is_empty(), "nothing saved while typing");
    ctrl(&mut app, 's');
    assert!(app.settings.as_ref().unwrap().form.is_none(), "saved and closed");
    assert_eq!(reminder(&app).body, "{name}님 내일 {time} 예약");
    assert!(!reminder(&app).advertising);
    assert_eq!(audit_rows(&app, "message_template"), vec!["reminder".to_string()], "one audit row, by kind");
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("{name}님 내일 {time} 예약"), "the list shows the new text:\n{screen}");
    assert!(screen.contains("저장했습니다"), "{screen}");
}

#[test]
fn an_unknown_placeholder_is_refused_by_name_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = empty_app(&dir, Lang::Ko, TabId::Today);
    let before = reminder(&app);
    texts_section(&mut app, REMINDER_ROW);
    press(&mut app, KeyCode::Enter);
    ctrl(&mut app, 'u');
    typed(&mut app, "{name}님 {room}호실");
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("모르는 자리표시 {room}"), "the preview names it before saving:\n{screen}");
    ctrl(&mut app, 's');
    let s = app.settings.as_ref().unwrap();
    let form = s.form.as_ref().expect("the form stays open with what was typed");
    assert_eq!(form.text("body"), "{name}님 {room}호실");
    assert!(
        form.get("body").error.as_deref().unwrap_or("").contains("{room}"),
        "{:?}",
        form.get("body").error
    );
    assert_eq!(reminder(&app), before);
    assert!(audit_rows(&app, "message_template").is_empty());
    // An unclosed brace too.
    ctrl(&mut app, 'u');
    typed(&mut app, "{name님");
    ctrl(&mut app, 's');
    assert!(app.settings.as_ref().unwrap().form.is_some());
    assert_eq!(reminder(&app), before);
}

#[test]
fn esc_keeps_the_old_text() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = empty_app(&dir, Lang::En, TabId::Today);
    let before = reminder(&app);
    texts_section(&mut app, REMINDER_ROW);
    press(&mut app, KeyCode::Enter);
    ctrl(&mut app, 'u');
    typed(&mut app, "changed {name}");
    press(&mut app, KeyCode::Esc);
    // A changed form asks first; n keeps writing.
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(app.settings.as_ref().unwrap().form.as_ref().unwrap().text("body"), "changed {name}");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('y'));
    assert!(app.settings.as_ref().unwrap().form.is_none());
    assert_eq!(reminder(&app), before);
    assert!(audit_rows(&app, "message_template").is_empty());
    // Esc again closes the settings; the template is still the old one.
    press(&mut app, KeyCode::Esc);
    assert!(app.settings.is_none());
    assert_eq!(reminder(&app), before);
}

#[test]
fn the_advertising_flag_is_editable_and_previewed_in_its_legal_form() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = empty_app(&dir, Lang::En, TabId::Today);
    let recall_row = REMINDER_ROW + MessageKind::ALL.iter().position(|k| *k == MessageKind::Recall).unwrap();
    texts_section(&mut app, recall_row);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Char('y'));
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("(광고)"), "the preview shows the advertising form:\n{screen}");
    assert!(screen.contains("Advertising texts need the opt-out number"), "{screen}");
    ctrl(&mut app, 's');
    assert!(app.settings.as_ref().unwrap().form.is_none());
    let t = outbox::template(app.store.conn(), MessageKind::Recall).unwrap();
    assert!(t.advertising);
    assert_eq!(audit_rows(&app, "message_template"), vec!["recall".to_string()]);
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("(ad)"), "the list marks it:\n{screen}");
}

#[test]
fn the_clinic_phone_and_opt_out_number_are_checked_and_saved() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = empty_app(&dir, Lang::Ko, TabId::Today);
    texts_section(&mut app, 0);
    press(&mut app, KeyCode::Enter);
    typed(&mut app, "0212345678");
    press(&mut app, KeyCode::Down);
    typed(&mut app, "12");
    ctrl(&mut app, 's');
    let s = app.settings.as_ref().unwrap();
    let form = s.form.as_ref().expect("a wrong number keeps the form");
    assert!(form.get("opt_out_number").error.is_some());
    assert!(form.get("clinic_phone").error.is_none());
    assert!(audit_rows(&app, "setting").iter().all(|d| !d.starts_with("clinic_phone")));
    ctrl(&mut app, 'u');
    typed(&mut app, "080-123-4567");
    ctrl(&mut app, 's');
    assert!(app.settings.as_ref().unwrap().form.is_none());
    let facts = outbox::clinic_facts(app.store.conn()).unwrap();
    assert_eq!(facts.clinic_phone, "02-1234-5678");
    assert_eq!(facts.opt_out_number, "080-123-4567");
    let rows = audit_rows(&app, "setting");
    assert!(rows.iter().any(|d| d == "clinic_phone:  -> 02-1234-5678"), "{rows:?}");
    assert!(rows.iter().any(|d| d == "sms_opt_out_number:  -> 080-123-4567"), "{rows:?}");
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("02-1234-5678"), "{screen}");
    // The templates quote it: the preview of the reminder uses the saved phone.
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("변경은 02-1234-567"), "{screen}");
}
