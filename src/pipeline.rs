//! The one pipeline every command runs: content → Markdown → site → templates → plan,
//! then the check that no two files of the plan share a path. `build` writes what it
//! returns, `serve` serves it, `check` renders it in memory; none of them assembles
//! the end of the pipeline its own way. Every stage runs even when an earlier one
//! found errors, so one run reports them all; nothing here writes anything.

use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::SiteLanguage;
use crate::content::{self, FrontMatterMemo, Source};
use crate::diag::{Diagnostic, Diagnostics, Kind};
use crate::markdown::{self, Glossary, Highlighter, Rendered};
use crate::mdbook;
use crate::memo::{self, Memo};
use crate::output::plan::{self, File};
use crate::progress::{Phase, Progress, Silent};
use crate::project::Project;
use crate::render::strings::Strings;
use crate::render::{Renderers, templates};
use crate::shortcodes::{self, Shortcodes};
use crate::site;

/// What the pipeline hands a command: the renderer of the frozen site, every file of
/// the site but the search index, and the warnings found on the way.
pub struct Planned {
    pub renderer: Renderers,
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

/// Reads the content and the templates and builds each language's site graph and its
/// renderer; also returns the files the pages include.
fn load(
    project: &Project,
    caches: &Caches,
    progress: &dyn Progress,
    diagnostics: &mut Diagnostics,
) -> (Renderers, Vec<PathBuf>) {
    let (content, found) = read_content(project, caches, progress);
    diagnostics.extend(found);
    let included: Vec<PathBuf> = (content.sources.iter())
        .filter_map(|source| source.expanded.as_ref())
        .flat_map(|expansion| expansion.files.iter().cloned())
        .collect();
    let languages: Arc<[SiteLanguage]> = match &project.book {
        // An mdBook book is one language's.
        Some(_) => project
            .config
            .site_languages()
            .into_iter()
            .take(1)
            .collect(),
        None => project.config.site_languages().into(),
    };
    let (all, views) = split_languages(content, &languages);
    let glossaries: Vec<Glossary> = (views.iter())
        .map(|(view, _)| {
            let (glossary, found) = Glossary::collect(&view.sources);
            diagnostics.extend(found);
            glossary
        })
        .collect();
    let strings = Strings::load(&project.strings_dir, &languages, diagnostics);
    let shortcodes = Shortcodes::load(project, diagnostics);
    let page_context = PageContext {
        options: &markdown_options(project, &strings),
        glossaries: &match project.config.glossary.autolink {
            true => glossaries.clone(),
            false => vec![Glossary::default(); glossaries.len()],
        },
        languages: &languages,
        shortcodes: &shortcodes,
        content_dir: &project.content_dir,
    };
    let sources = all.as_ref().map_or(&views[0].0.sources, |all| &all.sources);
    let rendered = render_markdown(sources, &page_context, caches, progress, diagnostics);
    let template_sources = templates::sources(project, diagnostics);
    let sites = (views.into_iter().zip(glossaries).enumerate())
        .map(|(language, ((view, picked), glossary))| {
            let rendered = picked.iter().map(|&i| Arc::clone(&rendered[i])).collect();
            let config = project.config.for_language(&languages[language]);
            let language = (Arc::clone(&languages), language);
            let (mut site, found) = site::assemble(config, view, rendered, glossary, language);
            diagnostics.extend(found);
            if let Some(book) = &project.book {
                add_book_settings(&mut site, book);
            }
            Arc::new(site)
        })
        .collect();
    let (renderers, found) = Renderers::new(sites, &template_sources, strings);
    diagnostics.extend(found);
    (renderers, included)
}

/// The Markdown options of each language's pages, from book.toml's `[markdown]`: the
/// same but for the alerts' titles, in the language.
fn markdown_options(project: &Project, strings: &[Strings]) -> Vec<markdown::Options> {
    let config = &project.config;
    let flavour = project
        .book
        .as_ref()
        .map_or(markdown::Flavour::Folio, |book| {
            markdown::Flavour::MdBook(book.markdown_flavour())
        });
    (strings.iter())
        .map(|strings| markdown::Options {
            smart_punctuation: config.markdown.smart_punctuation,
            math: config.markdown.math,
            trust_raw_html: config.markdown.trust_raw_html,
            flavour: flavour.clone(),
            alert_titles: strings.alert_titles(),
        })
        .collect()
}

/// Each language's content, the default language's first, with the index in all the
/// content of each of its sources; and all the content, when there is more than one
/// language (with one, it is the first language's).
fn split_languages(
    content: content::Content,
    languages: &[SiteLanguage],
) -> (
    Option<content::Content>,
    Vec<(content::Content, Vec<usize>)>,
) {
    if languages.len() == 1 {
        let all = (0..content.sources.len()).collect();
        return (None, vec![(content, all)]);
    }
    let views = (languages.iter())
        .map(|language| content.for_language((!language.is_default).then_some(&*language.code)))
        .collect();
    (Some(content), views)
}

/// What an mdBook book's book.toml says about its navigation.
fn add_book_settings(site: &mut site::Site, book: &mdbook::config::BookToml) {
    let Some(nav) = site.book.as_mut() else {
        return;
    };
    nav.numbered = !book.html.no_section_label;
    nav.print = book.html.print.enable;
    nav.redirects = book.redirects();
    nav.fragment_redirects = book.fragment_redirects();
    nav.redirects
        .extend(mdbook::load::index_redirect(&site.pages));
    nav.repository_url.clone_from(&book.html.git_repository_url);
    nav.right_to_left = book.book.text_direction() == mdbook::config::TextDirection::RightToLeft;
    nav.dark = book.prefers_dark();
    nav.fold = book.html.fold.enable.then_some(book.html.fold.level);
    nav.unsearched = (site.pages.iter().enumerate())
        .filter(|(_, page)| !book.searchable(&page.content_path))
        .map(|(id, _)| id)
        .collect();
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
            &project.config.content_languages(),
            caches.front_matter.as_ref(),
        ),
    };
    progress.finished();
    read
}

/// What every page's Markdown is rendered with, besides its own text.
struct PageContext<'a> {
    /// Each language's options: its alerts' titles are its own.
    options: &'a [markdown::Options],
    /// Each language's glossary, whose terms its pages link.
    glossaries: &'a [Glossary],
    languages: &'a [SiteLanguage],
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
    let options_keys: Vec<String> = (page_context.options.iter())
        .map(|options| format!("{options:?}"))
        .collect();
    let glossary_keys: Vec<[u8; 16]> = (page_context.glossaries.iter())
        .map(|glossary| glossary.fingerprint().to_le_bytes())
        .collect();
    let shortcodes_key = page_context.shortcodes.fingerprint().to_le_bytes();
    progress.started(Phase::Markdown, Some(sources.len()));
    let rendered: Vec<Arc<Rendered>> = sources
        .par_iter()
        .map(|source| {
            progress.advanced();
            let language = (page_context.languages.iter())
                .position(|l| Some(&l.code) == source.language.as_ref())
                .unwrap_or(0);
            let glossary = &page_context.glossaries[language];
            let options = &page_context.options[language];
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
                        options_keys[language].as_bytes(),
                        &glossary_keys[language],
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
