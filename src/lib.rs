//! folio: a static documentation site generator.
//!
//! The build runs one way through the stages, each in its own module:
//! `config` → `content` → `markdown` → `site` → `render` → `output`.

pub mod diag;
pub mod content;
pub mod markdown;
