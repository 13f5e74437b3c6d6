//! Hidden lines: lines of a code block kept in the page but shown only on request, such
//! as the setup a Rust example needs to compile. mdBook marks them with `# ` in Rust
//! (`##` writes a literal `#`) and with a configured prefix in other languages, and
//! hides a `fn main` wrapper around playground code the same way.

use std::borrow::Cow;

/// One line of a block as shown, without its line end or hiding marker.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Line<'c> {
    pub(crate) text: Cow<'c, str>,
    pub(crate) hidden: bool,
}

/// Rust's rule: after any indentation, `#` alone or `# ` hides the line (the marker
/// goes), `##` shows it with one `#` less, and `#[…]` or `#!` are code.
pub(crate) fn rust(code: &str) -> Vec<Line<'_>> {
    code.lines().map(rust_line).collect()
}

fn rust_line(line: &str) -> Line<'_> {
    let body = line.trim_start();
    let indent = &line[..line.len() - body.len()];
    let Some(after_hash) = body.strip_prefix('#') else {
        return shown(line);
    };
    match after_hash.chars().next() {
        Some('#') => Line {
            text: Cow::Owned(format!("{indent}{after_hash}")),
            hidden: false,
        },
        None => hidden(indent.to_string()),
        Some(' ') => hidden(format!("{indent}{}", &after_hash[1..])),
        Some(_) => shown(line),
    }
}

/// Another language's rule: a line whose text, after indentation, starts with `prefix`
/// is hidden, without the prefix.
pub(crate) fn with_prefix<'c>(code: &'c str, prefix: &str) -> Vec<Line<'c>> {
    code.lines()
        .map(|line| {
            let marked = line.trim_start().starts_with(prefix);
            match line.find(prefix).filter(|_| marked) {
                Some(at) => hidden(format!("{}{}", &line[..at], &line[at + prefix.len()..])),
                None => shown(line),
            }
        })
        .collect()
}

fn shown(line: &str) -> Line<'_> {
    Line {
        text: Cow::Borrowed(line),
        hidden: false,
    }
}

fn hidden<'c>(text: String) -> Line<'c> {
    Line {
        text: Cow::Owned(text),
        hidden: true,
    }
}

/// Playground code without `fn main` (or error-chain's `quick_main!`) wrapped in one,
/// as rustdoc does, with the wrapper's lines hidden; crate attributes (`#![…]`) at the
/// top stay outside it. `None` when the code has its own `main`.
pub(crate) fn wrap_rust_main(code: &str) -> Option<String> {
    if code.contains("fn main") || code.contains("quick_main!") {
        return None;
    }
    let (attributes, body) = split_crate_attributes(code);
    let newline = if body.is_empty() || body.ends_with('\n') {
        ""
    } else {
        "\n"
    };
    Some(format!(
        "# #![allow(unused)]\n{attributes}# fn main() {{\n{body}{newline}# }}"
    ))
}

/// Splits the leading crate attributes (`#![…]`, hidden or not, with the blank text
/// around them) from the rest, the way mdBook's pattern does: blank text is taken
/// greedily, so it may end inside the indentation of the first line of code.
fn split_crate_attributes(code: &str) -> (&str, &str) {
    let mut end = 0;
    loop {
        let rest = &code[end..];
        if let Some(len) = crate_attribute_line(rest) {
            end += len;
            continue;
        }
        let blank = rest.len() - rest.trim_start().len();
        end += blank;
        // Another attribute line can only start at the start of a line.
        if blank == 0 || !code[..end].ends_with('\n') {
            break;
        }
    }
    if code[..end].trim().is_empty() {
        return ("", code);
    }
    code.split_at(end)
}

/// The length of `rest`'s first line with its line end when it is a crate attribute,
/// maybe hidden: `[ \t]*(# )?[ \t]*#![`.
fn crate_attribute_line(rest: &str) -> Option<usize> {
    let indented = rest.trim_start_matches([' ', '\t']);
    let attribute = indented
        .strip_prefix("# ")
        .map(|after| after.trim_start_matches([' ', '\t']))
        .filter(|after| after.starts_with("#!["))
        .or_else(|| indented.starts_with("#![").then_some(indented))?;
    let line_len = attribute.find('\n').map_or(attribute.len(), |at| at + 1);
    Some(rest.len() - attribute.len() + line_len)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(lines: &[Line<'_>]) -> Vec<(String, bool)> {
        lines
            .iter()
            .map(|line| (line.text.to_string(), line.hidden))
            .collect()
    }

    #[test]
    fn rust_marks_hide_escape_or_stay_code() {
        let code = "# use std::io;\n#\nfn main() {\n    # let x = 1;\n    ## not hidden\n    #[derive(Debug)]\n#![allow(x)]\n#\tkept\n}\n";
        assert_eq!(
            lines(&rust(code)),
            [
                ("use std::io;".into(), true),
                ("".into(), true),
                ("fn main() {".into(), false),
                ("    let x = 1;".into(), true),
                ("    # not hidden".into(), false),
                ("    #[derive(Debug)]".into(), false),
                ("#![allow(x)]".into(), false),
                ("#\tkept".into(), false),
                ("}".into(), false),
            ]
        );
    }

    #[test]
    fn rust_lines_lose_their_line_ends() {
        assert_eq!(
            lines(&rust("# a\r\nb")),
            [("a".into(), true), ("b".into(), false)]
        );
        assert!(rust("").is_empty());
    }

    #[test]
    fn a_prefix_hides_lines_in_other_languages() {
        let code = "~import os\n  ~x = 1\nprint(x) # ~\n";
        assert_eq!(
            lines(&with_prefix(code, "~")),
            [
                ("import os".into(), true),
                ("  x = 1".into(), true),
                ("print(x) # ~".into(), false),
            ]
        );
    }

    #[test]
    fn code_without_main_is_wrapped() {
        assert_eq!(
            wrap_rust_main("let x = 1;").as_deref(),
            Some("# #![allow(unused)]\n# fn main() {\nlet x = 1;\n# }")
        );
        assert_eq!(wrap_rust_main("fn main() {}"), None);
        assert_eq!(wrap_rust_main("quick_main!(run);"), None);
    }

    #[test]
    fn crate_attributes_stay_outside_main() {
        assert_eq!(
            wrap_rust_main("# #![feature(x)]\n#[foo]\npub trait Foo {}\n").as_deref(),
            Some(
                "# #![allow(unused)]\n# #![feature(x)]\n# fn main() {\n#[foo]\npub trait Foo {}\n# }"
            )
        );
    }

    #[test]
    fn attributes_split_as_mdbook_splits_them() {
        assert_eq!(split_crate_attributes(""), ("", ""));
        assert_eq!(split_crate_attributes("let x = 1;"), ("", "let x = 1;"));
        assert_eq!(
            split_crate_attributes("#![allow(foo)]"),
            ("#![allow(foo)]", "")
        );
        assert_eq!(
            split_crate_attributes("\n#![allow(foo)]\n\n#![allow(bar)]\n\nlet x = 1;"),
            ("\n#![allow(foo)]\n\n#![allow(bar)]\n\n", "let x = 1;")
        );
        assert_eq!(
            split_crate_attributes("    // Example"),
            ("", "    // Example")
        );
        // Blank text is taken greedily, indentation of the next line included.
        assert_eq!(
            split_crate_attributes("#![a]\n    let x;"),
            ("#![a]\n    ", "let x;")
        );
        assert_eq!(
            split_crate_attributes("  #  #![a]\nx"),
            ("  #  #![a]\n", "x")
        );
    }
}
