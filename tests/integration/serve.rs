//! `folio serve`, through the real binary on a free port: live edits, failed builds,
//! byte-identical output, and the checks on every request. Every wait is bounded and
//! every server is killed when its test ends, pass or fail.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use folio::build;
use folio::project::Options;
use folio::serve::reload::TAG_START;

use crate::harness::{SiteTest, snapshot};

/// Generous: a loaded two-core machine may be building other things at the same time.
const TIMEOUT: Duration = Duration::from_secs(30);

/// A `folio serve` process. Killed on drop.
struct Served {
    child: Child,
    /// `127.0.0.1:PORT`
    addr: String,
    url: String,
    stderr: Arc<Mutex<String>>,
}

impl Served {
    /// Serves `site` on a free port.
    fn start(site: &SiteTest) -> Self {
        Self::start_with(site, &["--port", "0"])
    }

    fn start_with(site: &SiteTest, args: &[&str]) -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_folio"));
        command.arg("serve").arg(&site.root).args(args);
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run folio serve");
        let stderr = Arc::new(Mutex::new(String::new()));
        let (lines, url_line) = mpsc::channel();
        let pipe = child.stderr.take().unwrap();
        let log = stderr.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                log.lock().unwrap().push_str(&format!("{line}\n"));
                if line.starts_with("Serving on ") {
                    let _ = lines.send(line);
                }
            }
        });
        let mut served = Self {
            child,
            addr: String::new(),
            url: String::new(),
            stderr,
        };
        let line = url_line
            .recv_timeout(TIMEOUT)
            .unwrap_or_else(|_| panic!("folio serve did not start:\n{}", served.stderr()));
        let url = line
            .trim_start_matches("Serving on ")
            .split_whitespace()
            .next()
            .unwrap()
            .to_string();
        served.addr = url
            .trim_start_matches("http://")
            .split('/')
            .next()
            .unwrap()
            .to_string();
        served.url = url;
        served
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    fn get(&self, path: &str) -> Response {
        self.raw(&format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        ))
    }

    /// Fetches `path` until `accept` holds: a save written in place is two events
    /// (truncate, write) that may reach two builds, the first seeing an empty file.
    fn eventually(&self, path: &str, accept: impl Fn(&str) -> bool) -> Response {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let response = self.get(path);
            if accept(&response.text()) {
                return response;
            }
            assert!(Instant::now() < deadline, "{path}:\n{}", response.text());
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Sends `request` as it is, without any normalisation (like `curl --path-as-is`).
    fn raw(&self, request: &str) -> Response {
        let mut stream = TcpStream::connect(&self.addr).expect("connect");
        stream.set_read_timeout(Some(TIMEOUT)).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut bytes = Vec::new();
        let _ = stream.read_to_end(&mut bytes);
        Response::parse(&bytes)
    }

    /// Subscribes to the event stream.
    fn events(&self) -> Events {
        let mut stream = TcpStream::connect(&self.addr).expect("connect");
        write!(
            stream,
            "GET /__folio/events HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n",
            self.addr
        )
        .unwrap();
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if let Some(data) = line.strip_prefix("data: ") {
                    let status: serde_json::Value = serde_json::from_str(data).unwrap();
                    if sender.send(status).is_err() {
                        return;
                    }
                }
            }
        });
        Events { receiver }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Response {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Response {
    fn parse(bytes: &[u8]) -> Self {
        let split = bytes
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or_else(|| panic!("no response: {:?}", String::from_utf8_lossy(bytes)));
        let head = String::from_utf8_lossy(&bytes[..split]).into_owned();
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("bad status line: {head}"));
        Self {
            status,
            head,
            body: bytes[split + 4..].to_vec(),
        }
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name)
                .then(|| value.trim().to_string())
        })
    }
}

struct Events {
    receiver: Receiver<serde_json::Value>,
}

