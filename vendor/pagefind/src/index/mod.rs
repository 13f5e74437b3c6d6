use hashbrown::HashMap;
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::sync::atomic::{AtomicI32, AtomicUsize, Ordering::Relaxed};
use std::sync::Arc;

use crate::{
    fossick::{FossickedWord, MetaFossickedWord},
    index::index_metadata::MetaFilter,
    utils::full_hash,
    SearchOptions,
};
use anyhow::{bail, Result};
use index_filter::{FilterIndex, PackedValue};
use index_metadata::{MetaChunk, MetaIndex, MetaPage};
use index_words::{PackedPage, PackedVariant, PackedWord, WordIndex};

use self::index_metadata::MetaSort;

mod index_filter;
mod index_metadata;
mod index_words;
pub mod packed_page;

use packed_page::{IndexedPage, PageWord, PLAIN};

pub struct PagefindIndexes {
    pub word_indexes: HashMap<String, Vec<u8>>,
    pub filter_indexes: HashMap<String, Vec<u8>>,
    pub meta_index: (String, Vec<u8>),
    /// Each fragment's file name and content, shared with the page it is of.
    pub fragments: Vec<(String, Arc<str>)>,
    pub sorts: Vec<String>,
    pub language: String,
    pub word_count: usize,
    pub page_count: usize,
}

#[derive(Clone)]
struct IntermediaryPageData {
    full_hash: String,
    encoded_data: Arc<str>,
    word_count: usize,
    page_number: usize,
}

#[derive(Debug)]
enum SortType {
    String,
    Number,
}

/// Every word of the pages added, by number, and its place in alphabetical order.
pub struct WordTable<'a> {
    pub words: Vec<&'a str>,
    pub ranks: Vec<u32>,
}

impl<'a> WordTable<'a> {
    pub fn new(words: Vec<&'a str>) -> Self {
        let mut order: Vec<u32> = (0..words.len() as u32).collect();
        order.par_sort_unstable_by_key(|&number| words[number as usize]);
        let mut ranks = vec![0; words.len()];
        for (rank, &number) in order.iter().enumerate() {
            ranks[number as usize] = rank as u32;
        }
        Self { words, ranks }
    }
}

