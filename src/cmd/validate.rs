//! `migdev validate`: every problem in data/, each with its file, line and column.

use std::process::ExitCode;

use migdev::catalogue;

use super::Context;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(ctx: &Context, _args: Args) -> anyhow::Result<ExitCode> {
    let loaded = catalogue::load(&ctx.paths)?;
    if loaded.problems.is_empty() {
        ctx.note(&format!(
            "{} records and {} sectors: no problems",
            loaded.catalogue.entries.len(),
            loaded.catalogue.sectors.list.len()
        ));
        return Ok(ExitCode::SUCCESS);
    }
    for problem in &loaded.problems {
        eprintln!("{problem}");
    }
    eprintln!(
        "{} problem{} found",
        loaded.problems.len(),
        if loaded.problems.len() == 1 { "" } else { "s" }
    );
    Ok(ExitCode::from(2))
}
