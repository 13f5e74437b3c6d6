//! The search index on disk, kept between builds so that the next one does as little
//! of Pagefind's work again as it can. Two files: the last index's files under the key
//! of everything it was made from (see [`super::search`]), which a build whose searched
//! pages are all unchanged reuses whole, each gzipped file with a hash of what it
//! holds; and beside it every page as Pagefind packed it, under a hash of the page's
//! document, read only when some page changed. A build with some pages changed then has
//! Pagefind parse only those, and compress only the index files whose content changed.
//! Every reuse is keyed by content, so a changed page can never be served stale; a
//! damaged or foreign file is ignored, never trusted.

use std::collections::HashMap;
use std::io::{self, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};

use pagefind::api::GzipKey;
use xxhash_rust::xxh3::{Xxh3, xxh3_128};

use super::search::IndexFile;
use crate::staged::{Staged, StagedFile};

const INDEX_MAGIC: &[u8] = b"folio search index 3\n";
const PAGES_MAGIC: &[u8] = b"folio search pages 2\n";

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
    // Written as they were packed, the pages are not counted: they run to the checksum.
    while reader.at < body.len() {
        let document = u128::from_le_bytes(reader.take(16)?.try_into().ok()?);
        pages.insert(document, reader.field_range()?);
    }
    Some(StoredPages { bytes, pages })
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

/// A store held in memory by `folio serve` from one generation of the site to the
/// next: its two files' bytes, as [`load_index`] and [`load_pages`] would read them.
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
            None => (PagesWriter::start(Sink::Memory(Vec::new()))?.finish()?)
                .into_memory()
                .unwrap_or_default(),
        };
        Ok(Self {
            index: index.bytes,
            pages,
        })
    }

    /// The store of the index and the pages written to these sinks, if both are memory.
    pub fn from_sinks(index: Sink, pages: Sink) -> Option<Self> {
        Some(Self {
            index: index.into_memory()?,
            pages: pages.into_memory()?,
        })
    }
}

/// Where a store file is written: a temporary beside its place, put there by
/// [`Staged::commit`] only once the build has succeeded, or memory, for `folio serve`.
#[derive(Debug)]
pub enum Sink {
    File(StagedFile),
    Memory(Vec<u8>),
}

impl Sink {
    /// A temporary beside the index kept at `path`.
    pub fn index_file(path: &Path) -> io::Result<Self> {
        Ok(Self::File(Staged::create(path)?))
    }

    /// A temporary beside the pages kept with the index at `path`.
    pub fn pages_file(path: &Path) -> io::Result<Self> {
        Ok(Self::File(Staged::create(&pages_path(path))?))
    }

    /// The file written, to put in place; none for memory.
    pub fn into_staged(self) -> io::Result<Option<Staged>> {
        match self {
            Self::File(file) => file.finish().map(Some),
            Self::Memory(_) => Ok(None),
        }
    }

    /// The bytes written to memory, without the room they grew into; none for a file.
    fn into_memory(self) -> Option<Vec<u8>> {
        match self {
            Self::Memory(mut bytes) => {
                bytes.shrink_to_fit();
                Some(bytes)
            }
            Self::File(_) => None,
        }
    }
}

/// A store file being written, hashed as it goes so that it can end with its checksum.
struct Checksummed {
    sink: Sink,
    hasher: Xxh3,
}

impl Checksummed {
    /// Starts a file of the kind `magic` names, for this build's versions.
    fn start(sink: Sink, magic: &[u8]) -> io::Result<Self> {
        let mut file = Self {
            sink,
            hasher: Xxh3::new(),
        };
        file.write(magic)?;
        file.field(versions().as_bytes())?;
        Ok(file)
    }

    fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.hasher.update(bytes);
        match &mut self.sink {
            Sink::File(file) => file.write_all(bytes),
            Sink::Memory(memory) => {
                memory.extend_from_slice(bytes);
                Ok(())
            }
        }
    }

    fn count(&mut self, count: usize) -> io::Result<()> {
        let count = u32::try_from(count).map_err(|_| io::Error::other("too large to keep"))?;
        self.write(&count.to_le_bytes())
    }

    /// A length-prefixed field.
    fn field(&mut self, field: &[u8]) -> io::Result<()> {
        self.count(field.len())?;
        self.write(field)
    }

    /// Ends the file with the checksum of all it holds.
    fn finish(mut self) -> io::Result<Sink> {
        let checksum = self.hasher.digest128();
        self.write(&checksum.to_le_bytes())?;
        Ok(self.sink)
    }
}

