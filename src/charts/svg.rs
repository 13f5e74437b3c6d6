//! Small helpers shared by the charts: escaping, number formatting, label wrapping,
//! ids, links and the accessible `<svg>` wrapper with its size.
//!
//! Everything that reaches the output passes through here, so the guarantees the
//! charts promise (escaped text, stable numbers, unique ids) are kept in one place.

use std::fmt::Write as _;

pub use crate::output::xml::escape_xml as escape;

/// The width of folio's reading column in CSS pixels: the content column's largest
/// width in `theme/style.css` (`46rem`). A chart drawn this wide shows its text at
/// its nominal size there.
pub const READING_WIDTH: f64 = 736.0;

/// The size of all text in the charts, in user units.
pub const TEXT_SIZE: f64 = 12.0;

/// The smallest text a chart may show, in CSS pixels once it is on the page. A
/// chart may shrink to this over [`TEXT_SIZE`] of its drawing's size, and no more.
pub const MIN_TEXT_SIZE: f64 = 11.0;

/// `text` broken into lines of at most `max` characters, at spaces where it can be
/// and inside a word only when the word alone is longer: every character is kept,
/// so a label is never cut short. Counts characters, not bytes.
pub fn wrap(text: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let chars: Vec<char> = word.chars().collect();
        for piece in chars.chunks(max) {
            let needed = line.chars().count() + usize::from(!line.is_empty()) + piece.len();
            if !line.is_empty() && needed > max {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.extend(piece);
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// A coordinate as printed: rounded to one decimal, without a trailing `.0`, and
/// never `-0`, `NaN` or `inf`, so the same layout always prints the same bytes.
pub fn num(value: f64) -> String {
    if !value.is_finite() {
        return "0".to_string();
    }
    let tenths = (value * 10.0).round();
    // Clamp to a range where the integer conversion is exact; no chart is this big.
    let tenths = tenths.clamp(-1e15, 1e15) as i64;
    let sign = if tenths < 0 { "-" } else { "" };
    let abs = tenths.unsigned_abs();
    if abs.is_multiple_of(10) {
        format!("{sign}{}", abs / 10)
    } else {
        format!("{sign}{}.{}", abs / 10, abs % 10)
    }
}

/// A short id prefix for one chart, from a hash of everything that makes it
/// different from another chart: two charts on one page get different ids for their
/// `<title>`, `<desc>` and markers unless they are identical in every byte.
pub fn id_prefix(kind: &str, parts: &[&str]) -> String {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for part in parts {
        hasher.update(part.as_bytes());
        // A separator, so ("ab", "c") and ("a", "bc") hash differently.
        hasher.update(&[0xff]);
    }
    format!("{kind}-{:08x}", hasher.digest() as u32)
}

/// Estimated width of `text` in user units at `font_size`, for a proportional
/// sans-serif face. There is no font metrics at build time; 0.6 em per character is a
/// safe average that leaves room for wide letters, and CJK characters count double.
pub fn text_width(text: &str, font_size: f64) -> f64 {
    let units: f64 = text
        .chars()
        .map(|c| if is_wide(c) { 1.7 } else { 1.0 })
        .sum();
    units * font_size * 0.6
}

fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x1F300..=0x1FAFF
        | 0x20000..=0x3FFFD)
}

/// Whether `href` may be used as a link. Script and data URLs are refused: the charts
/// promise no script, and a link target comes from content an author wrote.
pub fn is_safe_href(href: &str) -> bool {
    let cleaned: String = href
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    !cleaned.is_empty()
        && !["javascript:", "vbscript:", "data:"]
            .iter()
            .any(|scheme| cleaned.starts_with(scheme))
}

/// Opens a mark: an `<a href>` when the link is usable, otherwise a plain group, so a
/// bad link loses its link but not its mark. Returns the closing tag to use.
pub fn open_link(out: &mut String, href: &str, class: &str) -> &'static str {
    if is_safe_href(href) {
        let _ = write!(out, "<a href=\"{}\" class=\"{class}\">", escape(href));
        "</a>"
    } else {
        let _ = write!(out, "<g class=\"{class}\">");
        "</g>"
    }
}

