//! Full-text search: the Pagefind index in the output and the plan, the search box,
//! `[search] enabled = false`, hostile titles, byte-identical indexes, and the index
//! kept for the next build.

use std::io::Read;
use std::path::Path;

use folio::output::{plan, search};
use folio::project::Options;

use crate::harness::{SiteTest, snapshot};

const HOSTILE: &str = "<img src=x onerror=alert(1)>";

/// The `<input id="search-input" …>` tag of a page.
fn search_input(html: &str) -> Option<&str> {
    let start = html.find("<input id=\"search-input\"")?;
    let end = start + html[start..].find('>')?;
    Some(&html[start..=end])
}

fn files_in(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// A Pagefind file's content: gzip around `pagefind_dcd` and the data.
fn unpack(path: &Path) -> Vec<u8> {
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap())
        .read_to_end(&mut bytes)
        .unwrap();
    bytes
        .strip_prefix(b"pagefind_dcd")
        .expect("a Pagefind file")
        .to_vec()
}

#[test]
fn a_site_gets_an_index_and_an_enabled_search_box() {
    let site = SiteTest::new("basic").build().expect_success();
    let pagefind = site.output.join("pagefind");
    for file in [
        "pagefind.js",
        "pagefind-worker.js",
        "pagefind-entry.json",
        "wasm.en.pagefind",
    ] {
        assert!(pagefind.join(file).is_file(), "no pagefind/{file}");
    }
    let top = files_in(&pagefind);
    assert!(top.iter().any(|f| f.ends_with(".pf_meta")), "{top:?}");
    assert!(!top.iter().any(|f| f.starts_with("pagefind-ui")), "{top:?}");
    assert!(!files_in(&pagefind.join("index")).is_empty());
    // One fragment per page in the index: every page of the fixture but the draft.
    let entry = std::fs::read_to_string(pagefind.join("pagefind-entry.json")).unwrap();
    let fragments = files_in(&pagefind.join("fragment")).len();
    assert!(
        entry.contains(&format!("\"page_count\":{fragments}")),
        "{entry}"
    );
    assert!(fragments >= 8, "{fragments}");
    assert!(site.output.join("theme/search.js").is_file());
    assert!(site.output.join("theme/search.css").is_file());

    for url in ["/", "/areas/iaea/", "/404.html"] {
        let html = site.page(url);
        let input =
            search_input(&html).unwrap_or_else(|| panic!("no search box on {url}:\n{html}"));
        assert!(!input.contains("disabled"), "{input}");
        assert!(input.contains("type=\"search\""), "{input}");
        assert!(
            input.contains("aria-controls=\"search-results\""),
            "{input}"
        );
        assert!(input.contains("data-base-url=\"/\""), "{input}");
        assert!(html.contains("id=\"search-results\""));
        assert!(html.contains("src=\"/theme/search.js\" defer"));
    }
}

#[test]
fn search_off_writes_no_index_no_script_and_no_box() {
    let site = SiteTest::new("basic");
    let config = site.root.join("book.toml");
    let mut toml = std::fs::read_to_string(&config).unwrap();
    toml.push_str("\n[search]\nenabled = false\n");
    std::fs::write(&config, toml).unwrap();
    let site = site.build().expect_success();
    assert!(!site.output.join("pagefind").exists());
    assert!(!site.output.join("theme/search.js").exists());
    assert!(!site.output.join("theme/search.css").exists());
    for url in ["/", "/areas/iaea/", "/404.html"] {
        let html = site.page(url);
        assert!(!html.contains("search-input"), "{url}");
        assert!(!html.contains("search.js"), "{url}");
    }
}

