//! Raw HTML written in Markdown, made safe: a page that contains any is passed through
//! ammonia with a generous allowlist (`<details>`, `<kbd>`, `<sup>`, tables… stay;
//! `<script>`, `<style>`, `<iframe>`, `on*=` attributes and `javascript:` URLs go).
//! A site can opt out with `trust-raw-html = true` in `[markdown]`.
//!
//! What ammonia removes it removes silently, so [`removals`] reads the same allowlist
//! to tell the author, at the tag, what will go.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::LazyLock;

use xxhash_rust::xxh3::xxh3_64;

use super::links;
use super::raw_html::StartTag;

/// The CSS properties a kept `style` attribute (on `<th>` and `<td>`) keeps.
const STYLE_PROPERTIES: [&str; 1] = ["text-align"];

/// Attributes folio's own HTML uses on any element.
const GENERIC_ATTRIBUTES: [&str; 8] = [
    "id",
    "class",
    "title",
    "role",
    "aria-label",
    "aria-hidden",
    "aria-labelledby",
    "lang",
];

/// The MathML elements and attributes that formulas (`math.rs`) are written with, so a
/// page with raw HTML keeps its math. No `annotation-xml`, whose content may be HTML;
/// no `style`, so `\color` and TeX's finer spacing are lost on such a page.
const MATHML_TAGS: [&str; 21] = [
    "math",
    "semantics",
    "annotation",
    "mrow",
    "mi",
    "mn",
    "mo",
    "mtext",
    "mspace",
    "mfrac",
    "msub",
    "msup",
    "msubsup",
    "munder",
    "mover",
    "munderover",
    "mroot",
    "msqrt",
    "mtable",
    "mtr",
    "mtd",
];
const MATHML_ATTRIBUTES: [&str; 16] = [
    "display",
    "encoding",
    "mathvariant",
    "stretchy",
    "symmetric",
    "movablelimits",
    "largeop",
    "accent",
    "width",
    "height",
    "depth",
    "linethickness",
    "minsize",
    "maxsize",
    "displaystyle",
    "scriptlevel",
];

/// Cleans the HTML of one page. Link placeholders (`\0N\0`, which the HTML parser would
/// mangle) travel through as fragment URLs named after a hash of the page, so text an
/// author wrote cannot pass for one.
///
/// `trusted` holds what folio wrote itself (shortcodes' output, diagrams' SVG), which `html` holds as tokens
/// ([`trusted_token`]): each travels through as text named after the same hash and is
/// put back after cleaning, untouched.
pub(crate) fn sanitize(html: &str, trusted: &[String]) -> String {
    let hash = xxh3_64(html.as_bytes());
    let token = format!("#folio-link-{hash:016x}-");
    let stand_ins: Vec<String> = (0..trusted.len())
        .map(|n| format!("folio-trusted-{hash:016x}-{n}-"))
        .collect();
    let html = restore_trusted(html.to_string(), &stand_ins);
    let protected = protect(&html, &token);
    let clean = builder().clean(&protected).to_string();
    let mut restored = restore(&clean, &token);
    for (stand_in, html) in stand_ins.iter().zip(trusted) {
        restored = restored.replacen(stand_in, html, 1);
    }
    restored
}

/// The token that stands for the `n`th piece of trusted HTML in a page's events. It
/// holds NUL, which page text never does (see `input.rs`), and is no link placeholder.
pub(crate) fn trusted_token(n: usize) -> String {
    format!("\0s{n}\0")
}

