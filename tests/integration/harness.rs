//! A small chainable helper to build fixture sites and assert on what they produce:
//! `SiteTest::new("basic").build().expect_page("/a/")`.

use std::path::{Path, PathBuf};
use std::process::Command;

use folio::build;
use folio::diag::{Diagnostics, Kind};
use folio::project::Options;

pub struct SiteTest {
    /// Keeps the temporary copy alive for the test's duration.
    _temp: tempfile::TempDir,
    pub root: PathBuf,
    pub output: PathBuf,
    /// The build cache's folder, when not the one the site would use.
    pub cache: Option<PathBuf>,
    result: Option<Result<Diagnostics, Diagnostics>>,
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

impl SiteTest {
    /// A private copy of `tests/fixtures/<case>`, so a build never writes into the tree.
    pub fn new(case: &str) -> Self {
        Self::made_by(|root| copy_dir(&fixtures().join(case), root))
    }

    /// An empty site with just a book.toml, for tests that write their own files.
    pub fn empty() -> Self {
        Self::made_by(|root| {
            std::fs::create_dir_all(root.join("content")).unwrap();
            std::fs::write(root.join("book.toml"), "[book]\ntitle = \"Test\"\n").unwrap();
        })
    }

    /// A site at `site/` in a new temporary folder, its files written by `make`.
    fn made_by(make: impl FnOnce(&Path)) -> Self {
        let temp = tempfile::tempdir().expect("temporary folder");
        let root = temp.path().join("site");
        make(&root);
        let output = root.join("public");
        Self {
            _temp: temp,
            root,
            output,
            cache: None,
            result: None,
        }
    }

    pub fn file(self, path: &str, text: &str) -> Self {
        let path = self.root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        self
    }

    pub fn options(&self) -> Options {
        Options {
            site_dir: self.root.clone(),
            output: Some(self.output.clone()),
            cache_dir: self.cache.clone(),
            ..Options::default()
        }
    }

    /// The site through the pipeline every command runs, without writing anything.
    pub fn planned(&self) -> folio::pipeline::Planned {
        let project = folio::project::Project::load(&self.options()).expect("book.toml loads");
        folio::pipeline::run(&project, &folio::pipeline::Caches::default()).expect("plans")
    }

    pub fn build(self) -> Self {
        let options = self.options();
        self.build_with(options)
    }

    pub fn build_with(mut self, options: Options) -> Self {
        self.result = Some(build::build(&options).map(|report| report.warnings));
        self
    }

    pub fn check(mut self) -> Self {
        self.result = Some(folio::check::check(&self.options()));
        self
    }

    /// `folio check --external`, as `external` says.
    pub fn check_external(mut self, external: folio::check::External) -> Self {
        let silent = folio::progress::Silent;
        self.result = Some(folio::check::check_with(
            &self.options(),
            Some(external),
            &silent,
        ));
        self
    }

    pub fn succeeded(&self) -> &Diagnostics {
        match self.result.as_ref().expect("build first") {
            Ok(warnings) => warnings,
            Err(errors) => panic!("expected success, got:\n{errors}"),
        }
    }

    pub fn expect_success(self) -> Self {
        self.succeeded();
        self
    }

    pub fn errors(&self) -> &Diagnostics {
        match self.result.as_ref().expect("build first") {
            Ok(_) => panic!("expected the build to fail"),
            Err(errors) => errors,
        }
    }

    /// Asserts an error of `kind` at `location` (`content/a.md:3:7`, or a file alone).
    pub fn expect_error(self, location: &str, kind: Kind) -> Self {
        let found = self
            .errors()
            .iter()
            .any(|d| d.is_error() && d.kind == kind && d.location().as_deref() == Some(location));
        assert!(
            found,
            "no {kind:?} error at {location} in:\n{}",
            self.errors()
        );
        self
    }

