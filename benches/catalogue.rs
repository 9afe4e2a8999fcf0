//! In-process timings of the work behind each command: full rebuild, the stale check,
//! searches of several shapes, facets and a CSV export of every record.
//!
//! Runs on the bundled catalogue, or on a synthetic one:
//!
//! ```text
//! cargo run --release --example synth -- --records 10000 --out target/bench/cat-10000
//! MIGDEV_BENCH_DATA=target/bench/cat-10000/data cargo bench --bench catalogue
//! ```
//!
//! Whole-process timings (start-up included) come from `benches/whole-process.sh`.

use std::path::PathBuf;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use migdev::build::Unobserved;
use migdev::export::{self, CsvOptions};
use migdev::facets::{self, By};
use migdev::search::{self, Request};
use migdev::storage::{self, stamps};
use migdev::{Paths, store};

/// The catalogue to measure and a throw-away index folder for it.
fn catalogue() -> (Paths, tempfile::TempDir) {
    let data = std::env::var_os("MIGDEV_BENCH_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data"));
    let index = tempfile::tempdir().expect("a temporary index folder");
    let paths = Paths {
        data,
        index: index.path().to_path_buf(),
    };
    store::rebuild(&paths, &Unobserved).expect("the catalogue indexes");
    (paths, index)
}

fn request(text: &str) -> Request {
    Request {
        text: text.to_string(),
        limit: Some(10),
        snippets: true,
        ..Request::default()
    }
}

fn benches(c: &mut Criterion) {
    let (paths, _index) = catalogue();
    let records = storage::open(&paths.index)
        .map(|o| o.manifest.record_count)
        .unwrap_or(0);
    let mut group = c.benchmark_group(format!("{records} records"));
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(8));

    group.bench_function("full rebuild", |b| {
        b.iter(|| store::rebuild(&paths, &Unobserved).expect("rebuild"))
    });
    group.bench_function("stale check", |b| {
        let opened = storage::open(&paths.index).expect("an index");
        b.iter(|| {
            let scan = stamps::scan(&paths).expect("scan");
            assert!(opened.changes_since(&scan).expect("stamps").is_empty());
        })
    });
    let opened = storage::open(&paths.index).expect("an index");
    let sectors = opened.manifest.sectors.clone();
    for (name, text) in [
        ("search one word", "remittances"),
        ("search two words", "diaspora investment"),
        ("search a phrase", "\"skills training\""),
        (
            "search a question",
            "how can governments lower the cost of sending remittances",
        ),
        ("search a typo", "remitances prices"),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| search::run(&opened, &paths, &request(text)).expect("search"))
        });
    }
    group.bench_function("search with a sector filter", |b| {
        let mut filtered = request("remittances");
        filtered.filters = search::FilterArgs {
            sectors: vec!["financial-services".into()],
            ..Default::default()
        }
        .resolve(&sectors)
        .expect("a real sector");
        b.iter(|| search::run(&opened, &paths, &filtered).expect("search"))
    });
    group.bench_function("facets by sector and region", |b| {
        let all = request("remittances");
        b.iter(|| {
            let (options, _) = all.options(&paths);
            let prepared =
                search::prepare(&opened, &all.text, &all.filters, &options).expect("a query");
            facets::count(&opened, &prepared, &[By::Sector, By::Region], 10).expect("facets")
        })
    });
    group.bench_function("csv export of every record", |b| {
        let every = Request::default();
        b.iter(|| {
            let results = search::run(&opened, &paths, &every).expect("search");
            export::write_csv(
                std::io::sink(),
                &results.hits,
                export::DEFAULT_COLUMNS,
                &sectors,
                CsvOptions::default(),
            )
            .expect("csv")
        })
    });
    group.finish();
}

criterion_group!(catalogue_benches, benches);
criterion_main!(catalogue_benches);