pub async fn build_indexes(
    pages: Vec<&IndexedPage>,
    words: &WordTable<'_>,
    language: String,
    options: &SearchOptions,
) -> Result<PagefindIndexes> {
    let mut meta = MetaIndex {
        version: options.version.into(),
        pages: Vec::new(),
        index_chunks: Vec::new(),
        filters: Vec::new(),
        sorts: Vec::new(),
        meta_fields: Vec::new(),
    };

    /*
        - Collect all sort keys
        - Sort `pages` by one of them and set `default_sort`
        - Do the main enumerate loop as an iter_mut and set page numbers
        - Later on, for each other sort key:
            - Sort the `pages` array and output the page numbers to `alternate_sorts`
    */

    let mut filter_map: HashMap<String, HashMap<String, Vec<usize>>> = HashMap::new();
    let mut fragment_hashes: HashMap<String, IntermediaryPageData> = HashMap::new();
    let mut fragments: Vec<(usize, (String, IntermediaryPageData))> = Vec::new();

    // Pages are numbered in the order given; they are borrowed, so that the caller
    // need not copy every page's words to build an index of them.

    // Get all possible sort keys
    let mut sorts: Vec<_> = pages
        .iter()
        .flat_map(|page| page.sort.keys().cloned())
        .collect();
    sorts.sort_unstable();
    sorts.dedup();

    // Determine the best sorting parser that fits all available values for each given key
    let mut sort_types: BTreeMap<String, SortType> = BTreeMap::new();
    for sort in sorts.iter() {
        let mut sort_values = pages.iter().flat_map(|page| page.sort.get(sort));
        sort_types.insert(
            sort.clone(),
            if sort_values.all(|v| parse_int_sort(v).is_some() || parse_float_sort(v).is_some()) {
                SortType::Number
            } else {
                SortType::String
            },
        );
    }

    for (sort_key, sort_type) in sort_types {
        let mut page_values: Vec<_> = pages
            .iter()
            .enumerate()
            .flat_map(|(page_number, page)| page.sort.get(&sort_key).map(|v| (v, page_number)))
            .collect();
        options.logger.v_info(format!(
            "Prebuilding sort order for {sort_key}, processed as type: {sort_type:#?}"
        ));
        match sort_type {
            SortType::String => page_values.sort_by_key(|p| p.0),
            SortType::Number => page_values.sort_by(|p1, p2| {
                let p1 = parse_int_sort(p1.0)
                    .map(|i| i as f32)
                    .unwrap_or_else(|| parse_float_sort(p1.0).unwrap_or_default());
                let p2 = parse_int_sort(p2.0)
                    .map(|i| i as f32)
                    .unwrap_or_else(|| parse_float_sort(p2.0).unwrap_or_default());

                p1.total_cmp(&p2)
            }),
        }
        meta.sorts.push(MetaSort {
            sort: sort_key,
            pages: page_values.into_iter().map(|p| p.1).collect(),
        });
    }

    let mut meta_fields_set: BTreeSet<String> = BTreeSet::new();
    for page in pages.iter() {
        meta_fields_set.extend(page.meta.keys().cloned());
    }
    meta.meta_fields = meta_fields_set.into_iter().collect();

    // Each page's fields numbered as the index numbers them.
    let field_numbers: Vec<Vec<u16>> = pages
        .par_iter()
        .map(|page| {
            (page.meta.keys())
                .map(|name| meta.meta_fields.iter().position(|f| f == name).unwrap() as u16)
                .collect()
        })
        .collect();

    // One posting per word of each page, made reading each page in turn, and sorted as
    // the index lists them.
    let mut postings: Vec<Posting> = pages
        .par_iter()
        .enumerate()
        .flat_map_iter(|(page_number, page)| {
            let mut first = 0;
            page.words
                .chunk_by(|a, b| a.word == b.word)
                .map(move |forms| {
                    let rank = words.ranks[forms[0].word as usize] as u64;
                    let posting = Posting {
                        key: (rank << 32) | page_number as u64,
                        first: first as u32,
                        size: forms.iter().map(|form| form_size(page, form)).sum::<u32>()
                            | if forms.iter().any(|form| form.form != PLAIN) {
                                HAS_VARIANTS
                            } else {
                                0
                            },
                    };
                    first += forms.len();
                    posting
                })
        })
        .collect();
    postings.par_sort_unstable_by_key(|posting| posting.key);
    let word_postings: Vec<&[Posting]> = postings
        .chunk_by(|a, b| a.key >> 32 == b.key >> 32)
        .collect();
    let postings_of_word = WordPostings {
        pages: &pages,
        words,
        field_numbers: &field_numbers,
    };

    for (page_number, page) in pages.iter().enumerate() {
        for (filter, values) in &page.filters {
            for value in values {
                filter_map
                    .entry(filter.clone())
                    .or_default()
                    .entry(value.clone())
                    .or_default()
                    .push(page_number);
            }
        }
        let encoded_page = IntermediaryPageData {
            full_hash: format!("{}_{}", language, page.fragment_hash),
            word_count: page.word_count,
            page_number,
            encoded_data: Arc::clone(&page.encoded_fragment),
        };
        // Handle fragment hashing (must be sequential due to collision handling)
        let mut short_hash = &encoded_page.full_hash[0..=(language.len() + 7)];

        // If we hit a collision, extend one until we stop colliding
        // TODO: There are some collision issues here.
        // If two builds match a collision in different orders the hashes will swap,
        // which could return incorrect data due to files being cached.
        while let Some(collision) = fragment_hashes.get(short_hash) {
            if collision.full_hash == encoded_page.full_hash {
                // These pages are identical. Add both under the same hash.
                fragments.push((
                    collision.word_count,
                    (collision.full_hash.clone(), collision.clone()),
                ));
            } else {
                let new_length = short_hash.len();
                short_hash = &encoded_page.full_hash[0..=new_length];
            }
        }
        fragment_hashes.insert(short_hash.to_string(), encoded_page);
    }

    fragments.extend(
        fragment_hashes
            .into_iter()
            .map(|(hash, frag)| (frag.word_count, (hash, frag))),
    );
    fragments.sort_by_cached_key(|(_, (_, fragment))| fragment.page_number);

    let page_count = fragments.len();
    let mut final_fragments = Vec::new();

    if let Some(max_fragments) =
        options.max_fragments.filter(|&m| m > 0 && (m as usize) < fragments.len())
    {
        let group_size = (fragments.len() as f32 / max_fragments as f32).ceil() as usize;
        options.logger.info(format!(
            "Bundling {} fragments into groups of {}, resulting in {} files",
            fragments.len(),
            group_size,
            fragments.chunks(group_size).len()
        ));
        let mut group_hashes: BTreeSet<String> = BTreeSet::new();
        for chunk in fragments.chunks(group_size) {
            let mut group_map = BTreeMap::new();
            for (_, (hash, frag)) in chunk {
                let val: serde_json::Value = serde_json::from_str(&frag.encoded_data).unwrap();
                group_map.insert(hash.clone(), val);
            }
            let group_json = serde_json::to_string(&group_map).unwrap();
            let prefix = format!("{language}_group_");
            let group_hash = format!("{prefix}{}", full_hash(group_json.as_bytes()));

            // If we hit a collision, extend one hash until we stop colliding
            let mut hash_length = 7;
            let mut short_group_hash = &group_hash[..prefix.len() + hash_length];
            while group_hashes.contains(short_group_hash) && hash_length < 40 {
                hash_length += 1;
                short_group_hash = &group_hash[..prefix.len() + hash_length];
            }
            group_hashes.insert(short_group_hash.to_string());

            final_fragments.push((short_group_hash.to_string(), group_json.into()));

            for (word_count, (hash, _)) in chunk {
                meta.pages.push(MetaPage {
                    hash: hash.clone(),
                    word_count: *word_count as u32,
                    group_hash: short_group_hash.to_string(),
                });
            }
        }
    } else {
        for (word_count, (hash, frag)) in fragments {
            final_fragments.push((hash.clone(), frag.encoded_data));
            meta.pages.push(MetaPage {
                hash: hash.clone(),
                word_count: word_count as u32,
                group_hash: "".into(),
            });
        }
    }

    // Encode filter indexes in parallel
    // Accumulate into HashMap for O(1) inserts, then sort once before encoding
    // to produce a stable hash without paying BTreeMap's per-insert overhead.
    let mut filter_map_vec: Vec<_> = filter_map.into_iter().collect();
    filter_map_vec.sort_unstable_by(|(a, _), (b, _)| a.cmp(b));
    let encoded_filters: Vec<(String, Vec<u8>, String)> = filter_map_vec
        .into_par_iter()
        .map(|(filter, values)| {
            let mut sorted_values: Vec<_> = values.into_iter().collect();
            sorted_values.sort_unstable_by(|(a, _), (b, _)| a.cmp(b));
            let mut filter_index: Vec<u8> = Vec::new();
            let _ = minicbor::encode::<FilterIndex, &mut Vec<u8>>(
                FilterIndex {
                    filter: filter.clone(),
                    values: sorted_values
                        .into_iter()
                        .map(|(value, pages)| PackedValue { value, pages })
                        .collect(),
                },
                filter_index.as_mut(),
            );
            let hash = format!("{}_{}", language, full_hash(&filter_index));
            (filter, filter_index, hash)
        })
        .collect();

    // Handle hash collisions sequentially (required for correctness)
    let mut filter_indexes = HashMap::new();
    for (filter, filter_index, hash) in encoded_filters {
        let mut short_hash = &hash[0..=(language.len() + 7)];

        // If we hit a collision, extend one hash until we stop colliding
        // TODO: DRY
        while filter_indexes.contains_key(short_hash) {
            let new_length = short_hash.len() + 1;
            short_hash = &hash[0..=new_length];

            if short_hash.len() == hash.len() {
                break;
            }
        }
        filter_indexes.insert(short_hash.to_string(), filter_index);
        meta.filters.push(MetaFilter {
            filter,
            hash: short_hash.to_string(),
        })
    }

    if TryInto::<u32>::try_into(meta.pages.len()).is_err() {
        options.logger.error(format!(
            "Language {} has too many documents to index, must be < {}",
            language,
            u32::MAX
        ));
        bail!(
            "Language {language} has too many documents to index, must be < {}",
            u32::MAX
        );
    }

    // TODO: Parameterize these chunk sizes via byte size rather than word count
    let word_count = word_postings.len();
    let sizes: Vec<usize> = word_postings
        .par_iter()
        .map(|postings| postings_of_word.size(postings))
        .collect();
    let chunks = chunk_ranges(&sizes, options.index_chunk_size);
    meta.index_chunks = chunk_meta(chunks.iter().map(|range| {
        (
            postings_of_word.word(word_postings[range.start]),
            postings_of_word.word(word_postings[range.end - 1]),
        )
    }));

    // Every posting's forms, copied in the index's order page by page, so that each
    // chunk is packed from one stretch of memory.
    let records = postings_of_word.records(&word_postings);

    // Encode word index chunks in parallel (delta encoding + CBOR serialization)
    let encoded_chunks: Vec<(usize, Vec<u8>, String)> = chunks
        .into_par_iter()
        .enumerate()
        .map(|(i, range)| {
            let mut cursor = records.of(range.clone());
            let chunk = word_postings[range]
                .iter()
                .map(|postings| postings_of_word.packed_word(postings, &mut cursor));
            // Delta-encode page numbers within each word's page list
            let delta_chunk: Vec<PackedWord> = chunk
                .into_iter()
                .map(|mut word| {
                    let mut last_page: usize = 0;
                    for page in &mut word.pages {
                        let delta = page.page_number - last_page;
                        last_page = page.page_number;
                        page.page_number = delta;
                    }
                    // Also handle additional_variants
                    for variant in &mut word.additional_variants {
                        let mut last_page: usize = 0;
                        for page in &mut variant.pages {
                            let delta = page.page_number - last_page;
                            last_page = page.page_number;
                            page.page_number = delta;
                        }
                    }
                    word
                })
                .collect();

            let mut word_index: Vec<u8> = Vec::new();
            let _ = minicbor::encode::<WordIndex, &mut Vec<u8>>(
                WordIndex { words: delta_chunk },
                word_index.as_mut(),
            );

            let hash = format!("{}_{}", language, full_hash(&word_index));
            (i, word_index, hash)
        })
        .collect();

    // Handle hash collisions sequentially (required for correctness)
    let mut word_indexes: HashMap<String, Vec<u8>> = HashMap::new();
    for (i, word_index, hash) in encoded_chunks {
        let mut short_hash = &hash[0..=(language.len() + 7)];

        // If we hit a collision, extend one hash until we stop colliding
        while word_indexes.contains_key(short_hash) {
            let new_length = short_hash.len() + 1;
            short_hash = &hash[0..=new_length];

            if short_hash.len() == hash.len() {
                break;
            }
        }
        word_indexes.insert(short_hash.to_string(), word_index);
        meta.index_chunks[i].hash = short_hash.into();
    }

    let mut meta_index: Vec<u8> = Vec::new();
    let _ = minicbor::encode::<MetaIndex, &mut Vec<u8>>(meta, meta_index.as_mut());

    let meta_hash = format!(
        "{}_{}",
        language,
        &full_hash(&meta_index)[0..=(language.len() + 7)]
    );

    Ok(PagefindIndexes {
        word_indexes,
        filter_indexes,
        sorts,
        meta_index: (meta_hash, meta_index),
        fragments: final_fragments,
        language,
        word_count,
        page_count,
    })
}

