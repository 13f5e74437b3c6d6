//! The output folder: atomic replacement, updates in place, refusals and
//! byte-identical builds.

use std::os::unix::fs::MetadataExt;
use std::path::Path;

use crate::harness::{SiteTest, snapshot};
use folio::diag::Kind;

/// Every file and folder below `dir`, folders with a trailing `/`.
fn tree(dir: &Path) -> Vec<String> {
    let mut entries: Vec<String> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .flatten()
        .map(|e| {
            let path = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            match e.file_type().is_dir() {
                true => format!("{path}/"),
                false => path,
            }
        })
        .collect();
    entries.sort();
    entries
}

/// A file's identity and modification time: unchanged when it was not written.
fn stamp(path: &Path) -> (u64, i64, i64) {
    let metadata = std::fs::metadata(path).unwrap();
    (metadata.ino(), metadata.mtime(), metadata.mtime_nsec())
}

/// What a build into a new folder writes for the site as it is now.
fn fresh_build(site: &SiteTest) -> (Vec<String>, Vec<(String, Vec<u8>)>) {
    let folder = tempfile::tempdir().unwrap();
    let output = folder.path().join("public");
    let options = folio::project::Options {
        output: Some(output.clone()),
        ..site.options()
    };
    folio::build::build(&options).expect("the fresh build succeeds");
    (tree(&output), snapshot(&output))
}

#[test]
fn a_build_over_the_last_one_writes_only_what_changed() {
    let site = SiteTest::new("basic").build().expect_success();
    let untouched = site.output_path("/notes/");
    let edited = site.output_path("/guide/start/");
    let (untouched_before, edited_before) = (stamp(&untouched), stamp(&edited));
    std::fs::write(
        site.root.join("content/guide/start.md"),
        "---\ntitle: Start here\n---\n\nA section without an `_index.md`, edited.\n",
    )
    .unwrap();
    let site = site.build().expect_success();
    assert_eq!(
        stamp(&untouched),
        untouched_before,
        "an unchanged page was written"
    );
    assert_ne!(
        stamp(&edited),
        edited_before,
        "the edited page was not written"
    );
    assert!(site.page("/guide/start/").contains("edited."));
    assert_eq!(
        (tree(&site.output), snapshot(&site.output)),
        fresh_build(&site)
    );
}

#[test]
fn an_updated_output_holds_exactly_what_a_fresh_build_writes() {
    let site = SiteTest::new("basic").build().expect_success();
    std::fs::remove_file(site.root.join("content/guide/start.md")).unwrap();
    std::fs::write(site.root.join("content/guide/next.md"), "# Next\n").unwrap();
    std::fs::write(
        site.root.join("content/areas/new.md"),
        "# New\n\nA new page.\n",
    )
    .unwrap();
    // Left in the output by hand or by an interrupted update: both go.
    std::fs::create_dir_all(site.output.join("stray/deeper")).unwrap();
    std::fs::write(site.output.join("stray/deeper/file.txt"), "x").unwrap();
    std::fs::write(site.output.join("notes/.index.html.folio-new"), "half").unwrap();
    // Beside it, what a killed first build leaves.
    let staging = site.output.with_file_name(".public.folio-staging");
    std::fs::create_dir_all(&staging).unwrap();
    let site = site.build().expect_success();
    assert!(!staging.exists());
    assert_eq!(
        (tree(&site.output), snapshot(&site.output)),
        fresh_build(&site)
    );
    assert!(
        !tree(&site.output)
            .iter()
            .any(|p| p.starts_with("guide/start"))
    );
}

