//! Curation commands run as a curator would: `new`, `validate --format json`,
//! `completions` and `man`, each in a throw-away catalogue.

use std::fs;
use std::path::{Path, PathBuf};

use crate::util::{Catalogue, Rec};
use migdev::Record;

/// The messages `validate` gives for the fields a fresh template leaves to fill.
const EMPTY_SUMMARY: &str = "the summary is empty";
const SOURCE_WITHOUT_TITLE: &str = "source 1 has no title";
const SOURCE_WITHOUT_PUBLISHER: &str = "source 1 has no publisher";
const NO_COUNTRY: &str = "no country given";

/// Runs `new` with these arguments and returns the path it printed.
fn new_record(cat: &Catalogue, args: &[&str]) -> PathBuf {
    let mut all = vec!["new"];
    all.extend_from_slice(args);
    let out = cat.run(&all);
    out.assert_code(0);
    let path = PathBuf::from(out.stdout.trim_end_matches('\n'));
    assert!(
        path.is_file(),
        "`new` printed {path:?}, which is not a file"
    );
    path
}

fn parse(path: &Path) -> Record {
    toml::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

/// The problems `validate --format json` reports, after checking the exit code.
fn problems(cat: &Catalogue, code: i32) -> Vec<serde_json::Value> {
    let out = cat.run(&["validate", "--format", "json"]);
    out.assert_code(code);
    serde_json::from_str(&out.stdout).unwrap()
}

fn messages(problems: &[serde_json::Value]) -> Vec<&str> {
    let mut messages: Vec<&str> = problems
        .iter()
        .map(|p| p["message"].as_str().unwrap())
        .collect();
    messages.sort();
    messages
}

#[test]
fn new_writes_a_parsing_record_at_the_printed_path() {
    let cat = Catalogue::new();
    let path = new_record(
        &cat,
        &[
            "--title",
            "Tres por Uno (3x1)",
            "--sector",
            "economic-growth",
            "--sector",
            "Financial services",
            "--country",
            "mex",
            "--country",
            "United States of America",
        ],
    );
    assert!(
        path.ends_with("data/programmes/tres-por-uno-3x1.toml"),
        "{path:?}"
    );
    let record = parse(&path);
    assert_eq!(record.title, "Tres por Uno (3x1)");
    assert_eq!(record.kind.as_str(), "programme");
    assert_eq!(record.sectors, ["economic-growth", "financial-services"]);
    assert_eq!(record.countries, ["MEX", "USA"]);
}

#[test]
fn titles_with_quotes_and_backslashes_survive() {
    let cat = Catalogue::new();
    let title = r#"The "Diaspora" \ 'Bond' fund"#;
    let path = new_record(
        &cat,
        &["--title", title, "--sector", "trade", "--kind", "fund"],
    );
    let record = parse(&path);
    assert_eq!(record.title, title);
    assert_eq!(record.kind.as_str(), "fund");
}

#[test]
fn validate_names_exactly_the_fields_left_to_fill() {
    let cat = Catalogue::new();
    let path = new_record(
        &cat,
        &["--title", "Seasonal workers", "--sector", "employment"],
    );
    let found = problems(&cat, 2);
    assert_eq!(
        messages(&found),
        [
            NO_COUNTRY,
            SOURCE_WITHOUT_PUBLISHER,
            SOURCE_WITHOUT_TITLE,
            EMPTY_SUMMARY
        ]
    );
    let text = fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    for problem in &found {
        let key = match problem["message"].as_str().unwrap() {
            NO_COUNTRY => "countries",
            EMPTY_SUMMARY => "summary",
            SOURCE_WITHOUT_TITLE => "title",
            _ => "publisher",
        };
        let line = usize::try_from(problem["line"].as_u64().unwrap()).unwrap();
        assert!(
            lines[line - 1].starts_with(&format!("{key} = ")),
            "{problem} points at `{}`",
            lines[line - 1]
        );
    }
}

#[test]
fn countries_given_leave_only_summary_and_source() {
    let cat = Catalogue::new();
    new_record(
        &cat,
        &[
            "--title",
            "Seasonal workers",
            "--sector",
            "employment",
            "--country",
            "NZL",
        ],
    );
    assert_eq!(
        messages(&problems(&cat, 2)),
        [
            SOURCE_WITHOUT_PUBLISHER,
            SOURCE_WITHOUT_TITLE,
            EMPTY_SUMMARY
        ]
    );
}

#[test]
fn filling_the_template_makes_validate_pass() {
    let cat = Catalogue::new();
    let path = new_record(
        &cat,
        &[
            "--title",
            "Seasonal workers",
            "--sector",
            "employment",
            "--country",
            "NZL",
        ],
    );
    let filled = fs::read_to_string(&path)
        .unwrap()
        .replace(
            "summary = \"\"",
            "summary = \"New Zealand's scheme for Pacific seasonal workers.\"",
        )
        .replace(
            "title = \"\"",
            "title = \"Recognised Seasonal Employer scheme\"",
        )
        .replace(
            "publisher = \"\"",
            "publisher = \"Immigration New Zealand\"",
        );
    fs::write(&path, filled).unwrap();
    cat.run(&["validate"]).assert_code(0);
    assert!(problems(&cat, 0).is_empty());
}

#[test]
fn new_with_an_existing_title_says_so_and_never_overwrites() {
    let cat = Catalogue::new();
    let args = ["--title", "Diaspora bonds", "--sector", "economic-growth"];
    let first = new_record(&cat, &args);
    fs::write(&first, "edited by hand\n").unwrap();
    let mut again = vec!["new"];
    again.extend_from_slice(&args);
    cat.run(&again)
        .assert_code(2)
        .assert_stdout("")
        .assert_stderr_has(&format!("{} already exists", first.display()))
        .assert_stderr_has("hint: edit that record, or give the new programme a title of its own");
    assert_eq!(fs::read_to_string(&first).unwrap(), "edited by hand\n");
    assert_eq!(fs::read_dir(cat.programmes_dir()).unwrap().count(), 1);
}

#[test]
fn new_with_the_title_of_a_record_under_another_name_names_that_record() {
    let cat = Catalogue::new();
    cat.add(&Rec::new("bonds-2019", "Diaspora Bonds").summary("Bonds for the diaspora."));
    cat.run(&["new", "--title", "diaspora bonds", "--sector", "trade"])
        .assert_code(2)
        .assert_stderr_has("the title `diaspora bonds` is already used by `bonds-2019`");
    assert!(!cat.record_path("diaspora-bonds").exists());
}

#[test]
fn unknown_sector_exits_2_with_a_hint_and_writes_nothing() {
    let cat = Catalogue::new();
    cat.run(&["new", "--title", "X", "--sector", "finance-services"])
        .assert_code(2)
        .assert_stdout("")
        .assert_stderr_has("unknown sector `finance-services`")
        .assert_stderr_has("hint: did you mean `financial-services`?");
    let written = fs::read_dir(cat.programmes_dir()).unwrap();
    assert_eq!(written.count(), 0);
}

#[test]
fn unknown_country_exits_2_with_a_hint() {
    let cat = Catalogue::new();
    cat.run(&[
        "new",
        "--title",
        "X",
        "--sector",
        "trade",
        "--country",
        "Mexco",
    ])
    .assert_code(2)
    .assert_stderr_has("unknown country `Mexco`")
    .assert_stderr_has("hint: did you mean `MEX`");
}

#[test]
fn validate_json_gives_path_line_column_message_and_hint() {
    let cat = Catalogue::new();
    let path = new_record(&cat, &["--title", "Remittance fund", "--sector", "trade"]);
    let found = problems(&cat, 2);
    assert!(!found.is_empty());
    for problem in &found {
        assert_eq!(Path::new(problem["path"].as_str().unwrap()), path);
        assert!(problem["line"].as_u64().unwrap() > 0, "{problem}");
        assert!(problem["column"].as_u64().unwrap() > 0, "{problem}");
        assert!(
            !problem["message"].as_str().unwrap().is_empty(),
            "{problem}"
        );
        assert!(!problem["hint"].as_str().unwrap().is_empty(), "{problem}");
    }
}

#[test]
fn completions_cover_every_shell_outside_a_catalogue() {
    let nowhere = Catalogue::bare();
    for shell in ["bash", "zsh", "fish", "powershell"] {
        nowhere
            .run(&["completions", shell])
            .assert_code(0)
            .assert_stdout_has("migdev")
            .assert_stdout_has("search")
            .assert_stdout_has("validate");
    }
}

#[test]
fn man_page_is_roff_naming_migdev_outside_a_catalogue() {
    let out = Catalogue::bare().run(&["man"]);
    out.assert_code(0)
        .assert_stdout_has("migdev")
        .assert_stdout_has("search");
    assert!(
        out.stdout.starts_with(".TH") || out.stdout.starts_with(".ie"),
        "{out:?}"
    );
}
