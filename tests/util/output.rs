//! What a run printed, and the assertions and readers over it (ids, JSON, the table).

use super::*;

/// What a run printed, and how it exited.
#[derive(Clone, PartialEq, Eq)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

impl fmt::Debug for Output {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "\nexit code: {}\n--- stdout ---\n{}\n--- stderr ---\n{}\n--------------",
            self.code, self.stdout, self.stderr
        )
    }
}

impl Output {
    /// Panics, showing everything printed, unless the exit code is `code`.
    #[track_caller]
    pub fn assert_code(&self, code: i32) -> &Output {
        assert_eq!(self.code, code, "unexpected exit code; output was:{self:?}");
        self
    }

    /// Panics unless stdout is exactly `expected`.
    #[track_caller]
    pub fn assert_stdout(&self, expected: &str) -> &Output {
        assert_eq!(
            self.stdout, expected,
            "unexpected stdout; output was:{self:?}"
        );
        self
    }

    /// Panics unless stderr is exactly `expected`.
    #[track_caller]
    pub fn assert_stderr(&self, expected: &str) -> &Output {
        assert_eq!(
            self.stderr, expected,
            "unexpected stderr; output was:{self:?}"
        );
        self
    }

    /// Panics unless stderr contains `part`.
    #[track_caller]
    pub fn assert_stderr_has(&self, part: &str) -> &Output {
        assert!(
            self.stderr.contains(part),
            "stderr lacks {part:?}; output was:{self:?}"
        );
        self
    }

    /// Panics if stderr contains `part`.
    #[track_caller]
    pub fn assert_stderr_lacks(&self, part: &str) -> &Output {
        assert!(
            !self.stderr.contains(part),
            "stderr has {part:?}; output was:{self:?}"
        );
        self
    }

    /// Panics unless stdout contains `part`.
    #[track_caller]
    pub fn assert_stdout_has(&self, part: &str) -> &Output {
        assert!(
            self.stdout.contains(part),
            "stdout lacks {part:?}; output was:{self:?}"
        );
        self
    }

    /// The result ids of a run with `--format ids`, in order. Panics on any other output,
    /// so no test reads ids out of a table by column position.
    #[track_caller]
    pub fn ids(&self) -> Vec<String> {
        self.stdout
            .lines()
            .map(|line| {
                let is_id = !line.is_empty()
                    && line
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
                assert!(is_id, "stdout is not `--format ids` output:{self:?}");
                line.to_string()
            })
            .collect()
    }

