//! `migdev man`: a roff man page generated from the clap definition, so it matches `--help`.

use std::io;
use std::process::ExitCode;

use clap::CommandFactory;

use crate::Cli;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    clap_mangen::Man::new(Cli::command()).render(&mut io::stdout().lock())?;
    Ok(ExitCode::SUCCESS)
}
