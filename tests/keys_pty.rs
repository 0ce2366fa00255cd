//! The real binary in a pseudo-terminal (issue 18): bursts of keys typed faster than a frame
//! are all handled, in order; the mouse clicks a tab; Ctrl-C quits; q asks first when a form
//! on another tab holds unsaved input.

mod common;

use chrono::NaiveTime;
use common::pty::Pty;
use frontdesk::domain::CallbackKind;
use frontdesk::store::appointments::{NewAppointment, insert_appointment};
use frontdesk::store::callbacks::{NewCallback, open_callback};
use frontdesk::store::patients::{NewPatient, insert_patient};

const BIN: &str = env!("CARGO_BIN_EXE_frontdesk");

/// Rows on Today and in Callbacks: more than any burst, so no burst ends against the last row
/// (a lost key would then go unseen).
const ROWS: usize = 80;

fn name(i: usize) -> String {
    format!("버스트{i:03}")
}

/// Patient `i`'s chart number (charts are numbered in the order patients are added).
fn chart(i: usize) -> String {
    format!("{:06}", i + 1)
}

/// A set-up clinic whose today holds ROWS appointments, one per patient in order, and whose
/// callback queue holds one reminder per patient, due today, in the same order.
fn clinic(path: &std::path::Path) {
    let mut store = common::open_set_up(path);
    let today = common::fixed_now().date();
    store
        .write(|tx| {
            for i in 0..ROWS {
                let patient = insert_patient(
                    tx,
                    &NewPatient { name: name(i), phone: format!("010-5550-{:04}", i), ..Default::default() },
                )?;
                let minutes = 8 * 60 + i as u32 * 5;
                let start = today.and_time(NaiveTime::from_hms_opt(minutes / 60, minutes % 60, 0).unwrap());
                insert_appointment(
                    tx,
                    &NewAppointment {
                        patient_id: patient,
                        start,
                        duration_min: 5,
                        provider_id: None,
                        treatment_code: None,
                    },
                )?;
                open_callback(tx, &NewCallback::new(patient, CallbackKind::Reminder, today))?;
            }
            Ok(())
        })
        .unwrap();
}

fn spawn(db: &str, extra: &[&str]) -> Pty {
    let mut args = vec!["--db", db, "--lang", "en"];
    args.extend_from_slice(extra);
    Pty::spawn(BIN, &args, 100, 30, &[("FRONTDESK_STAFF", "desk1"), ("LANG", "en_US.UTF-8")])
}

/// The screen line that carries the selected-row marker.
fn selected_line(screen: &str) -> Option<String> {
    screen.lines().find(|l| l.trim_start_matches(['│', '|', ' ']).starts_with("> ")).map(str::to_string)
}

/// Waits until the selected row is patient `i`'s; panics naming the row it is on instead.
fn wait_selected(pty: &Pty, i: usize, what: &str) {
    let want = chart(i);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let screen = pty.screen();
        let line = selected_line(&screen);
        if line.as_deref().is_some_and(|l| l.contains(&want)) {
            return;
        }
        if std::time::Instant::now() > deadline {
            panic!("{what}: expected {want} selected, the selected line is {line:?}; screen:\n{screen}");
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
}

/// Sends every burst as one write (faster than any frame) and checks where the selection
/// lands after each: j/k and their 한글-mode jamo ㅓ/ㅏ.
fn bursts(pty: &mut Pty) {
    let mut at = 0usize;
    for (key, n, down) in [("j", 50, true), ("k", 45, false), ("ㅓ", 50, true), ("ㅏ", 45, false)] {
        pty.send(&key.repeat(n));
        at = if down { at + n } else { at - n };
        wait_selected(pty, at, &format!("after {n} x {key}"));
    }
    // Nothing left over moves it later.
    std::thread::sleep(std::time::Duration::from_millis(400));
    wait_selected(pty, at, "a moment later");
    assert_eq!(at, 10);
}

#[test]
fn bursts_of_fifty_keys_land_exactly_on_today_and_callbacks() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.db");
    clinic(&path);
    let mut pty = spawn(path.to_str().unwrap(), &[]);
    pty.wait_for(&name(0), 15);
    wait_selected(&pty, 0, "Today at start");
    bursts(&mut pty);

    pty.send("3");
    pty.wait_for("Callbacks", 5);
    wait_selected(&pty, 0, "Callbacks at start");
    bursts(&mut pty);

    pty.send("q");
    let status = pty.wait_exit(10);
    assert!(status.success(), "exit status {status:?}");
}

