//! Writing to a file, and a closed stdout.

use super::*;

#[test]
fn output_writes_the_export_to_the_file_and_nothing_to_stdout() {
    let cat = two_records();
    let expected = export(&cat, &["--fields", "id,title"]).stdout;
    export(&cat, &["--fields", "id,title", "--output", "out.csv"])
        .assert_code(0)
        .assert_stdout("")
        .assert_stderr("exported 2 of 2 matching records\n");
    let written = std::fs::read_to_string(cat.root().join("out.csv")).expect("out.csv written");
    assert_eq!(written, expected);
    assert_eq!(written, "id,title\na,Alpha fund\nb,Beta fund\n");
    // An existing file is replaced.
    export(&cat, &["--fields", "id", "-o", "out.csv"]).assert_code(0);
    assert_eq!(
        std::fs::read_to_string(cat.root().join("out.csv")).unwrap(),
        "id\na\nb\n"
    );
}

/// The names in a folder, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn failed_export_leaves_an_existing_output_file_unchanged() {
    let cat = two_records();
    let out_dir = cat.root().join("exports");
    std::fs::create_dir(&out_dir).unwrap();
    let file = out_dir.join("out.csv");
    std::fs::write(&file, "previous export\n").unwrap();
    let file_arg = file.to_str().unwrap();
    export(&cat, &["--fields", "id,bogus_field", "--output", file_arg])
        .assert_code(2)
        .assert_stdout("")
        .assert_stderr(&format!(
            "error: --fields: unknown field `bogus_field`\n  hint: fields: {FIELD_LIST}\n"
        ));
    export(&cat, &["--sector", "nowhere", "--output", file_arg])
        .assert_code(2)
        .assert_stdout("");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "previous export\n");
    // No temporary file left behind either.
    assert_eq!(listing(&out_dir), strings(&["out.csv"]));
}

// A closed stdout.

/// Runs `migdev ARGS` with stdout piped into a reader that takes one line and closes the
/// pipe; returns that line, the exit code and stderr.
fn read_one_line_then_close(root: &Path, args: &[&str]) -> (String, Option<i32>, String) {
    let mut child = StdCommand::new(env!("CARGO_BIN_EXE_migdev"))
        .current_dir(root)
        .args(args)
        .env_remove("MIGDEV_DATA")
        .env_remove("MIGDEV_INDEX")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn migdev");
    let mut line = String::new();
    {
        let mut reader = BufReader::new(child.stdout.take().expect("piped stdout"));
        reader.read_line(&mut line).expect("read one line");
        // Dropping the reader closes the pipe while migdev is still writing.
    }
    let out = child.wait_with_output().expect("wait for migdev");
    (
        line,
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn closed_stdout_ends_the_export_quietly() {
    // About 450 KB of CSV, far more than a pipe holds, so migdev is still writing when
    // the reader goes away.
    let summary = "Cuts the cost of remittances sent home by migrants. ".repeat(30);
    let records: Vec<Rec> = (0..300)
        .map(|i| Rec::new(&format!("rec-{i:03}"), &format!("Record {i}")).summary(&summary))
        .collect();
    let cat = Catalogue::indexed(&records);
    for format in ["csv", "jsonl", "json"] {
        let (line, code, stderr) =
            read_one_line_then_close(cat.root(), &["export", "--format", format]);
        let expected_first = match format {
            "csv" => format!("{DEFAULT_HEADER}\n"),
            "json" => "[\n".to_string(),
            _ => line.clone(),
        };
        assert_eq!(line, expected_first, "{format}");
        assert!(
            !stderr.contains("panicked"),
            "{format}: stderr was:\n{stderr}"
        );
        assert_eq!(code, Some(0), "{format}: stderr was:\n{stderr}");
        assert_eq!(stderr, "", "{format}");
    }
}
