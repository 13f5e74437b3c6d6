//! The `folio` binary: exit codes, init and new.

use crate::harness::SiteTest;

#[test]
fn build_exits_1_with_located_errors_on_stderr() {
    let stderr = SiteTest::new("broken_link").run_reporting_the_broken_link(&["build"]);
    assert!(
        stderr.contains("help: did you mean `target.md`?"),
        "{stderr}"
    );
    assert!(stderr.contains("build failed with 1 error"), "{stderr}");
}

#[test]
fn build_prints_a_summary_and_exits_0() {
    let site = SiteTest::new("basic");
    let output = site.run(&["build"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("Built ") && stderr.contains(" pages and "),
        "{stderr}"
    );
    assert!(site.root.join("public/index.html").exists());
    assert!(
        !stderr.contains("changed"),
        "a first build changes everything: {stderr}"
    );

    // Built again over the first: nothing to write, and it says so.
    let again = String::from_utf8_lossy(&site.run(&["build"]).stderr).into_owned();
    let total = again
        .split(" of ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .unwrap_or_else(|| panic!("{again}"));
    assert!(
        again.contains(&format!(
            "(0 of {total} files changed; search index reused)"
        )),
        "{again}"
    );

    // One page edited: its search entry is the only one Pagefind makes again.
    let page = site.root.join("content/guide/start.md");
    let text = std::fs::read_to_string(&page).unwrap() + "\nOne more sentence.\n";
    std::fs::write(&page, text).unwrap();
    let edited = String::from_utf8_lossy(&site.run(&["build"]).stderr).into_owned();
    assert!(edited.contains("; search: 1 of "), "{edited}");
    assert!(edited.contains(" pages indexed again)"), "{edited}");
}

#[test]
fn check_exits_1_on_errors_and_0_on_a_clean_site() {
    assert_eq!(
        SiteTest::new("broken_anchor").run(&["check"]).status.code(),
        Some(1)
    );
    let clean = SiteTest::new("basic");
    assert_eq!(clean.run(&["check"]).status.code(), Some(0));
    assert!(!clean.root.join("public").exists(), "check writes nothing");
}

#[test]
fn init_makes_a_site_that_builds_as_it_is() {
    let site = SiteTest::empty();
    let output = site.run(&["init", "fresh"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let build = site.run(&["build", "fresh"]);
    assert_eq!(
        build.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    assert!(
        site.root
            .join("fresh/public/guide/getting-started/index.html")
            .exists()
    );
    assert_eq!(
        site.run(&["init", "fresh"]).status.code(),
        Some(1),
        "init refuses a non-empty folder"
    );
}

#[test]
fn init_accepts_a_fresh_repository_and_keeps_its_files() {
    let site = SiteTest::empty()
        .file("repo/.git/HEAD", "ref: refs/heads/main\n")
        .file("repo/.gitignore", "target/\npublic/");
    let output = site.run(&["init", "repo"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let repo = site.root.join("repo");
    assert_eq!(
        std::fs::read_to_string(repo.join(".git/HEAD")).unwrap(),
        "ref: refs/heads/main\n"
    );
    assert_eq!(
        std::fs::read_to_string(repo.join(".gitignore")).unwrap(),
        "target/\npublic/\n.folio-cache/\n",
        "only the missing line is added"
    );
    assert_eq!(site.run(&["build", "repo"]).status.code(), Some(0));
}

#[test]
fn init_refuses_a_folder_with_other_files_and_names_them() {
    let site = SiteTest::empty()
        .file("repo/.git/HEAD", "ref: refs/heads/main\n")
        .file("repo/notes.txt", "mine\n");
    let output = site.run(&["init", "repo"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("error: repo is not empty: it holds `notes.txt`"),
        "{stderr}"
    );
    assert!(!site.root.join("repo/book.toml").exists());
}

#[test]
fn new_writes_a_draft_page_with_front_matter_and_never_overwrites() {
    let site = SiteTest::empty();
    let output = site.run(&["new", "content/areas/new-area.md"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = std::fs::read_to_string(site.root.join("content/areas/new-area.md")).unwrap();
    assert!(text.starts_with("---\ntitle: \"New area\"\n"), "{text}");
    assert!(text.contains("draft: true"));
    assert!(
        !text.contains("description: \"\""),
        "an empty description would blank the meta description: {text}"
    );
    assert_eq!(
        site.run(&["new", "content/areas/new-area.md"])
            .status
            .code(),
        Some(1)
    );
    let options = folio::project::Options {
        drafts: true,
        ..site.options()
    };
    site.build_with(options)
        .expect_success()
        .expect_page("/areas/new-area/");
}

#[test]
fn new_puts_a_path_outside_the_content_folder_inside_it() {
    let site = SiteTest::empty();
    let output = site.run(&["new", "guide/foo.md"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("Created content/guide/foo.md"), "{stderr}");
    assert!(site.root.join("content/guide/foo.md").is_file());
    assert!(!site.root.join("guide").exists());

    let outside = site.run(&["new", "../foo.md"]);
    assert_eq!(outside.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&outside.stderr);
    assert!(
        stderr.contains("error: ../foo.md is outside the content folder content/"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`folio new content/my-page.md`"),
        "{stderr}"
    );
}

#[test]
fn usage_errors_exit_2_and_failed_commands_exit_1_as_the_readme_says() {
    let site = SiteTest::new("broken_link");
    for usage in [
        &["biuld"][..],
        &["build", "--nope"],
        &["serve", "--port", "x"],
    ] {
        let output = site.run(usage);
        assert_eq!(output.status.code(), Some(2), "folio {usage:?}");
        assert!(
            String::from_utf8_lossy(&output.stderr).contains("--help"),
            "folio {usage:?} points to the help"
        );
    }
    assert_eq!(site.run(&["build"]).status.code(), Some(1));
    assert_eq!(site.run(&["--help"]).status.code(), Some(0));
    let commands = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/manual/content/commands.md"
    ))
    .unwrap();
    assert!(
        commands.contains("Exit code 0 on success, 1 when the command fails")
            && commands.contains("2 when the command line itself is wrong"),
        "the manual's commands page documents both codes"
    );
}

#[test]
fn a_panic_never_reaches_the_user_on_garbage_arguments() {
    let site = SiteTest::empty();
    let output = site.run(&["build", "does-not-exist"]);
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn theme_copies_the_built_in_theme_and_keeps_the_sites_own_files() {
    let site = SiteTest::new("basic").file("theme/style.css", "body { color: teal }\n");
    let output = site.run(&["theme"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let total = folio::embedded::files(&folio::embedded::TEMPLATES).len()
        + folio::embedded::files(&folio::embedded::THEME).len();
    assert_eq!(
        stderr,
        format!(
            "Copied {} files of the built-in theme into templates/ and theme/; edit them to change how the site looks.\nKept theme/style.css: the site has its own.\n",
            total - 1
        )
    );
    assert_eq!(
        std::fs::read_to_string(site.root.join("theme/style.css")).unwrap(),
        "body { color: teal }\n"
    );
    assert_eq!(
        std::fs::read(site.root.join("templates/page.html")).unwrap(),
        include_bytes!("../../templates/page.html")
    );
    let again = String::from_utf8_lossy(&site.run(&["theme", "."]).stderr).into_owned();
    assert!(again.starts_with("Copied 0 files"), "{again}");
    assert_eq!(again.matches("\nKept ").count(), total, "{again}");
    assert_eq!(site.run(&["build"]).status.code(), Some(0));
}

#[test]
fn theme_refuses_a_folder_without_a_site() {
    let site = SiteTest::empty();
    let output = site.run(&["theme", "content"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("error: no book.toml in content, so no site to copy the theme into"),
        "{stderr}"
    );
    assert!(!site.root.join("content/templates").exists());
}
