//! book.toml: the site's configuration, its defaults, and strict validation so that a
//! misspelt key is an error with a suggestion rather than a silently ignored setting.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diag::{Diagnostic, did_you_mean};

pub const CONFIG_FILE: &str = "book.toml";

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Config {
    pub book: Book,
    pub build: Build,
    pub markdown: Markdown,
    pub search: Search,
    /// Taxonomies besides `tags`, by the front-matter key that lists a page's terms.
    pub taxonomies: BTreeMap<String, Taxonomy>,
    /// Typed links between pages, by the front-matter key that lists a page's targets.
    pub relations: BTreeMap<String, Relation>,
    pub glossary: Glossary,
    /// Free-form values for templates.
    pub extra: toml::Table,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Book {
    pub title: String,
    pub description: String,
    pub authors: Vec<String>,
    pub language: String,
    /// "Edit this page" links: `{path}` becomes the page's file, `content/areas/iaea.md`.
    pub edit_url: Option<String>,
}

impl Default for Book {
    fn default() -> Self {
        Self {
            title: "Untitled".into(),
            description: String::new(),
            authors: Vec::new(),
            language: "en".into(),
            edit_url: None,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Build {
    pub content_dir: PathBuf,
    pub output_dir: PathBuf,
    pub base_url: String,
    pub broken_links: Severity,
}

impl Default for Build {
    fn default() -> Self {
        Self {
            content_dir: "content".into(),
            output_dir: "public".into(),
            base_url: "/".into(),
            broken_links: Severity::Error,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warn,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Markdown {
    pub smart_punctuation: bool,
    pub math: bool,
    /// Pass raw HTML in Markdown through unchanged instead of sanitising it. Only for
    /// sites whose every author is trusted.
    pub trust_raw_html: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Search {
    pub enabled: bool,
}

impl Default for Search {
    fn default() -> Self {
        Self { enabled: true }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Taxonomy {
    /// Shown on the taxonomy's index page; defaults to the key, capitalised.
    pub title: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Relation {
    /// Heading of the list on the page that names the targets; defaults to the key,
    /// capitalised.
    pub title: Option<String>,
    /// Heading of the reverse list on each target page ("Named as a partner by").
    pub reverse_title: Option<String>,
    /// Content folders the targets must live in; empty for anywhere.
    pub sections: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Glossary {
    /// Link the first use of each term on a page to its definition.
    pub autolink: bool,
}

impl Default for Glossary {
    fn default() -> Self {
        Self { autolink: true }
    }
}

/// A base URL split into what a page's links need (`path`, always with a leading and a
/// trailing `/`) and what absolute URLs need (`origin`, empty for a path-only base).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BaseUrl {
    pub origin: String,
    pub path: String,
}

impl BaseUrl {
    pub fn parse(text: &str) -> Result<BaseUrl, String> {
        let text = text.trim();
        let (origin, path) = match text.split_once("://") {
            Some((scheme, rest)) => {
                if !matches!(scheme, "http" | "https") || rest.is_empty() {
                    return Err(format!(
                        "`{text}` is not an http(s) URL or a path like `/docs/`"
                    ));
                }
                let slash = rest.find('/').unwrap_or(rest.len());
                (format!("{scheme}://{}", &rest[..slash]), &rest[slash..])
            }
            None if text.starts_with('/') || text.is_empty() => (String::new(), text),
            None => return Err(format!("`{text}` must start with `/` or `https://`")),
        };
        if path.contains(['?', '#', '\\']) || path.split('/').any(|s| s == "..") {
            return Err(format!(
                "`{text}` must be a plain path, without `..`, `?` or `#`"
            ));
        }
        let trimmed = path.trim_matches('/');
        let path = if trimmed.is_empty() {
            "/".to_string()
        } else {
            format!("/{trimmed}/")
        };
        Ok(BaseUrl { origin, path })
    }

    /// The absolute form of a site path such as `/areas/`, for canonical links,
    /// sitemaps and feeds.
    pub fn absolute(&self, site_path: &str) -> String {
        format!("{}{}", self.origin, self.join(site_path))
    }

    /// `site_path` (starting with `/`) under the base path.
    pub fn join(&self, site_path: &str) -> String {
        format!("{}{}", self.path, site_path.trim_start_matches('/'))
    }
}

impl Config {
    /// Reads `book.toml` in `site_dir`; a missing file is an error that says how to
    /// start a site.
    pub fn load(site_dir: &Path) -> Result<Config, Diagnostic> {
        let path = site_dir.join(CONFIG_FILE);
        let text = std::fs::read_to_string(&path).map_err(|error| {
            let diagnostic = Diagnostic::error(format!("cannot read {CONFIG_FILE}: {error}"))
                .in_file(CONFIG_FILE);
            if error.kind() == std::io::ErrorKind::NotFound {
                diagnostic.help("run `folio init` to create a site, or pass the site's folder")
            } else {
                diagnostic
            }
        })?;
        Config::parse(&text)
    }

    pub fn parse(text: &str) -> Result<Config, Diagnostic> {
        let config: Config = toml::from_str(text).map_err(|error| toml_diagnostic(text, &error))?;
        config.validate(text)?;
        Ok(config)
    }

    fn validate(&self, text: &str) -> Result<(), Diagnostic> {
        if let Err(message) = BaseUrl::parse(&self.build.base_url) {
            return Err(at_key(
                text,
                "base-url",
                format!("invalid base-url: {message}"),
            ));
        }
        for (label, dir) in [
            ("content-dir", &self.build.content_dir),
            ("output-dir", &self.build.output_dir),
        ] {
            if dir.as_os_str().is_empty() {
                return Err(at_key(text, label, format!("`{label}` must not be empty")));
            }
        }
        Ok(())
    }

    pub fn base_url(&self) -> BaseUrl {
        BaseUrl::parse(&self.build.base_url).unwrap_or(BaseUrl {
            origin: String::new(),
            path: "/".into(),
        })
    }

    /// The front-matter keys book.toml declares.
    pub fn schema(&self) -> crate::content::Schema {
        crate::content::Schema {
            taxonomies: self.taxonomy_names(),
            relations: self.relations.keys().cloned().collect(),
        }
    }

    /// Every taxonomy of the site: `tags` and the declared ones.
    pub fn taxonomy_names(&self) -> Vec<String> {
        let mut names = vec!["tags".to_string()];
        names.extend(self.taxonomies.keys().filter(|k| *k != "tags").cloned());
        names
    }
}

fn at_key(text: &str, key: &str, message: String) -> Diagnostic {
    let offset = text.find(key).unwrap_or(0);
    Diagnostic::error(message).at(CONFIG_FILE, text, offset..offset + key.len())
}

/// Turns a TOML error into a located diagnostic, with a "did you mean" for unknown keys.
fn toml_diagnostic(text: &str, error: &toml::de::Error) -> Diagnostic {
    let message = error.message().trim().to_string();
    let span = error.span().unwrap_or(0..0);
    let mut diagnostic =
        Diagnostic::error(format!("invalid {CONFIG_FILE}: {message}")).at(CONFIG_FILE, text, span);
    if let Some((unknown, expected)) = unknown_field(&message) {
        diagnostic.message = format!("unknown key `{unknown}` in {CONFIG_FILE}");
        diagnostic = match did_you_mean(unknown, expected.iter().copied()) {
            Some(close) => diagnostic.help(format!("did you mean `{close}`?")),
            None if expected.is_empty() => diagnostic,
            None => diagnostic.help(format!("expected one of: {}", expected.join(", "))),
        };
    }
    diagnostic
}

/// Reads serde's "unknown field `x`, expected one of `a`, `b`" message.
fn unknown_field(message: &str) -> Option<(&str, Vec<&str>)> {
    let rest = message.strip_prefix("unknown field `")?;
    let (unknown, rest) = rest.split_once('`')?;
    let expected = rest.split('`').skip(1).step_by(2).collect();
    Some((unknown, expected))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_apply_to_an_empty_file() {
        let config = Config::parse("").unwrap();
        assert_eq!(config.build.output_dir, PathBuf::from("public"));
        assert_eq!(config.build.broken_links, Severity::Error);
        assert!(config.search.enabled);
        assert_eq!(config.book.language, "en");
    }

    #[test]
    fn unknown_keys_are_located_with_a_suggestion() {
        let error = Config::parse("[book]\ntitle = \"x\"\ndescriptoin = \"y\"\n").unwrap_err();
        assert_eq!(
            error.to_string(),
            "book.toml:3:1: unknown key `descriptoin` in book.toml"
        );
        assert_eq!(error.help.as_deref(), Some("did you mean `description`?"));
    }

    #[test]
    fn unknown_sections_are_errors_too() {
        let error = Config::parse("[biuld]\n").unwrap_err();
        assert_eq!(error.help.as_deref(), Some("did you mean `build`?"));
    }

    #[test]
    fn wrong_values_are_located() {
        let error = Config::parse("[build]\nbroken-links = \"maybe\"\n").unwrap_err();
        assert!(error.to_string().starts_with("book.toml:2:16: "), "{error}");
    }

    #[test]
    fn base_urls_normalise_to_slash_delimited_paths() {
        assert_eq!(BaseUrl::parse("/").unwrap().path, "/");
        assert_eq!(BaseUrl::parse("/docs").unwrap().path, "/docs/");
        let full = BaseUrl::parse("https://example.org/sub/path/").unwrap();
        assert_eq!(
            (full.origin.as_str(), full.path.as_str()),
            ("https://example.org", "/sub/path/")
        );
        assert_eq!(full.absolute("/a/"), "https://example.org/sub/path/a/");
        assert!(BaseUrl::parse("docs").is_err());
        assert!(BaseUrl::parse("/a/../b").is_err());
        assert!(BaseUrl::parse("ftp://x").is_err());
    }

    #[test]
    fn invalid_base_url_is_an_error_at_its_key() {
        let error = Config::parse("[build]\nbase-url = \"docs\"\n").unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("book.toml:2:1: invalid base-url"),
            "{error}"
        );
    }
}
