//! `{{#include}}` in any site, with mdBook's syntax: paths relative to the including
//! file, inside the site only, every problem at the directive's line and column.

use folio::diag::Kind;

use crate::harness::SiteTest;

fn site_with(body: &str) -> SiteTest {
    SiteTest::empty()
        .file(
            "content/_index.md",
            &format!("---\ntitle: Home\n---\n\n{body}"),
        )
        .file(
            "snippets/hello.rs",
            "// ANCHOR: main\nfn main() {}\n// ANCHOR_END: main\nfn other() {}\n",
        )
}

#[test]
fn a_page_includes_a_file_of_the_site_or_a_part_of_it() {
    let site = site_with("```rust\n{{#include ../snippets/hello.rs:main}}\n```\n")
        .build()
        .expect_success();
    let main = site.main("/");
    assert!(main.contains("main"), "{main}");
    assert!(!main.contains("other"), "{main}");
    assert!(!main.contains("ANCHOR"), "{main}");
}

#[test]
fn a_missing_file_or_a_path_out_of_the_site_is_located_at_its_directive() {
    site_with("{{#include missing.md}}\n\n{{#include ../../../etc/passwd}}\n")
        .build()
        .expect_error("content/_index.md:5:1", Kind::IncludeMissing)
        .expect_error("content/_index.md:7:1", Kind::IncludeOutside);
}

#[test]
fn front_matter_is_never_expanded() {
    let site = SiteTest::empty()
        .file(
            "content/_index.md",
            "---\ntitle: \"{{#include x}}\"\n---\n\nBody.\n",
        )
        .build()
        .expect_success();
    assert!(site.main("/").contains("{{#include x}}"));
}
