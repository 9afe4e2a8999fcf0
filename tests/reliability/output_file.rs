//! Where an export goes: the `--output` file is replaced whole or not at all, keeps what
//! the user set up (its mode, a symbolic link to it), and a failed write is never reported
//! as a success.

use std::fs;
use std::process::Command;

use crate::util::{Catalogue, Rec};

/// Two indexed records, `a` and `b`.
fn two() -> Catalogue {
    let cat = Catalogue::new();
    cat.add(&Rec::new("a", "Alpha fund"));
    cat.add(&Rec::new("b", "Beta fund"));
    cat.run(&["rebuild"]).assert_code(0);
    cat
}

#[test]
fn export_that_finds_nothing_leaves_the_output_file_as_it_was() {
    let cat = two();
    let kept = cat.write("reports/report.csv", "previous export\n");
    for format in ["csv", "json", "jsonl"] {
        cat.run(&[
            "export",
            "--kind",
            "law",
            "--format",
            format,
            "--output",
            "reports/report.csv",
        ])
        .assert_code(1)
        .assert_stdout("")
        .assert_stderr(
            "no matching records; reports/report.csv left as it was\n\
                 exported 0 of 0 matching records\n",
        );
        assert_eq!(fs::read_to_string(&kept).unwrap(), "previous export\n");
        // Nor is a file that did not exist created.
        cat.run(&[
            "export",
            "--kind",
            "law",
            "--format",
            format,
            "--output",
            "reports/new.csv",
        ])
        .assert_code(1);
        assert!(!cat.root().join("reports/new.csv").exists());
    }
    let names: Vec<_> = fs::read_dir(cat.root().join("reports"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["report.csv"], "no temporary file is left");
}

#[cfg(unix)]
#[test]
fn export_output_writes_through_a_symlink_keeps_the_mode_and_dash_is_stdout() {
    use std::os::unix::fs::{PermissionsExt, symlink};
    let cat = two();
    let target = cat.write("shared/report.csv", "old\n");
    fs::set_permissions(&target, fs::Permissions::from_mode(0o640)).unwrap();
    symlink("shared/report.csv", cat.root().join("report.csv")).unwrap();
    cat.run(&["export", "--fields", "id", "--output", "report.csv"])
        .assert_code(0)
        .assert_stdout("");
    let link = cat.root().join("report.csv");
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link stays a link"
    );
    assert_eq!(fs::read_to_string(&target).unwrap(), "id\na\nb\n");
    let mode = fs::metadata(&target).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640, "the target keeps its mode");
    // `-` is stdout, not a file named `-`.
    cat.run(&["export", "--fields", "id", "--output", "-"])
        .assert_code(0)
        .assert_stdout("id\na\nb\n");
    assert!(!cat.root().join("-").exists());
}

/// Runs `migdev export` through `sh` with stdout redirected by `redirect` (`>&-`, `>/dev/full`).
fn export_with_stdout(cat: &Catalogue, redirect: &str) -> (Option<i32>, String) {
    let out = Command::new("sh")
        .current_dir(cat.root())
        .arg("-c")
        .arg(format!("exec \"$0\" export {redirect}"))
        .arg(env!("CARGO_BIN_EXE_migdev"))
        .env_remove("MIGDEV_DATA")
        .env_remove("MIGDEV_INDEX")
        .output()
        .expect("run sh");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[cfg(target_os = "linux")]
#[test]
fn export_to_a_closed_stdout_or_a_full_disk_is_an_error() {
    let cat = two();
    let (code, stderr) = export_with_stdout(&cat, ">&-");
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.starts_with("error: stdout is closed: nothing can be written\n  hint: "),
        "{stderr}"
    );
    let (code, stderr) = export_with_stdout(&cat, ">/dev/full");
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("error: cannot write to stdout: cannot write the export: No space left"),
        "{stderr}"
    );
    assert!(!stderr.contains("exported"), "no success note: {stderr}");
    // A null device the shell opened is a real stdout, not a closed one.
    let (code, stderr) = export_with_stdout(&cat, ">/dev/null");
    assert_eq!(code, Some(0), "{stderr}");
}
