//! The real catalogue in data/: it validates, and it is big, broad and well sourced enough
//! to be useful. These tests read the real files and never write to data/ or index/.

use std::collections::HashMap;
use std::fs;

use crate::util::{Catalogue, real_data};
use migdev::Record;
use migdev::record::SourceKind;

/// Every record file of the real catalogue, parsed on its own (so one broken file does not
/// hide the others), as (id, record), sorted by id.
fn records() -> Vec<(String, Record)> {
    let dir = real_data().join("programmes");
    let mut records: Vec<(String, Record)> = fs::read_dir(&dir)
        .expect("read data/programmes")
        .map(|item| item.expect("list data/programmes").path())
        .filter(|path| {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            !name.starts_with('.') && path.extension().is_some_and(|e| e == "toml")
        })
        .map(|path| {
            let text = fs::read_to_string(&path).expect("read a record");
            let record: Record = toml::from_str(&text)
                .unwrap_or_else(|e| panic!("{} does not parse: {e}", path.display()));
            let id = path.file_stem().unwrap().to_string_lossy().into_owned();
            (id, record)
        })
        .collect();
    records.sort_by(|a, b| a.0.cmp(&b.0));
    records
}

/// Runs `migdev --data <real data> --index <temp> ARGS` from a temporary folder, so the
/// real index is never touched.
fn run_on_real_data(scratch: &Catalogue, args: &[&str]) -> crate::util::Output {
    scratch
        .command()
        .arg("--data")
        .arg(real_data())
        .arg("--index")
        .arg(scratch.root().join("index"))
        .args(args)
        .run()
}

#[test]
fn real_catalogue_validates_without_problems() {
    let scratch = Catalogue::bare();
    let out = run_on_real_data(&scratch, &["validate"]);
    out.assert_code(0).assert_stdout("");
    // The only advice allowed is about the few sources no original could be found for.
    let last = out.stderr.lines().last().unwrap_or("");
    assert!(
        last.contains(": no problems") && !out.stderr.contains("problems found"),
        "{out:?}"
    );
    for line in out
        .stderr
        .lines()
        .filter(|l| !l.starts_with("  hint: ") && *l != last)
    {
        assert!(line.contains(": warning: source "), "unexpected: {line}");
    }
}

#[test]
fn real_catalogue_has_at_least_260_records() {
    let count = records().len();
    assert!(count >= 260, "only {count} records");
}

#[test]
fn every_sector_is_the_primary_sector_of_at_least_18_records() {
    let records = records();
    let mut primary: HashMap<&str, usize> = HashMap::new();
    for (_, record) in &records {
        if let Some(first) = record.sectors.first() {
            *primary.entry(first.as_str()).or_default() += 1;
        }
    }
    let thin: Vec<String> = crate::util::sector_slugs()
        .into_iter()
        .map(|slug| {
            let n = primary.get(slug.as_str()).copied().unwrap_or(0);
            (slug, n)
        })
        .filter(|(_, n)| *n < 18)
        .map(|(slug, n)| format!("{slug}: {n}"))
        .collect();
    assert!(
        thin.is_empty(),
        "sectors with fewer than 18 primary records: {thin:?}"
    );
}

#[test]
fn every_un_region_appears_in_at_least_10_records() {
    let scratch = Catalogue::bare();
    let mut thin = Vec::new();
    for region in ["Africa", "Americas", "Asia", "Europe", "Oceania"] {
        let out = run_on_real_data(
            &scratch,
            &[
                "search", "--region", region, "--limit", "1000", "--format", "ids",
            ],
        );
        out.assert_code(0);
        let rows = out.ids().len();
        assert_eq!(out.total(), Some(rows), "rows and count disagree:{out:?}");
        if rows < 10 {
            thin.push(format!("{region}: {rows}"));
        }
    }
    assert!(
        thin.is_empty(),
        "regions in fewer than 10 records: {thin:?}"
    );
}

