//! The built-in shortcodes' arguments, each with its type and whether it is required,
//! and the checks of a call against them.

use super::args::{Arg, Value};
use super::find::Call;
use crate::diag::{Kind, did_you_mean};
use crate::markdown::Warning;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Type {
    Str,
    Int,
    Bool,
}

impl Type {
    fn accepts(self, value: &Value) -> bool {
        matches!(
            (self, value),
            (Type::Str, Value::Str(_)) | (Type::Int, Value::Int(_)) | (Type::Bool, Value::Bool(_))
        )
    }

    fn example(self) -> &'static str {
        match self {
            Type::Str => "a string in quotes (\"…\")",
            Type::Int => "an integer (640)",
            Type::Bool => "`true` or `false`",
        }
    }
}

pub(super) struct Param {
    name: &'static str,
    kind: Type,
    required: bool,
}

const fn param(name: &'static str, kind: Type, required: bool) -> Param {
    Param {
        name,
        kind,
        required,
    }
}

/// Whether a shortcode is called with a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Body {
    Required,
    Optional,
}

pub(super) struct Builtin {
    name: &'static str,
    params: &'static [Param],
    body: Body,
    /// The shortcode whose body it must be directly in.
    inside: Option<&'static str>,
}

const BUILTINS: [Builtin; 4] = [
    Builtin {
        name: "tabs",
        params: &[param("sync", Type::Str, false)],
        body: Body::Required,
        inside: None,
    },
    Builtin {
        name: "tab",
        params: &[param("label", Type::Str, true)],
        body: Body::Required,
        inside: Some("tabs"),
    },
    Builtin {
        name: "figure",
        params: &[
            param("src", Type::Str, true),
            param("alt", Type::Str, false),
            param("decorative", Type::Bool, false),
            param("caption", Type::Str, false),
            param("width", Type::Int, false),
            param("height", Type::Int, false),
        ],
        body: Body::Optional,
        inside: None,
    },
    Builtin {
        name: "details",
        params: &[
            param("summary", Type::Str, true),
            param("open", Type::Bool, false),
        ],
        body: Body::Required,
        inside: None,
    },
];

/// The built-in named `name`.
pub(super) fn get(name: &str) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|b| b.name == name)
}

impl Builtin {
    /// What is wrong with `call` of this shortcode; `body` says whether it has one and
    /// `parent` which body it is in.
    pub(super) fn check(&self, call: &Call, body: bool, parent: Option<&str>) -> Vec<Warning> {
        let mut problems = Vec::new();
        let names: Vec<&str> = self.params.iter().map(|p| p.name).collect();
        let file = format!("(built-in) templates/shortcodes/{}.html", self.name);
        for arg in &call.args {
            match self.params.iter().find(|p| p.name == arg.key) {
                None => problems.push(unknown_argument(call, arg, &names, &file)),
                Some(param) if !param.kind.accepts(&arg.value) => {
                    problems.push(wrong_type(self.name, param, arg))
                }
                Some(_) => {}
            }
        }
        for param in self.params.iter().filter(|p| p.required) {
            if !call.args.iter().any(|a| a.key == param.name) {
                problems.push(missing(call, param.name, param.kind));
            }
        }
        problems.extend(self.figure_alt(call));
        if self.body == Body::Required && !body {
            problems.push(body_problem(call, self.body == Body::Required));
        }
        if let Some(outer) = self.inside.filter(|outer| parent != Some(*outer)) {
            problems.push(Warning {
                kind: Kind::ShortcodeBody,
                range: call.name_range.clone(),
                message: format!("`{}` must be directly inside `{outer}`", self.name),
                help: Some(format!(
                    "write `{{% {outer}() %}}` before the first `{}` and `{{% end %}}` after the last",
                    self.name
                )),
            });
        }
        problems
    }

    /// A figure needs `alt` unless it is marked decorative.
    fn figure_alt(&self, call: &Call) -> Option<Warning> {
        let has = |key: &str| call.args.iter().any(|a| a.key == key);
        let decorative = call
            .args
            .iter()
            .any(|a| a.key == "decorative" && a.value == Value::Bool(true));
        (self.name == "figure" && !has("alt") && !decorative).then(|| {
            let mut warning = missing(call, "alt", Type::Str);
            warning.help = Some(
                "describe the image for readers who cannot see it: `alt=\"…\"`; for an image that only decorates, write `decorative=true`".to_string(),
            );
            warning
        })
    }
}

fn missing(call: &Call, name: &str, kind: Type) -> Warning {
    Warning {
        kind: Kind::MissingShortcodeArgument,
        range: call.name_range.clone(),
        message: format!("`{}` needs the argument `{name}`", call.name),
        help: Some(format!("add `{name}=` and {}", kind.example())),
    }
}

fn wrong_type(shortcode: &str, param: &Param, arg: &Arg) -> Warning {
    Warning {
        kind: Kind::ShortcodeArgumentType,
        range: arg.value_range.clone(),
        message: format!(
            "`{}` of `{shortcode}` must be {}, not {}",
            param.name,
            param.kind.example(),
            arg.value.type_name()
        ),
        help: None,
    }
}

/// An argument the shortcode does not take, with the closest it does.
pub(super) fn unknown_argument(call: &Call, arg: &Arg, known: &[&str], file: &str) -> Warning {
    let help = match did_you_mean(&arg.key, known.iter().copied()) {
        Some(name) => format!("did you mean `{name}`?"),
        None if known.is_empty() => format!("`{file}` reads no argument"),
        None => format!(
            "`{}` takes {}",
            call.name,
            known
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Warning {
        kind: Kind::UnknownShortcodeArgument,
        range: arg.key_range.clone(),
        message: format!("`{}` has no argument `{}`", call.name, arg.key),
        help: Some(help),
    }
}

/// A call with a body where the shortcode takes none, or without one where it needs it.
pub(super) fn body_problem(call: &Call, needs_body: bool) -> Warning {
    let name = &call.name;
    let (message, help) = match needs_body {
        true => (
            format!("`{name}` wraps Markdown and needs a body"),
            format!("write `{{% {name}(…) %}}`, the Markdown, then `{{% end %}}`"),
        ),
        false => (
            format!("`{name}` takes no body"),
            format!("call it as `{{{{ {name}(…) }}}}`, without `{{% end %}}`"),
        ),
    };
    Warning {
        kind: Kind::ShortcodeBody,
        range: call.name_range.clone(),
        message,
        help: Some(help),
    }
}
