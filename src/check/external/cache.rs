//! What earlier `folio check --external` runs found, kept in the project's cache folder
//! (`external-links.json`) so a run within `[check] external-cache` of the last one
//! fetches only what is new or was failing.
//!
//! Only answers that need no action are kept: a link that worked, and a permanent
//! redirect (kept with its new URL, so its warning repeats without a request). A
//! failure is always fetched again: it may have been fixed, and a check that reported
//! an error from memory would send authors chasing a server's past hiccup. The file is
//! replaced in one rename, so a run that fails or is stopped halfway leaves the
//! previous file whole.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// The file, in the project's cache folder.
pub const FILE: &str = "external-links.json";

/// One URL's kept answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// When it was fetched, in seconds since the Unix epoch.
    pub checked: u64,
    /// Where a permanent redirect leads; none when the URL answered itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moved_to: Option<String>,
}

/// Every kept answer, by URL (without its fragment).
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Cache {
    version: u32,
    links: BTreeMap<String, Entry>,
}

impl Cache {
    /// Bumped when the meaning of an entry changes: an older file is then ignored.
    const VERSION: u32 = 1;

    /// The answers in `dir` still younger than `lifetime`; none when the file is
    /// missing, unreadable, or written by another version of the format.
    pub fn load(dir: &Path, lifetime: Duration) -> Self {
        let kept = std::fs::read(dir.join(FILE))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Cache>(&bytes).ok())
            .filter(|cache| cache.version == Self::VERSION);
        let mut cache = kept.unwrap_or_default();
        let now = now();
        cache
            .links
            .retain(|_, entry| now.saturating_sub(entry.checked) < lifetime.as_secs());
        cache.version = Self::VERSION;
        cache
    }

    pub fn get(&self, url: &str) -> Option<&Entry> {
        self.links.get(url)
    }

    /// Keeps the answer for `url`, fetched just now.
    pub fn insert(&mut self, url: String, moved_to: Option<String>) {
        let checked = now();
        self.links.insert(url, Entry { checked, moved_to });
    }

    /// Forgets `url`, which failed this time.
    pub fn remove(&mut self, url: &str) {
        self.links.remove(url);
    }

    /// Writes the cache into `dir`: to a file beside the old one, then renamed over it.
    pub fn save(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        let staged: PathBuf = dir.join(format!("{FILE}.{}.tmp", std::process::id()));
        let json = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        std::fs::write(&staged, json)?;
        std::fs::rename(&staged, dir.join(FILE)).inspect_err(|_| {
            let _ = std::fs::remove_file(&staged);
        })
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_survive_a_round_trip_until_they_expire() {
        let dir = tempfile::tempdir().unwrap();
        let mut cache = Cache::load(dir.path(), Duration::from_secs(60));
        cache.insert("https://a.example/".into(), None);
        cache.insert(
            "https://b.example/".into(),
            Some("https://c.example/".into()),
        );
        cache.save(dir.path()).unwrap();
        let again = Cache::load(dir.path(), Duration::from_secs(60));
        assert!(again.get("https://a.example/").is_some());
        assert_eq!(
            again.get("https://b.example/").unwrap().moved_to.as_deref(),
            Some("https://c.example/")
        );
        assert!(
            Cache::load(dir.path(), Duration::ZERO)
                .get("https://a.example/")
                .is_none()
        );
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "only the cache file is left");
    }

    #[test]
    fn a_damaged_or_foreign_file_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE), "{not json").unwrap();
        assert!(Cache::load(dir.path(), Duration::MAX).links.is_empty());
        std::fs::write(dir.path().join(FILE), r#"{"version":99,"links":{}}"#).unwrap();
        assert_eq!(
            Cache::load(dir.path(), Duration::MAX).version,
            Cache::VERSION
        );
    }
}
