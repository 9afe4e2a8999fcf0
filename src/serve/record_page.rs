//! The record page `/records/{id}`: every field, the sources as links, the Global Compact
//! objectives by name, similar records and a permalink; printable.

use maud::{Markup, html};

use crate::catalogue::Entry;
use crate::record::Record;
use crate::search::Hit;
use crate::sectors::Sectors;

use super::layout::{country_name, linkable, page, sector_labels};
use super::params::SearchParams;

/// The 23 objectives of the Global Compact for Safe, Orderly and Regular Migration
/// (UN General Assembly resolution 73/195), by number.
const GCM_OBJECTIVES: [&str; 23] = [
    "Collect and utilize accurate and disaggregated data as a basis for evidence-based policies",
    "Minimize the adverse drivers and structural factors that compel people to leave their country of origin",
    "Provide accurate and timely information at all stages of migration",
    "Ensure that all migrants have proof of legal identity and adequate documentation",
    "Enhance availability and flexibility of pathways for regular migration",
    "Facilitate fair and ethical recruitment and safeguard conditions that ensure decent work",
    "Address and reduce vulnerabilities in migration",
    "Save lives and establish coordinated international efforts on missing migrants",
    "Strengthen the transnational response to smuggling of migrants",
    "Prevent, combat and eradicate trafficking in persons in the context of international migration",
    "Manage borders in an integrated, secure and coordinated manner",
    "Strengthen certainty and predictability in migration procedures for appropriate screening, assessment and referral",
    "Use migration detention only as a measure of last resort and work towards alternatives",
    "Enhance consular protection, assistance and cooperation throughout the migration cycle",
    "Provide access to basic services for migrants",
    "Empower migrants and societies to realize full inclusion and social cohesion",
    "Eliminate all forms of discrimination and promote evidence-based public discourse to shape perceptions of migration",
    "Invest in skills development and facilitate mutual recognition of skills, qualifications and competences",
    "Create conditions for migrants and diasporas to fully contribute to sustainable development in all countries",
    "Promote faster, safer and cheaper transfer of remittances and foster financial inclusion of migrants",
    "Cooperate in facilitating safe and dignified return and readmission, as well as sustainable reintegration",
    "Establish mechanisms for the portability of social security entitlements and earned benefits",
    "Strengthen international cooperation and global partnerships for safe, orderly and regular migration",
];

/// A link to the search narrowed to one value.
fn search_link(param: &str, value: &str) -> String {
    let mut params = SearchParams::parse("").expect("the empty search parses");
    params = params.toggled(param, value);
    format!("/?{}", params.to_query())
}

/// The record page.
pub fn render(entry: &Entry, similar: &[Hit], sectors: &Sectors, warnings: &[String]) -> Markup {
    let r = &entry.record;
    let id = &entry.id;
    let permalink = format!("/records/{id}");
    page(
        &r.title,
        warnings,
        html! {
            main #main.record {
                nav.back aria-label="Back" { a href="/" { "← Search the catalogue" } }
                article {
                    h1 { (r.title) }
                    p.permalink {
                        "Permalink: " a href=(permalink) rel="bookmark" { code { (permalink) } }
                        " · " a href={ "/api/records/" (id) } { "as JSON" }
                    }
                    (facts(entry, sectors))
                    section {
                        h2 { "Summary" }
                        (paragraphs(&r.summary))
                    }
                    @for (heading, text) in [("Description", &r.description), ("Results", &r.results), ("Lessons", &r.lessons)] {
                        @if let Some(text) = text {
                            section { h2 { (heading) } (paragraphs(text)) }
                        }
                    }
                    @if !r.gcm_objectives.is_empty() {
                        section.gcm {
                            h2 { "Global Compact for Migration objectives" }
                            ul {
                                @for number in &r.gcm_objectives {
                                    li {
                                        strong { "Objective " (number) }
                                        @if let Some(name) = usize::try_from(*number).ok().and_then(|n| GCM_OBJECTIVES.get(n.wrapping_sub(1))) {
                                            ": " (name)
                                        }
                                    }
                                }
                            }
                        }
                    }
                    (sources(r))
                }
                (similar_records(similar))
            }
        },
    )
}

