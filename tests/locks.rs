//! Waiting, never failing, on another terminal (issue 14, item 4): while another process holds
//! the write lock, commands that read (`report`, `check`, `backup`) and starting the app go on
//! as usual; writes (`import`, `export`, which records itself in the audit log) wait for as long
//! as the lock is held, say so on stderr, and complete once it is released; single-key actions
//! pressed in the app meanwhile are queued, in order, each for the row it was pressed on, and
//! applied by themselves.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use chrono::NaiveTime;
use common::pty::Pty;
use crossterm::event::{KeyCode, KeyEvent};
use frontdesk::app::{App, TabId};
use frontdesk::domain::{AppointmentStatus, Lang};
use frontdesk::store::appointments::{NewAppointment, get_appointment, insert_appointment};
use frontdesk::store::patients::{NewPatient, insert_patient};

const BIN: &str = env!("CARGO_BIN_EXE_frontdesk");

/// Another process's write: `BEGIN IMMEDIATE` on a connection of its own, held until dropped
/// (or released). The binaries run as child processes, so to them this is another process.
struct WriteLock(Option<rusqlite::Connection>);

impl WriteLock {
    fn hold(db: &Path) -> WriteLock {
        let conn = rusqlite::Connection::open(db).unwrap();
        conn.execute_batch("BEGIN IMMEDIATE").unwrap();
        WriteLock(Some(conn))
    }

    fn release(&mut self) {
        if let Some(conn) = self.0.take() {
            conn.execute_batch("ROLLBACK").unwrap();
        }
    }
}

impl Drop for WriteLock {
    fn drop(&mut self) {
        self.release();
    }
}

/// A clinic with two patients booked today (by the fixed clock) at 09:00 and 10:00.
fn clinic(db: &Path) -> (i64, i64) {
    let today = common::fixed_now().date();
    let mut store = common::open_set_up(db);
    store
        .write(|tx| {
            let mut ids = Vec::new();
            for (name, phone, hour) in [("홍길동", "010-1234-5678", 9), ("김영희", "010-2222-3333", 10)]
            {
                let patient = insert_patient(
                    tx,
                    &NewPatient { name: name.into(), phone: phone.into(), ..Default::default() },
                )?;
                ids.push(insert_appointment(
                    tx,
                    &NewAppointment {
                        patient_id: patient,
                        start: today.and_time(NaiveTime::from_hms_opt(hour, 0, 0).unwrap()),
                        duration_min: 30,
                        provider_id: None,
                        treatment_code: None,
                    },
                )?);
            }
            Ok((ids[0], ids[1]))
        })
        .unwrap()
}

fn frontdesk(db: &Path) -> Command {
    let mut c = Command::new(BIN);
    c.arg("--db").arg(db).env(common::FIXED_NOW_ENV.0, common::FIXED_NOW_ENV.1).env("USER", "desk2");
    c
}

