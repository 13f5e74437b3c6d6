//! The manual in `manual/` is a folio site: it must check and build without a warning,
//! every example in it must build, and its reference pages must list every setting,
//! field, template variable, function, filter and block the code has, and nothing it
//! has not.
//!
//! An example is a fenced block with `example=NAME` in its info string: a file of an
//! example site at the path its `title` names. The blocks of one page with one `NAME`
//! make one site.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use folio::diag::Diagnostics;
use folio::project::Options;

use crate::harness::SiteTest;

fn manual_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("manual")
}

/// The manual's options, writing its output and cache into `temp`, never into the tree.
fn manual_options(temp: &Path) -> Options {
    Options {
        site_dir: manual_dir(),
        output: Some(temp.join("public")),
        cache_dir: Some(temp.join("cache")),
        ..Options::default()
    }
}

fn assert_clean(what: &str, result: Result<Diagnostics, Diagnostics>) {
    match result {
        Ok(warnings) => assert!(warnings.is_empty(), "{what} warns:\n{warnings}"),
        Err(errors) => panic!("{what} fails:\n{errors}"),
    }
}

#[test]
fn the_manual_checks_and_builds_without_a_warning() {
    let temp = tempfile::tempdir().unwrap();
    let options = manual_options(temp.path());
    assert_clean("folio check manual", folio::check::check(&options));
    let built = folio::build::build(&options).map(|report| report.warnings);
    assert_clean("folio build manual", built);
    let commands = std::fs::read_to_string(temp.path().join("public/commands/index.html"));
    assert!(commands.unwrap().contains("id=\"build\""));
    let troubleshooting = temp.path().join("public/troubleshooting/index.html");
    let troubleshooting = std::fs::read_to_string(troubleshooting).unwrap();
    for (kind, section) in folio::diag::MANUAL_SECTIONS {
        assert!(
            troubleshooting.contains(&format!("id=\"{section}\"")),
            "{kind:?} names the section `{section}`, which the manual lacks"
        );
    }
}

/// One fenced block of a manual page.
struct Fence {
    page: String,
    line: usize,
    language: String,
    title: Option<String>,
    example: Option<String>,
    text: String,
}

/// Every Markdown page of the manual, by its path under `content/`.
fn manual_pages() -> BTreeMap<String, String> {
    let content = manual_dir().join("content");
    walkdir::WalkDir::new(&content)
        .into_iter()
        .map(Result::unwrap)
        .filter(|entry| entry.path().extension().is_some_and(|e| e == "md"))
        .map(|entry| {
            let name = entry.path().strip_prefix(&content).unwrap();
            let text = std::fs::read_to_string(entry.path()).unwrap();
            (name.to_string_lossy().replace('\\', "/"), text)
        })
        .collect()
}

/// The fenced blocks of `text`, outermost only (a ```` fence holds ``` lines).
fn fences(page: &str, text: &str) -> Vec<Fence> {
    let mut found = Vec::new();
    let mut open: Option<(usize, Fence)> = None;
    for (index, line) in text.lines().enumerate() {
        let ticks = line.chars().take_while(|&c| c == '`').count();
        match open.take() {
            Some((width, fence)) if ticks >= width && line.trim_end().len() == ticks => {
                found.push(fence);
            }
            Some((width, mut fence)) => {
                fence.text.push_str(line);
                fence.text.push('\n');
                open = Some((width, fence));
            }
            None if ticks >= 3 => open = Some((ticks, fence_of(page, index + 1, &line[ticks..]))),
            None => {}
        }
    }
    assert!(open.is_none(), "{page}: a fence is never closed");
    found
}

fn fence_of(page: &str, line: usize, info: &str) -> Fence {
    let option = |key: &str| {
        let start = info.find(&format!("{key}="))? + key.len() + 1;
        let rest = &info[start..];
        let value = match rest.strip_prefix('"') {
            Some(quoted) => &quoted[..quoted.find('"')?],
            None => rest.split_whitespace().next()?,
        };
        Some(value.to_string())
    };
    Fence {
        page: page.to_string(),
        line,
        language: info.split_whitespace().next().unwrap_or("").to_string(),
        title: option("title"),
        example: option("example"),
        text: String::new(),
    }
}

