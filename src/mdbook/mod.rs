//! mdBook compatibility: what folio needs to build an mdBook book unchanged, starting
//! with its book.toml.

pub mod config;
