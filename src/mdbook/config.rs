//! mdBook's book.toml, read whole: a typed model of every key of mdBook 0.5.4's
//! configuration guide, its `MDBOOK_*` environment overrides, and the folio [`Config`]
//! for the settings the two share.
//!
//! The file stays mdBook's: folio reads nothing of its own from it. mdBook ignores keys
//! it does not know, so they are one warning rather than an error; the keys folio
//! accepts but does not act on are named in one more warning, so an mdBook user sees at
//! once what folio renders differently, and each backend folio does not run is named.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use crate::markdown::Edition;
use serde_json::{Value as Json, json};
use toml::de::{DeTable, DeValue};

use crate::config::{self as folio, BaseUrl, CONFIG_FILE, Config, toml_diagnostic};
use crate::diag::{Diagnostic, Kind, did_you_mean};

/// An mdBook book.toml: `[book]`, `[build]`, `[rust]`, `[output.html]`, the
/// preprocessors and the other backends, each with mdBook's defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct BookToml {
    pub book: Book,
    pub build: Build,
    pub rust: Rust,
    /// `[output.html]`; mdBook's defaults when the table is absent.
    pub html: Html,
    /// `[preprocessor.NAME]`, by name.
    pub preprocessors: BTreeMap<String, Preprocessor>,
    /// Every `[output.NAME]` but `html`: backends folio does not run.
    pub backends: BTreeMap<String, Backend>,
    /// The file as TOML values, so that an environment override can be set in it and
    /// the model read again.
    document: toml::Table,
}

/// `[book]`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case", default)]
pub struct Book {
    pub title: Option<String>,
    pub authors: Vec<String>,
    pub description: Option<String>,
    /// The folder of `SUMMARY.md` and the chapters, relative to the book root.
    pub src: PathBuf,
    pub language: String,
    /// Unset: derived from the language, see [`Book::text_direction`].
    pub text_direction: Option<TextDirection>,
    /// Never used by mdBook, and removed in 0.5; accepted so that older books load.
    pub multilingual: bool,
}

impl Default for Book {
    fn default() -> Self {
        Self {
            title: None,
            authors: Vec::new(),
            description: None,
            src: "src".into(),
            language: "en".into(),
            text_direction: None,
            multilingual: false,
        }
    }
}

