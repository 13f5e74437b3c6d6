//! mdBook's link helpers as a text pass before Markdown: `{{#include}}`,
//! `{{#rustdoc_include}}`, `{{#playground}}` and `{{#title}}`, expanded as mdBook 0.5.4's
//! built-in `links` preprocessor expands them, so that mdBook books build unchanged and
//! any folio site can include files with the same syntax.
//!
//! The pass is textual, as mdBook's is: directives are expanded inside code spans and code
//! blocks too (that is how books include their listings), and `\{{#…}}` writes a directive
//! out as text. An included file's own directives are expanded relative to its folder.
//! Where mdBook logs a problem, or silently includes nothing, this pass reports a
//! diagnostic located at the directive in the file that holds it, and leaves the
//! directive as written: a missing file or anchor, a range that selects nothing, a path
//! out of the root, a cycle, includes nested deeper than mdBook follows.
//! [`Expansion::original_range`] maps the expanded text back to the text as written, so
//! later stages can locate their own diagnostics.

mod directive;
mod select;
#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::io;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use memchr::memmem;

use self::directive::{Directive, Found, Lines};
use self::select::{Origin, Selection};
use crate::diag::{Diagnostic, Kind, did_you_mean, display_path};

/// How deep includes nest before mdBook stops following them.
const MAX_DEPTH: usize = 10;

/// A text with its directives expanded, and what the expansion found on the way.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expansion {
    /// The text with every directive expanded.
    pub text: String,
    /// The chapter title the last `{{#title …}}` set, as written.
    pub title: Option<String>,
    /// Every file the expansion read or tried to read, relative to the root, sorted: a
    /// change to any of them changes the expansion.
    pub files: Vec<PathBuf>,
    /// Problems, each located at its directive in the file that holds it.
    pub diagnostics: Vec<Diagnostic>,
    /// Each directive of the text as written that was replaced, in order.
    replaced: Vec<Replaced>,
}

/// A directive of the text as written and what took its place in the expanded text.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Replaced {
    original: Range<usize>,
    expanded: Range<usize>,
}

impl Expansion {
    /// A body that a book's own preprocessor rewrote from an original of
    /// `original_len` bytes: where its text came from is unknown, so every range of it
    /// leads to the whole original.
    pub fn rewritten(text: String, original_len: usize) -> Self {
        let expanded = 0..text.len();
        Self {
            text,
            title: None,
            files: Vec::new(),
            diagnostics: Vec::new(),
            replaced: vec![Replaced {
                original: 0..original_len,
                expanded,
            }],
        }
    }

    /// Whether a book's own preprocessor rewrote the text (see [`Expansion::rewritten`]).
    pub fn is_rewritten(&self) -> bool {
        matches!(&self.replaced[..], [only] if only.expanded == (0..self.text.len()))
            && self.title.is_none()
            && self.files.is_empty()
    }

    /// The range of the original text that `range` of the expanded text comes from:
    /// the same text where nothing was expanded, the whole directive where it was.
    pub fn original_range(&self, range: Range<usize>) -> Range<usize> {
        let start = self.original_offset(range.start, false);
        let end = self.original_offset(range.end, true);
        start..end.max(start)
    }

    /// Where `offset` of the expanded text was in the original. An offset inside an
    /// expansion goes to the directive's start, or to its end when it ends a range.
    fn original_offset(&self, offset: usize, ends_range: bool) -> usize {
        let before = self.replaced.partition_point(|replaced| {
            replaced.expanded.start < offset || (!ends_range && replaced.expanded.start == offset)
        });
        let Some(replaced) = before.checked_sub(1).map(|index| &self.replaced[index]) else {
            return offset;
        };
        match (offset < replaced.expanded.end, ends_range) {
            (true, false) => replaced.original.start,
            (true, true) => replaced.original.end,
            (false, _) => replaced.original.end + (offset - replaced.expanded.end),
        }
    }
}

/// Expands the directives of `text`, the text of `file`. `file` is relative to `root` (the
/// book or site folder): included paths are relative to its folder and must stay inside
/// `root`, and diagnostics name files relative to `root`.
pub fn expand(root: &Path, file: &Path, text: &str) -> Expansion {
    if memmem::find(text.as_bytes(), b"{{").is_none() {
        return Expansion {
            text: text.to_owned(),
            ..Expansion::default()
        };
    }
    let mut expander = Expander {
        root,
        canonical_root: None,
        stack: vec![file.to_path_buf()],
        expansion: Expansion::default(),
    };
    let whole_file = [Origin {
        expanded: 0,
        original: 0,
    }];
    let page = Source {
        path: file,
        file_text: text,
        origins: &whole_file,
    };
    let expanded = expander.expand(&page, text, 0);
    let mut expansion = expander.expansion;
    expansion.text = expanded;
    expansion.files.sort();
    expansion.files.dedup();
    expansion
}

