//! The pipeline entry points: `load` runs every stage up to a renderable site without
//! writing anything, `build` writes it. Each collects every diagnostic of the run; the
//! caller decides the exit code.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::{BaseUrl, Config};
use crate::content::{self, FrontMatterMemo, Source};
use crate::diag::{Diagnostic, Diagnostics};
use crate::markdown::{self, Glossary, Highlighter, Rendered};
use crate::memo::{self, Memo};
use crate::output::{self, Progress, Written, swap};
use crate::render::{Renderer, templates};
use crate::site;

/// Where a build keeps what speeds up the next one, in the site folder.
pub const CACHE_DIR: &str = ".folio-cache";

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub site_dir: PathBuf,
    /// Replaces `[build] output-dir`; relative to the current folder.
    pub output: Option<PathBuf>,
    /// Replaces `[build] base-url`.
    pub base_url: Option<String>,
    pub drafts: bool,
}

/// A site ready to render, with the warnings found on the way.
pub struct Loaded {
    pub renderer: Renderer,
    pub warnings: Diagnostics,
}

#[derive(Debug)]
pub struct Report {
    pub written: Written,
    pub output: PathBuf,
    pub warnings: Diagnostics,
    pub elapsed: Duration,
}

/// What one build hands the next: highlighted code blocks always, and in a long-running
/// process also every page's parsed front matter and rendered Markdown, each under a
/// hash of everything it depends on, so an unchanged page costs a lookup and a changed
/// one can never be served stale.
#[derive(Default)]
pub struct Caches {
    pub highlighter: Highlighter,
    front_matter: Option<FrontMatterMemo>,
    markdown: Option<Memo<Arc<Rendered>>>,
}

impl Caches {
    /// For one build: highlighted code from the previous build's store at `store`.
    pub fn for_build(store: &Path) -> Self {
        Self {
            highlighter: Highlighter::with_store(store),
            ..Self::default()
        }
    }

    /// For a server that rebuilds on every change, starting from the highlighted code
    /// a previous `folio build` saved at `store`. The server only reads the store.
    pub fn for_server(store: &Path) -> Self {
        Self {
            highlighter: Highlighter::with_store(store),
            front_matter: Some(Memo::new()),
            markdown: Some(Memo::new()),
        }
    }

    /// Where a site keeps its highlighted code between builds.
    pub fn highlight_store(site_dir: &Path) -> PathBuf {
        site_dir.join(CACHE_DIR).join("highlight.bin")
    }

    /// Forgets pages and code blocks that the last build did not have.
    pub fn prune(&self) {
        self.highlighter.prune();
        self.front_matter.iter().for_each(Memo::prune);
        self.markdown.iter().for_each(Memo::prune);
    }
}

/// Reads the configuration, the content and the templates and builds the site graph.
/// Every stage runs even when an earlier one found errors, so one run reports them all.
pub fn load(options: &Options, caches: &Caches) -> Result<Loaded, Diagnostics> {
    let config = load_config(options)?;
    let mut diagnostics = Diagnostics::new();
    let site_dir = &options.site_dir;
    let schema = config.schema();
    let content_dir = site_dir.join(&config.build.content_dir);
    let (content, found) = content::load(
        site_dir,
        &content_dir,
        &schema,
        options.drafts,
        caches.front_matter.as_ref(),
    );
    diagnostics.extend(found);
    let markdown_options = markdown::Options {
        smart_punctuation: config.markdown.smart_punctuation,
        math: config.markdown.math,
        trust_raw_html: config.markdown.trust_raw_html,
    };
    let (glossary, found) = Glossary::collect(&content.sources);
    diagnostics.extend(found);
    let autolinked = if config.glossary.autolink {
        glossary.clone()
    } else {
        Glossary::default()
    };
    let rendered = render_markdown(
        &content.sources,
        &markdown_options,
        caches,
        &autolinked,
        &mut diagnostics,
    );
    let template_sources = templates::sources(site_dir, &mut diagnostics);
    let (site, found) = site::assemble(config, content, rendered, glossary);
    diagnostics.extend(found);
    let (renderer, found) = Renderer::new(Arc::new(site), template_sources);
    diagnostics.extend(found);
    let warnings = diagnostics.sorted().into_result()?;
    Ok(Loaded { renderer, warnings })
}

