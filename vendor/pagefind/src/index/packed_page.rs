//! A parsed page as the index needs it, made as soon as the page is parsed: its words
//! already packed into the locations the word index stores, its fragment already
//! encoded, and every word held as a number. Keeping this instead of the parsed page
//! (each occurrence of each word as its own record, with its weight and original form)
//! is what lets the index of a large site be built in a fraction of the memory.

use std::collections::BTreeMap;
use std::hash::BuildHasher;
use std::ops::Range;
use std::sync::{Arc, Mutex};

use hashbrown::HashMap;

use minicbor::{Decode, Encode};

use crate::fossick::{FossickedData, FossickedWord, MetaFossickedWord};
use crate::utils::full_hash;

use super::packed_locations;

/// Every word and diacritic form of the pages added, by number. Pages are packed on
/// many threads at once, so the words are spread over shards with a lock each.
pub struct Words {
    shards: Vec<Mutex<HashMap<Box<str>, u32>>>,
    hasher: hashbrown::DefaultHashBuilder,
}

const SHARD_BITS: u32 = 6;

impl Default for Words {
    fn default() -> Self {
        Self {
            shards: (0..1 << SHARD_BITS).map(|_| Mutex::default()).collect(),
            hasher: Default::default(),
        }
    }
}

impl Words {
    /// The number of `word`, the same for every page that has it.
    pub fn number(&self, word: &str) -> u32 {
        let shard_index = (self.hasher.hash_one(word) as usize) & ((1 << SHARD_BITS) - 1);
        let mut shard = self.shards[shard_index]
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(&number) = shard.get(word) {
            return number;
        }
        let number = ((shard.len() as u32) << SHARD_BITS) | shard_index as u32;
        shard.insert(word.into(), number);
        number
    }

    /// Every word by its number.
    pub fn table(&mut self) -> Vec<&str> {
        let mut table = Vec::new();
        for shard in &mut self.shards {
            let shard = shard
                .get_mut()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            for (word, &number) in shard.iter() {
                let number = number as usize;
                if table.len() <= number {
                    table.resize(number + 1, "");
                }
                table[number] = &**word;
            }
        }
        table
    }
}

/// No diacritic form: the word as normalised.
pub const PLAIN: u32 = u32::MAX;

/// One form of one word on a page: where it is in the body, packed as the word index
/// stores it, and where it is in the metadata, as (field, position) pairs numbered by
/// the page's own fields, since the index numbers fields only once it has every page.
#[derive(Debug, Clone)]
pub struct PageWord {
    pub word: u32,
    /// [`PLAIN`], or the number of the form with diacritics.
    pub form: u32,
    pub locs: Range<u32>,
    pub meta: Range<u32>,
}

/// A parsed page, packed.
pub struct IndexedPage {
    pub url: String,
    pub language: String,
    pub has_custom_body: bool,
    pub force_inclusion: bool,
    pub has_html_element: bool,
    pub has_old_bundle_reference: bool,
    pub has_default_ui_reference: bool,
    /// Whether the page has any word to index.
    pub has_words: bool,
    pub sort: BTreeMap<String, String>,
    pub meta: BTreeMap<String, String>,
    pub filters: BTreeMap<String, Vec<String>>,
    pub word_count: usize,
    /// The page's fragment, as the browser fetches it; shared with the index's
    /// fragment files rather than copied, one page after another, into them.
    pub encoded_fragment: Arc<str>,
    /// The hash of the fragment, without the language the index puts in front of it.
    pub fragment_hash: String,
    /// The page's words. Those of one word are together, its plain form first, then
    /// its forms with diacritics in the order the index lists them: the body's in
    /// alphabetical order, then those only in the metadata, in alphabetical order.
    pub words: Vec<PageWord>,
    pub locs: Vec<i32>,
    pub meta_positions: Vec<(u16, u32)>,
}

