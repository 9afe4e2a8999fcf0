//! `migdev sectors`: the handbook's 13 sectors with their record counts.

use std::io::Write;
use std::process::ExitCode;

use comfy_table::{Cell, CellAlignment};
use migdev::search::{self, SectorCount};

use super::Context;
use crate::output::{self, printable};

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(ctx: &Context, _args: Args) -> anyhow::Result<ExitCode> {
    let fresh = ctx.open()?;
    let counts = search::sector_counts(&fresh.opened)?;
    let width = usize::from(output::width());
    let mut out = std::io::stdout().lock();
    if width < output::NARROW {
        write_list(&mut out, &counts, width)?;
    } else {
        let mut table = output::table(&["#", "sector", "label", "primary", "all"]);
        for (i, count) in counts.iter().enumerate() {
            table.add_row(vec![
                Cell::new(i + 1),
                Cell::new(printable(&count.slug)),
                Cell::new(printable(&count.label)),
                Cell::new(count.primary).set_alignment(CellAlignment::Right),
                Cell::new(count.any).set_alignment(CellAlignment::Right),
            ]);
        }
        writeln!(out, "{table}")?;
    }
    ctx.note(&format!(
        "{} records; \"primary\" counts records whose first sector it is, \"all\" every record tagged with it",
        fresh.opened.manifest.record_count
    ));
    Ok(ExitCode::SUCCESS)
}

/// The sectors as a list for terminals too narrow for the table: label, then slug and counts
/// indented below it, each wrapped to `width`.
fn write_list(out: &mut impl Write, counts: &[SectorCount], width: usize) -> std::io::Result<()> {
    for (i, count) in counts.iter().enumerate() {
        let number = format!("{:<3} ", format!("{}.", i + 1));
        let label = textwrap::Options::new(width)
            .initial_indent(&number)
            .subsequent_indent("    ");
        writeln!(out, "{}", textwrap::fill(&printable(&count.label), label))?;
        let details = format!(
            "{}: {} primary, {} all",
            printable(&count.slug),
            count.primary,
            count.any
        );
        let indented = textwrap::Options::new(width)
            .initial_indent("    ")
            .subsequent_indent("    ");
        writeln!(out, "{}", textwrap::fill(&details, indented))?;
    }
    Ok(())
}