impl Book {
    /// The direction of the book's text: `text-direction` when set, else the one of
    /// its language, matched on the whole code as mdBook does.
    pub fn text_direction(&self) -> TextDirection {
        self.text_direction
            .unwrap_or_else(|| TextDirection::of_language(&self.language))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum TextDirection {
    #[serde(rename = "ltr")]
    LeftToRight,
    #[serde(rename = "rtl")]
    RightToLeft,
}

impl TextDirection {
    /// The languages mdBook writes right to left.
    const RIGHT_TO_LEFT: &[&str] = &[
        "ar", "ara", "arc", "ae", "ave", "egy", "he", "heb", "nqo", "pal", "phn", "sam", "syc",
        "syr", "fa", "per", "fas", "ku", "kur", "ur", "urd", "pus", "ps", "yi", "yid",
    ];

    pub fn of_language(code: &str) -> Self {
        if Self::RIGHT_TO_LEFT.contains(&code) {
            Self::RightToLeft
        } else {
            Self::LeftToRight
        }
    }
}

/// `[build]`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case", default)]
pub struct Build {
    pub build_dir: PathBuf,
    /// Create the chapters `SUMMARY.md` names that do not exist.
    pub create_missing: bool,
    /// Run the built-in `links` and `index` preprocessors.
    pub use_default_preprocessors: bool,
    /// Folders whose changes rebuild the book when serving.
    pub extra_watch_dirs: Vec<PathBuf>,
}

impl Default for Build {
    fn default() -> Self {
        Self {
            build_dir: "book".into(),
            create_missing: true,
            use_default_preprocessors: true,
            extra_watch_dirs: Vec::new(),
        }
    }
}

/// `[rust]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case", default)]
pub struct Rust {
    /// The edition of the book's Rust code blocks; mdBook's default is 2015.
    pub edition: Option<Edition>,
}

/// `[output.html]`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case", default)]
pub struct Html {
    pub theme: Option<PathBuf>,
    pub default_theme: Option<String>,
    pub preferred_dark_theme: Option<String>,
    /// Unset: `curly-quotes`, else on; see [`Html::uses_smart_punctuation`].
    pub smart_punctuation: Option<bool>,
    /// The name of `smart-punctuation` before mdBook 0.4.38.
    pub curly_quotes: Option<bool>,
    pub definition_lists: bool,
    pub admonitions: bool,
    pub mathjax_support: bool,
    pub additional_css: Vec<PathBuf>,
    pub additional_js: Vec<PathBuf>,
    pub no_section_label: bool,
    pub git_repository_url: Option<String>,
    pub git_repository_icon: Option<String>,
    /// A URL with `{path}`, the chapter's file relative to the book root (`src/ch01.md`).
    pub edit_url_template: Option<String>,
    pub input_404: Option<String>,
    /// The path the book is served under, such as `/book/`.
    pub site_url: Option<String>,
    pub cname: Option<String>,
    pub live_reload_endpoint: Option<String>,
    pub hash_files: bool,
    pub sidebar_header_nav: bool,
    pub print: Print,
    pub fold: Fold,
    /// Also read from the older name, `[output.html.playpen]`.
    #[serde(alias = "playpen")]
    pub playground: Playground,
    pub code: Code,
    pub search: Search,
    /// Old path (`/a/b.html`, a fragment allowed) → the URL to send it to.
    pub redirect: BTreeMap<String, String>,
}

impl Default for Html {
    fn default() -> Self {
        Self {
            theme: None,
            default_theme: None,
            preferred_dark_theme: None,
            smart_punctuation: None,
            curly_quotes: None,
            definition_lists: true,
            admonitions: true,
            mathjax_support: false,
            additional_css: Vec::new(),
            additional_js: Vec::new(),
            no_section_label: false,
            git_repository_url: None,
            git_repository_icon: None,
            edit_url_template: None,
            input_404: None,
            site_url: None,
            cname: None,
            live_reload_endpoint: None,
            hash_files: true,
            sidebar_header_nav: true,
            print: Print::default(),
            fold: Fold::default(),
            playground: Playground::default(),
            code: Code::default(),
            search: Search::default(),
            redirect: BTreeMap::new(),
        }
    }
}

impl Html {
    /// `smart-punctuation` when set, else the older `curly-quotes`, else mdBook 0.5's
    /// default: on.
    pub fn uses_smart_punctuation(&self) -> bool {
        self.smart_punctuation.or(self.curly_quotes).unwrap_or(true)
    }
}

/// `[output.html.print]`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case", default)]
pub struct Print {
    pub enable: bool,
    pub page_break: bool,
}

impl Default for Print {
    fn default() -> Self {
        Self {
            enable: true,
            page_break: true,
        }
    }
}

/// `[output.html.fold]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case", default)]
pub struct Fold {
    pub enable: bool,
    pub level: u8,
}

/// `[output.html.playground]`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case", default)]
pub struct Playground {
    pub editable: bool,
    pub copyable: bool,
    pub copy_js: bool,
    pub line_numbers: bool,
    pub runnable: bool,
}

impl Default for Playground {
    fn default() -> Self {
        Self {
            editable: false,
            copyable: true,
            copy_js: true,
            line_numbers: false,
            runnable: true,
        }
    }
}

/// `[output.html.code]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case", default)]
pub struct Code {
    /// Language → the prefix that hides a line of its code blocks.
    pub hidelines: BTreeMap<String, String>,
}

/// `[output.html.search]`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case", default)]
pub struct Search {
    pub enable: bool,
    pub limit_results: u32,
    pub teaser_word_count: u32,
    pub use_boolean_and: bool,
    pub boost_title: u8,
    pub boost_hierarchy: u8,
    pub boost_paragraph: u8,
    pub expand: bool,
    pub heading_split_level: u8,
    pub copy_js: bool,
    /// A chapter's file or a folder, relative to `src` → its settings; the longest
    /// matching path wins.
    pub chapter: BTreeMap<String, SearchChapter>,
}

impl Default for Search {
    fn default() -> Self {
        Self {
            enable: true,
            limit_results: 30,
            teaser_word_count: 30,
            use_boolean_and: false,
            boost_title: 2,
            boost_hierarchy: 1,
            boost_paragraph: 1,
            expand: true,
            heading_split_level: 3,
            copy_js: true,
            chapter: BTreeMap::new(),
        }
    }
}

/// `[output.html.search.chapter."PATH"]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case", default)]
pub struct SearchChapter {
    /// Index the chapters under the path; unset inherits.
    pub enable: Option<bool>,
}

/// `[preprocessor.NAME]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case", default)]
pub struct Preprocessor {
    /// The command to run; mdBook's default is `mdbook-NAME`.
    pub command: Option<String>,
    /// Preprocessors this one runs before.
    pub before: Vec<String>,
    /// Preprocessors this one runs after.
    pub after: Vec<String>,
    /// The backends it runs for; unset is every backend it supports.
    pub renderers: Option<Vec<String>>,
    /// A missing command is a warning rather than an error.
    pub optional: bool,
    /// Every other key, for the preprocessor itself.
    #[serde(flatten)]
    pub settings: toml::Table,
}

/// `[output.NAME]` for a backend other than `html`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case", default)]
pub struct Backend {
    pub command: Option<String>,
    pub optional: bool,
    /// Every other key, for the backend itself.
    #[serde(flatten)]
    pub settings: toml::Table,
}

/// The tables of book.toml but `[output.html]`, whose keys another pass reads typed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Tables {
    book: Book,
    build: Build,
    rust: Rust,
    output: BTreeMap<String, Backend>,
    preprocessor: BTreeMap<String, Preprocessor>,
}

/// `[output.html]` alone, read from the whole file so that its errors keep their
/// place in it.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct HtmlTables {
    output: HtmlOutput,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct HtmlOutput {
    html: Html,
}

/// The mdBook settings folio acts on: those [`BookToml::folio_config`] maps,
/// `book.text-direction`, and the preprocessors. A key covers the keys under it; every
/// other key mdBook knows is named in the "ignored" warning.
const FOLIO_READS: &[&str] = &[
    "book.title",
    "book.authors",
    "book.description",
    "book.src",
    "book.language",
    "book.text-direction",
    "build.build-dir",
    "build.create-missing",
    "output.html.additional-css",
    "output.html.additional-js",
    "output.html.redirect",
    "output.html.print.enable",
    "output.html.no-section-label",
    "output.html.git-repository-url",
    "output.html.default-theme",
    "build.extra-watch-dirs",
    "output.html.search.chapter",
    "output.html.input-404",
    "output.html.definition-lists",
    "output.html.admonitions",
    "output.html.fold",
    "output.html.cname",
    "output.html.code.hidelines",
    "output.html.playground.runnable",
    "output.html.playground.editable",
    "output.html.playpen.runnable",
    "output.html.playpen.editable",
    "rust.edition",
    "output.html.smart-punctuation",
    "output.html.curly-quotes",
    "output.html.mathjax-support",
    "output.html.search.enable",
    "output.html.site-url",
    "output.html.edit-url-template",
    "preprocessor",
];

/// A path of the output (`/guide/old.html`, `./old.html`) as its segments.
fn segments(path: &str) -> Vec<String> {
    path.split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .map(str::to_string)
        .collect()
}

/// Paths as folio's book.toml writes them: with `/`.
fn paths(paths: &[PathBuf]) -> Vec<String> {
    paths.iter().map(|p| crate::diag::display_path(p)).collect()
}

/// Whether the book.toml `text`, in the folder `root`, is mdBook's: it has a key only
/// mdBook knows (`[book] src`, `[rust]`, an `[output.*]` or `[preprocessor.*]` table,
/// any key of mdBook's `[build]`); or, having no key only folio knows, it sits beside
/// `src/SUMMARY.md`.
pub fn is_mdbook(root: &Path, text: &str) -> bool {
    let summary = || root.join("src").join("SUMMARY.md").is_file();
    let Ok(document) = DeTable::parse(text) else {
        return summary();
    };
    let (mdbook, folio) = (schema(), folio_schema());
    if has_keys_only_in(document.get_ref(), &mdbook, &folio) {
        return true;
    }
    !has_keys_only_in(document.get_ref(), &folio, &mdbook) && summary()
}

/// Whether `document` has a table, or a key of `[book]` or `[build]`, that `own`
/// knows and `other` does not.
fn has_keys_only_in(document: &DeTable, own: &Json, other: &Json) -> bool {
    document.iter().any(|(key, value)| {
        let key = key.get_ref().as_ref();
        match (own.get(key), other.get(key), value.get_ref()) {
            (None, ..) => false,
            (Some(_), None, _) => true,
            (Some(Json::Object(mine)), Some(Json::Object(theirs)), DeValue::Table(table)) => {
                table.iter().any(|(inner, _)| {
                    let inner = inner.get_ref().as_ref();
                    mine.contains_key(inner) && !theirs.contains_key(inner)
                })
            }
            _ => false,
        }
    })
}

/// Reads an mdBook book.toml: the model and its warnings, or the errors (invalid TOML,
/// a value of the wrong type), each located in the file.
pub fn parse(text: &str) -> Result<(BookToml, Vec<Diagnostic>), Vec<Diagnostic>> {
    let located = |error: toml::de::Error| toml_diagnostic(text, &error);
    let parsed = DeTable::parse(text).map_err(|error| vec![located(error)])?;
    let (tables, html) = match (
        toml::from_str::<Tables>(text),
        toml::from_str::<HtmlTables>(text),
    ) {
        (Ok(tables), Ok(html)) => (tables, html.output.html),
        (tables, html) => {
            let errors = [tables.err(), html.err()].into_iter().flatten();
            return Err(errors.map(located).collect());
        }
    };
    let document = toml::from_str::<toml::Table>(text).map_err(|error| vec![located(error)])?;
    let book = BookToml::assemble(tables, html, document);
    let warnings = book.warnings(text, parsed.get_ref());
    Ok((book, warnings))
}

impl BookToml {
    fn assemble(tables: Tables, html: Html, document: toml::Table) -> Self {
        let mut backends = tables.output;
        backends.remove("html");
        Self {
            book: tables.book,
            build: tables.build,
            rust: tables.rust,
            html,
            preprocessors: tables.preprocessor,
            backends,
            document,
        }
    }

