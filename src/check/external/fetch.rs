//! The HTTP side of `folio check --external`: each URL fetched once, politely, with
//! a verdict saying whether readers following the link get the page.
//!
//! - **Client.** ureq 3 (blocking, rustls, no gzip): measured against reqwest on the
//!   tokio runtime folio already has, in a small program making one request, ureq
//!   added 2.7 MB and 24 crates and reqwest 3.2 MB and 78 crates, with about 40% more
//!   build time (rustls and ring are most of either); in folio's release binary it
//!   is 3.0 MB. Blocking calls on a bounded set of threads are all a link check needs.
//! - **Concurrency.** At most [`Limits::per_host`] requests to one host at a time (2:
//!   a check must not look like an attack on a site that 30 pages link to) and
//!   [`Limits::total`] in all (16 threads, each waiting on the network).
//! - **HEAD, then GET.** A HEAD request costs the server nothing; a server that
//!   refuses it (405, 501, and the 403 or 404 some send for HEAD alone) is asked again
//!   with GET, whose body is never read. Then only GET's answer counts.
//! - **Retries.** A timeout, a dropped connection, a 5xx or a 429 is tried
//!   [`MAX_ATTEMPTS`] times in all, waiting as `Retry-After` asks (up to
//!   [`RETRY_AFTER_CAP`]) or 0.5 s, then 1 s.
//! - **Redirects** are followed by hand (up to [`MAX_REDIRECTS`]), so the chain is
//!   known: when it starts with permanent ones (301, 308) the verdict names the URL
//!   they lead to.
//!
//! Which failures are errors: only those that say the link is wrong whoever follows it
//! and whenever: 404 and 410, a host that does not exist, a refused connection, an
//! invalid certificate, a redirect loop. Everything that says the server would not
//! answer this robot now (429 after the retries, timeouts, 5xx, 401, 403) is a
//! warning that the link could not be verified: failing a check on it would fail CI
//! whenever a site on the other side of the world has a bad minute.

use std::collections::{HashMap, VecDeque};
use std::sync::{Condvar, Mutex, PoisonError};
use std::time::Duration;

use ureq::http::{HeaderMap, StatusCode, header};
use url::Url;

use crate::progress::Progress;

/// Requests one URL gets at most for a failure that may pass (timeout, 429, 5xx).
pub const MAX_ATTEMPTS: u32 = 3;
/// The longest wait a `Retry-After` header is granted.
pub const RETRY_AFTER_CAP: Duration = Duration::from_secs(10);
/// Redirects followed before a chain counts as a loop.
pub const MAX_REDIRECTS: usize = 10;
/// The first wait before a retry, doubled each time, when the server names none.
const BACKOFF: Duration = Duration::from_millis(500);

/// Sent with every request, so a server's owner can tell who is asking.
pub const USER_AGENT: &str = concat!("folio/", env!("CARGO_PKG_VERSION"), " (link checker)");

/// How many requests may be under way at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub per_host: usize,
    pub total: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            per_host: 2,
            total: 16,
        }
    }
}

/// What following a link gives a reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The page answers, directly or through temporary redirects.
    Works,
    /// The page answers at the end of permanent redirects: the link should say `to`.
    Moved { to: String },
    /// The link is wrong: what the server or the network said.
    Broken { reason: String },
    /// The server would not say, this time: why.
    Unverified { reason: String },
}

/// What one request, its redirects followed, ended with.
enum Answer {
    Status {
        status: StatusCode,
        retry_after: Option<Duration>,
        /// Where the permanent redirects at the start of the chain lead.
        moved_to: Option<Url>,
    },
    /// A redirect without a usable `Location`, or too many of them.
    BadRedirect(String),
    Failed(ureq::Error),
}

/// Fetches every URL of `urls` and gives each one's verdict, in the same order.
/// `timeout` bounds each request, connecting included.
pub fn fetch_all(
    urls: &[String],
    timeout: Duration,
    limits: Limits,
    progress: &dyn Progress,
) -> Vec<Verdict> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .user_agent(USER_AGENT)
        .max_redirects(0)
        .max_redirects_will_error(false)
        .http_status_as_error(false)
        .timeout_global(Some(timeout))
        .timeout_connect(Some(timeout))
        .build()
        .into();
    let board = Board::new(urls, limits.per_host);
    std::thread::scope(|scope| {
        for _ in 0..limits.total.clamp(1, urls.len().max(1)) {
            scope.spawn(|| {
                while let Some(index) = board.take() {
                    let verdict = check(&agent, &urls[index]);
                    board.done(index, verdict);
                    progress.advanced();
                }
            });
        }
    });
    board.into_verdicts()
}

