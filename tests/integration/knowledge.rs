//! Knowledge-base features: relations and their reverse, backlinks, the timeline,
//! glossary terms, wiki links and the site-wide checks.

use crate::harness::SiteTest;
use folio::diag::Kind;

fn section<'h>(html: &'h str, id: &str) -> &'h str {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no element #{id}"));
    let end = html[start..]
        .find("</section>")
        .map_or(html.len(), |e| start + e);
    &html[start..end]
}

/// One group of a page's related block: its heading and its list.
fn group<'h>(html: &'h str, id: &str) -> &'h str {
    let start = html
        .find(&format!("<h3 id=\"{id}\">"))
        .unwrap_or_else(|| panic!("no group #{id}"));
    let end = start + html[start..].find("</ul>").expect("a closed list");
    &html[start..end]
}

#[test]
fn relations_resolve_by_id_or_title_and_render_as_links() {
    let site = SiteTest::new("knowledge_base").build().expect_success();
    let html = site.page("/areas/one/");
    let partners = group(&html, "related-partners");
    assert!(partners.contains(">Partners</h3>"), "{partners}");
    assert!(
        partners
            .contains("<a href=\"/organisations/iaea/\">International Atomic Energy Agency</a>"),
        "{partners}"
    );
    assert!(
        partners.contains("<a href=\"/organisations/ghana/\">Ghana</a>"),
        "by title: {partners}"
    );
    let programmes = group(&html, "related-programmes");
    assert!(
        programmes.contains(">Programmes</h3>") && programmes.contains("/programmes/ippas/"),
        "{programmes}"
    );
}

#[test]
fn targets_list_the_pages_that_name_them_grouped_by_relation() {
    let site = SiteTest::new("knowledge_base").build();
    let html = site.page("/organisations/iaea/");
    let reverse = group(&html, "named-in-partners");
    assert!(reverse.contains(">Named as a partner in</h3>"), "{reverse}");
    assert!(
        reverse.contains("href=\"/areas/one/\"") && reverse.contains("href=\"/areas/three/\""),
        "{reverse}"
    );
    let ippas = site.page("/programmes/ippas/");
    assert!(
        group(&ippas, "named-in-programmes").contains(">Named in programmes by</h3>"),
        "a default reverse title"
    );
}

#[test]
fn backlinks_come_from_body_links_wiki_links_and_relations() {
    let html = SiteTest::new("knowledge_base")
        .build()
        .page("/organisations/iaea/");
    let related = section(&html, "related-title");
    for (from, how) in [
        ("/areas/one/", "a body link"),
        ("/areas/two/", "a wiki link"),
        ("/areas/three/", "a relation"),
        ("/programmes/ippas/", "a wiki link"),
    ] {
        assert_eq!(
            related.matches(&format!("href=\"{from}\"")).count(),
            1,
            "{how} from {from} is not listed once: {related}"
        );
    }
    let others = group(&html, "links-here");
    assert!(
        others.contains("href=\"/areas/two/\"") && !others.contains("href=\"/areas/one/\""),
        "a page that names the IAEA is listed with its relation, not again: {others}"
    );
}

#[test]
fn a_relation_to_no_page_is_located_with_a_suggestion() {
    let site = SiteTest::new("knowledge_base");
    let page = site.root.join("content/areas/three.md");
    std::fs::write(
        &page,
        "---\ntitle: Area three\npartners: [iaea, ghanna]\n---\n",
    )
    .unwrap();
    let site = site
        .build()
        .expect_error("content/areas/three.md:3:18", Kind::UnknownRelationTarget);
    assert_eq!(
        site.errors().iter().next().unwrap().help.as_deref(),
        Some("did you mean `ghana`?")
    );
}

#[test]
fn a_relation_only_reaches_its_declared_folders() {
    SiteTest::new("knowledge_base")
        .file(
            "content/areas/four.md",
            "---\ntitle: Four\npartners: [ippas]\n---\n",
        )
        .build()
        .expect_error("content/areas/four.md:3:12", Kind::UnknownRelationTarget);
}

