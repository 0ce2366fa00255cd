//! The small clinic the desk tests start from: 홍길동 with his visit today at 09:00 or his
//! visit of last week, and the hand-counted payments of the revenue tests.

use chrono::{NaiveDate, NaiveTime};
use frontdesk::app::App;
use frontdesk::domain::payments::PaymentCategory;
use frontdesk::domain::{AppointmentStatus, Role, Sex};
use frontdesk::store::appointments::{NewAppointment, insert_appointment, set_status};
use frontdesk::store::patients::{NewPatient, insert_patient};
use frontdesk::store::payments::{NewPayment, insert_payment};
use frontdesk::store::settings::add_staff;
use frontdesk::store::{self, Store, Tx};

use super::{at, fixed_now};

/// Adds a male patient with this name and phone.
pub fn patient(tx: &Tx<'_>, name: &str, phone: &str) -> store::Result<i64> {
    let p = NewPatient { name: name.into(), phone: phone.into(), sex: Some(Sex::M), ..Default::default() };
    insert_patient(tx, &p)
}

/// Adds 홍길동 (010-1234-5678, male): chart 000001 in a fresh database.
pub fn hong(tx: &Tx<'_>) -> store::Result<i64> {
    patient(tx, "홍길동", "010-1234-5678")
}

/// Adds 홍길동 and his visit today at 09:00, 30 minutes of 추나 with `provider`:
/// (the patient, the appointment).
pub fn hong_at_nine(tx: &Tx<'_>, provider: i64) -> store::Result<(i64, i64)> {
    let patient = hong(tx)?;
    let appt = insert_appointment(
        tx,
        &NewAppointment {
            patient_id: patient,
            start: fixed_now().date().and_time(hm(9, 0)),
            duration_min: 30,
            provider_id: Some(provider),
            treatment_code: Some("chuna".into()),
        },
    )?;
    Ok((patient, appt))
}

/// The hand-counted revenue: directors 1 가상김원장 and 2 가상이원장, patients 1 A (가상가)
/// and 2 B (가상나), and these payments: 10-30 A 100,000 비급여 chuna 김 (October);
/// 11-02 A 50,000 비급여 chuna 김; 11-02 B 30,000 자보 (no treatment, no provider);
/// 11-03 A 40,000 급여 acupuncture 이; 11-05 A -20,000 비급여 chuna 김 (a refund of
/// payment 2); 12-01 B 10,000 급여 acupuncture 이.
/// November by category: 비급여 30,000 (2 payments, refunds -20,000), 자보 30,000,
/// 급여 40,000; total 100,000.
pub fn hand_counted_revenue(store: &mut Store) {
    store
        .write(|tx| {
            tx.execute_batch(
                "INSERT INTO staff (id, name, role) VALUES (1, '가상김원장', 'director'), (2, '가상이원장', 'director');
                 INSERT INTO patients (id, chart_no, name, created_at) VALUES
                   (1, 'A1', '가상가', '2026-10-01T09:00:00'), (2, 'B2', '가상나', '2026-10-01T09:00:00');",
            )?;
            Ok(())
        })
        .unwrap();
    use PaymentCategory::*;
    for (pid, (m, d), amount, cat, treatment, provider) in [
        (1, (10, 30), 100_000, NonCovered, Some("chuna"), Some(1)),
        (1, (11, 2), 50_000, NonCovered, Some("chuna"), Some(1)),
        (2, (11, 2), 30_000, CarInsurance, None, None),
        (1, (11, 3), 40_000, Covered, Some("acupuncture"), Some(2)),
        (1, (11, 5), -20_000, NonCovered, Some("chuna"), Some(1)),
        (2, (12, 1), 10_000, Covered, Some("acupuncture"), Some(2)),
    ] {
        let mut p = NewPayment::new(pid, at(2026, m, d, 13, 0), amount, cat);
        p.treatment_code = treatment.map(String::from);
        p.provider_id = provider;
        if amount < 0 {
            p.reason = "환불".into();
            p.corrects_id = Some(2);
        }
        store.write(|tx| insert_payment(tx, &p)).unwrap();
    }
}

/// A day of November 2026, the month of the fixed clock.
pub fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

pub fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

/// The directors and the returning patient of the booking tests.
pub struct Returning {
    pub kim: i64,
    pub park: i64,
    pub hong: i64,
}

/// 김원장 and 박원장; 홍길동 (chart 000001) came once: 2026-11-16 at 10:00, 40 minutes of 추나
/// with 박원장.
pub fn hong_came_once(tx: &Tx<'_>) -> store::Result<Returning> {
    let kim = add_staff(tx, "김원장", Role::Director)?;
    let park = add_staff(tx, "박원장", Role::Director)?;
    let hong = hong(tx)?;
    let past = insert_appointment(
        tx,
        &NewAppointment {
            patient_id: hong,
            start: day(16).and_time(hm(10, 0)),
            duration_min: 40,
            provider_id: Some(park),
            treatment_code: Some("chuna".into()),
        },
    )?;
    set_status(tx, past, AppointmentStatus::Done)?;
    Ok(Returning { kim, park, hong })
}

/// The patient's booked visits, earliest first: (start, provider, treatment, minutes).
pub fn bookings_of(app: &App, patient: i64) -> Vec<(String, Option<i64>, Option<String>, i64)> {
    let mut stmt = app
        .store
        .conn()
        .prepare(
            "SELECT start, provider_id, treatment_code, duration_min FROM appointments
             WHERE patient_id = ?1 AND status = 'booked' ORDER BY start",
        )
        .unwrap();
    stmt.query_map([patient], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}
