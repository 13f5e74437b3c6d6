//! The render stage: one Tera environment, compiled once per build, that turns each
//! output of the frozen site (a page, a section, a taxonomy, the 404 page, the print
//! page, and the files made for machines: sitemap, feed, robots.txt, redirects) into
//! text through a template the site can replace.
//! Rendering an output is a pure function of the site, so `build` can stream outputs to
//! disk in parallel and `serve` can render any of them on request.

mod book;
mod charts;
pub mod filters;
pub mod functions;
mod generated;
mod print;
pub mod strings;
pub mod templates;
pub mod views;

use std::collections::HashSet;
use std::sync::Arc;

use rayon::prelude::*;

use tera::{Context, Tera, Value};

use crate::diag::{Diagnostic, Diagnostics, Kind};
use crate::site::{PageId, SectionId, Site, translations};
use strings::Strings;
pub use templates::TemplateSource;
use views::{NavView, PageView, SectionView, SiteView, TaxonomyView, TermPagesView};

/// One file of the site that a template renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    Page(PageId),
    Section(SectionId),
    Taxonomy(usize),
    Term(usize, usize),
    NotFound,
    /// Every page in reading order on one page, for printing (`/print/`).
    Print,
    Sitemap,
    /// The Atom feed, when the site has dated pages.
    Feed,
    Robots,
    /// The redirect page of `site.aliases[N]`.
    Alias(usize),
    /// A book's table of contents as a page (`toc.html`), for readers without scripts.
    BookToc,
    /// A book's table of contents as the script that fills every chapter's sidebar.
    BookTocScript,
    /// The redirect page of a book's `[output.html.redirect]` entry N.
    BookRedirect(usize),
}

impl Output {
    /// Whether this is a page for readers, rather than a file for machines (the
    /// sitemap, the feed, robots.txt, a redirect).
    pub fn is_page(self) -> bool {
        !matches!(
            self,
            Output::Sitemap
                | Output::Feed
                | Output::Robots
                | Output::Alias(_)
                | Output::BookTocScript
                | Output::BookRedirect(_)
        )
    }

    /// Whether folio makes this file on its own account, so that a file of the site's
    /// at the same path replaces it (a `robots.txt` of its own, say) instead of being
    /// an error.
    pub fn is_generated(self) -> bool {
        matches!(
            self,
            Output::NotFound
                | Output::Print
                | Output::Sitemap
                | Output::Feed
                | Output::Robots
                | Output::BookToc
                | Output::BookTocScript
        )
    }
}

/// The templates every site renders with.
const REQUIRED_TEMPLATES: [&str; 13] = [
    "page.html",
    "section.html",
    "index.html",
    "taxonomy.html",
    "term.html",
    "404.html",
    "print.html",
    "sitemap.xml",
    "atom.xml",
    "robots.txt",
    "alias.html",
    "toc.html",
    "toc.js",
];

/// The renderers of every language's site, the default language's first. The
/// templates are compiled once; each language gets a copy that knows its own site.
pub struct Renderers(Vec<Renderer>);

