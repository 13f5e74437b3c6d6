//! This repository is itself a folio site: it must build with no error and no warning,
//! and every chart on it must be legible at the reading width.

use std::path::Path;

use folio::build;
use folio::project::Options;

#[test]
fn the_repository_site_builds_cleanly() {
    let output = tempfile::tempdir().unwrap();
    let options = Options {
        site_dir: Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf(),
        output: Some(output.path().join("public")),
        ..Options::default()
    };
    match build::build(&options) {
        Ok(report) => assert!(report.warnings.is_empty(), "warnings:\n{}", report.warnings),
        Err(errors) => panic!("the repository site does not build:\n{errors}"),
    }
    assert!(output.path().join("public/index.html").is_file());
    let charts = every_chart_width(&output.path().join("public"));
    assert!(charts.len() > 15, "{charts:?}");
    // The reading column is 736 px wide; a chart's `width` is the least it may shrink
    // to, so no chart wider than the column makes a reader scroll.
    let too_wide: Vec<_> = charts.iter().filter(|(_, width)| *width > 736.0).collect();
    assert!(
        too_wide.is_empty(),
        "charts wider than the column: {too_wide:?}"
    );
}

/// Every chart of every page below `dir`, as (page, least width in pixels).
fn every_chart_width(dir: &Path) -> Vec<(String, f64)> {
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).unwrap();
        for svg in html.split("<svg ").skip(1) {
            let tag = &svg[..svg.find('>').unwrap()];
            if !tag.contains("class=\"folio-chart") {
                continue;
            }
            let width = tag.split(" width=\"").nth(1).unwrap();
            let width: f64 = width[..width.find('"').unwrap()].parse().unwrap();
            found.push((entry.path().display().to_string(), width));
        }
    }
    found
}

/// The repository's site built into a temporary folder, with its `public/` path.
fn built_site() -> (tempfile::TempDir, std::path::PathBuf) {
    let output = tempfile::tempdir().unwrap();
    let public = output.path().join("public");
    let options = Options {
        site_dir: Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf(),
        output: Some(public.clone()),
        ..Options::default()
    };
    if let Err(errors) = build::build(&options) {
        panic!("the repository site does not build:\n{errors}");
    }
    (output, public)
}

/// Every built page of the entity sections, as (URL, its article's body before the
/// related block).
fn entity_pages(public: &Path) -> Vec<(String, String)> {
    let mut pages = Vec::new();
    for section in ["organisations", "countries", "programmes"] {
        for entry in std::fs::read_dir(public.join(section)).unwrap() {
            let index = entry.unwrap().path().join("index.html");
            if !index.is_file() {
                continue;
            }
            let html = std::fs::read_to_string(&index).unwrap();
            let slug = index
                .parent()
                .unwrap()
                .file_name()
                .unwrap()
                .to_string_lossy();
            if let Some(body) = page_body(&html) {
                pages.push((format!("/{section}/{slug}/"), body));
            }
        }
    }
    pages.sort();
    assert!(pages.len() > 20, "{} entity pages", pages.len());
    pages
}

/// A page's own text: its article up to the related block, or all of `<main>`; none
/// for a redirect from an old URL.
fn page_body(html: &str) -> Option<String> {
    let start = html
        .find("<article class=\"page\">")
        .or_else(|| html.find("<main"))?;
    let rest = &html[start..];
    let end = ["<section class=\"related\"", "</article>", "</main>"]
        .iter()
        .filter_map(|marker| rest.find(marker))
        .min()
        .unwrap();
    Some(rest[..end].to_string())
}

/// The `href`s of the links in an HTML fragment, in order.
fn hrefs(html: &str) -> Vec<&str> {
    html.split("<a ")
        .skip(1)
        .filter_map(|tag| tag.split("href=\"").nth(1))
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect()
}

/// The paragraphs, list items and table cells of an HTML fragment.
fn blocks(html: &str) -> Vec<&str> {
    let mut found = Vec::new();
    for (open, close) in [("<p", "</p>"), ("<li", "</li>"), ("<td", "</td>")] {
        for piece in html.split(open).skip(1) {
            if piece.starts_with(['>', ' ']) {
                found.push(&piece[..piece.find(close).unwrap_or(piece.len())]);
            }
        }
    }
    found
}

