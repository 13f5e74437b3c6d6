//! book.toml: the site's configuration, its defaults, and strict validation so that a
//! misspelt key is an error with a suggestion rather than a silently ignored setting.

mod keys;

pub use keys::known as known_keys;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use toml::de::{DeTable, DeValue};

use crate::diag::{Diagnostic, Diagnostics, Kind};

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
    pub theme: Theme,
    /// `folio check --external`.
    pub check: Check,
    /// Free-form values for templates.
    pub extra: toml::Table,
    /// The languages the site is translated into, by language code (`zh`, `pt-br`);
    /// an entry for `[book] language` names the default language.
    pub languages: BTreeMap<String, Language>,
}

/// A language of the site, as `[languages.CODE]` declares it. Its pages are the files
/// `NAME.CODE.md` beside their default-language `NAME.md`, served under `/CODE/`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Language {
    /// The language's name as written in it (`中文`, `Français`), for the switcher;
    /// defaults to the code.
    pub name: Option<String>,
    /// The site's title in this language; defaults to `[book] title`.
    pub title: Option<String>,
    /// The site's description in this language; defaults to `[book] description`.
    pub description: Option<String>,
    /// The direction of the language's script.
    pub direction: Direction,
    /// Taxonomies' titles in this language, by name.
    pub taxonomies: BTreeMap<String, Taxonomy>,
    /// Relations' titles in this language, by name.
    pub relations: BTreeMap<String, Relation>,
}

/// The direction a language's script runs in, for `<html dir>`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    #[default]
    Ltr,
    Rtl,
}

/// Adjustments to the theme that need no template of the site's own.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Theme {
    /// Stylesheets, relative to the site folder, linked from every page after the
    /// theme's own and copied to the same path in the output (as mdBook's
    /// `additional-css`).
    pub additional_css: Vec<String>,
    /// Scripts, likewise (as mdBook's `additional-js`).
    pub additional_js: Vec<String>,
}

/// How `folio check --external` fetches links to other sites.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Check {
    /// How long a link found working is trusted before it is fetched again.
    pub external_cache: Friendly,
    /// How long one request may take, connecting included, before it is retried.
    pub external_timeout: Friendly,
    /// URLs not to fetch: each entry is a prefix, where `*` stands for any characters.
    pub external_exclude: Vec<String>,
}

impl Default for Check {
    fn default() -> Self {
        Self {
            external_cache: Friendly(Duration::from_secs(24 * 60 * 60)),
            external_timeout: Friendly(Duration::from_secs(10)),
            external_exclude: Vec::new(),
        }
    }
}

/// A length of time written the friendly way: `1d`, `12h`, `30s`, `1d 12h`, `500ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Friendly(pub Duration);

impl Serialize for Friendly {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let span = jiff::SignedDuration::try_from(self.0).map_err(serde::ser::Error::custom)?;
        serializer.collect_str(&format_args!("{span:#}"))
    }
}

impl<'de> Deserialize<'de> for Friendly {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Friendly::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl Friendly {
    /// Days count as 24 hours; months and years, whose length varies, are refused.
    pub fn parse(text: &str) -> Result<Friendly, String> {
        let invalid = |why: String| {
            format!(
                "invalid duration `{text}`: {why}; write it like `1d`, `12h`, `30s` or `1d 12h`"
            )
        };
        let span: jiff::Span = text
            .trim()
            .parse()
            .map_err(|e: jiff::Error| invalid(e.to_string()))?;
        let duration = span
            .to_duration(jiff::SpanRelativeTo::days_are_24_hours())
            .map_err(|e| invalid(e.to_string()))?;
        Duration::try_from(duration)
            .map(Friendly)
            .map_err(|_| invalid("it is negative".into()))
    }
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
            None => {
                return Err(format!(
                    "`{text}` must be a path starting with `/`, or a URL starting with `https://` or `http://`"
                ));
            }
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
    pub fn load(site_dir: &Path) -> Result<Config, Diagnostics> {
        Config::parse(&Config::read(site_dir)?)
    }