impl Renderers {
    /// Prepares rendering of `sites` (the default language's first), and reports every
    /// template a page asks for that does not exist.
    pub fn new(
        sites: Arc<[Arc<Site>]>,
        sources: &[TemplateSource],
        strings: Vec<Strings>,
    ) -> (Self, Diagnostics) {
        let mut diagnostics = Diagnostics::new();
        let strings: Vec<Arc<Strings>> = strings.into_iter().map(Arc::new).collect();
        let mut tera = Tera::new();
        functions::register(&mut tera, &sites[0]);
        strings[0].register(&mut tera);
        let failed = templates::compile(&mut tera, sources);
        let failed_names: HashSet<String> = failed
            .iter()
            .map(|(name, _)| {
                name.trim_start_matches(templates::DEFAULT_PREFIX)
                    .to_string()
            })
            .collect();
        for site in sites.iter() {
            diagnostics.extend(Renderer::relevant_failures(site, failed.clone()));
        }
        let sources: Arc<[TemplateSource]> = sources.to_vec().into();
        let renderers: Vec<Renderer> = (0..sites.len())
            .map(|language| {
                let mut tera = tera.clone();
                functions::register(&mut tera, &sites[language]);
                strings[language].register(&mut tera);
                let words = strings[language].script_words();
                // Written into every page: encoded once per language, not per page.
                let json = serde_json::to_string(&words)
                    .unwrap_or_default()
                    .replace("</", "<\\/");
                tera.global_context().insert("theme_strings", &words);
                tera.global_context().insert("theme_strings_json", &json);
                tera.global_context()
                    .insert("strings", strings[language].words());
                Renderer::new(tera, Arc::clone(&sites), language, Arc::clone(&sources))
            })
            .collect();
        for renderer in &renderers {
            diagnostics.extend(renderer.check_templates(&failed_names));
        }
        (Self(renderers), diagnostics)
    }

    /// The default language's site.
    pub fn site(&self) -> &Site {
        self.0[0].site()
    }

    /// Every language's site, the default language's first.
    pub fn sites(&self) -> impl Iterator<Item = &Site> {
        self.0.iter().map(Renderer::site)
    }

    /// The renderer of the site of `language`, by index into the site's languages.
    pub fn language(&self, language: usize) -> &Renderer {
        &self.0[language]
    }

    /// Every output of every language, with the language's index and the path it is
    /// written to, as URL segments ending in the file name.
    pub fn outputs(&self) -> Vec<(Vec<String>, usize, Output)> {
        (self.0.iter().enumerate())
            .flat_map(|(language, renderer)| {
                (renderer.outputs().into_iter()).map(move |(path, output)| (path, language, output))
            })
            .collect()
    }
}

pub struct Renderer {
    tera: Tera,
    site: Arc<Site>,
    /// Every language's site, for the links from a page to its translations.
    sites: Arc<[Arc<Site>]>,
    sources: Arc<[TemplateSource]>,
    /// Each section's view, shared by the pages of the section (their sidebar).
    section_values: Vec<Value>,
}

impl Renderer {
    /// Prepares rendering of `sites[language]` with `tera`, its templates compiled.
    fn new(
        mut tera: Tera,
        sites: Arc<[Arc<Site>]>,
        language: usize,
        sources: Arc<[TemplateSource]>,
    ) -> Self {
        let site = Arc::clone(&sites[language]);
        tera.global_context().insert("site", &SiteView::new(&site));
        let section_values = (0..site.sections.len())
            .into_par_iter()
            .map(|id| to_value(&SectionView::new(&site, id)))
            .collect();
        Self {
            tera,
            site,
            sites,
            sources,
            section_values,
        }
    }

    pub fn site(&self) -> &Site {
        &self.site
    }

    /// Every output and the path it is written to, as URL segments ending in the file
    /// name. The sitemap, listing every language, and robots.txt are the default
    /// language's; each language has its own 404 page and feed.
    pub fn outputs(&self) -> Vec<(Vec<String>, Output)> {
        let site = &self.site;
        let mut outputs = Vec::with_capacity(site.pages.len() + site.sections.len() + 8);
        match site.book {
            Some(_) => self.chapter_outputs(&mut outputs),
            None => self.folder_outputs(&mut outputs),
        }
        let file = |path: String, output| {
            let segments = path.trim_start_matches('/').split('/');
            (segments.map(str::to_string).collect(), output)
        };
        outputs.push(file(site.in_language("/404.html"), Output::NotFound));
        if site.language().is_default {
            outputs.push(file("/sitemap.xml".into(), Output::Sitemap));
            outputs.push(file("/robots.txt".into(), Output::Robots));
        }
        if site.has_feed() {
            outputs.push(file(site.feed_path(), Output::Feed));
        }
        outputs
    }