/// The work of [`fetch_all`]'s threads: which URL may start next, given how many
/// requests each host has under way, and the verdicts so far.
struct Board {
    hosts: Vec<String>,
    per_host: usize,
    state: Mutex<BoardState>,
    changed: Condvar,
}

struct BoardState {
    waiting: VecDeque<usize>,
    busy: HashMap<String, usize>,
    verdicts: Vec<Option<Verdict>>,
}

impl Board {
    fn new(urls: &[String], per_host: usize) -> Self {
        Self {
            hosts: urls.iter().map(|url| host_key(url)).collect(),
            per_host: per_host.max(1),
            state: Mutex::new(BoardState {
                waiting: (0..urls.len()).collect(),
                busy: HashMap::new(),
                verdicts: vec![None; urls.len()],
            }),
            changed: Condvar::new(),
        }
    }

    /// The next URL whose host has a request to spare, waiting until one has; none
    /// when every URL has started.
    fn take(&self) -> Option<usize> {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            if state.waiting.is_empty() {
                return None;
            }
            let free = |index: &usize| {
                state.busy.get(&self.hosts[*index]).copied().unwrap_or(0) < self.per_host
            };
            if let Some(position) = state.waiting.iter().position(free) {
                let index = state.waiting.remove(position)?;
                *state.busy.entry(self.hosts[index].clone()).or_default() += 1;
                return Some(index);
            }
            state = self
                .changed
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    fn done(&self, index: usize, verdict: Verdict) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(busy) = state.busy.get_mut(&self.hosts[index]) {
            *busy -= 1;
        }
        state.verdicts[index] = Some(verdict);
        self.changed.notify_all();
    }

    fn into_verdicts(self) -> Vec<Verdict> {
        let state = self
            .state
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        (state.verdicts.into_iter())
            .map(|verdict| {
                verdict.unwrap_or_else(|| Verdict::Unverified {
                    reason: "its check was cut short".into(),
                })
            })
            .collect()
    }
}

