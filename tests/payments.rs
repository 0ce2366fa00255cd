//! Payments (수납): recorded at the desk with the amount as people type it, refunds and
//! corrections as new rows with their reason (never edits), takings per category, audit rows.

mod common;

use common::{at, fixed_now, open};
use frontdesk::desk::payments::{self, PaymentForm};
use frontdesk::desk::{DeskError, Why};
use frontdesk::domain::Role;
use frontdesk::domain::payments::PaymentCategory;
use frontdesk::store::Store;
use frontdesk::store::appointments::{NewAppointment, insert_appointment};
use frontdesk::store::patients::{NewPatient, insert_patient};
use frontdesk::store::payments as store_pay;

fn patient(store: &mut Store, name: &str) -> i64 {
    store.write(|tx| insert_patient(tx, &NewPatient { name: name.into(), ..Default::default() })).unwrap()
}

fn form(pid: i64, amount: &str, category: Option<PaymentCategory>) -> PaymentForm {
    PaymentForm { amount: amount.into(), category, ..PaymentForm::new(pid, fixed_now()) }
}

fn audit_count(store: &Store, action: &str) -> i64 {
    store
        .conn()
        .query_row("SELECT count(*) FROM audit_log WHERE entity = 'payment' AND action = ?1", [action], |r| {
            r.get(0)
        })
        .unwrap()
}

#[test]
fn amounts_are_read_as_the_desk_types_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir.path().join("clinic.db"));
    let pid = patient(&mut store, "김수납");
    for (typed, won) in
        [("4,900,000", 4_900_000), ("490만", 4_900_000), ("490만원", 4_900_000), ("35000", 35_000)]
    {
        let id = payments::record_payment(&mut store, &form(pid, typed, Some(PaymentCategory::NonCovered)))
            .unwrap();
        let p = store_pay::get_payment(&store, id).unwrap().unwrap();
        assert_eq!(p.amount_krw, won, "{typed}");
        assert_eq!(p.category, PaymentCategory::NonCovered);
        assert_eq!(p.recorded_by, "desk1");
    }
    assert_eq!(audit_count(&store, "create"), 4);
}

#[test]
fn refusals_name_the_field_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir.path().join("clinic.db"));
    let pid = patient(&mut store, "김수납");
    type Case = (PaymentForm, &'static str, fn(&Why) -> bool);
    let cases: Vec<Case> = vec![
        (form(pid, "", Some(PaymentCategory::Covered)), "amount", |w| matches!(w, Why::Amount(_))),
        (form(pid, "사만원", Some(PaymentCategory::Covered)), "amount", |w| matches!(w, Why::Amount(_))),
        (form(pid, "-5000", Some(PaymentCategory::Covered)), "amount", |w| matches!(w, Why::Amount(_))),
        (form(pid, "0", Some(PaymentCategory::Covered)), "amount", |w| *w == Why::AmountZero),
        (form(pid, "5000", None), "category", |w| *w == Why::CategoryMissing),
    ];
    for (f, want_field, want_why) in cases {
        match payments::record_payment(&mut store, &f) {
            Err(DeskError::Field { field, why }) => {
                assert_eq!(field, want_field, "{:?}", f.amount);
                assert!(want_why(&why), "{why:?}");
                assert!(!why.words(frontdesk::domain::Lang::Ko).is_empty());
            }
            other => panic!("{:?}: {other:?}", f.amount),
        }
    }
    let no_patient = PaymentForm { patient_id: None, ..form(pid, "5000", Some(PaymentCategory::Covered)) };
    assert!(matches!(
        payments::record_payment(&mut store, &no_patient),
        Err(DeskError::Refused(Why::NoPatient))
    ));
    assert!(store_pay::for_patient(&store, pid).unwrap().is_empty());
    assert_eq!(audit_count(&store, "create"), 0);
}

