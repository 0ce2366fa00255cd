//! Notes, stickers and complaints from the list; patient search and the card.

use super::*;

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