/// A packed page with its words as text: what an [`IndexedPage`] is made from, and
/// what a caller can keep, as bytes, to add the same page to a later index without
/// parsing it again.
#[derive(Encode, Decode)]
pub struct PortablePage<'a> {
    #[n(0)]
    url: String,
    #[n(1)]
    language: String,
    /// [`FLAGS`], in order.
    #[n(2)]
    flags: Vec<bool>,
    #[n(3)]
    sort: BTreeMap<String, String>,
    #[n(4)]
    meta: BTreeMap<String, String>,
    #[n(5)]
    filters: BTreeMap<String, Vec<String>>,
    #[n(6)]
    word_count: u64,
    #[n(7)]
    encoded_fragment: String,
    #[n(8)]
    fragment_hash: String,
    /// The page's words in [`IndexedPage::words`]' order; each one's locations follow
    /// the previous one's.
    #[b(9)]
    words: Vec<PortableWord<'a>>,
    #[n(10)]
    locs: Vec<i32>,
    #[n(11)]
    meta_fields: Vec<u16>,
    #[n(12)]
    meta_positions: Vec<u32>,
}

/// has_custom_body, force_inclusion, has_html_element, has_old_bundle_reference,
/// has_default_ui_reference, has_words.
const FLAGS: usize = 6;

#[derive(Encode, Decode)]
struct PortableWord<'a> {
    #[b(0)]
    word: &'a str,
    #[b(1)]
    form: Option<&'a str>,
    #[n(2)]
    locs: u32,
    #[n(3)]
    meta: u32,
}

/// The locations of one form of a word on a page, while it is packed.
#[derive(Default)]
struct Form {
    locs: Vec<i32>,
    meta: Vec<(u16, u32)>,
}

impl<'a> PortablePage<'a> {
    /// Packs a parsed page. Its words are borrowed from `word_data` and
    /// `meta_word_data`, which is why they are taken apart from the rest of it.
    pub fn pack(
        page: FossickedData,
        word_data: &'a HashMap<String, Vec<FossickedWord>>,
        meta_word_data: &'a HashMap<String, Vec<MetaFossickedWord>>,
    ) -> Self {
        let encoded_fragment = serde_json::to_string(&page.fragment.data).unwrap();
        let fragment_hash = full_hash(encoded_fragment.as_bytes());
        // In no particular order: the index sorts words itself.
        let mut forms: HashMap<&str, (Option<Form>, Vec<(&str, Form)>)> =
            HashMap::with_capacity(word_data.len());
        for (word, positions) in word_data {
            let (plain, variants) = forms.entry(word.as_str()).or_default();
            // Most words have no form with diacritics: nothing to split, or to copy.
            if positions.iter().all(|p| p.original_word.is_none()) {
                let locs = packed_locations(positions.iter());
                *plain = Some(Form { locs, meta: vec![] });
                continue;
            }
            let (normal, by_form) = split_forms(positions, |p| p.original_word.as_deref());
            if !normal.is_empty() {
                let locs = packed_locations(normal.iter());
                *plain = Some(Form { locs, meta: vec![] });
            }
            for (form, positions) in by_form {
                let locs = packed_locations(positions.iter());
                variants.push((form, Form { locs, meta: vec![] }));
            }
        }
        for (word, positions) in meta_word_data {
            let (plain, variants) = forms.entry(word.as_str()).or_default();
            let (normal, by_form) = split_forms(positions, |p| p.original_word.as_deref());
            if !normal.is_empty() {
                plain.get_or_insert_with(Form::default).meta = meta_pairs(normal);
            }
            for (form, positions) in by_form {
                let meta = meta_pairs(positions);
                match variants.iter_mut().find(|(existing, _)| *existing == form) {
                    Some((_, existing)) => existing.meta = meta,
                    None => variants.push((form, Form { locs: vec![], meta })),
                }
            }
        }

        let mut packed = Self {
            url: page.url,
            language: page.language,
            flags: vec![
                page.has_custom_body,
                page.force_inclusion,
                page.has_html_element,
                page.has_old_bundle_reference,
                page.has_default_ui_reference,
                !word_data.is_empty(),
            ],
            sort: page.sort,
            word_count: page.fragment.data.word_count as u64,
            meta: page.fragment.data.meta,
            filters: page.fragment.data.filters,
            encoded_fragment,
            fragment_hash,
            words: Vec::new(),
            locs: Vec::new(),
            meta_fields: Vec::new(),
            meta_positions: Vec::new(),
        };
        for (word, (plain, variants)) in forms {
            if let Some(plain) = plain {
                packed.push(word, None, plain);
            }
            for (form, locations) in variants {
                packed.push(word, Some(form), locations);
            }
        }
        packed
    }

