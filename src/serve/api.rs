//! The JSON API: the same searches as the page, as the CLI's JSON and export formats.
//! Errors are JSON too, with the status that fits: 400 naming the parameter, 404 for an
//! unknown id or route.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use serde::Serialize;

use crate::export::{self, CsvOptions, JsonRecord};
use crate::facets::Facet;
use crate::sectors::Sectors;

use super::engine::{self, Failure};
use super::params::{BadParam, DIMENSIONS, SearchParams};
use super::{App, Reply};

/// Facet values per dimension in `/api/search` and `/api/facets` unless `top` says.
const DEFAULT_TOP: usize = 20;

/// Facets as one object keyed by dimension: `{"sector": [...], "region": [...]}`.
fn facet_object(facets: &[Facet]) -> serde_json::Map<String, serde_json::Value> {
    facets
        .iter()
        .map(|f| {
            (
                f.by.to_string(),
                serde_json::to_value(&f.counts).unwrap_or_default(),
            )
        })
        .collect()
}

fn records(hits: &[crate::search::Hit], sectors: &Sectors) -> Vec<JsonRecord> {
    hits.iter().map(|h| JsonRecord::new(h, sectors)).collect()
}

fn failed(failure: Failure) -> Reply {
    match failure {
        Failure::Bad(bad) => bad_param(bad),
        Failure::Internal(err) => {
            eprintln!("error: {err}");
            Reply::error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "",
                err.to_string(),
                "see the server's output",
            )
        }
    }
}

fn bad_param(bad: BadParam) -> Reply {
    Reply::error(StatusCode::BAD_REQUEST, &bad.param, bad.message, &bad.hint)
}

fn unknown_id(id: &str, closest: Vec<String>) -> Reply {
    let hint = if closest.is_empty() {
        String::new()
    } else {
        format!("did you mean {}?", closest.join(", "))
    };
    Reply::error(
        StatusCode::NOT_FOUND,
        "id",
        format!(
            "no record with id `{}`",
            id.chars().take(100).collect::<String>()
        ),
        &hint,
    )
}

/// The dimensions a request asked for with `by`, or all of them.
fn dimensions(params: &SearchParams) -> Vec<crate::facets::By> {
    if params.by.is_empty() {
        DIMENSIONS.iter().map(|d| d.by).collect()
    } else {
        params.by.iter().map(|d| d.by).collect()
    }
}

#[derive(Serialize)]
struct SearchBody<'a> {
    total: usize,
    offset: usize,
    limit: usize,
    results: Vec<JsonRecord>,
    facets: serde_json::Map<String, serde_json::Value>,
    notes: &'a [engine::ShownNote],
}

/// `GET /api/search`: a page of whole records with facet counts and notes.
pub async fn search(State(app): State<Arc<App>>, RawQuery(query): RawQuery) -> Reply {
    let query = query.unwrap_or_default();
    app.answer("api/search", &query.clone(), move |snapshot, paths| {
        let params = match SearchParams::parse(&query) {
            Ok(params) => params,
            Err(bad) => return bad_param(bad),
        };
        let top = params.top.unwrap_or(DEFAULT_TOP);
        match engine::search(snapshot, paths, &params, &dimensions(&params), &[], top) {
            Ok(answer) => Reply::json(
                StatusCode::OK,
                &SearchBody {
                    total: answer.total,
                    offset: params.offset,
                    limit: params.limit,
                    results: records(&answer.hits, &snapshot.opened.manifest.sectors),
                    facets: facet_object(&answer.facets),
                    notes: &answer.notes,
                },
            ),
            Err(failure) => failed(failure),
        }
    })
    .await
}

/// `GET /api/facets`: counts only, for `by` dimensions (all when none is given).
pub async fn facets(State(app): State<Arc<App>>, RawQuery(query): RawQuery) -> Reply {
    let query = query.unwrap_or_default();
    app.answer("api/facets", &query.clone(), move |snapshot, paths| {
        let mut params = match SearchParams::parse(&query) {
            Ok(params) => params,
            Err(bad) => return bad_param(bad),
        };
        params.limit = 1;
        params.offset = 0;
        let top = params.top.unwrap_or(DEFAULT_TOP);
        match engine::search(snapshot, paths, &params, &dimensions(&params), &[], top) {
            Ok(answer) => Reply::json(
                StatusCode::OK,
                &serde_json::json!({
                    "total": answer.total,
                    "facets": facet_object(&answer.facets),
                    "notes": answer.notes,
                }),
            ),
            Err(failure) => failed(failure),
        }
    })
    .await
}

