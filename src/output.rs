//! Writing to stdout and stderr: table widths, notes, and quiet exits on closed pipes.

use std::io::{self, IsTerminal};

use comfy_table::{ColumnConstraint, ContentArrangement, Table, presets};

/// Width for tables when stdout is not a terminal, unless `COLUMNS` says otherwise.
const PIPE_WIDTH: u16 = 100;

/// True when the error chain holds a closed-pipe write: the reader (`head`) went away.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        let kind = match cause.downcast_ref::<serde_json::Error>() {
            // JSON written straight to stdout wraps the write error.
            Some(json) => json.io_error_kind(),
            None => cause.downcast_ref::<io::Error>().map(io::Error::kind),
        };
        kind == Some(io::ErrorKind::BrokenPipe)
    })
}

/// A table that fits the terminal, or 100 columns (or `COLUMNS`) when piped.
pub fn table(header: &[&str]) -> Table {
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_HORIZONTAL_ONLY)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header.to_vec());
    if !io::stdout().is_terminal() {
        table.set_width(width());
    }
    table
}

/// Keeps short, unbreakable columns (ids, codes, years, scores) on one line so the
/// long text columns take the wrapping.
pub fn keep_whole(table: &mut Table, columns: &[usize]) {
    for &i in columns {
        if let Some(column) = table.column_mut(i) {
            column.set_constraint(ColumnConstraint::ContentWidth);
        }
    }
}

/// The width to lay text out in.
pub fn width() -> u16 {
    // comfy-table reports the terminal's width when stdout is one.
    if io::stdout().is_terminal()
        && let Some(w) = Table::new().width()
    {
        return w;
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|w| *w >= 40)
        .unwrap_or(PIPE_WIDTH)
}

/// The `--color` choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

impl ColorWhen {
    /// Whether stdout gets colours: `always`, or `auto` on a terminal without NO_COLOR.
    pub fn for_stdout(self) -> bool {
        let choice = match self {
            ColorWhen::Auto => anstream::ColorChoice::Auto,
            ColorWhen::Always => anstream::ColorChoice::Always,
            ColorWhen::Never => anstream::ColorChoice::Never,
        };
        let stream = anstream::AutoStream::new(io::stdout(), choice);
        !matches!(stream.current_choice(), anstream::ColorChoice::Never)
    }
}

/// Output formats for record lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A table fitted to the terminal (100 columns when piped).
    Table,
    /// RFC 4180 CSV with a header row.
    Csv,
    /// One JSON array.
    Json,
    /// One JSON object per line.
    Jsonl,
    /// A Markdown table.
    Markdown,
    /// Record ids, one per line.
    Ids,
}

/// A Markdown table: same content, no width limit.
pub fn markdown_table(header: &[&str]) -> Table {
    let mut table = Table::new();
    table
        .load_preset(presets::ASCII_MARKDOWN)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header.to_vec());
    table
}

/// Marks the highlighted ranges of a snippet in bold (with colour) or leaves it plain.
pub fn render_snippet(snippet: &migdev::search::Snippet, color: bool) -> String {
    let one_line = |s: &str| s.replace(['\n', '\r', '\t'], " ");
    if !color {
        return one_line(&snippet.text);
    }
    let bold = anstyle::Style::new().bold();
    let mut text = String::new();
    let mut at = 0;
    for range in &snippet.highlights {
        text.push_str(&one_line(&snippet.text[at..range.start]));
        text.push_str(&format!("{bold}{}{bold:#}", &snippet.text[range.clone()]));
        at = range.end;
    }
    text.push_str(&one_line(&snippet.text[at..]));
    text
}

/// Writes a JSON value followed by a newline.
pub fn write_json<W: io::Write, T: serde::Serialize>(mut out: W, value: &T) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)
}
