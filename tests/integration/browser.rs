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
    let documents: Vec<(String, String)> = (search::searched_pages(graph).into_iter())
        .map(|id| {
            let page = &graph.pages[id];
            (page.url.clone(), search::document(graph, page))
        })
        .collect();
    let ours = decoded_files(&site.output.join("pagefind"));
    let mut theirs = stock_index(&suite, &documents, &site.root);
    // The ready-made interfaces folio leaves out.
    theirs.retain(|path, _| !search::UNUSED.contains(&path.as_str()));
    assert!(
        ours.keys().any(|path| path.ends_with(".pf_fragment")),
        "{:?}",
        ours.keys()
    );
    assert_same_index(&ours, &theirs, "folio's");
}

/// The patched Pagefind library, given pages of every kind Pagefind reads in batches
/// and one by one, writes the index stock Pagefind writes for the same pages added one
/// by one: words with and without diacritics in the body and in metadata, compounds,
/// several languages (Chinese segmented) and pages with none, filters, sorts, weights,
/// anchors, pages left out for lack of `data-pagefind-body`, an empty page, and a URL
/// added twice (the second replaces the first where it stood). The same holds when
/// every page is added from the bytes a first index kept of it, and every gzipped file
/// is taken from that index.
#[test]
fn the_patched_library_indexes_every_kind_of_page_as_stock_pagefind_does() {
    let Some(suite) = suite(false) else { return };
    let documents = varied_documents();
    let dir = tempfile::tempdir().unwrap();
    let theirs = stock_index(&suite, &documents, dir.path());
    let parsed = patched_pagefind_files(documents.clone());
    let kept = kept_pagefind_files(documents);
    for (how, files) in [("parsed", parsed), ("kept", kept)] {
        let ours = dir.path().join(how);
        for file in files {
            let path = ours.join(file.filename);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, file.contents).unwrap();
        }
        assert_same_index(&decoded_files(&ours), &theirs, &format!("pages {how}"));
    }
}

