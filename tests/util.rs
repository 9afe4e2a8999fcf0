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

mod output;
mod synthetic;

pub use output::*;
pub use synthetic::*;

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

/// Runs `migdev search --format ids ARGS`: what most search tests read.
pub fn search(cat: &Catalogue, args: &[&str]) -> Output {
    search_as(cat, "ids", args)
}

/// Runs `migdev search --format FORMAT ARGS`.
pub fn search_as(cat: &Catalogue, format: &str, args: &[&str]) -> Output {
    cat.command()
        .args(["search", "--format", format])
        .args(args)
        .run()
}

/// Runs `migdev facets ARGS`.
pub fn facets(cat: &Catalogue, args: &[&str]) -> Output {
    cat.command().arg("facets").args(args).run()
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
