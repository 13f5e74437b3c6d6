//! mdBook books build unchanged: a book.toml, SUMMARY.md and chapters written for
//! mdBook give the files mdBook writes, at its paths, and folio writes nothing into the
//! book but its build folder.

use std::path::Path;

use folio::diag::Kind;
use folio::project::Options;

use crate::harness::SiteTest;

/// The fixture book, its cache in the test's temporary folder rather than the user's
/// cache folder, where a book's cache goes.
fn book() -> SiteTest {
    let mut site = SiteTest::new("mdbook_basic");
    site.output = site.root.join("book");
    site.cache = Some(site.root.with_file_name("cache"));
    site
}

fn built(site: &SiteTest, path: &str) -> String {
    std::fs::read_to_string(site.output.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every file below `dir`, relative to it, sorted.
fn files_below(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).unwrap().display().to_string())
        .collect();
    files.sort();
    files
}

#[test]
fn a_book_builds_at_mdbook_s_paths_with_its_own_files() {
    let site = book().build().expect_success();
    let written = files_below(&site.output);
    for path in [
        "index.html",
        "guide/start.html",
        "guide/install.html",
        "reference.html",
        "afterword.html",
        "print.html",
        "toc.html",
        "toc.js",
        "404.html",
        "img/logo.svg",
        "extra.css",
        "old-start.html",
        "old-anchor.html",
    ] {
        assert!(
            written.iter().any(|w| w == path),
            "no {path} in {written:?}"
        );
    }
    assert!(
        !written.iter().any(|w| w.contains("unlisted")),
        "{written:?}"
    );
    assert!(!written.iter().any(|w| w.ends_with(".md")), "{written:?}");
    assert!(built(&site, "old-start.html").contains("url=guide/start.html"));
    assert_eq!(built(&site, "CNAME"), "book.example.org\n");
    let intro = built(&site, "index.html");
    assert!(intro.contains(r#"<link rel="stylesheet" href="/extra.css">"#));
    assert!(intro.contains(r#"<script src="/toc.js"></script>"#));
    assert!(intro.contains(
        r#"<a class="repository-link" href="https://example.org/small-book">Source</a>"#
    ));
    assert!(intro.contains(r#"<html lang="en" dir="ltr">"#));
}

#[test]
fn what_mdbook_never_checked_warns_and_every_link_leaves_md_behind() {
    let site = book()
        .build()
        .expect_warning("src/unlisted.md", Kind::Summary)
        .expect_warning("src/guide/install.md:3:37", Kind::BrokenAnchor)
        .expect_warning("book.toml:25:9", Kind::UnsupportedBackend);
    let install = built(&site, "guide/install.html");
    assert!(
        install.contains(r#"<a href="../reference.html#missing-anchor">"#),
        "{install}"
    );
    assert!(install.contains(r#"<a href="start.html">"#), "{install}");
    let intro = built(&site, "index.html");
    assert!(intro.contains(r#"<a href="guide/start.html#second-step">"#));
}

#[test]
fn broken_links_fail_the_build_when_asked() {
    let site = book();
    let options = Options {
        broken_links: Some(folio::config::Severity::Error),
        ..site.options()
    };
    site.build_with(options)
        .expect_error_count(1)
        .expect_error("src/guide/install.md:3:37", Kind::BrokenAnchor);
}

#[test]
fn ids_footnotes_and_hidden_lines_are_mdbook_s() {
    let site = book().build().expect_success();
    let start = built(&site, "guide/start.html");
    for id in ["getting-started", "first-step", "second-step"] {
        assert!(
            start.contains(&format!(r#"id="{id}""#)),
            "no {id}:\n{start}"
        );
    }
    assert!(start.contains(r#"<span class="boring">"#), "{start}");
    let intro = built(&site, "index.html");
    assert!(intro.contains(r#"id="fr-note-1""#), "{intro}");
    assert!(intro.contains(r#"id="footnote-note""#), "{intro}");
}

#[test]
fn the_table_of_contents_is_written_once_with_parts_numbers_and_drafts() {
    let site = book().build().expect_success();
    let toc = built(&site, "toc.html");
    assert!(
        toc.contains(r#"<li class="part-title">The guide</li>"#),
        "{toc}"
    );
    assert!(
        toc.contains(r#"<strong aria-hidden="true">1.1.</strong> Installing"#),
        "{toc}"
    );
    assert!(
        toc.contains(
            r#"<span class="draft"><strong aria-hidden="true">2.</strong> A draft</span>"#
        ),
        "{toc}"
    );
    assert!(
        toc.contains(r#"<li class="spacer" role="separator"></li>"#),
        "{toc}"
    );
    let script = built(&site, "toc.js");
    assert!(script.contains("Getting started"), "{script}");
    // A chapter carries no copy of the table of contents.
    assert!(!built(&site, "guide/start.html").contains("Afterword"));
}

#[test]
fn a_missing_chapter_is_built_empty_or_refused_as_create_missing_says() {
    let missing = |create: bool| {
        book()
            .file(
                "book.toml",
                &format!("[book]\ntitle = \"B\"\n\n[build]\ncreate-missing = {create}\n"),
            )
            .file("src/SUMMARY.md", "- [Here](here.md)\n- [Gone](gone.md)\n")
            .file("src/here.md", "# Here\n")
    };
    let site = missing(true)
        .build()
        .expect_warning("src/SUMMARY.md", Kind::Summary);
    assert!(built(&site, "gone.html").contains(r#"id="gone""#));
    assert!(
        !site.root.join("src/gone.md").exists(),
        "folio wrote into the book"
    );
    missing(false)
        .build()
        .expect_error("src/gone.md", Kind::Summary);
}

#[test]
fn a_book_keeps_its_cache_in_the_user_s_cache_folder() {
    let site = SiteTest::new("mdbook_basic");
    let project = folio::project::Project::load(&Options::for_site(Some(&site.root))).unwrap();
    let cache = project.cache_dir.expect("a cache folder");
    assert!(!cache.starts_with(&site.root), "{}", cache.display());
    let name = cache.file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with("book-"), "{name}");
    assert!(
        cache.parent().unwrap().ends_with("folio"),
        "{}",
        cache.display()
    );
}

#[test]
fn a_book_s_folder_gets_nothing_but_its_build_folder() {
    let site = book();
    let before = files_below(&site.root);
    let site = site.build().expect_success();
    let after: Vec<String> = files_below(&site.root)
        .into_iter()
        .filter(|f| !f.starts_with("book/"))
        .collect();
    assert_eq!(before, after);
}

#[test]
fn a_summary_md_mdbook_rejects_is_located() {
    let site = book()
        .file(
            "src/SUMMARY.md",
            "- [One](one.md)\n\n[Suffix](s.md)\n\n- [Two](two.md)\n",
        )
        .build()
        .expect_error_count(1);
    let error = site.errors().iter().find(|d| d.is_error()).unwrap();
    assert_eq!(error.kind, Kind::Summary);
    assert!(
        error.location().unwrap().starts_with("src/SUMMARY.md:5:"),
        "{error}"
    );
}

#[test]
fn a_chapter_book_toml_leaves_out_of_search_is_not_indexed() {
    let site = book().build().expect_success();
    let entry = built(&site, "pagefind/pagefind-entry.json");
    // Five chapters, `afterword.md` left out by [output.html.search.chapter].
    assert!(entry.contains(r#""page_count":4"#), "{entry}");
}

#[test]
fn fragment_redirects_lead_an_old_anchor_to_its_new_place() {
    let site = book().build().expect_success();
    let start = built(&site, "guide/start.html");
    assert!(
        start.contains(r##"location.replace(t)})({"old-first":"#first-step"})</script>"##),
        "{start}"
    );
    assert!(!built(&site, "reference.html").contains("location.replace"));
}

#[test]
fn a_first_chapter_in_a_folder_is_reached_from_index_html_by_a_redirect() {
    let site = book()
        .file("src/SUMMARY.md", "- [Start](guide/start.md)\n- [Install](guide/install.md)\n- [Reference](reference.md)\n")
        .build();
    assert!(built(&site, "index.html").contains("url=guide/start.html"));
}

#[test]
fn fold_and_the_markdown_switches_follow_book_toml() {
    let folded = book()
        .file(
            "book.toml",
            "[book]\ntitle = \"B\"\n\n[output.html]\ndefinition-lists = false\n\n[output.html.fold]\nenable = true\nlevel = 1\n",
        )
        .file("src/reference.md", "# Reference\n\nTerm\n: Its definition.\n")
        .build()
        .expect_success();
    assert!(built(&folded, "toc.js").contains("if (depth > 1 && !open) list.hidden = true;"));
    assert!(!built(&folded, "reference.html").contains("<dl"));
    let unfolded = book().build().expect_success();
    assert!(!built(&unfolded, "toc.js").contains("list.hidden"));
}

#[test]
fn the_book_s_404_md_is_its_404_page_outside_its_chapters() {
    let site = book()
        .file("src/404.md", "# Lost\n\nNothing here.\n")
        .build()
        .expect_success();
    assert!(built(&site, "404.html").contains("Nothing here."));
    assert!(!built(&site, "toc.html").contains("Lost"));
    assert!(!built(&site, "print.html").contains("Nothing here."));
    let warnings = site.succeeded();
    assert!(
        !warnings
            .iter()
            .any(|d| d.file.as_deref() == Some(Path::new("src/404.md"))),
        "{warnings}"
    );
}

#[test]
fn a_book_without_summary_md_says_so() {
    let site = book();
    std::fs::remove_file(site.root.join("src/SUMMARY.md")).unwrap();
    site.build().expect_error("src/SUMMARY.md", Kind::Summary);
}

#[test]
fn raw_html_passes_through_with_its_urls_resolved_relative_to_the_chapter() {
    let chapter = "# Start\n\n<img src=\"../img/a.png\" onclick=\"zoom()\">\n\n<iframe src=\"demo.html\" style=\"border:0\"></iframe>\n";
    let site = book()
        .file("src/SUMMARY.md", "- [Start](guide/start.md)\n")
        .file("src/guide/start.md", chapter)
        .file("src/guide/demo.html", "<p>demo</p>\n")
        .file("src/img/a.png", "png")
        .build()
        .expect_success();
    let page = built(&site, "guide/start.html");
    assert!(
        page.contains("<img src=\"../img/a.png\" onclick=\"zoom()\">"),
        "{page}"
    );
    assert!(
        page.contains("<iframe src=\"demo.html\" style=\"border:0\"></iframe>"),
        "{page}"
    );
    assert!(
        !site
            .succeeded()
            .iter()
            .any(|d| d.kind == Kind::RawHtmlRemoved)
    );
    let broken = book()
        .file("src/SUMMARY.md", "- [Start](guide/start.md)\n")
        .file(
            "src/guide/start.md",
            "# Start\n\n<img src=\"../img/b.png\">\n",
        )
        .build();
    let warning = broken
        .succeeded()
        .iter()
        .find(|d| d.kind == Kind::BrokenLink)
        .map(|d| d.location());
    assert_eq!(warning, Some(Some("src/guide/start.md:3:10".to_string())));
}
