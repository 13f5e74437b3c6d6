//! Tests of [`render`] as a whole: what a page's Markdown turns into.

use crate::diag::Kind;
use std::borrow::Cow;
use std::ops::Range;
use std::sync::LazyLock;

use super::*;

/// One highlighter for all tests: loading the syntax set is slow in debug builds.
pub(super) static HIGHLIGHTER: LazyLock<Highlighter> = LazyLock::new(Highlighter::new);

fn md(body: &str) -> Rendered {
    render_with(body, &Options::default(), &HIGHLIGHTER)
}

/// Renders with no glossary, as the page `test.md`.
pub(super) fn render_with(body: &str, options: &Options, highlighter: &Highlighter) -> Rendered {
    let glossary = Glossary::default();
    let context = Context {
        options,
        highlighter,
        glossary: &glossary,
        page: "test.md",
        shortcodes: None,
        content_dir: None,
    };
    render(body, &context)
}

fn html(body: &str) -> String {
    md(body).html.to_string()
}

/// The HTML with placeholder `i` replaced by `<link i>`, for readable assertions.
fn resolved(rendered: &Rendered) -> String {
    substitute_links(&rendered.html, |i| Cow::Owned(format!("<link {i}>")))
}

// ---- headings ----

#[test]
fn headings_get_ids_anchors_and_plain_text() {
    let out = md("# Hello, *World*!\n\n## `fn main` & more\n\n## Hello, World!\n");
    let ids: Vec<&str> = out.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["hello-world", "fn-main--more", "hello-world-1"]);
    assert_eq!(out.headings[1].text, "fn main & more");
    assert_eq!(out.title.as_deref(), Some("Hello, World!"));
    assert!(out.html.contains(
        "<h1 id=\"hello-world\">Hello, <em>World</em>!<a class=\"anchor\" href=\"#hello-world\" \
         aria-label=\"Link to this section\">#</a></h1>"
    ));
}

#[test]
fn explicit_ids_win_and_keep_classes() {
    let out = md("## Setup {#install .wide}\n\n## Install\n\n## Again {#install}\n");
    let ids: Vec<&str> = out.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["install", "install-1", "install"]);
    assert_eq!(out.headings[0].text, "Setup");
    assert!(
        out.html
            .contains("<h2 id=\"install\" class=\"wide\">Setup<a class=\"anchor\""),
        "{}",
        out.html
    );
    assert_eq!(out.warnings.len(), 1);
    assert!(
        out.warnings[0]
            .message
            .contains("duplicate heading id `install`")
    );
}

#[test]
fn heading_ranges_point_into_the_body() {
    let body = "intro\n\n## Part two\n";
    let out = md(body);
    assert_eq!(
        body[out.headings[0].range.clone()].trim_end(),
        "## Part two"
    );
}

#[test]
fn toc_nests_headings_and_tolerates_odd_levels() {
    let out = md("### Early\n\n# Top\n\n### Skipped\n\n## Mid\n");
    let top: Vec<(&str, usize)> = out
        .toc
        .iter()
        .map(|e| (e.id.as_str(), e.children.len()))
        .collect();
    assert_eq!(top, [("early", 0), ("top", 2)]);
    assert_eq!(out.toc[1].children[0].title, "Skipped");
    assert_eq!(out.toc[1].children[1].level, 2);
}

#[test]
fn no_level_one_heading_means_no_title() {
    assert_eq!(md("## Only two\n").title, None);
}

// ---- links ----

#[test]
fn internal_links_are_listed_with_their_ranges() {
    let body = "See [a](../guide/install.md#peer-review), [b][ref], ![pic](img.png \"T\"), \
                [c](#frag), [d](@/guide/install.md#x) and [e](/x/).\n\n[ref]: other.md\n";
    let out = md(body);
    let listed: Vec<(LinkKind, &str, &str)> = out
        .links
        .iter()
        .map(|l| (l.kind, l.dest.as_str(), &body[l.range.clone()]))
        .collect();
    assert_eq!(
        listed,
        [
            (
                LinkKind::Link,
                "../guide/install.md#peer-review",
                "[a](../guide/install.md#peer-review)"
            ),
            (LinkKind::Link, "other.md", "[b][ref]"),
            (LinkKind::Image, "img.png", "![pic](img.png \"T\")"),
            (LinkKind::Link, "#frag", "[c](#frag)"),
            (
                LinkKind::Link,
                "@/guide/install.md#x",
                "[d](@/guide/install.md#x)"
            ),
            (LinkKind::Link, "/x/", "[e](/x/)"),
        ]
    );
    let page = resolved(&out);
    assert!(page.contains("<a href=\"%3Clink%200%3E\">a</a>"), "{page}");
    assert!(
        page.contains("<img src=\"%3Clink%202%3E\" alt=\"pic\" title=\"T\" />"),
        "{page}"
    );
}

