//! folio's built-in theme, embedded in the binary from this repository's `templates/`
//! and `theme/`: every site gets it, `folio theme` copies it for editing, and a site's own file of
//! the same name takes its place.

use include_dir::{Dir, DirEntry, include_dir};

pub static TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");
pub static THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/theme");

/// Every file below `dir`, as (path with `/` separators, contents), in path order.
pub fn files(dir: &'static Dir<'static>) -> Vec<(String, &'static [u8])> {
    let mut found = Vec::new();
    let mut stack = vec![dir];
    while let Some(dir) = stack.pop() {
        for entry in dir.entries() {
            match entry {
                DirEntry::Dir(sub) => stack.push(sub),
                DirEntry::File(file) => {
                    found.push((crate::diag::display_path(file.path()), file.contents()))
                }
            }
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}
