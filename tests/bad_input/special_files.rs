//! Special files and links (issue 15): never read, never blocking.

use super::*;

#[cfg(unix)]
#[test]
fn a_fifo_named_like_a_record_never_blocks_a_command_and_is_named_with_a_hint() {
    let cat = indexed();
    let fifo = cat.record_path("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("run mkfifo");
    assert!(made.success(), "mkfifo failed");
    let within = std::time::Duration::from_secs(60);
    let validate = Output::from_std(crate::util::wait_output(cat.spawn(&["validate"]), within));
    validate.assert_code(2);
    assert_reports(
        &validate,
        &format!(
            "{}: is a FIFO (named pipe), not a regular file",
            fifo.display()
        ),
        &["records are plain text files"],
    );
    let search = Output::from_std(crate::util::wait_output(
        cat.spawn(&["search", "--format", "ids", WORD]),
        within,
    ));
    assert_eq!(
        found_ids(&search),
        crate::util::strings(WORD_IDS),
        "{search:?}"
    );
    search.assert_stderr_has(&format!("warning: {}: is a FIFO", fifo.display()));
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_is_named_as_a_loop_not_a_permission_problem() {
    assert_refused(
        |cat| {
            let path = cat.record_path("loop");
            std::os::unix::fs::symlink("loop.toml", &path).expect("make a looping link");
            path
        },
        ": cannot read: the symbolic links lead in a loop",
        &["`ls -l` shows where each link leads"],
    );
}

#[test]
fn control_characters_in_record_text_are_named_at_their_place() {
    assert_refused(
        |cat| {
            write_broken(
                cat,
                &good().replace(
                    "summary = \"",
                    "summary = \"Clears the screen \\u001B[2J then ",
                ),
            )
        },
        ":",
        &["summary holds the control character U+001B", "remove it"],
    );
    // The column is the escape's own: the line of the summary, just after its words.
    let cat = Catalogue::new();
    let path = write_broken(
        &cat,
        &good().replace("summary = \"", "summary = \"Rings \\u0007 "),
    );
    let line = good()
        .lines()
        .position(|l| l.starts_with("summary = "))
        .expect("a summary line")
        + 1;
    let column = "summary = \"Rings ".chars().count() + 1;
    cat.run(&["validate"])
        .assert_code(2)
        .assert_stderr_has(&format!(
            "{}:{line}:{column}: summary holds the control character U+0007",
            path.display()
        ));
}

#[test]
fn line_breaks_and_tabs_are_fine_in_long_texts_but_not_in_a_title() {
    let cat = Catalogue::new();
    cat.add(&Rec::new("long", "Long text").description("First line.\n\tSecond line."));
    cat.run(&["validate"]).assert_code(0);
    write_broken(
        &cat,
        &good().replace("title = \"", "title = \"Two\\nlines "),
    );
    cat.run(&["validate"])
        .assert_code(2)
        .assert_stderr_has("title holds the control character U+000A");
}

#[test]
fn a_sector_vocabulary_with_a_repeated_or_bad_slug_or_an_empty_label_is_refused() {
    let cat = Catalogue::new();
    cat.add(&Rec::new("fund", "Remittance fund"));
    let path = cat.data_dir().join("sectors.toml");
    let real = fs::read_to_string(&path).expect("read sectors.toml");
    let broken = format!(
        "{real}\n[[sector]]\nslug = \"trade\"\nlabel = \"Trade again\"\ndescription = \"x\"\n\n\
         [[sector]]\nslug = \"Bad Slug!\"\nlabel = \"Bad\"\ndescription = \"x\"\n\n\
         [[sector]]\nslug = \"no-label\"\nlabel = \" \"\ndescription = \"x\"\n"
    );
    fs::write(&path, &broken).expect("write sectors.toml");
    let line_of = |needle: &str| {
        broken
            .lines()
            .collect::<Vec<_>>()
            .iter()
            .rposition(|l| *l == needle)
            .unwrap_or_else(|| panic!("no line {needle:?}"))
            + 1
    };
    let out = cat.run(&["validate"]);
    out.assert_code(2)
        .assert_stderr_has(&format!(
            "{}:{}:8: sector slug `trade` is already used by sector",
            path.display(),
            line_of("slug = \"trade\"")
        ))
        .assert_stderr_has(&format!(
            "{}:{}:8: sector slug `Bad Slug!` is not lowercase kebab-case",
            path.display(),
            line_of("slug = \"Bad Slug!\"")
        ))
        .assert_stderr_has("e.g. `bad-slug`")
        .assert_stderr_has(&format!(
            "{}:{}:9: sector `no-label` has an empty label",
            path.display(),
            line_of("label = \" \"")
        ));
    cat.run(&["rebuild"]).assert_code(2);
}

#[test]
fn keywords_and_summary_outside_the_record_format_are_warnings_not_errors() {
    let cat = Catalogue::new();
    let path = cat.add(
        &Rec::new("wordy", "Wordy fund")
            .keywords(&["one", "two"])
            .summary("First. Second. Third. Fourth."),
    );
    cat.add(
        &Rec::new("tidy", "Tidy fund")
            .keywords(&["a", "b", "c"])
            .summary("Decree No. 104 set it up."),
    );
    cat.run(&["validate"])
        .assert_code(0)
        .assert_stderr_has(&format!("{}:", path.display()))
        .assert_stderr_has(": warning: 2 keywords; the record format asks for 3 to 8")
        .assert_stderr_has(
            ": warning: the summary has 4 sentences; the record format asks for 1 to 3",
        )
        .assert_stderr_lacks("tidy.toml");
}