/// `html` with each trusted token replaced by its piece of `trusted`. Tokens are found
/// by their NUL with memchr: a search for `"\0s"` cost more than the rest of writing a
/// page's shortcodes.
pub(crate) fn restore_trusted(html: String, trusted: &[String]) -> String {
    if trusted.is_empty() {
        return html;
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html.as_str();
    while let Some(at) = memchr::memchr(0, rest.as_bytes()) {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        match trusted_piece(after, trusted) {
            Some((piece, tail)) => {
                out.push_str(piece);
                rest = tail;
            }
            None => {
                out.push('\0');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The piece of `trusted` that `text` (just after a NUL) names as `sN\0`, and the text
/// after the token.
fn trusted_piece<'a, 'h>(text: &'h str, trusted: &'a [String]) -> Option<(&'a str, &'h str)> {
    let after = text.strip_prefix('s')?;
    let digits = after.bytes().take_while(u8::is_ascii_digit).count();
    let piece = trusted.get(after[..digits].parse::<usize>().ok()?)?;
    Some((piece, after[digits..].strip_prefix('\0')?))
}

fn builder() -> ammonia::Builder<'static> {
    let mut builder = ammonia::Builder::default();
    builder
        .add_tags(["input", "span", "div", "section", "sup", "sub", "abbr"])
        .add_generic_attributes(GENERIC_ATTRIBUTES)
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attributes("pre", ["data-lang"])
        .add_tag_attributes("img", ["width", "height", "loading"])
        .add_tag_attributes("ol", ["start"])
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("td", ["style"])
        .filter_style_properties(HashSet::from(STYLE_PROPERTIES))
        .link_rel(None);
    builder.add_tags(MATHML_TAGS);
    for tag in MATHML_TAGS {
        builder.add_tag_attributes(tag, MATHML_ATTRIBUTES);
    }
    builder
}

/// What the sanitiser keeps, read once from the builder that cleans.
struct Allowlist {
    tags: HashSet<&'static str>,
    generic: HashSet<&'static str>,
    by_tag: HashMap<&'static str, HashSet<&'static str>>,
    schemes: HashSet<&'static str>,
}

static ALLOWLIST: LazyLock<Allowlist> = LazyLock::new(|| {
    let builder = builder();
    Allowlist {
        tags: builder.clone_tags(),
        generic: builder.clone_generic_attributes(),
        by_tag: builder.clone_tag_attributes(),
        schemes: builder.clone_url_schemes(),
    }
});

/// Something in raw HTML that sanitising removes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Removal {
    /// Where the element's or the attribute's name is written in the raw HTML.
    pub(crate) range: Range<usize>,
    pub(crate) message: String,
}

/// The help given with every removal.
pub(crate) const TRUST_HELP: &str =
    "to keep raw HTML as written, set `trust-raw-html = true` under `[markdown]` in book.toml";

/// Whether sanitising keeps an element named `tag` (lowercase).
pub(crate) fn keeps(tag: &str) -> bool {
    ALLOWLIST.tags.contains(tag)
}

/// What sanitising removes from these start tags, each element or attribute name once.
pub(crate) fn removals(tags: &[StartTag]) -> Vec<Removal> {
    let mut found: Vec<Removal> = Vec::new();
    let mut named = HashSet::new();
    for tag in tags {
        if !keeps(&tag.name) {
            if named.insert(format!("<{}>", tag.name)) {
                found.push(Removal {
                    range: tag.at..tag.at + 1 + tag.name.len(),
                    message: format!("raw HTML element `<{}>` removed", tag.name),
                });
            }
            continue;
        }
        for attribute in &tag.attributes {
            let Some(message) = attribute_removal(&tag.name, &attribute.name, attribute.value)
            else {
                continue;
            };
            if named.insert(attribute.name.clone()) {
                found.push(Removal {
                    range: attribute.at..attribute.at + attribute.name.len(),
                    message,
                });
            }
        }
    }
    found
}

/// What sanitising removes of an attribute of a kept element, if anything.
fn attribute_removal(tag: &str, name: &str, value: &str) -> Option<String> {
    let allowed = ALLOWLIST.generic.contains(name)
        || ALLOWLIST.by_tag.get(tag).is_some_and(|a| a.contains(name));
    let removed = |why: &str| {
        Some(format!(
            "raw HTML attribute `{name}` removed from `<{tag}>`{why}"
        ))
    };
    if !allowed {
        return removed("");
    }
    if name == "style" {
        let dropped = value
            .split(';')
            .filter_map(|declaration| declaration.split_once(':'))
            .any(|(property, _)| {
                !STYLE_PROPERTIES.contains(&property.trim().to_ascii_lowercase().as_str())
            });
        return dropped.then(|| {
            format!("raw HTML `style` of `<{tag}>` keeps only `text-align`; its other properties are removed")
        });
    }
    let scheme_allowed = || match links::classify(value) {
        links::Target::Unsafe => false,
        _ => links::scheme(value.trim_start())
            .is_none_or(|s| ALLOWLIST.schemes.contains(s.to_ascii_lowercase().as_str())),
    };
    match matches!(name, "href" | "src") && !scheme_allowed() {
        true => removed(": its URL scheme is not allowed"),
        false => None,
    }
}

fn protect(html: &str, token: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut parts = html.split('\0');
    out.push_str(parts.next().unwrap_or_default());
    let mut inside = true;
    for part in parts {
        if inside {
            out.push_str(token);
        }
        out.push_str(part);
        inside = !inside;
    }
    out
}

fn restore(html: &str, token: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(token) {
        out.push_str(&rest[..at]);
        let after = &rest[at + token.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        out.push('\0');
        out.push_str(&after[..digits]);
        out.push('\0');
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dangerous_markup_goes_and_harmless_markup_stays() {
        let html = "<p>a</p><script>alert(1)</script><details><summary>More</summary><kbd>Ctrl</kbd><sup>2</sup></details>\
                    <img src=\"x.png\" onerror=\"alert(1)\"><a href=\"javascript:alert(1)\">x</a><iframe src=\"https://e.org\"></iframe><style>p{}</style>";
        let clean = sanitize(html, &[]);
        for gone in [
            "<script",
            "alert(1)",
            "onerror",
            "javascript:",
            "<iframe",
            "<style",
        ] {
            assert!(!clean.contains(gone), "{gone} survived: {clean}");
        }
        for kept in [
            "<details><summary>More</summary><kbd>Ctrl</kbd><sup>2</sup></details>",
            "<img src=\"x.png\">",
        ] {
            assert!(clean.contains(kept), "{kept} missing: {clean}");
        }
    }

    #[test]
    fn placeholders_and_folios_own_markup_survive() {
        let html = "<h2 id=\"a\">A<a class=\"anchor\" href=\"#a\" aria-label=\"Link\">#</a></h2><p><a href=\"\u{0}3\u{0}\">x</a><img src=\"\u{0}12\u{0}\" alt=\"y\" /></p><pre class=\"code\" data-lang=\"rust\"><code><span class=\"hl-k\">fn</span></code></pre>";
        let clean = sanitize(html, &[]);
        assert!(clean.contains("<a href=\"\u{0}3\u{0}\">x</a>"), "{clean}");
        assert!(clean.contains("src=\"\u{0}12\u{0}\""), "{clean}");
        assert!(
            clean.contains(
                "<h2 id=\"a\">A<a class=\"anchor\" href=\"#a\" aria-label=\"Link\">#</a></h2>"
            ),
            "{clean}"
        );
        assert!(clean.contains("<pre class=\"code\" data-lang=\"rust\"><code><span class=\"hl-k\">fn</span></code></pre>"), "{clean}");
    }

    #[test]
    fn formulas_survive_and_html_inside_them_does_not() {
        let formula = "<math display=\"block\"><semantics><mrow><mfrac><mi>a</mi><mo stretchy=\"false\">&lt;</mo></mfrac></mrow><annotation encoding=\"application/x-tex\">a</annotation></semantics></math>";
        assert_eq!(sanitize(formula, &[]), formula);
        let hostile = "<math><mtext><img src=x onerror=alert(1)></mtext><annotation-xml encoding=\"text/html\"><b>x</b></annotation-xml></math>";
        assert_eq!(
            sanitize(hostile, &[]),
            "<math><mtext><img src=\"x\"></mtext></math>"
        );
    }

    #[test]
    fn text_that_imitates_a_placeholder_stays_text() {
        let clean = sanitize("<p>#folio-link-0000000000000000-1</p>", &[]);
        assert!(!clean.contains('\0'), "{clean:?}");
    }

    #[test]
    fn trusted_tokens_are_restored_and_other_nul_text_is_kept() {
        let trusted = ["<b>one</b>".to_string(), "<i>two</i>".to_string()];
        let html = format!(
            "<a href=\"\u{0}3\u{0}\">{}</a>{}\u{0}s9\u{0}\u{0}s\u{0}s1",
            trusted_token(1),
            trusted_token(0)
        );
        assert_eq!(
            restore_trusted(html, &trusted),
            "<a href=\"\u{0}3\u{0}\"><i>two</i></a><b>one</b>\u{0}s9\u{0}\u{0}s\u{0}s1"
        );
    }
}