fn run_ok(db: &Path, args: &[&str]) -> String {
    let out = frontdesk(db).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "frontdesk {args:?} failed while another process held the write lock:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A command running in the background, its stderr lines arriving on a channel.
struct Running {
    child: std::process::Child,
    stderr: mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Running {
    fn start(db: &Path, args: &[&str]) -> Running {
        let mut child =
            frontdesk(db).args(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        let err = child.stderr.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Running { child, stderr: rx, seen: Vec::new() }
    }

    /// Waits (a hang guard, not a timing check) until stderr says the command waits.
    fn wait_for_stderr(&mut self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while !self.seen.iter().any(|l| l.contains(text)) {
            assert!(
                self.child.try_wait().unwrap().is_none(),
                "the command ended instead of waiting: {:?}",
                self.seen
            );
            assert!(Instant::now() < deadline, "no '{text}' on stderr: {:?}", self.seen);
            if let Ok(line) = self.stderr.recv_timeout(Duration::from_millis(100)) {
                self.seen.push(line);
            }
        }
    }

    fn finish(self) -> (std::process::ExitStatus, String, Vec<String>) {
        let mut seen = self.seen;
        let out = self.child.wait_with_output().unwrap();
        seen.extend(self.stderr.try_iter());
        (out.status, String::from_utf8_lossy(&out.stdout).into_owned(), seen)
    }
}

#[test]
fn reads_go_on_and_writes_wait_while_another_process_holds_the_write_lock() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    clinic(&db);
    let csv = dir.path().join("inquiries.csv");
    std::fs::write(
        &csv,
        "received_at,caller_name,phone,channel,topic,questions,referral_source,referrer_chart_no,outcome,note\n\
         2026-11-20 10:00,이순신,010-5555-6666,,,price,,,info,\n\
         2026-11-21 11:00,박민수,010-7777-8888,,,,,,callback,\n",
    )
    .unwrap();

    let mut lock = WriteLock::hold(&db);
    // Reading commands do not wait at all: each ends while the lock is still held.
    let check = run_ok(&db, &["check"]);
    assert!(check.contains(": ok"), "{check}");
    let report = run_ok(&db, &["report", "daily", "--format", "csv"]);
    assert!(!report.trim().is_empty());
    let backup = dir.path().join("copy.db");
    run_ok(&db, &["backup", backup.to_str().unwrap()]);
    assert!(backup.metadata().unwrap().len() > 0);

    // Writes wait for as long as the lock is held, and say so in true words.
    let mut import = Running::start(&db, &["import", "inquiries", csv.to_str().unwrap()]);
    let mut export = Running::start(&db, &["export", "patients"]);
    import.wait_for_stderr("waiting for another terminal to finish saving");
    export.wait_for_stderr("waiting for another terminal to finish saving");
    // Longer than the 5 s after which a command used to fail with "database is locked".
    std::thread::sleep(Duration::from_secs(7));
    assert!(import.child.try_wait().unwrap().is_none(), "the import gave up while the lock was held");
    {
        let store = common::open(&db);
        let n: i64 = store.conn().query_row("SELECT count(*) FROM inquiries", [], |r| r.get(0)).unwrap();
        assert_eq!(n, 0, "nothing is written while the other process holds the lock");
    }
    lock.release();

    let (status, stdout, stderr) = import.finish();
    assert!(status.success(), "import: {stdout}{stderr:?}");
    assert!(stdout.contains("imported 2 inquiries rows"), "{stdout}");
    assert!(!stderr.iter().any(|l| l.contains("kept")), "no promise a command cannot keep: {stderr:?}");
    let (status, stdout, stderr) = export.finish();
    assert!(status.success(), "export: {stderr:?}");
    assert!(stdout.contains("홍길동") && stdout.contains("김영희"), "{stdout}");

    let store = common::open(&db);
    let n: i64 = store.conn().query_row("SELECT count(*) FROM inquiries", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 2);
    let exports: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM audit_log WHERE action = 'export'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(exports, 1, "the export is in the audit log");
    run_ok(&db, &["check"]);
}

#[test]
fn the_app_starts_and_reads_while_another_process_holds_the_write_lock() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    clinic(&db);
    let _lock = WriteLock::hold(&db);
    let mut pty =
        Pty::spawn(BIN, &["--db", db.to_str().unwrap(), "--lang", "en"], 100, 30, &[("LANG", "en_US.UTF-8")]);
    pty.wait_for("Booked 2", 15);
    assert!(!pty.screen().contains("locked"), "{}", pty.screen());
    pty.send("q");
    assert!(pty.wait_exit(10).success());
}

fn key(c: char) -> KeyEvent {
    KeyEvent::from(KeyCode::Char(c))
}

#[test]
fn single_key_actions_during_the_lock_are_queued_in_order_for_their_rows_and_applied_after() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    let (first, second) = clinic(&db);
    let mut app = App::new(common::open(&db), common::options(Lang::En, TabId::Today)).unwrap();

    let mut lock = WriteLock::hold(&db);
    app.on_key(key('a')); // the 09:00 row
    app.on_key(KeyEvent::from(KeyCode::Down));
    app.on_key(key('a')); // the 10:00 row
    app.on_key(key('d')); // then done, after its arrival
    // The selection moves on; the queued actions keep their rows.
    app.on_key(KeyEvent::from(KeyCode::Up));
    assert_eq!(app.queued_count(), 3);
    let screen = common::text(&common::render(&app, 120, 30));
    assert!(screen.contains("3 waiting to save"), "{screen}");
    app.on_tick();
    assert_eq!(app.queued_count(), 3, "nothing applies while the lock is held");
    {
        let store = common::open(&db);
        assert_eq!(get_appointment(store.conn(), first).unwrap().status, AppointmentStatus::Booked);
    }

    lock.release();
    app.on_tick();
    assert_eq!(app.queued_count(), 0);
    let store = common::open(&db);
    assert_eq!(get_appointment(store.conn(), first).unwrap().status, AppointmentStatus::Arrived);
    assert_eq!(get_appointment(store.conn(), second).unwrap().status, AppointmentStatus::Done);
    let changes: Vec<(String, String)> = store
        .conn()
        .prepare("SELECT from_status, to_status FROM appointment_status_changes WHERE appointment_id = ?1 ORDER BY id")
        .unwrap()
        .query_map([second], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        changes,
        [("booked".to_string(), "arrived".to_string()), ("arrived".to_string(), "done".to_string())],
        "in the order they were pressed"
    );
    let screen = common::text(&common::render(&app, 120, 30));
    assert!(!screen.contains("waiting to save"), "{screen}");
}

