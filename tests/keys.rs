//! The keyboard at a Korean desk (issue 18): keys that work in 한글 mode, search that finds what
//! people type, help that fits, Ctrl-C.

mod common;

use chrono::NaiveDateTime;
use common::{at, open_set_up, options};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use frontdesk::app::{App, TabId};
use frontdesk::domain::Lang;
use frontdesk::store::Store;
use frontdesk::store::appointments::{NewAppointment, insert_appointment};
use frontdesk::store::patients::{NewPatient, insert_patient};

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn ch(c: char) -> KeyEvent {
    key(KeyCode::Char(c))
}

fn type_text(app: &mut App, s: &str) {
    for c in s.chars() {
        app.on_key(ch(c));
    }
}

fn patient(store: &mut Store, name: &str, phone: &str) -> i64 {
    store
        .write(|tx| {
            insert_patient(tx, &NewPatient { name: name.into(), phone: phone.into(), ..Default::default() })
        })
        .unwrap()
}

fn appointment(store: &mut Store, patient_id: i64, start: NaiveDateTime) -> i64 {
    store
        .write(|tx| {
            insert_appointment(
                tx,
                &NewAppointment {
                    patient_id,
                    start,
                    duration_min: 30,
                    provider_id: None,
                    treatment_code: Some("chuna".into()),
                },
            )
        })
        .unwrap()
}

fn one(store: &Store, sql: &str) -> String {
    store.conn().query_row(sql, [], |r| r.get::<_, String>(0)).unwrap()
}

/// Tabs to a field of the open form.
fn focus(app: &mut App, id: &str) {
    for _ in 0..24 {
        if app.open_form().unwrap().focused().id == id {
            return;
        }
        app.on_key(key(KeyCode::Tab));
    }
    panic!("no field {id}");
}

#[test]
fn in_hangul_mode_the_jamo_marks_arrived_on_today() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let mut store = open_set_up(&path);
    let p = patient(&mut store, "유미래", "010-9999-0000");
    let q = patient(&mut store, "서지원", "010-9999-0001");
    appointment(&mut store, p, at(2026, 11, 23, 10, 0));
    appointment(&mut store, q, at(2026, 11, 23, 11, 0));
    let mut app = App::new(store, options(Lang::Ko, TabId::Today)).unwrap();
    // ㅓ is j: down to the second visit, ㅁ is a: arrived.
    app.on_key(ch('ㅓ'));
    app.on_key(ch('ㅁ'));
    assert_eq!(
        one(
            &app.store,
            "SELECT group_concat(status, ',') FROM (SELECT status FROM appointments ORDER BY start)"
        ),
        "booked,arrived",
        "{:?}",
        app.notice
    );
    // ㅂ is q: quit.
    app.on_key(ch('ㅂ'));
    assert!(app.quit);
}

#[test]
fn in_hangul_mode_letter_picks_take_the_jamo_but_text_fields_keep_korean() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = App::new(open_set_up(&dir.path().join("c.db")), options(Lang::Ko, TabId::Today)).unwrap();
    // ㅜ is n: book.
    app.on_key(ch('ㅜ'));
    assert!(app.booking.is_some(), "the booking form opens");
    focus(&mut app, "name");
    // Typing a name: syllables and a lone jamo stay what they are.
    type_text(&mut app, "김ㅁ");
    assert_eq!(app.open_form().unwrap().get("name").value, "김ㅁ");
    focus(&mut app, "treatment");
    // ㅊ is c: the c option (추나, code chuna).
    app.on_key(ch('ㅊ'));
    assert_eq!(app.open_form().unwrap().picked("treatment").as_deref(), Some("chuna"));
    assert_eq!(app.open_form().unwrap().get("name").value, "김ㅁ");
}
