//! The OKR tab's money (issue 21): the key result editor's filter fields (shown where the metric
//! allows, saved, cleared, shown on the board and the drill-down), and the revenue report (`r`)
//! by category, treatment, provider and month over this month, last month or the key result's
//! window, on the hand-counted fixture of tests/report_revenue.rs.

mod common;

use chrono::NaiveDateTime;
use common::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use frontdesk::app::{App, TabId};
use frontdesk::domain::Lang;
use frontdesk::domain::okr::{Cadence, Direction, Filters, KeyResultDef, Metric, ObjectiveDef};
use frontdesk::domain::payments::PaymentCategory;
use frontdesk::store::okr as store_okr;
use frontdesk::store::payments::{NewPayment, RevenueBy, insert_payment};

/// Payments: 10-30 A 100,000 비급여 chuna 김 (October); 11-02 A 50,000 비급여 chuna 김;
/// 11-02 B 30,000 자보 (no treatment, no provider); 11-03 A 40,000 급여 acupuncture 이;
/// 11-05 A -20,000 비급여 chuna 김 (refund); 12-01 B 10,000 급여 acupuncture 이.
/// November: 급여 40,000, 자보 30,000, 비급여 30,000 (2 payments, refunds -20,000); total
/// 100,000. One objective (November) with "비급여 매출" = revenue, monthly, category
/// non_covered, provider 가상김원장, target 100,000.
fn clinic(dir: &std::path::Path, now: NaiveDateTime) -> frontdesk::store::Store {
    let mut store = open_at(&dir.join("clinic.db"), now);
    store
        .write(|tx| {
            tx.execute_batch(
                "DELETE FROM objectives;
                 INSERT INTO staff (id, name, role) VALUES (1, '가상김원장', 'director'), (2, '가상이원장', 'director');
                 INSERT INTO patients (id, chart_no, name, created_at) VALUES
                   (1, 'A1', '가상가', '2026-10-01T09:00:00'), (2, 'B2', '가상나', '2026-10-01T09:00:00');",
            )?;
            Ok(())
        })
        .unwrap();
    use PaymentCategory::*;
    for (pid, (m, d), amount, cat, treatment, provider) in [
        (1, (10, 30), 100_000, NonCovered, Some("chuna"), Some(1)),
        (1, (11, 2), 50_000, NonCovered, Some("chuna"), Some(1)),
        (2, (11, 2), 30_000, CarInsurance, None, None),
        (1, (11, 3), 40_000, Covered, Some("acupuncture"), Some(2)),
        (1, (11, 5), -20_000, NonCovered, Some("chuna"), Some(1)),
        (2, (12, 1), 10_000, Covered, Some("acupuncture"), Some(2)),
    ] {
        let mut p = NewPayment::new(pid, at(2026, m, d, 13, 0), amount, cat);
        p.treatment_code = treatment.map(String::from);
        p.provider_id = provider;
        if amount < 0 {
            p.reason = "환불".into();
            p.corrects_id = Some(2);
        }
        store.write(|tx| insert_payment(tx, &p)).unwrap();
    }
    let filters = Filters {
        category: Some("non_covered".into()),
        provider: Some("가상김원장".into()),
        ..Default::default()
    };
    let def = ObjectiveDef {
        title: "11월 매출".into(),
        from: at(2026, 11, 1, 0, 0).date(),
        to: at(2026, 12, 31, 0, 0).date(),
        key_results: vec![KeyResultDef {
            title: "비급여 매출".into(),
            metric: Metric::Revenue.with_filters(filters),
            direction: Direction::AtLeast,
            target: 100_000.0,
            baseline: None,
            unit: "원".into(),
            owner: "데스크".into(),
            cadence: Cadence::Month,
            actions: vec![],
        }],
    };
    store.write(|tx| store_okr::create_objective(tx, &def)).unwrap();
    store.set_staff("김데스크");
    store
}

fn app_at(dir: &tempfile::TempDir, lang: Lang, now: NaiveDateTime) -> App {
    let store = clinic(dir.path(), now);
    let mut opts = options(lang, TabId::Okr);
    opts.fixed_now = Some(now);
    App::new(store, opts).unwrap()
}

fn app(dir: &tempfile::TempDir, lang: Lang) -> App {
    app_at(dir, lang, fixed_now())
}

fn key(app: &mut App, code: KeyCode) {
    app.on_key(KeyEvent::from(code));
}

