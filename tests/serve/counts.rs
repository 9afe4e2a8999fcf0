//! Facet counts of a search are kept for its other pages and sort orders, and recounted when
//! the index changes.

use std::time::{Duration, Instant};

use serde_json::Value;

use super::{Server, sample};
use crate::util::Rec;

/// The count of one sector in an answer's facets (0 when it is not listed).
fn sector_count(body: &Value, slug: &str) -> u64 {
    body["facets"]["sector"]
        .as_array()
        .unwrap_or_else(|| panic!("sector facet: {body}"))
        .iter()
        .find(|c| c["value"] == slug)
        .map_or(0, |c| c["count"].as_u64().unwrap_or_default())
}

#[test]
fn pages_and_sorts_of_a_search_share_its_counts_until_the_index_changes() {
    let cat = sample();
    let server = Server::start(&cat);
    let first = server.get("/api/search?q=remittances&limit=1").json();
    let second = server
        .get("/api/search?q=remittances&limit=1&page=2")
        .json();
    let sorted = server
        .get("/api/search?q=remittances&limit=1&sort=title")
        .json();
    assert_eq!(first["total"], 2);
    assert_ne!(first["results"], second["results"], "another page");
    assert_eq!(
        first["facets"], second["facets"],
        "page 2 has page 1's counts"
    );
    assert_eq!(
        first["facets"], sorted["facets"],
        "sorting changes no count"
    );
    assert_eq!(sector_count(&first, "health"), 0);
    // A new matching record in health: the next snapshot counts it.
    cat.add(
        &Rec::new("remittance-clinics", "Remittance-funded clinics")
            .sectors(&["health"])
            .summary("Clinics built with remittances from nurses abroad."),
    );
    let started = Instant::now();
    loop {
        let page = server
            .get("/api/search?q=remittances&limit=1&page=2")
            .json();
        if page["total"] == 3 {
            assert_eq!(sector_count(&page, "health"), 1, "{page}");
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the new record never showed: {page}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}