    /// The model of `document`, for a document changed by an override: its errors
    /// have no place in the file.
    fn from_document(document: toml::Table) -> Result<Self, toml::de::Error> {
        let value = toml::Value::Table(document.clone());
        let tables: Tables = value.clone().try_into()?;
        let html: HtmlTables = value.try_into()?;
        Ok(Self::assemble(tables, html.output.html, document))
    }

    /// The folio configuration for the settings folio shares with mdBook. The rest of
    /// folio's settings are set as mdBook behaves: raw HTML passes through unchanged,
    /// and a broken link is a warning, not an error.
    pub fn folio_config(&self) -> Config {
        let defaults = Config::default();
        // mdBook reads an empty `src` as the book root.
        let src = if self.book.src.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            self.book.src.clone()
        };
        Config {
            book: folio::Book {
                title: self.book.title.clone().unwrap_or(defaults.book.title),
                description: self.book.description.clone().unwrap_or_default(),
                authors: self.book.authors.clone(),
                language: self.book.language.clone(),
                edit_url: self.html.edit_url_template.clone(),
            },
            build: folio::Build {
                content_dir: src,
                output_dir: self.build.build_dir.clone(),
                base_url: self.base_url().unwrap_or(defaults.build.base_url),
                broken_links: folio::Severity::Warn,
            },
            markdown: folio::Markdown {
                smart_punctuation: self.html.uses_smart_punctuation(),
                math: self.html.mathjax_support,
                trust_raw_html: true,
            },
            search: folio::Search {
                enabled: self.html.search.enable,
            },
            theme: folio::Theme {
                additional_css: paths(&self.html.additional_css),
                additional_js: paths(&self.html.additional_js),
            },
            ..defaults
        }
    }

    /// The book.toml as mdBook reads it, environment overrides included: what the
    /// book's preprocessors are given.
    pub fn toml_text(&self) -> String {
        toml::to_string(&self.document).unwrap_or_default()
    }

    /// Whether the chapter at `path` (relative to `src`) is searched: the setting of the
    /// longest path of `[output.html.search.chapter]` that is it or a folder of it.
    pub fn searchable(&self, path: &str) -> bool {
        let covers = |key: &str| {
            let key = key.trim_end_matches('/');
            key.is_empty()
                || path == key
                || path.strip_prefix(key).is_some_and(|r| r.starts_with('/'))
        };
        self.html
            .search
            .chapter
            .iter()
            .filter(|(key, settings)| covers(key) && settings.enable.is_some())
            .max_by_key(|(key, _)| key.len())
            .and_then(|(_, settings)| settings.enable)
            .unwrap_or(true)
    }

    /// Whether `default-theme` names one of mdBook's dark themes (coal, navy, ayu):
    /// folio's dark palette is then the default, which a reader can still change.
    pub fn prefers_dark(&self) -> bool {
        self.html
            .default_theme
            .as_deref()
            .is_some_and(|theme| matches!(theme, "coal" | "navy" | "ayu"))
    }

    /// Where the book is published, for a `CNAME` file (GitHub Pages), when book.toml
    /// says.
    pub fn cname(&self) -> Option<&str> {
        self.html.cname.as_deref().filter(|c| !c.trim().is_empty())
    }

    /// How the book's Markdown renders: its hidden lines, playgrounds and edition.
    pub fn markdown_flavour(&self) -> crate::markdown::MdBook {
        crate::markdown::MdBook {
            hidelines: self.html.code.hidelines.clone(),
            runnable: self.html.playground.runnable,
            editable: self.html.playground.editable,
            edition: self.rust.edition,
            definition_lists: self.html.definition_lists,
            admonitions: self.html.admonitions,
        }
    }

    /// The redirect pages of `[output.html.redirect]`: each old path (from the book's
    /// root, as segments) with the address it leads to, as written; a fragment
    /// redirect (`old.html#id`) is left out.
    pub fn redirects(&self) -> Vec<(Vec<String>, String)> {
        self.html
            .redirect
            .iter()
            .filter(|(from, _)| !from.contains('#'))
            .map(|(from, to)| (segments(from), to.clone()))
            .filter(|(segments, _)| !segments.is_empty())
            .collect()
    }

    /// The fragment redirects of `[output.html.redirect]` (`"old.html#id" = "new.html#x"`):
    /// the page's path as segments, the fragment, and where it leads, as written.
    pub fn fragment_redirects(&self) -> Vec<(Vec<String>, String, String)> {
        self.html
            .redirect
            .iter()
            .filter_map(|(from, to)| {
                let (path, fragment) = from.split_once('#')?;
                Some((segments(path), fragment.to_string(), to.clone()))
            })
            .collect()
    }

    /// `site-url` when folio can serve the book under it.
    fn base_url(&self) -> Option<String> {
        let site_url = self.html.site_url.as_deref()?;
        BaseUrl::parse(site_url).ok().map(|_| site_url.to_string())
    }