#[test]
fn external_links_pass_through_unlisted() {
    let out = md(
        "[x](https://example.com/a?b=1&c=2) <https://rust-lang.org> <me@example.com> \
                  [p](//cdn.example/x)\n",
    );
    assert!(out.links.is_empty(), "{:?}", out.links);
    assert!(
        out.html
            .contains("href=\"https://example.com/a?b=1&amp;c=2\"")
    );
    assert!(out.html.contains("href=\"mailto:me@example.com\""));
    assert!(out.html.contains("href=\"//cdn.example/x\""));
}

#[test]
fn web_links_images_and_raw_html_urls_are_kept_for_checking_with_their_ranges() {
    let body = "[x](https://example.com/a#b) <https://rust-lang.org> <me@example.com> \
                [m](mailto:a@b.c) ![i](http://img.example/p.png) [r][ref]\n\n\
                <a href=\"//cdn.example/x\">c</a> <img src=https://e.org/i.png>\n\n\
                [ref]: https://ref.example/\n";
    let out = md(body);
    let found: Vec<_> = out
        .external
        .iter()
        .map(|l| (l.kind, l.url.as_str(), &body[l.range.clone()]))
        .collect();
    assert_eq!(
        found,
        [
            (
                LinkKind::Link,
                "https://example.com/a#b",
                "[x](https://example.com/a#b)"
            ),
            (
                LinkKind::Link,
                "https://rust-lang.org",
                "<https://rust-lang.org>"
            ),
            (
                LinkKind::Image,
                "http://img.example/p.png",
                "![i](http://img.example/p.png)"
            ),
            (LinkKind::Link, "https://ref.example/", "[r][ref]"),
            (LinkKind::Link, "//cdn.example/x", "\"//cdn.example/x\""),
            (
                LinkKind::Image,
                "https://e.org/i.png",
                "https://e.org/i.png"
            ),
        ]
    );
}

#[test]
fn placeholders_are_substituted_and_escaped() {
    let out = md("[a](one.md \"Say \\\"hi\\\"\") and [b](two.md)\n");
    let page = substitute_links(&out.html, |i| Cow::Owned(format!("/p/{i}/\"x\"&y")));
    assert_eq!(
        page,
        "<p><a href=\"/p/0/%22x%22&amp;y\" title=\"Say &quot;hi&quot;\">a</a> and \
         <a href=\"/p/1/%22x%22&amp;y\">b</a></p>\n"
    );
}

#[test]
fn nul_in_the_input_cannot_forge_a_placeholder() {
    let body = "\u{0}0\u{0} [a](x.md)\n";
    let out = md(body);
    // Only our placeholder is left: two NULs, one link.
    assert_eq!(out.html.matches('\0').count(), 2);
    assert!(out.html.contains("\u{FFFD}0\u{FFFD}"));
    assert_eq!(&body[out.links[0].range.clone()], "[a](x.md)");
}

#[test]
fn ranges_after_a_nul_still_point_into_the_body() {
    let body = "a\0b\0\n\n## [Part](p.md)\n";
    let out = md(body);
    assert_eq!(&body[out.links[0].range.clone()], "[Part](p.md)");
    assert_eq!(
        body[out.headings[0].range.clone()].trim_end(),
        "## [Part](p.md)"
    );
}

#[test]
fn unsafe_schemes_are_removed_with_a_warning() {
    let body = "[a](javascript:alert(1)) [b](&#106;avascript:alert(1)) ![c](data:image/png;base64,AAA) \
                <vbscript:msgbox> [d](JaVaScRiPt:x)\n";
    let out = md(body);
    let page = out.html.to_lowercase();
    for scheme in ["javascript:", "vbscript:", "data:"] {
        assert!(!page.contains(&format!("=\"{scheme}")), "{page}");
    }
    // The autolink's text stays visible; only its href is replaced.
    assert!(out.html.contains("<a href=\"#\">vbscript:msgbox</a>"));
    assert!(out.html.contains("<a href=\"#\">a</a>"));
    assert!(out.html.contains("<img src=\"#\" alt=\"c\" />"));
    assert_eq!(out.warnings.len(), 5);
    assert!(
        out.warnings
            .iter()
            .all(|w| w.message == "unsafe URL scheme removed")
    );
    assert_eq!(
        &body[out.warnings[0].range.clone()],
        "[a](javascript:alert(1))"
    );
    assert!(out.links.is_empty());
}

