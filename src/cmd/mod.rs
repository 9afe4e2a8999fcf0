//! One module per subcommand; each parses its own arguments and prints.

pub mod completions;
pub mod doctor;
pub mod export;
pub mod facets;
pub mod hits;
pub mod man;
pub mod new;
pub mod rebuild;
pub mod search;
pub mod sectors;
pub mod serve;
pub mod show;
pub mod similar;
pub mod validate;

use std::process::ExitCode;

use anyhow::Context as _;
use migdev::Paths;
use migdev::note::Note;
use migdev::record::{Kind, SourceKind, Status};
use migdev::search::{FilterArgs, Matching};
use migdev::store::{self, Fresh, Refresh};

use crate::Global;

/// What every command needs: where the catalogue is and how to talk to the user.
pub struct Context {
    pub paths: Paths,
    pub refresh: Refresh,
    pub quiet: bool,
    /// Whether stdout gets colours (bold highlights).
    pub color: bool,
}

impl Context {
    pub fn new(global: &Global) -> anyhow::Result<Context> {
        let cwd = std::env::current_dir().context("cannot read the current folder")?;
        let paths = Paths::locate(global.data.clone(), global.index.clone(), &cwd)?;
        Ok(Context {
            paths,
            refresh: if global.no_refresh {
                Refresh::Skip
            } else {
                Refresh::Auto
            },
            quiet: global.quiet,
            color: global.color.for_stdout(),
        })
    }

    /// A note on stderr, unless `-q`.
    pub fn note(&self, text: &str) {
        if !self.quiet {
            eprintln!("{text}");
        }
    }

    /// Prints notes on stderr: warnings always, information unless `-q`.
    pub fn report(&self, notes: &[Note]) {
        for note in notes {
            if note.is_warning() || !self.quiet {
                eprintln!("{note}");
            }
        }
    }

    /// Opens the index (refreshing it first unless `--no-refresh`) and prints what happened.
    pub fn open(&self) -> anyhow::Result<Fresh> {
        let bar = crate::progress::Bar::new("refreshing the index", self.quiet);
        let fresh = store::open_fresh(&self.paths, self.refresh, &bar)?;
        drop(bar);
        self.report(&fresh.notes);
        Ok(fresh)
    }
}

/// The filters shared by search-like commands.
#[derive(Debug, Clone, clap::Args)]
pub struct FilterFlags {
    /// Only records in this sector (slug or label); repeat for either.
    #[arg(long = "sector", value_name = "SECTOR")]
    sectors: Vec<String>,
    /// Only records in this country (ISO alpha-3 code or English name); repeat for either.
    #[arg(long = "country", value_name = "COUNTRY")]
    countries: Vec<String>,
    /// Only records in this UN M49 region, sub-region or intermediate region (e.g. africa,
    /// "sub-saharan africa"), or in the LDC, LLDC or SIDS grouping; repeat for either.
    #[arg(long = "region", value_name = "REGION")]
    regions: Vec<String>,
    /// Only records of this kind; repeat for either.
    #[arg(long = "kind", value_name = "KIND", value_parser = parse_kind)]
    kinds: Vec<Kind>,
    /// Only records with this status; repeat for either.
    #[arg(long = "status", value_name = "STATUS", value_parser = parse_status)]
    statuses: Vec<Status>,
    /// Only programmes active in or after this year.
    #[arg(long, value_name = "YEAR")]
    since: Option<i64>,
    /// Only programmes active in or before this year.
    #[arg(long, value_name = "YEAR")]
    until: Option<i64>,
    /// Only records citing a source of this kind (official, evaluation, research, news,
    /// data); repeat for either.
    #[arg(long = "evidence", value_name = "KIND", value_parser = parse_source_kind)]
    evidence: Vec<SourceKind>,
    /// Only records naming this country (code or name) as a country of origin.
    #[arg(long = "origin", value_name = "COUNTRY")]
    origins: Vec<String>,
    /// Only records naming this country (code or name) as a destination.
    #[arg(long = "destination", value_name = "COUNTRY")]
    destinations: Vec<String>,
}

/// `--match auto|fuzzy|exact`, with the older `--fuzzy` and `--exact` kept as hidden aliases.
#[derive(Debug, Clone, clap::Args)]
pub struct MatchFlags {
    /// How words match: auto corrects a word that matches nothing (or only through a much
    /// shorter stem); fuzzy also matches close spellings of every long word; exact never
    /// corrects.
    #[arg(long = "match", value_enum, default_value = "auto", value_name = "HOW")]
    how: MatchArg,
    #[arg(long, hide = true, conflicts_with_all = ["exact", "how"])]
    fuzzy: bool,
    #[arg(long, hide = true, conflicts_with = "how")]
    exact: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum MatchArg {
    Auto,
    Fuzzy,
    Exact,
}

impl MatchFlags {
    pub fn matching(&self) -> Matching {
        match (self.fuzzy, self.exact, self.how) {
            (true, _, _) | (_, _, MatchArg::Fuzzy) => Matching::Fuzzy,
            (_, true, _) | (_, _, MatchArg::Exact) => Matching::Exact,
            _ => Matching::Auto,
        }
    }
}

fn parse_source_kind(text: &str) -> Result<SourceKind, String> {
    text.parse()
}

fn parse_kind(text: &str) -> Result<Kind, String> {
    text.parse()
}

fn parse_status(text: &str) -> Result<Status, String> {
    text.parse()
}

impl FilterFlags {
    pub fn args(&self) -> FilterArgs {
        FilterArgs {
            sectors: self.sectors.clone(),
            countries: self.countries.clone(),
            regions: self.regions.clone(),
            kinds: self.kinds.clone(),
            statuses: self.statuses.clone(),
            since: self.since,
            until: self.until,
            // Start decades are picked on `serve`'s facet links; `--since`/`--until` here.
            decades: Vec::new(),
            evidence: self.evidence.clone(),
            origins: self.origins.clone(),
            destinations: self.destinations.clone(),
        }
    }
}

/// How `validate` and `doctor` report: for people, or one JSON value for scripts and CI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
}

/// grep's convention: 0 when something was found, 1 when nothing was.
pub fn found(any: bool) -> ExitCode {
    if any {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
