//! Request paths, decoded into URL segments and checked before anything looks them up.
//!
//! A request is never joined onto a folder: its decoded segments become a key into the
//! map of the site's plan (see [`state`](super::state)). The checks here are a second
//! fence: anything that could mean "go up", "start over" or "end the string early"
//! (`..`, `.`, empty segments, `/` or `\` hidden behind `%2f`/`%5c`, NUL, control
//! characters, bytes that are not UTF-8) is a bad request, whatever the plan holds.

use percent_encoding::percent_decode_str;
use unicode_normalization::UnicodeNormalization;

/// A request path split into decoded segments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestPath {
    /// Decoded, NFC-normalised segments, none of them empty.
    pub segments: Vec<String>,
    /// The path ends with `/` (or is `/`): a folder, whose file is `index.html`.
    pub folder: bool,
}

/// Decodes the path part of a request target (without the query). `None` means 400.
pub fn decode(raw: &str) -> Option<RequestPath> {
    let rest = raw.strip_prefix('/')?;
    // A backslash is a separator on Windows and in some browsers' URL parsers: never a
    // character of a file name folio wrote.
    if rest.contains('\\') {
        return None;
    }
    if rest.is_empty() {
        return Some(RequestPath {
            segments: Vec::new(),
            folder: true,
        });
    }
    let (rest, folder) = match rest.strip_suffix('/') {
        Some(rest) => (rest, true),
        None => (rest, false),
    };
    let segments = rest
        .split('/')
        .map(decode_segment)
        .collect::<Option<Vec<_>>>()?;
    Some(RequestPath { segments, folder })
}

fn decode_segment(raw: &str) -> Option<String> {
    // An empty segment: `//etc/passwd` or `/a//b`. Harmless against a map, but no URL
    // folio writes has one, and some servers read `//x` as an absolute path.
    if raw.is_empty() {
        return None;
    }
    let decoded = percent_decode_str(raw).decode_utf8().ok()?;
    if decoded == "." || decoded == ".." {
        return None;
    }
    if decoded
        .chars()
        .any(|c| c == '/' || c == '\\' || c.is_control())
    {
        return None;
    }
    // File names are NFC in the plan (see `content::walk::content_path`); a browser or
    // a hand-typed URL may send the decomposed form of the same name.
    Some(decoded.nfc().collect())
}

/// The segments of the site's base path (`/docs/` → `["docs"]`), decoded the same way
/// as a request so the two compare equal.
pub fn base_segments(base_path: &str) -> Vec<String> {
    base_path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            percent_decode_str(s)
                .decode_utf8_lossy()
                .nfc()
                .collect::<String>()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segments(raw: &str) -> Vec<String> {
        decode(raw).unwrap().segments
    }

    #[test]
    fn plain_paths_split_into_segments() {
        assert_eq!(
            decode("/"),
            Some(RequestPath {
                segments: vec![],
                folder: true
            })
        );
        assert_eq!(segments("/guide/install/"), ["guide", "install"]);
        assert!(decode("/guide/install/").unwrap().folder);
        assert!(!decode("/theme/style.css").unwrap().folder);
    }

    #[test]
    fn segments_are_percent_decoded_and_normalised() {
        assert_eq!(
            segments("/my%20notes/caf%C3%A9/"),
            ["my notes", "caf\u{e9}"]
        );
        assert_eq!(segments("/cafe%CC%81/"), ["caf\u{e9}"]);
        assert_eq!(segments("/%E6%97%A5%E6%9C%AC/"), ["日本"]);
    }

    #[test]
    fn anything_that_could_climb_or_cut_is_refused() {
        for raw in [
            "/../../etc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/%2E%2E/etc/passwd",
            "/..%2fetc%2fpasswd",
            "/a/%2e/b",
            "/a/./b",
            "//etc/passwd",
            "/a//b",
            "/..\\..\\etc\\passwd",
            "/a%5c..%5cb",
            "/etc/passwd%00.html",
            "/a%0a",
            "/%ff%fe",
            "etc/passwd",
            "",
        ] {
            assert_eq!(decode(raw), None, "{raw}");
        }
    }

    #[test]
    fn base_paths_decode_like_requests() {
        assert_eq!(base_segments("/"), Vec::<String>::new());
        assert_eq!(base_segments("/docs/v1/"), ["docs", "v1"]);
        assert_eq!(base_segments("/my%20docs/"), ["my docs"]);
    }
}
