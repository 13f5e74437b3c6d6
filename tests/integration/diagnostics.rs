//! Bad input: every error names the file, line and column, says what is wrong, and one
//! run reports all of them.

use crate::harness::SiteTest;
use folio::diag::Kind;

#[test]
fn invalid_yaml_is_located_in_the_markdown_file() {
    // The list opened on line 3 is never closed; the parser finds out at the `:` of
    // the next key, which is where the error points, in the .md file's own lines.
    SiteTest::new("bad_yaml")
        .build()
        .expect_error_count(1)
        .expect_error("content/_index.md:4:12", Kind::FrontMatterSyntax);
}

#[test]
fn wrong_types_are_each_reported_with_the_field_and_what_was_expected() {
    let site = SiteTest::new("wrong_type")
        .build()
        .expect_error_count(2)
        .expect_error("content/_index.md:3:7", Kind::InvalidValue)
        .expect_error("content/_index.md:4:9", Kind::WrongType);
    let messages: Vec<&str> = site.errors().iter().map(|d| d.message.as_str()).collect();
    assert!(
        messages.iter().any(|m| m.contains("2016-03-01")),
        "the date error shows the expected form: {messages:?}"
    );
}

#[test]
fn an_unknown_book_toml_key_is_an_error_with_a_suggestion() {
    let site = SiteTest::new("unknown_config_key")
        .build()
        .expect_error("book.toml:3:1", Kind::UnknownConfigKey);
    assert_eq!(
        site.errors().iter().next().unwrap().help.as_deref(),
        Some("did you mean `description`?")
    );
}

#[test]
fn one_run_reports_every_unknown_book_toml_key_in_file_order_with_its_fix() {
    let output = SiteTest::new("misplaced_config_keys").run(&["build"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let expected = [
        (
            "unknown key `base_url` at the top level of book.toml",
            "book.toml:1:1",
            "put it under [build] as `base-url`",
        ),
        (
            "unknown key `descriptoin` in [book]",
            "book.toml:5:1",
            "did you mean `description`?",
        ),
        (
            "unknown key `ouptut-dir` in [build]",
            "book.toml:8:1",
            "did you mean `output-dir`?",
        ),
    ];
    let mut rest = stderr.as_ref();
    for (message, location, help) in expected {
        for line in [
            format!("error: {message}"),
            format!("--> {location}"),
            format!("help: {help}"),
        ] {
            let at = rest
                .find(&line)
                .unwrap_or_else(|| panic!("no {line:?} after the previous error in:\n{stderr}"));
            rest = &rest[at + line.len()..];
        }
    }
    assert!(rest.contains("build failed with 3 errors"), "{stderr}");
}

#[test]
fn a_front_matter_key_of_another_generator_suggests_the_folio_key() {
    let site = SiteTest::empty()
        .file(
            "content/page.md",
            "---\ntitle: Page\nlastmod: 2024-05-01\n---\nBody.\n",
        )
        .build()
        .expect_error_count(1)
        .expect_error("content/page.md:3:1", Kind::UnknownFrontMatterKey);
    assert_eq!(
        site.errors().iter().next().unwrap().help.as_deref(),
        Some("did you mean `updated`?")
    );
}

#[test]
fn one_run_reports_the_errors_of_every_file() {
    SiteTest::new("many_errors")
        .build()
        .expect_error("content/_index.md:5:1", Kind::BrokenLink)
        .expect_error("content/second.md:2:1", Kind::UnknownFrontMatterKey);
}

#[test]
fn two_files_with_one_url_are_an_error_naming_both() {
    let site = SiteTest::new("collisions").build().expect_error_count(2);
    let messages: Vec<&str> = site.errors().iter().map(|d| d.message.as_str()).collect();
    assert!(
        messages.iter().any(|m| m.contains("content/areas/one.md")
            && m.contains("content/areas/shared.md")
            && m.contains("/areas/shared/")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("content/areas/Case.md") && m.contains("content/areas/case.md")),
        "{messages:?}"
    );
}

#[test]
fn bad_slugs_are_refused_at_their_line() {
    SiteTest::empty()
        .file("content/a.md", "---\ntitle: A\nslug: ../escape\n---\n")
        .build()
        .expect_error("content/a.md:3:7", Kind::InvalidValue);
}

#[test]
fn a_missing_book_toml_says_how_to_start() {
    let site = SiteTest::empty();
    std::fs::remove_file(site.root.join("book.toml")).unwrap();
    let site = site.build();
    let error = site.errors().iter().next().unwrap();
    assert_eq!(error.kind, Kind::ConfigUnreadable, "{error}");
    assert!(error.help.as_deref().unwrap().contains("folio init"));
}

#[test]
fn invalid_utf8_is_located_at_the_first_bad_byte() {
    let site = SiteTest::empty();
    std::fs::write(
        site.root.join("content/bad.md"),
        b"---\ntitle: x\n---\n\nfine\nbad \xff here\n",
    )
    .unwrap();
    site.build()
        .expect_error("content/bad.md:6:5", Kind::NotUtf8);
}

#[test]
fn check_reports_the_same_errors_and_writes_nothing() {
    let site = SiteTest::new("broken_link")
        .check()
        .expect_error("content/_index.md:6:13", Kind::BrokenLink);
    assert!(!site.output.exists());
}

#[test]
fn an_unknown_code_language_is_a_warning_at_its_name_with_a_suggestion() {
    let page =
        "---\ntitle: Code\n---\n\nSome code:\n\n  ```pyhton title=run.py\n  print(1)\n  ```\n";
    let site = SiteTest::empty()
        .file("content/code.md", page)
        .build()
        .expect_warning("content/code.md:7:6", Kind::UnknownLanguage)
        .expect_page_contains(
            "/code/",
            "<figcaption class=\"code-title\">run.py</figcaption>",
        );
    let diagnostics = site.succeeded();
    let warning = diagnostics
        .iter()
        .find(|d| d.kind == Kind::UnknownLanguage)
        .expect("the warning");
    assert_eq!(
        warning.message,
        "unknown language `pyhton`: the code block is plain text"
    );
    assert_eq!(warning.help.as_deref(), Some("did you mean `python`?"));
    assert_eq!(diagnostics.iter().count(), 1, "{diagnostics}");
}
