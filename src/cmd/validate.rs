//! `migdev validate`: every problem in data/, each with its file, line and column.

use std::io::{self, Write};
use std::process::ExitCode;

use migdev::catalogue;
use migdev::problem::Problem;
use migdev::validation::advice;

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
    problems.extend(loaded.catalogue.entries.iter().flat_map(advice::advise));
    let errors = problems.iter().filter(|p| !p.is_warning()).count();
    let warnings = problems.len() - errors;
    match args.format {
        ReportFormat::Text => print_text(&problems, errors),
        ReportFormat::Json => print_json(&problems)?,
    }
    if errors > 0 {
        return Ok(ExitCode::from(2));
    }
    let advice = if warnings > 0 {
        format!(" ({})", migdev::text::count(warnings, "warning"))
    } else {
        String::new()
    };
    ctx.note(&format!(
        "{} and {}: no problems{advice}",
        migdev::text::count(loaded.catalogue.entries.len(), "record"),
        migdev::text::count(loaded.catalogue.sectors.list.len(), "sector")
    ));
    Ok(ExitCode::SUCCESS)
}

/// People read problems on stderr, as compilers print them; warnings alone do not fail.
fn print_text(problems: &[Problem], errors: usize) {
    for problem in problems {
        eprintln!("{problem}");
    }
    if errors > 0 {
        eprintln!("{} found", migdev::text::count(errors, "problem"));
    }
}

/// Tools read one JSON array on stdout, `[]` when all is well.
fn print_json(problems: &[Problem]) -> anyhow::Result<()> {
    let mut out = io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, problems)?;
    writeln!(out)?;
    Ok(())
}
