//! The command line: clap definitions and what each command prints. Everything it runs
//! lives in the library; this file only turns results into text and an exit code.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Duration;

use clap::{Parser, Subcommand};

use crate::build;
use crate::config::Severity;
use crate::diag::{Diagnostics, display_path};
use crate::progress::{Phase, Progress, Silent};
use crate::project::Options;
use crate::scaffold;

#[derive(Parser)]
#[command(
    name = "folio",
    version,
    about = "A static documentation site generator",
    long_about = "folio turns a folder of Markdown pages into a cross-linked static website, \
checking every internal link and anchor before it writes anything.",
    after_help = "Start a site:\n  folio init my-docs && cd my-docs && folio serve\n\n\
The manual: manual/content/_index.md in folio's repository \
(getting started: manual/content/getting-started.md)."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into its output folder (public/ by default)
    #[command(after_help = help_for(
        "folio build\n  folio build path/to/site -o /tmp/out --base-url /docs/",
        "commands.md#build"
    ))]
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Write the site here instead of the output-dir of book.toml
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Serve the site under this path or URL, e.g. /docs/ or https://example.org/docs/
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Check the whole site (front matter, links, anchors, templates) without writing
    #[command(after_help = help_for(
        "folio check\n  folio check --external",
        "commands.md#check"
    ))]
    Check {
        #[command(flatten)]
        site: SiteArgs,
        /// Also fetch every link and image to another site (http, https)
        #[arg(long)]
        external: bool,
        /// With --external: fetch every link, ignoring what earlier runs found working
        #[arg(long, requires = "external")]
        no_cache: bool,
    },
    /// Serve the site from memory on this machine, rebuilding and reloading on every change
    #[command(after_help = help_for(
        "folio serve\n  folio serve path/to/site --open --drafts",
        "serve.md"
    ))]
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        /// The port to listen on [default: 3000, or the next free one]
        #[arg(short, long)]
        port: Option<u16>,
        /// The address to listen on; 0.0.0.0 lets other machines in
        #[arg(long, default_value = "127.0.0.1", value_parser = crate::serve::parse_bind)]
        bind: std::net::IpAddr,
        /// Open the site in the default browser
        #[arg(long)]
        open: bool,
        /// Look for changes by polling (for network or container file systems)
        #[arg(long)]
        poll: bool,
    },
    /// Create a new site that builds as it is
    #[command(after_help = help_for(
        "folio init my-docs && cd my-docs && folio serve",
        "getting-started.md"
    ))]
    Init {
        /// The folder to create (the current folder when omitted; it must be empty)
        dir: Option<PathBuf>,
    },
    /// Copy the built-in templates and theme files into a site's templates/ and theme/
    /// for editing; files the site already has are kept
    #[command(after_help = help_for("folio theme", "templates/theme.md"))]
    Theme {
        /// The site's folder, holding book.toml (the current folder when omitted)
        dir: Option<PathBuf>,
    },
    /// Create a page with its front matter filled in
    #[command(after_help = help_for(
        "folio new guide/install.md",
        "writing/front-matter.md"
    ))]
    New {
        /// The file to create, e.g. content/areas/new-area.md; a path outside the
        /// content folder, such as areas/new-area.md, is taken as inside it
        #[arg(required_unless_present = "translate")]
        path: Option<PathBuf>,
        /// Start a translation of PAGE into the language LANG: PAGE.LANG.md beside it,
        /// a copy that records which version of PAGE it was made from
        #[arg(long, num_args = 2, value_names = ["PAGE", "LANG"], conflicts_with = "path")]
        translate: Option<Vec<String>>,
    },
}

/// A subcommand's help after its options: an example, and its page of the manual,
/// named by its path in folio's repository.
fn help_for(example: &str, page: &str) -> String {
    format!("Example:\n  {example}\n\nSee the manual: manual/content/{page}")
}

/// What `build`, `check` and `serve` all take.
#[derive(clap::Args)]
struct SiteArgs {
    /// The site's folder, holding book.toml
    site_dir: Option<PathBuf>,
    /// Include pages marked `draft: true`
    #[arg(long)]
    drafts: bool,
    /// Whether a broken link fails the build (`error`) or only warns (`warn`), over
    /// book.toml [default: book.toml's `broken-links`; `warn` for an mdBook book]
    #[arg(long, env = "FOLIO_BROKEN_LINKS", value_parser = ["error", "warn"])]
    broken_links: Option<String>,
    /// Print no progress and no summary: only errors and warnings
    #[arg(short, long)]
    quiet: bool,
}

