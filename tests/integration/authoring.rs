//! One site that uses every writing feature at once (`tests/fixtures/authoring`): TOML
//! front matter, `static/`, an include, built-in and site shortcodes, math, both kinds
//! of diagram, code-block titles and diffs, raw HTML, and an additional stylesheet. Each
//! feature has its own tests; this one holds that they work together on one page.

use crate::harness::SiteTest;

#[test]
fn every_writing_feature_works_together_on_one_page() {
    let site = SiteTest::new("authoring").build().expect_success();
    let page = site.page("/guide/write/");
    let expected = [
        ("the included lines", "install</span> --"),
        (
            "the code block's title",
            "<figcaption class=\"code-title\">setup.sh</figcaption>",
        ),
        ("the tabs", "class=\"tabs"),
        (
            "the figure, sized from its file",
            "alt=\"The folio logo\" width=\"64\" height=\"32\"",
        ),
        ("the details", "<details"),
        (
            "the site's own shortcode",
            "<aside class=\"note\"><p class=\"note-title\">Heads up</p>",
        ),
        (
            "a link inside a shortcode's body",
            "<a href=\"/guide/write/#install\">link</a>",
        ),
        ("MathML", "<math"),
        ("the DOT diagram", "class=\"folio-chart folio-diagram\""),
        ("the mermaid block", "<pre class=\"mermaid\">"),
        ("the mermaid script, on this page", "mermaid.js"),
        ("the diff", "<span class=\"line ins\">+new line</span>"),
        (
            "raw HTML resolved under the site",
            "<img src=\"/guide/img/logo.svg\" alt=\"The logo again\">",
        ),
        ("the additional stylesheet", "theme/extra.css"),
    ];
    for (what, html) in expected {
        assert!(page.contains(html), "no {what} (`{html}`) in:\n{page}");
    }
    let robots = std::fs::read_to_string(site.output_path("/robots.txt")).unwrap();
    assert!(
        robots.contains("Disallow: /drafts/"),
        "static/ replaces robots.txt: {robots}"
    );
    assert!(site.output_path("/theme/extra.css").is_file());
    assert!(
        !site.page("/").contains("mermaid.js"),
        "a page without a mermaid diagram loads its script"
    );
    assert_eq!(
        site.page("/").matches("<title>").count(),
        1,
        "TOML front matter is read, not shown"
    );
    assert!(
        !site.page("/").contains("+++"),
        "TOML front matter shown as text"
    );
}
