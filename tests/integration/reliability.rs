//! Inputs that must never crash folio, hang it, leak a file or lose the user's work.
//! Every case ends with exit code 1 and a located error, or with a correct site.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::harness::{SiteTest, snapshot};
use folio::diag::Kind;

fn page(title: &str) -> String {
    format!("---\ntitle: {title}\n---\n\nText.\n")
}

// ---- front matter ----

#[test]
fn an_unclosed_front_matter_is_located_at_its_opening_line() {
    SiteTest::empty()
        .file("content/a.md", "---\ntitle: A\n\nNo closing line.\n")
        .build()
        .expect_error("content/a.md:1:1", Kind::FrontMatterUnclosed);
}

#[test]
fn wrong_types_for_title_tags_and_draft_are_each_reported() {
    SiteTest::empty()
        .file(
            "content/a.md",
            "---\ntitle: [a, list]\ntags: 7\ndraft: yes\n---\n",
        )
        .build()
        .expect_error_count(3)
        .expect_error("content/a.md:2:8", Kind::WrongType)
        .expect_error("content/a.md:3:7", Kind::WrongType)
        .expect_error("content/a.md:4:8", Kind::WrongType);
}

#[test]
fn a_duplicate_key_is_reported_at_its_own_line() {
    SiteTest::empty()
        .file(
            "content/a.md",
            "---\ntitle: A\ndescription: x\ntitle: B\n---\n",
        )
        .build()
        .expect_error("content/a.md:4:1", Kind::DuplicateKey);
}

#[test]
fn a_bom_and_crlf_line_ends_are_accepted() {
    SiteTest::empty()
        .file(
            "content/a.md",
            "\u{feff}---\r\ntitle: With BOM\r\n---\r\n\r\nBody line.\r\n",
        )
        .build()
        .expect_success()
        .expect_page_contains("/a/", "<title>With BOM · Test</title>")
        .expect_page_contains("/a/", "<p>Body line.</p>");
}

#[test]
fn control_characters_in_titles_keep_the_sitemap_well_formed() {
    let site = SiteTest::empty()
        .file(
            "book.toml",
            "[book]\ntitle = \"T\"\n[build]\nbase-url = \"https://example.org/\"\n",
        )
        .file(
            "content/a.md",
            "---\ntitle: \"Bell\\a and <tag> & \\\"quotes\\\"\"\nslug: bell\ndate: 2020\n---\n",
        )
        .build()
        .expect_success();
    let sitemap = site.page("/sitemap.xml");
    assert!(
        !sitemap
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r')),
        "{sitemap:?}"
    );
    assert!(
        sitemap.contains("<loc>https://example.org/bell/</loc>"),
        "{sitemap}"
    );
    site.expect_page_contains(
        "/bell/",
        "Bell\u{7} and &lt;tag&gt; &amp; &quot;quotes&quot;",
    );
}

