//! Tests of [`render`] with mdBook's conventions ([`Flavour::MdBook`]): what a chapter of
//! an mdBook book turns into, and the ids of real chapters against mdBook 0.5.4's own
//! output (`tests/fixtures/mdbook_markdown/`).

use std::collections::BTreeMap;
use std::path::Path;

use super::tests::{HIGHLIGHTER, render_with};
use super::*;

fn book_options(book: MdBook) -> Options {
    Options {
        flavour: Flavour::MdBook(book),
        // mdBook's default; `--` and quotes change ids when it is off.
        smart_punctuation: true,
        ..Options::default()
    }
}

fn mdbook(body: &str) -> Rendered {
    render_with(body, &book_options(MdBook::default()), &HIGHLIGHTER)
}

fn heading_ids(rendered: &Rendered) -> Vec<&str> {
    rendered.headings.iter().map(|h| h.id.as_str()).collect()
}

// ---- heading and term ids ----

#[test]
fn headings_get_mdbooks_ids_and_header_links() {
    let out = mdbook("# Hello, *World*!\n\n## `Rc<T>`, the Pointer\n\n## Über — Größe\n");
    assert_eq!(
        heading_ids(&out),
        ["hello-world", "rct-the-pointer", "über--größe"]
    );
    assert_eq!(
        &*out.html,
        "<h1 id=\"hello-world\"><a class=\"header\" href=\"#hello-world\">Hello, <em>World</em>!</a></h1>\n\
         <h2 id=\"rct-the-pointer\"><a class=\"header\" href=\"#rct-the-pointer\"><code>Rc&lt;T&gt;</code>, the Pointer</a></h2>\n\
         <h2 id=\"über--größe\"><a class=\"header\" href=\"#über--größe\">Über — Größe</a></h2>\n"
    );
    assert_eq!(out.headings[1].text, "Rc<T>, the Pointer");
    assert_eq!(out.title.as_deref(), Some("Hello, World!"));
}

#[test]
fn ids_differ_from_githubs_where_mdbook_does() {
    // A combining accent is dropped, a no-break space is a space, trailing
    // punctuation leaves its hyphen.
    let out = mdbook("## Cafe\u{301}\n\n## a\u{a0}b\n\n## Introducing `?`\n");
    assert_eq!(heading_ids(&out), ["cafe", "a-b", "introducing-"]);
}

#[test]
fn repeats_are_numbered_from_one_skipping_taken_ids() {
    let out = mdbook("## Intro\n\n## Intro-1\n\n## Intro\n\n## Intro\n");
    assert_eq!(
        heading_ids(&out),
        ["intro", "intro-1", "intro-2", "intro-3"]
    );
}

#[test]
fn explicit_ids_are_kept_with_classes_and_reserve_nothing() {
    let out = mdbook("## Setup {#install .wide}\n\n## Install\n");
    // mdBook gives both the same id; a link to it finds the first.
    assert_eq!(heading_ids(&out), ["install", "install"]);
    assert!(
        out.html.starts_with(
            "<h2 id=\"install\" class=\"wide\"><a class=\"header\" href=\"#install\">Setup</a></h2>"
        ),
        "{}",
        out.html
    );
    assert!(out.warnings.is_empty());
    let twice = mdbook("## A {#same}\n\n## B {#same}\n");
    assert_eq!(twice.warnings.len(), 1);
    assert_eq!(twice.warnings[0].message, "duplicate heading id `same`");
}

#[test]
fn a_heading_of_punctuation_gets_an_empty_id_as_in_mdbook() {
    let out = mdbook("## ???\n\n## !!!\n");
    assert_eq!(heading_ids(&out), ["", "-1"]);
}

#[test]
fn id_text_counts_breaks_and_footnotes_but_not_image_text() {
    let out = mdbook("Two\nlines\n===\n\n## See ![alt text](x.png) here[^n]\n\n[^n]: Note.\n");
    assert_eq!(heading_ids(&out), ["two-lines", "see--here1"]);
}

#[test]
fn definition_terms_get_ids_after_headings_rules() {
    let out = mdbook("## Term\n\nTerm\n: First.\n\n`Other` term\n: Second.\n");
    assert_eq!(heading_ids(&out), ["term"]);
    assert_eq!(out.anchors, ["term-1", "other-term"]);
    assert!(
        out.html.contains(
            "<dl>\n<dt id=\"term-1\"><a class=\"header\" href=\"#term-1\">Term</a></dt>\n<dd>First.</dd>\n"
        ),
        "{}",
        out.html
    );
}