#[test]
fn image_alt_text_is_plain_and_escaped() {
    let out = md("![a *b* \"c\" <d>](i.png)\n");
    assert!(
        out.html.contains("alt=\"a b &quot;c&quot; &lt;d&gt;\""),
        "{}",
        out.html
    );
}

#[test]
fn images_inside_links_both_resolve() {
    let out = md("[![logo](logo.svg)](index.md)\n");
    assert_eq!(out.links.len(), 2);
    assert_eq!(resolved(&out).matches("%3Clink").count(), 2);
}

// ---- extensions ----

#[test]
fn alerts_become_admonitions() {
    let out = md("> [!WARNING]\n> Mind the gap.\n");
    assert_eq!(
        &*out.html,
        "<div class=\"admonition warning\" role=\"note\">\n<p class=\"admonition-title\">Warning</p>\n\
         <p>Mind the gap.</p>\n</div>\n"
    );
    for (kind, title) in [
        ("NOTE", "Note"),
        ("TIP", "Tip"),
        ("IMPORTANT", "Important"),
        ("CAUTION", "Caution"),
    ] {
        let page = html(&format!("> [!{kind}]\n> x\n"));
        assert!(
            page.contains(&format!("<p class=\"admonition-title\">{title}</p>")),
            "{page}"
        );
    }
    assert!(html("> plain quote\n").starts_with("<blockquote>"));
}

#[test]
fn gfm_extensions_are_enabled() {
    let page = html(
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~\n\n- [x] done\n\nnote[^1]\n\n[^1]: the note\n\nTerm\n: definition\n",
    );
    assert!(page.contains("<table>"), "{page}");
    assert!(page.contains("<del>gone</del>"));
    assert!(page.contains("type=\"checkbox\" checked=\"\""));
    assert!(page.contains("class=\"footnote-reference\""));
    assert!(
        page.contains("<dl>") && page.contains("<dd>definition</dd>"),
        "{page}"
    );
}

#[test]
fn wiki_links_are_folios_own_and_metadata_blocks_are_off() {
    let rendered = md("---\ntitle: x\n---\n\n[[Page]] and [[Other page|that one]]\n");
    assert!(rendered.html.starts_with("<hr />"), "{}", rendered.html);
    let wiki: Vec<(&str, std::ops::Range<usize>)> = rendered
        .links
        .iter()
        .filter(|l| l.kind == LinkKind::Wiki)
        .map(|l| (l.dest.as_str(), l.range.clone()))
        .collect();
    assert_eq!(wiki, [("Page", 18..26), ("Other page", 31..54)]);
    assert!(rendered.html.contains(">that one</a>"), "{}", rendered.html);
}

#[test]
fn glossary_terms_link_on_first_use_only_and_never_in_headings_code_or_links() {
    let glossary = Glossary::new(vec![Term {
        term: "IAEA".into(),
        expansion: "International Atomic Energy Agency".into(),
        dest: "@/iaea.md".into(),
    }]);
    let options = Options::default();
    let context = Context {
        options: &options,
        highlighter: &HIGHLIGHTER,
        glossary: &glossary,
        page: "other.md",
        shortcodes: None,
        content_dir: None,
    };
    let body = "# IAEA heading\n\n`IAEA` and [the IAEA](x.md).\n\nFirst IAEA, then IAEA again.\n";
    let rendered = render(body, &context);
    let terms: Vec<_> = rendered
        .links
        .iter()
        .filter(|l| l.kind == LinkKind::Term)
        .collect();
    assert_eq!(terms.len(), 1, "{:?}", rendered.links);
    assert_eq!(&body[terms[0].range.clone()], "IAEA");
    assert_eq!(terms[0].range.start, body.find("First IAEA").unwrap() + 6);
    assert!(
        rendered.html.contains(
            "<abbr title=\"International Atomic Energy Agency\">IAEA</abbr></a>, then IAEA again."
        ),
        "{}",
        rendered.html
    );
    let own = Context {
        page: "iaea.md",
        ..context
    };
    assert!(
        render(body, &own)
            .links
            .iter()
            .all(|l| l.kind != LinkKind::Term),
        "no term links to its own page"
    );
}

