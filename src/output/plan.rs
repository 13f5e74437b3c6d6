//! The list of every file a site consists of, and how to produce each one. `build`
//! writes the list to disk; a dev server can answer a request from it without writing
//! anything. Both produce the same bytes from the same entry.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use super::search;
use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics, Kind};
use crate::embedded;
use crate::progress::Progress;
use crate::project::Project;
use crate::render::{Output, Renderers};
use crate::site::Site;

/// How one file's bytes come about.
#[derive(Debug, Clone)]
pub enum Source {
    /// A page rendered through the templates of the site of `language`.
    Render { output: Output, language: usize },
    /// A file copied from the site folder (an asset or a theme file).
    Copy { from: PathBuf, file: PathBuf },
    /// A file of the built-in theme.
    Embedded(&'static [u8]),
    /// A file folio generates without a template: the search index, a book's CNAME.
    Bytes(Vec<u8>),
}

/// One file of the site: its path below the output folder, as URL segments (not
/// encoded), the last one being the file name.
#[derive(Debug, Clone)]
pub struct File {
    pub path: Vec<String>,
    pub source: Source,
}

impl File {
    fn new(path: Vec<String>, source: Source) -> Self {
        Self { path, source }
    }

    pub fn is_page(&self) -> bool {
        matches!(self.source, Source::Render { output, .. } if output.is_page())
    }

    /// The file's bytes.
    pub fn produce<'a>(&'a self, renderer: &Renderers) -> Result<Cow<'a, [u8]>, Diagnostic> {
        match &self.source {
            Source::Render { output, language } => renderer
                .language(*language)
                .render(*output)
                .map(|html| Cow::Owned(html.into_bytes())),
            Source::Copy { from, file } => std::fs::read(from)
                .map(Cow::Owned)
                .map_err(|e| unreadable(file, &e)),
            Source::Embedded(bytes) => Ok(Cow::Borrowed(bytes)),
            Source::Bytes(bytes) => Ok(Cow::Borrowed(bytes)),
        }
    }

    /// Whether the file can be produced, without keeping its bytes: what `check`
    /// needs. A copied file is opened, not read: once it opens, reading cannot fail
    /// for a reason of the site's.
    pub fn verify(&self, renderer: &Renderers) -> Result<(), Diagnostic> {
        match &self.source {
            Source::Copy { from, file } => std::fs::File::open(from)
                .map(drop)
                .map_err(|e| unreadable(file, &e)),
            _ => self.produce(renderer).map(drop),
        }
    }
}

fn unreadable(file: &Path, error: &std::io::Error) -> Diagnostic {
    Diagnostic::error(Kind::Unreadable, format!("cannot read file: {error}")).in_file(file)
}

/// Every file of the site but the search index ([`search_files`]), pages first. A
/// file the site brings (an asset, a static file) at the path of one folio generates
/// (robots.txt, say) replaces the generated one.
pub fn plan(renderer: &Renderers, project: &Project, diagnostics: &mut Diagnostics) -> Vec<File> {
    let site = renderer.site();
    let (generated, mut files): (Vec<File>, Vec<File>) = renderer
        .outputs()
        .into_iter()
        .map(|(path, language, output)| File::new(path, Source::Render { output, language }))
        .partition(
            |file| matches!(file.source, Source::Render { output, .. } if output.is_generated()),
        );
    // Each language's pages link the assets beside them in its own folders.
    for site in renderer.sites() {
        for (asset, segments) in site.assets.iter().zip(&site.asset_segments) {
            let file = Path::new("content").join(&asset.content_path);
            files.push(File::new(
                segments.clone(),
                Source::Copy {
                    from: asset.absolute.clone(),
                    file,
                },
            ));
        }
    }
    let mermaid = (renderer.sites()).any(|site| site.pages.iter().any(|page| page.mermaid));
    for (path, source) in theme_files(&project.theme_dir, diagnostics) {
        if !site.config.search.enabled && search::is_builtin_ui(&path, &source) {
            continue;
        }
        if !mermaid && is_builtin_mermaid(&path, &source) {
            continue;
        }
        let segments = std::iter::once("theme")
            .chain(path.split('/'))
            .map(str::to_string)
            .collect();
        files.push(File::new(segments, source));
    }
    for (path, source) in folder_files(&project.static_dir, "static", diagnostics) {
        files.push(File::new(
            path.split('/').map(str::to_string).collect(),
            source,
        ));
    }
    files.extend(additional_files(&files, project, diagnostics));
    if let Some(cname) = project.book.as_ref().and_then(|book| book.cname()) {
        files.push(File::new(
            vec!["CNAME".into()],
            Source::Bytes(format!("{cname}\n").into_bytes()),
        ));
    }
    let taken: HashSet<&[String]> = files.iter().map(|f| f.path.as_slice()).collect();
    let kept: Vec<File> = generated
        .into_iter()
        .filter(|file| !taken.contains(file.path.as_slice()))
        .collect();
    files.extend(kept);
    files
}

