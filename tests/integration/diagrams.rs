//! Diagrams in a built site: Graphviz blocks become themed inline SVG at build time,
//! mermaid blocks load the vendored script on their pages only, and a diagram that
//! cannot be drawn is a located diagnostic.

use folio::diag::Kind;

use crate::harness::SiteTest;

const SCRIPT: &str = "theme/vendor/mermaid/mermaid.min.js";

#[test]
fn a_dot_block_is_an_accessible_svg_in_the_page() {
    let site = SiteTest::new("diagrams").build().expect_success();
    insta::assert_snapshot!("dot", site.main("/dot/"));
    let main = site.main("/dot/");
    assert_eq!(main.matches("role=\"img\"").count(), 2, "{main}");
    assert!(
        main.contains("<figcaption>The build</figcaption>"),
        "{main}"
    );
    assert!(
        main.contains("<title id=\"rm-25c020b5-title\">Pair</title>"),
        "{main}"
    );
    assert!(main.contains("<math display=\"inline\">"), "{main}");
    assert!(
        !main.contains("language-dot") && !main.contains("fill=\"#"),
        "{main}"
    );
}

#[test]
fn only_pages_with_a_mermaid_block_load_the_script() {
    let site = SiteTest::new("diagrams")
        .build()
        .expect_success()
        .expect_warning("content/typo.md:7:1", Kind::DiagramUnknown)
        .expect_page_contains("/mermaid/", SCRIPT)
        .expect_page_contains(
            "/mermaid/",
            "<pre class=\"mermaid\">flowchart LR\n  A[Write] --&gt; B{Build?}",
        )
        .expect_page_lacks("/plain/", "mermaid.js")
        .expect_page_lacks("/dot/", "mermaid.js")
        .expect_page_lacks("/", "mermaid.js");
    let script = std::fs::read(site.output_path(&format!("/{SCRIPT}"))).expect("the script");
    assert!(script.len() > 1_000_000, "the vendored script is whole");
    assert!(site.output_path("/theme/vendor/mermaid/LICENSE").exists());
}

#[test]
fn a_site_without_mermaid_gets_no_script() {
    SiteTest::empty()
        .file("book.toml", "[book]\ntitle = \"T\"\n")
        .file(
            "content/_index.md",
            "---\ntitle: Home\n---\n```dot\ndigraph { a -> b }\n```\n",
        )
        .build()
        .expect_success()
        .expect_page_contains("/", "folio-diagram")
        .expect_no_page(&format!("/{SCRIPT}"))
        .expect_no_page("/theme/mermaid.js");
}

#[test]
fn dot_that_does_not_parse_fails_the_build_where_it_is_wrong() {
    SiteTest::new("diagram_error")
        .build()
        .expect_error("content/_index.md:8:8", Kind::Diagram)
        .expect_error("content/_index.md:13:1", Kind::Diagram)
        .expect_error_count(2)
        .expect_help(
            "write a Graphviz graph, such as `digraph { rankdir=LR; a -> b [label=\"uses\"] }`",
        );
}

#[test]
fn an_unknown_dot_shape_is_a_warning_at_the_fence() {
    SiteTest::empty()
        .file("book.toml", "[book]\ntitle = \"T\"\n")
        .file(
            "content/_index.md",
            "---\ntitle: Home\n---\n```dot\ndigraph { a [shape=star] }\n```\n",
        )
        .build()
        .expect_success()
        .expect_warning("content/_index.md:4:4", Kind::DiagramUnknown);
}

#[test]
fn diagrams_survive_on_a_page_with_raw_html() {
    SiteTest::empty()
        .file("book.toml", "[book]\ntitle = \"T\"\n")
        .file(
            "content/_index.md",
            "---\ntitle: Home\n---\nPress <kbd>x</kbd>.\n\n```dot\ndigraph { a -> b }\n```\n",
        )
        .build()
        .expect_success()
        .expect_page_contains("/", "<kbd>x</kbd>")
        .expect_page_contains("/", "role=\"img\"")
        .expect_page_contains("/", "<ellipse");
}

#[test]
fn a_book_keeps_its_dot_and_mermaid_blocks_as_code() {
    let mut book = SiteTest::empty()
        .file("book.toml", "[book]\ntitle = \"B\"\n")
        .file("src/SUMMARY.md", "# Summary\n\n- [One](one.md)\n")
        .file(
            "src/one.md",
            "# One\n\n```dot\ndigraph { a -> b }\n```\n\n```mermaid\ngraph TD\n```\n",
        );
    book.output = book.root.join("book");
    book.cache = Some(book.root.with_file_name("cache"));
    book.build()
        .expect_success()
        .expect_page_contains("/one.html", "language-dot")
        .expect_page_contains("/one.html", "language-mermaid")
        .expect_page_lacks("/one.html", "folio-diagram")
        .expect_page_lacks("/one.html", "mermaid.min.js");
}
