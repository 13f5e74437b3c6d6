//! The render stage: one Tera environment, compiled once per build, that turns each
//! output of the frozen site (a page, a section, a taxonomy, the 404 page, the print
//! page) into HTML.
//! Rendering an output is a pure function of the site, so `build` can stream outputs to
//! disk in parallel and `serve` can render any of them on request.

mod charts;
mod functions;
mod print;
pub mod templates;
pub mod views;

use std::sync::Arc;

use rayon::prelude::*;

use tera::{Context, Tera, Value};

use crate::diag::{Diagnostic, Diagnostics};
use crate::site::{PageId, SectionId, Site};
pub use templates::TemplateSource;
use views::{NavView, PageView, SectionView, SiteView, TaxonomyView, TermPagesView};

/// One HTML file of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    Page(PageId),
    Section(SectionId),
    Taxonomy(usize),
    Term(usize, usize),
    NotFound,
    /// Every page in reading order on one page, for printing (`/print/`).
    Print,
}

pub struct Renderer {
    tera: Tera,
    site: Arc<Site>,
    sources: Vec<TemplateSource>,
    /// Each section's view, shared by the pages of the section (their sidebar).
    section_values: Vec<Value>,
}

impl Renderer {
    /// Prepares rendering of `site`, and reports every template a page asks for that
    /// does not exist.
    pub fn new(site: Arc<Site>, sources: Vec<TemplateSource>) -> (Self, Diagnostics) {
        let mut diagnostics = Diagnostics::new();
        let mut tera = Tera::new();
        functions::register(&mut tera, &site);
        templates::compile(&mut tera, &sources, &mut diagnostics);
        tera.global_context().insert("site", &SiteView::new(&site));
        let section_values = (0..site.sections.len())
            .into_par_iter()
            .map(|id| to_value(&SectionView::new(&site, id)))
            .collect();
        let renderer = Self {
            tera,
            site,
            sources,
            section_values,
        };
        diagnostics.extend(renderer.check_templates());
        (renderer, diagnostics)
    }

    pub fn site(&self) -> &Site {
        &self.site
    }

    /// Every output and the URL segments it is written under.
    pub fn outputs(&self) -> Vec<(Vec<String>, Output)> {
        let site = &self.site;
        let mut outputs = Vec::with_capacity(site.pages.len() + site.sections.len());
        for (id, section) in site.sections.iter().enumerate() {
            outputs.push((section.segments.clone(), Output::Section(id)));
        }
        for (id, page) in site
            .pages
            .iter()
            .enumerate()
            .filter(|(_, p)| !p.is_section_page)
        {
            outputs.push((page.segments.clone(), Output::Page(id)));
        }
        for (t, taxonomy) in site.taxonomies.iter().enumerate() {
            outputs.push((taxonomy.segments.clone(), Output::Taxonomy(t)));
            for (i, term) in taxonomy.terms.iter().enumerate() {
                outputs.push((term.segments.clone(), Output::Term(t, i)));
            }
        }
        outputs
    }

    pub fn render(&self, output: Output) -> Result<String, Diagnostic> {
        let site = &*self.site;
        let mut context = Context::new();
        let template = match output {
            Output::Page(id) => {
                context.insert("page", &PageView::new(site, id));
                context.insert_value(
                    "section",
                    self.section_values[site.pages[id].section].clone(),
                );
                context.insert("nav", &NavView::for_page(site, id));
                self.template_of(id, "page.html")
            }
            Output::Section(id) => {
                context.insert_value("section", self.section_values[id].clone());
                context.insert("nav", &NavView::for_section(site, id));
                let default = if id == Site::ROOT {
                    "index.html"
                } else {
                    "section.html"
                };
                match site.sections[id].page {
                    Some(page) => {
                        context.insert("page", &PageView::new(site, page));
                        self.template_of(page, default)
                    }
                    None => default,
                }
            }
            Output::Taxonomy(t) => {
                context.insert("taxonomy", &TaxonomyView::new(site, &site.taxonomies[t]));
                "taxonomy.html"
            }
            Output::Term(t, i) => {
                let taxonomy = &site.taxonomies[t];
                context.insert("taxonomy", &TaxonomyView::new(site, taxonomy));
                context.insert("term", &TermPagesView::new(site, &taxonomy.terms[i]));
                "term.html"
            }
            Output::NotFound => "404.html",
            Output::Print => {
                context.insert("pages", &print::pages(site));
                "print.html"
            }
        };
        self.tera
            .render(template, &context)
            .map_err(|error| self.render_error(&error, output))
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

    fn check_templates(&self) -> Diagnostics {
        let mut diagnostics = Diagnostics::new();
        for name in [
            "page.html",
            "section.html",
            "index.html",
            "taxonomy.html",
            "term.html",
            "404.html",
            "print.html",
        ] {
            if !self.tera.contains_template(name) {
                diagnostics.push(Diagnostic::error(format!("the template `{name}` is missing")).help("add it to templates/, or remove the file that replaces the default theme's"));
            }
        }
        for page in &self.site.pages {
            let Some(template) = &page.front_matter.template else {
                continue;
            };
            if !self.tera.contains_template(&template.value) {
                let known = self
                    .tera
                    .get_template_names()
                    .filter(|n| !n.starts_with(templates::DEFAULT_PREFIX));
                let diagnostic =
                    Diagnostic::error(format!("no template named `{}`", template.value))
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
