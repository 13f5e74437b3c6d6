//! Tests of [`expand`] as a whole: books written to a temporary folder, expanded page by
//! page, with the exact text, title, files read and located diagnostics checked.

use std::path::Path;

use tempfile::TempDir;

use super::*;

/// A book in a temporary folder.
struct Book {
    root: TempDir,
}

impl Book {
    fn new(files: &[(&str, &str)]) -> Self {
        let root = tempfile::tempdir().expect("a temporary folder");
        for (path, text) in files {
            let path = root.path().join(path);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("a folder");
            std::fs::write(path, text).expect("a written file");
        }
        Self { root }
    }

    fn expand(&self, page: &str) -> Expansion {
        let text = std::fs::read_to_string(self.root.path().join(page)).expect("the page");
        expand(self.root.path(), Path::new(page), &text)
    }

    /// The text of `page` expanded, asserting that nothing was reported.
    fn expanded(&self, page: &str) -> String {
        let expansion = self.expand(page);
        assert_eq!(expansion.diagnostics, [], "{page}");
        expansion.text
    }
}

/// Each diagnostic as its kind and `file:line:col`.
fn located(expansion: &Expansion) -> Vec<(Kind, String)> {
    let location = |d: &Diagnostic| d.location().unwrap_or_default();
    let all = expansion.diagnostics.iter();
    all.map(|d| (d.kind, location(d))).collect()
}

fn messages(expansion: &Expansion) -> Vec<&str> {
    let all = expansion.diagnostics.iter();
    all.map(|d| d.message.as_str()).collect()
}

const LISTING: &str = "fn main() {\n    let x = 1;\n    let y = 2;\n    println!(\"{x}{y}\");\n}\n";

#[test]
fn a_text_without_directives_is_returned_as_it_is() {
    let expansion = expand(
        Path::new("/nowhere"),
        Path::new("a.md"),
        "# Title\n\n{ single }",
    );
    assert_eq!(expansion.text, "# Title\n\n{ single }");
    assert_eq!(expansion.title, None);
    assert!(expansion.files.is_empty() && expansion.diagnostics.is_empty());
    assert_eq!(expansion.original_range(2..7), 2..7);
}

#[test]
fn whole_files_and_line_ranges_are_included_in_code_blocks_and_spans() {
    let book = Book::new(&[
        ("src/main.rs", LISTING),
        ("src/word.txt", "word\n"),
        (
            "src/page.md",
            "```rust\n{{#include main.rs}}\n```\n`{{#include word.txt}}` \
             [{{#include main.rs:2}}] [{{#include main.rs:2:3}}] \
             [{{#include main.rs::2}}] [{{#include main.rs:4:}}]\n",
        ),
    ]);
    assert_eq!(
        book.expanded("src/page.md"),
        "```rust\nfn main() {\n    let x = 1;\n    let y = 2;\n    println!(\"{x}{y}\");\n}\n```\n\
         `word` [    let x = 1;] [    let x = 1;\n    let y = 2;] \
         [fn main() {\n    let x = 1;] [    println!(\"{x}{y}\");\n}]\n"
    );
    let files = book.expand("src/page.md").files;
    assert_eq!(files, [Path::new("src/main.rs"), Path::new("src/word.txt")]);
}

#[test]
fn anchors_include_their_lines_without_any_anchor_line() {
    let listing = "use std::io;\n// ANCHOR: all\n// ANCHOR: main\nfn main() {\n\
                   /* ANCHOR: body */\n    run();\n/* ANCHOR_END: body */\n}\n\
                   // ANCHOR_END: main\nfn run() {}\n// ANCHOR_END: all\n";
    let book = Book::new(&[
        ("src/a.rs", listing),
        (
            "src/page.md",
            "{{#include a.rs:all}}\n---\n{{#include a.rs:body}}",
        ),
    ]);
    assert_eq!(
        book.expanded("src/page.md"),
        "fn main() {\n    run();\n}\nfn run() {}\n---\n    run();"
    );
}