impl Events {
    /// The next status that satisfies `accept`.
    fn until(&self, what: &str, accept: impl Fn(&serde_json::Value) -> bool) -> serde_json::Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.receiver.recv_timeout(left) {
                Ok(status) if accept(&status) => return status,
                Ok(_) => {}
                Err(_) => panic!("no event: {what}"),
            }
        }
    }

    /// The next successful build after `generation`.
    fn built_after(&self, generation: u64) -> serde_json::Value {
        self.built_within(generation, TIMEOUT)
            .unwrap_or_else(|| panic!("no build after {generation}"))
    }

    fn built_within(&self, generation: u64, wait: Duration) -> Option<serde_json::Value> {
        let deadline = Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let status = self.receiver.recv_timeout(left).ok()?;
            if status["generation"].as_u64().unwrap() > generation && status["errors"].is_null() {
                return Some(status);
            }
        }
    }
}

fn generation(status: &serde_json::Value) -> u64 {
    status["generation"].as_u64().unwrap()
}

/// The page without the one tag serve adds.
fn strip_reload_tag(html: &[u8]) -> Vec<u8> {
    let start = TAG_START.as_bytes();
    let Some(at) = html.windows(start.len()).position(|w| w == start) else {
        return html.to_vec();
    };
    let end = b"</script>";
    let close = html[at..]
        .windows(end.len())
        .position(|w| w == end)
        .expect("closed tag");
    let mut out = html[..at].to_vec();
    out.extend_from_slice(&html[at + close + end.len()..]);
    out
}

/// Saves a file the way most editors do: a hidden temporary file renamed over it, so
/// no build can see it half written.
fn write(site: &SiteTest, path: &str, text: &str) {
    let path = site.root.join(path);
    let folder = path.parent().unwrap();
    std::fs::create_dir_all(folder).unwrap();
    let temporary = folder.join(format!(
        ".{}.tmp",
        path.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&temporary, text).unwrap();
    std::fs::rename(&temporary, &path).unwrap();
}

#[test]
fn an_edit_is_served_and_announced() {
    let site = SiteTest::new("serve_basic");
    let served = Served::start(&site);
    let page = served.get("/guide/start/");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("The original sentence."));
    assert!(
        page.text().contains(TAG_START),
        "the reload script is injected"
    );
    assert_eq!(page.header("cache-control").as_deref(), Some("no-store"));
    assert!(page.header("access-control-allow-origin").is_none());

    let events = served.events();
    let first = events.until("the current state", |_| true);
    let start = site.root.join("content/guide/start.md");
    let text = std::fs::read_to_string(&start).unwrap();
    // In place, as some editors save.
    std::fs::write(
        &start,
        text.replace("The original sentence.", "A brand new sentence."),
    )
    .unwrap();
    let rebuilt = events.built_after(generation(&first));
    assert_eq!(
        rebuilt["css_since"], rebuilt["generation"],
        "a page change reloads"
    );
    // Written in place: the page may take one more build to be whole.
    let page = served.eventually("/guide/start/", |page| {
        page.contains("A brand new sentence.")
    });
    assert!(page.text().contains("data-generation=\""));

    // An editor's atomic save: write a temporary file, rename it over the page.
    let temporary = site.root.join("content/guide/.next.md.swp");
    std::fs::write(
        &temporary,
        "---\ntitle: Next steps\n---\n\nSaved atomically.\n",
    )
    .unwrap();
    std::fs::rename(&temporary, site.root.join("content/guide/next.md")).unwrap();
    events.built_after(generation(&rebuilt));
    assert!(
        served
            .get("/guide/next/")
            .text()
            .contains("Saved atomically.")
    );
}

#[test]
fn a_stylesheet_change_only_swaps_stylesheets() {
    let site = SiteTest::new("serve_basic");
    let served = Served::start(&site);
    let events = served.events();
    let first = events.until("the current state", |_| true);
    write(&site, "theme/extra.css", ".extra { color: navy; }\n");
    let rebuilt = events.built_after(generation(&first));
    assert_eq!(rebuilt["css_since"], first["css_since"], "{rebuilt}");
    let css = served.get("/theme/extra.css");
    assert_eq!(css.text(), ".extra { color: navy; }\n");
    assert!(css.header("content-type").unwrap().starts_with("text/css"));
}