#[test]
fn arrived_pressed_during_the_lock_is_applied_by_itself_when_it_is_released() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    let (first, _) = clinic(&db);
    let mut pty =
        Pty::spawn(BIN, &["--db", db.to_str().unwrap(), "--lang", "en"], 120, 30, &[("LANG", "en_US.UTF-8")]);
    pty.wait_for("Booked 2", 15);
    let mut lock = WriteLock::hold(&db);
    pty.send("a");
    pty.wait_for("Another terminal holds the database for writing: 1 action waiting", 10);
    pty.wait_for("1 waiting to save", 5);
    {
        let store = common::open(&db);
        assert_eq!(get_appointment(store.conn(), first).unwrap().status, AppointmentStatus::Booked);
    }
    lock.release();
    // No key pressed: the tick applies it.
    pty.wait_for("Arrived 1", 10);
    pty.wait_for("Saved 1 waiting action", 5);
    {
        let store = common::open(&db);
        assert_eq!(get_appointment(store.conn(), first).unwrap().status, AppointmentStatus::Arrived);
    }
    pty.send("q");
    assert!(pty.wait_exit(10).success());
}

#[test]
fn an_import_checks_every_row_before_it_waits_for_the_lock() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    clinic(&db);
    let csv = dir.path().join("appointments.csv");
    std::fs::write(
        &csv,
        "chart_no,start,duration_min,provider,treatment,status,booked_at\n\
         000001,2026-11-24 10:00,30,,,,\n\
         999999,2026-11-24 11:00,30,,,,\n",
    )
    .unwrap();
    let _lock = WriteLock::hold(&db);
    // The bad row is found without the lock: the command ends at once, lock still held.
    let out = frontdesk(&db).args(["import", "appointments", csv.to_str().unwrap()]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    // A bad row is a problem found in the data: status 1 (issue 22 item 6).
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("line 3, column chart_no: '999999' is not a chart number"), "{stderr}");
    assert!(!stderr.contains("waiting"), "{stderr}");
}

