//! `migdev show ID`: one record laid out for reading.

use std::io::Write;
use std::process::ExitCode;

use migdev::{Error, countries, search};

use super::Context;
use crate::output::{self, Format};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The record id (its file name without `.toml`).
    id: String,
    /// Output format: table (the record laid out for reading), json, jsonl, csv, markdown or ids.
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
    if args.format != Format::Table {
        let hit = search::Hit {
            entry,
            score: None,
            snippet: None,
            explain: None,
        };
        super::hits::print(ctx, args.format, &[hit], sectors)?;
        return Ok(ExitCode::SUCCESS);
    }
    let r = &entry.record;
    let width = usize::from(output::width()).min(100);
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", r.title)?;
    writeln!(out, "{}", "=".repeat(r.title.chars().count().min(width)))?;
    let mut facts: Vec<(&str, String)> =
        vec![("id", entry.id.clone()), ("kind", r.kind.to_string())];
    let sector_labels: Vec<&str> = r.sectors.iter().map(|s| sectors.label(s)).collect();
    facts.push(("sectors", sector_labels.join("; ")));
    if !r.countries.is_empty() {
        let names: Vec<String> = r
            .countries
            .iter()
            .map(|c| match countries::by_code(c) {
                Some(country) => format!("{} ({c})", country.name),
                None => c.clone(),
            })
            .collect();
        facts.push(("countries", names.join("; ")));
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
    let label_width = facts.iter().map(|(l, _)| l.len()).max().unwrap_or(0) + 2;
    let hanging = " ".repeat(label_width);
    for (label, value) in facts {
        let options = textwrap::Options::new(width).subsequent_indent(&hanging);
        let line = format!("{:<label_width$}{value}", format!("{label}:"));
        writeln!(out, "{}", textwrap::fill(&line, options))?;
    }
    for (heading, text) in [
        ("Summary", Some(&r.summary)),
        ("Description", r.description.as_ref()),
        ("Results", r.results.as_ref()),
        ("Lessons", r.lessons.as_ref()),
    ] {
        if let Some(text) = text {
            writeln!(out, "\n{heading}")?;
            let options = textwrap::Options::new(width)
                .initial_indent("  ")
                .subsequent_indent("  ");
            for paragraph in text.trim().split("\n\n") {
                writeln!(
                    out,
                    "{}",
                    textwrap::fill(&paragraph.replace('\n', " "), &options)
                )?;
            }
        }
    }
    writeln!(out, "\nSources")?;
    for (i, source) in r.sources.iter().enumerate() {
        let mut line = format!("{}. {}. {}", i + 1, source.title, source.publisher);
        if let Some(year) = source.year {
            line.push_str(&format!(", {year}"));
        }
        line.push('.');
        let options = textwrap::Options::new(width)
            .initial_indent("  ")
            .subsequent_indent("     ");
        writeln!(out, "{}", textwrap::fill(&line, &options))?;
        if let Some(url) = &source.url {
            writeln!(out, "     {url}")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
