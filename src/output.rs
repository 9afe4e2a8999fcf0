//! Writing to stdout and stderr: table widths, text safe for a terminal, and quiet exits on
//! closed pipes.

use std::borrow::Cow;
use std::io::{self, IsTerminal};

use comfy_table::{ColumnConstraint, ContentArrangement, Table, presets};

/// Width for tables when stdout is not a terminal, unless `COLUMNS` says otherwise.
const PIPE_WIDTH: u16 = 100;

/// Text is never laid out narrower than this, however narrow the terminal says it is.
const MIN_WIDTH: u16 = 20;

/// Below this width, label-value layouts put each value under its label.
pub const NARROW: usize = 60;

/// Record text made safe to print for people: control characters (ESC, BEL, backspace,
/// carriage return...) and bidirectional overrides could clear the screen, set the window
/// title or disguise text, so they are dropped; a tab becomes a space. Newlines stay: they
/// separate paragraphs.
pub fn printable(text: &str) -> Cow<'_, str> {
    let unsafe_char = |c: char| (c.is_control() && c != '\n') || is_bidi_control(c);
    if !text.contains(unsafe_char) {
        return text.into();
    }
    text.chars()
        .filter_map(|c| match c {
            '\t' => Some(' '),
            c if unsafe_char(c) => None,
            c => Some(c),
        })
        .collect::<String>()
        .into()
}

/// Unicode's explicit direction marks and overrides (U+202A-U+202E, U+2066-U+2069).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Refuses to write to a stdout the shell closed (`migdev export >&-`). Rust puts
/// `/dev/null` (opened read-write) in place of a closed standard stream, so every write
/// would vanish and the command would report a success it did not have.
pub fn check_stdout_open() -> anyhow::Result<()> {
    if stdout_was_closed() {
        anyhow::bail!(
            "stdout is closed: nothing can be written\n  hint: redirect stdout to a file, or use --output FILE"
        );
    }
    Ok(())
}

#[cfg(unix)]
fn stdout_was_closed() -> bool {
    use std::os::fd::AsFd;
    let stdout = io::stdout();
    let (Ok(flags), Ok(out), Ok(null)) = (
        rustix::fs::fcntl_getfl(stdout.as_fd()),
        rustix::fs::fstat(stdout.as_fd()),
        rustix::fs::stat("/dev/null"),
    ) else {
        return false;
    };
    // A shell's `>/dev/null` opens it write-only; only the stand-in is read-write.
    (out.st_dev, out.st_ino) == (null.st_dev, null.st_ino)
        && flags.contains(rustix::fs::OFlags::RDWR)
}

#[cfg(not(unix))]
fn stdout_was_closed() -> bool {
    false
}

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
        return w.max(MIN_WIDTH);
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<u16>().ok())
        .filter(|w| *w > 0)
        .map_or(PIPE_WIDTH, |w| w.max(MIN_WIDTH))
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
    let one_line = |s: &str| printable(&s.replace(['\n', '\r', '\t'], " ")).into_owned();
    if !color {
        return one_line(&snippet.text);
    }
    let bold = anstyle::Style::new().bold();
    let mut text = String::new();
    let mut at = 0;
    for range in &snippet.highlights {
        text.push_str(&one_line(&snippet.text[at..range.start]));
        text.push_str(&format!(
            "{bold}{}{bold:#}",
            one_line(&snippet.text[range.clone()])
        ));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_drops_terminal_controls_and_keeps_line_breaks() {
        let text = "A\u{1b}]0;owned\u{7}\u{1b}[2J title\u{8}\r\n\u{202e}x\u{2066}\ty\u{9b}z";
        assert_eq!(printable(text), "A]0;owned[2J title\nx yz");
        assert!(matches!(printable("plain\ntext"), Cow::Borrowed(_)));
    }
}