impl SiteArgs {
    fn options(self) -> Options {
        Options {
            drafts: self.drafts,
            broken_links: self.broken_links.map(|level| match level.as_str() {
                "warn" => Severity::Warn,
                _ => Severity::Error,
            }),
            ..Options::for_site(self.site_dir.as_deref())
        }
    }
}

pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Build {
            site,
            output,
            base_url,
        } => {
            let quiet = site.quiet;
            let options = Options {
                output,
                base_url,
                ..site.options()
            };
            build_site(&options, quiet)
        }
        Command::Check {
            site,
            external,
            no_cache,
        } => {
            let quiet = site.quiet;
            let external = external.then(|| crate::check::External {
                use_cache: !no_cache,
                ..crate::check::External::default()
            });
            check_site(&site.options(), external, quiet)
        }
        Command::Serve {
            site,
            port,
            bind,
            open,
            poll,
        } => {
            let quiet = site.quiet;
            let options = crate::serve::Options {
                build: site.options(),
                port,
                bind,
                open,
                poll,
            };
            serve_site(options, quiet)
        }
        Command::Init { dir } => {
            report_simple(scaffold::init(&dir.unwrap_or_else(|| PathBuf::from("."))))
        }
        Command::Theme { dir } => report_simple(scaffold::copy_theme(
            &dir.unwrap_or_else(|| PathBuf::from(".")),
        )),
        Command::New { path, translate } => report_simple(match (path, translate.as_deref()) {
            (_, Some([page, language])) => {
                scaffold::new_translation(Path::new("."), Path::new(page), language)
            }
            (Some(path), _) => scaffold::new_page(Path::new("."), &path),
            // clap asks for one or the other.
            _ => Ok(String::new()),
        }),
    }
}

fn build_site(options: &Options, quiet: bool) -> ExitCode {
    match with_progress(quiet, |progress| {
        build::build_with_progress(options, progress)
    }) {
        Ok(report) => {
            print_diagnostics(&report.warnings);
            if !quiet {
                print_built(&report);
            }
            ExitCode::SUCCESS
        }
        Err(diagnostics) => fail(&diagnostics, "build"),
    }
}

fn print_built(report: &build::Report) {
    let written = &report.written;
    let changed = written.unchanged.map(|unchanged| {
        let total = written.pages + written.assets;
        format!("{} of {total} files changed", total - unchanged)
    });
    let notes: Vec<String> = changed.into_iter().chain(search_note(report)).collect();
    let notes = if notes.is_empty() {
        String::new()
    } else {
        format!(" ({})", notes.join("; "))
    };
    eprintln!(
        "Built {} pages and {} files into {} in {:.2} s{notes}{}",
        written.pages,
        written.assets,
        display_path(&report.output),
        report.elapsed.as_secs_f64(),
        warning_suffix(&report.warnings)
    );
}

/// What the summary says of the search index when the build reused any of the last
/// one's: nothing after a first build.
fn search_note(report: &build::Report) -> Option<String> {
    let made = report.search?;
    if made.reused {
        Some("search index reused".to_string())
    } else if made.parsed < made.pages {
        Some(format!(
            "search: {} of {} pages indexed again",
            made.parsed, made.pages
        ))
    } else {
        None
    }
}

fn check_site(
    options: &Options,
    external: Option<crate::check::External>,
    quiet: bool,
) -> ExitCode {
    match with_progress(quiet, |progress| {
        crate::check::check_with(options, external, progress)
    }) {
        Ok(warnings) => {
            print_diagnostics(&warnings);
            if !quiet {
                eprintln!("No errors found{}", warning_suffix(&warnings));
            }
            ExitCode::SUCCESS
        }
        Err(diagnostics) => fail(&diagnostics, "check"),
    }
}

/// Runs `run` with progress bars when they are wanted, and clears them before anything
/// else is printed.
fn with_progress<T>(quiet: bool, run: impl FnOnce(&dyn Progress) -> T) -> T {
    match Bars::wanted(quiet, std::io::stderr().is_terminal()) {
        Some(bars) => run(&bars),
        None => run(&Silent),
    }
}

