use std::borrow::Cow;

use minicbor::Encode;

/// The word index chunks in `pagefind/index/`

/// A single word index chunk: `pagefind/index/*.pf_index`
#[derive(Encode)]
pub struct WordIndex<'a> {
    #[n(0)]
    pub words: Vec<PackedWord<'a>>,
}

/// A single word as an inverse index of all locations on the site
#[derive(Encode, Clone, Debug)]
pub struct PackedWord<'a> {
    #[n(0)]
    pub word: String,
    #[n(1)]
    pub pages: Vec<PackedPage<'a>>,
    #[n(2)]
    pub additional_variants: Vec<PackedVariant<'a>>,
}

/// A variant of a word with different diacritics (e.g., "café" vs "cafe")
#[derive(Encode, Clone, Debug)]
pub struct PackedVariant<'a> {
    #[n(0)]
    pub form: String,
    #[n(1)]
    pub pages: Vec<PackedPage<'a>>,
}

/// A set of locations on a given page, borrowed from the page where they are kept
/// packed already (encoded as a `Vec` would be)
#[derive(Encode, Clone, Debug)]
pub struct PackedPage<'a> {
    #[n(0)]
    pub page_number: usize, // Won't exceed u32 but saves us some into()s
    #[n(1)]
    pub locs: Cow<'a, [i32]>,
    #[n(2)]
    pub meta_locs: Vec<i32>,
}
