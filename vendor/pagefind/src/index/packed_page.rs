//! A parsed page as the index needs it, made as soon as the page is parsed: its words
//! already packed into the locations the word index stores, its fragment already
//! encoded, and every word held as a number. Keeping this instead of the parsed page
//! (each occurrence of each word as its own record, with its weight and original form)
//! is what lets the index of a large site be built in a fraction of the memory.

use std::collections::BTreeMap;
use std::hash::BuildHasher;
use std::ops::Range;
use std::sync::Mutex;

use hashbrown::HashMap;

use crate::fossick::{FossickedData, MetaFossickedWord};
use crate::utils::full_hash;

use super::positions_to_packed_page;

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
    /// The page's fragment, as the browser fetches it.
    pub encoded_fragment: String,
    /// The hash of the fragment, without the language the index puts in front of it.
    pub fragment_hash: String,
    /// The page's words. Those of one word are together, its plain form first, then
    /// its forms with diacritics in the order the index lists them: the body's in
    /// alphabetical order, then those only in the metadata, in alphabetical order.
    pub words: Vec<PageWord>,
    pub locs: Vec<i32>,
    pub meta_positions: Vec<(u16, u32)>,
}

/// The locations of one form of a word on a page, while it is packed.
#[derive(Default)]
struct Form {
    locs: Vec<i32>,
    meta: Vec<(u16, u32)>,
}

impl IndexedPage {
    pub fn pack(page: FossickedData, words: &Words) -> Self {
        let encoded_fragment = serde_json::to_string(&page.fragment.data).unwrap();
        let fragment_hash = full_hash(encoded_fragment.as_bytes());
        let mut forms: BTreeMap<&str, (Option<Form>, Vec<(&str, Form)>)> = BTreeMap::new();
        for (word, positions) in &page.word_data {
            let (plain, variants) = forms.entry(word.as_str()).or_default();
            let (normal, by_form) = split_forms(positions, |p| p.original_word.as_deref());
            if !normal.is_empty() {
                let locs = positions_to_packed_page(normal, 0).locs;
                *plain = Some(Form { locs, meta: vec![] });
            }
            for (form, positions) in by_form {
                let locs = positions_to_packed_page(positions, 0).locs;
                variants.push((form, Form { locs, meta: vec![] }));
            }
        }
        for (word, positions) in &page.meta_word_data {
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
            has_words: !page.word_data.is_empty(),
            url: page.url,
            language: page.language,
            has_custom_body: page.has_custom_body,
            force_inclusion: page.force_inclusion,
            has_html_element: page.has_html_element,
            has_old_bundle_reference: page.has_old_bundle_reference,
            has_default_ui_reference: page.has_default_ui_reference,
            sort: page.sort,
            word_count: page.fragment.data.word_count,
            meta: page.fragment.data.meta,
            filters: page.fragment.data.filters,
            encoded_fragment,
            fragment_hash,
            words: Vec::new(),
            locs: Vec::new(),
            meta_positions: Vec::new(),
        };
        for (word, (plain, variants)) in forms {
            let number = words.number(word);
            if let Some(plain) = plain {
                packed.push(number, PLAIN, plain);
            }
            for (form, locations) in variants {
                packed.push(number, words.number(form), locations);
            }
        }
        packed
    }

    fn push(&mut self, word: u32, form: u32, locations: Form) {
        let locs = extend(&mut self.locs, locations.locs);
        let meta = extend(&mut self.meta_positions, locations.meta);
        self.words.push(PageWord {
            word,
            form,
            locs,
            meta,
        });
    }

    pub fn locs(&self, word: &PageWord) -> &[i32] {
        &self.locs[word.locs.start as usize..word.locs.end as usize]
    }

    pub fn meta_positions(&self, word: &PageWord) -> &[(u16, u32)] {
        &self.meta_positions[word.meta.start as usize..word.meta.end as usize]
    }
}

fn extend<T>(all: &mut Vec<T>, more: Vec<T>) -> Range<u32> {
    let start = all.len() as u32;
    all.extend(more);
    start..all.len() as u32
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
