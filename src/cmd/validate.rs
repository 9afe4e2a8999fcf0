//! `migdev validate`: every problem in data/, each with its file, line and column.

use std::io::{self, Write};
use std::process::ExitCode;

use migdev::catalogue;
use migdev::problem::Problem;

use super::{Context, ReportFormat};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// text: problems on stderr for people; json: an array on stdout for editors and CI.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = ReportFormat::Text)]
    format: ReportFormat,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let loaded = catalogue::load(&ctx.paths)?;
    // The thesaurus is curated data too: its problems are reported with the records'.
    let mut problems = loaded.problems.clone();
    problems.extend(migdev::search::synonyms::check(&ctx.paths.data));
    let problems = &problems;
    match args.format {
        ReportFormat::Text => print_text(problems),
        ReportFormat::Json => print_json(problems)?,
    }
    if problems.is_empty() {
        ctx.note(&format!(
            "{} and {}: no problems",
            migdev::text::count(loaded.catalogue.entries.len(), "record"),
            migdev::text::count(loaded.catalogue.sectors.list.len(), "sector")
        ));
        return Ok(ExitCode::SUCCESS);
    }
    Ok(ExitCode::from(2))
}

/// People read problems on stderr, as compilers print them.
fn print_text(problems: &[Problem]) {
    if problems.is_empty() {
        return;
    }
    for problem in problems {
        eprintln!("{problem}");
    }
    eprintln!("{} found", migdev::text::count(problems.len(), "problem"));
}

/// Tools read one JSON array on stdout, `[]` when all is well.
fn print_json(problems: &[Problem]) -> anyhow::Result<()> {
    let mut out = io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, problems)?;
    writeln!(out)?;
    Ok(())
}