/// The locations of one form of a word on a page, as the word index stores them:
/// sorted by weight (the common weight 25 first, since most words have it) then by
/// position, each position a delta from the one before, and each change of weight a
/// negative number followed by an absolute position. Positions come in reading order,
/// and most words have one weight on a page, so there is usually nothing to sort.
fn packed_locations<'a>(positions: impl Iterator<Item = &'a FossickedWord> + Clone) -> Vec<i32> {
    let key = |p: &FossickedWord| (if p.weight == 25 { 0 } else { p.weight }, p.position);
    if positions.clone().map(key).is_sorted() {
        return delta_encoded(positions.map(|p| (p.weight, p.position)));
    }
    // Only the weight and position are kept, so the order of equal keys is of no matter.
    let mut sorted: Vec<&FossickedWord> = positions.collect();
    sorted.sort_unstable_by_key(|p| key(p));
    delta_encoded(sorted.into_iter().map(|p| (p.weight, p.position)))
}

/// [`packed_locations`] of (weight, position) pairs already in order.
fn delta_encoded(positions: impl Iterator<Item = (u8, u32)> + Clone) -> Vec<i32> {
    let mut current_weight = 25;
    // Each change of weight takes one more number.
    let (count, weight_changes, _) = positions
        .clone()
        .fold((0, 0, current_weight), |(count, changes, weight), (w, _)| {
            (count + 1, changes + usize::from(w != weight), w)
        });
    let mut weighted_positions = Vec::with_capacity(count + weight_changes);
    let mut last_position = 0;
    for (weight, position) in positions {
        if weight != current_weight {
            // Weight change: emit marker + absolute position, new delta base
            weighted_positions.push(-(weight as i32) - 1);
            weighted_positions.push(position as i32);
            current_weight = weight;
        } else {
            // emit delta from previous position
            weighted_positions.push((position - last_position) as i32);
        }
        last_position = position;
    }
    weighted_positions
}

