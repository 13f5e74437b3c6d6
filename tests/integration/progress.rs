//! Progress: the phases a build and a check report, in order and with their counts, and
//! what the binary prints with `--quiet` and away from a terminal.

use std::sync::Mutex;

use folio::progress::{Phase, Progress};

use crate::harness::SiteTest;

/// One phase as it was reported: its total, and how many steps were reported in it.
#[derive(Debug, PartialEq, Eq)]
struct Reported {
    phase: Phase,
    total: Option<usize>,
    steps: usize,
    finished: bool,
}

/// Records every phase it is told about.
#[derive(Default)]
struct Recording(Mutex<Vec<Reported>>);

impl Recording {
    fn phases(self) -> Vec<Reported> {
        self.0.into_inner().unwrap()
    }
}

impl Progress for Recording {
    fn started(&self, phase: Phase, total: Option<usize>) {
        let mut phases = self.0.lock().unwrap();
        assert!(
            phases.iter().all(|p| p.finished),
            "phases overlap: {phases:?}"
        );
        phases.push(Reported {
            phase,
            total,
            steps: 0,
            finished: false,
        });
    }

    fn advanced(&self) {
        let mut phases = self.0.lock().unwrap();
        let current = phases.last_mut().expect("a step within a phase");
        assert!(
            !current.finished,
            "a step after {:?} finished",
            current.phase
        );
        current.steps += 1;
    }

    fn finished(&self) {
        self.0.lock().unwrap().last_mut().unwrap().finished = true;
    }
}

fn phase(phase: Phase, total: Option<usize>, steps: usize) -> Reported {
    Reported {
        phase,
        total,
        steps,
        finished: true,
    }
}

#[test]
fn a_build_reports_each_slow_phase_in_order_with_its_count() {
    let site = SiteTest::new("basic");
    let recording = Recording::default();
    let report = folio::build::build_with_progress(&site.options(), &recording).unwrap();
    // The fixture's 10 Markdown pages are rendered and searched; the files written
    // include the taxonomy pages, the theme and the search index.
    let files = report.written.pages + report.written.assets;
    assert_eq!(files, 49);
    assert_eq!(
        recording.phases(),
        [
            phase(Phase::Reading, None, 0),
            phase(Phase::Markdown, Some(10), 10),
            phase(Phase::Indexing, Some(10), 10),
            phase(Phase::Writing, Some(files), files),
        ]
    );
}

#[test]
fn a_check_reports_reading_markdown_and_checking() {
    let site = SiteTest::new("basic");
    let recording = Recording::default();
    folio::check::check_with_progress(&site.options(), &recording).unwrap();
    // The files of a build but the search index's.
    let files = site.planned().files.len();
    assert_eq!(files, 32);
    assert_eq!(
        recording.phases(),
        [
            phase(Phase::Reading, None, 0),
            phase(Phase::Markdown, Some(10), 10),
            phase(Phase::Checking, Some(files), files),
        ]
    );
}

#[test]
fn quiet_prints_nothing_on_success() {
    for command in ["build", "check"] {
        for flag in ["--quiet", "-q"] {
            let output = SiteTest::empty()
                .file("content/_index.md", "---\ntitle: Home\n---\n\nHello.\n")
                .run(&[command, flag]);
            assert_eq!(output.status.code(), Some(0), "{command} {flag}");
            assert_eq!(
                String::from_utf8_lossy(&output.stderr),
                "",
                "{command} {flag}"
            );
            assert!(output.stdout.is_empty(), "{command} {flag}");
        }
    }
}

#[test]
fn quiet_still_prints_errors() {
    for command in ["build", "check"] {
        let stderr =
            SiteTest::new("broken_link").run_reporting_the_broken_link(&[command, "--quiet"]);
        assert!(
            stderr.ends_with(&format!("error: {command} failed with 1 error\n")),
            "{stderr}"
        );
    }
}

/// A site whose Markdown, search and writing phases each take long enough, in a debug
/// build, to show a bar on a terminal; stderr here is a pipe, as in CI, so none may
/// appear.
#[test]
fn away_from_a_terminal_a_long_build_prints_only_its_summary() {
    let mut site = SiteTest::empty();
    let paragraph = "Some words to render and to index, with `code` and *emphasis*.\n\n".repeat(40);
    for n in 0..100 {
        site = site.file(
            &format!("content/page-{n}.md"),
            &format!("---\ntitle: Page {n}\n---\n\n{paragraph}"),
        );
    }
    let started = std::time::Instant::now();
    let output = site.run(&["build"]);
    let elapsed = started.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.starts_with("Built 103 pages and "), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(!stderr.contains(['\r', '\x1b']), "{stderr:?}");
    eprintln!("the build took {elapsed:?}");
}