#[test]
fn rustdoc_include_hides_the_lines_it_does_not_show() {
    let listing = "use std::io;\n// ANCHOR: here\nfn main() {}\n// ANCHOR_END: here\nfn after() {}";
    let book = Book::new(&[
        ("src/a.rs", listing),
        ("src/b.rs", LISTING),
        (
            "src/page.md",
            "{{#rustdoc_include a.rs:here}}\n{{#rustdoc_include b.rs:2:3}}",
        ),
    ]);
    assert_eq!(
        book.expanded("src/page.md"),
        "# use std::io;\nfn main() {}\n# fn after() {}\n\
         # fn main() {\n    let x = 1;\n    let y = 2;\n#     println!(\"{x}{y}\");\n# }"
    );
}

#[test]
fn playground_writes_a_rust_code_block_with_its_attributes() {
    let book = Book::new(&[
        ("src/a.rs", "fn main() {}"),
        (
            "src/page.md",
            "{{#playground a.rs editable no_run}}\n{{#playground a.rs}}",
        ),
    ]);
    assert_eq!(
        book.expanded("src/page.md"),
        "```rust,editable,no_run\nfn main() {}\n```\n\n```rust\nfn main() {}\n```\n"
    );
}

#[test]
fn the_old_playpen_name_still_works_with_a_warning() {
    let book = Book::new(&[("a.rs", "x\n"), ("page.md", "{{#playpen a.rs}}")]);
    let expansion = book.expand("page.md");
    assert_eq!(expansion.text, "```rust\nx\n```\n");
    assert_eq!(
        located(&expansion),
        [(Kind::IncludeSyntax, "page.md:1:1".into())]
    );
    assert!(!expansion.diagnostics[0].is_error());
}

#[test]
fn a_title_is_returned_and_removed_the_last_one_winning() {
    let book = Book::new(&[
        ("src/part.md", "{{#title From the Part}}Part"),
        ("src/page.md", "{{#title My Title}}\n# Chapter\n"),
        ("src/two.md", "{{#title First}}{{#include part.md}}"),
    ]);
    let page = book.expand("src/page.md");
    assert_eq!(
        (page.text.as_str(), page.title.as_deref()),
        ("\n# Chapter\n", Some("My Title"))
    );
    let two = book.expand("src/two.md");
    assert_eq!(
        (two.text.as_str(), two.title.as_deref()),
        ("Part", Some("From the Part"))
    );
}

#[test]
fn escaped_directives_lose_their_backslash_and_read_nothing() {
    let book = Book::new(&[(
        "page.md",
        "```hbs\n\\{{#include missing.rs}} << escaped\n```\n\\{{#title T}}",
    )]);
    let expansion = book.expand("page.md");
    assert_eq!(
        expansion.text,
        "```hbs\n{{#include missing.rs}} << escaped\n```\n{{#title T}}"
    );
    assert_eq!((expansion.title, expansion.diagnostics.len()), (None, 0));
    assert!(expansion.files.is_empty());
}

#[test]
fn included_files_expand_their_own_directives_from_their_own_folder() {
    let book = Book::new(&[
        ("listings/one/code.rs", "let one = 1;"),
        ("listings/one/part.md", "Part: {{#include code.rs}}"),
        (
            "src/page.md",
            "Start {{#include ../listings/one/part.md}} end",
        ),
    ]);
    let expansion = book.expand("src/page.md");
    assert_eq!(expansion.text, "Start Part: let one = 1; end");
    let files: Vec<String> = expansion.files.iter().map(|f| display_path(f)).collect();
    assert_eq!(files, ["listings/one/code.rs", "listings/one/part.md"]);
}

#[test]
fn a_missing_file_is_located_at_its_directive_and_left_as_written() {
    let book = Book::new(&[(
        "src/page.md",
        "Intro\n\nSee é {{#include ../listings/gone.rs}} here",
    )]);
    let expansion = book.expand("src/page.md");
    assert_eq!(
        expansion.text,
        "Intro\n\nSee é {{#include ../listings/gone.rs}} here"
    );
    assert_eq!(
        located(&expansion),
        [(Kind::IncludeMissing, "src/page.md:3:7".into())]
    );
    assert_eq!(
        messages(&expansion),
        ["cannot include `../listings/gone.rs`: `listings/gone.rs` does not exist"]
    );
    assert_eq!(
        expansion.files,
        [PathBuf::from("listings/gone.rs")],
        "watched for its return"
    );
}