/// The words of a language's index, each from its postings.
struct WordPostings<'a> {
    pages: &'a [&'a IndexedPage],
    words: &'a WordTable<'a>,
    field_numbers: &'a [Vec<u16>],
}

/// One word of one page, as the word index lists it.
#[derive(Clone, Copy)]
struct Posting {
    /// The word's place in alphabetical order, then the page's number: the order of
    /// the index.
    key: u64,
    /// Where the word's forms start among the page's words.
    first: u32,
    /// What the word's forms on the page take of a chunk ([`form_size`]), with
    /// [`HAS_VARIANTS`] set when one of them has diacritics.
    size: u32,
}

const HAS_VARIANTS: u32 = 1 << 31;

/// What one form of a word on a page takes of a chunk: a location per occurrence and
/// per change of metadata field, and one for the page.
fn form_size(page: &IndexedPage, form: &PageWord) -> u32 {
    let meta = page.meta_positions(form);
    let mut fields: Vec<u16> = meta.iter().map(|&(field, _)| field).collect();
    fields.sort_unstable();
    fields.dedup();
    (form.locs.len() + meta.len() + fields.len() + 1) as u32
}

impl WordPostings<'_> {
    fn word(&self, postings: &[Posting]) -> &str {
        let (page_number, first) = Self::posting(postings[0]);
        self.words.words[self.pages[page_number].words[first].word as usize]
    }

    fn posting(posting: Posting) -> (usize, usize) {
        (
            (posting.key & u64::from(u32::MAX)) as usize,
            posting.first as usize,
        )
    }

    /// The forms of the word on each page of its postings, with the page's number.
    fn forms<'b>(
        &'b self,
        postings: &'b [Posting],
    ) -> impl Iterator<Item = (usize, &'b IndexedPage, &'b PageWord)> + 'b {
        postings.iter().flat_map(move |&posting| {
            let (page_number, first) = Self::posting(posting);
            let page = self.pages[page_number];
            let number = page.words[first].word;
            (page.words[first..].iter())
                .take_while(move |w| w.word == number)
                .map(move |word| (page_number, page, word))
        })
    }

    /// How much of a chunk the word takes: what its forms take on each page, and one
    /// per form with diacritics. Only the pages where it has such a form are read.
    fn size(&self, postings: &[Posting]) -> usize {
        let with_variants: Vec<Posting> = (postings.iter())
            .filter(|posting| posting.size & HAS_VARIANTS != 0)
            .copied()
            .collect();
        let mut forms: Vec<u32> = (self.forms(&with_variants))
            .map(|(_, _, word)| word.form)
            .filter(|&form| form != PLAIN)
            .collect();
        forms.sort_unstable();
        forms.dedup();
        let sizes: usize = (postings.iter())
            .map(|posting| (posting.size & !HAS_VARIANTS) as usize)
            .sum();
        sizes + forms.len()
    }

    /// How many numbers the posting's record takes in [`PostingRecords`]: its count of
    /// forms, then, for each form, its number, its locations and its metadata
    /// locations, each with their count. A posting's size counts a form's locations,
    /// metadata locations and one more, so only a posting with diacritic forms needs
    /// its page read to count its forms.
    fn record_len(&self, posting: Posting) -> usize {
        let forms = if posting.size & HAS_VARIANTS == 0 {
            1
        } else {
            self.forms(&[posting]).count()
        };
        (posting.size & !HAS_VARIANTS) as usize + 2 * forms + 1
    }

    /// Every posting's record, one after another in the index's order, written by
    /// reading each page once, in parallel: each page's words go to the places their
    /// postings hold in the index. Packing the word index then reads one stretch of
    /// memory per chunk, instead of one place on a page per posting, the pages spread
    /// over all the memory the index holds (which made packing grow faster than the
    /// site did).
    fn records(&self, word_postings: &[&[Posting]]) -> PostingRecords {
        let word_starts = starts(
            word_postings
                .par_iter()
                .map(|postings| postings.iter().map(|&p| self.record_len(p)).sum())
                .collect(),
        );
        let destinations = self.destinations(word_postings, &word_starts);
        let values: Vec<AtomicI32> = (0..word_starts[word_starts.len() - 1])
            .map(|_| AtomicI32::new(0))
            .collect();
        self.pages.par_iter().enumerate().for_each(|(page_number, page)| {
            let mut first = 0;
            for forms in page.words.chunk_by(|a, b| a.word == b.word) {
                let at = destinations.at(page_number, first);
                self.write_record(page_number, page, forms, &values[at..]);
                first += forms.len();
            }
        });
        PostingRecords {
            values: values.into_iter().map(AtomicI32::into_inner).collect(),
            word_starts,
        }
    }

    /// Where the record of each posting goes, found from where each word's records start.
    fn destinations(&self, word_postings: &[&[Posting]], word_starts: &[usize]) -> Destinations {
        let form_starts = starts(self.pages.iter().map(|page| page.words.len()).collect());
        let forms = form_starts[form_starts.len() - 1];
        let places: Vec<AtomicUsize> = (0..forms).map(|_| AtomicUsize::new(0)).collect();
        word_postings
            .par_iter()
            .zip(word_starts)
            .for_each(|(postings, &start)| {
                let mut at = start;
                for &posting in postings.iter() {
                    let (page_number, first) = Self::posting(posting);
                    places[form_starts[page_number] + first].store(at, Relaxed);
                    at += self.record_len(posting);
                }
            });
        Destinations { form_starts, places }
    }

    /// Writes the record of one word's forms on a page at the start of `record`.
    fn write_record(
        &self,
        page_number: usize,
        page: &IndexedPage,
        forms: &[PageWord],
        record: &[AtomicI32],
    ) {
        let mut slots = record.iter();
        let mut put = |value: i32| {
            if let Some(slot) = slots.next() {
                slot.store(value, Relaxed);
            }
        };
        put(forms.len() as i32);
        for form in forms {
            put(form.form as i32);
            let locs = page.locs(form);
            put(locs.len() as i32);
            locs.iter().for_each(|&loc| put(loc));
            let meta = self.packed_meta(page_number, page, form);
            put(meta.len() as i32);
            meta.into_iter().for_each(&mut put);
        }
    }

    /// The form's metadata locations, fields numbered as the index numbers them.
    fn packed_meta(&self, page_number: usize, page: &IndexedPage, form: &PageWord) -> Vec<i32> {
        let meta_positions = page
            .meta_positions(form)
            .iter()
            .map(|&(field, position)| MetaFossickedWord {
                field_id: self.field_numbers[page_number][field as usize],
                position,
                original_word: None,
            })
            .collect();
        meta_positions_to_packed(meta_positions)
    }

    /// The word as the index stores it: its pages in order, each form with diacritics
    /// where it is first met, read from its postings' records at `records`, which it
    /// moves past them.
    fn packed_word<'b>(&'b self, postings: &[Posting], records: &mut &'b [i32]) -> PackedWord<'b> {
        let mut packed = PackedWord {
            word: self.word(postings).to_string(),
            pages: Vec::with_capacity(postings.len()),
            additional_variants: Vec::new(),
        };
        let mut take = |count: usize| {
            let (taken, rest) = records.split_at(count);
            *records = rest;
            taken
        };
        let mut forms: Vec<u32> = Vec::new();
        for &posting in postings {
            let (page_number, _) = Self::posting(posting);
            for _ in 0..take(1)[0] {
                let form = take(1)[0] as u32;
                let locs = take(1)[0] as usize;
                let locs = take(locs);
                let meta = take(1)[0] as usize;
                let packed_page = PackedPage {
                    page_number,
                    locs: Cow::Borrowed(locs),
                    meta_locs: take(meta).to_vec(),
                };
                if form == PLAIN {
                    packed.pages.push(packed_page);
                } else if let Some(i) = forms.iter().position(|&f| f == form) {
                    packed.additional_variants[i].pages.push(packed_page);
                } else {
                    forms.push(form);
                    packed.additional_variants.push(PackedVariant {
                        form: self.words.words[form as usize].to_string(),
                        pages: vec![packed_page],
                    });
                }
            }
        }
        packed
    }
}