fn load_config(options: &Options) -> Result<Config, Diagnostics> {
    let mut config = Config::load(&options.site_dir)?;
    if let Some(base_url) = &options.base_url {
        BaseUrl::parse(base_url)
            .map_err(|message| Diagnostic::error(format!("invalid --base-url: {message}")))?;
        config.build.base_url = base_url.clone();
    }
    Ok(config)
}

fn render_markdown(
    sources: &[Source],
    options: &markdown::Options,
    caches: &Caches,
    glossary: &Glossary,
    diagnostics: &mut Diagnostics,
) -> Vec<Arc<Rendered>> {
    let options_key = format!("{options:?}");
    let glossary_key = glossary.fingerprint().to_le_bytes();
    let rendered: Vec<Arc<Rendered>> = sources
        .par_iter()
        .map(|source| {
            let render = || {
                let context = markdown::Context {
                    options,
                    highlighter: &caches.highlighter,
                    glossary,
                    page: &source.content_path,
                };
                Arc::new(markdown::render(source.body(), &context))
            };
            match &caches.markdown {
                Some(memo) => {
                    let parts = [
                        source.body().as_bytes(),
                        source.content_path.as_bytes(),
                        options_key.as_bytes(),
                        &glossary_key,
                    ];
                    memo.get_or_insert_with(memo::key(parts), render)
                }
                None => render(),
            }
        })
        .collect();
    for (source, rendered) in sources.iter().zip(&rendered) {
        for warning in &rendered.warnings {
            let range =
                source.body_offset + warning.range.start..source.body_offset + warning.range.end;
            diagnostics.push(Diagnostic::warning(warning.message.clone()).at(
                &source.file,
                &source.text,
                range,
            ));
        }
    }
    rendered
}

/// The output folder a build writes to.
pub fn output_dir(options: &Options, config: &Config) -> PathBuf {
    match &options.output {
        Some(output) => output.clone(),
        None => options.site_dir.join(&config.build.output_dir),
    }
}

/// Builds the site into its output folder, replacing the previous build only when the
/// whole build succeeded.
pub fn build(options: &Options) -> Result<Report, Diagnostics> {
    build_with_progress(options, &output::Silent)
}

/// [`build`], telling `progress` how the writing of pages advances.
pub fn build_with_progress(
    options: &Options,
    progress: &dyn Progress,
) -> Result<Report, Diagnostics> {
    let started = Instant::now();
    let loaded = {
        // The highlight memo outlives the build only on disk: in memory it is of no
        // further use once the Markdown is rendered.
        let store = Caches::highlight_store(&options.site_dir);
        let caches = Caches::for_build(&store);
        let loaded = load(options, &caches);
        // A cache that cannot be written only makes the next build slower.
        let _ = caches.highlighter.save_store(&store);
        loaded?
    };
    let site = loaded.renderer.site();
    let output = output_dir(options, &site.config);
    let content_dir = options.site_dir.join(&site.config.build.content_dir);
    if let Some(reason) = swap::refusal(&output, &options.site_dir, &content_dir) {
        return Err(Diagnostic::error(format!(
            "refusing to write the site to {}: {reason}",
            crate::diag::display_path(&output)
        ))
        .help("choose another folder with --output or `output-dir` in book.toml")
        .into());
    }
    let written = output::write_site(
        &loaded.renderer,
        &output,
        &options.site_dir.join("theme"),
        progress,
    )?;
    Ok(Report {
        written,
        output,
        warnings: loaded.warnings,
        elapsed: started.elapsed(),
    })
}

/// The folder holding `book.toml` for a path given on the command line.
pub fn site_dir(path: Option<&Path>) -> PathBuf {
    path.map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}