/// The index of `documents` by the patched library, every page added from the bytes a
/// first index gave for it, and every gzipped file taken from that index's.
fn kept_pagefind_files(documents: Vec<(String, String)>) -> Vec<pagefind::api::SyntheticFile> {
    use pagefind::api::{HtmlFile, PagefindIndex};
    let files = |kept: &[Option<Vec<u8>>]| -> Vec<(HtmlFile, Option<Vec<u8>>)> {
        (documents.iter().zip(kept))
            .map(|((url, content), kept)| {
                let file = HtmlFile {
                    source_path: None,
                    url: Some(url.clone()),
                    content: content.clone(),
                };
                (file, kept.clone())
            })
            .collect()
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    runtime.block_on(async {
        let new_index = || {
            let options = pagefind::options::PagefindServiceConfig::builder().build();
            PagefindIndex::new(Some(options)).unwrap()
        };
        let mut first = new_index();
        let none = vec![None; documents.len()];
        let kept = first.add_html_files_reusing(files(&none)).await.unwrap();
        assert!(kept.iter().all(Option::is_some), "every page is parsed");
        let gzipped: pagefind::api::Gzipped = (first.get_files_reusing(&Default::default()))
            .await
            .unwrap()
            .into_iter()
            .filter_map(|file| Some((file.gzip_key?, file.contents)))
            .collect();
        let mut second = new_index();
        let parsed = second.add_html_files_reusing(files(&kept)).await.unwrap();
        assert!(
            parsed.iter().all(Option::is_none),
            "no page is parsed again"
        );
        let files = second.get_files_reusing(&gzipped).await.unwrap();
        assert!(
            files
                .iter()
                .all(|f| f.gzip_key.is_none_or(|k| gzipped.contains_key(&k))),
            "every gzipped file is reused"
        );
        files
    })
}

/// Stock Pagefind's index of `documents` (URL, HTML), made in `dir` by the npm
/// package, its files decoded as [`decoded_files`] does.
fn stock_index(
    suite: &Path,
    documents: &[(String, String)],
    dir: &Path,
) -> BTreeMap<String, Vec<u8>> {
    let json: Vec<serde_json::Value> = (documents.iter())
        .map(|(url, content)| serde_json::json!({ "url": url, "content": content }))
        .collect();
    let documents_path = dir.join("documents.json");
    std::fs::write(&documents_path, serde_json::to_vec(&json).unwrap()).unwrap();
    let stock = dir.join("stock");
    let run = Command::new("node")
        .arg("stock_pagefind.mjs")
        .arg(&documents_path)
        .arg(&stock)
        .current_dir(suite)
        .output()
        .expect("run node");
    assert!(
        run.status.success(),
        "stock Pagefind failed:\n{}",
        text(&run)
    );
    decoded_files(&stock)
}

/// The same files, byte for byte, in `ours` (named `what` in a failure) as in stock
/// Pagefind's `theirs`.
fn assert_same_index(
    ours: &BTreeMap<String, Vec<u8>>,
    theirs: &BTreeMap<String, Vec<u8>>,
    what: &str,
) {
    assert_eq!(
        ours.keys().collect::<Vec<_>>(),
        theirs.keys().collect::<Vec<_>>(),
        "the index files of {what} differ"
    );
    for (path, bytes) in ours {
        assert!(
            bytes == &theirs[path],
            "{path} of {what} differs from stock Pagefind's"
        );
    }
}

/// The index of `documents` by the patched library: added in batches of seven, but the
/// last document alone.
fn patched_pagefind_files(
    mut documents: Vec<(String, String)>,
) -> Vec<pagefind::api::SyntheticFile> {
    use pagefind::api::{HtmlFile, PagefindIndex};
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    runtime.block_on(async {
        let options = pagefind::options::PagefindServiceConfig::builder().build();
        let mut index = PagefindIndex::new(Some(options)).unwrap();
        let (last_url, last_content) = documents.pop().unwrap();
        let files: Vec<HtmlFile> = (documents.into_iter())
            .map(|(url, content)| HtmlFile {
                source_path: None,
                url: Some(url),
                content,
            })
            .collect();
        let mut files = files.into_iter().peekable();
        while files.peek().is_some() {
            let batch: Vec<HtmlFile> = files.by_ref().take(7).collect();
            index.add_html_files(batch).await.unwrap();
        }
        (index
            .add_html_file(None, Some(last_url), last_content)
            .await)
            .unwrap();
        index.get_files().await.unwrap()
    })
}

/// Pages of every kind Pagefind reads, made from a fixed seed: (URL, HTML).
fn varied_documents() -> Vec<(String, String)> {
    const WORDS: &[&str] = &[
        "nuclear",
        "security",
        "café",
        "naïve",
        "Zürich",
        "résumé",
        "rôle",
        "façade",
        "safeguards",
        "facility",
        "inspections",
        "camelCaseWord",
        "well-known",
        "sysconfig.is_python_build",
        "2022",
        "3.14",
        "IAEA",
        "coöperation",
        "élan",
        "protection",
        "😀",
        "über",
        "Ångström",
        "material",
        "transport",
        "regulators",
    ];
    let mut seed: u64 = 0x2022_0331;
    let mut next = move |bound: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        usize::try_from(seed >> 33).unwrap() % bound
    };
    let mut documents = Vec::new();
    for n in 0..60 {
        let lang = ["en", "en", "en", "fr", ""][n % 5];
        let lang = if lang.is_empty() {
            String::new()
        } else {
            format!(" lang=\"{lang}\"")
        };
        let title = format!(
            "{} {} {n}",
            WORDS[next(WORDS.len())],
            WORDS[next(WORDS.len())]
        );
        let mut body = String::new();
        for p in 0..1 + next(4) {
            body.push_str(&format!(
                "<h2 id=\"part-{p}\">{}</h2><p>",
                WORDS[next(WORDS.len())]
            ));
            for _ in 0..5 + next(40) {
                body.push_str(WORDS[next(WORDS.len())]);
                body.push(' ');
            }
            body.push_str("</p>");
        }
        let extra = match n % 7 {
            0 => format!(
                "<span data-pagefind-filter=\"topic:{}\"></span>",
                WORDS[next(4)]
            ),
            1 => format!(
                "<span data-pagefind-sort=\"date:2022-03-{:02}\"></span>",
                1 + next(28)
            ),
            2 => format!(
                "<p data-pagefind-weight=\"4\">{}</p>",
                WORDS[next(WORDS.len())]
            ),
            3 => format!(
                "<span data-pagefind-meta=\"section:{}\"></span>",
                WORDS[next(WORDS.len())]
            ),
            4 => "<p data-pagefind-ignore>ignored words here</p>".to_string(),
            5 => format!("<span data-pagefind-sort=\"rank:{}\"></span>", next(100)),
            _ => String::new(),
        };
        let main = if n == 17 {
            "<main>"
        } else {
            "<main data-pagefind-body>"
        };
        documents.push((
            format!("/page-{n}/"),
            format!(
                "<html{lang}><head><title>{title}</title></head><body>{main}\
                 <h1>{title}</h1>{extra}{body}</main></body></html>"
            ),
        ));
    }
    documents.push((
        "/zh/".to_string(),
        "<html lang=\"zh\"><body><main data-pagefind-body><h1>核安保</h1>\
         <p>中国坚定支持国际原子能机构在核安保领域发挥核心作用。</p></main></body></html>"
            .to_string(),
    ));
    documents.push((
        "/empty/".to_string(),
        "<html lang=\"en\"><body><main data-pagefind-body></main></body></html>".to_string(),
    ));
    documents.push((
        "/page-3/".to_string(),
        "<html lang=\"en\"><body><main data-pagefind-body><h1>Replaced café</h1>\
         <p>The second version of page three, naïve and new.</p></main></body></html>"
            .to_string(),
    ));
    documents
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
    // Every package of package.json, stock Pagefind included, or a fresh install: one
    // test at a time, since `npm ci` first deletes what another may be installing, and
    // an optional package it misses (stock Pagefind's binary) fails no install. npm
    // writes `node_modules/.package-lock.json` once an install is whole.
    static INSTALL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one_at_a_time = INSTALL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let modules = suite.join("node_modules");
    if !modules.join(".package-lock.json").is_file()
        || !["playwright-core", "axe-core", "pagefind"]
            .iter()
            .all(|package| modules.join(package).is_dir())
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
