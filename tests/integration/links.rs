//! Links between pages: every form resolves, and every broken link or anchor is found.

use crate::harness::SiteTest;
use folio::diag::Kind;

#[test]
fn relative_md_links_and_content_root_links_become_page_urls() {
    SiteTest::new("basic")
        .build()
        .expect_page_contains("/", "href=\"/areas/iaea/#peer-review\"")
        .expect_page_contains("/areas/iaea/", "<a href=\"/\">home</a>")
        .expect_page_contains("/areas/iaea/", "href=\"/areas/attributes/\"")
        .expect_page_contains(
            "/areas/countries/",
            "href=\"/areas/iaea/\" title=\"The IAEA page\"",
        );
}

#[test]
fn reference_style_links_resolve_with_their_anchor() {
    SiteTest::new("basic")
        .build()
        .expect_page_contains("/areas/countries/", "href=\"/areas/iaea/#contributions\"");
}

#[test]
fn same_page_anchors_are_checked_and_kept() {
    SiteTest::new("basic")
        .build()
        .expect_page_contains("/areas/iaea/", "href=\"/areas/iaea/#peer-review\"");
}

#[test]
fn links_to_a_folder_lead_to_its_section() {
    SiteTest::new("basic")
        .build()
        .expect_page_contains("/", "href=\"/guide/\"");
}

#[test]
fn a_broken_link_is_located_with_a_suggestion() {
    let site = SiteTest::new("broken_link")
        .build()
        .expect_error_count(1)
        .expect_error("content/_index.md:6:13", Kind::BrokenLink);
    let error = site.errors().iter().next().unwrap();
    assert_eq!(error.help.as_deref(), Some("did you mean `target.md`?"));
}

#[test]
fn broken_anchors_are_located_with_a_suggestion() {
    SiteTest::new("broken_anchor")
        .build()
        .expect_error_count(2)
        .expect_error("content/_index.md:5:7", Kind::BrokenAnchor)
        .expect_error("content/_index.md:6:5", Kind::BrokenAnchor)
        .expect_help("did you mean `#peer-review`?");
}

#[test]
fn broken_links_can_be_warnings() {
    let site = SiteTest::new("broken_link");
    let toml = site.root.join("book.toml");
    std::fs::write(
        &toml,
        "[book]\ntitle = \"x\"\n[build]\nbroken-links = \"warn\"\n",
    )
    .unwrap();
    site.build()
        .expect_success()
        .expect_warning("content/_index.md:6:13", Kind::BrokenLink);
}

#[test]
fn links_that_climb_out_of_the_content_folder_are_broken_without_reading_anything() {
    SiteTest::empty()
        .file(
            "content/_index.md",
            "---\ntitle: Home\n---\n\n[secret](../../../../../../etc/passwd)\n",
        )
        .build()
        .expect_error("content/_index.md:5:1", Kind::BrokenLink);
}

#[test]
fn backlinks_list_the_pages_that_link_here() {
    let site = SiteTest::new("basic").build();
    let html = site.page("/areas/iaea/");
    let start = html
        .find("id=\"links-here\"")
        .expect("a group of backlinks");
    let backlinks = &html[start..start + html[start..].find("</ul>").unwrap()];
    assert!(
        backlinks.contains(">Pages that link here</h3>"),
        "{backlinks}"
    );
    assert!(backlinks.contains("href=\"/\""), "home links here");
    assert!(
        backlinks.contains("href=\"/areas/countries/\""),
        "countries links here"
    );
    assert!(
        !backlinks.contains("href=\"/areas/iaea/\""),
        "no self-backlink"
    );
}

#[test]
fn a_sub_path_base_url_prefixes_every_internal_link() {
    let site = SiteTest::new("basic");
    let options = folio::project::Options {
        base_url: Some("/sub/path/".into()),
        ..site.options()
    };
    let site = site.build_with(options).expect_success();
    for (file, bytes) in crate::harness::snapshot(&site.output) {
        if !file.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        for href in html
            .split("href=\"")
            .skip(1)
            .map(|rest| &rest[..rest.find('"').unwrap()])
        {
            assert!(
                href.starts_with("/sub/path/") || href.starts_with('#') || href.starts_with("http"),
                "{file}: href {href} escapes the base path"
            );
        }
    }
    site.expect_page_contains("/areas/iaea/", "href=\"/sub/path/areas/map.png\"")
        .expect_page_contains("/", "href=\"/sub/path/theme/style.css\"");
}

/// The text between the first pair of backquotes of a help line.
fn suggested(help: &str) -> &str {
    help.split('`').nth(1).unwrap_or_else(|| panic!("{help}"))
}

#[test]
fn suggestions_are_written_the_way_the_link_was_and_resolve_when_pasted_in() {
    let broken = "[a](instal-acme.md) [b](@/guide/instal-acme.md#setup) [c](../other/y.md)\n";
    let site = SiteTest::empty()
        .file(
            "content/guide/install-acme.md",
            "---\ntitle: Install\n---\n## Setup\n",
        )
        .file("content/other/why.md", "---\ntitle: Why\n---\nWhy.\n")
        .file(
            "content/guide/x.md",
            &format!("---\ntitle: X\n---\n{broken}"),
        )
        .build()
        .expect_error_count(3)
        .expect_error("content/guide/x.md:4:1", Kind::BrokenLink)
        .expect_error("content/guide/x.md:4:21", Kind::BrokenLink)
        .expect_error("content/guide/x.md:4:55", Kind::BrokenLink);
    let helps: Vec<&str> = site
        .errors()
        .iter()
        .map(|d| suggested(d.help.as_deref().unwrap()))
        .collect();
    assert_eq!(
        helps,
        [
            "install-acme.md",
            "@/guide/install-acme.md#setup",
            "../other/why.md"
        ]
    );
    let mut fixed = broken.to_string();
    for (diagnostic, suggestion) in site.errors().iter().zip(&helps) {
        let dest = suggested(&diagnostic.message);
        fixed = fixed.replace(&format!("({dest})"), &format!("({suggestion})"));
    }
    site.file(
        "content/guide/x.md",
        &format!("---\ntitle: X\n---\n{fixed}"),
    )
    .build()
    .expect_success();
}

#[test]
fn a_link_to_a_draft_says_it_is_a_draft_and_how_to_include_it() {
    let site = SiteTest::empty()
        .file(
            "content/guide/x.md",
            "---\ntitle: X\n---\nSee [the plan](plan.md).\n",
        )
        .file(
            "content/guide/plan.md",
            "---\ntitle: Plan\ndraft: true\n---\nSoon.\n",
        )
        .build()
        .expect_error_count(1)
        .expect_error("content/guide/x.md:4:5", Kind::DraftLink);
    let help = site.errors().iter().next().unwrap().help.clone().unwrap();
    assert!(help.contains("`--drafts`"), "{help}");
    let options = folio::project::Options {
        drafts: true,
        ..site.options()
    };
    site.build_with(options)
        .expect_success()
        .expect_page_contains("/guide/x/", "href=\"/guide/plan/\"");
}
