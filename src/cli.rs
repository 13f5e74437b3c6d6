//! The command line: clap definitions and what each command prints. Everything it runs
//! lives in the library; this file only turns results into text and an exit code.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::build;
use crate::config::Severity;
use crate::diag::{Diagnostics, display_path};
use crate::project::Options;
use crate::scaffold;

#[derive(Parser)]
#[command(
    name = "folio",
    version,
    about = "A static documentation site generator"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into its output folder (public/ by default)
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
    Check {
        #[command(flatten)]
        site: SiteArgs,
    },
    /// Serve the site from memory on this machine, rebuilding and reloading on every change
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
    Init {
        /// The folder to create (the current folder when omitted; it must be empty)
        dir: Option<PathBuf>,
    },
    /// Copy the built-in templates and theme files into a site's templates/ and theme/
    /// for editing; files the site already has are kept
    Theme {
        /// The site's folder, holding book.toml (the current folder when omitted)
        dir: Option<PathBuf>,
    },
    /// Create a page with its front matter filled in
    New {
        /// The file to create, e.g. content/areas/new-area.md; a path outside the
        /// content folder, such as areas/new-area.md, is taken as inside it
        path: PathBuf,
    },
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
        } => build_site(Options {
            output,
            base_url,
            ..site.options()
        }),
        Command::Check { site } => check_site(&site.options()),
        Command::Serve {
            site,
            port,
            bind,
            open,
            poll,
        } => serve_site(crate::serve::Options {
            build: site.options(),
            port,
            bind,
            open,
            poll,
        }),
        Command::Init { dir } => {
            report_simple(scaffold::init(&dir.unwrap_or_else(|| PathBuf::from("."))))
        }
        Command::Theme { dir } => report_simple(scaffold::copy_theme(
            &dir.unwrap_or_else(|| PathBuf::from(".")),
        )),
        Command::New { path } => report_simple(scaffold::new_page(Path::new("."), &path)),
    }
}

fn build_site(options: Options) -> ExitCode {
    match build::build_with_progress(&options, &ProgressBar::default()) {
        Ok(report) => {
            print_diagnostics(&report.warnings);
            let written = &report.written;
            let changed = written.unchanged.map_or(String::new(), |unchanged| {
                let total = written.pages + written.assets;
                format!(" ({} of {total} files changed)", total - unchanged)
            });
            eprintln!(
                "Built {} pages and {} files into {} in {:.2} s{changed}{}",
                written.pages,
                written.assets,
                display_path(&report.output),
                report.elapsed.as_secs_f64(),
                warning_suffix(&report.warnings)
            );
            ExitCode::SUCCESS
        }
        Err(diagnostics) => fail(&diagnostics, "build"),
    }
}

fn check_site(options: &Options) -> ExitCode {
    match crate::check::check(options) {
        Ok(warnings) => {
            print_diagnostics(&warnings);
            eprintln!("No errors found{}", warning_suffix(&warnings));
            ExitCode::SUCCESS
        }
        Err(diagnostics) => fail(&diagnostics, "check"),
    }
}

fn serve_site(options: crate::serve::Options) -> ExitCode {
    let terminal = std::sync::Arc::new(crate::serve::Terminal::default());
    match crate::serve::start(options, terminal) {
        Ok(server) => {
            server.wait();
            ExitCode::SUCCESS
        }
        Err(diagnostics) => fail(&diagnostics, "serve"),
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

/// A progress bar on stderr, drawn only for builds long enough to need one and only when
/// stderr is a terminal.
#[derive(Default)]
struct ProgressBar(std::sync::OnceLock<indicatif::ProgressBar>);

impl ProgressBar {
    const WORTH_SHOWING: usize = 2_000;
}

impl crate::output::Progress for ProgressBar {
    fn started(&self, total: usize) {
        if total >= Self::WORTH_SHOWING && std::io::stderr().is_terminal() {
            let bar = indicatif::ProgressBar::new(total as u64);
            if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} pages")
            {
                bar.set_style(style);
            }
            let _ = self.0.set(bar);
        }
    }

    fn advanced(&self) {
        if let Some(bar) = self.0.get() {
            bar.inc(1);
        }
    }

    fn finished(&self) {
        if let Some(bar) = self.0.get() {
            bar.finish_and_clear();
        }
    }
}
