//! The test harness shared by every integration test file, in the style of ripgrep's
//! `tests/util.rs`: a throw-away catalogue on disk, and a way to run the real `migdev`
//! binary in it and look at what it printed.
//!
//! Every feature module of the one test crate (`tests/tests.rs`) uses it as `crate::util`.

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use assert_cmd::Command;
use tempfile::TempDir;

use crate::synth::Generator;
pub use crate::synth::MARKER as SYNTH_MARKER;

/// The package root, where the real catalogue lives.
pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The real data folder (`data/` of the package).
pub fn real_data() -> PathBuf {
    manifest_dir().join("data")
}

/// The real sector slugs, in the order `data/sectors.toml` gives them.
pub fn sector_slugs() -> Vec<String> {
    let text = fs::read_to_string(real_data().join("sectors.toml")).expect("read sectors.toml");
    let table: toml::Table = toml::from_str(&text).expect("sectors.toml is TOML");
    table["sector"]
        .as_array()
        .expect("[[sector]] tables")
        .iter()
        .map(|s| s["slug"].as_str().expect("slug is text").to_string())
        .collect()
}

/// `text` as a quoted TOML string, escaped as needed.
pub fn quote(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// A TOML array of quoted strings.
fn quote_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| quote(s)).collect();
    format!("[{}]", quoted.join(", "))
}

/// A throw-away catalogue: `<root>/data/sectors.toml` (the real vocabulary),
/// `<root>/data/programmes/` and `<root>/index/`. Removed when dropped.
pub struct Catalogue {
    _tmp: TempDir,
    root: PathBuf,
}

impl Default for Catalogue {
    fn default() -> Catalogue {
        Catalogue::new()
    }
}

impl Catalogue {
    /// A catalogue with the real sectors and no records.
    pub fn new() -> Catalogue {
        let cat = Catalogue::bare();
        fs::create_dir_all(cat.programmes_dir()).expect("create data/programmes");
        fs::create_dir_all(cat.index_dir()).expect("create index");
        fs::copy(
            real_data().join("sectors.toml"),
            cat.data_dir().join("sectors.toml"),
        )
        .expect("copy sectors.toml");
        cat
    }

    /// An empty temporary folder: no `data/`, no `index/`.
    pub fn bare() -> Catalogue {
        let tmp = tempfile::Builder::new()
            .prefix("migdev-test-")
            .tempdir()
            .expect("create a temporary folder");
        // The binary reports canonical paths (it reads the current folder), so compare
        // against the canonical form.
        let root = tmp.path().canonicalize().expect("canonical temp path");
        Catalogue { _tmp: tmp, root }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn data_dir(&self) -> PathBuf {
        self.root.join("data")
    }

    pub fn programmes_dir(&self) -> PathBuf {
        self.data_dir().join("programmes")
    }

    pub fn index_dir(&self) -> PathBuf {
        self.root.join("index")
    }

    /// The file a record with this id lives in.
    pub fn record_path(&self, id: &str) -> PathBuf {
        self.programmes_dir().join(format!("{id}.toml"))
    }

    /// Writes any file, by path relative to the root; creates folders as needed.
    pub fn write(&self, relative: impl AsRef<Path>, contents: &str) -> PathBuf {
        let path = self.root.join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("create parent folders");
        }
        fs::write(&path, contents).expect("write file");
        path
    }

    /// Writes a record file from raw TOML text; returns its path.
    ///
    /// When rewriting a record that an index has already seen, change its size too: the
    /// stale check compares size and modification time, and a file system's clock may not
    /// tick between two quick writes.
    pub fn write_record(&self, id: &str, toml: &str) -> PathBuf {
        let path = self.record_path(id);
        fs::write(&path, toml).expect("write record");
        path
    }

    /// Writes a record built with [`Rec`]; returns its path.
    pub fn add(&self, record: &Rec) -> PathBuf {
        self.write_record(&record.id, &record.toml())
    }

    /// A catalogue holding `records`, already indexed, so commands print no refresh note.
    pub fn indexed(records: &[Rec]) -> Catalogue {
        let cat = Catalogue::new();
        for record in records {
            cat.add(record);
        }
        cat.run(&["rebuild"]).assert_code(0);
        cat
    }

    /// Writes a valid minimal record: one sector, one country, a summary and one source.
    pub fn add_minimal(&self, id: &str, title: &str, sector: &str, country: &str) -> PathBuf {
        self.add(&Rec::new(id, title).sectors(&[sector]).countries(&[country]))
    }

    /// A `migdev` command run in the catalogue's root.
    pub fn command(&self) -> TestCommand {
        TestCommand::new(&self.root)
    }

    /// Runs `migdev ARGS` in the root.
    pub fn run(&self, args: &[&str]) -> Output {
        self.command().args(args).run()
    }

    /// Runs `migdev ARGS` in a folder given relative to the root.
    pub fn run_in(&self, relative: impl AsRef<Path>, args: &[&str]) -> Output {
        self.command()
            .current_dir(self.root.join(relative))
            .args(args)
            .run()
    }
}

