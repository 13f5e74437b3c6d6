//! Escaping for XML and HTML text folio writes itself (sitemaps, redirect pages).

/// Escapes text for XML and HTML, dropping the control characters XML 1.0 forbids so a
/// stray character in a title cannot make a feed or sitemap unreadable.
pub fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() || matches!(c, '\u{FFFE}' | '\u{FFFF}') => {}
            c => out.push(c),
        }
    }
    out
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
