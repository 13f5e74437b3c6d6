//! Templates: the built-in theme, a site's overrides and template errors.

use crate::harness::SiteTest;
use folio::diag::Kind;

#[test]
fn a_site_template_replaces_the_default_and_can_extend_it() {
    SiteTest::new("template_override")
        .build()
        .expect_success()
        .expect_page_contains("/page/", "<title>OVERRIDDEN A page</title>")
        .expect_page_contains("/page/", "<div class=\"banner\">Hello from extra</div>")
        .expect_page_contains("/page/", "Body text.")
        // The section page still uses the default template.
        .expect_page_contains("/", "<title>template_override</title>");
}

#[test]
fn front_matter_picks_a_template_and_templates_reach_other_pages() {
    SiteTest::new("template_override")
        .build()
        .expect_page_contains("/custom/", "<p>special: Custom via /page/</p>");
}

#[test]
fn a_missing_template_named_in_front_matter_is_located() {
    SiteTest::empty()
        .file("content/a.md", "---\ntitle: A\ntemplate: nope.html\n---\n")
        .build()
        .expect_error("content/a.md:3:11", Kind::MissingTemplate);
}

#[test]
fn template_errors_name_the_template_line_and_column() {
    let site = SiteTest::new("template_error").build();
    let error = site
        .errors()
        .iter()
        .find(|d| d.kind == Kind::TemplateSyntax && d.message.contains("no_such_filter"))
        .unwrap_or_else(|| panic!("{}", site.errors()));
    assert!(
        error
            .location()
            .unwrap()
            .starts_with("templates/page.html:3:"),
        "{error}"
    );
}

#[test]
fn content_is_never_evaluated_as_a_template() {
    SiteTest::empty()
        .file(
            "content/a.md",
            "---\ntitle: A\n---\n\nLiteral {{ site.title }} and {% if true %}x{% endif %}.\n",
        )
        .build()
        .expect_page_contains(
            "/a/",
            "Literal {{ site.title }} and {% if true %}x{% endif %}.",
        );
}

#[test]
fn front_matter_values_are_escaped() {
    SiteTest::empty()
        .file(
            "content/a.md",
            "---\ntitle: \"<script>alert(1)</script>\"\ndescription: \"\\\"><img src=x>\"\n---\n",
        )
        .build()
        .expect_page_lacks("/a/", "<script>alert(1)")
        .expect_page_lacks("/a/", "\"><img src=x>")
        .expect_page_contains("/a/", "&lt;script&gt;");
}
