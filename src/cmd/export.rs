//! `migdev export`: every matching record as CSV, JSON or JSON Lines, for scripts.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use migdev::export::{self, Column, CsvOptions, ExportError};
use migdev::search::{self, Request, Sort};
use migdev::storage::atomic;

use super::search::SortArg;
use super::{Context, FilterFlags, found};
use crate::output;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The query, as for `search`; empty exports every record that matches the filters.
    query: Vec<String>,
    #[command(flatten)]
    filters: FilterFlags,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    format: ExportFormat,
    /// The fields to write, comma-separated: CSV columns or JSON keys (see the README).
    #[arg(long, value_name = "A,B,C")]
    fields: Option<String>,
    /// Write to this file (atomically: a temporary file renamed into place); `-` is stdout.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Export at most this many records.
    #[arg(long)]
    limit: Option<usize>,
    /// Skip this many records first (for exporting in parts).
    #[arg(long, default_value_t = 0)]
    offset: usize,
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
    let fields = args.fields.as_deref().map(Column::parse_list).transpose()?;
    let fresh = ctx.open()?;
    let sectors = &fresh.opened.manifest.sectors;
    let text = args.query.join(" ");
    let request = Request {
        snippets: !text.trim().is_empty(),
        text,
        filters: args.filters.args().resolve(sectors)?,
        sort: args.sort.map_or(Sort::Id, Sort::from),
        limit: args.limit,
        offset: args.offset,
        ..Request::default()
    };
    let (options, warnings) = request.options(&ctx.paths);
    let prepared = search::prepare(&fresh.opened, &request.text, &request.filters, &options)?;
    for note in warnings.iter().chain(prepared.notes()) {
        eprintln!("{note}");
    }
    let page = search::Page {
        scores: true,
        ..request.page()
    };
    // Only the order of the matching records is held; each is read as it is written.
    let hits = search::stream(&fresh.opened, &ctx.paths, &prepared, &page)?;
    let (total, found_any) = (hits.total, hits.size_hint().0 > 0);
    let (format, columns) = match args.format {
        ExportFormat::Csv => (
            export::Format::Csv(CsvOptions {
                bom: args.bom,
                crlf: args.crlf,
                raw: args.raw,
            }),
            fields.unwrap_or_else(|| export::DEFAULT_COLUMNS.to_vec()),
        ),
        ExportFormat::Json => (
            export::Format::Json,
            fields.unwrap_or_else(|| export::json_columns(prepared.ranks())),
        ),
        ExportFormat::Jsonl => (
            export::Format::Jsonl,
            fields.unwrap_or_else(|| export::json_columns(prepared.ranks())),
        ),
    };
    let write = |out: &mut dyn Write| export::write(out, format, &columns, sectors, hits);
    let written = match args
        .output
        .as_deref()
        .filter(|path| *path != Path::new("-"))
    {
        // A run that finds nothing exits 1 and, like any failed run, leaves the file alone.
        Some(path) if !found_any => {
            ctx.note(&format!(
                "no matching records; {} left as it was",
                path.display()
            ));
            0
        }
        Some(path) => write_atomically(path, write)?,
        None => {
            output::check_stdout_open()?;
            write(&mut std::io::stdout().lock()).map_err(written_to("stdout"))?
        }
    };
    ctx.note(&format!("exported {written} of {} matching records", total));
    Ok(found(written > 0))
}

/// Context for an export error: where the output went when the write failed.
fn written_to(target: &str) -> impl FnOnce(ExportError) -> anyhow::Error + '_ {
    move |err| match err {
        ExportError::Read(err) => err.into(),
        write => anyhow::Error::new(write).context(format!("cannot write to {target}")),
    }
}

/// Writes `path` through the storage layer: a temporary file renamed into place, so readers
/// never see half a file, a failure leaves the old file as it was, an existing file keeps
/// its mode and a symbolic link is written through to its target.
fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<usize, ExportError>,
) -> anyhow::Result<usize> {
    atomic::write_atomically(path, |out| {
        write(out).map_err(written_to(&path.display().to_string()))
    })
}
