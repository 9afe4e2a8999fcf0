//! ISO 3166-1 alpha-3 countries with English names and their place in UN M49.
//!
//! Codes and names come from the `keshvar` crate; the M49 hierarchy (region, sub-region,
//! intermediate region) and the LDC, LLDC and SIDS groupings come from the UNSD table in
//! `m49.csv`. This module only shapes them for the catalogue (lookup by code or name,
//! region paths for filters and facets).

mod m49;

use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

pub use m49::Grouping;

use crate::text::fold;

/// What the catalogue needs to know about one country.
#[derive(Debug, Clone)]
pub struct Country {
    /// ISO 3166-1 alpha-3 code, upper case.
    pub code: String,
    /// ISO short English name, e.g. "Viet Nam".
    pub name: String,
    /// UN M49 region label, e.g. "Africa".
    pub region: Option<String>,
    /// UN M49 sub-region label, e.g. "Sub-Saharan Africa".
    pub subregion: Option<String>,
    /// Region, sub-region and intermediate region ("Western Africa"), as far as M49 goes.
    pub m49_path: Vec<String>,
    /// The M49 development groupings the country belongs to.
    pub groupings: Vec<Grouping>,
    /// Other names the country is known by, used when a user types a name.
    pub aliases: Vec<String>,
}

/// A place that a `--region` filter can name: an M49 region, sub-region or intermediate
/// region (its path from the top), or a grouping (one segment, its label). These are the
/// paths of the index's region facet, whose leaves are country codes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RegionPath(Vec<String>);

impl RegionPath {
    /// Path segments, outermost first.
    pub fn segments(&self) -> Vec<&str> {
        self.0.iter().map(String::as_str).collect()
    }

    /// The facet path, `/Africa/Sub-Saharan Africa`.
    pub fn facet_path(&self) -> String {
        format!("/{}", self.0.join("/"))
    }

    /// The innermost name, as people read it.
    pub fn name(&self) -> &str {
        self.0.last().map(String::as_str).unwrap_or("")
    }

    /// True for the LDC, LLDC and SIDS groupings, which sit beside the M49 tree.
    pub fn is_grouping(&self) -> bool {
        self.0.len() == 1 && Grouping::ALL.iter().any(|g| g.label() == self.0[0])
    }
}

/// The facet paths a country is indexed under: its M49 path and each of its groupings,
/// each ending with the country code.
pub fn facet_paths(country: &Country) -> Vec<Vec<&str>> {
    let mut paths = Vec::new();
    if !country.m49_path.is_empty() {
        let mut path: Vec<&str> = country.m49_path.iter().map(String::as_str).collect();
        path.push(&country.code);
        paths.push(path);
    }
    for grouping in &country.groupings {
        paths.push(vec![grouping.label(), &country.code]);
    }
    paths
}

struct Table {
    by_code: HashMap<String, Country>,
    /// Folded name or alias -> code.
    by_name: HashMap<String, String>,
    /// Every region node and grouping, sorted.
    regions: Vec<RegionPath>,
    /// Folded region, sub-region, intermediate region or grouping name or alias -> path.
    region_by_name: HashMap<String, RegionPath>,
}

/// How region names are compared: folded, with hyphens as spaces.
fn region_key(name: &str) -> String {
    fold(name).replace('-', " ")
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut by_code = HashMap::new();
        let mut by_name = HashMap::new();
        let mut areas = m49::areas();
        for country in keshvar::CountryIterator::new() {
            let code = country.alpha3().to_string().to_uppercase();
            // M49 leaves out a few codes (Taiwan, Kosovo): keshvar's region and
            // sub-region place them then.
            let (m49_path, groupings) = match areas.remove(&code) {
                Some(area) => (area.path, area.groupings),
                None => (
                    country
                        .maybe_region()
                        .map(|r| label(&r.to_string()))
                        .into_iter()
                        .chain(country.maybe_subregion().map(|s| label(&s.to_string())))
                        .collect(),
                    vec![],
                ),
            };
            let entry = Country {
                code: code.clone(),
                name: country.iso_short_name().to_string(),
                region: m49_path.first().cloned(),
                subregion: m49_path.get(1).cloned(),
                m49_path,
                groupings,
                aliases: country
                    .unofficial_name_list()
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
            };
            for name in std::iter::once(&entry.name)
                .chain(entry.aliases.iter())
                .chain(std::iter::once(&country.iso_long_name().to_string()))
            {
                by_name.entry(fold(name)).or_insert_with(|| code.clone());
            }
            by_code.insert(code, entry);
        }
        let mut regions = BTreeSet::new();
        for country in by_code.values() {
            for depth in 1..=country.m49_path.len() {
                regions.insert(RegionPath(country.m49_path[..depth].to_vec()));
            }
        }
        let mut region_by_name = HashMap::new();
        for path in &regions {
            region_by_name.insert(region_key(path.name()), path.clone());
        }
        for grouping in Grouping::ALL {
            let path = RegionPath(vec![grouping.label().to_string()]);
            for name in std::iter::once(grouping.label()).chain(grouping.aliases().iter().copied())
            {
                region_by_name.insert(region_key(name), path.clone());
            }
            regions.insert(path);
        }
        Table {
            by_code,
            by_name,
            regions: regions.into_iter().collect(),
            region_by_name,
        }
    })
}

