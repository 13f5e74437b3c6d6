use super::*;
use crate::shortcodes::find::{code_ranges, find, find_exact, in_code};

/// The pieces generated pages are made of. Common ones, which the scan reads: calls of
/// every form, text, code spans on one line, fences at the first column, lists,
/// headings, blank lines.
const COMMON: &[&str] = &[
    "{{ a() }}",
    "{% b() %}",
    "{% end %}",
    "{{/* a() */}}",
    "{%/* end */%}",
    "{{< hugo >}}",
    "{{% h %}}",
    "{{ page.title }}",
    "{{#include x.md}}",
    "{{{",
    "{{ a(x=\"`\") }}",
    "text ",
    "word\n",
    "`a` ",
    "`` ` `` ",
    "` x `",
    "`",
    "[a](b`c) ",
    "~~x~~ ",
    "```\n",
    "````\n",
    "~~~\n",
    "~~~~\n",
    "```rust\n",
    "```   \n",
    "~~~ a`b\n",
    "- item\n",
    "1. item\n",
    "  - nested\n",
    "* ",
    "> ",
    "# h ",
    "Title\n===\n",
    "---\n",
    "\n",
    "\n",
    "\n",
    "\n\n",
    "   \n",
    "\r\n",
    "  ",
    ": def\n",
    "Term\n: ",
];

/// Rarer pieces, most of which the scan leaves to the parser: indented, quoted and listed
/// fences, indented code, HTML, tables, escapes, footnotes, odd line ends.
const RARE: &[&str] = &[
    "``` a`b\n",
    "``\n",
    "  ```\n",
    "   ~~~\n",
    "    ```\n",
    "\t```\n",
    "> ```\n",
    ">```\n",
    "- ```\n",
    "1. ```\n",
    "  - ```\n",
    "text ```\n",
    "```a```\n",
    "    code\n",
    "\tcode\n",
    "   x\n",
    "+ ",
    "2) ",
    ">     ",
    "> > ",
    "\\`",
    "\\",
    "`{{ a() }}`",
    "\r",
    "\u{b}",
    "\u{c}",
    "<div>\n",
    "</div>\n",
    "<pre>\n",
    "</pre>\n",
    "<!--\n",
    "-->\n",
    "<a title='`'>",
    "<x> ",
    "| a | b |\n",
    "|---|---|\n",
    "| `x | y` |\n",
    "[^1]: ",
    "[^a`b]: x\n",
    "    ",
    "<http://a.b/`> ",
    "<div>\n```\n\n",
    "<!--\n```\n\n-->\n",
    "| a |\n|---|\n```\n\n",
    "Term\n: ```\n\n",
    "[^1]: ```\n\n",
];

/// A small deterministic generator (SplitMix64): the same pages on every run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        usize::try_from((z ^ (z >> 31)) % n as u64).unwrap_or(0)
    }

    fn page(&mut self) -> String {
        let pieces = 1 + self.below(12);
        (0..pieces)
            .map(|_| match self.below(8) {
                0 => RARE[self.below(RARE.len())],
                _ => COMMON[self.below(COMMON.len())],
            })
            .collect()
    }
}

#[test]
fn the_scan_never_clears_a_call_in_code_and_finds_the_same_calls() {
    let mut rng = Rng(13);
    let mut cleared = 0;
    for _ in 0..50_000 {
        let body = rng.page();
        if !calls_outside_code(&body) {
            continue;
        }
        let code = code_ranges(&body);
        for at in calls_at(&body) {
            assert!(!in_code(&code, at), "call at {at} is in code: {body:?}");
        }
        assert_eq!(find(&body), find_exact(&body), "{body:?}");
        cleared += usize::from(calls_at(&body).next().is_some());
    }
    // The scan must earn its keep: most generated pages hold something it doubts, yet
    // a good share of those with calls are still cleared without a parse.
    assert!(cleared > 5_000, "only {cleared} pages cleared");
}

#[test]
fn a_page_with_calls_beside_code_is_cleared() {
    let page = "Some `code` and text.\n\n```rust\nlet a = `b`;\n```\n\n\
                {% details(summary=\"s\") %}\nHidden with `code`.\n{% end %}\n\n\
                {% tabs() %}\n{% tab(label=\"a\") %}\nRun `a`.\n{% end %}\n\
                {% tab(label=\"b\") %}\nRun `b`.\n{% end %}\n{% end %}\r\n\
                ~~~~\n~~~\n{{ in_code() }}\n~~~~\nA note: {{ note(text=\"x\") }}.\n";
    assert!(calls_outside_code(
        page.replace("{{ in_code() }}", "x").as_str()
    ));
    assert!(!calls_outside_code(page));
}

#[test]
fn doubtful_shapes_are_left_to_the_parser() {
    for page in [
        "a `b\nc` {{ x() }}",
        "`a` {{ x() }} `b",
        "    {{ x() }}",
        ">     {{ x() }}",
        "\t{{ x() }}",
        "- ```\n  {{ x() }}\n  ```",
        "> ```\n> {{ x() }}",
        "<div>\n```\n\n{{ x() }}\n```",
        "| `a | b` {{ x() }} `c` |",
        "<a title='`'>`{{ x() }}` `",
        "\\``{{ x() }}`",
        "a\rb {{ x() }}",
    ] {
        assert!(!calls_outside_code(page), "{page:?}");
    }
}
