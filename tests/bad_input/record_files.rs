//! Record files with bad contents, and record files that cannot be read as text.

use super::*;

#[test]
fn invalid_toml_syntax() {
    // The summary loses its closing quote: the string runs to the end of line 8.
    assert_refused(
        |cat| {
            broken_line(
                cat,
                8,
                r#"summary = "Matches migrants' remittances for public works."#,
            )
        },
        ":8:59: invalid TOML",
        &[],
    );
}

#[test]
fn value_of_the_wrong_type() {
    assert_refused(
        |cat| broken_line(cat, 5, r#"start_year = "2002""#),
        ":5:14: invalid type",
        &[],
    );
}

#[test]
fn unknown_key_typo_says_did_you_mean() {
    assert_refused(
        |cat| broken_line(cat, 1, r#"titel = "Remittance matching fund""#),
        ":1:1: unknown key `titel`",
        &["did you mean `title`?"],
    );
}

#[test]
fn unknown_sector() {
    assert_refused(
        |cat| broken_line(cat, 3, r#"sectors = ["finance"]"#),
        ":3:12: unknown sector `finance`",
        &["financial-services"],
    );
}

#[test]
fn unknown_country_code() {
    // In place of the scope line.
    assert_refused(
        |cat| broken_line(cat, 4, r#"countries = ["MXE"]"#),
        ":4:14: unknown country code `MXE`",
        &["`MEX`"],
    );
}

#[test]
fn unknown_kind() {
    assert_refused(
        |cat| broken_line(cat, 2, r#"kind = "programm""#),
        ":2:8: unknown kind `programm`",
        &["`programme`"],
    );
}

#[test]
fn unknown_status() {
    assert_refused(
        |cat| broken_line(cat, 7, r#"status = "finished""#),
        ":7:10: unknown status `finished`",
        &["ongoing", "ended"],
    );
}

#[test]
fn unknown_scope() {
    assert_refused(
        |cat| broken_line(cat, 4, r#"scope = "worldwide""#),
        ":4:9: unknown scope `worldwide`",
        &["national", "global"],
    );
}

#[test]
fn end_year_before_start_year() {
    assert_refused(
        |cat| broken_line(cat, 6, "end_year = 1999"),
        ":6:12: end_year 1999 is before start_year 2002",
        &[],
    );
}

#[test]
fn year_before_1900_is_out_of_range() {
    assert_refused(
        |cat| broken_line(cat, 5, "start_year = 1899"),
        ":5:14: start_year 1899 is outside 1900..",
        &[],
    );
}

#[test]
fn year_after_next_year_is_out_of_range() {
    let year = next_year() + 1;
    assert_refused(
        |cat| broken_line(cat, 6, &format!("end_year = {year}")),
        &format!(":6:12: end_year {year} is outside 1900..{}", next_year()),
        &[],
    );
}

#[test]
fn empty_title() {
    assert_refused(
        |cat| broken_line(cat, 1, r#"title = """#),
        ":1:9: the title is empty",
        &[],
    );
}

#[test]
fn whitespace_only_title() {
    assert_refused(
        |cat| broken_line(cat, 1, r#"title = " \t ""#),
        ":1:9: the title is empty",
        &[],
    );
}

#[test]
fn empty_summary() {
    assert_refused(
        |cat| broken_line(cat, 8, r#"summary = """#),
        ":8:11: the summary is empty",
        &[],
    );
}

#[test]
fn whitespace_only_summary() {
    assert_refused(
        |cat| broken_line(cat, 8, r#"summary = "  \n  ""#),
        ":8:11: the summary is empty",
        &[],
    );
}

#[test]
fn no_sources_an_empty_list() {
    assert_refused(
        |cat| write_broken(cat, &(good_head(8) + "sources = []\n")),
        ":9:11: no sources given",
        &["[[sources]]"],
    );
}

#[test]
fn no_sources_the_key_left_out() {
    assert_refused(
        |cat| write_broken(cat, &good_head(8)),
        ":1:1: missing field `sources`",
        &[],
    );
}

#[test]
fn source_with_an_empty_title() {
    assert_refused(
        |cat| broken_line(cat, 11, r#"title = """#),
        ":11:9: source 1 has no title",
        &[],
    );
}

#[test]
fn source_without_a_title_key() {
    // Line 11 emptied: the [[sources]] table on line 10 has no title.
    assert_refused(
        |cat| broken_line(cat, 11, ""),
        ":10:1: missing field `title`",
        &[],
    );
}

// Record files that cannot be read as text.

#[test]
fn file_that_is_not_utf8() {
    // Latin-1 `é` (0xE9) after `title = "Caf`: the position is of the first bad byte.
    assert_refused(
        |cat| {
            let mut bytes = b"title = \"Caf\xe9 fund\"\n".to_vec();
            bytes.extend_from_slice(good().split_once('\n').expect("lines").1.as_bytes());
            let path = cat.record_path(BROKEN);
            fs::write(&path, bytes).expect("write a Latin-1 file");
            path
        },
        ":1:13: the file is not valid UTF-8",
        &["UTF-8"],
    );
}

#[test]
fn file_over_1_mib() {
    // A valid record padded with a comment to one byte over the limit.
    let size = MAX_RECORD_BYTES + 1;
    assert_refused(
        |cat| {
            let pad = usize::try_from(size).expect("a size fits in usize") - good().len() - 2;
            write_broken(cat, &format!("{}#{}\n", good(), "x".repeat(pad)))
        },
        &format!(": file is {size} bytes, over the 1 MiB limit"),
        &[],
    );
}

#[test]
fn toml_name_that_is_a_folder() {
    assert_refused(
        |cat| {
            let path = cat.record_path(BROKEN);
            fs::create_dir(&path).expect("create a folder named broken.toml");
            path
        },
        ": is a folder",
        &[],
    );
}

/// Makes `broken.toml` a symbolic link to `target`; returns its path.
#[cfg(unix)]
fn link_broken(cat: &Catalogue, target: &str) -> PathBuf {
    let path = cat.record_path(BROKEN);
    std::os::unix::fs::symlink(target, &path).expect("create a symlink");
    path
}

#[cfg(unix)]
#[test]
fn toml_name_that_is_a_broken_symlink() {
    assert_refused(
        |cat| link_broken(cat, "nowhere.toml"),
        ": cannot read",
        &["symbolic link"],
    );
}

/// Writes [`good`] as `broken.toml` with mode 000; returns its path.
#[cfg(unix)]
fn write_locked(cat: &Catalogue) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = write_broken(cat, &good());
    fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).expect("chmod 000");
    path
}

/// How to run migdev so that a mode-000 file is unreadable to it: as ourselves when we
/// cannot read it either; as root without its read override (`setpriv`, if present and
/// allowed here) when we can; `None` when there is no way.
#[cfg(unix)]
fn runner_that_cannot_read(path: &Path) -> Option<Run> {
    if fs::read(path).is_err() {
        return Some(as_me);
    }
    let probe = std::process::Command::new("setpriv")
        .arg(NO_READ_OVERRIDE)
        .arg("cat")
        .arg(path)
        .output();
    match probe {
        Ok(out) if !out.status.success() && out.stdout.is_empty() => Some(without_read_override),
        _ => None,
    }
}

#[cfg(unix)]
#[test]
fn unreadable_file() {
    let probe = Catalogue::new();
    let Some(run) = runner_that_cannot_read(&write_locked(&probe)) else {
        // Root (or CAP_DAC_OVERRIDE) and no way to give it up: permissions do not stop
        // reads, so migdev reads the file like any other and finds it valid. The unreadable
        // path is then not exercised here; `read_error_is_reported` covers the same code.
        eprintln!("note: running with a read override that cannot be dropped");
        probe.add(&Rec::new("other", "Other fund"));
        probe.run(&["validate"]).assert_code(0);
        return;
    };
    assert_refused_by(run, write_locked, ": cannot read", &["permission"]);
}

/// A file that stats as a regular file but whose read fails (EIO): the same path as an
/// unreadable file, taken whatever the user's privileges.
#[cfg(target_os = "linux")]
#[test]
fn read_error_is_reported() {
    assert_refused(
        |cat| link_broken(cat, "/proc/self/mem"),
        ": cannot read",
        &[],
    );
}
