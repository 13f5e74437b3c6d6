//! Tests of the charts' stylesheet against the theme it sits in: every colour pair
//! the charts draw meets WCAG AA in the light and the dark palette, on the page and
//! on the related block (where a page's relation map sits), every palette slot is
//! styled, and the charts' reading width is the theme's content column.

use std::collections::BTreeMap;

use super::svg::{READING_WIDTH, TEXT_SIZE};
use super::{CHART_CSS, PALETTE_SLOTS};

const THEME_CSS: &str = include_str!("../../theme/style.css");

/// The custom properties (`--name: value;`) of the first rule whose selector is
/// exactly `selector`, by name without the dashes.
fn variables(css: &str, selector: &str) -> BTreeMap<String, String> {
    let opening = format!("{selector} {{");
    let start = css
        .match_indices(&opening)
        .map(|(i, _)| i)
        .find(|&i| i == 0 || css[..i].ends_with(char::is_whitespace))
        .unwrap_or_else(|| panic!("no rule `{selector}`"))
        + opening.len();
    let body = &css[start..start + css[start..].find('}').expect("closed rule")];
    body.split(';')
        .filter_map(|declaration| declaration.trim().strip_prefix("--")?.split_once(':'))
        .map(|(name, value)| (name.trim().to_string(), value.trim().to_string()))
        .collect()
}

/// The relative luminance of a `#rrggbb` or `#rgb` colour, as WCAG 2 defines it.
fn luminance(hex: &str) -> f64 {
    let digits = hex
        .strip_prefix('#')
        .unwrap_or_else(|| panic!("not a hex colour: {hex}"));
    let digits: String = if digits.len() == 3 {
        digits.chars().flat_map(|c| [c, c]).collect()
    } else {
        digits.to_string()
    };
    let channel = |i: usize| {
        let c = f64::from(u8::from_str_radix(&digits[i..i + 2], 16).expect("hex")) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4)
}

fn contrast(a: &str, b: &str) -> f64 {
    let (a, b) = (luminance(a), luminance(b));
    (a.max(b) + 0.05) / (a.min(b) + 0.05)
}

/// The chart palette of one theme, and the backgrounds a chart sits on in it: the
/// page's and the related block's.
struct Theme {
    name: &'static str,
    chart: BTreeMap<String, String>,
    backgrounds: [String; 2],
}

/// The page and surface colours of the theme rule `selector`.
fn backgrounds(selector: &str) -> [String; 2] {
    let theme = variables(THEME_CSS, selector);
    ["bg", "surface"].map(|name| theme[name].clone())
}

fn themes() -> Vec<Theme> {
    let dark_by_system = variables(CHART_CSS, "html:not([data-theme=\"light\"]) .folio-chart");
    let dark = variables(CHART_CSS, "html[data-theme=\"dark\"] .folio-chart");
    assert_eq!(dark_by_system, dark, "the two dark palettes are one");
    vec![
        Theme {
            name: "light",
            chart: variables(CHART_CSS, ".folio-chart"),
            backgrounds: backgrounds(":root"),
        },
        Theme {
            name: "dark",
            chart: dark,
            backgrounds: backgrounds("html[data-theme=\"dark\"]"),
        },
    ]
}

/// The names of the slots the stylesheet must colour: each palette slot, and the
/// neutral one.
fn slots() -> Vec<String> {
    (0..PALETTE_SLOTS)
        .map(|slot| format!("s{slot}"))
        .chain(["none".to_string()])
        .collect()
}

/// `foreground` against each background of `theme`: at least `least`, or a panic
/// naming `what`.
fn assert_contrast(theme: &Theme, what: &str, foreground: &str, least: f64) {
    for background in &theme.backgrounds {
        let ratio = contrast(foreground, background);
        assert!(
            ratio >= least,
            "{} {what} on {background}: {ratio:.2}",
            theme.name
        );
    }
}

