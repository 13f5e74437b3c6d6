//! The one pipeline under `build`, `check` and `serve`: the commands agree on every
//! fixture, a failed run writes nothing anywhere, and the files folio generates are
//! templates a site can replace, or files of its own can.

use std::path::Path;

use folio::diag::Diagnostics;
use folio::project::Options;

use crate::harness::SiteTest;
use folio::diag::Kind;

/// Every error as printed, in order: a command that repeats one (as `check` once did
/// for a template error on every page) does not compare equal.
fn errors(diagnostics: &Diagnostics) -> Vec<String> {
    let mut errors: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.render(false))
        .collect();
    errors.sort();
    errors
}

fn fixture_sites() -> Vec<String> {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut names: Vec<String> = std::fs::read_dir(fixtures)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().join("book.toml").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn check_and_build_report_the_same_errors_on_every_fixture() {
    let sites = fixture_sites();
    assert!(sites.len() >= 10, "{sites:?}");
    let mut failing = 0;
    for name in sites {
        let site = SiteTest::new(&name);
        let checked = folio::check::check(&site.options());
        let built = folio::build::build(&site.options()).map(|report| report.warnings);
        match (&checked, &built) {
            (Ok(_), Ok(_)) => {}
            (Err(checked), Err(built)) => {
                failing += 1;
                assert_eq!(errors(checked), errors(built), "{name}");
            }
            _ => panic!("{name}: check gave {checked:?}\nbuild gave {built:?}"),
        }
    }
    assert!(
        failing >= 5,
        "too few failing fixtures to compare: {failing}"
    );
}

#[test]
fn check_finds_what_only_the_plan_finds() {
    let site = SiteTest::empty()
        .file("content/_index.md", "---\ntitle: Home\n---\n\nHello.\n")
        .file("content/theme/style.css", "body {}\n")
        .check()
        .expect_error_count(1);
    assert!(
        site.errors().iter().any(|d| d.kind == Kind::OutputCollision
            && d.message == "two outputs would both be written to theme/style.css"),
        "{}",
        site.errors()
    );
}

#[test]
fn a_failed_build_writes_no_cache_and_no_output() {
    let site = SiteTest::new("broken_link").build();
    site.errors();
    assert!(!site.root.join(folio::project::CACHE_DIR).exists());
    assert!(!site.output.exists());
}

#[test]
fn a_build_that_fails_while_writing_the_site_keeps_no_cache() {
    // The caches are written while the site is: a template that fails then must
    // leave neither them nor their temporaries behind.
    let site = SiteTest::new("basic")
        .file("content/code.md", "# Code\n\n```rust\nfn main() {}\n```\n")
        .file("templates/page.html", "<p>{{ page.weight | date }}</p>\n")
        .build()
        .expect_error("templates/page.html:1:21", Kind::TemplateRender);
    let cache = site.root.join(folio::project::CACHE_DIR);
    let left: Vec<_> = std::fs::read_dir(&cache)
        .map(|files| files.flatten().map(|file| file.file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "{left:?}");
    assert!(!site.output.exists());

    // The same site, once its template is fixed, keeps both.
    let _site = (site.file("templates/page.html", "<p>{{ page.title }}</p>\n"))
        .build()
        .expect_success();
    let mut kept: Vec<_> = std::fs::read_dir(&cache)
        .unwrap()
        .flatten()
        .map(|file| file.file_name().to_string_lossy().into_owned())
        .collect();
    kept.sort();
    assert_eq!(kept, ["highlight.bin", "search-pages.bin", "search.bin"]);
}

#[test]
fn a_missing_site_folder_is_not_created() {
    let temp = tempfile::tempdir().unwrap();
    let missing = temp.path().join("nosuchdir");
    let options = Options::for_site(Some(&missing));
    let error = folio::build::build(&options).expect_err("no site there");
    assert!(error.iter().any(|d| d.kind == Kind::ConfigUnreadable));
    assert!(!missing.exists(), "the build created {}", missing.display());
}

#[test]
fn a_site_file_replaces_a_generated_one_and_static_files_go_to_the_root() {
    let site = SiteTest::empty()
        .file("content/_index.md", "---\ntitle: Home\n---\n\nHello.\n")
        .file("static/robots.txt", "User-agent: *\nDisallow: /\n")
        .file("static/img/logo.svg", "<svg/>")
        .file("content/404.html", "<p>gone</p>")
        .build()
        .expect_success();
    let read = |path: &str| std::fs::read_to_string(site.output.join(path)).unwrap();
    assert_eq!(read("robots.txt"), "User-agent: *\nDisallow: /\n");
    assert_eq!(read("img/logo.svg"), "<svg/>");
    assert_eq!(read("404.html"), "<p>gone</p>");
}

#[test]
fn a_static_file_on_a_page_is_an_error_as_is_one_in_the_search_folder() {
    let site = SiteTest::empty()
        .file("content/guide.md", "---\ntitle: Guide\n---\n\nText.\n")
        .file("static/guide/index.html", "<p>mine</p>")
        .file("static/pagefind/pagefind.js", "")
        .build()
        .expect_error_count(2);
    let messages: Vec<&str> = site.errors().iter().map(|d| d.message.as_str()).collect();
    assert!(
        messages.contains(&"two outputs would both be written to guide/index.html"),
        "{messages:?}"
    );
    assert!(
        messages.contains(
            &"pagefind/pagefind.js would be written into `pagefind/`, the search index's folder"
        ),
        "{messages:?}"
    );
}

#[test]
fn sitemap_feed_robots_and_redirects_are_templates_a_site_can_replace() {
    let page = "---\ntitle: Home\ndate: 2022-03-31\naliases: [/old/]\n---\n\nHello.\n";
    let site = SiteTest::empty()
        .file("content/_index.md", page)
        .file(
            "templates/robots.txt",
            "Sitemap: {{ sitemap_url }} (mine)\n",
        )
        .file(
            "templates/sitemap.xml",
            "{% for entry in entries %}{{ entry.loc }};{% endfor %}",
        )
        .file("templates/atom.xml", "{{ feed.entries | length }} entries")
        .file("templates/alias.html", "to {{ target }}")
        .build()
        .expect_success();
    let read = |path: &str| std::fs::read_to_string(site.output.join(path)).unwrap();
    assert_eq!(read("robots.txt"), "Sitemap: /sitemap.xml (mine)\n");
    assert_eq!(read("sitemap.xml"), "/;");
    assert_eq!(read("atom.xml"), "1 entries");
    assert_eq!(read("old/index.html"), "to /");
}

#[test]
fn a_broken_generated_template_is_located_by_check_and_build_alike() {
    let site = SiteTest::empty()
        .file("content/_index.md", "---\ntitle: Home\n---\n\nHello.\n")
        .file("templates/sitemap.xml", "{{ nothing.here }}")
        .check()
        .expect_error_count(1);
    let error = &site
        .errors()
        .iter()
        .find(|d| d.is_error())
        .unwrap()
        .to_string();
    assert!(error.starts_with("templates/sitemap.xml:1:4: "), "{error}");
}

#[test]
fn a_template_that_fails_on_every_page_is_reported_once_by_check_and_build() {
    let make = || {
        SiteTest::empty()
            .file("content/a.md", "---\ntitle: A\n---\n\nText.\n")
            .file("content/b.md", "---\ntitle: B\n---\n\nText.\n")
            .file("content/c.md", "---\ntitle: C\n---\n\nText.\n")
            .file("templates/page.html", "{{ page.nothing.here }}")
    };
    for site in [make().check(), make().build()] {
        let errors: Vec<_> = site.errors().iter().filter(|d| d.is_error()).collect();
        assert_eq!(errors.len(), 1, "{}", site.errors());
        assert_eq!(
            errors[0].location().as_deref(),
            Some("templates/page.html:1:9")
        );
        assert!(
            errors[0]
                .help
                .as_deref()
                .unwrap_or("")
                .ends_with("(and 2 more)"),
            "{:?}",
            errors[0].help
        );
    }
}

#[test]
fn a_built_in_template_the_site_broke_is_an_error_only_where_a_page_uses_it() {
    let site = || {
        SiteTest::empty()
            .file("content/a.md", "---\ntitle: A\n---\n\nText.\n")
            .file("templates/page.html", "<main>{{ page.title }}</main>")
    };
    site().build().expect_success();
    let timeline = "---\ntitle: T\ntemplate: timeline.html\n---\n";
    let broken = site()
        .file("content/t.md", timeline)
        .build()
        .expect_error_count(1);
    let error = broken.errors().iter().find(|d| d.is_error()).unwrap();
    assert_eq!(
        error.location().as_deref(),
        Some("(built-in) templates/timeline.html:2:10")
    );
}
