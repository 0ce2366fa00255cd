//! End to end: the built binary in a pseudo-terminal runs a morning at the desk - a patient
//! arrives, is seen, and leaves with the next visit booked through the form.

mod common;

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use common::clinic::hong_at_nine;
use common::pty::Pty;
use frontdesk::domain::{AppointmentStatus, Role};
use frontdesk::store::appointments::{get_appointment, next_booking};
use frontdesk::store::settings::add_staff;

const BIN: &str = env!("CARGO_BIN_EXE_frontdesk");

/// The morning both tests start from: one director, one patient booked at 09:00 today for
/// chuna. The binary runs on the tests' fixed clock (FRONTDESK_NOW), so this day is its today.
struct Morning {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    today: NaiveDate,
    start: NaiveDateTime,
    patient: i64,
    appt: i64,
    director: i64,
}

fn morning() -> Morning {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.db");
    let today = common::fixed_now().date();
    let start = today.and_time(NaiveTime::from_hms_opt(9, 0, 0).unwrap());
    let (patient, appt, director) = common::open(&path)
        .write(|tx| {
            let director = add_staff(tx, "김원장", Role::Director)?;
            let (patient, appt) = hong_at_nine(tx, director)?;
            Ok((patient, appt, director))
        })
        .unwrap();
    Morning { _dir: dir, path, today, start, patient, appt, director }
}

impl Morning {
    /// The desk in English in a terminal `cols` x `rows`, with the day's booking on screen.
    fn desk(&self, cols: u16, rows: u16) -> Pty {
        let db = self.path.to_str().unwrap();
        let env = [("FRONTDESK_STAFF", "desk1"), ("LANG", "en_US.UTF-8")];
        let pty = Pty::spawn(BIN, &["--db", db, "--lang", "en"], cols, rows, &env);
        pty.wait_for("Booked 1", 15);
        pty
    }

    /// After the payment step: `y` to the offer, `1030` in the prefilled form (chuna: every 7
    /// days, the caret waits in the time field), Ctrl-S, then `q`; the binary exits cleanly.
    fn book_the_next_visit_at_1030_and_quit(&self, mut pty: Pty) {
        pty.wait_for("Book it now?", 5);
        pty.send("y");
        pty.wait_for("Book - 홍길동 (000001)", 5);
        pty.send("1030");
        pty.key("Ctrl-S");
        pty.wait_for("Booked: 홍길동", 5);
        pty.send("q");
        let status = pty.wait_exit(10);
        assert!(status.success(), "exit status {status:?}");
    }

    /// The visit is done and the next one is booked a week later at 10:30 with the same
    /// provider and treatment, as the database says.
    fn assert_done_and_next_visit_booked(&self) {
        let store = common::open(&self.path);
        assert_eq!(get_appointment(store.conn(), self.appt).unwrap().status, AppointmentStatus::Done);
        let next = next_booking(store.conn(), self.patient, self.start)
            .unwrap()
            .expect("the next visit is in the database");
        let at = NaiveTime::from_hms_opt(10, 30, 0).unwrap();
        assert_eq!(next.start, (self.today + Duration::days(7)).and_time(at));
        assert_eq!(next.provider_id, Some(self.director));
        assert_eq!(next.treatment_code.as_deref(), Some("chuna"));
    }
}

#[test]
fn arrive_done_book_the_next_visit_and_quit() {
    let day = morning();
    let mut pty = day.desk(100, 30);
    pty.wait_for("000001", 5);
    pty.send("a");
    pty.wait_for("Arrived 1", 5);
    pty.send("d");
    // The payment step comes first; Esc skips it.
    pty.wait_for("Payment - 홍길동", 5);
    pty.key("Esc");
    day.book_the_next_visit_at_1030_and_quit(pty);
    day.assert_done_and_next_visit_booked();
    let store = common::open(&day.path);
    assert!(frontdesk::store::payments::for_appointment(store.conn(), day.appt).unwrap().is_empty());
}

/// Keys: `d`, `490만원`, Tab, `2` (비급여), Ctrl-S, `y`, `1030`, Ctrl-S, `q`.
#[test]
fn done_payment_then_the_next_visit_in_the_terminal() {
    let day = morning();
    let mut pty = day.desk(80, 24);
    pty.send("d");
    pty.wait_for("Payment - 홍길동", 5);
    pty.send("490만원");
    pty.key("Tab");
    pty.send("2");
    pty.key("Ctrl-S");
    day.book_the_next_visit_at_1030_and_quit(pty);
    day.assert_done_and_next_visit_booked();
    let store = common::open(&day.path);
    let paid = frontdesk::store::payments::for_appointment(store.conn(), day.appt).unwrap();
    assert_eq!(paid.len(), 1);
    assert_eq!(paid[0].amount_krw, 4_900_000);
    assert_eq!(paid[0].category.code(), "non_covered");
    assert_eq!(paid[0].provider_id, Some(day.director));
    assert_eq!(paid[0].treatment_code.as_deref(), Some("chuna"));
}
