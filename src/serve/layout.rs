//! The frame every HTML page shares, and small pieces used by several pages. maud escapes
//! every value it inserts, so record text always shows as text.

use maud::{DOCTYPE, Markup, html};

use crate::countries;
use crate::record::Record;
use crate::search::Snippet;
use crate::sectors::Sectors;

/// A whole page: head with the embedded stylesheet and script, header, warnings, body.
pub fn page(title: &str, warnings: &[String], body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · migdev" }
                link rel="stylesheet" href=(super::assets::STYLE_PATH);
                link rel="icon" href=(super::assets::ICON_PATH) type="image/svg+xml";
                script src=(super::assets::SCRIPT_PATH) defer {}
            }
            body {
                a.skip href="#main" { "Skip to the results" }
                header.site {
                    a.brand href="/" { "migdev" }
                    span.tagline { "Migration and development programmes" }
                    a.api href="/#api" { "JSON API" }
                }
                @for warning in warnings {
                    p.warning role="alert" { (warning) }
                }
                (body)
                footer.site {
                    p {
                        "Records are curated from their cited public sources. Map boundaries: "
                        "Natural Earth (public domain). Read-only; nothing here changes the catalogue."
                    }
                }
            }
        }
    }
}

/// A snippet with its matched words in `<mark>`.
pub fn snippet(snippet: &Snippet) -> Markup {
    let text = &snippet.text;
    let mut pieces = Vec::new();
    let mut at = 0;
    for range in &snippet.highlights {
        let (start, end) = (range.start.max(at), range.end.min(text.len()));
        if start >= end || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            continue;
        }
        pieces.push((false, &text[at..start]));
        pieces.push((true, &text[start..end]));
        at = end;
    }
    pieces.push((false, &text[at..]));
    html! {
        @for (marked, piece) in pieces {
            @if marked { mark { (piece) } } @else { (piece) }
        }
    }
}

/// Sector labels of a record, primary first.
pub fn sector_labels<'a>(record: &'a Record, sectors: &'a Sectors) -> Vec<(&'a str, &'a str)> {
    record
        .sectors
        .iter()
        .map(|s| (s.as_str(), sectors.label(s)))
        .collect()
}

/// A country's English name, or its code when the code is unknown.
pub fn country_name(code: &str) -> String {
    countries::by_code(code)
        .map(|c| c.name.clone())
        .unwrap_or_else(|| code.to_string())
}

/// True for an address the page may link to: only http and https, never `javascript:`.
pub fn linkable(address: &str) -> bool {
    let lower = address.trim_start().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// A page for an error (unknown address or record, bad parameter).
pub fn error_page(status: u16, heading: &str, detail: &str, suggestions: &[String]) -> Markup {
    page(
        heading,
        &[],
        html! {
            main #main.error {
                h1 { (heading) }
                p { (detail) }
                @if !suggestions.is_empty() {
                    p { "Did you mean:" }
                    ul {
                        @for id in suggestions {
                            li { a href={ "/records/" (id) } { (id) } }
                        }
                    }
                }
                p { a href="/" { "Search the catalogue" } }
                p.status { "HTTP " (status) }
            }
        },
    )
}
