//! Live reload: the script tag added to served HTML, the script itself
//! (`reload.js`), the events it listens to, and the page shown while the site has no
//! good build.
//!
//! The script is a separate file served at [`SCRIPT_PATH`] rather than inline code, so
//! a site whose pages set a Content-Security-Policy of `script-src 'self'` still
//! reloads, and so the one line added to each page is easy to recognise and strip.

use axum::response::sse::Event;

use super::state::Snapshot;
use crate::output::xml::escape_xml;

/// Where the server answers with [`SCRIPT`]. `/__folio/` is reserved for the server and
/// lies outside any site path folio writes.
pub const SCRIPT_PATH: &str = "/__folio/reload.js";

/// The server-sent events stream.
pub const EVENTS_PATH: &str = "/__folio/events";

/// How every injected tag starts: what a test strips (up to the next `</script>`) to
/// compare a served page with `folio build`'s.
pub const TAG_START: &str = "<script src=\"/__folio/reload.js\"";

pub const SCRIPT: &str = include_str!("reload.js");

/// The tag added to the HTML of one generation.
pub(crate) fn script_tag(instance: &str, generation: u64) -> String {
    format!(
        "{TAG_START} data-instance=\"{}\" data-generation=\"{generation}\"></script>",
        escape_xml(instance)
    )
}

/// The tag for a page served in place of one that failed to render: the script shows
/// `errors` over it until a build renders the page again.
pub(crate) fn script_tag_with_errors(instance: &str, generation: u64, errors: &str) -> String {
    format!(
        "{TAG_START} data-instance=\"{}\" data-generation=\"{generation}\" data-errors=\"{}\"></script>",
        escape_xml(instance),
        escape_xml(errors)
    )
}

/// Served `html` with its script tag replaced by `tag`.
pub(crate) fn retag(html: &[u8], tag: &str) -> Vec<u8> {
    let start = find(html, TAG_START.as_bytes());
    let end = start.and_then(|start| {
        find(&html[start..], b"</script>").map(|end| start + end + b"</script>".len())
    });
    match (start, end) {
        (Some(start), Some(end)) => [&html[..start], tag.as_bytes(), &html[end..]].concat(),
        _ => inject(html, tag),
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// `html` with `tag` before its last `</body>`, or at its end when it has none. Nothing
/// else changes, so stripping the tag gives back `folio build`'s bytes.
pub(crate) fn inject(html: &[u8], tag: &str) -> Vec<u8> {
    let at = rfind_ignore_case(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn rfind_ignore_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    (0..=haystack.len().checked_sub(needle.len())?)
        .rev()
        .find(|&i| haystack[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

/// The state of the server as the script reads it.
pub(crate) fn status_json(snapshot: &Snapshot) -> String {
    serde_json::json!({
        "instance": &*snapshot.instance,
        "generation": snapshot.generation(),
        "css_since": snapshot.css_since,
        "errors": snapshot.errors.as_deref(),
    })
    .to_string()
}

pub(crate) fn status_event(snapshot: &Snapshot) -> Event {
    Event::default().event("status").data(status_json(snapshot))
}

/// The page served for every request while the site has never built, or for a page
/// that fails to render: the diagnostics, escaped, and the reload script so the page
/// recovers by itself once the error is fixed.
pub(crate) fn error_page(title: &str, errors: &str, tag: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>folio: {title}</title>\n</head>\n\
         <body style=\"margin:0;padding:2rem;background:#18181b;color:#f4f4f5;\
         font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace\">\n\
         <h1 style=\"font-size:1.2rem;color:#fca5a5\">folio: {title}</h1>\n\
         <p>Fix the errors below; this page reloads by itself.</p>\n\
         <pre id=\"folio-serve-errors\" style=\"white-space:pre-wrap\">{}</pre>\n{tag}</body>\n</html>\n",
        escape_xml(errors)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_retagged_page_carries_only_the_new_tag_and_escaped_errors() {
        let page = inject(b"<html><body><p>a</p></body></html>", &script_tag("i", 3));
        let tag = script_tag_with_errors("i", 4, "error: <b>\"x\"</b>");
        let retagged = String::from_utf8(retag(&page, &tag)).unwrap();
        assert_eq!(retagged.matches(TAG_START).count(), 1, "{retagged}");
        assert!(retagged.contains("data-generation=\"4\""), "{retagged}");
        assert!(
            retagged.contains("data-errors=\"error: &lt;b&gt;&quot;x&quot;&lt;/b&gt;\""),
            "{retagged}"
        );
        assert!(
            retagged.starts_with("<html><body><p>a</p><script"),
            "{retagged}"
        );
    }

    #[test]
    fn the_tag_goes_before_the_last_closing_body() {
        let html = b"<html><body><p>a</p></BODY>\n</html>\n";
        let out = inject(html, "<script></script>");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "<html><body><p>a</p><script></script></BODY>\n</html>\n"
        );
        assert_eq!(inject(b"<p>", "<s>"), b"<p><s>");
        assert_eq!(inject(b"", "<s>"), b"<s>");
    }

    #[test]
    fn error_pages_escape_the_diagnostics() {
        let page = error_page("build failed", "error: <script>alert(1)</script>", "");
        assert!(page.contains("error: &lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!page.contains("<script>alert"));
    }

    #[test]
    fn the_script_never_closes_its_own_tag() {
        assert!(!SCRIPT.contains("</script"));
    }
}
