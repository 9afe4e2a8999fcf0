//! Pictures of the current results, drawn on the server as SVG (readable without
//! JavaScript): records per sector, start decades, and a world map shaded by records per
//! country. Every bar and country links to the search narrowed to it.

use std::collections::HashMap;
use std::sync::OnceLock;

use maud::{Markup, html};

use crate::facets::{Count, Facet};

use super::params::SearchParams;

/// The country shapes (Natural Earth 1:110m, public domain; see WORLD-MAP-LICENCE.md).
const WORLD: &str = include_str!("assets/world.txt");

/// A country as the map draws it.
struct Shape {
    code: &'static str,
    name: &'static str,
    path: &'static str,
}

struct World {
    width: u32,
    height: u32,
    shapes: Vec<Shape>,
}

fn world() -> &'static World {
    static PARSED: OnceLock<World> = OnceLock::new();
    PARSED.get_or_init(|| {
        let mut lines = WORLD.lines();
        let frame: Vec<u32> = lines
            .next()
            .and_then(|l| l.strip_prefix("# frame "))
            .map(|f| f.split(' ').filter_map(|n| n.parse().ok()).collect())
            .unwrap_or_default();
        let shapes = lines
            .filter_map(|line| {
                let mut parts = line.splitn(3, '\t');
                Some(Shape {
                    code: parts.next()?,
                    name: parts.next()?,
                    path: parts.next()?,
                })
            })
            .collect();
        World {
            width: frame.first().copied().unwrap_or(1000),
            height: frame.get(1).copied().unwrap_or(500),
            shapes,
        }
    })
}

/// The link that narrows the search to one facet value.
fn narrowed(params: &SearchParams, param: &str, value: &str) -> String {
    format!("/?{}", params.toggled(param, value).to_query())
}

fn records(count: u64) -> String {
    crate::text::count(usize::try_from(count).unwrap_or(usize::MAX), "record")
}

/// Horizontal bars: records per sector among the current results.
pub fn sector_bars(facet: &Facet, params: &SearchParams) -> Markup {
    let max = facet
        .counts
        .iter()
        .map(|c| c.count)
        .max()
        .unwrap_or(0)
        .max(1);
    let row = 22;
    let label_width = 390;
    let bar_width = 260;
    let height = row * facet.counts.len().max(1);
    html! {
        figure.chart {
            figcaption { "Records per sector" }
            svg viewBox={ "0 0 " (label_width + bar_width + 50) " " (height) }
                role="group" aria-labelledby="sector-chart-title" {
                title #sector-chart-title { "Records per sector for the current results" }
                @for (i, count) in facet.counts.iter().enumerate() {
                    @let y = i * row;
                    @let width = usize::try_from((count.count * bar_width as u64 / max).max(1)).unwrap_or(bar_width);
                    a href=(narrowed(params, "sector", &count.value)) {
                        title { (count.label) ": " (records(count.count)) }
                        text.label x=(label_width - 6) y=(y + 15) text-anchor="end" { (count.label) }
                        rect.bar x=(label_width) y=(y + 4) width=(width) height=(row - 8) {}
                        text.value x=(label_width + width + 4) y=(y + 15) { (count.count) }
                    }
                }
            }
        }
    }
}

/// A histogram of start years by decade, with empty decades shown as gaps.
pub fn decade_histogram(facet: &Facet, params: &SearchParams) -> Markup {
    let decades: Vec<(i64, &Count)> = facet
        .counts
        .iter()
        .filter_map(|c| Some((c.value.strip_suffix('s')?.parse().ok()?, c)))
        .collect();
    let undated: u64 = facet
        .counts
        .iter()
        .filter(|c| c.value.strip_suffix('s').is_none())
        .map(|c| c.count)
        .sum();
    let (Some(first), Some(last)) = (
        decades.iter().map(|(d, _)| *d).min(),
        decades.iter().map(|(d, _)| *d).max(),
    ) else {
        return html! {};
    };
    let by_decade: HashMap<i64, &Count> = decades.into_iter().collect();
    let columns = usize::try_from((last - first) / 10 + 1).unwrap_or(0);
    let max = by_decade
        .values()
        .map(|c| c.count)
        .max()
        .unwrap_or(1)
        .max(1);
    // A fixed frame, so a few decades do not make giant bars.
    let frame = 640;
    let column = (frame / columns).clamp(12, 64);
    let plot = 140;
    // Label every decade when there is room, else every other one.
    let every = if column >= 36 { 1 } else { 2 };
    html! {
        figure.chart {
            figcaption {
                "Start years by decade"
                @if undated > 0 { " (" (records(undated)) " without a start year)" }
            }
            svg viewBox={ "0 0 " (frame) " " (plot + 40) }
                role="group" aria-labelledby="decade-chart-title" {
                title #decade-chart-title { "Records by decade of their start year" }
                @for i in 0..columns {
                    @let decade = first + 10 * i64::try_from(i).unwrap_or(i64::MAX / 20);
                    @let x = i * column;
                    @if let Some(count) = by_decade.get(&decade) {
                        @let height = usize::try_from((count.count * plot as u64 / max).max(1)).unwrap_or(plot);
                        a href=(narrowed(params, "decade", &count.value)) {
                            title { (count.label) ": " (records(count.count)) }
                            rect.bar x=(x + 4) y=(plot - height + 16) width=(column - 8) height=(height) {}
                            text.value x=(x + column / 2) y=(plot - height + 12) text-anchor="middle" { (count.count) }
                        }
                    }
                    @if i % every == 0 {
                        text.label x=(x + column / 2) y=(plot + 34) text-anchor="middle" { (decade) "s" }
                    }
                }
            }
        }
    }
}