#[test]
fn a_broken_build_keeps_the_last_good_site_and_reports_where() {
    let site = SiteTest::new("serve_basic");
    let served = Served::start(&site);
    let events = served.events();
    let first = events.until("the current state", |_| true);
    write(
        &site,
        "content/guide/start.md",
        "---\ntitle: [broken\n---\n\nBroken body.\n",
    );
    let failed = events.until("a failed build", |s| !s["errors"].is_null());
    let errors = failed["errors"].as_str().unwrap();
    assert!(errors.contains("content/guide/start.md:2:8"), "{errors}");
    assert!(errors.contains("invalid YAML"), "{errors}");
    assert!(
        errors.contains("title: [broken"),
        "the source line: {errors}"
    );
    assert_eq!(generation(&failed), generation(&first), "no new generation");

    let page = served.get("/guide/start/");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("The original sentence."));
    assert!(!page.text().contains("Broken body."));
    let deadline = Instant::now() + TIMEOUT;
    while !served.stderr().contains("content/guide/start.md:2:8") {
        assert!(Instant::now() < deadline, "{}", served.stderr());
        std::thread::sleep(Duration::from_millis(20));
    }

    write(
        &site,
        "content/guide/start.md",
        "---\ntitle: Fixed\n---\n\nFixed body.\n",
    );
    let fixed = events.built_after(generation(&first));
    assert!(fixed["errors"].is_null());
    assert!(served.get("/guide/start/").text().contains("Fixed body."));
}

#[test]
fn a_page_that_stops_rendering_shows_its_last_good_version_under_the_error() {
    let site = SiteTest::new("serve_basic");
    let served = Served::start(&site);
    let events = served.events();
    let first = generation(&events.until("the current state", |_| true));
    assert!(
        served
            .get("/guide/start/")
            .text()
            .contains("The original sentence.")
    );
    // Only rendering the page finds this error: the build itself succeeds.
    let template = "{% extends \"default/page.html\" %}{% block aside %}\
        {% if page.title == \"Start here\" %}{{ get_page(path=\"missing.md\") }}{% endif %}\
        {% endblock aside %}";
    write(&site, "templates/page.html", template);
    let broken = generation(&events.built_after(first));
    let page = served.get("/guide/start/");
    assert_eq!(page.status, 200);
    let text = page.text();
    assert!(text.contains("The original sentence."), "{text}");
    assert!(
        text.contains(&format!("data-generation=\"{broken}\"")),
        "{text}"
    );
    assert!(text.contains("data-errors=\"error"), "{text}");
    assert!(text.contains("missing.md"), "{text}");
    assert_eq!(text.matches("/__folio/reload.js").count(), 1, "{text}");

    write(
        &site,
        "templates/page.html",
        "{% extends \"default/page.html\" %}",
    );
    events.built_after(broken);
    let fixed = served.get("/guide/start/").text();
    assert!(fixed.contains("The original sentence."));
    assert!(!fixed.contains("data-errors"), "{fixed}");
}

#[test]
fn a_site_that_never_built_shows_its_errors_until_fixed() {
    let site = SiteTest::new("serve_basic").file(
        "content/guide/start.md",
        "---\ntitle: Start\nweight: heavy\n---\n\nText <b>.\n",
    );
    let served = Served::start(&site);
    let page = served.get("/guide/start/");
    assert_eq!(page.status, 500);
    let text = page.text();
    assert!(text.contains("content/guide/start.md:3:9"), "{text}");
    assert!(text.contains(TAG_START), "it reloads once fixed");
    let events = served.events();
    let status = events.until("the current state", |_| true);
    assert_eq!(generation(&status), 0);
    write(
        &site,
        "content/guide/start.md",
        "---\ntitle: Start\nweight: 3\n---\n\nFine now.\n",
    );
    events.built_after(0);
    let page = served.get("/guide/start/");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("Fine now."));
}

/// Every file `folio build` writes, under the URL it is served at.
fn built_files(site: &SiteTest) -> Vec<(String, Vec<u8>)> {
    let output = tempfile::tempdir().unwrap();
    let options = Options {
        site_dir: site.root.clone(),
        output: Some(output.path().join("public")),
        ..Options::default()
    };
    if let Err(errors) = build::build(&options) {
        panic!("build failed:\n{errors}");
    }
    snapshot(&output.path().join("public"))
        .into_iter()
        .filter(|(path, _)| path != ".folio")
        .map(|(path, bytes)| {
            let url: Vec<String> = path
                .split('/')
                .map(|segment| {
                    percent_encoding::utf8_percent_encode(
                        segment,
                        percent_encoding::NON_ALPHANUMERIC,
                    )
                    .to_string()
                })
                .collect();
            let url = format!("/{}", url.join("/"));
            let url = url
                .strip_suffix("index.html")
                .map_or(url.clone(), str::to_string);
            (url, bytes)
        })
        .collect()
}

