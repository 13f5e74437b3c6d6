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
    assert!(charts.len() > 20, "{charts:?}");
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
