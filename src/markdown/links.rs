//! Link destinations: which ones folio resolves, which are unsafe, and the placeholders
//! that stand for resolved URLs until the site stage knows every page's address.
//!
//! A placeholder is `\0` + the link's index in decimal + `\0`. Page text can never
//! contain NUL (see `input.rs`), and everything else folio writes is NUL-free, so a
//! placeholder cannot collide with anything; finding them is one `memchr` pass.

use std::borrow::Cow;

use memchr::memchr;
use pulldown_cmark_escape::{escape_href, escape_html};

/// What to do with a link destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    /// No scheme and not protocol-relative: folio resolves it.
    Internal,
    /// Has a scheme (or is `//host/…`): written as is.
    External,
    /// `javascript:`, `vbscript:` or `data:`: never written.
    Unsafe,
}

/// The message of the warning given when an unsafe destination is dropped.
pub(crate) const UNSAFE_MESSAGE: &str = "unsafe URL scheme removed";

/// Schemes that run code or smuggle content when followed.
const UNSAFE_SCHEMES: [&str; 3] = ["javascript", "vbscript", "data"];

pub(crate) fn classify(dest: &str) -> Target {
    let url = as_browser_reads(dest);
    if let Some(scheme) = scheme(&url) {
        if UNSAFE_SCHEMES
            .iter()
            .any(|s| s.eq_ignore_ascii_case(scheme))
        {
            return Target::Unsafe;
        }
        return Target::External;
    }
    // Browsers treat `\` like `/` in http(s) URLs, so `\\host` is protocol-relative too.
    let mut start = url.bytes().take(2);
    let is_slash = |b: Option<u8>| matches!(b, Some(b'/' | b'\\'));
    if is_slash(start.next()) && is_slash(start.next()) {
        return Target::External;
    }
    Target::Internal
}

/// The URL as a browser's URL parser sees it: leading C0 controls and spaces stripped,
/// tabs and newlines removed anywhere (so `java\tscript:` is still `javascript:`).
fn as_browser_reads(dest: &str) -> Cow<'_, str> {
    let trimmed = dest.trim_start_matches(|c: char| c <= ' ');
    if trimmed.contains(['\t', '\n', '\r']) {
        Cow::Owned(
            trimmed
                .chars()
                .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                .collect(),
        )
    } else {
        Cow::Borrowed(trimmed)
    }
}

/// The scheme of `url` per RFC 3986: a letter, then letters, digits, `+`, `-` or `.`,
/// then `:`.
pub(crate) fn scheme(url: &str) -> Option<&str> {
    let end = url.find(':')?;
    let candidate = &url[..end];
    let mut bytes = candidate.bytes();
    let first_is_letter = bytes.next().is_some_and(|b| b.is_ascii_alphabetic());
    let rest_ok = bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    (first_is_letter && rest_ok).then_some(candidate)
}

/// Whether an external destination is fetched over the web: `http:`, `https:`, or
/// protocol-relative (`//host/…`, which a page served over HTTPS loads over HTTPS).
pub(crate) fn is_web(dest: &str) -> bool {
    let url = as_browser_reads(dest);
    match scheme(&url) {
        Some(scheme) => scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https"),
        None => url.starts_with("//"),
    }
}

/// The placeholder for link `index`.
pub(crate) fn placeholder(index: usize) -> String {
    format!("\0{index}\0")
}

/// `<a href="PLACEHOLDER" title="…">`, written by folio because pulldown-cmark's
/// writer would percent-encode the NULs.
pub(crate) fn anchor_open(index: usize, title: &str) -> String {
    let mut html = format!("<a href=\"{}\"", placeholder(index));
    push_title(&mut html, title);
    html.push('>');
    html
}

/// `<img src="…" alt="…" title="…" />` with `src` already fit for the attribute.
pub(crate) fn image(src: &str, alt: &str, title: &str) -> String {
    let mut html = format!("<img src=\"{src}\" alt=\"");
    push_escaped_html(&mut html, alt);
    html.push('"');
    push_title(&mut html, title);
    html.push_str(" />");
    html
}

fn push_title(html: &mut String, title: &str) {
    if !title.is_empty() {
        html.push_str(" title=\"");
        push_escaped_html(html, title);
        html.push('"');
    }
}