/// Writes the root `<svg>` with its accessible name and description and its ARIA
/// `role`: `group` when its marks are links, `img` when it is one picture. The caller
/// appends the body and `</svg>`.
///
/// The `width` and `height` attributes give the smallest size the drawing may be
/// shown at: where its text is [`MIN_TEXT_SIZE`] pixels. [`CHART_CSS`](super::CHART_CSS)
/// lets a chart grow to its column but never shrink below that size (a wider chart
/// scrolls inside its figure), so no text is drawn smaller.
pub fn open_svg(
    out: &mut String,
    prefix: &str,
    class: &str,
    role: &str,
    size: (f64, f64),
    title: &str,
    desc: &str,
) {
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"folio-chart {class}\" \
         viewBox=\"0 0 {w} {h}\" width=\"{min_w}\" height=\"{min_h}\" \
         font-family=\"sans-serif\" font-size=\"{text}\" role=\"{role}\" \
         aria-labelledby=\"{prefix}-title {prefix}-desc\">\
         <title id=\"{prefix}-title\">{title}</title>\
         <desc id=\"{prefix}-desc\">{desc}</desc>",
        w = num(size.0),
        h = num(size.1),
        min_w = num(least_size(size.0)),
        min_h = num(least_size(size.1)),
        text = num(TEXT_SIZE),
        title = escape(title),
        desc = escape(desc),
    );
}

/// The least a length of the drawing may be shown at: of the length as [`num`]
/// prints it, rounded up, so rounding never takes the text below [`MIN_TEXT_SIZE`].
pub fn least_size(length: f64) -> f64 {
    let printed = (length * 10.0).round() / 10.0;
    (printed * MIN_TEXT_SIZE / TEXT_SIZE * 10.0).ceil() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape(r#"<a href="x">Tom & 'Jerry'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;"
        );
        assert!(matches!(
            escape("plain"),
            std::borrow::Cow::Borrowed("plain")
        ));
    }

    #[test]
    fn drops_characters_xml_forbids() {
        assert_eq!(escape("a\u{0}b\u{1b}c\td\u{FFFF}"), "abc\td");
    }

    #[test]
    fn wraps_at_spaces_and_keeps_every_character() {
        assert_eq!(wrap("short", 24), ["short"]);
        assert_eq!(
            wrap("Nuclear Security Guidance Committee", 24),
            ["Nuclear Security", "Guidance Committee"]
        );
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("é ééééé", 3), ["é", "ééé", "éé"]);
        assert_eq!(wrap("  ", 3), [""]);
    }

    #[test]
    fn numbers_print_stably() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.34), "12.3");
        assert_eq!(num(12.36), "12.4");
        assert_eq!(num(-0.04), "0");
        assert_eq!(num(-3.25), "-3.3");
        assert_eq!(num(f64::NAN), "0");
        assert_eq!(num(f64::INFINITY), "0");
    }

    #[test]
    fn ids_differ_by_content() {
        let a = id_prefix("tl", &["One"]);
        assert_eq!(a, id_prefix("tl", &["One"]));
        assert_ne!(a, id_prefix("tl", &["Two"]));
        assert_ne!(id_prefix("tl", &["ab", "c"]), id_prefix("tl", &["a", "bc"]));
        assert!(a.starts_with("tl-") && a.len() == 11);
    }

    #[test]
    fn refuses_script_links() {
        assert!(is_safe_href("/timeline/#event-3"));
        assert!(is_safe_href("https://example.org/"));
        assert!(!is_safe_href(" JavaScript:alert(1)"));
        assert!(!is_safe_href("java\tscript:alert(1)"));
        assert!(!is_safe_href("data:text/html,x"));
        assert!(!is_safe_href(""));
    }
}
