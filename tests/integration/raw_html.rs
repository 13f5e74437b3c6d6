//! Raw HTML in Markdown: its `src` and `href` resolve like Markdown links, and what the
//! sanitiser removes is reported where it was written.

use crate::harness::SiteTest;
use folio::diag::Kind;

const SETUP: &str = "---\ntitle: Setup\n---\n\nThe design:\n\n<img src=\"architecture.png\" alt=\"Architecture\">\n\nRead <a href=\"../intro.md#why\">why</a>, <a href=\"@/intro.md\">the intro</a> or <a href=\"https://example.org/x\">more</a>.\n";

fn guide() -> SiteTest {
    SiteTest::empty()
        .file("content/intro.md", "# Intro\n\n## Why\n")
        .file("content/guide/architecture.png", "png")
}

#[test]
fn raw_html_urls_on_a_nested_page_resolve_under_the_base_url() {
    let site = guide().file("content/guide/setup.md", SETUP);
    let options = folio::project::Options {
        base_url: Some("/docs/".into()),
        ..site.options()
    };
    let site = site.build_with(options).expect_success();
    let main = site.main("/guide/setup/");
    for expected in [
        "<img src=\"/docs/guide/architecture.png\" alt=\"Architecture\">",
        "<a href=\"/docs/intro/#why\">why</a>",
        "<a href=\"/docs/intro/\">the intro</a>",
        "<a href=\"https://example.org/x\">more</a>",
    ] {
        assert!(main.contains(expected), "{expected} missing in:\n{main}");
    }
}

#[test]
fn a_broken_raw_html_url_is_a_located_broken_link() {
    let page =
        "# Setup\n\nSee <img src=\"architectur.png\">.\n\n<a href=\"../intro.md#how\">how</a>\n";
    guide()
        .file("content/guide/setup.md", page)
        .build()
        .expect_error_count(2)
        .expect_error("content/guide/setup.md:3:14", Kind::BrokenLink)
        .expect_error("content/guide/setup.md:5:9", Kind::BrokenAnchor)
        .expect_help("did you mean `architecture.png`?");
}

#[test]
fn removed_raw_html_warns_at_the_tag_and_trusted_raw_html_stays() {
    let page = "# Demo\n\nWatch:\n\n<iframe src=\"https://example.org/embed\"></iframe>\n\n<p style=\"color: red\">Red</p>\n";
    let site = SiteTest::empty()
        .file("content/demo.md", page)
        .build()
        .expect_success()
        .expect_warning("content/demo.md:5:1", Kind::RawHtmlRemoved)
        .expect_warning("content/demo.md:7:4", Kind::RawHtmlRemoved);
    let main = site.main("/demo/");
    assert!(
        !main.contains("iframe") && !main.contains("color"),
        "{main}"
    );
    SiteTest::empty()
        .file(
            "book.toml",
            "[book]\ntitle = \"T\"\n[markdown]\ntrust-raw-html = true\n",
        )
        .file("content/demo.md", page)
        .build()
        .expect_success()
        .expect_page_contains(
            "/demo/",
            "<iframe src=\"https://example.org/embed\"></iframe>",
        )
        .expect_page_contains("/demo/", "<p style=\"color: red\">Red</p>");
}
