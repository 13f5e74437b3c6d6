//! The project: what a run of folio works on, derived once from the command line and
//! book.toml. Every folder a command reads or writes (content, templates, theme,
//! static files, output, cache) is worked out here and nowhere else, so `build`,
//! `check` and `serve` cannot disagree about where a site keeps its files.

use std::path::{Path, PathBuf};

use crate::config::{BaseUrl, CONFIG_FILE, Config, Severity};
use crate::diag::{Diagnostic, Diagnostics, Kind};
use crate::mdbook::{self, config::BookToml};

/// Where a build keeps what speeds up the next one, in the site folder.
pub const CACHE_DIR: &str = ".folio-cache";

/// What the command line says about a site.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The folder holding book.toml.
    pub site_dir: PathBuf,
    /// Replaces `[build] output-dir`; relative to the current folder.
    pub output: Option<PathBuf>,
    /// Replaces `[build] base-url`.
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Replaces `[build] broken-links` (`--broken-links`, `FOLIO_BROKEN_LINKS`).
    pub broken_links: Option<Severity>,
    /// Where the build cache goes, instead of the site's `.folio-cache/` (or, for an
    /// mdBook book, the user's cache folder).
    pub cache_dir: Option<PathBuf>,
}

impl Options {
    /// Options for the site in `site_dir` (the current folder when `None`).
    pub fn for_site(site_dir: Option<&Path>) -> Self {
        Self {
            site_dir: site_dir.map_or_else(|| PathBuf::from("."), Path::to_path_buf),
            ..Self::default()
        }
    }
}

/// A site's configuration and every folder it uses.
#[derive(Debug, Clone)]
pub struct Project {
    /// The folder holding book.toml.
    pub root: PathBuf,
    pub config: Config,
    pub content_dir: PathBuf,
    /// The site's own templates, laid over the built-in ones.
    pub templates_dir: PathBuf,
    /// The site's own theme files, laid over the built-in ones.
    pub theme_dir: PathBuf,
    /// Files copied to the site as they are.
    pub static_dir: PathBuf,
    /// The site's own theme strings (`i18n/CODE.toml`), laid over the built-in ones.
    pub strings_dir: PathBuf,
    pub output_dir: PathBuf,
    /// Where builds keep what speeds up the next one; none when there is nowhere.
    pub cache_dir: Option<PathBuf>,
    pub drafts: bool,
    /// An mdBook book's book.toml, when the site is one.
    pub book: Option<Box<BookToml>>,
    /// What reading book.toml found that does not stop a build.
    pub warnings: Diagnostics,
}

impl Project {
    /// Reads book.toml, folio's or an mdBook book's, and applies the command line
    /// over it. Reads nothing else and writes nothing.
    pub fn load(options: &Options) -> Result<Self, Diagnostics> {
        let text = Config::read(&options.site_dir)?;
        let (mut config, book, warnings) = if mdbook::config::is_mdbook(&options.site_dir, &text) {
            let (mut book, mut warnings) = mdbook::config::parse(&text)?;
            warnings.extend(book.apply_env(std::env::vars()));
            (book.folio_config(), Some(Box::new(book)), warnings)
        } else {
            (Config::parse(&text)?, None, Vec::new())
        };
        if let Some(base_url) = &options.base_url {
            BaseUrl::parse(base_url).map_err(|message| {
                Diagnostic::error(
                    Kind::InvalidConfigValue,
                    format!("invalid --base-url: {message}"),
                )
            })?;
            config.build.base_url = base_url.clone();
        }
        if let Some(severity) = options.broken_links {
            config.build.broken_links = severity;
        }
        let mut project = Self::with_config(options, config);
        if book.is_some() && options.cache_dir.is_none() {
            project.cache_dir = book_cache_dir(&project.root);
        }
        project.book = book;
        project.warnings = warnings.into();
        Ok(project)
    }

    /// The project of `options` with a configuration already read.
    pub fn with_config(options: &Options, config: Config) -> Self {
        let root = options.site_dir.clone();
        Self {
            content_dir: root.join(&config.build.content_dir),
            templates_dir: root.join("templates"),
            theme_dir: root.join("theme"),
            static_dir: root.join("static"),
            strings_dir: root.join(crate::render::strings::FOLDER),
            output_dir: match &options.output {
                Some(output) => output.clone(),
                None => root.join(&config.build.output_dir),
            },
            cache_dir: Some(
                options
                    .cache_dir
                    .clone()
                    .unwrap_or_else(|| root.join(CACHE_DIR)),
            ),
            drafts: options.drafts,
            book: None,
            warnings: Diagnostics::new(),
            config,
            root,
        }
    }

    /// The configuration file.
    pub fn config_file(&self) -> PathBuf {
        self.root.join(CONFIG_FILE)
    }

    /// Where the site keeps its highlighted code between builds, in its cache folder.
    pub fn highlight_store(&self) -> Option<PathBuf> {
        Some(self.cache_dir.as_ref()?.join("highlight.bin"))
    }

    /// Where the site keeps its search index between builds, in its cache folder.
    pub fn search_store(&self) -> Option<PathBuf> {
        Some(self.cache_dir.as_ref()?.join("search.bin"))
    }
}

/// The cache folder of the mdBook book in `root`: folio writes nothing into a book's
/// folder but its build folder, so it is one in the user's cache folder
/// (`$XDG_CACHE_HOME` or `~/.cache`), under a hash of the book's path.
fn book_cache_dir(root: &Path) -> Option<PathBuf> {
    let canonical = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let key = xxhash_rust::xxh3::xxh3_64(canonical.as_os_str().as_encoded_bytes());
    Some(
        user_cache_dir()?
            .join("folio")
            .join(format!("book-{key:016x}")),
    )
}

/// The user's cache folder: `$XDG_CACHE_HOME`, else `~/.cache` (`%LOCALAPPDATA%` on
/// Windows).
fn user_cache_dir() -> Option<PathBuf> {
    let from = |var: &str| {
        std::env::var_os(var)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    from("XDG_CACHE_HOME")
        .or_else(|| from("HOME").map(|home| home.join(".cache")))
        .or_else(|| from("LOCALAPPDATA"))
}