    /// Asserts a warning of `kind` at `location`, whether the build failed or not.
    pub fn expect_warning(self, location: &str, kind: Kind) -> Self {
        let diagnostics = match self.result.as_ref().expect("build first") {
            Ok(d) | Err(d) => d,
        };
        let found = diagnostics
            .iter()
            .any(|d| !d.is_error() && d.kind == kind && d.location().as_deref() == Some(location));
        assert!(
            found,
            "no {kind:?} warning at {location} in:\n{diagnostics}"
        );
        self
    }

    /// Asserts that some error of the failed build has exactly `help` as its help.
    pub fn expect_help(self, help: &str) -> Self {
        let helps: Vec<&str> = self
            .errors()
            .iter()
            .filter_map(|d| d.help.as_deref())
            .collect();
        assert!(helps.contains(&help), "no help {help:?} in {helps:?}");
        self
    }

    pub fn expect_error_count(self, count: usize) -> Self {
        assert_eq!(self.errors().error_count(), count, "{}", self.errors());
        self
    }

    /// The HTML written for a site path such as `/areas/iaea/`.
    pub fn page(&self, url: &str) -> String {
        let path = self.output_path(url);
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("no page at {url} ({}): {e}", path.display()))
    }

    pub fn output_path(&self, url: &str) -> PathBuf {
        let relative = url.trim_start_matches('/');
        if url.ends_with('/') {
            self.output.join(relative).join("index.html")
        } else {
            self.output.join(relative)
        }
    }

    pub fn expect_page(self, url: &str) -> Self {
        self.page(url);
        self
    }

    pub fn expect_no_page(self, url: &str) -> Self {
        assert!(
            !self.output_path(url).exists(),
            "unexpected output at {url}"
        );
        self
    }

    /// The `<main>` element of a page: what the content decides, without the theme.
    pub fn main(&self, url: &str) -> String {
        let html = self.page(url);
        let start = html
            .find("<main")
            .unwrap_or_else(|| panic!("no <main> in {url}"));
        let end = html
            .find("</main>")
            .map_or(html.len(), |e| e + "</main>".len());
        html[start..end].to_string()
    }

    pub fn expect_page_contains(self, url: &str, text: &str) -> Self {
        let html = self.page(url);
        assert!(
            html.contains(text),
            "{url} does not contain {text:?}:\n{html}"
        );
        self
    }

    pub fn expect_page_lacks(self, url: &str, text: &str) -> Self {
        let html = self.page(url);
        assert!(!html.contains(text), "{url} unexpectedly contains {text:?}");
        self
    }

    /// Builds with the `folio` binary on `threads` threads into `out-<threads>` in the
    /// site folder, and returns that folder.
    pub fn build_on_threads(&self, threads: &str) -> PathBuf {
        let out = self.root.join(format!("out-{threads}"));
        // Each build from scratch: a cache left by the one before would hand this one
        // its search index and highlighted code.
        let _ = std::fs::remove_dir_all(self.root.join(folio::project::CACHE_DIR));
        let status = Command::new(env!("CARGO_BIN_EXE_folio"))
            .args(["build", ".", "-o"])
            .arg(&out)
            .env("RAYON_NUM_THREADS", threads)
            .current_dir(&self.root)
            .status()
            .unwrap();
        assert!(status.success(), "build on {threads} threads failed");
        out
    }

    /// Runs the `folio` binary in the site folder.
    pub fn run(&self, args: &[&str]) -> std::process::Output {
        Command::new(env!("CARGO_BIN_EXE_folio"))
            .args(args)
            .current_dir(&self.root)
            .output()
            .expect("run folio")
    }

    /// Runs `folio ARGS` on the `broken_link` fixture's kind of site and asserts it
    /// exits 1 with the broken link located on stderr; returns stderr.
    pub fn run_reporting_the_broken_link(&self, args: &[&str]) -> String {
        let output = self.run(args);
        assert_eq!(output.status.code(), Some(1));
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(
            stderr.contains("error: broken link `targte.md`"),
            "{stderr}"
        );
        assert!(stderr.contains("--> content/_index.md:6:13"), "{stderr}");
        stderr
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display())) {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every file below `dir`, relative, with its bytes: to compare two builds.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}