    /// Applies mdBook's environment overrides: `MDBOOK_BOOK__TITLE=…` sets
    /// `book.title` (`__` separates keys, `_` is `-`, any case). A value is read as
    /// JSON, else as a string; a JSON `{…}` for `MDBOOK_BOOK` or `MDBOOK_BUILD` sets
    /// each of its keys. Returns a warning for each override that fits neither way;
    /// that override is left out, as mdBook leaves it out.
    pub fn apply_env(&mut self, vars: impl Iterator<Item = (String, String)>) -> Vec<Diagnostic> {
        let mut warnings = Vec::new();
        for (name, value) in vars {
            let Some(key) = env_key(&name) else {
                continue;
            };
            if let Err(error) = self.apply_override(&key, &value) {
                let message = format!(
                    "environment variable {name} ignored: {}",
                    error.message().trim()
                );
                warnings.push(Diagnostic::warning(Kind::InvalidConfigValue, message));
            }
        }
        warnings
    }

    /// Sets `key` to `text` read as JSON, or else as a string.
    fn apply_override(&mut self, key: &[String], text: &str) -> Result<(), toml::de::Error> {
        let as_string = toml::Value::String(text.to_string());
        let as_json = serde_json::from_str::<Json>(text)
            .ok()
            .and_then(|json| toml::Value::try_from(json).ok());
        let first_try = as_json.map(|value| self.with_override(key, value));
        // JSON of the wrong type may still be a fine string: a title of `1984`.
        let updated = match first_try {
            Some(Ok(updated)) => updated,
            Some(Err(error)) => self.with_override(key, as_string).map_err(|_| error)?,
            None => self.with_override(key, as_string)?,
        };
        *self = updated;
        Ok(())
    }

    fn with_override(&self, key: &[String], value: toml::Value) -> Result<Self, toml::de::Error> {
        let mut document = self.document.clone();
        match (key, value) {
            ([table], toml::Value::Table(entries)) if table == "book" || table == "build" => {
                for (name, value) in entries {
                    set(&mut document, &[table.clone(), name], value);
                }
            }
            (key, value) => set(&mut document, key, value),
        }
        Self::from_document(document)
    }

    fn warnings(&self, text: &str, document: &DeTable) -> Vec<Diagnostic> {
        let mut settings = Vec::new();
        collect_settings(document, &schema(), "", &mut settings);
        settings.sort_by_key(|setting| setting.span.start);
        let mut warnings: Vec<Diagnostic> = [
            unknown_keys_warning(text, &settings),
            ignored_keys_warning(text, &settings),
            self.site_url_warning(text, document),
        ]
        .into_iter()
        .flatten()
        .collect();
        warnings.extend(backend_warnings(text, document));
        warnings
    }

    fn site_url_warning(&self, text: &str, document: &DeTable) -> Option<Diagnostic> {
        let site_url = self.html.site_url.as_deref()?;
        let message = BaseUrl::parse(site_url).err()?;
        let span = value_span(document, &["output", "html", "site-url"]).unwrap_or(0..0);
        let warning = Diagnostic::warning(
            Kind::InvalidConfigValue,
            format!("site-url ignored: {message}"),
        );
        Some(
            warning
                .at(CONFIG_FILE, text, span)
                .help("folio serves the book at `/`"),
        )
    }
}

/// The key an mdBook environment variable sets, split at its dots: `MDBOOK_FOO_bar__baz`
/// sets `foo-bar.baz`. None for any other variable.
fn env_key(name: &str) -> Option<Vec<String>> {
    let key = name.strip_prefix("MDBOOK_")?.to_lowercase();
    let parts: Vec<String> = key.split("__").map(|part| part.replace('_', "-")).collect();
    parts.iter().all(|part| !part.is_empty()).then_some(parts)
}

/// Sets `key` in `table`, making the tables on the way, replacing whatever is not one.
fn set(table: &mut toml::Table, key: &[String], value: toml::Value) {
    let Some((last, parents)) = key.split_last() else {
        return;
    };
    let mut table = table;
    for parent in parents {
        let entry = table
            .entry(parent.clone())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        if !entry.is_table() {
            *entry = toml::Value::Table(toml::Table::new());
        }
        let toml::Value::Table(inner) = entry else {
            return;
        };
        table = inner;
    }
    table.insert(last.clone(), value);
}

/// The shape of an mdBook book.toml, from the defaults' own serialisation so that it
/// cannot drift from the structs: each table an object of its keys, `"*"` for any name,
/// anything else a setting (a value, or a table of free-form entries).
fn schema() -> Json {
    let mut html = serde_json::to_value(Html::default()).unwrap_or_default();
    html["playpen"] = html["playground"].clone();
    html["code"]["hidelines"] = Json::Null;
    html["redirect"] = Json::Null;
    html["search"]["chapter"] = json!({ "*": SearchChapter::default() });
    json!({
        "book": Book::default(),
        "build": Build::default(),
        "rust": Rust::default(),
        "output": { "html": html, "*": null },
        "preprocessor": { "*": null },
    })
}

/// The shape of folio's own book.toml, to tell the two apart.
fn folio_schema() -> Json {
    serde_json::to_value(Config::default()).unwrap_or_default()
}

/// A key of the file, by its dotted path (`output.html.fold.enable`).
struct Setting {
    path: String,
    span: Range<usize>,
    status: Status,
}

enum Status {
    Known,
    /// A key mdBook does not know, with a close key of its table, if any.
    Unknown {
        close: Option<String>,
    },
}

/// Every setting of `table` (at `parent`), known or not, matched against `shape`.
fn collect_settings(table: &DeTable, shape: &Json, parent: &str, found: &mut Vec<Setting>) {
    let Json::Object(fields) = shape else {
        return;
    };
    for (key, value) in table {
        let name = key.get_ref().as_ref();
        let path = match parent {
            "" => name.to_string(),
            _ => format!("{parent}.{name}"),
        };
        let span = key.span();
        match (
            fields.get(name).or_else(|| fields.get("*")),
            value.get_ref(),
        ) {
            (Some(inner @ Json::Object(_)), DeValue::Table(inner_table)) => {
                collect_settings(inner_table, inner, &path, found);
            }
            (Some(_), _) => found.push(Setting {
                path,
                span,
                status: Status::Known,
            }),
            (None, _) => {
                let keys = fields.keys().map(String::as_str).filter(|k| *k != "*");
                let close = did_you_mean(name, keys).map(str::to_string);
                found.push(Setting {
                    path,
                    span,
                    status: Status::Unknown { close },
                });
            }
        }
    }
}

