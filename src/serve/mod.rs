//! `folio serve`: builds the site in memory, serves it over HTTP on this machine, and
//! rebuilds and reloads the browser whenever a source changes.
//!
//! Nothing is written to disk. Each build is the whole [`pipeline`](crate::pipeline),
//! swapped in whole once it succeeded; pages are rendered from it on request, so
//! the bytes served are the bytes `folio build` would write, except for one `<script>`
//! tag added to HTML pages (see [`reload`]).
//!
//! - `builder`: the thread that rebuilds after each change and publishes the result;
//! - `watch`: file system events, debounced, filtered to the site's sources;
//! - `state`: one built generation, and the snapshot shared with the HTTP side;
//! - `http` and `path`: the routes and the checks on every request;
//! - `reload`: the injected script and its events;
//! - `terminal`: what the command prints.

mod builder;
mod http;
mod path;
pub mod reload;
mod state;
mod terminal;
mod watch;

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener};
use std::sync::{Arc, mpsc};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::sync::{oneshot, watch as channel};

use crate::diag::{Diagnostic, Diagnostics, Kind};
use crate::project;
pub use terminal::Terminal;
use watch::{Message, Targets, Watcher};

/// The port tried first when none is given.
pub const DEFAULT_PORT: u16 = 3000;

/// How many ports after [`DEFAULT_PORT`] are tried before giving up.
const PORTS_TO_TRY: u16 = 100;

#[derive(Debug, Clone)]
pub struct Options {
    /// The site folder and `--drafts`; `output` and `base_url` apply as in `build`.
    pub build: project::Options,
    /// `None`: [`DEFAULT_PORT`], or the next free one. `Some(0)`: any free port.
    pub port: Option<u16>,
    pub bind: IpAddr,
    /// Open the site in a browser once it is served.
    pub open: bool,
    /// Poll the file system instead of relying on its change events.
    pub poll: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            build: project::Options::default(),
            port: None,
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            open: false,
            poll: false,
        }
    }
}

