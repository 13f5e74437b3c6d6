//! folio builds mdBook books unchanged: what an mdBook book needs beyond folio's own
//! sites lives here.

pub mod preprocess;
