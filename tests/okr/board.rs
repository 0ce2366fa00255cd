//! The board: each key result judged, objectives summed up, the shared board kept current.

use super::*;

#[test]
fn the_board_judges_each_key_result_and_sums_up_objectives() {
    let mut f = fixture();
    f.store.conn().execute("DELETE FROM objectives", []).unwrap();
    add_objective(
        &mut f.store,
        "예약 관리",
        &[
            // By 11-30 exactly 0.25 (2 ÷ 8) at an "at most 25%" target: met.
            ("부도율 25% 이하", "no_show_rate", Direction::AtMost, 0.25, None),
            // 0.5 against 0.8 from a 0.4 baseline: (0.5 − 0.4) ÷ (0.8 − 0.4) = 0.25, pace 1: off track.
            ("예약률 80% 이상", "booking_rate", Direction::AtLeast, 0.8, Some(0.4)),
        ],
    );
    add_objective(
        &mut f.store,
        "신환",
        &[
            // 3 of 5 by 11-23: progress 0.6; pace 19 of 25 opening days = 0.76: 16 points behind.
            ("신환 5명", "new_patients", Direction::AtLeast, 5.0, None),
        ],
    );
    let board = okr::board(f.store.conn(), nov(23), 8).unwrap();
    assert_eq!(board.len(), 2);
    let first = &board[0];
    // By 11-23 the no-shows are A4, A8 against A2 A3 A5 A7 A9 done: 2 ÷ 7 > 0.25, and with no
    // baseline an unmet "at most" has progress 0.
    let no_show = first.key_results[0].judgement;
    assert!(close(no_show.value, 2.0 / 7.0) && close(no_show.progress, 0.0), "{no_show:?}");
    assert_eq!(no_show.status, Status::OffTrack);
    let booking = first.key_results[1].judgement;
    // By 11-23 the booking rate is still 3 ÷ 5 (A11 on 11-25 is not yet there): 0.6.
    assert!(close(booking.value, 0.6));
    // (0.6 − 0.4) ÷ 0.4 = 0.5, pace 1: 50 points behind, off track.
    assert!(close(booking.progress, 0.5));
    assert_eq!(booking.status, Status::OffTrack);
    // The objective: mean (0 + 0.5) ÷ 2 = 0.25, worst status off track.
    assert!(close(first.progress, 0.25));
    assert_eq!(first.status, Status::OffTrack);
    // New patients by 11-23: P2, P3 = 2 -> 0.4 against a pace of 0.76: off track (36 points).
    let np = board[1].key_results[0].judgement;
    assert!(close(np.value, 2.0) && close(np.progress, 0.4) && (np.pace - 0.76).abs() < 1e-9, "{np:?}");
    assert_eq!(np.status, Status::OffTrack);
    // Eight weekly points, oldest first: 10-05 .. 10-26 are before the period, then 11-02,
    // 11-09, 11-16 and 11-23.
    let history = &board[1].key_results[0].history;
    assert_eq!(history, &vec![None, None, None, None, Some(0.0), Some(2.0), Some(2.0), Some(2.0)]);
    // At the end of the month: 3 of 5 against a pace of 1.
    let end = okr::board(f.store.conn(), nov(30), 0).unwrap();
    assert_eq!(end[1].key_results[0].judgement.value, Some(3.0));
    assert!(close(end[1].key_results[0].judgement.progress, 0.6));
    assert_eq!(end[1].key_results[0].judgement.pace, 1.0);
    // The no-show rate is now exactly 0.25: "at most 25%" is met, inclusive.
    assert_eq!(end[0].key_results[0].judgement.status, Status::Met);
    assert_eq!(end[0].key_results[0].judgement.progress, Some(1.0));
}

#[test]
fn the_shared_board_is_the_board_and_follows_every_change() {
    let f = fixture_with_board();
    let at = nov(23);
    // The app's board is judged during the day (rates through yesterday).
    let fresh = |at: NaiveDate, weeks: usize| okr::board_live(f.store.conn(), at, weeks).unwrap();
    let shared = |at: NaiveDate, weeks: usize| okr::shared_board(&f.store, at, weeks).unwrap();
    // The key results of "신환과 문의": new patients, then inquiries.
    let value = |board: Vec<okr::ObjectiveStatus>, kr: usize| {
        board.iter().find(|o| o.objective.title == "신환과 문의").unwrap().key_results[kr].judgement.value
    };
    // The OKR tab's board, then the huddle's (no history) and a shorter history from the same
    // computation: each the same as a board computed on its own.
    assert_eq!(shared(at, 8), fresh(at, 8));
    assert_eq!(shared(at, 0), fresh(at, 0));
    assert_eq!(shared(at, 2), fresh(at, 2));
    assert!(shared(at, 2).iter().flat_map(|o| &o.key_results).all(|k| k.history.len() == 2));
    // Another day is judged on its own.
    assert_eq!(shared(nov(30), 0), fresh(nov(30), 0));
    // New patients by 11-23 are P2 and P3; a change through this connection (P5, first done
    // visit 11-10) is seen at once.
    assert_eq!(value(shared(at, 0), 0), Some(2.0));
    let p5 = insert_patient(&f.store, "1005", "정하늘", "internet", None);
    insert_appointment(&f.store, p5, "2026-11-10T10:00:00", "done", "chuna", "2026-11-09T10:00:00");
    assert_eq!(value(shared(at, 0), 0), Some(3.0));
    // Inquiries by 11-23 are 5; one taken at another terminal (another connection) is seen too.
    assert_eq!(value(shared(at, 8), 1), Some(5.0));
    let other = open(&f.dir.path().join("clinic.db"));
    other
        .conn()
        .execute(
            "INSERT INTO inquiries (received_at, caller_name, topic_code, referral_source)
             VALUES ('2026-11-15T10:00:00', '한지민', 'chuna', 'internet')",
            [],
        )
        .unwrap();
    assert_eq!(value(shared(at, 8), 1), Some(6.0));
    assert_eq!(shared(at, 8), fresh(at, 8));
}
