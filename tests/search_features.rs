//! Search that analysts trust: facet counts (drill-sideways, regions, top N), typo recovery
//! and highlighting, queries with broken syntax, sorting and paging, `similar`, snippets.

use std::path::Path;
use std::process::Command as StdCommand;

use crate::util::{Catalogue, Output, Rec, facets, search, search_as};

mod broken_queries;
mod facet_counts;
mod paging;
mod similar;
mod snippets;
mod typos;

/// What a run printed, and its exit code; `None` when a signal ended it (a crash).
struct Raw {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs the binary in the catalogue's root without the harness: NO_COLOR and the other
/// colour variables are unset, then `set` is applied. Unlike the harness it survives a
/// run that a signal ends, so crash tests can report what happened.
fn run_raw(root: &Path, args: &[&str], set: &[(&str, &str)]) -> Raw {
    let mut cmd = StdCommand::new(env!("CARGO_BIN_EXE_migdev"));
    cmd.current_dir(root)
        .args(args)
        .env("COLUMNS", "200")
        .env_remove("MIGDEV_DATA")
        .env_remove("MIGDEV_INDEX")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR")
        .env_remove("CLICOLOR_FORCE");
    for (key, value) in set {
        cmd.env(key, value);
    }
    let out = cmd.output().expect("run migdev");
    Raw {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

impl Raw {
    /// The run as a harness [`Output`]; panics (showing stderr) if a signal ended it.
    #[track_caller]
    fn output(self) -> Output {
        let code = self.code.unwrap_or_else(|| {
            panic!(
                "migdev was ended by a signal (a crash)\n--- stderr ---\n{}",
                self.stderr
            )
        });
        Output {
            stdout: self.stdout,
            stderr: self.stderr,
            code,
        }
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    crate::util::strings(items)
}
