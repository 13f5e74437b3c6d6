//! The search index on disk, kept between builds so that the next one does as little
//! of Pagefind's work again as it can. Two files: the last index's files under the key
//! of everything it was made from (see [`super::search`]), which a build whose searched
//! pages are all unchanged reuses whole, each gzipped file with a hash of what it
//! holds; and beside it every page as Pagefind packed it, under a hash of the page's
//! document, read only when some page changed. A build with some pages changed then has
//! Pagefind parse only those, and compress only the index files whose content changed.
//! Every reuse is keyed by content, so a changed page can never be served stale; a
//! damaged or foreign file is ignored, never trusted.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};

use pagefind::api::GzipKey;
use xxhash_rust::xxh3::xxh3_128;

use super::search::IndexFile;
use crate::staged::Staged;

const INDEX_MAGIC: &[u8] = b"folio search index 3\n";
const PAGES_MAGIC: &[u8] = b"folio search pages 1\n";

/// What decides how Pagefind packs a page: a store made by another version of folio or
/// Pagefind is not read.
fn versions() -> String {
    format!("{} {}", env!("CARGO_PKG_VERSION"), pagefind::api::VERSION)
}

/// The file of the packed pages kept beside the index's at `path`.
fn pages_path(path: &Path) -> PathBuf {
    path.with_file_name("search-pages.bin")
}

/// The index's files as read from disk.
pub struct StoredIndex {
    bytes: Vec<u8>,
    /// The key of the index whose files these are.
    pub key: u128,
    files: Vec<StoredFile>,
}

struct StoredFile {
    path: String,
    gzip_key: Option<GzipKey>,
    bytes: Range<usize>,
}

impl StoredIndex {
    /// The index's files.
    pub fn files(&self) -> Vec<IndexFile> {
        (self.files.iter())
            .map(|file| IndexFile {
                path: file.path.split('/').map(str::to_string).collect(),
                bytes: self.bytes[file.bytes.clone()].to_vec(),
                gzip_key: file.gzip_key,
            })
            .collect()
    }

    /// The gzipped files, by their key.
    pub fn gzipped(&self) -> pagefind::api::Gzipped {
        (self.files.iter())
            .filter_map(|file| Some((file.gzip_key?, self.bytes[file.bytes.clone()].to_vec())))
            .collect()
    }
}

/// The packed pages as read from disk.
pub struct StoredPages {
    bytes: Vec<u8>,
    /// Each page's packed bytes, by the hash of its document.
    pages: HashMap<u128, Range<usize>>,
}

impl StoredPages {
    /// The packed bytes of the page whose document hashes to `document`.
    pub fn page(&self, document: u128) -> Option<&[u8]> {
        Some(&self.bytes[self.pages.get(&document)?.clone()])
    }
}

/// The index kept at `path`; none when the file is missing, damaged, or of another
/// version.
pub fn load_index(path: &Path) -> Option<StoredIndex> {
    parse_index(std::fs::read(path).ok()?)
}

fn parse_index(bytes: Vec<u8>) -> Option<StoredIndex> {
    let at = verified(&bytes, INDEX_MAGIC)?;
    let body = &bytes[..bytes.len() - 16];
    let mut reader = Reader { bytes: body, at };
    let key = u128::from_le_bytes(reader.take(16)?.try_into().ok()?);
    let mut files = Vec::new();
    for _ in 0..reader.count()? {
        let path = std::str::from_utf8(reader.field()?).ok()?.to_string();
        let gzip_key = match reader.take(1)? {
            [0] => None,
            _ => Some(reader.take(20)?.try_into().ok()?),
        };
        let bytes = reader.field_range()?;
        files.push(StoredFile {
            path,
            gzip_key,
            bytes,
        });
    }
    (reader.at == body.len()).then_some(StoredIndex { bytes, key, files })
}

/// The packed pages kept beside the index at `path`; none when the file is missing,
/// damaged, or of another version.
pub fn load_pages(path: &Path) -> Option<StoredPages> {
    parse_pages(std::fs::read(pages_path(path)).ok()?)
}

fn parse_pages(bytes: Vec<u8>) -> Option<StoredPages> {
    let at = verified(&bytes, PAGES_MAGIC)?;
    let body = &bytes[..bytes.len() - 16];
    let mut reader = Reader { bytes: body, at };
    let mut pages = HashMap::new();
    for _ in 0..reader.count()? {
        let document = u128::from_le_bytes(reader.take(16)?.try_into().ok()?);
        pages.insert(document, reader.field_range()?);
    }
    (reader.at == body.len()).then_some(StoredPages { bytes, pages })
}

