//! The README's query examples, run against the bundled catalogue: an example that stops
//! being true fails here. Each ```` ``` ```` block that starts with `$ migdev search` or
//! `$ migdev facets` is run at 100 columns; every line the README shows must appear, in
//! order, in what the command prints (on stderr or stdout). Counts may drift as curators add
//! records, so numbers are compared as numbers, not values; box-drawing lines are skipped.
//! The examples in the query-field table must each find something.

use assert_cmd::Command;

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap()
}

/// Runs `migdev ARGS` on the bundled data with its own index; stdout and stderr.
fn run(index: &std::path::Path, args: &[String]) -> (i32, String, String) {
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/data");
    let output = Command::cargo_bin("migdev")
        .unwrap()
        .args(["--data", data, "--index"])
        .arg(index)
        .args(args)
        .env_remove("MIGDEV_DATA")
        .env_remove("MIGDEV_INDEX")
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A shell-like split of an example command: words, and "double-quoted" words.
fn split_command(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ' ' if !quoted => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            _ => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// A line as compared: numbers as `#`, runs of spaces as one, box-drawing lines dropped.
fn normalised(line: &str) -> Option<String> {
    let line = line.trim();
    if line.is_empty() || line.chars().all(|c| "─═│ ".contains(c)) {
        return None;
    }
    let mut out = String::new();
    let mut last = ' ';
    for c in line.chars() {
        let c = if c.is_ascii_digit() { '#' } else { c };
        if (c == ' ' && last == ' ') || (c == '#' && last == '#') {
            continue;
        }
        out.push(c);
        last = c;
    }
    Some(out)
}

/// The README's example blocks: (command words after `migdev`, the lines shown).
fn examples(text: &str) -> Vec<(Vec<String>, Vec<String>)> {
    let mut found = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if !line.starts_with("```") {
            continue;
        }
        let Some(first) = lines.next() else { break };
        if first.starts_with("```") {
            continue;
        }
        let body: Vec<String> = lines
            .by_ref()
            .take_while(|l| !l.starts_with("```"))
            .map(str::to_string)
            .collect();
        let Some(command) = first.strip_prefix("$ migdev ") else {
            continue;
        };
        let words = split_command(command);
        if matches!(words.first().map(String::as_str), Some("search" | "facets")) {
            found.push((words, body));
        }
    }
    found
}

#[test]
fn readme_search_and_facets_examples_print_what_the_readme_shows() {
    let text = readme();
    let examples = examples(&text);
    assert!(examples.len() >= 2, "no examples found in README.md");
    let index = tempfile::tempdir().unwrap();
    run(index.path(), &["-q".into(), "rebuild".into()]);
    for (args, shown) in examples {
        let (code, stdout, stderr) = run(index.path(), &args);
        assert_eq!(code, 0, "migdev {args:?} failed:\n{stderr}");
        // Notes (stderr) and results (stdout) interleave in the README as on a terminal:
        // each shown line must come next in one of the two.
        let streams: [Vec<String>; 2] = [
            stderr.lines().filter_map(normalised).collect(),
            stdout.lines().filter_map(normalised).collect(),
        ];
        let mut at = [0, 0];
        for line in shown.iter().filter_map(|l| normalised(l)) {
            let found = (0..2).find_map(|s| {
                streams[s][at[s]..]
                    .iter()
                    .position(|p| *p == line)
                    .map(|i| (s, at[s] + i + 1))
            });
            match found {
                Some((s, next)) => at[s] = next,
                None => panic!(
                    "README example `migdev {}` shows a line the command no longer prints:\n  {line}\n\
                     it printed:\n{stderr}{stdout}",
                    args.join(" ")
                ),
            }
        }
    }
}

#[test]
fn readme_query_field_examples_each_find_records() {
    let text = readme();
    let table = text
        .split("| field | example |")
        .nth(1)
        .expect("the query-field table");
    let mut examples = Vec::new();
    for row in table.lines().skip(2).take_while(|l| l.starts_with('|')) {
        let cell = row.rsplit('|').nth(1).unwrap_or("");
        examples.extend(
            cell.split(", ")
                .map(|e| e.trim().trim_matches('`').to_string()),
        );
    }
    assert!(examples.len() >= 8, "{examples:?}");
    let index = tempfile::tempdir().unwrap();
    for example in examples {
        let (code, stdout, stderr) = run(
            index.path(),
            &[
                "-q".into(),
                "search".into(),
                "--strict".into(),
                example.clone(),
                "--format".into(),
                "ids".into(),
            ],
        );
        assert_eq!(
            code, 0,
            "README example `{example}` found nothing:\n{stderr}"
        );
        assert!(!stdout.trim().is_empty(), "`{example}`");
    }
}

#[test]
fn normalising_compares_numbers_as_numbers_and_skips_borders() {
    assert_eq!(
        normalised(" sector   Governance   43 "),
        Some("sector Governance #".into())
    );
    assert_eq!(normalised("────═══"), None);
    assert_eq!(
        split_command("search \"remitances prices\" --limit 2"),
        vec!["search", "remitances prices", "--limit", "2"]
    );
}
