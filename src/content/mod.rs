//! The content stage: walking `content/`, reading each file and parsing its front
//! matter into the page and section model.

pub mod date;
pub mod front_matter;