#[test]
fn a_sub_path_site_finds_its_index_and_the_index_does_not_depend_on_it() {
    let root = SiteTest::new("basic").build().expect_success();
    let site = SiteTest::new("basic");
    let options = Options {
        base_url: Some("/docs/".into()),
        ..site.options()
    };
    let site = site.build_with(options).expect_success();
    let input = site.page("/");
    assert!(
        search_input(&input)
            .unwrap()
            .contains("data-base-url=\"/docs/\""),
        "{input}"
    );
    assert!(input.contains("src=\"/docs/theme/search.js\""));
    // Result URLs are site paths: Pagefind's script adds the base path it is served
    // under, so the same index serves both.
    assert_eq!(
        snapshot(&root.output.join("pagefind")),
        snapshot(&site.output.join("pagefind"))
    );
}

#[test]
fn hostile_titles_are_text_in_the_document_and_the_index() {
    let site = SiteTest::empty()
        .file(
            "content/areas/evil.md",
            &format!("---\ntitle: \"{HOSTILE}\"\n---\n\nA page with findable words.\n"),
        )
        .file(
            "content/areas/_index.md",
            &format!("---\ntitle: \"Areas {HOSTILE}\"\n---\n\nThe areas.\n"),
        );
    let planned = site.planned();
    let site_graph = planned.renderer.site();
    let page = site_graph
        .pages
        .iter()
        .find(|p| p.title == HOSTILE)
        .expect("the hostile page");
    let document = search::document(site_graph, page);
    assert!(!document.contains("<img"), "{document}");
    assert!(
        document.contains("<h1>&lt;img src=x onerror=alert(1)&gt;</h1>"),
        "{document}"
    );
    assert!(
        document.contains("data-pagefind-meta=\"title:&lt;img src=x onerror=alert(1)&gt;\""),
        "{document}"
    );
    assert!(
        document
            .contains("data-pagefind-meta=\"section:Areas &lt;img src=x onerror=alert(1)&gt;\""),
        "{document}"
    );

    // In the index the title is the title's text, which search.js sets as text.
    let site = site.build().expect_success();
    let fragments = site.output.join("pagefind/fragment");
    let found: Vec<serde_json::Value> = files_in(&fragments)
        .iter()
        .map(|name| serde_json::from_slice(&unpack(&fragments.join(name))).unwrap())
        .collect();
    let evil = found
        .iter()
        .find(|f| f["url"] == "/areas/evil/")
        .expect("the page's fragment");
    assert_eq!(evil["meta"]["title"], HOSTILE);
    assert_eq!(evil["meta"]["section"], format!("Areas {HOSTILE}"));
    // A section's own page is shown under the section above it: none at the top.
    let areas = found.iter().find(|f| f["url"] == "/areas/").unwrap();
    assert!(areas["meta"].get("section").is_none(), "{areas}");
}

#[test]
fn the_search_script_never_parses_page_text_as_html() {
    let script = include_str!("../../theme/search.js");
    for sink in [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
    ] {
        assert!(!script.contains(sink), "search.js uses {sink}");
    }
    assert!(script.contains("textContent"));
}

#[test]
fn the_index_is_planned_apart_from_the_site_so_serve_can_make_it_later() {
    let site = SiteTest::new("basic");
    let planned = site.planned();
    let files = &planned.files;
    let paths =
        |files: &[plan::File]| -> Vec<String> { files.iter().map(|f| f.path.join("/")).collect() };
    assert!(!paths(files).iter().any(|p| p.starts_with("pagefind/")));
    let index = paths(
        &plan::search_files(
            &planned.renderer,
            &folio::progress::Silent,
            search::Store::Nothing,
        )
        .expect("indexes")
        .files,
    );
    assert!(
        index.iter().any(|p| p == "pagefind/pagefind.js"),
        "{index:?}"
    );
    assert!(
        index.iter().all(|p| p.starts_with("pagefind/")),
        "{index:?}"
    );
    assert!(index.iter().any(|p| p.starts_with("pagefind/fragment/")));
}

#[test]
fn two_builds_give_the_same_index_whatever_the_thread_count() {
    let site = SiteTest::new("basic");
    let mut indexes = Vec::new();
    for threads in ["1", "3"] {
        indexes.push(snapshot(&site.build_on_threads(threads).join("pagefind")));
    }
    assert!(indexes[0].len() > 10, "{:?}", indexes[0].len());
    assert!(indexes[0] == indexes[1], "the indexes differ");
}

