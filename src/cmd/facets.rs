//! `migdev facets`: value counts for the records matching a query and filters.

use std::io::Write;
use std::process::ExitCode;

use comfy_table::{Cell, CellAlignment};
use migdev::facets::{self, By, Facet};
use migdev::search::{self, Request};

use super::{Context, FilterFlags};
use crate::output::{self, Format};

/// What `search --facets` and a bare `facets` show.
pub const DEFAULT_DIMENSIONS: [By; 4] = [By::Sector, By::Region, By::Kind, By::Status];

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The query, as for `search`; empty counts every record that matches the filters.
    query: Vec<String>,
    #[command(flatten)]
    filters: FilterFlags,
    /// Dimensions to count; repeat for several (default: sector, region, kind, status).
    #[arg(long = "by", value_enum)]
    by: Vec<ByArg>,
    /// Values to show per dimension (and per region for sub-regions).
    #[arg(long, default_value_t = 20)]
    top: usize,
    /// Output format: table, json, csv or markdown.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    #[command(flatten)]
    matching: super::MatchFlags,
    /// Refuse a query with broken syntax (exit 2).
    #[arg(long)]
    strict: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ByArg {
    Sector,
    Region,
    Country,
    Kind,
    Status,
    Decade,
    Organisation,
    /// The kinds of source records cite: official, evaluation, research, news, data.
    Evidence,
    Origin,
    Destination,
}

impl From<ByArg> for By {
    fn from(arg: ByArg) -> By {
        match arg {
            ByArg::Sector => By::Sector,
            ByArg::Region => By::Region,
            ByArg::Country => By::Country,
            ByArg::Kind => By::Kind,
            ByArg::Status => By::Status,
            ByArg::Decade => By::Decade,
            ByArg::Organisation => By::Organisation,
            ByArg::Evidence => By::Evidence,
            ByArg::Origin => By::Origin,
            ByArg::Destination => By::Destination,
        }
    }
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    if matches!(args.format, Format::Jsonl | Format::Ids) {
        anyhow::bail!(migdev::Error::Argument {
            message: "--format: facets are printed as table, json, csv or markdown".into(),
            hint: "use --format json for scripts".into(),
        });
    }
    let fresh = ctx.open()?;
    let request = Request {
        text: args.query.join(" "),
        filters: args
            .filters
            .args()
            .resolve(&fresh.opened.manifest.sectors)?,
        strict: args.strict,
        matching: args.matching.matching(),
        ..Request::default()
    };
    let dimensions: Vec<By> = if args.by.is_empty() {
        DEFAULT_DIMENSIONS.to_vec()
    } else {
        args.by.into_iter().map(By::from).collect()
    };
    // The same prepared query as `search`: corrected, expanded, relaxed.
    let (options, warnings) = request.options(&ctx.paths);
    let prepared = search::prepare(&fresh.opened, &request.text, &request.filters, &options)?;
    for note in warnings.iter().chain(prepared.notes()) {
        eprintln!("{note}");
    }
    let counted = facets::count(&fresh.opened, &prepared, &dimensions, args.top)?;
    print_counts(&counted, args.format)?;
    Ok(super::found(counted.iter().any(|f| !f.counts.is_empty())))
}

/// Prints facet counts in a table, JSON, CSV or Markdown.
pub fn print_counts(counted: &[Facet], format: Format) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match format {
        Format::Json => output::write_json(&mut out, &counted)?,
        Format::Csv => {
            let mut writer = csv::Writer::from_writer(&mut out);
            writer.write_record(["dimension", "value", "label", "parent", "count"])?;
            for facet in counted {
                for row in facet.counts.iter().flat_map(|c| c.rows()) {
                    writer.write_record([
                        facet.by,
                        &row.count.value,
                        &row.count.label,
                        row.parent.unwrap_or(""),
                        &row.count.count.to_string(),
                    ])?;
                }
            }
            writer.flush()?;
        }
        _ => {
            let header = ["facet", "value", "count"];
            let mut table = if format == Format::Markdown {
                output::markdown_table(&header)
            } else {
                output::table(&header)
            };
            for facet in counted {
                add_rows(&mut table, facet);
            }
            writeln!(out, "{table}")?;
        }
    }
    out.flush()?;
    Ok(())
}

fn add_rows(table: &mut comfy_table::Table, facet: &Facet) {
    for row in facet.counts.iter().flat_map(|c| c.rows()) {
        let name = if row.depth == 0 { facet.by } else { "" };
        table.add_row(vec![
            Cell::new(name),
            Cell::new(format!(
                "{}{}",
                "  ".repeat(row.depth),
                output::printable(&row.count.label)
            )),
            Cell::new(row.count.count).set_alignment(CellAlignment::Right),
        ]);
    }
}