    /// The text of the site's book.toml.
    pub fn read(site_dir: &Path) -> Result<String, Diagnostic> {
        let path = site_dir.join(CONFIG_FILE);
        std::fs::read_to_string(&path).map_err(|error| {
            let diagnostic = Diagnostic::error(
                Kind::ConfigUnreadable,
                format!("cannot read {CONFIG_FILE}: {error}"),
            )
            .in_file(CONFIG_FILE);
            if error.kind() == std::io::ErrorKind::NotFound {
                diagnostic.help("run `folio init` to create a site, or pass the site's folder")
            } else {
                diagnostic
            }
        })
    }

    /// Parses book.toml: every unknown key is reported at once, then the values are
    /// read and checked.
    pub fn parse(text: &str) -> Result<Config, Diagnostics> {
        let document = DeTable::parse(text).map_err(|error| toml_diagnostic(text, &error))?;
        let unknown = keys::unknown(text, document.get_ref());
        if !unknown.is_empty() {
            return Err(unknown.into());
        }
        let config: Config = toml::from_str(text).map_err(|error| toml_diagnostic(text, &error))?;
        config.validate(text, document.get_ref())?;
        Ok(config)
    }

    fn validate(&self, text: &str, document: &DeTable) -> Result<(), Diagnostics> {
        let mut problems = Vec::new();
        if let Err(message) = BaseUrl::parse(&self.build.base_url) {
            problems.push(("base-url", format!("invalid base-url: {message}")));
        }
        for (key, dir) in [
            ("content-dir", &self.build.content_dir),
            ("output-dir", &self.build.output_dir),
        ] {
            if dir.as_os_str().is_empty() {
                problems.push((key, format!("`{key}` must not be empty")));
            }
        }
        let mut diagnostics: Vec<Diagnostic> = problems
            .into_iter()
            .map(|(key, message)| at_build_value(text, document, key, message))
            .collect();
        diagnostics.extend(self.language_problems(text, document));
        match diagnostics.is_empty() {
            true => Ok(()),
            false => Err(diagnostics.into()),
        }
    }

    /// Language codes that cannot be one (they become a URL folder and a file-name
    /// suffix), each located at its key.
    fn language_problems(&self, text: &str, document: &DeTable) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        if let Some(problem) = language_code_problem(&self.book.language) {
            let message = format!("invalid language `{}`: {problem}", self.book.language);
            let value = document.get("book").and_then(|book| match book.get_ref() {
                DeValue::Table(table) => table.get("language"),
                _ => None,
            });
            let diagnostic = Diagnostic::error(Kind::InvalidConfigValue, message)
                .help("write a language code such as `en`, `zh` or `pt-br`");
            problems.push(match value {
                Some(value) => diagnostic.at(CONFIG_FILE, text, value.span()),
                None => diagnostic.in_file(CONFIG_FILE),
            });
        }
        let Some(DeValue::Table(declared)) = document.get("languages").map(|l| l.get_ref()) else {
            return problems;
        };
        for (key, _) in declared {
            if let Some(problem) = language_code_problem(key.get_ref()) {
                problems.push(
                    Diagnostic::error(
                        Kind::InvalidConfigValue,
                        format!("invalid language code `{}`: {problem}", key.get_ref()),
                    )
                    .at(CONFIG_FILE, text, key.span())
                    .label("language code")
                    .help("write a language code such as `zh`, `fr` or `pt-br`, in lower case"),
                );
            }
        }
        problems
    }

    /// Every language of the site, the default one (`[book] language`) first, then
    /// the declared ones by code.
    pub fn site_languages(&self) -> Vec<SiteLanguage> {
        let default = &self.book.language;
        let declared = self.languages.get(default).cloned().unwrap_or_default();
        let mut all = vec![SiteLanguage::new(default, &declared, &self.book, true)];
        all.extend(
            (self.languages.iter())
                .filter(|(code, _)| *code != default)
                .map(|(code, language)| SiteLanguage::new(code, language, &self.book, false)),
        );
        all
    }