// ---- footnotes ----

#[test]
fn footnotes_move_to_a_list_at_the_end_numbered_by_first_reference() {
    let body =
        "A[^b][^a] and b again[^b].\n\n[^a]: Note a.\n\n[^b]: Note b.\n\n    > Quoted.\n\nAfter.\n";
    let out = mdbook(body);
    assert_eq!(
        &*out.html,
        "<p>A<sup class=\"footnote-reference\" id=\"fr-b-1\"><a href=\"#footnote-b\">1</a></sup> \
         <sup class=\"footnote-reference\" id=\"fr-a-1\"><a href=\"#footnote-a\">2</a></sup> and b \
         again<sup class=\"footnote-reference\" id=\"fr-b-2\"><a href=\"#footnote-b\">1</a></sup>.</p>\n\
         <p>After.</p>\n\
         <hr />\n\
         <ol class=\"footnote-definition\">\n\
         <li id=\"footnote-b\">\n<p>Note b.</p>\n\
         <blockquote>\n<p>Quoted.</p>\n</blockquote>\n <a href=\"#fr-b-1\">↩</a> <a href=\"#fr-b-2\">↩2</a></li>\n\
         <li id=\"footnote-a\">\n<p>Note a. <a href=\"#fr-a-1\">↩</a></p>\n</li>\n\
         </ol>\n"
    );
    assert_eq!(
        out.anchors,
        ["fr-b-1", "fr-a-1", "fr-b-2", "footnote-b", "footnote-a"]
    );
}

#[test]
fn unused_and_repeated_footnotes_are_dropped_with_warnings() {
    let body = "Text[^x].\n\n[^x]: First.\n\n[^x]: Second.\n\n[^unused]: Never.\n";
    let out = mdbook(body);
    assert!(out.html.contains("First."), "{}", out.html);
    assert!(!out.html.contains("Second."), "{}", out.html);
    assert!(!out.html.contains("Never."), "{}", out.html);
    let warnings: Vec<(&str, &str)> = out
        .warnings
        .iter()
        .map(|w| (body[w.range.clone()].trim_end(), w.message.as_str()))
        .collect();
    assert_eq!(
        warnings,
        [
            (
                "[^x]: Second.",
                "footnote `x` is defined more than once; the first definition is kept"
            ),
            (
                "[^unused]: Never.",
                "footnote `unused` is never referred to"
            ),
        ]
    );
}

#[test]
fn footnote_names_are_escaped_in_ids_and_links() {
    let out = mdbook("A[^\"†].\n\n[^\"†]: N.\n");
    assert!(
        out.html.contains(
            "<sup class=\"footnote-reference\" id=\"fr-&quot;†-1\"><a href=\"#footnote-&quot;†\">1</a></sup>"
        ),
        "{}",
        out.html
    );
    assert_eq!(out.anchors, ["fr-\"†-1", "footnote-\"†"]);
}

#[test]
fn folio_keeps_pulldown_cmarks_footnotes() {
    let page = render_with("A[^n].\n\n[^n]: N.\n", &Options::default(), &HIGHLIGHTER).html;
    assert!(
        page.contains("<div class=\"footnote-definition\" id=\"n\">"),
        "{page}"
    );
}

// ---- code blocks ----

fn block(info: &str, code: &str, book: MdBook) -> String {
    let body = format!("```{info}\n{code}```\n");
    render_with(&body, &book_options(book), &HIGHLIGHTER)
        .html
        .to_string()
}

/// No playground, so no `fn main` wrapper: hidden lines as written.
fn not_runnable() -> MdBook {
    MdBook {
        runnable: false,
        ..MdBook::default()
    }
}

#[test]
fn rust_hidden_lines_stay_in_the_page_each_in_a_boring_span() {
    let html = block(
        "rust",
        "# use std::io;\n#\nfn main() {\n    ## not hidden\n}\n",
        not_runnable(),
    );
    assert_eq!(
        html,
        "<pre class=\"code\" data-lang=\"rust\"><code class=\"language-rust\">\
         <span class=\"boring\"><span class=\"k\">use</span> std::io;\n</span>\
         <span class=\"boring\">\n</span>\
         <span class=\"k\">fn</span> <span class=\"nf\">main</span>() {\n\
         \x20   <span class=\"k\">#</span> not hidden\n\
         }\n\
         </code></pre>\n"
    );
}

