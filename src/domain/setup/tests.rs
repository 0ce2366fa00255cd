use super::*;

#[test]
fn manual_facts_fill_the_placeholders_from_the_settings() {
    let mut c = SetupFile::parse(GOOD).unwrap().clinic;
    c.lunch = "12:30-13:30".into();
    c.parking = "주차 2시간 무료".into();
    let f = ManualFacts::of(&c);
    assert_eq!(
        f.fill("평일 {hours}, 토 {saturday}, 점심 {lunch}. {closed}. {parking} {other}"),
        "평일 09:30-19:00, 토 09:30-14:00, 점심 12:30-13:30. 일요일 휴진. 주차 2시간 무료 {other}"
    );
    c.open_days.retain(|d| d != "sat");
    c.lunch.clear();
    c.parking.clear();
    let f = ManualFacts::of(&c);
    assert_eq!(
        (f.saturday.as_str(), f.lunch.as_str(), f.closed.as_str()),
        ("휴진", "없음", "토요일, 일요일 휴진")
    );
    assert!(f.parking.contains("Ctrl-O"), "an empty note says where to write it");
}

const GOOD: &str = r#"
[clinic]
name = "한결한의원"
kind = "hanui"
lang = "ko"
open_days = ["mon", "tue", "wed", "thu", "fri", "sat"]
hours = "09:30-19:00"
saturday_hours = "09:30-14:00"

[[staff]]
name = "김원장"
role = "director"

[[treatment]]
code = "chuna"
ko = "추나"
en = "Chuna"
happy_call = true
interval_days = 7
duration_min = 30
risky = ["pain"]

[[complaint_category]]
code = "pain"
ko = "통증"
en = "Pain"

[dropout_weights]
open_complaint = 3
"#;

#[test]
fn a_good_file_parses_and_round_trips() {
    let f = SetupFile::parse(GOOD).unwrap();
    assert_eq!(f.staff[0].name, "김원장");
    let again = SetupFile::parse(&f.to_toml()).unwrap();
    assert_eq!(again, f);
}

#[test]
fn errors_name_the_line_and_the_field() {
    let bad = GOOD.replace("interval_days = 7", "interval_days = 0");
    let e = SetupFile::parse(&bad).unwrap_err();
    assert!(e.starts_with("line 19:") && e.contains("`interval_days`"), "{e}");
    let bad = GOOD.replace("role = \"director\"", "role = \"boss\"");
    let e = SetupFile::parse(&bad).unwrap_err();
    assert!(e.starts_with("line 12:") && e.contains("`role`") && e.contains("boss"), "{e}");
    let bad = GOOD.replace("hours = \"09:30-19:00\"", "hours = \"19:00-09:30\"");
    let e = SetupFile::parse(&bad).unwrap_err();
    assert!(e.starts_with("line 7:") && e.contains("`hours`"), "{e}");
    let bad = GOOD.replace("risky = [\"pain\"]", "risky = [\"noise\"]");
    assert!(SetupFile::parse(&bad).unwrap_err().contains("noise"));
    let bad = GOOD.replace("code = \"chuna\"", "code = \"Chuna Therapy\"");
    assert!(SetupFile::parse(&bad).unwrap_err().contains("`code`"));
    let bad = GOOD.replace("open_complaint = 3", "open_complaint = 30");
    assert!(SetupFile::parse(&bad).unwrap_err().contains("0 to 10"));
    let bad = GOOD.replace("kind = \"hanui\"", "kind = 3");
    assert!(SetupFile::parse(&bad).unwrap_err().starts_with("line 4"), "toml type errors carry the line too");
}

#[test]
fn hours_and_codes() {
    assert!(check_hours("09:30-19:00").is_ok());
    assert!(check_hours("9-19").is_err());
    assert!(check_code("car_insurance").is_ok());
    assert!(check_code("자보").is_err());
}
