//! `migdev serve`: the catalogue as a local web page and JSON API, on the same library the
//! CLI uses. Safe by default: loopback only unless told otherwise, read-only, every value
//! escaped, a strict Content-Security-Policy, bounded requests, clean shutdown.

mod api;
mod assets;
mod charts;
mod engine;
mod layout;
mod params;
mod record_page;
mod search_page;
mod site;
mod state;

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

use crate::catalogue::Paths;
use crate::error::Error;
use crate::store::Refresh;

pub use params::{MAX_LIMIT, MAX_QUERY_CHARS};
use state::{Live, Snapshot};

/// Where and how to serve.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    pub refresh: Refresh,
}

/// Longest request target (path and query) accepted, in bytes.
pub const MAX_URI_BYTES: usize = 16 * 1024;
/// Largest request body accepted: every route is a GET, so anything more is refused.
pub const MAX_BODY_BYTES: usize = 16 * 1024;
/// Requests handled at once; more wait their turn.
pub const MAX_CONCURRENT: usize = 64;
/// Longest a request may take before it is answered with 503.
pub const REQUEST_TIME: Duration = Duration::from_secs(30);
/// How long open connections get to finish after Ctrl-C or SIGTERM.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);
/// Total size of the answers kept for repeated requests.
const CACHE_BYTES: u64 = 64 * 1024 * 1024;
/// Answers larger than this (big exports) are not kept.
const CACHE_MAX_ANSWER: usize = 2 * 1024 * 1024;

/// Scripts, styles and images only from this server; no inline script, no frames, forms
/// only to this server.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
    img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; \
    frame-ancestors 'none'";

/// Opens the catalogue, listens, calls `ready` with the address and the notes of the first
/// stale check, and serves until Ctrl-C or SIGTERM.
pub fn run(
    paths: Paths,
    options: Options,
    ready: impl FnOnce(SocketAddr, &[crate::note::Note]),
) -> Result<(), Error> {
    let (live, notes) = Live::open(paths, options.refresh)?;
    let app = Arc::new(App {
        live: Arc::new(live),
        cache: quick_cache::sync::Cache::with_weighter(4096, CACHE_BYTES, Weight),
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_io()
        .enable_time()
        .max_blocking_threads(MAX_CONCURRENT)
        .thread_name("migdev-serve")
        .build()
        .map_err(|e| Error::io(&app.live.paths.index, e))?;
    runtime.block_on(async move {
        let address = SocketAddr::new(options.bind, options.port);
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .map_err(|e| Error::Argument {
                message: format!("--bind/--port: cannot listen on {address}: {e}"),
                hint: "choose another --port (0 picks a free one), or stop the program using it"
                    .into(),
            })?;
        let bound = listener
            .local_addr()
            .map_err(|e| Error::io(&app.live.paths.index, e))?;
        ready(bound, &notes);
        let stopping = Arc::new(tokio::sync::Notify::new());
        let signalled = Arc::clone(&stopping);
        let server = axum::serve(listener, router(app)).with_graceful_shutdown(async move {
            shutdown_signal().await;
            signalled.notify_one();
        });
        tokio::select! {
            served = server.into_future() => served.map_err(|e| Error::io("", e)),
            // Connections still open after the grace period are closed by returning.
            _ = async { stopping.notified().await; tokio::time::sleep(SHUTDOWN_GRACE).await } => Ok(()),
        }
    })
}

/// Resolves on Ctrl-C, or SIGTERM on Unix.
async fn shutdown_signal() {
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate => {}
    }
}

/// Every route; all are GET (HEAD comes with it), so no route can change anything.
fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(site::search))
        .route("/records/{id}", get(site::record))
        .route("/fragments/pictures", get(site::pictures))
        .route("/assets/{name}", get(site::asset))
        .route("/api/search", get(api::search))
        .route("/api/facets", get(api::facets))
        .route("/api/records/{id}", get(api::record))
        .route("/api/similar/{id}", get(api::similar))
        .route("/api/export.csv", get(api::export_csv))
        .route("/api/export.jsonl", get(api::export_jsonl))
        .fallback(site::not_found)
        .with_state(app)
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            REQUEST_TIME,
        ))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(tower::limit::GlobalConcurrencyLimitLayer::new(
            MAX_CONCURRENT,
        ))
        .layer(axum::middleware::from_fn(guard))
}

