//! Shortcodes: Zola's calls in Markdown rendered through the built-in and the site's
//! templates, every problem at the call's line and column.

use folio::diag::Kind;

use crate::harness::SiteTest;

fn page(body: &str) -> SiteTest {
    SiteTest::empty()
        .file(
            "content/_index.md",
            &format!("---\ntitle: Home\n---\n\n{body}"),
        )
        .file(
            "content/img/a.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"20\"></svg>",
        )
}

#[test]
fn every_built_in_and_a_site_shortcode_render_as_a_reader_expects() {
    let site = SiteTest::new("shortcodes").build().expect_success();
    insta::assert_snapshot!("shortcodes_install", site.main("/guide/install/"));
}

#[test]
fn figures_are_links_of_the_page_and_take_their_size_from_the_file() {
    page("{{ figure(src=\"img/a.svg\", alt=\"A\") }}\n\n{{ figure(src=\"img/a.svg\", alt=\"B\", width=80) }}\n")
        .build()
        .expect_success()
        .expect_page_contains("/", "<img src=\"/img/a.svg\" alt=\"A\" width=\"40\" height=\"20\"")
        .expect_page_contains("/", "alt=\"B\" width=\"80\" height=\"40\"");
    page("{{ figure(src=\"img/missing.png\", alt=\"A\") }}\n")
        .build()
        .expect_error("content/_index.md:5:15", Kind::BrokenLink);
}

#[test]
fn problems_are_errors_at_the_call() {
    let body = "{{ youtube(id=\"x\") }}\n\n\
                {{ figure(src=\"img/a.svg\" alt=\"A\") }}\n\n\
                {{ figure(src=\"img/a.svg\", alt=\"A\", wdth=3) }}\n\n\
                {% details() %}\nx\n{% end %}\n\n\
                {% details(summary=1) %}\nx\n{% end %}\n\n\
                {% end %}\n\n\
                {% tabs() %}\n";
    page(body)
        .build()
        .expect_error("content/_index.md:5:4", Kind::UnknownShortcode)
        .expect_error("content/_index.md:7:27", Kind::ShortcodeSyntax)
        .expect_error("content/_index.md:9:37", Kind::UnknownShortcodeArgument)
        .expect_help("did you mean `width`?")
        .expect_error("content/_index.md:11:4", Kind::MissingShortcodeArgument)
        .expect_error("content/_index.md:15:20", Kind::ShortcodeArgumentType)
        .expect_error("content/_index.md:19:1", Kind::StrayShortcodeEnd)
        .expect_error("content/_index.md:21:1", Kind::UnclosedShortcode)
        .expect_error_count(7);
}

#[test]
fn site_templates_check_their_arguments_and_report_failures_at_the_call() {
    page("{{ badge(text=\"x\", colour=\"red\") }}\n\n{{ broken() }}\n")
        .file(
            "templates/shortcodes/badge.html",
            "<span class=\"badge badge-{{ color }}\">{{ text }}</span>\n",
        )
        .file("templates/shortcodes/broken.html", "{{ missing.field }}\n")
        .build()
        .expect_error("content/_index.md:5:20", Kind::UnknownShortcodeArgument)
        .expect_help("did you mean `color`?")
        .expect_error("content/_index.md:7:1", Kind::ShortcodeRender);
}

#[test]
fn a_site_template_replaces_the_built_in_of_its_name() {
    page("{% details(summary=\"S\") %}\nx\n{% end %}\n")
        .file(
            "templates/shortcodes/details.html",
            "<div class=\"mine\" title=\"{{ summary }}\">{{ body }}</div>\n",
        )
        .build()
        .expect_success()
        .expect_page_contains("/", "<div class=\"mine\" title=\"S\">");
}

#[test]
fn hugo_calls_warn_with_the_call_rewritten_and_stay_text() {
    let site = page("{{< figure src=\"img/a.svg\" >}}\n")
        .build()
        .expect_warning("content/_index.md:5:1", Kind::HugoShortcode)
        .expect_page_contains("/", "{{&lt; figure");
    let help = site.succeeded().iter().find_map(|w| w.help.clone());
    assert_eq!(
        help.as_deref(),
        Some("folio reads Zola's syntax: write `{{ figure(src=\"img/a.svg\") }}`")
    );
}

#[test]
fn shortcode_output_is_trusted_while_the_pages_own_html_is_sanitised() {
    page("<iframe src=\"https://example.org\"></iframe>\n\n{% details(summary=\"S\") %}\nx\n{% end %}\n")
        .file("templates/shortcodes/video.html", "<video src=\"{{ src }}\" controls></video>\n")
        .file("content/more.md", "---\ntitle: More\n---\n\n<b onclick=\"x()\">b</b> {{ video(src=\"v.mp4\") }}\n")
        .build()
        .expect_warning("content/_index.md:5:1", Kind::RawHtmlRemoved)
        .expect_page_lacks("/", "<iframe")
        .expect_page_contains("/", "<details class=\"details\"><summary>S</summary>")
        .expect_page_contains("/more/", "<video src=\"v.mp4\" controls></video>")
        .expect_page_lacks("/more/", "onclick");
}
