//! How far a run has come, told to whoever shows it. The library only names its slow
//! phases and counts their steps; the command line draws them (on a terminal only),
//! and tests record them.

/// A phase of a run that can take more than a second on a large site, in the order a
/// build runs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Reading every content file and parsing its front matter.
    Reading,
    /// Rendering each page's Markdown, code highlighting included.
    Markdown,
    /// Adding every searched page to the search index.
    Indexing,
    /// Producing every file of the site and writing it to the output folder.
    Writing,
    /// Producing every file of the site in memory, as `folio check` does.
    Checking,
    /// Fetching every link to another site, as `folio check --external` does.
    External,
}

impl Phase {
    /// What the phase does, for a person to read.
    pub fn describe(self) -> &'static str {
        match self {
            Phase::Reading => "reading content",
            Phase::Markdown => "rendering Markdown",
            Phase::Indexing => "indexing for search",
            Phase::Writing => "writing files",
            Phase::Checking => "checking files",
            Phase::External => "checking external links",
        }
    }
}

/// Told when each slow phase starts, how it advances and when it is over. Phases never
/// overlap: each one is finished before the next starts. Steps may be reported from
/// several threads at once.
pub trait Progress: Sync {
    /// `phase` starts; `total` is its number of steps, when known in advance.
    fn started(&self, _phase: Phase, _total: Option<usize>) {}
    /// One more step of the current phase is done.
    fn advanced(&self) {}
    /// The current phase is over.
    fn finished(&self) {}
}

/// Reports nothing.
pub struct Silent;

impl Progress for Silent {}
