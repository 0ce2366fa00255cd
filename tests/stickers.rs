//! Sticker suggestions (issue 21 item 5): 고가환자 for the top 20% by twelve-month spending,
//! 소개환자 from the number of referred patients (a setting); accept or dismiss, audited;
//! nothing tagged without the desk deciding.

mod common;

use common::*;
use frontdesk::desk::stickers::{accept_sticker, dismiss_sticker, set_referrer_threshold};
use frontdesk::domain::Tag;
use frontdesk::domain::payments::PaymentCategory;
use frontdesk::store::Store;
use frontdesk::store::payments::{NewPayment, insert_payment};
use frontdesk::store::stickers::{SuggestedBecause, suggestions, suggestions_for};
use rusqlite::params;

/// Patients 1..=10 paid 100,000 × their id within the year; patient 11 paid 5,000,000 two
/// years ago (outside twelve months); patient 1 referred patients 2, 3 and 4.
fn clinic(dir: &tempfile::TempDir) -> Store {
    let mut store = open(&dir.path().join("clinic.db"));
    store
        .write(|tx| {
            for id in 1..=11 {
                tx.execute(
                    "INSERT INTO patients (id, chart_no, name, created_at, referrer_id) VALUES (?1, ?2, ?3, '2024-01-01T09:00:00', ?4)",
                    params![id, format!("C{id}"), format!("가상{id}"), if (2..=4).contains(&id) { Some(1) } else { None }],
                )?;
            }
            Ok(())
        })
        .unwrap();
    for id in 1..=10 {
        let p = NewPayment::new(id, at(2026, 6, 1, 10, 0), id * 100_000, PaymentCategory::NonCovered);
        store.write(|tx| insert_payment(tx, &p)).unwrap();
    }
    let p = NewPayment::new(11, at(2024, 11, 1, 10, 0), 5_000_000, PaymentCategory::NonCovered);
    store.write(|tx| insert_payment(tx, &p)).unwrap();
    store
}

fn listed(store: &Store) -> Vec<(i64, Tag)> {
    suggestions(store, fixed_now().date()).unwrap().iter().map(|s| (s.patient_id, s.tag)).collect()
}

fn tags(store: &Store) -> i64 {
    store.conn().query_row("SELECT count(*) FROM patient_tags", [], |r| r.get(0)).unwrap()
}

#[test]
fn the_top_fifth_by_spending_and_a_referrer_of_three_are_suggested_and_nothing_is_tagged() {
    let dir = tempfile::tempdir().unwrap();
    let store = clinic(&dir);
    assert_eq!(listed(&store), vec![(1, Tag::Referrer), (9, Tag::HighValue), (10, Tag::HighValue)]);
    let card = suggestions_for(&store, 10, fixed_now().date()).unwrap();
    assert_eq!(card[0].because, SuggestedBecause::Spending { krw: 1_000_000 });
    let card = suggestions_for(&store, 1, fixed_now().date()).unwrap();
    assert_eq!(card[0].because, SuggestedBecause::Referred { patients: 3 });
    assert_eq!(tags(&store), 0, "nothing is tagged without the desk deciding");
}

#[test]
fn the_referrer_threshold_is_a_setting() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = clinic(&dir);
    set_referrer_threshold(&mut store, 4).unwrap();
    assert!(!listed(&store).contains(&(1, Tag::Referrer)));
    set_referrer_threshold(&mut store, 2).unwrap();
    assert!(listed(&store).contains(&(1, Tag::Referrer)));
    assert!(set_referrer_threshold(&mut store, 0).is_err());
}

#[test]
fn accepting_puts_the_sticker_on_and_dismissing_is_remembered_both_audited() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = clinic(&dir);
    accept_sticker(&mut store, 10, Tag::HighValue).unwrap();
    let on: Vec<Tag> = frontdesk::store::tags::patient_tags(store.conn(), 10).unwrap();
    assert_eq!(on, vec![Tag::HighValue]);
    dismiss_sticker(&mut store, 1, Tag::Referrer).unwrap();
    assert_eq!(listed(&store), vec![(9, Tag::HighValue)]);
    // Still dismissed after another referral.
    store
        .write(|tx| {
            Ok(tx.execute(
                "INSERT INTO patients (id, chart_no, name, created_at, referrer_id) VALUES (20, 'C20', '가상20', '2026-11-01T09:00:00', 1)",
                [],
            )?)
        })
        .unwrap();
    assert!(!listed(&store).contains(&(1, Tag::Referrer)));
    let audited: Vec<String> = store
        .conn()
        .prepare("SELECT action FROM audit_log WHERE entity = 'sticker_suggestion' ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(audited, vec!["accept", "dismiss"]);
}
