//! The `folio` command: parses the arguments and hands them to the library.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    folio::cli::run(folio::cli::Cli::parse())
}