/// Where what follows the header of `bytes` starts, when their checksum holds and they
/// start with `magic` and this build's versions.
fn verified(bytes: &[u8], magic: &[u8]) -> Option<usize> {
    let (body, checksum) = bytes.split_last_chunk::<16>()?;
    if xxh3_128(body) != u128::from_le_bytes(*checksum) {
        return None;
    }
    let mut reader = Reader {
        bytes: body,
        at: body.len() - body.strip_prefix(magic)?.len(),
    };
    if reader.field()? != versions().as_bytes() {
        return None;
    }
    Some(reader.at)
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, length: usize) -> Option<&'a [u8]> {
        let taken = self.bytes.get(self.at..self.at.checked_add(length)?)?;
        self.at += length;
        Some(taken)
    }

    fn count(&mut self) -> Option<usize> {
        usize::try_from(u32::from_le_bytes(self.take(4)?.try_into().ok()?)).ok()
    }

    /// A length-prefixed field.
    fn field(&mut self) -> Option<&'a [u8]> {
        let range = self.field_range()?;
        self.bytes.get(range)
    }

    fn field_range(&mut self) -> Option<Range<usize>> {
        let length = self.count()?;
        let start = self.at;
        self.take(length)?;
        Some(start..self.at)
    }
}

/// The two files of a store, encoded while what they hold is at hand, and written by
/// [`stage`] and put in place only once the build has succeeded, or kept in memory by
/// `folio serve`.
#[derive(Debug)]
pub struct Kept {
    index: Vec<u8>,
    pages: Vec<u8>,
}

impl Kept {
    /// What the store holds, as [`load_index`] and [`load_pages`] read it from files.
    pub fn into_stored(self) -> (Option<StoredIndex>, Option<StoredPages>) {
        (parse_index(self.index), parse_pages(self.pages))
    }

    /// The store of what [`Kept::into_stored`] gave.
    pub fn from_stored(index: StoredIndex, pages: Option<StoredPages>) -> io::Result<Self> {
        let pages = match pages {
            Some(pages) => pages.bytes,
            None => encode_pages(vec![])?,
        };
        Ok(Self {
            index: index.bytes,
            pages,
        })
    }
}

/// The store of the index `key` made of `files`, and of `pages` (each page's document
/// hash and packed bytes).
pub fn encode(key: u128, files: &[IndexFile], pages: Vec<(u128, Cow<[u8]>)>) -> io::Result<Kept> {
    // Two large copies, side by side.
    let (index, pages) = rayon::join(|| encode_index(key, files), || encode_pages(pages));
    Ok(Kept {
        index: index?,
        pages: pages?,
    })
}

fn encode_index(key: u128, files: &[IndexFile]) -> io::Result<Vec<u8>> {
    let files_length: usize = files
        .iter()
        .map(|file| file.path.iter().map(|s| s.len() + 1).sum::<usize>() + file.bytes.len() + 29)
        .sum();
    let mut index = header(INDEX_MAGIC, 20 + files_length)?;
    index.extend_from_slice(&key.to_le_bytes());
    push_count(&mut index, files.len())?;
    for file in files {
        push_field(&mut index, file.path.join("/").as_bytes())?;
        match &file.gzip_key {
            Some(gzip_key) => {
                index.push(1);
                index.extend_from_slice(gzip_key);
            }
            None => index.push(0),
        }
        push_field(&mut index, &file.bytes)?;
    }
    Ok(with_checksum(index))
}

fn encode_pages(pages: Vec<(u128, Cow<[u8]>)>) -> io::Result<Vec<u8>> {
    let pages_length: usize = pages.iter().map(|(_, page)| page.len() + 20).sum();
    let mut packed = header(PAGES_MAGIC, 4 + pages_length)?;
    push_count(&mut packed, pages.len())?;
    for (document, page) in pages {
        packed.extend_from_slice(&document.to_le_bytes());
        push_field(&mut packed, &page)?;
    }
    Ok(with_checksum(packed))
}

/// The start of a store file, with room for `length` bytes more and the checksum: the
/// files are large, and growing them as they are filled copied them again and again.
fn header(magic: &[u8], length: usize) -> io::Result<Vec<u8>> {
    let versions = versions();
    let mut bytes = Vec::with_capacity(magic.len() + 4 + versions.len() + length + 16);
    bytes.extend_from_slice(magic);
    push_field(&mut bytes, versions.as_bytes())?;
    Ok(bytes)
}

