#![no_main]

#[path = "../checks.rs"]
#[allow(dead_code, reason = "each target uses one of the shared checks")]
mod checks;

use std::sync::LazyLock;

use folio::markdown::Highlighter;

/// One highlighter for the whole run: loading grammars for every input would drown the
/// fuzzer.
static HIGHLIGHTER: LazyLock<Highlighter> = LazyLock::new(Highlighter::new);

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| checks::markdown(bytes, &HIGHLIGHTER));