#[test]
fn a_refund_is_a_new_negative_row_with_its_reason_and_never_more_than_was_paid() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir.path().join("clinic.db"));
    let pid = patient(&mut store, "김환불");
    let paid = payments::record_payment(&mut store, &form(pid, "100만원", Some(PaymentCategory::NonCovered)))
        .unwrap();
    let later = at(2026, 11, 24, 11, 0);
    // No reason: refused, nothing written.
    assert!(matches!(
        payments::refund(&mut store, paid, "30만", "  ", later),
        Err(DeskError::Field { field: "reason", why: Why::ReasonRequired })
    ));
    let r = payments::refund(&mut store, paid, "30만", "패키지 중도 해지", later).unwrap();
    let row = store_pay::get_payment(&store, r).unwrap().unwrap();
    assert_eq!(
        (row.amount_krw, row.corrects_id, row.reason.as_str()),
        (-300_000, Some(paid), "패키지 중도 해지")
    );
    assert_eq!(row.category, PaymentCategory::NonCovered);
    assert_eq!(store_pay::net_of(&store, paid).unwrap(), 700_000);
    // More than is left: refused with what is left.
    match payments::refund(&mut store, paid, "80만", "전액", later) {
        Err(DeskError::Field { field: "amount", why: Why::RefundTooLarge { left_krw } }) => {
            assert_eq!(left_krw, 700_000)
        }
        other => panic!("{other:?}"),
    }
    // A correction upward and downward, signed; a correction of a correction is refused.
    let c = payments::correct(&mut store, paid, "-50,000", "금액 오입력", later).unwrap();
    assert_eq!(store_pay::net_of(&store, paid).unwrap(), 650_000);
    assert!(matches!(
        payments::correct(&mut store, c, "10000", "다시", later),
        Err(DeskError::Refused(Why::CorrectTheOriginal))
    ));
    // The original row is unchanged; the takings are net.
    assert_eq!(store_pay::get_payment(&store, paid).unwrap().unwrap().amount_krw, 1_000_000);
    let t = store_pay::takings(&store, fixed_now().date(), later.date()).unwrap();
    assert_eq!((t.total_krw, t.rows), (650_000, 3));
    assert_eq!(audit_count(&store, "refund"), 2);
}

#[test]
fn payment_rows_are_never_edited_or_deleted_even_from_inside_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir.path().join("clinic.db"));
    let pid = patient(&mut store, "김불변");
    let id = payments::record_payment(&mut store, &form(pid, "1만", Some(PaymentCategory::Covered))).unwrap();
    let upd = store.write(|tx| Ok(tx.execute("UPDATE payments SET amount_krw = 1 WHERE id = ?1", [id])?));
    assert!(upd.is_err());
    let del = store.write(|tx| Ok(tx.execute("DELETE FROM payments WHERE id = ?1", [id])?));
    assert!(del.is_err());
    // A negative row without a reason is refused by the schema too.
    let raw = store.write(|tx| {
        Ok(tx.execute(
            "INSERT INTO payments (patient_id, paid_at, amount_krw, category, recorded_at) VALUES (?1, '2026-11-23T10:00:00', -5, 'other', '')",
            [pid],
        )?)
    });
    assert!(raw.is_err());
    assert_eq!(store_pay::get_payment(&store, id).unwrap().unwrap().amount_krw, 10_000);
}

#[test]
fn checkout_prefills_the_visits_treatment_and_provider_and_takings_split_by_category() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir.path().join("clinic.db"));
    let pid = patient(&mut store, "박치료");
    let doc = store.write(|tx| frontdesk::store::settings::add_staff(tx, "김원장", Role::Director)).unwrap();
    let visit = store
        .write(|tx| {
            insert_appointment(
                tx,
                &NewAppointment {
                    patient_id: pid,
                    start: at(2026, 11, 23, 9, 0),
                    duration_min: 30,
                    provider_id: Some(doc),
                    treatment_code: Some("chuna".into()),
                },
            )
        })
        .unwrap();
    let mut f = payments::form_for_visit(&store, visit, fixed_now()).unwrap();
    assert_eq!(
        (f.patient_id, f.provider_id, f.treatment_code.as_deref()),
        (Some(pid), Some(doc), Some("chuna"))
    );
    assert_eq!(f.appointment_id, Some(visit));
    f.amount = "2만 5천".into();
    f.category = Some(PaymentCategory::Covered);
    payments::record_payment(&mut store, &f).unwrap();
    f.amount = "12만원".into();
    f.category = Some(PaymentCategory::NonCovered);
    payments::record_payment(&mut store, &f).unwrap();
    // Another day's payment is not today's takings.
    let mut other = form(pid, "7만", Some(PaymentCategory::CarInsurance));
    other.paid_at = at(2026, 11, 22, 17, 0);
    payments::record_payment(&mut store, &other).unwrap();
    let today = store_pay::takings(&store, fixed_now().date(), fixed_now().date()).unwrap();
    assert_eq!(today.total_krw, 145_000);
    assert_eq!(
        today.by_category,
        vec![
            (PaymentCategory::Covered, 25_000),
            (PaymentCategory::NonCovered, 120_000),
            (PaymentCategory::CarInsurance, 0),
            (PaymentCategory::Other, 0)
        ]
    );
    assert_eq!(store_pay::for_appointment(&store, visit).unwrap().len(), 2);
}
