//! `folio init`, `folio new` and `folio theme`: starting a site and a page with
//! everything a build needs already in place, and handing over the built-in theme for
//! editing.

use std::path::{Component, Path, PathBuf};

use crate::config::{CONFIG_FILE, Config};
use crate::diag::{Diagnostic, Diagnostics, Kind, display_path};
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
        "Created a new site in {dir}.\nRead it as you write: `folio serve {dir}` (reloads on every save); build it for publishing: `folio build {dir}`.\nTemplates and theme files you add under templates/ and theme/ replace the built-in ones of the same name; the manual's getting-started page (manual/content/getting-started.md in folio's repository) goes on from here.",
        dir = display_path(dir)
    ))
}

/// Copies the built-in templates and theme files into the `templates/` and `theme/` of
/// the site in `dir`, where they replace the built-in ones. A file the site already has
/// is kept, and named in the message.
pub fn copy_theme(dir: &Path) -> Result<String, Diagnostic> {
    if !dir.join(CONFIG_FILE).is_file() {
        return Err(Diagnostic::error(
            Kind::Scaffold,
            format!(
                "no {CONFIG_FILE} in {}, so no site to copy the theme into",
                display_path(dir)
            ),
        )
        .help("run `folio theme` in the site's folder, or name it: `folio theme my-site`"));
    }
    let mut copied = 0;
    let mut skipped = String::new();
    let folders = [
        ("templates", &crate::embedded::TEMPLATES),
        ("theme", &crate::embedded::THEME),
    ];
    for (folder, files) in folders {
        for (path, contents) in crate::embedded::files(files) {
            let target = dir.join(folder).join(&path);
            if target.symlink_metadata().is_ok() {
                skipped.push_str(&format!("\nKept {folder}/{path}: the site has its own."));
                continue;
            }
            write_new(&target, contents)?;
            copied += 1;
        }
    }
    Ok(format!(
        "Copied {copied} files of the built-in theme into {dir}templates/ and {dir}theme/; edit them to change how the site looks.{skipped}",
        dir = folder_prefix(dir)
    ))
}