/// A valid record, built from a few values; unset fields get harmless defaults.
#[derive(Debug, Clone)]
pub struct Rec {
    pub id: String,
    title: String,
    kind: String,
    sectors: Vec<String>,
    countries: Vec<String>,
    scope: Option<String>,
    organisations: Vec<String>,
    start_year: Option<i64>,
    end_year: Option<i64>,
    status: Option<String>,
    summary: String,
    description: Option<String>,
    keywords: Vec<String>,
    sources: Vec<(String, String, Option<String>)>,
}

impl Rec {
    /// A programme in sector `trade` and country `MEX`, with a plain summary and one source.
    pub fn new(id: &str, title: &str) -> Rec {
        Rec {
            id: id.to_string(),
            title: title.to_string(),
            kind: "programme".to_string(),
            sectors: vec!["trade".to_string()],
            countries: vec!["MEX".to_string()],
            scope: None,
            organisations: vec![],
            start_year: None,
            end_year: None,
            status: None,
            summary: "A programme used as a test fixture.".to_string(),
            description: None,
            keywords: vec![],
            sources: vec![(
                "Fixture source".to_string(),
                "Fixture publisher".to_string(),
                None,
            )],
        }
    }

    pub fn kind(mut self, kind: &str) -> Rec {
        self.kind = kind.to_string();
        self
    }

    pub fn sectors(mut self, sectors: &[&str]) -> Rec {
        self.sectors = sectors.iter().map(|s| s.to_string()).collect();
        self
    }

    pub fn countries(mut self, countries: &[&str]) -> Rec {
        self.countries = countries.iter().map(|s| s.to_string()).collect();
        self
    }

    /// `scope = "global"` with no countries.
    pub fn global(mut self) -> Rec {
        self.scope = Some("global".to_string());
        self.countries.clear();
        self
    }

    pub fn organisations(mut self, organisations: &[&str]) -> Rec {
        self.organisations = organisations.iter().map(|s| s.to_string()).collect();
        self
    }

    pub fn years(mut self, start: Option<i64>, end: Option<i64>) -> Rec {
        self.start_year = start;
        self.end_year = end;
        self
    }

    pub fn status(mut self, status: &str) -> Rec {
        self.status = Some(status.to_string());
        self
    }

    pub fn summary(mut self, summary: &str) -> Rec {
        self.summary = summary.to_string();
        self
    }

    pub fn description(mut self, description: &str) -> Rec {
        self.description = Some(description.to_string());
        self
    }

    pub fn keywords(mut self, keywords: &[&str]) -> Rec {
        self.keywords = keywords.iter().map(|s| s.to_string()).collect();
        self
    }

    /// Replaces the sources with these (title, publisher, url).
    pub fn sources(mut self, sources: &[(&str, &str, Option<&str>)]) -> Rec {
        self.sources = sources
            .iter()
            .map(|(t, p, u)| (t.to_string(), p.to_string(), u.map(str::to_string)))
            .collect();
        self
    }

    /// The record file's text, fields in schema order, one per line.
    pub fn toml(&self) -> String {
        let mut out = String::new();
        let mut line = |key: &str, value: String| out.push_str(&format!("{key} = {value}\n"));
        line("title", quote(&self.title));
        line("kind", quote(&self.kind));
        line("sectors", quote_list(&self.sectors));
        if !self.countries.is_empty() {
            line("countries", quote_list(&self.countries));
        }
        if let Some(scope) = &self.scope {
            line("scope", quote(scope));
        }
        if !self.organisations.is_empty() {
            line("organisations", quote_list(&self.organisations));
        }
        if let Some(year) = self.start_year {
            line("start_year", year.to_string());
        }
        if let Some(year) = self.end_year {
            line("end_year", year.to_string());
        }
        if let Some(status) = &self.status {
            line("status", quote(status));
        }
        line("summary", quote(&self.summary));
        if let Some(description) = &self.description {
            line("description", quote(description));
        }
        if !self.keywords.is_empty() {
            line("keywords", quote_list(&self.keywords));
        }
        if self.sources.is_empty() {
            line("sources", "[]".to_string());
        }
        for (title, publisher, url) in &self.sources {
            out.push_str("\n[[sources]]\n");
            out.push_str(&format!("title = {}\n", quote(title)));
            out.push_str(&format!("publisher = {}\n", quote(publisher)));
            if let Some(url) = url {
                out.push_str(&format!("url = {}\n", quote(url)));
            }
            out.push_str("kind = \"official\"\n");
        }
        out
    }
}

/// A `migdev` command about to run: the real binary, in a known folder, with the
/// environment variables that would change its behaviour removed.
pub struct TestCommand {
    cmd: Command,
}

impl TestCommand {
    pub fn new(cwd: &Path) -> TestCommand {
        let mut cmd = Command::cargo_bin("migdev").expect("the migdev binary is built");
        cmd.current_dir(cwd)
            .env_remove("MIGDEV_DATA")
            .env_remove("MIGDEV_INDEX")
            .env("NO_COLOR", "1")
            // Wide enough that fixture rows do not wrap; `Output::table_rows` copes if they do.
            .env("COLUMNS", "200")
            .timeout(Duration::from_secs(60));
        TestCommand { cmd }
    }