#[test]
fn a_failed_update_leaves_the_output_as_it_was() {
    let site = SiteTest::new("basic").build().expect_success();
    let before = (tree(&site.output), snapshot(&site.output));
    // Fails while pages are written, after a new page's folder could have been made.
    std::fs::write(site.root.join("content/areas/new.md"), "# New\n").unwrap();
    std::fs::create_dir_all(site.root.join("templates")).unwrap();
    std::fs::write(
        site.root.join("templates/page.html"),
        "{% extends \"default/page.html\" %}{% block aside %}\
         {% if page.title == \"Start here\" %}{{ get_page(path=\"missing.md\") }}{% endif %}\
         {% endblock aside %}",
    )
    .unwrap();
    let site = site.build();
    site.errors();
    assert_eq!((tree(&site.output), snapshot(&site.output)), before);
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched_and_no_staging_folder() {
    let site = SiteTest::new("basic").build().expect_success();
    let before = snapshot(&site.output);
    std::fs::write(
        site.root.join("content/broken.md"),
        "---\ntitle: [unclosed\n---\n",
    )
    .unwrap();
    let site = site.build();
    site.errors();
    assert_eq!(snapshot(&site.output), before);
    let leftovers: Vec<_> = std::fs::read_dir(&site.root)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".folio-staging") || n.ends_with(".folio-old"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_second_build_replaces_the_first() {
    let site = SiteTest::new("basic").build().expect_success();
    std::fs::remove_file(site.root.join("content/guide/start.md")).unwrap();
    // The guide keeps a page, so it stays a section that links can name.
    std::fs::write(site.root.join("content/guide/next.md"), "# Next\n").unwrap();
    site.build()
        .expect_success()
        .expect_no_page("/guide/start/");
}

#[test]
fn refuses_to_write_over_the_site_the_content_or_a_foreign_folder() {
    let site = SiteTest::new("basic");
    let foreign = site.root.join("foreign");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("keep.txt"), "precious").unwrap();
    for (output, reason) in [
        (site.root.clone(), "site folder"),
        (site.root.join("content"), "content folder"),
        (foreign.clone(), "not written by folio"),
        ("/".into(), "root"),
        (
            site.root.join("static/site"),
            "inside the site's static/ folder",
        ),
        (
            site.root.join("theme/out"),
            "inside the site's theme/ folder",
        ),
    ] {
        let options = folio::project::Options {
            output: Some(output.clone()),
            ..site.options()
        };
        let errors = folio::build::build(&options).expect_err("must refuse");
        let error = errors.iter().next().unwrap();
        let message = &error.message;
        assert!(
            error.kind == Kind::OutputRefused && message.contains(reason),
            "{}: {message}",
            output.display()
        );
    }
    assert_eq!(
        std::fs::read_to_string(foreign.join("keep.txt")).unwrap(),
        "precious"
    );
    assert!(site.root.join("content/_index.md").exists());
}

#[test]
fn builds_are_byte_identical_whatever_the_thread_count() {
    let site = SiteTest::new("basic");
    let mut outputs = Vec::new();
    for threads in ["1", "4", "2"] {
        outputs.push(snapshot(&site.build_on_threads(threads)));
    }
    assert!(outputs[0].len() > 10);
    assert_eq!(outputs[0], outputs[1]);
    assert_eq!(outputs[0], outputs[2]);
}

#[test]
fn an_output_path_that_turns_from_file_to_folder_is_written_afresh() {
    let site = SiteTest::new("basic")
        .file("content/areas/thing", "an asset without an extension")
        .build()
        .expect_success();
    assert!(site.output.join("areas/thing").is_file());
    std::fs::remove_file(site.root.join("content/areas/thing")).unwrap();
    std::fs::write(site.root.join("content/areas/thing.md"), "# Thing\n").unwrap();
    let site = site.build().expect_success();
    assert!(site.output.join("areas/thing/index.html").is_file());
    assert_eq!(
        (tree(&site.output), snapshot(&site.output)),
        fresh_build(&site)
    );
}

#[test]
fn files_made_while_the_site_is_written_land_with_it_or_not_at_all() {
    use folio::output::plan::{File, Source};
    use folio::progress::Silent;
    let site = SiteTest::new("basic");
    let planned = site.planned();
    let write = |late: Result<Vec<File>, folio::diag::Diagnostics>| {
        let late = || late.map(|files| (files, "made"));
        folio::output::write_site_with(
            &planned.renderer,
            &site.output,
            planned.files.clone(),
            late,
            &Silent,
        )
    };
    let late_file = |text: &str| File {
        path: vec!["late".into(), "file.txt".into()],
        source: Source::Bytes(text.as_bytes().to_vec()),
    };
    let staging = folio::output::swap::staging_path(&site.output);

    // Into a new folder, while the site is written: a failure of either leaves nothing.
    let failure = folio::diag::Diagnostic::error(Kind::SearchIndex, "made nothing");
    let failed = write(Err(failure.into())).unwrap_err();
    assert_eq!(failed.iter().next().unwrap().message, "made nothing");
    assert!(!site.output.exists() && !staging.exists());
    let clash = File {
        path: vec!["index.html".into()],
        source: Source::Bytes(Vec::new()),
    };
    assert!(write(Ok(vec![clash])).is_err());
    assert!(!site.output.exists() && !staging.exists());

    // Otherwise the files made meanwhile are written with the site's and counted.
    let (written, made) = write(Ok(vec![late_file("first")])).unwrap();
    assert_eq!(made, "made");
    assert_eq!(written.pages + written.assets, planned.files.len() + 1);
    let late = site.output.join("late/file.txt");
    assert_eq!(std::fs::read_to_string(&late).unwrap(), "first");

    // Over that build, they are made first and the folder is updated.
    let (written, _) = write(Ok(vec![late_file("second")])).unwrap();
    assert_eq!(written.unchanged, Some(planned.files.len()));
    assert_eq!(std::fs::read_to_string(&late).unwrap(), "second");
    assert!(!staging.exists());
}