/// Whether every file `folio build` writes is served with the same bytes.
fn serves_the_build(site: &SiteTest, served: &Served) -> Result<(), String> {
    let built = built_files(site);
    assert!(built.len() > 10, "{built:?}");
    // The search index too, which serve makes apart from the rest of the site.
    assert!(built.iter().any(|(url, _)| url.starts_with("/pagefind/")));
    for (url, bytes) in built {
        let response = served.get(&url);
        let body = strip_reload_tag(&response.body);
        if response.status != 200 || body != bytes {
            return Err(format!(
                "{url} differs from the build ({}):\nserved: {}\nbuilt:  {}",
                response.status,
                String::from_utf8_lossy(&body),
                String::from_utf8_lossy(&bytes)
            ));
        }
    }
    Ok(())
}

#[test]
fn served_files_are_the_bytes_build_writes_after_every_edit() {
    let site = SiteTest::new("serve_basic");
    let served = Served::start(&site);
    let events = served.events();
    let mut last = generation(&events.until("the current state", |_| true));
    serves_the_build(&site, &served).unwrap();

    // Each step leaves a site that builds: no page links to what a later step removes.
    let outside = site.root.parent().unwrap().join("pasted");
    let edits: [&dyn Fn(); 9] = [
        &|| {
            write(
                &site,
                "content/_index.md",
                "---\ntitle: Home\n---\n\nWelcome.\n",
            )
        },
        &|| {
            let tags = "---\ntitle: Third\ntags: [intro, more]\n---\n\nNew page.\n";
            write(&site, "content/guide/third.md", tags)
        },
        &|| std::fs::remove_file(site.root.join("content/guide/next.md")).unwrap(),
        &|| {
            let (from, to) = ("content/my notes", "content/notes on café");
            std::fs::rename(site.root.join(from), site.root.join(to)).unwrap()
        },
        &|| {
            let template = "{% extends \"default/page.html\" %}\
                {% block aside %}<p>custom aside</p>{% endblock aside %}";
            write(&site, "templates/page.html", template)
        },
        &|| write(&site, "theme/extra.css", ".extra { color: navy; }\n"),
        // A folder pasted in whole: made elsewhere, then moved into the content.
        &|| {
            std::fs::create_dir_all(outside.join("deep/deeper")).unwrap();
            std::fs::write(outside.join("deep/deeper/p.md"), "# Pasted\n\nOne.\n").unwrap();
            std::fs::write(outside.join("deep/q.md"), "# Also pasted\n").unwrap();
            std::fs::rename(&outside, site.root.join("content/pasted")).unwrap()
        },
        // The folders that came with it are watched too.
        &|| {
            write(
                &site,
                "content/pasted/deep/deeper/p.md",
                "# Pasted\n\nTwo.\n",
            )
        },
        &|| std::fs::remove_dir_all(site.root.join("content/pasted/deep")).unwrap(),
    ];
    for edit in edits {
        edit();
        last = generation(&events.built_after(last));
        // Removing a folder is many events, which may reach more than one build.
        while let Err(difference) = serves_the_build(&site, &served) {
            match events.built_within(last, Duration::from_secs(3)) {
                Some(status) => last = generation(&status),
                None => panic!("{difference}"),
            }
        }
    }
}

#[test]
fn unicode_and_spaced_paths_are_reachable_and_folders_redirect() {
    let site = SiteTest::new("serve_basic");
    let served = Served::start(&site);
    let page = served.get("/my%20notes/caf%C3%A9/");
    assert_eq!(page.status, 200, "{}", page.text());
    assert!(page.text().contains("Café notes"));
    let svg = served.get("/my%20notes/logo.svg");
    assert_eq!(svg.status, 200);
    assert!(
        svg.header("content-type")
            .unwrap()
            .starts_with("image/svg+xml")
    );
    assert!(!svg.text().contains(TAG_START), "only HTML gets the script");

    let redirect = served.get("/guide/start?x=1");
    assert_eq!(redirect.status, 308);
    assert_eq!(
        redirect.header("location").as_deref(),
        Some("/guide/start/?x=1")
    );

    let missing = served.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("<html"), "the site's 404 page");
    assert_eq!(served.get("/guide/start/index.html").status, 200);
    assert_eq!(served.get("/old/start/").status, 200, "alias redirect page");
}

