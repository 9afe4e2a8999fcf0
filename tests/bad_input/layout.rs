//! File names, folders, the vocabulary, and files that are not records.

use super::*;

#[test]
fn file_name_with_upper_case() {
    assert_refused(
        |cat| cat.write_record("Broken-Record", &good()),
        ": `Broken-Record` is not a valid record id",
        &["`broken-record.toml`"],
    );
}

#[test]
fn file_name_with_a_space() {
    assert_refused(
        |cat| cat.write_record("broken record", &good()),
        ": `broken record` is not a valid record id",
        &["`broken-record.toml`"],
    );
}

#[test]
fn two_ids_that_differ_only_in_case() {
    // On a case-insensitive file system these are one file; the upper-case one is named.
    assert_refused(
        |cat| {
            cat.write_record("abc", &good());
            cat.write_record("ABC", &good())
        },
        ": `ABC` is not a valid record id",
        &[],
    );
}

// The folders and the vocabulary.

#[test]
fn empty_programmes_folder() {
    assert_blocks_every_refresh(
        |cat| {
            for (_, path) in list(&cat.programmes_dir()) {
                fs::remove_file(path).expect("remove a record");
            }
            cat.programmes_dir()
        },
        ": no record files found",
        &[],
    );
}

#[test]
fn missing_sectors_file() {
    // The catalogue is still there (data/programmes/, index/): the message names the
    // missing vocabulary file rather than saying there is no catalogue.
    assert_blocks_every_refresh(
        |cat| {
            let path = cat.data_dir().join("sectors.toml");
            fs::remove_file(&path).expect("remove sectors.toml");
            path
        },
        ": ",
        &[],
    );
}

#[test]
fn broken_sectors_file_syntax() {
    let real =
        fs::read_to_string(crate::util::real_data().join("sectors.toml")).expect("read sectors");
    let line = real.lines().count() + 1;
    assert_blocks_every_refresh(
        |cat| cat.write("data/sectors.toml", &format!("{real}slug = [\n")),
        &format!(":{line}:9: "),
        &[],
    );
}

#[test]
fn sectors_file_without_sectors() {
    assert_blocks_every_refresh(
        |cat| cat.write("data/sectors.toml", "sector = []\n"),
        ": the sector vocabulary is empty",
        &[],
    );
}

// Files that are not records.

#[test]
fn files_that_are_not_records_are_ignored() {
    let cat = indexed();
    let junk = "this = is [ not TOML\n";
    for name in ["README.md", "x.toml~", ".x.toml.swp", "notes.txt"] {
        cat.write(Path::new("data/programmes").join(name), junk);
    }
    let sectors = crate::util::sector_slugs().len();
    cat.run(&["validate"])
        .assert_code(0)
        .assert_stdout("")
        .assert_stderr(&format!("3 records and {sectors} sectors: no problems\n"));
    for args in [
        &["search", "--format", "ids", WORD][..],
        &["--no-refresh", "search", "--format", "ids", WORD],
    ] {
        let out = cat.run(args);
        assert_eq!(found_ids(&out), crate::util::strings(WORD_IDS), "{out:?}");
        out.assert_stderr_lacks("warning");
    }
    cat.run(&["rebuild"])
        .assert_code(0)
        .assert_stderr_lacks("warning");
}
