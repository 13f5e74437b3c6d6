//! The highlight memo on disk, so a second build of an unchanged site skips syntax
//! highlighting, by far the most expensive step. Entries are keyed by a hash of
//! everything the HTML depends on (including folio's version), so a stale entry can
//! never match; a damaged or foreign file is ignored, never trusted.

use std::collections::HashMap;
use std::io;
use std::path::Path;
use std::sync::Arc;

use crate::staged::Staged;

const MAGIC: &[u8] = b"folio highlight cache 1\n";

/// Reads a store; a missing, damaged or foreign file gives an empty memo.
pub fn load(path: &Path) -> HashMap<u128, Arc<str>> {
    std::fs::read(path)
        .ok()
        .and_then(|bytes| parse(&bytes))
        .unwrap_or_default()
}

fn parse(bytes: &[u8]) -> Option<HashMap<u128, Arc<str>>> {
    let mut rest = bytes.strip_prefix(MAGIC)?;
    let mut entries = HashMap::new();
    while !rest.is_empty() {
        let (key, after) = rest.split_first_chunk::<16>()?;
        let (length, after) = after.split_first_chunk::<4>()?;
        let length = usize::try_from(u32::from_le_bytes(*length)).ok()?;
        let text = std::str::from_utf8(after.get(..length)?).ok()?;
        entries.insert(u128::from_le_bytes(*key), Arc::from(text));
        rest = &after[length..];
    }
    Some(entries)
}

/// Writes `entries` beside `path`, to be put in place by [`Staged::commit`]. Entries
/// are sorted so the file does not depend on hash order.
pub fn stage<'a>(
    path: &Path,
    entries: impl IntoIterator<Item = (u128, &'a str)>,
) -> io::Result<Staged> {
    let mut entries: Vec<(u128, &str)> = entries.into_iter().collect();
    entries.sort_unstable_by_key(|(key, _)| *key);
    Staged::write(path, |file| {
        file.write_all(MAGIC)?;
        for (key, text) in entries {
            let length =
                u32::try_from(text.len()).map_err(|_| io::Error::other("entry too large"))?;
            file.write_all(&key.to_le_bytes())?;
            file.write_all(&length.to_le_bytes())?;
            file.write_all(text.as_bytes())?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_store_loads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache/highlight.bin");
        stage(&path, [(7u128, "<span>a</span>"), (3, "é")])
            .unwrap()
            .commit()
            .unwrap();
        let loaded = load(&path);
        assert_eq!(loaded.len(), 2);
        assert_eq!(&*loaded[&7], "<span>a</span>");
        assert_eq!(&*loaded[&3], "é");
    }

    #[test]
    fn damaged_or_foreign_files_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("highlight.bin");
        stage(&path, [(1u128, "abc")]).unwrap().commit().unwrap();
        let mut bytes = std::fs::read(&path).unwrap();
        bytes.truncate(bytes.len() - 1);
        std::fs::write(&path, &bytes).unwrap();
        assert!(load(&path).is_empty());
        std::fs::write(&path, b"something else").unwrap();
        assert!(load(&path).is_empty());
        assert!(load(&dir.path().join("missing")).is_empty());
    }
}
