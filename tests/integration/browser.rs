//! The default theme in a real browser: `tests/browser/run.mjs` drives headless
//! Chromium (through playwright-core) and axe-core against `folio serve` of this
//! repository's site. Also folio's search index against stock Pagefind's, made by the
//! npm package of the same suite. Where node or Chromium is missing the test says so on
//! stderr and passes, unless `FOLIO_REQUIRE_BROWSER=1` (as in CI) makes that a failure.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use folio::output::search;

use crate::harness::SiteTest;

#[test]
fn the_default_theme_works_in_a_browser() {
    let Some(suite) = suite(true) else { return };
    let run = Command::new("node")
        .arg("run.mjs")
        .current_dir(&suite)
        .env("FOLIO_BIN", env!("CARGO_BIN_EXE_folio"))
        .env("CHROMIUM", chromium())
        .output()
        .expect("run node");
    assert!(
        run.status.success(),
        "browser tests failed:\n{}",
        text(&run)
    );
}

/// The index folio writes holds, file for file, what stock Pagefind (the published
/// npm package's own binary, not folio's patched copy) writes for the same documents
/// given in the same order: the same file names and, once gunzipped, the same bytes.
/// Only the gzip bytes may differ. The browser runs the same stock JavaScript and
/// WebAssembly on the same data, so every query gets the same results in the same
/// order: this is stronger than comparing the results of a set of queries.
#[test]
fn the_index_is_the_one_stock_pagefind_makes_of_the_same_pages() {
    let Some(suite) = suite(false) else { return };
    let site = SiteTest::new("basic").build().expect_success();
    let planned = site.planned();
    let graph = planned.renderer.site();
    let documents: Vec<serde_json::Value> = (search::searched_pages(graph).into_iter())
        .map(|id| {
            let page = &graph.pages[id];
            serde_json::json!({ "url": page.url, "content": search::document(graph, page) })
        })
        .collect();
    let documents_path = site.root.join("documents.json");
    std::fs::write(&documents_path, serde_json::to_vec(&documents).unwrap()).unwrap();
    let stock = site.root.join("stock");
    let run = Command::new("node")
        .arg("stock_pagefind.mjs")
        .arg(&documents_path)
        .arg(&stock)
        .current_dir(&suite)
        .output()
        .expect("run node");
    assert!(
        run.status.success(),
        "stock Pagefind failed:\n{}",
        text(&run)
    );

    let ours = decoded_files(&site.output.join("pagefind"));
    let mut theirs = decoded_files(&stock);
    // The ready-made interfaces folio leaves out.
    theirs.retain(|path, _| !search::UNUSED.contains(&path.as_str()));
    assert!(
        ours.keys().any(|path| path.ends_with(".pf_fragment")),
        "{:?}",
        ours.keys()
    );
    assert_eq!(
        ours.keys().collect::<Vec<_>>(),
        theirs.keys().collect::<Vec<_>>(),
        "the index files differ"
    );
    for (path, bytes) in &ours {
        assert!(
            bytes == &theirs[path],
            "{path} differs from stock Pagefind's"
        );
    }
}

/// Every file below `dir` by its path, Pagefind's gzipped files (index and WebAssembly)
/// unpacked.
fn decoded_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).into_iter().map(Result::unwrap) {
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry
            .path()
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let mut bytes = std::fs::read(entry.path()).unwrap();
        if path.contains(".pf_") || path.ends_with(".pagefind") {
            let mut unpacked = Vec::new();
            flate2::read::GzDecoder::new(&bytes[..])
                .read_to_end(&mut unpacked)
                .unwrap_or_else(|e| panic!("{path}: {e}"));
            bytes = unpacked;
        }
        files.insert(path, bytes);
    }
    files
}

fn chromium() -> PathBuf {
    std::env::var_os("CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

/// The browser suite's folder with its packages installed; none, after saying why on
/// stderr, where node (or, when `browser`, Chromium) is missing, unless
/// `FOLIO_REQUIRE_BROWSER=1` (as in CI) makes that a failure.
fn suite(browser: bool) -> Option<PathBuf> {
    let suite = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let missing = if browser && !chromium().is_file() {
        Some(format!("no Chromium at {}", chromium().display()))
    } else if !runs("node") || !runs("npm") {
        Some("node and npm are needed".to_string())
    } else {
        None
    };
    if let Some(reason) = missing {
        assert!(
            std::env::var("FOLIO_REQUIRE_BROWSER").as_deref() != Ok("1"),
            "browser tests required (FOLIO_REQUIRE_BROWSER=1) but {reason}"
        );
        // Straight to stderr: the test harness would swallow eprintln! from a passing test.
        let _ = writeln!(std::io::stderr(), "browser tests skipped: {reason}");
        return None;
    }
    // Every package of package.json, stock Pagefind included, or a fresh install.
    if !["playwright-core", "axe-core", "pagefind"]
        .iter()
        .all(|package| suite.join("node_modules").join(package).is_dir())
    {
        let install = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&suite)
            .output()
            .expect("run npm ci");
        assert!(
            install.status.success(),
            "npm ci failed:\n{}",
            text(&install)
        );
    }
    Some(suite)
}

fn runs(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}