// Writing to a String never fails (its `fmt::Error` is never returned), so the results
// of the escapers below carry nothing to handle.

pub(crate) fn push_escaped_html(out: &mut String, text: &str) {
    let _ = escape_html(out, text);
}

pub(crate) fn push_escaped_href(out: &mut String, url: &str) {
    let _ = escape_href(out, url);
}

/// Replaces each placeholder by `resolve(index)`, escaped for a double-quoted attribute.
pub(crate) fn substitute<'a>(html: &str, mut resolve: impl FnMut(usize) -> Cow<'a, str>) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut rest = html;
    while let Some(nul) = memchr(0, rest.as_bytes()) {
        out.push_str(&rest[..nul]);
        let after = &rest[nul + 1..];
        match parse_placeholder(after) {
            Some((index, len)) => {
                push_escaped_href(&mut out, &resolve(index));
                rest = &after[len..];
            }
            None => {
                // Not one of ours (folio never writes a bare NUL); keep the HTML valid.
                out.push('\u{FFFD}');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The index and the length through the closing NUL, when `text` (just after an
/// opening NUL) continues a placeholder. Looks at a bounded prefix only, so stray NULs
/// cannot make the pass quadratic.
fn parse_placeholder(text: &str) -> Option<(usize, usize)> {
    let digits = text.bytes().take(21).take_while(u8::is_ascii_digit).count();
    if digits == 0 || text.as_bytes().get(digits) != Some(&0) {
        return None;
    }
    let index = text[..digits].parse().ok()?;
    Some((index, digits + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_absolute_content_and_fragment_links_are_internal() {
        for dest in [
            "../guide/install.md#peer-review",
            "img.png",
            "/x/",
            "@/guide/install.md#x",
            "#frag",
            "",
        ] {
            assert_eq!(classify(dest), Target::Internal, "{dest}");
        }
    }

    #[test]
    fn links_with_a_scheme_or_host_are_external() {
        for dest in [
            "https://example.com",
            "mailto:a@b.c",
            "ftp://x",
            "//cdn.example/x.js",
            "\\\\host/x",
            "tel:+1",
        ] {
            assert_eq!(classify(dest), Target::External, "{dest}");
        }
    }

    #[test]
    fn only_http_and_protocol_relative_links_are_web_links() {
        for dest in [
            "https://example.com/a#b",
            "HTTP://x",
            " http://x",
            "//cdn.example/x.js",
        ] {
            assert!(is_web(dest), "{dest}");
        }
        for dest in [
            "mailto:a@b.c",
            "ftp://x",
            "tel:+1",
            "/x/",
            "x.md",
            "\\\\host/x",
        ] {
            assert!(!is_web(dest), "{dest}");
        }
    }

    #[test]
    fn script_and_data_schemes_are_unsafe_in_any_disguise() {
        for dest in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " \u{1}javascript:alert(1)",
            "java\tscript:alert(1)",
            "jav\nascript:x",
            "VBScript:msgbox",
            "data:text/html,<script>",
            "DATA:image/png;base64,xx",
        ] {
            assert_eq!(classify(dest), Target::Unsafe, "{dest:?}");
        }
    }

    #[test]
    fn substitution_escapes_for_attributes() {
        let html = format!(
            "<a href=\"{}\">x</a><img src=\"{}\" />",
            placeholder(0),
            placeholder(12)
        );
        let out = substitute(&html, |i| match i {
            0 => Cow::Borrowed("/a b/\"q\"&<x>'"),
            _ => Cow::Owned(format!("/img/{i}.png")),
        });
        assert_eq!(
            out,
            "<a href=\"/a%20b/%22q%22&amp;%3Cx%3E&#x27;\">x</a><img src=\"/img/12.png\" />"
        );
    }

    #[test]
    fn stray_nuls_are_not_placeholders() {
        let out = substitute("a\0b\0\0", |_| Cow::Borrowed("X"));
        assert_eq!(out, "a\u{FFFD}b\u{FFFD}\u{FFFD}");
        let long = format!("\0{}\0", "9".repeat(40));
        assert!(!substitute(&long, |_| Cow::Borrowed("X")).contains('X'));
    }
}
