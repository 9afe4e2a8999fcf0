//! `migdev show ID`: one record laid out for reading, or as Markdown.

use std::io::Write;
use std::process::ExitCode;

use migdev::sectors::Sectors;
use migdev::{Entry, Error, Record, countries, search};

use super::Context;
use crate::output::{self, Format, printable};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The record id (its file name without `.toml`).
    id: String,
    /// Output format: table (the record laid out for reading), markdown (the same as a
    /// Markdown document), json, jsonl, csv or ids.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let fresh = ctx.open()?;
    let opened = &fresh.opened;
    let Some(entry) = search::by_id(opened, &ctx.paths, &args.id)? else {
        return Err(Error::UnknownId {
            closest: search::closest_ids(opened, &args.id)?,
            id: args.id,
        }
        .into());
    };
    let sectors = &opened.manifest.sectors;
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Table => write_text(&mut out, &entry, sectors, usize::from(output::width()))?,
        Format::Markdown => write_markdown(&mut out, &entry, sectors)?,
        format => {
            drop(out);
            let hit = search::Hit {
                entry,
                score: None,
                snippet: None,
                explain: None,
            };
            super::hits::print(ctx, format, &[hit], sectors)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The short facts of a record, label and value, in reading order; absent ones left out.
fn facts(entry: &Entry, sectors: &Sectors) -> Vec<(&'static str, String)> {
    let r = &entry.record;
    let mut facts = vec![("id", entry.id.clone()), ("kind", r.kind.to_string())];
    let sector_labels: Vec<&str> = r.sectors.iter().map(|s| sectors.label(s)).collect();
    facts.push(("sectors", sector_labels.join("; ")));
    for (label, codes) in [
        ("countries", &r.countries),
        ("origin", &r.origin),
        ("destination", &r.destination),
    ] {
        if !codes.is_empty() {
            facts.push((label, country_names(codes)));
        }
    }
    if let Some(scope) = r.scope {
        facts.push(("scope", scope.to_string()));
    }
    if !r.organisations.is_empty() {
        facts.push(("organisations", r.organisations.join("; ")));
    }
    let years = r.years();
    let status = r.status.map(|s| s.to_string()).unwrap_or_default();
    match (years.is_empty(), status.is_empty()) {
        (false, false) => facts.push(("years", format!("{years} ({status})"))),
        (false, true) => facts.push(("years", years)),
        (true, false) => facts.push(("status", status)),
        (true, true) => {}
    }
    if !r.keywords.is_empty() {
        facts.push(("keywords", r.keywords.join("; ")));
    }
    if !r.gcm_objectives.is_empty() {
        let objectives: Vec<String> = r.gcm_objectives.iter().map(i64::to_string).collect();
        facts.push(("GCM objectives", objectives.join(", ")));
    }
    facts
}

/// Country names with their codes: `Mexico (MEX); Côte d'Ivoire (CIV)`.
fn country_names(codes: &[String]) -> String {
    codes
        .iter()
        .map(|c| match countries::by_code(c) {
            Some(country) => format!("{} ({c})", country.name),
            None => c.clone(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The long texts of a record under their headings; absent ones left out.
fn texts(r: &Record) -> impl Iterator<Item = (&'static str, &str)> {
    [
        ("Summary", Some(&r.summary)),
        ("Description", r.description.as_ref()),
        ("Results", r.results.as_ref()),
        ("Lessons", r.lessons.as_ref()),
    ]
    .into_iter()
    .filter_map(|(heading, text)| Some((heading, text?.trim())))
}

/// The paragraphs of a long text, each on one line.
fn paragraphs(text: &str) -> impl Iterator<Item = String> {
    text.split("\n\n")
        .map(|p| p.trim().replace('\n', " "))
        .filter(|p| !p.is_empty())
}

/// A source as one sentence with its kind: `Title. Publisher, 2009 (evaluation).`
fn source_line(source: &migdev::record::Source) -> String {
    let mut line = format!("{}. {}", source.title, source.publisher);
    if let Some(year) = source.year {
        line.push_str(&format!(", {year}"));
    }
    line.push_str(&format!(" ({}).", source.kind));
    line
}

/// A source's addresses: its own, then the copy it was read in.
fn source_addresses(source: &migdev::record::Source) -> impl Iterator<Item = String> {
    let url = source.url.iter().map(|url| url.to_string());
    let via = source.via.iter().map(|via| format!("via {via}"));
    url.chain(via)
}

/// The record laid out for a terminal `width` columns wide: every line fits, and below
/// [`output::NARROW`] columns each value goes under its label.
fn write_text(
    out: &mut impl Write,
    entry: &Entry,
    sectors: &Sectors,
    width: usize,
) -> std::io::Result<()> {
    let width = width.min(100);
    let r = &entry.record;
    let narrow = width < output::NARROW;
    let wrap = |text: &str, first: &str, rest: &str| {
        let options = textwrap::Options::new(width)
            .initial_indent(first)
            .subsequent_indent(rest);
        textwrap::fill(&printable(text), options)
    };
    let title = wrap(&r.title, "", "");
    let underline = title.lines().map(textwrap::core::display_width).max();
    writeln!(out, "{title}\n{}", "=".repeat(underline.unwrap_or(0)))?;
    let facts = facts(entry, sectors);
    let label_width = facts.iter().map(|(l, _)| l.len()).max().unwrap_or(0) + 2;
    let hanging = " ".repeat(label_width);
    for (label, value) in facts {
        if narrow {
            writeln!(out, "{label}:\n{}", wrap(&value, "  ", "  "))?;
        } else {
            let line = format!("{:<label_width$}{value}", format!("{label}:"));
            writeln!(out, "{}", wrap(&line, "", &hanging))?;
        }
    }
    for (heading, text) in texts(r) {
        writeln!(out, "\n{heading}")?;
        for paragraph in paragraphs(text) {
            writeln!(out, "{}", wrap(&paragraph, "  ", "  "))?;
        }
    }
    writeln!(out, "\nSources")?;
    for (i, source) in r.sources.iter().enumerate() {
        let number = format!("  {}. ", i + 1);
        writeln!(out, "{}", wrap(&source_line(source), &number, "     "))?;
        for address in source_addresses(source) {
            // Addresses stay whole where they fit, so they can be copied.
            if narrow {
                writeln!(out, "{}", wrap(&address, "     ", "     "))?;
            } else {
                writeln!(out, "     {}", printable(&address))?;
            }
        }
    }
    Ok(())
}

/// The record as a Markdown document: title heading, a list of facts, a section per text
/// and a numbered list of sources.
fn write_markdown(out: &mut impl Write, entry: &Entry, sectors: &Sectors) -> std::io::Result<()> {
    let r = &entry.record;
    writeln!(out, "# {}", markdown(&r.title))?;
    writeln!(out)?;
    for (label, value) in facts(entry, sectors) {
        writeln!(out, "- **{label}:** {}", markdown(&value))?;
    }
    for (heading, text) in texts(r) {
        writeln!(out, "\n## {heading}\n")?;
        let paragraphs: Vec<String> = paragraphs(text).map(|p| markdown(&p)).collect();
        writeln!(out, "{}", paragraphs.join("\n\n"))?;
    }
    writeln!(out, "\n## Sources\n")?;
    for (i, source) in r.sources.iter().enumerate() {
        let mut line = format!("{}. {}", i + 1, markdown(&source_line(source)));
        let link = |url: &str| format!("<{}>", printable(url).replace(['<', '>', ' '], ""));
        if let Some(url) = &source.url {
            line.push_str(&format!(" {}", link(url)));
        }
        if let Some(via) = &source.via {
            line.push_str(&format!(" (via {})", link(via)));
        }
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// Record text for Markdown: printable, on one line, with the characters that Markdown
/// would read as formatting escaped.
fn markdown(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in printable(text).chars() {
        match c {
            '\n' => escaped.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' => {
                escaped.push('\\');
                escaped.push(c);
            }
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Control characters that validation refuses can still sit in an index an older
    /// migdev built; the layout must not pass them on.
    #[test]
    fn the_layouts_drop_escape_codes_from_every_field() {
        let record: Record = toml::from_str(
            "title = \"T\\u001b]0;x\\u0007\"\nkind = \"fund\"\nsectors = [\"trade\"]\n\
             organisations = [\"Org\\u001b[2J\"]\nsummary = \"S\\u001b[31m\"\n\
             [[sources]]\ntitle = \"Src\\u0007\"\npublisher = \"P\"\nkind = \"news\"\n\
             url = \"https://e.org/\\u001b\"\n",
        )
        .expect("a record");
        let entry = Entry {
            id: "t".into(),
            path: "t.toml".into(),
            record,
        };
        let sectors = Sectors::default();
        for width in [30, 100] {
            let mut text = Vec::new();
            write_text(&mut text, &entry, &sectors, width).unwrap();
            let text = String::from_utf8(text).unwrap();
            assert!(!text.contains(['\u{1b}', '\u{7}']), "{text:?}");
            assert!(text.contains("Org[2J"), "{text:?}");
        }
        let mut markdown = Vec::new();
        write_markdown(&mut markdown, &entry, &sectors).unwrap();
        let markdown = String::from_utf8(markdown).unwrap();
        assert!(!markdown.contains(['\u{1b}', '\u{7}']), "{markdown:?}");
    }
}
