//! A call's arguments as Zola writes them: `key=value` pairs separated by commas, where a
//! value is a string (`"…"`, `'…'` or `` `…` ``; double quotes take `\"`, `\\`, `\n` and
//! `\t`), an integer, a float, `true`/`false`, or an array of those. Every error carries
//! the byte offset of what is wrong, so it can be shown at its column.

use std::ops::Range;

/// A typed argument value.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(untagged)]
pub enum Value {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Array(Vec<Value>),
}

impl Value {
    /// The name of its type, as messages show it.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Str(_) => "a string",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a float",
            Value::Bool(_) => "a boolean",
            Value::Array(_) => "an array",
        }
    }
}

/// One `key=value` of a call.
#[derive(Debug, Clone, PartialEq)]
pub struct Arg {
    pub key: String,
    /// Where the key is written, in the text given to [`parse`].
    pub key_range: Range<usize>,
    pub value: Value,
    pub value_range: Range<usize>,
}

/// What is wrong, and where (an offset in the text given to [`parse`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub at: usize,
    pub message: String,
}

/// Parses the arguments starting at `start` of `text` (just after the opening `(`), up
/// to and including the closing `)`; returns them and the offset after the `)`.
pub fn parse(text: &str, start: usize) -> Result<(Vec<Arg>, usize), SyntaxError> {
    let mut reader = Reader { text, at: start };
    let mut args: Vec<Arg> = Vec::new();
    loop {
        reader.skip_blank();
        if reader.eat(')') {
            return Ok((args, reader.at));
        }
        let arg = reader.arg()?;
        if args.iter().any(|a| a.key == arg.key) {
            return Err(SyntaxError {
                at: arg.key_range.start,
                message: format!("argument `{}` is given twice", arg.key),
            });
        }
        args.push(arg);
        reader.skip_blank();
        if !reader.eat(',') && reader.peek() != Some(')') {
            return Err(reader.expected("`,` or `)`"));
        }
    }
}

