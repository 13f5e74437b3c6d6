//! The output folder: atomic replacement, refusals and byte-identical builds.

use crate::harness::{SiteTest, snapshot};

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
    ] {
        let options = folio::build::Options {
            output: Some(output.clone()),
            ..site.options()
        };
        let errors = folio::build::build(&options).expect_err("must refuse");
        let message = &errors.iter().next().unwrap().message;
        assert!(
            message.contains("refusing") && message.contains(reason),
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
