//! Shortcodes: Tera templates a page calls from its Markdown with Zola's syntax,
//! `{{ name(key="v") }}` for a piece of HTML and `{% name(key="v") %}…{% end %}` around
//! Markdown. The templates are folio's built-ins (`tabs`, `tab`, `figure`, `details`,
//! embedded from `templates/shortcodes/`) overlaid by the site's own
//! `templates/shortcodes/NAME.html`, in a Tera instance of their own: a page's text is
//! never evaluated as a template, only the calls in it.
//!
//! How a call becomes HTML without a second Markdown pass, and with every offset exact:
//! [`prepare`] replaces each call, outside code, by an HTML comment or tag of exactly its
//! length, so pulldown-cmark reads the rest of the page as written and hands the
//! Markdown stage an HTML event at the call; the stage renders the call there
//! ([`Shortcodes::render`]) and writes the output as trusted HTML, which the sanitiser
//! of a page's own raw HTML never touches. A body is never rendered apart: the template
//! is rendered once with `body` set to a marker, and its output split at the marker
//! into an opening and a closing fragment, written around the body, which stays Markdown
//! of the page (its links, headings and nested calls work and keep their locations).
//! So a body template must write `{{ body }}` once; Zola's `{{ body | markdown | safe }}`
//! is read as that.
//!
//! Calls are checked before they render: an unknown name, a built-in's unknown, missing
//! or mistyped argument, an argument a site template never reads (Tera lists the
//! variables a template uses), a body where none is read. Each problem is a
//! [`Warning`] at the call, which the pipeline reports as an error (see [`is_error`]).
//! Books (`Flavour::MdBook`) get no shortcodes: their `{{ … }}` belong to other tools.

pub mod args;
mod builtin;
mod figure;
pub mod find;
mod hugo;
mod scan;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use tera::{Context as TeraContext, Tera};

use self::args::{Arg, Value};
use self::builtin::Builtin;
use self::find::{Call, Form};
use crate::diag::{Diagnostics, Kind, did_you_mean};
use crate::markdown::Warning;
use crate::project::Project;
use crate::render::templates::{self, TemplateSource};

pub use figure::images_key;
pub use find::{Found, find, may_have_calls};

/// The folder of a site's shortcode templates, in its `templates/`.
pub const FOLDER: &str = "shortcodes";

/// Every shortcode a site can call, compiled.
pub struct Shortcodes {
    tera: Tera,
    /// By name: what the call may pass and whether it takes a body.
    known: BTreeMap<String, Known>,
    fingerprint: u128,
}

/// A shortcode template and what a call of it is checked against.
struct Known {
    /// The template file, for messages: `templates/shortcodes/tabs.html`.
    file: String,
    /// The built-in's arguments, when the site did not replace it.
    builtin: Option<&'static Builtin>,
    /// The variables a site template reads.
    reads: HashSet<String>,
}

/// Where a page is, for what a call resolves relative to it.
pub struct Page<'a> {
    /// The content folder on disk, where `figure` reads image sizes; none reads nothing.
    pub content_dir: Option<&'a Path>,
    /// The page's content path: `guide/setup.md`.
    pub content_path: &'a str,
}

/// A call's output: an inline call's HTML is all `open`; a body call's template output
/// is split around the body.
#[derive(Debug, Default)]
pub struct Output {
    pub open: String,
    pub close: String,
}

impl Shortcodes {
    /// The built-in shortcodes, overlaid by those in the site's
    /// `templates/shortcodes/`; a template that does not compile is reported and left out.
    pub fn load(project: &Project, diagnostics: &mut Diagnostics) -> Self {
        let mut sources: BTreeMap<String, TemplateSource> = BTreeMap::new();
        for source in builtin_sources().chain(site_sources(project, diagnostics)) {
            sources.insert(source.name.clone(), source);
        }
        Self::compile(sources.into_values().collect(), diagnostics)
    }

    /// Only folio's built-ins.
    pub fn builtins() -> Self {
        Self::compile(builtin_sources().collect(), &mut Diagnostics::new())
    }

