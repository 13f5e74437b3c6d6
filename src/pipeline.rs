//! The one pipeline every command runs: content → Markdown → site → templates → plan,
//! then the check that no two files of the plan share a path. `build` writes what it
//! returns, `serve` serves it, `check` renders it in memory; none of them assembles
//! the end of the pipeline its own way. Every stage runs even when an earlier one
//! found errors, so one run reports them all; nothing here writes anything.

use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::content::{self, FrontMatterMemo, Source};
use crate::diag::{Diagnostic, Diagnostics, Kind};
use crate::markdown::{self, Glossary, Highlighter, Rendered};
use crate::mdbook;
use crate::memo::{self, Memo};
use crate::output::plan::{self, File};
use crate::progress::{Phase, Progress, Silent};
use crate::project::Project;
use crate::render::{Renderer, templates};
use crate::shortcodes::{self, Shortcodes};
use crate::site;

/// What the pipeline hands a command: the renderer of the frozen site, every file of
/// the site but the search index, and the warnings found on the way.
pub struct Planned {
    pub renderer: Renderer,
    pub files: Vec<File>,
    pub warnings: Diagnostics,
    /// Every file the pages' `{{#include}}`s read, relative to the site folder: a dev
    /// server watches them too.
    pub included: Vec<PathBuf>,
}

/// What one run hands the next: highlighted code blocks always, and in a long-running
/// process also every page's parsed front matter and rendered Markdown, each under a
/// hash of everything it depends on, so an unchanged page costs a lookup and a changed
/// one can never be served stale.
#[derive(Default)]
pub struct Caches {
    pub highlighter: Highlighter,
    front_matter: Option<FrontMatterMemo>,
    markdown: Option<Memo<Arc<Rendered>>>,
}

impl Caches {
    /// For one run: highlighted code from the store a previous build saved.
    pub fn for_build(project: &Project) -> Self {
        Self {
            highlighter: project
                .highlight_store()
                .map_or_else(Highlighter::default, |store| {
                    Highlighter::with_store(&store)
                }),
            ..Self::default()
        }
    }

    /// For a server that rebuilds on every change, starting from the highlighted code
    /// a previous `folio build` saved. The server only reads the store.
    pub fn for_server(project: &Project) -> Self {
        Self {
            front_matter: Some(Memo::new()),
            markdown: Some(Memo::new()),
            ..Self::for_build(project)
        }
    }

    /// Forgets pages and code blocks that the last run did not have.
    pub fn prune(&self) {
        self.highlighter.prune();
        self.front_matter.iter().for_each(Memo::prune);
        self.markdown.iter().for_each(Memo::prune);
    }
}

/// Runs every stage on `project` and plans its files.
pub fn run(project: &Project, caches: &Caches) -> Result<Planned, Diagnostics> {
    run_with_progress(project, caches, &Silent)
}

/// [`run`], telling `progress` how reading the content ([`Phase::Reading`]) and
/// rendering the Markdown ([`Phase::Markdown`]) advance.
pub fn run_with_progress(
    project: &Project,
    caches: &Caches,
    progress: &dyn Progress,
) -> Result<Planned, Diagnostics> {
    let mut diagnostics = project.warnings.clone();
    let (renderer, included) = load(project, caches, progress, &mut diagnostics);
    let files = plan::plan(&renderer, project, &mut diagnostics);
    // After an error the site stage may have kept both of two colliding pages, which
    // it already reported.
    if !diagnostics.has_errors() {
        diagnostics.extend(plan::duplicates(&files, &renderer.site().config));
    }
    let warnings = diagnostics.sorted().into_result()?;
    Ok(Planned {
        renderer,
        files,
        warnings,
        included,
    })
}

