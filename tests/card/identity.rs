//! Name and phone corrected from the card: audited, a phone on file warned of, under the
//! write lock, and masked on the shared screen.

use super::*;

#[test]
fn name_and_phone_are_corrected_audited_and_a_phone_on_file_warns_first() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = app(&dir, Lang::En);
    open_card(&mut app, "홍길");
    // Esc: nothing.
    ch(&mut app, 'e');
    key(&mut app, KeyCode::Esc);
    assert!(app.card.as_ref().unwrap().work.step.is_none());
    // A phone that does not read: the field says why, nothing saved.
    ch(&mut app, 'e');
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "12");
    ctrl(&mut app, 's');
    assert!(app.card.as_ref().unwrap().work.step.is_some());
    assert_eq!(get_patient(app.store.conn(), fx.hong).unwrap().phone, "010-1234-5678");
    // 김철수's phone: warned once, saved on the second Ctrl-S.
    ctrl(&mut app, 'u');
    typed(&mut app, "01022223333");
    ctrl(&mut app, 's');
    assert!(screen(&app).contains("This number is already 김철수's (000002)"), "{}", screen(&app));
    assert_eq!(get_patient(app.store.conn(), fx.hong).unwrap().phone, "010-1234-5678");
    // Back to a number of its own, and a new name.
    ctrl(&mut app, 'u');
    typed(&mut app, "010-9999-0000");
    key(&mut app, KeyCode::BackTab);
    ctrl(&mut app, 'u');
    typed(&mut app, "홍길순");
    ctrl(&mut app, 's');
    let p = get_patient(app.store.conn(), fx.hong).unwrap();
    assert_eq!((p.name.as_str(), p.phone.as_str()), ("홍길순", "010-9999-0000"));
    assert!(notice(&app).contains("Corrected the name, phone (audited)"), "{}", notice(&app));
    let detail: String = app
        .store
        .conn()
        .query_row("SELECT detail FROM audit_log WHERE action = 'correct' AND entity = 'patient'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(detail, "name 홍길동 -> 홍길순, phone 010-1234-5678 -> 010-9999-0000");
    assert!(screen(&app).contains("홍길순"), "{}", screen(&app));
    // Search finds the new name and the new phone's last four digits.
    key(&mut app, KeyCode::Esc);
    open_card(&mut app, "0000");
    assert_eq!(app.card.as_ref().unwrap().card.patient.id, fx.hong);
    // A duplicate accepted: the second Ctrl-S saves it.
    ch(&mut app, 'e');
    key(&mut app, KeyCode::Tab);
    ctrl(&mut app, 'u');
    typed(&mut app, "010-2222-3333");
    ctrl(&mut app, 's');
    ctrl(&mut app, 's');
    assert_eq!(get_patient(app.store.conn(), fx.hong).unwrap().phone, "010-2222-3333");
    assert_eq!(get_patient(app.store.conn(), fx.kim).unwrap().phone, "010-2222-3333");
    assert_eq!(audit_count(&app, "correct", "patient"), 2);
}

#[test]
fn an_identity_correction_under_the_lock_keeps_the_form_and_masking_still_applies() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = app(&dir, Lang::En);
    open_card(&mut app, "홍길");
    ch(&mut app, 'e');
    ctrl(&mut app, 'u');
    typed(&mut app, "홍길순");
    let lock = hold_lock(&dir);
    ctrl(&mut app, 's');
    assert_eq!(get_patient(app.store.conn(), fx.hong).unwrap().name, "홍길동", "nothing written");
    assert!(screen(&app).contains("홍길순"), "kept as typed:\n{}", screen(&app));
    drop(lock);
    ctrl(&mut app, 's');
    assert_eq!(get_patient(app.store.conn(), fx.hong).unwrap().name, "홍길순");

    // A masked screen: the form shows masked values as hints, empty fields keep theirs, and
    // the card shows the corrected name masked.
    let path = dir.path().join("clinic.db");
    let mut store = open(&path);
    store.set_staff("김데스크");
    let mut opts = options(Lang::En, TabId::Today);
    opts.mask = true;
    let mut masked = App::new(store, opts).unwrap();
    masked.open_card(fx.hong);
    ch(&mut masked, 'e');
    let s = screen(&masked);
    assert!(!s.contains("홍길순") && !s.contains("010-1234-5678"), "{s}");
    key(&mut masked, KeyCode::Tab);
    typed(&mut masked, "010-7777-8888");
    ctrl(&mut masked, 's');
    let p = get_patient(masked.store.conn(), fx.hong).unwrap();
    assert_eq!((p.name.as_str(), p.phone.as_str()), ("홍길순", "010-7777-8888"));
    let s = screen(&masked);
    assert!(!s.contains("홍길순") && !s.contains("010-7777-8888"), "{s}");
}

#[test]
fn the_shared_screen_masks_a_corrected_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.db");
    let fx = fixture(&path, fixed_now());
    let mut store = open(&path);
    store.set_staff("김데스크");
    frontdesk::desk::patients::record_complaint(
        &mut store,
        &frontdesk::store::complaints::NewComplaint {
            patient_id: fx.hong,
            raised_at: fixed_now(),
            category_code: "wait_time".into(),
            description: "대기".into(),
            owner_id: None,
            plan: String::new(),
        },
    )
    .unwrap();
    frontdesk::desk::patients::correct_identity(&mut store, fx.hong, "홍길순", "010-1234-5678", false)
        .unwrap();
    let mut opts = options(Lang::En, TabId::Huddle);
    opts.presentation = true;
    opts.mask = true;
    let shared = App::new(store, opts).unwrap();
    let s = text(&render(&shared, 120, 40));
    assert!(!s.contains("홍길순"), "{s}");
    assert!(s.contains(&frontdesk::domain::mask::mask_name("홍길순")), "the action's patient, masked:\n{s}");
}