    fn push(&mut self, word: &'a str, form: Option<&'a str>, locations: Form) {
        self.words.push(PortableWord {
            word,
            form,
            locs: locations.locs.len() as u32,
            meta: locations.meta.len() as u32,
        });
        self.locs.extend(locations.locs);
        for (field, position) in locations.meta {
            self.meta_fields.push(field);
            self.meta_positions.push(position);
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = minicbor::to_vec(self).expect("writing to a vector cannot fail");
        // Kept until the index is written: not with up to as much again to spare.
        bytes.shrink_to_fit();
        bytes
    }

    /// The page `bytes` hold, if they hold one.
    pub fn from_bytes(bytes: &'a [u8]) -> Option<Self> {
        let page: Self = minicbor::decode(bytes).ok()?;
        let locs: usize = page.words.iter().map(|w| w.locs as usize).sum();
        let meta: usize = page.words.iter().map(|w| w.meta as usize).sum();
        (page.flags.len() == FLAGS
            && locs == page.locs.len()
            && meta == page.meta_positions.len()
            && meta == page.meta_fields.len())
        .then_some(page)
    }

    /// The page as the index holds it, its words numbered by `words`.
    pub fn into_indexed(self, words: &Words) -> IndexedPage {
        let mut locs = 0;
        let mut meta = 0;
        let page_words = (self.words.iter())
            .map(|word| {
                let page_word = PageWord {
                    word: words.number(word.word),
                    form: word.form.map_or(PLAIN, |form| words.number(form)),
                    locs: locs..locs + word.locs,
                    meta: meta..meta + word.meta,
                };
                locs += word.locs;
                meta += word.meta;
                page_word
            })
            .collect();
        let flag = |i: usize| self.flags[i];
        IndexedPage {
            has_custom_body: flag(0),
            force_inclusion: flag(1),
            has_html_element: flag(2),
            has_old_bundle_reference: flag(3),
            has_default_ui_reference: flag(4),
            has_words: flag(5),
            url: self.url,
            language: self.language,
            sort: self.sort,
            meta: self.meta,
            filters: self.filters,
            word_count: self.word_count as usize,
            encoded_fragment: self.encoded_fragment.into(),
            fragment_hash: self.fragment_hash,
            words: page_words,
            locs: self.locs,
            meta_positions: self.meta_fields.into_iter().zip(self.meta_positions).collect(),
        }
    }
}

impl IndexedPage {
    pub fn locs(&self, word: &PageWord) -> &[i32] {
        &self.locs[word.locs.start as usize..word.locs.end as usize]
    }

    pub fn meta_positions(&self, word: &PageWord) -> &[(u16, u32)] {
        &self.meta_positions[word.meta.start as usize..word.meta.end as usize]
    }
}

/// A word's positions without diacritics, and those of each form with diacritics in
/// alphabetical order of the form.
fn split_forms<'a, T: Clone>(
    positions: &'a [T],
    original: impl Fn(&'a T) -> Option<&'a str>,
) -> (Vec<T>, BTreeMap<&'a str, Vec<T>>) {
    let mut normal = Vec::new();
    let mut by_form: BTreeMap<&str, Vec<T>> = BTreeMap::new();
    for position in positions {
        match original(position) {
            None => normal.push(position.clone()),
            Some(form) => by_form.entry(form).or_default().push(position.clone()),
        }
    }
    (normal, by_form)
}

fn meta_pairs(positions: Vec<MetaFossickedWord>) -> Vec<(u16, u32)> {
    positions.into_iter().map(|p| (p.field_id, p.position)).collect()
}
