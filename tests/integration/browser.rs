//! The default theme in a real browser: `tests/browser/run.mjs` drives headless
//! Chromium (through playwright-core) and axe-core against `folio serve` of this
//! repository's site. Where node or Chromium is missing the test says so on stderr and
//! passes, unless `FOLIO_REQUIRE_BROWSER=1` (as in CI) makes that a failure.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[test]
fn the_default_theme_works_in_a_browser() {
    let suite = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let chromium = std::env::var_os("CHROMIUM")
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    let missing = if !chromium.is_file() {
        Some(format!("no Chromium at {}", chromium.display()))
    } else if !runs("node") || !runs("npm") {
        Some("node and npm are needed".to_string())
    } else {
        None
    };
    if let Some(reason) = missing {
        assert!(
            std::env::var("FOLIO_REQUIRE_BROWSER").as_deref() != Ok("1"),
            "browser tests required (FOLIO_REQUIRE_BROWSER=1) but {reason}"
        );
        // Straight to stderr: the test harness would swallow eprintln! from a passing test.
        let _ = writeln!(std::io::stderr(), "browser tests skipped: {reason}");
        return;
    }
    if !suite.join("node_modules").is_dir() {
        let install = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&suite)
            .output()
            .expect("run npm ci");
        assert!(
            install.status.success(),
            "npm ci failed:\n{}",
            text(&install)
        );
    }
    let run = Command::new("node")
        .arg("run.mjs")
        .current_dir(&suite)
        .env("FOLIO_BIN", env!("CARGO_BIN_EXE_folio"))
        .env("CHROMIUM", &chromium)
        .output()
        .expect("run node");
    assert!(
        run.status.success(),
        "browser tests failed:\n{}",
        text(&run)
    );
}

fn runs(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}
