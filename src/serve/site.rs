//! The HTML routes: the search page, record pages, embedded assets and the 404 page.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::engine::{self, Answer, CHARTS, FACET_TOP, Failure};
use super::layout::error_page;
use super::params::{DIMENSIONS, SearchParams};
use super::{App, Reply, assets, record_page, search_page};

/// Similar records listed on a record page.
const SIMILAR_ON_PAGE: usize = 6;

/// `/`: the search page.
pub async fn search(State(app): State<Arc<App>>, RawQuery(query): RawQuery) -> Reply {
    let query = query.unwrap_or_default();
    app.answer("page", &query.clone(), move |snapshot, paths| {
        let params = match SearchParams::parse(&query) {
            Ok(params) => params,
            Err(bad) => return bad_request(&bad.param, &bad.message, &bad.hint),
        };
        let dimensions: Vec<_> = DIMENSIONS.iter().map(|d| d.by).collect();
        match engine::search(snapshot, paths, &params, &dimensions, &CHARTS, FACET_TOP) {
            Ok(answer) => page_of(&params, &answer, snapshot),
            Err(Failure::Bad(bad)) => bad_request(&bad.param, &bad.message, &bad.hint),
            Err(Failure::Internal(err)) => internal(&err.to_string()),
        }
    })
    .await
}

/// `/fragments/pictures`: the search page's pictures alone (server-rendered SVG), which the
/// script swaps in after a live search it drew from `/api/search`.
pub async fn pictures(State(app): State<Arc<App>>, RawQuery(query): RawQuery) -> Reply {
    let query = query.unwrap_or_default();
    app.answer("pictures", &query.clone(), move |snapshot, paths| {
        let params = match SearchParams::parse(&query) {
            Ok(params) => params,
            Err(bad) => return bad_request(&bad.param, &bad.message, &bad.hint),
        };
        match engine::charts(snapshot, paths, &params) {
            Ok(charts) => Reply::html(StatusCode::OK, search_page::pictures(&params, &charts)),
            Err(Failure::Bad(bad)) => bad_request(&bad.param, &bad.message, &bad.hint),
            Err(Failure::Internal(err)) => internal(&err.to_string()),
        }
    })
    .await
}

fn page_of(params: &SearchParams, answer: &Answer, snapshot: &super::Snapshot) -> Reply {
    Reply::html(
        StatusCode::OK,
        search_page::render(
            params,
            answer,
            &snapshot.opened.manifest.sectors,
            &snapshot.warnings,
        ),
    )
}

/// `/records/{id}`: one record in full, or a 404 page naming the closest ids.
pub async fn record(State(app): State<Arc<App>>, Path(id): Path<String>) -> Reply {
    app.answer("record", &id.clone(), move |snapshot, paths| {
        let entry = match engine::record(snapshot, paths, &id) {
            Ok(Some(entry)) => entry,
            Ok(None) => {
                return Reply::html(
                    StatusCode::NOT_FOUND,
                    error_page(
                        404,
                        "No such record",
                        &format!("The catalogue has no record with the id “{id}”."),
                        &engine::closest_ids(snapshot, &id),
                    ),
                );
            }
            Err(err) => return internal(&err.to_string()),
        };
        let mut params = SearchParams::parse("").expect("the empty search parses");
        params.limit = SIMILAR_ON_PAGE;
        let similar = match engine::similar(snapshot, paths, &id, &params) {
            Ok(found) => found.map(|(_, hits)| hits).unwrap_or_default(),
            Err(Failure::Bad(bad)) => return bad_request(&bad.param, &bad.message, &bad.hint),
            Err(Failure::Internal(err)) => return internal(&err.to_string()),
        };
        Reply::html(
            StatusCode::OK,
            record_page::render(
                &entry,
                &similar,
                &snapshot.opened.manifest.sectors,
                &snapshot.warnings,
            ),
        )
    })
    .await
}

/// `/assets/{name}`: an embedded file, by exact name only.
pub async fn asset(Path(name): Path<String>) -> Response {
    match assets::named(&name) {
        Some(asset) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static(asset.media_type),
                ),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("max-age=300"),
                ),
            ],
            asset.body,
        )
            .into_response(),
        None => not_found_page().into_response(),
    }
}

/// Any other address: a 404 page, or a JSON 404 under `/api/`.
pub async fn not_found(uri: axum::http::Uri) -> Reply {
    if uri.path().starts_with("/api/") {
        return Reply::error(
            StatusCode::NOT_FOUND,
            "",
            "no such API route".into(),
            "routes: /api/search, /api/facets, /api/records/{id}, /api/similar/{id}, /api/export.csv, /api/export.jsonl",
        );
    }
    not_found_page()
}

fn not_found_page() -> Reply {
    Reply::html(
        StatusCode::NOT_FOUND,
        error_page(
            404,
            "Page not found",
            "There is no page at this address.",
            &[],
        ),
    )
}

fn bad_request(param: &str, message: &str, hint: &str) -> Reply {
    let detail = if hint.is_empty() {
        message.to_string()
    } else {
        format!("{message} ({hint})")
    };
    let heading = if param.is_empty() {
        "Bad request".to_string()
    } else {
        format!("Bad parameter “{param}”")
    };
    Reply::html(
        StatusCode::BAD_REQUEST,
        error_page(400, &heading, &detail, &[]),
    )
}

fn internal(message: &str) -> Reply {
    eprintln!("error: {message}");
    Reply::html(
        StatusCode::INTERNAL_SERVER_ERROR,
        error_page(500, "Something went wrong", message, &[]),
    )
}
