//! TOML front matter (`+++` lines): the same fields, strictness and located errors as
//! YAML.

use folio::diag::Kind;

use crate::harness::SiteTest;

#[test]
fn every_core_field_reads_the_same_in_toml_as_in_yaml() {
    let site = SiteTest::new("toml_front_matter").build();
    let toml = site.main("/cooperation-toml/");
    let expected = "title=Cooperation with the IAEA\n\
        description=The first part of the statement.\n\
        weight=3\n\
        date=2022-03-31\n\
        updated=2022-04-01T10:00:00+02:00\n\
        draft=false\n\
        tags=tags: IAEA peer review\n\
        extra=1 Ana 1 2.5 2016-03-01\n";
    assert!(toml.contains(expected), "{toml}");
    assert_eq!(toml, site.main("/cooperation-yaml/"));
    site.expect_page("/old/toml/")
        .expect_page_contains("/old/toml/", "/cooperation-toml/")
        .expect_no_page("/unfinished/");
}

/// The knowledge-base fixture with three of its pages rewritten in TOML.
fn knowledge_base_in_toml() -> SiteTest {
    SiteTest::new("knowledge_base")
        .file(
            "content/areas/one.md",
            &std::fs::read_to_string("tests/fixtures/knowledge_base/content/areas/one.md")
                .unwrap()
                .replacen(ONE_YAML, ONE_TOML, 1),
        )
        .file(
            "content/organisations/iaea.md",
            "+++\ntitle = \"International Atomic Energy Agency\"\nacronym = \"IAEA\"\n+++\n\n\
             The IAEA page does not link itself. Areas: [one](../areas/one.md), \
             [three](../areas/three.md).\n",
        )
        .file(
            "content/glossary.md",
            "+++\ntitle = \"Glossary\"\ntemplate = \"glossary.html\"\n\n\
             [[glossary]]\nterm = \"HEU\"\nexpansion = \"highly enriched uranium\"\n+++\n",
        )
}

const ONE_YAML: &str = "---
title: Area one
partners: [iaea, Ghana]
programmes: [ippas]
events:
  - date: 2016
    summary: Year-only event.
    partners: [ghana]
  - date: 2016-03-31
    summary: Day event.
    partners: [iaea]
  - date: 2016-03
    summary: Month event.
  - date: 2015-12-01
    end: 2016-01
    summary: A range.
figures:
  - label: Experts sent
    value: 200
    unit: experts
    as_of: 2022-03-31
---
";

