//! The search page `/`: the form, the notes, active filters as chips, the facet sidebar,
//! the hits with snippets, paging, downloads and the pictures. Everything is a plain link or
//! form, so the page works without JavaScript; the script only makes it live.

use maud::{Markup, html};

use crate::facets::{Count, Facet};
use crate::sectors::Sectors;

use super::charts;
use super::engine::{Answer, Level, ShownNote};
use super::layout::{self, country_name, page, sector_labels};
use super::params::{DIMENSIONS, SearchParams, SortParam};

/// Facet values shown before "more".
const SHOWN_VALUES: usize = 8;
/// Countries listed on a hit before "and N more".
const SHOWN_COUNTRIES: usize = 4;

/// The whole search page for a search and its answer.
pub fn render(
    params: &SearchParams,
    answer: &Answer,
    sectors: &Sectors,
    warnings: &[String],
) -> Markup {
    let title = if params.q.is_empty() {
        "Search".to_string()
    } else {
        format!("{} – search", params.q)
    };
    // Warnings already lead the notes of the answer; the frame shows them once.
    let notes: Vec<&ShownNote> = answer
        .notes
        .iter()
        .filter(|n| !warnings.contains(&n.text))
        .collect();
    page(
        &title,
        warnings,
        html! {
            (form(params))
            div #live aria-live="polite" {
                @if !notes.is_empty() {
                    ul.notes {
                        @for note in notes {
                            li.note-warning[note.level == Level::Warning] { (note.text) }
                        }
                    }
                }
                (chips(params, &answer.facets))
                div.layout {
                    (sidebar(params, &answer.facets))
                    main #main {
                        (summary(params, answer))
                        (hits(answer, sectors))
                        (pages(params, answer.total))
                        (pictures(params, &answer.charts))
                    }
                }
            }
            (api_help())
        },
    )
}

fn form(params: &SearchParams) -> Markup {
    html! {
        form #search role="search" action="/" method="get" {
            label for="q" { "Search the catalogue" }
            div.box {
                input #q type="search" name="q" value=(params.q) autocomplete="off"
                    placeholder="e.g. remittances, diaspora bonds, seasonal work"
                    aria-describedby="q-help" maxlength="4000";
                button type="submit" { "Search" }
            }
            p #q-help.help {
                "Words, \"phrases\", +required, -excluded, field:word. Press / to come back here."
            }
            @for (param, values) in &params.filters {
                @for value in values {
                    input type="hidden" name=(param) value=(value);
                }
            }
            @if let Some(since) = params.since { input type="hidden" name="since" value=(since); }
            @if let Some(until) = params.until { input type="hidden" name="until" value=(until); }
            @if params.limit != super::params::DEFAULT_LIMIT {
                input type="hidden" name="limit" value=(params.limit);
            }
            div.sort {
                label for="sort" { "Sort by" }
                select #sort name="sort" {
                    @for sort in SortParam::ALL {
                        option value=(sort.name())
                            selected[params.sort.unwrap_or(SortParam::Relevance) == sort] {
                            (sort.label())
                        }
                    }
                }
                noscript { button type="submit" { "Apply" } }
            }
        }
    }
}

/// The label of a filter value, as the facet counts give it.
fn value_label(facets: &[Facet], param: &str, value: &str) -> String {
    let found = facets
        .iter()
        .filter(|f| f.by == param)
        .flat_map(|f| {
            f.counts
                .iter()
                .flat_map(|c| std::iter::once(c).chain(&c.children))
        })
        .find(|c| c.value.eq_ignore_ascii_case(value));
    match (found, param) {
        (Some(count), _) => count.label.clone(),
        (None, "country") => country_name(&value.to_uppercase()),
        (None, _) => value.to_string(),
    }
}

fn chips(params: &SearchParams, facets: &[Facet]) -> Markup {
    let mut chips: Vec<(String, String)> = Vec::new();
    for dimension in DIMENSIONS {
        for value in params.values(dimension.param) {
            let next = params.toggled(dimension.param, value);
            chips.push((
                format!(
                    "{}: {}",
                    dimension.title,
                    value_label(facets, dimension.param, value)
                ),
                format!("/?{}", next.to_query()),
            ));
        }
    }
    for (name, year) in [("since", params.since), ("until", params.until)] {
        if let Some(year) = year {
            let mut next = params.first_page();
            match name {
                "since" => next.since = None,
                _ => next.until = None,
            }
            chips.push((format!("{name} {year}"), format!("/?{}", next.to_query())));
        }
    }
    if chips.is_empty() {
        return html! {};
    }
    let mut cleared = SearchParams::parse("").expect("the empty search parses");
    cleared.q = params.q.clone();
    cleared.sort = params.sort;
    html! {
        ul.chips aria-label="Active filters" {
            @for (label, href) in &chips {
                li { a.chip href=(href) aria-label={ "Remove filter " (label) } { (label) span aria-hidden="true" { " ×" } } }
            }
            li { a.clear href={ "/?" (cleared.to_query()) } { "Clear all filters" } }
        }
    }
}