#[test]
fn smart_punctuation_only_when_asked() {
    let body = "\"Quoted\" -- it's...\n";
    assert!(html(body).contains("\"Quoted\" -- it's..."));
    let options = Options {
        smart_punctuation: true,
        ..Options::default()
    };
    let page = render_with(body, &options, &HIGHLIGHTER).html;
    assert!(page.contains("“Quoted” – it’s…"), "{page}");
}

#[test]
fn math_only_when_asked() {
    let body = "Inline $a<b$ and\n\n$$x^2$$\n";
    assert_eq!(html(body), "<p>Inline $a&lt;b$ and</p>\n<p>$$x^2$$</p>\n");
    let options = Options {
        math: true,
        ..Options::default()
    };
    let page = render_with(body, &options, &HIGHLIGHTER).html;
    assert!(
        page.starts_with("<p>Inline <math display=\"inline\">"),
        "{page}"
    );
    assert!(page.contains("<p><math display=\"block\">"), "{page}");
}

#[test]
fn raw_html_passes_through() {
    assert_eq!(
        html("<div class=\"x\">\n\nhi\n\n</div>\n"),
        "<div class=\"x\">\n<p>hi</p>\n</div>\n"
    );
}

fn trusted(body: &str) -> Rendered {
    let options = Options {
        trust_raw_html: true,
        ..Options::default()
    };
    render_with(body, &options, &HIGHLIGHTER)
}

/// The kind, range, text at the range and message of each warning.
fn warnings<'b>(body: &'b str, out: &Rendered) -> Vec<(Kind, Range<usize>, &'b str, String)> {
    out.warnings
        .iter()
        .map(|w| {
            (
                w.kind,
                w.range.clone(),
                &body[w.range.clone()],
                w.message.clone(),
            )
        })
        .collect()
}

#[test]
fn removed_raw_html_is_reported_once_per_name_at_its_tag() {
    let body = "Text.\n\n<iframe src=\"https://e.org/v\"></iframe>\n<p style=\"color:red\"><b style=\"x\" onclick=\"f()\">a</b></p>\n";
    let out = md(body);
    assert_eq!(
        warnings(body, &out),
        [
            (
                Kind::RawHtmlRemoved,
                7..14,
                "<iframe",
                "raw HTML element `<iframe>` removed".to_string()
            ),
            (
                Kind::RawHtmlRemoved,
                50..55,
                "style",
                "raw HTML attribute `style` removed from `<p>`".to_string()
            ),
            (
                Kind::RawHtmlRemoved,
                81..88,
                "onclick",
                "raw HTML attribute `onclick` removed from `<b>`".to_string()
            ),
        ]
    );
    assert_eq!(
        out.warnings[0].help.as_deref(),
        Some(
            "to keep raw HTML as written, set `trust-raw-html = true` under `[markdown]` in book.toml"
        )
    );
    assert!(
        !out.html.contains("iframe") && !out.html.contains("style"),
        "{}",
        out.html
    );
}

#[test]
fn a_script_url_in_raw_html_is_reported_and_kept_html_is_not() {
    let body = "<a href=\"javascript:alert(1)\">x</a> <kbd class=\"k\">C</kbd> <a href=\"https://e.org\">e</a>\n";
    let out = md(body);
    let found = warnings(body, &out);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].1, 3..7);
    assert_eq!(
        found[0].3,
        "raw HTML attribute `href` removed from `<a>`: its URL scheme is not allowed"
    );
    assert!(out.links.is_empty());
    assert!(
        out.html.contains("<a href=\"https://e.org\">e</a>"),
        "{}",
        out.html
    );
    let disguised = trusted("<a href=\"&#106;avascript:x()\">x</a>\n");
    assert!(disguised.links.is_empty());
    assert!(disguised.html.contains("href=\"&#106;avascript:x()\""));
}

