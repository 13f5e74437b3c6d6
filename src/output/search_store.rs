//! The search index on disk, kept between builds so that the next one does as little
//! of Pagefind's work again as it can. The store holds the last index's files under the
//! key of everything it was made from (see [`super::search`]): a build whose searched
//! pages are all unchanged reuses them whole. It also holds every page as Pagefind
//! packed it, under a hash of the page's document, and each gzipped file under a hash
//! of what it holds: a build with some pages changed parses only those, and compresses
//! only the index files whose content changed. Every reuse is keyed by content, so a
//! changed page can never be served stale; a damaged or foreign file is ignored, never
//! trusted.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io;
use std::ops::Range;
use std::path::Path;

use pagefind::api::GzipKey;
use xxhash_rust::xxh3::xxh3_128;

use super::search::IndexFile;

const MAGIC: &[u8] = b"folio search index 2\n";

/// What decides how Pagefind packs a page: a store made by another version of folio or
/// Pagefind is not read.
fn versions() -> String {
    format!("{} {}", env!("CARGO_PKG_VERSION"), pagefind::api::VERSION)
}

/// A store as read from disk.
pub struct Stored {
    bytes: Vec<u8>,
    /// The key of the index whose files these are.
    pub key: u128,
    files: Vec<StoredFile>,
    /// Each page's packed bytes, by the hash of its document.
    pages: HashMap<u128, Range<usize>>,
}

struct StoredFile {
    path: String,
    gzip_key: Option<GzipKey>,
    bytes: Range<usize>,
}

impl Stored {
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

    /// The packed bytes of the page whose document hashes to `document`.
    pub fn page(&self, document: u128) -> Option<&[u8]> {
        Some(&self.bytes[self.pages.get(&document)?.clone()])
    }
}

/// The store at `path`; none when the file is missing, damaged, or of another version.
pub fn load(path: &Path) -> Option<Stored> {
    let bytes = std::fs::read(path).ok()?;
    let (body, checksum) = bytes.split_last_chunk::<16>()?;
    if xxh3_128(body) != u128::from_le_bytes(*checksum) {
        return None;
    }
    let mut reader = Reader {
        bytes: body,
        at: body.len() - body.strip_prefix(MAGIC)?.len(),
    };
    if reader.field()? != versions().as_bytes() {
        return None;
    }
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
    let mut pages = HashMap::new();
    for _ in 0..reader.count()? {
        let document = u128::from_le_bytes(reader.take(16)?.try_into().ok()?);
        pages.insert(document, reader.field_range()?);
    }
    (reader.at == body.len()).then_some(Stored {
        bytes,
        key,
        files,
        pages,
    })
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

/// The store of the index `key` made of `files`, and of `pages` (each page's document
/// hash and packed bytes), made while they are at hand and written by [`save`] only
/// once the build has succeeded.
pub fn encode(
    key: u128,
    files: &[IndexFile],
    pages: Vec<(u128, Cow<[u8]>)>,
) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    bytes.extend_from_slice(MAGIC);
    push_field(&mut bytes, versions().as_bytes())?;
    bytes.extend_from_slice(&key.to_le_bytes());
    push_count(&mut bytes, files.len())?;
    for file in files {
        push_field(&mut bytes, file.path.join("/").as_bytes())?;
        match &file.gzip_key {
            Some(gzip_key) => {
                bytes.push(1);
                bytes.extend_from_slice(gzip_key);
            }
            None => bytes.push(0),
        }
        push_field(&mut bytes, &file.bytes)?;
    }
    push_count(&mut bytes, pages.len())?;
    for (document, packed) in pages {
        bytes.extend_from_slice(&document.to_le_bytes());
        push_field(&mut bytes, &packed)?;
    }
    let checksum = xxh3_128(&bytes);
    bytes.extend_from_slice(&checksum.to_le_bytes());
    Ok(bytes)
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

/// Writes an encoded store to `path` through a temporary file and a rename, so a
/// reader never sees half a store.
pub fn save(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder)?;
    }
    let temporary = path.with_extension("tmp");
    std::fs::write(&temporary, bytes)?;
    std::fs::rename(&temporary, path)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        save(&path, &encode(42, &files(), pages()).unwrap()).unwrap();
        let stored = load(&path).unwrap();
        assert_eq!(stored.key, 42);
        let files = stored.files();
        assert_eq!(files.len(), 2);
        assert_eq!(files[1].path, ["pagefind", "index", "en_1.pf_index"]);
        assert_eq!(files[1].bytes, [0x1f, 0x8b, 0]);
        assert_eq!(files[1].gzip_key, Some([7; 20]));
        assert_eq!(stored.gzipped().len(), 1);
        assert_eq!(stored.gzipped()[&[7; 20]], [0x1f, 0x8b, 0]);
        assert_eq!(stored.page(11), Some(&b"first page"[..]));
        assert_eq!(stored.page(12), Some(&b""[..]));
        assert_eq!(stored.page(13), None);
    }

    #[test]
    fn damaged_or_foreign_files_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("search.bin");
        let encoded = encode(7, &files(), pages()).unwrap();
        let mut flipped = encoded.clone();
        let middle = flipped.len() / 2;
        flipped[middle] ^= 1;
        let mut other_version = encoded.clone();
        other_version[MAGIC.len() + 4] ^= 1;
        let checksum = xxh3_128(&other_version[..other_version.len() - 16]);
        let at = other_version.len() - 16;
        other_version[at..].copy_from_slice(&checksum.to_le_bytes());
        for damaged in [
            &encoded[..encoded.len() - 1],
            &flipped[..],
            &other_version[..],
            b"something else",
        ] {
            std::fs::write(&path, damaged).unwrap();
            assert!(load(&path).is_none());
        }
        assert!(load(&dir.path().join("missing")).is_none());
    }
}
