//! Sorting and paging.

use super::*;

/// Titles and ids run against each other, so neither order can pass for the other.
fn sort_fixture() -> Catalogue {
    Catalogue::indexed(&[
        Rec::new("a-zeta", "Zeta fund").years(Some(2005), None),
        Rec::new("b-lima", "lima fund").years(Some(2012), None),
        Rec::new("c-emigre", "Émigré fund").years(Some(1990), None),
        Rec::new("d-alpha", "Alpha fund").years(Some(1999), None),
        Rec::new("e-noyear", "Mango fund"),
    ])
}

fn ids_of(out: &Output) -> Vec<String> {
    out.assert_code(0);
    out.ids()
}

#[test]
fn sort_year_lists_oldest_first_and_records_without_a_year_last() {
    let cat = sort_fixture();
    let out = search(&cat, &["--sort", "year"]);
    out.assert_stderr("showing 1-5 of 5 matching records\n");
    assert_eq!(
        ids_of(&out),
        strings(&["c-emigre", "d-alpha", "a-zeta", "b-lima", "e-noyear"])
    );
}

#[test]
fn sort_minus_year_lists_newest_first_and_records_without_a_year_last() {
    let cat = sort_fixture();
    let expected = strings(&["b-lima", "a-zeta", "d-alpha", "c-emigre", "e-noyear"]);
    let joined = search(&cat, &["--sort=-year"]);
    joined.assert_stderr("showing 1-5 of 5 matching records\n");
    assert_eq!(ids_of(&joined), expected);
    // Written as the README writes it, with a space: `-year` is a value, not a flag.
    let spaced = search(&cat, &["--sort", "-year"]);
    spaced
        .assert_code(0)
        .assert_stderr("showing 1-5 of 5 matching records\n");
    assert_eq!(ids_of(&spaced), expected);
}

#[test]
fn sort_year_breaks_ties_by_id_across_index_segments_and_pages() {
    // Two records indexed by a rebuild, two more by the refresh after they are added: the
    // refresh writes them to a segment of their own, where document order is not id order.
    let cat = Catalogue::indexed(&[
        Rec::new("b", "Bravo fund").years(Some(2001), None),
        Rec::new("d", "Delta fund").years(Some(2001), None),
        Rec::new("e", "Echo fund").years(Some(1995), None),
    ]);
    cat.add(&Rec::new("a", "Alpha fund").years(Some(2001), None));
    cat.add(&Rec::new("c", "Charlie fund").years(Some(2001), None));
    let oldest = search(&cat, &["--sort", "year"]);
    assert_eq!(ids_of(&oldest), strings(&["e", "a", "b", "c", "d"]));
    let newest = search(&cat, &["--sort", "-year"]);
    assert_eq!(ids_of(&newest), strings(&["a", "b", "c", "d", "e"]));
    // A page cut inside the tie continues where the last one stopped.
    let second = search(&cat, &["--sort", "year", "--limit", "2", "--offset", "2"]);
    assert_eq!(ids_of(&second), strings(&["b", "c"]));
}

#[test]
fn relevance_breaks_equal_scores_by_id_across_index_segments_and_pages() {
    // The same tie as above, by score: every title holds "fund" once in two words.
    let cat = Catalogue::indexed(&[
        Rec::new("b", "Bravo fund"),
        Rec::new("d", "Delta fund"),
        Rec::new("e", "Echo fund"),
    ]);
    cat.add(&Rec::new("a", "Alpha fund"));
    cat.add(&Rec::new("c", "Charlie fund"));
    let ranked = search(&cat, &["fund"]);
    assert_eq!(ids_of(&ranked), strings(&["a", "b", "c", "d", "e"]));
    let second = search(&cat, &["fund", "--limit", "2", "--offset", "2"]);
    assert_eq!(ids_of(&second), strings(&["c", "d"]));
}

#[test]
fn sort_title_orders_a_to_z_ignoring_case_and_accents() {
    let cat = sort_fixture();
    let out = search(&cat, &["--sort", "title"]);
    out.assert_stderr("showing 1-5 of 5 matching records\n");
    assert_eq!(
        ids_of(&out),
        strings(&["d-alpha", "c-emigre", "b-lima", "e-noyear", "a-zeta"])
    );
}

#[test]
fn offset_pages_through_the_results_without_overlap_and_reports_the_total() {
    let cat = sort_fixture();
    let page = |offset: &str| {
        search(
            &cat,
            &[
                "fund", "--sort", "title", "--limit", "2", "--offset", offset,
            ],
        )
    };
    let first = page("0");
    first.assert_stderr("showing 1-2 of 5 matching records\n");
    let second = page("2");
    second.assert_stderr("showing 3-4 of 5 matching records\n");
    let third = page("4");
    third.assert_stderr("showing 5-5 of 5 matching records\n");
    let mut all = ids_of(&first);
    all.extend(ids_of(&second));
    all.extend(ids_of(&third));
    assert_eq!(
        all,
        strings(&["d-alpha", "c-emigre", "b-lima", "e-noyear", "a-zeta"])
    );
    // Past the end: nothing, exit 1, and the total is still reported.
    search(&cat, &["fund", "--offset", "5"])
        .assert_code(1)
        .assert_stdout("")
        .assert_stderr("no matching records (total matches: 5)\n");
}

#[test]
fn relevance_pages_do_not_overlap() {
    let cat = sort_fixture();
    let page = |offset: &str| {
        let out = search(&cat, &["fund", "--limit", "3", "--offset", offset]);
        ids_of(&out)
    };
    let mut all = page("0");
    all.extend(page("3"));
    assert_eq!(all.len(), 5, "{all:?}");
    assert_eq!(
        crate::util::sorted(all),
        strings(&["a-zeta", "b-lima", "c-emigre", "d-alpha", "e-noyear"])
    );
}
