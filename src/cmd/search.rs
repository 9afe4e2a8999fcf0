//! `migdev search`: ranked full-text search with filters, snippets and paging.

use std::process::ExitCode;

use migdev::search::{self, Matching, Request, Sort};

use super::{Context, FilterFlags, found, hits};
use crate::output::Format;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Words, "phrases", +required, -excluded, field:term (title, keyword, summary, text,
    /// organisation, country, sector, kind, status, year:[2000 TO 2010]). Empty lists all.
    /// A query that starts with `-` goes after `--`: `migdev search -- -word`.
    query: Vec<String>,
    #[command(flatten)]
    filters: FilterFlags,
    /// How many results to show.
    #[arg(long, default_value_t = 20)]
    limit: usize,
    /// Skip this many results (for paging).
    #[arg(long, default_value_t = 0)]
    offset: usize,
    /// Order of the results.
    #[arg(
        long,
        value_enum,
        default_value = "relevance",
        allow_hyphen_values = true
    )]
    sort: SortArg,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// Do not show a snippet of the matching text.
    #[arg(long)]
    no_snippet: bool,
    /// Also print facet counts (sector, region, kind, status) under the results.
    #[arg(long)]
    facets: bool,
    /// Match every long word with its close spellings too.
    #[arg(long, conflicts_with = "exact")]
    fuzzy: bool,
    /// Match words exactly; never correct a word that matches nothing.
    #[arg(long)]
    exact: bool,
    /// Refuse a query with broken syntax (exit 2) instead of searching what can be read.
    #[arg(long)]
    strict: bool,
}

/// `--sort` values; `-year` is newest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SortArg {
    Relevance,
    Year,
    #[value(name = "-year")]
    YearDesc,
    Title,
}

impl From<SortArg> for Sort {
    fn from(arg: SortArg) -> Sort {
        match arg {
            SortArg::Relevance => Sort::Relevance,
            SortArg::Year => Sort::Year,
            SortArg::YearDesc => Sort::YearDesc,
            SortArg::Title => Sort::Title,
        }
    }
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let fresh = ctx.open()?;
    let sectors = &fresh.opened.manifest.sectors;
    let filters = args.filters.args().resolve(sectors)?;
    let request = Request {
        text: args.query.join(" "),
        filters,
        limit: Some(args.limit),
        offset: args.offset,
        sort: args.sort.into(),
        matching: if args.fuzzy {
            Matching::Fuzzy
        } else if args.exact {
            Matching::Exact
        } else {
            Matching::Auto
        },
        strict: args.strict,
        snippets: !args.no_snippet,
    };
    let results = search::run(&fresh.opened, &ctx.paths, &request)?;
    for note in &results.notes {
        eprintln!("{note}");
    }
    if results.hits.is_empty() {
        ctx.note(&format!(
            "no matching records (total matches: {})",
            results.total
        ));
        return Ok(found(false));
    }
    hits::print(ctx, args.format, &results.hits, sectors)?;
    if args.facets {
        super::facets::print_for(
            &fresh.opened,
            &request,
            &super::facets::DEFAULT_DIMENSIONS,
            10,
            Format::Table,
        )?;
    }
    ctx.note(&format!(
        "showing {}-{} of {} matching records",
        args.offset + 1,
        args.offset + results.hits.len(),
        results.total
    ));
    Ok(found(true))
}
