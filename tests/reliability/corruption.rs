//! Corruption: read commands notice a damaged index and rebuild it from data/.

use super::*;

/// Builds a good index, damages it, and checks that a search, with and then without
/// `--no-refresh`, rebuilds it from data/, says so and why (one of `why`) on stderr, and
/// answers right; and that the repair sticks.
#[track_caller]
fn assert_repaired(damage: &dyn Fn(&Catalogue), why: &[&str]) {
    let cat = Catalogue::new();
    generate_records(&cat, SMALL_RECORDS);
    let expected = synth_marked_ids(SMALL_RECORDS);
    for no_refresh in [false, true] {
        cat.run_std(&["rebuild"]).assert_code(0);
        assert_ids_quietly(&marked_search(&cat, true), &expected);
        damage(&cat);
        let out = marked_search(&cat, no_refresh);
        assert_ids(&out, &expected);
        eprintln!("  no_refresh={no_refresh}: {}", out.notes().trim_end());
        let notes = out.notes().to_lowercase();
        assert!(
            (notes.contains("rebuilt") || notes.contains("refreshed"))
                && why.iter().any(|w| notes.contains(w)),
            "no_refresh={no_refresh}: expected a note that the index was rebuilt because it \
             was {why:?}; output was:{out:?}"
        );
        // The repair sticks: the next search uses the new index as it is.
        assert_ids_quietly(&marked_search(&cat, true), &expected);
    }
}

#[test]
fn deleted_segment_file_is_detected_and_rebuilt() {
    for ext in ["idx", "store", "term"] {
        eprintln!("deleting a *.{ext} file");
        assert_repaired(
            &|cat| fs::remove_file(&segment_files(cat, ext)[0]).expect("delete segment file"),
            &["damaged"],
        );
    }
}

#[test]
fn truncated_segment_file_is_detected_and_rebuilt() {
    for ext in ["idx", "store", "term"] {
        eprintln!("truncating a *.{ext} file");
        assert_repaired(
            &|cat| {
                let path = &segment_files(cat, ext)[0];
                let file = fs::OpenOptions::new()
                    .write(true)
                    .open(path)
                    .expect("open segment file");
                let len = file.metadata().expect("segment size").len();
                file.set_len(len / 2).expect("truncate segment file");
            },
            &["damaged"],
        );
    }
}

#[test]
fn garbage_meta_json_is_detected_and_rebuilt() {
    // Short garbage, and garbage of the very same size (which a size check cannot see).
    for same_size in [false, true] {
        eprintln!("garbage meta.json, same size: {same_size}");
        assert_repaired(
            &|cat| {
                let path = current_generation(cat).join("meta.json");
                let garbage = if same_size {
                    let len = usize::try_from(fs::metadata(&path).expect("meta.json").len())
                        .expect("a small file");
                    "#".repeat(len)
                } else {
                    "this is {not JSON at all".to_string()
                };
                fs::write(&path, garbage).expect("overwrite meta.json");
            },
            &["damaged"],
        );
    }
}

#[test]
fn deleted_generation_folder_is_detected_and_rebuilt() {
    assert_repaired(
        &|cat| fs::remove_dir_all(current_generation(cat)).expect("delete the generation"),
        &["damaged", "no index", "missing"],
    );
}

#[test]
fn deleted_index_folder_is_detected_and_rebuilt() {
    assert_repaired(
        &|cat| fs::remove_dir_all(cat.index_dir()).expect("delete the index folder"),
        &["no index", "missing"],
    );
}

#[test]
fn index_of_another_schema_version_is_detected_and_rebuilt() {
    assert_repaired(
        &|cat| {
            let path = current_generation(cat).join("manifest.json");
            let text = fs::read_to_string(&path).expect("read manifest.json");
            let mut manifest: serde_json::Value =
                serde_json::from_str(&text).expect("manifest.json is JSON");
            manifest["schema_version"] = serde_json::json!(999);
            fs::write(&path, manifest.to_string()).expect("write manifest.json");
        },
        &["schema"],
    );
}
