//! `migdev new`: starts a record file from a commented template, so a curator sees every
//! field and the values it takes without opening the documentation.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use migdev::record::{self, GCM_OBJECTIVES, Kind, SOURCES_KEY, Scope, SourceKind, Status};
use migdev::sectors::Sectors;
use migdev::{Error, countries, text, validation};

use super::{Context, parse_kind};

/// Template lines are wrapped to this width so the file reads well in any editor.
const TEMPLATE_WIDTH: usize = 88;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The programme's own name; the file name is made from it.
    #[arg(long)]
    title: String,
    /// A sector slug or label, primary first; repeat for more.
    #[arg(long = "sector", value_name = "SECTOR", required = true)]
    sectors: Vec<String>,
    /// A country involved (ISO alpha-3 code or English name); repeat for more.
    #[arg(long = "country", value_name = "COUNTRY")]
    countries: Vec<String>,
    /// What the record describes.
    #[arg(long, value_name = "KIND", default_value_t = Kind::Programme, value_parser = parse_kind)]
    kind: Kind,
}

/// What the user gave on the command line, checked against the vocabularies.
struct Draft<'a> {
    title: &'a str,
    kind: Kind,
    sectors: Vec<String>,
    countries: Vec<String>,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let mut problems = Vec::new();
    let vocabulary = validation::load_sectors(&ctx.paths.sectors_file(), &mut problems);
    if !problems.is_empty() {
        return Err(Error::Invalid(problems).into());
    }
    let title = args.title.trim();
    let slug = record::slugify(title);
    if slug.is_empty() {
        return Err(argument(
            format!("cannot make a file name from the title `{title}`"),
            "give the programme's name with at least one latin letter or digit".into(),
        ));
    }
    let draft = Draft {
        title,
        kind: args.kind,
        sectors: sector_slugs(&vocabulary, &args.sectors)?,
        countries: country_codes(&args.countries)?,
    };
    let path = write_new_record(ctx, &slug, &template(&draft, &vocabulary))?;
    writeln!(io::stdout().lock(), "{}", path.display())?;
    ctx.note(if draft.countries.is_empty() {
        "fill in the countries, the summary and the source, then run `migdev validate`"
    } else {
        "fill in the summary and the source, then run `migdev validate`"
    });
    Ok(ExitCode::SUCCESS)
}

fn argument(message: String, hint: String) -> anyhow::Error {
    Error::Argument { message, hint }.into()
}

/// Slugs for the sectors given as slugs or labels, in the order given, each once.
fn sector_slugs(vocabulary: &Sectors, given: &[String]) -> anyhow::Result<Vec<String>> {
    let mut slugs: Vec<String> = Vec::new();
    for input in given {
        let Some(sector) = vocabulary.lookup(input) else {
            let valid: Vec<&str> = vocabulary.slugs().collect();
            let hint = match text::closest(input, valid.iter().copied()) {
                Some(close) => format!(
                    "did you mean `{close}`? valid sectors: {}",
                    valid.join(", ")
                ),
                None => format!("valid sectors: {}", valid.join(", ")),
            };
            return Err(argument(format!("unknown sector `{input}`"), hint));
        };
        if !slugs.contains(&sector.slug) {
            slugs.push(sector.slug.clone());
        }
    }
    Ok(slugs)
}

/// ISO alpha-3 codes for the countries given as codes or names, in the order given, each once.
fn country_codes(given: &[String]) -> anyhow::Result<Vec<String>> {
    let mut codes: Vec<String> = Vec::new();
    for input in given {
        let Some(country) = countries::lookup(input) else {
            let hint = match countries::closest(input) {
                Some(c) => format!("did you mean `{}` ({})?", c.code, c.name),
                None => "give an ISO 3166-1 alpha-3 code, e.g. `MEX`, or the English name".into(),
            };
            return Err(argument(format!("unknown country `{input}`"), hint));
        };
        if !codes.contains(&country.code) {
            codes.push(country.code.clone());
        }
    }
    Ok(codes)
}

/// Writes `text` to the first free `<slug>.toml`, `<slug>-2.toml`, ...; `create_new` makes
/// sure an existing record is never replaced, even by a `new` running at the same time.
fn write_new_record(ctx: &Context, slug: &str, text: &str) -> anyhow::Result<PathBuf> {
    let dir = ctx.paths.records_dir();
    fs::create_dir_all(&dir).map_err(|err| Error::io(&dir, err))?;
    let mut id = slug.to_string();
    let mut attempt = 1;
    loop {
        let path = ctx.paths.record_file(&id);
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(mut file) => {
                if let Err(err) = file.write_all(text.as_bytes()) {
                    // A half-written record would only fail validation later.
                    let _ = fs::remove_file(&path);
                    return Err(Error::io(path, err).into());
                }
                return Ok(path);
            }
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists => {
                attempt += 1;
                id = format!("{slug}-{attempt}");
            }
            Err(err) => return Err(Error::io(path, err).into()),
        }
    }
}

/// A TOML string literal, escaped by the toml serialiser.
fn toml_string(value: &str) -> String {
    toml::Value::String(value.to_string()).to_string()
}

