//! The HTTP side: axum routes for the site, the reload script and the event stream,
//! with the checks every local dev server needs.
//!
//! - Every file comes from the current generation's plan, looked up by its decoded
//!   path ([`path`](super::path)); nothing is ever read from a path built out of a
//!   request.
//! - The `Host` header must name this machine (localhost, a loopback address or the
//!   bound address), so a web page whose domain was re-pointed at 127.0.0.1 (DNS
//!   rebinding) cannot read the site.
//! - The event stream also refuses an `Origin` other than the page's own.
//! - No CORS headers at all, `Cache-Control: no-store` everywhere, and
//!   `X-Content-Type-Options: nosniff`, so a browser shows what folio means.

use std::convert::Infallible;
use std::net::IpAddr;
use std::sync::{Arc, PoisonError};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{
    ALLOW, CACHE_CONTROL, CONTENT_TYPE, HOST, LOCATION, ORIGIN, X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::sse::{KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::sync::watch;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::set_header::SetResponseHeaderLayer;

use super::path;
use super::reload::{self, EVENTS_PATH, SCRIPT_PATH};
use super::state::{Generation, Resolved, Snapshot, content_type, is_html};
use super::{Event, Reporter};
use crate::output::plan::File;

/// What every request handler shares.
#[derive(Clone)]
pub struct App {
    snapshots: watch::Receiver<Snapshot>,
    access: Arc<Access>,
    reporter: Arc<dyn Reporter>,
    last_good: Arc<LastGood>,
}

impl App {
    pub fn new(
        snapshots: watch::Receiver<Snapshot>,
        access: Access,
        reporter: Arc<dyn Reporter>,
    ) -> Self {
        Self {
            snapshots,
            access: Arc::new(access),
            reporter,
            last_good: Arc::default(),
        }
    }
}

pub fn router(app: App) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(events))
        .route(SCRIPT_PATH, get(script))
        .fallback(site)
        // A panic in a handler becomes a 500 rather than a dropped connection.
        .layer(CatchPanicLayer::new())
        .layer(middleware::from_fn_with_state(app.clone(), guard))
        // Outermost, so every response carries them, refusals and panics too.
        .layer(SetResponseHeaderLayer::overriding(
            CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .with_state(app)
}

/// Who may talk to the server.
#[derive(Debug, Clone)]
pub struct Access {
    /// The address the server listens on.
    pub bind: IpAddr,
    pub port: u16,
}

impl Access {
    /// Whether a `Host` header names this machine. A name other than `localhost` is
    /// what DNS rebinding needs, so only addresses are accepted besides it; any
    /// address when the server listens on all of them (`--bind 0.0.0.0`).
    pub fn host_allowed(&self, host: &str) -> bool {
        let Some((name, _port)) = split_host(host) else {
            return false;
        };
        if name.eq_ignore_ascii_case("localhost") {
            return true;
        }
        match name.parse::<IpAddr>() {
            Ok(ip) => ip.is_loopback() || ip == self.bind || self.bind.is_unspecified(),
            Err(_) => false,
        }
    }

    /// Whether an `Origin` header is this server's own: the origin of a page it
    /// served, reached through the `Host` of the request.
    pub fn origin_allowed(&self, origin: &str, host: Option<&str>) -> bool {
        let Some(origin_host) = origin.strip_prefix("http://") else {
            return false;
        };
        match host {
            Some(host) => origin_host.eq_ignore_ascii_case(host) && self.host_allowed(host),
            None => {
                self.host_allowed(origin_host)
                    && split_host(origin_host).is_some_and(|(_, port)| port == Some(self.port))
            }
        }
    }
}

/// `name:port`, `[v6]:port` or a name alone. `None` when it is none of these.
fn split_host(host: &str) -> Option<(&str, Option<u16>)> {
    let (name, port) = if let Some(rest) = host.strip_prefix('[') {
        let (name, rest) = rest.split_once(']')?;
        match rest {
            "" => (name, None),
            _ => (name, Some(rest.strip_prefix(':')?)),
        }
    } else {
        match host.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        }
    };
    let port = match port {
        Some(port) => Some(port.parse().ok()?),
        None => None,
    };
    (!name.is_empty()).then_some((name, port))
}

/// Refuses foreign hosts.
async fn guard(State(app): State<App>, request: Request, next: Next) -> Response {
    let host = request.headers().get(HOST);
    // HTTP/1.0 clients may send no Host; a browser always sends one.
    if host.is_some_and(|h| !h.to_str().is_ok_and(|h| app.access.host_allowed(h))) {
        return plain(
            StatusCode::FORBIDDEN,
            "folio serve answers only requests to localhost or this machine's address\n",
        );
    }
    next.run(request).await
}

/// The event stream: the current state at once, then each new one. A client that
/// falls behind skips straight to the latest, which is all it needs.
async fn events(State(app): State<App>, headers: HeaderMap) -> Response {
    if let Some(origin) = headers.get(ORIGIN) {
        let host = headers.get(HOST).and_then(|h| h.to_str().ok());
        if !origin
            .to_str()
            .is_ok_and(|origin| app.access.origin_allowed(origin, host))
        {
            return plain(StatusCode::FORBIDDEN, "foreign origin\n");
        }
    }
    let stream = futures_util::stream::unfold(
        (app.snapshots.clone(), true),
        |(mut snapshots, first)| async move {
            // The stream ends when the builder stops, so the server can shut down.
            if !first && snapshots.changed().await.is_err() {
                return None;
            }
            let event = reload::status_event(&snapshots.borrow_and_update());
            Some((Ok::<_, Infallible>(event), (snapshots, false)))
        },
    );
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}

async fn script() -> Response {
    (
        [(CONTENT_TYPE, "text/javascript; charset=utf-8")],
        reload::SCRIPT,
    )
        .into_response()
}

/// Every other request: a file of the site.
async fn site(State(app): State<App>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut response = plain(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n");
        response
            .headers_mut()
            .insert(ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let snapshot = app.snapshots.borrow().clone();
    let Some(generation) = snapshot.site.clone() else {
        let errors = snapshot.errors.as_deref().unwrap_or_default();
        let page = reload::error_page(
            "the site does not build",
            errors,
            &reload::script_tag(&snapshot.instance, 0),
        );
        return html(StatusCode::INTERNAL_SERVER_ERROR, page);
    };
    let Some(request) = path::decode(uri.path()) else {
        return plain(StatusCode::BAD_REQUEST, "bad request path\n");
    };
    match generation.resolve(&request, uri.path(), uri.query()) {
        Resolved::File(index) => file(&app, generation, index, StatusCode::OK).await,
        Resolved::Redirect {
            location,
            permanent,
        } => redirect(&location, permanent),
        Resolved::Search(key) => search_file(&app, generation, key).await,
        Resolved::NotFound => not_found(&app, generation).await,
    }
}

async fn not_found(app: &App, generation: Arc<Generation>) -> Response {
    match generation.not_found() {
        Some(index) => file(app, generation, index, StatusCode::NOT_FOUND).await,
        None => plain(StatusCode::NOT_FOUND, "not found\n"),
    }
}

async fn search_file(app: &App, generation: Arc<Generation>, key: String) -> Response {
    let reporter = app.reporter.clone();
    let indexer = generation.clone();
    // Indexing is CPU work that may take seconds: never on a thread answering requests.
    let found = tokio::task::spawn_blocking(move || {
        indexer.search_file(&key, |diagnostic| {
            reporter.report(Event::RenderFailed(diagnostic));
        })
    })
    .await;
    match found {
        Ok(Some((bytes, content_type))) => with_content_type(StatusCode::OK, bytes, &content_type),
        Ok(None) => not_found(app, generation).await,
        Err(_) => plain(StatusCode::INTERNAL_SERVER_ERROR, "internal error\n"),
    }
}

fn with_content_type(status: StatusCode, bytes: Bytes, content_type: &str) -> Response {
    let mut response = (status, Body::from(bytes)).into_response();
    if let Ok(value) = HeaderValue::from_str(content_type) {
        response.headers_mut().insert(CONTENT_TYPE, value);
    }
    response
}

async fn file(
    app: &App,
    generation: Arc<Generation>,
    index: usize,
    status: StatusCode,
) -> Response {
    let reporter = app.reporter.clone();
    let producer = generation.clone();
    // Rendering a page is CPU work: keep it off the threads that answer requests.
    let produced = tokio::task::spawn_blocking(move || {
        producer.produce(index, |diagnostic| {
            reporter.report(Event::RenderFailed(diagnostic));
        })
    })
    .await;
    match produced {
        Ok(Ok(bytes)) => {
            let file = generation.file(index);
            if is_html(file) {
                app.last_good.keep(file, &bytes);
            }
            with_content_type(status, bytes, &content_type(file))
        }
        // As after a failed build: the last good version, with the error over it.
        Ok(Err(diagnostic)) => {
            let errors = diagnostic.render(false);
            match app.last_good.get(generation.file(index)) {
                Some(last) => {
                    let tag = generation.script_with_errors(&errors);
                    let page = reload::retag(&last, &tag);
                    with_content_type(status, page.into(), "text/html; charset=utf-8")
                }
                None => html(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    reload::error_page("this page does not render", &errors, generation.script()),
                ),
            }
        }
        Err(_) => plain(StatusCode::INTERNAL_SERVER_ERROR, "internal error\n"),
    }
}

/// The last HTML served for each page, so that a page that stops rendering can still be
/// shown as it was, under its error, as after a failed build. Holds the pages a reader
/// looked at, up to [`LastGood::CAPACITY`].
#[derive(Default)]
struct LastGood {
    pages: std::sync::Mutex<std::collections::HashMap<String, Bytes>>,
}

impl LastGood {
    const CAPACITY: usize = 500;

    fn keep(&self, file: &File, bytes: &Bytes) {
        let mut pages = self.pages.lock().unwrap_or_else(PoisonError::into_inner);
        if pages.len() >= Self::CAPACITY {
            pages.clear();
        }
        pages.insert(file.path.join("/"), bytes.clone());
    }

    fn get(&self, file: &File) -> Option<Bytes> {
        let pages = self.pages.lock().unwrap_or_else(PoisonError::into_inner);
        pages.get(&file.path.join("/")).cloned()
    }
}

fn redirect(location: &str, permanent: bool) -> Response {
    let status = if permanent {
        StatusCode::PERMANENT_REDIRECT
    } else {
        StatusCode::TEMPORARY_REDIRECT
    };
    // A base path from book.toml may hold characters a header cannot.
    let location =
        percent_encoding::utf8_percent_encode(location, percent_encoding::CONTROLS).to_string();
    match HeaderValue::from_str(&location) {
        Ok(value) => (status, [(LOCATION, value)]).into_response(),
        Err(_) => plain(StatusCode::NOT_FOUND, "not found\n"),
    }
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    (status, [(CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response()
}

fn html(status: StatusCode, page: String) -> Response {
    (status, [(CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn access(bind: &str) -> Access {
        Access {
            bind: bind.parse().unwrap(),
            port: 3000,
        }
    }

    #[test]
    fn hosts_must_name_this_machine() {
        let local = access("127.0.0.1");
        for host in [
            "localhost",
            "localhost:3000",
            "LocalHost:3000",
            "127.0.0.1:3000",
            "127.0.0.1",
            "[::1]:3000",
            "[::1]",
            "127.0.0.2:3000",
        ] {
            assert!(local.host_allowed(host), "{host}");
        }
        for host in [
            "evil.example:3000",
            "localhost.evil.example",
            "192.168.1.10:3000",
            "",
            "[::1",
            "127.0.0.1:99999",
            "::1",
        ] {
            assert!(!local.host_allowed(host), "{host}");
        }
        let everywhere = access("0.0.0.0");
        assert!(everywhere.host_allowed("192.168.1.10:3000"));
        assert!(!everywhere.host_allowed("evil.example:3000"));
        assert!(access("192.168.1.10").host_allowed("192.168.1.10:3000"));
    }

    #[test]
    fn origins_must_be_the_pages_own() {
        let local = access("127.0.0.1");
        assert!(local.origin_allowed("http://127.0.0.1:3000", Some("127.0.0.1:3000")));
        assert!(local.origin_allowed("http://localhost:3000", Some("localhost:3000")));
        assert!(local.origin_allowed("http://localhost:3000", None));
        assert!(!local.origin_allowed("http://localhost:4000", None));
        assert!(!local.origin_allowed("http://evil.example", Some("127.0.0.1:3000")));
        assert!(!local.origin_allowed("https://127.0.0.1:3000", Some("127.0.0.1:3000")));
        assert!(!local.origin_allowed("null", Some("127.0.0.1:3000")));
        assert!(!local.origin_allowed("http://evil.example:3000", Some("evil.example:3000")));
    }
}
