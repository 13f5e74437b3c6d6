//! A file written beside its place and renamed into it only when its writer says so.
//! The caches a build keeps for the next one are written while the site is, and put in
//! place only once the whole build has succeeded: a failed build leaves none behind.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// A file written to a temporary beside `path`. [`Staged::commit`] renames it into
/// place; dropped without that, the temporary is removed.
#[derive(Debug)]
pub struct Staged {
    temporary: PathBuf,
    path: PathBuf,
    committed: bool,
}

impl Staged {
    /// Writes what `write` writes to a temporary beside `path`, making its folder.
    pub fn write(
        path: &Path,
        write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<Self> {
        let mut file = Self::create(path)?;
        write(&mut file)?;
        file.finish()
    }

    /// A temporary beside `path`, making its folder, to be written a piece at a time
    /// and then [finished](StagedFile::finish).
    pub fn create(path: &Path) -> io::Result<StagedFile> {
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder)?;
        }
        let staged = Self {
            temporary: path.with_extension("tmp"),
            path: path.to_path_buf(),
            committed: false,
        };
        let file = io::BufWriter::new(std::fs::File::create(&staged.temporary)?);
        Ok(StagedFile { staged, file })
    }

    /// Puts the file in place, so a reader sees all of it or the one it replaces.
    pub fn commit(mut self) -> io::Result<()> {
        self.committed = true;
        std::fs::rename(&self.temporary, &self.path)
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.temporary);
        }
    }
}

/// A [`Staged`] file still being written. Dropped unfinished, its temporary is removed.
#[derive(Debug)]
pub struct StagedFile {
    staged: Staged,
    file: io::BufWriter<std::fs::File>,
}

impl StagedFile {
    /// The file written, ready to be put in place.
    pub fn finish(self) -> io::Result<Staged> {
        // No fsync: after a crash a damaged cache is detected and ignored, which costs
        // one slower build, while syncing it would cost every build.
        self.file
            .into_inner()
            .map_err(io::IntoInnerError::into_error)?;
        Ok(self.staged)
    }
}

impl Write for StagedFile {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.file.write(bytes)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_in_place_once_committed_and_gone_when_dropped() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("cache/store.bin");
        let staged = Staged::write(&path, |file| file.write_all(b"kept")).unwrap();
        assert!(!path.exists(), "in place before the commit");
        staged.commit().unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"kept");

        let dropped = Staged::write(&path, |file| file.write_all(b"new")).unwrap();
        drop(dropped);
        assert_eq!(
            std::fs::read(&path).unwrap(),
            b"kept",
            "replaced without a commit"
        );
        let left: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(left.len(), 1, "the temporary stayed: {left:?}");
    }
}