    /// A site's sections, pages and taxonomies, each an `index.html` in a folder of
    /// its own, with its aliases and the print page.
    fn folder_outputs(&self, outputs: &mut Vec<(Vec<String>, Output)>) {
        let site = &self.site;
        let folder = |segments: &[String], output| {
            let mut path = segments.to_vec();
            path.push("index.html".into());
            (path, output)
        };
        for (id, section) in site.sections.iter().enumerate() {
            outputs.push(folder(&section.segments, Output::Section(id)));
        }
        for (id, page) in site.pages.iter().enumerate() {
            if !page.is_section_page {
                outputs.push(folder(&page.segments, Output::Page(id)));
            }
        }
        for (t, taxonomy) in site.taxonomies.iter().enumerate() {
            outputs.push(folder(&taxonomy.segments, Output::Taxonomy(t)));
            for (i, term) in taxonomy.terms.iter().enumerate() {
                outputs.push(folder(&term.segments, Output::Term(t, i)));
            }
        }
        for (i, (segments, _)) in site.aliases.iter().enumerate() {
            outputs.push(folder(segments, Output::Alias(i)));
        }
        if site.has_print_page() {
            let mut print = site.language().prefix();
            print.push("print".into());
            outputs.push(folder(&print, Output::Print));
        }
    }

    /// A book's chapters where mdBook writes them, the first one again as `index.html`
    /// when no chapter is written there and it is at the root (as mdBook does; a first
    /// chapter in a folder gets a redirect there instead), its table of contents and its
    /// print page.
    fn chapter_outputs(&self, outputs: &mut Vec<(Vec<String>, Output)>) {
        let site = &self.site;
        for (id, page) in site.pages.iter().enumerate() {
            outputs.push((page.segments.clone(), Output::Page(id)));
        }
        let index = ["index.html".to_string()];
        let first_at_root = site.pages.first().is_some_and(|p| p.segments.len() == 1);
        if first_at_root && !site.pages.iter().any(|p| p.segments == index) {
            outputs.push((index.to_vec(), Output::Page(0)));
        }
        let file = |name: &str, output| (vec![name.to_string()], output);
        outputs.push(file("toc.html", Output::BookToc));
        outputs.push(file("toc.js", Output::BookTocScript));
        if site.has_print_page() {
            outputs.push(file("print.html", Output::Print));
        }
        let redirects = site.book.as_ref().map_or(&[][..], |b| &b.redirects[..]);
        for (i, (segments, _)) in redirects.iter().enumerate() {
            outputs.push((segments.clone(), Output::BookRedirect(i)));
        }
    }

    pub fn render(&self, output: Output) -> Result<String, Diagnostic> {
        let mut context = Context::new();
        let template = match output {
            Output::Page(id) => self.page_context(id, &mut context),
            Output::Section(id) => self.section_context(id, &mut context),
            Output::Taxonomy(t) => self.taxonomy_context(t, None, &mut context),
            Output::Term(t, i) => self.taxonomy_context(t, Some(i), &mut context),
            Output::BookRedirect(_) | Output::BookToc | Output::BookTocScript => {
                self.book_context(output, &mut context)?
            }
            _ => self.generated_context(output, &mut context),
        };
        context.insert("translations", &self.language_links(output));
        self.tera
            .render(template, &context)
            .map_err(|error| self.render_error(&error, output))
    }

    fn page_context(&self, id: PageId, context: &mut Context) -> &str {
        let site = &*self.site;
        context.insert("page", &self.page_view(id));
        if let Some(book) = &site.book {
            let path = &site.pages[id].segments;
            context.insert("fragment_redirects", &book.fragment_redirects_at(path));
        }
        context.insert_value(
            "section",
            self.section_values[site.pages[id].section].clone(),
        );
        context.insert("nav", &NavView::for_page(site, id));
        self.template_of(id, "page.html")
    }

    fn section_context(&self, id: SectionId, context: &mut Context) -> &str {
        let site = &*self.site;
        context.insert_value("section", self.section_values[id].clone());
        context.insert("nav", &NavView::for_section(site, id));
        let default = if id == Site::ROOT {
            "index.html"
        } else {
            "section.html"
        };
        match site.sections[id].page {
            Some(page) => {
                context.insert("page", &self.page_view(page));
                self.template_of(page, default)
            }
            None => default,
        }
    }

