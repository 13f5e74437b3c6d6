//! The template set: folio's built-in theme embedded in the binary, layered under the
//! site's own `templates/`, so a site replaces a default one file at a time and can
//! still extend the default (`{% extends "default/page.html" %}`).

use std::path::Path;

use tera::{ErrorKind, Tera};
use walkdir::WalkDir;

use crate::content::relative_to;
use crate::diag::{Diagnostic, Diagnostics, Kind};
use crate::embedded;
use crate::project::Project;

/// The prefix under which the built-in templates are registered.
pub const DEFAULT_PREFIX: &str = "default/";

/// A template's name, where it came from (for diagnostics) and its text.
#[derive(Clone)]
pub struct TemplateSource {
    pub name: String,
    pub file: String,
    pub text: String,
}

/// Every template: the built-in ones under `default/`, then the site's.
pub fn sources(project: &Project, diagnostics: &mut Diagnostics) -> Vec<TemplateSource> {
    let mut all: Vec<TemplateSource> = embedded::files(&embedded::TEMPLATES)
        .into_iter()
        .filter(|(name, _)| !is_shortcode(name))
        .map(|(name, bytes)| TemplateSource {
            file: format!("(built-in) templates/{name}"),
            name: format!("{DEFAULT_PREFIX}{name}"),
            text: String::from_utf8_lossy(bytes).into_owned(),
        })
        .collect();
    let site = site_templates(&project.root, &project.templates_dir, diagnostics);
    all.extend(
        site.into_iter()
            .filter(|source| !is_shortcode(&source.name)),
    );
    all
}

/// Whether a template is a shortcode's, which the shortcodes' own Tera compiles.
fn is_shortcode(name: &str) -> bool {
    name.strip_prefix(crate::shortcodes::FOLDER)
        .is_some_and(|rest| rest.starts_with('/'))
}

/// Every template file below `dir`, named by its path there.
pub(crate) fn site_templates(
    site_root: &Path,
    dir: &Path,
    diagnostics: &mut Diagnostics,
) -> Vec<TemplateSource> {
    let mut found = Vec::new();
    let walk = WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !crate::content::walk::is_ignored(e.file_name()) || e.depth() == 0);
    for entry in walk.flatten().filter(|e| e.file_type().is_file()) {
        let file = relative_to(site_root, entry.path());
        let Some(name) = crate::content::walk::content_path(dir, entry.path()) else {
            continue;
        };
        match std::fs::read_to_string(entry.path()) {
            Ok(text) => found.push(TemplateSource {
                name,
                file: crate::diag::display_path(&file),
                text,
            }),
            Err(error) => diagnostics.push(
                Diagnostic::error(Kind::Unreadable, format!("cannot read template: {error}"))
                    .in_file(file),
            ),
        }
    }
    found
}

/// Compiles every template once into `tera`, which already holds folio's functions,
/// and returns the errors found, each with the name of the template it stopped.
/// Each template is first parsed on its own, so that one run reports the syntax errors
/// of all of them.
pub fn compile(tera: &mut Tera, sources: &[TemplateSource]) -> Vec<(String, Diagnostic)> {
    let mut diagnostics = Vec::new();
    tera.autoescape_on([".html", ".xml", ".htm"]);
    // Only fails when templates were added before.
    let _ = tera.set_fallback_prefixes([DEFAULT_PREFIX]);
    let mut valid = Vec::with_capacity(sources.len());
    for source in sources {
        let mut alone = Tera::new();
        alone.register_from(tera);
        match alone.add_raw_template(&source.name, &source.text) {
            Err(error) if matches!(error.kind(), ErrorKind::SyntaxError(_)) => {
                diagnostics.push((source.name.clone(), template_diagnostic(&error, sources)))
            }
            _ => valid.push((source.name.as_str(), source.text.as_str())),
        }
    }
    // A template that fails validation (an unknown filter, say) is dropped and the rest
    // added again, so one mistake is reported once rather than as every template missing.
    while let Err(error) = tera.add_raw_templates(valid.iter().copied()) {
        let found = validation_diagnostics(&error, sources);
        let failing: Vec<String> = found.iter().map(|(name, _)| name.clone()).collect();
        if found.is_empty() {
            diagnostics.push((String::new(), template_diagnostic(&error, sources)));
            break;
        }
        diagnostics.extend(found);
        valid.retain(|(name, _)| !failing.iter().any(|f| f == name));
    }
    diagnostics
}

/// Tera reports validation errors (unknown filters, functions, tests, templates) as one
/// message of rustc-style reports; this reads back each report's template and position.
fn validation_diagnostics(
    error: &tera::Error,
    sources: &[TemplateSource],
) -> Vec<(String, Diagnostic)> {
    let text = error.to_string();
    let mut found = Vec::new();
    for report in text.split("error: ").filter(|r| !r.trim().is_empty()) {
        let message = report.lines().next().unwrap_or_default().trim();
        let Some(location) = report.lines().find_map(|l| l.trim().strip_prefix("--> ")) else {
            continue;
        };
        let mut parts = location.rsplitn(3, ':');
        let (Some(column), Some(line), Some(name)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let (Ok(line), Ok(column)) = (line.parse::<usize>(), column.parse::<usize>()) else {
            continue;
        };
        let Some(source) = sources.iter().find(|s| s.name == name) else {
            continue;
        };
        let offset = byte_offset(&source.text, line, column);
        let diagnostic = Diagnostic::error(
            Kind::TemplateSyntax,
            format!("template error: {message}"),
        )
        .at(&source.file, &source.text, offset..offset + 1);
        found.push((name.to_string(), diagnostic));
    }
    found
}

/// The byte offset of a 1-based line and column (in characters).
fn byte_offset(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let rest = &text[line_start.min(text.len())..];
    line_start
        + rest
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(rest.len(), |(i, _)| i)
}

/// A Tera error as a diagnostic located in the template file.
pub fn template_diagnostic(error: &tera::Error, sources: &[TemplateSource]) -> Diagnostic {
    let (kind, report) = match error.kind() {
        ErrorKind::SyntaxError(report) => (Kind::TemplateSyntax, report),
        ErrorKind::RenderingError(report) => (Kind::TemplateRender, report),
        other => {
            return Diagnostic::error(
                Kind::TemplateSyntax,
                format!("template error: {}", first_line(&other.to_string())),
            );
        }
    };
    let diagnostic = Diagnostic::error(kind, format!("template error: {}", error_message(error)));
    match sources.iter().find(|s| s.name == report.filename()) {
        Some(source) => diagnostic.at(&source.file, &source.text, report.span().range.clone()),
        None => diagnostic,
    }
}

/// Tera's message for an error, with its cause.
pub fn error_message(error: &tera::Error) -> String {
    let mut message = match error.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            report.message().to_string()
        }
        other => first_line(&other.to_string()).to_string(),
    };
    if let Some(source) = std::error::Error::source(error) {
        message.push_str(&format!(": {source}"));
    }
    message
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or(text)
}