#[test]
fn playgrounds_get_their_class_edition_and_hidden_main() {
    let book = MdBook {
        edition: Some(Edition::E2021),
        ..MdBook::default()
    };
    let html = block("rust", "let x = 2;\n", book);
    assert_eq!(
        html,
        "<pre class=\"code playground\" data-lang=\"rust\"><code class=\"language-rust edition2021\">\
         <span class=\"boring\">#![allow(unused)]\n</span>\
         <span class=\"boring\"><span class=\"k\">fn</span> <span class=\"nf\">main</span>() {\n</span>\
         <span class=\"k\">let</span> x <span class=\"k\">=</span> <span class=\"m\">2</span>;\n\
         <span class=\"boring\">}\n</span>\
         </code></pre>\n"
    );
}

/// The `<pre>` and `<code>` tags of a block, up to its code.
fn open_tags(info: &str, book: MdBook) -> String {
    let html = block(info, "fn main() {}\n", book);
    let code_tag = html.find("<code").unwrap_or(0);
    let end = html[code_tag..].find('>').map_or(0, |at| code_tag + at + 1);
    html[..end].to_string()
}

#[test]
fn attributes_are_classes_and_decide_the_playground() {
    let book = || MdBook {
        edition: Some(Edition::E2024),
        ..MdBook::default()
    };
    let cases = [
        (
            "rust,ignore",
            "<pre class=\"code\" data-lang=\"rust\"><code class=\"language-rust ignore\">",
        ),
        (
            "rust,should_panic,edition2018",
            "<pre class=\"code playground\" data-lang=\"rust\"><code class=\"language-rust should_panic edition2018\">",
        ),
        (
            "rust no_run compile_fail",
            "<pre class=\"code playground\" data-lang=\"rust\"><code class=\"language-rust no_run compile_fail edition2024\">",
        ),
        (
            "rust,noplayground",
            "<pre class=\"code\" data-lang=\"rust\"><code class=\"language-rust noplayground\">",
        ),
        (
            "rust,ignore-wasm32,editable",
            "<pre class=\"code playground\" data-lang=\"rust\"><code class=\"language-rust ignore-wasm32 editable edition2024\">",
        ),
        (
            "toml,ignore",
            "<pre class=\"code\" data-lang=\"toml\"><code class=\"language-toml ignore\">",
        ),
        ("", "<pre class=\"code\"><code>"),
    ];
    for (info, expected) in cases {
        assert_eq!(open_tags(info, book()), expected, "{info}");
    }
    let off = || MdBook {
        runnable: false,
        ..book()
    };
    assert_eq!(
        open_tags("rust,mdbook-runnable", off()),
        "<pre class=\"code playground\" data-lang=\"rust\"><code class=\"language-rust mdbook-runnable edition2024\">"
    );
    assert_eq!(
        open_tags("rust", off()),
        "<pre class=\"code\" data-lang=\"rust\"><code class=\"language-rust\">"
    );
}

#[test]
fn attributes_never_cost_highlighting_or_warnings() {
    let out = mdbook("```rust,ignore,edition2015\nfn x() {}\n```\n");
    assert!(
        out.html.contains("<span class=\"k\">fn</span>"),
        "{}",
        out.html
    );
    assert!(out.warnings.is_empty());
}

#[test]
fn editable_playgrounds_keep_their_code_when_the_book_allows_editing() {
    let editable = MdBook {
        editable: true,
        ..MdBook::default()
    };
    assert!(!block("rust,editable", "let x;\n", editable.clone()).contains("boring"));
    assert!(block("rust", "let x;\n", editable).contains("boring"));
    assert!(block("rust,editable", "let x;\n", MdBook::default()).contains("boring"));
}

#[test]
fn other_languages_hide_lines_by_configured_or_fence_prefix() {
    let book = MdBook {
        hidelines: BTreeMap::from([("python".to_string(), "~".to_string())]),
        ..MdBook::default()
    };
    let python = block("python", "~import os\nx\n", book.clone());
    assert!(
        python.ends_with(
            "<code class=\"language-python\"><span class=\"boring\"><span class=\"k\">import</span> os\n</span>x\n</code></pre>\n"
        ),
        "{python}"
    );
    let fence = block("text,hidelines=!!", "!!setup\nrun\n", book.clone());
    assert!(
        fence.ends_with("<span class=\"boring\">setup\n</span>run\n</code></pre>\n"),
        "{fence}"
    );
    // `#` means nothing outside Rust.
    assert!(!block("python", "# comment\n", book).contains("boring"));
}