/// Shading classes of the map, lightest first; class 0 is "no records".
const SHADES: u64 = 5;

/// The shade of a count: steps of a logarithmic scale up to the largest count.
#[expect(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "the ratio lies in 0..=1, so the product is a small whole number"
)]
fn shade(count: u64, max: u64) -> u64 {
    if count == 0 {
        return 0;
    }
    let ratio = (count as f64).ln_1p() / (max as f64).ln_1p();
    ((ratio * SHADES as f64).ceil() as u64).clamp(1, SHADES)
}

/// The world map, shaded by records per country; countries too small for the map are
/// listed under it so that no count is lost.
pub fn world_map(facet: &Facet, params: &SearchParams) -> Markup {
    let world = world();
    let counts: HashMap<&str, &Count> =
        facet.counts.iter().map(|c| (c.value.as_str(), c)).collect();
    let max = facet.counts.iter().map(|c| c.count).max().unwrap_or(0);
    let drawn: std::collections::HashSet<&str> = world.shapes.iter().map(|s| s.code).collect();
    let mut undrawn: Vec<&Count> = facet
        .counts
        .iter()
        .filter(|c| !drawn.contains(c.value.as_str()))
        .collect();
    undrawn.sort_by(|a, b| b.count.cmp(&a.count).then(a.label.cmp(&b.label)));
    html! {
        figure.chart.map {
            figcaption { "Records per country" }
            svg viewBox={ "0 0 " (world.width) " " (world.height) }
                role="group" aria-labelledby="map-title" {
                title #map-title { "World map shaded by the number of matching records per country" }
                @for shape in &world.shapes {
                    @match counts.get(shape.code) {
                        Some(count) => {
                            a href=(narrowed(params, "country", shape.code)) {
                                path class={ "land s" (shade(count.count, max)) } d=(shape.path) {
                                    title { (count.label) ": " (records(count.count)) }
                                }
                            }
                        }
                        None => {
                            path class="land s0" d=(shape.path) {
                                title { (shape.name) ": no records" }
                            }
                        }
                    }
                }
            }
            @if max > 0 {
                p.legend aria-hidden="true" {
                    "fewer "
                    @for class in 1..=SHADES { span class={ "swatch s" (class) } {} }
                    " more (up to " (records(max)) ")"
                }
            }
            @if !undrawn.is_empty() {
                p.undrawn {
                    "Too small for this map: "
                    @for (i, count) in undrawn.iter().enumerate() {
                        @if i > 0 { ", " }
                        a href=(narrowed(params, "country", &count.value)) { (count.label) }
                        " (" (count.count) ")"
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_map_has_a_shape_for_large_countries_keyed_by_alpha3() {
        let codes: Vec<&str> = world().shapes.iter().map(|s| s.code).collect();
        for code in ["MEX", "PHL", "SEN", "DEU", "IND", "BRA", "FJI"] {
            assert!(codes.contains(&code), "{code} has a shape");
        }
        assert!(!codes.contains(&"ATA"), "Antarctica is left out");
        assert!(world().shapes.iter().all(|s| s.path.starts_with('M')));
    }

    #[test]
    fn shades_grow_with_the_count() {
        assert_eq!(shade(0, 50), 0);
        assert_eq!(shade(1, 50), 1);
        assert_eq!(shade(50, 50), SHADES);
        assert!(shade(10, 50) > shade(2, 50));
    }
}
