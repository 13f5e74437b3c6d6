//! Hostile content: raw HTML, dangerous URLs and template syntax never reach the page
//! as anything but inert text.

use crate::harness::SiteTest;
use folio::diag::Kind;

const HOSTILE: &str = "---\ntitle: Hostile\n---\n\n<script>alert('raw')</script>\n\n<img src=x.png onerror=\"alert('img')\">\n\n<details><summary>Open</summary>Press <kbd>Ctrl</kbd>.</details>\n\n[js](javascript:alert('link')) [mixed](JaVaScRiPt:alert('mixed')) [entity](&#106;avascript:alert('entity')) [data](data:text/html,<script>alert('data')</script>) <javascript:alert('autolink')>\n\n![img](vbscript:alert('image'))\n\n[ref]\n\n[ref]: javascript:alert('reference')\n";

#[test]
fn raw_html_is_sanitised_and_dangerous_urls_never_reach_an_attribute() {
    let site = SiteTest::empty()
        .file("content/hostile.md", HOSTILE)
        .file("content/x.png", "png")
        .build();
    let main = site.main("/hostile/");
    for gone in ["<script", "onerror", "alert('raw')"] {
        assert!(!main.contains(gone), "{gone} reached the page:\n{main}");
    }
    for attribute in ["href=\"", "src=\""] {
        for value in main
            .split(attribute)
            .skip(1)
            .map(|rest| rest[..rest.find('"').unwrap()].to_lowercase())
        {
            let scheme = value
                .trim_start()
                .split(':')
                .next()
                .unwrap_or_default()
                .to_string();
            assert!(
                !["javascript", "vbscript", "data"].contains(&scheme.as_str()),
                "{attribute}{value}"
            );
        }
    }
    assert!(
        main.contains("<details><summary>Open</summary>Press <kbd>Ctrl</kbd>.</details>"),
        "{main}"
    );
    assert_eq!(
        site.succeeded()
            .iter()
            .filter(|d| d.kind == Kind::Markdown && d.message.contains("unsafe URL scheme removed"))
            .count(),
        7,
        "js, mixed, entity, data, autolink, image and reference"
    );
}

#[test]
fn trusted_raw_html_passes_through_when_the_site_opts_in() {
    SiteTest::empty()
        .file(
            "book.toml",
            "[book]\ntitle = \"T\"\n[markdown]\ntrust-raw-html = true\n",
        )
        .file(
            "content/a.md",
            "---\ntitle: A\n---\n\n<div class=\"x\" onclick=\"go()\">kept as written</div>\n",
        )
        .build()
        .expect_page_contains(
            "/a/",
            "<div class=\"x\" onclick=\"go()\">kept as written</div>",
        );
}

#[test]
fn hostile_fence_info_strings_are_escaped() {
    let site = SiteTest::empty()
        .file(
            "content/a.md",
            "---\ntitle: A\n---\n\n```\"><script>alert(1)</script>\ncode\n```\n",
        )
        .build();
    let main = site.main("/a/");
    assert!(!main.contains("<script>"), "{main}");
}