/// An SGR mouse press and release at 0-based cell (`x`, `y`).
fn click(pty: &mut Pty, x: u16, y: u16) {
    pty.send(&format!("\x1b[<0;{};{}M\x1b[<0;{};{}m", x + 1, y + 1, x + 1, y + 1));
}

#[test]
fn a_mouse_click_switches_tabs_and_selects_a_row() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.db");
    clinic(&path);
    let mut pty = spawn(path.to_str().unwrap(), &[]);
    pty.wait_for(&name(0), 15);
    // The desk asks the terminal for mouse reports (SGR encoding).
    let raw = String::from_utf8_lossy(&pty.raw_output()).to_string();
    assert!(raw.contains("\x1b[?1000h") && raw.contains("\x1b[?1006h"), "mouse capture is on");
    // The tab bar: " 1 Today " then " 2 Huddle " ... the Callbacks label is the third.
    let bar = pty.screen().lines().next().unwrap().to_string();
    let x = bar.find("3 Callbacks").expect("the tab bar shows Callbacks") as u16;
    click(&mut pty, x + 2, 0);
    pty.wait_for("Reminder", 5);
    wait_selected(&pty, 0, "Callbacks after the click");
    // A click on the row of patient 3 selects it.
    let screen = pty.screen();
    let y = screen.lines().position(|l| l.contains(&chart(3))).expect("row 3 shown") as u16;
    click(&mut pty, 10, y);
    wait_selected(&pty, 3, "after clicking its row");
    // Back to Today by its label.
    click(&mut pty, 2, 0);
    pty.wait_for("Today", 5);
    wait_selected(&pty, 0, "Today after the click");
    pty.send("q");
    let status = pty.wait_exit(10);
    assert!(status.success(), "exit status {status:?}");
    let raw = String::from_utf8_lossy(&pty.raw_output()).to_string();
    assert!(raw.contains("\x1b[?1000l"), "mouse capture is given back on the way out");
}

#[test]
fn the_shared_screen_does_not_capture_the_mouse() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.db");
    clinic(&path);
    let mut pty = spawn(path.to_str().unwrap(), &["huddle"]);
    std::thread::sleep(std::time::Duration::from_millis(200));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while !pty.alternate_screen() {
        assert!(std::time::Instant::now() < deadline, "the shared screen did not start");
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    pty.wait_for("q", 5);
    let raw = String::from_utf8_lossy(&pty.raw_output()).to_string();
    assert!(!raw.contains("\x1b[?1000h"), "the read-only shared screen leaves the mouse alone");
    pty.send("q");
    let status = pty.wait_exit(10);
    assert!(status.success(), "exit status {status:?}");
}

#[test]
fn ctrl_c_quits_at_once_with_nothing_typed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.db");
    clinic(&path);
    let mut pty = spawn(path.to_str().unwrap(), &[]);
    pty.wait_for(&name(0), 15);
    pty.key("Ctrl-C");
    let status = pty.wait_exit(10);
    assert!(status.success(), "exit status {status:?}");
    assert!(!pty.alternate_screen(), "the terminal is given back");
}

#[test]
fn ctrl_c_in_a_form_asks_first_and_yes_keeps_the_draft() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.db");
    clinic(&path);
    let mut pty = spawn(path.to_str().unwrap(), &[]);
    pty.wait_for(&name(0), 15);
    // Inquiries: log a call and type a name into its form.
    pty.send("4");
    pty.wait_for("Referral report", 5);
    pty.send("n");
    pty.wait_for("Log a call", 5);
    pty.send("서지원");
    pty.wait_for("서지원", 5);
    // A click on a tab does not leave a form that holds the keyboard.
    click(&mut pty, 2, 0);
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(pty.screen().contains("Log a call"), "the form stays:\n{}", pty.screen());
    // In a field q is a letter; Ctrl-C asks first, naming the form; n stays.
    pty.key("Ctrl-C");
    pty.wait_for("Unsaved input in Log a call", 5);
    pty.send("n");
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(pty.try_exit().is_none(), "n stays");
    assert!(!pty.screen().contains("Unsaved input in"), "{}", pty.screen());
    // Asked again, y quits and the input is kept as a draft for next time.
    pty.key("Ctrl-C");
    pty.wait_for("Unsaved input in Log a call", 5);
    pty.send("y");
    let status = pty.wait_exit(10);
    assert!(status.success(), "exit status {status:?}");
    let store = common::open(&path);
    let drafts: String = store
        .conn()
        .query_row("SELECT group_concat(payload, '|') FROM drafts", [], |r| r.get::<_, Option<String>>(0))
        .unwrap()
        .unwrap_or_default();
    assert!(drafts.contains("서지원"), "the draft keeps the name: {drafts:?}");
}