#[test]
fn empty_blocks_are_left_alone() {
    assert_eq!(
        block("rust", "", MdBook::default()),
        "<pre class=\"code\" data-lang=\"rust\"><code class=\"language-rust\"></code></pre>\n"
    );
}

#[test]
fn folio_fences_are_unchanged() {
    let page = render_with(
        "```rust,ignore\n# hidden?\n```\n",
        &Options::default(),
        &HIGHLIGHTER,
    )
    .html;
    assert!(page.contains("<code class=\"language-rust\">"), "{page}");
    assert!(!page.contains("boring"), "{page}");
}

// ---- the rest of the page ----

#[test]
fn double_brackets_are_text_in_a_book() {
    let out = mdbook("See [[Other page]].\n");
    assert!(out.links.is_empty());
    assert_eq!(&*out.html, "<p>See [[Other page]].</p>\n");
}

#[test]
fn odd_input_does_not_panic() {
    for body in [
        "",
        "\0",
        "#",
        "# {#}",
        "[^x]: y\n\n[^x]",
        "[^x]\n\n[^x]: > [^y]: z\n\n[^y]",
        "Term\n: [^t]\n\n[^t]: ## Heading\n",
        "```rust\n#\n##\n# \n```",
        "```rust\n#![a]\n   \n```",
        "```python,hidelines=\nx\n```",
        "```\u{a0}\n```",
        "\r\n\r\n",
    ] {
        let _ = mdbook(body);
    }
}

// ---- real chapters ----

/// Every id in the HTML, in order, with entities decoded as a browser would.
fn ids_in(html: &str) -> Vec<String> {
    html.split(" id=\"")
        .skip(1)
        .filter_map(|rest| rest.split_once('"'))
        .map(|(id, _)| {
            id.replace("&quot;", "\"")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&#39;", "'")
                .replace("&amp;", "&")
        })
        .collect()
}

/// Renders each chapter listed in `BOOK/expected-ids.txt` as mdBook would (raw HTML
/// kept) and compares every id of its HTML with the ids mdBook 0.5.4 wrote.
fn compare_book(book: &str) {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/mdbook_markdown")
        .join(book);
    let listing = std::fs::read_to_string(folder.join("expected-ids.txt"))
        .unwrap_or_else(|e| panic!("{book}: {e}"));
    let options = Options {
        trust_raw_html: true,
        ..book_options(MdBook::default())
    };
    for line in listing.lines() {
        let (chapter, expected) = line.split_once('\t').unwrap_or((line, ""));
        let body = std::fs::read_to_string(folder.join(chapter))
            .unwrap_or_else(|e| panic!("{chapter}: {e}"));
        let rendered = render_with(&body, &options, &HIGHLIGHTER);
        let expected: Vec<&str> = expected.split(' ').filter(|id| !id.is_empty()).collect();
        assert_eq!(ids_in(&rendered.html), expected, "{book}/{chapter}");
    }
}

#[test]
fn real_chapters_of_the_rust_book_keep_mdbooks_ids() {
    compare_book("trpl");
}

#[test]
fn real_chapters_of_rust_by_example_keep_mdbooks_ids() {
    compare_book("rust-by-example");
}

#[test]
fn ids_in_raw_html_are_link_targets() {
    let out = mdbook(
        "<!-- Old headings. -->\n<a id=\"old-name\"></a>\n\n# New name\n\n<span class='x' id='b'>t</span>\n",
    );
    assert!(
        out.anchors.contains(&"old-name".to_string()),
        "{:?}",
        out.anchors
    );
    assert!(out.anchors.contains(&"b".to_string()), "{:?}", out.anchors);
}

#[test]
fn code_blocks_keep_mdbooks_behaviour_without_titles_diffs_or_language_warnings() {
    let out = mdbook("```pyhton title=x.py\n+a\n```\n\n```diff\n+b\n```\n");
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    assert!(!out.html.contains("figure"), "{}", out.html);
    assert!(!out.html.contains("line ins"), "{}", out.html);
}