    /// This configuration as a language's site sees it: its title, description and
    /// language in place of the default ones.
    pub fn for_language(&self, language: &SiteLanguage) -> Config {
        let mut config = self.clone();
        config.book.title.clone_from(&language.title);
        config.book.description.clone_from(&language.description);
        config.book.language.clone_from(&language.code);
        if let Some(declared) = self.languages.get(&language.code) {
            for (name, translated) in &declared.taxonomies {
                if name != "tags" && !config.taxonomies.contains_key(name) {
                    continue;
                }
                let taxonomy = config.taxonomies.entry(name.clone()).or_default();
                taxonomy.title = translated.title.clone().or(taxonomy.title.take());
            }
            for (name, translated) in &declared.relations {
                let Some(relation) = config.relations.get_mut(name) else {
                    continue;
                };
                relation.title = translated.title.clone().or(relation.title.take());
                relation.reverse_title =
                    (translated.reverse_title.clone()).or(relation.reverse_title.take());
            }
        }
        config
    }

    pub fn base_url(&self) -> BaseUrl {
        BaseUrl::parse(&self.build.base_url).unwrap_or(BaseUrl {
            origin: String::new(),
            path: "/".into(),
        })
    }

    /// The languages as the content stage needs them: which suffixes make a
    /// translation.
    pub fn content_languages(&self) -> crate::content::Languages {
        crate::content::Languages {
            default: self.book.language.clone(),
            others: (self.languages.keys())
                .filter(|code| **code != self.book.language)
                .cloned()
                .collect(),
        }
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

/// Why `code` cannot be a language code, or None when it can: letters, digits and
/// hyphens, starting with two or three letters, in lower case (a folder of the site
/// and a suffix of file names, which must not depend on the file system's case).
pub fn language_code_problem(code: &str) -> Option<&'static str> {
    let mut parts = code.split('-');
    let primary = parts.next().unwrap_or_default();
    if !(2..=3).contains(&primary.len()) || !primary.bytes().all(|b| b.is_ascii_lowercase()) {
        return Some("it must start with two or three lower-case letters");
    }
    let valid_subtag = |part: &str| {
        (1..=8).contains(&part.len())
            && part
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    };
    if !parts.all(valid_subtag) {
        return Some("after the first hyphen come lower-case letters and digits only");
    }
    None
}

/// One language of a site with everything derived: its code, how it is named and
/// shown, and the folder its pages are served from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SiteLanguage {
    pub code: String,
    /// As written in the language.
    pub name: String,
    pub title: String,
    pub description: String,
    pub direction: Direction,
    /// Whether this is `[book] language`, served at the site root.
    pub is_default: bool,
}

impl SiteLanguage {
    fn new(code: &str, language: &Language, book: &Book, is_default: bool) -> Self {
        Self {
            code: code.to_string(),
            name: language.name.clone().unwrap_or_else(|| code.to_string()),
            title: language.title.clone().unwrap_or_else(|| book.title.clone()),
            description: (language.description.clone()).unwrap_or_else(|| book.description.clone()),
            direction: language.direction,
            is_default,
        }
    }

    /// The URL segments the language's pages are under: none for the default language,
    /// its code for the others.
    pub fn prefix(&self) -> Vec<String> {
        match self.is_default {
            true => Vec::new(),
            false => vec![self.code.clone()],
        }
    }

    /// `ltr` or `rtl`.
    pub fn dir(&self) -> &'static str {
        match self.direction {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }
}

/// A diagnostic at the value of `key` under `[build]`, wherever the file sets it.
fn at_build_value(text: &str, document: &DeTable, key: &str, message: String) -> Diagnostic {
    let value = document
        .get("build")
        .and_then(|build| match build.get_ref() {
            DeValue::Table(table) => table.get(key),
            _ => None,
        });
    match value {
        Some(value) => {
            Diagnostic::error(Kind::InvalidConfigValue, message).at(CONFIG_FILE, text, value.span())
        }
        None => Diagnostic::error(Kind::InvalidConfigValue, message).in_file(CONFIG_FILE),
    }
}

