//! GitHub blockquote alerts (`> [!NOTE]` …) rendered as admonition boxes.

use pulldown_cmark::BlockQuoteKind;

/// Closes what [`open`] opened.
pub(crate) const CLOSE: &str = "</div>\n";

/// The titles of the five kinds of alert, in the page's language: note, tip, important,
/// warning and caution.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AlertTitles(pub [String; 5]);

impl Default for AlertTitles {
    fn default() -> Self {
        Self(["Note", "Tip", "Important", "Warning", "Caution"].map(String::from))
    }
}

/// The opening HTML of an alert of this kind: a box with a titled first line. The role
/// lets assistive technology announce it as an aside.
pub(crate) fn open(kind: BlockQuoteKind, titles: &AlertTitles) -> String {
    let (class, index) = names(kind);
    let mut title = String::new();
    let _ = pulldown_cmark_escape::escape_html_body_text(&mut title, &titles.0[index]); // a String never fails
    format!(
        "<div class=\"admonition {class}\" role=\"note\">\n<p class=\"admonition-title\">{title}</p>\n"
    )
}

/// The kind's class, and its title's index in [`AlertTitles`].
fn names(kind: BlockQuoteKind) -> (&'static str, usize) {
    match kind {
        BlockQuoteKind::Note => ("note", 0),
        BlockQuoteKind::Tip => ("tip", 1),
        BlockQuoteKind::Important => ("important", 2),
        BlockQuoteKind::Warning => ("warning", 3),
        BlockQuoteKind::Caution => ("caution", 4),
    }
}
