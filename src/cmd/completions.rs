//! `migdev completions SHELL`: completion scripts generated from the clap definition,
//! so they never fall behind the commands.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::CommandFactory;
use clap_complete::Shell;

use crate::Cli;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell to complete for.
    #[arg(value_enum)]
    shell: Shell,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    // clap_complete panics on a failed write; generating into memory first lets a closed
    // pipe come back as an error instead.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "migdev", &mut script);
    io::stdout().lock().write_all(&script)?;
    Ok(ExitCode::SUCCESS)
}
