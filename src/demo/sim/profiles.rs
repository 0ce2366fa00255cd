//! The demo's fixed profiles: each treatment's course and price, and the weights of referral sources, channels and inquiry topics.

pub(super) fn treatment_profile(code: &str) -> (u32, f64, u32, (i64, i64), i64) {
    // (episode weight, continue chance, consultation weight, quote range, non-covered price per visit)
    match code {
        "chuna" => (48, 0.0, 14, (50, 120), 0),
        "acupuncture" => (30, 0.93, 0, (0, 0), 0),
        "car_insurance" => (11, 0.0, 0, (0, 0), 0),
        "pharmacopuncture" => (6, 0.0, 20, (24, 64), 30_000),
        "cupping" => (5, 0.72, 0, (0, 0), 10_000),
        "herbal" => (5, 0.55, 30, (35, 180), 0),
        "dochim" => (3, 0.0, 7, (30, 60), 40_000),
        "bee_venom" => (2, 0.0, 6, (24, 48), 30_000),
        "diet" => (2, 0.0, 12, (120, 340), 0),
        "gongjindan" => (1, 0.3, 10, (90, 340), 0),
        _ => (1, 0.6, 0, (0, 0), 0),
    }
}

/// Referral source weights for callers and patients (shares of 100).
pub(super) fn source_weight(code: &str, walk_in: bool) -> u32 {
    match (code, walk_in) {
        // An inquiry's source for a patient calling again; never drawn for a new person.
        ("existing_patient", _) => 0,
        ("referral", false) => 40,
        ("internet", false) => 25,
        ("signboard", false) => 10,
        ("magazine", false) => 10,
        ("sms", false) => 6,
        ("in_building", false) => 2,
        ("other", false) => 7,
        ("referral", true) => 46,
        ("signboard", true) => 28,
        ("in_building", true) => 8,
        ("internet", true) => 6,
        ("magazine", true) => 4,
        ("sms", true) => 2,
        ("other", true) => 6,
        _ => 1,
    }
}

pub(super) fn channel_weight(code: &str) -> u32 {
    match code {
        "naver_place" => 35,
        "naver_search" => 20,
        "blog" => 15,
        "instagram" => 10,
        "homepage" => 8,
        "community" => 7,
        "youtube" => 5,
        _ => 2,
    }
}

pub(super) fn inquiry_topic_weight(code: &str) -> u32 {
    match code {
        "chuna" => 25,
        "car_insurance" => 15,
        "diet" => 12,
        "herbal" => 12,
        "acupuncture" => 12,
        "pharmacopuncture" => 8,
        "gongjindan" => 5,
        "dochim" => 4,
        "bee_venom" => 3,
        "cupping" => 2,
        _ => 1,
    }
}
