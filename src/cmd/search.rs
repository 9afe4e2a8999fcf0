//! `migdev search`: ranked full-text search with filters, snippets and paging.

use std::io::Write;
use std::process::ExitCode;

use migdev::search::{self, Request, Sort};

use super::{Context, FilterFlags, found, hits};
use crate::output::Format;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Words or a question; "phrases", +required, -excluded, a OR b, field:term (title,
    /// keyword, summary, text, organisation, country, sector, kind, status,
    /// year:[2000 TO 2010]). Empty lists all. A query that starts with `-` goes after `--`:
    /// `migdev search -- -word`.
    query: Vec<String>,
    #[command(flatten)]
    filters: FilterFlags,
    /// How many results to show; 0 prints only the number of matching records.
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
    /// Also print facet counts (sector, region, kind, status): under the table, or as a
    /// `facets` field beside `records` in JSON. Other machine formats refuse it.
    #[arg(long)]
    facets: bool,
    #[command(flatten)]
    matching: super::MatchFlags,
    /// Show why each record matched: which words (or their corrections and synonyms) were
    /// found in which fields, and the parts of the score.
    #[arg(long)]
    explain: bool,
    /// Refuse a query with broken syntax or control characters (exit 2) instead of
    /// searching what can be read.
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
    if args.facets && !matches!(args.format, Format::Table | Format::Markdown | Format::Json) {
        anyhow::bail!(migdev::Error::Argument {
            message: "--facets: facet counts fit the table, markdown and json formats only".into(),
            hint:
                "use --format json (counts in its `facets` field), or `migdev facets --format csv`"
                    .into(),
        });
    }
    let fresh = ctx.open()?;
    let opened = &fresh.opened;
    let sectors = &opened.manifest.sectors;
    let request = Request {
        text: args.query.join(" "),
        filters: args.filters.args().resolve(sectors)?,
        limit: Some(args.limit),
        offset: args.offset,
        sort: args.sort.into(),
        matching: args.matching.matching(),
        strict: args.strict,
        snippets: !args.no_snippet,
        explain: args.explain,
    };
    let (options, warnings) = request.options(&ctx.paths);
    let prepared = search::prepare(opened, &request.text, &request.filters, &options)?;
    let results = search::fetch(opened, &ctx.paths, &prepared, &request.page())?;
    for note in warnings.iter().chain(&results.notes) {
        eprintln!("{note}");
    }
    if args.limit == 0 {
        // Count only, as `grep -c` does.
        writeln!(std::io::stdout().lock(), "{}", results.total)?;
        return Ok(found(results.total > 0));
    }
    if results.hits.is_empty() {
        ctx.note(&format!(
            "no matching records (total matches: {})",
            results.total
        ));
        return Ok(found(false));
    }
    let facets = if args.facets {
        let counted =
            migdev::facets::count(opened, &prepared, &super::facets::DEFAULT_DIMENSIONS, 10)?;
        Some(counted)
    } else {
        None
    };
    match (&facets, args.format) {
        (Some(counted), Format::Json) => {
            hits::print_json_with_facets(&results.hits, sectors, counted)?
        }
        _ => {
            hits::print(ctx, args.format, &results.hits, sectors)?;
            if let Some(counted) = &facets {
                super::facets::print_counts(counted, args.format)?;
            }
        }
    }
    ctx.note(&format!(
        "showing {}-{} of {} matching records",
        args.offset + 1,
        args.offset + results.hits.len(),
        results.total
    ));
    Ok(found(true))
}

/// The message for a query word that clap took for an option (`search -remittances`).
pub fn hyphen_query_hint(args: &[String]) -> Option<String> {
    let command = args
        .iter()
        .position(|a| matches!(a.as_str(), "search" | "facets" | "export"))?;
    let rest = &args[command + 1..];
    let end = rest.iter().position(|a| a == "--").unwrap_or(rest.len());
    let word = rest[..end].iter().find(|a| {
        let mut chars = a.chars();
        chars.next() == Some('-')
            && chars.next().is_some_and(char::is_alphanumeric)
            && a.chars().count() > 2
    })?;
    Some(format!(
        "error: `{word}` is not an option\n  hint: a query that starts with `-` (a word to exclude) goes after `--`: migdev {} -- {word}",
        args[command]
    ))
}
