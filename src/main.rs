//! The `folio` command: parses the arguments and hands them to the library.

use std::process::ExitCode;

use clap::Parser;

/// mimalloc: builds allocate and free millions of small strings from several threads,
/// where it is faster than the system allocator and returns memory more readily.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    folio::cli::run(folio::cli::Cli::parse())
}