fn typed(app: &mut App, s: &str) {
    for c in s.chars() {
        key(app, KeyCode::Char(c));
    }
}

fn ctrl_s(app: &mut App) {
    app.on_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
}

fn form(app: &App) -> &frontdesk::app::form::Form {
    use frontdesk::app::tabs::Tab;
    app.tabs.okr.open_form().expect("a form is open")
}

/// Moves the focus to field `id` (Tab from the top).
fn focus(app: &mut App, id: &str) {
    for _ in 0..20 {
        key(app, KeyCode::Up);
    }
    for _ in 0..20 {
        if form(app).focused().id == id {
            return;
        }
        key(app, KeyCode::Tab);
    }
    panic!("no field {id}");
}

fn krs(app: &App) -> Vec<store_okr::KeyResultStatus> {
    app.tabs.okr.board().iter().flat_map(|o| o.key_results.clone()).collect()
}

/// The open report: grouping, from, to, and (key, net, payments, refunds) per row.
type Report = (RevenueBy, String, String, Vec<(String, i64, i64, i64)>);

fn report(app: &App) -> Report {
    let (by, from, to, rows) = app.tabs.okr.revenue_report().expect("the report is open");
    (
        by,
        from.to_string(),
        to.to_string(),
        rows.iter().map(|r| (r.key.clone(), r.net_krw, r.payments, r.refunds_krw)).collect(),
    )
}

#[test]
fn the_board_and_the_drill_down_say_what_a_key_result_is_aimed_at() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(&dir, Lang::Ko);
    let k = &krs(&app)[0];
    // 11-02 50,000 minus the 11-05 refund of 20,000, 가상김원장's 비급여 in November.
    assert_eq!(k.judgement.value, Some(30_000.0));
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("[비급여 / 가상김원장]"), "{screen}");
    key(&mut app, KeyCode::Enter);
    assert!(app.tabs.okr.is_drilling());
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("비급여 매출 [비급여 / 가상김원장]"), "{screen}");
    key(&mut app, KeyCode::Esc);
    assert!(!app.tabs.okr.is_drilling());
}

#[test]
fn the_editor_shows_only_the_filters_the_metric_allows_and_keeps_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(&dir, Lang::En);
    key(&mut app, KeyCode::Char('e'));
    let f = form(&app);
    assert_eq!(f.picked("f_category").as_deref(), Some("non_covered"));
    assert_eq!(f.picked("f_provider").as_deref(), Some("가상김원장"));
    assert_eq!(f.picked("f_treatment"), None);
    for id in ["f_treatment", "f_provider", "f_category", "f_source"] {
        assert!(!f.get(id).hidden, "revenue takes {id}");
    }
    // Every metric in turn: the fields shown are exactly the ones it allows.
    focus(&mut app, "metric");
    let mut seen = std::collections::HashSet::new();
    for _ in 0..60 {
        key(&mut app, KeyCode::Right);
        let f = form(&app);
        let m = Metric::parse(&f.picked("metric").unwrap()).unwrap();
        let allowed = Filters::allowed(&m);
        for (name, id) in [
            ("treatment", "f_treatment"),
            ("provider", "f_provider"),
            ("category", "f_category"),
            ("source", "f_source"),
        ] {
            assert_eq!(!f.get(id).hidden, allowed.contains(&name), "{} {id}", m.key());
        }
        seen.insert(allowed.len());
    }
    assert!(seen.contains(&0) && seen.contains(&4) && seen.contains(&3), "{seen:?}");
    // Esc leaves the edit (asks: it was changed); nothing saved.
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('y'));
    assert!(!app.tabs.okr.keyboard_grabbed_for_test());
    let m = krs(&app)[0].key_result.metric.clone().unwrap();
    assert_eq!(m.filters().unwrap().category.as_deref(), Some("non_covered"));
}

