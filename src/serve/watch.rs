//! Watching the site's sources: `content/` (or the configured content folder),
//! `templates/`, `theme/`, `static/` and `book.toml`, through `notify` and its full
//! debouncer.
//!
//! Only those folders are watched, recursively, plus the site folder itself without
//! recursion: that one sees `book.toml` replaced by an editor's atomic save (a rename
//! over it) and `templates/` or `theme/` created after the server started, without
//! walking the output folder, `target/` or `.git/`. Every watched folder is watched
//! again when it is deleted and re-created or when book.toml moves the content folder.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify::event::{AccessKind, AccessMode, MetadataKind, ModifyKind};
use notify::{EventKind, EventKindMask, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, NoCache, RecommendedCache};

use crate::config::{CONFIG_FILE, Config};
use crate::content::walk::is_ignored;
use crate::project::{Options, Project};

/// How long the debouncer waits after an event before passing it on: long enough to
/// fold an editor's write-to-temp-and-rename or a pasted folder into one rebuild,
/// short enough to stay well inside the 100 ms from save to reload.
pub const DEBOUNCE: Duration = Duration::from_millis(50);

/// How often `--poll` looks at every file.
pub const POLL_INTERVAL: Duration = Duration::from_millis(300);

/// What the watcher tells the builder.
pub enum Message {
    /// Paths that changed; `rescan` when the watcher lost track and anything may have.
    Changed { paths: Vec<PathBuf>, rescan: bool },
    /// The watcher reported an error.
    Failed(String),
    /// The server is stopping.
    Stop,
}

/// The folders and files a build reads, and the output folder it must not react to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Targets {
    site_dir: PathBuf,
    /// The folders to watch recursively, the content folder first: content,
    /// templates, theme and static files; for an mdBook book, the whole book, whose
    /// chapters may include files from anywhere in it (as mdBook watches it).
    folders: Vec<PathBuf>,
    output: PathBuf,
    /// Whether the whole book is watched, build products (`target/`) aside.
    whole_book: bool,
}

impl Targets {
    /// The folders of `project`, made absolute as file system events name them.
    pub fn new(project: &Project) -> Self {
        let folders = match project.book {
            Some(_) => vec![&project.content_dir, &project.root],
            None => vec![
                &project.content_dir,
                &project.templates_dir,
                &project.theme_dir,
                &project.static_dir,
                &project.strings_dir,
            ],
        };
        Self {
            site_dir: absolute(&project.root),
            folders: folders.into_iter().map(|f| absolute(f)).collect(),
            output: absolute(&project.output_dir),
            whole_book: project.book.is_some(),
        }
    }

    /// The folders of a site whose book.toml cannot be read (the build reports why):
    /// the defaults.
    pub fn fallback(options: &Options) -> Self {
        let config = Config::load(&options.site_dir).unwrap_or_default();
        Self::new(&Project::with_config(options, config))
    }

    /// These targets, and the folders of `files` (relative to `root`) that they do not
    /// cover yet: what pages include from elsewhere in the site.
    pub fn including(mut self, root: &Path, files: &[PathBuf]) -> Self {
        for file in files {
            let Some(folder) = absolute(&root.join(file)).parent().map(Path::to_path_buf) else {
                continue;
            };
            if !self
                .folders
                .iter()
                .any(|watched| folder.starts_with(watched))
            {
                self.folders.push(folder);
            }
        }
        self
    }

    /// Whether a change at `path` can change the site.
    pub fn is_relevant(&self, path: &Path) -> bool {
        if path.starts_with(&self.output) {
            return false;
        }
        // In a book, build products (a preprocessor's `cargo run` writes `target/`)
        // are not sources.
        let product = |name: &std::ffi::OsStr| {
            self.whole_book && (name == "target" || name == "node_modules")
        };
        let hidden = |relative: &Path| {
            relative
                .components()
                .any(|c| is_ignored(c.as_os_str()) || product(c.as_os_str()))
        };
        match path.strip_prefix(&self.site_dir) {
            Ok(relative) => {
                !hidden(relative)
                    && (relative == Path::new(CONFIG_FILE)
                        || self.folders.iter().any(|folder| path.starts_with(folder)))
            }
            // A content folder outside the site folder (`content-dir = "../docs"`).
            Err(_) => path
                .strip_prefix(&self.folders[0])
                .is_ok_and(|relative| !hidden(relative)),
        }
    }
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Whether an event can mean changed content. Reading a file is an event too, and
/// every build reads every file: reacting to those would rebuild forever. The watcher
/// is told not to report them (see [`Watcher::start`]); this is the second fence.
pub fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => false,
        _ => true,
    }
}

enum Backend {
    Native(Debouncer<notify::RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<notify::PollWatcher, NoCache>),
}

impl Backend {
    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            Backend::Native(d) => d.watch(path, mode),
            Backend::Poll(d) => d.watch(path, mode),
        }
    }

    fn unwatch(&mut self, path: &Path) -> notify::Result<()> {
        match self {
            Backend::Native(d) => d.unwatch(path),
            Backend::Poll(d) => d.unwatch(path),
        }
    }
}

/// The running watcher. Dropping it stops it.
pub struct Watcher {
    backend: Backend,
    targets: Targets,
    /// Folders watched recursively.
    watched: BTreeSet<PathBuf>,
    site_watched: bool,
}

