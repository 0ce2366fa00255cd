use super::*;
use crossterm::event::{KeyCode, KeyModifiers};

fn key(c: KeyCode) -> KeyEvent {
    KeyEvent::from(c)
}

fn typed(form: &mut Form, s: &str) {
    for c in s.chars() {
        form.handle_key(&key(KeyCode::Char(c)));
    }
}

fn sample() -> Form {
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    Form::new("sample", "Sample", Lang::En, today)
        .field(Field::text("name", "Name").required())
        .field(Field::phone("phone", "Phone"))
        .field(Field::pick(
            "source",
            "Source",
            vec![
                Choice::new("signboard", "Signboard").with_key('s'),
                Choice::new("referral", "Referral").with_key('r'),
            ],
        ))
        .field(Field::multi(
            "questions",
            "Questions",
            vec![Choice::new("price", "Price"), Choice::new("method", "Method")],
        ))
        .field(Field::date("recall", "Recall"))
}

#[test]
fn korean_text_and_caret() {
    let mut f = sample();
    typed(&mut f, "홍동");
    f.handle_key(&key(KeyCode::Left));
    typed(&mut f, "길");
    assert_eq!(f.text("name"), "홍길동");
    assert_eq!(f.get("name").caret, 2);
    f.handle_key(&key(KeyCode::Backspace));
    assert_eq!(f.text("name"), "홍동");
    assert!(f.dirty);
}

#[test]
fn picks_by_letter_digit_and_arrow() {
    let mut f = sample();
    f.focus_on("source");
    f.handle_key(&key(KeyCode::Char('r')));
    assert_eq!(f.picked("source").as_deref(), Some("referral"));
    f.handle_key(&key(KeyCode::Char('1')));
    assert_eq!(f.picked("source").as_deref(), Some("signboard"));
    f.handle_key(&key(KeyCode::Right));
    assert_eq!(f.picked("source").as_deref(), Some("referral"));
    f.focus_on("questions");
    f.handle_key(&key(KeyCode::Char('p')));
    f.handle_key(&key(KeyCode::Char('2')));
    assert_eq!(f.picked_all("questions"), vec!["price", "method"]);
    f.handle_key(&key(KeyCode::Char('p')));
    assert_eq!(f.picked_all("questions"), vec!["method"]);
}

#[test]
fn picks_take_the_jamo_on_the_letters_key() {
    let mut f = sample();
    f.focus_on("source");
    // ㄱ sits on r: referral.
    f.handle_key(&key(KeyCode::Char('ㄱ')));
    assert_eq!(f.picked("source").as_deref(), Some("referral"));
    f.focus_on("questions");
    // ㅔ sits on p: price.
    f.handle_key(&key(KeyCode::Char('ㅔ')));
    assert_eq!(f.picked_all("questions"), vec!["price"]);
}

#[test]
fn choices_named_in_korean_are_numbered_and_still_take_their_first_syllable() {
    let owners =
        vec![Choice::new("김원장", "김원장"), Choice::new("정원장", "정원장"), Choice::new("desk", "Desk")];
    let mut f = Form::new("t", "t", Lang::Ko, NaiveDate::from_ymd_opt(2026, 11, 23).unwrap())
        .field(Field::pick("owner", "Owner", owners));
    let FieldKind::Pick { choices, .. } = &f.get("owner").kind else { panic!() };
    assert_eq!(
        pick_hotkeys(choices),
        vec![(Some('1'), None), (Some('2'), None), (Some('3'), Some('d'))],
        "names are shown by number, as the booking form does; digits always work"
    );
    f.handle_key(&key(KeyCode::Char('2')));
    assert_eq!(f.picked("owner").as_deref(), Some("정원장"));
    f.handle_key(&key(KeyCode::Char('김')));
    assert_eq!(f.picked("owner").as_deref(), Some("김원장"));
    // ㅇ is d: Desk.
    f.handle_key(&key(KeyCode::Char('ㅇ')));
    assert_eq!(f.picked("owner").as_deref(), Some("desk"));
}

