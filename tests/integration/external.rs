//! `folio check --external` against a real HTTP server on 127.0.0.1, started by each
//! test, whose routes answer 200, 301, 404, 405 to HEAD, 429 (once, or always) and
//! never. No test reaches the internet.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use folio::check::External;
use folio::diag::Kind;

use crate::harness::SiteTest;

/// What the server saw.
#[derive(Default)]
struct Seen {
    /// Every request, as `METHOD /path`, in arrival order.
    requests: Mutex<Vec<String>>,
    /// Requests being answered now, and the most there ever were (a hanging request
    /// counts until its client gives up and the server drops it).
    in_flight: AtomicUsize,
    most_in_flight: AtomicUsize,
}

impl Seen {
    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }

    fn count(&self, request: &str) -> usize {
        self.requests().iter().filter(|r| *r == request).count()
    }

    fn forget(&self) {
        self.requests.lock().unwrap().clear();
    }
}

/// Counts a request in flight for as long as it lives, even when cut short.
struct InFlight(Arc<Seen>);

impl InFlight {
    fn new(seen: &Arc<Seen>) -> Self {
        let now = seen.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        seen.most_in_flight.fetch_max(now, Ordering::SeqCst);
        Self(Arc::clone(seen))
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The test's link server, running until dropped.
struct LinkServer {
    port: u16,
    seen: Arc<Seen>,
    _runtime: tokio::runtime::Runtime,
}

impl LinkServer {
    fn start() -> Self {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let seen = Arc::new(Seen::default());
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        listener.set_nonblocking(true).unwrap();
        let app = axum::Router::new()
            .fallback(answer)
            .with_state(Arc::clone(&seen));
        runtime.spawn(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
        Self {
            port,
            seen,
            _runtime: runtime,
        }
    }
}

async fn answer(State(seen): State<Arc<Seen>>, method: Method, uri: Uri) -> Response {
    let path = uri.path().to_string();
    let hits = {
        let mut requests = seen.requests.lock().unwrap();
        requests.push(format!("{method} {path}"));
        requests.iter().filter(|r| r.ends_with(&path)).count()
    };
    // A hanging request is in flight too, until the client gives up on it.
    let _counted = InFlight::new(&seen);
    if path == "/hang" {
        return std::future::pending().await;
    }
    // Long enough for requests to overlap when the client lets them.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let too_many = || {
        let mut headers = HeaderMap::new();
        headers.insert(header::RETRY_AFTER, "1".parse().unwrap());
        (StatusCode::TOO_MANY_REQUESTS, headers).into_response()
    };
    match path.as_str() {
        "/moved" => (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, "/ok")]).into_response(),
        "/loop" => (StatusCode::FOUND, [(header::LOCATION, "/loop")]).into_response(),
        "/missing" => StatusCode::NOT_FOUND.into_response(),
        "/busy" => too_many(),
        "/busy-once" if hits == 1 => too_many(),
        "/no-head" if method == Method::HEAD => StatusCode::METHOD_NOT_ALLOWED.into_response(),
        _ => "a page".into_response(),
    }
}

/// A copy of the `external` fixture whose links lead to `server`, and one to a port
/// where nobody listens.
fn site_for(server: &LinkServer) -> SiteTest {
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let site = SiteTest::new("external");
    for file in ["book.toml", "content/_index.md", "content/other.md"] {
        let path = site.root.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        let text = text
            .replace("PORT", &server.port.to_string())
            .replace("CLOSED", &closed.to_string());
        std::fs::write(path, text).unwrap();
    }
    site
}

fn url(server: &LinkServer, path: &str) -> String {
    format!("http://127.0.0.1:{}{path}", server.port)
}