#[test]
fn filters_are_saved_changed_and_cleared_from_the_editor() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(&dir, Lang::Ko);
    // Aim it at 가상이원장's 급여 instead.
    key(&mut app, KeyCode::Char('e'));
    focus(&mut app, "f_provider");
    typed(&mut app, "2");
    focus(&mut app, "f_category");
    typed(&mut app, "1");
    ctrl_s(&mut app);
    assert!(!app.tabs.okr.keyboard_grabbed_for_test(), "saved");
    let k = &krs(&app)[0];
    let f = k.key_result.metric.as_ref().unwrap().filters().unwrap().clone();
    assert_eq!(f.provider.as_deref(), Some("가상이원장"));
    assert_eq!(f.category.as_deref(), Some("covered"));
    assert_eq!(k.judgement.value, Some(40_000.0), "11-03 40,000 급여 by 가상이원장");
    assert!(text(&render(&app, 120, 40)).contains("[급여 / 가상이원장]"));

    // Cleared (Bksp on each pick): the whole clinic again, audited.
    key(&mut app, KeyCode::Char('e'));
    focus(&mut app, "f_provider");
    key(&mut app, KeyCode::Backspace);
    focus(&mut app, "f_category");
    key(&mut app, KeyCode::Backspace);
    ctrl_s(&mut app);
    assert!(!app.tabs.okr.keyboard_grabbed_for_test());
    let k = &krs(&app)[0];
    assert_eq!(k.key_result.metric, Some(Metric::Revenue), "no filters left");
    assert_eq!(k.judgement.value, Some(100_000.0), "all of November");
    let audited: i64 = app
        .store
        .conn()
        .query_row(
            "SELECT count(*) FROM audit_log WHERE entity = 'key_result' AND detail LIKE 'filters:%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audited, 1, "clearing is recorded");

    // A new key result with a filter, typed from the objective: 'a'.
    key(&mut app, KeyCode::Up);
    key(&mut app, KeyCode::Char('a'));
    typed(&mut app, "추나 매출");
    focus(&mut app, "metric");
    for _ in 0..80 {
        if form(&app).picked("metric").as_deref() == Some("revenue") {
            break;
        }
        key(&mut app, KeyCode::Right);
    }
    assert!(!form(&app).get("f_category").hidden);
    focus(&mut app, "f_treatment");
    typed(&mut app, "2"); // the second treatment of the catalog
    let treatment = form(&app).picked("f_treatment").unwrap();
    focus(&mut app, "target");
    typed(&mut app, "10만");
    ctrl_s(&mut app);
    assert!(!app.tabs.okr.keyboard_grabbed_for_test(), "{:?}", form(&app).fields);
    let k = krs(&app).into_iter().find(|k| k.key_result.title == "추나 매출").unwrap();
    let f = k.key_result.metric.as_ref().unwrap().filters().unwrap().clone();
    assert_eq!(f.treatment.as_deref(), Some(treatment.as_str()));
    assert_eq!(f.provider, None);
}

#[test]
fn r_opens_the_revenue_report_on_the_key_results_window_by_category() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(&dir, Lang::Ko);
    key(&mut app, KeyCode::Char('r'));
    // The selected key result is monthly: its window is November to today (11-23).
    let (by, from, to, rows) = report(&app);
    assert_eq!((by, from.as_str(), to.as_str()), (RevenueBy::Category, "2026-11-01", "2026-11-23"));
    assert_eq!(
        rows,
        vec![
            ("covered".into(), 40_000, 1, 0),
            ("car_insurance".into(), 30_000, 1, 0),
            ("non_covered".into(), 30_000, 2, -20_000),
        ]
    );
    let screen = text(&render(&app, 80, 24));
    assert!(screen.contains("합계 100,000원"), "{screen}");
    // r again: by treatment, provider, month, and back to category.
    key(&mut app, KeyCode::Char('r'));
    let (by, _, _, rows) = report(&app);
    assert_eq!(by, RevenueBy::Treatment);
    assert_eq!(
        rows,
        vec![
            ("acupuncture".into(), 40_000, 1, 0),
            ("".into(), 30_000, 1, 0),
            ("chuna".into(), 30_000, 2, -20_000)
        ]
    );
    key(&mut app, KeyCode::Char('r'));
    let (by, _, _, rows) = report(&app);
    assert_eq!(by, RevenueBy::Provider);
    assert_eq!(rows[0], ("가상이원장".into(), 40_000, 1, 0));
    assert!(rows.contains(&("가상김원장".into(), 30_000, 2, -20_000)));
    key(&mut app, KeyCode::Char('r'));
    let (by, _, _, rows) = report(&app);
    assert_eq!(by, RevenueBy::Month);
    assert_eq!(rows, vec![("2026-11".into(), 100_000, 4, -20_000)]);
    key(&mut app, KeyCode::Char('r'));
    assert_eq!(report(&app).0, RevenueBy::Category);
    // Left: last month (October: 100,000); Left again: this month; Right back to last month.
    key(&mut app, KeyCode::Left);
    let (_, from, to, rows) = report(&app);
    assert_eq!((from.as_str(), to.as_str()), ("2026-10-01", "2026-10-31"));
    assert_eq!(rows, vec![("non_covered".into(), 100_000, 1, 0)]);
    key(&mut app, KeyCode::Left);
    let (_, from, to, _) = report(&app);
    assert_eq!((from.as_str(), to.as_str()), ("2026-11-01", "2026-11-23"));
    // The board's keys wait; Esc goes back to the board.
    key(&mut app, KeyCode::Char('e'));
    assert!(!app.tabs.okr.keyboard_grabbed_for_test());
    key(&mut app, KeyCode::Esc);
    assert!(app.tabs.okr.revenue_report().is_none());
    assert!(text(&render(&app, 80, 24)).contains("비급여 매출"));
}