/// The words of an HTML fragment, tags left out, lowercased.
fn words(html: &str) -> Vec<String> {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[test]
fn every_entity_page_cites_a_paragraph_of_the_annotated_statement() {
    let (_dir, public) = built_site();
    let statement = std::fs::read_to_string(public.join("statement/index.html")).unwrap();
    for (url, body) in entity_pages(&public) {
        let cited: Vec<&str> = hrefs(&body)
            .into_iter()
            .filter_map(|href| href.strip_prefix("/statement/#"))
            .collect();
        assert!(
            !cited.is_empty(),
            "{url} cites no paragraph of the statement"
        );
        for anchor in cited {
            assert!(
                statement.contains(&format!("id=\"{anchor}\"")),
                "{url} cites #{anchor}, which the statement page lacks"
            );
        }
    }
}

#[test]
fn every_timeline_event_links_the_pages_it_names_and_its_paragraph() {
    let (_dir, public) = built_site();
    let html = std::fs::read_to_string(public.join("timeline/index.html")).unwrap();
    let events: Vec<&str> = html.split("<li id=\"event-").skip(1).collect();
    assert!(events.len() > 10, "{} events", events.len());
    for event in events {
        let event = &event[..event.find("</li>").unwrap()];
        let named: Vec<&str> = event
            .split("class=\"event-named\" href=\"")
            .skip(1)
            .map(|rest| &rest[..rest.find('"').unwrap()])
            .collect();
        assert!(!named.is_empty(), "an event names no page: {event}");
        let source = event
            .split("class=\"event-source\" href=\"")
            .nth(1)
            .map(|rest| &rest[..rest.find('"').unwrap()]);
        let (page, anchor) = source
            .and_then(|url| url.split_once('#'))
            .unwrap_or_else(|| panic!("an event links no paragraph: {event}"));
        let text = std::fs::read_to_string(public.join(page.trim_matches('/')).join("index.html"))
            .unwrap();
        assert!(
            text.contains(&format!("id=\"{anchor}\"")),
            "{page} has no #{anchor}"
        );
        for url in named {
            let page = public.join(url.trim_matches('/')).join("index.html");
            assert!(page.is_file(), "{url} is no page");
        }
    }
    let list_end = html.rfind("</ol>").unwrap();
    assert!(
        html.find("Two are this")
            .is_some_and(|note| note > list_end),
        "the timeline's note on its sources is not after the list"
    );
}

#[test]
fn no_two_entity_pages_share_most_of_their_text() {
    let (_dir, public) = built_site();
    let shingles: Vec<(String, std::collections::HashSet<Vec<String>>)> = entity_pages(&public)
        .into_iter()
        .map(|(url, body)| (url, words(&body).windows(4).map(<[_]>::to_vec).collect()))
        .collect();
    for (i, (a, a_shingles)) in shingles.iter().enumerate() {
        for (b, b_shingles) in &shingles[i + 1..] {
            let shared = a_shingles.intersection(b_shingles).count() as f64;
            let jaccard = shared / a_shingles.union(b_shingles).count() as f64;
            assert!(
                jaccard < 0.25,
                "{a} and {b} share {jaccard:.2} of their text"
            );
        }
    }
}

#[test]
fn no_page_links_to_itself_or_twice_to_one_place_in_a_paragraph() {
    let (_dir, public) = built_site();
    for entry in walkdir::WalkDir::new(&public) {
        let path = entry.unwrap().into_path();
        if path.file_name().is_none_or(|n| n != "index.html")
            || path.starts_with(public.join("print"))
        {
            continue;
        }
        let html = std::fs::read_to_string(&path).unwrap();
        let url = format!(
            "/{}",
            path.parent()
                .unwrap()
                .strip_prefix(&public)
                .unwrap()
                .display()
        );
        let url = if url == "/" { url } else { format!("{url}/") };
        let Some(body) = page_body(&html) else {
            continue;
        };
        assert!(
            !hrefs(&body).contains(&url.as_str()),
            "{url} links to itself"
        );
        for block in blocks(&body) {
            let links = hrefs(block);
            let twice = links
                .iter()
                .find(|h| links.iter().filter(|o| o == h).count() > 1);
            assert!(
                twice.is_none(),
                "{url} links twice to {twice:?} in: {block}"
            );
        }
    }
}

#[test]
fn every_tag_holds_more_than_one_page() {
    let (_dir, public) = built_site();
    let mut terms = 0;
    for entry in std::fs::read_dir(public.join("tags")).unwrap() {
        let index = entry.unwrap().path().join("index.html");
        if !index.is_file() {
            continue;
        }
        terms += 1;
        let main = page_body(&std::fs::read_to_string(&index).unwrap()).unwrap();
        let pages = hrefs(&main)
            .iter()
            .filter(|h| !h.starts_with("/tags/"))
            .count();
        assert!(pages > 1, "{} holds {pages} page", index.display());
    }
    assert!(terms > 3, "{terms} tags");
}

#[test]
fn the_coe_page_draws_its_ties_as_a_named_diagram() {
    let (_dir, public) = built_site();
    let html = std::fs::read_to_string(public.join("organisations/coe/index.html")).unwrap();
    let svg = &html[html
        .find("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"folio-chart folio-diagram")
        .unwrap()..];
    let tag = &svg[..svg.find('>').unwrap()];
    assert!(
        tag.contains("folio-diagram") && tag.contains("role=\"img\""),
        "{tag}"
    );
    for label in ["China and the United States", "GICNT partner countries"] {
        assert!(svg.contains(label), "no {label} in the diagram");
    }
}
