//! GitHub blockquote alerts (`> [!NOTE]` …) rendered as admonition boxes.

use pulldown_cmark::BlockQuoteKind;

/// Closes what [`open`] opened.
pub(crate) const CLOSE: &str = "</div>\n";

/// The opening HTML of an alert of this kind: a box with a titled first line. The role
/// lets assistive technology announce it as an aside.
pub(crate) fn open(kind: BlockQuoteKind) -> String {
    let (class, title) = names(kind);
    format!(
        "<div class=\"admonition {class}\" role=\"note\">\n<p class=\"admonition-title\">{title}</p>\n"
    )
}

fn names(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}
