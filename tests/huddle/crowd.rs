//! Many patients: paging and the masking scan.

use super::*;

const SURNAMES: [&str; 12] = ["김", "이", "박", "최", "정", "강", "조", "윤", "남궁", "황보", "제갈", "선우"];

const SYLLABLES: [&str; 16] =
    ["민", "서", "준", "지", "현", "우", "영", "수", "하", "은", "도", "윤", "예", "진", "호", "연"];

const LATIN: [&str; 6] = ["John Smith", "Anna Lee", "Maria Garcia", "Tom Brown", "Olga Petrova", "Ken Wu"];

/// Builds `n` people with distinct names and phones: 2-4 syllable Korean names (compound
/// surnames included) and Latin names, phones in 010 / 02 / 031 / +82 forms.
fn crowd(n: usize) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for i in 0..n {
        let name = if i % 7 == 6 {
            format!("{} {}", LATIN[(i / 7) % LATIN.len()], ["Jr", "Sr", "II", "III", "IV", "V"][(i / 42) % 6])
        } else {
            let s = SURNAMES[i % SURNAMES.len()];
            let given_len = if s.chars().count() == 2 { 1 + i % 2 } else { 1 + i % 3 };
            let given: String =
                (0..given_len).map(|k| SYLLABLES[(i * 3 + k * 5) % SYLLABLES.len()]).collect();
            format!("{s}{given}")
        };
        let phone = match i % 4 {
            0 => format!("010-{:04}-{:04}", 2000 + i, 7000 + i),
            1 => format!("02-{:03}-{:04}", 300 + i, 4000 + i),
            2 => format!("031-{:03}-{:04}", 500 + i, 6000 + i),
            _ => format!("+82 10-{:04}-{:04}", 8000 + i, 1000 + i),
        };
        out.push((name, phone));
    }
    // Names must be distinct for the scan to mean anything.
    let mut names: Vec<&String> = out.iter().map(|(n, _)| n).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), out.len(), "crowd names collide");
    out
}

/// 24 people coming today with recent complaints (complaints, risky, chart review pages) and
/// 24 recent visitors with open complaints and nothing booked (dropouts, complaints).
fn busy_clinic(dir: &tempfile::TempDir) -> Vec<(String, String)> {
    let mut c = Clinic::new(dir);
    let owner = c.staff("박원장", "director");
    let people = crowd(48);
    for (i, (name, phone)) in people.iter().enumerate() {
        let id = c.patient(name, phone, None);
        if i < 24 {
            c.done(id, day(11, 2), "chuna");
            c.visit(id, at(2026, 11, 23, 9 + (i as u32 % 9), 0), "chuna", "booked", at(2026, 11, 2, 10, 30));
            c.complaint(id, day(11, 10), "pain", "설명 보강", Some(owner), false);
        } else {
            c.done(id, day(11, 15), "acupuncture");
            c.complaint(id, day(11, 15), "wait_time", "사과 전화", Some(owner), true);
        }
    }
    people
}

/// Every frame: each section, each page (turned by the running timer), both languages.
fn assert_no_identity_leaks(screen: &str, people: &[(String, String)], context: &str) {
    for (name, phone) in people {
        assert!(!screen.contains(name.as_str()), "{context}: name {name} shown\n{screen}");
        let digits: String = phone.chars().filter(|c| c.is_ascii_digit()).collect();
        let phone_digits = frontdesk::domain::phone::Phone::parse(phone).unwrap();
        let formatted = phone_digits.formatted();
        assert!(!screen.contains(&formatted), "{context}: phone {formatted} shown\n{screen}");
        assert!(
            !screen.contains(&digits) && !screen.contains(&phone_digits.digits),
            "{context}: digits of {phone}"
        );
        // The middle group never shows, even apart from the rest.
        let middle = formatted.split('-').nth(1).unwrap();
        let last = formatted.split('-').nth(2).unwrap();
        assert!(!screen.contains(&format!("{middle}-{last}")), "{context}: {middle}-{last} shown");
    }
}

#[test]
fn no_frame_of_the_shared_screen_shows_a_name_or_phone() {
    let dir = tempfile::tempdir().unwrap();
    let people = busy_clinic(&dir);
    let path = dir.path().join("clinic.db");
    for lang in [Lang::Ko, Lang::En] {
        for (w, h) in [(100, 30), (80, 24), (120, 40)] {
            let mut app = presentation_app(&path, lang);
            app.on_command(Command::TimerToggle);
            let mut masked_seen = 0;
            for section in Section::ALL {
                app.tabs.huddle.go_to(section);
                let start = app.tabs.huddle.timer().elapsed(fixed_now());
                let mut pages_seen = std::collections::HashSet::new();
                // Page through by time: 8 s a page, more pages than any section has.
                for step in 0..8 {
                    let t = fixed_now() + chrono::Duration::seconds(start + step * 8);
                    app.tabs.huddle.on_tick(t);
                    let screen = text(&render(&app, w, h));
                    assert_no_identity_leaks(
                        &screen,
                        &people,
                        &format!("{lang:?} {w}x{h} {section:?} step {step}"),
                    );
                    masked_seen += people
                        .iter()
                        .filter(|(n, _)| screen.contains(&frontdesk::domain::mask::mask_name(n)))
                        .count();
                    // The rows under the timer and agenda line: they change only with the page.
                    pages_seen.insert(screen.lines().skip(9).collect::<Vec<_>>().join("\n"));
                }
                let long = section == Section::Complaints
                    || (h < 40 && matches!(section, Section::ChartReview | Section::Dropouts));
                if long {
                    assert!(pages_seen.len() > 1, "{section:?} pages by itself at {w}x{h}");
                }
                // Go back to the same moment for the next section.
                app.tabs.huddle.on_tick(fixed_now() + chrono::Duration::seconds(start));
            }
            assert!(masked_seen > 48, "the masked rows were drawn ({masked_seen})");
        }
    }
}

#[test]
fn eight_patients_fit_on_one_page_at_100x30() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = Clinic::new(&dir);
    let people = crowd(8);
    for (i, (name, phone)) in people.iter().enumerate() {
        let id = c.patient(name, phone, None);
        c.visit(id, at(2026, 11, 23, 9 + i as u32, 0), "chuna", "booked", at(2026, 11, 2, 10, 30));
        c.complaint(id, day(11, 10), "pain", "", None, true);
    }
    drop(c);
    let mut app = presentation_app(&dir.path().join("clinic.db"), Lang::Ko);
    app.on_command(Command::TimerToggle);
    for section in [Section::Complaints, Section::RiskyProcesses, Section::ChartReview] {
        app.tabs.huddle.go_to(section);
        let screen = text(&render(&app, 100, 30));
        for (name, _) in &people {
            // As drawn in the ten-column name column.
            let masked = frontdesk::domain::text::truncate(&frontdesk::domain::mask::mask_name(name), 10);
            assert!(screen.contains(&masked), "{section:?}: {masked} missing\n{screen}");
        }
        assert!(!screen.contains("쪽 ("), "{section:?}: no pages needed\n{screen}");
    }
}