#[test]
fn raw_html_urls_become_links_with_the_range_of_their_value() {
    let body = "See <img src=\"architecture.png\" alt=\"A\"> and\n<a href=@/guide/x.md#y>x</a>.\n";
    let out = md(body);
    let found: Vec<_> = out
        .links
        .iter()
        .map(|l| (l.kind, l.dest.as_str(), &body[l.range.clone()]))
        .collect();
    assert_eq!(
        found,
        [
            (LinkKind::Image, "architecture.png", "\"architecture.png\""),
            (LinkKind::Link, "@/guide/x.md#y", "@/guide/x.md#y"),
        ]
    );
    assert_eq!(
        resolved(&out),
        "<p>See <img src=\"%3Clink%200%3E\" alt=\"A\"> and\n<a href=\"%3Clink%201%3E\">x</a>.</p>\n"
    );
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
}

#[test]
fn trusted_raw_html_stays_and_only_its_urls_are_resolved() {
    let body = "<iframe src=\"demo.html\" style=\"border:0\"></iframe>\n\n<video src=\"https://e.org/v.mp4\"></video>\n";
    let out = trusted(body);
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    assert_eq!(out.links.len(), 1);
    assert_eq!(out.links[0].range, 12..23);
    assert_eq!(
        resolved(&out),
        "<iframe src=\"%3Clink%200%3E\" style=\"border:0\"></iframe>\n<p><video src=\"https://e.org/v.mp4\"></video></p>\n"
    );
}

#[test]
fn raw_html_in_a_container_is_reported_at_its_line() {
    let body = "> <video src=\"a.mp4\">\n";
    let out = md(body);
    let found = warnings(body, &out);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (found[0].0, found[0].1.clone()),
        (Kind::RawHtmlRemoved, 2..8)
    );
    assert_eq!(found[0].3, "raw HTML element `<video>` removed");
    assert!(out.links.is_empty());
    let body = "- item\n\n  <img src=\"x.png\">\n";
    let out = md(body);
    assert_eq!(&body[out.links[0].range.clone()], "\"x.png\"");
}

#[test]
fn a_table_cells_style_keeps_its_alignment_and_says_what_else_goes() {
    let body = "<table><tr><td style=\"text-align: right\">1</td><td style=\"text-align:left; color: red\">2</td></tr></table>\n";
    let out = md(body);
    let found = warnings(body, &out);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].1.clone(), found[0].2), (51..56, "style"));
    assert_eq!(
        found[0].3,
        "raw HTML `style` of `<td>` keeps only `text-align`; its other properties are removed"
    );
}

// ---- summary ----

#[test]
fn summary_is_the_first_paragraph() {
    let out = md("# Title\n\nFirst [p](a.md).\n\nSecond.\n");
    assert_eq!(out.summary, "<p>First <a href=\"\u{0}0\u{0}\">p</a>.</p>\n");
}

#[test]
fn summary_stops_at_the_more_marker() {
    let out = md("Intro.\n\n> Quote\n\n<!-- more -->\n\nRest.\n");
    assert_eq!(
        out.summary,
        "<p>Intro.</p>\n<blockquote>\n<p>Quote</p>\n</blockquote>\n"
    );
    assert!(out.html.contains("Rest."));
}

#[test]
fn a_more_marker_inside_containers_closes_them() {
    let out = md("- one <!--more--> two\n- three\n");
    assert_eq!(out.summary, "<ul>\n<li>one </li>\n</ul>\n");
}

#[test]
fn no_paragraph_means_empty_summary() {
    assert_eq!(md("# Only a title\n").summary, "");
}

// ---- code ----

#[test]
fn known_languages_are_highlighted_with_classes_and_memoised() {
    let highlighter = Highlighter::new();
    let body = "```rust\nfn main() { let s = \"hi\"; }\n```\n";
    let first = render_with(body, &Options::default(), &highlighter);
    assert!(
        first
            .html
            .starts_with("<pre class=\"code\" data-lang=\"rust\"><code class=\"language-rust\">")
    );
    // Flat spans, one per run of a colour: `fn` and `let` are keywords (Coldark gives
    // `storage.type` the keyword colour), the name a function, the literal a string.
    assert!(
        first
            .html
            .contains("<span class=\"k\">fn</span> <span class=\"nf\">main</span>"),
        "{}",
        first.html
    );
    assert!(
        first
            .html
            .contains("<span class=\"s\">&quot;hi&quot;</span>")
            || first.html.contains("<span class=\"s\">\"hi\"</span>"),
        "{}",
        first.html
    );
    assert!(!first.html.contains("<span class=\"\">"), "{}", first.html);
    assert!(!first.html.contains("style="));
    assert_eq!(highlighter.cache_len(), 1);
    let second = render_with(body, &Options::default(), &highlighter);
    assert_eq!(first.html, second.html);
    assert_eq!(highlighter.cache_len(), 1);
    render_with("```RS\nfn x() {}\n```\n", &Options::default(), &highlighter);
    assert_eq!(highlighter.cache_len(), 2);
}