/// Whether a build ran Pagefind: it reports the indexing phase only then.
#[derive(Default)]
struct Indexing(std::sync::atomic::AtomicBool);

impl folio::progress::Progress for Indexing {
    fn started(&self, phase: folio::progress::Phase, _total: Option<usize>) {
        if phase == folio::progress::Phase::Indexing {
            self.0.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    }
}

fn builds_and_indexes(options: &Options) -> bool {
    let indexing = Indexing::default();
    folio::build::build_with_progress(options, &indexing).expect("the site builds");
    indexing.0.into_inner()
}

#[test]
fn an_unchanged_site_reuses_its_index_and_an_edited_page_never_gets_a_stale_one() {
    let site = SiteTest::new("basic");
    let options = site.options();
    let index = || snapshot(&site.output.join("pagefind"));
    assert!(builds_and_indexes(&options), "a first build runs Pagefind");
    let first = index();
    assert!(
        !builds_and_indexes(&options),
        "an unchanged site reuses its index"
    );
    assert!(index() == first, "the reused index differs");

    let page = site.root.join("content/guide/start.md");
    let mut text = std::fs::read_to_string(&page).unwrap();
    text.push_str("\nA word no other page has: quixotically.\n");
    std::fs::write(&page, text).unwrap();
    assert!(builds_and_indexes(&options), "an edited page is indexed");
    let edited = index();
    assert!(edited != first, "the index did not change");

    // The very index a build without any kept index makes.
    std::fs::remove_dir_all(site.root.join(folio::project::CACHE_DIR)).unwrap();
    assert!(builds_and_indexes(&options));
    assert!(index() == edited, "the index differs from a clean build's");
}

/// With an index kept from the last build, in files as `folio build` keeps it or in
/// memory as `folio serve` does, a build with one page edited has Pagefind parse that
/// page only, takes every other page packed from the store, and makes the very index a
/// build with nothing kept makes.
#[test]
fn an_edited_page_is_the_only_one_pagefind_parses_again() {
    let store_dir = tempfile::tempdir().unwrap();
    let path = store_dir.path().join("search.bin");
    let memory = std::sync::Mutex::default();
    for (kind, store) in [
        ("files", search::Store::Files(&path)),
        ("memory", search::Store::Memory(&memory)),
    ] {
        let site = SiteTest::new("basic");
        let index = |store| {
            let planned = site.planned();
            let sites: Vec<&folio::site::Site> = planned.renderer.sites().collect();
            search::index(&sites, &folio::progress::Silent, store).expect("indexes")
        };
        let save = |index: &mut search::Index| {
            for file in index.staged.drain(..) {
                file.commit().unwrap();
            }
        };
        let mut first = index(store);
        assert!(first.made.parsed >= 10, "{kind}: {}", first.made.parsed);
        save(&mut first);
        let mut again = index(store);
        assert!(
            again.made.reused,
            "{kind}: an unchanged site reuses its index"
        );
        save(&mut again);

        let page = site.root.join("content/guide/start.md");
        let mut text = std::fs::read_to_string(&page).unwrap();
        text.push_str("\nA word no other page has: quixotically.\n");
        std::fs::write(&page, text).unwrap();
        let edited = index(store);
        assert!(!edited.made.reused);
        assert_eq!(
            edited.made.parsed, 1,
            "{kind}: only the edited page is parsed"
        );

        let clean = index(search::Store::Nothing);
        assert_eq!(clean.made.parsed, first.made.parsed);
        let files = |index: &search::Index| -> Vec<(String, Vec<u8>)> {
            (index.files.iter())
                .map(|file| (file.path.join("/"), file.bytes.clone()))
                .collect()
        };
        assert!(
            files(&edited) == files(&clean),
            "{kind}: the index differs from a clean build's"
        );
        assert!(
            files(&edited) != files(&first),
            "{kind}: the index did not change"
        );
    }
}