fn with_checksum(mut bytes: Vec<u8>) -> Vec<u8> {
    let checksum = xxh3_128(&bytes);
    bytes.extend_from_slice(&checksum.to_le_bytes());
    bytes
}

fn push_count(bytes: &mut Vec<u8>, count: usize) -> io::Result<()> {
    let count = u32::try_from(count).map_err(|_| io::Error::other("too large to keep"))?;
    bytes.extend_from_slice(&count.to_le_bytes());
    Ok(())
}

fn push_field(bytes: &mut Vec<u8>, field: &[u8]) -> io::Result<()> {
    push_count(bytes, field.len())?;
    bytes.extend_from_slice(field);
    Ok(())
}

/// Writes a store's two files beside their places, the index's at `path`, to be put
/// in place by [`Staged::commit`]. Each stands on its own: a reader of one never needs
/// the other to be of the same build.
pub fn stage(path: &Path, kept: &Kept) -> io::Result<[Staged; 2]> {
    let index = Staged::write(path, |file| file.write_all(&kept.index))?;
    let pages = Staged::write(&pages_path(path), |file| file.write_all(&kept.pages))?;
    Ok([index, pages])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commit(staged: [Staged; 2]) {
        for file in staged {
            file.commit().unwrap();
        }
    }

    fn files() -> Vec<IndexFile> {
        vec![
            IndexFile {
                path: vec!["pagefind".into(), "pagefind.js".into()],
                bytes: b"js".to_vec(),
                gzip_key: None,
            },
            IndexFile {
                path: vec!["pagefind".into(), "index".into(), "en_1.pf_index".into()],
                bytes: vec![0x1f, 0x8b, 0],
                gzip_key: Some([7; 20]),
            },
        ]
    }

    fn pages() -> Vec<(u128, Cow<'static, [u8]>)> {
        vec![(11, Cow::Borrowed(b"first page")), (12, Cow::Owned(vec![]))]
    }

    #[test]
    fn a_saved_store_loads_back_with_its_files_gzipped_files_and_pages() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache/search.bin");
        commit(stage(&path, &encode(42, &files(), pages()).unwrap()).unwrap());
        let index = load_index(&path).unwrap();
        assert_eq!(index.key, 42);
        let files = index.files();
        assert_eq!(files.len(), 2);
        assert_eq!(files[1].path, ["pagefind", "index", "en_1.pf_index"]);
        assert_eq!(files[1].bytes, [0x1f, 0x8b, 0]);
        assert_eq!(files[1].gzip_key, Some([7; 20]));
        assert_eq!(index.gzipped().len(), 1);
        assert_eq!(index.gzipped()[&[7; 20]], [0x1f, 0x8b, 0]);
        let pages = load_pages(&path).unwrap();
        assert_eq!(pages.page(11), Some(&b"first page"[..]));
        assert_eq!(pages.page(12), Some(&b""[..]));
        assert_eq!(pages.page(13), None);
    }

    /// A copy of `bytes` with one byte of its versions changed and its checksum made
    /// right again: a store of another version.
    fn other_version(bytes: &[u8], magic: &[u8]) -> Vec<u8> {
        let mut bytes = bytes.to_vec();
        bytes[magic.len() + 4] ^= 1;
        let at = bytes.len() - 16;
        let checksum = xxh3_128(&bytes[..at]);
        bytes[at..].copy_from_slice(&checksum.to_le_bytes());
        bytes
    }

    #[test]
    fn damaged_or_foreign_files_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("search.bin");
        let kept = encode(7, &files(), pages()).unwrap();
        let loads = |path: &Path| [load_index(path).is_some(), load_pages(path).is_some()];
        commit(stage(&path, &kept).unwrap());
        assert_eq!(loads(&path), [true, true]);
        for (which, encoded, magic, written) in [
            (0, &kept.index, INDEX_MAGIC, path.clone()),
            (1, &kept.pages, PAGES_MAGIC, pages_path(&path)),
        ] {
            let mut flipped = encoded.clone();
            let middle = flipped.len() / 2;
            flipped[middle] ^= 1;
            for damaged in [
                &encoded[..encoded.len() - 1],
                &flipped[..],
                &other_version(encoded, magic)[..],
                b"something else",
            ] {
                std::fs::write(&written, damaged).unwrap();
                assert!(!loads(&path)[which], "{which}: {} bytes", damaged.len());
            }
            std::fs::write(&written, encoded).unwrap();
        }
        assert!(load_index(&dir.path().join("missing")).is_none());
    }
}