    pub fn arg(mut self, arg: impl AsRef<std::ffi::OsStr>) -> TestCommand {
        self.cmd.arg(arg);
        self
    }

    pub fn args<I, S>(mut self, args: I) -> TestCommand
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        self.cmd.args(args);
        self
    }

    pub fn env(mut self, key: &str, value: impl AsRef<std::ffi::OsStr>) -> TestCommand {
        self.cmd.env(key, value);
        self
    }

    pub fn current_dir(mut self, dir: impl AsRef<Path>) -> TestCommand {
        self.cmd.current_dir(dir);
        self
    }

    /// Runs the command to completion.
    pub fn run(mut self) -> Output {
        Output::from_std(self.cmd.output().expect("run migdev"))
    }
}

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

// =========================================================================================
// Reliability helpers (used by tests/reliability.rs): synthetic catalogues of any size, and
// runs of the binary through std::process so a test can spawn, time and kill them.
// =========================================================================================

/// The generator of `examples/synth.rs` (included by `tests.rs`) under its default seed,
/// with the real sectors: synthetic record `n` is `synth().record(n)`, numbered from 1.
pub fn synth() -> &'static Generator {
    static GENERATOR: OnceLock<Generator> = OnceLock::new();
    GENERATOR.get_or_init(|| {
        Generator::new(crate::synth::DEFAULT_SEED, sector_slugs()).expect("the synth generator")
    })
}

/// The id of synthetic record `n`.
pub fn synth_id(n: usize) -> String {
    crate::synth::id(n as u64)
}

/// Writes synthetic records `1..=n` into the catalogue; returns their ids.
pub fn generate_records(cat: &Catalogue, n: usize) -> Vec<String> {
    (1..=n)
        .map(|i| {
            cat.add_synth(i);
            synth_id(i)
        })
        .collect()
}

/// The ids, sorted, of the synthetic records `1..=n` that carry [`SYNTH_MARKER`].
pub fn synth_marked_ids(n: usize) -> Vec<String> {
    (1..=n)
        .filter(|&i| (i as u64).is_multiple_of(crate::synth::MARK_EVERY))
        .map(synth_id)
        .collect()
}

impl Catalogue {
    /// Writes synthetic record `n` (see [`synth`]); returns its path.
    pub fn add_synth(&self, n: usize) -> PathBuf {
        self.write_record(&synth_id(n), &synth().record(n as u64).to_toml())
    }
}

/// The built `migdev` binary.
pub fn migdev_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_migdev"))
}

/// Sets up a std command like [`TestCommand`] does: in `cwd`, without the environment
/// variables that would change migdev's behaviour, stdout and stderr piped.
pub fn prepare_std(cmd: &mut std::process::Command, cwd: &Path) {
    use std::process::Stdio;
    cmd.current_dir(cwd)
        .env_remove("MIGDEV_DATA")
        .env_remove("MIGDEV_INDEX")
        .env("NO_COLOR", "1")
        .env("COLUMNS", "200")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
}

impl Catalogue {
    /// `migdev ARGS` in the root as a plain std command (stdout and stderr piped), for
    /// tests that spawn, time or kill it.
    pub fn std_command(&self, args: &[&str]) -> std::process::Command {
        let mut cmd = std::process::Command::new(migdev_bin());
        prepare_std(&mut cmd, &self.root);
        cmd.args(args);
        cmd
    }

    /// Starts `migdev ARGS` in the root without waiting for it.
    pub fn spawn(&self, args: &[&str]) -> std::process::Child {
        self.std_command(args).spawn().expect("start migdev")
    }

    /// Runs `migdev ARGS` through std::process (see [`Catalogue::std_command`]), failing
    /// the test if it runs for more than two minutes.
    pub fn run_std(&self, args: &[&str]) -> Output {
        Output::from_std(wait_output(self.spawn(args), Duration::from_secs(120)))
    }
}

/// Waits for a child started with piped stdout and stderr, reading both as it runs; kills
/// it and panics after `timeout`, so a hang fails the test instead of stalling it.
pub fn wait_output(mut child: std::process::Child, timeout: Duration) -> std::process::Output {
    use std::io::Read;
    fn drain(pipe: Option<impl Read + Send + 'static>) -> std::thread::JoinHandle<Vec<u8>> {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut buf);
            }
            buf
        })
    }
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let deadline = std::time::Instant::now() + timeout;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for migdev") {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("migdev (pid {}) ran for more than {timeout:?}", child.id());
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    std::process::Output {
        status,
        stdout: stdout.join().expect("read stdout"),
        stderr: stderr.join().expect("read stderr"),
    }
}

impl Output {
    /// Converts what a std::process run printed; panics if it was killed by a signal.
    #[track_caller]
    pub fn from_std(out: std::process::Output) -> Output {
        Output {
            stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
            code: out
                .status
                .code()
                .unwrap_or_else(|| panic!("migdev was killed by a signal: {:?}", out.status)),
        }
    }
}