    /// A taxonomy's page, or with `term` the page of one of its terms.
    fn taxonomy_context(
        &self,
        taxonomy: usize,
        term: Option<usize>,
        context: &mut Context,
    ) -> &'static str {
        let site = &*self.site;
        let taxonomy = &site.taxonomies[taxonomy];
        context.insert("taxonomy", &TaxonomyView::new(site, taxonomy));
        match term {
            Some(i) => {
                context.insert("term", &TermPagesView::new(site, &taxonomy.terms[i]));
                "term.html"
            }
            None => "taxonomy.html",
        }
    }

    /// The 404 and print pages and the files made for machines.
    fn generated_context(&self, output: Output, context: &mut Context) -> &'static str {
        let site = &*self.site;
        match output {
            Output::Print => {
                context.insert("pages", &print::pages(site));
                "print.html"
            }
            Output::Sitemap => {
                context.insert("entries", &generated::sitemap(&self.sites));
                "sitemap.xml"
            }
            Output::Feed => {
                context.insert("feed", &generated::FeedView::new(site));
                "atom.xml"
            }
            Output::Robots => {
                context.insert("sitemap_url", &site.base.absolute("/sitemap.xml"));
                "robots.txt"
            }
            Output::Alias(i) => {
                let page = &site.pages[site.aliases[i].1];
                context.insert("target", &site.href(&page.url));
                "alias.html"
            }
            _ => "404.html",
        }
    }

    /// An mdBook book's own files: its table of contents and redirect pages.
    fn book_context(
        &self,
        output: Output,
        context: &mut Context,
    ) -> Result<&'static str, Diagnostic> {
        let site = &*self.site;
        let book = site.book.as_ref();
        context.insert("toc", &book::toc(site));
        context.insert("fold", &book.and_then(|b| b.fold));
        Ok(match output {
            Output::BookRedirect(i) => {
                let redirects = book.map_or(&[][..], |b| &b.redirects[..]);
                context.insert("target", &redirects[i].1);
                let fragments = book.and_then(|b| b.fragment_redirects_at(&redirects[i].0));
                context.insert("fragment_redirects", &fragments);
                "alias.html"
            }
            Output::BookTocScript => {
                let list = self
                    .tera
                    .render("partials/book_toc.html", context)
                    .map_err(|error| self.render_error(&error, output))?;
                let json = serde_json::to_string(&list).unwrap_or_default();
                context.insert("toc_json", &json);
                "toc.js"
            }
            _ => "toc.html",
        })
    }

    /// The output in every language's site: a page or section where that site has it
    /// (translated or not), a taxonomy, term or generated page at the same place; the
    /// home page of a language that lacks a term.
    fn language_links(&self, output: Output) -> Vec<views::LanguageLink<'_>> {
        let site = &*self.site;
        let content_path = match output {
            Output::Page(id) => Some(site.pages[id].content_path.as_str()),
            Output::Section(id) => Some(site.sections[id].folder.as_str()),
            _ => None,
        };
        if let Some(content_path) = content_path {
            return (translations(&self.sites, content_path).into_iter())
                .map(|t| {
                    views::LanguageLink::new(
                        &self.sites[t.language],
                        &t.url,
                        t.language == site.language,
                        t.fallback,
                    )
                })
                .collect();
        }
        (self.sites.iter().enumerate())
            .map(|(language, other)| {
                let url = match output {
                    Output::Taxonomy(t) => {
                        other.in_language(&format!("/{}/", site.taxonomies[t].name))
                    }
                    Output::Term(t, i) => {
                        let taxonomy = &site.taxonomies[t];
                        let found = (other.taxonomies.iter())
                            .find(|o| o.name == taxonomy.name)
                            .and_then(|o| o.term(&taxonomy.terms[i].name).map(|t| t.url.clone()));
                        found.unwrap_or_else(|| other.in_language("/"))
                    }
                    Output::Print => other.print_path().unwrap_or_else(|| other.in_language("/")),
                    _ => other.in_language("/"),
                };
                views::LanguageLink::new(other, &url, language == site.language, false)
            })
            .collect()
    }

    /// The view of a page being rendered: with its relation map, where it earns one
    /// and shows whole at the reading width.
    fn page_view(&self, id: PageId) -> PageView<'_> {
        let site = &*self.site;
        let mut view = PageView::new(site, id);
        view.related.map = views::earns_a_map(site, id)
            .then(|| charts::page_map(site, id))
            .filter(|chart| chart.fits_reading_width())
            .map(|chart| chart.svg);
        view
    }

    fn template_of(&self, page: PageId, default: &'static str) -> &str {
        self.site.pages[page]
            .front_matter
            .template
            .as_ref()
            .map_or(default, |t| t.value.as_str())
    }

    fn render_error(&self, error: &tera::Error, output: Output) -> Diagnostic {
        let diagnostic = templates::template_diagnostic(error, &self.sources);
        let page = match output {
            Output::Page(id) => Some(id),
            Output::Section(id) => self.site.sections[id].page,
            _ => None,
        };
        match page {
            Some(id) => diagnostic.help(format!(
                "while rendering {}",
                crate::diag::display_path(&self.site.pages[id].file)
            )),
            None => diagnostic,
        }
    }

    /// The template errors that matter to `site`: all but those of a built-in
    /// template no page asks for (a site's own `page.html` without a `content` block
    /// breaks the built-in `timeline.html`, which only matters to a timeline page).
    fn relevant_failures(
        site: &Site,
        failed: Vec<(String, Diagnostic)>,
    ) -> impl Iterator<Item = Diagnostic> {
        let asked: HashSet<&str> = site
            .pages
            .iter()
            .filter_map(|page| page.front_matter.template.as_ref())
            .map(|template| template.value.as_str())
            .chain(REQUIRED_TEMPLATES)
            .collect();
        let relevant: Vec<Diagnostic> = failed
            .into_iter()
            .filter(|(name, _)| {
                name.strip_prefix(templates::DEFAULT_PREFIX)
                    .is_none_or(|builtin| asked.contains(builtin))
            })
            .map(|(_, diagnostic)| diagnostic)
            .collect();
        relevant.into_iter()
    }

    /// Every template the site needs or a page asks for that does not exist, but for
    /// those that exist and failed to compile (`failed`), already reported.
    fn check_templates(&self, failed: &HashSet<String>) -> Diagnostics {
        let mut diagnostics = Diagnostics::new();
        let missing = |name: &str| !self.tera.contains_template(name) && !failed.contains(name);
        for name in REQUIRED_TEMPLATES {
            if missing(name) {
                diagnostics.push(Diagnostic::error(Kind::MissingTemplate, format!("the template `{name}` is missing")).help("add it to templates/, or remove the file that replaces the default theme's"));
            }
        }
        for page in &self.site.pages {
            let Some(template) = &page.front_matter.template else {
                continue;
            };
            if missing(&template.value) {
                let known = self
                    .tera
                    .get_template_names()
                    .filter(|n| !n.starts_with(templates::DEFAULT_PREFIX));
                let diagnostic = Diagnostic::error(
                    Kind::MissingTemplate,
                    format!("no template named `{}`", template.value),
                )
                .in_file(&page.file)
                .with_position(template.position.clone());
                diagnostics.push(match crate::diag::did_you_mean(&template.value, known) {
                    Some(close) => diagnostic.help(format!("did you mean `{close}`?")),
                    None => diagnostic.help("add it to templates/"),
                });
            }
        }
        diagnostics
    }
}

fn to_value<T: serde::Serialize>(view: &T) -> Value {
    Value::try_from_serializable(view).unwrap_or_else(|_| Value::none())
}
