//! `migdev sectors`: the handbook's 13 sectors with their record counts.

use std::io::Write;
use std::process::ExitCode;

use comfy_table::{Cell, CellAlignment};
use migdev::search;

use super::Context;
use crate::output;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(ctx: &Context, _args: Args) -> anyhow::Result<ExitCode> {
    let fresh = ctx.open()?;
    let counts = search::sector_counts(&fresh.opened)?;
    let mut table = output::table(&["#", "sector", "label", "primary", "all"]);
    for (i, count) in counts.iter().enumerate() {
        table.add_row(vec![
            Cell::new(i + 1),
            Cell::new(&count.slug),
            Cell::new(&count.label),
            Cell::new(count.primary).set_alignment(CellAlignment::Right),
            Cell::new(count.any).set_alignment(CellAlignment::Right),
        ]);
    }
    writeln!(std::io::stdout().lock(), "{table}")?;
    ctx.note(&format!(
        "{} records; \"primary\" counts records whose first sector it is, \"all\" every record tagged with it",
        fresh.opened.manifest.record_count
    ));
    Ok(ExitCode::SUCCESS)
}