/// A text being expanded: a page, or what a directive selected from an included file.
struct Source<'a> {
    /// The file the text comes from, relative to the root.
    path: &'a Path,
    /// That whole file, to locate diagnostics in.
    file_text: &'a str,
    /// Where the text copies the file.
    origins: &'a [Origin],
}

impl Source<'_> {
    /// `diagnostic` located at `range` of the text, in the file.
    fn locate(&self, range: &Range<usize>, diagnostic: Diagnostic) -> Diagnostic {
        let start = select::original_offset(self.origins, range.start);
        let bytes = start..start + range.len();
        diagnostic.at(self.path, self.file_text, bytes)
    }

    /// The folder relative paths written in this file start from.
    fn folder(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new(""))
    }
}

/// Why a directive includes nothing: a diagnostic without its location yet.
type Refusal = Diagnostic;

struct Expander<'a> {
    root: &'a Path,
    /// The root with symbolic links resolved, once a file needs checking against it.
    canonical_root: Option<PathBuf>,
    /// The files being expanded, from the page down: including one of them again is a cycle.
    stack: Vec<PathBuf>,
    /// What is found on the way; its text is set at the end.
    expansion: Expansion,
}

impl Expander<'_> {
    /// `text` with its directives expanded; `depth` counts the includes it is inside.
    fn expand(&mut self, source: &Source, text: &str, depth: usize) -> String {
        let mut expanded = String::with_capacity(text.len());
        let mut copied = 0;
        for found in directive::find(text) {
            let Some(replacement) = self.replacement(source, text, &found, depth) else {
                continue;
            };
            expanded.push_str(&text[copied..found.range.start]);
            let start = expanded.len();
            expanded.push_str(&replacement);
            copied = found.range.end;
            if depth == 0 {
                self.expansion.replaced.push(Replaced {
                    original: found.range,
                    expanded: start..expanded.len(),
                });
            }
        }
        expanded.push_str(&text[copied..]);
        expanded
    }

    /// What replaces `found`, or None (reported) when it stays as written.
    fn replacement<'t>(
        &mut self,
        source: &Source,
        text: &'t str,
        found: &Found<'t>,
        depth: usize,
    ) -> Option<Cow<'t, str>> {
        let included = match &found.directive {
            Directive::Escaped => {
                return Some(Cow::Borrowed(&text[found.range.start + 1..found.range.end]));
            }
            Directive::Title(title) => {
                self.expansion.title = Some((*title).to_string());
                return Some(Cow::Borrowed(""));
            }
            Directive::Include {
                path,
                lines,
                hide_outside,
            } => self.include(source, path, depth, |contents| {
                choose_lines(path, contents, lines, *hide_outside)
            }),
            Directive::Playground {
                path,
                attributes,
                old_name,
            } => {
                if *old_name {
                    self.report(source, &found.range, old_playground_name());
                }
                self.include(source, path, depth, |contents| {
                    Ok(select::playground(contents, attributes))
                })
            }
            Directive::Malformed { name } => Err(malformed(name)),
            Directive::Misspelt { name, meant } => Err(misspelt(name, meant)),
        };
        included
            .map(Cow::Owned)
            .map_err(|refusal| self.report(source, &found.range, refusal))
            .ok()
    }

    fn report(&mut self, source: &Source, range: &Range<usize>, diagnostic: Diagnostic) {
        let located = source.locate(range, diagnostic);
        self.expansion.diagnostics.push(located);
    }

    /// The file at `path` (as written in `source`), as `choose` selects it, with its own
    /// directives expanded.
    fn include(
        &mut self,
        source: &Source,
        path: &str,
        depth: usize,
        choose: impl FnOnce(&str) -> Result<Selection, Refusal>,
    ) -> Result<String, Refusal> {
        let target = self.target(source, path, depth)?;
        let contents = self.read(&target, path)?;
        let selection = choose(&contents)?;
        let included = Source {
            path: &target,
            file_text: &contents,
            origins: &selection.origins,
        };
        self.stack.push(target.clone());
        let expanded = self.expand(&included, &selection.text, depth + 1);
        self.stack.pop();
        Ok(expanded)
    }

    /// The file `path` names, relative to the root, if it may be included from `source`.
    fn target(&self, source: &Source, path: &str, depth: usize) -> Result<PathBuf, Refusal> {
        let target = inside(&source.folder().join(path)).ok_or_else(|| {
            Diagnostic::error(
                Kind::IncludeOutside,
                format!("cannot include `{path}`: it leads out of the site folder"),
            )
            .help("included files must be inside the folder that holds book.toml")
        })?;
        if let Some(at) = self.stack.iter().position(|file| *file == target) {
            let cycle: Vec<String> = self.stack[at..]
                .iter()
                .chain([&target])
                .map(|file| display_path(file))
                .collect();
            return Err(Diagnostic::error(
                Kind::IncludeCycle,
                format!(
                    "`{}` includes itself: {}",
                    display_path(&target),
                    cycle.join(" → ")
                ),
            ));
        }
        if depth >= MAX_DEPTH {
            return Err(Diagnostic::error(
                Kind::IncludeTooDeep,
                format!("cannot include `{path}`: includes nest more than {MAX_DEPTH} deep"),
            )
            .help(format!(
                "mdBook follows at most {MAX_DEPTH} levels of includes"
            )));
        }
        Ok(target)
    }

    /// The text of `target`, noted among the files read.
    fn read(&mut self, target: &Path, written: &str) -> Result<String, Refusal> {
        self.expansion.files.push(target.to_path_buf());
        let full = self.root.join(target);
        let contents =
            std::fs::read_to_string(&full).map_err(|error| unreadable(target, written, &error))?;
        if !self.is_inside_root(&full) {
            return Err(Diagnostic::error(
                Kind::IncludeOutside,
                format!("cannot include `{written}`: it is a link out of the site folder"),
            ));
        }
        Ok(contents)
    }

    /// Whether `path`, with symbolic links resolved, is inside the root.
    fn is_inside_root(&mut self, path: &Path) -> bool {
        let root = self.canonical_root.get_or_insert_with(|| {
            self.root
                .canonicalize()
                .unwrap_or_else(|_| self.root.to_path_buf())
        });
        path.canonicalize().is_ok_and(|path| path.starts_with(root))
    }
}