/// One warning listing every key mdBook does not know, at the first of them.
fn unknown_keys_warning(text: &str, settings: &[Setting]) -> Option<Diagnostic> {
    let unknown: Vec<(&Setting, &Option<String>)> = settings
        .iter()
        .filter_map(|setting| match &setting.status {
            Status::Unknown { close } => Some((setting, close)),
            Status::Known => None,
        })
        .collect();
    let (first, _) = unknown.first()?;
    let names: Vec<String> = unknown
        .iter()
        .map(|(setting, close)| match close {
            Some(close) => format!("`{}` (did you mean `{close}`?)", setting.path),
            None => format!("`{}`", setting.path),
        })
        .collect();
    let message = format!("unknown keys, ignored: {}", names.join(", "));
    let warning = Diagnostic::warning(Kind::UnknownConfigKey, message)
        .at(CONFIG_FILE, text, first.span.clone())
        .label("unknown key");
    Some(warning.help("mdBook's configuration guide lists the keys it reads"))
}

/// One warning listing every key mdBook knows and folio does not act on, at the first.
fn ignored_keys_warning(text: &str, settings: &[Setting]) -> Option<Diagnostic> {
    let ignored: Vec<&Setting> = settings
        .iter()
        .filter(|setting| matches!(setting.status, Status::Known) && folio_ignores(&setting.path))
        .collect();
    let first = ignored.first()?;
    let names: Vec<String> = ignored
        .iter()
        .map(|setting| format!("`{}`", setting.path))
        .collect();
    let message = format!("mdBook settings folio ignores: {}", names.join(", "));
    let warning = Diagnostic::warning(Kind::IgnoredConfigKey, message)
        .at(CONFIG_FILE, text, first.span.clone())
        .label("ignored by folio");
    Some(warning.help("mdBook still reads them; folio builds the book without them"))
}

/// Whether folio ignores the known key at `path`; a backend's keys are warned about
/// with the backend.
fn folio_ignores(path: &str) -> bool {
    let in_backend = path
        .strip_prefix("output.")
        .is_some_and(|rest| rest != "html" && !rest.starts_with("html."));
    let read = FOLIO_READS
        .iter()
        .any(|read| path == *read || path.strip_prefix(read).is_some_and(|r| r.starts_with('.')));
    !in_backend && !read
}

/// A warning for each backend folio does not run, at its name.
fn backend_warnings(text: &str, document: &DeTable) -> Vec<Diagnostic> {
    let Some(DeValue::Table(outputs)) = document.get("output").map(|value| value.get_ref()) else {
        return Vec::new();
    };
    outputs
        .iter()
        .map(|(name, _)| name)
        .filter(|name| name.get_ref() != "html")
        .map(|name| {
            let message = format!(
                "[output.{}] is an mdBook backend folio does not run; skipped",
                name.get_ref()
            );
            // folio checks a book's links itself, and its web links on request.
            let help = match name.get_ref().as_ref() {
                "linkcheck" => {
                    "folio checks every internal link and anchor; `folio check --external` fetches web links"
                }
                _ => "build the book with mdBook for this output",
            };
            Diagnostic::warning(Kind::UnsupportedBackend, message)
                .at(CONFIG_FILE, text, name.span())
                .help(help)
        })
        .collect()
}

