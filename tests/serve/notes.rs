//! The notes of `/api/search` and `/api/facets`: typed objects, as the library types them.

use serde_json::Value;

use super::{Server, sample};

/// One note as the API gives it: `(kind, level, text)`.
fn notes(body: &Value) -> Vec<(String, String, String)> {
    body["notes"]
        .as_array()
        .unwrap_or_else(|| panic!("notes is an array: {body}"))
        .iter()
        .map(|n| {
            let field = |name: &str| {
                n[name]
                    .as_str()
                    .unwrap_or_else(|| panic!("note has a string {name}: {n}"))
                    .to_string()
            };
            (field("kind"), field("level"), field("text"))
        })
        .collect()
}

#[test]
fn notes_are_typed_objects_in_search_and_facets() {
    let cat = sample();
    let server = Server::start(&cat);
    for route in ["/api/search", "/api/facets"] {
        let body = server.get(&format!("{route}?q=remitances")).json();
        let found = notes(&body);
        assert!(
            found.iter().any(|(kind, level, text)| kind == "corrected"
                && level == "info"
                && text.contains("remittances")),
            "{route}: a correction is information: {found:?}"
        );
        assert_eq!(body["total"], 2, "{route} searched the corrected word");
        let body = server.get(&format!("{route}?q=remittances+AND+(")).json();
        let found = notes(&body);
        assert!(
            found
                .iter()
                .any(|(kind, level, _)| kind == "ignored" && level == "warning"),
            "{route}: ignored syntax is a warning: {found:?}"
        );
        assert!(
            found.iter().all(|(_, _, text)| !text.contains("--strict")),
            "{route}: the CLI's --strict pointer means nothing here: {found:?}"
        );
    }
}
