//! A page's related block: its relations by type under book.toml's headings in both
//! directions, then the other pages that link to it, each page once; nothing for a page
//! with no connection; a relation map only where the relations among the page's
//! neighbours are more than one star; and a timeline that does not list again the
//! pages the block lists.

use crate::harness::SiteTest;

/// The page's related block, from its opening tag to its end.
fn related(html: &str) -> &str {
    let start = html
        .find("<section class=\"related\"")
        .unwrap_or_else(|| panic!("no related block in {html}"));
    let end = start + html[start..].find("</section>").expect("a closed block");
    &html[start..end]
}

/// One group of the block: its heading and its list.
fn group<'h>(block: &'h str, id: &str) -> &'h str {
    let start = block
        .find(&format!("<h3 id=\"{id}\">"))
        .unwrap_or_else(|| panic!("no group #{id} in {block}"));
    let end = start + block[start..].find("</ul>").expect("a closed list");
    &block[start..end]
}

/// The block's lists, without the map that may follow them.
fn lists(block: &str) -> &str {
    &block[..block.find("<figure").unwrap_or(block.len())]
}

fn hrefs(block: &str) -> Vec<&str> {
    block
        .split("<a href=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect()
}

#[test]
fn each_related_page_is_listed_once() {
    let site = SiteTest::new("related").build().expect_success();
    let hub = site.page("/orgs/hub/");
    let block = related(&hub);
    // Alpha is a partner, names the hub as one and links to it: listed once, as a partner.
    let mut links = hrefs(lists(block));
    assert_eq!(
        links,
        [
            "/orgs/alpha/",
            "/orgs/beta/",
            "/programmes/plan/",
            "/",
            "/notes/"
        ],
        "{block}"
    );
    links.sort_unstable();
    links.dedup();
    assert_eq!(links.len(), 5);
    assert!(
        !block.contains("Named as a partner in"),
        "a group whose pages are all listed above is dropped: {block}"
    );
    let others = group(block, "links-here");
    assert!(
        others.contains(">Other pages that link here</h3>"),
        "{others}"
    );
    assert_eq!(hrefs(others), ["/", "/notes/"]);
}

#[test]
fn groups_carry_the_relation_headings_in_both_directions() {
    let site = SiteTest::new("related").build();
    let alpha = site.page("/orgs/alpha/");
    let partners = group(related(&alpha), "related-partners");
    assert!(partners.contains(">Partners</h3>"), "{partners}");
    assert_eq!(hrefs(partners), ["/orgs/hub/", "/orgs/beta/"]);

    let beta = site.page("/orgs/beta/");
    let named_in = group(related(&beta), "named-in-partners");
    assert!(
        named_in.contains(">Named as a partner in</h3>"),
        "{named_in}"
    );
    assert_eq!(
        hrefs(named_in),
        ["/orgs/alpha/", "/orgs/hub/", "/programmes/fund/"]
    );

    let hub = site.page("/orgs/hub/");
    let programmes = group(related(&hub), "related-programmes");
    assert!(
        programmes.contains(">Programmes</h3>"),
        "a heading from the relation's name: {programmes}"
    );
    let plan = site.page("/programmes/plan/");
    let named_in = group(related(&plan), "named-in-programmes");
    assert!(
        named_in.contains(">Named in programmes by</h3>"),
        "a default reverse heading: {named_in}"
    );
}

#[test]
fn a_page_with_only_backlinks_heads_them_as_the_pages_that_link_here() {
    let site = SiteTest::new("related")
        .file("content/lonely.md", "---\ntitle: Lonely\n---\n\nAlone.\n")
        .file(
            "content/notes.md",
            "---\ntitle: Notes\n---\n\n[Lonely](lonely.md)\n",
        )
        .build();
    let lonely = site.page("/lonely/");
    let block = related(&lonely);
    assert!(block.contains(">Pages that link here</h3>"), "{block}");
    assert_eq!(hrefs(block), ["/notes/"]);
}

#[test]
fn a_page_with_no_relation_and_no_backlink_has_no_related_block() {
    let site = SiteTest::new("related").build();
    let notes = site.main("/notes/");
    assert!(notes.contains("Links out to"), "{notes}");
    for absent in ["class=\"related\"", "Related pages", "<h3", "relation-map"] {
        assert!(!notes.contains(absent), "{absent} in {notes}");
    }
}

/// Whether `url`'s related block draws a relation map.
fn has_map(site: &SiteTest, url: &str) -> bool {
    related(&site.page(url)).contains("<figure class=\"relation-map\">")
}

#[test]
fn one_relation_among_the_neighbours_draws_no_map() {
    let site = SiteTest::new("related").build();
    // Hub's partners alpha and beta are partners of each other; alpha's are hub and
    // beta, named by each other; beta is named by alpha and hub, who name each other:
    // one relation each, a star the lists already show. The fund names beta and
    // gamma, unrelated; plan and gamma have one neighbour.
    for url in [
        "/orgs/hub/",
        "/orgs/alpha/",
        "/orgs/beta/",
        "/programmes/fund/",
        "/programmes/plan/",
        "/orgs/gamma/",
    ] {
        assert!(!has_map(&site, url), "{url} draws a star");
    }
}

#[test]
fn neighbours_related_only_through_one_hub_draw_no_map() {
    // The survey's neighbours hub, beta and plan relate only through the hub.
    let site = SiteTest::new("related")
        .file(
            "content/programmes/survey.md",
            "---\ntitle: Survey\npartners: [hub, beta]\nprogrammes: [plan]\n---\n\nSurveys.\n",
        )
        .build()
        .expect_success();
    assert!(!has_map(&site, "/programmes/survey/"));
}

#[test]
fn two_independent_relations_among_the_neighbours_draw_a_map() {
    // The network's neighbours: alpha names beta, delta names gamma, no page in both.
    let site = SiteTest::new("related")
        .file(
            "content/orgs/delta.md",
            "---\ntitle: Delta\npartners: [gamma]\n---\n\nWorks with gamma.\n",
        )
        .file(
            "content/programmes/network.md",
            "---\ntitle: Network\npartners: [alpha, beta, gamma, delta]\n---\n\nJoins four.\n",
        )
        .build()
        .expect_success();
    let page = site.page("/programmes/network/");
    let block = related(&page);
    let map = &block[block
        .find("<figure class=\"relation-map\">")
        .expect("a map")..];
    assert!(map.contains("<svg"), "{map}");
    assert_eq!(
        map.matches("<g class=\"rm-edge rm-edge-focus\">").count(),
        4
    );
    for aside in ["Alpha — partners → Beta", "Delta — partners → Gamma"] {
        assert!(
            map.contains(&format!(
                "<g class=\"rm-edge rm-edge-aside\"><title>{aside}</title>"
            )),
            "no secondary edge {aside}: {map}"
        );
    }
}

#[test]
fn a_page_timeline_names_only_the_tellers_the_block_does_not_list() {
    let site = SiteTest::new("related").build();
    let hub = site.main("/orgs/hub/");
    assert!(hub.contains("The hub opens."), "{hub}");
    assert!(
        !hub.contains("class=\"event-source\""),
        "no link to itself: {hub}"
    );
    let beta = site.main("/orgs/beta/");
    assert!(
        beta.contains("The fund pays beta.") && !beta.contains("class=\"event-source\""),
        "the fund is listed in the block already: {beta}"
    );
    let gamma = site.main("/orgs/gamma/");
    assert!(
        gamma.contains("<a class=\"event-source\" href=\"/orgs/hub/\">Hub</a>"),
        "the hub is in no group of gamma's block: {gamma}"
    );
}
