//! Charts on a site that is not folio's own: a relation map, drawn by the site's own
//! home template, takes its groups from the site's sections, whatever they are
//! called, and the theme colours them.

use crate::harness::SiteTest;

/// The first `<svg …>…</svg>` of a folio-map in `html`.
fn map_of(html: &str) -> &str {
    let start = html.find("<svg ").expect("a chart");
    let map = &html[start..];
    assert!(map.contains("class=\"folio-chart folio-map\""), "{map}");
    &map[..map.find("</svg>").unwrap()]
}

/// The class and the outline element of the node linking to `href`.
fn node<'a>(map: &'a str, href: &str) -> (&'a str, &'a str) {
    let start = map
        .find(&format!("<a href=\"{href}\" class=\""))
        .unwrap_or_else(|| panic!("no node for {href}"));
    let node = &map[start..];
    let class = &node[node.find("class=\"").unwrap() + 7..];
    let class = &class[..class.find('"').unwrap()];
    let shape = &node[node.find("</title>").unwrap() + 8..];
    let shape = &shape[1..shape.find(' ').unwrap()];
    (class, shape)
}

/// The text of every `<text>` in `svg`.
fn texts(svg: &str) -> Vec<&str> {
    svg.split("<text ")
        .skip(1)
        .map(|t| &t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()])
        .collect()
}

#[test]
fn each_section_of_another_site_gets_its_own_slot_shape_and_name() {
    let site = SiteTest::new("three_sections").build().expect_success();
    let home = site.main("/");
    let map = map_of(&home);
    let people = node(map, "/people/ada/");
    let places = node(map, "/places/london/");
    let events = node(map, "/events/analytical-engine-notes/");
    // Slots follow the sections' order in the navigation: people, places, events.
    assert_eq!(people.0, "rm-node rm-s0");
    assert_eq!(node(map, "/people/babbage/").0, "rm-node rm-s0");
    assert_eq!(places.0, "rm-node rm-s1");
    assert_eq!(events.0, "rm-node rm-s2");
    assert_ne!(people.1, events.1, "{people:?} {events:?}");
    let legend = &map[map.find("<g class=\"rm-legend\"").expect("a legend")..];
    assert_eq!(texts(legend), ["People", "Places", "Events"]);
    // A long title is shown whole, over several lines.
    let start = map.find("<a href=\"/events/").unwrap();
    let event = &map[start..start + map[start..].find("</a>").unwrap()];
    assert_eq!(
        texts(event).join(" "),
        "Notes on the Analytical Engine, published with a translator&#39;s commentary"
    );
    assert!(texts(event).len() > 1);
    assert!(!map.contains('…'));
}

#[test]
fn the_theme_styles_every_slot_a_site_uses_in_both_themes() {
    let site = SiteTest::new("three_sections").build().expect_success();
    let css = std::fs::read_to_string(site.output_path("/theme/charts.css")).unwrap();
    let block = |selector: &str| {
        let start = css.find(&format!("{selector} {{")).expect(selector);
        css[start..start + css[start..].find('}').unwrap()].to_string()
    };
    let palettes = [
        block("\n.folio-chart"),
        block("html:not([data-theme=\"light\"]) .folio-chart"),
        block("html[data-theme=\"dark\"] .folio-chart"),
    ];
    assert_ne!(palettes[0], palettes[2], "the dark palette differs");
    for slot in 0..3 {
        for palette in &palettes {
            for part in ["fill", "line"] {
                assert!(
                    palette.contains(&format!("--chart-s{slot}-{part}: #")),
                    "{palette}"
                );
            }
        }
        assert!(css.contains(&format!(
            ".rm-s{slot} > :not(title):not(text) {{ fill: var(--chart-s{slot}-fill); \
             stroke: var(--chart-s{slot}-line); }}"
        )));
    }
}
