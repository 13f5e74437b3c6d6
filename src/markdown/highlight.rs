//! Build-time syntax highlighting with syntect, memoised by a hash of its input.
//!
//! STUB: to be implemented (see the markdown task).

/// Shared by all threads; the syntax set loads once, on first use.
#[derive(Default)]
pub struct Highlighter {}

impl Highlighter {
    pub fn new() -> Self {
        Self::default()
    }
}