/// Where each posting's record goes among [`PostingRecords`], kept by the form that
/// starts the posting's word on its page.
struct Destinations {
    /// Where each page's first form is among the forms of all pages, and where the
    /// last ends.
    form_starts: Vec<usize>,
    places: Vec<AtomicUsize>,
}

impl Destinations {
    fn at(&self, page_number: usize, first: usize) -> usize {
        self.places[self.form_starts[page_number] + first].load(Relaxed)
    }
}

/// Where each of a run of lengths starts when they are laid end to end, and where the
/// last ends.
fn starts(mut lengths: Vec<usize>) -> Vec<usize> {
    let mut total = 0;
    for length in &mut lengths {
        total += std::mem::replace(length, total);
    }
    lengths.push(total);
    lengths
}

/// The records of every posting ([`WordPostings::record_len`]), in the index's order.
struct PostingRecords {
    values: Vec<i32>,
    /// Where each word's records start, by alphabetical rank, and where the last ends.
    word_starts: Vec<usize>,
}

impl PostingRecords {
    /// The records of a range of words.
    fn of(&self, words: Range<usize>) -> &[i32] {
        &self.values[self.word_starts[words.start]..self.word_starts[words.end]]
    }
}

/// The words of each chunk, given each word's size in alphabetical order: a chunk ends
/// with the word that makes it `chunk_size` or more.
fn chunk_ranges(sizes: &[usize], chunk_size: usize) -> Vec<Range<usize>> {
    let mut chunks = Vec::new();
    let mut start = 0;
    let mut size = 0;
    for (i, word_size) in sizes.iter().enumerate() {
        size += word_size;
        if size >= chunk_size {
            chunks.push(start..i + 1);
            start = i + 1;
            size = 0;
        }
    }
    if start < sizes.len() {
        chunks.push(start..sizes.len());
    }
    chunks
}

