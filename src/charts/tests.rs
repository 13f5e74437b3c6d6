//! Tests of both charts through the public functions, reading the SVG back with a
//! few string helpers (the output is regular enough not to need an XML parser).

use std::time::{Duration, Instant};

use super::*;

fn event(start: (i32, u8, u8), end: Option<(i32, u8, u8)>, n: usize) -> TimelineEvent {
    TimelineEvent {
        start,
        end,
        label: format!("Event {n}"),
        summary: format!("Summary {n}"),
        href: format!("/timeline/#event-{n}"),
    }
}

/// Groups of a made-up site, in its navigation order: their places are their slots.
const GROUPS: [&str; 4] = ["people", "places", "events", "topics"];

/// A node of `group`, in the group's slot when it is one of [`GROUPS`].
fn node(id: &str, group: &str) -> GraphNode {
    GraphNode {
        id: id.to_string(),
        label: format!("Label {id}"),
        href: format!("/{group}/{id}/"),
        group: group.to_string(),
        slot: GROUPS.iter().position(|g| *g == group),
    }
}

fn edge(from: &str, to: &str, label: &str) -> GraphEdge {
    GraphEdge {
        from: from.to_string(),
        to: to.to_string(),
        label: label.to_string(),
    }
}

/// The content of every `<text>` element in `svg`, in order.
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text ")
        .skip(1)
        .map(|t| t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()].to_string())
        .collect()
}

/// The value of attribute `name` in the first tag of `text`.
fn attr<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    let tag_end = text.find('>')?;
    let tag = &text[..tag_end];
    let needle = format!(" {name}=\"");
    let start = tag.find(&needle)? + needle.len();
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}

/// Every `<a …>…</a>` element, whole.
fn links(svg: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = svg;
    while let Some(start) = rest.find("<a ") {
        let end = rest[start..].find("</a>").expect("unclosed <a>") + start + 4;
        found.push(&rest[start..end]);
        rest = &rest[end..];
    }
    found
}

/// The link to `href`, which must occur exactly once.
fn link_to<'a>(svg: &'a str, href: &str) -> &'a str {
    let matching: Vec<&str> = links(svg)
        .into_iter()
        .filter(|a| attr(a, "href") == Some(href))
        .collect();
    assert_eq!(matching.len(), 1, "links to {href}");
    matching[0]
}

/// The first number of attribute `name` on the element `tag` inside `text`.
fn number(text: &str, tag: &str, name: &str) -> f64 {
    let at = text
        .find(&format!("<{tag} "))
        .unwrap_or_else(|| panic!("no <{tag}> in {text}"));
    attr(&text[at..], name)
        .unwrap_or_else(|| panic!("no {name} on <{tag}>"))
        .parse()
        .expect("a number")
}

/// The position of a timeline mark: the centre of a dot, or the start of a bar.
fn mark_position(link: &str) -> (f64, f64) {
    if link.contains("<circle ") {
        (number(link, "circle", "cx"), number(link, "circle", "cy"))
    } else {
        (number(link, "rect", "x"), number(link, "rect", "y"))
    }
}