    fn compile(sources: Vec<TemplateSource>, diagnostics: &mut Diagnostics) -> Self {
        let mut tera = Tera::new();
        crate::render::filters::register_for_shortcodes(&mut tera);
        let failed: Vec<String> = templates::compile(&mut tera, &sources)
            .into_iter()
            .map(|(name, diagnostic)| {
                diagnostics.push(diagnostic);
                name
            })
            .collect();
        let mut parts: Vec<&[u8]> = Vec::new();
        let mut known = BTreeMap::new();
        for source in sources.iter().filter(|s| !failed.contains(&s.name)) {
            parts.extend([source.name.as_bytes(), source.text.as_bytes()]);
            let Some(name) = source.name.strip_suffix(".html") else {
                continue;
            };
            let reads = tera
                .get_template_variables(&source.name)
                .map(|vars| vars.into_iter().map(str::to_string).collect())
                .unwrap_or_default();
            let builtin = match source.file.starts_with(BUILTIN_FILE) {
                true => builtin::get(name),
                false => None,
            };
            known.insert(
                name.to_string(),
                Known {
                    file: source.file.clone(),
                    builtin,
                    reads,
                },
            );
        }
        let fingerprint = crate::memo::key(parts);
        Self {
            tera,
            known,
            fingerprint,
        }
    }

    /// A hash of every template: a page's rendered Markdown depends on it.
    pub fn fingerprint(&self) -> u128 {
        self.fingerprint
    }

    /// The names a page can call.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.known.keys().map(String::as_str)
    }

    /// What is wrong with `call` (the `index`th of `calls`), each at its place.
    pub fn check(&self, calls: &[Call], index: usize) -> Vec<Warning> {
        let call = &calls[index];
        let Some(known) = self.known.get(&call.name) else {
            return vec![self.unknown(call)];
        };
        let body = matches!(call.form, Form::Open { .. });
        let parent = call.parent.map(|p| calls[p].name.as_str());
        match known.builtin {
            Some(builtin) => builtin.check(call, body, parent),
            None => check_site_call(known, call, body),
        }
    }

    fn unknown(&self, call: &Call) -> Warning {
        let names: Vec<&str> = self.names().collect();
        let suggestion = match did_you_mean(&call.name, names.iter().copied()) {
            Some(name) => format!("did you mean `{name}`? "),
            None => String::new(),
        };
        Warning {
            kind: Kind::UnknownShortcode,
            range: call.name_range.clone(),
            message: format!("unknown shortcode `{}`", call.name),
            help: Some(format!(
                "{suggestion}shortcodes are {}, and the site's own templates in `templates/{FOLDER}/NAME.html`; to show the call as text, write `{{{{/* {}(…) */}}}}`",
                names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                call.name
            )),
        }
    }

    /// Renders a checked call, the `nth` of its name on the page. `link` turns a
    /// destination written at a range of the page into the placeholder of its URL.
    pub fn render(
        &self,
        call: &Call,
        nth: usize,
        page: &Page,
        link: &mut dyn FnMut(&str, std::ops::Range<usize>) -> String,
    ) -> Result<Output, Warning> {
        let mut context = TeraContext::new();
        for Arg { key, value, .. } in &call.args {
            context.insert(key.clone(), value);
        }
        context.insert("nth", &nth);
        if call.name == "figure"
            && self
                .known
                .get("figure")
                .is_some_and(|k| k.builtin.is_some())
        {
            figure::prepare(call, page, &mut context, link);
        }
        let marker = format!(
            "folio{:016x}body",
            xxhash_rust::xxh3::xxh3_64(call.name.as_bytes()) ^ call.range.start as u64
        );
        let body = matches!(call.form, Form::Open { .. });
        if body {
            context.insert("body", &marker);
        }
        let name = format!("{}.html", call.name);
        let mut html = self
            .tera
            .render(&name, &context)
            .map_err(|error| self.render_error(call, &error))?;
        // A template file's last line break is no part of what it writes.
        html.truncate(html.trim_end_matches(['\n', '\r']).len());
        if !body {
            return Ok(Output {
                open: html,
                close: String::new(),
            });
        }
        split(&html, &marker).ok_or_else(|| Warning {
            kind: Kind::ShortcodeRender,
            range: call.range.clone(),
            message: format!(
                "the template of `{}` does not write its body exactly once",
                call.name
            ),
            help: Some(format!(
                "write `{{{{ body }}}}` once in `{}`",
                self.known.get(&call.name).map_or("", |k| k.file.as_str())
            )),
        })
    }

    fn render_error(&self, call: &Call, error: &tera::Error) -> Warning {
        let file = self.known.get(&call.name).map_or("", |k| k.file.as_str());
        Warning {
            kind: Kind::ShortcodeRender,
            range: call.range.clone(),
            message: format!(
                "shortcode `{}` failed: {}",
                call.name,
                templates::error_message(error)
            ),
            help: Some(format!("the template is `{file}`")),
        }
    }
}