#[test]
fn a_base_path_is_served_under_it() {
    let site = SiteTest::new("serve_basic").file(
        "book.toml",
        "[book]\ntitle = \"Serve\"\n\n[build]\nbase-url = \"/docs/\"\n",
    );
    let served = Served::start(&site);
    assert!(served.url.ends_with("/docs/"), "{}", served.url);
    let root = served.get("/");
    assert_eq!(root.status, 307);
    assert_eq!(root.header("location").as_deref(), Some("/docs/"));
    assert_eq!(served.get("/docs").status, 307);
    assert_eq!(served.get("/docs/").status, 200);
    assert!(
        served
            .get("/docs/guide/start/")
            .text()
            .contains("href=\"/docs/")
    );
    assert_eq!(served.get("/guide/start/").status, 404);
}

#[test]
fn requests_never_reach_files_outside_the_site() {
    let site = SiteTest::new("serve_basic");
    let secret = "TOP-SECRET-0451";
    std::fs::write(site.root.parent().unwrap().join("secret.txt"), secret).unwrap();
    std::fs::write(site.root.join("secret.txt"), secret).unwrap();
    let served = Served::start(&site);
    let targets = [
        "/../secret.txt",
        "/../../etc/passwd",
        "/../../../../../../etc/passwd",
        "/%2e%2e/secret.txt",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/..%2fsecret.txt",
        "/..%2f..%2fetc%2fpasswd",
        "/guide/..%2f..%2f..%2fsecret.txt",
        "/guide/../../secret.txt",
        "/..\\secret.txt",
        "/..%5csecret.txt",
        "/guide\\..\\..\\secret.txt",
        "//etc/passwd",
        "///etc/passwd",
        "/secret.txt",
        "/secret.txt%00.html",
        "/%00",
        "/book.toml",
        "/content/guide/start.md",
        "/./secret.txt",
        "http://127.0.0.1/../secret.txt",
        "/etc/passwd",
    ];
    for target in targets {
        let response = served.raw(&format!(
            "GET {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            served.addr
        ));
        assert!(
            matches!(response.status, 400 | 404),
            "{target}: {}",
            response.status
        );
        let text = response.text();
        assert!(!text.contains(secret), "{target} leaked the secret");
        assert!(!text.contains("root:"), "{target} leaked /etc/passwd");
        assert!(!text.contains("[book]"), "{target} leaked book.toml");
    }
}

#[test]
fn the_event_stream_refuses_foreign_origins_and_hosts() {
    let site = SiteTest::new("serve_basic");
    let served = Served::start(&site);
    let request = |host: &str, origin: Option<&str>| {
        let origin = origin.map_or(String::new(), |o| format!("Origin: {o}\r\n"));
        let mut stream = TcpStream::connect(&served.addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(2)))
            .unwrap();
        write!(
            stream,
            "GET /__folio/events HTTP/1.1\r\nHost: {host}\r\n{origin}\r\n"
        )
        .unwrap();
        let mut head = [0u8; 12];
        stream.read_exact(&mut head).unwrap();
        String::from_utf8_lossy(&head[9..12])
            .parse::<u16>()
            .unwrap()
    };
    let own = served.addr.clone();
    assert_eq!(request(&own, None), 200);
    assert_eq!(request(&own, Some(&format!("http://{own}"))), 200);
    assert_eq!(request(&own, Some("http://evil.example")), 403);
    assert_eq!(request(&own, Some("null")), 403);
    assert_eq!(request("evil.example", None), 403);
    assert_eq!(request("evil.example", Some("http://evil.example")), 403);
    let port = own.rsplit(':').next().unwrap();
    assert_eq!(
        request(
            &format!("localhost:{port}"),
            Some(&format!("http://localhost:{port}"))
        ),
        200
    );
    let page = served.raw("GET / HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n");
    assert_eq!(page.status, 403, "DNS rebinding reads no page either");
    // Refusals carry the headers of every response too.
    assert_eq!(page.header("cache-control").as_deref(), Some("no-store"));
    assert_eq!(
        page.header("x-content-type-options").as_deref(),
        Some("nosniff")
    );
}