/// Checks that tags nest and every `&` starts an entity: enough to know a browser's
/// XML-ish SVG parsing sees what we meant.
fn assert_well_formed(svg: &str) {
    let mut stack: Vec<&str> = Vec::new();
    let mut rest = svg;
    while let Some(open) = rest.find('<') {
        let text = &rest[..open];
        for (i, _) in text.match_indices('&') {
            let entity = &text[i..];
            assert!(
                ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"]
                    .iter()
                    .any(|e| entity.starts_with(e)),
                "bare & in {text:?}"
            );
        }
        let close = rest[open..].find('>').expect("unclosed tag") + open;
        let tag = &rest[open + 1..close];
        assert!(!tag.contains('<'), "'<' inside tag {tag:?}");
        assert_eq!(
            tag.matches('"').count() % 2,
            0,
            "unbalanced quotes in {tag:?}"
        );
        let name = tag
            .trim_start_matches('/')
            .split([' ', '/'])
            .next()
            .unwrap_or("");
        if tag.starts_with('/') {
            assert_eq!(stack.pop(), Some(name), "closing {name}");
        } else if !tag.ends_with('/') {
            stack.push(name);
        }
        rest = &rest[close + 1..];
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
}

/// Role, and `aria-labelledby` naming the chart's own `<title>` and `<desc>`.
fn assert_accessible(svg: &str) {
    assert!(svg.starts_with("<svg "));
    // A group, not an image: an image's content (the linked marks) is hidden from
    // assistive technology.
    assert_eq!(attr(svg, "role"), Some("group"));
    assert!(attr(svg, "viewBox").is_some());
    let labelled_by: Vec<&str> = attr(svg, "aria-labelledby").unwrap().split(' ').collect();
    assert_eq!(labelled_by.len(), 2);
    assert!(svg.contains(&format!("<title id=\"{}\">", labelled_by[0])));
    assert!(svg.contains(&format!("<desc id=\"{}\">", labelled_by[1])));
    assert!(!svg.contains("<script"), "no script");
    assert!(!svg.contains("style="), "no style attributes");
    assert!(!svg.contains("xlink"), "SVG 2 href only");
}

// Timeline

/// The SVG of a relation map.
fn map_svg(nodes: &[GraphNode], edges: &[GraphEdge], title: &str, focus: Option<&str>) -> String {
    relation_map_svg(nodes, edges, title, focus).svg
}

#[test]
fn a_chart_knows_whether_it_fits_the_reading_width() {
    let small = relation_map_svg(
        &[node("a", "people"), node("b", "places")],
        &[edge("a", "b", "x")],
        "Small",
        None,
    );
    assert!(small.fits_reading_width(), "{:?}", small.size);
    // A tree three levels deep and four wide is wide whichever way it is laid out.
    let nodes: Vec<GraphNode> = (0..40).map(|i| node(&format!("n{i}"), "people")).collect();
    let edges: Vec<GraphEdge> = (1..40)
        .map(|i| edge(&format!("n{}", (i - 1) / 4), &format!("n{i}"), "a relation"))
        .collect();
    let wide = relation_map_svg(&nodes, &edges, "Wide", Some("n0"));
    assert!(!wide.fits_reading_width(), "{:?}", wide.size);
}
#[test]
fn timeline_links_each_event_once_with_its_title() {
    let events: Vec<TimelineEvent> = (0..4)
        .map(|n| event((2010 + n as i32, 0, 0), None, n))
        .collect();
    let svg = timeline_svg(&events, "History");
    assert_eq!(links(&svg).len(), 4);
    for n in 0..4 {
        let link = link_to(&svg, &format!("/timeline/#event-{n}"));
        assert!(link.contains(&format!("<title>Event {n}: Summary {n}</title>")));
    }
    assert_well_formed(&svg);
    assert_accessible(&svg);
    assert!(svg.contains("<title id=\"tl-") && svg.contains(">History</title>"));
}

#[test]
fn timeline_marks_follow_the_dates() {
    // Given out of order; months and days move marks within a year.
    let dates = [
        (2015, 6, 1),
        (2012, 0, 0),
        (2015, 1, 0),
        (2015, 12, 31),
        (2013, 3, 15),
        (2012, 11, 0),
    ];
    let events: Vec<TimelineEvent> = dates
        .iter()
        .enumerate()
        .map(|(n, d)| event(*d, None, n))
        .collect();
    let svg = timeline_svg(&events, "Order");
    let mut by_date: Vec<(usize, (i32, u8, u8))> = dates.iter().copied().enumerate().collect();
    by_date.sort_by_key(|(_, d)| *d);
    let xs: Vec<f64> = by_date
        .iter()
        .map(|(n, _)| mark_position(link_to(&svg, &format!("/timeline/#event-{n}"))).0)
        .collect();
    for pair in xs.windows(2) {
        assert!(pair[0] < pair[1], "x not increasing with the date: {xs:?}");
    }
}

#[test]
fn timeline_events_on_one_date_get_their_own_places() {
    let events: Vec<TimelineEvent> = (0..3).map(|n| event((2016, 3, 0), None, n)).collect();
    let svg = timeline_svg(&events, "Same day");
    let positions: Vec<(f64, f64)> = links(&svg).iter().map(|a| mark_position(a)).collect();
    assert_eq!(positions.len(), 3);
    assert!(
        positions.iter().all(|p| p.0 == positions[0].0),
        "same date, same x"
    );
    for i in 0..3 {
        for j in i + 1..3 {
            assert_ne!(positions[i], positions[j]);
            // Far enough apart that the dots don't overlap.
            assert!((positions[i].1 - positions[j].1).abs() >= 10.0);
        }
    }
}

#[test]
fn timeline_ranges_are_bars_spanning_their_years() {
    let events = vec![
        event((2010, 0, 0), Some((2012, 0, 0)), 0),
        event((2011, 0, 0), None, 1),
        event((2019, 0, 0), None, 2),
    ];
    let svg = timeline_svg(&events, "Ranges");
    let bar = link_to(&svg, "/timeline/#event-0");
    assert_eq!(attr(bar, "class"), Some("tl-event tl-range"));
    assert!(bar.contains("<rect ") && !bar.contains("<circle"));
    let dot = link_to(&svg, "/timeline/#event-1");
    assert!(dot.contains("<circle ") && !dot.contains("<rect"));

    // 2010–2012 covers three of the ten years on the axis (2010 to the end of 2019).
    let width = number(bar, "rect", "width");
    let axis_width = svg::READING_WIDTH - 2.0 * 16.0;
    assert!((width - axis_width * 0.3).abs() < 1.0, "bar width {width}");
    // The dot for 2011 (mid-year) lies inside the bar's span, in another lane.
    let x0 = number(bar, "rect", "x");
    let (x, _) = mark_position(dot);
    assert!(x > x0 && x < x0 + width);
    assert_ne!(number(bar, "rect", "y") + 5.0, mark_position(dot).1);
}

#[test]
fn timeline_axis_labels_cover_first_to_last_year_without_overlap() {
    let events = vec![
        event((2003, 5, 0), None, 0),
        event((2011, 0, 0), Some((2011, 6, 0)), 1),
    ];
    let svg = timeline_svg(&events, "Axis");
    for year in 2003..=2011 {
        assert!(svg.contains(&format!(">{year}</text>")), "label {year}");
    }
    assert!(!svg.contains(">2002</text>") && !svg.contains(">2012</text>"));

    // A long span is labelled every few years, the labels spaced wider than they are.
    let events = vec![event((1850, 0, 0), None, 0), event((2020, 0, 0), None, 1)];
    let svg = timeline_svg(&events, "Long");
    let labels: Vec<(f64, i64)> = svg
        .match_indices("<text ")
        .map(|(i, _)| {
            let text = &svg[i..];
            let year = text[text.find('>').unwrap() + 1..text.find("</text>").unwrap()]
                .parse()
                .unwrap();
            (attr(text, "x").unwrap().parse().unwrap(), year)
        })
        .collect();
    assert!(labels.len() >= 4 && labels.len() <= 20, "{labels:?}");
    assert!(labels[0].1 <= 1850);
    let step = labels[1].1 - labels[0].1;
    assert!(step > 1);
    assert!(labels.last().unwrap().1 + step > 2020);
    for pair in labels.windows(2) {
        assert!(
            pair[1].0 - pair[0].0 > 4.0 * 12.0 * 0.6,
            "overlap: {pair:?}"
        );
    }
}

#[test]
fn timeline_escapes_text() {
    let mut e = event((2020, 1, 1), None, 0);
    e.summary = "<script>alert('x')</script> & \"more\"".to_string();
    e.href = "/a?b=1&c=\"2\"".to_string();
    let svg = timeline_svg(&[e], "Tom & Jerry <3");
    assert!(!svg.contains("<script>"));
    assert!(svg.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;more&quot;"));
    assert!(svg.contains("href=\"/a?b=1&amp;c=&quot;2&quot;\""));
    assert!(svg.contains(">Tom &amp; Jerry &lt;3</title>"));
    assert_well_formed(&svg);
}

#[test]
fn timeline_is_deterministic_and_ids_differ_per_chart() {
    let events: Vec<TimelineEvent> = (0..20)
        .map(|n| event((2000 + (n as i32 * 7) % 13, (n % 13) as u8, 0), None, n))
        .collect();
    let a = timeline_svg(&events, "One");
    assert_eq!(a, timeline_svg(&events, "One"));
    let b = timeline_svg(&events, "Two");
    assert_ne!(attr(&a, "aria-labelledby"), attr(&b, "aria-labelledby"));
}

#[test]
fn timeline_survives_odd_input() {
    assert_eq!(timeline_svg(&[], "Nothing"), "");
    let huge = "x".repeat(10_000);
    let events = vec![
        TimelineEvent::default(),
        event((i32::MIN, 255, 255), Some((i32::MAX, 0, 0)), 1),
        event((2000, 13, 40), Some((1990, 2, 30)), 2),
        TimelineEvent {
            label: huge.clone(),
            summary: "\u{0}\u{7}ctl".to_string(),
            href: "javascript:alert(1)".to_string(),
            ..event((2000, 2, 29), None, 3)
        },
    ];
    let svg = timeline_svg(&events, "");
    assert_well_formed(&svg);
    assert_accessible(&svg);
    assert!(svg.contains(">Timeline</title>"));
    assert!(!svg.contains("javascript:"), "unsafe link dropped");
    assert!(svg.contains(&format!("<title>{huge}: ctl</title>")));
    assert!(!svg.contains("NaN") && !svg.contains("inf"));
}

// Relation map

fn sample_graph() -> (Vec<GraphNode>, Vec<GraphEdge>) {
    let nodes = vec![
        node("unesco", "people"),
        node("water", "topics"),
        node("kenya", "places"),
        node("wash", "events"),
        node("alone", "people"),
    ];
    let edges = vec![
        edge("unesco", "water", "works on"),
        edge("unesco", "kenya", "active in"),
        edge("wash", "kenya", "runs in"),
        edge("unesco", "wash", "funds"),
        edge("unesco", "wash", "funds"),
        edge("wash", "unesco", "reports to"),
        edge("unesco", "nowhere", "partners"),
        edge("ghost", "water", "partners"),
        edge("water", "water", "includes"),
    ];
    (nodes, edges)
}

#[test]
fn map_links_every_node_once() {
    let (nodes, edges) = sample_graph();
    let svg = map_svg(&nodes, &edges, "Relations", None);
    assert_eq!(links(&svg).len(), nodes.len());
    for n in &nodes {
        let link = link_to(&svg, &n.href);
        assert!(link.contains(&format!("<title>{}</title>", n.label)));
        assert!(link.contains(&format!(">{}</text>", n.label)));
    }
    assert_well_formed(&svg);
    assert_accessible(&svg);
}

#[test]
fn map_draws_edges_between_known_nodes_only() {
    let (nodes, edges) = sample_graph();
    let svg = map_svg(&nodes, &edges, "Relations", None);
    // Four pairs: unesco–water, unesco–kenya, wash–kenya and unesco–wash, whose
    // duplicate "funds" is drawn once and which also carries "reports to".
    assert_eq!(svg.matches("<g class=\"rm-edge\">").count(), 4);
    assert!(svg.contains("<title>Label unesco — works on → Label water</title>"));
    assert!(svg.contains(
        "<title>Label unesco — funds → Label wash; Label wash — reports to → Label unesco</title>"
    ));
    assert_eq!(svg.matches("— funds →").count(), 1);
    assert!(!svg.contains("nowhere") && !svg.contains("ghost") && !svg.contains("includes"));
    // Every curve has an arrowhead, and the two-way pair one at each end.
    let marker = format!(
        "url(#{}-arrow)",
        attr(&svg, "aria-labelledby")
            .unwrap()
            .split('-')
            .take(2)
            .collect::<Vec<_>>()
            .join("-")
    );
    assert!(svg.contains(&format!("<marker id=\"{}\"", &marker[5..marker.len() - 1])));
    assert_eq!(
        svg.matches(&format!("marker-end=\"{marker}\"")).count()
            + svg.matches(&format!("marker-start=\"{marker}\"")).count(),
        5
    );
}

#[test]
fn map_emphasises_the_focus_node() {
    let (nodes, edges) = sample_graph();
    let svg = map_svg(&nodes, &edges, "Relations", Some("kenya"));
    assert_eq!(svg.matches("rm-focus").count(), 1);
    assert!(link_to(&svg, "/places/kenya/").contains("class=\"rm-node rm-s1 rm-focus\""));
    // The focus node's curves are emphasised too; the others are secondary.
    assert_eq!(svg.matches("rm-edge rm-edge-focus").count(), 2);
    assert_eq!(
        svg.matches("<g class=\"rm-edge rm-edge-aside\">").count(),
        2
    );
    let none = map_svg(&nodes, &edges, "Relations", None);
    assert!(!none.contains("rm-focus") && !none.contains("rm-edge-aside"));
    let unknown = map_svg(&nodes, &edges, "Relations", Some("atlantis"));
    assert!(!unknown.contains("rm-focus") && !unknown.contains("rm-edge-aside"));
}

#[test]
fn map_handles_empty_single_and_disconnected_input() {
    assert_eq!(map_svg(&[], &[edge("a", "b", "x")], "Empty", None), "");

    let one = map_svg(&[node("a", "people")], &[], "One", Some("a"));
    assert_eq!(links(&one).len(), 1);
    // A duplicate id is one node, whichever copy comes first.
    let twin = GraphNode {
        label: "Other".to_string(),
        ..node("a", "people")
    };
    let twice = map_svg(&[node("a", "people"), twin.clone()], &[], "One", Some("a"));
    assert_eq!(links(&twice).len(), 1);
    assert_eq!(
        twice,
        map_svg(&[twin, node("a", "people")], &[], "One", Some("a"))
    );
    assert_well_formed(&one);
    assert_accessible(&one);

    // Nodes without relations are set in rows under the laid-out part, inside the
    // drawing and not on top of each other.
    let mut nodes: Vec<GraphNode> = (0..12)
        .map(|i| node(&format!("n{i:02}"), "things"))
        .collect();
    nodes.push(node("hub", "people"));
    let edges = vec![edge("hub", "n00", "has"), edge("hub", "n01", "has")];
    let svg = map_svg(&nodes, &edges, "Sparse", None);
    assert_eq!(links(&svg).len(), 13);
    let view: Vec<f64> = attr(&svg, "viewBox")
        .unwrap()
        .split(' ')
        .map(|v| v.parse().unwrap())
        .collect();
    let mut boxes = Vec::new();
    for link in links(&svg) {
        let (x, y) = (number(link, "rect", "x"), number(link, "rect", "y"));
        let (w, h) = (
            number(link, "rect", "width"),
            number(link, "rect", "height"),
        );
        assert!(
            x >= 0.0 && y >= 0.0 && x + w <= view[2] && y + h <= view[3],
            "{link}"
        );
        boxes.push((x, y, w, h));
    }
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            let apart =
                a.0 + a.2 <= b.0 || b.0 + b.2 <= a.0 || a.1 + a.3 <= b.1 || b.1 + b.3 <= a.1;
            assert!(apart, "boxes overlap: {a:?} {b:?}");
        }
    }
}