/// Whether a problem of this kind fails the build: all shortcode problems do but a
/// Hugo call, which is shown as text.
pub fn is_error(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::UnknownShortcode
            | Kind::ShortcodeSyntax
            | Kind::UnknownShortcodeArgument
            | Kind::MissingShortcodeArgument
            | Kind::ShortcodeArgumentType
            | Kind::ShortcodeBody
            | Kind::ShortcodeRender
            | Kind::UnclosedShortcode
            | Kind::StrayShortcodeEnd
    )
}

/// The template output split at the body's marker, which must be there once
/// (`<p>marker</p>`, what Zola's `body | markdown` makes of it, counts as the marker).
fn split(html: &str, marker: &str) -> Option<Output> {
    let wrapped = format!("<p>{marker}</p>");
    let html = html.replace(&wrapped, marker);
    let (open, close) = html.split_once(marker)?;
    (!close.contains(marker)).then(|| Output {
        open: open.to_string(),
        close: close.to_string(),
    })
}

/// A site template's call: every argument must be a variable the template reads.
fn check_site_call(known: &Known, call: &Call, body: bool) -> Vec<Warning> {
    let mut problems = Vec::new();
    for arg in &call.args {
        if known.reads.contains(&arg.key) {
            continue;
        }
        let reads = known
            .reads
            .iter()
            .map(String::as_str)
            .filter(|v| !matches!(*v, "body" | "nth"));
        let mut reads: Vec<&str> = reads.collect();
        reads.sort_unstable();
        problems.push(builtin::unknown_argument(call, arg, &reads, &known.file));
    }
    if body && !known.reads.contains("body") {
        problems.push(builtin::body_problem(call, false));
    }
    problems
}

/// How the built-in templates are named in messages.
const BUILTIN_FILE: &str = "(built-in) ";

fn builtin_sources() -> impl Iterator<Item = TemplateSource> {
    let prefix = format!("{FOLDER}/");
    crate::embedded::files(&crate::embedded::TEMPLATES)
        .into_iter()
        .filter_map(move |(path, bytes)| {
            let name = path.strip_prefix(&prefix)?.to_string();
            Some(TemplateSource {
                file: format!("{BUILTIN_FILE}templates/{path}"),
                name,
                text: String::from_utf8_lossy(bytes).into_owned(),
            })
        })
}

fn site_sources(project: &Project, diagnostics: &mut Diagnostics) -> Vec<TemplateSource> {
    let folder: PathBuf = project.templates_dir.join(FOLDER);
    if !folder.is_dir() {
        return Vec::new();
    }
    templates::site_templates(&project.root, &folder, diagnostics)
        .into_iter()
        .filter(|source| !source.name.contains('/') && source.name.ends_with(".html"))
        .collect()
}

/// `body` with every call that the Markdown stage renders replaced by an HTML comment or
/// tag of the same length, so the parser reads everything else as written (see the
/// module's documentation).
pub fn prepare(body: &str, calls: &[Call]) -> String {
    let mut prepared = body.as_bytes().to_vec();
    for call in calls {
        let range = call.range.clone();
        let (open, close): (&[u8], &[u8]) = match block_form(body, call) {
            true => (b"<!--", b"-->"),
            false => (b"<fsc", b">"),
        };
        let slot = &mut prepared[range];
        for byte in slot.iter_mut().filter(|b| **b != b'\n') {
            *byte = b' ';
        }
        slot[..open.len()].copy_from_slice(open);
        let end = slot.len() - close.len();
        slot[end..].copy_from_slice(close);
    }
    // Only whole UTF-8 sequences were replaced, by ASCII.
    String::from_utf8(prepared).unwrap_or_else(|_| body.to_string())
}

/// Whether the call stands as a block of its own: a body's start or end alone on its
/// line, or an inline call alone on its line after a blank one. An HTML comment there
/// makes pulldown-cmark end any paragraph and start the next line afresh; anywhere else
/// the call is inline HTML.
fn block_form(body: &str, call: &Call) -> bool {
    let line_start = body[..call.range.start].rfind('\n').map_or(0, |at| at + 1);
    let before = &body[line_start..call.range.start];
    let after = body[call.range.end..]
        .split('\n')
        .next()
        .unwrap_or_default();
    let blank = |text: &str| text.chars().all(|c| c.is_whitespace() || c == '>');
    if !blank(before) || !after.trim().is_empty() {
        return false;
    }
    match call.form {
        Form::Inline | Form::Escape(_) => {
            let previous = body[..line_start.saturating_sub(1)].rsplit('\n').next();
            line_start == 0 || previous.is_none_or(blank)
        }
        Form::Open { .. } | Form::End => true,
    }
}

impl Value {
    /// The value as a string, when it is one.
    fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(text) => Some(text),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests;
