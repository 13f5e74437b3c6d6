//! URL paths: how a file or folder name becomes a URL segment, which slugs are allowed,
//! and the percent-encoding that keeps odd file names working in links.

use unicode_normalization::UnicodeNormalization;

use crate::markdown::heading_id;

/// Why a slug cannot be used, or None when it can.
pub fn slug_problem(slug: &str) -> Option<&'static str> {
    if slug.is_empty() {
        Some("a slug must not be empty")
    } else if slug.contains(['/', '\\']) {
        Some("a slug must not contain `/` or `\\`")
    } else if slug.contains('\0') || slug.chars().any(char::is_control) {
        Some("a slug must not contain control characters")
    } else if slug.starts_with('.') {
        Some("a slug must not start with `.`")
    } else {
        None
    }
}

/// Encodes one path segment for an `href`: characters that would end or change the
/// meaning of a URL path are percent-encoded; letters of every script stay readable.
pub fn encode_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for c in segment.chars() {
        if c.is_control() || c.is_whitespace() || "%#?\"<>\\^`{|}/'[]".contains(c) {
            let mut buffer = [0; 4];
            for byte in c.encode_utf8(&mut buffer).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Decodes `%XX` escapes as an author may write them in a link; invalid escapes stay.
pub fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The key under which two URLs count as the same: case-insensitive hosts and file
/// systems, and NFC/NFD spellings of one name, would serve them from one file.
pub fn collision_key(url: &str) -> String {
    // Nearly every URL is plain ASCII, where normalisation changes nothing.
    if url.is_ascii() && !url.contains('%') {
        return url.to_ascii_lowercase();
    }
    decode(url).nfc().flat_map(char::to_lowercase).collect()
}

/// A site path for `segments`: `/`, `/a/`, `/a/b/`.
pub fn path_of(segments: &[String]) -> String {
    let mut url = String::from("/");
    for segment in segments {
        url.push_str(&encode_segment(segment));
        url.push('/');
    }
    url
}

/// The site path of a file: its folders' segments and its name, percent-encoded:
/// `/img/logo.png`.
pub fn path_of_file(segments: &[String]) -> String {
    let mut url = path_of(segments);
    if !segments.is_empty() {
        url.pop();
    }
    url
}

/// The link from the page at site path `from` to site path `to`, relative to the
/// page's folder: `../b/c.html` from `/a/x.html` to `/b/c.html`; `x.html` to itself.
pub fn relative_href(from: &str, to: &str) -> String {
    let from_folders: Vec<&str> = from.trim_start_matches('/').split('/').collect();
    let from_folders = &from_folders[..from_folders.len().saturating_sub(1)];
    let to_parts: Vec<&str> = to.trim_start_matches('/').split('/').collect();
    let shared = from_folders
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count()
        .min(to_parts.len().saturating_sub(1));
    let mut href = "../".repeat(from_folders.len() - shared);
    href.push_str(&to_parts[shared..].join("/"));
    if href.is_empty() {
        href.push_str("./");
    }
    href
}

/// The site path a relative `href` on the page at site path `from` leads to (the
/// inverse of [`relative_href`]); `None` for an href that is not relative (a URL with a
/// scheme, a site path, a fragment alone) or that climbs above the site.
pub fn absolute_href(from: &str, href: &str) -> Option<String> {
    if href.starts_with(['/', '#']) || href.contains("://") || href.starts_with("mailto:") {
        return None;
    }
    let mut parts: Vec<&str> = from.trim_start_matches('/').split('/').collect();
    parts.pop();
    for part in href.split('/') {
        match part {
            "." | "" => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    let mut path = format!("/{}", parts.join("/"));
    if href.ends_with('/') && !path.ends_with('/') {
        path.push('/');
    }
    Some(path)
}

/// A readable slug, as taxonomy terms get (and the `slugify` filter gives):
/// `heading_id`'s; a name with no letters or digits keeps its own characters instead,
/// made safe for one URL segment.
pub fn slugify(name: &str) -> String {
    let slug = heading_id(name);
    if !slug.is_empty() && slug_problem(&slug).is_none() {
        return slug;
    }
    let safe = name
        .replace(['/', '\\'], "-")
        .trim_start_matches('.')
        .to_string();
    if slug_problem(&safe).is_none() {
        safe
    } else {
        "-".to_string()
    }
}

/// A readable title from a file or folder name: `nuclear-security` → `Nuclear security`.
pub fn title_from_name(name: &str) -> String {
    let spaced = name.replace(['-', '_'], " ");
    let mut chars = spaced.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => name.to_string(),
    }
}

/// Joins a relative link path onto a folder's content path, resolving `.` and `..`;
/// None when it climbs above the content root.
pub fn join_relative(folder: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

/// The inverse of [`join_relative`]: `target` (a content path) as a link written in
/// `folder`, each segment encoded as an author may type it: `x.md`, `../other/x.md`.
pub fn relative_link(folder: &str, target: &str) -> String {
    let from: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    let to: Vec<&str> = target.split('/').filter(|p| !p.is_empty()).collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts = vec!["..".to_string(); from.len() - common];
    parts.extend(to[common..].iter().map(|part| encode_segment(part)));
    if parts.is_empty() {
        return "./".into();
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_that_escape_or_hide_are_refused() {
        for bad in ["", "a/b", "a\\b", "..", ".hidden", "a\0b"] {
            assert!(slug_problem(bad).is_some(), "{bad:?}");
        }
        assert!(slug_problem("peer-review").is_none());
        assert!(slug_problem("a..b").is_none());
    }

    #[test]
    fn segments_encode_only_what_breaks_a_url() {
        assert_eq!(encode_segment("a b?#%"), "a%20b%3F%23%25");
        assert_eq!(encode_segment("café"), "café");
        assert_eq!(
            path_of(&["guide".into(), "install".into()]),
            "/guide/install/"
        );
        assert_eq!(path_of(&[]), "/");
    }

    #[test]
    fn relative_hrefs_climb_only_as_far_as_needed() {
        assert_eq!(relative_href("/a.html", "/b.html"), "b.html");
        assert_eq!(relative_href("/a.html", "/x/y.html"), "x/y.html");
        assert_eq!(relative_href("/x/y.html", "/a.html"), "../a.html");
        assert_eq!(relative_href("/x/y.html", "/x/z/w.html"), "z/w.html");
        assert_eq!(relative_href("/x/y.html", "/x/y.html"), "y.html");
        assert_eq!(relative_href("/x/y/z.html", "/x/q/img.png"), "../q/img.png");
        assert_eq!(relative_href("/x/y.html", "/"), "../");
        assert_eq!(relative_href("/a.html", "/"), "./");
    }

    #[test]
    fn absolute_hrefs_undo_relative_ones() {
        for (from, to) in [
            ("/a.html", "/b.html"),
            ("/x/y.html", "/a.html#frag"),
            ("/x/y/z.html", "/x/q/img.png"),
            ("/x/y.html", "/x/z/w.html"),
        ] {
            let href = relative_href(from, to);
            assert_eq!(
                absolute_href(from, &href).as_deref(),
                Some(to),
                "{from} {href}"
            );
        }
        assert_eq!(absolute_href("/a.html", "https://x.org/"), None);
        assert_eq!(absolute_href("/a.html", "#top"), None);
        assert_eq!(absolute_href("/a.html", "../../up.html"), None);
    }

    #[test]
    fn decode_reverses_encode() {
        assert_eq!(decode(&encode_segment("a b?#%é")), "a b?#%é");
        assert_eq!(decode("100%"), "100%");
    }

    #[test]
    fn collision_keys_fold_case_and_normalisation() {
        assert_eq!(collision_key("/About/"), collision_key("/about/"));
        assert_eq!(collision_key("/cafe\u{301}/"), collision_key("/caf%C3%A9/"));
    }

    #[test]
    fn relative_paths_resolve_and_cannot_climb_out() {
        assert_eq!(
            join_relative("guide", "../reference/cli.md").unwrap(),
            "reference/cli.md"
        );
        assert_eq!(join_relative("", "./a.md").unwrap(), "a.md");
        assert_eq!(join_relative("guide", "../../../etc/passwd"), None);
    }

    #[test]
    fn relative_links_join_back_to_their_target() {
        for (folder, target, link) in [
            ("guide", "guide/install.md", "install.md"),
            ("guide", "other/x.md", "../other/x.md"),
            ("a/b", "c.md", "../../c.md"),
            ("", "guide/a b.md", "guide/a%20b.md"),
            ("guide", "guide", "./"),
        ] {
            assert_eq!(relative_link(folder, target), link);
            assert_eq!(join_relative(folder, &decode(link)).unwrap(), target);
        }
    }

    #[test]
    fn titles_from_names() {
        assert_eq!(title_from_name("nuclear-security"), "Nuclear security");
        assert_eq!(title_from_name("ünits"), "Ünits");
    }
}
