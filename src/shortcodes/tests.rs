//! Tests of calls through the Markdown stage: what a page's calls turn into.

use std::borrow::Cow;

use super::*;
use crate::markdown::{self, Glossary, Highlighter, Options, Rendered};

fn render_with(body: &str, options: &Options) -> Rendered {
    let shortcodes = Shortcodes::builtins();
    let glossary = Glossary::default();
    let highlighter = Highlighter::default();
    let context = markdown::Context {
        options,
        highlighter: &highlighter,
        glossary: &glossary,
        page: "guide/a.md",
        shortcodes: Some(&shortcodes),
        content_dir: None,
    };
    markdown::render(body, &context)
}

fn html(body: &str) -> String {
    let rendered = render_with(body, &Options::default());
    assert!(rendered.warnings.is_empty(), "{:?}", rendered.warnings);
    markdown::substitute_links(&rendered.html, |i| {
        Cow::Owned(format!("@{}", rendered.links[i].dest))
    })
}

#[test]
fn a_body_stays_markdown_of_the_page_with_exact_locations() {
    let body = "{% details(summary=\"More\") %}\n## Inside\n\nSee [a](b.md).\n{% end %}\n";
    let rendered = render_with(body, &Options::default());
    assert_eq!(rendered.headings[0].id, "inside");
    assert_eq!(&body[rendered.links[0].range.clone()], "[a](b.md)");
    assert!(
        rendered
            .html
            .starts_with("<details class=\"details\"><summary>More</summary>")
    );
}

#[test]
fn a_pages_raw_html_is_sanitised_and_shortcode_output_is_not() {
    let body = "<script>alert(1)</script>\n\n{% tabs(sync=\"os\") %}\n{% tab(label=\"A\") %}\nx\n{% end %}\n{% end %}\n\n{{ figure(src=\"a.png\", alt=\"A\", width=4, height=3) }}\n";
    let rendered = render_with(body, &Options::default());
    assert!(!rendered.html.contains("<script"), "{}", rendered.html);
    assert!(
        rendered.html.contains("data-sync=\"os\""),
        "{}",
        rendered.html
    );
    assert!(
        rendered
            .html
            .contains("loading=\"lazy\" decoding=\"async\""),
        "{}",
        rendered.html
    );
    let kinds: Vec<_> = rendered.warnings.iter().map(|w| w.kind).collect();
    assert_eq!(
        kinds,
        [Kind::RawHtmlRemoved],
        "only the page's own HTML warns"
    );
}

#[test]
fn calls_inline_in_a_paragraph_stay_in_it() {
    assert_eq!(
        html("A {{ figure(src=\"a.png\", alt=\"x\", width=1, height=2) }} b"),
        "<p>A <figure class=\"figure\"><img src=\"@a.png\" alt=\"x\" width=\"1\" height=\"2\" loading=\"lazy\" decoding=\"async\"></figure> b</p>\n"
    );
}

#[test]
fn books_and_pages_without_calls_are_untouched() {
    let book = Options {
        flavour: markdown::Flavour::MdBook(markdown::MdBook::default()),
        ..Options::default()
    };
    let rendered = render_with("{{ figure(src=\"a\") }}\n", &book);
    assert!(
        rendered.html.contains("<p>{{ figure(src=\"a\") }}</p>"),
        "{}",
        rendered.html
    );
    assert_eq!(
        html("{{ page.title }} and {% if x %}"),
        "<p>{{ page.title }} and {% if x %}</p>\n"
    );
}

#[test]
fn problems_are_located_at_the_call() {
    let body = "{{ figur(src=\"a\") }}\n\n{{ figure(src=1, alt=\"a\", size=2) }}\n\n{{ figure(alt=\"a\") }}\n\n{{ tabs() }}\n\n{% tab(label=\"x\") %}\ny\n{% end %}\n\n[a]({{ figure(src=\"a\", alt=\"b\") }})\n";
    let rendered = render_with(body, &Options::default());
    let found: Vec<_> = rendered
        .warnings
        .iter()
        .map(|w| (w.kind, &body[w.range.clone()]))
        .collect();
    assert_eq!(
        found,
        [
            (Kind::UnknownShortcode, "figur"),
            (Kind::ShortcodeArgumentType, "1"),
            (Kind::UnknownShortcodeArgument, "size"),
            (Kind::MissingShortcodeArgument, "figure"),
            (Kind::ShortcodeBody, "tabs"),
            (Kind::ShortcodeBody, "tab"),
            (Kind::ShortcodeSyntax, "{{ figure(src=\"a\", alt=\"b\") }}"),
        ]
    );
    assert!(
        rendered.warnings[0]
            .help
            .as_deref()
            .unwrap()
            .starts_with("did you mean `figure`?")
    );
}

#[test]
fn any_text_renders_without_panicking() {
    for body in [
        "{{",
        "{%",
        "{{ a(",
        "{% a(b=[[[[",
        "{{/*",
        "{{< a",
        "{% end",
        "{{ x(a=\"\u{e9}\") }}",
        "\u{0}{{ figure(src=\"\u{0}\") }}",
        "> {% details(summary=\"s\") %}\n> x\n> {% end %}",
    ] {
        render_with(body, &Options::default());
    }
}
