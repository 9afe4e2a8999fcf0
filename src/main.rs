//! The `migdev` command line: parses arguments, calls the library, prints.
#![forbid(unsafe_code)]

mod cmd;
mod output;
mod progress;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Tantivy allocates and frees many small buffers while indexing; mimalloc does this
/// faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A searchable catalogue of migration-and-development programme experiences.
#[derive(Debug, Parser)]
#[command(name = "migdev", version, about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

/// Options every command understands.
#[derive(Debug, clap::Args)]
pub struct Global {
    /// The catalogue's data folder (default: the nearest `data/` holding sectors.toml).
    #[arg(long, global = true, env = "MIGDEV_DATA", value_name = "DIR")]
    data: Option<PathBuf>,
    /// The index folder (default: `index/` beside the data folder).
    #[arg(long, global = true, env = "MIGDEV_INDEX", value_name = "DIR")]
    index: Option<PathBuf>,
    /// Do not check the index against data/ before reading it.
    #[arg(long, global = true)]
    no_refresh: bool,
    /// Silence notes on stderr (warnings and errors still show).
    #[arg(short, long, global = true)]
    quiet: bool,
    /// When to use colours: auto (on a terminal, unless NO_COLOR is set), always or never.
    #[arg(long, global = true, value_name = "WHEN", default_value = "auto")]
    color: output::ColorWhen,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Full-text search with filters; ranked results.
    Search(cmd::search::Args),
    /// Show one record in full.
    Show(cmd::show::Args),
    /// The sectors in handbook order with their record counts.
    Sectors(cmd::sectors::Args),
    /// Check every record and vocabulary file; report all problems.
    Validate(cmd::validate::Args),
    /// Rebuild the index from data/.
    Rebuild(cmd::rebuild::Args),
    /// Value counts (sector, region, country, kind, status, decade, organisation) for a query.
    Facets(cmd::facets::Args),
    /// Records most like a given one.
    Similar(cmd::similar::Args),
    /// Every matching record as CSV, JSON or JSON Lines.
    Export(cmd::export::Args),
    /// Report the state of the catalogue and index (counts, age, staleness, checksums).
    Doctor(cmd::doctor::Args),
    /// Write a new record file from a commented template.
    New(cmd::new::Args),
    /// Serve the catalogue as a local web page and JSON API.
    Serve(cmd::serve::Args),
    /// Print shell completions.
    Completions(cmd::completions::Args),
    /// Print the man page.
    Man(cmd::man::Args),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) if err.kind() == clap::error::ErrorKind::UnknownArgument => {
            let args: Vec<String> = std::env::args().collect();
            match cmd::search::hyphen_query_hint(&args) {
                Some(message) => {
                    eprintln!("{message}");
                    return ExitCode::from(2);
                }
                None => err.exit(),
            }
        }
        Err(err) => err.exit(),
    };
    match run(cli) {
        Ok(code) => code,
        Err(err) if output::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    // Finding the catalogue is each command's first step, except for the two that
    // describe the program itself.
    let context = || cmd::Context::new(&cli.global);
    match cli.command {
        Command::Search(args) => cmd::search::run(&context()?, args),
        Command::Show(args) => cmd::show::run(&context()?, args),
        Command::Sectors(args) => cmd::sectors::run(&context()?, args),
        Command::Validate(args) => cmd::validate::run(&context()?, args),
        Command::Rebuild(args) => cmd::rebuild::run(&context()?, args),
        Command::Facets(args) => cmd::facets::run(&context()?, args),
        Command::Similar(args) => cmd::similar::run(&context()?, args),
        Command::Export(args) => cmd::export::run(&context()?, args),
        Command::Doctor(args) => cmd::doctor::run(&context()?, args),
        Command::New(args) => cmd::new::run(&context()?, args),
        Command::Serve(args) => cmd::serve::run(&context()?, args),
        Command::Completions(args) => cmd::completions::run(args),
        Command::Man(args) => cmd::man::run(args),
    }
}