/// Writes the store file of the index `key` made of `files` to `sink`.
pub fn write_index(sink: Sink, key: u128, files: &[IndexFile]) -> io::Result<Sink> {
    let mut index = Checksummed::start(sink, INDEX_MAGIC)?;
    index.write(&key.to_le_bytes())?;
    index.count(files.len())?;
    for file in files {
        index.field(file.path.join("/").as_bytes())?;
        match &file.gzip_key {
            Some(gzip_key) => {
                index.write(&[1])?;
                index.write(gzip_key)?;
            }
            None => index.write(&[0])?,
        }
        index.field(&file.bytes)?;
    }
    index.finish()
}

/// The store file of the packed pages, written a page at a time while the index is
/// made: held until it was done, they took as much memory again as the index's own
/// copy of every page (over a gigabyte at 100,000 pages).
pub struct PagesWriter(Checksummed);

impl PagesWriter {
    pub fn start(sink: Sink) -> io::Result<Self> {
        Checksummed::start(sink, PAGES_MAGIC).map(Self)
    }

    /// Adds the packed bytes of the page whose document hashes to `document`.
    pub fn push(&mut self, document: u128, page: &[u8]) -> io::Result<()> {
        self.0.write(&document.to_le_bytes())?;
        self.0.field(page)
    }

    pub fn finish(self) -> io::Result<Sink> {
        self.0.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGES: [(u128, &[u8]); 2] = [(11, b"first page"), (12, b"")];

    /// Writes the store of the index `key` of [`files`] and of [`PAGES`] to `index` and
    /// `pages`.
    fn write(key: u128, index: Sink, pages: Sink) -> [Sink; 2] {
        let index = write_index(index, key, &files()).unwrap();
        let mut writer = PagesWriter::start(pages).unwrap();
        for (document, page) in PAGES {
            writer.push(document, page).unwrap();
        }
        [index, writer.finish().unwrap()]
    }

    /// Writes the store beside `path` and puts it in place.
    fn save(key: u128, path: &Path) {
        let sinks = [Sink::index_file(path), Sink::pages_file(path)].map(Result::unwrap);
        let [index, pages] = sinks;
        for sink in write(key, index, pages) {
            sink.into_staged().unwrap().unwrap().commit().unwrap();
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

    #[test]
    fn a_saved_store_loads_back_with_its_files_gzipped_files_and_pages() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache/search.bin");
        save(42, &path);
        assert_loaded(load_index(&path).unwrap(), load_pages(&path).unwrap());
    }

    #[test]
    fn a_store_kept_in_memory_gives_what_its_files_would() {
        let memory = || Sink::Memory(Vec::new());
        let [index, pages] = write(42, memory(), memory());
        let (index, pages) = Kept::from_sinks(index, pages).unwrap().into_stored();
        assert_loaded(index.unwrap(), pages.unwrap());
    }

    #[test]
    fn a_store_given_up_while_written_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("search.bin");
        let mut pages = PagesWriter::start(Sink::pages_file(&path).unwrap()).unwrap();
        pages.push(11, b"first page").unwrap();
        drop(pages);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    fn assert_loaded(index: StoredIndex, pages: StoredPages) {
        assert_eq!(index.key, 42);
        let files = index.files();
        assert_eq!(files.len(), 2);
        assert_eq!(files[1].path, ["pagefind", "index", "en_1.pf_index"]);
        assert_eq!(files[1].bytes, [0x1f, 0x8b, 0]);
        assert_eq!(files[1].gzip_key, Some([7; 20]));
        assert_eq!(index.gzipped().len(), 1);
        assert_eq!(index.gzipped()[&[7; 20]], [0x1f, 0x8b, 0]);
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
        let loads = |path: &Path| [load_index(path).is_some(), load_pages(path).is_some()];
        save(7, &path);
        assert_eq!(loads(&path), [true, true]);
        for (which, magic, written) in [
            (0, INDEX_MAGIC, path.clone()),
            (1, PAGES_MAGIC, pages_path(&path)),
        ] {
            let encoded = &std::fs::read(&written).unwrap();
            let mut flipped = encoded.to_vec();
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
