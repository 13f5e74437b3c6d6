//! What the default theme adds around pages: the print page, the Atom feed, metadata
//! and "edit this page". How it looks and behaves in a browser is `browser.rs`.

use crate::harness::SiteTest;

const BOOK: &str = "[book]\ntitle = \"Test\"\nedit-url = \"https://git.example/o/r/edit/main/{path}\"\n\n[build]\nbase-url = \"https://example.org/docs/\"\n";

fn dated(title: &str, date: &str, body: &str) -> String {
    format!("---\ntitle: '{title}'\ndate: {date}\n---\n{body}\n")
}

#[test]
fn the_print_page_keeps_every_link_and_id_inside_it() {
    let site = SiteTest::empty()
        .file("content/_index.md", "Home: see [A](a.md).\n")
        .file(
            "content/a.md",
            "---\ntitle: A\n---\n## Intro\n\nTo [details](b.md#details), [b](b.md), [here](#intro) \
             and [the sitemap](/sitemap.xml).[^n]\n\nHEU.\n\n[^n]: A note.\n",
        )
        .file(
            "content/b.md",
            "---\ntitle: B\ntags: [x]\n---\n## Details\n\nBack to [a](@/a.md#intro).\n",
        )
        .file(
            "content/g.md",
            "---\ntitle: G\nglossary:\n  - term: HEU\n    expansion: highly enriched uranium\n---\nTerms.\n",
        )
        .build()
        .expect_success();
    let print = site.main("/print/");
    for expected in [
        "<article class=\"print-page\" id=\"page-home\">",
        "<article class=\"print-page\" id=\"page-a\">",
        "<h2 id=\"page-a--intro\">",
        "href=\"#page-a--intro\"",
        "href=\"#page-b--details\"",
        "href=\"#page-b\"",
        "href=\"#page-a\"",
        "href=\"/sitemap.xml\"",
    ] {
        assert!(print.contains(expected), "{expected} missing from {print}");
    }
    // A glossary term links to its entry, printed under its page.
    assert!(
        print.contains("<dt id=\"page-g--term-heu\">HEU</dt>"),
        "{print}"
    );
    assert!(print.contains("href=\"#page-g--term-heu\""), "{print}");
    // The footnote's own link and target are prefixed alike.
    assert!(
        print.contains("href=\"#page-a--n\"") && print.contains("id=\"page-a--n\""),
        "{print}"
    );
    // Reading order: the home page, then its pages.
    assert!(print.find("id=\"page-home\"") < print.find("id=\"page-a\""));
    assert!(print.find("id=\"page-a\"") < print.find("id=\"page-b\""));
}

#[test]
fn a_page_of_the_site_at_print_wins_over_the_print_page() {
    SiteTest::empty()
        .file(
            "content/print.md",
            "---\ntitle: Printing guide\n---\nHow to print.\n",
        )
        .build()
        .expect_success()
        .expect_page_contains("/print/", "How to print.");
}

#[test]
fn the_feed_lists_dated_pages_newest_first_with_escaped_titles() {
    let site = SiteTest::empty()
        .file("book.toml", BOOK)
        .file("content/old.md", &dated("Old", "2016-03", "Old text."))
        .file(
            "content/new.md",
            &dated("Tom & <Jerry> \"quoted\"", "2022-03-31", "New text."),
        )
        .file("content/undated.md", "---\ntitle: Undated\n---\nNo date.\n")
        .build()
        .expect_success();
    let feed = site.page("/atom.xml");
    assert!(feed.starts_with(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\""
    ));
    assert!(
        feed.contains("<title>Tom &amp; &lt;Jerry&gt; &quot;quoted&quot;</title>"),
        "{feed}"
    );
    assert!(
        feed.contains("<link href=\"https://example.org/docs/new/\"/>"),
        "{feed}"
    );
    assert!(
        feed.contains("<link rel=\"self\" href=\"https://example.org/docs/atom.xml\"/>"),
        "{feed}"
    );
    assert!(
        feed.contains("<updated>2022-03-31T00:00:00Z</updated>"),
        "{feed}"
    );
    assert!(
        feed.contains("<published>2016-03-01T00:00:00Z</published>"),
        "{feed}"
    );
    assert!(
        feed.find("/docs/new/") < feed.find("/docs/old/"),
        "newest first: {feed}"
    );
    assert!(!feed.contains("Undated"), "{feed}");
    assert_eq!(
        feed.matches("<entry>").count(),
        feed.matches("</entry>").count()
    );
    site.expect_page_contains(
        "/old/",
        "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Test\" href=\"/docs/atom.xml\">",
    );
}

#[test]
fn a_site_without_dated_pages_has_no_feed() {
    SiteTest::empty()
        .file("content/a.md", "---\ntitle: A\n---\nText.\n")
        .build()
        .expect_success()
        .expect_no_page("/atom.xml")
        .expect_page_lacks("/a/", "application/atom+xml");
}

#[test]
fn a_page_without_a_description_takes_the_sites() {
    let site = SiteTest::empty()
        .file(
            "book.toml",
            "[book]\ntitle = \"Test\"\ndescription = \"A site about tests.\"\n",
        )
        .file("content/a.md", "---\ntitle: A\n---\nText.\n")
        .build()
        .expect_success();
    let page = site.page("/a/");
    for expected in [
        "<meta name=\"description\" content=\"A site about tests.\">",
        "<meta property=\"og:description\" content=\"A site about tests.\">",
        "<meta name=\"twitter:description\" content=\"A site about tests.\">",
    ] {
        assert!(page.contains(expected), "{expected} missing: {page}");
    }
}

#[test]
fn pages_carry_metadata_and_an_edit_link() {
    let site = SiteTest::empty()
        .file("book.toml", BOOK)
        .file(
            "content/a.md",
            "---\ntitle: A page\ndescription: About A.\ndate: 2020-01-02\nupdated: 2021-05\n---\nText.\n",
        )
        .build()
        .expect_success();
    for expected in [
        "<meta name=\"description\" content=\"About A.\">",
        "<link rel=\"canonical\" href=\"https://example.org/docs/a/\">",
        "<meta property=\"og:url\" content=\"https://example.org/docs/a/\">",
        "<meta property=\"og:title\" content=\"A page\">",
        "<meta property=\"og:type\" content=\"article\">",
        "<meta property=\"article:modified_time\" content=\"2021-05-01T00:00:00Z\">",
        "<meta name=\"twitter:card\" content=\"summary\">",
        "<a href=\"https://git.example/o/r/edit/main/content/a.md\">Edit this page</a>",
        "Updated <time datetime=\"2021-05\">May 2021</time>",
    ] {
        assert!(site.page("/a/").contains(expected), "{expected} missing");
    }
    // The remembered theme is set before any stylesheet applies: no flash of the other.
    let html = site.page("/a/");
    let script = html
        .find("localStorage.getItem(\"folio-theme\")")
        .expect("the theme script");
    assert!(script < html.find("rel=\"stylesheet\"").unwrap(), "{html}");
}
