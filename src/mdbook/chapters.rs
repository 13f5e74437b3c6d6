//! A book's chapters through mdBook's preprocessing, in the order book.toml gives it:
//! the built-in `links` (folio's own [`crate::includes`]) and `index`, and
//! the book's own preprocessors, which receive the whole book as mdBook's JSON and send
//! it back. Most books have none of their own: their chapters are only expanded, each
//! on its own, in parallel, and never turned into mdBook's `Book`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use mdbook_preprocessor::book::{Book, BookItem, Chapter as BookChapter, SectionNumber};
use rayon::prelude::*;

use super::preprocess::{Builtin, Plan};
use super::summary::{Outline, TocItem};
use crate::diag::Diagnostic;
use crate::includes::{self, Expansion};

/// One chapter's file as read: its path in the source folder, its path from the book
/// root (for diagnostics and includes) and its text.
pub struct Raw {
    pub path: String,
    pub file: PathBuf,
    pub text: String,
}

/// A chapter's Markdown after preprocessing, when it differs from the file's text.
pub type Processed = Option<Expansion>;

/// Runs `plan` over the chapters `raw` (in `outline` order) and returns each chapter's
/// processed body, in the same order, with what the run found.
pub fn process(
    root: &Path,
    plan: Plan,
    outline: &Outline,
    raw: &[Raw],
) -> (Vec<Processed>, Vec<Diagnostic>) {
    let links = plan.runs(Builtin::Links);
    let builtins_only = plan
        .names()
        .all(|name| Builtin::Links.name() == name || Builtin::Index.name() == name);
    if builtins_only {
        let expanded: Vec<Processed> = raw
            .par_iter()
            .map(|chapter| links.then(|| expand(root, chapter)).flatten())
            .collect();
        let diagnostics = (expanded.iter().flatten())
            .flat_map(|e| e.diagnostics.clone())
            .collect();
        return (expanded, diagnostics);
    }
    run_with_commands(root, plan, outline, raw)
}

/// The chapter's links helpers expanded, when it has any.
fn expand(root: &Path, chapter: &Raw) -> Processed {
    let expansion = includes::expand(root, &chapter.file, &chapter.text);
    (expansion.text != chapter.text || !expansion.diagnostics.is_empty()).then_some(expansion)
}

/// The whole book through every preprocessor, the built-ins at their turn.
fn run_with_commands(
    root: &Path,
    plan: Plan,
    outline: &Outline,
    raw: &[Raw],
) -> (Vec<Processed>, Vec<Diagnostic>) {
    let source = Source {
        outline,
        texts: raw.iter().map(|r| (r.path.as_str(), r)).collect(),
    };
    let texts = &source.texts;
    let book = Book::new_with_items(items(&outline.toc, &source, &[]));
    let mut expansions: HashMap<String, Expansion> = HashMap::new();
    let outcome = plan.run(root, book, |builtin, mut book| {
        if builtin == Builtin::Links {
            book.for_each_chapter_mut(|chapter| {
                let Some(path) = chapter
                    .source_path
                    .as_ref()
                    .map(|p| crate::diag::display_path(p))
                else {
                    return;
                };
                let Some(raw) = texts.get(path.as_str()) else {
                    return;
                };
                let expansion = includes::expand(root, &raw.file, &chapter.content);
                chapter.content.clone_from(&expansion.text);
                expansions.insert(path, expansion);
            });
        }
        Ok(book)
    });
    let (book, mut diagnostics) = match outcome {
        Ok(done) => done,
        Err(errors) => return (vec![None; raw.len()], errors),
    };
    diagnostics.extend(expansions.values().flat_map(|e| e.diagnostics.clone()));
    let mut finals: HashMap<String, String> = book
        .chapters()
        .filter_map(|c| {
            Some((
                crate::diag::display_path(c.source_path.as_ref()?),
                c.content.clone(),
            ))
        })
        .collect();
    let processed = raw
        .iter()
        .map(|chapter| {
            let text = finals
                .remove(&chapter.path)
                .unwrap_or_else(|| chapter.text.clone());
            match expansions.remove(&chapter.path) {
                Some(expansion) if expansion.text == text => Some(expansion),
                _ if text == chapter.text => None,
                _ => Some(Expansion::rewritten(text, chapter.text.len())),
            }
        })
        .collect();
    (processed, diagnostics)
}

/// The table of contents as mdBook's book items, each chapter with its file's text
/// (a chapter whose file could not be read gets none).
fn items(toc: &[TocItem], book: &Source, parents: &[String]) -> Vec<BookItem> {
    toc.iter()
        .map(|item| match item {
            TocItem::Chapter {
                name,
                number,
                chapter,
                children,
            } => {
                let mut nested = parents.to_vec();
                nested.push(name.clone());
                let mut made = match chapter.map(|i| &book.outline.chapters[i].path) {
                    Some(path) => {
                        let text = book.texts.get(path.as_str()).map_or("", |r| &r.text);
                        BookChapter::new(name, text.to_string(), path, parents.to_vec())
                    }
                    None => BookChapter::new_draft(name, parents.to_vec()),
                };
                made.number = number.clone().map(SectionNumber::new);
                made.sub_items = items(children, book, &nested);
                BookItem::Chapter(made)
            }
            TocItem::Part(title) => BookItem::PartTitle(title.clone()),
            TocItem::Separator => BookItem::Separator,
        })
        .collect()
}

/// What the book's items are made from.
struct Source<'a> {
    outline: &'a Outline,
    texts: HashMap<&'a str, &'a Raw>,
}
