//! The `folio` command: parses the arguments and hands them to the library.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    folio::cli::run(folio::cli::Cli::parse())
}

/// jemalloc (already built for pagefind) rather than glibc's allocator: with glibc, a
/// `serve` rebuild of 10,000 pages spent about a fifth of its time consolidating free
/// lists, and a clean build peaked some 15 MiB higher.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