/// Reads the content and the templates and builds the site graph and its renderer;
/// also returns the files the pages include.
fn load(
    project: &Project,
    caches: &Caches,
    progress: &dyn Progress,
    diagnostics: &mut Diagnostics,
) -> (Renderer, Vec<PathBuf>) {
    let config = project.config.clone();
    let (content, found) = read_content(project, caches, progress);
    diagnostics.extend(found);
    let markdown_options = markdown::Options {
        smart_punctuation: config.markdown.smart_punctuation,
        math: config.markdown.math,
        trust_raw_html: config.markdown.trust_raw_html,
        flavour: project
            .book
            .as_ref()
            .map_or(markdown::Flavour::Folio, |book| {
                markdown::Flavour::MdBook(book.markdown_flavour())
            }),
    };
    let included: Vec<PathBuf> = (content.sources.iter())
        .filter_map(|source| source.expanded.as_ref())
        .flat_map(|expansion| expansion.files.iter().cloned())
        .collect();
    let (glossary, found) = Glossary::collect(&content.sources);
    diagnostics.extend(found);
    let autolinked = if config.glossary.autolink {
        glossary.clone()
    } else {
        Glossary::default()
    };
    let shortcodes = Shortcodes::load(project, diagnostics);
    let page_context = PageContext {
        options: &markdown_options,
        glossary: &autolinked,
        shortcodes: &shortcodes,
        content_dir: &project.content_dir,
    };
    let rendered = render_markdown(
        &content.sources,
        &page_context,
        caches,
        progress,
        diagnostics,
    );
    let template_sources = templates::sources(project, diagnostics);
    let (mut site, found) = site::assemble(config, content, rendered, glossary);
    diagnostics.extend(found);
    if let (Some(nav), Some(book)) = (site.book.as_mut(), &project.book) {
        nav.numbered = !book.html.no_section_label;
        nav.print = book.html.print.enable;
        nav.redirects = book.redirects();
        nav.fragment_redirects = book.fragment_redirects();
        nav.redirects
            .extend(mdbook::load::index_redirect(&site.pages));
        nav.repository_url.clone_from(&book.html.git_repository_url);
        nav.right_to_left =
            book.book.text_direction() == mdbook::config::TextDirection::RightToLeft;
        nav.dark = book.prefers_dark();
        nav.fold = book.html.fold.enable.then_some(book.html.fold.level);
        nav.unsearched = (site.pages.iter().enumerate())
            .filter(|(_, page)| !book.searchable(&page.content_path))
            .map(|(id, _)| id)
            .collect();
    }
    let (renderer, found) = Renderer::new(Arc::new(site), template_sources);
    diagnostics.extend(found);
    (renderer, included)
}

/// Reads the content folder, or a book's chapters, as [`Phase::Reading`].
fn read_content(
    project: &Project,
    caches: &Caches,
    progress: &dyn Progress,
) -> (content::Content, Diagnostics) {
    progress.started(Phase::Reading, None);
    let read = match &project.book {
        // A book's own preprocessors are other programs, often run through `cargo
        // run`: the syntax definitions load meanwhile, on another thread.
        Some(book) => {
            rayon::join(
                || mdbook::load::load(&project.root, &project.content_dir, book),
                || caches.highlighter.syntax_set(),
            )
            .0
        }
        None => content::load(
            &project.root,
            &project.content_dir,
            &project.config.schema(),
            project.drafts,
            caches.front_matter.as_ref(),
        ),
    };
    progress.finished();
    read
}

/// What every page's Markdown is rendered with, besides its own text.
struct PageContext<'a> {
    options: &'a markdown::Options,
    glossary: &'a Glossary,
    shortcodes: &'a Shortcodes,
    content_dir: &'a std::path::Path,
}

fn render_markdown(
    sources: &[Source],
    page_context: &PageContext,
    caches: &Caches,
    progress: &dyn Progress,
    diagnostics: &mut Diagnostics,
) -> Vec<Arc<Rendered>> {
    let PageContext {
        options, glossary, ..
    } = *page_context;
    let options_key = format!("{options:?}");
    let glossary_key = glossary.fingerprint().to_le_bytes();
    let shortcodes_key = page_context.shortcodes.fingerprint().to_le_bytes();
    progress.started(Phase::Markdown, Some(sources.len()));
    let rendered: Vec<Arc<Rendered>> = sources
        .par_iter()
        .map(|source| {
            progress.advanced();
            let render = || {
                let context = markdown::Context {
                    options,
                    highlighter: &caches.highlighter,
                    glossary,
                    page: &source.content_path,
                    shortcodes: Some(page_context.shortcodes),
                    content_dir: Some(page_context.content_dir),
                };
                Arc::new(markdown::render(source.body(), &context))
            };
            match &caches.markdown {
                Some(memo) => {
                    let page = shortcodes::Page {
                        content_dir: Some(page_context.content_dir),
                        content_path: &source.content_path,
                    };
                    let images_key = shortcodes::images_key(source.body(), &page);
                    let parts = [
                        source.body().as_bytes(),
                        source.content_path.as_bytes(),
                        options_key.as_bytes(),
                        &glossary_key,
                        &shortcodes_key,
                        &images_key,
                    ];
                    memo.get_or_insert_with(memo::key(parts), render)
                }
                None => render(),
            }
        })
        .collect();
    progress.finished();
    for (source, rendered) in sources.iter().zip(&rendered) {
        for warning in &rendered.warnings {
            let range = source.original_range(warning.range.clone());
            // TeX or DOT that does not parse leaves a formula or a diagram unreadable:
            // an error, not advice.
            let severity = match warning.kind {
                Kind::Math | Kind::Diagram => Diagnostic::error,
                kind if shortcodes::is_error(kind) => Diagnostic::error,
                _ => Diagnostic::warning,
            };
            let mut diagnostic = severity(warning.kind, warning.message.clone()).at(
                &source.file,
                &source.text,
                range,
            );
            if let Some(help) = &warning.help {
                diagnostic = diagnostic.help(help);
            }
            diagnostics.push(diagnostic);
        }
    }
    rendered
}