fn serve_site(options: crate::serve::Options, quiet: bool) -> ExitCode {
    let terminal = crate::serve::Terminal::default();
    let reporter: std::sync::Arc<dyn crate::serve::Reporter> = if quiet {
        std::sync::Arc::new(Quiet(terminal))
    } else {
        std::sync::Arc::new(terminal)
    };
    match crate::serve::start(options, reporter) {
        Ok(server) => {
            server.wait();
            ExitCode::SUCCESS
        }
        Err(diagnostics) => fail(&diagnostics, "serve"),
    }
}

/// What `serve --quiet` prints: every event but a successful build's summary line, of
/// which only the warnings are left.
struct Quiet(crate::serve::Terminal);

impl crate::serve::Reporter for Quiet {
    fn report(&self, event: crate::serve::Event<'_>) {
        match event {
            crate::serve::Event::Built { warnings, .. } => {
                warnings.into_iter().for_each(print_diagnostics);
            }
            event => self.0.report(event),
        }
    }
}

fn report_simple(result: Result<String, impl Into<Diagnostics>>) -> ExitCode {
    match result {
        Ok(message) => {
            eprintln!("{message}");
            ExitCode::SUCCESS
        }
        Err(diagnostics) => fail(&diagnostics.into(), "command"),
    }
}

fn fail(diagnostics: &Diagnostics, what: &str) -> ExitCode {
    print_diagnostics(diagnostics);
    let errors = diagnostics.error_count();
    let plural = if errors == 1 { "" } else { "s" };
    eprintln!(
        "error: {what} failed with {errors} error{plural}{}",
        warning_suffix(diagnostics)
    );
    ExitCode::FAILURE
}

fn warning_suffix(diagnostics: &Diagnostics) -> String {
    match diagnostics.warning_count() {
        0 => String::new(),
        1 => " (1 warning)".into(),
        n => format!(" ({n} warnings)"),
    }
}

fn print_diagnostics(diagnostics: &Diagnostics) {
    let styled = std::io::stderr().is_terminal();
    for diagnostic in diagnostics {
        anstream::eprintln!("{}\n", diagnostic.render(styled));
    }
}

/// A bar on stderr for each slow phase of a run, drawn only once the phase has taken
/// [`Bars::DELAY`], so a small site's run shows none.
#[derive(Default)]
struct Bars(Mutex<Option<indicatif::ProgressBar>>);

impl Bars {
    const DELAY: Duration = Duration::from_millis(500);

    /// Bars when they are wanted: never with `--quiet`, and only on a terminal, so a
    /// log gets nothing it did not get before.
    fn wanted(quiet: bool, terminal: bool) -> Option<Self> {
        (!quiet && terminal).then(Self::default)
    }

    fn current(&self) -> std::sync::MutexGuard<'_, Option<indicatif::ProgressBar>> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A hidden bar for `phase`, which a thread of its own brings onto stderr once
    /// [`Bars::DELAY`] has passed, unless the phase is over by then.
    fn hidden_bar(phase: Phase, total: Option<usize>) -> indicatif::ProgressBar {
        let target = indicatif::ProgressDrawTarget::hidden();
        let bar = indicatif::ProgressBar::with_draw_target(total.map(|n| n as u64), target);
        let template = match total {
            Some(_) => "{msg:20} {bar:40} {pos}/{len}",
            None => "{msg:20} {spinner}",
        };
        if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
            bar.set_style(style);
        }
        bar.set_message(phase.describe());
        let shown = bar.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Self::DELAY);
            if !shown.is_finished() {
                shown.set_draw_target(indicatif::ProgressDrawTarget::stderr());
                shown.enable_steady_tick(Duration::from_millis(100));
            }
        });
        bar
    }
}

impl Progress for Bars {
    fn started(&self, phase: Phase, total: Option<usize>) {
        let bar = Self::hidden_bar(phase, total);
        if let Some(previous) = self.current().replace(bar) {
            previous.finish_and_clear();
        }
    }

    fn advanced(&self) {
        if let Some(bar) = self.current().as_ref() {
            bar.inc(1);
        }
    }

    fn finished(&self) {
        if let Some(bar) = self.current().take() {
            bar.finish_and_clear();
        }
    }
}

/// A phase a failure cut short leaves no bar behind the diagnostics printed next.
impl Drop for Bars {
    fn drop(&mut self) {
        self.finished();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_is_drawn_only_on_a_terminal_and_never_when_quiet() {
        assert!(Bars::wanted(false, true).is_some());
        assert!(Bars::wanted(false, false).is_none());
        assert!(Bars::wanted(true, true).is_none());
        assert!(Bars::wanted(true, false).is_none());
    }
}