/// The host and port a URL is fetched from.
fn host_key(url: &str) -> String {
    Url::parse(url).map_or_else(
        |_| url.to_string(),
        |url| {
            let host = url.host_str().unwrap_or_default();
            format!("{host}:{}", url.port_or_known_default().unwrap_or(0))
        },
    )
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Method {
    Head,
    Get,
}

/// The verdict on `url`: HEAD, then GET if HEAD is refused, each retried while the
/// failure may pass.
fn check(agent: &ureq::Agent, url: &str) -> Verdict {
    let Ok(parsed) = Url::parse(url) else {
        return Verdict::Broken {
            reason: "it is not a valid URL".into(),
        };
    };
    let mut method = Method::Head;
    let mut attempt = 1;
    loop {
        let answer = follow(agent, method, parsed.clone());
        let wait = match retry_wait(&answer, attempt) {
            Some(wait) if attempt < MAX_ATTEMPTS => wait,
            _ if method == Method::Head && refuses_head(&answer) => {
                method = Method::Get;
                continue;
            }
            _ => return verdict(answer, attempt),
        };
        std::thread::sleep(wait);
        attempt += 1;
    }
}

/// How long to wait before asking again, when the failure may pass.
fn retry_wait(answer: &Answer, attempt: u32) -> Option<Duration> {
    let backoff = BACKOFF * 2u32.pow(attempt - 1);
    match answer {
        Answer::Status {
            status,
            retry_after,
            ..
        } if *status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() => {
            Some(retry_after.map_or(backoff, |asked| asked.min(RETRY_AFTER_CAP)))
        }
        Answer::Failed(error) if may_pass(error) => Some(backoff),
        _ => None,
    }
}

/// A timeout or a connection dropped halfway, which the next try may not meet.
fn may_pass(error: &ureq::Error) -> bool {
    use std::io::ErrorKind;
    match error {
        ureq::Error::Timeout(_) => true,
        ureq::Error::Io(io) => matches!(
            io.kind(),
            ErrorKind::ConnectionReset
                | ErrorKind::ConnectionAborted
                | ErrorKind::BrokenPipe
                | ErrorKind::UnexpectedEof
                | ErrorKind::TimedOut
        ),
        _ => false,
    }
}

/// Whether HEAD's answer may be HEAD's alone: a client error other than 429. Servers
/// answer HEAD with 405 or 501, and some with 403 or 404, where GET works.
fn refuses_head(answer: &Answer) -> bool {
    matches!(answer, Answer::Status { status, .. }
        if (status.is_client_error() && *status != StatusCode::TOO_MANY_REQUESTS)
            || *status == StatusCode::NOT_IMPLEMENTED)
}

/// The verdict on the last answer, after `attempts` requests.
fn verdict(answer: Answer, attempts: u32) -> Verdict {
    let tries = match attempts {
        1 => String::new(),
        n => format!(" ({n} attempts)"),
    };
    match answer {
        Answer::Status {
            status, moved_to, ..
        } if status.is_success() => match moved_to {
            Some(to) => Verdict::Moved { to: to.into() },
            None => Verdict::Works,
        },
        Answer::Status { status, .. }
            if matches!(status, StatusCode::NOT_FOUND | StatusCode::GONE) =>
        {
            Verdict::Broken {
                reason: format!("the server answered {status}"),
            }
        }
        Answer::Status { status, .. } => Verdict::Unverified {
            reason: format!("the server answered {status}{tries}"),
        },
        Answer::BadRedirect(reason) => Verdict::Broken { reason },
        Answer::Failed(ureq::Error::Timeout(_)) => Verdict::Unverified {
            reason: format!("no answer within the timeout{tries}"),
        },
        Answer::Failed(error) if may_pass(&error) => Verdict::Unverified {
            reason: format!("the connection failed{tries}: {error}"),
        },
        Answer::Failed(ureq::Error::HostNotFound) => Verdict::Broken {
            reason: "no such host".into(),
        },
        Answer::Failed(error) => Verdict::Broken {
            reason: format!("cannot connect: {error}"),
        },
    }
}

/// Sends `method` to `url` and follows its redirects.
fn follow(agent: &ureq::Agent, method: Method, mut url: Url) -> Answer {
    let mut moved_to = None;
    let mut only_permanent = true;
    for _ in 0..=MAX_REDIRECTS {
        let sent = match method {
            Method::Head => agent.head(url.as_str()).call(),
            Method::Get => agent.get(url.as_str()).call(),
        };
        let response = match sent {
            Ok(response) => response,
            Err(error) => return Answer::Failed(error),
        };
        let status = response.status();
        if !status.is_redirection() {
            return Answer::Status {
                status,
                retry_after: retry_after(response.headers()),
                moved_to,
            };
        }
        let next = (response.headers().get(header::LOCATION))
            .and_then(|location| location.to_str().ok())
            .and_then(|location| url.join(location).ok());
        let Some(next) = next else {
            return Answer::BadRedirect(format!(
                "the server answered {status} without a valid `Location`"
            ));
        };
        only_permanent &= matches!(
            status,
            StatusCode::MOVED_PERMANENTLY | StatusCode::PERMANENT_REDIRECT
        );
        if only_permanent {
            moved_to = Some(next.clone());
        }
        url = next;
    }
    Answer::BadRedirect(format!(
        "more than {MAX_REDIRECTS} redirects: the chain loops or is too long"
    ))
}

/// A `Retry-After` given in seconds (the HTTP-date form is rare and is treated as
/// absent, so the usual backoff applies).
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(header::RETRY_AFTER)?.to_str().ok()?;
    value.trim().parse().ok().map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_told_apart_by_name_and_port() {
        assert_eq!(host_key("https://example.org/a"), "example.org:443");
        assert_eq!(host_key("http://example.org/b"), "example.org:80");
        assert_eq!(host_key("http://127.0.0.1:8080/"), "127.0.0.1:8080");
    }

    #[test]
    fn retry_after_is_read_in_seconds_only() {
        let mut headers = HeaderMap::new();
        headers.insert(header::RETRY_AFTER, "3".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(3)));
        headers.insert(
            header::RETRY_AFTER,
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&headers), None);
    }

    #[test]
    fn only_a_missing_or_gone_page_is_broken_among_statuses() {
        let status = |code: u16| Answer::Status {
            status: StatusCode::from_u16(code).unwrap(),
            retry_after: None,
            moved_to: None,
        };
        assert_eq!(verdict(status(200), 1), Verdict::Works);
        for code in [404, 410] {
            assert!(matches!(verdict(status(code), 1), Verdict::Broken { .. }));
        }
        for code in [401, 403, 429, 500, 503] {
            assert!(matches!(
                verdict(status(code), 3),
                Verdict::Unverified { .. }
            ));
        }
    }
}