#[test]
fn the_report_follows_a_refund_and_another_day() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(&dir, Lang::En);
    key(&mut app, KeyCode::Char('r'));
    frontdesk::desk::payments::refund(&mut app.store, 4, "10,000", "charged twice", fixed_now()).unwrap();
    app.sync_with_store();
    let (_, _, _, rows) = report(&app);
    assert_eq!(rows[0], ("car_insurance".into(), 30_000, 1, 0), "{rows:?}");
    assert!(rows.contains(&("covered".into(), 30_000, 2, -10_000)), "{rows:?}");
    drop(app);

    // On 12-02 this month is December so far, last month all of November.
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_at(&dir, Lang::En, at(2026, 12, 2, 9, 0));
    key(&mut app, KeyCode::Char('r'));
    let (_, from, to, rows) = report(&app);
    assert_eq!((from.as_str(), to.as_str()), ("2026-12-01", "2026-12-02"), "the key result's month");
    assert_eq!(rows, vec![("covered".into(), 10_000, 1, 0)]);
    key(&mut app, KeyCode::Left);
    let (_, from, to, rows) = report(&app);
    assert_eq!((from.as_str(), to.as_str()), ("2026-11-01", "2026-11-30"));
    assert_eq!(rows.iter().map(|r| r.1).sum::<i64>(), 100_000);
    key(&mut app, KeyCode::Left);
    let (_, from, to, _) = report(&app);
    assert_eq!((from.as_str(), to.as_str()), ("2026-12-01", "2026-12-02"), "this month");
    key(&mut app, KeyCode::Left);
    key(&mut app, KeyCode::Left);
    let (_, from, _, _) = report(&app);
    assert_eq!(from, "2026-11-01", "around: the key result's month, then last month again");
}

#[test]
fn the_revenue_report_at_80x24() {
    for lang in [Lang::Ko, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = app(&dir, lang);
        key(&mut app, KeyCode::Char('r'));
        insta::assert_snapshot!(format!("revenue_report_{lang:?}_80x24"), text(&render(&app, 80, 24)));
        key(&mut app, KeyCode::Char('r'));
        key(&mut app, KeyCode::Char('r'));
        insta::assert_snapshot!(
            format!("revenue_report_provider_{lang:?}_80x24"),
            text(&render(&app, 80, 24))
        );
    }
}

#[test]
fn a_filter_saved_while_another_terminal_holds_the_lock_keeps_the_form_and_the_report_still_reads() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(&dir, Lang::En);
    key(&mut app, KeyCode::Char('e'));
    focus(&mut app, "f_category");
    typed(&mut app, "1");
    let other = rusqlite::Connection::open(dir.path().join("clinic.db")).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    ctrl_s(&mut app);
    assert!(app.tabs.okr.keyboard_grabbed_for_test(), "the form stays open");
    assert_eq!(form(&app).picked("f_category").as_deref(), Some("covered"), "what was picked is kept");
    let m = krs(&app)[0].key_result.metric.clone().unwrap();
    assert_eq!(m.filters().unwrap().category.as_deref(), Some("non_covered"), "nothing written");
    other.execute_batch("COMMIT").unwrap();
    ctrl_s(&mut app);
    assert!(!app.tabs.okr.keyboard_grabbed_for_test());
    let m = krs(&app)[0].key_result.metric.clone().unwrap();
    assert_eq!(m.filters().unwrap().category.as_deref(), Some("covered"));
    // The report only reads: it opens while the lock is held.
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    key(&mut app, KeyCode::Char('r'));
    assert_eq!(report(&app).3.len(), 3);
    other.execute_batch("COMMIT").unwrap();
}

