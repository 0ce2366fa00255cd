//! How long `frontdesk import` holds the write lock: 100,000 patients, each with a phone,
//! birth date, sex and referral source (one in ten with a sticker, one in twenty with a
//! note), written into a set-up clinic. The rows are read and checked before the lock is
//! taken (`import_prepare_100k_patients`, no lock); `import_lock_100k_patients` times the
//! write alone, from `BEGIN IMMEDIATE` to the commit. Target: docs/PERFORMANCE.md (≤ 3 s).
//!
//!     cargo bench --bench import_lock

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use frontdesk::domain::import::CsvKind;
use frontdesk::store::{Access, Actor, Clock, Store, csv_io};

const ROWS: usize = 100_000;

fn now() -> chrono::NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap().and_hms_opt(9, 20, 0).unwrap()
}

fn patients_csv() -> String {
    let mut text = String::from(
        "chart_no,name,phone,birth_date,sex,first_visit,referral_source,referrer_chart_no,tags,note\n",
    );
    let sources = ["signboard", "referral", "internet", "in_building", ""];
    for i in 0..ROWS {
        let tags = if i % 10 == 0 { "prospect" } else { "" };
        let note = if i % 20 == 0 { "이전 시스템에서 옮김" } else { "" };
        text.push_str(&format!(
            "{:06},환자{i},010-{:04}-{:04},19{:02}-{:02}-{:02},{},,{},,{tags},{note}\n",
            i + 1,
            1000 + i / 10_000,
            i % 10_000,
            40 + i % 60,
            1 + i % 12,
            1 + i % 28,
            if i % 2 == 0 { "F" } else { "M" },
            sources[i % sources.len()],
        ));
    }
    text
}

fn open(path: &std::path::Path) -> Store {
    Store::open_with_clock(path, Access::ReadWrite, Actor::named("bench"), Clock::Fixed(now())).unwrap()
}

fn import_lock(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base.db");
    drop(open(&base)); // a new clinic, catalogs seeded; closing checkpoints the WAL
    let text = patients_csv();
    let fresh = || {
        let path = dir.path().join("clinic.db");
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
        std::fs::copy(&base, &path).unwrap();
        open(&path)
    };
    let mut group = c.benchmark_group("import");
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(20));
    group.bench_function("import_prepare_100k_patients", |b| {
        b.iter_batched(
            fresh,
            |store| {
                black_box(csv_io::prepare(&store, CsvKind::Patients, "patients.csv", &text).unwrap().len())
            },
            BatchSize::PerIteration,
        )
    });
    group.bench_function("import_lock_100k_patients", |b| {
        b.iter_batched(
            || {
                let store = fresh();
                let prepared = csv_io::prepare(&store, CsvKind::Patients, "patients.csv", &text).unwrap();
                (store, prepared)
            },
            |(mut store, prepared)| {
                let n = csv_io::write_prepared(&mut store, prepared, now()).unwrap();
                assert_eq!(n.written, ROWS);
                store
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, import_lock);
criterion_main!(benches);