#[test]
fn an_explicit_port_in_use_is_an_error() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let site = SiteTest::new("serve_basic");
    let mut child = Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["serve", "--port", &port])
        .arg(&site.root)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + TIMEOUT;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("folio serve did not exit");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("port {port} is already in use")),
        "{stderr}"
    );
    drop(taken);
}

#[test]
fn the_default_port_in_use_moves_to_the_next() {
    // Held by this test, or by something else: either way it is taken.
    let _held = TcpListener::bind("127.0.0.1:3000");
    let site = SiteTest::new("serve_basic");
    let served = Served::start_with(&site, &[]);
    assert!(!served.url.contains(":3000/"), "{}", served.url);
    let stderr = served.stderr();
    assert!(
        stderr.contains("Port 3000 is in use; using port "),
        "{stderr}"
    );
    assert_eq!(served.get("/").status, 200);
}

/// Hears nothing: for the library entry point.
struct Quiet;

impl folio::serve::Reporter for Quiet {
    fn report(&self, _event: folio::serve::Event<'_>) {}
}

#[test]
fn the_library_server_stops_even_with_an_event_stream_open() {
    let site = SiteTest::new("serve_basic");
    let options = folio::serve::Options {
        build: Options {
            site_dir: site.root.clone(),
            ..Options::default()
        },
        port: Some(0),
        ..folio::serve::Options::default()
    };
    let server = folio::serve::start(options, Arc::new(Quiet)).expect("serve");
    let addr = server.addr();
    assert_eq!(server.url(), format!("http://{addr}/"));

    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(TIMEOUT)).unwrap();
    write!(
        stream,
        "GET /__folio/events HTTP/1.1\r\nHost: {addr}\r\n\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    while !line.starts_with("data: ") {
        line.clear();
        assert!(
            reader.read_line(&mut line).unwrap() > 0,
            "the stream ended early"
        );
    }

    let (done, stopped) = mpsc::channel();
    std::thread::spawn(move || {
        server.stop();
        let _ = done.send(());
    });
    stopped.recv_timeout(TIMEOUT).expect("stop returns");
    let mut rest = Vec::new();
    reader
        .read_to_end(&mut rest)
        .expect("the event stream ends with the server");
    assert!(
        TcpStream::connect(addr).is_err(),
        "nothing listens any more"
    );
}

#[test]
fn polling_sees_edits_too() {
    let site = SiteTest::new("serve_basic");
    let served = Served::start_with(&site, &["--port", "0", "--poll"]);
    let events = served.events();
    let first = events.until("the current state", |_| true);
    write(
        &site,
        "content/guide/next.md",
        "---\ntitle: Next\n---\n\nPolled.\n",
    );
    events.built_after(generation(&first));
    assert!(served.get("/guide/next/").text().contains("Polled."));
}

#[test]
fn serve_starts_from_the_code_build_highlighted_and_writes_nothing() {
    let site = SiteTest::new("serve_basic");
    let cache = site.root.join(folio::project::CACHE_DIR);
    {
        let served = Served::start(&site);
        served.events().until("the current state", |_| true);
        assert!(served.get("/guide/start/").text().contains("class=\"k\""));
    }
    assert!(!cache.exists(), "serve wrote a cache");
    assert!(!site.root.join("public").exists(), "serve wrote the site");

    let options = Options {
        site_dir: site.root.clone(),
        output: Some(site.output.clone()),
        ..Options::default()
    };
    build::build(&options).expect("builds");
    let project = folio::project::Project::load(&options).expect("loads");
    let store = project.highlight_store().expect("a folio site keeps one");
    let saved = std::fs::read(&store).expect("build saves the highlighted code");
    let caches = folio::pipeline::Caches::for_server(&project);
    assert!(
        caches.highlighter.cache_len() > 0,
        "serve starts without the saved code"
    );
    let served = Served::start(&site);
    served.events().until("the current state", |_| true);
    served.get("/guide/start/");
    drop(served);
    assert_eq!(
        std::fs::read(&store).unwrap(),
        saved,
        "serve changed the store"
    );
}

