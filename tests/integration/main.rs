//! folio's integration tests: one binary, one fixture site per case under
//! `tests/fixtures/`.

mod cli;
mod diagnostics;
mod flagship;
mod harness;
mod links;
mod output;
mod serve;
mod structure;
mod templates;