#[test]
fn a_key_result_draft_comes_back_with_its_filter_fields_shown_and_picked() {
    let dir = tempfile::tempdir().unwrap();
    let mut first = app(&dir, Lang::En);
    key(&mut first, KeyCode::Char('e'));
    focus(&mut first, "f_category");
    typed(&mut first, "3"); // 자보
    first.save_draft_now();
    drop(first); // the terminal hangs up with the form open
    let mut opts = options(Lang::En, TabId::Okr);
    opts.fixed_now = Some(fixed_now());
    let mut store = open(&dir.path().join("clinic.db"));
    store.set_staff("김데스크");
    let mut second = App::new(store, opts).unwrap();
    assert!(second.pending_draft.is_some(), "the hung-up terminal's draft is offered");
    key(&mut second, KeyCode::Char('y'));
    let f = form(&second);
    assert_eq!(f.picked("f_category").as_deref(), Some("car_insurance"));
    assert_eq!(f.picked("f_provider").as_deref(), Some("가상김원장"));
    for id in ["f_treatment", "f_provider", "f_category", "f_source"] {
        assert!(!f.get(id).hidden, "revenue takes {id}");
    }
    ctrl_s(&mut second);
    assert!(!second.tabs.okr.keyboard_grabbed_for_test());
    let m = krs(&second)[0].key_result.metric.clone().unwrap();
    assert_eq!(m.filters().unwrap().category.as_deref(), Some("car_insurance"));
}

#[test]
fn the_open_report_has_its_own_footer_and_help_lists_its_keys() {
    use frontdesk::app::keymap::Context;
    for lang in [Lang::Ko, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = app(&dir, lang);
        let footer = |app: &App, w: u16| {
            let screen = text(&render(app, w, 24));
            screen.lines().last().unwrap_or_default().to_string()
        };
        // The board: its own keys.
        assert_eq!(app.contexts(), vec![Context::Okr, Context::List, Context::Global]);
        assert!(footer(&app, 160).contains(lang.pick("목표 추가", "New objective")), "{}", footer(&app, 160));
        key(&mut app, KeyCode::Char('r'));
        // The report: r, Left/Right and Esc, none of the board's keys.
        assert_eq!(app.contexts(), vec![Context::OkrReport, Context::Global]);
        for w in [80, 160] {
            let line = footer(&app, w);
            for hint in [
                format!("r  {}", lang.pick("구분 변경", "Grouping")),
                format!("Left  {}", lang.pick("이전 기간", "Earlier")),
                format!("Right  {}", lang.pick("다음 기간", "Later")),
                format!("Esc  {}", lang.pick("뒤로", "Back")),
            ] {
                assert!(line.contains(&hint), "{w}: {hint:?} in {line:?}");
            }
            for board in [
                lang.pick("목표 추가", "New objective"),
                lang.pick("목표/핵심결과", "Edit objective"),
                "Enter",
            ] {
                assert!(!line.contains(board), "{w}: no {board:?} in {line:?}");
            }
        }
        // Every hint does what it says: r the next grouping, Left/Right the period, Esc back.
        key(&mut app, KeyCode::Char('r'));
        assert_eq!(report(&app).0, RevenueBy::Treatment);
        let (_, from, ..) = report(&app);
        key(&mut app, KeyCode::Right);
        assert_ne!(report(&app).1, from, "Right changes the period");
        key(&mut app, KeyCode::Left);
        assert_eq!(report(&app).1, from, "Left changes it back");
        // Help over the report lists the report's keys first, then the board's.
        key(&mut app, KeyCode::Char('?'));
        let help = text(&render(&app, 120, 40));
        let report_at = help.find(Context::OkrReport.title(lang)).expect("the report's heading");
        assert!(help.contains(lang.pick("구분 변경", "Grouping")), "{help}");
        let board_at = help[report_at + 1..].find(lang.pick("목표 추가", "New objective"));
        assert!(board_at.is_some(), "then the board's keys:\n{help}");
        key(&mut app, KeyCode::Esc);
        assert!(app.tabs.okr.revenue_report().is_some(), "Esc closed help only");
        key(&mut app, KeyCode::Esc);
        assert!(app.tabs.okr.revenue_report().is_none(), "Esc goes back to the board");
        assert_eq!(app.contexts(), vec![Context::Okr, Context::List, Context::Global]);
    }
}