#[test]
fn map_is_deterministic_whatever_the_input_order() {
    let (mut nodes, mut edges) = sample_graph();
    let a = map_svg(&nodes, &edges, "Relations", Some("wash"));
    assert_eq!(a, map_svg(&nodes, &edges, "Relations", Some("wash")));
    nodes.reverse();
    edges.reverse();
    assert_eq!(a, map_svg(&nodes, &edges, "Relations", Some("wash")));
    let other = map_svg(&nodes, &edges, "Other", Some("wash"));
    assert_ne!(attr(&a, "aria-labelledby"), attr(&other, "aria-labelledby"));
}

#[test]
fn map_escapes_and_wraps_labels() {
    let long = "A very long organisation name that goes on & on <forever>";
    let nodes = vec![
        GraphNode {
            id: "x\"y".to_string(),
            label: long.to_string(),
            href: "/o/x/".to_string(),
            group: "Bodies <b>".to_string(),
            slot: Some(9),
        },
        GraphNode {
            id: "z".to_string(),
            label: String::new(),
            href: "javascript:void(0)".to_string(),
            group: String::new(),
            slot: None,
        },
        node("w", "people"),
    ];
    let edges = vec![edge("x\"y", "z", "it's <b>")];
    let svg = map_svg(&nodes, &edges, "Names", None);
    assert_well_formed(&svg);
    assert!(!svg.contains("<forever>") && !svg.contains("<b>"));
    let link = link_to(&svg, "/o/x/");
    assert!(link.contains(
        "<title>A very long organisation name that goes on &amp; on &lt;forever&gt;</title>"
    ));
    // Shown whole, on lines of at most 24 characters; slot 9 is slot 3.
    assert_eq!(
        texts(link),
        [
            "A very long organisation",
            "name that goes on &amp; on",
            "&lt;forever&gt;"
        ]
        .map(String::from)
    );
    assert_eq!(attr(link, "class"), Some("rm-node rm-s3"));
    // An empty label shows the id; an unsafe link keeps its node but loses the link;
    // a node of no group has no slot.
    assert!(!svg.contains("javascript"));
    assert!(svg.contains("<g class=\"rm-node\"><title>z</title>"));
    assert!(svg.contains("it&#39;s &lt;b&gt;"));
    // The legend names the two named groups, escaped.
    let legend = &svg[svg.find("<g class=\"rm-legend\"").expect("a legend")..];
    assert_eq!(
        texts(legend),
        ["people", "Bodies &lt;b&gt;"].map(String::from)
    );
}

