//! `migdev search`: ranked full-text search with filters.

use std::io::Write;
use std::process::ExitCode;

use comfy_table::Cell;
use migdev::search::{self, Request};

use super::{Context, FilterFlags, found};
use crate::output;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Words, "phrases", +required, -excluded, field:term (title, keyword, summary, text,
    /// organisation, country, sector, kind, status, year:[2000 TO 2010]). Empty lists all.
    query: Vec<String>,
    #[command(flatten)]
    filters: FilterFlags,
    /// How many results to show.
    #[arg(long, default_value_t = 20)]
    limit: usize,
    /// Refuse a query with broken syntax (exit 2) instead of searching what can be read.
    #[arg(long)]
    strict: bool,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let fresh = ctx.open()?;
    let sectors = &fresh.opened.manifest.sectors;
    let filters = args.filters.args().resolve(sectors)?;
    let request = Request {
        text: args.query.join(" "),
        filters,
        limit: Some(args.limit),
        strict: args.strict,
        ..Request::default()
    };
    let results = search::run(&fresh.opened, &ctx.paths, &request)?;
    for note in &results.notes {
        eprintln!("{note}");
    }
    if results.hits.is_empty() {
        ctx.note("no matching records");
        return Ok(found(false));
    }
    let mut table = output::table(&["id", "title", "sector", "countries", "years", "score"]);
    for hit in &results.hits {
        let r = &hit.entry.record;
        table.add_row(vec![
            Cell::new(&hit.entry.id),
            Cell::new(&r.title),
            Cell::new(r.primary_sector().map(|s| sectors.label(s)).unwrap_or("")),
            Cell::new(r.countries.join(" ")),
            Cell::new(r.years()),
            Cell::new(hit.score.map(|s| format!("{s:.2}")).unwrap_or_default()),
        ]);
    }
    output::keep_whole(&mut table, &[4, 5]);
    output::widen(&mut table, 1, 40);
    let mut out = std::io::stdout().lock();
    writeln!(out, "{table}")?;
    ctx.note(&format!(
        "{} of {} matching records",
        results.hits.len(),
        results.total
    ));
    Ok(found(true))
}