#[test]
fn every_external_link_gets_a_located_verdict() {
    let server = LinkServer::start();
    let started = Instant::now();
    let site = site_for(&server)
        .check_external(External::default())
        .expect_error("content/_index.md:8:3", Kind::ExternalBroken)
        .expect_error("content/_index.md:14:3", Kind::ExternalBroken)
        .expect_error("content/_index.md:16:3", Kind::ExternalBroken)
        .expect_warning("content/_index.md:7:3", Kind::ExternalMoved)
        .expect_warning("content/_index.md:9:3", Kind::ExternalUnverified)
        .expect_warning("content/_index.md:11:3", Kind::ExternalUnverified)
        .expect_error_count(3)
        .expect_help("also linked at content/other.md:4:29")
        .expect_help(&format!("link to `{}` instead", url(&server, "/ok")));
    let elapsed = started.elapsed();
    let diagnostics = site.errors();
    let kinds = [
        Kind::ExternalBroken,
        Kind::ExternalUnverified,
        Kind::ExternalMoved,
    ];
    let external: Vec<_> = (diagnostics.iter())
        .filter(|d| kinds.contains(&d.kind))
        .collect();
    assert_eq!(external.len(), 6, "{diagnostics}");
    let looping = (diagnostics.iter())
        .find(|d| d.message.contains("/loop"))
        .unwrap();
    assert!(
        looping
            .message
            .ends_with("more than 10 redirects: the chain loops or is too long"),
        "{looping}"
    );
    let hang = (diagnostics.iter())
        .find(|d| d.message.contains("/hang"))
        .unwrap();
    assert!(
        hang.message
            .contains("no answer within the timeout (3 attempts)"),
        "{hang}"
    );
    // The fixture's timeout is 1 s: three tries and the waits between them (0.5 s,
    // 1 s) make 4.5 s, while the rest shares the host's other slot.
    assert!(elapsed < Duration::from_secs(12), "took {elapsed:?}");

    let seen = &server.seen;
    assert_eq!(seen.count("HEAD /hang"), 3);
    assert_eq!(seen.count("HEAD /loop"), 11, "the link and 10 redirects");
    assert_eq!(seen.count("HEAD /busy"), 3, "429 is retried");
    assert_eq!(seen.count("HEAD /busy-once"), 2, "then it answered");
    assert_eq!(seen.count("GET /no-head"), 1, "HEAD refused: GET");
    assert_eq!(seen.count("HEAD /missing"), 1, "two links, one request");
    assert_eq!(
        seen.count("GET /missing"),
        1,
        "a 404 to HEAD is asked again"
    );
    assert!(!seen.requests().iter().any(|r| r.contains("/private/")));
    assert_eq!(
        seen.most_in_flight.load(Ordering::SeqCst),
        2,
        "two per host"
    );
}

#[test]
fn a_second_run_fetches_only_what_failed_until_told_not_to() {
    let server = LinkServer::start();
    let site = site_for(&server).check_external(External::default());
    server.seen.forget();

    let site = site
        .check_external(External::default())
        .expect_warning("content/_index.md:7:3", Kind::ExternalMoved)
        .expect_error_count(3);
    let again = server.seen.requests();
    for fine in ["/ok", "/moved", "/busy-once", "/no-head", "/slow/1"] {
        assert!(
            !again.iter().any(|r| r.ends_with(fine)),
            "{fine} was fetched again: {again:?}"
        );
    }
    for failing in ["/missing", "/busy", "/hang", "/loop"] {
        assert!(
            again.iter().any(|r| r.ends_with(failing)),
            "{failing} was not fetched again: {again:?}"
        );
    }
    assert!(site.root.join(".folio-cache/external-links.json").exists());

    server.seen.forget();
    let uncached = External {
        use_cache: false,
        ..External::default()
    };
    site.check_external(uncached);
    assert_eq!(
        server.seen.count("HEAD /ok"),
        2,
        "the link, and where /moved leads"
    );
}

#[test]
fn build_and_a_plain_check_never_touch_the_network() {
    let server = LinkServer::start();
    site_for(&server).build().expect_success().check();
    let output = site_for(&server).run(&["check"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(server.seen.requests(), Vec::<String>::new());
}

#[test]
fn the_command_exits_1_on_a_broken_external_link() {
    let server = LinkServer::start();
    let site = site_for(&server);
    let output = site.run(&["check", "--external", "--quiet"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let missing = url(&server, "/missing");
    assert!(
        stderr.contains(&format!(
            "error: broken external link `{missing}`: the server answered 404 Not Found"
        )),
        "{stderr}"
    );
    assert!(stderr.contains("--> content/_index.md:8:3"), "{stderr}");
    assert!(stderr.contains("check failed with 3 errors"), "{stderr}");
}
