//! Read-only use: nothing under data/ changes, and a read-only file system still answers.

use super::*;

/// How these tests make `data/` and `index/` read-only.
#[derive(Debug, Clone, Copy)]
enum ReadOnly {
    /// Read-only bind mounts in a private user and mount namespace: works even as root.
    Unshare,
    /// Permissions: works only when the tests do not run as root.
    Chmod,
}

/// Runs the command inside the namespace: `$1` and `$2` become read-only bind mounts.
const UNSHARE_SCRIPT: &str =
    r#"mount --bind -o ro "$1" "$1" && mount --bind -o ro "$2" "$2" && shift 2 && exec "$@""#;

fn unshare_command() -> Command {
    let mut cmd = Command::new("unshare");
    cmd.args(["--user", "--map-root-user", "--mount", "sh", "-c"]);
    cmd
}

/// Finds, once, a way to make a folder read-only here; fails the test if there is none.
fn read_only_mode() -> ReadOnly {
    static MODE: OnceLock<Result<ReadOnly, String>> = OnceLock::new();
    let mode = MODE.get_or_init(|| {
        let probe = Catalogue::bare();
        let dir = probe.root().to_path_buf();
        let target = dir.join("probe");
        let tried = unshare_command()
            .arg(r#"mount --bind -o ro "$1" "$1" || exit 90; : > "$1/probe""#)
            .arg("sh")
            .arg(&dir)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output();
        let unshare = match &tried {
            Ok(out) if !out.status.success() && out.status.code() != Some(90) => !target.exists(),
            _ => false,
        };
        if unshare {
            return Ok(ReadOnly::Unshare);
        }
        set_writable(&dir, false);
        let written = fs::write(&target, "x").is_ok();
        set_writable(&dir, true);
        if !written {
            return Ok(ReadOnly::Chmod);
        }
        Err(format!(
            "cannot make a folder read-only here: `unshare --user --map-root-user --mount` \
             with a read-only bind mount did not work ({tried:?}), and chmod does not stop \
             writes (running as root?)"
        ))
    });
    match mode {
        Ok(mode) => *mode,
        Err(why) => panic!("{why}"),
    }
}

/// Makes a folder tree read-only (or writable again) by permissions.
fn set_writable(path: &Path, writable: bool) {
    use std::os::unix::fs::PermissionsExt;
    let meta = fs::symlink_metadata(path).expect("stat");
    if meta.is_dir() {
        for entry in fs::read_dir(path).expect("read folder").flatten() {
            set_writable(&entry.path(), writable);
        }
    }
    let mode = match (meta.is_dir(), writable) {
        (true, true) => 0o755,
        (true, false) => 0o555,
        (false, true) => 0o644,
        (false, false) => 0o444,
    };
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).expect("chmod");
}

/// Restores write permission when dropped, even if the test panics.
struct WriteProtected(Vec<PathBuf>);

impl WriteProtected {
    fn new(dirs: Vec<PathBuf>) -> WriteProtected {
        for dir in &dirs {
            set_writable(dir, false);
        }
        WriteProtected(dirs)
    }
}

impl Drop for WriteProtected {
    fn drop(&mut self) {
        for dir in &self.0 {
            set_writable(dir, true);
        }
    }
}

/// Runs `migdev ARGS` with `data/` and `index/` read-only.
fn run_read_only(cat: &Catalogue, args: &[&str]) -> Output {
    match read_only_mode() {
        ReadOnly::Unshare => {
            let mut cmd = unshare_command();
            prepare_std(&mut cmd, cat.root());
            cmd.arg(UNSHARE_SCRIPT)
                .arg("sh")
                .arg(cat.data_dir())
                .arg(cat.index_dir())
                .arg(migdev_bin())
                .args(args);
            Output::from_std(wait_output(cmd.spawn().expect("start unshare"), TIMEOUT))
        }
        ReadOnly::Chmod => {
            let _guard = WriteProtected::new(vec![cat.data_dir(), cat.index_dir()]);
            cat.run_std(args)
        }
    }
}

/// A small synthetic catalogue with a good index.
fn small_rebuilt() -> (Catalogue, Vec<String>) {
    let cat = Catalogue::new();
    generate_records(&cat, SMALL_RECORDS);
    cat.run_std(&["rebuild"]).assert_code(0);
    (cat, synth_marked_ids(SMALL_RECORDS))
}