fn sidebar(params: &SearchParams, facets: &[Facet]) -> Markup {
    html! {
        nav.facets aria-label="Filters" {
            h2.visually-hidden { "Filters" }
            @for dimension in DIMENSIONS {
                @if let Some(facet) = facets.iter().find(|f| f.by == dimension.by.name()) {
                    section.facet aria-labelledby={ "facet-" (dimension.param) } {
                        h3 #{ "facet-" (dimension.param) } { (dimension.title) }
                        @if facet.counts.is_empty() {
                            p.none { "none" }
                        } @else {
                            (values(params, dimension.param, &facet.counts[..facet.counts.len().min(SHOWN_VALUES)]))
                            @if facet.counts.len() > SHOWN_VALUES {
                                details {
                                    summary { (facet.counts.len() - SHOWN_VALUES) " more" }
                                    (values(params, dimension.param, &facet.counts[SHOWN_VALUES..]))
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Facet values as links that add or remove them; regions nest their sub-regions.
fn values(params: &SearchParams, param: &str, counts: &[Count]) -> Markup {
    html! {
        ul {
            @for count in counts {
                @let on = params.values(param).iter().any(|v| v.eq_ignore_ascii_case(&count.value));
                li {
                    @if super::params::filterable(param, &count.value) {
                        a.value.on[on] href={ "/?" (params.toggled(param, &count.value).to_query()) }
                            aria-current=[on.then_some("true")] {
                            span.check aria-hidden="true" { @if on { "☑" } @else { "☐" } }
                            span.label { (count.label) }
                            @if on { span.visually-hidden { " (selected; select again to remove)" } }
                            span.count { (count.count) }
                        }
                    } @else {
                        span.value.fixed {
                            span.label { (count.label) }
                            span.count { (count.count) }
                        }
                    }
                    @if !count.children.is_empty() {
                        (values(params, param, &count.children))
                    }
                }
            }
        }
    }
}

fn summary(params: &SearchParams, answer: &Answer) -> Markup {
    let first = params.offset + 1;
    let last = params.offset + answer.hits.len();
    let export = {
        let mut all = params.first_page();
        all.limit = super::params::DEFAULT_LIMIT;
        all.to_query()
    };
    html! {
        div.summary {
            h2 #results-heading {
                @if answer.total == 0 {
                    "No matching records"
                } @else if answer.hits.is_empty() {
                    "No records on this page (" (answer.total) " in all)"
                } @else {
                    "Showing " (first) "–" (last) " of " (crate::text::count(answer.total, "matching record"))
                }
            }
            @if answer.total > 0 {
                p.downloads {
                    "Download these results: "
                    a href={ "/api/export.csv?" (export) } download { "CSV" }
                    " · "
                    a href={ "/api/export.jsonl?" (export) } download { "JSON Lines" }
                }
            }
        }
    }
}

fn hits(answer: &Answer, sectors: &Sectors) -> Markup {
    html! {
        ol.hits aria-labelledby="results-heading" {
            @for hit in &answer.hits {
                @let r = &hit.entry.record;
                @let id = &hit.entry.id;
                li.hit {
                    h3 { a href={ "/records/" (id) } { (r.title) } }
                    p.meta {
                        span.id { (id) }
                        @for (_, label) in sector_labels(r, sectors) { span.sector { (label) } }
                        @if !r.countries.is_empty() {
                            span.countries {
                                @for (i, code) in r.countries.iter().take(SHOWN_COUNTRIES).enumerate() {
                                    @if i > 0 { ", " }
                                    abbr title=(country_name(code)) { (code) }
                                }
                                @if r.countries.len() > SHOWN_COUNTRIES {
                                    " and " (r.countries.len() - SHOWN_COUNTRIES) " more"
                                }
                            }
                        }
                        @let years = r.years();
                        @if !years.is_empty() { span.years { (years) } }
                    }
                    p.snippet {
                        @match &hit.snippet {
                            Some(snippet) => (layout::snippet(snippet)),
                            None => (r.summary),
                        }
                    }
                    a.similar href={ "/records/" (id) "#similar" } { "Similar records" }
                }
            }
        }
    }
}

fn pages(params: &SearchParams, total: usize) -> Markup {
    let count = total.div_ceil(params.limit).max(1);
    let current = params.page();
    if count <= 1 && current == 1 {
        return html! {};
    }
    let shown: Vec<usize> = (1..=count)
        .filter(|&p| p == 1 || p == count || p.abs_diff(current) <= 2)
        .collect();
    html! {
        nav.pages aria-label="Pages of results" {
            @if current > 1 {
                a rel="prev" href={ "/?" (params.on_page(current - 1).to_query()) } { "← Previous" }
            }
            @for (i, page) in shown.iter().enumerate() {
                @if i > 0 && page - shown[i - 1] > 1 { span.gap { "…" } }
                @if *page == current {
                    span.current aria-current="page" { (page) }
                } @else {
                    a href={ "/?" (params.on_page(*page).to_query()) } aria-label={ "Page " (page) } { (page) }
                }
            }
            @if current < count {
                a rel="next" href={ "/?" (params.on_page(current + 1).to_query()) } { "Next →" }
            }
        }
    }
}

/// The pictures of the results: also served alone for the script to refresh.
pub fn pictures(params: &SearchParams, facets: &[Facet]) -> Markup {
    let facet = |by: &str| facets.iter().find(|f| f.by == by);
    html! {
        section #pictures.pictures aria-label="Pictures of the results" {
            h2 { "The results at a glance" }
            @if let Some(sectors) = facet("sector") { (charts::sector_bars(sectors, params)) }
            @if let Some(decades) = facet("decade") { (charts::decade_histogram(decades, params)) }
            @if let Some(countries) = facet("country") { (charts::world_map(countries, params)) }
        }
    }
}

fn api_help() -> Markup {
    html! {
        section #api.api-help {
            h2 { "JSON API" }
            p {
                "The same searches as JSON: "
                code { "/api/search?q=remittances&sector=financial-services" }
                ", " code { "/api/records/{id}" } ", " code { "/api/similar/{id}" } ", "
                code { "/api/facets?by=region" } ", " code { "/api/export.csv" } " and "
                code { "/api/export.jsonl" } ". The README documents every parameter."
            }
        }
    }
}
