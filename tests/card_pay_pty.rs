//! End to end: the built binary in a pseudo-terminal. From Today, Enter opens the patient's
//! card; `w` 490만원 Tab 2 Ctrl-S records the payment (비급여, the visit's treatment and
//! provider); `r` Tab reason Ctrl-S refunds it in full as a new row; Esc closes the card.

mod common;

use common::pty::Pty;
use frontdesk::domain::payments::PaymentCategory;
use frontdesk::domain::{AppointmentStatus, Role};
use frontdesk::store::appointments::set_status;
use frontdesk::store::payments::for_patient;
use frontdesk::store::settings::add_staff;

const BIN: &str = env!("CARGO_BIN_EXE_frontdesk");

#[test]
fn pay_from_the_card_then_refund_it_and_quit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.db");
    let (patient, appt, director) = {
        let mut store = common::open(&path);
        store
            .write(|tx| {
                let director = add_staff(tx, "김원장", Role::Director)?;
                let (patient, appt) = common::clinic::hong_at_nine(tx, director)?;
                set_status(tx, appt, AppointmentStatus::Done)?;
                Ok((patient, appt, director))
            })
            .unwrap()
    };
    let db = path.to_str().unwrap();
    let mut pty = Pty::spawn(
        BIN,
        &["--db", db, "--lang", "en"],
        100,
        60,
        &[("FRONTDESK_STAFF", "desk1"), ("LANG", "en_US.UTF-8")],
    );
    pty.wait_for("000001", 15);
    pty.key("Enter");
    pty.wait_for("Patient card", 5);
    pty.wait_for("Visits (1)", 5);
    pty.send("w");
    pty.wait_for("Payment - 홍길동", 5);
    pty.send("490만원");
    pty.key("Tab");
    pty.send("2");
    pty.key("Ctrl-S");
    pty.wait_for("Paid 4,900,000 won", 5);
    pty.wait_for("Payments (1) total 4,900,000 won", 5);
    pty.send("r");
    pty.wait_for("Refund (recorded as a new row)", 5);
    pty.key("Tab");
    pty.send("charged twice");
    pty.key("Ctrl-S");
    pty.wait_for("Refund of 4,900,000 recorded", 5);
    pty.wait_for("Payments (2) total 0 won", 5);
    // Esc on an untouched form closes it; Esc on the card closes the card; q quits.
    pty.send("w");
    pty.wait_for("Payment - 홍길동", 5);
    pty.key("Esc");
    pty.key("Esc");
    pty.send("q");
    let status = pty.wait_exit(10);
    assert!(status.success(), "exit status {status:?}");

    let store = common::open(&path);
    let mut rows = for_patient(store.conn(), patient).unwrap();
    rows.sort_by_key(|p| p.id);
    assert_eq!(rows.len(), 2, "the payment and its refund, nothing from the closed form");
    assert_eq!(
        (rows[0].amount_krw, rows[0].category, rows[0].provider_id, rows[0].appointment_id),
        (4_900_000, PaymentCategory::NonCovered, Some(director), Some(appt))
    );
    assert_eq!(rows[0].treatment_code.as_deref(), Some("chuna"));
    assert_eq!((rows[1].amount_krw, rows[1].corrects_id), (-4_900_000, Some(rows[0].id)));
    assert_eq!(rows[1].reason, "charged twice");
}