/// Something the server wants a person to know.
#[derive(Debug)]
pub enum Event<'a> {
    /// The default port was taken; `port` is used instead.
    PortTaken {
        wanted: u16,
        port: u16,
    },
    /// Listening on every interface: other machines can read the site.
    Exposed {
        bind: IpAddr,
    },
    /// A build succeeded. `warnings` is set when they differ from the last build's.
    Built {
        generation: u64,
        pages: usize,
        elapsed: Duration,
        warnings: Option<&'a Diagnostics>,
    },
    /// A build failed; the last good build, if any, is still served.
    BuildFailed {
        diagnostics: &'a Diagnostics,
        serving_last_good: bool,
    },
    /// The server answers at `url`.
    Listening {
        url: &'a str,
    },
    /// A page failed to render when it was asked for.
    RenderFailed(&'a Diagnostic),
    WatchFailed(&'a str),
    OpenFailed(&'a str),
}

/// Receives the server's [`Event`]s: [`Terminal`] prints them.
pub trait Reporter: Send + Sync {
    fn report(&self, event: Event<'_>);
}

/// A running server. Dropping it stops it.
pub struct Server {
    url: String,
    addr: SocketAddr,
    control: mpsc::Sender<Message>,
    shutdown: Option<oneshot::Sender<()>>,
    builder: Option<JoinHandle<()>>,
    http: Option<JoinHandle<()>>,
}

/// Builds the site, starts watching it and serves it. Returns once the server
/// answers; a site that does not build is served as a page of its errors until it
/// does. Fails only when the server cannot listen or watch.
pub fn start(options: Options, reporter: Arc<dyn Reporter>) -> Result<Server, Diagnostics> {
    let (listener, wanted) = listen(options.bind, options.port)?;
    let addr = listener
        .local_addr()
        .map_err(|e| Diagnostic::error(Kind::Serve, format!("cannot listen: {e}")))?;
    if let Some(wanted) = wanted {
        reporter.report(Event::PortTaken {
            wanted,
            port: addr.port(),
        });
    }
    if options.bind.is_unspecified() {
        reporter.report(Event::Exposed { bind: options.bind });
    }
    let instance: Arc<str> = instance_id().into();
    let (control, messages) = mpsc::channel();
    // Watch before the first build, so a change made while it runs is not missed.
    let watcher = Watcher::start(
        Targets::fallback(&options.build),
        options.poll,
        control.clone(),
    )
    .map_err(|error| {
        Diagnostic::error(
            Kind::Serve,
            format!("cannot watch the site for changes: {error}"),
        )
        .help("raise fs.inotify.max_user_watches, or use --poll to look for changes instead")
    })?;
    let mut builder = builder::Builder::new(options.build.clone(), instance, reporter.clone());
    let first = builder.build(None);
    let mut watcher = watcher;
    if let Err(error) = watcher.update(first.targets, &[]) {
        reporter.report(Event::WatchFailed(&error));
    }
    let base_path = first
        .snapshot
        .site
        .as_ref()
        .map_or("/", |site| site.base_path())
        .to_string();
    let (snapshots, receiver) = channel::channel(first.snapshot);
    let url = format!("http://{}{base_path}", url_host(addr));

    let access = http::Access {
        bind: options.bind,
        port: addr.port(),
    };
    let router = http::router(http::App::new(receiver, access, reporter.clone()));
    let (http, shutdown) = serve_http(listener, router)?;
    let builder = spawn("folio-builder", move || {
        builder.run(messages, watcher, snapshots)
    })?;
    reporter.report(Event::Listening { url: &url });
    if options.open {
        open_browser(url.clone(), reporter);
    }
    Ok(Server {
        url,
        addr,
        control,
        shutdown: Some(shutdown),
        builder: Some(builder),
        http: Some(http),
    })
}

/// Answers HTTP on `listener` with `router` on a thread of its own, until the sender
/// returned is used or dropped.
fn serve_http(
    listener: TcpListener,
    router: axum::Router,
) -> Result<(JoinHandle<()>, oneshot::Sender<()>), Diagnostics> {
    let failed = |what: &str, e: io::Error| Diagnostic::error(Kind::Serve, format!("{what}: {e}"));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("folio-http")
        .build()
        .map_err(|e| failed("cannot start the server", e))?;
    listener
        .set_nonblocking(true)
        .map_err(|e| failed("cannot listen", e))?;
    let listener = {
        let _context = runtime.enter();
        tokio::net::TcpListener::from_std(listener).map_err(|e| failed("cannot listen", e))?
    };
    let (shutdown, stopped) = oneshot::channel::<()>();
    let http = spawn("folio-server", move || {
        runtime.block_on(async move {
            let stopped = async {
                let _ = stopped.await;
            };
            // Errors on single connections are handled inside; nothing is left to do
            // with one that ends the whole server but stop.
            let _ = axum::serve(listener, router)
                .with_graceful_shutdown(stopped)
                .await;
        });
        runtime.shutdown_timeout(Duration::from_secs(1));
    })?;
    Ok((http, shutdown))
}

impl Server {
    /// The site's home page, e.g. `http://127.0.0.1:3000/docs/`.
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Blocks for as long as the server runs (until the process is stopped).
    pub fn wait(mut self) {
        if let Some(http) = self.http.take() {
            let _ = http.join();
        }
    }

    /// Stops watching, lets open event streams end, and stops the server.
    pub fn stop(mut self) {
        self.stop_now();
    }

    fn stop_now(&mut self) {
        let _ = self.control.send(Message::Stop);
        // The builder owns the sending end of the snapshots: once it is gone, every
        // event stream ends, and the graceful shutdown has nothing left to wait for.
        if let Some(builder) = self.builder.take() {
            let _ = builder.join();
        }
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(http) = self.http.take() {
            let _ = http.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop_now();
    }
}

fn spawn(name: &str, f: impl FnOnce() + Send + 'static) -> Result<JoinHandle<()>, Diagnostic> {
    std::thread::Builder::new()
        .name(name.into())
        .spawn(f)
        .map_err(|e| Diagnostic::error(Kind::Serve, format!("cannot start a thread: {e}")))
}

/// Binds the port asked for, or the first free one from [`DEFAULT_PORT`]; tells which
/// port was wanted when another one was taken.
fn listen(bind: IpAddr, port: Option<u16>) -> Result<(TcpListener, Option<u16>), Diagnostic> {
    if let Some(port) = port {
        return TcpListener::bind((bind, port))
            .map(|listener| (listener, None))
            .map_err(|e| bind_error(bind, port, &e).help(
                "choose another port with --port, or leave --port out to use the first free port from 3000",
            ));
    }
    let last = DEFAULT_PORT + PORTS_TO_TRY - 1;
    for port in DEFAULT_PORT..=last {
        match TcpListener::bind((bind, port)) {
            Ok(listener) => return Ok((listener, (port != DEFAULT_PORT).then_some(DEFAULT_PORT))),
            Err(error) if error.kind() == io::ErrorKind::AddrInUse => {}
            Err(error) => return Err(bind_error(bind, port, &error)),
        }
    }
    Err(Diagnostic::error(
        Kind::Serve,
        format!("every port from {DEFAULT_PORT} to {last} on {bind} is in use"),
    )
    .help("choose a port with --port"))
}

fn bind_error(bind: IpAddr, port: u16, error: &io::Error) -> Diagnostic {
    let address = SocketAddr::new(bind, port);
    match error.kind() {
        io::ErrorKind::AddrInUse => Diagnostic::error(
            Kind::Serve,
            format!("port {port} is already in use on {bind}"),
        ),
        io::ErrorKind::AddrNotAvailable => Diagnostic::error(
            Kind::Serve,
            format!("cannot listen on {address}: {bind} is not an address of this machine"),
        ),
        _ => Diagnostic::error(Kind::Serve, format!("cannot listen on {address}: {error}")),
    }
}

/// The host part of the URL to print: an address a browser on this machine can open.
fn url_host(addr: SocketAddr) -> String {
    match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => format!("{}:{}", Ipv4Addr::LOCALHOST, addr.port()),
        IpAddr::V6(ip) if ip.is_unspecified() => {
            format!("[{}]:{}", Ipv6Addr::LOCALHOST, addr.port())
        }
        _ => addr.to_string(),
    }
}

/// `--bind`: an IP address, or `localhost`.
pub fn parse_bind(text: &str) -> Result<IpAddr, String> {
    if text.eq_ignore_ascii_case("localhost") {
        return Ok(IpAddr::V4(Ipv4Addr::LOCALHOST));
    }
    text.trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .map_err(|_| format!("`{text}` is not an IP address such as 127.0.0.1 or ::1"))
}

/// Different for every run of the server, so a page left open across a restart
/// reloads from the new one.
fn instance_id() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{:x}{:x}", nanos, std::process::id())
}

/// Opens the site in the default browser, on a thread of its own: a browser that is
/// slow to start, or missing, must not hold up or fail the server.
fn open_browser(url: String, reporter: Arc<dyn Reporter>) {
    let spawned = std::thread::Builder::new()
        .name("folio-open".into())
        .spawn(move || {
            if let Err(error) = opener::open_browser(&url) {
                reporter.report(Event::OpenFailed(&error.to_string()));
            }
        });
    // Without a thread there is no browser either, and nothing to report it with.
    drop(spawned);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bind_addresses_parse() {
        assert_eq!(parse_bind("localhost"), Ok(IpAddr::V4(Ipv4Addr::LOCALHOST)));
        assert_eq!(parse_bind("0.0.0.0"), Ok(IpAddr::V4(Ipv4Addr::UNSPECIFIED)));
        assert_eq!(parse_bind("[::1]"), Ok(IpAddr::V6(Ipv6Addr::LOCALHOST)));
        assert!(parse_bind("example.org").is_err());
    }

    #[test]
    fn printed_urls_are_openable() {
        assert_eq!(url_host("0.0.0.0:3000".parse().unwrap()), "127.0.0.1:3000");
        assert_eq!(url_host("[::]:3000".parse().unwrap()), "[::1]:3000");
        assert_eq!(url_host("[::1]:3000".parse().unwrap()), "[::1]:3000");
    }

    #[test]
    fn an_explicit_port_in_use_is_an_error() {
        let taken = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = taken.local_addr().unwrap().port();
        let error = listen(IpAddr::V4(Ipv4Addr::LOCALHOST), Some(port)).unwrap_err();
        assert!(error.message.contains("already in use"), "{error}");
    }
}
