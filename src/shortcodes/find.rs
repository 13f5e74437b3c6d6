//! Finding the shortcode calls of a page's Markdown, outside code spans and code
//! blocks, and pairing each `{% name(…) %}` with its `{% end %}`.
//!
//! Only text shaped like a call is one: `{{ name(` or `{% name(` (or `{% end %}`), so
//! prose that shows Tera (`{{ page.title }}`) stays text. Calls are found on the text
//! as written, before Markdown reads it; a pulldown-cmark parse first finds the code,
//! and runs only on pages that hold `{{` or `{%` at all, and of those only on pages
//! where a line scan (`shortcodes/scan.rs`) cannot tell that no call is in code.

use std::ops::Range;

use memchr::memmem;
use pulldown_cmark::{Event, Options, Parser, Tag};

use super::args::{self, Arg};
use crate::diag::Kind;
use crate::markdown::Warning;

/// How a call is written.
#[derive(Debug, Clone, PartialEq)]
pub enum Form {
    /// `{{ name(…) }}`: replaced by the template's output.
    Inline,
    /// `{% name(…) %}`: opens a body that the call at this index of the page's calls
    /// (its `{% end %}`) closes.
    Open { end: usize },
    /// `{% end %}`.
    End,
    /// `{{/* name(…) */}}`: the call written out as text, this text.
    Escape(String),
}

/// One call of a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// The whole call, from `{{` to `}}`, in the page's body.
    pub range: Range<usize>,
    pub name: String,
    pub name_range: Range<usize>,
    pub args: Vec<Arg>,
    pub form: Form,
    /// The index of the body call this one is directly inside, if any.
    pub parent: Option<usize>,
}

/// Every call of a page, in order, and what is wrong with the rest.
#[derive(Debug, Default, PartialEq)]
pub struct Found {
    pub calls: Vec<Call>,
    pub problems: Vec<Warning>,
}

/// Whether `body` may hold a call: the test that keeps pages without any free.
pub fn may_have_calls(body: &str) -> bool {
    memmem::find(body.as_bytes(), b"{{").is_some() || memmem::find(body.as_bytes(), b"{%").is_some()
}

/// The calls of `body`, outside its code.
pub fn find(body: &str) -> Found {
    if !may_have_calls(body) {
        return Found::default();
    }
    if super::scan::calls_outside_code(body) {
        return calls(body, &[]);
    }
    calls(body, &code_ranges(body))
}

/// [`find`] with the code always located by a full Markdown parse: what its line scan
/// is checked against (by the fuzzer too).
#[doc(hidden)]
pub fn find_exact(body: &str) -> Found {
    calls(body, &code_ranges(body))
}

/// The calls of `body` outside the byte ranges `code`.
fn calls(body: &str, code: &[Range<usize>]) -> Found {
    let mut found = Found::default();
    let mut open: Vec<usize> = Vec::new();
    let mut at = 0;
    while let Some(start) = next_brace(body, at) {
        at = start + 2;
        if in_code(code, start) {
            continue;
        }
        match read_call(body, start) {
            Read::Text => {}
            Read::Problem(problem) => found.problems.push(problem),
            Read::Call(call) => {
                at = call.range.end;
                pair(&mut found, &mut open, call);
            }
        }
    }
    for index in open.into_iter().rev() {
        let call = found.calls.remove(index);
        found.problems.push(problem(
            Kind::UnclosedShortcode,
            call.range,
            format!("`{}` is never closed", call.name),
            "close its body with `{% end %}`",
        ));
    }
    found
}

/// Adds `call` to `found`, pairing an `{% end %}` with the body it closes.
fn pair(found: &mut Found, open: &mut Vec<usize>, mut call: Call) {
    call.parent = open.last().copied();
    let index = found.calls.len();
    match call.form {
        Form::End => match open.pop() {
            Some(opener) => {
                found.calls[opener].form = Form::Open { end: index };
                call.parent = found.calls[opener].parent;
                call.name = found.calls[opener].name.clone();
            }
            None => {
                return found.problems.push(problem(
                    Kind::StrayShortcodeEnd,
                    call.range,
                    "`{% end %}` closes no shortcode",
                    "remove it, or open a body with `{% name(…) %}` before it",
                ));
            }
        },
        Form::Open { .. } => open.push(index),
        _ => {}
    }
    found.calls.push(call);
}

fn problem(kind: Kind, range: Range<usize>, message: impl Into<String>, help: &str) -> Warning {
    Warning {
        kind,
        range,
        message: message.into(),
        help: Some(help.to_string()),
    }
}

/// The next `{{` or `{%` at or after `at`.
fn next_brace(body: &str, mut at: usize) -> Option<usize> {
    let bytes = body.as_bytes();
    while let Some(found) = memchr::memchr(b'{', &bytes[at..]) {
        let start = at + found;
        if matches!(bytes.get(start + 1), Some(b'{' | b'%')) {
            return Some(start);
        }
        at = start + 1;
    }
    None
}

/// The byte ranges of the code spans and code blocks of `body`, in order.
pub(super) fn code_ranges(body: &str) -> Vec<Range<usize>> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_GFM;
    let mut ranges = Vec::new();
    let mut depth = 0usize;
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => {
                if depth == 0 {
                    ranges.push(range);
                }
                depth += 1;
            }
            Event::End(pulldown_cmark::TagEnd::CodeBlock) => depth = depth.saturating_sub(1),
            Event::Code(_) => ranges.push(range),
            _ => {}
        }
    }
    ranges
}

pub(super) fn in_code(code: &[Range<usize>], offset: usize) -> bool {
    let after = code.partition_point(|range| range.start <= offset);
    after > 0 && code[after - 1].contains(&offset)
}

