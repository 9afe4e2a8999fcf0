//! `migdev export`: every matching record as CSV, JSON or JSON Lines, for scripts.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use migdev::export::{self, Column, CsvOptions, JsonRecord};
use migdev::search::{self, Hit, Request, Sort};
use migdev::sectors::Sectors;
use migdev::storage::atomic;

use super::search::SortArg;
use super::{Context, FilterFlags, found};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The query, as for `search`; empty exports every record that matches the filters.
    query: Vec<String>,
    #[command(flatten)]
    filters: FilterFlags,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    format: ExportFormat,
    /// CSV columns, comma-separated (see the README for every name).
    #[arg(long, value_name = "A,B,C")]
    fields: Option<String>,
    /// Write to this file (atomically: a temporary file renamed into place).
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Export at most this many records.
    #[arg(long)]
    limit: Option<usize>,
    /// Order of the records (default: catalogue order, by id).
    #[arg(long, value_enum, allow_hyphen_values = true)]
    sort: Option<SortArg>,
    /// Start CSV with the byte-order mark that Excel on Windows needs.
    #[arg(long)]
    bom: bool,
    /// End CSV lines with CRLF (strict RFC 4180).
    #[arg(long)]
    crlf: bool,
    /// Do not neutralise spreadsheet formulas (cells starting with = + - @ tab or CR).
    #[arg(long)]
    raw: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ExportFormat {
    Csv,
    Json,
    Jsonl,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let columns = match &args.fields {
        Some(list) => Column::parse_list(list)?,
        None => export::DEFAULT_COLUMNS.to_vec(),
    };
    let fresh = ctx.open()?;
    let sectors = &fresh.opened.manifest.sectors;
    let text = args.query.join(" ");
    let request = Request {
        snippets: !text.trim().is_empty(),
        text,
        filters: args.filters.args().resolve(sectors)?,
        limit: args.limit,
        sort: args.sort.map(Sort::from).unwrap_or(Sort::Relevance),
        ..Request::default()
    };
    let mut results = search::run(&fresh.opened, &ctx.paths, &request)?;
    for note in &results.notes {
        eprintln!("{note}");
    }
    if args.sort.is_none() {
        // Catalogue order; scores stay in the rows when a query ranked them.
        results.hits.sort_by(|a, b| a.entry.id.cmp(&b.entry.id));
    }
    let options = CsvOptions {
        bom: args.bom,
        crlf: args.crlf,
        raw: args.raw,
    };
    let write = |out: &mut dyn Write| {
        write_hits(out, args.format, &results.hits, &columns, sectors, options)
    };
    match &args.output {
        Some(path) => write_atomically(path, write)?,
        None => {
            let mut out = std::io::stdout().lock();
            write(&mut out)?;
        }
    }
    ctx.note(&format!(
        "exported {} of {} matching records",
        results.hits.len(),
        results.total
    ));
    Ok(found(!results.hits.is_empty()))
}

fn write_hits(
    out: &mut dyn Write,
    format: ExportFormat,
    hits: &[Hit],
    columns: &[Column],
    sectors: &Sectors,
    options: CsvOptions,
) -> std::io::Result<()> {
    match format {
        ExportFormat::Csv => export::write_csv(&mut *out, hits, columns, sectors, options)?,
        ExportFormat::Json => {
            let records: Vec<JsonRecord> =
                hits.iter().map(|h| JsonRecord::new(h, sectors)).collect();
            crate::output::write_json(&mut *out, &records)?;
        }
        ExportFormat::Jsonl => {
            for hit in hits {
                serde_json::to_writer(&mut *out, &JsonRecord::new(hit, sectors))?;
                writeln!(out)?;
            }
        }
    }
    out.flush()
}

/// Writes into a temporary file beside `path`, then renames it over `path`: readers never
/// see half a file, and a failure leaves the old file as it was.
fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    atomic::write_atomically(path, |out| {
        write(out).with_context(|| format!("cannot write {}", path.display()))
    })
}