/// Turns a TOML error into a located diagnostic.
pub(crate) fn toml_diagnostic(text: &str, error: &toml::de::Error) -> Diagnostic {
    let message = error.message().trim();
    let span = error.span().unwrap_or(0..0);
    Diagnostic::error(
        Kind::ConfigSyntax,
        format!("invalid {CONFIG_FILE}: {message}"),
    )
    .at(CONFIG_FILE, text, span)
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

    /// The one error of parsing `text`.
    fn error(text: &str) -> Diagnostic {
        let errors = Config::parse(text).unwrap_err();
        assert_eq!(errors.error_count(), 1, "{errors}");
        errors.into_iter().next().unwrap()
    }

    #[test]
    fn unknown_keys_are_located_with_a_suggestion() {
        let error = error("[book]\ntitle = \"x\"\ndescriptoin = \"y\"\n");
        assert_eq!(
            error.to_string(),
            "book.toml:3:1: unknown key `descriptoin` in [book]"
        );
        assert_eq!(error.help.as_deref(), Some("did you mean `description`?"));
    }

    #[test]
    fn unknown_sections_are_errors_too() {
        let error = error("[biuld]\n");
        assert_eq!(
            error.to_string(),
            "book.toml:1:2: unknown key `biuld` at the top level of book.toml"
        );
        assert_eq!(error.help.as_deref(), Some("did you mean `build`?"));
    }

    #[test]
    fn every_unknown_key_is_reported_before_any_value_is_read() {
        let errors = Config::parse(
            "[book]\ntitel = 1\n[build]\nbase_url = 2\nbroken-links = 3\nouptut = 4\n",
        )
        .unwrap_err();
        let locations: Vec<_> = errors.iter().filter_map(Diagnostic::location).collect();
        assert_eq!(
            locations,
            ["book.toml:2:1", "book.toml:4:1", "book.toml:6:1"]
        );
    }

    #[test]
    fn wrong_values_are_located() {
        let error = error("[build]\nbroken-links = \"maybe\"\n");
        assert!(error.to_string().starts_with("book.toml:2:16: "), "{error}");
    }

    #[test]
    fn syntax_errors_are_located() {
        let error = error("[book]\ntitle = \n");
        assert!(error.to_string().starts_with("book.toml:2:"), "{error}");
    }

    #[test]
    fn check_durations_are_friendly_and_located_when_wrong() {
        let config =
            Config::parse("[check]\nexternal-cache = \"2d 12h\"\nexternal-timeout = \"1.5s\"\n")
                .unwrap();
        assert_eq!(
            config.check.external_cache.0,
            Duration::from_secs(60 * 60 * 60)
        );
        assert_eq!(config.check.external_timeout.0, Duration::from_millis(1500));
        assert_eq!(
            Config::parse("").unwrap().check.external_timeout.0,
            Duration::from_secs(10)
        );
        let error = error("[check]\nexternal-cache = \"1 fortnight\"\n");
        assert!(
            error
                .to_string()
                .starts_with("book.toml:2:18: invalid book.toml: invalid duration `1 fortnight`"),
            "{error}"
        );
        assert!(Friendly::parse("1mo").is_err());
        assert!(Friendly::parse("-1s").is_err());
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
    fn http_base_urls_are_accepted_as_the_message_says() {
        let plain = BaseUrl::parse("http://example.org/docs").unwrap();
        assert_eq!(plain.origin, "http://example.org");
        let message = BaseUrl::parse("example.org/docs").unwrap_err();
        assert!(message.contains("`http://`"), "{message}");
    }

    #[test]
    fn invalid_base_url_is_an_error_at_its_value() {
        let error = error("# base-url: where the site is served\n[build]\nbase-url = \"docs\"\n");
        assert!(
            error
                .to_string()
                .starts_with("book.toml:3:12: invalid base-url"),
            "{error}"
        );
    }

    #[test]
    fn empty_folders_are_each_reported() {
        let errors = Config::parse("[build]\ncontent-dir = \"\"\noutput-dir = \"\"\n").unwrap_err();
        let locations: Vec<_> = errors.iter().filter_map(Diagnostic::location).collect();
        assert_eq!(locations, ["book.toml:2:15", "book.toml:3:14"]);
    }
}