/// Refuses over-long addresses and request bodies, and sets the security headers on every
/// answer, errors included.
async fn guard(request: Request, next: Next) -> Response {
    let too_long = request
        .uri()
        .path_and_query()
        .is_some_and(|p| p.as_str().len() > MAX_URI_BYTES);
    let has_body = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        .is_some_and(|n| n > MAX_BODY_BYTES);
    let mut response = if too_long {
        Reply::error(
            StatusCode::URI_TOO_LONG,
            "",
            format!("the address is longer than {MAX_URI_BYTES} bytes"),
            "shorten the search",
        )
        .into_response()
    } else if has_body {
        Reply::error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "",
            format!("the request body is larger than {MAX_BODY_BYTES} bytes"),
            "every route is a GET without a body",
        )
        .into_response()
    } else {
        next.run(request).await
    };
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

/// What every handler shares.
struct App {
    live: Arc<Live>,
    /// Recent answers by snapshot version, route and canonical query.
    cache: quick_cache::sync::Cache<String, Reply, Weight>,
}

impl App {
    /// Answers from the cache when this snapshot already answered the same request;
    /// otherwise runs `work` on a blocking thread (searches are CPU work) and keeps the
    /// answer when it is small and not an error.
    async fn answer(
        self: &Arc<Self>,
        route: &str,
        key: &str,
        work: impl FnOnce(&Snapshot, &Paths) -> Reply + Send + 'static,
    ) -> Reply {
        let snapshot = self.live.snapshot();
        let key = format!("{}\n{route}\n{key}", snapshot.version);
        if let Some(reply) = self.cache.get(&key) {
            return reply;
        }
        let live = Arc::clone(&self.live);
        let reply = tokio::task::spawn_blocking(move || work(&snapshot, &live.paths))
            .await
            .unwrap_or_else(|_| {
                Reply::error(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "",
                    "the server failed while answering".into(),
                    "see the server's output",
                )
            });
        if matches!(reply.status, StatusCode::OK | StatusCode::NOT_FOUND)
            && reply.body.len() <= CACHE_MAX_ANSWER
        {
            self.cache.insert(key, reply.clone());
        }
        reply
    }
}

/// Weighs cached answers by their size.
#[derive(Clone)]
struct Weight;

impl quick_cache::Weighter<String, Reply> for Weight {
    fn weight(&self, key: &String, reply: &Reply) -> u64 {
        (key.len() + reply.body.len()) as u64
    }
}

/// A finished answer: cheap to clone (the body is shared), so it can be cached.
#[derive(Clone)]
struct Reply {
    status: StatusCode,
    media_type: &'static str,
    body: Bytes,
    /// File name for downloads.
    attachment: Option<&'static str>,
}

impl Reply {
    fn html(status: StatusCode, markup: maud::Markup) -> Reply {
        Reply {
            status,
            media_type: "text/html; charset=utf-8",
            body: Bytes::from(markup.into_string()),
            attachment: None,
        }
    }

    fn json(status: StatusCode, value: &impl serde::Serialize) -> Reply {
        match serde_json::to_vec(value) {
            Ok(body) => Reply {
                status,
                media_type: "application/json",
                body: Bytes::from(body),
                attachment: None,
            },
            Err(e) => Reply::error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "",
                format!("cannot write JSON: {e}"),
                "see the server's output",
            ),
        }
    }

    /// A JSON error: `{"error": {"status", "parameter", "message", "hint"}}`.
    fn error(status: StatusCode, parameter: &str, message: String, hint: &str) -> Reply {
        let mut error = serde_json::json!({
            "status": status.as_u16(),
            "message": message,
        });
        if !parameter.is_empty() {
            error["parameter"] = parameter.into();
        }
        if !hint.is_empty() {
            error["hint"] = hint.into();
        }
        Reply::json(status, &serde_json::json!({ "error": error }))
    }
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        let mut response = (self.status, self.body).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(self.media_type),
        );
        if let Some(name) = self.attachment
            && let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
        {
            headers.insert(header::CONTENT_DISPOSITION, value);
        }
        response
    }
}
