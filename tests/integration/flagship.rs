//! This repository is itself a folio site: it must build with no error and no warning.

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
}