#[test]
fn alias_bombs_and_deep_nesting_are_refused_quickly() {
    let bomb = "---\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n---\n";
    let deep = format!(
        "---\nextra: {}{}\n---\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let started = Instant::now();
    let site = SiteTest::empty()
        .file("content/bomb.md", bomb)
        .file("content/deep.md", &deep)
        .build();
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
    let files: Vec<String> = site.errors().iter().filter_map(|d| d.location()).collect();
    assert!(
        files.iter().any(|f| f.starts_with("content/bomb.md:")),
        "{files:?}"
    );
    assert!(
        files.iter().any(|f| f.starts_with("content/deep.md:")),
        "{files:?}"
    );
}

#[test]
fn an_empty_file_and_a_file_of_front_matter_only_build() {
    SiteTest::empty()
        .file("content/empty.md", "")
        .file("content/only.md", "---\ntitle: Only front matter\n---\n")
        .build()
        .expect_success()
        .expect_page_contains("/empty/", "<h1>Empty</h1>")
        .expect_page_contains("/only/", "<h1>Only front matter</h1>");
}

// ---- files ----

#[test]
fn a_huge_page_is_refused_against_the_documented_limit() {
    let site = SiteTest::empty();
    let huge = vec![b'a'; 50 * 1024 * 1024];
    std::fs::write(site.root.join("content/huge.md"), huge).unwrap();
    let site = site.build();
    let error = site.errors().iter().next().unwrap();
    assert_eq!(error.location().as_deref(), Some("content/huge.md"));
    assert!(
        error.kind == Kind::TooLarge && error.message.contains("over the limit of 8388608 bytes"),
        "{error}"
    );
}

#[test]
fn odd_file_names_become_working_urls() {
    let site = SiteTest::new("odd_names").build().expect_success();
    for (url, title) in [
        ("/with spaces/", "Page with spaces"),
        ("/100% sure/", "Page 100% sure"),
        ("/issue #1/", "Page issue #1"),
        ("/why?/", "Page why?"),
        ("/café/", "Page café"),
        ("/核安全/", "Page 核安全"),
    ] {
        assert!(site.page(url).contains(title), "{url}");
    }
    let home = site.main("/");
    for href in [
        "/with%20spaces/",
        "/100%25%20sure/",
        "/issue%20%231/",
        "/why%3F/",
        "/café/",
        "/核安全/",
    ] {
        assert!(
            home.contains(&format!("href=\"{href}\"")),
            "{href} in {home}"
        );
    }
}

#[test]
fn a_file_name_that_is_not_utf8_is_an_error_naming_it() {
    use std::os::unix::ffi::OsStrExt;
    let site = SiteTest::empty().file("content/ok.md", &page("Ok"));
    let name = std::ffi::OsStr::from_bytes(b"bad-\xff.md");
    std::fs::write(site.root.join("content").join(name), page("Bad")).unwrap();
    let site = site.build();
    let error = site.errors().iter().next().unwrap();
    assert_eq!(error.kind, Kind::NotUtf8, "{error}");
    assert!(
        error.location().unwrap().starts_with("content/bad-"),
        "{error}"
    );
}

#[test]
fn editor_files_and_dangling_lock_links_are_ignored() {
    let site = SiteTest::empty()
        .file("content/a.md", &page("A"))
        .file("content/a.md.swp", "swap")
        .file("content/#a.md#", "autosave")
        .file("content/a.md~", "backup");
    std::os::unix::fs::symlink(
        "user@host.1234:1700000000",
        site.root.join("content/.#a.md"),
    )
    .unwrap();
    let site = site.build().expect_success();
    let files: Vec<String> = snapshot(&site.output).into_iter().map(|(f, _)| f).collect();
    assert!(
        files
            .iter()
            .all(|f| !f.contains("swp") && !f.contains('#') && !f.contains('~')),
        "{files:?}"
    );
}

// ---- collisions ----

#[test]
fn nfc_and_nfd_spellings_of_one_name_collide() {
    SiteTest::empty()
        .file("content/caf\u{e9}.md", &page("Composed"))
        .file("content/cafe\u{301}.md", &page("Decomposed"))
        .build()
        .expect_error_count(1);
}

#[test]
fn slugs_that_could_escape_are_refused() {
    for (slug, line) in [
        ("a/b", "slug: a/b"),
        ("a\\\\b", "slug: \"a\\\\b\""),
        ("..", "slug: \"..\""),
        ("nul", "slug: \"a\\0b\""),
        ("dot", "slug: .hidden"),
    ] {
        let site = SiteTest::empty()
            .file("content/a.md", &format!("---\ntitle: A\n{line}\n---\n"))
            .build();
        let error = site
            .errors()
            .iter()
            .next()
            .unwrap_or_else(|| panic!("{slug} accepted"));
        assert_eq!(error.kind, Kind::InvalidValue, "{slug}: {error}");
        assert_eq!(
            error.location().as_deref(),
            Some("content/a.md:3:7"),
            "{slug}"
        );
    }
}

// ---- symlinks ----

#[test]
fn symlinks_inside_the_site_are_followed_and_outside_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        "---\ntitle: SECRET-OUTSIDE\n---\n",
    )
    .unwrap();
    let site = SiteTest::empty()
        .file("content/a.md", &page("A"))
        .file("shared/b.md", &page("Shared inside"));
    std::os::unix::fs::symlink(
        site.root.join("shared/b.md"),
        site.root.join("content/b.md"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        site.root.join("content/secret.md"),
    )
    .unwrap();
    let site = site
        .build()
        .expect_error("content/secret.md", Kind::BadSymlink);
    std::fs::remove_file(site.root.join("content/secret.md")).unwrap();
    let site = site
        .build()
        .expect_success()
        .expect_page_contains("/b/", "Shared inside");
    for (_, bytes) in snapshot(&site.output) {
        assert!(!String::from_utf8_lossy(&bytes).contains("SECRET-OUTSIDE"));
    }
}