#[test]
fn a_missing_anchor_is_reported_with_the_closest_name() {
    let book = Book::new(&[
        ("a.rs", "// ANCHOR: here\nx\n// ANCHOR_END: here\n"),
        (
            "page.md",
            "```\n  {{#include a.rs:hre}}\n```\n{{#rustdoc_include a.rs:nowhere}}",
        ),
    ]);
    let expansion = book.expand("page.md");
    assert_eq!(
        located(&expansion),
        [
            (Kind::IncludeAnchor, "page.md:2:3".into()),
            (Kind::IncludeAnchor, "page.md:4:1".into())
        ]
    );
    assert_eq!(messages(&expansion)[0], "`a.rs` has no anchor `hre`");
    assert_eq!(
        expansion.diagnostics[0].help.as_deref(),
        Some("did you mean `here`?")
    );
    assert!(expansion.text.contains("{{#include a.rs:hre}}"));
}

#[test]
fn ranges_that_select_nothing_are_errors() {
    let book = Book::new(&[
        ("a.rs", "one\ntwo\nthree\n"),
        (
            "page.md",
            "{{#include a.rs:4}}\n{{#include a.rs:3:2}}\n{{#include a.rs:0}} {{#include a.rs:1:99}}",
        ),
    ]);
    let expansion = book.expand("page.md");
    assert_eq!(
        located(&expansion),
        [
            (Kind::IncludeRange, "page.md:1:1".into()),
            (Kind::IncludeRange, "page.md:2:1".into()),
            (Kind::IncludeRange, "page.md:3:1".into())
        ]
    );
    assert_eq!(
        messages(&expansion),
        [
            "cannot include lines of `a.rs`: the range starts at line 4 but the file has 3 lines",
            "cannot include lines of `a.rs`: the range ends at line 2, before its start, line 3",
            "cannot include lines of `a.rs`: line numbers count from 1",
        ]
    );
    assert!(
        expansion
            .text
            .ends_with("{{#include a.rs:0}} one\ntwo\nthree")
    );
}

