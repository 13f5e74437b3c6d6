//! Every input the fuzzers ever found (and a few seeds), replayed through the same checks
//! the fuzz targets make. `fuzz/run.sh` adds crashing inputs to tests/fixtures/fuzz/.

use std::path::Path;

use folio::markdown::Highlighter;

#[path = "../../fuzz/checks.rs"]
mod checks;

fn inputs(target: &str) -> Vec<Vec<u8>> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no inputs in {}", folder.display());
    files.iter().map(|f| std::fs::read(f).unwrap()).collect()
}

#[test]
fn front_matter_inputs_still_pass() {
    inputs("front_matter")
        .iter()
        .for_each(|bytes| checks::front_matter(bytes));
}

#[test]
fn markdown_inputs_still_pass() {
    let highlighter = Highlighter::new();
    inputs("markdown")
        .iter()
        .for_each(|bytes| checks::markdown(bytes, &highlighter));
}

#[test]
fn url_inputs_still_pass() {
    inputs("urls").iter().for_each(|bytes| checks::urls(bytes));
}
