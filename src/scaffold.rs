//! `folio init` and `folio new`: starting a site and a page with everything a build
//! needs already in place.

use std::path::Path;

use crate::diag::{Diagnostic, display_path};
use crate::site::urls::title_from_name;

const BOOK_TOML: &str = r#"[book]
title = "My documentation"
description = "What this site is about, in one sentence."
authors = []
language = "en"

[build]
base-url = "/"
"#;

const HOME: &str = r#"---
title: Welcome
description: The home page of the site.
---

This site is built with folio. Edit `content/_index.md` to change this page, and add
pages as Markdown files under `content/`.

Start with the [first guide](guide/getting-started.md).
"#;

const GUIDE_INDEX: &str = r#"---
title: Guide
weight: 1
---

Pages in this folder form the *Guide* section.
"#;

const GETTING_STARTED: &str = r#"---
title: Getting started
description: Build and preview the site.
weight: 1
tags: [basics]
---

## Build

Run `folio build` to write the site into `public/`.

```bash
folio build
```

## Links

Link to other pages by their Markdown file: back to the [home page](../_index.md).
"#;

/// What a new repository starts with. A folder holding only these counts as empty, so
/// that `git init && folio init` works; none of them is overwritten.
const VERSION_CONTROL: [&str; 7] = [
    ".git",
    ".gitignore",
    ".gitattributes",
    ".hg",
    ".hgignore",
    ".jj",
    ".svn",
];

/// What a site's `.gitignore` needs: the build output and folio's cache.
const IGNORED: [&str; 2] = ["public/", ".folio-cache/"];

/// Creates a new site in `dir`, which must not exist, be empty, or hold only
/// version-control files.
pub fn init(dir: &Path) -> Result<String, Diagnostic> {
    refuse_occupied(dir)?;
    let files = [
        ("book.toml", BOOK_TOML),
        ("content/_index.md", HOME),
        ("content/guide/_index.md", GUIDE_INDEX),
        ("content/guide/getting-started.md", GETTING_STARTED),
        ("templates/.keep", ""),
        ("theme/.keep", ""),
    ];
    for (path, text) in files {
        write_new(&dir.join(path), text)?;
    }
    add_to_gitignore(&dir.join(".gitignore"))?;
    Ok(format!(
        "Created a new site in {dir}. Build it with `folio build {dir}`.\nTemplates and theme files you add under templates/ and theme/ replace the built-in ones of the same name.",
        dir = display_path(dir)
    ))
}

/// An error naming what is in `dir` besides version-control files, if anything.
fn refuse_occupied(dir: &Path) -> Result<(), Diagnostic> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    let mut others: Vec<String> = entries
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| !VERSION_CONTROL.contains(&name.as_str()))
        .collect();
    if others.is_empty() {
        return Ok(());
    }
    others.sort();
    let shown: Vec<String> = others.iter().take(3).map(|n| format!("`{n}`")).collect();
    let more = if others.len() > 3 { ", ..." } else { "" };
    Err(Diagnostic::error(format!(
        "{} is not empty: it holds {}{more}",
        display_path(dir),
        shown.join(", ")
    ))
    .help("choose a new folder: `folio init my-site` (a folder holding only version-control files such as .git is fine)"))
}

/// Adds the lines of [`IGNORED`] that `path` lacks to it, creating it if need be;
/// nothing already there is changed.
fn add_to_gitignore(path: &Path) -> Result<(), Diagnostic> {
    let existing = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => {
            return Err(Diagnostic::error(format!(
                "cannot read {}: {e}",
                display_path(path)
            )));
        }
    };
    let mut added = String::new();
    if !existing.is_empty() && !existing.ends_with('\n') {
        added.push('\n');
    }
    for line in IGNORED {
        if !existing.lines().any(|l| l.trim() == line) {
            added.push_str(line);
            added.push('\n');
        }
    }
    if added.trim().is_empty() {
        return Ok(());
    }
    std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
        .and_then(|mut file| std::io::Write::write_all(&mut file, added.as_bytes()))
        .map_err(|e| Diagnostic::error(format!("cannot write {}: {e}", display_path(path))))
}

/// Creates a Markdown page at `path` with a title from its file name and today's date.
pub fn new_page(path: &Path) -> Result<String, Diagnostic> {
    if path.extension().is_none_or(|e| e != "md") {
        return Err(
            Diagnostic::error(format!("{} is not a Markdown file", display_path(path)))
                .help("give it a name ending in .md"),
        );
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let title = title_from_name(&stem);
    let today = jiff::ZonedDateTime::now().date();
    let text = format!(
        "---\ntitle: {}\ndescription: \"\"\ndate: {today}\ndraft: true\ntags: []\n---\n\nWrite the page here.\n",
        yaml_string(&title)
    );
    write_new(path, &text)?;
    Ok(format!(
        "Created {} (a draft: build with --drafts to see it, or remove `draft: true`).",
        display_path(path)
    ))
}

/// A title as a YAML scalar that reads back as the same string.
fn yaml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn write_new(path: &Path, text: &str) -> Result<(), Diagnostic> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| {
            Diagnostic::error(format!("cannot create {}: {e}", display_path(parent)))
        })?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => {
                Diagnostic::error(format!("{} already exists", display_path(path)))
                    .help("choose another name; folio never overwrites a file")
            }
            _ => Diagnostic::error(format!("cannot create {}: {e}", display_path(path))),
        })?;
    std::io::Write::write_all(&mut file, text.as_bytes())
        .map_err(|e| Diagnostic::error(format!("cannot write {}: {e}", display_path(path))))
}
