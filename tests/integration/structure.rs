//! The content model: URLs, sections, ordering, drafts, assets, aliases, taxonomies.

use crate::harness::SiteTest;

#[test]
fn pages_and_sections_get_pretty_urls() {
    SiteTest::new("basic")
        .build()
        .expect_success()
        .expect_page("/")
        .expect_page("/areas/")
        .expect_page("/areas/iaea/")
        .expect_page("/areas/countries/")
        .expect_page("/guide/start/")
        .expect_page("/notes/note/");
}

#[test]
fn a_slug_replaces_the_last_segment() {
    SiteTest::new("basic")
        .build()
        .expect_page("/areas/first-alpha/")
        .expect_no_page("/areas/alpha/");
}

#[test]
fn a_page_beside_a_folder_of_the_same_name_is_that_folders_page() {
    let site = SiteTest::new("basic").build();
    let main = site.main("/areas/attributes/");
    assert!(
        main.contains("The page of the <code>attributes/</code> folder."),
        "{main}"
    );
    assert!(
        main.contains("href=\"/areas/attributes/detail/\""),
        "{main}"
    );
    site.expect_page_contains("/areas/attributes/detail/", "href=\"/areas/attributes/\"");
}

#[test]
fn a_folder_without_an_index_is_a_section_titled_from_its_name() {
    SiteTest::new("basic")
        .build()
        .expect_page_contains("/guide/", "<h1>Guide</h1>")
        .expect_page_contains("/guide/", "href=\"/guide/start/\"");
}

#[test]
fn titles_come_from_front_matter_then_the_first_heading_then_the_file_name() {
    SiteTest::new("basic")
        .build()
        .expect_page_contains(
            "/areas/iaea/",
            "<title>Cooperation with the IAEA · Basic</title>",
        )
        .expect_page_contains(
            "/areas/zeta/",
            "<title>Zeta from the heading · Basic</title>",
        )
        .expect_page_contains("/areas/first-alpha/", "<title>Alpha · Basic</title>");
}

#[test]
fn a_page_whose_body_starts_with_its_title_heading_shows_it_once() {
    let main = SiteTest::new("basic").build().main("/areas/zeta/");
    assert_eq!(main.matches("<h1").count(), 1, "{main}");
}

#[test]
fn pages_are_ordered_by_weight_then_date_then_title() {
    let site = SiteTest::new("basic").build();
    let main = site.main("/areas/");
    let position = |text: &str| {
        main.find(text)
            .unwrap_or_else(|| panic!("{text} missing from {main}"))
    };
    let order = [
        "Cooperation with the IAEA",
        "Cooperation with other countries",
        "Zeta from the heading",
        "Alpha",
        "Attributes",
    ];
    let positions: Vec<usize> = order
        .iter()
        .map(|t| position(&format!(">{t}</a>")))
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "order {positions:?} in {main}"
    );
}

#[test]
fn prev_and_next_follow_the_section_order() {
    SiteTest::new("basic")
        .build()
        .expect_page_contains("/areas/countries/", "rel=\"prev\" href=\"/areas/iaea/\"")
        .expect_page_contains("/areas/countries/", "rel=\"next\" href=\"/areas/zeta/\"")
        .expect_page_lacks("/areas/iaea/", "rel=\"prev\"");
}

#[test]
fn drafts_are_skipped_unless_asked_for() {
    SiteTest::new("basic")
        .build()
        .expect_no_page("/areas/draft/");
    let site = SiteTest::new("basic");
    let options = folio::project::Options {
        drafts: true,
        ..site.options()
    };
    site.build_with(options)
        .expect_success()
        .expect_page("/areas/draft/");
}

#[test]
fn hidden_and_editor_files_are_ignored() {
    let site = SiteTest::new("basic").build().expect_success();
    assert!(!site.output.join("notes/.hidden").exists());
    assert!(!site.output.join("notes/start.md~").exists());
    assert!(!site.output.join("notes/start").exists());
}

#[test]
fn assets_are_copied_beside_their_pages_and_links_to_them_resolve() {
    let site = SiteTest::new("basic").build();
    assert_eq!(
        std::fs::read(site.output.join("areas/map.png")).unwrap(),
        std::fs::read(site.root.join("content/areas/map.png")).unwrap()
    );
    site.expect_page_contains("/areas/iaea/", "href=\"/areas/map.png\"");
}

#[test]
fn aliases_redirect_to_the_page() {
    SiteTest::new("basic")
        .build()
        .expect_page_contains(
            "/old/iaea/",
            "<meta http-equiv=\"refresh\" content=\"0; url=/areas/iaea/\">",
        )
        .expect_page_contains(
            "/old/iaea/",
            "<link rel=\"canonical\" href=\"/areas/iaea/\">",
        );
}

#[test]
fn taxonomies_have_an_index_and_a_page_per_term() {
    let site = SiteTest::new("basic").build();
    site.page("/tags/");
    let iaea = site.main("/tags/iaea/");
    // "IAEA" and "iaea" are one term, named as first written.
    assert!(iaea.contains("<h1>IAEA</h1>"), "{iaea}");
    assert!(
        iaea.contains("Cooperation with the IAEA")
            && iaea.contains("Cooperation with other countries"),
        "{iaea}"
    );
    site.expect_page_contains("/tags/peer-review/", "Cooperation with the IAEA")
        .expect_page_contains("/categories/agencies/", "Cooperation with the IAEA")
        .expect_page_contains("/categories/", "<h1>Categories</h1>")
        .expect_page_contains("/areas/iaea/", "href=\"/tags/peer-review/\"");
}

#[test]
fn sitemap_robots_and_404_are_written() {
    let site = SiteTest::new("basic").build();
    let sitemap = site.page("/sitemap.xml");
    assert!(sitemap.contains("<loc>/areas/iaea/</loc>"), "{sitemap}");
    assert!(sitemap.contains("<lastmod>2017-09</lastmod>"), "{sitemap}");
    assert!(!sitemap.contains("draft"), "{sitemap}");
    assert!(site.page("/robots.txt").contains("Sitemap: /sitemap.xml"));
    assert!(site.page("/404.html").contains("Page not found"));
}

#[test]
fn theme_files_are_copied_under_theme() {
    let site = SiteTest::new("basic").build();
    assert!(site.page("/theme/style.css").contains("--bg"));
    site.expect_page_contains("/", "href=\"/theme/style.css\"");
}

#[test]
fn a_folder_of_assets_only_is_no_section_and_its_files_stay_beside_their_pages() {
    let site = SiteTest::empty()
        .file(
            "content/_index.md",
            "---\ntitle: Home\n---\n\nSee [the guide](guide/setup.md).\n",
        )
        .file(
            "content/guide/setup.md",
            "---\ntitle: Setup\n---\n\n![Diagram](img/diagram.svg)\n",
        )
        .file("content/guide/img/diagram.svg", "<svg/>")
        .file("content/downloads/notes.txt", "notes")
        .build()
        .expect_success();
    assert_eq!(
        std::fs::read_to_string(site.output.join("guide/img/diagram.svg")).unwrap(),
        "<svg/>"
    );
    assert!(site.output.join("downloads/notes.txt").is_file());
    site.expect_no_page("/guide/img/")
        .expect_no_page("/downloads/")
        .expect_page_lacks("/sitemap.xml", "/guide/img/")
        .expect_page_lacks("/", "Img")
        .expect_page_lacks("/", "Downloads");
}