#[test]
fn extra_syntaxes_are_available() {
    for language in ["toml", "TypeScript", "Dockerfile", "yaml", "sh"] {
        assert!(HIGHLIGHTER.find_syntax(language).is_some(), "{language}");
    }
}

#[test]
fn unknown_or_missing_languages_are_escaped_text() {
    assert_eq!(
        html("```nosuchlang\n<b>&</b>\n```\n"),
        "<pre class=\"code\" data-lang=\"nosuchlang\"><code class=\"language-nosuchlang\">&lt;b&gt;&amp;&lt;/b&gt;\n</code></pre>\n"
    );
    assert_eq!(
        html("    <i>\n"),
        "<pre class=\"code\"><code>&lt;i&gt;\n</code></pre>\n"
    );
    assert!(md("```mermaid\ngraph\n```\n").warnings.is_empty());
}

#[test]
fn unknown_languages_warn_at_the_language_with_a_suggestion() {
    let body = "Intro\n\n```pyhton linenos\nx = 1\n```\n";
    let out = md(body);
    assert_eq!(
        out.warnings,
        [Warning {
            kind: crate::diag::Kind::UnknownLanguage,
            range: 10..16,
            message: "unknown language `pyhton`: the code block is plain text".to_string(),
            help: Some("did you mean `python`?".to_string()),
        }]
    );
    assert_eq!(&body[10..16], "pyhton");
    assert!(out.html.contains(
        "<code class=\"language-pyhton\"><span class=\"line\">\
         <span class=\"ln\" aria-hidden=\"true\">1</span>x = 1</span>\n</code>"
    ));
    let far = md("> ~~~  zzqqxx\n> a\n> ~~~\n");
    assert_eq!(far.warnings[0].range, 7..13);
    assert_eq!(
        far.warnings[0].message,
        "unknown language `zzqqxx`: the code block is plain text"
    );
    assert_eq!(far.warnings[0].help, None);
}

#[test]
fn plain_languages_never_warn() {
    for language in [
        "", "text", "plain", "txt", "console", "output", "TEXT", "diff",
    ] {
        let out = md(&format!("```{language}\nx\n```\n"));
        assert!(out.warnings.is_empty(), "{language}: {:?}", out.warnings);
    }
    assert!(md("    indented\n").warnings.is_empty());
}

#[test]
fn titles_caption_the_block_escaped() {
    assert_eq!(
        html("```rust title=\"src/<main>.rs\"\n```\n"),
        "<figure class=\"code-block\"><figcaption class=\"code-title\">src/&lt;main&gt;.rs\
         </figcaption><pre class=\"code\" data-lang=\"rust\"><code class=\"language-rust\">\
         </code></pre>\n</figure>\n"
    );
    assert_eq!(
        html("```text title=notes.txt linenos\na\n```\n"),
        "<figure class=\"code-block\"><figcaption class=\"code-title\">notes.txt</figcaption>\
         <pre class=\"code\" data-lang=\"text\"><code class=\"language-text\">\
         <span class=\"line\"><span class=\"ln\" aria-hidden=\"true\">1</span>a</span>\n\
         </code></pre>\n</figure>\n"
    );
}

#[test]
fn an_empty_title_is_no_caption() {
    assert_eq!(
        html("```txt title=\"\"\na\n```\n"),
        "<pre class=\"code\" data-lang=\"txt\"><code class=\"language-txt\">a\n</code></pre>\n"
    );
}

#[test]
fn diffs_mark_inserted_and_deleted_lines() {
    assert_eq!(
        html("```diff\n@@ -1 +1 @@\n-<old>\n+new\n same\n```\n"),
        "<pre class=\"code\" data-lang=\"diff\"><code class=\"language-diff\">\
         <span class=\"line\">@@ -1 +1 @@</span>\n\
         <span class=\"line del\">-&lt;old&gt;</span>\n\
         <span class=\"line ins\">+new</span>\n\
         <span class=\"line\"> same</span>\n</code></pre>\n"
    );
}