const ONE_TOML: &str = "+++
title = \"Area one\"
partners = [\"iaea\", \"Ghana\"]
programmes = [\"ippas\"]

[[events]]
date = 2016
summary = \"Year-only event.\"
partners = [\"ghana\"]

[[events]]
date = 2016-03-31
summary = \"Day event.\"
partners = [\"iaea\"]

[[events]]
date = \"2016-03\"
summary = \"Month event.\"

[[events]]
date = 2015-12-01
end = \"2016-01\"
summary = \"A range.\"

[[figures]]
label = \"Experts sent\"
value = 200
unit = \"experts\"
as_of = 2022-03-31
+++
";

#[test]
fn relations_events_figures_and_glossary_read_the_same_in_toml() {
    let yaml = SiteTest::new("knowledge_base").build();
    let toml = knowledge_base_in_toml().build();
    for url in [
        "/",
        "/areas/one/",
        "/organisations/iaea/",
        "/organisations/ghana/",
        "/glossary/",
        "/timeline/",
    ] {
        assert_eq!(toml.main(url), yaml.main(url), "{url}");
    }
    let one = toml.main("/areas/one/");
    assert!(
        one.contains("<td>Experts sent</td><td>200 experts</td>"),
        "{one}"
    );
}

#[test]
fn an_unknown_toml_key_is_an_error_at_its_line_with_a_suggestion() {
    let site = SiteTest::empty()
        .file("content/a.md", "+++\ntitle = \"A\"\n  titel = \"B\"\n+++\n")
        .build()
        .expect_error("content/a.md:3:3", Kind::UnknownFrontMatterKey)
        .expect_error_count(1);
    let error = site.errors().iter().next().unwrap();
    assert_eq!(error.help.as_deref(), Some("did you mean `title`?"));
}

#[test]
fn an_unknown_toml_key_far_from_any_field_is_shown_under_extra() {
    let site = SiteTest::empty()
        .file("content/a.md", "+++\nbanner = \"red\"\n+++\n")
        .build()
        .expect_error("content/a.md:2:1", Kind::UnknownFrontMatterKey);
    let error = site.errors().iter().next().unwrap();
    assert_eq!(
        error.help.as_deref(),
        Some("free-form data goes under `extra`, as in `extra = { banner = ... }`")
    );
}

#[test]
fn wrong_toml_types_are_each_located_at_their_value_with_a_toml_fix() {
    let site = SiteTest::empty()
        .file(
            "content/a.md",
            "+++\ntitle = \"A\"\nweight = \"first\"\ndraft = \"yes\"\ntags = \"one\"\n\n\
             [extra]\nx = 1\n+++\n",
        )
        .build()
        .expect_error("content/a.md:3:10", Kind::WrongType)
        .expect_error("content/a.md:4:9", Kind::WrongType)
        .expect_error("content/a.md:5:8", Kind::WrongType)
        .expect_error_count(3);
    let helps: Vec<_> = site
        .errors()
        .iter()
        .filter_map(|error| error.help.as_deref())
        .collect();
    assert_eq!(
        helps,
        [
            "`yes` is not a boolean here: write `draft = true` or `draft = false`",
            "write `tags = [\"one\"]`",
        ]
    );
}

#[test]
fn a_bad_toml_date_is_located_at_its_value() {
    SiteTest::empty()
        .file(
            "content/a.md",
            "+++\ntitle = \"A\"\ndate = \"2016-13\"\n+++\n",
        )
        .build()
        .expect_error("content/a.md:3:8", Kind::InvalidValue)
        .expect_error_count(1);
}

#[test]
fn invalid_toml_is_located_in_the_markdown_file() {
    let site = SiteTest::empty()
        .file(
            "content/a.md",
            "+++\ntitle = \"A\"\ntags = [\"a\",\nweight = 2\n+++\n",
        )
        .build()
        .expect_error("content/a.md:4:8", Kind::FrontMatterSyntax)
        .expect_error_count(1);
    let error = site.errors().iter().next().unwrap();
    assert!(
        error.message.starts_with("invalid TOML in front matter: "),
        "{error:?}"
    );
}

/// The page `text` fails with one error of `kind` at its first line, saying `message`
/// (with `help`, when given).
fn the_only_error(text: &str, kind: Kind, message: &str, help: Option<&str>) {
    let site = SiteTest::empty()
        .file("content/a.md", text)
        .build()
        .expect_error("content/a.md:1:1", kind)
        .expect_error_count(1);
    let site = match help {
        Some(help) => site.expect_help(help),
        None => site,
    };
    assert_eq!(site.errors().iter().next().unwrap().message, message);
}

#[test]
fn an_unclosed_toml_block_is_an_error_at_its_first_line() {
    the_only_error(
        "+++\ntitle = \"A\"\n---\n\nBody.\n",
        Kind::FrontMatterUnclosed,
        "front matter is not closed",
        Some("add a line `+++` after the last front-matter line"),
    );
}

#[test]
fn yaml_between_plus_lines_is_an_error_naming_toml() {
    the_only_error(
        "+++\ntitle: A\ndate: 2016-03-01\n+++\n\nBody.\n",
        Kind::FrontMatterSyntax,
        "front matter between `+++` lines must be TOML, but this is YAML",
        Some("write it in TOML, or put it between `---` lines"),
    );
}

#[test]
fn toml_between_dash_lines_is_an_error_naming_yaml() {
    the_only_error(
        "---\ntitle = \"A\"\ndate = 2016-03-01\n\n[extra]\nx = 1\n---\n",
        Kind::FrontMatterSyntax,
        "front matter between `---` lines must be YAML, but this is TOML",
        None,
    );
}

#[test]
fn check_reports_toml_errors_too() {
    SiteTest::empty()
        .file("content/a.md", "+++\ntitle = \"A\"\ndraft = 1\n+++\n")
        .check()
        .expect_error("content/a.md:3:9", Kind::WrongType);
}