#[test]
fn every_record_has_sources_with_a_title_and_a_publisher() {
    let mut bad = Vec::new();
    for (id, record) in records() {
        if record.sources.is_empty() {
            bad.push(format!("{id}: no sources"));
        }
        for (i, source) in record.sources.iter().enumerate() {
            if source.title.trim().is_empty() || source.publisher.trim().is_empty() {
                bad.push(format!("{id}: source {} lacks a title or publisher", i + 1));
            }
        }
    }
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn no_two_records_share_a_title() {
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut clashes = Vec::new();
    for (id, record) in records() {
        let key = migdev::text::fold(&record.title);
        if let Some(first) = seen.get(&key) {
            clashes.push(format!("{first} and {id}: {:?}", record.title));
        } else {
            seen.insert(key, id);
        }
    }
    assert!(clashes.is_empty(), "{clashes:#?}");
}

#[test]
fn every_source_url_is_an_http_address() {
    let mut bad = Vec::new();
    for (id, record) in records() {
        for (i, source) in record.sources.iter().enumerate() {
            let Some(address) = &source.url else {
                continue;
            };
            let ok = url::Url::parse(address)
                .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
            if !ok {
                bad.push(format!("{id}: source {}: {address}", i + 1));
            }
        }
    }
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn no_summary_is_over_600_characters() {
    let long: Vec<String> = records()
        .into_iter()
        .map(|(id, record)| (id, record.summary.chars().count()))
        .filter(|(_, n)| *n > 600)
        .map(|(id, n)| format!("{id}: {n}"))
        .collect();
    assert!(long.is_empty(), "summaries over 600 characters: {long:#?}");
}

#[test]
fn every_thin_m49_region_is_touched_by_at_least_8_records() {
    let scratch = Catalogue::bare();
    let mut thin = Vec::new();
    for region in [
        "Central Asia",
        "Southern Africa",
        "Middle Africa",
        "Caribbean",
        "Eastern Asia",
    ] {
        let out = run_on_real_data(
            &scratch,
            &[
                "search", "--region", region, "--limit", "1000", "--format", "ids",
            ],
        );
        let found = out.stdout.lines().count();
        if found < 8 {
            thin.push(format!("{region}: {found}"));
        }
    }
    assert!(thin.is_empty(), "regions in fewer than 8 records: {thin:?}");
}

#[test]
fn at_least_30_records_began_in_2015_or_later() {
    let recent = records()
        .iter()
        .filter(|(_, r)| r.start_year.is_some_and(|y| y >= 2015))
        .count();
    assert!(recent >= 30, "only {recent} records began in 2015 or later");
}

#[test]
fn at_least_40_records_cite_an_evaluation_review_or_audit() {
    let evaluated = records()
        .iter()
        .filter(|(_, r)| r.sources.iter().any(|s| s.kind == SourceKind::Evaluation))
        .count();
    assert!(
        evaluated >= 40,
        "only {evaluated} records cite an evaluation"
    );
}

#[test]
fn most_records_with_two_or_more_countries_name_origin_or_destination() {
    let records = records();
    let multi: Vec<&(String, Record)> = records
        .iter()
        .filter(|(_, r)| r.countries.len() >= 2)
        .collect();
    let without: Vec<&str> = multi
        .iter()
        .filter(|(_, r)| r.origin.is_empty() && r.destination.is_empty())
        .map(|(id, _)| id.as_str())
        .collect();
    let with_roles = multi.len() - without.len();
    assert!(
        with_roles * 100 >= multi.len() * 85,
        "{with_roles} of {} multi-country records name roles; without: {without:?}",
        multi.len()
    );
}

#[test]
fn origins_and_destinations_lie_within_each_records_countries() {
    for (id, record) in records() {
        for code in record.origin.iter().chain(&record.destination) {
            assert!(
                record.countries.contains(code),
                "{id}: role {code} is not in countries {:?}",
                record.countries
            );
        }
    }
}

#[test]
fn at_most_10_source_addresses_are_on_document_sharing_hosts() {
    let copies: Vec<String> = records()
        .iter()
        .flat_map(|(id, r)| {
            r.sources
                .iter()
                .filter_map(|s| s.url.as_deref())
                .filter(|url| migdev::provenance::sharing_host(url).is_some())
                .map(move |url| format!("{id}: {url}"))
        })
        .collect();
    assert!(
        copies.len() <= 10,
        "{} copies as url: {copies:#?}",
        copies.len()
    );
}

#[test]
fn every_record_is_listed_under_its_file_name() {
    let scratch = Catalogue::bare();
    let out = run_on_real_data(
        &scratch,
        &["search", "--limit", "100000", "--format", "ids"],
    );
    out.assert_code(0);
    let mut listed: Vec<&str> = out.stdout.lines().collect();
    listed.sort_unstable();
    let files: Vec<String> = records().into_iter().map(|(id, _)| id).collect();
    assert_eq!(listed, files);
}