/// Whether a block's title names a file of a folio site.
fn is_site_file(title: &str) -> bool {
    title == "book.toml"
        || ["content/", "templates/", "theme/", "static/"]
            .iter()
            .any(|folder| title.starts_with(folder))
}

/// Whether a block shows what a folio site holds: configuration, front matter or a
/// template.
fn looks_like_site_material(fence: &Fence) -> bool {
    let front_matter = fence.text.starts_with("---\n") || fence.text.starts_with("+++\n");
    let site_language = ["toml", "yaml", "jinja"].contains(&fence.language.as_str());
    (site_language || front_matter) && fence.title.as_deref().is_none_or(is_site_file)
}

#[test]
fn every_example_in_the_manual_builds() {
    let mut sites: BTreeMap<(String, String), Vec<Fence>> = BTreeMap::new();
    let mut untested = Vec::new();
    for (page, text) in manual_pages() {
        for fence in fences(&page, &text) {
            match &fence.example {
                Some(name) => sites
                    .entry((page.clone(), name.clone()))
                    .or_default()
                    .push(fence),
                None if looks_like_site_material(&fence) => {
                    untested.push(format!("{}:{}", fence.page, fence.line));
                }
                None => {}
            }
        }
    }
    assert!(
        untested.is_empty(),
        "blocks of site material without `example=NAME` and a `title` naming their file: {untested:?}"
    );
    assert!(sites.len() >= 15, "only {} example sites", sites.len());
    for ((page, name), files) in &sites {
        build_example(page, name, files);
    }
}

/// Builds the example site `name` of `page`: its files over a site with a book.toml,
/// a home page and one page.
fn build_example(page: &str, name: &str, files: &[Fence]) {
    let mut site = SiteTest::empty()
        .file("book.toml", "[book]\ntitle = \"Example\"\n")
        .file(
            "content/_index.md",
            "---\ntitle: Home\n---\n\nThe home page.\n",
        )
        .file("content/page.md", "---\ntitle: A page\n---\n\nA page.\n");
    for fence in files {
        let path = fence.title.as_deref().unwrap_or_else(|| {
            panic!(
                "{page}:{}: an example needs a title naming its file",
                fence.line
            )
        });
        site = site.file(path, &fence.text);
    }
    let built = folio::build::build(&site.options()).map(|report| report.warnings);
    assert_clean(&format!("the example `{name}` of {page}"), built);
}

/// What a reference page lists: the name in the first backticks of each table row,
/// after the name in the backticks of the heading above it (`[relations.NAME]` gives
/// `relations.*`), as `relations.*.title`. Headings with backticks are listed too.
struct Listed {
    rows: BTreeSet<String>,
    headings: BTreeSet<String>,
}

impl Listed {
    fn of(page: &str) -> Listed {
        let text = std::fs::read_to_string(manual_dir().join("content").join(page)).unwrap();
        let mut listed = Listed {
            rows: BTreeSet::new(),
            headings: BTreeSet::new(),
        };
        let mut prefix = String::new();
        let mut in_fence = false;
        for line in text.lines() {
            in_fence ^= line.starts_with("```");
            if in_fence {
                continue;
            }
            if line.starts_with('#') {
                prefix = first_code(line).map_or(String::new(), heading_name);
                listed.headings.insert(prefix.clone());
            } else if line.starts_with("| `") {
                let name = first_code(line).unwrap();
                let name = heading_name(name.split('(').next().unwrap());
                listed.rows.insert(match prefix.as_str() {
                    "" => name,
                    _ => format!("{prefix}.{name}"),
                });
            }
        }
        listed.headings.remove("");
        listed
    }

    fn all(&self) -> BTreeSet<String> {
        self.rows.union(&self.headings).cloned().collect()
    }

    /// Asserts that every one of `known` is listed, and that every row is known.
    fn assert_matches(&self, page: &str, known: &BTreeSet<String>) {
        let all = self.all();
        let missing: Vec<_> = known.difference(&all).collect();
        assert!(missing.is_empty(), "{page} lacks a row for {missing:?}");
        let unknown: Vec<_> = self.rows.difference(known).collect();
        assert!(
            unknown.is_empty(),
            "{page} lists what the code lacks: {unknown:?}"
        );
    }
}

fn first_code(line: &str) -> Option<&str> {
    let start = line.find('`')? + 1;
    let end = start + line[start..].find('`')?;
    Some(&line[start..end])
}

