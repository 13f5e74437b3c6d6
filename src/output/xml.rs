//! Escaping for XML and HTML text folio writes itself (sitemaps, feeds, charts, redirect pages).

use std::borrow::Cow;

/// Escapes text for use both in element content and in double- or single-quoted
/// attributes. Characters that XML 1.0 forbids outright (most C0 controls, lone
/// surrogates can't occur in `str`, U+FFFE/U+FFFF) are dropped: one stray control
/// character in a summary would otherwise make the whole inline SVG unparseable.
pub fn escape_xml(text: &str) -> Cow<'_, str> {
    let needs_work = text
        .chars()
        .any(|c| matches!(c, '&' | '<' | '>' | '"' | '\'') || !is_xml_char(c));
    if !needs_work {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if !is_xml_char(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escaping_drops_forbidden_control_characters() {
        assert_eq!(
            escape_xml("a<b>&\"c\"\u{1}\u{b}\td"),
            "a&lt;b&gt;&amp;&quot;c&quot;\td"
        );
    }
}
