//! Snapshots of what users see: the `<main>` of representative pages (so theme edits
//! do not churn them) and the diagnostics `folio check` prints, caret lines included.
//! The snapshots live in `tests/integration/snapshots/`; a change to one fails the
//! test until someone reviews the diff and accepts it (`cargo insta review`, or
//! `INSTA_UPDATE=always cargo test` and a look at `git diff`).

use std::process::Command;

use crate::harness::SiteTest;

/// Pages that together show every kind of output and most of what Markdown and the
/// knowledge-base features put in a page.
const PAGES: &[(&str, &[&str])] = &[
    (
        "basic",
        &[
            "/",
            "/areas/",
            "/areas/iaea/",
            "/areas/attributes/",
            "/guide/start/",
            "/tags/iaea/",
            "/categories/",
        ],
    ),
    (
        "knowledge_base",
        &[
            "/",
            "/organisations/iaea/",
            "/programmes/ippas/",
            "/glossary/",
            "/timeline/",
        ],
    ),
];

#[test]
fn the_main_of_representative_pages() {
    for (case, urls) in PAGES {
        let site = SiteTest::new(case).build().expect_success();
        for url in *urls {
            let name = format!("{case}{}", url.trim_end_matches('/').replace('/', "__"));
            insta::assert_snapshot!(name, site.main(url));
        }
    }
}

/// Every fixture that fails, as `folio check` prints it.
const FAILING: &[&str] = &[
    "bad_yaml",
    "broken_anchor",
    "broken_link",
    "collisions",
    "many_errors",
    "template_error",
    "unknown_config_key",
    "wrong_type",
];

#[test]
fn the_diagnostics_check_prints() {
    for case in FAILING {
        let site = SiteTest::new(case);
        let run = Command::new(env!("CARGO_BIN_EXE_folio"))
            .args(["check", "."])
            .current_dir(&site.root)
            .env("NO_COLOR", "1")
            .output()
            .expect("runs folio");
        assert_eq!(run.status.code(), Some(1), "{case}");
        let printed = String::from_utf8_lossy(&run.stderr);
        insta::assert_snapshot!(format!("check_{case}"), printed);
    }
}