struct Reader<'t> {
    text: &'t str,
    at: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<char> {
        self.text[self.at..].chars().next()
    }

    fn eat(&mut self, c: char) -> bool {
        let found = self.peek() == Some(c);
        if found {
            self.at += c.len_utf8();
        }
        found
    }

    fn skip_blank(&mut self) {
        while let Some(c) = self.peek().filter(|c| c.is_whitespace()) {
            self.at += c.len_utf8();
        }
    }

    fn expected(&self, what: &str) -> SyntaxError {
        let found = match self.peek() {
            Some(c) => format!("`{c}`"),
            None => "the end of the text".to_string(),
        };
        SyntaxError {
            at: self.at,
            message: format!("expected {what}, found {found}"),
        }
    }

    fn arg(&mut self) -> Result<Arg, SyntaxError> {
        let key_range = self.ident();
        if key_range.is_empty() {
            return Err(self.expected("an argument name"));
        }
        self.skip_blank();
        if !self.eat('=') {
            return Err(self.expected("`=` after the argument name"));
        }
        self.skip_blank();
        let value_start = self.at;
        let value = self.value(0)?;
        Ok(Arg {
            key: self.text[key_range.clone()].to_string(),
            key_range,
            value,
            value_range: value_start..self.at,
        })
    }

    /// A name: a letter or `_`, then letters, digits and `_`; empty when there is none.
    fn ident(&mut self) -> Range<usize> {
        let start = self.at;
        let rest = &self.text[start..];
        let len = rest
            .char_indices()
            .find(|&(i, c)| !(c == '_' || c.is_ascii_alphabetic() || i > 0 && c.is_ascii_digit()))
            .map_or(rest.len(), |(i, _)| i);
        self.at += len;
        start..self.at
    }

    fn value(&mut self, depth: usize) -> Result<Value, SyntaxError> {
        match self.peek() {
            Some(quote @ ('"' | '\'' | '`')) => self.string(quote).map(Value::Str),
            Some('[') if depth < MAX_ARRAY_DEPTH => self.array(depth),
            Some(c) if c == '-' || c == '+' || c.is_ascii_digit() => self.number(),
            Some(c) if c.is_ascii_alphabetic() => {
                let start = self.at;
                let word = self.ident();
                match &self.text[word] {
                    "true" => Ok(Value::Bool(true)),
                    "false" => Ok(Value::Bool(false)),
                    other => Err(SyntaxError {
                        at: start,
                        message: format!(
                            "`{other}` is not a value: write a string in quotes (\"{other}\"), a number, `true` or `false`"
                        ),
                    }),
                }
            }
            _ => Err(self.expected("a value")),
        }
    }

    fn string(&mut self, quote: char) -> Result<String, SyntaxError> {
        let start = self.at;
        self.at += 1;
        let mut value = String::new();
        while let Some(c) = self.peek() {
            self.at += c.len_utf8();
            match c {
                _ if c == quote => return Ok(value),
                '\\' if quote == '"' => value.push(self.escape()?),
                _ => value.push(c),
            }
        }
        Err(SyntaxError {
            at: start,
            message: "this string is never closed".to_string(),
        })
    }

    fn escape(&mut self) -> Result<char, SyntaxError> {
        let escaped = match self.peek() {
            Some('"') => '"',
            Some('\\') => '\\',
            Some('n') => '\n',
            Some('t') => '\t',
            _ => {
                return Err(SyntaxError {
                    at: self.at - 1,
                    message: "unknown escape: write `\\\"`, `\\\\`, `\\n` or `\\t`".to_string(),
                });
            }
        };
        self.at += 1;
        Ok(escaped)
    }

    fn number(&mut self) -> Result<Value, SyntaxError> {
        let start = self.at;
        let rest = &self.text[start..];
        let len = rest
            .char_indices()
            .find(|&(i, c)| {
                !(c.is_ascii_digit()
                    || matches!(c, '.' | 'e' | 'E' | '_')
                    || i == 0 && matches!(c, '-' | '+'))
            })
            .map_or(rest.len(), |(i, _)| i);
        self.at += len;
        let written = rest[..len].replace('_', "");
        let error = || SyntaxError {
            at: start,
            message: format!("`{}` is not a number", &rest[..len]),
        };
        if written.contains(['.', 'e', 'E']) {
            let float: f64 = written.parse().map_err(|_| error())?;
            return float
                .is_finite()
                .then_some(Value::Float(float))
                .ok_or_else(error);
        }
        written.parse().map(Value::Int).map_err(|_| error())
    }

    fn array(&mut self, depth: usize) -> Result<Value, SyntaxError> {
        self.at += 1;
        let mut items = Vec::new();
        loop {
            self.skip_blank();
            if self.eat(']') {
                return Ok(Value::Array(items));
            }
            items.push(self.value(depth + 1)?);
            self.skip_blank();
            if !self.eat(',') && self.peek() != Some(']') {
                return Err(self.expected("`,` or `]`"));
            }
        }
    }
}

/// How deep arrays nest: deeper is refused rather than recursed into.
const MAX_ARRAY_DEPTH: usize = 8;

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<(String, Value)> {
        let (args, end) = parse(text, 0).unwrap();
        assert_eq!(end, text.len());
        args.into_iter().map(|a| (a.key, a.value)).collect()
    }

    #[test]
    fn every_zola_value_form_parses() {
        let parsed =
            values(r#"a="x \"y\"", b='z', c=`w`, n=-3, f=1.5, t=true, l=[1, "two", [false]],)"#);
        assert_eq!(
            parsed,
            vec![
                ("a".into(), Value::Str("x \"y\"".into())),
                ("b".into(), Value::Str("z".into())),
                ("c".into(), Value::Str("w".into())),
                ("n".into(), Value::Int(-3)),
                ("f".into(), Value::Float(1.5)),
                ("t".into(), Value::Bool(true)),
                (
                    "l".into(),
                    Value::Array(vec![
                        Value::Int(1),
                        Value::Str("two".into()),
                        Value::Array(vec![Value::Bool(false)])
                    ])
                ),
            ]
        );
        assert_eq!(values(")"), vec![]);
    }

    #[test]
    fn errors_point_at_what_is_wrong() {
        let at = |text: &str| parse(text, 0).unwrap_err();
        assert_eq!(at(r#"a="x" b=1)"#).at, 6);
        assert_eq!(at("a=yes)").at, 2);
        assert!(at("a=yes)").message.contains("\"yes\""));
        assert_eq!(at(r#"a=1, a=2)"#).at, 5);
        assert_eq!(at(r#"a="open)"#).at, 2);
        assert_eq!(at("=1)").at, 0);
        assert_eq!(at("a=1..2)").at, 2);
        assert_eq!(at(&format!("a={})", "[".repeat(100))).at, 10);
    }
}