#[test]
fn validation_keeps_the_form_and_focuses_the_bad_field() {
    let mut f = sample();
    typed(&mut f, "홍길동");
    f.handle_key(&key(KeyCode::Tab));
    typed(&mut f, "12345");
    f.focus_on("recall");
    typed(&mut f, "2026-02-30");
    let ctrl_s = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert_eq!(f.handle_key(&ctrl_s), FormEvent::None);
    assert_eq!(f.focused().id, "phone");
    assert!(f.get("phone").error.is_some());
    assert!(f.get("recall").error.is_some());
    assert_eq!(f.text("name"), "홍길동", "nothing typed is lost");
    f.focus_on("phone");
    f.get_mut("phone").set_value("010-1234-5678");
    f.get_mut("recall").set_value("+7");
    assert_eq!(f.handle_key(&ctrl_s), FormEvent::Submit);
    assert_eq!(f.phone("phone").as_deref(), Some("010-1234-5678"));
    assert_eq!(f.date("recall"), NaiveDate::from_ymd_opt(2026, 11, 30));
}

#[test]
fn enter_moves_on_and_saves_on_the_last_field() {
    let mut f = sample();
    typed(&mut f, "Kim");
    for _ in 0..4 {
        assert_eq!(f.handle_key(&key(KeyCode::Enter)), FormEvent::Moved);
    }
    assert_eq!(f.handle_key(&key(KeyCode::Enter)), FormEvent::Submit);
}

#[test]
fn esc_asks_before_discarding_a_changed_form() {
    let mut f = sample();
    assert_eq!(f.handle_key(&key(KeyCode::Esc)), FormEvent::Cancel, "unchanged closes at once");
    typed(&mut f, "x");
    assert_eq!(f.handle_key(&key(KeyCode::Esc)), FormEvent::None);
    assert!(f.confirm_discard);
    assert_eq!(f.handle_key(&key(KeyCode::Char('n'))), FormEvent::None);
    assert_eq!(f.text("name"), "x");
    f.handle_key(&key(KeyCode::Esc));
    assert_eq!(f.handle_key(&key(KeyCode::Char('y'))), FormEvent::Cancel);
}

#[test]
fn drafts_round_trip() {
    let mut f = sample();
    typed(&mut f, "남궁민수");
    f.focus_on("source");
    f.handle_key(&key(KeyCode::Char('r')));
    f.focus_on("questions");
    f.handle_key(&key(KeyCode::Char('2')));
    let draft = f.to_draft();
    let mut g = sample();
    assert!(g.restore_draft(&draft));
    assert_eq!(g.text("name"), "남궁민수");
    assert_eq!(g.picked("source").as_deref(), Some("referral"));
    assert_eq!(g.picked_all("questions"), vec!["method"]);
    assert_eq!(g.focused().id, "questions");
}

#[test]
fn a_picked_choice_beyond_the_width_stays_visible() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let many: Vec<Choice> = (0..12).map(|i| Choice::new(format!("c{i}"), format!("선택지{i}"))).collect();
    let mut f = Form::new("t", "T", Lang::Ko, today).field(Field::pick("p", "P", many));
    f.handle_key(&key(KeyCode::Char('9')));
    let mut buf = Buffer::empty(Rect::new(0, 0, 60, 12));
    f.render(buf.area, &mut buf, &super::super::theme::THEME);
    let text = super::super::svg::buffer_to_text(&buf);
    // Every code starts with `c`: a shared letter is not shown, the number is.
    assert!(text.contains("[9:선택지8]"), "{text}");
}

#[test]
fn the_caret_sits_after_wide_characters() {
    let mut f = sample();
    typed(&mut f, "홍길");
    let mut buf = Buffer::empty(Rect::new(0, 0, 100, 30));
    f.render(buf.area, &mut buf, &super::super::theme::THEME);
    let (x, _y) = f.caret().unwrap();
    let popup = f.popup_area(buf.area);
    // Border (1) + label (14) + space (1) + two wide syllables (4).
    assert_eq!(x, popup.x + 1 + 14 + 1 + 4);
}