    /// Stdout of a run with `--format json`, parsed.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):{self:?}"))
    }

    /// The `score` of each record of `--format json` output, in order (`None` when a
    /// record has none).
    #[track_caller]
    pub fn json_scores(&self) -> Vec<Option<f64>> {
        self.json()
            .as_array()
            .unwrap_or_else(|| panic!("stdout is not a JSON array:{self:?}"))
            .iter()
            .map(|record| record.get("score").and_then(serde_json::Value::as_f64))
            .collect()
    }

    /// The rows of the result table on stdout, each as its cells keyed by header; only
    /// for the tests about the table's layout (every other test reads `--format ids` or
    /// JSON).
    ///
    /// Rows are separated by `─` lines and the header by a `═` line. A cell that spans
    /// several lines (wrapped text, or a snippet under the title) keeps its lines.
    pub fn table_rows(&self) -> Vec<Row> {
        let mut lines = self.stdout.lines();
        let mut header: Vec<(String, usize)> = Vec::new();
        for line in lines.by_ref() {
            if line.starts_with('═') {
                break;
            }
            if !line.starts_with('─') && !line.trim().is_empty() {
                header = columns(line);
            }
        }
        let empty = || vec![Vec::<String>::new(); header.len()];
        let mut rows = Vec::new();
        let mut current = empty();
        for line in lines {
            if line.starts_with('─') || line.starts_with('═') {
                if current.iter().any(|c| !c.is_empty()) {
                    let cells = header
                        .iter()
                        .map(|(name, _)| name.clone())
                        .zip(std::mem::replace(&mut current, empty()))
                        .collect();
                    rows.push(Row { cells });
                }
                continue;
            }
            let chars: Vec<char> = line.chars().collect();
            for (i, (_, start)) in header.iter().enumerate() {
                let end = header.get(i + 1).map_or(chars.len(), |(_, s)| *s);
                let piece: String = chars
                    .get((*start).min(chars.len())..end.min(chars.len()))
                    .unwrap_or(&[])
                    .iter()
                    .collect();
                let piece = piece.trim();
                if !piece.is_empty() {
                    current[i].push(piece.to_string());
                }
            }
        }
        rows
    }

    /// The number of matching records from the note `... of N matching records`.
    pub fn total(&self) -> Option<usize> {
        let line = self
            .stderr
            .lines()
            .find(|l| l.ends_with(" matching records"))?;
        let before = line.strip_suffix(" matching records")?;
        before.rsplit(' ').next()?.parse().ok()
    }

    /// Stderr without the closing `... of N matching records` note, whose wording is not
    /// what these tests protect.
    pub fn notes(&self) -> String {
        let mut kept: Vec<&str> = self.stderr.lines().collect();
        if kept
            .last()
            .is_some_and(|l| l.ends_with(" matching records"))
        {
            kept.pop();
        }
        kept.iter().map(|l| format!("{l}\n")).collect()
    }

    /// Panics unless stderr, less the closing count note, is exactly `expected`.
    #[track_caller]
    pub fn assert_notes(&self, expected: &str) -> &Output {
        assert_eq!(
            self.notes(),
            expected,
            "unexpected stderr; output was:{self:?}"
        );
        self
    }

    /// Panics unless the run found exactly `ids` (in this order), said how many on stderr,
    /// and printed nothing else there.
    #[track_caller]
    pub fn assert_found(&self, ids: &[&str]) -> &Output {
        self.assert_code(0);
        assert_eq!(
            self.ids(),
            strings(ids),
            "unexpected results; output was:{self:?}"
        );
        assert_eq!(
            self.total(),
            Some(ids.len()),
            "unexpected count; output was:{self:?}"
        );
        self.assert_notes("")
    }

    /// Like [`Output::assert_found`], in any order.
    #[track_caller]
    pub fn assert_found_any_order(&self, ids: &[&str]) -> &Output {
        self.assert_code(0);
        assert_eq!(
            sorted(self.ids()),
            sorted(strings(ids)),
            "unexpected results; output was:{self:?}"
        );
        assert_eq!(
            self.total(),
            Some(ids.len()),
            "unexpected count; output was:{self:?}"
        );
        self.assert_notes("")
    }

    /// Panics unless the run found nothing: exit 1, empty stdout, and the note
    /// `no matching records` on stderr (other notes may come before it).
    #[track_caller]
    pub fn assert_nothing_found(&self) -> &Output {
        self.assert_code(1).assert_stdout("");
        assert!(
            self.stderr
                .lines()
                .any(|l| l.starts_with("no matching records")),
            "expected the no-match note; output was:{self:?}"
        );
        self
    }
}

/// Header names with the character column each starts at.
fn columns(header: &str) -> Vec<(String, usize)> {
    let mut columns = Vec::new();
    let mut word = String::new();
    let mut start = 0;
    for (i, ch) in header.chars().enumerate() {
        if ch.is_whitespace() {
            if !word.is_empty() {
                columns.push((std::mem::take(&mut word), start));
            }
        } else {
            if word.is_empty() {
                start = i;
            }
            word.push(ch);
        }
    }
    if !word.is_empty() {
        columns.push((word, start));
    }
    columns
}

/// One row of a result table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    cells: Vec<(String, Vec<String>)>,
}

impl Row {
    /// The lines of the cell under `column`; panics if the table has no such column.
    #[track_caller]
    pub fn lines(&self, column: &str) -> &[String] {
        self.cells
            .iter()
            .find(|(name, _)| name == column)
            .map(|(_, lines)| lines.as_slice())
            .unwrap_or_else(|| panic!("no column {column:?} in {:?}", self.cells))
    }

    /// The cell under `column`, its lines joined with spaces.
    #[track_caller]
    pub fn get(&self, column: &str) -> String {
        self.lines(column).join(" ")
    }
}

/// The ids, sorted, for comparisons where the order does not matter.
pub fn sorted(mut ids: Vec<String>) -> Vec<String> {
    ids.sort();
    ids
}

/// Turns string literals into owned strings for comparisons with [`Output::ids`].
pub fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}