/// `[taxonomies.NAME]` → `taxonomies.*`; `events` stays.
/// A table or key as the code lists it: `[relations.NAME]` is `relations.*`, and so is
/// `languages.CODE`.
fn heading_name(code: &str) -> String {
    let name = code.trim_start_matches('[').trim_end_matches(']');
    let name = format!(".{name}")
        .replace(".NAME", ".*")
        .replace(".CODE", ".*");
    name[1..].to_string()
}

fn set<S: ToString>(names: impl IntoIterator<Item = S>) -> BTreeSet<String> {
    names.into_iter().map(|name| name.to_string()).collect()
}

#[test]
fn every_config_key_and_front_matter_field_has_a_manual_entry() {
    Listed::of("configuration.md")
        .assert_matches("configuration.md", &set(folio::config::known_keys()));
    Listed::of("writing/front-matter.md").assert_matches(
        "writing/front-matter.md",
        &set(folio::content::front_matter::known_fields()),
    );
}

#[test]
fn every_template_function_and_filter_has_a_manual_entry() {
    let known = set(folio::render::functions::names().chain(folio::render::filters::NAMES));
    Listed::of("templates/functions.md").assert_matches("templates/functions.md", &known);
}

#[test]
fn every_template_variable_has_a_manual_entry() {
    let site = SiteTest::new("template-variables").build().expect_success();
    let mut known = BTreeSet::new();
    for entry in walkdir::WalkDir::new(&site.output) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e != "js") {
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            for variables in dumped(&text) {
                known.extend(variable_names(&variables));
            }
        }
    }
    assert!(
        known.contains("page.title") && known.contains("feed.entries"),
        "{known:?}"
    );
    Listed::of("templates/variables.md").assert_matches("templates/variables.md", &known);
}

/// The variables a template of `tests/fixtures/template-variables` wrote as JSON: in
/// `<template-variables>` from `base.html` and `alias.html`, or the whole file.
fn dumped(text: &str) -> Vec<serde_json::Value> {
    const OPEN: &str = "<template-variables>";
    match text.find(OPEN) {
        Some(start) => {
            let rest = &text[start + OPEN.len()..];
            let end = rest.find("</template-variables>").unwrap();
            vec![serde_json::from_str(&rest[..end]).unwrap()]
        }
        None => serde_json::from_str(text).into_iter().collect(),
    }
}

/// `page.title` for a field of an object; `pages.title` for a field of a list's items;
/// `target` for a plain value.
fn variable_names(variables: &serde_json::Value) -> Vec<String> {
    let serde_json::Value::Object(top) = variables else {
        return Vec::new();
    };
    let mut names = Vec::new();
    for (name, value) in top {
        let fields = match value {
            serde_json::Value::Object(fields) => Some(fields),
            serde_json::Value::Array(items) => items.first().and_then(|item| item.as_object()),
            _ => None,
        };
        match fields {
            Some(fields) => names.extend(fields.keys().map(|field| format!("{name}.{field}"))),
            None => names.push(name.clone()),
        }
    }
    names
}

#[test]
fn every_block_of_the_built_in_templates_has_a_manual_entry() {
    let templates = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let mut blocks = BTreeSet::new();
    for entry in walkdir::WalkDir::new(templates) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            for after in text.split("{% block ").skip(1) {
                blocks.insert(after.split_whitespace().next().unwrap().to_string());
            }
        }
    }
    assert!(blocks.contains("content"), "{blocks:?}");
    let listed = Listed::of("templates/_index.md").all();
    let missing: Vec<_> = blocks.difference(&listed).collect();
    assert!(
        missing.is_empty(),
        "templates/_index.md lacks the blocks {missing:?}"
    );
}

#[test]
fn every_command_s_help_has_an_example_and_a_page_of_the_manual() {
    let site = SiteTest::empty();
    for command in ["build", "check", "serve", "init", "theme", "new"] {
        let output = site.run(&[command, "--help"]);
        let help = String::from_utf8(output.stdout).unwrap();
        assert!(
            help.contains("Example:\n  folio "),
            "folio {command} --help:\n{help}"
        );
        let page = help.split("See the manual: ").nth(1).unwrap().trim();
        let file = page.split('#').next().unwrap();
        assert!(
            Path::new(env!("CARGO_MANIFEST_DIR")).join(file).is_file(),
            "folio {command} --help names {page}"
        );
    }
}