#[test]
fn typing_replaces_a_prefilled_value_and_an_arrow_first_deselects() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let mut f = Form::new("t", "t", Lang::En, today)
        .field(Field::date("date", "Date").value("2026-12-01"))
        .field(Field::text("note", "Note").value("old"));
    typed(&mut f, "12-02");
    assert_eq!(f.get("date").value, "12-02", "the prefilled date is replaced, not appended to");
    f.handle_key(&key(KeyCode::Tab));
    f.handle_key(&key(KeyCode::Left));
    f.handle_key(&key(KeyCode::Left));
    typed(&mut f, "er");
    assert_eq!(f.get("note").value, "olerd", "an arrow drops the selection, then moves");
    // Coming back to a field selects it again.
    f.handle_key(&key(KeyCode::BackTab));
    f.handle_key(&key(KeyCode::Backspace));
    assert_eq!(f.get("date").value, "");
}

#[test]
fn a_placeholder_is_not_a_value() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let mut f =
        Form::new("t", "t", Lang::En, today).field(Field::time("time", "Time").required().hint("14:30"));
    let ctrl_s = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert_eq!(f.handle_key(&ctrl_s), FormEvent::None);
    assert_eq!(f.get("time").error.as_deref(), Some("required"));
    assert_eq!(f.time("time"), None);
    assert_eq!(f.text("time"), "");
}

#[test]
fn a_placeholder_is_drawn_dim_and_italic_unlike_a_value() {
    use ratatui::style::Modifier;
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let theme = Theme::new(crate::app::theme::Look::default(), false);
    for no_color in [false, true] {
        let f = Form::new("t", "t", Lang::En, today)
            .field(Field::time("empty", "Empty").hint("14:30"))
            .field(Field::time("full", "Full").value("14:30"));
        let area = Rect::new(0, 0, 80, 12);
        let mut buf = Buffer::empty(area);
        f.render(area, &mut buf, &theme);
        if no_color {
            crate::app::theme::strip_colours(&mut buf, theme.base);
        }
        let cell_of = |row_label: &str| {
            let y = (0..12)
                .find(|&y| (0..80).map(|x| buf[(x, y)].symbol()).collect::<String>().contains(row_label));
            let y = y.unwrap_or_else(|| panic!("no row {row_label}"));
            let x =
                (0..79).find(|&x| buf[(x, y)].symbol() == "1" && buf[(x + 1, y)].symbol() == "4").unwrap();
            buf[(x, y)].clone()
        };
        let hint = cell_of("Empty");
        let value = cell_of("Full");
        assert!(hint.modifier.contains(Modifier::ITALIC), "{hint:?}");
        assert!(!value.modifier.contains(Modifier::ITALIC), "{value:?}");
        assert_ne!(hint.style(), value.style());
    }
}

#[test]
fn a_shared_letter_picks_nothing_and_its_number_still_does() {
    // Two choices asking for `d` (Director, Desk) and two for `n`: only numbers pick them.
    let choices = vec![
        Choice::new("director", "Director"),
        Choice::new("desk", "Desk"),
        Choice::new("naver_place", "Naver place"),
        Choice::new("naver_search", "Naver search"),
        Choice::new("sign", "Signboard"),
    ];
    assert_eq!(
        pick_hotkeys(&choices),
        vec![
            (Some('1'), None),
            (Some('2'), None),
            (Some('3'), None),
            (Some('4'), None),
            (Some('5'), Some('s'))
        ]
    );
    let mut f = Form::new("t", "t", Lang::Ko, NaiveDate::from_ymd_opt(2026, 11, 23).unwrap())
        .field(Field::pick("who", "Who", choices));
    assert_eq!(f.handle_key(&key(KeyCode::Char('d'))), FormEvent::None);
    assert_eq!(f.picked("who"), None);
    f.handle_key(&key(KeyCode::Char('2')));
    assert_eq!(f.picked("who").as_deref(), Some("desk"));
    // ㄴ sits on s.
    f.handle_key(&key(KeyCode::Char('ㄴ')));
    assert_eq!(f.picked("who").as_deref(), Some("sign"));
}

#[test]
fn a_number_outside_its_named_rule_is_refused_on_save() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let mut f = Form::new("t", "t", Lang::En, today)
        .field(Field::number("slot", "Slot").range(crate::domain::rules::SLOT_MINUTES).value("200"));
    let ctrl_s = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert_eq!(f.handle_key(&ctrl_s), FormEvent::None);
    assert_eq!(f.get("slot").error.as_deref(), Some("must be 5 to 120"));
    typed(&mut f, "30");
    assert_eq!(f.handle_key(&ctrl_s), FormEvent::Submit);
}