/// The range of words of each chunk, from its first and last word.
fn chunk_meta<'a>(chunks: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<MetaChunk> {
    let mut named_chunks: Vec<MetaChunk> = chunks
        .map(|(from, to)| MetaChunk {
            from: from.into(),
            to: to.into(),
            hash: "".into(),
        })
        .collect();
    if named_chunks.len() > 1 {
        for i in 0..named_chunks.len() - 1 {
            let chunks = &mut named_chunks[i..=i + 1];
            let prefixes = get_prefixes((&chunks[0].to, &chunks[1].from));
            // Only trim 'to' if it won't create an invalid range (to < from)
            if prefixes.0 >= chunks[0].from {
                chunks[0].to = prefixes.0;
            }
            // Always trim the next chunk's 'from'
            chunks[1].from = prefixes.1;
        }
    }

    named_chunks
}

fn get_prefixes((a, b): (&str, &str)) -> (String, String) {
    let common_prefix_length: usize = b
        .chars()
        .zip(a.chars())
        .take_while(|&(a, b)| a == b)
        .count();

    let a_prefix = a.chars().take(common_prefix_length + 1).collect::<String>();
    let b_prefix = b.chars().take(common_prefix_length + 1).collect::<String>();

    (a_prefix, b_prefix)
}

fn parse_int_sort(value: &str) -> Option<i32> {
    lexical_core::parse::<i32>(value.as_bytes()).ok()
}

