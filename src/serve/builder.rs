//! The builder: runs the pipeline in full after every change, on its own thread, and
//! publishes the result.
//!
//! A rebuild is the whole pipeline (configuration, content, Markdown, site graph,
//! templates, plan), the one `folio build` and `folio check` run, never a partial
//! update that could drift from what `folio build` writes; pages are rendered later,
//! on request. The caches live as long as the server, so a page whose text did not
//! change is neither parsed nor rendered to HTML again (see `pipeline::Caches`).

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::time::Instant;

use tokio::sync::watch;

use super::state::{Generation, SearchKept, Snapshot};
use super::watch::{Message, Targets, Watcher};
use super::{Event, Reporter};
use crate::config::CONFIG_FILE;
use crate::diag::Diagnostics;
use crate::pipeline::{self, Caches};
use crate::project::{Options, Project};

pub struct Builder {
    options: Options,
    caches: Caches,
    instance: Arc<str>,
    reporter: Arc<dyn Reporter>,
    builds: u64,
    /// Paths changed since the last good build: were they all stylesheets?
    changed_since_good: Vec<PathBuf>,
    last_warnings: Option<Diagnostics>,
    search_kept: Arc<SearchKept>,
}

/// The result of one build.
pub struct Built {
    pub snapshot: Snapshot,
    /// The configuration's view of what to watch.
    pub targets: Targets,
}

impl Builder {
    pub fn new(options: Options, instance: Arc<str>, reporter: Arc<dyn Reporter>) -> Self {
        Self {
            // The cache folder does not depend on book.toml, which may not even parse yet.
            caches: Caches::for_server(&Project::with_config(&options, Default::default())),
            options,
            instance,
            reporter,
            builds: 0,
            changed_since_good: Vec::new(),
            last_warnings: None,
            search_kept: Arc::default(),
        }
    }

    /// Builds the site and returns what to publish after `previous`.
    pub fn build(&mut self, previous: Option<&Snapshot>) -> Built {
        let started = Instant::now();
        let result = self.load();
        let elapsed = started.elapsed();
        let previous_site = previous.and_then(|p| p.site.clone());
        match result {
            Ok((project, generation)) => {
                let targets = Targets::new(&project).including(&project.root, &generation.included);
                let css_since = match (&previous_site, previous) {
                    (Some(old), Some(previous))
                        if self.only_stylesheets_changed() && old.same_paths(&generation) =>
                    {
                        previous.css_since
                    }
                    _ => generation.number,
                };
                self.changed_since_good.clear();
                let warnings = &generation.warnings;
                let warnings_changed = self.last_warnings.as_ref() != Some(warnings);
                self.last_warnings = Some(warnings.clone());
                self.reporter.report(Event::Built {
                    generation: generation.number,
                    pages: generation.page_count(),
                    elapsed,
                    warnings: warnings_changed.then_some(warnings),
                });
                Built {
                    snapshot: Snapshot {
                        instance: self.instance.clone(),
                        site: Some(Arc::new(generation)),
                        errors: None,
                        css_since,
                    },
                    targets,
                }
            }
            Err(diagnostics) => {
                self.reporter.report(Event::BuildFailed {
                    diagnostics: &diagnostics,
                    serving_last_good: previous_site.is_some(),
                });
                // The warnings printed with the errors are printed again on recovery.
                self.last_warnings = None;
                let errors = diagnostics
                    .iter()
                    .map(|d| d.render(false))
                    .collect::<Vec<_>>()
                    .join("\n\n");
                Built {
                    snapshot: Snapshot {
                        instance: self.instance.clone(),
                        site: previous_site,
                        errors: Some(errors.into()),
                        css_since: previous.map_or(0, |p| p.css_since),
                    },
                    targets: Targets::fallback(&self.options),
                }
            }
        }
    }

    fn load(&mut self) -> Result<(Project, Generation), Diagnostics> {
        let project = Project::load(&self.options)?;
        let planned = pipeline::run(&project, &self.caches);
        self.caches.prune();
        let generation = Generation::new(
            self.builds + 1,
            &self.instance,
            planned?,
            Arc::clone(&self.search_kept),
        );
        self.builds += 1;
        Ok((project, generation))
    }

    fn only_stylesheets_changed(&self) -> bool {
        !self.changed_since_good.is_empty()
            && self
                .changed_since_good
                .iter()
                .all(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("css")))
    }

    /// Rebuilds after every batch of relevant changes until told to stop. Changes that
    /// arrive during a build are gathered and answered by one more build.
    pub fn run(
        mut self,
        messages: Receiver<Message>,
        mut watcher: Watcher,
        snapshots: watch::Sender<Snapshot>,
    ) {
        let indexer = Indexer::start(self.reporter.clone());
        if let Some(generation) = &snapshots.borrow().site {
            indexer.prepare(generation);
        }
        while let Ok(first) = messages.recv() {
            let mut batch = vec![first];
            loop {
                match messages.try_recv() {
                    Ok(message) => batch.push(message),
                    Err(TryRecvError::Empty) => break,
                    Err(TryRecvError::Disconnected) => return,
                }
            }
            let mut changed = Vec::new();
            let mut relevant = false;
            for message in batch {
                match message {
                    Message::Stop => return,
                    Message::Failed(error) => self.reporter.report(Event::WatchFailed(&error)),
                    Message::Changed { paths, rescan } => {
                        if rescan {
                            // Anything may have changed: never only a stylesheet.
                            relevant = true;
                            self.changed_since_good.push(PathBuf::from(CONFIG_FILE));
                        }
                        for path in paths {
                            if watcher.targets().is_relevant(&path) {
                                relevant = true;
                                self.changed_since_good.push(path.clone());
                            }
                            changed.push(path);
                        }
                    }
                }
            }
            if relevant {
                let previous = snapshots.borrow().clone();
                let built = self.build(Some(&previous));
                // Watch what the new build reads (a templates/ folder created just now,
                // say) before anyone hears of the build, so an edit made as soon as the
                // page reloads is not missed.
                if let Err(error) = watcher.update(built.targets, &changed) {
                    self.reporter.report(Event::WatchFailed(&error));
                }
                if let Some(generation) = &built.snapshot.site {
                    indexer.prepare(generation);
                }
                snapshots.send_replace(built.snapshot);
            } else if let Err(error) = watcher.update(watcher.targets().clone(), &changed) {
                self.reporter.report(Event::WatchFailed(&error));
            }
        }
    }
}

/// Makes the search index of the latest generation in the background, after the page
/// reloads rather than before: generations replaced while it works are skipped.
struct Indexer {
    latest: Option<mpsc::Sender<Arc<Generation>>>,
}

impl Indexer {
    fn start(reporter: Arc<dyn Reporter>) -> Self {
        let (sender, receiver) = mpsc::channel::<Arc<Generation>>();
        let spawned = std::thread::Builder::new()
            .name("folio-indexer".into())
            .spawn(move || {
                while let Ok(mut generation) = receiver.recv() {
                    while let Ok(newer) = receiver.try_recv() {
                        generation = newer;
                    }
                    generation.prepare_search(|diagnostic| {
                        reporter.report(Event::RenderFailed(diagnostic));
                    });
                }
            });
        // Without the thread the index is made on first request instead.
        Self {
            latest: spawned.ok().map(|_| sender),
        }
    }

    fn prepare(&self, generation: &Arc<Generation>) {
        if let Some(latest) = &self.latest {
            let _ = latest.send(Arc::clone(generation));
        }
    }
}