/// The lines of `contents` that `lines` selects, the others hidden when `hide_outside`.
fn choose_lines(
    path: &str,
    contents: &str,
    lines: &Lines,
    hide_outside: bool,
) -> Result<Selection, Refusal> {
    match lines {
        Lines::Numbers(range) => match range.lines(select::line_count(contents)) {
            Ok(range) => Ok(select::by_numbers(contents, range, hide_outside)),
            Err(problem) => Err(Diagnostic::error(
                Kind::IncludeRange,
                format!("cannot include lines of `{path}`: {problem}"),
            )),
        },
        Lines::Anchor(anchor) => select::by_anchor(contents, anchor, hide_outside).ok_or_else(|| {
            let names = select::anchor_names(contents);
            let missing = Diagnostic::error(
                Kind::IncludeAnchor,
                format!("`{path}` has no anchor `{anchor}`"),
            );
            match did_you_mean(anchor, names) {
                Some(name) => missing.help(format!("did you mean `{name}`?")),
                None => missing.help(format!(
                    "an anchor is a line with `ANCHOR: {anchor}`, ended by one with `ANCHOR_END: {anchor}`"
                )),
            }
        }),
    }
}

/// A directive under the name mdBook replaced: it still works.
fn old_playground_name() -> Diagnostic {
    Diagnostic::warning(
        Kind::IncludeSyntax,
        "`{{#playpen}}` is the old name of `{{#playground}}`",
    )
    .help("write `{{#playground …}}`")
}

/// A name mdBook does not know, close to `meant`: mdBook leaves it as text.
fn misspelt(name: &str, meant: &str) -> Diagnostic {
    Diagnostic::warning(
        Kind::IncludeSyntax,
        format!("unknown directive `{{{{#{name}}}}}`, left as text"),
    )
    .help(format!("did you mean `{{{{#{meant}}}}}`?"))
}

/// Why a known directive could not be read. A warning: mdBook leaves such text as it is,
/// and a book may mean it as text.
fn malformed(name: &str) -> Diagnostic {
    let example = match name {
        "title" => "{{#title The Title}}".to_string(),
        _ => format!("{{{{#{name} path/to/file}}}}"),
    };
    Diagnostic::warning(
        Kind::IncludeSyntax,
        format!("cannot read this `{{{{#{name}}}}}`: it needs an argument and a closing `}}}}`"),
    )
    .help(format!(
        "write `{example}`, or `\\{example}` to show it as text"
    ))
}

/// Why `target` (written `written`) could not be read.
fn unreadable(target: &Path, written: &str, error: &io::Error) -> Diagnostic {
    let target = display_path(target);
    match error.kind() {
        io::ErrorKind::NotFound => Diagnostic::error(
            Kind::IncludeMissing,
            format!("cannot include `{written}`: `{target}` does not exist"),
        )
        .help("included paths are relative to the folder of the file that includes them"),
        io::ErrorKind::InvalidData => Diagnostic::error(
            Kind::NotUtf8,
            format!("cannot include `{written}`: `{target}` is not UTF-8 text"),
        ),
        _ => Diagnostic::error(
            Kind::Unreadable,
            format!("cannot include `{written}`: `{target}` cannot be read: {error}"),
        ),
    }
}

/// `path` with `.` and `..` resolved, or None when it is absolute or climbs out of the
/// folder it is relative to.
fn inside(path: &Path) -> Option<PathBuf> {
    let mut resolved = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::Normal(name) => resolved.push(name),
            Component::ParentDir => {
                if !resolved.pop() {
                    return None;
                }
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(resolved)
}