#[test]
fn map_of_100_nodes_and_300_edges_is_quick() {
    let nodes: Vec<GraphNode> = (0..100)
        .map(|i| node(&format!("n{i}"), GROUPS[i % GROUPS.len()]))
        .collect();
    // A fixed pseudo-random graph (a linear congruential sequence).
    let mut seed: u64 = 42;
    let mut next = |n: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    let edges: Vec<GraphEdge> = (0..300)
        .map(|_| {
            edge(
                &format!("n{}", next(100)),
                &format!("n{}", next(100)),
                "partners",
            )
        })
        .collect();
    let started = Instant::now();
    let svg = map_svg(&nodes, &edges, "Big", Some("n7"));
    let elapsed = started.elapsed();
    assert_eq!(links(&svg).len(), 100);
    assert_well_formed(&svg);
    // Generous for an unoptimised build on a busy machine; release is far faster.
    assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");
}

/// Writes one example of each chart, with the stylesheet, into the temporary folder
/// for a person to look at:
/// `cargo test --lib charts::tests::write_examples -- --ignored`.
#[test]
#[ignore]
fn write_examples() {
    let timeline = timeline_svg(&example_events(), "Project history");
    let (nodes, edges) = example_graph();
    let map = map_svg(
        &nodes,
        &edges,
        "Water Without Frontiers and its relations",
        Some("wwf"),
    );
    let folder = std::env::temp_dir();
    std::fs::write(folder.join("charts-example-timeline.svg"), &timeline).unwrap();
    std::fs::write(folder.join("charts-example-map.svg"), &map).unwrap();
    let page = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>charts</title>\
         <style>body{{font-family:sans-serif;max-width:48rem;margin:2rem auto}}\
         @media (prefers-color-scheme: dark){{body{{background:#0d1117;color:#e6edf3}}}}\
         {CHART_CSS}</style></head><body>\
         <h2>Timeline</h2>{timeline}<h2>Relation map</h2>{map}</body></html>"
    );
    std::fs::write(folder.join("charts-example.html"), page).unwrap();
}

fn example_events() -> Vec<TimelineEvent> {
    vec![
        TimelineEvent {
            start: (2014, 0, 0),
            end: Some((2016, 0, 0)),
            label: "2014–2016".into(),
            summary: "First programme phase".into(),
            href: "/timeline/#event-1".into(),
        },
        TimelineEvent {
            start: (2015, 3, 0),
            end: None,
            label: "March 2015".into(),
            summary: "Office opens in Nairobi".into(),
            href: "/timeline/#event-2".into(),
        },
        TimelineEvent {
            start: (2015, 3, 0),
            end: None,
            label: "March 2015".into(),
            summary: "Partnership with UNESCO".into(),
            href: "/timeline/#event-3".into(),
        },
        TimelineEvent {
            start: (2017, 9, 12),
            end: None,
            label: "12 September 2017".into(),
            summary: "Report <Water & Health>".into(),
            href: "/timeline/#event-4".into(),
        },
        TimelineEvent {
            start: (2019, 0, 0),
            end: Some((2021, 6, 0)),
            label: "2019–June 2021".into(),
            summary: "Second phase".into(),
            href: "/timeline/#event-5".into(),
        },
        TimelineEvent {
            start: (2022, 11, 0),
            end: None,
            label: "November 2022".into(),
            summary: "Evaluation".into(),
            href: "/timeline/#event-6".into(),
        },
    ]
}

fn example_graph() -> (Vec<GraphNode>, Vec<GraphEdge>) {
    let named = |id: &str, label: &str, group: &str| GraphNode {
        label: label.into(),
        ..node(id, group)
    };
    let nodes = vec![
        named("wwf", "Water Without Frontiers", "people"),
        named("unesco", "UNESCO", "people"),
        named("who", "World Health Organization", "people"),
        named("water", "Water & sanitation", "topics"),
        named("health", "Public health", "topics"),
        named("kenya", "Kenya", "places"),
        named("uganda", "Uganda", "places"),
        named("peru", "Peru", "places"),
        named("wash", "WASH in Schools", "events"),
        named("clean", "Clean Rivers 2030", "events"),
    ];
    let edges = vec![
        edge("wwf", "unesco", "partners"),
        edge("unesco", "wwf", "partners"),
        edge("wwf", "water", "works on"),
        edge("wwf", "kenya", "active in"),
        edge("wwf", "uganda", "active in"),
        edge("who", "health", "works on"),
        edge("who", "wash", "funds"),
        edge("unesco", "clean", "runs"),
        edge("wwf", "wash", "runs"),
        edge("wash", "kenya", "runs in"),
        edge("wash", "uganda", "runs in"),
        edge("clean", "peru", "runs in"),
        edge("clean", "water", "part of"),
        edge("wash", "health", "part of"),
    ];
    (nodes, edges)
}

#[test]
fn map_of_a_long_chain_is_laid_out_top_to_bottom() {
    // Left to right, 41 nodes in a row would be far too wide to read on a page.
    let nodes: Vec<GraphNode> = (0..41)
        .map(|i| node(&format!("c{i:02}"), "people"))
        .collect();
    let edges: Vec<GraphEdge> = (0..40)
        .map(|i| edge(&format!("c{i:02}"), &format!("c{:02}", i + 1), "next"))
        .collect();
    let svg = map_svg(&nodes, &edges, "Chain", None);
    let view: Vec<f64> = attr(&svg, "viewBox")
        .unwrap()
        .split(' ')
        .map(|v| v.parse().unwrap())
        .collect();
    assert!(view[2] <= 1280.0 && view[3] > view[2], "viewBox {view:?}");
    let ys: Vec<f64> = (0..41)
        .map(|i| number(link_to(&svg, &format!("/people/c{i:02}/")), "rect", "y"))
        .collect();
    assert!(
        ys.windows(2).all(|w| w[0] < w[1]),
        "the chain runs downwards"
    );
    assert_eq!(svg.matches(">next</text>").count(), 40);
}

// Legibility and groups

/// The smallest text of a chart in CSS pixels, shown at the least size the
/// stylesheet lets it take: its `width` attribute (it grows to its column from
/// there, and scrolls rather than shrinks).
fn smallest_text_px(svg: &str) -> f64 {
    let view_width = view_width(svg);
    let shown: f64 = attr(svg, "width").unwrap().parse().unwrap();
    let smallest = svg
        .split(" font-size=\"")
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].parse::<f64>().unwrap())
        .fold(f64::INFINITY, f64::min);
    smallest * shown / view_width
}

/// No text under 11 pixels, none cut short, and a drawing as wide as the reading
/// column at least, so it is not blown up there either.
fn assert_legible(svg: &str) {
    let smallest = smallest_text_px(svg);
    assert!(
        smallest >= svg::MIN_TEXT_SIZE - 0.01,
        "text of {smallest:.2}px"
    );
    assert!(
        texts(svg).iter().all(|t| !t.contains('…')),
        "a label is cut short"
    );
    let view_width = view_width(svg);
    assert!(view_width >= svg::READING_WIDTH - 0.01, "{view_width}");
}

/// The width of a chart's drawing, from its `viewBox`.
fn view_width(svg: &str) -> f64 {
    attr(svg, "viewBox")
        .unwrap()
        .split(' ')
        .nth(2)
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn charts_are_legible_at_the_reading_width() {
    let (nodes, edges) = sample_graph();
    assert_legible(&map_svg(&nodes, &edges, "Sample", Some("kenya")));
    let long: Vec<GraphNode> = (0..6)
        .map(|i| GraphNode {
            label: format!("{i} An organisation whose name goes on for a long, long while"),
            ..node(&format!("l{i}"), GROUPS[i % GROUPS.len()])
        })
        .collect();
    let edges: Vec<GraphEdge> = (1..6)
        .map(|i| edge("l0", &format!("l{i}"), "works with"))
        .collect();
    let svg = map_svg(&long, &edges, "Long", None);
    assert_legible(&svg);
    for n in &long {
        assert_eq!(
            texts(link_to(&svg, &n.href)).join(" "),
            n.label,
            "shown whole"
        );
    }
    let events: Vec<TimelineEvent> = (0..30)
        .map(|n: i32| event((1900 + n * 4, 0, 0), None, n as usize))
        .collect();
    assert_legible(&timeline_svg(&events, "Long ago"));
}

#[test]
fn slots_pick_the_class_and_a_shape_of_their_own() {
    let nodes: Vec<GraphNode> = (0..8)
        .map(|slot| GraphNode {
            slot: (slot < 7).then_some(slot),
            group: format!("Group {slot}"),
            ..node(&format!("n{slot}"), "any")
        })
        .collect();
    let svg = map_svg(&nodes, &[], "Slots", None);
    let outline = |id: &str| {
        let link = link_to(&svg, &format!("/any/{id}/"));
        let shape = &link[link.find("</title>").unwrap() + 8..link.find("<text").unwrap()];
        let tag = &shape[1..shape.find(' ').unwrap()];
        format!(
            "{tag} {:?} {}",
            attr(shape, "rx"),
            shape.matches('L').count()
        )
    };
    for slot in 0..7 {
        let link = link_to(&svg, &format!("/any/n{slot}/"));
        let class = format!("rm-node rm-s{}", slot % PALETTE_SLOTS);
        assert_eq!(attr(link, "class"), Some(class.as_str()));
    }
    assert_eq!(attr(link_to(&svg, "/any/n7/"), "class"), Some("rm-node"));
    let mut shapes: Vec<String> = (0..PALETTE_SLOTS)
        .map(|slot| outline(&format!("n{slot}")))
        .chain([outline("n7")])
        .collect();
    assert_eq!(outline("n6"), outline("n0"), "slots wrap around");
    shapes.sort();
    shapes.dedup();
    assert_eq!(shapes.len(), PALETTE_SLOTS + 1, "{shapes:?}");
    // The legend names each group by its slot; slot 0 stands for two groups here.
    let legend = &svg[svg.find("<g class=\"rm-legend\"").expect("a legend")..];
    assert!(legend.contains("<g class=\"rm-key rm-s0\">"));
    assert_eq!(texts(legend)[0], "Group 0, Group 6");
    assert_eq!(texts(legend).len(), PALETTE_SLOTS);
}
