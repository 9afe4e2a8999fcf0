//! `migdev doctor`: report the state of the catalogue and the index; exit 2 when
//! something needs a person.

use std::io::{self, Write};
use std::process::ExitCode;
use std::time::Duration;

use migdev::doctor::{self, IndexState, Report};

use super::{Context, ReportFormat};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// text: a report for people; json: one object on stdout for scripts.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = ReportFormat::Text)]
    format: ReportFormat,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let report = doctor::examine(&ctx.paths)?;
    let mut out = io::stdout().lock();
    match args.format {
        ReportFormat::Text => write_text(&mut out, &report)?,
        ReportFormat::Json => {
            let mut value = serde_json::to_value(&report)?;
            value["ok"] = (!report.is_wrong()).into();
            serde_json::to_writer_pretty(&mut out, &value)?;
            writeln!(out)?;
        }
    }
    Ok(if report.is_wrong() {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

fn write_text(out: &mut impl Write, report: &Report) -> io::Result<()> {
    let data = &report.data;
    writeln!(out, "data   {}", data.path)?;
    writeln!(
        out,
        "       {} and {}, {}",
        migdev::text::count(data.records, "valid record"),
        migdev::text::count(data.sectors, "sector"),
        match data.problems.len() {
            0 => "no problems".to_string(),
            n => format!(
                "{} (listed below; `migdev validate` shows them too)",
                migdev::text::count(n, "problem")
            ),
        }
    )?;
    for problem in &data.problems {
        // The hint goes under its problem, indented one step further.
        let text = problem.to_string().replace('\n', "\n       ");
        writeln!(out, "       {text}")?;
    }
    match &report.index {
        IndexState::Unusable { path, reason } => {
            writeln!(out, "index  {path}")?;
            writeln!(out, "       unusable: {reason}")?;
            writeln!(
                out,
                "       hint: `migdev rebuild` builds it (any search does too)"
            )?;
        }
        IndexState::Usable(index) => {
            writeln!(out, "index  {}", index.path)?;
            writeln!(
                out,
                "       {}, generation {}",
                migdev::text::count(index.records, "record"),
                index.generation
            )?;
            writeln!(
                out,
                "       built {} ({} ago)",
                index.built_at,
                humantime::format_duration(Duration::from_secs(index.age_seconds))
            )?;
            if index.changes.is_empty() {
                writeln!(out, "       up to date with data/")?;
            } else if data.blocks_refresh {
                writeln!(
                    out,
                    "       stale ({}): no search can refresh it until the problems above are fixed",
                    index.changes
                )?;
            } else if data.problems.is_empty() {
                writeln!(
                    out,
                    "       stale ({}): the next search refreshes it, or run `migdev rebuild`",
                    index.changes
                )?;
            } else {
                writeln!(
                    out,
                    "       stale ({}): the next search refreshes it around the files with problems",
                    index.changes
                )?;
            }
            if !index.held.is_empty() {
                writeln!(
                    out,
                    "       holds the last good version (or nothing) of {} with problems: {}",
                    migdev::text::count(index.held.len(), "record file"),
                    index.held.join(", ")
                )?;
            }
            if index.checksum_failures.is_empty() {
                writeln!(
                    out,
                    "       checksums ok ({})",
                    migdev::text::count(index.segments, "segment")
                )?;
            } else {
                writeln!(
                    out,
                    "       checksum failed: {}",
                    index.checksum_failures.join(", ")
                )?;
                writeln!(out, "       hint: run `migdev rebuild`")?;
            }
        }
    }
    writeln!(
        out,
        "{}",
        if report.is_wrong() {
            "something is wrong: see above"
        } else {
            "all well"
        }
    )
}
