//! folio builds mdBook books unchanged: their book.toml, SUMMARY.md, links helpers and
//! preprocessors are read as mdBook reads them, and every chapter is written where
//! mdBook writes it, so links into a published book keep working.

pub mod chapters;
pub mod config;
pub mod load;
pub mod preprocess;
pub mod summary;