/// The short facts of a record, each value a link to the search narrowed to it.
fn facts(entry: &Entry, sectors: &Sectors) -> Markup {
    let r = &entry.record;
    let id = &entry.id;
    html! {
        dl.facts {
            dt { "Id" } dd { code { (id) } }
            dt { "Kind" } dd { a href=(search_link("kind", r.kind.as_str())) { (r.kind) } }
            dt { "Sectors" }
            dd {
                @for (i, (slug, label)) in sector_labels(r, sectors).into_iter().enumerate() {
                    @if i > 0 { "; " }
                    a href=(search_link("sector", slug)) { (label) }
                    @if i == 0 && r.sectors.len() > 1 { " (primary)" }
                }
            }
            @for (label, codes) in [("Countries", &r.countries), ("Origin", &r.origin), ("Destination", &r.destination)] {
                @if !codes.is_empty() {
                    dt { (label) }
                    dd {
                        @for (i, code) in codes.iter().enumerate() {
                            @if i > 0 { "; " }
                            a href=(search_link("country", code)) { (country_name(code)) }
                            " (" (code) ")"
                        }
                    }
                }
            }
            @let regions = crate::export::regions(r);
            @if !regions.is_empty() {
                dt { "Regions" }
                dd {
                    @for (i, region) in regions.iter().enumerate() {
                        @if i > 0 { "; " }
                        a href=(search_link("region", region)) { (region) }
                    }
                }
            }
            @if let Some(scope) = r.scope { dt { "Scope" } dd { (scope) } }
            @if !r.organisations.is_empty() {
                dt { "Organisations" }
                dd { ul.plain { @for o in &r.organisations { li { (o) } } } }
            }
            @let years = r.years();
            @if !years.is_empty() { dt { "Years" } dd { (years) } }
            @if let Some(status) = r.status {
                dt { "Status" } dd { a href=(search_link("status", status.as_str())) { (status) } }
            }
            @if !r.keywords.is_empty() {
                dt { "Keywords" }
                dd {
                    @for (i, keyword) in r.keywords.iter().enumerate() {
                        @if i > 0 { "; " }
                        a href={ "/?" (keyword_query(keyword)) } { (keyword) }
                    }
                }
            }
        }
    }
}

/// The sources, linked where their address is safe to link, with their copies.
fn sources(r: &Record) -> Markup {
    html! {
        section.sources {
            h2 { "Sources" }
            ol {
                @for source in &r.sources {
                    li {
                        @match source.url.as_deref().filter(|u| linkable(u)) {
                            Some(url) => a href=(url) rel="noopener noreferrer external" { (source.title) },
                            None => (source.title),
                        }
                        ". " (source.publisher)
                        @if let Some(year) = source.year { ", " (year) }
                        ". "
                        span.kind { "(" (source.kind) ")" }
                        @if let Some(url) = source.url.as_deref() {
                            span.url { " " (url) }
                        }
                        @if let Some(via) = source.via.as_deref() {
                            span.via {
                                " Read via a copy: "
                                @if linkable(via) {
                                    a href=(via) rel="noopener noreferrer external" { (via) }
                                } @else {
                                    (via)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Links to the records most like this one.
fn similar_records(similar: &[Hit]) -> Markup {
    html! {
        section #similar.similar aria-labelledby="similar-heading" {
            h2 #similar-heading { "Similar records" }
            @if similar.is_empty() {
                p { "No similar records." }
            } @else {
                ul {
                    @for hit in similar {
                        li {
                            a href={ "/records/" (hit.entry.id) } { (hit.entry.record.title) }
                            " " span.meta { (hit.entry.record.years()) }
                        }
                    }
                }
            }
        }
    }
}

/// A keyword searched as a phrase.
fn keyword_query(keyword: &str) -> String {
    form_urlencoded::Serializer::new(String::new())
        .append_pair("q", &format!("\"{}\"", keyword.replace('"', "")))
        .finish()
}

fn paragraphs(text: &str) -> Markup {
    html! {
        @for paragraph in text.trim().split("\n\n") {
            p { (paragraph.trim()) }
        }
    }
}
