//! Math: TeX written as `$…$`, `$$…$$` or in a `math` fence becomes MathML at build
//! time, so readers see formulas without any JavaScript. The TeX travels along as an
//! `<annotation>` for screen readers and copying; TeX that does not parse is an error
//! and stays on the page as escaped text.

use pulldown_cmark_escape::escape_html_body_text;
use pulldown_latex::config::DisplayMode;
use pulldown_latex::{Parser, RenderConfig, Storage, push_mathml};

/// A formula as HTML, and why it is not MathML when its TeX does not parse.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Formula {
    pub(crate) html: String,
    pub(crate) error: Option<String>,
}

/// Renders one formula: `display` for a block of its own, else inline in the text.
pub(crate) fn render(tex: &str, display: bool) -> Formula {
    match mathml(tex, display) {
        Ok(html) => Formula { html, error: None },
        Err(message) => Formula {
            html: escaped(tex, display),
            error: Some(format!("invalid TeX: {message}")),
        },
    }
}

/// The MathML for `tex`, or the parser's first error in one line.
fn mathml(tex: &str, display: bool) -> Result<String, String> {
    let storage = Storage::new();
    let mut events = Vec::new();
    for event in Parser::new(tex, &storage) {
        // The error's own text adds a drawing of the TeX around it; its source is the
        // one-line reason, and the diagnostic shows the formula itself.
        events.push(
            event.map_err(|error| match std::error::Error::source(&error) {
                Some(reason) => reason.to_string(),
                None => error.to_string(),
            })?,
        );
    }
    let annotation = escape(tex);
    let config = RenderConfig {
        display_mode: match display {
            true => DisplayMode::Block,
            false => DisplayMode::Inline,
        },
        annotation: Some(&annotation),
        ..RenderConfig::default()
    };
    let mut html = String::with_capacity(tex.len() * 8);
    push_mathml(
        &mut html,
        events.into_iter().map(Ok::<_, std::fmt::Error>),
        config,
    )
    .map_err(|error| error.to_string())?;
    Ok(html)
}

/// The TeX as text, in the `<span>` pulldown-cmark would have written.
fn escaped(tex: &str, display: bool) -> String {
    let class = match display {
        true => "math math-display",
        false => "math math-inline",
    };
    format!("<span class=\"{class}\">{}</span>", escape(tex))
}

fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    let _ = escape_html_body_text(&mut escaped, text); // a String never fails
    escaped
}