#[test]
fn diffs_of_a_language_highlight_the_code_without_markers() {
    let out = md("```diff-rust hl_lines=1\n-let a = 1;\n+let b = 2;\n```\n");
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    assert_eq!(
        out.html.as_ref(),
        "<pre class=\"code\" data-lang=\"diff-rust\"><code class=\"language-diff-rust\">\
         <span class=\"line hl del\">-<span class=\"k\">let</span> a <span class=\"k\">=</span> <span class=\"m\">1</span>;</span>\n\
         <span class=\"line ins\">+<span class=\"k\">let</span> b <span class=\"k\">=</span> <span class=\"m\">2</span>;</span>\n\
         </code></pre>\n"
    );
    let typo = md("```diff-rsut\n+x\n```\n");
    assert_eq!(typo.warnings[0].kind, crate::diag::Kind::UnknownLanguage);
    assert_eq!(typo.warnings[0].range, 3..12);
}

#[test]
fn hostile_info_strings_are_escaped() {
    let page = html("```\"><script>alert(1)</script> linenos\nx\n```\n");
    assert!(!page.contains("<script>"), "{page}");
    assert!(
        page.contains("data-lang=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""),
        "{page}"
    );
}

#[test]
fn line_numbers_and_marked_lines() {
    let page = html("```rust linenos hl_lines=2\nlet a = 1;\nlet b = 2;\n```\n");
    assert!(
        page.contains("<span class=\"line\"><span class=\"ln\" aria-hidden=\"true\">1</span>"),
        "{page}"
    );
    assert!(
        page.contains("<span class=\"line hl\"><span class=\"ln\" aria-hidden=\"true\">2</span>"),
        "{page}"
    );
    let plain = html("```nosuchlang hl_lines=\"1\"\na\nb\n```\n");
    assert!(
        plain.contains("<span class=\"line hl\">a</span>\n<span class=\"line\">b</span>\n"),
        "{plain}"
    );
}

#[test]
fn highlight_spans_never_cross_lines() {
    let page = html("```rust linenos\n/* a\n   b */\nlet s = \"x\ny\";\n```\n");
    for line in page.lines().filter(|l| l.contains("class=\"line")) {
        assert_eq!(
            line.matches("<span").count(),
            line.matches("</span>").count(),
            "{line}"
        );
    }
}

#[test]
fn crlf_line_ends_do_not_leak_into_lines() {
    let page = html("```nosuchlang linenos\r\na\r\nb\r\n```\r\n");
    assert!(!page.contains('\r'), "{page:?}");
    assert!(
        page.contains("</span>a</span>\n<span class=\"line\">"),
        "{page:?}"
    );
}

#[test]
fn highlighter_is_shareable_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Highlighter>();
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| md("```toml\na = 1\n```\n"));
        }
    });
}

#[test]
fn oversized_blocks_fall_back_with_a_warning() {
    let long_line = "x".repeat(highlight::MAX_LINE_CHARS + 1);
    let body = format!("Intro\n\n```rust\n{long_line}\n```\n");
    let out = md(&body);
    assert!(out.html.contains(&format!(
        "<code class=\"language-rust\">{long_line}\n</code>"
    )));
    assert_eq!(out.warnings.len(), 1);
    assert!(
        out.warnings[0].message.contains("not highlighted"),
        "{}",
        out.warnings[0].message
    );
    assert!(body[out.warnings[0].range.clone()].starts_with("```rust"));
}

// ---- robustness ----
// Full sizes: in a debug build the slowest case below takes about half a second; in
// release every case finishes in under 0.2 s. Timings are not asserted (too flaky on a
// shared machine); a regression to quadratic time would show as a hung test.

#[test]
fn deeply_nested_blockquotes_and_lists_do_not_overflow() {
    let quotes = format!("{} deep\n", ">".repeat(10_000));
    assert!(md(&quotes).html.contains("deep"));
    let lists = format!("{} deep\n", "- ".repeat(10_000));
    assert!(md(&lists).html.contains("deep"));
    let mixed = format!("{} deep [x](a.md) <!-- more -->\n", "> - ".repeat(10_000));
    let out = md(&mixed);
    assert_eq!(out.links.len(), 1);
    assert!(out.summary.ends_with("</blockquote>\n"));
}

#[test]
fn pathological_emphasis_and_brackets_finish() {
    let body = "[*_a".repeat(200_000);
    assert!(!md(&body).html.is_empty());
    let body = "*a **b `c ``d [e](".repeat(20_000);
    assert!(!md(&body).html.is_empty());
}

