//! The sector vocabulary, `data/sectors.toml`: read, and checked as records are.

use std::collections::HashMap;
use std::path::Path;

use toml::de::{DeTable, DeValue};

use crate::problem::Problem;
use crate::record;
use crate::sectors::Sectors;

/// Reads the sector vocabulary and checks it: at least one sector, every slug in
/// lowercase kebab-case and given once, every label non-empty. A broken or missing file
/// is a problem, not a crash; the sectors read are returned either way.
pub fn load_sectors(path: &Path, problems: &mut Vec<Problem>) -> Sectors {
    let text = match super::files::read_text(path) {
        Ok(text) => text,
        Err(mut problem) => {
            if problem.hint.is_none() && !path.exists() {
                problem.hint = Some(
                    "every record's sectors come from this file: restore it (e.g. `git checkout data/sectors.toml`)"
                        .into(),
                );
            }
            problems.push(problem);
            return Sectors::default();
        }
    };
    match toml::from_str::<Sectors>(&text) {
        Ok(sectors) if sectors.list.is_empty() => {
            problems.push(Problem::file(
                path,
                "the sector vocabulary is empty",
                Some("add [[sector]] tables with slug, label and description".into()),
            ));
            sectors
        }
        Ok(sectors) => {
            check_sectors(path, &text, &sectors, problems);
            sectors
        }
        Err(err) => {
            problems.push(Problem::at(
                path,
                &text,
                err.span(),
                err.message().to_string(),
                Some("each sector is a [[sector]] table with slug, label and description".into()),
            ));
            Sectors::default()
        }
    }
}

/// The rules each sector follows; the file parsed, so positions can be found.
fn check_sectors(path: &Path, text: &str, sectors: &Sectors, problems: &mut Vec<Problem>) {
    let spans = DeTable::parse(text).ok();
    let span_of = |index: usize, key: &str| {
        let table = spans.as_ref()?.get_ref();
        let (_, list) = table.iter().find(|(k, _)| k.get_ref() == "sector")?;
        let DeValue::Array(items) = list.get_ref() else {
            return None;
        };
        let DeValue::Table(sector) = items.get(index)?.get_ref() else {
            return None;
        };
        sector
            .iter()
            .find(|(k, _)| k.get_ref() == key)
            .map(|(_, v)| v.span())
    };
    let mut first_of: HashMap<&str, usize> = HashMap::new();
    for (i, sector) in sectors.list.iter().enumerate() {
        let mut report = |key: &str, message: String, hint: &str| {
            problems.push(Problem::at(
                path,
                text,
                span_of(i, key),
                message,
                Some(hint.to_string()),
            ));
        };
        if !record::is_valid_id(&sector.slug) {
            report(
                "slug",
                format!("sector slug `{}` is not lowercase kebab-case", sector.slug),
                &format!(
                    "records name sectors by slug: use lowercase letters, digits and hyphens, e.g. `{}`",
                    record::slugify(&sector.slug)
                ),
            );
        }
        if let Some(first) = first_of.get(sector.slug.as_str()) {
            report(
                "slug",
                format!(
                    "sector slug `{}` is already used by sector {}",
                    sector.slug,
                    first + 1
                ),
                "give each sector its own slug, or remove the repeated [[sector]] table",
            );
        } else {
            first_of.insert(&sector.slug, i);
        }
        if sector.label.trim().is_empty() {
            report(
                "label",
                format!("sector `{}` has an empty label", sector.slug),
                "give the sector's name as readers should see it",
            );
        }
    }
}