#[test]
fn a_book_reloads_on_edits_of_chapters_summary_and_included_files() {
    let site = SiteTest::new("mdbook_basic")
        .file("listings/hello.rs", "fn hello() {}\n")
        .file(
            "src/afterword.md",
            "# Afterword\n\n```rust\n{{#include ../listings/hello.rs}}\n```\n",
        );
    let served = Served::start(&site);
    served.events().until("the current state", |_| true);
    assert!(served.get("/afterword.html").text().contains("hello"));

    // Each edit is written in place: a page may take one more build to be whole.
    write(&site, "listings/hello.rs", "fn goodbye() {}\n");
    served.eventually("/afterword.html", |page| page.contains("goodbye"));

    write(&site, "src/reference.md", "# Reference\n\nRewritten.\n");
    served.eventually("/reference.html", |page| page.contains("Rewritten."));

    let summary = std::fs::read_to_string(site.root.join("src/SUMMARY.md")).unwrap();
    let listed = "[Afterword](afterword.md)\n[Not listed](unlisted.md)";
    write(
        &site,
        "src/SUMMARY.md",
        &summary.replace("[Afterword](afterword.md)", listed),
    );
    served.eventually("/unlisted.html", |page| {
        page.contains("SUMMARY.md does not name")
    });
}

#[test]
fn editing_a_file_a_page_includes_rebuilds_the_page() {
    let site = SiteTest::new("serve_basic")
        .file("snippets/note.md", "The first note.\n")
        .file(
            "content/guide/start.md",
            "---\ntitle: Start here\n---\n\n{{#include ../../snippets/note.md}}\n",
        );
    let served = Served::start(&site);
    served.events().until("the current state", |_| true);
    assert!(
        served
            .get("/guide/start/")
            .text()
            .contains("The first note.")
    );
    write(&site, "snippets/note.md", "The second note.\n");
    served.eventually("/guide/start/", |page| page.contains("The second note."));
}

#[test]
fn quiet_serve_prints_where_it_serves_but_no_build_summary() {
    let site = SiteTest::new("serve_basic");
    let served = Served::start_with(&site, &["--port", "0", "--quiet"]);
    assert_eq!(served.get("/").status, 200);
    let stderr = served.stderr();
    assert_eq!(
        stderr,
        format!("Serving on {} (press Ctrl-C to stop)\n", served.url)
    );
}

#[test]
fn a_replaced_image_resizes_its_figure_though_no_page_changed() {
    let site = SiteTest::empty()
        .file(
            "content/_index.md",
            "---\ntitle: Home\n---\n\n{{ figure(src=\"img/a.svg\", alt=\"A\") }}\n",
        )
        .file(
            "content/img/a.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"20\"></svg>",
        );
    let served = Served::start(&site);
    served.events().until("the current state", |_| true);
    assert!(
        served
            .get("/")
            .text()
            .contains("width=\"40\" height=\"20\"")
    );
    write(
        &site,
        "content/img/a.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"300\" height=\"150\"></svg>",
    );
    served.eventually("/", |page| page.contains("width=\"300\" height=\"150\""));
}

#[test]
fn every_language_is_served_and_an_edit_of_a_translation_or_its_strings_reloads() {
    let site = SiteTest::new("multilingual");
    let served = Served::start(&site);
    assert!(
        served
            .get("/zh/areas/iaea/")
            .text()
            .contains("该机构在国际核安保工作中发挥领导作用。")
    );
    assert!(
        served
            .get("/fr/areas/coe/")
            .text()
            .contains("fallback-notice")
    );
    let events = served.events();
    let last = generation(&events.until("the current state", |_| true));
    write(
        &site,
        "content/areas/coe.zh.md",
        "---\ntitle: 卓越中心\n---\n\n国家核安保技术中心。\n",
    );
    let rebuilt = events.built_after(last);
    let page = served.eventually("/zh/areas/coe/", |page| {
        page.contains("国家核安保技术中心。")
    });
    assert!(!page.text().contains("fallback-notice"));
    write(&site, "i18n/zh.toml", "skip_to_content = \"跳过导航\"\n");
    events.built_after(generation(&rebuilt));
    served.eventually("/zh/areas/coe/", |page| page.contains("跳过导航"));
    serves_the_build(&site, &served).unwrap();
}