#[test]
fn wiki_links_resolve_by_name_with_a_label() {
    SiteTest::new("knowledge_base")
        .build()
        .expect_page_contains(
            "/areas/two/",
            "<a href=\"/organisations/iaea/\">the Agency</a>",
        )
        .expect_page_contains("/areas/two/", "<a href=\"/programmes/ippas/\">ippas</a>");
}

#[test]
fn an_ambiguous_or_unknown_wiki_link_is_an_error() {
    let site = SiteTest::new("knowledge_base")
        .file("content/areas/ghana.md", "---\ntitle: Ghana area\n---\n")
        .file(
            "content/areas/five.md",
            "---\ntitle: Five\n---\n\nSee [[ghana]] and [[Nowhere]].\n",
        )
        .build()
        .expect_error("content/areas/five.md:5:5", Kind::BrokenLink)
        .expect_error("content/areas/five.md:5:19", Kind::BrokenLink);
    let messages: Vec<&str> = site.errors().iter().map(|d| d.message.as_str()).collect();
    assert!(messages[0].ends_with("`ghana` is ambiguous: it names content/areas/ghana.md and content/organisations/ghana.md"), "{messages:?}");
    assert!(
        messages[1].ends_with("no page is called `Nowhere`"),
        "{messages:?}"
    );
}

#[test]
fn the_timeline_orders_mixed_precisions_and_shows_each_at_its_own() {
    let site = SiteTest::new("knowledge_base").build();
    let main = site.main("/timeline/");
    let html = &main[main
        .find("<ol class=\"timeline\">")
        .expect("the event list")..];
    let order = ["A range.", "Year-only event.", "Month event.", "Day event."];
    let positions: Vec<usize> = order
        .iter()
        .map(|t| html.find(t).unwrap_or_else(|| panic!("{t} missing")))
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{html}");
    for time in [
        "<time datetime=\"2016\">2016</time>",
        "<time datetime=\"2016-03\">March 2016</time>",
        "<time datetime=\"2016-03-31\">31 March 2016</time>",
        "<time datetime=\"2015-12-01\">1 December 2015</time>–<time datetime=\"2016-01\">January 2016</time>",
    ] {
        assert!(html.contains(time), "{time} missing from {html}");
    }
    assert!(
        html.contains("<a class=\"event-source\" href=\"/areas/one/\">Area one</a>"),
        "each event links to its page"
    );
}

#[test]
fn each_page_shows_the_events_that_name_it() {
    let site = SiteTest::new("knowledge_base").build();
    let iaea = site.page("/organisations/iaea/");
    let timeline = section(&iaea, "page-timeline-title");
    assert!(
        timeline.contains("Day event.") && !timeline.contains("Year-only event."),
        "{timeline}"
    );
    let ghana = site.page("/organisations/ghana/");
    assert!(section(&ghana, "page-timeline-title").contains("Year-only event."));
}

#[test]
fn glossary_terms_link_on_first_use_outside_headings_code_and_links() {
    let site = SiteTest::new("knowledge_base").build();
    let main = site.main("/areas/one/");
    let term = "<a class=\"term\" href=\"/organisations/iaea/\"><abbr title=\"International Atomic Energy Agency\">IAEA</abbr></a>";
    assert_eq!(main.matches(term).count(), 1, "{main}");
    assert!(
        main.contains(&format!(
            "First plain {term} links, a\nsecond IAEA does not."
        )),
        "{main}"
    );
    assert!(main.contains("The IAEA in headings stays plain"), "{main}");
    assert!(main.contains("<code>IAEA</code>"), "{main}");
    assert!(main.contains(">the IAEA in a link</a>"), "{main}");
    assert!(main.contains("<a class=\"term\" href=\"/glossary/#term-heu\"><abbr title=\"highly enriched uranium\">HEU</abbr></a>"), "{main}");
    site.expect_page_lacks("/organisations/iaea/", "class=\"term\"");
}

