//! Translation status for `folio check`: per language, the pages not translated and
//! the translations whose source page changed since they were made.
//!
//! A translation records the digest of the file it was made from (`translated-from`,
//! written by `folio new --translate`). One line of front matter, and nothing to keep
//! in step by hand: comparing it with the digest of the source as it is now tells
//! whether the source changed. Which lines changed comes from git, which already holds
//! every past version of the source: the newest commit whose version has the recorded
//! digest is the one translated, and `git diff` from it gives the lines. Outside a
//! repository, or when the version translated was never committed, the status is said
//! at file level.

use std::path::Path;
use std::process::Command;

use crate::content::translations::digest;
use crate::diag::{Diagnostic, Kind, display_path};
use crate::project::Project;
use crate::site::{Page, Site, Target};

/// How many of a source's commits are searched for the version a translation was made
/// from: enough for a page's history, bounded for a page edited thousands of times.
const COMMITS_SEARCHED: usize = 200;

/// Every page of every language but the default one not translated into it, and every
/// translation out of date, as warnings.
pub fn status<'a>(project: &Project, sites: impl IntoIterator<Item = &'a Site>) -> Vec<Diagnostic> {
    let mut sites = sites.into_iter();
    let Some(default) = sites.next() else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for site in sites {
        for id in site.reading_order() {
            let page = &site.pages[id];
            let source = match default.lookup(&page.content_path) {
                Some(Target::Page(source)) => &default.pages[source],
                _ => continue,
            };
            let diagnostic = match page.fallback {
                true => Some(untranslated(site, source)),
                false => outdated(project, site, page, source),
            };
            found.extend(diagnostic);
        }
    }
    found
}

fn untranslated(site: &Site, source: &Page) -> Diagnostic {
    let language = site.language();
    Diagnostic::warning(
        Kind::Untranslated,
        format!(
            "not translated into `{}` ({}): its page there shows it in the default language",
            language.code, language.name
        ),
    )
    .in_file(&source.file)
    .help(format!(
        "start a translation with `folio new --translate {} {}`",
        display_path(&source.file),
        language.code
    ))
}

/// A warning when `page`, a translation of `source`, records no digest or another
/// digest than the source's now.
fn outdated(project: &Project, site: &Site, page: &Page, source: &Page) -> Option<Diagnostic> {
    let text = std::fs::read_to_string(project.root.join(&source.file)).ok()?;
    let now = digest(&text);
    let code = &site.language().code;
    let shown = display_path(&source.file);
    let Some(recorded) = &page.front_matter.translated_from else {
        return Some(
            Diagnostic::warning(
                Kind::OutdatedTranslation,
                format!("translation into `{code}` of {shown} records no `translated-from`, so whether it is up to date is unknown"),
            )
            .in_file(&page.file)
            .help(format!("once it matches {shown} as it is now, add `translated-from: \"{now}\"` to its front matter")),
        );
    };
    if recorded.value == now {
        return None;
    }
    let lines = changed_lines(&project.root, &source.file, &recorded.value)
        .map(|lines| format!(" (lines {lines} now)"))
        .unwrap_or_default();
    Some(
        Diagnostic::warning(
            Kind::OutdatedTranslation,
            format!(
                "translation into `{code}` out of date: {shown} changed since it was made{lines}"
            ),
        )
        .in_file(&page.file)
        .with_position(recorded.position.clone())
        .label("made from another version")
        .help(format!(
            "bring it up to date, then set `translated-from: \"{now}\"`"
        )),
    )
}

/// The lines of `file` (relative to `root`) that changed since its newest committed
/// version with digest `recorded`, as `3-5, 12`; None when git does not have it.
fn changed_lines(root: &Path, file: &Path, recorded: &str) -> Option<String> {
    let git = |args: &[&str]| {
        let output = Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .output()
            .ok()?;
        output
            .status
            .success()
            .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
    };
    let path = display_path(file);
    let limit = format!("-{COMMITS_SEARCHED}");
    let commits = git(&["log", &limit, "--format=%H", "--", &path])?;
    let commit = commits.lines().find(|commit| {
        git(&["show", &format!("{commit}:./{path}")]).is_some_and(|old| digest(&old) == recorded)
    })?;
    let diff = git(&[
        "diff",
        "-U0",
        "--no-color",
        "--no-ext-diff",
        commit,
        "--",
        &path,
    ])?;
    let ranges: Vec<String> = diff.lines().filter_map(new_lines).collect();
    (!ranges.is_empty()).then(|| ranges.join(", "))
}

/// The lines of the new file a hunk header (`@@ -3,2 +4,3 @@`) covers: `4-6`; for lines
/// only removed, the line they were removed before.
fn new_lines(header: &str) -> Option<String> {
    let new = header
        .strip_prefix("@@ ")?
        .split(' ')
        .nth(1)?
        .strip_prefix('+')?;
    let (start, count) = match new.split_once(',') {
        Some((start, count)) => (start.parse::<usize>().ok()?, count.parse::<usize>().ok()?),
        None => (new.parse().ok()?, 1),
    };
    Some(match count {
        0 => (start + 1).to_string(),
        1 => start.to_string(),
        count => format!("{start}-{}", start + count - 1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hunk_headers_give_the_lines_of_the_new_file() {
        assert_eq!(new_lines("@@ -3,2 +4,3 @@ heading").as_deref(), Some("4-6"));
        assert_eq!(new_lines("@@ -3 +3 @@").as_deref(), Some("3"));
        assert_eq!(new_lines("@@ -7,2 +6,0 @@").as_deref(), Some("7"));
        assert_eq!(new_lines("+added line"), None);
    }
}