/// A TOML array of strings.
fn toml_strings(values: &[String]) -> String {
    toml::Value::Array(values.iter().cloned().map(toml::Value::String).collect()).to_string()
}

/// A `#` comment wrapped to the template width.
fn comment(text: &str) -> String {
    let options = textwrap::Options::new(TEMPLATE_WIDTH)
        .initial_indent("# ")
        .subsequent_indent("# ");
    textwrap::fill(text, options)
}

/// The record file: required fields filled or left empty for the user, optional ones
/// commented out, each with a comment on what it holds.
fn template(draft: &Draft<'_>, vocabulary: &Sectors) -> String {
    let title = toml_string(draft.title);
    let kind = toml_string(draft.kind.as_str());
    let sectors = toml_strings(&draft.sectors);
    let countries = toml_strings(&draft.countries);
    let kinds = comment(&format!(
        "What the record describes: {}.",
        Kind::names().join(", ")
    ));
    let sector_help = comment(&format!(
        "Sectors from sectors.toml, primary first: {}.",
        vocabulary.slugs().collect::<Vec<_>>().join(", ")
    ));
    let scopes = comment(&format!(
        "How many countries it spans: {}. A global programme needs no countries.",
        Scope::names().join(", ")
    ));
    let statuses = comment(&format!(
        "Whether it still runs, as far as the sources say: {}.",
        Status::names().join(", ")
    ));
    let source_kinds = comment(&format!(
        "What the source is: {} (an evaluation, review or audit of the programme).",
        SourceKind::names().join(", ")
    ));
    let (first_gcm, last_gcm) = (GCM_OBJECTIVES.start(), GCM_OBJECTIVES.end());
    format!(
        r#"# A programme record for the migdev catalogue. Lines starting with `#` are comments:
# remove the `# ` before an optional field to use it. Check the file with `migdev validate`.

# The programme's own name, as its sources give it.
title = {title}
{kinds}
kind = {kind}
{sector_help}
sectors = {sectors}
# ISO 3166-1 alpha-3 codes of the countries involved, e.g. ["MEX", "USA"].
countries = {countries}
# Countries of origin and destination of the migrants concerned, where the sources say;
# each must also be in `countries`.
# origin = [""]
# destination = [""]
{scopes}
# scope = "national"
# Governments, agencies and organisations that run or fund it.
# organisations = [""]
# The years it started and ended, as a source confirms them.
# start_year = 2000
# end_year = 2010
{statuses}
# status = "ongoing"
# One to three sentences on what it is and where.
summary = ""
# How it works, in a few paragraphs.
# description = """"""
# What it achieved, with figures where the sources give them.
# results = """"""
# What others can learn from it.
# lessons = """"""
# Search terms that the title and summary do not already contain.
# keywords = [""]
# Global Compact for Migration objectives it serves, numbered {first_gcm} to {last_gcm}.
# gcm_objectives = []

# A public source that the facts rest on; repeat the [[{SOURCES_KEY}]] table for each one.
[[{SOURCES_KEY}]]
# The title as the source shows it.
title = ""
# Who published it.
publisher = ""
# The year it was published.
# year = 2020
{source_kinds}
kind = "official"
# The publisher's own address.
# url = "https://"
# A copy (mirror, document-sharing site, archive) where you read it, if not at `url`.
# via = "https://"
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use migdev::record::{RECORD_KEYS, Record, SOURCE_KEYS};

    fn vocabulary() -> Sectors {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/sectors.toml");
        toml::from_str(&fs::read_to_string(path).unwrap()).unwrap()
    }

    fn draft(title: &str) -> Draft<'_> {
        Draft {
            title,
            kind: Kind::Fund,
            sectors: vec!["trade".into(), "health".into()],
            countries: vec!["MEX".into()],
        }
    }

    #[test]
    fn template_parses_and_keeps_tricky_titles() {
        let title = r#"The "3x1" fund \ C:\path 'quoted'"#;
        let record: Record = toml::from_str(&template(&draft(title), &vocabulary())).unwrap();
        assert_eq!(record.title, title);
        assert_eq!(record.kind, Kind::Fund);
        assert_eq!(record.sectors, ["trade", "health"]);
        assert_eq!(record.countries, ["MEX"]);
    }

    #[test]
    fn template_mentions_every_field() {
        let text = template(&draft("T"), &vocabulary());
        let starts_a_line = |key: &str| {
            text.lines().any(|line| {
                let line = line.strip_prefix("# ").unwrap_or(line);
                line.starts_with(&format!("{key} = ")) || line == format!("[[{key}]]")
            })
        };
        for key in RECORD_KEYS.iter().chain(SOURCE_KEYS) {
            assert!(starts_a_line(key), "the template lacks `{key}`");
        }
    }

    #[test]
    fn uncommented_template_is_a_valid_shape() {
        let text = template(&draft("T"), &vocabulary());
        let uncommented: String = text
            .lines()
            .map(|line| match line.strip_prefix("# ") {
                Some(rest) if rest.contains(" = ") => rest,
                _ => line,
            })
            .collect::<Vec<_>>()
            .join("\n");
        let record: Record = toml::from_str(&uncommented).unwrap();
        assert_eq!(record.scope, Some(Scope::National));
    }
}
