//! The UN Statistics Division's M49 table ("Standard country or area codes for statistical
//! use"), shipped as `m49.csv` exactly as the UNSD exports it: the region, sub-region and
//! intermediate region of every country or area, and whether it is one of the least
//! developed countries (LDC), landlocked developing countries (LLDC) or small island
//! developing States (SIDS). Shipping the table keeps the hierarchy and groupings out of
//! hand-typed code; a new UNSD release is a new file.

use std::collections::HashMap;

/// The table as published at <https://unstats.un.org/unsd/methodology/m49/overview/>.
const TABLE: &str = include_str!("m49.csv");

/// A development grouping that M49 flags for each country.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Grouping {
    LeastDeveloped,
    LandlockedDeveloping,
    SmallIslandDeveloping,
}

impl Grouping {
    pub const ALL: [Grouping; 3] = [
        Grouping::LeastDeveloped,
        Grouping::LandlockedDeveloping,
        Grouping::SmallIslandDeveloping,
    ];

    /// The name as M49 gives it, which is also the facet label.
    pub fn label(self) -> &'static str {
        match self {
            Grouping::LeastDeveloped => "Least Developed Countries (LDC)",
            Grouping::LandlockedDeveloping => "Land Locked Developing Countries (LLDC)",
            Grouping::SmallIslandDeveloping => "Small Island Developing States (SIDS)",
        }
    }

    /// Short names planners type, besides the label.
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Grouping::LeastDeveloped => &["ldc", "ldcs", "least developed countries"],
            Grouping::LandlockedDeveloping => &[
                "lldc",
                "lldcs",
                "landlocked developing countries",
                "land-locked developing countries",
            ],
            Grouping::SmallIslandDeveloping => &[
                "sids",
                "small island developing states",
                "small island developing states (sids)",
            ],
        }
    }
}

/// One row of the table, as the catalogue uses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Area {
    /// Region, sub-region and intermediate region, outermost first; only the levels the
    /// table fills (Antarctica has none, Kenya has all three).
    pub path: Vec<String>,
    pub groupings: Vec<Grouping>,
}

/// The table keyed by ISO alpha-3 code.
pub fn areas() -> HashMap<String, Area> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(TABLE.as_bytes());
    let mut areas = HashMap::new();
    for row in reader.records() {
        let row = row.expect("the shipped M49 table is valid CSV");
        let cell = |i: usize| row.get(i).unwrap_or("").trim();
        let path = [3, 5, 7]
            .into_iter()
            .map(cell)
            .filter(|name| !name.is_empty())
            .map(str::to_string)
            .collect();
        let groupings = Grouping::ALL
            .into_iter()
            .zip([12, 13, 14])
            .filter(|(_, column)| cell(*column) == "x")
            .map(|(grouping, _)| grouping)
            .collect();
        areas.insert(cell(11).to_string(), Area { path, groupings });
    }
    areas
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_gives_three_levels_and_the_groupings() {
        let areas = areas();
        assert!(areas.len() > 240, "{}", areas.len());
        let kenya = &areas["KEN"];
        assert_eq!(
            kenya.path,
            ["Africa", "Sub-Saharan Africa", "Eastern Africa"]
        );
        assert!(kenya.groupings.is_empty());
        let haiti = &areas["HTI"];
        assert_eq!(
            haiti.path,
            ["Americas", "Latin America and the Caribbean", "Caribbean"]
        );
        assert_eq!(
            haiti.groupings,
            [Grouping::LeastDeveloped, Grouping::SmallIslandDeveloping]
        );
        assert_eq!(areas["KAZ"].path, ["Asia", "Central Asia"]);
        assert_eq!(areas["KAZ"].groupings, [Grouping::LandlockedDeveloping]);
        assert!(areas["ATA"].path.is_empty());
    }
}