#[test]
fn rows_of_one_file_may_refer_to_earlier_rows_and_a_change_made_meanwhile_is_checked_again() {
    use frontdesk::domain::import::CsvKind;
    use frontdesk::store::csv_io;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    clinic(&db);
    let mut store = common::open(&db);
    let now = common::fixed_now();

    // A referrer registered two lines up; consultations of one new person by phone.
    let patients = "chart_no,name,phone,birth_date,sex,first_visit,referral_source,referrer_chart_no,tags,note\n\
                    100001,이몽룡,010-3000-0001,,,,,,,\n\
                    100002,성춘향,010-3000-0002,,,,referral,100001,prospect,소개로 옴\n";
    let n = csv_io::import(&mut store, CsvKind::Patients, "p.csv", patients, false, now).unwrap();
    assert_eq!(n, 2);
    let (referrer, referred): (i64, Option<i64>) = store
        .conn()
        .query_row(
            "SELECT a.id, b.referrer_id FROM patients a, patients b WHERE a.chart_no = '100001' AND b.chart_no = '100002'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(referred, Some(referrer));
    let consultations = "chart_no,name,phone,consulted_at,treatment,quoted_krw,offered_krw,status,recall_on,reaction,note\n\
                         ,변학도,010-4000-0001,2026-11-20 10:00,,,,,2026-12-01,,\n\
                         ,변학도,010-4000-0001,2026-11-21 10:00,,,,,,,\n";
    csv_io::import(&mut store, CsvKind::Consultations, "c.csv", consultations, false, now).unwrap();
    let people: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM patients WHERE phone_digits = '01040000001'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(people, 1, "the second row finds the person the first registered");

    // Checked without the lock; another terminal registers the same chart number before the
    // write: the rows are checked again inside the lock and nothing is written.
    let more = "chart_no,name,phone,birth_date,sex,first_visit,referral_source,referrer_chart_no,tags,note\n\
                200001,임꺽정,,,,,,,,\n\
                200002,장길산,,,,,,,,\n";
    let prepared = csv_io::prepare(&store, CsvKind::Patients, "more.csv", more).unwrap();
    assert_eq!(prepared.len(), 2);
    {
        let mut other = common::open(&db);
        other
            .write(|tx| {
                frontdesk::store::patients::insert_patient(
                    tx,
                    &NewPatient { chart_no: "200002".into(), name: "홍길순".into(), ..Default::default() },
                )
            })
            .unwrap();
    }
    let err = csv_io::write_prepared(&mut store, prepared, now).unwrap_err().to_string();
    assert!(err.contains("line 3, column chart_no: '200002' already exists"), "{err}");
    let n: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM patients WHERE chart_no IN ('200001', '200002')", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1, "all or nothing: only the other terminal's patient");
}

#[test]
fn a_settings_save_during_the_lock_keeps_its_form_and_is_saved_by_itself_after() {
    use crossterm::event::KeyModifiers;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    clinic(&db);
    let mut app = App::new(common::open(&db), common::options(Lang::En, TabId::Today)).unwrap();
    app.on_key(KeyEvent::new(KeyCode::Char('o'), KeyModifiers::CONTROL));
    app.on_key(KeyEvent::from(KeyCode::Right)); // staff
    app.on_key(key('n'));
    for c in "Dr Park".chars() {
        app.on_key(key(c));
    }
    app.on_key(KeyEvent::from(KeyCode::Tab));
    app.on_key(key('1')); // Director (d is shared with Desk)

    let mut lock = WriteLock::hold(&db);
    app.on_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    let screen = common::text(&common::render(&app, 120, 40));
    assert!(screen.contains("another terminal holds the database for writing"), "{screen}");
    assert!(screen.contains("Dr Park"), "the form is kept: {screen}");
    assert!(app.waiting_to_save());
    app.on_tick();
    assert!(app.waiting_to_save(), "still held: still waiting");

    lock.release();
    app.on_tick();
    assert!(!app.waiting_to_save());
    let n: i64 = app
        .store
        .conn()
        .query_row("SELECT count(*) FROM staff WHERE name = 'Dr Park'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1, "saved without another key press");
}

#[test]
fn quitting_with_actions_still_waiting_asks_first() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    let (first, _) = clinic(&db);
    let mut app = App::new(common::open(&db), common::options(Lang::En, TabId::Today)).unwrap();
    let mut lock = WriteLock::hold(&db);
    app.on_key(key('a'));
    app.on_key(key('q'));
    assert!(!app.quit, "the waiting action is not dropped silently");
    let screen = common::text(&common::render(&app, 120, 30));
    assert!(screen.contains("1 action is still waiting to save"), "{screen}");
    // Released meanwhile: q saves what waited, then quits.
    lock.release();
    app.on_key(KeyEvent::from(KeyCode::Down));
    app.on_key(key('q'));
    assert!(app.quit);
    let store = common::open(&db);
    assert_eq!(get_appointment(store.conn(), first).unwrap().status, AppointmentStatus::Arrived);

    // Held until the end: a second q quits without it.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    clinic(&db);
    let mut app = App::new(common::open(&db), common::options(Lang::En, TabId::Today)).unwrap();
    let _lock = WriteLock::hold(&db);
    app.on_key(key('a'));
    app.on_key(key('q'));
    assert!(!app.quit);
    app.on_key(key('q'));
    assert!(app.quit);
}

#[test]
fn a_large_import_counts_its_changes_for_the_seal_as_the_triggers_would() {
    use frontdesk::domain::import::CsvKind;
    use frontdesk::store::csv_io;
    const HEADER: &str =
        "chart_no,name,phone,birth_date,sex,first_visit,referral_source,referrer_chart_no,tags,note\n";
    let rows = |from: usize, to: usize| {
        let mut text = String::from(HEADER);
        for i in from..to {
            // Stickers, notes and first visits: rows in other tables and derived columns too.
            text.push_str(&format!(
                "{:06},환자{i},010-5{:03}-{:04},,,{},,,{},{}\n",
                500_000 + i,
                i / 1000,
                i % 10_000,
                if i % 3 == 0 { "2026-10-01" } else { "" },
                if i % 4 == 0 { "prospect" } else { "" },
                if i % 5 == 0 { "메모" } else { "" },
            ));
        }
        text
    };
    let n = csv_io::COUNT_CHANGES_FROM + 200;
    let changes = |store: &frontdesk::store::Store| -> i64 {
        store.conn().query_row("SELECT changes FROM integrity", [], |r| r.get(0)).unwrap()
    };
    let triggers = |store: &frontdesk::store::Store| -> i64 {
        store
            .conn()
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_count'",
                [],
                |r| r.get(0),
            )
            .unwrap()
    };
    let now = common::fixed_now();

    // One file above the threshold: counted by the import itself.
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.db");
    clinic(&a);
    let mut store_a = common::open(&a);
    let triggers_before = triggers(&store_a);
    csv_io::import(&mut store_a, CsvKind::Patients, "all.csv", &rows(0, n), false, now).unwrap();
    // The same rows in two files under it: counted by the triggers (one more summary row).
    let b = dir.path().join("b.db");
    clinic(&b);
    let mut store_b = common::open(&b);
    csv_io::import(&mut store_b, CsvKind::Patients, "1.csv", &rows(0, n / 2), false, now).unwrap();
    csv_io::import(&mut store_b, CsvKind::Patients, "2.csv", &rows(n / 2, n), false, now).unwrap();

    assert_eq!(changes(&store_a), changes(&store_b) - 1);
    assert_eq!(triggers(&store_a), triggers_before, "the counting triggers are back");
    let report = frontdesk::store::maintenance::check(&store_a).unwrap();
    assert!(report.ok, "{:?}", report.lines);
    // And they count again: a change made outside frontdesk after the import is caught.
    drop(store_a);
    let raw = rusqlite::Connection::open(&a).unwrap();
    raw.execute("UPDATE patients SET name = '바뀜' WHERE chart_no = '500001'", []).unwrap();
    drop(raw);
    let report = frontdesk::store::maintenance::check(&common::open(&a)).unwrap();
    assert!(!report.ok, "{:?}", report.lines);
}