/// `dir` as the start of a path in a message: nothing for the current folder.
fn folder_prefix(dir: &Path) -> String {
    match display_path(dir).trim_end_matches('/') {
        "" | "." => String::new(),
        shown => format!("{shown}/"),
    }
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
    Err(Diagnostic::error(Kind::Scaffold, format!(
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
            return Err(Diagnostic::error(
                Kind::Unreadable,
                format!("cannot read {}: {e}", display_path(path)),
            ));
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
        .map_err(|e| {
            Diagnostic::error(
                Kind::WriteFailed,
                format!("cannot write {}: {e}", display_path(path)),
            )
        })
}

/// Creates a Markdown page at `path` (relative to the folder `here`) with a title from
/// its file name and today's date. A relative path outside the site's content folder
/// is taken as relative to it, since only pages in it are built.
pub fn new_page(here: &Path, path: &Path) -> Result<String, Diagnostics> {
    if path.extension().is_none_or(|e| e != "md") {
        return Err(Diagnostic::error(
            Kind::Scaffold,
            format!("{} is not a Markdown file", display_path(path)),
        )
        .help("give it a name ending in .md")
        .into());
    }
    let here = std::fs::canonicalize(here).map_err(|e| {
        Diagnostic::error(
            Kind::Unreadable,
            format!("cannot read the current folder: {e}"),
        )
    })?;
    let (target, moved) = place_in_content(&here, path)?;
    write_new(&target, page_text(path))?;
    let shown = display_path(target.strip_prefix(&here).unwrap_or(&target));
    let moved = match moved {
        Some(content) => format!(
            "Pages live under {content}/, so {} went there.\n",
            display_path(path)
        ),
        None => String::new(),
    };
    Ok(format!(
        "{moved}Created {shown} (a draft: build with --drafts to see it, or remove `draft: true`)."
    ))
}

/// `folio new --translate PAGE LANG`: a copy of the page beside it as `NAME.LANG.md`,
/// recording the digest of the version it was made from (`translated-from`), for the
/// translator to translate in place.
pub fn new_translation(here: &Path, page: &Path, language: &str) -> Result<String, Diagnostics> {
    let here = std::fs::canonicalize(here).map_err(|e| {
        Diagnostic::error(
            Kind::Unreadable,
            format!("cannot read the current folder: {e}"),
        )
    })?;
    let (source, _) = place_in_content(&here, page)?;
    let root = (here.ancestors())
        .find(|dir| dir.join(CONFIG_FILE).is_file())
        .unwrap_or(&here);
    let config = Config::load(root)?;
    let declared = config.content_languages().others;
    if !declared.iter().any(|code| code == language) {
        let diagnostic = Diagnostic::error(
            Kind::UndeclaredLanguage,
            format!("`{language}` is not one of the site's languages"),
        )
        .in_file(CONFIG_FILE);
        return Err(
            match crate::diag::did_you_mean(language, declared.iter().map(String::as_str)) {
                Some(close) => diagnostic.help(format!("did you mean `{close}`?")),
                None => diagnostic.help(format!(
                    "declare it in {CONFIG_FILE} with `[languages.{language}]` and a `name`"
                )),
            }
            .into(),
        );
    }
    let shown_source = display_path(source.strip_prefix(&here).unwrap_or(&source));
    if !source.is_file() {
        return Err(Diagnostic::error(
            Kind::Scaffold,
            format!("there is no page {shown_source} to translate"),
        )
        .help("name the page in the default language, e.g. content/areas/iaea.md")
        .into());
    }
    let text = crate::content::read_text(&source, Path::new(&shown_source))?;
    let stem = source
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let target = source.with_file_name(format!("{stem}.{language}.md"));
    let digest = crate::content::translations::digest(&text);
    write_new(
        &target,
        crate::content::translations::with_translated_from(&text, &digest),
    )?;
    let shown = display_path(target.strip_prefix(&here).unwrap_or(&target));
    Ok(format!(
        "Created {shown}, a copy of {shown_source} to translate; `folio check` says when {shown_source} changes."
    ))
}

/// The front matter and placeholder body of a new page. The description is left as a
/// comment: an empty one would blank the page's meta description.
fn page_text(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let title = title_from_name(&stem);
    let today = jiff::ZonedDateTime::now().date();
    format!(
        "---\ntitle: {}\n# description: one sentence for search results and link previews\n\
         date: {today}\ndraft: true\ntags: []\n---\n\nWrite the page here.\n",
        yaml_string(&title)
    )
}

/// Where the page at `path` goes: as given when it is inside the content folder of the
/// site around `here`, else below that folder. Also returns the content folder, as
/// book.toml names it, when the page was moved there.
fn place_in_content(here: &Path, path: &Path) -> Result<(PathBuf, Option<String>), Diagnostics> {
    let Some(root) = here.ancestors().find(|dir| dir.join(CONFIG_FILE).is_file()) else {
        return Err(Diagnostic::error(Kind::Scaffold, format!(
            "no {CONFIG_FILE} in this folder or any folder above it, so no site to add a page to"
        ))
        .help("run `folio new` in the site's folder, or start a site with `folio init`")
        .into());
    };
    let config = Config::load(root)?;
    let content = lexical(&root.join(&config.build.content_dir));
    let target = lexical(&here.join(path));
    if target.starts_with(&content) {
        return Ok((target, None));
    }
    let content_name = display_path(&config.build.content_dir);
    let content_name = content_name.trim_end_matches('/');
    if path.is_absolute() || path.components().any(|c| c == Component::ParentDir) {
        return Err(Diagnostic::error(
            Kind::Scaffold,
            format!(
                "{} is outside the content folder {content_name}/, where nothing builds it",
                display_path(path)
            ),
        )
        .help(format!(
            "give a path inside it: `folio new {content_name}/my-page.md`"
        ))
        .into());
    }
    Ok((lexical(&content.join(path)), Some(content_name.to_string())))
}

/// `path` with `.` and `..` worked out without asking the file system.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// A title as a YAML scalar that reads back as the same string.
fn yaml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn write_new(path: &Path, contents: impl AsRef<[u8]>) -> Result<(), Diagnostic> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| {
            Diagnostic::error(
                Kind::WriteFailed,
                format!("cannot create {}: {e}", display_path(parent)),
            )
        })?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => Diagnostic::error(
                Kind::Scaffold,
                format!("{} already exists", display_path(path)),
            )
            .help("choose another name; folio never overwrites a file"),
            _ => Diagnostic::error(
                Kind::WriteFailed,
                format!("cannot create {}: {e}", display_path(path)),
            ),
        })?;
    std::io::Write::write_all(&mut file, contents.as_ref()).map_err(|e| {
        Diagnostic::error(
            Kind::WriteFailed,
            format!("cannot write {}: {e}", display_path(path)),
        )
    })
}
