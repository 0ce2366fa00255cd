//! Bad input everywhere: random and mutated import files, random keys at random terminal
//! sizes in every tab and form; none may panic. (Apart from the other screen tests: the
//! apps here speak Korean too, and the store's message language is per process.)

mod common;

use common::render;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use frontdesk::app::{App, TabId};
use frontdesk::domain::Lang;
use frontdesk::domain::import::CsvKind;
use frontdesk::store::{StoreError, csv_io, maintenance};

/// A small deterministic generator (xorshift), so a failure repeats.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

const LONG: &str = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";

const PIECES: &[&str] = &[
    ",",
    "\"",
    "\n",
    "\r\n",
    "",
    " ",
    "김",
    "가나다",
    "010-1234-5678",
    "2026-11-23",
    "2026-02-30",
    "2026-11-23 09:20",
    "25:99",
    "-5",
    "4,900,000",
    "490만",
    "referral",
    "소개",
    "done",
    "no_show",
    "M",
    "여",
    "999999999999999999999",
    "\u{feff}",
    "\u{0}",
    "𝔘",
    "e\u{301}",
    LONG,
];

fn mutate(rng: &mut Rng, base: &str) -> String {
    let mut s: Vec<char> = base.chars().collect();
    for _ in 0..=rng.below(6) {
        let at = rng.below(s.len() as u64 + 1) as usize;
        match rng.below(4) {
            0 if !s.is_empty() => {
                let end = (at + rng.below(8) as usize).min(s.len());
                s.drain(at.min(end)..end);
            }
            1 => {
                let piece = PIECES[rng.below(PIECES.len() as u64) as usize];
                for (k, c) in piece.chars().enumerate() {
                    s.insert(at + k, c);
                }
            }
            2 if at < s.len() => s[at] = char::from_u32(rng.below(0x11000) as u32).unwrap_or('?'),
            _ => {}
        }
    }
    s.into_iter().collect()
}

fn valid_csv(kind: CsvKind) -> String {
    let header = kind.header().join(",");
    let row = match kind {
        CsvKind::Patients => "000001,가나,010-1234-5678,1980-01-02,F,2026-11-01,referral,,referrer,메모",
        CsvKind::Appointments => "000001,2026-11-23 09:20,30,,,booked,2026-11-20 10:00",
        CsvKind::Inquiries => "2026-11-23 09:20,다라,010-2222-3333,,,price,signboard,,info,",
        CsvKind::Consultations => {
            "000001,가나,010-1234-5678,2026-11-23 09:20,,4900000,490만,undecided,2026-11-30,좋음,"
        }
        CsvKind::Complaints => "000001,2026-11-23 09:20,waiting,오래 기다림,open,,",
        CsvKind::Payments => "000001,2026-11-23 09:20,\"25,000\",급여,침,,",
        CsvKind::Packages => "000001,2026-11-23,추나,10,\"1,000,000\",,",
    };
    format!("{header}\n{row}\n{row}\n")
}

#[test]
fn random_and_mutated_import_files_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = common::open_set_up(&dir.path().join("clinic.db"));
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let now = common::fixed_now();
    let mut accepted = 0;
    for case in 0..2500 {
        let kind = CsvKind::ALL[case % CsvKind::ALL.len()];
        let bytes: Vec<u8> = if case % 4 == 0 {
            (0..rng.below(200)).map(|_| rng.below(256) as u8).collect()
        } else {
            mutate(&mut rng, &valid_csv(kind)).into_bytes()
        };
        let Ok((text, _)) = frontdesk::domain::import::decode(&bytes) else { continue };
        // Dry runs: every row is checked and written inside a transaction that is rolled back.
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            csv_io::import(&mut store, kind, "fuzz.csv", &text, true, now)
        }));
        match result {
            Ok(Ok(_)) => accepted += 1,
            Ok(Err(_)) => {}
            Err(_) => panic!("case {case} ({}) panicked on:\n{text:?}", kind.code()),
        }
    }
    assert!(accepted > 0, "some mutations stay valid (the generator reaches the write path)");
    assert!(maintenance::check(&store).unwrap().ok);
}

#[test]
fn random_keys_at_random_sizes_in_every_tab_and_form_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    {
        let file = valid_csv(CsvKind::Patients);
        let mut store = common::open_set_up(&db);
        csv_io::import(&mut store, CsvKind::Patients, "p.csv", &file, false, common::fixed_now())
            .or_else(|_| {
                // Two rows with one chart number: keep one.
                let one: String = file.lines().take(2).map(|l| format!("{l}\n")).collect();
                csv_io::import(&mut store, CsvKind::Patients, "p.csv", &one, false, common::fixed_now())
            })
            .unwrap();
        for kind in [CsvKind::Appointments, CsvKind::Inquiries, CsvKind::Consultations, CsvKind::Complaints] {
            let one: String = valid_csv(kind).lines().take(2).map(|l| format!("{l}\n")).collect();
            let _ = csv_io::import(&mut store, kind, "x.csv", &one, false, common::fixed_now());
        }
    }
    let keys = [
        KeyCode::Enter,
        KeyCode::Esc,
        KeyCode::Tab,
        KeyCode::BackTab,
        KeyCode::Up,
        KeyCode::Down,
        KeyCode::Left,
        KeyCode::Right,
        KeyCode::Backspace,
        KeyCode::Delete,
        KeyCode::Home,
        KeyCode::End,
        KeyCode::PageUp,
        KeyCode::PageDown,
        KeyCode::F(1),
    ];
    let chars: Vec<char> = "nqabcdeimoprsxyz0123456789+-/?: 가나김".chars().collect();
    let mut rng = Rng(0x0dd_ba11_cafe_f00d);
    for (round, tab) in TabId::ALL.iter().cycle().take(15).enumerate() {
        let store = common::open(&db);
        let lang = [Lang::Ko, Lang::En][round % 2];
        let mut app = App::new(store, common::options(lang, *tab)).unwrap();
        // The store's message language is per process: a Korean app makes the busy and
        // disk-full messages Korean. Checked here, where no other test of this binary
        // opens an app in the other language at the same moment.
        if lang == Lang::Ko {
            assert!(StoreError::Busy.to_string().contains("다른 단말기가 저장하는 중"));
            assert!(StoreError::Full.to_string().contains("디스크가 가득"));
        } else {
            assert!(StoreError::Busy.to_string().contains("another terminal holds"), "{}", StoreError::Busy);
        }
        for step in 0..300 {
            let key = match rng.below(10) {
                0..=4 => KeyEvent::from(KeyCode::Char(chars[rng.below(chars.len() as u64) as usize])),
                5..=7 => KeyEvent::from(keys[rng.below(keys.len() as u64) as usize]),
                8 => {
                    KeyEvent::new(KeyCode::Char((b'a' + rng.below(26) as u8) as char), KeyModifiers::CONTROL)
                }
                _ => KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL),
            };
            // Quitting would end the session; the next round starts a new one anyway.
            if key.code == KeyCode::Char('q') && !app.tabs.get(app.active).keyboard_grabbed() {
                continue;
            }
            app.on_key(key);
            if step % 10 == 0 {
                app.on_tick();
            }
            let (w, h) = (1 + rng.below(200) as u16, 1 + rng.below(60) as u16);
            let _ = render(&app, w, h);
        }
    }
}