#[test]
fn a_very_long_line_finishes() {
    let body = format!(
        "{}\n\n```rust\n{}\n```\n",
        "word ".repeat(20_000),
        "x+".repeat(50_000)
    );
    let out = md(&body);
    assert_eq!(out.warnings.len(), 1);
}

#[test]
fn many_equal_headings_stay_fast() {
    let body = "## Same\n\n".repeat(3_000);
    let out = md(&body);
    assert_eq!(
        out.headings.last().map(|h| h.id.as_str()),
        Some("same-2999")
    );
}

#[test]
fn odd_input_does_not_panic() {
    for body in [
        "",
        "\0",
        "#",
        "# {#}",
        "[](<>)",
        "![](",
        "```",
        "> [!NOTE]",
        "[^x]: y\n\n[^x]",
        "\r\n\r\n",
        "#\t#",
    ] {
        let _ = md(body);
    }
}

#[test]
fn words_are_runs_of_non_blank_text() {
    let highlighter = Highlighter::new();
    for (body, words) in [("", 0), ("  one two\nthree\t", 3), ("naïve *café*", 2)] {
        let rendered = render_with(body, &Options::default(), &highlighter);
        assert_eq!(rendered.word_count, words, "{body:?}");
    }
}

// ---- math ----

fn with_math(body: &str) -> Rendered {
    let options = Options {
        math: true,
        ..Options::default()
    };
    render_with(body, &options, &HIGHLIGHTER)
}

/// `<math>` with the TeX as its annotation, as every formula is written.
fn mathml(display: &str, inner: &str, tex: &str) -> String {
    format!(
        "<math display=\"{display}\"><semantics><mrow>{inner}</mrow>\
         <annotation encoding=\"application/x-tex\">{tex}</annotation></semantics></math>"
    )
}

#[test]
fn inline_and_display_math_become_mathml() {
    let out = with_math("A $\\frac{1}{2}$ and\n\n$$x_i^2$$\n");
    let half = mathml(
        "inline",
        "<mfrac><mrow><mn>1</mn></mrow><mrow><mn>2</mn></mrow></mfrac>",
        "\\frac{1}{2}",
    );
    let square = mathml(
        "block",
        "<msubsup><mi>x</mi><mi>i</mi><mn>2</mn></msubsup>",
        "x_i^2",
    );
    assert_eq!(
        out.html.as_ref(),
        format!("<p>A {half} and</p>\n<p>{square}</p>\n")
    );
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
}

#[test]
fn math_fences_are_display_formulas() {
    let out = with_math("```math\n\\sqrt[3]{x}\n```\n");
    let root = "<mroot><mrow><mi>x</mi></mrow><mn>3</mn></mroot>";
    assert_eq!(out.html.as_ref(), mathml("block", root, "\\sqrt[3]{x}"));
    // Without `math = true` the fence is an ordinary code block.
    assert!(md("```math\n\\sqrt[3]{x}\n```\n").html.starts_with("<pre"));
}

#[test]
fn math_text_and_annotations_are_escaped() {
    let out = with_math("$\\text{<b>&}$\n");
    let text = "<mtext>&lt;b&gt;&amp;</mtext>";
    let annotation = "\\text{&lt;b&gt;&amp;}";
    assert_eq!(
        out.html.as_ref(),
        format!("<p>{}</p>\n", mathml("inline", text, annotation))
    );
}

#[test]
fn invalid_math_is_an_error_at_the_formula_and_stays_text() {
    let body = "Some\ntext $\\foo<x$ here\n\n```math\n\\frac{1}{\n```\n";
    let out = with_math(body);
    assert_eq!(
        out.html.as_ref(),
        "<p>Some\ntext <span class=\"math math-inline\">\\foo&lt;x</span> here</p>\n\
         <span class=\"math math-display\">\\frac{1}{</span>"
    );
    let found: Vec<_> = out
        .warnings
        .iter()
        .map(|w| (w.kind, &body[w.range.clone()], w.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                crate::diag::Kind::Math,
                "$\\foo<x$",
                "invalid TeX: unknown primitive command found"
            ),
            (
                crate::diag::Kind::Math,
                "\\frac{1}{\n```",
                "invalid TeX: unbalanced group found, expected it to be closed with `}`"
            ),
        ]
    );
}