/// The export's data rows (CSV lines that start with an id).
fn export_ids(out: &Output) -> Vec<String> {
    out.stdout
        .lines()
        .filter(|l| l.starts_with("synth-"))
        .map(|l| l.split(',').next().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn read_commands_work_with_a_fresh_index_on_a_read_only_file_system() {
    let (cat, expected) = small_rebuilt();
    eprintln!("read-only mode: {:?}", read_only_mode());

    for no_refresh in [false, true] {
        assert_ids_quietly(
            &run_read_only(&cat, &marked_search_args(no_refresh)),
            &expected,
        );
    }

    let out = run_read_only(&cat, &["show", &expected[0]]);
    out.assert_code(0)
        .assert_stderr("")
        .assert_stdout_has(&synth().record(50).title);

    let out = run_read_only(&cat, &["facets", SYNTH_MARKER, "--by", "kind"]);
    out.assert_code(0).assert_stdout_has("kind");
    assert!(!out.stderr.contains("warning"), "{out:?}");

    let out = run_read_only(&cat, &["export", SYNTH_MARKER, "--format", "csv"]);
    out.assert_code(0).assert_notes("");
    assert!(out.stdout.starts_with("id,title,"), "{out:?}");
    assert_eq!(sorted(export_ids(&out)), expected, "{out:?}");
}

/// Every file and folder under `dir`: its bytes (files) and modification time.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Option<Vec<u8>>, SystemTime)> {
    let mut all = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(path) = stack.pop() {
        let meta = fs::symlink_metadata(&path).expect("stat");
        let modified = meta.modified().expect("modification time");
        if meta.is_dir() {
            for entry in fs::read_dir(&path).expect("read folder").flatten() {
                stack.push(entry.path());
            }
            all.insert(path, (None, modified));
        } else {
            all.insert(
                path.clone(),
                (Some(fs::read(&path).expect("read")), modified),
            );
        }
    }
    all
}

#[test]
fn read_commands_never_write_to_data() {
    // No index yet: the first command builds one, which must touch index/ only.
    let cat = Catalogue::new();
    generate_records(&cat, SMALL_RECORDS);
    let expected = synth_marked_ids(SMALL_RECORDS);
    let before = snapshot(&cat.data_dir());
    thread::sleep(Duration::from_millis(20)); // so a rewrite would show in the time

    assert_ids(&marked_search(&cat, false), &expected);
    assert_ids_quietly(&marked_search(&cat, true), &expected);
    cat.run_std(&["search", "remittance", "--facets"])
        .assert_code(0);
    cat.run_std(&["show", &expected[0]]).assert_code(0);
    cat.run_std(&["--no-refresh", "show", &expected[1]])
        .assert_code(0);
    cat.run_std(&["facets", "--by", "sector", "--by", "region"])
        .assert_code(0);
    cat.run_std(&["export", "--format", "csv"]).assert_code(0);
    cat.run_std(&["export", SYNTH_MARKER, "--format", "json"])
        .assert_code(0);
    cat.run_std(&["--no-refresh", "export", "--format", "jsonl"])
        .assert_code(0);

    let after = snapshot(&cat.data_dir());
    let changed: Vec<&PathBuf> = before
        .keys()
        .chain(after.keys())
        .filter(|p| before.get(*p) != after.get(*p))
        .collect();
    assert!(
        changed.is_empty(),
        "read commands changed these under data/: {changed:?}"
    );
    assert_eq!(before.len(), after.len());
}

#[test]
fn read_commands_answer_from_a_stale_index_on_a_read_only_file_system_with_a_warning() {
    let (cat, old) = small_rebuilt();
    // The edit would add the record to the marker query, but the index cannot be rebuilt.
    edit_record(&cat, true, 0);

    let warned = |out: &Output| {
        assert!(
            out.stderr.contains("warning") && out.stderr.contains("migdev rebuild"),
            "expected a warning that says to run `migdev rebuild`; output was:{out:?}"
        );
    };
    let out = run_read_only(&cat, &marked_search_args(false));
    assert_ids(&out, &old);
    warned(&out);

    let out = run_read_only(&cat, &["show", &synth_id(EDITED), "--format", "json"]);
    out.assert_code(0);
    assert_eq!(
        out.json()[0]["title"],
        synth().record(EDITED as u64).title.as_str(),
        "{out:?}"
    );
    assert!(
        !out.stdout.contains("edition"),
        "shows the new text:{out:?}"
    );
    warned(&out);

    let out = run_read_only(&cat, &["facets", SYNTH_MARKER, "--by", "kind"]);
    out.assert_code(0).assert_stdout_has("kind");
    warned(&out);

    let out = run_read_only(&cat, &["export", SYNTH_MARKER, "--format", "csv"]);
    out.assert_code(0);
    assert_eq!(sorted(export_ids(&out)), old, "{out:?}");
    warned(&out);

    // Once writable again, the next search refreshes.
    assert_ids(&marked_search(&cat, false), &with_edited(&old));
}
