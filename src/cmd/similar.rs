//! `migdev similar ID`: the records most like a given one.

use std::process::ExitCode;

use migdev::{Error, search};

use super::{Context, FilterFlags, found, hits};
use crate::output::Format;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The record to start from.
    id: String,
    #[command(flatten)]
    filters: FilterFlags,
    /// How many records to show.
    #[arg(long, default_value_t = 10)]
    limit: usize,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let fresh = ctx.open()?;
    let sectors = &fresh.opened.manifest.sectors;
    let filters = args.filters.args().resolve(sectors)?;
    let Some(results) = search::similar(&fresh.opened, &ctx.paths, &args.id, &filters, args.limit)?
    else {
        return Err(Error::UnknownId {
            closest: search::closest_ids(&fresh.opened, &args.id)?,
            id: args.id,
        }
        .into());
    };
    if results.hits.is_empty() {
        ctx.note("no similar records");
        return Ok(found(false));
    }
    hits::print(ctx, args.format, &results.hits, sectors)?;
    Ok(found(true))
}