/// Turns keshvar's slug (`south-eastern-asia`) into the M49 label (`South-eastern Asia`).
fn label(slug: &str) -> String {
    let words: Vec<String> = slug
        .split('-')
        .enumerate()
        .map(|(i, word)| match (i, word) {
            (0, w) => capitalise(w),
            (_, "and") => "and".to_string(),
            // M49 writes "South-eastern Asia": the second half of a compass point stays lower case.
            (_, "eastern") if slug.starts_with("south-eastern") => "eastern".to_string(),
            (_, w) => capitalise(w),
        })
        .collect();
    words.join(" ").replace("South eastern", "South-eastern")
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The country with this alpha-3 code (exact, upper case).
pub fn by_code(code: &str) -> Option<&'static Country> {
    table().by_code.get(code)
}

/// Finds a country from what a user typed: a code in any case, or a name or alias.
pub fn lookup(input: &str) -> Option<&'static Country> {
    let t = table();
    let trimmed = input.trim();
    t.by_code
        .get(&trimmed.to_uppercase())
        .or_else(|| t.by_name.get(&fold(trimmed)).and_then(|c| t.by_code.get(c)))
}

/// The closest known code or name to an unknown input, for "did you mean" hints.
pub fn closest(input: &str) -> Option<&'static Country> {
    let t = table();
    let upper = input.trim().to_uppercase();
    let folded = fold(input);
    let by_code = t
        .by_code
        .keys()
        .map(|code| (strsim::osa_distance(&upper, code), code.as_str()));
    let by_name = t
        .by_name
        .iter()
        .map(|(name, code)| (strsim::osa_distance(&folded, name), code.as_str()));
    by_code
        .chain(by_name)
        .filter(|(distance, _)| *distance <= 2)
        .min()
        .and_then(|(_, code)| t.by_code.get(code))
}

/// Resolves a `--region` argument (an M49 region, sub-region or intermediate region, or
/// LDC, LLDC or SIDS, in any case) to its path.
pub fn region_path(input: &str) -> Option<RegionPath> {
    table().region_by_name.get(&region_key(input)).cloned()
}

/// Every region, sub-region, intermediate region and grouping, outermost first.
pub fn regions() -> &'static [RegionPath] {
    &table().regions
}

/// Every region name a filter takes, for error hints.
pub fn region_names() -> Vec<String> {
    let mut names: Vec<String> = regions().iter().map(|p| p.name().to_string()).collect();
    names.sort();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_names_and_regions_come_from_the_crate() {
        let senegal = by_code("SEN").expect("SEN is a country");
        assert_eq!(senegal.name, "Senegal");
        assert_eq!(senegal.region.as_deref(), Some("Africa"));
        assert_eq!(senegal.subregion.as_deref(), Some("Sub-Saharan Africa"));
        assert_eq!(
            senegal.m49_path,
            ["Africa", "Sub-Saharan Africa", "Western Africa"]
        );
        assert_eq!(senegal.groupings, [Grouping::LeastDeveloped]);
        assert_eq!(
            by_code("VNM").unwrap().subregion.as_deref(),
            Some("South-eastern Asia")
        );
        // Not in M49: placed by keshvar.
        assert_eq!(by_code("TWN").unwrap().m49_path, ["Asia", "Eastern Asia"]);
    }

    #[test]
    fn lookup_accepts_codes_names_and_accents() {
        assert_eq!(lookup("mex").unwrap().code, "MEX");
        assert_eq!(lookup("cote d'ivoire").unwrap().code, "CIV");
        assert_eq!(lookup("Vietnam").unwrap().code, "VNM");
        assert!(lookup("Atlantis").is_none());
    }

    #[test]
    fn closest_suggests_a_near_code() {
        assert_eq!(closest("MXE").map(|c| c.code.as_str()), Some("MEX"));
    }

    #[test]
    fn region_paths_resolve_every_m49_level_and_the_groupings() {
        assert_eq!(region_path("africa").unwrap().segments(), vec!["Africa"]);
        assert_eq!(
            region_path("sub-saharan africa").unwrap().segments(),
            vec!["Africa", "Sub-Saharan Africa"]
        );
        assert_eq!(
            region_path("Latin America and the Caribbean")
                .unwrap()
                .segments(),
            vec!["Americas", "Latin America and the Caribbean"]
        );
        assert_eq!(
            region_path("western africa").unwrap().segments(),
            vec!["Africa", "Sub-Saharan Africa", "Western Africa"]
        );
        assert_eq!(
            region_path("south eastern asia").unwrap().segments(),
            vec!["Asia", "South-eastern Asia"]
        );
        let sids = region_path("SIDS").unwrap();
        assert!(sids.is_grouping());
        assert_eq!(
            sids.segments(),
            vec!["Small Island Developing States (SIDS)"]
        );
        assert_eq!(
            region_path("ldcs"),
            region_path("least developed countries")
        );
        assert!(region_path("atlantis").is_none());
    }

    #[test]
    fn a_country_is_indexed_under_its_m49_path_and_its_groupings() {
        let haiti = by_code("HTI").unwrap();
        assert_eq!(
            facet_paths(haiti),
            vec![
                vec![
                    "Americas",
                    "Latin America and the Caribbean",
                    "Caribbean",
                    "HTI"
                ],
                vec!["Least Developed Countries (LDC)", "HTI"],
                vec!["Small Island Developing States (SIDS)", "HTI"],
            ]
        );
    }
}