fn parse_float_sort(value: &str) -> Option<f32> {
    lexical_core::parse::<f32>(value.as_bytes()).ok()
}

/// Encode meta positions with field ID markers.
/// Negative numbers switch field IDs, positive numbers are delta-encoded positions.
/// e.g., [-1, 0, 5, -4, 2] means: field 0 positions [0, 5], field 3 positions [2]
fn meta_positions_to_packed(mut positions: Vec<MetaFossickedWord>) -> Vec<i32> {
    if positions.is_empty() {
        return vec![];
    }

    positions.sort_by_key(|p| (p.field_id, p.position));

    let mut current_field: Option<u16> = None;
    let mut last_position: u32 = 0;
    let mut result = Vec::with_capacity(positions.len() + 8);

    for MetaFossickedWord {
        field_id, position, ..
    } in positions
    {
        if Some(field_id) != current_field {
            result.push(-((field_id as i32) + 1));
            current_field = Some(field_id);
            last_position = 0;
        }
        result.push((position - last_position) as i32);
        last_position = position;
    }

    result
}

#[cfg(test)]
mod tests {
    use super::*;

    trait Mock {
        fn word(&mut self, word: &str, page_number: usize, locs: Vec<i32>);
    }
    impl Mock for HashMap<String, PackedWord<'static>> {
        fn word(&mut self, word: &str, page_number: usize, locs: Vec<i32>) {
            let page = PackedPage {
                page_number,
                locs: Cow::Owned(locs),
                meta_locs: vec![],
            };
            match self.get_mut(word) {
                Some(w) => w.pages.push(page),
                None => {
                    let _ = self.insert(
                        word.into(),
                        PackedWord {
                            word: word.into(),
                            pages: vec![page],
                            additional_variants: vec![],
                        },
                    );
                }
            }
        }
    }

    fn test_words() -> HashMap<String, PackedWord<'static>> {
        let mut words = HashMap::new();
        words.word("apple", 1, vec![20, 40, 60]);
        words.word("apple", 5, vec![3, 6, 9]);
        words.word("apricot", 5, vec![45, 3432, 6003]);
        words.word("banana", 5, vec![100, 500, 900, 566]);
        words.word("peach", 5, vec![383, 2, 678]);

        words
    }

    /// The same postings, but held as diacritic variants rather than on the word itself
    fn test_variant_words() -> HashMap<String, PackedWord<'static>> {
        let mut words = test_words();
        for word in words.values_mut() {
            word.additional_variants.push(PackedVariant {
                form: format!("{}\u{0301}", word.word),
                pages: std::mem::take(&mut word.pages),
            });
        }
        words
    }

    /// The words in alphabetical order, as the index chunks them.
    fn sorted(words: HashMap<String, PackedWord<'static>>) -> Vec<PackedWord<'static>> {
        let mut words: Vec<PackedWord<'static>> = words.into_values().collect();
        words.sort_unstable_by(|a, b| a.word.cmp(&b.word));
        words
    }

    /// How much of a chunk a word takes: a location per occurrence, and one per page and
    /// per form.
    fn word_size(word: &PackedWord) -> usize {
        word.pages
            .iter()
            .chain(word.additional_variants.iter().flat_map(|v| &v.pages))
            .map(|p| p.locs.len() + p.meta_locs.len() + 1)
            .sum::<usize>()
            + word.additional_variants.len()
    }
    fn chunks_of<'a>(words: &'a [PackedWord<'_>], chunk_size: usize) -> Vec<Vec<&'a str>> {
        let sizes: Vec<usize> = words.iter().map(word_size).collect();
        chunk_ranges(&sizes, chunk_size)
            .into_iter()
            .map(|range| words[range].iter().map(|w| w.word.as_str()).collect())
            .collect()
    }

    #[test]
    fn build_index_chunks() {
        let words = sorted(test_words());
        let chunks = chunks_of(&words, 8);
        assert_eq!(chunks, [vec!["apple"], vec!["apricot", "banana"], vec!["peach"]]);
    }

    #[test]
    fn build_index_chunks_from_variant_words() {
        let words = sorted(test_variant_words());
        let chunks = chunks_of(&words, 8);
        assert_eq!(chunks, [vec!["apple"], vec!["apricot", "banana"], vec!["peach"]]);
    }

    #[test]
    fn build_chunk_meta() {
        let words = sorted(test_words());
        let chunks = chunks_of(&words, 8);
        let meta = chunk_meta(
            chunks
                .iter()
                .map(|chunk| (chunk[0], chunk[chunk.len() - 1])),
        );
        assert_eq!(meta.len(), 3);
        assert_eq!(
            meta[0],
            MetaChunk {
                from: "apple".into(),
                to: "apple".into(), // Not trimmed to "app" since that would make to < from
                hash: "".into(),
            }
        );
        assert_eq!(
            meta[1],
            MetaChunk {
                from: "apr".into(),
                to: "b".into(),
                hash: "".into(),
            }
        );
        assert_eq!(
            meta[2],
            MetaChunk {
                from: "p".into(),
                to: "peach".into(),
                hash: "".into(),
            }
        );
    }

    #[test]
    fn common_prefix() {
        assert_eq!(
            get_prefixes(("apple", "apricot")),
            ("app".into(), "apr".into())
        );
        assert_eq!(
            get_prefixes(("cataraman", "yacht")),
            ("c".into(), "y".into())
        );
        assert_eq!(
            get_prefixes(("cath", "cathartic")),
            ("cath".into(), "catha".into())
        );
        // This should be an invalid state, but just in case:
        assert_eq!(
            get_prefixes(("catha", "cath")),
            ("catha".into(), "cath".into())
        );
    }
}