/// The stylesheets and scripts book.toml adds to every page, copied to the same path
/// in the output unless the plan already has that file (from `theme/`, say).
fn additional_files(files: &[File], project: &Project, diagnostics: &mut Diagnostics) -> Vec<File> {
    let theme = &project.config.theme;
    let planned: HashSet<String> = files.iter().map(|f| f.path.join("/")).collect();
    let mut added = Vec::new();
    for path in theme.additional_css.iter().chain(&theme.additional_js) {
        let path = path.trim_start_matches("./");
        let from = project.root.join(path);
        if planned.contains(path) {
            continue;
        }
        if !from.is_file() {
            diagnostics.push(
                Diagnostic::error(
                    Kind::Unreadable,
                    format!("book.toml adds `{path}` to every page, but there is no such file"),
                )
                .in_file(crate::config::CONFIG_FILE)
                .help("the path is relative to the folder of book.toml"),
            );
            continue;
        }
        let segments = path.split('/').map(str::to_string).collect();
        added.push(File::new(
            segments,
            Source::Copy {
                from,
                file: PathBuf::from(path),
            },
        ));
    }
    added
}

/// Every path that two files of the plan share, as an error, and every file in the
/// folder the search index is written to. The site stage keeps pages and sections
/// apart; this catches what reaches one path another way (an asset, a theme or static
/// file, or an alias on a page's path).
pub fn duplicates(files: &[File], config: &Config) -> Diagnostics {
    let mut seen = HashSet::with_capacity(files.len());
    let mut diagnostics = Diagnostics::new();
    for file in files {
        let path = file.path.join("/");
        if config.search.enabled && file.path.first().is_some_and(|f| f == search::FOLDER) {
            diagnostics.push(
                Diagnostic::error(
                    Kind::OutputCollision,
                    format!(
                        "{path} would be written into `{}/`, the search index's folder",
                        search::FOLDER
                    ),
                )
                .help("move or rename it, or turn search off with `[search] enabled = false`"),
            );
        } else if !seen.insert(path) {
            diagnostics.push(duplicate(&file.path.join("/")));
        }
    }
    diagnostics
}

/// Two files at one path: the error `build` and `serve` both give.
pub fn duplicate(path: &str) -> Diagnostic {
    Diagnostic::error(
        Kind::OutputCollision,
        format!("two outputs would both be written to {path}"),
    )
    .help("give one of the pages a different `slug`")
}

/// The search index's files, when the site has search: kept apart from [`plan`]
/// because Pagefind takes seconds on a large site, which a dev server would rather
/// spend when the index is first asked for.
#[derive(Debug, Default)]
pub struct SearchFiles {
    pub files: Vec<File>,
    /// The store's files, written beside their places, to put there once the build
    /// has succeeded, for the next build to reuse, when the index was made afresh.
    pub staged: Vec<crate::staged::Staged>,
    /// How much of the index was made afresh; none without search.
    pub made: Option<search::Made>,
}

/// The search index's files, reusing what the previous build kept in `store` (see
/// [`super::search_store`]) of the pages and files that are unchanged.
pub fn search_files(
    renderer: &Renderers,
    progress: &dyn Progress,
    store: search::Store,
) -> Result<SearchFiles, Diagnostic> {
    if !renderer.site().config.search.enabled {
        return Ok(SearchFiles::default());
    }
    let sites: Vec<&Site> = renderer.sites().collect();
    let index = search::index(&sites, progress, store)?;
    Ok(SearchFiles {
        files: (index.files.into_iter())
            .map(|file| File::new(file.path, Source::Bytes(file.bytes)))
            .collect(),
        staged: index.staged,
        made: Some(index.made),
    })
}

/// The built-in theme's mermaid script and its loader, which only a site with a mermaid
/// diagram gets: at 3.6 MB the script would be most of a small site's output.
fn is_builtin_mermaid(theme_path: &str, source: &Source) -> bool {
    matches!(source, Source::Embedded(_))
        && (theme_path == "mermaid.js" || theme_path.starts_with("vendor/mermaid/"))
}

/// The built-in theme's files, with the site's `theme/` files laid over them.
fn theme_files(theme_dir: &Path, diagnostics: &mut Diagnostics) -> BTreeMap<String, Source> {
    let mut files: BTreeMap<String, Source> = embedded::files(&embedded::THEME)
        .into_iter()
        .map(|(path, bytes)| (path, Source::Embedded(bytes)))
        .collect();
    files.extend(folder_files(theme_dir, "theme", diagnostics));
    files
}

/// Every file below `dir` (shown in diagnostics as `shown`), by its path with `/`
/// separators; none when the folder does not exist.
fn folder_files(dir: &Path, shown: &str, diagnostics: &mut Diagnostics) -> Vec<(String, Source)> {
    let mut files = Vec::new();
    let walk = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !crate::content::walk::is_ignored(e.file_name()));
    for entry in walk {
        match entry {
            Ok(entry) if entry.file_type().is_file() => {
                let Some(path) = crate::content::walk::content_path(dir, entry.path()) else {
                    continue;
                };
                let file = Path::new(shown).join(&path);
                let from = entry.into_path();
                files.push((path, Source::Copy { from, file }));
            }
            Ok(_) => {}
            Err(error)
                if error
                    .io_error()
                    .is_some_and(|e| e.kind() == std::io::ErrorKind::NotFound)
                    && error.depth() == 0 => {}
            Err(error) => diagnostics.push(
                Diagnostic::error(
                    Kind::Unreadable,
                    format!("cannot read the {shown} folder: {error}"),
                )
                .in_file(shown),
            ),
        }
    }
    files
}
