//! The day's list: columns by display width, sticker colours, days and filters, reading only
//! the day, late visits.

use super::*;

#[test]
fn columns_line_up_by_display_width_for_korean_and_latin_names() {
    for (w, h) in [(80u16, 24u16), (120, 40)] {
        for lang in [Lang::Ko, Lang::En] {
            let dir = tempfile::tempdir().unwrap();
            let (app, _) = fixture_app(&dir, lang);
            let screen = text(&render(&app, w, h));
            let cols = layout_columns(w - 2, lang);
            let start_of = |c: Column| cols.iter().find(|(k, _, _)| *k == c).map(|(_, x, _)| *x as usize + 1);
            let chart_x = start_of(Column::Chart).unwrap();
            let age_x = start_of(Column::AgeSex).unwrap();
            let tags_x = start_of(Column::Stickers).unwrap();
            // Each row: the display column where its chart number and its age begin.
            for (chart, name, age) in [
                ("000001", "홍길동", "46"),
                ("000002", "김철", "30"),
                ("000003", "남궁민수", "54"),
                ("000004", "Emily Park", "36"),
                ("000005", "Christoph", ""),
            ] {
                let line =
                    screen.lines().find(|l| l.contains(chart)).unwrap_or_else(|| panic!("{chart}\n{screen}"));
                let after_chart = line.find(chart).unwrap();
                let col_of =
                    |needle: &str| width(&line[..after_chart + line[after_chart..].find(needle).unwrap()]);
                assert_eq!(col_of(chart), chart_x, "{w}x{h} {chart}: {line}");
                assert_eq!(col_of(name), chart_x + 7, "{w}x{h} name of {chart}: {line}");
                if !age.is_empty() {
                    assert_eq!(col_of(age), age_x, "{w}x{h} age of {chart}: {line}");
                }
            }
            // The long Latin name is cut with an ellipsis, within its column.
            let line = screen.lines().find(|l| l.contains("000005")).unwrap();
            assert!(line.contains("~"), "{line}");
            let name_w = cols.iter().find(|(k, _, _)| *k == Column::Name).unwrap().2 as usize;
            let cut = &line[line.find("Christoph").unwrap()..line.find('~').unwrap() + '~'.len_utf8()];
            assert_eq!(width(cut), name_w, "{line}");
            // The stickers of 홍길동 (R, S) sit in the sticker column.
            let line = screen.lines().find(|l| l.contains("000001")).unwrap();
            assert_eq!(width(&line[..line.find("RS").unwrap()]), tags_x, "{line}");
        }
    }
}

#[test]
fn sticker_badges_carry_their_colours() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = fixture_app(&dir, Lang::En);
    let buf = render(&app, 120, 40);
    let screen = text(&buf);
    let y = screen.lines().position(|l| l.contains("000001")).unwrap() as u16;
    let cols = layout_columns(118, Lang::En);
    let x = cols.iter().find(|(k, _, _)| *k == Column::Stickers).unwrap().1 + 1;
    assert_eq!(buf[(x, y)].symbol(), "R");
    assert_eq!(buf[(x, y)].bg, frontdesk::app::theme::tag_style(Tag::Referrer).bg.unwrap());
    assert_eq!(buf[(x + 1, y)].symbol(), "S");
    assert_eq!(buf[(x + 1, y)].bg, frontdesk::app::theme::tag_style(Tag::Satisfied).bg.unwrap());
}

#[test]
fn days_and_filters() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = fixture_app(&dir, Lang::En);
    assert_eq!(app.tabs.today.visible.len(), 6);
    app.on_command(Command::FilterProvider);
    assert_eq!(app.tabs.today.provider_filter, Some(fx.director_kim));
    assert_eq!(app.tabs.today.visible.len(), 3);
    app.on_command(Command::FilterProvider);
    assert_eq!(app.tabs.today.visible.len(), 3, "박원장's three");
    app.on_command(Command::FilterProvider);
    assert_eq!(app.tabs.today.provider_filter, None);
    app.on_command(Command::FilterSticker);
    assert_eq!(app.tabs.today.tag_filter, Some(Tag::Referrer));
    assert_eq!(app.tabs.today.visible.len(), 1);
    app.on_command(Command::Back);
    assert_eq!(app.tabs.today.visible.len(), 6);
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "emily");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.tabs.today.visible.len(), 1);
    assert_eq!(app.tabs.today.selected_row().unwrap().patient_id, fx.emily);
    app.on_command(Command::Back);
    app.on_command(Command::PrevDay);
    assert_eq!(app.tabs.today.date, Some(day(22)));
    assert!(app.tabs.today.rows.is_empty());
    app.on_command(Command::PrevDay);
    app.on_command(Command::PrevDay);
    app.on_command(Command::PrevDay);
    assert_eq!(app.tabs.today.date, Some(day(19)));
    app.on_command(Command::NextDay);
    assert_eq!(app.tabs.today.rows.len(), 1, "김철's done visit on the 20th");
    assert!(text(&render(&app, 80, 24)).contains("2026-11-20 (Fri)"));
    app.on_command(Command::GoToday);
    assert_eq!(app.tabs.today.date, Some(day(23)));
    assert_eq!(app.tabs.today.rows.len(), 6);
}

#[test]
fn the_day_list_reads_only_the_day_through_the_start_index() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir.path().join("c.db"));
    let plan: Vec<String> = {
        let mut stmt = store
            .conn()
            .prepare(
                "EXPLAIN QUERY PLAN SELECT a.id FROM appointments a JOIN patients p ON p.id = a.patient_id
                 WHERE a.start >= '2026-11-23' AND a.start < '2026-11-24' ORDER BY a.start, a.id",
            )
            .unwrap();
        stmt.query_map([], |r| r.get::<_, String>(3)).unwrap().map(Result::unwrap).collect()
    };
    assert!(plan.iter().any(|l| l.contains("appointments_by_start")), "{plan:?}");
    assert!(!plan.iter().any(|l| l.starts_with("SCAN")), "{plan:?}");
}

#[test]
fn a_visit_still_booked_after_its_time_looks_late_and_not_once_arrived() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, fx) = fixture_app(&dir, Lang::En);
    // The fixed moment is 09:20: 홍길동's 09:00 visit is still booked.
    let line = |app: &App, time: &str| -> String {
        let screen = text(&render(app, 120, 40));
        screen.lines().find(|l| l.contains(time) && l.contains("홍길동")).unwrap_or_default().to_string()
    };
    let late = line(&app, "09:00");
    assert!(late.contains("Late?"), "{late}");
    let later: Vec<String> = text(&render(&app, 120, 40))
        .lines()
        .filter(|l| l.contains("Booked") && !l.contains("Late?"))
        .map(str::to_owned)
        .collect();
    assert!(later.iter().all(|l| l.split_whitespace().next().is_some_and(|t| t > "09:20")), "{later:?}");
    // Arrived: no longer late.
    let id = app.tabs.today.rows.iter().find(|r| r.patient_id == fx.hong).unwrap().id;
    app.store
        .write(|tx| {
            frontdesk::store::appointments::set_status(tx, id, frontdesk::domain::AppointmentStatus::Arrived)
                .map(|_| ())
        })
        .unwrap();
    app.reload_all();
    assert!(!line(&app, "09:00").contains("Late?"), "{}", line(&app, "09:00"));
}