/// The place of the value at `path` in the file.
fn value_span(document: &DeTable, path: &[&str]) -> Option<Range<usize>> {
    let (last, parents) = path.split_last()?;
    let mut table = document;
    for parent in parents {
        let DeValue::Table(inner) = table.get(*parent)?.get_ref() else {
            return None;
        };
        table = inner;
    }
    table.get(*last).map(|value| value.span())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRPL: &str = include_str!("../../tests/fixtures/mdbook_config/trpl/book.toml");
    const RUST_BY_EXAMPLE: &str =
        include_str!("../../tests/fixtures/mdbook_config/rust-by-example/book.toml");

    /// Every key of mdBook's configuration guide, none at its default.
    const EVERY_KEY: &str = r#"
[book]
title = "Example book"
authors = ["John Doe", "Jane Doe"]
description = "The example book covers examples."
src = "my-src"
language = "ar"
text-direction = "ltr"
multilingual = false

[rust]
edition = "2021"

[build]
build-dir = "my-book"
create-missing = false
use-default-preprocessors = false
extra-watch-dirs = ["po"]

[preprocessor.links]

[preprocessor.example]
command = "python example.py"
before = ["links"]
after = ["index"]
renderers = ["html"]
optional = true
some-extra-feature = true

[output.html]
theme = "my-theme"
default-theme = "rust"
preferred-dark-theme = "ayu"
smart-punctuation = false
curly-quotes = true
definition-lists = false
admonitions = false
mathjax-support = true
additional-css = ["custom.css", "custom2.css"]
additional-js = ["custom.js"]
no-section-label = true
git-repository-url = "https://github.com/rust-lang/mdBook"
git-repository-icon = "fas-code-fork"
edit-url-template = "https://github.com/rust-lang/mdBook/edit/master/guide/{path}"
site-url = "/example-book/"
cname = "myproject.rs"
input-404 = "not-found.md"
live-reload-endpoint = "__livereload"
hash-files = false
sidebar-header-nav = false

[output.html.print]
enable = false
page-break = false

[output.html.fold]
enable = true
level = 2

[output.html.playground]
editable = true
copyable = false
copy-js = false
line-numbers = true
runnable = false

[output.html.code.hidelines]
python = "~"

[output.html.search]
enable = false
limit-results = 15
teaser-word-count = 20
use-boolean-and = true
boost-title = 3
boost-hierarchy = 2
boost-paragraph = 2
expand = false
heading-split-level = 2
copy-js = false

[output.html.search.chapter]
"appendix" = { enable = false }
"appendix/glossary.md" = { enable = true }

[output.html.redirect]
"/old-page.html" = "new-page.html"
"/old-page.html#old-fragment" = "new-page.html#new-fragment"

[output.markdown]
"#;

    fn parsed(text: &str) -> (BookToml, Vec<Diagnostic>) {
        match parse(text) {
            Ok(parsed) => parsed,
            Err(errors) => panic!("{errors:?}"),
        }
    }

    /// The one error of `text`: its kind, `line:column` and message.
    fn error(text: &str) -> (Kind, String, String) {
        let errors = parse(text).expect_err("an error");
        assert_eq!(errors.len(), 1, "{errors:?}");
        let error = &errors[0];
        let location = error.location().unwrap_or_default();
        (error.kind, location, error.message.clone())
    }

    /// (kind, location, message) of each warning.
    fn warnings(diagnostics: &[Diagnostic]) -> Vec<(Kind, String, String)> {
        diagnostics
            .iter()
            .map(|d| (d.kind, d.location().unwrap_or_default(), d.message.clone()))
            .collect()
    }

    #[test]
    fn an_empty_file_has_mdbooks_defaults() {
        let (book, warnings) = parsed("");
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(book.book, Book::default());
        assert_eq!(book.book.src, PathBuf::from("src"));
        assert_eq!(book.build.build_dir, PathBuf::from("book"));
        assert!(book.build.create_missing && book.build.use_default_preprocessors);
        assert!(book.html.uses_smart_punctuation());
        assert!(book.html.hash_files && book.html.search.enable && book.html.print.enable);
        assert_eq!(book.html.search.limit_results, 30);
        assert_eq!(book.rust.edition, None);
        assert!(book.preprocessors.is_empty() && book.backends.is_empty());
    }

    #[test]
    fn every_key_of_the_guide_is_read() {
        let (book, _) = parsed(EVERY_KEY);
        assert_eq!(book.book.title.as_deref(), Some("Example book"));
        assert_eq!(book.book.authors, ["John Doe", "Jane Doe"]);
        assert_eq!(book.book.src, PathBuf::from("my-src"));
        assert_eq!(book.book.text_direction(), TextDirection::LeftToRight);
        assert_eq!(book.rust.edition, Some(Edition::E2021));
        let build = Build {
            build_dir: "my-book".into(),
            create_missing: false,
            use_default_preprocessors: false,
            extra_watch_dirs: vec!["po".into()],
        };
        assert_eq!(book.build, build);
        let html = &book.html;
        assert_eq!(html.theme, Some(PathBuf::from("my-theme")));
        assert_eq!(
            (
                html.default_theme.as_deref(),
                html.preferred_dark_theme.as_deref()
            ),
            (Some("rust"), Some("ayu"))
        );
        assert!(!html.uses_smart_punctuation());
        assert!(!html.definition_lists && !html.admonitions && html.mathjax_support);
        assert_eq!(html.additional_css.len() + html.additional_js.len(), 3);
        assert!(html.no_section_label && !html.hash_files && !html.sidebar_header_nav);
        assert_eq!(html.git_repository_icon.as_deref(), Some("fas-code-fork"));
        assert_eq!(html.cname.as_deref(), Some("myproject.rs"));
        assert_eq!(html.input_404.as_deref(), Some("not-found.md"));
        assert_eq!(html.live_reload_endpoint.as_deref(), Some("__livereload"));
        assert_eq!(
            html.print,
            Print {
                enable: false,
                page_break: false
            }
        );
        assert_eq!(
            html.fold,
            Fold {
                enable: true,
                level: 2
            }
        );
        let playground = Playground {
            editable: true,
            copyable: false,
            copy_js: false,
            line_numbers: true,
            runnable: false,
        };
        assert_eq!(html.playground, playground);
        assert_eq!(html.code.hidelines["python"], "~");
        assert_eq!(
            html.redirect["/old-page.html#old-fragment"],
            "new-page.html#new-fragment"
        );
    }

    #[test]
    fn search_preprocessors_and_backends_are_read() {
        let (book, _) = parsed(EVERY_KEY);
        let search = &book.html.search;
        assert_eq!(
            (
                search.enable,
                search.limit_results,
                search.teaser_word_count
            ),
            (false, 15, 20)
        );
        assert!(search.use_boolean_and && !search.expand && !search.copy_js);
        assert_eq!(
            (
                search.boost_title,
                search.boost_hierarchy,
                search.boost_paragraph
            ),
            (3, 2, 2)
        );
        assert_eq!(search.heading_split_level, 2);
        assert_eq!(search.chapter["appendix"].enable, Some(false));
        assert_eq!(search.chapter["appendix/glossary.md"].enable, Some(true));
        let example = &book.preprocessors["example"];
        assert_eq!(example.command.as_deref(), Some("python example.py"));
        assert_eq!(
            (&example.before[..], &example.after[..]),
            (&["links".to_string()][..], &["index".to_string()][..])
        );
        assert_eq!(example.renderers, Some(vec!["html".to_string()]));
        assert!(example.optional);
        assert_eq!(
            example.settings.get("some-extra-feature"),
            Some(&toml::Value::Boolean(true))
        );
        assert_eq!(book.preprocessors["links"], Preprocessor::default());
        assert_eq!(book.backends.keys().collect::<Vec<_>>(), ["markdown"]);
    }

    #[test]
    fn the_shared_settings_map_to_folios_config() {
        let (book, _) = parsed(EVERY_KEY);
        let config = book.folio_config();
        assert_eq!(config.book.title, "Example book");
        assert_eq!(config.book.description, "The example book covers examples.");
        assert_eq!(config.book.authors, ["John Doe", "Jane Doe"]);
        assert_eq!(config.book.language, "ar");
        assert_eq!(
            config.book.edit_url.as_deref(),
            Some("https://github.com/rust-lang/mdBook/edit/master/guide/{path}")
        );
        assert_eq!(config.build.content_dir, PathBuf::from("my-src"));
        assert_eq!(config.build.output_dir, PathBuf::from("my-book"));
        assert_eq!(config.base_url().path, "/example-book/");
        assert_eq!(config.build.broken_links, folio::Severity::Warn);
        assert!(!config.markdown.smart_punctuation);
        assert!(config.markdown.math && config.markdown.trust_raw_html);
        assert!(!config.search.enabled);
    }

    #[test]
    fn an_empty_file_maps_to_mdbooks_folders() {
        let config = parsed("").0.folio_config();
        assert_eq!(config.book.title, "Untitled");
        assert_eq!(config.build.content_dir, PathBuf::from("src"));
        assert_eq!(config.build.output_dir, PathBuf::from("book"));
        assert_eq!(config.build.base_url, "/");
        assert!(config.markdown.smart_punctuation && config.search.enabled);
    }

    #[test]
    fn every_key_of_the_guide_is_known() {
        let (_, diagnostics) = parsed(EVERY_KEY);
        let kinds: Vec<Kind> = diagnostics.iter().map(|d| d.kind).collect();
        assert_eq!(kinds, [Kind::IgnoredConfigKey, Kind::UnsupportedBackend]);
    }

    #[test]
    fn the_old_curly_quotes_stands_in_for_smart_punctuation() {
        let read = |text: &str| parsed(text).0.html.uses_smart_punctuation();
        assert!(!read("[output.html]\ncurly-quotes = false\n"));
        assert!(read(
            "[output.html]\ncurly-quotes = true\nsmart-punctuation = true\n"
        ));
        assert!(!read(
            "[output.html]\ncurly-quotes = true\nsmart-punctuation = false\n"
        ));
    }

    #[test]
    fn text_direction_follows_the_language_unless_set() {
        let direction = |text: &str| parsed(text).0.book.text_direction();
        assert_eq!(
            direction("[book]\nlanguage = \"fa\"\n"),
            TextDirection::RightToLeft
        );
        assert_eq!(
            direction("[book]\nlanguage = \"fr\"\n"),
            TextDirection::LeftToRight
        );
        let set = "[book]\nlanguage = \"he\"\ntext-direction = \"ltr\"\n";
        assert_eq!(direction(set), TextDirection::LeftToRight);
    }

    #[test]
    fn the_rust_book_parses_with_its_warnings() {
        let (book, diagnostics) = parsed(TRPL);
        assert_eq!(
            book.book.title.as_deref(),
            Some("The Rust Programming Language")
        );
        assert_eq!(book.html.redirect.len(), 22);
        assert_eq!(book.html.redirect["ch17-00-oop.html"], "ch18-00-oop.html");
        assert_eq!(
            book.preprocessors["trpl-listing"]
                .settings
                .get("output-mode"),
            Some(&toml::Value::String("default".into()))
        );
        assert_eq!(book.rust.edition, Some(Edition::E2024));
        assert_eq!(
            book.build.extra_watch_dirs,
            [PathBuf::from("packages/mdbook-trpl")]
        );
        let ignored = "mdBook settings folio ignores: `output.html.search.use-boolean-and`";
        assert_eq!(
            warnings(&diagnostics),
            [(
                Kind::IgnoredConfigKey,
                "book.toml:14:1".into(),
                ignored.into()
            )]
        );
    }

    #[test]
    fn rust_by_example_parses_with_its_warnings() {
        let (book, diagnostics) = parsed(RUST_BY_EXAMPLE);
        assert!(book.html.playground.editable && book.html.playground.line_numbers);
        assert!(book.html.fold.enable && book.html.hash_files);
        let gettext = &book.preprocessors["gettext"];
        assert!(gettext.optional);
        assert_eq!(gettext.after, ["links"]);
        let config = book.folio_config();
        assert_eq!(
            config.book.edit_url.as_deref(),
            Some("https://github.com/rust-lang/rust-by-example/edit/master/{path}")
        );
        let ignored = "mdBook settings folio ignores: `output.html.playpen.line-numbers`, \
            `output.html.hash-files`, `output.html.search.use-boolean-and`";
        assert_eq!(
            warnings(&diagnostics),
            [(
                Kind::IgnoredConfigKey,
                "book.toml:8:1".into(),
                ignored.into()
            )]
        );
    }

    #[test]
    fn unknown_keys_are_one_located_warning() {
        let text = "[book]\ntitle = \"x\"\ntitel = \"y\"\n\n[output.html]\nadditonal-css = []\n\
            google-analytics = \"UA-1\"\n[extra]\nanything = 1\n";
        let (book, diagnostics) = parsed(text);
        assert_eq!(book.book.title.as_deref(), Some("x"));
        let message = "unknown keys, ignored: `book.titel` (did you mean `title`?), \
            `output.html.additonal-css` (did you mean `additional-css`?), \
            `output.html.google-analytics`, `extra`";
        assert_eq!(
            warnings(&diagnostics),
            [(
                Kind::UnknownConfigKey,
                "book.toml:3:1".into(),
                message.into()
            )]
        );
    }

    #[test]
    fn each_backend_folio_does_not_run_is_a_warning_at_its_name() {
        let text = "[output.html]\n\n[output.linkcheck]\nfollow-web-links = false\n\
            optional = true\n\n[output.pdf]\ncommand = \"mdbook-pdf --a4\"\n";
        let (book, diagnostics) = parsed(text);
        assert_eq!(
            warnings(&diagnostics),
            [
                (
                    Kind::UnsupportedBackend,
                    "book.toml:3:9".into(),
                    "[output.linkcheck] is an mdBook backend folio does not run; skipped".into()
                ),
                (
                    Kind::UnsupportedBackend,
                    "book.toml:7:9".into(),
                    "[output.pdf] is an mdBook backend folio does not run; skipped".into()
                ),
            ]
        );
        let helps: Vec<_> = diagnostics
            .iter()
            .filter_map(|d| d.help.as_deref())
            .collect();
        assert!(helps[0].contains("`folio check --external`"), "{helps:?}");
        assert_eq!(helps[1], "build the book with mdBook for this output");
        let linkcheck = &book.backends["linkcheck"];
        assert!(linkcheck.optional);
        assert_eq!(
            linkcheck.settings.get("follow-web-links"),
            Some(&toml::Value::Boolean(false))
        );
        assert_eq!(
            book.backends["pdf"].command.as_deref(),
            Some("mdbook-pdf --a4")
        );
    }

    #[test]
    fn a_site_url_folio_cannot_serve_under_is_a_warning_at_its_value() {
        let (book, diagnostics) = parsed("[output.html]\nsite-url = \"book/\"\n");
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert_eq!(diagnostics[0].kind, Kind::InvalidConfigValue);
        assert_eq!(diagnostics[0].location().as_deref(), Some("book.toml:2:12"));
        assert_eq!(book.folio_config().build.base_url, "/");
    }

    #[test]
    fn invalid_toml_is_a_located_error() {
        let (kind, location, _) = error("[book]\ntitle = \n");
        assert_eq!(
            (kind, location.as_str()),
            (Kind::ConfigSyntax, "book.toml:2:9")
        );
    }

    #[test]
    fn wrong_types_are_located_at_the_value() {
        let cases = [
            ("[build]\ncreate-missing = \"yes\"\n", "book.toml:2:18"),
            ("[book]\nauthors = \"me\"\n", "book.toml:2:11"),
            ("[book]\ntext-direction = \"up\"\n", "book.toml:2:18"),
            ("[rust]\nedition = \"2019\"\n", "book.toml:2:11"),
            ("[output.html.fold]\nlevel = \"deep\"\n", "book.toml:2:9"),
            ("[output.html.playpen]\neditable = 1\n", "book.toml:2:12"),
            (
                "[output.html.search.chapter]\n\"a\" = { enable = 1 }\n",
                "book.toml:2:18",
            ),
            ("[preprocessor.x]\noptional = \"yes\"\n", "book.toml:2:12"),
            ("[output.pdf]\ncommand = 3\n", "book.toml:2:11"),
        ];
        for (text, expected) in cases {
            let (kind, location, message) = error(text);
            assert_eq!(
                (kind, location.as_str()),
                (Kind::ConfigSyntax, expected),
                "{message}"
            );
        }
    }

    /// A folder holding `book.toml` (and `src/SUMMARY.md` when `summary`).
    fn book_folder(summary: bool) -> tempfile::TempDir {
        let folder = tempfile::tempdir().expect("a temporary folder");
        if summary {
            let src = folder.path().join("src");
            std::fs::create_dir(&src).expect("src");
            std::fs::write(src.join("SUMMARY.md"), "# Summary\n").expect("SUMMARY.md");
        }
        folder
    }

    #[test]
    fn mdbooks_book_toml_is_recognised() {
        let bare = book_folder(false);
        for text in [
            TRPL,
            RUST_BY_EXAMPLE,
            "[book]\nsrc = \"doc\"\n",
            "[book]\ntitle = \"x\"\nmultilingual = false\n",
            "[output.html]\n",
            "[preprocessor.toc]\n",
            "[build]\nbuild-dir = \"out\"\n",
        ] {
            assert!(is_mdbook(bare.path(), text), "{text}");
        }
        let with_summary = book_folder(true);
        assert!(is_mdbook(with_summary.path(), "[book]\ntitle = \"x\"\n"));
        assert!(is_mdbook(with_summary.path(), "[book\n"));
    }

    #[test]
    fn the_longest_search_chapter_path_decides() {
        let (book, _) = parsed(
            "[book]\nsrc = \"src\"\n[output.html.search.chapter]\n\"guide\" = { enable = false }\n\"guide/keep.md\" = { enable = true }\n",
        );
        assert!(!book.searchable("guide/a.md"));
        assert!(book.searchable("guide/keep.md"));
        assert!(book.searchable("guidebook.md"));
        assert!(book.searchable("other.md"));
    }

    #[test]
    fn folios_book_toml_is_not_mdbooks() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut folders = vec![root.to_path_buf()];
        let fixtures = std::fs::read_dir(root.join("tests/fixtures")).expect("fixtures");
        // Fixtures named `mdbook_*` are mdBook books.
        folders.extend(
            fixtures
                .flatten()
                .map(|entry| entry.path())
                .filter(|path| !path.ends_with("mdbook_basic")),
        );
        let mut seen = 0;
        for folder in folders {
            let Ok(text) = std::fs::read_to_string(folder.join(CONFIG_FILE)) else {
                continue;
            };
            seen += 1;
            assert!(!is_mdbook(&folder, &text), "{}", folder.display());
        }
        assert!(seen >= 10, "{seen}");
        let with_summary = book_folder(true);
        let folio = "[book]\ntitle = \"x\"\n[build]\ncontent-dir = \"src\"\n";
        assert!(!is_mdbook(with_summary.path(), folio));
        assert!(!is_mdbook(
            book_folder(false).path(),
            "[book]\ntitle = \"x\"\n"
        ));
    }

    fn env<'a>(vars: &'a [(&str, &str)]) -> impl Iterator<Item = (String, String)> + 'a {
        vars.iter().map(|(k, v)| (k.to_string(), v.to_string()))
    }

    #[test]
    fn environment_variables_override_keys() {
        let (mut book, _) = parsed(RUST_BY_EXAMPLE);
        let warnings = book.apply_env(env(&[
            ("MDBOOK_BOOK__TITLE", "Overridden"),
            ("MDBOOK_build__BUILD_DIR", "public"),
            ("MDBOOK_OUTPUT__HTML__SEARCH__ENABLE", "false"),
            ("MDBOOK_OUTPUT__HTML__FOLD__LEVEL", "2"),
            ("MDBOOK_OUTPUT__HTML__PLAYPEN__RUNNABLE", "false"),
            ("MDBOOK_PREPROCESSOR__GETTEXT__PO_DIR", "po"),
            ("HOME", "/home/someone"),
        ]));
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(book.book.title.as_deref(), Some("Overridden"));
        assert_eq!(book.build.build_dir, PathBuf::from("public"));
        assert!(!book.html.search.enable && !book.folio_config().search.enabled);
        assert_eq!(
            book.html.fold,
            Fold {
                enable: true,
                level: 2
            }
        );
        assert!(!book.html.playground.runnable);
        assert_eq!(
            book.preprocessors["gettext"].settings.get("po-dir"),
            Some(&toml::Value::String("po".into()))
        );
    }

    #[test]
    fn a_json_table_for_book_sets_each_of_its_keys() {
        let (mut book, _) = parsed("[book]\ntitle = \"x\"\nsrc = \"doc\"\n");
        let json = r#"{"title": "My Awesome Book", "authors": ["Michael-F-Bryan"]}"#;
        assert!(book.apply_env(env(&[("MDBOOK_BOOK", json)])).is_empty());
        assert_eq!(book.book.title.as_deref(), Some("My Awesome Book"));
        assert_eq!(book.book.authors, ["Michael-F-Bryan"]);
        assert_eq!(book.book.src, PathBuf::from("doc"));
    }

    #[test]
    fn an_override_that_does_not_fit_is_a_warning_and_left_out() {
        let (mut book, _) = parsed("");
        let warnings = book.apply_env(env(&[
            ("MDBOOK_BOOK__TITLE", "1984"),
            ("MDBOOK_BUILD__CREATE_MISSING", "maybe"),
        ]));
        assert_eq!(book.book.title.as_deref(), Some("1984"));
        assert!(book.build.create_missing);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(warnings[0].kind, Kind::InvalidConfigValue);
        assert!(
            warnings[0]
                .message
                .starts_with("environment variable MDBOOK_BUILD__CREATE_MISSING ignored: "),
            "{}",
            warnings[0].message
        );
    }

    #[test]
    fn environment_keys_follow_mdbooks_spelling() {
        let key = |name: &str| env_key(name).map(|parts| parts.join("."));
        assert_eq!(key("MDBOOK_foo").as_deref(), Some("foo"));
        assert_eq!(key("MDBOOK_FOO__BAR").as_deref(), Some("foo.bar"));
        assert_eq!(key("MDBOOK_FOO_BAR").as_deref(), Some("foo-bar"));
        assert_eq!(key("MDBOOK_FOO_bar__baz").as_deref(), Some("foo-bar.baz"));
        assert_eq!(key("MDBOOK_"), None);
        assert_eq!(key("MDBOOK_A____B"), None);
        assert_eq!(key("CARGO_HOME"), None);
    }
}
