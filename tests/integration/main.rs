//! folio's integration tests: one binary, one fixture site per case under
//! `tests/fixtures/`.

mod browser;
mod charts;
mod cli;
mod diagnostics;
mod filters;
mod flagship;
mod front_matter_toml;
mod fuzz_regressions;
mod harness;
mod includes;
mod knowledge;
mod links;
mod mdbook;
mod output;
mod pipeline;
mod progress;
mod related;
mod reliability;
mod search;
mod security;
mod serve;
mod snapshots;
mod structure;
mod templates;
mod theme;