#[test]
fn a_cancel_reason_and_a_card_payment_saved_during_the_lock_are_saved_by_themselves_after() {
    // Both say "saved by itself when it is done": the tick keeps that promise once the lock goes.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clinic.db");
    let (first, _) = clinic(&db);
    let mut app = App::new(common::open(&db), common::options(Lang::En, TabId::Today)).unwrap();
    let ctrl_s = KeyEvent::new(KeyCode::Char('s'), crossterm::event::KeyModifiers::CONTROL);

    // c on the 09:00 row, reason 3, Ctrl-S while another process holds the lock.
    app.on_key(key('c'));
    app.on_key(key('3'));
    let mut lock = WriteLock::hold(&db);
    app.on_key(ctrl_s);
    assert_eq!(get_appointment(app.store.conn(), first).unwrap().status, AppointmentStatus::Booked);
    assert!(app.tabs.today.reason.is_some(), "the reason step stays open");
    lock.release();
    app.on_tick();
    assert_eq!(get_appointment(app.store.conn(), first).unwrap().status, AppointmentStatus::Cancelled);
    app.on_key(key('n')); // rebook now? not now

    // The card's payment: Ctrl-F, the phone's last digits, Enter, w, the amount and category.
    app.on_key(KeyEvent::new(KeyCode::Char('f'), crossterm::event::KeyModifiers::CONTROL));
    for c in "5678".chars() {
        app.on_key(key(c));
    }
    app.on_key(KeyEvent::from(KeyCode::Enter));
    app.on_key(key('w'));
    for c in "490만원".chars() {
        app.on_key(key(c));
    }
    app.on_key(KeyEvent::from(KeyCode::Tab));
    app.on_key(key('2'));
    let mut lock = WriteLock::hold(&db);
    app.on_key(ctrl_s);
    let paid = |app: &App| -> i64 {
        app.store.conn().query_row("SELECT count(*) FROM payments", [], |r| r.get(0)).unwrap()
    };
    assert_eq!(paid(&app), 0, "nothing half-written");
    assert!(app.card.as_ref().unwrap().money.pay.is_some(), "the form stays open");
    lock.release();
    app.on_tick();
    assert_eq!(paid(&app), 1, "saved by itself once the lock is gone");
    assert!(app.card.as_ref().unwrap().money.pay.is_none());
}