#[test]
fn paths_out_of_the_root_are_refused() {
    let book = Book::new(&[
        (
            "book/src/page.md",
            "{{#include ../../secret.txt}}\n\n  {{#include /etc/hostname}}",
        ),
        ("secret.txt", "no"),
    ]);
    let root = book.root.path().join("book");
    let text = std::fs::read_to_string(root.join("src/page.md")).expect("the page");
    let expansion = expand(&root, Path::new("src/page.md"), &text);
    assert_eq!(
        located(&expansion),
        [
            (Kind::IncludeOutside, "src/page.md:1:1".into()),
            (Kind::IncludeOutside, "src/page.md:3:3".into())
        ]
    );
    assert_eq!(expansion.text, text);
    assert!(expansion.files.is_empty());
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_out_of_the_root_is_refused() {
    let book = Book::new(&[
        ("secret.txt", "no"),
        ("book/page.md", "x {{#include link.txt}}"),
    ]);
    let root = book.root.path().join("book");
    std::os::unix::fs::symlink(book.root.path().join("secret.txt"), root.join("link.txt"))
        .expect("a link");
    let expansion = expand(&root, Path::new("page.md"), "x {{#include link.txt}}");
    assert_eq!(
        located(&expansion),
        [(Kind::IncludeOutside, "page.md:1:3".into())]
    );
    assert_eq!(expansion.text, "x {{#include link.txt}}");
}

#[test]
fn a_cycle_is_reported_where_it_closes() {
    let book = Book::new(&[
        ("src/a.md", "A\n{{#include b.md}}"),
        ("src/b.md", "B1\nB2 {{#include a.md}}\n"),
    ]);
    let expansion = book.expand("src/a.md");
    assert_eq!(
        located(&expansion),
        [(Kind::IncludeCycle, "src/b.md:2:4".into())]
    );
    assert_eq!(
        messages(&expansion),
        ["`src/a.md` includes itself: src/a.md → src/b.md → src/a.md"]
    );
    assert_eq!(expansion.text, "A\nB1\nB2 {{#include a.md}}");
}

#[test]
fn includes_nest_at_most_ten_deep() {
    let mut files: Vec<(String, String)> = (1..=11)
        .map(|n| {
            (
                format!("f{n}.md"),
                format!("{n} {{{{#include f{}.md}}}}", n + 1),
            )
        })
        .collect();
    files.push(("f12.md".into(), "end".into()));
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let book = Book::new(&borrowed);
    let expansion = book.expand("f1.md");
    assert_eq!(
        located(&expansion),
        [(Kind::IncludeTooDeep, "f11.md:1:4".into())]
    );
    assert_eq!(
        expansion.text,
        "1 2 3 4 5 6 7 8 9 10 11 {{#include f12.md}}"
    );
}

#[test]
fn problems_in_an_included_file_are_located_in_that_file() {
    let listing = "line one\r\n// ANCHOR: part\r\nkept\r\n    and {{#include nope.rs}}\r\n// ANCHOR_END: part\r\n";
    let book = Book::new(&[
        ("src/listing.rs", listing),
        (
            "src/page.md",
            "{{#include listing.rs:part}}\n{{#rustdoc_include listing.rs:part}}\n{{#playground listing.rs}}",
        ),
    ]);
    let expansion = book.expand("src/page.md");
    let at_line_4 = (Kind::IncludeMissing, "src/listing.rs:4:9".to_string());
    assert_eq!(
        located(&expansion),
        [at_line_4.clone(), at_line_4.clone(), at_line_4]
    );
}

#[test]
fn malformed_and_misspelt_directives_are_reported_and_left_alone() {
    let book = Book::new(&[(
        "page.md",
        "{{#include}}\n{{#inclde a.rs}} {{#each items}}\n{{#title  }}",
    )]);
    let expansion = book.expand("page.md");
    assert_eq!(
        expansion.text,
        "{{#include}}\n{{#inclde a.rs}} {{#each items}}\n"
    );
    assert_eq!(expansion.title.as_deref(), Some(" "));
    assert_eq!(
        located(&expansion),
        [
            (Kind::IncludeSyntax, "page.md:1:1".into()),
            (Kind::IncludeSyntax, "page.md:2:1".into())
        ]
    );
    let errors: Vec<bool> = expansion
        .diagnostics
        .iter()
        .map(Diagnostic::is_error)
        .collect();
    assert_eq!(errors, [false, false], "mdBook leaves them as text too");
}

#[test]
fn files_that_are_not_utf8_are_reported() {
    let book = Book::new(&[("page.md", "{{#include bin.dat}}")]);
    std::fs::write(book.root.path().join("bin.dat"), [0xff, 0xfe]).expect("a file");
    assert_eq!(
        located(&book.expand("page.md")),
        [(Kind::NotUtf8, "page.md:1:1".into())]
    );
}

#[test]
fn expanded_ranges_map_back_to_the_text_as_written() {
    let book = Book::new(&[
        ("a.txt", "AAAA"),
        ("page.md", "ab {{#include a.txt}} cd \\{{#x}} ef"),
    ]);
    let expansion = book.expand("page.md");
    assert_eq!(expansion.text, "ab AAAA cd {{#x}} ef");
    // Untouched text before and after, shifted by what was expanded.
    assert_eq!(expansion.original_range(0..2), 0..2);
    assert_eq!(expansion.original_range(8..10), 22..24);
    assert_eq!(expansion.original_range(18..20), 33..35);
    // Anything inside an expansion is the whole directive.
    assert_eq!(expansion.original_range(4..5), 3..21);
    assert_eq!(expansion.original_range(3..7), 3..21);
    assert_eq!(expansion.original_range(0..9), 0..23);
    assert_eq!(expansion.original_range(11..17), 25..32);
    // Empty ranges at an expansion's edges go to the directive's edges.
    assert_eq!(expansion.original_range(3..3), 3..3);
    assert_eq!(expansion.original_range(7..7), 21..21);
}

#[test]
fn trpl_chapters_expand_exactly_as_mdbook_expands_them() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/includes/trpl");
    for chapter in [
        "ch12-02-reading-a-file.md",
        "ch05-02-example-structs-excerpt.md",
    ] {
        let page = Path::new("src").join(chapter);
        let text = std::fs::read_to_string(root.join(&page)).expect("the chapter");
        let expected =
            std::fs::read_to_string(root.join("expected").join(chapter)).expect("mdBook's text");
        let expansion = expand(&root, &page, &text);
        assert_eq!(expansion.diagnostics, [], "{chapter}");
        assert_eq!(expansion.text, expected, "{chapter}");
    }
}
