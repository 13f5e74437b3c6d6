//! Math: TeX written as `$…$`, `$$…$$` or in a `math` fence becomes MathML at build
//! time, so readers see formulas without any JavaScript. The TeX travels along as an
//! `<annotation>` for screen readers and copying; TeX that does not parse is an error
//! and stays on the page as escaped text.

use pulldown_cmark_escape::escape_html_body_text;
use pulldown_latex::config::DisplayMode;
use pulldown_latex::{Parser, RenderConfig, Storage, push_mathml};

/// The deepest nesting of groups (`{`, `\left`, `\begin`) rendered. The parser's time
/// grows faster than the square of the depth (in a debug build 2,000 nested `\sqrt{`
/// take 0.4 s, 8,000 take 10 s); real formulas stay under twenty.
const MAX_DEPTH: usize = 200;

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
    if depth(tex) > MAX_DEPTH {
        return Err(format!("groups nested more than {MAX_DEPTH} deep"));
    }
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

/// How deeply the groups of `tex` nest, counting `{`, `\left` and `\begin` as
/// openings; escaped braces (`\{`) do not count.
fn depth(tex: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0);
    let mut rest = tex.as_bytes();
    while let Some((&byte, after)) = rest.split_first() {
        rest = after;
        let step: isize = match byte {
            b'{' => 1,
            b'}' => -1,
            b'\\' if is_command(rest, "left") || is_command(rest, "begin") => 1,
            b'\\' if is_command(rest, "right") || is_command(rest, "end") => -1,
            _ => 0,
        };
        if byte == b'\\' {
            rest = rest.get(1..).unwrap_or_default();
        }
        depth = depth.saturating_add_signed(step);
        deepest = deepest.max(depth);
    }
    deepest
}

/// Whether `rest`, just after a backslash, is the command `name` (`\left`, not
/// `\leftarrow`).
fn is_command(rest: &[u8], name: &str) -> bool {
    rest.strip_prefix(name.as_bytes())
        .is_some_and(|after| !after.first().is_some_and(u8::is_ascii_alphabetic))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_tex_is_an_error_or_mathml_never_a_panic() {
        for tex in [
            "\\",
            "{",
            "}",
            "^^",
            "x^",
            "\\begin{pmatrix}",
            "\\end{x}",
            "\\sqrt[",
            "&",
            "\\\\",
            "\\left(",
            "\\right)",
            "\\text{",
            "\\def\\a{\\a\\a}\\a",
            "\\begin{array}{q}x\\end{array}",
            "\\newcommand{\\x}{\\x}\\x",
        ] {
            let formula = render(tex, true);
            assert!(formula.error.is_some(), "{tex}");
            assert!(formula.html.starts_with("<span class=\"math"), "{tex}");
        }
        for tex in ["", "\0", "\\mathbb{\\frac12}", "\\color{red}{x}"] {
            assert_eq!(render(tex, false).error, None, "{tex}");
        }
    }

    #[test]
    fn nesting_is_limited() {
        for (open, close) in [("\\sqrt{", "}"), ("x^{", "}"), ("\\left(", "\\right)")] {
            let nested = |n| format!("{}x{}", open.repeat(n), close.repeat(n));
            assert_eq!(render(&nested(MAX_DEPTH), true).error, None, "{open}");
            assert_eq!(
                render(&nested(20_000), true).error.as_deref(),
                Some("invalid TeX: groups nested more than 200 deep"),
                "{open}"
            );
        }
        assert_eq!(
            depth("\\{\\{\\begin{pmatrix}\\left(x\\right)\\end{pmatrix}\\}"),
            2
        );
        assert_eq!(depth(&"\\leftarrow\\rightarrow".repeat(300)), 0);
    }
}