pub(super) enum Read {
    /// Not a call: left as text.
    Text,
    Call(Call),
    Problem(Warning),
}

/// What the text at `start` (a `{{` or `{%`) is.
fn read_call(body: &str, start: usize) -> Read {
    let inline = body.as_bytes()[start + 1] == b'{';
    let close = if inline { "}}" } else { "%}" };
    let after = start + 2;
    if body[after..].starts_with("/*") {
        return escape(body, start, close);
    }
    if inline && body[after..].starts_with(['<', '%']) {
        return super::hugo::read(body, start);
    }
    let mut at = skip_blank(body, after);
    let name = ident(body, at);
    if name.is_empty() {
        return Read::Text;
    }
    at = skip_blank(body, name.end);
    if !inline && &body[name.clone()] == "end" && body[at..].starts_with(close) {
        return Read::Call(Call {
            range: start..at + 2,
            name: String::new(),
            name_range: name,
            args: Vec::new(),
            form: Form::End,
            parent: None,
        });
    }
    if !body[at..].starts_with('(') {
        return Read::Text;
    }
    let (args, end) = match args::parse(body, at + 1) {
        Ok(parsed) => parsed,
        Err(error) => return Read::Problem(syntax_error(body, error.at, error.message)),
    };
    let end = skip_blank(body, end);
    if !body[end..].starts_with(close) {
        let message = format!("expected `{close}` to end the call");
        return Read::Problem(syntax_error(body, end, message));
    }
    Read::Call(Call {
        range: start..end + 2,
        name: body[name.clone()].to_string(),
        name_range: name,
        args,
        form: if inline {
            Form::Inline
        } else {
            Form::Open { end: 0 }
        },
        parent: None,
    })
}

fn syntax_error(body: &str, at: usize, message: String) -> Warning {
    let width = body[at..].chars().next().map_or(0, char::len_utf8);
    problem(
        Kind::ShortcodeSyntax,
        at..at + width,
        format!("malformed shortcode call: {message}"),
        "a call reads `{{ name(key=\"text\", n=1, on=true, list=[1, 2]) }}`",
    )
}

/// `{{/* … */}}` or `{%/* … */%}`: the call between the comment marks, as text.
fn escape(body: &str, start: usize, close: &str) -> Read {
    let inner_start = start + 4;
    let Some(length) = body[inner_start..].find("*/") else {
        return Read::Text;
    };
    let inner_end = inner_start + length;
    let end = skip_blank(body, inner_end + 2);
    if !body[end..].starts_with(close) {
        return Read::Text;
    }
    let literal = format!(
        "{}{}{}",
        &body[start..start + 2],
        &body[inner_start..inner_end],
        close
    );
    Read::Call(Call {
        range: start..end + 2,
        name: String::new(),
        name_range: start..start,
        args: Vec::new(),
        form: Form::Escape(literal),
        parent: None,
    })
}

pub(super) fn skip_blank(body: &str, at: usize) -> usize {
    at + body[at..].len() - body[at..].trim_start().len()
}

/// The name at `at`: a letter or `_`, then letters, digits and `_`.
pub(super) fn ident(body: &str, at: usize) -> Range<usize> {
    let rest = &body[at..];
    let len = rest
        .char_indices()
        .find(|&(i, c)| !(c == '_' || c.is_ascii_alphabetic() || i > 0 && c.is_ascii_digit()))
        .map_or(rest.len(), |(i, _)| i);
    at..at + len
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_outside_code_are_found_and_paired() {
        let body = "{% tabs() %}\n{% tab(label=\"a\") %}\nx `{{ no() }}`\n{% end %}\n{% end %}\n\n```\n{{ no() }}\n```\n{{ figure(src=\"a.png\") }} {{ page.title }}";
        let found = find(body);
        assert!(found.problems.is_empty(), "{:?}", found.problems);
        let names: Vec<_> = found
            .calls
            .iter()
            .map(|c| (c.name.as_str(), c.parent))
            .collect();
        assert_eq!(
            names,
            [
                ("tabs", None),
                ("tab", Some(0)),
                ("tab", Some(0)),
                ("tabs", None),
                ("figure", None)
            ]
        );
        assert_eq!(found.calls[0].form, Form::Open { end: 3 });
        assert_eq!(found.calls[1].form, Form::Open { end: 2 });
        assert_eq!(
            &body[found.calls[4].range.clone()],
            "{{ figure(src=\"a.png\") }}"
        );
    }

    #[test]
    fn escapes_write_the_call_out() {
        let found = find("a {{/* youtube(id=\"x\") */}} b {%/* end */%}");
        let forms: Vec<_> = found.calls.iter().map(|c| c.form.clone()).collect();
        assert_eq!(
            forms,
            [
                Form::Escape("{{ youtube(id=\"x\") }}".into()),
                Form::Escape("{% end %}".into())
            ]
        );
    }

    #[test]
    fn unclosed_and_stray_bodies_are_located() {
        let found = find("{% end %}\n{% details(summary=\"s\") %}\n");
        let kinds: Vec<_> = found
            .problems
            .iter()
            .map(|p| (p.kind, p.range.clone()))
            .collect();
        assert_eq!(
            kinds,
            [
                (Kind::StrayShortcodeEnd, 0..9),
                (Kind::UnclosedShortcode, 10..36)
            ]
        );
        assert!(found.calls.is_empty());
    }

    #[test]
    fn malformed_arguments_point_at_the_column() {
        let found = find("x {{ figure(src=\"a\" alt=\"b\") }}");
        assert_eq!(found.problems[0].kind, Kind::ShortcodeSyntax);
        assert_eq!(found.problems[0].range, 20..21);
    }
}