#[test]
fn node_text_and_outlines_meet_wcag_aa_in_both_themes() {
    for theme in themes() {
        let colour = |name: &str| {
            theme
                .chart
                .get(name)
                .unwrap_or_else(|| panic!("{}: no --{name}", theme.name))
        };
        let text = colour("chart-text");
        for slot in slots() {
            let fill = colour(&format!("chart-{slot}-fill"));
            let on_fill = contrast(text, fill);
            assert!(
                on_fill >= 4.5,
                "{} {slot}: text on fill {on_fill:.2}",
                theme.name
            );
            let outline = format!("{slot} outline");
            assert_contrast(&theme, &outline, colour(&format!("chart-{slot}-line")), 3.0);
        }
        for mark in [
            "chart-mark",
            "chart-edge",
            "chart-edge-aside",
            "chart-focus",
        ] {
            assert_contrast(&theme, mark, colour(mark), 3.0);
        }
        assert_contrast(&theme, "text", text, 4.5);
    }
}

#[test]
fn relations_among_neighbours_are_fainter_than_the_focus_pages_own() {
    for theme in themes() {
        let [page, _] = &theme.backgrounds;
        let edge = contrast(&theme.chart["chart-edge"], page);
        let aside = contrast(&theme.chart["chart-edge-aside"], page);
        assert!(aside < edge, "{}: {aside:.2} against {edge:.2}", theme.name);
    }
    assert!(CHART_CSS.contains(
        ".rm-edge-aside { stroke: var(--chart-edge-aside); }\n\
         .folio-chart .rm-edge-aside path { stroke-width: 1px; stroke-dasharray: 4 3; }"
    ));
}

#[test]
fn every_slot_has_its_own_colours_and_rule() {
    for theme in themes() {
        let fills: Vec<&String> = (0..PALETTE_SLOTS)
            .map(|slot| &theme.chart[&format!("chart-s{slot}-fill")])
            .collect();
        let mut unique = fills.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), fills.len(), "{}: {fills:?}", theme.name);
    }
    for slot in 0..PALETTE_SLOTS {
        let rule = format!(
            ".rm-s{slot} > :not(title):not(text) {{ fill: var(--chart-s{slot}-fill); \
             stroke: var(--chart-s{slot}-line); }}"
        );
        assert!(CHART_CSS.contains(&rule), "no rule for slot {slot}");
    }
    assert!(!CHART_CSS.contains(&format!(".rm-s{PALETTE_SLOTS} ")));
}

#[test]
fn the_reading_width_is_the_theme_content_column() {
    let layout = &THEME_CSS[THEME_CSS.find(".layout {").expect("the layout rule")..];
    let column = layout
        .split_once("minmax(0, ")
        .and_then(|(_, rest)| rest.split_once("rem)"))
        .map(|(rem, _)| rem.parse::<f64>().expect("a number of rem"))
        .expect("the content column's width");
    assert_eq!(column * 16.0, READING_WIDTH);
}

#[test]
fn charts_never_shrink_below_their_own_size() {
    let chart_rule = &CHART_CSS[CHART_CSS.find("\n.folio-chart {").unwrap()..];
    let chart_rule = &chart_rule[..chart_rule.find('}').unwrap()];
    assert!(chart_rule.contains("min-width: 100%; max-width: none; height: auto;"));
    assert!(
        chart_rule.contains(&format!("font: {TEXT_SIZE}px ")),
        "{chart_rule}"
    );
    let squeezing = CHART_CSS
        .split(['{', ';', '}'])
        .map(str::trim)
        .filter(|d| d.starts_with("width:") || d.starts_with("max-width: 1"))
        .collect::<Vec<_>>();
    assert!(
        squeezing.is_empty(),
        "rules that squeeze a chart: {squeezing:?}"
    );
    assert!(CHART_CSS.contains(":has(> .folio-chart) { overflow-x: auto; }"));
}