#[test]
fn a_symlink_loop_is_reported() {
    let site = SiteTest::empty()
        .file("content/a.md", &page("A"))
        .file("content/sub/b.md", &page("B"));
    std::os::unix::fs::symlink(
        site.root.join("content"),
        site.root.join("content/sub/loop"),
    )
    .unwrap();
    let site = site.build();
    assert!(
        site.errors()
            .iter()
            .any(|d| d.kind == Kind::BadSymlink && d.message.contains("symbolic link loop")),
        "{}",
        site.errors()
    );
}

// ---- Markdown ----

#[test]
fn pathological_markdown_builds_without_crashing() {
    let deep_quotes = format!("---\ntitle: Q\n---\n\n{}deep\n", "> ".repeat(10_000));
    let deep_lists = format!("---\ntitle: L\n---\n\n{}item\n", "- ".repeat(10_000));
    let inline = format!("---\ntitle: I\n---\n\n{}\n", "[*_a".repeat(200_000));
    let long_line = format!("---\ntitle: Long\n---\n\n{}\n", "word ".repeat(20_000));
    let big_code = format!(
        "---\ntitle: C\n---\n\n```rust\n{}\n```\n\n```nosuchlanguage\nplain <b>\n```\n",
        "x".repeat(1024 * 1024)
    );
    let site = SiteTest::empty()
        .file("content/quotes.md", &deep_quotes)
        .file("content/lists.md", &deep_lists)
        .file("content/inline.md", &inline)
        .file("content/long.md", &long_line)
        .file("content/code.md", &big_code)
        .build();
    site.succeeded();
    site.expect_warning("content/code.md:5:1", Kind::Markdown)
        .expect_page_contains("/code/", "plain &lt;b&gt;");
}

// ---- output folder ----

#[test]
fn refuses_the_home_folder() {
    let site = SiteTest::new("basic");
    let home = std::env::home_dir().expect("a home folder");
    let options = folio::project::Options {
        output: Some(home),
        ..site.options()
    };
    let errors = folio::build::build(&options).expect_err("must refuse");
    assert!(
        errors
            .iter()
            .next()
            .unwrap()
            .message
            .contains("home folder")
    );
}

#[test]
fn a_build_killed_mid_write_leaves_the_old_output_whole() {
    let site = SiteTest::empty();
    for i in 0..400 {
        std::fs::write(
            site.root.join(format!("content/p{i}.md")),
            format!("---\ntitle: P{i}\n---\n\n```rust\nfn f{i}() {{}}\n```\n"),
        )
        .unwrap();
    }
    let binary = env!("CARGO_BIN_EXE_folio");
    let build = || {
        std::process::Command::new(binary)
            .args(["build", "."])
            .current_dir(&site.root)
            .output()
            .unwrap()
    };
    assert!(build().status.success());
    let before = snapshot(&site.root.join("public"));
    std::fs::write(
        site.root.join("content/p0.md"),
        "---\ntitle: Changed\n---\n",
    )
    .unwrap();
    for delay in [5, 20, 60] {
        let mut child = std::process::Command::new(binary)
            .args(["build", "."])
            .current_dir(&site.root)
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill();
        let _ = child.wait();
        let after = snapshot(&site.root.join("public"));
        let changed = after
            .iter()
            .any(|(f, b)| f == "p0/index.html" && String::from_utf8_lossy(b).contains("Changed"));
        if !changed {
            assert_eq!(
                after, before,
                "killed after {delay} ms: the old output must be intact"
            );
        }
    }
    assert!(build().status.success(), "the next build recovers");
    assert!(!Path::new(&site.root.join(".public.folio-staging")).exists());
}