/// `GET /api/records/{id}`: one whole record, as `migdev show --format json` gives it.
pub async fn record(State(app): State<Arc<App>>, Path(id): Path<String>) -> Reply {
    app.answer(
        "api/record",
        &id.clone(),
        move |snapshot, paths| match engine::record(snapshot, paths, &id) {
            Ok(Some(entry)) => Reply::json(
                StatusCode::OK,
                &JsonRecord::of(&entry, &snapshot.opened.manifest.sectors, None, None),
            ),
            Ok(None) => unknown_id(&id, engine::closest_ids(snapshot, &id)),
            Err(err) => failed(Failure::Internal(err)),
        },
    )
    .await
}

/// `GET /api/similar/{id}`: the records most like one, with the usual filters and `limit`.
pub async fn similar(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Reply {
    let query = query.unwrap_or_default();
    let key = format!("{id}?{query}");
    app.answer("api/similar", &key, move |snapshot, paths| {
        let mut params = match SearchParams::parse(&query) {
            Ok(params) => params,
            Err(bad) => return bad_param(bad),
        };
        if !query.split('&').any(|pair| pair.starts_with("limit=")) {
            params.limit = 10;
        }
        match engine::similar(snapshot, paths, &id, &params) {
            Ok(Some((total, hits))) => Reply::json(
                StatusCode::OK,
                &serde_json::json!({
                    "id": id,
                    "total": total,
                    "results": records(&hits, &snapshot.opened.manifest.sectors),
                }),
            ),
            Ok(None) => unknown_id(&id, engine::closest_ids(snapshot, &id)),
            Err(failure) => failed(failure),
        }
    })
    .await
}

/// The formats of `/api/export.*`: the CLI's `export --format csv|jsonl`.
#[derive(Clone, Copy)]
enum Format {
    Csv,
    Jsonl,
}

/// `GET /api/export.csv`: every matching record, CSV with the CLI's default columns.
pub async fn export_csv(State(app): State<Arc<App>>, RawQuery(query): RawQuery) -> Reply {
    export(app, query.unwrap_or_default(), Format::Csv).await
}

/// `GET /api/export.jsonl`: every matching record, one JSON object a line.
pub async fn export_jsonl(State(app): State<Arc<App>>, RawQuery(query): RawQuery) -> Reply {
    export(app, query.unwrap_or_default(), Format::Jsonl).await
}

async fn export(app: Arc<App>, query: String, format: Format) -> Reply {
    let route = match format {
        Format::Csv => "api/export.csv",
        Format::Jsonl => "api/export.jsonl",
    };
    app.answer(route, &query.clone(), move |snapshot, paths| {
        let mut params = match SearchParams::parse(&query) {
            Ok(params) => params,
            Err(bad) => return bad_param(bad),
        };
        // A download holds every match: the page's limit and page number do not apply.
        params.offset = 0;
        let answer = match engine::export(snapshot, paths, &params) {
            Ok(answer) => answer,
            Err(failure) => return failed(failure),
        };
        let sectors = &snapshot.opened.manifest.sectors;
        let mut body = Vec::new();
        let written = match format {
            Format::Csv => export::write_csv(
                &mut body,
                &answer.hits,
                export::DEFAULT_COLUMNS,
                sectors,
                CsvOptions::default(),
            ),
            Format::Jsonl => answer.hits.iter().try_for_each(|hit| {
                serde_json::to_writer(&mut body, &JsonRecord::new(hit, sectors))?;
                body.push(b'\n');
                Ok(())
            }),
        };
        if let Err(err) = written {
            return failed(Failure::Internal(crate::error::Error::io("", err)));
        }
        let (media_type, attachment) = match format {
            Format::Csv => ("text/csv; charset=utf-8", "migdev-results.csv"),
            Format::Jsonl => ("application/x-ndjson", "migdev-results.jsonl"),
        };
        Reply {
            status: StatusCode::OK,
            media_type,
            body: Bytes::from(body),
            attachment: Some(attachment),
        }
    })
    .await
}
