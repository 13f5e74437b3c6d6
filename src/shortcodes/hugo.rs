//! Hugo's shortcode syntax (`{{< name arg="v" >}}`, `{{% name %}}`, `{{< /name >}}`),
//! which folio does not read: each call is a warning that shows it in Zola's syntax,
//! which folio does read, and stays in the page as text.

use super::find::{Read, ident, skip_blank};
use crate::diag::Kind;
use crate::markdown::Warning;

/// The Hugo call at `start` (`{{<` or `{{%`), as a warning; text when it is not one.
pub(super) fn read(body: &str, start: usize) -> Read {
    let delimiter = &body[start + 2..start + 3];
    let close = match delimiter {
        "<" => ">}}",
        _ => "%}}",
    };
    let Some(length) = body[start + 3..].find(close) else {
        return Read::Text;
    };
    let end = start + 3 + length + close.len();
    let inner = body[start + 3..start + 3 + length].trim();
    let name_at = inner.strip_prefix('/').unwrap_or(inner);
    let name = &name_at[ident(name_at, 0)];
    if name.is_empty() {
        return Read::Text;
    }
    let rewritten = match inner.starts_with('/') {
        true => "{% end %}".to_string(),
        false => {
            let args = arguments(&name_at[name.len()..]);
            match body[end..].contains(&format!("{delimiter} /{name}")) {
                true => format!("{{% {name}({args}) %}}"),
                false => format!("{{{{ {name}({args}) }}}}"),
            }
        }
    };
    Read::Problem(Warning {
        kind: Kind::HugoShortcode,
        range: start..end,
        message: "Hugo's shortcode syntax is not read: this call is shown as text".to_string(),
        help: Some(format!("folio reads Zola's syntax: write `{rewritten}`")),
    })
}

/// Hugo's space-separated `key="value"` arguments, comma-separated as Zola writes them.
fn arguments(text: &str) -> String {
    let mut args = Vec::new();
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        let key = ident(rest, 0);
        let after = skip_blank(rest, key.end);
        let (arg, used) = match rest[after..].strip_prefix('=') {
            Some(value) if !key.is_empty() => {
                let value = value.trim_start();
                let len = value_length(value);
                let used = rest.len() - value.len() + len;
                (format!("{}={}", &rest[key], &value[..len]), used)
            }
            _ => {
                let len = value_length(rest);
                (rest[..len].to_string(), len.max(1))
            }
        };
        args.push(arg);
        rest = rest[used.min(rest.len())..].trim_start();
    }
    args.join(", ")
}

/// The length of a quoted value, or of a word.
fn value_length(text: &str) -> usize {
    match text.chars().next() {
        Some(quote @ ('"' | '`')) => text[1..].find(quote).map_or(text.len(), |at| at + 2),
        _ => text.find(char::is_whitespace).unwrap_or(text.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn help(body: &str) -> String {
        match read(body, 0) {
            Read::Problem(warning) => warning.help.unwrap(),
            _ => panic!("not a Hugo call: {body}"),
        }
    }

    #[test]
    fn hugo_calls_are_shown_in_zolas_syntax() {
        assert_eq!(
            help(r#"{{< youtube id="x" autoplay=true >}}"#),
            "folio reads Zola's syntax: write `{{ youtube(id=\"x\", autoplay=true) }}`"
        );
        assert_eq!(
            help("{{% details summary=\"s\" %}}\nx\n{{% /details %}}"),
            "folio reads Zola's syntax: write `{% details(summary=\"s\") %}`"
        );
        assert_eq!(
            help("{{< /details >}}"),
            "folio reads Zola's syntax: write `{% end %}`"
        );
    }
}