#[test]
fn the_glossary_page_lists_every_term() {
    let main = SiteTest::new("knowledge_base").build().main("/glossary/");
    for (id, term, url) in [
        ("term-heu", "HEU", "/glossary/#term-heu"),
        ("term-iaea", "IAEA", "/organisations/iaea/"),
        ("term-ippas", "IPPAS", "/programmes/ippas/"),
    ] {
        assert!(
            main.contains(&format!(
                "<dt id=\"{id}\"><a href=\"{url}\">{term}</a></dt>"
            )),
            "{term} missing: {main}"
        );
    }
}

#[test]
fn a_term_defined_twice_is_an_error() {
    SiteTest::new("knowledge_base")
        .file(
            "content/organisations/other.md",
            "---\ntitle: Other\nacronym: IAEA\n---\n",
        )
        .build()
        .expect_error("content/organisations/other.md:3:10", Kind::DuplicateTerm);
}

#[test]
fn figures_are_listed_on_their_page_and_across_the_site() {
    let site = SiteTest::new("knowledge_base")
        .build()
        .expect_page_contains("/areas/one/", "<td>Experts sent</td><td>200 experts</td>");
    let home = site.main("/");
    assert!(
        home.contains("Experts sent") && home.contains("href=\"/areas/one/\""),
        "{home}"
    );
}

#[test]
fn check_reports_orphans_and_shared_names() {
    SiteTest::new("knowledge_base")
        .file(
            "content/areas/lonely.md",
            "---\ntitle: Ghana\n---\n\nNobody links here.\n",
        )
        .check()
        .expect_warning("content/areas/lonely.md", Kind::Orphan)
        .expect_warning("content/areas/lonely.md", Kind::SharedName);
}

#[test]
fn events_without_a_date_are_reported() {
    SiteTest::new("knowledge_base")
        .file(
            "content/areas/six.md",
            "---\ntitle: Six\nevents:\n  - summary: When?\n---\n",
        )
        .build()
        .expect_warning("content/areas/six.md:4:5", Kind::UndatedEvent);
}

#[test]
fn an_event_links_the_timeline_to_its_passage() {
    SiteTest::new("knowledge_base")
        .file(
            "content/areas/six.md",
            "---\ntitle: Six\nevents:\n  - date: 2016\n    summary: Opened.\n    anchor: opening\n---\n\n## Opening {#opening}\n\nIt opened.\n",
        )
        .build()
        .expect_page_contains("/timeline/", "class=\"event-source\" href=\"/areas/six/#opening\"");
}

#[test]
fn an_event_anchor_that_is_no_heading_is_an_error() {
    SiteTest::new("knowledge_base")
        .file(
            "content/areas/six.md",
            "---\ntitle: Six\nevents:\n  - date: 2016\n    summary: Opened.\n    anchor: openin\n---\n\n## Opening {#opening}\n",
        )
        .build()
        .expect_error("content/areas/six.md:6:13", Kind::BrokenAnchor)
        .expect_help("did you mean `opening`?");
}

#[test]
fn the_timeline_and_relations_are_drawn_as_accessible_svg() {
    let site = SiteTest::new("knowledge_base").build();
    let timeline = site.main("/timeline/");
    let chart = &timeline
        [timeline.find("<svg").expect("a timeline chart")..timeline.find("</svg>").unwrap()];
    assert!(
        chart.contains("role=\"group\" aria-labelledby=") && chart.contains("<title"),
        "{chart}"
    );
    for event in 1..=4 {
        assert_eq!(
            chart.matches(&format!("href=\"#event-{event}\"")).count(),
            1,
            "event {event} in {chart}"
        );
        assert!(
            timeline.contains(&format!("<li id=\"event-{event}\"")),
            "the mark's target exists"
        );
    }
    let iaea = site.page("/organisations/iaea/");
    assert!(
        !iaea.contains("relation-map"),
        "areas one and three name the IAEA but not each other: a star, already a list"
    );
    assert!(
        !site.main("/").contains("folio-map"),
        "the home page draws no whole-site map"
    );
}