impl Watcher {
    /// Starts watching `targets`, sending what changes to `sender`.
    pub fn start(
        targets: Targets,
        poll: bool,
        sender: mpsc::Sender<Message>,
    ) -> Result<Self, String> {
        let handler = move |result: DebounceEventResult| {
            let message = match result {
                Ok(events) => {
                    let rescan = events.iter().any(|e| e.need_rescan());
                    let paths = events
                        .into_iter()
                        .filter(|e| is_change(&e.kind))
                        .flat_map(|e| e.event.paths)
                        .collect();
                    Message::Changed { paths, rescan }
                }
                Err(errors) => Message::Failed(
                    errors
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
            };
            // The builder is gone only while the server stops.
            let _ = sender.send(message);
        };
        // Only what writes: inotify also reports every open and close, and a build
        // opens every file of the site; on a large site those events overflow the
        // kernel's queue, which notify reports as "rescan everything", which would
        // start another build, which opens every file again.
        let config = notify::Config::default()
            .with_event_kinds(EventKindMask::CORE | EventKindMask::ACCESS_CLOSE);
        let backend = if poll {
            let config = config.with_poll_interval(POLL_INTERVAL);
            notify_debouncer_full::new_debouncer_opt(DEBOUNCE, None, handler, NoCache, config)
                .map(Backend::Poll)
        } else {
            notify_debouncer_full::new_debouncer_opt(
                DEBOUNCE,
                None,
                handler,
                RecommendedCache::new(),
                config,
            )
            .map(Backend::Native)
        }
        .map_err(|e| e.to_string())?;
        let mut watcher = Self {
            backend,
            targets: targets.clone(),
            watched: BTreeSet::new(),
            site_watched: false,
        };
        watcher.update(targets, &[])?;
        Ok(watcher)
    }

    pub fn targets(&self) -> &Targets {
        &self.targets
    }

    /// Watches what `targets` names and stops watching what it no longer does; watches
    /// again a folder that `changed` says was created or removed (its old watch died
    /// with it). An error means not even the site folder can be watched.
    pub fn update(&mut self, targets: Targets, changed: &[PathBuf]) -> Result<(), String> {
        let wanted: BTreeSet<PathBuf> = targets
            .folders
            .iter()
            .filter(|folder| folder.is_dir())
            .cloned()
            .collect();
        let site_dir = targets.site_dir.clone();
        self.targets = targets;
        // The site folder holds the content folder when `content-dir = "."`; a
        // recursive watch then covers it.
        let site_recursive = wanted.contains(&site_dir);
        if !self.site_watched && !site_recursive {
            self.backend
                .watch(&site_dir, RecursiveMode::NonRecursive)
                .map_err(|e| format!("cannot watch {}: {e}", site_dir.display()))?;
            self.site_watched = true;
        }
        let stale: Vec<PathBuf> = self
            .watched
            .iter()
            .filter(|folder| !wanted.contains(*folder) || changed.contains(folder))
            .cloned()
            .collect();
        for folder in stale {
            let _ = self.backend.unwatch(&folder);
            self.watched.remove(&folder);
        }
        for folder in wanted {
            if !self.watched.contains(&folder)
                && self
                    .backend
                    .watch(&folder, RecursiveMode::Recursive)
                    .is_ok()
            {
                self.watched.insert(folder);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets() -> Targets {
        let options = Options::for_site(Some(Path::new("/site")));
        Targets::new(&Project::with_config(&options, Config::default()))
    }

    #[test]
    fn sources_are_relevant_and_the_rest_is_not() {
        let targets = targets();
        for path in [
            "/site/book.toml",
            "/site/content/a.md",
            "/site/content/new folder/b.md",
            "/site/templates/page.html",
            "/site/theme/style.css",
            "/site/static/logo.png",
            "/site/content",
        ] {
            assert!(targets.is_relevant(Path::new(path)), "{path}");
        }
        for path in [
            "/site/public/index.html",
            "/site/.folio-staging/index.html",
            "/site/content/.a.md.swp",
            "/site/content/a.md~",
            "/site/content/#a.md#",
            "/site/content/.git/HEAD",
            "/site/content/4913",
            "/site/README.md",
            "/site/target/debug/folio",
            "/site/book.toml.tmp",
            "/elsewhere/content/a.md",
        ] {
            assert!(!targets.is_relevant(Path::new(path)), "{path}");
        }
    }

    #[test]
    fn a_book_is_watched_whole_but_for_its_output_and_build_products() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("src")).unwrap();
        std::fs::write(root.path().join("src/SUMMARY.md"), "- [A](a.md)\n").unwrap();
        std::fs::write(root.path().join("book.toml"), "[book]\ntitle = \"B\"\n").unwrap();
        let project = Project::load(&Options::for_site(Some(root.path()))).unwrap();
        assert!(project.book.is_some());
        let targets = Targets::new(&project);
        let at = |path: &str| absolute(&root.path().join(path));
        assert!(targets.is_relevant(&at("src/a.md")));
        assert!(targets.is_relevant(&at("listings/ch01/src/main.rs")));
        assert!(targets.is_relevant(&at("ferris.css")));
        assert!(!targets.is_relevant(&at("book/a.html")));
        assert!(!targets.is_relevant(&at("packages/pp/target/debug/pp")));
    }

    #[test]
    fn reads_are_not_changes() {
        assert!(!is_change(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(is_change(&EventKind::Modify(ModifyKind::Any)));
        assert!(is_change(&EventKind::Create(
            notify::event::CreateKind::File
        )));
    }
}
