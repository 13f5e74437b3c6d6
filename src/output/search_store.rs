//! The search index on disk, so a build whose searched pages are all unchanged reuses
//! the previous build's index instead of running Pagefind again. The store holds one
//! index under the key of everything it was made from (see [`super::search`]), so a
//! changed page can never be served a stale index; a damaged or foreign file is
//! ignored, never trusted.

use std::io;
use std::path::Path;

use xxhash_rust::xxh3::xxh3_128;

use super::search::IndexFile;

const MAGIC: &[u8] = b"folio search index 1\n";

/// The index stored at `path` under `key`; none when the file is missing, damaged, or
/// holds another index.
pub fn load(path: &Path, key: u128) -> Option<Vec<IndexFile>> {
    let bytes = std::fs::read(path).ok()?;
    let (body, checksum) = bytes.split_last_chunk::<16>()?;
    let rest = body.strip_prefix(MAGIC)?.strip_prefix(&key.to_le_bytes())?;
    if xxh3_128(body) != u128::from_le_bytes(*checksum) {
        return None;
    }
    parse(rest)
}

fn parse(mut rest: &[u8]) -> Option<Vec<IndexFile>> {
    let mut files = Vec::new();
    while !rest.is_empty() {
        let (path, after) = field(rest)?;
        let (bytes, after) = field(after)?;
        let path = std::str::from_utf8(path).ok()?;
        files.push(IndexFile {
            path: path.split('/').map(str::to_string).collect(),
            bytes: bytes.to_vec(),
        });
        rest = after;
    }
    Some(files)
}

/// A length-prefixed field and what follows it.
fn field(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let (length, rest) = bytes.split_first_chunk::<4>()?;
    let length = usize::try_from(u32::from_le_bytes(*length)).ok()?;
    (rest.len() >= length).then(|| rest.split_at(length))
}

/// The store of `files` under `key`, made while the files are at hand and written by
/// [`save`] only once the build has succeeded.
pub fn encode(key: u128, files: &[IndexFile]) -> io::Result<Vec<u8>> {
    let size: usize = files.iter().map(|f| f.bytes.len() + 64).sum();
    let mut bytes = Vec::with_capacity(MAGIC.len() + size + 32);
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&key.to_le_bytes());
    for file in files {
        push_field(&mut bytes, file.path.join("/").as_bytes())?;
        push_field(&mut bytes, &file.bytes)?;
    }
    let checksum = xxh3_128(&bytes);
    bytes.extend_from_slice(&checksum.to_le_bytes());
    Ok(bytes)
}

fn push_field(bytes: &mut Vec<u8>, field: &[u8]) -> io::Result<()> {
    let length = u32::try_from(field.len()).map_err(|_| io::Error::other("file too large"))?;
    bytes.extend_from_slice(&length.to_le_bytes());
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
            },
            IndexFile {
                path: vec!["pagefind".into(), "index".into(), "en_1.pf_index".into()],
                bytes: vec![0x1f, 0x8b, 0],
            },
        ]
    }

    #[test]
    fn a_saved_index_loads_back_under_its_key_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache/search.bin");
        save(&path, &encode(42, &files()).unwrap()).unwrap();
        let loaded = load(&path, 42).unwrap();
        assert_eq!(loaded.len(), 2);
        assert_eq!(loaded[1].path, ["pagefind", "index", "en_1.pf_index"]);
        assert_eq!(loaded[1].bytes, [0x1f, 0x8b, 0]);
        assert!(load(&path, 43).is_none());
    }

    #[test]
    fn damaged_or_foreign_files_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("search.bin");
        let encoded = encode(7, &files()).unwrap();
        let mut flipped = encoded.clone();
        let middle = flipped.len() / 2;
        flipped[middle] ^= 1;
        for damaged in [
            &encoded[..encoded.len() - 1],
            &flipped[..],
            b"something else",
        ] {
            std::fs::write(&path, damaged).unwrap();
            assert!(load(&path, 7).is_none());
        }
        assert!(load(&dir.path().join("missing"), 7).is_none());
    }
}
