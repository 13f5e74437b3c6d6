//! folio: a static documentation site generator.
//!
//! The build runs one way through the stages, each in its own module:
//! `config` → `content` → `markdown` → `site` → `render` → `output`. `project` derives
//! every folder and setting once; `pipeline` runs the stages, and the commands
//! (`build`, `check`, `serve`) all start from it.

pub mod build;
pub mod charts;
pub mod check;
pub mod cli;
pub mod config;
pub mod content;
pub mod diag;
pub mod embedded;
pub mod includes;
pub mod markdown;
pub mod mdbook;
pub mod memo;
pub mod output;
pub mod pipeline;
pub mod progress;
pub mod project;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod shortcodes;
pub mod site;
pub mod staged;
