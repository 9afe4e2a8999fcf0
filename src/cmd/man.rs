//! `migdev man`: a roff man page generated from the clap definition, so it matches
//! `--help`. One page holds every command (there are no migdev-search(1) pages to point
//! at), the query syntax and the exit status.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::CommandFactory;
use clap_mangen::roff::{Roff, bold, italic, roman};

use crate::Cli;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    let command = Cli::command();
    let page = clap_mangen::Man::new(command.clone());
    let mut out = io::stdout().lock();
    page.render_title(&mut out)?;
    page.render_name_section(&mut out)?;
    page.render_synopsis_section(&mut out)?;
    page.render_description_section(&mut out)?;
    page.render_options_section(&mut out)?;
    commands(&command).to_writer(&mut out)?;
    query_syntax().to_writer(&mut out)?;
    exit_status().to_writer(&mut out)?;
    page.render_version_section(&mut out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Every command with its own options, on this page.
fn commands(command: &clap::Command) -> Roff {
    let mut roff = Roff::new();
    roff.control("SH", ["COMMANDS"]);
    for sub in command.get_subcommands() {
        roff.control("SS", [format!("migdev {}", sub.get_name()).as_str()]);
        if let Some(about) = sub.get_about() {
            roff.text([roman(about.to_string())]);
        }
        for arg in sub.get_arguments() {
            if arg.is_hide_set() || arg.is_global_set() {
                continue;
            }
            let value = arg
                .get_value_names()
                .map(|names| names.join(" "))
                .unwrap_or_else(|| arg.get_id().to_string().to_uppercase());
            let name = match (arg.get_long(), arg.get_short()) {
                (Some(long), Some(short)) => format!("-{short}, --{long}"),
                (Some(long), None) => format!("--{long}"),
                (None, Some(short)) => format!("-{short}"),
                (None, None) => String::new(),
            };
            roff.control("TP", []);
            let takes_value = arg.get_action().takes_values();
            match (name.is_empty(), takes_value) {
                (true, _) => roff.text([italic(value)]),
                (false, true) => roff.text([bold(name), roman(" "), italic(value)]),
                (false, false) => roff.text([bold(name)]),
            };
            if let Some(help) = arg.get_help() {
                roff.text([roman(help.to_string())]);
            }
        }
    }
    roff
}

/// The query language of `search`, `facets` and `export`.
fn query_syntax() -> Roff {
    let mut roff = Roff::new();
    roff.control("SH", ["QUERY SYNTAX"]);
    roff.text([roman(
        "Words are ANDed. \"a phrase\" matches the words in order; +word requires a word and \
         -word excludes it (a query that starts with - goes after --); a OR b matches either. \
         field:word searches one field: title, keyword, summary, text (description, results \
         and lessons), organisation, country (code or name), sector (slug words or label), \
         kind, status, and year (start year, e.g. year:[2000 TO 2010]).",
    )]);
    roff.text([roman(
        "Text is lower-cased, ASCII-folded and stemmed. A word that matches nothing is \
         corrected to the closest catalogue word; --strict makes any ignored or corrected \
         input an error.",
    )]);
    roff
}

/// What the exit code says, as grep's does.
fn exit_status() -> Roff {
    let mut roff = Roff::new();
    roff.control("SH", ["EXIT STATUS"]);
    for (code, meaning) in [
        ("0", "results were found, or the command succeeded"),
        ("1", "no results were found"),
        (
            "2",
            "an error: bad input, invalid data (validate, rebuild, doctor) or an unusable index",
        ),
    ] {
        roff.control("TP", []);
        roff.text([bold(code)]);
        roff.text([roman(meaning)]);
    }
    roff
}
